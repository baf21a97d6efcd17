// NTT and Lagrange-basis helpers (draft-irtf-cfrg-vdaf-20 §6.1.2, §6.1.3)
// against naive O(n²) evaluation and interpolation, for Field64 and Field128.
#include "vdaf/polynomial/ntt.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "support/naive_poly.hpp"
#include "vdaf/field/field.hpp"

namespace {

using vdaf_test::eval_at_roots;
using vdaf_test::eval_naive;
using vdaf_test::root_naive;

using vdaf::Field128;
using vdaf::Field64;
using vdaf::uint128;

// ---------------------------------------------------------------------------
// Naive references
// ---------------------------------------------------------------------------

/// Coefficients of the product of two monomial-basis polynomials.
template <class F>
std::vector<F> mul_naive(const std::vector<F>& a, const std::vector<F>& b) {
  std::vector<F> out(a.size() + b.size() - 1, F::zero());
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < b.size(); ++j) out[i + j] += a[i] * b[j];
  return out;
}

/// Lagrange interpolation through (xs[i], ys[i]), evaluated at x (O(m²)).
template <class F>
F interpolate_naive(const std::vector<F>& xs, const std::vector<F>& ys, F x) {
  F acc = F::zero();
  for (std::size_t i = 0; i < xs.size(); ++i) {
    F num = F::one(), den = F::one();
    for (std::size_t j = 0; j < xs.size(); ++j) {
      if (j == i) continue;
      num *= x - xs[j];
      den *= xs[i] - xs[j];
    }
    acc += ys[i] * num * den.inv();
  }
  return acc;
}

// ---------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------

template <class F>
rc::Gen<F> gen_elem();
template <>
rc::Gen<Field64> gen_elem<Field64>() {
  return rc::gen::map(rc::gen::resize(100, rc::gen::arbitrary<std::uint64_t>()),
                      [](std::uint64_t x) { return Field64::from_int(x); });
}
template <>
rc::Gen<Field128> gen_elem<Field128>() {
  auto w = rc::gen::resize(100, rc::gen::arbitrary<std::uint64_t>());
  return rc::gen::apply(
      [](std::uint64_t h, std::uint64_t l) {
        return Field128::from_int((static_cast<uint128>(h) << 64) | l);
      },
      w, w);
}

template <class F>
std::vector<F> gen_vec(std::size_t n) {
  return *rc::gen::container<std::vector<F>>(n, gen_elem<F>());
}

/// A uniform integer in [lo, hi] (not scaled down by RapidCheck's size).
std::size_t pick(std::size_t lo, std::size_t hi) {
  return *rc::gen::resize(100, rc::gen::inRange<std::size_t>(lo, hi + 1));
}

/// n = 2^k with k uniform in [lo, hi].
std::size_t gen_pow2(unsigned lo, unsigned hi) { return std::size_t{1} << pick(lo, hi); }

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

template <class F>
void prop_inv_ntt_round_trip() {
  const std::size_t n = gen_pow2(0, 10);
  const std::vector<F> p = gen_vec<F>(n);
  const std::vector<F> v = vdaf::ntt<F>(p, n);
  RC_ASSERT(v.size() == n);
  RC_ASSERT(vdaf::inv_ntt<F>(v, n) == p);
  // And the other way round.
  RC_ASSERT(vdaf::ntt<F>(vdaf::inv_ntt<F>(p, n), n) == p);
}

template <class F>
void prop_ntt_matches_naive() {
  const std::size_t n = gen_pow2(0, 7);
  const std::size_t len = pick(0, n);  // zero-padded
  const std::vector<F> p = gen_vec<F>(len);
  RC_ASSERT(vdaf::ntt<F>(p, n) == eval_at_roots(p, n, F::one()));
}

template <class F>
void prop_ntt_set_s_matches_naive() {
  const std::size_t n = gen_pow2(0, 7);
  const std::size_t len = pick(0, n);
  const std::vector<F> p = gen_vec<F>(len);
  const F s = root_naive<F>(2 * n);  // W_2n
  RC_ASSERT(vdaf::ntt<F>(p, n, /*set_s=*/true) == eval_at_roots(p, n, s));
}

template <class F>
void prop_nth_root_powers() {
  const std::size_t n = gen_pow2(0, 8);
  const std::vector<F> w = vdaf::nth_root_powers<F>(n);
  RC_ASSERT(w.size() == n);
  const F r = root_naive<F>(n);
  F x = F::one();
  for (std::size_t i = 0; i < n; ++i) {
    RC_ASSERT(w[i] == x);
    x *= r;
  }
  RC_ASSERT(x == F::one());
}

template <class F>
void prop_double_evaluations() {
  const std::size_t n = gen_pow2(0, 7);
  const std::vector<F> coeffs = gen_vec<F>(n);  // degree < n
  const std::vector<F> vals = eval_at_roots(coeffs, n, F::one());
  const std::vector<F> d = vdaf::double_evaluations<F>(vals);
  RC_ASSERT(d == eval_at_roots(coeffs, 2 * n, F::one()));
}

