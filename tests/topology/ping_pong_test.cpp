// Ping-pong topology (draft-irtf-cfrg-vdaf-20 §5.7.1, Appendix B):
//
// - message encoding: known bytes for each type, round trips, strict decoding
//   (unknown type, truncated length or body, trailing bytes);
// - Prio3Count, Prio3Histogram (joint randomness) and Prio3SumVec run through
//   ping-pong give the same output shares (byte-equal encodings) as the direct
//   API, and aggregate to the plain sum;
// - tampered reports and messages end in Rejected on the side that detects
//   them, without throwing; a wrong message type at every step is Rejected;
// - a toy multi-round VDAF (ROUNDS = 1, 2, 3) ends with Finished on one side
//   and FinishedWithOutbound on the other after ceil((ROUNDS + 1) / 2)
//   requests, with shares ordered by aggregator id in every round;
// - RapidCheck: for random Prio3Count / Prio3Histogram measurements, ping-pong
//   output shares equal the direct API's.
//
// The two parties have separate PingPong objects (and VDAF objects) and only
// exchange encoded messages.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <vdaf/core/vdaf.hpp>
#include <vdaf/prio3.hpp>
#include <vdaf/topology/ping_pong.hpp>

namespace {

using vdaf::Bytes;
using vdaf::ByteSpan;
using vdaf::PingPong;
using vdaf::PingPongMessage;
using Type = PingPongMessage::Type;

Bytes seq_bytes(std::size_t n, std::uint8_t start) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(start + i);
  return b;
}

// ---------------------------------------------------------------------------
// A toy VDAF with R rounds: sum of 64-bit integers mod 2^64, two additive
// shares. Each round both aggregators send (round, agg_id, share) and the
// message is (round, sum); verification rejects a sum > kMax, shares out of
// aggregator order, a message for another round, and (from round 1 on) a sum
// different from round 0's (the per-round echo check). Decoders take the
// state and reject bytes for another round, as Poplar1's depend on the state.
// Not private, not sound: it exercises the ping-pong state machine only.
// ---------------------------------------------------------------------------

void put_le64(Bytes& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
std::uint64_t get_le64(ByteSpan b) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | b[static_cast<std::size_t>(i)];
  return v;
}

template <std::size_t R>
class ToySum {
 public:
  static constexpr std::size_t VERIFY_KEY_SIZE = 16;
  static constexpr std::size_t NONCE_SIZE = 16;
  static constexpr std::size_t ROUNDS = R;
  static constexpr std::size_t SHARES = 2;
  static constexpr std::uint64_t kMax = 1000;

  using Measurement = std::uint64_t;
  using AggResult = std::uint64_t;
  using OutShare = std::uint64_t;
  using AggShare = std::uint64_t;
  struct AggParam {
    friend bool operator==(const AggParam&, const AggParam&) = default;
  };
  struct PublicShare {};
  struct InputShare {
    std::uint64_t share = 0;
  };
  struct VerifyState {
    std::size_t agg_id = 0;
    std::uint8_t round = 0;
    std::uint64_t share = 0;
    std::uint64_t sum0 = 0;
  };
  struct VerifierShare {
    std::uint8_t round = 0;
    std::uint8_t agg_id = 0;
    std::uint64_t value = 0;
  };
  struct VerifierMessage {
    std::uint8_t round = 0;
    std::uint64_t sum = 0;
  };
  struct ShardResult {
    PublicShare public_share;
    std::vector<InputShare> input_shares;
  };

  /// rand: 8 bytes (the helper's share).
  ShardResult shard(ByteSpan, const Measurement& m, ByteSpan nonce, ByteSpan rand) const {
    VDAF_ARG_CHECK(nonce.size() == NONCE_SIZE && rand.size() == 8, "ToySum shard: bad lengths");
    VDAF_ARG_CHECK(m <= kMax, "ToySum shard: measurement too large");
    const std::uint64_t r = get_le64(rand);
    return {PublicShare{}, {InputShare{m - r}, InputShare{r}}};
  }
  bool is_valid(const AggParam&, std::span<const AggParam> previous) const noexcept {
    return previous.empty();
  }

  std::pair<VerifyState, VerifierShare> verify_init(ByteSpan verify_key, ByteSpan,
                                                    std::size_t agg_id, const AggParam&,
                                                    ByteSpan nonce, const PublicShare&,
                                                    const InputShare& is) const {
    VDAF_ARG_CHECK(verify_key.size() == VERIFY_KEY_SIZE, "ToySum: bad verify key");
    VDAF_ARG_CHECK(nonce.size() == NONCE_SIZE, "ToySum: bad nonce");
    VDAF_ARG_CHECK(agg_id < 2, "ToySum: bad agg_id");
    return {VerifyState{agg_id, 0, is.share, 0},
            VerifierShare{0, static_cast<std::uint8_t>(agg_id), is.share}};
  }

  VerifierMessage verifier_shares_to_message(ByteSpan, const AggParam&,
                                             std::span<const VerifierShare> shares) const {
    VDAF_ARG_CHECK(shares.size() == 2, "ToySum: need 2 verifier shares");
    if (shares[0].agg_id != 0 || shares[1].agg_id != 1) {
      VDAF_THROW(verify_error, "ToySum: verifier shares out of aggregator order");
    }
    if (shares[0].round != shares[1].round) VDAF_THROW(verify_error, "ToySum: round mismatch");
    const std::uint64_t sum = shares[0].value + shares[1].value;
    if (sum > kMax) VDAF_THROW(verify_error, "ToySum: sum out of range");
    return {shares[0].round, sum};
  }

  std::variant<std::pair<VerifyState, VerifierShare>, OutShare> verify_next(
      ByteSpan, const VerifyState& st, const VerifierMessage& msg) const {
    if (msg.round != st.round) VDAF_THROW(verify_error, "ToySum: message for another round");
    if (st.round > 0 && msg.sum != st.sum0) VDAF_THROW(verify_error, "ToySum: echo check failed");
    if (st.round + 1u == ROUNDS) return OutShare{st.share};
    VerifyState next{st.agg_id, static_cast<std::uint8_t>(st.round + 1), st.share,
                     st.round == 0 ? msg.sum : st.sum0};
    VerifierShare vs{next.round, static_cast<std::uint8_t>(st.agg_id), st.share};
    return std::pair<VerifyState, VerifierShare>{next, vs};
  }

