// Prio3 benchmarks over the grid of docs/performance.md (the libprio-rs grid):
// 2 shares, empty ctx, zero nonce and verify key, sharding randomness from a
// fixed seeded pattern. Every instance is timed for Shard, VerifyInit (leader
// and helper), the whole verification round (and, for three instances, the round of 64
// reports one by one and with the batch API), Aggregate (one agg_update),
// Unshard, and Encode/Decode of the leader input share. See bench/README.md.
#include <array>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <benchmark/benchmark.h>

#include "support/splitmix64.hpp"
#include "vdaf/prio3.hpp"
#include "vdaf/topology/ping_pong.hpp"

namespace {

constexpr std::size_t kShares = 2;
constexpr std::array<std::uint8_t, 16> kNonce{};      // zero nonce
constexpr std::array<std::uint8_t, 32> kVerifyKey{};  // zero verify key
constexpr vdaf::ByteSpan kCtx{};                      // empty application context
constexpr std::uint64_t kRandSeed = 0x5072696f33ULL;  // "Prio3"

using vdaf_bench::seeded_pattern;

/// Everything the benchmarks of one Prio3 instance need, computed once: one
/// report sharded, verified by both aggregators and unsharded (and checked
/// against the measurement, so a benchmark never times a broken path).
template <class V>
struct Report {
  std::optional<V> vdaf;
  typename V::AggParam agg_param{};
  typename V::Measurement measurement{};
  vdaf::Bytes rand;
  typename V::ShardResult shard{};
  std::vector<typename V::OutShare> out_shares;
  std::vector<typename V::AggShare> agg_shares;
  vdaf::Bytes leader_encoded;
  std::size_t upload_bytes = 0;  // public share + all input shares, encoded
  std::string error;             // non-empty if the setup failed
};

template <class V>
std::unique_ptr<Report<V>> build_report(const std::function<V()>& make,
                                        const typename V::Measurement& measurement,
                                        const typename V::AggResult& expected) {
  auto r = std::make_unique<Report<V>>();
  try {
    const V& v = r->vdaf.emplace(make());
    const auto& ap = r->agg_param;
    r->measurement = measurement;
    r->rand = seeded_pattern(v.rand_size(), kRandSeed);
    r->shard = v.shard(kCtx, measurement, kNonce, r->rand);
    const auto& ps = r->shard.public_share;
    const auto& shares = r->shard.input_shares;
    if (shares.size() != kShares) {
      r->error = "shard returned " + std::to_string(shares.size()) + " input shares";
      return r;
    }
    r->upload_bytes = v.encode_public_share(ps).size();
    for (const auto& s : shares) r->upload_bytes += v.encode_input_share(s).size();

    std::vector<typename V::VerifyState> states;
    std::vector<typename V::VerifierShare> verifier_shares;
    for (std::size_t j = 0; j < kShares; ++j) {
      auto [st, vs] = v.verify_init(kVerifyKey, kCtx, j, ap, kNonce, ps, shares[j]);
      states.push_back(std::move(st));
      verifier_shares.push_back(std::move(vs));
    }
    const auto msg = v.verifier_shares_to_message(kCtx, ap, verifier_shares);
    for (std::size_t j = 0; j < kShares; ++j) {
      auto next = v.verify_next(kCtx, states[j], msg);
      auto* out = std::get_if<typename V::OutShare>(&next);
      if (out == nullptr) {
        r->error = "verify_next did not return an output share";
        return r;
      }
      r->out_shares.push_back(std::move(*out));
      auto agg = v.agg_init(ap);
      v.agg_update(ap, agg, r->out_shares.back());
      r->agg_shares.push_back(std::move(agg));
    }
    if (v.unshard(ap, r->agg_shares, 1) != expected) {
      r->error = "unshard of one report differs from its measurement";
      return r;
    }
    r->leader_encoded = v.encode_input_share(shares[0]);
    if (v.encode_input_share(v.decode_input_share(0, r->leader_encoded)) != r->leader_encoded) {
      r->error = "leader input share does not survive an encode/decode round trip";
      return r;
    }
  } catch (const std::exception& e) {
    r->error = std::string("setup threw: ") + e.what();
  }
  return r;
}

/// The report of one instance, built on first use (so a --benchmark_filter
/// run pays only for the instances it selects) and shared by its benchmarks.
template <class V>
class LazyReport {
 public:
  LazyReport(std::function<V()> make, typename V::Measurement measurement,
             typename V::AggResult expected)
      : make_(std::move(make)),
        measurement_(std::move(measurement)),
        expected_(std::move(expected)) {}

