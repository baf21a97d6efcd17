// Field255 of draft-irtf-cfrg-vdaf-20 §6.1: p = 2^255 − 19, the field of
// Poplar1's leaf level (IDPF leaf values, leaf correlated randomness, leaf
// verifier shares).
//
// Elements are four 64-bit little-endian limbs kept canonical (< p), so
// equality and encoding need no final reduction. Reduction uses
// 2^256 ≡ 38 and 2^255 ≡ 19 (mod p). All arithmetic is constant-time (no
// branch and no memory index depends on an element's value) and noexcept.
// Field255 is not NTT-friendly: it has no `gen()` and is not an `NttField`.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "vdaf/config.hpp"
#include "vdaf/field/field.hpp"

VDAF_BEGIN_NAMESPACE

/// Field255 of §6.1 (table "fields"): p = 2^255 − 19, ENCODED_SIZE 32,
/// `next_vec` mask 2^255 − 1. Elements are canonical integers in [0, p) stored
/// as four little-endian 64-bit limbs. Operators, `pow` (public exponent) and
/// the vector codec come from `FieldOps`. Constant-time throughout.
/// Spec: §6.1 (table "fields"), §6.1.1 (encoding), §6.2 (next_vec mask).
struct Field255 : FieldOps<Field255> {
  /// A 256-bit integer: four 64-bit limbs, least significant first.
  using Int = std::array<std::uint64_t, 4>;
  /// Name used in error messages ("Field255").
  static constexpr const char* NAME = "Field255";
  /// p = 2^255 − 19 as limbs.
  static constexpr Int MODULUS = {0xffffffffffffffedULL, 0xffffffffffffffffULL,
                                  0xffffffffffffffffULL, 0x7fffffffffffffffULL};
  /// Bytes per encoded element (§6.1.1).
  static constexpr std::size_t ENCODED_SIZE = 32;

  /// The canonical value in [0, p), little-endian 64-bit limbs (least significant first).
  Int v = {0, 0, 0, 0};

  /// The element 0.
  constexpr Field255() noexcept = default;
  /// The additive identity 0.
  /// @return 0.
  static constexpr Field255 zero() noexcept { return Field255(); }
  /// The multiplicative identity 1.
  /// @return 1.
  static constexpr Field255 one() noexcept { return from_u64(1); }
  /// The element `k` (always < p). Constant-time.
  /// @param k any 64-bit integer.
  /// @return the element k.
  static constexpr Field255 from_u64(std::uint64_t k) noexcept { return limbs(k, 0, 0, 0); }
  /// The element `x mod p` for any 256-bit `x`. Constant-time.
  /// @param x a 256-bit integer as four little-endian limbs (any value, need not be < p).
  /// @return x mod p.
  static constexpr Field255 from_int(const Int& x) noexcept {
    // x = h·2^255 + l ≡ l + 19h with h ∈ {0, 1}; l + 19h < 2^255 + 19 < 2p.
    std::uint64_t h = x[3] >> 63;
    return add_small_canon(x[0], x[1], x[2], x[3] & kLow63, 19 * h);
  }
  /// The canonical integer in [0, p) as little-endian limbs. Constant-time.
  /// @return the value in [0, p), four 64-bit limbs, least significant first.
  constexpr Int as_int() const noexcept { return v; }

