// Field128 NTTs of eight independent vectors at once in AVX-512 IFMA registers: the fused
// `double_evaluations_odd` (include/vdaf/polynomial/ntt.hpp) of 8 wires per pass, one wire per
// 64-bit lane, and the Mul-gadget step of Gadget::eval_poly (include/vdaf/flp/gadgets.hpp) built
// on it. The scalar twin is `double_evaluations_odd<Field128>`; tests/polynomial/ntt_ifma_test.cpp
// compares them (random and edge values, many sizes and wire counts).
//
// Not API. VDAF_NTT128_IFMA (defined in field128_ifma.hpp, which also holds the limb arithmetic
// used here) == 1 when the compile flags enable AVX-512F and AVX-512 IFMA (-march=native on Zen 4
// / Ice Lake and later, -mavx512ifma) and neither VDAF_NO_SIMD nor VDAF_NO_NTT128_IFMA (these
// kernels only, for A/B timing) is defined; otherwise 0 and nothing here is compiled (callers
// keep the scalar code). Static dispatch: every translation unit of a program must use the same
// flags.
//
// Measured on Zen 4 (g++ 12 -O3 -march=native, same-run A/B with VDAF_NO_NTT128_IFMA, CPU
// time on the shared 2-core machine): Gadget::eval_poly for p = 512 and 316 Mul pairs
// 20.9 -> 6.0 ms; Prio3Histogram(100000, 316) shard 32.6 -> ~16.5 ms, Histogram(1000, 31)
// shard 283 -> ~155 us. One pass of 8 pairs costs about as much as 4-5 pairs on the scalar
// path, hence the minimum pass size in Gadget::ifma_pairs.
//
// Raw <immintrin.h> intrinsics rather than Highway: the kernel is built on the 52-bit
// multiply-add instructions vpmadd52luq / vpmadd52huq, which Highway 1.0.3 does not expose.
//
// Arithmetic. p = 2^128 − 28·2^64 + 1. A value x is held in three 52-bit limbs
// x = l0 + l1·2^52 + l2·2^104 (one __m512i per limb, lane = wire); "normalised" means
// l0, l1 < 2^52 and 0 <= l2 < 2^52. mont52(a, b) = a·b·2^−156 mod p (Montgomery with radix 2^156;
// p ≡ 1 mod 2^52, so the quotient digit is m = −t mod 2^52, no multiply). For a, b < 2^156 the
// result is < a·b/2^156 + p, so < 2p when one factor is a constant < p and the other < 2^156. The
// data stay in the scalar code's representation (Field128 Montgomery form, R = 2^128): since the
// transforms are linear, a twiddle w is stored as w·2^156 mod p, so mont52(x, stored w) represents
// x·w in that same form. Values are not reduced between stages: each stage keeps a public bound
// 2^e·p on all its values, differences add the multiple 2^e·p of p to stay non-negative (limbs may
// go negative, normalisation uses arithmetic shifts), and every multiplication brings a value back
// below 2p.
//
// Constant-time: yes. No branch or memory index depends on the data (sizes, lane masks and the
// bounds e are public).
#pragma once

#include <cstddef>
#include <cstdint>

#include "vdaf/config.hpp"
#include "vdaf/detail/simd/field128_ifma.hpp"  // VDAF_NTT128_IFMA, the limb arithmetic

#if VDAF_NTT128_IFMA
#include <immintrin.h>

#include <algorithm>
#include <array>
#include <span>
#include <vector>

#include "vdaf/core/once_tables.hpp"
#include "vdaf/ct/ct.hpp"
#include "vdaf/errors.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/polynomial/ntt.hpp"

