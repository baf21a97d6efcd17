// Official draft-irtf-cfrg-vdaf-20 vectors for Prio3 and XofTurboShake128,
// replayed by the engine the vdaf-testvec tool uses (tools/vdaf-testvec/replay.hpp).
//
// - every vdaf/Prio3*.json file and XofTurboShake128.json passes;
// - exactly the 26 expected files are present (a missing file fails);
// - mutations: one changed byte in each kind of hex field the operations check
//   (and each flipped `success` flag) makes the replay FAIL, so the replay
//   really compares what it claims to;
// - wire sizes of every vector instance (draft digest table 7.7) as known answers;
// - the engine on parameters beyond the official files (self-generated vectors).
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/vector_mutations.hpp"
#include "vdaf-testvec/replay.hpp"

namespace {

namespace fs = std::filesystem;
namespace tv = vdaf::testvec;
using json = nlohmann::json;
using namespace vdaf_test::vectors;

// ---------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------

/// Names relative to draft20_dir(): "vdaf/Prio3Count_0.json", "XofTurboShake128.json".
std::vector<std::string> found_files() {
  std::vector<std::string> out;
  std::error_code ec;
  fs::path dir = draft20_dir();
  if (fs::is_directory(dir / "vdaf", ec)) {
    for (const auto& e : fs::directory_iterator(dir / "vdaf", ec)) {
      std::string n = e.path().filename().string();
      if (e.is_regular_file() && n.rfind("Prio3", 0) == 0 && n.size() > 5 &&
          n.substr(n.size() - 5) == ".json") {
        out.push_back("vdaf/" + n);
      }
    }
  }
  if (fs::is_regular_file(dir / "XofTurboShake128.json", ec)) {
    out.push_back("XofTurboShake128.json");
  }
  std::sort(out.begin(), out.end());
  return out;
}

const std::vector<std::string>& expected_files() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v = {
        "vdaf/Prio3Count_0.json",
        "vdaf/Prio3Count_1.json",
        "vdaf/Prio3Count_2.json",
        "vdaf/Prio3Count_bad_gadget_poly.json",
        "vdaf/Prio3Count_bad_helper_seed.json",
        "vdaf/Prio3Count_bad_meas_share.json",
        "vdaf/Prio3Count_bad_wire_seed.json",
        "vdaf/Prio3HigherDegree_0.json",
        "vdaf/Prio3Histogram_0.json",
        "vdaf/Prio3Histogram_1.json",
        "vdaf/Prio3Histogram_2.json",
        "vdaf/Prio3Histogram_bad_helper_jr_blind.json",
        "vdaf/Prio3Histogram_bad_leader_jr_blind.json",
        "vdaf/Prio3Histogram_bad_public_share.json",
        "vdaf/Prio3Histogram_bad_verifier_message.json",
        "vdaf/Prio3MultihotCountVec_0.json",
        "vdaf/Prio3MultihotCountVec_1.json",
        "vdaf/Prio3MultihotCountVec_2.json",
        "vdaf/Prio3SumVecWithMultiproof_0.json",
        "vdaf/Prio3SumVecWithMultiproof_1.json",
        "vdaf/Prio3SumVec_0.json",
        "vdaf/Prio3SumVec_1.json",
        "vdaf/Prio3Sum_0.json",
        "vdaf/Prio3Sum_1.json",
        "vdaf/Prio3Sum_2.json",
        "XofTurboShake128.json",
    };
    std::sort(v.begin(), v.end());
    return v;
  }();
  return names;
}

TEST(Prio3VectorFiles, ExactlyTheExpectedSetIsPresent) {
  expect_file_set(found_files(), expected_files(), 26);
}

// ---------------------------------------------------------------------------
// Replay every official file
// ---------------------------------------------------------------------------

class Prio3OfficialVector : public ::testing::TestWithParam<std::string> {};

TEST_P(Prio3OfficialVector, Passes) {
  const std::string& rel = GetParam();
  tv::replay_result r = tv::check_file(draft20_dir() / rel);
  EXPECT_TRUE(r.ok) << rel << ": " << r.first_mismatch;
  EXPECT_TRUE(r.ok || !r.first_mismatch.empty());
}

// ---------------------------------------------------------------------------
// Mutations: every kind of field the operations check must be really compared
// ---------------------------------------------------------------------------

