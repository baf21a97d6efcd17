// Multi-lane Keccak-p[1600, 12]: several independent states permuted at once, one 64-bit lane of
// each state per SIMD element. The fast path under the batch APIs of TurboShake128 and
// XofTurboShake128 (include/vdaf/xof/). Its scalar twin is detail/keccak_p1600.hpp (the test
// tests/xof/keccak_multi_test.cpp compares them on random states).
//
// Not API. Which path is compiled is decided by the target the user compiles for (static
// dispatch; every translation unit of a program must use the same flags):
//
// VDAF_KECCAK_X4 == 1 on x86 with AVX2 (-march=x86-64-v3, haswell, znver*, native, ...) unless
//   VDAF_NO_SIMD is defined: 4 states per pass in 256-bit registers. With AVX-512VL as well
//   (-march=x86-64-v4, skylake-avx512, znver4, native on such CPUs) rotations are vprolq and the
//   three-input XORs and chi are vpternlogq. Measured on Zen 4 (g++ 12 -O3 -march=native): one
//   4-state pass with the transposes in and out ~133 ns, against ~127 ns for one scalar
//   permutation.
// VDAF_KECCAK_X8 == 1 with AVX-512F as well: an 8-state kernel in 512-bit registers (tested, used
//   by keccak_p1600_12_multi only if VDAF_KECCAK_USE_X8 is defined, see there).
// Otherwise (default x86-64 flags, SSE2 only, other architectures) the "multi" entry point runs
//   the scalar permutation on each state in turn.
//
// Intrinsics rather than Highway: the kernel needs only XOR, AND-NOT, 64-bit rotations by
// constants and (when present) ternary logic, and Highway 1.0.3 exposes no ternary-logic op.
// Constant-time: yes (no data-dependent branches or indices).
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "vdaf/config.hpp"
#include "vdaf/detail/keccak_p1600.hpp"
#include "vdaf/detail/store_zeros.hpp"

#if !defined(VDAF_NO_SIMD) && (defined(__x86_64__) || defined(__i386__)) && defined(__AVX2__)
#include <immintrin.h>
#define VDAF_KECCAK_X4 1
#if defined(__AVX512F__)
#define VDAF_KECCAK_X8 1
#endif
#endif
#ifndef VDAF_KECCAK_X4
#define VDAF_KECCAK_X4 0
#endif
#ifndef VDAF_KECCAK_X8
#define VDAF_KECCAK_X8 0
#endif

VDAF_BEGIN_NAMESPACE

