// Field255 (draft-irtf-cfrg-vdaf-20 §6.1, p = 2^255 − 19): known answers
// computed with Python big integers, the canonical little-endian codec, the
// §6.2 next_vec mask-then-reject rule, and RapidCheck laws against an
// independent reference model (schoolbook product + bitwise long division).
#include "vdaf/field/field255.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "vdaf/errors.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/xof/xof_turboshake128.hpp"

namespace {

using vdaf::Field255;
using Int = Field255::Int;
using Bytes = std::vector<std::uint8_t>;

static_assert(vdaf::Field<Field255>);
static_assert(!vdaf::NttField<Field255>);
static_assert(Field255::ENCODED_SIZE == 32);
// Arithmetic is usable in constant expressions.
static_assert(Field255::mul(Field255::from_u64(3), Field255::from_u64(5)) ==
              Field255::from_u64(15));
static_assert(Field255::mul(Field255::from_u64(2), Field255::from_u64(2).inv()) == Field255::one());

// ---------------------------------------------------------------------------
// 256-bit helpers and the reference model (independent of the library's
// 2^256 ≡ 38 folding: it reduces by binary long division).
// ---------------------------------------------------------------------------

constexpr Int kP = {0xffffffffffffffedULL, 0xffffffffffffffffULL, 0xffffffffffffffffULL,
                    0x7fffffffffffffffULL};

/// 64 hex digits, most significant first (as Python's "%064x" prints).
Int from_hex(std::string_view s) {
  Int x = {0, 0, 0, 0};
  for (char ch : s) {
    const std::uint64_t d = static_cast<std::uint64_t>(
        ch <= '9' ? ch - '0' : (ch >= 'a' ? ch - 'a' + 10 : ch - 'A' + 10));
    // x = 16x + d
    for (std::size_t i = 3; i > 0; --i) x[i] = (x[i] << 4) | (x[i - 1] >> 60);
    x[0] = (x[0] << 4) | d;
  }
  return x;
}
std::string to_hex(const Int& x) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s(64, '0');
  for (std::size_t i = 0; i < 64; ++i) {
    const std::size_t nib = 63 - i;  // nibble index from least significant
    s[i] = digits[(x[nib / 16] >> (4 * (nib % 16))) & 0xf];
  }
  return s;
}
std::string bytes_hex(std::span<const std::uint8_t> b) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  for (std::uint8_t v : b) {
    s.push_back(digits[v >> 4]);
    s.push_back(digits[v & 0xf]);
  }
  return s;
}
Bytes hex_bytes(std::string_view s) {
  Bytes b(s.size() / 2);
  for (std::size_t i = 0; i < b.size(); ++i) {
    auto nib = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
    b[i] = static_cast<std::uint8_t>(nib(s[2 * i]) * 16 + nib(s[2 * i + 1]));
  }
  return b;
}
Bytes le_bytes(const Int& x) {
  Bytes b(32);
  for (std::size_t i = 0; i < 32; ++i) b[i] = static_cast<std::uint8_t>(x[i / 8] >> (8 * (i % 8)));
  return b;
}