std::vector<Mutation> prio3_mutations(const json& j) {
  std::vector<Mutation> m;
  Coverage c = coverage(j);
  const std::size_t shares = j.at("shares").get<std::size_t>();
  auto add_flips = [&](const std::string& ptr) {
    for (std::size_t p : positions(hex_len(j, ptr))) m.push_back(flip_byte(ptr, p));
  };
  bool any_vinit = !c.vinit.empty();
  bool any_shard = !c.shard.empty();

  if (any_vinit) add_flips("/verify_key");
  if ((any_vinit || any_shard) && hex_len(j, "/ctx") > 0) add_flips("/ctx");

  for (std::size_t r : sample_reports(j)) {
    const std::string rp = "/reports/" + std::to_string(r);
    const json& rep = j.at("reports").at(r);
    bool shard = c.shard.count(r) > 0;
    auto vinit_by = [&](std::size_t a) { return c.vinit.count({r, a}) > 0; };
    bool vinit_any = false;
    for (std::size_t a = 0; a < shares; ++a) vinit_any = vinit_any || vinit_by(a);

    if (vinit_any) add_flips(rp + "/nonce");
    if (shard) add_flips(rp + "/rand");

    // Public share: S joint-randomness parts of 32 bytes. Aggregator a
    // substitutes its own part, so a change in part k is seen by the shard
    // comparison or by the verify_init of any aggregator other than k.
    std::size_t ps = hex_len(j, rp + "/public_share");
    for (std::size_t p : positions(ps)) {
      std::size_t part = p / 32;
      bool seen = shard;
      for (std::size_t a = 0; a < shares; ++a) seen = seen || (a != part && vinit_by(a));
      if (seen) m.push_back(flip_byte(rp + "/public_share", p));
    }

    for (std::size_t a = 0; a < rep.at("input_shares").size(); ++a) {
      if (!(shard || vinit_by(a))) continue;
      const std::string ptr = rp + "/input_shares/" + std::to_string(a);
      add_flips(ptr);
      if (r == 0) {
        m.push_back(truncate_hex(ptr));
        m.push_back(extend_hex(ptr));
      }
    }

    const json& vs = rep.at("verifier_shares");
    for (std::size_t rnd = 0; rnd < vs.size(); ++rnd) {
      for (std::size_t a = 0; a < vs[rnd].size(); ++a) {
        bool seen = (rnd == 0 && vinit_by(a)) || c.to_msg.count({r, rnd}) > 0;
        if (!seen) continue;
        const std::string ptr =
            rp + "/verifier_shares/" + std::to_string(rnd) + "/" + std::to_string(a);
        add_flips(ptr);
        if (r == 0 && rnd == 0 && vinit_by(a)) m.push_back(extend_hex(ptr));
      }
    }

    const json& msgs = rep.at("verifier_messages");
    for (std::size_t rnd = 0; rnd < msgs.size(); ++rnd) {
      bool seen = c.to_msg.count({r, rnd}) > 0 || c.vnext_round.count({r, rnd + 1}) > 0;
      const std::string ptr = rp + "/verifier_messages/" + std::to_string(rnd);
      if (seen && hex_len(j, ptr) > 0) add_flips(ptr);
    }

    const json& outs = rep.at("out_shares");
    for (std::size_t a = 0; a < outs.size(); ++a) {
      bool seen = c.vnext_agg.count({r, a}) > 0 || c.aggregate.count(a) > 0;
      const std::string ptr = rp + "/out_shares/" + std::to_string(a);
      if (seen && hex_len(j, ptr) > 0) add_flips(ptr);
    }
  }

  const json& aggs = j.at("agg_shares");
  for (std::size_t a = 0; a < aggs.size(); ++a) {
    bool seen = c.aggregate.count(a) > 0 || c.unshard;
    const std::string ptr = "/agg_shares/" + std::to_string(a);
    if (seen) {
      add_flips(ptr);
      m.push_back(truncate_hex(ptr));
    }
  }

  if (c.unshard) {
    m.push_back({"/agg_result + 1", [](json& x) {
                   json& res = x.at("agg_result");
                   json& e = res.is_array() ? res.at(0) : res;
                   e = e.get<std::uint64_t>() + 1;
                 }});
  }
  return m;
}

TEST_P(Prio3OfficialVector, EveryMutationFails) {
  const std::string& rel = GetParam();
  json j = load(rel);
  std::string inst = tv::instance_name(rel);
  if (inst.rfind("Xof", 0) == 0) {
    expect_all_detected(j, inst, xof_mutations(j, false), 10);
    return;
  }
  auto muts = prio3_mutations(j);
  // Every file has at least: verify_key, one input share and one verifier share.
  expect_all_detected(j, inst, muts, 3);
}

/// The Prio3 files (they have an operations list; XofTurboShake128.json has not).
std::vector<std::string> found_prio3_files() { return vdaf_files_only(found_files()); }

class Prio3OfficialOperations : public ::testing::TestWithParam<std::string> {};

TEST_P(Prio3OfficialOperations, EverySuccessFlagMatters) {
  const std::string& rel = GetParam();
  std::string inst = tv::instance_name(rel);
  json j = load(rel);
  const auto reports = sample_reports(j);
  const json& ops = j.at("operations");
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (ops[i].contains("report_index") &&
        std::find(reports.begin(), reports.end(), ops[i]["report_index"].get<std::size_t>()) ==
            reports.end()) {
      continue;  // keep it fast: first and last report only
    }
    json m = j;
    bool s = m["operations"][i]["success"].get<bool>();
    m["operations"][i]["success"] = !s;
    std::string label = "operation " + std::to_string(i) + " (" +
                        ops[i]["operation"].get<std::string>() + ") success flipped to " +
                        (s ? "false" : "true");
    try {
      tv::replay_result r = tv::replay(m, inst);
      EXPECT_FALSE(r.ok) << "not detected: " << label;
      if (!r.ok) {
        EXPECT_NE(r.first_mismatch.find("field success"), std::string::npos) << label;
      }
    } catch (const std::exception& e) {
      ADD_FAILURE() << label << " threw instead of FAIL: " << e.what();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Draft20, Prio3OfficialVector, ::testing::ValuesIn(found_files()),
                         test_name);
INSTANTIATE_TEST_SUITE_P(Draft20, Prio3OfficialOperations, ::testing::ValuesIn(found_prio3_files()),
                         test_name);

// ---------------------------------------------------------------------------
// Vectors beyond the draft (test-vectors/extensions/, unedited copies): the same replay,
// mutations and success-flag checks as the official files.
// ---------------------------------------------------------------------------

/// Names relative to draft20_dir(): "../extensions/Prio3L1BoundSum_0.json", ...
std::vector<std::string> found_extension_files() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(draft20_dir() / ".." / "extensions", ec)) {
    const std::string n = e.path().filename().string();
    if (e.is_regular_file() && e.path().extension() == ".json") out.push_back("../extensions/" + n);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ExtensionVectorFiles, ExactlyTheExpectedSetIsPresent) {
  expect_file_set(
      found_extension_files(),
      {"../extensions/Prio3L1BoundSum_0.json", "../extensions/XofHmacSha256Aes128.json"}, 2);
}

