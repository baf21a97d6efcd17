// Poplar1 and IdpfBBCGGI21 properties (draft-irtf-cfrg-vdaf-20 §8), RapidCheck:
//
// - IDPF correctness: for random BITS (1..70; plus one run at 256 and one at
//   2048 bits), VALUE_LEN, alpha, beta, ctx, the two aggregators' eval shares
//   sum to beta at alpha's prefix and to zero at every other prefix, at every
//   level; an EvalCache reused across levels (ascending or shuffled) gives the
//   same shares as no cache;
// - heavy hitters: random measurement sets (BITS 1..12, 1..20 clients) walked
//   level by level (sometimes skipping a level) with a threshold; is_valid
//   accepts each next aggregation parameter; every level's counts equal plain
//   counting, and the leaf finds exactly the measurements with count >= threshold;
// - tampering: a changed idpf key byte, corr_seed byte, corr_inner / corr_leaf
//   element, seed_cw byte or w_cw element makes verification throw
//   verify_error exactly when the changed part is used at the level being
//   verified (corr_inner of level L and w_cw of level L only at level L;
//   seed_cw of level l at every level >= l); otherwise the counts are unchanged;
// - encode/decode round trips of every message type;
// - bad input: aggregation parameters (padding bits, trailing bytes, level >=
//   BITS, prefixes not strictly increasing, wrong prefix length), public shares
//   (control-bit padding, length), input shares (length, non-canonical
//   elements), verifier shares and messages, aggregate shares.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "vdaf/poplar1.hpp"

namespace {

using vdaf::BitString;
using vdaf::Bytes;
using vdaf::Field255;
using vdaf::Field64;
using vdaf::IdpfBBCGGI21;
using vdaf::Poplar1;

// ---------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------

/// Uniform integer in [lo, hi] (not scaled down by RapidCheck's size).
template <class T>
T pick(T lo, T hi) {
  if (lo == hi) return lo;
  return *rc::gen::resize(100, rc::gen::inRange<T>(lo, static_cast<T>(hi + 1)));
}

std::uint64_t gen_u64() { return *rc::gen::resize(100, rc::gen::arbitrary<std::uint64_t>()); }

Bytes gen_bytes(std::size_t n) {
  return *rc::gen::container<Bytes>(n, rc::gen::resize(100, rc::gen::arbitrary<std::uint8_t>()));
}

BitString gen_bits(std::size_t n) {
  const Bytes b = gen_bytes((n + 7) / 8);
  BitString out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = ((b[i / 8] >> (i % 8)) & 1) != 0;
  return out;
}

Field64 gen_f64() { return Field64::from_u64(gen_u64()); }
Field255 gen_f255() { return Field255::from_int({gen_u64(), gen_u64(), gen_u64(), gen_u64()}); }

Bytes gen_ctx() {
  if (pick<int>(0, 3) == 0) return {};
  return gen_bytes(pick<std::size_t>(1, 30));
}

BitString prefix_of(const BitString& x, std::size_t len) {
  return BitString(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(len));
}

/// The `len`-bit string of the low bits of `v`, most significant first.
BitString bits_of(std::uint64_t v, std::size_t len) {
  return Poplar1::measurement_from_int(v, len);
}

// ---------------------------------------------------------------------------
// IDPF
// ---------------------------------------------------------------------------

struct IdpfCase {
  std::size_t bits = 0, value_len = 0;
  BitString alpha;
  std::vector<std::vector<Field64>> beta_inner;
  std::vector<Field255> beta_leaf;
  Bytes ctx, nonce, rand;
};

/// Evaluates both keys at `level` on `prefixes` (with the caches if given) and
/// checks the sums against beta / zero. Returns the two aggregators' shares.
template <class F>
std::array<IdpfBBCGGI21::Values<F>, 2> eval_both(const IdpfBBCGGI21& idpf,
                                                 const IdpfBBCGGI21::PublicShare& ps,
                                                 const std::array<IdpfBBCGGI21::Key, 2>& keys,
                                                 const IdpfCase& c, std::size_t level,
                                                 const std::vector<BitString>& prefixes,
                                                 std::array<IdpfBBCGGI21::EvalCache, 2>* caches) {
  std::array<IdpfBBCGGI21::Values<F>, 2> y;
  for (std::size_t a = 0; a < 2; ++a) {
    IdpfBBCGGI21::EvalCache* cache = caches != nullptr ? &(*caches)[a] : nullptr;
    std::span<const BitString> p(prefixes);
    if constexpr (std::is_same_v<F, Field255>) {
      y[a] = idpf.eval_leaf(a, ps, keys[a], p, c.ctx, c.nonce, cache);
    } else {
      y[a] = idpf.eval_inner(a, ps, keys[a], level, p, c.ctx, c.nonce, cache);
    }
  }
  return y;
}

template <class F>
bool sums_ok(const IdpfCase& c, std::size_t level, const std::vector<BitString>& prefixes,
             const std::array<IdpfBBCGGI21::Values<F>, 2>& y, const std::vector<F>& beta) {
  if (y[0].size() != prefixes.size() || y[1].size() != prefixes.size()) return false;
  const BitString path = prefix_of(c.alpha, level + 1);
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    if (y[0][i].size() != c.value_len || y[1][i].size() != c.value_len) return false;
    for (std::size_t k = 0; k < c.value_len; ++k) {
      const F expected = prefixes[i] == path ? beta[k] : F::zero();
      if (!(y[0][i][k] + y[1][i][k] == expected)) return false;
    }
  }
  return true;
}

