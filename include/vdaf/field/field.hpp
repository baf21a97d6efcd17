// Prime fields of draft-irtf-cfrg-vdaf-20 §6.1: Field64 and Field128 (NTT-friendly).
//
// Elements are small value types; arithmetic is constant-time (no branch or
// memory index depends on an element's value) and noexcept. Vector helpers work
// on contiguous spans.
#pragma once

#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

// The x86-64 carry chains use the compilers' ADX/SBB builtins directly (what _addcarry_u64 and
// _subborrow_u64 expand to in both GCC's and clang's headers), so this header does not pull in
// <immintrin.h> (some 47,000 lines) for three intrinsics.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(VDAF_NO_FIELD_INTRINSICS)
#define VDAF_FIELD_X86_INTRINSICS 1
#else
#define VDAF_FIELD_X86_INTRINSICS 0
#endif

#include "vdaf/core/bytes.hpp"
#include "vdaf/ct/ct.hpp"
#include "vdaf/ct/poison.hpp"
#include "vdaf/detail/simd/ntt64_hwy.hpp"
#include "vdaf/errors.hpp"

VDAF_BEGIN_NAMESPACE

namespace detail {

/// 64×64→128 multiply split into (lo, hi).
VDAF_ALWAYS_INLINE void mul64(std::uint64_t a, std::uint64_t b, std::uint64_t& lo,
                              std::uint64_t& hi) noexcept {
  uint128 p = static_cast<uint128>(a) * b;
  lo = static_cast<std::uint64_t>(p);
  hi = static_cast<std::uint64_t>(p >> 64);
}

/// a + b + carry_in → sum, carry_out (carry values 0 or 1).
VDAF_ALWAYS_INLINE constexpr std::uint64_t adc(std::uint64_t a, std::uint64_t b,
                                               std::uint64_t carry_in,
                                               std::uint64_t& carry_out) noexcept {
  uint128 s = static_cast<uint128>(a) + b + carry_in;
  carry_out = static_cast<std::uint64_t>(s >> 64);
  return static_cast<std::uint64_t>(s);
}

/// a − b − borrow_in → difference, borrow_out (0 or 1).
VDAF_ALWAYS_INLINE constexpr std::uint64_t sbb(std::uint64_t a, std::uint64_t b,
                                               std::uint64_t borrow_in,
                                               std::uint64_t& borrow_out) noexcept {
  uint128 d = static_cast<uint128>(a) - b - borrow_in;
  borrow_out = static_cast<std::uint64_t>(d >> 127);
  return static_cast<std::uint64_t>(d);
}

/// 8 little-endian bytes → integer (one unaligned load on little-endian hosts;
/// g++ otherwise assembles the bytes through vector inserts).
VDAF_ALWAYS_INLINE std::uint64_t load_le64(const std::uint8_t* p) noexcept {
  if constexpr (std::endian::native == std::endian::little) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  } else {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
  }
}
/// Integer → 8 little-endian bytes.
VDAF_ALWAYS_INLINE void store_le64(std::uint8_t* p, std::uint64_t v) noexcept {
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(p, &v, 8);
  } else {
    for (int i = 0; i < 8; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
  }
}

/// Limb primitives in portable C++ (constexpr): carries are 0 or 1.
struct ArithPortable {
  using Carry = std::uint64_t;
  static constexpr void mul(std::uint64_t a, std::uint64_t b, std::uint64_t& lo,
                            std::uint64_t& hi) noexcept {
    const uint128 p = static_cast<uint128>(a) * b;
    lo = static_cast<std::uint64_t>(p);
    hi = static_cast<std::uint64_t>(p >> 64);
  }
  static constexpr std::uint64_t adc(std::uint64_t a, std::uint64_t b, Carry cin,
                                     Carry& cout) noexcept {
    const std::uint64_t s = a + b;
    const std::uint64_t r = s + cin;
    cout = static_cast<Carry>((s < a) | (r < s));
    return r;
  }
  static constexpr std::uint64_t sbb(std::uint64_t a, std::uint64_t b, Carry bin,
                                     Carry& bout) noexcept {
    const std::uint64_t d = a - b;
    const std::uint64_t r = d - bin;
    bout = static_cast<Carry>((a < b) | (d < bin));
    return r;
  }
  /// m = −t (mod 2^64); returns 1 iff t ≠ 0.
  static constexpr Carry neg(std::uint64_t t, std::uint64_t& m) noexcept {
    m = 0 - t;
    return (t | m) >> 63;
  }
};

#if VDAF_FIELD_X86_INTRINSICS
/// Limb primitives through the x86-64 carry builtins: the carry stays in the flags
/// (adc/sbb chains, no setc/branch). The 64x64 multiply is the 128-bit product, which is also
/// how both compilers define _mulx_u64 (mulx when BMI2 is enabled).
struct ArithX86 {
  using Carry = unsigned char;
  VDAF_ALWAYS_INLINE static void mul(std::uint64_t a, std::uint64_t b, std::uint64_t& lo,
                                     std::uint64_t& hi) noexcept {
    ArithPortable::mul(a, b, lo, hi);
  }
  VDAF_ALWAYS_INLINE static std::uint64_t adc(std::uint64_t a, std::uint64_t b, Carry cin,
                                              Carry& cout) noexcept {
    unsigned long long r;
    cout = __builtin_ia32_addcarryx_u64(cin, a, b, &r);  // _addcarry_u64
    return r;
  }
  VDAF_ALWAYS_INLINE static std::uint64_t sbb(std::uint64_t a, std::uint64_t b, Carry bin,
                                              Carry& bout) noexcept {
    unsigned long long r;
    bout = subborrow(bin, a, b, &r);
    return r;
  }
  VDAF_ALWAYS_INLINE static Carry neg(std::uint64_t t, std::uint64_t& m) noexcept {
    unsigned long long r;
    const Carry b = subborrow(0, 0, t, &r);
    m = r;
    return b;
  }

 private:
  /// _subborrow_u64: the builtin's name differs between the compilers.
  VDAF_ALWAYS_INLINE static Carry subborrow(Carry bin, std::uint64_t a, std::uint64_t b,
                                            unsigned long long* r) noexcept {
#if defined(__clang__)
    return __builtin_ia32_subborrow_u64(bin, a, b, r);
#else
    return __builtin_ia32_sbb_u64(bin, a, b, r);
#endif
  }
};
#endif

// The assembly needs up to 15 registers (operands plus memory addresses):
// only optimized builds (__OPTIMIZE__, -O1 and up) can allocate them; -O0
// builds take the intrinsics path.
#if VDAF_FIELD_X86_INTRINSICS && defined(__BMI2__) && defined(__GNUC__) && \
    defined(__OPTIMIZE__) && !defined(VDAF_NO_FIELD_ASM)
