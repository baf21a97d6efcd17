// XofTurboShake128 (draft-irtf-cfrg-vdaf-20 §6.2.1) and the XOF helpers of §6.2.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <vector>

#include "vdaf/core/bytes.hpp"
#include "vdaf/core/small_vector.hpp"
#include "vdaf/ct/ct.hpp"
#include "vdaf/ct/poison.hpp"
#include "vdaf/errors.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/xof/turboshake128.hpp"
#include "vdaf/xof/xof.hpp"

VDAF_BEGIN_NAMESPACE

/// One stream of XofTurboShake128::expand_many: the field elements
/// expand_into_vec(seed, dst, binder[0] ‖ binder[1], out.size()) are written to `out`.
template <Field F>
struct XofExpandRequest {
  ByteSpan seed;  ///< the seed (XofTurboShake128: 0..255 bytes; XofHmacSha256Aes128: 32 bytes).
  ByteSpan dst;   ///< the domain-separation tag (§6.2.3).
  /// The binder string in two pieces, concatenated (binder[0] ‖ binder[1]); either may be empty.
  std::array<ByteSpan, 2> binder{};  // concatenated; either part may be empty
  std::span<F> out;  ///< receives the out.size() sampled elements; must not overlap other outs.
};

/// XofTurboShake128 of §6.2.1: the stream TurboSHAKE128(M, D = 1) with
/// M = le16(len(dst)) ‖ dst ‖ u8(len(seed)) ‖ seed ‖ binder.
/// SEED_SIZE = 32, but any seed of 0..255 bytes is accepted (the IDPF leaf uses
/// 16). Constant-time: yes (no secret-dependent branch or index).
class XofTurboShake128 : public XofOps<XofTurboShake128> {
 public:
  /// SEED_SIZE of §6.2.1: 32 bytes (the length of derive_seed's output).
  static constexpr std::size_t SEED_SIZE = 32;
  /// The spec's name (identifies the XOF in stored-state digests).
  static constexpr const char* NAME = "XofTurboShake128";

  /// Starts a stream. `binder` may be given in pieces (absorbed in order).
  /// Spec: XofTurboShake128(seed, dst, binder), §6.2.1. Constant-time.
  /// @param seed  0..255 bytes (SEED_SIZE = 32 normally; 16 for the IDPF leaf).
  /// @param dst  the domain-separation tag, 0..65535 bytes (§6.2.3).
  /// @param binder  the pieces of the binder string, concatenated in order (any lengths).
  /// @throws invalid_argument if len(seed) > 255 or len(dst) > 65535.
  XofTurboShake128(ByteSpan seed, ByteSpan dst, std::initializer_list<ByteSpan> binder) {
    absorb_prefix(seed, dst);
    for (ByteSpan b : binder) ts_.absorb(b);
    ts_.finalize(0x01);
  }
  /// Spec: XofTurboShake128(seed, dst, binder), §6.2.1, with the binder in one piece.
  /// Constant-time.
  /// @param seed  0..255 bytes (SEED_SIZE = 32 normally; 16 for the IDPF leaf).
  /// @param dst  the domain-separation tag, 0..65535 bytes (§6.2.3).
  /// @param binder  the binder string (any length).
  /// @throws invalid_argument if len(seed) > 255 or len(dst) > 65535.
  XofTurboShake128(ByteSpan seed, ByteSpan dst, ByteSpan binder)
      : XofTurboShake128(seed, dst, {binder}) {}

  /// Tag type selecting the streaming constructor: a stream whose binder will be absorbed with
  /// `absorb_binder`, then `finish_binder()` (for binders too long to build in memory at once).
  struct Streaming {};
  /// Starts a stream in binder-absorbing mode: absorbs le16(len(dst)) ‖ dst ‖ u8(len(seed)) ‖
  /// seed; the binder follows with absorb_binder, then finish_binder() before any next().
  /// Constant-time.
  /// @param seed  0..255 bytes (SEED_SIZE = 32 normally).
  /// @param dst  the domain-separation tag, 0..65535 bytes (§6.2.3).
  /// @throws invalid_argument if len(seed) > 255 or len(dst) > 65535.
  XofTurboShake128(Streaming, ByteSpan seed, ByteSpan dst) { absorb_prefix(seed, dst); }
  /// Absorbs the next piece of the binder (Streaming mode, before finish_binder).
  /// Constant-time. noexcept.
  /// @param b  the next bytes of the binder (any length, including 0).
  void absorb_binder(ByteSpan b) noexcept { ts_.absorb(b); }
  /// Ends the binder (TurboSHAKE128 finalization with D = 0x01) and switches to the output
  /// stream. Call exactly once, in Streaming mode (checked by assert in debug builds).
  /// Constant-time. noexcept.
  void finish_binder() noexcept { ts_.finalize(0x01); }

