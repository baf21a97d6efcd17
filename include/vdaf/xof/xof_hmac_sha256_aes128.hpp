// XofHmacSha256Aes128: the XOF of the Prio3 instance 0xFFFF1003 that Divvi Up (Janus) and
// Cloudflare (Daphne) deploy. Not part of draft-irtf-cfrg-vdaf-20; defined by libprio-rs
// (`src/vdaf/xof.rs`, `XofHmacSha256Aes128`), whose known-answer vector is
// test-vectors/extensions/XofHmacSha256Aes128.json.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <span>
#include <string>

#include <sodium.h>

#include "vdaf/config.hpp"
#include "vdaf/core/bytes.hpp"
#include "vdaf/ct/ct.hpp"
#include "vdaf/detail/aes128.hpp"
#include "vdaf/detail/aes128_backend.hpp"
#include "vdaf/errors.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/xof/xof.hpp"
#include "vdaf/xof/xof_turboshake128.hpp"  // XofExpandRequest

VDAF_BEGIN_NAMESPACE

/// XofHmacSha256Aes128 (libprio-rs; not in the draft): with the 32-byte seed as HMAC key,
///
///   tag    = HMAC-SHA256(seed, u8(len(dst)) ‖ dst ‖ binder)          (RFC 2104, 32 bytes)
///   stream = AES-128-CTR with key tag[0..16) and initial counter block tag[16..32):
///            block i = AES_key(tag[16..24) ‖ be64(be64⁻¹(tag[24..32)) + i mod 2^64))
///
/// (the counter is the last 8 bytes of the block, big-endian, wrapping modulo 2^64: RustCrypto's
/// `Ctr64BE`). `next` serves block 0 ‖ block 1 ‖ ... in pieces of any length.
///
/// SEED_SIZE = 32 (exactly: other lengths are refused, as libprio-rs's type `[u8; 32]` does);
/// len(dst) ≤ 255 (one length byte), so a Prio3 ctx may have at most 255 − 8 = 247 bytes.
/// HMAC-SHA256 is libsodium's `crypto_auth_hmacsha256`; AES-128 is ours (AES instructions
/// through Highway where the target has them, else the portable bitsliced table-free code; see
/// detail/aes128_backend.hpp).
/// Constant-time: yes (no secret-dependent branch or memory index in either). The HMAC state,
/// the tag, the key schedule, the counter block and buffered stream bytes are wiped on
/// destruction.
class XofHmacSha256Aes128 : public XofOps<XofHmacSha256Aes128> {
 public:
  /// SEED_SIZE: 32 bytes (and the only seed length accepted; the HMAC key).
  static constexpr std::size_t SEED_SIZE = 32;
  /// The longest dst the XOF accepts (its length is encoded in one byte).
  static constexpr std::size_t MAX_DST_SIZE = 255;
  /// The name libprio-rs gives it (identifies the XOF in stored-state digests).
  static constexpr const char* NAME = "XofHmacSha256Aes128";

  /// Starts a stream. `binder` may be given in pieces (absorbed in order).
  /// Spec: libprio-rs `XofHmacSha256Aes128::init` + `update` + `into_seed_stream`.
  /// Constant-time.
  /// @param seed  SEED_SIZE = 32 bytes (the HMAC key).
  /// @param dst  the domain-separation tag, 0..255 bytes.
  /// @param binder  the pieces of the binder string, concatenated in order (any lengths).
  /// @throws invalid_argument if len(seed) != 32 or len(dst) > 255.
  XofHmacSha256Aes128(ByteSpan seed, ByteSpan dst, std::initializer_list<ByteSpan> binder)
      : XofHmacSha256Aes128(Streaming{}, seed, dst) {
    for (ByteSpan b : binder) absorb_binder(b);
    finish_binder();
  }
  /// XofHmacSha256Aes128(seed, dst, binder) with the binder in one piece. Constant-time.
  /// @param seed  SEED_SIZE = 32 bytes (the HMAC key).
  /// @param dst  the domain-separation tag, 0..255 bytes.
  /// @param binder  the binder string (any length).
  /// @throws invalid_argument if len(seed) != 32 or len(dst) > 255.
  XofHmacSha256Aes128(ByteSpan seed, ByteSpan dst, ByteSpan binder)
      : XofHmacSha256Aes128(seed, dst, {binder}) {}

