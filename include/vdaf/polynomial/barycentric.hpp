// Barycentric evaluation of Lagrange-basis polynomials at a point
// (draft-irtf-cfrg-vdaf-20 §6.1.3 poly_eval, §7.3.4 query), without NTTs.
//
// A polynomial of degree < n given by its values v_i = P(W_n^i) at all n-th
// roots of unity (n a power of two) is, for t^n ≠ 1,
//   P(t) = (t^n − 1)/n · Σ_i v_i·W_n^i/(t − W_n^i).
// A polynomial of degree < m given by its values at the first m of the n-th
// roots x_i = W_n^i (i < m <= n, as the gadget polynomial of a proof) is
//   P(t) = ℓ(t) · Σ_{i<m} λ_i·v_i/(t − x_i),   ℓ(t) = Π_{i<m}(t − x_i),
//   λ_i = 1/Π_{j<m, j≠i}(x_i − x_j) = x_i·μ_i,  μ_i = Π_{j>=m}(x_i − x_j)/n,
// using Π_{j<n, j≠i}(x_i − x_j) = n/x_i. The denominators 1/(t − x_i) are
// computed once per point with one batch inversion and shared by every
// polynomial evaluated at that point. All functions are constant-time in the
// values and the point (sizes and node indices are public).
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "vdaf/core/once_tables.hpp"
#include "vdaf/detail/simd/ntt128_ifma.hpp"
#include "vdaf/errors.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/polynomial/ntt.hpp"

VDAF_BEGIN_NAMESPACE

/// Per-size constants for barycentric evaluation over the n = 2^log_n roots of
/// unity: the nodes W_n^i (i < n), 1/n, and d_inv[d] = 1/(W_n^d − 1) for
/// 0 < d < n (d_inv[0] = 0). Public data, built once per size and field.
template <NttField F>
struct BarycentricTable {
  std::size_t n = 0;     ///< Number of nodes, n = 2^log_n.
  F n_inv;               ///< 1/n.
  std::vector<F> nodes;  ///< The n nodes W_n^i, i < n (natural order).
  std::vector<F> d_inv;  ///< d_inv[d] = 1/(W_n^d − 1) for 0 < d < n; d_inv[0] = 0.
};

/// Montgomery batch inversion: a[i] ← 1/a[i] for every i, with 3·len(a)
/// multiplications and one inversion; `prefix` (len >= len(a)) receives the
/// prefix products prefix[k] = Π_{i<k} a_i of the inputs. Returns the product
/// of all inputs; if it is zero (some a[i] = 0), every output is zero.
/// Constant-time.
/// @param a the values to invert in place (any length).
/// @param prefix scratch of at least len(a) elements; receives the prefix products.
/// @return Π_i a[i] (of the inputs).
template <Field F>
F batch_invert(std::span<F> a, std::span<F> prefix) noexcept {
  F acc = F::one();
  for (std::size_t i = 0; i < a.size(); ++i) {
    prefix[i] = acc;
    acc *= a[i];
  }
  const F prod = acc;
  F inv = acc.inv();
  for (std::size_t i = a.size(); i-- > 0;) {
    const F d = a[i];
    a[i] = inv * prefix[i];
    inv *= d;
  }
  return prod;
}

/// The table for size 2^log_n (log_n < GEN_ORDER_LOG2), built on first use
/// (thread-safe). Public data.
/// @param log_n log2 of the number of nodes, in 0..GEN_ORDER_LOG2−1.
/// @return the shared table (lives until program exit).
/// @throws internal_error if log_n >= GEN_ORDER_LOG2.
template <NttField F>
const BarycentricTable<F>& barycentric_table(unsigned log_n) {
  static detail::OnceTables<BarycentricTable<F>, F::GEN_ORDER_LOG2> tables;
  if (log_n >= F::GEN_ORDER_LOG2) VDAF_THROW(internal_error, "barycentric: size too large");
  return tables.get(log_n, [log_n](BarycentricTable<F>& t) {
    const std::size_t n = std::size_t{1} << log_n;
    t.n = n;
    t.n_inv = F::from_u64(static_cast<std::uint64_t>(n)).inv();
    t.nodes.resize(n);
    const F w = nth_root<F>(log_n);
    F x = F::one();
    for (std::size_t i = 0; i < n; ++i) {
      t.nodes[i] = x;
      x *= w;
    }
    t.d_inv.assign(n, F::zero());
    if (n > 1) {
      std::vector<F> prefix(n - 1);
      for (std::size_t d = 1; d < n; ++d) t.d_inv[d] = t.nodes[d] - F::one();
      batch_invert<F>(std::span<F>(t.d_inv).subspan(1), prefix);
    }
  });
}

