// Prio3SumVec, Prio3Histogram and the Field128 multiproof Histogram.
#include "bind_vdaf.hpp"
#include "multiproof.hpp"
#include "vdaf/prio3/histogram.hpp"
#include "vdaf/prio3/sum_vec.hpp"

namespace vdaf_py {

void bind_prio3_vec128_a(nb::module_& m) {
  bind_prio3<vdaf::Prio3SumVec>(
      m, "Prio3SumVec",
      "Prio3SumVec (draft §7.4.3): Field128, XofTurboShake128, one proof, ID 0x00000003. "
      "Measurement: a list of `length` ints in [0, max_measurement]. Aggregate result: the "
      "element-wise sums (list of ints).")
      .def(nb::init<std::size_t, std::size_t, std::uint64_t, std::size_t>(), nb::arg("shares"),
           nb::arg("length"), nb::arg("max_measurement"), nb::arg("chunk_length"),
           "Prio3SumVec(shares, length, max_measurement, chunk_length). Raises "
           "InvalidArgument on bad parameters.")
      .def_static("recommended_chunk_length", &vdaf::Prio3SumVec::recommended_chunk_length,
                  nb::arg("length"), nb::arg("max_measurement"),
                  "The chunk length minimising the proof (§7.4.3.1) for MEAS_LEN = "
                  "length*bit_length(max_measurement).");
  bind_prio3<vdaf::Prio3Histogram>(
      m, "Prio3Histogram",
      "Prio3Histogram (draft §7.4.4): Field128, XofTurboShake128, one proof, ID 0x00000004. "
      "Measurement: a bucket index in [0, length). Aggregate result: the bucket counts (list "
      "of `length` ints).")
      .def(nb::init<std::size_t, std::size_t, std::size_t>(), nb::arg("shares"),
           nb::arg("length"), nb::arg("chunk_length"),
           "Prio3Histogram(shares, length, chunk_length). Raises InvalidArgument on bad "
           "parameters.")
      .def_static("recommended_chunk_length", &vdaf::Prio3Histogram::recommended_chunk_length,
                  nb::arg("length"), "The chunk length minimising the proof (§7.4.3.1).");
  bind_prio3<Prio3HistogramWithMultiproof<vdaf::Field128>>(
      m, "Prio3HistogramWithMultiproofField128",
      "Test-only: Prio3 over the Histogram circuit with Field128 and `num_proofs` proofs, ID "
      "0xFFFFFFFF (what bench/field_choice measures; with 1 proof it is Prio3Histogram but for "
      "the ID). Measurement: a bucket index in [0, length).")
      .def(nb::init<std::size_t, std::size_t, std::size_t, std::size_t>(), nb::arg("shares"),
           nb::arg("length"), nb::arg("chunk_length"), nb::arg("num_proofs"),
           "(shares, length, chunk_length, num_proofs): num_proofs in 1..255.");
}

}  // namespace vdaf_py