  AggShare agg_init(const AggParam&) const { return 0; }
  void agg_update(const AggParam&, AggShare& a, const OutShare& o) const { a += o; }
  AggShare merge(const AggParam&, std::span<const AggShare> as) const {
    AggShare s = 0;
    for (auto a : as) s += a;
    return s;
  }
  AggResult unshard(const AggParam& ap, std::span<const AggShare> as, std::uint64_t) const {
    return merge(ap, as);
  }

  Bytes encode_public_share(const PublicShare&) const { return {}; }
  PublicShare decode_public_share(ByteSpan b) const {
    vdaf::Reader(b, "ToySum public share").finish();
    return {};
  }
  Bytes encode_input_share(const InputShare& s) const {
    Bytes out;
    put_le64(out, s.share);
    return out;
  }
  InputShare decode_input_share(std::size_t, ByteSpan b) const {
    vdaf::Reader r(b, "ToySum input share");
    InputShare s{get_le64(r.take(8))};
    r.finish();
    return s;
  }
  Bytes encode_verifier_share(const VerifierShare& vs) const {
    Bytes out{vs.round, vs.agg_id};
    put_le64(out, vs.value);
    return out;
  }
  VerifierShare decode_verifier_share(const VerifyState& st, ByteSpan b) const {
    vdaf::Reader r(b, "ToySum verifier share");
    VerifierShare vs;
    vs.round = r.u8();
    vs.agg_id = r.u8();
    vs.value = get_le64(r.take(8));
    r.finish();
    if (vs.round != st.round) VDAF_THROW(decode_error, "ToySum verifier share: wrong round");
    return vs;
  }
  Bytes encode_verifier_message(const VerifierMessage& m) const {
    Bytes out{m.round};
    put_le64(out, m.sum);
    return out;
  }
  VerifierMessage decode_verifier_message(const VerifyState& st, ByteSpan b) const {
    vdaf::Reader r(b, "ToySum verifier message");
    VerifierMessage m;
    m.round = r.u8();
    m.sum = get_le64(r.take(8));
    r.finish();
    if (m.round != st.round) VDAF_THROW(decode_error, "ToySum verifier message: wrong round");
    return m;
  }
  Bytes encode_agg_param(const AggParam&) const { return {}; }
  AggParam decode_agg_param(ByteSpan b) const {
    vdaf::Reader(b, "ToySum agg param").finish();
    return {};
  }
  Bytes encode_out_share(const OutShare& s) const {
    Bytes out;
    put_le64(out, s);
    return out;
  }
  Bytes encode_agg_share(const AggShare& s) const { return encode_out_share(s); }
  AggShare decode_agg_share(const AggParam&, ByteSpan b) const {
    vdaf::Reader r(b, "ToySum agg share");
    AggShare s = get_le64(r.take(8));
    r.finish();
    return s;
  }
};

static_assert(vdaf::Vdaf<vdaf::Prio3Count>);
static_assert(vdaf::Vdaf<vdaf::Prio3Sum>);
static_assert(vdaf::Vdaf<vdaf::Prio3SumVec>);
static_assert(vdaf::Vdaf<vdaf::Prio3Histogram>);
static_assert(vdaf::Vdaf<vdaf::Prio3MultihotCountVec>);
static_assert(vdaf::Vdaf<ToySum<1>>);
static_assert(vdaf::Vdaf<ToySum<3>>);
static_assert(!vdaf::VdafAggregator<int>);
static_assert(
    std::is_same_v<vdaf::PingPongState<vdaf::Prio3Count>, PingPong<vdaf::Prio3Count>::State>);

// ---------------------------------------------------------------------------
// Harness: a report, the direct API, and a ping-pong exchange over bytes.
// ---------------------------------------------------------------------------

/// A sharded report, as the aggregators receive it (bytes only).
struct Report {
  Bytes nonce;
  Bytes public_share;
  std::array<Bytes, 2> input_shares;
};

template <class V>
Report make_report(const V& v, ByteSpan ctx, const typename V::Measurement& m, ByteSpan nonce,
                   ByteSpan rand) {
  auto sr = v.shard(ctx, m, nonce, rand);
  return {Bytes(nonce.begin(), nonce.end()),
          v.encode_public_share(sr.public_share),
          {v.encode_input_share(sr.input_shares[0]), v.encode_input_share(sr.input_shares[1])}};
}

/// Output shares (encoded) from the VDAF API called directly (§5.6 run_vdaf).
template <class V>
std::array<Bytes, 2> direct_out_shares(const V& v, ByteSpan key, ByteSpan ctx,
                                       const typename V::AggParam& ap, const Report& r) {
  const auto ps = v.decode_public_share(r.public_share);
  auto [s0, v0] =
      v.verify_init(key, ctx, 0, ap, r.nonce, ps, v.decode_input_share(0, r.input_shares[0]));
  auto [s1, v1] =
      v.verify_init(key, ctx, 1, ap, r.nonce, ps, v.decode_input_share(1, r.input_shares[1]));
  for (std::size_t round = 0;; ++round) {
    const std::array<typename V::VerifierShare, 2> shares = {v0, v1};
    const auto msg = v.verifier_shares_to_message(ctx, ap, shares);
    auto o0 = v.verify_next(ctx, s0, msg);
    auto o1 = v.verify_next(ctx, s1, msg);
    if (round + 1 == V::ROUNDS) {
      return {v.encode_out_share(std::get<1>(o0)), v.encode_out_share(std::get<1>(o1))};
    }
    std::tie(s0, v0) = std::get<0>(std::move(o0));
    std::tie(s1, v1) = std::get<0>(std::move(o1));
  }
}

template <class V>
struct Exchange {
  vdaf::PingPongState<V> leader;
  std::optional<vdaf::PingPongState<V>> helper;  // empty if no request was sent
  std::size_t requests = 0;
  std::size_t messages = 0;
};

