// The exact samplers of vdaf::dp (CKS20 Algorithms 1-3) against their exact distributions.
// Every test draws from a seeded XofTurboShake128 stream (SeededSource), so the outcomes are
// fixed; each statistical check is stated with the significance level it would have for a fresh
// seed (α = 1e-6 per check unless said otherwise), so a change of seed or of the algorithms' use
// of randomness fails only with that probability if the sampler is right.
#include <cmath>
#include <cstddef>
#include <map>

#include <gtest/gtest.h>

#include "dp/dp_test_support.hpp"
#include "vdaf/dp.hpp"

namespace {

using vdaf::dp::BigInt;
using vdaf::dp::DiscreteGaussian;
using vdaf::dp::DiscreteLaplace;
using vdaf::dp::Rational;
using vdaf_dp_test::chi2_pvalue;
using vdaf_dp_test::chi_square;
using vdaf_dp_test::GaussianPmf;
using vdaf_dp_test::LaplacePmf;
using vdaf_dp_test::SeededSource;
using vdaf_dp_test::to_ll;

constexpr long double ALPHA = 1e-6L;
// Two-sided normal quantile for α = 1e-6: z with 2·(1 − Φ(z)) = 1e-6.
constexpr long double Z_ALPHA = 4.8916L;

long double to_ld(const Rational& r) {
  return r.numerator().convert_to<long double>() / r.denominator().convert_to<long double>();
}

// The chi-square p-value helper against textbook critical values.
TEST(DpChiSquareHelper, MatchesKnownCriticalValues) {
  EXPECT_NEAR(static_cast<double>(chi2_pvalue(3.841459L, 1)), 0.05, 1e-5);
  EXPECT_NEAR(static_cast<double>(chi2_pvalue(18.307038L, 10)), 0.05, 1e-5);
  EXPECT_NEAR(static_cast<double>(chi2_pvalue(59.703222L, 30)), 0.001, 1e-6);
  EXPECT_NEAR(static_cast<double>(chi2_pvalue(23.928127L, 1) / 1e-6L), 1.0, 1e-3);
  EXPECT_NEAR(static_cast<double>(chi2_pvalue(149.449L, 100)), 0.001, 1e-6);
  EXPECT_NEAR(static_cast<double>(chi2_pvalue(100.0L, 100)), 0.481, 1e-3);
}

// Algorithm 1: Bernoulli(exp(−γ)) for γ = 0, tiny, < 1, 1, > 1 (integer and not), large.
// Each empirical frequency within Z_ALPHA binomial standard deviations of exp(−γ) (α = 1e-6).
TEST(DpBernoulliExp, FrequencyMatchesExpMinusGamma) {
  SeededSource rng(1);
  const Rational gammas[] = {Rational(0, 1), Rational(1, 1000000), Rational(1, 3),
                             Rational(1, 1), Rational(5, 2),       Rational(7, 1)};
  constexpr int N = 20000;
  for (const Rational& g : gammas) {
    int hits = 0;
    for (int i = 0; i < N; ++i) hits += vdaf::dp::sample_bernoulli_exp_vartime(g, rng) ? 1 : 0;
    const long double p = std::exp(-to_ld(g));
    if (g.is_zero()) {
      EXPECT_EQ(hits, N) << "exp(0) = 1 exactly";
      continue;
    }
    const long double sd = std::sqrt(N * p * (1 - p));
    EXPECT_LE(std::fabs(hits - N * p), Z_ALPHA * sd + 1)
        << "gamma " << g.to_string() << ": " << hits << " of " << N << ", expected " << N * p;
  }
  // γ = 10^6: probability e^−1000000, so never (the loop stops at the first failed coin).
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(vdaf::dp::sample_bernoulli_exp_vartime(Rational(1000000, 1), rng));
  }
}

struct Samples {
  std::map<long long, std::size_t> counts;
  long double sum = 0, sum2 = 0;
  long long max_abs = 0;
  std::size_t n = 0;
  void add(long long x) {
    ++counts[x];
    sum += static_cast<long double>(x);
    sum2 += static_cast<long double>(x) * x;
    max_abs = std::max(max_abs, std::llabs(x));
    ++n;
  }
  long double mean() const { return sum / n; }
  long double var() const { return sum2 / n - mean() * mean(); }
  std::size_t count_abs_at_least(long long k) const {
    std::size_t c = 0;
    for (const auto& [z, m] : counts) c += std::llabs(z) >= k ? m : 0;
    return c;
  }
};

