// Prio3::verify_init_batch against verify_init one report at a time: random reports of several
// instances (with and without joint randomness, 2 and 3 aggregators, every aggregator), a batch
// size crossing the REPORT_GROUP boundary, and malformed reports mixed in (wrong nonce length,
// input share of the wrong kind, missing blind, public share with the wrong number of parts,
// tampered shares that verify_init accepts but the FLP rejects later). Every outcome must equal
// the single-report API: same encoded verifier share and output share, or the same exception
// type and message.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <random>
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

template <class V>
void check_batch(const V& v, std::mt19937_64& rng,
                 const std::function<typename V::Measurement(std::mt19937_64&)>& gen_meas) {
  const Bytes ctx = random_bytes(rng, rng() % 20);
  const Bytes verify_key = random_bytes(rng, 32);
  const std::size_t n = 19;  // crosses REPORT_GROUP (8) twice, leaves a partial group
  std::vector<Bytes> nonces(n);
  std::vector<typename V::PublicShare> pubs(n);
  std::vector<std::vector<typename V::InputShare>> shares(n);
  for (std::size_t i = 0; i < n; ++i) {
    nonces[i] = random_bytes(rng, 16);
    auto res = v.shard(ctx, gen_meas(rng), nonces[i], random_bytes(rng, v.rand_size()));
    pubs[i] = std::move(res.public_share);
    shares[i] = std::move(res.input_shares);
  }
  // Malformed or tampered reports.
  nonces[2].resize(15);                                         // wrong nonce length
  std::swap(shares[5][0], shares[5][1]);                        // leader <-> helper share kinds
  if (!shares[7][1].is_leader()) (*shares[7][1].seed)[0] ^= 1;  // helper seed tampered
  if (!shares[9][0].meas_share.empty()) shares[9][0].meas_share[0] += V::Field::one();
  if (v.uses_joint_rand()) {
    shares[11][1].blind.reset();              // blind missing
    pubs[13].joint_rand_parts.pop_back();     // wrong number of parts
    pubs[16].joint_rand_parts[0][3] ^= 0x80;  // tampered part
  } else {
    pubs[13].joint_rand_parts.resize(v.shares());  // parts where none are expected
  }

  const typename V::AggParam ap{};
  for (std::size_t agg = 0; agg < v.shares(); ++agg) {
    std::vector<ByteSpan> ns(nonces.begin(), nonces.end());
    std::vector<typename V::InputShare> in;
    for (std::size_t i = 0; i < n; ++i) in.push_back(shares[i][agg]);
    const auto got = v.verify_init_batch(verify_key, ctx, agg, ap, ns, pubs, in);
    ASSERT_EQ(got.size(), n);
    std::size_t errors = 0;
    for (std::size_t i = 0; i < n; ++i) {
      SCOPED_TRACE("aggregator " + std::to_string(agg) + ", report " + std::to_string(i));
      ASSERT_NE(got[i].result.has_value(), static_cast<bool>(got[i].error));
      try {
        const auto want = v.verify_init(verify_key, ctx, agg, ap, nonces[i], pubs[i], in[i]);
        ASSERT_TRUE(got[i].result.has_value()) << describe(got[i].error).second;
        EXPECT_EQ(v.encode_verifier_share(got[i].result->second),
                  v.encode_verifier_share(want.second));
        EXPECT_EQ(v.encode_out_share(got[i].result->first.out_share),
                  v.encode_out_share(want.first.out_share));
        EXPECT_EQ(got[i].result->first.corrected_joint_rand_seed,
                  want.first.corrected_joint_rand_seed);
        EXPECT_EQ(got[i].result->first.agg_id, agg);
      } catch (const std::exception& e) {
        ++errors;
        ASSERT_TRUE(got[i].error) << "single verify_init threw " << e.what();
        EXPECT_EQ(describe(got[i].error),
                  std::make_pair(std::string(typeid(e).name()), std::string(e.what())));
      }
    }
    // At least the malformed nonce (report 2) and public share (13) fail for every aggregator,
    // and the swapped share kinds (5) for aggregators 0 and 1.
    EXPECT_GE(errors, agg < 2 ? 3U : 2U);
  }
}

