// The IDPF of BBCGGI21 (draft-irtf-cfrg-vdaf-20 §8.3), used by Poplar1.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "vdaf/codec/codec.hpp"
#include "vdaf/core/bytes.hpp"
#include "vdaf/core/dst.hpp"
#include "vdaf/ct/ct.hpp"
#include "vdaf/errors.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/field/field255.hpp"
#include "vdaf/xof/xof_fixed_key_aes128.hpp"
#include "vdaf/xof/xof_turboshake128.hpp"

VDAF_BEGIN_NAMESPACE

/// A bit string (an IDPF index or one of its prefixes), most significant bit
/// first. Prefixes are public (they come from the aggregation parameter).
using BitString = std::vector<bool>;

/// IdpfBBCGGI21 (§8.3): a two-party incremental DPF over BITS-bit indices whose
/// values are VALUE_LEN-vectors of Field64 at inner levels 0..BITS−2 and of
/// Field255 at the leaf level BITS−1. Inner levels use XofFixedKeyAes128, the leaf
/// XofTurboShake128 (16-byte seeds). Constant-time in keys, seeds, control bits,
/// alpha and beta; prefixes and levels are public.
class IdpfBBCGGI21 {
 public:
  static constexpr std::size_t SHARES = 2;
  static constexpr std::size_t KEY_SIZE = 16;
  static constexpr std::size_t RAND_SIZE = 32;
  static constexpr std::size_t NONCE_SIZE = 16;
  using FieldInner = Field64;
  using FieldLeaf = Field255;
  using Seed16 = std::array<std::uint8_t, 16>;
  using Key = SecretArray<KEY_SIZE>;

  /// One level of the public share: seed, control-bit and value corrections.
  /// `w_inner` (VALUE_LEN) is used at inner levels, `w_leaf` at the leaf.
  struct CorrectionWord {
    Seed16 seed_cw{};
    std::array<bool, 2> ctrl_cw{};
    std::vector<Field64> w_inner;
    std::vector<Field255> w_leaf;
  };
  using PublicShare = std::vector<CorrectionWord>;

  /// Node of the evaluation tree (a seed and a control bit), secret.
  struct Node {
    SecretArray<16> seed;
    std::uint8_t ctrl = 0;
  };

  /// Nodes computed by earlier `eval` calls for ONE report and ONE aggregator
  /// (same key, public share, ctx and nonce), keyed by packed prefix, so
  /// evaluating level after level (as Poplar1 does) starts each path at the
  /// node already known for its ancestor. Only the most recently evaluated
  /// level is kept (one node per prefix). Holds secrets (wiped on destruction).
  class EvalCache {
   public:
    void clear() { levels_.clear(); }
    /// Number of cached nodes.
    std::size_t size() const noexcept {
      std::size_t n = 0;
      for (const auto& [lvl, m] : levels_) n += m.size();
      return n;
    }

   private:
    friend class IdpfBBCGGI21;
    std::map<std::size_t, std::unordered_map<std::string, Node>> levels_;
  };

  /// @throws invalid_argument unless value_len >= 1 and bits >= 1.
  IdpfBBCGGI21(std::size_t value_len, std::size_t bits) : value_len_(value_len), bits_(bits) {
    VDAF_ARG_CHECK(value_len >= 1, "IdpfBBCGGI21: VALUE_LEN must be positive");
    VDAF_ARG_CHECK(bits >= 1 && bits <= 65535, "IdpfBBCGGI21: BITS must be in 1..65535");
  }
  std::size_t bits() const noexcept { return bits_; }
  std::size_t value_len() const noexcept { return value_len_; }

