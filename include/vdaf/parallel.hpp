// Aggregation across cores (issue 13): the batch APIs of Prio3 and of the ping-pong topology,
// run over chunks of reports in parallel on oneTBB, and aggregation into per-task aggregate
// shares merged at the end. Optional: this header needs oneTBB (Debian `libtbb-dev`) and the
// CMake target `vdaf::parallel` (built when CMake finds oneTBB, see VDAF_WITH_TBB).
//
// Every function here returns exactly what the serial call it is named after returns on the
// whole batch: the reports are independent, a chunk is a serial batch call on a sub-range, and
// the outcomes are put back in report order; aggregation sums field elements, which is exact and
// order-independent. Argument errors of the whole batch (spans of different lengths, a bad
// verify key or agg_id, a ctx too long) are thrown before any work starts, with the serial
// call's message. The work runs in the caller's TBB task arena: bound the threads with
// `tbb::task_arena(n).execute(...)` or `tbb::global_control`.
#pragma once

#if !__has_include(<tbb/parallel_for.h>)
#error "vdaf/parallel.hpp needs oneTBB (Debian: apt-get install libtbb-dev) and vdaf::parallel"
#endif

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstddef>
#include <exception>
#include <iterator>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "vdaf/core/bytes.hpp"
#include "vdaf/errors.hpp"

VDAF_BEGIN_NAMESPACE

/// Parallel (oneTBB) versions of the batch APIs: see include/vdaf/parallel.hpp.
namespace parallel {

/// The most reports per task the automatic grain (grain 0) chooses: large enough that a task's
/// overhead (a few microseconds) is small against a Count report's ~0.3 µs verify_init. The
/// automatic grain is about n / (4 × threads of the arena), between 8 and DEFAULT_GRAIN, so a
/// batch of a few hundred heavy reports (SumVec, Poplar1) still spreads over every thread; always
/// a multiple of Prio3::REPORT_GROUP (8), so that the multi-lane Keccak groups stay full.
inline constexpr std::size_t DEFAULT_GRAIN = 256;

namespace detail {

/// `grain` rounded up to a positive multiple of 8; 0 means automatic for a batch of n: about
/// four tasks per thread of the current arena, between 8 and DEFAULT_GRAIN.
inline std::size_t round_grain(std::size_t grain, std::size_t n) {
  if (grain == 0) {
    const auto threads =
        static_cast<std::size_t>(std::max(1, tbb::this_task_arena::max_concurrency()));
    grain = std::clamp<std::size_t>(n / (4 * threads), 8, DEFAULT_GRAIN);
  }
  return grain > (~std::size_t{0} - 7) ? grain : (grain + 7) / 8 * 8;
}

/// Calls `f(begin, end)` on the chunks [k·grain, min(n, (k+1)·grain)) of [0, n), in parallel.
template <class F>
void for_chunks(std::size_t n, std::size_t grain, const F& f) {
  const std::size_t chunks = n / grain + (n % grain != 0);
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, chunks, 1),
      [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t c = r.begin(); c != r.end(); ++c) {
          f(c * grain, std::min(n, (c + 1) * grain));
        }
      },
      tbb::simple_partitioner());
}

/// The n results of `call(begin, end)` (a serial batch call on reports [begin, end), returning
/// end − begin results in order), computed chunk by chunk in parallel and put back in order.
/// One chunk (n <= grain) is the serial call itself.
template <class Out, class Call>
std::vector<Out> chunked(std::size_t n, std::size_t grain, const Call& call) {
  if (n <= grain) return call(0, n);
  std::vector<Out> out(n);
  for_chunks(n, grain, [&](std::size_t b, std::size_t e) {
    std::vector<Out> part = call(b, e);
    VDAF_ARG_CHECK(part.size() == e - b, "vdaf::parallel: a chunk returned the wrong count");
    std::move(part.begin(), part.end(), out.begin() + static_cast<std::ptrdiff_t>(b));
  });
  return out;
}

/// Whether every span of `spans` has `n` elements.
template <class... S>
bool all_size(std::size_t n, const S&... spans) noexcept {
  return ((spans.size() == n) && ...);
}