struct Ref {
  static bool ge(const Int& a, const Int& b) {
    for (std::size_t i = 4; i-- > 0;) {
      if (a[i] != b[i]) return a[i] > b[i];
    }
    return true;
  }
  /// a − b (mod 2^256).
  static Int sub_raw(const Int& a, const Int& b) {
    Int r{};
    std::uint64_t borrow = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      const std::uint64_t t = a[i] - b[i];
      const std::uint64_t b1 = a[i] < b[i] ? 1 : 0;
      r[i] = t - borrow;
      const std::uint64_t b2 = t < borrow ? 1 : 0;
      borrow = b1 | b2;
    }
    return r;
  }
  /// a + b (mod 2^256), carry out in `carry`.
  static Int add_raw(const Int& a, const Int& b, std::uint64_t& carry) {
    Int r{};
    carry = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      const std::uint64_t t = a[i] + b[i];
      const std::uint64_t c1 = t < a[i] ? 1 : 0;
      r[i] = t + carry;
      const std::uint64_t c2 = r[i] < t ? 1 : 0;
      carry = c1 | c2;
    }
    return r;
  }
  /// x mod p for an arbitrary 64·n-bit little-endian integer (long division).
  template <std::size_t N>
  static Int mod(const std::array<std::uint64_t, N>& x) {
    Int r = {0, 0, 0, 0};
    for (std::size_t bit = 64 * N; bit-- > 0;) {
      // r = 2r + bit  (r < p < 2^255, so no overflow)
      for (std::size_t i = 3; i > 0; --i) r[i] = (r[i] << 1) | (r[i - 1] >> 63);
      r[0] = (r[0] << 1) | ((x[bit / 64] >> (bit % 64)) & 1);
      if (ge(r, kP)) r = sub_raw(r, kP);
    }
    return r;
  }
  static Int add(const Int& a, const Int& b) {
    std::uint64_t c;
    Int s = add_raw(a, b, c);  // a, b < p: no carry
    return ge(s, kP) ? sub_raw(s, kP) : s;
  }
  static Int sub(const Int& a, const Int& b) {
    if (ge(a, b)) return sub_raw(a, b);
    std::uint64_t c;
    return add_raw(sub_raw(a, b), kP, c);  // wraps back below 2^256
  }
  static Int mul(const Int& a, const Int& b) {
    std::array<std::uint64_t, 8> t{};
    for (std::size_t i = 0; i < 4; ++i) {
      for (std::size_t j = 0; j < 4; ++j) {
        // add the 128-bit product a_i·b_j at limb i+j, propagating carries
        const vdaf::uint128 pr = static_cast<vdaf::uint128>(a[i]) * b[j];
        std::uint64_t add[2] = {static_cast<std::uint64_t>(pr),
                                static_cast<std::uint64_t>(pr >> 64)};
        std::uint64_t carry = 0;
        for (std::size_t k = i + j; k < 8; ++k) {
          const std::uint64_t v = k - (i + j) < 2 ? add[k - (i + j)] : 0;
          const vdaf::uint128 s = static_cast<vdaf::uint128>(t[k]) + v + carry;
          t[k] = static_cast<std::uint64_t>(s);
          carry = static_cast<std::uint64_t>(s >> 64);
        }
      }
    }
    return mod(t);
  }
};

Field255 elem(std::string_view hex) { return Field255::from_int(from_hex(hex)); }
std::string hex(const Field255& x) { return to_hex(x.as_int()); }

// ---------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------

TEST(Field255, Constants) {
  EXPECT_STREQ(Field255::NAME, "Field255");
  EXPECT_EQ(to_hex(Field255::MODULUS),
            "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed");
  EXPECT_TRUE(Field255::MODULUS == kP);
  EXPECT_EQ(hex(Field255::zero()), std::string(64, '0'));
  EXPECT_EQ(hex(Field255::one()), std::string(63, '0') + "1");
  EXPECT_EQ(hex(Field255::from_u64(~0ULL)), std::string(48, '0') + std::string(16, 'f'));
  EXPECT_TRUE(vdaf::field_from_u64<Field255>(42) == Field255::from_u64(42));
  EXPECT_EQ(Field255::from_u64(42).as_int()[0], 42u);
}

// ---------------------------------------------------------------------------
// Known answers (Python: p = 2**255 - 19; "%064x" % ((a+b)%p), ...)
// ---------------------------------------------------------------------------

struct Arith {
  const char* a;
  const char* b;
  const char* sum;
  const char* diff;
  const char* prod;
};

