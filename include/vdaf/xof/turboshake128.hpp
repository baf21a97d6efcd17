// TurboSHAKE128 (RFC 9861 §2.2), the sponge under XofTurboShake128 (draft-irtf-cfrg-vdaf-20
// §6.2.1) and under the fixed-key derivation of XofFixedKeyAes128 (§6.2.2).
#pragma once

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "vdaf/config.hpp"
#include "vdaf/ct/ct.hpp"
#include "vdaf/detail/keccak_p1600.hpp"
#include "vdaf/detail/simd/keccak_multi.hpp"
#include "vdaf/detail/store_zeros.hpp"

VDAF_BEGIN_NAMESPACE

/// Incremental TurboSHAKE128: absorb any number of byte strings, finalize with a domain-separation
/// byte, then squeeze any number of bytes as one continuous output stream.
///
/// Sponge over Keccak-p[1600, 12] with rate 168 bytes (capacity 256 bits). Holds the 200-byte state
/// and a position; no heap memory. The state is wiped (secure_zero_inline) on destruction and
/// reset. Copying copies the whole sponge (useful to fork a stream after a common prefix).
///
/// Use: absorb()* -> finalize(D) -> squeeze()*; reset() starts over. Calling absorb or finalize
/// after finalize is a precondition violation (checked by assert in debug builds).
/// Spec: RFC 9861 §2.2 (TurboSHAKE128), §3 (KT128 uses it with D = 0x06, 0x07, 0x0B).
/// Constant-time: yes (no data-dependent branches or indices; control flow depends on lengths
/// only).
class TurboShake128 {
 public:
  /// Rate in bytes: input is absorbed and output is squeezed 168 bytes per permutation.
  static constexpr std::size_t RATE = 168;

  /// An empty sponge, ready to absorb. Spec: RFC 9861 §2.2 (all-zero initial state).
  /// Constant-time: yes. noexcept.
  TurboShake128() noexcept { detail::store_zeros(state_, sizeof state_); }

  /// The sponge after absorbing the concatenation of `pieces`: the same state as the default
  /// constructor followed by absorb(piece) for every piece in order. On little-endian hosts the
  /// pieces that fit in the first block are stored straight into the zero state, without loading
  /// it back (XOF stream set-up in batches: no store-to-load stalls, no calls).
  /// Spec: RFC 9861 §2.2. Constant-time: yes (control flow depends on lengths only). noexcept.
  /// @param pieces  the message M in pieces (any number, any lengths, including 0).
  explicit TurboShake128(std::span<const std::span<const std::uint8_t>> pieces) noexcept
      : TurboShake128() {
    std::size_t i = 0;
    if constexpr (std::endian::native == std::endian::little) {
      // Stored while the block is not full (the state is zero there, so storing is absorbing);
      // the first piece that would fill it, and the rest, go through absorb.
      unsigned char* s = reinterpret_cast<unsigned char*>(state_);
      for (; i < pieces.size() && pieces[i].size() < RATE - pos_; ++i) {
        copy_small(s + pos_, pieces[i].data(), pieces[i].size());
        pos_ += pieces[i].size();
      }
    }
    for (; i < pieces.size(); ++i) absorb(pieces[i]);
  }

  /// Copies the whole sponge (state, position, phase): both copies then continue the same stream
  /// independently. The copy holds the same secret state and wipes it on destruction too.
  TurboShake128(const TurboShake128&) noexcept = default;
  /// Replaces this sponge with a copy of the other one (see the copy constructor). The old
  /// state is overwritten, not wiped first (it is replaced in full).
  /// @return `*this`.
  TurboShake128& operator=(const TurboShake128&) noexcept = default;

  /// Wipes the state (secure_zero_inline: stores the compiler keeps, no call). Constant-time: yes.
  ~TurboShake128() { secure_zero_inline(state_, 25); }

