// Field choices for researchers (issue 4, scope 4): Prio3SumVec and Prio3Histogram at the
// sizes of the libprio-rs grid, each with Field128 and one proof (the draft's instances) against
// Field64 with two and with three proofs (the multiproof variant of §7.2 with the same circuit).
// Times shard, verify_init of each aggregator and the whole verification round; counts the bytes
// a report costs. `bench/field_choice/run` turns the output into a table and a PNG.
//
// Soundness is not the same across the three: §9.7 asks for Field128 with one proof or Field64
// with at least three proofs for circuits with joint randomness (SumVec and Histogram have it);
// Field64 with two proofs is below that bar and is measured only to show the trend.
//
// SumVec also runs as Prio3SumVecField64MultiproofHmacSha256Aes128 (0xFFFF1003: Field64, 3 proofs,
// XofHmacSha256Aes128), the instance Divvi Up and Cloudflare deploy, to compare against the
// draft's Field128 + XofTurboShake128 (issue 11).
//
// Names: BM_FieldChoice_<Circuit>_<Op>/length:L/chunk:C/field:{64,128}/proofs:P[/xof:hmac] with Op
// one of Shard, VerifyInit/agg:{0,1}, Verify. Counters on every row: upload_bytes (public share and
// all input shares, encoded), leader_bytes, helper_bytes, verifier_bytes (both verifier shares
// and the verifier message, encoded: what the aggregators exchange).
#include <array>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <benchmark/benchmark.h>

#include "support/splitmix64.hpp"
#include "vdaf/prio3.hpp"

namespace {

constexpr std::size_t kShares = 2;
constexpr std::array<std::uint8_t, 16> kNonce{};      // zero nonce
constexpr std::array<std::uint8_t, 32> kVerifyKey{};  // zero verify key
constexpr vdaf::ByteSpan kCtx{};                      // empty application context
constexpr std::uint32_t kPrivateId = 0xFFFFFFFF;      // private-use Prio3 ID for the variants

constexpr std::uint64_t kRandSeed = 0x4669656c64ULL;  // "Field": the sharding randomness

/// One report of one configuration, sharded and verified once (checked against the
/// measurement) before anything is timed.
template <class V>
struct Setup {
  std::optional<V> vdaf;
  typename V::Measurement measurement{};
  vdaf::Bytes rand;
  typename V::ShardResult shard{};
  double upload_bytes = 0, leader_bytes = 0, helper_bytes = 0, verifier_bytes = 0;
  std::string error;
};

template <class V>
std::unique_ptr<Setup<V>> build_setup(const std::function<V()>& make,
                                      const typename V::Measurement& m,
                                      const typename V::AggResult& expected) {
  auto s = std::make_unique<Setup<V>>();
  try {
    const V& v = s->vdaf.emplace(make());
    const typename V::AggParam ap{};
    s->measurement = m;
    s->rand = vdaf_bench::seeded_pattern(v.rand_size(), kRandSeed);
    s->shard = v.shard(kCtx, m, kNonce, s->rand);
    const auto& ps = s->shard.public_share;
    const auto& shares = s->shard.input_shares;
    s->leader_bytes = static_cast<double>(v.encode_input_share(shares[0]).size());
    s->helper_bytes = static_cast<double>(v.encode_input_share(shares[1]).size());
    s->upload_bytes =
        static_cast<double>(v.encode_public_share(ps).size()) + s->leader_bytes + s->helper_bytes;
    std::vector<typename V::VerifyState> states;
    std::vector<typename V::VerifierShare> vss;
    for (std::size_t j = 0; j < kShares; ++j) {
      auto [st, vs] = v.verify_init(kVerifyKey, kCtx, j, ap, kNonce, ps, shares[j]);
      s->verifier_bytes += static_cast<double>(v.encode_verifier_share(vs).size());
      states.push_back(std::move(st));
      vss.push_back(std::move(vs));
    }
    const auto msg = v.verifier_shares_to_message(kCtx, ap, vss);
    s->verifier_bytes += static_cast<double>(v.encode_verifier_message(msg).size());
    std::vector<typename V::AggShare> aggs;
    for (std::size_t j = 0; j < kShares; ++j) {
      auto next = v.verify_next(kCtx, states[j], msg);
      const auto* out = std::get_if<typename V::OutShare>(&next);
      if (out == nullptr) {
        s->error = "verify_next did not return an output share";
        return s;
      }
      aggs.push_back(v.agg_init(ap));
      v.agg_update(ap, aggs.back(), *out);
    }
    if (v.unshard(ap, aggs, 1) != expected) s->error = "unshard differs from the measurement";
  } catch (const std::exception& e) {
    s->error = std::string("setup threw: ") + e.what();
  }
  return s;
}

/// Builds its Setup on first use, so a filtered run pays only for what it selects.
template <class V>
class Lazy {
 public:
  Lazy(std::function<V()> make, typename V::Measurement m, typename V::AggResult expected)
      : make_(std::move(make)), m_(std::move(m)), expected_(std::move(expected)) {}
  const Setup<V>* get(benchmark::State& st) {
    if (!s_) s_ = build_setup<V>(make_, m_, expected_);
    if (!s_->error.empty()) {
      st.SkipWithError(s_->error.c_str());
      return nullptr;
    }
    st.counters["upload_bytes"] = s_->upload_bytes;
    st.counters["leader_bytes"] = s_->leader_bytes;
    st.counters["helper_bytes"] = s_->helper_bytes;
    st.counters["verifier_bytes"] = s_->verifier_bytes;
    return s_.get();
  }

