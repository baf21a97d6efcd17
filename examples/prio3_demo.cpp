// prio3_demo: a complete Prio3 deployment (draft-irtf-cfrg-vdaf-20) on real survey data.
//
// Each of the 944 respondents of the 1996 American National Election Study
// (examples/data/anes96.csv, see examples/data/README.md) acts as a client: it splits its
// answer into two secret shares, one for the leader aggregator and one for the helper.
// Neither aggregator alone learns anything about an answer, yet together they check that
// every report is well formed (a vote is 0 or 1, an age is at most 120, ...) and add up the
// valid ones. The collector combines the two aggregate shares into the final statistic.
//
// Three tasks run one after the other, each with its own VDAF instance and verify key:
//   Prio3Count      how many respondents expect to vote for Dole (column `vote`)
//   Prio3Sum        the sum, hence the mean, of the respondents' ages (column `age`)
//   Prio3Histogram  the liberal/conservative self-placement, 7 buckets (column `selfLR`)
//
// The parties exchange nothing but encoded bytes, as they would over a network. A few
// tampered reports are mixed in; all of them must be rejected. The program exits with 0
// only if every private result equals the result computed in the clear from the data and
// exactly the tampered reports were rejected.
//
// Usage: prio3_demo [--repeat N] [DATA.csv]

#include <unistd.h>  // isatty

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <fstream>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <vdaf/prio3.hpp>

#ifndef VDAF_EXAMPLES_DATA_DIR
#define VDAF_EXAMPLES_DATA_DIR "examples/data"
#endif

namespace {

using Clock = std::chrono::steady_clock;
using Seconds = std::chrono::duration<double>;

constexpr std::size_t kNumShares = 2;  // one leader and one helper
constexpr std::size_t kLeader = 0;     // agg_id of the leader
constexpr std::size_t kHelper = 1;     // agg_id of the helper

constexpr std::uint64_t kMaxAge = 120;   // Prio3Sum's max_measurement for `age`
constexpr std::size_t kNumLeanings = 7;  // Prio3Histogram's length for `selfLR` (1..7)
constexpr std::array<const char*, kNumLeanings> kLeaningNames = {
    "extremely liberal",     "liberal",      "slightly liberal",      "moderate",
    "slightly conservative", "conservative", "extremely conservative"};

// The application context string (the spec's `ctx`): binds every report to this application,
// so that a report made for another application cannot be replayed here.
vdaf::Bytes application_context() {
  constexpr std::string_view kCtx = "vdaf-cpp examples/prio3_demo";
  return vdaf::Bytes(kCtx.begin(), kCtx.end());
}

// ---------------------------------------------------------------------------------------------
// The data: one row of the survey per client.
// ---------------------------------------------------------------------------------------------

struct Respondent {
  std::uint64_t vote;     // expected vote: 0 = Clinton, 1 = Dole
  std::uint64_t age;      // in years
  std::uint64_t self_lr;  // 1 = extremely liberal ... 7 = extremely conservative
};

std::vector<std::string_view> split_csv_line(std::string_view line) {
  std::vector<std::string_view> fields;
  while (true) {
    const std::size_t comma = line.find(',');
    std::string_view field = line.substr(0, comma);
    while (!field.empty() && (field.front() == ' ' || field.front() == '"')) field.remove_prefix(1);
    while (!field.empty() && (field.back() == ' ' || field.back() == '"')) field.remove_suffix(1);
    fields.push_back(field);
    if (comma == std::string_view::npos) return fields;
    line.remove_prefix(comma + 1);
  }
}

// Reads a comma-separated file whose header names (at least) the columns `vote`, `age` and
// `selfLR`. Throws std::runtime_error, naming the line, on anything unexpected.
std::vector<Respondent> load_survey(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);

  std::string line;
  std::size_t line_no = 1;
  auto fail = [&](const std::string& what) {
    throw std::runtime_error(path + ":" + std::to_string(line_no) + ": " + what);
  };
  auto strip_cr = [](std::string& s) {
    if (!s.empty() && s.back() == '\r') s.pop_back();
  };

