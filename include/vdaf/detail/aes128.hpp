// Portable constant-time AES-128 (FIPS 197): key expansion and encryption, bitsliced and
// table-free. The scalar twin of detail/simd/aes128_hwy.hpp and the AES under XofFixedKeyAes128
// (draft-irtf-cfrg-vdaf-20 §6.2.2) when the compile target has no AES instructions.
//
// Not API. No secret-dependent branch or memory index anywhere: the S-box is computed, not looked
// up (bitsliced inversion in the tower field GF((2^4)^2), then the affine map), so there are no
// tables at all. Cost (x86-64, one core): ~90-170 ns per block in 4-block passes (a call for 1-3
// blocks costs a whole pass); key expansion ~0.6-1.3 µs.
//
// Bitsliced layout: four blocks (64 state bytes) are held in eight 64-bit words ("planes").
// Plane j holds bit j of every byte; the byte in row `row`, column `col` of block `blk` sits at bit
// position p = 16·row + 4·col + blk. A row of the AES state is then one 16-bit field of a plane:
// ShiftRows rotates each field by 4·row bits and MixColumns combines rows by rotating the whole
// plane by 16 bits.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "vdaf/config.hpp"
#include "vdaf/ct/ct.hpp"

VDAF_BEGIN_NAMESPACE

namespace detail::aes128 {

/// AES block size in bytes.
inline constexpr std::size_t BLOCK_SIZE = 16;
/// Number of rounds of AES-128 (FIPS 197 §5, Nr = 10).
inline constexpr std::size_t ROUNDS = 10;
/// Blocks encrypted together by the bitsliced implementation.
inline constexpr std::size_t BITSLICE_BLOCKS = 4;

/// Expanded AES-128 key in FIPS 197 byte order: `rk[r]` is round key r, the bytes of the words
/// w[4r], w[4r+1], w[4r+2], w[4r+3] (§5.2). `rk[0]` is the cipher key itself.
struct RoundKeys {
  alignas(16) std::uint8_t rk[ROUNDS + 1][BLOCK_SIZE];
};

/// Round keys in the bitsliced layout (each round key replicated over the four block slots).
struct BitslicedKeys {
  std::uint64_t q[ROUNDS + 1][8];
};

// ------------------------------------------------------------------------------------------------
// Byte order helpers.

VDAF_ALWAYS_INLINE std::uint64_t load_le64(const std::uint8_t* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) {
    v = ((v & 0x00FF00FF00FF00FFULL) << 8) | ((v >> 8) & 0x00FF00FF00FF00FFULL);
    v = ((v & 0x0000FFFF0000FFFFULL) << 16) | ((v >> 16) & 0x0000FFFF0000FFFFULL);
    v = (v << 32) | (v >> 32);
  }
  return v;
}

VDAF_ALWAYS_INLINE void store_le64(std::uint8_t* p, std::uint64_t v) noexcept {
  if constexpr (std::endian::native == std::endian::big) {
    v = ((v & 0x00FF00FF00FF00FFULL) << 8) | ((v >> 8) & 0x00FF00FF00FF00FFULL);
    v = ((v & 0x0000FFFF0000FFFFULL) << 16) | ((v >> 16) & 0x0000FFFF0000FFFFULL);
    v = (v << 32) | (v >> 32);
  }
  std::memcpy(p, &v, 8);
}

// ------------------------------------------------------------------------------------------------
// Layout conversion: 64 bytes <-> 8 planes.

/// Exchanges the bits of `x` at positions P in `mask` with those at P + shift.
VDAF_ALWAYS_INLINE void delta_swap(std::uint64_t& x, std::uint64_t mask, unsigned shift) noexcept {
  const std::uint64_t t = (x ^ (x >> shift)) & mask;
  x ^= t ^ (t << shift);
}

