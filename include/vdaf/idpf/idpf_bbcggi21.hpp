// The IDPF of BBCGGI21 (draft-irtf-cfrg-vdaf-20 §8.3), used by Poplar1.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "vdaf/codec/codec.hpp"
#include "vdaf/core/bit_string.hpp"
#include "vdaf/core/bytes.hpp"
#include "vdaf/core/dst.hpp"
#include "vdaf/core/small_vector.hpp"
#include "vdaf/core/stored.hpp"
#include "vdaf/ct/ct.hpp"
#include "vdaf/ct/poison.hpp"
#include "vdaf/errors.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/field/field255.hpp"
#include "vdaf/version.hpp"
#include "vdaf/xof/xof_fixed_key_aes128.hpp"
#include "vdaf/xof/xof_turboshake128.hpp"

VDAF_BEGIN_NAMESPACE

/// IdpfBBCGGI21 (§8.3): a two-party incremental DPF over BITS-bit indices whose
/// values are VALUE_LEN-vectors of Field64 at inner levels 0..BITS−2 and of
/// Field255 at the leaf level BITS−1. Inner levels use XofFixedKeyAes128, the leaf
/// XofTurboShake128 (16-byte seeds). Constant-time in keys, seeds, control bits,
/// alpha and beta (apart from the public, ~2^−32-likely rejection events of sampling);
/// prefixes and levels are public.
class IdpfBBCGGI21 {
 public:
  /// Number of keys gen produces, one per aggregator (§8.3): 2.
  static constexpr std::size_t SHARES = 2;
  /// Length in bytes of one aggregator's IDPF key (§8.3): 16.
  static constexpr std::size_t KEY_SIZE = 16;
  /// Length in bytes of the randomness gen consumes (§8.3): 32, the two 16-byte keys.
  static constexpr std::size_t RAND_SIZE = 32;
  /// Length in bytes of the nonce (the XOF binder) of gen and eval (§8.3): 16.
  static constexpr std::size_t NONCE_SIZE = 16;
  /// Field of the values at the inner levels 0..BITS−2 (§8.3): Field64.
  using FieldInner = Field64;
  /// Field of the values at the leaf level BITS−1 (§8.3): Field255.
  using FieldLeaf = Field255;
  /// A 16-byte seed, as in the seed correction of a correction word.
  using Seed16 = std::array<std::uint8_t, 16>;
  /// One aggregator's IDPF key: KEY_SIZE secret bytes (wiped on destruction).
  using Key = SecretArray<KEY_SIZE>;

  /// One level of the public share: seed, control-bit and value corrections.
  /// `w_inner` (VALUE_LEN) is used at inner levels, `w_leaf` at the leaf.
  struct CorrectionWord {
    Seed16 seed_cw{};               ///< Seed correction (16 bytes). Public.
    std::array<bool, 2> ctrl_cw{};  ///< Control-bit corrections for the (left, right) child.
    /// Value correction at an inner level: VALUE_LEN Field64 (empty at the leaf level; stored
    /// inline for VALUE_LEN <= 2, as in Poplar1).
    SmallVector<Field64, 2> w_inner;
    /// Value correction at the leaf level: VALUE_LEN Field255 (empty at inner levels).
    std::vector<Field255> w_leaf;
  };
  /// The public share (§8.3): BITS correction words, level l's at index l. Public.
  using PublicShare = std::vector<CorrectionWord>;
  /// What eval returns: this aggregator's share of the VALUE_LEN-vector at each prefix, in the
  /// order of the prefixes. Shares of secrets: wiping storage.
  template <class F>
  using Values = std::vector<secret_vector<F>>;

 private:
  static constexpr std::uint16_t kUsageExtend = 0, kUsageConvert = 1;

  /// A node of the evaluation tree: seed (little-endian 8-byte halves) and control bit (0/1).
  /// Secret.
  struct RawNode {
    std::uint64_t lo = 0, hi = 0, ctrl = 0;
  };

  /// Per-report XOF material: the DSTs, the nonce and the two fixed AES keys (§6.2.2), derived
  /// once per (ctx, nonce).
  struct KeyMaterial {
    /// Both tags format_dst(1, 0, usage) ‖ ctx (usage extend, then convert), inline for short
    /// contexts (no heap allocation per eval call).
    SmallVector<std::uint8_t, 96> dsts;
    std::size_t tag_len;
    std::array<std::uint8_t, 16> nonce;
    /// The fixed keys of the two tags: extend, then convert (derived together: one multi-lane
    /// TurboSHAKE pass).
    std::array<XofFixedKeyAes128::FixedKey, 2> keys;
    KeyMaterial(ByteSpan ctx, ByteSpan n)
        : dsts(make_tags(ctx)),
          tag_len(8 + ctx.size()),
          nonce(to_array16(n)),
          keys(XofFixedKeyAes128::derive_key_pair(dst_extend(), dst_convert(), n)) {}
    const XofFixedKeyAes128::FixedKey& key_extend() const noexcept { return keys[0]; }
    const XofFixedKeyAes128::FixedKey& key_convert() const noexcept { return keys[1]; }
    /// The nonce, its (public, constant) length hidden from the optimiser: g++ 12 -O3 otherwise
    /// reports a false -Wstringop-overflow in the inlined TurboSHAKE absorb.
    ByteSpan nonce_span() const noexcept {
      return ByteSpan(nonce.data(), value_barrier(nonce.size()));
    }
    ByteSpan dst_extend() const noexcept { return ByteSpan(dsts.data(), tag_len); }
    ByteSpan dst_convert() const noexcept { return ByteSpan(dsts.data() + tag_len, tag_len); }
    /// §6.2.3 format_dst(1, 0, usage) ‖ ctx for both usages: u8(VERSION) ‖ u8(1) ‖ be32(0) ‖
    /// be16(usage) ‖ ctx.
    static SmallVector<std::uint8_t, 96> make_tags(ByteSpan ctx) {
      VDAF_ARG_CHECK(ctx.size() <= 65535 - 8, "IdpfBBCGGI21: ctx longer than 65527 bytes");
      const std::size_t len = 8 + ctx.size();
      SmallVector<std::uint8_t, 96> t(2 * len);
      for (std::size_t u = 0; u < 2; ++u) {
        std::uint8_t* d = t.data() + u * len;
        d[0] = VERSION;
        d[1] = 1;
        d[7] = static_cast<std::uint8_t>(u == 0 ? kUsageExtend : kUsageConvert);
        std::copy(ctx.begin(), ctx.end(), d + 8);
      }
      return t;
    }
  };

