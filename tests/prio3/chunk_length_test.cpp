// vdaf::recommended_chunk_length (draft-irtf-cfrg-vdaf-20 §7.4.3.1): positive,
// about sqrt(meas_len), and its proof is never longer than the one for the
// plain sqrt choice (in fact minimal over every chunk length); the proof-length
// formula used here is checked against real instances.
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "vdaf/prio3.hpp"

namespace {

/// PROOF_LEN of one ParallelSum(Mul, chunk) gadget over meas_len inputs
/// (§7.3.1): arity 2·chunk, degree 2, calls = ceil(meas_len / chunk),
/// p = next_pow2(1 + calls): 2·chunk + 2·(p − 1) + 1.
std::size_t proof_len_for(std::size_t meas_len, std::size_t chunk) {
  const std::size_t calls = (meas_len + chunk - 1) / chunk;
  const std::size_t p = std::bit_ceil(1 + calls);
  return 2 * chunk + 2 * (p - 1) + 1;
}

std::size_t sqrt_choice(std::size_t meas_len) {
  const auto s = static_cast<std::size_t>(std::llround(std::sqrt(static_cast<double>(meas_len))));
  return s == 0 ? 1 : s;
}

void check_one(std::size_t meas_len) {
  SCOPED_TRACE(meas_len);
  const std::size_t c = vdaf::recommended_chunk_length(meas_len);
  ASSERT_GE(c, 1u);
  EXPECT_LE(c, meas_len);
  // About sqrt(meas_len): within a factor of 4 either way (plus slack for tiny sizes).
  const double s = std::sqrt(static_cast<double>(meas_len));
  EXPECT_LE(static_cast<double>(c), 4 * s + 4);
  EXPECT_GE(static_cast<double>(c), s / 4 - 1);
  // Not worse than the sqrt choice.
  EXPECT_LE(proof_len_for(meas_len, c), proof_len_for(meas_len, sqrt_choice(meas_len)));
}

TEST(RecommendedChunkLength, SmallSizesExhaustive) {
  for (std::size_t n = 1; n <= 600; ++n) check_one(n);
}

TEST(RecommendedChunkLength, KnownSizes) {
  for (std::size_t n : {std::size_t{1000}, std::size_t{1024}, std::size_t{4096}, std::size_t{10000},
                        std::size_t{100000}, std::size_t{1} << 20, std::size_t{3000000}}) {
    check_one(n);
  }
  EXPECT_EQ(vdaf::recommended_chunk_length(1), 1u);
}

TEST(RecommendedChunkLength, MinimalOverAllChunkLengths) {
  // The documented goal: minimise the proof length. Check against every chunk.
  for (std::size_t n = 1; n <= 2000; n += (n < 300 ? 1 : 37)) {
    SCOPED_TRACE(n);
    std::size_t best = proof_len_for(n, 1);
    for (std::size_t c = 2; c <= n; ++c) best = std::min(best, proof_len_for(n, c));
    EXPECT_EQ(proof_len_for(n, vdaf::recommended_chunk_length(n)), best);
  }
}

TEST(RecommendedChunkLength, ZeroThrows) {
  EXPECT_THROW((void)vdaf::recommended_chunk_length(0), vdaf::invalid_argument);
}

TEST(RecommendedChunkLength, FormulaMatchesInstances) {
  // SumVec: MEAS_LEN = length·bits.
  for (std::size_t length : {1u, 3u, 10u, 100u}) {
    for (std::uint64_t max : {std::uint64_t{1}, std::uint64_t{7}, std::uint64_t{1000}}) {
      const std::size_t bits = static_cast<std::size_t>(std::bit_width(max));
      const std::size_t meas_len = length * bits;
      const std::size_t c = vdaf::recommended_chunk_length(meas_len);
      const vdaf::Prio3SumVec v(2, length, max, c);
      EXPECT_EQ(v.meas_len(), meas_len);
      EXPECT_EQ(v.proof_len(), proof_len_for(meas_len, c)) << length << " " << max;
    }
  }
  // Histogram: MEAS_LEN = length.
  for (std::size_t length : {1u, 2u, 17u, 100u, 1000u}) {
    const std::size_t c = vdaf::recommended_chunk_length(length);
    const vdaf::Prio3Histogram v(2, length, c);
    EXPECT_EQ(v.proof_len(), proof_len_for(length, c)) << length;
  }
  // MultihotCountVec: MEAS_LEN = length + bit_length(max_weight).
  for (std::size_t length : {2u, 10u, 100u}) {
    const std::size_t max_weight = length / 2;
    const std::size_t meas_len = length + static_cast<std::size_t>(std::bit_width(max_weight));
    const std::size_t c = vdaf::recommended_chunk_length(meas_len);
    const vdaf::Prio3MultihotCountVec v(2, length, max_weight, c);
    EXPECT_EQ(v.meas_len(), meas_len);
    EXPECT_EQ(v.proof_len(), proof_len_for(meas_len, c)) << length;
  }
}

RC_GTEST_PROP(RecommendedChunkLength, NotWorseThanSqrt, ()) {
  const auto n = *rc::gen::resize(100, rc::gen::inRange<std::size_t>(1, 5000000));
  const std::size_t c = vdaf::recommended_chunk_length(n);
  RC_ASSERT(c >= 1);
  RC_ASSERT(c <= n);
  RC_ASSERT(proof_len_for(n, c) <= proof_len_for(n, sqrt_choice(n)));
  // And no better chunk nearby (±25% around the choice).
  for (std::size_t d = c - std::min(c - 1, c / 4); d <= c + c / 4 + 1; ++d) {
    RC_ASSERT(proof_len_for(n, c) <= proof_len_for(n, d));
  }
}

}  // namespace