/// Runs the ping-pong exchange for one report. `tamper(k, bytes)` may change
/// the k-th message (k = 0, 1, ...: even from the Leader, odd from the Helper)
/// before delivery. A party stops when it has nothing to send or its peer
/// stopped; no exception may escape.
template <class V, class Tamper>
Exchange<V> run_ping_pong(const PingPong<V>& leader, const PingPong<V>& helper, const Report& r,
                          Tamper tamper) {
  using PP = PingPong<V>;
  Exchange<V> ex{leader.leader_initialized_encoded(r.nonce, r.public_share, r.input_shares[0]),
                 std::nullopt, 0, 0};
  while (const Bytes* lo = PP::outbound(ex.leader)) {
    Bytes request = *lo;
    tamper(ex.messages++, request);
    ++ex.requests;
    ex.helper = ex.helper ? helper.helper_continued(*ex.helper, request)
                          : helper.helper_initialized_encoded(r.nonce, r.public_share,
                                                              r.input_shares[1], request);
    if (!std::holds_alternative<typename PP::Continued>(ex.leader)) break;
    const Bytes* ho = PP::outbound(*ex.helper);
    if (ho == nullptr) break;
    Bytes response = *ho;
    tamper(ex.messages++, response);
    ex.leader = leader.leader_continued(ex.leader, response);
  }
  return ex;
}

template <class V>
Exchange<V> run_ping_pong(const PingPong<V>& leader, const PingPong<V>& helper, const Report& r) {
  return run_ping_pong(leader, helper, r, [](std::size_t, Bytes&) {});
}

template <class V>
std::string reason(const vdaf::PingPongState<V>& s) {
  const auto* rej = std::get_if<typename PingPong<V>::Rejected>(&s);
  return rej ? rej->reason : std::string("<not rejected>");
}

/// Checks a successful exchange: who holds Finished / FinishedWithOutbound,
/// the request count, and the output shares against the direct API.
template <class V>
void expect_success(const V& v, const Exchange<V>& ex, const std::array<Bytes, 2>& direct) {
  using PP = PingPong<V>;
  ASSERT_TRUE(ex.helper.has_value());
  ASSERT_TRUE(PP::is_finished(ex.leader)) << reason<V>(ex.leader);
  ASSERT_TRUE(PP::is_finished(*ex.helper)) << reason<V>(*ex.helper);
  // The party that computes the last verifier message sends it in a finish
  // message: the Helper for odd ROUNDS, the Leader for even ROUNDS.
  const bool helper_last = V::ROUNDS % 2 == 1;
  EXPECT_TRUE(std::holds_alternative<typename PP::Finished>(helper_last ? ex.leader : *ex.helper));
  EXPECT_TRUE(std::holds_alternative<typename PP::FinishedWithOutbound>(helper_last ? *ex.helper
                                                                                    : ex.leader));
  EXPECT_EQ(ex.requests, (V::ROUNDS + 2) / 2);  // ceil((ROUNDS + 1) / 2)
  EXPECT_EQ(ex.messages, V::ROUNDS + 1);
  EXPECT_EQ(v.encode_out_share(*PP::out_share(ex.leader)), direct[0]);
  EXPECT_EQ(v.encode_out_share(*PP::out_share(*ex.helper)), direct[1]);
  const Bytes* last = PP::outbound(helper_last ? *ex.helper : ex.leader);
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(PingPongMessage::decode(*last).type, Type::finish);
}

const Bytes kVerifyKey = seq_bytes(32, 0x40);
const Bytes kCtx = {'p', 'i', 'n', 'g', '-', 'p', 'o', 'n', 'g'};

template <class V>
Bytes rand_for(const V& v) {
  if constexpr (requires { v.rand_size(); }) {
    return seq_bytes(v.rand_size(), 0x11);
  } else {
    return seq_bytes(8, 0x11);
  }
}

/// One report of `m` through ping-pong between two separately constructed
/// aggregators; expects success and direct-API agreement; returns the shares.
template <class V>
std::array<Bytes, 2> check_report(const V& leader_vdaf, const V& helper_vdaf,
                                  const typename V::Measurement& m, ByteSpan key,
                                  std::uint8_t nonce_byte = 0) {
  const typename V::AggParam ap{};
  PingPong<V> leader(leader_vdaf, key, kCtx, ap), helper(helper_vdaf, key, kCtx, ap);
  Bytes nonce(V::NONCE_SIZE, nonce_byte);
  const Report r = make_report(leader_vdaf, kCtx, m, nonce, rand_for(leader_vdaf));
  const auto direct = direct_out_shares(leader_vdaf, key, kCtx, ap, r);
  const auto ex = run_ping_pong(leader, helper, r);
  expect_success(leader_vdaf, ex, direct);
  return direct;
}

// ---------------------------------------------------------------------------
// Message encoding (§5.7.1)
// ---------------------------------------------------------------------------

TEST(PingPongMessage, KnownBytes) {
  EXPECT_EQ(PingPongMessage::initialize({0xaa, 0xbb, 0xcc}).encode(),
            (Bytes{0x00, 0x00, 0x00, 0x00, 0x03, 0xaa, 0xbb, 0xcc}));
  EXPECT_EQ(PingPongMessage::continue_({0x01}, {0x02, 0x03}).encode(),
            (Bytes{0x01, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x02, 0x02, 0x03}));
  EXPECT_EQ(PingPongMessage::finish({0xde, 0xad}).encode(),
            (Bytes{0x02, 0x00, 0x00, 0x00, 0x02, 0xde, 0xad}));
  EXPECT_EQ(PingPongMessage::initialize({}).encode(), (Bytes{0x00, 0x00, 0x00, 0x00, 0x00}));
  EXPECT_EQ(PingPongMessage::continue_({}, {}).encode(),
            (Bytes{0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}));
  EXPECT_EQ(PingPongMessage::finish({}).encode(), (Bytes{0x02, 0x00, 0x00, 0x00, 0x00}));
  // Lengths are big-endian.
  const Bytes big(0x010203, 0x5a);
  const Bytes enc = PingPongMessage::finish(big).encode();
  ASSERT_EQ(enc.size(), 5u + big.size());
  EXPECT_EQ((Bytes(enc.begin(), enc.begin() + 5)), (Bytes{0x02, 0x00, 0x01, 0x02, 0x03}));
}