  /// The report, or nullptr after calling SkipWithError on `st` if setup failed.
  const Report<V>* get(benchmark::State& st) {
    if (!report_) report_ = build_report<V>(make_, measurement_, expected_);
    if (!report_->error.empty()) {
      st.SkipWithError(report_->error.c_str());
      return nullptr;
    }
    return report_.get();
  }

 private:
  std::function<V()> make_;
  typename V::Measurement measurement_;
  typename V::AggResult expected_;
  std::unique_ptr<Report<V>> report_;
};

template <class V>
void bm_shard(benchmark::State& st, LazyReport<V>& lazy) {
  const Report<V>* r = lazy.get(st);
  if (r == nullptr) return;
  const V& v = *r->vdaf;
  for (auto _ : st) {
    auto res = v.shard(kCtx, r->measurement, kNonce, r->rand);
    benchmark::DoNotOptimize(res);
  }
  st.SetItemsProcessed(st.iterations());
  st.counters["upload_bytes"] = static_cast<double>(r->upload_bytes);
}

template <class V>
void bm_verify_init(benchmark::State& st, LazyReport<V>& lazy, std::size_t agg_id) {
  const Report<V>* r = lazy.get(st);
  if (r == nullptr) return;
  const V& v = *r->vdaf;
  const auto& ps = r->shard.public_share;
  const auto& share = r->shard.input_shares[agg_id];
  for (auto _ : st) {
    auto res = v.verify_init(kVerifyKey, kCtx, agg_id, r->agg_param, kNonce, ps, share);
    benchmark::DoNotOptimize(res);
  }
  st.SetItemsProcessed(st.iterations());
  st.counters["upload_bytes"] = static_cast<double>(r->upload_bytes);
}

/// verify_init_batch over kBatchReports copies of the report (aggregator throughput): the
/// items_per_second counter is reports per second on one core, to compare with VerifyInit's.
constexpr std::size_t kBatchReports = 64;

template <class V>
void bm_verify_init_batch(benchmark::State& st, LazyReport<V>& lazy, std::size_t agg_id) {
  const Report<V>* r = lazy.get(st);
  if (r == nullptr) return;
  const V& v = *r->vdaf;
  const std::vector<vdaf::ByteSpan> nonces(kBatchReports, vdaf::ByteSpan(kNonce));
  const std::vector<typename V::PublicShare> pubs(kBatchReports, r->shard.public_share);
  const std::vector<typename V::InputShare> shares(kBatchReports, r->shard.input_shares[agg_id]);
  for (auto _ : st) {
    auto res = v.verify_init_batch(kVerifyKey, kCtx, agg_id, r->agg_param, nonces, pubs, shares);
    benchmark::DoNotOptimize(res);
  }
  st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(kBatchReports));
}

/// The whole verification round of kBatchReports reports (copies of the report in distinct
/// memory), both aggregators in one thread, as an aggregator with many reports would run it:
/// RoundOneByOne loops over the reports with verify_init ×2, verifier_shares_to_message and
/// verify_next ×2; RoundBatch calls verify_init_batch ×2, verifier_shares_to_message_batch and
/// verify_next_batch ×2 (the overload consuming the states, which moves the output shares).
/// items_per_second is reports per second on one core (for both aggregators together). Not selected
/// by bench/compare (its regex takes Shard and VerifyInit).
template <class V>
struct RoundInputs {
  std::vector<vdaf::ByteSpan> nonces;
  std::vector<typename V::PublicShare> pubs;
  std::array<std::vector<typename V::InputShare>, kShares> shares;
  explicit RoundInputs(const Report<V>& r)
      : nonces(kBatchReports, vdaf::ByteSpan(kNonce)), pubs(kBatchReports, r.shard.public_share) {
    for (std::size_t j = 0; j < kShares; ++j) {
      shares[j].assign(kBatchReports, r.shard.input_shares[j]);
    }
  }
};

