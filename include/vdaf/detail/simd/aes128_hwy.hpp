// AES-128 through AES instructions, via Highway (static dispatch): the fast path under
// XofFixedKeyAes128 (draft-irtf-cfrg-vdaf-20 §6.2.2). Its scalar twin is detail/aes128.hpp; the
// test tests/xof/aes128_test.cpp compares the two.
//
// Not API. Which path is compiled is decided by the target the user compiles for (-march...);
// every translation unit of a program must use the same flags (static dispatch):
//
// VDAF_AES128_HWY == 1 when VDAF_NO_SIMD is not defined and Highway's static target has AES
//   instructions behind hwy::HWY_NAMESPACE::AESRound:
//   - x86: target SSE4, AVX2, AVX3 or AVX3_DL, which Highway 1.0.3 selects only when both __AES__
//     and __PCLMUL__ are defined: -march=x86-64-v3 -maes -mpclmul, -march=skylake, -march=znver2,
//     -march=icelake-server, -march=native on a CPU with AES-NI, ...
//     NOTE: -march=x86-64-v3 (or -v2, -v4, -march=haswell) alone enables neither AES nor PCLMUL:
//     Highway's target is then SSSE3 and the portable path is used.
//   - AArch64: target NEON with __ARM_FEATURE_AES (-march=armv8-a+crypto). Not tested here.
// VDAF_AES128_HWY == 0 otherwise (default x86-64 flags, VDAF_NO_SIMD, SSSE3-only targets, SVE):
//   XofFixedKeyAes128 uses the portable bitsliced implementation of detail/aes128.hpp.
//
// VDAF_AES128_HWY_WIDE == 1 (x86) when 256-bit VAES is available, two blocks per vector:
//   - Highway target AVX3_DL, whose AESRound on 256-bit vectors is vaesenc ymm (Highway 1.0.3
//     needs HWY_WANT_AVX3_DL for that target, e.g. with -march=sapphirerapids: defined below);
//   - targets AVX2/AVX3 with __VAES__ (-march=icelake-server, -march=znver3, -march=native on such
//     CPUs), where Highway 1.0.3 would split a 256-bit AESRound into two 128-bit halves: this file
//     then issues _mm256_aesenc_epi128 on the Highway vector's raw register itself (the one place
//     that bypasses Highway's ops, because Highway 1.0.3 has no VAES op for these targets).
//
// Throughput: eight vectors (8 blocks, or 16 with VAES) are kept in flight per loop iteration so
// the pipelined AES units stay busy; remainders use 4/2/1-vector groups. Measured (Sapphire
// Rapids-class, g++ 12 / clang 14 -O2): ~1.45-1.6 ns/block with AES-NI, ~0.7 ns/block with VAES.
// Constant-time: yes (AES instructions; no secret-dependent branch or index).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "vdaf/config.hpp"
#include "vdaf/detail/aes128.hpp"

#if !defined(VDAF_NO_SIMD)
#include "vdaf/detail/simd/hwy_target.hpp"
#if HWY_ARCH_X86 && defined(__AES__)
#include <wmmintrin.h>  // AESKEYGENASSIST (key expansion)
#endif

#if HWY_ARCH_X86 && !defined(HWY_DISABLE_PCLMUL_AES) &&                            \
    (HWY_TARGET == HWY_SSE4 || HWY_TARGET == HWY_AVX2 || HWY_TARGET == HWY_AVX3 || \
     HWY_TARGET == HWY_AVX3_DL)
#define VDAF_AES128_HWY 1
#if HWY_TARGET == HWY_AVX3_DL || \
    (defined(__VAES__) && (HWY_TARGET == HWY_AVX2 || HWY_TARGET == HWY_AVX3))
#define VDAF_AES128_HWY_WIDE 1
#endif
#elif HWY_ARCH_ARM_A64 && HWY_TARGET == HWY_NEON && defined(__ARM_FEATURE_AES)
#define VDAF_AES128_HWY 1
#endif
#endif  // !VDAF_NO_SIMD

#ifndef VDAF_AES128_HWY
#define VDAF_AES128_HWY 0
#endif
#ifndef VDAF_AES128_HWY_WIDE
#define VDAF_AES128_HWY_WIDE 0
#endif
// VDAF_AES128_X86_BLOCK == 1 (set below) when aes128_mmo_xmm exists: VDAF_AES128_HWY on x86 with
// AES-NI.

