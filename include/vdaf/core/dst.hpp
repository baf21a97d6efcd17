// Domain-separation tags (draft-irtf-cfrg-vdaf-20 §5 / §6.2.3).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "vdaf/core/bytes.hpp"
#include "vdaf/errors.hpp"
#include "vdaf/version.hpp"

VDAF_BEGIN_NAMESPACE

/// format_dst(class, algo, usage) ‖ ctx: u8(VERSION) ‖ u8(class) ‖ be32(algo) ‖
/// be16(usage) ‖ ctx (8 + len(ctx) bytes). Spec: §6.2.3.
/// @param dst_class 0 for a VDAF, 1 for the IDPF.
/// @param algo The algorithm ID (the VDAF's codepoint; 0 for the IDPF).
/// @param usage The usage value of the derivation.
/// @param ctx The application context, appended raw.
/// @return The tag, 8 + len(ctx) bytes.
/// @throws invalid_argument if the result would exceed 65535 bytes (the XOF limit).
inline Bytes format_dst(std::uint8_t dst_class, std::uint32_t algo, std::uint16_t usage,
                        ByteSpan ctx = {}) {
  VDAF_ARG_CHECK(ctx.size() <= 65535 - 8, "ctx longer than 65527 bytes");
  // Sized up front (not insert-after-init): g++ 12 -O3 warns falsely on the latter.
  Bytes d(8 + ctx.size());
  d[0] = VERSION;
  d[1] = dst_class;
  d[2] = static_cast<std::uint8_t>(algo >> 24);
  d[3] = static_cast<std::uint8_t>(algo >> 16);
  d[4] = static_cast<std::uint8_t>(algo >> 8);
  d[5] = static_cast<std::uint8_t>(algo);
  d[6] = static_cast<std::uint8_t>(usage >> 8);
  d[7] = static_cast<std::uint8_t>(usage);
  std::copy(ctx.begin(), ctx.end(), d.begin() + 8);
  return d;
}

/// The domain-separation tags format_dst(class, algo, usage) ‖ ctx of one (class, algo, ctx) for
/// any usage, built once: `get(usage)` only rewrites the two usage bytes. Saves the allocation and
/// copy of format_dst when an operation derives several XOF streams (Prio3 uses up to 7 usages per
/// call). Storage is inline for ctx up to INLINE_CTX bytes, on the heap beyond.
/// Not copyable or movable (the view points into the object).
class DstBuffer {
 public:
  /// ctx bytes kept inline (longer contexts use one heap allocation).
  static constexpr std::size_t INLINE_CTX = 120;

  /// Spec: §6.2.3 format_dst (u8(VERSION) ‖ u8(class) ‖ be32(algo) ‖ be16(usage)) ‖ ctx.
  /// @param dst_class 0 for a VDAF, 1 for the IDPF.
  /// @param algo The algorithm ID (the VDAF's codepoint; 0 for the IDPF).
  /// @param ctx The application context, copied into the buffer.
  /// @param max_dst The longest dst the XOF accepts (65535 for XofTurboShake128, 255 for
  ///        XofHmacSha256Aes128); values above 65535 are treated as 65535.
  /// @throws invalid_argument if 8 + len(ctx) > max_dst (the message gives the ctx limit).
  DstBuffer(std::uint8_t dst_class, std::uint32_t algo, ByteSpan ctx, std::size_t max_dst = 65535) {
    const std::size_t max_ctx = std::min<std::size_t>(max_dst, 65535) - 8;
    VDAF_ARG_CHECK(ctx.size() <= max_ctx, "ctx longer than " + std::to_string(max_ctx) +
                                              " bytes (got " + std::to_string(ctx.size()) + ")");
    size_ = 8 + ctx.size();
    if (ctx.size() <= INLINE_CTX) {
      p_ = inline_;
    } else {
      heap_.resize(size_);
      p_ = heap_.data();
    }
    p_[0] = VERSION;
    p_[1] = dst_class;
    p_[2] = static_cast<std::uint8_t>(algo >> 24);
    p_[3] = static_cast<std::uint8_t>(algo >> 16);
    p_[4] = static_cast<std::uint8_t>(algo >> 8);
    p_[5] = static_cast<std::uint8_t>(algo);
    p_[6] = 0;
    p_[7] = 0;
    if (!ctx.empty()) std::copy(ctx.begin(), ctx.end(), p_ + 8);
  }
  /// Not copyable (the views returned by get() point into the object).
  DstBuffer(const DstBuffer&) = delete;
  /// Not assignable.
  DstBuffer& operator=(const DstBuffer&) = delete;

  /// The tag for `usage` (8 + len(ctx) bytes, equal to format_dst(class, algo, usage, ctx)). The
  /// view stays valid until the next get() or the end of the object: consume it before asking for
  /// another usage.
  /// @param usage The usage value of the derivation.
  /// @return A view of the 8 + len(ctx) bytes of the tag.
  ByteSpan get(std::uint16_t usage) noexcept {
    p_[6] = static_cast<std::uint8_t>(usage >> 8);
    p_[7] = static_cast<std::uint8_t>(usage);
    return ByteSpan(p_, size_);
  }

 private:
  std::uint8_t inline_[8 + INLINE_CTX];
  Bytes heap_;
  std::uint8_t* p_ = nullptr;
  std::size_t size_ = 0;
};

VDAF_END_NAMESPACE