TEST(RecommendedChunkLength, PerInstanceHelpersComputeMeasLen) {
  // Each instance's helper is recommended_chunk_length of its MEAS_LEN, which the constructed
  // instance confirms.
  EXPECT_EQ(vdaf::Prio3SumVec::recommended_chunk_length(1000, 255),
            vdaf::recommended_chunk_length(vdaf::Prio3SumVec(2, 1000, 255, 1).meas_len()));
  EXPECT_EQ(vdaf::Prio3Histogram::recommended_chunk_length(100000),
            vdaf::recommended_chunk_length(100000));
  EXPECT_EQ(vdaf::Prio3MultihotCountVec::recommended_chunk_length(1000, 5),
            vdaf::recommended_chunk_length(vdaf::Prio3MultihotCountVec(2, 1000, 5, 1).meas_len()));
  EXPECT_EQ(vdaf::Prio3L1BoundSum::recommended_chunk_length(100, 1000),
            vdaf::recommended_chunk_length(vdaf::Prio3L1BoundSum(2, 100, 1000, 1).meas_len()));
  using Hmac = vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128;
  EXPECT_EQ(Hmac::recommended_chunk_length(300, 0xFFFFFFFF00000000ULL),
            vdaf::recommended_chunk_length(Hmac(2, 300, 0xFFFFFFFF00000000ULL, 1, 3).meas_len()));
  EXPECT_EQ(vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>::recommended_chunk_length(10, 7),
            vdaf::recommended_chunk_length(30));
  // The helpers' results build instances.
  EXPECT_NO_THROW(
      vdaf::Prio3SumVec(2, 1000, 255, vdaf::Prio3SumVec::recommended_chunk_length(1000, 255)));
  // Lengths no instance accepts.
  EXPECT_THROW((void)vdaf::Prio3Histogram::recommended_chunk_length(0), vdaf::invalid_argument);
  EXPECT_THROW((void)vdaf::Prio3SumVec::recommended_chunk_length(std::size_t{1} << 40, 1),
               vdaf::invalid_argument);
  EXPECT_THROW((void)vdaf::Prio3L1BoundSum::recommended_chunk_length(~std::size_t{0}, 1),
               vdaf::invalid_argument);
  EXPECT_THROW((void)vdaf::Prio3MultihotCountVec::recommended_chunk_length(std::size_t{1} << 22, 3),
               vdaf::invalid_argument);
}