VDAF_BEGIN_NAMESPACE
namespace detail::ntt128_ifma {

/// Largest supported log2 of the transform size: values stay below 2^(log_n+1)·p < 2^156.
inline constexpr unsigned kMaxLogN = 20;
/// Wires per pass (64-bit lanes of a 512-bit register).
inline constexpr std::size_t kLanes = 8;

/// Per-size constants in stored form, derived from ntt_table<Field128>: `tw`, `tw_inv` with the
/// layout of NttTable::stage_tw / stage_tw_inv, `coset` = NttTable::coset_br.
struct Table {
  std::vector<Limbs3> tw, tw_inv, coset;
};

/// The table for size 2^log_n (log_n <= kMaxLogN), built on first use (thread-safe).
inline const Table& table(unsigned log_n) {
  static OnceTables<Table, kMaxLogN + 1> tables;
  if (log_n > kMaxLogN) VDAF_THROW(internal_error, "ntt128_ifma: size too large");
  return tables.get(log_n, [log_n](Table& out) {
    const NttTable<Field128>& t = ntt_table<Field128>(log_n);
    const std::size_t n = std::size_t{1} << log_n;
    out.tw.resize(n);
    out.tw_inv.resize(n);
    out.coset.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      out.tw[i] = stored(t.stage_tw[i]);
      out.tw_inv[i] = stored(t.stage_tw_inv[i]);
      out.coset[i] = stored(t.coset_br[i]);
    }
  });
}
/// Storage for n values of 8 lanes: element k at [24k, 24k + 24) (limb 0 lanes, limb 1 lanes,
/// limb 2 lanes), 64-byte aligned, wiped when freed.
class Buffer {
 public:
  explicit Buffer(std::size_t n) : raw_(24 * n + 8) {
    const auto addr = reinterpret_cast<std::uintptr_t>(raw_.data());
    data_ = raw_.data() + ((64 - (addr & 63)) & 63) / 8;
  }
  std::uint64_t* data() noexcept { return data_; }
  const std::uint64_t* data() const noexcept { return data_; }

 private:
  secret_vector<std::uint64_t> raw_;
  std::uint64_t* data_;
};

/// One inverse DIF stage of half-size h with all values < 2^e·p: (x, y) ← (x + y, (x − y)·w^−j).
/// Outputs normalised only if kNorm (else limbs grow by at most one bit, see transform).
template <bool kNorm>
inline void dif_stage(std::uint64_t* a, std::size_t n, std::size_t h, const Limbs3* w,
                      unsigned e) noexcept {
  const V c = bcast(p_times_pow2(e));
  for (std::size_t k = 0; k < n; k += 2 * h) {
    std::uint64_t* xp = a + 24 * k;
    std::uint64_t* yp = xp + 24 * h;
    {
      const V x = load(xp), y = load(yp);
      const V s = add(x, y), d = sub_plus(x, y, c);
      store(xp, kNorm ? norm(s) : s);
      store(yp, kNorm ? norm(d) : d);
    }
    for (std::size_t j = 1; j < h; ++j) {
      const V x = load(xp + 24 * j), y = load(yp + 24 * j);
      const V s = add(x, y);
      store(xp + 24 * j, kNorm ? norm(s) : s);
      const V d = mont_raw(mul_input(sub_plus(x, y, c)), bcast(w[j]));
      store(yp + 24 * j, kNorm ? norm(d) : d);
    }
  }
}

/// One forward DIT stage of half-size h with all values < 2^e·p: v = y·w^j;
/// (x, y) ← (x + v, x − v). Outputs normalised only if kNorm.
template <bool kNorm>
inline void dit_stage(std::uint64_t* a, std::size_t n, std::size_t h, const Limbs3* w,
                      unsigned e) noexcept {
  const V c = bcast(p_times_pow2(e));
  const V c1 = bcast(p_times_pow2(1));
  for (std::size_t k = 0; k < n; k += 2 * h) {
    std::uint64_t* xp = a + 24 * k;
    std::uint64_t* yp = xp + 24 * h;
    {
      const V x = load(xp), y = load(yp);
      const V s = add(x, y), d = sub_plus(x, y, c);
      store(xp, kNorm ? norm(s) : s);
      store(yp, kNorm ? norm(d) : d);
    }
    for (std::size_t j = 1; j < h; ++j) {
      const V x = load(xp + 24 * j);
      const V v = mont_raw(mul_input(load(yp + 24 * j)), bcast(w[j]));
      const V s = add(x, v), d = sub_plus(x, v, c1);
      store(xp + 24 * j, kNorm ? norm(s) : s);
      store(yp + 24 * j, kNorm ? norm(d) : d);
    }
  }
}

