// Field128 test values shared by the SIMD tests: uniform elements, and the edge values where
// limb and reduction bugs show (0, 1, p − 1, p − 2, 2^127, 2^128 − p − 1 as integers, and raw
// Montgomery words near p).
#pragma once

#include <cstdint>
#include <random>

#include "vdaf/field/field.hpp"

namespace vdaf_test {

/// One of the edge values, chosen by `rng`.
inline vdaf::Field128 field128_edge_value(std::mt19937_64& rng) {
  using F = vdaf::Field128;
  using U128 = F::Int;
  switch (rng() % 8) {
    case 0:
      return F::zero();
    case 1:
      return F::one();
    case 2:
      return F::from_int(F::MODULUS - 1);
    case 3:
      return F::from_int(F::MODULUS - 2);
    case 4:
      return F::from_int(U128{1} << 127);
    case 5:
      return F::limbs(0, F::P1);  // raw word p − 1
    case 6:
      return F::limbs(~std::uint64_t{0}, F::P1 - 1);  // raw word p − 2
    default:
      return F::from_int(~U128{0} - F::MODULUS);
  }
}

/// A uniform element (a uniform 128-bit integer reduced mod p).
inline vdaf::Field128 field128_random_value(std::mt19937_64& rng) {
  const vdaf::Field128::Int x = (static_cast<vdaf::Field128::Int>(rng()) << 64) | rng();
  return vdaf::Field128::from_int(x);
}

}  // namespace vdaf_test