  /// Appends `data` (any length, including 0) to the message M. Calls concatenate: absorbing
  /// "ab" then "c" is the same as absorbing "abc".
  /// Precondition: finalize() has not been called since construction or reset().
  /// Spec: RFC 9861 §2.2 (sponge absorbing M in 168-byte blocks).
  /// Constant-time: yes (no data-dependent branches or indices). noexcept.
  /// @param data  the next bytes of M (any length, including 0).
  void absorb(std::span<const std::uint8_t> data) noexcept {
    assert(!finalized_ && "TurboShake128::absorb after finalize");
    const std::uint8_t* p = data.data();
    std::size_t n = data.size();
    if (n == 0) return;
    if (pos_ != 0) {
      const std::size_t take = std::min(n, RATE - pos_);
      xor_bytes(pos_, p, take);
      pos_ += take;
      p += take;
      n -= take;
      if (pos_ < RATE) return;
      detail::keccak_p1600_12(state_);
      pos_ = 0;
    }
    while (n >= RATE) {
      xor_block(p);
      detail::keccak_p1600_12(state_);
      p += RATE;
      n -= RATE;
    }
    if (n != 0) {
      xor_bytes(0, p, n);
      pos_ = n;
    }
  }

  /// Ends the message: pads with the domain-separation byte `domain` and 0x80 at the last byte of
  /// the block (the padding of RFC 9861 §2.2), permutes, and switches to squeezing.
  /// @param domain  D, in 0x01..0x7F (RFC 9861 §2.2); e.g. 0x1F for plain TurboSHAKE128, 0x01 for
  ///                XofTurboShake128, 0x02 for the XofFixedKeyAes128 key.
  /// Precondition: not finalized yet; `domain` in range (both checked by assert in debug builds).
  /// Spec: RFC 9861 §2.2. Constant-time: yes (no data-dependent branches or indices). noexcept.
  void finalize(std::uint8_t domain) noexcept {
    assert(!finalized_ && "TurboShake128::finalize called twice");
    assert(domain >= 0x01 && domain <= 0x7F && "TurboSHAKE domain byte must be in 0x01..0x7F");
    pad(domain);
    detail::keccak_p1600_12(state_);
    pos_ = 0;
    finalized_ = true;
  }

  /// Writes the next `out.size()` bytes (any length, including 0) of the output stream. Calls
  /// continue where the previous one stopped: squeezing 10 then 22 bytes gives the same 32 bytes
  /// as squeezing 32 at once.
  /// Precondition: finalize() has been called.
  /// Spec: RFC 9861 §2.2 (sponge squeezing, 168 bytes per permutation).
  /// Constant-time: yes (no data-dependent branches or indices). noexcept.
  /// @param out  receives the next `out.size()` output bytes.
  void squeeze(std::span<std::uint8_t> out) noexcept {
    assert(finalized_ && "TurboShake128::squeeze before finalize");
    std::uint8_t* p = out.data();
    std::size_t n = out.size();
    while (n != 0) {
      if (pos_ == RATE) {
        detail::keccak_p1600_12(state_);
        pos_ = 0;
      }
      const std::size_t take = std::min(n, RATE - pos_);
      extract_bytes(pos_, p, take);
      pos_ += take;
      p += take;
      n -= take;
    }
  }

  /// Output bytes left in the current block (0..RATE): squeeze_with may take up to this many.
  /// Precondition: finalize() has been called. Constant-time: yes. noexcept.
  /// @return RATE minus the bytes of the current output block already returned.
  std::size_t block_remaining() const noexcept {
    assert(finalized_ && "TurboShake128::block_remaining before finalize");
    return RATE - pos_;
  }

  /// squeeze(n bytes), handing the bytes to `use(const std::uint8_t* bytes)` instead of copying
  /// them out: on little-endian hosts `bytes` points into the state itself (no copy, nothing
  /// else to wipe), elsewhere to a stack buffer wiped afterwards. `bytes` is valid only during
  /// the call. Precondition: finalized, n <= block_remaining() (checked by assert in debug builds).
  /// Spec: RFC 9861 §2.2 (sponge squeezing). Constant-time: yes (as `use` is).
  /// @param n  number of output bytes, 0..block_remaining().
  /// @param use  callable as use(const std::uint8_t*), reading bytes[0 .. n).
  template <class Use>
  void squeeze_with(std::size_t n, Use&& use) {
    assert(finalized_ && n <= RATE - pos_ && "TurboShake128::squeeze_with past the block");
    if constexpr (std::endian::native == std::endian::little) {
      use(reinterpret_cast<const std::uint8_t*>(state_) + pos_);
    } else {
      std::uint8_t buf[RATE];
      extract_bytes(pos_, buf, n);
      use(static_cast<const std::uint8_t*>(buf));
      secure_zero(buf, n);
    }
    pos_ += n;
  }

