// Compiler configuration shared by every header.
#pragma once

#include <cstdint>

/// Opens the inline namespace of the wire version (draft 18 wire format). Users
/// write `vdaf::Prio3Count`; a future wire change can live beside it.
#define VDAF_BEGIN_NAMESPACE \
  namespace vdaf {           \
  inline namespace draft18 {
#define VDAF_END_NAMESPACE \
  }                        \
  }

#if defined(__GNUC__) || defined(__clang__)
#define VDAF_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define VDAF_ALWAYS_INLINE inline
#endif

VDAF_BEGIN_NAMESPACE
/// 128-bit unsigned integer (GCC/Clang extension, declared once here).
__extension__ typedef unsigned __int128 uint128;
VDAF_END_NAMESPACE