#if VDAF_AES128_HWY

VDAF_BEGIN_NAMESPACE

namespace detail::simd {

namespace hn = hwy::HWY_NAMESPACE;

/// Name of the Highway target the AES kernels were compiled for (e.g. "AVX2").
inline const char* aes128_hwy_target() noexcept { return hwy::TargetName(HWY_TARGET); }

/// One AES round (AES-NI semantics: SubBytes, ShiftRows, MixColumns, AddRoundKey) on each
/// 128-bit block of the vector.
template <class V>
VDAF_ALWAYS_INLINE V aes_round(V state, V round_key) noexcept {
  return hn::AESRound(state, round_key);
}
template <class V>
VDAF_ALWAYS_INLINE V aes_last_round(V state, V round_key) noexcept {
  return hn::AESLastRound(state, round_key);
}
#if VDAF_AES128_HWY_WIDE && HWY_TARGET != HWY_AVX3_DL
// Highway 1.0.3 emits vaesenc ymm only for the AVX3_DL target; use it directly when the compiler
// has VAES on AVX2/AVX3 targets.
VDAF_ALWAYS_INLINE hn::Vec256<std::uint8_t> aes_round(hn::Vec256<std::uint8_t> state,
                                                      hn::Vec256<std::uint8_t> round_key) noexcept {
  return hn::Vec256<std::uint8_t>{_mm256_aesenc_epi128(state.raw, round_key.raw)};
}
VDAF_ALWAYS_INLINE hn::Vec256<std::uint8_t> aes_last_round(
    hn::Vec256<std::uint8_t> state, hn::Vec256<std::uint8_t> round_key) noexcept {
  return hn::Vec256<std::uint8_t>{_mm256_aesenclast_epi128(state.raw, round_key.raw)};
}
#endif

#if HWY_ARCH_X86 && defined(__AES__)
namespace detail_keygen {
/// One step of the AES-NI key schedule: round key r+1 from round key r and
/// AESKEYGENASSIST(round key r, Rcon) (whose word 3 is RotWord(SubWord(w3)) ^ Rcon).
VDAF_ALWAYS_INLINE __m128i expand_step(__m128i key, __m128i assist) noexcept {
  assist = _mm_shuffle_epi32(assist, 0xff);
  key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
  key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
  key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
  return _mm_xor_si128(key, assist);
}

/// The round constants Rcon[1..10] (FIPS 197 §5.2).
inline constexpr int kRcon[aes128::ROUNDS] = {0x01, 0x02, 0x04, 0x08, 0x10,
                                              0x20, 0x40, 0x80, 0x1B, 0x36};

/// One round with Rcon as a template argument: AESKEYGENASSIST takes it as an immediate
/// (g++ at -O0 accepts only a constant expression of the call itself).
template <int kRc>
VDAF_ALWAYS_INLINE __m128i expand_round(__m128i k) noexcept {
  return expand_step(k, _mm_aeskeygenassist_si128(k, kRc));
}

/// Round keys 1..10 from round key 0 in `k`: a fold over a compile-time index pack, since
/// the immediate rules out a loop.
template <std::size_t... R>
VDAF_ALWAYS_INLINE void expand_rounds(__m128i k, aes128::RoundKeys& out,
                                      std::index_sequence<R...>) noexcept {
  ((k = expand_round<kRcon[R]>(k), _mm_storeu_si128(reinterpret_cast<__m128i*>(out.rk[R + 1]), k)),
   ...);
}

/// expand_rounds for two keys at once, their rounds interleaved (two independent
/// AESKEYGENASSIST chains in flight).
template <std::size_t... R>
VDAF_ALWAYS_INLINE void expand_rounds2(__m128i k0, __m128i k1, aes128::RoundKeys& out0,
                                       aes128::RoundKeys& out1,
                                       std::index_sequence<R...>) noexcept {
  ((k0 = expand_round<kRcon[R]>(k0), k1 = expand_round<kRcon[R]>(k1),
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out0.rk[R + 1]), k0),
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out1.rk[R + 1]), k1)),
   ...);
}
}  // namespace detail_keygen
#endif

