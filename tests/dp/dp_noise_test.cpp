// Noise on Prio3 aggregate shares (vdaf::dp::add_noise_to_agg_share_vartime, unshard_noisy):
// each instance's sensitivity, checked against a brute-force maximum over all measurement pairs
// for small parameters; noise added by every aggregator and the collector's noisy result within
// the stated bound with the stated probability; the Field64 instance 0xFFFF1003 and
// Prio3L1BoundSum end to end; bad input.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "dp/dp_test_support.hpp"
#include "vdaf/dp.hpp"
#include "vdaf/prio3.hpp"

namespace {

using vdaf::dp::BigInt;
using vdaf::dp::PureDpBudget;
using vdaf::dp::PureDpDiscreteLaplace;
using vdaf::dp::Rational;
using vdaf::dp::Sensitivity;
using vdaf::dp::ZCdpBudget;
using vdaf::dp::ZCdpDiscreteGaussian;
using vdaf_dp_test::aggregate;
using vdaf_dp_test::GaussianPmf;
using vdaf_dp_test::LaplacePmf;
using vdaf_dp_test::SeededSource;
using vdaf_dp_test::to_ll;

constexpr long double Z_ALPHA = 4.8916L;  // two-sided normal quantile, α = 1e-6

void expect_sensitivity(const Sensitivity& s, long long l1, long long l2sq) {
  EXPECT_EQ(s.l1, BigInt(l1));
  EXPECT_EQ(s.l2_squared, BigInt(l2sq));
}

// The documented values (noise.hpp), for each instance.
TEST(DpSensitivity, InstancesHaveTheDocumentedValues) {
  using vdaf::dp::sensitivity;
  expect_sensitivity(sensitivity(vdaf::Prio3Count(2)), 1, 1);
  expect_sensitivity(sensitivity(vdaf::Prio3Sum(2, 100)), 100, 10000);
  expect_sensitivity(sensitivity(vdaf::Prio3SumVec(2, 10, 3, 4)), 30, 90);
  expect_sensitivity(sensitivity(vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>(2, 10, 3, 4, 3)),
                     30, 90);
  expect_sensitivity(sensitivity(vdaf::Prio3SumVecWithMultiproof<vdaf::Field128>(2, 7, 1, 4, 1)), 7,
                     7);
  expect_sensitivity(
      sensitivity(vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128(2, 10, 3, 4, 3)), 30, 90);
  expect_sensitivity(sensitivity(vdaf::Prio3Histogram(2, 10, 3)), 2, 2);
  expect_sensitivity(sensitivity(vdaf::Prio3Histogram(2, 1, 1)), 1, 1);
  expect_sensitivity(sensitivity(vdaf::Prio3MultihotCountVec(2, 10, 3, 3)), 6, 6);
  expect_sensitivity(sensitivity(vdaf::Prio3MultihotCountVec(2, 5, 4, 3)), 5, 5);
  expect_sensitivity(sensitivity(vdaf::Prio3L1BoundSum(2, 4, 100, 2)), 200, 20000);
  expect_sensitivity(sensitivity(vdaf::Prio3L1BoundSum(2, 1, 100, 2)), 100, 10000);
  // Largest parameters: no overflow (Δ2² = length·max² needs 64 + 64 + bits(length) bits).
  const BigInt m64 = (BigInt(1) << 64) - 1;
  const auto big = sensitivity(
      vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128(2, 3, 0xFFFFFFFF00000000ULL, 1, 1));
  EXPECT_EQ(big.l2_squared, BigInt(3) * BigInt(0xFFFFFFFF00000000ULL) * 0xFFFFFFFF00000000ULL);
  EXPECT_EQ(sensitivity(vdaf::Prio3L1BoundSum(2, 2, ~std::uint64_t{0}, 1)).l2_squared,
            2 * m64 * m64);
}

/// max ‖a − b‖₁ and max ‖a − b‖₂² over all pairs of `set`.
std::pair<long long, long long> brute_force(const std::vector<std::vector<long long>>& set) {
  long long l1 = 0, l2 = 0;
  for (const auto& a : set) {
    for (const auto& b : set) {
      long long s1 = 0, s2 = 0;
      for (std::size_t i = 0; i < a.size(); ++i) {
        s1 += std::llabs(a[i] - b[i]);
        s2 += (a[i] - b[i]) * (a[i] - b[i]);
      }
      l1 = std::max(l1, s1);
      l2 = std::max(l2, s2);
    }
  }
  return {l1, l2};
}

/// Every vector of `len` entries in [0, max] (optionally with entry sum <= sum_max).
std::vector<std::vector<long long>> vectors(std::size_t len, long long max, long long sum_max) {
  std::vector<std::vector<long long>> out;
  std::vector<long long> v(len, 0);
  std::function<void(std::size_t, long long)> rec = [&](std::size_t i, long long sum) {
    if (i == len) {
      out.push_back(v);
      return;
    }
    for (long long x = 0; x <= max && sum + x <= sum_max; ++x) {
      v[i] = x;
      rec(i + 1, sum + x);
    }
  };
  rec(0, 0);
  return out;
}

// The sensitivity of every instance equals the brute-force maximum over all pairs of valid
// measurements (as output vectors) for small parameters: checks the derivations of noise.hpp.
TEST(DpSensitivity, EqualsBruteForceMaximumOverMeasurementPairs) {
  using vdaf::dp::sensitivity;
  auto check = [](const Sensitivity& s, const std::vector<std::vector<long long>>& set,
                  const std::string& what) {
    const auto [l1, l2] = brute_force(set);
    EXPECT_EQ(s.l1, BigInt(std::max(l1, 1LL))) << what;
    EXPECT_EQ(s.l2_squared, BigInt(std::max(l2, 1LL))) << what;
  };
  for (long long max = 1; max <= 5; ++max) {
    check(sensitivity(vdaf::Prio3Sum(2, static_cast<std::uint64_t>(max))), vectors(1, max, 1 << 30),
          "Sum max " + std::to_string(max));
  }
  for (std::size_t len = 1; len <= 3; ++len) {
    for (long long max = 1; max <= 3; ++max) {
      check(sensitivity(vdaf::Prio3SumVec(2, len, static_cast<std::uint64_t>(max), 1)),
            vectors(len, max, 1 << 30),
            "SumVec " + std::to_string(len) + "/" + std::to_string(max));
      check(sensitivity(vdaf::Prio3L1BoundSum(2, len, static_cast<std::uint64_t>(max), 1)),
            vectors(len, max, max),
            "L1BoundSum " + std::to_string(len) + "/" + std::to_string(max));
    }
  }
  for (std::size_t len = 1; len <= 6; ++len) {
    std::vector<std::vector<long long>> onehot;
    for (std::size_t i = 0; i < len; ++i) {
      onehot.emplace_back(len, 0);
      onehot.back()[i] = 1;
    }
    check(sensitivity(vdaf::Prio3Histogram(2, len, 1)), onehot, "Histogram " + std::to_string(len));
    for (std::size_t w = 1; w <= len; ++w) {
      check(sensitivity(vdaf::Prio3MultihotCountVec(2, len, w, 1)),
            vectors(len, 1, static_cast<long long>(w)),
            "MultihotCountVec " + std::to_string(len) + "/" + std::to_string(w));
    }
  }
}

// Noise on every instance: from a zero aggregate share (S = 2, the other share zero),
// unshard_noisy returns exactly the noise. 24 repetitions per strategy (ε = 1, ρ = 1): every
// coordinate within the level L with 24·OUTPUT_LEN·Pr[|X| >= L] <= 1e-6 for the instance's noise
// distribution, and some value nonzero (all zero has probability < 1e-6 even for one coordinate:
// Pr[X = 0] < 0.53 for both distributions here, 0.53^24 < 1e-6).
template <class V>
void check_instance_noise(const V& vdaf, std::uint8_t seed) {
  SCOPED_TRACE(std::string(typeid(V).name()));
  const typename V::AggParam ap{};
  const PureDpDiscreteLaplace lap(PureDpBudget(Rational(1, 1)));
  const ZCdpDiscreteGaussian gau(ZCdpBudget(Rational(1, 1)));
  const Sensitivity sens = vdaf::dp::sensitivity(vdaf);
  SeededSource rng(seed);
  constexpr int REPS = 24;
  const long double n_out = REPS * static_cast<long double>(vdaf.output_len());
  for (int which = 0; which < 2; ++which) {
    long double limit;
    if (which == 0) {
      const LaplacePmf pmf(sens.l1.template convert_to<long double>());  // scale Δ1/1
      long long level = 1;
      while (n_out * pmf.tail_abs(level) > 1e-6L) ++level;
      limit = static_cast<long double>(level);
    } else {
      const long double s2 = sens.l2_squared.template convert_to<long double>() / 2;
      limit = std::sqrt(2 * s2 * std::log(2 * n_out / 1e-6L));
    }
    bool any = false;
    for (int rep = 0; rep < REPS; ++rep) {
      std::vector<typename V::AggShare> shares(2, vdaf.agg_init(ap));
      if (which == 0) {
        vdaf::dp::add_noise_to_agg_share_vartime(vdaf, lap, shares[0], 10, rng);
      } else {
        vdaf::dp::add_noise_to_agg_share_vartime(vdaf, gau, shares[0], 10, rng);
      }
      const auto noisy =
          vdaf::dp::unshard_noisy(vdaf, std::span<const typename V::AggShare>(shares), 10);
      ASSERT_EQ(noisy.size(), vdaf.output_len());
      for (const BigInt& x : noisy) {
        any = any || !x.is_zero();
        EXPECT_LT(boost::multiprecision::abs(x).template convert_to<long double>(), limit);
      }
    }
    EXPECT_TRUE(any) << (which == 0 ? "Laplace" : "Gaussian") << " noise added nothing";
  }
}

TEST(DpNoise, EveryInstanceGetsNoise) {
  check_instance_noise(vdaf::Prio3Count(2), 20);
  check_instance_noise(vdaf::Prio3Sum(2, 7), 21);
  check_instance_noise(vdaf::Prio3SumVec(2, 20, 3, 4), 22);
  check_instance_noise(vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>(2, 20, 3, 4, 3), 23);
  check_instance_noise(vdaf::Prio3SumVecWithMultiproof<vdaf::Field128>(2, 20, 3, 4, 2), 24);
  check_instance_noise(vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128(2, 20, 3, 4, 3), 25);
  check_instance_noise(vdaf::Prio3Histogram(2, 20, 4), 26);
  check_instance_noise(vdaf::Prio3MultihotCountVec(2, 20, 3, 4), 27);
  check_instance_noise(vdaf::Prio3L1BoundSum(2, 20, 9, 4), 28);
}

// Element mapping: n ↦ n mod p, negative n ↦ p − (|n| mod p), both fields.
TEST(DpNoise, IntegersMapToFieldElementsModP) {
  using vdaf::Field128;
  using vdaf::Field64;
  using vdaf::dp::to_field_vartime;
  EXPECT_EQ(to_field_vartime<Field64>(BigInt(-1)), -Field64::one());
  EXPECT_EQ(to_field_vartime<Field128>(BigInt(-1)), -Field128::one());
  EXPECT_EQ(to_field_vartime<Field64>(BigInt(Field64::MODULUS) + 5), Field64::from_u64(5));
  EXPECT_EQ(to_field_vartime<Field64>(-(BigInt(Field64::MODULUS) * 3 + 7)), -Field64::from_u64(7));
  const BigInt p128 = (BigInt(static_cast<std::uint64_t>(Field128::MODULUS >> 64)) << 64) +
                      static_cast<std::uint64_t>(Field128::MODULUS);
  EXPECT_EQ(to_field_vartime<Field128>(p128 * p128 - 2), -Field128::from_u64(2));
  EXPECT_EQ(to_field_vartime<Field128>(BigInt(0)), Field128::zero());
}

struct NoiseStats {
  std::size_t outside = 0, n = 0;
  long double sum = 0, sum2 = 0;
};

/// `trials` times: every one of the S aggregators adds noise (strategy) to its share of the true
/// aggregate of `meas`; the collector's unshard_noisy minus the true aggregate is the total noise.
template <class V, class S>
NoiseStats noisy_trials(const V& vdaf, const S& strategy,
                        const std::vector<typename V::Measurement>& meas,
                        const std::vector<long long>& truth, long double bound, int trials,
                        std::uint8_t seed) {
  const auto agg = aggregate(vdaf, meas);
  {  // without noise, unshard_noisy is the exact aggregate
    const auto exact =
        vdaf::dp::unshard_noisy(vdaf, std::span<const typename V::AggShare>(agg), meas.size());
    for (std::size_t i = 0; i < truth.size(); ++i) EXPECT_EQ(exact[i], BigInt(truth[i]));
  }
  SeededSource rng(seed);
  NoiseStats st;
  for (int t = 0; t < trials; ++t) {
    auto shares = agg;
    for (auto& s : shares)
      vdaf::dp::add_noise_to_agg_share_vartime(vdaf, strategy, s, meas.size(), rng);
    const auto noisy =
        vdaf::dp::unshard_noisy(vdaf, std::span<const typename V::AggShare>(shares), meas.size());
    bool out = false;
    for (std::size_t i = 0; i < truth.size(); ++i) {
      const long double e = static_cast<long double>(to_ll(noisy[i]) - truth[i]);
      out = out || std::fabs(e) > bound;
      st.sum += e;
      st.sum2 += e * e;
      ++st.n;
    }
    st.outside += out ? 1 : 0;
  }
  return st;
}

// Pure DP (discrete Laplace), Prio3SumVec with S = 3 aggregators, length 8, max 3, ε = 1/2:
// Δ1 = 24, scale 48. Stated bound: with q = e^{−1/48}, for each coordinate
// Pr[|X_1 + X_2 + X_3| >= B] <= 3·Pr[|X| >= ceil(B/3)] = 3·2q^{ceil(B/3)}/(1 + q), and over the
// 8 coordinates at most β = 1e-3 for the smallest such B (computed below: B = 3·ceil(48·ln(
// 48000/(1+q)))...). Over 300 trials, at most 5 may exceed it (Pr[Binomial(300, 1e-3) > 5] < 2e-6).
// The total noise per coordinate has mean 0 and variance 3·Var(X) (the collector sees the sum of
// the S independent noises): both within Z_ALPHA standard errors (α = 1e-6).
TEST(DpNoise, NoisyUnshardLaplaceWithinStatedBound) {
  const vdaf::Prio3SumVec vdaf(3, 8, 3, 3);
  std::vector<std::vector<std::uint64_t>> meas = {
      {3, 0, 1, 2, 3, 0, 0, 1}, {0, 0, 3, 3, 1, 2, 0, 1}, {1, 1, 1, 1, 1, 1, 0, 1}};
  const std::vector<long long> truth = {4, 1, 5, 6, 5, 3, 0, 3};
  const PureDpDiscreteLaplace strategy(PureDpBudget(Rational(1, 2)));
  ASSERT_EQ(strategy.distribution_for(vdaf::dp::sensitivity(vdaf)).scale(), Rational(48, 1));
  const LaplacePmf pmf(48);
  const long double S = 3, L = 8, beta = 1e-3L;
  long long k = 1;
  while (L * S * pmf.tail_abs(k) > beta) ++k;
  const long double bound = S * static_cast<long double>(k);
  const int T = 300;
  const NoiseStats st = noisy_trials(vdaf, strategy, meas, truth, bound, T, 30);
  EXPECT_LE(st.outside, 5u) << "bound " << static_cast<double>(bound);
  const long double var = S * pmf.variance();
  const long double q = pmf.q;
  const long double m4one = 2 * q * (1 + 11 * q + 11 * q * q + q * q * q) / std::pow(1 - q, 4.0L);
  const long double m4 = S * m4one + 3 * S * (S - 1) * pmf.variance() * pmf.variance();
  const long double n = static_cast<long double>(st.n);
  const long double mean = st.sum / n, v = st.sum2 / n - mean * mean;
  EXPECT_LE(std::fabs(mean), Z_ALPHA * std::sqrt(var / n));
  EXPECT_LE(std::fabs(v - var), Z_ALPHA * std::sqrt((m4 - var * var) / n))
      << "total-noise variance " << static_cast<double>(v)
      << ", expected S·Var = " << static_cast<double>(var);
}

// zCDP (discrete Gaussian), Prio3Histogram with S = 2, length 6, ρ = 1/10: Δ2² = 2, σ² = 10.
// Stated bound: the total noise of a coordinate is the sum of S independent N_Z(0, σ²), which is
// sub-Gaussian with variance proxy S·σ² (CKS20 Cor. 9), so
// Pr[|total| >= B] <= 2·e^{−B²/(2·S·σ²)}; over the 6 coordinates at most β = 1e-3 for
// B = sqrt(2·S·σ²·ln(2·6/β)). Over 300 trials at most 5 may exceed it; mean and variance of the
// total noise as in the Laplace test (variance S·Var(N_Z(0, σ²)), computed exactly).
TEST(DpNoise, NoisyUnshardGaussianWithinStatedBound) {
  const vdaf::Prio3Histogram vdaf(2, 6, 2);
  const std::vector<std::uint64_t> meas = {0, 5, 5, 2, 3, 5, 0};
  const std::vector<long long> truth = {2, 0, 1, 1, 0, 3};
  const ZCdpDiscreteGaussian strategy(ZCdpBudget(Rational(1, 10)));
  ASSERT_EQ(strategy.distribution_for(vdaf::dp::sensitivity(vdaf)).sigma2(), Rational(10, 1));
  const long double S = 2, L = 6, beta = 1e-3L, s2 = 10;
  const long double bound = std::sqrt(2 * S * s2 * std::log(2 * L / beta));
  const NoiseStats st = noisy_trials(vdaf, strategy, meas, truth, bound, 300, 31);
  EXPECT_LE(st.outside, 5u) << "bound " << static_cast<double>(bound);
  const GaussianPmf pmf(s2);
  const long double var = S * pmf.var;
  const long double m4 = S * pmf.m4 + 3 * S * (S - 1) * pmf.var * pmf.var;
  const long double n = static_cast<long double>(st.n);
  const long double mean = st.sum / n, v = st.sum2 / n - mean * mean;
  EXPECT_LE(std::fabs(mean), Z_ALPHA * std::sqrt(var / n));
  EXPECT_LE(std::fabs(v - var), Z_ALPHA * std::sqrt((m4 - var * var) / n));
}

// The Field64 instance 0xFFFF1003 (SumVec over Field64, XofHmacSha256Aes128, 3 proofs) and
// Prio3L1BoundSum end to end, both strategies, S = 2: coordinates whose true value is 0 get
// negative noise half the time, which must come back negative through Field64's p − |n|. Each
// run (3 per strategy): every coordinate within the level with failure probability <= 1e-6
// (Laplace: OUTPUT_LEN·S·Pr[|X| >= ceil(B/S)] <= 1e-6; Gaussian: sub-Gaussian bound with S·σ²).
template <class V>
void check_end_to_end(const V& vdaf, const std::vector<typename V::Measurement>& meas,
                      const std::vector<long long>& truth, std::uint8_t seed) {
  const Sensitivity sens = vdaf::dp::sensitivity(vdaf);
  const long double L = static_cast<long double>(truth.size()), S = 2;
  const PureDpDiscreteLaplace lap(PureDpBudget(Rational(1, 1)));
  const ZCdpDiscreteGaussian gau(ZCdpBudget(Rational(1, 2)));
  const LaplacePmf pmf(sens.l1.template convert_to<long double>());
  long long k = 1;
  while (L * S * pmf.tail_abs(k) > 1e-6L) ++k;
  const long double s2 = sens.l2_squared.template convert_to<long double>();  // Δ2²/(2·1/2)
  const long double bounds[2] = {S * static_cast<long double>(k),
                                 std::sqrt(2 * S * s2 * std::log(2 * L / 1e-6L))};
  for (int which = 0; which < 2; ++which) {
    SCOPED_TRACE(which == 0 ? "Laplace" : "Gaussian");
    for (int rep = 0; rep < 3; ++rep) {
      const NoiseStats st = which == 0 ? noisy_trials(vdaf, lap, meas, truth, bounds[0], 1,
                                                      static_cast<std::uint8_t>(seed + rep))
                                       : noisy_trials(vdaf, gau, meas, truth, bounds[1], 1,
                                                      static_cast<std::uint8_t>(seed + 10 + rep));
      EXPECT_EQ(st.outside, 0u);
    }
  }
}

TEST(DpNoise, Field64Instance0xFFFF1003EndToEnd) {
  const vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128 vdaf(2, 20, 1, 5, 3);
  std::vector<std::vector<std::uint64_t>> meas(3, std::vector<std::uint64_t>(20, 0));
  meas[0][0] = meas[1][0] = meas[2][0] = 1;
  meas[1][7] = 1;
  std::vector<long long> truth(20, 0);
  truth[0] = 3;
  truth[7] = 1;
  check_end_to_end(vdaf, meas, truth, 40);
  // A zero aggregate: roughly half of the 20 noise values are negative, i.e. near p in Field64.
  SeededSource rng(41);
  std::vector<vdaf::secret_vector<vdaf::Field64>> shares(2, vdaf.agg_init({}));
  vdaf::dp::add_noise_to_agg_share_vartime(
      vdaf, vdaf::dp::PureDpDiscreteLaplace(PureDpBudget(Rational(1, 1))), shares[0], 1, rng);
  int negative = 0;
  for (const auto& x : vdaf::dp::unshard_noisy(
           vdaf, std::span<const vdaf::secret_vector<vdaf::Field64>>(shares), 1)) {
    negative += x.sign() < 0 ? 1 : 0;
  }
  EXPECT_GE(negative, 2);  // Pr[fewer than 2 of 20 negative] < 1e-4 (each ≈ 0.49)
}

TEST(DpNoise, L1BoundSumEndToEnd) {
  const vdaf::Prio3L1BoundSum vdaf(2, 5, 10, 3);
  const std::vector<std::vector<std::uint64_t>> meas = {
      {10, 0, 0, 0, 0}, {2, 3, 0, 5, 0}, {0, 0, 0, 0, 0}, {1, 1, 1, 1, 1}};
  check_end_to_end(vdaf, meas, {13, 4, 1, 6, 1}, 50);
}

// unshard_noisy maps values up to M + h to themselves: a large Prio3Sum aggregate is not
// mistaken for a negative number.
TEST(DpNoise, UnshardNoisyKeepsLargeAggregates) {
  const vdaf::Prio3Sum vdaf(2, std::uint64_t{1} << 40);
  const std::vector<std::uint64_t> meas(3, std::uint64_t{1} << 40);
  const auto agg = aggregate(vdaf, meas);
  const auto r =
      vdaf::dp::unshard_noisy(vdaf, std::span<const vdaf::secret_vector<vdaf::Field64>>(agg), 3);
  EXPECT_EQ(r[0], BigInt(3) << 40);
}

TEST(DpNoise, BadInputThrowsInvalidArgument) {
  const vdaf::Prio3Histogram vdaf(2, 4, 2);
  const PureDpDiscreteLaplace lap(PureDpBudget(Rational(1, 1)));
  vdaf::secret_vector<vdaf::Field128> wrong(3, vdaf::Field128::zero());
  EXPECT_THROW(vdaf::dp::add_noise_to_agg_share_vartime(vdaf, lap, wrong, 5),
               vdaf::invalid_argument);
  auto share = vdaf.agg_init({});
  EXPECT_THROW(vdaf::dp::add_noise_to_agg_share_vartime(vdaf, lap, share, 0),
               vdaf::invalid_argument);
  for (const auto& x : share) EXPECT_EQ(x, vdaf::Field128::zero()) << "unchanged when it throws";
  std::vector<vdaf::secret_vector<vdaf::Field128>> one(1, share);
  EXPECT_THROW((void)vdaf::dp::unshard_noisy(
                   vdaf, std::span<const vdaf::secret_vector<vdaf::Field128>>(one), 5),
               vdaf::invalid_argument);
  std::vector<vdaf::secret_vector<vdaf::Field128>> two(2, share);
  EXPECT_THROW((void)vdaf::dp::unshard_noisy(
                   vdaf, std::span<const vdaf::secret_vector<vdaf::Field128>>(two), 0),
               vdaf::invalid_argument);
  two[1] = wrong;
  EXPECT_THROW((void)vdaf::dp::unshard_noisy(
                   vdaf, std::span<const vdaf::secret_vector<vdaf::Field128>>(two), 5),
               vdaf::invalid_argument);
  // A batch whose aggregate could wrap (M >= p − 1) is refused, as by Prio3::unshard.
  const vdaf::Prio3Sum sum(2, ~std::uint64_t{0} >> 1);
  std::vector<vdaf::secret_vector<vdaf::Field64>> s2(2, sum.agg_init({}));
  EXPECT_THROW((void)vdaf::dp::unshard_noisy(
                   sum, std::span<const vdaf::secret_vector<vdaf::Field64>>(s2), 2),
               vdaf::invalid_argument);
}

}  // namespace