#define VDAF_FIELD128_ASM 1
/// Field128 Montgomery product in GCC extended inline assembly (x86-64 with
/// BMI2; AT&T syntax, accepted by g++ and clang). Same algorithm and results
/// as `Field128::mont_mul_with`: the full 256-bit product a·b, then two
/// word-wise Montgomery steps with factor m = −t (p ≡ 1 mod 2^64, so
/// t + m·p has a zero low word and carries [t ≠ 0]; `neg` computes both),
/// then one conditional subtraction of p through `cmov`. No branch and no
/// memory index depends on the values (constant-time). Inputs are limbs of
/// values < p; the result (lo, hi) is < p. Compilers schedule the
/// intrinsics version of this poorly under g++ 12, hence the assembly.
/// Bounds: a·b < p² < 2^256 − 2^192, so the first step cannot carry out of
/// 256 bits; the result before the subtraction is < 2p < 2^129.
VDAF_ALWAYS_INLINE void field128_mont_mul_asm(std::uint64_t a0, std::uint64_t a1, std::uint64_t b0,
                                              std::uint64_t b1, std::uint64_t& lo,
                                              std::uint64_t& hi) noexcept {
  static constexpr std::uint64_t kP1 = 0xffffffffffffffe4ULL;
  std::uint64_t t0, t1, t2, t3, x, y, z;
  std::uint64_t d = a0;
  __asm__(
      // t = a0·b
      "mulx %[b0], %[t0], %[t1]\n\t"
      "mulx %[b1], %[x], %[t2]\n\t"
      "add %[x], %[t1]\n\t"
      "adc $0, %[t2]\n\t"
      // t += a1·b·2^64
      "mov %[a1], %%rdx\n\t"
      "mulx %[b0], %[x], %[y]\n\t"
      "mulx %[b1], %[z], %[t3]\n\t"
      "add %[x], %[t1]\n\t"
      "adc %[y], %[t2]\n\t"
      "adc $0, %[t3]\n\t"
      "add %[z], %[t2]\n\t"
      "adc $0, %[t3]\n\t"
      // step 1: m = −t0 (CF = [t0 ≠ 0]); t += m·P1·2^64 + carry
      "mov %[t0], %%rdx\n\t"
      "neg %%rdx\n\t"
      "mulx %[p1], %[x], %[y]\n\t"
      "adc %[x], %[t1]\n\t"
      "adc %[y], %[t2]\n\t"
      "adc $0, %[t3]\n\t"
      // step 2: m = −t1; (t0 : t3 : t2) = (t + m·p) / 2^128
      "mov %[t1], %%rdx\n\t"
      "neg %%rdx\n\t"
      "mulx %[p1], %[x], %[y]\n\t"
      "adc %[x], %[t2]\n\t"
      "adc %[y], %[t3]\n\t"
      "mov $0, %[t0]\n\t"
      "adc $0, %[t0]\n\t"
      // subtract p unless that borrows
      "mov %[t2], %[x]\n\t"
      "mov %[t3], %[y]\n\t"
      "sub $1, %[x]\n\t"
      "sbb %[p1], %[y]\n\t"
      "sbb $0, %[t0]\n\t"
      "cmovnc %[x], %[t2]\n\t"
      "cmovnc %[y], %[t3]\n\t"
      : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [x] "=&r"(x), [y] "=&r"(y),
        [z] "=&r"(z), "+&d"(d)
      : [a1] "r"(a1), [b0] "r"(b0), [b1] "r"(b1), [p1] "m"(kP1)
      : "cc");
  lo = t2;
  hi = t3;
}
/// Field128 conversion out of Montgomery form in inline assembly: a·R^−1
/// mod p for a = (a0, a1) < p, i.e. `mont_mul(a, 1)` without the product:
/// two Montgomery steps on (0 : 0 : a1 : a0). The result (T + M)/R with
/// T < p and M < R·p is at most p, and equals p only if T ≡ 0, i.e. T = 0,
/// which gives 0: no final subtraction. Constant-time.
VDAF_ALWAYS_INLINE void field128_from_mont_asm(std::uint64_t a0, std::uint64_t a1,
                                               std::uint64_t& lo, std::uint64_t& hi) noexcept {
  static constexpr std::uint64_t kP1 = 0xffffffffffffffe4ULL;
  std::uint64_t x, y, d;
  __asm__(
      "mov %[a0], %%rdx\n\t"
      "neg %%rdx\n\t"  // m = −a0, CF = [a0 ≠ 0]
      "mulx %[p1], %[x], %[y]\n\t"
      "adc %[x], %[a1]\n\t"  // word 1: a1 + lo(m·P1) + CF
      "adc $0, %[y]\n\t"     // word 2: hi(m·P1) + carry (< 2^64)
      "mov %[a1], %%rdx\n\t"
      "neg %%rdx\n\t"
      "mulx %[p1], %[x], %[a0]\n\t"
      "adc %[x], %[y]\n\t"
      "adc $0, %[a0]\n\t"
      : [a0] "+&r"(a0), [a1] "+&r"(a1), [x] "=&r"(x), [y] "=&r"(y), "=&d"(d)
      : [p1] "m"(kP1)
      : "cc");
  lo = y;
  hi = a0;
}
/// Field128 sum in inline assembly: (a + b) mod p for a, b < p, through
/// `add`/`adc` and a `cmov` selection of a − p (constant-time). Same results
/// as `Field128::add_with`.
VDAF_ALWAYS_INLINE void field128_add_asm(std::uint64_t& a0, std::uint64_t& a1, std::uint64_t b0,
                                         std::uint64_t b1) noexcept {
  std::uint64_t c, t0, t1;
  __asm__(
      "xor %k[c], %k[c]\n\t"
      "add %[b0], %[a0]\n\t"
      "adc %[b1], %[a1]\n\t"
      "adc $0, %[c]\n\t"
      "mov %[a0], %[t0]\n\t"
      "mov %[a1], %[t1]\n\t"
      "sub $1, %[t0]\n\t"
      "sbb $-28, %[t1]\n\t"  // imm32 −28 sign-extends to P1 = 2^64 − 28
      "sbb $0, %[c]\n\t"
      "cmovnc %[t0], %[a0]\n\t"
      "cmovnc %[t1], %[a1]\n\t"
      : [a0] "+&r"(a0), [a1] "+&r"(a1), [c] "=&r"(c), [t0] "=&r"(t0), [t1] "=&r"(t1)
      : [b0] "r"(b0), [b1] "r"(b1)
      : "cc");
}
/// Field128 difference in inline assembly: (a − b) mod p for a, b < p; adds
/// p back under a mask derived from the borrow (constant-time). Same results
/// as `Field128::sub_with`.
VDAF_ALWAYS_INLINE void field128_sub_asm(std::uint64_t& a0, std::uint64_t& a1, std::uint64_t b0,
                                         std::uint64_t b1) noexcept {
  std::uint64_t m, t;
  __asm__(
      "sub %[b0], %[a0]\n\t"
      "sbb %[b1], %[a1]\n\t"
      "sbb %[m], %[m]\n\t"  // m = −borrow
      "mov %[m], %[t]\n\t"
      "and $-28, %[t]\n\t"  // P1 & m
      "and $1, %[m]\n\t"    // P0 & m
      "add %[m], %[a0]\n\t"
      "adc %[t], %[a1]\n\t"
      : [a0] "+&r"(a0), [a1] "+&r"(a1), [m] "=&r"(m), [t] "=&r"(t)
      : [b0] "r"(b0), [b1] "r"(b1)
      : "cc");
}

// NTT butterflies on Field128 limbs in memory (x86-64 with BMI2), in inline
// assembly so that loads and stores stay plain 64-bit moves (g++ otherwise
// packs the limb pairs through vector registers). Each combines the
// sequences of field128_mont_mul_asm, field128_add_asm and field128_sub_asm
// above (same results); all inputs are read before any output is written, so
// outputs may alias inputs. Constant-time. Arguments are the (low, high)
// Montgomery limbs of each element, all < p.

// v = y·w (Montgomery) into (t2, t3); clobbers t0, t1, x, y, z, rdx.
#define VDAF_F128_ASM_MONT_MUL(Y0, Y1, W0, W1) \
  "mov " Y0                                    \
  ", %%rdx\n\t"                                \
  "mulx " W0                                   \
  ", %[t0], %[t1]\n\t"                         \
  "mulx " W1                                   \
  ", %[x], %[t2]\n\t"                          \
  "add %[x], %[t1]\n\t"                        \
  "adc $0, %[t2]\n\t"                          \
  "mov " Y1                                    \
  ", %%rdx\n\t"                                \
  "mulx " W0                                   \
  ", %[x], %[y]\n\t"                           \
  "mulx " W1                                   \
  ", %[z], %[t3]\n\t"                          \
  "add %[x], %[t1]\n\t"                        \
  "adc %[y], %[t2]\n\t"                        \
  "adc $0, %[t3]\n\t"                          \
  "add %[z], %[t2]\n\t"                        \
  "adc $0, %[t3]\n\t"                          \
  "mov %[t0], %%rdx\n\t"                       \
  "neg %%rdx\n\t"                              \
  "mulx %[p1], %[x], %[y]\n\t"                 \
  "adc %[x], %[t1]\n\t"                        \
  "adc %[y], %[t2]\n\t"                        \
  "adc $0, %[t3]\n\t"                          \
  "mov %[t1], %%rdx\n\t"                       \
  "neg %%rdx\n\t"                              \
  "mulx %[p1], %[x], %[y]\n\t"                 \
  "adc %[x], %[t2]\n\t"                        \
  "adc %[y], %[t3]\n\t"                        \
  "mov $0, %[t0]\n\t"                          \
  "adc $0, %[t0]\n\t"                          \
  "mov %[t2], %[x]\n\t"                        \
  "mov %[t3], %[y]\n\t"                        \
  "sub $1, %[x]\n\t"                           \
  "sbb $-28, %[y]\n\t"                         \
  "sbb $0, %[t0]\n\t"                          \
  "cmovnc %[x], %[t2]\n\t"                     \
  "cmovnc %[y], %[t3]\n\t"

// Modular difference and sum of u and v = (V0, V1), with u in (D0, D1) on
// entry and in (S0, S1) after MID: u − v into (D0, D1), u + v into (S0, S1);
// clobbers T0, T1 (may be V0, V1), M and z. MID is spliced in between the
// two (loads and stores that touch no flags; may be empty). Shared by the
// three butterflies below.
#define VDAF_F128_ASM_ADDSUB(V0, V1, D0, D1, S0, S1, T0, T1, M, MID) \
  "sub " V0 ", " D0                                                  \
  "\n\t"                                                             \
  "sbb " V1 ", " D1                                                  \
  "\n\t"                                                             \
  "sbb " M ", " M                                                    \
  "\n\t"                                                             \
  "mov " M                                                           \
  ", %[z]\n\t"                                                       \
  "and $-28, %[z]\n\t"                                               \
  "and $1, " M                                                       \
  "\n\t"                                                             \
  "add " M ", " D0                                                   \
  "\n\t"                                                             \
  "adc %[z], " D1                                                    \
  "\n\t"                                                             \
  "xor %k[z], %k[z]\n\t" MID "add " V0 ", " S0                       \
  "\n\t"                                                             \
  "adc " V1 ", " S1                                                  \
  "\n\t"                                                             \
  "adc $0, %[z]\n\t"                                                 \
  "mov " S0 ", " T0                                                  \
  "\n\t"                                                             \
  "mov " S1 ", " T1                                                  \
  "\n\t"                                                             \
  "sub $1, " T0                                                      \
  "\n\t"                                                             \
  "sbb $-28, " T1                                                    \
  "\n\t"                                                             \
  "sbb $0, %[z]\n\t"                                                 \
  "cmovnc " T0 ", " S0                                               \
  "\n\t"                                                             \
  "cmovnc " T1 ", " S1 "\n\t"