template <class D>
Samples draw(const D& d, std::size_t n, SeededSource& rng) {
  Samples s;
  for (std::size_t i = 0; i < n; ++i) s.add(to_ll(d.sample_vartime(rng)));
  return s;
}

// Algorithm 2: discrete Laplace of scale 1/ε for ε in {0.1, 1, 10} (sensitivity 1) and a
// non-integer scale 7/3, N = 20000 each. Chi-square goodness of fit against the exact pmf
// (α = 1e-6); a control shows the test has power (the same samples against the pmf of a 25%
// larger scale are rejected). Mean within Z_ALPHA standard errors of 0; sample variance within
// Z_ALPHA standard errors of the exact variance 2q/(1 − q)² (standard error from the exact 4th
// moment 2q(1 + 11q + 11q² + q³)/(1 − q)^4); tails: the count of |X| >= k for k = scale·{1, 3}
// within Z_ALPHA binomial standard deviations of N·2q^k/(1 + q); the largest |X| below the level L
// with N·Pr[|X| >= L]
// <= 1e-6.
TEST(DpDiscreteLaplace, MatchesExactPmfMeanVarianceTails) {
  SeededSource rng(2);
  const Rational scales[] = {Rational(10, 1), Rational(1, 1), Rational(1, 10), Rational(7, 3)};
  constexpr std::size_t N = 20000;
  for (const Rational& scale : scales) {
    SCOPED_TRACE("scale " + scale.to_string());
    const DiscreteLaplace d(scale);
    const Samples s = draw(d, N, rng);
    const LaplacePmf pmf(to_ld(scale));
    const auto fit = chi_square(s.counts, N, pmf);
    EXPECT_GT(fit.pvalue, ALPHA) << "chi2 " << static_cast<double>(fit.stat) << " df " << fit.df;
    if (to_ld(scale) >= 1) {
      const auto wrong = chi_square(s.counts, N, LaplacePmf(1.25L * to_ld(scale)));
      EXPECT_LT(wrong.pvalue, ALPHA) << "the chi-square test must reject a 25% wrong scale";
    }
    const long double var = pmf.variance();
    EXPECT_LE(std::fabs(s.mean()), Z_ALPHA * std::sqrt(var / N));
    const long double q = pmf.q;
    const long double m4 = 2 * q * (1 + 11 * q + 11 * q * q + q * q * q) / std::pow(1 - q, 4.0L);
    EXPECT_LE(std::fabs(s.var() - var), Z_ALPHA * std::sqrt((m4 - var * var) / N) + 1e-3L)
        << "sample variance " << static_cast<double>(s.var()) << ", exact "
        << static_cast<double>(var);
    for (long double mult : {1.0L, 3.0L}) {
      const long long k = std::max(1LL, static_cast<long long>(std::ceil(mult * to_ld(scale))));
      const long double p = pmf.tail_abs(k);
      const long double got = static_cast<long double>(s.count_abs_at_least(k));
      EXPECT_LE(std::fabs(got - N * p), Z_ALPHA * std::sqrt(N * p * (1 - p)) + 1)
          << "Pr[|X| >= " << k << "]";
    }
    long long level = 1;
    while (N * pmf.tail_abs(level) > 1e-6L) ++level;
    EXPECT_LT(s.max_abs, level);
  }
}

