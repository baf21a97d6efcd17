// The Field64 multiproof instances: Prio3SumVecWithMultiproof<Field64>, the Histogram one, and
// Prio3SumVecField64MultiproofHmacSha256Aes128 (0xFFFF1003, Janus and Daphne).
#include "bind_vdaf.hpp"
#include "multiproof.hpp"
#include "vdaf/prio3/sum_vec.hpp"
#include "vdaf/prio3/sum_vec_field64_multiproof_hmac_sha256_aes128.hpp"

namespace vdaf_py {

void bind_prio3_vec64(nb::module_& m) {
  bind_prio3<vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>>(
      m, "Prio3SumVecWithMultiproofField64",
      "Test-only Prio3SumVecWithMultiproof (draft test vectors) over Field64, ID 0xFFFFFFFF. "
      "Measurement: a list of `length` ints in [0, max_measurement]. §9.7: with joint "
      "randomness use at least 3 proofs over Field64.")
      .def(nb::init<std::size_t, std::size_t, std::uint64_t, std::size_t, std::size_t>(),
           nb::arg("shares"), nb::arg("length"), nb::arg("max_measurement"),
           nb::arg("chunk_length"), nb::arg("num_proofs"),
           "(shares, length, max_measurement, chunk_length, num_proofs): num_proofs in 1..255. "
           "Raises InvalidArgument on bad parameters.");
  bind_prio3<Prio3HistogramWithMultiproof<vdaf::Field64>>(
      m, "Prio3HistogramWithMultiproofField64",
      "Test-only: Prio3 over the Histogram circuit with Field64 and `num_proofs` proofs, ID "
      "0xFFFFFFFF (what bench/field_choice measures). Measurement: a bucket index in [0, "
      "length).")
      .def(nb::init<std::size_t, std::size_t, std::size_t, std::size_t>(), nb::arg("shares"),
           nb::arg("length"), nb::arg("chunk_length"), nb::arg("num_proofs"),
           "(shares, length, chunk_length, num_proofs): num_proofs in 1..255.");
  bind_prio3<vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128>(
      m, "Prio3SumVecField64MultiproofHmacSha256Aes128",
      "Prio3SumVecField64MultiproofHmacSha256Aes128, codepoint 0xFFFF1003 (libprio-rs, Janus, "
      "Daphne): SumVec over Field64 with `proofs` proofs and XofHmacSha256Aes128. Measurement: "
      "a list of `length` ints in [0, max_measurement], max_measurement < 2^64 - 2^32 + 1. "
      "ctx at most 247 bytes.")
      .def(nb::init<std::size_t, std::size_t, std::uint64_t, std::size_t, std::size_t>(),
           nb::arg("shares"), nb::arg("length"), nb::arg("max_measurement"),
           nb::arg("chunk_length"), nb::arg("proofs"),
           "(shares, length, max_measurement, chunk_length, proofs): Janus uses 3 proofs. "
           "Raises InvalidArgument on bad parameters.")
      .def_static("recommended_chunk_length",
                  &vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128::recommended_chunk_length,
                  nb::arg("length"), nb::arg("max_measurement"),
                  "The chunk length minimising the proof (§7.4.3.1).");
}

}  // namespace vdaf_py
