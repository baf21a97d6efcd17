// The batch steps of the ping-pong topology (an aggregation job) against the one-report steps:
// for Prio3 instances with and without joint randomness and Poplar1 (with and without IDPF
// caches, over several levels), jobs of 0, 1, 9 and 40 reports with tampered reports among
// them (forged shares, truncated or wrong-type messages, undecodable shares, wrong nonces):
// - every state equals the one-report step's (same alternative, same stored encoding; Rejected
//   with the same reason, cause and failure), so the outbound messages are the same bytes;
// - a rejected report never changes its neighbours' results;
// - the consuming overloads equal the copying ones; the encoded-share batches equal the
//   decoded ones; spans of different lengths are invalid_argument for the whole batch;
// - the aggregate of the accepted reports is the plain sum of their measurements.
#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <variant>
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
using vdaf::PingPong;
using vdaf::PingPongMessage;
using vdaf::Poplar1;

const Bytes kKey(32, 0x33);
const Bytes kCtx = {'j', 'o', 'b'};

/// The tampering applied to report i of a job (i % 7 picks it; 0 and 1 leave it honest).
enum class Tamper { none, forged_share, wrong_nonce, truncated_message, wrong_type, bad_bytes };
Tamper tamper_of(std::size_t i) {
  switch (i % 7) {
    case 2:
      return Tamper::forged_share;
    case 3:
      return Tamper::wrong_nonce;
    case 4:
      return Tamper::truncated_message;
    case 5:
      return Tamper::wrong_type;
    case 6:
      return Tamper::bad_bytes;
    default:
      return Tamper::none;
  }
}

template <class V>
void forge(vdaf_test::TestReport<V>& r) {
  if constexpr (std::is_same_v<V, Poplar1>) {
    r.input_shares[1].corr_seed[3] ^= 1;
  } else {
    r.input_shares[0].meas_share[0] += V::Field::one();
  }
}

template <class V>
void expect_same_states(const PingPong<V>& pp, const std::vector<typename PingPong<V>::State>& got,
                        const std::vector<typename PingPong<V>::State>& want, const char* step) {
  ASSERT_EQ(got.size(), want.size()) << step;
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_TRUE(vdaf_test::same_state(pp, got[i], want[i])) << step << ", report " << i;
  }
}

