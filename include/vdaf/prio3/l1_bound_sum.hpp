// Prio3L1BoundSum (draft-ietf-ppm-l1-bound-sum-02): include this header alone to use it without
// parsing the other instances or Poplar1.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vdaf/field/field.hpp"
#include "vdaf/flp/circuits/l1_bound_sum.hpp"
#include "vdaf/prio3/chunk_length.hpp"
#include "vdaf/prio3/prio3.hpp"

VDAF_BEGIN_NAMESPACE

/// Prio3L1BoundSum (draft-ietf-ppm-l1-bound-sum-02, adopted by the IETF PPM working group; not in
/// draft-irtf-cfrg-vdaf-20): Field128, XofTurboShake128, one proof, ID 0x00000007. Measurement:
/// `length` non-negative integers whose sum is at most `max_value` (64-bit); the aggregate is the
/// element-wise sum. Circuit: L1BoundSum (ParallelSum(Mul, chunk_length)); MEAS_LEN =
/// (length + 1)·bit_length(max_value). Vector: test-vectors/extensions/Prio3L1BoundSum_0.json.
class Prio3L1BoundSum : public Prio3<L1BoundSum<Field128>> {
 public:
  /// The algorithm ID (codepoint) of Prio3L1BoundSum (draft-ietf-ppm-l1-bound-sum-02).
  static constexpr std::uint32_t ID = 0x00000007;
  /// Prio3L1BoundSum for `shares` aggregators and vectors of `length` entries.
  /// Spec: draft-ietf-ppm-l1-bound-sum-02.
  /// @param shares S, the number of aggregators, in 2..255.
  /// @param length the number of entries of a measurement, >= 1.
  /// @param max_value the bound on the sum of the entries, >= 1.
  /// @param chunk_length the ParallelSum chunk length, >= 1 (see recommended_chunk_length).
  /// @throws invalid_argument on bad shares (2..255), length, max_value or chunk_length, or a
  /// limit exceeded (see L1BoundSum).
  template <int = 0>  // instantiated where used, not in every translation unit
  Prio3L1BoundSum(std::size_t shares, std::size_t length, std::uint64_t max_value,
                  std::size_t chunk_length)
      : Prio3(L1BoundSum<Field128>(length, max_value, chunk_length), shares, 1, ID) {}
  /// The recommended chunk_length (MEAS_LEN = (length + 1)·bit_length(max_value)), chosen as
  /// for SumVec (draft-irtf-cfrg-vdaf-20 §7.4.3.1).
  /// @param length the number of entries (0 is not refused here, but the constructor refuses
  ///        it).
  /// @param max_value the bound on the sum of the entries (0 is not refused here either).
  /// @return the chunk length, in 1..MEAS_LEN.
  /// @throws invalid_argument if MEAS_LEN would exceed FlpLimits::MAX_MEAS_LEN.
  static std::size_t recommended_chunk_length(std::size_t length, std::uint64_t max_value) {
    VDAF_ARG_CHECK(length < FlpLimits::MAX_MEAS_LEN,
                   "Prio3L1BoundSum::recommended_chunk_length: length beyond the MEAS_LEN limit");
    return detail::chunk_for("Prio3L1BoundSum", length + 1, detail::bits_of(max_value), 0);
  }
};

// With the compiled target (vdaf::vdaf_compiled, which defines VDAF_EXTERN_TEMPLATES), the
// members of these instantiations come from the library instead of every translation unit.
#if defined(VDAF_EXTERN_TEMPLATES)
extern template class Prio3<L1BoundSum<Field128>>;
#endif

VDAF_END_NAMESPACE
