// The rest of Prio3's verification round in batch form (verifier_shares_to_message_batch and
// verify_next_batch) against the one-report API: random reports of every instance (with and
// without joint randomness, 2 and 3 aggregators), batch sizes 0, 1, 3, 17 and 64 (the joint-rand
// seeds are computed 16 reports at a time, so 17 and 64 cross that boundary), tampered reports in
// the middle of a batch (each fails alone, with the exception type and message of the one-report
// API), batch-wide shape errors, and the aggregate of the whole batch equal to the sum of the
// measurements.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <type_traits>
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
  kLeaderMeasShare,      // leader's measurement share changed: the FLP rejects
  kVerifierShareLength,  // helper's verifier share truncated: invalid_argument
  kJointRandPart,        // helper's joint-rand part dropped (or added): invalid_argument
  kPublicPart,           // public share's part 0 changed: helper's corrected seed differs
  kMessageSeed,          // verifier message's seed changed (or added) before verify_next
};

/// A batch of n reports of `v`: shard, verify_init_batch per aggregator, then both batch APIs
/// compared with the one-report API report by report; then the aggregate of the reports accepted
/// by every aggregator must equal `zero` plus (add_meas) each of their measurements.
template <class V>
void run_batch(
    const V& v, std::size_t n, Tamper tamper, std::uint64_t seed,
    const std::function<typename V::Measurement(std::mt19937_64&)>& gen_meas,
    const typename V::AggResult& zero,
    const std::function<void(typename V::AggResult&, const typename V::Measurement&)>& add_meas) {
  SCOPED_TRACE("n = " + std::to_string(n) + ", shares = " + std::to_string(v.shares()) +
               ", tamper = " + std::to_string(static_cast<int>(tamper)));
  std::mt19937_64 rng(seed);
  const Bytes ctx = random_bytes(rng, rng() % 12);
  const Bytes verify_key = random_bytes(rng, 32);
  const std::size_t S = v.shares();
  const std::size_t bad = n / 2;  // the tampered report
  const bool tampered = tamper != Tamper::kNone && n > 0;
  std::vector<Bytes> nonces(n);
  std::vector<typename V::Measurement> meas(n);
  std::vector<typename V::PublicShare> pubs(n);
  std::vector<std::vector<typename V::InputShare>> in_by_agg(S);
  for (std::size_t i = 0; i < n; ++i) {
    nonces[i] = random_bytes(rng, 16);
    meas[i] = gen_meas(rng);
    auto res = v.shard(ctx, meas[i], nonces[i], random_bytes(rng, v.rand_size()));
    pubs[i] = std::move(res.public_share);
    for (std::size_t j = 0; j < S; ++j) in_by_agg[j].push_back(std::move(res.input_shares[j]));
  }
  if (tampered && tamper == Tamper::kLeaderMeasShare) {
    in_by_agg[0][bad].meas_share[0] += V::Field::one();
  }
  if (tampered && tamper == Tamper::kPublicPart) {
    if (v.uses_joint_rand()) {
      pubs[bad].joint_rand_parts[0][5] ^= 0x10;
    } else {
      in_by_agg[0][bad].meas_share[0] += V::Field::one();  // no part to change: reject instead
    }
  }

  const typename V::AggParam ap{};
  const std::vector<ByteSpan> ns(nonces.begin(), nonces.end());
  std::vector<std::vector<typename V::VerifyState>> states(S);
  std::vector<std::vector<typename V::VerifierShare>> vshares(S);
  for (std::size_t j = 0; j < S; ++j) {
    auto init = v.verify_init_batch(verify_key, ctx, j, ap, ns, pubs, in_by_agg[j]);
    ASSERT_EQ(init.size(), n);
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_TRUE(init[i].result.has_value()) << describe(init[i].error).second;
      states[j].push_back(std::move(init[i].result->first));
      vshares[j].push_back(std::move(init[i].result->second));
    }
  }
  if (tampered && tamper == Tamper::kVerifierShareLength) {
    vshares[S - 1][bad].verifiers_share.pop_back();
  }
  if (tampered && tamper == Tamper::kJointRandPart) {
    auto& part = vshares[S - 1][bad].joint_rand_part;
    if (part) {
      part.reset();
    } else {
      part.emplace();
    }
  }

  // verifier_shares_to_message_batch == verifier_shares_to_message report by report.
  std::vector<std::span<const typename V::VerifierShare>> by_agg(vshares.begin(), vshares.end());
  const auto msgs = v.verifier_shares_to_message_batch(ctx, ap, by_agg);
  ASSERT_EQ(msgs.size(), n);
  std::vector<typename V::VerifierMessage> messages(n);
  std::vector<bool> have_msg(n);
  for (std::size_t i = 0; i < n; ++i) {
    SCOPED_TRACE("report " + std::to_string(i));
    ASSERT_NE(msgs[i].result.has_value(), static_cast<bool>(msgs[i].error));
    std::vector<typename V::VerifierShare> one(S);
    for (std::size_t j = 0; j < S; ++j) one[j] = vshares[j][i];
    std::optional<typename V::VerifierMessage> want;
    const auto err = thrown([&] { want = v.verifier_shares_to_message(ctx, ap, one); });
    if (err) {
      ASSERT_TRUE(msgs[i].error) << "one-by-one threw " << err->second;
      EXPECT_EQ(describe(msgs[i].error), *err);
      // Only the tampered report fails, and with the expected kind of error.
      EXPECT_TRUE(tampered && i == bad);
      if (tamper == Tamper::kLeaderMeasShare) {
        EXPECT_EQ(err->first, typeid(vdaf::verify_error).name());
      }
      if (tamper == Tamper::kVerifierShareLength || tamper == Tamper::kJointRandPart) {
        EXPECT_EQ(err->first, typeid(vdaf::invalid_argument).name());
      }
      continue;
    }
    ASSERT_TRUE(msgs[i].result.has_value()) << describe(msgs[i].error).second;
    EXPECT_EQ(msgs[i].result->joint_rand_seed, want->joint_rand_seed);
    EXPECT_EQ(msgs[i].result->joint_rand_seed.has_value(), v.uses_joint_rand());
    EXPECT_EQ(v.encode_verifier_message(*msgs[i].result), v.encode_verifier_message(*want));
    messages[i] = *msgs[i].result;
    have_msg[i] = true;
  }
  if (tampered && (tamper == Tamper::kLeaderMeasShare || tamper == Tamper::kVerifierShareLength ||
                   tamper == Tamper::kJointRandPart)) {
    EXPECT_FALSE(have_msg[bad]);
  }
  if (tampered && tamper == Tamper::kMessageSeed) {
    auto& s = messages[bad].joint_rand_seed;
    if (s) {
      (*s)[31] ^= 1;
    } else {
      s.emplace();
    }
  }

  // verify_next_batch == verify_next report by report.
  std::vector<bool> accepted(have_msg);  // output share in every aggregator
  std::vector<std::vector<typename V::OutShareOutcome>> outs(S);
  for (std::size_t j = 0; j < S; ++j) {
    // Reports without a message get a default one (verify_next_batch must treat them alone).
    outs[j] = v.verify_next_batch(ctx, states[j], messages);
    ASSERT_EQ(outs[j].size(), n);
    for (std::size_t i = 0; i < n; ++i) {
      SCOPED_TRACE("aggregator " + std::to_string(j) + ", report " + std::to_string(i));
      const auto& got = outs[j][i];
      ASSERT_NE(got.result.has_value(), static_cast<bool>(got.error));
      std::optional<typename V::OutShare> want;
      const auto err = thrown([&] {
        want = std::get<typename V::OutShare>(v.verify_next(ctx, states[j][i], messages[i]));
      });
      if (err) {
        ASSERT_TRUE(got.error) << "one-by-one threw " << err->second;
        EXPECT_EQ(describe(got.error), *err);
        EXPECT_EQ(err->first, typeid(vdaf::verify_error).name());
        EXPECT_TRUE(tampered && i == bad);
        accepted[i] = false;
        continue;
      }
      ASSERT_TRUE(got.result.has_value()) << describe(got.error).second;
      EXPECT_EQ(v.encode_out_share(*got.result), v.encode_out_share(*want));
      EXPECT_EQ(got.result->size(), v.output_len());
    }
    // The overload that consumes the states gives the same outcomes.
    auto spent =
        v.verify_next_batch(ctx, std::vector<typename V::VerifyState>(states[j]), messages);
    ASSERT_EQ(spent.size(), n);
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_EQ(spent[i].result.has_value(), outs[j][i].result.has_value()) << "report " << i;
      if (spent[i].result) {
        EXPECT_EQ(v.encode_out_share(*spent[i].result), v.encode_out_share(*outs[j][i].result));
      } else {
        EXPECT_EQ(describe(spent[i].error), describe(outs[j][i].error));
      }
    }
  }
  // The tampered report never gets an output share in every aggregator (for kPublicPart the FLP
  // or the joint-randomness check catches it); every other report does.
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(static_cast<bool>(accepted[i]), !(tampered && i == bad)) << "report " << i;
    count += accepted[i] ? 1 : 0;
  }
  EXPECT_EQ(count, tampered ? n - 1 : n);
  if (count == 0) return;
  // The aggregate of the accepted reports equals the sum of their measurements.
  std::vector<typename V::AggShare> agg(S, v.agg_init(ap));
  typename V::AggResult expected = zero;
  for (std::size_t i = 0; i < n; ++i) {
    if (!accepted[i]) continue;
    for (std::size_t j = 0; j < S; ++j) v.agg_update(ap, agg[j], *outs[j][i].result);
    add_meas(expected, meas[i]);
  }
  EXPECT_EQ(v.unshard(ap, agg, count), expected);
}

