// Field128 arithmetic: the x86-64 intrinsic limb path (adc/sbb, mulx with
// BMI2) against the portable path, and both against an independent
// shift-and-add modular multiplication on canonical integers.
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "vdaf/field/field.hpp"

namespace {

using vdaf::Field128;
using vdaf::uint128;

constexpr uint128 kP = Field128::MODULUS;

// (a + b) mod p for a, b < p, without overflow tricks in the field code.
uint128 add_mod(uint128 a, uint128 b) {
  const uint128 s = a + b;
  return (s < a || s >= kP) ? s - kP : s;
}
// a·b mod p by shift-and-add (slow, independent reference).
uint128 mul_mod(uint128 a, uint128 b) {
  uint128 r = 0;
  for (int i = 127; i >= 0; --i) {
    r = add_mod(r, r);
    if (((b >> i) & 1) != 0) r = add_mod(r, a);
  }
  return r;
}

uint128 random_below_p(std::mt19937_64& rng) {
  for (;;) {
    const uint128 x = (static_cast<uint128>(rng()) << 64) | rng();
    if (x < kP) return x;
  }
}

// Values near the edges of the limb ranges and of [0, p).
std::vector<uint128> edge_values() {
  std::vector<uint128> v = {0, 1, 2, kP - 1, kP - 2, kP >> 1, (kP >> 1) + 1};
  v.push_back(static_cast<uint128>(~std::uint64_t{0}));
  v.push_back(static_cast<uint128>(1) << 64);
  v.push_back((static_cast<uint128>(1) << 64) - 1 + (static_cast<uint128>(5) << 64));
  v.push_back(kP - (static_cast<uint128>(1) << 64));
  return v;
}

// Montgomery limbs (x·R mod p) of every pair of raw limb values, including
// non-canonical ones that never occur, must agree between the two paths.
#if VDAF_FIELD_X86_INTRINSICS
TEST(Field128MulPaths, IntrinsicsMatchPortableOnRawLimbs) {
  using vdaf::detail::ArithPortable;
  using vdaf::detail::ArithX86;
  std::mt19937_64 rng(7);
  std::vector<uint128> vals = edge_values();
  for (int i = 0; i < 200; ++i) vals.push_back(random_below_p(rng));
  for (uint128 a : vals) {
    for (uint128 b : vals) {
      const auto a0 = static_cast<std::uint64_t>(a), a1 = static_cast<std::uint64_t>(a >> 64);
      const auto b0 = static_cast<std::uint64_t>(b), b1 = static_cast<std::uint64_t>(b >> 64);
      const Field128 x = Field128::mont_mul_with<ArithX86>(a0, a1, b0, b1);
      const Field128 y = Field128::mont_mul_with<ArithPortable>(a0, a1, b0, b1);
      ASSERT_EQ(x.lo, y.lo);
      ASSERT_EQ(x.hi, y.hi);
      const Field128 fa = Field128::limbs(a0, a1), fb = Field128::limbs(b0, b1);
      const Field128 s1 = Field128::add_with<ArithX86>(fa, fb);
      const Field128 s2 = Field128::add_with<ArithPortable>(fa, fb);
      ASSERT_TRUE(s1.lo == s2.lo && s1.hi == s2.hi);
      const Field128 d1 = Field128::sub_with<ArithX86>(fa, fb);
      const Field128 d2 = Field128::sub_with<ArithPortable>(fa, fb);
      ASSERT_TRUE(d1.lo == d2.lo && d1.hi == d2.hi);
    }
  }
}
#endif

#if VDAF_FIELD128_ASM
// The inline-assembly product, sum and difference against the portable limb
// code: every pair of
// edge values, then many random pairs, then products of values with many
// high bits set (limbs near 2^64 − 1, values near p and 2^128 − 2^68).
TEST(Field128MulPaths, AsmMatchesPortable) {
  using vdaf::detail::ArithPortable;
  std::mt19937_64 rng(13);
  std::vector<uint128> vals = edge_values();
  for (std::uint64_t k = 1; k < 40; ++k) {
    vals.push_back(kP - k);
    vals.push_back(kP - (static_cast<uint128>(k) << 64));
    vals.push_back((static_cast<uint128>(k) << 64) - 1);
    vals.push_back(kP - (static_cast<uint128>(rng()) << 32));
  }
  for (int i = 0; i < 100; ++i) vals.push_back(random_below_p(rng));
  const auto check = [](uint128 a, uint128 b) {
    const auto a0 = static_cast<std::uint64_t>(a), a1 = static_cast<std::uint64_t>(a >> 64);
    const auto b0 = static_cast<std::uint64_t>(b), b1 = static_cast<std::uint64_t>(b >> 64);
    const Field128 x = Field128::mont_mul_asm(a0, a1, b0, b1);
    const Field128 y = Field128::mont_mul_with<ArithPortable>(a0, a1, b0, b1);
    ASSERT_EQ(x.lo, y.lo) << static_cast<std::uint64_t>(a >> 64) << " " << b1;
    ASSERT_EQ(x.hi, y.hi);
    // Sum and difference: the assembly (through add/sub) against the portable twins.
    const Field128 fa = Field128::limbs(a0, a1), fb = Field128::limbs(b0, b1);
    const Field128 s1 = Field128::add(fa, fb), s2 = Field128::add_with<ArithPortable>(fa, fb);
    ASSERT_TRUE(s1.lo == s2.lo && s1.hi == s2.hi);
    const Field128 d1 = Field128::sub(fa, fb), d2 = Field128::sub_with<ArithPortable>(fa, fb);
    ASSERT_TRUE(d1.lo == d2.lo && d1.hi == d2.hi);
    // Conversion out of Montgomery form (assembly) against a product by 1.
    const Field128 c = Field128::mont_mul_with<ArithPortable>(a0, a1, 1, 0);
    ASSERT_EQ(fa.as_int(), (static_cast<uint128>(c.hi) << 64) | c.lo);
  };
  for (uint128 a : vals) {
    for (uint128 b : vals) check(a, b);
  }
  for (int i = 0; i < 200000; ++i) check(random_below_p(rng), random_below_p(rng));
  // Chains: the output of one product feeds the next (catches results >= p).
  Field128 x = Field128::from_int(kP - 1), y = x;
  const Field128 z = Field128::from_int(kP - 3);
  for (int i = 0; i < 10000; ++i) {
    x = Field128::mont_mul_asm(x.lo, x.hi, z.lo, z.hi);
    y = Field128::mont_mul_with<ArithPortable>(y.lo, y.hi, z.lo, z.hi);
    ASSERT_TRUE(x == y);
    ASSERT_LT(x.as_int(), kP);
  }
}
#endif

// Field64: the run-time operators (assembly under g++ on x86-64 with BMI2)
// and the assembly kernels themselves against the portable twins, on edge
// values (0, 1, p − 1, values near 2^32 and 2^63) and random inputs.
TEST(Field64Paths, RuntimeAndAsmMatchPortable) {
  using vdaf::Field64;
  constexpr std::uint64_t p = Field64::MODULUS;
  std::mt19937_64 rng(17);
  std::vector<std::uint64_t> vals = {0, 1, 2, p - 1, p - 2, p >> 1, (p >> 1) + 1};
  for (std::uint64_t k = 0; k < 8; ++k) {
    vals.push_back((std::uint64_t{1} << 32) - k);
    vals.push_back((std::uint64_t{1} << 32) + k);
    vals.push_back((std::uint64_t{1} << 63) - k);
    vals.push_back(p - 3 - k * 0x100000000ULL);
    vals.push_back(0xffffffffULL * (k + 1));
  }
  for (int i = 0; i < 100; ++i) vals.push_back(rng() % p);
  const auto check = [](std::uint64_t a, std::uint64_t b) {
    const Field64 fa = Field64::raw(a), fb = Field64::raw(b);
    const Field64 m = Field64::mul_portable(fa, fb), s = Field64::add_portable(fa, fb),
                  d = Field64::sub_portable(fa, fb);
    ASSERT_EQ((fa * fb).v, m.v) << a << " " << b;
    ASSERT_EQ((fa + fb).v, s.v) << a << " " << b;
    ASSERT_EQ((fa - fb).v, d.v) << a << " " << b;
    ASSERT_EQ(m.v, static_cast<std::uint64_t>(static_cast<uint128>(a) * b % p));
    ASSERT_EQ(s.v, static_cast<std::uint64_t>((static_cast<uint128>(a) + b) % p));
    ASSERT_EQ(d.v, static_cast<std::uint64_t>((static_cast<uint128>(a) + p - b) % p));
#if VDAF_FIELD128_ASM
    ASSERT_EQ(vdaf::detail::field64_mul_asm(a, b), m.v);
    ASSERT_EQ(vdaf::detail::field64_add_asm(a, b), s.v);
    ASSERT_EQ(vdaf::detail::field64_sub_asm(a, b), d.v);
#endif
  };
  for (std::uint64_t a : vals) {
    for (std::uint64_t b : vals) check(a, b);
  }
  for (int i = 0; i < 200000; ++i) check(rng() % p, rng() % p);
}

TEST(Field128MulPaths, MatchesShiftAndAddReference) {
  std::mt19937_64 rng(11);
  std::vector<uint128> vals = edge_values();
  for (int i = 0; i < 60; ++i) vals.push_back(random_below_p(rng));
  for (uint128 a : vals) {
    for (uint128 b : vals) {
      const Field128 fa = Field128::from_int(a), fb = Field128::from_int(b);
      ASSERT_EQ(fa.as_int(), a);
      ASSERT_EQ((fa * fb).as_int(), mul_mod(a, b));
      ASSERT_EQ((fa + fb).as_int(), add_mod(a, b));
      ASSERT_EQ((fa - fb).as_int(), add_mod(a, b == 0 ? 0 : kP - b));
      // The portable (constexpr) path on the same limbs.
      const Field128 y =
          Field128::mont_mul_with<vdaf::detail::ArithPortable>(fa.lo, fa.hi, fb.lo, fb.hi);
      ASSERT_TRUE(y == fa * fb);
    }
  }
}

// The compile-time path (portable) and the run-time path agree.
TEST(Field128MulPaths, ConstexprMatchesRuntime) {
  constexpr Field128 g = Field128::gen();
  constexpr Field128 g2 = Field128::sub(Field128::add(Field128::mul(g, g), g), Field128::one());
  volatile std::uint64_t lo = g.lo, hi = g.hi;
  const Field128 rg = Field128::limbs(lo, hi);
  EXPECT_TRUE(rg * rg + rg - Field128::one() == g2);
  static_assert(Field128::from_int(5).as_int() == 5);
  static_assert(Field128::mul(Field128::from_int(kP - 1), Field128::from_int(kP - 1)).as_int() ==
                1);
}

}  // namespace
