// Shared machinery of the official-vector tests (tests/vectors/prio3_vectors_test.cpp
// and tests/vectors/poplar1_vectors_test.cpp): where the draft-20 files are,
// the mutations of a vector's JSON (one changed byte, one byte less or more),
// what a file's successful operations check, and the check that every mutation
// makes the replay FAIL.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "vdaf-testvec/replay.hpp"

#ifndef VDAF_TEST_VECTORS_DIR
#error "VDAF_TEST_VECTORS_DIR must name the test-vectors/ folder"
#endif

namespace vdaf_test::vectors {

namespace fs = std::filesystem;
namespace tv = vdaf::testvec;
using json = nlohmann::json;

// ---------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------

inline fs::path draft20_dir() {
  fs::path root = VDAF_TEST_VECTORS_DIR;
  if (fs::is_directory(root / "draft-irtf-cfrg-vdaf-20")) return root / "draft-irtf-cfrg-vdaf-20";
  return root;  // also accept the draft folder itself
}

/// A file relative to draft20_dir(), read as JSON.
inline json load(const std::string& rel) { return tv::load_vector_file(draft20_dir() / rel); }

/// The names among `names` in the vdaf/ folder (the files with an operations list).
inline std::vector<std::string> vdaf_files_only(std::vector<std::string> names) {
  names.erase(std::remove_if(names.begin(), names.end(),
                             [](const std::string& n) { return n.rfind("vdaf/", 0) != 0; }),
              names.end());
  return names;
}

/// A test name from a file name: its stem, other than [A-Za-z0-9] made '_'.
inline std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string n = fs::path(info.param).stem().string();
  for (char& c : n) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) c = '_';
  }
  return n;
}

/// The files found are exactly the `expected` ones, `count` of them.
inline void expect_file_set(const std::vector<std::string>& found,
                            const std::vector<std::string>& expected, std::size_t count) {
  EXPECT_EQ(found.size(), count) << "looked in " << draft20_dir();
  std::set<std::string> f(found.begin(), found.end());
  std::set<std::string> e(expected.begin(), expected.end());
  for (const auto& n : e) EXPECT_TRUE(f.count(n)) << "missing vector file " << n;
  for (const auto& n : f) EXPECT_TRUE(e.count(n)) << "unexpected vector file " << n;
}

// ---------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------

struct Mutation {
  std::string label;
  std::function<void(json&)> apply;
};

/// Changes byte `pos` of the hex string at `ptr` (xor 0x01; keeps it hex).
inline Mutation flip_byte(const std::string& ptr, std::size_t pos) {
  return {ptr + " byte " + std::to_string(pos) + " ^= 1", [ptr, pos](json& j) {
            std::string& s = j.at(json::json_pointer(ptr)).get_ref<std::string&>();
            auto b = vdaf::from_hex(s);
            b.at(pos) ^= 0x01;
            s = vdaf::to_hex(b);
          }};
}

inline Mutation truncate_hex(const std::string& ptr) {
  return {ptr + " minus its last byte", [ptr](json& j) {
            std::string& s = j.at(json::json_pointer(ptr)).get_ref<std::string&>();
            s.resize(s.size() - 2);
          }};
}

inline Mutation extend_hex(const std::string& ptr) {
  return {ptr + " plus a 00 byte", [ptr](json& j) {
            std::string& s = j.at(json::json_pointer(ptr)).get_ref<std::string&>();
            s += "00";
          }};
}

inline std::size_t hex_len(const json& j, const std::string& ptr) {
  const json& v = j.at(json::json_pointer(ptr));
  return v.is_string() ? v.get<std::string>().size() / 2 : 0;
}

/// Byte positions to change in a field of `n` bytes: first, middle, last.
inline std::vector<std::size_t> positions(std::size_t n) {
  std::vector<std::size_t> p;
  if (n == 0) return p;
  p = {0, n / 2, n - 1};
  std::sort(p.begin(), p.end());
  p.erase(std::unique(p.begin(), p.end()), p.end());
  return p;
}

