// The test-only circuit of the draft's Prio3HigherDegree vectors.
#pragma once

#include "vdaf/flp/circuits/common.hpp"

VDAF_BEGIN_NAMESPACE

/// HigherDegree (test vectors only): measurement in {0, 1, 2}; one call of
/// PolyEval([0, 2, −3, 1]) = x(x−1)(x−2), a degree-3 gadget; eval = [gadget(x)].
/// Spec: the Prio3HigherDegree test vectors of draft-irtf-cfrg-vdaf-20 (not a §7.4 instance).
/// @tparam F the field (Field64 in the vectors).
template <NttField F>
class HigherDegree {
 public:
  using Field = F;                    ///< The circuit's field.
  using Measurement = std::uint64_t;  ///< A measurement: 0, 1 or 2.
  using AggResult = std::uint64_t;    ///< The aggregate result: the sum of the measurements.

  /// The circuit: GADGETS = [PolyEval([0, 2, −3, 1])], GADGET_CALLS = [1].
  HigherDegree() {
    static constexpr long long kCoeffs[] = {0, 2, -3, 1};
    gadgets_.push_back(Gadget<F>::PolyEval(kCoeffs));
    calls_.push_back(1);
  }
  /// @return MEAS_LEN = 1.
  std::size_t meas_len() const noexcept { return 1; }
  /// @return JOINT_RAND_LEN = 0.
  std::size_t joint_rand_len() const noexcept { return 0; }
  /// @return OUTPUT_LEN = 1.
  std::size_t output_len() const noexcept { return 1; }
  /// @return EVAL_OUTPUT_LEN = 1.
  std::size_t eval_output_len() const noexcept { return 1; }
  /// @return GADGETS = [PolyEval([0, 2, −3, 1])] (degree 3).
  const std::vector<Gadget<F>>& gadgets() const noexcept { return gadgets_; }
  /// @return GADGET_CALLS = [1].
  const std::vector<std::size_t>& gadget_calls() const noexcept { return calls_; }

  /// The largest value one measurement adds to an output element (unshard's wrap check).
  /// @return 2.
  static constexpr uint128 max_value_per_measurement() noexcept { return 2; }

  /// Encodes m as [m]. Not constant-time in the verdict: the check m > 2 is a plain branch
  /// (not declassified, unlike the §7.4 circuits; this circuit is for test vectors only).
  /// @param m    the measurement, 0, 1 or 2.
  /// @param out  receives the encoding, MEAS_LEN = 1 element.
  /// @throws invalid_argument unless m is 0, 1 or 2.
  void encode(const Measurement& m, std::span<F> out) const {
    if (m > 2) VDAF_THROW(invalid_argument, "Prio3HigherDegree: measurement must be 0, 1 or 2");
    out[0] = field_from_u64<F>(m);
  }
  /// The circuit [x(x−1)(x−2)] by one call of the gadget (no joint randomness, no constant to
  /// scale by the number of shares, so the last two inputs are unused). Constant-time.
  /// @param ctx   the gadget context (records the call).
  /// @param meas  the (share of the) encoded measurement, MEAS_LEN = 1 element.
  /// @param out   receives EVAL_OUTPUT_LEN = 1 element (0, or a share of 0, iff valid).
  template <class Ctx>
  void eval(Ctx& ctx, std::span<const F> meas, std::span<const F>, std::size_t,
            std::span<F> out) const {
    out[0] = ctx.call(0, meas.subspan(0, 1));
  }
  /// The identity. Constant-time.
  /// @param meas  the (share of the) encoded measurement, MEAS_LEN = 1 element.
  /// @param out   receives OUTPUT_LEN = 1 element.
  void truncate(std::span<const F> meas, std::span<F> out) const noexcept { out[0] = meas[0]; }
  /// The sum, as an integer (the number of measurements is not used).
  /// @param agg  the aggregate, OUTPUT_LEN = 1 element.
  /// @return the sum of the measurements.
  AggResult decode(std::span<const F> agg, std::uint64_t) const {
    return static_cast<AggResult>(agg[0].as_int());
  }

 private:
  std::vector<Gadget<F>> gadgets_;
  std::vector<std::size_t> calls_;
};

VDAF_END_NAMESPACE
