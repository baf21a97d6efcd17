// IdpfBBCGGI21 (draft-irtf-cfrg-vdaf-20 §8.3) against a spec-literal reference written here:
// gen and eval (uncached, cached across levels, prefixes in any order) must match it exactly,
// including when a Field64 sample of an inner convert is rejected (the batched fast path must
// then fall back to the stream). Also the EvalCache binding (a cache used with another report
// or aggregator is refused with invalid_argument) and BitString against std::vector<bool>.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <set>
#include <span>
#include <unordered_set>
#include <vector>

#include <gtest/gtest.h>

#include "vdaf/poplar1.hpp"

namespace {

using vdaf::BitString;
using vdaf::Bytes;
using vdaf::ByteSpan;
using vdaf::Field255;
using vdaf::Field64;
using vdaf::IdpfBBCGGI21;

/// The library's eval result (wiping vectors) as plain vectors, to compare with the reference.
template <class F>
std::vector<std::vector<F>> plain(const IdpfBBCGGI21::Values<F>& v) {
  std::vector<std::vector<F>> out;
  for (const auto& x : v) out.emplace_back(x.begin(), x.end());
  return out;
}

// ---------------------------------------------------------------------------------------------
// Spec-literal reference (§8.3), one node at a time through the streaming XOFs.
// ---------------------------------------------------------------------------------------------

struct RefIdpf {
  std::size_t value_len, bits;

  Bytes dst(std::uint16_t usage, ByteSpan ctx) const { return vdaf::format_dst(1, 0, usage, ctx); }

  template <class Xof>
  void extend_with(Xof& xof, std::array<Bytes, 2>& s, std::array<std::uint8_t, 2>& t) const {
    for (std::size_t j = 0; j < 2; ++j) {
      s[j].assign(16, 0);
      xof.next(s[j]);
      t[j] = s[j][0] & 1;
      s[j][0] = static_cast<std::uint8_t>(s[j][0] & 0xFE);
    }
  }
  void extend(std::size_t level, const Bytes& seed, ByteSpan ctx, ByteSpan nonce,
              std::array<Bytes, 2>& s, std::array<std::uint8_t, 2>& t) const {
    if (level + 1 < bits) {
      vdaf::XofFixedKeyAes128 xof(seed, dst(0, ctx), nonce);
      extend_with(xof, s, t);
    } else {
      vdaf::XofTurboShake128 xof(seed, dst(0, ctx), nonce);
      extend_with(xof, s, t);
    }
  }
  template <class F>
  Bytes convert(std::size_t level, const Bytes& seed, ByteSpan ctx, ByteSpan nonce,
                std::vector<F>& w) const {
    Bytes next(16);
    if (level + 1 < bits) {
      vdaf::XofFixedKeyAes128 xof(seed, dst(1, ctx), nonce);
      xof.next(next);
      w = xof.next_vec<F>(value_len);
    } else {
      vdaf::XofTurboShake128 xof(seed, dst(1, ctx), nonce);
      xof.next(next);
      w = xof.next_vec<F>(value_len);
    }
    return next;
  }
  static Bytes xor_masked(const Bytes& a, const Bytes& b, bool use_b) {
    Bytes r = a;
    if (use_b)
      for (std::size_t i = 0; i < r.size(); ++i) r[i] = static_cast<std::uint8_t>(r[i] ^ b[i]);
    return r;
  }

