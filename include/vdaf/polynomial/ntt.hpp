// NTT and Lagrange-basis polynomial helpers (draft-irtf-cfrg-vdaf-20 §6.1.2, §6.1.3).
//
// A polynomial of degree < n (n a power of two) in the Lagrange basis is the
// vector v[i] = P(W_n^i), W_n the principal n-th root of unity, natural order.
// All functions are constant-time in the element values (sizes are public).
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "vdaf/core/once_tables.hpp"
#include "vdaf/detail/simd/ntt64_hwy.hpp"
#include "vdaf/errors.hpp"
#include "vdaf/field/field.hpp"

VDAF_BEGIN_NAMESPACE

namespace detail {
inline unsigned log2_exact(std::size_t n) {
  if (n == 0 || !std::has_single_bit(n)) VDAF_THROW(internal_error, "NTT size is not a power of 2");
  return static_cast<unsigned>(std::countr_zero(n));
}
}  // namespace detail

/// Precomputed constants for transforms of size n = 2^log_n: the root W_n, its
/// inverse, 1/n, the twiddles W_n^i and W_n^−i for i < n/2, and the coset
/// powers s^i = W_2n^i for i < n. Built once per size and field, shared by all
/// threads (public data).
///
/// The fast kernels use per-stage twiddles laid out contiguously: for each
/// half-size h = 1, 2, 4, …, n/2, `stage_tw[h + j]` = W_2h^j and
/// `stage_tw_inv[h + j]` = W_2h^−j for j < h (index 0 unused), so a stage
/// reads its twiddles with unit stride. `bitrev[i]` is the log_n-bit reversal
/// of i, and `coset_br[r]` = s^bitrev(r) · n^−1 scales bit-reversed
/// coefficients for the coset transform of `double_evaluations`.
template <NttField F>
struct NttTable {
  F w,                    ///< W_n, the principal n-th root of unity.
      w_inv,              ///< W_n^−1.
      n_inv;              ///< 1/n.
  std::vector<F> s_pows;  ///< s^i = W_2n^i for i < n (coset powers, s = W_2n).
  std::vector<F>
      stage_tw,      ///< Per-stage twiddles: stage_tw[h + j] = W_2h^j, j < h (index 0 unused).
      stage_tw_inv,  ///< Per-stage inverse twiddles: stage_tw_inv[h + j] = W_2h^−j, j < h.
      coset_br;      ///< coset_br[r] = s^bitrev(r)·n^−1 for r < n.
  std::vector<std::uint32_t> bitrev;  ///< bitrev[i] = the log_n-bit reversal of i, i < n.
};

/// The table for size 2^log_n (log_n < GEN_ORDER_LOG2), built on first use
/// (thread-safe). Public data.
/// @param log_n log2 of the transform size, in 0..min(GEN_ORDER_LOG2, 32)−1.
/// @return the shared table (lives until program exit).
/// @throws internal_error if log_n >= GEN_ORDER_LOG2 or log_n >= 32.
template <NttField F>
const NttTable<F>& ntt_table(unsigned log_n) {
  static detail::OnceTables<NttTable<F>, F::GEN_ORDER_LOG2> tables;
  if (log_n >= F::GEN_ORDER_LOG2 || log_n >= 32) {
    VDAF_THROW(internal_error, "NTT size too large for the field");
  }
  return tables.get(log_n, [log_n](NttTable<F>& t) {
    const std::size_t n = std::size_t{1} << log_n;
    t.w = nth_root<F>(log_n);
    t.w_inv = t.w.inv();
    t.n_inv = F::from_int(static_cast<typename F::Int>(n)).inv();
    // W_n^i and W_n^−i for i < n/2, laid out per stage below.
    std::vector<F> tw(n / 2), tw_inv(n / 2);
    F x = F::one(), y = F::one();
    for (std::size_t i = 0; i < n / 2; ++i) {
      tw[i] = x;
      tw_inv[i] = y;
      x *= t.w;
      y *= t.w_inv;
    }
    t.s_pows.resize(n);
    const F s = nth_root<F>(log_n + 1);
    F z = F::one();
    for (std::size_t i = 0; i < n; ++i) {
      t.s_pows[i] = z;
      z *= s;
    }
    t.stage_tw.assign(n, F::one());
    t.stage_tw_inv.assign(n, F::one());
    for (std::size_t h = 1; h < n; h <<= 1) {
      const std::size_t stride = n / (2 * h);
      for (std::size_t j = 0; j < h; ++j) {
        t.stage_tw[h + j] = tw[j * stride];
        t.stage_tw_inv[h + j] = tw_inv[j * stride];
      }
    }
    t.bitrev.resize(n);
    t.coset_br.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      std::uint32_t r = 0;
      for (unsigned b = 0; b < log_n; ++b)
        r |= static_cast<std::uint32_t>((i >> b) & 1U) << (log_n - 1 - b);
      t.bitrev[i] = r;
      t.coset_br[i] = t.s_pows[r] * t.n_inv;
    }
  });
}

