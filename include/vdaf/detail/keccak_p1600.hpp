// Keccak-p[1600, 12]: the reduced-round Keccak permutation used by TurboSHAKE128
// (RFC 9861 §2.2) and KangarooTwelve. Not API: used by include/vdaf/xof/.
//
// Scalar; every lane index and rotation amount is a compile-time constant (loops indexed `i % 5`
// are not unrolled by g++ 12 and run 2.5-3x slower, see docs/performance.md). The rounds run in
// a loop of two per iteration (~2 KB of code), not fully unrolled (~10 KB): unrolled was 3 %
// faster in a tight loop, but slower in place (IDPF eval, Prio3 rounds), where the rest of the
// work evicted the long body from the op cache between calls.
//
// Lane complementing (the "lane complementing transform" of the Keccak implementation overview,
// with our own choice of lanes): while the rounds run, the lanes in COMPLEMENTED_LANES are kept
// bitwise complemented. chi, b0 ^ (~b1 & b2), needs one NOT per output lane (25 per round) on
// x86-64 without BMI1; with the complement pattern below each output can be written with AND/OR
// of possibly-complemented inputs and only 6 NOTs per round remain. The pattern was found by
// exhaustive search over all 2^25 patterns (minimum is 6). Theta, rho and pi commute with
// complementing (rotations of all-ones are all-ones; theta flips whole columns, tracked below),
// so only chi needs to know which of its inputs are complemented. All of that is decided at
// compile time.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "vdaf/config.hpp"

// g++ 12 does not know Zen 4: with -march=native there it enables AVX-512 under znver3 tuning and
// then keeps the 25 lanes in xmm16-31 (530 vmovq per permutation), 1.7x slower (218 vs 127 ns).
// Compiling the permutation without AVX-512 keeps the spills in memory; it is scalar code and
// loses nothing else. Clang is not affected.
#if defined(__GNUC__) && !defined(__clang__) && defined(__AVX512F__)
#pragma GCC push_options
#pragma GCC target("no-avx512f")
#define VDAF_KECCAK_NOINLINE __attribute__((noinline))
#define VDAF_KECCAK_POP_OPTIONS 1
#else
#define VDAF_KECCAK_NOINLINE
#endif

VDAF_BEGIN_NAMESPACE

