// Prio3SumVec's validity circuit (§7.4.3).
#pragma once

#include <limits>

#include "vdaf/ct/poison.hpp"
#include "vdaf/flp/circuits/common.hpp"

VDAF_BEGIN_NAMESPACE

/// SumVec (§7.4.3): `length` entries each in [0, max_measurement], each
/// range-check encoded (bits elements); ParallelSum(Mul, chunk_length) range check
/// with one joint-randomness element per call.
/// Spec: §7.4.3.
/// @tparam F the field (Field128 in Prio3SumVec, Field64 in the multiproof variant).
template <NttField F>
class SumVec {
 public:
  /// The circuit's field.
  using Field = F;
  /// A measurement: length entries, each ≤ max_measurement.
  using Measurement = std::vector<std::uint64_t>;
  /// The aggregate result: length sums.
  using AggResult = std::vector<uint128>;

  /// Limits (FlpLimits): length·bit_length(max_measurement) ≤ 2^22, chunk_length ≤ 2^22, at most
  /// 2^20 calls, 2·chunk_length·next_pow2(1 + calls) ≤ 2^24 wire elements.
  /// `rule`: RangeRule::draft (the draft's instances: 2^bit_length(max_measurement) < p) or
  /// RangeRule::below_modulus (0xFFFF1003, as libprio-rs: max_measurement < p).
  /// Spec: §7.4.3 (recommended chunk_length ≈ sqrt(length·bits), §7.4.3.1).
  /// @param length           the number of entries, >= 1.
  /// @param max_measurement  the largest value of one entry, > 0 (and within `rule`).
  /// @param chunk_length     the ParallelSum's chunk (Mul copies per call), >= 1.
  /// @param rule             which max_measurement values are accepted.
  /// @throws invalid_argument if length == 0, chunk_length == 0,
  /// max_measurement == 0 or outside `rule`, or a limit is exceeded.
  SumVec(std::size_t length, std::uint64_t max_measurement, std::size_t chunk_length,
         RangeRule rule = RangeRule::draft)
      : rc_(max_measurement, "Prio3SumVec", rule), length_(length), chunk_(chunk_length) {
    VDAF_ARG_CHECK(length > 0, "Prio3SumVec: length must be positive");
    VDAF_ARG_CHECK(chunk_length > 0, "Prio3SumVec: chunk_length must be positive");
    check_parallel_sum_limits("Prio3SumVec", "length·bit_length(max_measurement)", length,
                              rc_.bits(), 0, chunk_length);
    gadgets_.push_back(Gadget<F>::ParallelSum(Gadget<F>::Mul(), chunk_length));
    calls_.push_back(ceil_div(length * rc_.bits(), chunk_length));
  }

  /// @return length, the number of entries.
  std::size_t length() const noexcept { return length_; }
  /// @return max_measurement, the largest value of one entry.
  std::uint64_t max_measurement() const noexcept { return rc_.max(); }
  /// @return chunk_length.
  std::size_t chunk_length() const noexcept { return chunk_; }
  /// @return MEAS_LEN = length·bits, bits = bit_length(max_measurement).
  std::size_t meas_len() const noexcept { return length_ * rc_.bits(); }
  /// @return JOINT_RAND_LEN = the number of calls, ceil(length·bits / chunk_length).
  std::size_t joint_rand_len() const noexcept { return calls_[0]; }
  /// @return OUTPUT_LEN = length.
  std::size_t output_len() const noexcept { return length_; }
  /// @return EVAL_OUTPUT_LEN = 1.
  std::size_t eval_output_len() const noexcept { return 1; }
  /// @return GADGETS = [ParallelSum(Mul, chunk_length)].
  const std::vector<Gadget<F>>& gadgets() const noexcept { return gadgets_; }
  /// @return GADGET_CALLS = [ceil(length·bits / chunk_length)].
  const std::vector<std::size_t>& gadget_calls() const noexcept { return calls_; }

  /// The largest value one measurement adds to an output element (unshard's wrap check).
  /// @return max_measurement.
  uint128 max_value_per_measurement() const noexcept { return rc_.max(); }

  /// The public part of a measurement's validity, checked before anything is sized for it:
  /// it has `length` entries.
  /// @param m  the measurement.
  /// @throws invalid_argument otherwise.
  void check_shape(const Measurement& m) const {
    if (m.size() != length_) {
      VDAF_THROW(invalid_argument, "Prio3SumVec: measurement has " + std::to_string(m.size()) +
                                       " entries, expected length " + std::to_string(length_));
    }
  }