/// `s[b, e)`.
template <class T>
std::span<const T> sub(std::span<const T> s, std::size_t b, std::size_t e) noexcept {
  return s.subspan(b, e - b);
}

/// Calls `call(states_part)` with states [b, e) moved into a temporary vector, then moves them
/// back (a serial rvalue batch call leaves accepted states without their output share and
/// rejected ones as they were; the parallel call does the same in place).
template <class State, class Call>
auto on_moved(std::vector<State>& states, std::size_t b, std::size_t e, const Call& call) {
  std::vector<State> part(std::make_move_iterator(states.begin() + static_cast<std::ptrdiff_t>(b)),
                          std::make_move_iterator(states.begin() + static_cast<std::ptrdiff_t>(e)));
  struct Back {  // moves the states back even if the call throws (std::bad_alloc)
    std::vector<State>& to;
    std::vector<State>& from;
    std::size_t at;
    ~Back() { std::move(from.begin(), from.end(), to.begin() + static_cast<std::ptrdiff_t>(at)); }
  } back{states, part, b};
  return call(std::move(part));
}

/// The aggregate share of the n output shares get(0), ..., get(n−1): agg_update over chunks in
/// parallel, the per-chunk aggregate shares merged pairwise.
template <class V, class Get>
typename V::AggShare sum_out_shares(const V& vdaf, const typename V::AggParam& agg_param,
                                    std::size_t n, std::size_t grain, const Get& get) {
  using AggShare = typename V::AggShare;
  const auto run = [&](std::size_t b, std::size_t e, AggShare acc) {
    for (std::size_t i = b; i < e; ++i) vdaf.agg_update(agg_param, acc, get(i));
    return acc;
  };
  if (n <= grain) return run(0, n, vdaf.agg_init(agg_param));
  const std::size_t chunks = n / grain + (n % grain != 0);
  return tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, chunks, 1), vdaf.agg_init(agg_param),
      [&](const tbb::blocked_range<std::size_t>& r, AggShare acc) {
        return run(r.begin() * grain, std::min(n, r.end() * grain), std::move(acc));
      },
      [&](AggShare a, AggShare b) {
        const AggShare both[2] = {std::move(a), std::move(b)};
        return vdaf.merge(agg_param, std::span<const AggShare>(both, 2));
      },
      tbb::simple_partitioner());
}

}  // namespace detail

// --- Prio3 -------------------------------------------------------------------------------------

/// Parallel Prio3::verify_init_batch (§7.2.2): the same outcomes, in report order; a malformed
/// report gets its exception in its outcome and does not affect the others.
/// @tparam V a Prio3 instance (Prio3Count, Prio3Histogram, ...).
/// @param vdaf the instance.
/// @param verify_key VERIFY_KEY_SIZE (32) bytes. Secret.
/// @param ctx the application context, up to MAX_CTX_SIZE bytes.
/// @param agg_id this aggregator's index, in 0..S−1.
/// @param agg_param Prio3's empty aggregation parameter.
/// @param nonces the reports' nonces, NONCE_SIZE bytes each.
/// @param public_shares the reports' public shares (as many as nonces).
/// @param input_shares this aggregator's input shares (as many as nonces).
/// @param grain reports per task (rounded up to a multiple of 8; 0: automatic).
/// @return one outcome per report, equal to the serial call's.
/// @throws what the serial call throws for the whole batch (invalid_argument: spans of
/// different lengths, verify_key not 32 bytes, agg_id >= S, ctx too long), before any work;
/// std::bad_alloc. Constant-time in the shares, as the serial call.
template <class V>
std::vector<typename V::VerifyInitOutcome> verify_init_batch(
    const V& vdaf, ByteSpan verify_key, CtxBytes ctx, std::size_t agg_id,
    const typename V::AggParam& agg_param, std::span<const ByteSpan> nonces,
    std::span<const typename V::PublicShare> public_shares,
    std::span<const typename V::InputShare> input_shares, std::size_t grain = 0) {
  const std::size_t n = nonces.size();
  grain = detail::round_grain(grain, n);
  if (!detail::all_size(n, public_shares, input_shares) || n <= grain) {
    return vdaf.verify_init_batch(verify_key, ctx, agg_id, agg_param, nonces, public_shares,
                                  input_shares);
  }
  (void)vdaf.verify_init_batch(verify_key, ctx, agg_id, agg_param, {}, {}, {});  // arguments
  return detail::chunked<typename V::VerifyInitOutcome>(
      n, grain, [&](std::size_t b, std::size_t e) {
        return vdaf.verify_init_batch(verify_key, ctx, agg_id, agg_param, detail::sub(nonces, b, e),
                                      detail::sub(public_shares, b, e),
                                      detail::sub(input_shares, b, e));
      });
}

