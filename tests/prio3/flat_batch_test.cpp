// The flat batch API of Prio3 (VerifyBatch, VerifierShareBatch, VerifierMessageBatch: the flat
// verify_init_batch, verifier_shares_to_message_batch, verify_next_batch and agg_update_batch)
// against the one-report API: random reports of every instance (with and without joint
// randomness, the multi-lane and the generic XOF paths, 2 and 3 aggregators), batch sizes 0, 1,
// 3, 17 and 64, one damaged report in the middle of the batch (malformed input share, rejected
// proof, changed public part, changed or dropped message seed, a helper share that never
// arrived), each failing alone with the one-report API's exception type and message; shares
// carried over the wire (encode/decode, put_verifier_share); buffers reused across jobs; and
// batch-wide shape errors that change nothing.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <functional>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "support/outcomes.hpp"
#include "support/reports.hpp"
#include "vdaf/prio3.hpp"

namespace {

using vdaf::Bytes;
using vdaf::ByteSpan;
using vdaf_test::describe;
using vdaf_test::random_bytes;
using vdaf_test::thrown;

/// How a test batch is damaged (every kind hits the report in the middle of the batch).
enum class Tamper {
  kNone,
  kMalformedInput,   // helper's input share of the wrong kind: its verify_init fails
  kLeaderMeasShare,  // leader's measurement share changed: the FLP rejects
  kPublicPart,       // public share's part 0 changed: the corrected seeds differ (or FLP rejects)
  kMessageSeed,      // verifier message's seed changed before verify_next (joint rand only)
  kMissingShare,     // the last aggregator's share did not arrive (not present)
};

template <class V>
using Gen = std::function<typename V::Measurement(std::mt19937_64&)>;
template <class V>
using Add = std::function<void(typename V::AggResult&, const typename V::Measurement&)>;

/// One job of n reports through the flat API (batches reused from the caller: `flat` holds
/// one VerifyBatch per aggregator), compared with the one-report API report by report.
template <class V>
void run_flat(const V& v, std::size_t n, Tamper tamper, std::uint64_t seed, const Gen<V>& gen,
              const typename V::AggResult& zero, const Add<V>& add,
              std::vector<typename V::VerifyBatch>& flat) {
  SCOPED_TRACE("n = " + std::to_string(n) + ", shares = " + std::to_string(v.shares()) +
               ", tamper = " + std::to_string(static_cast<int>(tamper)));
  std::mt19937_64 rng(seed);
  const Bytes ctx = random_bytes(rng, rng() % 12);
  const Bytes verify_key = random_bytes(rng, 32);
  const std::size_t S = v.shares(), bad = n / 2;
  const bool tampered = tamper != Tamper::kNone && n > 0;
  std::vector<Bytes> nonces(n);
  std::vector<typename V::Measurement> meas(n);
  std::vector<typename V::PublicShare> pubs(n);
  std::vector<std::vector<typename V::InputShare>> in(S);
  for (std::size_t i = 0; i < n; ++i) {
    nonces[i] = random_bytes(rng, 16);
    meas[i] = gen(rng);
    auto res = v.shard(ctx, meas[i], nonces[i], random_bytes(rng, v.rand_size()));
    pubs[i] = std::move(res.public_share);
    for (std::size_t j = 0; j < S; ++j) in[j].push_back(std::move(res.input_shares[j]));
  }
  if (tampered && tamper == Tamper::kMalformedInput) in[S - 1][bad] = in[0][bad];
  if (tampered && tamper == Tamper::kLeaderMeasShare) {
    in[0][bad].meas_share[0] += V::Field::one();
  }
  if (tampered && tamper == Tamper::kPublicPart) {
    if (v.uses_joint_rand()) {
      pubs[bad].joint_rand_parts[0][5] ^= 0x10;
    } else {
      in[0][bad].meas_share[0] += V::Field::one();
    }
  }
  const typename V::AggParam ap{};
  const std::vector<ByteSpan> ns(nonces.begin(), nonces.end());

  // verify_init: flat batch == verify_init report by report.
  std::vector<
      std::vector<std::optional<std::pair<typename V::VerifyState, typename V::VerifierShare>>>>
      one(S,
          std::vector<std::optional<std::pair<typename V::VerifyState, typename V::VerifierShare>>>(
              n));
  for (std::size_t j = 0; j < S; ++j) {
    auto& b = flat[j];
    v.verify_init_batch(verify_key, ctx, j, ap, ns, pubs, in[j], b);
    ASSERT_EQ(b.size(), n);
    EXPECT_EQ(b.agg_id, j);
    EXPECT_EQ(b.out_shares.size(), n * v.output_len());
    EXPECT_EQ(b.shares.verifiers.size(), n * v.verifier_len() * v.num_proofs());
    for (std::size_t i = 0; i < n; ++i) {
      SCOPED_TRACE("aggregator " + std::to_string(j) + ", report " + std::to_string(i));
      const auto err = thrown(
          [&] { one[j][i] = v.verify_init(verify_key, ctx, j, ap, ns[i], pubs[i], in[j][i]); });
      if (err) {
        ASSERT_FALSE(b.ok(i));
        EXPECT_EQ(describe(b.errors[i]), *err);
        EXPECT_EQ(b.shares.present[i], 0);
        EXPECT_TRUE(tampered && i == bad && tamper == Tamper::kMalformedInput);
        continue;
      }
      ASSERT_TRUE(b.ok(i)) << describe(b.errors[i]).second;
      EXPECT_EQ(b.shares.present[i], 1);
      const auto& [st, vs] = *one[j][i];
      EXPECT_EQ(std::vector<typename V::Field>(b.out_share(i).begin(), b.out_share(i).end()),
                std::vector<typename V::Field>(st.out_share.begin(), st.out_share.end()));
      EXPECT_EQ(v.encode_verifier_share(v.verifier_share(b.shares, i)),
                v.encode_verifier_share(vs));
      if (v.uses_joint_rand()) {
        EXPECT_EQ(b.corrected_joint_rand_seeds[i], *st.corrected_joint_rand_seed);
      }
    }
  }

  // The leader's view: its own shares, and the helpers' shares as they arrive over the wire
  // (encoded, decoded, put into a fresh batch); a share that never arrives stays absent.
  std::vector<typename V::VerifierShareBatch> received;
  for (std::size_t j = 1; j < S; ++j) {
    auto rb = v.verifier_share_batch(n);
    ASSERT_EQ(rb.size(), n);
    for (std::size_t i = 0; i < n; ++i) {
      if (!flat[j].ok(i)) continue;
      if (tampered && tamper == Tamper::kMissingShare && i == bad && j == S - 1) continue;
      const Bytes wire = v.encode_verifier_share(v.verifier_share(flat[j].shares, i));
      v.put_verifier_share(rb, i, v.decode_verifier_share(typename V::VerifyState{}, wire));
    }
    received.push_back(std::move(rb));
  }
  std::vector<const typename V::VerifierShareBatch*> by_agg{&flat[0].shares};
  for (const auto& rb : received) by_agg.push_back(&rb);
  typename V::VerifierMessageBatch msgs;
  v.verifier_shares_to_message_batch(ctx, ap, by_agg, msgs);
  ASSERT_EQ(msgs.size(), n);
  std::vector<std::optional<typename V::VerifierMessage>> messages(n);
  for (std::size_t i = 0; i < n; ++i) {
    SCOPED_TRACE("message of report " + std::to_string(i));
    const bool missing = tampered && tamper == Tamper::kMissingShare && i == bad;
    bool all_in = !missing;
    for (std::size_t j = 0; j < S; ++j) all_in = all_in && one[j][i].has_value();
    if (!all_in) {
      ASSERT_TRUE(msgs.errors[i]);
      EXPECT_EQ(describe(msgs.errors[i]).first, typeid(vdaf::invalid_argument).name());
      EXPECT_NE(describe(msgs.errors[i]).second.find("has no verifier share from aggregator"),
                std::string::npos);
      continue;
    }
    std::vector<typename V::VerifierShare> shares_i;
    for (std::size_t j = 0; j < S; ++j) shares_i.push_back(one[j][i]->second);
    const auto err = thrown([&] { messages[i] = v.verifier_shares_to_message(ctx, ap, shares_i); });
    if (err) {
      ASSERT_TRUE(msgs.errors[i]);
      EXPECT_EQ(describe(msgs.errors[i]), *err);
      EXPECT_EQ(err->first, typeid(vdaf::verify_error).name());
      EXPECT_TRUE(tampered && i == bad);
      continue;
    }
    ASSERT_FALSE(msgs.errors[i]) << describe(msgs.errors[i]).second;
    if (v.uses_joint_rand()) {
      EXPECT_EQ(msgs.joint_rand_seeds[i], *messages[i]->joint_rand_seed);
    } else {
      EXPECT_TRUE(msgs.joint_rand_seeds.empty());
    }
  }
  if (tampered && tamper == Tamper::kMessageSeed && v.uses_joint_rand() && messages[bad]) {
    msgs.joint_rand_seeds[bad][31] ^= 1;
    (*messages[bad]->joint_rand_seed)[31] ^= 1;
  }

  // verify_next: flat batch == verify_next report by report; then the aggregate.
  std::vector<bool> accepted(n, true);
  std::vector<typename V::AggShare> agg(S, v.agg_init(ap));
  for (std::size_t j = 0; j < S; ++j) {
    const std::size_t got = v.verify_next_batch(ctx, flat[j], msgs);
    std::size_t want = 0;
    for (std::size_t i = 0; i < n; ++i) {
      SCOPED_TRACE("verify_next, aggregator " + std::to_string(j) + ", report " +
                   std::to_string(i));
      if (!one[j][i] || !messages[i]) {
        EXPECT_FALSE(flat[j].ok(i));
        accepted[i] = false;
        continue;
      }
      const auto err = thrown([&] { (void)v.verify_next(ctx, one[j][i]->first, *messages[i]); });
      if (err) {
        ASSERT_FALSE(flat[j].ok(i));
        EXPECT_EQ(describe(flat[j].errors[i]), *err);
        EXPECT_TRUE(tampered && i == bad);
        accepted[i] = false;
        continue;
      }
      EXPECT_TRUE(flat[j].ok(i)) << describe(flat[j].errors[i]).second;
      ++want;
    }
    EXPECT_EQ(got, want);
    EXPECT_EQ(v.agg_update_batch(ap, agg[j], flat[j]), want);
  }
  std::size_t count = 0;
  typename V::AggResult expected = zero;
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(static_cast<bool>(accepted[i]), !(tampered && i == bad)) << "report " << i;
    if (!accepted[i]) continue;
    ++count;
    add(expected, meas[i]);
  }
  EXPECT_EQ(count, tampered ? n - 1 : n);
  if (count > 0) {
    EXPECT_EQ(v.unshard(ap, agg, count), expected);
  }
}

