// Stored states: what an aggregator keeps between requests (a verification state, a ping-pong
// state, an IDPF evaluation cache), encoded for a database or a file. This is vdaf-cpp's own
// format, not part of any specification; peers never see it.
//
// Every stored encoding starts with a 14-byte header
//
//     u8   format      STORED_FORMAT (1): bumped when any layout below changes
//     u8   kind        StoredKind: what follows
//     be32 algorithm   the VDAF's algorithm ID (Prio3Count 0x00000001, ..., Poplar1 0x00000006)
//     u8[8] digest     InstanceDigest of the VDAF's parameters (and, for ping-pong states, of
//                      ctx and the aggregation parameter)
//
// so that bytes stored by one instance and read back by another (other parameters, another
// task's ctx or aggregation parameter, another VDAF, a newer format) give a `decode_error`
// saying which, instead of a wrong result. The digest guards against misconfiguration, not
// against an attacker who can write the store (stored states are trusted data).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <span>
#include <string>

#include "vdaf/codec/codec.hpp"
#include "vdaf/core/bytes.hpp"
#include "vdaf/ct/ct.hpp"
#include "vdaf/errors.hpp"
#include "vdaf/xof/turboshake128.hpp"

VDAF_BEGIN_NAMESPACE

/// The version of the stored-state layouts (the header's first byte).
inline constexpr std::uint8_t STORED_FORMAT = 1;

/// What a stored encoding holds (the header's second byte).
enum class StoredKind : std::uint8_t {
  prio3_verify_state = 1,    ///< Prio3::VerifyState
  poplar1_verify_state = 2,  ///< Poplar1::VerifyState
  ping_pong_state = 3,       ///< PingPong<V>::State
  idpf_eval_cache = 4,       ///< IdpfBBCGGI21::EvalCache
};

/// 8 bytes that identify an instance's parameters (TurboSHAKE128 of their canonical
/// description, see InstanceDigestBuilder). Public.
using InstanceDigest = std::array<std::uint8_t, 8>;

/// Builds an InstanceDigest from a sequence of integers and byte strings (each length-prefixed,
/// so distinct sequences never collide by concatenation).
class InstanceDigestBuilder {
 public:
  /// Starts a digest (TurboSHAKE128 over a fixed vdaf-cpp domain string, then `label` as a
  /// length-prefixed byte string).
  /// @param label NUL-terminated name of what is described ("Prio3", "Poplar1", "PingPong",
  ///        ...), not null.
  explicit InstanceDigestBuilder(const char* label) {
    static constexpr std::uint8_t kDomain[] = "vdaf-cpp stored state digest";
    ts_.absorb(ByteSpan(kDomain, sizeof kDomain - 1));
    bytes(ByteSpan(reinterpret_cast<const std::uint8_t*>(label),
                   std::char_traits<char>::length(label)));
  }
  /// Appends an unsigned integer (8 bytes, big-endian).
  /// @param v The integer.
  /// @return *this, for chaining.
  InstanceDigestBuilder& u64(std::uint64_t v) noexcept {
    std::uint8_t b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<std::uint8_t>(v >> (56 - 8 * i));
    ts_.absorb(ByteSpan(b, 8));
    return *this;
  }
  /// Appends a byte string (its length first, as u64()).
  /// @param b The bytes.
  /// @return *this, for chaining.
  InstanceDigestBuilder& bytes(ByteSpan b) noexcept {
    u64(b.size());
    ts_.absorb(b);
    return *this;
  }
  /// Finalizes (domain byte 0x1F) and returns the digest. Call once, last: the builder cannot
  /// absorb or finish again afterwards.
  /// @return The first 8 bytes of the TurboSHAKE128 output.
  InstanceDigest finish() noexcept {
    ts_.finalize(0x1F);
    InstanceDigest d;
    ts_.squeeze(d);
    return d;
  }

 private:
  TurboShake128 ts_;
};