  /// §8.3 gen. Shapes: alpha BITS bools; beta_inner BITS−1 vectors of VALUE_LEN
  /// Field64; beta_leaf VALUE_LEN Field255; nonce 16 bytes; rand 32 bytes (the
  /// two keys). Returns the public share (BITS correction words) and two keys.
  /// @throws invalid_argument on wrong shapes. Constant-time in alpha, beta, rand.
  std::pair<PublicShare, std::array<Key, 2>> gen(const BitString& alpha,
                                                 std::span<const std::vector<Field64>> beta_inner,
                                                 std::span<const Field255> beta_leaf, ByteSpan ctx,
                                                 ByteSpan nonce, ByteSpan rand) const {
    VDAF_ARG_CHECK(alpha.size() == bits_, "IdpfBBCGGI21 gen: alpha must have BITS bits");
    VDAF_ARG_CHECK(beta_inner.size() == bits_ - 1,
                   "IdpfBBCGGI21 gen: beta_inner must have BITS-1 entries");
    for (const auto& b : beta_inner)
      VDAF_ARG_CHECK(b.size() == value_len_,
                     "IdpfBBCGGI21 gen: beta_inner entry length != VALUE_LEN");
    VDAF_ARG_CHECK(beta_leaf.size() == value_len_,
                   "IdpfBBCGGI21 gen: beta_leaf length != VALUE_LEN");
    VDAF_ARG_CHECK(nonce.size() == NONCE_SIZE, "IdpfBBCGGI21 gen: nonce must be 16 bytes");
    VDAF_ARG_CHECK(rand.size() == RAND_SIZE, "IdpfBBCGGI21 gen: rand must be 32 bytes");
    Xofs xofs(ctx, nonce);
    std::array<Key, 2> keys{Key(rand.subspan(0, 16)), Key(rand.subspan(16, 16))};
    SecretArray<16> seed[2] = {SecretArray<16>(keys[0]), SecretArray<16>(keys[1])};
    std::uint8_t ctrl[2] = {0, 1};
    PublicShare ps(bits_);
    for (std::size_t level = 0; level < bits_; ++level) {
      const std::uint8_t keep = alpha[level] ? 1 : 0;
      const std::uint8_t lose = static_cast<std::uint8_t>(1 - keep);
      Extended e0 = extend(xofs, level, seed[0]);
      Extended e1 = extend(xofs, level, seed[1]);
      CorrectionWord& cw = ps[level];
      // seed_cw = s0[lose] ^ s1[lose]  (index by a secret bit: select instead)
      for (std::size_t i = 0; i < 16; ++i) {
        cw.seed_cw[i] = static_cast<std::uint8_t>(sel8(lose, e0.s[1][i], e0.s[0][i]) ^
                                                  sel8(lose, e1.s[1][i], e1.s[0][i]));
      }
      const std::uint8_t cw0 = static_cast<std::uint8_t>(e0.t[0] ^ e1.t[0] ^ keep ^ 1);
      const std::uint8_t cw1 = static_cast<std::uint8_t>(e0.t[1] ^ e1.t[1] ^ keep);
      cw.ctrl_cw = {cw0 != 0, cw1 != 0};
      const std::uint8_t cw_keep = sel8(keep, cw1, cw0);
      SecretArray<16> x[2];
      const Extended* es[2] = {&e0, &e1};
      for (int b = 0; b < 2; ++b) {
        const std::uint8_t c = ctrl[b];
        for (std::size_t i = 0; i < 16; ++i) {
          const std::uint8_t s_keep = sel8(keep, es[b]->s[1][i], es[b]->s[0][i]);
          x[b][i] = static_cast<std::uint8_t>(s_keep ^ (cw.seed_cw[i] & mask8(c)));
        }
        const std::uint8_t t_keep = sel8(keep, es[b]->t[1], es[b]->t[0]);
        ctrl[b] = static_cast<std::uint8_t>(t_keep ^ (cw_keep & c));
      }
      if (level + 1 < bits_) {
        std::vector<Field64> w0, w1;
        seed[0] = convert(xofs, level, x[0], &w0);
        seed[1] = convert(xofs, level, x[1], &w1);
        cw.w_inner = correction(beta_inner[level], w0, w1, ctrl[1]);
      } else {
        std::vector<Field255> w0, w1;
        seed[0] = convert(xofs, level, x[0], &w0);
        seed[1] = convert(xofs, level, x[1], &w1);
        cw.w_leaf =
            correction(std::vector<Field255>(beta_leaf.begin(), beta_leaf.end()), w0, w1, ctrl[1]);
      }
    }
    return {std::move(ps), std::move(keys)};
  }

