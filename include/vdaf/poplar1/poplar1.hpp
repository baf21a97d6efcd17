// Poplar1 (draft-irtf-cfrg-vdaf-20 §8.2): heavy hitters from an IDPF and a
// two-round arithmetic sketch.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "vdaf/codec/codec.hpp"
#include "vdaf/core/bytes.hpp"
#include "vdaf/core/dst.hpp"
#include "vdaf/core/stored.hpp"
#include "vdaf/ct/ct.hpp"
#include "vdaf/ct/drbg.hpp"
#include "vdaf/ct/poison.hpp"
#include "vdaf/errors.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/field/field255.hpp"
#include "vdaf/idpf/idpf_bbcggi21.hpp"
#include "vdaf/xof/xof_turboshake128.hpp"

VDAF_BEGIN_NAMESPACE

/// A vector over the field of one Poplar1 level: Field64 at inner levels,
/// Field255 at the leaf. Exactly one alternative is meaningful, chosen by the level.
using Poplar1FieldVec = std::variant<secret_vector<Field64>, secret_vector<Field255>>;

/// Poplar1 (§8.2) with BITS-bit measurements; 2 aggregators, 2 rounds, ID 6.
class Poplar1 {
 public:
  /// Algorithm identifier (§10 codepoint): 0x00000006.
  static constexpr std::uint32_t ID = 0x00000006;
  /// Length in bytes of the verify key (§8.2): 32.
  static constexpr std::size_t VERIFY_KEY_SIZE = 32;
  /// Length in bytes of a report's nonce (§8.2): 16.
  static constexpr std::size_t NONCE_SIZE = 16;
  /// Number of verification rounds (§8.2): 2.
  static constexpr std::size_t ROUNDS = 2;
  /// Number of aggregators (§8.2): 2.
  static constexpr std::size_t SHARES = 2;
  /// Length in bytes of an XofTurboShake128 seed (correlation and shard seeds): 32.
  static constexpr std::size_t SEED_SIZE = 32;
  /// Length in bytes of shard's randomness (§8.2): 3·SEED_SIZE + IdpfBBCGGI21::RAND_SIZE = 128.
  static constexpr std::size_t RAND_SIZE = 3 * SEED_SIZE + IdpfBBCGGI21::RAND_SIZE;  // 128

  /// BITS booleans, most significant first.
  using Measurement = BitString;
  /// (level, prefixes): prefixes of length level+1, strictly increasing.
  struct AggParam {
    std::uint16_t level = 0;          ///< The level, in 0..BITS−1 (BITS−1 is the leaf).
    std::vector<BitString> prefixes;  ///< The candidate prefixes, level+1 bits each. Public.
    friend bool operator==(const AggParam&, const AggParam&) = default;
  };
  /// The public share (§8.2.6): the IDPF's public share, BITS correction words. Public.
  using PublicShare = IdpfBBCGGI21::PublicShare;
  /// §8.2.6: IDPF key, correlation seed, and shares of (A, B) per level. Secret.
  struct InputShare {
    IdpfBBCGGI21::Key idpf_key;  ///< This aggregator's IDPF key (16 bytes).
    SecretArray<32> corr_seed;   ///< This aggregator's correlation seed (SEED_SIZE bytes).
    /// Shares of (A, B) at the inner levels: 2·(BITS−1) Field64, level l's at [2l, 2l+2).
    secret_vector<Field64> corr_inner;
    secret_vector<Field255> corr_leaf;  ///< Shares of (A, B) at the leaf level: 2 Field255.
  };
  /// Verification state: the sketch step, the level, and the remembered values (secret,
  /// wiped). Storable: encode_verify_state / decode_verify_state. A default-constructed state
  /// is not a valid state (verify_next throws invalid_argument).
  struct VerifyState {
    /// The sketch step: kEvaluateSketch after verify_init (round 1), kRevealSketch after the
    /// first verify_next (round 2).
    enum class Step { kEvaluateSketch, kRevealSketch } step = Step::kEvaluateSketch;  ///< Step.
    std::uint16_t level = 0;       ///< The aggregation parameter's level, < BITS.
    std::size_t agg_id = 0;        ///< The aggregator, 0 or 1.
    std::size_t num_prefixes = 0;  ///< The aggregation parameter's number of prefixes.
    /// The remembered values, in the level's field: at kEvaluateSketch [A, B, agg_id, then the
    /// num_prefixes output-share elements]; at kRevealSketch the output share only.
    Poplar1FieldVec mem;
  };
  /// Round 1: 3 elements; round 2: 1 element, in the level's field.
  using VerifierShare = Poplar1FieldVec;
  /// Round 1: the 3-element sketch; round 2: nothing (success).
  using VerifierMessage = std::optional<Poplar1FieldVec>;
  /// An output share: len(prefixes) elements of the level's field, this aggregator's shares
  /// of the prefix counts. Secret.
  using OutShare = Poplar1FieldVec;
  /// An aggregate share: len(prefixes) elements of the level's field (sums of output shares).
  using AggShare = Poplar1FieldVec;
  /// The aggregate result (§8.2.5): one count per prefix, in the order of the prefixes.
  using AggResult = std::vector<std::uint64_t>;
  /// What shard returns: the report's nonce, its public share and its two input shares.
  struct ShardResult {
    std::array<std::uint8_t, NONCE_SIZE> nonce;  ///< The nonce the report was sharded with.
    PublicShare public_share;                    ///< The public share, for both aggregators.
    std::vector<InputShare> input_shares;  ///< SHARES input shares, aggregator j's at j. Secret.
  };
  /// The IDPF evaluation cache of one report and one aggregator, passed to verify_init level
  /// after level (directly, or through PingPong) so each level starts from the nodes of the
  /// previous one. Bound to its report by the first verify_init that uses it: using it with
  /// another report or aggregator is an invalid_argument. Storable: encode_eval_cache /
  /// decode_eval_cache. Secret (wiped).
  using EvalCache = IdpfBBCGGI21::EvalCache;