namespace detail {

namespace keccak_simd {

#if VDAF_KECCAK_X4
/// 4 lanes of 64 bits in a ymm register.
struct Ops4 {
  using V = __m256i;
  static constexpr std::size_t N = 4;
  static V load(const std::uint64_t* p) noexcept {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  }
  static void store(std::uint64_t* p, V v) noexcept {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v);
  }
  static V bcast(std::uint64_t x) noexcept { return _mm256_set1_epi64x(static_cast<long long>(x)); }
  static V xor2(V a, V b) noexcept { return _mm256_xor_si256(a, b); }
  /// 4x4 transpose of 64-bit elements (its own inverse).
  static void transpose(V& r0, V& r1, V& r2, V& r3) noexcept {
    const V t0 = _mm256_unpacklo_epi64(r0, r1), t1 = _mm256_unpackhi_epi64(r0, r1);
    const V t2 = _mm256_unpacklo_epi64(r2, r3), t3 = _mm256_unpackhi_epi64(r2, r3);
    r0 = _mm256_permute2x128_si256(t0, t2, 0x20);
    r1 = _mm256_permute2x128_si256(t1, t3, 0x20);
    r2 = _mm256_permute2x128_si256(t0, t2, 0x31);
    r3 = _mm256_permute2x128_si256(t1, t3, 0x31);
  }
  /// a[i] = lane i of the states p[0..3].
  static void gather(std::uint64_t* const* p, V (&a)[25]) noexcept {
    for (std::size_t g = 0; g < 24; g += 4) {
      V r0 = load(p[0] + g), r1 = load(p[1] + g), r2 = load(p[2] + g), r3 = load(p[3] + g);
      transpose(r0, r1, r2, r3);
      a[g] = r0;
      a[g + 1] = r1;
      a[g + 2] = r2;
      a[g + 3] = r3;
    }
    a[24] = _mm256_set_epi64x(static_cast<long long>(p[3][24]), static_cast<long long>(p[2][24]),
                              static_cast<long long>(p[1][24]), static_cast<long long>(p[0][24]));
  }
  /// Inverse of gather.
  static void scatter(std::uint64_t* const* p, const V (&a)[25]) noexcept {
    for (std::size_t g = 0; g < 24; g += 4) {
      V r0 = a[g], r1 = a[g + 1], r2 = a[g + 2], r3 = a[g + 3];
      transpose(r0, r1, r2, r3);
      store(p[0] + g, r0);
      store(p[1] + g, r1);
      store(p[2] + g, r2);
      store(p[3] + g, r3);
    }
    p[0][24] = static_cast<std::uint64_t>(_mm256_extract_epi64(a[24], 0));
    p[1][24] = static_cast<std::uint64_t>(_mm256_extract_epi64(a[24], 1));
    p[2][24] = static_cast<std::uint64_t>(_mm256_extract_epi64(a[24], 2));
    p[3][24] = static_cast<std::uint64_t>(_mm256_extract_epi64(a[24], 3));
  }
#if defined(__AVX512VL__)
  static V xor3(V a, V b, V c) noexcept { return _mm256_ternarylogic_epi64(a, b, c, 0x96); }
  /// a ^ (~b & c)
  static V chi(V a, V b, V c) noexcept { return _mm256_ternarylogic_epi64(a, b, c, 0xD2); }
  template <int K>
  static V rotl(V a) noexcept {
    return _mm256_rol_epi64(a, K);
  }
#else
  static V xor3(V a, V b, V c) noexcept { return _mm256_xor_si256(_mm256_xor_si256(a, b), c); }
  static V chi(V a, V b, V c) noexcept { return _mm256_xor_si256(a, _mm256_andnot_si256(b, c)); }
  template <int K>
  static V rotl(V a) noexcept {
    return _mm256_or_si256(_mm256_slli_epi64(a, K), _mm256_srli_epi64(a, 64 - K));
  }
#endif
};
#endif

#if VDAF_KECCAK_X8
/// 8 lanes of 64 bits in a zmm register.
struct Ops8 {
  using V = __m512i;
  static constexpr std::size_t N = 8;
  static V load(const std::uint64_t* p) noexcept { return _mm512_loadu_si512(p); }
  static void store(std::uint64_t* p, V v) noexcept { _mm512_storeu_si512(p, v); }
  static V bcast(std::uint64_t x) noexcept { return _mm512_set1_epi64(static_cast<long long>(x)); }
  static V xor2(V a, V b) noexcept { return _mm512_xor_si512(a, b); }
  static V xor3(V a, V b, V c) noexcept { return _mm512_ternarylogic_epi64(a, b, c, 0x96); }
  static V chi(V a, V b, V c) noexcept { return _mm512_ternarylogic_epi64(a, b, c, 0xD2); }
  /// (Zero-masking forms here and below: g++ 12 warns about the undefined pass-through of
  /// _mm512_rol_epi64.)
  template <int K>
  static V rotl(V a) noexcept {
    return _mm512_maskz_rol_epi64(static_cast<__mmask8>(0xFF), a, K);
  }
  /// a[i] = lane i of the states p[0..7]: states 0-3 in the low half, 4-7 in the high half.
  static void gather(std::uint64_t* const* p, V (&a)[25]) noexcept {
    Ops4::V lo[25], hi[25];
    Ops4::gather(p, lo);
    Ops4::gather(p + 4, hi);
    const auto m = static_cast<__mmask8>(0xFF);
    for (int i = 0; i < 25; ++i) {
      const __m512i z = _mm512_maskz_inserti64x4(m, _mm512_setzero_si512(), lo[i], 0);
      a[i] = _mm512_maskz_inserti64x4(m, z, hi[i], 1);
    }
  }
  /// Inverse of gather.
  static void scatter(std::uint64_t* const* p, const V (&a)[25]) noexcept {
    Ops4::V lo[25], hi[25];
    const auto m = static_cast<__mmask8>(0xFF);
    for (int i = 0; i < 25; ++i) {
      lo[i] = _mm512_maskz_extracti64x4_epi64(m, a[i], 0);
      hi[i] = _mm512_maskz_extracti64x4_epi64(m, a[i], 1);
    }
    Ops4::scatter(p, lo);
    Ops4::scatter(p + 4, hi);
  }
};
#endif

/// rotl by a compile-time amount, 0 allowed.
template <class O, int K>
VDAF_ALWAYS_INLINE typename O::V rot(typename O::V a) noexcept {
  if constexpr (K % 64 == 0) {
    return a;
  } else {
    return O::template rotl<K % 64>(a);
  }
}

/// Output row Y of rho, pi, chi (and iota for row 0, round constant rc), theta's d[x] folded in.
template <class O, int Y>
VDAF_ALWAYS_INLINE void row(const typename O::V (&a)[25], const typename O::V (&d)[5],
                            typename O::V (&e)[25], std::uint64_t rc) noexcept {
  using keccak::pi_source_x;
  using keccak::RHO;
  constexpr int x0 = pi_source_x(0, Y), x1 = pi_source_x(1, Y), x2 = pi_source_x(2, Y),
                x3 = pi_source_x(3, Y), x4 = pi_source_x(4, Y);
  const auto b0 = rot<O, RHO[x0 + 0]>(O::xor2(a[x0 + 0], d[x0]));
  const auto b1 = rot<O, RHO[x1 + 5]>(O::xor2(a[x1 + 5], d[x1]));
  const auto b2 = rot<O, RHO[x2 + 10]>(O::xor2(a[x2 + 10], d[x2]));
  const auto b3 = rot<O, RHO[x3 + 15]>(O::xor2(a[x3 + 15], d[x3]));
  const auto b4 = rot<O, RHO[x4 + 20]>(O::xor2(a[x4 + 20], d[x4]));
  if constexpr (Y == 0) {
    e[0] = O::xor2(O::chi(b0, b1, b2), O::bcast(rc));
  } else {
    e[5 * Y + 0] = O::chi(b0, b1, b2);
  }
  e[5 * Y + 1] = O::chi(b1, b2, b3);
  e[5 * Y + 2] = O::chi(b2, b3, b4);
  e[5 * Y + 3] = O::chi(b3, b4, b0);
  e[5 * Y + 4] = O::chi(b4, b0, b1);
}

/// One round with round constant rc: reads `a`, writes `e`.
template <class O>
VDAF_ALWAYS_INLINE void round(const typename O::V (&a)[25], typename O::V (&e)[25],
                              std::uint64_t rc) noexcept {
  typename O::V c[5], d[5];
  for (int x = 0; x < 5; ++x) {
    c[x] = O::xor3(O::xor3(a[x], a[x + 5], a[x + 10]), a[x + 15], a[x + 20]);
  }
  d[0] = O::xor2(c[4], rot<O, 1>(c[1]));
  d[1] = O::xor2(c[0], rot<O, 1>(c[2]));
  d[2] = O::xor2(c[1], rot<O, 1>(c[3]));
  d[3] = O::xor2(c[2], rot<O, 1>(c[4]));
  d[4] = O::xor2(c[3], rot<O, 1>(c[0]));
  row<O, 0>(a, d, e, rc);
  row<O, 1>(a, d, e, rc);
  row<O, 2>(a, d, e, rc);
  row<O, 3>(a, d, e, rc);
  row<O, 4>(a, d, e, rc);
}

/// The 12 rounds on O::N states held in registers.
template <class O>
VDAF_ALWAYS_INLINE void permute_registers(typename O::V (&a)[25]) noexcept {
  typename O::V t[25];
  // Two rounds per iteration, not unrolled: the whole permutation unrolled is ~10 KB of code,
  // which the rest of a caller's work (an IDPF eval, a report's XOF streams) evicts from the
  // op cache between calls; this loop is ~2 KB (see keccak_p1600_12).
  VDAF_NO_UNROLL
  for (std::size_t r = 12; r < 24; r += 2) {
    round<O>(a, t, keccak::ROUND_CONSTANTS[r]);
    round<O>(t, a, keccak::ROUND_CONSTANTS[r + 1]);
  }
}

/// Permutes `n` <= O::N states (lanes missing from a full group run on a zero dummy state).
template <class O>
inline void permute_group(std::uint64_t* const* states, std::size_t n) noexcept {
  // Public: permutations of zero states. Only the lanes a short group uses are zeroed (zeroing
  // all of them up front was a `rep stos` of 800 bytes per pass, ~10 % of a full pass).
  std::uint64_t dummy[O::N][25];
  std::uint64_t* p[O::N];
  for (std::size_t k = 0; k < O::N; ++k) {
    if (k < n) {
      p[k] = states[k];
    } else {
      store_zeros(dummy[k], sizeof dummy[k]);
      p[k] = dummy[k];
    }
  }
  typename O::V a[25];
  O::gather(p, a);
  permute_registers<O>(a);
  O::scatter(p, a);
}

}  // namespace keccak_simd

