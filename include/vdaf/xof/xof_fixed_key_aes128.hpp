// XofFixedKeyAes128 (draft-irtf-cfrg-vdaf-20 §6.2.2): the XOF of the IDPF's inner levels.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "vdaf/config.hpp"
#include "vdaf/core/bytes.hpp"
#include "vdaf/ct/ct.hpp"
#include "vdaf/detail/aes128.hpp"
#include "vdaf/detail/aes128_backend.hpp"
#include "vdaf/errors.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/xof/turboshake128.hpp"
#include "vdaf/xof/xof.hpp"

VDAF_BEGIN_NAMESPACE

namespace detail {
/// The AES-128 backend of XofFixedKeyAes128 (detail/aes128_backend.hpp).
using FixedKeyAes128Impl = Aes128Backend;
}  // namespace detail

/// XofFixedKeyAes128 of §6.2.2: a stream of 16-byte blocks under an AES-128 key K that depends
/// only on (dst, binder):
///
///   K       = TurboSHAKE128(le16(len(dst)) ‖ dst ‖ binder, D = 0x02, 16 bytes)
///   block i = AES_K(σ(seed ⊕ le128(i))) ⊕ σ(seed ⊕ le128(i)),  σ(lo ‖ hi) = hi ‖ (hi ⊕ lo)
///
/// with 8-byte halves lo, hi. `next` serves the concatenation block 0 ‖ block 1 ‖ ... in pieces of
/// any length. Because K does not depend on the seed, derive it once per (dst, binder) with
/// `derive_key` and start many streams from the FixedKey (the IDPF does this per report), or
/// expand many seeds at once with `expand_blocks`.
///
/// NOT RECOMMENDED by the draft outside the IDPF's inner levels (§6.2.2). SEED_SIZE = 16.
/// The block counter is 64 bits (le128(i) with i < 2^64: far beyond any stream read in practice).
/// Constant-time: yes (AES instructions or a bitsliced table-free AES; no secret-dependent
/// branch or memory index). The key schedule, the seed and buffered stream bytes are wiped on
/// destruction.
class XofFixedKeyAes128 : public XofOps<XofFixedKeyAes128> {
 public:
  /// SEED_SIZE of §6.2.2: 16 bytes (and the only seed length accepted).
  static constexpr std::size_t SEED_SIZE = 16;
  /// The spec's name (identifies the XOF in stored-state digests).
  static constexpr const char* NAME = "XofFixedKeyAes128";

  /// The expanded AES-128 key K of one (dst, binder): the round keys, wiped on destruction.
  /// Cheap to copy (176 bytes with AES instructions, 704 bytes bitsliced).
  class FixedKey {
   public:
    /// A FixedKey from a raw 16-byte AES-128 key (tests, or a key derived elsewhere).
    /// Constant-time (key expansion only).
    /// @param aes_key  the AES-128 key K, 16 bytes.
    /// @return the expanded key.
    /// @throws invalid_argument if len(aes_key) != 16.
    static FixedKey from_aes_key(ByteSpan aes_key) {
      VDAF_ARG_CHECK(aes_key.size() == 16,
                     "XofFixedKeyAes128::FixedKey: AES-128 key must be 16 bytes, got " +
                         std::to_string(aes_key.size()));
      FixedKey k;
      detail::FixedKeyAes128Impl::expand(aes_key.data(), k.sched_);
      return k;
    }
    /// Copies the round keys (the copy is wiped on its own destruction too).
    FixedKey(const FixedKey&) noexcept = default;
    /// Replaces the round keys with a copy of the other key's.
    /// @return `*this`.
    FixedKey& operator=(const FixedKey&) noexcept = default;
    /// Wipes the round keys.
    ~FixedKey() { secure_zero(&sched_, sizeof sched_); }
    /// Low-level: the expanded key in this build's AES backend's form (detail type; for
    /// kernels that run the fixed-key hash themselves, like the IDPF's single-path walk).
    /// Constant-time: yes. noexcept.
    /// @return the backend's key schedule, valid while this FixedKey lives.
    const detail::FixedKeyAes128Impl::Schedule& schedule() const noexcept { return sched_; }

