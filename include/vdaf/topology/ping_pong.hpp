// The ping-pong topology (draft-irtf-cfrg-vdaf-20 §5.7.1, states in
// Appendix B): verification between exactly two aggregators, the Leader
// (aggregator 0) and the Helper (aggregator 1), over any request/response
// transport. The Leader and Helper take turns computing the verifier message
// locally, so a VDAF with ROUNDS rounds needs ceil((ROUNDS + 1) / 2) requests
// (Prio3: 1, Poplar1: 2).
//
// Only encoded `PingPongMessage`s cross between the parties. Every step turns any
// failure (malformed bytes, rejected proof, wrong lengths, even memory exhaustion)
// into the `Rejected` state, with a machine-readable cause, so a server loop needs no
// try/catch per report. Steps come one report at a time or in batches (an aggregation
// job), and every state can be stored between requests (encode_state/decode_state).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <limits>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "vdaf/codec/codec.hpp"
#include "vdaf/core/bytes.hpp"
#include "vdaf/core/stored.hpp"
#include "vdaf/core/vdaf.hpp"
#include "vdaf/ct/ct.hpp"
#include "vdaf/errors.hpp"

VDAF_BEGIN_NAMESPACE

/// The ping-pong message (§5.7.1), in TLS syntax:
///
///     enum { initialize(0), continue(1), finish(2), (255) } MessageType;
///     struct {
///       MessageType type;
///       select (Message.type) {
///         case initialize: opaque verifier_share<0..2^32-1>;
///         case continue:   opaque verifier_message<0..2^32-1>;
///                          opaque verifier_share<0..2^32-1>;
///         case finish:     opaque verifier_message<0..2^32-1>;
///       };
///     } Message;
///
/// Each opaque field is a 4-byte big-endian length followed by the bytes. The
/// fields are the VDAF's encoded verifier share / verifier message; a field the
/// type does not carry is empty. Public data (not constant-time).
struct PingPongMessage {
  /// MessageType (§5.7.1), the first byte of the encoding.
  enum class Type : std::uint8_t {
    initialize = 0,  ///< The Leader's first message: a verifier share.
    continue_ = 1,   ///< A round's verifier message and the sender's next verifier share.
    finish = 2       ///< The last round's verifier message.
  };

  Type type = Type::initialize;  ///< Which of the three messages this is.
  Bytes verifier_message;        ///< continue, finish
  Bytes verifier_share;          ///< initialize, continue

  /// initialize(verifier_share): the Leader's first message.
  /// @param verifier_share  the Leader's encoded verifier share (at most 2^32−1 bytes to encode).
  /// @return the message (not yet encoded).
  static PingPongMessage initialize(Bytes verifier_share) {
    return {Type::initialize, {}, std::move(verifier_share)};
  }
  /// continue(verifier_message, verifier_share): a round's message and the
  /// sender's share for the next round.
  /// @param verifier_message  the encoded verifier message of the round just finished.
  /// @param verifier_share  the sender's encoded verifier share for the next round.
  /// @return the message (not yet encoded).
  static PingPongMessage continue_(Bytes verifier_message, Bytes verifier_share) {
    return {Type::continue_, std::move(verifier_message), std::move(verifier_share)};
  }
  /// finish(verifier_message): the last round's message.
  /// @param verifier_message  the encoded verifier message of the last round.
  /// @return the message (not yet encoded).
  static PingPongMessage finish(Bytes verifier_message) {
    return {Type::finish, std::move(verifier_message), {}};
  }

  /// Encodes the message (§5.7.1): u8 type, then the type's opaque fields.
  /// @return 1 + 4 + len(field) bytes per field the type carries (two for continue).
  /// @throws invalid_argument on an unknown type, a field longer than 2^32−1
  /// bytes, or a non-empty field the type does not carry.
  Bytes encode() const {
    Bytes out;
    out.push_back(static_cast<std::uint8_t>(type));
    switch (type) {
      case Type::initialize:
        VDAF_ARG_CHECK(verifier_message.empty(),
                       "PingPongMessage: initialize carries no verifier message");
        put_opaque32(out, verifier_share);
        break;
      case Type::continue_:
        put_opaque32(out, verifier_message);
        put_opaque32(out, verifier_share);
        break;
      case Type::finish:
        VDAF_ARG_CHECK(verifier_share.empty(), "PingPongMessage: finish carries no verifier share");
        put_opaque32(out, verifier_message);
        break;
      default:
        VDAF_THROW(invalid_argument,
                   "PingPongMessage: unknown type " + std::to_string(static_cast<unsigned>(type)));
    }
    return out;
  }

  /// Decodes a message (§5.7.1). Strict: the whole input must be consumed.
  /// @param b  the encoded message, as received from the peer (untrusted).
  /// @return the message; fields its type does not carry are empty.
  /// @throws decode_error on an empty input, an unknown type (> 2), a length
  /// running past the end, or trailing bytes.
  static PingPongMessage decode(ByteSpan b) {
    Reader r(b, "ping-pong message");
    PingPongMessage m;
    const std::uint8_t t = r.u8();
    switch (t) {
      case 0:
        m.type = Type::initialize;
        m.verifier_share = read_opaque32(r);
        break;
      case 1:
        m.type = Type::continue_;
        m.verifier_message = read_opaque32(r);
        m.verifier_share = read_opaque32(r);
        break;
      case 2:
        m.type = Type::finish;
        m.verifier_message = read_opaque32(r);
        break;
      default:
        VDAF_THROW(decode_error, "ping-pong message: unknown type " + std::to_string(t));
    }
    r.finish();
    return m;
  }

  friend bool operator==(const PingPongMessage&, const PingPongMessage&) = default;

 private:
  static void put_opaque32(Bytes& out, ByteSpan field) {
    VDAF_ARG_CHECK(field.size() <= std::numeric_limits<std::uint32_t>::max(),
                   "PingPongMessage: field longer than 2^32-1 bytes");
    put_be32(out, static_cast<std::uint32_t>(field.size()));
    append(out, field);
  }
  static Bytes read_opaque32(Reader& r) {
    const std::uint32_t n = r.be32();
    ByteSpan s = r.take(n);
    return Bytes(s.begin(), s.end());
  }
};

/// Why a ping-pong step ended in `Rejected` (stable values: they are stored with the state).
/// DAP maps `decode_error` and `protocol` to its `invalid_message` and `verify_error` to
/// `vdaf_verify_error` (formerly `vdaf_prep_error`).
enum class RejectCause : std::uint8_t {
  /// Malformed bytes: a report share, a ping-pong message or a VDAF message in it.
  decode_error = 1,
  /// Wrong shapes (nonce length, an input share of the wrong kind or length, a cache bound to
  /// another report, a state that is not a verification state of this instance).
  invalid_argument = 2,
  /// The VDAF rejected the report: `Rejected::failure` says why.
  verify_error = 3,
  /// The peer's message does not fit this step (unexpected message type or round, a state
  /// that is not `Continued`, a state of the other role).
  protocol = 4,
  /// Memory ran out while handling this report.
  out_of_memory = 5,
  /// A bug in this library or in the VDAF (an internal invariant broke).
  internal_error = 6,
};

/// A short stable name of `c` ("decode_error", ...). Not secret-dependent.
/// @param c The cause.
/// @return The enumerator's name as a static string; "unknown" for a value outside the enum.
inline const char* to_string(RejectCause c) noexcept {
  switch (c) {
    case RejectCause::decode_error:
      return "decode_error";
    case RejectCause::invalid_argument:
      return "invalid_argument";
    case RejectCause::verify_error:
      return "verify_error";
    case RejectCause::protocol:
      return "protocol";
    case RejectCause::out_of_memory:
      return "out_of_memory";
    case RejectCause::internal_error:
      return "internal_error";
  }
  return "unknown";
}

namespace detail {
/// Stands in for `V::EvalCache` when the VDAF has none (Prio3).
struct NoEvalCache {};
template <class V>
struct EvalCacheOf {
  using type = NoEvalCache;
};
template <class V>
requires requires { typename V::EvalCache; }
struct EvalCacheOf<V> {
  using type = typename V::EvalCache;
};
}  // namespace detail

