// Inversion-free evaluation at a point (lagrange_weights_direct,
// BarycentricPrefix::eval_direct in vdaf/polynomial/barycentric.hpp) against
// naive Lagrange interpolation and the barycentric form, at random points and
// at every n-th root of unity (where the barycentric form does not apply).
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include "support/naive_poly.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/polynomial/barycentric.hpp"
#include "vdaf/polynomial/ntt.hpp"

namespace {

using vdaf::Field128;
using vdaf::Field64;

using vdaf_test::naive_lagrange;
using vdaf_test::random_elem;

template <class F>
class LagrangeDirectTest : public ::testing::Test {};
using Fields = ::testing::Types<Field64, Field128>;
TYPED_TEST_SUITE(LagrangeDirectTest, Fields);

TYPED_TEST(LagrangeDirectTest, WeightsMatchNaiveAndBarycentric) {
  using F = TypeParam;
  std::mt19937_64 rng(11);
  for (unsigned log_n = 0; log_n <= 6; ++log_n) {
    const std::size_t n = std::size_t{1} << log_n;
    const auto& ntab = vdaf::ntt_table<F>(log_n);
    const auto& btab = vdaf::barycentric_table<F>(log_n);
    std::vector<F> v(n);
    for (auto& x : v) x = random_elem<F>(rng);
    std::vector<F> points{random_elem<F>(rng), random_elem<F>(rng), F::zero()};
    for (std::size_t k = 0; k < n; ++k) points.push_back(btab.nodes[k]);
    for (const F& t : points) {
      std::vector<F> pw(n), w(n);
      vdaf::lagrange_weights_direct<F>(ntab, t, pw, w);
      F p = F::one();
      for (std::size_t k = 0; k < n; ++k) {
        EXPECT_EQ(pw[k], p) << n << " " << k;
        p *= t;
      }
      F acc = F::zero();
      for (std::size_t i = 0; i < n; ++i) acc += v[i] * w[ntab.bitrev[i]];
      acc *= ntab.n_inv;
      EXPECT_EQ(acc, naive_lagrange<F>(btab.nodes, v, t)) << n;
      EXPECT_EQ(acc, vdaf::poly_eval_lagrange<F>(v, t)) << n;
      if (t.pow(n) != F::one()) {
        std::vector<F> inv(n), prefix(n), scratch(n), out(1);
        vdaf::barycentric_denominators<F>(btab, t, inv, prefix);
        const std::span<const F> polys[1] = {v};
        vdaf::barycentric_eval_roots<F>(btab, polys, t.pow(n), inv, scratch, out);
        EXPECT_EQ(acc, out[0]) << n;
      }
    }
  }
}

TYPED_TEST(LagrangeDirectTest, PrefixEvalDirectMatchesEval) {
  using F = TypeParam;
  std::mt19937_64 rng(12);
  for (std::size_t m = 1; m <= 40; ++m) {
    vdaf::BarycentricPrefix<F> pre(m);
    EXPECT_FALSE(pre.direct());
    pre.enable_direct();
    ASSERT_TRUE(pre.direct());
    const std::size_t n = pre.n();
    const auto& tab = pre.table();
    const std::span<const F> nodes(tab.nodes.data(), m);
    std::vector<F> v(m);
    for (auto& x : v) x = random_elem<F>(rng);
    std::vector<F> points{random_elem<F>(rng), random_elem<F>(rng)};
    for (std::size_t k = 0; k < n; ++k) points.push_back(tab.nodes[k]);
    for (std::size_t pi = 0; pi < points.size(); ++pi) {
      const F t = points[pi];
      std::vector<F> pw(n), w(n);
      vdaf::lagrange_weights_direct<F>(pre.ntt(), t, pw, w);
      const F got = pre.eval_direct(v, w);
      EXPECT_EQ(got, naive_lagrange<F>(nodes, v, t)) << m << " " << pi;
      if (pi < 2) {
        std::vector<F> inv(n), prefix(n);
        const F prod = vdaf::barycentric_denominators<F>(tab, t, inv, prefix);
        EXPECT_EQ(got, pre.eval(v, inv, m < n ? prefix[m] : prod)) << m;
      } else if (pi - 2 < m) {
        EXPECT_EQ(got, v[pi - 2]) << m;
      } else {
        EXPECT_EQ(got, pre.value_at_node(v, pi - 2, pre.node_ell(pi - 2))) << m;
      }
    }
  }
}

// poly_eval_monomial (ntt.hpp) skips the first multiplication of a monic
// polynomial: check monic and non-monic ones against the power sum.
TYPED_TEST(LagrangeDirectTest, PolyEvalMonomialMonicAndNot) {
  using F = TypeParam;
  std::mt19937_64 rng(13);
  for (std::size_t len = 0; len <= 8; ++len) {
    for (int monic = 0; monic < 2; ++monic) {
      std::vector<F> c(len);
      for (auto& x : c) x = random_elem<F>(rng);
      if (monic && len > 0) c.back() = F::one();
      for (const F x : {random_elem<F>(rng), F::zero(), F::one()}) {
        F want = F::zero(), pw = F::one();
        for (const F& ci : c) {
          want += ci * pw;
          pw *= x;
        }
        EXPECT_EQ(vdaf::poly_eval_monomial<F>(c, x), want) << len << " " << monic;
      }
    }
  }
  const std::vector<F> rc{F::zero(), -F::one(), F::one()};  // x² − x, the range check
  const F x = random_elem<F>(rng);
  EXPECT_EQ(vdaf::poly_eval_monomial<F>(rc, x), x * x - x);
}

}  // namespace