   private:
    friend class XofFixedKeyAes128;
    // Leaves the schedule unset (every path that makes a FixedKey writes all of it): a
    // defaulted constructor would zero it on value-initialisation, a `rep stos` per key.
    FixedKey() noexcept {}  // NOLINT(modernize-use-equals-default)
    detail::FixedKeyAes128Impl::Schedule sched_;
  };

  /// The fixed key K for (dst, binder) (§6.2.2): TurboSHAKE128 with D = 0x02 of
  /// le16(len(dst)) ‖ dst ‖ binder (the binder may come in pieces, absorbed in order), then
  /// AES-128 key expansion. Costs ~0.25 µs with AES instructions (TurboSHAKE128 plus ~60 ns of
  /// key expansion) or ~1-1.5 µs with the portable AES: derive once per (dst, binder).
  /// Constant-time: yes.
  /// @param dst  the domain-separation tag, 0..65535 bytes (§6.2.3).
  /// @param binder  the pieces of the binder string, concatenated in order (any lengths).
  /// @return the expanded key K.
  /// @throws invalid_argument if len(dst) > 65535.
  static FixedKey derive_key(ByteSpan dst, std::initializer_list<ByteSpan> binder) {
    TurboShake128 ts;
    absorb_key_message(ts, dst, binder);
    ts.finalize(0x02);
    std::uint8_t key[16];
    ts.squeeze(key);
    FixedKey k;
    detail::FixedKeyAes128Impl::expand(key, k.sched_);
    secure_zero(key, sizeof key);
    return k;
  }
  /// Spec: the key derivation of XofFixedKeyAes128(seed, dst, binder), §6.2.2, with the
  /// binder in one piece. Constant-time: yes.
  /// @param dst  the domain-separation tag, 0..65535 bytes (§6.2.3).
  /// @param binder  the binder string (any length; the report nonce in the IDPF).
  /// @return the expanded key K.
  /// @throws invalid_argument if len(dst) > 65535.
  static FixedKey derive_key(ByteSpan dst, ByteSpan binder) { return derive_key(dst, {binder}); }

  /// The fixed keys of two tags under one binder: {derive_key(dst0, binder),
  /// derive_key(dst1, binder)}, byte-identical, with the two TurboSHAKE128 permutations run in
  /// one multi-lane pass where compiled in (TurboShake128::finalize_many): ~0.19 µs against
  /// ~0.34 µs for two derive_key calls on Zen 4 (the IDPF derives its extend and convert keys
  /// this way once per eval). Inputs longer than a block absorb their full blocks one sponge at a
  /// time; the final permutations run together. Spec: §6.2.2. Constant-time: yes (control flow
  /// depends on lengths only).
  /// @param dst0, dst1  the domain-separation tags, 0..65535 bytes each (§6.2.3).
  /// @param binder  the binder string (any length; the report nonce in the IDPF).
  /// @return the two expanded keys, in the order of the tags.
  /// @throws invalid_argument if len(dst0) > 65535 or len(dst1) > 65535.
  static std::array<FixedKey, 2> derive_key_pair(ByteSpan dst0, ByteSpan dst1, ByteSpan binder) {
    TurboShake128 ts[2];
    absorb_key_message(ts[0], dst0, {binder});
    absorb_key_message(ts[1], dst1, {binder});
    TurboShake128* const sponges[2] = {&ts[0], &ts[1]};
    TurboShake128::finalize_many(sponges, 0x02);
    std::array<FixedKey, 2> keys{FixedKey(), FixedKey()};
    std::uint8_t key[2][16];
    ts[0].squeeze(key[0]);
    ts[1].squeeze(key[1]);
    detail::FixedKeyAes128Impl::expand2(key[0], key[1], keys[0].sched_, keys[1].sched_);
    secure_zero(key, sizeof key);
    return keys;
  }