namespace detail {

/// NTT butterflies: the field's own (`F::bfly_dit`, `F::bfly_dif`, e.g.
/// Field128's assembly) when it has one, else the operators. Constant-time.
/// DIT: v = y·w; (x, y) ← (x + v, x − v).
template <class F>
VDAF_ALWAYS_INLINE void bfly_dit(F& x, F& y, const F& w) noexcept {
  if constexpr (requires { F::bfly_dit(x, y, w); }) {
    F::bfly_dit(x, y, w);
  } else {
    const F u = x, v = y * w;
    x = u + v;
    y = u - v;
  }
}
/// Without twiddle: (ox, oy) ← (x + y, x − y); outputs may be the inputs.
template <class F>
VDAF_ALWAYS_INLINE void bfly(const F& x, const F& y, F& ox, F& oy) noexcept {
  if constexpr (requires { F::bfly(x, y, ox, oy); }) {
    F::bfly(x, y, ox, oy);
  } else {
    const F u = x, v = y;
    ox = u + v;
    oy = u - v;
  }
}
/// DIF: (ox, oy) ← (x + y, (x − y)·w); outputs may be the inputs.
template <class F>
VDAF_ALWAYS_INLINE void bfly_dif(const F& x, const F& y, F& ox, F& oy, const F& w) noexcept {
  if constexpr (requires { F::bfly_dif(x, y, ox, oy, w); }) {
    F::bfly_dif(x, y, ox, oy, w);
  } else {
    const F u = x, v = y;
    ox = u + v;
    oy = (u - v) * w;
  }
}

/// Decimation-in-frequency transform, natural order in, bit-reversed order
/// out: a[bitrev(i)] ← Σ_j src[j]·root^(i·j), with `st` the per-stage
/// twiddles of `root` (NttTable::stage_tw or stage_tw_inv). n a power of two.
/// The first stage reads `src` (which may equal `a`), so no separate copy
/// pass is needed. Runs the stages with half-size h = n/2, …, h_min (h_min = 1
/// for a full transform). The j = 0 butterfly of each block has twiddle 1 and
/// skips the multiplication (the indices are public, so this is not a
/// secret-dependent branch).
template <class F>
void ntt_dif(const F* src, F* a, std::size_t n, const F* st, std::size_t h_min = 1) noexcept {
  if (n < 2) {
    if (n == 1) a[0] = src[0];
    return;
  }
  const F* in = src;
  std::size_t h = n >> 1;
#if VDAF_NTT64_HWY
  if constexpr (std::is_same_v<F, Field64>) {
    // On the vector kernel (detail/simd/ntt64_hwy.hpp) when there are two vectors or more:
    // the stages of at least one vector, then those below in groups of two vectors.
    constexpr std::size_t L = ntt64_hwy::kLanes;
    if (n >= 2 * L && h_min <= h) {
      const std::size_t h_vec = h_min > L ? h_min : L;
      ntt64_hwy::dif_stages(field64_words(src), field64_words(a), n, field64_words(st), h, h_vec);
      if (h_min < L) ntt64_hwy::dif_tail(field64_words(a), n, field64_words(st), h_min);
      return;
    }
  }
#endif
  for (; h >= h_min && h >= 2; h >>= 1) {
    const F* w = st + h;
    for (std::size_t k = 0; k < n; k += 2 * h) {
      const F* xi = in + k;
      const F* yi = xi + h;
      F* x = a + k;
      F* y = x + h;
      bfly<F>(xi[0], yi[0], x[0], y[0]);
      for (std::size_t j = 1; j < h; ++j) bfly_dif<F>(xi[j], yi[j], x[j], y[j], w[j]);
    }
    in = a;
  }
  if (h_min <= 1) {
    for (std::size_t k = 0; k < n; k += 2) bfly<F>(in[k], in[k + 1], a[k], a[k + 1]);
  } else if (in != a) {
    for (std::size_t i = 0; i < n; ++i) a[i] = in[i];
  }
}

/// In-place `ntt_dif` (natural order in, bit-reversed order out).
template <class F>
void ntt_dif_inplace(F* a, std::size_t n, const F* st) noexcept {
  ntt_dif<F>(a, a, n, st);
}

/// Decimation-in-time transform, bit-reversed order in, natural order out,
/// running the stages with half-size h = h0, 2·h0, …, n/2 (h0 = 1 for a full
/// transform; a larger h0 when every block of h0 elements holds one repeated
/// value, the state after the first stages on a zero-padded input).
template <class F>
void ntt_dit_inplace(F* a, std::size_t n, const F* st, std::size_t h0 = 1) noexcept {
#if VDAF_NTT64_HWY
  if constexpr (std::is_same_v<F, Field64>) {
    // On the vector kernel (detail/simd/ntt64_hwy.hpp) when there are two vectors or more:
    // the stages below one vector in groups of two vectors, then the others.
    constexpr std::size_t L = ntt64_hwy::kLanes;
    if (n >= 2 * L) {
      if (h0 < L) ntt64_hwy::dit_tail(field64_words(a), n, field64_words(st), h0);
      ntt64_hwy::dit_stages(field64_words(a), n, field64_words(st), h0 > L ? h0 : L);
      return;
    }
  }
#endif
  std::size_t h = h0;
  if (h == 1 && n >= 2) {
    for (std::size_t k = 0; k < n; k += 2) bfly<F>(a[k], a[k + 1], a[k], a[k + 1]);
    h = 2;
  }
  for (; h < n; h <<= 1) {
    const F* w = st + h;
    for (std::size_t k = 0; k < n; k += 2 * h) {
      F* x = a + k;
      F* y = x + h;
      bfly<F>(x[0], y[0], x[0], y[0]);
      for (std::size_t j = 1; j < h; ++j) bfly_dit<F>(x[j], y[j], w[j]);
    }
  }
}

}  // namespace detail