/// Checks one level: sums, and cached == uncached (when `check_uncached`).
/// Returns what went wrong, or "" (usable inside and outside a property).
std::string check_idpf_level(const IdpfBBCGGI21& idpf, const IdpfBBCGGI21::PublicShare& ps,
                             const std::array<IdpfBBCGGI21::Key, 2>& keys, const IdpfCase& c,
                             std::size_t level, const std::vector<BitString>& prefixes,
                             std::array<IdpfBBCGGI21::EvalCache, 2>& caches, bool check_uncached) {
  auto check = [&](auto field_tag, const auto& beta) -> std::string {
    using F = decltype(field_tag);
    auto yc = eval_both<F>(idpf, ps, keys, c, level, prefixes, &caches);
    if (!sums_ok(c, level, prefixes, yc, beta)) {
      return "level " + std::to_string(level) + ": shares do not sum to beta / zero";
    }
    if (check_uncached && !(eval_both<F>(idpf, ps, keys, c, level, prefixes, nullptr) == yc)) {
      return "level " + std::to_string(level) + ": cached shares differ from uncached";
    }
    return "";
  };
  if (level + 1 < c.bits) return check(Field64{}, c.beta_inner[level]);
  return check(Field255{}, c.beta_leaf);
}

IdpfCase random_idpf_case(std::size_t bits) {
  IdpfCase c;
  c.bits = bits;
  c.value_len = pick<std::size_t>(1, 3);
  c.alpha = gen_bits(bits);
  for (std::size_t l = 0; l + 1 < bits; ++l) {
    std::vector<Field64> b;
    for (std::size_t k = 0; k < c.value_len; ++k) b.push_back(gen_f64());
    c.beta_inner.push_back(std::move(b));
  }
  for (std::size_t k = 0; k < c.value_len; ++k) c.beta_leaf.push_back(gen_f255());
  c.ctx = gen_ctx();
  c.nonce = gen_bytes(16);
  c.rand = gen_bytes(32);
  return c;
}

RC_GTEST_PROP(IdpfProperties, SharesSumToBetaOnPathAndZeroElsewhereWithAndWithoutCache, ()) {
  const std::size_t bits =
      pick<int>(0, 3) == 0 ? pick<std::size_t>(21, 70) : pick<std::size_t>(1, 20);
  const IdpfCase c = random_idpf_case(bits);
  const IdpfBBCGGI21 idpf(c.value_len, bits);
  auto [ps0, keys] = idpf.gen(c.alpha, c.beta_inner, c.beta_leaf, c.ctx, c.nonce, c.rand);
  IdpfBBCGGI21::PublicShare ps = ps0;
  if (pick<int>(0, 1) == 0) {
    const Bytes enc = idpf.encode_public_share(ps0);
    RC_ASSERT(enc.size() ==
              (2 * bits + 7) / 8 + 16 * bits + (bits - 1) * c.value_len * 8 + c.value_len * 32);
    ps = idpf.decode_public_share(enc);
    RC_ASSERT(idpf.encode_public_share(ps) == enc);
  }
  // Levels in ascending order, or shuffled (the cache must not care).
  std::vector<std::size_t> levels(bits);
  for (std::size_t l = 0; l < bits; ++l) levels[l] = l;
  if (pick<int>(0, 3) == 0) {
    for (std::size_t i = bits; i > 1; --i)
      std::swap(levels[i - 1], levels[pick<std::size_t>(0, i - 1)]);
  }
  std::array<IdpfBBCGGI21::EvalCache, 2> caches;
  for (std::size_t level : levels) {
    const std::size_t len = level + 1;
    std::set<BitString> set;
    if (len <= 3 && pick<int>(0, 1) == 0) {
      for (std::uint64_t v = 0; v < (std::uint64_t{1} << len); ++v) set.insert(bits_of(v, len));
    } else {
      const BitString path = prefix_of(c.alpha, len);
      if (pick<int>(0, 3) != 0) set.insert(path);
      BitString sibling = path;
      sibling.back() = !sibling.back();
      if (pick<int>(0, 1) == 0) set.insert(sibling);
      // A prefix that leaves alpha's path at a random depth.
      BitString off = path;
      const std::size_t at = pick<std::size_t>(0, level);
      off[at] = !off[at];
      set.insert(off);
      for (int k = pick<int>(0, 2); k > 0; --k) set.insert(gen_bits(len));
    }
    const std::vector<BitString> prefixes(set.begin(), set.end());
    RC_ASSERT(check_idpf_level(idpf, ps, keys, c, level, prefixes, caches, true) == "");
  }
}

