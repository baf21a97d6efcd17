// SplitMix64 (Steele, Lea and Flood, 2014): the deterministic generator behind every
// benchmark's inputs, so that each run measures the same data on every platform (the
// <random> distributions are not portable across standard libraries). Not for secrets.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vdaf/core/bit_string.hpp"
#include "vdaf/core/bytes.hpp"

namespace vdaf_bench {

class SplitMix64 {
 public:
  explicit constexpr SplitMix64(std::uint64_t seed) noexcept : s_(seed) {}

  /// The next 64-bit output.
  constexpr std::uint64_t next() noexcept {
    s_ += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = s_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  /// `n` bytes: successive outputs in little-endian order, the last one truncated.
  vdaf::Bytes bytes(std::size_t n) {
    vdaf::Bytes out(n);
    for (std::size_t i = 0; i < n; i += 8) {
      const std::uint64_t z = next();
      for (std::size_t k = 0; k < 8 && i + k < n; ++k) {
        out[i + k] = static_cast<std::uint8_t>(z >> (8 * k));
      }
    }
    return out;
  }

  /// `n` bits, each the top bit of one output.
  vdaf::BitString bits(std::size_t n) {
    vdaf::BitString b(n);
    for (std::size_t i = 0; i < n; ++i) b[i] = (next() >> 63) != 0;
    return b;
  }

  /// Uniform in [0, 1): the top 53 bits of one output.
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t s_;
};

/// `n` bytes of the fixed pattern SplitMix64(seed).bytes(n), e.g. a report's sharding
/// randomness: the same in every run and in every program that uses the same seed (the
/// side-by-side comparison relies on this to feed libprio-rs the same bytes).
inline vdaf::Bytes seeded_pattern(std::size_t n, std::uint64_t seed) {
  return SplitMix64(seed).bytes(n);
}

}  // namespace vdaf_bench