template <class F>
void prop_poly_mul() {
  const std::size_t n = gen_pow2(0, 6);
  const std::vector<F> a = gen_vec<F>(n), b = gen_vec<F>(n);
  const std::vector<F> got =
      vdaf::poly_mul<F>(eval_at_roots(a, n, F::one()), eval_at_roots(b, n, F::one()));
  // deg(a·b) <= 2n − 2 < 2n: the 2n values determine the product.
  RC_ASSERT(got == eval_at_roots(mul_naive(a, b), 2 * n, F::one()));
}

template <class F>
void prop_poly_eval_lagrange() {
  const std::size_t n = gen_pow2(0, 8);
  const std::vector<F> coeffs = gen_vec<F>(n);
  const std::vector<F> vals = eval_at_roots(coeffs, n, F::one());
  // A random point (almost surely not a root of unity).
  const F x = *gen_elem<F>();
  RC_ASSERT(vdaf::poly_eval_lagrange<F>(vals, x) == eval_naive(coeffs, x));
  // At a root of unity W_n^k the value is the k-th input.
  const std::size_t k = pick(0, n - 1);
  RC_ASSERT(vdaf::poly_eval_lagrange<F>(vals, vdaf::nth_root_powers<F>(n)[k]) == vals[k]);
  // At 0: the constant coefficient.
  RC_ASSERT(vdaf::poly_eval_lagrange<F>(vals, F::zero()) == coeffs[0]);
  // At a root of unity of a larger order (not among the nodes).
  const F y = root_naive<F>(4 * n);
  RC_ASSERT(vdaf::poly_eval_lagrange<F>(vals, y) == eval_naive(coeffs, y));
}

template <class F>
void prop_poly_eval_batched() {
  const std::size_t n = gen_pow2(0, 6);
  const std::size_t count = pick(1, 4);
  std::vector<std::vector<F>> coeffs, vals;
  for (std::size_t j = 0; j < count; ++j) {
    coeffs.push_back(gen_vec<F>(n));
    vals.push_back(eval_at_roots(coeffs.back(), n, F::one()));
  }
  std::vector<std::span<const F>> spans(vals.begin(), vals.end());
  const bool at_root = *rc::gen::arbitrary<bool>();
  const F x = at_root ? vdaf::nth_root_powers<F>(n)[pick(0, n - 1)] : *gen_elem<F>();
  std::vector<F> out(count);
  vdaf::poly_eval_batched<F>(spans, x, out);
  for (std::size_t j = 0; j < count; ++j) RC_ASSERT(out[j] == eval_naive(coeffs[j], x));
}

template <class F>
void prop_extend_values_to_power_of_2() {
  const std::size_t n = gen_pow2(0, 6);
  const std::size_t m = pick(1, n);
  const std::vector<F> coeffs = gen_vec<F>(m);  // degree < m
  const std::vector<F> all = eval_at_roots(coeffs, n, F::one());
  std::vector<F> p(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(m));
  vdaf::extend_values_to_power_of_2<F>(p, n);
  RC_ASSERT(p == all);
  // The extension agrees with naive interpolation through the m given points.
  std::vector<F> xs = vdaf::nth_root_powers<F>(n);
  xs.resize(m);
  const std::vector<F> ys(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(m));
  const F x = *gen_elem<F>();
  RC_ASSERT(interpolate_naive(xs, ys, x) == eval_naive(coeffs, x));
  // The extended values evaluate like the polynomial at a random point.
  RC_ASSERT(vdaf::poly_eval_lagrange<F>(p, x) == eval_naive(coeffs, x));
}

template <class F>
void prop_poly_eval_monomial() {
  const std::vector<F> coeffs = gen_vec<F>(pick(0, 19));
  const F x = *gen_elem<F>();
  RC_ASSERT(vdaf::poly_eval_monomial<F>(coeffs, x) == eval_naive(coeffs, x));
}

#define VDAF_NTT_PROP(Prop)                                \
  RC_GTEST_PROP(NttField64, Prop, ()) { Prop<Field64>(); } \
  RC_GTEST_PROP(NttField128, Prop, ()) { Prop<Field128>(); }

VDAF_NTT_PROP(prop_inv_ntt_round_trip)
VDAF_NTT_PROP(prop_ntt_matches_naive)
VDAF_NTT_PROP(prop_ntt_set_s_matches_naive)
VDAF_NTT_PROP(prop_nth_root_powers)
VDAF_NTT_PROP(prop_double_evaluations)
VDAF_NTT_PROP(prop_poly_mul)
VDAF_NTT_PROP(prop_poly_eval_lagrange)
VDAF_NTT_PROP(prop_poly_eval_batched)
VDAF_NTT_PROP(prop_extend_values_to_power_of_2)
VDAF_NTT_PROP(prop_poly_eval_monomial)

// ---------------------------------------------------------------------------
// Fixed cases
// ---------------------------------------------------------------------------