/// Decimation-in-time butterfly: v = y·w; (x, y) ← (x + v, x − v).
VDAF_ALWAYS_INLINE void field128_bfly_dit_asm(std::uint64_t& x_lo, std::uint64_t& x_hi,
                                              std::uint64_t& y_lo, std::uint64_t& y_hi,
                                              const std::uint64_t& w_lo,
                                              const std::uint64_t& w_hi) noexcept {
  static constexpr std::uint64_t kP1 = 0xffffffffffffffe4ULL;
  std::uint64_t t0, t1, t2, t3, a, b, c, d;
  __asm__(VDAF_F128_ASM_MONT_MUL("%[y0]", "%[y1]", "%[w0]", "%[w1]")
          // u − v into (t0, t1), stored to y; u + v into (x, y), stored to x
          "mov %[x0], %[t0]\n\t"
          "mov %[x1], %[t1]\n\t"
          VDAF_F128_ASM_ADDSUB("%[t2]", "%[t3]", "%[t0]", "%[t1]", "%[x]", "%[y]", "%[t2]", "%[t3]",
                               "%%rdx",
                               "mov %[x0], %[x]\n\t"
                               "mov %[x1], %[y]\n\t"
                               "mov %[t0], %[y0]\n\t"
                               "mov %[t1], %[y1]\n\t")
          "mov %[x], %[x0]\n\t"
          "mov %[y], %[x1]\n\t"
          : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [x] "=&r"(a),
            [y] "=&r"(b), [z] "=&r"(c),
            "=&d"(d), [x0] "+m"(x_lo), [x1] "+m"(x_hi), [y0] "+m"(y_lo), [y1] "+m"(y_hi)
          : [w0] "m"(w_lo), [w1] "m"(w_hi), [p1] "m"(kP1)
          : "cc");
}

/// Decimation-in-frequency butterfly: (ox, oy) ← (x + y, (x − y)·w); the
/// outputs may be the inputs.
VDAF_ALWAYS_INLINE void field128_bfly_dif_asm(const std::uint64_t& x_lo, const std::uint64_t& x_hi,
                                              const std::uint64_t& y_lo, const std::uint64_t& y_hi,
                                              std::uint64_t& ox_lo, std::uint64_t& ox_hi,
                                              std::uint64_t& oy_lo, std::uint64_t& oy_hi,
                                              const std::uint64_t& w_lo,
                                              const std::uint64_t& w_hi) noexcept {
  static constexpr std::uint64_t kP1 = 0xffffffffffffffe4ULL;
  std::uint64_t t0, t1, t2, t3, a, b, c, d;
  __asm__(
      // u − v into (t0, t1); u + v into (t2, t3)
      "mov %[x0], %[t0]\n\t"
      "mov %[x1], %[t1]\n\t"
      "mov %[t0], %[t2]\n\t"
      "mov %[t1], %[t3]\n\t"
      VDAF_F128_ASM_ADDSUB("%[yi0]", "%[yi1]", "%[t0]", "%[t1]", "%[t2]", "%[t3]", "%[x]", "%[y]",
                           "%%rdx", "")
      "mov %[t0], %[x]\n\t"
      "mov %[t1], %[y]\n\t"
      "mov %[t2], %[ox0]\n\t"
      "mov %[t3], %[ox1]\n\t"
      // (x, y) · w → (t2, t3), stored to oy
      VDAF_F128_ASM_MONT_MUL("%[x]", "%[y]", "%[w0]", "%[w1]")
      "mov %[t2], %[oy0]\n\t"
      "mov %[t3], %[oy1]\n\t"
      : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [x] "=&r"(a),
        [y] "=&r"(b), [z] "=&r"(c), "=&d"(d), [ox0] "=m"(ox_lo), [ox1] "=m"(ox_hi),
        [oy0] "=m"(oy_lo), [oy1] "=m"(oy_hi)
      : [x0] "m"(x_lo), [x1] "m"(x_hi), [yi0] "m"(y_lo), [yi1] "m"(y_hi), [w0] "m"(w_lo),
        [w1] "m"(w_hi), [p1] "m"(kP1)
      : "cc");
}

/// Butterfly without twiddle: (ox, oy) ← (x + y, x − y); outputs may be the
/// inputs.
VDAF_ALWAYS_INLINE void field128_bfly_asm(const std::uint64_t& x_lo, const std::uint64_t& x_hi,
                                          const std::uint64_t& y_lo, const std::uint64_t& y_hi,
                                          std::uint64_t& ox_lo, std::uint64_t& ox_hi,
                                          std::uint64_t& oy_lo, std::uint64_t& oy_hi) noexcept {
  std::uint64_t t0, t1, t2, t3, a, b, c;
  __asm__(
      "mov %[x0], %[t0]\n\t"
      "mov %[x1], %[t1]\n\t"
      "mov %[t0], %[t2]\n\t"
      "mov %[t1], %[t3]\n\t"
      VDAF_F128_ASM_ADDSUB("%[yi0]", "%[yi1]", "%[t0]", "%[t1]", "%[t2]", "%[t3]", "%[x]", "%[y]",
                           "%[x]", "")
      "mov %[t2], %[ox0]\n\t"
      "mov %[t3], %[ox1]\n\t"
      "mov %[t0], %[oy0]\n\t"
      "mov %[t1], %[oy1]\n\t"
      : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [x] "=&r"(a), [y] "=&r"(b),
        [z] "=&r"(c), [ox0] "=m"(ox_lo), [ox1] "=m"(ox_hi), [oy0] "=m"(oy_lo), [oy1] "=m"(oy_hi)
      : [x0] "m"(x_lo), [x1] "m"(x_hi), [yi0] "m"(y_lo), [yi1] "m"(y_hi)
      : "cc");
}
#undef VDAF_F128_ASM_MONT_MUL
#undef VDAF_F128_ASM_ADDSUB

/// Field64 product in inline assembly (x86-64 with BMI2): `mulx`, then the
/// reduction of `Field64::reduce128` (2^96 ≡ −1, 2^64 ≡ 2^32 − 1) with
/// masks from `sbb` and a final `cmov` (constant-time). Same results as the
/// portable code; inputs < p, result < p.
VDAF_ALWAYS_INLINE std::uint64_t field64_mul_asm(std::uint64_t a, std::uint64_t b) noexcept {
  std::uint64_t lo, hi, hh, m, t;
  std::uint64_t d = a;
  __asm__(
      "mulx %[b], %[lo], %[hi]\n\t"
      "mov %[hi], %[hh]\n\t"
      "shr $32, %[hh]\n\t"
      "mov %k[hi], %k[hi]\n\t"  // hi_lo = hi mod 2^32
      "sub %[hh], %[lo]\n\t"    // t0 = lo − hi_hi, borrow → −EPS
      "sbb %[m], %[m]\n\t"
      "mov %k[m], %k[m]\n\t"
      "sub %[m], %[lo]\n\t"
      "mov %[hi], %[t]\n\t"  // t1 = hi_lo·(2^32 − 1)
      "shl $32, %[t]\n\t"
      "sub %[hi], %[t]\n\t"
      "add %[t], %[lo]\n\t"  // t2 = t0 + t1, carry → +EPS
      "sbb %[m], %[m]\n\t"
      "mov %k[m], %k[m]\n\t"
      "add %[m], %[lo]\n\t"
      "mov $0xffffffff, %k[t]\n\t"  // t2 − p = t2 + EPS when t2 >= p
      "add %[lo], %[t]\n\t"
      "cmovc %[t], %[lo]\n\t"
      : [lo] "=&r"(lo), [hi] "=&r"(hi), [hh] "=&r"(hh), [m] "=&r"(m), [t] "=&r"(t), "+&d"(d)
      : [b] "r"(b)
      : "cc");
  return lo;
}
/// Field64 sum in inline assembly (constant-time): a + b, a carry adds EPS
/// (2^64 ≡ EPS), then subtracts p once through `cmov`. Inputs < p.
VDAF_ALWAYS_INLINE std::uint64_t field64_add_asm(std::uint64_t a, std::uint64_t b) noexcept {
  std::uint64_t m, t;
  __asm__(
      "add %[b], %[a]\n\t"
      "sbb %[m], %[m]\n\t"
      "mov %k[m], %k[m]\n\t"
      "add %[m], %[a]\n\t"
      "mov $0xffffffff, %k[t]\n\t"
      "add %[a], %[t]\n\t"
      "cmovc %[t], %[a]\n\t"
      : [a] "+&r"(a), [m] "=&r"(m), [t] "=&r"(t)
      : [b] "r"(b)
      : "cc");
  return a;
}
/// Field64 difference in inline assembly (constant-time): a − b, a borrow
/// subtracts EPS (−2^64 ≡ −EPS). Inputs < p.
VDAF_ALWAYS_INLINE std::uint64_t field64_sub_asm(std::uint64_t a, std::uint64_t b) noexcept {
  std::uint64_t m;
  __asm__(
      "sub %[b], %[a]\n\t"
      "sbb %[m], %[m]\n\t"
      "mov %k[m], %k[m]\n\t"
      "sub %[m], %[a]\n\t"
      : [a] "+&r"(a), [m] "=&r"(m)
      : [b] "r"(b)
      : "cc");
  return a;
}
#else
#define VDAF_FIELD128_ASM 0
#endif

