// Poplar1 and IdpfBBCGGI21 benchmarks over the grid of docs/performance.md (the libprio-rs
// grid):
//
// - Poplar1 with BITS 16, 128 and 256: Shard; VerifyInit of one aggregator and the whole
//   verification (both aggregators, both rounds) at the last level, for the reports of a batch
//   of 1000 measurements drawn from a Zipf distribution (support 128, exponent 1.03), with the
//   aggregation parameter that batch leads to (the children of every prefix held by at least 10
//   reports, as in libprio-rs);
// - IdpfBBCGGI21 (VALUE_LEN 2, as in Poplar1) with BITS 8, 128 and 2048: Gen; Eval of one prefix
//   at the last level; EvalWalk, a level-by-level walk with one EvalCache.
//
// Empty ctx, zero verify key; nonces, sharding randomness and measurements come from a fixed
// SplitMix64 stream, so every run measures the same reports. Setup runs once per instance, on
// first use, and checks its results, so a benchmark never times a broken path.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <benchmark/benchmark.h>

#include "support/splitmix64.hpp"
#include "vdaf/poplar1.hpp"

namespace {

using vdaf::BitString;
using vdaf::IdpfBBCGGI21;
using vdaf::Poplar1;

constexpr std::array<std::uint8_t, 32> kVerifyKey{};  // zero verify key
constexpr vdaf::ByteSpan kCtx{};                      // empty application context
constexpr std::uint64_t kSeed = 0x506f706c617231ULL;  // "Poplar1"
// The last-level parameter with many candidates (bench/compare's row on how verify_init grows
// with the candidate count): kWidePrefixes sorted distinct prefixes, from kSeed ^ bits ^ kWideSeed.
constexpr std::size_t kWidePrefixes = 1000;
constexpr std::uint64_t kWideSeed = 0x77696465ULL;  // "wide"

// The Zipf batch of libprio-rs' Poplar1 benchmark (after Chris Wood's heavy-hitter comparison).
constexpr std::size_t kBatchSize = 1000;
constexpr std::size_t kZipfSupport = 128;
constexpr double kZipfExponent = 1.03;
constexpr std::uint64_t kThreshold = 10;  // a prefix held by this many reports is expanded

using vdaf_bench::SplitMix64;

/// Zipf distribution on {0, ..., support − 1}: P(k) ∝ (k + 1)^−exponent, by inverse CDF.
class Zipf {
 public:
  Zipf(std::size_t support, double exponent) {
    double total = 0;
    for (std::size_t k = 1; k <= support; ++k) {
      total += std::pow(static_cast<double>(k), -exponent);
      cdf_.push_back(total);
    }
  }
  std::size_t sample(SplitMix64& rng) const {
    const double u = rng.uniform() * cdf_.back();
    std::size_t k = 0;
    while (k + 1 < cdf_.size() && cdf_[k] <= u) ++k;
    return k;
  }

 private:
  std::vector<double> cdf_;
};

/// Builds a T on first use (so a --benchmark_filter run pays only for what it selects) and
/// shares it between the benchmarks of one instance. T has a member `std::string error`.
template <class T>
class Lazy {
 public:
  explicit Lazy(std::function<std::unique_ptr<T>()> build) : build_(std::move(build)) {}
  /// The value, or nullptr after calling SkipWithError on `st` if its setup failed.
  const T* get(benchmark::State& st) {
    if (!value_) {
      try {
        value_ = build_();
      } catch (const std::exception& e) {
        value_ = std::make_unique<T>();
        value_->error = std::string("setup threw: ") + e.what();
      }
    }
    if (!value_->error.empty()) {
      st.SkipWithError(value_->error.c_str());
      return nullptr;
    }
    return value_.get();
  }

