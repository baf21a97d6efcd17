// NTT and Lagrange-basis polynomial helpers (draft-irtf-cfrg-vdaf-20 §6.1.2, §6.1.3).
//
// A polynomial of degree < n (n a power of two) in the Lagrange basis is the
// vector v[i] = P(W_n^i), W_n the principal n-th root of unity, natural order.
// All functions are constant-time in the element values (sizes are public).
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

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
template <NttField F>
struct NttTable {
  F w, w_inv, n_inv;
  std::vector<F> tw, tw_inv, s_pows;
};

/// The table for size 2^log_n (log_n < GEN_ORDER_LOG2), built on first use
/// (thread-safe).
template <NttField F>
const NttTable<F>& ntt_table(unsigned log_n) {
  static std::array<std::once_flag, F::GEN_ORDER_LOG2> flags;
  static std::array<std::unique_ptr<NttTable<F>>, F::GEN_ORDER_LOG2> tables;
  if (log_n >= F::GEN_ORDER_LOG2) VDAF_THROW(internal_error, "NTT size too large for the field");
  std::call_once(flags[log_n], [log_n] {
    auto t = std::make_unique<NttTable<F>>();
    const std::size_t n = std::size_t{1} << log_n;
    t->w = nth_root<F>(log_n);
    t->w_inv = t->w.inv();
    t->n_inv = F::from_int(static_cast<typename F::Int>(n)).inv();
    t->tw.resize(n / 2);
    t->tw_inv.resize(n / 2);
    F x = F::one(), y = F::one();
    for (std::size_t i = 0; i < n / 2; ++i) {
      t->tw[i] = x;
      t->tw_inv[i] = y;
      x *= t->w;
      y *= t->w_inv;
    }
    t->s_pows.resize(n);
    const F s = nth_root<F>(log_n + 1);
    F z = F::one();
    for (std::size_t i = 0; i < n; ++i) {
      t->s_pows[i] = z;
      z *= s;
    }
    tables[log_n] = std::move(t);
  });
  return *tables[log_n];
}

/// 1/k for small public k (1..256), from a table built once. Constant-time in
/// nothing secret (k is a public parameter such as the number of shares).
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
constexpr std::size_t next_power_of_2(std::size_t n) noexcept { return std::bit_ceil(n); }

/// [W_n^0, …, W_n^(n−1)] (§6.1.2 nth_root_powers). n a power of two.
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

/// In-place transform with twiddles `tw` (= root^i, i < n/2): a[i] ← Σ_j a[j]·root^(i·j),
/// n = a.size() a power of two, natural order in and out.
template <NttField F>
void ntt_inplace(std::span<F> a, std::span<const F> tw) {
  const std::size_t n = a.size();
  if (n <= 1) return;
  const unsigned log_n = detail::log2_exact(n);
  // Bit-reversal permutation (indices are public).
  for (std::size_t i = 0, j = 0; i < n; ++i) {
    if (i < j) std::swap(a[i], a[j]);
    std::size_t bit = n >> 1;
    for (; (j & bit) != 0; bit >>= 1) j ^= bit;
    j |= bit;
  }
  for (unsigned s = 1; s <= log_n; ++s) {
    const std::size_t m = std::size_t{1} << s, half = m >> 1, stride = n >> s;
    for (std::size_t k = 0; k < n; k += m) {
      for (std::size_t j = 0; j < half; ++j) {
        F t = tw[j * stride] * a[k + j + half];
        F u = a[k + j];
        a[k + j] = u + t;
        a[k + j + half] = u - t;
      }
    }
  }
}

/// §6.1.2 `ntt(p, n, set_s)`: values [P(s·W_n^i)] for i < n, where P has the
/// coefficients `p` (len(p) <= n, zero-padded) and s = W_2n if set_s else 1.
template <NttField F>
std::vector<F> ntt(std::span<const F> p, std::size_t n, bool set_s = false) {
  if (p.size() > n) VDAF_THROW(internal_error, "ntt: more coefficients than points");
  const NttTable<F>& t = ntt_table<F>(detail::log2_exact(n));
  std::vector<F> a(n);
  if (set_s) {
    for (std::size_t i = 0; i < p.size(); ++i) a[i] = p[i] * t.s_pows[i];
  } else {
    for (std::size_t i = 0; i < p.size(); ++i) a[i] = p[i];
  }
  ntt_inplace<F>(a, t.tw);
  return a;
}

/// §6.1.2 `inv_ntt(v, n)`: the n coefficients of the polynomial whose values at
/// W_n^i are v[i] (len(v) == n).
template <NttField F>
std::vector<F> inv_ntt(std::span<const F> v, std::size_t n) {
  if (v.size() != n) VDAF_THROW(internal_error, "inv_ntt: wrong length");
  const NttTable<F>& t = ntt_table<F>(detail::log2_exact(n));
  std::vector<F> a(v.begin(), v.end());
  ntt_inplace<F>(a, t.tw_inv);
  for (auto& x : a) x *= t.n_inv;
  return a;
}

/// §6.1.3 `double_evaluations(p)`: from the n values P(W_n^i) produce the 2n
/// values P(W_2n^i), i < 2n (even positions are the inputs).
template <NttField F>
std::vector<F> double_evaluations(std::span<const F> p) {
  const std::size_t n = p.size();
  std::vector<F> coeffs = inv_ntt<F>(p, n);
  std::vector<F> odd = ntt<F>(coeffs, n, /*set_s=*/true);
  std::vector<F> out(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = p[i];
    out[2 * i + 1] = odd[i];
  }
  return out;
}

/// §6.1.3 `poly_mul(p, q)`: p, q Lagrange vectors of the same power-of-two
/// length n; returns the 2n values of P·Q at W_2n^i.
template <NttField F>
std::vector<F> poly_mul(std::span<const F> p, std::span<const F> q) {
  if (p.size() != q.size()) VDAF_THROW(internal_error, "poly_mul: length mismatch");
  std::vector<F> a = double_evaluations<F>(p), b = double_evaluations<F>(q);
  for (std::size_t i = 0; i < a.size(); ++i) a[i] *= b[i];
  return a;
}

/// §6.1.3 `poly_eval_batched(polys, x)`: evaluates each Lagrange vector in
/// `polys` (all of the same power-of-two length n) at the point x, in O(n)
/// multiplications per polynomial and one inversion, valid for any x:
/// P(x) = (−1)^(n−1)/n · Σ_i v_i·w_i·Π_{j≠i}(w_j − x).
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

/// §6.1.3 `poly_eval(p, x)` for one Lagrange vector.
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
/// Π_{j≠i}(w_i − w_j) over all n roots = n / w_i.
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

/// Horner evaluation of a polynomial given by monomial coefficients (low first).
template <Field F>
F poly_eval_monomial(std::span<const F> coeffs, F x) noexcept {
  F acc = F::zero();
  for (std::size_t i = coeffs.size(); i-- > 0;) acc = acc * x + coeffs[i];
  return acc;
}

VDAF_END_NAMESPACE