  IdpfBBCGGI21::PublicShare gen(const BitString& alpha,
                                const std::vector<std::vector<Field64>>& beta_inner,
                                const std::vector<Field255>& beta_leaf, ByteSpan ctx,
                                ByteSpan nonce, ByteSpan rand) const {
    std::array<Bytes, 2> seed = {Bytes(rand.begin(), rand.begin() + 16),
                                 Bytes(rand.begin() + 16, rand.end())};
    std::array<bool, 2> ctrl = {false, true};
    IdpfBBCGGI21::PublicShare ps(bits);
    for (std::size_t level = 0; level < bits; ++level) {
      const bool keep = alpha[level];
      const std::size_t k = keep ? 1 : 0, lose = 1 - k;
      std::array<Bytes, 2> s0, s1;
      std::array<std::uint8_t, 2> t0, t1;
      extend(level, seed[0], ctx, nonce, s0, t0);
      extend(level, seed[1], ctx, nonce, s1, t1);
      const Bytes seed_cw = xor_masked(s0[lose], s1[lose], true);
      const std::array<bool, 2> ctrl_cw = {(t0[0] ^ t1[0] ^ (keep ? 1 : 0) ^ 1) != 0,
                                           (t0[1] ^ t1[1] ^ (keep ? 1 : 0)) != 0};
      const Bytes x0 = xor_masked(s0[k], seed_cw, ctrl[0]);
      const Bytes x1 = xor_masked(s1[k], seed_cw, ctrl[1]);
      ctrl[0] = (t0[k] != 0) != (ctrl[0] && ctrl_cw[k]);
      ctrl[1] = (t1[k] != 0) != (ctrl[1] && ctrl_cw[k]);
      auto& cw = ps[level];
      std::copy(seed_cw.begin(), seed_cw.end(), cw.seed_cw.begin());
      cw.ctrl_cw = ctrl_cw;
      if (level + 1 < bits) {
        std::vector<Field64> w0, w1;
        seed[0] = convert(level, x0, ctx, nonce, w0);
        seed[1] = convert(level, x1, ctx, nonce, w1);
        for (std::size_t i = 0; i < value_len; ++i) {
          Field64 v = beta_inner[level][i] - w0[i] + w1[i];
          cw.w_inner.push_back(ctrl[1] ? -v : v);
        }
      } else {
        std::vector<Field255> w0, w1;
        seed[0] = convert(level, x0, ctx, nonce, w0);
        seed[1] = convert(level, x1, ctx, nonce, w1);
        for (std::size_t i = 0; i < value_len; ++i) {
          Field255 v = beta_leaf[i] - w0[i] + w1[i];
          cw.w_leaf.push_back(ctrl[1] ? -v : v);
        }
      }
    }
    return ps;
  }

