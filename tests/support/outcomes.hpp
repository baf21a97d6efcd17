// What a call threw, as comparable values: the batch tests check that every report of a batch
// fails with exactly the exception type and message of the one-report API.
#pragma once

#include <exception>
#include <optional>
#include <string>
#include <typeinfo>
#include <utility>

namespace vdaf_test {

/// Exception type name and message of an exception_ptr (a std::exception).
inline std::pair<std::string, std::string> describe(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return {typeid(x).name(), x.what()};
  }
}

/// Runs `f`; returns its exception's type name and message, or nothing if it returns.
template <class Fn>
std::optional<std::pair<std::string, std::string>> thrown(Fn&& f) {
  try {
    f();
  } catch (const std::exception& x) {
    return std::make_pair(std::string(typeid(x).name()), std::string(x.what()));
  }
  return std::nullopt;
}

}  // namespace vdaf_test
