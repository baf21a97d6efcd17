// Constant-time checking with valgrind memcheck ("ctgrind", as Botan's CT::poison): secret bytes
// are marked undefined, so memcheck reports every conditional jump and every memory index that
// depends on them. Active only when VDAF_CT_VALGRIND is defined (tests/ct/, the `ct` CI stage);
// otherwise every function here is a no-op and no valgrind header is needed.
#pragma once

#include <cstddef>
#include <span>
#include <type_traits>

#include "vdaf/config.hpp"

#if defined(VDAF_CT_VALGRIND)
#include <valgrind/memcheck.h>
#endif

VDAF_BEGIN_NAMESPACE

namespace ct {

/// Marks `n` bytes at `p` as undefined for valgrind memcheck: from then on memcheck reports a
/// conditional jump or memory index that depends on them (a constant-time violation). The bytes
/// keep their values. No-op unless VDAF_CT_VALGRIND is defined (and outside valgrind).
/// @param p Start of the bytes.
/// @param n Number of bytes (0 is a no-op).
inline void poison(const void* p, std::size_t n) noexcept {
#if defined(VDAF_CT_VALGRIND)
  if (n != 0) (void)VALGRIND_MAKE_MEM_UNDEFINED(p, n);
#else
  (void)p;
  (void)n;
#endif
}

/// Marks `n` bytes at `p` as defined again: for data the protocol makes public (a public share,
/// a verifier share sent to the other aggregators, a decoded aggregate). No-op unless
/// VDAF_CT_VALGRIND is defined.
/// @param p Start of the bytes.
/// @param n Number of bytes (0 is a no-op).
inline void unpoison(const void* p, std::size_t n) noexcept {
#if defined(VDAF_CT_VALGRIND)
  if (n != 0) (void)VALGRIND_MAKE_MEM_DEFINED(p, n);
#else
  (void)p;
  (void)n;
#endif
}

/// poison() over the elements of a span (size_bytes() bytes).
/// @param s The elements to mark undefined.
template <class T, std::size_t N>
void poison(std::span<T, N> s) noexcept {
  poison(s.data(), s.size_bytes());
}
/// unpoison() over the elements of a span (size_bytes() bytes).
/// @param s The elements to mark defined.
template <class T, std::size_t N>
void unpoison(std::span<T, N> s) noexcept {
  unpoison(s.data(), s.size_bytes());
}

/// poison() of one trivially copyable object (its sizeof(T) bytes).
/// @param x The object to mark undefined.
template <class T>
requires std::is_trivially_copyable_v<T>
void poison_object(const T& x) noexcept { poison(&x, sizeof(T)); }
/// unpoison() of one trivially copyable object (its sizeof(T) bytes).
/// @param x The object to mark defined.
template <class T>
requires std::is_trivially_copyable_v<T>
void unpoison_object(const T& x) noexcept { unpoison(&x, sizeof(T)); }

/// Returns `x` after marking it defined: for a value computed from secrets that the algorithm
/// then makes public on purpose (a validity verdict, a rejection-sampling event). The value is
/// unchanged; no-op unless VDAF_CT_VALGRIND is defined.
/// @param x The value to make public.
/// @return x, marked defined.
template <class T>
requires std::is_trivially_copyable_v<T> T declassify(T x)
noexcept {
  unpoison(&x, sizeof(T));
  return x;
}

}  // namespace ct

VDAF_END_NAMESPACE