/// Parallel Prio3::verifier_shares_to_message_batch (§7.2.2): the same outcomes, in report
/// order.
/// @tparam V a Prio3 instance.
/// @param vdaf the instance.
/// @param ctx the application context, up to MAX_CTX_SIZE bytes.
/// @param agg_param Prio3's empty aggregation parameter.
/// @param by_aggregator S spans of equal length n: by_aggregator[j][i] is aggregator j's
///        verifier share of report i.
/// @param grain reports per task (rounded up to a multiple of 8; 0: automatic).
/// @return n outcomes, equal to the serial call's.
/// @throws what the serial call throws for the whole batch (invalid_argument: not S spans,
/// spans of different lengths, ctx too long), before any work; std::bad_alloc. Works on public
/// data.
template <class V>
std::vector<typename V::VerifierMessageOutcome> verifier_shares_to_message_batch(
    const V& vdaf, CtxBytes ctx, const typename V::AggParam& agg_param,
    std::span<const std::span<const typename V::VerifierShare>> by_aggregator,
    std::size_t grain = 0) {
  using Share = typename V::VerifierShare;
  const std::size_t n = by_aggregator.empty() ? 0 : by_aggregator[0].size();
  grain = detail::round_grain(grain, n);
  const bool shaped = by_aggregator.size() == vdaf.shares() &&
                      std::all_of(by_aggregator.begin(), by_aggregator.end(),
                                  [n](std::span<const Share> s) { return s.size() == n; });
  if (!shaped || n <= grain)
    return vdaf.verifier_shares_to_message_batch(ctx, agg_param, by_aggregator);
  const auto parts = [&](std::size_t b, std::size_t e) {
    std::vector<std::span<const Share>> p(by_aggregator.size());
    for (std::size_t j = 0; j < p.size(); ++j) p[j] = detail::sub(by_aggregator[j], b, e);
    return p;
  };
  (void)vdaf.verifier_shares_to_message_batch(ctx, agg_param, parts(0, 0));  // arguments
  return detail::chunked<typename V::VerifierMessageOutcome>(
      n, grain, [&](std::size_t b, std::size_t e) {
        return vdaf.verifier_shares_to_message_batch(ctx, agg_param, parts(b, e));
      });
}

/// Parallel Prio3::verify_next_batch (§7.2.2), states not modified: the same outcomes.
/// @tparam V a Prio3 instance.
/// @param vdaf the instance.
/// @param ctx the application context (not used by Prio3).
/// @param states this aggregator's verification states, one per report.
/// @param messages the reports' verifier messages (as many as states).
/// @param grain reports per task (rounded up to a multiple of 8; 0: automatic).
/// @return one outcome per report, equal to the serial call's.
/// @throws invalid_argument if states and messages differ in length (before any work);
/// std::bad_alloc. Constant-time in the states, as the serial call.
template <class V>
std::vector<typename V::OutShareOutcome> verify_next_batch(
    const V& vdaf, CtxBytes ctx, std::span<const typename V::VerifyState> states,
    std::span<const typename V::VerifierMessage> messages, std::size_t grain = 0) {
  const std::size_t n = states.size();
  grain = detail::round_grain(grain, n);
  if (messages.size() != n || n <= grain) return vdaf.verify_next_batch(ctx, states, messages);
  return detail::chunked<typename V::OutShareOutcome>(n, grain, [&](std::size_t b, std::size_t e) {
    return vdaf.verify_next_batch(ctx, detail::sub(states, b, e), detail::sub(messages, b, e));
  });
}

