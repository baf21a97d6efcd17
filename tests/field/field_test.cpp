// Field64 and Field128 (draft-irtf-cfrg-vdaf-20 §6.1): known answers computed
// with Python big integers, the vector codec (little-endian, canonical only),
// and RapidCheck laws against an independent reference model of arithmetic
// mod p (uint128 for Field64, double-and-add on uint128 for Field128).
#include "vdaf/field/field.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace {

using vdaf::Field128;
using vdaf::Field64;
using vdaf::uint128;

constexpr uint128 u128(std::uint64_t hi, std::uint64_t lo) {
  return (static_cast<uint128>(hi) << 64) | lo;
}

constexpr std::uint64_t kP64 = 0xffffffff00000001ULL;
constexpr uint128 kP128 = u128(0xffffffffffffffe4ULL, 0x0000000000000001ULL);

std::string hex128(uint128 x) {
  static const char* d = "0123456789abcdef";
  std::string s(32, '0');
  for (int i = 31; i >= 0; --i) {
    s[static_cast<std::size_t>(i)] = d[static_cast<unsigned>(x & 0xf)];
    x >>= 4;
  }
  return "0x" + s;
}

// ---------------------------------------------------------------------------
// Reference models (independent of the library's reduction code)
// ---------------------------------------------------------------------------

struct Ref64 {
  static std::uint64_t reduce(std::uint64_t a) { return a % kP64; }
  static std::uint64_t add(std::uint64_t a, std::uint64_t b) {
    return static_cast<std::uint64_t>((static_cast<uint128>(a) + b) % kP64);
  }
  static std::uint64_t sub(std::uint64_t a, std::uint64_t b) {
    return static_cast<std::uint64_t>((static_cast<uint128>(a) + kP64 - b) % kP64);
  }
  static std::uint64_t mul(std::uint64_t a, std::uint64_t b) {
    return static_cast<std::uint64_t>((static_cast<uint128>(a) * b) % kP64);
  }
};

struct Ref128 {
  static uint128 reduce(uint128 a) { return a % kP128; }
  /// (a + b) mod p for a, b < p (the true sum may exceed 2^128).
  static uint128 add(uint128 a, uint128 b) {
    uint128 s = a + b;
    if (s < a || s >= kP128) s -= kP128;
    return s;
  }
  static uint128 sub(uint128 a, uint128 b) { return a >= b ? a - b : a + (kP128 - b); }
  /// Double-and-add, most significant bit of b first.
  static uint128 mul(uint128 a, uint128 b) {
    uint128 r = 0;
    for (int i = 127; i >= 0; --i) {
      r = add(r, r);
      if (((b >> i) & 1) != 0) r = add(r, a);
    }
    return r;
  }
};

template <class F>
struct Traits;
template <>
struct Traits<Field64> {
  using Ref = Ref64;
  static constexpr std::uint64_t P = kP64;
};
template <>
struct Traits<Field128> {
  using Ref = Ref128;
  static constexpr uint128 P = kP128;
};

// ---------------------------------------------------------------------------
// Generators: full-range integers mixed with edge values and small values.
// ---------------------------------------------------------------------------

template <class F>
rc::Gen<typename F::Int> gen_int();

template <>
rc::Gen<std::uint64_t> gen_int<Field64>() {
  // resize(100): every alternative is equally likely at every RapidCheck size.
  return rc::gen::resize(
      100, rc::gen::oneOf(rc::gen::resize(100, rc::gen::arbitrary<std::uint64_t>()),
                          rc::gen::resize(100, rc::gen::arbitrary<std::uint64_t>()),
                          rc::gen::inRange<std::uint64_t>(0, 1000),
                          rc::gen::map(rc::gen::inRange<std::uint64_t>(0, 1000),
                                       [](std::uint64_t x) { return kP64 - 1 - x; }),
                          rc::gen::element<std::uint64_t>(
                              0, 1, 2, kP64 - 1, kP64 - 2, kP64, kP64 + 1, ~0ULL, 0xffffffffULL,
                              0x100000000ULL, 0x8000000000000000ULL, 0xfffffffeffffffffULL)));
}

