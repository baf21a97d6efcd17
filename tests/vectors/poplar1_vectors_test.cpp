// Official draft-irtf-cfrg-vdaf-20 vectors for Poplar1, IdpfBBCGGI21 and
// XofFixedKeyAes128, replayed by the engine the vdaf-testvec tool uses
// (tools/vdaf-testvec/replay.hpp).
//
// - every vdaf/Poplar1*.json file, IdpfBBCGGI21_0.json and XofFixedKeyAes128.json
//   pass (Poplar1_bad_corr_inner: its expected failure at the round-1 combine
//   is reproduced);
// - exactly the 9 expected files are present, and together with the 26 files of
//   tests/vectors/prio3_vectors_test.cpp they are all 35 official files;
// - mutations: one changed byte in each kind of hex field the replay checks (and
//   each flipped `success` flag) makes the replay FAIL; for a report without a
//   `shard` operation only the parts the verified level uses are changed;
// - the engine on parameters beyond the official files (self-generated
//   Poplar1 and IDPF vectors: more reports, the leaf level, long indices, big
//   beta values, a leaf-level negative report).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "support/vector_mutations.hpp"
#include "vdaf-testvec/replay.hpp"

namespace {

namespace fs = std::filesystem;
namespace tv = vdaf::testvec;
using json = nlohmann::json;
using namespace vdaf_test::vectors;
using vdaf::BitString;
using vdaf::Bytes;
using vdaf::Poplar1;

// ---------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------

/// Every official file, relative to draft20_dir(): vdaf/*.json and top-level *.json.
std::vector<std::string> all_official_files() {
  std::vector<std::string> out;
  std::error_code ec;
  const fs::path dir = draft20_dir();
  auto json_file = [](const fs::directory_entry& e) {
    return e.is_regular_file() && e.path().extension() == ".json";
  };
  if (fs::is_directory(dir / "vdaf", ec)) {
    for (const auto& e : fs::directory_iterator(dir / "vdaf", ec)) {
      if (json_file(e)) out.push_back("vdaf/" + e.path().filename().string());
    }
  }
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (json_file(e)) out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// What tests/vectors/prio3_vectors_test.cpp replays (its `found_files`).
bool in_prio3_suite(const std::string& rel) {
  return rel.rfind("vdaf/Prio3", 0) == 0 || rel == "XofTurboShake128.json";
}

const std::vector<std::string>& expected_files() {
  static const std::vector<std::string> names = {
      "IdpfBBCGGI21_0.json", "XofFixedKeyAes128.json", "vdaf/Poplar1_0.json",
      "vdaf/Poplar1_1.json", "vdaf/Poplar1_2.json",    "vdaf/Poplar1_3.json",
      "vdaf/Poplar1_4.json", "vdaf/Poplar1_5.json",    "vdaf/Poplar1_bad_corr_inner.json",
  };
  return names;
}

/// The files of this suite found on disk.
std::vector<std::string> found_files() {
  std::vector<std::string> out;
  for (const auto& n : all_official_files()) {
    if (n.rfind("vdaf/Poplar1", 0) == 0 || n.rfind("IdpfBBCGGI21", 0) == 0 ||
        n == "XofFixedKeyAes128.json") {
      out.push_back(n);
    }
  }
  return out;
}

std::vector<std::string> found_poplar1_files() { return vdaf_files_only(found_files()); }

TEST(Poplar1VectorFiles, ExactlyTheExpectedSetIsPresent) {
  expect_file_set(found_files(), expected_files(), 9);
}

TEST(OfficialVectorFiles, AllThirtyFiveAreCoveredByThePrio3AndPoplar1Suites) {
  const auto all = all_official_files();
  EXPECT_EQ(all.size(), 35u) << "looked in " << draft20_dir();
  const std::set<std::string> mine(expected_files().begin(), expected_files().end());
  std::size_t prio3 = 0, poplar1 = 0;
  for (const auto& n : all) {
    const bool a = in_prio3_suite(n), b = mine.count(n) > 0;
    EXPECT_TRUE(a || b) << n << " is replayed by neither suite";
    EXPECT_FALSE(a && b) << n << " is claimed by both suites";
    prio3 += a ? 1 : 0;
    poplar1 += b ? 1 : 0;
    EXPECT_TRUE(tv::is_supported_instance(tv::instance_name(n))) << n;
  }
  EXPECT_EQ(prio3, 26u);
  EXPECT_EQ(poplar1, 9u);
}

TEST(OfficialVectorFiles, ListNamesEveryInstance) {
  const auto list = tv::supported_instances();
  for (const char* n : {"Poplar1", "IdpfBBCGGI21", "XofFixedKeyAes128", "XofTurboShake128",
                        "Prio3Count", "Prio3HigherDegree"}) {
    EXPECT_NE(std::find(list.begin(), list.end(), n), list.end()) << n;
  }
  EXPECT_EQ(std::set<std::string>(list.begin(), list.end()).size(), list.size());
}

// ---------------------------------------------------------------------------
// Replay every official file
// ---------------------------------------------------------------------------

class Poplar1OfficialVector : public ::testing::TestWithParam<std::string> {};

TEST_P(Poplar1OfficialVector, Passes) {
  const std::string& rel = GetParam();
  tv::replay_result r = tv::check_file(draft20_dir() / rel);
  EXPECT_TRUE(r.ok) << rel << ": " << r.first_mismatch;
}

// ---------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------

/// Changes the decimal value at `ptr` (a string or an integer) by one: minus
/// one, or 0 -> 1, so it stays a field element.
Mutation change_decimal(const std::string& ptr) {
  return {ptr + " changed by 1", [ptr](json& j) {
            json& v = j.at(json::json_pointer(ptr));
            if (!v.is_string()) {
              const auto x = v.get<std::uint64_t>();
              v = x == 0 ? 1 : x - 1;
              return;
            }
            std::string s = v.get<std::string>();
            if (s == "0") {
              v = "1";
              return;
            }
            std::size_t i = s.size();
            while (i-- > 0) {
              if (s[i] != '0') {
                --s[i];
                break;
              }
              s[i] = '9';
            }
            s.erase(0, std::min(s.find_first_not_of('0'), s.size() - 1));
            v = s;
          }};
}

std::vector<Mutation> poplar1_mutations(const json& j) {
  std::vector<Mutation> m;
  const Coverage c = coverage(j);
  const std::size_t bits = j.at("bits").get<std::size_t>();
  const Poplar1 v(bits);
  const Poplar1::AggParam ap =
      v.decode_agg_param(vdaf::from_hex(j.at("agg_param").get<std::string>()));
  const std::size_t level = ap.level;
  const bool leaf = level + 1 == bits;
  // With every prefix of the level present, alpha's path is among them, so a
  // change to any correction word up to the level shows in the verifier shares.
  const bool complete = level < 20 && ap.prefixes.size() == (std::size_t{1} << (level + 1));
  auto add_flips = [&](const std::string& ptr) {
    for (std::size_t p : positions(hex_len(j, ptr))) m.push_back(flip_byte(ptr, p));
  };

  // The aggregation parameter is decoded and re-encoded before any operation.
  add_flips("/agg_param");
  m.push_back(extend_hex("/agg_param"));
  m.push_back(truncate_hex("/agg_param"));
  if (!c.vinit.empty()) add_flips("/verify_key");
  if ((!c.vinit.empty() || !c.shard.empty()) && hex_len(j, "/ctx") > 0) add_flips("/ctx");

  // Layout (§8.2.6): public share = ctrl bits ‖ B seeds ‖ inner w (B−1)·16 ‖ leaf w 64;
  // input share = key 16 ‖ corr_seed 32 ‖ corr_inner (B−1)·16 ‖ corr_leaf 64.
  const std::size_t ctrl_len = (2 * bits + 7) / 8;
  const std::size_t seeds_at = ctrl_len, w_at = ctrl_len + 16 * bits;
  const std::size_t w_level = leaf ? w_at + 16 * (bits - 1) : w_at + 16 * level;
  const std::size_t corr_level = leaf ? 48 + 16 * (bits - 1) : 48 + 16 * level;

  for (std::size_t r : sample_reports(j)) {
    const std::string rp = "/reports/" + std::to_string(r);
    const json& rep = j.at("reports").at(r);
    const bool shard = c.shard.count(r) > 0;
    auto vinit_by = [&](std::size_t a) { return c.vinit.count({r, a}) > 0; };
    auto vnext_by = [&](std::size_t a, std::size_t rnd) { return c.vnext.count({r, a, rnd}) > 0; };
    const bool vinit_any = vinit_by(0) || vinit_by(1);

    if (vinit_any) add_flips(rp + "/nonce");
    if (shard) {
      add_flips(rp + "/rand");
      m.push_back({rp + "/measurement bit 0 flipped", [r](json& x) {
                     json& b = x["reports"][r]["measurement"][0];
                     b = !b.get<bool>();
                   }});
    }

    const std::string ps = rp + "/public_share";
    if (shard) {
      add_flips(ps);
    } else if (vinit_any && complete) {
      for (std::size_t p : {(2 * level) / 8, seeds_at + 16 * level, seeds_at + 16 * level + 8,
                            seeds_at + 16 * level + 15, w_level,
                            w_level + (leaf ? std::size_t{63} : std::size_t{15})}) {
        m.push_back(flip_byte(ps, p));
      }
    }
    if (shard || vinit_any) {
      if (r == 0) {
        m.push_back(truncate_hex(ps));
        m.push_back(extend_hex(ps));
      }
    }

    for (std::size_t a = 0; a < rep.at("input_shares").size(); ++a) {
      const std::string ptr = rp + "/input_shares/" + std::to_string(a);
      if (shard) {
        add_flips(ptr);
      } else {
        // idpf key and corr_seed: used by verify_init; (A, B) of the level: by
        // the round-1 verify_next.
        if (vinit_by(a)) {
          for (std::size_t p : {std::size_t{0}, std::size_t{15}, std::size_t{16}, std::size_t{47}})
            m.push_back(flip_byte(ptr, p));
        }
        if (vnext_by(a, 1)) {
          for (std::size_t p :
               {corr_level, corr_level + (leaf ? std::size_t{32} : std::size_t{8})}) {
            m.push_back(flip_byte(ptr, p));
          }
        }
      }
      if ((shard || vinit_by(a)) && r == 0) {
        m.push_back(truncate_hex(ptr));
        m.push_back(extend_hex(ptr));
      }
    }

    const json& vs = rep.at("verifier_shares");
    for (std::size_t rnd = 0; rnd < vs.size(); ++rnd) {
      for (std::size_t a = 0; a < vs[rnd].size(); ++a) {
        const bool produced = rnd == 0 ? vinit_by(a) : vnext_by(a, rnd);
        const bool seen = produced || c.to_msg.count({r, rnd}) > 0;
        if (!seen) continue;
        const std::string ptr =
            rp + "/verifier_shares/" + std::to_string(rnd) + "/" + std::to_string(a);
        add_flips(ptr);
        if (r == 0) m.push_back(extend_hex(ptr));
      }
    }

    const json& msgs = rep.at("verifier_messages");
    for (std::size_t rnd = 0; rnd < msgs.size(); ++rnd) {
      const bool seen = c.to_msg.count({r, rnd}) > 0 || c.vnext_round.count({r, rnd + 1}) > 0;
      if (!seen) continue;
      const std::string ptr = rp + "/verifier_messages/" + std::to_string(rnd);
      add_flips(ptr);  // none for the empty round-2 message
      m.push_back(extend_hex(ptr));
    }

    const json& outs = rep.at("out_shares");
    for (std::size_t a = 0; a < outs.size(); ++a) {
      const bool seen = vnext_by(a, 2) || c.aggregate.count(a) > 0;
      const std::string ptr = rp + "/out_shares/" + std::to_string(a);
      if (seen && hex_len(j, ptr) > 0) {
        add_flips(ptr);
        m.push_back(truncate_hex(ptr));
      }
    }
  }

  const json& aggs = j.at("agg_shares");
  for (std::size_t a = 0; a < aggs.size(); ++a) {
    if (c.aggregate.count(a) > 0 || c.unshard) {
      const std::string ptr = "/agg_shares/" + std::to_string(a);
      add_flips(ptr);
      m.push_back(truncate_hex(ptr));
    }
  }
  if (c.unshard) {
    m.push_back(change_decimal("/agg_result/0"));
    const std::size_t n = j.at("agg_result").size();
    m.push_back(change_decimal("/agg_result/" + std::to_string(n - 1)));
    m.push_back({"/agg_result one entry longer", [](json& x) { x["agg_result"].push_back(0); }});
  }
  return m;
}

std::vector<Mutation> idpf_mutations(const json& j) {
  std::vector<Mutation> m;
  for (const char* k : {"/public_share", "/keys/0", "/keys/1", "/nonce", "/ctx"}) {
    for (std::size_t p : positions(hex_len(j, k))) m.push_back(flip_byte(k, p));
  }
  m.push_back(truncate_hex("/public_share"));
  m.push_back(extend_hex("/public_share"));
  m.push_back(extend_hex("/keys/0"));
  m.push_back(truncate_hex("/keys/1"));
  m.push_back(extend_hex("/nonce"));
  const std::size_t bits = j.at("bits").get<std::size_t>();
  for (std::size_t i : {std::size_t{0}, bits / 2, bits - 1}) {
    m.push_back({"/alpha bit " + std::to_string(i) + " flipped", [i](json& x) {
                   json& b = x["alpha"][i];
                   b = !b.get<bool>();
                 }});
  }
  if (bits >= 2) {
    m.push_back(change_decimal("/beta_inner/0/0"));
    m.push_back(change_decimal("/beta_inner/" + std::to_string(bits - 2) + "/1"));
    m.push_back(change_decimal("/beta_inner/" + std::to_string((bits - 2) / 2) + "/0"));
  }
  for (std::size_t i = 0; i < j.at("beta_leaf").size(); ++i) {
    m.push_back(change_decimal("/beta_leaf/" + std::to_string(i)));
  }
  m.push_back({"/bits + 1", [](json& x) { x["bits"] = x["bits"].get<std::size_t>() + 1; }});
  return m;
}

TEST_P(Poplar1OfficialVector, EveryMutationFails) {
  const std::string& rel = GetParam();
  json j = load(rel);
  const std::string inst = tv::instance_name(rel);
  if (inst == "XofFixedKeyAes128") {
    expect_all_detected(j, inst, xof_mutations(j, true), 12);
  } else if (inst == "IdpfBBCGGI21") {
    expect_all_detected(j, inst, idpf_mutations(j), 20);
  } else {
    ASSERT_EQ(inst, "Poplar1");
    expect_all_detected(j, inst, poplar1_mutations(j), 20);
  }
}

/// Flips each operation's `success` flag in turn: each flip must FAIL on `success`.
void expect_every_flag_matters(const json& j, const std::string& inst) {
  const json& ops = j.at("operations");
  ASSERT_FALSE(ops.empty());
  for (std::size_t i = 0; i < ops.size(); ++i) {
    json m = j;
    const bool s = m["operations"][i]["success"].get<bool>();
    m["operations"][i]["success"] = !s;
    const std::string label = "operation " + std::to_string(i) + " (" +
                              ops[i]["operation"].get<std::string>() + ") success flipped to " +
                              (s ? "false" : "true");
    try {
      tv::replay_result r = tv::replay(m, inst);
      EXPECT_FALSE(r.ok) << "not detected: " << label;
      if (!r.ok) {
        EXPECT_NE(r.first_mismatch.find("field success"), std::string::npos)
            << label << ": " << r.first_mismatch;
      }
    } catch (const std::exception& e) {
      ADD_FAILURE() << label << " threw instead of FAIL: " << e.what();
    }
  }
}

class Poplar1OfficialOperations : public ::testing::TestWithParam<std::string> {};

TEST_P(Poplar1OfficialOperations, EverySuccessFlagMatters) {
  const std::string& rel = GetParam();
  expect_every_flag_matters(load(rel), tv::instance_name(rel));
}

INSTANTIATE_TEST_SUITE_P(Draft20, Poplar1OfficialVector, ::testing::ValuesIn(found_files()),
                         test_name);
INSTANTIATE_TEST_SUITE_P(Draft20, Poplar1OfficialOperations,
                         ::testing::ValuesIn(found_poplar1_files()), test_name);

// ---------------------------------------------------------------------------
// Mismatch text and engine behaviour
// ---------------------------------------------------------------------------

TEST(Poplar1VectorReplay, BadCorrInnerFailsAtTheRoundOneCombine) {
  json j = load("vdaf/Poplar1_bad_corr_inner.json");
  const json& last = j["operations"].back();
  ASSERT_EQ(last["operation"], "verifier_shares_to_message");
  ASSERT_EQ(last["round"], 1);
  ASSERT_FALSE(last["success"].get<bool>());
  j["operations"].back()["success"] = true;
  auto r = tv::replay(j, "Poplar1");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.first_mismatch.rfind("report 0, operation verifier_shares_to_message (round 1), "
                                   "field success: expected success, got vdaf::verify_error",
                                   0),
            0u)
      << r.first_mismatch;
}

TEST(Poplar1VectorReplay, MismatchTextNamesReportOperationAggRoundAndField) {
  json j = load("vdaf/Poplar1_3.json");
  flip_byte("/reports/0/out_shares/1", 0).apply(j);
  auto r = tv::replay(j, "Poplar1");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(
      r.first_mismatch.rfind(
          "report 0, operation verify_next (agg 1, round 2), field out_shares[1]: expected ", 0),
      0u)
      << r.first_mismatch;

  j = load("vdaf/Poplar1_2.json");
  flip_byte("/reports/0/verifier_shares/1/0", 3).apply(j);
  r = tv::replay(j, "Poplar1");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.first_mismatch.rfind("report 0, operation verify_next (agg 0, round 1), field "
                                   "verifier_shares[1][0]: expected ",
                                   0),
            0u)
      << r.first_mismatch;
}