constexpr std::size_t kSizes[] = {17, 0, 64, 1, 3};  // reused batches shrink and grow
constexpr Tamper kTampers[] = {
    Tamper::kNone,       Tamper::kMalformedInput, Tamper::kLeaderMeasShare,
    Tamper::kPublicPart, Tamper::kMessageSeed,    Tamper::kMissingShare};

template <class V>
void run_all(const std::function<V(std::size_t)>& make, const Gen<V>& gen,
             const typename V::AggResult& zero, const Add<V>& add, std::uint64_t seed) {
  for (const std::size_t s : {std::size_t{2}, std::size_t{3}}) {
    const V v = make(s);
    std::vector<typename V::VerifyBatch> flat(s);  // reused across every job below
    for (const std::size_t n : kSizes) {
      for (const Tamper t : kTampers) {
        if (t != Tamper::kNone && n < 3) continue;
        if (t == Tamper::kMessageSeed && !v.uses_joint_rand()) continue;
        run_flat<V>(v, n, t, seed++, gen, zero, add, flat);
      }
    }
  }
}

std::uint64_t count_meas(std::mt19937_64& r) { return r() % 2; }
void add_u64(std::uint64_t& acc, const std::uint64_t& m) { acc += m; }

TEST(Prio3FlatBatch, Count) {
  run_all<vdaf::Prio3Count>([](std::size_t s) { return vdaf::Prio3Count(s); }, count_meas, 0,
                            add_u64, 100);
}

