// Constant-time helpers and wiping containers (libsodium underneath).
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <new>
#include <span>
#include <type_traits>
#include <vector>

#include <sodium.h>

#include "vdaf/core/bytes.hpp"
#include "vdaf/detail/store_zeros.hpp"
#include "vdaf/errors.hpp"

VDAF_BEGIN_NAMESPACE

namespace detail {
/// Initialises libsodium once (thread-safe, idempotent).
inline void sodium_init_once() {
  static const int rc = ::sodium_init();
  if (rc < 0) VDAF_THROW(internal_error, "libsodium: sodium_init failed");
}
}  // namespace detail

/// Overwrites `n` bytes at `p` with zeros in a way the compiler cannot elide (sodium_memzero).
/// Constant time.
/// @param p Start of the memory (may be null if n == 0).
/// @param n Number of bytes.
inline void secure_zero(void* p, std::size_t n) noexcept {
  if (n != 0) ::sodium_memzero(p, n);
}

/// secure_zero without a call, for small secrets on hot paths (a sponge's 200-byte state, a
/// query's few field elements): `count` objects at `p` are overwritten with zero bytes by plain
/// stores (vector stores for whole 8-byte words), and an empty asm statement that may read the
/// memory follows them, so the compiler cannot elide the stores (the way explicit_bzero keeps
/// its memset). sodium_memzero goes through two calls and libc's memset, ~5 ns per wipe on Zen 4,
/// which was ~3 % of a Prio3Count round. Constant time: yes.
/// @tparam T  a trivially copyable type.
/// @param p  the first object (may be null if count == 0).
/// @param count  number of objects (count · sizeof(T) bytes are wiped).
template <class T>
VDAF_ALWAYS_INLINE void secure_zero_inline(T* p, std::size_t count) noexcept {
  static_assert(std::is_trivially_copyable_v<T>);
  unsigned char* b = reinterpret_cast<unsigned char*>(p);
  const std::size_t n = count * sizeof(T);
  detail::store_zeros(b, n);
#if defined(__GNUC__) || defined(__clang__)
  __asm__ __volatile__("" : : "r"(b) : "memory");
#else
  secure_zero(b, n);  // no inline asm: the library call keeps the stores
#endif
}

/// Constant-time equality of two byte strings of the same length (lengths are
/// public; different lengths compare unequal at once). Constant-time: yes (sodium_memcmp; time
/// depends on the lengths only).
/// @param a First byte string.
/// @param b Second byte string.
/// @return True if a and b have the same length and bytes.
inline bool ct_equal(ByteSpan a, ByteSpan b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return ::sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

/// Fills `out` from the operating system's CSPRNG (libsodium `randombytes_buf`).
/// @param out Buffer to fill (any length; one system call or more).
/// @throws internal_error if libsodium cannot be initialised.
inline void random_bytes(std::span<std::uint8_t> out) {
  detail::sodium_init_once();
  if (!out.empty()) ::randombytes_buf(out.data(), out.size());
}

/// Allocator that zeroes memory before releasing it (stateless; all instances are equal).
/// @tparam T The element type (alignment up to that of the global operator new).
template <class T>
struct wiping_allocator {
  using value_type = T;  ///< The element type.
  /// A wiping allocator.
  wiping_allocator() noexcept = default;
  /// Rebinding conversion (the allocator has no state).
  template <class U>
  wiping_allocator(const wiping_allocator<U>&) noexcept {}  // NOLINT(google-explicit-constructor)
  /// Allocates uninitialised storage for n objects with the global operator new (its aligned
  /// form for over-aligned T, e.g. the 64-byte-aligned Keccak state).
  /// @param n Number of objects.
  /// @return The storage, aligned for T.
  /// @throws std::bad_alloc if n·sizeof(T) overflows or the allocation fails.
  T* allocate(std::size_t n) {
    if (n > std::numeric_limits<std::size_t>::max() / sizeof(T)) throw std::bad_alloc();
    if constexpr (alignof(T) > __STDCPP_DEFAULT_NEW_ALIGNMENT__) {
      return static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{alignof(T)}));
    } else {
      return static_cast<T*>(::operator new(n * sizeof(T)));
    }
  }
  /// Zeroes n·sizeof(T) bytes at p (secure_zero), then frees them.
  /// @param p Storage returned by allocate(n).
  /// @param n The count passed to allocate().
  void deallocate(T* p, std::size_t n) noexcept {
    secure_zero(p, n * sizeof(T));
    if constexpr (alignof(T) > __STDCPP_DEFAULT_NEW_ALIGNMENT__) {
      ::operator delete (p, std::align_val_t{alignof(T)});
    } else {
      ::operator delete(p);
    }
  }
  /// All wiping allocators are interchangeable.
  /// @return true.
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