TEST(Poplar1VectorReplay, AggParamIsDecodedAndReEncoded) {
  json j = load("vdaf/Poplar1_0.json");
  ASSERT_EQ(j["agg_param"], "0000000000020080");
  j["agg_param"] = "0000000000020081";  // non-zero padding bit
  auto r = tv::replay(j, "Poplar1");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.first_mismatch.rfind("operation decode_agg_param, field agg_param: expected "
                                   "success, got vdaf::decode_error",
                                   0),
            0u)
      << r.first_mismatch;
  j["agg_param"] = "0004000000020080";  // level 4 >= BITS 4
  r = tv::replay(j, "Poplar1");
  ASSERT_FALSE(r.ok);
  EXPECT_NE(r.first_mismatch.find("vdaf::decode_error"), std::string::npos) << r.first_mismatch;
  j["agg_param"] = "00000000000100";  // a valid parameter, but not the file's: verify_init differs
  r = tv::replay(j, "Poplar1");
  ASSERT_FALSE(r.ok);
  EXPECT_NE(r.first_mismatch.find("field verifier_shares[0][0]"), std::string::npos)
      << r.first_mismatch;
}

TEST(Poplar1VectorReplay, ConstructorRejectionIsAFailNotACrash) {
  json j = load("vdaf/Poplar1_0.json");
  j["bits"] = 0;
  auto r = tv::replay(j, "Poplar1");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.first_mismatch.rfind("operation construct", 0), 0u) << r.first_mismatch;
  j = load("vdaf/Poplar1_0.json");
  j["shares"] = 3;
  r = tv::replay(j, "Poplar1");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.first_mismatch.rfind("operation construct, field shares", 0), 0u) << r.first_mismatch;
  j = load("vdaf/Poplar1_0.json");
  j.erase("bits");
  EXPECT_THROW(tv::replay(j, "Poplar1"), tv::bad_vector);
}