// Field64 assembly: g++ 12 only. clang compiles the portable code as fast (both scalar: since
// the masks go through value barriers, no compiler vectorizes element-wise Field64 loops; the
// NTT stages have their own vector kernel for both compilers, detail/simd/ntt64_hwy.hpp).
#if VDAF_FIELD128_ASM && !defined(__clang__)
#define VDAF_FIELD64_ASM 1
#else
#define VDAF_FIELD64_ASM 0
#endif

/// x·2^k mod m by repeated doubling (compile-time constants only).
consteval uint128 double_mod_n(uint128 x, uint128 m, int k) {
  for (int i = 0; i < k; ++i) {
    uint128 s = x + x;
    bool carry = s < x;
    if (carry || s >= m) s -= m;
    x = s;
  }
  return x;
}

}  // namespace detail

/// Operations shared by every field type `F` (CRTP): operators built on
/// `F::add`, `F::sub`, `F::mul`, `F::neg`, and the vector codec of §6.1.1.
template <class F>
struct FieldOps {
  // Thin forwarding wrappers, always inlined so hot loops see the field's own
  // inlining decision for `F::mul` etc. (no out-of-line call per element).
  VDAF_ALWAYS_INLINE friend F operator+(F a, F b) noexcept { return F::add(a, b); }
  VDAF_ALWAYS_INLINE friend F operator-(F a, F b) noexcept { return F::sub(a, b); }
  VDAF_ALWAYS_INLINE friend F operator*(F a, F b) noexcept { return F::mul(a, b); }
  VDAF_ALWAYS_INLINE friend F operator-(F a) noexcept { return F::neg(a); }
  VDAF_ALWAYS_INLINE friend F& operator+=(F& a, F b) noexcept { return a = F::add(a, b); }
  VDAF_ALWAYS_INLINE friend F& operator-=(F& a, F b) noexcept { return a = F::sub(a, b); }
  VDAF_ALWAYS_INLINE friend F& operator*=(F& a, F b) noexcept { return a = F::mul(a, b); }

  /// `x^e` by square-and-multiply. The exponent is public (its bits steer
  /// branches); the base may be secret. Constant-time in `x`, not in `e`.
  /// @tparam E an unsigned integer type (built-in, e.g. `std::uint64_t` or `uint128`).
  /// @param e the exponent, >= 0 (public).
  /// @return x^e (1 for e = 0).
  template <class E>
  F pow(E e) const noexcept {
    F result = F::one();
    F base = static_cast<const F&>(*this);
    while (e != 0) {
      if ((e & 1) != 0) result *= base;
      base *= base;
      e >>= 1;
    }
    return result;
  }

  /// Multiplicative inverse `x^(p−2)` (0 maps to 0). Constant-time.
  /// Needs `F::MODULUS` to be a built-in unsigned integer; a field whose
  /// modulus is wider (Field255) defines its own `inv()`, which hides this one
  /// (this body is then never instantiated).
  /// @return 1/x for x ≠ 0; 0 for x = 0.
  F inv() const noexcept { return pow(F::MODULUS - 2); }

  /// Encodes a vector: concatenation of `ENCODED_SIZE`-byte little-endian
  /// elements (§6.1.1), `len(v)·ENCODED_SIZE` bytes. Constant-time.
  /// @param v the elements (any length).
  /// @return `len(v)·ENCODED_SIZE` bytes.
  static Bytes encode_vec(std::span<const F> v) {
    Bytes out(v.size() * F::ENCODED_SIZE);
    for (std::size_t i = 0; i < v.size(); ++i) v[i].encode_to(out.data() + i * F::ENCODED_SIZE);
    return out;
  }
  /// Appends the encoding of `v` (§6.1.1, as `encode_vec`) to `out`. Constant-time.
  /// @param out buffer to append to; grows by `len(v)·ENCODED_SIZE` bytes.
  /// @param v the elements (any length).
  static void encode_vec_into(Bytes& out, std::span<const F> v) {
    std::size_t off = out.size();
    out.resize(off + v.size() * F::ENCODED_SIZE);
    for (std::size_t i = 0; i < v.size(); ++i)
      v[i].encode_to(out.data() + off + i * F::ENCODED_SIZE);
  }

  /// Decodes a vector (§6.1.1).
  /// @throws decode_error if `len(b)` is not a multiple of `ENCODED_SIZE` or an
  /// element is `>= MODULUS` (non-canonical). Rejection is not constant-time
  /// (it reveals that the input was malformed); accepted inputs are processed
  /// without secret-dependent branches.
  /// @param b the encoding, `len(v)·ENCODED_SIZE` bytes (any multiple of ENCODED_SIZE).
  /// @param what names the enclosing structure in error messages (may be null).
  /// @return the `len(b)/ENCODED_SIZE` decoded elements.
  static std::vector<F> decode_vec(ByteSpan b, const char* what = nullptr) {
    std::vector<F> out;
    decode_vec_into(out, b, what);
    return out;
  }
  /// Decodes a vector (§6.1.1) into `out`, as `decode_vec` but reusing the
  /// caller's storage. On failure `out` is left resized with unspecified contents.
  /// Rejection is not constant-time; accepted inputs are processed without
  /// secret-dependent branches.
  /// @tparam Vec a resizable contiguous container of `F` (e.g. `std::vector<F>`).
  /// @param out receives the `len(b)/ENCODED_SIZE` elements (resized to that length).
  /// @param b the encoding, a multiple of ENCODED_SIZE bytes.
  /// @param what names the enclosing structure in error messages (may be null).
  /// @throws decode_error if `len(b)` is not a multiple of `ENCODED_SIZE` or an
  /// element is `>= MODULUS` (non-canonical).
  template <class Vec>
  static void decode_vec_into(Vec& out, ByteSpan b, const char* what = nullptr) {
    const std::string where = what ? std::string(what) + ": " : std::string();
    if (b.size() % F::ENCODED_SIZE != 0) {
      VDAF_THROW(decode_error, where + F::NAME + ": vector length " + std::to_string(b.size()) +
                                   " is not a multiple of " + std::to_string(F::ENCODED_SIZE));
    }
    out.resize(b.size() / F::ENCODED_SIZE);
    std::uint64_t bad = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
      bad |= F::decode_from(b.data() + i * F::ENCODED_SIZE, out[i]);
    }
    if (ct::declassify(bad) != 0) {  // public verdict (decode throws)
      VDAF_THROW(decode_error, where + F::NAME + ": element >= modulus (non-canonical)");
    }
  }
};

// ---------------------------------------------------------------------------
// Field64: p = 2^64 − 2^32 + 1 (Goldilocks). Canonical representation.

/// Field64 of §6.1 (table "fields"): p = 2^32·(2^32−1)+1, ENCODED_SIZE 8,
/// generator 7^(2^32−1), GEN_ORDER 2^32. Elements are kept canonical (< p).
struct Field64 : FieldOps<Field64> {
  /// Integer type of `as_int()`, `from_int()` and `MODULUS`.
  using Int = std::uint64_t;
  /// Name used in error messages ("Field64").
  static constexpr const char* NAME = "Field64";
  /// p = 2^64 − 2^32 + 1.
  static constexpr Int MODULUS = 0xffffffff00000001ULL;
  /// Bytes per encoded element (§6.1.1).
  static constexpr std::size_t ENCODED_SIZE = 8;
  /// log2(GEN_ORDER): the field has 2^32-th roots of unity.
  static constexpr unsigned GEN_ORDER_LOG2 = 32;
  /// 2^64 mod p = 2^32 − 1.
  static constexpr std::uint64_t EPS = 0xffffffffULL;

  /// The canonical value in [0, p).
  std::uint64_t v = 0;

