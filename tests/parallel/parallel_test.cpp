// vdaf::parallel (oneTBB) against the serial batch APIs it parallelises, in task arenas of 1 to 4
// threads and with chunk sizes that split a job into many tasks (and one that does not):
// - Prio3, every instance of the library (with and without joint randomness, 2 and 3
//   aggregators, several proofs, the HMAC XOF): verify_init_batch, verifier_shares_to_message
//   batch, both verify_next_batch overloads and aggregate, on jobs with malformed reports (wrong
//   nonce length, leader/helper shares swapped) and forged proofs (rejected by the FLP) mixed in.
//   Every outcome equals the serial call's: the same encoded verifier share, output share,
//   verifier message and aggregate share, or the same exception type and message. The
//   aggregate holds exactly the honest reports, and for Count and Histogram unshards to the
//   plain sum of their measurements.
// - Poplar1: verify_init_each against verify_init one report at a time.
// - The ping-pong batch steps (Prio3 and Poplar1): every state equals the serial step's.
// - Whole-batch argument errors are thrown before any work, with the serial call's message.
#include "vdaf/parallel.hpp"

#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "support/ping_pong_driver.hpp"
#include "support/reports.hpp"
#include "vdaf/poplar1.hpp"
#include "vdaf/prio3.hpp"
#include "vdaf/topology/ping_pong.hpp"

namespace {

using vdaf::BitString;
using vdaf::Bytes;
using vdaf::ByteSpan;
using vdaf::Poplar1;
namespace par = vdaf::parallel;

const Bytes kKey(32, 0x5a);
const Bytes kCtx = {'p', 'a', 'r'};

/// Exception type name and message of an exception_ptr.
std::pair<std::string, std::string> describe(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return {typeid(x).name(), x.what()};
  }
}

/// Up to 4 worker threads even on a machine with fewer cores (TBB caps arenas at the core count
/// otherwise), so that the arenas below really run 1 to 4 threads.
const tbb::global_control kAllowFourThreads(tbb::global_control::max_allowed_parallelism, 4);

/// Thread counts and chunk sizes: 8 and 24 split the jobs below into many tasks; 0 (the
/// default grain, 256) runs them as one serial chunk.
const std::size_t kThreads[] = {1, 2, 3, 4};
const std::size_t kGrains[] = {8, 24, 0};

/// Report i of a job: 0 honest, 1 nonce of the wrong length, 2 leader and helper input shares
/// swapped, 3 forged proof share (verify_init accepts it; the FLP rejects it).
int tamper_of(std::size_t i) { return i % 11 == 4 ? 1 : i % 11 == 7 ? 2 : i % 11 == 9 ? 3 : 0; }

template <class V>
void expect_same_init(const V& v, const std::vector<typename V::VerifyInitOutcome>& got,
                      const std::vector<typename V::VerifyInitOutcome>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    SCOPED_TRACE("report " + std::to_string(i));
    ASSERT_EQ(got[i].result.has_value(), want[i].result.has_value());
    if (want[i].result) {
      EXPECT_EQ(v.encode_verifier_share(got[i].result->second),
                v.encode_verifier_share(want[i].result->second));
      EXPECT_EQ(v.encode_out_share(got[i].result->first.out_share),
                v.encode_out_share(want[i].result->first.out_share));
      EXPECT_EQ(got[i].result->first.corrected_joint_rand_seed,
                want[i].result->first.corrected_joint_rand_seed);
      EXPECT_EQ(got[i].result->first.agg_id, want[i].result->first.agg_id);
    } else {
      EXPECT_EQ(describe(got[i].error), describe(want[i].error));
    }
  }
}

template <class V>
void expect_same_messages(const V& v, const std::vector<typename V::VerifierMessageOutcome>& got,
                          const std::vector<typename V::VerifierMessageOutcome>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    SCOPED_TRACE("report " + std::to_string(i));
    ASSERT_EQ(got[i].result.has_value(), want[i].result.has_value());
    if (want[i].result) {
      EXPECT_EQ(v.encode_verifier_message(*got[i].result),
                v.encode_verifier_message(*want[i].result));
    } else {
      EXPECT_EQ(describe(got[i].error), describe(want[i].error));
    }
  }
}