TEST(Prio3FlatBatch, SumTwoProofs) {
  using V = vdaf::Prio3<vdaf::Sum<vdaf::Field64>>;
  run_all<V>(
      [](std::size_t s) { return V(vdaf::Sum<vdaf::Field64>(1000), s, 2, vdaf::Prio3Sum::ID); },
      [](std::mt19937_64& r) { return r() % 1001; }, 0, add_u64, 200);
}

TEST(Prio3FlatBatch, HistogramWithJointRand) {
  constexpr std::size_t kLen = 30;
  run_all<vdaf::Prio3Histogram>(
      [](std::size_t s) { return vdaf::Prio3Histogram(s, kLen, 5); },
      [](std::mt19937_64& r) { return r() % kLen; }, vdaf::Prio3Histogram::AggResult(kLen),
      [](vdaf::Prio3Histogram::AggResult& acc, const std::uint64_t& m) { acc[m] += 1; }, 300);
}

TEST(Prio3FlatBatch, SumVecWithJointRand) {
  constexpr std::size_t kLen = 20;
  run_all<vdaf::Prio3SumVec>(
      [](std::size_t s) { return vdaf::Prio3SumVec(s, kLen, 3, 7); },
      [](std::mt19937_64& r) {
        std::vector<std::uint64_t> m(kLen);
        for (auto& x : m) x = r() % 4;
        return m;
      },
      vdaf::Prio3SumVec::AggResult(kLen),
      [](vdaf::Prio3SumVec::AggResult& acc, const std::vector<std::uint64_t>& m) {
        for (std::size_t i = 0; i < kLen; ++i) acc[i] += m[i];
      },
      400);
}