  /// The element 0.
  constexpr Field64() noexcept = default;
  /// The additive identity 0.
  /// @return 0.
  static constexpr Field64 zero() noexcept { return Field64(); }
  /// The multiplicative identity 1.
  /// @return 1.
  static constexpr Field64 one() noexcept { return raw(1); }
  /// The element with representation `x`, without reduction.
  /// @param x the value; must be < p (not checked).
  /// @return the element x.
  static constexpr Field64 raw(std::uint64_t x) noexcept {
    Field64 f;
    f.v = x;
    return f;
  }
  /// The element `x mod p`. Constant-time.
  /// @param x any 64-bit integer.
  /// @return x mod p.
  static constexpr Field64 from_int(Int x) noexcept { return raw(reduce_once(x)); }
  /// The element `k mod p` for any 64-bit `k`. Constant-time.
  /// @param k any 64-bit integer.
  /// @return k mod p.
  static constexpr Field64 from_u64(std::uint64_t k) noexcept { return from_int(k); }
  /// The canonical integer in [0, p). Constant-time.
  /// @return the value in [0, p).
  constexpr Int as_int() const noexcept { return v; }
  /// Generator of the order-2^32 subgroup: 7^(2^32−1) (§6.1).
  /// @return the generator, `0x185629dcda58878c`.
  static constexpr Field64 gen() noexcept { return raw(0x185629dcda58878cULL); }

  /// Multiplicative inverse x^(p−2) (0 maps to 0), by a fixed addition chain: p − 2 =
  /// (2^32 − 2)·2^32 + (2^32 − 1), so with e_k = x^(2^k − 1): e_31 from e_1, e_2, e_3, e_6,
  /// e_12, e_24, e_30; then x^(2^32−2) = e_31², e_32 = x^(2^32−2)·x and
  /// x^(p−2) = (x^(2^32−2))^(2^32)·e_32. 63 squarings and 9 multiplications instead of the 127
  /// of square-and-multiply (p − 2 has 63 one bits). Hides FieldOps::inv. Constant-time.
  /// @return 1/x for x ≠ 0; 0 for x = 0.
  constexpr Field64 inv() const noexcept {
    const Field64 x = *this;
    auto sq_n = [](Field64 a, int n) {
      for (int i = 0; i < n; ++i) a = mul(a, a);
      return a;
    };
    const Field64 e2 = mul(mul(x, x), x);
    const Field64 e3 = mul(mul(e2, e2), x);
    const Field64 e6 = mul(sq_n(e3, 3), e3);
    const Field64 e12 = mul(sq_n(e6, 6), e6);
    const Field64 e24 = mul(sq_n(e12, 12), e12);
    const Field64 e30 = mul(sq_n(e24, 6), e6);
    const Field64 e31 = mul(mul(e30, e30), x);
    const Field64 t = mul(e31, e31);  // x^(2^32 − 2)
    const Field64 e32 = mul(t, x);
    return mul(sq_n(t, 32), e32);
  }

  /// EPS if `bit` is 1, 0 if it is 0 (bit is 0 or 1), without a branch: the mask goes through
  /// value_barrier at run time, since clang++-14 otherwise turns `(0 - bit) & EPS` into a
  /// conditional jump (found by the valgrind constant-time check, tests/ct/).
  /// @param bit 0 or 1 (other values give unspecified results).
  /// @return EPS if bit = 1, else 0.
  VDAF_ALWAYS_INLINE static constexpr std::uint64_t eps_if(std::uint64_t bit) noexcept {
    std::uint64_t mask = 0 - bit;
    if (!std::is_constant_evaluated()) mask = value_barrier(mask);
    return mask & EPS;
  }
  /// x mod p for any 64-bit x (x < 2p): subtracts p once if x >= p, through
  /// a mask rather than a branch. Constant-time.
  /// @param x any 64-bit integer.
  /// @return x mod p, in [0, p).
  static constexpr std::uint64_t reduce_once(std::uint64_t x) noexcept {
    // x - p if x >= p, without a branch.
    std::uint64_t t = x - MODULUS;
    std::uint64_t borrow = static_cast<std::uint64_t>(x < MODULUS);
    std::uint64_t mask = 0 - borrow;
    return (x & mask) | (t & ~mask);
  }
  /// (a + b) mod p; inline assembly on x86-64 g++ optimized builds with BMI2 at run time,
  /// else `add_portable` (same results). Constant-time.
  /// @param a first summand.
  /// @param b second summand.
  /// @return a + b.
  VDAF_ALWAYS_INLINE static constexpr Field64 add(Field64 a, Field64 b) noexcept {
#if VDAF_FIELD64_ASM
    if (!std::is_constant_evaluated()) return raw(detail::field64_add_asm(a.v, b.v));
#endif
    return add_portable(a, b);
  }
  /// `add` in portable C++ (constexpr); the twin of the assembly path. Constant-time.
  /// @param a first summand.
  /// @param b second summand.
  /// @return a + b.
  static constexpr Field64 add_portable(Field64 a, Field64 b) noexcept {
    std::uint64_t s = a.v + b.v;
    std::uint64_t carry = static_cast<std::uint64_t>(s < a.v);
    s += eps_if(carry);  // 2^64 ≡ EPS; cannot overflow again
    return raw(reduce_once(s));
  }
  /// (a − b) mod p; inline assembly or `sub_portable`, as for `add`. Constant-time.
  /// @param a minuend.
  /// @param b subtrahend.
  /// @return a − b.
  VDAF_ALWAYS_INLINE static constexpr Field64 sub(Field64 a, Field64 b) noexcept {
#if VDAF_FIELD64_ASM
    if (!std::is_constant_evaluated()) return raw(detail::field64_sub_asm(a.v, b.v));
#endif
    return sub_portable(a, b);
  }
  /// `sub` in portable C++ (constexpr); the twin of the assembly path. Constant-time.
  /// @param a minuend.
  /// @param b subtrahend.
  /// @return a − b.
  static constexpr Field64 sub_portable(Field64 a, Field64 b) noexcept {
    std::uint64_t d = a.v - b.v;
    std::uint64_t borrow = static_cast<std::uint64_t>(a.v < b.v);
    d -= eps_if(borrow);  // −2^64 ≡ −EPS; result lands in [0, p)
    return raw(d);
  }
  /// (−a) mod p. Constant-time.
  /// @param a the element to negate.
  /// @return −a (0 for a = 0).
  VDAF_ALWAYS_INLINE static constexpr Field64 neg(Field64 a) noexcept { return sub(zero(), a); }
  /// Reduces a 128-bit value hi·2^64 + lo modulo p. Constant-time.
  /// @param lo low 64 bits.
  /// @param hi high 64 bits (any value).
  /// @return (hi·2^64 + lo) mod p, in [0, p).
  static constexpr std::uint64_t reduce128(std::uint64_t lo, std::uint64_t hi) noexcept {
    std::uint64_t hi_hi = hi >> 32;
    std::uint64_t hi_lo = hi & EPS;
    // x ≡ lo − hi_hi + hi_lo·(2^32 − 1)   (2^96 ≡ −1, 2^64 ≡ 2^32 − 1)
    std::uint64_t t0 = lo - hi_hi;
    std::uint64_t borrow = static_cast<std::uint64_t>(lo < hi_hi);
    t0 -= eps_if(borrow);
    std::uint64_t t1 = (hi_lo << 32) - hi_lo;
    std::uint64_t t2 = t0 + t1;
    std::uint64_t carry = static_cast<std::uint64_t>(t2 < t0);
    t2 += eps_if(carry);
    return reduce_once(t2);
  }
  /// a·b mod p; inline assembly or `mul_portable`, as for `add`. Constant-time.
  /// @param a first factor.
  /// @param b second factor.
  /// @return a·b.
  VDAF_ALWAYS_INLINE static constexpr Field64 mul(Field64 a, Field64 b) noexcept {
#if VDAF_FIELD64_ASM
    if (!std::is_constant_evaluated()) return raw(detail::field64_mul_asm(a.v, b.v));
#endif
    return mul_portable(a, b);
  }
  /// `mul` in portable C++ (constexpr); the twin of the assembly path. Constant-time.
  /// @param a first factor.
  /// @param b second factor.
  /// @return a·b.
  static constexpr Field64 mul_portable(Field64 a, Field64 b) noexcept {
    uint128 p = static_cast<uint128>(a.v) * b.v;
    return raw(reduce128(static_cast<std::uint64_t>(p), static_cast<std::uint64_t>(p >> 64)));
  }
  /// Equality of the canonical values, a plain `v == o.v`: no branch in the
  /// source, but unlike Field128/Field255 not written as a masked XOR, so
  /// constant-time only as far as the compiler keeps it branch-free.
  /// @param o the element to compare with.
  /// @return true iff both elements are equal.
  constexpr bool operator==(const Field64& o) const noexcept { return v == o.v; }

