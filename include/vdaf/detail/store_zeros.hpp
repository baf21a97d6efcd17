// store_zeros: zero bytes written with plain stores the compiler cannot turn back into a memset
// call, shared by the Keccak states' start-up (detail/keccak_p1600.hpp users) and
// secure_zero_inline (ct/ct.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "vdaf/config.hpp"

VDAF_BEGIN_NAMESPACE
namespace detail {

/// Sets n bytes at p to zero with 8-byte stores (vectorised by the compiler) and byte stores for
/// the tail. The zero is hidden from the optimiser, so the loop stays stores: a zero initialiser
/// or memset of a 200-byte Keccak state compiles to `rep stosq` under g++ 12 -mtune=generic,
/// whose start-up costs ~13 ns on Zen 4, or to a libc call. Not a wipe by itself (stores to
/// memory that is dead afterwards may be elided; secure_zero_inline adds the barrier).
/// Constant-time: yes.
/// @param p  n writable bytes (any alignment; may be null if n == 0).
/// @param n  number of bytes.
VDAF_ALWAYS_INLINE void store_zeros(void* p, std::size_t n) noexcept {
  unsigned char* b = static_cast<unsigned char*>(p);
  std::uint64_t z = 0;
#if defined(__GNUC__) || defined(__clang__)
  __asm__("" : "+r"(z));  // hides the constant, so the loop is not turned back into a memset
#endif
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) std::memcpy(b + i, &z, 8);
  for (; i < n; ++i) b[i] = static_cast<unsigned char>(z);
}

}  // namespace detail
VDAF_END_NAMESPACE
