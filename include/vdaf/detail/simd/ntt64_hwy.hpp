// Field64 NTT stages on vectors of Field64 elements, via Highway (static dispatch): the fast path
// under detail::ntt_dif, detail::ntt_dit_inplace and double_evaluations_odd<Field64>
// (include/vdaf/polynomial/ntt.hpp) for transforms of at least two vectors (kLanes elements per
// vector: 4 with AVX2, 8 with AVX-512). Stages of half-size h >= kLanes pair whole vectors;
// smaller stages run on groups of two vectors whose lanes are regrouped by permutes. Transforms
// shorter than two vectors, and every other field, stay on the scalar butterflies, which are
// this kernel's twin: tests/polynomial/ntt64_simd_test.cpp compares the lane arithmetic with
// Field64's scalar operations (random and edge values) and the transforms with naive DFTs at
// every size and partial-stage form; tests/polynomial/ntt_fast_test.cpp with the reference
// radix-2 kernel.
//
// Not API. VDAF_NTT64_HWY == 1 on x86-64 when the compile flags enable AVX2 and Highway's static
// target is AVX2 or AVX-512 (-march=x86-64-v3 -maes -mpclmul, -march=native on any AVX2 CPU;
// Highway 1.0.3 picks its AVX2 target only when AES and PCLMUL are enabled too), and neither
// VDAF_NO_SIMD nor VDAF_NO_NTT64_SIMD (this kernel only, for A/B timing) is defined; otherwise 0
// and nothing here is compiled. Static dispatch: every translation unit of a program must use
// the same flags.
//
// Why: the scalar Field64 butterflies are the assembly of field.hpp with g++ and portable C++
// with clang, which no compiler vectorizes since the branch-free masks go through value
// barriers (the constant-time fix); this kernel is the same arithmetic written for vectors, so
// g++ and clang get the same speed. Measured (Xeon family 6 model 207, g++ 12 -O3 -march=native,
// AVX-512, BM_Field64_Ntt): n = 64 364 -> 177 ns, n = 4096 49 -> 19 us; Prio3Sum(2^32 − 1) shard
// 3.38 -> 2.81 us. clang 14, which had no fast Field64 path at all, gets the same kernel.
//
// Arithmetic (p = 2^64 − 2^32 + 1, EPS = 2^32 − 1 = 2^64 mod p; elements canonical, < p, as in
// Field64): the 128-bit product from four 32×32→64 multiplications (MulEven on the 32-bit view),
// then the same reduction as Field64::reduce128; add and sub as Field64::add_portable and
// sub_portable. Every conditional correction is a lane select on a comparison mask, so results
// are bit-identical to the scalar path.
//
// Constant-time: yes. Lane selects (vpblendvb / AVX-512 masked moves) take the same time for
// every mask; no branch or memory index depends on the values (sizes are public).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "vdaf/config.hpp"

#if !defined(VDAF_NO_SIMD) && !defined(VDAF_NO_NTT64_SIMD) && defined(__x86_64__) && \
    defined(__AVX2__)
#include "vdaf/detail/simd/hwy_target.hpp"
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX2
#define VDAF_NTT64_HWY 1
#endif
#endif

#ifndef VDAF_NTT64_HWY
#define VDAF_NTT64_HWY 0
#endif

#if VDAF_NTT64_HWY

VDAF_BEGIN_NAMESPACE

