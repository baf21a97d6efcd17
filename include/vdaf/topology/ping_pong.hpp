// The ping-pong topology (draft-irtf-cfrg-vdaf-20 §5.7.1, states in
// Appendix B): verification between exactly two aggregators, the Leader
// (aggregator 0) and the Helper (aggregator 1), over any request/response
// transport. The Leader and Helper take turns computing the verifier message
// locally, so a VDAF with ROUNDS rounds needs ceil((ROUNDS + 1) / 2) requests
// (Prio3: 1, Poplar1: 2).
//
// Only encoded `PingPongMessage`s cross between the parties. Every step turns a
// `vdaf::error` (malformed bytes, rejected proof, wrong lengths) into the
// `Rejected` state, so a server loop needs no try/catch per report.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <variant>

#include "vdaf/codec/codec.hpp"
#include "vdaf/core/bytes.hpp"
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
  enum class Type : std::uint8_t { initialize = 0, continue_ = 1, finish = 2 };

  Type type = Type::initialize;
  Bytes verifier_message;  ///< continue, finish
  Bytes verifier_share;    ///< initialize, continue

  /// initialize(verifier_share): the Leader's first message.
  static PingPongMessage initialize(Bytes verifier_share) {
    return {Type::initialize, {}, std::move(verifier_share)};
  }
  /// continue(verifier_message, verifier_share): a round's message and the
  /// sender's share for the next round.
  static PingPongMessage continue_(Bytes verifier_message, Bytes verifier_share) {
    return {Type::continue_, std::move(verifier_message), std::move(verifier_share)};
  }
  /// finish(verifier_message): the last round's message.
  static PingPongMessage finish(Bytes verifier_message) {
    return {Type::finish, std::move(verifier_message), {}};
  }

  /// Encodes the message (§5.7.1): u8 type, then the type's opaque fields.
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

/// Ping-pong verification of one VDAF instance between the Leader (aggregator
/// 0) and the Helper (aggregator 1) (§5.7.1). Holds the VDAF (by reference: it
/// must outlive this object), the verification key (a secret; copied into
/// wiping storage), the application context and the aggregation parameter; one
/// object serves any number of reports and is safe to share between threads
/// when the VDAF is.
///
/// Per report, the Leader calls `leader_initialized` and sends the outbound
/// message; the Helper answers with `helper_initialized`; then each side calls
/// `*_continued` on the peer's message until it reaches `Finished` or
/// `FinishedWithOutbound` (send the outbound message, then stop). A
/// `Rejected` state on either side means the report must not be aggregated.
///
/// The caller checks the aggregation parameter with `is_valid` (§5.3) before
/// using it, and both aggregators must use the same public share (§9.3).
/// Constant-time as far as the VDAF's own operations are; the state machine
/// only branches on public data (message types, rounds, error outcomes).
template <VdafAggregator V>
class PingPong {
 public:
  using AggParam = typename V::AggParam;
  using PublicShare = typename V::PublicShare;
  using InputShare = typename V::InputShare;
  using OutShare = typename V::OutShare;
  using VerifyState = typename V::VerifyState;
  using VerifierShare = typename V::VerifierShare;
  using VerifierMessage = typename V::VerifierMessage;

  static constexpr std::size_t ROUNDS = V::ROUNDS;

  /// Appendix B `Continued`: waiting for the peer's next message. `outbound`
  /// is the encoded `PingPongMessage` to send; `verify_round` is the round of
  /// `verify_state` (0 <= verify_round < ROUNDS).
  struct Continued {
    VerifyState verify_state;
    std::size_t verify_round = 0;
    Bytes outbound;
  };
  /// Appendix B `Finished`: verification succeeded; nothing to send.
  struct Finished {
    OutShare out_share;
  };
  /// Appendix B `FinishedWithOutbound`: verification succeeded; `outbound`
  /// (a `finish` message) must still reach the peer so it can finish too.
  struct FinishedWithOutbound {
    OutShare out_share;
    Bytes outbound;
  };
  /// Appendix B `Rejected`: the report is rejected; `reason` says where and why
  /// (the message of the `vdaf::error` that caused it, or the protocol step).
  struct Rejected {
    std::string reason;
  };
  /// A party's state after a step (Appendix B; `Start` is implicit).
  using State = std::variant<Continued, Finished, FinishedWithOutbound, Rejected>;