  /// §8.3 eval at an inner level (< BITS−1): for each prefix (length level+1,
  /// distinct), this aggregator's share of the VALUE_LEN-vector at that node.
  /// Nodes of common ancestors are computed once per call, and once per
  /// `cache` across calls if one is given.
  /// @throws invalid_argument on a bad agg_id, level, or prefix length, or duplicate prefixes.
  std::vector<std::vector<Field64>> eval_inner(std::size_t agg_id, const PublicShare& ps,
                                               const Key& key, std::size_t level,
                                               std::span<const BitString> prefixes, ByteSpan ctx,
                                               ByteSpan nonce, EvalCache* cache = nullptr) const {
    VDAF_ARG_CHECK(level + 1 < bits_, "IdpfBBCGGI21 eval_inner: level is not an inner level");
    return eval_impl<Field64>(agg_id, ps, key, level, prefixes, ctx, nonce, cache);
  }
  /// §8.3 eval at the leaf level (BITS−1); see eval_inner.
  std::vector<std::vector<Field255>> eval_leaf(std::size_t agg_id, const PublicShare& ps,
                                               const Key& key, std::span<const BitString> prefixes,
                                               ByteSpan ctx, ByteSpan nonce,
                                               EvalCache* cache = nullptr) const {
    return eval_impl<Field255>(agg_id, ps, key, bits_ - 1, prefixes, ctx, nonce, cache);
  }

  /// §8.3 public-share encoding: packed control bits ((2·BITS+7)/8 bytes, LSB
  /// first), BITS seeds (16 bytes each), inner payloads (BITS−1)·VALUE_LEN·8
  /// bytes, leaf payload VALUE_LEN·32 bytes.
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
  /// @throws decode_error on a wrong length, non-zero padding bits or a
  /// non-canonical element.
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
  static constexpr std::uint16_t kUsageExtend = 0, kUsageConvert = 1;

  static std::uint8_t mask8(std::uint8_t bit) noexcept {
    return static_cast<std::uint8_t>(0 - value_barrier(static_cast<unsigned>(bit & 1)));
  }
  /// bit ? a : b, constant-time.
  static std::uint8_t sel8(std::uint8_t bit, std::uint8_t a, std::uint8_t b) noexcept {
    const std::uint8_t m = mask8(bit);
    return static_cast<std::uint8_t>((a & m) | (b & static_cast<std::uint8_t>(~m)));
  }

  /// Per-report XOF material: the DSTs and the fixed AES keys (derived once).
  struct Xofs {
    Bytes dst_extend, dst_convert, nonce;
    XofFixedKeyAes128::FixedKey key_extend, key_convert;
    Xofs(ByteSpan ctx, ByteSpan n)
        : dst_extend(format_dst(1, 0, kUsageExtend, ctx)),
          dst_convert(format_dst(1, 0, kUsageConvert, ctx)),
          nonce(n.begin(), n.end()),
          key_extend(XofFixedKeyAes128::derive_key(dst_extend, nonce)),
          key_convert(XofFixedKeyAes128::derive_key(dst_convert, nonce)) {}
  };
  struct Extended {
    SecretArray<16> s[2];
    std::uint8_t t[2];
  };

