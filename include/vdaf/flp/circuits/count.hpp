// Prio3Count's validity circuit (§7.4.1).
#pragma once

#include "vdaf/ct/poison.hpp"
#include "vdaf/flp/circuits/common.hpp"

VDAF_BEGIN_NAMESPACE

/// Count (§7.4.1): measurement in {0, 1}; one Mul call; eval = x·x − x.
template <NttField F>
class Count {
 public:
  using Field = F;
  using Measurement = std::uint64_t;
  using AggResult = std::uint64_t;

  Count() : gadgets_{Gadget<F>::Mul()}, calls_{1} {}

  std::size_t meas_len() const noexcept { return 1; }
  std::size_t joint_rand_len() const noexcept { return 0; }
  std::size_t output_len() const noexcept { return 1; }
  std::size_t eval_output_len() const noexcept { return 1; }
  const std::vector<Gadget<F>>& gadgets() const noexcept { return gadgets_; }
  const std::vector<std::size_t>& gadget_calls() const noexcept { return calls_; }

  /// The largest value one measurement adds to an output element (unshard's wrap check).
  static constexpr uint128 max_value_per_measurement() noexcept { return 1; }

  /// @throws invalid_argument unless m is 0 or 1.
  void encode(const Measurement& m, std::span<F> out) const {
    // The validity verdict is public (shard throws); the value stays secret.
    if (ct::declassify(m > 1))
      VDAF_THROW(invalid_argument, "Prio3Count: measurement must be 0 or 1");
    out[0] = field_from_u64<F>(m);
  }
  template <class Ctx>
  void eval(Ctx& ctx, std::span<const F> meas, std::span<const F>, std::size_t,
            std::span<F> out) const {
    const F in[2] = {meas[0], meas[0]};
    out[0] = ctx.call(0, in) - meas[0];
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
