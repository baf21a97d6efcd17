// The Prio3 instances of draft-irtf-cfrg-vdaf-20 §7.4 (and two test-only ones), and two that
// deployments run beyond the draft: Prio3L1BoundSum and 0xFFFF1003.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "vdaf/field/field.hpp"
#include "vdaf/flp/circuits/count.hpp"
#include "vdaf/flp/circuits/higher_degree.hpp"
#include "vdaf/flp/circuits/histogram.hpp"
#include "vdaf/flp/circuits/l1_bound_sum.hpp"
#include "vdaf/flp/circuits/multihot_count_vec.hpp"
#include "vdaf/flp/circuits/sum.hpp"
#include "vdaf/flp/circuits/sum_vec.hpp"
#include "vdaf/prio3/prio3.hpp"
#include "vdaf/xof/xof_hmac_sha256_aes128.hpp"

VDAF_BEGIN_NAMESPACE

/// Recommended chunk_length for a ParallelSum circuit over `meas_len` encoded
/// elements (MEAS_LEN: length·bits for SumVec, length for Histogram,
/// length + bit_length(max_weight) for MultihotCountVec): the chunk length
/// minimising the proof length 2·chunk + 2·(p − 1) + 1 with
/// p = next_pow2(1 + ceil(meas_len/chunk)) — about sqrt(meas_len) (§7.4.3.1), and
/// chosen so that the number of calls does not just overflow a power of two.
/// @throws invalid_argument if meas_len == 0.
inline std::size_t recommended_chunk_length(std::size_t meas_len) {
  VDAF_ARG_CHECK(meas_len > 0, "recommended_chunk_length: meas_len must be positive");
  std::size_t best = 1, best_len = std::numeric_limits<std::size_t>::max();
  const std::size_t limit = std::min<std::size_t>(
      meas_len, 4 * static_cast<std::size_t>(std::sqrt(static_cast<double>(meas_len))) + 4);
  for (std::size_t c = 1; c <= limit; ++c) {
    const std::size_t calls = ceil_div(meas_len, c);
    const std::size_t p = next_power_of_2(1 + calls);
    const std::size_t len = 2 * c + 2 * (p - 1) + 1;
    if (len < best_len) {
      best_len = len;
      best = c;
    }
  }
  return best;
}

namespace detail {
/// recommended_chunk_length of MEAS_LEN = length·per + extra, or invalid_argument naming `who`
/// when that is 0 or beyond FlpLimits::MAX_MEAS_LEN (no such instance can be built).
inline std::size_t chunk_for(const char* who, std::size_t length, std::size_t per,
                             std::size_t extra) {
  constexpr std::size_t kMax = FlpLimits::MAX_MEAS_LEN;
  VDAF_ARG_CHECK(length > 0 && per > 0 && length <= (kMax - std::min(extra, kMax)) / per,
                 std::string(who) + "::recommended_chunk_length: length must be in 1.." +
                     "MEAS_LEN limit (FlpLimits::MAX_MEAS_LEN)");
  return recommended_chunk_length(length * per + extra);
}
/// bit_length(max) for max >= 1 (the range-checked encoding's width), 1 for 0 (refused later).
constexpr std::size_t bits_of(std::uint64_t max) noexcept {
  return max == 0 ? 1 : static_cast<std::size_t>(std::bit_width(max));
}
}  // namespace detail

/// Prio3Count (§7.4.1): Field64, one proof, ID 0x00000001. Measurement 0 or 1.
class Prio3Count : public Prio3<Count<Field64>> {
 public:
  static constexpr std::uint32_t ID = 0x00000001;
  /// @throws invalid_argument if shares is outside 2..255.
  explicit Prio3Count(std::size_t shares) : Prio3(Count<Field64>(), shares, 1, ID) {}
};

/// Prio3Sum (§7.4.2): Field64, one proof, ID 0x00000002. Measurement in
/// [0, max_measurement]; max_measurement in 1..2^63−1.
class Prio3Sum : public Prio3<Sum<Field64>> {
 public:
  static constexpr std::uint32_t ID = 0x00000002;
  /// @throws invalid_argument on bad shares or max_measurement.
  Prio3Sum(std::size_t shares, std::uint64_t max_measurement)
      : Prio3(Sum<Field64>(max_measurement), shares, 1, ID) {}
};