 public:
  /// State kept across `eval` calls for ONE report and ONE aggregator, so evaluating level
  /// after level (as Poplar1 does) starts each path at the node already known for its
  /// ancestor and derives the report's fixed AES keys once.
  ///
  /// Holds the nodes of the most recently evaluated level (one per prefix) and the fixed keys.
  /// The first `eval` that uses a cache binds it to that call's (agg_id, key, ctx, nonce): a
  /// later call with another report or aggregator throws `invalid_argument` and leaves the cache
  /// as it was (use one cache per report and aggregator; `clear()` unbinds it). It must not be
  /// used with two different public shares under the same key and nonce (that is not a valid
  /// report). Holds secrets (wiped on clear and destruction). Storable between processes:
  /// `encode_cache` / `decode_cache` (Poplar1::encode_eval_cache adds the stored header).
  class EvalCache {
   public:
    /// An empty, unbound cache.
    EvalCache() = default;
    /// A copy of a cache: same nodes and binding (the copy holds the same secrets).
    EvalCache(const EvalCache&) = default;
    /// Replaces this cache's nodes and binding by copies of another cache's.
    /// @return *this.
    EvalCache& operator=(const EvalCache&) = default;
    /// Wipes the cached nodes (the key is wiped by its own destructor).
    ~EvalCache() { drop_nodes(); }
    /// Forgets the nodes and the binding (the cache can then serve another report).
    void clear() noexcept {
      drop_nodes();
      km_.reset();
      key_ = Key();
      ctx_.clear();
      nonce_ = {};
      agg_id_ = 0;
    }
    /// Number of cached nodes.
    /// @return the number of prefixes of the most recently evaluated level (0 if none).
    std::size_t size() const noexcept { return nodes_.size(); }
    /// Whether an eval (or decode_cache) has bound the cache to a report and aggregator.
    /// @return true once bound; false for a new or clear()ed cache.
    bool is_bound() const noexcept { return km_.has_value(); }

   private:
    friend class IdpfBBCGGI21;
    void drop_nodes() noexcept {
      if (!nodes_.empty()) secure_zero(nodes_.data(), nodes_.size() * sizeof(RawNode));
      nodes_.clear();
      prefix_words_.clear();
    }
    // Binding (valid when km_ holds a value).
    std::size_t agg_id_ = 0;
    Key key_;
    Bytes ctx_;
    std::array<std::uint8_t, 16> nonce_{};
    std::optional<KeyMaterial> km_;
    // Nodes at depth level_ + 1, one per prefix, in increasing prefix order; prefix k is
    // prefix_words_[k·nwords_ ..] (BitString word layout, public).
    std::size_t level_ = 0, nwords_ = 0;
    std::vector<std::uint64_t> prefix_words_;
    secret_vector<RawNode> nodes_;
  };

  /// An IDPF for BITS-bit indices with VALUE_LEN-element values (§8.3).
  /// @param value_len  VALUE_LEN, the number of field elements per value, in 1..2^24.
  /// @param bits       BITS, the index length in bits (the number of levels), in 1..65535.
  /// @throws invalid_argument if value_len or bits is out of range.
  IdpfBBCGGI21(std::size_t value_len, std::size_t bits) : value_len_(value_len), bits_(bits) {
    VDAF_ARG_CHECK(value_len >= 1 && value_len <= (std::size_t{1} << 24),
                   "IdpfBBCGGI21: VALUE_LEN must be in 1..2^24");
    VDAF_ARG_CHECK(bits >= 1 && bits <= 65535, "IdpfBBCGGI21: BITS must be in 1..65535");
  }
  /// The index length.
  /// @return BITS.
  std::size_t bits() const noexcept { return bits_; }
  /// The value length.
  /// @return VALUE_LEN.
  std::size_t value_len() const noexcept { return value_len_; }

  /// Generates the public share and the two keys of the point function alpha ↦ beta.
  /// Spec: §8.3 gen.
  /// @param alpha       the index: BITS bits (secret).
  /// @param beta_inner  the inner-level values: BITS−1 vectors of VALUE_LEN Field64, level l's
  ///                    at index l (secret).
  /// @param beta_leaf   the leaf value: VALUE_LEN Field255 (secret).
  /// @param ctx         the application context, at most 65527 bytes.
  /// @param nonce       NONCE_SIZE (16) bytes.
  /// @param rand        RAND_SIZE (32) random bytes: key 0 is rand[0..16), key 1 rand[16..32).
  /// @return the public share (BITS correction words) and the two keys (key j for aggregator j).
  /// @throws invalid_argument on wrong shapes or a ctx longer than 65527 bytes.
  /// Constant-time in alpha, beta and rand (apart from the public, ~2^−32-likely rejection
  /// events of sampling).
  std::pair<PublicShare, std::array<Key, 2>> gen(const BitString& alpha,
                                                 std::span<const std::vector<Field64>> beta_inner,
                                                 std::span<const Field255> beta_leaf, ByteSpan ctx,
                                                 ByteSpan nonce, ByteSpan rand) const {
    VDAF_ARG_CHECK(beta_inner.size() == bits_ - 1,
                   "IdpfBBCGGI21 gen: beta_inner must have BITS-1 entries");
    for (const auto& b : beta_inner)
      VDAF_ARG_CHECK(b.size() == value_len_,
                     "IdpfBBCGGI21 gen: beta_inner entry length != VALUE_LEN");
    secret_vector<Field64> flat;
    flat.reserve((bits_ - 1) * value_len_);
    for (const auto& b : beta_inner) flat.insert(flat.end(), b.begin(), b.end());
    return gen_flat(alpha, flat, beta_leaf, ctx, nonce, rand);
  }

