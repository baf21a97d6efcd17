// Drives reports through the ping-pong topology for tests: one report at a time with a hook
// after every step (to store and restore the state, or tamper with it), whole jobs through the
// batch steps, and a comparison of states (same alternative and same stored encoding; for
// Rejected, same reason, cause and failure).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "support/reports.hpp"
#include "vdaf/topology/ping_pong.hpp"

namespace vdaf_test {

/// Which party took a step.
enum class Side { leader, helper };

/// The outcome of one report: both parties' last states and every message sent, in order.
template <class V>
struct PingPongRun {
  vdaf::PingPongState<V> leader;
  std::optional<vdaf::PingPongState<V>> helper;
  std::vector<Bytes> messages;
};

/// One report through ping-pong, over encoded messages. After each step `hook(side, step,
/// state)` may change the state (step 0, 1, ... counts that party's steps). `leader_cache` and
/// `helper_cache` (Poplar1) are passed to the init steps when not null.
template <class V, class Hook>
PingPongRun<V> run_report(const vdaf::PingPong<V>& leader, const vdaf::PingPong<V>& helper,
                          const TestReport<V>& r, Hook&& hook,
                          typename vdaf::PingPong<V>::EvalCache* leader_cache = nullptr,
                          typename vdaf::PingPong<V>::EvalCache* helper_cache = nullptr) {
  using PP = vdaf::PingPong<V>;
  PingPongRun<V> run;
  std::size_t ls = 0, hs = 0;
  if constexpr (vdaf::VdafWithEvalCache<V>) {
    run.leader =
        leader_cache
            ? leader.leader_initialized(r.nonce, r.public_share, r.input_shares[0], *leader_cache)
            : leader.leader_initialized(r.nonce, r.public_share, r.input_shares[0]);
  } else {
    run.leader = leader.leader_initialized(r.nonce, r.public_share, r.input_shares[0]);
  }
  hook(Side::leader, ls++, run.leader);
  while (const Bytes* lo = PP::outbound(run.leader)) {
    run.messages.push_back(*lo);
    if (!run.helper) {
      if constexpr (vdaf::VdafWithEvalCache<V>) {
        run.helper = helper_cache ? helper.helper_initialized(r.nonce, r.public_share,
                                                              r.input_shares[1], *lo, *helper_cache)
                                  : helper.helper_initialized(r.nonce, r.public_share,
                                                              r.input_shares[1], *lo);
      } else {
        run.helper = helper.helper_initialized(r.nonce, r.public_share, r.input_shares[1], *lo);
      }
    } else {
      run.helper = helper.helper_continued(*run.helper, *lo);
    }
    hook(Side::helper, hs++, *run.helper);
    if (!std::holds_alternative<typename PP::Continued>(run.leader)) break;
    const Bytes* ho = PP::outbound(*run.helper);
    if (ho == nullptr) break;
    run.messages.push_back(*ho);
    run.leader = leader.leader_continued(run.leader, *ho);
    hook(Side::leader, ls++, run.leader);
  }
  return run;
}

/// Two states are the same: same alternative; Rejected: same reason, cause and failure;
/// otherwise the same stored encoding (verification state, round, output share, outbound).
template <class V>
::testing::AssertionResult same_state(const vdaf::PingPong<V>& pp, const vdaf::PingPongState<V>& a,
                                      const vdaf::PingPongState<V>& b) {
  using PP = vdaf::PingPong<V>;
  if (a.index() != b.index()) {
    return ::testing::AssertionFailure()
           << "state alternatives differ: " << a.index() << " vs " << b.index();
  }
  if (const auto* ra = std::get_if<typename PP::Rejected>(&a)) {
    const auto& rb = std::get<typename PP::Rejected>(b);
    if (ra->reason != rb.reason || ra->cause != rb.cause || ra->failure != rb.failure) {
      return ::testing::AssertionFailure()
             << "Rejected differ: '" << ra->reason << "' (" << vdaf::to_string(ra->cause)
             << ") vs '" << rb.reason << "' (" << vdaf::to_string(rb.cause) << ")";
    }
    return ::testing::AssertionSuccess();
  }
  const auto ea = pp.encode_state(a), eb = pp.encode_state(b);
  if (ea != eb) return ::testing::AssertionFailure() << "stored encodings differ";
  return ::testing::AssertionSuccess();
}

/// The reason of a Rejected state, or "<not rejected>".
template <class V>
std::string reason_of(const vdaf::PingPongState<V>& s) {
  const auto* rej = std::get_if<typename vdaf::PingPong<V>::Rejected>(&s);
  return rej ? rej->reason : std::string("<not rejected>");
}

}  // namespace vdaf_test