/// A job of n reports through the batch steps and report by report; every step's states must
/// be the same. Returns the number of reports both aggregators accepted.
template <class V>
std::size_t run_job(const V& v, const typename V::AggParam& ap, std::size_t n, std::uint64_t seed,
                    bool with_caches = false) {
  using PP = PingPong<V>;
  SCOPED_TRACE("n = " + std::to_string(n));
  std::mt19937_64 rng(seed);
  const PP pp(v, kKey, kCtx, ap);
  auto reports = vdaf_test::make_reports(v, kCtx, n, rng);
  std::vector<Bytes> nonces(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (tamper_of(i) == Tamper::forged_share) forge(reports[i]);
    nonces[i] = reports[i].nonce;
  }
  std::vector<ByteSpan> ns(n);
  std::vector<typename V::PublicShare> pss(n);
  std::vector<typename V::InputShare> l_in(n), h_in(n);
  for (std::size_t i = 0; i < n; ++i) {
    ns[i] = nonces[i];
    pss[i] = reports[i].public_share;
    l_in[i] = reports[i].input_shares[0];
    h_in[i] = reports[i].input_shares[1];
  }
  std::vector<Bytes> helper_nonces = nonces;
  for (std::size_t i = 0; i < n; ++i) {
    if (tamper_of(i) == Tamper::wrong_nonce) helper_nonces[i].pop_back();  // 15 bytes
  }
  std::vector<ByteSpan> hns(helper_nonces.begin(), helper_nonces.end());
  std::vector<typename PP::EvalCache> lc(with_caches ? n : 0), hc(with_caches ? n : 0),
      lc1(with_caches ? n : 0), hc1(with_caches ? n : 0);
  std::vector<typename PP::EvalCache*> lcp, hcp;
  for (std::size_t i = 0; with_caches && i < n; ++i) {
    lcp.push_back(&lc[i]);
    hcp.push_back(&hc[i]);
  }

  // Leader init.
  std::vector<typename PP::State> l0;
  if constexpr (vdaf::VdafWithEvalCache<V>) {
    l0 = with_caches ? pp.leader_initialized_batch(ns, pss, l_in, lcp)
                     : pp.leader_initialized_batch(ns, pss, l_in);
  } else {
    l0 = pp.leader_initialized_batch(ns, pss, l_in);
  }
  std::vector<typename PP::State> l0_one(n);
  for (std::size_t i = 0; i < n; ++i) {
    if constexpr (vdaf::VdafWithEvalCache<V>) {
      l0_one[i] = with_caches ? pp.leader_initialized(ns[i], pss[i], l_in[i], lc1[i])
                              : pp.leader_initialized(ns[i], pss[i], l_in[i]);
    } else {
      l0_one[i] = pp.leader_initialized(ns[i], pss[i], l_in[i]);
    }
  }
  expect_same_states(pp, l0, l0_one, "leader_initialized");

  // Requests, tampered.
  std::vector<Bytes> req(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Bytes* o = PP::outbound(l0[i]);
    req[i] = o ? *o : Bytes{};
    if (tamper_of(i) == Tamper::truncated_message && !req[i].empty()) req[i].pop_back();
    if (tamper_of(i) == Tamper::wrong_type) req[i] = PingPongMessage::finish({}).encode();
    if (tamper_of(i) == Tamper::bad_bytes) req[i] = Bytes{7, 7, 7};
  }
  std::vector<ByteSpan> reqs(req.begin(), req.end());
  std::vector<typename PP::State> h0;
  if constexpr (vdaf::VdafWithEvalCache<V>) {
    h0 = with_caches ? pp.helper_initialized_batch(hns, pss, h_in, reqs, hcp)
                     : pp.helper_initialized_batch(hns, pss, h_in, reqs);
  } else {
    h0 = pp.helper_initialized_batch(hns, pss, h_in, reqs);
  }
  std::vector<typename PP::State> h0_one(n);
  for (std::size_t i = 0; i < n; ++i) {
    if constexpr (vdaf::VdafWithEvalCache<V>) {
      h0_one[i] = with_caches ? pp.helper_initialized(hns[i], pss[i], h_in[i], reqs[i], hc1[i])
                              : pp.helper_initialized(hns[i], pss[i], h_in[i], reqs[i]);
    } else {
      h0_one[i] = pp.helper_initialized(hns[i], pss[i], h_in[i], reqs[i]);
    }
  }
  expect_same_states(pp, h0, h0_one, "helper_initialized");

  // The encoded-share batches equal the decoded ones (no caches there).
  if (!with_caches) {
    std::vector<Bytes> eps(n), eli(n), ehi(n);
    for (std::size_t i = 0; i < n; ++i) {
      eps[i] = v.encode_public_share(pss[i]);
      eli[i] = v.encode_input_share(l_in[i]);
      ehi[i] = v.encode_input_share(h_in[i]);
      if (tamper_of(i) == Tamper::bad_bytes) ehi[i].push_back(0);  // undecodable
    }
    std::vector<ByteSpan> seps(eps.begin(), eps.end()), seli(eli.begin(), eli.end()),
        sehi(ehi.begin(), ehi.end());
    expect_same_states(pp, pp.leader_initialized_encoded_batch(ns, seps, seli), l0,
                       "leader_initialized_encoded_batch");
    const auto he = pp.helper_initialized_encoded_batch(hns, seps, sehi, reqs);
    for (std::size_t i = 0; i < n; ++i) {
      EXPECT_TRUE(vdaf_test::same_state(
          pp, he[i], pp.helper_initialized_encoded(hns[i], seps[i], sehi[i], reqs[i])))
          << "helper_initialized_encoded_batch, report " << i;
    }
  }

  // Then continued steps until both sides stop, batch (consuming and copying) vs one by one,
  // on the reports still in progress (a server steps only those).
  std::vector<typename PP::State> L = std::move(l0), H = std::move(h0);
  auto step = [&](bool leader_side) {
    std::vector<typename PP::State>& mine = leader_side ? L : H;
    const std::vector<typename PP::State>& peer = leader_side ? H : L;
    std::vector<std::size_t> idx;
    std::vector<typename PP::State> sub;
    std::vector<Bytes> in;
    for (std::size_t i = 0; i < n; ++i) {
      const Bytes* o = PP::outbound(peer[i]);
      if (!std::holds_alternative<typename PP::Continued>(mine[i]) || o == nullptr) continue;
      idx.push_back(i);
      sub.push_back(mine[i]);
      in.push_back(*o);
    }
    if (idx.empty()) return false;
    std::vector<ByteSpan> ins(in.begin(), in.end());
    std::vector<typename PP::State> one(idx.size());
    for (std::size_t k = 0; k < idx.size(); ++k) {
      one[k] =
          leader_side ? pp.leader_continued(sub[k], ins[k]) : pp.helper_continued(sub[k], ins[k]);
    }
    const auto copying =
        leader_side ? pp.leader_continued_batch(std::span<const typename PP::State>(sub), ins)
                    : pp.helper_continued_batch(std::span<const typename PP::State>(sub), ins);
    expect_same_states(
        pp, copying, one,
        leader_side ? "leader_continued_batch (copying)" : "helper_continued_batch (copying)");
    auto consumed = leader_side ? pp.leader_continued_batch(std::move(sub), ins)
                                : pp.helper_continued_batch(std::move(sub), ins);
    expect_same_states(
        pp, consumed, one,
        leader_side ? "leader_continued_batch (consuming)" : "helper_continued_batch (consuming)");
    for (std::size_t k = 0; k < idx.size(); ++k) mine[idx[k]] = std::move(consumed[k]);
    return true;
  };
  for (int round = 0; round < 3; ++round) {
    const bool l = step(true);
    const bool h = step(false);
    if (!l && !h) break;
  }

  // The accepted reports aggregate to the plain result; tampered ones were all rejected.
  auto a0 = v.agg_init(ap), a1 = v.agg_init(ap);
  std::size_t accepted = 0;
  std::vector<typename V::Measurement> good;
  for (std::size_t i = 0; i < n; ++i) {
    const bool ok = PP::is_finished(L[i]) && PP::is_finished(H[i]);
    EXPECT_EQ(ok, tamper_of(i) == Tamper::none)
        << "report " << i << ": " << vdaf_test::reason_of<V>(L[i]) << " / "
        << vdaf_test::reason_of<V>(H[i]);
    if (!ok) continue;
    v.agg_update(ap, a0, *PP::out_share(L[i]));
    v.agg_update(ap, a1, *PP::out_share(H[i]));
    good.push_back(reports[i].measurement);
    ++accepted;
  }
  if (accepted > 0) {
    const std::array<typename V::AggShare, 2> shares = {a0, a1};
    const auto result = v.unshard(ap, shares, accepted);
    if constexpr (std::is_same_v<V, Poplar1>) {
      for (std::size_t k = 0; k < ap.prefixes.size(); ++k) {
        std::uint64_t want = 0;
        for (const auto& m : good) want += m.starts_with(ap.prefixes[k]) ? 1 : 0;
        EXPECT_EQ(result[k], want) << "prefix " << k;
      }
    } else if constexpr (std::is_same_v<V, vdaf::Prio3Histogram>) {
      std::vector<std::uint64_t> want(v.output_len(), 0);
      for (const auto& m : good) want[m] += 1;
      EXPECT_TRUE(result == want);
    } else if constexpr (std::is_same_v<V, vdaf::Prio3Count> || std::is_same_v<V, vdaf::Prio3Sum>) {
      std::uint64_t want = 0;
      for (const auto& m : good) want += m;
      EXPECT_EQ(static_cast<std::uint64_t>(result), want);
    }
  }
  return accepted;
}

