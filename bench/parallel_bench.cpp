// Aggregation across cores (vdaf::parallel, oneTBB): the whole verification round of a job of
// reports, both aggregators, in a task arena of 1, 2, ... threads (up to the machine's cores).
// Prio3: verify_init_batch ×2, verifier_shares_to_message_batch, verify_next_batch ×2 (consuming
// the states) and aggregate ×2 (per-task aggregate shares merged). Poplar1 (128 bits, the last
// level, 16 candidate prefixes): the ping-pong batch steps (leader_initialized, helper_initialized,
// leader_continued, helper_continued). items_per_second is reports per second of wall-clock time
// (UseRealTime), both aggregators together; the `threads` argument is the arena's size. The
// reports are distinct (own nonce and randomness) and all valid: a rejected one fails the run.
// See bench/README.md for the figures and the scaling.
#include <tbb/info.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "support/splitmix64.hpp"
#include "vdaf/parallel.hpp"
#include "vdaf/poplar1.hpp"
#include "vdaf/prio3.hpp"
#include "vdaf/topology/ping_pong.hpp"

namespace {

namespace par = vdaf::parallel;
constexpr std::array<std::uint8_t, 32> kVerifyKey{};
constexpr vdaf::ByteSpan kCtx{};
constexpr std::size_t kPoplarReports = 256;

/// A job of n distinct valid reports of `vdaf`, sharded once.
template <class V>
struct Job {
  V vdaf;
  typename V::AggParam agg_param{};
  std::vector<vdaf::Bytes> nonce_bytes;
  std::vector<vdaf::ByteSpan> nonces;
  std::vector<typename V::PublicShare> pubs;
  std::array<std::vector<typename V::InputShare>, 2> shares;

  template <class Meas>
  Job(V v, std::size_t n, const Meas& meas) : vdaf(std::move(v)) {
    vdaf_bench::SplitMix64 rng(0x70617261ULL);  // "para"
    for (std::size_t i = 0; i < n; ++i) {
      nonce_bytes.push_back(rng.bytes(V::NONCE_SIZE));
      auto s = vdaf.shard(kCtx, meas(rng, i), nonce_bytes.back(), rng.bytes(vdaf.rand_size()));
      pubs.push_back(std::move(s.public_share));
      for (std::size_t j = 0; j < 2; ++j) shares[j].push_back(std::move(s.input_shares[j]));
    }
    nonces.assign(nonce_bytes.begin(), nonce_bytes.end());
  }
};

template <class V>
void bm_prio3_round(benchmark::State& st, const Job<V>& job) {
  const V& v = job.vdaf;
  const std::size_t n = job.nonces.size();
  tbb::task_arena arena(static_cast<int>(st.range(0)));
  std::size_t accepted = 0;
  for (auto _ : st) {
    arena.execute([&] {
      std::array<std::vector<typename V::VerifyState>, 2> states;
      std::array<std::vector<typename V::VerifierShare>, 2> vshares;
      for (std::size_t j = 0; j < 2; ++j) {
        auto init = par::verify_init_batch(v, kVerifyKey, kCtx, j, job.agg_param, job.nonces,
                                           job.pubs, job.shares[j]);
        states[j].resize(n);
        vshares[j].resize(n);
        for (std::size_t i = 0; i < n; ++i) {
          if (init[i].result) {
            states[j][i] = std::move(init[i].result->first);
            vshares[j][i] = std::move(init[i].result->second);
          }
        }
      }
      const std::array<std::span<const typename V::VerifierShare>, 2> by_agg{vshares[0],
                                                                             vshares[1]};
      const auto msgs = par::verifier_shares_to_message_batch(v, kCtx, job.agg_param, by_agg);
      std::vector<typename V::VerifierMessage> m(n);
      for (std::size_t i = 0; i < n; ++i) {
        if (msgs[i].result) m[i] = *msgs[i].result;
      }
      for (std::size_t j = 0; j < 2; ++j) {
        const auto out = par::verify_next_batch(v, kCtx, std::move(states[j]), m);
        auto [agg, count] =
            par::aggregate(v, job.agg_param, std::span<const typename V::OutShareOutcome>(out));
        accepted += count;
        benchmark::DoNotOptimize(agg);
      }
    });
  }
  if (accepted != 2 * n * static_cast<std::size_t>(st.iterations())) {
    st.SkipWithError("a report was rejected");
  }
  st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(n));
}