TEST(Poplar1VectorReplay, IdpfMismatchText) {
  json j = load("IdpfBBCGGI21_0.json");
  flip_byte("/public_share", 100).apply(j);
  auto r = tv::replay(j, "IdpfBBCGGI21");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.first_mismatch.rfind("operation gen, field public_share: expected ", 0), 0u)
      << r.first_mismatch;
  EXPECT_NE(r.first_mismatch.find("first difference at byte 100"), std::string::npos);

  j = load("IdpfBBCGGI21_0.json");
  j["beta_inner"].erase(j["beta_inner"].size() - 1);  // BITS−2 levels: gen rejects the shape
  r = tv::replay(j, "IdpfBBCGGI21");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.first_mismatch.rfind(
                "operation gen, field success: expected success, got vdaf::invalid_argument", 0),
            0u)
      << r.first_mismatch;
}

TEST(Poplar1VectorReplay, IdpfMalformedValues) {
  const json orig = load("IdpfBBCGGI21_0.json");
  json j = orig;
  j["beta_inner"][2][0] = "18446744069414584321";  // p64: not a Field64 element
  EXPECT_THROW(tv::replay(j, "IdpfBBCGGI21"), tv::bad_vector);
  j = orig;
  j["beta_leaf"][0] =
      "57896044618658097711785492504343953926634992332820282019728792003956564819949";  // p255
  EXPECT_THROW(tv::replay(j, "IdpfBBCGGI21"), tv::bad_vector);
  j = orig;
  j["beta_leaf"][1] = "-1";
  EXPECT_THROW(tv::replay(j, "IdpfBBCGGI21"), tv::bad_vector);
  j = orig;
  j["beta_leaf"][1] = "1x";
  EXPECT_THROW(tv::replay(j, "IdpfBBCGGI21"), tv::bad_vector);
  j = orig;
  j["beta_inner"][4].push_back("0");  // VALUE_LEN 3 at one level only
  EXPECT_THROW(tv::replay(j, "IdpfBBCGGI21"), tv::bad_vector);
  j = orig;
  j["alpha"][0] = "yes";
  EXPECT_THROW(tv::replay(j, "IdpfBBCGGI21"), tv::bad_vector);
  j = orig;
  j["keys"].erase(1);
  EXPECT_THROW(tv::replay(j, "IdpfBBCGGI21"), tv::bad_vector);
  j = orig;
  j["beta_leaf"] = json::array();  // VALUE_LEN 0: the constructor refuses
  j["beta_inner"] = json::array();
  for (int l = 0; l < 9; ++l) j["beta_inner"].push_back(json::array());
  auto r = tv::replay(j, "IdpfBBCGGI21");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.first_mismatch.rfind("operation construct", 0), 0u) << r.first_mismatch;
}