template <class V>
void job_sizes(const V& v, const typename V::AggParam& ap, bool caches = false) {
  for (std::size_t n : {0u, 1u, 9u, 40u}) {
    const std::size_t accepted = run_job(v, ap, n, 100 + n, caches);
    std::size_t honest = 0;
    for (std::size_t i = 0; i < n; ++i) honest += tamper_of(i) == Tamper::none ? 1 : 0;
    EXPECT_EQ(accepted, honest);
  }
}

TEST(PingPongBatch, Prio3Count) { job_sizes(vdaf::Prio3Count(2), {}); }
TEST(PingPongBatch, Prio3Sum) { job_sizes(vdaf::Prio3Sum(2, 100000), {}); }
TEST(PingPongBatch, Prio3HistogramJointRand) { job_sizes(vdaf::Prio3Histogram(2, 17, 4), {}); }
TEST(PingPongBatch, Prio3SumVec) { job_sizes(vdaf::Prio3SumVec(2, 6, 15, 3), {}); }
TEST(PingPongBatch, Prio3MultihotCountVec) {
  job_sizes(vdaf::Prio3MultihotCountVec(2, 8, 3, 2), {});
}

TEST(PingPongBatch, Poplar1ThreeLevelsWithAndWithoutCaches) {
  const Poplar1 v(10);
  for (std::size_t level : {0u, 4u, 9u}) {
    Poplar1::AggParam ap;
    ap.level = static_cast<std::uint16_t>(level);
    // Every prefix of the level when few, else a sorted spread of them.
    const std::size_t len = level + 1;
    for (std::uint64_t x = 0; x < (std::uint64_t{1} << len); x += (len <= 4 ? 1 : 37)) {
      ap.prefixes.push_back(Poplar1::measurement_from_int(x, len));
    }
    job_sizes(v, ap, false);
    job_sizes(v, ap, true);
  }
}

