// Poplar1 stored states: verification states of both rounds and both aggregators at inner
// levels and at the leaf, and the IDPF evaluation cache between levels of a heavy-hitters walk.
// - round trips: same bytes, and the restored state / cache continues exactly like the original
//   (same verifier shares, messages and output shares; the restored cache gives the same IDPF
//   values as no cache);
// - hostile bytes: decode_error or a state that re-encodes to those very bytes;
// - another BITS, kind or format: decode_error naming the mismatch;
// - a cache bound to one report used with another report or aggregator: invalid_argument, the
//   cache unchanged; clear() frees it for another report;
// - verify_next on a default-constructed or inconsistent state: invalid_argument.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "support/reports.hpp"
#include "vdaf/poplar1.hpp"

namespace {

using vdaf::BitString;
using vdaf::Bytes;
using vdaf::ByteSpan;
using vdaf::Poplar1;

const Bytes kCtx = {'h', 'h'};

Bytes to_bytes(const vdaf::SecretBytes& s) { return Bytes(s.begin(), s.end()); }

/// The measurement's prefix at `level`, its sibling and one more prefix off the path, sorted.
Poplar1::AggParam agg_param_for(const BitString& m, std::size_t level, std::mt19937_64& rng) {
  std::vector<BitString> ps;
  BitString a = m.prefix(level + 1), b = a;
  b.set(level, !b.test(level));
  ps.push_back(a);
  ps.push_back(b);
  BitString c(level + 1);
  for (std::size_t i = 0; i <= level; ++i) c.set(i, (rng() & 1) != 0);
  if (c != a && c != b) ps.push_back(c);
  std::sort(ps.begin(), ps.end());
  return {static_cast<std::uint16_t>(level), ps};
}

TEST(Poplar1StoredState, BothRoundsBothAggregatorsEveryKindOfLevel) {
  std::mt19937_64 rng(11);
  for (std::size_t bits : {1u, 2u, 9u, 64u}) {
    const Poplar1 v(bits), again(bits), other(bits + 1);
    const Bytes key = vdaf_test::random_bytes(rng, 32);
    const auto reports = vdaf_test::make_reports(v, kCtx, 2, rng);
    for (std::size_t level : {std::size_t{0}, bits / 2, bits - 1}) {
      SCOPED_TRACE("BITS " + std::to_string(bits) + " level " + std::to_string(level));
      for (const auto& r : reports) {
        const auto ap = agg_param_for(r.measurement, level, rng);
        std::array<Poplar1::VerifyState, 2> st;
        std::array<Poplar1::VerifierShare, 2> vs;
        for (std::size_t j = 0; j < 2; ++j) {
          std::tie(st[j], vs[j]) =
              v.verify_init(key, kCtx, j, ap, r.nonce, r.public_share, r.input_shares[j]);
        }
        const auto m1 = v.verifier_shares_to_message(kCtx, ap, vs);
        std::array<Poplar1::VerifyState, 2> st2;
        std::array<Poplar1::VerifierShare, 2> vs2;
        for (std::size_t j = 0; j < 2; ++j) {
          // Round 1 state: stored, restored by another instance, continued.
          const Bytes e1 = to_bytes(v.encode_verify_state(st[j]));
          const std::size_t fe = v.is_leaf(level) ? 32 : 8;
          EXPECT_EQ(e1.size(), 14 + 8 + fe * (2 + ap.prefixes.size()));
          const auto d1 = again.decode_verify_state(e1);
          EXPECT_EQ(to_bytes(again.encode_verify_state(d1)), e1);
          auto n_orig = std::get<0>(v.verify_next(kCtx, st[j], m1));
          auto n_rest = std::get<0>(again.verify_next(kCtx, d1, m1));
          EXPECT_EQ(v.encode_verifier_share(n_rest.second), v.encode_verifier_share(n_orig.second));
          st2[j] = std::move(n_rest.first);
          vs2[j] = std::move(n_rest.second);
          EXPECT_THROW((void)other.decode_verify_state(e1), vdaf::decode_error);
        }
        const auto m2 = v.verifier_shares_to_message(kCtx, ap, vs2);
        std::array<Poplar1::AggShare, 2> agg = {v.agg_init(ap), v.agg_init(ap)};
        for (std::size_t j = 0; j < 2; ++j) {
          // Round 2 state likewise.
          const Bytes e2 = to_bytes(v.encode_verify_state(st2[j]));
          const auto d2 = again.decode_verify_state(e2);
          EXPECT_EQ(to_bytes(again.encode_verify_state(d2)), e2);
          v.agg_update(ap, agg[j], std::get<1>(again.verify_next(kCtx, d2, m2)));
        }
        const auto counts = v.unshard(ap, agg, 1);
        for (std::size_t k = 0; k < ap.prefixes.size(); ++k) {
          EXPECT_EQ(counts[k], r.measurement.starts_with(ap.prefixes[k]) ? 1u : 0u);
        }
      }
    }
  }
}

TEST(Poplar1StoredState, HostileBytes) {
  std::mt19937_64 rng(12);
  const Poplar1 v(10);
  const Bytes key = vdaf_test::random_bytes(rng, 32);
  const auto r = vdaf_test::make_reports(v, kCtx, 1, rng)[0];
  for (std::size_t level : {3u, 9u}) {
    const auto ap = agg_param_for(r.measurement, level, rng);
    auto [st, vs] = v.verify_init(key, kCtx, 1, ap, r.nonce, r.public_share, r.input_shares[1]);
    auto [s0, v0] = v.verify_init(key, kCtx, 0, ap, r.nonce, r.public_share, r.input_shares[0]);
    const std::array<Poplar1::VerifierShare, 2> both = {v0, vs};
    const auto st2 =
        std::get<0>(v.verify_next(kCtx, st, v.verifier_shares_to_message(kCtx, ap, both))).first;
    for (const Poplar1::VerifyState* s : {static_cast<const Poplar1::VerifyState*>(&st), &st2}) {
      const Bytes enc = to_bytes(v.encode_verify_state(*s));
      const std::size_t decoded = vdaf_test::check_mutations(
          enc, [&](ByteSpan b) { return v.decode_verify_state(b); },
          [&](const Poplar1::VerifyState& x) { return to_bytes(v.encode_verify_state(x)); });
      EXPECT_GT(decoded, 0u);
      Bytes b = enc;
      b[14] = 2;  // step
      EXPECT_THROW((void)v.decode_verify_state(b), vdaf::decode_error);
      b = enc;
      b[15] = 0;  // level 0x00xx -> still valid? make it >= BITS instead
      b[16] = 10;
      EXPECT_THROW((void)v.decode_verify_state(b), vdaf::decode_error);
      b = enc;
      b[17] = 2;  // agg_id
      EXPECT_THROW((void)v.decode_verify_state(b), vdaf::decode_error);
      b = enc;
      b[21] ^= 1;  // num_prefixes no longer matches the length
      EXPECT_THROW((void)v.decode_verify_state(b), vdaf::decode_error);
    }
  }
}

TEST(Poplar1StoredState, InvalidStatesAreInvalidArgument) {
  const Poplar1 v(8);
  const Poplar1::VerifyState empty{};
  EXPECT_THROW((void)v.verify_next(kCtx, empty, std::nullopt), vdaf::invalid_argument);
  EXPECT_THROW((void)v.encode_verify_state(empty), vdaf::invalid_argument);
  Poplar1::VerifyState leaf_with_inner_field;
  leaf_with_inner_field.level = 7;
  leaf_with_inner_field.num_prefixes = 0;
  leaf_with_inner_field.mem = vdaf::secret_vector<vdaf::Field64>(3);
  EXPECT_THROW((void)v.verify_next(kCtx, leaf_with_inner_field, std::nullopt),
               vdaf::invalid_argument);
  Poplar1::VerifyState beyond;
  beyond.level = 8;
  EXPECT_THROW((void)v.verify_next(kCtx, beyond, std::nullopt), vdaf::invalid_argument);
  Poplar1::VerifyState bad_agg;
  bad_agg.agg_id = 2;
  bad_agg.mem = vdaf::secret_vector<vdaf::Field64>(3);
  EXPECT_THROW((void)v.verify_next(kCtx, bad_agg, std::nullopt), vdaf::invalid_argument);
}

/// A heavy-hitters walk over all levels for one report, the cache stored and restored (by
/// another instance) between levels: the values equal the uncached ones at every level.
TEST(Poplar1StoredState, EvalCacheStoredBetweenLevels) {
  std::mt19937_64 rng(13);
  for (std::size_t bits : {1u, 5u, 70u}) {
    const Poplar1 v(bits), again(bits);
    const Bytes key = vdaf_test::random_bytes(rng, 32);
    const auto r = vdaf_test::make_reports(v, kCtx, 1, rng)[0];
    std::array<Bytes, 2> stored = {to_bytes(v.encode_eval_cache({})),
                                   to_bytes(v.encode_eval_cache({}))};
    EXPECT_EQ(stored[0].size(), 15u);  // header + "unbound"
    for (std::size_t level = 0; level < bits; ++level) {
      const auto ap = agg_param_for(r.measurement, level, rng);
      for (std::size_t j = 0; j < 2; ++j) {
        Poplar1::EvalCache cache = again.decode_eval_cache(stored[j]);
        const auto cached =
            v.verify_init(key, kCtx, j, ap, r.nonce, r.public_share, r.input_shares[j], &cache);
        const auto plain =
            v.verify_init(key, kCtx, j, ap, r.nonce, r.public_share, r.input_shares[j]);
        ASSERT_EQ(v.encode_verifier_share(cached.second), v.encode_verifier_share(plain.second))
            << "BITS " << bits << " level " << level;
        EXPECT_EQ(cache.size(), ap.prefixes.size());
        stored[j] = to_bytes(v.encode_eval_cache(cache));
        EXPECT_EQ(to_bytes(again.encode_eval_cache(again.decode_eval_cache(stored[j]))), stored[j]);
      }
    }
    // Hostile bytes on the last stored cache.
    vdaf_test::check_mutations(
        stored[0], [&](ByteSpan b) { return v.decode_eval_cache(b); },
        [&](const Poplar1::EvalCache& c) { return to_bytes(v.encode_eval_cache(c)); });
    EXPECT_THROW((void)Poplar1(bits + 1).decode_eval_cache(stored[0]), vdaf::decode_error);
  }
}

TEST(Poplar1StoredState, CacheBelongsToOneReportAndAggregator) {
  std::mt19937_64 rng(14);
  const Poplar1 v(16);
  const Bytes key = vdaf_test::random_bytes(rng, 32);
  const auto reps = vdaf_test::make_reports(v, kCtx, 2, rng);
  const auto ap = agg_param_for(reps[0].measurement, 4, rng);
  Poplar1::EvalCache cache;
  EXPECT_FALSE(cache.is_bound());
  (void)v.verify_init(key, kCtx, 0, ap, reps[0].nonce, reps[0].public_share,
                      reps[0].input_shares[0], &cache);
  EXPECT_TRUE(cache.is_bound());
  const Bytes before = to_bytes(v.encode_eval_cache(cache));
  auto expect_refused = [&](auto&& call) {
    try {
      call();
      ADD_FAILURE() << "a cache of another report was accepted";
    } catch (const vdaf::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("another report"), std::string::npos) << e.what();
    }
    EXPECT_EQ(to_bytes(v.encode_eval_cache(cache)), before);  // unchanged
  };
  const auto ap5 = agg_param_for(reps[0].measurement, 5, rng);
  // Another report (nonce and key), another aggregator, another ctx.
  expect_refused([&] {
    (void)v.verify_init(key, kCtx, 0, ap5, reps[1].nonce, reps[1].public_share,
                        reps[1].input_shares[0], &cache);
  });
  expect_refused([&] {
    (void)v.verify_init(key, kCtx, 1, ap5, reps[0].nonce, reps[0].public_share,
                        reps[0].input_shares[1], &cache);
  });
  expect_refused([&] {
    (void)v.verify_init(key, Bytes{'x'}, 0, ap5, reps[0].nonce, reps[0].public_share,
                        reps[0].input_shares[0], &cache);
  });
  // Same report, next level: accepted. clear() frees it for another report.
  EXPECT_NO_THROW((void)v.verify_init(key, kCtx, 0, ap5, reps[0].nonce, reps[0].public_share,
                                      reps[0].input_shares[0], &cache));
  cache.clear();
  EXPECT_FALSE(cache.is_bound());
  EXPECT_NO_THROW((void)v.verify_init(key, kCtx, 1, ap5, reps[1].nonce, reps[1].public_share,
                                      reps[1].input_shares[1], &cache));
}

}  // namespace
