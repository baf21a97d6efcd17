// Constant-time helpers and wiping containers (libsodium underneath).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>
#include <span>
#include <vector>

#include <sodium.h>

#include "vdaf/core/bytes.hpp"
#include "vdaf/errors.hpp"

VDAF_BEGIN_NAMESPACE

namespace detail {
/// Initialises libsodium once (thread-safe, idempotent).
inline void sodium_init_once() {
  static const int rc = ::sodium_init();
  if (rc < 0) VDAF_THROW(internal_error, "libsodium: sodium_init failed");
}
}  // namespace detail

/// Overwrites `n` bytes at `p` with zeros in a way the compiler cannot elide.
inline void secure_zero(void* p, std::size_t n) noexcept {
  if (n != 0) ::sodium_memzero(p, n);
}

/// Constant-time equality of two byte strings of the same length (lengths are
/// public; different lengths compare unequal at once). Constant-time: yes.
inline bool ct_equal(ByteSpan a, ByteSpan b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return ::sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

/// Fills `out` from the operating system's CSPRNG (libsodium `randombytes_buf`).
/// @throws internal_error if libsodium cannot be initialised.
inline void random_bytes(std::span<std::uint8_t> out) {
  detail::sodium_init_once();
  if (!out.empty()) ::randombytes_buf(out.data(), out.size());
}

/// Allocator that zeroes memory before releasing it.
template <class T>
struct wiping_allocator {
  using value_type = T;
  wiping_allocator() noexcept = default;
  template <class U>
  wiping_allocator(const wiping_allocator<U>&) noexcept {}  // NOLINT(google-explicit-constructor)
  T* allocate(std::size_t n) {
    if (n > std::numeric_limits<std::size_t>::max() / sizeof(T)) throw std::bad_alloc();
    return static_cast<T*>(::operator new(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept {
    secure_zero(p, n * sizeof(T));
    ::operator delete(p);
  }
  template <class U>
  bool operator==(const wiping_allocator<U>&) const noexcept {
    return true;
  }
};

/// A vector of secret values, wiped when its storage is freed.
template <class T>
using secret_vector = std::vector<T, wiping_allocator<T>>;

/// Secret bytes (seeds, keys, blinds), wiped when freed.
using SecretBytes = secret_vector<std::uint8_t>;

/// A fixed-size secret byte array wiped on destruction; compared in constant time.
template <std::size_t N>
class SecretArray {
 public:
  SecretArray() noexcept : a_{} {}
  explicit SecretArray(ByteSpan b) {
    if (b.size() != N) VDAF_THROW(invalid_argument, "SecretArray: wrong length");
    for (std::size_t i = 0; i < N; ++i) a_[i] = b[i];
  }
  SecretArray(const SecretArray&) = default;
  SecretArray& operator=(const SecretArray&) = default;
  ~SecretArray() { secure_zero(a_.data(), N); }

  static constexpr std::size_t size() noexcept { return N; }
  std::uint8_t* data() noexcept { return a_.data(); }
  const std::uint8_t* data() const noexcept { return a_.data(); }
  std::span<std::uint8_t, N> span() noexcept { return a_; }
  std::span<const std::uint8_t, N> span() const noexcept { return a_; }
  operator ByteSpan() const noexcept { return a_; }  // NOLINT(google-explicit-constructor)
  std::uint8_t& operator[](std::size_t i) noexcept { return a_[i]; }
  std::uint8_t operator[](std::size_t i) const noexcept { return a_[i]; }

  /// Constant-time equality.
  friend bool operator==(const SecretArray& x, const SecretArray& y) noexcept {
    return ct_equal(x.a_, y.a_);
  }

 private:
  std::array<std::uint8_t, N> a_;
};

/// Constant-time select on a 0/1 choice bit: returns `choice ? a : b`.
/// Uses a value barrier so the compiler cannot turn it back into a branch.
inline std::uint64_t ct_select_u64(std::uint64_t choice, std::uint64_t a,
                                   std::uint64_t b) noexcept {
  std::uint64_t mask = 0 - choice;
#if defined(__GNUC__) || defined(__clang__)
  __asm__("" : "+r"(mask));
#endif
  return (a & mask) | (b & ~mask);
}

/// Value barrier: hides `x` from the optimiser (prevents branch re-synthesis).
template <class T>
VDAF_ALWAYS_INLINE T value_barrier(T x) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  __asm__("" : "+r"(x));
#endif
  return x;
}

VDAF_END_NAMESPACE
