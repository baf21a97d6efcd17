// Prio3 (draft-irtf-cfrg-vdaf-20 §7.2): client sharding, aggregator
// verification, aggregation and unsharding over any FLP validity circuit.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "vdaf/codec/codec.hpp"
#include "vdaf/core/bytes.hpp"
#include "vdaf/core/dst.hpp"
#include "vdaf/core/small_vector.hpp"
#include "vdaf/core/stored.hpp"
#include "vdaf/ct/ct.hpp"
#include "vdaf/ct/drbg.hpp"
#include "vdaf/ct/poison.hpp"
#include "vdaf/errors.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/flp/flp_bbcggi19.hpp"
#include "vdaf/xof/xof_turboshake128.hpp"

VDAF_BEGIN_NAMESPACE

/// A 32-byte public seed (joint-randomness parts and seeds are public once sent).
using Seed32 = std::array<std::uint8_t, 32>;

/// Prio3 over validity circuit `V` and XOF `X` (§7.2). Instances such as
/// `Prio3Count` derive from this with the spec's parameter names.
///
/// Sizes (Fe = Field::ENCODED_SIZE, P = num_proofs, S = shares):
/// public share 0 or 32·S bytes; leader input share Fe·(MEAS_LEN + PROOF_LEN·P)
/// [+32]; helper input share 32 [+32]; verifier share Fe·VERIFIER_LEN·P [+32];
/// verifier message 0 or 32; output/aggregate share Fe·OUTPUT_LEN. The bracketed
/// parts are present iff the circuit uses joint randomness.
///
/// Spec: §7.2 (parameters in table "prio3-param"; instances in §7.4).
/// @tparam V the validity circuit (concept Valid, §7.3.2): fixes the field, the measurement
///         and aggregate-result types, MEAS_LEN, OUTPUT_LEN and the gadgets.
/// @tparam X the XOF (§6.2): XofTurboShake128 as in the draft, or XofHmacSha256Aes128 for the
///         0xFFFF1003 deployment instance.
template <Valid V, class X = XofTurboShake128>
class Prio3 {
 public:
  /// The circuit's finite field (§6.1): Field64 or Field128 for the instances of §7.4.
  using Field = typename V::Field;
  /// Short name for Field.
  using F = Field;
  /// What a client shards, as the circuit defines it (e.g. std::uint64_t for Prio3Count and
  /// Prio3Sum, a vector for Prio3SumVec).
  using Measurement = typename V::Measurement;
  /// What unshard returns, as the circuit's decode defines it.
  using AggResult = typename V::AggResult;

  /// Length of the verification key in bytes (§7.2: the XOF's SEED_SIZE, 32).
  static constexpr std::size_t VERIFY_KEY_SIZE = 32;
  /// Length of the report nonce in bytes (§7.2).
  static constexpr std::size_t NONCE_SIZE = 16;
  /// Number of verification rounds (§7.2): Prio3 has one.
  static constexpr std::size_t ROUNDS = 1;
  /// Length in bytes of every seed, blind and joint-randomness part (the XOF's SEED_SIZE).
  static constexpr std::size_t SEED_SIZE = 32;
  /// The longest ctx the operations accept: the XOF's dst limit minus the 8-byte dst prefix
  /// (65527 with XofTurboShake128, 247 with XofHmacSha256Aes128).
  static constexpr std::size_t MAX_CTX_SIZE = [] {
    if constexpr (requires { X::MAX_DST_SIZE; }) {
      return X::MAX_DST_SIZE - 8;
    } else {
      return std::size_t{65535 - 8};
    }
  }();

  /// Prio3 has no aggregation parameter (encoded as the empty string).
  struct AggParam {
    /// All aggregation parameters are equal (there is only the empty one).
    /// @return true.
    friend bool operator==(const AggParam&, const AggParam&) noexcept { return true; }
  };
  /// §7.2.7: the joint-randomness parts, one per aggregator (empty without joint randomness).
  struct PublicShare {
    /// part_0 … part_{S−1} (SEED_SIZE bytes each), or empty without joint randomness. Public.
    std::vector<Seed32> joint_rand_parts;
  };
  /// §7.2.7: the leader holds measurement and proof shares; a helper holds a seed.
  /// `blind` is present iff the circuit uses joint randomness. Secret; wiped.
  struct InputShare {
    secret_vector<F> meas_share;           ///< Leader only: measurement share (MEAS_LEN).
    secret_vector<F> proofs_share;         ///< Leader only: proofs share (PROOF_LEN·P).
    std::optional<SecretArray<32>> seed;   ///< Helper only: the share seed (SEED_SIZE bytes).
    std::optional<SecretArray<32>> blind;  ///< The blind (SEED_SIZE bytes), iff joint randomness.
    /// Whether this is the leader's (aggregator 0's) kind of input share.
    /// @return true iff there is no helper seed.
    bool is_leader() const noexcept { return !seed.has_value(); }
  };
  /// Aggregator state between verify_init and verify_next: this aggregator's output share
  /// (OUTPUT_LEN elements, secret, wiped) and, with joint randomness, the corrected
  /// joint-randomness seed. Storable: encode_verify_state / decode_verify_state. A
  /// default-constructed state, or one whose output share verify_next_batch moved out, is not
  /// a valid state (verify_next throws invalid_argument).
  struct VerifyState {
    std::size_t agg_id = 0;      ///< The aggregator this state belongs to, in 0..S−1. Public.
    secret_vector<F> out_share;  ///< This aggregator's output share (OUTPUT_LEN elements). Secret.
    /// The corrected joint-randomness seed (SEED_SIZE bytes), iff the circuit uses joint
    /// randomness; compared with the verifier message in verify_next.
    std::optional<Seed32> corrected_joint_rand_seed;
  };
  /// §7.2.7: the verifier share (VERIFIER_LEN·P elements) and joint-rand part.
  struct VerifierShare {
    std::vector<F> verifiers_share;  ///< The verifiers share (VERIFIER_LEN·P elements). Public.
    /// This aggregator's joint-randomness part (SEED_SIZE bytes), iff joint randomness. Public.
    std::optional<Seed32> joint_rand_part;
  };
  /// §7.2.7: the joint-randomness seed, or nothing.
  struct VerifierMessage {
    /// The joint-randomness seed (SEED_SIZE bytes), iff the circuit uses joint randomness.
    std::optional<Seed32> joint_rand_seed;
  };
  /// An output share (§7.2.2): OUTPUT_LEN field elements. Secret; wiped.
  using OutShare = secret_vector<F>;
  /// An aggregate share (§7.2.4): OUTPUT_LEN field elements. Secret; wiped.
  using AggShare = secret_vector<F>;
  /// Output of `shard`: the nonce used, the public share and one input share per aggregator.
  struct ShardResult {
    std::array<std::uint8_t, NONCE_SIZE> nonce;  ///< The report nonce (NONCE_SIZE bytes). Public.
    PublicShare public_share;                    ///< The public share, sent to every aggregator.
    /// S input shares: input_shares[j] is for aggregator j (0 = leader). Secret.
    std::vector<InputShare> input_shares;
  };

  /// Builds Prio3 over the circuit `valid` (§7.2). Usually called through an instance class
  /// (Prio3Count, ...), which supplies the circuit and the algorithm ID.
  /// Limits: those of the circuit and the FLP (FlpLimits), and PROOF_LEN·PROOFS ≤
  /// FlpLimits::MAX_PROOFS_LEN.
  /// @param valid the validity circuit, with its parameters (length, chunk_length, ...).
  /// @param shares S, the number of aggregators (SHARES), in 2..255.
  /// @param num_proofs PROOFS, the number of FLP proofs, in 1..255.
  /// @param id the algorithm ID (codepoint) bound into every domain-separation tag (§6.2.3).
  /// @throws invalid_argument if shares is outside 2..255, num_proofs outside 1..255, or a limit
  /// is exceeded (the message names it).
  Prio3(V valid, std::size_t shares, std::size_t num_proofs, std::uint32_t id);

  // --- parameters -------------------------------------------------------

  /// The algorithm ID (codepoint).
  /// @return the ID given to the constructor (e.g. 0x00000001 for Prio3Count).
  std::uint32_t id() const noexcept { return id_; }
  /// SHARES, the number of aggregators.
  /// @return S, in 2..255.
  std::size_t shares() const noexcept { return shares_; }
  /// PROOFS, the number of FLP proofs (§7.1.2).
  /// @return P, in 1..255.
  std::size_t num_proofs() const noexcept { return proofs_; }
  /// The FLP (§7.3) over this instance's circuit.
  /// @return the FLP, valid as long as this object.
  const FlpBBCGGI19<V>& flp() const noexcept { return flp_; }
  /// MEAS_LEN: the length of the encoded measurement (§7.1).
  /// @return the number of field elements.
  std::size_t meas_len() const noexcept { return flp_.meas_len(); }
  /// OUTPUT_LEN: the length of an output or aggregate share (§7.1).
  /// @return the number of field elements.
  std::size_t output_len() const noexcept { return flp_.output_len(); }
  /// PROOF_LEN: the length of one proof (§7.1).
  /// @return the number of field elements (the input share holds PROOF_LEN·PROOFS).
  std::size_t proof_len() const noexcept { return flp_.proof_len(); }
  /// VERIFIER_LEN: the length of one proof's verifier (§7.1).
  /// @return the number of field elements (a verifier share holds VERIFIER_LEN·PROOFS).
  std::size_t verifier_len() const noexcept { return flp_.verifier_len(); }
  /// JOINT_RAND_LEN: the joint randomness one proof needs (§7.1).
  /// @return the number of field elements; 0 if the circuit uses no joint randomness.
  std::size_t joint_rand_len() const noexcept { return flp_.joint_rand_len(); }
  /// Whether the circuit uses joint randomness (JOINT_RAND_LEN > 0): then the public share,
  /// input shares, verifier shares and verifier message carry the bracketed seeds.
  /// @return true iff JOINT_RAND_LEN > 0.
  bool uses_joint_rand() const noexcept { return flp_.joint_rand_len() > 0; }
  /// Identifies this instance in stored states (core/stored.hpp): a digest of the algorithm
  /// ID, S, PROOFS, the XOF, the field, the circuit's parameters (length, max_measurement,
  /// max_weight, chunk_length where it has them) and the FLP's lengths and gadgets. Public.
  /// @return the 8-byte digest, computed once by the constructor.
  const InstanceDigest& instance_digest() const noexcept { return digest_; }
  /// RAND_SIZE: 32·S, or 64·S with joint randomness (§7.2).
  /// @return the number of random bytes shard takes.
  std::size_t rand_size() const noexcept {
    return SEED_SIZE * shares_ * (uses_joint_rand() ? 2 : 1);
  }

  // --- client ------------------------------------------------------------

  /// Shards a measurement into a public share and S input shares (the client's step),
  /// deterministically from `nonce` and `rand`.
  /// Spec: §7.2.1.
  /// @param ctx the application context, bound into every XOF's dst; up to MAX_CTX_SIZE bytes
  ///        (65527 with XofTurboShake128, 247 with XofHmacSha256Aes128).
  /// @param measurement the measurement; it must be valid for the circuit (e.g. 0 or 1 for
  ///        Prio3Count, at most max_measurement for Prio3Sum).
  /// @param nonce the report nonce, NONCE_SIZE (16) bytes; the client MUST draw it from a
  ///        CSPRNG (§9.2), fresh for each report.
  /// @param rand the sharding randomness, rand_size() bytes, uniformly random and secret.
  /// @return the nonce (copied), the public share and S input shares (input_shares[0] is the
  ///         leader's).
  /// @throws invalid_argument on a wrong nonce/rand length, an invalid measurement, or a ctx
  /// longer than MAX_CTX_SIZE.
  /// Constant-time in the measurement (validity checks aside) and randomness.
  ShardResult shard(CtxBytes ctx, const Measurement& measurement, ByteSpan nonce,
                    ByteSpan rand) const;

  /// shard with a fresh random nonce (16 bytes) and rand, both from this thread's DRBG
  /// (ct/drbg.hpp: ChaCha20 keyed from the OS CSPRNG, reseeded every MiB and after fork()).
  /// Spec: §7.2.1.
  /// @param ctx the application context, up to MAX_CTX_SIZE bytes.
  /// @param measurement the measurement; it must be valid for the circuit.
  /// @return the random nonce used (send it with the report), the public share and S input
  ///         shares.
  /// @throws invalid_argument on an invalid measurement or a ctx longer than MAX_CTX_SIZE;
  /// internal_error if libsodium cannot be initialised.
  /// Constant-time as the overload above (the randomness never leaves wiping memory).
  ShardResult shard(CtxBytes ctx, const Measurement& measurement) const;

  // --- aggregators -------------------------------------------------------

  /// Whether an aggregation parameter may be used for a report: Prio3 aggregates a report at
  /// most once, so the parameter is valid only if there is no previous one.
  /// Spec: §7.2.3.
  /// @param previous the aggregation parameters the report was already aggregated with.
  /// @return true iff `previous` is empty.
  bool is_valid(const AggParam&, std::span<const AggParam> previous) const noexcept {
    return previous.empty();
  }

  /// Starts verifying one report at aggregator `agg_id` (0 = leader): expands the input share,
  /// runs the FLP query of every proof and, with joint randomness, derives the corrected
  /// joint-randomness seed. The aggregation parameter (unnamed) is Prio3's empty AggParam.
  /// Spec: §7.2.2.
  /// @param verify_key the verification key shared by the aggregators, VERIFY_KEY_SIZE (32)
  ///        bytes. Secret.
  /// @param ctx the application context, up to MAX_CTX_SIZE bytes (as given to shard).
  /// @param agg_id this aggregator's index, in 0..S−1.
  /// @param nonce the report nonce, NONCE_SIZE (16) bytes.
  /// @param public_share the report's public share (S parts iff joint randomness).
  /// @param input_share this aggregator's input share (the leader's kind iff agg_id == 0).
  /// @return the state to keep for verify_next and this aggregator's verifier share (to send
  ///         to the other aggregators).
  /// @throws invalid_argument on wrong key/nonce length, agg_id >= S, an input
  /// share of the wrong kind/length for agg_id, a public share with the wrong number of parts,
  /// or a ctx longer than MAX_CTX_SIZE; verify_error if the FLP query
  /// aborts (test point is a root of unity). Constant-time in the shares.
  std::pair<VerifyState, VerifierShare> verify_init(ByteSpan verify_key, CtxBytes ctx,
                                                    std::size_t agg_id, const AggParam&,
                                                    ByteSpan nonce, const PublicShare& public_share,
                                                    const InputShare& input_share) const;

