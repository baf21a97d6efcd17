// Prio3L1BoundSum's validity circuit (draft-ietf-ppm-l1-bound-sum-02; not in
// draft-irtf-cfrg-vdaf-20).
#pragma once

#include <limits>

#include "vdaf/ct/poison.hpp"
#include "vdaf/flp/circuits/common.hpp"

VDAF_BEGIN_NAMESPACE

/// L1BoundSum (draft-ietf-ppm-l1-bound-sum-02, §5): a vector of `length` non-negative integers
/// whose sum (L1 norm) is at most `max_value`. Encoded as the `length` entries, then their sum
/// (the claimed weight), each range-checked with bits = bit_length(max_value) elements (the
/// encoding of draft-irtf-cfrg-vdaf-20 §7.4.2), so MEAS_LEN = (length + 1)·bits. The circuit
/// (EVAL_OUTPUT_LEN = 2) is the SumVec range check of every element with ParallelSum(Mul,
/// chunk_length), one joint-randomness element per call, and Σ decode(entry) − decode(weight).
/// A weight in [0, max_value] that equals the sum bounds the L1 norm; each entry is then at most
/// max_value too.
/// Spec: draft-ietf-ppm-l1-bound-sum-02 (not draft-irtf-cfrg-vdaf-20).
/// @tparam F the field (Field128 in Prio3L1BoundSum).
template <NttField F>
class L1BoundSum {
 public:
  /// The circuit's field.
  using Field = F;
  /// A measurement: length entries, sum ≤ max_value.
  using Measurement = std::vector<std::uint64_t>;
  /// The aggregate result: length sums.
  using AggResult = std::vector<uint128>;

  /// Limits (FlpLimits): (length + 1)·bit_length(max_value) ≤ 2^22, chunk_length ≤ 2^22, at most
  /// 2^20 calls, 2·chunk_length·next_pow2(1 + calls) ≤ 2^24 wire elements. max_value is a 64-bit
  /// integer here (libprio-rs accepts any max_value below the Field128 modulus; measurements are
  /// vectors of uint64 in this library, so larger bounds would be unusable).
  /// @param length        the number of entries, >= 1 (and < 2^22).
  /// @param max_value     the bound on the sum of the entries, > 0.
  /// @param chunk_length  the ParallelSum's chunk (Mul copies per call), >= 1.
  /// @throws invalid_argument if length == 0, chunk_length == 0, max_value == 0, or a limit is
  /// exceeded.
  L1BoundSum(std::size_t length, std::uint64_t max_value, std::size_t chunk_length)
      : rc_(max_value, "Prio3L1BoundSum"), length_(length), chunk_(chunk_length) {
    VDAF_ARG_CHECK(length > 0, "Prio3L1BoundSum: length must be positive");
    VDAF_ARG_CHECK(chunk_length > 0, "Prio3L1BoundSum: chunk_length must be positive");
    VDAF_ARG_CHECK(length < FlpLimits::MAX_MEAS_LEN,
                   detail::limit_message("Prio3L1BoundSum", "length", length,
                                         FlpLimits::MAX_MEAS_LEN, "FlpLimits::MAX_MEAS_LEN"));
    check_parallel_sum_limits("Prio3L1BoundSum", "(length + 1)·bit_length(max_value)", length + 1,
                              rc_.bits(), 0, chunk_length);
    gadgets_.push_back(Gadget<F>::ParallelSum(Gadget<F>::Mul(), chunk_length));
    calls_.push_back(ceil_div((length + 1) * rc_.bits(), chunk_length));
  }

