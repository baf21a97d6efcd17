// Replay engine for the official VDAF test vectors (draft-irtf-cfrg-vdaf-20,
// test-vectors/draft-irtf-cfrg-vdaf-20/). Shared by the `vdaf-testvec` tool and the
// GoogleTest suites tests/vectors/prio3_vectors_test.cpp and
// tests/vectors/poplar1_vectors_test.cpp.
//
// A vector file is replayed the way the reference harness
// `poc/tests/test_test_vectors.py` does it: the `operations` list is walked in
// order, each operation recomputes its output from the FILE's inputs (so a
// negative file without a `shard` operation still works) and compares it with
// the file, and every operation's `success` flag must be matched (an expected
// failure must throw a `vdaf::error`, an expected success must not throw).
// Prio3 (1 round) and Poplar1 (2 rounds) share that walk.
//
// The primitive files have no operations list: XofTurboShake128.json and
// XofFixedKeyAes128.json are known answers for derive_seed / expand_into_vec;
// IdpfBBCGGI21_0.json is a known answer for IDPF gen, after which both keys
// are also evaluated at every level (shares must sum to beta on alpha's path
// and to zero elsewhere).
//
// Not constant-time, not part of the library: test tooling only.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>
#include <vdaf/core/hex.hpp>
#include <vdaf/field/field255.hpp>
#include <vdaf/idpf/idpf_bbcggi21.hpp>
#include <vdaf/poplar1.hpp>
#include <vdaf/prio3.hpp>
#include <vdaf/xof/xof_fixed_key_aes128.hpp>
#include <vdaf/xof/xof_hmac_sha256_aes128.hpp>
#include <vdaf/xof/xof_turboshake128.hpp>

namespace vdaf::testvec {

/// The instance named by a file (text before the first `_`) is not one this
/// engine knows (e.g. Mastic, Prio3L1BoundSum).
class unknown_instance : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The file is readable JSON but does not follow the vector schema (missing
/// key, wrong type, bad hex, index out of range, unknown operation, ...).
class bad_vector : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The file cannot be read or is not JSON.
class file_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Outcome of a replay. `first_mismatch` is empty when `ok`; otherwise it reads
/// "report R, operation OP (agg A, round N), field F: expected X, got Y" (the
/// parts that do not apply to an operation are left out; long hex is cut).
struct replay_result {
  bool ok = true;
  std::string first_mismatch;
};

/// Instances `replay` understands, in a stable order.
inline std::vector<std::string> supported_instances() {
  return {"Prio3Count",
          "Prio3Sum",
          "Prio3SumVec",
          "Prio3SumVecWithMultiproof",
          "Prio3Histogram",
          "Prio3MultihotCountVec",
          "Prio3HigherDegree",
          "Poplar1",
          "IdpfBBCGGI21",
          "XofTurboShake128",
          "XofFixedKeyAes128",
          "Prio3L1BoundSum",
          "Prio3SumVecField64MultiproofHmacSha256Aes128",
          "XofHmacSha256Aes128"};
}

inline bool is_supported_instance(std::string_view name) {
  for (const auto& s : supported_instances()) {
    if (s == name) return true;
  }
  return false;
}

/// The instance a vector file is for: its file name up to the first `_`
/// (`Prio3SumVecWithMultiproof_0.json` -> `Prio3SumVecWithMultiproof`), or up
/// to the extension when there is no `_` (`XofTurboShake128.json`).
inline std::string instance_name(const std::filesystem::path& file) {
  std::string name = file.filename().string();
  auto us = name.find('_');
  if (us != std::string::npos) return name.substr(0, us);
  auto dot = name.rfind('.');
  if (dot != std::string::npos && dot != 0) return name.substr(0, dot);
  return name;
}

namespace detail {

using json = nlohmann::json;

/// True if `text` (a number token as it appears in the file) is an integer
/// literal: optional leading '-', then digits only (no '.', 'e', 'E').
inline bool is_integer_literal(const std::string& text) {
  bool integral = !text.empty();
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (!((c >= '0' && c <= '9') || (i == 0 && c == '-'))) integral = false;
  }
  return integral;
}

/// Builds the DOM through nlohmann's public SAX interface (json_sax), keeping
/// integers too large for uint64 / int64 exact: nlohmann reports those as
/// number_float (a double) together with their original text; an integer
/// literal that arrives that way is stored as a JSON string of its decimal
/// digits instead (`json_int_text` reads it back). Everything else becomes the
/// value nlohmann::json::parse would give (a duplicate key keeps the last
/// value). On a syntax error the parser's message is kept in `error()` and
/// parsing stops.
class exact_int_dom_builder final : public nlohmann::json_sax<json> {
 public:
  explicit exact_int_dom_builder(json& root) : root_(root) {}

  bool null() override { return add(json(nullptr)); }
  bool boolean(bool val) override { return add(json(val)); }
  bool number_integer(number_integer_t val) override { return add(json(val)); }
  bool number_unsigned(number_unsigned_t val) override { return add(json(val)); }
  bool number_float(number_float_t val, const string_t& text) override {
    if (is_integer_literal(text)) return add(json(text));
    return add(json(val));
  }
  bool string(string_t& val) override { return add(json(std::move(val))); }
  bool binary(binary_t& val) override { return add(json(std::move(val))); }

  bool start_object(std::size_t /*elements*/) override {
    json* obj = place(json::object());
    if (obj == nullptr) return false;
    open_.push_back(obj);
    return true;
  }
  bool key(string_t& val) override {
    if (open_.empty() || !open_.back()->is_object()) return fail("key outside an object");
    member_ = &(*open_.back())[val];
    return true;
  }
  bool end_object() override {
    if (open_.empty() || !open_.back()->is_object()) return fail("unbalanced end of object");
    open_.pop_back();
    return true;
  }
  bool start_array(std::size_t /*elements*/) override {
    json* arr = place(json::array());
    if (arr == nullptr) return false;
    open_.push_back(arr);
    return true;
  }
  bool end_array() override {
    if (open_.empty() || !open_.back()->is_array()) return fail("unbalanced end of array");
    open_.pop_back();
    return true;
  }

  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const json::exception& ex) override {
    return fail(ex.what());
  }

  /// Empty unless parsing stopped on an error; then the parser's message
  /// (e.g. "[json.exception.parse_error.101] parse error at line 3, column 1: ...").
  const std::string& error() const { return error_; }

 private:
  bool fail(std::string msg) {
    if (error_.empty()) error_ = std::move(msg);
    return false;
  }

  bool add(json&& v) { return place(std::move(v)) != nullptr; }

  /// Stores `v` where the grammar puts it (document root, next array element,
  /// or the member named by the last key) and returns its address. Open
  /// containers are always the innermost ones, so the addresses on `open_`
  /// stay valid: nothing is appended to an array while one of its elements is
  /// open, and object members (std::map nodes) never move.
  json* place(json&& v) {
    if (open_.empty()) {
      if (have_root_) {
        fail("more than one top-level value");
        return nullptr;
      }
      have_root_ = true;
      root_ = std::move(v);
      return &root_;
    }
    json& top = *open_.back();
    if (top.is_array()) {
      top.push_back(std::move(v));
      return &top.back();
    }
    if (member_ == nullptr) {
      fail("object member without a key");
      return nullptr;
    }
    json* slot = member_;
    member_ = nullptr;
    *slot = std::move(v);
    return slot;
  }

  json& root_;
  std::vector<json*> open_;
  json* member_ = nullptr;
  bool have_root_ = false;
  std::string error_;
};

/// Thrown internally to stop the replay at the first mismatch. Deliberately
/// not a vdaf::error, so it can never pass as an expected failure.
struct mismatch {
  std::string text;
};

inline std::string exception_text(const std::exception_ptr& ep) {
  try {
    std::rethrow_exception(ep);
  } catch (const vdaf::decode_error& e) {
    return std::string("vdaf::decode_error: ") + e.what();
  } catch (const vdaf::verify_error& e) {
    return std::string("vdaf::verify_error: ") + e.what();
  } catch (const vdaf::invalid_argument& e) {
    return std::string("vdaf::invalid_argument: ") + e.what();
  } catch (const vdaf::internal_error& e) {
    return std::string("vdaf::internal_error: ") + e.what();
  } catch (const vdaf::error& e) {
    return std::string("vdaf::error: ") + e.what();
  } catch (const std::exception& e) {
    return std::string("non-vdaf exception (std::exception): ") + e.what();
  } catch (...) {
    return "non-std exception";
  }
}

/// Hex of `b`, cut to a window around byte `focus` when long.
inline std::string show_bytes(const Bytes& b, std::size_t focus) {
  constexpr std::size_t kFull = 32, kWindow = 16;
  if (b.size() <= kFull) return b.empty() ? std::string("\"\" (0 bytes)") : to_hex(b);
  std::size_t start = focus > 4 ? focus - 4 : 0;
  if (start + kWindow > b.size()) start = b.size() - kWindow;
  std::size_t end = std::min(b.size(), start + kWindow);
  std::string s = start > 0 ? "..." : "";
  s += to_hex(ByteSpan(b).subspan(start, end - start));
  if (end < b.size()) s += "...";
  s += " (" + std::to_string(b.size()) + " bytes)";
  return s;
}

inline std::string describe_bytes_mismatch(const Bytes& expected, const Bytes& got) {
  std::size_t n = std::min(expected.size(), got.size());
  std::size_t diff = 0;
  while (diff < n && expected[diff] == got[diff]) ++diff;
  std::string at;
  if (expected.size() > 32 || got.size() > 32) {
    at = " [first difference at byte " + std::to_string(diff) + "]";
  }
  return "expected " + show_bytes(expected, diff) + ", got " + show_bytes(got, diff) + at;
}

inline std::string u128_to_string(uint128 v) {
  if (v == 0) return "0";
  std::string s;
  while (v != 0) {
    s.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  std::reverse(s.begin(), s.end());
  return s;
}

/// Decimal text of a JSON integer (exact; big ones arrive as digit strings).
inline std::optional<std::string> json_int_text(const json& j) {
  if (j.is_number_unsigned()) return std::to_string(j.get<std::uint64_t>());
  if (j.is_number_integer()) return std::to_string(j.get<std::int64_t>());
  if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    if (s.empty()) return std::nullopt;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (!(s[i] >= '0' && s[i] <= '9') && !(i == 0 && s[i] == '-' && s.size() > 1)) {
        return std::nullopt;
      }
    }
    return s;
  }
  if (j.is_boolean()) return j.get<bool>() ? "1" : "0";
  return std::nullopt;
}