  /// Starts the stream of `seed` under an already derived key (no TurboSHAKE, no key expansion:
  /// copies the round keys). Constant-time.
  /// @param key  K, from derive_key(dst, binder) (or FixedKey::from_aes_key).
  /// @param seed  SEED_SIZE = 16 bytes.
  /// @throws invalid_argument if len(seed) != 16.
  XofFixedKeyAes128(const FixedKey& key, ByteSpan seed) : sched_(key.sched_) {
    VDAF_ARG_CHECK(seed.size() == SEED_SIZE,
                   "XofFixedKeyAes128: seed must be 16 bytes, got " + std::to_string(seed.size()));
    sigma_lo_ = detail::aes128::load_le64(seed.data() + 8);
    sigma_hi_ = sigma_lo_ ^ detail::aes128::load_le64(seed.data());
  }

  /// Spec: XofFixedKeyAes128(seed, dst, binder), §6.2.2. The binder may be given in pieces.
  /// Derives K (derive_key) for this one stream; constant-time.
  /// @param seed  SEED_SIZE = 16 bytes.
  /// @param dst  the domain-separation tag, 0..65535 bytes (§6.2.3).
  /// @param binder  the pieces of the binder string, concatenated in order (any lengths).
  /// @throws invalid_argument if len(seed) != 16 or len(dst) > 65535.
  XofFixedKeyAes128(ByteSpan seed, ByteSpan dst, std::initializer_list<ByteSpan> binder)
      : XofFixedKeyAes128(derive_key(dst, binder), seed) {}
  /// Spec: XofFixedKeyAes128(seed, dst, binder), §6.2.2, with the binder in one piece.
  /// Constant-time.
  /// @param seed  SEED_SIZE = 16 bytes.
  /// @param dst  the domain-separation tag, 0..65535 bytes (§6.2.3).
  /// @param binder  the binder string (any length).
  /// @throws invalid_argument if len(seed) != 16 or len(dst) > 65535.
  XofFixedKeyAes128(ByteSpan seed, ByteSpan dst, ByteSpan binder)
      : XofFixedKeyAes128(seed, dst, {binder}) {}

  /// Copies the stream (key schedule, position, look-ahead buffer): both copies then continue
  /// the same stream independently; each wipes its secrets on destruction.
  XofFixedKeyAes128(const XofFixedKeyAes128&) noexcept = default;
  /// Replaces this stream with a copy of the other one (see the copy constructor).
  /// @return `*this`.
  XofFixedKeyAes128& operator=(const XofFixedKeyAes128&) noexcept = default;
  /// Wipes the key schedule, σ(seed) and the buffered stream bytes.
  ~XofFixedKeyAes128() {
    secure_zero(&sched_, sizeof sched_);
    secure_zero(buf_, sizeof buf_);
    secure_zero(&sigma_lo_, sizeof sigma_lo_);
    secure_zero(&sigma_hi_, sizeof sigma_hi_);
  }

  /// The next `out.size()` bytes of the stream (any length; calls continue where the previous one
  /// stopped). Requests shorter than 64 bytes are served from a 4-block look-ahead buffer, so
  /// IDPF-style reads of 16 bytes at a time compute their blocks together.
  /// Spec: XofFixedKeyAes128.next, §6.2.2. Constant-time: yes. noexcept.
  /// @param out  receives the next `out.size()` bytes (any length, including 0).
  void next(std::span<std::uint8_t> out) noexcept {
    std::uint8_t* p = out.data();
    std::size_t n = out.size();
    if (n == 0) return;
    if (buf_pos_ < BUF_SIZE) {
      const std::size_t take = n < BUF_SIZE - buf_pos_ ? n : BUF_SIZE - buf_pos_;
      std::memcpy(p, buf_ + buf_pos_, take);
      buf_pos_ += take;
      p += take;
      n -= take;
    }
    if (n >= BUF_SIZE) {
      const std::size_t blocks = n / BLOCK;
      fill(p, blocks);
      p += blocks * BLOCK;
      n -= blocks * BLOCK;
    }
    if (n != 0) {
      fill(buf_, BUF_BLOCKS);
      std::memcpy(p, buf_, n);
      buf_pos_ = n;
    }
  }

