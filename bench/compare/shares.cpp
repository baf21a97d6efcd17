// vdaf-cpp side of the share check of bench/compare/run: prints, one JSON line per instance,
// the encoded public share and both encoded input shares (hex) of one report sharded with a
// fixed randomness (bench/support/splitmix64.hpp, seeded as in bench/prio3_bench.cpp), zero
// nonce, empty ctx.
// The Rust program (libprio/, `--shares`) prints the same lines from libprio-rs; `run` diffs them.
#include <array>
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "../support/splitmix64.hpp"
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

template <class V>
void print(const std::string& name, const V& v, const typename V::Measurement& m) {
  const vdaf::Bytes rand = SplitMix64(kRandSeed).bytes(v.rand_size());
  const auto r = v.shard(kCtx, m, kNonce, rand);
  std::cout << "{\"name\": \"" << name << "\", \"rand\": \"" << hex(rand)
            << "\", \"public_share\": \"" << hex(v.encode_public_share(r.public_share))
            << "\", \"input_shares\": [";
  for (std::size_t j = 0; j < r.input_shares.size(); ++j) {
    std::cout << (j ? ", " : "") << '"' << hex(v.encode_input_share(r.input_shares[j])) << '"';
  }
  std::cout << "]}\n";
}

}  // namespace

int main() {
  print("Prio3Count", vdaf::Prio3Count(kShares), 1);
  print("Prio3Sum/max:255", vdaf::Prio3Sum(kShares, 255), 255 - 255 / 7);
  std::vector<std::uint64_t> sv(10);
  for (std::size_t i = 0; i < sv.size(); i += 3) sv[i] = 1;
  print("Prio3SumVec/length:10/chunk:3", vdaf::Prio3SumVec(kShares, 10, 1, 3), sv);
  print("Prio3Histogram/length:10/chunk:3", vdaf::Prio3Histogram(kShares, 10, 3), 10 / 3);
  std::vector<bool> mh(10);
  mh[1] = true;
  mh[8] = true;
  print("Prio3MultihotCountVec/length:10/chunk:3", vdaf::Prio3MultihotCountVec(kShares, 10, 2, 3),
        mh);
  for (std::size_t bits : {std::size_t{16}, std::size_t{128}}) {
    print("Poplar1/bits:" + std::to_string(bits), vdaf::Poplar1(bits),
          SplitMix64(kPoplarSeed ^ bits).bits(bits));
  }
  return 0;
}