  /// Tag type: start a stream whose binder is absorbed with `absorb_binder`, then
  /// `finish_binder()` (for binders too long to build in memory at once).
  struct Streaming {};
  /// Starts a stream in binder-absorbing mode: HMAC keyed with `seed` over u8(len(dst)) ‖ dst.
  /// Constant-time.
  /// @param seed  SEED_SIZE = 32 bytes (the HMAC key).
  /// @param dst  the domain-separation tag, 0..255 bytes.
  /// @throws invalid_argument if len(seed) != 32 or len(dst) > 255.
  XofHmacSha256Aes128(Streaming, ByteSpan seed, ByteSpan dst) {
    VDAF_ARG_CHECK(seed.size() == SEED_SIZE, "XofHmacSha256Aes128: seed must be 32 bytes, got " +
                                                 std::to_string(seed.size()));
    VDAF_ARG_CHECK(dst.size() <= MAX_DST_SIZE, "XofHmacSha256Aes128: dst longer than 255 bytes (" +
                                                   std::to_string(dst.size()) +
                                                   "; a Prio3 ctx may have at most 247 bytes)");
    crypto_auth_hmacsha256_init(&mac_, seed.data(), seed.size());
    const std::uint8_t dlen = static_cast<std::uint8_t>(dst.size());
    crypto_auth_hmacsha256_update(&mac_, &dlen, 1);
    if (!dst.empty()) crypto_auth_hmacsha256_update(&mac_, dst.data(), dst.size());
  }
  /// Absorbs the next piece of the binder (before finish_binder). Constant-time. noexcept.
  /// @param b  the next bytes of the binder (any length, including 0).
  void absorb_binder(ByteSpan b) noexcept {
    if (!b.empty()) crypto_auth_hmacsha256_update(&mac_, b.data(), b.size());
  }
  /// Ends the binder: computes the HMAC tag and keys AES-128-CTR with it. Call exactly once, in
  /// Streaming mode and before next() (not checked: the HMAC state is wiped afterwards, so a
  /// second call keys the stream with garbage). Constant-time. noexcept.
  void finish_binder() noexcept {
    std::uint8_t tag[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&mac_, tag);
    detail::Aes128Backend::expand(tag, sched_);
    std::memcpy(nonce_, tag + 16, 8);
    counter_ = load_be64(tag + 24);
    secure_zero(tag, sizeof tag);
    secure_zero(&mac_, sizeof mac_);
  }

  /// The AES-128-CTR keystream alone, with the key and initial counter block given directly
  /// (libprio-rs `SeedStreamAes128::new(key, iv)`): what the stream is after finish_binder with
  /// tag = key ‖ counter_block. For known answers (NIST SP 800-38A F.5.1) and tests.
  /// Constant-time.
  /// @param key  the AES-128 key, 16 bytes.
  /// @param counter_block  the initial counter block, 16 bytes (the last 8 are the big-endian
  ///                       64-bit counter).
  /// @return the stream, ready for next().
  /// @throws invalid_argument unless len(key) == 16 and len(counter_block) == 16.
  static XofHmacSha256Aes128 from_aes_ctr(ByteSpan key, ByteSpan counter_block) {
    VDAF_ARG_CHECK(key.size() == 16 && counter_block.size() == 16,
                   "XofHmacSha256Aes128::from_aes_ctr: key and counter block must be 16 bytes");
    XofHmacSha256Aes128 x;
    detail::Aes128Backend::expand(key.data(), x.sched_);
    std::memcpy(x.nonce_, counter_block.data(), 8);
    x.counter_ = load_be64(counter_block.data() + 8);
    return x;
  }

  /// Copies the stream (HMAC state, key schedule, counter, look-ahead buffer): both copies then
  /// continue the same stream independently; each wipes its secrets on destruction.
  XofHmacSha256Aes128(const XofHmacSha256Aes128&) noexcept = default;
  /// Replaces this stream with a copy of the other one (see the copy constructor).
  /// @return `*this`.
  XofHmacSha256Aes128& operator=(const XofHmacSha256Aes128&) noexcept = default;
  /// Wipes the HMAC state, the key schedule, the counter block and the buffered bytes.
  ~XofHmacSha256Aes128() {
    secure_zero(&mac_, sizeof mac_);
    secure_zero(&sched_, sizeof sched_);
    secure_zero(nonce_, sizeof nonce_);
    secure_zero(&counter_, sizeof counter_);
    secure_zero(buf_, sizeof buf_);
  }

