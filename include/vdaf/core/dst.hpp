// Domain-separation tags (draft-irtf-cfrg-vdaf-20 §5 / §6.2.3).
#pragma once

#include <cstdint>

#include "vdaf/core/bytes.hpp"
#include "vdaf/errors.hpp"
#include "vdaf/version.hpp"

VDAF_BEGIN_NAMESPACE

/// format_dst(class, algo, usage) ‖ ctx: u8(VERSION) ‖ u8(class) ‖ be32(algo) ‖
/// be16(usage) ‖ ctx (8 + len(ctx) bytes). @throws invalid_argument if the
/// result would exceed 65535 bytes (the XOF limit).
inline Bytes format_dst(std::uint8_t dst_class, std::uint32_t algo, std::uint16_t usage,
                        ByteSpan ctx = {}) {
  VDAF_ARG_CHECK(ctx.size() <= 65535 - 8, "ctx longer than 65527 bytes");
  Bytes d{VERSION,
          dst_class,
          static_cast<std::uint8_t>(algo >> 24),
          static_cast<std::uint8_t>(algo >> 16),
          static_cast<std::uint8_t>(algo >> 8),
          static_cast<std::uint8_t>(algo),
          static_cast<std::uint8_t>(usage >> 8),
          static_cast<std::uint8_t>(usage)};
  append(d, ctx);
  return d;
}

VDAF_END_NAMESPACE
