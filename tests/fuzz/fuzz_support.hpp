// Shared helpers of the libFuzzer targets in tests/fuzz/ (built with VDAF_BUILD_FUZZERS=ON).
//
// The contract every target checks: whatever the bytes, the library either returns or throws
// one of vdaf's documented errors (decode_error, invalid_argument, verify_error). Anything else
// (another exception, a crash, a sanitizer report, an encoding that does not round-trip) is a bug
// and aborts the run.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <utility>

#include "vdaf/core/bytes.hpp"
#include "vdaf/errors.hpp"

namespace vdaf_fuzz {

/// Reads the fuzzer input front to back: single selector bytes, then length-prefixed pieces.
class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : p_(data), n_(size) {}
  /// One byte, 0 once the input is used up.
  std::uint8_t byte() {
    if (n_ == 0) return 0;
    --n_;
    return *p_++;
  }
  /// A piece of le16 length (clamped to what is left), then that many bytes.
  vdaf::ByteSpan piece() {
    std::size_t len = byte();
    len |= static_cast<std::size_t>(byte()) << 8;
    if (len > n_) len = n_;
    vdaf::ByteSpan out(p_, len);
    p_ += len;
    n_ -= len;
    return out;
  }
  /// Everything left.
  vdaf::ByteSpan rest() {
    vdaf::ByteSpan out(p_, n_);
    p_ += n_;
    n_ = 0;
    return out;
  }

 private:
  const std::uint8_t* p_;
  std::size_t n_;
};

[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "fuzz contract violated: %s\n", what);
  std::abort();
}

/// Runs f; vdaf's documented errors are expected outcomes, anything else aborts.
template <class F>
void expect_ok_or_vdaf_error(F&& f) {
  try {
    std::forward<F>(f)();
  } catch (const vdaf::decode_error&) {
  } catch (const vdaf::invalid_argument&) {
  } catch (const vdaf::verify_error&) {
  } catch (const std::exception& e) {
    std::fprintf(stderr, "unexpected exception: %s\n", e.what());
    std::abort();
  }
}

/// encode(decode(b)) must give b back: every accepted encoding is the canonical one.
inline void check_round_trip(vdaf::ByteSpan in, const vdaf::Bytes& out, const char* what) {
  if (out.size() != in.size() || !std::equal(in.begin(), in.end(), out.begin())) fail(what);
}

}  // namespace vdaf_fuzz
