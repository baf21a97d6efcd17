// recommended_chunk_length: the ParallelSum chunk length that minimises the proof (§7.4.3.1),
// shared by the per-instance headers' static helpers.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "vdaf/errors.hpp"
#include "vdaf/flp/circuits/common.hpp"
#include "vdaf/flp/limits.hpp"
#include "vdaf/polynomial/ntt.hpp"

VDAF_BEGIN_NAMESPACE

namespace detail {
/// floor(sqrt(n)), exactly (integer Newton iteration from above; no <cmath>).
/// @param n any value.
/// @return the largest r with r·r <= n.
constexpr std::size_t isqrt(std::size_t n) noexcept {
  if (n < 2) return n;
  std::size_t r = std::size_t{1} << ((std::bit_width(n) + 1) / 2);  // r >= sqrt(n)
  while (r > n / r) r = (r + n / r) / 2;
  return r;
}
static_assert(isqrt(15) == 3 && isqrt(16) == 4 && isqrt(~std::size_t{0}) == 0xFFFFFFFFu);
}  // namespace detail

/// Recommended chunk_length for a ParallelSum circuit over `meas_len` encoded
/// elements (MEAS_LEN: length·bits for SumVec, length for Histogram,
/// length + bit_length(max_weight) for MultihotCountVec): the chunk length
/// minimising the proof length 2·chunk + 2·(p − 1) + 1 with
/// p = next_pow2(1 + ceil(meas_len/chunk)) — about sqrt(meas_len) (§7.4.3.1), and
/// chosen so that the number of calls does not just overflow a power of two.
/// The per-instance helpers (Prio3SumVec::recommended_chunk_length, ...) compute MEAS_LEN
/// from the instance's parameters and check its limit first.
/// Spec: §7.4.3.1. Works on public parameters only.
/// @param meas_len MEAS_LEN, the number of encoded measurement elements, >= 1.
/// @return the chunk length, in 1..meas_len (1 for meas_len == 1).
/// @throws invalid_argument if meas_len == 0.
inline std::size_t recommended_chunk_length(std::size_t meas_len) {
  VDAF_ARG_CHECK(meas_len > 0, "recommended_chunk_length: meas_len must be positive");
  std::size_t best = 1, best_len = std::numeric_limits<std::size_t>::max();
  const std::size_t limit = std::min<std::size_t>(meas_len, 4 * detail::isqrt(meas_len) + 4);
  for (std::size_t c = 1; c <= limit; ++c) {
    const std::size_t calls = ceil_div(meas_len, c);
    const std::size_t p = next_power_of_2(1 + calls);
    const std::size_t len = 2 * c + 2 * (p - 1) + 1;
    if (len < best_len) {
      best_len = len;
      best = c;
    }
  }
  return best;
}

namespace detail {
/// recommended_chunk_length of MEAS_LEN = length·per + extra, or invalid_argument naming `who`
/// when that is 0 or beyond FlpLimits::MAX_MEAS_LEN (no such instance can be built).
/// @param who the instance's name, for the error message.
/// @param length the instance's length parameter, >= 1.
/// @param per encoded elements per entry (>= 1).
/// @param extra encoded elements besides the entries.
/// @return recommended_chunk_length(length·per + extra).
/// @throws invalid_argument if length or per is 0, or length·per + extra > MAX_MEAS_LEN.
inline std::size_t chunk_for(const char* who, std::size_t length, std::size_t per,
                             std::size_t extra) {
  constexpr std::size_t kMax = FlpLimits::MAX_MEAS_LEN;
  VDAF_ARG_CHECK(length > 0 && per > 0 && length <= (kMax - std::min(extra, kMax)) / per,
                 std::string(who) + "::recommended_chunk_length: length must be in 1.." +
                     "MEAS_LEN limit (FlpLimits::MAX_MEAS_LEN)");
  return recommended_chunk_length(length * per + extra);
}
/// bit_length(max) for max >= 1 (the range-checked encoding's width), 1 for 0 (refused later).
/// @param max the largest value to encode.
/// @return bit_length(max), or 1 for max == 0.
constexpr std::size_t bits_of(std::uint64_t max) noexcept {
  return max == 0 ? 1 : static_cast<std::size_t>(std::bit_width(max));
}
}  // namespace detail

VDAF_END_NAMESPACE