  /// Writes the canonical value as 8 little-endian bytes. Spec: §6.1.1. Constant-time.
  /// @param out destination of ENCODED_SIZE (8) writable bytes.
  void encode_to(std::uint8_t* out) const noexcept { detail::store_le64(out, v); }
  /// Reads 8 little-endian bytes into `out`; returns non-zero if the value is
  /// not canonical (>= p). `FieldOps::decode_vec` turns a non-zero result into
  /// `decode_error`. Spec: §6.1.1. Constant-time.
  /// @param in ENCODED_SIZE (8) readable bytes.
  /// @param out receives the value; when rejected it holds the raw, unreduced
  ///        integer (not a valid element).
  /// @return 0 if the encoding is canonical (< p), non-zero otherwise.
  static std::uint64_t decode_from(const std::uint8_t* in, Field64& out) noexcept {
    std::uint64_t x = detail::load_le64(in);
    out.v = x;
    return static_cast<std::uint64_t>(x >= MODULUS);
  }
  /// One rejection-sampling step of §6.2 `next_vec`: reads 8 little-endian
  /// bytes, masks with 2^64 − 1 (a no-op), returns non-zero to reject (>= p).
  /// Same as `decode_from`. Spec: §6.2. Constant-time.
  /// @param in ENCODED_SIZE (8) readable bytes of XOF output.
  /// @param out receives the sampled element (meaningful only if accepted).
  /// @return 0 to accept the sample, non-zero to reject it (value >= p).
  static std::uint64_t sample_from(const std::uint8_t* in, Field64& out) noexcept {
    return decode_from(in, out);
  }
};

// ---------------------------------------------------------------------------
// Field128: p = 2^128 − 7·2^66 + 1, two-limb Montgomery form with R = 2^128.

/// Field128 of §6.1 (table "fields"): p = 2^66·(2^62−7)+1, ENCODED_SIZE 16,
/// generator 7^(2^62−7), GEN_ORDER 2^66. Stored in Montgomery form.
struct Field128 : FieldOps<Field128> {
  /// Integer type of `as_int()`, `from_int()` and `MODULUS` (unsigned 128-bit).
  using Int = uint128;
  /// Name used in error messages ("Field128").
  static constexpr const char* NAME = "Field128";
  /// p = 2^128 − 7·2^66 + 1.
  static constexpr uint128 MODULUS =
      (static_cast<uint128>(0xffffffffffffffe4ULL) << 64) | 0x0000000000000001ULL;
  /// Bytes per encoded element (§6.1.1).
  static constexpr std::size_t ENCODED_SIZE = 16;
  /// log2(GEN_ORDER): the field has 2^66-th roots of unity.
  static constexpr unsigned GEN_ORDER_LOG2 = 66;
  /// Low 64-bit limb of p (1).
  static constexpr std::uint64_t P0 = 1;
  /// High 64-bit limb of p (2^64 − 28).
  static constexpr std::uint64_t P1 = 0xffffffffffffffe4ULL;

  std::uint64_t lo = 0,  ///< Low limb of the Montgomery form a·R mod p (R = 2^128).
      hi = 0;            ///< High limb of the Montgomery form (lo + 2^64·hi in [0, p)).

  /// The element 0.
  constexpr Field128() noexcept = default;
  /// The additive identity 0.
  /// @return 0.
  static constexpr Field128 zero() noexcept { return Field128(); }
  /// The element whose Montgomery representation is lo + 2^64·hi (no conversion).
  /// @param l low limb of the Montgomery form.
  /// @param h high limb; l + 2^64·h must be < p (not checked).
  /// @return the element (l + 2^64·h)·R^−1 mod p.
  static constexpr Field128 limbs(std::uint64_t l, std::uint64_t h) noexcept {
    Field128 f;
    f.lo = l;
    f.hi = h;
    return f;
  }

  /// R mod p = 2^128 − p (R = 2^128): the Montgomery form of 1.
  static constexpr uint128 R1 = static_cast<uint128>(0) - MODULUS;  // 2^128 − p
  /// R² mod p, computed at compile time: `mont_mul(x, R2)` converts x into Montgomery form.
  static constexpr uint128 R2 = detail::double_mod_n(R1, MODULUS, 128);

