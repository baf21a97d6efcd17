// Prio3MultihotCountVec's validity circuit (§7.4.5).
#pragma once

#include <limits>

#include "vdaf/ct/poison.hpp"
#include "vdaf/flp/circuits/common.hpp"

VDAF_BEGIN_NAMESPACE

/// MultihotCountVec (§7.4.5): `length` booleans with at most `max_weight` set.
/// Encoded as the counts followed by the range-checked weight; range check with
/// ParallelSum(Mul, chunk_length) plus Σcounts − weight = 0.
/// Spec: §7.4.5.
/// @tparam F the field (Field128 in Prio3MultihotCountVec).
template <NttField F>
class MultihotCountVec {
 public:
  /// The circuit's field.
  using Field = F;
  /// A measurement: length booleans, ≤ max_weight set.
  using Measurement = std::vector<bool>;
  /// The aggregate result: length counts.
  using AggResult = std::vector<std::uint64_t>;

  /// Limits (FlpLimits): length + bit_length(max_weight) ≤ 2^22, chunk_length ≤ 2^22, at most
  /// 2^20 calls, 2·chunk_length·next_pow2(1 + calls) ≤ 2^24 wire elements.
  /// Spec: §7.4.5.
  /// @param length        the number of booleans, >= 1.
  /// @param max_weight    the most booleans a measurement may set, in 1..length.
  /// @param chunk_length  the ParallelSum's chunk (Mul copies per call), >= 1.
  /// @throws invalid_argument if length == 0, max_weight outside 1..length or
  /// chunk_length == 0, or a limit is exceeded.
  MultihotCountVec(std::size_t length, std::size_t max_weight, std::size_t chunk_length)
      : length_(length), chunk_(chunk_length) {
    VDAF_ARG_CHECK(length > 0, "Prio3MultihotCountVec: length must be positive");
    VDAF_ARG_CHECK(max_weight > 0 && max_weight <= length,
                   "Prio3MultihotCountVec: max_weight must be in 1..length");
    VDAF_ARG_CHECK(chunk_length > 0, "Prio3MultihotCountVec: chunk_length must be positive");
    rc_ = RangeChecked<F>(max_weight, "Prio3MultihotCountVec");
    check_parallel_sum_limits("Prio3MultihotCountVec", "length + bit_length(max_weight)", length, 1,
                              rc_.bits(), chunk_length);
    gadgets_.push_back(Gadget<F>::ParallelSum(Gadget<F>::Mul(), chunk_length));
    calls_.push_back(ceil_div(length + rc_.bits(), chunk_length));
  }

  /// @return length, the number of booleans.
  std::size_t length() const noexcept { return length_; }
  /// @return max_weight.
  std::size_t max_weight() const noexcept { return static_cast<std::size_t>(rc_.max()); }
  /// @return chunk_length.
  std::size_t chunk_length() const noexcept { return chunk_; }
  /// @return MEAS_LEN = length + bits_w, bits_w = bit_length(max_weight).
  std::size_t meas_len() const noexcept { return length_ + rc_.bits(); }
  /// @return JOINT_RAND_LEN = the number of calls, ceil((length + bits_w) / chunk_length).
  std::size_t joint_rand_len() const noexcept { return calls_[0]; }
  /// @return OUTPUT_LEN = length.
  std::size_t output_len() const noexcept { return length_; }
  /// @return EVAL_OUTPUT_LEN = 2 (the range check, the weight check).
  std::size_t eval_output_len() const noexcept { return 2; }
  /// @return GADGETS = [ParallelSum(Mul, chunk_length)].
  const std::vector<Gadget<F>>& gadgets() const noexcept { return gadgets_; }
  /// @return GADGET_CALLS = [ceil((length + bits_w) / chunk_length)].
  const std::vector<std::size_t>& gadget_calls() const noexcept { return calls_; }

  /// The largest value one measurement adds to an output element (unshard's wrap check).
  /// @return 1.
  static constexpr uint128 max_value_per_measurement() noexcept { return 1; }

  /// The public part of a measurement's validity, checked before anything is sized for it:
  /// it has `length` entries.
  /// @param m  the measurement.
  /// @throws invalid_argument otherwise.
  void check_shape(const Measurement& m) const {
    if (m.size() != length_) {
      VDAF_THROW(invalid_argument, "Prio3MultihotCountVec: measurement has " +
                                       std::to_string(m.size()) + " entries, expected length " +
                                       std::to_string(length_));
    }
  }

