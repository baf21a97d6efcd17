// Histogram with several proofs, over Field64 or Field128: not an instance of the library or the
// draft, but what bench/field_choice measures (Prio3 over the Histogram circuit, ID 0xFFFFFFFF,
// `num_proofs` proofs), so that python/examples/field_choice.py can sweep the same grid.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vdaf/field/field.hpp"
#include "vdaf/flp/circuits/histogram.hpp"
#include "vdaf/prio3/chunk_length.hpp"
#include "vdaf/prio3/prio3.hpp"

namespace vdaf_py {

/// Prio3 over Histogram<F> with `num_proofs` proofs, ID 0xFFFFFFFF (private use, test only).
template <class F>
class Prio3HistogramWithMultiproof : public vdaf::Prio3<vdaf::Histogram<F>> {
 public:
  static constexpr std::uint32_t ID = 0xFFFFFFFF;
  Prio3HistogramWithMultiproof(std::size_t shares, std::size_t length, std::size_t chunk_length,
                               std::size_t num_proofs)
      : vdaf::Prio3<vdaf::Histogram<F>>(vdaf::Histogram<F>(length, chunk_length), shares,
                                        num_proofs, ID) {}
};

}  // namespace vdaf_py