  /// gen with beta_inner flattened: same result as gen, without copying beta_inner.
  /// Spec: §8.3 gen.
  /// @param alpha       the index: BITS bits (secret).
  /// @param beta_inner  the inner-level values flattened: (BITS−1)·VALUE_LEN Field64, level l's
  ///                    vector at [l·VALUE_LEN, (l+1)·VALUE_LEN) (secret).
  /// @param beta_leaf   the leaf value: VALUE_LEN Field255 (secret).
  /// @param ctx         the application context, at most 65527 bytes.
  /// @param nonce       NONCE_SIZE (16) bytes.
  /// @param rand        RAND_SIZE (32) random bytes: key 0 is rand[0..16), key 1 rand[16..32).
  /// @return the public share (BITS correction words) and the two keys (key j for aggregator j).
  /// @throws invalid_argument on wrong shapes or a ctx longer than 65527 bytes.
  /// Constant-time in alpha, beta and rand (apart from the public, ~2^−32-likely rejection
  /// events of sampling).
  std::pair<PublicShare, std::array<Key, 2>> gen_flat(const BitString& alpha,
                                                      std::span<const Field64> beta_inner,
                                                      std::span<const Field255> beta_leaf,
                                                      ByteSpan ctx, ByteSpan nonce,
                                                      ByteSpan rand) const {
    VDAF_ARG_CHECK(alpha.size() == bits_, "IdpfBBCGGI21 gen: alpha must have BITS bits");
    VDAF_ARG_CHECK(beta_inner.size() == (bits_ - 1) * value_len_,
                   "IdpfBBCGGI21 gen: beta_inner must have (BITS-1)*VALUE_LEN elements");
    VDAF_ARG_CHECK(beta_leaf.size() == value_len_,
                   "IdpfBBCGGI21 gen: beta_leaf length != VALUE_LEN");
    VDAF_ARG_CHECK(nonce.size() == NONCE_SIZE, "IdpfBBCGGI21 gen: nonce must be 16 bytes");
    VDAF_ARG_CHECK(rand.size() == RAND_SIZE, "IdpfBBCGGI21 gen: rand must be 32 bytes");
    const KeyMaterial km(ctx, nonce);
    std::array<Key, 2> keys{Key(rand.subspan(0, 16)), Key(rand.subspan(16, 16))};
    RawNode nd[2];
    for (std::size_t p = 0; p < 2; ++p) {
      nd[p].lo = detail::aes128::load_le64(keys[p].data());
      nd[p].hi = detail::aes128::load_le64(keys[p].data() + 8);
      nd[p].ctrl = p;
    }
    const std::size_t cb = 1 + value_blocks();  // convert blocks per seed (inner levels)
    SecretScratch<std::uint8_t> buf(16 * (2 * cb > 4 ? 2 * cb : 4));
    SecretScratch<Field64> w(2 * value_len_);
    std::uint8_t* b = buf.data();
    PublicShare ps(bits_);
    for (std::size_t level = 0; level + 1 < bits_; ++level) {
      CorrectionWord& cw = ps[level];
      for (std::size_t p = 0; p < 2; ++p) {
        XofFixedKeyAes128::sigma_block(b + 32 * p, nd[p].lo, nd[p].hi, 0);
        XofFixedKeyAes128::sigma_block(b + 32 * p + 16, nd[p].lo, nd[p].hi, 1);
      }
      XofFixedKeyAes128::hash_blocks(km.key_extend(), b, 4);
      gen_correct(b, alpha.bit_u64(level), nd, cw);
      for (std::size_t p = 0; p < 2; ++p) {
        for (std::size_t i = 0; i < cb; ++i) {
          XofFixedKeyAes128::sigma_block(b + 16 * (p * cb + i), nd[p].lo, nd[p].hi, i);
        }
      }
      XofFixedKeyAes128::hash_blocks(km.key_convert(), b, 2 * cb);
      for (std::size_t p = 0; p < 2; ++p) {
        convert_inner_from_blocks(km, b + 16 * p * cb, nd[p],
                                  std::span<Field64>(w.data() + p * value_len_, value_len_));
      }
      cw.w_inner.resize(value_len_);
      correction<Field64>(beta_inner.subspan(level * value_len_, value_len_),
                          std::span<const Field64>(w.data(), value_len_),
                          std::span<const Field64>(w.data() + value_len_, value_len_), nd[1].ctrl,
                          cw.w_inner);
    }
    {  // the leaf level: XofTurboShake128
      CorrectionWord& cw = ps[bits_ - 1];
      for (std::size_t p = 0; p < 2; ++p) extend_leaf(km, nd[p], b + 32 * p);
      gen_correct(b, alpha.bit_u64(bits_ - 1), nd, cw);
      secret_vector<Field255> wl(2 * value_len_);
      for (std::size_t p = 0; p < 2; ++p) {
        convert_leaf(km, nd[p], std::span<Field255>(wl.data() + p * value_len_, value_len_));
      }
      cw.w_leaf.resize(value_len_);
      correction<Field255>(beta_leaf, std::span<const Field255>(wl.data(), value_len_),
                           std::span<const Field255>(wl.data() + value_len_, value_len_),
                           nd[1].ctrl, cw.w_leaf);
    }
    secure_zero(nd, sizeof nd);
    return {std::move(ps), std::move(keys)};
  }

  /// §8.3 eval at an inner level (< BITS−1): for each prefix (length level+1,
  /// distinct, any order), this aggregator's share of the VALUE_LEN-vector at that node,
  /// in the order of `prefixes`. The tree is walked breadth-first: each node on the way is
  /// computed once per call (and the nodes of the previous call's level are reused through
  /// `cache`, if given), with the AES blocks of all nodes of a level in flight together.
  /// Reads ps[0..level] only (ps must still have BITS correction words).
  /// Spec: §8.3 eval.
  /// @param agg_id    the aggregator, 0 or 1.
  /// @param ps        the public share from gen (BITS correction words; ps[level].w_inner must
  ///                  hold VALUE_LEN elements).
  /// @param key       this aggregator's key from gen (KEY_SIZE bytes, secret).
  /// @param level     the level, in 0..BITS−2 (an inner level).
  /// @param prefixes  the prefixes to evaluate: level+1 bits each, distinct, any order, at most
  ///                  2^32−1 of them (public).
  /// @param ctx       the application context given to gen (at most 65527 bytes).
  /// @param nonce     the nonce given to gen: NONCE_SIZE (16) bytes.
  /// @param cache     optional EvalCache of this report and aggregator (nullptr: none); bound
  ///                  to (agg_id, key, ctx, nonce) by its first use, then updated to hold this
  ///                  level's nodes.
  /// @return one VALUE_LEN vector of Field64 per prefix, in the order of `prefixes`: this
  ///         aggregator's shares of the values at those nodes (secret).
  /// @throws invalid_argument on a bad agg_id, level (not an inner level), nonce, public-share
  /// shape or prefix length, duplicate prefixes, a ctx longer than 65527 bytes, or a cache
  /// bound to another report or aggregator (the cache is then unchanged).
  /// Constant-time in the key, the seeds and control bits (apart from the public, ~2^−32-likely
  /// rejection events of sampling); prefixes and level are public.
  Values<Field64> eval_inner(std::size_t agg_id, const PublicShare& ps, const Key& key,
                             std::size_t level, std::span<const BitString> prefixes, ByteSpan ctx,
                             ByteSpan nonce, EvalCache* cache = nullptr) const {
    VDAF_ARG_CHECK(level + 1 < bits_, "IdpfBBCGGI21 eval_inner: level is not an inner level");
    return eval_impl<Field64>(agg_id, ps, key, level, prefixes, ctx, nonce, cache);
  }
  /// §8.3 eval at the leaf level (BITS−1), with the leaf XOF XofTurboShake128; otherwise as
  /// eval_inner (breadth-first walk, optional cache).
  /// Spec: §8.3 eval.
  /// @param agg_id    the aggregator, 0 or 1.
  /// @param ps        the public share from gen (BITS correction words; ps[BITS−1].w_leaf must
  ///                  hold VALUE_LEN elements).
  /// @param key       this aggregator's key from gen (KEY_SIZE bytes, secret).
  /// @param prefixes  the prefixes to evaluate: BITS bits each, distinct, any order, at most
  ///                  2^32−1 of them (public).
  /// @param ctx       the application context given to gen (at most 65527 bytes).
  /// @param nonce     the nonce given to gen: NONCE_SIZE (16) bytes.
  /// @param cache     optional EvalCache of this report and aggregator (nullptr: none); bound
  ///                  to (agg_id, key, ctx, nonce) by its first use, then updated to hold the
  ///                  leaf nodes.
  /// @return one VALUE_LEN vector of Field255 per prefix, in the order of `prefixes`: this
  ///         aggregator's shares of the values at those leaves (secret).
  /// @throws invalid_argument on a bad agg_id, nonce, public-share shape or prefix length,
  /// duplicate prefixes, a ctx longer than 65527 bytes, or a cache bound to another report or
  /// aggregator (the cache is then unchanged).
  /// Constant-time in the key, the seeds and control bits (apart from the public rejection
  /// events of sampling); prefixes are public.
  Values<Field255> eval_leaf(std::size_t agg_id, const PublicShare& ps, const Key& key,
                             std::span<const BitString> prefixes, ByteSpan ctx, ByteSpan nonce,
                             EvalCache* cache = nullptr) const {
    return eval_impl<Field255>(agg_id, ps, key, bits_ - 1, prefixes, ctx, nonce, cache);
  }