/// Deterministic long-index runs: alpha's prefix and its sibling at every
/// level through the cache; uncached comparison at a few levels only.
void long_idpf_run(std::size_t bits, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  IdpfCase c;
  c.bits = bits;
  c.value_len = 2;
  c.alpha.resize(bits);
  for (std::size_t i = 0; i < bits; ++i) c.alpha[i] = (rng() & 1) != 0;
  for (std::size_t l = 0; l + 1 < bits; ++l) {
    c.beta_inner.push_back({Field64::from_u64(rng()), Field64::from_u64(rng())});
  }
  c.beta_leaf = {Field255::from_int({rng(), rng(), rng(), rng()}), Field255::one()};
  c.ctx = {1, 2, 3};
  c.nonce.resize(16);
  c.rand.resize(32);
  for (auto& b : c.nonce) b = static_cast<std::uint8_t>(rng());
  for (auto& b : c.rand) b = static_cast<std::uint8_t>(rng());
  const IdpfBBCGGI21 idpf(c.value_len, bits);
  auto [ps, keys] = idpf.gen(c.alpha, c.beta_inner, c.beta_leaf, c.ctx, c.nonce, c.rand);
  const Bytes enc = idpf.encode_public_share(ps);
  ASSERT_EQ(idpf.encode_public_share(idpf.decode_public_share(enc)), enc);
  const std::set<std::size_t> uncached = {0, 1, bits - 1};
  std::array<IdpfBBCGGI21::EvalCache, 2> caches;
  for (std::size_t level = 0; level < bits; ++level) {
    BitString path = prefix_of(c.alpha, level + 1), sibling = path;
    sibling.back() = !sibling.back();
    std::vector<BitString> prefixes = {path, sibling};
    std::sort(prefixes.begin(), prefixes.end());
    const std::string err =
        check_idpf_level(idpf, ps, keys, c, level, prefixes, caches, uncached.count(level) > 0);
    ASSERT_EQ(err, "") << "BITS " << bits;
  }
  // The cache keeps only the last evaluated level: one node per prefix.
  EXPECT_EQ(caches[0].size(), 2u);
}

TEST(IdpfProperties, Bits256) { long_idpf_run(256, 1); }
TEST(IdpfProperties, Bits2048) { long_idpf_run(2048, 2); }

// ---------------------------------------------------------------------------
// Poplar1 pipeline
// ---------------------------------------------------------------------------

struct Report {
  Bytes nonce;
  Poplar1::ShardResult sh;
  std::array<IdpfBBCGGI21::EvalCache, 2> caches;
};

using Span = std::span<const Poplar1::VerifierShare>;

/// One report through both rounds at `ap`; every message optionally through
/// its encoding. Returns the two output shares, or nullopt on verify_error.
std::optional<std::array<Poplar1::OutShare, 2>> verify_report(
    const Poplar1& v, const Bytes& key, const Bytes& ctx, const Poplar1::AggParam& ap, Report& rep,
    const Poplar1::PublicShare& ps, const std::vector<Poplar1::InputShare>& in, bool use_cache,
    bool codec) {
  try {
    std::array<Poplar1::VerifyState, 2> st;
    std::vector<Poplar1::VerifierShare> vs;
    for (std::size_t a = 0; a < 2; ++a) {
      auto [s, x] = v.verify_init(key, ctx, a, ap, rep.nonce, ps, in[a],
                                  use_cache ? &rep.caches[a] : nullptr);
      if (codec) {
        const Bytes e = v.encode_verifier_share(x);
        RC_ASSERT(e.size() == 3 * (v.is_leaf(ap.level) ? 32u : 8u));
        x = v.decode_verifier_share(s, e);
        RC_ASSERT(v.encode_verifier_share(x) == e);
      }
      st[a] = std::move(s);
      vs.push_back(std::move(x));
    }
    auto m1 = v.verifier_shares_to_message(ctx, ap, Span(vs));
    RC_ASSERT(m1.has_value());
    if (codec) {
      const Bytes e = v.encode_verifier_message(m1);
      m1 = v.decode_verifier_message(st[0], e);
      RC_ASSERT(v.encode_verifier_message(m1) == e);
    }
    std::array<Poplar1::VerifyState, 2> st2;
    std::vector<Poplar1::VerifierShare> vs2;
    for (std::size_t a = 0; a < 2; ++a) {
      auto res = v.verify_next(ctx, st[a], m1);
      RC_ASSERT(res.index() == 0u);
      auto& pr = std::get<0>(res);
      if (codec) {
        const Bytes e = v.encode_verifier_share(pr.second);
        RC_ASSERT(e.size() == (v.is_leaf(ap.level) ? 32u : 8u));
        pr.second = v.decode_verifier_share(pr.first, e);
        RC_ASSERT(v.encode_verifier_share(pr.second) == e);
      }
      st2[a] = std::move(pr.first);
      vs2.push_back(std::move(pr.second));
    }
    auto m2 = v.verifier_shares_to_message(ctx, ap, Span(vs2));
    RC_ASSERT(!m2.has_value());
    if (codec) {
      RC_ASSERT(v.encode_verifier_message(m2).empty());
      m2 = v.decode_verifier_message(st2[0], Bytes{});
    }
    std::array<Poplar1::OutShare, 2> out;
    for (std::size_t a = 0; a < 2; ++a) {
      auto res = v.verify_next(ctx, st2[a], m2);
      RC_ASSERT(res.index() == 1u);
      out[a] = std::move(std::get<1>(res));
      if (codec) {
        const Bytes e = v.encode_out_share(out[a]);
        RC_ASSERT(e.size() == ap.prefixes.size() * (v.is_leaf(ap.level) ? 32u : 8u));
        out[a] = v.decode_agg_share(ap, e);  // same encoding as an aggregate share
      }
    }
    return out;
  } catch (const vdaf::verify_error&) {
    return std::nullopt;
  }
}