  /// Range-checked encoding of each entry, concatenated. Constant-time in the entries, apart
  /// from the public validity verdict.
  /// Spec: §7.4.3 `encode`.
  /// @param m    the measurement, length entries in [0, max_measurement].
  /// @param out  receives the encoding, MEAS_LEN = length·bits elements.
  /// @throws invalid_argument if len(m) != length or an entry > max_measurement.
  void encode(const Measurement& m, std::span<F> out) const {
    check_shape(m);
    std::uint64_t bad = 0;
    for (std::uint64_t v : m) bad |= static_cast<std::uint64_t>(v > rc_.max());
    if (ct::declassify(bad) != 0) {  // public verdict (shard throws)
      VDAF_THROW(invalid_argument,
                 "Prio3SumVec: an entry exceeds max_measurement " + std::to_string(rc_.max()));
    }
    const std::size_t b = rc_.bits();
    for (std::size_t i = 0; i < length_; ++i) rc_.encode(m[i], out.subspan(i * b, b));
  }
  /// The circuit [range check (parallel_sum_range_check)]. Constant-time in the measurement
  /// share.
  /// Spec: §7.4.3 `eval`.
  /// @param ctx         the gadget context (records the calls).
  /// @param meas        the (share of the) encoded measurement, MEAS_LEN elements.
  /// @param joint_rand  the joint randomness, JOINT_RAND_LEN elements.
  /// @param num_shares  S, the number of shares (1 when proving), >= 1.
  /// @param out         receives EVAL_OUTPUT_LEN = 1 element (0, or a share of 0, if valid).
  template <class Ctx>
  void eval(Ctx& ctx, std::span<const F> meas, std::span<const F> joint_rand,
            std::size_t num_shares, std::span<F> out) const {
    eval_on<F>(ctx, meas, joint_rand, num_shares, out);
  }
  /// eval() on another element type E: F itself, or eight elements of F in lanes (one report
  /// per lane, detail::ntt128_ifma::Field128x8: FlpBBCGGI19::query_lanes). Same shapes,
  /// results per lane and constant-time property as eval().
  /// Spec: §7.4.3 `eval`.
  /// @tparam E          the element type (F, or a lane type with E::splat(F)).
  /// @param ctx         the gadget context (records the calls).
  /// @param meas        the (share of the) encoded measurement, MEAS_LEN elements.
  /// @param joint_rand  the joint randomness, JOINT_RAND_LEN elements.
  /// @param num_shares  S, the number of shares (1 when proving), >= 1.
  /// @param out         receives EVAL_OUTPUT_LEN = 1 element.
  template <class E, class Ctx>
  void eval_on(Ctx& ctx, std::span<const E> meas, std::span<const E> joint_rand,
               std::size_t num_shares, std::span<E> out) const {
    const E shares_inv = lift<E>(small_inverse<F>(num_shares));
    out[0] = parallel_sum_range_check<E>(ctx, meas, joint_rand, chunk_, calls_[0], shares_inv);
  }
  /// Decodes each entry's range-checked encoding (linear: works on shares). Constant-time.
  /// Spec: §7.4.3 `truncate`.
  /// @param meas  the (share of the) encoded measurement, MEAS_LEN = length·bits elements.
  /// @param out   receives OUTPUT_LEN = length elements.
  void truncate(std::span<const F> meas, std::span<F> out) const noexcept {
    const std::size_t b = rc_.bits();
    for (std::size_t i = 0; i < length_; ++i) out[i] = rc_.decode(meas.subspan(i * b, b));
  }
  /// The per-entry sums, as integers (the number of measurements is not used).
  /// Spec: §7.4.3 `decode`.
  /// @param agg  the aggregate, OUTPUT_LEN = length elements.
  /// @return one sum per entry (len(agg) values).
  AggResult decode(std::span<const F> agg, std::uint64_t) const {
    AggResult r(agg.size());
    for (std::size_t i = 0; i < agg.size(); ++i) r[i] = static_cast<uint128>(agg[i].as_int());
    return r;
  }

 private:
  RangeChecked<F> rc_;
  std::size_t length_, chunk_;
  std::vector<Gadget<F>> gadgets_;
  std::vector<std::size_t> calls_;
};

VDAF_END_NAMESPACE