  /// The outcome of one report in verify_init_batch: exactly one of the two members is set.
  struct VerifyInitOutcome {
    /// What verify_init returns for this report, if it returns.
    std::optional<std::pair<VerifyState, VerifierShare>> result;
    /// What verify_init throws for this report, if it throws (std::rethrow_exception to inspect:
    /// invalid_argument for a malformed report, verify_error if the FLP query aborts).
    std::exception_ptr error;
  };

  /// verify_init (§7.2.2) of aggregator `agg_id` over a batch of reports: report i is
  /// (nonces[i], public_shares[i], input_shares[i]). Outcome i equals what
  /// verify_init(verify_key, ctx, agg_id, agg_param, nonces[i], public_shares[i], input_shares[i])
  /// returns or throws; a malformed report (wrong nonce length, input share of the wrong kind or
  /// length, public share with the wrong number of parts) or one whose FLP query aborts gets its
  /// exception in `error` and does not affect the others.
  /// Faster than the loop for many reports: the XOF streams of several reports (a helper's
  /// measurement share, proofs share and query randomness; the leader's query randomness) are
  /// expanded together on the multi-lane Keccak (XofTurboShake128::expand_many), as are, with joint
  /// randomness, their joint-randomness parts, corrected seeds and joint randomness; the scratch
  /// space is shared. Reports are taken REPORT_GROUP at a time.
  /// Spec: §7.2.2.
  /// @param verify_key the verification key, VERIFY_KEY_SIZE (32) bytes. Secret.
  /// @param ctx the application context, up to MAX_CTX_SIZE bytes.
  /// @param agg_id this aggregator's index, in 0..S−1.
  /// @param agg_param Prio3's empty aggregation parameter.
  /// @param nonces the reports' nonces, NONCE_SIZE bytes each.
  /// @param public_shares the reports' public shares (as many as nonces).
  /// @param input_shares this aggregator's input shares of the reports (as many as nonces).
  /// @return one outcome per report, in order.
  /// @throws invalid_argument (for the whole batch, nothing computed) if the three spans differ
  /// in length, verify_key is not 32 bytes or agg_id >= S; std::bad_alloc. A ctx longer than
  /// MAX_CTX_SIZE is refused for the whole batch with XofTurboShake128, and gives every report
  /// invalid_argument in `error` with another XOF (which runs verify_init report by report).
  /// Constant-time in the shares (which reports are malformed is public).
  std::vector<VerifyInitOutcome> verify_init_batch(ByteSpan verify_key, CtxBytes ctx,
                                                   std::size_t agg_id, const AggParam& agg_param,
                                                   std::span<const ByteSpan> nonces,
                                                   std::span<const PublicShare> public_shares,
                                                   std::span<const InputShare> input_shares) const;

  /// Reports per group in verify_init_batch (their XOF streams are expanded together).
  static constexpr std::size_t REPORT_GROUP = 8;

 private:
  static constexpr std::size_t kMaxDst = MAX_CTX_SIZE + 8;
  /// The part of verify_init after the expansions: output share, joint randomness, FLP query.
  /// With joint randomness, `part_done` (this aggregator's part) and `corrected_done` (the
  /// corrected seed, with the JOINT_RAND_LEN·PROOFS elements `joint_rands_done` expanded from it)
  /// may be given precomputed; otherwise they are computed here.
  std::pair<VerifyState, VerifierShare> verify_init_finish(
      DstBuffer& dsts, std::size_t agg_id, ByteSpan nonce, const PublicShare& public_share,
      const InputShare& input_share, std::span<const F> meas, std::span<const F> proofs,
      std::span<const F> query_rands, const Seed32* part_done = nullptr,
      const Seed32* corrected_done = nullptr, std::span<const F> joint_rands_done = {},
      std::span<const F> verifiers_done = {}) const {
    const bool jr = uses_joint_rand();
    VerifyState state;
    state.agg_id = agg_id;
    state.out_share.resize(output_len());
    VerifierShare vs;
    vs.verifiers_share.assign(verifier_len() * proofs_, F::zero());
    Seed32 part, corrected;
    verify_init_core(dsts, agg_id, nonce, public_share, input_share, meas, proofs, query_rands,
                     std::span<F>(state.out_share), std::span<F>(vs.verifiers_share), part,
                     corrected, part_done, corrected_done, joint_rands_done, verifiers_done);
    if (jr) {
      state.corrected_joint_rand_seed = corrected;
      vs.joint_rand_part = part;
    }
    return {std::move(state), std::move(vs)};
  }

  /// verify_init_finish writing into caller-provided storage: `out_share` (OUTPUT_LEN elements)
  /// and `verifiers` (VERIFIER_LEN·PROOFS elements); with joint randomness `part_out` and
  /// `corrected_out` receive this aggregator's part and the corrected seed (untouched
  /// otherwise). The verifiers and the part are unpoisoned (public from here). `verifiers_done`,
  /// if not empty, holds the verifiers already computed (FlpBBCGGI19::query_lanes): copied, no
  /// query is run.
  void verify_init_core(DstBuffer& dsts, std::size_t agg_id, ByteSpan nonce,
                        const PublicShare& public_share, const InputShare& input_share,
                        std::span<const F> meas, std::span<const F> proofs,
                        std::span<const F> query_rands, std::span<F> out_share,
                        std::span<F> verifiers, Seed32& part_out, Seed32& corrected_out,
                        const Seed32* part_done, const Seed32* corrected_done,
                        std::span<const F> joint_rands_done,
                        std::span<const F> verifiers_done = {}) const {
    const bool jr = uses_joint_rand();
    const std::size_t P = proofs_, pl = proof_len(), ml = meas_len();
    const std::size_t qrl = flp_.query_rand_len(), jrl = flp_.joint_rand_len(), vl = verifier_len();
    flp_.valid().truncate(meas, out_share);
    SecretScratch<F> joint_rands(jr ? jrl * P : 0);
    if (jr) {
      part_out = part_done != nullptr
                     ? *part_done
                     : joint_rand_part(dsts, agg_id, *input_share.blind, nonce, meas);
      if (corrected_done != nullptr) {
        corrected_out = *corrected_done;
        std::copy(joint_rands_done.begin(), joint_rands_done.end(), joint_rands.data());
      } else {
        corrected_out = joint_rand_seed(dsts, public_share.joint_rand_parts, agg_id, &part_out);
        joint_rands_from_seed(dsts, corrected_out, joint_rands.span());
      }
    }
    if (!verifiers_done.empty()) {
      std::copy(verifiers_done.begin(), verifiers_done.end(), verifiers.begin());
    } else {
      for (std::size_t k = 0; k < P; ++k) {
        flp_.query(meas.subspan(0, ml), proofs.subspan(k * pl, pl),
                   std::span<const F>(query_rands).subspan(k * qrl, qrl),
                   std::span<const F>(joint_rands).subspan(k * jrl, jrl), shares_,
                   verifiers.subspan(k * vl, vl));
      }
    }
    // PUBLIC from here: the verifier share is sent to the other aggregators (§7.2.2), so the
    // constant-time check (ct/poison.hpp) must not track it as secret any more.
    ct::unpoison(std::span<const F>(verifiers));
    if (jr) ct::unpoison(std::span<const std::uint8_t>(part_out));
  }

  /// The grouped expansions of verify_init_batch (XofTurboShake128): checks each report,
  /// expands the XOF streams of REPORT_GROUP reports together (and their joint-randomness parts,
  /// corrected seeds and joint randomness) and, when the FLP takes the lane path
  /// (FlpBBCGGI19::lane_query), the FLP queries of the group; then calls emit(i, meas, proofs,
  /// query_rands, part, corrected, joint_rands, verifiers) per well-formed report
  /// (part/corrected null without joint randomness; verifiers empty unless already computed), and
  /// fail(i, exception) for a malformed one or one whose emit throws.
  template <class Emit, class Fail>
  void verify_init_groups(ByteSpan verify_key, CtxBytes ctx, std::size_t agg_id,
                          std::span<const ByteSpan> nonces,
                          std::span<const PublicShare> public_shares,
                          std::span<const InputShare> input_shares, const Emit& emit,
                          const Fail& fail) const;

 public:
  /// Combines the S verifier shares of one report (in aggregator order) and runs the FLP
  /// decision for every proof; any aggregator (or a third party) may run it. The aggregation
  /// parameter (unnamed) is Prio3's empty AggParam.
  /// Spec: §7.2.2.
  /// @param ctx the application context, up to MAX_CTX_SIZE bytes (used only with joint
  ///        randomness, to derive the joint-randomness seed).
  /// @param shares the S verifier shares, shares[j] from aggregator j; each VERIFIER_LEN·PROOFS
  ///        elements, with a joint-randomness part iff the circuit uses joint randomness.
  /// @return the verifier message: the joint-randomness seed derived from the S parts, or
  ///         empty without joint randomness.
  /// @throws verify_error (reason proof_rejected, naming the proof) if any proof is rejected;
  /// invalid_argument if the number or shape of shares is wrong, or (with joint randomness) ctx
  /// is longer than MAX_CTX_SIZE. Works on public data.
  VerifierMessage verifier_shares_to_message(CtxBytes ctx, const AggParam&,
                                             std::span<const VerifierShare> shares) const;

  /// §7.2.2 verify_next: checks the message against the state's corrected
  /// joint-randomness seed (constant-time compare) and returns the output share
  /// (OUTPUT_LEN elements). Prio3 has one round, so the result is always OutShare.
  /// The ctx argument (unnamed) is not used.
  /// Spec: §7.2.2.
  /// @param state the state verify_init returned to this aggregator (not modified).
  /// @param msg the verifier message of the report (from verifier_shares_to_message).
  /// @return a copy of the state's output share (the OutShare alternative; never the pair).
  /// @throws invalid_argument if `state` is not a state of this instance (default-constructed,
  /// its output share moved out, wrong length or agg_id); verify_error (reason
  /// joint_rand_mismatch or message_mismatch) if the message does not match the state.
  std::variant<std::pair<VerifyState, VerifierShare>, OutShare> verify_next(
      CtxBytes, const VerifyState& state, const VerifierMessage& msg) const;

  /// The outcome of one report in verifier_shares_to_message_batch: exactly one member is set.
  struct VerifierMessageOutcome {
    /// What verifier_shares_to_message returns for this report, if it returns.
    std::optional<VerifierMessage> result;
    /// What it throws for this report, if it throws (std::rethrow_exception to inspect:
    /// invalid_argument for a malformed verifier share, verify_error if the FLP rejects a proof).
    std::exception_ptr error;
  };

  /// verifier_shares_to_message (§7.2.2) over a batch of reports, given aggregator by
  /// aggregator: `by_aggregator` has S spans, by_aggregator[j][i] being aggregator j's verifier
  /// share of report i (each a span over what verify_init_batch of aggregator j gave, say).
  /// Outcome i equals what verifier_shares_to_message(ctx, agg_param, {by_aggregator[0][i], …,
  /// by_aggregator[S−1][i]}) returns or throws: a verifier share of the wrong length
  /// (VERIFIER_LEN·PROOFS elements expected) or with/without a joint-randomness part when the
  /// circuit does not/does use joint randomness gives that report invalid_argument, a rejected
  /// proof gives it verify_error, and neither affects the other reports. For a report whose
  /// verify_init failed, pass a default-constructed VerifierShare (it gets invalid_argument).
  /// Faster than the loop with joint randomness: the joint-randomness seeds (derive_seed of the
  /// S parts, §7.2.2) of the reports are computed together on the multi-lane Keccak
  /// (XofTurboShake128::absorb_binder_many / finish_binder_many).
  /// The aggregation parameter (unnamed) is Prio3's empty AggParam.
  /// Spec: §7.2.2.
  /// @param ctx the application context, up to MAX_CTX_SIZE bytes (used only with joint
  ///        randomness).
  /// @param by_aggregator S spans of equal length n: by_aggregator[j][i] is aggregator j's
  ///        verifier share of report i.
  /// @return n outcomes, outcome i for report i.
  /// @throws invalid_argument (for the whole batch, nothing computed) if by_aggregator does not
  /// hold S spans, the spans differ in length, or (with joint randomness) ctx is longer than
  /// MAX_CTX_SIZE bytes; std::bad_alloc.
  /// Works on public data (verifier shares and joint-randomness parts are sent in the clear).
  std::vector<VerifierMessageOutcome> verifier_shares_to_message_batch(
      CtxBytes ctx, const AggParam&,
      std::span<const std::span<const VerifierShare>> by_aggregator) const;

  /// The outcome of one report in verify_next_batch: exactly one of the two members is set.
  struct OutShareOutcome {
    /// The output share verify_next returns for this report (OUTPUT_LEN elements), if it returns.
    std::optional<OutShare> result;
    /// What verify_next throws for this report, if it throws (verify_error: the message's
    /// joint-randomness seed is missing, unexpected or differs from the state's corrected seed;
    /// invalid_argument: the state is not a valid state of this instance).
    std::exception_ptr error;
  };

  /// verify_next (§7.2.2) over a batch of reports of one aggregator: report i is (states[i],
  /// messages[i]). Outcome i holds the output share verify_next(ctx, states[i], messages[i])
  /// returns (Prio3 has one round, so always an OutShare) or what it throws (verify_error, or
  /// invalid_argument for a state that is not valid); a failing report does not affect the
  /// others. The ctx argument (unnamed) is not used.
  /// Spec: §7.2.2.
  /// @param states this aggregator's verification states, one per report (not modified).
  /// @param messages the reports' verifier messages (as many as states).
  /// @return one outcome per report, in order; accepted reports get a copy of their output share.
  /// @throws invalid_argument (for the whole batch, nothing computed) if states and messages
  /// differ in length; std::bad_alloc.
  /// Constant-time in the states (seeds compared with ct_equal; which reports fail is public).
  std::vector<OutShareOutcome> verify_next_batch(CtxBytes /*ctx*/,
                                                 std::span<const VerifyState> states,
                                                 std::span<const VerifierMessage> messages) const;

  /// As verify_next_batch above, but consumes the states: each accepted report's output share is
  /// moved out of its state instead of copied (no allocation or copy per report); a rejected
  /// report's state is left as it was. Chosen for an rvalue vector (std::move(states)).
  /// Spec: §7.2.2.
  /// @param states this aggregator's verification states, one per report; accepted ones are
  ///        left without their output share (no longer valid states).
  /// @param messages the reports' verifier messages (as many as states).
  /// @return one outcome per report, in order.
  /// @throws invalid_argument (for the whole batch, nothing computed) if states and messages
  /// differ in length; std::bad_alloc.
  /// Constant-time in the states (seeds compared with ct_equal; which reports fail is public).
  std::vector<OutShareOutcome> verify_next_batch(CtxBytes /*ctx*/,
                                                 std::vector<VerifyState>&& states,
                                                 std::span<const VerifierMessage> messages) const;

  // --- flat batches: a job's reports without an object per report -------------------------