template <class V>
void bm_round_one_by_one(benchmark::State& st, LazyReport<V>& lazy) {
  const Report<V>* r = lazy.get(st);
  if (r == nullptr) return;
  const V& v = *r->vdaf;
  const RoundInputs<V> in(*r);
  std::size_t accepted = 0;
  for (auto _ : st) {
    for (std::size_t i = 0; i < kBatchReports; ++i) {
      auto r0 = v.verify_init(kVerifyKey, kCtx, 0, r->agg_param, in.nonces[i], in.pubs[i],
                              in.shares[0][i]);
      auto r1 = v.verify_init(kVerifyKey, kCtx, 1, r->agg_param, in.nonces[i], in.pubs[i],
                              in.shares[1][i]);
      const std::array<typename V::VerifierShare, kShares> vs{std::move(r0.second),
                                                              std::move(r1.second)};
      const auto msg = v.verifier_shares_to_message(kCtx, r->agg_param, vs);
      auto out0 = v.verify_next(kCtx, r0.first, msg);
      auto out1 = v.verify_next(kCtx, r1.first, msg);
      accepted += out0.index() == 1 && out1.index() == 1 ? 1 : 0;
      benchmark::DoNotOptimize(out0);
      benchmark::DoNotOptimize(out1);
    }
  }
  if (accepted != static_cast<std::size_t>(st.iterations()) * kBatchReports)
    st.SkipWithError("a report was rejected");
  st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(kBatchReports));
}

template <class V>
void bm_round_batch(benchmark::State& st, LazyReport<V>& lazy) {
  const Report<V>* r = lazy.get(st);
  if (r == nullptr) return;
  const V& v = *r->vdaf;
  const RoundInputs<V> in(*r);
  std::size_t accepted = 0;
  std::array<std::vector<typename V::VerifyState>, kShares> states;
  std::array<std::vector<typename V::VerifierShare>, kShares> vshares;
  for (auto _ : st) {
    for (std::size_t j = 0; j < kShares; ++j) {
      auto init =
          v.verify_init_batch(kVerifyKey, kCtx, j, r->agg_param, in.nonces, in.pubs, in.shares[j]);
      states[j].clear();
      vshares[j].clear();
      for (auto& o : init) {
        if (o.result) {
          states[j].push_back(std::move(o.result->first));
          vshares[j].push_back(std::move(o.result->second));
        } else {  // not reached (the reports are valid); keeps the batch aligned
          states[j].emplace_back();
          vshares[j].emplace_back();
        }
      }
    }
    const std::array<std::span<const typename V::VerifierShare>, kShares> by_agg{vshares[0],
                                                                                 vshares[1]};
    const auto msgs = v.verifier_shares_to_message_batch(kCtx, r->agg_param, by_agg);
    std::vector<typename V::VerifierMessage> m(msgs.size());
    for (std::size_t i = 0; i < msgs.size(); ++i) {
      if (msgs[i].result) m[i] = *msgs[i].result;
    }
    // The states are spent: the overload that moves the output shares out of them.
    auto out0 = v.verify_next_batch(kCtx, std::move(states[0]), m);
    auto out1 = v.verify_next_batch(kCtx, std::move(states[1]), m);
    for (std::size_t i = 0; i < kBatchReports; ++i) {
      accepted += out0[i].result && out1[i].result ? 1 : 0;
    }
    benchmark::DoNotOptimize(out0);
    benchmark::DoNotOptimize(out1);
  }
  if (accepted != static_cast<std::size_t>(st.iterations()) * kBatchReports)
    st.SkipWithError("a report was rejected");
  st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(kBatchReports));
}

