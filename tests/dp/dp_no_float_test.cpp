// No floating point on vdaf::dp's sampling path: the headers of include/vdaf/dp/ and
// include/vdaf/dp.hpp, with comments and string literals removed, name no floating-point type
// or function (float, double, <cmath>, std::exp/log/pow/sqrt, ...), and the integer type they
// compute with is an integer type. (Boost's own headers are not scanned: the samplers use only
// cpp_int, an integer backend.)
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include "vdaf/dp.hpp"

namespace {

static_assert(boost::multiprecision::number_category<vdaf::dp::BigInt>::value ==
              boost::multiprecision::number_kind_integer);
static_assert(!std::is_floating_point_v<vdaf::dp::BigInt>);

/// `src` without // and /* */ comments and without the contents of string and char literals.
std::string strip(const std::string& src) {
  std::string out;
  for (std::size_t i = 0; i < src.size(); ++i) {
    if (src.compare(i, 2, "//") == 0) {
      while (i < src.size() && src[i] != '\n') ++i;
      out += '\n';
    } else if (src.compare(i, 2, "/*") == 0) {
      i = src.find("*/", i + 2);
      if (i == std::string::npos) break;
      ++i;
    } else if (src[i] == '"' || src[i] == '\'') {
      const char q = src[i];
      out += q;
      for (++i; i < src.size() && src[i] != q; ++i) {
        if (src[i] == '\\') ++i;
      }
      out += q;
    } else {
      out += src[i];
    }
  }
  return out;
}

TEST(DpNoFloat, SamplingHeadersUseNoFloatingPoint) {
  const std::string root = std::string(VDAF_SOURCE_DIR) + "/include/vdaf/";
  const std::vector<std::string> files = {"dp.hpp", "dp/rational.hpp", "dp/samplers.hpp",
                                          "dp/budget.hpp", "dp/noise.hpp"};
  const std::regex fp(
      R"(\b(float|double|long\s+double|_Float\d+|__float128)\b|<cmath>|<math\.h>|\bstd::(exp|expm1|log|log1p|pow|sqrt|lgamma|tgamma|floor|ceil|round|trunc)\b|\bcpp_(bin|dec)_float|\bcpp_rational\b|\bnumeric_limits<\s*(float|double))");
  for (const std::string& f : files) {
    std::ifstream in(root + f);
    ASSERT_TRUE(in) << "cannot read " << root + f;
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string code = strip(ss.str());
    std::smatch m;
    EXPECT_FALSE(std::regex_search(code, m, fp)) << f << ": floating point: " << m.str();
    EXPECT_GT(code.size(), 40u) << f;  // the file was read
  }
  // The check itself finds floating point where there is some.
  EXPECT_TRUE(std::regex_search(strip("x = std::sqrt(2.0); // no double here"), fp));
  EXPECT_FALSE(std::regex_search(strip("// double\n\"float\" int x;"), fp));
}

}  // namespace