  template <class F>
  std::vector<std::vector<F>> eval(std::size_t agg_id, const IdpfBBCGGI21::PublicShare& ps,
                                   ByteSpan key, std::size_t level,
                                   const std::vector<BitString>& prefixes, ByteSpan ctx,
                                   ByteSpan nonce) const {
    std::vector<std::vector<F>> out;
    for (const auto& prefix : prefixes) {
      Bytes seed(key.begin(), key.end());
      bool ctrl = agg_id == 1;
      std::vector<F> y;
      for (std::size_t l = 0; l <= level; ++l) {
        const auto& cw = ps[l];
        std::array<Bytes, 2> s;
        std::array<std::uint8_t, 2> t;
        extend(l, seed, ctx, nonce, s, t);
        const Bytes cws(cw.seed_cw.begin(), cw.seed_cw.end());
        for (std::size_t j = 0; j < 2; ++j) {
          s[j] = xor_masked(s[j], cws, ctrl);
          t[j] = static_cast<std::uint8_t>(t[j] ^ ((cw.ctrl_cw[j] && ctrl) ? 1 : 0));
        }
        const std::size_t b = prefix[l] ? 1 : 0;
        ctrl = t[b] != 0;
        if (l + 1 < bits) {
          std::vector<Field64> w;
          seed = convert(l, s[b], ctx, nonce, w);
          if constexpr (std::is_same_v<F, Field64>) {
            if (l == level) {
              for (std::size_t i = 0; i < value_len; ++i) w[i] += ctrl ? cw.w_inner[i] : F::zero();
              y = w;
            }
          }
        } else {
          std::vector<Field255> w;
          seed = convert(l, s[b], ctx, nonce, w);
          if constexpr (std::is_same_v<F, Field255>) {
            for (std::size_t i = 0; i < value_len; ++i) w[i] += ctrl ? cw.w_leaf[i] : F::zero();
            y = w;
          }
        }
      }
      if (agg_id == 1)
        for (auto& v : y) v = -v;
      out.push_back(std::move(y));
    }
    return out;
  }
};

// ---------------------------------------------------------------------------------------------
// Random cases.
// ---------------------------------------------------------------------------------------------

struct Case {
  std::size_t bits = 0, value_len = 0;
  BitString alpha;
  std::vector<std::vector<Field64>> beta_inner;
  std::vector<Field255> beta_leaf;
  Bytes ctx, nonce, rand;
};

Case make_case(std::mt19937_64& rng, std::size_t bits, std::size_t value_len) {
  Case c;
  c.bits = bits;
  c.value_len = value_len;
  c.alpha = BitString(bits);
  for (std::size_t i = 0; i < bits; ++i) c.alpha[i] = (rng() & 1) != 0;
  for (std::size_t l = 0; l + 1 < bits; ++l) {
    std::vector<Field64> b;
    for (std::size_t i = 0; i < value_len; ++i) b.push_back(Field64::from_u64(rng()));
    c.beta_inner.push_back(b);
  }
  for (std::size_t i = 0; i < value_len; ++i) c.beta_leaf.push_back(Field255::from_u64(rng()));
  c.ctx.resize(rng() % 5);
  for (auto& x : c.ctx) x = static_cast<std::uint8_t>(rng());
  c.nonce.resize(16);
  for (auto& x : c.nonce) x = static_cast<std::uint8_t>(rng());
  c.rand.resize(32);
  for (auto& x : c.rand) x = static_cast<std::uint8_t>(rng());
  return c;
}

/// Prefixes of length level+1 in random order: alpha's prefix, its sibling, and random ones.
std::vector<BitString> random_prefixes(std::mt19937_64& rng, const BitString& alpha,
                                       std::size_t level) {
  std::set<BitString> set;
  BitString path = alpha.prefix(level + 1);
  set.insert(path);
  path.back() = !path.back();
  set.insert(path);
  const std::size_t extra = rng() % 6;
  for (std::size_t k = 0; k < extra; ++k) {
    BitString p = alpha.prefix(level + 1);
    // flip one bit, or randomise a tail
    const std::size_t from = static_cast<std::size_t>(rng() % (level + 1));
    for (std::size_t i = from; i <= level; ++i) p[i] = (rng() & 1) != 0;
    set.insert(p);
  }
  std::vector<BitString> out(set.begin(), set.end());
  std::shuffle(out.begin(), out.end(), rng);
  return out;
}

void check_case(const Case& c, std::mt19937_64& rng) {
  const IdpfBBCGGI21 idpf(c.value_len, c.bits);
  const RefIdpf ref{c.value_len, c.bits};
  auto [ps, keys] = idpf.gen(c.alpha, c.beta_inner, c.beta_leaf, c.ctx, c.nonce, c.rand);
  const auto ref_ps = ref.gen(c.alpha, c.beta_inner, c.beta_leaf, c.ctx, c.nonce, c.rand);
  ASSERT_EQ(idpf.encode_public_share(ps), idpf.encode_public_share(ref_ps))
      << "bits " << c.bits << " value_len " << c.value_len;
  EXPECT_TRUE(std::equal(keys[0].span().begin(), keys[0].span().end(), c.rand.begin()));
  EXPECT_TRUE(std::equal(keys[1].span().begin(), keys[1].span().end(), c.rand.begin() + 16));
  std::array<IdpfBBCGGI21::EvalCache, 2> caches;
  for (std::size_t level = 0; level < c.bits; level += 1 + rng() % 3) {
    const auto prefixes = random_prefixes(rng, c.alpha, level);
    for (std::size_t a = 0; a < 2; ++a) {
      if (level + 1 < c.bits) {
        const auto want = ref.eval<Field64>(a, ps, keys[a], level, prefixes, c.ctx, c.nonce);
        EXPECT_EQ(plain(idpf.eval_inner(a, ps, keys[a], level, prefixes, c.ctx, c.nonce)), want)
            << "level " << level;
        EXPECT_EQ(
            plain(idpf.eval_inner(a, ps, keys[a], level, prefixes, c.ctx, c.nonce, &caches[a])),
            want)
            << "cached, level " << level;
      } else {
        const auto want = ref.eval<Field255>(a, ps, keys[a], level, prefixes, c.ctx, c.nonce);
        EXPECT_EQ(plain(idpf.eval_leaf(a, ps, keys[a], prefixes, c.ctx, c.nonce)), want);
        EXPECT_EQ(plain(idpf.eval_leaf(a, ps, keys[a], prefixes, c.ctx, c.nonce, &caches[a])),
                  want);
      }
    }
    EXPECT_EQ(caches[0].size(), prefixes.size());
  }
}

TEST(IdpfReference, GenAndEvalMatchTheSpec) {
  std::mt19937_64 rng(20261121);
  for (std::size_t bits : {1u, 2u, 3u, 7u, 63u, 64u, 65u, 130u}) {
    for (std::size_t value_len : {1u, 2u, 3u, 5u}) {
      check_case(make_case(rng, bits, value_len), rng);
    }
  }
}

// A report whose first inner convert (party 0, level 0, alpha[0] = 0, empty ctx, zero nonce,
// key 0 = le64(lo) ‖ le64(0x1234)) draws a Field64 sample >= p among VALUE_LEN = 16: found by
// search. The batched convert must fall back to the stream and still match the reference.
TEST(IdpfReference, RejectedSampleInInnerConvert) {
  constexpr std::uint64_t kKeyLo = 8574901;
  Case c;
  c.bits = 3;
  c.value_len = 16;
  c.alpha = BitString{false, true, true};
  for (std::size_t l = 0; l < 2; ++l) {
    std::vector<Field64> b;
    for (std::size_t i = 0; i < 16; ++i) b.push_back(Field64::from_u64(1000 * l + i));
    c.beta_inner.push_back(b);
  }
  for (std::size_t i = 0; i < 16; ++i) c.beta_leaf.push_back(Field255::from_u64(7 + i));
  c.nonce.assign(16, 0);
  c.rand.assign(32, 0);
  for (std::size_t i = 0; i < 8; ++i) {
    c.rand[i] = static_cast<std::uint8_t>(kKeyLo >> (8 * i));
    c.rand[8 + i] = static_cast<std::uint8_t>(std::uint64_t{0x1234} >> (8 * i));
    c.rand[16 + i] = static_cast<std::uint8_t>(0x51 + i);
  }
  // The rejection really happens: the stream of party 0's level-0 convert seed has a sample
  // >= p among its first 16 (checked through the reference's own stream).
  {
    const RefIdpf ref{16, 3};
    std::array<Bytes, 2> s;
    std::array<std::uint8_t, 2> t;
    ref.extend(0, Bytes(c.rand.begin(), c.rand.begin() + 16), c.ctx, c.nonce, s, t);
    vdaf::XofFixedKeyAes128 xof(s[0], ref.dst(1, c.ctx), c.nonce);
    Bytes raw(16 + 16 * 8);
    xof.next(raw);
    bool rejected = false;
    for (std::size_t i = 0; i < 16; ++i) {
      rejected = rejected ||
                 vdaf::detail::aes128::load_le64(raw.data() + 16 + 8 * i) >= 0xFFFFFFFF00000001ULL;
    }
    ASSERT_TRUE(rejected);
  }
  std::mt19937_64 rng(1);
  for (int rep = 0; rep < 3; ++rep) check_case(c, rng);
  // The values still add up to beta on alpha's path.
  const IdpfBBCGGI21 idpf(16, 3);
  auto [ps, keys] = idpf.gen(c.alpha, c.beta_inner, c.beta_leaf, c.ctx, c.nonce, c.rand);
  const std::vector<BitString> p0 = {BitString{false}, BitString{true}};
  auto y0 = idpf.eval_inner(0, ps, keys[0], 0, p0, c.ctx, c.nonce);
  auto y1 = idpf.eval_inner(1, ps, keys[1], 0, p0, c.ctx, c.nonce);
  for (std::size_t i = 0; i < 16; ++i) {
    EXPECT_EQ(y0[0][i] + y1[0][i], c.beta_inner[0][i]);
    EXPECT_EQ(y0[1][i] + y1[1][i], Field64::zero());
  }
}

TEST(IdpfReference, CacheOfAnotherReportIsRefused) {
  std::mt19937_64 rng(7);
  const Case a = make_case(rng, 40, 2);
  Case b = make_case(rng, 40, 2);
  const IdpfBBCGGI21 idpf(2, 40);
  auto [psa, ka] = idpf.gen(a.alpha, a.beta_inner, a.beta_leaf, a.ctx, a.nonce, a.rand);
  auto [psb, kb] = idpf.gen(b.alpha, b.beta_inner, b.beta_leaf, b.ctx, b.nonce, b.rand);
  IdpfBBCGGI21::EvalCache cache;
  for (std::size_t level = 0; level < 5; ++level) {
    const std::vector<BitString> pa = {a.alpha.prefix(level + 1)};
    (void)idpf.eval_inner(0, psa, ka[0], level, pa, a.ctx, a.nonce, &cache);
  }
  ASSERT_EQ(cache.size(), 1u);
  // Report b at level 5 with a's cache (same prefixes as a's path: a stale cache would hit):
  // refused, the cache unchanged.
  const std::vector<BitString> pb = {a.alpha.prefix(6), b.alpha.prefix(6)};
  std::vector<BitString> pbs = pb;
  std::sort(pbs.begin(), pbs.end());
  pbs.erase(std::unique(pbs.begin(), pbs.end()), pbs.end());
  EXPECT_THROW((void)idpf.eval_inner(0, psb, kb[0], 5, pbs, b.ctx, b.nonce, &cache),
               vdaf::invalid_argument);
  EXPECT_EQ(cache.size(), 1u);
  // The other aggregator, a different nonce only, a different ctx only: refused too.
  const std::vector<BitString> a6 = {a.alpha.prefix(6)};
  EXPECT_THROW((void)idpf.eval_inner(1, psa, ka[1], 5, a6, a.ctx, a.nonce, &cache),
               vdaf::invalid_argument);
  Bytes other_nonce = a.nonce;
  other_nonce[3] ^= 1;
  EXPECT_THROW((void)idpf.eval_inner(0, psa, ka[0], 5, a6, a.ctx, other_nonce, &cache),
               vdaf::invalid_argument);
  Bytes other_ctx = a.ctx;
  other_ctx.push_back(1);
  EXPECT_THROW((void)idpf.eval_inner(0, psa, ka[0], 5, a6, other_ctx, a.nonce, &cache),
               vdaf::invalid_argument);
  // Its own report continues; after clear() the cache serves report b, matching no cache.
  EXPECT_EQ(idpf.eval_inner(0, psa, ka[0], 5, a6, a.ctx, a.nonce, &cache),
            idpf.eval_inner(0, psa, ka[0], 5, a6, a.ctx, a.nonce));
  cache.clear();
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_FALSE(cache.is_bound());
  EXPECT_EQ(idpf.eval_inner(0, psb, kb[0], 5, pbs, b.ctx, b.nonce, &cache),
            idpf.eval_inner(0, psb, kb[0], 5, pbs, b.ctx, b.nonce));
}

TEST(IdpfReference, RejectsDuplicateAndMalformedPrefixes) {
  std::mt19937_64 rng(3);
  const Case c = make_case(rng, 10, 2);
  const IdpfBBCGGI21 idpf(2, 10);
  auto [ps, keys] = idpf.gen(c.alpha, c.beta_inner, c.beta_leaf, c.ctx, c.nonce, c.rand);
  const std::vector<BitString> dup = {BitString{true, false}, BitString{false, true},
                                      BitString{true, false}};
  EXPECT_THROW(idpf.eval_inner(0, ps, keys[0], 1, dup, c.ctx, c.nonce), vdaf::invalid_argument);
  const std::vector<BitString> bad_len = {BitString{true, false, true}};
  EXPECT_THROW(idpf.eval_inner(0, ps, keys[0], 1, bad_len, c.ctx, c.nonce), vdaf::invalid_argument);
  const std::vector<BitString> one = {BitString{true, false}}, none;
  auto short_ps = ps;
  short_ps.pop_back();
  EXPECT_THROW(idpf.eval_inner(0, short_ps, keys[0], 1, one, c.ctx, c.nonce),
               vdaf::invalid_argument);
  auto bad_w = ps;
  bad_w[1].w_inner.pop_back();
  EXPECT_THROW(idpf.eval_inner(0, bad_w, keys[0], 1, one, c.ctx, c.nonce), vdaf::invalid_argument);
  EXPECT_TRUE(idpf.eval_inner(0, ps, keys[0], 1, none, c.ctx, c.nonce).empty());
}

// ---------------------------------------------------------------------------------------------
// BitString against std::vector<bool>.
// ---------------------------------------------------------------------------------------------

BitString from_vec(const std::vector<bool>& v) { return BitString(v.begin(), v.end()); }

TEST(BitString, MatchesVectorBool) {
  std::mt19937_64 rng(11);
  std::vector<std::vector<bool>> vs;
  for (std::size_t n : {0u, 1u, 2u, 7u, 8u, 63u, 64u, 65u, 127u, 128u, 129u, 200u}) {
    for (int k = 0; k < 4; ++k) {
      std::vector<bool> v(n);
      for (std::size_t i = 0; i < n; ++i) v[i] = (rng() % static_cast<std::uint64_t>(k + 2)) == 0;
      vs.push_back(v);
      // a copy with a common prefix and one changed bit (when possible)
      if (n > 0) {
        v[rng() % n].flip();
        vs.push_back(v);
      }
    }
  }
  for (const auto& v : vs) {
    const BitString b = from_vec(v);
    ASSERT_EQ(b.size(), v.size());
    for (std::size_t i = 0; i < v.size(); ++i) ASSERT_EQ(b[i], v[i]);
    EXPECT_EQ(std::vector<bool>(b.begin(), b.end()), v);
    for (std::size_t len = 0; len <= v.size(); len += 1 + len / 3) {
      EXPECT_EQ(b.prefix(len), from_vec(std::vector<bool>(
                                   v.begin(), v.begin() + static_cast<std::ptrdiff_t>(len))));
      EXPECT_EQ(BitString(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(len)), b.prefix(len));
      EXPECT_TRUE(b.starts_with(b.prefix(len)));
    }
    Bytes packed;
    b.append_packed(packed);
    ASSERT_EQ(packed.size(), (v.size() + 7) / 8);
    EXPECT_EQ(BitString::from_packed(packed, v.size()), b);
    BitString r = b;
    r.resize(v.size() + 70, true);
    std::vector<bool> rv = v;
    rv.resize(v.size() + 70, true);
    EXPECT_EQ(r, from_vec(rv));
    r.resize(v.size() / 2);
    rv.resize(v.size() / 2);
    EXPECT_EQ(r, from_vec(rv));
    BitString c = b;
    c.append(from_vec(rv));
    std::vector<bool> cv = v;
    cv.insert(cv.end(), rv.begin(), rv.end());
    EXPECT_EQ(c, from_vec(cv));
  }
  for (const auto& x : vs) {
    for (const auto& y : vs) {
      const BitString a = from_vec(x), b = from_vec(y);
      ASSERT_EQ(a == b, x == y);
      ASSERT_EQ(a < b, x < y);
      ASSERT_EQ(a > b, x > y);
      if (x == y) {
        ASSERT_EQ(std::hash<BitString>{}(a), std::hash<BitString>{}(b));
      }
      std::size_t cpl = 0;
      while (cpl < x.size() && cpl < y.size() && x[cpl] == y[cpl]) ++cpl;
      ASSERT_EQ(BitString::common_prefix_length(a, b), cpl);
    }
  }
}

TEST(BitString, ConstructorsAndProxies) {
  BitString a(70, true);
  EXPECT_EQ(a.size(), 70u);
  EXPECT_EQ(a.words()[1], ~std::uint64_t{0} << 58);  // padding stays zero
  a[3] = false;
  a.back() = false;
  EXPECT_FALSE(a[3]);
  EXPECT_FALSE(a[69]);
  a[5] = a[3];
  EXPECT_FALSE(a[5]);
  a.pop_back();
  EXPECT_EQ(a.size(), 69u);
  a.push_back(true);
  EXPECT_TRUE(a.back());
  const BitString b{true, false, true};
  EXPECT_EQ(b.to_string(), "101");
  EXPECT_EQ(b.bit_u64(2), 1u);
  EXPECT_EQ(b.substr(1, 2), (BitString{false, true}));
  EXPECT_THROW((void)b.prefix(4), vdaf::invalid_argument);
  EXPECT_THROW((void)b.at(3), vdaf::invalid_argument);
  std::unordered_set<BitString> set = {b, BitString{true}, BitString{}};
  EXPECT_EQ(set.count(BitString{true, false, true}), 1u);
}

// append(*this) doubles the string (it once looped until memory ran out: the bound grew).
TEST(BitString, AppendSelf) {
  BitString a{true, false, true};
  a.append(a);
  EXPECT_EQ(a.to_string(), "101101");
  BitString w(63, true);  // crosses a word boundary while appending to itself
  w.append(w);
  EXPECT_EQ(w.size(), 126u);
  EXPECT_EQ(w.words()[0], ~std::uint64_t{0});
  EXPECT_EQ(w.words()[1], ~std::uint64_t{0} << 2);
}

}  // namespace