template <class V>
void expect_same_out(const V& v, const std::vector<typename V::OutShareOutcome>& got,
                     const std::vector<typename V::OutShareOutcome>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    SCOPED_TRACE("report " + std::to_string(i));
    ASSERT_EQ(got[i].result.has_value(), want[i].result.has_value());
    if (want[i].result) {
      EXPECT_EQ(v.encode_out_share(*got[i].result), v.encode_out_share(*want[i].result));
    } else {
      EXPECT_EQ(describe(got[i].error), describe(want[i].error));
    }
  }
}

/// A job of n reports through every Prio3 step, serially and in parallel; see the file comment.
template <class V>
void prio3_job(const V& v, std::size_t n, std::uint64_t seed) {
  SCOPED_TRACE("n = " + std::to_string(n) + ", S = " + std::to_string(v.shares()));
  using State = typename V::VerifyState;
  using Share = typename V::VerifierShare;
  using Message = typename V::VerifierMessage;
  const std::size_t S = v.shares();
  const typename V::AggParam ap{};
  std::mt19937_64 rng(seed);
  auto reports = vdaf_test::make_reports(v, kCtx, n, rng);
  std::size_t honest = 0;
  for (std::size_t i = 0; i < n; ++i) {
    switch (tamper_of(i)) {
      case 1:
        reports[i].nonce.pop_back();
        break;
      case 2:
        std::swap(reports[i].input_shares[0], reports[i].input_shares[1]);
        break;
      case 3:
        // A changed proof share fails the FLP's checks (a changed measurement share need not:
        // Count's 0 + 1 is still a valid measurement).
        reports[i].input_shares[0].proofs_share.back() += V::Field::one();
        break;
      default:
        ++honest;
    }
  }
  std::vector<ByteSpan> ns(n);
  std::vector<typename V::PublicShare> pss(n);
  std::vector<std::vector<typename V::InputShare>> in(S, std::vector<typename V::InputShare>(n));
  for (std::size_t i = 0; i < n; ++i) {
    ns[i] = reports[i].nonce;
    pss[i] = reports[i].public_share;
    for (std::size_t j = 0; j < S; ++j) in[j][i] = reports[i].input_shares[j];
  }

  // The serial reference.
  std::vector<std::vector<typename V::VerifyInitOutcome>> init(S);
  std::vector<std::vector<Share>> shares(S, std::vector<Share>(n));
  std::vector<std::vector<State>> states(S, std::vector<State>(n));
  for (std::size_t j = 0; j < S; ++j) {
    init[j] = v.verify_init_batch(kKey, kCtx, j, ap, ns, pss, in[j]);
    for (std::size_t i = 0; i < n; ++i) {
      if (init[j][i].result) {
        states[j][i] = init[j][i].result->first;
        shares[j][i] = init[j][i].result->second;
      }
    }
  }
  std::vector<std::span<const Share>> by_agg(shares.begin(), shares.end());
  const auto msgs = v.verifier_shares_to_message_batch(kCtx, ap, by_agg);
  std::vector<Message> messages(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (msgs[i].result) {
      messages[i] = *msgs[i].result;
    } else {
      // A report whose proofs were rejected must not reach verify_next (without joint
      // randomness its message is empty, so verify_next could not tell): drop its states, as an
      // aggregator does; verify_next then fails on the invalid state.
      for (std::size_t j = 0; j < S; ++j) states[j][i] = State{};
    }
  }
  std::vector<std::vector<typename V::OutShareOutcome>> next(S);
  std::vector<std::vector<State>> moved_states(S);
  std::vector<typename V::AggShare> agg(S);
  std::vector<std::size_t> accepted(S, 0);
  for (std::size_t j = 0; j < S; ++j) {
    next[j] = v.verify_next_batch(kCtx, std::span<const State>(states[j]), messages);
    moved_states[j] = states[j];
    (void)v.verify_next_batch(kCtx, std::move(moved_states[j]), messages);
    agg[j] = v.agg_init(ap);
    for (const auto& o : next[j]) {
      if (o.result) {
        v.agg_update(ap, agg[j], *o.result);
        ++accepted[j];
      }
    }
    EXPECT_EQ(accepted[j], honest) << "aggregator " << j;
  }
  // The honest reports' plain sum, where it is simple to state.
  if constexpr (std::is_same_v<V, vdaf::Prio3Count> || std::is_same_v<V, vdaf::Prio3Histogram>) {
    const auto result = v.unshard(ap, agg, honest);
    typename V::AggResult want{};
    if constexpr (std::is_same_v<V, vdaf::Prio3Histogram>) want.assign(result.size(), 0);
    for (std::size_t i = 0; i < n; ++i) {
      if (tamper_of(i) != 0) continue;
      if constexpr (std::is_same_v<V, vdaf::Prio3Histogram>) {
        ++want[reports[i].measurement];
      } else {
        want += reports[i].measurement;
      }
    }
    EXPECT_EQ(result, want);
  }

  for (const std::size_t threads : kThreads) {
    for (const std::size_t grain : kGrains) {
      SCOPED_TRACE("threads " + std::to_string(threads) + ", grain " + std::to_string(grain));
      tbb::task_arena arena(static_cast<int>(threads));
      arena.execute([&] {
        for (std::size_t j = 0; j < S; ++j) {
          SCOPED_TRACE("aggregator " + std::to_string(j));
          expect_same_init(v, par::verify_init_batch(v, kKey, kCtx, j, ap, ns, pss, in[j], grain),
                           init[j]);
          expect_same_out(
              v,
              par::verify_next_batch(v, kCtx, std::span<const State>(states[j]), messages, grain),
              next[j]);
          std::vector<State> mine = states[j];
          expect_same_out(v, par::verify_next_batch(v, kCtx, std::move(mine), messages, grain),
                          next[j]);
          // The consumed states are left as the serial call leaves them.
          ASSERT_EQ(mine.size(), n);
          for (std::size_t i = 0; i < n; ++i) {
            EXPECT_EQ(mine[i].out_share.size(), moved_states[j][i].out_share.size()) << i;
            EXPECT_EQ(mine[i].corrected_joint_rand_seed,
                      moved_states[j][i].corrected_joint_rand_seed);
          }
          const auto [sum, count] =
              par::aggregate(v, ap, std::span<const typename V::OutShareOutcome>(next[j]), grain);
          EXPECT_EQ(v.encode_agg_share(sum), v.encode_agg_share(agg[j]));
          EXPECT_EQ(count, accepted[j]);
          std::vector<typename V::OutShare> outs;
          for (const auto& o : next[j]) {
            if (o.result) outs.push_back(*o.result);
          }
          EXPECT_EQ(v.encode_agg_share(
                        par::aggregate(v, ap, std::span<const typename V::OutShare>(outs), grain)),
                    v.encode_agg_share(agg[j]));
        }
        expect_same_messages(v, par::verifier_shares_to_message_batch(v, kCtx, ap, by_agg, grain),
                             msgs);
      });
    }
  }
}

