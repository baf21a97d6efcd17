// XofFixedKeyAes128 (draft-irtf-cfrg-vdaf-20 §6.2.2): the official test vector, an independent
// recomputation of the stream straight from the spec's formulas (with the portable AES and, when
// compiled, the Highway AES), next() in arbitrary pieces, FixedKey reuse, expand_blocks, and the
// argument checks.
#include "vdaf/xof/xof_fixed_key_aes128.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <rapidcheck/gtest.h>
#include <vdaf/core/hex.hpp>

#include "vdaf/detail/aes128.hpp"
#include "vdaf/detail/simd/aes128_hwy.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/xof/turboshake128.hpp"

#ifndef VDAF_TEST_VECTORS_DIR
#error "VDAF_TEST_VECTORS_DIR must name the test-vectors/ folder"
#endif

namespace {

using vdaf::Bytes;
using vdaf::ByteSpan;
using vdaf::Field128;
using vdaf::XofFixedKeyAes128;
namespace aes = vdaf::detail::aes128;

ByteSpan as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

struct Vector {
  Bytes seed, dst, binder, derived_seed, expanded;
  std::size_t length = 0;
};

Vector load_vector() {
  const std::string path =
      std::string(VDAF_TEST_VECTORS_DIR) + "/draft-irtf-cfrg-vdaf-20/XofFixedKeyAes128.json";
  std::ifstream f(path);
  if (!f) ADD_FAILURE() << "cannot open " << path;
  const nlohmann::json j = nlohmann::json::parse(f);
  Vector v;
  v.seed = vdaf::from_hex(j.at("seed").get<std::string>());
  v.dst = vdaf::from_hex(j.at("dst").get<std::string>());
  v.binder = vdaf::from_hex(j.at("binder").get<std::string>());
  v.derived_seed = vdaf::from_hex(j.at("derived_seed").get<std::string>());
  v.expanded = vdaf::from_hex(j.at("expanded_vec_field128").get<std::string>());
  v.length = j.at("length").get<std::size_t>();
  return v;
}

/// The stream computed from the spec's formulas, block by block, with a given AES-128 encryption
/// of one block (key derivation via TurboSHAKE128 with D = 2, σ applied to seed ⊕ le128(i)).
template <class Encrypt>
Bytes spec_stream(ByteSpan seed, ByteSpan dst, ByteSpan binder, std::size_t blocks,
                  Encrypt&& encrypt_with_key) {
  vdaf::TurboShake128 ts;
  const std::uint8_t dlen[2] = {static_cast<std::uint8_t>(dst.size()),
                                static_cast<std::uint8_t>(dst.size() >> 8)};
  ts.absorb(dlen);
  ts.absorb(dst);
  ts.absorb(binder);
  ts.finalize(0x02);
  std::uint8_t key[16];
  ts.squeeze(key);
  Bytes out;
  for (std::size_t i = 0; i < blocks; ++i) {
    std::uint8_t x[16];
    for (std::size_t b = 0; b < 16; ++b) {
      const std::uint8_t ctr = b < 8 ? static_cast<std::uint8_t>(i >> (8 * b)) : 0;  // le128(i)
      x[b] = seed[b] ^ ctr;
    }
    std::uint8_t sigma[16];
    for (std::size_t b = 0; b < 8; ++b) {
      sigma[b] = x[8 + b];             // hi
      sigma[8 + b] = x[8 + b] ^ x[b];  // hi ⊕ lo
    }
    std::uint8_t enc[16];
    encrypt_with_key(key, sigma, enc);
    for (std::size_t b = 0; b < 16; ++b) out.push_back(enc[b] ^ sigma[b]);
  }
  return out;
}

void portable_encrypt(const std::uint8_t key[16], const std::uint8_t in[16], std::uint8_t out[16]) {
  aes::RoundKeys rk;
  aes::expand_key(key, rk);
  aes::BitslicedKeys k;
  aes::bitslice_keys(rk, k);
  aes::encrypt_blocks(k, in, out, 1);
}

Bytes stream(XofFixedKeyAes128& x, std::size_t n) {
  Bytes out(n);
  x.next(out);
  return out;
}

TEST(XofFixedKeyAes128, ReportsBackend) {
  const std::string backend = XofFixedKeyAes128::aes_backend();
  EXPECT_FALSE(backend.empty());
  RecordProperty("aes_backend", backend);
  std::cout << "[ info     ] XofFixedKeyAes128 AES backend: " << backend << "\n";
}

TEST(XofFixedKeyAes128, OfficialVector) {
  const Vector v = load_vector();
  ASSERT_EQ(v.seed.size(), XofFixedKeyAes128::SEED_SIZE);
  ASSERT_EQ(v.length, 40u);
  ASSERT_EQ(v.expanded.size(), v.length * Field128::ENCODED_SIZE);

  EXPECT_EQ(vdaf::to_hex(XofFixedKeyAes128::derive_seed(v.seed, v.dst, v.binder)),
            vdaf::to_hex(v.derived_seed));

  const auto vec = XofFixedKeyAes128::expand_into_vec<Field128>(v.seed, v.dst, v.binder, v.length);
  EXPECT_EQ(vdaf::to_hex(Field128::encode_vec(vec)), vdaf::to_hex(v.expanded));

  // No sample was rejected, so the byte stream itself is the encoded vector.
  XofFixedKeyAes128 x(v.seed, v.dst, v.binder);
  EXPECT_EQ(vdaf::to_hex(stream(x, v.expanded.size())), vdaf::to_hex(v.expanded));

  // Through an explicitly derived key, and with the binder in pieces.
  XofFixedKeyAes128 y(XofFixedKeyAes128::derive_key(v.dst, v.binder), v.seed);
  EXPECT_EQ(y.next_vec<Field128>(v.length), vec);
  const ByteSpan b(v.binder);
  XofFixedKeyAes128 z(v.seed, v.dst, {b.first(5), b.subspan(5, 0), b.subspan(5)});
  EXPECT_EQ(vdaf::to_hex(stream(z, v.expanded.size())), vdaf::to_hex(v.expanded));
}

TEST(XofFixedKeyAes128, OfficialVectorFromSpecFormulas) {
  const Vector v = load_vector();
  const std::size_t blocks = v.expanded.size() / 16;
  EXPECT_EQ(vdaf::to_hex(spec_stream(v.seed, v.dst, v.binder, blocks, portable_encrypt)),
            vdaf::to_hex(v.expanded));
#if VDAF_AES128_HWY
  auto hwy_encrypt = [](const std::uint8_t key[16], const std::uint8_t in[16],
                        std::uint8_t out[16]) {
    aes::RoundKeys rk;
    vdaf::detail::simd::aes128_expand_key(key, rk);
    vdaf::detail::simd::aes128_encrypt_blocks(rk, in, out, 1);
  };
  EXPECT_EQ(vdaf::to_hex(spec_stream(v.seed, v.dst, v.binder, blocks, hwy_encrypt)),
            vdaf::to_hex(v.expanded));
#endif
}

TEST(XofFixedKeyAes128, MatchesSpecFormulasOnRandomInputs) {
  std::mt19937_64 rng(5);
  for (int it = 0; it < 40; ++it) {
    Bytes seed(16), dst(static_cast<std::size_t>(rng() % 40)),
        binder(static_cast<std::size_t>(rng() % 300));
    for (auto* b : {&seed, &dst, &binder}) {
      for (auto& c : *b) c = static_cast<std::uint8_t>(rng());
    }
    const std::size_t blocks = 1 + static_cast<std::size_t>(rng() % 70);
    XofFixedKeyAes128 x(seed, dst, binder);
    ASSERT_EQ(stream(x, 16 * blocks), spec_stream(seed, dst, binder, blocks, portable_encrypt))
        << "it " << it;
  }
}

// next() served in arbitrary pieces equals one call.
RC_GTEST_PROP(XofFixedKeyAes128Props, PiecesEqualOneShot, ()) {
  const auto seed =
      *rc::gen::container<std::vector<std::uint8_t>>(16, rc::gen::arbitrary<std::uint8_t>());
  const auto binder = *rc::gen::arbitrary<std::vector<std::uint8_t>>();
  const auto pieces = *rc::gen::container<std::vector<std::size_t>>(
      rc::gen::oneOf(rc::gen::inRange<std::size_t>(0, 20), rc::gen::inRange<std::size_t>(0, 300),
                     rc::gen::element<std::size_t>(15, 16, 17, 63, 64, 65, 128)));
  std::size_t total = 0;
  for (std::size_t p : pieces) total += p;
  const Bytes dst = {'d', 's', 't'};
  XofFixedKeyAes128 whole(seed, dst, binder);
  const Bytes expect = stream(whole, total);
  XofFixedKeyAes128 x(seed, dst, binder);
  Bytes got;
  for (std::size_t p : pieces) {
    const Bytes part = stream(x, p);
    got.insert(got.end(), part.begin(), part.end());
  }
  RC_ASSERT(got == expect);
}

TEST(XofFixedKeyAes128, FixedPieceSchedules) {
  const Bytes seed = vdaf::from_hex("000102030405060708090a0b0c0d0e0f");
  const Bytes dst = {1, 2, 3};
  const Bytes binder = {9};
  XofFixedKeyAes128 whole(seed, dst, binder);
  const Bytes expect = stream(whole, 4096);
  const std::vector<std::vector<std::size_t>> schedules = {
      {16, 16, 16, 16, 16}, {1, 15, 16, 17, 63, 64, 65, 1000}, {0, 0, 4096},
      {64, 64, 64},         {3, 61, 64, 200, 7, 1, 1, 1},      {100, 0, 13, 2000, 1, 16, 31}};
  for (const auto& sched : schedules) {
    XofFixedKeyAes128 x(seed, dst, binder);
    Bytes got;
    for (std::size_t p : sched) {
      const Bytes part = stream(x, p);
      got.insert(got.end(), part.begin(), part.end());
    }
    ASSERT_EQ(got, Bytes(expect.begin(), expect.begin() + static_cast<std::ptrdiff_t>(got.size())));
  }
}

TEST(XofFixedKeyAes128, CopyContinuesTheStream) {
  const Bytes seed(16, 7), dst = {1}, binder = {2};
  XofFixedKeyAes128 x(seed, dst, binder);
  (void)stream(x, 21);
  XofFixedKeyAes128 y = x;
  EXPECT_EQ(stream(x, 100), stream(y, 100));
}

TEST(XofFixedKeyAes128, FixedKeyReuse) {
  const Bytes dst = vdaf::from_hex("0001020304"), binder(16, 0xAB);
  const auto key = XofFixedKeyAes128::derive_key(dst, binder);
  std::mt19937_64 rng(6);
  for (int it = 0; it < 20; ++it) {
    Bytes seed(16);
    for (auto& c : seed) c = static_cast<std::uint8_t>(rng());
    XofFixedKeyAes128 a(key, seed);
    XofFixedKeyAes128 b(seed, dst, binder);
    EXPECT_EQ(stream(a, 200), stream(b, 200));
  }
  // The key depends on dst and binder: changing either changes the stream.
  const Bytes seed(16, 0);
  XofFixedKeyAes128 base(seed, dst, binder);
  XofFixedKeyAes128 other_dst(seed, Bytes{0, 1, 2, 3, 5}, binder);
  XofFixedKeyAes128 other_binder(seed, dst, Bytes(16, 0xAC));
  const Bytes s = stream(base, 32);
  EXPECT_NE(s, stream(other_dst, 32));
  EXPECT_NE(s, stream(other_binder, 32));
  // A FixedKey copy works like the original.
  const auto copy = key;
  XofFixedKeyAes128 c(copy, seed);
  EXPECT_EQ(stream(c, 32), s);
}

TEST(XofFixedKeyAes128, FixedKeyFromAesKey) {
  // With K = the FIPS 197 C.1 key and seed = σ^-1(plaintext) the first block is
  // AES_K(pt) ⊕ pt. σ^-1(a ‖ b) = (a ⊕ b) ‖ a.
  const Bytes key = vdaf::from_hex("000102030405060708090a0b0c0d0e0f");
  const Bytes pt = vdaf::from_hex("00112233445566778899aabbccddeeff");
  const Bytes ct = vdaf::from_hex("69c4e0d86a7b0430d8cdb78070b4c55a");
  Bytes seed(16);
  for (std::size_t b = 0; b < 8; ++b) {
    seed[b] = pt[b] ^ pt[8 + b];
    seed[8 + b] = pt[b];
  }
  XofFixedKeyAes128 x(XofFixedKeyAes128::FixedKey::from_aes_key(key), seed);
  Bytes expect(16);
  for (std::size_t b = 0; b < 16; ++b) expect[b] = ct[b] ^ pt[b];
  EXPECT_EQ(vdaf::to_hex(stream(x, 16)), vdaf::to_hex(expect));
  EXPECT_THROW(XofFixedKeyAes128::FixedKey::from_aes_key(Bytes(15)), vdaf::invalid_argument);
}

TEST(XofFixedKeyAes128, ExpandBlocksEqualsStreams) {
  const ByteSpan dst = as_bytes("expand");
  const Bytes binder(16, 0x42);
  const auto key = XofFixedKeyAes128::derive_key(dst, binder);
  std::mt19937_64 rng(7);
  for (std::size_t nseeds : {0u, 1u, 2u, 3u, 7u, 8u, 9u, 33u, 100u}) {
    std::vector<std::array<std::uint8_t, 16>> seeds(nseeds);
    for (auto& s : seeds) {
      for (auto& c : s) c = static_cast<std::uint8_t>(rng());
    }
    for (std::size_t bps : {0u, 1u, 2u, 3u, 5u}) {
      Bytes out(16 * bps * nseeds);
      XofFixedKeyAes128::expand_blocks(key, seeds, bps, out);
      for (std::size_t s = 0; s < nseeds; ++s) {
        XofFixedKeyAes128 x(key, seeds[s]);
        const Bytes expect = stream(x, 16 * bps);
        ASSERT_EQ(Bytes(out.begin() + static_cast<std::ptrdiff_t>(16 * bps * s),
                        out.begin() + static_cast<std::ptrdiff_t>(16 * bps * (s + 1))),
                  expect)
            << "seeds " << nseeds << ", blocks " << bps << ", seed " << s;
      }
    }
  }
  std::vector<std::array<std::uint8_t, 16>> seeds(3);
  Bytes wrong(16 * 2 * 3 + 1);
  EXPECT_THROW(XofFixedKeyAes128::expand_blocks(key, seeds, 2, wrong), vdaf::invalid_argument);
  Bytes none;
  EXPECT_THROW(XofFixedKeyAes128::expand_blocks(key, seeds,
                                                std::numeric_limits<std::size_t>::max() / 8, none),
               vdaf::invalid_argument);
}

TEST(XofFixedKeyAes128, ArgumentChecks) {
  const Bytes dst = {1}, binder = {2};
  for (std::size_t n : {0u, 1u, 15u, 17u, 32u}) {
    EXPECT_THROW(XofFixedKeyAes128(Bytes(n), dst, binder), vdaf::invalid_argument) << n;
    EXPECT_THROW(XofFixedKeyAes128(XofFixedKeyAes128::derive_key(dst, binder), Bytes(n)),
                 vdaf::invalid_argument)
        << n;
  }
  EXPECT_THROW(XofFixedKeyAes128(Bytes(16), Bytes(65536), binder), vdaf::invalid_argument);
  EXPECT_THROW(XofFixedKeyAes128::derive_key(Bytes(65536), binder), vdaf::invalid_argument);
  EXPECT_NO_THROW(XofFixedKeyAes128(Bytes(16), Bytes(65535), binder));
  EXPECT_NO_THROW(XofFixedKeyAes128(Bytes(16), Bytes{}, Bytes{}));
}

// derive_key_pair equals two derive_key calls (same schedules, so the same streams), for tags
// and binders from empty to longer than one TurboSHAKE128 block; tags of 65536 bytes throw.
TEST(XofFixedKeyAes128, DeriveKeyPairMatchesDeriveKey) {
  const Bytes seed(16, 9);
  for (const std::size_t dl : {0u, 8u, 9u, 150u, 300u}) {
    for (const std::size_t bl : {0u, 16u, 157u, 158u, 400u}) {
      Bytes d0(dl), d1(dl + 1), binder(bl);
      for (std::size_t i = 0; i < d0.size(); ++i) d0[i] = static_cast<std::uint8_t>(i * 7 + 1);
      for (std::size_t i = 0; i < d1.size(); ++i) d1[i] = static_cast<std::uint8_t>(i * 5 + 2);
      for (std::size_t i = 0; i < binder.size(); ++i) binder[i] = static_cast<std::uint8_t>(i);
      const auto pair = XofFixedKeyAes128::derive_key_pair(d0, d1, binder);
      XofFixedKeyAes128 a(pair[0], seed), b(pair[1], seed);
      XofFixedKeyAes128 a1(XofFixedKeyAes128::derive_key(d0, binder), seed);
      XofFixedKeyAes128 b1(XofFixedKeyAes128::derive_key(d1, binder), seed);
      EXPECT_EQ(stream(a, 48), stream(a1, 48)) << dl << " " << bl;
      EXPECT_EQ(stream(b, 48), stream(b1, 48)) << dl << " " << bl;
      EXPECT_NE(stream(a, 16), stream(b, 16)) << dl << " " << bl;
    }
  }
  EXPECT_THROW(XofFixedKeyAes128::derive_key_pair(Bytes(65536), Bytes{}, Bytes{}),
               vdaf::invalid_argument);
  EXPECT_THROW(XofFixedKeyAes128::derive_key_pair(Bytes{}, Bytes(65536), Bytes{}),
               vdaf::invalid_argument);
}

TEST(XofFixedKeyAes128, DeriveSeedIsStreamPrefix) {
  const Bytes seed(16, 3), dst = {4, 5}, binder = {6};
  XofFixedKeyAes128 x(seed, dst, binder);
  EXPECT_EQ(XofFixedKeyAes128::derive_seed(seed, dst, binder), stream(x, 16));
}

}  // namespace
