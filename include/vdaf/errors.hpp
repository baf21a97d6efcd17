// Exception hierarchy (style: one throw macro, messages say what and where).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "vdaf/config.hpp"

VDAF_BEGIN_NAMESPACE

/// Root of every exception this library throws.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Caller misuse: bad parameters, measurement out of range, wrong lengths.
class invalid_argument : public error {
 public:
  using error::error;
};

/// Malformed bytes: truncated, trailing, non-canonical element, bad padding.
class decode_error : public error {
 public:
  using error::error;
};

/// Why a report was rejected during verification: the machine-readable part of a
/// `verify_error`. The values are stable (they are stored with rejected ping-pong states).
enum class VerifyFailure : std::uint8_t {
  /// Not one of the reasons below (a verify_error built from a message only).
  unspecified = 0,
  /// Prio3 (§7.2.2 verifier_shares_to_message): the FLP decision rejected proof
  /// `verify_error::proof()`: the combined verifier does not check out. An honest client's
  /// report is always accepted, so this is a forged or corrupted report, or aggregators and
  /// client that disagree on ctx, the verify key or the VDAF parameters.
  proof_rejected = 1,
  /// Prio3 (§7.2.2 verify_next): the joint-randomness seed in the verifier message differs
  /// from the one this aggregator derived: the client lied about its joint-randomness parts, or
  /// the aggregators disagree on ctx or the parameters.
  joint_rand_mismatch = 2,
  /// The verifier message does not fit the verification state (a joint-randomness seed
  /// missing or unexpected; a Poplar1 message of the wrong round or field).
  message_mismatch = 3,
  /// Poplar1 (§8.2.2 verifier_shares_to_message, round 2): the sketch does not verify: the
  /// IDPF values are not a one-hot vector of ones, or the aggregators disagree on ctx, the
  /// verify key, the aggregation parameter or the report.
  sketch_rejected = 4,
  /// FLP query (§7.3.3): the query point is a root of unity (probability about
  /// calls/field size; the report cannot be verified with this verify key).
  query_aborted = 5,
};

/// A short stable name of `f` ("proof_rejected", ...).
/// @param f The reason.
/// @return The enumerator's name as a static string; "unknown" for a value outside the enum.
inline const char* to_string(VerifyFailure f) noexcept {
  switch (f) {
    case VerifyFailure::unspecified:
      return "unspecified";
    case VerifyFailure::proof_rejected:
      return "proof_rejected";
    case VerifyFailure::joint_rand_mismatch:
      return "joint_rand_mismatch";
    case VerifyFailure::message_mismatch:
      return "message_mismatch";
    case VerifyFailure::sketch_rejected:
      return "sketch_rejected";
    case VerifyFailure::query_aborted:
      return "query_aborted";
  }
  return "unknown";
}

/// The hint every verification-failure message ends with: one rejected report is what a forged
/// report looks like, every report rejected is what a misconfiguration looks like.
inline constexpr const char* VERIFY_MISCONFIGURATION_HINT =
    "if every report is rejected, check that ctx, the verify key and the VDAF parameters "
    "agree between client and aggregators";

/// A report was rejected during verification. `reason()` says why in a form a program can
/// act on (`VerifyFailure`); `what()` says it for a person, with what likely went wrong.
class verify_error : public error {
 public:
  /// A rejection without a machine-readable reason (`reason()` is `unspecified`).
  /// @param msg The message returned by what().
  explicit verify_error(const std::string& msg) : error(msg) {}
  /// A rejection for `reason`; `proof` is the index of the rejected proof (proof_rejected).
  /// @param reason Why the report was rejected.
  /// @param msg The message returned by what().
  /// @param proof For proof_rejected: the 0-based index of the rejected proof.
  verify_error(VerifyFailure reason, const std::string& msg,
               std::optional<std::size_t> proof = std::nullopt)
      : error(msg), reason_(reason), proof_(proof) {}

  /// Why the report was rejected.
  /// @return The reason (`unspecified` if built from a message only).
  VerifyFailure reason() const noexcept { return reason_; }
  /// For `proof_rejected`: which proof was rejected.
  /// @return The proof's index (0-based, < PROOFS), or empty for other reasons.
  std::optional<std::size_t> proof() const noexcept { return proof_; }

 private:
  VerifyFailure reason_ = VerifyFailure::unspecified;
  std::optional<std::size_t> proof_;
};

/// A bug in this library.
class internal_error : public error {
 public:
  using error::error;
};

namespace detail {
// The throw points, out of line and cold: one copy per program (and per translation unit at
// compile time) instead of the exception's construction inlined at every check of every
// instantiated template. Templates only so that a translation unit that throws nothing does not
// compile them.
/// Throws E(msg).
/// @tparam E an exception class of namespace vdaf taking a std::string.
/// @param msg the message.
template <class E>
[[noreturn, gnu::noinline, gnu::cold]] void throw_error(const char* msg) {
  throw E(std::string(msg));
}
/// Throws E(msg).
/// @tparam E an exception class of namespace vdaf taking a std::string.
/// @param msg the message.
template <class E>
[[noreturn, gnu::noinline, gnu::cold]] void throw_error(std::string msg) {
  throw E(std::move(msg));
}
/// Throws verify_error(why, msg + "; " + VERIFY_MISCONFIGURATION_HINT, proof).
/// @tparam M const char* or std::string.
/// @param why the reason.
/// @param msg the message, to which the hint is appended.
/// @param proof for proof_rejected: the rejected proof's index.
template <class M>
[[noreturn, gnu::noinline, gnu::cold]] void throw_verify_error(
    VerifyFailure why, M msg, std::optional<std::size_t> proof = std::nullopt) {
  throw verify_error(why, std::string(std::move(msg)) + "; " + VERIFY_MISCONFIGURATION_HINT, proof);
}
}  // namespace detail

VDAF_END_NAMESPACE

/// The single throw point: `VDAF_THROW(decode_error, "Field64: value >= p")`.
/// @param kind An exception class of namespace vdaf taking a std::string (decode_error, ...).
/// @param msg The message (anything convertible to std::string).
#define VDAF_THROW(kind, msg) ::vdaf::detail::throw_error<::vdaf::kind>(msg)

/// Throws `vdaf::verify_error` with reason `VerifyFailure::why` and message `msg`, to which the
/// misconfiguration hint is appended; an optional last argument is the rejected proof's index.
/// @param why A VerifyFailure enumerator name (e.g. proof_rejected).
/// @param msg The message (anything convertible to std::string).
#define VDAF_VERIFY_FAIL(why, msg, ...) \
  ::vdaf::detail::throw_verify_error(::vdaf::VerifyFailure::why, msg __VA_OPT__(, ) __VA_ARGS__)

/// Throws `vdaf::invalid_argument` with `msg` unless `cond` holds.
/// @param cond The condition that must hold.
/// @param msg The message (anything convertible to std::string; evaluated only on failure).
#define VDAF_ARG_CHECK(cond, msg)                   \
  do {                                              \
    if (!(cond)) VDAF_THROW(invalid_argument, msg); \
  } while (0)
