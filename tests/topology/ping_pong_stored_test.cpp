// Ping-pong states stored between requests (PingPong::encode_state / decode_state):
// - every state kind (Continued of both roles and every round, Finished, FinishedWithOutbound,
//   Rejected) round-trips through another PingPong object built from another VDAF object (as in
//   another process) and continues exactly like the original;
// - RapidCheck: for random instances (Prio3 with and without joint randomness, Poplar1 at any
//   level, with its IDPF cache stored too), random reports, honest or tampered, storing and
//   restoring after any subset of steps ends in the same states with the same messages as the
//   uninterrupted run;
// - bytes stored under other VDAF parameters, another ctx or another aggregation parameter are
//   decode_error; hostile bytes are decode_error or re-encode to themselves;
// - a restored state of the other role is Rejected (cause protocol).
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

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
using vdaf::Poplar1;
using vdaf_test::Side;

const Bytes kKey(32, 0x5a);
const Bytes kCtx = {'d', 'a', 'p', '-', 't', 'a', 's', 'k'};

Bytes to_bytes(const vdaf::SecretBytes& s) { return Bytes(s.begin(), s.end()); }

/// Poplar1 aggregation parameter: `level`, the measurement's prefix and its sibling.
Poplar1::AggParam poplar_ap(const BitString& m, std::size_t level) {
  BitString a = m.prefix(level + 1), b = a;
  b.set(level, !b.test(level));
  return {static_cast<std::uint16_t>(level), {std::min(a, b), std::max(a, b)}};
}

/// Stores and restores every state of a run through `restorer` (another PingPong object, as
/// another process would build it) after the steps `store_after` selects, and compares the run
/// with the uninterrupted one. `tamper` (may be empty) changes message k before delivery.
template <class V>
void check_interrupted(const V& v, const V& v2, const typename V::AggParam& ap,
                       const vdaf_test::TestReport<V>& r,
                       const std::function<bool(Side, std::size_t)>& store_after, bool use_cache) {
  using PP = PingPong<V>;
  const PP leader(v, kKey, kCtx, ap), helper(v, kKey, kCtx, ap);
  const PP leader2(v2, kKey, kCtx, ap), helper2(v2, kKey, kCtx, ap);
  typename PP::EvalCache lc, hc, lc2, hc2;
  const auto plain = vdaf_test::run_report(
      leader, helper, r, [](Side, std::size_t, auto&) {}, use_cache ? &lc : nullptr,
      use_cache ? &hc : nullptr);
  std::size_t stored = 0;
  const auto interrupted = vdaf_test::run_report(
      leader, helper, r,
      [&](Side side, std::size_t step, typename PP::State& st) {
        if (!store_after(side, step)) return;
        const PP& restorer = side == Side::leader ? leader2 : helper2;
        const Bytes enc = to_bytes((side == Side::leader ? leader : helper).encode_state(st));
        st = restorer.decode_state(enc);
        RC_ASSERT(to_bytes(restorer.encode_state(st)) == enc);
        ++stored;
      },
      use_cache ? &lc2 : nullptr, use_cache ? &hc2 : nullptr);
  RC_ASSERT(interrupted.messages == plain.messages);
  RC_ASSERT(vdaf_test::same_state(leader, interrupted.leader, plain.leader));
  RC_ASSERT(interrupted.helper.has_value() == plain.helper.has_value());
  if (plain.helper) RC_ASSERT(vdaf_test::same_state(helper, *interrupted.helper, *plain.helper));
  RC_TAG(stored);
}

template <class V>
void prop_prio3(const V& v, const V& v2) {
  std::mt19937_64 rng(*rc::gen::arbitrary<std::uint64_t>());
  auto r = vdaf_test::make_reports(v, kCtx, 1, rng)[0];
  if (*rc::gen::inRange(0, 4) == 0) {  // a forged report: the helper rejects it
    r.input_shares[0].meas_share[0] += V::Field::one();
  }
  const auto mask = *rc::gen::inRange<unsigned>(0, 16);
  check_interrupted<V>(
      v, v2, {}, r,
      [&](Side s, std::size_t step) {
        return ((mask >> (2 * step + (s == Side::helper))) & 1) != 0;
      },
      false);
}