/// A VDAF whose verify_init takes an evaluation cache as an extra last argument
/// (`typename V::EvalCache*`, may be null): Poplar1.
template <class V>
concept VdafWithEvalCache = VdafAggregator<V> &&
    requires(const V& v, ByteSpan b, const typename V::AggParam& ap,
             const typename V::PublicShare& ps, const typename V::InputShare& is,
             typename V::EvalCache* c) {
  v.verify_init(b, b, std::size_t{0}, ap, b, ps, is, c);
};

/// A VDAF with the batch verification APIs of Prio3 (verify_init_batch,
/// verifier_shares_to_message_batch, verify_next_batch); PingPong's batch steps use them.
template <class V>
concept VdafWithBatchVerify = VdafAggregator<V> &&
    requires(const V& v, ByteSpan b, const typename V::AggParam& ap,
             std::span<const ByteSpan> nonces, std::span<const typename V::PublicShare> pss,
             std::span<const typename V::InputShare> iss,
             std::span<const std::span<const typename V::VerifierShare>> by_agg,
             std::vector<typename V::VerifyState>&& states,
             std::span<const typename V::VerifierMessage> msgs) {
  v.verify_init_batch(b, b, std::size_t{0}, ap, nonces, pss, iss);
  v.verifier_shares_to_message_batch(b, ap, by_agg);
  v.verify_next_batch(b, std::move(states), msgs);
};

/// A VDAF whose verification states and output shares can be stored (Prio3, Poplar1):
/// PingPong::encode_state / decode_state need it.
template <class V>
concept VdafWithStoredState = VdafAggregator<V> &&
    requires(const V& v, ByteSpan b, const typename V::VerifyState& st,
             const typename V::OutShare& os, const typename V::AggParam& ap) {
  { v.encode_verify_state(st) } -> std::convertible_to<SecretBytes>;
  { v.decode_verify_state(b) } -> std::same_as<typename V::VerifyState>;
  { v.encode_out_share(os) } -> std::convertible_to<Bytes>;
  { v.decode_out_share(ap, b) } -> std::same_as<typename V::OutShare>;
  { v.instance_digest() } -> std::convertible_to<const InstanceDigest&>;
  { v.id() } -> std::convertible_to<std::uint32_t>;
};

/// Ping-pong verification of one VDAF instance between the Leader (aggregator
/// 0) and the Helper (aggregator 1) (§5.7.1). Holds the VDAF by reference (it
/// must outlive this object; building a PingPong from a temporary VDAF does not
/// compile), the verification key (a secret; copied into wiping storage), the
/// application context and the aggregation parameter; one object serves any
/// number of reports and is safe to share between threads when the VDAF is.
///
/// Per report, the Leader calls `leader_initialized` and sends the outbound
/// message; the Helper answers with `helper_initialized`; then each side calls
/// `*_continued` on the peer's message until it reaches `Finished` or
/// `FinishedWithOutbound` (send the outbound message, then stop). A
/// `Rejected` state on either side means the report must not be aggregated.
/// Every step has a `_batch` form for an aggregation job (reports in, one state
/// per report out, the same states and encoded messages as the one-report
/// steps; one rejected report never affects another), and every state can be
/// stored between requests (`encode_state` / `decode_state`).
///
/// The caller checks the aggregation parameter with `is_valid` (§5.3) before
/// using it, and both aggregators must use the same public share (§9.3).
/// Constant-time as far as the VDAF's own operations are; the state machine
/// only branches on public data (message types, rounds, error outcomes).
template <VdafAggregator V>
class PingPong {
 public:
  using AggParam = typename V::AggParam;                ///< The VDAF's aggregation parameter.
  using PublicShare = typename V::PublicShare;          ///< The VDAF's public share (decoded).
  using InputShare = typename V::InputShare;            ///< The VDAF's input share (decoded).
  using OutShare = typename V::OutShare;                ///< The VDAF's output share.
  using VerifyState = typename V::VerifyState;          ///< The VDAF's verification state.
  using VerifierShare = typename V::VerifierShare;      ///< The VDAF's verifier share.
  using VerifierMessage = typename V::VerifierMessage;  ///< The VDAF's verifier message.
  /// `V::EvalCache` for a VDAF that has one (Poplar1), else a placeholder type.
  using EvalCache = typename detail::EvalCacheOf<V>::type;

  /// The VDAF's number of verification rounds (V::ROUNDS; Prio3: 1, Poplar1: 2).
  static constexpr std::size_t ROUNDS = V::ROUNDS;

  /// Appendix B `Continued`: waiting for the peer's next message. `outbound`
  /// is the encoded `PingPongMessage` to send; `verify_round` is the round of
  /// `verify_state` (0 <= verify_round < ROUNDS).
  struct Continued {
    VerifyState verify_state;      ///< This aggregator's verification state (secret).
    std::size_t verify_round = 0;  ///< Round of verify_state, 0 <= verify_round < ROUNDS.
    Bytes outbound;                ///< The encoded PingPongMessage to send to the peer.
  };
  /// Appendix B `Finished`: verification succeeded; nothing to send.
  struct Finished {
    OutShare out_share;  ///< This aggregator's output share of the report (secret).
  };
  /// Appendix B `FinishedWithOutbound`: verification succeeded; `outbound`
  /// (a `finish` message) must still reach the peer so it can finish too.
  struct FinishedWithOutbound {
    OutShare out_share;  ///< This aggregator's output share of the report (secret).
    Bytes outbound;      ///< The encoded `finish` PingPongMessage to send to the peer.
  };
  /// Appendix B `Rejected`: the report is rejected. `reason` says where and why for a person
  /// (the step, then the message of the error that caused it); `cause` says it for a program,
  /// and `failure` refines `RejectCause::verify_error` (else `VerifyFailure::unspecified`).
  struct Rejected {
    std::string reason;  ///< For a person: `ping-pong STEP: MESSAGE` (may be empty).
    RejectCause cause = RejectCause::protocol;  ///< For a program: the kind of failure.
    /// With cause verify_error: why the VDAF rejected the report; else unspecified.
    VerifyFailure failure = VerifyFailure::unspecified;
  };
  /// A party's state after a step (Appendix B; `Start` is implicit).
  using State = std::variant<Continued, Finished, FinishedWithOutbound, Rejected>;

  /// Binds a VDAF instance, the verify key, ctx and the aggregation parameter for the steps.
  /// When the VDAF's states can be stored, also computes the digest that encode_state and
  /// decode_state check (an aggregation parameter that cannot be encoded is not an error here;
  /// encode_state and decode_state then throw invalid_argument).
  /// @param vdaf  the VDAF instance (two aggregators); must outlive this object.
  /// @param verify_key  VERIFY_KEY_SIZE bytes, the task's secret shared by both aggregators.
  /// @param ctx  the application context (DAP: binds the task).
  /// @param agg_param  the aggregation parameter of this aggregation job.
  /// @throws invalid_argument if verify_key is not VERIFY_KEY_SIZE bytes or
  /// the VDAF is not configured for exactly two aggregators.
  PingPong(const V& vdaf, ByteSpan verify_key, CtxBytes ctx, AggParam agg_param)
      : vdaf_(vdaf),
        verify_key_(verify_key.begin(), verify_key.end()),
        ctx_(ctx.bytes().begin(), ctx.bytes().end()),
        agg_param_(std::move(agg_param)) {
    VDAF_ARG_CHECK(verify_key.size() == V::VERIFY_KEY_SIZE,
                   "PingPong: verify_key must be " + std::to_string(V::VERIFY_KEY_SIZE) +
                       " bytes, got " + std::to_string(verify_key.size()));
    if constexpr (requires { vdaf.shares(); }) {
      VDAF_ARG_CHECK(vdaf.shares() == 2,
                     "PingPong: the VDAF must have exactly 2 aggregators, has " +
                         std::to_string(vdaf.shares()));
    } else if constexpr (requires { V::SHARES; }) {
      static_assert(V::SHARES == 2, "PingPong: the VDAF must have exactly 2 aggregators");
    }
    if constexpr (VdafWithStoredState<V>) {
      try {
        const Bytes ap = vdaf.encode_agg_param(agg_param_);
        state_digest_ = InstanceDigestBuilder("PingPong")
                            .bytes(vdaf.instance_digest())
                            .bytes(ctx_)
                            .bytes(ap)
                            .finish();
      } catch (const error&) {
        state_digest_.reset();  // an unencodable agg_param: every step rejects anyway
      }
    }
  }
  /// Deleted: PingPong keeps a reference to the VDAF, which a temporary would not outlive.
  /// Name the VDAF object first (`const vdaf::Prio3Count vdaf(2); PingPong pp(vdaf, ...);`).
  PingPong(const V&& vdaf, ByteSpan verify_key, CtxBytes ctx, AggParam agg_param) = delete;

