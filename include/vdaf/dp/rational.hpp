// Exact arithmetic for the differential-privacy module: arbitrary-precision integers
// (Boost.Multiprecision cpp_int, header-only) and non-negative rationals, so that privacy
// parameters and noise distributions are represented without rounding. Needs Boost (Debian
// libboost-dev >= 1.74); nothing outside include/vdaf/dp/ includes this.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "vdaf/ct/ct.hpp"
#include "vdaf/errors.hpp"

VDAF_BEGIN_NAMESPACE

namespace dp {

/// Signed arbitrary-precision integer (Boost.Multiprecision cpp_int). Limbs that spill to the
/// heap (values above about 128 bits) come from `wiping_allocator`, so they are zeroed when freed;
/// small values live inside the object and are not wiped on destruction.
using BigInt = boost::multiprecision::number<boost::multiprecision::cpp_int_backend<
    0, 0, boost::multiprecision::signed_magnitude, boost::multiprecision::unchecked,
    wiping_allocator<boost::multiprecision::limb_type>>>;

/// Largest bit length of the numerator and of the denominator of any `Rational` (and so of every
/// privacy budget, noise scale and variance this module accepts). Bounds the time and memory of
/// one sample: every big-integer operation of the samplers is on numbers of at most a few times
/// this many bits (see samplers.hpp).
inline constexpr std::size_t MAX_RATIONAL_BITS = 1024;

/// Longest text `Rational::parse` accepts (characters).
inline constexpr std::size_t MAX_RATIONAL_TEXT = 400;

namespace detail {
/// Bit length of a non-negative `x` (0 for 0).
inline std::size_t bit_length(const BigInt& x) {
  return x.is_zero() ? 0 : static_cast<std::size_t>(boost::multiprecision::msb(x)) + 1;
}
}  // namespace detail

/// A non-negative rational number numerator/denominator, kept in lowest terms, with numerator
/// and denominator of at most MAX_RATIONAL_BITS bits. Privacy budgets (ε, ρ), noise scales and
/// variances are Rationals, so that the samplers are exact. Values are public parameters (not
/// secret); operations are not constant-time.
class Rational {
 public:
  /// The rational `numerator / denominator`, reduced.
  /// @param numerator The numerator (any 64-bit value).
  /// @param denominator The denominator, >= 1.
  /// @throws invalid_argument if denominator == 0.
  Rational(std::uint64_t numerator, std::uint64_t denominator)
      : Rational(BigInt(numerator), BigInt(denominator)) {}

  /// The rational `numerator / denominator` for big integers, reduced.
  /// @throws invalid_argument if numerator < 0, denominator <= 0, or either needs more than
  /// MAX_RATIONAL_BITS bits after reduction.
  /// @param numerator The numerator, >= 0.
  /// @param denominator The denominator, >= 1.
  Rational(BigInt numerator, BigInt denominator)
      : num_(std::move(numerator)), den_(std::move(denominator)) {
    VDAF_ARG_CHECK(den_.sign() > 0, "dp::Rational: denominator must be positive");
    VDAF_ARG_CHECK(num_.sign() >= 0, "dp::Rational: numerator must be non-negative");
    if (num_.is_zero()) {
      den_ = 1;
    } else {
      const BigInt g = boost::multiprecision::gcd(num_, den_);
      if (g != 1) {
        num_ /= g;
        den_ /= g;
      }
    }
    VDAF_ARG_CHECK(detail::bit_length(num_) <= MAX_RATIONAL_BITS &&
                       detail::bit_length(den_) <= MAX_RATIONAL_BITS,
                   "dp::Rational: numerator and denominator must have at most " +
                       std::to_string(MAX_RATIONAL_BITS) + " bits (got " +
                       std::to_string(detail::bit_length(num_)) + " and " +
                       std::to_string(detail::bit_length(den_)) + ")");
  }