/// Number of states keccak_p1600_12_multi permutes per SIMD pass (4, or 1 without SIMD).
inline constexpr std::size_t KECCAK_LANES = VDAF_KECCAK_X4 ? 4 : 1;

/// Keccak-p[1600, 12] on `n` independent states at once, `states[k]` pointing to 25 lanes laid
/// out as for keccak_p1600_12 (lane (x, y) at [x + 5 * y]). The states must not alias.
/// Same result as calling keccak_p1600_12 on each state; uses 4-lane SIMD passes where compiled
/// in (a final group of 2 or 3 states takes one padded pass, a single one the scalar
/// permutation). The 8-lane kernel is not used here: on Zen 4, which splits 512-bit operations in
/// two, one 8-lane pass (~300 ns) costs more than two 4-lane passes (~2 x 133 ns); define
/// VDAF_KECCAK_USE_X8 to use it on cores with full-width AVX-512 units.
/// Spec: RFC 9861 §2.2 (Keccak-p[1600, n_r = 12]). Constant-time: yes. noexcept.
inline void keccak_p1600_12_multi(std::uint64_t* const* states, std::size_t n) noexcept {
  std::size_t k = 0;
#if VDAF_KECCAK_X8 && defined(VDAF_KECCAK_USE_X8)
  while (n - k >= 5) {
    const std::size_t g = n - k < 8 ? n - k : 8;
    keccak_simd::permute_group<keccak_simd::Ops8>(states + k, g);
    k += g;
  }
#endif
#if VDAF_KECCAK_X4
  while (n - k >= 2) {
    const std::size_t g = n - k < 4 ? n - k : 4;
    keccak_simd::permute_group<keccak_simd::Ops4>(states + k, g);
    k += g;
  }
#endif
  for (; k < n; ++k) keccak_p1600_12(*reinterpret_cast<std::uint64_t(*)[25]>(states[k]));
}

}  // namespace detail

VDAF_END_NAMESPACE