namespace detail {

namespace keccak {

/// Rotate left by a compile-time amount (std::rotl could not be inlined into the AVX-512-free
/// region above, being compiled for the translation unit's target).
template <int N>
VDAF_ALWAYS_INLINE constexpr std::uint64_t rotl64(std::uint64_t x) noexcept {
  if constexpr (N % 64 == 0) {
    return x;
  } else {
    return (x << (N % 64)) | (x >> (64 - N % 64));
  }
}

/// Round constants of Keccak-f[1600] (FIPS 202 §3.2.5), rounds 0..23. Keccak-p[1600, 12] uses
/// rounds 12..23.
inline constexpr std::uint64_t ROUND_CONSTANTS[24] = {
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
};

/// Rho rotation offsets (FIPS 202 §3.2.2), indexed by lane x + 5 * y.
inline constexpr int RHO[25] = {
    0,  1,  62, 28, 27,  // y = 0
    36, 44, 6,  55, 20,  // y = 1
    3,  10, 43, 25, 39,  // y = 2
    41, 45, 15, 21, 8,   // y = 3
    18, 2,  61, 56, 14,  // y = 4
};

/// Bit i set: lane i is stored complemented between rounds (lanes 1, 7, 8, 14, 17, 22). With BMI1
/// the compiler has ANDN, which makes ~b1 & b2 one instruction: there no lane is complemented
/// (measured on Zen 4: 124 ns with ANDN and no complementing, 130 ns with both, 135 ns with
/// complementing and no BMI1, 148 ns with neither).
#if defined(__BMI__)
inline constexpr std::uint32_t COMPLEMENTED_LANES = 0;
#else
inline constexpr std::uint32_t COMPLEMENTED_LANES = 0x424182;
#endif

constexpr bool complemented(int lane) { return ((COMPLEMENTED_LANES >> lane) & 1U) != 0; }

constexpr bool column_complemented(int x) {
  bool parity = false;
  for (int y = 0; y < 5; ++y) parity = parity != complemented(x + 5 * y);
  return parity;
}

/// Theta adds d[x] = c[x - 1] ^ rotl(c[x + 1], 1) to column x; computed from the stored lanes, d[x]
/// comes out complemented when exactly one of the columns x - 1, x + 1 holds an odd number of
/// complemented lanes.
constexpr bool theta_flips_column(int x) {
  return column_complemented((x + 4) % 5) != column_complemented((x + 1) % 5);
}

/// pi moves lane (x, y) to (y, 2x + 3y), so output lane (X, Y) = (out_x, out_y) of pi comes from
/// input lane (x, y) = ((X + 3Y) mod 5, X).
constexpr int pi_source_x(int out_x, int out_y) { return (out_x + 3 * out_y) % 5; }
constexpr int pi_source_lane(int out_x, int out_y) { return pi_source_x(out_x, out_y) + 5 * out_x; }

/// Whether chi's input b[X] of row Y arrives complemented.
constexpr bool chi_input_complemented(int out_x, int out_y) {
  return complemented(pi_source_lane(out_x, out_y)) !=
         theta_flips_column(pi_source_x(out_x, out_y));
}

/// How chi computes output X of row Y from stored inputs B0 = B[X], B1 = B[X + 1], B2 = B[X + 2]
/// (each possibly complemented): E = B0 ^ (L1 & L2) or E = B0 ^ (L1 | L2), where L1 and L2 are B1
/// and B2 or their complements, then E is complemented if needed so that it is stored as the next
/// round expects (complemented iff lane X + 5Y is in COMPLEMENTED_LANES).
struct ChiOutputForm {
  bool use_or;
  bool not_l1;
  bool not_l2;
  bool not_out;
};

/// chi_input_complemented for every (X, Y), at index X + 5 * Y: computed once per translation unit
/// (clang's constant evaluator does not memoise calls, and the searches below ask for each entry
/// hundreds of times).
inline constexpr std::array<bool, 25> CHI_INPUT_COMPLEMENTED = [] {
  std::array<bool, 25> t{};
  for (int y = 0; y < 5; ++y) {
    for (int x = 0; x < 5; ++x)
      t[static_cast<std::size_t>(x + 5 * y)] = chi_input_complemented(x, y);
  }
  return t;
}();

/// With b_j = B_j ^ f_j (f_j = all-ones if complemented): ~b1 & b2 = L1 & L2 with L1 = ~B1 unless
/// f1, L2 = B2 unless f2; by De Morgan it also equals ~(~L1 | ~L2). Output needs e ^ g, g the
/// wanted complement, and e = B0 ^ f0 ^ (~b1 & b2).
constexpr ChiOutputForm chi_output_form(int out_x, int out_y, bool use_or) {
  const auto in = [out_y](int x) {
    return CHI_INPUT_COMPLEMENTED[static_cast<std::size_t>(x % 5 + 5 * out_y)];
  };
  const bool f0 = in(out_x);
  const bool f1 = in(out_x + 1);
  const bool f2 = in(out_x + 2);
  const bool g = complemented(out_x + 5 * out_y);
  const bool and_not_l1 = !f1;
  const bool and_not_l2 = f2;
  const bool and_not_out = f0 != g;
  if (!use_or) return {false, and_not_l1, and_not_l2, and_not_out};
  return {true, !and_not_l1, !and_not_l2, !and_not_out};
}

/// Number of NOT instructions row Y needs when output X uses the OR form iff bit X of or_mask is
/// set (complemented inputs are shared between outputs).
constexpr int chi_row_not_count(int out_y, unsigned or_mask) {
  unsigned negated_inputs = 0;
  int count = 0;
  for (int out_x = 0; out_x < 5; ++out_x) {
    const ChiOutputForm form = chi_output_form(out_x, out_y, ((or_mask >> out_x) & 1U) != 0);
    if (form.not_l1) negated_inputs |= 1U << ((out_x + 1) % 5);
    if (form.not_l2) negated_inputs |= 1U << ((out_x + 2) % 5);
    if (form.not_out) ++count;
  }
  return count + std::popcount(negated_inputs);
}

/// The cheapest choice of AND/OR forms for row Y (bit X set: output X uses the OR form).
constexpr unsigned chi_row_or_mask(int out_y) {
  unsigned best_mask = 0;
  int best = chi_row_not_count(out_y, 0);
  for (unsigned mask = 1; mask < 32; ++mask) {
    const int n = chi_row_not_count(out_y, mask);
    if (n < best) {
      best = n;
      best_mask = mask;
    }
  }
  return best_mask;
}

/// NOTs per round with the chosen forms: 6 with COMPLEMENTED_LANES = 0x424182 (25 without
/// complementing, where ANDN does the work).
constexpr int chi_round_not_count() {
  int n = 0;
  for (int out_y = 0; out_y < 5; ++out_y) n += chi_row_not_count(out_y, chi_row_or_mask(out_y));
  return n;
}
static_assert(COMPLEMENTED_LANES == 0 ? chi_round_not_count() == 25 : chi_round_not_count() == 6);

/// The chosen form of every chi output (X, Y), at index X + 5 * Y (computed once, see above).
inline constexpr std::array<ChiOutputForm, 25> CHI_OUTPUT_FORMS = [] {
  std::array<ChiOutputForm, 25> t{};
  for (int y = 0; y < 5; ++y) {
    const unsigned mask = chi_row_or_mask(y);
    for (int x = 0; x < 5; ++x) {
      t[static_cast<std::size_t>(x + 5 * y)] = chi_output_form(x, y, ((mask >> x) & 1U) != 0);
    }
  }
  return t;
}();

/// One output lane of chi in the form chosen at compile time.
template <int X, int Y>
VDAF_ALWAYS_INLINE std::uint64_t chi_output(std::uint64_t b0, std::uint64_t b1,
                                            std::uint64_t b2) noexcept {
  constexpr ChiOutputForm form = CHI_OUTPUT_FORMS[X + 5 * Y];
  const std::uint64_t l1 = form.not_l1 ? ~b1 : b1;
  const std::uint64_t l2 = form.not_l2 ? ~b2 : b2;
  const std::uint64_t e = b0 ^ (form.use_or ? (l1 | l2) : (l1 & l2));
  return form.not_out ? ~e : e;
}

/// Output row Y of rho, pi, chi (and iota for row 0, round constant rc), with theta's column effect
/// d[x] folded into the loads, and the column parities of the output accumulated into c for the
/// next round's theta.
template <int Y>
VDAF_ALWAYS_INLINE void rho_pi_chi_iota_row(const std::uint64_t (&a)[25],
                                            const std::uint64_t (&d)[5], std::uint64_t (&e)[25],
                                            std::uint64_t (&c)[5], std::uint64_t rc) noexcept {
  constexpr int x0 = pi_source_x(0, Y);
  constexpr int x1 = pi_source_x(1, Y);
  constexpr int x2 = pi_source_x(2, Y);
  constexpr int x3 = pi_source_x(3, Y);
  constexpr int x4 = pi_source_x(4, Y);
  const std::uint64_t b0 = rotl64<RHO[x0 + 0]>(a[x0 + 0] ^ d[x0]);
  const std::uint64_t b1 = rotl64<RHO[x1 + 5]>(a[x1 + 5] ^ d[x1]);
  const std::uint64_t b2 = rotl64<RHO[x2 + 10]>(a[x2 + 10] ^ d[x2]);
  const std::uint64_t b3 = rotl64<RHO[x3 + 15]>(a[x3 + 15] ^ d[x3]);
  const std::uint64_t b4 = rotl64<RHO[x4 + 20]>(a[x4 + 20] ^ d[x4]);
  std::uint64_t e0 = chi_output<0, Y>(b0, b1, b2);
  if constexpr (Y == 0) e0 ^= rc;
  const std::uint64_t e1 = chi_output<1, Y>(b1, b2, b3);
  const std::uint64_t e2 = chi_output<2, Y>(b2, b3, b4);
  const std::uint64_t e3 = chi_output<3, Y>(b3, b4, b0);
  const std::uint64_t e4 = chi_output<4, Y>(b4, b0, b1);
  e[5 * Y + 0] = e0;
  e[5 * Y + 1] = e1;
  e[5 * Y + 2] = e2;
  e[5 * Y + 3] = e3;
  e[5 * Y + 4] = e4;
  if constexpr (Y == 0) {
    c[0] = e0;
    c[1] = e1;
    c[2] = e2;
    c[3] = e3;
    c[4] = e4;
  } else {
    c[0] ^= e0;
    c[1] ^= e1;
    c[2] ^= e2;
    c[3] ^= e3;
    c[4] ^= e4;
  }
}

/// One round of Keccak-f[1600] with round constant rc (theta, rho, pi, chi, iota) on the
/// lane-complemented representation, reading `a` and writing `e` (`e` must not alias `a`). On
/// entry c holds the column parities of `a`; on exit, those of `e`.
VDAF_ALWAYS_INLINE void keccak_round(const std::uint64_t (&a)[25], std::uint64_t (&e)[25],
                                     std::uint64_t (&c)[5], std::uint64_t rc) noexcept {
  const std::uint64_t d[5] = {
      c[4] ^ rotl64<1>(c[1]), c[0] ^ rotl64<1>(c[2]), c[1] ^ rotl64<1>(c[3]),
      c[2] ^ rotl64<1>(c[4]), c[3] ^ rotl64<1>(c[0]),
  };
  rho_pi_chi_iota_row<0>(a, d, e, c, rc);
  rho_pi_chi_iota_row<1>(a, d, e, c, rc);
  rho_pi_chi_iota_row<2>(a, d, e, c, rc);
  rho_pi_chi_iota_row<3>(a, d, e, c, rc);
  rho_pi_chi_iota_row<4>(a, d, e, c, rc);
}

template <int I>
VDAF_ALWAYS_INLINE void complement_lane(std::uint64_t (&a)[25]) noexcept {
  if constexpr (complemented(I)) a[I] = ~a[I];
}

/// Complements the lanes in COMPLEMENTED_LANES (enters and leaves the representation).
template <int... I>
VDAF_ALWAYS_INLINE void complement_lanes(std::uint64_t (&a)[25],
                                         std::integer_sequence<int, I...> /*lanes*/) noexcept {
  (complement_lane<I>(a), ...);
}

}  // namespace keccak

/// Keccak-p[1600, 12] in place: the last 12 rounds (round indices 12..23) of Keccak-f[1600].
///
/// @param a  the 1600-bit state as 25 lanes, lane (x, y) at a[x + 5 * y]; a lane holds the state
///           bytes 8 * (x + 5 * y) .. 8 * (x + 5 * y) + 7 in little-endian order (FIPS 202 §3.1).
/// Spec: RFC 9861 §2.2 (Keccak-p[1600, n_r = 12], FIPS 202 §3.3).
/// Constant-time: yes (no data-dependent branches or indices). noexcept.
VDAF_KECCAK_NOINLINE inline void keccak_p1600_12(std::uint64_t (&a)[25]) noexcept {
  // Rounds alternate between the caller's array and a local one; 12 rounds end back in `a`.
  std::uint64_t t[25];
  keccak::complement_lanes(a, std::make_integer_sequence<int, 25>{});
  std::uint64_t c[5] = {
      a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20], a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21],
      a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22], a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23],
      a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24],
  };
  VDAF_NO_UNROLL
  for (std::size_t r = 12; r < 24; r += 2) {
    keccak::keccak_round(a, t, c, keccak::ROUND_CONSTANTS[r]);
    keccak::keccak_round(t, a, c, keccak::ROUND_CONSTANTS[r + 1]);
  }
  keccak::complement_lanes(a, std::make_integer_sequence<int, 25>{});
}

}  // namespace detail

VDAF_END_NAMESPACE

#if defined(VDAF_KECCAK_POP_OPTIONS)
#pragma GCC pop_options
#undef VDAF_KECCAK_POP_OPTIONS
#endif
#undef VDAF_KECCAK_NOINLINE