void bm_poplar1_round(benchmark::State& st, const Job<vdaf::Poplar1>& job) {
  using PP = vdaf::PingPong<vdaf::Poplar1>;
  const PP pp(job.vdaf, kVerifyKey, kCtx, job.agg_param);
  const std::size_t n = job.nonces.size();
  tbb::task_arena arena(static_cast<int>(st.range(0)));
  std::size_t finished = 0;
  std::vector<vdaf::ByteSpan> msgs(n);
  const auto outbound = [&](const std::vector<PP::State>& s) {
    for (std::size_t i = 0; i < n; ++i) {
      const vdaf::Bytes* o = PP::outbound(s[i]);
      msgs[i] = o ? vdaf::ByteSpan(*o) : vdaf::ByteSpan();
    }
  };
  for (auto _ : st) {
    arena.execute([&] {
      const auto l0 = par::leader_initialized_batch(pp, job.nonces, job.pubs, job.shares[0]);
      outbound(l0);
      const auto h0 = par::helper_initialized_batch(pp, job.nonces, job.pubs, job.shares[1], msgs);
      outbound(h0);
      const auto l1 = par::leader_continued_batch(pp, std::span(l0), msgs);
      outbound(l1);
      const auto h1 = par::helper_continued_batch(pp, std::span(h0), msgs);
      for (std::size_t i = 0; i < n; ++i) {
        finished += PP::is_finished(l1[i]) && PP::is_finished(h1[i]) ? 1 : 0;
      }
    });
  }
  if (finished != n * static_cast<std::size_t>(st.iterations())) {
    st.SkipWithError("a report was rejected");
  }
  st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(n));
}

/// 1, 2, 4, ... threads up to the machine's core count (and that count itself).
void thread_args(benchmark::internal::Benchmark* b) {
  const int cores = std::max(1, tbb::info::default_concurrency());
  for (int t = 1; t < cores; t *= 2) b->Arg(t);
  b->Arg(cores);
}

template <class V, class Meas>
void register_prio3(const std::string& name, std::size_t n, V v, Meas meas) {
  // Sharded on first use, so that a filtered run builds only the jobs it times.
  auto job = std::make_shared<std::unique_ptr<Job<V>>>();
  benchmark::RegisterBenchmark(
      ("BM_Parallel_Round/" + name + "/reports:" + std::to_string(n)).c_str(),
      [job, n, v, meas](benchmark::State& st) {
        if (!*job) *job = std::make_unique<Job<V>>(v, n, meas);
        bm_prio3_round<V>(st, **job);
      })
      ->Apply(thread_args)
      ->ArgName("threads")
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
}

const int kRegistered = [] {
  register_prio3("Prio3Count", 8192, vdaf::Prio3Count(2),
                 [](vdaf_bench::SplitMix64& r, std::size_t) { return r.next() % 2; });
  register_prio3("Prio3Histogram(100,10)", 1024, vdaf::Prio3Histogram(2, 100, 10),
                 [](vdaf_bench::SplitMix64& r, std::size_t) { return r.next() % 100; });
  register_prio3("Prio3SumVec(1000,1,31)", 128, vdaf::Prio3SumVec(2, 1000, 1, 31),
                 [](vdaf_bench::SplitMix64& r, std::size_t) {
                   std::vector<std::uint64_t> m(1000);
                   for (auto& x : m) x = r.next() % 2;
                   return m;
                 });
  auto poplar = std::make_shared<std::unique_ptr<Job<vdaf::Poplar1>>>();
  benchmark::RegisterBenchmark(
      ("BM_Parallel_Round/Poplar1(128)/level:127/prefixes:16/reports:" +
       std::to_string(kPoplarReports))
          .c_str(),
      [poplar](benchmark::State& st) {
        if (!*poplar) {
          // Measurements: 16 distinct 128-bit strings; the candidate prefixes are all of them.
          vdaf_bench::SplitMix64 rng(0x706f706cULL);  // "popl"
          std::vector<vdaf::BitString> values;
          for (int k = 0; k < 16; ++k) values.push_back(rng.bits(128));
          *poplar = std::make_unique<Job<vdaf::Poplar1>>(
              vdaf::Poplar1(128), kPoplarReports,
              [values](vdaf_bench::SplitMix64&, std::size_t i) { return values[i % 16]; });
          std::sort(values.begin(), values.end());
          (*poplar)->agg_param.level = 127;
          (*poplar)->agg_param.prefixes = values;
        }
        bm_poplar1_round(st, **poplar);
      })
      ->Apply(thread_args)
      ->ArgName("threads")
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  return 0;
}();

}  // namespace
