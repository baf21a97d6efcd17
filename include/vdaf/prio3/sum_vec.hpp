// Prio3SumVec (§7.4.3) and the multiproof SumVec of the draft's test vectors: include this header
// alone to use it without parsing the other instances or Poplar1.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vdaf/field/field.hpp"
#include "vdaf/flp/circuits/sum_vec.hpp"
#include "vdaf/prio3/chunk_length.hpp"
#include "vdaf/prio3/prio3.hpp"

VDAF_BEGIN_NAMESPACE

/// Prio3SumVec (§7.4.3): Field128, one proof, ID 0x00000003. Measurement: `length`
/// integers each in [0, max_measurement].
class Prio3SumVec : public Prio3<SumVec<Field128>> {
 public:
  /// The algorithm ID (codepoint) of Prio3SumVec (§7.4.3, §10).
  static constexpr std::uint32_t ID = 0x00000003;
  /// Prio3SumVec for `shares` aggregators and vectors of `length` entries.
  /// Spec: §7.4.3.
  /// @param shares S, the number of aggregators, in 2..255.
  /// @param length the number of entries of a measurement, >= 1.
  /// @param max_measurement the largest value of one entry, >= 1.
  /// @param chunk_length the ParallelSum chunk length, >= 1 (see recommended_chunk_length).
  /// @throws invalid_argument on bad shares, length, max_measurement or chunk_length, or a
  /// limit exceeded (see SumVec).
  template <int = 0>  // instantiated where used, not in every translation unit
  Prio3SumVec(std::size_t shares, std::size_t length, std::uint64_t max_measurement,
              std::size_t chunk_length)
      : Prio3(SumVec<Field128>(length, max_measurement, chunk_length), shares, 1, ID) {}
  /// The recommended chunk_length for these parameters: recommended_chunk_length of MEAS_LEN =
  /// length·bit_length(max_measurement).
  /// Spec: §7.4.3.1.
  /// @param length the number of entries, >= 1.
  /// @param max_measurement the largest value of one entry (0 is not refused here, but the
  ///        constructor refuses it).
  /// @return the chunk length, in 1..MEAS_LEN.
  /// @throws invalid_argument if length is 0 or MEAS_LEN would exceed FlpLimits::MAX_MEAS_LEN.
  static std::size_t recommended_chunk_length(std::size_t length, std::uint64_t max_measurement) {
    return detail::chunk_for("Prio3SumVec", length, detail::bits_of(max_measurement), 0);
  }
};

/// Test-only (draft test vectors): the SumVec circuit over `F` (Field64 or
/// Field128) with `num_proofs` proofs, ID 0xFFFFFFFF (private use). §9.7: with
/// joint randomness use Field128 with >= 1 proof or Field64 with >= 3 proofs.
/// @tparam F the field: Field64 or Field128.
template <NttField F = Field64>
class Prio3SumVecWithMultiproof : public Prio3<SumVec<F>> {
 public:
  /// The algorithm ID of the draft's test-only instances (0xFFFFFFFF, private use).
  static constexpr std::uint32_t ID = 0xFFFFFFFF;
  /// The test-vector SumVec with `num_proofs` proofs.
  /// @param shares S, the number of aggregators, in 2..255.
  /// @param length the number of entries of a measurement, >= 1.
  /// @param max_measurement the largest value of one entry, >= 1, with 2^bit_length(max) < p.
  /// @param chunk_length the ParallelSum chunk length, >= 1.
  /// @param num_proofs PROOFS, in 1..255.
  /// @throws invalid_argument on bad parameters (num_proofs in 1..255).
  Prio3SumVecWithMultiproof(std::size_t shares, std::size_t length, std::uint64_t max_measurement,
                            std::size_t chunk_length, std::size_t num_proofs)
      : Prio3<SumVec<F>>(SumVec<F>(length, max_measurement, chunk_length), shares, num_proofs, ID) {
  }
  /// The recommended chunk_length (MEAS_LEN = length·bit_length(max_measurement)).
  /// Spec: §7.4.3.1.
  /// @param length the number of entries, >= 1.
  /// @param max_measurement the largest value of one entry.
  /// @return the chunk length, in 1..MEAS_LEN.
  /// @throws invalid_argument if length is 0 or MEAS_LEN would exceed FlpLimits::MAX_MEAS_LEN.
  static std::size_t recommended_chunk_length(std::size_t length, std::uint64_t max_measurement) {
    return detail::chunk_for("Prio3SumVecWithMultiproof", length, detail::bits_of(max_measurement),
                             0);
  }
};

// With the compiled target (vdaf::vdaf_compiled, which defines VDAF_EXTERN_TEMPLATES), the
// members of these instantiations come from the library instead of every translation unit.
#if defined(VDAF_EXTERN_TEMPLATES)
extern template class Prio3<SumVec<Field128>>;
extern template class Prio3<SumVec<Field64>>;
#endif

VDAF_END_NAMESPACE
