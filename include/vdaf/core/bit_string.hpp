// BitString: a packed string of bits, most significant (first) bit first. The index type of the
// IDPF (draft-irtf-cfrg-vdaf-20 §8.3) and the measurements and prefixes of Poplar1 (§8.2).
#pragma once

#include <algorithm>
#include <bit>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "vdaf/config.hpp"
#include "vdaf/errors.hpp"

VDAF_BEGIN_NAMESPACE

/// A string of bits (an IDPF index, a Poplar1 measurement or one of its prefixes), bit 0 first.
///
/// Storage: 64-bit words, bit i in word i/64 at bit position 63 − i%64 (so the first bit is the
/// most significant bit of word 0), padding bits zero. Equal-length strings therefore compare
/// like their words as unsigned integers, and comparison, equality, hashing, prefix extraction
/// and common-prefix length all cost O(size/64).
///
/// Interface close to std::vector<bool> (constructors (n, value), initializer list, iterator
/// range; size, operator[] with a proxy for writes, push_back, resize, begin/end), plus
/// `prefix`, `common_prefix_length`, `starts_with` and `words`. Ordering is lexicographic with a
/// proper prefix ordered first (the order of std::vector<bool>).
///
/// Not secret-safe: comparisons and hashing take time depending on the contents. Use it for
/// public strings (prefixes) and as the container of measurements, which the IDPF reads
/// bit by bit in constant time.
class BitString {
 public:
  using size_type = std::size_t;                ///< Type of sizes and bit positions.
  using value_type = bool;                      ///< Type of one bit.
  static constexpr std::size_t WORD_BITS = 64;  ///< Bits per storage word.

  /// Proxy returned by the non-const operator[] (like std::vector<bool>::reference).
  class reference {
   public:
    /// Reads the referenced bit.
    /// @return The bit's value.
    operator bool() const noexcept { return s_->test(i_); }
    /// Writes the referenced bit.
    /// @param v The new value of the bit.
    /// @return *this.
    reference& operator=(bool v) noexcept {
      s_->set(i_, v);
      return *this;
    }
    /// Copies the value of the bit referenced by `o` into the bit referenced by *this (not the
    /// reference itself).
    /// @param o Proxy whose bit is read.
    /// @return *this.
    reference& operator=(const reference& o) noexcept { return *this = static_cast<bool>(o); }
    /// Copies the proxy (both refer to the same bit).
    reference(const reference&) noexcept = default;

   private:
    friend class BitString;
    reference(BitString* s, std::size_t i) noexcept : s_(s), i_(i) {}
    BitString* s_;
    std::size_t i_;
  };

  /// Random-access read-only iterator over the bits (value type bool).
  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;  ///< Random access.
    using iterator_concept = std::random_access_iterator_tag;   ///< Random access (C++20).
    using value_type = bool;                                    ///< A bit.
    using difference_type = std::ptrdiff_t;                     ///< Distance in bits.
    using reference = bool;  ///< Dereferencing yields the bit by value.
    using pointer = void;    ///< No pointer type (bits are not addressable).