/// Builds a stored encoding in wiping memory (stored states hold secrets: output shares, seeds,
/// IDPF nodes).
class StoredWriter {
 public:
  /// Starts the encoding with the 14-byte header (STORED_FORMAT, kind, be32 algorithm, digest).
  /// @param kind What the encoding holds.
  /// @param algorithm The VDAF's algorithm ID.
  /// @param digest The instance's InstanceDigest.
  StoredWriter(StoredKind kind, std::uint32_t algorithm, const InstanceDigest& digest) {
    u8(STORED_FORMAT);
    u8(static_cast<std::uint8_t>(kind));
    be32(algorithm);
    bytes(digest);
  }
  /// Appends one byte.
  /// @param v The byte.
  void u8(std::uint8_t v) { out_.push_back(v); }
  /// Appends a 16-bit integer, big-endian (2 bytes).
  /// @param v The integer.
  void be16(std::uint16_t v) {
    out_.push_back(static_cast<std::uint8_t>(v >> 8));
    out_.push_back(static_cast<std::uint8_t>(v));
  }
  /// Appends a 32-bit integer, big-endian (4 bytes).
  /// @param v The integer.
  void be32(std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out_.push_back(static_cast<std::uint8_t>(v >> s));
  }
  /// Appends raw bytes (no length prefix).
  /// @param b The bytes.
  void bytes(ByteSpan b) { out_.insert(out_.end(), b.begin(), b.end()); }
  /// Appends be32 length, then the bytes.
  /// @param b The bytes, at most 2^32-1.
  /// @throws invalid_argument if `b` is longer than 2^32-1 bytes.
  void opaque32(ByteSpan b) {
    VDAF_ARG_CHECK(b.size() <= std::numeric_limits<std::uint32_t>::max(),
                   "stored state: field longer than 2^32-1 bytes");
    be32(static_cast<std::uint32_t>(b.size()));
    bytes(b);
  }
  /// Appends the field elements, each in its ENCODED_SIZE-byte encoding (no length prefix).
  /// @tparam F A field type (Field64, Field128, Field255).
  /// @param v The elements; len(v)·ENCODED_SIZE bytes are appended.
  template <class F>
  void elems(std::span<const F> v) {
    const std::size_t off = out_.size();
    out_.resize(off + v.size() * F::ENCODED_SIZE);
    for (std::size_t i = 0; i < v.size(); ++i)
      v[i].encode_to(out_.data() + off + i * F::ENCODED_SIZE);
  }
  /// The finished encoding (moved out; call on an rvalue: `std::move(w).take()`).
  /// @return The bytes written, in wiping memory.
  SecretBytes take() && { return std::move(out_); }

 private:
  SecretBytes out_;
};

namespace detail {
inline std::string hex8(const InstanceDigest& d) {
  std::string s;
  char buf[3];
  for (std::uint8_t b : d) {
    std::snprintf(buf, sizeof buf, "%02x", b);
    s += buf;
  }
  return s;
}
inline std::string hex32(std::uint32_t v) {
  char buf[11];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}
}  // namespace detail

/// Reads and checks the 14-byte header of a stored encoding of `kind` made by the instance
/// with algorithm ID `algorithm` and digest `digest`; `what` names the structure in messages.
/// `covers` says what the digest covers, for the message ("parameters" by default).
/// @param r Reader positioned at the header; advanced past its 14 bytes.
/// @param kind The expected kind.
/// @param algorithm The expected algorithm ID.
/// @param digest The expected InstanceDigest.
/// @param what Name of the structure, for error messages.
/// @param covers What the digest covers, for error messages.
/// @throws decode_error (saying which) on a truncated header, another format version, another
/// kind, another algorithm ID, or another digest (same VDAF, other parameters, ctx or
/// aggregation parameter).
inline void read_stored_header(Reader& r, StoredKind kind, std::uint32_t algorithm,
                               const InstanceDigest& digest, const std::string& what,
                               const char* covers = "parameters") {
  const std::uint8_t format = r.u8();
  if (format != STORED_FORMAT) {
    VDAF_THROW(decode_error, what + ": stored format " + std::to_string(format) +
                                 " is not supported (this library reads format " +
                                 std::to_string(STORED_FORMAT) + ")");
  }
  const std::uint8_t k = r.u8();
  if (k != static_cast<std::uint8_t>(kind)) {
    VDAF_THROW(decode_error, what + ": the bytes hold another kind of stored state (kind " +
                                 std::to_string(k) + ", expected " +
                                 std::to_string(static_cast<unsigned>(kind)) + ")");
  }
  const std::uint32_t id = r.be32();
  if (id != algorithm) {
    VDAF_THROW(decode_error, what + ": stored by a VDAF with algorithm ID " + detail::hex32(id) +
                                 ", this one is " + detail::hex32(algorithm));
  }
  InstanceDigest d;
  const ByteSpan got = r.take(d.size());
  std::copy(got.begin(), got.end(), d.begin());
  if (d != digest) {
    VDAF_THROW(decode_error, what + ": stored by an instance with other " + covers + " (digest " +
                                 detail::hex8(d) + ", this instance " + detail::hex8(digest) + ")");
  }
}

VDAF_END_NAMESPACE