/// The whole round of kBatchReports reports through the flat batch API (both aggregators in
/// one thread): verify_init_batch ×2 into VerifyBatch objects kept across jobs,
/// verifier_shares_to_message_batch into a VerifierMessageBatch, verify_next_batch ×2 and
/// agg_update_batch ×2 into the two aggregate shares: no object per report. items_per_second
/// is reports per second on one core.
template <class V>
void bm_round_flat(benchmark::State& st, LazyReport<V>& lazy) {
  const Report<V>* r = lazy.get(st);
  if (r == nullptr) return;
  const V& v = *r->vdaf;
  const RoundInputs<V> in(*r);
  std::array<typename V::VerifyBatch, kShares> batches;
  typename V::VerifierMessageBatch msgs;
  std::array<typename V::AggShare, kShares> agg{v.agg_init(r->agg_param), v.agg_init(r->agg_param)};
  std::size_t accepted = 0;
  for (auto _ : st) {
    for (std::size_t j = 0; j < kShares; ++j) {
      v.verify_init_batch(kVerifyKey, kCtx, j, r->agg_param, in.nonces, in.pubs, in.shares[j],
                          batches[j]);
    }
    const std::array<const typename V::VerifierShareBatch*, kShares> by_agg{&batches[0].shares,
                                                                            &batches[1].shares};
    v.verifier_shares_to_message_batch(kCtx, r->agg_param, by_agg, msgs);
    for (std::size_t j = 0; j < kShares; ++j) {
      v.verify_next_batch(kCtx, batches[j], msgs);
      accepted += v.agg_update_batch(r->agg_param, agg[j], batches[j]);
    }
    benchmark::DoNotOptimize(agg);
  }
  if (accepted != static_cast<std::size_t>(st.iterations()) * kBatchReports * kShares)
    st.SkipWithError("a report was rejected");
  st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(kBatchReports));
}

/// The whole round of kBatchReports reports through the ping-pong topology (§5.7.1), both
/// aggregators in one thread, every message encoded and decoded as it would cross the network:
/// PingPongOneByOne calls leader_initialized, helper_initialized and leader_continued per report;
/// PingPongBatch calls their batch forms once per job (leader_initialized_batch,
/// helper_initialized_batch over the Prio3 batch APIs, leader_continued_batch consuming the
/// states). items_per_second is reports per second on one core, both aggregators together;
/// compare with RoundOneByOne / RoundBatch (the same work without the topology).
template <class V>
void bm_ping_pong(benchmark::State& st, LazyReport<V>& lazy, bool batch) {
  const Report<V>* r = lazy.get(st);
  if (r == nullptr) return;
  using PP = vdaf::PingPong<V>;
  const V& v = *r->vdaf;
  const PP pp(v, kVerifyKey, kCtx, r->agg_param);
  const RoundInputs<V> in(*r);
  std::size_t accepted = 0;
  std::vector<vdaf::ByteSpan> msgs(kBatchReports);
  for (auto _ : st) {
    if (batch) {
      auto leader = pp.leader_initialized_batch(in.nonces, in.pubs, in.shares[0]);
      for (std::size_t i = 0; i < kBatchReports; ++i) {
        const vdaf::Bytes* o = PP::outbound(leader[i]);
        msgs[i] = o ? vdaf::ByteSpan(*o) : vdaf::ByteSpan();
      }
      const auto helper = pp.helper_initialized_batch(in.nonces, in.pubs, in.shares[1], msgs);
      for (std::size_t i = 0; i < kBatchReports; ++i) {
        const vdaf::Bytes* o = PP::outbound(helper[i]);
        msgs[i] = o ? vdaf::ByteSpan(*o) : vdaf::ByteSpan();
      }
      const auto done = pp.leader_continued_batch(std::move(leader), msgs);
      for (std::size_t i = 0; i < kBatchReports; ++i) {
        accepted += PP::is_finished(done[i]) && PP::is_finished(helper[i]) ? 1 : 0;
      }
      benchmark::DoNotOptimize(done);
    } else {
      for (std::size_t i = 0; i < kBatchReports; ++i) {
        const auto l = pp.leader_initialized(in.nonces[i], in.pubs[i], in.shares[0][i]);
        const vdaf::Bytes* lo = PP::outbound(l);
        if (lo == nullptr) continue;
        const auto h = pp.helper_initialized(in.nonces[i], in.pubs[i], in.shares[1][i], *lo);
        const vdaf::Bytes* ho = PP::outbound(h);
        if (ho == nullptr) continue;
        const auto done = pp.leader_continued(l, *ho);
        accepted += PP::is_finished(done) && PP::is_finished(h) ? 1 : 0;
        benchmark::DoNotOptimize(done);
      }
    }
  }
  if (accepted != static_cast<std::size_t>(st.iterations()) * kBatchReports)
    st.SkipWithError("a report was rejected");
  st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(kBatchReports));
}