template <>
rc::Gen<uint128> gen_int<Field128>() {
  auto full = rc::gen::map(rc::gen::resize(100, rc::gen::arbitrary<std::uint64_t>()),
                           [](std::uint64_t x) { return x; });
  auto wide =
      rc::gen::apply([](std::uint64_t h, std::uint64_t l) { return u128(h, l); }, full, full);
  return rc::gen::resize(
      100,
      rc::gen::oneOf(wide, wide,
                     rc::gen::map(rc::gen::inRange<std::uint64_t>(0, 1000),
                                  [](std::uint64_t x) { return static_cast<uint128>(x); }),
                     rc::gen::map(rc::gen::inRange<std::uint64_t>(0, 1000),
                                  [](std::uint64_t x) { return kP128 - 1 - x; }),
                     rc::gen::map(full, [](std::uint64_t x) { return static_cast<uint128>(x); }),
                     rc::gen::element<uint128>(0, 1, 2, kP128 - 1, kP128 - 2, kP128, kP128 + 1,
                                               ~static_cast<uint128>(0), u128(1, 0), u128(0, ~0ULL),
                                               u128(0x8000000000000000ULL, 0), u128(4, 0),
                                               u128(0xffffffffffffffe3ULL, ~0ULL))));
}

/// Canonical integers in [0, p).
template <class F>
rc::Gen<typename F::Int> gen_canonical() {
  return rc::gen::map(gen_int<F>(), [](typename F::Int x) { return x % Traits<F>::P; });
}

template <class F>
rc::Gen<F> gen_elem() {
  return rc::gen::map(gen_int<F>(), [](typename F::Int x) { return F::from_int(x); });
}

// ---------------------------------------------------------------------------
// Known answers
// ---------------------------------------------------------------------------

template <class Int>
struct Row {
  Int a, b, sum, diff, prod;
};

const Row<std::uint64_t> kRows64[] = {
    {0x123456789abcdef0ULL, 0xfedcba9876543210ULL, 0x11111112111110ffULL, 0x13579bdf2468ace1ULL,
     0xfaeafd1f6c7bbad4ULL},
    {0xffffffff00000000ULL, 0xffffffff00000000ULL, 0xfffffffeffffffffULL, 0x0000000000000000ULL,
     0x0000000000000001ULL},
    {0xffffffff00000000ULL, 0x0000000000000002ULL, 0x0000000000000001ULL, 0xfffffffefffffffeULL,
     0xfffffffeffffffffULL},
    {0x0000000100000000ULL, 0x0000000100000000ULL, 0x0000000200000000ULL, 0x0000000000000000ULL,
     0x00000000ffffffffULL},
    {0x8000000000000000ULL, 0x8000000000000000ULL, 0x00000000ffffffffULL, 0x0000000000000000ULL,
     0xfffffffec0000001ULL},
    {0x00000000ffffffffULL, 0x0000000100000001ULL, 0x0000000200000000ULL, 0xfffffffeffffffffULL,
     0x00000000fffffffeULL},
    {0x0000000000000000ULL, 0xffffffff00000000ULL, 0xffffffff00000000ULL, 0x0000000000000001ULL,
     0x0000000000000000ULL},
    {0x0000000000000001ULL, 0xffffffff00000000ULL, 0x0000000000000000ULL, 0x0000000000000002ULL,
     0xffffffff00000000ULL},
    {0x0001000000003039ULL, 0x00000100000003e7ULL, 0x0001010000003420ULL, 0x0000ff0000002c52ULL,
     0x051738ffffbc2e6fULL},
    {0xdeadbeefcafebabeULL, 0x0123456789abcdefULL, 0xdfd1045754aa88adULL, 0xdd8a79884152eccfULL,
     0x6d692a11fa948166ULL},
};