TEST(PingPongMessage, RoundTrip) {
  for (const auto& m : {PingPongMessage::initialize(seq_bytes(17, 1)),
                        PingPongMessage::continue_(seq_bytes(32, 2), seq_bytes(5, 3)),
                        PingPongMessage::continue_({}, seq_bytes(1, 9)),
                        PingPongMessage::finish(seq_bytes(32, 4)), PingPongMessage::finish({})}) {
    const Bytes enc = m.encode();
    const PingPongMessage d = PingPongMessage::decode(enc);
    EXPECT_EQ(d, m);
    EXPECT_EQ(d.encode(), enc);
  }
}

TEST(PingPongMessage, DecodeRejectsMalformed) {
  const std::vector<Bytes> bad = {
      {},                                                      // empty
      {0x03, 0x00, 0x00, 0x00, 0x00},                          // unknown type 3
      {0xff, 0x00, 0x00, 0x00, 0x00},                          // unknown type 255
      {0x00},                                                  // initialize without length
      {0x00, 0x00, 0x00, 0x03},                                // truncated length
      {0x00, 0x00, 0x00, 0x00, 0x04, 0xaa, 0xbb, 0xcc},        // body shorter than length
      {0x00, 0x00, 0x00, 0x00, 0x03, 0xaa, 0xbb, 0xcc, 0xdd},  // trailing byte
      {0x00, 0xff, 0xff, 0xff, 0xff, 0x00},                    // huge length
      {0x01, 0x00, 0x00, 0x00, 0x01, 0x01},                    // continue missing its second field
      {0x01, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00},        // truncated second length
      {0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},  // continue + trailing
      {0x02},                                                        // finish without length
      {0x02, 0x00, 0x00, 0x00, 0x00, 0x00},                          // finish + trailing
      {0x02, 0x00, 0x00, 0x00, 0x01},                                // finish body missing
  };
  for (const auto& b : bad) {
    EXPECT_THROW(PingPongMessage::decode(b), vdaf::decode_error) << ::testing::PrintToString(b);
  }
  try {
    PingPongMessage::decode(Bytes{0x03, 0x00, 0x00, 0x00, 0x00});
    FAIL();
  } catch (const vdaf::decode_error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown type 3"), std::string::npos) << e.what();
  }
}

TEST(PingPongMessage, EncodeRejectsInconsistentFields) {
  PingPongMessage m = PingPongMessage::initialize({1});
  m.verifier_message = {2};
  EXPECT_THROW(m.encode(), vdaf::invalid_argument);
  PingPongMessage f = PingPongMessage::finish({1});
  f.verifier_share = {2};
  EXPECT_THROW(f.encode(), vdaf::invalid_argument);
  PingPongMessage u = PingPongMessage::finish({});
  u.type = static_cast<Type>(3);
  EXPECT_THROW(u.encode(), vdaf::invalid_argument);
}

// ---------------------------------------------------------------------------
// Prio3 through ping-pong
// ---------------------------------------------------------------------------

TEST(PingPongPrio3, CountMatchesDirectApiAndAggregates) {
  const vdaf::Prio3Count leader_vdaf(2), helper_vdaf(2);
  const vdaf::Prio3Count::AggParam ap{};
  PingPong<vdaf::Prio3Count> leader(leader_vdaf, kVerifyKey, kCtx, ap);
  PingPong<vdaf::Prio3Count> helper(helper_vdaf, kVerifyKey, kCtx, ap);
  auto agg0 = leader_vdaf.agg_init(ap), agg1 = helper_vdaf.agg_init(ap);
  const std::vector<std::uint64_t> ms = {1, 0, 1, 1, 0, 1};
  std::uint8_t i = 0;
  for (auto m : ms) {
    const Bytes nonce(16, i++);
    const Report r = make_report(leader_vdaf, kCtx, m, nonce, rand_for(leader_vdaf));
    const auto ex = run_ping_pong(leader, helper, r);
    expect_success(leader_vdaf, ex, direct_out_shares(leader_vdaf, kVerifyKey, kCtx, ap, r));
    leader_vdaf.agg_update(ap, agg0, *PingPong<vdaf::Prio3Count>::out_share(ex.leader));
    helper_vdaf.agg_update(ap, agg1, *PingPong<vdaf::Prio3Count>::out_share(*ex.helper));
  }
  const std::array<vdaf::Prio3Count::AggShare, 2> aggs = {agg0, agg1};
  EXPECT_EQ(leader_vdaf.unshard(ap, aggs, ms.size()), 4u);
}

TEST(PingPongPrio3, HistogramWithJointRandMatchesDirectApi) {
  const vdaf::Prio3Histogram l(2, 10, 3), h(2, 10, 3);
  ASSERT_TRUE(l.uses_joint_rand());
  for (std::uint64_t m : {0u, 4u, 9u}) check_report(l, h, m, kVerifyKey);
}

TEST(PingPongPrio3, SumVecMatchesDirectApi) {
  const vdaf::Prio3SumVec l(2, 5, 7, 3), h(2, 5, 7, 3);
  check_report(l, h, std::vector<std::uint64_t>{0, 7, 3, 1, 6}, kVerifyKey);
  const vdaf::Prio3SumVecWithMultiproof<vdaf::Field64> lm(2, 4, 3, 2, 3), hm(2, 4, 3, 2, 3);
  check_report(lm, hm, std::vector<std::uint64_t>{3, 0, 2, 1}, kVerifyKey);
}

TEST(PingPongPrio3, InstancesBeyondTheDraftMatchDirectApi) {
  const vdaf::Prio3L1BoundSum l(2, 6, 20, 4), h(2, 6, 20, 4);
  check_report(l, h, std::vector<std::uint64_t>{0, 7, 3, 0, 10, 0}, kVerifyKey);
  check_report(l, h, std::vector<std::uint64_t>{0, 0, 0, 0, 0, 0}, kVerifyKey);
  const vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128 lh(2, 5, 0xFFFFFFFF00000000ULL, 2, 3),
      hh(2, 5, 0xFFFFFFFF00000000ULL, 2, 3);  // max_measurement = p - 1
  check_report(lh, hh, std::vector<std::uint64_t>{0, 0xFFFFFFFF00000000ULL, 1, 2, 3}, kVerifyKey);
}

