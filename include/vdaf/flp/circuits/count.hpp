// Prio3Count's validity circuit (§7.4.1).
#pragma once

#include "vdaf/ct/poison.hpp"
#include "vdaf/flp/circuits/common.hpp"

VDAF_BEGIN_NAMESPACE

/// Count (§7.4.1): measurement in {0, 1}; one Mul call; eval = x·x − x.
/// Spec: §7.4.1.
/// @tparam F the field (Field64 in Prio3Count).
template <NttField F>
class Count {
 public:
  using Field = F;                    ///< The circuit's field.
  using Measurement = std::uint64_t;  ///< A measurement: 0 or 1.
  using AggResult = std::uint64_t;    ///< The aggregate result: the number of 1s.

  /// The circuit: GADGETS = [Mul], GADGET_CALLS = [1].
  Count() : gadgets_{Gadget<F>::Mul()}, calls_{1} {}

  /// @return MEAS_LEN = 1.
  std::size_t meas_len() const noexcept { return 1; }
  /// @return JOINT_RAND_LEN = 0.
  std::size_t joint_rand_len() const noexcept { return 0; }
  /// @return OUTPUT_LEN = 1.
  std::size_t output_len() const noexcept { return 1; }
  /// @return EVAL_OUTPUT_LEN = 1.
  std::size_t eval_output_len() const noexcept { return 1; }
  /// @return GADGETS = [Mul].
  const std::vector<Gadget<F>>& gadgets() const noexcept { return gadgets_; }
  /// @return GADGET_CALLS = [1].
  const std::vector<std::size_t>& gadget_calls() const noexcept { return calls_; }

  /// The largest value one measurement adds to an output element (unshard's wrap check).
  /// @return 1.
  static constexpr uint128 max_value_per_measurement() noexcept { return 1; }

  /// Encodes m as [m]. Constant-time in m, apart from the public validity verdict.
  /// Spec: §7.4.1 `encode`.
  /// @param m    the measurement, 0 or 1.
  /// @param out  receives the encoding, MEAS_LEN = 1 element.
  /// @throws invalid_argument unless m is 0 or 1.
  void encode(const Measurement& m, std::span<F> out) const {
    // The validity verdict is public (shard throws); the value stays secret.
    if (ct::declassify(m > 1))
      VDAF_THROW(invalid_argument, "Prio3Count: measurement must be 0 or 1");
    out[0] = field_from_u64<F>(m);
  }
  /// The circuit [Mul(x, x) − x] (no joint randomness, no constant to scale by the number of
  /// shares, so the last two inputs are unused). Constant-time.
  /// Spec: §7.4.1 `eval`.
  /// @param ctx   the gadget context (records the Mul call).
  /// @param meas  the (share of the) encoded measurement, MEAS_LEN = 1 element.
  /// @param out   receives EVAL_OUTPUT_LEN = 1 element (0, or a share of 0, iff valid).
  template <class Ctx>
  void eval(Ctx& ctx, std::span<const F> meas, std::span<const F>, std::size_t,
            std::span<F> out) const {
    const F in[2] = {meas[0], meas[0]};
    out[0] = ctx.call(0, in) - meas[0];
  }
  /// The identity. Constant-time.
  /// Spec: §7.4.1 `truncate`.
  /// @param meas  the (share of the) encoded measurement, MEAS_LEN = 1 element.
  /// @param out   receives OUTPUT_LEN = 1 element.
  void truncate(std::span<const F> meas, std::span<F> out) const noexcept { out[0] = meas[0]; }
  /// The count, as an integer (the number of measurements is not used).
  /// Spec: §7.4.1 `decode`.
  /// @param agg  the aggregate, OUTPUT_LEN = 1 element.
  /// @return the count.
  AggResult decode(std::span<const F> agg, std::uint64_t) const {
    return static_cast<AggResult>(agg[0].as_int());
  }

 private:
  std::vector<Gadget<F>> gadgets_;
  std::vector<std::size_t> calls_;
};

VDAF_END_NAMESPACE