const Row<uint128> kRows128[] = {
    {u128(0x0123456789abcdefULL, 0xfedcba9876543210ULL),
     u128(0xdeadbeefcafebabeULL, 0x0011223344556677ULL),
     u128(0xdfd1045754aa88adULL, 0xfeeddccbbaa99887ULL),
     u128(0x22758677bead1315ULL, 0xfecb986531fecb9aULL),
     u128(0xd14e747bbcf0259dULL, 0x7b602f8f04df122eULL)},
    {u128(0xffffffffffffffe4ULL, 0x0000000000000000ULL),
     u128(0xffffffffffffffe4ULL, 0x0000000000000000ULL),
     u128(0xffffffffffffffe3ULL, 0xffffffffffffffffULL), u128(0, 0), u128(0, 1)},
    {u128(0xffffffffffffffe4ULL, 0x0000000000000000ULL), u128(0, 2), u128(0, 1),
     u128(0xffffffffffffffe3ULL, 0xfffffffffffffffeULL),
     u128(0xffffffffffffffe3ULL, 0xffffffffffffffffULL)},
    {u128(1, 0), u128(1, 0), u128(2, 0), u128(0, 0),
     u128(0x000000000000001bULL, 0xffffffffffffffffULL)},
    {u128(0x8000000000000000ULL, 0), u128(0x8000000000000000ULL, 0),
     u128(0x000000000000001bULL, 0xffffffffffffffffULL), u128(0, 0),
     u128(0xc00000000000154cULL, 0xffffffffffffff3dULL)},
    {u128(4, 0), u128(0, 0x4000000000000000ULL), u128(4, 0x4000000000000000ULL),
     u128(3, 0xc000000000000000ULL), u128(0x000000000000001bULL, 0xffffffffffffffffULL)},
    {u128(0, 0), u128(0xffffffffffffffe4ULL, 0), u128(0xffffffffffffffe4ULL, 0), u128(0, 1),
     u128(0, 0)},
    {u128(0, 1), u128(0xffffffffffffffe4ULL, 0), u128(0, 0), u128(0, 2),
     u128(0xffffffffffffffe4ULL, 0)},
    {u128(0, ~0ULL), u128(0, ~0ULL), u128(1, 0xfffffffffffffffeULL), u128(0, 0), u128(0x1a, 0)},
    {u128(0xffffffffffffffe3ULL, ~0ULL), u128(0x7fffffffffffffffULL, ~0ULL),
     u128(0x7fffffffffffffffULL, 0xfffffffffffffffdULL), u128(0x7fffffffffffffe4ULL, 0),
     u128(0xffffffffffffffc8ULL, 4)},
};

TEST(Field64, Constants) {
  EXPECT_EQ(Field64::MODULUS, kP64);
  EXPECT_EQ(Field64::ENCODED_SIZE, 8u);
  EXPECT_EQ(Field64::GEN_ORDER_LOG2, 32u);
  EXPECT_EQ(Field64::zero().as_int(), 0u);
  EXPECT_EQ(Field64::one().as_int(), 1u);
  // gen = 7^(2^32 − 1) mod p.
  EXPECT_EQ(Field64::gen().as_int(), 0x185629dcda58878cULL);
}

TEST(Field128, Constants) {
  EXPECT_TRUE(Field128::MODULUS == kP128);
  EXPECT_EQ(Field128::ENCODED_SIZE, 16u);
  EXPECT_EQ(Field128::GEN_ORDER_LOG2, 66u);
  EXPECT_TRUE(Field128::zero().as_int() == 0);
  EXPECT_TRUE(Field128::one().as_int() == 1);
  // gen = 7^(2^62 − 7) mod p.
  EXPECT_EQ(hex128(Field128::gen().as_int()),
            hex128(u128(0x6d278fbf4f60228bULL, 0x1f9b2759c5109f06ULL)));
}