  /// (a + b) mod p. Constant-time.
  /// @param a first summand.
  /// @param b second summand.
  /// @return a + b.
  static constexpr Field255 add(Field255 a, Field255 b) noexcept {
    // a + b < 2p < 2^256: no carry out of the top limb.
    std::uint64_t c;
    std::uint64_t s0 = detail::adc(a.v[0], b.v[0], 0, c);
    std::uint64_t s1 = detail::adc(a.v[1], b.v[1], c, c);
    std::uint64_t s2 = detail::adc(a.v[2], b.v[2], c, c);
    std::uint64_t s3 = detail::adc(a.v[3], b.v[3], c, c);
    return canon(s0, s1, s2, s3);
  }
  /// (a − b) mod p. Constant-time.
  /// @param a minuend.
  /// @param b subtrahend.
  /// @return a − b.
  static constexpr Field255 sub(Field255 a, Field255 b) noexcept {
    std::uint64_t bw, c;
    std::uint64_t d0 = detail::sbb(a.v[0], b.v[0], 0, bw);
    std::uint64_t d1 = detail::sbb(a.v[1], b.v[1], bw, bw);
    std::uint64_t d2 = detail::sbb(a.v[2], b.v[2], bw, bw);
    std::uint64_t d3 = detail::sbb(a.v[3], b.v[3], bw, bw);
    const std::uint64_t mask = 0 - bw;  // add p back if a < b
    d0 = detail::adc(d0, MODULUS[0] & mask, 0, c);
    d1 = detail::adc(d1, MODULUS[1] & mask, c, c);
    d2 = detail::adc(d2, MODULUS[2] & mask, c, c);
    d3 = detail::adc(d3, MODULUS[3] & mask, c, c);
    return limbs(d0, d1, d2, d3);
  }
  /// (−a) mod p. Constant-time.
  /// @param a the element to negate.
  /// @return −a (0 for a = 0).
  static constexpr Field255 neg(Field255 a) noexcept { return sub(zero(), a); }

  /// a·b mod p: 4×4-limb schoolbook product (512 bits), then fold the high
  /// half with 2^256 ≡ 38, the bits above 255 with 2^255 ≡ 19, and a final
  /// conditional subtraction of p. Constant-time.
  /// @param a first factor.
  /// @param b second factor.
  /// @return a·b.
  static constexpr Field255 mul(Field255 a, Field255 b) noexcept {
    // Rows written out (no loops) so that no compiler emits a branch here.
    std::uint64_t t[8];
    std::uint64_t c = 0;
    const std::uint64_t* x = a.v.data();
    const std::uint64_t* y = b.v.data();
    t[0] = mac(x[0], y[0], 0, c);
    t[1] = mac(x[0], y[1], 0, c);
    t[2] = mac(x[0], y[2], 0, c);
    t[3] = mac(x[0], y[3], 0, c);
    t[4] = c;
    c = 0;
    t[1] = mac(x[1], y[0], t[1], c);
    t[2] = mac(x[1], y[1], t[2], c);
    t[3] = mac(x[1], y[2], t[3], c);
    t[4] = mac(x[1], y[3], t[4], c);
    t[5] = c;
    c = 0;
    t[2] = mac(x[2], y[0], t[2], c);
    t[3] = mac(x[2], y[1], t[3], c);
    t[4] = mac(x[2], y[2], t[4], c);
    t[5] = mac(x[2], y[3], t[5], c);
    t[6] = c;
    c = 0;
    t[3] = mac(x[3], y[0], t[3], c);
    t[4] = mac(x[3], y[1], t[4], c);
    t[5] = mac(x[3], y[2], t[5], c);
    t[6] = mac(x[3], y[3], t[6], c);
    t[7] = c;
    return reduce512(t);
  }
  /// a² mod p (same as `mul(a, a)`). Constant-time.
  /// @param a the element to square.
  /// @return a².
  static constexpr Field255 sqr(Field255 a) noexcept { return mul(a, a); }