  /// The integer `n` as a rational.
  /// @param n The integer, 0 <= n < 2^MAX_RATIONAL_BITS.
  /// @return n/1.
  /// @throws invalid_argument if n < 0 or n has more than MAX_RATIONAL_BITS bits.
  static Rational integer(BigInt n) { return Rational(std::move(n), BigInt(1)); }

  /// Parses a decimal "123", "0.25", ".5" or a fraction "3/40" (ASCII digits only, no sign, no
  /// exponent, no spaces, at most MAX_RATIONAL_TEXT characters). Exact: "0.1" is 1/10.
  /// @throws invalid_argument if the text is not of that form, the denominator is 0, or a part
  /// exceeds MAX_RATIONAL_BITS bits.
  /// @param text The number as text.
  /// @return Its exact value, in lowest terms.
  static Rational parse(std::string_view text) {
    const std::string shown(text.substr(0, 40));
    VDAF_ARG_CHECK(!text.empty(), "dp::Rational::parse: empty text");
    VDAF_ARG_CHECK(text.size() <= MAX_RATIONAL_TEXT, "dp::Rational::parse: text longer than " +
                                                         std::to_string(MAX_RATIONAL_TEXT) +
                                                         " characters");
    auto digits = [&](std::string_view s, BigInt& out) {
      VDAF_ARG_CHECK(!s.empty(), "dp::Rational::parse: expected digits in \"" + shown + "\"");
      out = 0;
      for (char c : s) {
        VDAF_ARG_CHECK(c >= '0' && c <= '9', "dp::Rational::parse: unexpected character '" +
                                                 std::string(1, c) + "' in \"" + shown + "\"");
        out = out * 10 + (c - '0');
      }
    };
    BigInt n, d;
    if (const auto slash = text.find('/'); slash != std::string_view::npos) {
      digits(text.substr(0, slash), n);
      digits(text.substr(slash + 1), d);
      VDAF_ARG_CHECK(!d.is_zero(), "dp::Rational::parse: zero denominator in \"" + shown + "\"");
      return Rational(std::move(n), std::move(d));
    }
    const auto dot = text.find('.');
    if (dot == std::string_view::npos) {
      digits(text, n);
      return Rational(std::move(n), BigInt(1));
    }
    const std::string_view ip = text.substr(0, dot), fp = text.substr(dot + 1);
    VDAF_ARG_CHECK(!fp.empty(),
                   "dp::Rational::parse: expected digits after '.' in \"" + shown + "\"");
    BigInt i = 0, f;
    if (!ip.empty()) digits(ip, i);
    digits(fp, f);
    d = 1;
    for (std::size_t k = 0; k < fp.size(); ++k) d *= 10;
    return Rational(i * d + f, std::move(d));
  }

  /// Numerator, in lowest terms with the denominator.
  /// @return The numerator, >= 0.
  const BigInt& numerator() const noexcept { return num_; }
  /// Denominator, in lowest terms with the numerator.
  /// @return The denominator, >= 1 (1 for zero).
  const BigInt& denominator() const noexcept { return den_; }
  /// Whether the value is 0.
  /// @return True iff the numerator is 0.
  bool is_zero() const noexcept { return num_.is_zero(); }
  /// The value as text, accepted back by parse().
  /// @return "n/d" in decimal, or "n" when the denominator is 1.
  std::string to_string() const { return den_ == 1 ? num_.str() : num_.str() + "/" + den_.str(); }

  /// Exact equality (both sides are in lowest terms).
  /// @param a First value.
  /// @param b Second value.
  /// @return True if a == b.
  friend bool operator==(const Rational& a, const Rational& b) {
    return a.num_ == b.num_ && a.den_ == b.den_;
  }
  /// Exact order, by cross-multiplication.
  /// @param a First value.
  /// @param b Second value.
  /// @return True if a < b.
  friend bool operator<(const Rational& a, const Rational& b) {
    return a.num_ * b.den_ < b.num_ * a.den_;
  }

 private:
  BigInt num_, den_;
};

}  // namespace dp

VDAF_END_NAMESPACE
