// Exact samplers of the discrete Laplace and discrete Gaussian distributions (Canonne, Kamath,
// Steinke 2020, "The Discrete Gaussian for Differential Privacy", arXiv:2004.00010, Algorithms 1,
// 2 and 3), driven by a cryptographically secure source of random bytes.
//
// Exactness: every probability is a ratio of integers and every random choice is a uniform
// integer drawn by rejection sampling from random bytes, so the output distribution is exactly
// the stated one (given a uniform byte source). No floating-point type is used anywhere on the
// sampling path (tests/dp/dp_no_float_test.cpp checks these headers for it).
//
// Timing: NOT constant-time. Every algorithm is a rejection loop whose number of iterations, and
// the size of whose big integers, depend on the sample. A party that can time one sampling call
// precisely learns something about the noise it produced (for example, the geometric loop of
// Algorithm 2 runs about |noise|/scale more times for a larger |noise|), which weakens the privacy
// the noise gives. See docs/dp.md for why this is accepted and how to limit the exposure
// (sample the noise for an aggregate share away from any network-observable request path).
//
// Secrets: the noise is secret until added to the aggregate share. Byte buffers drawn from the
// random source are wiped; big integers that spill to the heap are wiped when freed (BigInt's
// allocator); small values held inside BigInt objects and machine words are not.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>

#include "vdaf/ct/ct.hpp"
#include "vdaf/ct/drbg.hpp"
#include "vdaf/dp/rational.hpp"
#include "vdaf/errors.hpp"

VDAF_BEGIN_NAMESPACE

