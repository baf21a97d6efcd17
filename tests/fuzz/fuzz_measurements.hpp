// Valid measurements for the Prio3 instances the fuzz targets use (Count, Sum(255),
// SumVec(10, 1, 3), Histogram(10, 3), MultihotCountVec(10, 2, 3), L1BoundSum(10, 255, 4),
// 0xFFFF1003 (10, 1, 3, 3 proofs)), from one input byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "vdaf/prio3.hpp"

namespace vdaf_fuzz {

/// A valid measurement of V's circuit from one input byte.
template <class V>
typename V::Measurement prio3_measurement_of(std::uint8_t b) {
  using M = typename V::Measurement;
  if constexpr (std::is_same_v<V, vdaf::Prio3Count>) {
    return M{b & 1U};
  } else if constexpr (std::is_same_v<V, vdaf::Prio3Sum>) {
    return M{b};
  } else if constexpr (std::is_same_v<V, vdaf::Prio3L1BoundSum>) {
    M m(10);
    m[b % 10U] = b;  // sum b <= max_value 255
    return m;
  } else if constexpr (std::is_same_v<V, vdaf::Prio3SumVec> ||
                       std::is_same_v<V, vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128>) {
    M m(10);
    for (std::size_t i = 0; i < 8; ++i) m[i] = (b >> i) & 1U;
    return m;
  } else if constexpr (std::is_same_v<V, vdaf::Prio3Histogram>) {
    return M{b % 10U};
  } else {
    M m(10);
    m[b % 10U] = true;
    m[(b / 10U) % 10U] = true;  // at most max_weight = 2 entries set
    return m;
  }
}

}  // namespace vdaf_fuzz
