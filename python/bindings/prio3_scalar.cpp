// Prio3Count, Prio3Sum and the test-only Prio3HigherDegree (Field64, one proof).
#include "bind_vdaf.hpp"
#include "vdaf/prio3/count.hpp"
#include "vdaf/prio3/higher_degree.hpp"
#include "vdaf/prio3/sum.hpp"

namespace vdaf_py {

void bind_prio3_scalar(nb::module_& m) {
  bind_prio3<vdaf::Prio3Count>(
      m, "Prio3Count",
      "Prio3Count (draft §7.4.1): Field64, XofTurboShake128, one proof, ID 0x00000001. "
      "Measurement: 0 or 1 (int or bool). Aggregate result: the count (int).")
      .def(nb::init<std::size_t>(), nb::arg("shares"),
           "Prio3Count(shares): shares in 2..255. Raises InvalidArgument otherwise.");
  bind_prio3<vdaf::Prio3Sum>(
      m, "Prio3Sum",
      "Prio3Sum (draft §7.4.2): Field64, XofTurboShake128, one proof, ID 0x00000002. "
      "Measurement: an int in [0, max_measurement]. Aggregate result: the sum (int).")
      .def(nb::init<std::size_t, std::uint64_t>(), nb::arg("shares"), nb::arg("max_measurement"),
           "Prio3Sum(shares, max_measurement): shares in 2..255, max_measurement in "
           "1..2^63-1 (MEAS_LEN = bit_length(max_measurement)). Raises InvalidArgument.");
  bind_prio3<vdaf::Prio3HigherDegree>(
      m, "Prio3HigherDegree",
      "Test-only Prio3HigherDegree of the draft's vectors: Field64, a degree-3 gadget, ID "
      "0xFFFFFFFF. Measurement: 0, 1 or 2. Aggregate result: the sum (int).")
      .def(nb::init<std::size_t>(), nb::arg("shares"),
           "Prio3HigherDegree(shares): shares in 2..255. Raises InvalidArgument otherwise.");
}

}  // namespace vdaf_py