  /// Writes `cache` into a stored encoding (vdaf-cpp's own format; the caller writes the
  /// stored header, see Poplar1::encode_eval_cache). Layout: u8 bound (0/1); if bound: u8
  /// agg_id ‖ the 16-byte IDPF key ‖ the 16-byte nonce ‖ be16 len(ctx) ‖ ctx ‖ be16 level ‖
  /// be32 n ‖ n prefixes of level+1 bits (packed MSB-first, ceil((level+1)/8) bytes each,
  /// increasing) ‖ n nodes (seed as two little-endian 8-byte halves, then the control bit as
  /// one byte). Size: 1 byte if unbound, else 42 + len(ctx) + n·(17 + ceil((level+1)/8)) bytes.
  /// @param w  the writer to append to (the caller has written the stored header).
  /// @param c  the cache to encode (bound or not; secret).
  /// Constant-time in the secrets (key and nodes); prefixes and lengths are public.
  void encode_cache(StoredWriter& w, const EvalCache& c) const {
    if (!c.km_.has_value()) {
      w.u8(0);
      return;
    }
    w.u8(1);
    w.u8(static_cast<std::uint8_t>(c.agg_id_));
    w.bytes(c.key_);
    w.bytes(c.nonce_);
    w.be16(static_cast<std::uint16_t>(c.ctx_.size()));
    w.bytes(c.ctx_);
    const std::size_t n = c.nodes_.size();
    w.be16(static_cast<std::uint16_t>(n == 0 ? 0 : c.level_));
    w.be32(static_cast<std::uint32_t>(n));
    // Byte j of a prefix is bits 8j..8j+7 (BitString's word layout: bit i at 63 − i%64).
    const std::size_t plen = (c.level_ + 1 + 7) / 8;
    for (std::size_t k = 0; k < n; ++k) {
      const std::uint64_t* pw = c.prefix_words_.data() + k * c.nwords_;
      for (std::size_t j = 0; j < plen; ++j) {
        w.u8(static_cast<std::uint8_t>(pw[j / 8] >> (56 - 8 * (j % 8))));
      }
    }
    std::uint8_t nb[17];
    for (std::size_t k = 0; k < n; ++k) {
      detail::aes128::store_le64(nb, c.nodes_[k].lo);
      detail::aes128::store_le64(nb + 8, c.nodes_[k].hi);
      nb[16] = static_cast<std::uint8_t>(c.nodes_[k].ctrl);
      w.bytes(ByteSpan(nb, sizeof nb));
    }
    secure_zero(nb, sizeof nb);
  }

