// Differential-privacy noise on Prio3 aggregate shares: each instance's sensitivity, noise added
// by an aggregator to its aggregate share, and the collector's decoding of a noisy aggregate.
// Role split as libprio-rs' `AggregatorWithNoise::add_noise_to_agg_share` (src/flp/types/dp.rs).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vdaf/ct/drbg.hpp"
#include "vdaf/dp/budget.hpp"
#include "vdaf/dp/rational.hpp"
#include "vdaf/dp/samplers.hpp"
#include "vdaf/errors.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/prio3/instances.hpp"
#include "vdaf/prio3/prio3.hpp"

VDAF_BEGIN_NAMESPACE

namespace dp {

// --- sensitivities (substitution model: one client's measurement replaced) -----------------
//
// Notation: f(x) is the aggregate (the vector of output-share sums) of a batch x; x and x' differ
// in one measurement m → m'. Then f(x) − f(x') = enc(m) − enc(m'), where enc is the circuit's
// truncated output (OUTPUT_LEN integers), so Δ1 = max ‖enc(m) − enc(m')‖₁ and
// Δ2² = max ‖enc(m) − enc(m')‖₂² over valid m, m'. The maxima below are attained, so each is the
// exact sensitivity, not only a bound.

/// Prio3Count: enc(m) = m in {0, 1}. Δ1 = 1, Δ2² = 1.
/// @tparam F The Prio3 instance's field.
/// @tparam X The Prio3 instance's XOF.
/// @return {1, 1}.
template <NttField F, class X>
Sensitivity sensitivity(const Prio3<Count<F>, X>&) {
  return {BigInt(1), BigInt(1)};
}

/// Prio3Sum: enc(m) = m in [0, max_measurement] (one coordinate), so |m − m'| <= max_measurement,
/// attained by m = 0, m' = max_measurement. Δ1 = max_measurement, Δ2² = max_measurement².
/// @tparam F The Prio3 instance's field.
/// @tparam X The Prio3 instance's XOF.
/// @param vdaf The Prio3 instance.
/// @return {Δ1, Δ2²} as stated above.
template <NttField F, class X>
Sensitivity sensitivity(const Prio3<Sum<F>, X>& vdaf) {
  const BigInt m(vdaf.flp().valid().max_measurement());
  return {m, m * m};
}

/// Prio3SumVec (any field and XOF: Prio3SumVec, Prio3SumVecWithMultiproof<Field64/Field128>,
/// Prio3SumVecField64MultiproofHmacSha256Aes128): enc(m) = m, `length` entries each in
/// [0, max_measurement], so every coordinate moves by at most max_measurement, attained by
/// m = 0, m' = (max, …, max). Δ1 = length·max_measurement, Δ2² = length·max_measurement²
/// (Δ2 = sqrt(length)·max_measurement).
/// @tparam F The Prio3 instance's field.
/// @tparam X The Prio3 instance's XOF.
/// @param vdaf The Prio3 instance.
/// @return {Δ1, Δ2²} as stated above.
template <NttField F, class X>
Sensitivity sensitivity(const Prio3<SumVec<F>, X>& vdaf) {
  const auto& v = vdaf.flp().valid();
  const BigInt m(v.max_measurement());
  const BigInt len(v.length());
  return {len * m, len * m * m};
}

/// Prio3Histogram: enc(m) = the one-hot vector e_m (length >= 1). e_i − e_j has a +1 and a −1
/// for i != j (0 for i = j). Δ1 = 2, Δ2² = 2 when length >= 2; Δ1 = Δ2² = 0 for length 1 (the
/// aggregate is the public count), where 1 is used so that a distribution can still be made.
/// @tparam F The Prio3 instance's field.
/// @tparam X The Prio3 instance's XOF.
/// @param vdaf The Prio3 instance.
/// @return {Δ1, Δ2²} as stated above.
template <NttField F, class X>
Sensitivity sensitivity(const Prio3<Histogram<F>, X>& vdaf) {
  const int s = vdaf.flp().valid().length() >= 2 ? 2 : 1;
  return {BigInt(s), BigInt(s)};
}

/// Prio3MultihotCountVec: enc(m) = m in {0,1}^length with weight |m| <= max_weight (any weight
/// from 0 to max_weight is valid). m − m' has entries in {−1, 0, 1}, nonzero exactly where m and
/// m' differ, so ‖m − m'‖₁ = ‖m − m'‖₂² = |m Δ m'| <= min(|m| + |m'|, length)
/// <= min(2·max_weight, length); attained by disjoint supports of sizes min(max_weight,
/// floor(length/2)) and min(max_weight, ceil(length/2)). Δ1 = Δ2² = min(2·max_weight, length).
/// @tparam F The Prio3 instance's field.
/// @tparam X The Prio3 instance's XOF.
/// @param vdaf The Prio3 instance.
/// @return {Δ1, Δ2²} as stated above.
template <NttField F, class X>
Sensitivity sensitivity(const Prio3<MultihotCountVec<F>, X>& vdaf) {
  const auto& v = vdaf.flp().valid();
  const BigInt s(std::min<std::uint64_t>(2 * static_cast<std::uint64_t>(v.max_weight()),
                                         static_cast<std::uint64_t>(v.length())));
  return {s, s};
}

/// Prio3L1BoundSum: enc(m) = m, `length` non-negative integers with ‖m‖₁ <= max_value.
/// ‖m − m'‖₁ <= ‖m‖₁ + ‖m'‖₁ <= 2·max_value, and, entries being non-negative (m·m' >= 0),
/// ‖m − m'‖₂² = ‖m‖₂² + ‖m'‖₂² − 2·m·m' <= ‖m‖₁² + ‖m'‖₁² <= 2·max_value². Both attained by
/// m = max_value·e_1, m' = max_value·e_2 when length >= 2. With length 1, |m − m'| <= max_value.
/// Δ1 = 2·max_value, Δ2² = 2·max_value² (length >= 2); Δ1 = max_value, Δ2² = max_value²
/// (length 1).
/// @tparam F The Prio3 instance's field.
/// @tparam X The Prio3 instance's XOF.
/// @param vdaf The Prio3 instance.
/// @return {Δ1, Δ2²} as stated above.
template <NttField F, class X>
Sensitivity sensitivity(const Prio3<L1BoundSum<F>, X>& vdaf) {
  const auto& v = vdaf.flp().valid();
  const BigInt m(v.max_value());
  const BigInt k(v.length() >= 2 ? 2 : 1);
  return {k * m, k * m * m};
}

/// A noise strategy: PureDpDiscreteLaplace or ZCdpDiscreteGaussian (anything whose
/// `distribution_for(Sensitivity)` returns a distribution with `sample_vartime(rng)`).
template <class S>
concept NoiseStrategy = requires(const S& s, const Sensitivity& sens, Drbg& rng) {
  { s.distribution_for(sens).sample_vartime(rng) } -> std::same_as<BigInt>;
};

/// A Prio3 instance this module knows the sensitivity of.
template <class V>
concept HasSensitivity = requires(const V& vdaf) {
  { sensitivity(vdaf) } -> std::same_as<Sensitivity>;
};

/// The field element n mod p for any integer n (negative n → p − (|n| mod p)).
/// Not constant-time in n (big-integer division).
/// @tparam F A field of at most 128 bits (Field64, Field128).
/// @param n Any integer.
/// @return n mod p as an element of F.
template <Field F>
F to_field_vartime(const BigInt& n) {
  static_assert(sizeof(typename F::Int) <= 16, "to_field_vartime: fields of at most 128 bits");
  const BigInt p(
      static_cast<std::uint64_t>(static_cast<uint128>(F::MODULUS) >> 64) > 0
          ? (BigInt(static_cast<std::uint64_t>(static_cast<uint128>(F::MODULUS) >> 64)) << 64) +
                BigInt(static_cast<std::uint64_t>(F::MODULUS))
          : BigInt(static_cast<std::uint64_t>(F::MODULUS)));
  const BigInt r = boost::multiprecision::abs(n) % p;  // r < p < 2^128
  const std::uint64_t lo = static_cast<std::uint64_t>(r & BigInt(~std::uint64_t{0}));
  const std::uint64_t hi = static_cast<std::uint64_t>(r >> 64);
  const F x = F::from_int(static_cast<typename F::Int>((static_cast<uint128>(hi) << 64) | lo));
  return n.sign() < 0 ? -x : x;
}

/// Adds independent samples of `dist` to every element of `vec` (each sample n is added as the
/// field element n mod p).
/// @param vec   field elements (an aggregate share), any length.
/// @param dist  DiscreteLaplace or DiscreteGaussian (anything with `sample_vartime(rng)`).
/// @param rng   random byte source; use a CSPRNG.
/// @note NOT constant-time (the samplers are rejection loops; see samplers.hpp).
template <Field F, class D, RandomSource R>
void add_iid_noise_vartime(std::span<F> vec, const D& dist, R& rng) {
  for (F& x : vec) {
    BigInt n = dist.sample_vartime(rng);
    x = x + to_field_vartime<F>(n);
    n = 0;
  }
}

/// Aggregator side: adds differential-privacy noise to this aggregator's aggregate share, before
/// it is sent to the collector. Every aggregator that runs this adds noise of the full strength
/// the budget asks for, independently; so the budget holds against a collector that colludes
/// with all the other aggregators, as long as this one is honest. The collector then sees the
/// aggregate plus the sum of the S' independent noises of the S' <= S aggregators that added
/// noise (all S in the usual deployment): per coordinate variance S'·Var(noise).
///
/// The noise: per coordinate (OUTPUT_LEN of them), an independent sample of
/// `strategy.distribution_for(sensitivity(vdaf))`: discrete Laplace of scale Δ1/ε for
/// PureDpDiscreteLaplace, discrete Gaussian of variance Δ2²/(2ρ) for ZCdpDiscreteGaussian, with
/// the instance's sensitivity (the `sensitivity` overloads above, substitution model). The
/// noise does not depend on num_measurements (the sensitivity of a sum does not).
///
/// Which instances: Prio3Count, Prio3Sum, Prio3SumVec, Prio3SumVecWithMultiproof<F>,
/// Prio3SumVecField64MultiproofHmacSha256Aes128 (any Prio3 over SumVec<F>), Prio3Histogram,
/// Prio3MultihotCountVec, Prio3L1BoundSum. Not Poplar1: see docs/dp.md (the collector chooses
/// the prefixes adaptively, level by level, so the sensitivity and the composition over levels
/// are properties of the deployment's query plan, not of one aggregate share).
///
/// @param vdaf              the Prio3 instance.
/// @param strategy          PureDpDiscreteLaplace or ZCdpDiscreteGaussian.
/// @param agg_share         this aggregator's aggregate share (OUTPUT_LEN elements); noise is
///                          added in place.
/// @param num_measurements  the number of measurements aggregated (>= 1; checked for
///                          consistency with unshard, not used by the noise).
/// @param rng               random byte source (CSPRNG; the overload without it uses
///                          `thread_drbg()`).
/// @throws invalid_argument if agg_share has the wrong length, num_measurements == 0, or the
/// noise parameters exceed the limits of Rational (MAX_RATIONAL_BITS). The share is unchanged
/// when it throws.
/// @note NOT constant-time: the samplers' rejection loops take a time that depends on the noise.
template <class V, class X, NoiseStrategy S, RandomSource R>
requires HasSensitivity<Prio3<V, X>>
void add_noise_to_agg_share_vartime(const Prio3<V, X>& vdaf, const S& strategy,
                                    typename Prio3<V, X>::AggShare& agg_share,
                                    std::uint64_t num_measurements, R& rng) {
  VDAF_ARG_CHECK(agg_share.size() == vdaf.output_len(),
                 "dp::add_noise_to_agg_share: aggregate share has " +
                     std::to_string(agg_share.size()) + " elements, expected OUTPUT_LEN " +
                     std::to_string(vdaf.output_len()));
  VDAF_ARG_CHECK(num_measurements >= 1,
                 "dp::add_noise_to_agg_share: num_measurements must be >= 1");
  const auto dist = strategy.distribution_for(sensitivity(vdaf));
  using F = typename Prio3<V, X>::Field;
  add_iid_noise_vartime(std::span<F>(agg_share), dist, rng);
}

/// add_noise_to_agg_share_vartime with this thread's Drbg (`thread_drbg()`). NOT constant-time.
/// @param vdaf              the Prio3 instance.
/// @param strategy          PureDpDiscreteLaplace or ZCdpDiscreteGaussian.
/// @param agg_share         this aggregator's aggregate share (OUTPUT_LEN elements); noise is
///                          added in place.
/// @param num_measurements  the number of measurements aggregated (>= 1).
/// @throws invalid_argument as the overload with `rng`; internal_error if libsodium cannot be
/// initialised.
template <class V, class X, NoiseStrategy S>
requires HasSensitivity<Prio3<V, X>>
void add_noise_to_agg_share_vartime(const Prio3<V, X>& vdaf, const S& strategy,
                                    typename Prio3<V, X>::AggShare& agg_share,
                                    std::uint64_t num_measurements) {
  add_noise_to_agg_share_vartime(vdaf, strategy, agg_share, num_measurements, thread_drbg());
}

/// Collector side: the noisy aggregate as signed integers. Sums the S aggregate shares (merge)
/// and maps each element x in [0, p) to the integer it represents: with M = num_measurements ×
/// (the most one measurement adds to an element: 1 for Count, Histogram, MultihotCountVec;
/// max_measurement for Sum, SumVec; max_value for L1BoundSum), the true aggregate is in [0, M],
/// and the result is the representative of x in [−h, M + h] with h = floor((p − 1 − M)/2). So
/// the result equals true aggregate + total noise exactly whenever the total noise of each
/// coordinate is in [−h, h] (for Field128, h > 2^126 unless M is close to p). The result may be
/// negative or above M: that is the noise, and the collector should not clamp it before any
/// post-processing it intends (clamping is post-processing, allowed by DP, but biases sums).
/// Prio3's own `unshard` decodes into unsigned integers and so cannot show negative values.
///
/// @param vdaf              the Prio3 instance.
/// @param agg_shares        the S aggregate shares (OUTPUT_LEN elements each).
/// @param num_measurements  the number of measurements aggregated (>= 1).
/// @return OUTPUT_LEN integers.
/// @throws invalid_argument if the number or lengths of shares are wrong, num_measurements == 0,
/// or M >= p − 1 (the aggregate could wrap, as Prio3::unshard refuses).
/// @note Not constant-time (the aggregate is the collector's output, not a secret to it).
template <class V, class X>
std::vector<BigInt> unshard_noisy(const Prio3<V, X>& vdaf,
                                  std::span<const typename Prio3<V, X>::AggShare> agg_shares,
                                  std::uint64_t num_measurements) {
  using F = typename Prio3<V, X>::Field;
  VDAF_ARG_CHECK(agg_shares.size() == vdaf.shares(),
                 "dp::unshard_noisy: expected " + std::to_string(vdaf.shares()) +
                     " aggregate shares, got " + std::to_string(agg_shares.size()));
  VDAF_ARG_CHECK(num_measurements >= 1, "dp::unshard_noisy: num_measurements must be >= 1");
  for (const auto& s : agg_shares) {
    VDAF_ARG_CHECK(s.size() == vdaf.output_len(),
                   "dp::unshard_noisy: an aggregate share has " + std::to_string(s.size()) +
                       " elements, expected OUTPUT_LEN " + std::to_string(vdaf.output_len()));
  }
  BigInt per(1);
  if constexpr (requires { vdaf.flp().valid().max_value_per_measurement(); }) {
    const uint128 v = vdaf.flp().valid().max_value_per_measurement();
    per = (BigInt(static_cast<std::uint64_t>(v >> 64)) << 64) + static_cast<std::uint64_t>(v);
  }
  const uint128 pm = static_cast<uint128>(F::MODULUS);
  const BigInt p =
      (BigInt(static_cast<std::uint64_t>(pm >> 64)) << 64) + BigInt(static_cast<std::uint64_t>(pm));
  const BigInt m = per * num_measurements;
  VDAF_ARG_CHECK(m < p - 1, "dp::unshard_noisy: " + std::to_string(num_measurements) +
                                " measurements of up to " + per.str() +
                                " each could reach the field modulus " + p.str());
  const BigInt upper = m + (p - 1 - m) / 2;
  const typename Prio3<V, X>::AggParam ap{};
  const auto sum = vdaf.merge(ap, agg_shares);
  std::vector<BigInt> out;
  out.reserve(sum.size());
  for (const F& x : sum) {
    const uint128 v = static_cast<uint128>(x.as_int());
    BigInt b = (BigInt(static_cast<std::uint64_t>(v >> 64)) << 64) + static_cast<std::uint64_t>(v);
    if (b > upper) b -= p;
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace dp

VDAF_END_NAMESPACE
