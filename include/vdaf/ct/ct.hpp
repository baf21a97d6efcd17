// Constant-time helpers and wiping containers (libsodium underneath).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <span>
#include <type_traits>
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

/// Scratch space for `n` secret values (value-initialised), inline when n * sizeof(T) <=
/// INLINE_BYTES and in a secret_vector otherwise; wiped on destruction either way. For the small
/// per-call temporaries of hot paths (one heap allocation saved per buffer). Not copyable or
/// movable. T must be trivially copyable and destructible (field elements, bytes).
template <class T, std::size_t INLINE_BYTES = 1024>
class SecretScratch {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
  static constexpr std::size_t INLINE_N = INLINE_BYTES / sizeof(T);

 public:
  /// @param n  number of elements (any size; 0 is allowed). May throw std::bad_alloc (heap case).
  explicit SecretScratch(std::size_t n) : n_(n) {
    if (n <= INLINE_N) {
      p_ = std::uninitialized_value_construct_n(reinterpret_cast<T*>(inline_), n) - n;
    } else {
      heap_.resize(n);
      p_ = heap_.data();
    }
  }
  SecretScratch(const SecretScratch&) = delete;
  SecretScratch& operator=(const SecretScratch&) = delete;
  ~SecretScratch() {
    if (n_ <= INLINE_N) secure_zero(inline_, n_ * sizeof(T));
  }

  std::size_t size() const noexcept { return n_; }
  T* data() noexcept { return p_; }
  const T* data() const noexcept { return p_; }
  std::span<T> span() noexcept { return {p_, n_}; }
  std::span<const T> span() const noexcept { return {p_, n_}; }
  operator std::span<T>() noexcept { return span(); }              // NOLINT
  operator std::span<const T>() const noexcept { return span(); }  // NOLINT

 private:
  alignas(T) unsigned char inline_[INLINE_N * sizeof(T) == 0 ? 1 : INLINE_N * sizeof(T)];
  secret_vector<T> heap_;
  T* p_ = nullptr;
  std::size_t n_ = 0;
};

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