constexpr Arith kArith[] = {
    {"0123456789abcdeffedcba98765432100f1e2d3c4b5a69788796a5b4c3d2e1f0",
     "7edcba98765432100123456789abcdef112233445566778899aabbccddeeff00",
     "7fffffffffffffffffffffffffffffff20406080a0c0e10121416181a1c1e0f0",
     "02468acf13579bdffdb97530eca86420fdfbf9f7f5f3f1efedebe9e7e5e3e2dd",
     "1dfd842964ad7b58aa5f2f2b64ecd40b89ac959a0f4aa16c385fff382cffd392"},
    // (p−1)·(p−1) = 1
    {"7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec",
     "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec",
     "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeb",
     "0000000000000000000000000000000000000000000000000000000000000000",
     "0000000000000000000000000000000000000000000000000000000000000001"},
    {"7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec",
     "0000000000000000000000000000000000000000000000000000000000000001",
     "0000000000000000000000000000000000000000000000000000000000000000",
     "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeb",
     "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec"},
    {"7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec",
     "0000000000000000000000000000000000000000000000000000000000000002",
     "0000000000000000000000000000000000000000000000000000000000000001",
     "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffea",
     "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeb"},
    // 2^255 − 21 = p − 2 and 2^255 − 20 = p − 1
    {"7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeb",
     "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec",
     "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffea",
     "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec",
     "0000000000000000000000000000000000000000000000000000000000000002"},
    // 2^128 · 2^128 = 2^256 ≡ 38
    {"0000000000000000000000000000000100000000000000000000000000000000",
     "0000000000000000000000000000000100000000000000000000000000000000",
     "0000000000000000000000000000000200000000000000000000000000000000",
     "0000000000000000000000000000000000000000000000000000000000000000",
     "0000000000000000000000000000000000000000000000000000000000000026"},
    {"4000000000000000000000000000000000000000000000000000000000000000",
     "0000000000000000000000000000000000000000000000000000000000000004",
     "4000000000000000000000000000000000000000000000000000000000000004",
     "3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc",
     "0000000000000000000000000000000000000000000000000000000000000026"},
    // 19 · (p+1)/2 = 19/2 = 2^254 (since 2^255 ≡ 19)
    {"0000000000000000000000000000000000000000000000000000000000000013",
     "3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7",
     "400000000000000000000000000000000000000000000000000000000000000a",
     "4000000000000000000000000000000000000000000000000000000000000009",
     "4000000000000000000000000000000000000000000000000000000000000000"},
    {"75f46ae60bd07f2b95bb2740cb9a37a8a2db9965a3f7580b530c7f500e280585",
     "45249bf4af8616d0841a9c1720695786c07fc6a59c53243e5f4f322bfe0d8680",
     "3b1906dabb5695fc19d5c357ec038f2f635b600b404a7c49b25bb17c0c358c18",
     "30cfcef15c4a685b11a08b29ab30e021e25bd2c007a433ccf3bd4d24101a7f05",
     "553532021b9efd61299ffdb7bd1d98aa95e71a29219a68a7e23f8f9457340963"},
    {"7a2c3d3171d84cef95b9abcd4ae6def0e62e055d625c20bd41cf375e8febd09a",
     "088a3156dbad003d6afaa2e04ff6bed3775c8f2f9b4391c4f3f724402f458b29",
     "02b66e884d854d2d00b44ead9add9dc45d8a948cfd9fb28235c65b9ebf315bd6",
     "71a20bda962b4cb22abf08ecfaf0201d6ed1762dc7188ef84dd8131e60a64571",
     "74960b089c0ca93feda0b382bd6fabbe3e4771801c8accc6aee58a616fb726e0"},
    {"0000000000000000000000000000000000000000000000000000000000000000",
     "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec",
     "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec",
     "0000000000000000000000000000000000000000000000000000000000000001",
     "0000000000000000000000000000000000000000000000000000000000000000"},
    {"0000000000000000000000000000000000000000000000000000000000000001",
     "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec",
     "0000000000000000000000000000000000000000000000000000000000000000",
     "0000000000000000000000000000000000000000000000000000000000000002",
     "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec"},
};

TEST(Field255, KnownAnswersArithmetic) {
  for (const Arith& r : kArith) {
    SCOPED_TRACE(std::string(r.a) + " op " + r.b);
    const Field255 a = elem(r.a), b = elem(r.b);
    EXPECT_EQ(hex(a), r.a);  // inputs are canonical
    EXPECT_EQ(hex(a + b), r.sum);
    EXPECT_EQ(hex(a - b), r.diff);
    EXPECT_EQ(hex(a * b), r.prod);
    EXPECT_EQ(hex(b * a), r.prod);
    // the reference model agrees with Python too
    EXPECT_EQ(to_hex(Ref::add(a.as_int(), b.as_int())), r.sum);
    EXPECT_EQ(to_hex(Ref::sub(a.as_int(), b.as_int())), r.diff);
    EXPECT_EQ(to_hex(Ref::mul(a.as_int(), b.as_int())), r.prod);
  }
}