  /// The first `blocks_per_seed` blocks of the stream of every seed under one key, with many
  /// blocks in flight: out[16·(s·blocks_per_seed + i) ..] = block i of XofFixedKeyAes128(key,
  /// seeds[s]). Equals `XofFixedKeyAes128(key, seeds[s]).next(...)` of 16·blocks_per_seed bytes
  /// per seed, in seed order. For the IDPF's extend (2 blocks) and convert (2-3 blocks) over many
  /// seeds at once.
  /// @throws invalid_argument unless out.size() == 16·blocks_per_seed·seeds.size().
  /// Constant-time: yes (in the seeds and the key; the sizes are public).
  /// @param key  K, from derive_key.
  /// @param seeds  the 16-byte seeds, any number.
  /// @param blocks_per_seed  number of 16-byte blocks to produce per seed (any, including 0).
  /// @param out  receives 16·blocks_per_seed·seeds.size() bytes, seed after seed.
  static void expand_blocks(const FixedKey& key,
                            std::span<const std::array<std::uint8_t, 16>> seeds,
                            std::size_t blocks_per_seed, std::span<std::uint8_t> out) {
    constexpr std::size_t kMax = std::numeric_limits<std::size_t>::max();
    const bool fits = blocks_per_seed <= kMax / BLOCK &&
                      (seeds.empty() || blocks_per_seed * BLOCK <= kMax / seeds.size());
    VDAF_ARG_CHECK(fits && out.size() == seeds.size() * blocks_per_seed * BLOCK,
                   "XofFixedKeyAes128::expand_blocks: output must be 16 * blocks_per_seed * "
                   "seeds.size() bytes, got " +
                       std::to_string(out.size()));
    if (out.empty()) return;
    std::uint8_t* p = out.data();
    for (const auto& seed : seeds) {
      const std::uint64_t lo = detail::aes128::load_le64(seed.data() + 8);
      const std::uint64_t hi = lo ^ detail::aes128::load_le64(seed.data());
      for (std::size_t i = 0; i < blocks_per_seed; ++i, p += BLOCK) {
        detail::aes128::store_le64(p, lo);
        detail::aes128::store_le64(p + 8, hi ^ static_cast<std::uint64_t>(i));
      }
    }
    detail::FixedKeyAes128Impl::mmo(key.sched_, out.data(), out.data(), out.size() / BLOCK);
  }

  /// Low-level batch interface (for callers that lay out many streams' blocks themselves, like
  /// the IDPF): writes the AES input of stream block i of the seed whose little-endian 8-byte
  /// halves are (seed_lo, seed_hi), i.e. σ(seed ⊕ le128(i)), to out[0..16).
  /// Constant-time: yes. noexcept.
  /// @param out  16 writable bytes.
  /// @param seed_lo  seed bytes 0..7 as a little-endian 64-bit integer.
  /// @param seed_hi  seed bytes 8..15 as a little-endian 64-bit integer.
  /// @param i  the block index, 0 <= i < 2^64.
  static void sigma_block(std::uint8_t* out, std::uint64_t seed_lo, std::uint64_t seed_hi,
                          std::uint64_t i) noexcept {
    store_block(out, seed_hi, seed_hi ^ seed_lo ^ i);
  }
  /// Low-level batch interface: the fixed-key hash in place on `n` 16-byte blocks at `blocks`,
  /// x ← AES_K(x) ⊕ x. Applied to sigma_block(seed, i) it yields stream block i of
  /// XofFixedKeyAes128(key, seed). All n blocks are in flight together.
  /// Constant-time: yes. noexcept.
  /// @param key  K, from derive_key.
  /// @param blocks  16·n bytes, transformed in place.
  /// @param n  number of 16-byte blocks (0 is a no-op).
  static void hash_blocks(const FixedKey& key, std::uint8_t* blocks, std::size_t n) noexcept {
    if (n != 0) detail::FixedKeyAes128Impl::mmo(key.sched_, blocks, blocks, n);
  }