TEST(Prio3FlatBatch, L1BoundSumWithJointRand) {
  constexpr std::size_t kLen = 15;
  run_all<vdaf::Prio3L1BoundSum>(
      [](std::size_t s) { return vdaf::Prio3L1BoundSum(s, kLen, 30, 6); },
      [](std::mt19937_64& r) {
        std::vector<std::uint64_t> m(kLen);
        for (std::size_t i = 0; i < 3; ++i) m[r() % kLen] += r() % 11;
        return m;
      },
      vdaf::Prio3L1BoundSum::AggResult(kLen),
      [](vdaf::Prio3L1BoundSum::AggResult& acc, const std::vector<std::uint64_t>& m) {
        for (std::size_t i = 0; i < kLen; ++i) acc[i] += m[i];
      },
      500);
}

// The 0xFFFF1003 instance takes the generic (report-by-report) path of the flat batch.
TEST(Prio3FlatBatch, SumVecField64MultiproofHmacSha256Aes128) {
  using V = vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128;
  constexpr std::size_t kLen = 12;
  run_all<V>([](std::size_t s) { return V(s, kLen, 1000, 5, 3); },
             [](std::mt19937_64& r) {
               std::vector<std::uint64_t> m(kLen);
               for (auto& x : m) x = r() % 1001;
               return m;
             },
             V::AggResult(kLen),
             [](V::AggResult& acc, const std::vector<std::uint64_t>& m) {
               for (std::size_t i = 0; i < kLen; ++i) acc[i] += m[i];
             },
             600);
}