/// The reports whose fields are changed: the first and the last.
inline std::vector<std::size_t> sample_reports(const json& j) {
  std::size_t n = j.at("reports").size();
  if (n == 0) return {};
  if (n == 1) return {0};
  return {0, n - 1};
}

/// What the successful operations check, so that each mutation made is one the
/// replay must notice (a field only used by an operation expected to fail,
/// e.g. the verifier message of Prio3Histogram_bad_verifier_message, is not).
struct Coverage {
  std::set<std::size_t> shard;                                // reports
  std::set<std::pair<std::size_t, std::size_t>> vinit;        // (report, agg)
  std::set<std::pair<std::size_t, std::size_t>> to_msg;       // (report, round)
  std::set<std::pair<std::size_t, std::size_t>> vnext_agg;    // (report, agg), any round
  std::set<std::array<std::size_t, 3>> vnext;                 // (report, agg, round)
  std::set<std::pair<std::size_t, std::size_t>> vnext_round;  // (report, round)
  std::set<std::size_t> aggregate;                            // aggs
  bool unshard = false;
};

inline Coverage coverage(const json& j) {
  Coverage c;
  for (const auto& op : j.at("operations")) {
    if (!op.at("success").get<bool>()) continue;
    const std::string name = op.at("operation").get<std::string>();
    auto r = op.contains("report_index") ? op["report_index"].get<std::size_t>() : 0;
    auto a = op.contains("aggregator_id") ? op["aggregator_id"].get<std::size_t>() : 0;
    auto rnd = op.contains("round") ? op["round"].get<std::size_t>() : 0;
    if (name == "shard") c.shard.insert(r);
    if (name == "verify_init") c.vinit.insert({r, a});
    if (name == "verifier_shares_to_message") c.to_msg.insert({r, rnd});
    if (name == "verify_next") {
      c.vnext_agg.insert({r, a});
      c.vnext.insert({r, a, rnd});
      c.vnext_round.insert({r, rnd});
    }
    if (name == "aggregate") c.aggregate.insert(a);
    if (name == "unshard") c.unshard = true;
  }
  return c;
}

/// Mutations of an Xof*.json file; `truncate_seed` adds a seed one byte short.
inline std::vector<Mutation> xof_mutations(const json& j, bool truncate_seed) {
  std::vector<Mutation> m;
  for (const char* k : {"/seed", "/dst", "/binder", "/derived_seed", "/expanded_vec_field128"}) {
    for (std::size_t p : positions(hex_len(j, k))) m.push_back(flip_byte(k, p));
  }
  m.push_back(truncate_hex("/derived_seed"));
  m.push_back(extend_hex("/seed"));
  if (truncate_seed) m.push_back(truncate_hex("/seed"));
  m.push_back({"/length + 1", [](json& x) { x["length"] = x["length"].get<std::size_t>() + 1; }});
  return m;
}

/// Each of `mutations` applied to `original` makes the replay as `instance` FAIL
/// (not throw), with a short mismatch text; at least `min_count` of them.
inline void expect_all_detected(const json& original, const std::string& instance,
                                const std::vector<Mutation>& mutations, std::size_t min_count) {
  EXPECT_GE(mutations.size(), min_count) << "too few mutations generated";
  ::testing::Test::RecordProperty("mutations", static_cast<int>(mutations.size()));
  for (const auto& mu : mutations) {
    json j = original;
    mu.apply(j);
    try {
      tv::replay_result r = tv::replay(j, instance);
      EXPECT_FALSE(r.ok) << "mutation not detected: " << mu.label;
      if (!r.ok) {
        EXPECT_FALSE(r.first_mismatch.empty()) << mu.label;
        EXPECT_LT(r.first_mismatch.size(), 1000u) << "mismatch text not cut: " << mu.label;
      }
    } catch (const std::exception& e) {
      ADD_FAILURE() << "mutation " << mu.label << " threw instead of FAIL: " << e.what();
    }
  }
}

}  // namespace vdaf_test::vectors