/// Counts at `ap` over all reports (each must be accepted).
std::vector<std::uint64_t> run_level(const Poplar1& v, const Bytes& key, const Bytes& ctx,
                                     const Poplar1::AggParam& ap, std::vector<Report>& reports,
                                     bool use_cache, bool codec) {
  std::array<Poplar1::AggShare, 2> aggs = {v.agg_init(ap), v.agg_init(ap)};
  for (auto& rep : reports) {
    auto out = verify_report(v, key, ctx, ap, rep, rep.sh.public_share, rep.sh.input_shares,
                             use_cache, codec);
    RC_ASSERT(out.has_value());
    for (std::size_t a = 0; a < 2; ++a) v.agg_update(ap, aggs[a], (*out)[a]);
  }
  if (codec) {
    for (auto& agg : aggs) {
      const Bytes e = v.encode_agg_share(agg);
      agg = v.decode_agg_share(ap, e);
      RC_ASSERT(v.encode_agg_share(agg) == e);
    }
  }
  if (pick<int>(0, 1) == 0) {
    // Merge path: the two aggregate shares merged, then unsharded against a zero share.
    const auto merged = v.merge(ap, std::span<const Poplar1::AggShare>(aggs));
    const std::array<Poplar1::AggShare, 2> m = {merged, v.agg_init(ap)};
    return v.unshard(ap, std::span<const Poplar1::AggShare>(m), reports.size());
  }
  return v.unshard(ap, std::span<const Poplar1::AggShare>(aggs), reports.size());
}

std::vector<std::uint64_t> plain_counts(const std::vector<BitString>& meas,
                                        const std::vector<BitString>& prefixes) {
  std::vector<std::uint64_t> out;
  for (const auto& p : prefixes) {
    std::uint64_t n = 0;
    for (const auto& m : meas) n += prefix_of(m, p.size()) == p ? 1 : 0;
    out.push_back(n);
  }
  return out;
}

Report make_report(const Poplar1& v, const Bytes& ctx, const BitString& m) {
  Report r;
  r.nonce = gen_bytes(16);
  r.sh = v.shard(ctx, m, r.nonce, gen_bytes(Poplar1::RAND_SIZE));
  return r;
}

RC_GTEST_PROP(Poplar1Properties, HeavyHittersWalkFindsExactlyThePrefixesAboveThreshold, ()) {
  const std::size_t bits = pick<std::size_t>(1, 12);
  const std::size_t clients = pick<std::size_t>(1, 20);
  const std::uint64_t threshold = pick<std::uint64_t>(1, 4);
  const bool use_cache = pick<int>(0, 1) == 0, codec = pick<int>(0, 2) == 0;
  const Poplar1 v(bits);
  const Bytes ctx = gen_ctx(), key = gen_bytes(32);
  // Measurements from a small pool (so that counts reach the threshold), some random.
  std::vector<BitString> pool;
  for (std::size_t k = pick<std::size_t>(1, 4); k > 0; --k) pool.push_back(gen_bits(bits));
  std::vector<BitString> meas;
  std::vector<Report> reports;
  for (std::size_t i = 0; i < clients; ++i) {
    meas.push_back(pick<int>(0, 3) == 0 ? gen_bits(bits)
                                        : pool[pick<std::size_t>(0, pool.size() - 1)]);
    reports.push_back(make_report(v, ctx, meas.back()));
  }

  // Start at level 0 or 1 with every prefix; then extend the survivors.
  std::size_t level = bits >= 2 ? pick<std::size_t>(0, 1) : 0;
  std::vector<BitString> candidates;
  for (std::uint64_t x = 0; x < (std::uint64_t{1} << (level + 1)); ++x) {
    candidates.push_back(bits_of(x, level + 1));
  }
  std::vector<Poplar1::AggParam> previous;
  std::vector<BitString> survivors;
  for (;;) {
    Poplar1::AggParam ap{static_cast<std::uint16_t>(level), candidates};
    RC_ASSERT(v.is_valid(ap, previous));
    const auto counts = run_level(v, key, ctx, ap, reports, use_cache, codec);
    RC_ASSERT(counts == plain_counts(meas, ap.prefixes));
    survivors.clear();
    for (std::size_t i = 0; i < counts.size(); ++i) {
      if (counts[i] >= threshold) survivors.push_back(ap.prefixes[i]);
    }
    previous.push_back(ap);
    // The same parameter again (same level) is never valid.
    RC_ASSERT(!v.is_valid(ap, previous));
    if (survivors.empty() || v.is_leaf(level)) break;
    const std::size_t step = pick<std::size_t>(1, std::min<std::size_t>(2, bits - 1 - level));
    level += step;
    candidates.clear();
    for (const auto& s : survivors) {
      for (std::uint64_t x = 0; x < (std::uint64_t{1} << step); ++x) {
        BitString p = s;
        const BitString ext = bits_of(x, step);
        p.append(ext);
        candidates.push_back(std::move(p));
      }
    }
    // A prefix whose ancestor is not among the last prefixes is not valid.
    const Poplar1::AggParam& last = previous.back();
    const std::size_t last_len = std::size_t{last.level} + 1;
    if (last_len < 20 && last.prefixes.size() < (std::size_t{1} << last_len)) {
      std::set<BitString> had(last.prefixes.begin(), last.prefixes.end());
      for (std::uint64_t x = 0; x < (std::uint64_t{1} << last_len); ++x) {
        BitString bad = bits_of(x, last_len);
        if (had.count(bad) != 0) continue;
        bad.resize(level + 1, true);
        RC_ASSERT(!v.is_valid({static_cast<std::uint16_t>(level), {bad}}, previous));
        break;
      }
    }
  }
  // Heavy hitters by plain counting.
  std::map<BitString, std::uint64_t> freq;
  for (const auto& m : meas) ++freq[m];
  std::vector<BitString> heavy;
  for (const auto& [m, n] : freq) {
    if (n >= threshold) heavy.push_back(m);
  }
  if (survivors.empty()) {
    RC_ASSERT(heavy.empty());
  } else {
    RC_ASSERT(v.is_leaf(previous.back().level));
    RC_ASSERT(survivors == heavy);
  }
}

