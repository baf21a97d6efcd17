// heavy_hitters: the most frequent words of a text, found with Poplar1 (draft-irtf-cfrg-vdaf-20
// §8) without any server seeing a word.
//
// Every word occurrence of a text (default: the GNU GPL version 3 that every Debian system
// ships in /usr/share/common-licenses/GPL-3) is one client. A client encodes its word as a
// string of BITS bits (5 bits per letter) and splits it into two IDPF keys, one for the leader
// aggregator and one for the helper. Neither aggregator alone learns anything about the word.
// Together they can count, for any list of prefixes the collector asks about, how many clients hold
// each prefix, and they check with Poplar1's sketch that every report adds exactly one (or zero) to
// the list.
//
// The collector walks the prefix tree one bit (one level) at a time: it asks for the counts of
// the two children of every prefix that was heavy at the previous level (at least THRESHOLD
// clients) and keeps the heavy ones. At the last level the heavy prefixes are the heavy words.
// Each level is a new aggregation parameter, which both aggregators check with `is_valid`
// against the earlier ones; each report is verified once per level. The aggregators keep, per
// report, the IDPF nodes they computed at earlier levels (Poplar1::EvalCache, handed to the
// ping-pong steps), so a level costs one IDPF step per prefix asked about instead of a walk from
// the root.
//
// The leader and the helper run in two threads, as if on two servers, and exchange nothing but
// encoded ping-pong messages (§5.7.1): two round trips per report and level. A few tampered
// reports are mixed in; all must be rejected.
// The program exits with 0 only if the counts at every level equal the counts computed in the
// clear from the text and exactly the tampered reports were rejected.
//
// Usage: heavy_hitters [--threshold N] [--letters N] [TEXT]

#include <sys/resource.h>  // getrusage (peak memory)
#include <unistd.h>        // isatty

#include <algorithm>
#include <array>
#include <barrier>
#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <exception>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include <vdaf/poplar1.hpp>
#include <vdaf/topology/ping_pong.hpp>

namespace {

using Clock = std::chrono::steady_clock;
using Seconds = std::chrono::duration<double>;
using vdaf::BitString;
using vdaf::Bytes;
using vdaf::ByteSpan;

constexpr std::size_t kLeader = 0;  // agg_id of the leader
constexpr std::size_t kHelper = 1;  // agg_id of the helper

constexpr const char* kDefaultText = "/usr/share/common-licenses/GPL-3";
constexpr std::uint64_t kDefaultThreshold = 70;
constexpr std::size_t kDefaultLetters = 6;
constexpr std::size_t kMaxLetters = 12;  // BITS = 60: prefixes fit in a std::uint64_t

// The application context string (the spec's `ctx`): binds every report to this application.
Bytes application_context() {
  constexpr std::string_view kCtx = "vdaf-cpp examples/heavy_hitters";
  return Bytes(kCtx.begin(), kCtx.end());
}

// ---------------------------------------------------------------------------------------------
// The data: words, and how a word becomes a Poplar1 measurement.
// ---------------------------------------------------------------------------------------------

// Every maximal run of ASCII letters in the file, lowercased ("GPL-3" gives "gpl", "don't"
// gives "don" and "t"). Throws std::runtime_error if the file cannot be read or has no words.
std::vector<std::string> load_words(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot open " + path +
                             " (give the path of any text file as the last argument)");
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> words;
  std::string word;
  for (char ch : text) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    if (ch >= 'a' && ch <= 'z') {
      word.push_back(ch);
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  if (words.empty())
    throw std::runtime_error(path + ": no words (runs of letters a-z) in the file");
  return words;
}

// A word is encoded with 5 bits per letter, 'a' = 1 ... 'z' = 26, and 0 for "no more letters":
// the first `letters` letters of the word, zero-padded to BITS = 5 * letters bits, most
// significant bit first. Codes 27-31 never occur and a 0 is only ever followed by 0s; the
// collector uses this to skip prefixes no client can hold. (8-bit ASCII would need 8 bits
// per letter, hence 60 % more levels, for the same words.)
constexpr std::size_t kBitsPerLetter = 5;
constexpr std::uint64_t kMaxCode = 26;

std::uint64_t encode_word(std::string_view word, std::size_t letters) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < letters; ++i) {
    const std::uint64_t code = i < word.size() ? static_cast<std::uint64_t>(word[i] - 'a' + 1) : 0;
    v = (v << kBitsPerLetter) | code;
  }
  return v;
}

// The `len` low bits of `v`, most significant first: a Poplar1 measurement or prefix.
BitString to_bits(std::uint64_t v, std::size_t len) {
  BitString b(len);
  for (std::size_t i = 0; i < len; ++i) b[i] = ((v >> (len - 1 - i)) & 1) != 0;
  return b;
}