TEST(Poplar1VectorReplay, BigIntegerHelpers) {
  namespace d = tv::detail;
  const std::string p255 =
      "57896044618658097711785492504343953926634992332820282019728792003956564819949";
  auto x = d::parse_u256(p255);
  ASSERT_TRUE(x);
  EXPECT_EQ(*x, vdaf::Field255::MODULUS);
  EXPECT_EQ(d::u256_to_string(*x), p255);
  const std::string max256 =
      "115792089237316195423570985008687907853269984665640564039457584007913129639935";
  ASSERT_TRUE(d::parse_u256(max256));
  EXPECT_EQ(d::u256_to_string(*d::parse_u256(max256)), max256);
  EXPECT_FALSE(d::parse_u256(
      "115792089237316195423570985008687907853269984665640564039457584007913129639936"));
  EXPECT_FALSE(d::parse_u256(""));
  EXPECT_EQ(d::u256_to_string({0, 0, 0, 0}), "0");
  EXPECT_EQ(d::u256_to_string(*d::parse_u256("00042")), "42");
  auto f = d::parse_field_element<vdaf::Field255>(json("9"), "x");
  EXPECT_EQ(f, vdaf::Field255::from_u64(9));
  auto g = d::parse_field_element<vdaf::Field64>(json("18446744069414584320"), "x");
  EXPECT_EQ(g, -vdaf::Field64::one());
}