/// 1/k for small public k (1..256), from a table built once. Constant-time in
/// nothing secret (k is a public parameter such as the number of shares).
/// @param k the integer to invert, public; values outside 1..256 are inverted
///        directly (k = 0 or k ≡ 0 mod p gives 0).
/// @return 1/k in F.
template <NttField F>
F small_inverse(std::size_t k) {
  static const std::vector<F> table = [] {
    std::vector<F> v(257);
    F acc = F::one();
    std::vector<F> prefix(257);
    for (std::size_t i = 1; i <= 256; ++i) {
      prefix[i] = acc;
      acc *= F::from_int(static_cast<typename F::Int>(i));
    }
    F inv = acc.inv();
    for (std::size_t i = 256; i >= 1; --i) {
      v[i] = inv * prefix[i];
      inv *= F::from_int(static_cast<typename F::Int>(i));
    }
    return v;
  }();
  if (k >= 1 && k <= 256) return table[k];
  return F::from_int(static_cast<typename F::Int>(k)).inv();
}

/// Smallest power of two >= n (n >= 1).
/// @param n the size (1 for n = 0).
/// @return the smallest power of two >= n.
constexpr std::size_t next_power_of_2(std::size_t n) noexcept { return std::bit_ceil(n); }

/// [W_n^0, …, W_n^(n−1)] (§6.1.2 nth_root_powers). n a power of two.
/// Public data.
/// @param n the number of roots, a power of two (n <= 2^GEN_ORDER_LOG2).
/// @return the n powers of W_n, natural order.
/// @throws internal_error if n is not a power of two.
template <NttField F>
std::vector<F> nth_root_powers(std::size_t n) {
  std::vector<F> out(n);
  F w = nth_root<F>(detail::log2_exact(n));
  F x = F::one();
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = x;
    x *= w;
  }
  return out;
}

