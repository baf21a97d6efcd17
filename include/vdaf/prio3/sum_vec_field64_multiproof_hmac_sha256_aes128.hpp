// Prio3SumVecField64MultiproofHmacSha256Aes128 (codepoint 0xFFFF1003, Divvi Up and Cloudflare):
// include this header alone to use it without parsing the other instances or Poplar1.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vdaf/field/field.hpp"
#include "vdaf/flp/circuits/sum_vec.hpp"
#include "vdaf/prio3/chunk_length.hpp"
#include "vdaf/prio3/prio3.hpp"
#include "vdaf/xof/xof_hmac_sha256_aes128.hpp"

VDAF_BEGIN_NAMESPACE

/// Prio3SumVecField64MultiproofHmacSha256Aes128, codepoint 0xFFFF1003 (algorithm ID 4294905859;
/// private use, not in the draft): the SumVec circuit over Field64 with `proofs` proofs and the
/// XOF XofHmacSha256Aes128 (verify key 32 bytes), as Divvi Up (Janus, `core/src/vdaf.rs`) and
/// Cloudflare (Daphne) deploy it with libprio-rs; Janus uses 3 proofs. No published vector: it
/// is checked byte for byte against libprio-rs 0.18.1 (tests/interop/).
///
/// max_measurement may be any value in 1..p−1 (p = 2^64 − 2^32 + 1, the Field64 modulus), as
/// libprio-rs and Janus accept (RangeRule::below_modulus; the draft's reference code would refuse
/// 2^63 and above). ctx at most 247 bytes (the XOF's dst is at most 255).
///
/// Soundness (§9.7 of the draft): with joint randomness over Field64, use at least 3 proofs; 1
/// or 2 proofs are accepted (as libprio-rs does) but give a weak soundness bound.
class Prio3SumVecField64MultiproofHmacSha256Aes128
    : public Prio3<SumVec<Field64>, XofHmacSha256Aes128> {
 public:
  /// The algorithm ID, codepoint 0xFFFF1003 (libprio-rs's and Janus's, private use).
  static constexpr std::uint32_t ID = 0xFFFF1003;
  /// The instance as Janus builds it with libprio-rs (Prio3 over SumVec<Field64,
  /// ParallelSum<Field64, Mul>> and XofHmacSha256Aes128, algorithm ID 0xFFFF1003).
  /// @param shares S, the number of aggregators, in 2..255.
  /// @param length the number of entries of a measurement, >= 1.
  /// @param max_measurement the largest value of one entry, in 1..p−1.
  /// @param chunk_length the ParallelSum chunk length, >= 1 (see recommended_chunk_length).
  /// @param proofs PROOFS, in 1..255 (3 or more for soundness; Janus uses 3).
  /// @throws invalid_argument on bad shares (2..255), length, max_measurement (1..p−1),
  /// chunk_length or proofs (1..255), or a limit exceeded (see SumVec).
  template <int = 0>  // instantiated where used, not in every translation unit
  Prio3SumVecField64MultiproofHmacSha256Aes128(std::size_t shares, std::size_t length,
                                               std::uint64_t max_measurement,
                                               std::size_t chunk_length, std::size_t proofs)
      : Prio3(SumVec<Field64>(length, max_measurement, chunk_length, RangeRule::below_modulus),
              shares, proofs, ID) {}
  /// The recommended chunk_length (MEAS_LEN = length·bit_length(max_measurement)).
  /// Spec: draft-irtf-cfrg-vdaf-20 §7.4.3.1 (libprio-rs leaves chunk_length to the caller).
  /// @param length the number of entries, >= 1.
  /// @param max_measurement the largest value of one entry.
  /// @return the chunk length, in 1..MEAS_LEN.
  /// @throws invalid_argument if length is 0 or MEAS_LEN would exceed FlpLimits::MAX_MEAS_LEN.
  static std::size_t recommended_chunk_length(std::size_t length, std::uint64_t max_measurement) {
    return detail::chunk_for("Prio3SumVecField64MultiproofHmacSha256Aes128", length,
                             detail::bits_of(max_measurement), 0);
  }
};

// With the compiled target (vdaf::vdaf_compiled, which defines VDAF_EXTERN_TEMPLATES), the
// members of these instantiations come from the library instead of every translation unit.
#if defined(VDAF_EXTERN_TEMPLATES)
extern template class Prio3<SumVec<Field64>, XofHmacSha256Aes128>;
#endif

VDAF_END_NAMESPACE
