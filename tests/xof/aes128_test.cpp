// AES-128: FIPS 197 known answers (Appendix A.1 key expansion, Appendix B, Appendix C.1) for the
// portable bitsliced implementation and, when the compile target has AES instructions, the
// Highway path; the S-box against a reference computed here; and the Highway path against its
// scalar twin on thousands of random keys and blocks (every batch length 1..40, in place and not).
//
// Which paths run: the portable one always. The Highway one when VDAF_AES128_HWY == 1, i.e. when
// compiled for an AES-capable target (x86: -maes -mpclmul, e.g. -march=x86-64-v3 -maes -mpclmul,
// -march=skylake, -march=native; AArch64: +crypto). With default flags the Highway tests are
// skipped (they report why).
#include "vdaf/detail/aes128.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <vdaf/core/hex.hpp>

#include "vdaf/detail/simd/aes128_hwy.hpp"

namespace {

namespace aes = vdaf::detail::aes128;
using Bytes = std::vector<std::uint8_t>;

Bytes hex(const char* s) { return vdaf::from_hex(s); }

aes::BitslicedKeys bitsliced(const aes::RoundKeys& rk) {
  aes::BitslicedKeys k;
  aes::bitslice_keys(rk, k);
  return k;
}

aes::RoundKeys portable_expand(const Bytes& key) {
  aes::RoundKeys rk;
  aes::expand_key(key.data(), rk);
  return rk;
}

Bytes portable_encrypt(const Bytes& key, const Bytes& pt) {
  const aes::BitslicedKeys k = bitsliced(portable_expand(key));
  Bytes ct(pt.size());
  aes::encrypt_blocks(k, pt.data(), ct.data(), pt.size() / 16);
  return ct;
}

// ---------------------------------------------------------------------------------------------
// Reference S-box, computed the slow way: brute-force inverse in GF(2^8), then the affine map.

std::uint8_t gf_mul_ref(std::uint8_t a, std::uint8_t b) {
  unsigned r = 0;
  unsigned x = a;
  for (int i = 0; i < 8; ++i) {
    if ((b >> i) & 1) r ^= x;
    x <<= 1;
    if (x & 0x100) x ^= 0x11B;
  }
  return static_cast<std::uint8_t>(r);
}

std::array<std::uint8_t, 256> reference_sbox() {
  std::array<std::uint8_t, 256> s{};
  for (unsigned v = 0; v < 256; ++v) {
    unsigned inv = 0;
    for (unsigned c = 1; c < 256 && v != 0; ++c) {
      if (gf_mul_ref(static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(c)) == 1) inv = c;
    }
    unsigned b = inv;
    unsigned out = 0x63;
    for (unsigned i = 0; i < 8; ++i) {
      const unsigned bit = ((b >> i) ^ (b >> ((i + 4) % 8)) ^ (b >> ((i + 5) % 8)) ^
                            (b >> ((i + 6) % 8)) ^ (b >> ((i + 7) % 8))) &
                           1;
      out ^= bit << i;
    }
    s[v] = static_cast<std::uint8_t>(out);
  }
  return s;
}

// FIPS 197 Appendix A.1: key expansion of 2b7e1516 28aed2a6 abf71588 09cf4f3c, all 11 round keys.
const char* const kA1Key = "2b7e151628aed2a6abf7158809cf4f3c";
const char* const kA1RoundKeys[11] = {
    "2b7e151628aed2a6abf7158809cf4f3c", "a0fafe1788542cb123a339392a6c7605",
    "f2c295f27a96b9435935807a7359f67f", "3d80477d4716fe3e1e237e446d7a883b",
    "ef44a541a8525b7fb671253bdb0bad00", "d4d1c6f87c839d87caf2b8bc11f915bc",
    "6d88a37a110b3efddbf98641ca0093fd", "4e54f70e5f5fc9f384a64fb24ea6dc4f",
    "ead27321b58dbad2312bf5607f8d292f", "ac7766f319fadc2128d12941575c006e",
    "d014f9a8c9ee2589e13f0cc8b6630ca6"};

struct Kat {
  const char* key;
  const char* pt;
  const char* ct;
};
const Kat kKats[] = {
    // FIPS 197 Appendix B (cipher example).
    {"2b7e151628aed2a6abf7158809cf4f3c", "3243f6a8885a308d313198a2e0370734",
     "3925841d02dc09fbdc118597196a0b32"},
    // FIPS 197 Appendix C.1 (AES-128).
    {"000102030405060708090a0b0c0d0e0f", "00112233445566778899aabbccddeeff",
     "69c4e0d86a7b0430d8cdb78070b4c55a"},
};

void expect_round_keys(const aes::RoundKeys& rk) {
  for (std::size_t r = 0; r <= aes::ROUNDS; ++r) {
    EXPECT_EQ(vdaf::to_hex(rk.rk[r]), kA1RoundKeys[r]) << "round key " << r;
  }
}

// ---------------------------------------------------------------------------------------------
// Portable implementation.

TEST(Aes128Portable, Fips197A1KeyExpansion) { expect_round_keys(portable_expand(hex(kA1Key))); }

TEST(Aes128Portable, Fips197KnownAnswers) {
  for (const Kat& t : kKats) {
    EXPECT_EQ(vdaf::to_hex(portable_encrypt(hex(t.key), hex(t.pt))), t.ct) << t.key;
    // The same block in every slot of a 4-block pass and at every batch length 1..9.
    for (std::size_t n = 1; n <= 9; ++n) {
      Bytes pt;
      for (std::size_t i = 0; i < n; ++i) vdaf::append(pt, hex(t.pt));
      const Bytes ct = portable_encrypt(hex(t.key), pt);
      for (std::size_t i = 0; i < n; ++i) {
        EXPECT_EQ(vdaf::to_hex(vdaf::ByteSpan(ct).subspan(16 * i, 16)), t.ct) << n << " " << i;
      }
    }
  }
}

TEST(Aes128Portable, SBoxMatchesReference) {
  const auto ref = reference_sbox();
  EXPECT_EQ(ref[0x00], 0x63);
  EXPECT_EQ(ref[0x01], 0x7C);
  EXPECT_EQ(ref[0x53], 0xED);
  EXPECT_EQ(ref[0xFF], 0x16);
  for (unsigned base = 0; base < 256; base += 64) {
    std::uint8_t bytes[64];
    for (unsigned i = 0; i < 64; ++i) bytes[i] = static_cast<std::uint8_t>(base + i);
    std::uint64_t q[8];
    aes::load_planes(bytes, q);
    aes::sub_bytes(q);
    std::uint8_t out[64];
    aes::store_planes(q, out);
    for (unsigned i = 0; i < 64; ++i) EXPECT_EQ(out[i], ref[base + i]) << "S(" << base + i << ")";
  }
  for (unsigned w = 0; w < 256; ++w) {
    const std::uint32_t x =
        0x01000000u * w + 0x00010000u * (255 - w) + 0x0100u * (w ^ 0x5A) + ((w * 7) & 0xFF);
    std::uint32_t expect = 0;
    for (unsigned b = 0; b < 4; ++b) expect |= std::uint32_t{ref[(x >> (8 * b)) & 0xFF]} << (8 * b);
    EXPECT_EQ(aes::sub_word(x), expect);
  }
}

TEST(Aes128Portable, PlanesRoundTrip) {
  std::mt19937_64 rng(1);
  for (int it = 0; it < 1000; ++it) {
    std::uint8_t in[64], out[64];
    for (auto& b : in) b = static_cast<std::uint8_t>(rng());
    std::uint64_t q[8];
    aes::load_planes(in, q);
    aes::store_planes(q, out);
    ASSERT_EQ(std::memcmp(in, out, 64), 0);
  }
}

TEST(Aes128Portable, BatchEqualsSingleBlocks) {
  std::mt19937_64 rng(2);
  for (int it = 0; it < 50; ++it) {
    Bytes key(16);
    for (auto& b : key) b = static_cast<std::uint8_t>(rng());
    const aes::BitslicedKeys k = bitsliced(portable_expand(key));
    const std::size_t n = 1 + static_cast<std::size_t>(rng() % 13);
    Bytes in(16 * n), batch(16 * n), mmo(16 * n);
    for (auto& b : in) b = static_cast<std::uint8_t>(rng());
    aes::encrypt_blocks(k, in.data(), batch.data(), n);
    aes::mmo_blocks(k, in.data(), mmo.data(), n);
    for (std::size_t i = 0; i < n; ++i) {
      std::uint8_t one[16];
      aes::encrypt_blocks(k, in.data() + 16 * i, one, 1);
      ASSERT_EQ(std::memcmp(one, batch.data() + 16 * i, 16), 0);
      for (std::size_t j = 0; j < 16; ++j) one[j] ^= in[16 * i + j];
      ASSERT_EQ(std::memcmp(one, mmo.data() + 16 * i, 16), 0);
    }
    Bytes inplace = in;
    aes::mmo_blocks(k, inplace.data(), inplace.data(), n);
    ASSERT_EQ(inplace, mmo);
  }
}

// ---------------------------------------------------------------------------------------------
// Highway path (AES instructions) and its comparison with the scalar twin.

#if VDAF_AES128_HWY
namespace simd = vdaf::detail::simd;

TEST(Aes128Hwy, Fips197A1KeyExpansion) {
  aes::RoundKeys rk;
  simd::aes128_expand_key(hex(kA1Key).data(), rk);
  expect_round_keys(rk);
}

TEST(Aes128Hwy, Fips197KnownAnswers) {
  for (const Kat& t : kKats) {
    aes::RoundKeys rk;
    simd::aes128_expand_key(hex(t.key).data(), rk);
    for (std::size_t n = 1; n <= 20; ++n) {
      Bytes pt;
      for (std::size_t i = 0; i < n; ++i) vdaf::append(pt, hex(t.pt));
      Bytes ct(pt.size());
      simd::aes128_encrypt_blocks(rk, pt.data(), ct.data(), n);
      for (std::size_t i = 0; i < n; ++i) {
        EXPECT_EQ(vdaf::to_hex(vdaf::ByteSpan(ct).subspan(16 * i, 16)), t.ct) << n << " " << i;
      }
    }
  }
}

TEST(Aes128Hwy, MatchesPortableOnRandomKeysAndBlocks) {
  std::mt19937_64 rng(3);
  for (int it = 0; it < 3000; ++it) {
    std::uint8_t key[16];
    for (auto& b : key) b = static_cast<std::uint8_t>(rng());
    aes::RoundKeys rk_hwy, rk_ref;
    simd::aes128_expand_key(key, rk_hwy);
    aes::expand_key(key, rk_ref);
    ASSERT_EQ(std::memcmp(&rk_hwy, &rk_ref, sizeof rk_ref), 0) << "key expansion, it " << it;
    const aes::BitslicedKeys k = bitsliced(rk_ref);

    const std::size_t n = 1 + static_cast<std::size_t>(it % 40);  // every group/tail shape
    Bytes in(16 * n), a(16 * n), b(16 * n);
    for (auto& x : in) x = static_cast<std::uint8_t>(rng());
    simd::aes128_encrypt_blocks(rk_hwy, in.data(), a.data(), n);
    aes::encrypt_blocks(k, in.data(), b.data(), n);
    ASSERT_EQ(a, b) << "encrypt, it " << it << ", n " << n;
    simd::aes128_mmo_blocks(rk_hwy, in.data(), a.data(), n);
    aes::mmo_blocks(k, in.data(), b.data(), n);
    ASSERT_EQ(a, b) << "mmo, it " << it << ", n " << n;
    Bytes inplace = in;
    simd::aes128_mmo_blocks(rk_hwy, inplace.data(), inplace.data(), n);
    ASSERT_EQ(inplace, b) << "mmo in place, it " << it << ", n " << n;
  }
}

TEST(Aes128Hwy, LargeBatchMatchesPortable) {
  std::mt19937_64 rng(4);
  std::uint8_t key[16];
  for (auto& b : key) b = static_cast<std::uint8_t>(rng());
  aes::RoundKeys rk;
  simd::aes128_expand_key(key, rk);
  const aes::BitslicedKeys k = bitsliced(rk);
  const std::size_t n = 4099;
  Bytes in(16 * n), a(16 * n), b(16 * n);
  for (auto& x : in) x = static_cast<std::uint8_t>(rng());
  simd::aes128_mmo_blocks(rk, in.data(), a.data(), n);
  aes::mmo_blocks(k, in.data(), b.data(), n);
  EXPECT_EQ(a, b);
}
// Without AES instructions in the compile target only the portable AES exists; CI's clang
// stage builds with -march=x86-64-v3 -maes -mpclmul so the comparison above runs there.
#endif

}  // namespace
