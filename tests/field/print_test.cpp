// vdaf::to_string and operator<< for what the library returns: 128-bit integers, field
// elements (their canonical integers) and vectors of either, as decimal text.
#include "vdaf/core/print.hpp"

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

using vdaf::Field128;
using vdaf::Field255;
using vdaf::Field64;
using vdaf::uint128;

TEST(Print, Uint128) {
  EXPECT_EQ(vdaf::to_string(uint128{0}), "0");
  EXPECT_EQ(vdaf::to_string(uint128{7}), "7");
  EXPECT_EQ(vdaf::to_string(uint128{~std::uint64_t{0}}), "18446744073709551615");
  EXPECT_EQ(vdaf::to_string(uint128{~std::uint64_t{0}} + 1), "18446744073709551616");
  EXPECT_EQ(vdaf::to_string(~uint128{0}), "340282366920938463463374607431768211455");
}

TEST(Print, FieldElementsAreTheirCanonicalIntegers) {
  EXPECT_EQ(vdaf::to_string(Field64::from_u64(42)), "42");
  EXPECT_EQ(vdaf::to_string(Field64::zero() - Field64::one()), "18446744069414584320");  // p - 1
  EXPECT_EQ(vdaf::to_string(Field128::zero() - Field128::one()),
            "340282366920938462946865773367900766208");  // p - 1 = 2^128 - 28·2^64
  EXPECT_EQ(vdaf::to_string(Field255::zero()), "0");
  EXPECT_EQ(vdaf::to_string(Field255::from_u64(1234567)), "1234567");
  EXPECT_EQ(vdaf::to_string(Field255::zero() - Field255::one()),
            "57896044618658097711785492504343953926634992332820282019728792003956564819948");
  std::ostringstream os;
  os << Field64::from_u64(5) << ' ' << Field128::from_u64(6) << ' ' << Field255::from_u64(7);
  EXPECT_EQ(os.str(), "5 6 7");
}

TEST(Print, VectorsOfResults) {
  // A result vector as SumVec's unshard returns it.
  const std::vector<uint128> result = {7, 0, (uint128{1} << 64) + 5};
  EXPECT_EQ(vdaf::to_string(result), "[7, 0, 18446744073709551621]");
  EXPECT_EQ(vdaf::to_string(std::vector<uint128>{}), "[]");
  EXPECT_EQ(vdaf::to_string(std::vector<Field64>{Field64::from_u64(1), Field64::from_u64(2)}),
            "[1, 2]");
}

}  // namespace