    /// A singular iterator (attached to no string).
    const_iterator() noexcept = default;
    /// The bit at the current position (must be in 0..size()-1).
    /// @return The bit's value.
    bool operator*() const noexcept { return s_->test(i_); }
    /// The bit k positions from the current one.
    /// @param k Offset in bits; the resulting position must be in 0..size()-1.
    /// @return The bit's value.
    bool operator[](difference_type k) const noexcept { return *(*this + k); }
    /// Advances to the next bit.
    /// @return *this.
    const_iterator& operator++() noexcept {
      ++i_;
      return *this;
    }
    /// Advances to the next bit.
    /// @return A copy of the iterator before the increment.
    const_iterator operator++(int) noexcept {
      const_iterator t = *this;
      ++i_;
      return t;
    }
    /// Moves back to the previous bit.
    /// @return *this.
    const_iterator& operator--() noexcept {
      --i_;
      return *this;
    }
    /// Moves back to the previous bit.
    /// @return A copy of the iterator before the decrement.
    const_iterator operator--(int) noexcept {
      const_iterator t = *this;
      --i_;
      return t;
    }
    /// Moves by k bits.
    /// @param k Offset in bits (may be negative).
    /// @return *this.
    const_iterator& operator+=(difference_type k) noexcept {
      i_ = static_cast<std::size_t>(static_cast<difference_type>(i_) + k);
      return *this;
    }
    /// Moves back by k bits.
    /// @param k Offset in bits (may be negative).
    /// @return *this.
    const_iterator& operator-=(difference_type k) noexcept { return *this += -k; }
    /// The iterator k bits after `it`.
    /// @param it The iterator.
    /// @param k Offset in bits (may be negative).
    /// @return The moved iterator.
    friend const_iterator operator+(const_iterator it, difference_type k) noexcept {
      return it += k;
    }
    /// The iterator k bits after `it`.
    /// @param k Offset in bits (may be negative).
    /// @param it The iterator.
    /// @return The moved iterator.
    friend const_iterator operator+(difference_type k, const_iterator it) noexcept {
      return it += k;
    }
    /// The iterator k bits before `it`.
    /// @param it The iterator.
    /// @param k Offset in bits (may be negative).
    /// @return The moved iterator.
    friend const_iterator operator-(const_iterator it, difference_type k) noexcept {
      return it -= k;
    }
    /// Distance between two iterators over the same string.
    /// @param a First iterator.
    /// @param b Second iterator.
    /// @return a's position minus b's position, in bits.
    friend difference_type operator-(const const_iterator& a, const const_iterator& b) noexcept {
      return static_cast<difference_type>(a.i_) - static_cast<difference_type>(b.i_);
    }
    /// Position equality (iterators over the same string).
    /// @param a First iterator.
    /// @param b Second iterator.
    /// @return True if both are at the same position.
    friend bool operator==(const const_iterator& a, const const_iterator& b) noexcept {
      return a.i_ == b.i_;
    }
    /// Position order (iterators over the same string).
    /// @param a First iterator.
    /// @param b Second iterator.
    /// @return The order of the positions.
    friend auto operator<=>(const const_iterator& a, const const_iterator& b) noexcept {
      return a.i_ <=> b.i_;
    }
    /// The string iterated over (for the iterator-range constructor's fast path).
    /// @return The string, or nullptr for a default-constructed iterator.
    const BitString* string() const noexcept { return s_; }
    /// The position in the string (for the iterator-range constructor's fast path).
    /// @return The bit index, 0..size() (size() for end()).
    std::size_t index() const noexcept { return i_; }

