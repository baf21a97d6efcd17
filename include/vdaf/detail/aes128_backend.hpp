// The AES-128 implementation under the AES-based XOFs (XofFixedKeyAes128, XofHmacSha256Aes128),
// fixed when the user compiles (see detail/simd/aes128_hwy.hpp): AES instructions through Highway
// when the target has them (VDAF_AES128_HWY == 1), else the portable bitsliced, table-free
// implementation of detail/aes128.hpp. Not API.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vdaf/config.hpp"
#include "vdaf/ct/ct.hpp"
#include "vdaf/detail/aes128.hpp"
#include "vdaf/detail/simd/aes128_hwy.hpp"

VDAF_BEGIN_NAMESPACE

namespace detail {

/// AES-128 key schedule and block functions of this build. Constant-time: yes (AES instructions,
/// or bitsliced without tables). All functions noexcept; `in == out` allowed.
struct Aes128Backend {
#if VDAF_AES128_HWY
  using Schedule = aes128::RoundKeys;
  static void expand(const std::uint8_t key[16], Schedule& s) noexcept {
    simd::aes128_expand_key(key, s);
  }
  /// expand(key0, s0), expand(key1, s1), in one interleaved pass.
  static void expand2(const std::uint8_t key0[16], const std::uint8_t key1[16], Schedule& s0,
                      Schedule& s1) noexcept {
    simd::aes128_expand_key2(key0, key1, s0, s1);
  }
  /// out_i = AES_K(in_i) XOR in_i for n blocks.
  static void mmo(const Schedule& s, const std::uint8_t* in, std::uint8_t* out,
                  std::size_t n) noexcept {
    simd::aes128_mmo_blocks(s, in, out, n);
  }
  /// out_i = AES_K(in_i) for n blocks.
  static void encrypt(const Schedule& s, const std::uint8_t* in, std::uint8_t* out,
                      std::size_t n) noexcept {
    simd::aes128_encrypt_blocks(s, in, out, n);
  }
#else
  using Schedule = aes128::BitslicedKeys;
  static void expand(const std::uint8_t key[16], Schedule& s) noexcept {
    aes128::RoundKeys rk;
    aes128::expand_key(key, rk);
    aes128::bitslice_keys(rk, s);
    secure_zero(&rk, sizeof rk);
  }
  /// expand(key0, s0), then expand(key1, s1).
  static void expand2(const std::uint8_t key0[16], const std::uint8_t key1[16], Schedule& s0,
                      Schedule& s1) noexcept {
    expand(key0, s0);
    expand(key1, s1);
  }
  /// out_i = AES_K(in_i) XOR in_i for n blocks.
  static void mmo(const Schedule& s, const std::uint8_t* in, std::uint8_t* out,
                  std::size_t n) noexcept {
    aes128::mmo_blocks(s, in, out, n);
  }
  /// out_i = AES_K(in_i) for n blocks.
  static void encrypt(const Schedule& s, const std::uint8_t* in, std::uint8_t* out,
                      std::size_t n) noexcept {
    aes128::encrypt_blocks(s, in, out, n);
  }
#endif
};

}  // namespace detail

VDAF_END_NAMESPACE
