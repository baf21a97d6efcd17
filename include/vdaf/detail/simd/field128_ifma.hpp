// Field128 arithmetic in AVX-512 IFMA registers, eight elements per __m512i triple: the
// 52-bit-limb Montgomery multiplication shared by the NTT kernels of ntt128_ifma.hpp, the bulk
// decoding/sampling of Field128 (decode8, used by sample_chunk in include/vdaf/xof/xof.hpp) and
// the lane type of field128x8.hpp (FlpBBCGGI19::query_lanes).
//
// Not API. VDAF_NTT128_IFMA == 1 when the compile flags enable AVX-512F and AVX-512 IFMA
// (-march=native on Zen 4 / Ice Lake and later, -mavx512ifma) and neither VDAF_NO_SIMD nor
// VDAF_NO_NTT128_IFMA (these kernels only, for A/B timing) is defined; otherwise 0 and nothing
// here is compiled (callers keep the scalar code). Static dispatch: every translation unit of a
// program must use the same flags.
//
// Arithmetic. p = 2^128 − 28·2^64 + 1. A value x is held in three 52-bit limbs
// x = l0 + l1·2^52 + l2·2^104 (one __m512i per limb, one element per lane); "normalised" means
// l0, l1 < 2^52 and 0 <= l2 < 2^52. mont52(a, b) = a·b·2^−156 mod p (Montgomery with radix 2^156;
// p ≡ 1 mod 2^52, so the quotient digit is m = −t mod 2^52, no multiply). For a, b < 2^156 the
// result is < a·b/2^156 + p, so < 2p when one factor is a constant < p and the other < 2^156.
// The scalar twins are Field128's own operations; tests/polynomial/ntt_ifma_test.cpp compares
// them.
//
// Constant-time: yes. No branch or memory index depends on the data.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vdaf/config.hpp"

#if defined(__AVX512IFMA__) && defined(__AVX512F__) && !defined(VDAF_NO_SIMD) && \
    !defined(VDAF_NO_NTT128_IFMA)
#define VDAF_NTT128_IFMA 1
#else
#define VDAF_NTT128_IFMA 0
#endif

#if VDAF_NTT128_IFMA
#include <immintrin.h>

#include "vdaf/field/field.hpp"

