// The instances beyond draft-irtf-cfrg-vdaf-20 (their vector files are replayed in
// tests/vectors/prio3_vectors_test.cpp, byte identity with libprio-rs is tests/interop/):
//
// - XofHmacSha256Aes128: the AES-128-CTR keystream against NIST SP 800-38A F.5.1, the 64-bit
//   counter wrapping as RustCrypto's Ctr64BE does, the HMAC keying against libsodium directly,
//   reads in pieces equal to one read, the seed and dst limits;
// - Prio3SumVecField64MultiproofHmacSha256Aes128 (0xFFFF1003): full rounds with 2-5 aggregators
//   and 1-8 proofs, max_measurement up to p - 1 (the draft instances keep the reference code's
//   rule), unshard's wrap check at that bound, the ctx limit of 247 bytes, tampered reports;
// - Prio3L1BoundSum: full rounds, measurements whose sum exceeds max_value refused, and an
//   encoding whose entries are in range but whose claimed weight is wrong rejected by the FLP.
#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>
#include <sodium.h>

#include "vdaf/core/hex.hpp"
#include "vdaf/prio3.hpp"
#include "vdaf/xof/xof_hmac_sha256_aes128.hpp"

namespace {

using vdaf::Bytes;
using vdaf::ByteSpan;
using vdaf::Field128;
using vdaf::Field64;
using Xof = vdaf::XofHmacSha256Aes128;
using Hmac1003 = vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128;

Bytes hex(const char* h) { return vdaf::from_hex(h); }

Bytes stream(Xof x, std::size_t n) {
  Bytes out(n);
  x.next(out);
  return out;
}

TEST(XofHmacSha256Aes128, AesCtrKeystreamMatchesSp800_38A) {
  // NIST SP 800-38A F.5.1 CTR-AES128.Encrypt: keystream = plaintext XOR ciphertext.
  const Bytes key = hex("2b7e151628aed2a6abf7158809cf4f3c");
  const Bytes ctr = hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
  const Bytes pt =
      hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
          "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
  const Bytes ct =
      hex("874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
          "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee");
  Bytes want(64);
  for (std::size_t i = 0; i < 64; ++i) want[i] = pt[i] ^ ct[i];
  EXPECT_EQ(stream(Xof::from_aes_ctr(key, ctr), 64), want);
}

TEST(XofHmacSha256Aes128, CounterIsTheLast64BitsAndWraps) {
  const Bytes key = hex("000102030405060708090a0b0c0d0e0f");
  const Bytes at_max = hex("a0a1a2a3a4a5a6a7ffffffffffffffff");
  const Bytes at_zero = hex("a0a1a2a3a4a5a6a70000000000000000");
  const Bytes s = stream(Xof::from_aes_ctr(key, at_max), 48);
  const Bytes z = stream(Xof::from_aes_ctr(key, at_zero), 32);
  // Block 1 after ...ffff is ...0000 with the first half unchanged (no carry into it).
  EXPECT_EQ(Bytes(s.begin() + 16, s.end()), z);
  EXPECT_NE(Bytes(s.begin(), s.begin() + 16), Bytes(z.begin(), z.begin() + 16));
}

TEST(XofHmacSha256Aes128, KeyAndCounterBlockAreTheHmacTag) {
  ASSERT_GE(sodium_init(), 0);
  const Bytes seed = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  const Bytes dst(200, 0x5a), binder = {1, 2, 3, 4, 5};
  Bytes msg;
  msg.push_back(static_cast<std::uint8_t>(dst.size()));
  msg.insert(msg.end(), dst.begin(), dst.end());
  msg.insert(msg.end(), binder.begin(), binder.end());
  std::array<std::uint8_t, 32> tag{};
  crypto_auth_hmacsha256(tag.data(), msg.data(), msg.size(), seed.data());
  const Bytes want =
      stream(Xof::from_aes_ctr(ByteSpan(tag.data(), 16), ByteSpan(tag.data() + 16, 16)), 100);
  EXPECT_EQ(stream(Xof(seed, dst, binder), 100), want);
  // The binder in pieces, and the streaming interface, give the same stream.
  EXPECT_EQ(stream(Xof(seed, dst, {ByteSpan(binder).first(2), ByteSpan(binder).subspan(2)}), 100),
            want);
  Xof st(Xof::Streaming{}, seed, dst);
  st.absorb_binder(ByteSpan(binder).first(1));
  st.absorb_binder(ByteSpan(binder).subspan(1));
  st.finish_binder();
  EXPECT_EQ(stream(st, 100), want);
}

TEST(XofHmacSha256Aes128, ReadsInPiecesEqualOneRead) {
  const Bytes seed(32, 7), dst = {1, 2}, binder = {3};
  const Bytes whole = stream(Xof(seed, dst, binder), 1000);
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 20; ++trial) {
    Xof x(seed, dst, binder);
    Bytes got;
    while (got.size() < whole.size()) {
      Bytes piece(std::min<std::size_t>(rng() % 70, whole.size() - got.size()));
      x.next(piece);
      got.insert(got.end(), piece.begin(), piece.end());
    }
    EXPECT_EQ(got, whole);
  }
  // A copy continues from where the original stood.
  Xof a(seed, dst, binder);
  Bytes first(21);
  a.next(first);
  Xof b = a;
  EXPECT_EQ(stream(b, 50), Bytes(whole.begin() + 21, whole.begin() + 71));
}