  /// Montgomery product a·b·R^{-1} mod p (CIOS, 2 limbs; p ≡ 1 mod 2^64 so the
  /// per-word factor is −t0). Uses adc/mulx intrinsics on x86-64 at run time
  /// and portable 64-bit limb code otherwise (same results). Constant-time.
  /// @param a0 low limb of a. @param a1 high limb of a (a < p).
  /// @param b0 low limb of b. @param b1 high limb of b (b < p).
  /// @return the element with Montgomery limbs a·b·R^−1 mod p, in [0, p).
  VDAF_ALWAYS_INLINE static constexpr Field128 mont_mul(std::uint64_t a0, std::uint64_t a1,
                                                        std::uint64_t b0,
                                                        std::uint64_t b1) noexcept {
#if VDAF_FIELD128_ASM
    if (!std::is_constant_evaluated()) return mont_mul_asm(a0, a1, b0, b1);
#elif VDAF_FIELD_X86_INTRINSICS
    if (!std::is_constant_evaluated()) return mont_mul_with<detail::ArithX86>(a0, a1, b0, b1);
#endif
    return mont_mul_with<detail::ArithPortable>(a0, a1, b0, b1);
  }
#if VDAF_FIELD128_ASM
  /// `mont_mul` through detail::field128_mont_mul_asm (x86-64 with BMI2, run
  /// time only); exposed for differential tests. Constant-time.
  /// @param a0 low limb of a. @param a1 high limb of a (a < p).
  /// @param b0 low limb of b. @param b1 high limb of b (b < p).
  /// @return the element with Montgomery limbs a·b·R^−1 mod p.
  VDAF_ALWAYS_INLINE static Field128 mont_mul_asm(std::uint64_t a0, std::uint64_t a1,
                                                  std::uint64_t b0, std::uint64_t b1) noexcept {
    Field128 r;
    detail::field128_mont_mul_asm(a0, a1, b0, b1, r.lo, r.hi);
    return r;
  }
#endif
  /// `mont_mul` with the limb primitives of `A` (detail::ArithPortable or, on
  /// x86-64, detail::ArithX86); exposed for differential tests. Constant-time.
  /// @tparam A limb-primitive policy (`mul`, `adc`, `sbb`, `neg`, `Carry`).
  /// @param a0 low limb of a. @param a1 high limb of a (a < p).
  /// @param b0 low limb of b. @param b1 high limb of b (b < p).
  /// @return the element with Montgomery limbs a·b·R^−1 mod p.
  template <class A>
  VDAF_ALWAYS_INLINE static constexpr Field128 mont_mul_with(std::uint64_t a0, std::uint64_t a1,
                                                             std::uint64_t b0,
                                                             std::uint64_t b1) noexcept {
    using C = typename A::Carry;
    std::uint64_t t0, t1, t2, h, l, m;
    C c;
    // i = 0: t = a0·b (three words; the top cannot carry out).
    A::mul(a0, b0, t0, h);
    A::mul(a0, b1, t1, t2);
    t1 = A::adc(t1, h, C{0}, c);
    t2 = A::adc(t2, 0, c, c);
    // t += m·p with m = −t0: t0 + m = 2^64·[t0 ≠ 0]; drop the zero low word.
    c = A::neg(t0, m);
    A::mul(m, P1, l, h);
    t0 = A::adc(t1, l, c, c);
    t1 = A::adc(t2, h, c, c);
    t2 = A::adc(0, 0, c, c);  // t < 2p < 2^129
    // i = 1: t += a1·b, with a1·b = (y1 : x1 : x0).
    std::uint64_t x0, x1, y0, y1;
    A::mul(a1, b0, x0, x1);
    A::mul(a1, b1, y0, y1);
    x1 = A::adc(x1, y0, C{0}, c);
    y1 = A::adc(y1, 0, c, c);
    t0 = A::adc(t0, x0, C{0}, c);
    t1 = A::adc(t1, x1, c, c);
    t2 = A::adc(t2, y1, c, c);  // t < 2^192: no carry out
    c = A::neg(t0, m);
    A::mul(m, P1, l, h);
    std::uint64_t r0 = A::adc(t1, l, c, c);
    std::uint64_t r1 = A::adc(t2, h, c, c);
    std::uint64_t r2 = A::adc(0, 0, c, c);
    return reduce_once_with<A>(r0, r1, r2);
  }
  /// (r2:r1:r0) < 2p → subtract p once if needed, with the primitives of `A`.
  /// Mask select, no branch. Constant-time.
  /// @tparam A limb-primitive policy (detail::ArithPortable or detail::ArithX86).
  /// @param r0 limb 0 (least significant). @param r1 limb 1.
  /// @param r2 limb 2 (0 or 1; the value must be < 2p).
  /// @return the element with Montgomery limbs r mod p.
  template <class A>
  VDAF_ALWAYS_INLINE static constexpr Field128 reduce_once_with(std::uint64_t r0, std::uint64_t r1,
                                                                std::uint64_t r2) noexcept {
    using C = typename A::Carry;
    C b;
    std::uint64_t s0 = A::sbb(r0, P0, C{0}, b);
    std::uint64_t s1 = A::sbb(r1, P1, b, b);
    std::uint64_t mask;
    (void)A::sbb(r2, 0, b, b);  // borrow out iff r < p
    mask = 0 - static_cast<std::uint64_t>(b);
    return limbs((r0 & mask) | (s0 & ~mask), (r1 & mask) | (s1 & ~mask));
  }
  /// (r2:r1:r0) < 2p → subtract p once if needed. Constant-time.
  /// @param r0 limb 0 (least significant). @param r1 limb 1.
  /// @param r2 limb 2 (0 or 1; the value must be < 2p).
  /// @return the element with Montgomery limbs r mod p.
  VDAF_ALWAYS_INLINE static constexpr Field128 reduce_once(std::uint64_t r0, std::uint64_t r1,
                                                           std::uint64_t r2) noexcept {
#if VDAF_FIELD_X86_INTRINSICS
    if (!std::is_constant_evaluated()) return reduce_once_with<detail::ArithX86>(r0, r1, r2);
#endif
    return reduce_once_with<detail::ArithPortable>(r0, r1, r2);
  }
  /// (a + b) mod p; inline assembly on x86-64 with BMI2 (optimized builds), the carry
  /// intrinsics elsewhere on x86-64, portable code otherwise (same results). Constant-time.
  /// @param a first summand.
  /// @param b second summand.
  /// @return a + b.
  VDAF_ALWAYS_INLINE static constexpr Field128 add(Field128 a, Field128 b) noexcept {
#if VDAF_FIELD128_ASM
    if (!std::is_constant_evaluated()) {
      detail::field128_add_asm(a.lo, a.hi, b.lo, b.hi);
      return a;
    }
#elif VDAF_FIELD_X86_INTRINSICS
    if (!std::is_constant_evaluated()) return add_with<detail::ArithX86>(a, b);
#endif
    return add_with<detail::ArithPortable>(a, b);
  }
  /// (a − b) mod p, with the same back ends as `add`. Constant-time.
  /// @param a minuend.
  /// @param b subtrahend.
  /// @return a − b.
  VDAF_ALWAYS_INLINE static constexpr Field128 sub(Field128 a, Field128 b) noexcept {
#if VDAF_FIELD128_ASM
    if (!std::is_constant_evaluated()) {
      detail::field128_sub_asm(a.lo, a.hi, b.lo, b.hi);
      return a;
    }
#elif VDAF_FIELD_X86_INTRINSICS
    if (!std::is_constant_evaluated()) return sub_with<detail::ArithX86>(a, b);
#endif
    return sub_with<detail::ArithPortable>(a, b);
  }
  /// `add` with the limb primitives of `A`; exposed for differential tests. Constant-time.
  /// @tparam A limb-primitive policy (detail::ArithPortable or detail::ArithX86).
  /// @param a first summand.
  /// @param b second summand.
  /// @return a + b.
  template <class A>
  VDAF_ALWAYS_INLINE static constexpr Field128 add_with(Field128 a, Field128 b) noexcept {
    using C = typename A::Carry;
    C c;
    std::uint64_t s0 = A::adc(a.lo, b.lo, C{0}, c);
    std::uint64_t s1 = A::adc(a.hi, b.hi, c, c);
    return reduce_once_with<A>(s0, s1, static_cast<std::uint64_t>(c));
  }
  /// `sub` with the limb primitives of `A`; exposed for differential tests. Constant-time.
  /// @tparam A limb-primitive policy (detail::ArithPortable or detail::ArithX86).
  /// @param a minuend.
  /// @param b subtrahend.
  /// @return a − b.
  template <class A>
  VDAF_ALWAYS_INLINE static constexpr Field128 sub_with(Field128 a, Field128 b) noexcept {
    using C = typename A::Carry;
    C c;
    std::uint64_t d0 = A::sbb(a.lo, b.lo, C{0}, c);
    std::uint64_t d1 = A::sbb(a.hi, b.hi, c, c);
    const std::uint64_t mask = 0 - static_cast<std::uint64_t>(c);  // add p back if we borrowed
    d0 = A::adc(d0, P0 & mask, C{0}, c);
    d1 = A::adc(d1, P1 & mask, c, c);
    return limbs(d0, d1);
  }
  /// (−a) mod p. Constant-time.
  /// @param a the element to negate.
  /// @return −a (0 for a = 0).
  VDAF_ALWAYS_INLINE static constexpr Field128 neg(Field128 a) noexcept { return sub(zero(), a); }
  /// a·b mod p (one Montgomery product of the representations). Constant-time.
  /// @param a first factor.
  /// @param b second factor.
  /// @return a·b.
  VDAF_ALWAYS_INLINE static constexpr Field128 mul(Field128 a, Field128 b) noexcept {
    return mont_mul(a.lo, a.hi, b.lo, b.hi);
  }

  /// NTT butterfly (decimation in time): v = y·w; (x, y) ← (x + v, x − v).
  /// One inline-assembly block on x86-64 with BMI2. Constant-time.
  /// @param x first element; receives x + y·w.
  /// @param y second element; receives x − y·w.
  /// @param w the twiddle factor.
  VDAF_ALWAYS_INLINE static void bfly_dit(Field128& x, Field128& y, const Field128& w) noexcept {
#if VDAF_FIELD128_ASM
    detail::field128_bfly_dit_asm(x.lo, x.hi, y.lo, y.hi, w.lo, w.hi);
#else
    const Field128 u = x, v = mul(y, w);
    x = add(u, v);
    y = sub(u, v);
#endif
  }
  /// NTT butterfly without twiddle: (ox, oy) ← (x + y, x − y); `ox`, `oy`
  /// may be `x`, `y`. Constant-time.
  /// @param x first input. @param y second input.
  /// @param ox receives x + y. @param oy receives x − y.
  VDAF_ALWAYS_INLINE static void bfly(const Field128& x, const Field128& y, Field128& ox,
                                      Field128& oy) noexcept {
#if VDAF_FIELD128_ASM
    detail::field128_bfly_asm(x.lo, x.hi, y.lo, y.hi, ox.lo, ox.hi, oy.lo, oy.hi);
#else
    const Field128 u = x, v = y;
    ox = add(u, v);
    oy = sub(u, v);
#endif
  }
  /// NTT butterfly (decimation in frequency): (ox, oy) ← (x + y, (x − y)·w);
  /// `ox`, `oy` may be `x`, `y`. Constant-time.
  /// @param x first input. @param y second input.
  /// @param ox receives x + y. @param oy receives (x − y)·w.
  /// @param w the twiddle factor.
  VDAF_ALWAYS_INLINE static void bfly_dif(const Field128& x, const Field128& y, Field128& ox,
                                          Field128& oy, const Field128& w) noexcept {
#if VDAF_FIELD128_ASM
    detail::field128_bfly_dif_asm(x.lo, x.hi, y.lo, y.hi, ox.lo, ox.hi, oy.lo, oy.hi, w.lo, w.hi);
#else
    const Field128 u = x, v = y;
    ox = add(u, v);
    oy = mul(sub(u, v), w);
#endif
  }

  /// The element `x mod p`. Constant-time.
  /// @param x any 128-bit integer.
  /// @return x mod p.
  static constexpr Field128 from_int(Int x) noexcept {
    // x may be >= p: reduce once (x < 2^128 < 2p).
    Field128 t = reduce_once(static_cast<std::uint64_t>(x), static_cast<std::uint64_t>(x >> 64), 0);
    return mont_mul(t.lo, t.hi, static_cast<std::uint64_t>(R2),
                    static_cast<std::uint64_t>(R2 >> 64));
  }
  /// The element `k` for any 64-bit `k` (< p). Constant-time.
  /// @param k any 64-bit integer.
  /// @return the element k.
  static constexpr Field128 from_u64(std::uint64_t k) noexcept { return from_int(k); }
  /// The element `bit` (0 or 1) without a Montgomery multiplication: R1's limbs under a mask
  /// (through value_barrier at run time, so no compiler turns it into a branch). Constant-time.
  /// @param bit 0 or 1 (other values give unspecified results).
  /// @return 1 if bit = 1, else 0.
  VDAF_ALWAYS_INLINE static constexpr Field128 from_bit(std::uint64_t bit) noexcept {
    std::uint64_t mask = 0 - bit;
    if (!std::is_constant_evaluated()) mask = value_barrier(mask);
    return limbs(static_cast<std::uint64_t>(R1) & mask,
                 static_cast<std::uint64_t>(R1 >> 64) & mask);
  }
  /// The multiplicative identity 1.
  /// @return 1 (Montgomery limbs R1).
  static constexpr Field128 one() noexcept {
    return limbs(static_cast<std::uint64_t>(R1), static_cast<std::uint64_t>(R1 >> 64));
  }
  /// The canonical integer in [0, p) (converted out of Montgomery form). Constant-time.
  /// @return the value in [0, p).
  constexpr Int as_int() const noexcept {
#if VDAF_FIELD128_ASM
    if (!std::is_constant_evaluated()) {
      std::uint64_t r0, r1;
      detail::field128_from_mont_asm(lo, hi, r0, r1);
      return (static_cast<uint128>(r1) << 64) | r0;
    }
#endif
    Field128 t = mont_mul(lo, hi, 1, 0);
    return (static_cast<uint128>(t.hi) << 64) | t.lo;
  }
  /// Generator of the order-2^66 subgroup: 7^(2^62−7) (§6.1).
  /// @return the generator, `0x6d278fbf4f60228b1f9b2759c5109f06`.
  static constexpr Field128 gen() noexcept {
    return from_int((static_cast<uint128>(0x6d278fbf4f60228bULL) << 64) | 0x1f9b2759c5109f06ULL);
  }
  /// Constant-time equality (Montgomery limbs are canonical).
  /// @param o the element to compare with.
  /// @return true iff both elements are equal.
  constexpr bool operator==(const Field128& o) const noexcept {
    return ((lo ^ o.lo) | (hi ^ o.hi)) == 0;
  }