/// §6.1.2 `ntt(p, n, set_s)`: values [P(s·W_n^i)] for i < n, where P has the
/// coefficients `p` (len(p) <= n, zero-padded) and s = W_2n if set_s else 1.
/// Constant-time in the coefficients.
/// @param p the monomial coefficients, low first; len(p) <= n.
/// @param n the number of points, a power of two.
/// @param set_s evaluate on the coset s·W_n^i (s = W_2n) instead of W_n^i.
/// @return the n values P(s·W_n^i), i < n.
/// @throws internal_error if len(p) > n, n is not a power of two or too large.
template <NttField F>
std::vector<F> ntt(std::span<const F> p, std::size_t n, bool set_s = false) {
  if (p.size() > n) VDAF_THROW(internal_error, "ntt: more coefficients than points");
  const NttTable<F>& t = ntt_table<F>(detail::log2_exact(n));
  std::vector<F> a(n);
  // Scatter into bit-reversed order while copying, then a DIT pass.
  if (set_s) {
    for (std::size_t i = 0; i < p.size(); ++i) a[t.bitrev[i]] = p[i] * t.s_pows[i];
  } else {
    for (std::size_t i = 0; i < p.size(); ++i) a[t.bitrev[i]] = p[i];
  }
  detail::ntt_dit_inplace<F>(a.data(), n, t.stage_tw.data());
  return a;
}

/// §6.1.2 `inv_ntt(v, n)`: the n coefficients of the polynomial whose values at
/// W_n^i are v[i] (len(v) == n). Constant-time in the values.
/// @param v the n values P(W_n^i).
/// @param n the size, a power of two.
/// @return the n monomial coefficients of P, low first.
/// @throws internal_error if len(v) ≠ n, n is not a power of two or too large.
template <NttField F>
std::vector<F> inv_ntt(std::span<const F> v, std::size_t n) {
  if (v.size() != n) VDAF_THROW(internal_error, "inv_ntt: wrong length");
  const NttTable<F>& t = ntt_table<F>(detail::log2_exact(n));
  std::vector<F> a(n);
  for (std::size_t i = 0; i < n; ++i) a[t.bitrev[i]] = v[i] * t.n_inv;
  detail::ntt_dit_inplace<F>(a.data(), n, t.stage_tw_inv.data());
  return a;
}