namespace detail {
/// Whether T() is the all-zero object representation (a constant expression for the integer
/// and field types the library keeps in scratch space).
/// @return true iff every byte of T() is zero.
template <class T>
constexpr bool value_init_is_zero_bytes() {
  const auto bytes = std::bit_cast<std::array<unsigned char, sizeof(T)>>(T());
  for (const unsigned char b : bytes) {
    if (b != 0) return false;
  }
  return true;
}
}  // namespace detail

/// Scratch space for `n` secret values (value-initialised), inline when n * sizeof(T) <=
/// INLINE_BYTES and in a secret_vector otherwise; wiped on destruction either way. For the small
/// per-call temporaries of hot paths (one heap allocation saved per buffer). Not copyable or
/// movable. T must be trivially copyable and destructible (field elements, bytes).
template <class T, std::size_t INLINE_BYTES = 1024>
class SecretScratch {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
  // The inline elements are value-initialised by zeroing their bytes (zero_inline), so T()
  // must be the all-zero bytes: checked at compile time.
  static_assert(detail::value_init_is_zero_bytes<T>(),
                "SecretScratch<T>: T() must be all-zero bytes");
  static constexpr std::size_t INLINE_N = INLINE_BYTES / sizeof(T);

 public:
  /// Scratch space for n value-initialised (zero) elements.
  /// @param n  number of elements (any size; 0 is allowed).
  /// @throws std::bad_alloc in the heap case if the allocation fails.
  explicit SecretScratch(std::size_t n) : n_(n) {
    if (n <= INLINE_N) {
      p_ = reinterpret_cast<T*>(inline_);
      zero_inline(n * sizeof(T));
    } else {
      heap_.resize(n);
      p_ = heap_.data();
    }
  }
  /// Not copyable.
  SecretScratch(const SecretScratch&) = delete;
  /// Not assignable.
  SecretScratch& operator=(const SecretScratch&) = delete;
  /// Wipes the elements (inline storage here; heap storage by the wiping allocator).
  ~SecretScratch() {
    if (n_ <= INLINE_N) secure_zero(inline_, n_ * sizeof(T));
  }

  /// Number of elements.
  /// @return n as given to the constructor.
  std::size_t size() const noexcept { return n_; }
  /// Pointer to the first element.
  /// @return The inline or heap storage.
  T* data() noexcept { return p_; }
  /// Pointer to the first element.
  /// @return The inline or heap storage.
  const T* data() const noexcept { return p_; }
  /// The elements as a span.
  /// @return A view of the size() elements.
  std::span<T> span() noexcept { return {p_, n_}; }
  /// The elements as a read-only span.
  /// @return A view of the size() elements.
  std::span<const T> span() const noexcept { return {p_, n_}; }
  /// Implicit conversion to a span of the elements.
  /// @return span().
  operator std::span<T>() noexcept { return span(); }  // NOLINT
  /// Implicit conversion to a read-only span of the elements.
  /// @return span().
  operator std::span<const T>() const noexcept { return span(); }  // NOLINT

 private:
  /// Zeroes the first `bytes` bytes of the inline storage (bytes <= INLINE_BYTES). A memset of
  /// a constant size, rounded up to 64, 256 or all INLINE_BYTES, compiles to a few vector
  /// stores; one of the exact (variable) size compiled to `rep stos`, whose start-up cost was
  /// ~15 % of the FLP query of a small circuit (Prio3Count) on Zen 4.
  void zero_inline(std::size_t bytes) noexcept {
    constexpr std::size_t kCap = sizeof(inline_);
    if (bytes <= 64 && kCap >= 64) {
      std::memset(inline_, 0, kCap >= 64 ? 64 : kCap);
    } else if (bytes <= 256 && kCap >= 256) {
      std::memset(inline_, 0, kCap >= 256 ? 256 : kCap);
    } else {
      std::memset(inline_, 0, kCap);
    }
  }
  alignas(T) unsigned char inline_[INLINE_N * sizeof(T) == 0 ? 1 : INLINE_N * sizeof(T)];
  secret_vector<T> heap_;
  T* p_ = nullptr;
  std::size_t n_ = 0;
};