TEST(Prio3VerifyInitBatch, CountMatchesOneByOne) {
  std::mt19937_64 rng(11);
  for (const std::size_t s : {std::size_t{2}, std::size_t{3}}) {
    check_batch<vdaf::Prio3Count>(vdaf::Prio3Count(s), rng,
                                  [](std::mt19937_64& r) { return r() % 2; });
  }
}

TEST(Prio3VerifyInitBatch, SumMatchesOneByOne) {
  std::mt19937_64 rng(12);
  check_batch<vdaf::Prio3Sum>(vdaf::Prio3Sum(2, 1000), rng,
                              [](std::mt19937_64& r) { return r() % 1001; });
}

TEST(Prio3VerifyInitBatch, SumVecWithJointRandMatchesOneByOne) {
  std::mt19937_64 rng(13);
  for (const std::size_t s : {std::size_t{2}, std::size_t{3}}) {
    check_batch<vdaf::Prio3SumVec>(vdaf::Prio3SumVec(s, 30, 3, 7), rng, [](std::mt19937_64& r) {
      std::vector<std::uint64_t> m(30);
      for (auto& x : m) x = r() % 4;
      return m;
    });
  }
}

TEST(Prio3VerifyInitBatch, HistogramMatchesOneByOne) {
  std::mt19937_64 rng(14);
  check_batch<vdaf::Prio3Histogram>(vdaf::Prio3Histogram(2, 100, 10), rng,
                                    [](std::mt19937_64& r) { return r() % 100; });
}

TEST(Prio3VerifyInitBatch, L1BoundSumMatchesOneByOne) {
  std::mt19937_64 rng(15);
  for (const std::size_t s : {std::size_t{2}, std::size_t{3}}) {
    check_batch<vdaf::Prio3L1BoundSum>(vdaf::Prio3L1BoundSum(s, 12, 40, 5), rng,
                                       [](std::mt19937_64& r) {
                                         std::vector<std::uint64_t> m(12);
                                         for (std::size_t i = 0; i < 4; ++i)
                                           m[r() % 12] += r() % 11;
                                         return m;
                                       });
  }
}

TEST(Prio3VerifyInitBatch, SumVecField64MultiproofHmacSha256Aes128MatchesOneByOne) {
  // The HMAC XOF takes the generic (one stream at a time) path of the batch APIs.
  std::mt19937_64 rng(16);
  for (const std::size_t s : {std::size_t{2}, std::size_t{3}}) {
    check_batch<vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128>(
        vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128(s, 20, 5, 6, 3), rng,
        [](std::mt19937_64& r) {
          std::vector<std::uint64_t> m(20);
          for (auto& x : m) x = r() % 6;
          return m;
        });
  }
}

TEST(Prio3VerifyInitBatch, BatchLevelErrorsThrow) {
  const vdaf::Prio3Count v(2);
  const Bytes key(32), short_key(31), nonce(16);
  const auto res = v.shard({}, 1, nonce, Bytes(v.rand_size()));
  const std::vector<ByteSpan> ns = {ByteSpan(nonce)};
  const std::vector<vdaf::Prio3Count::PublicShare> ps = {res.public_share};
  const std::vector<vdaf::Prio3Count::InputShare> in = {res.input_shares[0]};
  EXPECT_THROW(v.verify_init_batch(short_key, {}, 0, {}, ns, ps, in), vdaf::invalid_argument);
  EXPECT_THROW(v.verify_init_batch(key, {}, 2, {}, ns, ps, in), vdaf::invalid_argument);
  EXPECT_THROW(v.verify_init_batch(key, {}, 0, {}, {}, ps, in), vdaf::invalid_argument);
  EXPECT_TRUE(v.verify_init_batch(key, {}, 0, {}, {}, {}, {}).empty());
  const auto one = v.verify_init_batch(key, {}, 0, {}, ns, ps, in);
  ASSERT_EQ(one.size(), 1U);
  EXPECT_TRUE(one[0].result.has_value());
}

}  // namespace