TEST(PingPongBatch, SpansOfDifferentLengthsAreInvalidArgument) {
  const vdaf::Prio3Count v(2);
  const PingPong<vdaf::Prio3Count> pp(v, kKey, kCtx, {});
  std::mt19937_64 rng(5);
  const auto reps = vdaf_test::make_reports(v, kCtx, 2, rng);
  const std::vector<ByteSpan> ns = {reps[0].nonce, reps[1].nonce};
  const std::vector<vdaf::Prio3Count::PublicShare> ps = {reps[0].public_share};
  const std::vector<vdaf::Prio3Count::InputShare> is = {reps[0].input_shares[0],
                                                        reps[1].input_shares[0]};
  EXPECT_THROW((void)pp.leader_initialized_batch(ns, ps, is), vdaf::invalid_argument);
  const std::vector<vdaf::Prio3Count::PublicShare> ps2 = {reps[0].public_share,
                                                          reps[1].public_share};
  const std::vector<ByteSpan> one = {ns[0]};
  EXPECT_THROW((void)pp.helper_initialized_batch(ns, ps2, is, one), vdaf::invalid_argument);
  const std::vector<PingPong<vdaf::Prio3Count>::State> states(2);
  EXPECT_THROW((void)pp.leader_continued_batch(states, one), vdaf::invalid_argument);
  EXPECT_THROW((void)pp.helper_initialized_encoded_batch(ns, one, one, one),
               vdaf::invalid_argument);
  // Empty jobs are fine.
  EXPECT_TRUE(pp.leader_initialized_batch({}, {}, {}).empty());
}

}  // namespace