TEST(PingPongPrio3, VerifyKeyDoesNotChangeOutShares) {
  // Both parties sharing one VDAF object works as well as separate objects.
  const vdaf::Prio3Histogram v(2, 4, 2);
  const auto a = check_report(v, v, std::uint64_t{2}, Bytes(32, 0x99), 7);
  const auto b = check_report(v, v, std::uint64_t{2}, kVerifyKey, 7);
  EXPECT_EQ(a, b);
}

TEST(PingPongPrio3, ConstructorChecks) {
  const vdaf::Prio3Count two(2), three(3);
  EXPECT_THROW(PingPong<vdaf::Prio3Count>(three, kVerifyKey, kCtx, {}), vdaf::invalid_argument);
  EXPECT_THROW(PingPong<vdaf::Prio3Count>(two, Bytes(31), kCtx, {}), vdaf::invalid_argument);
  EXPECT_NO_THROW(PingPong<vdaf::Prio3Count>(two, kVerifyKey, {}, {}));
}

// --- rejection, never throwing -----------------------------------------------

using HistPP = PingPong<vdaf::Prio3Histogram>;

struct HistFixture : ::testing::Test {
  vdaf::Prio3Histogram lv{2, 8, 3}, hv{2, 8, 3};
  HistPP leader{lv, kVerifyKey, kCtx, {}};
  HistPP helper{hv, kVerifyKey, kCtx, {}};
  Report report = make_report(lv, kCtx, std::uint64_t{5}, Bytes(16, 3), rand_for(lv));

  HistPP::State leader_init() const {
    return leader.leader_initialized_encoded(report.nonce, report.public_share,
                                             report.input_shares[0]);
  }
  HistPP::State helper_init(ByteSpan inbound) const {
    return helper.helper_initialized_encoded(report.nonce, report.public_share,
                                             report.input_shares[1], inbound);
  }
};

using PingPongPrio3Reject = HistFixture;

TEST_F(PingPongPrio3Reject, TamperedLeaderInputShareRejectedByHelper) {
  // Flip a bit in the leader's measurement share: the leader cannot tell, the
  // helper's FLP decision fails.
  report.input_shares[0][0] ^= 1;
  const auto ex = run_ping_pong(leader, helper, report);
  EXPECT_TRUE(std::holds_alternative<HistPP::Continued>(ex.leader));
  ASSERT_TRUE(ex.helper.has_value());
  ASSERT_TRUE(HistPP::is_rejected(*ex.helper));
  EXPECT_NE(reason<vdaf::Prio3Histogram>(*ex.helper).find("helper_initialized"), std::string::npos);
  EXPECT_EQ(ex.requests, 1u);
}

TEST_F(PingPongPrio3Reject, TamperedPublicShareRejectedByHelper) {
  // A joint-randomness part of the public share differs between the parties.
  // A party replaces its own part (seed j at bytes 32j..32j+31) by the one it
  // computes, so changing it has no effect; with the peer's part changed, that
  // party derives other joint randomness and the combined verifier fails the
  // FLP decision at the helper. The leader stays Continued (in a deployment it
  // learns of the rejection from the transport).
  for (const std::size_t pos : {std::size_t{3}, std::size_t{40}}) {
    for (const bool leader_side : {true, false}) {
      Bytes ps = report.public_share;
      ps[pos] ^= 1;
      const auto l = leader.leader_initialized_encoded(
          report.nonce, leader_side ? ps : report.public_share, report.input_shares[0]);
      ASSERT_TRUE(std::holds_alternative<HistPP::Continued>(l));
      const auto h =
          helper.helper_initialized_encoded(report.nonce, leader_side ? report.public_share : ps,
                                            report.input_shares[1], *HistPP::outbound(l));
      const bool own_part = (pos < 32) == leader_side;
      if (own_part) {
        ASSERT_TRUE(std::holds_alternative<HistPP::FinishedWithOutbound>(h));
        EXPECT_TRUE(HistPP::is_finished(leader.leader_continued(l, *HistPP::outbound(h))));
      } else {
        ASSERT_TRUE(HistPP::is_rejected(h)) << pos << leader_side;
        EXPECT_NE(reason<vdaf::Prio3Histogram>(h).find("FLP decide"), std::string::npos)
            << reason<vdaf::Prio3Histogram>(h);
      }
    }
  }
}

TEST_F(PingPongPrio3Reject, ForgedFinishRejectedByLeader) {
  // A helper answering with another joint-randomness seed, or none at all.
  const auto l = leader_init();
  const auto h = helper_init(*HistPP::outbound(l));
  ASSERT_TRUE(std::holds_alternative<HistPP::FinishedWithOutbound>(h));
  const auto forged = leader.leader_continued(l, PingPongMessage::finish(Bytes(32, 7)).encode());
  ASSERT_TRUE(HistPP::is_rejected(forged));
  EXPECT_NE(reason<vdaf::Prio3Histogram>(forged).find("joint randomness"), std::string::npos)
      << reason<vdaf::Prio3Histogram>(forged);
  const auto empty = leader.leader_continued(l, PingPongMessage::finish({}).encode());
  ASSERT_TRUE(HistPP::is_rejected(empty));
  EXPECT_NE(reason<vdaf::Prio3Histogram>(empty).find("leader_continued"), std::string::npos);
  EXPECT_TRUE(HistPP::is_finished(leader.leader_continued(l, *HistPP::outbound(h))));
}

