// SmallVector: a vector with inline room for N elements (no heap allocation up to N), for the
// short per-level vectors of the IDPF's public share (draft-irtf-cfrg-vdaf-20 §8.3); InplaceArray:
// up to N objects built in place on the stack (the batch XOF streams).
#pragma once

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <new>
#include <type_traits>
#include <utility>

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
  using value_type = T;                    ///< Element type.
  using size_type = std::size_t;           ///< Size type.
  using difference_type = std::ptrdiff_t;  ///< Iterator distance type.
  using reference = T&;                    ///< Element reference.
  using const_reference = const T&;        ///< Read-only element reference.
  using pointer = T*;                      ///< Element pointer.
  using const_pointer = const T*;          ///< Read-only element pointer.
  using iterator = T*;                     ///< Iterators are plain pointers.
  using const_iterator = const T*;         ///< Read-only iterators are plain pointers.

  /// An empty vector (capacity N, no allocation).
  SmallVector() noexcept = default;
  /// n value-initialised elements (heap storage if n > N).
  /// @param n Number of elements.
  explicit SmallVector(std::size_t n) { resize(n); }
  /// n copies of `value`.
  /// @param n Number of elements.
  /// @param value Value of every element.
  SmallVector(std::size_t n, const T& value) { assign(n, value); }
  /// The elements of `init`, in order.
  /// @param init The elements.
  SmallVector(std::initializer_list<T> init) { assign(init.begin(), init.end()); }
  /// The elements of [first, last), in order.
  /// @tparam It Input iterator whose value type converts to T.
  /// @param first Start of the range.
  /// @param last End of the range.
  template <std::input_iterator It>
  SmallVector(It first, It last) {
    assign(first, last);
  }
  /// Copies the elements of `o`.
  /// @param o The vector to copy.
  SmallVector(const SmallVector& o) { assign(o.begin(), o.end()); }
  /// Takes the elements of `o` (its heap buffer, or a copy of its inline elements); `o` is left
  /// empty.
  /// @param o The vector to move from.
  SmallVector(SmallVector&& o) noexcept { take(o); }
  /// Replaces the contents by a copy of the elements of `o`.
  /// @param o The vector to copy.
  /// @return *this.
  SmallVector& operator=(const SmallVector& o) {
    if (this != &o) assign(o.begin(), o.end());
    return *this;
  }
  /// Replaces the contents by the elements of `o`, which is left empty.
  /// @param o The vector to move from.
  /// @return *this.
  SmallVector& operator=(SmallVector&& o) noexcept {
    if (this != &o) {
      delete[] heap_;
      heap_ = nullptr;
      cap_ = N;
      take(o);
    }
    return *this;
  }
  /// Frees the heap buffer, if any.
  ~SmallVector() { delete[] heap_; }

  /// Number of elements.
  /// @return size.
  std::size_t size() const noexcept { return size_; }
  /// Whether there are no elements.
  /// @return True if size() == 0.
  bool empty() const noexcept { return size_ == 0; }
  /// Number of elements that fit without reallocation.
  /// @return N, or the heap buffer's size.
  std::size_t capacity() const noexcept { return cap_; }
  /// Pointer to the first element.
  /// @return The inline or heap storage.
  T* data() noexcept { return heap_ ? heap_ : inline_; }
  /// Pointer to the first element.
  /// @return The inline or heap storage.
  const T* data() const noexcept { return heap_ ? heap_ : inline_; }
  /// Element i, without bounds check.
  /// @param i Index, 0..size()-1.
  /// @return A reference to element i.
  T& operator[](std::size_t i) noexcept { return data()[i]; }
  /// Element i, without bounds check.
  /// @param i Index, 0..size()-1.
  /// @return A reference to element i.
  const T& operator[](std::size_t i) const noexcept { return data()[i]; }
  /// Element i, with bounds check.
  /// @param i Index.
  /// @return A reference to element i.
  /// @throws invalid_argument if i >= size().
  const T& at(std::size_t i) const {
    VDAF_ARG_CHECK(i < size_, "SmallVector: index out of range");
    return data()[i];
  }
  /// First element (the vector must not be empty).
  /// @return A reference to element 0.
  T& front() noexcept { return data()[0]; }
  /// First element (the vector must not be empty).
  /// @return A reference to element 0.
  const T& front() const noexcept { return data()[0]; }
  /// Last element (the vector must not be empty).
  /// @return A reference to element size()-1.
  T& back() noexcept { return data()[size_ - 1]; }
  /// Last element (the vector must not be empty).
  /// @return A reference to element size()-1.
  const T& back() const noexcept { return data()[size_ - 1]; }
  /// Iterator to the first element.
  /// @return data().
  T* begin() noexcept { return data(); }
  /// Iterator past the last element.
  /// @return data() + size().
  T* end() noexcept { return data() + size_; }
  /// Iterator to the first element.
  /// @return data().
  const T* begin() const noexcept { return data(); }
  /// Iterator past the last element.
  /// @return data() + size().
  const T* end() const noexcept { return data() + size_; }
  /// Iterator to the first element.
  /// @return data().
  const T* cbegin() const noexcept { return begin(); }
  /// Iterator past the last element.
  /// @return data() + size().
  const T* cend() const noexcept { return end(); }

  /// Ensures capacity() >= n, moving the elements to a heap buffer of exactly n if needed
  /// (invalidates pointers then).
  /// @param n The wanted capacity.
  void reserve(std::size_t n) {
    if (n <= cap_) return;
    T* p = new T[n];  // T is trivially copyable: nothing below throws
    std::copy(begin(), end(), p);
    delete[] heap_;
    heap_ = p;
    cap_ = n;
  }
  /// Removes all elements (keeps the capacity).
  void clear() noexcept { size_ = 0; }
  /// Resizes to n elements; new ones are value-initialised.
  /// @param n The new size.
  void resize(std::size_t n) { resize(n, T{}); }
  /// Resizes to n elements; new ones are copies of `value`.
  /// @param n The new size.
  /// @param value Value of the appended elements (if n > size()).
  void resize(std::size_t n, const T& value) {
    if (n > cap_) reserve(std::max(n, 2 * cap_));
    if (n > size_) std::fill(data() + size_, data() + n, value);
    size_ = n;
  }
  /// Replaces the contents by n copies of `value`.
  /// @param n The new size.
  /// @param value Value of every element (may be an element of *this).
  void assign(std::size_t n, const T& value) {
    const T copy = value;  // value may live in this vector, which resize may reallocate
    clear();
    resize(n, copy);
  }
  /// Replaces the contents by the elements of [first, last).
  /// @tparam It Input iterator whose value type converts to T.
  /// @param first Start of the range (not into *this).
  /// @param last End of the range.
  template <std::input_iterator It>
  void assign(It first, It last) {
    clear();
    if constexpr (std::forward_iterator<It>) {
      reserve(static_cast<std::size_t>(std::distance(first, last)));
    }
    for (; first != last; ++first) push_back(*first);
  }
  /// Appends a copy of `v` (which may be an element of *this), doubling the capacity when full.
  /// @param v The element to append.
  void push_back(const T& v) {
    if (size_ == cap_) {
      const T copy = v;  // v may live in this vector
      reserve(2 * cap_);
      data()[size_++] = copy;
      return;
    }
    data()[size_++] = v;
  }
  /// Removes the last element (the vector must not be empty).
  void pop_back() noexcept { --size_; }

  /// Element-wise equality. Not constant-time.
  /// @param a First vector.
  /// @param b Second vector.
  /// @return True if a and b have the same size and equal elements.
  friend bool operator==(const SmallVector& a, const SmallVector& b) {
    return a.size_ == b.size_ && std::equal(a.begin(), a.end(), b.begin());
  }

 private:
  void take(SmallVector& o) noexcept {
    if (o.heap_) {
      heap_ = o.heap_;
      o.heap_ = nullptr;
      cap_ = o.cap_;
    } else {
      std::copy(o.inline_, o.inline_ + o.size_, inline_);
    }
    size_ = o.size_;
    o.size_ = 0;
    o.cap_ = N;
  }

  // Not zeroed: only [0, size_) is ever read, and every element enters through resize, assign
  // or push_back. (A zero initialiser was a `rep stos` per vector, ~10 % of an IDPF eval that
  // keeps three frontiers and a block buffer in SmallVectors.)
  T inline_[N];
  T* heap_ = nullptr;  // owned (new[]), or null while the elements are inline
  std::size_t size_ = 0;
  std::size_t cap_ = N;
};

