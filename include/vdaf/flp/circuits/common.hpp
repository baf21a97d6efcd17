// Pieces shared by the Prio3 validity circuits (§7.4).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "vdaf/ct/ct.hpp"
#include "vdaf/errors.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/flp/gadgets.hpp"
#include "vdaf/flp/limits.hpp"

VDAF_BEGIN_NAMESPACE

/// A field constant as element type E: x itself when E is the field, else E::splat(x) (all
/// lanes x, for circuits evaluated on lanes; see Histogram::eval_on).
/// @tparam E  the element type.
/// @param x   the constant (public).
/// @return x as an E.
template <class E, NttField F>
E lift(const F& x) noexcept {
  if constexpr (std::is_same_v<E, F>) {
    return x;
  } else {
    return E::splat(x);
  }
}

/// Which maxima a range-checked encoding accepts.
enum class RangeRule {
  /// The draft's reference code (poc/vdaf_poc/flp_bbcggi19.py): 2^bit_length(max) < p, so over
  /// Field64 max < 2^63.
  draft,
  /// libprio-rs (and Janus, which deploys it): any max below the field modulus p, so over
  /// Field64 also 2^63 <= max < p. The encoding is sound either way: every bit vector decodes to
  /// at most max < p.
  below_modulus,
};

/// Range-checked integer encoding of §7.4.2 for values in [0, max], max > 0:
/// bits = bit_length(max) elements, weights 1, 2, …, 2^(bits−2), last_weight
/// (= max − (2^(bits−1) − 1)). Used by Sum, SumVec, MultihotCountVec and L1BoundSum.
/// Spec: §7.4.2 (`encode_range_checked_int`, `decode_range_checked_int`).
/// @tparam F the circuit's field.
template <NttField F>
class RangeChecked {
 public:
  /// The encoding of max = 1 (bits = 1, last_weight = 1); meant to be assigned over.
  RangeChecked() = default;
  /// Builds the encoding of [0, max].
  /// @param max   the largest value, > 0.
  /// @param who   the name that prefixes the error messages (e.g. "Prio3Sum").
  /// @param rule  which maxima are accepted (RangeRule::draft by default).
  /// @throws invalid_argument if max == 0, or (RangeRule::draft) 2^bits >= p, or
  /// (RangeRule::below_modulus) max >= p.
  RangeChecked(std::uint64_t max, const char* who, RangeRule rule = RangeRule::draft) : max_(max) {
    VDAF_ARG_CHECK(max > 0, std::string(who) + ": max_measurement must be positive");
    bits_ = static_cast<std::size_t>(std::bit_width(max));
    if (rule == RangeRule::draft) {
      // 2^bits < p: always true for Field128 (bits <= 64); for Field64 bits <= 63.
      VDAF_ARG_CHECK(bits_ < 64 || sizeof(typename F::Int) > 8,
                     std::string(who) + ": 2^bit_length(max_measurement) must be < field modulus");
    } else {
      VDAF_ARG_CHECK(sizeof(typename F::Int) > 8 || max < static_cast<std::uint64_t>(F::MODULUS),
                     std::string(who) + ": max_measurement must be below the field modulus");
    }
    rest_ = (std::uint64_t{1} << (bits_ - 1)) - 1;  // 2^(bits−1) − 1
    last_weight_ = max - rest_;
    last_weight_f_ = field_from_u64<F>(last_weight_);
  }
  /// @return bits = bit_length(max): the elements of one encoded value.
  std::size_t bits() const noexcept { return bits_; }
  /// @return max, the largest encodable value.
  std::uint64_t max() const noexcept { return max_; }