/// inv[i] ← 1/(t − W_n^i) for i < len(inv) (len(inv) <= n = tab.n); `prefix`
/// (len >= len(inv)) receives prefix[k] = Π_{i<k}(t − W_n^i). Returns
/// Π_{i<len(inv)}(t − W_n^i): zero iff t is one of those nodes, in which case
/// every inv[i] is zero. Constant-time.
/// @param tab the table of size n.
/// @param t the evaluation point.
/// @param inv receives 1/(t − W_n^i); len(inv) <= n.
/// @param prefix scratch of at least len(inv) elements.
/// @return Π_{i<len(inv)}(t − W_n^i).
template <NttField F>
F barycentric_denominators(const BarycentricTable<F>& tab, F t, std::span<F> inv,
                           std::span<F> prefix) noexcept {
  for (std::size_t i = 0; i < inv.size(); ++i) inv[i] = t - tab.nodes[i];
  return batch_invert<F>(inv, prefix);
}

/// out[j] = Σ_{i<p} rows[j·p + i]·w[i] for j < len(out): rows of p values laid out one after the
/// other, against one weight vector (a gadget's wires at the query's test point). Field128 with
/// AVX-512 IFMA: 8 rows per pass (detail::ntt128_ifma::dot_rows) when p >= 16, except a last
/// group of fewer than 4 rows; the loop below is its scalar twin and takes the rest (and every
/// row of the other fields). Constant-time.
/// @param rows len(out) rows of p values, contiguous.
/// @param p the row length, >= 1 (len(w)).
/// @param w the p weights.
/// @param out receives one value per row.
template <NttField F>
VDAF_ALWAYS_INLINE void dot_rows(const F* rows, std::size_t p, std::span<const F> w,
                                 std::span<F> out) {
  std::size_t j0 = 0;
#if VDAF_NTT128_IFMA
  if constexpr (std::is_same_v<F, Field128>) {
    // Below p = 16 a pass costs about what the scalar rows do (SumVec(10, 3): p = 8, 1 % slower).
    const std::size_t k = detail::ntt128_ifma::dot_rows_count(out.size());
    if (k > 0 && p >= 16) {
      detail::ntt128_ifma::dot_rows(rows, p, k, w.data(), out.data());
      j0 = k;
    }
  }
#endif
  for (std::size_t j = j0; j < out.size(); ++j) {
    const F* row = rows + j * p;
    F acc = F::zero();
    for (std::size_t i = 0; i < p; ++i) acc += row[i] * w[i];
    out[j] = acc;
  }
}