  /// Multiplicative inverse a^(p−2) = a^(2^255 − 21) (0 maps to 0), by the
  /// fixed addition chain of Curve25519 (254 squarings, 11 multiplications;
  /// the exponent is public). Constant-time. Hides `FieldOps::inv`.
  /// @return 1/a for a ≠ 0; 0 for a = 0.
  constexpr Field255 inv() const noexcept {
    const Field255 z = *this;
    const Field255 z2 = sqr(z);                                  // 2
    const Field255 z9 = mul(sqr_n(z2, 2), z);                    // 9
    const Field255 z11 = mul(z9, z2);                            // 11
    const Field255 z_5_0 = mul(sqr(z11), z9);                    // 2^5 − 1
    const Field255 z_10_0 = mul(sqr_n(z_5_0, 5), z_5_0);         // 2^10 − 1
    const Field255 z_20_0 = mul(sqr_n(z_10_0, 10), z_10_0);      // 2^20 − 1
    const Field255 z_40_0 = mul(sqr_n(z_20_0, 20), z_20_0);      // 2^40 − 1
    const Field255 z_50_0 = mul(sqr_n(z_40_0, 10), z_10_0);      // 2^50 − 1
    const Field255 z_100_0 = mul(sqr_n(z_50_0, 50), z_50_0);     // 2^100 − 1
    const Field255 z_200_0 = mul(sqr_n(z_100_0, 100), z_100_0);  // 2^200 − 1
    const Field255 z_250_0 = mul(sqr_n(z_200_0, 50), z_50_0);    // 2^250 − 1
    return mul(sqr_n(z_250_0, 5), z11);                          // 2^255 − 32 + 11 = 2^255 − 21
  }

  /// Constant-time equality (limbs are canonical).
  /// @param o the element to compare with.
  /// @return true iff both elements are equal.
  constexpr bool operator==(const Field255& o) const noexcept {
    return ((v[0] ^ o.v[0]) | (v[1] ^ o.v[1]) | (v[2] ^ o.v[2]) | (v[3] ^ o.v[3])) == 0;
  }

  /// Writes the canonical value as 32 little-endian bytes to `out[0..32)`.
  /// Spec: §6.1.1. Constant-time.
  /// @param out destination of ENCODED_SIZE (32) writable bytes.
  void encode_to(std::uint8_t* out) const noexcept {
    for (std::size_t i = 0; i < 4; ++i) detail::store_le64(out + 8 * i, v[i]);
  }
  /// Reads 32 little-endian bytes into `out`; returns non-zero if the value is
  /// not canonical (>= p, which includes every value with bit 255 set). `out`
  /// then holds the value reduced mod p. `FieldOps::decode_vec` turns a
  /// non-zero result into `decode_error`. Spec: §6.1.1. Constant-time.
  /// @param in ENCODED_SIZE (32) readable bytes.
  /// @param out receives the decoded element (reduced mod p).
  /// @return 0 if the encoding is canonical (< p), non-zero otherwise.
  static std::uint64_t decode_from(const std::uint8_t* in, Field255& out) noexcept {
    Int x;
    for (std::size_t i = 0; i < 4; ++i) x[i] = detail::load_le64(in + 8 * i);
    const std::uint64_t reject = ge_p(x);
    out = from_int(x);
    return reject;
  }
  /// One rejection-sampling step of §6.2 `next_vec`: reads 32 little-endian
  /// bytes, masks with 2^255 − 1 (clears bit 7 of byte 31), then returns
  /// non-zero to reject if the masked value is >= p (probability 19/2^255).
  /// `out` holds the masked value reduced mod p. Spec: §6.2. Constant-time.
  /// @param in ENCODED_SIZE (32) readable bytes of XOF output.
  /// @param out receives the sampled element (meaningful only if accepted).
  /// @return 0 to accept the sample, non-zero to reject it (masked value >= p).
  static std::uint64_t sample_from(const std::uint8_t* in, Field255& out) noexcept {
    Int x;
    for (std::size_t i = 0; i < 4; ++i) x[i] = detail::load_le64(in + 8 * i);
    x[3] &= kLow63;
    const std::uint64_t reject = ge_p(x);
    out = from_int(x);
    return reject;
  }

 private:
  static constexpr std::uint64_t kLow63 = 0x7fffffffffffffffULL;