 private:
  std::function<std::unique_ptr<T>()> build_;
  std::unique_ptr<T> value_;
};

// ---------------------------------------------------------------------------------------------
// Poplar1
// ---------------------------------------------------------------------------------------------

struct Poplar1Batch {
  std::optional<Poplar1> vdaf;
  std::vector<Poplar1::Measurement> measurements;  // kBatchSize, Zipf-distributed
  std::vector<Poplar1::ShardResult> reports;       // one per measurement
  vdaf::Bytes nonce, rand;                         // of the Shard benchmark
  Poplar1::AggParam agg_param;                     // last level
  Poplar1::AggParam wide_agg_param;                // last level, kWidePrefixes candidates
  std::size_t upload_bytes = 0;                    // encoded public share + both input shares
  std::string error;
};

/// The verification of one report at `agg_param`: both verify_init calls and both rounds.
/// Returns the two output shares.
std::array<Poplar1::OutShare, 2> verify(const Poplar1& v, const Poplar1::AggParam& agg_param,
                                        const Poplar1::ShardResult& r) {
  auto [st0, vs0] =
      v.verify_init(kVerifyKey, kCtx, 0, agg_param, r.nonce, r.public_share, r.input_shares[0]);
  auto [st1, vs1] =
      v.verify_init(kVerifyKey, kCtx, 1, agg_param, r.nonce, r.public_share, r.input_shares[1]);
  const std::array<Poplar1::VerifierShare, 2> round1{std::move(vs0), std::move(vs1)};
  const Poplar1::VerifierMessage msg1 = v.verifier_shares_to_message(kCtx, agg_param, round1);
  auto next0 = std::get<0>(v.verify_next(kCtx, st0, msg1));
  auto next1 = std::get<0>(v.verify_next(kCtx, st1, msg1));
  const std::array<Poplar1::VerifierShare, 2> round2{std::move(next0.second),
                                                     std::move(next1.second)};
  const Poplar1::VerifierMessage msg2 = v.verifier_shares_to_message(kCtx, agg_param, round2);
  return {std::get<1>(v.verify_next(kCtx, next0.first, msg2)),
          std::get<1>(v.verify_next(kCtx, next1.first, msg2))};
}

std::unique_ptr<Poplar1Batch> build_poplar1_batch(std::size_t bits) {
  auto b = std::make_unique<Poplar1Batch>();
  const Poplar1& v = b->vdaf.emplace(bits);
  SplitMix64 rng(kSeed ^ bits);

  // kZipfSupport random BITS-bit strings; kBatchSize measurements drawn among them.
  std::vector<BitString> support;
  for (std::size_t k = 0; k < kZipfSupport; ++k) support.push_back(rng.bits(bits));
  const Zipf zipf(kZipfSupport, kZipfExponent);
  std::map<BitString, std::uint64_t> parent_counts;  // counts of the (BITS−1)-bit prefixes
  for (std::size_t i = 0; i < kBatchSize; ++i) {
    const BitString& m = support[zipf.sample(rng)];
    b->measurements.push_back(m);
    ++parent_counts[BitString(m.begin(), m.end() - 1)];
  }
  // The collector expands, level by level, every prefix held by at least kThreshold reports.
  // A prefix's count is at least that of any extension, so the prefixes at the last level are
  // the children of the heavy (BITS−1)-bit prefixes (the map iterates in lexicographic order).
  b->agg_param.level = static_cast<std::uint16_t>(bits - 1);
  for (const auto& [parent, count] : parent_counts) {
    if (count < kThreshold) continue;
    for (bool bit : {false, true}) {
      BitString child = parent;
      child.push_back(bit);
      b->agg_param.prefixes.push_back(std::move(child));
    }
  }
  if (!v.is_valid(b->agg_param, {})) {
    b->error = "the last-level aggregation parameter is not valid";
    return b;
  }
  // The wide parameter: the first measurement and kWidePrefixes − 1 random BITS-bit strings
  // (their own generator, so the Zipf batch is unchanged), sorted.
  {
    SplitMix64 wide_rng(kSeed ^ bits ^ kWideSeed);
    auto& w = b->wide_agg_param;
    w.level = static_cast<std::uint16_t>(bits - 1);
    w.prefixes.push_back(b->measurements[0]);
    for (std::size_t k = 1; k < kWidePrefixes; ++k) w.prefixes.push_back(wide_rng.bits(bits));
    std::sort(w.prefixes.begin(), w.prefixes.end());
    w.prefixes.erase(std::unique(w.prefixes.begin(), w.prefixes.end()), w.prefixes.end());
    if (!v.is_valid(w, {})) {
      b->error = "the wide last-level aggregation parameter is not valid";
      return b;
    }
  }

  for (std::size_t i = 0; i < kBatchSize; ++i) {
    const vdaf::Bytes nonce = rng.bytes(Poplar1::NONCE_SIZE);
    const vdaf::Bytes rand = rng.bytes(v.rand_size());
    b->reports.push_back(v.shard(kCtx, b->measurements[i], nonce, rand));
  }
  b->nonce = rng.bytes(Poplar1::NONCE_SIZE);
  b->rand = rng.bytes(v.rand_size());
  const Poplar1::ShardResult& r0 = b->reports[0];
  b->upload_bytes = v.encode_public_share(r0.public_share).size() +
                    v.encode_input_share(r0.input_shares[0]).size() +
                    v.encode_input_share(r0.input_shares[1]).size();

  // Check one report end to end: its count is 1 at its own prefix (if asked for), 0 elsewhere.
  const std::array<Poplar1::OutShare, 2> out = verify(v, b->agg_param, r0);
  std::vector<Poplar1::AggShare> agg_shares;
  for (const auto& o : out) {
    Poplar1::AggShare a = v.agg_init(b->agg_param);
    v.agg_update(b->agg_param, a, o);
    agg_shares.push_back(std::move(a));
  }
  const Poplar1::AggResult counts = v.unshard(b->agg_param, agg_shares, 1);
  for (std::size_t k = 0; k < counts.size(); ++k) {
    const std::uint64_t expected = b->agg_param.prefixes[k] == b->measurements[0] ? 1 : 0;
    if (counts[k] != expected) {
      b->error = "one report does not unshard to its own measurement";
      return b;
    }
  }
  return b;
}

void bm_poplar1_shard(benchmark::State& st, Lazy<Poplar1Batch>& lazy) {
  const Poplar1Batch* b = lazy.get(st);
  if (b == nullptr) return;
  for (auto _ : st) {
    auto res = b->vdaf->shard(kCtx, b->measurements[0], b->nonce, b->rand);
    benchmark::DoNotOptimize(res);
  }
  st.SetItemsProcessed(st.iterations());
  st.counters["upload_bytes"] = static_cast<double>(b->upload_bytes);
}

/// verify_init of one aggregator at the last level; each iteration takes the next report of the
/// batch.
/// `wide`: with the kWidePrefixes-candidate parameter instead of the Zipf batch's.
void bm_poplar1_verify_init(benchmark::State& st, Lazy<Poplar1Batch>& lazy, std::size_t agg_id,
                            bool wide = false) {
  const Poplar1Batch* b = lazy.get(st);
  if (b == nullptr) return;
  const Poplar1::AggParam& agg_param = wide ? b->wide_agg_param : b->agg_param;
  std::size_t i = 0;
  for (auto _ : st) {
    const Poplar1::ShardResult& r = b->reports[i];
    auto res = b->vdaf->verify_init(kVerifyKey, kCtx, agg_id, agg_param, r.nonce, r.public_share,
                                    r.input_shares[agg_id]);
    benchmark::DoNotOptimize(res);
    i = i + 1 == b->reports.size() ? 0 : i + 1;
  }
  st.SetItemsProcessed(st.iterations());
  st.counters["prefixes"] = static_cast<double>(agg_param.prefixes.size());
}

/// The whole verification of one report at the last level (verify_init of both aggregators,
/// both rounds); each iteration takes the next report of the batch. items_per_second = reports/s.
void bm_poplar1_verify(benchmark::State& st, Lazy<Poplar1Batch>& lazy) {
  const Poplar1Batch* b = lazy.get(st);
  if (b == nullptr) return;
  std::size_t i = 0;
  for (auto _ : st) {
    auto out = verify(*b->vdaf, b->agg_param, b->reports[i]);
    benchmark::DoNotOptimize(out);
    i = i + 1 == b->reports.size() ? 0 : i + 1;
  }
  st.SetItemsProcessed(st.iterations());
  st.counters["prefixes"] = static_cast<double>(b->agg_param.prefixes.size());
}

// ---------------------------------------------------------------------------------------------
// IdpfBBCGGI21
// ---------------------------------------------------------------------------------------------

constexpr std::size_t kValueLen = 2;  // Poplar1's VALUE_LEN

struct IdpfSetup {
  std::optional<IdpfBBCGGI21> idpf;
  BitString alpha;
  std::vector<std::vector<vdaf::Field64>> beta_inner;
  std::vector<vdaf::Field255> beta_leaf;
  vdaf::Bytes nonce, rand;
  IdpfBBCGGI21::PublicShare public_share;
  std::array<IdpfBBCGGI21::Key, 2> keys;
  std::vector<BitString> leaf;                        // {alpha}: the prefix of Eval
  std::vector<std::vector<BitString>> walk_prefixes;  // per level: both children of alpha's prefix
  std::string error;
};

/// The walk of EvalWalk for aggregator `agg_id`: at each level, both children of alpha's
/// prefix, with one EvalCache. Calls `on_inner(level, values)` for the inner levels and
/// `on_leaf(values)` for the last one (values: one VALUE_LEN vector per child).
template <class OnInner, class OnLeaf>
void walk(const IdpfSetup& s, std::size_t agg_id, OnInner on_inner, OnLeaf on_leaf) {
  const IdpfBBCGGI21& idpf = *s.idpf;
  IdpfBBCGGI21::EvalCache cache;
  const std::size_t bits = idpf.bits();
  for (std::size_t level = 0; level + 1 < bits; ++level) {
    on_inner(level, idpf.eval_inner(agg_id, s.public_share, s.keys[agg_id], level,
                                    s.walk_prefixes[level], kCtx, s.nonce, &cache));
  }
  on_leaf(idpf.eval_leaf(agg_id, s.public_share, s.keys[agg_id], s.walk_prefixes[bits - 1], kCtx,
                         s.nonce, &cache));
}

std::unique_ptr<IdpfSetup> build_idpf(std::size_t bits) {
  auto s = std::make_unique<IdpfSetup>();
  const IdpfBBCGGI21& idpf = s->idpf.emplace(kValueLen, bits);
  SplitMix64 rng(kSeed ^ (bits << 32));
  s->alpha = rng.bits(bits);
  for (std::size_t l = 0; l + 1 < bits; ++l) {
    s->beta_inner.push_back({vdaf::Field64::one(), vdaf::Field64::from_u64(rng.next() >> 1)});
  }
  s->beta_leaf = {vdaf::Field255::one(), vdaf::Field255::from_u64(rng.next())};
  s->nonce = rng.bytes(IdpfBBCGGI21::NONCE_SIZE);
  s->rand = rng.bytes(IdpfBBCGGI21::RAND_SIZE);
  auto [ps, keys] = idpf.gen(s->alpha, s->beta_inner, s->beta_leaf, kCtx, s->nonce, s->rand);
  s->public_share = std::move(ps);
  s->keys = std::move(keys);
  s->leaf = {s->alpha};
  for (std::size_t level = 0; level < bits; ++level) {
    BitString parent(s->alpha.begin(), s->alpha.begin() + static_cast<std::ptrdiff_t>(level));
    std::vector<BitString> children;
    for (bool bit : {false, true}) {
      children.push_back(parent);
      children.back().push_back(bit);
    }
    s->walk_prefixes.push_back(std::move(children));
  }

  // Check: the two aggregators' values add up to beta on alpha's path and to 0 off it.
  std::vector<IdpfBBCGGI21::Values<vdaf::Field64>> inner[2];
  IdpfBBCGGI21::Values<vdaf::Field255> leaf[2];
  for (std::size_t j = 0; j < 2; ++j) {
    walk(
        *s, j, [&](std::size_t, auto v) { inner[j].push_back(std::move(v)); },
        [&](auto v) { leaf[j] = std::move(v); });
  }
  auto on_path = [&](std::size_t level, std::size_t child) {
    return s->alpha[level] == (child == 1);
  };
  for (std::size_t level = 0; level < bits; ++level) {
    for (std::size_t c = 0; c < 2; ++c) {
      for (std::size_t k = 0; k < kValueLen; ++k) {
        bool good = false;
        if (level + 1 < bits) {
          const vdaf::Field64 sum = inner[0][level][c][k] + inner[1][level][c][k];
          good = sum == (on_path(level, c) ? s->beta_inner[level][k] : vdaf::Field64::zero());
        } else {
          const vdaf::Field255 sum = leaf[0][c][k] + leaf[1][c][k];
          good = sum == (on_path(level, c) ? s->beta_leaf[k] : vdaf::Field255::zero());
        }
        if (!good) {
          s->error =
              "IDPF walk: the shares do not add up to beta at level " + std::to_string(level);
          return s;
        }
      }
    }
  }
  return s;
}

void bm_idpf_gen(benchmark::State& st, Lazy<IdpfSetup>& lazy) {
  const IdpfSetup* s = lazy.get(st);
  if (s == nullptr) return;
  for (auto _ : st) {
    auto res = s->idpf->gen(s->alpha, s->beta_inner, s->beta_leaf, kCtx, s->nonce, s->rand);
    benchmark::DoNotOptimize(res);
  }
  st.SetItemsProcessed(st.iterations());
}

/// eval_leaf of aggregator 0 at alpha: one prefix at the last level, from the root.
void bm_idpf_eval(benchmark::State& st, Lazy<IdpfSetup>& lazy) {
  const IdpfSetup* s = lazy.get(st);
  if (s == nullptr) return;
  for (auto _ : st) {
    auto res = s->idpf->eval_leaf(0, s->public_share, s->keys[0], s->leaf, kCtx, s->nonce);
    benchmark::DoNotOptimize(res);
  }
  st.SetItemsProcessed(st.iterations());
}

/// Aggregator 0 walks all levels, evaluating both children of alpha's prefix at each level with
/// one EvalCache (a fresh one per iteration). items_per_second = levels/s.
void bm_idpf_eval_walk(benchmark::State& st, Lazy<IdpfSetup>& lazy) {
  const IdpfSetup* s = lazy.get(st);
  if (s == nullptr) return;
  for (auto _ : st) {
    walk(
        *s, 0, [](std::size_t, auto v) { benchmark::DoNotOptimize(v); },
        [](auto v) { benchmark::DoNotOptimize(v); });
  }
  st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(s->idpf->bits()));
}