/// The odd half of `double_evaluations`: from the n values P(W_n^i) (`p`)
/// writes odd[i] = P(W_2n^(2i+1)) = P(s·W_n^i), s = W_2n, for i < n, without
/// allocating. Fused: inverse DIF (natural in, bit-reversed coefficients
/// out), one pointwise scaling by s^j·n^−1 (bit-reversed), forward DIT
/// (bit-reversed in, natural out); no permutation pass. `odd` may alias `p`.
/// Constant-time in the values.
/// @param p the n values P(W_n^i), n a power of two.
/// @param odd receives the n values P(W_2n^(2i+1)); len(odd) == n.
/// @throws internal_error if len(odd) ≠ n or n is not a power of two.
template <NttField F>
void double_evaluations_odd(std::span<const F> p, std::span<F> odd) {
  const std::size_t n = p.size();
  if (odd.size() != n) VDAF_THROW(internal_error, "double_evaluations_odd: wrong length");
  const NttTable<F>& t = ntt_table<F>(detail::log2_exact(n));
  F* a = odd.data();
  const F* c = t.coset_br.data();
  if (n < 4) {
    detail::ntt_dif<F>(p.data(), a, n, t.stage_tw_inv.data());
    for (std::size_t i = 0; i < n; ++i) a[i] *= c[i];
    detail::ntt_dit_inplace<F>(a, n, t.stage_tw.data());
    return;
  }
#if VDAF_NTT64_HWY
  if constexpr (std::is_same_v<F, Field64>) {
    // The same steps on the vector kernel (detail/simd/ntt64_hwy.hpp), the middle in groups of
    // two vectors.
    constexpr std::size_t L = detail::ntt64_hwy::kLanes;
    if (n >= 2 * L) {
      detail::ntt_dif<F>(p.data(), a, n, t.stage_tw_inv.data(), L);
      detail::ntt64_hwy::dif_scale_dit_tail(
          detail::field64_words(a), n, detail::field64_words(t.stage_tw_inv.data()),
          detail::field64_words(c), detail::field64_words(t.stage_tw.data()));
      detail::ntt_dit_inplace<F>(a, n, t.stage_tw.data(), L);
      return;
    }
  }
#endif
  // Inverse DIF down to blocks of 4; then, per block of 4 in registers, the
  // last two inverse stages, the coset scaling and the first two forward
  // stages; then the remaining forward DIT stages.
  detail::ntt_dif<F>(p.data(), a, n, t.stage_tw_inv.data(), 4);
  const F wi4 = t.stage_tw_inv[3], w4 = t.stage_tw[3];  // W_4^−1, W_4
  for (std::size_t k = 0; k < n; k += 4) {
    F* b = a + k;
    detail::bfly<F>(b[0], b[2], b[0], b[2]);
    detail::bfly_dif<F>(b[1], b[3], b[1], b[3], wi4);
    detail::bfly<F>(b[0], b[1], b[0], b[1]);
    detail::bfly<F>(b[2], b[3], b[2], b[3]);
    for (std::size_t i = 0; i < 4; ++i) b[i] *= c[k + i];
    detail::bfly<F>(b[0], b[1], b[0], b[1]);
    detail::bfly_dif<F>(b[2], b[3], b[2], b[3], w4);
    detail::bfly<F>(b[0], b[2], b[0], b[2]);
    detail::bfly<F>(b[1], b[3], b[1], b[3]);
  }
  detail::ntt_dit_inplace<F>(a, n, t.stage_tw.data(), 4);
}

/// Extends Lagrange values: from the m values P(W_m^i) (`p`, m = p.size() a
/// power of two) of a polynomial of degree < m, writes the n values P(W_n^i)
/// (n = out.size() a power of two, n >= m) without allocating beyond `out`.
/// Inverse DIF to bit-reversed coefficients, then each coefficient is
/// repeated over a block of n/m (the state of a DIT after log2(n/m) stages on
/// the zero-padded input), then the remaining DIT stages of size n.
/// Constant-time in the values.
/// @param p the m values P(W_m^i), m a power of two.
/// @param out receives the n values P(W_n^i); n = len(out) a power of two, n >= m.
/// @throws internal_error if m > n, or m or n is not a power of two.
template <NttField F>
void lagrange_extend(std::span<const F> p, std::span<F> out) {
  const std::size_t m = p.size(), n = out.size();
  if (m > n) VDAF_THROW(internal_error, "lagrange_extend: fewer points than values");
  const NttTable<F>& tm = ntt_table<F>(detail::log2_exact(m));
  const NttTable<F>& tn = ntt_table<F>(detail::log2_exact(n));
  F* a = out.data();
  // Address comparison of possibly unrelated arrays: as integers (std::less would need
  // <functional>).
  const auto addr = [](const F* q) { return reinterpret_cast<std::uintptr_t>(q); };
  const bool disjoint = addr(p.data()) >= addr(a + n) || addr(a) >= addr(p.data() + m);
  if (n == 2 * m && m >= 2 && disjoint) {
    // Doubling (the degree-2 gadgets' case): the even values are the inputs;
    // the odd ones come from the fused double_evaluations_odd (two size-m
    // transforms instead of one of size m and one of size 2m), computed into
    // the upper half and then interleaved from the front (index m + i >= 2i + 1
    // is read before it is overwritten); only when `p` and `out` do not overlap.
    double_evaluations_odd<F>(p, out.subspan(m, m));
    for (std::size_t i = 0; i < m; ++i) {
      a[2 * i + 1] = a[m + i];
      a[2 * i] = p[i];
    }
    return;
  }
  detail::ntt_dif<F>(p.data(), a, m, tm.stage_tw_inv.data());
  const std::size_t r = n / m;
  for (std::size_t q = m; q-- > 0;) {
    const F x = a[q] * tm.n_inv;
    for (std::size_t k = 0; k < r; ++k) a[q * r + k] = x;
  }
  detail::ntt_dit_inplace<F>(a, n, tn.stage_tw.data(), r);
}