std::vector<std::string> found_extension_prio3_files() {
  std::vector<std::string> v = found_extension_files();
  v.erase(
      std::remove_if(v.begin(), v.end(),
                     [](const std::string& n) { return n.find("/Prio3") == std::string::npos; }),
      v.end());
  return v;
}

INSTANTIATE_TEST_SUITE_P(Extensions, Prio3OfficialVector,
                         ::testing::ValuesIn(found_extension_files()), test_name);
INSTANTIATE_TEST_SUITE_P(Extensions, Prio3OfficialOperations,
                         ::testing::ValuesIn(found_extension_prio3_files()), test_name);

// ---------------------------------------------------------------------------
// Mismatch text and engine behaviour
// ---------------------------------------------------------------------------

TEST(Prio3VectorReplay, MismatchTextNamesReportOperationAggRoundAndField) {
  json j = load("vdaf/Prio3Count_0.json");
  flip_byte("/reports/0/out_shares/1", 0).apply(j);
  auto r = tv::replay(j, "Prio3Count");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(
      r.first_mismatch.rfind(
          "report 0, operation verify_next (agg 1, round 1), field out_shares[1]: expected ", 0),
      0u)
      << r.first_mismatch;
  EXPECT_NE(r.first_mismatch.find(", got "), std::string::npos) << r.first_mismatch;
}

TEST(Prio3VectorReplay, MismatchTextCutsLongHex) {
  json j = load("vdaf/Prio3Histogram_2.json");
  flip_byte("/reports/0/input_shares/0", 1000).apply(j);
  auto r = tv::replay(j, "Prio3Histogram");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.first_mismatch.rfind("report 0, operation shard, field input_shares[0]: ", 0), 0u)
      << r.first_mismatch;
  EXPECT_NE(r.first_mismatch.find("first difference at byte 1000"), std::string::npos)
      << r.first_mismatch;
  EXPECT_LT(r.first_mismatch.size(), 300u) << r.first_mismatch;
}

TEST(Prio3VectorReplay, ExpectedFailureThatSucceedsIsReported) {
  json j = load("vdaf/Prio3Count_0.json");
  j["operations"][0]["success"] = false;  // shard
  auto r = tv::replay(j, "Prio3Count");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.first_mismatch,
            "report 0, operation shard, field success: expected failure (a vdaf::error), got "
            "success");
}

TEST(Prio3VectorReplay, UnknownInstanceThrowsDistinctType) {
  json j = load("vdaf/Prio3Count_0.json");
  EXPECT_THROW(tv::replay(j, "Mastic"), tv::unknown_instance);
  EXPECT_THROW(tv::replay(j, "Prio3Nope"), tv::unknown_instance);
  // A readable vector file whose name designates an unknown instance.
  const fs::path tmp = fs::temp_directory_path() / ("vdaf_unknown_" + std::to_string(::getpid()));
  fs::create_directories(tmp);
  fs::copy_file(draft20_dir() / "vdaf/Prio3Count_0.json", tmp / "Mastic_0.json",
                fs::copy_options::overwrite_existing);
  EXPECT_THROW(tv::check_file(tmp / "Mastic_0.json"), tv::unknown_instance);
  fs::remove_all(tmp);
}

TEST(Prio3VectorReplay, MalformedAndUnreadableFiles) {
  json j = load("vdaf/Prio3Count_0.json");
  json m = j;
  m.erase("verify_key");
  EXPECT_THROW(tv::replay(m, "Prio3Count"), tv::bad_vector);
  m = j;
  m["operations"][0]["operation"] = "prep_init";
  EXPECT_THROW(tv::replay(m, "Prio3Count"), tv::bad_vector);
  m = j;
  m["reports"][0]["input_shares"][0] = "xyz";
  EXPECT_THROW(tv::replay(m, "Prio3Count"), tv::bad_vector);
  EXPECT_THROW(tv::load_vector_file(draft20_dir() / "vdaf/Prio3Count_does_not_exist.json"),
               tv::file_error);
  EXPECT_THROW(tv::parse_vector("{\"a\": [1, 2"), tv::file_error);
}

TEST(Prio3VectorReplay, InstanceNameFromFileName) {
  EXPECT_EQ(tv::instance_name("a/b/Prio3SumVecWithMultiproof_0.json"), "Prio3SumVecWithMultiproof");
  EXPECT_EQ(tv::instance_name("Prio3Count_bad_meas_share.json"), "Prio3Count");
  EXPECT_EQ(tv::instance_name("/x/XofTurboShake128.json"), "XofTurboShake128");
  EXPECT_TRUE(tv::is_supported_instance("Prio3HigherDegree"));
  EXPECT_FALSE(tv::is_supported_instance("Mastic"));
}

