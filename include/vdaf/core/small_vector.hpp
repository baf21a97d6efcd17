// SmallVector: a vector with inline room for N elements (no heap allocation up to N), for the
// short per-level vectors of the IDPF's public share (draft-irtf-cfrg-vdaf-20 §8.3).
#pragma once

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <type_traits>

#include "vdaf/config.hpp"
#include "vdaf/errors.hpp"

VDAF_BEGIN_NAMESPACE

/// A vector of trivially copyable T holding up to N elements inline and more on the heap.
/// The interface is the part of std::vector used for short value vectors: construction from
/// (n), (n, value), an initializer list or an iterator range; size, data, operator[], begin/end
/// (pointers, so it is a contiguous range: std::span converts from it), front/back, push_back,
/// pop_back, resize, assign, clear, reserve, ==. Not for secrets (no wiping).
template <class T, std::size_t N>
class SmallVector {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
  static_assert(N >= 1);

 public:
  using value_type = T;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using reference = T&;
  using const_reference = const T&;
  using pointer = T*;
  using const_pointer = const T*;
  using iterator = T*;
  using const_iterator = const T*;

  SmallVector() noexcept = default;
  explicit SmallVector(std::size_t n) { resize(n); }
  SmallVector(std::size_t n, const T& value) { assign(n, value); }
  SmallVector(std::initializer_list<T> init) { assign(init.begin(), init.end()); }
  template <std::input_iterator It>
  SmallVector(It first, It last) {
    assign(first, last);
  }
  SmallVector(const SmallVector& o) { assign(o.begin(), o.end()); }
  SmallVector(SmallVector&& o) noexcept { take(o); }
  SmallVector& operator=(const SmallVector& o) {
    if (this != &o) assign(o.begin(), o.end());
    return *this;
  }
  SmallVector& operator=(SmallVector&& o) noexcept {
    if (this != &o) {
      heap_.reset();
      cap_ = N;
      take(o);
    }
    return *this;
  }
  ~SmallVector() = default;

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::size_t capacity() const noexcept { return cap_; }
  T* data() noexcept { return heap_ ? heap_.get() : inline_; }
  const T* data() const noexcept { return heap_ ? heap_.get() : inline_; }
  T& operator[](std::size_t i) noexcept { return data()[i]; }
  const T& operator[](std::size_t i) const noexcept { return data()[i]; }
  /// @throws invalid_argument if i >= size().
  const T& at(std::size_t i) const {
    VDAF_ARG_CHECK(i < size_, "SmallVector: index out of range");
    return data()[i];
  }
  T& front() noexcept { return data()[0]; }
  const T& front() const noexcept { return data()[0]; }
  T& back() noexcept { return data()[size_ - 1]; }
  const T& back() const noexcept { return data()[size_ - 1]; }
  T* begin() noexcept { return data(); }
  T* end() noexcept { return data() + size_; }
  const T* begin() const noexcept { return data(); }
  const T* end() const noexcept { return data() + size_; }
  const T* cbegin() const noexcept { return begin(); }
  const T* cend() const noexcept { return end(); }

  void reserve(std::size_t n) {
    if (n <= cap_) return;
    std::unique_ptr<T[]> p(new T[n]);
    std::copy(begin(), end(), p.get());
    heap_ = std::move(p);
    cap_ = n;
  }
  void clear() noexcept { size_ = 0; }
  /// Resizes to n elements; new ones are value-initialised.
  void resize(std::size_t n) { resize(n, T{}); }
  void resize(std::size_t n, const T& value) {
    if (n > cap_) reserve(std::max(n, 2 * cap_));
    if (n > size_) std::fill(data() + size_, data() + n, value);
    size_ = n;
  }
  void assign(std::size_t n, const T& value) {
    clear();
    resize(n, value);
  }
  template <std::input_iterator It>
  void assign(It first, It last) {
    clear();
    if constexpr (std::forward_iterator<It>) {
      reserve(static_cast<std::size_t>(std::distance(first, last)));
    }
    for (; first != last; ++first) push_back(*first);
  }
  void push_back(const T& v) {
    if (size_ == cap_) {
      const T copy = v;  // v may live in this vector
      reserve(2 * cap_);
      data()[size_++] = copy;
      return;
    }
    data()[size_++] = v;
  }
  void pop_back() noexcept { --size_; }

  friend bool operator==(const SmallVector& a, const SmallVector& b) {
    return a.size_ == b.size_ && std::equal(a.begin(), a.end(), b.begin());
  }

 private:
  void take(SmallVector& o) noexcept {
    if (o.heap_) {
      heap_ = std::move(o.heap_);
      cap_ = o.cap_;
    } else {
      std::copy(o.inline_, o.inline_ + o.size_, inline_);
    }
    size_ = o.size_;
    o.size_ = 0;
    o.cap_ = N;
  }

  T inline_[N] = {};
  std::unique_ptr<T[]> heap_;
  std::size_t size_ = 0;
  std::size_t cap_ = N;
};

VDAF_END_NAMESPACE