  /// Which AES-128 implementation this build uses (fixed by the compile target; see
  /// detail/simd/aes128_hwy.hpp), e.g. "AES instructions via Highway, 128-bit, 8 blocks in flight".
  /// @return a static, human-readable description (for logs and benchmarks). noexcept.
  static const char* aes_backend() noexcept {
#if VDAF_AES128_HWY && VDAF_AES128_HWY_WIDE
    return "AES instructions via Highway, 256-bit VAES, 16 blocks in flight";
#elif VDAF_AES128_HWY
    return "AES instructions via Highway, 128-bit, 8 blocks in flight";
#else
    return "portable bitsliced table-free AES, 4 blocks per pass";
#endif
  }

 private:
  /// Absorbs the key derivation's message le16(len(dst)) ‖ dst ‖ binder (§6.2.2) into `ts`
  /// (not finalized: derive_key and derive_key_pair finalize with D = 0x02).
  /// @throws invalid_argument if len(dst) > 65535 (before absorbing anything).
  static void absorb_key_message(TurboShake128& ts, ByteSpan dst,
                                 std::initializer_list<ByteSpan> binder) {
    VDAF_ARG_CHECK(dst.size() <= 65535, "XofFixedKeyAes128: dst longer than 65535 bytes");
    const std::uint8_t dlen[2] = {static_cast<std::uint8_t>(dst.size()),
                                  static_cast<std::uint8_t>(dst.size() >> 8)};
    ts.absorb(dlen);
    ts.absorb(dst);
    for (ByteSpan b : binder) ts.absorb(b);
  }

  static constexpr std::size_t BLOCK = 16;
  static constexpr std::size_t BUF_BLOCKS = 4;

  /// Writes le64(lo) ‖ le64(hi) to out[0..16), with one 16-byte store where the compiler allows:
  /// the AES that reads the block next loads it whole, and a load that spans two 8-byte stores
  /// cannot be forwarded from them (a stall of ~15 cycles per block on x86, which sat on the
  /// IDPF's level-to-level dependency chain).
  static void store_block(std::uint8_t* out, std::uint64_t lo, std::uint64_t hi) noexcept {
#if (defined(__GNUC__) || defined(__clang__)) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    using U64x2 = std::uint64_t __attribute__((vector_size(16)));
    const U64x2 v = {lo, hi};
    std::memcpy(out, &v, 16);
#else
    detail::aes128::store_le64(out, lo);
    detail::aes128::store_le64(out + 8, hi);
#endif
  }
  static constexpr std::size_t BUF_SIZE = BUF_BLOCKS * BLOCK;

  /// Writes the next `blocks` stream blocks to p. By linearity of σ,
  /// σ(seed ⊕ le128(i)) = σ(seed) ⊕ (0^8 ‖ le64(i)) for i < 2^64.
  void fill(std::uint8_t* p, std::size_t blocks) noexcept {
    for (std::size_t i = 0; i < blocks; ++i) {
      store_block(p + BLOCK * i, sigma_lo_, sigma_hi_ ^ (counter_ + i));
    }
    detail::FixedKeyAes128Impl::mmo(sched_, p, p, blocks);
    counter_ += blocks;
  }

  detail::FixedKeyAes128Impl::Schedule sched_;
  std::uint64_t sigma_lo_ = 0;  // σ(seed) = sigma_lo_ ‖ sigma_hi_ (little-endian halves)
  std::uint64_t sigma_hi_ = 0;
  std::uint64_t counter_ = 0;       // index of the next block to compute
  std::size_t buf_pos_ = BUF_SIZE;  // bytes of buf_ already served (BUF_SIZE: empty)
  std::uint8_t buf_[BUF_SIZE] = {};
};

VDAF_END_NAMESPACE