/// The whole verification round of one report, both aggregators in one thread:
/// verify_init ×2, verifier_shares_to_message, verify_next ×2.
template <class V>
void bm_verify(benchmark::State& st, LazyReport<V>& lazy) {
  const Report<V>* r = lazy.get(st);
  if (r == nullptr) return;
  const V& v = *r->vdaf;
  const auto& ps = r->shard.public_share;
  const auto& shares = r->shard.input_shares;
  for (auto _ : st) {
    auto r0 = v.verify_init(kVerifyKey, kCtx, 0, r->agg_param, kNonce, ps, shares[0]);
    auto r1 = v.verify_init(kVerifyKey, kCtx, 1, r->agg_param, kNonce, ps, shares[1]);
    const std::array<typename V::VerifierShare, kShares> vs{std::move(r0.second),
                                                            std::move(r1.second)};
    const auto msg = v.verifier_shares_to_message(kCtx, r->agg_param, vs);
    auto out0 = v.verify_next(kCtx, r0.first, msg);
    auto out1 = v.verify_next(kCtx, r1.first, msg);
    benchmark::DoNotOptimize(out0);
    benchmark::DoNotOptimize(out1);
  }
  st.SetItemsProcessed(st.iterations());
  st.counters["upload_bytes"] = static_cast<double>(r->upload_bytes);
}

/// agg_update of one output share into a running aggregate share.
template <class V>
void bm_aggregate(benchmark::State& st, LazyReport<V>& lazy) {
  const Report<V>* r = lazy.get(st);
  if (r == nullptr) return;
  const V& v = *r->vdaf;
  auto agg = v.agg_init(r->agg_param);
  for (auto _ : st) {
    v.agg_update(r->agg_param, agg, r->out_shares[0]);
    benchmark::DoNotOptimize(agg.data());
    benchmark::ClobberMemory();
  }
  st.SetItemsProcessed(st.iterations());
}

/// unshard of the two aggregate shares (of one report) into the result.
template <class V>
void bm_unshard(benchmark::State& st, LazyReport<V>& lazy) {
  const Report<V>* r = lazy.get(st);
  if (r == nullptr) return;
  const V& v = *r->vdaf;
  for (auto _ : st) {
    auto res = v.unshard(r->agg_param, r->agg_shares, 1);
    benchmark::DoNotOptimize(res);
  }
  st.SetItemsProcessed(st.iterations());
}

/// encode_input_share of the leader's input share (the large one).
template <class V>
void bm_encode(benchmark::State& st, LazyReport<V>& lazy) {
  const Report<V>* r = lazy.get(st);
  if (r == nullptr) return;
  const V& v = *r->vdaf;
  const auto& leader = r->shard.input_shares[0];
  for (auto _ : st) {
    auto bytes = v.encode_input_share(leader);
    benchmark::DoNotOptimize(bytes);
  }
  st.SetItemsProcessed(st.iterations());
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(r->leader_encoded.size()));
}

/// decode_input_share(0, ·) of the encoded leader input share.
template <class V>
void bm_decode(benchmark::State& st, LazyReport<V>& lazy) {
  const Report<V>* r = lazy.get(st);
  if (r == nullptr) return;
  const V& v = *r->vdaf;
  for (auto _ : st) {
    auto share = v.decode_input_share(0, r->leader_encoded);
    benchmark::DoNotOptimize(share);
  }
  st.SetItemsProcessed(st.iterations());
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(r->leader_encoded.size()));
}