RC_GTEST_PROP(PingPongStored, StoreAfterAnyStepRestoreContinuePrio3, ()) {
  switch (*rc::gen::inRange(0, 4)) {
    case 0:
      prop_prio3(vdaf::Prio3Count(2), vdaf::Prio3Count(2));
      break;
    case 1:
      prop_prio3(vdaf::Prio3Histogram(2, 13, 3), vdaf::Prio3Histogram(2, 13, 3));
      break;
    case 2:
      prop_prio3(vdaf::Prio3SumVec(2, 5, 9, 2), vdaf::Prio3SumVec(2, 5, 9, 2));
      break;
    default:
      prop_prio3(vdaf::Prio3Sum(2, 77), vdaf::Prio3Sum(2, 77));
      break;
  }
}

RC_GTEST_PROP(PingPongStored, StoreAfterAnyStepRestoreContinuePoplar1, ()) {
  const auto bits = *rc::gen::inRange<std::size_t>(1, 20);
  const Poplar1 v(bits), v2(bits);
  std::mt19937_64 rng(*rc::gen::arbitrary<std::uint64_t>());
  auto r = vdaf_test::make_reports(v, kCtx, 1, rng)[0];
  const bool forged = *rc::gen::inRange(0, 4) == 0;
  if (forged) r.input_shares[1].corr_seed[0] ^= 1;  // the sketch fails
  const auto level = *rc::gen::inRange<std::size_t>(0, bits);
  const auto mask = *rc::gen::inRange<unsigned>(0, 64);
  check_interrupted<Poplar1>(
      v, v2, poplar_ap(r.measurement, level), r,
      [&](Side s, std::size_t step) {
        return ((mask >> (2 * step + (s == Side::helper))) & 1) != 0;
      },
      *rc::gen::arbitrary<bool>());
}

/// Every kind of state, round-tripped through another object: the same state, and (Continued)
/// the same continuation.
template <class V>
void every_kind(const V& v, const V& v2, const typename V::AggParam& ap,
                const vdaf_test::TestReport<V>& r) {
  using PP = PingPong<V>;
  const PP pp(v, kKey, kCtx, ap), pp2(v2, kKey, kCtx, ap);
  std::vector<typename PP::State> seen;
  (void)vdaf_test::run_report(
      pp, pp, r, [&](Side, std::size_t, typename PP::State& st) { seen.push_back(st); });
  seen.push_back(typename PP::Rejected{"ping-pong helper_initialized: an earlier failure",
                                       vdaf::RejectCause::verify_error,
                                       vdaf::VerifyFailure::proof_rejected});
  std::array<bool, 4> kinds{};
  for (const auto& st : seen) {
    kinds[st.index()] = true;
    const Bytes enc = to_bytes(pp.encode_state(st));
    EXPECT_EQ(enc[1], static_cast<std::uint8_t>(vdaf::StoredKind::ping_pong_state));
    EXPECT_EQ(enc[14], st.index());
    const auto back = pp2.decode_state(enc);
    EXPECT_TRUE(vdaf_test::same_state(pp, back, st));
    EXPECT_EQ(to_bytes(pp2.encode_state(back)), enc);
    const std::size_t decoded = vdaf_test::check_mutations(
        enc, [&](ByteSpan b) { return pp.decode_state(b); },
        [&](const typename PP::State& s) { return to_bytes(pp.encode_state(s)); }, 512);
    (void)decoded;
  }
  EXPECT_TRUE(kinds[0] && kinds[1] && kinds[2] && kinds[3]) << "not every state kind was seen";
}

TEST(PingPongStored, EveryStateKindPrio3) {
  std::mt19937_64 rng(21);
  const vdaf::Prio3Histogram h(2, 10, 3), h2(2, 10, 3);
  every_kind(h, h2, {}, vdaf_test::make_reports(h, kCtx, 1, rng)[0]);
  const vdaf::Prio3Count c(2), c2(2);
  every_kind(c, c2, {}, vdaf_test::make_reports(c, kCtx, 1, rng)[0]);
}