/// AggResult rendered as decimal integers (scalar -> one entry, is_list false).
struct int_list {
  bool is_list = false;
  std::vector<std::string> values;
};

template <class T>
void append_ints(int_list& out, const T& x) {
  if constexpr (std::is_same_v<std::remove_cv_t<T>, bool>) {
    out.values.push_back(x ? "1" : "0");
  } else if constexpr (std::is_same_v<std::remove_cv_t<T>, uint128>) {
    out.values.push_back(u128_to_string(x));
  } else if constexpr (std::is_integral_v<T>) {
    if constexpr (std::is_signed_v<T>) {
      out.values.push_back(std::to_string(static_cast<long long>(x)));
    } else {
      out.values.push_back(std::to_string(static_cast<unsigned long long>(x)));
    }
  } else {
    static_assert(!sizeof(T), "unsupported AggResult element type");
  }
}

template <class R>
int_list result_ints(const R& r) {
  int_list out;
  if constexpr (requires {
                  r.begin();
                  r.end();
                  r.size();
                }) {
    out.is_list = true;
    for (const auto& x : r) append_ints(out, x);
  } else {
    append_ints(out, r);
  }
  return out;
}

inline std::string show_ints(const int_list& l) {
  if (!l.is_list) return l.values.empty() ? "?" : l.values[0];
  std::string s = "[";
  for (std::size_t i = 0; i < l.values.size(); ++i) {
    if (i > 0) s += ", ";
    if (i == 12 && l.values.size() > 14) {
      s += "... (" + std::to_string(l.values.size()) + " entries)";
      break;
    }
    s += l.values[i];
  }
  return s + "]";
}

// ---- JSON access: anything malformed is a bad_vector ----

inline const json& at(const json& j, std::string_view key) {
  if (!j.is_object())
    throw bad_vector("expected a JSON object around key '" + std::string(key) + "'");
  auto it = j.find(key);
  if (it == j.end()) throw bad_vector("missing key '" + std::string(key) + "'");
  return *it;
}

inline const json& at(const json& j, std::size_t idx, std::string_view what) {
  if (!j.is_array()) throw bad_vector(std::string(what) + " is not a list");
  if (idx >= j.size()) {
    throw bad_vector(std::string(what) + " has no entry " + std::to_string(idx) + " (has " +
                     std::to_string(j.size()) + ")");
  }
  return j[idx];
}

inline std::uint64_t get_u64(const json& j, std::string_view what) {
  if (!j.is_number_unsigned() && !(j.is_number_integer() && j.get<std::int64_t>() >= 0)) {
    throw bad_vector(std::string(what) + " is not a non-negative integer: " + j.dump());
  }
  return j.get<std::uint64_t>();
}

inline std::size_t get_size(const json& j, std::string_view key) {
  std::uint64_t v = get_u64(at(j, key), key);
  if (v > static_cast<std::uint64_t>(SIZE_MAX)) throw bad_vector(std::string(key) + " too large");
  return static_cast<std::size_t>(v);
}

inline Bytes get_hex(const json& j, std::string_view what) {
  if (!j.is_string()) throw bad_vector(std::string(what) + " is not a hex string");
  try {
    return from_hex(j.get_ref<const std::string&>());
  } catch (const vdaf::error& e) {
    throw bad_vector(std::string(what) + ": " + e.what());
  }
}

inline bool get_bool(const json& j, std::string_view what) {
  if (!j.is_boolean()) throw bad_vector(std::string(what) + " is not a boolean");
  return j.get<bool>();
}

// ---- measurements: JSON -> V::Measurement ----

template <class M>
struct measurement_parser;  // returns nullopt if not representable