TEST_F(PingPongPrio3Reject, TamperedMessagesRejectedByReceiver) {
  // Every byte position of both messages: flipping it must never throw and
  // must make the receiver reject (all bytes are checked: lengths, field
  // elements, FLP decision, joint-randomness seed).
  const auto honest = run_ping_pong(leader, helper, report);
  ASSERT_EQ(honest.messages, 2u);
  const auto l = leader_init();
  ASSERT_TRUE(honest.helper.has_value());
  const std::array<std::size_t, 2> lens = {HistPP::outbound(l)->size(),
                                           HistPP::outbound(*honest.helper)->size()};
  for (std::size_t k = 0; k < 2; ++k) {
    const std::size_t len = lens[k];
    for (std::size_t pos = 0; pos < len; ++pos) {
      const auto ex = run_ping_pong(leader, helper, report, [&](std::size_t m, Bytes& b) {
        if (m == k) b[pos] ^= 0x80;
      });
      if (k == 0) {
        ASSERT_TRUE(ex.helper.has_value());
        EXPECT_TRUE(HistPP::is_rejected(*ex.helper)) << "pos " << pos;
      } else {
        EXPECT_TRUE(std::holds_alternative<HistPP::FinishedWithOutbound>(*ex.helper));
        EXPECT_TRUE(HistPP::is_rejected(ex.leader)) << "pos " << pos;
      }
    }
  }
}

TEST_F(PingPongPrio3Reject, TruncatedAndExtendedMessages) {
  const auto l = leader_init();
  const Bytes init = *HistPP::outbound(l);
  EXPECT_TRUE(HistPP::is_rejected(helper_init(ByteSpan(init).first(init.size() - 1))));
  Bytes longer = init;
  longer.push_back(0);
  EXPECT_TRUE(HistPP::is_rejected(helper_init(longer)));
  EXPECT_TRUE(HistPP::is_rejected(helper_init(Bytes{})));
  const auto h = helper_init(init);
  const Bytes fin = *HistPP::outbound(h);
  EXPECT_TRUE(HistPP::is_rejected(leader.leader_continued(l, ByteSpan(fin).first(fin.size() - 1))));
  EXPECT_TRUE(HistPP::is_finished(leader.leader_continued(l, fin)));
}

TEST_F(PingPongPrio3Reject, BadReportBytesAndNonce) {
  // Undecodable shares, wrong nonce length: Rejected, never thrown.
  EXPECT_TRUE(HistPP::is_rejected(leader.leader_initialized_encoded(
      report.nonce, report.public_share, ByteSpan(report.input_shares[0]).first(10))));
  EXPECT_TRUE(HistPP::is_rejected(
      leader.leader_initialized_encoded(report.nonce, Bytes(3), report.input_shares[0])));
  EXPECT_TRUE(HistPP::is_rejected(
      leader.leader_initialized_encoded(Bytes(15), report.public_share, report.input_shares[0])));
  // The helper's input share handed to the leader: wrong length for agg 0.
  EXPECT_TRUE(HistPP::is_rejected(leader.leader_initialized_encoded(
      report.nonce, report.public_share, report.input_shares[1])));
  const Bytes init = *HistPP::outbound(leader_init());
  EXPECT_TRUE(HistPP::is_rejected(
      helper.helper_initialized_encoded(report.nonce, report.public_share, Bytes(5), init)));
  EXPECT_TRUE(HistPP::is_rejected(helper.helper_initialized_encoded(Bytes(17), report.public_share,
                                                                    report.input_shares[1], init)));
  // A different nonce on the helper: its verifier share does not match.
  EXPECT_TRUE(HistPP::is_rejected(helper.helper_initialized_encoded(
      Bytes(16, 4), report.public_share, report.input_shares[1], init)));
  // Decoded-object entry points reject a share of the wrong kind.
  const auto sr = lv.shard(kCtx, 5, report.nonce, rand_for(lv));
  EXPECT_TRUE(HistPP::is_rejected(
      leader.leader_initialized(report.nonce, sr.public_share, sr.input_shares[1])));
  EXPECT_TRUE(HistPP::is_rejected(
      helper.helper_initialized(report.nonce, sr.public_share, sr.input_shares[0], init)));
  EXPECT_TRUE(std::holds_alternative<HistPP::Continued>(
      leader.leader_initialized(report.nonce, sr.public_share, sr.input_shares[0])));
}

TEST_F(PingPongPrio3Reject, WrongMessageTypeAtEveryStep) {
  const auto l = leader_init();
  const Bytes init = *HistPP::outbound(l);
  const auto h = helper_init(init);
  ASSERT_TRUE(std::holds_alternative<HistPP::FinishedWithOutbound>(h));
  const PingPongMessage fin = PingPongMessage::decode(*HistPP::outbound(h));
  const PingPongMessage ini = PingPongMessage::decode(init);

  // Helper init: only initialize is accepted.
  EXPECT_TRUE(HistPP::is_rejected(
      helper_init(PingPongMessage::continue_(fin.verifier_message, ini.verifier_share).encode())));
  EXPECT_TRUE(HistPP::is_rejected(helper_init(fin.encode())));
  // Leader continued (round 0 of 1): only finish is accepted.
  const auto ini_again = leader.leader_continued(l, init);
  ASSERT_TRUE(HistPP::is_rejected(ini_again));
  EXPECT_NE(reason<vdaf::Prio3Histogram>(ini_again).find("unexpected initialize"),
            std::string::npos);
  const auto bad_cont = leader.leader_continued(
      l, PingPongMessage::continue_(fin.verifier_message, ini.verifier_share).encode());
  ASSERT_TRUE(HistPP::is_rejected(bad_cont));
  EXPECT_NE(reason<vdaf::Prio3Histogram>(bad_cont).find("unexpected continue"), std::string::npos);
  EXPECT_TRUE(HistPP::is_finished(leader.leader_continued(l, fin.encode())));
  // Stepping a finished state is rejected; a rejected state stays rejected.
  const auto done = leader.leader_continued(l, fin.encode());
  EXPECT_TRUE(HistPP::is_rejected(leader.leader_continued(done, fin.encode())));
  EXPECT_TRUE(HistPP::is_rejected(helper.helper_continued(h, fin.encode())));
  const HistPP::State rej = HistPP::Rejected{"earlier failure"};
  const auto still = helper.helper_continued(rej, fin.encode());
  EXPECT_EQ(reason<vdaf::Prio3Histogram>(still), "earlier failure");
  EXPECT_EQ(HistPP::outbound(rej), nullptr);
  EXPECT_EQ(HistPP::out_share(rej), nullptr);
}

// ---------------------------------------------------------------------------
// Multi-round: the toy VDAF
// ---------------------------------------------------------------------------

