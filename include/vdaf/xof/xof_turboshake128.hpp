// XofTurboShake128 (draft-irtf-cfrg-vdaf-20 §6.2.1) and the XOF helpers of §6.2.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vdaf/core/bytes.hpp"
#include "vdaf/ct/ct.hpp"
#include "vdaf/errors.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/xof/turboshake128.hpp"
#include "vdaf/xof/xof.hpp"

VDAF_BEGIN_NAMESPACE

/// XofTurboShake128 of §6.2.1: the stream TurboSHAKE128(M, D = 1) with
/// M = le16(len(dst)) ‖ dst ‖ u8(len(seed)) ‖ seed ‖ binder.
/// SEED_SIZE = 32, but any seed of 0..255 bytes is accepted (the IDPF leaf uses
/// 16). Constant-time: yes (no secret-dependent branch or index).
class XofTurboShake128 : public XofOps<XofTurboShake128> {
 public:
  static constexpr std::size_t SEED_SIZE = 32;

  /// Starts a stream. `binder` may be given in pieces (absorbed in order).
  /// @throws invalid_argument if len(seed) > 255 or len(dst) > 65535.
  XofTurboShake128(ByteSpan seed, ByteSpan dst, std::initializer_list<ByteSpan> binder) {
    absorb_prefix(seed, dst);
    for (ByteSpan b : binder) ts_.absorb(b);
    ts_.finalize(0x01);
  }
  /// Spec: XofTurboShake128(seed, dst, binder).
  XofTurboShake128(ByteSpan seed, ByteSpan dst, ByteSpan binder)
      : XofTurboShake128(seed, dst, {binder}) {}

  /// Starts a stream whose binder will be absorbed with `absorb_binder`, then
  /// `finish_binder()` (for binders too long to build in memory at once).
  struct Streaming {};
  XofTurboShake128(Streaming, ByteSpan seed, ByteSpan dst) { absorb_prefix(seed, dst); }
  void absorb_binder(ByteSpan b) noexcept { ts_.absorb(b); }
  void finish_binder() noexcept { ts_.finalize(0x01); }

  /// The next `out.size()` bytes of the stream.
  void next(std::span<std::uint8_t> out) noexcept { ts_.squeeze(out); }

 private:
  void absorb_prefix(ByteSpan seed, ByteSpan dst) {
    VDAF_ARG_CHECK(seed.size() <= 255, "XofTurboShake128: seed longer than 255 bytes");
    VDAF_ARG_CHECK(dst.size() <= 65535, "XofTurboShake128: dst longer than 65535 bytes");
    const std::uint8_t dlen[2] = {static_cast<std::uint8_t>(dst.size()),
                                  static_cast<std::uint8_t>(dst.size() >> 8)};
    ts_.absorb(dlen);
    ts_.absorb(dst);
    const std::uint8_t slen[1] = {static_cast<std::uint8_t>(seed.size())};
    ts_.absorb(slen);
    ts_.absorb(seed);
  }
  TurboShake128 ts_;
};

VDAF_END_NAMESPACE