TEST(Prio3VectorReplay, IntegersBeyond64BitsStayExact) {
  json j = tv::parse_vector(
      "{\"a\": 340282366920938463463374607431768211455, \"b\": 18446744073709551615, \"c\": 1.5}");
  ASSERT_TRUE(j["a"].is_string());
  EXPECT_EQ(j["a"].get<std::string>(), "340282366920938463463374607431768211455");
  EXPECT_TRUE(j["b"].is_number_unsigned());
  EXPECT_TRUE(j["c"].is_number_float());
}

TEST(Prio3VectorReplay, BigIntegersStayExactWhereverTheyAppear) {
  // Top level, inside arrays and nested objects, negative; the int64 / uint64
  // limits themselves stay numbers, one past them becomes digit text.
  json top = tv::parse_vector("340282366920938463463374607431768211456");
  ASSERT_TRUE(top.is_string());
  EXPECT_EQ(top.get<std::string>(), "340282366920938463463374607431768211456");
  json j = tv::parse_vector(
      "{\"l\": [18446744073709551616, [-9223372036854775809, 7], {\"m\": "
      "57896044618658097711785492504343953926634992332820282019728792003956564819967}],"
      " \"min\": -9223372036854775808, \"max\": 18446744073709551615,"
      " \"f\": [1.0, 1e2, -2.5E-3, 0], \"s\": \"12\", \"t\": true, \"n\": null}");
  ASSERT_TRUE(j["l"][0].is_string());
  EXPECT_EQ(j["l"][0].get<std::string>(), "18446744073709551616");
  ASSERT_TRUE(j["l"][1][0].is_string());
  EXPECT_EQ(j["l"][1][0].get<std::string>(), "-9223372036854775809");
  EXPECT_EQ(j["l"][1][1], json(7));
  ASSERT_TRUE(j["l"][2]["m"].is_string());
  EXPECT_EQ(j["l"][2]["m"].get<std::string>(),
            "57896044618658097711785492504343953926634992332820282019728792003956564819967");
  ASSERT_TRUE(j["min"].is_number_integer());
  EXPECT_EQ(j["min"].get<std::int64_t>(), INT64_MIN);
  ASSERT_TRUE(j["max"].is_number_unsigned());
  EXPECT_EQ(j["max"].get<std::uint64_t>(), UINT64_MAX);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_TRUE(j["f"][i].is_number_float()) << i;
  EXPECT_EQ(j["f"][1].get<double>(), 100.0);
  EXPECT_TRUE(j["f"][3].is_number_unsigned());
  EXPECT_EQ(j["s"], json("12"));
  EXPECT_EQ(j["t"], json(true));
  EXPECT_TRUE(j["n"].is_null());
  // A duplicate key keeps the last value, as nlohmann::json::parse does.
  EXPECT_EQ(tv::parse_vector("{\"a\": 1, \"a\": [2]}"), json::parse("{\"a\": 1, \"a\": [2]}"));
}

TEST(Prio3VectorReplay, ParseVectorGivesTheSameTreeAsNlohmannParseOnEveryOfficialFile) {
  // The official files carry no integer beyond 64 bits, so the SAX-built tree
  // must equal the one nlohmann::json::parse builds, value for value.
  std::size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(draft20_dir())) {
    if (!e.is_regular_file() || e.path().extension() != ".json") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    EXPECT_EQ(tv::parse_vector(text), json::parse(text)) << e.path();
    ++n;
  }
  EXPECT_GE(n, 35u);
}

