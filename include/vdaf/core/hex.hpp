// Hexadecimal helpers for tools, tests and examples (not constant-time).
#pragma once

#include <string>
#include <string_view>

#include "vdaf/core/bytes.hpp"
#include "vdaf/errors.hpp"

VDAF_BEGIN_NAMESPACE

/// Lower-case hex of `b`. Not constant-time: for public data.
/// @param b The bytes.
/// @return 2·len(b) characters.
inline std::string to_hex(ByteSpan b) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  s.reserve(2 * b.size());
  for (std::uint8_t x : b) {
    s.push_back(digits[x >> 4]);
    s.push_back(digits[x & 15]);
  }
  return s;
}

/// Parses hex (either case, even length, no prefix or separators). Not constant-time: for
/// public data.
/// @param s The hex text.
/// @return len(s)/2 bytes.
/// @throws decode_error on odd length or a non-hex character.
inline Bytes from_hex(std::string_view s) {
  if (s.size() % 2 != 0) VDAF_THROW(decode_error, "from_hex: odd number of hex digits");
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    VDAF_THROW(decode_error, std::string("from_hex: not a hex digit: '") + c + "'");
  };
  Bytes out(s.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::uint8_t>((nib(s[2 * i]) << 4) | nib(s[2 * i + 1]));
  }
  return out;
}

VDAF_END_NAMESPACE