TEST(Field64, KnownAnswers) {
  for (const auto& r : kRows64) {
    SCOPED_TRACE(hex128(r.a) + " " + hex128(r.b));
    const Field64 a = Field64::from_int(r.a), b = Field64::from_int(r.b);
    EXPECT_EQ((a + b).as_int(), r.sum);
    EXPECT_EQ((a - b).as_int(), r.diff);
    EXPECT_EQ((a * b).as_int(), r.prod);
    Field64 c = a;
    c += b;
    EXPECT_EQ(c.as_int(), r.sum);
    c = a;
    c -= b;
    EXPECT_EQ(c.as_int(), r.diff);
    c = a;
    c *= b;
    EXPECT_EQ(c.as_int(), r.prod);
  }
}

TEST(Field128, KnownAnswers) {
  for (const auto& r : kRows128) {
    SCOPED_TRACE(hex128(r.a) + " " + hex128(r.b));
    const Field128 a = Field128::from_int(r.a), b = Field128::from_int(r.b);
    EXPECT_EQ(hex128((a + b).as_int()), hex128(r.sum));
    EXPECT_EQ(hex128((a - b).as_int()), hex128(r.diff));
    EXPECT_EQ(hex128((a * b).as_int()), hex128(r.prod));
    Field128 c = a;
    c += b;
    EXPECT_EQ(hex128(c.as_int()), hex128(r.sum));
    c = a;
    c -= b;
    EXPECT_EQ(hex128(c.as_int()), hex128(r.diff));
    c = a;
    c *= b;
    EXPECT_EQ(hex128(c.as_int()), hex128(r.prod));
  }
}

TEST(Field64, Inverses) {
  const std::pair<std::uint64_t, std::uint64_t> cases[] = {
      {1, 1},
      {2, 0x7fffffff80000001ULL},
      {3, 0xaaaaaaaa00000001ULL},
      {7, 0x249249246db6db6eULL},
      {0x0000000100000000ULL, 0xfffffffe00000002ULL},
      {0xffffffff00000000ULL, 0xffffffff00000000ULL},
      {0x123456789abcdef0ULL, 0xcc82422076a04151ULL},
  };
  for (const auto& [x, want] : cases) {
    EXPECT_EQ(Field64::from_int(x).inv().as_int(), want) << hex128(x);
    EXPECT_EQ((Field64::from_int(x) * Field64::from_int(want)).as_int(), 1u);
  }
  EXPECT_EQ(Field64::zero().inv().as_int(), 0u);  // documented: 0 maps to 0
}

// Field64::inv is an addition chain; it must equal square-and-multiply x^(p−2) everywhere.
TEST(Field64, InverseChainEqualsPow) {
  std::uint64_t s = 0x696e76ULL;
  std::vector<std::uint64_t> xs = {0,
                                   1,
                                   2,
                                   Field64::MODULUS - 1,
                                   Field64::MODULUS - 2,
                                   0xffffffffULL,
                                   0x100000000ULL,
                                   0xfffffffeffffffffULL};
  for (int i = 0; i < 20000; ++i) {
    s += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = s;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    xs.push_back(z ^ (z >> 31));
  }
  for (std::uint64_t x : xs) {
    const Field64 a = Field64::from_int(x);
    const Field64 want = a.pow(Field64::MODULUS - 2);
    ASSERT_EQ(a.inv().as_int(), want.as_int()) << hex128(x);
    if (a.as_int() != 0) {
      ASSERT_EQ((a * a.inv()).as_int(), 1u) << hex128(x);
    }
  }
  static_assert(Field64::from_int(3).inv().as_int() == 0xaaaaaaaa00000001ULL);
}

TEST(Field128, Inverses) {
  const std::pair<uint128, uint128> cases[] = {
      {1, 1},
      {2, u128(0x7ffffffffffffff2ULL, 1)},
      {3, u128(0xaaaaaaaaaaaaaa98ULL, 1)},
      {7, u128(0x9249249249249239ULL, 0x2492492492492493ULL)},
      {u128(1, 0), u128(0xffffffffffffffe3ULL, 0x1d)},
      {u128(0x8000000000000000ULL, 0), u128(0xffffffffffffffacULL, 0x61f)},
      {kP128 - 1, kP128 - 1},
      {u128(0x0123456789abcdefULL, 0xfedcba9876543210ULL),
       u128(0x87d5ef4c31137c62ULL, 0x0e478d5a01db170dULL)},
  };
  for (const auto& [x, want] : cases) {
    EXPECT_EQ(hex128(Field128::from_int(x).inv().as_int()), hex128(want)) << hex128(x);
    EXPECT_TRUE((Field128::from_int(x) * Field128::from_int(want)) == Field128::one());
  }
  EXPECT_TRUE(Field128::zero().inv() == Field128::zero());
}