/// Exchanges the bits of `a` at positions P + shift (P in `mask`) with the bits of `b` at P.
VDAF_ALWAYS_INLINE void delta_swap2(std::uint64_t& a, std::uint64_t& b, std::uint64_t mask,
                                    unsigned shift) noexcept {
  const std::uint64_t t = ((a >> shift) ^ b) & mask;
  b ^= t;
  a ^= t << shift;
}

/// Transposes the 8x8 bit matrix (row i = byte i, column j = bit j) held in `x`.
VDAF_ALWAYS_INLINE void transpose8x8_bits(std::uint64_t& x) noexcept {
  delta_swap(x, 0x00AA00AA00AA00AAULL, 7);
  delta_swap(x, 0x0000CCCC0000CCCCULL, 14);
  delta_swap(x, 0x00000000F0F0F0F0ULL, 28);
}

/// Transposes the 8x8 byte matrix whose row m is the word q[m] (column j = byte j).
VDAF_ALWAYS_INLINE void transpose8x8_bytes(std::uint64_t q[8]) noexcept {
  for (std::size_t m = 0; m < 8; m += 2) delta_swap2(q[m], q[m + 1], 0x00FF00FF00FF00FFULL, 8);
  delta_swap2(q[0], q[2], 0x0000FFFF0000FFFFULL, 16);
  delta_swap2(q[1], q[3], 0x0000FFFF0000FFFFULL, 16);
  delta_swap2(q[4], q[6], 0x0000FFFF0000FFFFULL, 16);
  delta_swap2(q[5], q[7], 0x0000FFFF0000FFFFULL, 16);
  for (std::size_t m = 0; m < 4; ++m) delta_swap2(q[m], q[m + 4], 0x00000000FFFFFFFFULL, 32);
}

/// Moves bit n = 16·blk + 4·col + row (the natural byte order of four consecutive blocks) to bit
/// p = 16·row + 4·col + blk: exchanges the position bits 0<->4 and 1<->5. An involution.
VDAF_ALWAYS_INLINE void swap_row_block(std::uint64_t& x) noexcept {
  delta_swap(x, 0x0000AAAA0000AAAAULL, 15);
  delta_swap(x, 0x00000000CCCCCCCCULL, 30);
}

/// In: q[m] = the little-endian word of bytes 8m..8m+7 of four consecutive blocks.
/// Out: the eight planes of the bitsliced layout.
inline void to_planes(std::uint64_t q[8]) noexcept {
  for (std::size_t m = 0; m < 8; ++m) transpose8x8_bits(q[m]);
  transpose8x8_bytes(q);
  for (std::size_t j = 0; j < 8; ++j) swap_row_block(q[j]);
}

/// Inverse of to_planes.
inline void from_planes(std::uint64_t q[8]) noexcept {
  for (std::size_t j = 0; j < 8; ++j) swap_row_block(q[j]);
  transpose8x8_bytes(q);
  for (std::size_t m = 0; m < 8; ++m) transpose8x8_bits(q[m]);
}

/// Loads 4 blocks (64 bytes) into planes.
VDAF_ALWAYS_INLINE void load_planes(const std::uint8_t* in, std::uint64_t q[8]) noexcept {
  for (std::size_t m = 0; m < 8; ++m) q[m] = load_le64(in + 8 * m);
  to_planes(q);
}

/// Stores planes as 4 blocks (64 bytes); destroys `q`.
VDAF_ALWAYS_INLINE void store_planes(std::uint64_t q[8], std::uint8_t* out) noexcept {
  from_planes(q);
  for (std::size_t m = 0; m < 8; ++m) store_le64(out + 8 * m, q[m]);
}