  static constexpr Field255 limbs(std::uint64_t l0, std::uint64_t l1, std::uint64_t l2,
                                  std::uint64_t l3) noexcept {
    Field255 f;
    f.v = {l0, l1, l2, l3};
    return f;
  }
  /// 1 if x >= p, else 0 (borrow chain of x − p). Constant-time.
  static constexpr std::uint64_t ge_p(const Int& x) noexcept {
    std::uint64_t bw;
    (void)detail::sbb(x[0], MODULUS[0], 0, bw);
    (void)detail::sbb(x[1], MODULUS[1], bw, bw);
    (void)detail::sbb(x[2], MODULUS[2], bw, bw);
    (void)detail::sbb(x[3], MODULUS[3], bw, bw);
    return bw ^ 1;
  }
  /// r mod p for r < 2p (as limbs): q = [r + 19 >= 2^255] = [r >= p]; then
  /// r + 19q − 2^255·q = r − p·q. Constant-time.
  static constexpr Field255 canon(std::uint64_t r0, std::uint64_t r1, std::uint64_t r2,
                                  std::uint64_t r3) noexcept {
    std::uint64_t c;
    (void)detail::adc(r0, 19, 0, c);
    (void)detail::adc(r1, 0, c, c);
    (void)detail::adc(r2, 0, c, c);
    const std::uint64_t q = detail::adc(r3, 0, c, c) >> 63;
    r0 = detail::adc(r0, 19 * q, 0, c);
    r1 = detail::adc(r1, 0, c, c);
    r2 = detail::adc(r2, 0, c, c);
    r3 = detail::adc(r3, 0, c, c) & kLow63;
    return limbs(r0, r1, r2, r3);
  }
  /// (r + s) mod p for r < 2^255 and s < 2^63 (r + s < 2p). Constant-time.
  static constexpr Field255 add_small_canon(std::uint64_t r0, std::uint64_t r1, std::uint64_t r2,
                                            std::uint64_t r3, std::uint64_t s) noexcept {
    std::uint64_t c;
    r0 = detail::adc(r0, s, 0, c);
    r1 = detail::adc(r1, 0, c, c);
    r2 = detail::adc(r2, 0, c, c);
    r3 = detail::adc(r3, 0, c, c);
    return canon(r0, r1, r2, r3);
  }
  /// x·y + t + carry → low word; high word → carry. The sum is at most
  /// (2^64−1)^2 + 2(2^64−1) = 2^128 − 1, so it never overflows.
  VDAF_ALWAYS_INLINE static constexpr std::uint64_t mac(std::uint64_t x, std::uint64_t y,
                                                        std::uint64_t t,
                                                        std::uint64_t& carry) noexcept {
    const uint128 uv = static_cast<uint128>(x) * y + t + carry;
    carry = static_cast<std::uint64_t>(uv >> 64);
    return static_cast<std::uint64_t>(uv);
  }
  /// t (512 bits, 8 limbs) mod p. Constant-time.
  static constexpr Field255 reduce512(const std::uint64_t (&t)[8]) noexcept {
    // r = t_lo + 38·t_hi < 39·2^256, so the final carry is <= 38.
    std::uint64_t c = 0;
    const std::uint64_t r0 = mac(t[4], 38, t[0], c);
    const std::uint64_t r1 = mac(t[5], 38, t[1], c);
    const std::uint64_t r2 = mac(t[6], 38, t[2], c);
    const std::uint64_t r3 = mac(t[7], 38, t[3], c);
    // h = r >> 255 <= 77; r mod 2^255 + 19h < 2^255 + 2^11 < 2p.
    const std::uint64_t h = (c << 1) | (r3 >> 63);
    return add_small_canon(r0, r1, r2, r3 & kLow63, 19 * h);
  }
  /// a^(2^n) by n squarings (n public). Constant-time in `a`.
  static constexpr Field255 sqr_n(Field255 a, int n) noexcept {
    for (int i = 0; i < n; ++i) a = sqr(a);
    return a;
  }
};

VDAF_END_NAMESPACE