TEST(Field64, FromIntReducesAndNeg) {
  EXPECT_EQ(Field64::from_int(kP64).as_int(), 0u);
  EXPECT_EQ(Field64::from_int(kP64 + 1).as_int(), 1u);
  EXPECT_EQ(Field64::from_int(~0ULL).as_int(), 0xfffffffeULL);
  EXPECT_EQ((-Field64::one()).as_int(), kP64 - 1);
  EXPECT_EQ((-Field64::zero()).as_int(), 0u);
  EXPECT_EQ(Field64::from_int(5).pow(3u).as_int(), 125u);
  EXPECT_EQ(Field64::from_int(2).pow(64u).as_int(), 0xffffffffULL);  // 2^64 ≡ 2^32 − 1
  EXPECT_EQ(vdaf::field_from_u64<Field64>(42).as_int(), 42u);
}

TEST(Field128, FromIntReducesAndNeg) {
  EXPECT_TRUE(Field128::from_int(kP128).as_int() == 0);
  EXPECT_TRUE(Field128::from_int(kP128 + 1).as_int() == 1);
  EXPECT_EQ(hex128(Field128::from_int(~static_cast<uint128>(0)).as_int()),
            hex128(u128(0x1b, 0xfffffffffffffffeULL)));
  EXPECT_EQ(hex128((-Field128::one()).as_int()), hex128(kP128 - 1));
  EXPECT_TRUE((-Field128::zero()).as_int() == 0);
  EXPECT_TRUE(Field128::from_int(5).pow(3u).as_int() == 125);
  // 2^128 ≡ 2^128 − p = 7·2^66 − 1.
  EXPECT_EQ(hex128(Field128::from_int(2).pow(128u).as_int()),
            hex128(u128(0x1b, 0xffffffffffffffffULL)));
  EXPECT_TRUE(vdaf::field_from_u64<Field128>(42).as_int() == 42);
}

// field_from_bit (the encodings' 0/1 elements; Field128 masks R1 instead of multiplying) gives
// exactly from_u64's elements: 0 and 1, equal limb for limb.
TEST(Field128, FromBitEqualsFromU64) {
  EXPECT_TRUE(vdaf::field_from_bit<Field128>(0) == Field128::zero());
  EXPECT_TRUE(vdaf::field_from_bit<Field128>(1) == Field128::one());
  EXPECT_TRUE(vdaf::field_from_bit<Field128>(1).as_int() == 1);
  EXPECT_TRUE(vdaf::field_from_bit<Field128>(0).as_int() == 0);
  EXPECT_TRUE(vdaf::field_from_bit<Field64>(1) == Field64::from_u64(1));
  EXPECT_TRUE(vdaf::field_from_bit<Field64>(0) == Field64::zero());
  static_assert(vdaf::field_from_bit<Field128>(1) == Field128::one());
}

template <class F>
void check_generator_order() {
  const F g = F::gen();
  const F minus_one = -F::one();
  // g^(2^(LOG2−1)) == −1 and g^(2^LOG2) == 1: the order is exactly 2^LOG2.
  F x = g;
  for (unsigned i = 0; i + 1 < F::GEN_ORDER_LOG2; ++i) {
    EXPECT_FALSE(x == F::one()) << "order divides 2^" << i;
    x *= x;
  }
  EXPECT_TRUE(x == minus_one);
  x *= x;
  EXPECT_TRUE(x == F::one());
  // nth_root(k) has order exactly 2^k.
  for (unsigned k = 0; k <= F::GEN_ORDER_LOG2; ++k) {
    F w = vdaf::nth_root<F>(k);
    for (unsigned i = 0; i < k; ++i) w *= w;
    EXPECT_TRUE(w == F::one()) << k;
    if (k > 0) {
      F h = vdaf::nth_root<F>(k);
      for (unsigned i = 0; i + 1 < k; ++i) h *= h;
      EXPECT_TRUE(h == minus_one) << k;
    }
  }
  EXPECT_TRUE(vdaf::nth_root<F>(F::GEN_ORDER_LOG2) == g);
}