  /// Writes bits() elements for v (caller has checked v <= max). Constant-time in v.
  /// Spec: §7.4.2 `encode_range_checked_int`.
  /// @param v    the value, in [0, max] (not checked: a larger v gives a wrong encoding).
  /// @param out  receives the encoding, bits() elements (its first bits() are written).
  void encode(std::uint64_t v, std::span<F> out) const noexcept {
    // gt = 1 iff v > rest (then encode v − last_weight and set the last element).
    const std::uint64_t gt =
        static_cast<std::uint64_t>((static_cast<uint128>(rest_) - static_cast<uint128>(v)) >> 127);
    const std::uint64_t x = v - (last_weight_ & (0 - value_barrier(gt)));
    for (std::size_t l = 0; l + 1 < bits_; ++l) out[l] = field_from_bit<F>((x >> l) & 1);
    out[bits_ - 1] = field_from_bit<F>(gt);
  }
  /// Linear decoding Σ 2^l·x_l + last_weight·x_last (works on shares; len(x) = bits()).
  /// The powers of two by Horner's rule with doubling (additions only), the last weight
  /// precomputed and skipped when it is 1 (a public property of max, e.g. max = 1).
  /// Constant-time in x.
  /// Spec: §7.4.2 `decode_range_checked_int`.
  /// @param x  an encoding or a share of one, bits() elements (not checked).
  /// @return the decoded value (or the share of it).
  F decode(std::span<const F> x) const noexcept { return decode_on<F>(x); }
  /// decode() on element type E: F, or eight elements of F in lanes (see Histogram::eval_on).
  /// Spec: §7.4.2 `decode_range_checked_int`.
  /// @tparam E  the element type (F, or a lane type with E::splat(F)).
  /// @param x  an encoding or a share of one, bits() elements (not checked).
  /// @return the decoded value (or the share of it), per lane.
  template <class E>
  E decode_on(std::span<const E> x) const noexcept {
    E acc = E::zero();
    for (std::size_t l = bits_ - 1; l-- > 0;) acc = acc + acc + x[l];
    const E last = x[bits_ - 1];
    return acc + (last_weight_ == 1 ? last : lift<E>(last_weight_f_) * last);
  }

 private:
  std::uint64_t max_ = 1, rest_ = 0, last_weight_ = 1;
  F last_weight_f_ = F::one();
  std::size_t bits_ = 1;
};

/// The range check of SumVec/Histogram/MultihotCountVec (§7.4.3): for each of
/// `calls` chunks, with r = joint_rand[i], the ParallelSum(Mul, chunk) inputs are
/// (r^(j+1)·x, x − 1/S) for element index i·chunk + j (x = 0 past the end).
/// Constant-time in the measurement share (the inputs are kept in wiping memory).
/// Spec: §7.4.3 (SumVec's `eval`).
/// @param ctx         the gadget context; gadget 0 must be ParallelSum(Mul, chunk).
/// @param meas        the (share of the) encoded measurement, at most calls·chunk elements.
/// @param joint_rand  the joint randomness, at least `calls` elements (one per call).
/// @param chunk       chunk_length, >= 1.
/// @param calls       the number of gadget calls, ceil(len(meas) / chunk).
/// @param shares_inv  1/S, the inverse of the number of shares (1 when proving).
/// @return the range check: the sum of the `calls` gadget outputs (a share of 0 if valid).
/// @tparam F  the element type: the circuit's field, or eight of its elements in lanes
///            (detail::ntt128_ifma::Field128x8, for FlpBBCGGI19::query_lanes).
template <class F, class Ctx>
F parallel_sum_range_check(Ctx& ctx, std::span<const F> meas, std::span<const F> joint_rand,
                           std::size_t chunk, std::size_t calls, F shares_inv) {
  // The powers r^(j+1) of kGroup calls at a time, computed as kGroup independent chains (one
  // chain of `chunk` dependent multiplications per call would leave the multiplier waiting on
  // its latency); then the calls' inputs, one call after the other. Past the last call the
  // chains run on 0 (a public count, no branch on data).
  constexpr std::size_t kGroup = 4;
  secret_vector<F> inputs(2 * chunk), powers(kGroup * chunk);
  F acc = F::zero(), r[kGroup], r_power[kGroup];
  for (std::size_t i0 = 0; i0 < calls; i0 += kGroup) {
    const std::size_t group = calls - i0 < kGroup ? calls - i0 : kGroup;
    for (std::size_t g = 0; g < kGroup; ++g)
      r[g] = r_power[g] = g < group ? joint_rand[i0 + g] : F::zero();
    for (std::size_t j = 0; j < chunk; ++j) {
      for (std::size_t g = 0; g < kGroup; ++g) {
        powers[g * chunk + j] = r_power[g];
        r_power[g] *= r[g];
      }
    }
    for (std::size_t g = 0; g < group; ++g) {
      const std::size_t i = i0 + g;
      for (std::size_t j = 0; j < chunk; ++j) {
        const std::size_t index = i * chunk + j;
        const F x = index < meas.size() ? meas[index] : F::zero();
        inputs[2 * j] = powers[g * chunk + j] * x;
        inputs[2 * j + 1] = x - shares_inv;
      }
      acc += ctx.call(0, std::span<const F>(inputs));
    }
  }
  secure_zero(r, sizeof r);
  secure_zero(r_power, sizeof r_power);
  return acc;
}