/// A fixed-size secret byte array wiped on destruction; compared in constant time.
template <std::size_t N>
class SecretArray {
 public:
  /// N zero bytes.
  SecretArray() noexcept : a_{} {}
  /// A copy of the N bytes of `b`.
  /// @param b Exactly N bytes.
  /// @throws invalid_argument if len(b) != N.
  explicit SecretArray(ByteSpan b) {
    if (b.size() != N) VDAF_THROW(invalid_argument, "SecretArray: wrong length");
    for (std::size_t i = 0; i < N; ++i) a_[i] = b[i];
  }
  /// Copies the bytes.
  SecretArray(const SecretArray&) = default;
  /// Copies the bytes.
  /// @return *this.
  SecretArray& operator=(const SecretArray&) = default;
  /// Wipes the bytes.
  ~SecretArray() { secure_zero(a_.data(), N); }

  /// Number of bytes.
  /// @return N.
  static constexpr std::size_t size() noexcept { return N; }
  /// Pointer to the first byte.
  /// @return The storage.
  std::uint8_t* data() noexcept { return a_.data(); }
  /// Pointer to the first byte.
  /// @return The storage.
  const std::uint8_t* data() const noexcept { return a_.data(); }
  /// The bytes as a fixed-size span.
  /// @return A view of the N bytes.
  std::span<std::uint8_t, N> span() noexcept { return a_; }
  /// The bytes as a read-only fixed-size span.
  /// @return A view of the N bytes.
  std::span<const std::uint8_t, N> span() const noexcept { return a_; }
  /// Implicit conversion to a read-only byte view.
  /// @return A view of the N bytes.
  operator ByteSpan() const noexcept { return a_; }  // NOLINT(google-explicit-constructor)
  /// Byte i, without bounds check.
  /// @param i Index, 0..N-1.
  /// @return A reference to byte i.
  std::uint8_t& operator[](std::size_t i) noexcept { return a_[i]; }
  /// Byte i, without bounds check.
  /// @param i Index, 0..N-1.
  /// @return The value of byte i.
  std::uint8_t operator[](std::size_t i) const noexcept { return a_[i]; }

  /// Constant-time equality (ct_equal).
  /// @param x First array.
  /// @param y Second array.
  /// @return True if the N bytes are equal.
  friend bool operator==(const SecretArray& x, const SecretArray& y) noexcept {
    return ct_equal(x.a_, y.a_);
  }

 private:
  std::array<std::uint8_t, N> a_;
};

/// Constant-time select on a 0/1 choice bit: returns `choice ? a : b`.
/// Uses a value barrier so the compiler cannot turn it back into a branch. Constant time.
/// @param choice 0 or 1 (other values give a mix of the bits of a and b).
/// @param a Returned when choice == 1.
/// @param b Returned when choice == 0.
/// @return choice ? a : b.
inline std::uint64_t ct_select_u64(std::uint64_t choice, std::uint64_t a,
                                   std::uint64_t b) noexcept {
  std::uint64_t mask = 0 - choice;
#if defined(__GNUC__) || defined(__clang__)
  __asm__("" : "+r"(mask));
#endif
  return (a & mask) | (b & ~mask);
}

/// Value barrier: hides `x` from the optimiser (prevents branch re-synthesis). On compilers
/// other than GCC and Clang it returns `x` without a barrier.
/// @tparam T A type that fits in a general-purpose register.
/// @param x The value.
/// @return x, unchanged.
template <class T>
VDAF_ALWAYS_INLINE T value_barrier(T x) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  __asm__("" : "+r"(x));
#endif
  return x;
}

VDAF_END_NAMESPACE