TEST(Prio3VectorReplay, BrokenJsonIsAFileErrorThatSaysWhere) {
  std::ifstream in(draft20_dir() / "vdaf/Prio3Sum_1.json", std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  ASSERT_GT(text.size(), 3000u);
  auto error_of = [](const std::string& t) -> std::string {
    try {
      tv::parse_vector(t);
    } catch (const tv::file_error& e) {
      return e.what();
    }
    return "(no error)";
  };
  const std::string truncated = error_of(text.substr(0, 3000));
  EXPECT_EQ(truncated.rfind("not valid JSON: ", 0), 0u) << truncated;
  EXPECT_NE(truncated.find("parse error at line"), std::string::npos) << truncated;
  for (const std::string& bad : {std::string(), std::string("{\"a\": [1, 2"), text + " x",
                                 text + text, std::string("{\"a\": 1,}"), std::string("[1 2]")}) {
    const std::string msg = error_of(bad);
    EXPECT_EQ(msg.rfind("not valid JSON: ", 0), 0u) << msg;
    EXPECT_NE(msg.find("parse error"), std::string::npos) << msg;
  }
}

// ---------------------------------------------------------------------------
// Known-answer wire sizes (draft digest §7.7 / §8.5)
// ---------------------------------------------------------------------------

struct WireSizes {
  std::size_t leader_input, helper_input, public_share, verifier_share, verifier_message, agg_share,
      rand_size;
};

/// Sizes derived from the spec parameters of one instance.
WireSizes derive(std::size_t fe, std::size_t shares, std::size_t proofs, std::size_t meas,
                 std::size_t out, std::size_t jrl, std::size_t proof, std::size_t ver) {
  bool jr = jrl > 0;
  return {fe * (meas + proof * proofs) + (jr ? 32 : 0),
          32 + (jr ? 32u : 0u),
          jr ? 32 * shares : 0,
          fe * ver * proofs + (jr ? 32 : 0),
          jr ? 32u : 0u,
          fe * out,
          (jr ? 64 : 32) * shares};
}

template <class V>
void expect_sizes(const V& v, const typename V::Measurement& m, const WireSizes& w,
                  std::size_t meas_len, std::size_t out_len) {
  EXPECT_EQ(v.meas_len(), meas_len);
  EXPECT_EQ(v.output_len(), out_len);
  EXPECT_EQ(v.rand_size(), w.rand_size);
  EXPECT_EQ(V::VERIFY_KEY_SIZE, 32u);
  EXPECT_EQ(V::NONCE_SIZE, 16u);
  EXPECT_EQ(V::ROUNDS, 1u);
  const std::string ctx_s = "some application";
  const vdaf::Bytes ctx(ctx_s.begin(), ctx_s.end());
  vdaf::Bytes nonce(16), rand(v.rand_size()), key(32);
  for (std::size_t i = 0; i < nonce.size(); ++i) nonce[i] = static_cast<std::uint8_t>(i);
  for (std::size_t i = 0; i < rand.size(); ++i) rand[i] = static_cast<std::uint8_t>(i);
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i);
  auto sh = v.shard(ctx, m, nonce, rand);
  ASSERT_EQ(sh.input_shares.size(), v.shares());
  EXPECT_EQ(v.encode_public_share(sh.public_share).size(), w.public_share);
  EXPECT_EQ(v.encode_input_share(sh.input_shares[0]).size(), w.leader_input);
  for (std::size_t a = 1; a < v.shares(); ++a) {
    EXPECT_EQ(v.encode_input_share(sh.input_shares[a]).size(), w.helper_input) << "agg " << a;
  }
  typename V::AggParam ap{};
  std::vector<typename V::VerifyState> states;
  std::vector<typename V::VerifierShare> vshares;
  for (std::size_t a = 0; a < v.shares(); ++a) {
    auto [st, vs] = v.verify_init(key, ctx, a, ap, nonce, sh.public_share, sh.input_shares[a]);
    EXPECT_EQ(v.encode_verifier_share(vs).size(), w.verifier_share) << "agg " << a;
    states.push_back(std::move(st));
    vshares.push_back(std::move(vs));
  }
  auto msg =
      v.verifier_shares_to_message(ctx, ap, std::span<const typename V::VerifierShare>(vshares));
  EXPECT_EQ(v.encode_verifier_message(msg).size(), w.verifier_message);
  auto agg = v.agg_init(ap);
  auto res = v.verify_next(ctx, states[0], msg);
  ASSERT_EQ(res.index(), 1u);
  EXPECT_EQ(v.encode_out_share(std::get<1>(res)).size(), w.agg_share);
  v.agg_update(ap, agg, std::get<1>(res));
  EXPECT_EQ(v.encode_agg_share(agg).size(), w.agg_share);
}

TEST(Prio3WireSizes, HistogramLength4TwoShares) {
  // The digest's worked example (§8.5), also Prio3Histogram_0.json.
  vdaf::Prio3Histogram v(2, 4, 2);
  EXPECT_EQ(v.id(), 4u);
  EXPECT_EQ(v.num_proofs(), 1u);
  expect_sizes(v, 2, WireSizes{272, 64, 64, 128, 32, 64, 128}, 4, 4);
}