  /// The VDAF instance given to the constructor.
  /// @return a reference to it. noexcept.
  const V& vdaf() const noexcept { return vdaf_; }
  /// The application context given to the constructor.
  /// @return a view of this object's copy (valid while this object lives). noexcept.
  ByteSpan ctx() const noexcept { return ctx_; }
  /// The aggregation parameter given to the constructor.
  /// @return a reference to this object's copy. noexcept.
  const AggParam& agg_param() const noexcept { return agg_param_; }

  // --- steps (§5.7.1) ------------------------------------------------------

  /// §5.7.1 ping_pong_leader_init: `verify_init` as aggregator 0; returns
  /// `Continued(state, 0, initialize(encoded verifier share))`, or `Rejected`
  /// on any error (e.g. nonce not NONCE_SIZE bytes). Never throws.
  /// Constant-time as far as the VDAF's operations are (see the class).
  /// @param nonce  the report's nonce, NONCE_SIZE bytes (another length gives `Rejected`).
  /// @param public_share  the report's public share.
  /// @param input_share  the Leader's input share of the report.
  /// @return `Continued` (send its `outbound` to the Helper) or `Rejected`.
  State leader_initialized(ByteSpan nonce, const PublicShare& public_share,
                           const InputShare& input_share) const noexcept {
    return leader_init(nonce, public_share, input_share, nullptr);
  }
  /// leader_initialized with the report's evaluation cache (Poplar1: the IDPF nodes of the
  /// previous level), which verify_init fills and reuses. A cache bound to another report or
  /// aggregator gives `Rejected` (cause invalid_argument) and stays unchanged. Never throws.
  /// @param nonce  the report's nonce, NONCE_SIZE bytes (another length gives `Rejected`).
  /// @param public_share  the report's public share.
  /// @param input_share  the Leader's input share of the report.
  /// @param cache  the report's evaluation cache (the Leader's own; empty for a new report).
  /// @return `Continued` (send its `outbound` to the Helper) or `Rejected`.
  State leader_initialized(ByteSpan nonce, const PublicShare& public_share,
                           const InputShare& input_share,
                           EvalCache& cache) const noexcept requires VdafWithEvalCache<V> {
    return leader_init(nonce, public_share, input_share, &cache);
  }

  /// `leader_initialized` on the encoded public share and Leader input share
  /// (§5.7.1 takes them as bytes); a decoding failure gives `Rejected`. Never throws.
  /// @param nonce  the report's nonce, NONCE_SIZE bytes (another length gives `Rejected`).
  /// @param public_share  the encoded public share (untrusted bytes).
  /// @param input_share  the encoded Leader input share (untrusted bytes).
  /// @return `Continued` (send its `outbound` to the Helper) or `Rejected` (a decoding failure
  ///         has cause decode_error).
  State leader_initialized_encoded(ByteSpan nonce, ByteSpan public_share,
                                   ByteSpan input_share) const noexcept {
    return guarded("leader_initialized", [&] {
      return leader_initialized(nonce, vdaf_.decode_public_share(public_share),
                                vdaf_.decode_input_share(0, input_share));
    });
  }

  /// §5.7.1 ping_pong_helper_init, on the Leader's first message `inbound`:
  /// `verify_init` as aggregator 1; `inbound` must be an `initialize` message;
  /// the verifier shares [Leader's (decoded with the Helper's state), own] are
  /// combined and the state advanced (see `transition`). Returns `Continued`
  /// (multi-round VDAFs), `FinishedWithOutbound` (last round; send `finish`)
  /// or `Rejected`. Never throws.
  /// Constant-time as far as the VDAF's operations are (see the class).
  /// @param nonce  the report's nonce, NONCE_SIZE bytes (another length gives `Rejected`).
  /// @param public_share  the report's public share (the same as the Leader's, §9.3).
  /// @param input_share  the Helper's input share of the report.
  /// @param inbound  the Leader's encoded `initialize` PingPongMessage (untrusted bytes).
  /// @return `Continued`, `FinishedWithOutbound` (send its `outbound` in either case) or
  ///         `Rejected`.
  State helper_initialized(ByteSpan nonce, const PublicShare& public_share,
                           const InputShare& input_share, ByteSpan inbound) const noexcept {
    return helper_init(nonce, public_share, input_share, inbound, nullptr);
  }
  /// helper_initialized with the report's evaluation cache (see leader_initialized). Never
  /// throws.
  /// @param nonce  the report's nonce, NONCE_SIZE bytes (another length gives `Rejected`).
  /// @param public_share  the report's public share (the same as the Leader's, §9.3).
  /// @param input_share  the Helper's input share of the report.
  /// @param inbound  the Leader's encoded `initialize` PingPongMessage (untrusted bytes).
  /// @param cache  the report's evaluation cache (the Helper's own; empty for a new report).
  /// @return `Continued`, `FinishedWithOutbound` (send its `outbound` in either case) or
  ///         `Rejected`.
  State helper_initialized(ByteSpan nonce, const PublicShare& public_share,
                           const InputShare& input_share, ByteSpan inbound,
                           EvalCache& cache) const noexcept requires VdafWithEvalCache<V> {
    return helper_init(nonce, public_share, input_share, inbound, &cache);
  }

  /// `helper_initialized` on the encoded public share and Helper input share;
  /// a decoding failure gives `Rejected`. Never throws.
  /// @param nonce  the report's nonce, NONCE_SIZE bytes (another length gives `Rejected`).
  /// @param public_share  the encoded public share (untrusted bytes).
  /// @param input_share  the encoded Helper input share (untrusted bytes).
  /// @param inbound  the Leader's encoded `initialize` PingPongMessage (untrusted bytes).
  /// @return `Continued`, `FinishedWithOutbound` (send its `outbound` in either case) or
  ///         `Rejected` (a decoding failure has cause decode_error).
  State helper_initialized_encoded(ByteSpan nonce, ByteSpan public_share, ByteSpan input_share,
                                   ByteSpan inbound) const noexcept {
    return guarded("helper_initialized", [&] {
      return helper_initialized(nonce, vdaf_.decode_public_share(public_share),
                                vdaf_.decode_input_share(1, input_share), inbound);
    });
  }

  /// §5.7.1 ping_pong_leader_continued: the Leader's step on the Helper's
  /// message `inbound` (see `continued`). `state` is not modified. Never throws.
  /// Constant-time as far as the VDAF's operations are (see the class).
  /// @param state  the Leader's current state (a `Continued` from leader_initialized or an
  ///               earlier leader_continued; a `Rejected` state is returned unchanged).
  /// @param inbound  the Helper's encoded PingPongMessage (untrusted bytes).
  /// @return `Continued` or `FinishedWithOutbound` (send its `outbound`), `Finished` (done,
  ///         nothing to send) or `Rejected`.
  State leader_continued(const State& state, ByteSpan inbound) const noexcept {
    return guarded("leader_continued", [&] { return continued(true, state, inbound); });
  }

  /// §5.7.1 ping_pong_helper_continued: the Helper's step on the Leader's
  /// message `inbound` (see `continued`). `state` is not modified. Never throws.
  /// Constant-time as far as the VDAF's operations are (see the class).
  /// @param state  the Helper's current state (a `Continued` from helper_initialized or an
  ///               earlier helper_continued; a `Rejected` state is returned unchanged).
  /// @param inbound  the Leader's encoded PingPongMessage (untrusted bytes).
  /// @return `Continued` or `FinishedWithOutbound` (send its `outbound`), `Finished` (done,
  ///         nothing to send) or `Rejected`.
  State helper_continued(const State& state, ByteSpan inbound) const noexcept {
    return guarded("helper_continued", [&] { return continued(false, state, inbound); });
  }