  /// The verifier shares of a batch of n reports from one aggregator, laid out flat (no object
  /// per report): what the flat verify_init_batch writes for its aggregator, or what an
  /// aggregator assembles from the shares another aggregator sent (verifier_share_batch, then
  /// put_verifier_share per decoded share). Public: verifier shares are sent in the clear.
  struct VerifierShareBatch {
    /// n·VERIFIER_LEN·PROOFS elements: report i's verifiers share is the VERIFIER_LEN·PROOFS
    /// elements from i·VERIFIER_LEN·PROOFS (zeros for a report without a share).
    std::vector<F> verifiers;
    /// n joint-randomness parts (SEED_SIZE bytes each) iff the circuit uses joint randomness,
    /// else empty.
    std::vector<Seed32> joint_rand_parts;
    /// n flags: 1 if report i has a share, 0 if not (its verify_init failed at that aggregator,
    /// or no share was put).
    std::vector<std::uint8_t> present;
    /// The number of reports in the batch.
    /// @return n, the length of `present`.
    std::size_t size() const noexcept { return present.size(); }
  };

  /// One aggregator's verification of a batch of n reports, laid out flat: the state the flat
  /// verify_init_batch leaves for verify_next_batch and agg_update_batch, with no object (and no
  /// heap allocation) per report. Reuse one VerifyBatch across jobs: its buffers are resized,
  /// not reallocated, when the next job is no larger. Holds secrets (output shares); the
  /// output shares live in wiping memory.
  struct VerifyBatch {
    /// The aggregator whose verification this is, in 0..S−1. Public.
    std::size_t agg_id = 0;
    /// OUTPUT_LEN of the instance that filled the batch (0 while empty). Public.
    std::size_t out_len = 0;
    /// This aggregator's verifier shares of the reports (to send to the other aggregators).
    VerifierShareBatch shares;
    /// n·OUTPUT_LEN elements: report i's output share is the OUTPUT_LEN elements from
    /// i·OUTPUT_LEN (zeros for a report whose verify_init failed). Secret; wiped.
    secret_vector<F> out_shares;
    /// n corrected joint-randomness seeds (SEED_SIZE bytes each) iff the circuit uses joint
    /// randomness, else empty; compared with the verifier messages in verify_next_batch.
    std::vector<Seed32> corrected_joint_rand_seeds;
    /// n entries: null while report i is still in; otherwise why it is out (invalid_argument for
    /// a malformed report, verify_error if its FLP query aborted, the proof was rejected or the
    /// joint randomness differed).
    std::vector<std::exception_ptr> errors;
    /// The number of reports in the batch.
    /// @return n, the length of `errors`.
    std::size_t size() const noexcept { return errors.size(); }
    /// Whether report i is still in (accepted, once verify_next_batch has run).
    /// @param i the report's index, below size() (not checked).
    /// @return true iff errors[i] is null. Public.
    bool ok(std::size_t i) const noexcept { return errors[i] == nullptr; }
    /// Report i's output share (meaningful while ok(i)).
    /// @param i the report's index, below size() (not checked).
    /// @return a view of its OUTPUT_LEN elements, valid until the batch changes. Secret.
    std::span<const F> out_share(std::size_t i) const noexcept {
      return std::span<const F>(out_shares).subspan(i * out_len, out_len);
    }
  };

  /// The verifier messages of a batch of n reports, laid out flat: what the flat
  /// verifier_shares_to_message_batch writes.
  struct VerifierMessageBatch {
    /// n joint-randomness seeds (SEED_SIZE bytes each) iff the circuit uses joint randomness,
    /// else empty; seed i is meaningful while errors[i] is null. To send report i's message:
    /// VerifierMessage{joint_rand_seeds[i]} (or an empty VerifierMessage without joint
    /// randomness) through encode_verifier_message.
    std::vector<Seed32> joint_rand_seeds;
    /// n entries: null if report i's proofs were accepted; otherwise why not (verify_error with
    /// reason proof_rejected, or invalid_argument if an aggregator had no share for it).
    std::vector<std::exception_ptr> errors;
    /// The number of reports in the batch.
    /// @return n, the length of `errors`.
    std::size_t size() const noexcept { return errors.size(); }
  };

  /// verify_init (§7.2.2) of aggregator `agg_id` over a batch of reports, written flat into
  /// `out`: report i's output share, verifier share (and, with joint randomness, corrected seed)
  /// at index i, or its exception in out.errors[i]. Report i's results equal what
  /// verify_init(verify_key, ctx, agg_id, agg_param, nonces[i], public_shares[i],
  /// input_shares[i]) returns or throws. The XOF streams are expanded across reports as in the
  /// batch form above; no per-report object is built, and a reused `out` allocates nothing.
  /// Spec: §7.2.2.
  /// @param verify_key the verification key, VERIFY_KEY_SIZE (32) bytes. Secret.
  /// @param ctx the application context, up to MAX_CTX_SIZE bytes.
  /// @param agg_id this aggregator's index, in 0..S−1.
  /// @param agg_param Prio3's empty aggregation parameter.
  /// @param nonces the reports' nonces, NONCE_SIZE bytes each.
  /// @param public_shares the reports' public shares (as many as nonces).
  /// @param input_shares this aggregator's input shares of the reports (as many as nonces).
  /// @param out receives the batch of n = nonces.size() reports (its previous contents are
  ///        replaced; its buffers are reused).
  /// @throws invalid_argument (for the whole batch; `out` unchanged) if the three spans differ
  /// in length, verify_key is not 32 bytes, agg_id >= S, or (with XofTurboShake128) ctx is
  /// longer than MAX_CTX_SIZE; std::bad_alloc.
  /// Constant-time in the shares (which reports are malformed or abort is public).
  void verify_init_batch(ByteSpan verify_key, CtxBytes ctx, std::size_t agg_id,
                         const AggParam& agg_param, std::span<const ByteSpan> nonces,
                         std::span<const PublicShare> public_shares,
                         std::span<const InputShare> input_shares, VerifyBatch& out) const;

  /// An empty VerifierShareBatch of n reports shaped for this instance (n·VERIFIER_LEN·PROOFS
  /// zeros, n zero parts with joint randomness, no report present), for assembling the verifier
  /// shares another aggregator sent with put_verifier_share.
  /// @param n the number of reports.
  /// @return the batch.
  /// @throws invalid_argument if n·VERIFIER_LEN·PROOFS elements would not fit in memory's
  /// address range (checked before allocating); std::bad_alloc.
  VerifierShareBatch verifier_share_batch(std::size_t n) const;

  /// Stores one report's verifier share (from decode_verifier_share, say) at index i of a
  /// VerifierShareBatch, and marks it present. Checks everything before writing.
  /// @param batch a batch shaped for this instance (verifier_share_batch or the flat
  ///        verify_init_batch).
  /// @param i the report's index, below batch.size().
  /// @param share the verifier share: VERIFIER_LEN·PROOFS elements, with a joint-randomness
  ///        part iff the circuit uses joint randomness.
  /// @throws invalid_argument (batch unchanged) if i is out of range, the batch is not shaped for
  /// this instance, or the share has the wrong length or joint-randomness part. Public data.
  void put_verifier_share(VerifierShareBatch& batch, std::size_t i,
                          const VerifierShare& share) const;

  /// Report i's verifier share out of a VerifierShareBatch, as a VerifierShare (to send it with
  /// encode_verifier_share).
  /// @param batch a batch shaped for this instance.
  /// @param i the report's index, below batch.size().
  /// @return a copy of the share.
  /// @throws invalid_argument if i is out of range, the batch is not shaped for this instance,
  /// or report i has no share (not present). Public data.
  VerifierShare verifier_share(const VerifierShareBatch& batch, std::size_t i) const;

  /// verifier_shares_to_message (§7.2.2) over a flat batch: `by_aggregator` has S pointers, the
  /// j-th to aggregator j's verifier shares of the same n reports. Report i's entry in `out`
  /// equals what verifier_shares_to_message returns (joint_rand_seeds[i]) or throws
  /// (errors[i]: verify_error if a proof is rejected, invalid_argument if an aggregator has no
  /// share for the report); a failing report does not affect the others. With joint randomness
  /// the seeds are derived together on the multi-lane Keccak. A reused `out` allocates nothing.
  /// The aggregation parameter (unnamed) is Prio3's empty AggParam.
  /// Spec: §7.2.2.
  /// @param ctx the application context, up to MAX_CTX_SIZE bytes (used only with joint
  ///        randomness).
  /// @param by_aggregator S non-null pointers to batches of equal size n, shaped for this
  ///        instance (the flat verify_init_batch's `shares`, or verifier_share_batch).
  /// @param out receives n messages (previous contents replaced, buffers reused).
  /// @throws invalid_argument (for the whole batch; `out` unchanged) if by_aggregator does not
  /// hold S non-null pointers, the batches differ in size or are not shaped for this instance,
  /// or (with joint randomness) ctx is longer than MAX_CTX_SIZE; std::bad_alloc.
  /// Works on public data.
  void verifier_shares_to_message_batch(CtxBytes ctx, const AggParam&,
                                        std::span<const VerifierShareBatch* const> by_aggregator,
                                        VerifierMessageBatch& out) const;

  /// verify_next (§7.2.2) over a flat batch: every report still in `batch` takes the outcome of
  /// its message, msgs.errors[i] if the message failed, verify_error (joint_rand_mismatch) if
  /// its corrected joint-randomness seed differs from msgs.joint_rand_seeds[i]; a report that
  /// stays in is accepted, its output share in place (batch.out_share(i)). A report already out
  /// keeps its error. The ctx argument (unnamed) is not used.
  /// Spec: §7.2.2.
  /// @param batch this aggregator's batch from the flat verify_init_batch; updated in place.
  /// @param msgs the reports' messages (the flat verifier_shares_to_message_batch), n of them.
  /// @return the number of accepted reports.
  /// @throws invalid_argument (for the whole batch; nothing changed) if msgs.size() differs from
  /// batch.size() or either is not shaped for this instance.
  /// Constant-time in the secrets (seeds compared with ct_equal; which reports fail is public).
  std::size_t verify_next_batch(CtxBytes, VerifyBatch& batch,
                                const VerifierMessageBatch& msgs) const;

  /// agg_update (§7.2.4) of every accepted report of a flat batch: agg_share += the output
  /// share of each report i with batch.ok(i). Checks shapes before touching the aggregate. The
  /// aggregation parameter (unnamed) is Prio3's empty AggParam.
  /// Spec: §7.2.4.
  /// @param agg_share the aggregate share to update, OUTPUT_LEN elements.
  /// @param batch a batch after verify_next_batch (reports still in are added).
  /// @return the number of output shares added.
  /// @throws invalid_argument (agg_share unchanged) if agg_share is not OUTPUT_LEN elements or
  /// the batch is not shaped for this instance.
  /// Constant-time in the shares (which reports are added is public).
  std::size_t agg_update_batch(const AggParam&, AggShare& agg_share,
                               const VerifyBatch& batch) const;

 private:
  /// Throws invalid_argument (naming `where`) unless `b` is shaped for this instance:
  /// n·VERIFIER_LEN·PROOFS verifiers and, with joint randomness, n parts, for n = b.size().
  void check_share_batch(const VerifierShareBatch& b, const char* where) const;
  /// Throws invalid_argument (naming `where`) unless `b` is shaped as this instance's flat
  /// verify_init_batch leaves it.
  void check_verify_batch(const VerifyBatch& b, const char* where) const;

  /// The checks and FLP decisions of verifier_shares_to_message for one report whose S verifier
  /// shares are get(0), …, get(S−1); `verifiers` (VERIFIER_LEN·PROOFS elements) is scratch.
  template <class Get>
  void decide_report(const Get& get, std::span<F> verifiers) const {
    const std::size_t vl = verifier_len(), P = proofs_;
    const bool jr = uses_joint_rand();
    std::fill(verifiers.begin(), verifiers.end(), F::zero());
    for (std::size_t j = 0; j < shares_; ++j) {
      const VerifierShare& s = get(j);
      VDAF_ARG_CHECK(s.verifiers_share.size() == vl * P, "Prio3: verifier share has wrong length");
      VDAF_ARG_CHECK(s.joint_rand_part.has_value() == jr,
                     "Prio3: verifier share joint-rand part mismatch");
      vec_add<F>(verifiers, std::span<const F>(s.verifiers_share));
    }
    decide_verifiers(verifiers);
  }
  /// The FLP decision of every proof on the summed verifier (VERIFIER_LEN·PROOFS elements):
  /// returns if all are accepted, else throws verify_error (proof_rejected, naming the proof).
  void decide_verifiers(std::span<const F> verifiers) const {
    const std::size_t vl = verifier_len();
    for (std::size_t k = 0; k < proofs_; ++k) {
      if (!flp_.decide(verifiers.subspan(k * vl, vl))) {
        VDAF_VERIFY_FAIL(
            proof_rejected,
            "Prio3: rejected: proof " + std::to_string(k) + " does not verify (FLP decide)", k);
      }
    }
  }
  /// The verifier messages' joint-randomness seeds (§7.2.2) of the reports in `accepted`: for
  /// each i there, seed_out(i) = derive_seed(zeros(32), tag, part(0, i) ‖ … ‖ part(S−1, i)),
  /// part(j, i) being aggregator j's part (SEED_SIZE bytes). With XofTurboShake128 the reports'
  /// sponges run together on the multi-lane Keccak.
  template <class Part, class Out>
  void joint_rand_seeds_many(ByteSpan tag, std::span<const std::size_t> accepted, const Part& part,
                             const Out& seed_out) const {
    const std::uint8_t zeros[SEED_SIZE] = {};
    if constexpr (!std::is_same_v<X, XofTurboShake128>) {
      for (const std::size_t i : accepted) {
        X x(typename X::Streaming{}, ByteSpan(zeros, SEED_SIZE), tag);
        for (std::size_t j = 0; j < shares_; ++j) x.absorb_binder(part(j, i));
        x.finish_binder();
        x.next(seed_out(i));
      }
    } else {
      constexpr std::size_t kGroup = TurboShake128::BATCH_GROUP;
      for (std::size_t g = 0; g < accepted.size(); g += kGroup) {
        const std::size_t m = std::min(kGroup, accepted.size() - g);
        InplaceArray<X, kGroup> xs;
        X* px[kGroup];
        ByteSpan parts[kGroup];
        for (std::size_t k = 0; k < m; ++k) {
          xs.emplace_back(typename X::Streaming{}, ByteSpan(zeros, SEED_SIZE), tag);
          px[k] = &xs[k];
        }
        const std::span<X* const> pxs(px, m);
        for (std::size_t j = 0; j < shares_; ++j) {
          for (std::size_t k = 0; k < m; ++k) parts[k] = part(j, accepted[g + k]);
          X::absorb_binder_many(pxs, std::span<const ByteSpan>(parts, m));
        }
        X::finish_binder_many(pxs);
        for (std::size_t k = 0; k < m; ++k) px[k]->next(seed_out(accepted[g + k]));
      }
    }
  }
  /// The checks of verify_next for one report: returns if the message fits the state, else
  /// throws verify_error (invalid_argument if the state is not a valid state).
  void check_next(const VerifyState& state, const VerifierMessage& msg) const {
    check_state(state, "Prio3 verify_next");
    if (state.corrected_joint_rand_seed.has_value() != msg.joint_rand_seed.has_value()) {
      VDAF_VERIFY_FAIL(message_mismatch,
                       "Prio3 verify_next: rejected: the verifier message does not match the "
                       "state's joint randomness use");
    }
    if (msg.joint_rand_seed)
      check_joint_rand(*msg.joint_rand_seed, *state.corrected_joint_rand_seed);
  }
  /// Throws verify_error (joint_rand_mismatch) unless the message's joint-randomness seed equals
  /// the corrected one (constant-time compare; the verdict is public, the seeds stay secret).
  void check_joint_rand(const Seed32& msg_seed, const Seed32& corrected) const {
    if (!ct::declassify(ct_equal(msg_seed, corrected))) {
      VDAF_VERIFY_FAIL(joint_rand_mismatch,
                       "Prio3 verify_next: rejected: joint randomness check failed (the "
                       "aggregators derived different joint randomness)");
    }
  }
  /// verify_next of one report: the output share, or verify_error.
  OutShare next_out_share(const VerifyState& state, const VerifierMessage& msg) const {
    check_next(state, msg);
    return OutShare(state.out_share);
  }

