// Prio3MultihotCountVec, Prio3L1BoundSum and Prio3SumVecWithMultiproof over Field128.
#include "bind_vdaf.hpp"
#include "vdaf/prio3/l1_bound_sum.hpp"
#include "vdaf/prio3/multihot_count_vec.hpp"
#include "vdaf/prio3/sum_vec.hpp"

namespace vdaf_py {

void bind_prio3_vec128_b(nb::module_& m) {
  bind_prio3<vdaf::Prio3MultihotCountVec>(
      m, "Prio3MultihotCountVec",
      "Prio3MultihotCountVec (draft §7.4.5): Field128, XofTurboShake128, one proof, ID "
      "0x00000005. Measurement: a list of `length` bools, at most max_weight of them True. "
      "Aggregate result: the per-position counts (list of ints).")
      .def(nb::init<std::size_t, std::size_t, std::size_t, std::size_t>(), nb::arg("shares"),
           nb::arg("length"), nb::arg("max_weight"), nb::arg("chunk_length"),
           "Prio3MultihotCountVec(shares, length, max_weight, chunk_length). Raises "
           "InvalidArgument on bad parameters.")
      .def_static("recommended_chunk_length",
                  &vdaf::Prio3MultihotCountVec::recommended_chunk_length, nb::arg("length"),
                  nb::arg("max_weight"), "The chunk length minimising the proof (§7.4.3.1).");
  bind_prio3<vdaf::Prio3L1BoundSum>(
      m, "Prio3L1BoundSum",
      "Prio3L1BoundSum (draft-ietf-ppm-l1-bound-sum-02): Field128, XofTurboShake128, one "
      "proof, ID 0x00000007. Measurement: a list of `length` non-negative ints whose sum is "
      "at most max_value. Aggregate result: the element-wise sums (list of ints).")
      .def(nb::init<std::size_t, std::size_t, std::uint64_t, std::size_t>(), nb::arg("shares"),
           nb::arg("length"), nb::arg("max_value"), nb::arg("chunk_length"),
           "Prio3L1BoundSum(shares, length, max_value, chunk_length). Raises InvalidArgument on "
           "bad parameters.")
      .def_static("recommended_chunk_length", &vdaf::Prio3L1BoundSum::recommended_chunk_length,
                  nb::arg("length"), nb::arg("max_value"),
                  "The chunk length minimising the proof for MEAS_LEN = "
                  "(length+1)*bit_length(max_value).");
  bind_prio3<vdaf::Prio3SumVecWithMultiproof<vdaf::Field128>>(
      m, "Prio3SumVecWithMultiproofField128",
      "Test-only Prio3SumVecWithMultiproof (draft test vectors) over Field128, ID 0xFFFFFFFF. "
      "Measurement: a list of `length` ints in [0, max_measurement]. See also the factory "
      "vdaf.Prio3SumVecWithMultiproof(shares, field, num_proofs, length, max_measurement, "
      "chunk_length).")
      .def(nb::init<std::size_t, std::size_t, std::uint64_t, std::size_t, std::size_t>(),
           nb::arg("shares"), nb::arg("length"), nb::arg("max_measurement"),
           nb::arg("chunk_length"), nb::arg("num_proofs"),
           "(shares, length, max_measurement, chunk_length, num_proofs): num_proofs in 1..255. "
           "Raises InvalidArgument on bad parameters.");
}

}  // namespace vdaf_py