// ---------------------------------------------------------------------------
// Tampering
// ---------------------------------------------------------------------------

enum class Tamper { kIdpfKey, kCorrSeed, kCorrInner, kCorrLeaf, kSeedCw, kWCw };

RC_GTEST_PROP(Poplar1Properties, TamperedSharesAreRejectedExactlyWhereTheyMatter, ()) {
  const std::size_t bits = pick<std::size_t>(2, 10);
  const Poplar1 v(bits);
  const Bytes ctx = gen_ctx(), key = gen_bytes(32);
  const BitString alpha = gen_bits(bits);
  const std::size_t level = pick<std::size_t>(0, bits - 1);
  // Alpha's prefix plus a few others.
  std::set<BitString> set = {prefix_of(alpha, level + 1)};
  for (int k = pick<int>(0, 3); k > 0; --k) set.insert(gen_bits(level + 1));
  const Poplar1::AggParam ap{static_cast<std::uint16_t>(level), {set.begin(), set.end()}};
  Report rep = make_report(v, ctx, alpha);
  Poplar1::PublicShare ps = rep.sh.public_share;
  std::vector<Poplar1::InputShare> in = rep.sh.input_shares;

  const auto kind = static_cast<Tamper>(pick<int>(0, 5));
  const std::size_t agg = pick<std::size_t>(0, 1);
  const auto flip = static_cast<std::uint8_t>(pick<int>(1, 255));
  bool matters = false;
  std::size_t at_level = 0;
  switch (kind) {
    case Tamper::kIdpfKey:
      in[agg].idpf_key[pick<std::size_t>(0, 15)] ^= flip;
      matters = true;
      break;
    case Tamper::kCorrSeed:
      in[agg].corr_seed[pick<std::size_t>(0, 31)] ^= flip;
      matters = true;
      break;
    case Tamper::kCorrInner: {
      at_level = pick<std::size_t>(0, bits - 2);
      in[agg].corr_inner[2 * at_level + pick<std::size_t>(0, 1)] += Field64::from_u64(flip);
      matters = at_level == level;
      break;
    }
    case Tamper::kCorrLeaf:
      at_level = bits - 1;
      in[agg].corr_leaf[pick<std::size_t>(0, 1)] += Field255::from_u64(flip);
      matters = v.is_leaf(level);
      break;
    case Tamper::kSeedCw:
      at_level = pick<std::size_t>(0, bits - 1);
      ps[at_level].seed_cw[pick<std::size_t>(0, 15)] ^= flip;
      matters = at_level <= level;
      break;
    case Tamper::kWCw: {
      at_level = pick<std::size_t>(0, bits - 1);
      const std::size_t e = pick<std::size_t>(0, 1);
      if (at_level + 1 < bits) {
        ps[at_level].w_inner[e] += Field64::from_u64(flip);
      } else {
        ps[at_level].w_leaf[e] += Field255::from_u64(flip);
      }
      matters = at_level == level;
      break;
    }
  }
  RC_TAG(static_cast<int>(kind), matters);
  // The tampered shares also go through their encodings in half the runs.
  if (pick<int>(0, 1) == 0) {
    ps = v.decode_public_share(v.encode_public_share(ps));
    for (std::size_t a = 0; a < 2; ++a)
      in[a] = v.decode_input_share(a, v.encode_input_share(in[a]));
  }
  const auto out = verify_report(v, key, ctx, ap, rep, ps, in, pick<int>(0, 1) == 0, false);
  if (matters) {
    RC_ASSERT(!out.has_value());
  } else {
    RC_ASSERT(out.has_value());
    std::array<Poplar1::AggShare, 2> aggs = {(*out)[0], (*out)[1]};
    RC_ASSERT(v.unshard(ap, std::span<const Poplar1::AggShare>(aggs), 1) ==
              plain_counts({alpha}, ap.prefixes));
  }
}

// ---------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------