  /// Throws invalid_argument (naming `where`) unless `state` is a state this instance's
  /// verify_init could have made: agg_id < S, OUTPUT_LEN elements, a corrected joint-randomness
  /// seed iff the circuit uses joint randomness.
  void check_state(const VerifyState& state, const char* where) const {
    VDAF_ARG_CHECK(state.agg_id < shares_, std::string(where) + ": state's agg_id out of range");
    VDAF_ARG_CHECK(
        state.out_share.size() == output_len(),
        std::string(where) + ": not a verification state of this instance (output share has " +
            std::to_string(state.out_share.size()) + " elements, OUTPUT_LEN is " +
            std::to_string(output_len()) + "; a default-constructed or already consumed state?)");
    VDAF_ARG_CHECK(state.corrected_joint_rand_seed.has_value() == uses_joint_rand(),
                   std::string(where) + ": state's joint-randomness seed " +
                       (uses_joint_rand() ? "missing" : "present") +
                       " (not a state of this instance)");
  }

 public:
  /// Checks that `st` is a valid state of this instance for ping-pong round `round` (Prio3 has
  /// one round: 0). PingPong calls this on every state it restores or steps. The aggregation
  /// parameter (unnamed) is Prio3's empty AggParam.
  /// @param st the state to check: agg_id < S, OUTPUT_LEN output-share elements, a corrected
  ///        joint-randomness seed iff the circuit uses joint randomness.
  /// @param round the ping-pong round the state is used in; must be 0.
  /// @throws invalid_argument otherwise (see verify_next). Checks lengths only (public).
  void check_verify_state(const AggParam&, const VerifyState& st, std::size_t round) const {
    check_state(st, "Prio3 verify state");
    VDAF_ARG_CHECK(round == 0, "Prio3: a verify state used in round " + std::to_string(round) +
                                   " (Prio3 has one round)");
  }

  // --- stored state (vdaf-cpp's own format, core/stored.hpp) -----------------

  /// Encodes a verification state so an aggregator can keep it between verify_init and
  /// verify_next (a database row, a file). Layout: the 14-byte stored header (kind
  /// prio3_verify_state, this instance's ID and digest) ‖ u8 agg_id ‖ the output share
  /// (OUTPUT_LEN elements, Fe bytes each) ‖ the corrected joint-randomness seed (32 bytes, iff
  /// the circuit uses joint randomness). Size 15 + Fe·OUTPUT_LEN [+ 32] bytes.
  /// @param state a state of this instance (from verify_init or decode_verify_state).
  /// @return the encoding, in wiping memory (it holds the output share, a secret).
  /// @throws invalid_argument if `state` is not a valid state of this instance.
  /// Constant-time in the state's secrets.
  SecretBytes encode_verify_state(const VerifyState& state) const;

  /// Decodes what encode_verify_state made, with the same instance (same ID and parameters).
  /// Checks everything before allocating: the header, agg_id < S, the exact length, canonical
  /// elements.
  /// @param b the encoding: 15 + Fe·OUTPUT_LEN [+ 32] bytes, as encode_verify_state made it.
  /// @return the state, ready for verify_next.
  /// @throws decode_error (saying what) on another format version or kind, another VDAF or
  /// other parameters, a truncated or over-long encoding, agg_id >= S or a non-canonical
  /// element. Constant-time in the secrets (lengths and agg_id are public).
  VerifyState decode_verify_state(ByteSpan b) const;

  /// A fresh aggregate share, to which agg_update adds output shares. The aggregation parameter
  /// (unnamed) is Prio3's empty AggParam.
  /// Spec: §7.2.4 (agg_init).
  /// @return OUTPUT_LEN zeros.
  AggShare agg_init(const AggParam&) const { return AggShare(output_len(), F::zero()); }

  /// Adds an output share into an aggregate share: agg_share += out_share, element-wise.
  /// Checks lengths before touching the aggregate. The aggregation parameter (unnamed) is
  /// Prio3's empty AggParam.
  /// Spec: §7.2.4 (agg_update; updates in place instead of returning the sum).
  /// @param agg_share the aggregate share to update, OUTPUT_LEN elements.
  /// @param out_share an output share from verify_next, OUTPUT_LEN elements.
  /// @throws invalid_argument on a length mismatch (agg_share then unchanged). Constant-time.
  void agg_update(const AggParam&, AggShare& agg_share, const OutShare& out_share) const;

  /// Sums aggregate shares element-wise (e.g. the partial aggregates of one aggregator).
  /// Spec: §7.2.4 (merge).
  /// @param ap Prio3's empty aggregation parameter.
  /// @param agg_shares any number of aggregate shares, OUTPUT_LEN elements each.
  /// @return their sum, OUTPUT_LEN elements (zeros if agg_shares is empty).
  /// @throws invalid_argument on a length mismatch. Constant-time.
  AggShare merge(const AggParam& ap, std::span<const AggShare> agg_shares) const;

  /// Sums the S aggregate shares and decodes the aggregate result (the collector's step).
  /// Spec: §7.2.5.
  /// No silent wrap: the aggregate is computed modulo the field's p, so unshard refuses when
  /// num_measurements × (the largest value one measurement adds to an output element: 1 for
  /// Count, Histogram and MultihotCountVec, max_measurement for Sum and SumVec, max_value for
  /// L1BoundSum, 2 for HigherDegree) could reach p; below that bound the result is exact.
  /// @throws invalid_argument if the number or length of shares is wrong,
  /// num_measurements == 0, or the aggregate could have wrapped (the message says the bound).
  /// @param ap Prio3's empty aggregation parameter.
  /// @param agg_shares the S aggregate shares, one per aggregator, OUTPUT_LEN elements each.
  /// @param num_measurements the number of measurements aggregated, at least 1.
  /// @return the aggregate result, as the circuit decodes it (e.g. a count, a sum, a vector of
  ///         sums). Not constant-time: the result is the collector's public output.
  AggResult unshard(const AggParam& ap, std::span<const AggShare> agg_shares,
                    std::uint64_t num_measurements) const;

  // --- encodings (§7.2.7) --------------------------------------------------

  /// Encodes a public share: part_0 ‖ … ‖ part_{S−1} (32·S bytes) with joint randomness, else
  /// the empty string. Does not check the number of parts.
  /// Spec: §7.2.7.1.
  /// @param ps the public share.
  /// @return 32·len(ps.joint_rand_parts) bytes. Public data.
  Bytes encode_public_share(const PublicShare& ps) const;
  /// Decodes a public share of this instance.
  /// Spec: §7.2.7.1.
  /// @param b the encoding: 32·S bytes with joint randomness, else empty.
  /// @return the public share (S parts with joint randomness, else none).
  /// @throws decode_error on a wrong length. Public data.
  PublicShare decode_public_share(ByteSpan b) const;

  /// Encodes an input share: the leader's meas_share (Fe·MEAS_LEN bytes) ‖ proofs_share
  /// (Fe·PROOF_LEN·PROOFS), a helper's seed (32); then the blind (32) iff it has one. Does not
  /// check the lengths against this instance.
  /// Spec: §7.2.7.2.
  /// @param s the input share.
  /// @return the encoding. It holds secrets but is ordinary (non-wiping) memory: wipe it
  ///         (secure_zero) once it is encrypted. Constant-time.
  Bytes encode_input_share(const InputShare& s) const;
  /// Decodes the input share of aggregator `agg_id`: the leader's kind for 0, a helper's
  /// otherwise.
  /// Spec: §7.2.7.2.
  /// @param agg_id the aggregator the share is for, in 0..S−1.
  /// @param b the encoding: Fe·(MEAS_LEN + PROOF_LEN·PROOFS) bytes for the leader, 32 for a
  ///        helper, plus 32 (the blind) with joint randomness.
  /// @return the input share.
  /// @throws decode_error on a wrong length or non-canonical element;
  /// invalid_argument if agg_id >= S. Rejection is not constant-time (it reveals that the
  /// encoding was malformed); an accepted share is decoded without secret-dependent branches.
  InputShare decode_input_share(std::size_t agg_id, ByteSpan b) const;

  /// Encodes a verifier share: verifiers_share (Fe·VERIFIER_LEN·PROOFS bytes) ‖ the
  /// joint-randomness part (32) iff it has one.
  /// Spec: §7.2.7.3.
  /// @param vs the verifier share.
  /// @return the encoding. Public data.
  Bytes encode_verifier_share(const VerifierShare& vs) const;
  /// Decodes a verifier share of this instance. The state argument (unnamed) is not used: the
  /// shape depends on the instance only.
  /// Spec: §7.2.7.3.
  /// @param b the encoding: Fe·VERIFIER_LEN·PROOFS bytes, plus 32 with joint randomness.
  /// @return the verifier share.
  /// @throws decode_error on a wrong length or non-canonical element. Public data.
  VerifierShare decode_verifier_share(const VerifyState&, ByteSpan b) const;

  /// Encodes a verifier message: the joint-randomness seed (32 bytes) if it has one, else the
  /// empty string.
  /// Spec: §7.2.7.4.
  /// @param m the verifier message.
  /// @return 0 or 32 bytes. Public data.
  Bytes encode_verifier_message(const VerifierMessage& m) const;
  /// Decodes a verifier message of this instance. The state argument (unnamed) is not used.
  /// Spec: §7.2.7.4.
  /// @param b the encoding: 32 bytes with joint randomness, else empty.
  /// @return the verifier message.
  /// @throws decode_error on a wrong length. Public data.
  VerifierMessage decode_verifier_message(const VerifyState&, ByteSpan b) const;

  /// Encodes Prio3's aggregation parameter (the argument, unnamed, carries nothing).
  /// Spec: §7.2 (AggParam is None, encoded as the empty string).
  /// @return the empty string.
  Bytes encode_agg_param(const AggParam&) const { return {}; }
  /// Decodes Prio3's aggregation parameter.
  /// Spec: §7.2 (AggParam is None).
  /// @param b the encoding; must be empty.
  /// @return the (empty) aggregation parameter.
  /// @throws decode_error unless b is empty.
  AggParam decode_agg_param(ByteSpan b) const;

  /// Encodes an output share: OUTPUT_LEN elements, Fe bytes each.
  /// Spec: §7.2.7.5.
  /// @param s the output share.
  /// @return Fe·len(s) bytes, in ordinary (non-wiping) memory although the share is secret.
  ///         Constant-time.
  Bytes encode_out_share(const OutShare& s) const { return F::encode_vec(std::span<const F>(s)); }
  /// Encodes an aggregate share: OUTPUT_LEN elements, Fe bytes each (what an aggregator sends
  /// to the collector).
  /// Spec: §7.2.7.5.
  /// @param s the aggregate share.
  /// @return Fe·len(s) bytes, in ordinary (non-wiping) memory. Constant-time.
  Bytes encode_agg_share(const AggShare& s) const { return F::encode_vec(std::span<const F>(s)); }
  /// Decodes an aggregate share of this instance. The aggregation parameter (unnamed) is
  /// Prio3's empty AggParam.
  /// Spec: §7.2.7.5.
  /// @param b the encoding: Fe·OUTPUT_LEN bytes.
  /// @return the aggregate share, OUTPUT_LEN elements.
  /// @throws decode_error on a wrong length or non-canonical element. Rejection is not
  /// constant-time; an accepted share is decoded without secret-dependent branches.
  AggShare decode_agg_share(const AggParam&, ByteSpan b) const;
  /// Decodes an output share of this instance (same encoding as an aggregate share).
  /// Spec: §7.2.7.5.
  /// @param ap Prio3's empty aggregation parameter.
  /// @param b the encoding: Fe·OUTPUT_LEN bytes.
  /// @return the output share, OUTPUT_LEN elements.
  /// @throws decode_error on a wrong length or non-canonical element. Rejection is not
  /// constant-time; an accepted share is decoded without secret-dependent branches.
  OutShare decode_out_share(const AggParam& ap, ByteSpan b) const;

 private:
  static constexpr std::uint16_t kUsageMeasShare = 1, kUsageProofShare = 2,
                                 kUsageJointRandomness = 3, kUsageProveRandomness = 4,
                                 kUsageQueryRandomness = 5, kUsageJointRandSeed = 6,
                                 kUsageJointRandPart = 7;

  static std::string u128_string(uint128 v) {
    std::string s;
    do {
      s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
      v /= 10;
    } while (v != 0);
    return s;
  }

  static Seed32 read_seed(Reader& r) {
    Seed32 s;
    ByteSpan b = r.take(32);
    std::copy(b.begin(), b.end(), s.begin());
    return s;
  }

