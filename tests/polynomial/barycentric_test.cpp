// Barycentric evaluation (vdaf/polynomial/barycentric.hpp) against naive
// Lagrange interpolation, and FlpBBCGGI19::query on gadgets of degree >= 3
// (lookups beyond the proof's m values) and on test points that are n-th roots.
#include "vdaf/polynomial/barycentric.hpp"

#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include "support/naive_poly.hpp"
#include "vdaf/errors.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/flp/circuits/count.hpp"
#include "vdaf/flp/circuits/sum.hpp"
#include "vdaf/flp/flp_bbcggi19.hpp"
#include "vdaf/polynomial/ntt.hpp"

namespace {

using vdaf::Field128;
using vdaf::Field64;

using vdaf_test::naive_lagrange;
using vdaf_test::random_elem;

template <class F>
class BarycentricTest : public ::testing::Test {};
using Fields = ::testing::Types<Field64, Field128>;
TYPED_TEST_SUITE(BarycentricTest, Fields);

TYPED_TEST(BarycentricTest, BatchInvertMatchesInv) {
  using F = TypeParam;
  std::mt19937_64 rng(1);
  std::vector<F> a(37), b, prefix(37);
  for (auto& x : a) x = random_elem<F>(rng);
  b = a;
  F prod = vdaf::batch_invert<F>(std::span<F>(b), std::span<F>(prefix));
  F want = F::one();
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(b[i], a[i].inv()) << i;
    EXPECT_EQ(prefix[i], want) << i;
    want *= a[i];
  }
  EXPECT_EQ(prod, want);
  // A zero input zeroes every output and the product.
  b = a;
  b[5] = F::zero();
  EXPECT_EQ(vdaf::batch_invert<F>(std::span<F>(b), std::span<F>(prefix)), F::zero());
  for (const F& x : b) EXPECT_EQ(x, F::zero());
}

TYPED_TEST(BarycentricTest, EvalRootsMatchesNaiveAndPolyEval) {
  using F = TypeParam;
  std::mt19937_64 rng(2);
  for (unsigned log_n = 0; log_n <= 6; ++log_n) {
    const std::size_t n = std::size_t{1} << log_n;
    const auto& tab = vdaf::barycentric_table<F>(log_n);
    ASSERT_EQ(tab.nodes.size(), n);
    for (std::size_t d = 1; d < n; ++d)
      EXPECT_EQ(tab.d_inv[d] * (tab.nodes[d] - F::one()), F::one());
    for (std::size_t p = 1; p <= n; p *= 2) {
      const std::size_t step = n / p;
      std::vector<F> wire_nodes(p);
      for (std::size_t i = 0; i < p; ++i) wire_nodes[i] = tab.nodes[i * step];
      std::vector<std::vector<F>> polys(3, std::vector<F>(p));
      for (auto& v : polys)
        for (auto& x : v) x = random_elem<F>(rng);
      std::vector<std::span<const F>> spans(polys.begin(), polys.end());
      const F t = random_elem<F>(rng);
      std::vector<F> inv(n), prefix(n), scratch(p), out(3);
      const F prod = vdaf::barycentric_denominators<F>(tab, t, inv, prefix);
      EXPECT_EQ(prod, t.pow(n) - F::one());
      vdaf::barycentric_eval_roots<F>(tab, spans, t.pow(p), inv, scratch, out);
      for (std::size_t j = 0; j < 3; ++j) {
        EXPECT_EQ(out[j], naive_lagrange<F>(wire_nodes, polys[j], t)) << n << " " << p;
        EXPECT_EQ(out[j], vdaf::poly_eval_lagrange<F>(polys[j], t)) << n << " " << p;
      }
    }
  }
}

TYPED_TEST(BarycentricTest, PrefixMatchesNaive) {
  using F = TypeParam;
  std::mt19937_64 rng(3);
  for (std::size_t m = 1; m <= 40; ++m) {
    vdaf::BarycentricPrefix<F> pre(m);
    const std::size_t n = pre.n();
    ASSERT_EQ(n, std::bit_ceil(m));
    const auto& tab = pre.table();
    std::span<const F> nodes(tab.nodes.data(), m);
    // λ_i against its definition.
    for (std::size_t i = 0; i < m; ++i) {
      F d = F::one();
      for (std::size_t j = 0; j < m; ++j)
        if (j != i) d *= tab.nodes[i] - tab.nodes[j];
      EXPECT_EQ(pre.lambda()[i] * d, F::one()) << m << " " << i;
    }
    std::vector<F> v(m);
    for (auto& x : v) x = random_elem<F>(rng);
    // At a random point.
    const F t = random_elem<F>(rng);
    std::vector<F> inv(n), prefix(n);
    const F prod = vdaf::barycentric_denominators<F>(tab, t, inv, prefix);
    const F ell = m < n ? prefix[m] : prod;
    EXPECT_EQ(pre.eval(v, inv, ell), naive_lagrange<F>(nodes, v, t)) << m;
    // At the nodes the values do not cover.
    for (std::size_t k = m; k < n; ++k) {
      EXPECT_EQ(pre.value_at_node(v, k, pre.node_ell(k)), naive_lagrange<F>(nodes, v, tab.nodes[k]))
          << m << " " << k;
    }
    // Agrees with the NTT-based extension of ntt.hpp.
    std::vector<F> ext(v);
    vdaf::extend_values_to_power_of_2<F>(ext, n);
    for (std::size_t k = m; k < n; ++k) EXPECT_EQ(pre.value_at_node(v, k, pre.node_ell(k)), ext[k]);
  }
}