  if (!std::getline(in, line)) fail("empty file");
  strip_cr(line);
  std::vector<std::string> header;  // copied: `line` is reused for the rows below
  for (std::string_view name : split_csv_line(line)) header.emplace_back(name);
  auto column = [&](std::string_view name) {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return i;
    }
    fail("no column '" + std::string(name) + "' in the header");
    return std::size_t{0};  // not reached
  };
  const std::size_t vote_col = column("vote");
  const std::size_t age_col = column("age");
  const std::size_t self_lr_col = column("selfLR");

  // Parses field `col` of `fields` as an integer in [lo, hi].
  auto parse = [&](const std::vector<std::string_view>& fields, std::size_t col, std::uint64_t lo,
                   std::uint64_t hi) {
    if (col >= fields.size()) fail("missing column '" + header[col] + "'");
    const std::string_view text = fields[col];
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < lo || value > hi) {
      fail("column '" + header[col] + "' is '" + std::string(text) + "', expected an integer in [" +
           std::to_string(lo) + ", " + std::to_string(hi) + "]");
    }
    return value;
  };

  std::vector<Respondent> rows;
  while (std::getline(in, line)) {
    ++line_no;
    strip_cr(line);
    if (line.empty()) continue;
    const std::vector<std::string_view> fields = split_csv_line(line);
    rows.push_back(Respondent{.vote = parse(fields, vote_col, 0, 1),
                              .age = parse(fields, age_col, 0, kMaxAge),
                              .self_lr = parse(fields, self_lr_col, 1, kNumLeanings)});
  }
  if (rows.empty()) fail("no data rows");
  return rows;
}

// ---------------------------------------------------------------------------------------------
// The client: shards one measurement and uploads the encoded shares.
// ---------------------------------------------------------------------------------------------

// What one client uploads. In DAP each input share would also be encrypted (HPKE) to its
// aggregator; here the byte strings are handed over in memory.
struct Report {
  vdaf::Bytes nonce;  // V::NONCE_SIZE random bytes, public (DAP: the report ID)
  vdaf::Bytes public_share;
  vdaf::Bytes leader_share;  // encoded input share for agg_id 0
  vdaf::Bytes helper_share;  // encoded input share for agg_id 1
};

template <class V>
Report client_upload(const V& prio3, std::span<const std::uint8_t> ctx,
                     const typename V::Measurement& measurement) {
  // Nonce and sharding randomness come from the CSPRNG. Throws vdaf::invalid_argument if the
  // measurement is out of range for this VDAF.
  const typename V::ShardResult shard = prio3.shard(ctx, measurement);
  return Report{.nonce = vdaf::Bytes(shard.nonce.begin(), shard.nonce.end()),
                .public_share = prio3.encode_public_share(shard.public_share),
                .leader_share = prio3.encode_input_share(shard.input_shares[kLeader]),
                .helper_share = prio3.encode_input_share(shard.input_shares[kHelper])};
}

// ---------------------------------------------------------------------------------------------
// An aggregator (the leader or the helper): verifies reports together with the other one and
// keeps an aggregate share of the valid ones. Everything it receives is bytes.
// ---------------------------------------------------------------------------------------------

template <class V>
class Aggregator {
 public:
  Aggregator(const V& prio3, std::size_t agg_id, std::span<const std::uint8_t> verify_key,
             std::span<const std::uint8_t> ctx)
      : prio3_(prio3),
        agg_id_(agg_id),
        verify_key_(verify_key),
        ctx_(ctx),
        agg_share_(prio3.agg_init(agg_param_)) {}

  // Step 1 (both): decodes the public share and this aggregator's own input share, starts
  // verification and returns this aggregator's encoded verifier share.
  vdaf::Bytes verify_init(std::span<const std::uint8_t> nonce,
                          std::span<const std::uint8_t> public_share_bytes,
                          std::span<const std::uint8_t> input_share_bytes) {
    const typename V::PublicShare public_share = prio3_.decode_public_share(public_share_bytes);
    const typename V::InputShare input_share =
        prio3_.decode_input_share(agg_id_, input_share_bytes);
    auto [state, verifier_share] = prio3_.verify_init(verify_key_, ctx_, agg_id_, agg_param_, nonce,
                                                      public_share, input_share);
    vdaf::Bytes encoded = prio3_.encode_verifier_share(verifier_share);
    state_.emplace(std::move(state));
    own_verifier_share_.emplace(std::move(verifier_share));
    return encoded;
  }