  // --- batches (an aggregation job) -------------------------------------------

  /// leader_initialized for a batch of reports: report i is (nonces[i], public_shares[i],
  /// input_shares[i]); state i is what leader_initialized returns for it (equal, with the same
  /// encoded outbound message). Uses the VDAF's verify_init_batch where it has one (Prio3: the
  /// XOF streams of several reports run together on the multi-lane Keccak).
  /// Constant-time as far as the VDAF's operations are (see the class).
  /// @param nonces  nonces[i] is report i's nonce, NONCE_SIZE bytes (else report i is
  ///                `Rejected`).
  /// @param public_shares  public_shares[i] is report i's public share.
  /// @param input_shares  input_shares[i] is the Leader's input share of report i.
  /// @return one state per report, in order.
  /// @throws invalid_argument (for the whole batch, nothing computed) if the spans differ in
  /// length; std::bad_alloc if the result vector cannot be allocated. Per-report failures,
  /// including memory exhaustion, are `Rejected` states.
  std::vector<State> leader_initialized_batch(std::span<const ByteSpan> nonces,
                                              std::span<const PublicShare> public_shares,
                                              std::span<const InputShare> input_shares) const {
    return leader_init_batch(nonces, public_shares, input_shares, {});
  }
  /// leader_initialized_batch with one evaluation cache per report (caches[i] for report i;
  /// null for none), as leader_initialized(..., cache).
  /// @param nonces  nonces[i] is report i's nonce, NONCE_SIZE bytes (else report i is
  ///                `Rejected`).
  /// @param public_shares  public_shares[i] is report i's public share.
  /// @param input_shares  input_shares[i] is the Leader's input share of report i.
  /// @param caches  caches[i] is report i's evaluation cache, or null for none.
  /// @return one state per report, in order.
  /// @throws invalid_argument (whole batch) if the four spans differ in length; std::bad_alloc
  /// if the result vector cannot be allocated. Per-report failures are `Rejected` states.
  std::vector<State> leader_initialized_batch(
      std::span<const ByteSpan> nonces, std::span<const PublicShare> public_shares,
      std::span<const InputShare> input_shares,
      std::span<EvalCache* const> caches) const requires VdafWithEvalCache<V> {
    VDAF_ARG_CHECK(caches.size() == nonces.size(),
                   "PingPong leader_initialized_batch: one cache pointer per report expected");
    return leader_init_batch(nonces, public_shares, input_shares, caches);
  }
  /// leader_initialized_encoded for a batch: public and input shares as bytes; a report whose
  /// shares do not decode is `Rejected` (cause decode_error) as in the one-report step.
  /// @param nonces  nonces[i] is report i's nonce, NONCE_SIZE bytes (else report i is
  ///                `Rejected`).
  /// @param public_shares  public_shares[i] is report i's encoded public share (untrusted).
  /// @param input_shares  input_shares[i] is report i's encoded Leader input share (untrusted).
  /// @return one state per report, in order.
  /// @throws invalid_argument (whole batch) if the spans differ in length; std::bad_alloc for
  /// the batch's own vectors. Per-report failures are `Rejected` states.
  std::vector<State> leader_initialized_encoded_batch(
      std::span<const ByteSpan> nonces, std::span<const ByteSpan> public_shares,
      std::span<const ByteSpan> input_shares) const {
    return encoded_batch(
        0, "leader_initialized", nonces, public_shares, input_shares,
        [&](std::span<const ByteSpan> n, std::span<const PublicShare> p,
            std::span<const InputShare> s) { return leader_initialized_batch(n, p, s); });
  }

  /// helper_initialized for a batch of reports: report i is (nonces[i], public_shares[i],
  /// input_shares[i]) with the Leader's message inbound[i]; state i equals what
  /// helper_initialized returns for it. Uses the VDAF's batch APIs where it has them (Prio3:
  /// verify_init_batch, verifier_shares_to_message_batch, verify_next_batch).
  /// Constant-time as far as the VDAF's operations are (see the class).
  /// @param nonces  nonces[i] is report i's nonce, NONCE_SIZE bytes (else report i is
  ///                `Rejected`).
  /// @param public_shares  public_shares[i] is report i's public share.
  /// @param input_shares  input_shares[i] is the Helper's input share of report i.
  /// @param inbound  inbound[i] is the Leader's encoded `initialize` message for report i.
  /// @return one state per report, in order.
  /// @throws invalid_argument (whole batch, nothing computed) if the spans differ in length;
  /// std::bad_alloc for the batch's own vectors. Per-report failures are `Rejected` states.
  std::vector<State> helper_initialized_batch(std::span<const ByteSpan> nonces,
                                              std::span<const PublicShare> public_shares,
                                              std::span<const InputShare> input_shares,
                                              std::span<const ByteSpan> inbound) const {
    return helper_init_batch(nonces, public_shares, input_shares, inbound, {});
  }
  /// helper_initialized_batch with one evaluation cache per report (null for none), as
  /// helper_initialized(..., cache).
  /// @param nonces  nonces[i] is report i's nonce, NONCE_SIZE bytes (else report i is
  ///                `Rejected`).
  /// @param public_shares  public_shares[i] is report i's public share.
  /// @param input_shares  input_shares[i] is the Helper's input share of report i.
  /// @param inbound  inbound[i] is the Leader's encoded `initialize` message for report i.
  /// @param caches  caches[i] is report i's evaluation cache, or null for none.
  /// @return one state per report, in order.
  /// @throws invalid_argument (whole batch) if the five spans differ in length; std::bad_alloc
  /// for the batch's own vectors. Per-report failures are `Rejected` states.
  std::vector<State> helper_initialized_batch(
      std::span<const ByteSpan> nonces, std::span<const PublicShare> public_shares,
      std::span<const InputShare> input_shares, std::span<const ByteSpan> inbound,
      std::span<EvalCache* const> caches) const requires VdafWithEvalCache<V> {
    VDAF_ARG_CHECK(caches.size() == nonces.size(),
                   "PingPong helper_initialized_batch: one cache pointer per report expected");
    return helper_init_batch(nonces, public_shares, input_shares, inbound, caches);
  }
  /// helper_initialized_encoded for a batch (shares as bytes; undecodable ones `Rejected`,
  /// cause decode_error).
  /// @param nonces  nonces[i] is report i's nonce, NONCE_SIZE bytes (else report i is
  ///                `Rejected`).
  /// @param public_shares  public_shares[i] is report i's encoded public share (untrusted).
  /// @param input_shares  input_shares[i] is report i's encoded Helper input share (untrusted).
  /// @param inbound  inbound[i] is the Leader's encoded `initialize` message for report i.
  /// @return one state per report, in order.
  /// @throws invalid_argument (whole batch) if the spans differ in length; std::bad_alloc for
  /// the batch's own vectors. Per-report failures are `Rejected` states.
  std::vector<State> helper_initialized_encoded_batch(std::span<const ByteSpan> nonces,
                                                      std::span<const ByteSpan> public_shares,
                                                      std::span<const ByteSpan> input_shares,
                                                      std::span<const ByteSpan> inbound) const {
    VDAF_ARG_CHECK(inbound.size() == nonces.size(),
                   "PingPong helper_initialized_encoded_batch: spans differ in length");
    return encoded_batch(1, "helper_initialized", nonces, public_shares, input_shares,
                         [&](std::span<const ByteSpan> n, std::span<const PublicShare> p,
                             std::span<const InputShare> s, std::span<const std::size_t> idx) {
                           std::vector<ByteSpan> in(idx.size());
                           for (std::size_t k = 0; k < idx.size(); ++k) in[k] = inbound[idx[k]];
                           return helper_initialized_batch(n, p, s, in);
                         });
  }