constexpr std::size_t kSizes[] = {0, 1, 3, 17, 64};
constexpr Tamper kTampers[] = {
    Tamper::kNone,          Tamper::kLeaderMeasShare, Tamper::kVerifierShareLength,
    Tamper::kJointRandPart, Tamper::kPublicPart,      Tamper::kMessageSeed};

template <class V>
void run_all(
    const std::function<V(std::size_t)>& make,
    const std::function<typename V::Measurement(std::mt19937_64&)>& gen_meas,
    const typename V::AggResult& zero,
    const std::function<void(typename V::AggResult&, const typename V::Measurement&)>& add_meas,
    std::uint64_t seed) {
  for (const std::size_t s : {std::size_t{2}, std::size_t{3}}) {
    const V v = make(s);
    for (const std::size_t n : kSizes) {
      for (const Tamper t : kTampers) {
        if (t != Tamper::kNone && n < 3) continue;  // tamper only in the middle of a batch
        run_batch<V>(v, n, t, seed++, gen_meas, zero, add_meas);
      }
    }
  }
}

TEST(Prio3VerifyBatch, Count) {
  ASSERT_FALSE(vdaf::Prio3Count(2).uses_joint_rand());
  run_all<vdaf::Prio3Count>([](std::size_t s) { return vdaf::Prio3Count(s); },
                            [](std::mt19937_64& r) { return r() % 2; }, 0,
                            [](std::uint64_t& acc, const std::uint64_t& m) { acc += m; }, 100);
}