  // Step 2 (leader only): decodes the helper's verifier share and combines both into the
  // encoded verifier message. This is where an invalid proof is caught: throws
  // vdaf::verify_error.
  vdaf::Bytes verifier_shares_to_message(std::span<const std::uint8_t> helper_verifier_share) {
    std::vector<typename V::VerifierShare> shares;  // in agg_id order: leader, helper
    shares.push_back(std::move(*own_verifier_share_));
    shares.push_back(prio3_.decode_verifier_share(*state_, helper_verifier_share));
    const typename V::VerifierMessage message =
        prio3_.verifier_shares_to_message(ctx_, agg_param_, shares);
    return prio3_.encode_verifier_message(message);
  }

  // Step 3 (both): finishes verification with the leader's message. The output share is held
  // back until the report has been accepted by both aggregators (see commit()).
  void verify_next(std::span<const std::uint8_t> message_bytes) {
    const typename V::VerifierMessage message =
        prio3_.decode_verifier_message(*state_, message_bytes);
    // Prio3 has a single round, so verify_next always yields an output share.
    auto result = prio3_.verify_next(ctx_, *state_, message);
    out_share_.emplace(std::get<typename V::OutShare>(std::move(result)));
  }

  // The report was accepted by both aggregators: adds its output share to the aggregate.
  void commit() {
    prio3_.agg_update(agg_param_, agg_share_, *out_share_);
    ++num_reports_;
    reset();
  }

  // Forgets the report being verified (it was rejected, or has been aggregated).
  void reset() {
    state_.reset();
    own_verifier_share_.reset();
    out_share_.reset();
  }

  // The aggregate share, encoded for the collector.
  vdaf::Bytes encode_agg_share() const { return prio3_.encode_agg_share(agg_share_); }

  std::uint64_t num_reports() const { return num_reports_; }

 private:
  const V& prio3_;
  std::size_t agg_id_;
  std::span<const std::uint8_t> verify_key_;
  std::span<const std::uint8_t> ctx_;
  typename V::AggParam agg_param_{};  // Prio3 has no aggregation parameter
  typename V::AggShare agg_share_;
  std::uint64_t num_reports_ = 0;
  // State of the report being verified.
  std::optional<typename V::VerifyState> state_;
  std::optional<typename V::VerifierShare> own_verifier_share_;
  std::optional<typename V::OutShare> out_share_;
};

// "decode_error: Field64: value >= p": the kind of error and its message.
std::string describe(const vdaf::error& e) {
  const char* kind = "error";
  if (dynamic_cast<const vdaf::decode_error*>(&e) != nullptr) kind = "decode_error";
  if (dynamic_cast<const vdaf::verify_error*>(&e) != nullptr) kind = "verify_error";
  if (dynamic_cast<const vdaf::invalid_argument*>(&e) != nullptr) kind = "invalid_argument";
  return std::string(kind) + ": " + e.what();
}

// Bytes sent between the two aggregators while verifying one report.
struct Traffic {
  std::size_t helper_to_leader = 0;  // the helper's verifier share
  std::size_t leader_to_helper = 0;  // the verifier message
};