  // --- batch: several independent sponges at once ---------------------------------------------
  //
  // Each function below has the effect of calling the single-sponge function on every sponge in
  // turn (so results are byte-identical); the Keccak permutations the sponges need at the same
  // step are run together, 4 states per SIMD pass where compiled in (detail/simd/keccak_multi.hpp;
  // one pass costs about as much as 1.3 scalar permutations on Zen 4). The sponges must be
  // distinct objects; `data`/`outs` must have one entry per sponge. Lengths may differ; sponges
  // with less work drop out of later passes. Constant-time: yes (control flow depends on lengths
  // only). noexcept.

  /// Largest number of sponges handled per group (larger spans are processed group by group).
  static constexpr std::size_t BATCH_GROUP = 16;

  /// sponges[k]->absorb(data[k]) for every k. Precondition: none finalized; sizes equal.
  /// Constant-time: yes (control flow depends on lengths only). noexcept.
  /// @param sponges  the sponges (distinct, none finalized), any number.
  /// @param data  data[k] is appended to the message of sponges[k]; data.size() ==
  ///              sponges.size() (checked by assert in debug builds); lengths may differ.
  static void absorb_many(std::span<TurboShake128* const> sponges,
                          std::span<const std::span<const std::uint8_t>> data) noexcept {
    assert(sponges.size() == data.size());
    for (std::size_t g = 0; g < sponges.size(); g += BATCH_GROUP) {
      const std::size_t n = std::min(BATCH_GROUP, sponges.size() - g);
      std::size_t off[BATCH_GROUP] = {};
      for (;;) {
        std::uint64_t* perm[BATCH_GROUP];
        TurboShake128* permuted[BATCH_GROUP];
        std::size_t np = 0;
        for (std::size_t k = 0; k < n; ++k) {
          TurboShake128& t = *sponges[g + k];
          assert(!t.finalized_);
          const std::span<const std::uint8_t> d = data[g + k];
          const std::size_t rem = d.size() - off[k];
          if (rem == 0) continue;
          const std::size_t take = std::min(rem, RATE - t.pos_);
          if (take == RATE) {
            t.xor_block(d.data() + off[k]);
          } else {
            t.xor_bytes(t.pos_, d.data() + off[k], take);
          }
          t.pos_ += take;
          off[k] += take;
          if (t.pos_ == RATE) {
            perm[np] = t.state_;
            permuted[np++] = &t;
          }
        }
        if (np == 0) break;
        detail::keccak_p1600_12_multi(perm, np);
        for (std::size_t i = 0; i < np; ++i) permuted[i]->pos_ = 0;
      }
    }
  }

  /// sponges[k]->finalize(domain) for every k. Precondition as for finalize().
  /// Constant-time: yes. noexcept.
  /// @param sponges  the sponges (distinct, none finalized yet), any number.
  /// @param domain  D for every sponge, in 0x01..0x7F (RFC 9861 §2.2; checked by assert).
  static void finalize_many(std::span<TurboShake128* const> sponges, std::uint8_t domain) noexcept {
    for (std::size_t g = 0; g < sponges.size(); g += BATCH_GROUP) {
      const std::size_t n = std::min(BATCH_GROUP, sponges.size() - g);
      std::uint64_t* perm[BATCH_GROUP];
      for (std::size_t k = 0; k < n; ++k) {
        TurboShake128& t = *sponges[g + k];
        assert(!t.finalized_ && domain >= 0x01 && domain <= 0x7F);
        t.pad(domain);
        perm[k] = t.state_;
      }
      detail::keccak_p1600_12_multi(perm, n);
      for (std::size_t k = 0; k < n; ++k) {
        sponges[g + k]->pos_ = 0;
        sponges[g + k]->finalized_ = true;
      }
    }
  }