  /// Writes 16 little-endian bytes of the canonical value. Spec: §6.1.1. Constant-time.
  /// @param out destination of ENCODED_SIZE (16) writable bytes.
  void encode_to(std::uint8_t* out) const noexcept {
    Int x = as_int();
    detail::store_le64(out, static_cast<std::uint64_t>(x));
    detail::store_le64(out + 8, static_cast<std::uint64_t>(x >> 64));
  }
  /// Reads 16 little-endian bytes into `out`; returns non-zero if >= p.
  /// `FieldOps::decode_vec` turns a non-zero result into `decode_error`.
  /// Spec: §6.1.1. Constant-time.
  /// @param in ENCODED_SIZE (16) readable bytes.
  /// @param out receives the decoded element (the value reduced mod p).
  /// @return 0 if the encoding is canonical (< p), non-zero otherwise.
  static std::uint64_t decode_from(const std::uint8_t* in, Field128& out) noexcept {
    std::uint64_t x0 = detail::load_le64(in), x1 = detail::load_le64(in + 8);
    std::uint64_t b0, b1;
    (void)detail::sbb(x0, P0, 0, b0);
    (void)detail::sbb(x1, P1, b0, b1);
    out = from_int((static_cast<uint128>(x1) << 64) | x0);
    return b1 ^ 1;  // no borrow → x >= p
  }
  /// One rejection-sampling step of §6.2 `next_vec`: reads 16 little-endian
  /// bytes, masks with 2^128 − 1 (a no-op), returns non-zero to reject (>= p).
  /// Same as `decode_from`. Spec: §6.2. Constant-time.
  /// @param in ENCODED_SIZE (16) readable bytes of XOF output.
  /// @param out receives the sampled element (meaningful only if accepted).
  /// @return 0 to accept the sample, non-zero to reject it (value >= p).
  static std::uint64_t sample_from(const std::uint8_t* in, Field128& out) noexcept {
    return decode_from(in, out);
  }
};

/// Any field element type of this library (§6.1). `F::MODULUS` and `F::Int`
/// need not be built-in integers (Field255 uses four 64-bit limbs): generic
/// code builds small constants with `F::from_u64` and inverts with `inv()`.
template <class F>
concept Field = requires(F a, F b, std::uint64_t k, const std::uint8_t* in, std::uint8_t* out) {
  {F::MODULUS};
  { F::ENCODED_SIZE } -> std::convertible_to<std::size_t>;
  { a + b } -> std::same_as<F>;
  { a - b } -> std::same_as<F>;
  { a* b } -> std::same_as<F>;
  { -a } -> std::same_as<F>;
  { a.inv() } -> std::same_as<F>;
  { F::zero() } -> std::same_as<F>;
  { F::one() } -> std::same_as<F>;
  { F::from_u64(k) } -> std::same_as<F>;
  {a.as_int()};
  { F::decode_from(in, a) } -> std::same_as<std::uint64_t>;
  { F::sample_from(in, a) } -> std::same_as<std::uint64_t>;
  a.encode_to(out);
};

/// A field with a power-of-two subgroup (§6.1.2).
template <class F>
concept NttField = Field<F> && requires {
  { F::GEN_ORDER_LOG2 } -> std::convertible_to<unsigned>;
  { F::gen() } -> std::same_as<F>;
};

/// Principal n-th root of unity `gen^(GEN_ORDER/n)` for n = 2^log2_n (§6.1.2).
/// Public data (no secret input).
/// @param log2_n log2 of n, in 0..GEN_ORDER_LOG2 (larger values return gen()).
/// @return W_n.
template <NttField F>
F nth_root(unsigned log2_n) noexcept {
  F w = F::gen();
  for (unsigned i = log2_n; i < F::GEN_ORDER_LOG2; ++i) w *= w;
  return w;
}

/// `F(k)` for a 64-bit integer (reduced mod p). Constant-time.
/// @param k any 64-bit integer.
/// @return k mod p.
template <Field F>
constexpr F field_from_u64(std::uint64_t k) noexcept {
  return F::from_u64(k);
}

/// `F(bit)` for bit 0 or 1: the field's `from_bit` when it has one (Field128, where from_u64
/// costs a Montgomery multiplication), else from_u64. For the 0/1 elements of encodings
/// (Histogram, SumVec, MultihotCountVec bits). Constant-time.
/// @param bit 0 or 1 (other values give unspecified results).
/// @return the element bit.
template <Field F>
constexpr F field_from_bit(std::uint64_t bit) noexcept {
  if constexpr (requires { F::from_bit(bit); }) {
    return F::from_bit(bit);
  } else {
    return F::from_u64(bit);
  }
}

// --- vector operations over contiguous spans ------------------------------

#if VDAF_NTT64_HWY
namespace detail {
static_assert(sizeof(Field64) == sizeof(std::uint64_t) && std::is_standard_layout_v<Field64>);
/// The canonical words of a Field64 array (Field64 is one uint64_t, standard layout), for the
/// vector kernels of detail/simd/ntt64_hwy.hpp.
inline std::uint64_t* field64_words(Field64* p) noexcept {
  return reinterpret_cast<std::uint64_t*>(p);
}
inline const std::uint64_t* field64_words(const Field64* p) noexcept {
  return reinterpret_cast<const std::uint64_t*>(p);
}
}  // namespace detail
#endif

/// out[i] += a[i]. Lengths must match (checked by callers). Constant-time.
/// Field64: the vector kernel of detail/simd/ntt64_hwy.hpp where compiled in (AVX2/AVX-512),
/// the rest (and other builds) with `add_portable`.
/// @param out the accumulator, updated in place.
/// @param a the addend, len(a) == len(out).
template <Field F>
void vec_add(std::span<F> out, std::span<const F> a) noexcept {
  if constexpr (requires(F x) { F::add_portable(x, x); }) {
    std::size_t i = 0;
#if VDAF_NTT64_HWY
    if constexpr (std::is_same_v<F, Field64>) {  // Field64 on vectors (detail/simd/ntt64_hwy.hpp)
      i = detail::ntt64_hwy::add_n(detail::field64_words(out.data()),
                                   detail::field64_words(a.data()), out.size());
    }
#endif
    for (; i < out.size(); ++i) out[i] = F::add_portable(out[i], a[i]);
  } else {
    for (std::size_t i = 0; i < out.size(); ++i) out[i] += a[i];
  }
}
/// out[i] -= a[i]. Lengths must match (checked by callers). Constant-time.
/// Field64 on the vector kernel where compiled in, as `vec_add`.
/// @param out the minuend, updated in place.
/// @param a the subtrahend, len(a) == len(out).
template <Field F>
void vec_sub(std::span<F> out, std::span<const F> a) noexcept {
  if constexpr (requires(F x) { F::sub_portable(x, x); }) {
    std::size_t i = 0;
#if VDAF_NTT64_HWY
    if constexpr (std::is_same_v<F, Field64>) {  // Field64 on vectors (detail/simd/ntt64_hwy.hpp)
      i = detail::ntt64_hwy::sub_n(detail::field64_words(out.data()),
                                   detail::field64_words(a.data()), out.size());
    }
#endif
    for (; i < out.size(); ++i) out[i] = F::sub_portable(out[i], a[i]);
  } else {
    for (std::size_t i = 0; i < out.size(); ++i) out[i] -= a[i];
  }
}
/// out[i] *= c. Constant-time.
/// @param out the vector, scaled in place.
/// @param c the scalar.
template <Field F>
void vec_scale(std::span<F> out, F c) noexcept {
  for (auto& x : out) x *= c;
}

VDAF_END_NAMESPACE