  /// Poplar1 for BITS-bit measurements (§8.2), on an IdpfBBCGGI21 with VALUE_LEN 2.
  /// @param bits  BITS, the measurement length in bits, in 1..65535.
  /// @throws invalid_argument unless 1 <= bits <= 65535 (the level is a 16-bit number).
  explicit Poplar1(std::size_t bits)
      : idpf_(2, bits), digest_(InstanceDigestBuilder("Poplar1").u64(ID).u64(bits).finish()) {}
  /// The measurement length.
  /// @return BITS.
  std::size_t bits() const noexcept { return idpf_.bits(); }
  /// The number of aggregators.
  /// @return SHARES (2).
  std::size_t shares() const noexcept { return SHARES; }
  /// The length of shard's randomness.
  /// @return RAND_SIZE (128 bytes).
  std::size_t rand_size() const noexcept { return RAND_SIZE; }
  /// The algorithm identifier.
  /// @return ID (6).
  std::uint32_t id() const noexcept { return ID; }
  /// The underlying IDPF.
  /// @return the IdpfBBCGGI21 with VALUE_LEN 2 and BITS bits this instance uses.
  const IdpfBBCGGI21& idpf() const noexcept { return idpf_; }
  /// Identifies this instance (ID and BITS) in stored states (core/stored.hpp). Public.
  /// @return the instance's 8-byte digest.
  const InstanceDigest& instance_digest() const noexcept { return digest_; }
  /// Whether `level` is the leaf level (whose field is Field255 rather than Field64).
  /// @param level  a level (any value).
  /// @return true iff level == BITS−1.
  bool is_leaf(std::size_t level) const noexcept { return level + 1 == bits(); }

  // --- client ------------------------------------------------------------

  /// Splits a measurement into a public share and two input shares. Spec: §8.2.1 shard.
  /// @param ctx          the application context, at most 65527 bytes.
  /// @param measurement  the measurement: BITS bits, most significant first (secret).
  /// @param nonce        NONCE_SIZE (16) bytes, from a CSPRNG.
  /// @param rand         RAND_SIZE (128) random bytes: idpf_rand (32) ‖ corr_seed_0 (32) ‖
  ///                     corr_seed_1 (32) ‖ shard_seed (32) (secret).
  /// @return the nonce, the public share and the two input shares.
  /// @throws invalid_argument on wrong shapes or a ctx longer than 65527 bytes.
  /// Constant-time in measurement and rand (apart from the public, rare rejection events of
  /// sampling).
  ShardResult shard(CtxBytes ctx, const Measurement& measurement, ByteSpan nonce,
                    ByteSpan rand) const {
    VDAF_ARG_CHECK(measurement.size() == bits(), "Poplar1 shard: measurement must have BITS bits");
    VDAF_ARG_CHECK(nonce.size() == NONCE_SIZE, "Poplar1 shard: nonce must be 16 bytes");
    VDAF_ARG_CHECK(rand.size() == RAND_SIZE, "Poplar1 shard: rand must be 128 bytes");
    const std::size_t B = bits();
    SecretBytes r(rand.begin(), rand.end());
    ByteSpan idpf_rand = ByteSpan(r).subspan(0, 32);
    ByteSpan corr_seed[2] = {ByteSpan(r).subspan(32, 32), ByteSpan(r).subspan(64, 32)};
    ByteSpan shard_seed = ByteSpan(r).subspan(96, 32);

    // The shard-rand stream: the inner k's, the leaf k, then the second aggregator's (A, B)
    // shares level by level (2 Field64 per inner level, then 2 Field255). Sampling n elements
    // at once reads the stream exactly like n single samples (§6.2 next_vec).
    XofTurboShake128 xof(shard_seed, dst(kUsageShardRand, ctx), nonce);
    secret_vector<Field64> ks(B - 1);
    xof.next_vec_into<Field64>(ks);
    Field255 k_leaf[1];
    xof.next_vec_into<Field255>(k_leaf);
    secret_vector<Field64> beta_inner(2 * (B - 1));
    for (std::size_t l = 0; l + 1 < B; ++l) {
      beta_inner[2 * l] = Field64::one();
      beta_inner[2 * l + 1] = ks[l];
    }
    const Field255 beta_leaf[2] = {Field255::one(), k_leaf[0]};

    auto [ps, keys] = idpf_.gen_flat(measurement, beta_inner, beta_leaf, ctx, nonce, idpf_rand);

    // Correlated randomness (a, b, c) per level: sum of both aggregators' shares. The two
    // aggregators' streams are independent: their permutations run together (expand_many).
    secret_vector<Field64> corr_in(3 * (B - 1)), v(3 * (B - 1));
    const Bytes dst_inner = dst(kUsageCorrInner, ctx), dst_leaf = dst(kUsageCorrLeaf, ctx);
    const std::uint8_t ids[2] = {0, 1};
    {
      const XofExpandRequest<Field64> req[2] = {
          {corr_seed[0], dst_inner, {ByteSpan(ids, 1), nonce}, std::span<Field64>(corr_in)},
          {corr_seed[1], dst_inner, {ByteSpan(ids + 1, 1), nonce}, std::span<Field64>(v)}};
      XofTurboShake128::expand_many<Field64>(req);
    }
    vec_add<Field64>(std::span<Field64>(corr_in), std::span<const Field64>(v));
    Field255 wl[2][3];
    {
      const XofExpandRequest<Field255> req[2] = {
          {corr_seed[0], dst_leaf, {ByteSpan(ids, 1), nonce}, std::span<Field255>(wl[0])},
          {corr_seed[1], dst_leaf, {ByteSpan(ids + 1, 1), nonce}, std::span<Field255>(wl[1])}};
      XofTurboShake128::expand_many<Field255>(req);
    }
    Field255 corr_lf[3];
    for (std::size_t i = 0; i < 3; ++i) corr_lf[i] = wl[0][i] + wl[1][i];
    ShardResult res;
    std::copy(nonce.begin(), nonce.end(), res.nonce.begin());
    res.input_shares.resize(2);
    for (std::size_t j = 0; j < 2; ++j) {
      res.input_shares[j].idpf_key = keys[j];
      res.input_shares[j].corr_seed = SecretArray<32>(corr_seed[j]);
    }
    secret_vector<Field64>& in0 = res.input_shares[0].corr_inner;
    secret_vector<Field64>& in1 = res.input_shares[1].corr_inner;
    in1.resize(2 * (B - 1));
    xof.next_vec_into<Field64>(in1);
    in0.resize(2 * (B - 1));
    for (std::size_t l = 0; l + 1 < B; ++l) {
      auto [A, Bv] = ab(corr_in[3 * l], corr_in[3 * l + 1], corr_in[3 * l + 2], ks[l]);
      in0[2 * l] = A - in1[2 * l];
      in0[2 * l + 1] = Bv - in1[2 * l + 1];
    }
    {
      auto [A, Bv] = ab(corr_lf[0], corr_lf[1], corr_lf[2], k_leaf[0]);
      Field255 corr1[2];
      xof.next_vec_into<Field255>(corr1);
      res.input_shares[0].corr_leaf = {A - corr1[0], Bv - corr1[1]};
      res.input_shares[1].corr_leaf = {corr1[0], corr1[1]};
    }
    res.public_share = std::move(ps);
    return res;
  }