/// §6.1.3 `double_evaluations(p)`: from the n values P(W_n^i) produce the 2n
/// values P(W_2n^i), i < 2n (even positions are the inputs). Constant-time in the values.
/// @param p the n values P(W_n^i), n a power of two.
/// @return the 2n values P(W_2n^i).
/// @throws internal_error if n is not a power of two.
template <NttField F>
std::vector<F> double_evaluations(std::span<const F> p) {
  const std::size_t n = p.size();
  std::vector<F> out(2 * n);
  std::span<F> odd(out.data() + n, n);
  double_evaluations_odd<F>(p, odd);
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = p[i];
    out[2 * i + 1] = out[n + i];  // reads index n+i >= 2i+1: not yet overwritten
  }
  return out;
}

/// §6.1.3 `poly_mul(p, q)`: p, q Lagrange vectors of the same power-of-two
/// length n; returns the 2n values of P·Q at W_2n^i. Constant-time in the values.
/// @param p the n values of P at W_n^i.
/// @param q the n values of Q at W_n^i; len(q) == len(p).
/// @return the 2n values (P·Q)(W_2n^i).
/// @throws internal_error if the lengths differ or are not a power of two.
template <NttField F>
std::vector<F> poly_mul(std::span<const F> p, std::span<const F> q) {
  if (p.size() != q.size()) VDAF_THROW(internal_error, "poly_mul: length mismatch");
  const std::size_t n = p.size();
  std::vector<F> a(n), b(n), out(2 * n);
  double_evaluations_odd<F>(p, a);
  double_evaluations_odd<F>(q, b);
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = p[i] * q[i];
    out[2 * i + 1] = a[i] * b[i];
  }
  return out;
}

/// §6.1.3 `poly_eval_batched(polys, x)`: evaluates each Lagrange vector in
/// `polys` (all of the same power-of-two length n) at the point x, in O(n)
/// multiplications per polynomial and no inversion (1/n comes from the cached
/// `ntt_table`), valid for any x:
/// P(x) = (−1)^(n−1)/n · Σ_i v_i·w_i·Π_{j≠i}(w_j − x). Constant-time in the values and x.
/// @param polys the Lagrange vectors, all of length n (a power of two; not checked
///        beyond the first).
/// @param x the evaluation point (any element).
/// @param out receives P_j(x); len(out) >= len(polys).
/// @throws internal_error if n is not a power of two.
template <NttField F>
void poly_eval_batched(std::span<const std::span<const F>> polys, F x, std::span<F> out) {
  if (polys.empty()) return;
  const std::size_t n = polys[0].size();
  const NttTable<F>& tab = ntt_table<F>(detail::log2_exact(n));
  const F w = tab.w;
  for (std::size_t j = 0; j < polys.size(); ++j) out[j] = polys[j][0];
  F node = F::one();
  F k = F::one();  // Π_{j<i}(w_j − x)
  F d = node - x;  // w_i − x
  for (std::size_t i = 1; i < n; ++i) {
    k *= d;
    node *= w;
    d = node - x;
    F t = k * node;
    for (std::size_t j = 0; j < polys.size(); ++j) out[j] = out[j] * d + t * polys[j][i];
  }
  F factor = tab.n_inv;
  if ((n - 1) % 2 == 1) factor = -factor;
  for (std::size_t j = 0; j < polys.size(); ++j) out[j] *= factor;
}