TEST(Poplar1VectorReplay, IdpfEvalPrefixes) {
  namespace d = tv::detail;
  BitString alpha(40);
  for (std::size_t i = 0; i < alpha.size(); ++i) alpha[i] = i % 3 == 0;
  EXPECT_EQ(d::idpf_eval_prefixes(alpha, 0).size(), 2u);
  EXPECT_EQ(d::idpf_eval_prefixes(alpha, 7).size(), 256u);
  for (std::size_t level : {8u, 20u, 39u}) {
    auto p = d::idpf_eval_prefixes(alpha, level);
    EXPECT_TRUE(std::is_sorted(p.begin(), p.end()));
    EXPECT_EQ(std::adjacent_find(p.begin(), p.end()), p.end());
    const BitString path(alpha.begin(), alpha.begin() + static_cast<std::ptrdiff_t>(level + 1));
    std::set<BitString> s(p.begin(), p.end());
    EXPECT_TRUE(s.count(path)) << level;
    for (std::size_t i = 0; i <= level; ++i) {
      BitString f = path;
      f[i] = !f[i];
      EXPECT_TRUE(s.count(f)) << level << " " << i;
    }
    EXPECT_GE(p.size(), level + 2 + 6);
    EXPECT_LE(p.size(), level + 2 + 8);
    for (const auto& q : p) EXPECT_EQ(q.size(), level + 1);
  }
}

