// Userspace DRBG for the client's sharding randomness: ChaCha20 (libsodium
// crypto_stream_chacha20_ietf) keyed from the operating system's CSPRNG, one instance per thread.
// Replaces a randombytes_buf call per report in Prio3::shard(ctx, measurement) (330-400 ns each
// on the benchmark machine, a system call) by a buffered stream cipher.
//
// Construction ("fast key erasure"): each refill computes ChaCha20(key, nonce = counter) over
// BLOCK_BYTES bytes; the first 32 bytes become the next key at once (the previous key is gone), the
// rest is handed out and wiped as it is handed out. So a later compromise of the state does not
// reveal earlier outputs. The key comes from randombytes_buf (getrandom) at first use, again after
// RESEED_BYTES bytes of output, and in a child process after fork().
//
// Fork safety: a forked child inherits the parent's memory, including this state; without care
// parent and child would hand out the same "random" bytes. A pthread_atfork child handler bumps a
// process-wide generation counter, and every call compares the instance's generation with it
// (one relaxed atomic load), reseeding from the OS on a mismatch. vfork() or a raw clone() without
// the atfork handlers are not covered; nor is a virtual machine snapshot restored twice (the
// reseed interval bounds the damage).
#pragma once

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include <sodium.h>

#include "vdaf/ct/ct.hpp"

VDAF_BEGIN_NAMESPACE

namespace detail {
/// Process-wide fork generation, bumped in the child after every fork().
inline std::atomic<std::uint64_t>& drbg_fork_generation() noexcept {
  static std::atomic<std::uint64_t> gen{0};
  return gen;
}
inline void drbg_register_atfork() {
  // A function-local static's initialisation runs once, thread-safely (no <mutex> needed).
  [[maybe_unused]] static const int registered = ::pthread_atfork(
      nullptr, nullptr, [] { drbg_fork_generation().fetch_add(1, std::memory_order_relaxed); });
}
}  // namespace detail

/// A ChaCha20-based deterministic random bit generator keyed from the OS, with fast key erasure,
/// reseeding and fork detection (see the file comment). Not thread-safe: use one per thread
/// (`thread_drbg()`). The state is wiped on destruction. Not copyable.
class Drbg {
 public:
  /// Bytes of ChaCha20 output per refill (the first 32 are the next key).
  static constexpr std::size_t BLOCK_BYTES = 512;
  /// Default reseed interval (bytes of output between two keys from the OS).
  static constexpr std::uint64_t DEFAULT_RESEED_BYTES = std::uint64_t{1} << 20;

  /// An unseeded generator; it seeds lazily, at the first fill.
  /// @param reseed_bytes  output bytes after which the next call reseeds from the OS (>= 1).
  /// @throws invalid_argument if reseed_bytes == 0.
  explicit Drbg(std::uint64_t reseed_bytes = DEFAULT_RESEED_BYTES) : reseed_bytes_(reseed_bytes) {
    VDAF_ARG_CHECK(reseed_bytes >= 1, "Drbg: reseed interval must be at least 1 byte");
  }
  /// Not copyable (two copies would hand out the same bytes).
  Drbg(const Drbg&) = delete;
  /// Not assignable.
  Drbg& operator=(const Drbg&) = delete;
  /// Wipes the key and the buffered output.
  ~Drbg() {
    secure_zero(key_, sizeof key_);
    secure_zero(buf_, sizeof buf_);
  }

  /// Fills `out` (any length) with pseudo-random bytes. Reseeds from the OS first if not seeded
  /// yet, after the reseed interval (checked at the start of each call, so one call may run past
  /// it), or after a fork. Constant-time: yes (control flow depends on lengths only).
  /// @param out Buffer to fill (any length, 0 allowed).
  /// @throws internal_error if libsodium cannot be initialised.
  void fill(std::span<std::uint8_t> out) {
    if (!seeded_ || since_seed_ >= reseed_bytes_ ||
        fork_gen_ != detail::drbg_fork_generation().load(std::memory_order_relaxed)) {
      reseed();
    }
    std::uint8_t* p = out.data();
    std::size_t n = out.size();
    while (n != 0) {
      if (pos_ == BLOCK_BYTES) refill();
      const std::size_t take = std::min(n, BLOCK_BYTES - pos_);
      std::memcpy(p, buf_ + pos_, take);
      secure_zero(buf_ + pos_, take);  // handed-out bytes do not stay in the state
      pos_ += take;
      p += take;
      n -= take;
    }
    since_seed_ += out.size();
  }

  /// Takes a fresh key from the OS (randombytes_buf) and drops buffered output.
  /// @throws internal_error if libsodium cannot be initialised.
  void reseed() {
    detail::sodium_init_once();
    detail::drbg_register_atfork();
    fork_gen_ = detail::drbg_fork_generation().load(std::memory_order_relaxed);
    ::randombytes_buf(key_, sizeof key_);
    counter_ = 0;
    since_seed_ = 0;
    seeded_ = true;
    ++reseeds_;
    refill();
  }

  /// Number of times this instance took a key from the OS (for tests and monitoring).
  /// @return The number of reseed() calls so far (0 before the first fill).
  std::uint64_t reseed_count() const noexcept { return reseeds_; }

 private:
  void refill() noexcept {
    std::uint8_t nonce[crypto_stream_chacha20_IETF_NONCEBYTES] = {};
    for (std::size_t i = 0; i < 8; ++i) nonce[i] = static_cast<std::uint8_t>(counter_ >> (8 * i));
    ++counter_;
    ::crypto_stream_chacha20_ietf(buf_, BLOCK_BYTES, nonce, key_);
    std::memcpy(key_, buf_, sizeof key_);  // fast key erasure: next key, old one overwritten
    secure_zero(buf_, sizeof key_);
    pos_ = sizeof key_;
  }

  std::uint8_t key_[crypto_stream_chacha20_ietf_KEYBYTES] = {};
  std::uint8_t buf_[BLOCK_BYTES] = {};
  std::size_t pos_ = BLOCK_BYTES;
  std::uint64_t counter_ = 0;
  std::uint64_t since_seed_ = 0;
  std::uint64_t reseed_bytes_;
  std::uint64_t fork_gen_ = 0;
  std::uint64_t reseeds_ = 0;
  bool seeded_ = false;
};

/// This thread's Drbg (created at first use, wiped at thread exit).
/// @return A reference to the calling thread's instance (default reseed interval).
inline Drbg& thread_drbg() {
  thread_local Drbg drbg;
  return drbg;
}

/// Fills `out` from this thread's Drbg: for sharding randomness and nonces of many reports, where
/// a system call per report would dominate. Constant-time as Drbg::fill.
/// @param out Buffer to fill (any length).
/// @throws internal_error if libsodium cannot be initialised.
inline void drbg_bytes(std::span<std::uint8_t> out) { thread_drbg().fill(out); }

VDAF_END_NAMESPACE