  /// sponges[k]->squeeze(outs[k]) for every k. Precondition: all finalized; sizes equal.
  /// Constant-time: yes (control flow depends on lengths only). noexcept.
  /// @param sponges  the sponges (distinct, all finalized), any number.
  /// @param outs  outs[k] receives the next outs[k].size() bytes of sponges[k]; outs.size() ==
  ///              sponges.size() (checked by assert in debug builds); lengths may differ.
  static void squeeze_many(std::span<TurboShake128* const> sponges,
                           std::span<const std::span<std::uint8_t>> outs) noexcept {
    assert(sponges.size() == outs.size());
    for (std::size_t g = 0; g < sponges.size(); g += BATCH_GROUP) {
      const std::size_t n = std::min(BATCH_GROUP, sponges.size() - g);
      std::size_t off[BATCH_GROUP] = {};
      for (;;) {
        std::uint64_t* perm[BATCH_GROUP];
        std::size_t np = 0;
        for (std::size_t k = 0; k < n; ++k) {
          TurboShake128& t = *sponges[g + k];
          assert(t.finalized_);
          if (off[k] < outs[g + k].size() && t.pos_ == RATE) perm[np++] = t.state_;
        }
        detail::keccak_p1600_12_multi(perm, np);
        bool any = false;
        for (std::size_t k = 0; k < n; ++k) {
          TurboShake128& t = *sponges[g + k];
          const std::span<std::uint8_t> o = outs[g + k];
          if (off[k] == o.size()) continue;
          if (t.pos_ == RATE) t.pos_ = 0;  // was permuted above
          const std::size_t take = std::min(o.size() - off[k], RATE - t.pos_);
          t.extract_bytes(t.pos_, o.data() + off[k], take);
          t.pos_ += take;
          off[k] += take;
          any = true;
        }
        if (!any) break;
      }
    }
  }

  /// src.squeeze(out), then dst.absorb(out): the bytes squeezed from one sponge are absorbed
  /// into another, with the two sponges' permutations run together (one multi-lane pass) as
  /// they fall due. Two long chains of permutations that would otherwise run one after the
  /// other (Prio3's helper expands its measurement share and hashes the same bytes into its
  /// joint-randomness part) cost about one chain. Byte-identical to the two calls.
  /// Precondition: `src` finalized, `dst` not finalized, distinct sponges (checked by assert in
  /// debug builds). Constant-time: yes (control flow depends on lengths and positions only).
  /// noexcept.
  /// @param src  the sponge squeezed (finalized).
  /// @param dst  the sponge absorbing the same bytes (not finalized).
  /// @param out  receives the next out.size() bytes of `src` (any length, including 0).
  static void squeeze_absorb(TurboShake128& src, TurboShake128& dst,
                             std::span<std::uint8_t> out) noexcept {
    assert(src.finalized_ && !dst.finalized_ && &src != &dst);
    const std::size_t n = out.size();
    std::size_t produced = 0, absorbed = 0;
    for (;;) {
      if (produced < n && src.pos_ < RATE) {
        const std::size_t take = std::min(n - produced, RATE - src.pos_);
        src.extract_bytes(src.pos_, out.data() + produced, take);
        src.pos_ += take;
        produced += take;
      }
      if (absorbed < produced) {  // dst.pos_ < RATE here (a full block is permuted at once)
        const std::size_t take = std::min(produced - absorbed, RATE - dst.pos_);
        dst.xor_bytes(dst.pos_, out.data() + absorbed, take);
        dst.pos_ += take;
        absorbed += take;
      }
      std::uint64_t* perm[2];
      std::size_t np = 0;
      const bool src_due = produced < n && src.pos_ == RATE, dst_due = dst.pos_ == RATE;
      if (src_due) perm[np++] = src.state_;
      if (dst_due) perm[np++] = dst.state_;
      if (np == 0) {
        if (absorbed == n) return;
        continue;  // nothing due: the two steps above move the next bytes
      }
      detail::keccak_p1600_12_multi(perm, np);
      if (src_due) src.pos_ = 0;
      if (dst_due) dst.pos_ = 0;
    }
  }

  /// Back to the empty sponge of the constructor (old state wiped). Constant-time: yes. noexcept.
  void reset() noexcept {
    secure_zero_inline(state_, 25);
    pos_ = 0;
    finalized_ = false;
  }

 private:
  static std::uint64_t load_le64(const std::uint8_t* p) noexcept {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    if constexpr (std::endian::native == std::endian::big) v = byteswap64(v);
    return v;
  }

  static void store_le64(std::uint8_t* p, std::uint64_t v) noexcept {
    if constexpr (std::endian::native == std::endian::big) v = byteswap64(v);
    std::memcpy(p, &v, 8);
  }

  static constexpr std::uint64_t byteswap64(std::uint64_t v) noexcept {
    v = ((v & 0x00FF00FF00FF00FFULL) << 8) | ((v >> 8) & 0x00FF00FF00FF00FFULL);
    v = ((v & 0x0000FFFF0000FFFFULL) << 16) | ((v >> 16) & 0x0000FFFF0000FFFFULL);
    return (v << 32) | (v >> 32);
  }

