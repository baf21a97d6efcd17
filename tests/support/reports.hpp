// Test reports for every Prio3 instance and Poplar1: random valid measurements, deterministic
// sharding from a seeded generator, and the byte mutations (truncated, extended, every byte
// flipped) that stored-state and decoder tests run over an encoding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <random>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "vdaf/poplar1.hpp"
#include "vdaf/prio3.hpp"

namespace vdaf_test {

using vdaf::Bytes;
using vdaf::ByteSpan;

inline Bytes random_bytes(std::mt19937_64& rng, std::size_t n) {
  Bytes b(n);
  for (auto& x : b) x = static_cast<std::uint8_t>(rng());
  return b;
}

/// A uniformly random valid measurement for `v` (any Prio3 instance of the library, or Poplar1).
template <class V>
typename V::Measurement random_measurement(const V& v, std::mt19937_64& rng) {
  if constexpr (std::is_same_v<V, vdaf::Poplar1>) {
    vdaf::BitString m(v.bits());
    for (std::size_t i = 0; i < v.bits(); ++i) m.set(i, (rng() & 1) != 0);
    return m;
  } else {
    const auto& c = v.flp().valid();
    using M = typename V::Measurement;
    if constexpr (std::is_same_v<V, vdaf::Prio3Count>) {
      return rng() % 2;
    } else if constexpr (std::is_same_v<V, vdaf::Prio3HigherDegree>) {
      return rng() % 3;
    } else if constexpr (std::is_same_v<M, std::vector<bool>>) {  // MultihotCountVec
      M m(c.length(), false);
      const std::size_t w = rng() % (c.max_weight() + 1);
      for (std::size_t k = 0; k < w; ++k) m[rng() % c.length()] = true;  // <= w distinct
      return m;
    } else if constexpr (requires { c.max_value(); }) {  // L1BoundSum: sum <= max_value
      M m(c.length());
      std::uint64_t left = rng() % (c.max_value() + 1);
      for (std::size_t k = 0; k < 4 && left != 0; ++k) {
        const std::uint64_t x = rng() % (left + 1);
        m[rng() % c.length()] += x;
        left -= x;
      }
      return m;
    } else if constexpr (std::is_same_v<M, std::vector<std::uint64_t>>) {  // SumVec
      M m(c.length());
      for (auto& x : m)
        x = c.max_measurement() == ~std::uint64_t{0} ? rng() : rng() % (c.max_measurement() + 1);
      return m;
    } else if constexpr (requires { c.max_measurement(); }) {  // Sum
      return rng() % (c.max_measurement() + 1);
    } else {  // Histogram
      return rng() % c.length();
    }
  }
}

/// One report of a two-aggregator job: the nonce, the public share, both input shares, and
/// the measurement that was sharded.
template <class V>
struct TestReport {
  Bytes nonce;
  typename V::PublicShare public_share;
  std::vector<typename V::InputShare> input_shares;
  typename V::Measurement measurement;
};

/// n reports of random measurements, sharded with randomness from `rng`.
template <class V>
std::vector<TestReport<V>> make_reports(const V& v, ByteSpan ctx, std::size_t n,
                                        std::mt19937_64& rng) {
  std::vector<TestReport<V>> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    TestReport<V> r;
    r.nonce = random_bytes(rng, V::NONCE_SIZE);
    r.measurement = random_measurement(v, rng);
    auto sr = v.shard(ctx, r.measurement, r.nonce, random_bytes(rng, v.rand_size()));
    r.public_share = std::move(sr.public_share);
    r.input_shares = std::move(sr.input_shares);
    out.push_back(std::move(r));
  }
  return out;
}

/// Calls `f(bytes)` on every mutation of `enc` a decoder must survive: every prefix (truncated,
/// including empty), the encoding with one extra byte (0x00 and 0xff), and every single-byte
/// change (xor 0x01 and 0x80 at each position; positions beyond `max_flip` are sampled with a
/// stride so long encodings stay fast). `what` says which mutation, for messages.
inline void for_each_mutation(ByteSpan enc,
                              const std::function<void(const Bytes&, const std::string&)>& f,
                              std::size_t max_flip = 4096) {
  for (std::size_t n = 0; n < enc.size(); ++n) {
    f(Bytes(enc.begin(), enc.begin() + static_cast<std::ptrdiff_t>(n)),
      "truncated to " + std::to_string(n));
  }
  for (std::uint8_t extra : {std::uint8_t{0}, std::uint8_t{0xff}}) {
    Bytes b(enc.begin(), enc.end());
    b.push_back(extra);
    f(b, "extended by " + std::to_string(extra));
  }
  const std::size_t stride = enc.size() <= max_flip ? 1 : enc.size() / max_flip + 1;
  for (std::size_t pos = 0; pos < enc.size(); pos += (pos < 64 ? 1 : stride)) {
    for (std::uint8_t mask : {std::uint8_t{0x01}, std::uint8_t{0x80}}) {
      Bytes b(enc.begin(), enc.end());
      b[pos] ^= mask;
      f(b, "byte " + std::to_string(pos) + " xor " + std::to_string(mask));
    }
  }
}

/// Checks a stored-state decoder on every mutation of a valid encoding `enc`: each mutated
/// input either throws decode_error, or decodes to a state whose re-encoding is the mutated
/// input itself (a change inside a field element that is still canonical: a valid but other
/// state). No other exception, no crash. Returns the number of mutations that decoded.
/// `max_flip` as in for_each_mutation.
template <class Decode, class Encode>
std::size_t check_mutations(ByteSpan enc, Decode&& decode, Encode&& encode,
                            std::size_t max_flip = 4096) {
  std::size_t decoded = 0;
  for_each_mutation(
      enc,
      [&](const Bytes& b, const std::string& what) {
        try {
          const auto st = decode(ByteSpan(b));
          const auto again = encode(st);
          EXPECT_TRUE(std::equal(again.begin(), again.end(), b.begin(), b.end()))
              << what << ": decoded, but does not re-encode to the same bytes";
          ++decoded;
        } catch (const vdaf::decode_error&) {
        } catch (const std::exception& e) {
          ADD_FAILURE() << what << ": threw " << e.what() << " (not decode_error)";
        }
      },
      max_flip);
  return decoded;
}

}  // namespace vdaf_test
