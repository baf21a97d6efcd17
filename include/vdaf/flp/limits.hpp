// The limits every FLP circuit and Prio3 instance of the library is held to, so that every
// accepted parameter set constructs in bounded time and memory and every report's buffers are
// bounded. Each is checked in a constructor, before anything is allocated, and a parameter
// beyond one is an invalid_argument naming it.
#pragma once

#include <cstddef>
#include <string>

#include "vdaf/config.hpp"

VDAF_BEGIN_NAMESPACE

/// The limits (all public, all checked before allocation; see README "Limits").
///
/// What they bound, with F = Field128 (16-byte elements), at the limits:
/// - a report: the encoded measurement (MEAS_LEN ≤ 2^22 elements: 64 MiB), the proofs
///   (PROOF_LEN·PROOFS ≤ 2^24 elements) and, while proving or querying, one gadget's wire
///   polynomials (arity·P ≤ 2^24 elements: 256 MiB);
/// - an instance: the NTT and Lagrange tables of the gadget sizes P ≤ 2^21 (cached per size,
///   process-wide, never more than one table per power of two: see ntt.hpp and barycentric.hpp),
///   built in well under a second.
struct FlpLimits {
  /// MEAS_LEN: elements of the encoded measurement (a SumVec's length·bits, a histogram's
  /// length, a multihot vector's length + bit_length(max_weight)).
  static constexpr std::size_t MAX_MEAS_LEN = std::size_t{1} << 22;
  /// Calls of one gadget (P = next_pow2(1 + calls) ≤ 2^21 points).
  static constexpr std::size_t MAX_GADGET_CALLS = std::size_t{1} << 20;
  /// arity·P of one gadget: the elements of its wire polynomials (a ParallelSum(Mul, chunk)
  /// has arity 2·chunk).
  static constexpr std::size_t MAX_WIRE_ELEMENTS = std::size_t{1} << 24;
  /// PROOF_LEN·PROOFS: the elements of a leader's proofs share.
  static constexpr std::size_t MAX_PROOFS_LEN = std::size_t{1} << 24;
};

namespace detail {
/// "`what` is `value`; at most `limit` (`name`)": the message of a limit's invalid_argument.
inline std::string limit_message(const char* who, const char* what, unsigned long long value,
                                 std::size_t limit, const char* name) {
  return std::string(who) + ": " + what + " is " + std::to_string(value) +
         "; vdaf-cpp allows at most " + std::to_string(limit) + " (" + name +
         ", so that every instance has bounded memory)";
}
}  // namespace detail

VDAF_END_NAMESPACE
