// Eight Field128 elements in AVX-512 IFMA lanes, as a value type with field arithmetic: what
// FlpBBCGGI19::query_lanes uses to run the FLP query of eight reports at once (one report per
// lane, structure-of-arrays), with the limb arithmetic of field128_ifma.hpp.
//
// Not API. Compiled only when VDAF_NTT128_IFMA == 1 (see field128_ifma.hpp); callers keep the
// one-report-at-a-time code otherwise.
//
// Representation. Lane i holds the "stored" form of its element c: the integer c·2^156 mod p
// (field128_ifma.hpp's radix), in three normalised 52-bit limbs, kept below 2p after every
// operation (so every value is a valid IFMA multiplication input, and mont52 of two such values
// is again < 2p). Loading from Field128 (Montgomery words c·2^128) multiplies by 2^184 mod p;
// storing multiplies by 2^128 mod p and subtracts p where needed (canonical words).
//
// The scalar twin of every operation is Field128's own; tests/polynomial/ntt_ifma_test.cpp
// compares them lane by lane.
//
// Constant-time: yes. No branch or memory index depends on the data; comparisons return lane
// masks, which only the caller's public verdicts read.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vdaf/detail/simd/field128_ifma.hpp"

#if VDAF_NTT128_IFMA

VDAF_BEGIN_NAMESPACE
namespace detail::ntt128_ifma {

/// The canonical limbs of the integer x mod p for a Field128 element x's integer value (public
/// constants only: the conversion factors below).
inline Limbs3 int_limbs(const Field128& x) noexcept {
  const uint128 v = x.as_int();
  return limbs_of(static_cast<std::uint64_t>(v), static_cast<std::uint64_t>(v >> 64));
}

/// x < 4p (normalised limbs, top limb may exceed 2^52 only by the value's bound) reduced below
/// 2p: x − 2p where that is non-negative, else x (lane-wise select).
VDAF_ALWAYS_INLINE V reduce_2p(const V& x) noexcept {
  const __m512i z = _mm512_setzero_si512();
  const V d = norm(sub_plus(x, bcast(p_times_pow2(1)), V{z, z, z}));
  const __mmask8 neg = _mm512_cmplt_epi64_mask(d.l2, z);
  return {_mm512_mask_blend_epi64(neg, d.l0, x.l0), _mm512_mask_blend_epi64(neg, d.l1, x.l1),
          _mm512_mask_blend_epi64(neg, d.l2, x.l2)};
}

/// Transposes the 8×8 matrix of 64-bit words whose rows are m[0..8) (in place): row i becomes
/// column i. Three rounds of eight shuffles (unpack, then 256-bit and 128-bit halves).
VDAF_ALWAYS_INLINE void transpose8(__m512i* m) noexcept {
  constexpr __mmask8 kAll = 0xFF;  // zero-masking forms: see Field128x8
  __m512i a[8], b[8];
  for (std::size_t i = 0; i < 8; i += 2) {
    a[i] = _mm512_maskz_unpacklo_epi64(kAll, m[i], m[i + 1]);      // words 0, 2, 4, 6 of i, i+1
    a[i + 1] = _mm512_maskz_unpackhi_epi64(kAll, m[i], m[i + 1]);  // words 1, 3, 5, 7
  }
  for (std::size_t i = 0; i < 8; i += 4) {
    for (std::size_t h = 0; h < 2; ++h) {
      b[i + h] = _mm512_maskz_shuffle_i64x2(kAll, a[i + h], a[i + 2 + h], 0x88);      // h, h+4
      b[i + 2 + h] = _mm512_maskz_shuffle_i64x2(kAll, a[i + h], a[i + 2 + h], 0xDD);  // h+2, h+6
    }
  }
  for (std::size_t c = 0; c < 4; ++c) {
    m[c] = _mm512_maskz_shuffle_i64x2(kAll, b[c], b[4 + c], 0x88);
    m[c + 4] = _mm512_maskz_shuffle_i64x2(kAll, b[c], b[4 + c], 0xDD);
  }
}

/// Eight Field128 elements, one per lane (see the header comment). Value-initialised to zero.
/// (The shuffles and gathers take their zero-masking or merging forms with every lane selected:
/// g++ 12 warns, -Wuninitialized, inside the plain forms of its <immintrin.h>; same results.)
struct Field128x8 {
  static constexpr __mmask8 kAll = 0xFF;
  V v;

  /// The factor that takes Montgomery words c·2^128 (< p) to the stored form: 2^184 mod p
  /// (mont52(w, 2^184) = c·2^156 mod p, below 2p). Public constant.
  static const Limbs3& to_stored() noexcept {
    static const Limbs3 k = int_limbs(Field128::from_u64(2).pow(184));
    return k;
  }
  /// The factor that takes the stored form back to Montgomery words: 2^128 mod p
  /// (mont52(c·2^156, 2^128) = c·2^128 mod p, below 2p). Public constant.
  static const Limbs3& from_stored() noexcept {
    static const Limbs3 k = int_limbs(Field128::from_u64(2).pow(128));
    return k;
  }

