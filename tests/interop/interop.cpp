// Interop check, byte for byte, of vdaf-cpp against libprio-rs (crate `prio`, pinned in
// tests/interop/libprio/Cargo.toml) for two Prio3 instances that have no published test vector
// grid: Prio3SumVecField64MultiproofHmacSha256Aes128 (0xFFFF1003, libprio-rs is the reference)
// and Prio3L1BoundSum (0x00000007, draft-ietf-ppm-l1-bound-sum-02).
//
//   interop --libprio BIN [--cases N] [--seed S] [--instance NAME] [--keep DIR] [--verbose]
//
// Generates N cases per instance (default 200) from SplitMix64(S): random parameters (shares
// 2..5, length 1..300, max_measurement / max_value of every bit width, chunk lengths from 1 to
// beyond MEAS_LEN, proofs 1..255, ctx 0..200 bytes and some at the XOF's limit), measurement,
// nonce, sharding randomness (rand_size() bytes: libprio-rs' shard_with_random takes the same
// 2·S·32 bytes in the same order), verify key and a byte of the leader's input share to flip.
// Writes them as JSON lines, runs BIN (tests/interop/libprio) on them, computes the same with
// vdaf-cpp and compares: public share, each input share, each verifier share, the verifier
// message, each output share, each aggregate share of the one-report batch, the unsharded
// result, and the outcome (and the leader's verifier share) of verification after the flip.
// Prints the first difference of each differing case in detail and a summary per instance;
// exits 1 on any difference, 2 on a usage or I/O error.
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <vdaf/prio3.hpp>

namespace {

using nlohmann::json;

constexpr const char* kSumVec = "Prio3SumVecField64MultiproofHmacSha256Aes128";
constexpr const char* kL1 = "Prio3L1BoundSum";
constexpr std::uint64_t kField64Modulus = 0xFFFFFFFF00000001ULL;

/// Work budget per case: PROOFS·MEAS_LEN and PROOFS·P²/50 (P the gadget's wire-polynomial
/// size), which keeps a case at about 0.2 s on average in libprio-rs (vdaf-cpp: ~40× less).
constexpr std::uint64_t kBudget = 300000;

struct SplitMix64 {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [lo, hi] (inclusive); hi − lo < 2^64 − 1.
  std::uint64_t range(std::uint64_t lo, std::uint64_t hi) {
    const std::uint64_t n = hi - lo + 1;
    if (n == 0) return next();  // the full 64-bit range
    const std::uint64_t lim = (~std::uint64_t{0}) - (~std::uint64_t{0}) % n;
    std::uint64_t x;
    do x = next();
    while (x >= lim && lim != 0);
    return lo + x % n;
  }
  bool chance(unsigned percent) { return range(0, 99) < percent; }
  vdaf::Bytes bytes(std::size_t n) {
    vdaf::Bytes b(n);
    for (std::size_t i = 0; i < n; i += 8) {
      const std::uint64_t z = next();
      for (std::size_t k = 0; k < 8 && i + k < n; ++k)
        b[i + k] = static_cast<std::uint8_t>(z >> (8 * k));
    }
    return b;
  }
};

std::size_t bit_length(std::uint64_t x) {
  std::size_t n = 0;
  while (x) {
    ++n;
    x >>= 1;
  }
  return n;
}

std::string u128_string(vdaf::uint128 v) {
  if (v == 0) return "0";
  std::string s;
  while (v) {
    s += static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  }
  std::reverse(s.begin(), s.end());
  return s;
}

/// One case's parameters and inputs (the JSON line given to the Rust program).
struct Case {
  std::uint64_t id = 0;
  std::string instance;
  std::size_t shares = 2, length = 1, chunk_length = 1, proofs = 1;
  std::uint64_t max = 1;
  vdaf::Bytes ctx, nonce, rand, verify_key;
  std::vector<std::uint64_t> measurement;
  std::size_t tamper_byte = 0;