namespace dp {

/// A source of uniformly random bytes: `rng.fill(out)` overwrites every byte of `out`. Use a
/// cryptographically secure one (the default everywhere is this thread's `Drbg`,
/// `thread_drbg()`); a seeded deterministic stream (e.g. an XOF) is for tests only, since noise
/// that can be predicted protects nothing.
template <class R>
concept RandomSource = requires(R& rng, std::span<std::uint8_t> out) {
  rng.fill(out);
};

namespace detail {

/// Uniform integer in [0, top] for any 64-bit top: the fewest whole bytes that cover top,
/// masked to its bit length, rejected while > top (acceptance > 1/2).
template <RandomSource R>
std::uint64_t uniform_at_most_u64(std::uint64_t top, R& rng) {
  if (top == 0) return 0;
  const unsigned bits = 64u - static_cast<unsigned>(__builtin_clzll(top));
  const std::size_t nbytes = (bits + 7) / 8;
  const std::uint64_t mask = bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
  std::array<std::uint8_t, 8> buf{};
  std::uint64_t x;
  do {
    rng.fill(std::span<std::uint8_t>(buf.data(), nbytes));
    x = 0;
    for (std::size_t i = 0; i < nbytes; ++i) x |= static_cast<std::uint64_t>(buf[i]) << (8 * i);
    x &= mask;
  } while (x > top);
  secure_zero(buf.data(), buf.size());
  return x;
}

/// Uniform integer in [0, bound) for any bound >= 1, by rejection from
/// ceil(bit_length(bound − 1) / 8) random bytes (acceptance > 1/2). Exact.
template <RandomSource R>
BigInt uniform_below(const BigInt& bound, R& rng) {
  if (bound <= 1) return BigInt(0);
  const BigInt top = bound - 1;
  const std::size_t bits = bit_length(top);
  if (bits <= 64) return BigInt(uniform_at_most_u64(top.convert_to<std::uint64_t>(), rng));
  const std::size_t nbytes = (bits + 7) / 8;
  constexpr std::size_t STACK = 512;
  std::array<std::uint8_t, STACK> small{};
  SecretBytes large;
  std::uint8_t* buf = small.data();
  if (nbytes > STACK) {
    large.resize(nbytes);
    buf = large.data();
  }
  const auto top_mask = static_cast<std::uint8_t>(0xffu >> (8 * nbytes - bits));
  BigInt x;
  do {
    rng.fill(std::span<std::uint8_t>(buf, nbytes));
    buf[0] &= top_mask;  // big-endian: buf[0] is the most significant byte
    boost::multiprecision::import_bits(x, buf, buf + nbytes, 8, true);
  } while (x > top);
  secure_zero(buf, nbytes);
  return x;
}

/// Bernoulli(num/den) for 0 <= num, 1 <= den: uniform u in [0, den), true iff u < num.
template <RandomSource R>
bool bernoulli(const BigInt& num, const BigInt& den, R& rng) {
  if (num >= den) return true;
  if (num.is_zero()) return false;
  return uniform_below(den, rng) < num;
}

/// One uniformly random bit (Bernoulli(1/2)).
template <RandomSource R>
bool fair_coin(R& rng) {
  std::uint8_t b = 0;
  rng.fill(std::span<std::uint8_t>(&b, 1));
  const bool r = (b & 1u) != 0;
  secure_zero(&b, 1);
  return r;
}

/// Bernoulli(exp(−1)): Algorithm 1 of CKS20 with γ = 1, in machine words: K ← 1; while
/// Bernoulli(1/K) (a uniform draw below K is 0), K ← K + 1; return K odd.
template <RandomSource R>
bool bernoulli_exp_minus_one(R& rng) {
  std::uint64_t k = 1;
  while (uniform_at_most_u64(k - 1, rng) == 0) ++k;  // Bernoulli(1/K); K = 1 always continues
  return (k & 1u) != 0;
}

/// Bernoulli(exp(−num/den)) for 0 <= num <= den (γ in [0, 1]): CKS20 Algorithm 1, first branch.
/// Expected number of draws <= e.
template <RandomSource R>
bool bernoulli_exp_01(const BigInt& num, const BigInt& den, R& rng) {
  if (num.is_zero()) return true;
  std::uint64_t k = 1;
  while (bernoulli(num, den * k, rng)) ++k;  // Bernoulli(γ/K)
  return (k & 1u) != 0;
}

/// Bernoulli(exp(−num/den)) for any num >= 0, den >= 1: CKS20 Algorithm 1. floor(γ) coins of
/// Bernoulli(exp(−1)) (stopping at the first 0), then Bernoulli(exp(−(γ − floor(γ)))).
template <RandomSource R>
bool bernoulli_exp(const BigInt& num, const BigInt& den, R& rng) {
  if (num <= den) return bernoulli_exp_01(num, den, rng);
  BigInt whole, frac;
  boost::multiprecision::divide_qr(num, den, whole, frac);
  for (BigInt i = 0; i < whole; ++i) {
    if (!bernoulli_exp_minus_one(rng)) return false;
  }
  return bernoulli_exp_01(frac, den, rng);
}

/// Discrete Laplace with scale t/s (t, s >= 1): CKS20 Algorithm 2.
template <RandomSource R>
BigInt discrete_laplace(const BigInt& t, const BigInt& s, R& rng) {
  for (;;) {
    const BigInt u = uniform_below(t, rng);
    if (!bernoulli_exp_01(u, t, rng)) continue;
    // V ~ Geometric(1 − e^−1). A machine word: 2^64 iterations cannot happen in practice
    // (probability e^−(2^64)).
    std::uint64_t v = 0;
    while (bernoulli_exp_minus_one(rng)) ++v;
    BigInt y = (u + t * v) / s;
    const bool negative = fair_coin(rng);
    if (negative && y.is_zero()) continue;
    if (negative) y = -y;
    return y;
  }
}

/// Discrete Gaussian with variance parameter σ² = a/b (a, b >= 1): CKS20 Algorithm 3.
/// t = floor(σ) + 1 = isqrt(floor(a/b)) + 1; repeat Y ← Lap_Z(t) until
/// Bernoulli(exp(−(|Y| − σ²/t)² / (2σ²))) accepts, with the exponent as the integer ratio
/// (|Y|·b·t − a)² / (2·a·b·t²).
template <RandomSource R>
BigInt discrete_gaussian(const BigInt& a, const BigInt& b, const BigInt& t, const BigInt& den,
                         R& rng) {
  const BigInt one(1);
  for (;;) {
    BigInt y = discrete_laplace(t, one, rng);
    BigInt d = boost::multiprecision::abs(y) * b * t - a;
    d *= d;
    if (bernoulli_exp(d, den, rng)) return y;
  }
}

}  // namespace detail

/// Samples Bernoulli(exp(−γ)) exactly for a rational γ >= 0 (CKS20 Algorithm 1).
/// Expected number of random draws O(1 + min(γ, 1/(1 − e^−1))): at most e for γ <= 1; for γ > 1
/// the loop over floor(γ) stops at the first failed coin. NOT constant-time (rejection loop; the
/// time reveals how many coins succeeded).
/// @tparam R A RandomSource.
/// @param gamma  γ (any non-negative Rational).
/// @param rng    random byte source (RandomSource).
/// @return true with probability exp(−γ).
template <RandomSource R>
bool sample_bernoulli_exp_vartime(const Rational& gamma, R& rng) {
  return detail::bernoulli_exp(gamma.numerator(), gamma.denominator(), rng);
}

/// The discrete Laplace distribution Lap_Z(scale) over the integers (CKS20 Definition 28):
/// Pr[X = x] = (e^{1/scale} − 1)/(e^{1/scale} + 1) · e^{−|x|/scale}, mean 0, variance
/// 2q/(1 − q)² with q = e^{−1/scale}. Adding it with scale Δ1/ε to each coordinate of an
/// integer-valued query of L1 sensitivity Δ1 gives ε-DP.
class DiscreteLaplace {
 public:
  /// The distribution Lap_Z(scale).
  /// @param scale  the scale t/s > 0 (numerator and denominator of at most MAX_RATIONAL_BITS
  ///               bits, as every Rational).
  /// @throws invalid_argument if scale == 0.
  explicit DiscreteLaplace(Rational scale) : scale_(std::move(scale)) {
    VDAF_ARG_CHECK(!scale_.is_zero(), "dp::DiscreteLaplace: scale must be > 0");
  }