/// Evaluates the Lagrange vectors `polys` (each of length p, p a power of two,
/// p divides n = tab.n) at t with the denominators `inv` of
/// `barycentric_denominators` (len(inv) > (p−1)·n/p) and tp = t^p, where
/// t^p ≠ 1: out[j] = (t^p − 1)/p · Σ_i polys[j][i]·W_p^i/(t − W_p^i).
/// `scratch` needs p elements. p multiply-adds per polynomial. Constant-time.
/// @param tab the table of size n.
/// @param polys the Lagrange vectors, all of the same length p.
/// @param tp t^p (≠ 1).
/// @param inv the denominators 1/(t − W_n^i), len(inv) > (p−1)·n/p.
/// @param scratch at least p elements of scratch.
/// @param out receives P_j(t); len(out) >= len(polys).
/// @throws internal_error if p is 0 or does not divide n, `inv` or `scratch`
/// is too short, or the vectors have different lengths.
template <NttField F>
void barycentric_eval_roots(const BarycentricTable<F>& tab,
                            std::span<const std::span<const F>> polys, F tp, std::span<const F> inv,
                            std::span<F> scratch, std::span<F> out) {
  if (polys.empty()) return;
  const std::size_t p = polys[0].size();
  if (p == 0 || tab.n % p != 0 || inv.size() <= (p - 1) * (tab.n / p) || scratch.size() < p)
    VDAF_THROW(internal_error, "barycentric_eval_roots: bad sizes");
  const std::size_t step = tab.n / p;
  // u_i = W_p^i/(t − W_p^i), then scaled by (t^p − 1)/p.
  // 1/p = step/n.
  const F factor = (tp - F::one()) * (F::from_u64(static_cast<std::uint64_t>(step)) * tab.n_inv);
  for (std::size_t i = 0; i < p; ++i) scratch[i] = tab.nodes[i * step] * inv[i * step] * factor;
  bool contiguous = true;
  for (std::size_t j = 1; j < polys.size() && contiguous; ++j)
    contiguous = polys[j].data() == polys[0].data() + j * p;
  for (std::size_t j = 0; j < polys.size(); ++j) {
    if (polys[j].size() != p) VDAF_THROW(internal_error, "barycentric_eval_roots: length mismatch");
  }
  if (contiguous) {  // the FLP's wires of a gadget: one block of rows
    dot_rows<F>(polys[0].data(), p, std::span<const F>(scratch.data(), p), out.first(polys.size()));
    return;
  }
  for (std::size_t j = 0; j < polys.size(); ++j)
    dot_rows<F>(polys[j].data(), p, std::span<const F>(scratch.data(), p), out.subspan(j, 1));
}

/// lagrange_weights_direct (below) on element type E (F itself, or eight elements of F in lanes:
/// FlpBBCGGI19::query_lanes) with the size-n inverse stage twiddles as E values
/// (NttTable::stage_tw_inv, n = len(w)). Same results per lane. Sizes are not checked:
/// n >= 1 and len(pw) >= n. Constant-time.
/// @param stage_tw_inv  the n per-stage inverse twiddles of size n, as E values.
/// @param t the evaluation point (any element).
/// @param pw scratch of at least n elements; receives t^k, k < n.
/// @param w receives the n weights in bit-reversed order; n = len(w).
template <class E>
void lagrange_weights_direct(const E* stage_tw_inv, E t, std::span<E> pw, std::span<E> w) {
  const std::size_t n = w.size();
  pw[0] = E::one();
  if (n > 1) pw[1] = t;
  for (std::size_t k = 2; k < n; ++k) pw[k] = pw[k / 2] * pw[k - k / 2];
  detail::ntt_dif<E>(pw.data(), w.data(), n, stage_tw_inv);
}

/// Inversion-free Lagrange weights at t for the n-th roots of unity (n =
/// len(w), a power of two, `tab` = ntt_table(log2 n)), scaled by n and in
/// bit-reversed order: w[bitrev(i)] = n·L_i(t) = Σ_{k<n} t^k·W_n^(−i·k), so a
/// Lagrange vector v of length n has P(t) = (1/n)·Σ_i v_i·w[bitrev(i)].
/// `pw` (len >= n) receives t^k, k < n. n − 2 multiplications (depth
/// log2 n) and one size-n transform; no inversion, so it is valid for every
/// t, including the roots of unity. For small n this is cheaper than the
/// barycentric form's field inversion. Constant-time.
/// @param tab the NTT table of size n (`ntt_table(log2 n)`).
/// @param t the evaluation point (any element).
/// @param pw scratch of at least n elements; receives t^k, k < n.
/// @param w receives the n weights in bit-reversed order; n = len(w).
/// @throws internal_error if n = 0, `pw` is too short or `tab` is not of size n.
template <NttField F>
void lagrange_weights_direct(const NttTable<F>& tab, F t, std::span<F> pw, std::span<F> w) {
  const std::size_t n = w.size();
  if (n == 0 || pw.size() < n || tab.bitrev.size() != n)
    VDAF_THROW(internal_error, "lagrange_weights_direct: bad sizes");
  lagrange_weights_direct<F>(tab.stage_tw_inv.data(), t, pw, w);
}