  json to_json() const {
    json j = {{"id", id},
              {"instance", instance},
              {"shares", shares},
              {"length", length},
              {"max", max},
              {"chunk_length", chunk_length},
              {"ctx", vdaf::to_hex(ctx)},
              {"nonce", vdaf::to_hex(nonce)},
              {"rand", vdaf::to_hex(rand)},
              {"verify_key", vdaf::to_hex(verify_key)},
              {"measurement", measurement},
              {"tamper_byte", tamper_byte}};
    if (instance == kSumVec) j["proofs"] = proofs;
    return j;
  }
  std::string summary() const {
    std::ostringstream o;
    o << "case " << id << ": " << instance << " shares=" << shares << " length=" << length
      << " max=" << max << " chunk_length=" << chunk_length;
    if (instance == kSumVec) o << " proofs=" << proofs;
    o << " ctx_len=" << ctx.size() << " tamper_byte=" << tamper_byte;
    return o.str();
  }
};

/// Runs the case through vdaf-cpp; the same JSON shape as the Rust program's output.
template <class V>
json run(const V& vdaf, const Case& c) {
  const typename V::AggParam ap{};
  const auto r = vdaf.shard(c.ctx, c.measurement, c.nonce, c.rand);
  json out = {{"id", c.id}};
  out["public_share"] = vdaf::to_hex(vdaf.encode_public_share(r.public_share));
  std::vector<std::string> in, vs, os, as;
  std::vector<typename V::VerifyState> states;
  std::vector<typename V::VerifierShare> vshares;
  for (std::size_t j = 0; j < c.shares; ++j) {
    in.push_back(vdaf::to_hex(vdaf.encode_input_share(r.input_shares[j])));
    auto [st, v] =
        vdaf.verify_init(c.verify_key, c.ctx, j, ap, c.nonce, r.public_share, r.input_shares[j]);
    vs.push_back(vdaf::to_hex(vdaf.encode_verifier_share(v)));
    states.push_back(std::move(st));
    vshares.push_back(std::move(v));
  }
  const auto msg = vdaf.verifier_shares_to_message(c.ctx, ap, vshares);
  std::vector<typename V::AggShare> agg;
  for (std::size_t j = 0; j < c.shares; ++j) {
    auto next = vdaf.verify_next(c.ctx, states[j], msg);
    const auto& o = std::get<typename V::OutShare>(next);
    os.push_back(vdaf::to_hex(vdaf.encode_out_share(o)));
    auto a = vdaf.agg_init(ap);
    vdaf.agg_update(ap, a, o);
    as.push_back(vdaf::to_hex(vdaf.encode_agg_share(a)));
    agg.push_back(std::move(a));
  }
  const auto result = vdaf.unshard(ap, agg, 1);
  std::vector<std::string> rs;
  for (const auto& x : result) rs.push_back(u128_string(static_cast<vdaf::uint128>(x)));
  out["input_shares"] = in;
  out["verifier_shares"] = vs;
  out["verifier_message"] = vdaf::to_hex(vdaf.encode_verifier_message(msg));
  out["out_shares"] = os;
  out["agg_shares"] = as;
  out["agg_result"] = rs;

  // The leader's input share with bit 0 of byte `tamper_byte` of its encoding flipped.
  vdaf::Bytes leader = vdaf.encode_input_share(r.input_shares[0]);
  if (c.tamper_byte >= leader.size()) {
    out["tamper"] = {{"outcome", "out_of_range"}};
    return out;
  }
  leader[c.tamper_byte] ^= 1;
  std::optional<typename V::InputShare> bad;
  try {
    bad = vdaf.decode_input_share(0, leader);
  } catch (const vdaf::error&) {
    out["tamper"] = {{"outcome", "decode_error"}};
    return out;
  }
  auto [st0, vs0] = vdaf.verify_init(c.verify_key, c.ctx, 0, ap, c.nonce, r.public_share, *bad);
  std::string outcome;
  auto vss = vshares;
  vss[0] = vs0;
  try {
    const auto m = vdaf.verifier_shares_to_message(c.ctx, ap, vss);
    outcome = "accept";
    for (std::size_t j = 0; j < c.shares; ++j) {
      try {
        (void)vdaf.verify_next(c.ctx, j == 0 ? st0 : states[j], m);
      } catch (const vdaf::verify_error&) {
        outcome = "reject_next";
      }
    }
  } catch (const vdaf::verify_error&) {
    outcome = "reject_message";
  }
  out["tamper"] = {{"leader_verifier_share", vdaf::to_hex(vdaf.encode_verifier_share(vs0))},
                   {"outcome", outcome}};
  return out;
}

json run_ours(const Case& c) {
  try {
    if (c.instance == kSumVec) {
      return run(vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128(c.shares, c.length, c.max,
                                                                    c.chunk_length, c.proofs),
                 c);
    }
    return run(vdaf::Prio3L1BoundSum(c.shares, c.length, c.max, c.chunk_length), c);
  } catch (const std::exception& e) {
    return {{"id", c.id}, {"error", e.what()}};
  }
}

/// MEAS_LEN of the case's circuit.
std::size_t meas_len(const std::string& inst, std::size_t length, std::uint64_t max) {
  return (inst == kSumVec ? length : length + 1) * bit_length(max);
}

/// A max_measurement (SumVec over Field64: 1..p−1) or max_value (L1BoundSum: 1..2^64−1) of a
/// uniformly drawn bit width, with the edges drawn on purpose now and then.
std::uint64_t draw_max(SplitMix64& g, bool sumvec, std::uint64_t index) {
  const std::uint64_t top = sumvec ? kField64Modulus - 1 : ~std::uint64_t{0};
  switch (index) {  // the first cases of each instance: the edges
    case 0:
      return 1;
    case 1:
      return top;
    case 2:
      return (std::uint64_t{1} << 63) - 1;
    case 3:
      return std::uint64_t{1} << 63;
    case 4:
      return 2;
    default:
      break;
  }
  if (g.chance(5)) return top;
  const std::size_t bits = g.range(1, 64);
  if (bits == 1) return 1;
  const std::uint64_t lo = std::uint64_t{1} << (bits - 1);
  const std::uint64_t hi = bits == 64 ? top : (lo << 1) - 1;
  if (g.chance(15)) return g.chance(50) ? lo : hi;
  return g.range(lo, hi);
}

std::size_t draw_length(SplitMix64& g, std::uint64_t index) {
  if (index == 5) return 300;
  if (index == 6) return 1;
  switch (g.range(0, 2)) {
    case 0:
      return g.range(1, 10);
    case 1:
      return g.range(11, 100);
    default:
      return g.range(101, 300);
  }
}

std::size_t draw_proofs(SplitMix64& g) {
  const unsigned k = static_cast<unsigned>(g.range(0, 99));
  if (k < 30) return 3;  // what Janus deploys
  if (k < 50) return g.range(1, 2);
  if (k < 80) return g.range(4, 16);
  if (k < 90) return g.range(17, 254);
  return 255;
}

std::size_t draw_chunk(SplitMix64& g, std::size_t ml) {
  switch (g.range(0, 5)) {
    case 0:
      return ml <= 4000 ? 1 : vdaf::recommended_chunk_length(ml);
    case 1:
    case 2:
      return vdaf::recommended_chunk_length(ml);
    case 3:
      return g.range(1, ml);
    case 4:
      return ml;
    default:
      return ml + g.range(1, 64);  // one gadget call, chunk longer than the input
  }
}

Case draw_case(SplitMix64& g, const std::string& inst, std::uint64_t id, std::uint64_t index) {
  const bool sumvec = inst == kSumVec;
  Case c;
  c.id = id;
  c.instance = inst;
  c.shares = g.range(2, 5);
  c.proofs = sumvec ? draw_proofs(g) : 1;
  c.max = draw_max(g, sumvec, index);
  c.length = draw_length(g, index);
  // Keep PROOFS·MEAS_LEN within the budget: shorten the vector first, then narrow max.
  while (c.proofs * meas_len(inst, c.length, c.max) > kBudget) {
    if (c.length > 1) {
      c.length = (c.length + 1) / 2;
    } else {
      c.max >>= 1;
    }
  }
  const std::size_t ml = meas_len(inst, c.length, c.max);
  c.chunk_length = draw_chunk(g, ml);
  // libprio-rs' prover and verifier also cost about PROOFS·P² with P = next_pow2(1 + calls)
  // (83 s for P = 2048 and 255 proofs): widen small chunks until PROOFS·P²/50 fits the budget.
  const auto p = [&] { return std::bit_ceil(1 + (ml + c.chunk_length - 1) / c.chunk_length); };
  while (c.proofs * (p() * p() / 50) > kBudget) c.chunk_length *= 2;

  // ctx: empty, 1..200 bytes, or the longest XofHmacSha256Aes128 allows (255 − 8).
  const unsigned k = static_cast<unsigned>(g.range(0, 99));
  const std::size_t ctx_len = k < 15 ? 0 : k < 95 ? g.range(1, 200) : 247;
  c.ctx = g.bytes(ctx_len);
  c.nonce = g.bytes(16);
  c.verify_key = g.bytes(32);
  c.rand = g.bytes(2 * c.shares * 32);  // both instances use joint randomness

  // Measurement: SumVec entries in [0, max]; L1BoundSum entries summing to at most max.
  c.measurement.assign(c.length, 0);
  if (sumvec) {
    for (auto& x : c.measurement) {
      const unsigned r = static_cast<unsigned>(g.range(0, 3));
      x = r == 0 ? 0 : r == 1 ? c.max : g.range(0, c.max);
    }
  } else {
    const unsigned r = static_cast<unsigned>(g.range(0, 5));
    const std::uint64_t total = r < 2 ? c.max : r == 2 ? 0 : g.range(0, c.max);
    if (g.chance(20)) {
      c.measurement[g.range(0, c.length - 1)] = total;  // all on one entry
    } else {
      std::vector<std::uint64_t> cuts{0, total};
      for (std::size_t i = 1; i < c.length; ++i) cuts.push_back(g.range(0, total));
      std::sort(cuts.begin(), cuts.end());
      for (std::size_t i = 0; i < c.length; ++i) c.measurement[i] = cuts[i + 1] - cuts[i];
    }
  }
  c.tamper_byte = 0;  // set once the leader share's length is known (main)
  return c;
}

/// Leader input share length: Fe·(MEAS_LEN + PROOF_LEN·PROOFS) + 32 (joint-randomness blind).
std::size_t leader_share_len(const Case& c) {
  if (c.instance == kSumVec) {
    vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128 v(c.shares, c.length, c.max, c.chunk_length,
                                                         c.proofs);
    return 8 * (v.meas_len() + v.proof_len() * v.num_proofs()) + 32;
  }
  vdaf::Prio3L1BoundSum v(c.shares, c.length, c.max, c.chunk_length);
  return 16 * (v.meas_len() + v.proof_len()) + 32;
}

std::size_t first_diff(const std::string& a, const std::string& b) {
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  return i;
}

std::string window(const std::string& h, std::size_t at) {
  const std::size_t from = at >= 32 ? at - 32 : 0;
  return (from ? "…" : "") + h.substr(from, 96) + (from + 96 < h.size() ? "…" : "");
}

/// Compares one field (a string, or a list of strings); returns a description of the first
/// difference or "".
std::string compare_field(const std::string& name, const json& ours, const json& theirs) {
  if (ours.is_array() != theirs.is_array() || ours.is_string() != theirs.is_string()) {
    return name + ": different kinds: vdaf-cpp " + ours.dump() + ", libprio-rs " + theirs.dump();
  }
  if (ours.is_array()) {
    if (ours.size() != theirs.size()) {
      return name + ": " + std::to_string(ours.size()) + " entries in vdaf-cpp, " +
             std::to_string(theirs.size()) + " in libprio-rs";
    }
    for (std::size_t i = 0; i < ours.size(); ++i) {
      auto d = compare_field(name + "[" + std::to_string(i) + "]", ours[i], theirs[i]);
      if (!d.empty()) return d;
    }
    return "";
  }
  if (!ours.is_string()) {
    return ours == theirs ? ""
                          : name + ": vdaf-cpp " + ours.dump() + ", libprio-rs " + theirs.dump();
  }
  const auto a = ours.get<std::string>(), b = theirs.get<std::string>();
  if (a == b) return "";
  const std::size_t i = first_diff(a, b);
  std::ostringstream o;
  o << name << ": " << a.size() / 2 << " bytes in vdaf-cpp, " << b.size() / 2
    << " in libprio-rs; first differing byte " << i / 2 << "\n      vdaf-cpp   " << window(a, i)
    << "\n      libprio-rs " << window(b, i);
  return o.str();
}

/// Every field of one case, in protocol order; the number of differing fields.
std::size_t compare_case(const Case& c, const json& ours, const json& theirs, bool verbose,
                         std::size_t& rejected_both) {
  std::vector<std::string> diffs;
  const bool oe = ours.contains("error"), te = theirs.contains("error");
  if (oe || te) {
    if (oe && te) {
      ++rejected_both;
      if (verbose) std::cerr << c.summary() << ": both refuse (" << ours["error"] << ")\n";
      return 0;
    }
    diffs.push_back(std::string("error: only ") + (oe ? "vdaf-cpp" : "libprio-rs") +
                    " fails: " + (oe ? ours : theirs)["error"].get<std::string>());
  } else {
    for (const char* k : {"public_share", "input_shares", "verifier_shares", "verifier_message",
                          "out_shares", "agg_shares", "agg_result"}) {
      auto d = compare_field(k, ours.value(k, json()), theirs.value(k, json()));
      if (!d.empty()) diffs.push_back(d);
    }
    const json& ot = ours["tamper"];
    const json& tt = theirs.value("tamper", json::object());
    for (const char* k : {"outcome", "leader_verifier_share"}) {
      auto d =
          compare_field(std::string("tamper.") + k, ot.value(k, json("")), tt.value(k, json("")));
      if (!d.empty()) diffs.push_back(d);
    }
  }
  if (!diffs.empty()) {
    std::cout << "DIFFERENCE " << c.summary() << "\n  " << diffs.front() << "\n";
    if (diffs.size() > 1) std::cout << "  (" << diffs.size() - 1 << " more differing fields)\n";
    std::cout << "  case: " << c.to_json().dump() << "\n";
  } else if (verbose) {
    std::cerr << c.summary() << ": identical, tamper " << ours["tamper"]["outcome"] << "\n";
  }
  return diffs.size();
}

int usage() {
  std::cerr << "usage: interop --libprio BIN [--cases N] [--seed S] [--instance NAME] [--keep "
               "DIR] [--verbose]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string libprio, keep, only;
  std::uint64_t n = 200, seed = 0x696e7465726f70ULL;  // "interop"
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << a << " needs a value\n";
        std::exit(usage());
      }
      return argv[++i];
    };
    if (a == "--libprio") {
      libprio = val();
    } else if (a == "--cases") {
      n = std::stoull(val());
    } else if (a == "--seed") {
      seed = std::stoull(val(), nullptr, 0);
    } else if (a == "--instance") {
      only = val();
    } else if (a == "--keep") {
      keep = val();
    } else if (a == "--verbose") {
      verbose = true;
    } else {
      return usage();
    }
  }
  if (libprio.empty()) return usage();

  std::vector<std::string> instances;
  for (const char* inst : {kSumVec, kL1}) {
    if (only.empty() || only == inst) instances.push_back(inst);
  }
  if (instances.empty()) {
    std::cerr << "unknown instance " << only << "\n";
    return 2;
  }

  // Cases: instance by instance, each from its own stream of SplitMix64(seed).
  std::vector<Case> cases;
  for (std::size_t k = 0; k < instances.size(); ++k) {
    SplitMix64 g{seed ^ (std::string(instances[k]) == kSumVec ? 0x1003 : 0x0007)};
    for (std::uint64_t i = 0; i < n; ++i) {
      Case c = draw_case(g, instances[k], cases.size(), i);
      std::size_t len = 0;
      try {
        len = leader_share_len(c);
      } catch (const std::exception& e) {
        std::cerr << "vdaf-cpp refuses " << c.summary() << ": " << e.what() << "\n";
        len = 1;
      }
      // Mostly inside the field elements, sometimes in the blind (the last 32 bytes).
      c.tamper_byte = g.range(0, len - 1);
      cases.push_back(std::move(c));
    }
  }

  namespace fs = std::filesystem;
  fs::path dir;
  if (!keep.empty()) {
    dir = keep;
    fs::create_directories(dir);
  } else {
    std::string tmpl = (fs::temp_directory_path() / "vdaf-interop-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) {
      std::perror("mkdtemp");
      return 2;
    }
    dir = tmpl;
  }
  const fs::path cases_path = dir / "cases.jsonl", theirs_path = dir / "libprio.jsonl";
  {
    std::ofstream f(cases_path);
    for (const auto& c : cases) f << c.to_json().dump() << "\n";
    if (!f) {
      std::cerr << "cannot write " << cases_path << "\n";
      return 2;
    }
  }

  const auto t0 = std::chrono::steady_clock::now();
  const std::string cmd =
      "'" + libprio + "' < '" + cases_path.string() + "' > '" + theirs_path.string() + "'";
  if (std::system(cmd.c_str()) != 0) {
    std::cerr << "libprio-rs program failed: " << cmd << "\n";
    return 2;
  }
  const auto t1 = std::chrono::steady_clock::now();
  std::vector<json> theirs;
  {
    std::ifstream f(theirs_path);
    std::string line;
    while (std::getline(f, line)) {
      if (!line.empty()) theirs.push_back(json::parse(line));
    }
  }
  if (theirs.size() != cases.size()) {
    std::cerr << "libprio-rs program gave " << theirs.size() << " results for " << cases.size()
              << " cases\n";
    return 2;
  }

  std::size_t total_diffs = 0, rejected_both = 0;
  std::vector<std::size_t> per_inst_cases(instances.size()), per_inst_diff(instances.size());
  std::vector<std::vector<std::size_t>> outcomes(instances.size(), std::vector<std::size_t>(5));
  const std::vector<std::string> outcome_names{"reject_message", "reject_next", "accept",
                                               "decode_error", "out_of_range"};
  double ours_s = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const auto s0 = std::chrono::steady_clock::now();
    const json ours = run_ours(c);
    ours_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - s0).count();
    const std::size_t k = static_cast<std::size_t>(
        std::find(instances.begin(), instances.end(), c.instance) - instances.begin());
    if (theirs[i].value("id", std::uint64_t{~0ULL}) != c.id) {
      std::cerr << "libprio-rs results out of order at case " << c.id << "\n";
      return 2;
    }
    const std::size_t d = compare_case(c, ours, theirs[i], verbose, rejected_both);
    ++per_inst_cases[k];
    per_inst_diff[k] += d != 0;
    total_diffs += d;
    if (ours.contains("tamper")) {
      const auto o = ours["tamper"]["outcome"].get<std::string>();
      for (std::size_t m = 0; m < outcome_names.size(); ++m)
        outcomes[k][m] += o == outcome_names[m];
    }
  }

  for (std::size_t k = 0; k < instances.size(); ++k) {
    std::cout << instances[k] << ": " << per_inst_cases[k] << " instances, " << per_inst_diff[k]
              << " with differences (tampered leader share:";
    for (std::size_t m = 0; m < outcome_names.size(); ++m) {
      if (outcomes[k][m]) std::cout << " " << outcome_names[m] << " " << outcomes[k][m];
    }
    std::cout << ")\n";
  }
  if (rejected_both) std::cout << rejected_both << " cases refused by both libraries\n";
  std::cout << cases.size() << " instances, " << total_diffs << " differences (seed 0x" << std::hex
            << seed << std::dec << "; libprio-rs " << std::chrono::duration<double>(t1 - t0).count()
            << " s, vdaf-cpp " << ours_s << " s)\n";
  if (keep.empty()) fs::remove_all(dir);
  return total_diffs == 0 && rejected_both == 0 ? 0 : 1;
}