/// Registers the eight benchmarks of one instance, named
/// `BM_<instance>_<Op><params>`, e.g. `BM_Prio3Histogram_Shard/length:1000/chunk:31`.
template <class V>
void register_instance(const std::string& instance, const std::string& params,
                       std::function<V()> make, typename V::Measurement measurement,
                       typename V::AggResult expected, bool batch = false) {
  auto lazy =
      std::make_shared<LazyReport<V>>(std::move(make), std::move(measurement), std::move(expected));
  auto name = [&](const std::string& op, const std::string& suffix = "") {
    return "BM_" + instance + "_" + op + params + suffix;
  };
  auto reg = [](const std::string& n, auto fn) {
    benchmark::RegisterBenchmark(n.c_str(), std::move(fn))->Unit(benchmark::kMicrosecond);
  };
  reg(name("Shard"), [lazy](benchmark::State& st) { bm_shard<V>(st, *lazy); });
  for (std::size_t agg_id = 0; agg_id < kShares; ++agg_id) {
    reg(name("VerifyInit", "/agg:" + std::to_string(agg_id)),
        [lazy, agg_id](benchmark::State& st) { bm_verify_init<V>(st, *lazy, agg_id); });
  }
  if (batch) {
    for (std::size_t agg_id = 0; agg_id < kShares; ++agg_id) {
      reg(name("VerifyInitBatch", "/agg:" + std::to_string(agg_id)),
          [lazy, agg_id](benchmark::State& st) { bm_verify_init_batch<V>(st, *lazy, agg_id); });
    }
    reg(name("RoundOneByOne"), [lazy](benchmark::State& st) { bm_round_one_by_one<V>(st, *lazy); });
    reg(name("RoundBatch"), [lazy](benchmark::State& st) { bm_round_batch<V>(st, *lazy); });
    reg(name("RoundFlat"), [lazy](benchmark::State& st) { bm_round_flat<V>(st, *lazy); });
    reg(name("PingPongOneByOne"),
        [lazy](benchmark::State& st) { bm_ping_pong<V>(st, *lazy, false); });
    reg(name("PingPongBatch"), [lazy](benchmark::State& st) { bm_ping_pong<V>(st, *lazy, true); });
  }
  reg(name("Verify"), [lazy](benchmark::State& st) { bm_verify<V>(st, *lazy); });
  reg(name("Aggregate"), [lazy](benchmark::State& st) { bm_aggregate<V>(st, *lazy); });
  reg(name("Unshard"), [lazy](benchmark::State& st) { bm_unshard<V>(st, *lazy); });
  reg(name("Encode"), [lazy](benchmark::State& st) { bm_encode<V>(st, *lazy); });
  reg(name("Decode"), [lazy](benchmark::State& st) { bm_decode<V>(st, *lazy); });
}

std::string len_chunk(std::size_t length, std::size_t chunk) {
  return "/length:" + std::to_string(length) + "/chunk:" + std::to_string(chunk);
}

struct LengthChunk {
  std::size_t length, chunk;
};