TEST(PingPongStored, EveryStateKindPoplar1) {
  std::mt19937_64 rng(22);
  const Poplar1 v(12), v2(12);
  const auto r = vdaf_test::make_reports(v, kCtx, 1, rng)[0];
  every_kind(v, v2, poplar_ap(r.measurement, 4), r);
  every_kind(v, v2, poplar_ap(r.measurement, 11), r);
}

TEST(PingPongStored, MismatchedConfigurationIsDecodeError) {
  std::mt19937_64 rng(23);
  const vdaf::Prio3Histogram h(2, 10, 3), other(2, 11, 3);
  const auto r = vdaf_test::make_reports(h, kCtx, 1, rng)[0];
  const PingPong<vdaf::Prio3Histogram> pp(h, kKey, kCtx, {});
  const Bytes enc =
      to_bytes(pp.encode_state(pp.leader_initialized(r.nonce, r.public_share, r.input_shares[0])));
  auto expect_refused = [&](const auto& reader, const std::string& needle) {
    try {
      (void)reader.decode_state(enc);
      ADD_FAILURE() << "accepted (expected a decode_error mentioning " << needle << ")";
    } catch (const vdaf::decode_error& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expect_refused(PingPong<vdaf::Prio3Histogram>(h, kKey, Bytes{'x'}, {}), "ctx");
  expect_refused(PingPong<vdaf::Prio3Histogram>(other, kKey, kCtx, {}), "parameters");
  const vdaf::Prio3Count count(2);
  expect_refused(PingPong<vdaf::Prio3Count>(count, kKey, kCtx, {}), "algorithm ID");
  // The verify key is not part of a stored state (it is the task's; states don't depend on it).
  EXPECT_NO_THROW(
      (void)PingPong<vdaf::Prio3Histogram>(h, Bytes(32, 1), kCtx, {}).decode_state(enc));

  // Poplar1: another aggregation parameter (level or prefixes) is another job.
  const Poplar1 p(8);
  const auto pr = vdaf_test::make_reports(p, kCtx, 1, rng)[0];
  const auto ap = poplar_ap(pr.measurement, 3);
  const PingPong<Poplar1> pq(p, kKey, kCtx, ap);
  const Bytes penc = to_bytes(
      pq.encode_state(pq.leader_initialized(pr.nonce, pr.public_share, pr.input_shares[0])));
  auto ap2 = ap;
  ap2.prefixes.pop_back();
  EXPECT_THROW((void)PingPong<Poplar1>(p, kKey, kCtx, ap2).decode_state(penc), vdaf::decode_error);
  EXPECT_THROW(
      (void)PingPong<Poplar1>(p, kKey, kCtx, poplar_ap(pr.measurement, 4)).decode_state(penc),
      vdaf::decode_error);
  EXPECT_NO_THROW((void)PingPong<Poplar1>(p, kKey, kCtx, ap).decode_state(penc));
}

TEST(PingPongStored, RestoredStateOfTheOtherRoleIsRejected) {
  std::mt19937_64 rng(24);
  const Poplar1 p(6);
  const auto r = vdaf_test::make_reports(p, kCtx, 1, rng)[0];
  const PingPong<Poplar1> pp(p, kKey, kCtx, poplar_ap(r.measurement, 2));
  const auto l = pp.leader_initialized(r.nonce, r.public_share, r.input_shares[0]);
  const auto h = pp.helper_initialized(r.nonce, r.public_share, r.input_shares[1],
                                       *PingPong<Poplar1>::outbound(l));
  ASSERT_TRUE(std::holds_alternative<PingPong<Poplar1>::Continued>(h));
  // The helper's state handed to leader_continued (a database mix-up).
  const auto wrong =
      pp.leader_continued(pp.decode_state(pp.encode_state(h)), *PingPong<Poplar1>::outbound(h));
  ASSERT_TRUE(PingPong<Poplar1>::is_rejected(wrong));
  EXPECT_EQ(std::get<PingPong<Poplar1>::Rejected>(wrong).cause, vdaf::RejectCause::protocol);
  EXPECT_NE(vdaf_test::reason_of<Poplar1>(wrong).find("belongs to the Helper"), std::string::npos)
      << vdaf_test::reason_of<Poplar1>(wrong);
  EXPECT_TRUE(
      PingPong<Poplar1>::is_finished(pp.leader_continued(l, *PingPong<Poplar1>::outbound(h))));
}

// A stored Poplar1 Continued state whose round does not fit its verification state (the
// fuzzer's find: round byte changed), or whose state is of another level or prefix count: a
// decode_error when restored, and Rejected (invalid_argument) when handed to a step directly,
// never an internal_error.
TEST(PingPongStored, RoundAndJobMustFitTheVerifyState) {
  std::mt19937_64 rng(25);
  const Poplar1 p(8);
  const auto r = vdaf_test::make_reports(p, kCtx, 1, rng)[0];
  using PP = PingPong<Poplar1>;
  const PP pp(p, kKey, kCtx, poplar_ap(r.measurement, 0));
  const auto l = pp.leader_initialized(r.nonce, r.public_share, r.input_shares[0]);
  const auto h =
      pp.helper_initialized(r.nonce, r.public_share, r.input_shares[1], *PP::outbound(l));
  for (const auto* st : {&l, &h}) {
    Bytes enc = to_bytes(pp.encode_state(*st));
    ASSERT_EQ(enc[14], 0);  // Continued
    enc[15] ^= 1;           // round 0 <-> 1
    try {
      (void)pp.decode_state(enc);
      ADD_FAILURE() << "a round that does not fit the state was accepted";
    } catch (const vdaf::decode_error& e) {
      EXPECT_NE(std::string(e.what()).find("round"), std::string::npos) << e.what();
    }
    auto c = std::get<PP::Continued>(*st);
    c.verify_round ^= 1;
    const PP::State wrong = c;
    const auto next = st == &l ? pp.leader_continued(wrong, *PP::outbound(h))
                               : pp.helper_continued(wrong, *PP::outbound(h));
    ASSERT_TRUE(PP::is_rejected(next));
    EXPECT_EQ(std::get<PP::Rejected>(next).cause, vdaf::RejectCause::invalid_argument)
        << vdaf_test::reason_of<Poplar1>(next);
  }
  // The leader's state of level 0 handed to the job of level 1.
  const PP level1(p, kKey, kCtx, poplar_ap(r.measurement, 1));
  const auto other = level1.leader_continued(l, *PP::outbound(h));
  ASSERT_TRUE(PP::is_rejected(other));
  EXPECT_EQ(std::get<PP::Rejected>(other).cause, vdaf::RejectCause::invalid_argument);
  EXPECT_NE(vdaf_test::reason_of<Poplar1>(other).find("level"), std::string::npos);
}

TEST(PingPongStored, InvalidStatesAreNotEncoded) {
  const vdaf::Prio3Count c(2);
  const PingPong<vdaf::Prio3Count> pp(c, kKey, kCtx, {});
  EXPECT_THROW((void)pp.encode_state(PingPong<vdaf::Prio3Count>::Continued{}),
               vdaf::invalid_argument);
  PingPong<vdaf::Prio3Count>::Continued bad_round;
  bad_round.verify_round = 1;
  EXPECT_THROW((void)pp.encode_state(bad_round), vdaf::invalid_argument);
  // A default-constructed Continued handed to a step: Rejected, not undefined behaviour.
  const auto st = pp.leader_continued(PingPong<vdaf::Prio3Count>::Continued{},
                                      vdaf::PingPongMessage::finish({}).encode());
  ASSERT_TRUE(PingPong<vdaf::Prio3Count>::is_rejected(st));
  EXPECT_EQ(std::get<PingPong<vdaf::Prio3Count>::Rejected>(st).cause,
            vdaf::RejectCause::invalid_argument);
}

}  // namespace