TEST(Field255, KnownAnswersInverse) {
  struct Inv {
    const char* x;
    const char* inv;
  };
  constexpr Inv kInv[] = {
      {"0000000000000000000000000000000000000000000000000000000000000001",
       "0000000000000000000000000000000000000000000000000000000000000001"},
      {"0000000000000000000000000000000000000000000000000000000000000002",
       "3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7"},
      {"0000000000000000000000000000000000000000000000000000000000000003",
       "5555555555555555555555555555555555555555555555555555555555555549"},
      {"0000000000000000000000000000000000000000000000000000000000000013",
       "2f286bca1af286bca1af286bca1af286bca1af286bca1af286bca1af286bca14"},
      {"7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec",
       "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec"},
      {"7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeb",
       "3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff6"},
      {"0000000000000000000000000000000100000000000000000000000000000000",
       "5e50d79435e50d79435e50d79435e50d7ffffffffffffffffffffffffffffff2"},
      {"65ee9e54dd2fd6c14a9df414d76bb1c7cc0662685a44e0d1257a78b688dbe76c",
       "0711945e371cde070c6c08cd2b7b1900aa975f0e2fb337230f90d9b729e33e2a"},
      {"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
       "0156a6e8a59f1ce84cf3fe6bb3704486ee3ce441547929141dcf6be16377749c"},
  };
  for (const Inv& r : kInv) {
    SCOPED_TRACE(r.x);
    EXPECT_EQ(hex(elem(r.x).inv()), r.inv);
    EXPECT_TRUE(elem(r.x) * elem(r.inv) == Field255::one());
  }
  EXPECT_TRUE(Field255::zero().inv() == Field255::zero());  // documented: 0 maps to 0
}

TEST(Field255, FromIntReducesAnyValue) {
  EXPECT_EQ(hex(Field255::from_int(kP)), hex(Field255::zero()));
  EXPECT_EQ(hex(Field255::from_int(
                from_hex("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffee"))),
            hex(Field255::one()));  // p + 1
  EXPECT_EQ(hex(Field255::from_int(
                from_hex("8000000000000000000000000000000000000000000000000000000000000000"))),
            hex(Field255::from_u64(19)));  // 2^255
  EXPECT_EQ(hex(Field255::from_int({~0ULL, ~0ULL, ~0ULL, ~0ULL})),
            hex(Field255::from_u64(37)));  // 2^256 − 1 ≡ 37
}

TEST(Field255, Pow) {
  const Field255 two = Field255::from_u64(2);
  EXPECT_EQ(hex(two.pow(255u)), hex(Field255::from_u64(19)));
  EXPECT_EQ(hex(two.pow(256u)), hex(Field255::from_u64(38)));
  EXPECT_EQ(hex(Field255::from_u64(5).pow(3u)), hex(Field255::from_u64(125)));
  EXPECT_EQ(hex(Field255::from_u64(7).pow(1000u)),
            "696e0b8bcbaa670e3ad73e800edb253c13ce98465a9bb65dbce8ba8529667af8");
  EXPECT_TRUE(Field255::from_u64(9).pow(0u) == Field255::one());
}

// ---------------------------------------------------------------------------
// Codec (§6.1.1): 32 little-endian bytes, canonical only.
// ---------------------------------------------------------------------------

