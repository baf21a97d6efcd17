// OnceTables: N lazily built tables of public constants (NTT twiddles, barycentric weights),
// each built once by the first thread that asks and then read lock-free. Built on <atomic> only:
// <mutex> (and <memory>) would cost every translation unit including the library ~0.1 s of
// parsing with g++ 12 (bench/compile_time).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>

#include "vdaf/config.hpp"

VDAF_BEGIN_NAMESPACE

namespace detail {

/// N slots of `const T*`, each filled at most once and never freed (the tables live until
/// program exit, as function-local statics would). Constant-initialised: a function-local
/// `static OnceTables<T, N>` needs no guard. Thread-safe: a slot is built under one lock per
/// OnceTables (builds are rare: once per size per process), read with one acquire load after.
/// @tparam T the table type.
/// @tparam N the number of slots.
template <class T, std::size_t N>
class OnceTables {
 public:
  /// The table in slot `i`, on first use value-initialised and filled by `build(T&)`. If
  /// `build` throws (std::bad_alloc), the table is freed, the slot stays empty and the exception
  /// propagates; a later call retries. Not reentrant for the same OnceTables (`build` may use
  /// other OnceTables).
  /// @param i the slot, < N (the caller checks).
  /// @param build a callable filling a `T&`.
  /// @return the table in slot i.
  template <class Build>
  const T& get(std::size_t i, Build&& build) {
    if (const T* p = slots_[i].load(std::memory_order_acquire)) return *p;
    const Lock lock(busy_);
    const T* p = slots_[i].load(std::memory_order_relaxed);
    if (p == nullptr) {
      T* t = new T();
      try {
        build(*t);
      } catch (...) {
        delete t;
        throw;
      }
      slots_[i].store(t, std::memory_order_release);
      p = t;
    }
    return *p;
  }

 private:
  // A minimal lock on std::atomic_flag (C++20 wait/notify: waiters sleep, no spinning).
  class Lock {
   public:
    explicit Lock(std::atomic_flag& f) noexcept : f_(f) {
      while (f_.test_and_set(std::memory_order_acquire)) f_.wait(true, std::memory_order_relaxed);
    }
    Lock(const Lock&) = delete;
    Lock& operator=(const Lock&) = delete;
    ~Lock() {
      f_.clear(std::memory_order_release);
      f_.notify_all();
    }

   private:
    std::atomic_flag& f_;
  };

  std::array<std::atomic<const T*>, N> slots_{};
  std::atomic_flag busy_;  // clear (C++20 default constructor)
};

}  // namespace detail

VDAF_END_NAMESPACE