VDAF_BEGIN_NAMESPACE
namespace detail::ntt128_ifma {

inline constexpr std::uint64_t kMask52 = (std::uint64_t{1} << 52) - 1;
inline constexpr std::uint64_t kP1 = 0xFFFFFFFFE4000ULL;  // limb 1 of p (limb 0 is 1)
inline constexpr std::uint64_t kP2 = 0xFFFFFFULL;         // limb 2 of p

static_assert(sizeof(Field128) == 16, "Field128 must be two 64-bit words (lo, hi)");

struct Limbs3 {
  std::uint64_t l[3];
};

/// Limbs of a 128-bit integer (lo, hi words).
inline Limbs3 limbs_of(std::uint64_t lo, std::uint64_t hi) noexcept {
  return {{lo & kMask52, ((lo >> 52) | (hi << 12)) & kMask52, hi >> 40}};
}

/// The stored form of a Field128 constant c: c·2^28 in Montgomery form, i.e. the
/// integer c·2^156 mod p (see the header comment).
inline Limbs3 stored(const Field128& c) noexcept {
  const Field128 s = c * Field128::from_u64(std::uint64_t{1} << 28);
  return limbs_of(s.lo, s.hi);
}

/// Normalised limbs of 2^e·p for e < 64 (public constants).
inline Limbs3 p_times_pow2(unsigned e) noexcept {
  // p·2^e as three 64-bit words, then cut into 52-bit limbs (the top limb keeps the rest).
  const std::uint64_t w0 = 1, w1 = Field128::P1;
  std::uint64_t x0, x1, x2;
  if (e == 0) {
    x0 = w0, x1 = w1, x2 = 0;
  } else {
    x0 = w0 << e;
    x1 = (w1 << e) | (w0 >> (64 - e));
    x2 = w1 >> (64 - e);
  }
  return {{x0 & kMask52, ((x0 >> 52) | (x1 << 12)) & kMask52, (x1 >> 40) | (x2 << 24)}};
}

// Shifts through the zero-masking forms: g++ 12 warns (-Wmaybe-uninitialized) inside the
// unmasked ones of its <immintrin.h>; same instructions.
VDAF_ALWAYS_INLINE __m512i srli(__m512i a, unsigned k) noexcept {
  return _mm512_maskz_srli_epi64(static_cast<__mmask8>(0xFF), a, k);
}
VDAF_ALWAYS_INLINE __m512i slli(__m512i a, unsigned k) noexcept {
  return _mm512_maskz_slli_epi64(static_cast<__mmask8>(0xFF), a, k);
}
VDAF_ALWAYS_INLINE __m512i srai(__m512i a, unsigned k) noexcept {
  return _mm512_maskz_srai_epi64(static_cast<__mmask8>(0xFF), a, k);
}

/// A value of 8 lanes in three limbs.
struct V {
  __m512i l0, l1, l2;
};

VDAF_ALWAYS_INLINE V bcast(const Limbs3& c) noexcept {
  return {_mm512_set1_epi64(static_cast<long long>(c.l[0])),
          _mm512_set1_epi64(static_cast<long long>(c.l[1])),
          _mm512_set1_epi64(static_cast<long long>(c.l[2]))};
}

VDAF_ALWAYS_INLINE V load(const std::uint64_t* p) noexcept {
  return {_mm512_load_si512(p), _mm512_load_si512(p + 8), _mm512_load_si512(p + 16)};
}
VDAF_ALWAYS_INLINE void store(std::uint64_t* p, const V& v) noexcept {
  _mm512_store_si512(p, v.l0);
  _mm512_store_si512(p + 8, v.l1);
  _mm512_store_si512(p + 16, v.l2);
}

/// Carry propagation with signed limbs: the result is normalised when the value is in
/// [0, 2^156).
VDAF_ALWAYS_INLINE V norm(V v) noexcept {
  const __m512i m = _mm512_set1_epi64(static_cast<long long>(kMask52));
  v.l1 = _mm512_add_epi64(v.l1, srai(v.l0, 52));
  v.l0 = _mm512_and_si512(v.l0, m);
  v.l2 = _mm512_add_epi64(v.l2, srai(v.l1, 52));
  v.l1 = _mm512_and_si512(v.l1, m);
  return v;
}

/// The IFMA input form of a value in [0, 2^156) with signed limbs: carries propagated with
/// arithmetic shifts, the low limbs left unmasked (the multiply-adds read only their low 52
/// bits, which are the normalised limbs).
VDAF_ALWAYS_INLINE V mul_input(V v) noexcept {
  v.l1 = _mm512_add_epi64(v.l1, srai(v.l0, 52));
  v.l2 = _mm512_add_epi64(v.l2, srai(v.l1, 52));
  return v;
}

VDAF_ALWAYS_INLINE V add(const V& a, const V& b) noexcept {
  return {_mm512_add_epi64(a.l0, b.l0), _mm512_add_epi64(a.l1, b.l1), _mm512_add_epi64(a.l2, b.l2)};
}
/// a − b + c (limbwise; normalise afterwards).
VDAF_ALWAYS_INLINE V sub_plus(const V& a, const V& b, const V& c) noexcept {
  return {_mm512_sub_epi64(_mm512_add_epi64(a.l0, c.l0), b.l0),
          _mm512_sub_epi64(_mm512_add_epi64(a.l1, c.l1), b.l1),
          _mm512_sub_epi64(_mm512_add_epi64(a.l2, c.l2), b.l2)};
}

#define VDAF_IFMA_LO(acc, x, y) acc = _mm512_madd52lo_epu64(acc, x, y)
#define VDAF_IFMA_HI(acc, x, y) acc = _mm512_madd52hi_epu64(acc, x, y)

/// mont52(a, b) = a·b·2^−156 mod p for a, b < 2^156 given as "IFMA inputs": limbs whose low 52
/// bits are the limbs of the value (the multiply-adds ignore bits 52..63; see mul_input) with
/// 0 <= l2 < 2^52. The result (< a·b/2^156 + p) is returned unnormalised: three non-negative
/// columns, each < 2^55 (at most eight 52-bit halves plus small carries per column).
VDAF_ALWAYS_INLINE V mont_raw(const V& a, const V& b) noexcept {
  const __m512i z = _mm512_setzero_si512();
  const __m512i m52 = _mm512_set1_epi64(static_cast<long long>(kMask52));
  const __m512i p1 = _mm512_set1_epi64(static_cast<long long>(kP1));
  const __m512i p2 = _mm512_set1_epi64(static_cast<long long>(kP2));
  // Product columns t_i (weights 2^(52 i)), the high halves in separate accumulators u_i to
  // shorten the dependency chains.
  __m512i t0 = z, t1 = z, t2 = z, t3 = z, t4 = z, t5 = z;
  __m512i u1 = z, u2 = z, u3 = z, u4 = z;
  VDAF_IFMA_LO(t0, a.l0, b.l0);
  VDAF_IFMA_LO(t1, a.l0, b.l1);
  VDAF_IFMA_LO(t2, a.l0, b.l2);
  VDAF_IFMA_HI(u1, a.l0, b.l0);
  VDAF_IFMA_HI(u2, a.l0, b.l1);
  VDAF_IFMA_HI(u3, a.l0, b.l2);
  VDAF_IFMA_LO(t1, a.l1, b.l0);
  VDAF_IFMA_LO(t2, a.l1, b.l1);
  VDAF_IFMA_LO(t3, a.l1, b.l2);
  VDAF_IFMA_HI(u2, a.l1, b.l0);
  VDAF_IFMA_HI(u3, a.l1, b.l1);
  VDAF_IFMA_HI(u4, a.l1, b.l2);
  VDAF_IFMA_LO(t2, a.l2, b.l0);
  VDAF_IFMA_LO(t3, a.l2, b.l1);
  VDAF_IFMA_LO(t4, a.l2, b.l2);
  VDAF_IFMA_HI(u3, a.l2, b.l0);
  VDAF_IFMA_HI(u4, a.l2, b.l1);
  VDAF_IFMA_HI(t5, a.l2, b.l2);
  // Three reduction steps: m = −t_i mod 2^52 (p0 = 1; the multiply-adds read only the low 52
  // bits of m = −t_i), t += m·p·2^(52 i). t_i + m is the multiple of 2^52 just above or at t_i,
  // so the carry into column i+1 is (t_i + 2^52 − 1) >> 52.
  __m512i m;
  t1 = _mm512_add_epi64(t1, u1);
  m = _mm512_sub_epi64(z, t0);
  t1 = _mm512_add_epi64(t1, srli(_mm512_add_epi64(t0, m52), 52));
  VDAF_IFMA_LO(t1, m, p1);
  VDAF_IFMA_HI(u2, m, p1);
  VDAF_IFMA_LO(u2, m, p2);
  VDAF_IFMA_HI(u3, m, p2);
  t2 = _mm512_add_epi64(t2, u2);
  m = _mm512_sub_epi64(z, t1);
  t2 = _mm512_add_epi64(t2, srli(_mm512_add_epi64(t1, m52), 52));
  VDAF_IFMA_LO(t2, m, p1);
  VDAF_IFMA_HI(u3, m, p1);
  VDAF_IFMA_LO(u3, m, p2);
  VDAF_IFMA_HI(u4, m, p2);
  t3 = _mm512_add_epi64(t3, u3);
  m = _mm512_sub_epi64(z, t2);
  t3 = _mm512_add_epi64(t3, srli(_mm512_add_epi64(t2, m52), 52));
  VDAF_IFMA_LO(t3, m, p1);
  VDAF_IFMA_HI(u4, m, p1);
  VDAF_IFMA_LO(u4, m, p2);
  VDAF_IFMA_HI(t5, m, p2);
  t4 = _mm512_add_epi64(t4, u4);
  return {t3, t4, t5};
}

/// mont_raw with a normalised result.
VDAF_ALWAYS_INLINE V mont(const V& a, const V& b) noexcept { return norm(mont_raw(a, b)); }

#undef VDAF_IFMA_LO
#undef VDAF_IFMA_HI

/// Limbs of 8 Field128 words given as lo and hi lanes.
VDAF_ALWAYS_INLINE V to_limbs(__m512i lo, __m512i hi) noexcept {
  const __m512i m52 = _mm512_set1_epi64(static_cast<long long>(kMask52));
  return {_mm512_and_si512(lo, m52),
          _mm512_and_si512(_mm512_or_si512(srli(lo, 52), slli(hi, 12)), m52), srli(hi, 40)};
}

/// The Field128 lo/hi words of a normalised value r < 2p: r − p where that is non-negative,
/// else r (a lane-wise select, no branch).
VDAF_ALWAYS_INLINE void below_p_words(V r, __m512i& lo, __m512i& hi) noexcept {
  const V pl = bcast(p_times_pow2(0));
  const V s = norm(
      sub_plus(r, pl, V{_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512()}));
  const __mmask8 neg = _mm512_cmplt_epi64_mask(s.l2, _mm512_setzero_si512());  // r < p
  r.l0 = _mm512_mask_blend_epi64(neg, s.l0, r.l0);
  r.l1 = _mm512_mask_blend_epi64(neg, s.l1, r.l1);
  r.l2 = _mm512_mask_blend_epi64(neg, s.l2, r.l2);
  lo = _mm512_or_si512(r.l0, slli(r.l1, 52));
  hi = _mm512_or_si512(srli(r.l1, 12), slli(r.l2, 40));
}

/// The canonical value (< p) of a value < 2^156 in IFMA input form (mul_input), as Field128
/// lo/hi words.
/// `one` = bcast(stored(Field128::one())).
VDAF_ALWAYS_INLINE void canonical(const V& x, const V& one, __m512i& lo, __m512i& hi) noexcept {
  below_p_words(mont(x, one), lo, hi);  // mont(x, one) < 2p
}

/// 2^284 mod p in limbs: mont52(x, kToMont) = x·2^128 mod p, the Field128 Montgomery form of x.
inline constexpr Limbs3 kToMont = {{0xfffcf10000000ULL, 0x587ffffffffffULL, 0x5ULL}};

/// Decodes 8 Field128 encodings (16 little-endian bytes each: 128 bytes at `in`) into out[0..8),
/// exactly as Field128::decode_from does one by one: out[i] is the value reduced mod p, in
/// Montgomery form. Returns a bit mask, bit i set iff encoding i is >= p (non-canonical, or a
/// rejected sample of §6.2). Little-endian hosts only (x86). Constant-time: the mask is computed
/// with lane compares, never branched on here.
/// @param in  128 readable bytes.
/// @param out  8 writable elements (may not overlap `in`).
/// @return the mask of encodings >= p (0..255).
VDAF_ALWAYS_INLINE std::uint64_t decode8(const std::uint8_t* in, Field128* out) noexcept {
  const __m512i a = _mm512_loadu_si512(in), b = _mm512_loadu_si512(in + 64);
  const __m512i even = _mm512_set_epi64(14, 12, 10, 8, 6, 4, 2, 0);
  const __m512i odd = _mm512_set_epi64(15, 13, 11, 9, 7, 5, 3, 1);
  const __m512i lo = _mm512_permutex2var_epi64(a, even, b);
  const __m512i hi = _mm512_permutex2var_epi64(a, odd, b);
  // x >= p  <=>  hi > P1, or hi == P1 and lo >= 1 (p's low word is 1).
  const __m512i p1 = _mm512_set1_epi64(static_cast<long long>(Field128::P1));
  const __mmask8 bad =
      _mm512_cmpgt_epu64_mask(hi, p1) |
      (_mm512_cmpeq_epu64_mask(hi, p1) & _mm512_cmpneq_epu64_mask(lo, _mm512_setzero_si512()));
  // x < 2^128 and kToMont < p, so the product is < 2p (see mont_raw); one conditional
  // subtraction gives the canonical Montgomery form.
  __m512i rlo, rhi;
  below_p_words(mont(to_limbs(lo, hi), bcast(kToMont)), rlo, rhi);
  _mm512_storeu_si512(
      out, _mm512_permutex2var_epi64(rlo, _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0), rhi));
  _mm512_storeu_si512(
      out + 4, _mm512_permutex2var_epi64(rlo, _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4), rhi));
  return static_cast<std::uint64_t>(bad);
}

}  // namespace detail::ntt128_ifma
VDAF_END_NAMESPACE

#endif  // VDAF_NTT128_IFMA