/// Parallel Prio3::verify_next_batch (§7.2.2) consuming the states: accepted reports' output
/// shares are moved out of their states (left without one), rejected states are left as they
/// were, as the serial rvalue call does.
/// @tparam V a Prio3 instance.
/// @param vdaf the instance.
/// @param ctx the application context (not used by Prio3).
/// @param states this aggregator's verification states, one per report.
/// @param messages the reports' verifier messages (as many as states).
/// @param grain reports per task (rounded up to a multiple of 8; 0: automatic).
/// @return one outcome per report, equal to the serial call's.
/// @throws invalid_argument if states and messages differ in length (before any work);
/// std::bad_alloc. Constant-time in the states, as the serial call.
template <class V>
std::vector<typename V::OutShareOutcome> verify_next_batch(
    const V& vdaf, CtxBytes ctx, std::vector<typename V::VerifyState>&& states,
    std::span<const typename V::VerifierMessage> messages, std::size_t grain = 0) {
  using State = typename V::VerifyState;
  const std::size_t n = states.size();
  grain = detail::round_grain(grain, n);
  if (messages.size() != n || n <= grain) {
    return vdaf.verify_next_batch(ctx, std::move(states), messages);
  }
  return detail::chunked<typename V::OutShareOutcome>(n, grain, [&](std::size_t b, std::size_t e) {
    return detail::on_moved(states, b, e, [&](std::vector<State>&& part) {
      return vdaf.verify_next_batch(ctx, std::move(part), detail::sub(messages, b, e));
    });
  });
}

/// The aggregate share of `out_shares` (agg_init, then agg_update with each, §5.5 / §7.2.4),
/// computed as per-task aggregate shares merged at the end: equal to the serial sum (field
/// addition is exact and commutative).
/// @tparam V a VDAF with agg_init, agg_update and merge (Prio3, Poplar1).
/// @param vdaf the instance.
/// @param agg_param the aggregation parameter.
/// @param out_shares the output shares to aggregate.
/// @param grain output shares per task (rounded up to a multiple of 8; 0: automatic).
/// @return the aggregate share.
/// @throws what agg_update throws for an output share of the wrong shape (invalid_argument;
/// the result is then discarded: nothing is half-updated outside this call); std::bad_alloc.
/// Constant-time in the shares.
template <class V>
typename V::AggShare aggregate(const V& vdaf, const typename V::AggParam& agg_param,
                               std::span<const typename V::OutShare> out_shares,
                               std::size_t grain = 0) {
  return detail::sum_out_shares(
      vdaf, agg_param, out_shares.size(),
      detail::round_grain(grain, out_shares.size()), [&](std::size_t i) -> const auto& {
        return out_shares[i];
      });
}

/// The aggregate share of the accepted reports of a verify_next_batch call, and their number
/// (for unshard's num_measurements): reports whose outcome holds an error are skipped.
/// @tparam V a Prio3 instance.
/// @param vdaf the instance.
/// @param agg_param Prio3's empty aggregation parameter.
/// @param outcomes the outcomes of verify_next_batch.
/// @param grain outcomes per task (rounded up to a multiple of 8; 0: automatic).
/// @return the aggregate share of the accepted output shares, and how many there were.
/// @throws invalid_argument for an output share of the wrong shape; std::bad_alloc.
/// Constant-time in the shares (which reports were accepted is public).
template <class V>
std::pair<typename V::AggShare, std::size_t> aggregate(
    const V& vdaf, const typename V::AggParam& agg_param,
    std::span<const typename V::OutShareOutcome> outcomes, std::size_t grain = 0) {
  std::vector<const typename V::OutShare*> accepted;
  accepted.reserve(outcomes.size());
  for (const auto& o : outcomes) {
    if (o.result) accepted.push_back(&*o.result);
  }
  return {detail::sum_out_shares(
              vdaf, agg_param, accepted.size(), detail::round_grain(grain, accepted.size()),
              [&](std::size_t i) -> const auto& { return *accepted[i]; }),
          accepted.size()};
}