// ------------------------------------------------------------------------------------------------
// SubBytes: S(x) = A(x^-1) + 0x63 on 64 bytes at once, x^-1 computed in a tower field.
//
// GF(2^8) = GF(2)[x]/(x^8+x^4+x^3+x+1) is mapped isomorphically onto GF(16)[y]/(y^2 + y + λ),
// GF(16) = GF(2)[z]/(z^4+z+1), λ = z^3 (0x8); an element is a_h·y + a_l, held as the byte
// (a_h << 4) | a_l. The map sends x to g = z·y (0x20), so x^i -> g^i; its matrix (columns = images
// of x^0..x^7) is 01 20 46 4c 3c d5 34 e5. In the tower field
//   (a_h·y + a_l)^-1 = (a_h·Δ^-1)·y + (a_h + a_l)·Δ^-1,  Δ = a_h^2·λ + a_h·a_l + a_l^2,
// (0 maps to 0), so the inversion costs three GF(16) multiplications and one GF(16) inversion.
// The way back composed with the affine map A of FIPS 197 §5.1.1 has the matrix
// 1f b2 ab 36 52 3e 65 60; the constant 0x63 is added last. The XOR networks for the two 8x8
// matrices were factored by greedy common-pair elimination. The whole S-box (about 170 bit
// operations on 64 bytes) is checked against the FIPS 197 S-box for all 256 inputs by the tests.

/// c = a·b in GF(16) = GF(2)[z]/(z^4+z+1), bitsliced (a[i] = plane of coefficient i).
VDAF_ALWAYS_INLINE void gf16_mul(const std::uint64_t a[4], const std::uint64_t b[4],
                                 std::uint64_t c[4]) noexcept {
  const std::uint64_t p0 = a[0] & b[0];
  const std::uint64_t p1 = (a[0] & b[1]) ^ (a[1] & b[0]);
  const std::uint64_t p2 = (a[0] & b[2]) ^ (a[1] & b[1]) ^ (a[2] & b[0]);
  const std::uint64_t p3 = (a[0] & b[3]) ^ (a[1] & b[2]) ^ (a[2] & b[1]) ^ (a[3] & b[0]);
  const std::uint64_t p4 = (a[1] & b[3]) ^ (a[2] & b[2]) ^ (a[3] & b[1]);
  const std::uint64_t p5 = (a[2] & b[3]) ^ (a[3] & b[2]);
  const std::uint64_t p6 = a[3] & b[3];
  // z^4 = z + 1, z^5 = z^2 + z, z^6 = z^3 + z^2.
  c[0] = p0 ^ p4;
  c[1] = p1 ^ p4 ^ p5;
  c[2] = p2 ^ p5 ^ p6;
  c[3] = p3 ^ p6;
}

/// c = a^-1 in GF(16) (0 maps to 0), bitsliced: the algebraic normal form of the inversion.
VDAF_ALWAYS_INLINE void gf16_inv(const std::uint64_t a[4], std::uint64_t c[4]) noexcept {
  const std::uint64_t a01 = a[0] & a[1], a02 = a[0] & a[2], a12 = a[1] & a[2];
  const std::uint64_t a03 = a[0] & a[3], a13 = a[1] & a[3], a23 = a[2] & a[3];
  const std::uint64_t a012 = a01 & a[2], a123 = a12 & a[3], a013 = a01 & a[3];
  const std::uint64_t a023 = a02 & a[3];
  c[0] = a[0] ^ a[1] ^ a[2] ^ a[3] ^ a02 ^ a12 ^ a012 ^ a123;
  c[1] = a01 ^ a02 ^ a12 ^ a[3] ^ a13 ^ a013;
  c[2] = a01 ^ a[2] ^ a02 ^ a[3] ^ a03 ^ a023;
  c[3] = a[1] ^ a[2] ^ a[3] ^ a03 ^ a13 ^ a23 ^ a123;
}