namespace detail::ntt64_hwy {

namespace hn = hwy::HWY_NAMESPACE;

/// Vector of Field64 values (canonical uint64 lanes) for Highway's static target.
using D = hn::ScalableTag<std::uint64_t>;
/// A vector of kLanes elements.
using V = hn::Vec<D>;

/// Elements per vector: 4 (AVX2) or 8 (AVX-512).
inline constexpr std::size_t kLanes = HWY_LANES(std::uint64_t);

/// Name of the Highway target this kernel was compiled for (e.g. "AVX3").
inline const char* target_name() noexcept { return hwy::TargetName(HWY_TARGET); }

inline constexpr std::uint64_t kP = 0xffffffff00000001ULL;
inline constexpr std::uint64_t kEps = 0xffffffffULL;

/// (a + b) mod p per lane, as Field64::add_portable.
VDAF_ALWAYS_INLINE V add(V a, V b) noexcept {
  const D d;
  const V eps = hn::Set(d, kEps), p = hn::Set(d, kP);
  V s = hn::Add(a, b);
  s = hn::IfThenElse(hn::Lt(s, a), hn::Add(s, eps), s);  // carry: 2^64 ≡ EPS
  return hn::IfThenElse(hn::Lt(s, p), s, hn::Sub(s, p));
}

/// (a − b) mod p per lane, as Field64::sub_portable.
VDAF_ALWAYS_INLINE V sub(V a, V b) noexcept {
  const D d;
  const V d0 = hn::Sub(a, b);
  return hn::IfThenElse(hn::Lt(a, b), hn::Sub(d0, hn::Set(d, kEps)), d0);  // −2^64 ≡ −EPS
}

/// a·b mod p per lane: the exact 128-bit product, then Field64::reduce128.
VDAF_ALWAYS_INLINE V mul(V a, V b) noexcept {
  const D d;
  const hn::Repartition<std::uint32_t, D> d32;
  const V m32 = hn::Set(d, kEps);
  const V a_hi = hn::ShiftRight<32>(a), b_hi = hn::ShiftRight<32>(b);
  // 32×32 → 64 products of the low halves of each 64-bit lane (vpmuludq).
  const V ll = hn::MulEven(hn::BitCast(d32, a), hn::BitCast(d32, b));
  const V lh = hn::MulEven(hn::BitCast(d32, a), hn::BitCast(d32, b_hi));
  const V hl = hn::MulEven(hn::BitCast(d32, a_hi), hn::BitCast(d32, b));
  const V hh = hn::MulEven(hn::BitCast(d32, a_hi), hn::BitCast(d32, b_hi));
  // Neither sum can wrap: (2^32 − 1)² + 2 (2^32 − 1) < 2^64.
  const V mid = hn::Add(lh, hn::ShiftRight<32>(ll));
  const V mid2 = hn::Add(hl, hn::And(mid, m32));
  const V lo = hn::Or(hn::ShiftLeft<32>(mid2), hn::And(ll, m32));
  const V hi = hn::Add(hn::Add(hh, hn::ShiftRight<32>(mid)), hn::ShiftRight<32>(mid2));
  // reduce128: hi·2^64 + lo ≡ lo − hi_hi + hi_lo·(2^32 − 1).
  const V hi_hi = hn::ShiftRight<32>(hi), hi_lo = hn::And(hi, m32);
  V t0 = hn::Sub(lo, hi_hi);
  t0 = hn::IfThenElse(hn::Lt(lo, hi_hi), hn::Sub(t0, m32), t0);
  const V t1 = hn::Sub(hn::ShiftLeft<32>(hi_lo), hi_lo);
  V t2 = hn::Add(t0, t1);
  t2 = hn::IfThenElse(hn::Lt(t2, t0), hn::Add(t2, m32), t2);
  const V p = hn::Set(d, kP);
  return hn::IfThenElse(hn::Lt(t2, p), t2, hn::Sub(t2, p));
}

/// Decimation-in-frequency stages h = h_hi, h_hi/2, …, h_lo of a transform of size n, exactly
/// as the scalar loop of detail::ntt_dif: (x, y) ← (x + y, (x − y)·st[h + j]); the first stage
/// reads `src` (which may equal `a`), the others `a`. Requires kLanes <= h_lo <= h_hi <= n/2,
/// all powers of two. `st` holds the per-stage twiddles of NttTable (st[h] = 1).
inline void dif_stages(const std::uint64_t* src, std::uint64_t* a, std::size_t n,
                       const std::uint64_t* st, std::size_t h_hi, std::size_t h_lo) noexcept {
  const D d;
  const std::uint64_t* in = src;
  for (std::size_t h = h_hi; h >= h_lo; h >>= 1) {
    const std::uint64_t* w = st + h;
    for (std::size_t k = 0; k < n; k += 2 * h) {
      for (std::size_t j = 0; j < h; j += kLanes) {
        const V x = hn::LoadU(d, in + k + j), y = hn::LoadU(d, in + k + h + j);
        hn::StoreU(add(x, y), d, a + k + j);
        hn::StoreU(mul(sub(x, y), hn::LoadU(d, w + j)), d, a + k + h + j);
      }
    }
    in = a;
  }
}

/// Decimation-in-time stages h = h_lo, 2·h_lo, …, n/2 in place, exactly as the scalar loop of
/// detail::ntt_dit_inplace: v = y·st[h + j]; (x, y) ← (x + v, x − v). Requires
/// kLanes <= h_lo <= n/2, powers of two.
inline void dit_stages(std::uint64_t* a, std::size_t n, const std::uint64_t* st,
                       std::size_t h_lo) noexcept {
  const D d;
  for (std::size_t h = h_lo; h < n; h <<= 1) {
    const std::uint64_t* w = st + h;
    for (std::size_t k = 0; k < n; k += 2 * h) {
      for (std::size_t j = 0; j < h; j += kLanes) {
        const V x = hn::LoadU(d, a + k + j);
        const V v = mul(hn::LoadU(d, a + k + h + j), hn::LoadU(d, w + j));
        hn::StoreU(add(x, v), d, a + k + j);
        hn::StoreU(sub(x, v), d, a + k + h + j);
      }
    }
  }
}

// --- Stages below one vector ------------------------------------------------------------
// Stage h < kLanes pairs elements inside a group of 2·kLanes (two vectors A, B): X gathers the
// group's elements e with (e & h) == 0 in increasing order, Y the partners e + h, so lane i of
// X and Y is the butterfly with j = i mod h (twiddle st[h + i mod h]); merge puts them back.
// AVX-512: two-source lane permutes (vpermt2q) with constant indices; AVX2: 128-bit half
// permutes for h = 2 and unpacks for h = 1 (whose only twiddle is 1, so lane order is free).

#if HWY_TARGET <= HWY_AVX3
/// Indices into (A, B) of X (y = false) or Y (y = true) for stage h.
constexpr std::array<long long, 8> split_index(std::size_t h, bool y) {
  std::array<long long, 8> r{};
  std::size_t pos = 0;
  for (std::size_t e = 0; e < 16; ++e) {
    if (((e & h) != 0) == y) r[pos++] = static_cast<long long>(e);
  }
  return r;
}
/// Indices into (X, Y) of A (second = false) or B (second = true) for stage h.
constexpr std::array<long long, 8> merge_index(std::size_t h, bool second) {
  std::array<long long, 8> r{};
  for (std::size_t i = 0; i < 8; ++i) {
    const std::size_t e = i + (second ? 8 : 0);
    std::size_t rank = 0;  // position of e among X (or Y) elements
    for (std::size_t f = 0; f < e; ++f) rank += ((f & h) != 0) == ((e & h) != 0) ? 1 : 0;
    r[i] = static_cast<long long>(((e & h) != 0 ? 8 : 0) + rank);
  }
  return r;
}
template <std::size_t H>
VDAF_ALWAYS_INLINE void split(V a, V b, V& x, V& y) noexcept {
  static constexpr auto kX = split_index(H, false), kY = split_index(H, true);
  const __m512i ix = _mm512_loadu_si512(kX.data()), iy = _mm512_loadu_si512(kY.data());
  x = V{_mm512_permutex2var_epi64(a.raw, ix, b.raw)};
  y = V{_mm512_permutex2var_epi64(a.raw, iy, b.raw)};
}
template <std::size_t H>
VDAF_ALWAYS_INLINE void merge(V x, V y, V& a, V& b) noexcept {
  static constexpr auto kA = merge_index(H, false), kB = merge_index(H, true);
  const __m512i ia = _mm512_loadu_si512(kA.data()), ib = _mm512_loadu_si512(kB.data());
  a = V{_mm512_permutex2var_epi64(x.raw, ia, y.raw)};
  b = V{_mm512_permutex2var_epi64(x.raw, ib, y.raw)};
}
#else
static_assert(kLanes == 4);
template <std::size_t H>
VDAF_ALWAYS_INLINE void split(V a, V b, V& x, V& y) noexcept {
  if constexpr (H == 2) {
    x = V{_mm256_permute2x128_si256(a.raw, b.raw, 0x20)};  // a0 a1 b0 b1
    y = V{_mm256_permute2x128_si256(a.raw, b.raw, 0x31)};  // a2 a3 b2 b3
  } else {
    static_assert(H == 1);
    x = V{_mm256_unpacklo_epi64(a.raw, b.raw)};  // a0 b0 a2 b2
    y = V{_mm256_unpackhi_epi64(a.raw, b.raw)};  // a1 b1 a3 b3
  }
}
template <std::size_t H>
VDAF_ALWAYS_INLINE void merge(V x, V y, V& a, V& b) noexcept {
  if constexpr (H == 2) {
    a = V{_mm256_permute2x128_si256(x.raw, y.raw, 0x20)};
    b = V{_mm256_permute2x128_si256(x.raw, y.raw, 0x31)};
  } else {
    a = V{_mm256_unpacklo_epi64(x.raw, y.raw)};
    b = V{_mm256_unpackhi_epi64(x.raw, y.raw)};
  }
}
#endif

/// The twiddles of stage h < kLanes in X's lane order: lane i holds st[h + i mod h].
inline V small_stage_twiddles(const std::uint64_t* st, std::size_t h) noexcept {
  alignas(64) std::uint64_t w[kLanes];
  for (std::size_t i = 0; i < kLanes; ++i) w[i] = st[h + i % h];
  return hn::Load(D(), w);
}

/// One DIF stage h < kLanes on the group (a, b): (x, y) ← (x + y, (x − y)·w).
template <std::size_t H>
VDAF_ALWAYS_INLINE void dif_group(V& a, V& b, V tw) noexcept {
  V x, y;
  split<H>(a, b, x, y);
  const V s = add(x, y), t = sub(x, y);
  if constexpr (H == 1) {
    merge<H>(s, t, a, b);  // the twiddle is 1
  } else {
    merge<H>(s, mul(t, tw), a, b);
  }
}
/// One DIT stage h < kLanes on the group (a, b): v = y·w; (x, y) ← (x + v, x − v).
template <std::size_t H>
VDAF_ALWAYS_INLINE void dit_group(V& a, V& b, V tw) noexcept {
  V x, y;
  split<H>(a, b, x, y);
  if constexpr (H != 1) y = mul(y, tw);
  merge<H>(add(x, y), sub(x, y), a, b);
}

/// The DIF stages h = kLanes/2, …, h_lo (h_lo >= 1) in place, on every group of 2·kLanes
/// elements; n a multiple of 2·kLanes. Same results as the scalar stages.
inline void dif_tail(std::uint64_t* a, std::size_t n, const std::uint64_t* st,
                     std::size_t h_lo) noexcept {
  const D d;
  const V tw4 = kLanes == 8 ? small_stage_twiddles(st, 4) : hn::Zero(d);
  const V tw2 = small_stage_twiddles(st, 2);
  for (std::size_t g = 0; g < n; g += 2 * kLanes) {
    V x = hn::LoadU(d, a + g), y = hn::LoadU(d, a + g + kLanes);
    if constexpr (kLanes == 8) dif_group<4>(x, y, tw4);
    if (h_lo <= 2) dif_group<2>(x, y, tw2);
    if (h_lo <= 1) dif_group<1>(x, y, tw2);
    hn::StoreU(x, d, a + g);
    hn::StoreU(y, d, a + g + kLanes);
  }
}

/// The DIT stages h = h0, …, kLanes/2 (h0 < kLanes) in place, on every group of 2·kLanes
/// elements; n a multiple of 2·kLanes. Same results as the scalar stages.
inline void dit_tail(std::uint64_t* a, std::size_t n, const std::uint64_t* st,
                     std::size_t h0) noexcept {
  const D d;
  const V tw4 = kLanes == 8 ? small_stage_twiddles(st, 4) : hn::Zero(d);
  const V tw2 = small_stage_twiddles(st, 2);
  for (std::size_t g = 0; g < n; g += 2 * kLanes) {
    V x = hn::LoadU(d, a + g), y = hn::LoadU(d, a + g + kLanes);
    if (h0 <= 1) dit_group<1>(x, y, tw2);
    if (h0 <= 2) dit_group<2>(x, y, tw2);
    if constexpr (kLanes == 8) dit_group<4>(x, y, tw4);
    hn::StoreU(x, d, a + g);
    hn::StoreU(y, d, a + g + kLanes);
  }
}

/// The middle of double_evaluations_odd: on each group of 2·kLanes elements, the inverse DIF
/// stages kLanes/2, …, 1 (twiddles st_inv), the pointwise scaling by c, and the forward DIT
/// stages 1, …, kLanes/2 (twiddles st), in registers. n a multiple of 2·kLanes.
inline void dif_scale_dit_tail(std::uint64_t* a, std::size_t n, const std::uint64_t* st_inv,
                               const std::uint64_t* c, const std::uint64_t* st) noexcept {
  const D d;
  const V ti4 = kLanes == 8 ? small_stage_twiddles(st_inv, 4) : hn::Zero(d);
  const V ti2 = small_stage_twiddles(st_inv, 2);
  const V tw4 = kLanes == 8 ? small_stage_twiddles(st, 4) : hn::Zero(d);
  const V tw2 = small_stage_twiddles(st, 2);
  for (std::size_t g = 0; g < n; g += 2 * kLanes) {
    V x = hn::LoadU(d, a + g), y = hn::LoadU(d, a + g + kLanes);
    if constexpr (kLanes == 8) dif_group<4>(x, y, ti4);
    dif_group<2>(x, y, ti2);
    dif_group<1>(x, y, ti2);
    x = mul(x, hn::LoadU(d, c + g));
    y = mul(y, hn::LoadU(d, c + g + kLanes));
    dit_group<1>(x, y, tw2);
    dit_group<2>(x, y, tw2);
    if constexpr (kLanes == 8) dit_group<4>(x, y, tw4);
    hn::StoreU(x, d, a + g);
    hn::StoreU(y, d, a + g + kLanes);
  }
}

// --- Element-wise kernels over spans (vec_add, vec_sub, the PolyEval gadget's values) ------
// Each processes the first n − n mod kLanes elements and returns that count; the caller does
// the rest with the scalar operations (the twins).

/// out[i] = out[i] + a[i] for i < the returned count (n rounded down to kLanes).
inline std::size_t add_n(std::uint64_t* out, const std::uint64_t* a, std::size_t n) noexcept {
  const D d;
  std::size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    hn::StoreU(add(hn::LoadU(d, out + i), hn::LoadU(d, a + i)), d, out + i);
  }
  return i;
}
/// out[i] = out[i] − a[i] for i < the returned count (n rounded down to kLanes).
inline std::size_t sub_n(std::uint64_t* out, const std::uint64_t* a, std::size_t n) noexcept {
  const D d;
  std::size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    hn::StoreU(sub(hn::LoadU(d, out + i), hn::LoadU(d, a + i)), d, out + i);
  }
  return i;
}
/// x[i] = c[0] + c[1]·x[i] + … + c[nc−1]·x[i]^(nc−1) (Horner, as poly_eval_monomial) for
/// i < the returned count (n rounded down to kLanes); nc >= 1. `lead_one`: c[nc−1] is the
/// field's one (the caller knows its representation), which saves the first multiplication
/// (the range check x² − x then costs one, as in poly_eval_monomial).
inline std::size_t poly_eval_n(const std::uint64_t* c, std::size_t nc, bool lead_one,
                               std::uint64_t* x, std::size_t n) noexcept {
  const D d;
  std::size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    const V xv = hn::LoadU(d, x + i);
    std::size_t j = nc - 1;
    V acc = hn::Set(d, c[j]);
    if (lead_one && j > 0) acc = add(xv, hn::Set(d, c[--j]));
    while (j-- > 0) acc = add(mul(acc, xv), hn::Set(d, c[j]));
    hn::StoreU(acc, d, x + i);
  }
  return i;
}

/// out[i] = op(a[i], b[i]) for i < n, n a multiple of kLanes; op 0 add, 1 sub, 2 mul. For the
/// tests (the element-wise twin comparison).
inline void elementwise(int op, const std::uint64_t* a, const std::uint64_t* b, std::uint64_t* out,
                        std::size_t n) noexcept {
  const D d;
  for (std::size_t i = 0; i < n; i += kLanes) {
    const V x = hn::LoadU(d, a + i), y = hn::LoadU(d, b + i);
    const V r = op == 0 ? add(x, y) : op == 1 ? sub(x, y) : mul(x, y);
    hn::StoreU(r, d, out + i);
  }
}

}  // namespace detail::ntt64_hwy

VDAF_END_NAMESPACE

#endif  // VDAF_NTT64_HWY
