// Prio3MultihotCountVec (§7.4.5): include this header alone to use it without parsing the other
// instances or Poplar1.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vdaf/field/field.hpp"
#include "vdaf/flp/circuits/multihot_count_vec.hpp"
#include "vdaf/prio3/chunk_length.hpp"
#include "vdaf/prio3/prio3.hpp"

VDAF_BEGIN_NAMESPACE

/// Prio3MultihotCountVec (§7.4.5): Field128, one proof, ID 0x00000005.
/// Measurement: `length` booleans, at most `max_weight` of them true.
class Prio3MultihotCountVec : public Prio3<MultihotCountVec<Field128>> {
 public:
  /// The algorithm ID (codepoint) of Prio3MultihotCountVec (§7.4.5, §10).
  static constexpr std::uint32_t ID = 0x00000005;
  /// Prio3MultihotCountVec for `shares` aggregators and `length` booleans.
  /// Spec: §7.4.5.
  /// @param shares S, the number of aggregators, in 2..255.
  /// @param length the number of booleans (OUTPUT_LEN), >= 1.
  /// @param max_weight the most booleans a measurement may set, in 1..length.
  /// @param chunk_length the ParallelSum chunk length, >= 1 (see recommended_chunk_length).
  /// @throws invalid_argument on bad shares, length, max_weight or chunk_length, or a limit
  /// exceeded (see MultihotCountVec).
  template <int = 0>  // instantiated where used, not in every translation unit
  Prio3MultihotCountVec(std::size_t shares, std::size_t length, std::size_t max_weight,
                        std::size_t chunk_length)
      : Prio3(MultihotCountVec<Field128>(length, max_weight, chunk_length), shares, 1, ID) {}
  /// The recommended chunk_length (MEAS_LEN = length + bit_length(max_weight)).
  /// Spec: §7.4.3.1.
  /// @param length the number of booleans, >= 1.
  /// @param max_weight the most booleans a measurement may set (0 is not refused here, but the
  ///        constructor refuses it).
  /// @return the chunk length, in 1..MEAS_LEN.
  /// @throws invalid_argument if length is 0 or MEAS_LEN would exceed FlpLimits::MAX_MEAS_LEN.
  static std::size_t recommended_chunk_length(std::size_t length, std::size_t max_weight) {
    return detail::chunk_for("Prio3MultihotCountVec", length, 1, detail::bits_of(max_weight));
  }
};

// With the compiled target (vdaf::vdaf_compiled, which defines VDAF_EXTERN_TEMPLATES), the
// members of these instantiations come from the library instead of every translation unit.
#if defined(VDAF_EXTERN_TEMPLATES)
extern template class Prio3<MultihotCountVec<Field128>>;
#endif

VDAF_END_NAMESPACE