// ---------------------------------------------------------------------------
// Self-generated vectors: parameters beyond the official files
// ---------------------------------------------------------------------------

json bits_json(const BitString& b) {
  json a = json::array();
  for (bool x : b) a.push_back(x);
  return a;
}

Bytes pattern(std::size_t n, std::size_t salt) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(7 * i + 13 * salt + 1);
  return b;
}

/// A Poplar1 vector in the official format for `measurements` at `ap`.
/// `tamper` (optional) changes report 0's leader input share before
/// verification; the report then carries no shard operation and its
/// operations stop at the failing round-1 combine, like Poplar1_bad_corr_inner.
json make_poplar1_vector(std::size_t bits, const Bytes& ctx,
                         const std::vector<BitString>& measurements, const Poplar1::AggParam& ap,
                         const std::function<void(Poplar1::InputShare&)>& tamper = nullptr) {
  const Poplar1 v(bits);
  const Bytes key = pattern(32, 99);
  json j;
  j["bits"] = bits;
  j["shares"] = 2;
  j["ctx"] = vdaf::to_hex(ctx);
  j["verify_key"] = vdaf::to_hex(key);
  j["agg_param"] = vdaf::to_hex(v.encode_agg_param(ap));
  j["reports"] = json::array();
  j["operations"] = json::array();
  std::vector<Poplar1::AggShare> aggs = {v.agg_init(ap), v.agg_init(ap)};
  using Span = std::span<const Poplar1::VerifierShare>;
  auto op = [&](const char* name, std::size_t r, int agg, int rnd, bool ok) {
    json o = {{"operation", name}, {"report_index", r}, {"success", ok}};
    if (agg >= 0) o["aggregator_id"] = agg;
    if (rnd >= 0) o["round"] = rnd;
    j["operations"].push_back(o);
  };
  bool negative = false;
  for (std::size_t r = 0; r < measurements.size(); ++r) {
    const Bytes nonce = pattern(16, r), rand = pattern(128, r + 50);
    auto sh = v.shard(ctx, measurements[r], nonce, rand);
    const bool bad = r == 0 && tamper != nullptr;
    if (bad) tamper(sh.input_shares[0]);
    json rep;
    rep["measurement"] = bad ? json(nullptr) : bits_json(measurements[r]);
    rep["nonce"] = vdaf::to_hex(nonce);
    rep["rand"] = vdaf::to_hex(rand);
    rep["public_share"] = vdaf::to_hex(v.encode_public_share(sh.public_share));
    rep["input_shares"] = json::array();
    for (const auto& in : sh.input_shares) {
      rep["input_shares"].push_back(vdaf::to_hex(v.encode_input_share(in)));
    }
    if (!bad) op("shard", r, -1, -1, true);
    std::vector<Poplar1::VerifyState> st;
    std::vector<Poplar1::VerifierShare> vs;
    rep["verifier_shares"] = json::array({json::array(), json::array()});
    for (std::size_t a = 0; a < 2; ++a) {
      auto [s, x] = v.verify_init(key, ctx, a, ap, nonce, sh.public_share, sh.input_shares[a]);
      rep["verifier_shares"][0].push_back(vdaf::to_hex(v.encode_verifier_share(x)));
      st.push_back(std::move(s));
      vs.push_back(std::move(x));
      op("verify_init", r, static_cast<int>(a), -1, true);
    }
    auto m1 = v.verifier_shares_to_message(ctx, ap, Span(vs));
    rep["verifier_messages"] = json::array({vdaf::to_hex(v.encode_verifier_message(m1))});
    op("verifier_shares_to_message", r, -1, 0, true);
    std::vector<Poplar1::VerifyState> st2;
    std::vector<Poplar1::VerifierShare> vs2;
    for (std::size_t a = 0; a < 2; ++a) {
      auto res = v.verify_next(ctx, st[a], m1);
      auto& pr = std::get<0>(res);
      rep["verifier_shares"][1].push_back(vdaf::to_hex(v.encode_verifier_share(pr.second)));
      st2.push_back(std::move(pr.first));
      vs2.push_back(std::move(pr.second));
      op("verify_next", r, static_cast<int>(a), 1, true);
    }
    rep["out_shares"] = json::array();
    if (bad) {
      EXPECT_THROW((void)v.verifier_shares_to_message(ctx, ap, Span(vs2)), vdaf::verify_error);
      rep["verifier_messages"].push_back("");
      op("verifier_shares_to_message", r, -1, 1, false);
      negative = true;
    } else {
      auto m2 = v.verifier_shares_to_message(ctx, ap, Span(vs2));
      rep["verifier_messages"].push_back(vdaf::to_hex(v.encode_verifier_message(m2)));
      op("verifier_shares_to_message", r, -1, 1, true);
      for (std::size_t a = 0; a < 2; ++a) {
        auto res = v.verify_next(ctx, st2[a], m2);
        const auto& out = std::get<1>(res);
        rep["out_shares"].push_back(vdaf::to_hex(v.encode_out_share(out)));
        v.agg_update(ap, aggs[a], out);
        op("verify_next", r, static_cast<int>(a), 2, true);
      }
    }
    j["reports"].push_back(rep);
  }
  j["agg_shares"] = json::array();
  j["agg_result"] = nullptr;
  if (!negative) {
    for (std::size_t a = 0; a < 2; ++a) {
      j["agg_shares"].push_back(vdaf::to_hex(v.encode_agg_share(aggs[a])));
      j["operations"].push_back(
          {{"operation", "aggregate"}, {"aggregator_id", a}, {"success", true}});
    }
    j["agg_result"] = v.unshard(ap, std::span<const Poplar1::AggShare>(aggs), measurements.size());
    j["operations"].push_back({{"operation", "unshard"}, {"success", true}});
  }
  return j;
}