TEST(Field64, GeneratorOrder) { check_generator_order<Field64>(); }
TEST(Field128, GeneratorOrder) { check_generator_order<Field128>(); }

// ---------------------------------------------------------------------------
// Codec
// ---------------------------------------------------------------------------

TEST(Field64, EncodeKnownBytes) {
  const std::vector<Field64> v = {Field64::from_int(0x0102030405060708ULL), Field64::zero(),
                                  Field64::from_int(kP64 - 1)};
  const vdaf::Bytes want = {0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,  //
                            0,    0,    0,    0,    0,    0,    0,    0,     //
                            0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff};
  EXPECT_EQ(Field64::encode_vec(v), want);
  const auto back = Field64::decode_vec(want);
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[0].as_int(), 0x0102030405060708ULL);
  EXPECT_EQ(back[1].as_int(), 0u);
  EXPECT_EQ(back[2].as_int(), kP64 - 1);
  vdaf::Bytes appended = {0xaa};
  Field64::encode_vec_into(appended, v);
  ASSERT_EQ(appended.size(), 25u);
  EXPECT_EQ(appended[0], 0xaa);
  EXPECT_TRUE(std::equal(want.begin(), want.end(), appended.begin() + 1));
  EXPECT_TRUE(Field64::encode_vec({}).empty());
  EXPECT_TRUE(Field64::decode_vec({}).empty());
}

TEST(Field128, EncodeKnownBytes) {
  const std::vector<Field128> v = {
      Field128::from_int(u128(0x100f0e0d0c0b0a09ULL, 0x0807060504030201ULL)),
      Field128::from_int(kP128 - 1)};
  const vdaf::Bytes want = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
                            0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                            0x00, 0x00, 0xe4, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  EXPECT_EQ(Field128::encode_vec(v), want);
  const auto back = Field128::decode_vec(want);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_TRUE(back[0] == v[0]);
  EXPECT_TRUE(back[1] == v[1]);
}

vdaf::Bytes le_bytes(uint128 x, std::size_t n) {
  vdaf::Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(x >> (8 * i));
  return b;
}

template <class F>
void check_decode_rejects() {
  const std::size_t n = F::ENCODED_SIZE;
  const uint128 p = Traits<F>::P;
  const uint128 top = n == 8 ? static_cast<uint128>(~0ULL) : ~static_cast<uint128>(0);
  // p − 1 is accepted, p, p + 1, and all-ff are not.
  EXPECT_NO_THROW(F::decode_vec(le_bytes(p - 1, n)));
  for (uint128 bad : {p, p + 1, p + 0x1000, top}) {
    SCOPED_TRACE(hex128(bad));
    EXPECT_THROW(F::decode_vec(le_bytes(bad, n)), vdaf::decode_error);
    // A bad element anywhere in a vector rejects the whole vector.
    vdaf::Bytes v = le_bytes(1, n);
    vdaf::Bytes b = le_bytes(bad, n);
    v.insert(v.end(), b.begin(), b.end());
    vdaf::Bytes c = le_bytes(2, n);
    v.insert(v.end(), c.begin(), c.end());
    EXPECT_THROW(F::decode_vec(v), vdaf::decode_error);
  }
  // Lengths not a multiple of ENCODED_SIZE.
  for (std::size_t len : {std::size_t{1}, n - 1, n + 1, 2 * n - 1, 3 * n + 5}) {
    SCOPED_TRACE(len);
    vdaf::Bytes b(len, 0);
    try {
      F::decode_vec(b);
      ADD_FAILURE() << "no exception for length " << len;
    } catch (const vdaf::decode_error& e) {
      EXPECT_NE(std::string(e.what()).find("multiple"), std::string::npos) << e.what();
    }
  }
  try {
    F::decode_vec(le_bytes(p, n));
    ADD_FAILURE() << "no exception";
  } catch (const vdaf::decode_error& e) {
    EXPECT_NE(std::string(e.what()).find("modulus"), std::string::npos) << e.what();
  }
}

