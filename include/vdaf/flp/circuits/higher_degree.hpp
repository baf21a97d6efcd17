// The test-only circuit of the draft's Prio3HigherDegree vectors.
#pragma once

#include "vdaf/flp/circuits/common.hpp"

VDAF_BEGIN_NAMESPACE

/// HigherDegree (test vectors only): measurement in {0, 1, 2}; one call of
/// PolyEval([0, 2, −3, 1]) = x(x−1)(x−2), a degree-3 gadget; eval = [gadget(x)].
template <NttField F>
class HigherDegree {
 public:
  using Field = F;
  using Measurement = std::uint64_t;
  using AggResult = std::uint64_t;

  HigherDegree() {
    static constexpr long long kCoeffs[] = {0, 2, -3, 1};
    gadgets_.push_back(Gadget<F>::PolyEval(kCoeffs));
    calls_.push_back(1);
  }
  std::size_t meas_len() const noexcept { return 1; }
  std::size_t joint_rand_len() const noexcept { return 0; }
  std::size_t output_len() const noexcept { return 1; }
  std::size_t eval_output_len() const noexcept { return 1; }
  const std::vector<Gadget<F>>& gadgets() const noexcept { return gadgets_; }
  const std::vector<std::size_t>& gadget_calls() const noexcept { return calls_; }

  /// The largest value one measurement adds to an output element (unshard's wrap check).
  static constexpr uint128 max_value_per_measurement() noexcept { return 2; }

  /// @throws invalid_argument unless m is 0, 1 or 2.
  void encode(const Measurement& m, std::span<F> out) const {
    if (m > 2) VDAF_THROW(invalid_argument, "Prio3HigherDegree: measurement must be 0, 1 or 2");
    out[0] = field_from_u64<F>(m);
  }
  template <class Ctx>
  void eval(Ctx& ctx, std::span<const F> meas, std::span<const F>, std::size_t,
            std::span<F> out) const {
    out[0] = ctx.call(0, meas.subspan(0, 1));
  }
  void truncate(std::span<const F> meas, std::span<F> out) const noexcept { out[0] = meas[0]; }
  AggResult decode(std::span<const F> agg, std::uint64_t) const {
    return static_cast<AggResult>(agg[0].as_int());
  }

 private:
  std::vector<Gadget<F>> gadgets_;
  std::vector<std::size_t> calls_;
};

VDAF_END_NAMESPACE