/// A polynomial of degree < m given by its values at the first m of the n-th
/// roots of unity x_i = W_n^i, n = next_pow2(m) (the gadget polynomial of a
/// BBCGGI19 proof). Holds the public weights μ_i, λ_i = x_i·μ_i (i < m).
template <NttField F>
class BarycentricPrefix {
 public:
  /// Computes the weights μ_i and λ_i for m values (O(n) multiplications,
  /// public data); uses the shared `barycentric_table` of size n.
  /// @param m number of values, m >= 1 (n = next power of two >= m).
  /// @throws internal_error if m = 0 or n is too large for the field.
  explicit BarycentricPrefix(std::size_t m) : m_(m), n_(std::bit_ceil(m == 0 ? 1 : m)) {
    if (m == 0) VDAF_THROW(internal_error, "BarycentricPrefix: empty");
    tab_ = &barycentric_table<F>(static_cast<unsigned>(std::countr_zero(n_)));
    const auto& x = tab_->nodes;
    const std::size_t r = n_ - m_;
    // P_i = Π_{j=m}^{n−1}(x_i − x_j). P_0 directly; then
    // P_{i+1} = W^r · P_i · (x_i − x_{m−1}) / (x_i − x_{n−1}), with
    // 1/(x_i − x_{n−1}) = −x_{n−i}·d_inv[n−1−i] (public, O(m) in total).
    mu_.resize(m_);
    lambda_.resize(m_);
    F pi = F::one();
    for (std::size_t j = m_; j < n_; ++j) pi *= x[0] - x[j];
    const F wr = x[r % n_];
    for (std::size_t i = 0; i < m_; ++i) {
      mu_[i] = pi * tab_->n_inv;
      lambda_[i] = mu_[i] * x[i];
      if (r != 0 && i + 1 < m_) {
        pi = -(wr * pi * (x[i] - x[m_ - 1]) * x[(n_ - i) % n_] * tab_->d_inv[n_ - 1 - i]);
      }
    }
  }

  /// Number of values.
  /// @return m.
  std::size_t m() const noexcept { return m_; }
  /// Number of roots of unity.
  /// @return n = next power of two >= m.
  std::size_t n() const noexcept { return n_; }
  /// The shared table of size n.
  /// @return the `barycentric_table` of size n.
  const BarycentricTable<F>& table() const noexcept { return *tab_; }
  /// λ_i = 1/Π_{j<m, j≠i}(x_i − x_j), i < m.
  /// @return the m weights λ_i.
  std::span<const F> lambda() const noexcept { return lambda_; }

  /// ℓ(x_K) = Π_{i<m}(x_K − x_i) for a node index m <= K < n (public; m
  /// multiplications): pass it to `value_at_node`.
  /// @param k node index K, m <= K < n (not checked).
  /// @return ℓ(x_K).
  F node_ell(std::size_t k) const noexcept {
    F e = F::one();
    for (std::size_t i = 0; i < m_; ++i) e *= tab_->nodes[k] - tab_->nodes[i];
    return e;
  }

  /// P(x_K) for m <= K < n from the m values `v`, with ell_k = node_ell(K):
  /// ℓ(x_K)·Σ_{i<m} μ_i·v_i·d_inv[K−i] (since λ_i/(x_K − x_i) = μ_i/(W^{K−i} − 1)).
  /// m multiply-adds. Constant-time in `v`.
  /// @param v the m values P(x_i), i < m.
  /// @param k node index K, m <= K < n (public, not checked).
  /// @param ell_k ℓ(x_K) from `node_ell(k)`.
  /// @return P(x_K).
  F value_at_node(std::span<const F> v, std::size_t k, F ell_k) const noexcept {
    F acc = F::zero();
    for (std::size_t i = 0; i < m_; ++i) acc += v[i] * (mu_[i] * tab_->d_inv[k - i]);
    return acc * ell_k;
  }