  /// leader_continued for a batch: state i advanced on the Helper's message inbound[i]
  /// (states are not modified). Equal to leader_continued report by report.
  /// Constant-time as far as the VDAF's operations are (see the class).
  /// @param states  states[i] is the Leader's current state of report i.
  /// @param inbound  inbound[i] is the Helper's encoded message for report i.
  /// @return one new state per report, in order.
  /// @throws invalid_argument (whole batch) if the spans differ in length; std::bad_alloc.
  std::vector<State> leader_continued_batch(std::span<const State> states,
                                            std::span<const ByteSpan> inbound) const {
    return continued_batch(true, states, inbound);
  }
  /// As above, but consumes the states: where the batch path runs (one-round VDAFs with batch
  /// verification, e.g. Prio3) each verification state is moved into the VDAF's call instead
  /// of copied; otherwise the same as the span form.
  /// @param states  states[i] is the Leader's current state of report i (may be moved from;
  ///                do not use them afterwards).
  /// @param inbound  inbound[i] is the Helper's encoded message for report i.
  /// @return one new state per report, in order.
  /// @throws invalid_argument (whole batch) if the sizes differ; std::bad_alloc.
  std::vector<State> leader_continued_batch(std::vector<State>&& states,
                                            std::span<const ByteSpan> inbound) const {
    return continued_batch(true, std::move(states), inbound);
  }
  /// helper_continued for a batch (see leader_continued_batch): state i advanced on the
  /// Leader's message inbound[i] (states are not modified).
  /// @param states  states[i] is the Helper's current state of report i.
  /// @param inbound  inbound[i] is the Leader's encoded message for report i.
  /// @return one new state per report, in order.
  /// @throws invalid_argument (whole batch) if the spans differ in length; std::bad_alloc.
  std::vector<State> helper_continued_batch(std::span<const State> states,
                                            std::span<const ByteSpan> inbound) const {
    return continued_batch(false, states, inbound);
  }
  /// As above, but consumes the states (verification states moved, not copied, where the
  /// batch path runs; see leader_continued_batch).
  /// @param states  states[i] is the Helper's current state of report i (may be moved from;
  ///                do not use them afterwards).
  /// @param inbound  inbound[i] is the Leader's encoded message for report i.
  /// @return one new state per report, in order.
  /// @throws invalid_argument (whole batch) if the sizes differ; std::bad_alloc.
  std::vector<State> helper_continued_batch(std::vector<State>&& states,
                                            std::span<const ByteSpan> inbound) const {
    return continued_batch(false, std::move(states), inbound);
  }

  // --- stored states (vdaf-cpp's own format, core/stored.hpp) ------------------

  /// Encodes a state so an aggregator can keep it between requests (a database row, a file),
  /// to be restored with decode_state by a PingPong with the same VDAF parameters, ctx and
  /// aggregation parameter (another process, later). Layout: the 14-byte stored header (kind
  /// ping_pong_state, the VDAF's ID, a digest of the VDAF's parameters, ctx and the encoded
  /// aggregation parameter) ‖ u8 tag, then by tag:
  /// - 0 Continued: u8 verify_round ‖ opaque32 encode_verify_state(verify_state) ‖
  ///   opaque32 outbound;
  /// - 1 Finished: opaque32 encode_out_share(out_share);
  /// - 2 FinishedWithOutbound: opaque32 encode_out_share(out_share) ‖ opaque32 outbound;
  /// - 3 Rejected: u8 cause ‖ u8 failure ‖ opaque32 reason (UTF-8);
  /// (opaque32: be32 length, then the bytes). libprio-rs stores a "transition" (the previous
  /// state and the round's verifier message) instead of a Continued state, to save space; for
  /// Prio3 and Poplar1 the Continued state is no larger, and storing it means the outbound
  /// message can be resent without recomputation (a retried HTTP request).
  /// @param state  any state this instance produced (or decode_state restored).
  /// @return the encoding, in wiping memory (states hold output shares).
  /// @throws invalid_argument if a state is not valid for this instance, or the aggregation
  /// parameter cannot be encoded. Constant-time in the secrets as the VDAF's encoders are.
  SecretBytes encode_state(const State& state) const requires VdafWithStoredState<V> {
    VDAF_ARG_CHECK(state_digest_.has_value(),
                   "PingPong encode_state: the aggregation parameter cannot be encoded");
    StoredWriter w(StoredKind::ping_pong_state, vdaf_.id(), *state_digest_);
    if (const auto* c = std::get_if<Continued>(&state)) {
      VDAF_ARG_CHECK(c->verify_round < ROUNDS, "PingPong encode_state: verify_round >= ROUNDS");
      w.u8(0);
      w.u8(static_cast<std::uint8_t>(c->verify_round));
      w.opaque32(vdaf_.encode_verify_state(c->verify_state));
      w.opaque32(c->outbound);
    } else if (const auto* f = std::get_if<Finished>(&state)) {
      w.u8(1);
      w.opaque32(secret_encoding(f->out_share));
    } else if (const auto* fo = std::get_if<FinishedWithOutbound>(&state)) {
      w.u8(2);
      w.opaque32(secret_encoding(fo->out_share));
      w.opaque32(fo->outbound);
    } else {
      const Rejected& r = std::get<Rejected>(state);
      w.u8(3);
      w.u8(static_cast<std::uint8_t>(r.cause));
      w.u8(static_cast<std::uint8_t>(r.failure));
      w.opaque32(ByteSpan(reinterpret_cast<const std::uint8_t*>(r.reason.data()), r.reason.size()));
    }
    return std::move(w).take();
  }

  /// Decodes what encode_state made, with a PingPong of the same VDAF parameters, ctx and
  /// aggregation parameter. Checks the header, the tag, verify_round < ROUNDS, the nested
  /// verification state and output share (the VDAF's stored decoders), that the verification
  /// state fits its round and the aggregation parameter (the VDAF's check_verify_state, where it
  /// has one), that an outbound message is a well-formed PingPongMessage, and that nothing
  /// trails. Not constant-time in the lengths and tags it checks (public); the nested secrets
  /// are decoded by the VDAF's stored decoders.
  /// @param bytes  an encoding made by encode_state (untrusted: checked in full).
  /// @return the state, ready for the next step.
  /// @throws decode_error (saying what) on hostile or mismatched bytes: another format, kind,
  /// VDAF, parameters, ctx or aggregation parameter, a bad tag, round, cause or failure code,
  /// or a malformed nested encoding; invalid_argument if the aggregation parameter cannot be
  /// encoded.
  State decode_state(ByteSpan bytes) const requires VdafWithStoredState<V> {
    VDAF_ARG_CHECK(state_digest_.has_value(),
                   "PingPong decode_state: the aggregation parameter cannot be encoded");
    Reader r(bytes, "PingPong stored state");
    read_stored_header(r, StoredKind::ping_pong_state, vdaf_.id(), *state_digest_,
                       "PingPong stored state", "VDAF parameters, ctx or aggregation parameter");
    const std::uint8_t tag = r.u8();
    State out;
    switch (tag) {
      case 0: {
        const std::uint8_t round = r.u8();
        if (round >= ROUNDS) {
          VDAF_THROW(decode_error, "PingPong stored state: verify_round " + std::to_string(round) +
                                       " >= ROUNDS " + std::to_string(ROUNDS));
        }
        VerifyState st = vdaf_.decode_verify_state(read_opaque32(r));
        if constexpr (requires { vdaf_.check_verify_state(agg_param_, st, std::size_t{0}); }) {
          try {
            vdaf_.check_verify_state(agg_param_, st, round);
          } catch (const invalid_argument& e) {
            VDAF_THROW(decode_error, std::string("PingPong stored state: ") + e.what());
          }
        }
        out = Continued{std::move(st), round, checked_outbound(r)};
        break;
      }
      case 1:
        out = Finished{vdaf_.decode_out_share(agg_param_, read_opaque32(r))};
        break;
      case 2: {
        OutShare os = vdaf_.decode_out_share(agg_param_, read_opaque32(r));
        out = FinishedWithOutbound{std::move(os), checked_outbound(r)};
        break;
      }
      case 3: {
        const std::uint8_t cause = r.u8(), failure = r.u8();
        if (cause < 1 || cause > 6) {
          VDAF_THROW(decode_error,
                     "PingPong stored state: unknown reject cause " + std::to_string(cause));
        }
        if (failure > 5) {
          VDAF_THROW(decode_error,
                     "PingPong stored state: unknown verify failure " + std::to_string(failure));
        }
        const ByteSpan reason = read_opaque32(r);
        out = Rejected{std::string(reason.begin(), reason.end()), static_cast<RejectCause>(cause),
                       static_cast<VerifyFailure>(failure)};
        break;
      }
      default:
        VDAF_THROW(decode_error, "PingPong stored state: unknown state tag " + std::to_string(tag));
    }
    r.finish();
    return out;
  }

