// the test-only Prio3HigherDegree of the draft's test vectors: include this header alone to use it
// without parsing the other instances or Poplar1.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vdaf/field/field.hpp"
#include "vdaf/flp/circuits/higher_degree.hpp"
#include "vdaf/prio3/chunk_length.hpp"
#include "vdaf/prio3/prio3.hpp"

VDAF_BEGIN_NAMESPACE

/// Test-only (draft test vectors): Field64, ID 0xFFFFFFFF, a degree-3 gadget
/// x(x−1)(x−2); measurement 0, 1 or 2.
class Prio3HigherDegree : public Prio3<HigherDegree<Field64>> {
 public:
  /// The algorithm ID of the draft's test-only instances (0xFFFFFFFF, private use).
  static constexpr std::uint32_t ID = 0xFFFFFFFF;
  /// The test-vector instance for `shares` aggregators (one proof).
  /// @param shares S, the number of aggregators, in 2..255.
  /// @throws invalid_argument if shares is outside 2..255.
  template <int = 0>  // instantiated where used, not in every translation unit
  explicit Prio3HigherDegree(std::size_t shares) : Prio3(HigherDegree<Field64>(), shares, 1, ID) {}
};

VDAF_END_NAMESPACE