  /// Helper j's expansions from its seed: the measurement share (ml elements, dst usage 1,
  /// binder byte(j)) into meas_out unless it is empty (already expanded) and the proofs share
  /// (PROOF_LEN·PROOFS, usage 2, binder byte(PROOFS) ‖ byte(j)) into proofs_out; plus, if out3 is
  /// not empty, the stream (seed3, usage3, binder3) into out3 (prove or query randomness). With
  /// XofTurboShake128 the streams are expanded together (XofTurboShake128::expand_many, multi-lane
  /// Keccak).
  void expand_helper_streams(ByteSpan ctx, std::size_t j, ByteSpan seed, std::span<F> meas_out,
                             std::span<F> proofs_out, ByteSpan seed3, std::uint16_t usage3,
                             std::array<ByteSpan, 2> binder3, std::span<F> out3) const {
    const std::uint8_t jb[1] = {static_cast<std::uint8_t>(j)};
    const std::uint8_t pj[2] = {static_cast<std::uint8_t>(proofs_), static_cast<std::uint8_t>(j)};
    if constexpr (std::is_same_v<X, XofTurboShake128>) {
      DstBuffer dm(0, id_, ctx, kMaxDst), dp(0, id_, ctx, kMaxDst), d3(0, id_, ctx, kMaxDst);
      XofExpandRequest<F> reqs[3];
      std::size_t nr = 0;
      if (!meas_out.empty())
        reqs[nr++] = {seed, dm.get(kUsageMeasShare), {ByteSpan(jb), ByteSpan()}, meas_out};
      reqs[nr++] = {seed, dp.get(kUsageProofShare), {ByteSpan(pj), ByteSpan()}, proofs_out};
      if (!out3.empty()) reqs[nr++] = {seed3, d3.get(usage3), binder3, out3};
      X::template expand_many<F>(std::span<const XofExpandRequest<F>>(reqs, nr));
    } else {
      DstBuffer d(0, id_, ctx, kMaxDst);
      if (!meas_out.empty()) {
        X x(seed, d.get(kUsageMeasShare), jb);
        x.template next_vec_into<F>(meas_out);
      }
      {
        X x(seed, d.get(kUsageProofShare), pj);
        x.template next_vec_into<F>(proofs_out);
      }
      if (!out3.empty()) {
        X x(seed3, d.get(usage3), {binder3[0], binder3[1]});
        x.template next_vec_into<F>(out3);
      }
    }
  }
  /// Helper j's measurement share, expand_into_vec(seed, dst(USAGE_MEAS_SHARE), byte(j),
  /// MEAS_LEN) into `meas`, and its joint-randomness part, derive_seed(blind,
  /// dst(USAGE_JOINT_RAND_PART), byte(j) ‖ nonce ‖ encode_vec(meas)) into `part`, in one pass:
  /// the sampled bytes are the encoding of the share, so the part's stream absorbs the bytes the
  /// share's stream gives, and the two streams' permutations run together
  /// (XofTurboShake128::next_into_binder). Returns false if a sample was rejected (§6.2; a
  /// public event of probability about MEAS_LEN·2^−32 for Field64, MEAS_LEN·2^−59 for Field128),
  /// `meas` and `part` then unspecified: the caller takes the two-pass path. Constant-time
  /// otherwise.
  /// For XofTurboShake128 instances only (the caller checks; written against that XOF rather
  /// than X, with no constraint, because explicit instantiations of other instances, as in
  /// src/, instantiate every member under clang 14).
  bool helper_meas_share_and_part(DstBuffer& dsts, std::size_t j, ByteSpan seed, ByteSpan blind,
                                  ByteSpan nonce, std::span<F> meas, Seed32& part) const {
    using Xts = XofTurboShake128;
    const std::uint8_t jb[1] = {static_cast<std::uint8_t>(j)};
    Xts share(seed, dsts.get(kUsageMeasShare), ByteSpan(jb));
    Xts hash(Xts::Streaming{}, blind, dsts.get(kUsageJointRandPart));
    hash.absorb_binder(jb);
    hash.absorb_binder(nonce);
    constexpr std::size_t kChunk = 64;
    std::uint8_t buf[kChunk * F::ENCODED_SIZE];
    std::uint64_t rejected = 0;
    for (std::size_t i = 0; i < meas.size(); i += kChunk) {
      const std::size_t n = std::min(kChunk, meas.size() - i);
      Xts::next_into_binder(share, hash, std::span<std::uint8_t>(buf, n * F::ENCODED_SIZE));
      for (std::size_t k = 0; k < n; ++k)
        rejected |= F::sample_from(buf + k * F::ENCODED_SIZE, meas[i + k]);
    }
    secure_zero(buf, sizeof buf);
    if (ct::declassify(rejected) != 0) return false;  // public (rejection) event
    hash.finish_binder();
    hash.next(part);
    return true;
  }
  /// derive_seed(blind, dst(7), byte(j) ‖ nonce ‖ encode_vec(meas_share)), streamed.
  Seed32 joint_rand_part(DstBuffer& dsts, std::size_t j, ByteSpan blind, ByteSpan nonce,
                         std::span<const F> meas_share) const {
    X x(typename X::Streaming{}, blind, dsts.get(kUsageJointRandPart));
    const std::uint8_t jb[1] = {static_cast<std::uint8_t>(j)};
    x.absorb_binder(jb);
    x.absorb_binder(nonce);
    constexpr std::size_t kChunk = 64;
    std::uint8_t buf[kChunk * F::ENCODED_SIZE];
    for (std::size_t i = 0; i < meas_share.size(); i += kChunk) {
      const std::size_t n = std::min(kChunk, meas_share.size() - i);
      for (std::size_t k = 0; k < n; ++k) meas_share[i + k].encode_to(buf + k * F::ENCODED_SIZE);
      x.absorb_binder(ByteSpan(buf, n * F::ENCODED_SIZE));
    }
    secure_zero(buf, sizeof buf);
    x.finish_binder();
    Seed32 out;
    x.next(out);
    return out;
  }
  /// joint_rand_part for several streams at once (XofTurboShake128 only): out[k] =
  /// derive_seed(blinds[k], dst(7), byte(js[k]) ‖ nonces[k] ‖ encode_vec(meas[k])), the streams
  /// absorbed in lockstep on the multi-lane Keccak: several reports of one aggregator
  /// (verify_init_batch), or one report's aggregators (shard). All meas[k] have MEAS_LEN
  /// elements; every span has out.size() entries, js[k] < 256.
  void joint_rand_parts_many(ByteSpan ctx, std::span<const std::uint8_t> js,
                             std::span<const ByteSpan> blinds, std::span<const ByteSpan> nonces,
                             std::span<const std::span<const F>> meas,
                             std::span<Seed32> out) const {
    constexpr std::size_t kMax = REPORT_GROUP, kChunk = 64;
    DstBuffer d(0, id_, ctx, kMaxDst);
    const ByteSpan tag = d.get(kUsageJointRandPart);
    for (std::size_t g = 0; g < out.size(); g += kMax) {
      const std::size_t n = std::min(kMax, out.size() - g);
      InplaceArray<X, kMax> xs;
      X* px[kMax];
      ByteSpan pieces[kMax];
      for (std::size_t k = 0; k < n; ++k) {
        xs.emplace_back(typename X::Streaming{}, blinds[g + k], tag);
        px[k] = &xs[k];
        pieces[k] = js.subspan(g + k, 1);
      }
      const std::span<X* const> pxs(px, n);
      X::absorb_binder_many(pxs, std::span<const ByteSpan>(pieces, n));
      X::absorb_binder_many(pxs, nonces.subspan(g, n));
      std::uint8_t buf[kMax][kChunk * F::ENCODED_SIZE];
      const std::size_t ml = meas_len();
      for (std::size_t i = 0; i < ml; i += kChunk) {
        const std::size_t c = std::min(kChunk, ml - i);
        for (std::size_t k = 0; k < n; ++k) {
          for (std::size_t e = 0; e < c; ++e) {
            meas[g + k][i + e].encode_to(buf[k] + e * F::ENCODED_SIZE);
          }
          pieces[k] = ByteSpan(buf[k], c * F::ENCODED_SIZE);
        }
        X::absorb_binder_many(pxs, std::span<const ByteSpan>(pieces, n));
      }
      secure_zero(buf, sizeof buf);
      X::finish_binder_many(pxs);
      for (std::size_t k = 0; k < n; ++k) xs[k].next(out[g + k]);
    }
  }
  /// derive_seed(zeros(32), dst(6), part_0 ‖ … ‖ part_{S−1}), where part_{replace_idx} is taken
  /// from `*replacement` instead when `replacement` is not null.
  Seed32 joint_rand_seed(DstBuffer& dsts, std::span<const Seed32> parts,
                         std::size_t replace_idx = 0, const Seed32* replacement = nullptr) const {
    const std::uint8_t zeros[SEED_SIZE] = {};
    X x(typename X::Streaming{}, ByteSpan(zeros, SEED_SIZE), dsts.get(kUsageJointRandSeed));
    for (std::size_t i = 0; i < parts.size(); ++i) {
      x.absorb_binder(replacement != nullptr && i == replace_idx ? *replacement : parts[i]);
    }
    x.finish_binder();
    Seed32 out;
    x.next(out);
    return out;
  }
  /// expand(seed, dst(3), byte(PROOFS)): JOINT_RAND_LEN·PROOFS elements into `out`.
  void joint_rands_from_seed(DstBuffer& dsts, const Seed32& seed, std::span<F> out) const {
    const std::uint8_t binder[1] = {static_cast<std::uint8_t>(proofs_)};
    X x(seed, dsts.get(kUsageJointRandomness), binder);
    x.template next_vec_into<F>(out);
  }
  void check_input_share(std::size_t agg_id, const InputShare& s) const {
    if (agg_id == 0) {
      VDAF_ARG_CHECK(s.is_leader(), "Prio3: aggregator 0 needs the leader's input share");
      VDAF_ARG_CHECK(
          s.meas_share.size() == meas_len() && s.proofs_share.size() == proof_len() * proofs_,
          "Prio3: leader input share has wrong length");
    } else {
      VDAF_ARG_CHECK(!s.is_leader(), "Prio3: a helper needs a helper input share");
    }
    VDAF_ARG_CHECK(s.blind.has_value() == uses_joint_rand(), "Prio3: input share blind mismatch");
  }
  void check_public_share(const PublicShare& ps) const {
    VDAF_ARG_CHECK(ps.joint_rand_parts.size() == (uses_joint_rand() ? shares_ : 0),
                   "Prio3: public share has the wrong number of joint-rand parts");
  }

  InstanceDigest compute_digest() const {
    InstanceDigestBuilder b("Prio3");
    b.u64(id_).u64(shares_).u64(proofs_);
    if constexpr (requires { X::NAME; }) {
      const std::string_view name = X::NAME;
      b.bytes(ByteSpan(reinterpret_cast<const std::uint8_t*>(name.data()), name.size()));
    } else {
      b.u64(X::SEED_SIZE);
    }
    std::uint8_t minus_one[F::ENCODED_SIZE];
    (F::zero() - F::one()).encode_to(minus_one);
    b.bytes(ByteSpan(minus_one, F::ENCODED_SIZE));  // p − 1: identifies the field
    const V& v = flp_.valid();
    if constexpr (requires { v.length(); }) b.u64(1).u64(v.length());
    if constexpr (requires { v.max_measurement(); }) b.u64(2).u64(v.max_measurement());
    if constexpr (requires { v.max_weight(); }) b.u64(3).u64(v.max_weight());
    if constexpr (requires { v.chunk_length(); }) b.u64(4).u64(v.chunk_length());
    if constexpr (requires { v.max_value(); }) b.u64(5).u64(v.max_value());
    b.u64(0);
    b.u64(meas_len()).u64(output_len()).u64(proof_len()).u64(verifier_len());
    b.u64(joint_rand_len()).u64(flp_.prove_rand_len()).u64(flp_.query_rand_len());
    const auto& gs = v.gadgets();
    const auto& calls = v.gadget_calls();
    b.u64(gs.size());
    for (std::size_t g = 0; g < gs.size(); ++g) {
      b.u64(gs[g].arity()).u64(gs[g].degree()).u64(calls[g]);
    }
    return b.finish();
  }

  FlpBBCGGI19<V> flp_;
  std::size_t shares_, proofs_;
  std::uint32_t id_;
  InstanceDigest digest_{};
};

// The bodies of the heavier members, outside the class so that they are not inline: an
// `extern template class` declaration (vdaf/prio3/extern.hpp) then keeps a translation unit
// from instantiating them (the compiled target vdaf::vdaf_compiled holds them).

template <Valid V, class X>
Prio3<V, X>::Prio3(V valid, std::size_t shares, std::size_t num_proofs, std::uint32_t id)
    : flp_(std::move(valid)), shares_(shares), proofs_(num_proofs), id_(id) {
  VDAF_ARG_CHECK(shares >= 2 && shares <= 255,
                 "Prio3: shares must be in 2..255, got " + std::to_string(shares));
  VDAF_ARG_CHECK(num_proofs >= 1 && num_proofs <= 255,
                 "Prio3: num_proofs must be in 1..255, got " + std::to_string(num_proofs));
  VDAF_ARG_CHECK(
      flp_.proof_len() <= FlpLimits::MAX_PROOFS_LEN / num_proofs,
      detail::limit_message("Prio3", "PROOF_LEN·PROOFS",
                            static_cast<unsigned long long>(flp_.proof_len()) * num_proofs,
                            FlpLimits::MAX_PROOFS_LEN, "FlpLimits::MAX_PROOFS_LEN"));
  digest_ = compute_digest();
}

