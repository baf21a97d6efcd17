// Shared helpers of the vdaf::dp tests: a seeded deterministic byte source, the exact pmfs and
// moments of the two noise distributions, a chi-square goodness-of-fit p-value and a Prio3 run.
// Floating point (long double) appears here, in the tests, never in the library's samplers.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "vdaf/dp.hpp"
#include "vdaf/prio3.hpp"
#include "vdaf/xof/xof_turboshake128.hpp"

namespace vdaf_dp_test {

/// A reproducible RandomSource for tests: the XofTurboShake128 stream of seed [tag; 32] with a
/// fixed dst. Never for real noise (it is predictable).
class SeededSource {
 public:
  explicit SeededSource(std::uint8_t tag)
      : xof_(seed(tag),
             vdaf::ByteSpan(reinterpret_cast<const std::uint8_t*>("vdaf-cpp dp test"), 16),
             vdaf::ByteSpan()) {}
  void fill(std::span<std::uint8_t> out) { xof_.next(out); }

 private:
  static std::array<std::uint8_t, 32> seed(std::uint8_t tag) {
    std::array<std::uint8_t, 32> s{};
    s.fill(tag);
    return s;
  }
  vdaf::XofTurboShake128 xof_;
};
static_assert(vdaf::dp::RandomSource<SeededSource>);
static_assert(vdaf::dp::RandomSource<vdaf::Drbg>);

using vdaf::dp::BigInt;

inline long long to_ll(const BigInt& x) { return x.convert_to<long long>(); }

/// Discrete Laplace of scale s: pmf(z) = (1 − q)/(1 + q)·q^|z|, q = e^{−1/s}.
struct LaplacePmf {
  long double q;
  explicit LaplacePmf(long double scale) : q(std::exp(-1.0L / scale)) {}
  long double operator()(long long z) const {
    return (1 - q) / (1 + q) * std::pow(q, static_cast<long double>(std::llabs(z)));
  }
  /// Pr[|X| >= k] for k >= 1: 2q^k/(1 + q).
  long double tail_abs(long long k) const {
    return 2 * std::pow(q, static_cast<long double>(k)) / (1 + q);
  }
  long double variance() const { return 2 * q / ((1 - q) * (1 - q)); }
};

/// Discrete Gaussian N_Z(0, σ²): pmf(z) = e^{−z²/(2σ²)}/Σ_y e^{−y²/(2σ²)}; the normaliser,
/// variance and 4th moment summed over |y| <= 40σ + 10 (the rest is below e^{−800}).
struct GaussianPmf {
  long double sigma2, norm = 0, var = 0, m4 = 0;
  explicit GaussianPmf(long double s2) : sigma2(s2) {
    const long long lim = static_cast<long long>(40 * std::sqrt(s2)) + 10;
    for (long long y = -lim; y <= lim; ++y) {
      const long double w = std::exp(-static_cast<long double>(y) * y / (2 * s2));
      norm += w;
      var += w * y * y;
      m4 += w * y * y * y * y;
    }
    var /= norm;
    m4 /= norm;
  }
  long double operator()(long long z) const {
    return std::exp(-static_cast<long double>(z) * z / (2 * sigma2)) / norm;
  }
};

/// Upper tail Q(a, x) of the regularized incomplete gamma function (series for x < a + 1,
/// Lentz's continued fraction otherwise), in long double.
inline long double gamma_q(long double a, long double x) {
  if (x <= 0) return 1;
  const long double lg = std::lgamma(a);
  if (x < a + 1) {
    long double sum = 1 / a, term = sum;
    for (int n = 1; n < 100000; ++n) {
      term *= x / (a + n);
      sum += term;
      if (std::fabs(term) < std::fabs(sum) * 1e-19L) break;
    }
    return 1 - sum * std::exp(-x + a * std::log(x) - lg);
  }
  const long double tiny = 1e-4000L;
  long double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  for (int i = 1; i < 100000; ++i) {
    const long double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::fabs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const long double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < 1e-19L) break;
  }
  return std::exp(-x + a * std::log(x) - lg) * h;
}

/// p-value of a chi-square statistic with `df` degrees of freedom.
inline long double chi2_pvalue(long double stat, std::size_t df) {
  return gamma_q(static_cast<long double>(df) / 2, stat / 2);
}

struct Chi2Result {
  long double stat = 0;
  std::size_t df = 0;
  long double pvalue = 0;
};

/// Chi-square goodness of fit of integer samples (value → count) against `pmf`: one bin per
/// integer in (−k, k), plus the two tail bins (−∞, −k] and [k, ∞), with k the smallest value
/// whose bin would expect fewer than 5 samples (so every bin expects at least about 5).
template <class Pmf>
Chi2Result chi_square(const std::map<long long, std::size_t>& counts, std::size_t n,
                      const Pmf& pmf) {
  const long double N = static_cast<long double>(n);
  long long k = 1;
  while (N * pmf(k) >= 5) ++k;
  long double tail = 0;  // Pr[X >= k] (symmetric), by summation
  for (long long z = k; N * pmf(z) > 1e-30L || z < 10 * k; ++z) tail += pmf(z);
  std::size_t lo = 0, hi = 0;
  std::map<long long, std::size_t> mid;
  for (const auto& [z, c] : counts) {
    if (z <= -k) {
      lo += c;
    } else if (z >= k) {
      hi += c;
    } else {
      mid[z] += c;
    }
  }
  Chi2Result r;
  auto add = [&](long double observed, long double expected) {
    r.stat += (observed - expected) * (observed - expected) / expected;
    ++r.df;
  };
  for (long long z = -k + 1; z <= k - 1; ++z) add(static_cast<long double>(mid[z]), N * pmf(z));
  add(static_cast<long double>(lo), N * tail);
  add(static_cast<long double>(hi), N * tail);
  r.df -= 1;
  r.pvalue = chi2_pvalue(r.stat, r.df);
  return r;
}

/// Shards, verifies and aggregates `meas` with `vdaf` (all aggregators honest): the S aggregate
/// shares.
template <class V>
std::vector<typename V::AggShare> aggregate(const V& vdaf,
                                            const std::vector<typename V::Measurement>& meas) {
  const typename V::AggParam ap{};
  const vdaf::Bytes ctx = {'d', 'p'};
  std::array<std::uint8_t, V::VERIFY_KEY_SIZE> verify_key{};
  verify_key.fill(7);
  SeededSource rng(200);
  std::vector<typename V::AggShare> agg(vdaf.shares(), vdaf.agg_init(ap));
  for (const auto& m : meas) {
    vdaf::Bytes nonce(V::NONCE_SIZE), rand(vdaf.rand_size());
    rng.fill(nonce);
    rng.fill(rand);
    auto shard = vdaf.shard(ctx, m, nonce, rand);
    std::vector<typename V::VerifyState> states;
    std::vector<typename V::VerifierShare> vshares;
    for (std::size_t j = 0; j < vdaf.shares(); ++j) {
      auto init = vdaf.verify_init(verify_key, ctx, j, ap, nonce, shard.public_share,
                                   shard.input_shares[j]);
      states.push_back(std::move(init.first));
      vshares.push_back(std::move(init.second));
    }
    const auto msg = vdaf.verifier_shares_to_message(ctx, ap, vshares);
    for (std::size_t j = 0; j < vdaf.shares(); ++j) {
      auto next = vdaf.verify_next(ctx, states[j], msg);
      vdaf.agg_update(ap, agg[j], std::get<typename V::OutShare>(next));
    }
  }
  return agg;
}

}  // namespace vdaf_dp_test