// A circuit with `calls` calls of one PolyEval gadget of degree >= 3 whose
// roots are 0..deg−1: valid iff every measurement entry is one of them.
template <class F>
class RootsCircuit {
 public:
  using Field = F;
  using Measurement = std::vector<std::uint64_t>;
  using AggResult = std::uint64_t;
  RootsCircuit(std::span<const long long> coeffs, std::size_t calls) : calls_{calls} {
    gadgets_.push_back(vdaf::Gadget<F>::PolyEval(coeffs));
  }
  std::size_t meas_len() const noexcept { return calls_[0]; }
  std::size_t joint_rand_len() const noexcept { return 1; }
  std::size_t output_len() const noexcept { return calls_[0]; }
  std::size_t eval_output_len() const noexcept { return 1; }
  const std::vector<vdaf::Gadget<F>>& gadgets() const noexcept { return gadgets_; }
  const std::vector<std::size_t>& gadget_calls() const noexcept { return calls_; }
  template <class Ctx>
  void eval(Ctx& ctx, std::span<const F> meas, std::span<const F> jr, std::size_t,
            std::span<F> out) const {
    F acc = F::zero(), r = jr[0];
    for (std::size_t i = 0; i < calls_[0]; ++i) {
      acc += r * ctx.call(0, meas.subspan(i, 1));
      r *= jr[0];
    }
    out[0] = acc;
  }
  void truncate(std::span<const F> meas, std::span<F> out) const noexcept {
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = meas[i];
  }

 private:
  std::vector<vdaf::Gadget<F>> gadgets_;
  std::vector<std::size_t> calls_;
};

template <class F>
void check_flp(std::span<const long long> coeffs, std::size_t calls, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::uint64_t roots = coeffs.size() - 1;
  vdaf::FlpBBCGGI19<RootsCircuit<F>> flp(RootsCircuit<F>(coeffs, calls));
  std::vector<F> meas(calls), prove_rand(flp.prove_rand_len()), jr(flp.joint_rand_len());
  for (auto& x : meas) x = F::from_u64(rng() % roots);
  for (auto& x : prove_rand) x = random_elem<F>(rng);
  for (auto& x : jr) x = random_elem<F>(rng);
  std::vector<F> proof(flp.proof_len());
  flp.prove(meas, prove_rand, jr, proof);
  const std::size_t p = std::bit_ceil(calls + 1);
  const std::size_t n = std::bit_ceil((roots) * (p - 1) + 1);
  std::vector<F> qr(flp.query_rand_len()), ver(flp.verifier_len());
  // Random test points, and n-th roots that are not p-th roots (variable-time path).
  std::vector<F> points{random_elem<F>(rng), random_elem<F>(rng)};
  const auto& tab = vdaf::barycentric_table<F>(static_cast<unsigned>(std::countr_zero(n)));
  for (std::size_t k = 1; k < n; ++k)
    if (k % (n / p) != 0) points.push_back(tab.nodes[k]);
  for (std::size_t pi = 0; pi < points.size(); ++pi) {
    const F t = points[pi];
    qr[0] = t;
    // Two shares of the measurement and proof: the verifier is linear.
    std::vector<F> m0(calls), p0(proof.size()), m1(meas), p1(proof), v0(ver.size()), v1(ver.size());
    for (auto& x : m0) x = random_elem<F>(rng);
    for (auto& x : p0) x = random_elem<F>(rng);
    for (std::size_t i = 0; i < calls; ++i) m1[i] -= m0[i];
    for (std::size_t i = 0; i < proof.size(); ++i) p1[i] -= p0[i];
    flp.query(m0, p0, qr, jr, 2, v0);
    flp.query(m1, p1, qr, jr, 2, v1);
    for (std::size_t i = 0; i < ver.size(); ++i) ver[i] = v0[i] + v1[i];
    EXPECT_TRUE(flp.decide(ver)) << calls;
    // Whole (one-share) query agrees with the sum of shares.
    flp.query(meas, proof, qr, jr, 1, v0);
    EXPECT_EQ(v0, ver);
    // A tampered gadget-polynomial value is caught (at a random point; at a
    // node x_K, K < m − 1, the change is invisible by construction).
    if (pi >= 2) continue;
    std::vector<F> bad(proof);
    bad[proof.size() - 1] += F::one();
    flp.query(meas, bad, qr, jr, 1, v0);
    EXPECT_FALSE(flp.decide(v0));
  }
  // An invalid measurement is rejected.
  meas[0] = F::from_u64(roots);
  flp.prove(meas, prove_rand, jr, proof);
  qr[0] = random_elem<F>(rng);
  flp.query(meas, proof, qr, jr, 1, ver);
  EXPECT_FALSE(flp.decide(ver));
}

