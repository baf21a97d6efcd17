// vdaf-cpp side of the share check of bench/compare/run: prints, one JSON line per instance,
// the encoded public share and both encoded input shares (hex) of one report sharded with a
// fixed randomness (bench/support/splitmix64.hpp, seeded as in bench/prio3_bench.cpp), zero
// nonce, empty ctx; for Prio3 also the whole round with the zero verify key: both encoded
// verifier shares, the verifier message, both aggregate shares (of this one report) and the
// unsharded result (a JSON integer or list of integers).
// The Rust program (libprio/, `--shares`) prints the same lines from libprio-rs; `run` diffs them.
#include <array>
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../support/splitmix64.hpp"
#include "vdaf/core/print.hpp"
#include "vdaf/poplar1.hpp"
#include "vdaf/prio3.hpp"

namespace {

constexpr std::size_t kShares = 2;
constexpr std::array<std::uint8_t, 16> kNonce{};
constexpr vdaf::ByteSpan kCtx{};
constexpr std::uint64_t kRandSeed = 0x5072696f33ULL;        // "Prio3"
constexpr std::uint64_t kPoplarSeed = 0x506f706c617231ULL;  // "Poplar1"

using vdaf_bench::SplitMix64;

std::string hex(const vdaf::Bytes& b) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (auto x : b) {
    s += d[x >> 4];
    s += d[x & 15];
  }
  return s;
}

/// `{"name", "rand", "public_share", "input_shares"` of one report, without the closing brace.
template <class V>
std::string shares_json(const std::string& name, const V& v, const typename V::Measurement& m,
                        typename V::ShardResult* keep = nullptr) {
  const vdaf::Bytes rand = SplitMix64(kRandSeed).bytes(v.rand_size());
  auto r = v.shard(kCtx, m, kNonce, rand);
  std::string out = "{\"name\": \"" + name + "\", \"rand\": \"" + hex(rand) +
                    "\", \"public_share\": \"" + hex(v.encode_public_share(r.public_share)) +
                    "\", \"input_shares\": [";
  for (std::size_t j = 0; j < r.input_shares.size(); ++j) {
    out += (j ? ", \"" : "\"") + hex(v.encode_input_share(r.input_shares[j])) + '"';
  }
  out += "]";
  if (keep != nullptr) *keep = std::move(r);
  return out;
}

template <class V>
void print(const std::string& name, const V& v, const typename V::Measurement& m) {
  std::cout << shares_json(name, v, m) << "}\n";
}

/// An integer or a vector of integers, as Rust's `{:?}` prints it (valid JSON).
template <class T>
std::string json_number(const T& x) {
  if constexpr (std::is_integral_v<T>) {
    return std::to_string(x);
  } else if constexpr (std::is_same_v<T, vdaf::uint128>) {
    return vdaf::to_string(x);
  } else {
    std::string out = "[";
    for (std::size_t i = 0; i < x.size(); ++i) out += (i ? ", " : "") + json_number(x[i]);
    return out + "]";
  }
}

/// The report's shares and its whole round (see the file comment).
template <class V>
void print_round(const std::string& name, const V& v, const typename V::Measurement& m) {
  typename V::ShardResult r;
  const std::string head = shares_json(name, v, m, &r);
  const std::array<std::uint8_t, 32> key{};
  std::vector<typename V::VerifyState> states;
  std::vector<typename V::VerifierShare> vshares;
  std::string vs_hex;
  for (std::size_t j = 0; j < kShares; ++j) {
    auto [st, vs] = v.verify_init(key, kCtx, j, {}, kNonce, r.public_share, r.input_shares[j]);
    vs_hex += (j ? ", \"" : "\"") + hex(v.encode_verifier_share(vs)) + '"';
    states.push_back(std::move(st));
    vshares.push_back(std::move(vs));
  }
  const auto msg = v.verifier_shares_to_message(kCtx, {}, vshares);
  std::vector<typename V::AggShare> aggs;
  std::string agg_hex;
  for (std::size_t j = 0; j < kShares; ++j) {
    auto agg = v.agg_init({});
    v.agg_update({}, agg, std::get<typename V::OutShare>(v.verify_next(kCtx, states[j], msg)));
    agg_hex += (j ? ", \"" : "\"") + hex(v.encode_agg_share(agg)) + '"';
    aggs.push_back(std::move(agg));
  }
  std::cout << head << ", \"verifier_shares\": [" << vs_hex << "], \"verifier_message\": \""
            << hex(v.encode_verifier_message(msg)) << "\", \"agg_shares\": [" << agg_hex
            << "], \"result\": " << json_number(v.unshard({}, aggs, 1)) << "}\n";
}

}  // namespace

int main() {
  print_round("Prio3Count", vdaf::Prio3Count(kShares), 1);
  print_round("Prio3Sum/max:255", vdaf::Prio3Sum(kShares, 255), 255 - 255 / 7);
  std::vector<std::uint64_t> sv(10);
  for (std::size_t i = 0; i < sv.size(); i += 3) sv[i] = 1;
  print_round("Prio3SumVec/length:10/chunk:3", vdaf::Prio3SumVec(kShares, 10, 1, 3), sv);
  print_round("Prio3Histogram/length:10/chunk:3", vdaf::Prio3Histogram(kShares, 10, 3), 10 / 3);
  std::vector<bool> mh(10);
  mh[1] = true;
  mh[8] = true;
  print_round("Prio3MultihotCountVec/length:10/chunk:3",
              vdaf::Prio3MultihotCountVec(kShares, 10, 2, 3), mh);
  for (std::size_t bits : {std::size_t{16}, std::size_t{128}}) {
    print("Poplar1/bits:" + std::to_string(bits), vdaf::Poplar1(bits),
          SplitMix64(kPoplarSeed ^ bits).bits(bits));
  }
  return 0;
}