/// The fused double_evaluations_odd on the n = 2^log_n elements of `a` (8 lanes, values
/// < 2p, normalised), in place: afterwards lane j of element i holds (a value congruent to)
/// odd[i] of lane j's input, < 2^(log_n+1)·p, with signed limbs of magnitude < 2^63, not
/// normalised (norm() or mul_input() it).
///
/// Limbs are fully normalised only every 5th stage (and carried into IFMA input form before
/// each multiplication): starting from limbs of magnitude B_0 < 2^56 (normalised inputs or
/// mont_raw outputs), a stage maps the bound B to at most 2B + 2^57 (sums; differences plus a
/// constant with limbs < 2^52; mont_raw outputs < 2^56), so B_s < 3·2^(56+s), below
/// 3·2^61 < 2^63 at the 5th stage, whose outputs are normalised.
inline void transform(std::uint64_t* a, unsigned log_n, const Table& t) noexcept {
  const std::size_t n = std::size_t{1} << log_n;
  constexpr unsigned kNormEvery = 5;
  unsigned e = 1;  // all values < 2^e·p
  unsigned s = 0;  // stages since the last normalisation
  // Inverse DIF, natural order in, bit-reversed out.
  for (std::size_t h = n >> 1; h >= 1; h >>= 1) {
    if (++s == kNormEvery) {
      dif_stage<true>(a, n, h, t.tw_inv.data() + h, e);
      s = 0;
    } else {
      dif_stage<false>(a, n, h, t.tw_inv.data() + h, e);
    }
    ++e;
  }
  // Coset scaling by s^bitrev(i)·n^−1: back below 2p, normalised.
  for (std::size_t i = 0; i < n; ++i)
    store(a + 24 * i, mont_raw(mul_input(load(a + 24 * i)), bcast(t.coset[i])));
  e = 1;
  s = 0;
  // Forward DIT, bit-reversed in, natural out.
  for (std::size_t h = 1; h < n; h <<= 1) {
    if (++s == kNormEvery) {
      dit_stage<true>(a, n, h, t.tw.data() + h, e);
      s = 0;
    } else {
      dit_stage<false>(a, n, h, t.tw.data() + h, e);
    }
    ++e;
  }
}