/// KeyExpansion (FIPS 197 §5.2) with the AES instructions: on x86 with AES-NI the
/// AESKEYGENASSIST schedule (~25 ns, no scalar word loop); elsewhere SubWord is computed by
/// AESLastRound on the word broadcast to all four columns (so ShiftRows is the identity) with a
/// zero round key. Constant-time: yes.
inline void aes128_expand_key(const std::uint8_t key[16], aes128::RoundKeys& out) noexcept {
  static_assert(std::endian::native == std::endian::little, "Highway AES path assumes LE lanes");
#if HWY_ARCH_X86 && defined(__AES__)
  const __m128i k = _mm_loadu_si128(reinterpret_cast<const __m128i*>(key));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out.rk[0]), k);
  detail_keygen::expand_rounds(k, out, std::make_index_sequence<aes128::ROUNDS>{});
#else
  aes128::expand_key_with(key, out, [](std::uint32_t w) {
    const hn::Full128<std::uint32_t> d32;
    const hn::Full128<std::uint8_t> d8;
    const auto v = hn::BitCast(d8, hn::Set(d32, w));
    return hn::GetLane(hn::BitCast(d32, hn::AESLastRound(v, hn::Zero(d8))));
  });
#endif
}

/// aes128_expand_key on two keys, byte-identical to two calls; with AES-NI the two schedules
/// are computed in one interleaved pass (each round of one key waits on the latency of the
/// previous one, so two chains cost little more than one). Constant-time: yes.
inline void aes128_expand_key2(const std::uint8_t key0[16], const std::uint8_t key1[16],
                               aes128::RoundKeys& out0, aes128::RoundKeys& out1) noexcept {
#if HWY_ARCH_X86 && defined(__AES__)
  const __m128i k0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(key0));
  const __m128i k1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(key1));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out0.rk[0]), k0);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out1.rk[0]), k1);
  detail_keygen::expand_rounds2(k0, k1, out0, out1, std::make_index_sequence<aes128::ROUNDS>{});
#else
  aes128_expand_key(key0, out0);
  aes128_expand_key(key1, out1);
#endif
}

/// `K` vectors of blocks through AES-128: out = AES(in), or AES(in) XOR in with kMmo.
/// `rk` holds the 11 round keys broadcast to every 128-bit block of a vector.
/// Loads one vector of blocks. Vectors wider than one block are assembled from 16-byte loads:
/// callers such as the IDPF write each block with one 16-byte store just before, and a wider
/// load spanning several stores cannot be forwarded from them (a stall on x86).
template <class D>
VDAF_ALWAYS_INLINE hn::Vec<D> load_blocks(D d, const std::uint8_t* p) noexcept {
  if constexpr (hn::MaxLanes(D()) == 32) {
    const hn::Half<D> dh;
    return hn::Combine(d, hn::LoadU(dh, p + 16), hn::LoadU(dh, p));
  } else {
    return hn::LoadU(d, p);
  }
}

template <std::size_t K, bool kMmo, class D>
VDAF_ALWAYS_INLINE void aes128_group(D d, const hn::Vec<D>* rk, const std::uint8_t* in,
                                     std::uint8_t* out) noexcept {
  constexpr std::size_t kBytes = hn::MaxLanes(D());
  hn::Vec<D> s[K];
#pragma GCC unroll 16
  for (std::size_t k = 0; k < K; ++k) s[k] = hn::Xor(load_blocks(d, in + k * kBytes), rk[0]);
#pragma GCC unroll 9
  for (std::size_t r = 1; r < aes128::ROUNDS; ++r) {
#pragma GCC unroll 16
    for (std::size_t k = 0; k < K; ++k) s[k] = aes_round(s[k], rk[r]);
  }
#pragma GCC unroll 16
  for (std::size_t k = 0; k < K; ++k) {
    s[k] = aes_last_round(s[k], rk[aes128::ROUNDS]);
    // in == out is allowed: block k is read here before it is overwritten.
    if constexpr (kMmo) s[k] = hn::Xor(s[k], load_blocks(d, in + k * kBytes));
    hn::StoreU(s[k], d, out + k * kBytes);
  }
}