// --- any VDAF, report by report (Poplar1) --------------------------------------------------

/// The outcome of one report in verify_init_each: exactly one member is set.
/// @tparam V the VDAF.
template <class V>
struct VerifyInitOutcome {
  /// What verify_init returns for this report, if it returns.
  std::optional<std::pair<typename V::VerifyState, typename V::VerifierShare>> result;
  /// What verify_init throws for this report, if it throws.
  std::exception_ptr error;
};

/// verify_init (§5.3) of aggregator `agg_id` on every report, in parallel, for a VDAF without
/// a batch API (Poplar1): outcome i is what vdaf.verify_init(verify_key, ctx, agg_id,
/// agg_param, nonces[i], public_shares[i], input_shares[i]) returns or throws.
/// @tparam V the VDAF (Poplar1; Prio3 has verify_init_batch).
/// @param vdaf the instance.
/// @param verify_key the verification key. Secret.
/// @param ctx the application context.
/// @param agg_id this aggregator's index.
/// @param agg_param the aggregation parameter (Poplar1: level and candidate prefixes).
/// @param nonces the reports' nonces.
/// @param public_shares the reports' public shares (as many as nonces).
/// @param input_shares this aggregator's input shares (as many as nonces).
/// @param grain reports per task (rounded up to a multiple of 8; 0: automatic).
/// @return one outcome per report, in order.
/// @throws invalid_argument if the spans differ in length (before any work); std::bad_alloc.
/// Constant-time in the shares, as verify_init.
template <class V>
std::vector<VerifyInitOutcome<V>> verify_init_each(
    const V& vdaf, ByteSpan verify_key, CtxBytes ctx, std::size_t agg_id,
    const typename V::AggParam& agg_param, std::span<const ByteSpan> nonces,
    std::span<const typename V::PublicShare> public_shares,
    std::span<const typename V::InputShare> input_shares, std::size_t grain = 0) {
  const std::size_t n = nonces.size();
  VDAF_ARG_CHECK(detail::all_size(n, public_shares, input_shares),
                 "vdaf::parallel::verify_init_each: nonces, public shares and input shares "
                 "differ in number");
  return detail::chunked<VerifyInitOutcome<V>>(
      n, detail::round_grain(grain, n), [&](std::size_t b, std::size_t e) {
        std::vector<VerifyInitOutcome<V>> out(e - b);
        for (std::size_t i = b; i < e; ++i) {
          try {
            out[i - b].result = vdaf.verify_init(verify_key, ctx, agg_id, agg_param, nonces[i],
                                                 public_shares[i], input_shares[i]);
          } catch (...) {
            out[i - b].error = std::current_exception();
          }
        }
        return out;
      });
}

// --- the ping-pong topology (§5.7.1) --------------------------------------------------------

/// Parallel PingPong::leader_initialized_batch: the same states, in report order (a failing
/// report is a Rejected state, as in the serial call).
/// @tparam P a PingPong instantiation.
/// @param pp the topology object.
/// @param nonces the reports' nonces.
/// @param public_shares the reports' public shares (as many as nonces).
/// @param input_shares the Leader's input shares (as many as nonces).
/// @param grain reports per task (rounded up to a multiple of 8; 0: automatic).
/// @return one state per report, equal to the serial call's.
/// @throws what the serial call throws for the whole batch (invalid_argument: spans of
/// different lengths), before any work; std::bad_alloc.
template <class P>
std::vector<typename P::State> leader_initialized_batch(
    const P& pp, std::span<const ByteSpan> nonces,
    std::span<const typename P::PublicShare> public_shares,
    std::span<const typename P::InputShare> input_shares, std::size_t grain = 0) {
  const std::size_t n = nonces.size();
  grain = detail::round_grain(grain, n);
  if (!detail::all_size(n, public_shares, input_shares) || n <= grain) {
    return pp.leader_initialized_batch(nonces, public_shares, input_shares);
  }
  return detail::chunked<typename P::State>(n, grain, [&](std::size_t b, std::size_t e) {
    return pp.leader_initialized_batch(detail::sub(nonces, b, e), detail::sub(public_shares, b, e),
                                       detail::sub(input_shares, b, e));
  });
}