  /// Precomputes the weights of `eval_direct`: for each node m <= K < n,
  /// P(x_K) = Σ_{i<m} v_i·e_{K,i} with e_{K,i} = μ_i·d_inv[K−i]·ℓ(x_K)
  /// ((n − m)·m public values; meant for small n).
  /// @throws internal_error if n is too large for an NTT table.
  void enable_direct() {
    ntt_ = &ntt_table<F>(static_cast<unsigned>(std::countr_zero(n_)));
    ext_.resize((n_ - m_) * m_);
    for (std::size_t k = m_; k < n_; ++k) {
      const F ell = node_ell(k);
      for (std::size_t i = 0; i < m_; ++i)
        ext_[(k - m_) * m_ + i] = mu_[i] * tab_->d_inv[k - i] * ell;
    }
  }
  /// Whether `enable_direct` was called.
  /// @return true iff `eval_direct` and `ntt` may be used.
  bool direct() const noexcept { return ntt_ != nullptr; }
  /// The weights of `eval_direct` for the nodes past the m values (after `enable_direct`):
  /// e_{K,i} at [(K − m)·m + i] for m <= K < n, i < m.
  /// @return (n − m)·m public values.
  std::span<const F> ext() const noexcept { return ext_; }
  /// The size-n transform table (after `enable_direct`).
  /// @return `ntt_table(log2 n)`; only valid if `direct()`.
  const NttTable<F>& ntt() const noexcept { return *ntt_; }

  /// P(t) from the m values `v` and the weights w = lagrange_weights_direct
  /// at t for size n (len(w) == n): the values at the n − m other nodes are
  /// extended from `v`, then (1/n)·Σ_{i<n} P(x_i)·w[bitrev(i)]. Needs
  /// `enable_direct()`. (n − m + 1)·m + n multiplications, no inversion, valid
  /// for every t. Equal to `eval` wherever both apply. Constant-time.
  /// @param v the m values P(x_i), i < m.
  /// @param w the n weights of `lagrange_weights_direct` at t.
  /// @return P(t).
  F eval_direct(std::span<const F> v, std::span<const F> w) const noexcept {
    const std::uint32_t* br = ntt_->bitrev.data();
    F acc = F::zero();
    for (std::size_t i = 0; i < m_; ++i) acc += v[i] * w[br[i]];
    for (std::size_t k = m_; k < n_; ++k) {
      const F* e = ext_.data() + (k - m_) * m_;
      F vk = F::zero();
      for (std::size_t i = 0; i < m_; ++i) vk += v[i] * e[i];
      acc += vk * w[br[k]];
    }
    return acc * tab_->n_inv;
  }

  /// P(t) from the m values `v` and the denominators of
  /// `barycentric_denominators` at t (len(inv) >= m, all non-zero) with
  /// ell = Π_{i<m}(t − x_i). m multiply-adds plus m multiplications.
  /// Constant-time.
  /// @param v the m values P(x_i), i < m.
  /// @param inv the denominators 1/(t − x_i), len(inv) >= m.
  /// @param ell ℓ(t) = Π_{i<m}(t − x_i).
  /// @return P(t).
  F eval(std::span<const F> v, std::span<const F> inv, F ell) const noexcept {
    F acc = F::zero();
    for (std::size_t i = 0; i < m_; ++i) acc += v[i] * (lambda_[i] * inv[i]);
    return acc * ell;
  }

 private:
  std::size_t m_, n_;
  const BarycentricTable<F>* tab_ = nullptr;
  const NttTable<F>* ntt_ = nullptr;
  std::vector<F> mu_, lambda_, ext_;
};

VDAF_END_NAMESPACE