  /// The stored form of 1 (2^156 mod p): multiplying by it reduces below 2p. Public constant.
  static const Limbs3& stored_one() noexcept {
    static const Limbs3 k = stored(Field128::one());
    return k;
  }

  /// All lanes 0.
  static Field128x8 zero() noexcept {
    const __m512i z = _mm512_setzero_si512();
    return {V{z, z, z}};
  }
  /// All lanes c.
  static Field128x8 splat(const Field128& c) noexcept { return {bcast(stored(c))}; }
  /// All lanes 1.
  static Field128x8 one() noexcept { return {bcast(stored_one())}; }

  friend Field128x8 operator+(const Field128x8& a, const Field128x8& b) noexcept {
    return {reduce_2p(norm(add(a.v, b.v)))};
  }
  friend Field128x8 operator-(const Field128x8& a, const Field128x8& b) noexcept {
    return {reduce_2p(norm(sub_plus(a.v, b.v, bcast(p_times_pow2(1)))))};  // a − b + 2p < 4p
  }
  friend Field128x8 operator*(const Field128x8& a, const Field128x8& b) noexcept {
    return {mont(a.v, b.v)};  // a, b < 2p: the product is < 2p
  }
  Field128x8 operator-() const noexcept { return zero() - *this; }
  Field128x8& operator+=(const Field128x8& b) noexcept { return *this = *this + b; }
  Field128x8& operator-=(const Field128x8& b) noexcept { return *this = *this - b; }
  Field128x8& operator*=(const Field128x8& b) noexcept { return *this = *this * b; }

  /// The DIF butterfly of detail::ntt_dif: (ox, oy) = (x + y, (x − y)·w), the difference fed
  /// to the multiplication unreduced (x − y + 2p < 4p). Outputs may alias the inputs.
  static void bfly_dif(const Field128x8& x, const Field128x8& y, Field128x8& ox, Field128x8& oy,
                       const Field128x8& w) noexcept {
    const V d = norm(sub_plus(x.v, y.v, bcast(p_times_pow2(1))));
    ox = x + y;
    oy = {mont(d, w.v)};
  }

  /// Σ_{i<n} term(i): the terms (limbs non-negative, small enough that CHUNK of them stay
  /// below 2^63 and their value below 2^156) added limbwise CHUNK at a time, each chunk
  /// normalised and reduced below 2p by a Montgomery product with the stored 1.
  template <std::size_t CHUNK, class Term>
  VDAF_ALWAYS_INLINE static Field128x8 sum_terms(std::size_t n, const Term& term) noexcept {
    const __m512i z = _mm512_setzero_si512();
    const V one = bcast(stored_one());
    Field128x8 total = zero();
    for (std::size_t i0 = 0; i0 < n; i0 += CHUNK) {
      const std::size_t i1 = n - i0 < CHUNK ? n : i0 + CHUNK;
      V acc{z, z, z};
      for (std::size_t i = i0; i < i1; ++i) acc = add(acc, term(i));
      total += Field128x8{mont(norm(acc), one)};
    }
    return total;
  }

  /// The lanes equal to c (bit i set iff lane i == c).
  std::uint32_t lanes_equal(const Field128& c) const noexcept {
    __m512i lo, hi;
    below_p_words(v, lo, hi);  // canonical stored words (v < 2p)
    const Limbs3 s = stored(c);
    __m512i clo, chi;
    below_p_words(bcast(s), clo, chi);
    return static_cast<std::uint32_t>(_mm512_cmpeq_epu64_mask(lo, clo) &
                                      _mm512_cmpeq_epu64_mask(hi, chi));
  }