RC_GTEST_PROP(Poplar1Properties, EveryMessageRoundTrips, ()) {
  const std::size_t bits =
      pick<int>(0, 4) == 0 ? pick<std::size_t>(17, 300) : pick<std::size_t>(1, 16);
  const Poplar1 v(bits);
  const Bytes ctx = gen_ctx(), key = gen_bytes(32);
  const BitString m = gen_bits(bits);
  const std::size_t level = pick<std::size_t>(0, bits - 1);
  std::set<BitString> set;
  for (int k = pick<int>(0, 5); k > 0; --k) set.insert(gen_bits(level + 1));
  if (pick<int>(0, 1) == 0) set.insert(prefix_of(m, level + 1));
  const Poplar1::AggParam ap{static_cast<std::uint16_t>(level), {set.begin(), set.end()}};

  const Bytes ap_enc = v.encode_agg_param(ap);
  RC_ASSERT(ap_enc.size() == 6 + ap.prefixes.size() * ((level + 8) / 8));
  RC_ASSERT(v.decode_agg_param(ap_enc) == ap);
  RC_ASSERT(v.is_valid(ap, {}));

  Report rep = make_report(v, ctx, m);
  const Bytes ps_enc = v.encode_public_share(rep.sh.public_share);
  RC_ASSERT(ps_enc.size() == (2 * bits + 7) / 8 + 16 * bits + 16 * (bits - 1) + 64);
  RC_ASSERT(v.encode_public_share(v.decode_public_share(ps_enc)) == ps_enc);
  for (std::size_t a = 0; a < 2; ++a) {
    const Bytes e = v.encode_input_share(rep.sh.input_shares[a]);
    RC_ASSERT(e.size() == 16 + 32 + 16 * (bits - 1) + 64);
    const auto d = v.decode_input_share(a, e);
    RC_ASSERT(v.encode_input_share(d) == e);
    RC_ASSERT(d.idpf_key == rep.sh.input_shares[a].idpf_key);
  }
  // Verifier shares and messages of both rounds, out and aggregate shares.
  auto out =
      verify_report(v, key, ctx, ap, rep, rep.sh.public_share, rep.sh.input_shares, false, true);
  RC_ASSERT(out.has_value());
  std::array<Poplar1::AggShare, 2> aggs = {v.agg_init(ap), v.agg_init(ap)};
  for (std::size_t a = 0; a < 2; ++a) v.agg_update(ap, aggs[a], (*out)[a]);
  for (const auto& agg : aggs) {
    const Bytes e = v.encode_agg_share(agg);
    RC_ASSERT(v.encode_agg_share(v.decode_agg_share(ap, e)) == e);
  }
  RC_ASSERT(v.unshard(ap, std::span<const Poplar1::AggShare>(aggs), 1) ==
            plain_counts({m}, ap.prefixes));
}

// ---------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------

struct Fixture {
  Poplar1 v{4};
  Bytes ctx{'c', 't', 'x'};
  Bytes key = Bytes(32, 7);
  Bytes nonce = Bytes(16, 3);
  Poplar1::ShardResult sh = v.shard(ctx, bits_of(0b1011, 4), nonce, Bytes(128, 9));
};

TEST(Poplar1BadInput, AggParamDecoding) {
  Fixture f;
  // Level 1, 2 prefixes "01", "10": 0001 00000002 40 80.
  const Bytes good = vdaf::from_hex(
      "00010000000240"
      "80");
  const auto ap = f.v.decode_agg_param(good);
  EXPECT_EQ(ap.level, 1u);
  ASSERT_EQ(ap.prefixes.size(), 2u);
  EXPECT_EQ(ap.prefixes[0], bits_of(1, 2));
  EXPECT_EQ(ap.prefixes[1], bits_of(2, 2));
  EXPECT_EQ(f.v.encode_agg_param(ap), good);
  // Non-zero padding bits (bit 2 of a 2-bit prefix).
  EXPECT_THROW(f.v.decode_agg_param(vdaf::from_hex("000100000002"
                                                   "60"
                                                   "80")),
               vdaf::decode_error);
  EXPECT_THROW(f.v.decode_agg_param(vdaf::from_hex("000100000002"
                                                   "40"
                                                   "81")),
               vdaf::decode_error);
  // Trailing and missing bytes.
  EXPECT_THROW(f.v.decode_agg_param(vdaf::from_hex("000100000002"
                                                   "40"
                                                   "80"
                                                   "00")),
               vdaf::decode_error);
  EXPECT_THROW(f.v.decode_agg_param(vdaf::from_hex("000100000002"
                                                   "40")),
               vdaf::decode_error);
  EXPECT_THROW(f.v.decode_agg_param(vdaf::from_hex("0001000000")), vdaf::decode_error);
  EXPECT_THROW(f.v.decode_agg_param(Bytes{}), vdaf::decode_error);
  // Level >= BITS.
  EXPECT_THROW(f.v.decode_agg_param(vdaf::from_hex("000400000001"
                                                   "00")),
               vdaf::decode_error);
  EXPECT_THROW(f.v.decode_agg_param(vdaf::from_hex("ffff00000000")), vdaf::decode_error);
  // Leaf level (3) is fine; 0 prefixes is fine to decode.
  EXPECT_EQ(f.v.decode_agg_param(vdaf::from_hex("000300000001"
                                                "f0"))
                .prefixes[0],
            bits_of(15, 4));
  EXPECT_TRUE(f.v.decode_agg_param(vdaf::from_hex("000200000000")).prefixes.empty());
}