BitString bits_of(std::uint64_t x, std::size_t n) { return Poplar1::measurement_from_int(x, n); }

void expect_passes_and_mutations_fail(const json& j) {
  auto r = tv::replay(j, "Poplar1");
  ASSERT_TRUE(r.ok) << r.first_mismatch;
  auto r2 = tv::replay(tv::parse_vector(j.dump()), "Poplar1");
  EXPECT_TRUE(r2.ok) << r2.first_mismatch;
  expect_all_detected(j, "Poplar1", poplar1_mutations(j), 20);
  expect_every_flag_matters(j, "Poplar1");
}

TEST(Poplar1VectorReplay, SelfGeneratedInnerLevelManyReports) {
  Poplar1::AggParam ap{2, {bits_of(1, 3), bits_of(2, 3), bits_of(5, 3), bits_of(7, 3)}};
  // First 3 bits: 010, 010, 111, 001.
  const std::vector<BitString> meas = {bits_of(0xb3, 9), bits_of(0xa0, 9), bits_of(0x1ff, 9),
                                       bits_of(0x60, 9)};
  json j = make_poplar1_vector(9, vdaf::Bytes{}, meas, ap);
  EXPECT_EQ(j["agg_result"], json({1, 2, 0, 1})) << j["agg_result"].dump();
  expect_passes_and_mutations_fail(j);
}

TEST(Poplar1VectorReplay, SelfGeneratedLeafLevel) {
  const std::size_t bits = 20;
  Poplar1::AggParam ap{19, {bits_of(5, bits), bits_of(77777, bits), bits_of(0xfffff, bits)}};
  const std::vector<BitString> meas = {bits_of(77777, bits), bits_of(77777, bits),
                                       bits_of(6, bits)};
  json j = make_poplar1_vector(bits, pattern(5, 1), meas, ap);
  EXPECT_EQ(j["agg_result"], json({0, 2, 0}));
  expect_passes_and_mutations_fail(j);
}

TEST(Poplar1VectorReplay, SelfGeneratedNegativeReports) {
  {
    SCOPED_TRACE("corr_leaf[0] + 1 at the leaf");
    Poplar1::AggParam ap{3, {bits_of(0, 4), bits_of(9, 4)}};
    json j = make_poplar1_vector(
        4, pattern(16, 2), {bits_of(9, 4)}, ap,
        [](Poplar1::InputShare& s) { s.corr_leaf[0] += vdaf::Field255::one(); });
    expect_passes_and_mutations_fail(j);
  }
  {
    SCOPED_TRACE("corr_inner of level 2 + 1, every prefix of level 2");
    Poplar1::AggParam ap{2, {}};
    for (std::uint64_t x = 0; x < 8; ++x) ap.prefixes.push_back(bits_of(x, 3));
    json j = make_poplar1_vector(
        6, pattern(16, 3), {bits_of(0x2a, 6)}, ap,
        [](Poplar1::InputShare& s) { s.corr_inner[5] += vdaf::Field64::one(); });
    expect_passes_and_mutations_fail(j);
  }
}

