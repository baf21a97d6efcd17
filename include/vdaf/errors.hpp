// Exception hierarchy (style: one throw macro, messages say what and where).
#pragma once

#include <stdexcept>
#include <string>

#include "vdaf/config.hpp"

VDAF_BEGIN_NAMESPACE

/// Root of every exception this library throws.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Caller misuse: bad parameters, measurement out of range, wrong lengths.
class invalid_argument : public error {
 public:
  using error::error;
};

/// Malformed bytes: truncated, trailing, non-canonical element, bad padding.
class decode_error : public error {
 public:
  using error::error;
};

/// A report was rejected during verification.
class verify_error : public error {
 public:
  using error::error;
};

/// A bug in this library.
class internal_error : public error {
 public:
  using error::error;
};

VDAF_END_NAMESPACE

/// The single throw point: `VDAF_THROW(decode_error, "Field64: value >= p")`.
#define VDAF_THROW(kind, msg) throw ::vdaf::kind(std::string(msg))

/// Throws `vdaf::invalid_argument` with `msg` unless `cond` holds.
#define VDAF_ARG_CHECK(cond, msg)                   \
  do {                                              \
    if (!(cond)) VDAF_THROW(invalid_argument, msg); \
  } while (0)