template <>
struct measurement_parser<std::uint64_t> {
  static std::optional<std::uint64_t> parse(const json& j) {
    if (j.is_number_unsigned()) return j.get<std::uint64_t>();
    if (j.is_number_integer() && j.get<std::int64_t>() >= 0) {
      return static_cast<std::uint64_t>(j.get<std::int64_t>());
    }
    return std::nullopt;
  }
};

template <class T, class A>
struct measurement_parser<std::vector<T, A>> {
  static std::optional<std::vector<T, A>> parse(const json& j) {
    if (!j.is_array()) return std::nullopt;
    std::vector<T, A> out;
    out.reserve(j.size());
    for (const auto& e : j) {
      if constexpr (std::is_same_v<T, bool>) {
        if (e.is_boolean()) {
          out.push_back(e.get<bool>());
        } else if (auto b = measurement_parser<std::uint64_t>::parse(e); b && *b <= 1) {
          out.push_back(*b == 1);
        } else {
          return std::nullopt;
        }
      } else {
        auto v = measurement_parser<T>::parse(e);
        if (!v) return std::nullopt;
        out.push_back(*v);
      }
    }
    return out;
  }
};

/// A bit string (Poplar1 measurement, IDPF alpha): booleans or 0/1 integers.
template <>
struct measurement_parser<BitString> {
  static std::optional<BitString> parse(const json& j) {
    auto bits = measurement_parser<std::vector<bool>>::parse(j);
    if (!bits) return std::nullopt;
    return BitString(bits->begin(), bits->end());
  }
};

// ---- out-share decoding (the API has encode_out_share but maybe no decoder) ----

template <class V>
concept has_decode_out_share = requires(const V& v, const typename V::AggParam& ap, ByteSpan b) {
  {v.decode_out_share(ap, b)};
};

template <class V>
concept out_share_from_field_vec = std::is_constructible_v < typename V::OutShare,
        typename std::vector<typename V::Field>::iterator,
typename std::vector<typename V::Field>::iterator > ;

/// Poplar1: an output share is encoded like an aggregate share (one element of
/// the level's field per prefix), so the aggregate-share decoder reads it.
template <class V>
concept out_share_is_agg_share = std::is_same_v<typename V::OutShare, typename V::AggShare> &&
    requires(const V& v, const typename V::AggParam& ap, ByteSpan b) {
  {v.decode_agg_share(ap, b)};
};

/// Instances whose aggregation parameter is not trivial (Poplar1's (level,
/// prefixes)): the file's `agg_param` must decode, and re-encode to the same bytes.
template <class V>
inline constexpr bool checks_agg_param_encoding = std::is_same_v<V, Poplar1>;

/// Where a check happens, for the mismatch text.
struct location {
  std::optional<std::size_t> report;
  std::string op;
  std::optional<std::size_t> agg;
  std::optional<std::size_t> round;

  std::string prefix() const {
    std::string s;
    if (report) s += "report " + std::to_string(*report) + ", ";
    s += "operation " + op;
    if (agg || round) {
      s += " (";
      if (agg) s += "agg " + std::to_string(*agg);
      if (agg && round) s += ", ";
      if (round) s += "round " + std::to_string(*round);
      s += ")";
    }
    return s;
  }
};

/// Walks the operations list of a VDAF file (Prio3: 1 round; Poplar1: 2 rounds).
template <class V>
class vdaf_replayer {
 public:
  using VerifyState = typename V::VerifyState;
  using OutShare = typename V::OutShare;
  using AggParam = typename V::AggParam;

  vdaf_replayer(const V& v, const json& tv) : v_(v), tv_(tv) {}

  void run() {
    ctx_ = get_hex(at(tv_, "ctx"), "ctx");
    verify_key_ = get_hex(at(tv_, "verify_key"), "verify_key");
    agg_param_bytes_ = get_hex(at(tv_, "agg_param"), "agg_param");
    if constexpr (checks_agg_param_encoding<V>) check_agg_param_encoding();
    const json& reports = at(tv_, "reports");
    if (!reports.is_array()) throw bad_vector("reports is not a list");
    const json& ops = at(tv_, "operations");
    if (!ops.is_array()) throw bad_vector("operations is not a list");
    for (std::size_t i = 0; i < ops.size(); ++i) {
      const json& op = ops[i];
      const json& name = at(op, "operation");
      if (!name.is_string()) throw bad_vector("operation name is not a string");
      const std::string& n = name.get_ref<const std::string&>();
      bool success = get_bool(at(op, "success"), "success");
      loc_ = location{};
      loc_.op = n;
      if (n == "shard") {
        shard(op, success);
      } else if (n == "verify_init") {
        verify_init(op, success);
      } else if (n == "verifier_shares_to_message") {
        verifier_shares_to_message(op, success);
      } else if (n == "verify_next") {
        verify_next(op, success);
      } else if (n == "aggregate") {
        aggregate(op, success);
      } else if (n == "unshard") {
        unshard(op, success);
      } else {
        throw bad_vector("operation " + std::to_string(i) + ": unexpected operation '" + n + "'");
      }
    }
  }

 private:
  [[noreturn]] void fail(std::string_view field, const std::string& what) const {
    throw mismatch{loc_.prefix() + ", field " + std::string(field) + ": " + what};
  }

  /// Runs `fn` where success is required; any exception is a mismatch.
  template <class Fn>
  auto must_succeed(std::string_view field, Fn&& fn) -> decltype(fn()) {
    try {
      return fn();
    } catch (const mismatch&) {
      throw;
    } catch (const bad_vector&) {
      throw;
    } catch (...) {
      fail(field, "expected success, got " + exception_text(std::current_exception()));
    }
  }

  /// Runs `fn` where a vdaf::error is required.
  template <class Fn>
  void must_fail(std::string_view field, Fn&& fn) {
    try {
      fn();
    } catch (const vdaf::error&) {
      return;
    } catch (const mismatch&) {
      throw;
    } catch (const bad_vector&) {
      throw;
    } catch (...) {
      fail(field,
           "expected failure (a vdaf::error), got " + exception_text(std::current_exception()));
    }
    fail(field, "expected failure (a vdaf::error), got success");
  }

  void compare(std::string_view field, const Bytes& expected, const Bytes& got) const {
    if (expected != got) fail(field, describe_bytes_mismatch(expected, got));
  }

  const json& report(const json& op) {
    std::size_t r = get_size(op, "report_index");
    loc_.report = r;
    return at(at(tv_, "reports"), r, "reports");
  }

  std::size_t agg_id(const json& op) {
    std::size_t a = get_size(op, "aggregator_id");
    loc_.agg = a;
    if (a >= v_.shares()) {
      throw bad_vector("aggregator_id " + std::to_string(a) + " >= shares " +
                       std::to_string(v_.shares()));
    }
    return a;
  }

  std::size_t round(const json& op) {
    std::size_t r = get_size(op, "round");
    loc_.round = r;
    return r;
  }

  AggParam agg_param() {
    return must_succeed("agg_param", [&] { return v_.decode_agg_param(agg_param_bytes_); });
  }

  /// "operation decode_agg_param": decode, then the re-encoding must equal the file.
  void check_agg_param_encoding() {
    loc_ = location{};
    loc_.op = "decode_agg_param";
    AggParam ap = agg_param();
    Bytes got = must_succeed("agg_param", [&] { return v_.encode_agg_param(ap); });
    compare("agg_param", agg_param_bytes_, got);
  }