template <Valid V, class X>
auto Prio3<V, X>::shard(CtxBytes ctx, const Measurement& measurement, ByteSpan nonce,
                        ByteSpan rand) const -> ShardResult {
  VDAF_ARG_CHECK(nonce.size() == NONCE_SIZE,
                 "Prio3 shard: nonce must be 16 bytes, got " + std::to_string(nonce.size()));
  VDAF_ARG_CHECK(rand.size() == rand_size(), "Prio3 shard: rand must be " +
                                                 std::to_string(rand_size()) + " bytes, got " +
                                                 std::to_string(rand.size()));
  const bool jr = uses_joint_rand();
  const std::size_t S = shares_, P = proofs_, ml = meas_len();
  // The measurement's public shape first, before anything is sized for it.
  if constexpr (requires { flp_.valid().check_shape(measurement); }) {
    flp_.valid().check_shape(measurement);
  }
  DstBuffer dsts(0, id_, ctx, kMaxDst);
  SecretScratch<F> meas(ml);
  flp_.valid().encode(measurement, meas.span());

  // Split rand into seeds (§7.2.1): helper j's seed [and blind], then [the leader's blind and]
  // the prove seed.
  const std::size_t per_helper = jr ? 2 * SEED_SIZE : SEED_SIZE;
  auto helper_seed = [&](std::size_t j) { return rand.subspan((j - 1) * per_helper, SEED_SIZE); };
  auto helper_blind = [&](std::size_t j) {
    return rand.subspan((j - 1) * per_helper + SEED_SIZE, SEED_SIZE);
  };
  std::size_t off = (S - 1) * per_helper;
  ByteSpan leader_blind;
  if (jr) {
    leader_blind = rand.subspan(off, SEED_SIZE);
    off += SEED_SIZE;
  }
  ByteSpan prove_seed = rand.subspan(off, SEED_SIZE);

  ShardResult res;
  std::copy(nonce.begin(), nonce.end(), res.nonce.begin());
  res.input_shares.resize(S);
  InputShare& leader = res.input_shares[0];
  const std::size_t prl = flp_.prove_rand_len(), jrl = flp_.joint_rand_len(), pl = proof_len();
  leader.meas_share.assign(meas.data(), meas.data() + ml);
  leader.proofs_share.assign(pl * P, F::zero());  // minus the helpers' shares; proof added last
  std::vector<Seed32> parts(jr ? S : 0);
  SecretScratch<F> prove_rands(prl * P);
  {
    // Helper j's measurement and proof shares (and, with j = 1, the prove randomness) are
    // independent streams: expanded together. The joint-randomness parts, which absorb whole
    // measurement shares, are computed for groups of up to G aggregators at once (the streams in
    // lockstep on the multi-lane Keccak with XofTurboShake128): helpers group by group, the
    // leader's (known once every helper's share is subtracted) in the last group if it has room.
    constexpr std::size_t kG = std::is_same_v<X, XofTurboShake128> ? REPORT_GROUP : 1;
    const std::size_t G = jr ? std::min(kG, S - 1) : 1;
    SecretScratch<F> hm(G * ml), hp(pl * P);
    const std::uint8_t p8[1] = {static_cast<std::uint8_t>(P)};
    bool leader_done = !jr;
    for (std::size_t j0 = 1; j0 < S; j0 += G) {
      const std::size_t cnt = std::min(G, S - j0);
      for (std::size_t c = 0; c < cnt; ++c) {
        const std::size_t j = j0 + c;
        const std::span<F> hmj = hm.span().subspan(jr ? c * ml : 0, ml);
        expand_helper_streams(ctx, j, helper_seed(j), hmj, hp.span(), prove_seed,
                              kUsageProveRandomness, {ByteSpan(p8), ByteSpan()},
                              j == 1 ? prove_rands.span() : std::span<F>());
        vec_sub<F>(std::span<F>(leader.meas_share), std::span<const F>(hmj));
        vec_sub<F>(std::span<F>(leader.proofs_share), std::span<const F>(hp));
        res.input_shares[j].seed.emplace(helper_seed(j));
        if (jr) res.input_shares[j].blind.emplace(helper_blind(j));
      }
      if (!jr) continue;
      // Lanes: helpers j0 .. j0 + cnt − 1, then the leader if this is the last group.
      const bool with_leader = j0 + cnt == S && cnt < kG;
      const std::size_t lanes = cnt + (with_leader ? 1 : 0);
      std::uint8_t js[kG + 1];
      ByteSpan blinds[kG + 1], nonces[kG + 1];
      std::span<const F> ms[kG + 1];
      for (std::size_t c = 0; c < lanes; ++c) {
        const bool is_leader = c == cnt;
        js[c] = static_cast<std::uint8_t>(is_leader ? 0 : j0 + c);
        blinds[c] = is_leader ? leader_blind : helper_blind(j0 + c);
        nonces[c] = nonce;
        ms[c] = is_leader ? std::span<const F>(leader.meas_share)
                          : std::span<const F>(hm.span().subspan(c * ml, ml));
      }
      if constexpr (std::is_same_v<X, XofTurboShake128>) {
        Seed32 got[kG + 1];
        joint_rand_parts_many(
            ctx, std::span<const std::uint8_t>(js, lanes), std::span<const ByteSpan>(blinds, lanes),
            std::span<const ByteSpan>(nonces, lanes),
            std::span<const std::span<const F>>(ms, lanes), std::span<Seed32>(got, lanes));
        for (std::size_t c = 0; c < lanes; ++c) parts[js[c]] = got[c];
      } else {
        for (std::size_t c = 0; c < lanes; ++c) {
          parts[js[c]] = joint_rand_part(dsts, js[c], blinds[c], nonce, ms[c]);
        }
      }
      leader_done = leader_done || with_leader;
    }
    if (!leader_done) parts[0] = joint_rand_part(dsts, 0, leader_blind, nonce, leader.meas_share);
  }
  SecretScratch<F> joint_rands(jr ? jrl * P : 0);
  if (jr) {
    leader.blind.emplace(leader_blind);
    joint_rands_from_seed(dsts, joint_rand_seed(dsts, parts), joint_rands.span());
  }
  // Proofs (§7.2.1): one per PROOFS, each with its own randomness slices.
  {
    SecretScratch<F> proofs(pl * P);
    for (std::size_t k = 0; k < P; ++k) {
      flp_.prove(std::span<const F>(meas), std::span<const F>(prove_rands).subspan(k * prl, prl),
                 std::span<const F>(joint_rands).subspan(k * jrl, jrl),
                 proofs.span().subspan(k * pl, pl));
    }
    vec_add<F>(std::span<F>(leader.proofs_share), std::span<const F>(proofs));
  }
  res.public_share.joint_rand_parts = std::move(parts);
  return res;
}

template <Valid V, class X>
auto Prio3<V, X>::shard(CtxBytes ctx, const Measurement& measurement) const -> ShardResult {
  std::array<std::uint8_t, NONCE_SIZE> nonce;
  drbg_bytes(nonce);
  SecretScratch<std::uint8_t> rand(rand_size());
  drbg_bytes(rand.span());
  return shard(ctx, measurement, nonce, rand);
}

template <Valid V, class X>
auto Prio3<V, X>::verify_init(ByteSpan verify_key, CtxBytes ctx, std::size_t agg_id,
                              const AggParam&, ByteSpan nonce, const PublicShare& public_share,
                              const InputShare& input_share) const
    -> std::pair<VerifyState, VerifierShare> {
  VDAF_ARG_CHECK(verify_key.size() == VERIFY_KEY_SIZE,
                 "Prio3 verify_init: verify_key must be 32 bytes");
  VDAF_ARG_CHECK(nonce.size() == NONCE_SIZE, "Prio3 verify_init: nonce must be 16 bytes");
  VDAF_ARG_CHECK(agg_id < shares_, "Prio3 verify_init: agg_id out of range");
  check_input_share(agg_id, input_share);
  check_public_share(public_share);
  const std::size_t P = proofs_, pl = proof_len(), ml = meas_len();
  DstBuffer dsts(0, id_, ctx, kMaxDst);

  const bool helper = agg_id != 0;
  const std::size_t qrl = flp_.query_rand_len();
  SecretScratch<F> meas_storage(helper ? ml : 0), proofs_storage(helper ? pl * P : 0);
  SecretScratch<F> query_rands(qrl * P);
  std::span<const F> meas, proofs;
  const std::uint8_t p8[1] = {static_cast<std::uint8_t>(P)};
  if (!helper) {
    meas = input_share.meas_share;
    proofs = input_share.proofs_share;
    X x(verify_key, dsts.get(kUsageQueryRandomness), {ByteSpan(p8), nonce});
    x.template next_vec_into<F>(query_rands.span());
  }
  Seed32 part;
  bool part_done = false;
  if (helper) {
    if constexpr (std::is_same_v<X, XofTurboShake128>) {
      // With joint randomness the helper hashes the measurement share it expands (its
      // joint-randomness part): both long streams in one pass, then the other streams below.
      // (For a share of one or two blocks the three-stream expansion is as fast.)
      if (uses_joint_rand() && ml * F::ENCODED_SIZE > 2 * TurboShake128::RATE) {
        part_done = helper_meas_share_and_part(dsts, agg_id, *input_share.seed, *input_share.blind,
                                               nonce, meas_storage.span(), part);
      }
    }
    // The helper's measurement share (unless expanded above) and proof share and the query
    // randomness are independent streams: expanded together.
    expand_helper_streams(ctx, agg_id, *input_share.seed,
                          part_done ? std::span<F>() : meas_storage.span(), proofs_storage.span(),
                          verify_key, kUsageQueryRandomness, {ByteSpan(p8), nonce},
                          query_rands.span());
    meas = meas_storage;
    proofs = proofs_storage;
  }
  return verify_init_finish(dsts, agg_id, nonce, public_share, input_share, meas, proofs,
                            query_rands, part_done ? &part : nullptr);
}

template <Valid V, class X>
auto Prio3<V, X>::verify_init_batch(ByteSpan verify_key, CtxBytes ctx, std::size_t agg_id,
                                    const AggParam& agg_param, std::span<const ByteSpan> nonces,
                                    std::span<const PublicShare> public_shares,
                                    std::span<const InputShare> input_shares) const
    -> std::vector<VerifyInitOutcome> {
  VDAF_ARG_CHECK(nonces.size() == public_shares.size() && nonces.size() == input_shares.size(),
                 "Prio3 verify_init_batch: nonces, public shares and input shares differ in "
                 "number");
  VDAF_ARG_CHECK(verify_key.size() == VERIFY_KEY_SIZE,
                 "Prio3 verify_init: verify_key must be 32 bytes");
  VDAF_ARG_CHECK(agg_id < shares_, "Prio3 verify_init: agg_id out of range");
  const std::size_t n = nonces.size();
  std::vector<VerifyInitOutcome> out(n);
  if constexpr (!std::is_same_v<X, XofTurboShake128>) {
    for (std::size_t i = 0; i < n; ++i) {
      try {
        out[i].result = verify_init(verify_key, ctx, agg_id, agg_param, nonces[i], public_shares[i],
                                    input_shares[i]);
      } catch (...) {
        out[i].error = std::current_exception();
      }
    }
  } else {
    verify_init_groups(
        verify_key, ctx, agg_id, nonces, public_shares, input_shares,
        [&](std::size_t i, DstBuffer& dsts, std::span<const F> meas, std::span<const F> proofs,
            std::span<const F> query_rands, const Seed32* part, const Seed32* corrected,
            std::span<const F> joint_rands, std::span<const F> verifiers) {
          out[i].result =
              verify_init_finish(dsts, agg_id, nonces[i], public_shares[i], input_shares[i], meas,
                                 proofs, query_rands, part, corrected, joint_rands, verifiers);
        },
        [&](std::size_t i, std::exception_ptr e) { out[i].error = std::move(e); });
  }
  return out;
}

template <Valid V, class X>
template <class Emit, class Fail>
void Prio3<V, X>::verify_init_groups(ByteSpan verify_key, CtxBytes ctx, std::size_t agg_id,
                                     std::span<const ByteSpan> nonces,
                                     std::span<const PublicShare> public_shares,
                                     std::span<const InputShare> input_shares, const Emit& emit,
                                     const Fail& fail) const {
  const std::size_t n = nonces.size();
  const std::size_t P = proofs_, pl = proof_len(), ml = meas_len(), qrl = flp_.query_rand_len();
  const bool helper = agg_id != 0;
  const std::size_t per = qrl * P + (helper ? ml + pl * P : 0);
  DstBuffer dsts(0, id_, ctx, kMaxDst), dm(0, id_, ctx, kMaxDst), dp(0, id_, ctx, kMaxDst),
      dq(0, id_, ctx, kMaxDst);
  const ByteSpan dm_tag = dm.get(kUsageMeasShare), dp_tag = dp.get(kUsageProofShare),
                 dq_tag = dq.get(kUsageQueryRandomness);
  const std::uint8_t p8[1] = {static_cast<std::uint8_t>(P)};
  const std::uint8_t jb[1] = {static_cast<std::uint8_t>(agg_id)};
  const std::uint8_t pj[2] = {static_cast<std::uint8_t>(P), static_cast<std::uint8_t>(agg_id)};
  secret_vector<F> scratch(REPORT_GROUP * per);
  const std::size_t jrl = flp_.joint_rand_len();
  secret_vector<F> jr_scratch(REPORT_GROUP * jrl * P);
  const std::size_t vl = verifier_len();
  secret_vector<F> v_scratch(flp_.lane_query() ? REPORT_GROUP * vl * P : 0);
  typename FlpBBCGGI19<V>::LaneScratch lane_scratch;
  DstBuffer d6(0, id_, ctx, kMaxDst), d3(0, id_, ctx, kMaxDst);
  const ByteSpan d6_tag = d6.get(kUsageJointRandSeed), d3_tag = d3.get(kUsageJointRandomness);
  std::vector<XofExpandRequest<F>> reqs;
  reqs.reserve(3 * REPORT_GROUP);
  for (std::size_t g = 0; g < n; g += REPORT_GROUP) {
    const std::size_t m = std::min(REPORT_GROUP, n - g);
    bool ok[REPORT_GROUP] = {};
    reqs.clear();
    for (std::size_t k = 0; k < m; ++k) {
      const std::size_t i = g + k;
      try {
        VDAF_ARG_CHECK(nonces[i].size() == NONCE_SIZE, "Prio3 verify_init: nonce must be 16 bytes");
        check_input_share(agg_id, input_shares[i]);
        check_public_share(public_shares[i]);
        ok[k] = true;
      } catch (...) {
        fail(i, std::current_exception());
        continue;
      }
      const std::span<F> slot = std::span<F>(scratch).subspan(k * per, per);
      if (helper) {
        const ByteSpan seed = *input_shares[i].seed;
        reqs.push_back({seed, dm_tag, {ByteSpan(jb), ByteSpan()}, slot.subspan(0, ml)});
        reqs.push_back({seed, dp_tag, {ByteSpan(pj), ByteSpan()}, slot.subspan(ml, pl * P)});
      }
      reqs.push_back({verify_key, dq_tag, {ByteSpan(p8), nonces[i]}, slot.last(qrl * P)});
    }
    X::template expand_many<F>(reqs);
    // The joint-randomness parts absorb the whole measurement share: run them together.
    Seed32 parts[REPORT_GROUP], corrected[REPORT_GROUP];
    if (uses_joint_rand()) {
      std::size_t idx[REPORT_GROUP], cnt = 0;
      ByteSpan blinds[REPORT_GROUP], ns[REPORT_GROUP];
      std::span<const F> ms[REPORT_GROUP];
      Seed32 got[REPORT_GROUP];
      for (std::size_t k = 0; k < m; ++k) {
        if (!ok[k]) continue;
        const std::size_t i = g + k;
        idx[cnt] = k;
        blinds[cnt] = *input_shares[i].blind;
        ns[cnt] = nonces[i];
        ms[cnt++] = helper ? std::span<const F>(scratch).subspan(k * per, ml)
                           : std::span<const F>(input_shares[i].meas_share);
      }
      std::uint8_t js[REPORT_GROUP];
      std::fill_n(js, cnt, static_cast<std::uint8_t>(agg_id));
      joint_rand_parts_many(
          ctx, std::span<const std::uint8_t>(js, cnt), std::span<const ByteSpan>(blinds, cnt),
          std::span<const ByteSpan>(ns, cnt), std::span<const std::span<const F>>(ms, cnt),
          std::span<Seed32>(got, cnt));
      for (std::size_t c = 0; c < cnt; ++c) parts[idx[c]] = got[c];
      // The corrected joint-randomness seeds (derive_seed over the S parts, this aggregator's
      // own part in place of the public share's) and the joint randomness expanded from them:
      // one permutation each per report, run together too.
      InplaceArray<X, REPORT_GROUP> xs;
      X* px[REPORT_GROUP];
      const std::uint8_t zeros[SEED_SIZE] = {};
      for (std::size_t c = 0; c < cnt; ++c) {
        xs.emplace_back(typename X::Streaming{}, ByteSpan(zeros, SEED_SIZE), d6_tag);
        px[c] = &xs[c];
      }
      for (std::size_t j = 0; j < shares_; ++j) {
        for (std::size_t c = 0; c < cnt; ++c) {
          blinds[c] = j == agg_id ? ByteSpan(got[c])
                                  : ByteSpan(public_shares[g + idx[c]].joint_rand_parts[j]);
        }
        X::absorb_binder_many(std::span<X* const>(px, cnt), std::span<const ByteSpan>(blinds, cnt));
      }
      X::finish_binder_many(std::span<X* const>(px, cnt));
      reqs.clear();
      for (std::size_t c = 0; c < cnt; ++c) {
        xs[c].next(corrected[idx[c]]);
        reqs.push_back({corrected[idx[c]],
                        d3_tag,
                        {ByteSpan(p8), ByteSpan()},
                        std::span<F>(jr_scratch).subspan(idx[c] * jrl * P, jrl * P)});
      }
      X::template expand_many<F>(reqs);
    }
    const auto meas_of = [&](std::size_t k) {
      return helper ? std::span<const F>(scratch).subspan(k * per, ml)
                    : std::span<const F>(input_shares[g + k].meas_share);
    };
    const auto proofs_of = [&](std::size_t k) {
      return helper ? std::span<const F>(scratch).subspan(k * per + ml, pl * P)
                    : std::span<const F>(input_shares[g + k].proofs_share);
    };
    // The FLP queries of the group in SIMD lanes (FlpBBCGGI19::query_lanes) when the circuit
    // takes that path. A report whose query aborts is not marked: emit runs query() on it,
    // which throws; so does every report of the group if query_lanes throws (an internal error
    // or bad_alloc then reaches each report, as one by one).
    bool queried[REPORT_GROUP] = {};
    if (flp_.lane_query()) {
      try {
        std::size_t idx[REPORT_GROUP], cnt = 0;
        for (std::size_t k = 0; k < m; ++k) {
          if (ok[k]) idx[cnt++] = k;
        }
        std::uint32_t aborted = 0;
        for (std::size_t pf = 0; cnt > 0 && pf < P; ++pf) {
          const F *lm[REPORT_GROUP], *lp[REPORT_GROUP], *lq[REPORT_GROUP], *lj[REPORT_GROUP];
          F* lv[REPORT_GROUP];
          for (std::size_t c = 0; c < cnt; ++c) {
            const std::size_t k = idx[c];
            lm[c] = meas_of(k).data();
            lp[c] = proofs_of(k).data() + pf * pl;
            lq[c] = scratch.data() + (k + 1) * per - qrl * P + pf * qrl;
            lj[c] = jr_scratch.data() + (k * P + pf) * jrl;
            lv[c] = v_scratch.data() + (k * P + pf) * vl;
          }
          aborted |= flp_.query_lanes(lm, lp, lq, lj, cnt, shares_, lv, &lane_scratch);
        }
        for (std::size_t c = 0; c < cnt; ++c) queried[idx[c]] = ((aborted >> c) & 1) == 0;
      } catch (...) {
        std::fill_n(queried, REPORT_GROUP, false);
      }
    }
    for (std::size_t k = 0; k < m; ++k) {
      if (!ok[k]) continue;
      const std::size_t i = g + k;
      const std::span<const F> slot = std::span<const F>(scratch).subspan(k * per, per);
      try {
        emit(i, dsts, meas_of(k), proofs_of(k), slot.last(qrl * P),
             uses_joint_rand() ? &parts[k] : nullptr, uses_joint_rand() ? &corrected[k] : nullptr,
             std::span<const F>(jr_scratch).subspan(k * jrl * P, jrl * P),
             queried[k] ? std::span<const F>(v_scratch).subspan(k * vl * P, vl * P)
                        : std::span<const F>());
      } catch (...) {
        fail(i, std::current_exception());
      }
    }
  }
}

