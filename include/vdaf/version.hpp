// Library version, draft version and wire VERSION byte.
#pragma once

#include <cstdint>

namespace vdaf {

/// The wire `VERSION` byte that goes into every domain-separation tag
/// (draft-irtf-cfrg-vdaf-20 §2; drafts 18-20 share it). Not the draft number.
inline constexpr std::uint8_t VERSION = 18;

/// The draft this library is byte-for-byte compatible with.
inline constexpr int DRAFT = 20;

/// This library's own semantic version.
inline constexpr const char* LIBRARY_VERSION = "0.1.0";

}  // namespace vdaf