  /// Lane i = ptrs[i][index] for i < 8 (all eight pointers must be readable at `index`).
  static Field128x8 gather(const Field128* const* ptrs, std::size_t index) noexcept {
    const __m512i addr = _mm512_add_epi64(_mm512_loadu_si512(ptrs),
                                          _mm512_set1_epi64(static_cast<long long>(index * 16)));
    const __m512i z = _mm512_setzero_si512();
    const __m512i lo =
        _mm512_mask_i64gather_epi64(z, kAll, addr, static_cast<const void*>(nullptr), 1);
    const __m512i hi =
        _mm512_mask_i64gather_epi64(z, kAll, _mm512_add_epi64(addr, _mm512_set1_epi64(8)),
                                    static_cast<const void*>(nullptr), 1);
    // Montgomery words c·2^128 (< p) times 2^184 mod p, over 2^156: c·2^156 mod p, < 2p.
    return {mont(to_limbs(lo, hi), bcast(to_stored()))};
  }
  /// out[e] lane i = ptrs[i][index + e] for e < 4 and i < 8 (all eight pointers readable at
  /// index..index+3): one 64-byte load per pointer and an 8×8 transpose of 64-bit words, where
  /// gather() needs two gathers per element.
  static void gather4(const Field128* const* ptrs, std::size_t index, Field128x8* out) noexcept {
    __m512i col[8];
    for (std::size_t i = 0; i < 8; ++i) col[i] = _mm512_loadu_si512(ptrs[i] + index);
    // Row i holds (lo, hi) of elements index..index+3 of lane i; column c of the 8×8 matrix is
    // word c of every lane: lo of element c/2 for even c, hi for odd c.
    transpose8(col);
    const V k = bcast(to_stored());
    for (std::size_t e = 0; e < 4; ++e) out[e] = {mont(to_limbs(col[2 * e], col[2 * e + 1]), k)};
  }
  /// out[e] lane i = ptrs[i][e] for e < n: gather4 while four elements remain, gather() after.
  static void gather_n(const Field128* const* ptrs, std::size_t n, Field128x8* out) noexcept {
    std::size_t e = 0;
    for (; e + 4 <= n; e += 4) gather4(ptrs, e, out + e);
    for (; e < n; ++e) out[e] = gather(ptrs, e);
  }

  /// Σ_{i<n} a[i] per lane, reduced once per 2048 terms: limbwise sums (each limb < 2^52, so
  /// below 2^63), normalised (value < 2^12·p < 2^141) and brought below 2p by a Montgomery
  /// product with the stored 1.
  static Field128x8 sum(const Field128x8* a, std::size_t n) noexcept {
    return sum_terms<2048>(n, [a](std::size_t i) { return a[i].v; });
  }
  /// Σ_{i<n} a[i]·b[i] per lane, reduced once per 64 terms instead of after every addition: the
  /// raw Montgomery products (three non-negative columns < 2^55 each) are summed limbwise,
  /// then normalised (value < 128p < 2^136) and brought below 2p by a Montgomery product
  /// with the stored 1.
  static Field128x8 dot(const Field128x8* a, const Field128x8* b, std::size_t n) noexcept {
    return sum_terms<64>(n, [a, b](std::size_t i) { return mont_raw(a[i].v, b[i].v); });
  }

  /// ptrs[i][index + e] = lane i of x[e] for e < 4 and the lanes i in `mask` (the others are not
  /// written): gather4's transpose backwards, one 64-byte store per lane. `mask` is public.
  static void scatter4(const Field128x8* x, Field128* const* ptrs, std::size_t index,
                       std::uint32_t mask) noexcept {
    const V k = bcast(from_stored());
    __m512i m[8];
    for (std::size_t e = 0; e < 4; ++e) below_p_words(mont(x[e].v, k), m[2 * e], m[2 * e + 1]);
    transpose8(m);
    for (std::size_t i = 0; i < 8; ++i) {
      if ((mask >> i) & 1) _mm512_storeu_si512(ptrs[i] + index, m[i]);
    }
  }
  /// ptrs[i][e] = lane i of x[e] for e < n and the lanes i in `mask`: scatter4 while four
  /// elements remain, scatter() after.
  static void scatter_n(const Field128x8* x, std::size_t n, Field128* const* ptrs,
                        std::uint32_t mask) noexcept {
    std::size_t e = 0;
    for (; e + 4 <= n; e += 4) scatter4(x + e, ptrs, e, mask);
    for (; e < n; ++e) x[e].scatter(ptrs, e, mask);
  }

  /// ptrs[i][index] = lane i for the lanes in `mask` (the others are not written).
  void scatter(Field128* const* ptrs, std::size_t index, std::uint32_t mask) const noexcept {
    __m512i lo, hi;
    below_p_words(mont(v, bcast(from_stored())), lo, hi);  // c·2^128 mod p, canonical
    const __m512i addr = _mm512_add_epi64(_mm512_loadu_si512(ptrs),
                                          _mm512_set1_epi64(static_cast<long long>(index * 16)));
    const __mmask8 m = static_cast<__mmask8>(mask);
    _mm512_mask_i64scatter_epi64(static_cast<void*>(nullptr), m, addr, lo, 1);
    _mm512_mask_i64scatter_epi64(static_cast<void*>(nullptr), m,
                                 _mm512_add_epi64(addr, _mm512_set1_epi64(8)), hi, 1);
  }
};

}  // namespace detail::ntt128_ifma
VDAF_END_NAMESPACE

#endif  // VDAF_NTT128_IFMA