  void shard(const json& op, bool success) {
    const json& rep = report(op);
    Bytes nonce = get_hex(at(rep, "nonce"), "nonce");
    Bytes rand = get_hex(at(rep, "rand"), "rand");
    auto meas = measurement_parser<typename V::Measurement>::parse(at(rep, "measurement"));
    if (!success) {
      // A measurement that the C++ type cannot even hold counts as rejected.
      if (!meas) return;
      must_fail("success", [&] { (void)v_.shard(ctx_, *meas, nonce, rand); });
      return;
    }
    if (!meas) {
      fail("measurement", "expected a value representable as the instance's Measurement, got " +
                              at(rep, "measurement").dump());
    }
    auto res = must_succeed("success", [&] { return v_.shard(ctx_, *meas, nonce, rand); });
    Bytes ps =
        must_succeed("public_share", [&] { return v_.encode_public_share(res.public_share); });
    compare("public_share", get_hex(at(rep, "public_share"), "public_share"), ps);
    const json& exp_in = at(rep, "input_shares");
    if (!exp_in.is_array()) throw bad_vector("input_shares is not a list");
    if (exp_in.size() != res.input_shares.size()) {
      fail("input_shares", "expected " + std::to_string(exp_in.size()) + " input shares, got " +
                               std::to_string(res.input_shares.size()));
    }
    for (std::size_t j = 0; j < exp_in.size(); ++j) {
      std::string field = "input_shares[" + std::to_string(j) + "]";
      Bytes got = must_succeed(field, [&] { return v_.encode_input_share(res.input_shares[j]); });
      compare(field, get_hex(exp_in[j], field), got);
    }
  }

  void verify_init(const json& op, bool success) {
    const json& rep = report(op);
    std::size_t r = *loc_.report;
    std::size_t a = agg_id(op);
    std::string in_field = "input_shares[" + std::to_string(a) + "]";
    Bytes nonce = get_hex(at(rep, "nonce"), "nonce");
    Bytes ps_bytes = get_hex(at(rep, "public_share"), "public_share");
    Bytes in_bytes = get_hex(at(at(rep, "input_shares"), a, "input_shares"), in_field);
    AggParam ap = agg_param();
    auto ps = must_succeed("public_share", [&] { return v_.decode_public_share(ps_bytes); });
    auto in = must_succeed(in_field, [&] { return v_.decode_input_share(a, in_bytes); });
    if (!success) {
      must_fail("success", [&] { (void)v_.verify_init(verify_key_, ctx_, a, ap, nonce, ps, in); });
      return;
    }
    auto res = must_succeed(
        "success", [&] { return v_.verify_init(verify_key_, ctx_, a, ap, nonce, ps, in); });
    std::string field = "verifier_shares[0][" + std::to_string(a) + "]";
    Bytes got = must_succeed(field, [&] { return v_.encode_verifier_share(res.second); });
    const json& exp = at(at(at(rep, "verifier_shares"), 0, "verifier_shares"), a, field);
    compare(field, get_hex(exp, field), got);
    states_.insert_or_assign(std::array<std::size_t, 3>{r, a, 0}, std::move(res.first));
  }

  const VerifyState& state(std::size_t r, std::size_t a, std::size_t rnd) const {
    auto it = states_.find(std::array<std::size_t, 3>{r, a, rnd});
    if (it == states_.end()) {
      throw bad_vector("report " + std::to_string(r) + ": no verify state for aggregator " +
                       std::to_string(a) + " at round " + std::to_string(rnd) +
                       " (no successful earlier verify_init/verify_next)");
    }
    return it->second;
  }

  void verifier_shares_to_message(const json& op, bool success) {
    const json& rep = report(op);
    std::size_t r = *loc_.report;
    std::size_t rnd = round(op);
    AggParam ap = agg_param();
    const json& shares_json = at(at(rep, "verifier_shares"), rnd, "verifier_shares");
    if (!shares_json.is_array()) throw bad_vector("verifier_shares[round] is not a list");
    // zip(states for every aggregator, shares in the file), as the reference does.
    std::size_t n = std::min<std::size_t>(v_.shares(), shares_json.size());
    std::vector<typename V::VerifierShare> shares;
    shares.reserve(n);
    for (std::size_t a = 0; a < n; ++a) {
      std::string field = "verifier_shares[" + std::to_string(rnd) + "][" + std::to_string(a) + "]";
      Bytes b = get_hex(shares_json[a], field);
      const VerifyState& st = state(r, a, rnd);
      shares.push_back(must_succeed(field, [&] { return v_.decode_verifier_share(st, b); }));
    }
    using Span = std::span<const typename V::VerifierShare>;
    if (!success) {
      must_fail("success", [&] { (void)v_.verifier_shares_to_message(ctx_, ap, Span(shares)); });
      return;
    }
    auto msg = must_succeed("success",
                            [&] { return v_.verifier_shares_to_message(ctx_, ap, Span(shares)); });
    std::string field = "verifier_messages[" + std::to_string(rnd) + "]";
    Bytes got = must_succeed(field, [&] { return v_.encode_verifier_message(msg); });
    compare(field, get_hex(at(at(rep, "verifier_messages"), rnd, "verifier_messages"), field), got);
  }

  void verify_next(const json& op, bool success) {
    const json& rep = report(op);
    std::size_t r = *loc_.report;
    std::size_t a = agg_id(op);
    std::size_t rnd = round(op);
    if (rnd == 0) throw bad_vector("verify_next with round 0");
    const VerifyState& st = state(r, a, rnd - 1);
    std::string msg_field = "verifier_messages[" + std::to_string(rnd - 1) + "]";
    Bytes msg_bytes =
        get_hex(at(at(rep, "verifier_messages"), rnd - 1, "verifier_messages"), msg_field);
    auto msg = must_succeed(msg_field, [&] { return v_.decode_verifier_message(st, msg_bytes); });
    if (!success) {
      must_fail("success", [&] { (void)v_.verify_next(ctx_, st, msg); });
      return;
    }
    auto res = must_succeed("success", [&] { return v_.verify_next(ctx_, st, msg); });
    if (rnd < V::ROUNDS) {
      if (res.index() != 0) fail("success", "expected a next-round state, got an output share");
      auto& pr = std::get<0>(res);
      std::string field = "verifier_shares[" + std::to_string(rnd) + "][" + std::to_string(a) + "]";
      Bytes got = must_succeed(field, [&] { return v_.encode_verifier_share(pr.second); });
      const json& exp = at(at(at(rep, "verifier_shares"), rnd, "verifier_shares"), a, field);
      compare(field, get_hex(exp, field), got);
      states_.insert_or_assign(std::array<std::size_t, 3>{r, a, rnd}, std::move(pr.first));
    } else {
      if (res.index() != 1) fail("success", "expected an output share, got a next-round state");
      auto& out = std::get<1>(res);
      std::string field = "out_shares[" + std::to_string(a) + "]";
      Bytes got = must_succeed(field, [&] { return v_.encode_out_share(out); });
      compare(field, get_hex(at(at(rep, "out_shares"), a, "out_shares"), field), got);
      out_shares_.insert_or_assign(std::pair<std::size_t, std::size_t>{r, a}, std::move(out));
    }
  }