  /// shard with a fresh random nonce (16 bytes) and rand (128 bytes), both from this thread's
  /// DRBG (ct/drbg.hpp: ChaCha20 keyed from the OS CSPRNG, reseeded every MiB and after fork()),
  /// the same randomness policy as Prio3's shard.
  /// Spec: §8.2.1 shard.
  /// @param ctx          the application context, at most 65527 bytes.
  /// @param measurement  the measurement: BITS bits, most significant first (secret).
  /// @return the fresh nonce, the public share and the two input shares.
  /// @throws invalid_argument if len(measurement) != BITS or ctx is longer than 65527 bytes;
  /// internal_error if libsodium cannot be initialised.
  /// Constant-time in measurement and the drawn randomness, as the other overload.
  ShardResult shard(CtxBytes ctx, const Measurement& measurement) const {
    std::array<std::uint8_t, NONCE_SIZE> nonce;
    drbg_bytes(nonce);
    SecretBytes rand(RAND_SIZE);
    drbg_bytes(rand);
    return shard(ctx, measurement, nonce, rand);
  }

  // --- aggregators -------------------------------------------------------

  /// §8.2.3 is_valid: prefixes well-formed and strictly increasing; with a
  /// previous parameter, the level must increase and every prefix's ancestor at
  /// the last level must be among the last prefixes.
  /// @param ap        the candidate aggregation parameter.
  /// @param previous  the aggregation parameters already used with the same reports, oldest
  ///                  first (only the last one is compared with `ap`); empty if none.
  /// @return true iff `ap` may be used. Never throws (beyond allocation failure).
  /// Public data (not constant-time).
  bool is_valid(const AggParam& ap, std::span<const AggParam> previous) const {
    if (!well_formed(ap)) return false;
    if (previous.empty()) return true;
    const AggParam& last = previous.back();
    if (ap.level <= last.level) return false;
    for (const auto& p : ap.prefixes) {
      if (p.size() < std::size_t{last.level} + 1) return false;
      const BitString anc = p.prefix(std::size_t{last.level} + 1);
      if (!std::binary_search(last.prefixes.begin(), last.prefixes.end(), anc)) return false;
    }
    return true;
  }

  /// §8.2.2 verify_init. Shapes: verify_key 32 bytes, nonce 16 bytes.
  /// `cache` (optional) keeps IDPF nodes across levels for this report and aggregator; an
  /// unbound cache is bound to (agg_id, the input share's IDPF key, ctx, nonce).
  /// @param verify_key  the aggregators' common verify key: VERIFY_KEY_SIZE (32) bytes (secret).
  /// @param ctx         the application context given to shard (at most 65527 bytes).
  /// @param agg_id      this aggregator, 0 or 1.
  /// @param ap          the aggregation parameter: level < BITS, prefixes of level+1 bits,
  ///                    strictly increasing (the history rules are is_valid's, run it first).
  /// @param nonce       the report's nonce: NONCE_SIZE (16) bytes.
  /// @param ps          the report's public share (BITS correction words).
  /// @param share       this aggregator's input share (2·(BITS−1) corr_inner, 2 corr_leaf).
  /// @param cache       optional IDPF evaluation cache of this report and aggregator (nullptr:
  ///                    none); updated to hold this level's nodes.
  /// @return the verification state (secret) and the round-1 verifier share: 3 elements of
  ///         the level's field (public, sent to the other aggregator).
  /// @throws invalid_argument on bad shapes (verify key, nonce, agg_id, input share or public
  /// share), a malformed agg_param, a ctx longer than 65527 bytes, or a cache bound to another
  /// report or aggregator (the cache is then unchanged).
  /// Constant-time in the verify key, the input share and the IDPF values (apart from the
  /// public, rare rejection events of sampling); the aggregation parameter is public.
  std::pair<VerifyState, VerifierShare> verify_init(
      ByteSpan verify_key, CtxBytes ctx, std::size_t agg_id, const AggParam& ap, ByteSpan nonce,
      const PublicShare& ps, const InputShare& share,
      IdpfBBCGGI21::EvalCache* cache = nullptr) const {
    VDAF_ARG_CHECK(verify_key.size() == VERIFY_KEY_SIZE,
                   "Poplar1 verify_init: verify_key must be 32 bytes");
    VDAF_ARG_CHECK(nonce.size() == NONCE_SIZE, "Poplar1 verify_init: nonce must be 16 bytes");
    VDAF_ARG_CHECK(agg_id < 2, "Poplar1 verify_init: agg_id must be 0 or 1");
    if (const char* rule = malformed_rule(ap)) {
      VDAF_THROW(invalid_argument,
                 std::string("Poplar1 verify_init: malformed aggregation parameter: ") + rule);
    }
    VDAF_ARG_CHECK(share.corr_inner.size() == 2 * (bits() - 1) && share.corr_leaf.size() == 2,
                   "Poplar1 verify_init: input share has wrong length");
    if (is_leaf(ap.level)) {
      auto value = idpf_.eval_leaf(agg_id, ps, share.idpf_key, ap.prefixes, ctx, nonce, cache);
      return init_level<Field255>(verify_key, ctx, agg_id, ap, nonce, share, value);
    }
    auto value =
        idpf_.eval_inner(agg_id, ps, share.idpf_key, ap.level, ap.prefixes, ctx, nonce, cache);
    return init_level<Field64>(verify_key, ctx, agg_id, ap, nonce, share, value);
  }