 private:
  std::function<V()> make_;
  typename V::Measurement m_;
  typename V::AggResult expected_;
  std::unique_ptr<Setup<V>> s_;
};

template <class V>
void register_config(const std::string& circuit, const std::string& params, std::function<V()> make,
                     typename V::Measurement m, typename V::AggResult expected) {
  auto lazy = std::make_shared<Lazy<V>>(std::move(make), std::move(m), std::move(expected));
  auto reg = [&](const std::string& op, std::function<void(benchmark::State&)> fn) {
    const std::string name = "BM_FieldChoice_" + circuit + "_" + op + params;
    benchmark::RegisterBenchmark(name.c_str(), std::move(fn))->Unit(benchmark::kMicrosecond);
  };
  reg("Shard", [lazy](benchmark::State& st) {
    const Setup<V>* s = lazy->get(st);
    if (s == nullptr) return;
    for (auto _ : st) {
      auto res = s->vdaf->shard(kCtx, s->measurement, kNonce, s->rand);
      benchmark::DoNotOptimize(res);
    }
  });
  for (std::size_t agg_id = 0; agg_id < kShares; ++agg_id) {
    reg("VerifyInit/agg:" + std::to_string(agg_id), [lazy, agg_id](benchmark::State& st) {
      const Setup<V>* s = lazy->get(st);
      if (s == nullptr) return;
      const auto& ps = s->shard.public_share;
      for (auto _ : st) {
        auto res = s->vdaf->verify_init(kVerifyKey, kCtx, agg_id, {}, kNonce, ps,
                                        s->shard.input_shares[agg_id]);
        benchmark::DoNotOptimize(res);
      }
    });
  }
  // The whole round, both aggregators in one thread.
  reg("Verify", [lazy](benchmark::State& st) {
    const Setup<V>* s = lazy->get(st);
    if (s == nullptr) return;
    const V& v = *s->vdaf;
    const auto& ps = s->shard.public_share;
    const auto& shares = s->shard.input_shares;
    for (auto _ : st) {
      auto r0 = v.verify_init(kVerifyKey, kCtx, 0, {}, kNonce, ps, shares[0]);
      auto r1 = v.verify_init(kVerifyKey, kCtx, 1, {}, kNonce, ps, shares[1]);
      const std::array<typename V::VerifierShare, kShares> vs{std::move(r0.second),
                                                              std::move(r1.second)};
      const auto msg = v.verifier_shares_to_message(kCtx, {}, vs);
      auto o0 = v.verify_next(kCtx, r0.first, msg);
      auto o1 = v.verify_next(kCtx, r1.first, msg);
      benchmark::DoNotOptimize(o0);
      benchmark::DoNotOptimize(o1);
    }
  });
}

struct LengthChunk {
  std::size_t length, chunk;
};

std::string params_of(LengthChunk p, int field_bits, std::size_t proofs) {
  return "/length:" + std::to_string(p.length) + "/chunk:" + std::to_string(p.chunk) +
         "/field:" + std::to_string(field_bits) + "/proofs:" + std::to_string(proofs);
}

/// The three variants of one circuit at one size: Field128 × 1 proof, Field64 × 2 and × 3.
/// `make128(p)` / `make64(p)` build the circuit over each field.
template <class C128, class C64>
void register_variants(const std::string& circuit, LengthChunk p,
                       std::function<C128(LengthChunk)> make128,
                       std::function<C64(LengthChunk)> make64, const typename C64::Measurement& m,
                       const typename C64::AggResult& expected) {
  using V128 = vdaf::Prio3<C128>;
  using V64 = vdaf::Prio3<C64>;
  register_config<V128>(
      circuit, params_of(p, 128, 1),
      [p, make128] { return V128(make128(p), kShares, 1, kPrivateId); }, m, expected);
  for (std::size_t proofs : {std::size_t{2}, std::size_t{3}}) {
    register_config<V64>(
        circuit, params_of(p, 64, proofs),
        [p, proofs, make64] { return V64(make64(p), kShares, proofs, kPrivateId); }, m, expected);
  }
}

int register_all() {
  using vdaf::Field128;
  using vdaf::Field64;
  // SumVec, max_measurement 1: every third entry is 1 (as in prio3_bench).
  for (LengthChunk p : {LengthChunk{10, 3}, LengthChunk{100, 10}, LengthChunk{1000, 31}}) {
    std::vector<std::uint64_t> m(p.length);
    vdaf::SumVec<Field64>::AggResult expected(p.length);
    for (std::size_t i = 0; i < p.length; i += 3) {
      m[i] = 1;
      expected[i] = 1;
    }
    register_variants<vdaf::SumVec<Field128>, vdaf::SumVec<Field64>>(
        "SumVec", p, [](LengthChunk q) { return vdaf::SumVec<Field128>(q.length, 1, q.chunk); },
        [](LengthChunk q) { return vdaf::SumVec<Field64>(q.length, 1, q.chunk); }, m, expected);
    using Hmac = vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128;
    register_config<Hmac>(
        "SumVec", params_of(p, 64, 3) + "/xof:hmac",
        [p] { return Hmac(kShares, p.length, 1, p.chunk, 3); }, m, expected);
  }
  // Histogram: bucket length/3.
  for (LengthChunk p : {LengthChunk{10, 3}, LengthChunk{100, 10}, LengthChunk{1000, 31},
                        LengthChunk{10000, 100}, LengthChunk{100000, 316}}) {
    const std::uint64_t bucket = p.length / 3;
    vdaf::Histogram<Field64>::AggResult expected(p.length);
    expected[bucket] = 1;
    register_variants<vdaf::Histogram<Field128>, vdaf::Histogram<Field64>>(
        "Histogram", p, [](LengthChunk q) { return vdaf::Histogram<Field128>(q.length, q.chunk); },
        [](LengthChunk q) { return vdaf::Histogram<Field64>(q.length, q.chunk); }, bucket,
        expected);
  }
  return 0;
}

const int registered = register_all();

}  // namespace