TEST(Field255, EncodeDecodeKnownBytes) {
  const Field255 x = elem("0123456789abcdeffedcba98765432100f1e2d3c4b5a69788796a5b4c3d2e1f0");
  std::uint8_t out[32];
  x.encode_to(out);
  EXPECT_EQ(bytes_hex(out), "f0e1d2c3b4a5968778695a4b3c2d1e0f1032547698badcfeefcdab8967452301");
  Field255 y;
  EXPECT_EQ(Field255::decode_from(out, y), 0u);
  EXPECT_TRUE(x == y);

  const Bytes pm1 = hex_bytes("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
  EXPECT_EQ(Field255::decode_from(pm1.data(), y), 0u);
  EXPECT_EQ(hex(y), "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec");
  (-Field255::one()).encode_to(out);
  EXPECT_EQ(bytes_hex(out), bytes_hex(pm1));

  const std::vector<Field255> v = {x, Field255::zero(), -Field255::one()};
  const Bytes enc = Field255::encode_vec(v);
  EXPECT_EQ(bytes_hex(enc), "f0e1d2c3b4a5968778695a4b3c2d1e0f1032547698badcfeefcdab8967452301" +
                                std::string(64, '0') +
                                "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
  EXPECT_TRUE(Field255::decode_vec(enc) == v);
  Bytes appended = {0xaa};
  Field255::encode_vec_into(appended, v);
  EXPECT_EQ(appended.size(), 1 + 96u);
}

TEST(Field255, DecodeRejectsNonCanonical) {
  const char* bad[] = {
      "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // p
      "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // p + 1
      "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // 2^255 − 1
      "0000000000000000000000000000000000000000000000000000000000000080",  // 2^255
      "0500000000000000000000000000000000000000000000000000000000000080",  // 2^255 + 5
      "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",  // 2^256 − 1
  };
  for (const char* h : bad) {
    SCOPED_TRACE(h);
    const Bytes b = hex_bytes(h);
    Field255 y;
    EXPECT_NE(Field255::decode_from(b.data(), y), 0u);
    EXPECT_THROW((void)Field255::decode_vec(b), vdaf::decode_error);
    Bytes two = Field255::encode_vec(std::vector<Field255>{Field255::one()});
    two.insert(two.end(), b.begin(), b.end());
    EXPECT_THROW((void)Field255::decode_vec(two, "Poplar1 leaf"), vdaf::decode_error);
  }
  EXPECT_THROW((void)Field255::decode_vec(Bytes(31)), vdaf::decode_error);
  EXPECT_THROW((void)Field255::decode_vec(Bytes(33)), vdaf::decode_error);
  EXPECT_TRUE(Field255::decode_vec(Bytes()).empty());
  try {
    (void)Field255::decode_vec(Bytes(40), "Poplar1 leaf");
    ADD_FAILURE() << "no throw";
  } catch (const vdaf::decode_error& e) {
    EXPECT_NE(std::string(e.what()).find("Field255"), std::string::npos) << e.what();
  }
}

// ---------------------------------------------------------------------------
// next_vec (§6.2): mask with 2^255 − 1, then reject if >= p.
// ---------------------------------------------------------------------------

TEST(Field255, SampleFromMasksThenRejects) {
  struct Case {
    const char* bytes;
    bool reject;
    const char* value;  // when accepted
  };
  const Case cases[] = {
      // all-ff → 2^255 − 1 >= p → reject
      {"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", true, nullptr},
      // 2^255 + 5 → 5
      {"0500000000000000000000000000000000000000000000000000000000000080", false,
       "0000000000000000000000000000000000000000000000000000000000000005"},
      // 2^255 → 0
      {"0000000000000000000000000000000000000000000000000000000000000080", false,
       "0000000000000000000000000000000000000000000000000000000000000000"},
      // p → reject; 2^255 + p → masked p → reject
      {"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", true, nullptr},
      {"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", true, nullptr},
      // 2^255 + p − 1 → p − 1
      {"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", false,
       "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec"},
      {"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", false,
       "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.bytes);
    const Bytes b = hex_bytes(c.bytes);
    Field255 y;
    const std::uint64_t r = Field255::sample_from(b.data(), y);
    EXPECT_EQ(r != 0, c.reject);
    if (!c.reject) {
      EXPECT_EQ(hex(y), c.value);
    }
  }
}

TEST(Field255, NextVecFromSkipsRejectedSamples) {
  // Stream: [all-ff (reject), 2^255+5 (→5), masked p (reject), 7, 2^255 (→0)].
  Bytes stream;
  for (const char* h : {"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
                        "0500000000000000000000000000000000000000000000000000000000000080",
                        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
                        "0700000000000000000000000000000000000000000000000000000000000000",
                        "0000000000000000000000000000000000000000000000000000000000000080"}) {
    const Bytes b = hex_bytes(h);
    stream.insert(stream.end(), b.begin(), b.end());
  }
  std::size_t pos = 0;
  auto next = [&](std::span<std::uint8_t> out) {
    for (auto& o : out) o = pos < stream.size() ? stream[pos++] : 0;
  };
  std::vector<Field255> got(3);
  vdaf::next_vec_from<Field255>(next, std::span<Field255>(got));
  EXPECT_TRUE(got[0] == Field255::from_u64(5));
  EXPECT_TRUE(got[1] == Field255::from_u64(7));
  EXPECT_TRUE(got[2] == Field255::zero());
}

TEST(Field255, XofTurboShake128NextVecKnownAnswer) {
  // Expected values from an independent Python TurboSHAKE128 (Keccak-p[1600,12],
  // checked against RFC 9861 §5): x = LE(stream[32k : 32k+32]) & (2^255 − 1).
  // Elements 0, 1, 3, 4 have bit 255 set in the raw stream (mask exercised).
  Bytes seed(32);
  for (std::size_t i = 0; i < 32; ++i) seed[i] = static_cast<std::uint8_t>(i);
  const std::string_view dst_s = "vdaf-cpp Field255 next_vec";
  const Bytes dst(dst_s.begin(), dst_s.end());
  const Bytes binder = {'b', 'i', 'n', 'd', 'e', 'r'};
  const char* want[] = {
      "13a2d9a2553cc834348569152d7d18ae813cc0449e052e6897a53b98aca2f71f",
      "67fc87101a91cbe68cc410d2655475934c30b711fac9db4466a1d9153adf2ee6",
      "12832f299da0f67103a74b8bf5ee8f5985b4ce84b090698ae7e0ebb6abdc1e7f",
      "54152a858a71700744dbb9fb4b948e871c15fa8b52fdae119f870d0008a7ddc3",
      "6d620319c8464c3c6b996d9ba259e44459207469d632674ed484cd0a8dcaace3",
  };
  vdaf::XofTurboShake128 xof(seed, dst, binder);
  const std::vector<Field255> v = xof.next_vec<Field255>(5);
  ASSERT_EQ(v.size(), 5u);
  for (std::size_t k = 0; k < 5; ++k) EXPECT_EQ(hex(v[k]), want[k]) << k;

  // Cross-check with the library's own byte stream: elements are the masked
  // little-endian values of consecutive 32-byte blocks (none rejected here).
  vdaf::XofTurboShake128 raw(seed, dst, binder);
  Bytes stream(5 * 32);
  raw.next(stream);
  for (std::size_t k = 0; k < 5; ++k) {
    Int x = {0, 0, 0, 0};
    for (std::size_t i = 0; i < 32; ++i)
      x[i / 8] |= static_cast<std::uint64_t>(stream[32 * k + i]) << (8 * (i % 8));
    x[3] &= 0x7fffffffffffffffULL;
    EXPECT_EQ(to_hex(x), want[k]) << k;
  }
  EXPECT_EQ(stream[31] >> 7, 1);  // bit 255 of the first raw block was set

  // expand_into_vec is the same stream.
  const auto e = vdaf::XofTurboShake128::expand_into_vec<Field255>(seed, dst, binder, 5);
  EXPECT_TRUE(e == v);
}

// ---------------------------------------------------------------------------
// Properties against the reference model
// ---------------------------------------------------------------------------

rc::Gen<std::uint64_t> gen_limb() {
  return rc::gen::resize(
      100, rc::gen::oneOf(
               rc::gen::arbitrary<std::uint64_t>(), rc::gen::arbitrary<std::uint64_t>(),
               rc::gen::element<std::uint64_t>(0, 1, ~0ULL, ~0ULL - 1, 0x7fffffffffffffffULL,
                                               0x8000000000000000ULL, 0xffffffffffffffedULL)));
}

/// Arbitrary 256-bit integers, biased towards 0, p, 2^255 and 2^256 − 1.
rc::Gen<Int> gen_int() {
  auto full = rc::gen::apply(
      [](std::uint64_t a, std::uint64_t b, std::uint64_t c, std::uint64_t d) {
        return Int{a, b, c, d};
      },
      gen_limb(), gen_limb(), gen_limb(), gen_limb());
  auto small = rc::gen::map(rc::gen::inRange<std::uint64_t>(0, 1000), [](std::uint64_t k) {
    return Int{k, 0, 0, 0};
  });
  // p − 500 .. p + 18 (limb 0 of p is 2^64 − 19, so no carry out of it)
  auto near_p = rc::gen::map(rc::gen::inRange<std::uint64_t>(0, 519), [](std::uint64_t k) {
    Int x = kP;
    x[0] = x[0] - 500 + k;
    return x;
  });
  // 2^255 .. 2^255 + 999
  auto above_2_255 = rc::gen::map(rc::gen::inRange<std::uint64_t>(0, 1000), [](std::uint64_t k) {
    return Int{k, 0, 0, 0x8000000000000000ULL};
  });
  auto near_top = rc::gen::map(rc::gen::inRange<std::uint64_t>(0, 1000), [](std::uint64_t k) {
    return Int{~0ULL - k, ~0ULL, ~0ULL, (k & 1) != 0 ? ~0ULL : 0x7fffffffffffffffULL};
  });
  return rc::gen::resize(100,
                         rc::gen::oneOf(full, full, full, small, near_p, near_top, above_2_255));
}
rc::Gen<Int> gen_canonical() {
  return rc::gen::map(gen_int(), [](const Int& x) { return Ref::mod(x); });
}
rc::Gen<Field255> gen_elem() {
  return rc::gen::map(gen_int(), [](const Int& x) { return Field255::from_int(x); });
}

RC_GTEST_PROP(Field255Props, FromIntMatchesReference, ()) {
  const Int x = *gen_int();
  const Int want = Ref::mod(x);
  RC_ASSERT(Field255::from_int(x).as_int() == want);
}

RC_GTEST_PROP(Field255Props, ArithmeticMatchesReference, ()) {
  const Int a = *gen_canonical(), b = *gen_canonical();
  const Field255 fa = Field255::from_int(a), fb = Field255::from_int(b);
  RC_ASSERT((fa + fb).as_int() == Ref::add(a, b));
  RC_ASSERT((fa - fb).as_int() == Ref::sub(a, b));
  RC_ASSERT((fa * fb).as_int() == Ref::mul(a, b));
  RC_ASSERT((-fa).as_int() == Ref::sub(Int{0, 0, 0, 0}, a));
}

RC_GTEST_PROP(Field255Props, RingLaws, ()) {
  const Field255 a = *gen_elem(), b = *gen_elem(), c = *gen_elem();
  RC_ASSERT(a + b == b + a);
  RC_ASSERT(a * b == b * a);
  RC_ASSERT((a + b) + c == a + (b + c));
  RC_ASSERT((a * b) * c == a * (b * c));
  RC_ASSERT(a * (b + c) == a * b + a * c);
  RC_ASSERT(a + Field255::zero() == a);
  RC_ASSERT(a * Field255::one() == a);
  RC_ASSERT(a - a == Field255::zero());
  RC_ASSERT(a + (-a) == Field255::zero());
  RC_ASSERT((a - b) + b == a);
  Field255 d = a;
  d += b;
  d *= c;
  d -= c;
  RC_ASSERT(d == (a + b) * c - c);
}

RC_GTEST_PROP(Field255Props, Inverse, ()) {
  const Field255 a = *gen_elem();
  if (a == Field255::zero()) {
    RC_ASSERT(a.inv() == Field255::zero());
  } else {
    RC_ASSERT(a * a.inv() == Field255::one());
    RC_ASSERT(a.inv().inv() == a);
  }
}

RC_GTEST_PROP(Field255Props, PowMatchesRepeatedMul, ()) {
  const Field255 a = *gen_elem();
  const unsigned e = *rc::gen::inRange(0u, 70u);
  Field255 want = Field255::one();
  for (unsigned i = 0; i < e; ++i) want *= a;
  RC_ASSERT(a.pow(e) == want);
}

RC_GTEST_PROP(Field255Props, CodecRoundTripAndCanonicalCheck, ()) {
  const Int x = *gen_int();
  const Bytes b = le_bytes(x);
  Field255 y;
  const std::uint64_t bad = Field255::decode_from(b.data(), y);
  RC_ASSERT((bad != 0) == Ref::ge(x, kP));
  if (bad == 0) {
    RC_ASSERT(y.as_int() == x);
    std::uint8_t out[32];
    y.encode_to(out);
    RC_ASSERT(Bytes(out, out + 32) == b);
  }
  // the decoded value is always a valid (reduced) element
  RC_ASSERT(y.as_int() == Ref::mod(x));
}

RC_GTEST_PROP(Field255Props, SampleFromIsMaskThenCompare, ()) {
  const Int x = *gen_int();
  const Bytes b = le_bytes(x);
  Int masked = x;
  masked[3] &= 0x7fffffffffffffffULL;
  Field255 y;
  const std::uint64_t reject = Field255::sample_from(b.data(), y);
  RC_ASSERT((reject != 0) == Ref::ge(masked, kP));
  if (reject == 0) RC_ASSERT(y.as_int() == masked);
}

RC_GTEST_PROP(Field255Props, VectorCodecRoundTrip, ()) {
  const auto n = *rc::gen::inRange<std::size_t>(0, 8);
  std::vector<Field255> v;
  for (std::size_t i = 0; i < n; ++i) v.push_back(*gen_elem());
  const Bytes enc = Field255::encode_vec(v);
  RC_ASSERT(enc.size() == 32 * n);
  RC_ASSERT(Field255::decode_vec(enc) == v);
  std::vector<Field255> sum = v;
  vdaf::vec_add<Field255>(sum, v);
  vdaf::vec_scale<Field255>(v, Field255::from_u64(2));
  RC_ASSERT(sum == v);
}

}  // namespace
