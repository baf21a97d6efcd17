// Prio3 verification states stored between verify_init and verify_next (encode_verify_state /
// decode_verify_state): for every instance, 2 and 3 aggregators, every aggregator:
// - the round trip gives back the same bytes and a state verify_next accepts with the same
//   output share as the original; the size is 15 + Fe·OUTPUT_LEN (+ 32 with joint randomness);
// - hostile bytes (every truncation, one byte more, every single-byte change) give decode_error
//   or a state that re-encodes to exactly those bytes (a changed but canonical element);
// - bytes stored by another instance (other parameters, another algorithm, another number of
//   aggregators) and another format version or kind are decode_error naming the mismatch;
// - default-constructed or consumed states are invalid_argument in verify_next and
//   encode_verify_state, not undefined behaviour.
#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "support/reports.hpp"
#include "vdaf/prio3.hpp"

namespace {

using vdaf::Bytes;
using vdaf::ByteSpan;
using vdaf_test::make_reports;

const Bytes kCtx = {'s', 't', 'o', 'r', 'e'};

Bytes to_bytes(const vdaf::SecretBytes& s) { return Bytes(s.begin(), s.end()); }

/// Expects `f()` to throw decode_error whose message contains `needle`.
template <class Fn>
void expect_decode_error(Fn&& f, const std::string& needle) {
  try {
    f();
    ADD_FAILURE() << "no decode_error (expected one mentioning '" << needle << "')";
  } catch (const vdaf::decode_error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

/// verify_init of every aggregator for report r: the states and the verifier shares.
template <class V>
std::pair<std::vector<typename V::VerifyState>, std::vector<typename V::VerifierShare>> init_all(
    const V& v, ByteSpan key, const vdaf_test::TestReport<V>& r) {
  std::pair<std::vector<typename V::VerifyState>, std::vector<typename V::VerifierShare>> out;
  for (std::size_t j = 0; j < v.shares(); ++j) {
    auto [st, vs] = v.verify_init(key, kCtx, j, {}, r.nonce, r.public_share, r.input_shares[j]);
    out.first.push_back(std::move(st));
    out.second.push_back(std::move(vs));
  }
  return out;
}

template <class V>
void check_instance(const V& v, const V& same_params, const V& other_params, std::uint64_t seed) {
  SCOPED_TRACE("ID " + std::to_string(v.id()) + ", shares " + std::to_string(v.shares()));
  std::mt19937_64 rng(seed);
  const Bytes key = vdaf_test::random_bytes(rng, 32);
  const auto reports = make_reports(v, kCtx, 3, rng);
  const std::size_t S = v.shares();
  using F = typename V::Field;
  const std::size_t want_size =
      15 + F::ENCODED_SIZE * v.output_len() + (v.uses_joint_rand() ? 32 : 0);
  for (const auto& r : reports) {
    auto [states, shares] = init_all(v, key, r);
    const auto msg = v.verifier_shares_to_message(kCtx, {}, shares);
    for (std::size_t j = 0; j < S; ++j) {
      const Bytes enc = to_bytes(v.encode_verify_state(states[j]));
      ASSERT_EQ(enc.size(), want_size);
      EXPECT_EQ(enc[0], vdaf::STORED_FORMAT);
      EXPECT_EQ(enc[1], static_cast<std::uint8_t>(vdaf::StoredKind::prio3_verify_state));
      EXPECT_EQ(enc[14], j);
      // A separately constructed instance with the same parameters (another process) reads it.
      const auto dec = same_params.decode_verify_state(enc);
      EXPECT_EQ(dec.agg_id, j);
      EXPECT_EQ(to_bytes(same_params.encode_verify_state(dec)), enc);
      const auto want = std::get<1>(v.verify_next(kCtx, states[j], msg));
      const auto got = std::get<1>(same_params.verify_next(kCtx, dec, msg));
      EXPECT_EQ(v.encode_out_share(got), v.encode_out_share(want));
    }
  }
  // Hostile bytes, on aggregator S-1's state of the first report.
  {
    const auto& r = reports[0];
    auto st =
        v.verify_init(key, kCtx, S - 1, {}, r.nonce, r.public_share, r.input_shares[S - 1]).first;
    const Bytes enc = to_bytes(v.encode_verify_state(st));
    const std::size_t decoded = vdaf_test::check_mutations(
        enc, [&](ByteSpan b) { return v.decode_verify_state(b); },
        [&](const typename V::VerifyState& s) { return to_bytes(v.encode_verify_state(s)); });
    // Flips inside the elements and seed usually stay valid; header, agg_id and length never.
    EXPECT_GT(decoded, 0u);
    // Mismatches, each named.
    expect_decode_error([&] { (void)other_params.decode_verify_state(enc); }, "other parameters");
    Bytes b = enc;
    b[0] = 2;
    expect_decode_error([&] { (void)v.decode_verify_state(b); }, "stored format 2");
    b = enc;
    b[1] = static_cast<std::uint8_t>(vdaf::StoredKind::poplar1_verify_state);
    expect_decode_error([&] { (void)v.decode_verify_state(b); }, "another kind");
    b = enc;
    b[5] ^= 0x40;
    expect_decode_error([&] { (void)v.decode_verify_state(b); }, "algorithm ID");
    b = enc;
    b[14] = static_cast<std::uint8_t>(S);
    expect_decode_error([&] { (void)v.decode_verify_state(b); }, "agg_id");
    expect_decode_error([&] { (void)v.decode_verify_state(ByteSpan(enc).first(enc.size() - 1)); },
                        "truncated");
    b = enc;
    b.push_back(0);
    expect_decode_error([&] { (void)v.decode_verify_state(b); }, "trailing");
  }
  // Not a state: default-constructed, consumed by verify_next_batch, or of another instance.
  {
    const typename V::VerifyState empty{};
    const typename V::VerifierMessage m{};
    EXPECT_THROW((void)v.verify_next(kCtx, empty, m), vdaf::invalid_argument);
    EXPECT_THROW((void)v.encode_verify_state(empty), vdaf::invalid_argument);
    const auto& r = reports[1];
    auto [states, shares] = init_all(v, key, r);
    const std::vector<typename V::VerifierMessage> msgs = {
        v.verifier_shares_to_message(kCtx, {}, shares)};
    std::vector<typename V::VerifyState> one = {states[0]};
    auto out = v.verify_next_batch(kCtx, std::move(one), msgs);
    ASSERT_TRUE(out[0].result.has_value());
    // `one` was moved from; a state whose output share was moved out is spent.
    typename V::VerifyState spent = states[0];
    auto taken = std::move(spent.out_share);
    EXPECT_THROW((void)v.verify_next(kCtx, spent, msgs[0]), vdaf::invalid_argument);
    auto again = v.verify_next_batch(kCtx, std::span<const typename V::VerifyState>(&spent, 1),
                                     std::span<const typename V::VerifierMessage>(msgs));
    ASSERT_TRUE(static_cast<bool>(again[0].error));
    EXPECT_THROW(std::rethrow_exception(again[0].error), vdaf::invalid_argument);
    typename V::VerifyState bad_id = states[0];
    bad_id.agg_id = S;
    EXPECT_THROW((void)v.verify_next(kCtx, bad_id, msgs[0]), vdaf::invalid_argument);
  }
}

TEST(Prio3StoredState, Count) {
  check_instance(vdaf::Prio3Count(2), vdaf::Prio3Count(2), vdaf::Prio3Count(3), 1);
  check_instance(vdaf::Prio3Count(3), vdaf::Prio3Count(3), vdaf::Prio3Count(2), 2);
}
TEST(Prio3StoredState, Sum) {
  check_instance(vdaf::Prio3Sum(2, 1000), vdaf::Prio3Sum(2, 1000), vdaf::Prio3Sum(2, 1001), 3);
}
TEST(Prio3StoredState, SumVec) {
  check_instance(vdaf::Prio3SumVec(2, 10, 3, 4), vdaf::Prio3SumVec(2, 10, 3, 4),
                 vdaf::Prio3SumVec(2, 10, 3, 5), 4);
  check_instance(vdaf::Prio3SumVec(3, 7, 255, 3), vdaf::Prio3SumVec(3, 7, 255, 3),
                 vdaf::Prio3SumVec(3, 7, 254, 3), 5);
}
TEST(Prio3StoredState, Histogram) {
  check_instance(vdaf::Prio3Histogram(2, 20, 4), vdaf::Prio3Histogram(2, 20, 4),
                 vdaf::Prio3Histogram(2, 21, 4), 6);
}
TEST(Prio3StoredState, MultihotCountVec) {
  check_instance(vdaf::Prio3MultihotCountVec(2, 10, 3, 4), vdaf::Prio3MultihotCountVec(2, 10, 3, 4),
                 vdaf::Prio3MultihotCountVec(2, 10, 2, 4), 7);
}
TEST(Prio3StoredState, Multiproof) {
  using M64 = vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>;
  using M128 = vdaf::Prio3SumVecWithMultiproof<vdaf::Field128>;
  check_instance(M64(2, 5, 7, 2, 3), M64(2, 5, 7, 2, 3), M64(2, 5, 7, 2, 2), 8);
  check_instance(M128(2, 5, 7, 2, 2), M128(2, 5, 7, 2, 2), M128(2, 5, 7, 3, 2), 9);
}
TEST(Prio3StoredState, HigherDegree) {
  check_instance(vdaf::Prio3HigherDegree(2), vdaf::Prio3HigherDegree(2), vdaf::Prio3HigherDegree(3),
                 10);
}

TEST(Prio3StoredState, InstancesBeyondTheDraft) {
  using Hmac = vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128;
  check_instance(vdaf::Prio3L1BoundSum(2, 8, 30, 5), vdaf::Prio3L1BoundSum(2, 8, 30, 5),
                 vdaf::Prio3L1BoundSum(2, 8, 29, 5), 11);  // only max_value differs (same bits)
  check_instance(Hmac(2, 5, 7, 2, 3), Hmac(2, 5, 7, 2, 3), Hmac(2, 5, 6, 2, 3), 12);
  check_instance(Hmac(3, 5, 7, 2, 3), Hmac(3, 5, 7, 2, 3), Hmac(3, 5, 7, 2, 4), 13);
  // Same circuit, field and proofs as the draft's multiproof test instance: the XOF and the ID
  // tell them apart.
  using M64 = vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>;
  EXPECT_NE(Hmac(2, 5, 7, 2, 3).instance_digest(), M64(2, 5, 7, 2, 3).instance_digest());
}

TEST(Prio3StoredState, DigestSeparatesInstances) {
  // Same lengths, different algorithm or field: different digests (and IDs where they differ).
  const vdaf::Prio3Count count(2);
  const vdaf::Prio3Sum sum(2, 1);  // MEAS_LEN 1, OUTPUT_LEN 1, like Count
  const vdaf::Prio3HigherDegree hd(2);
  EXPECT_NE(count.instance_digest(), sum.instance_digest());
  EXPECT_NE(count.instance_digest(), hd.instance_digest());
  EXPECT_EQ(count.instance_digest(), vdaf::Prio3Count(2).instance_digest());
  using M64 = vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>;
  using M128 = vdaf::Prio3SumVecWithMultiproof<vdaf::Field128>;
  EXPECT_NE(M64(2, 5, 7, 2, 2).instance_digest(), M128(2, 5, 7, 2, 2).instance_digest());
  // A Count state read by Sum(max 1): same sizes, refused by the digest... and the ID.
  const auto st = count
                      .verify_init(Bytes(32, 1), kCtx, 0, {}, Bytes(16, 2),
                                   count.shard(kCtx, 1, Bytes(16, 2), Bytes(64, 3)).public_share,
                                   count.shard(kCtx, 1, Bytes(16, 2), Bytes(64, 3)).input_shares[0])
                      .first;
  const auto enc = count.encode_verify_state(st);
  EXPECT_THROW((void)sum.decode_verify_state(enc), vdaf::decode_error);
  EXPECT_THROW((void)hd.decode_verify_state(enc), vdaf::decode_error);
}

}  // namespace