  /// §8.2.2 verifier_shares_to_message: round 1 sums the sketch (3 elements);
  /// round 2 checks that the shares sum to zero and returns no message. The round is told by
  /// the shares' length (3 elements: round 1, 1 element: round 2). The unnamed first parameter
  /// is the application context (unused by Poplar1).
  /// @param ap      the aggregation parameter (its level gives the field).
  /// @param shares  the 2 verifier shares of one round, aggregator j's at index j.
  /// @return round 1: the summed 3-element sketch; round 2: std::nullopt (the sketch verifies).
  /// @throws verify_error (reason sketch_rejected) if the round-2 sum is not zero;
  /// invalid_argument on bad shapes (not 2 shares, a field that does not match the level,
  /// different lengths, or a length other than 1 or 3).
  /// Public data (verifier shares are exchanged in the clear).
  VerifierMessage verifier_shares_to_message(CtxBytes, const AggParam& ap,
                                             std::span<const VerifierShare> shares) const {
    VDAF_ARG_CHECK(shares.size() == 2, "Poplar1: expected 2 verifier shares");
    if (is_leaf(ap.level)) return combine<Field255>(shares);
    return combine<Field64>(shares);
  }

  /// §8.2.2 verify_next: round 1 → (state, 1-element share); round 2 → out share.
  /// The unnamed first parameter is the application context (unused by Poplar1).
  /// @param state  this aggregator's state from verify_init (round 1) or from the previous
  ///               verify_next (round 2).
  /// @param msg    the round's verifier message from verifier_shares_to_message: the
  ///               3-element sketch in round 1, std::nullopt in round 2.
  /// @return round 1: the next state and the round-2 verifier share (1 element of the level's
  ///         field, public); round 2: the output share (len(prefixes) elements, secret).
  /// @throws invalid_argument if `state` is not a valid state of this instance (e.g.
  /// default-constructed); verify_error (reason message_mismatch) on a message that does not
  /// fit the state's round or field.
  /// Constant-time in the state's secrets.
  std::variant<std::pair<VerifyState, VerifierShare>, OutShare> verify_next(
      CtxBytes, const VerifyState& state, const VerifierMessage& msg) const {
    check_state(state, "Poplar1 verify_next");
    if (std::holds_alternative<secret_vector<Field255>>(state.mem))
      return next_level<Field255>(state, msg);
    return next_level<Field64>(state, msg);
  }

  /// §8.2.4 agg_init: len(prefixes) zeros of the level's field.
  /// @param ap  the aggregation parameter (its level gives the field).
  /// @return an aggregate share of len(prefixes) zeros (Field255 at the leaf, else Field64).
  AggShare agg_init(const AggParam& ap) const {
    if (is_leaf(ap.level)) return secret_vector<Field255>(ap.prefixes.size(), Field255::zero());
    return secret_vector<Field64>(ap.prefixes.size(), Field64::zero());
  }
  /// §8.2.4 agg_update: adds an output share to an aggregate share, element by element.
  /// @param ap   the aggregation parameter.
  /// @param agg  the aggregate share to update: len(prefixes) elements of the level's field.
  /// @param out  the output share to add: len(prefixes) elements of the level's field.
  /// @throws invalid_argument on a field or length mismatch (the aggregate is unchanged then).
  /// Constant-time in the shares.
  void agg_update(const AggParam& ap, AggShare& agg, const OutShare& out) const {
    VDAF_ARG_CHECK(agg.index() == out.index() && agg.index() == (is_leaf(ap.level) ? 1u : 0u),
                   "Poplar1 agg_update: field does not match the level");
    std::visit(
        [&](auto& a) {
          using V = std::decay_t<decltype(a)>;
          const V& o = std::get<V>(out);
          VDAF_ARG_CHECK(a.size() == ap.prefixes.size() && o.size() == ap.prefixes.size(),
                         "Poplar1 agg_update: length is not the number of prefixes");
          for (std::size_t i = 0; i < a.size(); ++i) a[i] += o[i];
        },
        agg);
  }
  /// §8.2.4 merge: the sum of aggregate shares (agg_init, then agg_update with each).
  /// @param ap      the aggregation parameter.
  /// @param shares  aggregate shares of `ap`, any number (len(prefixes) elements each).
  /// @return their sum (len(prefixes) zeros if `shares` is empty).
  /// @throws invalid_argument on a field or length mismatch.
  /// Constant-time in the shares.
  AggShare merge(const AggParam& ap, std::span<const AggShare> shares) const {
    AggShare acc = agg_init(ap);
    for (const auto& s : shares) agg_update(ap, acc, s);
    return acc;
  }
  /// §8.2.5 unshard: per-prefix counts. No silent wrap: a count is at most num_measurements,
  /// so at an inner level (Field64) unshard refuses num_measurements >= p = 2^64 − 2^32 + 1
  /// (Field255 at the leaf cannot wrap).
  /// @param ap                the aggregation parameter.
  /// @param shares            the 2 aggregate shares, aggregator j's at index j.
  /// @param num_measurements  the number of reports aggregated (< 2^64 − 2^32 + 1 at an inner
  ///                          level).
  /// @return one count per prefix, in the order of ap.prefixes.
  /// @throws invalid_argument on bad shapes, num_measurements that could wrap, or a count that
  /// does not fit in 64 bits.
  /// Not constant-time: the result is public.
  AggResult unshard(const AggParam& ap, std::span<const AggShare> shares,
                    std::uint64_t num_measurements) const {
    VDAF_ARG_CHECK(shares.size() == 2, "Poplar1 unshard: expected 2 aggregate shares");
    VDAF_ARG_CHECK(is_leaf(ap.level) || num_measurements < Field64::MODULUS,
                   "Poplar1 unshard: " + std::to_string(num_measurements) +
                       " measurements could make a count reach the field modulus of an inner "
                       "level (Field64) and wrap");
    AggShare sum = merge(ap, shares);
    AggResult out;
    std::visit(
        [&](const auto& v) {
          for (const auto& x : v) out.push_back(to_u64(x));
        },
        sum);
    return out;
  }

  // --- encodings (§8.2.6) ---------------------------------------------------

  /// Encodes a public share (§8.2.6; IdpfBBCGGI21::encode_public_share).
  /// @param ps  the public share: BITS correction words.
  /// @return (2·BITS+7)/8 + 16·BITS + 16·(BITS−1) + 64 bytes (177 for BITS = 4).
  /// @throws invalid_argument if the public share has the wrong shape.
  Bytes encode_public_share(const PublicShare& ps) const { return idpf_.encode_public_share(ps); }
  /// Decodes a public share (§8.2.6; IdpfBBCGGI21::decode_public_share).
  /// @param b  exactly (2·BITS+7)/8 + 16·BITS + 16·(BITS−1) + 64 bytes.
  /// @return the public share: BITS correction words.
  /// @throws decode_error on a wrong length, non-zero padding bits or a non-canonical element.
  PublicShare decode_public_share(ByteSpan b) const { return idpf_.decode_public_share(b); }