template <std::size_t R>
void toy_rounds() {
  using V = ToySum<R>;
  using PP = PingPong<V>;
  const V lv, hv;
  const Bytes key = seq_bytes(V::VERIFY_KEY_SIZE, 1);
  PP leader(lv, key, kCtx, {}), helper(hv, key, kCtx, {});
  for (std::uint64_t m : {0u, 1u, 500u, 1000u}) check_report(lv, hv, m, key, 1);

  // Aggregation over several reports.
  typename V::AggShare a0 = lv.agg_init({}), a1 = hv.agg_init({});
  std::uint64_t sum = 0;
  for (std::uint64_t m : {3u, 14u, 159u}) {
    const Report r =
        make_report(lv, kCtx, m, Bytes(16), seq_bytes(8, static_cast<std::uint8_t>(m)));
    const auto ex = run_ping_pong(leader, helper, r);
    ASSERT_TRUE(PP::is_finished(ex.leader) && PP::is_finished(*ex.helper));
    lv.agg_update({}, a0, *PP::out_share(ex.leader));
    hv.agg_update({}, a1, *PP::out_share(*ex.helper));
    sum += m;
  }
  const std::array<typename V::AggShare, 2> aggs = {a0, a1};
  EXPECT_EQ(lv.unshard({}, aggs, 3), sum);

  // Every message shape along the way: initialize, continue..., finish.
  const Report r = make_report(lv, kCtx, std::uint64_t{42}, Bytes(16), seq_bytes(8, 9));
  std::vector<Type> types;
  const auto ex = run_ping_pong(leader, helper, r, [&](std::size_t, Bytes& b) {
    types.push_back(PingPongMessage::decode(b).type);
  });
  ASSERT_EQ(types.size(), R + 1);
  EXPECT_EQ(types.front(), Type::initialize);
  for (std::size_t k = 1; k < R; ++k) EXPECT_EQ(types[k], Type::continue_) << k;
  EXPECT_EQ(types.back(), Type::finish);
  EXPECT_TRUE(PP::is_finished(ex.leader));

  // A sum out of range is rejected by the helper in its first step.
  const Report bad = make_report(lv, kCtx, std::uint64_t{0}, Bytes(16), seq_bytes(8, 1));
  Report over = bad;
  over.input_shares[0] = lv.encode_input_share({V::kMax + 1 - get_le64(bad.input_shares[1])});
  const auto exo = run_ping_pong(leader, helper, over);
  EXPECT_TRUE(PP::is_rejected(*exo.helper)) << reason<V>(*exo.helper);
  EXPECT_NE(reason<V>(*exo.helper).find("out of range"), std::string::npos);
}

TEST(PingPongMultiRound, ToyOneRound) { toy_rounds<1>(); }
TEST(PingPongMultiRound, ToyTwoRounds) { toy_rounds<2>(); }
TEST(PingPongMultiRound, ToyThreeRounds) { toy_rounds<3>(); }
TEST(PingPongMultiRound, ToyFourRounds) { toy_rounds<4>(); }

/// Tampering with message k makes its receiver reject: the round byte of the
/// verifier share (initialize) or verifier message (continue, finish) gives a
/// decode error; the sum of a message for round >= 1 fails the echo check.
template <std::size_t R>
void toy_tamper() {
  using V = ToySum<R>;
  using PP = PingPong<V>;
  const V v;
  const Bytes key = seq_bytes(V::VERIFY_KEY_SIZE, 1);
  PP leader(v, key, kCtx, {}), helper(v, key, kCtx, {});
  const Report r = make_report(v, kCtx, std::uint64_t{77}, Bytes(16), seq_bytes(8, 5));
  for (std::size_t k = 0; k <= R; ++k) {
    for (int what = 0; what < 3; ++what) {
      if (what == 2 && k < 2) continue;  // echo check starts in round 1 (message 2)
      const auto ex = run_ping_pong(leader, helper, r, [&](std::size_t m, Bytes& b) {
        if (m != k) return;
        // Field offsets: type (1) + length (4) = 5 is the first field's body.
        if (what == 0) {
          b[5] ^= 1;  // round byte of the first field (share or message)
        } else if (what == 1) {
          b[4] ^= 1;  // low byte of the first field's length
        } else {
          b[6] ^= 1;  // low byte of the message's sum
        }
      });
      const bool helper_receives = k % 2 == 0;
      ASSERT_TRUE(ex.helper.has_value());
      const auto& receiver = helper_receives ? *ex.helper : ex.leader;
      const auto& sender = helper_receives ? ex.leader : *ex.helper;
      EXPECT_TRUE(PP::is_rejected(receiver)) << "R=" << R << " k=" << k << " what=" << what
                                             << " side " << (helper_receives ? "helper" : "leader");
      // The sender is not finished (it never gets a valid answer), unless it
      // sent the final finish message.
      if (k == R) {
        EXPECT_TRUE(PP::is_finished(sender));
      } else {
        EXPECT_TRUE(std::holds_alternative<typename PP::Continued>(sender));
      }
      if (what == 2) {
        EXPECT_NE(reason<V>(receiver).find("echo"), std::string::npos) << reason<V>(receiver);
      }
    }
  }
}

TEST(PingPongMultiRound, ToyTamperTwoRounds) { toy_tamper<2>(); }
TEST(PingPongMultiRound, ToyTamperThreeRounds) { toy_tamper<3>(); }