// Algorithm 3: discrete Gaussian for σ² in {1, 10/3, 25, 10^4}, N = 20000 each. Chi-square
// against the exact pmf (α = 1e-6) with a power control (σ² 25% larger is rejected); mean and
// variance within Z_ALPHA standard errors of the exact moments (the variance of N_Z(0, σ²) is
// below σ², CKS20 Prop. 19; it and the 4th moment are computed here by summation); tails: the
// fraction with |X| >= k is at most the sub-Gaussian bound 2·e^{−k²/(2σ²)} (CKS20 Cor. 9) plus
// Z_ALPHA binomial deviations, for k = 2σ and 3σ; the largest |X| below sqrt(2σ²·ln(2N/1e-6)).
TEST(DpDiscreteGaussian, MatchesExactPmfMeanVarianceTails) {
  SeededSource rng(3);
  const Rational variances[] = {Rational(1, 1), Rational(10, 3), Rational(25, 1),
                                Rational(10000, 1)};
  constexpr std::size_t N = 20000;
  for (const Rational& s2 : variances) {
    SCOPED_TRACE("sigma^2 " + s2.to_string());
    const DiscreteGaussian d(s2);
    const Samples s = draw(d, N, rng);
    const GaussianPmf pmf(to_ld(s2));
    const auto fit = chi_square(s.counts, N, pmf);
    EXPECT_GT(fit.pvalue, ALPHA) << "chi2 " << static_cast<double>(fit.stat) << " df " << fit.df;
    const auto wrong = chi_square(s.counts, N, GaussianPmf(1.25L * to_ld(s2)));
    EXPECT_LT(wrong.pvalue, ALPHA) << "the chi-square test must reject a 25% wrong variance";
    // Strictly below σ² (by about e^{−2π²σ²}, too little for long double: allow rounding).
    EXPECT_LE(pmf.var, to_ld(s2) * (1 + 1e-12L));
    EXPECT_LE(std::fabs(s.mean()), Z_ALPHA * std::sqrt(pmf.var / N));
    EXPECT_LE(std::fabs(s.var() - pmf.var), Z_ALPHA * std::sqrt((pmf.m4 - pmf.var * pmf.var) / N))
        << "sample variance " << static_cast<double>(s.var()) << ", exact "
        << static_cast<double>(pmf.var);
    const long double sigma = std::sqrt(to_ld(s2));
    for (long double mult : {2.0L, 3.0L}) {
      const long long k = static_cast<long long>(std::ceil(mult * sigma));
      const long double bound = 2 * std::exp(-static_cast<long double>(k) * k / (2 * to_ld(s2)));
      const long double got = static_cast<long double>(s.count_abs_at_least(k));
      EXPECT_LE(got, N * bound + Z_ALPHA * std::sqrt(N * bound) + 1) << "Pr[|X| >= " << k << "]";
    }
    EXPECT_LT(static_cast<long double>(s.max_abs),
              std::sqrt(2 * to_ld(s2) * std::log(2 * N / 1e-6L)));
  }
}

// Large parameters, as libprio-rs' dp_noise bench uses them: σ = 2^64 − 1 and σ = (2^128 − 1)²
// (σ² of 512 bits), exact. 200 samples each: all within 7σ (per-sample probability < 1e-11),
// the sample standard deviation within 25% of σ (α far below 1e-6 for 200 samples), not all
// equal.
TEST(DpDiscreteGaussian, LargeSigmaIsExact) {
  SeededSource rng(4);
  const BigInt m64 = (BigInt(1) << 64) - 1;
  const BigInt m128 = (BigInt(1) << 128) - 1;
  for (const BigInt& sigma : {m64, BigInt(m128 * m128)}) {
    const auto d = DiscreteGaussian::from_sigma(Rational::integer(sigma));
    EXPECT_EQ(d.sigma2(), Rational::integer(sigma * sigma));
    long double sum2 = 0;
    const long double sig = sigma.convert_to<long double>();
    BigInt first = d.sample_vartime(rng);
    bool all_equal = true;
    for (int i = 0; i < 200; ++i) {
      const BigInt x = d.sample_vartime(rng);
      all_equal = all_equal && x == first;
      EXPECT_LT(boost::multiprecision::abs(x), BigInt(sigma * 7));
      const long double r = x.convert_to<long double>() / sig;
      sum2 += r * r;
    }
    EXPECT_FALSE(all_equal);
    EXPECT_NEAR(static_cast<double>(std::sqrt(sum2 / 200)), 1.0, 0.25);
  }
}

// Reproducible from a seed, different across seeds, and the default overload (thread Drbg) works.
TEST(DpSamplers, SeededStreamsAreReproducible) {
  const DiscreteLaplace lap(Rational(5, 1));
  const DiscreteGaussian gau(Rational(50, 1));
  SeededSource a(9), b(9), c(10);
  std::vector<BigInt> va, vb, vc;
  for (int i = 0; i < 50; ++i) {
    va.push_back(lap.sample_vartime(a) + 1000 * gau.sample_vartime(a));
    vb.push_back(lap.sample_vartime(b) + 1000 * gau.sample_vartime(b));
    vc.push_back(lap.sample_vartime(c) + 1000 * gau.sample_vartime(c));
  }
  EXPECT_EQ(va, vb);
  EXPECT_NE(va, vc);
  std::map<long long, int> seen;
  for (int i = 0; i < 200; ++i) ++seen[to_ll(lap.sample_vartime())];
  EXPECT_GT(seen.size(), 5u) << "thread_drbg() samples vary";
}

}  // namespace