/// The checks a ParallelSum(Mul, chunk_length) circuit makes of its parameters before computing
/// anything from them: meas_len (given as length·per + extra, computed here without overflow)
/// at most FlpLimits::MAX_MEAS_LEN, and chunk_length at most FlpLimits::MAX_WIRE_ELEMENTS / 4
/// (its gadget has arity 2·chunk_length and at least 2 points). The FLP checks the rest (calls,
/// arity·P) when it is built.
/// @param who           the circuit's name, for the message (e.g. "Prio3SumVec").
/// @param what          how the message names meas_len (e.g. "length·bit_length(max_measurement)").
/// @param length        the circuit's length parameter.
/// @param per           the elements per entry, >= 1.
/// @param extra         the elements added after the entries, <= FlpLimits::MAX_MEAS_LEN.
/// @param chunk_length  the circuit's chunk_length.
/// @throws invalid_argument naming the limit.
inline void check_parallel_sum_limits(const char* who, const char* what, std::size_t length,
                                      std::size_t per, std::size_t extra,
                                      std::size_t chunk_length) {
  constexpr std::size_t kMax = FlpLimits::MAX_MEAS_LEN;
  if (length > (kMax - extra) / per) {
    const uint128 meas_len = static_cast<uint128>(length) * per + extra;  // no overflow in 128 bits
    const auto shown = meas_len > ~0ULL ? ~0ULL : static_cast<unsigned long long>(meas_len);
    VDAF_THROW(invalid_argument,
               detail::limit_message(who, what, shown, kMax, "FlpLimits::MAX_MEAS_LEN"));
  }
  VDAF_ARG_CHECK(
      chunk_length <= FlpLimits::MAX_WIRE_ELEMENTS / 4,
      detail::limit_message(who, "chunk_length", chunk_length, FlpLimits::MAX_WIRE_ELEMENTS / 4,
                            "FlpLimits::MAX_WIRE_ELEMENTS / 4"));
}

/// Σ xs over element type E: E::sum (a lane type's reduced-once sum) when E has one, else one
/// addition after the other. Constant-time.
/// @tparam E  the element type.
/// @param xs  the terms.
/// @return their sum.
template <class E>
E sum_of(std::span<const E> xs) noexcept {
  if constexpr (requires { E::sum(xs.data(), xs.size()); }) {
    return E::sum(xs.data(), xs.size());
  } else {
    E acc = E::zero();
    for (const E& x : xs) acc += x;
    return acc;
  }
}

/// ceil(a / b) for b > 0.
/// @param a  the dividend; a + b − 1 must not overflow.
/// @param b  the divisor, > 0.
/// @return ceil(a / b).
constexpr std::size_t ceil_div(std::size_t a, std::size_t b) noexcept { return (a + b - 1) / b; }

VDAF_END_NAMESPACE