TEST(Prio3WireSizes, EveryVectorInstance) {
  // Rows of digest table 7.7: Fe, S, PROOFS, MEAS, OUT, JRL, PROOF, VERIFIER.
  {
    SCOPED_TRACE("Count S=2");
    vdaf::Prio3Count v(2);
    EXPECT_EQ(v.id(), 1u);
    expect_sizes(v, 1, derive(8, 2, 1, 1, 1, 0, 5, 4), 1, 1);
  }
  {
    SCOPED_TRACE("Count S=3");
    vdaf::Prio3Count v(3);
    expect_sizes(v, 0, derive(8, 3, 1, 1, 1, 0, 5, 4), 1, 1);
  }
  {
    SCOPED_TRACE("Sum max=255 S=3");
    vdaf::Prio3Sum v(3, 255);
    EXPECT_EQ(v.id(), 2u);
    expect_sizes(v, 100, derive(8, 3, 1, 8, 1, 0, 32, 3), 8, 1);
  }
  {
    SCOPED_TRACE("Sum max=1337");
    vdaf::Prio3Sum v(2, 1337);
    expect_sizes(v, 1337, derive(8, 2, 1, 11, 1, 0, 32, 3), 11, 1);
  }
  {
    SCOPED_TRACE("SumVec len10 max255 ch9");
    vdaf::Prio3SumVec v(2, 10, 255, 9);
    EXPECT_EQ(v.id(), 3u);
    expect_sizes(v, std::vector<std::uint64_t>(10, 7), derive(16, 2, 1, 80, 10, 9, 49, 20), 80, 10);
  }
  {
    SCOPED_TRACE("SumVec len3 max32000 ch7 S=3");
    vdaf::Prio3SumVec v(3, 3, 32000, 7);
    expect_sizes(v, std::vector<std::uint64_t>{10000, 32000, 9}, derive(16, 3, 1, 45, 3, 7, 29, 16),
                 45, 3);
  }
  {
    SCOPED_TRACE("SumVecWithMultiproof len10 max255 ch9");
    vdaf::Prio3SumVecWithMultiproof<vdaf::Field64> v(2, 10, 255, 9, 3);
    EXPECT_EQ(v.id(), 0xFFFFFFFFu);
    EXPECT_EQ(v.num_proofs(), 3u);
    expect_sizes(v, std::vector<std::uint64_t>(10, 255), derive(8, 2, 3, 80, 10, 9, 49, 20), 80,
                 10);
  }
  {
    SCOPED_TRACE("SumVecWithMultiproof len3 max65535 ch7 S=3");
    vdaf::Prio3SumVecWithMultiproof<vdaf::Field64> v(3, 3, 65535, 7, 3);
    expect_sizes(v, std::vector<std::uint64_t>{1, 2, 65535}, derive(8, 3, 3, 48, 3, 7, 29, 16), 48,
                 3);
  }
  {
    SCOPED_TRACE("Histogram len11 ch3 S=3");
    vdaf::Prio3Histogram v(3, 11, 3);
    expect_sizes(v, 10, derive(16, 3, 1, 11, 11, 4, 21, 8), 11, 11);
  }
  {
    SCOPED_TRACE("Histogram len100 ch10");
    vdaf::Prio3Histogram v(2, 100, 10);
    expect_sizes(v, 99, derive(16, 2, 1, 100, 100, 10, 51, 22), 100, 100);
  }
  {
    SCOPED_TRACE("Multihot len4 w2 ch2");
    vdaf::Prio3MultihotCountVec v(2, 4, 2, 2);
    EXPECT_EQ(v.id(), 5u);
    expect_sizes(v, std::vector<bool>{false, true, true, false}, derive(16, 2, 1, 6, 4, 3, 11, 6),
                 6, 4);
  }
  {
    SCOPED_TRACE("Multihot len10 w2 ch3 S=4");
    vdaf::Prio3MultihotCountVec v(4, 10, 2, 3);
    std::vector<bool> m(10, false);
    m[9] = true;
    expect_sizes(v, m, derive(16, 4, 1, 12, 10, 4, 21, 8), 12, 10);
  }
  {
    SCOPED_TRACE("Multihot len4 w4 ch1");
    vdaf::Prio3MultihotCountVec v(2, 4, 4, 1);
    expect_sizes(v, std::vector<bool>(4, true), derive(16, 2, 1, 7, 4, 7, 17, 4), 7, 4);
  }
  {
    SCOPED_TRACE("HigherDegree");
    vdaf::Prio3HigherDegree v(2);
    EXPECT_EQ(v.id(), 0xFFFFFFFFu);
    expect_sizes(v, 2, derive(8, 2, 1, 1, 1, 0, 5, 3), 1, 1);
  }
}

// ---------------------------------------------------------------------------
// Parameters beyond the official files: vectors generated with the library
// itself (self-consistency of the engine, not a correctness proof), replayed
// with other share counts, an empty or long ctx, Field128 multiproof, ...
// ---------------------------------------------------------------------------

template <class R>
json result_json(const R& r) {
  auto one = [](const auto& x) -> json {
    using T = std::decay_t<decltype(x)>;
    if constexpr (std::is_same_v<T, vdaf::uint128>) {
      if (x <= static_cast<vdaf::uint128>(UINT64_MAX)) return static_cast<std::uint64_t>(x);
      std::string s;
      for (vdaf::uint128 v = x; v != 0; v /= 10) s.insert(s.begin(), char('0' + int(v % 10)));
      return s;
    } else {
      return static_cast<std::uint64_t>(x);
    }
  };
  if constexpr (requires { r.begin(); }) {
    json a = json::array();
    for (const auto& x : r) a.push_back(one(x));
    return a;
  } else {
    return one(r);
  }
}

template <class M>
json measurement_json(const M& m) {
  if constexpr (std::is_same_v<M, std::vector<bool>>) {
    json a = json::array();
    for (bool b : m) a.push_back(b);
    return a;
  } else {
    return json(m);
  }
}