  OutShare decode_out_share(const AggParam& ap, std::size_t r, std::size_t a, const Bytes& b) {
    std::string field = "reports[" + std::to_string(r) + "].out_shares[" + std::to_string(a) + "]";
    if constexpr (has_decode_out_share<V>) {
      return must_succeed(field, [&] { return OutShare(v_.decode_out_share(ap, b)); });
    } else if constexpr (out_share_from_field_vec<V>) {
      (void)ap;
      auto elems =
          must_succeed(field, [&] { return V::Field::decode_vec(ByteSpan(b.data(), b.size())); });
      if (elems.size() != v_.output_len()) {
        fail(field, "decoding: expected " + std::to_string(v_.output_len()) +
                        " field elements, got " + std::to_string(elems.size()));
      }
      return OutShare(elems.begin(), elems.end());
    } else if constexpr (out_share_is_agg_share<V>) {
      return must_succeed(field, [&] { return OutShare(v_.decode_agg_share(ap, b)); });
    } else {
      (void)ap;
      (void)b;
      auto it = out_shares_.find(std::pair<std::size_t, std::size_t>{r, a});
      if (it == out_shares_.end()) {
        throw bad_vector("cannot decode " + field + " and no verify_next produced it");
      }
      return it->second;
    }
  }

  void aggregate(const json& op, bool success) {
    std::size_t a = agg_id(op);
    AggParam ap = agg_param();
    const json& reports = at(tv_, "reports");
    std::vector<OutShare> outs;
    outs.reserve(reports.size());
    for (std::size_t r = 0; r < reports.size(); ++r) {
      std::string field =
          "reports[" + std::to_string(r) + "].out_shares[" + std::to_string(a) + "]";
      Bytes b = get_hex(at(at(reports[r], "out_shares"), a, "out_shares"), field);
      outs.push_back(decode_out_share(ap, r, a, b));
    }
    auto run = [&] {
      auto agg = v_.agg_init(ap);
      for (const auto& o : outs) v_.agg_update(ap, agg, o);
      return agg;
    };
    if (!success) {
      must_fail("success", [&] { (void)run(); });
      return;
    }
    auto agg = must_succeed("success", run);
    std::string field = "agg_shares[" + std::to_string(a) + "]";
    Bytes got = must_succeed(field, [&] { return v_.encode_agg_share(agg); });
    compare(field, get_hex(at(at(tv_, "agg_shares"), a, "agg_shares"), field), got);
  }

  void unshard(const json& /*op*/, bool success) {
    AggParam ap = agg_param();
    const json& shares_json = at(tv_, "agg_shares");
    if (!shares_json.is_array()) throw bad_vector("agg_shares is not a list");
    std::vector<typename V::AggShare> shares;
    shares.reserve(shares_json.size());
    for (std::size_t a = 0; a < shares_json.size(); ++a) {
      std::string field = "agg_shares[" + std::to_string(a) + "]";
      Bytes b = get_hex(shares_json[a], field);
      shares.push_back(must_succeed(field, [&] { return v_.decode_agg_share(ap, b); }));
    }
    const json& reports = at(tv_, "reports");
    auto num = static_cast<std::uint64_t>(reports.size());
    using Span = std::span<const typename V::AggShare>;
    if (!success) {
      must_fail("success", [&] { (void)v_.unshard(ap, Span(shares), num); });
      return;
    }
    auto result = must_succeed("success", [&] { return v_.unshard(ap, Span(shares), num); });
    int_list got = result_ints(result);
    const json& exp_json = at(tv_, "agg_result");
    int_list exp;
    exp.is_list = exp_json.is_array();
    if (exp.is_list) {
      for (const auto& e : exp_json) {
        auto t = json_int_text(e);
        if (!t) throw bad_vector("agg_result entry is not an integer: " + e.dump());
        exp.values.push_back(*t);
      }
    } else {
      auto t = json_int_text(exp_json);
      if (!t) throw bad_vector("agg_result is not an integer or a list: " + exp_json.dump());
      exp.values.push_back(*t);
    }
    if (exp.is_list != got.is_list || exp.values != got.values) {
      fail("agg_result", "expected " + show_ints(exp) + ", got " + show_ints(got));
    }
  }

  const V& v_;
  const json& tv_;
  Bytes ctx_, verify_key_, agg_param_bytes_;
  location loc_;
  std::map<std::array<std::size_t, 3>, VerifyState> states_;
  std::map<std::pair<std::size_t, std::size_t>, OutShare> out_shares_;
};

template <class V>
replay_result replay_vdaf(const V& v, const json& tv) {
  try {
    vdaf_replayer<V>(v, tv).run();
  } catch (const mismatch& m) {
    return {false, m.text};
  }
  return {};
}

/// Builds the instance; a constructor that rejects the file's parameters is a
/// mismatch ("operation construct"), not a malformed file.
template <class Make>
replay_result with_instance(std::string_view desc, const json& tv, Make&& make) {
  using V = decltype(make());
  std::optional<V> v;
  try {
    v.emplace(make());
  } catch (const bad_vector&) {
    throw;
  } catch (...) {
    return {false, "operation construct, field parameters: expected " + std::string(desc) +
                       " to be accepted, got " + exception_text(std::current_exception())};
  }
  return replay_vdaf(*v, tv);
}

inline std::string field_name(const json& tv) {
  if (!tv.is_object() || !tv.contains("field")) return "Field64";
  const json& f = tv["field"];
  if (!f.is_string()) throw bad_vector("field is not a string");
  return f.get<std::string>();
}

inline unknown_instance unknown(std::string_view instance) {
  std::string list;
  for (const auto& s : supported_instances()) list += (list.empty() ? "" : ", ") + s;
  return unknown_instance("unknown instance '" + std::string(instance) + "' (supported: " + list +
                          ")");
}

/// XofTurboShake128.json / XofFixedKeyAes128.json: derive_seed and
/// expand_into_vec(Field128, length) of `X` on the file's seed, dst and binder.
template <class X>
replay_result replay_xof(const json& tv) {
  Bytes seed = get_hex(at(tv, "seed"), "seed");
  Bytes dst = get_hex(at(tv, "dst"), "dst");
  Bytes binder = get_hex(at(tv, "binder"), "binder");
  std::size_t length = get_size(tv, "length");
  Bytes exp_seed = get_hex(at(tv, "derived_seed"), "derived_seed");
  Bytes exp_vec = get_hex(at(tv, "expanded_vec_field128"), "expanded_vec_field128");
  auto run = [](std::string_view op, std::string_view field, auto&& fn) -> Bytes {
    try {
      return fn();
    } catch (...) {
      throw mismatch{"operation " + std::string(op) + ", field " + std::string(field) +
                     ": expected success, got " + exception_text(std::current_exception())};
    }
  };
  try {
    Bytes got_seed =
        run("derive_seed", "derived_seed", [&] { return X::derive_seed(seed, dst, binder); });
    if (got_seed != exp_seed) {
      return {false, "operation derive_seed, field derived_seed: " +
                         describe_bytes_mismatch(exp_seed, got_seed)};
    }
    Bytes got_vec = run("expand_into_vec", "expanded_vec_field128", [&] {
      auto v = X::template expand_into_vec<Field128>(seed, dst, binder, length);
      return Field128::encode_vec(v);
    });
    if (got_vec != exp_vec) {
      return {false, "operation expand_into_vec, field expanded_vec_field128: " +
                         describe_bytes_mismatch(exp_vec, got_vec)};
    }
  } catch (const mismatch& m) {
    return {false, m.text};
  }
  return {};
}

