// Naive polynomial references shared by the NTT tests (independent of the
// library's kernels).
#pragma once

#include <cstddef>
#include <random>
#include <span>
#include <vector>

namespace vdaf_test {

/// P(x) for monomial coefficients (low first), by Horner.
template <class F>
F eval_naive(const std::vector<F>& coeffs, F x) {
  F acc = F::zero();
  for (std::size_t i = coeffs.size(); i-- > 0;) acc = acc * x + coeffs[i];
  return acc;
}

/// W_n = gen^(2^LOG2 / n), computed by repeated squaring of the generator.
template <class F>
F root_naive(std::size_t n) {
  unsigned log_n = 0;
  while ((std::size_t{1} << log_n) < n) ++log_n;
  F w = F::gen();
  for (unsigned i = log_n; i < F::GEN_ORDER_LOG2; ++i) w = w * w;
  return w;
}

/// [P(s·W_n^i) for i < n], P given by monomial coefficients.
template <class F>
std::vector<F> eval_at_roots(const std::vector<F>& coeffs, std::size_t n, F s) {
  std::vector<F> out(n);
  const F w = root_naive<F>(n);
  F x = s;
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = eval_naive(coeffs, x);
    x = x * w;
  }
  return out;
}

/// A pseudo-random field element from a seeded generator (a product plus a sum of 64-bit
/// draws, so Field128 values reach above 2^64).
template <class F>
F random_elem(std::mt19937_64& rng) {
  return F::from_u64(rng()) * F::from_u64(rng()) + F::from_u64(rng());
}

/// Σ_i v_i·Π_{j≠i}(x − x_j)/(x_i − x_j) over the given nodes, x any point: Lagrange
/// interpolation written out, one inversion per node.
template <class F>
F naive_lagrange(std::span<const F> nodes, std::span<const F> v, F x) {
  F acc = F::zero();
  for (std::size_t i = 0; i < v.size(); ++i) {
    F num = F::one(), den = F::one();
    for (std::size_t j = 0; j < v.size(); ++j) {
      if (j == i) continue;
      num *= x - nodes[j];
      den *= nodes[i] - nodes[j];
    }
    acc += v[i] * num * den.inv();
  }
  return acc;
}

}  // namespace vdaf_test