template <bool kMmo, class D>
VDAF_ALWAYS_INLINE void aes128_run(D d, const aes128::RoundKeys& keys, const std::uint8_t*& in,
                                   std::uint8_t*& out, std::size_t& n) noexcept {
  constexpr std::size_t kPerVec = hn::MaxLanes(D()) / aes128::BLOCK_SIZE;  // blocks per vector
  constexpr std::size_t kInFlight = 8;                                     // vectors per group
  if (n < kPerVec) return;
  hn::Vec<D> rk[aes128::ROUNDS + 1];
#pragma GCC unroll 11
  for (std::size_t r = 0; r <= aes128::ROUNDS; ++r) rk[r] = hn::LoadDup128(d, keys.rk[r]);
  for (; n >= kInFlight * kPerVec; n -= kInFlight * kPerVec) {
    aes128_group<kInFlight, kMmo>(d, rk, in, out);
    in += kInFlight * kPerVec * aes128::BLOCK_SIZE;
    out += kInFlight * kPerVec * aes128::BLOCK_SIZE;
  }
  if (n >= 4 * kPerVec) {
    aes128_group<4, kMmo>(d, rk, in, out);
    in += 4 * kPerVec * aes128::BLOCK_SIZE;
    out += 4 * kPerVec * aes128::BLOCK_SIZE;
    n -= 4 * kPerVec;
  }
  if (n >= 2 * kPerVec) {
    aes128_group<2, kMmo>(d, rk, in, out);
    in += 2 * kPerVec * aes128::BLOCK_SIZE;
    out += 2 * kPerVec * aes128::BLOCK_SIZE;
    n -= 2 * kPerVec;
  }
  if (n >= kPerVec) {
    aes128_group<1, kMmo>(d, rk, in, out);
    in += kPerVec * aes128::BLOCK_SIZE;
    out += kPerVec * aes128::BLOCK_SIZE;
    n -= kPerVec;
  }
}

/// Runs `n` blocks (16 bytes each) from `in` to `out` (`in == out` allowed, other overlaps not).
template <bool kMmo>
inline void aes128_blocks(const aes128::RoundKeys& keys, const std::uint8_t* in, std::uint8_t* out,
                          std::size_t n) noexcept {
#if VDAF_AES128_HWY_WIDE
  aes128_run<kMmo>(hn::Full256<std::uint8_t>(), keys, in, out, n);  // leaves n <= 1
#endif
  aes128_run<kMmo>(hn::Full128<std::uint8_t>(), keys, in, out, n);
}

/// AES-128 encryption (FIPS 197 §5.1) of `n` blocks: out_i = AES_K(in_i). `in == out` allowed.
/// Constant-time: yes.
inline void aes128_encrypt_blocks(const aes128::RoundKeys& keys, const std::uint8_t* in,
                                  std::uint8_t* out, std::size_t n) noexcept {
  aes128_blocks<false>(keys, in, out, n);
}

/// out_i = AES_K(in_i) XOR in_i (the fixed-key hash of XofFixedKeyAes128 on σ-images).
/// `in == out` allowed. Constant-time: yes.
inline void aes128_mmo_blocks(const aes128::RoundKeys& keys, const std::uint8_t* in,
                              std::uint8_t* out, std::size_t n) noexcept {
  aes128_blocks<true>(keys, in, out, n);
}

#if HWY_ARCH_X86 && defined(__AES__)
#define VDAF_AES128_X86_BLOCK 1
/// x ↦ AES_K(x) ⊕ x on one block in an xmm register (AES-NI), for dependency chains that keep
/// their block in registers (the IDPF's single-path walk): no store and reload of the block
/// around the AES. The round keys are loaded here (off the chain). Same result as
/// aes128_mmo_blocks on one block. Constant-time: yes.
VDAF_ALWAYS_INLINE __m128i aes128_mmo_xmm(const aes128::RoundKeys& keys, __m128i x) noexcept {
  const auto* rk = reinterpret_cast<const __m128i*>(keys.rk);
  __m128i s = _mm_xor_si128(x, _mm_loadu_si128(rk));
#pragma GCC unroll 9
  for (std::size_t r = 1; r < aes128::ROUNDS; ++r) s = _mm_aesenc_si128(s, _mm_loadu_si128(rk + r));
  s = _mm_aesenclast_si128(s, _mm_loadu_si128(rk + aes128::ROUNDS));
  return _mm_xor_si128(s, x);
}
#endif

}  // namespace detail::simd

VDAF_END_NAMESPACE

#endif  // VDAF_AES128_HWY

#ifndef VDAF_AES128_X86_BLOCK
#define VDAF_AES128_X86_BLOCK 0
#endif