inline replay_result replay_xof_turboshake128(const json& tv) {
  return replay_xof<XofTurboShake128>(tv);
}

// ---- IdpfBBCGGI21 ----

/// Decimal digits -> 256-bit integer (little-endian limbs); nullopt unless a
/// non-negative integer below 2^256.
inline std::optional<Field255::Int> parse_u256(const std::string& s) {
  if (s.empty()) return std::nullopt;
  Field255::Int x = {0, 0, 0, 0};
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    auto carry = static_cast<std::uint64_t>(c - '0');
    for (auto& limb : x) {
      uint128 t = static_cast<uint128>(limb) * 10 + carry;
      limb = static_cast<std::uint64_t>(t);
      carry = static_cast<std::uint64_t>(t >> 64);
    }
    if (carry != 0) return std::nullopt;
  }
  return x;
}

inline bool less_u256(const Field255::Int& a, const Field255::Int& b) {
  for (std::size_t i = a.size(); i-- > 0;) {
    if (a[i] != b[i]) return a[i] < b[i];
  }
  return false;
}

inline std::string u256_to_string(Field255::Int x) {
  std::string s;
  for (;;) {
    bool zero = true;
    for (auto limb : x) zero = zero && limb == 0;
    if (zero) break;
    uint128 rem = 0;
    for (std::size_t i = x.size(); i-- > 0;) {
      uint128 cur = (rem << 64) | x[i];
      x[i] = static_cast<std::uint64_t>(cur / 10);
      rem = cur % 10;
    }
    s.push_back(static_cast<char>('0' + static_cast<int>(rem)));
  }
  if (s.empty()) return "0";
  std::reverse(s.begin(), s.end());
  return s;
}

/// A field element from a JSON decimal string (or integer), exact; values
/// that are not below the field's modulus are a malformed file.
template <class F>
F parse_field_element(const json& j, const std::string& what) {
  auto text = json_int_text(j);
  std::optional<Field255::Int> x;
  if (text) x = parse_u256(*text);
  if (!x) throw bad_vector(what + " is not a non-negative decimal integer: " + j.dump());
  if constexpr (std::is_same_v<F, Field255>) {
    if (!less_u256(*x, Field255::MODULUS)) {
      throw bad_vector(what + " = " + *text + " is not a Field255 element (>= 2^255 - 19)");
    }
    return Field255::from_int(*x);
  } else {
    static_assert(std::is_same_v<F, Field64>, "IDPF values are Field64 or Field255");
    if ((*x)[1] != 0 || (*x)[2] != 0 || (*x)[3] != 0 || (*x)[0] >= Field64::MODULUS) {
      throw bad_vector(what + " = " + *text + " is not a Field64 element (>= 2^64 - 2^32 + 1)");
    }
    return Field64::from_u64((*x)[0]);
  }
}

template <class F, class A>
std::string show_field_vec(const std::vector<F, A>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) s += ", ";
    if (i == 8 && v.size() > 10) {
      s += "... (" + std::to_string(v.size()) + " entries)";
      break;
    }
    if constexpr (std::is_same_v<F, Field255>) {
      s += u256_to_string(v[i].as_int());
    } else {
      s += std::to_string(v[i].as_int());
    }
  }
  return s + "]";
}

/// A prefix as '0'/'1' text, cut in the middle when long.
inline std::string show_prefix(const BitString& p) {
  auto bits = [&](std::size_t from, std::size_t to) {
    std::string s;
    for (std::size_t i = from; i < to; ++i) s.push_back(p[i] ? '1' : '0');
    return s;
  };
  if (p.size() <= 64) return bits(0, p.size());
  return bits(0, 32) + "..." + bits(p.size() - 16, p.size()) + " (" + std::to_string(p.size()) +
         " bits)";
}

/// The prefixes of length level+1 evaluated at `level`: all of them below
/// level 8; deeper, alpha's prefix, it with each one bit flipped, and 8
/// pseudo-random prefixes (fixed per level). Sorted, distinct.
inline std::vector<BitString> idpf_eval_prefixes(const BitString& alpha, std::size_t level) {
  const std::size_t len = level + 1;
  std::set<BitString> set;
  if (level < 8) {
    for (std::uint32_t v = 0; v < (1u << len); ++v) {
      BitString p(len);
      for (std::size_t i = 0; i < len; ++i) p[i] = ((v >> (len - 1 - i)) & 1) != 0;
      set.insert(std::move(p));
    }
  } else {
    BitString path(len, false);
    for (std::size_t i = 0; i < len && i < alpha.size(); ++i) path[i] = alpha[i];
    set.insert(path);
    for (std::size_t i = 0; i < len; ++i) {
      BitString f = path;
      f[i] = !f[i];
      set.insert(std::move(f));
    }
    std::uint64_t state = 0x9e3779b97f4a7c15ULL ^ static_cast<std::uint64_t>(level);
    auto next = [&] {  // splitmix64
      std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      return z ^ (z >> 31);
    };
    for (int k = 0; k < 8; ++k) {
      BitString p(len);
      std::uint64_t word = 0;
      for (std::size_t i = 0; i < len; ++i) {
        if (i % 64 == 0) word = next();
        p[i] = ((word >> (i % 64)) & 1) != 0;
      }
      set.insert(std::move(p));
    }
  }
  return {set.begin(), set.end()};
}

/// IdpfBBCGGI21_0.json: gen must reproduce the public share and the keys
/// (rand = keys[0] ‖ keys[1]); then both keys (with the file's public share)
/// are evaluated at every level on `idpf_eval_prefixes`, once without and
/// once with an EvalCache kept across levels (the results must agree), and
/// the two shares must sum to beta on alpha's path and to zero elsewhere.
class idpf_replayer {
 public:
  explicit idpf_replayer(const json& tv) : tv_(tv) {}