/// An IdpfBBCGGI21 file in the official format.
json make_idpf_vector(const BitString& alpha, const std::vector<std::vector<std::string>>& inner,
                      const std::vector<std::string>& leaf, const Bytes& ctx) {
  json j;
  j["bits"] = alpha.size();
  j["alpha"] = bits_json(alpha);
  j["beta_inner"] = inner;
  j["beta_leaf"] = leaf;
  j["ctx"] = vdaf::to_hex(ctx);
  const Bytes nonce = pattern(16, 4), rand = pattern(32, 5);
  j["nonce"] = vdaf::to_hex(nonce);
  j["keys"] = json::array({vdaf::to_hex(vdaf::ByteSpan(rand).subspan(0, 16)),
                           vdaf::to_hex(vdaf::ByteSpan(rand).subspan(16, 16))});
  std::vector<std::vector<vdaf::Field64>> bi;
  for (std::size_t l = 0; l < inner.size(); ++l) {
    std::vector<vdaf::Field64> b;
    for (std::size_t i = 0; i < inner[l].size(); ++i) {
      b.push_back(tv::detail::parse_field_element<vdaf::Field64>(json(inner[l][i]), "x"));
    }
    bi.push_back(std::move(b));
  }
  std::vector<vdaf::Field255> bl;
  for (const auto& s : leaf)
    bl.push_back(tv::detail::parse_field_element<vdaf::Field255>(json(s), "x"));
  vdaf::IdpfBBCGGI21 idpf(leaf.size(), alpha.size());
  auto [ps, keys] = idpf.gen(alpha, bi, bl, ctx, nonce, rand);
  j["public_share"] = vdaf::to_hex(idpf.encode_public_share(ps));
  return j;
}

TEST(Poplar1VectorReplay, SelfGeneratedIdpfBigValuesLongIndex) {
  const std::size_t bits = 40;  // deep levels: alpha, each one-bit flip, 8 random prefixes
  BitString alpha(bits);
  for (std::size_t i = 0; i < bits; ++i) alpha[i] = (i * 7 + 3) % 5 < 2;
  std::vector<std::vector<std::string>> inner;
  for (std::size_t l = 0; l + 1 < bits; ++l) {
    inner.push_back({std::to_string(l), "18446744069414584320", std::to_string(1000000007 * l)});
  }
  const std::vector<std::string> leaf = {
      "57896044618658097711785492504343953926634992332820282019728792003956564819948",
      "340282366920938463463374607431768211457", "0"};
  json j = make_idpf_vector(alpha, inner, leaf, pattern(3, 6));
  auto r = tv::replay(j, "IdpfBBCGGI21");
  ASSERT_TRUE(r.ok) << r.first_mismatch;
  r = tv::replay(tv::parse_vector(j.dump()), "IdpfBBCGGI21");
  EXPECT_TRUE(r.ok) << r.first_mismatch;
  expect_all_detected(j, "IdpfBBCGGI21", idpf_mutations(j), 20);
}

TEST(Poplar1VectorReplay, SelfGeneratedIdpfOneAndTwoBits) {
  for (std::size_t bits : {1u, 2u}) {
    SCOPED_TRACE(bits);
    BitString alpha(bits, true);
    std::vector<std::vector<std::string>> inner(bits - 1, {"5"});
    json j = make_idpf_vector(alpha, inner, {"12345678901234567890123"}, {});
    auto r = tv::replay(j, "IdpfBBCGGI21");
    ASSERT_TRUE(r.ok) << r.first_mismatch;
    j["alpha"][0] = false;
    EXPECT_FALSE(tv::replay(j, "IdpfBBCGGI21").ok);
  }
}

TEST(Poplar1VectorReplay, XofFixedKeyAes128MismatchText) {
  json j = load("XofFixedKeyAes128.json");
  flip_byte("/expanded_vec_field128", 300).apply(j);
  auto r = tv::replay(j, "XofFixedKeyAes128");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.first_mismatch.rfind(
                "operation expand_into_vec, field expanded_vec_field128: expected ", 0),
            0u)
      << r.first_mismatch;
  j = load("XofFixedKeyAes128.json");
  extend_hex("/seed").apply(j);  // 17-byte seed: the XOF refuses it
  r = tv::replay(j, "XofFixedKeyAes128");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.first_mismatch.rfind("operation derive_seed, field derived_seed: expected success, "
                                   "got vdaf::invalid_argument",
                                   0),
            0u)
      << r.first_mismatch;
  // The TurboSHAKE file read as XofFixedKeyAes128 (32-byte seed) fails, and vice versa.
  EXPECT_FALSE(tv::replay(load("XofTurboShake128.json"), "XofFixedKeyAes128").ok);
  EXPECT_FALSE(tv::replay(load("XofFixedKeyAes128.json"), "XofTurboShake128").ok);
}

}  // namespace