// Verifies one report between the leader and the helper, and aggregates it if it is valid.
// Returns std::nullopt if the report was accepted, else why it was rejected.
template <class V>
std::optional<std::string> verify_and_aggregate(Aggregator<V>& leader, Aggregator<V>& helper,
                                                const Report& report, Traffic& traffic) {
  try {
    // Each aggregator decodes only its own input share.
    leader.verify_init(report.nonce, report.public_share, report.leader_share);
    const vdaf::Bytes helper_verifier_share =
        helper.verify_init(report.nonce, report.public_share, report.helper_share);
    // helper -> leader: the helper's verifier share. The leader decides.
    const vdaf::Bytes message = leader.verifier_shares_to_message(helper_verifier_share);
    // leader -> helper: the verifier message. Both derive their output shares.
    leader.verify_next(message);
    helper.verify_next(message);
    traffic = Traffic{helper_verifier_share.size(), message.size()};
  } catch (const vdaf::error& e) {
    // Rejected: neither aggregator keeps anything of this report.
    leader.reset();
    helper.reset();
    return describe(e);
  }
  leader.commit();
  helper.commit();
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Tampered reports: what an attacker (or a broken network) might send.
// ---------------------------------------------------------------------------------------------

enum class Tamper { kLeaderBitFlip, kHelperBitFlip, kSpliced, kTruncated };
constexpr std::array kTampers = {Tamper::kLeaderBitFlip, Tamper::kHelperBitFlip, Tamper::kSpliced,
                                 Tamper::kTruncated};

const char* describe(Tamper t) {
  switch (t) {
    case Tamper::kLeaderBitFlip:
      return "a bit flipped in the leader's share";
    case Tamper::kHelperBitFlip:
      return "a bit flipped in the helper's share";
    case Tamper::kSpliced:
      return "shares of two different reports";
    case Tamper::kTruncated:
      return "leader's share one byte short";
  }
  return "?";
}

template <class V>
Report tampered_report(const V& prio3, std::span<const std::uint8_t> ctx,
                       const typename V::Measurement& measurement, Tamper t) {
  Report report = client_upload(prio3, ctx, measurement);
  switch (t) {
    case Tamper::kLeaderBitFlip:
      report.leader_share[report.leader_share.size() / 2] ^= 0x01;
      break;
    case Tamper::kHelperBitFlip:
      report.helper_share[0] ^= 0x80;
      break;
    case Tamper::kSpliced:
      // Both halves are honest shares of the same measurement, but of two different reports:
      // they do not add up to a measurement with a valid proof.
      report.helper_share = client_upload(prio3, ctx, measurement).helper_share;
      break;
    case Tamper::kTruncated:
      report.leader_share.pop_back();
      break;
  }
  return report;
}

// ---------------------------------------------------------------------------------------------
// Progress bar: drawn on stdout only if it is a terminal, and only once a task has run for
// more than a second, so short runs and redirected output show no bar at all.
// ---------------------------------------------------------------------------------------------

class ProgressBar {
 public:
  ProgressBar(std::string_view label, std::uint64_t total)
      : label_(label), total_(total), enabled_(isatty(fileno(stdout)) != 0) {}
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  ~ProgressBar() { clear(); }

  void update(std::uint64_t done) {
    if (!enabled_ || done % 64 != 0) return;  // look at the clock every 64 reports only
    const Clock::time_point now = Clock::now();
    if (now - start_ < std::chrono::seconds(1)) return;
    if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    drawn_ = true;
    constexpr std::uint64_t kWidth = 30;
    const std::uint64_t filled = done * kWidth / total_;
    const std::string bar = std::string(static_cast<std::size_t>(filled), '#') +
                            std::string(static_cast<std::size_t>(kWidth - filled), '.');
    std::printf("\r  %s [%s] %3u%%  %llu/%llu reports", label_.c_str(), bar.c_str(),
                static_cast<unsigned>(done * 100 / total_), static_cast<unsigned long long>(done),
                static_cast<unsigned long long>(total_));
    std::fflush(stdout);
  }

  // Erases the bar, so that the results are printed on a clean line.
  void clear() {
    if (!drawn_) return;
    std::printf("\r\033[K");
    std::fflush(stdout);
    drawn_ = false;
  }

 private:
  std::string label_;
  std::uint64_t total_;
  bool enabled_;
  bool drawn_ = false;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_draw_;
};

// ---------------------------------------------------------------------------------------------
// One task: all clients, both aggregators and the collector, for one VDAF instance.
// ---------------------------------------------------------------------------------------------

template <class V>
struct TaskRun {
  typename V::AggResult result{};  // what the collector learns
  std::uint64_t num_honest = 0;
  std::uint64_t num_tampered = 0;
  std::uint64_t num_accepted = 0;  // reports aggregated (public: the collector learns it too)
  std::uint64_t rejected_tampered = 0;
  std::uint64_t rejected_honest = 0;    // must stay 0
  std::vector<std::string> rejections;  // one line per tampered or rejected report
  Seconds client_time{};                // shard + encode, all clients
  Seconds aggregator_time{};            // decode + verify + aggregate, both aggregators
  std::size_t public_share_bytes = 0;   // sizes of one report's parts
  std::size_t leader_share_bytes = 0;
  std::size_t helper_share_bytes = 0;
  std::size_t nonce_bytes = 0;
  Traffic traffic;  // between the aggregators, per report
};

// Runs one task over `rows`, replayed `repeat` times; `measurement_of` maps a row to V's
// measurement. The tampered reports are spread evenly among the honest ones.
template <class V, class MeasurementOf>
TaskRun<V> run_task(const V& prio3, std::string_view name, const std::vector<Respondent>& rows,
                    std::uint64_t repeat, MeasurementOf measurement_of) {
  const vdaf::Bytes ctx = application_context();

  // A fresh random verify key, known to the two aggregators only (never to clients).
  vdaf::SecretBytes verify_key(V::VERIFY_KEY_SIZE);
  vdaf::random_bytes(verify_key);
  Aggregator<V> leader(prio3, kLeader, verify_key, ctx);
  Aggregator<V> helper(prio3, kHelper, verify_key, ctx);

  TaskRun<V> run;
  const std::uint64_t num_honest = rows.size() * repeat;
  run.num_honest = num_honest;
  const std::uint64_t num_tampered = kTampers.size();
  ProgressBar progress(name, num_honest + num_tampered);
  std::uint64_t done = 0;
  std::size_t next_tamper = 0;

  for (std::uint64_t i = 0; i < num_honest; ++i) {
    const typename V::Measurement measurement = measurement_of(rows[i % rows.size()]);

    // A client shards its measurement and uploads the encoded shares.
    const Clock::time_point t0 = Clock::now();
    const Report report = client_upload(prio3, ctx, measurement);
    const Clock::time_point t1 = Clock::now();
    // The aggregators verify it together and aggregate it.
    const std::optional<std::string> rejected =
        verify_and_aggregate(leader, helper, report, run.traffic);
    const Clock::time_point t2 = Clock::now();
    run.client_time += t1 - t0;
    run.aggregator_time += t2 - t1;
    if (rejected) {
      ++run.rejected_honest;
      run.rejections.push_back("honest report " + std::to_string(i) + " -> " + *rejected);
    }
    if (i == 0) {
      run.nonce_bytes = report.nonce.size();
      run.public_share_bytes = report.public_share.size();
      run.leader_share_bytes = report.leader_share.size();
      run.helper_share_bytes = report.helper_share.size();
    }
    progress.update(++done);

    // Now and then, an attacker's report.
    while (next_tamper < kTampers.size() &&
           i + 1 >= (next_tamper + 1) * num_honest / (num_tampered + 1)) {
      const Tamper tamper = kTampers[next_tamper++];
      const Clock::time_point t3 = Clock::now();
      const Report bad = tampered_report(prio3, ctx, measurement, tamper);
      const Clock::time_point t4 = Clock::now();
      Traffic ignored;
      const std::optional<std::string> why = verify_and_aggregate(leader, helper, bad, ignored);
      run.client_time += t4 - t3;
      run.aggregator_time += Clock::now() - t4;
      ++run.num_tampered;
      if (why) {
        ++run.rejected_tampered;
        run.rejections.push_back(std::string(describe(tamper)) + " -> " + *why);
      } else {
        run.rejections.push_back(std::string(describe(tamper)) + " -> ACCEPTED (bug!)");
      }
      progress.update(++done);
    }
  }
  progress.clear();

  // Collection: each aggregator sends its encoded aggregate share to the collector, who
  // decodes both and unshards them. The number of reports aggregated is public.
  const typename V::AggParam agg_param{};
  const vdaf::Bytes leader_agg_share = leader.encode_agg_share();
  const vdaf::Bytes helper_agg_share = helper.encode_agg_share();
  std::vector<typename V::AggShare> agg_shares;
  agg_shares.push_back(prio3.decode_agg_share(agg_param, leader_agg_share));
  agg_shares.push_back(prio3.decode_agg_share(agg_param, helper_agg_share));
  run.num_accepted = leader.num_reports();
  run.result = prio3.unshard(agg_param, agg_shares, run.num_accepted);
  return run;
}

// ---------------------------------------------------------------------------------------------
// Output.
// ---------------------------------------------------------------------------------------------

unsigned long long ull(std::uint64_t x) { return static_cast<unsigned long long>(x); }

double percent(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

template <class V>
void print_task_header(int index, const char* name, const V& prio3, const char* question) {
  std::printf("\n[%d/3] %s (VDAF id 0x%08x): %s\n", index, name, static_cast<unsigned>(prio3.id()),
              question);
}

// Prints the reports, rejections, speed and sizes of a run; returns false if the set of
// rejected reports is not exactly the set of tampered ones.
template <class V>
bool print_run(const TaskRun<V>& run) {
  const std::uint64_t num_reports = run.num_honest + run.num_tampered;
  const std::uint64_t num_rejected = run.rejected_honest + run.rejected_tampered;
  const bool ok = run.rejected_honest == 0 && num_rejected == run.num_tampered;
  std::printf(
      "  reports   %llu uploaded (%llu honest, %llu tampered): %llu accepted, %llu rejected"
      " (expected %llu) %s\n",
      ull(num_reports), ull(run.num_honest), ull(run.num_tampered), ull(run.num_accepted),
      ull(num_rejected), ull(run.num_tampered), ok ? "OK" : "WRONG");
  constexpr std::size_t kMaxLines = 10;
  for (std::size_t i = 0; i < run.rejections.size() && i < kMaxLines; ++i) {
    std::printf("    %s\n", run.rejections[i].c_str());
  }
  if (run.rejections.size() > kMaxLines) {
    std::printf("    ... and %zu more\n", run.rejections.size() - kMaxLines);
  }

  const double seconds = (run.client_time + run.aggregator_time).count();
  const double n = static_cast<double>(num_reports);
  std::printf(
      "  speed     %.0f reports/s on one core (per report: shard %.1f us, verify and"
      " aggregate %.1f us)\n",
      seconds > 0 ? n / seconds : 0.0, 1e6 * run.client_time.count() / n,
      1e6 * run.aggregator_time.count() / n);
  std::printf(
      "  upload    %zu bytes per report = public share %zu + leader share %zu + helper share %zu"
      " (+%zu nonce)\n",
      run.public_share_bytes + run.leader_share_bytes + run.helper_share_bytes,
      run.public_share_bytes, run.leader_share_bytes, run.helper_share_bytes, run.nonce_bytes);
  std::printf(
      "  exchange  %zu bytes per report between the aggregators: verifier share %zu +"
      " verifier message %zu\n",
      run.traffic.helper_to_leader + run.traffic.leader_to_helper, run.traffic.helper_to_leader,
      run.traffic.leader_to_helper);
  return ok;
}

// ---------------------------------------------------------------------------------------------
// Command line.
// ---------------------------------------------------------------------------------------------

struct Options {
  std::string data_path = VDAF_EXAMPLES_DATA_DIR "/anes96.csv";
  std::uint64_t repeat = 1;
  bool help = false;
};

void print_usage(std::FILE* out) {
  std::fprintf(out,
               "Usage: prio3_demo [--repeat N] [DATA.csv]\n"
               "\n"
               "Runs a Prio3 deployment (draft-irtf-cfrg-vdaf-20) with one client per survey\n"
               "respondent, a leader and a helper aggregator, and a collector, and checks the\n"
               "private results against the plain-text ones.\n"
               "\n"
               "  DATA.csv    comma-separated file with columns vote (0/1), age (0-%llu) and\n"
               "              selfLR (1-%zu); default: %s\n"
               "  --repeat N  replay every row N times, each time as a fresh report (default 1)\n"
               "  --help      show this help\n"
               "\n"
               "Exit status: 0 if all results match and exactly the tampered reports were\n"
               "rejected, 1 if not, 2 on bad arguments or data.\n",
               ull(kMaxAge), kNumLeanings, VDAF_EXAMPLES_DATA_DIR "/anes96.csv");
}

// Returns std::nullopt, after printing why, if the arguments are bad.
std::optional<Options> parse_args(int argc, char** argv) {
  Options options;
  bool have_path = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      options.help = true;
    } else if (arg == "--repeat" || arg.starts_with("--repeat=")) {
      std::string_view value = arg.substr(std::string_view("--repeat").size());
      if (value.empty() && i + 1 < argc) value = argv[++i];  // "--repeat N"
      if (value.starts_with("=")) value.remove_prefix(1);    // "--repeat=N"
      const auto [end, ec] =
          std::from_chars(value.data(), value.data() + value.size(), options.repeat);
      if (value.empty() || ec != std::errc{} || end != value.data() + value.size() ||
          options.repeat == 0 || options.repeat > 1'000'000) {
        std::fprintf(stderr, "prio3_demo: --repeat needs an integer from 1 to 1000000\n");
        return std::nullopt;
      }
    } else if (!arg.starts_with("-") && !have_path) {
      options.data_path = std::string(arg);
      have_path = true;
    } else {
      std::fprintf(stderr, "prio3_demo: unexpected argument '%s'\n\n", argv[i]);
      print_usage(stderr);
      return std::nullopt;
    }
  }
  return options;
}