  /// Reads what encode_cache wrote (after the stored header) with an IDPF of the same BITS.
  /// Checks before allocating: agg_id < 2, len(ctx) <= 65527, level < BITS (0 without nodes),
  /// the exact length
  /// for n prefixes and nodes; then prefixes of level+1 bits with zero padding, strictly
  /// increasing, and control bits 0 or 1.
  /// @param r  the reader, positioned just after the stored header; left after the cache.
  /// @return the cache, bound to its report and aggregator as when it was stored (unbound if
  ///         it was stored unbound).
  /// @throws decode_error on any violation, a truncated encoding or trailing bytes (the
  /// caller's Reader::finish()). Constant-time in the secrets (the control-bit check's verdict
  /// is public).
  EvalCache decode_cache(Reader& r) const {
    EvalCache c;
    const std::uint8_t bound = r.u8();
    if (bound == 0) return c;
    if (bound != 1) VDAF_THROW(decode_error, "IdpfBBCGGI21 stored cache: bad bound flag");
    const std::uint8_t agg_id = r.u8();
    if (agg_id >= SHARES) VDAF_THROW(decode_error, "IdpfBBCGGI21 stored cache: agg_id >= 2");
    const Key key(r.take(KEY_SIZE));
    const ByteSpan nonce = r.take(NONCE_SIZE);
    const std::uint16_t ctx_len = r.be16();
    if (ctx_len > 65535 - 8) {
      VDAF_THROW(decode_error, "IdpfBBCGGI21 stored cache: ctx longer than 65527 bytes");
    }
    const ByteSpan ctx = r.take(ctx_len);
    const std::uint16_t level = r.be16();
    if (level >= bits_) VDAF_THROW(decode_error, "IdpfBBCGGI21 stored cache: level >= BITS");
    const std::uint32_t n = r.be32();
    if (n == 0 && level != 0) {
      VDAF_THROW(decode_error, "IdpfBBCGGI21 stored cache: level must be 0 without nodes");
    }
    const std::size_t len = std::size_t{level} + 1, plen = (len + 7) / 8;
    if (r.remaining() / (plen + 17) < n) {
      VDAF_THROW(decode_error, "IdpfBBCGGI21 stored cache: truncated (" + std::to_string(n) +
                                   " nodes announced)");
    }
    const std::size_t nw = (len + 63) / 64;
    std::vector<std::uint64_t> words(std::size_t{n} * nw);
    BitString prev;
    for (std::size_t k = 0; k < n; ++k) {
      const ByteSpan pb = r.take(plen);
      BitString p = BitString::from_packed(pb, len);
      if (len % 8 != 0 && (pb.back() & (0xff >> (len % 8))) != 0) {
        VDAF_THROW(decode_error, "IdpfBBCGGI21 stored cache: non-zero padding bits in a prefix");
      }
      if (k > 0 && !(prev < p)) {
        VDAF_THROW(decode_error, "IdpfBBCGGI21 stored cache: prefixes not strictly increasing");
      }
      std::copy(p.words().begin(), p.words().end(),
                words.begin() + static_cast<std::ptrdiff_t>(k * nw));
      prev = std::move(p);
    }
    secret_vector<RawNode> nodes(n);
    std::uint64_t bad = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const ByteSpan nb = r.take(17);
      nodes[k].lo = detail::aes128::load_le64(nb.data());
      nodes[k].hi = detail::aes128::load_le64(nb.data() + 8);
      nodes[k].ctrl = nb[16];
      bad |= nodes[k].ctrl >> 1;
    }
    if (ct::declassify(bad) != 0) {
      VDAF_THROW(decode_error, "IdpfBBCGGI21 stored cache: control bit not 0 or 1");
    }
    bind(c, agg_id, key, ctx, nonce);
    c.level_ = level;
    c.nwords_ = nw;
    c.prefix_words_ = std::move(words);
    c.nodes_ = std::move(nodes);
    return c;
  }

  /// §8.3 public-share encoding: packed control bits ((2·BITS+7)/8 bytes, LSB
  /// first), BITS seeds (16 bytes each), inner payloads (BITS−1)·VALUE_LEN·8
  /// bytes, leaf payload VALUE_LEN·32 bytes.
  /// @param ps  the public share: BITS correction words, VALUE_LEN w_inner elements at each
  ///            inner level and VALUE_LEN w_leaf elements at the leaf.
  /// @return the encoding, (2·BITS+7)/8 + 16·BITS + (BITS−1)·VALUE_LEN·8 + VALUE_LEN·32 bytes.
  /// @throws invalid_argument if the public share has the wrong shape.
  /// Public data (no secrets involved).
  Bytes encode_public_share(const PublicShare& ps) const {
    check_public_share(ps);
    Bytes out((2 * bits_ + 7) / 8, 0);
    for (std::size_t l = 0; l < bits_; ++l) {
      for (std::size_t j = 0; j < 2; ++j) {
        const std::size_t i = 2 * l + j;
        out[i / 8] =
            static_cast<std::uint8_t>(out[i / 8] | ((ps[l].ctrl_cw[j] ? 1 : 0) << (i % 8)));
      }
    }
    for (const auto& cw : ps) append(out, cw.seed_cw);
    for (std::size_t l = 0; l + 1 < bits_; ++l) Field64::encode_vec_into(out, ps[l].w_inner);
    Field255::encode_vec_into(out, ps[bits_ - 1].w_leaf);
    return out;
  }
  /// Decodes a public share (the inverse of encode_public_share). Spec: §8.3.
  /// @param b  exactly (2·BITS+7)/8 + 16·BITS + (BITS−1)·VALUE_LEN·8 + VALUE_LEN·32 bytes.
  /// @return the public share: BITS correction words.
  /// @throws decode_error on a wrong length, non-zero padding bits or a
  /// non-canonical element.
  /// Public data (no secrets involved).
  PublicShare decode_public_share(ByteSpan b) const {
    Reader r(b, "IdpfBBCGGI21 public share");
    const std::size_t nbits = 2 * bits_;
    ByteSpan packed = r.take((nbits + 7) / 8);
    PublicShare ps(bits_);
    for (std::size_t i = 0; i < nbits; ++i)
      ps[i / 2].ctrl_cw[i % 2] = ((packed[i / 8] >> (i % 8)) & 1) != 0;
    if (nbits % 8 != 0 && (packed.back() >> (nbits % 8)) != 0) {
      VDAF_THROW(decode_error, "IdpfBBCGGI21 public share: non-zero padding bits");
    }
    for (auto& cw : ps) {
      ByteSpan s = r.take(16);
      std::copy(s.begin(), s.end(), cw.seed_cw.begin());
    }
    for (std::size_t l = 0; l + 1 < bits_; ++l) {
      Field64::decode_vec_into(ps[l].w_inner, r.take(value_len_ * Field64::ENCODED_SIZE),
                               "IdpfBBCGGI21 public share");
    }
    Field255::decode_vec_into(ps[bits_ - 1].w_leaf, r.take(value_len_ * Field255::ENCODED_SIZE),
                              "IdpfBBCGGI21 public share");
    r.finish();
    return ps;
  }

 private:
  static std::array<std::uint8_t, 16> to_array16(ByteSpan n) {
    VDAF_ARG_CHECK(n.size() == 16, "IdpfBBCGGI21: nonce must be 16 bytes");
    std::array<std::uint8_t, 16> a;
    std::copy(n.begin(), n.end(), a.begin());
    return a;
  }
  /// 16-byte blocks holding the VALUE_LEN Field64 of an inner convert.
  std::size_t value_blocks() const noexcept { return (value_len_ * 8 + 15) / 16; }
  static std::uint64_t mask64(std::uint64_t bit) noexcept { return value_barrier(0 - (bit & 1)); }
  /// m ? a : b for a mask m of all ones or zeros.
  static std::uint64_t sel64(std::uint64_t m, std::uint64_t a, std::uint64_t b) noexcept {
    return (a & m) | (b & ~m);
  }
  static void store_seed(std::uint8_t out[16], const RawNode& n) noexcept {
    detail::aes128::store_le64(out, n.lo);
    detail::aes128::store_le64(out + 8, n.hi);
  }

  /// One gen level after extend: ext = the 32-byte extend outputs of both parties (party p at
  /// ext + 32p), keep = alpha's bit. Writes the seed and control corrections to `cw`, and
  /// replaces nd[p] by the (seed to convert, next control bit). Constant-time.
  static void gen_correct(const std::uint8_t* ext, std::uint64_t keep_bit, RawNode nd[2],
                          CorrectionWord& cw) noexcept {
    const std::uint64_t keep = value_barrier(keep_bit & 1);
    const std::uint64_t mk = mask64(keep);
    std::uint64_t slo[2][2], shi[2][2], t[2][2];
    for (std::size_t p = 0; p < 2; ++p) {
      for (std::size_t j = 0; j < 2; ++j) {
        const std::uint64_t lo = detail::aes128::load_le64(ext + 32 * p + 16 * j);
        t[p][j] = lo & 1;
        slo[p][j] = lo & ~std::uint64_t{1};
        shi[p][j] = detail::aes128::load_le64(ext + 32 * p + 16 * j + 8);
      }
    }
    // seed_cw = s0[lose] ^ s1[lose], lose = 1 − keep.
    const std::uint64_t cw_lo = sel64(mk, slo[0][0], slo[0][1]) ^ sel64(mk, slo[1][0], slo[1][1]);
    const std::uint64_t cw_hi = sel64(mk, shi[0][0], shi[0][1]) ^ sel64(mk, shi[1][0], shi[1][1]);
    detail::aes128::store_le64(cw.seed_cw.data(), cw_lo);
    detail::aes128::store_le64(cw.seed_cw.data() + 8, cw_hi);
    const std::uint64_t cw0 = t[0][0] ^ t[1][0] ^ keep ^ 1;
    const std::uint64_t cw1 = t[0][1] ^ t[1][1] ^ keep;
    cw.ctrl_cw = {cw0 != 0, cw1 != 0};  // public
    const std::uint64_t cw_keep = sel64(mk, cw1, cw0);
    for (std::size_t p = 0; p < 2; ++p) {
      const std::uint64_t mc = mask64(nd[p].ctrl);
      nd[p].lo = sel64(mk, slo[p][1], slo[p][0]) ^ (cw_lo & mc);
      nd[p].hi = sel64(mk, shi[p][1], shi[p][0]) ^ (cw_hi & mc);
      nd[p].ctrl = sel64(mk, t[p][1], t[p][0]) ^ (cw_keep & nd[p].ctrl);
    }
  }

  /// The inner-level convert of §8.3 from the first 1 + value_blocks() stream blocks of seed
  /// `node` (at blk): node's seed becomes the next seed, `w` the VALUE_LEN sampled values.
  /// A rejected sample (probability ~2^−32 each) needs more of the stream: then the values are
  /// recomputed from the streaming XOF, exactly as §6.2 next_vec reads it.
  void convert_inner_from_blocks(const KeyMaterial& km, const std::uint8_t* blk, RawNode& node,
                                 std::span<Field64> w) const {
    std::uint64_t rej = 0;
    for (std::size_t i = 0; i < value_len_; ++i) {
      const std::uint64_t x = detail::aes128::load_le64(blk + 16 + 8 * i);
      rej |= static_cast<std::uint64_t>(x >= Field64::MODULUS);  // as Field64::sample_from
      w[i] = Field64::raw(x);
    }
    if (ct::declassify(rej) != 0) {  // public (rejection) event
      std::uint8_t seed[16];
      store_seed(seed, node);
      XofFixedKeyAes128 xof(km.key_convert(), ByteSpan(seed, 16));
      secure_zero(seed, sizeof seed);
      std::uint8_t skip[16];
      xof.next(std::span<std::uint8_t>(skip, 16));
      secure_zero(skip, sizeof skip);
      xof.next_vec_into<Field64>(w);
    }
    node.lo = detail::aes128::load_le64(blk);
    node.hi = detail::aes128::load_le64(blk + 8);
  }
  /// extend at the leaf level (XofTurboShake128): 32 bytes to out.
  static void extend_leaf(const KeyMaterial& km, const RawNode& node, std::uint8_t* out) {
    std::uint8_t seed[16];
    store_seed(seed, node);
    XofTurboShake128 xof(ByteSpan(seed, 16), km.dst_extend(), km.nonce_span());
    secure_zero(seed, sizeof seed);
    xof.next(std::span<std::uint8_t>(out, 32));
  }
  /// convert at the leaf level (XofTurboShake128): node's seed becomes the next seed, `w` the
  /// VALUE_LEN Field255 values (sampled straight from one read of the stream; a rejected sample,
  /// probability ~2^−251 each, re-reads the stream as §6.2 next_vec does).
  static void convert_leaf(const KeyMaterial& km, RawNode& node, std::span<Field255> w) {
    constexpr std::size_t kInline = 8;
    std::uint8_t seed[16];
    store_seed(seed, node);
    XofTurboShake128 xof(ByteSpan(seed, 16), km.dst_convert(), km.nonce_span());
    std::uint8_t buf[16 + 32 * kInline];
    const std::size_t take = w.size() <= kInline ? 16 + 32 * w.size() : 16;
    xof.next(std::span<std::uint8_t>(buf, take));
    node.lo = detail::aes128::load_le64(buf);
    node.hi = detail::aes128::load_le64(buf + 8);
    if (w.size() <= kInline) {
      std::uint64_t rej = 0;
      for (std::size_t i = 0; i < w.size(); ++i)
        rej |= Field255::sample_from(buf + 16 + 32 * i, w[i]);
      if (ct::declassify(rej) !=
          0) {  // public (rejection) event: read the stream again, sample by sample
        XofTurboShake128 again(ByteSpan(seed, 16), km.dst_convert(), km.nonce_span());
        again.next(std::span<std::uint8_t>(buf, 16));
        again.next_vec_into<Field255>(w);
      }
    } else {
      xof.next_vec_into<Field255>(w);
    }
    secure_zero(buf, take);
    secure_zero(seed, sizeof seed);
  }
  /// out = (beta − w0 + w1)·(1 − 2·ctrl1) (constant-time).
  template <class F>
  static void correction(std::span<const F> beta, std::span<const F> w0, std::span<const F> w1,
                         std::uint64_t ctrl1, std::span<F> out) {
    const F c = F::from_u64(ctrl1 & 1);
    const F factor = F::one() - c - c;
    for (std::size_t i = 0; i < beta.size(); ++i) out[i] = (beta[i] - w0[i] + w1[i]) * factor;
  }

  /// A node of the breadth-first walk: the node at the current depth and the range [lo, hi) of
  /// sorted prefixes below it.
  struct Item {
    RawNode node;
    std::uint32_t lo = 0, hi = 0;
  };

  using ItemVec = SmallVector<Item, 4>;
  /// Per-call scratch of eval: frontiers and AES blocks (secret), wiped on destruction. Sized
  /// before use so it never reallocates (a reallocation would free unwiped storage).
  struct Scratch {
    ItemVec cur, next, hits;
    SmallVector<std::uint8_t, 256> buf;
    Scratch() = default;
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    ~Scratch() {
      secure_zero(cur.data(), cur.capacity() * sizeof(Item));
      secure_zero(next.data(), next.capacity() * sizeof(Item));
      secure_zero(hits.data(), hits.capacity() * sizeof(Item));
      secure_zero(buf.data(), buf.capacity());
    }
  };

  /// Three-way comparison of the first `len` bits of two packed BitString word arrays.
  static int compare_words(const std::uint64_t* a, const std::uint64_t* b,
                           std::size_t len) noexcept {
    const std::size_t full = len / 64, rem = len % 64;
    for (std::size_t k = 0; k < full; ++k) {
      if (a[k] != b[k]) return a[k] < b[k] ? -1 : 1;
    }
    if (rem != 0) {
      const std::uint64_t m = ~std::uint64_t{0} << (64 - rem);
      const std::uint64_t x = a[full] & m, y = b[full] & m;
      if (x != y) return x < y ? -1 : 1;
    }
    return 0;
  }

  /// Binds `c` to this report and aggregator if it is unbound; checks the binding otherwise.
  /// @throws invalid_argument (cache unchanged) if it is bound to another (agg_id, key, ctx,
  /// nonce). The key comparison is constant-time; its verdict is public (the call fails).
  static void bind(EvalCache& c, std::size_t agg_id, const Key& key, ByteSpan ctx, ByteSpan nonce) {
    if (c.km_.has_value()) {
      const bool same_key = ct::declassify(c.key_ == key);
      if (c.agg_id_ != agg_id || !same_key ||
          !std::equal(ctx.begin(), ctx.end(), c.ctx_.begin(), c.ctx_.end()) ||
          !std::equal(nonce.begin(), nonce.end(), c.nonce_.begin(), c.nonce_.end())) {
        VDAF_THROW(invalid_argument,
                   "IdpfBBCGGI21 eval: the EvalCache belongs to another report or aggregator "
                   "(its agg_id, IDPF key, ctx or nonce differ); use one cache per report and "
                   "aggregator, or clear() it first");
      }
      return;
    }
    c.km_.emplace(ctx, nonce);
    c.agg_id_ = agg_id;
    c.key_ = key;
    c.ctx_.assign(ctx.begin(), ctx.end());
    std::copy(nonce.begin(), nonce.end(), c.nonce_.begin());
  }

  template <class F>
  Values<F> eval_impl(std::size_t agg_id, const PublicShare& ps, const Key& key, std::size_t level,
                      std::span<const BitString> prefixes, ByteSpan ctx, ByteSpan nonce,
                      EvalCache* cache) const {
    constexpr bool kLeaf = std::is_same_v<F, Field255>;
    VDAF_ARG_CHECK(agg_id < SHARES, "IdpfBBCGGI21 eval: agg_id out of range");
    VDAF_ARG_CHECK(level < bits_, "IdpfBBCGGI21 eval: level out of range");
    VDAF_ARG_CHECK(nonce.size() == NONCE_SIZE, "IdpfBBCGGI21 eval: nonce must be 16 bytes");
    VDAF_ARG_CHECK(ps.size() == bits_,
                   "IdpfBBCGGI21: public share must have BITS correction words");
    if constexpr (kLeaf) {
      VDAF_ARG_CHECK(ps[level].w_leaf.size() == value_len_,
                     "IdpfBBCGGI21: bad leaf correction length");
    } else {
      VDAF_ARG_CHECK(ps[level].w_inner.size() == value_len_,
                     "IdpfBBCGGI21: bad inner correction length");
    }
    const std::size_t n = prefixes.size();
    VDAF_ARG_CHECK(n <= 0xffffffffu, "IdpfBBCGGI21 eval: too many prefixes");
    for (const auto& p : prefixes)
      VDAF_ARG_CHECK(p.size() == level + 1, "IdpfBBCGGI21 eval: prefix length must be level+1");
    // Sorted order (prefixes are public).
    SmallVector<std::uint32_t, 16> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
    bool sorted = true;
    for (std::size_t i = 1; i < n && sorted; ++i) sorted = prefixes[i - 1] < prefixes[i];
    if (!sorted) {
      std::sort(order.begin(), order.end(),
                [&](std::uint32_t a, std::uint32_t b) { return prefixes[a] < prefixes[b]; });
      for (std::size_t i = 1; i < n; ++i) {
        VDAF_ARG_CHECK(prefixes[order[i - 1]] != prefixes[order[i]],
                       "IdpfBBCGGI21 eval: prefixes must be unique");
      }
    }
    std::optional<KeyMaterial> local;
    const KeyMaterial* km = nullptr;
    if (cache != nullptr) {
      bind(*cache, agg_id, key, ctx, nonce);
      km = &*cache->km_;
    } else {
      km = &local.emplace(ctx, nonce);
    }
    Values<F> out(n);
    if (n == 0) return out;

    RawNode root;
    root.lo = detail::aes128::load_le64(key.data());
    root.hi = detail::aes128::load_le64(key.data() + 8);
    root.ctrl = agg_id;
    // Scratch, sized once (no frontier holds more than n items; no level needs more than
    // n·max(2, 1 + value_blocks()) blocks), inline for small n, wiped at the end.
    Scratch sc;
    sc.cur.reserve(n);
    sc.next.reserve(n);
    sc.hits.reserve(n);
    sc.buf.resize(16 * n * std::max<std::size_t>(2, 1 + value_blocks()));
    ItemVec& cur = sc.cur;
    ItemVec& hits = sc.hits;
    std::size_t hit_depth = 0;
    if (cache != nullptr && !cache->nodes_.empty() && cache->level_ < level) {
      const std::size_t len = cache->level_ + 1, nw = cache->nwords_, m = cache->nodes_.size();
      std::size_t j = 0, last_j = m;
      for (std::size_t k = 0; k < n; ++k) {
        const std::uint64_t* pw = prefixes[order[k]].words().data();
        int c = -1;
        while (j < m && (c = compare_words(cache->prefix_words_.data() + j * nw, pw, len)) < 0) {
          ++j;
        }
        const auto k32 = static_cast<std::uint32_t>(k);
        if (j < m && c == 0) {
          if (!hits.empty() && last_j == j) {
            hits.back().hi = k32 + 1;
          } else {
            hits.push_back(Item{cache->nodes_[j], k32, k32 + 1});
          }
          last_j = j;
        } else if (!cur.empty() && cur.back().hi == k32) {
          cur.back().hi = k32 + 1;
        } else {
          cur.push_back(Item{root, k32, k32 + 1});
        }
      }
      hit_depth = len;
    } else {
      cur.push_back(Item{root, 0, static_cast<std::uint32_t>(n)});
    }
    secure_zero(&root, sizeof root);

    Walk<F> walk{*this, *km,           ps,   prefixes, order, level, agg_id,
                 out,   sc.buf.data(), &cur, &sc.next};
    for (std::size_t d = 0; d < hit_depth && !walk.cur->empty(); ++d) walk.step(d);
    for (const Item& it : hits) walk.cur->push_back(it);
    for (std::size_t d = hit_depth; d <= level; ++d) walk.step(d);

    if (cache != nullptr) {
      // Keep only the level just evaluated: the next level's prefixes extend these (Poplar1's
      // is_valid), so shallower nodes are never needed again.
      cache->drop_nodes();
      const std::size_t nw = (level + 1 + 63) / 64;
      cache->level_ = level;
      cache->nwords_ = nw;
      cache->prefix_words_.resize(n * nw);
      for (std::size_t k = 0; k < n; ++k) {
        const auto words = prefixes[order[k]].words();
        std::copy(words.begin(), words.end(), cache->prefix_words_.data() + k * nw);
      }
      cache->nodes_.resize(n);
      for (const Item& it : *walk.cur) cache->nodes_[it.lo] = it.node;
    }
    return out;
  }

  /// One breadth-first walk of eval: `step(d)` takes the nodes at depth d (`*cur`, each with
  /// its range of sorted prefixes) to their children at depth d+1 on the prefixes' paths, and
  /// at d == level writes the output values.
  template <class F>
  struct Walk {
    const IdpfBBCGGI21& idpf;
    const KeyMaterial& km;
    const PublicShare& ps;
    std::span<const BitString> prefixes;
    const SmallVector<std::uint32_t, 16>& order;
    std::size_t level, agg_id;
    Values<F>& out;
    std::uint8_t* buf;  // room for n·max(2, 1 + value_blocks()) blocks
    ItemVec* cur;       // the nodes at the current depth
    ItemVec* nxt;       // scratch for the next depth (the two swap after each step)

    std::uint8_t* blocks(std::size_t) const { return buf; }

    void step(std::size_t d) {
      if (cur->size() == 1 && d < level && d + 1 < idpf.bits_) {
        const Item& it = (*cur)[0];
        const bool first = prefixes[order[it.lo]].test(d);
        if (first == prefixes[order[it.hi - 1]].test(d)) {  // one child: a single path
          single_step(d, first);
          return;
        }
      }
      step_into(d, *cur, *nxt);
      std::swap(cur, nxt);
    }
    /// step() for a lone node at an inner depth d < level whose prefixes all continue with
    /// `bit` (public): only that child's extend block and its seed's convert block.
    void single_step(std::size_t d, bool bit) {
      RawNode& nd = (*cur)[0].node;
      const CorrectionWord& cw = ps[d];
      const std::uint64_t j = bit ? 1 : 0;
#if VDAF_AES128_X86_BLOCK
      // The same steps with the seed kept in an xmm register from load to store: the level-to-
      // level chain is two AES-128 plus a few vector operations, with no store and reload of
      // the blocks in between (the scalar steps below are the twin; the IDPF and Poplar1
      // vectors exercise both, in the default and the -march=native test builds).
      {
        const __m128i seed = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&nd.lo));
        // σ(seed) ⊕ le128(j) with seed = lo ‖ hi: the block hi ‖ (hi ⊕ lo ⊕ j).
        const __m128i sg =
            _mm_xor_si128(_mm_xor_si128(_mm_unpackhi_epi64(seed, seed), _mm_slli_si128(seed, 8)),
                          _mm_set_epi64x(static_cast<long long>(j), 0));
        const __m128i e = detail::simd::aes128_mmo_xmm(km.key_extend().schedule(), sg);
        const std::uint64_t mc = mask64(nd.ctrl);
        const std::uint64_t cc = cw.ctrl_cw[j] ? 1 : 0;
        nd.ctrl = (static_cast<std::uint64_t>(_mm_cvtsi128_si64(e)) & 1) ^ (cc & nd.ctrl);
        const __m128i cwv =
            _mm_and_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(cw.seed_cw.data())),
                          _mm_set1_epi64x(static_cast<long long>(mc)));
        const __m128i s2 =
            _mm_xor_si128(_mm_and_si128(e, _mm_set_epi64x(-1, static_cast<long long>(~1ULL))), cwv);
        const __m128i sg2 = _mm_xor_si128(_mm_unpackhi_epi64(s2, s2), _mm_slli_si128(s2, 8));
        const __m128i c = detail::simd::aes128_mmo_xmm(km.key_convert().schedule(), sg2);
        static_assert(offsetof(RawNode, hi) == offsetof(RawNode, lo) + 8);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(&nd.lo), c);
        return;
      }