  Extended extend(const Xofs& x, std::size_t level, ByteSpan seed) const {
    SecretArray<32> buf;
    if (level + 1 < bits_) {
      XofFixedKeyAes128 xof(x.key_extend, seed);
      xof.next(buf.span());
    } else {
      XofTurboShake128 xof(seed, x.dst_extend, x.nonce);
      xof.next(buf.span());
    }
    Extended e;
    for (int b = 0; b < 2; ++b) {
      for (std::size_t i = 0; i < 16; ++i) e.s[b][i] = buf[16 * static_cast<std::size_t>(b) + i];
      e.t[b] = static_cast<std::uint8_t>(e.s[b][0] & 1);
      e.s[b][0] = static_cast<std::uint8_t>(e.s[b][0] & 0xFE);
    }
    return e;
  }
  /// convert of §8.3: the next seed, and the value vector into `w` unless
  /// `w` is null (a node on the way to a deeper level needs only the seed).
  template <class F>
  SecretArray<16> convert(const Xofs& x, std::size_t level, ByteSpan seed,
                          std::vector<F>* w) const {
    SecretArray<16> next;
    if (w != nullptr) w->assign(value_len_, F::zero());
    if (level + 1 < bits_) {
      XofFixedKeyAes128 xof(x.key_convert, seed);
      xof.next(next.span());
      if (w != nullptr) xof.template next_vec_into<F>(std::span<F>(*w));
    } else {
      XofTurboShake128 xof(seed, x.dst_convert, x.nonce);
      xof.next(next.span());
      if (w != nullptr) xof.template next_vec_into<F>(std::span<F>(*w));
    }
    return next;
  }
  /// w_cw = beta − w0 + w1, negated if ctrl1 (constant-time).
  template <class F>
  static std::vector<F> correction(const std::vector<F>& beta, const std::vector<F>& w0,
                                   const std::vector<F>& w1, std::uint8_t ctrl1) {
    std::vector<F> out(beta.size());
    // neg_factor = 1 − 2·ctrl1 ∈ {1, −1}
    const F c = F::from_u64(ctrl1);
    const F factor = F::one() - c - c;
    for (std::size_t i = 0; i < beta.size(); ++i) out[i] = (beta[i] - w0[i] + w1[i]) * factor;
    return out;
  }

  /// eval_next of §8.3: from a node at `level`−1 (or the key) to its child `bit`.
  template <class F>
  Node eval_next(const Xofs& x, const Node& prev, const CorrectionWord& cw, std::size_t level,
                 bool bit, std::vector<F>* y) const {
    Extended e = extend(x, level, prev.seed);
    const std::uint8_t m = mask8(prev.ctrl);
    for (int b = 0; b < 2; ++b)
      for (std::size_t i = 0; i < 16; ++i)
        e.s[b][i] = static_cast<std::uint8_t>(e.s[b][i] ^ (cw.seed_cw[i] & m));
    e.t[0] = static_cast<std::uint8_t>(e.t[0] ^ ((cw.ctrl_cw[0] ? 1 : 0) & prev.ctrl));
    e.t[1] = static_cast<std::uint8_t>(e.t[1] ^ ((cw.ctrl_cw[1] ? 1 : 0) & prev.ctrl));
    const std::size_t bi = bit ? 1 : 0;  // public (prefix bit)
    Node next;
    next.ctrl = e.t[bi];
    std::vector<F> w;
    next.seed = convert<F>(x, level, e.s[bi], y != nullptr ? &w : nullptr);
    if (y != nullptr) {
      const F c = F::from_u64(next.ctrl);
      const std::vector<F>* wcw = nullptr;
      if constexpr (std::is_same_v<F, Field64>) {
        wcw = &cw.w_inner;
      } else {
        wcw = &cw.w_leaf;
      }
      for (std::size_t i = 0; i < w.size(); ++i) w[i] += c * (*wcw)[i];
      *y = std::move(w);
    }
    return next;
  }