/// Prio3SumVec (§7.4.3): Field128, one proof, ID 0x00000003. Measurement: `length`
/// integers each in [0, max_measurement].
class Prio3SumVec : public Prio3<SumVec<Field128>> {
 public:
  static constexpr std::uint32_t ID = 0x00000003;
  /// @throws invalid_argument on bad shares, length, max_measurement or chunk_length.
  Prio3SumVec(std::size_t shares, std::size_t length, std::uint64_t max_measurement,
              std::size_t chunk_length)
      : Prio3(SumVec<Field128>(length, max_measurement, chunk_length), shares, 1, ID) {}
  /// The recommended chunk_length for these parameters: recommended_chunk_length of MEAS_LEN =
  /// length·bit_length(max_measurement). @throws invalid_argument if length is 0 or MEAS_LEN
  /// would exceed FlpLimits::MAX_MEAS_LEN.
  static std::size_t recommended_chunk_length(std::size_t length, std::uint64_t max_measurement) {
    return detail::chunk_for("Prio3SumVec", length, detail::bits_of(max_measurement), 0);
  }
};

/// Prio3Histogram (§7.4.4): Field128, one proof, ID 0x00000004. Measurement: a
/// bucket index in [0, length).
class Prio3Histogram : public Prio3<Histogram<Field128>> {
 public:
  static constexpr std::uint32_t ID = 0x00000004;
  /// @throws invalid_argument on bad shares, length or chunk_length.
  Prio3Histogram(std::size_t shares, std::size_t length, std::size_t chunk_length)
      : Prio3(Histogram<Field128>(length, chunk_length), shares, 1, ID) {}
  /// The recommended chunk_length for `length` buckets (MEAS_LEN = length).
  /// @throws invalid_argument if length is 0 or beyond FlpLimits::MAX_MEAS_LEN.
  static std::size_t recommended_chunk_length(std::size_t length) {
    return detail::chunk_for("Prio3Histogram", length, 1, 0);
  }
};

/// Prio3MultihotCountVec (§7.4.5): Field128, one proof, ID 0x00000005.
/// Measurement: `length` booleans, at most `max_weight` of them true.
class Prio3MultihotCountVec : public Prio3<MultihotCountVec<Field128>> {
 public:
  static constexpr std::uint32_t ID = 0x00000005;
  /// @throws invalid_argument on bad shares, length, max_weight or chunk_length.
  Prio3MultihotCountVec(std::size_t shares, std::size_t length, std::size_t max_weight,
                        std::size_t chunk_length)
      : Prio3(MultihotCountVec<Field128>(length, max_weight, chunk_length), shares, 1, ID) {}
  /// The recommended chunk_length (MEAS_LEN = length + bit_length(max_weight)).
  /// @throws invalid_argument if length is 0 or MEAS_LEN would exceed FlpLimits::MAX_MEAS_LEN.
  static std::size_t recommended_chunk_length(std::size_t length, std::size_t max_weight) {
    return detail::chunk_for("Prio3MultihotCountVec", length, 1, detail::bits_of(max_weight));
  }
};

/// Test-only (draft test vectors): the SumVec circuit over `F` (Field64 or
/// Field128) with `num_proofs` proofs, ID 0xFFFFFFFF (private use). §9.7: with
/// joint randomness use Field128 with >= 1 proof or Field64 with >= 3 proofs.
template <NttField F = Field64>
class Prio3SumVecWithMultiproof : public Prio3<SumVec<F>> {
 public:
  static constexpr std::uint32_t ID = 0xFFFFFFFF;
  /// @throws invalid_argument on bad parameters (num_proofs in 1..255).
  Prio3SumVecWithMultiproof(std::size_t shares, std::size_t length, std::uint64_t max_measurement,
                            std::size_t chunk_length, std::size_t num_proofs)
      : Prio3<SumVec<F>>(SumVec<F>(length, max_measurement, chunk_length), shares, num_proofs, ID) {
  }
  /// The recommended chunk_length (MEAS_LEN = length·bit_length(max_measurement)).
  /// @throws invalid_argument if length is 0 or MEAS_LEN would exceed FlpLimits::MAX_MEAS_LEN.
  static std::size_t recommended_chunk_length(std::size_t length, std::uint64_t max_measurement) {
    return detail::chunk_for("Prio3SumVecWithMultiproof", length, detail::bits_of(max_measurement),
                             0);
  }
};