  /// Copies n bytes (any n) from p to s with fixed-size moves, no call: two overlapping moves of
  /// the largest size not above n (16-byte moves in a loop beyond 32). The ranges do not overlap.
  static void copy_small(unsigned char* s, const std::uint8_t* p, std::size_t n) noexcept {
    if (n >= 16) {
      for (std::size_t i = 0; i + 16 < n; i += 16) std::memcpy(s + i, p + i, 16);
      std::memcpy(s + n - 16, p + n - 16, 16);
    } else if (n >= 8) {
      std::memcpy(s, p, 8);
      std::memcpy(s + n - 8, p + n - 8, 8);
    } else if (n >= 4) {
      std::memcpy(s, p, 4);
      std::memcpy(s + n - 4, p + n - 4, 4);
    } else if (n >= 2) {
      std::memcpy(s, p, 2);
      std::memcpy(s + n - 2, p + n - 2, 2);
    } else if (n == 1) {
      s[0] = p[0];
    }
  }

  /// The padding of finalize: domain byte at pos_, 0x80 at the last byte of the block.
  void pad(std::uint8_t domain) noexcept {
    state_[pos_ / 8] ^= std::uint64_t{domain} << (8 * (pos_ % 8));
    state_[(RATE - 1) / 8] ^= std::uint64_t{0x80} << (8 * ((RATE - 1) % 8));
  }

  /// XORs one full 168-byte block into lanes 0..20.
  void xor_block(const std::uint8_t* p) noexcept {
    for (std::size_t i = 0; i < RATE / 8; ++i) state_[i] ^= load_le64(p + 8 * i);
  }

  /// XORs n bytes at p into state bytes off .. off + n - 1 (off + n <= RATE): whole lanes by
  /// 64-bit words, a partial lane at either end through a zero-padded 8-byte buffer.
  void xor_bytes(std::size_t off, const std::uint8_t* p, std::size_t n) noexcept {
    if constexpr (std::endian::native == std::endian::little) {
      // The state's object representation is the byte string of the spec: work on it directly.
      // (The bound tells g++ what the callers guarantee; without it -O3 warns about the loop.)
      if (off > RATE || n > RATE - off) __builtin_unreachable();
      unsigned char* s = reinterpret_cast<unsigned char*>(state_) + off;
      // g++ 12 -O3 with AVX-512 vectorises this loop into 64-byte stores and then warns
      // (-Wstringop-overflow) that one could pass the end of the state when off is near RATE;
      // the bound above rules that out (n <= RATE - off), so the warning is a false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#endif
      for (; n >= 8; s += 8, p += 8, n -= 8) {
        std::uint64_t a, b;
        std::memcpy(&a, s, 8);
        std::memcpy(&b, p, 8);
        a ^= b;
        std::memcpy(s, &a, 8);
      }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
      for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<unsigned char>(s[i] ^ p[i]);
      return;
    }
    if (off % 8 != 0) {
      const std::size_t k = std::min(n, 8 - off % 8);
      std::uint8_t buf[8] = {};
      std::memcpy(buf + off % 8, p, k);
      state_[off / 8] ^= load_le64(buf);
      off += k;
      p += k;
      n -= k;
    }
    for (; n >= 8; off += 8, p += 8, n -= 8) state_[off / 8] ^= load_le64(p);
    if (n != 0) {
      std::uint8_t buf[8] = {};
      std::memcpy(buf, p, n);
      state_[off / 8] ^= load_le64(buf);
    }
  }

  /// Copies state bytes off .. off + n - 1 (off + n <= RATE) to p.
  void extract_bytes(std::size_t off, std::uint8_t* p, std::size_t n) const noexcept {
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(p, reinterpret_cast<const unsigned char*>(state_) + off, n);
      return;
    }
    if (off % 8 != 0) {
      const std::size_t k = std::min(n, 8 - off % 8);
      std::uint8_t buf[8];
      store_le64(buf, state_[off / 8]);
      std::memcpy(p, buf + off % 8, k);
      off += k;
      p += k;
      n -= k;
    }
    for (; n >= 8; off += 8, p += 8, n -= 8) store_le64(p, state_[off / 8]);
    if (n != 0) {
      std::uint8_t buf[8];
      store_le64(buf, state_[off / 8]);
      std::memcpy(p, buf, n);
    }
  }

  alignas(64) std::uint64_t state_[25];  // lane (x, y) at state_[x + 5 * y], bytes little-endian
  std::size_t pos_ = 0;                  // absorbing: bytes of the current block filled; squeezing:
                                         // bytes of the current output block already returned
  bool finalized_ = false;
};

VDAF_END_NAMESPACE