  template <class F>
  std::vector<std::vector<F>> eval_impl(std::size_t agg_id, const PublicShare& ps, const Key& key,
                                        std::size_t level, std::span<const BitString> prefixes,
                                        ByteSpan ctx, ByteSpan nonce, EvalCache* cache) const {
    VDAF_ARG_CHECK(agg_id < SHARES, "IdpfBBCGGI21 eval: agg_id out of range");
    VDAF_ARG_CHECK(level < bits_, "IdpfBBCGGI21 eval: level out of range");
    VDAF_ARG_CHECK(nonce.size() == NONCE_SIZE, "IdpfBBCGGI21 eval: nonce must be 16 bytes");
    check_public_share(ps);
    for (const auto& p : prefixes)
      VDAF_ARG_CHECK(p.size() == level + 1, "IdpfBBCGGI21 eval: prefix length must be level+1");
    {
      std::vector<BitString> sorted(prefixes.begin(), prefixes.end());
      std::sort(sorted.begin(), sorted.end());
      VDAF_ARG_CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end(),
                     "IdpfBBCGGI21 eval: prefixes must be unique");
    }
    Xofs x(ctx, nonce);
    Node root;
    root.seed = SecretArray<16>(key);
    root.ctrl = static_cast<std::uint8_t>(agg_id);
    // Evaluate in sorted order so consecutive prefixes share their common path:
    // stack[i] is the node at level i of the previous prefix (valid for i >= valid_lo).
    std::vector<std::size_t> order(prefixes.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return prefixes[a] < prefixes[b]; });
    // Where each path can start: the deepest cached ancestor, else the root.
    std::vector<std::pair<std::size_t, Node>> begin(prefixes.size(), {0, root});
    std::size_t base = level;  // lowest level any path starts from
    for (std::size_t oi : order) {
      if (cache != nullptr) {
        for (auto it = cache->levels_.rbegin(); it != cache->levels_.rend(); ++it) {
          if (it->first >= level) continue;
          auto hit = it->second.find(pack(prefixes[oi], it->first + 1));
          if (hit != it->second.end()) {
            begin[oi] = {it->first + 1, hit->second};
            break;
          }
        }
      }
      base = std::min(base, begin[oi].first);
    }
    // stack[l - base]: only the levels some path computes (one for a cached walk).
    std::vector<Node> stack(level + 1 - base);
    std::size_t valid_lo = level + 1;  // nothing valid yet
    const BitString* prev = nullptr;
    std::unordered_map<std::string, Node> fresh;
    std::vector<std::vector<F>> out(prefixes.size());
    for (std::size_t oi : order) {
      const BitString& prefix = prefixes[oi];
      std::size_t common = 0;
      if (prev != nullptr) {
        while (common < level && (*prev)[common] == prefix[common]) ++common;
      }
      std::size_t start;
      Node node;
      if (common > 0 && common - 1 >= valid_lo) {
        node = stack[common - 1 - base];
        start = common;  // stack[valid_lo..common-1] stays valid: same path
      } else {
        start = begin[oi].first;
        node = begin[oi].second;
        valid_lo = start;
      }
      for (std::size_t l = start; l <= level; ++l) {
        if (l == level) {
          std::vector<F> y;
          node = eval_next<F>(x, node, ps[l], l, prefix[l], &y);
          if (agg_id == 1)
            for (auto& v : y) v = -v;
          out[oi] = std::move(y);
        } else {
          node = eval_next<Field64>(x, node, ps[l], l, prefix[l], nullptr);
        }
        stack[l - base] = node;
      }
      if (cache != nullptr) fresh[pack(prefix, level + 1)] = node;
      prev = &prefix;
    }
    // Keep only the level just evaluated: the next level's prefixes extend
    // these (Poplar1's is_valid), so shallower nodes are never needed again.
    if (cache != nullptr) {
      cache->levels_.clear();
      cache->levels_[level] = std::move(fresh);
    }
    return out;
  }

  /// The first `len` bits of `p`, packed MSB-first (a public map key).
  static std::string pack(const BitString& p, std::size_t len) {
    std::string k((len + 7) / 8, '\0');
    for (std::size_t i = 0; i < len; ++i)
      if (p[i]) k[i / 8] = static_cast<char>(k[i / 8] | (0x80 >> (i % 8)));
    return k;
  }

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