  /// @throws invalid_argument if verify_key is not VERIFY_KEY_SIZE bytes or
  /// the VDAF is not configured for exactly two aggregators.
  PingPong(const V& vdaf, ByteSpan verify_key, ByteSpan ctx, AggParam agg_param)
      : vdaf_(vdaf),
        verify_key_(verify_key.begin(), verify_key.end()),
        ctx_(ctx.begin(), ctx.end()),
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
  }

  const V& vdaf() const noexcept { return vdaf_; }
  ByteSpan ctx() const noexcept { return ctx_; }
  const AggParam& agg_param() const noexcept { return agg_param_; }

  // --- steps (§5.7.1) ------------------------------------------------------

  /// §5.7.1 ping_pong_leader_init: `verify_init` as aggregator 0; returns
  /// `Continued(state, 0, initialize(encoded verifier share))`, or `Rejected`
  /// on any `vdaf::error` (e.g. nonce not NONCE_SIZE bytes). Never throws a
  /// `vdaf::error`.
  State leader_initialized(ByteSpan nonce, const PublicShare& public_share,
                           const InputShare& input_share) const {
    try {
      auto [state, share] =
          vdaf_.verify_init(verify_key_, ctx_, 0, agg_param_, nonce, public_share, input_share);
      Bytes out = PingPongMessage::initialize(vdaf_.encode_verifier_share(share)).encode();
      return Continued{std::move(state), 0, std::move(out)};
    } catch (const error& e) {
      return reject("leader_initialized", e);
    }
  }

  /// `leader_initialized` on the encoded public share and Leader input share
  /// (§5.7.1 takes them as bytes); a decoding failure gives `Rejected`.
  State leader_initialized_encoded(ByteSpan nonce, ByteSpan public_share,
                                   ByteSpan input_share) const {
    try {
      return leader_initialized(nonce, vdaf_.decode_public_share(public_share),
                                vdaf_.decode_input_share(0, input_share));
    } catch (const error& e) {
      return reject("leader_initialized", e);
    }
  }

  /// §5.7.1 ping_pong_helper_init, on the Leader's first message `inbound`:
  /// `verify_init` as aggregator 1; `inbound` must be an `initialize` message;
  /// the verifier shares [Leader's (decoded with the Helper's state), own] are
  /// combined and the state advanced (see `transition`). Returns `Continued`
  /// (multi-round VDAFs), `FinishedWithOutbound` (last round; send `finish`)
  /// or `Rejected`. Never throws a `vdaf::error`.
  State helper_initialized(ByteSpan nonce, const PublicShare& public_share,
                           const InputShare& input_share, ByteSpan inbound) const {
    try {
      auto [state, share] =
          vdaf_.verify_init(verify_key_, ctx_, 1, agg_param_, nonce, public_share, input_share);
      const PingPongMessage in = PingPongMessage::decode(inbound);
      if (in.type != PingPongMessage::Type::initialize) {
        return Rejected{"ping-pong helper_initialized: expected an initialize message, got " +
                        type_name(in.type)};
      }
      const std::array<VerifierShare, 2> shares = {
          vdaf_.decode_verifier_share(state, in.verifier_share), std::move(share)};
      return transition(shares, state, 0);
    } catch (const error& e) {
      return reject("helper_initialized", e);
    }
  }

  /// `helper_initialized` on the encoded public share and Helper input share;
  /// a decoding failure gives `Rejected`.
  State helper_initialized_encoded(ByteSpan nonce, ByteSpan public_share, ByteSpan input_share,
                                   ByteSpan inbound) const {
    try {
      return helper_initialized(nonce, vdaf_.decode_public_share(public_share),
                                vdaf_.decode_input_share(1, input_share), inbound);
    } catch (const error& e) {
      return reject("helper_initialized", e);
    }
  }

  /// §5.7.1 ping_pong_leader_continued: the Leader's step on the Helper's
  /// message `inbound` (see `continued`). `state` is not modified.
  State leader_continued(const State& state, ByteSpan inbound) const {
    return continued(true, state, inbound);
  }

  /// §5.7.1 ping_pong_helper_continued: the Helper's step on the Leader's
  /// message `inbound` (see `continued`). `state` is not modified.
  State helper_continued(const State& state, ByteSpan inbound) const {
    return continued(false, state, inbound);
  }

  // --- state inspection ------------------------------------------------------

  /// The encoded message to send to the peer (`Continued`,
  /// `FinishedWithOutbound`), or nullptr (`Finished`, `Rejected`).
  static const Bytes* outbound(const State& s) noexcept {
    if (const auto* c = std::get_if<Continued>(&s)) return &c->outbound;
    if (const auto* f = std::get_if<FinishedWithOutbound>(&s)) return &f->outbound;
    return nullptr;
  }
  /// The output share if verification succeeded (`Finished`,
  /// `FinishedWithOutbound`), else nullptr.
  static const OutShare* out_share(const State& s) noexcept {
    if (const auto* f = std::get_if<Finished>(&s)) return &f->out_share;
    if (const auto* f = std::get_if<FinishedWithOutbound>(&s)) return &f->out_share;
    return nullptr;
  }
  /// True for `Finished` and `FinishedWithOutbound`.
  static bool is_finished(const State& s) noexcept { return out_share(s) != nullptr; }
  /// True for `Rejected`.
  static bool is_rejected(const State& s) noexcept { return std::holds_alternative<Rejected>(s); }

 private:
  /// §5.7.1 ping_pong_continued. Requires `state` to be `Continued` (a
  /// `Rejected` state is returned unchanged; `Finished` or
  /// `FinishedWithOutbound` give `Rejected`). An `initialize` message gives
  /// `Rejected`. Otherwise the verifier message is decoded with the current
  /// state and `verify_next` run; then:
  /// - round + 1 < ROUNDS and `continue`: the peer's verifier share is decoded
  ///   with the new state, the shares ordered by aggregator id ([own, peer] for
  ///   the Leader, [peer, own] for the Helper) and `transition` run for round + 1;
  /// - round + 1 == ROUNDS and `finish`: `Finished(out_share)`;
  /// - anything else: `Rejected`.
  /// Never throws a `vdaf::error`.
  State continued(bool is_leader, const State& state, ByteSpan inbound) const {
    const char* step = is_leader ? "leader_continued" : "helper_continued";
    if (const auto* rej = std::get_if<Rejected>(&state)) return *rej;
    const auto* cont = std::get_if<Continued>(&state);
    if (cont == nullptr) {
      return Rejected{std::string("ping-pong ") + step +
                      ": state is not Continued (already finished)"};
    }
    try {
      const std::size_t round = cont->verify_round;
      const PingPongMessage in = PingPongMessage::decode(inbound);
      if (in.type == PingPongMessage::Type::initialize) {
        return Rejected{std::string("ping-pong ") + step + ": unexpected initialize message"};
      }
      const VerifierMessage msg =
          vdaf_.decode_verifier_message(cont->verify_state, in.verifier_message);
      auto out = vdaf_.verify_next(ctx_, cont->verify_state, msg);
      if (round + 1 < ROUNDS && in.type == PingPongMessage::Type::continue_) {
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
      if (round + 1 == ROUNDS && in.type == PingPongMessage::Type::finish) {
        return Finished{take_out_share(std::move(out))};
      }
      return Rejected{std::string("ping-pong ") + step + ": unexpected " + type_name(in.type) +
                      " message in round " + std::to_string(round) + " of " +
                      std::to_string(ROUNDS)};
    } catch (const error& e) {
      return reject(step, e);
    }
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

  template <class Out>
  static OutShare take_out_share(Out&& out) {
    auto* os = std::get_if<1>(&out);
    if (os == nullptr) {
      VDAF_THROW(internal_error,
                 "verify_next returned no output share in round " + std::to_string(ROUNDS));
    }
    return std::move(*os);
  }

  static Rejected reject(const char* step, const error& e) {
    return Rejected{std::string("ping-pong ") + step + ": " + e.what()};
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
};

/// A party's ping-pong state for VDAF `V` (Appendix B).
template <VdafAggregator V>
using PingPongState = typename PingPong<V>::State;

VDAF_END_NAMESPACE
