// vdaf::dp benchmarks: samples per second of the exact samplers (CKS20 Algorithms 2 and 3) and
// the cost of noising a Prio3SumVec(1000) aggregate share. Randomness from this thread's Drbg
// (ChaCha20), as in production. The discrete Gaussian rows use the standard deviations of
// libprio-rs' own `dp_noise` bench (benches/speed_tests.rs: (2^128 − 1)², 2^64 − 1, 2^32 − 1, 5,
// 10000/23) plus 1, 10, 100, 1000; the discrete Laplace rows ε in {0.1, 1, 10} with
// sensitivity 1 (scale 1/ε). bench/compare/ times the same rows in libprio-rs 0.18.1.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "vdaf/dp.hpp"
#include "vdaf/prio3.hpp"

namespace {

using vdaf::dp::BigInt;
using vdaf::dp::DiscreteGaussian;
using vdaf::dp::DiscreteLaplace;
using vdaf::dp::Rational;

template <class D>
void bench_sampler(benchmark::State& st, const D& dist) {
  vdaf::Drbg& rng = vdaf::thread_drbg();
  for (auto _ : st) {
    BigInt x = dist.sample_vartime(rng);
    benchmark::DoNotOptimize(x);
  }
  st.SetItemsProcessed(st.iterations());  // items/s = samples/s
}

void bench_add_noise(benchmark::State& st) {
  const vdaf::Prio3SumVec vdaf(2, 1000, 1, 31);
  const vdaf::dp::PureDpDiscreteLaplace strategy(vdaf::dp::PureDpBudget(Rational(1, 1)));
  const auto zeros = vdaf.agg_init({});
  for (auto _ : st) {
    auto share = zeros;
    vdaf::dp::add_noise_to_agg_share_vartime(vdaf, strategy, share, 1000);
    benchmark::DoNotOptimize(share.data());
  }
  st.SetItemsProcessed(st.iterations() * 1000);  // noised coordinates/s
}

const int kRegistered = [] {
  const BigInt m128 = (BigInt(1) << 128) - 1;
  const std::vector<std::pair<std::string, Rational>> sigmas = {
      {"(2^128-1)^2", Rational::integer(m128 * m128)},
      {"2^64-1", Rational::integer((BigInt(1) << 64) - 1)},
      {"2^32-1", Rational::integer((BigInt(1) << 32) - 1)},
      {"5", Rational(5, 1)},
      {"10000/23", Rational(10000, 23)},
      {"1", Rational(1, 1)},
      {"10", Rational(10, 1)},
      {"100", Rational(100, 1)},
      {"1000", Rational(1000, 1)},
  };
  for (const auto& [label, sigma] : sigmas) {
    benchmark::RegisterBenchmark(
        ("BM_DpDiscreteGaussian/sigma:" + label).c_str(),
        [d = DiscreteGaussian::from_sigma(sigma)](benchmark::State& st) { bench_sampler(st, d); });
  }
  const std::vector<std::pair<std::string, Rational>> epsilons = {
      {"0.1", Rational(1, 10)}, {"1", Rational(1, 1)}, {"10", Rational(10, 1)}};
  for (const auto& [label, eps] : epsilons) {
    const vdaf::dp::PureDpDiscreteLaplace s{vdaf::dp::PureDpBudget(eps)};
    benchmark::RegisterBenchmark(
        ("BM_DpDiscreteLaplace/epsilon:" + label + "/sensitivity:1").c_str(),
        [d = s.distribution_for_l1(BigInt(1))](benchmark::State& st) { bench_sampler(st, d); });
  }
  benchmark::RegisterBenchmark("BM_DpAddNoise_Prio3SumVec/length:1000/max:1/epsilon:1",
                               bench_add_noise);
  return 0;
}();

}  // namespace