  /// The next `out.size()` bytes of the stream (any length; calls continue where the previous one
  /// stopped). Whole blocks are encrypted in place in `out`, many in flight; a partial block
  /// comes from a one-block look-ahead buffer.
  /// Spec: libprio-rs `SeedStreamAes128::fill`. Constant-time: yes. noexcept.
  /// @param out  receives the next `out.size()` bytes (any length, including 0).
  void next(std::span<std::uint8_t> out) noexcept {
    std::uint8_t* p = out.data();
    std::size_t n = out.size();
    if (n == 0) return;
    if (buf_pos_ < BLOCK) {
      const std::size_t take = std::min(n, BLOCK - buf_pos_);
      std::memcpy(p, buf_ + buf_pos_, take);
      buf_pos_ += take;
      p += take;
      n -= take;
    }
    if (n >= BLOCK) {
      const std::size_t blocks = n / BLOCK;
      fill(p, blocks);
      p += blocks * BLOCK;
      n -= blocks * BLOCK;
    }
    if (n != 0) {
      fill(buf_, 1);
      std::memcpy(p, buf_, n);
      buf_pos_ = n;
    }
  }

  /// xs[k]->absorb_binder(data[k]) for every k (one stream after another: HMAC-SHA256 has no
  /// multi-stream kernel here). Same contract as XofTurboShake128::absorb_binder_many.
  /// Constant-time. noexcept.
  /// @param xs  the streams (Streaming mode, binder not finished), any number.
  /// @param data  data[k] is the next piece of the binder of xs[k]; data.size() == xs.size()
  ///              (not checked).
  static void absorb_binder_many(std::span<XofHmacSha256Aes128* const> xs,
                                 std::span<const ByteSpan> data) noexcept {
    for (std::size_t k = 0; k < xs.size(); ++k) xs[k]->absorb_binder(data[k]);
  }
  /// xs[k]->finish_binder() for every k. Constant-time. noexcept.
  /// @param xs  the streams (Streaming mode, binder not finished yet, distinct), any number.
  static void finish_binder_many(std::span<XofHmacSha256Aes128* const> xs) noexcept {
    for (XofHmacSha256Aes128* x : xs) x->finish_binder();
  }

  /// Batch expand_into_vec (same contract as XofTurboShake128::expand_many): for every request r,
  /// r.out = XofHmacSha256Aes128(r.seed, r.dst, r.binder[0] ‖ r.binder[1]).next_vec(len(r.out)).
  /// @throws invalid_argument if a seed is not 32 bytes or a dst longer than 255 (before writing
  /// anything). Constant-time except for the (public, negligibly likely) rejection events.
  /// @tparam F  the field to sample.
  /// @param reqs  the requests (any number); each r.out receives r.out.size() elements.
  template <Field F>
  static void expand_many(std::span<const XofExpandRequest<F>> reqs) {
    for (const auto& r : reqs) {
      VDAF_ARG_CHECK(r.seed.size() == SEED_SIZE, "XofHmacSha256Aes128: seed must be 32 bytes");
      VDAF_ARG_CHECK(r.dst.size() <= MAX_DST_SIZE,
                     "XofHmacSha256Aes128: dst longer than 255 bytes");
    }
    for (const auto& r : reqs) {
      XofHmacSha256Aes128 x(r.seed, r.dst, {r.binder[0], r.binder[1]});
      x.template next_vec_into<F>(r.out);
    }
  }

  /// Which AES-128 implementation this build uses (see XofFixedKeyAes128::aes_backend).
  /// @return a static, human-readable description (for logs and benchmarks). noexcept.
  static const char* aes_backend() noexcept {
#if VDAF_AES128_HWY
    return "AES instructions via Highway";
#else
    return "portable bitsliced table-free AES";
#endif
  }

 private:
  XofHmacSha256Aes128() noexcept = default;
  static constexpr std::size_t BLOCK = 16;
  static std::uint64_t load_be64(const std::uint8_t* p) noexcept {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
    return v;
  }
  static void store_be64(std::uint8_t* p, std::uint64_t v) noexcept {
    for (int i = 7; i >= 0; --i, v >>= 8) p[i] = static_cast<std::uint8_t>(v);
  }
  /// Writes the next `blocks` keystream blocks to p (counter blocks, then AES in place).
  void fill(std::uint8_t* p, std::size_t blocks) noexcept {
    for (std::size_t i = 0; i < blocks; ++i) {
      std::memcpy(p + BLOCK * i, nonce_, 8);
      store_be64(p + BLOCK * i + 8, counter_ + i);  // wraps modulo 2^64 (Ctr64BE)
    }
    detail::Aes128Backend::encrypt(sched_, p, p, blocks);
    counter_ += blocks;
  }

  crypto_auth_hmacsha256_state mac_{};
  detail::Aes128Backend::Schedule sched_{};
  std::uint8_t nonce_[8] = {};   // tag[16..24): the fixed half of the counter block
  std::uint64_t counter_ = 0;    // the counter of the next block to compute
  std::size_t buf_pos_ = BLOCK;  // bytes of buf_ already served (BLOCK: empty)
  std::uint8_t buf_[BLOCK] = {};
};

VDAF_END_NAMESPACE