  /// The next `out.size()` bytes of the stream (calls continue where the previous one stopped).
  /// Spec: XofTurboShake128.next, §6.2.1. Constant-time. noexcept.
  /// @param out  receives the next `out.size()` bytes (any length, including 0).
  void next(std::span<std::uint8_t> out) noexcept { ts_.squeeze(out); }

  /// xs[k]->absorb_binder(data[k]) for every k, the permutations of all streams run together
  /// (TurboShake128::absorb_many). Streams made with Streaming{}, distinct; sizes equal.
  /// Constant-time: yes. noexcept.
  /// @param xs  the streams (Streaming mode, binder not finished, distinct), any number.
  /// @param data  data[k] is the next piece of the binder of xs[k]; data.size() == xs.size().
  static void absorb_binder_many(std::span<XofTurboShake128* const> xs,
                                 std::span<const ByteSpan> data) noexcept {
    for (std::size_t g = 0; g < xs.size(); g += TurboShake128::BATCH_GROUP) {
      const std::size_t n = std::min(TurboShake128::BATCH_GROUP, xs.size() - g);
      TurboShake128* ts[TurboShake128::BATCH_GROUP];
      for (std::size_t k = 0; k < n; ++k) ts[k] = &xs[g + k]->ts_;
      TurboShake128::absorb_many(std::span<TurboShake128* const>(ts, n), data.subspan(g, n));
    }
  }
  /// src.next(out), then dst.absorb_binder(out), the permutations of the two streams run
  /// together (TurboShake128::squeeze_absorb): for a binder that is another stream's output,
  /// as the Prio3 helper's joint-randomness part hashes its expanded measurement share.
  /// Constant-time: yes. noexcept.
  /// @param src  the stream read (binder finished).
  /// @param dst  the stream absorbing (Streaming mode, binder not finished), distinct from src.
  /// @param out  receives the next out.size() bytes of src (any length, including 0).
  static void next_into_binder(XofTurboShake128& src, XofTurboShake128& dst,
                               std::span<std::uint8_t> out) noexcept {
    TurboShake128::squeeze_absorb(src.ts_, dst.ts_, out);
  }
  /// xs[k]->finish_binder() for every k, the final permutations run together.
  /// Constant-time. noexcept.
  /// @param xs  the streams (Streaming mode, binder not finished yet, distinct), any number.
  static void finish_binder_many(std::span<XofTurboShake128* const> xs) noexcept {
    for (std::size_t g = 0; g < xs.size(); g += TurboShake128::BATCH_GROUP) {
      const std::size_t n = std::min(TurboShake128::BATCH_GROUP, xs.size() - g);
      TurboShake128* ts[TurboShake128::BATCH_GROUP];
      for (std::size_t k = 0; k < n; ++k) ts[k] = &xs[g + k]->ts_;
      TurboShake128::finalize_many(std::span<TurboShake128* const>(ts, n), 0x01);
    }
  }