TEST(XofHmacSha256Aes128, SeedAndDstLimits) {
  EXPECT_THROW(Xof(Bytes(31), Bytes(), Bytes()), vdaf::invalid_argument);
  EXPECT_THROW(Xof(Bytes(33), Bytes(), Bytes()), vdaf::invalid_argument);
  EXPECT_THROW(Xof(Bytes(32), Bytes(256), Bytes()), vdaf::invalid_argument);
  EXPECT_NO_THROW(Xof(Bytes(32), Bytes(255), Bytes()));
  EXPECT_THROW(Xof::from_aes_ctr(Bytes(16), Bytes(15)), vdaf::invalid_argument);
  // derive_seed is the first 32 bytes of the stream.
  const Bytes seed(32, 1), dst = {9}, binder = {8};
  EXPECT_EQ(Xof::derive_seed(seed, dst, binder), stream(Xof(seed, dst, binder), 32));
}

// ---- full rounds ----------------------------------------------------------------------------

/// Shards `m`, runs verify_init for every aggregator, the message, verify_next, aggregates the
/// out shares and unshards one report. Throws what the VDAF throws.
template <class V>
typename V::AggResult one_round(const V& v, ByteSpan ctx, const typename V::Measurement& m,
                                std::mt19937_64& rng, bool tamper_leader = false) {
  Bytes nonce(V::NONCE_SIZE), rand(v.rand_size()), key(V::VERIFY_KEY_SIZE);
  for (auto* b : {&nonce, &rand, &key}) {
    for (auto& x : *b) x = static_cast<std::uint8_t>(rng());
  }
  auto sr = v.shard(ctx, m, nonce, rand);
  if (tamper_leader) sr.input_shares[0].meas_share[0] += V::Field::one();
  const typename V::AggParam ap{};
  std::vector<typename V::VerifyState> states;
  std::vector<typename V::VerifierShare> vshares;
  for (std::size_t a = 0; a < v.shares(); ++a) {
    auto [st, vs] = v.verify_init(key, ctx, a, ap, nonce, sr.public_share, sr.input_shares[a]);
    states.push_back(std::move(st));
    vshares.push_back(std::move(vs));
  }
  const auto msg = v.verifier_shares_to_message(ctx, ap, vshares);
  std::vector<typename V::AggShare> aggs;
  for (std::size_t a = 0; a < v.shares(); ++a) {
    auto out = std::get<typename V::OutShare>(v.verify_next(ctx, states[a], msg));
    auto agg = v.agg_init(ap);
    v.agg_update(ap, agg, out);
    aggs.push_back(std::move(agg));
  }
  return v.unshard(ap, aggs, 1);
}

std::vector<vdaf::uint128> widen(const std::vector<std::uint64_t>& m) {
  return std::vector<vdaf::uint128>(m.begin(), m.end());
}

constexpr std::uint64_t kP64Minus1 = 0xFFFFFFFF00000000ULL;

TEST(Prio3SumVecField64MultiproofHmacSha256Aes128, IdAndSizes) {
  const Hmac1003 v(2, 10, 255, 3, 3);
  EXPECT_EQ(Hmac1003::ID, 0xFFFF1003u);
  EXPECT_EQ(Hmac1003::ID, 4294905859u);
  EXPECT_EQ(v.id(), 4294905859u);
  EXPECT_EQ(Hmac1003::VERIFY_KEY_SIZE, 32u);
  EXPECT_EQ(v.num_proofs(), 3u);
  EXPECT_EQ(v.meas_len(), 80u);
  EXPECT_TRUE(v.uses_joint_rand());
  EXPECT_EQ(Hmac1003::MAX_CTX_SIZE, 247u);
  EXPECT_EQ(vdaf::Prio3SumVec::MAX_CTX_SIZE, 65527u);
}