/// Applies the AES S-box (FIPS 197 §5.1.1) to every byte held in the planes `q`.
inline void sub_bytes(std::uint64_t q[8]) noexcept {
  // To the tower field: al = coefficients 0..3 (a_l), ah = 4..7 (a_h).
  std::uint64_t al[4], ah[4];
  {
    const std::uint64_t m0 = q[5] ^ q[7];
    const std::uint64_t m1 = q[4] ^ q[6];
    const std::uint64_t m2 = q[2] ^ q[3];
    const std::uint64_t m3 = m0 ^ m2;
    al[0] = q[0] ^ m0;
    al[1] = q[2];
    al[2] = m1 ^ m3;
    al[3] = q[3] ^ q[4];
    ah[0] = q[5] ^ m1;
    ah[1] = q[1] ^ q[7] ^ m1;
    ah[2] = m3;
    ah[3] = m0;
  }
  // Δ = a_h^2·λ + a_l^2 (linear) + a_h·a_l.
  std::uint64_t d[4], m[4];
  {
    const std::uint64_t s0 = ah[2] ^ ah[3];
    d[0] = ah[2] ^ al[0] ^ al[2];
    d[1] = ah[1] ^ al[2] ^ s0;
    d[2] = ah[1] ^ al[1] ^ al[3];
    d[3] = ah[0] ^ al[3] ^ s0;
  }
  gf16_mul(ah, al, m);
  for (std::size_t i = 0; i < 4; ++i) d[i] ^= m[i];
  std::uint64_t di[4];
  gf16_inv(d, di);
  // r = (a_h + a_l)·Δ^-1 (coefficients 0..3) and a_h·Δ^-1 (4..7).
  std::uint64_t r[8], s[4];
  for (std::size_t i = 0; i < 4; ++i) s[i] = ah[i] ^ al[i];
  gf16_mul(s, di, r);
  gf16_mul(ah, di, r + 4);
  // Back to GF(2^8) and through the affine map, then + 0x63.
  {
    const std::uint64_t n0 = r[0] ^ r[5];
    const std::uint64_t n1 = r[1] ^ r[2];
    const std::uint64_t n2 = r[3] ^ n0;
    const std::uint64_t n3 = r[4] ^ n2;
    const std::uint64_t n4 = r[6] ^ r[7];
    q[0] = ~(r[0] ^ r[2] ^ r[6]);
    q[1] = ~(n1 ^ n3);
    q[2] = r[6] ^ n2;
    q[3] = r[2] ^ n0;
    q[4] = r[1] ^ n3;
    q[5] = ~(r[3] ^ r[5] ^ n1 ^ n4);
    q[6] = ~(r[4] ^ n4);
    q[7] = n1;
  }
}

// ------------------------------------------------------------------------------------------------
// The linear layers.

/// ShiftRows (§5.1.2) on one plane: row r (bits 16r..16r+15) rotated right by 4r bits, so that the
/// new column c holds the old column c + r (mod 4).
VDAF_ALWAYS_INLINE std::uint64_t shift_rows_plane(std::uint64_t x) noexcept {
  return (x & 0x000000000000FFFFULL) | ((x >> 4) & 0x000000000FFF0000ULL) |
         ((x << 12) & 0x00000000F0000000ULL) | ((x >> 8) & 0x000000FF00000000ULL) |
         ((x << 8) & 0x0000FF0000000000ULL) | ((x >> 12) & 0x000F000000000000ULL) |
         ((x << 4) & 0xFFF0000000000000ULL);
}

VDAF_ALWAYS_INLINE void shift_rows(std::uint64_t q[8]) noexcept {
  for (std::size_t j = 0; j < 8; ++j) q[j] = shift_rows_plane(q[j]);
}

/// MixColumns (§5.1.3): out_r = 2·a_r + 3·a_(r+1) + a_(r+2) + a_(r+3)
///                             = 2·t_r + a_(r+1) + t_(r+2),  t_r = a_r + a_(r+1).
/// Row r+1 is brought to row r by rotating a plane right by 16 bits.
VDAF_ALWAYS_INLINE void mix_columns(std::uint64_t q[8]) noexcept {
  std::uint64_t r1[8], t[8];
  for (std::size_t j = 0; j < 8; ++j) {
    r1[j] = std::rotr(q[j], 16);
    t[j] = q[j] ^ r1[j];
  }
  // 2·t (xtime): shift the coefficients up, reduce x^8 = x^4+x^3+x+1.
  const std::uint64_t xt[8] = {t[7], t[0] ^ t[7], t[1], t[2] ^ t[7], t[3] ^ t[7], t[4], t[5], t[6]};
  for (std::size_t j = 0; j < 8; ++j) q[j] = xt[j] ^ r1[j] ^ std::rotr(t[j], 32);
}