/// A vector in the official format, produced by `v` for `measurements`.
template <class V>
json make_vector(const V& v, json params, const vdaf::Bytes& ctx,
                 const std::vector<typename V::Measurement>& measurements) {
  json j = std::move(params);
  vdaf::Bytes key(32);
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(0xa0 + i);
  typename V::AggParam ap{};
  j["ctx"] = vdaf::to_hex(ctx);
  j["verify_key"] = vdaf::to_hex(key);
  j["agg_param"] = vdaf::to_hex(v.encode_agg_param(ap));
  j["shares"] = v.shares();
  j["reports"] = json::array();
  j["operations"] = json::array();
  std::vector<typename V::AggShare> aggs;
  for (std::size_t a = 0; a < v.shares(); ++a) aggs.push_back(v.agg_init(ap));
  for (std::size_t r = 0; r < measurements.size(); ++r) {
    vdaf::Bytes nonce(16), rand(v.rand_size());
    for (std::size_t i = 0; i < nonce.size(); ++i) nonce[i] = static_cast<std::uint8_t>(r + i);
    for (std::size_t i = 0; i < rand.size(); ++i) rand[i] = static_cast<std::uint8_t>(3 * i + r);
    auto sh = v.shard(ctx, measurements[r], nonce, rand);
    json rep;
    rep["measurement"] = measurement_json(measurements[r]);
    rep["nonce"] = vdaf::to_hex(nonce);
    rep["rand"] = vdaf::to_hex(rand);
    rep["public_share"] = vdaf::to_hex(v.encode_public_share(sh.public_share));
    rep["input_shares"] = json::array();
    for (const auto& in : sh.input_shares) {
      rep["input_shares"].push_back(vdaf::to_hex(v.encode_input_share(in)));
    }
    j["operations"].push_back({{"operation", "shard"}, {"report_index", r}, {"success", true}});
    std::vector<typename V::VerifyState> states;
    std::vector<typename V::VerifierShare> vshares;
    json vs_hex = json::array();
    for (std::size_t a = 0; a < v.shares(); ++a) {
      auto [st, vs] = v.verify_init(key, ctx, a, ap, nonce, sh.public_share, sh.input_shares[a]);
      vs_hex.push_back(vdaf::to_hex(v.encode_verifier_share(vs)));
      states.push_back(std::move(st));
      vshares.push_back(std::move(vs));
      j["operations"].push_back({{"operation", "verify_init"},
                                 {"report_index", r},
                                 {"aggregator_id", a},
                                 {"success", true}});
    }
    rep["verifier_shares"] = json::array({vs_hex});
    auto msg =
        v.verifier_shares_to_message(ctx, ap, std::span<const typename V::VerifierShare>(vshares));
    rep["verifier_messages"] = json::array({vdaf::to_hex(v.encode_verifier_message(msg))});
    j["operations"].push_back({{"operation", "verifier_shares_to_message"},
                               {"report_index", r},
                               {"round", 0},
                               {"success", true}});
    rep["out_shares"] = json::array();
    for (std::size_t a = 0; a < v.shares(); ++a) {
      auto res = v.verify_next(ctx, states[a], msg);
      const auto& out = std::get<1>(res);
      rep["out_shares"].push_back(vdaf::to_hex(v.encode_out_share(out)));
      v.agg_update(ap, aggs[a], out);
      j["operations"].push_back({{"operation", "verify_next"},
                                 {"report_index", r},
                                 {"aggregator_id", a},
                                 {"round", 1},
                                 {"success", true}});
    }
    j["reports"].push_back(rep);
  }
  j["agg_shares"] = json::array();
  for (std::size_t a = 0; a < v.shares(); ++a) {
    j["agg_shares"].push_back(vdaf::to_hex(v.encode_agg_share(aggs[a])));
    j["operations"].push_back(
        {{"operation", "aggregate"}, {"aggregator_id", a}, {"success", true}});
  }
  j["agg_result"] =
      result_json(v.unshard(ap, std::span<const typename V::AggShare>(aggs), measurements.size()));
  j["operations"].push_back({{"operation", "unshard"}, {"success", true}});
  return j;
}

void expect_passes_and_mutations_fail(const json& j, const std::string& instance) {
  auto r = tv::replay(j, instance);
  ASSERT_TRUE(r.ok) << r.first_mismatch;
  // Round trip through text (integers beyond 64 bits included).
  auto r2 = tv::replay(tv::parse_vector(j.dump()), instance);
  EXPECT_TRUE(r2.ok) << r2.first_mismatch;
  expect_all_detected(j, instance, prio3_mutations(j), 10);
}

TEST(Prio3VectorReplay, SelfGeneratedMultiproofField128) {
  vdaf::Prio3SumVecWithMultiproof<vdaf::Field128> v(5, 4, 1000, 3, 2);
  json params = {{"length", 4},
                 {"max_measurement", 1000},
                 {"chunk_length", 3},
                 {"field", "Field128"},
                 {"proofs", 2}};
  json j = make_vector(v, params, vdaf::Bytes{}, {{1, 2, 3, 1000}, {0, 0, 0, 0}, {999, 1, 500, 7}});
  expect_passes_and_mutations_fail(j, "Prio3SumVecWithMultiproof");
  // The same file read as the default Field64 / 3 proofs must not pass.
  json d = j;
  d.erase("field");
  d.erase("proofs");
  EXPECT_FALSE(tv::replay(d, "Prio3SumVecWithMultiproof").ok);
  d = j;
  d["proofs"] = 3;
  EXPECT_FALSE(tv::replay(d, "Prio3SumVecWithMultiproof").ok);
  d = j;
  d["field"] = "Field255";
  EXPECT_THROW(tv::replay(d, "Prio3SumVecWithMultiproof"), tv::bad_vector);
}

TEST(Prio3VectorReplay, SelfGeneratedMultiproofField64OneProof) {
  vdaf::Prio3SumVecWithMultiproof<vdaf::Field64> v(2, 3, 7, 2, 1);
  json params = {{"length", 3}, {"max_measurement", 7}, {"chunk_length", 2}, {"proofs", 1}};
  const std::string c = "ctx";
  json j = make_vector(v, params, vdaf::Bytes(c.begin(), c.end()), {{7, 0, 3}});
  expect_passes_and_mutations_fail(j, "Prio3SumVecWithMultiproof");
}

TEST(Prio3VectorReplay, SelfGeneratedCountManySharesEmptyCtx) {
  vdaf::Prio3Count v(7);
  json j = make_vector(v, json::object(), vdaf::Bytes{}, {1, 0, 1, 1});
  expect_passes_and_mutations_fail(j, "Prio3Count");
}