int run_demo(const Options& options) {
  const std::vector<Respondent> rows = load_survey(options.data_path);
  const std::uint64_t repeat = options.repeat;
  const std::uint64_t n = rows.size() * repeat;  // honest reports per task

  std::printf("vdaf-cpp Prio3 demo (draft-irtf-cfrg-vdaf-20): private statistics of a survey\n");
  std::printf("  data      %s: %zu respondent(s), one client each\n", options.data_path.c_str(),
              rows.size());
  if (repeat > 1) {
    std::printf("  repeat    every row %llu times: %llu honest reports per task\n", ull(repeat),
                ull(n));
  }
  std::printf(
      "  parties   clients -> leader (agg_id 0) <-> helper (agg_id 1) -> collector;\n"
      "            a random verify key per task, shared by the two aggregators only\n");
  bool ok = true;

  // Task 1 -- Prio3Count over `vote`: how many respondents expect to vote for Dole?
  {
    const vdaf::Prio3Count prio3(kNumShares);
    print_task_header(1, "Prio3Count", prio3, "how many respondents expect to vote for Dole?");
    const auto run = run_task(prio3, "Prio3Count", rows, repeat,
                              [](const Respondent& r) -> std::uint64_t { return r.vote; });

    std::uint64_t plain = 0;  // computed in the clear, for comparison
    for (const Respondent& r : rows) plain += r.vote;
    plain *= repeat;
    const bool match = run.result == plain;
    ok = match && ok;
    std::printf("  result    Dole %llu (%.1f%%), Clinton %llu   plain text: Dole %llu   %s\n",
                ull(run.result), percent(run.result, run.num_accepted),
                ull(run.num_accepted - run.result), ull(plain), match ? "MATCH" : "MISMATCH");
    ok = print_run(run) && ok;
  }

  // Task 2 -- Prio3Sum over `age`: the total, hence the mean age.
  {
    const vdaf::Prio3Sum prio3(kNumShares, kMaxAge);
    print_task_header(2, "Prio3Sum", prio3, "what is the respondents' mean age?");
    const auto run = run_task(prio3, "Prio3Sum", rows, repeat,
                              [](const Respondent& r) -> std::uint64_t { return r.age; });

    std::uint64_t plain = 0;
    for (const Respondent& r : rows) plain += r.age;
    plain *= repeat;
    const bool match = run.result == plain;
    ok = match && ok;
    std::printf("  result    sum of ages %llu, mean %.2f years   plain text: sum %llu   %s\n",
                ull(run.result),
                static_cast<double>(run.result) / static_cast<double>(run.num_accepted), ull(plain),
                match ? "MATCH" : "MISMATCH");
    ok = print_run(run) && ok;
  }

  // Task 3 -- Prio3Histogram over `selfLR`: the liberal/conservative self-placement.
  {
    const vdaf::Prio3Histogram prio3(kNumShares, kNumLeanings,
                                     vdaf::recommended_chunk_length(kNumLeanings));
    print_task_header(3, "Prio3Histogram", prio3, "where do respondents place themselves?");
    const auto run = run_task(prio3, "Prio3Histogram", rows, repeat,
                              [](const Respondent& r) -> std::uint64_t { return r.self_lr - 1; });

    std::vector<std::uint64_t> plain(kNumLeanings, 0);
    for (const Respondent& r : rows) plain[r.self_lr - 1] += repeat;
    const bool match = run.result.size() == kNumLeanings &&
                       std::equal(plain.begin(), plain.end(), run.result.begin());
    ok = match && ok;
    std::printf("  result    %-24s %9s %9s\n", "selfLR", "private", "plain");
    std::uint64_t largest = 1;
    for (std::uint64_t count : run.result) largest = std::max(largest, count);
    for (std::size_t b = 0; b < kNumLeanings && b < run.result.size(); ++b) {
      const std::string bar(static_cast<std::size_t>(run.result[b] * 40 / largest), '#');
      std::printf("            %zu %-22s %9llu %9llu  %s\n", b + 1, kLeaningNames[b],
                  ull(run.result[b]), ull(plain[b]), bar.c_str());
    }
    std::printf("            %s\n", match ? "MATCH" : "MISMATCH");
    ok = print_run(run) && ok;
  }

  std::printf("\n%s\n", ok ? "OK: every private result matches the plain-text result, and exactly"
                             " the tampered reports were rejected."
                           : "FAILED: see above.");
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::optional<Options> options = parse_args(argc, argv);
  if (!options) return 2;
  if (options->help) {
    print_usage(stdout);
    return 0;
  }
  try {
    return run_demo(*options);
  } catch (const vdaf::error& e) {
    std::fprintf(stderr, "prio3_demo: unexpected %s\n", describe(e).c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "prio3_demo: %s\n", e.what());
    return 2;
  }
}