TEST(Prio3VerifyBatch, Sum) {
  run_all<vdaf::Prio3Sum>([](std::size_t s) { return vdaf::Prio3Sum(s, 1000); },
                          [](std::mt19937_64& r) { return r() % 1001; }, 0,
                          [](std::uint64_t& acc, const std::uint64_t& m) { acc += m; }, 200);
}

TEST(Prio3VerifyBatch, SumVecWithJointRand) {
  constexpr std::size_t kLen = 20;
  ASSERT_TRUE(vdaf::Prio3SumVec(2, kLen, 3, 7).uses_joint_rand());
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
      300);
}

TEST(Prio3VerifyBatch, HistogramWithJointRand) {
  constexpr std::size_t kLen = 30;
  ASSERT_TRUE(vdaf::Prio3Histogram(2, kLen, 5).uses_joint_rand());
  run_all<vdaf::Prio3Histogram>(
      [](std::size_t s) { return vdaf::Prio3Histogram(s, kLen, 5); },
      [](std::mt19937_64& r) { return r() % kLen; }, vdaf::Prio3Histogram::AggResult(kLen),
      [](vdaf::Prio3Histogram::AggResult& acc, const std::uint64_t& m) { acc[m] += 1; }, 400);
}

TEST(Prio3VerifyBatch, MultihotCountVecWithJointRand) {
  constexpr std::size_t kLen = 12, kMaxWeight = 3;
  ASSERT_TRUE(vdaf::Prio3MultihotCountVec(2, kLen, kMaxWeight, 4).uses_joint_rand());
  run_all<vdaf::Prio3MultihotCountVec>(
      [](std::size_t s) { return vdaf::Prio3MultihotCountVec(s, kLen, kMaxWeight, 4); },
      [](std::mt19937_64& r) {
        std::vector<bool> m(kLen);
        for (std::size_t k = 0; k < kMaxWeight; ++k) m[r() % kLen] = true;  // weight <= 3
        return m;
      },
      vdaf::Prio3MultihotCountVec::AggResult(kLen),
      [](vdaf::Prio3MultihotCountVec::AggResult& acc, const std::vector<bool>& m) {
        for (std::size_t i = 0; i < kLen; ++i) acc[i] += m[i] ? 1 : 0;
      },
      500);
}