/// Up to N objects of T built in place, in order, in uninitialised storage (no heap, nothing
/// zeroed first), destroyed in reverse order when the array goes: for a batch's group of XOF
/// streams, whose sponges wipe themselves on destruction. (An array of std::optional<T> was
/// zeroed whole with `rep stos` before use, 1.8 KB per group of eight XofTurboShake128.)
/// Neither copyable nor movable.
template <class T, std::size_t N>
class InplaceArray {
 public:
  /// An empty array (nothing constructed). noexcept.
  InplaceArray() noexcept {}
  InplaceArray(const InplaceArray&) = delete;
  InplaceArray& operator=(const InplaceArray&) = delete;
  /// Destroys the objects built, last first.
  ~InplaceArray() {
    while (size_ != 0) (*this)[--size_].~T();
  }
  /// Builds the next object from `args` (precondition: size() < N, checked by assert).
  /// Exceptions from T's constructor propagate (the object is then not counted).
  /// @tparam Args  T's constructor's argument types.
  /// @param args  forwarded to T's constructor.
  /// @return the new object.
  template <class... Args>
  T& emplace_back(Args&&... args) {
    assert(size_ < N && "InplaceArray: full");
    T* p = ::new (static_cast<void*>(slots_[size_].bytes)) T(std::forward<Args>(args)...);
    ++size_;
    return *p;
  }
  /// The k-th object built (k < size()).
  /// @param k Index.
  /// @return the object.
  T& operator[](std::size_t k) noexcept {
    return *std::launder(reinterpret_cast<T*>(slots_[k].bytes));
  }
  /// Number of objects built.
  /// @return 0..N.
  std::size_t size() const noexcept { return size_; }

 private:
  struct Slot {
    alignas(T) unsigned char bytes[sizeof(T)];
  };
  Slot slots_[N];
  std::size_t size_ = 0;
};

VDAF_END_NAMESPACE