  /// @return length, the number of entries.
  std::size_t length() const noexcept { return length_; }
  /// @return max_value, the bound on the sum of the entries.
  std::uint64_t max_value() const noexcept { return rc_.max(); }
  /// @return chunk_length.
  std::size_t chunk_length() const noexcept { return chunk_; }
  /// @return bits = bit_length(max_value): the elements of one range-checked value.
  std::size_t bits() const noexcept { return rc_.bits(); }
  /// @return MEAS_LEN = (length + 1)·bits.
  std::size_t meas_len() const noexcept { return (length_ + 1) * rc_.bits(); }
  /// @return JOINT_RAND_LEN = the number of calls, ceil((length + 1)·bits / chunk_length).
  std::size_t joint_rand_len() const noexcept { return calls_[0]; }
  /// @return OUTPUT_LEN = length.
  std::size_t output_len() const noexcept { return length_; }
  /// @return EVAL_OUTPUT_LEN = 2 (the range check, the sum check).
  std::size_t eval_output_len() const noexcept { return 2; }
  /// @return GADGETS = [ParallelSum(Mul, chunk_length)].
  const std::vector<Gadget<F>>& gadgets() const noexcept { return gadgets_; }
  /// @return GADGET_CALLS = [ceil((length + 1)·bits / chunk_length)].
  const std::vector<std::size_t>& gadget_calls() const noexcept { return calls_; }

  /// The largest value one measurement adds to an output element (unshard's wrap check).
  /// @return max_value.
  uint128 max_value_per_measurement() const noexcept { return rc_.max(); }

  /// The public part of a measurement's validity, checked before anything is sized for it:
  /// it has `length` entries.
  /// @param m  the measurement.
  /// @throws invalid_argument otherwise.
  void check_shape(const Measurement& m) const {
    if (m.size() != length_) {
      VDAF_THROW(invalid_argument, "Prio3L1BoundSum: measurement has " + std::to_string(m.size()) +
                                       " entries, expected length " + std::to_string(length_));
    }
  }

  /// Writes the entries, then their sum, each range-checked. Constant-time in the entries (the
  /// verdict is public: shard throws).
  /// @param m    the measurement, length entries whose sum is at most max_value.
  /// @param out  receives the encoding, MEAS_LEN = (length + 1)·bits elements.
  /// @throws invalid_argument if len(m) != length or the sum of the entries exceeds max_value.
  void encode(const Measurement& m, std::span<F> out) const {
    check_shape(m);
    uint128 sum = 0;  // length < 2^22 entries below 2^64: no overflow
    for (std::uint64_t v : m) sum += v;
    if (ct::declassify(sum > rc_.max())) {  // public verdict (shard throws)
      VDAF_THROW(invalid_argument, "Prio3L1BoundSum: the sum of the entries exceeds max_value " +
                                       std::to_string(rc_.max()));
    }
    const std::size_t b = rc_.bits();
    for (std::size_t i = 0; i < length_; ++i) rc_.encode(m[i], out.subspan(i * b, b));
    rc_.encode(static_cast<std::uint64_t>(sum), out.subspan(length_ * b, b));
  }
  /// The circuit [range check of all MEAS_LEN elements (parallel_sum_range_check),
  /// Σ decode(entry) − decode(weight)]. Constant-time in the measurement share.
  /// @param ctx         the gadget context (records the calls).
  /// @param meas        the (share of the) encoded measurement, MEAS_LEN elements.
  /// @param joint_rand  the joint randomness, JOINT_RAND_LEN elements.
  /// @param num_shares  S, the number of shares (1 when proving), >= 1.
  /// @param out         receives EVAL_OUTPUT_LEN = 2 elements (0, or shares of 0, if valid).
  template <class Ctx>
  void eval(Ctx& ctx, std::span<const F> meas, std::span<const F> joint_rand,
            std::size_t num_shares, std::span<F> out) const {
    const F shares_inv = small_inverse<F>(num_shares);
    out[0] = parallel_sum_range_check<F>(ctx, meas, joint_rand, chunk_, calls_[0], shares_inv);
    const std::size_t b = rc_.bits();
    F observed = F::zero();
    for (std::size_t i = 0; i < length_; ++i) observed += rc_.decode(meas.subspan(i * b, b));
    out[1] = observed - rc_.decode(meas.subspan(length_ * b, b));
  }
  /// Decodes each of the `length` entries (the weight is dropped; linear: works on shares).
  /// Constant-time.
  /// @param meas  the (share of the) encoded measurement, MEAS_LEN elements.
  /// @param out   receives OUTPUT_LEN = length elements.
  void truncate(std::span<const F> meas, std::span<F> out) const noexcept {
    const std::size_t b = rc_.bits();
    for (std::size_t i = 0; i < length_; ++i) out[i] = rc_.decode(meas.subspan(i * b, b));
  }
  /// The per-entry sums, as integers (the number of measurements is not used).
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