TEST(Prio3VerifyBatch, L1BoundSumWithJointRand) {
  constexpr std::size_t kLen = 15;
  ASSERT_TRUE(vdaf::Prio3L1BoundSum(2, kLen, 30, 6).uses_joint_rand());
  run_all<vdaf::Prio3L1BoundSum>(
      [](std::size_t s) { return vdaf::Prio3L1BoundSum(s, kLen, 30, 6); },
      [](std::mt19937_64& r) {
        std::vector<std::uint64_t> m(kLen);
        for (std::size_t i = 0; i < 3; ++i) m[r() % kLen] += r() % 11;  // sum <= 30
        return m;
      },
      vdaf::Prio3L1BoundSum::AggResult(kLen),
      [](vdaf::Prio3L1BoundSum::AggResult& acc, const std::vector<std::uint64_t>& m) {
        for (std::size_t i = 0; i < kLen; ++i) acc[i] += m[i];
      },
      500);
}

TEST(Prio3VerifyBatch, SumVecField64MultiproofHmacSha256Aes128) {
  using V = vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128;
  constexpr std::size_t kLen = 12;
  constexpr std::uint64_t kMax = (std::uint64_t{1} << 50) + 5;  // 64 reports stay below p
  run_all<V>([](std::size_t s) { return V(s, kLen, kMax, 5, 3); },
             [](std::mt19937_64& r) {
               std::vector<std::uint64_t> m(kLen);
               for (auto& x : m) x = r() % 3 == 0 ? kMax - r() % 4 : r() % 100;
               return m;
             },
             V::AggResult(kLen),
             [](V::AggResult& acc, const std::vector<std::uint64_t>& m) {
               for (std::size_t i = 0; i < kLen; ++i) acc[i] += m[i];
             },
             600);
}

/// XofTurboShake128 under another name: Prio3 over it takes the batch APIs' generic path (one
/// report at a time) instead of the multi-lane one, with the same bytes.
struct LoopXof : vdaf::XofTurboShake128 {
  using vdaf::XofTurboShake128::XofTurboShake128;
};

TEST(Prio3VerifyBatch, GenericXofPathMatchesOneByOne) {
  using V = vdaf::Prio3<vdaf::SumVec<vdaf::Field128>, LoopXof>;
  constexpr std::size_t kLen = 10;
  run_all<V>(
      [](std::size_t s) {
        return V(vdaf::SumVec<vdaf::Field128>(kLen, 1, 3), s, 1, vdaf::Prio3SumVec::ID);
      },
      [](std::mt19937_64& r) {
        std::vector<std::uint64_t> m(kLen);
        for (auto& x : m) x = r() % 2;
        return m;
      },
      V::AggResult(kLen),
      [](V::AggResult& acc, const std::vector<std::uint64_t>& m) {
        for (std::size_t i = 0; i < kLen; ++i) acc[i] += m[i];
      },
      600);
  // Same verifier messages as the multi-lane path of Prio3SumVec.
  const V generic(vdaf::SumVec<vdaf::Field128>(kLen, 1, 3), 2, 1, vdaf::Prio3SumVec::ID);
  const vdaf::Prio3SumVec lanes(2, kLen, 1, 3);
  const Bytes key(32, 7), nonce(16, 9), rand(lanes.rand_size(), 5);
  const std::vector<std::uint64_t> m = {1, 0, 1, 1, 0, 0, 1, 0, 1, 1};
  auto vs_of = [&](const auto& v) {
    const auto res = v.shard({}, m, nonce, rand);
    std::vector<typename std::decay_t<decltype(v)>::VerifierShare> vs;
    for (std::size_t j = 0; j < 2; ++j) {
      vs.push_back(
          v.verify_init(key, {}, j, {}, nonce, res.public_share, res.input_shares[j]).second);
    }
    return vs;
  };
  const auto vg = vs_of(generic);
  const auto vl = vs_of(lanes);
  const std::vector<std::span<const V::VerifierShare>> g = {{vg.data(), 1}, {vg.data() + 1, 1}};
  const std::vector<std::span<const vdaf::Prio3SumVec::VerifierShare>> l = {{vl.data(), 1},
                                                                            {vl.data() + 1, 1}};
  const auto mg = generic.verifier_shares_to_message_batch({}, {}, g);
  const auto ml = lanes.verifier_shares_to_message_batch({}, {}, l);
  ASSERT_TRUE(mg[0].result && ml[0].result);
  ASSERT_TRUE(mg[0].result->joint_rand_seed.has_value());
  EXPECT_EQ(mg[0].result->joint_rand_seed, ml[0].result->joint_rand_seed);
}