TEST(Poplar1BadInput, AggParamNotStrictlyIncreasingIsInvalid) {
  Fixture f;
  auto verify_init = [&](const Poplar1::AggParam& ap) {
    (void)f.v.verify_init(f.key, f.ctx, 0, ap, f.nonce, f.sh.public_share, f.sh.input_shares[0]);
  };
  // verify_init's error names the rule the parameter breaks.
  auto expect_rule = [&](const Poplar1::AggParam& ap, const std::string& rule) {
    try {
      verify_init(ap);
      ADD_FAILURE() << "no exception; expected: " << rule;
    } catch (const vdaf::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()),
                "Poplar1 verify_init: malformed aggregation parameter: " + rule);
    }
  };
  // Decodes (the codec does not order), but is not valid.
  for (const char* hex : {"000100000002"
                          "80"
                          "40",
                          "000100000002"
                          "40"
                          "40"}) {
    SCOPED_TRACE(hex);
    const auto ap = f.v.decode_agg_param(vdaf::from_hex(hex));
    EXPECT_FALSE(f.v.is_valid(ap, {}));
    expect_rule(ap, "prefixes must be distinct and in increasing order");
  }
  Poplar1::AggParam ap{1, {bits_of(1, 2), bits_of(2, 2)}};
  EXPECT_TRUE(f.v.is_valid(ap, {}));
  EXPECT_NO_THROW(verify_init(ap));
  // Level >= BITS, or a prefix of the wrong length.
  ap = {4, {bits_of(1, 5)}};
  EXPECT_FALSE(f.v.is_valid(ap, {}));
  expect_rule(ap, "level must be below BITS");
  ap = {1, {bits_of(1, 3)}};
  EXPECT_FALSE(f.v.is_valid(ap, {}));
  expect_rule(ap, "every prefix must have level + 1 bits");
  EXPECT_THROW(f.v.encode_agg_param(ap), vdaf::invalid_argument);
  // Against a previous parameter: level must increase, ancestors must be kept.
  const std::vector<Poplar1::AggParam> prev = {{1, {bits_of(1, 2), bits_of(2, 2)}}};
  EXPECT_TRUE(f.v.is_valid({2, {bits_of(2, 3), bits_of(3, 3), bits_of(4, 3)}}, prev));
  EXPECT_TRUE(f.v.is_valid({3, {bits_of(0b0111, 4), bits_of(0b1000, 4)}}, prev));
  EXPECT_FALSE(f.v.is_valid({2, {bits_of(2, 3), bits_of(6, 3)}}, prev));  // 11 was not kept
  EXPECT_FALSE(f.v.is_valid({1, {bits_of(1, 2)}}, prev));                 // same level
  EXPECT_FALSE(f.v.is_valid({0, {bits_of(0, 1)}}, prev));                 // lower level
}

TEST(Poplar1BadInput, PublicShareDecoding) {
  Fixture f;  // BITS 4: 8 control bits, no padding
  const Bytes ps = f.v.encode_public_share(f.sh.public_share);
  ASSERT_EQ(ps.size(), 177u);
  Bytes b = ps;
  b.pop_back();
  EXPECT_THROW(f.v.decode_public_share(b), vdaf::decode_error);
  b = ps;
  b.push_back(0);
  EXPECT_THROW(f.v.decode_public_share(b), vdaf::decode_error);
  // Non-canonical leaf element (bit 255 set in the last w_cw element).
  b = ps;
  b.back() |= 0x80;
  EXPECT_THROW(f.v.decode_public_share(b), vdaf::decode_error);
  // Non-canonical inner element (0xff.. >= p64) in the level-0 w_cw.
  b = ps;
  std::fill(b.begin() + 1 + 64, b.begin() + 1 + 64 + 8, std::uint8_t{0xff});
  EXPECT_THROW(f.v.decode_public_share(b), vdaf::decode_error);

  // BITS 3 and 5: 6 / 10 control bits, so padding bits exist and must be zero.
  for (std::size_t bits : {3u, 5u}) {
    SCOPED_TRACE(bits);
    Poplar1 v(bits);
    auto sh = v.shard(f.ctx, BitString(bits, true), f.nonce, Bytes(128, 1));
    const Bytes enc = v.encode_public_share(sh.public_share);
    const std::size_t ctrl_bytes = (2 * bits + 7) / 8;
    ASSERT_EQ(v.encode_public_share(v.decode_public_share(enc)), enc);
    for (std::size_t bit = (2 * bits) % 8; bit < 8; ++bit) {
      Bytes x = enc;
      x[ctrl_bytes - 1] = static_cast<std::uint8_t>(x[ctrl_bytes - 1] | (1u << bit));
      EXPECT_THROW(v.decode_public_share(x), vdaf::decode_error) << "padding bit " << bit;
    }
  }
}