TEST(Parallel, Prio3CountMatchesSerial) {
  prio3_job(vdaf::Prio3Count(2), 200, 1);
  prio3_job(vdaf::Prio3Count(3), 70, 2);
}

TEST(Parallel, Prio3SumMatchesSerial) { prio3_job(vdaf::Prio3Sum(2, 0xFFFFFFFF), 90, 3); }

TEST(Parallel, Prio3SumVecMatchesSerial) {
  prio3_job(vdaf::Prio3SumVec(2, 30, 3, 7), 60, 4);
  prio3_job(vdaf::Prio3SumVec(3, 10, 1, 3), 40, 5);
}

TEST(Parallel, Prio3HistogramMatchesSerial) { prio3_job(vdaf::Prio3Histogram(2, 20, 4), 80, 6); }

TEST(Parallel, Prio3MultihotCountVecMatchesSerial) {
  prio3_job(vdaf::Prio3MultihotCountVec(2, 10, 3, 4), 50, 7);
}

TEST(Parallel, Prio3L1BoundSumMatchesSerial) {
  prio3_job(vdaf::Prio3L1BoundSum(2, 12, 40, 5), 50, 8);
}

TEST(Parallel, Prio3HigherDegreeMatchesSerial) { prio3_job(vdaf::Prio3HigherDegree(2), 60, 9); }

TEST(Parallel, Prio3MultiproofMatchesSerial) {
  prio3_job(vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>(2, 10, 1, 3, 3), 50, 10);
  prio3_job(vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128(2, 20, 5, 6, 3), 50, 11);
}