TEST(Prio3VectorReplay, SelfGeneratedHistogramLongCtx) {
  vdaf::Prio3Histogram v(3, 7, 2);
  vdaf::Bytes ctx(300);
  for (std::size_t i = 0; i < ctx.size(); ++i) ctx[i] = static_cast<std::uint8_t>(i * 7);
  json j = make_vector(v, {{"length", 7}, {"chunk_length", 2}}, ctx, {6, 0, 6});
  expect_passes_and_mutations_fail(j, "Prio3Histogram");
}

TEST(Prio3VectorReplay, SelfGeneratedSumVecLargeResult) {
  // Field128 results above 2^64 are compared exactly (as decimal digits).
  const std::uint64_t big = UINT64_MAX;
  vdaf::Prio3SumVec v(2, 2, big, 16);
  json j = make_vector(v, {{"length", 2}, {"max_measurement", big}, {"chunk_length", 16}},
                       vdaf::Bytes{1, 2, 3}, {{big, 1}, {big, 2}, {big, 3}});
  ASSERT_TRUE(j["agg_result"][0].is_string()) << j["agg_result"].dump();
  EXPECT_EQ(j["agg_result"][0].get<std::string>(), "55340232221128654845");  // 3·(2^64−1)
  auto r = tv::replay(tv::parse_vector(j.dump()), "Prio3SumVec");
  EXPECT_TRUE(r.ok) << r.first_mismatch;
  j["agg_result"][0] = "55340232221128654846";
  r = tv::replay(j, "Prio3SumVec");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.first_mismatch.rfind("operation unshard, field agg_result: expected [", 0), 0u)
      << r.first_mismatch;
}

/// A one-operation vector: shard of `measurement` must fail.
json shard_failure_vector(json params, std::size_t rand_size, json measurement) {
  json j = std::move(params);
  vdaf::Bytes rand(rand_size);
  for (std::size_t i = 0; i < rand.size(); ++i) rand[i] = static_cast<std::uint8_t>(i);
  j["ctx"] = "";
  j["verify_key"] = std::string(64, '0');
  j["agg_param"] = "";
  j["agg_shares"] = json::array();
  j["agg_result"] = nullptr;
  j["reports"] = json::array({json{{"measurement", std::move(measurement)},
                                   {"nonce", std::string(32, '0')},
                                   {"rand", vdaf::to_hex(rand)},
                                   {"public_share", ""},
                                   {"input_shares", json::array()},
                                   {"verifier_shares", json::array()},
                                   {"verifier_messages", json::array()},
                                   {"out_shares", json::array()}}});
  j["operations"] =
      json::array({json{{"operation", "shard"}, {"report_index", 0}, {"success", false}}});
  return j;
}

TEST(Prio3VectorReplay, ShardOfInvalidMeasurementsFails) {
  struct Case {
    const char* instance;
    json params;
    std::size_t rand_size;
    json measurement;
  };
  const std::vector<Case> cases = {
      {"Prio3Count", {{"shares", 2}}, 64, 2},
      {"Prio3Sum", {{"shares", 2}, {"max_measurement", 1337}}, 64, 1338},
      {"Prio3SumVec",
       {{"shares", 2}, {"length", 3}, {"max_measurement", 7}, {"chunk_length", 2}},
       128,
       {1, 8, 0}},
      {"Prio3SumVec",
       {{"shares", 2}, {"length", 3}, {"max_measurement", 7}, {"chunk_length", 2}},
       128,
       {1, 2}},
      {"Prio3SumVecWithMultiproof",
       {{"shares", 2}, {"length", 2}, {"max_measurement", 255}, {"chunk_length", 2}},
       128,
       {256, 0}},
      {"Prio3Histogram", {{"shares", 2}, {"length", 4}, {"chunk_length", 2}}, 128, 4},
      {"Prio3MultihotCountVec",
       {{"shares", 2}, {"length", 4}, {"max_weight", 2}, {"chunk_length", 2}},
       128,
       {true, true, true, false}},
      {"Prio3MultihotCountVec",
       {{"shares", 2}, {"length", 4}, {"max_weight", 2}, {"chunk_length", 2}},
       128,
       {true, false, false}},
      {"Prio3HigherDegree", {{"shares", 2}}, 64, 3},
  };
  for (const auto& c : cases) {
    json j = shard_failure_vector(c.params, c.rand_size, c.measurement);
    auto r = tv::replay(j, c.instance);
    EXPECT_TRUE(r.ok) << c.instance << " measurement " << c.measurement.dump() << ": "
                      << r.first_mismatch;
    // Marked as a success instead, the library's own rejection must show (so the
    // measurement reached the library, not just the engine's JSON parser).
    j["operations"][0]["success"] = true;
    r = tv::replay(j, c.instance);
    EXPECT_FALSE(r.ok) << c.instance << " measurement " << c.measurement.dump();
    EXPECT_NE(r.first_mismatch.find("field success: expected success, got vdaf::invalid_argument"),
              std::string::npos)
        << r.first_mismatch;
  }
}

TEST(Prio3VectorReplay, ConstructorRejectionIsAFailNotACrash) {
  json j = load("vdaf/Prio3Histogram_0.json");
  j["chunk_length"] = 0;
  auto r = tv::replay(j, "Prio3Histogram");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.first_mismatch.rfind("operation construct", 0), 0u) << r.first_mismatch;
}

}  // namespace
