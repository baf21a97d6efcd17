// Compiler configuration shared by every header.
#pragma once

// One line instead of hundreds of errors: every vdaf header includes this one.
#if defined(_MSVC_LANG) ? _MSVC_LANG < 202002L : __cplusplus < 202002L
#error "vdaf-cpp needs C++20: compile with -std=c++20 (or link the CMake target vdaf::vdaf)"
// #error does not stop the compiler; a missing header does, before the rest of the library
// adds hundreds of follow-on errors.
#include <vdaf-cpp-needs-cxx20>  // IWYU pragma: keep
#endif

#include <cstdint>

/// Opens the inline namespace of the wire version (draft 18 wire format). Users
/// write `vdaf::Prio3Count`; a future wire change can live beside it.
#define VDAF_BEGIN_NAMESPACE \
  namespace vdaf {           \
  inline namespace draft18 {
/// Closes the namespaces opened by VDAF_BEGIN_NAMESPACE.
#define VDAF_END_NAMESPACE \
  }                        \
  }

#if defined(__GNUC__) || defined(__clang__)
/// `inline`, plus always_inline on GCC and Clang (for the few hot helpers that must not stay
/// out-of-line calls).
#define VDAF_ALWAYS_INLINE inline __attribute__((always_inline))
#else
/// `inline` (no forced inlining on this compiler).
#define VDAF_ALWAYS_INLINE inline
#endif

#if defined(__clang__)
/// Placed just before a loop: the compiler must not unroll it (the Keccak-p permutations keep
/// their loop of two rounds, whose unrolled form was slower in place, see detail/keccak_p1600.hpp).
#define VDAF_NO_UNROLL _Pragma("clang loop unroll(disable)")
#elif defined(__GNUC__)
/// Placed just before a loop: the compiler must not unroll it.
#define VDAF_NO_UNROLL _Pragma("GCC unroll 1")
#else
/// Placed just before a loop: no effect on this compiler.
#define VDAF_NO_UNROLL
#endif

VDAF_BEGIN_NAMESPACE
/// 128-bit unsigned integer (GCC/Clang extension, declared once here).
__extension__ typedef unsigned __int128 uint128;
VDAF_END_NAMESPACE

/// @namespace vdaf
/// @brief Everything public in vdaf-cpp: the VDAFs (Prio3 and its instances, Poplar1), the
/// fields, XOFs, FLP, IDPF, the ping-pong topology, codecs and errors (draft-irtf-cfrg-vdaf-20,
/// wire VERSION 18). Its names live in the inline namespace `draft18`; `vdaf::detail` is
/// internal and may change without notice.

/// @namespace vdaf::dp
/// @brief Differential privacy for Prio3 aggregate shares: budgets, exact discrete Laplace and
/// discrete Gaussian samplers, per-instance sensitivities and noisy unsharding (<vdaf/dp.hpp>,
/// needs Boost.Multiprecision).