// Batch-wide shape errors throw invalid_argument before anything is computed; empty batches
// give empty results.
TEST(Prio3VerifyBatch, BatchLevelErrorsThrow) {
  const vdaf::Prio3Histogram v(2, 10, 3);
  using V = vdaf::Prio3Histogram;
  const Bytes key(32), nonce(16);
  const auto res = v.shard({}, 4, nonce, Bytes(v.rand_size()));
  std::vector<V::VerifyState> st0, st1;
  std::vector<V::VerifierShare> vs0, vs1;
  for (int i = 0; i < 2; ++i) {
    auto [a, b] = v.verify_init(key, {}, 0, {}, nonce, res.public_share, res.input_shares[0]);
    auto [c, d] = v.verify_init(key, {}, 1, {}, nonce, res.public_share, res.input_shares[1]);
    st0.push_back(std::move(a));
    vs0.push_back(std::move(b));
    st1.push_back(std::move(c));
    vs1.push_back(std::move(d));
  }
  using Spans = std::vector<std::span<const V::VerifierShare>>;
  const std::span<const V::VerifierShare> one0(vs0.data(), 1);
  EXPECT_THROW(v.verifier_shares_to_message_batch({}, {}, Spans{vs0}), vdaf::invalid_argument);
  EXPECT_THROW(v.verifier_shares_to_message_batch({}, {}, Spans{vs0, vs1, vs1}),
               vdaf::invalid_argument);
  EXPECT_THROW(v.verifier_shares_to_message_batch({}, {}, Spans{one0, vs1}),
               vdaf::invalid_argument);
  EXPECT_THROW(v.verifier_shares_to_message_batch({}, {}, Spans{}), vdaf::invalid_argument);
  EXPECT_THROW(v.verifier_shares_to_message_batch(Bytes(65528), {}, Spans{vs0, vs1}),
               vdaf::invalid_argument);
  EXPECT_TRUE(v.verifier_shares_to_message_batch({}, {}, Spans{{}, {}}).empty());
  const auto msgs = v.verifier_shares_to_message_batch({}, {}, Spans{vs0, vs1});
  ASSERT_EQ(msgs.size(), 2U);
  ASSERT_TRUE(msgs[0].result && msgs[1].result);
  const std::vector<V::VerifierMessage> m = {*msgs[0].result, *msgs[1].result};
  const std::span<const V::VerifierMessage> m1(m.data(), 1);
  EXPECT_THROW(v.verify_next_batch({}, st0, m1), vdaf::invalid_argument);
  EXPECT_THROW(v.verify_next_batch({}, std::vector<V::VerifyState>(st0), m1),
               vdaf::invalid_argument);
  EXPECT_TRUE(v.verify_next_batch({}, std::span<const V::VerifyState>(), {}).empty());
  EXPECT_TRUE(v.verify_next_batch({}, std::vector<V::VerifyState>(), {}).empty());
  const auto outs = v.verify_next_batch({}, st1, m);
  ASSERT_EQ(outs.size(), 2U);
  ASSERT_TRUE(outs[0].result && outs[1].result);
  const auto outs0 = v.verify_next_batch({}, st0, m);
  ASSERT_TRUE(outs0[0].result && outs0[1].result);
  auto agg = v.agg_init({}), agg1 = v.agg_init({});
  v.agg_update({}, agg, *outs0[0].result);
  v.agg_update({}, agg1, *outs[0].result);
  const std::vector<V::AggShare> aggs = {agg, agg1};
  EXPECT_EQ(v.unshard({}, aggs, 1), (V::AggResult{0, 0, 0, 0, 1, 0, 0, 0, 0, 0}));
}

}  // namespace
