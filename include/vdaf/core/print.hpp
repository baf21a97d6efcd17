// Printing what the library returns: 128-bit integers (SumVec and L1BoundSum results), field
// elements and vectors of either, as decimal text. Neither printf nor `<<` prints
// `unsigned __int128`; `vdaf::to_string` does.
#pragma once

#include <array>
#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <vector>

#include "vdaf/config.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/field/field255.hpp"

VDAF_BEGIN_NAMESPACE

/// Decimal text of a 128-bit unsigned integer (e.g. an entry of Prio3SumVec's result), 1 to 39
/// digits. Not constant-time (use on public values). Throws only std::bad_alloc.
/// @param v The integer.
/// @return Its decimal digits, no sign or leading zeros ("0" for zero).
inline std::string to_string(uint128 v) {
  char buf[40];
  char* p = buf + sizeof buf;
  do {
    *--p = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  } while (v != 0);
  return std::string(p, buf + sizeof buf);
}

/// Decimal text of a field element's canonical integer in [0, p). Not constant-time (use on
/// public values: aggregates, not shares).
/// @param x The element.
/// @return Decimal digits of its integer in [0, p).
inline std::string to_string(const Field64& x) { return to_string(uint128{x.as_int()}); }
/// Decimal text of a Field128 element's canonical integer in [0, p). Not constant-time.
/// @param x The element.
/// @return Decimal digits of its integer in [0, p).
inline std::string to_string(const Field128& x) { return to_string(x.as_int()); }
/// Decimal text of a Field255 element's canonical integer in [0, 2^255 − 19). Not constant-time.
/// @param x The element.
/// @return Decimal digits of its integer in [0, p).
inline std::string to_string(const Field255& x) {
  std::array<std::uint64_t, 4> limbs = x.as_int();  // little-endian 64-bit limbs
  std::string digits;
  bool zero = false;
  while (!zero) {  // divide the 256-bit number by 10, collecting remainders
    uint128 rem = 0;
    zero = true;
    for (std::size_t i = limbs.size(); i-- > 0;) {
      const uint128 cur = (rem << 64) | limbs[i];
      limbs[i] = static_cast<std::uint64_t>(cur / 10);
      rem = cur % 10;
      zero = zero && limbs[i] == 0;
    }
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(rem)));
  }
  return digits;
}

/// "[a, b, c]": the decimal text of each element (uint128 or a field element), comma-separated.
/// Not constant-time.
/// @tparam T uint128 or a field type (anything with a to_string overload).
/// @param v The elements.
/// @return "[" + the elements separated by ", " + "]" ("[]" when empty).
template <class T>
requires requires(const T& t) { to_string(t); }
std::string to_string(std::span<const T> v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i != 0) out += ", ";
    out += to_string(v[i]);
  }
  return out + "]";
}
/// "[a, b, c]" of a vector (e.g. `vdaf::to_string(sum_vec.unshard(...))`). Not constant-time.
/// @tparam T uint128 or a field type (anything with a to_string overload).
/// @tparam A The vector's allocator.
/// @param v The elements.
/// @return "[" + the elements separated by ", " + "]" ("[]" when empty).
template <class T, class A>
requires requires(const T& t) { to_string(t); }
std::string to_string(const std::vector<T, A>& v) {
  return to_string(std::span<const T>(v.data(), v.size()));
}

/// Writes the decimal text of a field element (found by argument-dependent lookup: `std::cout <<
/// Field64::from_u64(7)`). Not constant-time.
/// @param os Output stream.
/// @param x The element.
/// @return os.
template <class CharT, class Traits>
std::basic_ostream<CharT, Traits>& operator<<(std::basic_ostream<CharT, Traits>& os,
                                              const Field64& x) {
  return os << to_string(x).c_str();
}
/// Writes the decimal text of a Field128 element. Not constant-time.
/// @param os Output stream.
/// @param x The element.
/// @return os.
template <class CharT, class Traits>
std::basic_ostream<CharT, Traits>& operator<<(std::basic_ostream<CharT, Traits>& os,
                                              const Field128& x) {
  return os << to_string(x).c_str();
}
/// Writes the decimal text of a Field255 element. Not constant-time.
/// @param os Output stream.
/// @param x The element.
/// @return os.
template <class CharT, class Traits>
std::basic_ostream<CharT, Traits>& operator<<(std::basic_ostream<CharT, Traits>& os,
                                              const Field255& x) {
  return os << to_string(x).c_str();
}

VDAF_END_NAMESPACE