/// §6.1.3 `poly_eval(p, x)` for one Lagrange vector. Constant-time in the values and x.
/// @param p the n values P(W_n^i), n a power of two.
/// @param x the evaluation point.
/// @return P(x).
/// @throws internal_error if n is not a power of two.
template <NttField F>
F poly_eval_lagrange(std::span<const F> p, F x) {
  std::span<const F> one[1] = {p};
  F out[1];
  poly_eval_batched<F>(one, x, out);
  return out[0];
}

/// §6.1.3 `extend_values_to_power_of_2(p, n)`: `p` holds the first m values
/// P(W_n^i), i < m, of a polynomial of degree < m; appends the values for
/// i = m..n−1. O(m·(n−m)) multiplications plus one batch inversion, using
/// Π_{j≠i}(w_i − w_j) over all n roots = n / w_i. Constant-time in the values.
/// @param p the m values P(W_n^i), i < m; extended in place to n values.
/// @param n the target length, a power of two, n >= m.
/// @throws internal_error if m > n or (when m < n) n is not a power of two.
template <NttField F>
void extend_values_to_power_of_2(std::vector<F>& p, std::size_t n) {
  const std::size_t m = p.size();
  if (m > n) VDAF_THROW(internal_error, "extend_values_to_power_of_2: too many values");
  if (m == n) return;
  std::vector<F> x = nth_root_powers<F>(n);
  // B_i = Π_{j>=m}(x_i − x_j) for i < m; A_k = Π_{j>=m, j≠k}(x_k − x_j) for k >= m.
  // P(x_k) = 1/(x_k·A_k) · Σ_{i<m} v_i·x_i·B_i / (x_k − x_i).
  std::vector<F> c(m);  // v_i·x_i·B_i
  for (std::size_t i = 0; i < m; ++i) {
    F b = F::one();
    for (std::size_t j = m; j < n; ++j) b *= x[i] - x[j];
    c[i] = p[i] * x[i] * b;
  }
  const std::size_t r = n - m;
  // Denominators: (x_k − x_i) for each k >= m, i < m, and x_k·A_k: batch-invert.
  std::vector<F> den(r * m + r);
  for (std::size_t kk = 0; kk < r; ++kk) {
    const std::size_t k = m + kk;
    for (std::size_t i = 0; i < m; ++i) den[kk * m + i] = x[k] - x[i];
    F a = x[k];
    for (std::size_t j = m; j < n; ++j)
      if (j != k) a *= x[k] - x[j];
    den[r * m + kk] = a;
  }
  // Montgomery batch inversion (no zero denominators: the roots are distinct).
  std::vector<F> prefix(den.size());
  F acc = F::one();
  for (std::size_t i = 0; i < den.size(); ++i) {
    prefix[i] = acc;
    acc *= den[i];
  }
  F inv = acc.inv();
  for (std::size_t i = den.size(); i-- > 0;) {
    F d = den[i];
    den[i] = inv * prefix[i];
    inv *= d;
  }
  for (std::size_t kk = 0; kk < r; ++kk) {
    F s = F::zero();
    for (std::size_t i = 0; i < m; ++i) s += c[i] * den[kk * m + i];
    p.push_back(s * den[r * m + kk]);
  }
}

/// Horner evaluation of a polynomial given by monomial coefficients (low
/// first); 0 for no coefficients. Starts from the leading coefficient, so a
/// degree-d polynomial costs d multiplications, d − 1 if it is monic (the
/// range-check gadget x² − x: one). Always inlined: the gadget loops call it
/// once per value with short public coefficient lists, and inlined calls on
/// independent values overlap in the pipeline. Constant-time in x (the
/// coefficients are public).
/// @param coeffs the monomial coefficients, low first (public).
/// @param x the evaluation point.
/// @return P(x).
template <Field F>
VDAF_ALWAYS_INLINE F poly_eval_monomial(std::span<const F> coeffs, F x) noexcept {
  if (coeffs.empty()) return F::zero();
  std::size_t i = coeffs.size() - 1;
  F acc = coeffs[i];
  if (i > 0 && acc == F::one()) {
    --i;
    acc = x + coeffs[i];
  }
  while (i-- > 0) acc = acc * x + coeffs[i];
  return acc;
}

VDAF_END_NAMESPACE