TEST(Prio3SumVecField64MultiproofHmacSha256Aes128, RoundsForSharesAndProofs) {
  std::mt19937_64 rng(1003);
  const Bytes ctx = {'j', 'a', 'n', 'u', 's'};
  for (const std::size_t shares : {std::size_t{2}, std::size_t{3}, std::size_t{5}}) {
    for (const std::size_t proofs :
         {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{8}}) {
      const Hmac1003 v(shares, 7, 1000, 4, proofs);
      std::vector<std::uint64_t> m(7);
      for (auto& x : m) x = rng() % 1001;
      EXPECT_EQ(one_round(v, ctx, m, rng), widen(m)) << shares << " shares, " << proofs;
      EXPECT_THROW(one_round(v, ctx, m, rng, true), vdaf::verify_error);
    }
  }
}

TEST(Prio3SumVecField64MultiproofHmacSha256Aes128, MaxMeasurementBelowTheModulus) {
  std::mt19937_64 rng(2);
  // 2^63, and p - 1 (64-bit bounds: libprio-rs and Janus accept them).
  for (std::uint64_t max : {std::uint64_t{1} << 63, kP64Minus1}) {
    const Hmac1003 v(2, 3, max, 2, 3);
    const std::vector<std::uint64_t> m = {max, 0, max - 1};
    EXPECT_EQ(one_round(v, {}, m, rng), widen(m));
    EXPECT_THROW(v.shard({}, std::vector<std::uint64_t>{max + 1, 0, 0}), vdaf::invalid_argument);
    // Two measurements of up to max could wrap: unshard refuses.
    const std::array<Hmac1003::AggShare, 2> aggs = {v.agg_init({}), v.agg_init({})};
    EXPECT_THROW(v.unshard({}, aggs, 2), vdaf::invalid_argument);
    EXPECT_EQ(v.unshard({}, aggs, 1), widen({0, 0, 0}));
  }
  EXPECT_THROW(Hmac1003(2, 3, 0xFFFFFFFF00000001ULL, 2, 3), vdaf::invalid_argument);  // p
  EXPECT_THROW(Hmac1003(2, 3, ~std::uint64_t{0}, 2, 3), vdaf::invalid_argument);
  EXPECT_THROW(Hmac1003(2, 3, 0, 2, 3), vdaf::invalid_argument);
  // The draft's test instance keeps the reference code's rule (2^bit_length(max) < p).
  EXPECT_THROW(vdaf::Prio3SumVecWithMultiproof<Field64>(2, 3, std::uint64_t{1} << 63, 2, 3),
               vdaf::invalid_argument);
  EXPECT_NO_THROW(
      vdaf::Prio3SumVecWithMultiproof<Field64>(2, 3, (std::uint64_t{1} << 63) - 1, 2, 3));
}

TEST(Prio3SumVecField64MultiproofHmacSha256Aes128, BadParameters) {
  EXPECT_THROW(Hmac1003(1, 3, 5, 2, 3), vdaf::invalid_argument);
  EXPECT_THROW(Hmac1003(256, 3, 5, 2, 3), vdaf::invalid_argument);
  EXPECT_THROW(Hmac1003(2, 0, 5, 2, 3), vdaf::invalid_argument);
  EXPECT_THROW(Hmac1003(2, 3, 5, 0, 3), vdaf::invalid_argument);
  EXPECT_THROW(Hmac1003(2, 3, 5, 2, 0), vdaf::invalid_argument);
  EXPECT_THROW(Hmac1003(2, 3, 5, 2, 256), vdaf::invalid_argument);
  EXPECT_NO_THROW(Hmac1003(255, 3, 5, 2, 255));
}

TEST(Prio3SumVecField64MultiproofHmacSha256Aes128, CtxAtMost247Bytes) {
  std::mt19937_64 rng(5);
  const Hmac1003 v(2, 2, 3, 1, 3);
  const std::vector<std::uint64_t> m = {1, 2};
  EXPECT_EQ(one_round(v, Bytes(247, 0xcc), m, rng), widen(m));
  EXPECT_THROW(v.shard(Bytes(248), m), vdaf::invalid_argument);
  const auto sr = v.shard(Bytes(1), m);
  try {
    (void)v.verify_init(Bytes(32), Bytes(248), 0, {}, sr.nonce, sr.public_share,
                        sr.input_shares[0]);
    ADD_FAILURE() << "no exception";
  } catch (const vdaf::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("ctx longer than 247 bytes"), std::string::npos)
        << e.what();
  }
}