TEST(Poplar1BadInput, InputShareDecoding) {
  Fixture f;
  for (std::size_t a = 0; a < 2; ++a) {
    const Bytes in = f.v.encode_input_share(f.sh.input_shares[a]);
    ASSERT_EQ(in.size(), 160u);
    Bytes b = in;
    b.pop_back();
    EXPECT_THROW(f.v.decode_input_share(a, b), vdaf::decode_error);
    b = in;
    b.push_back(0);
    EXPECT_THROW(f.v.decode_input_share(a, b), vdaf::decode_error);
    EXPECT_THROW(f.v.decode_input_share(a, Bytes(15, 0)), vdaf::decode_error);
    b = in;
    std::fill(b.begin() + 48, b.begin() + 56, std::uint8_t{0xff});  // corr_inner[0] >= p64
    EXPECT_THROW(f.v.decode_input_share(a, b), vdaf::decode_error);
    b = in;
    b.back() |= 0x80;  // corr_leaf[1] >= p255
    EXPECT_THROW(f.v.decode_input_share(a, b), vdaf::decode_error);
  }
  EXPECT_THROW(f.v.decode_input_share(2, f.v.encode_input_share(f.sh.input_shares[0])),
               vdaf::invalid_argument);
}

TEST(Poplar1BadInput, VerifierMessagesAndAggregateShares) {
  Fixture f;
  for (std::uint16_t level : {std::uint16_t{1}, std::uint16_t{3}}) {
    SCOPED_TRACE(level);
    const std::size_t fe = level == 3 ? std::size_t{32} : std::size_t{8};
    const Poplar1::AggParam ap{level, {BitString(level + 1u, false), BitString(level + 1u, true)}};
    auto [st, vs] =
        f.v.verify_init(f.key, f.ctx, 0, ap, f.nonce, f.sh.public_share, f.sh.input_shares[0]);
    const Bytes e = f.v.encode_verifier_share(vs);
    ASSERT_EQ(e.size(), 3 * fe);
    EXPECT_THROW(f.v.decode_verifier_share(st, Bytes(e.begin(), e.end() - 1)), vdaf::decode_error);
    Bytes longer = e;
    longer.push_back(0);
    EXPECT_THROW(f.v.decode_verifier_share(st, longer), vdaf::decode_error);
    EXPECT_THROW(f.v.decode_verifier_message(st, Bytes(2 * fe, 0)), vdaf::decode_error);
    EXPECT_THROW(f.v.decode_verifier_message(st, Bytes{}), vdaf::decode_error);
    auto [st1, vs1] =
        f.v.verify_init(f.key, f.ctx, 1, ap, f.nonce, f.sh.public_share, f.sh.input_shares[1]);
    const std::vector<Poplar1::VerifierShare> shares = {vs, vs1};
    auto m1 = f.v.verifier_shares_to_message(f.ctx, ap, Span(shares));
    auto next = std::get<0>(f.v.verify_next(f.ctx, st, m1));
    EXPECT_THROW(f.v.decode_verifier_share(next.first, Bytes(3 * fe, 0)), vdaf::decode_error);
    EXPECT_EQ(f.v.decode_verifier_share(next.first, Bytes(fe, 0)).index(), level == 3 ? 1u : 0u);
    // Round 2 carries no message: any byte is an error.
    EXPECT_THROW(f.v.decode_verifier_message(next.first, Bytes{0}), vdaf::decode_error);
    EXPECT_FALSE(f.v.decode_verifier_message(next.first, Bytes{}).has_value());
    // A round-2 state given the round-1 message (or none in round 1) is rejected.
    EXPECT_THROW(f.v.verify_next(f.ctx, next.first, m1), vdaf::verify_error);
    EXPECT_THROW(f.v.verify_next(f.ctx, st, std::nullopt), vdaf::verify_error);
    // Aggregate share: one element per prefix.
    EXPECT_THROW(f.v.decode_agg_share(ap, Bytes(3 * fe, 0)), vdaf::decode_error);
    EXPECT_EQ(f.v.encode_agg_share(f.v.decode_agg_share(ap, Bytes(2 * fe, 0))), Bytes(2 * fe, 0));
    Bytes bad(2 * fe, 0xff);
    EXPECT_THROW(f.v.decode_agg_share(ap, bad), vdaf::decode_error);
  }
}

TEST(Poplar1BadInput, ShardAndVerifyInitShapes) {
  Fixture f;
  EXPECT_THROW(f.v.shard(f.ctx, BitString(3, true), f.nonce, Bytes(128, 0)),
               vdaf::invalid_argument);
  EXPECT_THROW(f.v.shard(f.ctx, BitString(4, true), Bytes(15, 0), Bytes(128, 0)),
               vdaf::invalid_argument);
  EXPECT_THROW(f.v.shard(f.ctx, BitString(4, true), f.nonce, Bytes(127, 0)),
               vdaf::invalid_argument);
  const Poplar1::AggParam ap{0, {BitString{false}, BitString{true}}};
  EXPECT_THROW(
      f.v.verify_init(Bytes(31, 0), f.ctx, 0, ap, f.nonce, f.sh.public_share, f.sh.input_shares[0]),
      vdaf::invalid_argument);
  EXPECT_THROW(
      f.v.verify_init(f.key, f.ctx, 2, ap, f.nonce, f.sh.public_share, f.sh.input_shares[0]),
      vdaf::invalid_argument);
  EXPECT_THROW((void)Poplar1(0), vdaf::invalid_argument);
}

}  // namespace
