// Poplar1 (two rounds) through the ping-pong topology agrees with the direct API.
#include <array>
#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <vdaf/poplar1.hpp>
#include <vdaf/topology/ping_pong.hpp>

namespace {

using vdaf::BitString;
using vdaf::Bytes;
using vdaf::Poplar1;
using PP = vdaf::PingPong<Poplar1>;

const Bytes kCtx = {'p', 'p', '-', 'p', 'o', 'p'};

struct Outcome {
  vdaf::PingPongState<Poplar1> leader, helper;
  int requests = 0;
};

// Leader and helper exchange only encoded ping-pong messages.
Outcome run(const Poplar1& v, const Bytes& key, const Poplar1::AggParam& ap, const Bytes& nonce,
            const Bytes& public_share, const std::array<Bytes, 2>& input_shares) {
  PP leader(v, key, kCtx, ap), helper(v, key, kCtx, ap);
  Outcome o{leader.leader_initialized_encoded(nonce, public_share, input_shares[0]), {}, 0};
  bool helper_started = false;
  while (const Bytes* request = PP::outbound(o.leader)) {
    ++o.requests;
    o.helper = helper_started ? helper.helper_continued(o.helper, *request)
                              : helper.helper_initialized_encoded(nonce, public_share,
                                                                  input_shares[1], *request);
    helper_started = true;
    const Bytes* response = PP::outbound(o.helper);
    if (response == nullptr || PP::is_finished(o.leader)) break;
    o.leader = leader.leader_continued(o.leader, *response);
    if (PP::is_finished(o.leader) && !PP::outbound(o.leader)) break;
  }
  return o;
}

std::array<Bytes, 2> direct(const Poplar1& v, const Bytes& key, const Poplar1::AggParam& ap,
                            const Bytes& nonce, const Poplar1::ShardResult& sr) {
  auto [s0, v0] = v.verify_init(key, kCtx, 0, ap, nonce, sr.public_share, sr.input_shares[0]);
  auto [s1, v1] = v.verify_init(key, kCtx, 1, ap, nonce, sr.public_share, sr.input_shares[1]);
  std::array<Poplar1::VerifierShare, 2> r1 = {v0, v1};
  auto m1 = v.verifier_shares_to_message(kCtx, ap, r1);
  auto n0 = std::get<0>(v.verify_next(kCtx, s0, m1));
  auto n1 = std::get<0>(v.verify_next(kCtx, s1, m1));
  std::array<Poplar1::VerifierShare, 2> r2 = {n0.second, n1.second};
  auto m2 = v.verifier_shares_to_message(kCtx, ap, r2);
  return {v.encode_out_share(std::get<1>(v.verify_next(kCtx, n0.first, m2))),
          v.encode_out_share(std::get<1>(v.verify_next(kCtx, n1.first, m2)))};
}

BitString prefix_of(const BitString& m, std::size_t len) {
  return BitString(m.begin(), m.begin() + static_cast<std::ptrdiff_t>(len));
}

RC_GTEST_PROP(PingPongPoplar1, AgreesWithDirectApi, ()) {
  const auto bits = *rc::gen::inRange<std::size_t>(1, 17);
  const Poplar1 v(bits);
  const auto mbits = *rc::gen::container<std::vector<bool>>(bits, rc::gen::arbitrary<bool>());
  const BitString m(mbits.begin(), mbits.end());
  const auto level = *rc::gen::inRange<std::size_t>(0, bits);
  // Candidate prefixes: the measurement's and its sibling, sorted.
  BitString a = prefix_of(m, level + 1), b = a;
  b[level] = !b[level];
  Poplar1::AggParam ap{static_cast<std::uint16_t>(level), {std::min(a, b), std::max(a, b)}};
  RC_ASSERT(v.is_valid(ap, {}));
  Bytes key(32), nonce(16), rand(Poplar1::RAND_SIZE);
  for (std::size_t i = 0; i < key.size(); ++i)
    key[i] = static_cast<std::uint8_t>(*rc::gen::arbitrary<std::uint8_t>());
  for (std::size_t i = 0; i < rand.size(); ++i) rand[i] = *rc::gen::arbitrary<std::uint8_t>();
  nonce[0] = *rc::gen::arbitrary<std::uint8_t>();
  const auto sr = v.shard(kCtx, m, nonce, rand);
  const Bytes ps = v.encode_public_share(sr.public_share);
  const std::array<Bytes, 2> is = {v.encode_input_share(sr.input_shares[0]),
                                   v.encode_input_share(sr.input_shares[1])};
  const Outcome o = run(v, key, ap, nonce, ps, is);
  RC_ASSERT(o.requests == 2);  // ceil((ROUNDS + 1) / 2) with ROUNDS = 2
  // Two rounds: the leader computes the last message, so it ends FinishedWithOutbound.
  RC_ASSERT(std::holds_alternative<PP::FinishedWithOutbound>(o.leader));
  RC_ASSERT(std::holds_alternative<PP::Finished>(o.helper));
  const auto want = direct(v, key, ap, nonce, sr);
  RC_ASSERT(v.encode_out_share(*PP::out_share(o.leader)) == want[0]);
  RC_ASSERT(v.encode_out_share(*PP::out_share(o.helper)) == want[1]);
  // The shares add up to one count on the measurement's prefix and zero on the sibling.
  std::array<Poplar1::AggShare, 2> agg = {v.agg_init(ap), v.agg_init(ap)};
  v.agg_update(ap, agg[0], *PP::out_share(o.leader));
  v.agg_update(ap, agg[1], *PP::out_share(o.helper));
  const auto counts = v.unshard(ap, agg, 1);
  RC_ASSERT(counts[a < b ? 0 : 1] == 1u);
  RC_ASSERT(counts[a < b ? 1 : 0] == 0u);
}

TEST(PingPongPoplar1, TamperedInputShareIsRejectedWithoutThrowing) {
  const Poplar1 v(8);
  const BitString m = Poplar1::measurement_from_int(0xA5, 8);
  Bytes key(32, 7), nonce(16, 3), rand(Poplar1::RAND_SIZE, 9);
  const auto sr = v.shard(kCtx, m, nonce, rand);
  Poplar1::AggParam ap{7, {m}};
  const Bytes ps = v.encode_public_share(sr.public_share);
  std::array<Bytes, 2> is = {v.encode_input_share(sr.input_shares[0]),
                             v.encode_input_share(sr.input_shares[1])};
  is[1][0] ^= 1;  // helper's IDPF key
  const Outcome o = run(v, key, ap, nonce, ps, is);
  EXPECT_TRUE(PP::is_rejected(o.leader) || PP::is_rejected(o.helper));
  EXPECT_FALSE(PP::is_finished(o.leader) && PP::is_finished(o.helper));
}

}  // namespace