std::uint64_t to_int(const BitString& b) {
  std::uint64_t v = 0;
  for (bool bit : b) v = (v << 1) | (bit ? 1 : 0);
  return v;
}

// The letters of a prefix, as far as they are complete; an incomplete last letter is shown as
// its bits ("th" + "01" -> "th+01").
std::string decode_prefix(const BitString& prefix) {
  std::string out;
  const std::size_t whole = prefix.size() / kBitsPerLetter;
  for (std::size_t i = 0; i < whole; ++i) {
    std::uint64_t code = 0;
    for (std::size_t k = 0; k < kBitsPerLetter; ++k) {
      code = (code << 1) | (prefix[i * kBitsPerLetter + k] ? 1 : 0);
    }
    if (code == 0) return out;  // end of the word
    out.push_back(static_cast<char>('a' + code - 1));
  }
  if (prefix.size() % kBitsPerLetter != 0) {
    out.push_back('+');
    for (std::size_t i = whole * kBitsPerLetter; i < prefix.size(); ++i) {
      out.push_back(prefix[i] ? '1' : '0');
    }
  }
  return out;
}

// True if some encoded word starts with `prefix`: every complete letter code is at most 26, an
// incomplete one can still be completed to at most 26, the first letter is not 0, and after a
// 0 everything is 0.
bool can_start_a_word(const BitString& prefix) {
  bool ended = false;
  for (std::size_t start = 0; start < prefix.size(); start += kBitsPerLetter) {
    const std::size_t n = std::min(kBitsPerLetter, prefix.size() - start);
    std::uint64_t code = 0;
    for (std::size_t k = 0; k < n; ++k) code = (code << 1) | (prefix[start + k] ? 1 : 0);
    const std::uint64_t smallest = code << (kBitsPerLetter - n);  // completed with 0s
    if (ended && code != 0) return false;
    if (smallest > kMaxCode) return false;
    if (n == kBitsPerLetter && code == 0) {
      if (start == 0) return false;  // words have at least one letter
      ended = true;
    }
  }
  return true;
}

using PingPong = vdaf::PingPong<vdaf::Poplar1>;

// ---------------------------------------------------------------------------------------------
// The client: shards one word and uploads the encoded shares.
// ---------------------------------------------------------------------------------------------

// What one client uploads. In DAP each input share would also be encrypted (HPKE) to its
// aggregator; here the byte strings are handed over in memory.
struct Report {
  Bytes nonce;  // 16 random bytes, public (DAP: the report ID)
  Bytes public_share;
  Bytes leader_share;  // encoded input share for agg_id 0
  Bytes helper_share;  // encoded input share for agg_id 1
};

Report client_upload(const vdaf::Poplar1& poplar1, ByteSpan ctx, std::uint64_t encoded_word) {
  // Nonce and sharding randomness come from the OS CSPRNG.
  const vdaf::Poplar1::ShardResult shard =
      poplar1.shard(ctx, to_bits(encoded_word, poplar1.bits()));
  return Report{.nonce = Bytes(shard.nonce.begin(), shard.nonce.end()),
                .public_share = poplar1.encode_public_share(shard.public_share),
                .leader_share = poplar1.encode_input_share(shard.input_shares[kLeader]),
                .helper_share = poplar1.encode_input_share(shard.input_shares[kHelper])};
}

// Tampered reports: what an attacker (or a broken network) might send.
enum class Tamper { kLeaderKeyBitFlip, kPublicShareBitFlip, kSpliced, kTruncated };
constexpr std::array kTampers = {Tamper::kLeaderKeyBitFlip, Tamper::kPublicShareBitFlip,
                                 Tamper::kSpliced, Tamper::kTruncated};

const char* describe(Tamper t) {
  switch (t) {
    case Tamper::kLeaderKeyBitFlip:
      return "a bit flipped in the leader's IDPF key";
    case Tamper::kPublicShareBitFlip:
      return "a bit flipped in the public share";
    case Tamper::kSpliced:
      return "shares of two different reports";
    case Tamper::kTruncated:
      return "helper's share one byte short";
  }
  return "?";
}

Report tampered_report(const vdaf::Poplar1& poplar1, ByteSpan ctx, std::uint64_t encoded_word,
                       Tamper t) {
  Report report = client_upload(poplar1, ctx, encoded_word);
  switch (t) {
    case Tamper::kLeaderKeyBitFlip:
      report.leader_share[3] ^= 0x20;  // the input share starts with the 16-byte IDPF key
      break;
    case Tamper::kPublicShareBitFlip:
      // The first byte of level 0's seed correction word, after the packed control bits.
      report.public_share[(2 * poplar1.bits() + 7) / 8] ^= 0x10;
      break;
    case Tamper::kSpliced:
      // Both halves are honest shares of the same word, but of two different reports: their
      // IDPF keys do not fit together.
      report.helper_share = client_upload(poplar1, ctx, encoded_word).helper_share;
      break;
    case Tamper::kTruncated:
      report.helper_share.pop_back();
      break;
  }
  return report;
}