VDAF_ALWAYS_INLINE void add_round_key(std::uint64_t q[8], const std::uint64_t k[8]) noexcept {
  for (std::size_t j = 0; j < 8; ++j) q[j] ^= k[j];
}

/// Encrypts the four blocks held in planes `q` (FIPS 197 §5.1, Cipher()).
inline void encrypt_planes(const BitslicedKeys& k, std::uint64_t q[8]) noexcept {
  add_round_key(q, k.q[0]);
  for (std::size_t r = 1; r < ROUNDS; ++r) {
    sub_bytes(q);
    shift_rows(q);
    mix_columns(q);
    add_round_key(q, k.q[r]);
  }
  sub_bytes(q);
  shift_rows(q);
  add_round_key(q, k.q[ROUNDS]);
}

// ------------------------------------------------------------------------------------------------
// Key expansion and the block interfaces.

/// SubWord (§5.2) of the little-endian word w: the S-box on each of its four bytes.
inline std::uint32_t sub_word(std::uint32_t w) noexcept {
  std::uint64_t q[8];
  for (std::size_t j = 0; j < 8; ++j) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 4; ++i)
      v |= static_cast<std::uint64_t>((w >> (8 * i + j)) & 1) << i;
    q[j] = v;
  }
  sub_bytes(q);
  std::uint32_t r = 0;
  for (std::size_t j = 0; j < 8; ++j) {
    for (std::size_t i = 0; i < 4; ++i) {
      r |= static_cast<std::uint32_t>((q[j] >> i) & 1) << (8 * i + j);
    }
  }
  secure_zero(q, sizeof q);
  return r;
}

/// Round constants Rcon[i] (§5.2), i = 1..10, as the low byte of a little-endian word.
inline constexpr std::uint8_t RCON[ROUNDS] = {0x01, 0x02, 0x04, 0x08, 0x10,
                                              0x20, 0x40, 0x80, 0x1B, 0x36};

/// KeyExpansion (§5.2) of a 16-byte key, with `sub_word` supplying SubWord. Words are handled
/// as little-endian integers, so RotWord is a right rotation by 8 bits.
template <class SubWord>
VDAF_ALWAYS_INLINE void expand_key_with(const std::uint8_t key[16], RoundKeys& out,
                                        SubWord&& sub_word_fn) noexcept {
  std::uint32_t w[4 * (ROUNDS + 1)];
  for (std::size_t i = 0; i < 4; ++i) {
    w[i] = static_cast<std::uint32_t>(key[4 * i]) |
           (static_cast<std::uint32_t>(key[4 * i + 1]) << 8) |
           (static_cast<std::uint32_t>(key[4 * i + 2]) << 16) |
           (static_cast<std::uint32_t>(key[4 * i + 3]) << 24);
  }
  for (std::size_t i = 4; i < 4 * (ROUNDS + 1); ++i) {
    std::uint32_t temp = w[i - 1];
    if (i % 4 == 0) temp = sub_word_fn(std::rotr(temp, 8)) ^ RCON[i / 4 - 1];
    w[i] = w[i - 4] ^ temp;
  }
  for (std::size_t i = 0; i < 4 * (ROUNDS + 1); ++i) {
    for (std::size_t b = 0; b < 4; ++b) {
      out.rk[i / 4][4 * (i % 4) + b] = static_cast<std::uint8_t>(w[i] >> (8 * b));
    }
  }
  secure_zero(w, sizeof w);
}

