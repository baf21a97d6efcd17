// Operations every XOF of draft-irtf-cfrg-vdaf-20 §6.2 derives from `next`:
// next_vec (rejection sampling), derive_seed and expand_into_vec.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "vdaf/core/bytes.hpp"
#include "vdaf/ct/ct.hpp"
#include "vdaf/ct/poison.hpp"
#include "vdaf/detail/simd/field128_ifma.hpp"
#include "vdaf/field/field.hpp"

VDAF_BEGIN_NAMESPACE

/// The rejection sampling of §6.2 next_vec on `count` samples read from `in` (count ·
/// ENCODED_SIZE bytes): the accepted ones are written to out[0], out[1], …, in order; returns
/// how many (count, but for a rejected sample: probability about 2^−32 per Field64 sample,
/// 2^−59 per Field128 sample, 2^−251 per Field255 sample). `out` must have room for `count`
/// elements (all of them are written to). The common case is one branch-free pass (which the
/// compiler vectorises; Field128 with AVX-512 IFMA: eight samples per pass through
/// detail::ntt128_ifma::decode8, the Montgomery conversions in vector lanes); a rejection, a
/// public event, redoes the chunk sample by sample.
/// Constant-time except for the (public) rejection events.
/// @tparam F  the field sampled.
/// @param in  count · F::ENCODED_SIZE bytes of XOF output.
/// @param count  the number of samples in `in`.
/// @param out  receives the accepted samples; room for `count` elements.
/// @return the number of accepted samples written to out.
template <Field F>
std::size_t sample_chunk(const std::uint8_t* in, std::size_t count, F* out) noexcept {
  std::uint64_t rejected = 0;
  std::size_t first = 0;
#if VDAF_NTT128_IFMA
  if constexpr (std::is_same_v<F, Field128>) {
    for (; first + 8 <= count; first += 8)
      rejected |= detail::ntt128_ifma::decode8(in + first * F::ENCODED_SIZE, out + first);
  }
#endif
  for (std::size_t i = first; i < count; ++i)
    rejected |= F::sample_from(in + i * F::ENCODED_SIZE, out[i]);
  if (ct::declassify(rejected) == 0) return count;  // public: whether any sample was rejected
  std::size_t d = 0;
  for (std::size_t i = 0; i < count; ++i) {
    F x;
    // The rejection event is public (§6.2); the sample stays secret.
    if (ct::declassify(F::sample_from(in + i * F::ENCODED_SIZE, x)) == 0) out[d++] = x;
  }
  return d;
}

/// Samples `out.size()` field elements from a byte stream by rejection
/// sampling (§6.2 `next_vec`): read ENCODED_SIZE bytes, mask to the next power
/// of two above p (a no-op for Field64/Field128; bit 255 for Field255), accept
/// if < p (`F::sample_from`). Rejected samples consume bytes. `next` is any
/// callable filling a byte span.
/// Constant-time except for the (public, negligibly likely) rejection events.
/// The staging buffer (at most 64·ENCODED_SIZE bytes) is wiped before returning.
/// @tparam F  the field to sample.
/// @tparam NextFn  callable as `next(std::span<std::uint8_t>)`, writing the next bytes of the
///                 stream into the span (an XOF's `next`).
/// @param next  the byte stream; called with up to 64·F::ENCODED_SIZE bytes at a time.
/// @param out  receives `out.size()` field elements (any length, including 0).
template <Field F, class NextFn>
void next_vec_from(NextFn&& next, std::span<F> out) {
  constexpr std::size_t kBatch = 64;
  std::uint8_t buf[kBatch * F::ENCODED_SIZE];
  std::size_t i = 0;
  while (i < out.size()) {
    std::size_t want = out.size() - i < kBatch ? out.size() - i : kBatch;
    next(std::span<std::uint8_t>(buf, want * F::ENCODED_SIZE));
    i += sample_chunk<F>(buf, want, out.data() + i);
  }
  secure_zero(buf, sizeof buf);
}

/// The §6.2 helpers shared by every XOF `X` (CRTP): `X` provides `SEED_SIZE`,
/// a constructor `X(seed, dst, binder)` and `next(std::span<std::uint8_t>)`.
template <class X>
class XofOps {
 public:
  /// `n` field elements by rejection sampling (§6.2 next_vec). Constant-time
  /// except for the (public, negligibly likely) rejection events.
  /// @tparam F  the field to sample.
  /// @param n  number of elements (any, including 0; the spec requires n > 0).
  /// @return the next `n` elements of F read from this stream.
  template <Field F>
  std::vector<F> next_vec(std::size_t n) {
    std::vector<F> v(n);
    next_vec_into<F>(std::span<F>(v));
    return v;
  }
  /// Fills `out` by rejection sampling (§6.2 next_vec), without allocating.
  /// Constant-time except for the (public, negligibly likely) rejection events.
  /// @tparam F  the field to sample.
  /// @param out  receives the next `out.size()` elements of F read from this stream.
  template <Field F>
  void next_vec_into(std::span<F> out) {
    X& self = static_cast<X&>(*this);
    next_vec_from<F>([&self](std::span<std::uint8_t> b) { self.next(b); }, out);
  }
  /// First SEED_SIZE bytes of the stream (§6.2 derive_seed). Constant-time.
  /// @param seed  the seed, normally SEED_SIZE bytes (the lengths accepted are the XOF's).
  /// @param dst  the domain-separation tag (§6.2.3).
  /// @param binder  the binder string (§6.2.3; any length unless the XOF says otherwise).
  /// @return a fresh seed of X::SEED_SIZE bytes.
  /// @throws invalid_argument on a seed or dst the XOF does not accept.
  static Bytes derive_seed(ByteSpan seed, ByteSpan dst, ByteSpan binder) {
    X x(seed, dst, binder);
    Bytes out(X::SEED_SIZE);
    x.next(out);
    return out;
  }
  /// `n` elements of `F` from a fresh stream (§6.2 expand_into_vec): X(seed, dst,
  /// binder).next_vec(n). Constant-time except for the (public, negligibly likely) rejection
  /// events.
  /// @tparam F  the field to sample.
  /// @param seed  the seed, normally SEED_SIZE bytes (the lengths accepted are the XOF's).
  /// @param dst  the domain-separation tag (§6.2.3).
  /// @param binder  the binder string (§6.2.3).
  /// @param n  number of elements (any, including 0; the spec requires n > 0).
  /// @return the first `n` elements of F sampled from the stream.
  /// @throws invalid_argument on a seed or dst the XOF does not accept.
  template <Field F>
  static std::vector<F> expand_into_vec(ByteSpan seed, ByteSpan dst, ByteSpan binder,
                                        std::size_t n) {
    X x(seed, dst, binder);
    return x.template next_vec<F>(n);
  }
};

VDAF_END_NAMESPACE
