// The largest instances vdaf-cpp accepts (FlpLimits, include/vdaf/flp/limits.hpp): what they
// cost to construct, to shard one report and to verify it, in time and peak memory. This is
// where the README's "Limits" figures come from (a benchmark, not a timed test).
//
//   BM_Limits_Construct/<instance>   constructing the instance (and its process-wide tables)
//   BM_Limits_Shard/<instance>       shard of one report
//   BM_Limits_Verify/<instance>      verify_init of both aggregators, verifier_shares_to_message,
//                                    verify_next of both
//
// Counter `peak_rss_MiB`: the process's peak resident set so far (getrusage). Run one benchmark
// per process (--benchmark_filter) to read it for that benchmark alone.
#include <sys/resource.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "vdaf/prio3.hpp"

namespace {

using vdaf::Bytes;

double peak_rss_mib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;  // KiB on Linux
}

template <class V>
void bm_construct(benchmark::State& st, const std::function<V()>& make) {
  for (auto _ : st) {
    V v = make();
    benchmark::DoNotOptimize(v);
  }
  st.counters["peak_rss_MiB"] = peak_rss_mib();
}

template <class V>
void bm_shard(benchmark::State& st, const std::function<V()>& make,
              const typename V::Measurement& m) {
  const V v = make();
  const Bytes nonce(16, 1), rand(v.rand_size(), 2), ctx;
  for (auto _ : st) {
    auto r = v.shard(ctx, m, nonce, rand);
    benchmark::DoNotOptimize(r);
  }
  st.counters["peak_rss_MiB"] = peak_rss_mib();
}

template <class V>
void bm_verify(benchmark::State& st, const std::function<V()>& make,
               const typename V::Measurement& m) {
  const V v = make();
  const Bytes nonce(16, 1), rand(v.rand_size(), 2), ctx, key(32, 3);
  const auto r = v.shard(ctx, m, nonce, rand);
  for (auto _ : st) {
    std::vector<typename V::VerifyState> states;
    std::vector<typename V::VerifierShare> shares;
    for (std::size_t j = 0; j < 2; ++j) {
      auto [s, x] = v.verify_init(key, ctx, j, {}, nonce, r.public_share, r.input_shares[j]);
      states.push_back(std::move(s));
      shares.push_back(std::move(x));
    }
    const auto msg = v.verifier_shares_to_message(ctx, {}, shares);
    for (const auto& s : states) benchmark::DoNotOptimize(v.verify_next(ctx, s, msg));
  }
  st.counters["peak_rss_MiB"] = peak_rss_mib();
}

template <class V>
void register_instance(const std::string& name, std::function<V()> make,
                       typename V::Measurement m) {
  auto reg = [&](const std::string& op, auto fn) {
    benchmark::RegisterBenchmark(("BM_Limits_" + op + "/" + name).c_str(), fn)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(1);
  };
  reg("Construct", [make](benchmark::State& st) { bm_construct<V>(st, make); });
  reg("Shard", [make, m](benchmark::State& st) { bm_shard<V>(st, make, m); });
  reg("Verify", [make, m](benchmark::State& st) { bm_verify<V>(st, make, m); });
}

constexpr std::size_t kMaxMeas = vdaf::FlpLimits::MAX_MEAS_LEN;

int register_all() {
  // MEAS_LEN at its limit with arity·P at its limit (chunk 2^11: 2^11 calls, P = 2^12).
  register_instance<vdaf::Prio3Histogram>(
      "Prio3Histogram/length:4194304/chunk:2048",
      [] { return vdaf::Prio3Histogram(2, kMaxMeas, 2048); }, 12345);
  // The most gadget calls: 2^20 (P = 2^21, the largest NTT tables).
  register_instance<vdaf::Prio3Histogram>(
      "Prio3Histogram/length:1048576/chunk:1",
      [] { return vdaf::Prio3Histogram(2, vdaf::FlpLimits::MAX_GADGET_CALLS, 1); }, 777);
  // SumVec with 64-bit entries, MEAS_LEN = 2^22.
  register_instance<vdaf::Prio3SumVec>(
      "Prio3SumVec/length:65536/max:2^64-1/chunk:2048",
      [] { return vdaf::Prio3SumVec(2, kMaxMeas / 64, ~std::uint64_t{0}, 2048); },
      std::vector<std::uint64_t>(kMaxMeas / 64, 0x123456789abcdefULL));
  // Field64 with 3 proofs, MEAS_LEN = 2^22.
  register_instance<vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>>(
      "Prio3SumVecWithMultiproof_Field64/length:1048576/max:15/chunk:2048/proofs:3",
      [] { return vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>(2, kMaxMeas / 4, 15, 2048, 3); },
      std::vector<std::uint64_t>(kMaxMeas / 4, 9));
  return 0;
}

[[maybe_unused]] const int kRegistered = register_all();

}  // namespace
