// Prio3Histogram's validity circuit (§7.4.4).
#pragma once

#include <limits>

#include "vdaf/ct/poison.hpp"
#include "vdaf/flp/circuits/common.hpp"

VDAF_BEGIN_NAMESPACE

/// Histogram (§7.4.4): one-hot vector of `length` buckets; range check with
/// ParallelSum(Mul, chunk_length) plus the check Σx = 1.
/// Spec: §7.4.4.
/// @tparam F the field (Field128 in Prio3Histogram).
template <NttField F>
class Histogram {
 public:
  /// The circuit's field.
  using Field = F;
  /// A measurement: the bucket index, < length.
  using Measurement = std::uint64_t;
  /// The aggregate result: length bucket counts.
  using AggResult = std::vector<std::uint64_t>;

  /// Limits (FlpLimits): length ≤ 2^22, chunk_length ≤ 2^22, ceil(length/chunk_length) ≤ 2^20
  /// calls, 2·chunk_length·next_pow2(1 + calls) ≤ 2^24 wire elements.
  /// Spec: §7.4.4 (recommended chunk_length ≈ sqrt(length)).
  /// @param length        the number of buckets, >= 1.
  /// @param chunk_length  the ParallelSum's chunk (Mul copies per call), >= 1.
  /// @throws invalid_argument if length == 0 or chunk_length == 0, or a limit is exceeded.
  Histogram(std::size_t length, std::size_t chunk_length) : length_(length), chunk_(chunk_length) {
    VDAF_ARG_CHECK(length > 0, "Prio3Histogram: length must be positive");
    VDAF_ARG_CHECK(chunk_length > 0, "Prio3Histogram: chunk_length must be positive");
    check_parallel_sum_limits("Prio3Histogram", "length", length, 1, 0, chunk_length);
    gadgets_.push_back(Gadget<F>::ParallelSum(Gadget<F>::Mul(), chunk_length));
    calls_.push_back(ceil_div(length, chunk_length));
  }

  /// @return length, the number of buckets.
  std::size_t length() const noexcept { return length_; }
  /// @return chunk_length.
  std::size_t chunk_length() const noexcept { return chunk_; }
  /// @return MEAS_LEN = length.
  std::size_t meas_len() const noexcept { return length_; }
  /// @return JOINT_RAND_LEN = the number of calls, ceil(length / chunk_length).
  std::size_t joint_rand_len() const noexcept { return calls_[0]; }
  /// @return OUTPUT_LEN = length.
  std::size_t output_len() const noexcept { return length_; }
  /// @return EVAL_OUTPUT_LEN = 2 (the range check, the sum check).
  std::size_t eval_output_len() const noexcept { return 2; }
  /// @return GADGETS = [ParallelSum(Mul, chunk_length)].
  const std::vector<Gadget<F>>& gadgets() const noexcept { return gadgets_; }
  /// @return GADGET_CALLS = [ceil(length / chunk_length)].
  const std::vector<std::size_t>& gadget_calls() const noexcept { return calls_; }

  /// The largest value one measurement adds to an output element (unshard's wrap check).
  /// @return 1.
  static constexpr uint128 max_value_per_measurement() noexcept { return 1; }

  /// Checked before anything is sized for the measurement: m < length (the verdict is public:
  /// shard throws).
  /// @param m  the measurement (bucket index).
  /// @throws invalid_argument otherwise (the message shows m).
  void check_shape(const Measurement& m) const {
    if (ct::declassify(m >= length_)) {
      VDAF_THROW(invalid_argument, "Prio3Histogram: measurement " + std::to_string(m) +
                                       " >= length " + std::to_string(length_));
    }
  }

  /// One-hot encoding, constant-time in the bucket index (apart from the public check m <
  /// length).
  /// Spec: §7.4.4 `encode`.
  /// @param m    the bucket index, in 0..length−1.
  /// @param out  receives the encoding, MEAS_LEN = length elements (1 at index m, 0 elsewhere).
  /// @throws invalid_argument if m >= length.
  void encode(const Measurement& m, std::span<F> out) const {
    check_shape(m);
    for (std::size_t i = 0; i < length_; ++i) {
      const std::uint64_t d = static_cast<std::uint64_t>(i) ^ m;
      const std::uint64_t eq = 1 ^ ((d | (0 - d)) >> 63);  // 1 iff i == m
      out[i] = field_from_bit<F>(value_barrier(eq));
    }
  }
  /// The circuit [range check (parallel_sum_range_check), Σx − 1/S]. Constant-time in the
  /// measurement share.
  /// Spec: §7.4.4 `eval`.
  /// @param ctx         the gadget context (records the calls).
  /// @param meas        the (share of the) encoded measurement, MEAS_LEN = length elements.
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
  /// Spec: §7.4.4 `eval`.
  /// @tparam E          the element type (F, or a lane type with E::splat(F)).
  /// @param ctx         the gadget context (records the calls).
  /// @param meas        the (share of the) encoded measurement, MEAS_LEN = length elements.
  /// @param joint_rand  the joint randomness, JOINT_RAND_LEN elements.
  /// @param num_shares  S, the number of shares (1 when proving), >= 1.
  /// @param out         receives EVAL_OUTPUT_LEN = 2 elements.
  template <class E, class Ctx>
  void eval_on(Ctx& ctx, std::span<const E> meas, std::span<const E> joint_rand,
               std::size_t num_shares, std::span<E> out) const {
    const E shares_inv = lift<E>(small_inverse<F>(num_shares));
    out[0] = parallel_sum_range_check<E>(ctx, meas, joint_rand, chunk_, calls_[0], shares_inv);
    out[1] = sum_of<E>(meas) - shares_inv;
  }
  /// The identity. Constant-time.
  /// Spec: §7.4.4 `truncate`.
  /// @param meas  the (share of the) encoded measurement, MEAS_LEN = length elements.
  /// @param out   receives OUTPUT_LEN = length elements.
  void truncate(std::span<const F> meas, std::span<F> out) const noexcept {
    for (std::size_t i = 0; i < length_; ++i) out[i] = meas[i];
  }
  /// The bucket counts, as integers (the number of measurements is not used).
  /// Spec: §7.4.4 `decode`.
  /// @param agg  the aggregate, OUTPUT_LEN = length elements.
  /// @return one count per bucket (len(agg) values).
  AggResult decode(std::span<const F> agg, std::uint64_t) const {
    AggResult r(agg.size());
    for (std::size_t i = 0; i < agg.size(); ++i) r[i] = static_cast<std::uint64_t>(agg[i].as_int());
    return r;
  }

 private:
  std::size_t length_, chunk_;
  std::vector<Gadget<F>> gadgets_;
  std::vector<std::size_t> calls_;
};

VDAF_END_NAMESPACE