// ---------------------------------------------------------------------------------------------
// An aggregator (the leader or the helper). It receives every report once and keeps it, decoded,
// for all levels; per level it checks the aggregation parameter, verifies every report with the
// other aggregator through ping-pong messages and adds up the output shares of the valid ones.
// ---------------------------------------------------------------------------------------------

class Aggregator {
 public:
  Aggregator(std::size_t bits, std::size_t agg_id, ByteSpan verify_key, ByteSpan ctx)
      : poplar1_(bits),
        agg_id_(agg_id),
        verify_key_(verify_key.begin(), verify_key.end()),
        ctx_(ctx.begin(), ctx.end()) {}

  // Upload: decodes the public share and this aggregator's own input share, once. Returns the
  // error message if they do not decode (the report is then rejected for good).
  std::optional<std::string> receive(const Report& report) {
    Stored& s = reports_.emplace_back();
    s.nonce = report.nonce;
    try {
      s.public_share = poplar1_.decode_public_share(report.public_share);
      s.input_share = poplar1_.decode_input_share(
          agg_id_, agg_id_ == kLeader ? report.leader_share : report.helper_share);
      s.active = true;
      return std::nullopt;
    } catch (const vdaf::error& e) {
      return std::string(e.what());
    }
  }

  // A new level: decodes the collector's aggregation parameter and checks it against the
  // earlier ones (§8.2.3). Throws std::runtime_error if it is not valid.
  void begin_level(ByteSpan encoded_agg_param) {
    vdaf::Poplar1::AggParam agg_param = poplar1_.decode_agg_param(encoded_agg_param);
    if (!poplar1_.is_valid(agg_param, previous_)) {
      throw std::runtime_error("aggregator " + std::to_string(agg_id_) +
                               ": the aggregation parameter for level " +
                               std::to_string(agg_param.level) + " is not valid");
    }
    previous_.push_back(agg_param);
    agg_share_ = poplar1_.agg_init(agg_param);
    ping_pong_.emplace(poplar1_, verify_key_, ctx_, std::move(agg_param));
  }

  bool active(std::size_t i) const { return reports_[i].active; }

  // The ping-pong steps for report i (§5.7.1). Each returns the encoded message to send to the
  // other aggregator, or nothing if this aggregator rejected the report or is done with it.
  // Leader, request 1: starts verifying the report.
  Bytes leader_initialized(std::size_t i) {
    Stored& s = reports_[i];
    s.state = ping_pong_->leader_initialized(s.nonce, s.public_share, s.input_share, s.cache);
    return outbound(s);
  }
  // Helper, on request 1: starts verifying the report and answers.
  Bytes helper_initialized(std::size_t i, ByteSpan inbound) {
    Stored& s = reports_[i];
    s.state =
        ping_pong_->helper_initialized(s.nonce, s.public_share, s.input_share, inbound, s.cache);
    return outbound(s);
  }
  // Either aggregator, on the other's message: the next step.
  Bytes continued(std::size_t i, ByteSpan inbound) {
    Stored& s = reports_[i];
    s.state = agg_id_ == kLeader ? ping_pong_->leader_continued(*s.state, inbound)
                                 : ping_pong_->helper_continued(*s.state, inbound);
    return outbound(s);
  }

  bool finished(std::size_t i) const {
    const Stored& s = reports_[i];
    return s.state && PingPong::is_finished(*s.state);
  }
  // Why report i was rejected at this level (empty if it was not).
  std::string rejection(std::size_t i) const {
    const Stored& s = reports_[i];
    const auto* r = s.state ? std::get_if<PingPong::Rejected>(&*s.state) : nullptr;
    return r == nullptr ? std::string() : r->reason;
  }

  // Both aggregators finished report i: its output share goes into the aggregate share.
  void commit(std::size_t i) {
    Stored& s = reports_[i];
    poplar1_.agg_update(ping_pong_->agg_param(), *agg_share_, *PingPong::out_share(*s.state));
    s.state.reset();
  }
  // Report i was rejected (by either aggregator): it is dropped, for this and later levels.
  void drop(std::size_t i) {
    Stored& s = reports_[i];
    s.active = false;
    s.state.reset();
    s.input_share = vdaf::Poplar1::InputShare{};  // wipes the keys
    s.cache.clear();                              // and the IDPF nodes
  }

