// Diagnosable rejections: verify_error carries a machine-readable reason (VerifyFailure) and a
// message saying what likely went wrong; ping-pong's Rejected carries the cause and failure.
// - a forged proof: proof_rejected with the index of the rejected proof (multiproof too);
// - the misconfigurations a deployment meets (ctx differs between client and aggregators, the
//   aggregators' verify keys differ, the client used other parameters): every report is
//   rejected with proof_rejected, and the message tells the operator what to check;
// - a forged joint-randomness seed: joint_rand_mismatch; a missing one: message_mismatch;
// - Poplar1: a broken sketch is sketch_rejected, a message of the wrong round message_mismatch;
// - ping-pong: each RejectCause from the step that meets it, never an exception.
#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/ping_pong_driver.hpp"
#include "support/reports.hpp"
#include "vdaf/poplar1.hpp"
#include "vdaf/prio3.hpp"
#include "vdaf/topology/ping_pong.hpp"

namespace {

using vdaf::Bytes;
using vdaf::ByteSpan;
using vdaf::VerifyFailure;

const Bytes kCtx = {'t', 'a', 's', 'k', '-', '1'};

/// Runs verify_init for every aggregator with (key_j, ctx_j) and returns what
/// verifier_shares_to_message throws (reason, proof, message), or reason unspecified if it
/// does not throw.
struct Outcome {
  bool rejected = false;
  VerifyFailure reason = VerifyFailure::unspecified;
  std::optional<std::size_t> proof;
  std::string message;
};

template <class V>
Outcome verify(const V& v, const vdaf_test::TestReport<V>& r, const std::vector<Bytes>& keys,
               const std::vector<Bytes>& ctxs) {
  std::vector<typename V::VerifierShare> shares;
  for (std::size_t j = 0; j < v.shares(); ++j) {
    shares.push_back(
        v.verify_init(keys[j], ctxs[j], j, {}, r.nonce, r.public_share, r.input_shares[j]).second);
  }
  Outcome o;
  try {
    (void)v.verifier_shares_to_message(ctxs[0], {}, shares);
  } catch (const vdaf::verify_error& e) {
    o.rejected = true;
    o.reason = e.reason();
    o.proof = e.proof();
    o.message = e.what();
  }
  return o;
}

void expect_hint(const std::string& msg) {
  EXPECT_NE(msg.find("if every report is rejected, check that ctx, the verify key and the VDAF "
                     "parameters agree between client and aggregators"),
            std::string::npos)
      << msg;
}

TEST(Diagnostics, ForgedProofNamesTheProof) {
  std::mt19937_64 rng(1);
  using M = vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>;
  const M v(2, 4, 3, 2, 3);
  const std::vector<Bytes> keys(2, Bytes(32, 9)), ctxs(2, kCtx);
  for (std::size_t k = 0; k < 3; ++k) {
    auto r = vdaf_test::make_reports(v, kCtx, 1, rng)[0];
    r.input_shares[0].proofs_share[k * v.proof_len() + 1] += vdaf::Field64::one();
    const Outcome o = verify(v, r, keys, ctxs);
    ASSERT_TRUE(o.rejected);
    EXPECT_EQ(o.reason, VerifyFailure::proof_rejected);
    ASSERT_TRUE(o.proof.has_value());
    EXPECT_EQ(*o.proof, k);
    EXPECT_NE(o.message.find("proof " + std::to_string(k) + " does not verify"), std::string::npos)
        << o.message;
    expect_hint(o.message);
  }
  // Honest reports pass.
  const auto r = vdaf_test::make_reports(v, kCtx, 1, rng)[0];
  EXPECT_FALSE(verify(v, r, keys, ctxs).rejected);
}

TEST(Diagnostics, MisconfigurationRejectsEveryReportWithTheHint) {
  std::mt19937_64 rng(2);
  const vdaf::Prio3Count count(2);
  const vdaf::Prio3Sum client_sum(2, 100), agg_sum(2, 127);  // same bit width, other bound
  const std::vector<Bytes> same_keys(2, Bytes(32, 1));
  const std::vector<Bytes> other_keys = {Bytes(32, 1), Bytes(32, 2)};
  const std::vector<Bytes> good_ctx(2, kCtx), wrong_ctx(2, Bytes{'t', 'a', 's', 'k', '-', '2'});
  for (int i = 0; i < 20; ++i) {
    const auto r = vdaf_test::make_reports(count, kCtx, 1, rng)[0];
    EXPECT_FALSE(verify(count, r, same_keys, good_ctx).rejected);
    // The client used another ctx than the aggregators (another task).
    Outcome o = verify(count, r, same_keys, wrong_ctx);
    EXPECT_TRUE(o.rejected);
    EXPECT_EQ(o.reason, VerifyFailure::proof_rejected);
    expect_hint(o.message);
    // The two aggregators hold different verify keys.
    o = verify(count, r, other_keys, good_ctx);
    EXPECT_TRUE(o.rejected);
    EXPECT_EQ(o.reason, VerifyFailure::proof_rejected);
    expect_hint(o.message);
  }
  // The client used other parameters. With other lengths the leader's share does not fit: an
  // invalid_argument (decode_error from the bytes) naming the length, before any proof is
  // checked.
  const vdaf::Prio3Histogram client_hist(2, 10, 3), agg_hist(2, 10, 4);
  const auto rh = vdaf_test::make_reports(client_hist, kCtx, 1, rng)[0];
  EXPECT_THROW((void)agg_hist.verify_init(same_keys[0], kCtx, 0, {}, rh.nonce, rh.public_share,
                                          rh.input_shares[0]),
               vdaf::invalid_argument);
  EXPECT_THROW(
      (void)agg_hist.decode_input_share(0, client_hist.encode_input_share(rh.input_shares[0])),
      vdaf::decode_error);
  // With the same lengths (Sum's bound 100 vs 127 share the bit width 7) the proof still
  // verifies: the bits are valid bits. Only the decoded value differs (the last weight), which
  // the README's troubleshooting section warns about.
  const auto rs = vdaf_test::make_reports(client_sum, kCtx, 1, rng)[0];
  EXPECT_FALSE(verify(agg_sum, rs, same_keys, good_ctx).rejected);
}

TEST(Diagnostics, JointRandomnessFailures) {
  std::mt19937_64 rng(3);
  const vdaf::Prio3Histogram v(2, 10, 3);
  const Bytes key(32, 4);
  const auto r = vdaf_test::make_reports(v, kCtx, 1, rng)[0];
  auto [s0, v0] = v.verify_init(key, kCtx, 0, {}, r.nonce, r.public_share, r.input_shares[0]);
  auto [s1, v1] = v.verify_init(key, kCtx, 1, {}, r.nonce, r.public_share, r.input_shares[1]);
  const std::array<vdaf::Prio3Histogram::VerifierShare, 2> shares = {v0, v1};
  auto msg = v.verifier_shares_to_message(kCtx, {}, shares);
  msg.joint_rand_seed->at(0) ^= 1;
  try {
    (void)v.verify_next(kCtx, s0, msg);
    ADD_FAILURE() << "forged seed accepted";
  } catch (const vdaf::verify_error& e) {
    EXPECT_EQ(e.reason(), VerifyFailure::joint_rand_mismatch);
    EXPECT_FALSE(e.proof().has_value());
    expect_hint(e.what());
  }
  msg.joint_rand_seed.reset();
  try {
    (void)v.verify_next(kCtx, s0, msg);
    ADD_FAILURE() << "missing seed accepted";
  } catch (const vdaf::verify_error& e) {
    EXPECT_EQ(e.reason(), VerifyFailure::message_mismatch);
  }
}

TEST(Diagnostics, Poplar1Sketch) {
  std::mt19937_64 rng(4);
  const vdaf::Poplar1 v(6);
  const Bytes key(32, 5);
  auto r = vdaf_test::make_reports(v, kCtx, 1, rng)[0];
  r.input_shares[0].corr_inner[0] += vdaf::Field64::one();  // level 0's A share
  const vdaf::Poplar1::AggParam ap{0, {vdaf::BitString{false}, vdaf::BitString{true}}};
  auto [s0, v0] = v.verify_init(key, kCtx, 0, ap, r.nonce, r.public_share, r.input_shares[0]);
  auto [s1, v1] = v.verify_init(key, kCtx, 1, ap, r.nonce, r.public_share, r.input_shares[1]);
  const std::array<vdaf::Poplar1::VerifierShare, 2> round1 = {v0, v1};
  const auto m1 = v.verifier_shares_to_message(kCtx, ap, round1);
  auto n0 = std::get<0>(v.verify_next(kCtx, s0, m1));
  auto n1 = std::get<0>(v.verify_next(kCtx, s1, m1));
  const std::array<vdaf::Poplar1::VerifierShare, 2> round2 = {n0.second, n1.second};
  try {
    (void)v.verifier_shares_to_message(kCtx, ap, round2);
    ADD_FAILURE() << "broken sketch accepted";
  } catch (const vdaf::verify_error& e) {
    EXPECT_EQ(e.reason(), VerifyFailure::sketch_rejected);
    expect_hint(e.what());
  }
  // Round 2's state fed a round-1 message.
  try {
    (void)v.verify_next(kCtx, n0.first, m1);
    ADD_FAILURE() << "round-1 message accepted in round 2";
  } catch (const vdaf::verify_error& e) {
    EXPECT_EQ(e.reason(), VerifyFailure::message_mismatch);
  }
}

TEST(Diagnostics, PingPongRejectCauses) {
  std::mt19937_64 rng(6);
  using PP = vdaf::PingPong<vdaf::Prio3Histogram>;
  const vdaf::Prio3Histogram v(2, 10, 3);
  const PP pp(v, Bytes(32, 8), kCtx, {});
  auto r = vdaf_test::make_reports(v, kCtx, 1, rng)[0];
  auto cause = [](const PP::State& s) { return std::get<PP::Rejected>(s).cause; };
  const auto l = pp.leader_initialized(r.nonce, r.public_share, r.input_shares[0]);
  const Bytes& init = *PP::outbound(l);
  // decode_error: bytes that are no ping-pong message.
  auto s = pp.helper_initialized(r.nonce, r.public_share, r.input_shares[1], Bytes{9});
  ASSERT_TRUE(PP::is_rejected(s));
  EXPECT_EQ(cause(s), vdaf::RejectCause::decode_error);
  // invalid_argument: a 15-byte nonce.
  s = pp.helper_initialized(Bytes(15), r.public_share, r.input_shares[1], init);
  ASSERT_TRUE(PP::is_rejected(s));
  EXPECT_EQ(cause(s), vdaf::RejectCause::invalid_argument);
  // protocol: a finish message where initialize is due.
  s = pp.helper_initialized(r.nonce, r.public_share, r.input_shares[1],
                            vdaf::PingPongMessage::finish({}).encode());
  ASSERT_TRUE(PP::is_rejected(s));
  EXPECT_EQ(cause(s), vdaf::RejectCause::protocol);
  // verify_error / proof_rejected, with the hint in the reason.
  auto forged = r;
  forged.input_shares[0].meas_share[1] += vdaf::Field128::one();
  const auto lf = pp.leader_initialized(forged.nonce, forged.public_share, forged.input_shares[0]);
  s = pp.helper_initialized(r.nonce, r.public_share, r.input_shares[1], *PP::outbound(lf));
  ASSERT_TRUE(PP::is_rejected(s));
  EXPECT_EQ(cause(s), vdaf::RejectCause::verify_error);
  EXPECT_EQ(std::get<PP::Rejected>(s).failure, VerifyFailure::proof_rejected);
  expect_hint(std::get<PP::Rejected>(s).reason);
  EXPECT_STREQ(vdaf::to_string(vdaf::RejectCause::verify_error), "verify_error");
  EXPECT_STREQ(vdaf::to_string(VerifyFailure::proof_rejected), "proof_rejected");
  // verify_error / joint_rand_mismatch at the leader.
  const auto h = pp.helper_initialized(r.nonce, r.public_share, r.input_shares[1], init);
  auto fin = vdaf::PingPongMessage::decode(*PP::outbound(h));
  fin.verifier_message[0] ^= 1;
  s = pp.leader_continued(l, fin.encode());
  ASSERT_TRUE(PP::is_rejected(s));
  EXPECT_EQ(cause(s), vdaf::RejectCause::verify_error);
  EXPECT_EQ(std::get<PP::Rejected>(s).failure, VerifyFailure::joint_rand_mismatch);
}

}  // namespace
