// Byte-string helpers.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "vdaf/config.hpp"

VDAF_BEGIN_NAMESPACE

/// An owned byte string (public data: encodings, public shares).
using Bytes = std::vector<std::uint8_t>;

/// A read-only view of bytes.
using ByteSpan = std::span<const std::uint8_t>;

namespace detail {
/// Has std::data (a pointer) and std::size: contiguous. The standard guarantees std::data and
/// std::size with <vector>; <ranges> would cost every translation unit ~0.3 s of parsing.
template <class R>
concept HasDataSize = requires(const R& r) {
  { std::data(r) } -> std::convertible_to<const volatile void*>;
  { std::size(r) } -> std::convertible_to<std::size_t>;
};
/// The element type of a HasDataSize range.
template <class R>
using data_elem_t = std::remove_cvref_t<decltype(*std::data(std::declval<const R&>()))>;
/// A contiguous range of 1-byte trivially copyable elements other than the types CtxBytes has
/// dedicated constructors for (ByteSpan, std::string_view, char arrays, C itself).
template <class R, class C>
concept CtxRange =
    HasDataSize<R> && sizeof(data_elem_t<R>) == 1 && std::is_trivially_copyable_v<data_elem_t<R>> &&
    !std::is_array_v<std::remove_cvref_t<R>> &&
    !std::is_same_v<std::remove_cvref_t<R>, std::span<const std::uint8_t>> &&
    !std::is_same_v<std::remove_cvref_t<R>, std::string_view> &&
    !std::is_same_v<std::remove_cvref_t<R>, C>;
}  // namespace detail

/// The application context string `ctx` of the VDAF operations (draft-irtf-cfrg-vdaf-20 §4,
/// §5: bound into every domain-separation tag), as a read-only view of any contiguous range of
/// bytes or chars: `Bytes`, `std::span<const std::uint8_t>`, `std::array`, `std::string`,
/// `std::string_view`, a string literal (without its terminating NUL), or `{}` (empty). The view
/// does not own the bytes: they must outlive the call.
class CtxBytes {
 public:
  /// The empty context.
  constexpr CtxBytes() noexcept = default;
  /// The bytes of `b`.
  /// @param b The context bytes (viewed, not copied).
  constexpr CtxBytes(ByteSpan b) noexcept : s_(b) {}  // NOLINT: implicit by design
  /// The chars of `sv`, as bytes.
  /// @param sv The context string (viewed, not copied).
  CtxBytes(std::string_view sv) noexcept  // NOLINT: implicit by design
      : s_(reinterpret_cast<const std::uint8_t*>(sv.data()), sv.size()) {}
  /// The chars of a NUL-terminated string (a literal), without the NUL.
  /// @param s A NUL-terminated string, not null (viewed, not copied).
  CtxBytes(const char* s) noexcept : CtxBytes(std::string_view(s)) {}  // NOLINT
  /// Any other contiguous range of 1-byte elements (std::string, std::vector<char>, Bytes,
  /// std::array of bytes, ...). Arrays of char go to the const char* overload.
  /// @tparam R A contiguous range of 1-byte trivially copyable elements.
  /// @param r The range (viewed, not copied).
  template <class R>
  requires detail::CtxRange<R, CtxBytes> CtxBytes(const R& r)
  noexcept  // NOLINT: implicit by design
      : s_(reinterpret_cast<const std::uint8_t*>(std::data(r)), std::size(r)) {}

  /// The bytes (implicit conversion).
  /// @return A view of the context bytes.
  constexpr operator ByteSpan() const noexcept { return s_; }  // NOLINT: implicit by design
  /// The bytes.
  /// @return A view of the context bytes.
  constexpr ByteSpan bytes() const noexcept { return s_; }
  /// Pointer to the first byte.
  /// @return The data pointer (may be null when empty).
  constexpr const std::uint8_t* data() const noexcept { return s_.data(); }
  /// Length of the context.
  /// @return len(ctx) in bytes.
  constexpr std::size_t size() const noexcept { return s_.size(); }
  /// Whether the context is empty.
  /// @return True if len(ctx) == 0.
  constexpr bool empty() const noexcept { return s_.empty(); }
  // Deliberately not a range (no begin/end): std::span's range constructor would then compete
  // with the conversion to ByteSpan. Iterate over bytes().

 private:
  ByteSpan s_;
};

/// Appends `b` to `out`.
/// @param out Byte string to extend by len(b) bytes.
/// @param b Bytes to append (must not alias `out`).
inline void append(Bytes& out, ByteSpan b) { out.insert(out.end(), b.begin(), b.end()); }

/// Concatenation of byte strings.
/// @param parts The byte strings, in order.
/// @return Their concatenation (sum of their lengths).
inline Bytes concat(std::initializer_list<ByteSpan> parts) {
  std::size_t n = 0;
  for (auto p : parts) n += p.size();
  Bytes out;
  out.reserve(n);
  for (auto p : parts) append(out, p);
  return out;
}

VDAF_END_NAMESPACE