  // --- state inspection ------------------------------------------------------

  /// The encoded message to send to the peer (`Continued`,
  /// `FinishedWithOutbound`), or nullptr (`Finished`, `Rejected`).
  /// @param s  a state.
  /// @return a pointer into `s` (valid while `s` lives and holds the same alternative), or
  ///         nullptr. noexcept.
  static const Bytes* outbound(const State& s) noexcept {
    if (const auto* c = std::get_if<Continued>(&s)) return &c->outbound;
    if (const auto* f = std::get_if<FinishedWithOutbound>(&s)) return &f->outbound;
    return nullptr;
  }
  /// The output share if verification succeeded (`Finished`,
  /// `FinishedWithOutbound`), else nullptr.
  /// @param s  a state.
  /// @return a pointer into `s` (valid while `s` lives and holds the same alternative), or
  ///         nullptr. noexcept.
  static const OutShare* out_share(const State& s) noexcept {
    if (const auto* f = std::get_if<Finished>(&s)) return &f->out_share;
    if (const auto* f = std::get_if<FinishedWithOutbound>(&s)) return &f->out_share;
    return nullptr;
  }
  /// Whether verification of the report succeeded.
  /// @param s  a state.
  /// @return true for `Finished` and `FinishedWithOutbound`. noexcept.
  static bool is_finished(const State& s) noexcept { return out_share(s) != nullptr; }
  /// Whether the report was rejected (it must not be aggregated).
  /// @param s  a state.
  /// @return true for `Rejected`. noexcept.
  static bool is_rejected(const State& s) noexcept { return std::holds_alternative<Rejected>(s); }

 private:
  // --- one report -------------------------------------------------------------

  /// Runs `f` (returning a State); any exception becomes a `Rejected` naming `step`.
  template <class Fn>
  static State guarded(const char* step, Fn&& f) noexcept {
    try {
      return f();
    } catch (...) {
      return reject_current(step);
    }
  }

  /// Inside a catch block: the `Rejected` state for the exception being handled, its cause
  /// from its type (the "Lippincott" pattern). Never throws (a failing string allocation leaves
  /// the reason empty).
  static Rejected reject_current(const char* step) noexcept {
    Rejected r;
    try {
      try {
        throw;
      } catch (const verify_error& e) {
        r.cause = RejectCause::verify_error;
        r.failure = e.reason();
        r.reason = std::string("ping-pong ") + step + ": " + e.what();
      } catch (const decode_error& e) {
        r.cause = RejectCause::decode_error;
        r.reason = std::string("ping-pong ") + step + ": " + e.what();
      } catch (const invalid_argument& e) {
        r.cause = RejectCause::invalid_argument;
        r.reason = std::string("ping-pong ") + step + ": " + e.what();
      } catch (const std::bad_alloc&) {
        r.cause = RejectCause::out_of_memory;
        r.reason = std::string("ping-pong ") + step + ": out of memory";
      } catch (const std::exception& e) {
        r.cause = RejectCause::internal_error;
        r.reason = std::string("ping-pong ") + step + ": " + e.what();
      } catch (...) {
        r.cause = RejectCause::internal_error;
        r.reason = std::string("ping-pong ") + step + ": unknown exception";
      }
    } catch (...) {
      // The reason string could not be built (memory): keep the cause.
    }
    return r;
  }
  static Rejected reject_of(const char* step, const std::exception_ptr& e) noexcept {
    try {
      std::rethrow_exception(e);
    } catch (...) {
      return reject_current(step);
    }
  }
  static Rejected protocol_reject(const char* step, const std::string& what) {
    return Rejected{std::string("ping-pong ") + step + ": " + what, RejectCause::protocol,
                    VerifyFailure::unspecified};
  }

  std::pair<VerifyState, VerifierShare> init(std::size_t agg_id, ByteSpan nonce,
                                             const PublicShare& ps, const InputShare& is,
                                             EvalCache* cache) const {
    if constexpr (VdafWithEvalCache<V>) {
      return vdaf_.verify_init(verify_key_, ctx_, agg_id, agg_param_, nonce, ps, is, cache);
    } else {
      (void)cache;
      return vdaf_.verify_init(verify_key_, ctx_, agg_id, agg_param_, nonce, ps, is);
    }
  }

  State leader_init(ByteSpan nonce, const PublicShare& ps, const InputShare& is,
                    EvalCache* cache) const noexcept {
    return guarded("leader_initialized", [&]() -> State {
      auto [state, share] = init(0, nonce, ps, is, cache);
      return leader_continued_state(std::move(state), share);
    });
  }
  /// Continued(state, 0, initialize(encoded share)).
  State leader_continued_state(VerifyState&& state, const VerifierShare& share) const {
    Bytes out = PingPongMessage::initialize(vdaf_.encode_verifier_share(share)).encode();
    return Continued{std::move(state), 0, std::move(out)};
  }

  State helper_init(ByteSpan nonce, const PublicShare& ps, const InputShare& is, ByteSpan inbound,
                    EvalCache* cache) const noexcept {
    return guarded("helper_initialized", [&]() -> State {
      auto [state, share] = init(1, nonce, ps, is, cache);
      VerifierShare leader_share;
      if (auto rej = decode_initialize(state, inbound, leader_share)) return *rej;
      const std::array<VerifierShare, 2> shares = {std::move(leader_share), std::move(share)};
      return transition(shares, state, 0);
    });
  }
  /// Decodes the Leader's `initialize` message and its verifier share (with the Helper's
  /// state). Returns a Rejected state for another message type; throws on malformed bytes.
  std::optional<Rejected> decode_initialize(const VerifyState& state, ByteSpan inbound,
                                            VerifierShare& leader_share) const {
    const PingPongMessage in = PingPongMessage::decode(inbound);
    if (in.type != PingPongMessage::Type::initialize) {
      return protocol_reject("helper_initialized",
                             "expected an initialize message, got " + type_name(in.type));
    }
    leader_share = vdaf_.decode_verifier_share(state, in.verifier_share);
    return std::nullopt;
  }

  /// The checks of ping_pong_continued before the VDAF runs: `state` must be a `Continued` of
  /// this role and `inbound` a continue/finish message fitting its round. On success sets
  /// `cont` and `msg` and returns nullopt; else the state to return (a Rejected state is
  /// returned unchanged). Throws on malformed bytes.
  std::optional<State> continued_checks(bool is_leader, const State& state, ByteSpan inbound,
                                        const Continued*& cont, PingPongMessage& msg) const {
    const char* step = is_leader ? "leader_continued" : "helper_continued";
    if (const auto* rej = std::get_if<Rejected>(&state)) return State(*rej);
    cont = std::get_if<Continued>(&state);
    if (cont == nullptr) {
      return State(protocol_reject(step, "state is not Continued (already finished)"));
    }
    if constexpr (requires { cont->verify_state.agg_id; }) {
      const std::size_t want = is_leader ? 0 : 1;
      if (cont->verify_state.agg_id != want) {
        return State(protocol_reject(
            step, std::string("the state belongs to the ") + (is_leader ? "Helper" : "Leader") +
                      " (verify_state.agg_id " + std::to_string(cont->verify_state.agg_id) + ")"));
      }
    }
    if (cont->verify_round >= ROUNDS) {
      return State(protocol_reject(step, "state's verify_round >= ROUNDS"));
    }
    // The VDAF's own check that the state fits its round and this aggregation parameter
    // (invalid_argument otherwise: a state of another round or job).
    if constexpr (requires {
                    vdaf_.check_verify_state(agg_param_, cont->verify_state, std::size_t{0});
                  }) {
      vdaf_.check_verify_state(agg_param_, cont->verify_state, cont->verify_round);
    }
    msg = PingPongMessage::decode(inbound);
    const std::size_t round = cont->verify_round;
    const bool ok = (msg.type == PingPongMessage::Type::continue_ && round + 1 < ROUNDS) ||
                    (msg.type == PingPongMessage::Type::finish && round + 1 == ROUNDS);
    if (msg.type == PingPongMessage::Type::initialize) {
      return State(protocol_reject(step, "unexpected initialize message"));
    }
    if (!ok) {
      return State(protocol_reject(step, "unexpected " + type_name(msg.type) +
                                             " message in round " + std::to_string(round) + " of " +
                                             std::to_string(ROUNDS)));
    }
    return std::nullopt;
  }