  /// The scale parameter.
  /// @return The scale (> 0).
  const Rational& scale() const noexcept { return scale_; }

  /// One sample (CKS20 Algorithm 2), exact, from `rng`.
  /// Cost: expected O(1) iterations (each accepted with probability > (1 − e^−1)/2), each a few
  /// operations on integers of about bit_length(scale numerator) + bit_length(|x|) bits.
  /// NOT constant-time: the time depends on |x| (see the file comment).
  /// @tparam R A RandomSource.
  /// @param rng Random byte source (cryptographically secure outside tests).
  /// @return an integer x with Pr[x] as in the class comment.
  /// @throws anything `rng.fill` throws.
  template <RandomSource R>
  BigInt sample_vartime(R& rng) const {
    return detail::discrete_laplace(scale_.numerator(), scale_.denominator(), rng);
  }
  /// One sample from this thread's Drbg (`thread_drbg()`). NOT constant-time.
  /// @return an integer x with Pr[x] as in the class comment.
  /// @throws internal_error if libsodium cannot be initialised.
  BigInt sample_vartime() const { return sample_vartime(thread_drbg()); }

 private:
  Rational scale_;
};

/// The discrete Gaussian distribution N_Z(0, σ²) over the integers (CKS20 Definition 1):
/// Pr[X = x] = e^{−x²/(2σ²)} / Σ_y e^{−y²/(2σ²)}, mean 0, variance < σ² (CKS20 Proposition 19).
/// Adding it with σ² = Δ2²/(2ρ) to each coordinate of an integer-valued query of L2 sensitivity
/// Δ2 gives ρ-zCDP (CKS20 Theorem 14).
class DiscreteGaussian {
 public:
  /// The distribution N_Z(0, σ²).
  /// @param sigma2  the variance parameter σ² > 0 (a Rational: exact).
  /// @throws invalid_argument if σ² == 0.
  explicit DiscreteGaussian(Rational sigma2) : sigma2_(std::move(sigma2)) {
    VDAF_ARG_CHECK(!sigma2_.is_zero(), "dp::DiscreteGaussian: sigma^2 must be > 0");
    const BigInt& a = sigma2_.numerator();
    const BigInt& b = sigma2_.denominator();
    t_ = boost::multiprecision::sqrt(BigInt(a / b)) + 1;  // floor(σ) = isqrt(floor(σ²))
    den_ = 2 * a * b * t_ * t_;
  }

  /// The distribution with standard deviation parameter σ (σ² = sigma·sigma, exact).
  /// @param sigma σ > 0.
  /// @return N_Z(0, σ²).
  /// @throws invalid_argument if sigma == 0 or σ² exceeds MAX_RATIONAL_BITS bits.
  static DiscreteGaussian from_sigma(const Rational& sigma) {
    VDAF_ARG_CHECK(!sigma.is_zero(), "dp::DiscreteGaussian: sigma must be > 0");
    return DiscreteGaussian(
        Rational(sigma.numerator() * sigma.numerator(), sigma.denominator() * sigma.denominator()));
  }

  /// The variance parameter σ².
  /// @return σ² (> 0).
  const Rational& sigma2() const noexcept { return sigma2_; }

  /// One sample (CKS20 Algorithm 3), exact, from `rng`.
  /// Cost: expected O(1) discrete Laplace samples of scale floor(σ) + 1 (CKS20 §5.3: acceptance
  /// probability about 1 − O(1/σ) for large σ, about 0.46 for tiny σ), each followed by a
  /// Bernoulli(exp(−γ)) on integers of up to about 2·bit_length(σ²) + 3·bit_length(σ² num/den)
  /// bits. NOT constant-time: the time depends on the sample (see the file comment).
  /// @tparam R A RandomSource.
  /// @param rng Random byte source (cryptographically secure outside tests).
  /// @return an integer x with Pr[x] as in the class comment.
  /// @throws anything `rng.fill` throws.
  template <RandomSource R>
  BigInt sample_vartime(R& rng) const {
    return detail::discrete_gaussian(sigma2_.numerator(), sigma2_.denominator(), t_, den_, rng);
  }
  /// One sample from this thread's Drbg (`thread_drbg()`). NOT constant-time.
  /// @return an integer x with Pr[x] as in the class comment.
  /// @throws internal_error if libsodium cannot be initialised.
  BigInt sample_vartime() const { return sample_vartime(thread_drbg()); }

 private:
  Rational sigma2_;
  BigInt t_;    // floor(σ) + 1
  BigInt den_;  // 2·a·b·t², the denominator of Algorithm 3's acceptance exponent
};

}  // namespace dp

VDAF_END_NAMESPACE