/// Loads `lanes` (1..8) wires of n elements into `buf`: lane j of element k is element k of
/// the wire at base + j·stride (Field128 elements); lanes >= `lanes` are zero. Four elements
/// (64 bytes) of each wire per step, transposed in registers (8×8 64-bit words).
inline void load_wires(std::uint64_t* buf, const Field128* base, std::size_t stride, std::size_t n,
                       std::size_t lanes) noexcept {
  const __m512i z = _mm512_setzero_si512();
  constexpr auto kAll = static_cast<__mmask8>(0xFF);  // zero-masking forms: see srli
  for (std::size_t k = 0; k < n; k += 4) {
    const std::size_t cnt = n - k < 4 ? n - k : 4;  // elements in this step (< 4 only if n < 4)
    const auto mask = static_cast<__mmask8>((1U << (2 * cnt)) - 1U);
    __m512i r[8];
    for (std::size_t j = 0; j < kLanes; ++j)
      r[j] = j < lanes ? _mm512_maskz_loadu_epi64(mask, base + j * stride + k) : z;
    // Row j = wire j's words (lo0 hi0 lo1 hi1 lo2 hi2 lo3 hi3); column c = word c of every
    // wire. 64-bit interleave, then two rounds of 128-bit block selection.
    __m512i t[8], u[8], c[8];
    for (std::size_t j = 0; j < 8; j += 2) {
      t[j] = _mm512_maskz_unpacklo_epi64(kAll, r[j], r[j + 1]);
      t[j + 1] = _mm512_maskz_unpackhi_epi64(kAll, r[j], r[j + 1]);
    }
    for (std::size_t j = 0; j < 8; j += 4) {
      u[j] = _mm512_maskz_shuffle_i64x2(kAll, t[j], t[j + 2], 0x88);
      u[j + 1] = _mm512_maskz_shuffle_i64x2(kAll, t[j], t[j + 2], 0xDD);
      u[j + 2] = _mm512_maskz_shuffle_i64x2(kAll, t[j + 1], t[j + 3], 0x88);
      u[j + 3] = _mm512_maskz_shuffle_i64x2(kAll, t[j + 1], t[j + 3], 0xDD);
    }
    // u[0..3] (rows 0-3) hold words {0,4}, {2,6}, {1,5}, {3,7}; u[4..7] the same for rows 4-7.
    c[0] = _mm512_maskz_shuffle_i64x2(kAll, u[0], u[4], 0x88);
    c[4] = _mm512_maskz_shuffle_i64x2(kAll, u[0], u[4], 0xDD);
    c[2] = _mm512_maskz_shuffle_i64x2(kAll, u[1], u[5], 0x88);
    c[6] = _mm512_maskz_shuffle_i64x2(kAll, u[1], u[5], 0xDD);
    c[1] = _mm512_maskz_shuffle_i64x2(kAll, u[2], u[6], 0x88);
    c[5] = _mm512_maskz_shuffle_i64x2(kAll, u[2], u[6], 0xDD);
    c[3] = _mm512_maskz_shuffle_i64x2(kAll, u[3], u[7], 0x88);
    c[7] = _mm512_maskz_shuffle_i64x2(kAll, u[3], u[7], 0xDD);
    for (std::size_t e = 0; e < cnt; ++e)
      store(buf + 24 * (k + e), to_limbs(c[2 * e], c[2 * e + 1]));
  }
}

/// Batched double_evaluations_odd: `in` holds `wires` vectors of n = 2^log_n Field128 values
/// (wire i at [i·n, (i+1)·n)), `out` (same shape, may not alias `in`) receives for each wire
/// odd[k] = P(W_2n^(2k+1)), exactly as double_evaluations_odd<Field128>. 1 <= n <= 2^kMaxLogN.
/// Constant-time.
inline void double_evaluations_odd_batch(std::span<const Field128> in, std::span<Field128> out,
                                         std::size_t n, std::size_t wires) {
  const unsigned log_n = log2_exact(n);
  if (in.size() != n * wires || out.size() != n * wires)
    VDAF_THROW(internal_error, "double_evaluations_odd_batch: wrong length");
  const Table& t = table(log_n);
  Buffer buf(n);
  std::uint64_t* a = buf.data();
  alignas(64) std::uint64_t lo[8], hi[8];
  const V one = bcast(stored(Field128::one()));
  for (std::size_t w0 = 0; w0 < wires; w0 += kLanes) {
    const std::size_t lanes = wires - w0 < kLanes ? wires - w0 : kLanes;
    load_wires(a, in.data() + w0 * n, n, n, lanes);
    transform(a, log_n, t);
    for (std::size_t k = 0; k < n; ++k) {
      __m512i vlo, vhi;
      canonical(mul_input(load(a + 24 * k)), one, vlo, vhi);
      _mm512_store_si512(lo, vlo);
      _mm512_store_si512(hi, vhi);
      for (std::size_t j = 0; j < lanes; ++j) out[(w0 + j) * n + k] = Field128::limbs(lo[j], hi[j]);
    }
  }
  secure_zero(lo, sizeof lo);
  secure_zero(hi, sizeof hi);
}

