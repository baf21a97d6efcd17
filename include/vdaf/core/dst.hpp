// Domain-separation tags (draft-irtf-cfrg-vdaf-20 §5 / §6.2.3).
#pragma once

#include <algorithm>
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

VDAF_END_NAMESPACE