TEST(Parallel, WholeBatchErrorsBeforeAnyWork) {
  const vdaf::Prio3Count v(2);
  std::mt19937_64 rng(12);
  const std::size_t n = 40;
  auto reports = vdaf_test::make_reports(v, kCtx, n, rng);
  std::vector<ByteSpan> ns;
  std::vector<vdaf::Prio3Count::PublicShare> pss;
  std::vector<vdaf::Prio3Count::InputShare> in;
  for (const auto& r : reports) {
    ns.push_back(r.nonce);
    pss.push_back(r.public_share);
    in.push_back(r.input_shares[0]);
  }
  const auto message_of = [](auto&& f) -> std::string {
    try {
      f();
    } catch (const vdaf::invalid_argument& e) {
      return e.what();
    }
    return "(nothing thrown)";
  };
  const Bytes short_key(31, 1);
  const auto short_in = std::span<const vdaf::Prio3Count::InputShare>(in).first(n - 1);
  const std::vector<vdaf::Prio3Count::VerifierShare> vs(n);
  const std::span<const vdaf::Prio3Count::VerifierShare> one[] = {vs};
  const std::vector<vdaf::Prio3Count::VerifyState> states(n);
  const std::vector<vdaf::Prio3Count::VerifierMessage> msgs(n - 1);
  // Each case: the parallel call's message, the serial call's, and a part of it.
  std::vector<std::array<std::string, 3>> cases;
  tbb::task_arena arena(2);
  arena.execute([&] {
    cases.push_back(
        {message_of([&] { par::verify_init_batch(v, short_key, kCtx, 0, {}, ns, pss, in, 8); }),
         message_of([&] { v.verify_init_batch(short_key, kCtx, 0, {}, ns, pss, in); }),
         "verify_key"});
    cases.push_back(
        {message_of([&] { par::verify_init_batch(v, kKey, kCtx, 2, {}, ns, pss, in, 8); }),
         message_of([&] { v.verify_init_batch(kKey, kCtx, 2, {}, ns, pss, in); }), "agg_id"});
    cases.push_back(
        {message_of([&] { par::verify_init_batch(v, kKey, kCtx, 0, {}, ns, pss, short_in, 8); }),
         message_of([&] { v.verify_init_batch(kKey, kCtx, 0, {}, ns, pss, short_in); }),
         "differ in number"});
    cases.push_back(
        {message_of([&] { par::verifier_shares_to_message_batch(v, kCtx, {}, one, 8); }),
         message_of([&] { v.verifier_shares_to_message_batch(kCtx, {}, one); }), "expected 2"});
    cases.push_back(
        {message_of([&] { par::verify_next_batch(v, kCtx, std::span(states), msgs, 8); }),
         message_of([&] { v.verify_next_batch(kCtx, std::span(states), msgs); }),
         "differ in number"});
  });
  for (const auto& [got, want, part] : cases) {
    EXPECT_EQ(got, want);
    EXPECT_NE(want.find(part), std::string::npos) << want;
  }
}

TEST(Parallel, Poplar1VerifyInitEachMatchesVerifyInit) {
  const Poplar1 v(16);
  std::mt19937_64 rng(13);
  const std::size_t n = 60;
  auto reports = vdaf_test::make_reports(v, kCtx, n, rng);
  for (std::size_t i = 0; i < n; i += 7) reports[i].nonce.pop_back();  // malformed
  Poplar1::AggParam ap;
  ap.level = 15;
  for (std::size_t i = 0; i < 10; ++i) ap.prefixes.push_back(reports[i].measurement);
  std::sort(ap.prefixes.begin(), ap.prefixes.end());
  ap.prefixes.erase(std::unique(ap.prefixes.begin(), ap.prefixes.end()), ap.prefixes.end());
  std::vector<ByteSpan> ns;
  std::vector<Poplar1::PublicShare> pss;
  std::vector<Poplar1::InputShare> in;
  for (const auto& r : reports) {
    ns.push_back(r.nonce);
    pss.push_back(r.public_share);
    in.push_back(r.input_shares[1]);
  }
  for (const std::size_t threads : kThreads) {
    tbb::task_arena arena(static_cast<int>(threads));
    const auto got =
        arena.execute([&] { return par::verify_init_each(v, kKey, kCtx, 1, ap, ns, pss, in, 8); });
    ASSERT_EQ(got.size(), n);
    std::size_t errors = 0;
    for (std::size_t i = 0; i < n; ++i) {
      SCOPED_TRACE("threads " + std::to_string(threads) + ", report " + std::to_string(i));
      try {
        const auto want = v.verify_init(kKey, kCtx, 1, ap, ns[i], pss[i], in[i]);
        ASSERT_TRUE(got[i].result.has_value());
        EXPECT_EQ(v.encode_verifier_share(got[i].result->second),
                  v.encode_verifier_share(want.second));
        EXPECT_EQ(v.encode_verify_state(got[i].result->first), v.encode_verify_state(want.first));
      } catch (const std::exception& e) {
        ++errors;
        ASSERT_TRUE(got[i].error);
        EXPECT_EQ(describe(got[i].error).second, e.what());
      }
    }
    EXPECT_EQ(errors, 9U);  // reports 0, 7, ..., 56
  }
}