/// The odd half of the Mul-gadget polynomial (ParallelSum(Mul, count)): `wires` holds 2·count
/// Lagrange vectors of length n = 2^log_n (wire j at [j·n, (j+1)·n), pairs (2i, 2i+1));
/// adds Σ_i ea_i[k]·eb_i[k] to o[2k+1] for k < n, where ea_i, eb_i are the
/// double_evaluations_odd of wires 2i and 2i+1. `o` has 2n elements; even positions untouched.
/// `wires` may hold more pairs than `count` (only the first `count` are read). 1 <= n <=
/// 2^kMaxLogN. Constant-time.
inline void mul_gadget_odd(std::span<const Field128> wires, std::size_t n, std::size_t count,
                           Field128* o) {
  const unsigned log_n = log2_exact(n);
  if (wires.size() / 2 / n < count) VDAF_THROW(internal_error, "mul_gadget_odd: too few wires");
  const Table& t = table(log_n);
  Buffer bufa(n), bufb(n), acc(n);
  std::uint64_t* a = bufa.data();
  std::uint64_t* b = bufb.data();
  std::uint64_t* s = acc.data();
  // Accumulated limbs: each product is normalised (limbs < 2^52), so up to 64 passes keep the
  // limb sums below 2^58 and the sums over 8 lanes below 2^61 < p.
  constexpr std::size_t kFlushEvery = 64;
  // Σ_lanes Σ_limbs L_i·2^(52 i) represents ea·eb·2^−28 in Montgomery form: scale limb i by
  // 2^(28 + 52 i) with one scalar multiplication.
  static const std::array<Field128, 3> k_limb = [] {
    std::array<Field128, 3> k{};
    const Field128 two = Field128::from_u64(2);
    Field128 x = Field128::one();
    for (unsigned i = 0; i < 28 + 2 * 52; ++i) {
      if (i == 28) k[0] = x;
      if (i == 28 + 52) k[1] = x;
      x *= two;
    }
    k[2] = x;
    return k;
  }();
  alignas(64) std::uint64_t lane[24];
  const auto flush = [&] {
    for (std::size_t k = 0; k < n; ++k) {
      for (std::size_t q = 0; q < 3; ++q)
        _mm512_store_si512(lane + 8 * q, _mm512_load_si512(s + 24 * k + 8 * q));
      Field128 sum = o[2 * k + 1];
      for (std::size_t q = 0; q < 3; ++q) {
        std::uint64_t l = 0;
        for (std::size_t j = 0; j < kLanes; ++j) l += lane[8 * q + j];
        sum += Field128::limbs(l, 0) * k_limb[q];
      }
      o[2 * k + 1] = sum;
    }
    std::fill(s, s + 24 * n, std::uint64_t{0});
  };
  std::fill(s, s + 24 * n, std::uint64_t{0});
  std::size_t passes = 0;
  for (std::size_t i0 = 0; i0 < count; i0 += kLanes) {
    const std::size_t lanes = count - i0 < kLanes ? count - i0 : kLanes;
    // Lane j: pair i0 + j, wires 2(i0 + j) (a) and 2(i0 + j) + 1 (b).
    load_wires(a, wires.data() + 2 * i0 * n, 2 * n, n, lanes);
    load_wires(b, wires.data() + (2 * i0 + 1) * n, 2 * n, n, lanes);
    transform(a, log_n, t);
    transform(b, log_n, t);
    for (std::size_t k = 0; k < n; ++k) {
      const V prod = mont(mul_input(load(a + 24 * k)), mul_input(load(b + 24 * k)));
      store(s + 24 * k, add(load(s + 24 * k), prod));
    }
    if (++passes == kFlushEvery) {
      flush();
      passes = 0;
    }
  }
  if (passes != 0) flush();
  secure_zero(lane, sizeof lane);
}

