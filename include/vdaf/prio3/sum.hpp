// Prio3Sum (§7.4.2): include this header alone to use it without parsing the other instances or
// Poplar1.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vdaf/field/field.hpp"
#include "vdaf/flp/circuits/sum.hpp"
#include "vdaf/prio3/chunk_length.hpp"
#include "vdaf/prio3/prio3.hpp"

VDAF_BEGIN_NAMESPACE

/// Prio3Sum (§7.4.2): Field64, one proof, ID 0x00000002. Measurement in
/// [0, max_measurement]; max_measurement in 1..2^63−1.
class Prio3Sum : public Prio3<Sum<Field64>> {
 public:
  /// The algorithm ID (codepoint) of Prio3Sum (§7.4.2, §10).
  static constexpr std::uint32_t ID = 0x00000002;
  /// Prio3Sum for `shares` aggregators and measurements in [0, max_measurement].
  /// Spec: §7.4.2.
  /// @param shares S, the number of aggregators, in 2..255.
  /// @param max_measurement the largest measurement, in 1..2^63−1 (MEAS_LEN =
  ///        bit_length(max_measurement)).
  /// @throws invalid_argument on bad shares or max_measurement.
  template <int = 0>  // instantiated where used, not in every translation unit
  Prio3Sum(std::size_t shares, std::uint64_t max_measurement)
      : Prio3(Sum<Field64>(max_measurement), shares, 1, ID) {}
};

// With the compiled target (vdaf::vdaf_compiled, which defines VDAF_EXTERN_TEMPLATES), the
// members of these instantiations come from the library instead of every translation unit.
#if defined(VDAF_EXTERN_TEMPLATES)
extern template class Prio3<Sum<Field64>>;
#endif

VDAF_END_NAMESPACE
