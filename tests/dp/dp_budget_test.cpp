// vdaf::dp budgets, rationals and strategies: exact parameters (scale = Δ1/ε, σ² = Δ2²/(2ρ)),
// input validation (only vdaf::invalid_argument escapes, with a message saying what was wrong),
// and the size limits.
#include <string>

#include <gtest/gtest.h>

#include "vdaf/dp.hpp"

namespace {

using vdaf::dp::BigInt;
using vdaf::dp::DiscreteGaussian;
using vdaf::dp::DiscreteLaplace;
using vdaf::dp::MAX_RATIONAL_BITS;
using vdaf::dp::PureDpBudget;
using vdaf::dp::PureDpDiscreteLaplace;
using vdaf::dp::Rational;
using vdaf::dp::ZCdpBudget;
using vdaf::dp::ZCdpDiscreteGaussian;

/// Runs f, expects vdaf::invalid_argument whose message contains `needle`.
template <class F>
void expect_invalid(F&& f, const std::string& needle) {
  try {
    f();
    ADD_FAILURE() << "no exception; expected invalid_argument containing \"" << needle << "\"";
  } catch (const vdaf::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type: " << e.what();
  }
}

TEST(DpRational, ReducesComparesAndParsesExactly) {
  EXPECT_EQ(Rational(2, 4), Rational(1, 2));
  EXPECT_EQ(Rational(0, 7), Rational(0, 1));
  EXPECT_EQ(Rational(6, 4).to_string(), "3/2");
  EXPECT_EQ(Rational(8, 4).to_string(), "2");
  EXPECT_TRUE(Rational(1, 3) < Rational(1, 2));
  EXPECT_FALSE(Rational(1, 2) < Rational(2, 4));
  EXPECT_EQ(Rational::parse("0.1"), Rational(1, 10));
  EXPECT_EQ(Rational::parse(".5"), Rational(1, 2));
  EXPECT_EQ(Rational::parse("10"), Rational(10, 1));
  EXPECT_EQ(Rational::parse("2.50"), Rational(5, 2));
  EXPECT_EQ(Rational::parse("3/6"), Rational(1, 2));
  EXPECT_EQ(Rational::parse("0"), Rational(0, 1));
  EXPECT_EQ(Rational::parse("340282366920938463463374607431768211457").numerator(),
            (BigInt(1) << 128) + 1);
}

TEST(DpRational, RejectsBadInput) {
  expect_invalid([] { (void)Rational(1, 0); }, "denominator must be positive");
  expect_invalid([] { (void)Rational(BigInt(-1), BigInt(2)); }, "numerator must be non-negative");
  expect_invalid([] { (void)Rational(BigInt(1), BigInt(-2)); }, "denominator must be positive");
  expect_invalid([] { (void)Rational::integer(BigInt(1) << MAX_RATIONAL_BITS); }, "at most 1024");
  EXPECT_NO_THROW((void)Rational::integer((BigInt(1) << MAX_RATIONAL_BITS) - 1));
  // Reduced first: 2^1100 / 2^1000 = 2^100 is fine.
  EXPECT_EQ(Rational(BigInt(1) << 1100, BigInt(1) << 1000), Rational::integer(BigInt(1) << 100));
  expect_invalid([] { (void)Rational::parse(""); }, "empty");
  expect_invalid([] { (void)Rational::parse("abc"); }, "unexpected character 'a'");
  expect_invalid([] { (void)Rational::parse("-1"); }, "unexpected character '-'");
  expect_invalid([] { (void)Rational::parse("1e5"); }, "unexpected character 'e'");
  expect_invalid([] { (void)Rational::parse("1."); }, "after '.'");
  expect_invalid([] { (void)Rational::parse("1/0"); }, "zero denominator");
  expect_invalid([] { (void)Rational::parse("1/"); }, "expected digits");
  expect_invalid([] { (void)Rational::parse("1/2/3"); }, "unexpected character '/'");
  expect_invalid([] { (void)Rational::parse(" 1"); }, "unexpected character ' '");
  expect_invalid([] { (void)Rational::parse(std::string(401, '1')); }, "longer than 400");
  expect_invalid([] { (void)Rational::parse(std::string(320, '9')); }, "at most 1024");
  expect_invalid([] { (void)Rational::parse("0." + std::string(320, '1')); }, "at most 1024");
}

TEST(DpBudget, RejectsZeroBudgetsAndParameters) {
  expect_invalid([] { (void)PureDpBudget(Rational(0, 1)); }, "epsilon must be > 0");
  expect_invalid([] { (void)ZCdpBudget(Rational(0, 3)); }, "rho must be > 0");
  expect_invalid([] { (void)ZCdpBudget::from_libprio_epsilon(Rational(0, 1)); },
                 "epsilon must be > 0");
  expect_invalid([] { (void)DiscreteLaplace(Rational(0, 1)); }, "scale must be > 0");
  expect_invalid([] { (void)DiscreteGaussian(Rational(0, 1)); }, "sigma^2 must be > 0");
  expect_invalid([] { (void)DiscreteGaussian::from_sigma(Rational(0, 1)); }, "sigma must be > 0");
  const PureDpDiscreteLaplace lap(PureDpBudget(Rational(1, 1)));
  expect_invalid([&] { (void)lap.distribution_for_l1(BigInt(0)); }, "L1 sensitivity");
  const ZCdpDiscreteGaussian gau(ZCdpBudget(Rational(1, 1)));
  expect_invalid([&] { (void)gau.distribution_for_l2_squared(BigInt(-4)); }, "L2 sensitivity");
  // σ = 2^600: σ² has 1201 bits, over the limit.
  expect_invalid([] { (void)DiscreteGaussian::from_sigma(Rational::integer(BigInt(1) << 600)); },
                 "at most 1024");
  // A tiny ε with a large sensitivity: the scale Δ1·2^1000 exceeds the limit.
  const PureDpDiscreteLaplace tiny(PureDpBudget(Rational(BigInt(1), BigInt(1) << 1000)));
  expect_invalid([&] { (void)tiny.distribution_for_l1(BigInt(1) << 100); }, "at most 1024");
}

// The strategies' parameters, exactly: scale = Δ1/ε, σ² = Δ2²/(2ρ); libprio-rs' ZCdpBudget(ε)
// is ρ = ε²/2, which gives σ = Δ2/ε.
TEST(DpBudget, StrategiesGiveExactParameters) {
  const PureDpDiscreteLaplace lap(PureDpBudget(Rational::parse("0.1")));
  EXPECT_EQ(lap.distribution_for_l1(BigInt(1)).scale(), Rational(10, 1));
  EXPECT_EQ(lap.distribution_for_l1(BigInt(6)).scale(), Rational(60, 1));
  const PureDpDiscreteLaplace lap10(PureDpBudget(Rational(10, 1)));
  EXPECT_EQ(lap10.distribution_for_l1(BigInt(1)).scale(), Rational(1, 10));
  EXPECT_EQ(lap10.distribution_for({BigInt(4), BigInt(9)}).scale(), Rational(2, 5));
  const ZCdpDiscreteGaussian gau(ZCdpBudget(Rational(1, 8)));
  EXPECT_EQ(gau.distribution_for_l2_squared(BigInt(2)).sigma2(), Rational(8, 1));
  EXPECT_EQ(gau.distribution_for({BigInt(4), BigInt(3)}).sigma2(), Rational(12, 1));
  const auto lp = ZCdpBudget::from_libprio_epsilon(Rational(1, 2));
  EXPECT_EQ(lp.rho(), Rational(1, 8));
  // Δ2 = 3, ε = 1/2 in libprio-rs' notation: σ = 6, σ² = 36.
  EXPECT_EQ(ZCdpDiscreteGaussian(lp).distribution_for_l2_squared(BigInt(9)).sigma2(),
            Rational(36, 1));
  EXPECT_EQ(DiscreteGaussian::from_sigma(Rational(10000, 23)).sigma2(), Rational(100000000, 529));
}

}  // namespace