template <Valid V, class X>
void Prio3<V, X>::verify_init_batch(ByteSpan verify_key, CtxBytes ctx, std::size_t agg_id,
                                    const AggParam& agg_param, std::span<const ByteSpan> nonces,
                                    std::span<const PublicShare> public_shares,
                                    std::span<const InputShare> input_shares,
                                    VerifyBatch& out) const {
  VDAF_ARG_CHECK(nonces.size() == public_shares.size() && nonces.size() == input_shares.size(),
                 "Prio3 verify_init_batch: nonces, public shares and input shares differ in "
                 "number");
  VDAF_ARG_CHECK(verify_key.size() == VERIFY_KEY_SIZE,
                 "Prio3 verify_init: verify_key must be 32 bytes");
  VDAF_ARG_CHECK(agg_id < shares_, "Prio3 verify_init: agg_id out of range");
  if constexpr (std::is_same_v<X, XofTurboShake128>) {
    VDAF_ARG_CHECK(ctx.size() <= MAX_CTX_SIZE,
                   "Prio3 verify_init_batch: ctx longer than MAX_CTX_SIZE bytes");
  }
  const std::size_t n = nonces.size(), ol = output_len(), vlp = verifier_len() * proofs_;
  const bool jr = uses_joint_rand();
  // n·OUTPUT_LEN and n·VERIFIER_LEN·PROOFS fit: the n input shares in memory hold at least as
  // many bytes (each ≥ 32 bytes; OUTPUT_LEN and VERIFIER_LEN·PROOFS are bounded by FlpLimits).
  out.agg_id = agg_id;
  out.out_len = ol;
  out.out_shares.assign(n * ol, F::zero());
  out.shares.verifiers.assign(n * vlp, F::zero());
  out.shares.present.assign(n, 1);
  out.shares.joint_rand_parts.assign(jr ? n : 0, Seed32{});
  out.corrected_joint_rand_seeds.assign(jr ? n : 0, Seed32{});
  out.errors.assign(n, nullptr);
  const auto fail = [&](std::size_t i, std::exception_ptr e) {
    out.errors[i] = std::move(e);
    out.shares.present[i] = 0;
    std::fill_n(out.out_shares.begin() + static_cast<std::ptrdiff_t>(i * ol), ol, F::zero());
    std::fill_n(out.shares.verifiers.begin() + static_cast<std::ptrdiff_t>(i * vlp), vlp,
                F::zero());
  };
  Seed32 unused_part{}, unused_corrected{};
  const auto part_of = [&](std::size_t i) -> Seed32& {
    return jr ? out.shares.joint_rand_parts[i] : unused_part;
  };
  const auto corrected_of = [&](std::size_t i) -> Seed32& {
    return jr ? out.corrected_joint_rand_seeds[i] : unused_corrected;
  };
  if constexpr (!std::is_same_v<X, XofTurboShake128>) {
    for (std::size_t i = 0; i < n; ++i) {
      try {
        auto [st, vs] = verify_init(verify_key, ctx, agg_id, agg_param, nonces[i], public_shares[i],
                                    input_shares[i]);
        std::copy(st.out_share.begin(), st.out_share.end(),
                  out.out_shares.begin() + static_cast<std::ptrdiff_t>(i * ol));
        std::copy(vs.verifiers_share.begin(), vs.verifiers_share.end(),
                  out.shares.verifiers.begin() + static_cast<std::ptrdiff_t>(i * vlp));
        if (jr) {
          part_of(i) = *vs.joint_rand_part;
          corrected_of(i) = *st.corrected_joint_rand_seed;
        }
      } catch (...) {
        fail(i, std::current_exception());
      }
    }
  } else {
    (void)agg_param;
    verify_init_groups(
        verify_key, ctx, agg_id, nonces, public_shares, input_shares,
        [&](std::size_t i, DstBuffer& dsts, std::span<const F> meas, std::span<const F> proofs,
            std::span<const F> query_rands, const Seed32* part, const Seed32* corrected,
            std::span<const F> joint_rands, std::span<const F> verifiers) {
          verify_init_core(dsts, agg_id, nonces[i], public_shares[i], input_shares[i], meas, proofs,
                           query_rands, std::span<F>(out.out_shares).subspan(i * ol, ol),
                           std::span<F>(out.shares.verifiers).subspan(i * vlp, vlp), part_of(i),
                           corrected_of(i), part, corrected, joint_rands, verifiers);
        },
        fail);
  }
}

template <Valid V, class X>
auto Prio3<V, X>::verifier_shares_to_message(CtxBytes ctx, const AggParam&,
                                             std::span<const VerifierShare> shares) const
    -> VerifierMessage {
  VDAF_ARG_CHECK(shares.size() == shares_, "Prio3 verifier_shares_to_message: expected " +
                                               std::to_string(shares_) + " verifier shares, got " +
                                               std::to_string(shares.size()));
  SecretScratch<F> verifiers(verifier_len() * proofs_);
  const auto get = [&](std::size_t j) -> const VerifierShare& { return shares[j]; };
  decide_report(get, verifiers.span());
  VerifierMessage msg;
  if (uses_joint_rand()) {
    DstBuffer dsts(0, id_, ctx, kMaxDst);
    const std::size_t one[1] = {0};
    joint_rand_seeds_many(
        dsts.get(kUsageJointRandSeed), one,
        [&](std::size_t j, std::size_t) { return ByteSpan(*get(j).joint_rand_part); },
        [&](std::size_t) -> Seed32& { return msg.joint_rand_seed.emplace(); });
  }
  return msg;
}

template <Valid V, class X>
auto Prio3<V, X>::verify_next(CtxBytes, const VerifyState& state, const VerifierMessage& msg) const
    -> std::variant<std::pair<VerifyState, VerifierShare>, OutShare> {
  return next_out_share(state, msg);
}

template <Valid V, class X>
auto Prio3<V, X>::verifier_shares_to_message_batch(
    CtxBytes ctx, const AggParam&,
    std::span<const std::span<const VerifierShare>> by_aggregator) const
    -> std::vector<VerifierMessageOutcome> {
  VDAF_ARG_CHECK(by_aggregator.size() == shares_,
                 "Prio3 verifier_shares_to_message_batch: expected " + std::to_string(shares_) +
                     " spans of verifier shares (one per aggregator), got " +
                     std::to_string(by_aggregator.size()));
  const std::size_t n = by_aggregator[0].size();
  for (const auto& s : by_aggregator) {
    VDAF_ARG_CHECK(s.size() == n,
                   "Prio3 verifier_shares_to_message_batch: the aggregators' spans of verifier "
                   "shares differ in length");
  }
  const bool jr = uses_joint_rand();
  std::optional<DstBuffer> dsts;  // built up front: checks the ctx length before any work
  if (jr) dsts.emplace(0, id_, ctx, kMaxDst);
  std::vector<VerifierMessageOutcome> out(n);
  std::vector<std::size_t> accepted;  // reports whose joint-randomness seed is still to compute
  if (jr) accepted.reserve(n);
  SecretScratch<F> verifiers(verifier_len() * proofs_);
  for (std::size_t i = 0; i < n; ++i) {
    try {
      decide_report([&](std::size_t j) -> const VerifierShare& { return by_aggregator[j][i]; },
                    verifiers.span());
    } catch (...) {
      out[i].error = std::current_exception();
      continue;
    }
    if (jr) {
      accepted.push_back(i);
    } else {
      out[i].result.emplace();
    }
  }
  if (!jr) return out;
  joint_rand_seeds_many(
      dsts->get(kUsageJointRandSeed), accepted,
      [&](std::size_t j, std::size_t i) { return ByteSpan(*by_aggregator[j][i].joint_rand_part); },
      [&](std::size_t i) -> Seed32& { return out[i].result.emplace().joint_rand_seed.emplace(); });
  return out;
}

template <Valid V, class X>
auto Prio3<V, X>::verify_next_batch(CtxBytes /*ctx*/, std::span<const VerifyState> states,
                                    std::span<const VerifierMessage> messages) const
    -> std::vector<OutShareOutcome> {
  VDAF_ARG_CHECK(states.size() == messages.size(),
                 "Prio3 verify_next_batch: states and messages differ in number");
  std::vector<OutShareOutcome> out(states.size());
  for (std::size_t i = 0; i < states.size(); ++i) {
    try {
      out[i].result = next_out_share(states[i], messages[i]);
    } catch (...) {
      out[i].error = std::current_exception();
    }
  }
  return out;
}

template <Valid V, class X>
auto Prio3<V, X>::verify_next_batch(CtxBytes /*ctx*/, std::vector<VerifyState>&& states,
                                    std::span<const VerifierMessage> messages) const
    -> std::vector<OutShareOutcome> {
  VDAF_ARG_CHECK(states.size() == messages.size(),
                 "Prio3 verify_next_batch: states and messages differ in number");
  std::vector<OutShareOutcome> out(states.size());
  for (std::size_t i = 0; i < states.size(); ++i) {
    try {
      check_next(states[i], messages[i]);
      out[i].result = std::move(states[i].out_share);
    } catch (...) {
      out[i].error = std::current_exception();
    }
  }
  return out;
}

template <Valid V, class X>
void Prio3<V, X>::check_share_batch(const VerifierShareBatch& b, const char* where) const {
  const std::size_t n = b.size();
  VDAF_ARG_CHECK(b.verifiers.size() / (verifier_len() * proofs_) == n &&
                     b.verifiers.size() % (verifier_len() * proofs_) == 0 &&
                     b.joint_rand_parts.size() == (uses_joint_rand() ? n : 0),
                 std::string(where) + ": the verifier-share batch is not shaped for this " +
                     "instance (" + std::to_string(n) + " reports need " + std::to_string(n) +
                     "·VERIFIER_LEN·PROOFS elements" +
                     (uses_joint_rand() ? " and as many joint-randomness parts)" : ")"));
}

template <Valid V, class X>
void Prio3<V, X>::check_verify_batch(const VerifyBatch& b, const char* where) const {
  const std::size_t n = b.size();
  VDAF_ARG_CHECK(b.agg_id < shares_ && b.out_len == output_len() &&
                     b.out_shares.size() / output_len() == n &&
                     b.out_shares.size() % output_len() == 0 && b.shares.size() == n &&
                     b.corrected_joint_rand_seeds.size() == (uses_joint_rand() ? n : 0),
                 std::string(where) + ": not a batch of this instance's flat verify_init_batch");
  check_share_batch(b.shares, where);
}

