// Prio3Count (§7.4.1): include this header alone to use it without parsing the other instances or
// Poplar1.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vdaf/field/field.hpp"
#include "vdaf/flp/circuits/count.hpp"
#include "vdaf/prio3/chunk_length.hpp"
#include "vdaf/prio3/prio3.hpp"

VDAF_BEGIN_NAMESPACE

/// Prio3Count (§7.4.1): Field64, one proof, ID 0x00000001. Measurement 0 or 1.
class Prio3Count : public Prio3<Count<Field64>> {
 public:
  /// The algorithm ID (codepoint) of Prio3Count (§7.4.1, §10).
  static constexpr std::uint32_t ID = 0x00000001;
  /// Prio3Count for `shares` aggregators.
  /// Spec: §7.4.1.
  /// @param shares S, the number of aggregators, in 2..255.
  /// @throws invalid_argument if shares is outside 2..255.
  template <int = 0>  // instantiated where used, not in every translation unit
  explicit Prio3Count(std::size_t shares) : Prio3(Count<Field64>(), shares, 1, ID) {}
};

// With the compiled target (vdaf::vdaf_compiled, which defines VDAF_EXTERN_TEMPLATES), the
// members of these instantiations come from the library instead of every translation unit.
#if defined(VDAF_EXTERN_TEMPLATES)
extern template class Prio3<Count<Field64>>;
#endif

VDAF_END_NAMESPACE