template <class F>
std::vector<F> ints(std::initializer_list<std::uint64_t> xs) {
  std::vector<F> out;
  for (auto x : xs) out.push_back(vdaf::field_from_u64<F>(x));
  return out;
}

template <class F>
void check_small_known() {
  // P(x) = 1 + 2x + 3x² + 4x³ at the 4th roots of unity 1, i, −1, −i (i = W_4):
  // P(1) = 10, P(−1) = −2, P(i) = (1 − 3) + (2 − 4)i, P(−i) = (1 − 3) − (2 − 4)i.
  const std::vector<F> p = ints<F>({1, 2, 3, 4});
  const F i = vdaf::nth_root<F>(2);
  const F two = vdaf::field_from_u64<F>(2);
  const std::vector<F> want = {vdaf::field_from_u64<F>(10), -two - two * i, -two, -two + two * i};
  EXPECT_TRUE(vdaf::ntt<F>(p, 4) == want);
  EXPECT_TRUE(vdaf::inv_ntt<F>(want, 4) == p);
  // n = 1: the constant.
  const std::vector<F> c = ints<F>({7});
  EXPECT_TRUE(vdaf::ntt<F>(c, 1) == c);
  EXPECT_TRUE(vdaf::ntt<F>(c, 1, true) == c);
  EXPECT_TRUE(vdaf::inv_ntt<F>(c, 1) == c);
  // Empty coefficients: the zero polynomial.
  EXPECT_TRUE(vdaf::ntt<F>(std::vector<F>{}, 8) == std::vector<F>(8, F::zero()));
  // Constant polynomial in the Lagrange basis doubles to a constant.
  EXPECT_TRUE(vdaf::double_evaluations<F>(ints<F>({5, 5})) == ints<F>({5, 5, 5, 5}));
  // extend with m == n is a no-op.
  std::vector<F> full = ints<F>({1, 2, 3, 4});
  vdaf::extend_values_to_power_of_2<F>(full, 4);
  EXPECT_TRUE(full == ints<F>({1, 2, 3, 4}));
  // Degree 0 from one value: every extension is the constant.
  std::vector<F> one = ints<F>({9});
  vdaf::extend_values_to_power_of_2<F>(one, 8);
  EXPECT_TRUE(one == std::vector<F>(8, vdaf::field_from_u64<F>(9)));
}

TEST(NttField64, SmallKnownAnswers) { check_small_known<Field64>(); }
TEST(NttField128, SmallKnownAnswers) { check_small_known<Field128>(); }

TEST(Ntt, NextPowerOf2) {
  EXPECT_EQ(vdaf::next_power_of_2(1), 1u);
  EXPECT_EQ(vdaf::next_power_of_2(2), 2u);
  EXPECT_EQ(vdaf::next_power_of_2(3), 4u);
  EXPECT_EQ(vdaf::next_power_of_2(1024), 1024u);
  EXPECT_EQ(vdaf::next_power_of_2(1025), 2048u);
}

TEST(Ntt, BadSizesAreInternalErrors) {
  const std::vector<Field64> three = ints<Field64>({1, 2, 3});
  EXPECT_THROW(vdaf::inv_ntt<Field64>(three, 3), vdaf::internal_error);
  EXPECT_THROW(vdaf::inv_ntt<Field64>(three, 4), vdaf::internal_error);
  EXPECT_THROW(vdaf::ntt<Field64>(three, 2), vdaf::internal_error);
  EXPECT_THROW(vdaf::ntt<Field64>(three, 6), vdaf::internal_error);
  EXPECT_THROW(vdaf::poly_mul<Field64>(ints<Field64>({1, 2}), ints<Field64>({1})),
               vdaf::internal_error);
  std::vector<Field64> big = ints<Field64>({1, 2, 3});
  EXPECT_THROW(vdaf::extend_values_to_power_of_2<Field64>(big, 2), vdaf::internal_error);
}

// Largest size once, deterministic: round trip at n = 2^12 for both fields.
template <class F>
void check_large_round_trip() {
  const std::size_t n = 4096;
  std::vector<F> p(n);
  F x = vdaf::field_from_u64<F>(3);
  for (auto& e : p) {
    e = x;
    x = x * x + F::one();
  }
  EXPECT_TRUE(vdaf::inv_ntt<F>(vdaf::ntt<F>(p, n), n) == p);
  // Spot-check a few outputs against Horner.
  const std::vector<F> v = vdaf::ntt<F>(p, n);
  const F w = root_naive<F>(n);
  for (std::size_t i : {std::size_t{0}, std::size_t{1}, std::size_t{777}, n - 1}) {
    EXPECT_TRUE(v[i] == eval_naive(p, w.pow(i))) << i;
  }
}

TEST(NttField64, LargeRoundTrip) { check_large_round_trip<Field64>(); }
TEST(NttField128, LargeRoundTrip) { check_large_round_trip<Field128>(); }

}  // namespace