  void run() {
    const std::size_t bits = get_size(tv_, "bits");
    auto alpha = measurement_parser<BitString>::parse(at(tv_, "alpha"));
    if (!alpha) throw bad_vector("alpha is not a list of booleans");
    alpha_ = std::move(*alpha);
    const json& bl = at(tv_, "beta_leaf");
    if (!bl.is_array()) throw bad_vector("beta_leaf is not a list");
    const std::size_t value_len = bl.size();
    for (std::size_t i = 0; i < value_len; ++i) {
      beta_leaf_.push_back(
          parse_field_element<Field255>(bl[i], "beta_leaf[" + std::to_string(i) + "]"));
    }
    const json& bi = at(tv_, "beta_inner");
    if (!bi.is_array()) throw bad_vector("beta_inner is not a list");
    for (std::size_t l = 0; l < bi.size(); ++l) {
      const std::string what = "beta_inner[" + std::to_string(l) + "]";
      if (!bi[l].is_array()) throw bad_vector(what + " is not a list");
      if (bi[l].size() != value_len) {
        throw bad_vector(what + " has " + std::to_string(bi[l].size()) +
                         " entries, beta_leaf (VALUE_LEN) has " + std::to_string(value_len));
      }
      std::vector<Field64> b;
      for (std::size_t i = 0; i < value_len; ++i) {
        b.push_back(parse_field_element<Field64>(bi[l][i], what + "[" + std::to_string(i) + "]"));
      }
      beta_inner_.push_back(std::move(b));
    }
    ctx_ = get_hex(at(tv_, "ctx"), "ctx");
    nonce_ = get_hex(at(tv_, "nonce"), "nonce");
    Bytes exp_ps = get_hex(at(tv_, "public_share"), "public_share");
    const json& keys = at(tv_, "keys");
    if (!keys.is_array() || keys.size() != 2) throw bad_vector("keys is not a list of 2 keys");
    const Bytes k0 = get_hex(keys[0], "keys[0]"), k1 = get_hex(keys[1], "keys[1]");

    op_ = "construct";
    try {
      idpf_.emplace(value_len, bits);
    } catch (...) {
      throw mismatch{"operation construct, field parameters: expected IdpfBBCGGI21(VALUE_LEN " +
                     std::to_string(value_len) + ", BITS " + std::to_string(bits) +
                     ") to be accepted, got " + exception_text(std::current_exception())};
    }

    op_ = "gen";
    Bytes rand = k0;
    append(rand, k1);
    auto gen = must_succeed(
        "success", [&] { return idpf_->gen(alpha_, beta_inner_, beta_leaf_, ctx_, nonce_, rand); });
    Bytes got_ps =
        must_succeed("public_share", [&] { return idpf_->encode_public_share(gen.first); });
    compare("public_share", exp_ps, got_ps);
    compare("keys[0]", k0, Bytes(gen.second[0].data(), gen.second[0].data() + 16));
    compare("keys[1]", k1, Bytes(gen.second[1].data(), gen.second[1].data() + 16));

    op_ = "eval";
    ps_ = must_succeed("public_share", [&] { return idpf_->decode_public_share(exp_ps); });
    keys_ = {IdpfBBCGGI21::Key(k0), IdpfBBCGGI21::Key(k1)};
    for (std::size_t level = 0; level < bits; ++level) {
      level_ = level;
      std::vector<BitString> prefixes = idpf_eval_prefixes(alpha_, level);
      if (level + 1 < bits) {
        check_level<Field64>(prefixes, beta_inner_.at(level));
      } else {
        check_level<Field255>(prefixes, beta_leaf_);
      }
    }
  }

 private:
  [[noreturn]] void fail(std::string_view field, const std::string& what) const {
    std::string where = "operation " + op_;
    if (agg_ || level_) {
      where += " (";
      if (agg_) where += "agg " + std::to_string(*agg_);
      if (agg_ && level_) where += ", ";
      if (level_) where += "level " + std::to_string(*level_);
      where += ")";
    }
    throw mismatch{where + ", field " + std::string(field) + ": " + what};
  }

  template <class Fn>
  auto must_succeed(std::string_view field, Fn&& fn) -> decltype(fn()) {
    try {
      return fn();
    } catch (const mismatch&) {
      throw;
    } catch (const bad_vector&) {
      throw;
    } catch (...) {
      fail(field, "expected success, got " + exception_text(std::current_exception()));
    }
  }

  void compare(std::string_view field, const Bytes& expected, const Bytes& got) const {
    if (expected != got) fail(field, describe_bytes_mismatch(expected, got));
  }

  template <class F>
  vdaf::IdpfBBCGGI21::Values<F> eval(std::size_t agg, const std::vector<BitString>& prefixes,
                                     IdpfBBCGGI21::EvalCache* cache) const {
    std::span<const BitString> p(prefixes);
    if constexpr (std::is_same_v<F, Field255>) {
      return idpf_->eval_leaf(agg, ps_, keys_[agg], p, ctx_, nonce_, cache);
    } else {
      return idpf_->eval_inner(agg, ps_, keys_[agg], *level_, p, ctx_, nonce_, cache);
    }
  }

  template <class F>
  void check_level(const std::vector<BitString>& prefixes, const std::vector<F>& beta) {
    std::array<vdaf::IdpfBBCGGI21::Values<F>, 2> y;
    for (std::size_t a = 0; a < 2; ++a) {
      agg_ = a;
      y[a] = must_succeed("success", [&] { return eval<F>(a, prefixes, nullptr); });
      auto yc = must_succeed("success", [&] { return eval<F>(a, prefixes, &caches_[a]); });
      if (y[a].size() != prefixes.size() || yc.size() != prefixes.size()) {
        fail("success", "expected " + std::to_string(prefixes.size()) + " outputs, got " +
                            std::to_string(y[a].size()) + " (" + std::to_string(yc.size()) +
                            " with a cache)");
      }
      for (std::size_t i = 0; i < prefixes.size(); ++i) {
        if (!(yc[i] == y[a][i])) {
          fail("cached eval at prefix " + show_prefix(prefixes[i]),
               "expected (as without a cache) " + show_field_vec(y[a][i]) + ", got " +
                   show_field_vec(yc[i]));
        }
      }
    }
    agg_.reset();
    const BitString path(alpha_.begin(), alpha_.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                              alpha_.size(), *level_ + 1)));
    for (std::size_t i = 0; i < prefixes.size(); ++i) {
      const bool on_path = prefixes[i] == path;
      const std::vector<F> expected = on_path ? beta : std::vector<F>(beta.size(), F::zero());
      std::vector<F> sum(y[0][i].begin(), y[0][i].end());
      if (sum.size() != beta.size() || y[1][i].size() != beta.size()) {
        fail("value length at prefix " + show_prefix(prefixes[i]),
             "expected VALUE_LEN " + std::to_string(beta.size()) + ", got " +
                 std::to_string(sum.size()) + " and " + std::to_string(y[1][i].size()));
      }
      for (std::size_t k = 0; k < sum.size(); ++k) sum[k] += y[1][i][k];
      if (!(sum == expected)) {
        fail("sum of shares at prefix " + show_prefix(prefixes[i]),
             "expected " + show_field_vec(expected) +
                 (on_path ? " (beta: alpha's prefix)" : " (zero: off alpha's path)") + ", got " +
                 show_field_vec(sum));
      }
    }
  }

  const json& tv_;
  BitString alpha_;
  std::vector<std::vector<Field64>> beta_inner_;
  std::vector<Field255> beta_leaf_;
  Bytes ctx_, nonce_;
  std::optional<IdpfBBCGGI21> idpf_;
  IdpfBBCGGI21::PublicShare ps_;
  std::array<IdpfBBCGGI21::Key, 2> keys_;
  std::array<IdpfBBCGGI21::EvalCache, 2> caches_;
  std::string op_;
  std::optional<std::size_t> level_, agg_;
};

inline replay_result replay_idpf_bbcggi21(const json& tv) {
  try {
    idpf_replayer(tv).run();
  } catch (const mismatch& m) {
    return {false, m.text};
  }
  return {};
}

}  // namespace detail