  /// Encodes the booleans as 0/1, then the range-checked weight (the number set). Constant-time
  /// in the booleans, apart from the public validity verdict.
  /// Spec: §7.4.5 `encode`.
  /// @param m    the measurement, length booleans with at most max_weight set.
  /// @param out  receives the encoding, MEAS_LEN = length + bits_w elements.
  /// @throws invalid_argument if len(m) != length or the weight > max_weight.
  void encode(const Measurement& m, std::span<F> out) const {
    check_shape(m);
    std::uint64_t weight = 0;
    for (std::size_t i = 0; i < length_; ++i) {
      const std::uint64_t bit = m[i] ? 1 : 0;
      weight += bit;
      out[i] = field_from_bit<F>(bit);
    }
    if (ct::declassify(weight > rc_.max())) {  // public verdict (shard throws)
      VDAF_THROW(invalid_argument,
                 "Prio3MultihotCountVec: weight exceeds max_weight " + std::to_string(rc_.max()));
    }
    rc_.encode(weight, out.subspan(length_, rc_.bits()));
  }
  /// The circuit [range check of all MEAS_LEN elements (parallel_sum_range_check),
  /// Σcounts − decode(weight)]. Constant-time in the measurement share.
  /// Spec: §7.4.5 `eval`.
  /// @param ctx         the gadget context (records the calls).
  /// @param meas        the (share of the) encoded measurement, MEAS_LEN elements.
  /// @param joint_rand  the joint randomness, JOINT_RAND_LEN elements.
  /// @param num_shares  S, the number of shares (1 when proving), >= 1.
  /// @param out         receives EVAL_OUTPUT_LEN = 2 elements (0, or shares of 0, if valid).
  template <class Ctx>
  void eval(Ctx& ctx, std::span<const F> meas, std::span<const F> joint_rand,
            std::size_t num_shares, std::span<F> out) const {
    eval_on<F>(ctx, meas, joint_rand, num_shares, out);
  }
  /// eval() on another element type E: F itself, or eight elements of F in lanes (one report
  /// per lane, detail::ntt128_ifma::Field128x8: FlpBBCGGI19::query_lanes). Same shapes,
  /// results per lane and constant-time property as eval().
  /// Spec: §7.4.5 `eval`.
  /// @tparam E          the element type (F, or a lane type with E::splat(F)).
  /// @param ctx         the gadget context (records the calls).
  /// @param meas        the (share of the) encoded measurement, MEAS_LEN elements.
  /// @param joint_rand  the joint randomness, JOINT_RAND_LEN elements.
  /// @param num_shares  S, the number of shares (1 when proving), >= 1.
  /// @param out         receives EVAL_OUTPUT_LEN = 2 elements.
  template <class E, class Ctx>
  void eval_on(Ctx& ctx, std::span<const E> meas, std::span<const E> joint_rand,
               std::size_t num_shares, std::span<E> out) const {
    const E shares_inv = lift<E>(small_inverse<F>(num_shares));
    out[0] = parallel_sum_range_check<E>(ctx, meas, joint_rand, chunk_, calls_[0], shares_inv);
    out[1] = sum_of<E>(meas.first(length_)) -
             rc_.template decode_on<E>(meas.subspan(length_, rc_.bits()));
  }
  /// The first `length` elements (the counts). Constant-time.
  /// Spec: §7.4.5 `truncate`.
  /// @param meas  the (share of the) encoded measurement, MEAS_LEN elements.
  /// @param out   receives OUTPUT_LEN = length elements.
  void truncate(std::span<const F> meas, std::span<F> out) const noexcept {
    for (std::size_t i = 0; i < length_; ++i) out[i] = meas[i];
  }
  /// The per-position counts, as integers (the number of measurements is not used).
  /// Spec: §7.4.5 `decode`.
  /// @param agg  the aggregate, OUTPUT_LEN = length elements.
  /// @return one count per position (len(agg) values).
  AggResult decode(std::span<const F> agg, std::uint64_t) const {
    AggResult r(agg.size());
    for (std::size_t i = 0; i < agg.size(); ++i) r[i] = static_cast<std::uint64_t>(agg[i].as_int());
    return r;
  }

 private:
  std::size_t length_, chunk_;
  RangeChecked<F> rc_;
  std::vector<Gadget<F>> gadgets_;
  std::vector<std::size_t> calls_;
};

VDAF_END_NAMESPACE