  /// Batch §6.2 expand_into_vec: for every request r, writes to r.out the r.out.size() elements
  /// XofTurboShake128(r.seed, r.dst, r.binder[0] ‖ r.binder[1]).next_vec(r.out.size()) (rejection
  /// sampling as in next_vec_from, so byte-identical to one stream at a time). The streams are
  /// independent and their Keccak permutations run together, 4 per SIMD pass where compiled in
  /// (TurboShake128::squeeze_many); requests are taken 8 at a time. Each stream's message is
  /// stored into its fresh sponge in one go and its first output block sampled in place (no
  /// staging copy). Outputs must not overlap.
  /// @throws invalid_argument if a seed is longer than 255 bytes or a dst longer than 65535 (before
  /// writing anything).
  /// Constant-time except for the (public, negligibly likely) rejection events.
  /// @tparam F  the field to sample.
  /// @param reqs  the requests (any number); each r.out receives r.out.size() elements.
  template <Field F>
  static void expand_many(std::span<const XofExpandRequest<F>> reqs) {
    for (const auto& r : reqs) {
      VDAF_ARG_CHECK(r.seed.size() <= 255, "XofTurboShake128: seed longer than 255 bytes");
      VDAF_ARG_CHECK(r.dst.size() <= 65535, "XofTurboShake128: dst longer than 65535 bytes");
    }
    constexpr std::size_t kGroup = 8, kChunk = 64;
    for (std::size_t g = 0; g < reqs.size(); g += kGroup) {
      const std::size_t n = std::min(kGroup, reqs.size() - g);
      InplaceArray<XofTurboShake128, kGroup> xs;
      TurboShake128* ts[kGroup];
      for (std::size_t k = 0; k < n; ++k) {
        ts[k] =
            &xs.emplace_back(Request{}, reqs[g + k].seed, reqs[g + k].dst, reqs[g + k].binder).ts_;
      }
      TurboShake128::finalize_many(std::span<TurboShake128* const>(ts, n), 0x01);
      // The first block is sampled in place (TurboShake128::squeeze_with): for outputs of up to
      // RATE / ENCODED_SIZE elements (Prio3Count's, Sum's, most query randomness) that is all of
      // it, with no copy and no staging buffer to wipe.
      std::size_t used[kGroup] = {}, done[kGroup];
      for (std::size_t k = 0; k < n; ++k) {
        const std::span<F> out = reqs[g + k].out;
        const std::size_t e = std::min(out.size(), ts[k]->block_remaining() / F::ENCODED_SIZE);
        ts[k]->squeeze_with(e * F::ENCODED_SIZE, [&](const std::uint8_t* bytes) {
          done[k] = sample_chunk<F>(bytes, e, out.data());
        });
      }
      std::uint8_t buf[kGroup][kChunk * F::ENCODED_SIZE];
      for (;;) {
        std::span<std::uint8_t> outs[kGroup];
        bool any = false;
        for (std::size_t k = 0; k < n; ++k) {
          const std::size_t want = std::min(kChunk, reqs[g + k].out.size() - done[k]);
          outs[k] = std::span<std::uint8_t>(buf[k], want * F::ENCODED_SIZE);
          used[k] = std::max(used[k], outs[k].size());
          any = any || want != 0;
        }
        if (!any) break;
        TurboShake128::squeeze_many(std::span<TurboShake128* const>(ts, n),
                                    std::span<const std::span<std::uint8_t>>(outs, n));
        for (std::size_t k = 0; k < n; ++k) {
          done[k] += sample_chunk<F>(buf[k], outs[k].size() / F::ENCODED_SIZE,
                                     reqs[g + k].out.data() + done[k]);
        }
      }
      for (std::size_t k = 0; k < n; ++k) secure_zero(buf[k], used[k]);
    }
  }

 private:
  struct Request {};  // passkey: only expand_many makes its streams this way

 public:
  /// Internal to expand_many (its tag type is private): the stream with M = le16(len(dst)) ‖ dst
  /// ‖ u8(len(seed)) ‖ seed ‖ binder[0] ‖ binder[1] absorbed in one go (TurboShake128's pieces
  /// constructor) and finalized by the caller; lengths checked by the caller.
  /// @param seed  0..255 bytes.
  /// @param dst  the domain-separation tag, 0..65535 bytes.
  /// @param binder  the binder in two pieces (binder[0] ‖ binder[1]).
  XofTurboShake128(Request, ByteSpan seed, ByteSpan dst, const std::array<ByteSpan, 2>& binder)
      : ts_([&] {
          const std::uint8_t lens[3] = {static_cast<std::uint8_t>(dst.size()),
                                        static_cast<std::uint8_t>(dst.size() >> 8),
                                        static_cast<std::uint8_t>(seed.size())};
          return TurboShake128(std::array<ByteSpan, 6>{
              ByteSpan(lens, 2), dst, ByteSpan(lens + 2, 1), seed, binder[0], binder[1]});
        }()) {}

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