/// Parallel PingPong::helper_initialized_batch: the same states, in report order.
/// @tparam P a PingPong instantiation.
/// @param pp the topology object.
/// @param nonces the reports' nonces.
/// @param public_shares the reports' public shares (as many as nonces).
/// @param input_shares the Helper's input shares (as many as nonces).
/// @param inbound the Leader's encoded messages (as many as nonces).
/// @param grain reports per task (rounded up to a multiple of 8; 0: automatic).
/// @return one state per report, equal to the serial call's.
/// @throws what the serial call throws for the whole batch (invalid_argument: spans of
/// different lengths), before any work; std::bad_alloc.
template <class P>
std::vector<typename P::State> helper_initialized_batch(
    const P& pp, std::span<const ByteSpan> nonces,
    std::span<const typename P::PublicShare> public_shares,
    std::span<const typename P::InputShare> input_shares, std::span<const ByteSpan> inbound,
    std::size_t grain = 0) {
  const std::size_t n = nonces.size();
  grain = detail::round_grain(grain, n);
  if (!detail::all_size(n, public_shares, input_shares, inbound) || n <= grain) {
    return pp.helper_initialized_batch(nonces, public_shares, input_shares, inbound);
  }
  return detail::chunked<typename P::State>(n, grain, [&](std::size_t b, std::size_t e) {
    return pp.helper_initialized_batch(detail::sub(nonces, b, e), detail::sub(public_shares, b, e),
                                       detail::sub(input_shares, b, e), detail::sub(inbound, b, e));
  });
}

/// Parallel PingPong::leader_continued_batch (states not modified): the same states.
/// @tparam P a PingPong instantiation.
/// @param pp the topology object.
/// @param states the Leader's states, one per report.
/// @param inbound the Helper's encoded messages (as many as states).
/// @param grain reports per task (rounded up to a multiple of 8; 0: automatic).
/// @return one state per report, equal to the serial call's.
/// @throws invalid_argument if the spans differ in length (before any work); std::bad_alloc.
template <class P>
std::vector<typename P::State> leader_continued_batch(const P& pp,
                                                      std::span<const typename P::State> states,
                                                      std::span<const ByteSpan> inbound,
                                                      std::size_t grain = 0) {
  const std::size_t n = states.size();
  grain = detail::round_grain(grain, n);
  if (inbound.size() != n || n <= grain) return pp.leader_continued_batch(states, inbound);
  return detail::chunked<typename P::State>(n, grain, [&](std::size_t b, std::size_t e) {
    return pp.leader_continued_batch(detail::sub(states, b, e), detail::sub(inbound, b, e));
  });
}

/// Parallel PingPong::helper_continued_batch (states not modified): the same states.
/// @tparam P a PingPong instantiation.
/// @param pp the topology object.
/// @param states the Helper's states, one per report.
/// @param inbound the Leader's encoded messages (as many as states).
/// @param grain reports per task (rounded up to a multiple of 8; 0: automatic).
/// @return one state per report, equal to the serial call's.
/// @throws invalid_argument if the spans differ in length (before any work); std::bad_alloc.
template <class P>
std::vector<typename P::State> helper_continued_batch(const P& pp,
                                                      std::span<const typename P::State> states,
                                                      std::span<const ByteSpan> inbound,
                                                      std::size_t grain = 0) {
  const std::size_t n = states.size();
  grain = detail::round_grain(grain, n);
  if (inbound.size() != n || n <= grain) return pp.helper_continued_batch(states, inbound);
  return detail::chunked<typename P::State>(n, grain, [&](std::size_t b, std::size_t e) {
    return pp.helper_continued_batch(detail::sub(states, b, e), detail::sub(inbound, b, e));
  });
}

}  // namespace parallel

VDAF_END_NAMESPACE
