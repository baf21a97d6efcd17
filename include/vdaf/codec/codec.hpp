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
  /// Starts reading `data` at offset 0. Does not copy: `data` must outlive the reader.
  /// @param data the encoded bytes (any length).
  /// @param what name of the structure being decoded, used in error messages; a
  ///        NUL-terminated string that must outlive the reader (not null).
  Reader(ByteSpan data, const char* what) noexcept : data_(data), what_(what) {}

  /// Returns the next `n` bytes and advances past them.
  /// @param n number of bytes to read.
  /// @return a view of `n` bytes into the reader's input (no copy).
  /// @throws decode_error if fewer than `n` bytes remain.
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
  /// Reads one byte.
  /// @return the next byte.
  /// @throws decode_error if no byte remains.
  std::uint8_t u8() { return take(1)[0]; }
  /// Reads a 2-byte big-endian unsigned integer (e.g. the Poplar1 `level`, §8.2.6).
  /// @return the decoded integer.
  /// @throws decode_error if fewer than 2 bytes remain.
  std::uint16_t be16() {
    auto b = take(2);
    return static_cast<std::uint16_t>((b[0] << 8) | b[1]);
  }
  /// Reads a 4-byte big-endian unsigned integer (§5.7.1 length prefixes).
  /// @return the decoded integer.
  /// @throws decode_error if fewer than 4 bytes remain.
  std::uint32_t be32() {
    auto b = take(4);
    return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
           std::uint32_t{b[3]};
  }
  /// Number of bytes left.
  /// @return the number of bytes not yet read.
  std::size_t remaining() const noexcept { return data_.size() - pos_; }
  /// Current read offset.
  /// @return the offset of the next byte to read (bytes consumed so far).
  std::size_t position() const noexcept { return pos_; }

  /// Checks that the whole input was consumed.
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

/// Appends `v` as 2 big-endian bytes to `out` (e.g. the Poplar1 `level`, §8.2.6).
/// @param out buffer to append to (grows by 2 bytes).
/// @param v the integer to write.
inline void put_be16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}
/// Appends `v` as 4 big-endian bytes to `out` (§5.7.1 length prefixes).
/// @param out buffer to append to (grows by 4 bytes).
/// @param v the integer to write.
inline void put_be32(Bytes& out, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(v >> s));
}

VDAF_END_NAMESPACE