int register_all() {
  // Prio3Count: measurement 1.
  register_instance<vdaf::Prio3Count>(
      "Prio3Count", "", [] { return vdaf::Prio3Count(kShares); }, 1, 1, /*batch=*/true);

  // Prio3Sum: max_measurement 2^8−1 and 2^32−1; measurement near the maximum.
  for (std::uint64_t max : {std::uint64_t{0xff}, std::uint64_t{0xffffffff}}) {
    const std::uint64_t m = max - max / 7;
    register_instance<vdaf::Prio3Sum>(
        "Prio3Sum", "/max:" + std::to_string(max), [max] { return vdaf::Prio3Sum(kShares, max); },
        m, m);
  }

  // Prio3SumVec, max_measurement 1: every third entry is 1.
  for (LengthChunk p : {LengthChunk{10, 3}, LengthChunk{100, 10}, LengthChunk{1000, 31}}) {
    std::vector<std::uint64_t> m(p.length);
    vdaf::Prio3SumVec::AggResult expected(p.length);
    for (std::size_t i = 0; i < p.length; i += 3) {
      m[i] = 1;
      expected[i] = 1;
    }
    register_instance<vdaf::Prio3SumVec>(
        "Prio3SumVec", len_chunk(p.length, p.chunk),
        [p] { return vdaf::Prio3SumVec(kShares, p.length, 1, p.chunk); }, std::move(m),
        std::move(expected), /*batch=*/p.length == 1000);
  }

  // Prio3Histogram: bucket length/3.
  for (LengthChunk p : {LengthChunk{10, 3}, LengthChunk{100, 10}, LengthChunk{1000, 31},
                        LengthChunk{10000, 100}, LengthChunk{100000, 316}}) {
    const std::uint64_t bucket = p.length / 3;
    vdaf::Prio3Histogram::AggResult expected(p.length);
    expected[bucket] = 1;
    register_instance<vdaf::Prio3Histogram>(
        "Prio3Histogram", len_chunk(p.length, p.chunk),
        [p] { return vdaf::Prio3Histogram(kShares, p.length, p.chunk); }, bucket,
        std::move(expected), /*batch=*/p.length == 100);
  }

  // Prio3MultihotCountVec, max_weight 2: entries 1 and length−2 set.
  for (LengthChunk p : {LengthChunk{10, 3}, LengthChunk{100, 10}, LengthChunk{1000, 31}}) {
    std::vector<bool> m(p.length);
    vdaf::Prio3MultihotCountVec::AggResult expected(p.length);
    for (std::size_t i : {std::size_t{1}, p.length - 2}) {
      m[i] = true;
      expected[i] = 1;
    }
    register_instance<vdaf::Prio3MultihotCountVec>(
        "Prio3MultihotCountVec", len_chunk(p.length, p.chunk),
        [p] { return vdaf::Prio3MultihotCountVec(kShares, p.length, 2, p.chunk); }, std::move(m),
        std::move(expected));
  }

  // Beyond the draft (issue 11). Prio3SumVecField64MultiproofHmacSha256Aes128 (0xFFFF1003, 3
  // proofs, as Janus deploys it) on the SumVec grid; Prio3L1BoundSum with max_value 255, one
  // entry 200 and one 55.
  for (LengthChunk p : {LengthChunk{10, 3}, LengthChunk{100, 10}, LengthChunk{1000, 31}}) {
    using Hmac = vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128;
    std::vector<std::uint64_t> m(p.length);
    Hmac::AggResult expected(p.length);
    for (std::size_t i = 0; i < p.length; i += 3) {
      m[i] = 1;
      expected[i] = 1;
    }
    register_instance<Hmac>(
        "Prio3SumVecField64MultiproofHmacSha256Aes128", len_chunk(p.length, p.chunk) + "/proofs:3",
        [p] { return Hmac(kShares, p.length, 1, p.chunk, 3); }, std::move(m), std::move(expected),
        /*batch=*/p.length == 1000);
  }
  for (LengthChunk p : {LengthChunk{10, 9}, LengthChunk{100, 28}, LengthChunk{1000, 89}}) {
    std::vector<std::uint64_t> m(p.length);
    m[1] = 200;
    m[p.length - 1] = 55;
    vdaf::Prio3L1BoundSum::AggResult expected(m.begin(), m.end());
    register_instance<vdaf::Prio3L1BoundSum>(
        "Prio3L1BoundSum", len_chunk(p.length, p.chunk) + "/max:255",
        [p] { return vdaf::Prio3L1BoundSum(kShares, p.length, 255, p.chunk); }, std::move(m),
        std::move(expected));
  }

  // The two configurations whose shard time docs/performance.md gives a tuned limit for
  // (issue 4): Histogram(length 1000, chunk 32) and SumVec(length 100000, max 1, chunk 316).
  {
    const std::size_t length = 1000, chunk = 32, bucket = length / 3;
    vdaf::Prio3Histogram::AggResult expected(length);
    expected[bucket] = 1;
    register_instance<vdaf::Prio3Histogram>(
        "Prio3Histogram", len_chunk(length, chunk),
        [] { return vdaf::Prio3Histogram(kShares, length, chunk); }, bucket, std::move(expected));
  }
  {
    const std::size_t length = 100000, chunk = 316;
    std::vector<std::uint64_t> m(length);
    vdaf::Prio3SumVec::AggResult expected(length);
    for (std::size_t i = 0; i < length; i += 3) {
      m[i] = 1;
      expected[i] = 1;
    }
    register_instance<vdaf::Prio3SumVec>(
        "Prio3SumVec", len_chunk(length, chunk),
        [] { return vdaf::Prio3SumVec(kShares, length, 1, chunk); }, std::move(m),
        std::move(expected));
  }
  return 0;
}

[[maybe_unused]] const int kRegistered = register_all();

}  // namespace