  /// Encodes an input share (§8.2.6): idpf_key (16) ‖ corr_seed (32) ‖ corr_inner (8 bytes
  /// each) ‖ corr_leaf (32 bytes each). The lengths are not checked.
  /// @param s  the input share (secret).
  /// @return 16 + 32 + 16·(BITS−1) + 64 bytes for a well-formed share (160 for BITS = 4), in
  ///         plain (non-wiping) Bytes.
  /// Constant-time.
  Bytes encode_input_share(const InputShare& s) const {
    Bytes out;
    append(out, s.idpf_key);
    append(out, s.corr_seed);
    Field64::encode_vec_into(out, std::span<const Field64>(s.corr_inner));
    Field255::encode_vec_into(out, std::span<const Field255>(s.corr_leaf));
    return out;
  }
  /// Decodes an input share (§8.2.6).
  /// @param agg_id  the aggregator the share is for, 0 or 1 (both shares have the same format:
  ///                it is only checked).
  /// @param b       exactly 16 + 32 + 16·(BITS−1) + 64 bytes.
  /// @return the input share (secret).
  /// @throws invalid_argument if agg_id >= 2; decode_error on a wrong length or non-canonical
  /// element. Rejection is not constant-time (it reveals that the input was malformed);
  /// accepted input is processed without secret-dependent branches.
  InputShare decode_input_share(std::size_t agg_id, ByteSpan b) const {
    VDAF_ARG_CHECK(agg_id < 2, "Poplar1 decode_input_share: agg_id must be 0 or 1");
    Reader r(b, "Poplar1 input share");
    InputShare s;
    s.idpf_key = IdpfBBCGGI21::Key(r.take(16));
    s.corr_seed = SecretArray<32>(r.take(32));
    Field64::decode_vec_into(s.corr_inner, r.take(2 * (bits() - 1) * 8), "Poplar1 input share");
    Field255::decode_vec_into(s.corr_leaf, r.take(2 * 32), "Poplar1 input share");
    r.finish();
    return s;
  }

  /// Encodes a verifier share (§8.2.6): its elements, 8 bytes each (Field64) or 32 (Field255).
  /// @param v  the verifier share.
  /// @return 24 or 96 bytes in round 1, 8 or 32 in round 2.
  Bytes encode_verifier_share(const VerifierShare& v) const { return encode_field_vec(v); }
  /// Decodes a verifier share (§8.2.6). Length: 3 elements in round 1, 1 in round 2 (field
  /// from the state's level).
  /// @param st  this aggregator's current state (gives the round and the level).
  /// @param b   the encoding: 3 or 1 elements of the level's field.
  /// @return the verifier share.
  /// @throws decode_error on a wrong length or a non-canonical element.
  VerifierShare decode_verifier_share(const VerifyState& st, ByteSpan b) const {
    const std::size_t n = st.step == VerifyState::Step::kEvaluateSketch ? 3 : 1;
    return decode_field_vec(st.level, n, b, "Poplar1 verifier share");
  }
  /// Encodes a verifier message (§8.2.6).
  /// @param m  the message.
  /// @return round 1: the sketch's 3 elements (24 or 96 bytes); round 2 (std::nullopt): empty.
  Bytes encode_verifier_message(const VerifierMessage& m) const {
    return m ? encode_field_vec(*m) : Bytes{};
  }
  /// Decodes a verifier message (§8.2.6). Round 1: 3 elements; round 2: empty.
  /// @param st  this aggregator's current state (gives the round and the level).
  /// @param b   the encoding: 3 elements of the level's field in round 1, empty in round 2.
  /// @return the sketch in round 1, std::nullopt in round 2.
  /// @throws decode_error on a wrong length or a non-canonical element.
  VerifierMessage decode_verifier_message(const VerifyState& st, ByteSpan b) const {
    if (st.step == VerifyState::Step::kEvaluateSketch) {
      return decode_field_vec(st.level, 3, b, "Poplar1 verifier message");
    }
    Reader r(b, "Poplar1 verifier message");
    r.finish();
    return std::nullopt;
  }

  /// §8.2.6: be16 level ‖ be32 num_prefixes ‖ prefixes, each packed MSB-first
  /// into ceil((level+1)/8) bytes with zero padding.
  /// @param ap  the aggregation parameter: every prefix of level+1 bits, at most 2^32−1 of
  ///            them (level < BITS is not checked here).
  /// @return 6 + len(prefixes)·ceil((level+1)/8) bytes.
  /// @throws invalid_argument if there are more than 2^32−1 prefixes or a prefix has not
  /// level+1 bits.
  Bytes encode_agg_param(const AggParam& ap) const {
    VDAF_ARG_CHECK(ap.prefixes.size() <= 0xffffffffu, "Poplar1: too many prefixes");
    Bytes out;
    put_be16(out, ap.level);
    put_be32(out, static_cast<std::uint32_t>(ap.prefixes.size()));
    for (const auto& p : ap.prefixes) {
      VDAF_ARG_CHECK(p.size() == std::size_t{ap.level} + 1,
                     "Poplar1: prefix length must be level+1");
      p.append_packed(out);
    }
    return out;
  }
  /// Decodes an aggregation parameter (§8.2.6). The order of the prefixes is not checked
  /// (is_valid does).
  /// @param b  be16 level ‖ be32 n ‖ n prefixes of ceil((level+1)/8) bytes, nothing more.
  /// @return the aggregation parameter.
  /// @throws decode_error on a wrong length, non-zero padding bits or a level >= BITS.
  AggParam decode_agg_param(ByteSpan b) const {
    Reader r(b, "Poplar1 aggregation parameter");
    AggParam ap;
    ap.level = r.be16();
    if (ap.level >= bits())
      VDAF_THROW(decode_error, "Poplar1 aggregation parameter: level >= BITS");
    const std::uint32_t n = r.be32();
    const std::size_t plen = (std::size_t{ap.level} + 8) / 8;
    if (std::size_t{n} * plen != r.remaining()) {
      VDAF_THROW(decode_error, "Poplar1 aggregation parameter: length does not match num_prefixes");
    }
    ap.prefixes.reserve(n);
    for (std::uint32_t k = 0; k < n; ++k) {
      ByteSpan pb = r.take(plen);
      BitString p = BitString::from_packed(pb, std::size_t{ap.level} + 1);
      const std::size_t used = p.size() % 8;
      if (used != 0 && (pb.back() & (0xff >> used)) != 0) {
        VDAF_THROW(decode_error, "Poplar1 aggregation parameter: non-zero padding bits");
      }
      ap.prefixes.push_back(std::move(p));
    }
    r.finish();
    return ap;
  }

