// Byte-string helpers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "vdaf/config.hpp"

VDAF_BEGIN_NAMESPACE

/// An owned byte string (public data: encodings, public shares).
using Bytes = std::vector<std::uint8_t>;

/// A read-only view of bytes.
using ByteSpan = std::span<const std::uint8_t>;

/// Appends `b` to `out`.
inline void append(Bytes& out, ByteSpan b) { out.insert(out.end(), b.begin(), b.end()); }

/// Concatenation of byte strings.
inline Bytes concat(std::initializer_list<ByteSpan> parts) {
  std::size_t n = 0;
  for (auto p : parts) n += p.size();
  Bytes out;
  out.reserve(n);
  for (auto p : parts) append(out, p);
  return out;
}

VDAF_END_NAMESPACE