/// KeyExpansion (FIPS 197 §5.2) of the 16-byte `key`. Constant-time: yes. About 10 bitsliced
/// S-box layers (a few microseconds): expand once per key.
inline void expand_key(const std::uint8_t key[16], RoundKeys& out) noexcept {
  expand_key_with(key, out, [](std::uint32_t w) { return sub_word(w); });
}

/// Converts round keys to the bitsliced layout. Constant-time: yes.
inline void bitslice_keys(const RoundKeys& rk, BitslicedKeys& out) noexcept {
  for (std::size_t r = 0; r <= ROUNDS; ++r) {
    std::uint64_t q[8];
    const std::uint64_t lo = load_le64(rk.rk[r]);
    const std::uint64_t hi = load_le64(rk.rk[r] + 8);
    for (std::size_t m = 0; m < 8; m += 2) {
      q[m] = lo;
      q[m + 1] = hi;
    }
    to_planes(q);
    for (std::size_t j = 0; j < 8; ++j) out.q[r][j] = q[j];
    secure_zero(q, sizeof q);
  }
}

/// Runs `n` blocks from `in` to `out` (n·16 bytes each; `in == out` allowed, other overlaps not):
/// out_i = AES_K(in_i), or with `kMmo` out_i = AES_K(in_i) XOR in_i. Four blocks per pass; a
/// partial last group is padded through a (wiped) stack buffer.
template <bool kMmo>
inline void run_blocks(const BitslicedKeys& k, const std::uint8_t* in, std::uint8_t* out,
                       std::size_t n) noexcept {
  constexpr std::size_t G = BITSLICE_BLOCKS * BLOCK_SIZE;
  std::uint64_t q[8], x[8];
  std::uint8_t buf[G];
  bool used_buf = false;
  while (n != 0) {
    const std::size_t take = n < BITSLICE_BLOCKS ? n : BITSLICE_BLOCKS;
    const std::uint8_t* src = in;
    std::uint8_t* dst = out;
    if (take < BITSLICE_BLOCKS) {  // partial last group: pad with zero blocks
      std::memset(buf, 0, G);
      std::memcpy(buf, in, take * BLOCK_SIZE);
      src = dst = buf;
      used_buf = true;
    }
    load_planes(src, q);
    if constexpr (kMmo) {
      for (std::size_t j = 0; j < 8; ++j) x[j] = q[j];
    }
    encrypt_planes(k, q);
    if constexpr (kMmo) {
      for (std::size_t j = 0; j < 8; ++j) q[j] ^= x[j];
    }
    store_planes(q, dst);
    if (take < BITSLICE_BLOCKS) std::memcpy(out, buf, take * BLOCK_SIZE);
    in += take * BLOCK_SIZE;
    out += take * BLOCK_SIZE;
    n -= take;
  }
  if (used_buf) secure_zero(buf, sizeof buf);
  secure_zero(q, sizeof q);
  if constexpr (kMmo) secure_zero(x, sizeof x);
}

/// AES-128 encryption (FIPS 197 §5.1) of `n` blocks: out_i = AES_K(in_i). `in == out` allowed.
/// Constant-time: yes (bitsliced, table-free).
inline void encrypt_blocks(const BitslicedKeys& k, const std::uint8_t* in, std::uint8_t* out,
                           std::size_t n) noexcept {
  run_blocks<false>(k, in, out, n);
}

/// The fixed-key hash of XofFixedKeyAes128 on pre-whitened inputs: out_i = AES_K(in_i) XOR in_i
/// (in_i is the σ-image of the seed block). `in == out` allowed. Constant-time: yes.
inline void mmo_blocks(const BitslicedKeys& k, const std::uint8_t* in, std::uint8_t* out,
                       std::size_t n) noexcept {
  run_blocks<true>(k, in, out, n);
}

}  // namespace detail::aes128

VDAF_END_NAMESPACE