/// Parses vector JSON text, keeping integers beyond uint64 exact (as digit
/// strings). @throws file_error if `text` is not JSON.
inline nlohmann::json parse_vector(std::string_view text) {
  nlohmann::json root;
  detail::exact_int_dom_builder sax(root);
  bool ok = false;
  try {
    ok = nlohmann::json::sax_parse(text.begin(), text.end(), &sax);
  } catch (const nlohmann::json::exception& e) {
    throw file_error(std::string("not valid JSON: ") + e.what());
  }
  if (!ok) {
    throw file_error(sax.error().empty() ? std::string("not valid JSON")
                                         : "not valid JSON: " + sax.error());
  }
  return root;
}

/// Reads and parses a vector file. @throws file_error if unreadable or not JSON.
inline nlohmann::json load_vector_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) throw file_error("is a directory");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw file_error("cannot open file");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw file_error("read error");
  return parse_vector(ss.str());
}

/// Replays vector `tv` for `instance` (see `instance_name`).
/// @throws unknown_instance if `instance` is not supported; bad_vector if the
/// JSON does not follow the schema. Library misbehaviour is reported in the
/// result, never thrown.
inline replay_result replay(const nlohmann::json& tv, std::string_view instance) {
  using detail::get_size;
  using detail::with_instance;
  const auto& j = tv;
  auto shares = [&] { return get_size(j, "shares"); };
  if (instance == "Prio3Count") {
    std::size_t s = shares();
    return with_instance("Prio3Count(" + std::to_string(s) + ")", j, [&] { return Prio3Count(s); });
  }
  if (instance == "Prio3Sum") {
    std::size_t s = shares();
    std::uint64_t max = detail::get_u64(detail::at(j, "max_measurement"), "max_measurement");
    return with_instance("Prio3Sum(" + std::to_string(s) + ", " + std::to_string(max) + ")", j,
                         [&] { return Prio3Sum(s, max); });
  }
  if (instance == "Prio3SumVec") {
    std::size_t s = shares(), len = get_size(j, "length"), ch = get_size(j, "chunk_length");
    std::uint64_t max = detail::get_u64(detail::at(j, "max_measurement"), "max_measurement");
    return with_instance("Prio3SumVec(" + std::to_string(s) + ", " + std::to_string(len) + ", " +
                             std::to_string(max) + ", " + std::to_string(ch) + ")",
                         j, [&] { return Prio3SumVec(s, len, max, ch); });
  }
  if (instance == "Prio3SumVecWithMultiproof") {
    std::size_t s = shares(), len = get_size(j, "length"), ch = get_size(j, "chunk_length");
    std::uint64_t max = detail::get_u64(detail::at(j, "max_measurement"), "max_measurement");
    std::size_t proofs = j.contains("proofs") ? get_size(j, "proofs") : 3;
    std::string field = detail::field_name(j);
    std::string desc = "Prio3SumVecWithMultiproof<" + field + ">(" + std::to_string(s) + ", " +
                       std::to_string(len) + ", " + std::to_string(max) + ", " +
                       std::to_string(ch) + ", " + std::to_string(proofs) + ")";
    if (field == "Field64") {
      return with_instance(
          desc, j, [&] { return Prio3SumVecWithMultiproof<Field64>(s, len, max, ch, proofs); });
    }
    if (field == "Field128") {
      return with_instance(
          desc, j, [&] { return Prio3SumVecWithMultiproof<Field128>(s, len, max, ch, proofs); });
    }
    throw bad_vector("field must be \"Field64\" or \"Field128\", got \"" + field + "\"");
  }
  if (instance == "Prio3Histogram") {
    std::size_t s = shares(), len = get_size(j, "length"), ch = get_size(j, "chunk_length");
    return with_instance("Prio3Histogram(" + std::to_string(s) + ", " + std::to_string(len) + ", " +
                             std::to_string(ch) + ")",
                         j, [&] { return Prio3Histogram(s, len, ch); });
  }
  if (instance == "Prio3MultihotCountVec") {
    std::size_t s = shares(), len = get_size(j, "length"), w = get_size(j, "max_weight"),
                ch = get_size(j, "chunk_length");
    return with_instance("Prio3MultihotCountVec(" + std::to_string(s) + ", " + std::to_string(len) +
                             ", " + std::to_string(w) + ", " + std::to_string(ch) + ")",
                         j, [&] { return Prio3MultihotCountVec(s, len, w, ch); });
  }
  if (instance == "Prio3L1BoundSum") {
    std::size_t s = shares(), len = get_size(j, "length"), ch = get_size(j, "chunk_length");
    std::uint64_t max = detail::get_u64(detail::at(j, "max_value"), "max_value");
    return with_instance("Prio3L1BoundSum(" + std::to_string(s) + ", " + std::to_string(len) +
                             ", " + std::to_string(max) + ", " + std::to_string(ch) + ")",
                         j, [&] { return Prio3L1BoundSum(s, len, max, ch); });
  }
  if (instance == "Prio3SumVecField64MultiproofHmacSha256Aes128") {
    std::size_t s = shares(), len = get_size(j, "length"), ch = get_size(j, "chunk_length");
    std::uint64_t max = detail::get_u64(detail::at(j, "max_measurement"), "max_measurement");
    std::size_t proofs = j.contains("proofs") ? get_size(j, "proofs") : 3;
    return with_instance(
        "Prio3SumVecField64MultiproofHmacSha256Aes128(" + std::to_string(s) + ", " +
            std::to_string(len) + ", " + std::to_string(max) + ", " + std::to_string(ch) + ", " +
            std::to_string(proofs) + ")",
        j, [&] { return Prio3SumVecField64MultiproofHmacSha256Aes128(s, len, max, ch, proofs); });
  }
  if (instance == "Prio3HigherDegree") {
    std::size_t s = shares();
    return with_instance("Prio3HigherDegree(" + std::to_string(s) + ")", j,
                         [&] { return Prio3HigherDegree(s); });
  }
  if (instance == "Poplar1") {
    std::size_t bits = get_size(j, "bits");
    std::string desc = "Poplar1(" + std::to_string(bits) + ")";
    if (j.contains("shares") && shares() != Poplar1::SHARES) {
      return {false, "operation construct, field shares: expected " + desc + " with " +
                         std::to_string(Poplar1::SHARES) + " shares, got " +
                         std::to_string(shares())};
    }
    return with_instance(desc, j, [&] { return Poplar1(bits); });
  }
  if (instance == "IdpfBBCGGI21") return detail::replay_idpf_bbcggi21(j);
  if (instance == "XofTurboShake128") return detail::replay_xof_turboshake128(j);
  if (instance == "XofFixedKeyAes128") return detail::replay_xof<XofFixedKeyAes128>(j);
  if (instance == "XofHmacSha256Aes128") return detail::replay_xof<XofHmacSha256Aes128>(j);
  throw detail::unknown(instance);
}

/// Loads `file` and replays it for the instance its name designates.
/// @throws file_error, unknown_instance, bad_vector.
inline replay_result check_file(const std::filesystem::path& file) {
  nlohmann::json tv = load_vector_file(file);
  return replay(tv, instance_name(file));
}

}  // namespace vdaf::testvec