TEST(Field64, DecodeRejects) { check_decode_rejects<Field64>(); }
TEST(Field128, DecodeRejects) { check_decode_rejects<Field128>(); }

TEST(Field64, DecodeIntoSecretVector) {
  vdaf::secret_vector<Field64> out;
  Field64::decode_vec_into(out, le_bytes(77, 8));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].as_int(), 77u);
}

TEST(Field64, VectorHelpers) {
  std::vector<Field64> a = {Field64::from_int(1), Field64::from_int(2), Field64::from_int(3)};
  const std::vector<Field64> b = {Field64::from_int(10), Field64::from_int(kP64 - 1),
                                  Field64::from_int(5)};
  vdaf::vec_add<Field64>(a, b);
  EXPECT_EQ(a[0].as_int(), 11u);
  EXPECT_EQ(a[1].as_int(), 1u);
  EXPECT_EQ(a[2].as_int(), 8u);
  vdaf::vec_sub<Field64>(a, b);
  EXPECT_EQ(a[0].as_int(), 1u);
  EXPECT_EQ(a[1].as_int(), 2u);
  EXPECT_EQ(a[2].as_int(), 3u);
  vdaf::vec_scale<Field64>(a, Field64::from_int(kP64 - 1));
  EXPECT_EQ(a[0].as_int(), kP64 - 1);
  EXPECT_EQ(a[2].as_int(), kP64 - 3);
}

// ---------------------------------------------------------------------------
// Laws (RapidCheck), instantiated for both fields
// ---------------------------------------------------------------------------

