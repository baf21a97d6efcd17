// Prio3MultihotCountVec's validity circuit (§7.4.5).
#pragma once

#include <limits>

#include "vdaf/ct/poison.hpp"
#include "vdaf/flp/circuits/common.hpp"

VDAF_BEGIN_NAMESPACE

/// MultihotCountVec (§7.4.5): `length` booleans with at most `max_weight` set.
/// Encoded as the counts followed by the range-checked weight; range check with
/// ParallelSum(Mul, chunk_length) plus Σcounts − weight = 0.
template <NttField F>
class MultihotCountVec {
 public:
  using Field = F;
  using Measurement = std::vector<bool>;
  using AggResult = std::vector<std::uint64_t>;

  /// Limits (FlpLimits): length + bit_length(max_weight) ≤ 2^22, chunk_length ≤ 2^22, at most
  /// 2^20 calls, 2·chunk_length·next_pow2(1 + calls) ≤ 2^24 wire elements.
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

  std::size_t length() const noexcept { return length_; }
  std::size_t max_weight() const noexcept { return static_cast<std::size_t>(rc_.max()); }
  std::size_t chunk_length() const noexcept { return chunk_; }
  std::size_t meas_len() const noexcept { return length_ + rc_.bits(); }
  std::size_t joint_rand_len() const noexcept { return calls_[0]; }
  std::size_t output_len() const noexcept { return length_; }
  std::size_t eval_output_len() const noexcept { return 2; }
  const std::vector<Gadget<F>>& gadgets() const noexcept { return gadgets_; }
  const std::vector<std::size_t>& gadget_calls() const noexcept { return calls_; }

  /// The largest value one measurement adds to an output element (unshard's wrap check).
  static constexpr uint128 max_value_per_measurement() noexcept { return 1; }

  /// The public part of a measurement's validity, checked before anything is sized for it:
  /// it has `length` entries. @throws invalid_argument otherwise.
  void check_shape(const Measurement& m) const {
    if (m.size() != length_) {
      VDAF_THROW(invalid_argument, "Prio3MultihotCountVec: measurement has " +
                                       std::to_string(m.size()) + " entries, expected length " +
                                       std::to_string(length_));
    }
  }

  /// @throws invalid_argument if len(m) != length or the weight > max_weight.
  void encode(const Measurement& m, std::span<F> out) const {
    check_shape(m);
    std::uint64_t weight = 0;
    for (std::size_t i = 0; i < length_; ++i) {
      const std::uint64_t bit = m[i] ? 1 : 0;
      weight += bit;
      out[i] = field_from_u64<F>(bit);
    }
    if (ct::declassify(weight > rc_.max())) {  // public verdict (shard throws)
      VDAF_THROW(invalid_argument,
                 "Prio3MultihotCountVec: weight exceeds max_weight " + std::to_string(rc_.max()));
    }
    rc_.encode(weight, out.subspan(length_, rc_.bits()));
  }
  template <class Ctx>
  void eval(Ctx& ctx, std::span<const F> meas, std::span<const F> joint_rand,
            std::size_t num_shares, std::span<F> out) const {
    const F shares_inv = small_inverse<F>(num_shares);
    out[0] = parallel_sum_range_check<F>(ctx, meas, joint_rand, chunk_, calls_[0], shares_inv);
    F weight = F::zero();
    for (std::size_t i = 0; i < length_; ++i) weight += meas[i];
    out[1] = weight - rc_.decode(meas.subspan(length_, rc_.bits()));
  }
  void truncate(std::span<const F> meas, std::span<F> out) const noexcept {
    for (std::size_t i = 0; i < length_; ++i) out[i] = meas[i];
  }
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