template <Valid V, class X>
auto Prio3<V, X>::verifier_share_batch(std::size_t n) const -> VerifierShareBatch {
  const std::size_t vlp = verifier_len() * proofs_;
  VDAF_ARG_CHECK(n <= std::vector<F>().max_size() / vlp,
                 "Prio3 verifier_share_batch: " + std::to_string(n) + " reports are too many");
  VerifierShareBatch b;
  b.verifiers.assign(n * vlp, F::zero());
  b.joint_rand_parts.assign(uses_joint_rand() ? n : 0, Seed32{});
  b.present.assign(n, 0);
  return b;
}

template <Valid V, class X>
void Prio3<V, X>::put_verifier_share(VerifierShareBatch& batch, std::size_t i,
                                     const VerifierShare& share) const {
  check_share_batch(batch, "Prio3 put_verifier_share");
  VDAF_ARG_CHECK(i < batch.size(), "Prio3 put_verifier_share: report index " + std::to_string(i) +
                                       " out of range for a batch of " +
                                       std::to_string(batch.size()));
  const std::size_t vlp = verifier_len() * proofs_;
  VDAF_ARG_CHECK(share.verifiers_share.size() == vlp,
                 "Prio3 put_verifier_share: verifier share has wrong length");
  VDAF_ARG_CHECK(share.joint_rand_part.has_value() == uses_joint_rand(),
                 "Prio3 put_verifier_share: verifier share joint-rand part mismatch");
  std::copy(share.verifiers_share.begin(), share.verifiers_share.end(),
            batch.verifiers.begin() + static_cast<std::ptrdiff_t>(i * vlp));
  if (share.joint_rand_part) batch.joint_rand_parts[i] = *share.joint_rand_part;
  batch.present[i] = 1;
}

template <Valid V, class X>
auto Prio3<V, X>::verifier_share(const VerifierShareBatch& batch, std::size_t i) const
    -> VerifierShare {
  check_share_batch(batch, "Prio3 verifier_share");
  VDAF_ARG_CHECK(i < batch.size(), "Prio3 verifier_share: report index " + std::to_string(i) +
                                       " out of range for a batch of " +
                                       std::to_string(batch.size()));
  VDAF_ARG_CHECK(batch.present[i] != 0, "Prio3 verifier_share: report " + std::to_string(i) +
                                            " has no verifier share in the batch");
  const std::size_t vlp = verifier_len() * proofs_;
  VerifierShare vs;
  const auto first = batch.verifiers.begin() + static_cast<std::ptrdiff_t>(i * vlp);
  vs.verifiers_share.assign(first, first + static_cast<std::ptrdiff_t>(vlp));
  if (uses_joint_rand()) vs.joint_rand_part = batch.joint_rand_parts[i];
  return vs;
}

template <Valid V, class X>
void Prio3<V, X>::verifier_shares_to_message_batch(
    CtxBytes ctx, const AggParam&, std::span<const VerifierShareBatch* const> by_aggregator,
    VerifierMessageBatch& out) const {
  VDAF_ARG_CHECK(by_aggregator.size() == shares_,
                 "Prio3 verifier_shares_to_message_batch: expected " + std::to_string(shares_) +
                     " verifier-share batches (one per aggregator), got " +
                     std::to_string(by_aggregator.size()));
  for (const VerifierShareBatch* b : by_aggregator) {
    VDAF_ARG_CHECK(b != nullptr, "Prio3 verifier_shares_to_message_batch: a null batch");
    check_share_batch(*b, "Prio3 verifier_shares_to_message_batch");
    VDAF_ARG_CHECK(b->size() == by_aggregator[0]->size(),
                   "Prio3 verifier_shares_to_message_batch: the aggregators' batches differ in "
                   "size");
  }
  const bool jr = uses_joint_rand();
  std::optional<DstBuffer> dsts;  // built up front: checks the ctx length before any work
  if (jr) dsts.emplace(0, id_, ctx, kMaxDst);
  const std::size_t n = by_aggregator[0]->size(), vl = verifier_len(), P = proofs_;
  out.errors.assign(n, nullptr);
  out.joint_rand_seeds.assign(jr ? n : 0, Seed32{});
  SecretScratch<F> verifiers(vl * P);
  std::vector<std::size_t> accepted;  // reports whose joint-randomness seed is still to compute
  if (jr) accepted.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t missing = shares_;
    for (std::size_t j = 0; j < shares_ && missing == shares_; ++j) {
      if (by_aggregator[j]->present[i] == 0) missing = j;
    }
    if (missing != shares_) {
      out.errors[i] = std::make_exception_ptr(
          invalid_argument("Prio3 verifier_shares_to_message_batch: report " + std::to_string(i) +
                           " has no verifier share from aggregator " + std::to_string(missing)));
      continue;
    }
    const std::span<F> sum = verifiers.span();
    const std::span<const F> v0 =
        std::span<const F>(by_aggregator[0]->verifiers).subspan(i * vl * P, vl * P);
    std::copy(v0.begin(), v0.end(), sum.begin());
    for (std::size_t j = 1; j < shares_; ++j) {
      vec_add<F>(sum, std::span<const F>(by_aggregator[j]->verifiers).subspan(i * vl * P, vl * P));
    }
    try {
      decide_verifiers(sum);
    } catch (...) {
      out.errors[i] = std::current_exception();
      continue;
    }
    if (jr) accepted.push_back(i);
  }
  if (!jr) return;
  joint_rand_seeds_many(
      dsts->get(kUsageJointRandSeed), accepted,
      [&](std::size_t j, std::size_t i) { return ByteSpan(by_aggregator[j]->joint_rand_parts[i]); },
      [&](std::size_t i) -> Seed32& { return out.joint_rand_seeds[i]; });
}

template <Valid V, class X>
std::size_t Prio3<V, X>::verify_next_batch(CtxBytes, VerifyBatch& batch,
                                           const VerifierMessageBatch& msgs) const {
  check_verify_batch(batch, "Prio3 verify_next_batch");
  const std::size_t n = batch.size();
  const bool jr = uses_joint_rand();
  VDAF_ARG_CHECK(msgs.size() == n && msgs.joint_rand_seeds.size() == (jr ? n : 0),
                 "Prio3 verify_next_batch: the message batch does not match the verify batch (" +
                     std::to_string(msgs.size()) + " messages for " + std::to_string(n) +
                     " reports)");
  std::size_t accepted = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (batch.errors[i]) continue;
    if (msgs.errors[i]) {
      batch.errors[i] = msgs.errors[i];
      continue;
    }
    if (jr) {
      try {
        check_joint_rand(msgs.joint_rand_seeds[i], batch.corrected_joint_rand_seeds[i]);
      } catch (...) {
        batch.errors[i] = std::current_exception();
        continue;
      }
    }
    ++accepted;
  }
  return accepted;
}

template <Valid V, class X>
std::size_t Prio3<V, X>::agg_update_batch(const AggParam&, AggShare& agg_share,
                                          const VerifyBatch& batch) const {
  check_verify_batch(batch, "Prio3 agg_update_batch");
  VDAF_ARG_CHECK(agg_share.size() == output_len(),
                 "Prio3 agg_update_batch: aggregate share length is not OUTPUT_LEN");
  std::size_t added = 0;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!batch.ok(i)) continue;
    vec_add<F>(std::span<F>(agg_share), batch.out_share(i));
    ++added;
  }
  return added;
}

template <Valid V, class X>
auto Prio3<V, X>::encode_verify_state(const VerifyState& state) const -> SecretBytes {
  check_state(state, "Prio3 encode_verify_state");
  StoredWriter w(StoredKind::prio3_verify_state, id_, digest_);
  w.u8(static_cast<std::uint8_t>(state.agg_id));
  w.template elems<F>(state.out_share);
  if (state.corrected_joint_rand_seed) w.bytes(*state.corrected_joint_rand_seed);
  return std::move(w).take();
}

template <Valid V, class X>
auto Prio3<V, X>::decode_verify_state(ByteSpan b) const -> VerifyState {
  Reader r(b, "Prio3 stored verify state");
  read_stored_header(r, StoredKind::prio3_verify_state, id_, digest_, "Prio3 stored verify state");
  VerifyState st;
  st.agg_id = r.u8();
  if (st.agg_id >= shares_) {
    VDAF_THROW(decode_error, "Prio3 stored verify state: agg_id " + std::to_string(st.agg_id) +
                                 " out of range for " + std::to_string(shares_) + " aggregators");
  }
  const ByteSpan elems = r.take(output_len() * F::ENCODED_SIZE);
  if (uses_joint_rand()) st.corrected_joint_rand_seed = read_seed(r);
  r.finish();
  F::decode_vec_into(st.out_share, elems, "Prio3 stored verify state (output share)");
  return st;
}

template <Valid V, class X>
auto Prio3<V, X>::agg_update(const AggParam&, AggShare& agg_share, const OutShare& out_share) const
    -> void {
  VDAF_ARG_CHECK(agg_share.size() == output_len() && out_share.size() == output_len(),
                 "Prio3 agg_update: share length is not OUTPUT_LEN");
  vec_add<F>(std::span<F>(agg_share), std::span<const F>(out_share));
}

template <Valid V, class X>
auto Prio3<V, X>::merge(const AggParam& ap, std::span<const AggShare> agg_shares) const
    -> AggShare {
  AggShare acc = agg_init(ap);
  for (const auto& a : agg_shares) agg_update(ap, acc, a);
  return acc;
}

template <Valid V, class X>
auto Prio3<V, X>::unshard(const AggParam& ap, std::span<const AggShare> agg_shares,
                          std::uint64_t num_measurements) const -> AggResult {
  VDAF_ARG_CHECK(agg_shares.size() == shares_,
                 "Prio3 unshard: expected " + std::to_string(shares_) + " aggregate shares");
  VDAF_ARG_CHECK(num_measurements >= 1, "Prio3 unshard: num_measurements must be >= 1");
  if constexpr (requires { flp_.valid().max_value_per_measurement(); }) {
    const uint128 per = flp_.valid().max_value_per_measurement();
    const uint128 p = static_cast<uint128>(F::MODULUS);
    if (per != 0 && static_cast<uint128>(num_measurements) > (p - 1) / per) {
      VDAF_THROW(invalid_argument,
                 "Prio3 unshard: " + std::to_string(num_measurements) + " measurements of up to " +
                     u128_string(per) + " each could sum to the field modulus " + u128_string(p) +
                     " or more, and the aggregate would wrap; at most " +
                     u128_string((p - 1) / per) +
                     " measurements per aggregate (split the batch, or lower max_measurement)");
    }
  }
  AggShare sum = merge(ap, agg_shares);
  return flp_.valid().decode(std::span<const F>(sum), num_measurements);
}

template <Valid V, class X>
auto Prio3<V, X>::encode_public_share(const PublicShare& ps) const -> Bytes {
  Bytes out;
  for (const auto& p : ps.joint_rand_parts) append(out, p);
  return out;
}

template <Valid V, class X>
auto Prio3<V, X>::decode_public_share(ByteSpan b) const -> PublicShare {
  Reader r(b, "Prio3 public share");
  PublicShare ps;
  if (uses_joint_rand()) {
    for (std::size_t j = 0; j < shares_; ++j) ps.joint_rand_parts.push_back(read_seed(r));
  }
  r.finish();
  return ps;
}

template <Valid V, class X>
auto Prio3<V, X>::encode_input_share(const InputShare& s) const -> Bytes {
  Bytes out;
  if (s.is_leader()) {
    F::encode_vec_into(out, std::span<const F>(s.meas_share));
    F::encode_vec_into(out, std::span<const F>(s.proofs_share));
  } else {
    append(out, *s.seed);
  }
  if (s.blind) append(out, *s.blind);
  return out;
}

template <Valid V, class X>
auto Prio3<V, X>::decode_input_share(std::size_t agg_id, ByteSpan b) const -> InputShare {
  VDAF_ARG_CHECK(agg_id < shares_, "Prio3 decode_input_share: agg_id out of range");
  Reader r(b, agg_id == 0 ? "Prio3 leader input share" : "Prio3 helper input share");
  InputShare s;
  if (agg_id == 0) {
    F::decode_vec_into(s.meas_share, r.take(meas_len() * F::ENCODED_SIZE),
                       "Prio3 leader input share (measurement share)");
    F::decode_vec_into(s.proofs_share, r.take(proof_len() * proofs_ * F::ENCODED_SIZE),
                       "Prio3 leader input share (proofs share)");
  } else {
    s.seed.emplace(r.take(SEED_SIZE));
  }
  if (uses_joint_rand()) s.blind.emplace(r.take(SEED_SIZE));
  r.finish();
  return s;
}

template <Valid V, class X>
auto Prio3<V, X>::encode_verifier_share(const VerifierShare& vs) const -> Bytes {
  Bytes out = F::encode_vec(vs.verifiers_share);
  if (vs.joint_rand_part) append(out, *vs.joint_rand_part);
  return out;
}

template <Valid V, class X>
auto Prio3<V, X>::decode_verifier_share(const VerifyState&, ByteSpan b) const -> VerifierShare {
  Reader r(b, "Prio3 verifier share");
  VerifierShare vs;
  F::decode_vec_into(vs.verifiers_share, r.take(verifier_len() * proofs_ * F::ENCODED_SIZE),
                     "Prio3 verifier share");
  if (uses_joint_rand()) vs.joint_rand_part = read_seed(r);
  r.finish();
  return vs;
}

template <Valid V, class X>
auto Prio3<V, X>::encode_verifier_message(const VerifierMessage& m) const -> Bytes {
  Bytes out;
  if (m.joint_rand_seed) append(out, *m.joint_rand_seed);
  return out;
}

template <Valid V, class X>
auto Prio3<V, X>::decode_verifier_message(const VerifyState&, ByteSpan b) const -> VerifierMessage {
  Reader r(b, "Prio3 verifier message");
  VerifierMessage m;
  if (uses_joint_rand()) m.joint_rand_seed = read_seed(r);
  r.finish();
  return m;
}

template <Valid V, class X>
auto Prio3<V, X>::decode_agg_param(ByteSpan b) const -> AggParam {
  Reader r(b, "Prio3 aggregation parameter");
  r.finish();
  return {};
}

template <Valid V, class X>
auto Prio3<V, X>::decode_agg_share(const AggParam&, ByteSpan b) const -> AggShare {
  Reader r(b, "Prio3 aggregate share");
  AggShare s;
  F::decode_vec_into(s, r.take(output_len() * F::ENCODED_SIZE), "Prio3 aggregate share");
  r.finish();
  return s;
}

template <Valid V, class X>
auto Prio3<V, X>::decode_out_share(const AggParam& ap, ByteSpan b) const -> OutShare {
  return decode_agg_share(ap, b);
}

VDAF_END_NAMESPACE
