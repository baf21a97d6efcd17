// Prio3Sum's validity circuit (§7.4.2).
#pragma once

#include "vdaf/ct/poison.hpp"
#include "vdaf/flp/circuits/common.hpp"

VDAF_BEGIN_NAMESPACE

/// Sum (§7.4.2): measurement in [0, max_measurement], range-checked encoding of
/// bits = bit_length(max) elements; gadget PolyEval(x² − x) called `bits` times.
/// Spec: §7.4.2.
/// @tparam F the field (Field64 in Prio3Sum).
template <NttField F>
class Sum {
 public:
  using Field = F;                    ///< The circuit's field.
  using Measurement = std::uint64_t;  ///< A measurement, in [0, max_measurement].
  using AggResult = std::uint64_t;    ///< The aggregate result: the sum of the measurements.

  /// The circuit for measurements in [0, max_measurement]: GADGETS = [PolyEval([0, −1, 1])],
  /// GADGET_CALLS = [bits].
  /// @param max_measurement  the largest measurement, > 0; over Field64 below 2^63.
  /// @throws invalid_argument if max_measurement == 0 or 2^bits >= p.
  explicit Sum(std::uint64_t max_measurement) : rc_(max_measurement, "Prio3Sum") {
    static constexpr long long kCoeffs[] = {0, -1, 1};
    gadgets_.push_back(Gadget<F>::PolyEval(kCoeffs));
    calls_.push_back(rc_.bits());
  }

  /// @return max_measurement.
  std::uint64_t max_measurement() const noexcept { return rc_.max(); }
  /// @return MEAS_LEN = bits = bit_length(max_measurement).
  std::size_t meas_len() const noexcept { return rc_.bits(); }
  /// @return JOINT_RAND_LEN = 0.
  std::size_t joint_rand_len() const noexcept { return 0; }
  /// @return OUTPUT_LEN = 1.
  std::size_t output_len() const noexcept { return 1; }
  /// @return EVAL_OUTPUT_LEN = bits.
  std::size_t eval_output_len() const noexcept { return rc_.bits(); }
  /// @return GADGETS = [PolyEval([0, −1, 1])] (x² − x).
  const std::vector<Gadget<F>>& gadgets() const noexcept { return gadgets_; }
  /// @return GADGET_CALLS = [bits].
  const std::vector<std::size_t>& gadget_calls() const noexcept { return calls_; }

  /// The largest value one measurement adds to the output (unshard's wrap check).
  /// @return max_measurement.
  uint128 max_value_per_measurement() const noexcept { return rc_.max(); }

  /// Range-checked encoding of m (RangeChecked::encode). Constant-time in m, apart from the
  /// public validity verdict (the error message then shows m).
  /// Spec: §7.4.2 `encode`.
  /// @param m    the measurement, in [0, max_measurement].
  /// @param out  receives the encoding, MEAS_LEN = bits elements.
  /// @throws invalid_argument if m > max_measurement.
  void encode(const Measurement& m, std::span<F> out) const {
    if (ct::declassify(m > rc_.max())) {  // public verdict (shard throws)
      VDAF_THROW(invalid_argument, "Prio3Sum: measurement " + std::to_string(m) +
                                       " > max_measurement " + std::to_string(rc_.max()));
    }
    rc_.encode(m, out);
  }
  /// The circuit [x_i² − x_i for each element], one gadget call per element (no joint
  /// randomness, no constant to scale by the number of shares, so the last two inputs are
  /// unused). Constant-time.
  /// Spec: §7.4.2 `eval`.
  /// @param ctx   the gadget context (records the calls).
  /// @param meas  the (share of the) encoded measurement, MEAS_LEN = bits elements.
  /// @param out   receives EVAL_OUTPUT_LEN = bits elements (all 0, or shares of 0, iff valid).
  template <class Ctx>
  void eval(Ctx& ctx, std::span<const F> meas, std::span<const F>, std::size_t,
            std::span<F> out) const {
    for (std::size_t i = 0; i < meas.size(); ++i) out[i] = ctx.call(0, meas.subspan(i, 1));
  }
  /// Decodes the range-checked value (linear: works on shares). Constant-time.
  /// Spec: §7.4.2 `truncate`.
  /// @param meas  the (share of the) encoded measurement, MEAS_LEN = bits elements.
  /// @param out   receives OUTPUT_LEN = 1 element.
  void truncate(std::span<const F> meas, std::span<F> out) const noexcept {
    out[0] = rc_.decode(meas);
  }
  /// The sum, as an integer (the number of measurements is not used).
  /// Spec: §7.4.2 `decode`.
  /// @param agg  the aggregate, OUTPUT_LEN = 1 element.
  /// @return the sum of the measurements.
  AggResult decode(std::span<const F> agg, std::uint64_t) const {
    return static_cast<AggResult>(agg[0].as_int());
  }

 private:
  RangeChecked<F> rc_;
  std::vector<Gadget<F>> gadgets_;
  std::vector<std::size_t> calls_;
};

VDAF_END_NAMESPACE