TYPED_TEST(BarycentricTest, FlpHigherDegreeGadgets) {
  using F = TypeParam;
  static constexpr long long kCubic[] = {0, 2, -3, 1};         // x(x−1)(x−2)
  static constexpr long long kQuartic[] = {0, -6, 11, -6, 1};  // x(x−1)(x−2)(x−3)
  static constexpr long long kQuadratic[] = {0, -1, 1};        // x(x−1)
  for (std::size_t calls : {1u, 2u, 3u, 5u, 7u, 8u, 12u}) {
    check_flp<F>(kCubic, calls, calls);
    check_flp<F>(kQuartic, calls, 100 + calls);
    check_flp<F>(kQuadratic, calls, 200 + calls);
  }
}

// query()'s lean path (one degree-2 gadget called once) against query_general on the same
// inputs: random shares, each number of shares, the 4th roots that are not square roots of 1
// (inside the domain, no special case), and the aborting points t = ±1.
template <class Flp>
void check_lean_query(const Flp& flp, std::uint64_t seed) {
  using F = typename Flp::Field;
  ASSERT_TRUE(flp.lean_query());
  std::mt19937_64 rng(seed);
  std::vector<F> meas(flp.meas_len()), proof(flp.proof_len()), qr(flp.query_rand_len()),
      jr(flp.joint_rand_len()), lean(flp.verifier_len()), general(flp.verifier_len());
  const auto& tab = vdaf::barycentric_table<F>(2);  // the 4th roots of unity
  for (int i = 0; i < 200; ++i) {
    for (auto& x : meas) x = random_elem<F>(rng);
    for (auto& x : proof) x = random_elem<F>(rng);
    for (auto& x : jr) x = random_elem<F>(rng);
    for (auto& x : qr) x = random_elem<F>(rng);
    if (i % 50 == 1) qr.back() = tab.nodes[1];
    if (i % 50 == 2) qr.back() = tab.nodes[3];
    if (i % 50 == 3) meas.assign(meas.size(), F::zero());
    const std::size_t shares = 1 + static_cast<std::size_t>(i % 3);
    flp.query(meas, proof, qr, jr, shares, lean);
    flp.query_general(meas, proof, qr, jr, shares, general);
    ASSERT_EQ(lean, general) << "input " << i;
  }
  for (const F t : {F::one(), F::zero() - F::one()}) {
    qr.back() = t;
    EXPECT_THROW(flp.query(meas, proof, qr, jr, 2, lean), vdaf::verify_error);
    EXPECT_THROW(flp.query_general(meas, proof, qr, jr, 2, general), vdaf::verify_error);
  }
}

TYPED_TEST(BarycentricTest, FlpLeanQueryMatchesGeneral) {
  using F = TypeParam;
  check_lean_query(vdaf::FlpBBCGGI19<vdaf::Count<F>>(vdaf::Count<F>()), 1);
  check_lean_query(vdaf::FlpBBCGGI19<vdaf::Sum<F>>(vdaf::Sum<F>(1)), 2);  // one range-check call
  static constexpr long long kQuadratic[] = {0, -1, 1};
  check_lean_query(vdaf::FlpBBCGGI19<RootsCircuit<F>>(RootsCircuit<F>(kQuadratic, 1)), 3);
  // Two calls, or degree 3: the general path.
  EXPECT_FALSE(vdaf::FlpBBCGGI19<vdaf::Sum<F>>(vdaf::Sum<F>(3)).lean_query());
  static constexpr long long kCubic[] = {0, 2, -3, 1};
  EXPECT_FALSE(vdaf::FlpBBCGGI19<RootsCircuit<F>>(RootsCircuit<F>(kCubic, 1)).lean_query());
}

}  // namespace
