// One const VDAF object used from several std::threads at once, as vdaf::parallel (and any
// multi-threaded aggregator) uses it: each thread shards its own reports and runs the batch
// APIs on its share of a job, while the lazily built tables (NTT, barycentric, IFMA) are built
// on first use by whichever thread comes first. The results must equal a serial run's. These
// tests use plain threads (no oneTBB), so that ThreadSanitizer (.ci/run tsan) sees every
// synchronisation: a data race in the library fails that stage.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "support/reports.hpp"
#include "vdaf/poplar1.hpp"
#include "vdaf/prio3.hpp"

namespace {

using vdaf::Bytes;
using vdaf::ByteSpan;

const Bytes kKey(32, 0x42);
const Bytes kCtx = {'t', 'h', 'r'};
constexpr std::size_t kThreads = 4;

/// Runs f(t) for t < kThreads, each on its own thread, all started together.
template <class F>
void on_threads(const F& f) {
  std::vector<std::thread> ts;
  for (std::size_t t = 0; t < kThreads; ++t) ts.emplace_back([&f, t] { f(t); });
  for (auto& th : ts) th.join();
}

/// Prio3: the job's reports are sharded by the threads (report i by thread i % kThreads, from
/// its own seeded generator, so the reports are the same as a serial run's), then each thread
/// runs verify_init_batch (both aggregators), verifier_shares_to_message_batch and
/// verify_next_batch on its quarter; the encoded verifier shares, messages and output shares
/// must equal the serial run's, and every report must be accepted.
template <class V>
void shared_prio3(const V& v, std::size_t n) {
  SCOPED_TRACE("n = " + std::to_string(n));
  using Report = vdaf_test::TestReport<V>;
  std::vector<Report> reports(n);
  on_threads([&](std::size_t t) {
    for (std::size_t i = t; i < n; i += kThreads) {
      std::mt19937_64 rng(1000 + i);
      reports[i] = std::move(vdaf_test::make_reports(v, kCtx, 1, rng)[0]);
    }
  });
  std::vector<ByteSpan> ns(n);
  std::vector<typename V::PublicShare> pss(n);
  std::vector<typename V::InputShare> in0(n), in1(n);
  for (std::size_t i = 0; i < n; ++i) {
    ns[i] = reports[i].nonce;
    pss[i] = reports[i].public_share;
    in0[i] = reports[i].input_shares[0];
    in1[i] = reports[i].input_shares[1];
  }
  // Per report: the leader's and helper's encoded verifier shares, the encoded message, the
  // leader's encoded output share.
  using Row = std::vector<Bytes>;
  const auto run = [&](std::size_t b, std::size_t e, std::vector<Row>& rows) {
    const auto sub = [&](const auto& vec) { return std::span(vec).subspan(b, e - b); };
    auto i0 = v.verify_init_batch(kKey, kCtx, 0, {}, sub(ns), sub(pss), sub(in0));
    auto i1 = v.verify_init_batch(kKey, kCtx, 1, {}, sub(ns), sub(pss), sub(in1));
    std::vector<typename V::VerifierShare> s0, s1;
    std::vector<typename V::VerifyState> st0;
    for (std::size_t k = 0; k < e - b; ++k) {
      ASSERT_TRUE(i0[k].result && i1[k].result) << "report " << b + k;
      s0.push_back(i0[k].result->second);
      s1.push_back(i1[k].result->second);
      st0.push_back(i0[k].result->first);
    }
    const std::span<const typename V::VerifierShare> by_agg[] = {s0, s1};
    const auto msgs = v.verifier_shares_to_message_batch(kCtx, {}, by_agg);
    std::vector<typename V::VerifierMessage> m;
    for (std::size_t k = 0; k < e - b; ++k) {
      ASSERT_TRUE(msgs[k].result) << "report " << b + k;
      m.push_back(*msgs[k].result);
    }
    const auto out = v.verify_next_batch(kCtx, std::move(st0), m);
    for (std::size_t k = 0; k < e - b; ++k) {
      ASSERT_TRUE(out[k].result) << "report " << b + k;
      rows[b + k] = {v.encode_verifier_share(s0[k]), v.encode_verifier_share(s1[k]),
                     v.encode_verifier_message(m[k]), v.encode_out_share(*out[k].result)};
    }
  };
  std::vector<Row> threaded(n), serial(n);
  on_threads([&](std::size_t t) { run(t * n / kThreads, (t + 1) * n / kThreads, threaded); });
  run(0, n, serial);
  for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(threaded[i], serial[i]) << "report " << i;
}

// Each instance's tables are first built here, by the threads: Field64 sizes for Count and
// SumVec, Field128 (and the IFMA tables where the CPU has them) for Histogram and SumVec.
TEST(SharedVdaf, Prio3CountFromFourThreads) { shared_prio3(vdaf::Prio3Count(2), 64); }

TEST(SharedVdaf, Prio3HistogramFromFourThreads) {
  shared_prio3(vdaf::Prio3Histogram(2, 300, 17), 24);
}

TEST(SharedVdaf, Prio3SumVecFromFourThreads) { shared_prio3(vdaf::Prio3SumVec(2, 50, 7, 9), 24); }

TEST(SharedVdaf, Poplar1VerifyInitFromFourThreads) {
  const vdaf::Poplar1 v(32);
  std::mt19937_64 rng(7);
  const std::size_t n = 16;
  const auto reports = vdaf_test::make_reports(v, kCtx, n, rng);
  vdaf::Poplar1::AggParam ap;
  ap.level = 31;
  for (const auto& r : reports) ap.prefixes.push_back(r.measurement);
  std::sort(ap.prefixes.begin(), ap.prefixes.end());
  ap.prefixes.erase(std::unique(ap.prefixes.begin(), ap.prefixes.end()), ap.prefixes.end());
  std::vector<Bytes> threaded(n), serial(n);
  const auto one = [&](std::size_t i) {
    const auto [state, share] = v.verify_init(kKey, kCtx, 1, ap, reports[i].nonce,
                                              reports[i].public_share, reports[i].input_shares[1]);
    return v.encode_verifier_share(share);
  };
  on_threads([&](std::size_t t) {
    for (std::size_t i = t; i < n; i += kThreads) threaded[i] = one(i);
  });
  for (std::size_t i = 0; i < n; ++i) serial[i] = one(i);
  EXPECT_EQ(threaded, serial);
}

}  // namespace