/// Test-only (draft test vectors): Field64, ID 0xFFFFFFFF, a degree-3 gadget
/// x(x−1)(x−2); measurement 0, 1 or 2.
class Prio3HigherDegree : public Prio3<HigherDegree<Field64>> {
 public:
  static constexpr std::uint32_t ID = 0xFFFFFFFF;
  explicit Prio3HigherDegree(std::size_t shares) : Prio3(HigherDegree<Field64>(), shares, 1, ID) {}
};

/// Prio3L1BoundSum (draft-ietf-ppm-l1-bound-sum-02, adopted by the IETF PPM working group; not in
/// draft-irtf-cfrg-vdaf-20): Field128, XofTurboShake128, one proof, ID 0x00000007. Measurement:
/// `length` non-negative integers whose sum is at most `max_value` (64-bit); the aggregate is the
/// element-wise sum. Circuit: L1BoundSum (ParallelSum(Mul, chunk_length)); MEAS_LEN =
/// (length + 1)·bit_length(max_value). Vector: test-vectors/extensions/Prio3L1BoundSum_0.json.
class Prio3L1BoundSum : public Prio3<L1BoundSum<Field128>> {
 public:
  static constexpr std::uint32_t ID = 0x00000007;
  /// @throws invalid_argument on bad shares (2..255), length, max_value or chunk_length, or a
  /// limit exceeded (see L1BoundSum).
  Prio3L1BoundSum(std::size_t shares, std::size_t length, std::uint64_t max_value,
                  std::size_t chunk_length)
      : Prio3(L1BoundSum<Field128>(length, max_value, chunk_length), shares, 1, ID) {}
  /// The recommended chunk_length (MEAS_LEN = (length + 1)·bit_length(max_value)).
  /// @throws invalid_argument if length is 0 or MEAS_LEN would exceed FlpLimits::MAX_MEAS_LEN.
  static std::size_t recommended_chunk_length(std::size_t length, std::uint64_t max_value) {
    VDAF_ARG_CHECK(length < FlpLimits::MAX_MEAS_LEN,
                   "Prio3L1BoundSum::recommended_chunk_length: length beyond the MEAS_LEN limit");
    return detail::chunk_for("Prio3L1BoundSum", length + 1, detail::bits_of(max_value), 0);
  }
};

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
  static constexpr std::uint32_t ID = 0xFFFF1003;
  /// @throws invalid_argument on bad shares (2..255), length, max_measurement (1..p−1),
  /// chunk_length or proofs (1..255), or a limit exceeded (see SumVec).
  Prio3SumVecField64MultiproofHmacSha256Aes128(std::size_t shares, std::size_t length,
                                               std::uint64_t max_measurement,
                                               std::size_t chunk_length, std::size_t proofs)
      : Prio3(SumVec<Field64>(length, max_measurement, chunk_length, RangeRule::below_modulus),
              shares, proofs, ID) {}
  /// The recommended chunk_length (MEAS_LEN = length·bit_length(max_measurement)).
  /// @throws invalid_argument if length is 0 or MEAS_LEN would exceed FlpLimits::MAX_MEAS_LEN.
  static std::size_t recommended_chunk_length(std::size_t length, std::uint64_t max_measurement) {
    return detail::chunk_for("Prio3SumVecField64MultiproofHmacSha256Aes128", length,
                             detail::bits_of(max_measurement), 0);
  }
};

VDAF_END_NAMESPACE