TEST(PingPongMultiRound, WrongMessageTypeAtEveryStep) {
  // Three rounds: L init -> H init (Continued r1) -> L cont (Continued r2) ->
  // H cont (FinishedWithOutbound) -> L cont (Finished). At each continued step
  // the other two message types (with valid contents) are rejected.
  using V = ToySum<3>;
  using PP = PingPong<V>;
  const V v;
  const Bytes key = seq_bytes(V::VERIFY_KEY_SIZE, 1);
  PP leader(v, key, kCtx, {}), helper(v, key, kCtx, {});
  const Report r = make_report(v, kCtx, std::uint64_t{9}, Bytes(16), seq_bytes(8, 5));

  auto retype = [](const Bytes& enc, Type t) {
    PingPongMessage m = PingPongMessage::decode(enc);
    switch (t) {
      case Type::initialize:
        return PingPongMessage::initialize(m.verifier_share.empty() ? m.verifier_message
                                                                    : m.verifier_share)
            .encode();
      case Type::continue_:
        return PingPongMessage::continue_(
                   m.verifier_message, m.verifier_message.empty() ? m.verifier_share : Bytes(10, 0))
            .encode();
      case Type::finish:
        return PingPongMessage::finish(m.verifier_message.empty() ? m.verifier_share
                                                                  : m.verifier_message)
            .encode();
    }
    return Bytes{};
  };
  auto helper_init = [&](ByteSpan in) {
    return helper.helper_initialized_encoded(r.nonce, r.public_share, r.input_shares[1], in);
  };

  const auto l0 = leader.leader_initialized_encoded(r.nonce, r.public_share, r.input_shares[0]);
  const Bytes m0 = *PP::outbound(l0);
  EXPECT_TRUE(PP::is_rejected(helper_init(retype(m0, Type::continue_))));
  EXPECT_TRUE(PP::is_rejected(helper_init(retype(m0, Type::finish))));

  const auto h1 = helper_init(m0);
  ASSERT_TRUE(std::holds_alternative<PP::Continued>(h1));
  EXPECT_EQ(std::get<PP::Continued>(h1).verify_round, 1u);
  const Bytes m1 = *PP::outbound(h1);
  EXPECT_TRUE(PP::is_rejected(leader.leader_continued(l0, retype(m1, Type::initialize))));
  EXPECT_TRUE(PP::is_rejected(leader.leader_continued(l0, retype(m1, Type::finish))));
  // A party's own message echoed back is rejected (verifier message of another round).
  EXPECT_TRUE(PP::is_rejected(helper.helper_continued(h1, m1)));

  const auto l2 = leader.leader_continued(l0, m1);
  ASSERT_TRUE(std::holds_alternative<PP::Continued>(l2)) << reason<V>(l2);
  EXPECT_EQ(std::get<PP::Continued>(l2).verify_round, 2u);
  const Bytes m2 = *PP::outbound(l2);
  EXPECT_TRUE(PP::is_rejected(helper.helper_continued(h1, retype(m2, Type::initialize))));
  EXPECT_TRUE(PP::is_rejected(helper.helper_continued(h1, retype(m2, Type::finish))));
  // Replaying an old message (wrong round) is rejected as well.
  EXPECT_TRUE(PP::is_rejected(helper.helper_continued(h1, m1)));

  const auto h3 = helper.helper_continued(h1, m2);
  ASSERT_TRUE(std::holds_alternative<PP::FinishedWithOutbound>(h3)) << reason<V>(h3);
  const Bytes m3 = *PP::outbound(h3);
  EXPECT_EQ(PingPongMessage::decode(m3).type, Type::finish);
  EXPECT_TRUE(PP::is_rejected(leader.leader_continued(l2, retype(m3, Type::initialize))));
  EXPECT_TRUE(PP::is_rejected(leader.leader_continued(l2, retype(m3, Type::continue_))));
  EXPECT_TRUE(PP::is_rejected(leader.leader_continued(l2, m1)));

  const auto l4 = leader.leader_continued(l2, m3);
  ASSERT_TRUE(std::holds_alternative<PP::Finished>(l4)) << reason<V>(l4);
  EXPECT_EQ(*PP::out_share(l4) + *PP::out_share(h3), 9u);
  // No further steps from finished states.
  EXPECT_TRUE(PP::is_rejected(leader.leader_continued(l4, m3)));
  EXPECT_TRUE(PP::is_rejected(helper.helper_continued(h3, m3)));
  // Steps do not modify their input state: replaying from l2 gives the same.
  EXPECT_TRUE(std::holds_alternative<PP::Finished>(leader.leader_continued(l2, m3)));
}

// ---------------------------------------------------------------------------
// Property: ping-pong == direct API (Prio3Count, Prio3Histogram)
// ---------------------------------------------------------------------------

template <class V>
void prop_same_as_direct(const V& v, const typename V::Measurement& m) {
  const Bytes key = *rc::gen::container<Bytes>(32, rc::gen::arbitrary<std::uint8_t>());
  const Bytes ctx = *rc::gen::container<Bytes>(rc::gen::arbitrary<std::uint8_t>());
  const Bytes nonce = *rc::gen::container<Bytes>(16, rc::gen::arbitrary<std::uint8_t>());
  const Bytes rand = *rc::gen::container<Bytes>(v.rand_size(), rc::gen::arbitrary<std::uint8_t>());
  const typename V::AggParam ap{};
  PingPong<V> leader(v, key, ctx, ap), helper(v, key, ctx, ap);
  const Report r = make_report(v, ctx, m, nonce, rand);
  const auto direct = direct_out_shares(v, key, ctx, ap, r);
  const auto ex = run_ping_pong(leader, helper, r);
  RC_ASSERT(ex.helper.has_value());
  RC_ASSERT(PingPong<V>::is_finished(ex.leader));
  RC_ASSERT(PingPong<V>::is_finished(*ex.helper));
  RC_ASSERT(ex.requests == 1u);
  RC_ASSERT(v.encode_out_share(*PingPong<V>::out_share(ex.leader)) == direct[0]);
  RC_ASSERT(v.encode_out_share(*PingPong<V>::out_share(*ex.helper)) == direct[1]);
}

RC_GTEST_PROP(PingPongProperty, Prio3CountSameAsDirect, ()) {
  const vdaf::Prio3Count v(2);
  prop_same_as_direct(v, *rc::gen::inRange<std::uint64_t>(0, 2));
}

RC_GTEST_PROP(PingPongProperty, Prio3HistogramSameAsDirect, ()) {
  const std::size_t length = *rc::gen::inRange<std::size_t>(1, 40);
  const std::size_t chunk = *rc::gen::inRange<std::size_t>(1, length + 1);
  const vdaf::Prio3Histogram v(2, length, chunk);
  prop_same_as_direct(v, *rc::gen::inRange<std::uint64_t>(0, length));
}

}  // namespace