template <class F>
void law_commutative() {
  const F a = *gen_elem<F>(), b = *gen_elem<F>();
  RC_ASSERT(a + b == b + a);
  RC_ASSERT(a * b == b * a);
}
template <class F>
void law_associative() {
  const F a = *gen_elem<F>(), b = *gen_elem<F>(), c = *gen_elem<F>();
  RC_ASSERT((a + b) + c == a + (b + c));
  RC_ASSERT((a * b) * c == a * (b * c));
}
template <class F>
void law_distributive() {
  const F a = *gen_elem<F>(), b = *gen_elem<F>(), c = *gen_elem<F>();
  RC_ASSERT(a * (b + c) == a * b + a * c);
  RC_ASSERT((a - b) * c == a * c - b * c);
}
template <class F>
void law_identities_and_inverses() {
  const F a = *gen_elem<F>(), b = *gen_elem<F>();
  RC_ASSERT(a + F::zero() == a);
  RC_ASSERT(a * F::one() == a);
  RC_ASSERT(a * F::zero() == F::zero());
  RC_ASSERT(a + (-a) == F::zero());
  RC_ASSERT(a - a == F::zero());
  RC_ASSERT(F::zero() - a == -a);
  RC_ASSERT(a - b + b == a);
  RC_ASSERT(a + b - b == a);
  RC_ASSERT(-(-a) == a);
  if (a == F::zero()) {
    RC_ASSERT(a.inv() == F::zero());
  } else {
    RC_ASSERT(a * a.inv() == F::one());
    RC_ASSERT(a.inv().inv() == a);
  }
}
template <class F>
void law_from_int_as_int() {
  using Int = typename F::Int;
  const Int x = *gen_int<F>();
  const Int want = x % Traits<F>::P;
  RC_ASSERT(F::from_int(x).as_int() == want);
  // as_int is canonical and from_int(as_int(v)) == v.
  const F v = F::from_int(x);
  RC_ASSERT(v.as_int() < Traits<F>::P);
  RC_ASSERT(F::from_int(v.as_int()) == v);
  // Equality is equality of canonical values.
  const Int y = *gen_int<F>();
  RC_ASSERT((F::from_int(x) == F::from_int(y)) == (x % Traits<F>::P == y % Traits<F>::P));
}
template <class F>
void law_matches_reference() {
  using Ref = typename Traits<F>::Ref;
  const auto x = *gen_canonical<F>(), y = *gen_canonical<F>();
  const F a = F::from_int(x), b = F::from_int(y);
  RC_ASSERT((a * b).as_int() == Ref::mul(x, y));
  RC_ASSERT((a + b).as_int() == Ref::add(x, y));
  RC_ASSERT((a - b).as_int() == Ref::sub(x, y));
  RC_ASSERT((-a).as_int() == Ref::sub(0, x));
  RC_ASSERT((a * a).as_int() == Ref::mul(x, x));
  // pow against repeated reference multiplication (small public exponent).
  const unsigned e = *rc::gen::resize(100, rc::gen::inRange(0u, 20u));
  typename F::Int want = 1;
  for (unsigned i = 0; i < e; ++i) want = Ref::mul(want, x);
  RC_ASSERT(a.pow(e).as_int() == want);
}
template <class F>
void law_codec_round_trip() {
  const auto v = *rc::gen::container<std::vector<F>>(gen_elem<F>());
  const vdaf::Bytes b = F::encode_vec(v);
  RC_ASSERT(b.size() == v.size() * F::ENCODED_SIZE);
  const std::vector<F> back = F::decode_vec(b);
  RC_ASSERT(back.size() == v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    RC_ASSERT(back[i] == v[i]);
    // Little-endian canonical integer.
    typename F::Int x = 0;
    for (std::size_t k = F::ENCODED_SIZE; k-- > 0;) {
      x = static_cast<typename F::Int>((x << 8) | b[i * F::ENCODED_SIZE + k]);
    }
    RC_ASSERT(x == v[i].as_int());
  }
  RC_ASSERT(F::encode_vec(back) == b);
}
template <class F>
void law_decode_canonical_only() {
  const auto x = *gen_int<F>();
  const vdaf::Bytes b = le_bytes(x, F::ENCODED_SIZE);
  if (x < Traits<F>::P) {
    RC_ASSERT(F::decode_vec(b)[0].as_int() == x);
  } else {
    RC_ASSERT_THROWS_AS(F::decode_vec(b), vdaf::decode_error);
  }
}

#define VDAF_FIELD_LAW(Law)                               \
  RC_GTEST_PROP(Field64Laws, Law, ()) { Law<Field64>(); } \
  RC_GTEST_PROP(Field128Laws, Law, ()) { Law<Field128>(); }

VDAF_FIELD_LAW(law_commutative)
VDAF_FIELD_LAW(law_associative)
VDAF_FIELD_LAW(law_distributive)
VDAF_FIELD_LAW(law_identities_and_inverses)
VDAF_FIELD_LAW(law_from_int_as_int)
VDAF_FIELD_LAW(law_matches_reference)
VDAF_FIELD_LAW(law_codec_round_trip)
VDAF_FIELD_LAW(law_decode_canonical_only)

// The reference models themselves, on the known-answer rows.
TEST(FieldReference, AgreesWithKnownAnswers) {
  for (const auto& r : kRows64) {
    EXPECT_EQ(Ref64::mul(r.a, r.b), r.prod);
    EXPECT_EQ(Ref64::add(r.a, r.b), r.sum);
    EXPECT_EQ(Ref64::sub(r.a, r.b), r.diff);
  }
  for (const auto& r : kRows128) {
    EXPECT_EQ(hex128(Ref128::mul(r.a, r.b)), hex128(r.prod));
    EXPECT_EQ(hex128(Ref128::add(r.a, r.b)), hex128(r.sum));
    EXPECT_EQ(hex128(Ref128::sub(r.a, r.b)), hex128(r.diff));
  }
}

}  // namespace
