// Prio3Histogram (§7.4.4): include this header alone to use it without parsing the other instances
// or Poplar1.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vdaf/field/field.hpp"
#include "vdaf/flp/circuits/histogram.hpp"
#include "vdaf/prio3/chunk_length.hpp"
#include "vdaf/prio3/prio3.hpp"

VDAF_BEGIN_NAMESPACE

/// Prio3Histogram (§7.4.4): Field128, one proof, ID 0x00000004. Measurement: a
/// bucket index in [0, length).
class Prio3Histogram : public Prio3<Histogram<Field128>> {
 public:
  /// The algorithm ID (codepoint) of Prio3Histogram (§7.4.4, §10).
  static constexpr std::uint32_t ID = 0x00000004;
  /// Prio3Histogram for `shares` aggregators and `length` buckets.
  /// Spec: §7.4.4.
  /// @param shares S, the number of aggregators, in 2..255.
  /// @param length the number of buckets, >= 1 (MEAS_LEN = OUTPUT_LEN = length).
  /// @param chunk_length the ParallelSum chunk length, >= 1 (see recommended_chunk_length).
  /// @throws invalid_argument on bad shares, length or chunk_length, or a limit exceeded (see
  /// Histogram).
  template <int = 0>  // instantiated where used, not in every translation unit
  Prio3Histogram(std::size_t shares, std::size_t length, std::size_t chunk_length)
      : Prio3(Histogram<Field128>(length, chunk_length), shares, 1, ID) {}
  /// The recommended chunk_length for `length` buckets (MEAS_LEN = length).
  /// Spec: §7.4.3.1.
  /// @param length the number of buckets, >= 1.
  /// @return the chunk length, in 1..length.
  /// @throws invalid_argument if length is 0 or beyond FlpLimits::MAX_MEAS_LEN.
  static std::size_t recommended_chunk_length(std::size_t length) {
    return detail::chunk_for("Prio3Histogram", length, 1, 0);
  }
};

// With the compiled target (vdaf::vdaf_compiled, which defines VDAF_EXTERN_TEMPLATES), the
// members of these instantiations come from the library instead of every translation unit.
#if defined(VDAF_EXTERN_TEMPLATES)
extern template class Prio3<Histogram<Field128>>;
#endif

VDAF_END_NAMESPACE