   private:
    friend class BitString;
    const_iterator(const BitString* s, std::size_t i) noexcept : s_(s), i_(i) {}
    const BitString* s_ = nullptr;
    std::size_t i_ = 0;
  };
  using iterator = const_iterator;  ///< Iterators are read-only; write through operator[].

  /// The empty string.
  BitString() = default;
  /// n bits, all equal to `value`.
  /// @param n Number of bits.
  /// @param value Value of every bit.
  explicit BitString(std::size_t n, bool value = false)
      : words_(words_for(n), value ? ~std::uint64_t{0} : 0), size_(n) {
    clear_padding();
  }
  /// The given bits, first bit first.
  /// @param bits The bits, e.g. `{1, 0, 1}`.
  BitString(std::initializer_list<bool> bits) {
    reserve(bits.size());
    for (bool b : bits) push_back(b);
  }
  /// The bits of [first, last) (anything convertible to bool). Word-wise for a range of another
  /// BitString.
  /// @tparam It Input iterator whose value type converts to bool.
  /// @param first Start of the range.
  /// @param last End of the range.
  /// @throws invalid_argument only in the BitString fast path if the range is out of bounds
  ///         (cannot happen for a valid range).
  template <std::input_iterator It>
  BitString(It first, It last) {
    if constexpr (std::is_same_v<It, const_iterator>) {
      if (first.string() != nullptr && first.string() == last.string() &&
          first.index() <= last.index()) {
        *this = first.string()->substr(first.index(), last.index() - first.index());
        return;
      }
    }
    if constexpr (std::forward_iterator<It>)
      reserve(static_cast<std::size_t>(std::distance(first, last)));
    for (; first != last; ++first) push_back(static_cast<bool>(*first));
  }

  /// Number of bits.
  /// @return The length in bits.
  std::size_t size() const noexcept { return size_; }
  /// Whether the string has no bits.
  /// @return True if size() == 0.
  bool empty() const noexcept { return size_ == 0; }
  /// Reserves storage for n bits (does not change size()).
  /// @param n Number of bits to reserve room for.
  void reserve(std::size_t n) { words_.reserve(words_for(n)); }
  /// Removes all bits.
  void clear() noexcept {
    words_.clear();
    size_ = 0;
  }

  /// Bit i, without bounds check. Use bit_u64() when the bit is secret.
  /// @param i Bit position, 0..size()-1.
  /// @return The bit's value.
  bool test(std::size_t i) const noexcept {
    return ((words_[i / WORD_BITS] >> (WORD_BITS - 1 - i % WORD_BITS)) & 1) != 0;
  }
  /// Bit i, without bounds check (same as test()).
  /// @param i Bit position, 0..size()-1.
  /// @return The bit's value.
  bool operator[](std::size_t i) const noexcept { return test(i); }
  /// Writable proxy for bit i, without bounds check.
  /// @param i Bit position, 0..size()-1.
  /// @return A proxy that reads and writes bit i.
  reference operator[](std::size_t i) noexcept { return reference(this, i); }
  /// Bit i with bounds check.
  /// @param i Bit position.
  /// @return The bit's value.
  /// @throws invalid_argument if i >= size().
  bool at(std::size_t i) const {
    VDAF_ARG_CHECK(i < size_, "BitString: index out of range");
    return test(i);
  }
  /// Sets bit i to v, without bounds check.
  /// @param i Bit position, 0..size()-1.
  /// @param v The new value.
  void set(std::size_t i, bool v) noexcept {
    const std::uint64_t m = std::uint64_t{1} << (WORD_BITS - 1 - i % WORD_BITS);
    std::uint64_t& w = words_[i / WORD_BITS];
    w = (w & ~m) | (v ? m : 0);
  }
  /// Appends one bit at the end.
  /// @param v The bit to append.
  void push_back(bool v) {
    if (size_ % WORD_BITS == 0) words_.push_back(0);
    ++size_;
    set(size_ - 1, v);
  }
  /// Appends the bits of `other` (bit by bit).
  /// @param other The string to append (may be *this: the string is then doubled).
  void append(const BitString& other) {
    const std::size_t n = other.size_;  // fixed first: other may be *this, which grows
    reserve(size_ + n);
    for (std::size_t i = 0; i < n; ++i) push_back(other.test(i));
  }
  /// Removes the last bit (the string must not be empty).
  void pop_back() noexcept {
    --size_;
    set(size_, false);
    if (size_ % WORD_BITS == 0) words_.pop_back();
  }
  /// Resizes to n bits, truncating or appending bits equal to `value`.
  /// @param n The new length in bits.
  /// @param value Value of the appended bits (if n > size()).
  void resize(std::size_t n, bool value = false) {
    const std::size_t old = size_;
    if (n <= old) {
      words_.resize(words_for(n));
      size_ = n;
      clear_padding();
      return;
    }
    words_.resize(words_for(n), value ? ~std::uint64_t{0} : 0);
    size_ = n;
    if (value && old % WORD_BITS != 0) {
      words_[old / WORD_BITS] |= ~std::uint64_t{0} >> (old % WORD_BITS);
    }
    clear_padding();
  }

  /// First bit (the string must not be empty).
  /// @return The value of bit 0.
  bool front() const noexcept { return test(0); }
  /// First bit, writable (the string must not be empty).
  /// @return A proxy for bit 0.
  reference front() noexcept { return reference(this, 0); }
  /// Last bit (the string must not be empty).
  /// @return The value of bit size()-1.
  bool back() const noexcept { return test(size_ - 1); }
  /// Last bit, writable (the string must not be empty).
  /// @return A proxy for bit size()-1.
  reference back() noexcept { return reference(this, size_ - 1); }
  /// Bit i as the integer 0 or 1, without a branch (for constant-time use of secret bits).
  /// Constant time in the bit's value (i itself is public).
  /// @param i Bit position, 0..size()-1 (not checked).
  /// @return 0 or 1.
  std::uint64_t bit_u64(std::size_t i) const noexcept {
    return (words_[i / WORD_BITS] >> (WORD_BITS - 1 - i % WORD_BITS)) & 1;
  }

  /// Iterator to the first bit.
  /// @return begin iterator.
  const_iterator begin() const noexcept { return const_iterator(this, 0); }
  /// Iterator past the last bit.
  /// @return end iterator.
  const_iterator end() const noexcept { return const_iterator(this, size_); }
  /// Iterator to the first bit.
  /// @return begin iterator.
  const_iterator cbegin() const noexcept { return begin(); }
  /// Iterator past the last bit.
  /// @return end iterator.
  const_iterator cend() const noexcept { return end(); }

  /// The first `len` bits (word-wise).
  /// @param len Prefix length in bits, 0..size().
  /// @return A new string of `len` bits.
  /// @throws invalid_argument if len > size().
  BitString prefix(std::size_t len) const { return substr(0, len); }
  /// Bits [pos, pos+len) (word-wise).
  /// @param pos First bit position.
  /// @param len Number of bits; pos + len <= size().
  /// @return A new string of `len` bits.
  /// @throws invalid_argument if pos + len > size().
  BitString substr(std::size_t pos, std::size_t len) const {
    VDAF_ARG_CHECK(pos <= size_ && len <= size_ - pos, "BitString: range out of bounds");
    BitString out;
    out.size_ = len;
    out.words_.resize(words_for(len));
    const std::size_t w0 = pos / WORD_BITS, sh = pos % WORD_BITS;
    for (std::size_t k = 0; k < out.words_.size(); ++k) {
      std::uint64_t w = words_[w0 + k] << sh;
      if (sh != 0 && w0 + k + 1 < words_.size()) w |= words_[w0 + k + 1] >> (WORD_BITS - sh);
      out.words_[k] = w;
    }
    out.clear_padding();
    return out;
  }
  /// Whether `other` is a prefix of *this. Not constant-time.
  /// @param other The candidate prefix.
  /// @return True if other.size() <= size() and the first other.size() bits of *this are
  ///         `other`.
  bool starts_with(const BitString& other) const noexcept {
    return other.size_ <= size_ && common_prefix_length(*this, other) >= other.size_;
  }
  /// Length of the longest common prefix of a and b. Not constant-time (stops at the first
  /// differing word).
  /// @param a First string.
  /// @param b Second string.
  /// @return The common prefix length in bits, 0..min(a.size(), b.size()).
  static std::size_t common_prefix_length(const BitString& a, const BitString& b) noexcept {
    const std::size_t n = std::min(a.size_, b.size_);
    const std::size_t nw = words_for(n);
    for (std::size_t k = 0; k < nw; ++k) {
      const std::uint64_t x = a.words_[k] ^ b.words_[k];
      if (x != 0) {
        return std::min(n, k * WORD_BITS + static_cast<std::size_t>(std::countl_zero(x)));
      }
    }
    return n;
  }
  /// Three-way lexicographic comparison of the first `len` bits of a and b. Not constant-time.
  /// @param a First string, at least `len` bits long (not checked).
  /// @param b Second string, at least `len` bits long (not checked).
  /// @param len Number of leading bits compared.
  /// @return The order of a's and b's `len`-bit prefixes.
  static std::strong_ordering compare_prefix(const BitString& a, const BitString& b,
                                             std::size_t len) noexcept {
    const std::size_t full = len / WORD_BITS, rem = len % WORD_BITS;
    for (std::size_t k = 0; k < full; ++k) {
      if (a.words_[k] != b.words_[k]) return a.words_[k] <=> b.words_[k];
    }
    if (rem != 0) {
      const std::uint64_t m = ~std::uint64_t{0} << (WORD_BITS - rem);
      return (a.words_[full] & m) <=> (b.words_[full] & m);
    }
    return std::strong_ordering::equal;
  }

  /// The packed words (bit i at bit 63 − i%64 of word i/64, padding zero).
  /// @return ceil(size()/64) words, valid until the string is modified.
  std::span<const std::uint64_t> words() const noexcept { return words_; }
  /// The bits packed MSB-first into ceil(size/8) bytes with zero padding (the prefix encoding of
  /// Poplar1's aggregation parameter), appended to `out`. Spec: §8.2.6.
  /// @tparam ByteVec A container with push_back(std::uint8_t).
  /// @param out Receives ceil(size()/8) more bytes.
  template <class ByteVec>
  void append_packed(ByteVec& out) const {
    const std::size_t nbytes = (size_ + 7) / 8;
    for (std::size_t j = 0; j < nbytes; ++j) {
      out.push_back(static_cast<std::uint8_t>(words_[j / 8] >> (56 - 8 * (j % 8))));
    }
  }
  /// A string of `nbits` bits from MSB-first packed bytes; bits of the last byte beyond nbits
  /// are ignored (the caller checks them if they must be zero). Inverse of append_packed().
  /// Spec: §8.2.6.
  /// @param bytes At least ceil(nbits/8) bytes; only the first ceil(nbits/8) are read.
  /// @param nbits Length of the result in bits.
  /// @return The decoded string.
  /// @throws invalid_argument if bytes.size() < ceil(nbits/8).
  static BitString from_packed(std::span<const std::uint8_t> bytes, std::size_t nbits) {
    VDAF_ARG_CHECK(bytes.size() >= (nbits + 7) / 8, "BitString::from_packed: too few bytes");
    BitString out;
    out.size_ = nbits;
    out.words_.assign(words_for(nbits), 0);
    for (std::size_t j = 0; j < (nbits + 7) / 8; ++j) {
      out.words_[j / 8] |= std::uint64_t{bytes[j]} << (56 - 8 * (j % 8));
    }
    out.clear_padding();
    return out;
  }
  /// The bits as text, first bit first.
  /// @return size() characters, each '0' or '1'.
  std::string to_string() const {
    std::string s(size_, '0');
    for (std::size_t i = 0; i < size_; ++i) s[i] = test(i) ? '1' : '0';
    return s;
  }
  /// A hash of the contents (size and words); not cryptographic, not constant-time.
  /// @return The hash value.
  std::size_t hash() const noexcept {
    std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ size_;
    for (std::uint64_t w : words_) {
      h ^= w + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
      h *= 0xbf58476d1ce4e5b9ULL;
    }
    return static_cast<std::size_t>(h ^ (h >> 31));
  }

  /// Equality of length and bits. Not constant-time.
  /// @param a First string.
  /// @param b Second string.
  /// @return True if a and b have the same length and bits.
  friend bool operator==(const BitString& a, const BitString& b) noexcept {
    return a.size_ == b.size_ && a.words_ == b.words_;
  }
  /// Lexicographic order, a proper prefix first (as std::vector<bool>). Not constant-time.
  /// @param a First string.
  /// @param b Second string.
  /// @return The order of a and b.
  friend std::strong_ordering operator<=>(const BitString& a, const BitString& b) noexcept {
    const std::size_t n = std::min(a.size_, b.size_);
    const std::size_t nw = words_for(n);
    for (std::size_t k = 0; k < nw; ++k) {
      const std::uint64_t x = a.words_[k] ^ b.words_[k];
      if (x != 0) {
        const std::size_t at = k * WORD_BITS + static_cast<std::size_t>(std::countl_zero(x));
        if (at < n) return a.words_[k] <=> b.words_[k];
        break;
      }
    }
    return a.size_ <=> b.size_;
  }
  /// Writes b.to_string() to `os`.
  /// @param os Output stream.
  /// @param b The string to print.
  /// @return os.
  friend std::ostream& operator<<(std::ostream& os, const BitString& b) {
    return os << b.to_string();
  }

 private:
  static constexpr std::size_t words_for(std::size_t n) noexcept {
    return (n + WORD_BITS - 1) / WORD_BITS;
  }
  void clear_padding() noexcept {
    if (size_ % WORD_BITS != 0)
      words_.back() &= ~std::uint64_t{0} << (WORD_BITS - size_ % WORD_BITS);
  }

  std::vector<std::uint64_t> words_;
  std::size_t size_ = 0;
};

VDAF_END_NAMESPACE

/// Hash of a vdaf::BitString (for unordered containers), via vdaf::BitString::hash().
template <>
struct std::hash<vdaf::BitString> {
  /// Hashes `b`.
  /// @param b The string to hash.
  /// @return b.hash().
  std::size_t operator()(const vdaf::BitString& b) const noexcept { return b.hash(); }
};