/// Whole-batch errors: invalid_argument, and nothing the call would write changes.
TEST(Prio3FlatBatch, BatchLevelErrorsChangeNothing) {
  const vdaf::Prio3SumVec v(2, 4, 1, 2);
  std::mt19937_64 rng(7);
  const Bytes key(32, 1), nonce(16, 2);
  const auto res =
      v.shard({}, std::vector<std::uint64_t>{1, 0, 1, 1}, nonce, random_bytes(rng, v.rand_size()));
  const std::vector<ByteSpan> ns{ByteSpan(nonce)};
  const std::vector<vdaf::Prio3SumVec::PublicShare> pubs{res.public_share};
  std::array<vdaf::Prio3SumVec::VerifyBatch, 2> b;
  for (std::size_t j = 0; j < 2; ++j) {
    const std::vector<vdaf::Prio3SumVec::InputShare> in{res.input_shares[j]};
    v.verify_init_batch(key, {}, j, {}, ns, pubs, in, b[j]);
    ASSERT_TRUE(b[j].ok(0));
  }
  const auto before = b[0].out_shares;
  const std::vector<vdaf::Prio3SumVec::InputShare> in0{res.input_shares[0]};
  const std::vector<ByteSpan> two{ByteSpan(nonce), ByteSpan(nonce)};
  EXPECT_THROW(v.verify_init_batch(key, {}, 0, {}, two, pubs, in0, b[0]), vdaf::invalid_argument);
  EXPECT_THROW(v.verify_init_batch(Bytes(31, 1), {}, 0, {}, ns, pubs, in0, b[0]),
               vdaf::invalid_argument);
  EXPECT_THROW(v.verify_init_batch(key, {}, 2, {}, ns, pubs, in0, b[0]), vdaf::invalid_argument);
  EXPECT_THROW(v.verify_init_batch(key, Bytes(v.MAX_CTX_SIZE + 1), 0, {}, ns, pubs, in0, b[0]),
               vdaf::invalid_argument);
  EXPECT_EQ(b[0].size(), 1u);
  EXPECT_EQ(b[0].out_shares, before);

  vdaf::Prio3SumVec::VerifierMessageBatch msgs;
  const std::vector<const vdaf::Prio3SumVec::VerifierShareBatch*> one_agg{&b[0].shares};
  EXPECT_THROW(v.verifier_shares_to_message_batch({}, {}, one_agg, msgs), vdaf::invalid_argument);
  const std::vector<const vdaf::Prio3SumVec::VerifierShareBatch*> with_null{&b[0].shares, nullptr};
  EXPECT_THROW(v.verifier_shares_to_message_batch({}, {}, with_null, msgs), vdaf::invalid_argument);
  auto other = v.verifier_share_batch(2);
  const std::vector<const vdaf::Prio3SumVec::VerifierShareBatch*> sizes{&b[0].shares, &other};
  EXPECT_THROW(v.verifier_shares_to_message_batch({}, {}, sizes, msgs), vdaf::invalid_argument);
  auto misshaped = b[1].shares;
  misshaped.verifiers.pop_back();
  const std::vector<const vdaf::Prio3SumVec::VerifierShareBatch*> shape{&b[0].shares, &misshaped};
  EXPECT_THROW(v.verifier_shares_to_message_batch({}, {}, shape, msgs), vdaf::invalid_argument);
  EXPECT_EQ(msgs.size(), 0u);

  const std::vector<const vdaf::Prio3SumVec::VerifierShareBatch*> good{&b[0].shares, &b[1].shares};
  v.verifier_shares_to_message_batch({}, {}, good, msgs);
  ASSERT_EQ(msgs.size(), 1u);
  ASSERT_FALSE(msgs.errors[0]);
  auto short_msgs = msgs;
  short_msgs.errors.clear();
  short_msgs.joint_rand_seeds.clear();
  EXPECT_THROW(v.verify_next_batch({}, b[0], short_msgs), vdaf::invalid_argument);
  auto no_seeds = msgs;
  no_seeds.joint_rand_seeds.clear();
  EXPECT_THROW(v.verify_next_batch({}, b[0], no_seeds), vdaf::invalid_argument);
  EXPECT_TRUE(b[0].ok(0));

  auto agg = v.agg_init({});
  auto wrong_len = vdaf::Prio3SumVec::AggShare(3);
  EXPECT_THROW(v.agg_update_batch({}, wrong_len, b[0]), vdaf::invalid_argument);
  auto not_a_batch = b[0];
  not_a_batch.out_len = 0;
  EXPECT_THROW(v.agg_update_batch({}, agg, not_a_batch), vdaf::invalid_argument);
  EXPECT_EQ(agg, v.agg_init({}));
  EXPECT_EQ(v.verify_next_batch({}, b[0], msgs), 1u);
  EXPECT_EQ(v.verify_next_batch({}, b[1], msgs), 1u);
  EXPECT_EQ(v.agg_update_batch({}, agg, b[0]), 1u);

  // put_verifier_share / verifier_share check before they touch the batch.
  auto rb = v.verifier_share_batch(1);
  EXPECT_THROW((void)v.verifier_share(rb, 0), vdaf::invalid_argument);  // not present
  EXPECT_THROW((void)v.verifier_share(rb, 1), vdaf::invalid_argument);  // out of range
  auto vs = v.verifier_share(b[1].shares, 0);
  EXPECT_THROW(v.put_verifier_share(rb, 1, vs), vdaf::invalid_argument);
  auto no_part = vs;
  no_part.joint_rand_part.reset();
  EXPECT_THROW(v.put_verifier_share(rb, 0, no_part), vdaf::invalid_argument);
  auto short_share = vs;
  short_share.verifiers_share.pop_back();
  EXPECT_THROW(v.put_verifier_share(rb, 0, short_share), vdaf::invalid_argument);
  EXPECT_EQ(rb.present[0], 0);
  v.put_verifier_share(rb, 0, vs);
  EXPECT_EQ(rb.present[0], 1);
  EXPECT_EQ(v.encode_verifier_share(v.verifier_share(rb, 0)), v.encode_verifier_share(vs));
  EXPECT_THROW((void)v.verifier_share_batch(SIZE_MAX / 2), vdaf::invalid_argument);
}

}  // namespace