  /// Encodes an output share: its elements, 8 bytes each (Field64) or 32 (Field255).
  /// @param s  the output share (secret).
  /// @return len(s)·8 or len(s)·32 bytes, in plain (non-wiping) Bytes. Constant-time.
  Bytes encode_out_share(const OutShare& s) const { return encode_field_vec(s); }
  /// Encodes an aggregate share (§8.2.6): its elements, 8 bytes each (Field64) or 32 (Field255).
  /// @param s  the aggregate share.
  /// @return len(s)·8 or len(s)·32 bytes. Constant-time.
  Bytes encode_agg_share(const AggShare& s) const { return encode_field_vec(s); }
  /// Decodes an aggregate share (§8.2.6).
  /// @param ap  the aggregation parameter (gives the field and len(prefixes)).
  /// @param b   exactly len(prefixes) elements of the level's field.
  /// @return the aggregate share.
  /// @throws decode_error on a wrong length or a non-canonical element.
  AggShare decode_agg_share(const AggParam& ap, ByteSpan b) const {
    return decode_field_vec(ap.level, ap.prefixes.size(), b, "Poplar1 aggregate share");
  }

  /// Decodes an output share (the inverse of encode_out_share).
  /// @param ap  the aggregation parameter (gives the field and len(prefixes)).
  /// @param b   exactly len(prefixes) elements of the level's field.
  /// @return the output share (secret).
  /// @throws decode_error on a wrong length or non-canonical element (len(prefixes) elements
  /// of the level's field).
  OutShare decode_out_share(const AggParam& ap, ByteSpan b) const {
    return decode_field_vec(ap.level, ap.prefixes.size(), b, "Poplar1 output share");
  }

  /// Checks that `st` is a valid state of this instance in ping-pong round `round` of the
  /// aggregation parameter `ap`: round 0 before the sketch is revealed, round 1 after; the
  /// state's level and number of prefixes those of `ap` (PingPong calls this on every state it
  /// restores or steps, so a state of another round or job is refused up front).
  /// @param ap     the aggregation parameter of the job.
  /// @param st     the state to check.
  /// @param round  the ping-pong round the state is used in: 0 or 1.
  /// @throws invalid_argument (saying what differs) otherwise.
  void check_verify_state(const AggParam& ap, const VerifyState& st, std::size_t round) const {
    check_state(st, "Poplar1 verify state");
    const std::size_t want_round = st.step == VerifyState::Step::kEvaluateSketch ? 0 : 1;
    VDAF_ARG_CHECK(round == want_round, "Poplar1: a verify state of round " +
                                            std::to_string(want_round) + " used in round " +
                                            std::to_string(round));
    VDAF_ARG_CHECK(st.level == ap.level && st.num_prefixes == ap.prefixes.size(),
                   "Poplar1: the verify state is for level " + std::to_string(st.level) + " with " +
                       std::to_string(st.num_prefixes) +
                       " prefixes, the aggregation parameter for level " +
                       std::to_string(ap.level) + " with " + std::to_string(ap.prefixes.size()));
  }

  // --- stored state (vdaf-cpp's own format, core/stored.hpp) -----------------

  /// Encodes a verification state for storage between rounds. Layout: the 14-byte stored
  /// header (kind poplar1_verify_state, ID 6, this instance's digest) ‖ u8 step (0: before the
  /// sketch is revealed, 1: after) ‖ be16 level ‖ u8 agg_id ‖ be32 n (number of prefixes) ‖ in
  /// step 0 the correlated shares A, B, then n output-share elements; in step 1 the n elements
  /// only (Field64 below the leaf, Field255 at it).
  /// @param st  the state to encode.
  /// @return the encoding, in wiping memory (it holds secrets).
  /// @throws invalid_argument if `st` is not a valid state of this instance.
  /// Constant-time in the secrets.
  SecretBytes encode_verify_state(const VerifyState& st) const {
    check_state(st, "Poplar1 encode_verify_state");
    StoredWriter w(StoredKind::poplar1_verify_state, ID, digest_);
    const bool eval = st.step == VerifyState::Step::kEvaluateSketch;
    w.u8(eval ? 0 : 1);
    w.be16(st.level);
    w.u8(static_cast<std::uint8_t>(st.agg_id));
    w.be32(static_cast<std::uint32_t>(st.num_prefixes));
    std::visit(
        [&](const auto& mem) {
          using F = typename std::decay_t<decltype(mem)>::value_type;
          const std::span<const F> m(mem);
          if (eval) {
            w.template elems<F>(m.subspan(0, 2));
            w.template elems<F>(m.subspan(3));
          } else {
            w.template elems<F>(m);
          }
        },
        st.mem);
    return std::move(w).take();
  }

  /// Decodes what encode_verify_state made, with an instance of the same BITS. Checks the
  /// header, step, level < BITS, agg_id < 2 and the exact length before allocating.
  /// @param b  the encoding made by encode_verify_state.
  /// @return the state, ready for verify_next.
  /// @throws decode_error (saying what) on another format, kind, VDAF or BITS, a truncated or
  /// over-long encoding, a bad step, level or agg_id, or a non-canonical element.
  VerifyState decode_verify_state(ByteSpan b) const {
    Reader r(b, "Poplar1 stored verify state");
    read_stored_header(r, StoredKind::poplar1_verify_state, ID, digest_,
                       "Poplar1 stored verify state");
    const std::uint8_t step = r.u8();
    if (step > 1) VDAF_THROW(decode_error, "Poplar1 stored verify state: bad step");
    VerifyState st;
    st.step = step == 0 ? VerifyState::Step::kEvaluateSketch : VerifyState::Step::kRevealSketch;
    st.level = r.be16();
    if (st.level >= bits()) {
      VDAF_THROW(decode_error, "Poplar1 stored verify state: level " + std::to_string(st.level) +
                                   " >= BITS " + std::to_string(bits()));
    }
    st.agg_id = r.u8();
    if (st.agg_id >= 2) VDAF_THROW(decode_error, "Poplar1 stored verify state: agg_id >= 2");
    st.num_prefixes = r.be32();
    const std::size_t fe = is_leaf(st.level) ? Field255::ENCODED_SIZE : Field64::ENCODED_SIZE;
    const std::size_t extra = step == 0 ? 2 : 0;
    if (r.remaining() % fe != 0 || r.remaining() / fe != st.num_prefixes + extra) {
      VDAF_THROW(decode_error, "Poplar1 stored verify state: length does not match " +
                                   std::to_string(st.num_prefixes) + " prefixes");
    }
    const ByteSpan body = r.take(r.remaining());
    auto fill = [&](auto& mem) {
      using F = typename std::decay_t<decltype(mem)>::value_type;
      secret_vector<F> vals;
      F::decode_vec_into(vals, body, "Poplar1 stored verify state");
      if (step == 0) {
        mem.reserve(vals.size() + 1);
        mem.push_back(vals[0]);
        mem.push_back(vals[1]);
        mem.push_back(F::from_u64(st.agg_id));
        mem.insert(mem.end(), vals.begin() + 2, vals.end());
      } else {
        mem = std::move(vals);
      }
    };
    if (is_leaf(st.level)) {
      secret_vector<Field255> mem;
      fill(mem);
      st.mem = std::move(mem);
    } else {
      secret_vector<Field64> mem;
      fill(mem);
      st.mem = std::move(mem);
    }
    return st;
  }