// ---------------------------------------------------------------------------------------------
// Registration: names carry the parameters, e.g. BM_Poplar1_Shard/bits:128.
// ---------------------------------------------------------------------------------------------

void reg(const std::string& name, std::function<void(benchmark::State&)> fn) {
  benchmark::RegisterBenchmark(name.c_str(), std::move(fn))->Unit(benchmark::kMicrosecond);
}

int register_all() {
  for (std::size_t bits : {std::size_t{16}, std::size_t{128}, std::size_t{256}}) {
    auto lazy = std::make_shared<Lazy<Poplar1Batch>>([bits] { return build_poplar1_batch(bits); });
    const std::string p = "/bits:" + std::to_string(bits);
    reg("BM_Poplar1_Shard" + p, [lazy](benchmark::State& st) { bm_poplar1_shard(st, *lazy); });
    for (std::size_t agg_id = 0; agg_id < 2; ++agg_id) {
      reg("BM_Poplar1_VerifyInit" + p + "/zipf_batch:1000/agg:" + std::to_string(agg_id),
          [lazy, agg_id](benchmark::State& st) { bm_poplar1_verify_init(st, *lazy, agg_id); });
    }
    reg("BM_Poplar1_Verify" + p + "/zipf_batch:1000",
        [lazy](benchmark::State& st) { bm_poplar1_verify(st, *lazy); });
    if (bits == 128) {  // libprio-rs's cost grows with the square of the candidate count
      for (std::size_t agg_id = 0; agg_id < 2; ++agg_id) {
        reg("BM_Poplar1_VerifyInit" + p + "/prefixes:" + std::to_string(kWidePrefixes) +
                "/agg:" + std::to_string(agg_id),
            [lazy, agg_id](benchmark::State& st) {
              bm_poplar1_verify_init(st, *lazy, agg_id, /*wide=*/true);
            });
      }
    }
  }
  for (std::size_t bits : {std::size_t{8}, std::size_t{128}, std::size_t{2048}}) {
    auto lazy = std::make_shared<Lazy<IdpfSetup>>([bits] { return build_idpf(bits); });
    const std::string p = "/bits:" + std::to_string(bits);
    reg("BM_IdpfBBCGGI21_Gen" + p, [lazy](benchmark::State& st) { bm_idpf_gen(st, *lazy); });
    reg("BM_IdpfBBCGGI21_Eval" + p, [lazy](benchmark::State& st) { bm_idpf_eval(st, *lazy); });
    reg("BM_IdpfBBCGGI21_EvalWalk" + p,
        [lazy](benchmark::State& st) { bm_idpf_eval_walk(st, *lazy); });
  }
  return 0;
}

[[maybe_unused]] const int kRegistered = register_all();

}  // namespace
