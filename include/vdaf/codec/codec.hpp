// Bounds-checked byte reader and writer for the encodings of §5.7 / §7.2.7.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "vdaf/core/bytes.hpp"
#include "vdaf/errors.hpp"

VDAF_BEGIN_NAMESPACE

/// Reads from a byte string front to back. Every read checks bounds and throws
/// `decode_error` naming `what` (the structure being decoded) when short;
/// `finish()` throws if bytes remain. Not constant-time in lengths (public).
class Reader {
 public:
  Reader(ByteSpan data, const char* what) noexcept : data_(data), what_(what) {}

  /// Returns the next `n` bytes. @throws decode_error if fewer remain.
  ByteSpan take(std::size_t n) {
    if (n > remaining()) {
      VDAF_THROW(decode_error, std::string(what_) + ": truncated (needed " + std::to_string(n) +
                                   " more bytes at offset " + std::to_string(pos_) + ", have " +
                                   std::to_string(remaining()) + ")");
    }
    ByteSpan s = data_.subspan(pos_, n);
    pos_ += n;
    return s;
  }
  std::uint8_t u8() { return take(1)[0]; }
  std::uint16_t be16() {
    auto b = take(2);
    return static_cast<std::uint16_t>((b[0] << 8) | b[1]);
  }
  std::uint32_t be32() {
    auto b = take(4);
    return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
           std::uint32_t{b[3]};
  }
  std::size_t remaining() const noexcept { return data_.size() - pos_; }
  std::size_t position() const noexcept { return pos_; }

  /// @throws decode_error if any byte is left unread (encodings are strict).
  void finish() const {
    if (remaining() != 0) {
      VDAF_THROW(decode_error,
                 std::string(what_) + ": " + std::to_string(remaining()) + " trailing bytes");
    }
  }

 private:
  ByteSpan data_;
  const char* what_;
  std::size_t pos_ = 0;
};

/// Big-endian integer writers.
inline void put_be16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}
inline void put_be32(Bytes& out, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(v >> s));
}

VDAF_END_NAMESPACE