  /// Encodes an IDPF evaluation cache so an aggregator can keep it between levels of a
  /// heavy-hitters walk (in another process): the 14-byte stored header (kind idpf_eval_cache,
  /// ID 6, this instance's digest) ‖ IdpfBBCGGI21::encode_cache: 15 bytes for an unbound
  /// cache, else 56 + len(ctx) + n·(17 + ceil((level+1)/8)) bytes for n cached prefixes of the
  /// last evaluated level.
  /// @param cache  the cache to encode (bound or not).
  /// @return the encoding, in wiping memory (it holds the IDPF key and nodes).
  /// Constant-time in the secrets.
  SecretBytes encode_eval_cache(const EvalCache& cache) const {
    StoredWriter w(StoredKind::idpf_eval_cache, ID, digest_);
    idpf_.encode_cache(w, cache);
    return std::move(w).take();
  }
  /// Decodes what encode_eval_cache made, with an instance of the same BITS.
  /// @param b  the encoding made by encode_eval_cache.
  /// @return the cache, bound to its report and aggregator (unbound if stored unbound).
  /// @throws decode_error on another format, kind, VDAF or BITS, or a malformed body (see
  /// IdpfBBCGGI21::decode_cache).
  EvalCache decode_eval_cache(ByteSpan b) const {
    Reader r(b, "Poplar1 stored EvalCache");
    read_stored_header(r, StoredKind::idpf_eval_cache, ID, digest_, "Poplar1 stored EvalCache");
    EvalCache c = idpf_.decode_cache(r);
    r.finish();
    return c;
  }

  /// Helper: measurement from the low `bits` bits of an integer, MSB first.
  /// @param v     the integer.
  /// @param bits  the number of bits, BITS (if more than 64, the leading bits are 0).
  /// @return a BitString of `bits` bits: bit i is bit (bits−1−i) of v.
  /// No constant-time guarantee (a convenience for tests and examples).
  static Measurement measurement_from_int(std::uint64_t v, std::size_t bits) {
    Measurement m(bits);
    for (std::size_t i = 0; i < bits; ++i)
      m[i] = i + 64 >= bits && ((v >> (bits - 1 - i)) & 1) != 0;
    return m;
  }

 private:
  static constexpr std::uint16_t kUsageShardRand = 1, kUsageCorrInner = 2, kUsageCorrLeaf = 3,
                                 kUsageVerifyRand = 4;
  Bytes dst(std::uint16_t usage, ByteSpan ctx) const { return format_dst(0, ID, usage, ctx); }

  /// Throws invalid_argument (naming `where`) unless `st` is a state verify_init or verify_next
  /// of this instance could have made: level < BITS, agg_id < 2, the level's field, and
  /// 3 + num_prefixes (before the sketch is revealed) or num_prefixes (after) elements.
  void check_state(const VerifyState& st, const char* where) const {
    const std::string w(where);
    VDAF_ARG_CHECK(st.level < bits(), w + ": state's level >= BITS");
    VDAF_ARG_CHECK(st.agg_id < 2, w + ": state's agg_id must be 0 or 1");
    VDAF_ARG_CHECK(st.step == VerifyState::Step::kEvaluateSketch ||
                       st.step == VerifyState::Step::kRevealSketch,
                   w + ": state's step is invalid");
    VDAF_ARG_CHECK(st.mem.index() == (is_leaf(st.level) ? 1u : 0u),
                   w + ": state's field does not match its level");
    const std::size_t want =
        st.num_prefixes + (st.step == VerifyState::Step::kEvaluateSketch ? 3 : 0);
    const std::size_t have = std::visit([](const auto& m) { return m.size(); }, st.mem);
    VDAF_ARG_CHECK(have == want, w + ": not a verification state of this instance (" +
                                     std::to_string(have) + " values, expected " +
                                     std::to_string(want) +
                                     "; a default-constructed or already consumed state?)");
  }

  template <class F>
  static std::pair<F, F> ab(F a, F b, F c, F k) {
    const F A = -(a + a) + k;
    const F B = a * a + b - a * k + c;
    return {A, B};
  }

  bool well_formed(const AggParam& ap) const { return malformed_rule(ap) == nullptr; }

  /// The rule of §8.2.3 a parameter breaks (for error messages), or nullptr if well formed.
  const char* malformed_rule(const AggParam& ap) const {
    if (ap.level >= bits()) return "level must be below BITS";
    for (std::size_t i = 0; i < ap.prefixes.size(); ++i) {
      if (ap.prefixes[i].size() != std::size_t{ap.level} + 1) {
        return "every prefix must have level + 1 bits";
      }
      if (i > 0 && !(ap.prefixes[i - 1] < ap.prefixes[i])) {
        return "prefixes must be distinct and in increasing order";
      }
    }
    return nullptr;
  }