  // End of the level: the aggregate share, encoded for the collector.
  Bytes end_level() {
    Bytes out = poplar1_.encode_agg_share(*agg_share_);
    agg_share_.reset();
    ping_pong_.reset();
    return out;
  }

  // IDPF nodes held in the caches of all reports.
  std::size_t cached_idpf_nodes() const {
    std::size_t n = 0;
    for (const Stored& s : reports_) n += s.cache.size();
    return n;
  }

 private:
  struct Stored {
    Bytes nonce;
    vdaf::Poplar1::PublicShare public_share;
    vdaf::Poplar1::InputShare input_share;
    // The IDPF nodes of this report at the last level (secret; wiped). Bound to this report and
    // aggregator by its first use: ping-pong refuses it for any other.
    vdaf::Poplar1::EvalCache cache;
    bool active = false;
    std::optional<PingPong::State> state;  // during a level
  };

  static Bytes outbound(const Stored& s) {
    const Bytes* out = PingPong::outbound(*s.state);
    return out == nullptr ? Bytes() : *out;
  }

  vdaf::Poplar1 poplar1_;
  std::size_t agg_id_;
  vdaf::SecretBytes verify_key_;
  Bytes ctx_;
  std::vector<Stored> reports_;
  std::vector<vdaf::Poplar1::AggParam> previous_;  // aggregation parameters used so far
  std::optional<PingPong> ping_pong_;              // during a level
  std::optional<vdaf::Poplar1::AggShare> agg_share_;
};

// What travels between the aggregators for one report at one level. In DAP these are the bodies
// of the leader's two requests to the helper and of the helper's responses.
struct Wire {
  Bytes initialize;              // request 1, leader -> helper: ping-pong `initialize`
  Bytes reply;                   // response 1, helper -> leader: `continue`
  Bytes finish;                  // request 2, leader -> helper: `finish`
  bool helper_finished = false;  // response 2: the helper has aggregated the report
  std::string helper_error;      // ... or why it rejected it
};

// Verifies every active report at the current level and aggregates the valid ones. The leader
// (this thread) and the helper (a second thread, as if on another server) work through the
// reports in chunks, as a pipeline of four steps:
//
//   step  leader (this thread)                  helper (second thread)
//   t     request 1 for chunk t                 response 1 for chunk t-1
//         request 2 for chunk t-2               finish chunk t-3
//         aggregate or drop chunk t-4
//
// They share nothing but `wire`; the barrier at the end of each step stands in for the network.
// Calls `on_rejected(i, why)` and `on_progress(done)` on this thread. Returns the bytes the
// aggregators exchanged, in total.
template <class OnRejected, class OnProgress>
std::size_t verify_level(Aggregator& leader, Aggregator& helper, std::size_t num_reports,
                         OnRejected on_rejected, OnProgress on_progress) {
  constexpr std::size_t kChunk = 32;
  const std::size_t chunks = (num_reports + kChunk - 1) / kChunk;
  const std::size_t steps = chunks + 4;
  std::vector<Wire> wire(num_reports);
  // Runs `fn(i)` for the reports of chunk `step - lag`, if there is one.
  auto for_chunk = [&](std::size_t step, std::size_t lag, auto&& fn) {
    if (step < lag || step - lag >= chunks) return;
    const std::size_t begin = (step - lag) * kChunk;
    for (std::size_t i = begin; i < std::min(begin + kChunk, num_reports); ++i) fn(i);
  };
  std::barrier network(2);
  std::exception_ptr helper_failure, leader_failure;  // e.g. std::bad_alloc

  std::thread helper_thread([&] {
    for (std::size_t step = 0; step < steps; ++step) {
      try {
        if (!helper_failure) {
          for_chunk(step, 1, [&](std::size_t i) {
            Wire& w = wire[i];
            if (!w.initialize.empty()) w.reply = helper.helper_initialized(i, w.initialize);
          });
          for_chunk(step, 3, [&](std::size_t i) {
            if (!helper.active(i)) return;
            Wire& w = wire[i];
            if (!w.finish.empty()) helper.continued(i, w.finish);
            w.helper_finished = helper.finished(i);
            if (w.helper_finished) {
              helper.commit(i);
            } else {  // rejected here, or the leader stopped (it rejected the report)
              w.helper_error = helper.rejection(i);
              helper.drop(i);
            }
          });
        }
      } catch (...) {
        helper_failure = std::current_exception();
      }
      network.arrive_and_wait();
    }
  });

  std::size_t traffic = 0;
  for (std::size_t step = 0; step < steps; ++step) {
    try {
      if (!leader_failure) {
        for_chunk(step, 0, [&](std::size_t i) {
          if (leader.active(i)) wire[i].initialize = leader.leader_initialized(i);
        });
        for_chunk(step, 2, [&](std::size_t i) {
          Wire& w = wire[i];
          if (!w.reply.empty()) w.finish = leader.continued(i, w.reply);
        });
        for_chunk(step, 4, [&](std::size_t i) {
          if (!leader.active(i)) return;
          const Wire& w = wire[i];
          traffic += w.initialize.size() + w.reply.size() + w.finish.size();
          if (leader.finished(i) && w.helper_finished) {
            leader.commit(i);
          } else {
            std::string why = leader.rejection(i);
            if (why.empty()) why = w.helper_error;
            if (why.empty()) why = "verification did not finish";
            leader.drop(i);
            on_rejected(i, why);
          }
        });
        on_progress(std::min((step + 1) * kChunk, num_reports));
      }
    } catch (...) {
      leader_failure = std::current_exception();
    }
    network.arrive_and_wait();
  }
  helper_thread.join();
  if (leader_failure) std::rethrow_exception(leader_failure);
  if (helper_failure) std::rethrow_exception(helper_failure);
  return traffic;
}