/// dot_rows with the caller's scratch: `ws` (n Limbs3) receives the stored weights and `a`
/// (24·n words, 64-byte aligned) one pass's transposed rows. Both are left holding data derived
/// from the inputs; the caller wipes them. Constant-time: yes.
inline void dot_rows_with(const Field128* rows, std::size_t n, std::size_t count, const Field128* w,
                          Field128* out, Limbs3* ws, std::uint64_t* a) {
  for (std::size_t i = 0; i < n; ++i) ws[i] = stored(w[i]);
  alignas(64) std::uint64_t lo[8], hi[8];
  const V one = bcast(stored(Field128::one()));
  const __m512i z = _mm512_setzero_si512();
  constexpr std::size_t kNormEvery = 64;
  for (std::size_t j0 = 0; j0 < count; j0 += kLanes) {
    const std::size_t lanes = count - j0 < kLanes ? count - j0 : kLanes;
    load_wires(a, rows + j0 * n, n, n, lanes);
    V acc{z, z, z};
    for (std::size_t i = 0; i < n; ++i) {
      acc = add(acc, mont_raw(load(a + 24 * i), bcast(ws[i])));
      if ((i + 1) % kNormEvery == 0) acc = norm(acc);
    }
    __m512i vlo, vhi;
    canonical(mul_input(acc), one, vlo, vhi);
    _mm512_store_si512(lo, vlo);
    _mm512_store_si512(hi, vhi);
    for (std::size_t j = 0; j < lanes; ++j) out[j0 + j] = Field128::limbs(lo[j], hi[j]);
  }
  secure_zero(lo, sizeof lo);
  secure_zero(hi, sizeof hi);
}

/// How many of `rows` rows dot_rows should take: all of them, or all but a last group of
/// fewer than 4 (a pass costs about as much as 4 scalar rows, so those stay scalar).
constexpr std::size_t dot_rows_count(std::size_t rows) noexcept {
  const std::size_t rem = rows % kLanes;
  return rem >= 4 ? rows : rows - rem;
}

/// Largest row length dot_rows keeps its scratch on the stack for (6 KiB at most).
inline constexpr std::size_t kDotRowsStackN = 32;

/// out[j] = Σ_{i<n} rows[j·n + i]·w[i] for j < count: `count` rows of n values (contiguous)
/// against one weight vector, 8 rows per pass (one row per lane). The query's evaluation of a
/// gadget's wires at the test point, through vdaf::dot_rows (polynomial/barycentric.hpp), whose
/// loop is the scalar twin and which decides when to use it. The products are Montgomery
/// products by the stored weights (< 2p each) summed unreduced, normalised every 64 terms
/// (columns < 2^55 each), and the sum (< 2^(log2 n + 1)·p < 2^156) is reduced once per row.
/// Scratch on the stack for n <= kDotRowsStackN, else allocated; wiped either way.
/// n ≤ 2^kMaxLogN. Constant-time: yes.
inline void dot_rows(const Field128* rows, std::size_t n, std::size_t count, const Field128* w,
                     Field128* out) {
  if (n == 0 || n > (std::size_t{1} << kMaxLogN))
    VDAF_THROW(internal_error, "ntt128_ifma::dot_rows: bad length");
  if (n <= kDotRowsStackN) {
    Limbs3 ws[kDotRowsStackN];
    alignas(64) std::uint64_t a[24 * kDotRowsStackN];
    dot_rows_with(rows, n, count, w, out, ws, a);
    secure_zero(ws, sizeof(Limbs3) * n);
    secure_zero(a, sizeof(std::uint64_t) * 24 * n);
    return;
  }
  secret_vector<Limbs3> ws(n);  // derived from the query randomness: wiped
  Buffer buf(n);
  dot_rows_with(rows, n, count, w, out, ws.data(), buf.data());
}

}  // namespace detail::ntt128_ifma
VDAF_END_NAMESPACE

#endif  // VDAF_NTT128_IFMA
