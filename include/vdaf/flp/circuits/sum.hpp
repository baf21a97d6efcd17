// Prio3Sum's validity circuit (§7.4.2).
#pragma once

#include "vdaf/ct/poison.hpp"
#include "vdaf/flp/circuits/common.hpp"

VDAF_BEGIN_NAMESPACE

/// Sum (§7.4.2): measurement in [0, max_measurement], range-checked encoding of
/// bits = bit_length(max) elements; gadget PolyEval(x² − x) called `bits` times.
template <NttField F>
class Sum {
 public:
  using Field = F;
  using Measurement = std::uint64_t;
  using AggResult = std::uint64_t;

  /// @throws invalid_argument if max_measurement == 0 or 2^bits >= p.
  explicit Sum(std::uint64_t max_measurement) : rc_(max_measurement, "Prio3Sum") {
    static constexpr long long kCoeffs[] = {0, -1, 1};
    gadgets_.push_back(Gadget<F>::PolyEval(kCoeffs));
    calls_.push_back(rc_.bits());
  }

  std::uint64_t max_measurement() const noexcept { return rc_.max(); }
  std::size_t meas_len() const noexcept { return rc_.bits(); }
  std::size_t joint_rand_len() const noexcept { return 0; }
  std::size_t output_len() const noexcept { return 1; }
  std::size_t eval_output_len() const noexcept { return rc_.bits(); }
  const std::vector<Gadget<F>>& gadgets() const noexcept { return gadgets_; }
  const std::vector<std::size_t>& gadget_calls() const noexcept { return calls_; }

  /// The largest value one measurement adds to the output (unshard's wrap check).
  uint128 max_value_per_measurement() const noexcept { return rc_.max(); }

  /// @throws invalid_argument if m > max_measurement.
  void encode(const Measurement& m, std::span<F> out) const {
    if (ct::declassify(m > rc_.max())) {  // public verdict (shard throws)
      VDAF_THROW(invalid_argument, "Prio3Sum: measurement " + std::to_string(m) +
                                       " > max_measurement " + std::to_string(rc_.max()));
    }
    rc_.encode(m, out);
  }
  template <class Ctx>
  void eval(Ctx& ctx, std::span<const F> meas, std::span<const F>, std::size_t,
            std::span<F> out) const {
    for (std::size_t i = 0; i < meas.size(); ++i) out[i] = ctx.call(0, meas.subspan(i, 1));
  }
  void truncate(std::span<const F> meas, std::span<F> out) const noexcept {
    out[0] = rc_.decode(meas);
  }
  AggResult decode(std::span<const F> agg, std::uint64_t) const {
    return static_cast<AggResult>(agg[0].as_int());
  }

 private:
  RangeChecked<F> rc_;
  std::vector<Gadget<F>> gadgets_;
  std::vector<std::size_t> calls_;
};

VDAF_END_NAMESPACE