// ---------------------------------------------------------------------------------------------
// Progress bar: drawn on stdout only if it is a terminal, and only once a level has run for more
// than a second, so short runs and redirected output show no bar at all.
// ---------------------------------------------------------------------------------------------

class ProgressBar {
 public:
  ProgressBar(std::string label, std::uint64_t total)
      : label_(std::move(label)), total_(total), enabled_(isatty(fileno(stdout)) != 0) {}
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  ~ProgressBar() { clear(); }

  void update(std::uint64_t done) {
    if (!enabled_ || total_ == 0 || done % 64 != 0) return;  // the clock every 64 reports only
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
// Command line.
// ---------------------------------------------------------------------------------------------

unsigned long long ull(std::uint64_t x) { return static_cast<unsigned long long>(x); }

struct Options {
  std::string text_path = kDefaultText;
  std::uint64_t threshold = kDefaultThreshold;
  std::size_t letters = kDefaultLetters;
  bool help = false;
};

void print_usage(std::FILE* out) {
  std::fprintf(out,
               "Usage: heavy_hitters [--threshold N] [--letters N] [TEXT]\n"
               "\n"
               "Finds the words that at least N clients hold, with Poplar1\n"
               "(draft-irtf-cfrg-vdaf-20): one client per word occurrence of TEXT, a leader and\n"
               "a helper aggregator that exchange only ping-pong messages, and a collector that\n"
               "walks the prefix tree; checks every count against the plain-text count.\n"
               "\n"
               "  TEXT           any text file; words are runs of letters a-z, lowercased\n"
               "                 (default: %s)\n"
               "  --threshold N  a word is heavy if at least N clients hold it (default %llu)\n"
               "  --letters N    letters of a word that are kept, 1-%zu; BITS = 5 * N\n"
               "                 (default %zu)\n"
               "  --help         show this help\n"
               "\n"
               "Exit status: 0 if all counts match and exactly the tampered reports were\n"
               "rejected, 1 if not, 2 on bad arguments or an unreadable text.\n",
               kDefaultText, ull(kDefaultThreshold), kMaxLetters, kDefaultLetters);
}

// Parses "--name N", "--name=N"; returns false after printing why if the value is bad.
bool parse_number(int argc, char** argv, int& i, std::string_view name, std::uint64_t lo,
                  std::uint64_t hi, std::uint64_t& value) {
  std::string_view v = std::string_view(argv[i]).substr(name.size());
  if (v.empty() && i + 1 < argc) v = argv[++i];
  if (v.starts_with("=")) v.remove_prefix(1);
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (v.empty() || ec != std::errc{} || end != v.data() + v.size() || value < lo || value > hi) {
    std::fprintf(stderr, "heavy_hitters: %s needs an integer from %llu to %llu\n",
                 std::string(name).c_str(), ull(lo), ull(hi));
    return false;
  }
  return true;
}

std::optional<Options> parse_args(int argc, char** argv) {
  Options options;
  bool have_path = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto is_option = [&](std::string_view name) {
      return arg == name || (arg.starts_with(name) && arg.substr(name.size()).starts_with("="));
    };
    if (arg == "--help" || arg == "-h") {
      options.help = true;
    } else if (is_option("--threshold")) {
      if (!parse_number(argc, argv, i, "--threshold", 1, 1'000'000'000, options.threshold)) {
        return std::nullopt;
      }
    } else if (is_option("--letters")) {
      std::uint64_t letters = 0;
      if (!parse_number(argc, argv, i, "--letters", 1, kMaxLetters, letters)) return std::nullopt;
      options.letters = static_cast<std::size_t>(letters);
    } else if (!arg.starts_with("-") && !have_path) {
      options.text_path = std::string(arg);
      have_path = true;
    } else {
      std::fprintf(stderr, "heavy_hitters: unexpected argument '%s'\n\n", argv[i]);
      print_usage(stderr);
      return std::nullopt;
    }
  }
  return options;
}

// ---------------------------------------------------------------------------------------------
// The run: clients, both aggregators and the collector.
// ---------------------------------------------------------------------------------------------

double per_second(std::uint64_t n, Seconds t) {
  return t.count() > 0 ? static_cast<double>(n) / t.count() : 0.0;
}

// Plain-text counts of every prefix of length `len` (computed in the clear, for comparison).
std::map<std::uint64_t, std::uint64_t> plain_prefix_counts(const std::vector<std::uint64_t>& values,
                                                           std::size_t bits, std::size_t len) {
  std::map<std::uint64_t, std::uint64_t> counts;
  for (std::uint64_t v : values) ++counts[v >> (bits - len)];
  return counts;
}

std::string join_words(const std::vector<std::string>& words, std::size_t width) {
  std::string out;
  for (const std::string& w : words) {
    if (out.size() + w.size() + 1 > width) return out + " ...";
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

double peak_memory_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

int run_demo(const Options& options) {
  const std::vector<std::string> words = load_words(options.text_path);
  const std::size_t letters = options.letters;
  const std::size_t bits = kBitsPerLetter * letters;
  const std::uint64_t threshold = options.threshold;
  const Bytes ctx = application_context();

  // What the clients hold, and the plain-text answer to compare with.
  std::vector<std::uint64_t> values;  // encoded words, one per client
  std::map<std::string, std::uint64_t> distinct;
  std::size_t truncated = 0;
  for (const std::string& w : words) {
    values.push_back(encode_word(w, letters));
    ++distinct[w];
    if (w.size() > letters) ++truncated;
  }
  const std::uint64_t num_honest = values.size();

  std::printf("vdaf-cpp heavy hitters demo (draft-irtf-cfrg-vdaf-20, Poplar1): frequent words\n");
  std::printf("  text       %s: %llu words, %zu distinct\n", options.text_path.c_str(),
              ull(num_honest), distinct.size());
  std::printf(
      "  encoding   5 bits per letter (a=1 ... z=26, 0 = end), the first %zu letters:"
      " BITS = %zu\n"
      "             (%zu words longer than %zu letters are cut to their first %zu)\n",
      letters, bits, truncated, letters, letters);
  std::printf("  threshold  a word is heavy if at least %llu clients hold it\n", ull(threshold));
  std::printf(
      "  parties    %llu clients (one per word) + %zu tampered reports -> leader (agg_id 0)\n"
      "             <-> helper (agg_id 1) -> collector; the aggregators run in two threads,\n"
      "             exchange only ping-pong messages and share a random verify key\n",
      ull(num_honest), kTampers.size());

  vdaf::SecretBytes verify_key(vdaf::Poplar1::VERIFY_KEY_SIZE);
  vdaf::random_bytes(verify_key);
  Aggregator leader(bits, kLeader, verify_key, ctx);
  Aggregator helper(bits, kHelper, verify_key, ctx);

  // --- Clients: shard and upload. Tampered reports are spread among the honest ones. ---------
  bool ok = true;
  std::vector<std::string> tampered;    // per report: what was done to it ("" if honest)
  std::vector<std::string> rejections;  // one line per rejected report
  std::uint64_t rejected_honest = 0, rejected_tampered = 0;
  auto note_rejection = [&](std::size_t i, const std::string& why) {
    const bool honest = tampered[i].empty();
    (honest ? rejected_honest : rejected_tampered) += 1;
    rejections.push_back((honest ? "honest report " + std::to_string(i) : tampered[i]) + " -> " +
                         why);
  };
  Seconds client_time{}, upload_time{};
  std::size_t upload_bytes = 0;
  {
    const vdaf::Poplar1 client_poplar1(bits);
    ProgressBar progress("clients", num_honest);
    std::size_t next_tamper = 0;
    for (std::uint64_t i = 0; i < num_honest; ++i) {
      const Clock::time_point t0 = Clock::now();
      std::vector<std::pair<Report, std::string>> uploads;  // (report, what was tampered)
      uploads.emplace_back(client_upload(client_poplar1, ctx, values[i]), "");
      client_time += Clock::now() - t0;
      while (next_tamper < kTampers.size() &&
             i + 1 >= (next_tamper + 1) * num_honest / (kTampers.size() + 1)) {
        const Tamper t = kTampers[next_tamper++];
        uploads.emplace_back(tampered_report(client_poplar1, ctx, values[i], t), describe(t));
      }
      for (const auto& [report, what] : uploads) {
        if (upload_bytes == 0) {
          upload_bytes = report.nonce.size() + report.public_share.size() +
                         report.leader_share.size() + report.helper_share.size();
        }
        // Each aggregator receives the public share and its own input share.
        const Clock::time_point t1 = Clock::now();
        const std::size_t index = tampered.size();
        tampered.push_back(what);
        const std::optional<std::string> l = leader.receive(report);
        const std::optional<std::string> h = helper.receive(report);
        upload_time += Clock::now() - t1;
        if (l || h) {
          note_rejection(index, std::string("rejected at upload by the ") +
                                    (l ? "leader: " + *l : "helper: " + *h));
          leader.drop(index);
          helper.drop(index);
        }
      }
      progress.update(i + 1);
    }
  }
  const std::size_t num_reports = tampered.size();
  std::printf(
      "\nClients: %llu words sharded in %.2f s (%.0f reports/s), %zu bytes uploaded per report\n"
      "  (nonce, public share, two input shares); received and decoded by the aggregators in"
      " %.2f s\n",
      ull(num_honest), client_time.count(), per_second(num_honest, client_time), upload_bytes,
      upload_time.count());

  // --- The collector walks the prefix tree, level by level. ----------------------------------
  std::printf(
      "\nPrefix-tree walk: at each level the collector asks for the children of the prefixes\n"
      "kept at the previous level; a prefix is kept if at least %llu clients hold it.\n",
      ull(threshold));
  std::printf("  %5s %8s %5s %8s %10s %7s  %s\n", "level", "prefixes", "kept", "time", "reports/s",
              "bytes", "kept prefixes (at the end of each letter)");

  const vdaf::Poplar1 collector_poplar1(bits);
  std::vector<BitString> kept = {BitString{}};  // heavy prefixes of the previous level
  std::vector<std::uint64_t> kept_counts;
  Seconds walk_time{};
  const std::clock_t walk_cpu_start = std::clock();  // CPU time of both threads
  std::uint64_t verified = 0;                        // reports x levels
  bool counts_match = true;
  std::size_t levels_done = 0;
  for (std::size_t level = 0; level < bits; ++level) {
    // Candidates: the children of every kept prefix that some encoded word can start with.
    vdaf::Poplar1::AggParam agg_param;
    agg_param.level = static_cast<std::uint16_t>(level);
    for (const BitString& parent : kept) {
      for (bool bit : {false, true}) {
        BitString child = parent;
        child.push_back(bit);
        if (can_start_a_word(child)) agg_param.prefixes.push_back(std::move(child));
      }
    }
    if (agg_param.prefixes.empty()) break;  // nothing is heavy
    const Bytes encoded_agg_param = collector_poplar1.encode_agg_param(agg_param);

    const Clock::time_point t0 = Clock::now();
    leader.begin_level(encoded_agg_param);
    helper.begin_level(encoded_agg_param);
    std::size_t active = 0;
    for (std::size_t i = 0; i < num_reports; ++i) active += leader.active(i) ? 1 : 0;
    std::size_t traffic = 0;
    {
      ProgressBar progress("level " + std::to_string(level) + "/" + std::to_string(bits - 1),
                           num_reports);
      traffic = verify_level(
          leader, helper, num_reports,
          [&](std::size_t i, const std::string& why) {
            note_rejection(i, "rejected at level " + std::to_string(level) + ": " + why);
          },
          [&](std::size_t done) { progress.update(done); });
    }
    verified += active;
    const Bytes leader_agg_share = leader.end_level();
    const Bytes helper_agg_share = helper.end_level();
    const Seconds level_time = Clock::now() - t0;
    walk_time += level_time;

    // The collector: unshards the two aggregate shares and keeps the heavy prefixes.
    const std::array<vdaf::Poplar1::AggShare, 2> agg_shares = {
        collector_poplar1.decode_agg_share(agg_param, leader_agg_share),
        collector_poplar1.decode_agg_share(agg_param, helper_agg_share)};
    const vdaf::Poplar1::AggResult counts =
        collector_poplar1.unshard(agg_param, agg_shares, num_honest);
    const auto plain = plain_prefix_counts(values, bits, level + 1);
    kept.clear();
    kept_counts.clear();
    for (std::size_t k = 0; k < agg_param.prefixes.size(); ++k) {
      const auto it = plain.find(to_int(agg_param.prefixes[k]));
      const std::uint64_t expected = it == plain.end() ? 0 : it->second;
      if (counts[k] != expected) {
        counts_match = false;
        std::printf("  MISMATCH at level %zu, prefix %s: private count %llu, plain text %llu\n",
                    level, decode_prefix(agg_param.prefixes[k]).c_str(), ull(counts[k]),
                    ull(expected));
      }
      if (counts[k] >= threshold) {
        kept.push_back(agg_param.prefixes[k]);
        kept_counts.push_back(counts[k]);
      }
    }
    std::string shown;
    if ((level + 1) % kBitsPerLetter == 0) {
      std::vector<std::string> names;
      for (const BitString& p : kept) names.push_back(decode_prefix(p));
      shown = join_words(names, 44);
    }
    std::printf("  %5zu %8zu %5zu %7.2fs %10.0f %7zu  %s\n", level, agg_param.prefixes.size(),
                kept.size(), level_time.count(), per_second(active, level_time),
                active == 0 ? 0 : traffic / active, shown.c_str());
    std::fflush(stdout);
    levels_done = level + 1;
    if (kept.empty()) break;
  }
  const bool reached_leaf = levels_done == bits;
  const double walk_cpu =
      static_cast<double>(std::clock() - walk_cpu_start) / static_cast<double>(CLOCKS_PER_SEC);

  // --- Results. --------------------------------------------------------------------------------
  std::vector<std::pair<std::uint64_t, std::string>> plain_heavy;  // (count, word)
  for (const auto& [value, count] : plain_prefix_counts(values, bits, bits)) {
    if (count >= threshold) plain_heavy.emplace_back(count, decode_prefix(to_bits(value, bits)));
  }
  std::map<std::string, std::uint64_t> plain_by_word;
  for (const auto& [count, word] : plain_heavy) plain_by_word[word] = count;
  std::vector<std::pair<std::uint64_t, std::string>> private_heavy;
  if (reached_leaf) {
    for (std::size_t k = 0; k < kept.size(); ++k) {
      private_heavy.emplace_back(kept_counts[k], decode_prefix(kept[k]));
    }
  }
  auto by_count = [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  };
  std::sort(private_heavy.begin(), private_heavy.end(), by_count);
  std::sort(plain_heavy.begin(), plain_heavy.end(), by_count);
  const bool heavy_match = private_heavy == plain_heavy;

  std::printf("\nHeavy hitters: %zu word(s) held by at least %llu client(s)\n",
              private_heavy.size(), ull(threshold));
  const int width = static_cast<int>(std::max<std::size_t>(letters, 4) + 2);
  if (!private_heavy.empty())
    std::printf("  %-*s %8s %11s\n", width, "word", "private", "plain text");
  for (const auto& [count, word] : private_heavy) {
    const auto it = plain_by_word.find(word);
    const std::string shown = word.size() == letters ? word + "*" : word;
    std::printf("  %-*s %8llu %11llu\n", width, shown.c_str(), ull(count),
                ull(it == plain_by_word.end() ? 0 : it->second));
  }
  if (std::any_of(private_heavy.begin(), private_heavy.end(),
                  [&](const auto& h) { return h.second.size() == letters; })) {
    std::printf("  (* = these %zu letters, or a longer word that starts with them)\n", letters);
  }
  const bool match = counts_match && heavy_match;
  std::printf("  %s\n", match ? "MATCH: every count, at every level, equals the plain-text count"
                              : "MISMATCH with the plain-text counts");
  ok = match && ok;

  const bool rejections_ok =
      rejected_honest == 0 && rejected_tampered == static_cast<std::uint64_t>(kTampers.size());
  ok = rejections_ok && ok;
  std::printf("\nRejected: %llu report(s) (expected %zu, the tampered ones) %s\n",
              ull(rejected_honest + rejected_tampered), kTampers.size(),
              rejections_ok ? "OK" : "WRONG");
  for (const std::string& line : rejections) std::printf("  %s\n", line.c_str());

  std::printf(
      "\nAggregators: %zu level(s) in %.2f s (leader and helper in two threads, %.2f s of CPU"
      " time):\n"
      "  %.0f report verifications/s; IDPF nodes cached %zu (leader) + %zu (helper); peak"
      " memory %.0f MB\n",
      levels_done, walk_time.count(), walk_cpu, per_second(verified, walk_time),
      leader.cached_idpf_nodes(), helper.cached_idpf_nodes(), peak_memory_mb());

  std::printf("\n%s\n", ok ? "OK: the heavy hitters match the plain-text counts, and exactly the"
                             " tampered reports were rejected."
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
    std::fprintf(stderr, "heavy_hitters: unexpected error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "heavy_hitters: %s\n", e.what());
    return 2;
  }
}