TEST(Prio3L1BoundSum, IdParametersAndRounds) {
  EXPECT_EQ(vdaf::Prio3L1BoundSum::ID, 7u);
  const vdaf::Prio3L1BoundSum v(2, 4, 7, 3);
  EXPECT_EQ(v.meas_len(), 15u);  // (4 + 1)·3
  EXPECT_EQ(v.output_len(), 4u);
  EXPECT_TRUE(v.uses_joint_rand());
  std::mt19937_64 rng(7);
  // libprio-rs's own example: sums 8, 3, 2, 9 over five reports.
  const std::vector<std::vector<std::uint64_t>> ms = {
      {7, 0, 0, 0}, {0, 0, 0, 7}, {0, 0, 0, 0}, {1, 2, 2, 2}, {0, 1, 0, 0}};
  for (const auto& m : ms) EXPECT_EQ(one_round(v, {}, m, rng), widen(m));
  for (const std::size_t shares : {std::size_t{3}, std::size_t{4}}) {
    const vdaf::Prio3L1BoundSum w(shares, 30, 1000, 11);
    std::vector<std::uint64_t> m(30);
    m[3] = 500;
    m[29] = 499;
    m[0] = 1;
    EXPECT_EQ(one_round(w, Bytes{1, 2}, m, rng), widen(m));
    EXPECT_THROW(one_round(w, Bytes{1, 2}, m, rng, true), vdaf::verify_error);
  }
}

TEST(Prio3L1BoundSum, MeasurementsBeyondTheBoundAreRefused) {
  const vdaf::Prio3L1BoundSum v(2, 4, 7, 3);
  EXPECT_THROW(v.shard({}, std::vector<std::uint64_t>{4, 4, 0, 0}), vdaf::invalid_argument);
  EXPECT_THROW(v.shard({}, std::vector<std::uint64_t>{8, 0, 0, 0}), vdaf::invalid_argument);
  // Entries whose 64-bit sum would wrap to a small value.
  EXPECT_THROW(v.shard({}, std::vector<std::uint64_t>{~std::uint64_t{0}, 2, 0, 0}),
               vdaf::invalid_argument);
  EXPECT_THROW(v.shard({}, std::vector<std::uint64_t>{1, 1, 1}), vdaf::invalid_argument);
  EXPECT_NO_THROW(v.shard({}, std::vector<std::uint64_t>{4, 3, 0, 0}));
  EXPECT_THROW(vdaf::Prio3L1BoundSum(2, 0, 7, 3), vdaf::invalid_argument);
  EXPECT_THROW(vdaf::Prio3L1BoundSum(2, 4, 0, 3), vdaf::invalid_argument);
  EXPECT_THROW(vdaf::Prio3L1BoundSum(2, 4, 7, 0), vdaf::invalid_argument);
  EXPECT_THROW(vdaf::Prio3L1BoundSum(2, std::size_t{1} << 22, 7, 3), vdaf::invalid_argument);
  EXPECT_THROW(vdaf::Prio3L1BoundSum(2, ~std::size_t{0}, 7, 3), vdaf::invalid_argument);
}

TEST(Prio3L1BoundSum, WrongClaimedWeightFailsTheCircuit) {
  // FLP level: entries in range but a claimed weight that is not their sum. max_value 7, so
  // bits = 3 with weights 1, 2, 4 (last weight 7 - 3 = 4).
  const vdaf::L1BoundSum<Field128> c(2, 7, 2);
  const vdaf::FlpBBCGGI19<vdaf::L1BoundSum<Field128>> flp(c);
  std::vector<Field128> meas(flp.meas_len());
  c.encode(std::vector<std::uint64_t>{2, 3}, meas);  // entries 2, 3, weight 5
  std::mt19937_64 rng(9);
  auto random_vec = [&](std::size_t n) {
    std::vector<Field128> v(n);
    for (auto& x : v)
      x = Field128::from_int((static_cast<vdaf::uint128>(rng()) << 64 | rng()) % 1000003);
    return v;
  };
  auto decides = [&](const std::vector<Field128>& m) {
    const auto prove_rand = random_vec(flp.prove_rand_len());
    const auto joint_rand = random_vec(flp.joint_rand_len());
    const auto query_rand = random_vec(flp.query_rand_len());
    std::vector<Field128> proof(flp.proof_len()), verifier(flp.verifier_len());
    flp.prove(m, prove_rand, joint_rand, proof);
    flp.query(m, proof, query_rand, joint_rand, 1, verifier);
    return flp.decide(verifier);
  };
  EXPECT_TRUE(decides(meas));
  // Entry 1 from 3 (bits 1,1,0) to 1 (bits 1,0,0): every element still a bit, sum now 3 != 5.
  std::vector<Field128> bad = meas;
  bad[4] = Field128::zero();
  EXPECT_FALSE(decides(bad));
  // A non-bit element fails the range check.
  bad = meas;
  bad[0] = Field128::from_int(2);
  EXPECT_FALSE(decides(bad));
}

}  // namespace