  /// §5.7.1 ping_pong_continued. Requires `state` to be `Continued` of this role (a
  /// `Rejected` state is returned unchanged; `Finished` or `FinishedWithOutbound` give
  /// `Rejected`). An `initialize` message, or a message type that does not fit the round,
  /// gives `Rejected`. Otherwise the verifier message is decoded with the current state and
  /// `verify_next` run; then:
  /// - round + 1 < ROUNDS and `continue`: the peer's verifier share is decoded
  ///   with the new state, the shares ordered by aggregator id ([own, peer] for
  ///   the Leader, [peer, own] for the Helper) and `transition` run for round + 1;
  /// - round + 1 == ROUNDS and `finish`: `Finished(out_share)`.
  /// Throws on errors (the callers turn them into Rejected).
  State continued(bool is_leader, const State& state, ByteSpan inbound) const {
    const Continued* cont = nullptr;
    PingPongMessage in;
    if (auto early = continued_checks(is_leader, state, inbound, cont, in)) return *early;
    const std::size_t round = cont->verify_round;
    const VerifierMessage msg =
        vdaf_.decode_verifier_message(cont->verify_state, in.verifier_message);
    auto out = vdaf_.verify_next(ctx_, cont->verify_state, msg);
    if (round + 1 < ROUNDS) {
      auto* next = std::get_if<0>(&out);
      if (next == nullptr) {
        VDAF_THROW(internal_error,
                   "verify_next returned an output share before round " + std::to_string(ROUNDS));
      }
      VerifyState& new_state = next->first;
      VerifierShare peer = vdaf_.decode_verifier_share(new_state, in.verifier_share);
      std::array<VerifierShare, 2> shares =
          is_leader ? std::array<VerifierShare, 2>{std::move(next->second), std::move(peer)}
                    : std::array<VerifierShare, 2>{std::move(peer), std::move(next->second)};
      return transition(shares, new_state, round + 1);
    }
    return Finished{take_out_share(std::move(out))};
  }

  /// §5.7.1 ping_pong_transition: combines the verifier shares (aggregator
  /// order) into the round's message and runs `verify_next`. If round + 1 ==
  /// ROUNDS: `FinishedWithOutbound(out_share, finish(message))`; else
  /// `Continued(new state, round + 1, continue(message, new verifier share))`.
  /// @throws vdaf::error from the VDAF (callers turn it into Rejected).
  State transition(std::span<const VerifierShare> shares, const VerifyState& state,
                   std::size_t round) const {
    const VerifierMessage msg = vdaf_.verifier_shares_to_message(ctx_, agg_param_, shares);
    Bytes encoded_msg = vdaf_.encode_verifier_message(msg);
    auto out = vdaf_.verify_next(ctx_, state, msg);
    if (round + 1 == ROUNDS) {
      return FinishedWithOutbound{take_out_share(std::move(out)),
                                  PingPongMessage::finish(std::move(encoded_msg)).encode()};
    }
    auto* next = std::get_if<0>(&out);
    if (next == nullptr) {
      VDAF_THROW(internal_error,
                 "verify_next returned an output share before round " + std::to_string(ROUNDS));
    }
    Bytes out_msg = PingPongMessage::continue_(std::move(encoded_msg),
                                               vdaf_.encode_verifier_share(next->second))
                        .encode();
    return Continued{std::move(next->first), round + 1, std::move(out_msg)};
  }

  // --- batches ------------------------------------------------------------------

  static void check_batch(std::size_t n, std::size_t m, const char* what) {
    VDAF_ARG_CHECK(n == m, std::string("PingPong ") + what + ": spans differ in length (" +
                               std::to_string(n) + " and " + std::to_string(m) + ")");
  }