  template <class F>
  std::pair<VerifyState, VerifierShare> init_level(ByteSpan verify_key, ByteSpan ctx,
                                                   std::size_t agg_id, const AggParam& ap,
                                                   ByteSpan nonce, const InputShare& share,
                                                   const IdpfBBCGGI21::Values<F>& value) const {
    constexpr bool leaf = std::is_same_v<F, Field255>;
    const std::uint8_t idb[1] = {static_cast<std::uint8_t>(agg_id)};
    XofTurboShake128 corr(share.corr_seed, dst(leaf ? kUsageCorrLeaf : kUsageCorrInner, ctx),
                          {ByteSpan(idb), nonce});
    {
      // Fast-forward past the earlier levels (3 elements each) by sampling them, through a small
      // wiping buffer (sampling n elements reads the stream like n single samples, §6.2).
      constexpr std::size_t kSkip = 48;
      SecretScratch<F> skip(kSkip);
      for (std::size_t left = leaf ? 0 : 3 * std::size_t{ap.level}; left > 0;) {
        const std::size_t n = std::min(left, kSkip);
        corr.template next_vec_into<F>(skip.span().first(n));
        left -= n;
      }
    }
    SecretScratch<F> abc(3);
    corr.template next_vec_into<F>(abc.span());
    F A, B;
    if constexpr (leaf) {
      A = share.corr_leaf[0];
      B = share.corr_leaf[1];
    } else {
      A = share.corr_inner[2 * std::size_t{ap.level}];
      B = share.corr_inner[2 * std::size_t{ap.level} + 1];
    }
    const std::uint8_t lv[2] = {static_cast<std::uint8_t>(ap.level >> 8),
                                static_cast<std::uint8_t>(ap.level)};
    XofTurboShake128 vr(verify_key, dst(kUsageVerifyRand, ctx), {nonce, ByteSpan(lv)});
    // The verify randomness (derived from the verify key: secret) in wiping memory too.
    SecretScratch<F> r(ap.prefixes.size());
    vr.template next_vec_into<F>(r.span());
    secret_vector<F> sketch = {abc.data()[0], abc.data()[1], abc.data()[2]};
    secret_vector<F> mem;
    mem.reserve(3 + r.size());
    mem.insert(mem.end(), {A, B, F::from_u64(agg_id)});
    for (std::size_t i = 0; i < r.size(); ++i) {
      const F d = value[i][0], k = value[i][1];
      const F ri = r.data()[i];
      sketch[0] += d * ri;
      sketch[1] += d * ri * ri;
      sketch[2] += k * ri;
      mem.push_back(d);
    }
    VerifyState st;
    st.step = VerifyState::Step::kEvaluateSketch;
    st.level = ap.level;
    st.agg_id = agg_id;
    st.num_prefixes = ap.prefixes.size();
    st.mem = std::move(mem);
    ct::unpoison(std::span<const F>(sketch));  // PUBLIC: the sketch share is sent (§8.2.2)
    return {std::move(st), VerifierShare(std::move(sketch))};
  }

  template <class F>
  VerifierMessage combine(std::span<const VerifierShare> shares) const {
    const auto* a = std::get_if<secret_vector<F>>(&shares[0]);
    const auto* b = std::get_if<secret_vector<F>>(&shares[1]);
    VDAF_ARG_CHECK(a != nullptr && b != nullptr,
                   "Poplar1: verifier share field does not match the level");
    VDAF_ARG_CHECK(a->size() == b->size(), "Poplar1: verifier shares differ in length");
    secret_vector<F> sum(a->size());
    for (std::size_t i = 0; i < sum.size(); ++i) sum[i] = (*a)[i] + (*b)[i];
    if (sum.size() == 3) return Poplar1FieldVec(std::move(sum));
    if (sum.size() == 1) {
      if (sum[0] == F::zero()) return std::nullopt;
      VDAF_VERIFY_FAIL(sketch_rejected, "Poplar1: rejected: the sketch does not verify");
    }
    VDAF_THROW(invalid_argument, "Poplar1: verifier share has the wrong length");
  }

  template <class F>
  std::variant<std::pair<VerifyState, VerifierShare>, OutShare> next_level(
      const VerifyState& st, const VerifierMessage& msg) const {
    const auto& mem = std::get<secret_vector<F>>(st.mem);
    if (st.step == VerifyState::Step::kEvaluateSketch) {
      if (!msg)
        VDAF_VERIFY_FAIL(message_mismatch,
                         "Poplar1 verify_next: expected the round-1 sketch, got none");
      const auto* s = std::get_if<secret_vector<F>>(&*msg);
      if (s == nullptr || s->size() != 3)
        VDAF_VERIFY_FAIL(message_mismatch, "Poplar1 verify_next: malformed sketch");
      const F X = (*s)[0], Y = (*s)[1], Z = (*s)[2];
      // PUBLIC: the round-2 verifier share is sent to the other aggregator (§8.2.2).
      const F share = ct::declassify(mem[2] * (X * X - Y - Z) + mem[0] * X + mem[1]);
      VerifyState next;
      next.step = VerifyState::Step::kRevealSketch;
      next.level = st.level;
      next.agg_id = st.agg_id;
      next.num_prefixes = st.num_prefixes;
      next.mem = secret_vector<F>(mem.begin() + 3, mem.end());
      return std::pair<VerifyState, VerifierShare>(std::move(next),
                                                   VerifierShare(secret_vector<F>{share}));
    }
    if (msg)
      VDAF_VERIFY_FAIL(message_mismatch, "Poplar1 verify_next: unexpected message in round 2");
    return OutShare(mem);
  }

  static Bytes encode_field_vec(const Poplar1FieldVec& v) {
    return std::visit(
        [](const auto& x) {
          using F = typename std::decay_t<decltype(x)>::value_type;
          return F::encode_vec(std::span<const F>(x));
        },
        v);
  }
  Poplar1FieldVec decode_field_vec(std::size_t level, std::size_t n, ByteSpan b,
                                   const char* what) const {
    Reader r(b, what);
    if (is_leaf(level)) {
      secret_vector<Field255> v;
      Field255::decode_vec_into(v, r.take(n * Field255::ENCODED_SIZE), what);
      r.finish();
      return v;
    }
    secret_vector<Field64> v;
    Field64::decode_vec_into(v, r.take(n * Field64::ENCODED_SIZE), what);
    r.finish();
    return v;
  }
  static std::uint64_t to_u64(const Field64& x) { return x.as_int(); }
  static std::uint64_t to_u64(const Field255& x) {
    const auto limbs = x.as_int();
    VDAF_ARG_CHECK((limbs[1] | limbs[2] | limbs[3]) == 0,
                   "Poplar1 unshard: count does not fit in 64 bits");
    return limbs[0];
  }

  IdpfBBCGGI21 idpf_;
  InstanceDigest digest_;
};

VDAF_END_NAMESPACE