#endif
      XofFixedKeyAes128::sigma_block(buf, nd.lo, nd.hi, j);
      XofFixedKeyAes128::hash_blocks(km.key_extend(), buf, 1);
      const std::uint64_t mc = mask64(nd.ctrl);
      const std::uint64_t s_lo = detail::aes128::load_le64(buf);
      const std::uint64_t s_hi = detail::aes128::load_le64(buf + 8);
      const std::uint64_t cc = cw.ctrl_cw[j] ? 1 : 0;
      nd.ctrl = (s_lo & 1) ^ (cc & nd.ctrl);
      XofFixedKeyAes128::sigma_block(
          buf, (s_lo & ~std::uint64_t{1}) ^ (detail::aes128::load_le64(cw.seed_cw.data()) & mc),
          s_hi ^ (detail::aes128::load_le64(cw.seed_cw.data() + 8) & mc), 0);
      XofFixedKeyAes128::hash_blocks(km.key_convert(), buf, 1);
      nd.lo = detail::aes128::load_le64(buf);
      nd.hi = detail::aes128::load_le64(buf + 8);
    }
    void step_into(std::size_t d, const ItemVec& items, ItemVec& next) {
      const bool inner = d + 1 < idpf.bits_;
      const bool last = d == level;
      const CorrectionWord& cw = ps[d];
      const std::size_t m = items.size();
      std::uint8_t* b = blocks(2 * m);
      if (inner) {
        for (std::size_t i = 0; i < m; ++i) {
          const RawNode& nd = items[i].node;
          XofFixedKeyAes128::sigma_block(b + 32 * i, nd.lo, nd.hi, 0);
          XofFixedKeyAes128::sigma_block(b + 32 * i + 16, nd.lo, nd.hi, 1);
        }
        XofFixedKeyAes128::hash_blocks(km.key_extend(), b, 2 * m);
      } else {
        for (std::size_t i = 0; i < m; ++i) extend_leaf(km, items[i].node, b + 32 * i);
      }
      const std::uint64_t cw_lo = detail::aes128::load_le64(cw.seed_cw.data());
      const std::uint64_t cw_hi = detail::aes128::load_le64(cw.seed_cw.data() + 8);
      const std::uint64_t cc[2] = {cw.ctrl_cw[0] ? 1u : 0u, cw.ctrl_cw[1] ? 1u : 0u};
      next.clear();
      for (std::size_t i = 0; i < m; ++i) {
        const Item& it = items[i];
        const std::uint64_t mc = mask64(it.node.ctrl);
        // Split the range by bit d (public): the prefixes with a 0 come first.
        const auto first = order.begin() + it.lo, stop = order.begin() + it.hi;
        const auto mid_it = std::partition_point(
            first, stop, [&](std::uint32_t k) { return !prefixes[k].test(d); });
        const auto mid = static_cast<std::uint32_t>(mid_it - order.begin());
        for (std::size_t j = 0; j < 2; ++j) {
          const std::uint32_t lo = j == 0 ? it.lo : mid, hi = j == 0 ? mid : it.hi;
          if (lo == hi) continue;
          const std::uint8_t* e = b + 32 * i + 16 * j;
          const std::uint64_t s_lo = detail::aes128::load_le64(e);
          Item c;
          c.node.ctrl = (s_lo & 1) ^ (cc[j] & it.node.ctrl);
          c.node.lo = (s_lo & ~std::uint64_t{1}) ^ (cw_lo & mc);
          c.node.hi = detail::aes128::load_le64(e + 8) ^ (cw_hi & mc);
          c.lo = lo;
          c.hi = hi;
          next.push_back(c);
        }
      }
      const std::size_t m2 = next.size();
      const std::size_t vl = idpf.value_len_;
      if (inner) {
        const std::size_t cb = last ? 1 + idpf.value_blocks() : 1;
        b = blocks(cb * m2);
        for (std::size_t k = 0; k < m2; ++k) {
          for (std::size_t i = 0; i < cb; ++i) {
            XofFixedKeyAes128::sigma_block(b + 16 * (cb * k + i), next[k].node.lo, next[k].node.hi,
                                           i);
          }
        }
        XofFixedKeyAes128::hash_blocks(km.key_convert(), b, cb * m2);
        for (std::size_t k = 0; k < m2; ++k) {
          RawNode& nd = next[k].node;
          if constexpr (std::is_same_v<F, Field64>) {
            if (last) {
              secret_vector<F>& y = out[order[next[k].lo]];
              y.resize(vl);
              idpf.convert_inner_from_blocks(km, b + 16 * cb * k, nd, y);
              finish_value(y, cw.w_inner, nd.ctrl);
              continue;
            }
          }
          nd.lo = detail::aes128::load_le64(b + 16 * cb * k);
          nd.hi = detail::aes128::load_le64(b + 16 * cb * k + 8);
        }
      } else if constexpr (std::is_same_v<F, Field255>) {
        for (std::size_t k = 0; k < m2; ++k) {
          secret_vector<F>& y = out[order[next[k].lo]];
          y.resize(vl);
          convert_leaf(km, next[k].node, y);
          finish_value(y, cw.w_leaf, next[k].node.ctrl);
        }
      }
    }

    /// y += ctrl·w_cw, negated for aggregator 1.
    void finish_value(secret_vector<F>& y, std::span<const F> wcw, std::uint64_t ctrl) const {
      if constexpr (std::is_same_v<F, Field255>) {
        // ctrl·w as w's canonical limbs under a mask (a Field255 multiplication costs more).
        const std::uint64_t m = mask64(ctrl);
        for (std::size_t i = 0; i < y.size(); ++i) {
          Field255::Int w = wcw[i].as_int();
          for (auto& l : w) l &= m;
          y[i] += Field255::from_int(w);
        }
      } else {
        const F c = F::from_u64(ctrl & 1);
        for (std::size_t i = 0; i < y.size(); ++i) y[i] += c * wcw[i];
      }
      if (agg_id == 1)
        for (auto& v : y) v = -v;
    }
  };

  void check_public_share(const PublicShare& ps) const {
    VDAF_ARG_CHECK(ps.size() == bits_,
                   "IdpfBBCGGI21: public share must have BITS correction words");
    for (std::size_t l = 0; l < bits_; ++l) {
      if (l + 1 < bits_) {
        VDAF_ARG_CHECK(ps[l].w_inner.size() == value_len_,
                       "IdpfBBCGGI21: bad inner correction length");
      } else {
        VDAF_ARG_CHECK(ps[l].w_leaf.size() == value_len_,
                       "IdpfBBCGGI21: bad leaf correction length");
      }
    }
  }

  std::size_t value_len_, bits_;
};

VDAF_END_NAMESPACE