  std::vector<State> leader_init_batch(std::span<const ByteSpan> nonces,
                                       std::span<const PublicShare> pss,
                                       std::span<const InputShare> iss,
                                       std::span<EvalCache* const> caches) const {
    check_batch(nonces.size(), pss.size(), "leader_initialized_batch");
    check_batch(nonces.size(), iss.size(), "leader_initialized_batch");
    const std::size_t n = nonces.size();
    std::vector<State> out(n);
    if constexpr (VdafWithBatchVerify<V>) {
      if (caches.empty()) {
        auto res = batch_or_reject("leader_initialized", n, out, [&] {
          return vdaf_.verify_init_batch(verify_key_, ctx_, 0, agg_param_, nonces, pss, iss);
        });
        for (std::size_t i = 0; i < res.size(); ++i) {
          if (res[i].error) {
            out[i] = reject_of("leader_initialized", res[i].error);
            continue;
          }
          out[i] = guarded("leader_initialized", [&] {
            return leader_continued_state(std::move(res[i].result->first), res[i].result->second);
          });
        }
        return out;
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      out[i] = leader_init(nonces[i], pss[i], iss[i], caches.empty() ? nullptr : caches[i]);
    }
    return out;
  }

  std::vector<State> helper_init_batch(std::span<const ByteSpan> nonces,
                                       std::span<const PublicShare> pss,
                                       std::span<const InputShare> iss,
                                       std::span<const ByteSpan> inbound,
                                       std::span<EvalCache* const> caches) const {
    check_batch(nonces.size(), pss.size(), "helper_initialized_batch");
    check_batch(nonces.size(), iss.size(), "helper_initialized_batch");
    check_batch(nonces.size(), inbound.size(), "helper_initialized_batch");
    const std::size_t n = nonces.size();
    std::vector<State> out(n);
    if constexpr (VdafWithBatchVerify<V> && ROUNDS == 1) {
      if (caches.empty()) {
        helper_init_batch_fast(nonces, pss, iss, inbound, out);
        return out;
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      out[i] =
          helper_init(nonces[i], pss[i], iss[i], inbound[i], caches.empty() ? nullptr : caches[i]);
    }
    return out;
  }

  /// helper_init_batch through the VDAF's batch APIs (one-round VDAFs: the helper finishes).
  void helper_init_batch_fast(std::span<const ByteSpan> nonces, std::span<const PublicShare> pss,
                              std::span<const InputShare> iss, std::span<const ByteSpan> inbound,
                              std::vector<State>& out) const {
    const char* step = "helper_initialized";
    const std::size_t n = nonces.size();
    auto init = batch_or_reject(step, n, out, [&] {
      return vdaf_.verify_init_batch(verify_key_, ctx_, 1, agg_param_, nonces, pss, iss);
    });
    if (init.size() != n) return;
    std::vector<VerifierShare> leader_shares(n), helper_shares(n);
    std::vector<bool> ok(n, false);
    for (std::size_t i = 0; i < n; ++i) {
      if (init[i].error) {
        out[i] = reject_of(step, init[i].error);
        continue;
      }
      try {
        if (auto rej = decode_initialize(init[i].result->first, inbound[i], leader_shares[i])) {
          out[i] = std::move(*rej);
          continue;
        }
        helper_shares[i] = std::move(init[i].result->second);
        ok[i] = true;
      } catch (...) {
        out[i] = reject_current(step);
      }
    }
    const std::array<std::span<const VerifierShare>, 2> by_agg = {
        std::span<const VerifierShare>(leader_shares),
        std::span<const VerifierShare>(helper_shares)};
    auto msgs = batch_or_reject(step, n, out, [&] {
      return vdaf_.verifier_shares_to_message_batch(
          ctx_, agg_param_, std::span<const std::span<const VerifierShare>>(by_agg));
    });
    if (msgs.size() != n) return;
    std::vector<std::size_t> idx;
    std::vector<VerifyState> states;
    std::vector<VerifierMessage> vmsgs;
    std::vector<Bytes> encoded;
    try {
      idx.reserve(n);
      states.reserve(n);
      vmsgs.reserve(n);
      encoded.reserve(n);
    } catch (...) {
      for (std::size_t i = 0; i < n; ++i)
        if (ok[i]) out[i] = reject_current(step);
      return;
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!ok[i]) continue;
      if (msgs[i].error) {
        out[i] = reject_of(step, msgs[i].error);
        continue;
      }
      try {
        Bytes e = vdaf_.encode_verifier_message(*msgs[i].result);
        encoded.push_back(std::move(e));
        idx.push_back(i);
        states.push_back(std::move(init[i].result->first));
        vmsgs.push_back(std::move(*msgs[i].result));
      } catch (...) {
        out[i] = reject_current(step);
      }
    }
    auto next = batch_or_reject(step, idx, out, [&] {
      return vdaf_.verify_next_batch(ctx_, std::move(states),
                                     std::span<const VerifierMessage>(vmsgs));
    });
    for (std::size_t k = 0; k < next.size(); ++k) {
      const std::size_t i = idx[k];
      if (next[k].error) {
        out[i] = reject_of(step, next[k].error);
        continue;
      }
      out[i] = guarded(step, [&]() -> State {
        return FinishedWithOutbound{std::move(*next[k].result),
                                    PingPongMessage::finish(std::move(encoded[k])).encode()};
      });
    }
  }

  template <class States>
  std::vector<State> continued_batch(bool is_leader, States&& states,
                                     std::span<const ByteSpan> inbound) const {
    constexpr bool kConsume = std::is_rvalue_reference_v<States&&> &&
                              !std::is_const_v<std::remove_reference_t<States>> &&
                              std::is_same_v<std::remove_cvref_t<States>, std::vector<State>>;
    const char* step = is_leader ? "leader_continued" : "helper_continued";
    check_batch(states.size(), inbound.size(),
                is_leader ? "leader_continued_batch" : "helper_continued_batch");
    const std::size_t n = states.size();
    std::vector<State> out(n);
    if constexpr (VdafWithBatchVerify<V> && ROUNDS == 1) {
      // Every accepted report finishes here: check and decode report by report, then one
      // verify_next_batch.
      std::vector<std::size_t> idx;
      std::vector<VerifyState> vstates;
      std::vector<VerifierMessage> msgs;
      try {
        idx.reserve(n);
        vstates.reserve(n);
        msgs.reserve(n);
      } catch (...) {
        for (std::size_t i = 0; i < n; ++i) out[i] = reject_current(step);
        return out;
      }
      for (std::size_t i = 0; i < n; ++i) {
        try {
          const Continued* cont = nullptr;
          PingPongMessage in;
          if (auto early = continued_checks(is_leader, states[i], inbound[i], cont, in)) {
            out[i] = std::move(*early);
            continue;
          }
          VerifierMessage m =
              vdaf_.decode_verifier_message(cont->verify_state, in.verifier_message);
          if constexpr (kConsume) {
            vstates.push_back(std::move(std::get<Continued>(states[i]).verify_state));
          } else {
            vstates.push_back(cont->verify_state);
          }
          msgs.push_back(std::move(m));
          idx.push_back(i);
        } catch (...) {
          out[i] = reject_current(step);
        }
      }
      auto next = batch_or_reject(step, idx, out, [&] {
        return vdaf_.verify_next_batch(ctx_, std::move(vstates),
                                       std::span<const VerifierMessage>(msgs));
      });
      for (std::size_t k = 0; k < next.size(); ++k) {
        const std::size_t i = idx[k];
        if (next[k].error) {
          out[i] = reject_of(step, next[k].error);
        } else {
          out[i] = Finished{std::move(*next[k].result)};
        }
      }
      return out;
    } else {
      (void)step;
      for (std::size_t i = 0; i < n; ++i) {
        out[i] = is_leader ? leader_continued(states[i], inbound[i])
                           : helper_continued(states[i], inbound[i]);
      }
      return out;
    }
  }

  /// Runs a VDAF batch call `f` for the reports `which` lists (a count n: reports 0..n-1; or a
  /// vector of report indices); if it throws (memory), those reports get the Rejected state and
  /// an empty result is returned.
  template <class Which, class Fn>
  static auto batch_or_reject(const char* step, const Which& which, std::vector<State>& out, Fn&& f)
      -> decltype(f()) {
    try {
      return f();
    } catch (...) {
      if constexpr (std::is_integral_v<Which>) {
        for (std::size_t i = 0; i < which; ++i) out[i] = reject_current(step);
      } else {
        for (const std::size_t i : which) out[i] = reject_current(step);
      }
      return {};
    }
  }

  /// The encoded batch steps: decodes every report's shares (failures become Rejected, as in
  /// the one-report `_encoded` steps), runs `run` on the decoded ones and puts the states back
  /// in report order. `run` takes (nonces, public shares, input shares[, report indices]).
  template <class Run>
  std::vector<State> encoded_batch(std::size_t agg_id, const char* step,
                                   std::span<const ByteSpan> nonces,
                                   std::span<const ByteSpan> public_shares,
                                   std::span<const ByteSpan> input_shares, Run&& run) const {
    check_batch(nonces.size(), public_shares.size(), "encoded batch");
    check_batch(nonces.size(), input_shares.size(), "encoded batch");
    const std::size_t n = nonces.size();
    std::vector<State> out(n);
    std::vector<std::size_t> idx;
    std::vector<ByteSpan> ns;
    std::vector<PublicShare> pss;
    std::vector<InputShare> iss;
    idx.reserve(n);
    ns.reserve(n);
    pss.reserve(n);
    iss.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      try {
        PublicShare ps = vdaf_.decode_public_share(public_shares[i]);
        InputShare is = vdaf_.decode_input_share(agg_id, input_shares[i]);
        pss.push_back(std::move(ps));
        iss.push_back(std::move(is));
        ns.push_back(nonces[i]);
        idx.push_back(i);
      } catch (...) {
        out[i] = reject_current(step);
      }
    }
    std::vector<State> got;
    if constexpr (std::is_invocable_v<Run, std::span<const ByteSpan>, std::span<const PublicShare>,
                                      std::span<const InputShare>, std::span<const std::size_t>>) {
      got = run(std::span<const ByteSpan>(ns), std::span<const PublicShare>(pss),
                std::span<const InputShare>(iss), std::span<const std::size_t>(idx));
    } else {
      got = run(std::span<const ByteSpan>(ns), std::span<const PublicShare>(pss),
                std::span<const InputShare>(iss));
    }
    for (std::size_t k = 0; k < idx.size(); ++k) out[idx[k]] = std::move(got[k]);
    return out;
  }

  // --- helpers -------------------------------------------------------------------

  template <class Out>
  static OutShare take_out_share(Out&& out) {
    auto* os = std::get_if<1>(&out);
    if (os == nullptr) {
      VDAF_THROW(internal_error,
                 "verify_next returned no output share in round " + std::to_string(ROUNDS));
    }
    return std::move(*os);
  }

  /// encode_out_share into wiping memory.
  SecretBytes secret_encoding(const OutShare& os) const {
    Bytes e = vdaf_.encode_out_share(os);
    SecretBytes s(e.begin(), e.end());
    secure_zero(e.data(), e.size());
    return s;
  }
  static ByteSpan read_opaque32(Reader& r) { return r.take(r.be32()); }
  /// An opaque32 outbound message, checked to be a well-formed PingPongMessage.
  static Bytes checked_outbound(Reader& r) {
    const ByteSpan b = read_opaque32(r);
    (void)PingPongMessage::decode(b);
    return Bytes(b.begin(), b.end());
  }

  static std::string type_name(PingPongMessage::Type t) {
    switch (t) {
      case PingPongMessage::Type::initialize:
        return "initialize";
      case PingPongMessage::Type::continue_:
        return "continue";
      case PingPongMessage::Type::finish:
        return "finish";
    }
    return "unknown";
  }

  const V& vdaf_;
  SecretBytes verify_key_;
  Bytes ctx_;
  AggParam agg_param_;
  std::optional<InstanceDigest> state_digest_;
};

/// A party's ping-pong state for VDAF `V` (Appendix B).
template <VdafAggregator V>
using PingPongState = typename PingPong<V>::State;

VDAF_END_NAMESPACE