/// The ping-pong batch steps of a job, serially and in parallel: the same states at each step.
template <class V>
void ping_pong_job(const V& v, const typename V::AggParam& ap, std::size_t n, std::uint64_t seed) {
  using PP = vdaf::PingPong<V>;
  const PP pp(v, kKey, kCtx, ap);
  std::mt19937_64 rng(seed);
  auto reports = vdaf_test::make_reports(v, kCtx, n, rng);
  for (std::size_t i = 3; i < n; i += 10) reports[i].nonce.pop_back();
  std::vector<ByteSpan> ns;
  std::vector<typename V::PublicShare> pss;
  std::vector<typename V::InputShare> l_in, h_in;
  for (const auto& r : reports) {
    ns.push_back(r.nonce);
    pss.push_back(r.public_share);
    l_in.push_back(r.input_shares[0]);
    h_in.push_back(r.input_shares[1]);
  }
  const auto l0 = pp.leader_initialized_batch(ns, pss, l_in);
  std::vector<Bytes> req(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Bytes* o = PP::outbound(l0[i]);
    req[i] = o ? *o : Bytes{};
    if (i % 10 == 5 && !req[i].empty()) req[i].pop_back();  // truncated request
  }
  const std::vector<ByteSpan> reqs(req.begin(), req.end());
  const auto h0 = pp.helper_initialized_batch(ns, pss, h_in, reqs);
  std::vector<Bytes> resp(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Bytes* o = PP::outbound(h0[i]);
    resp[i] = o ? *o : Bytes{};
  }
  const std::vector<ByteSpan> resps(resp.begin(), resp.end());
  const auto l1 = pp.leader_continued_batch(std::span(l0), resps);
  const auto h1 = pp.helper_continued_batch(std::span(h0), resps);
  const auto expect_same = [&](const std::vector<typename PP::State>& got,
                               const std::vector<typename PP::State>& want, const char* step) {
    ASSERT_EQ(got.size(), want.size()) << step;
    for (std::size_t i = 0; i < n; ++i) {
      EXPECT_TRUE(vdaf_test::same_state(pp, got[i], want[i])) << step << ", report " << i;
    }
  };
  for (const std::size_t threads : kThreads) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    tbb::task_arena arena(static_cast<int>(threads));
    arena.execute([&] {
      expect_same(par::leader_initialized_batch(pp, ns, pss, l_in, 8), l0, "leader_initialized");
      expect_same(par::helper_initialized_batch(pp, ns, pss, h_in, reqs, 8), h0,
                  "helper_initialized");
      expect_same(par::leader_continued_batch(pp, std::span(l0), resps, 8), l1, "leader_continued");
      expect_same(par::helper_continued_batch(pp, std::span(h0), resps, 8), h1, "helper_continued");
    });
  }
}

TEST(Parallel, PingPongPrio3MatchesSerial) {
  ping_pong_job(vdaf::Prio3Count(2), {}, 90, 14);
  ping_pong_job(vdaf::Prio3SumVec(2, 12, 3, 4), {}, 40, 15);
}

TEST(Parallel, PingPongPoplar1MatchesSerial) {
  const Poplar1 v(8);
  Poplar1::AggParam ap;
  ap.level = 2;
  for (unsigned x = 0; x < 8; ++x) {  // every 3-bit prefix, in order
    BitString p(3);
    for (std::size_t k = 0; k < 3; ++k) p.set(k, ((x >> (2 - k)) & 1U) != 0);
    ap.prefixes.push_back(p);
  }
  std::sort(ap.prefixes.begin(), ap.prefixes.end());
  ping_pong_job(v, ap, 40, 16);
}

}  // namespace
