// vdaf-multiprocess: a DAP-like deployment in separate OS processes that share nothing but
// files. Each invocation runs ONE step of ONE party and exits, as a server handles one HTTP
// request: it reads what it stored earlier from disk, does the step for a whole aggregation job
// with the batch ping-pong API, and writes its new state and its outbound message back to disk.
// The driver script `run` (next to this file) calls the steps in the order the protocol needs.
//
//   vdaf-multiprocess setup           --vdaf V --dir W
//   vdaf-multiprocess client          --vdaf V --dir W --reports N --tampered T --seed S
//   vdaf-multiprocess leader-init     --vdaf V --dir W --job J [--level L]
//   vdaf-multiprocess helper-init     --vdaf V --dir W --job J [--level L]
//   vdaf-multiprocess leader-continue --vdaf V --dir W --job J [--level L]
//   vdaf-multiprocess helper-continue --vdaf V --dir W --job J  --level L   (Poplar1)
//   vdaf-multiprocess leader-finish   --vdaf V --dir W --job J  --level L   (Poplar1)
//   vdaf-multiprocess collect         --vdaf V --dir W [--level L]
//   vdaf-multiprocess jobs            --vdaf V --dir W       (prints the number of jobs)
//
// V is histogram (Prio3Histogram, 20 buckets), sumvec (Prio3SumVec, 10 entries of 0..15) or
// poplar1 (Poplar1, 10-bit values, a heavy-hitters walk one level per collection). The work
// directory W holds:
//
//   task/verify_key            the task's 32-byte verify key (both aggregators; secret)
//   upload/{leader,helper}.bin what the client uploaded to each aggregator: per report the
//                              nonce, the public share and that aggregator's input share
//   plain/                     what the client knows in the clear, for the final check only
//   levels/L/agg_param.bin     the collector's aggregation parameter for collection L
//   net/L/J/{request,response}{1,2}.bin   the messages between leader and helper, per job
//   leader/, helper/           each aggregator's own storage: the ping-pong state of every
//                              report of a job (PingPong::encode_state), Poplar1's IDPF caches
//                              (Poplar1::encode_eval_cache), the aggregation parameters seen, and
//                              the aggregate share of each collection with its report count
//
// Files are sequences of records (4-byte big-endian length, then the bytes), written to a
// temporary name and renamed, so a crash never leaves half a file. Stored states hold secrets
// (output shares, IDPF keys): the files are created with mode 0600.
//
// The collector exits with 0 only if both aggregators counted the same reports, the number of
// reports equals the honest ones (every tampered report rejected), and the unsharded result
// equals the plain result computed from the honest measurements.

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <random>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <vdaf/poplar1.hpp>
#include <vdaf/prio3.hpp>
#include <vdaf/topology/ping_pong.hpp>

namespace {

namespace fs = std::filesystem;
using vdaf::Bytes;
using vdaf::ByteSpan;

constexpr std::size_t kJobSize = 250;           // reports per aggregation job
constexpr std::size_t kPoplarBits = 10;         // Poplar1 measurement length
constexpr std::uint64_t kPoplarThreshold = 25;  // heavy-hitter threshold (reports)
constexpr std::array<std::uint64_t, 4> kPoplarHeavy = {0x2A5, 0x2A4, 0x0F0, 0x1FF};

// ---------------------------------------------------------------------------------------------
// Files of records
// ---------------------------------------------------------------------------------------------

using Records = std::vector<Bytes>;

void put_record(Bytes& out, ByteSpan r) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(r.size() >> s));
  out.insert(out.end(), r.begin(), r.end());
}

/// Writes `data` to `path` atomically (temporary file, then rename), mode 0600.
void write_file(const fs::path& path, ByteSpan data) {
  fs::create_directories(path.parent_path());
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
    out.write(reinterpret_cast<const char*>(data.data()),
              static_cast<std::streamsize>(data.size()));
    if (!out) throw std::runtime_error("write failed: " + tmp.string());
  }
  ::chmod(tmp.c_str(), 0600);
  fs::rename(tmp, path);
}

Bytes read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

template <class Container>
void write_records(const fs::path& path, const std::vector<Container>& records) {
  vdaf::SecretBytes out;  // records may hold secrets: wiped after writing
  for (const auto& r : records) {
    Bytes tmp;
    put_record(tmp, r);
    out.insert(out.end(), tmp.begin(), tmp.end());
    std::fill(tmp.begin(), tmp.end(), std::uint8_t{0});
  }
  write_file(path, out);
}

Records read_records(const fs::path& path) {
  const Bytes data = read_file(path);
  Records out;
  vdaf::Reader r(data, path.c_str());
  while (r.remaining() > 0) {
    const std::uint32_t n = r.be32();
    const ByteSpan b = r.take(n);
    out.emplace_back(b.begin(), b.end());
  }
  return out;
}

Bytes be64(std::uint64_t v) {
  Bytes b(8);
  for (int i = 0; i < 8; ++i)
    b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (56 - 8 * i));
  return b;
}
std::uint64_t from_be64(ByteSpan b) {
  if (b.size() != 8) throw std::runtime_error("bad 64-bit count");
  std::uint64_t v = 0;
  for (std::uint8_t x : b) v = (v << 8) | x;
  return v;
}
Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }
std::string str(ByteSpan b) { return std::string(b.begin(), b.end()); }

// ---------------------------------------------------------------------------------------------
// The task
// ---------------------------------------------------------------------------------------------

struct Options {
  std::string command, vdaf;
  fs::path dir;
  std::size_t reports = 0, tampered = 0, job = 0, level = 0;
  std::uint64_t seed = 1;
};

/// The application context: binds reports to this task (DAP: derived from the task ID).
Bytes task_ctx(const Options& o) { return text("vdaf-cpp examples/multiprocess " + o.vdaf); }

// ---------------------------------------------------------------------------------------------
// Measurements and plain results
// ---------------------------------------------------------------------------------------------

template <class V>
typename V::Measurement random_measurement(const V& v, std::mt19937_64& rng) {
  if constexpr (std::is_same_v<V, vdaf::Poplar1>) {
    // Mostly a few heavy values, the rest spread over all 2^BITS values.
    const std::uint64_t x = rng() % 10 < 6 ? kPoplarHeavy[rng() % kPoplarHeavy.size()]
                                           : rng() % (std::uint64_t{1} << kPoplarBits);
    return vdaf::Poplar1::measurement_from_int(x, v.bits());
  } else if constexpr (std::is_same_v<V, vdaf::Prio3Histogram>) {
    return std::min<std::uint64_t>(rng() % 8 + rng() % 8 + rng() % 5, v.output_len() - 1);
  } else {
    typename V::Measurement m(v.output_len());
    for (auto& x : m) x = rng() % 16;
    return m;
  }
}

std::uint64_t poplar_value(const vdaf::BitString& m) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < m.size(); ++i) v = (v << 1) | (m.test(i) ? 1 : 0);
  return v;
}

/// A line of text for a Prio3 aggregate result (or the plain result of the same shape).
template <class R>
std::string format_result(const R& r) {
  std::ostringstream s;
  for (std::size_t i = 0; i < r.size(); ++i)
    s << (i ? " " : "") << static_cast<std::uint64_t>(r[i]);
  return s.str();
}

// ---------------------------------------------------------------------------------------------
// Client: shards every measurement, tampers with a few reports, uploads the shares.
// ---------------------------------------------------------------------------------------------

enum class Tamper {
  none,
  leader_share_bit,
  public_share_bit,
  spliced_helper,
  truncated_helper,
  helper_seed_bit
};

template <class V>
int client(const V& v, const Options& o) {
  const Bytes ctx = task_ctx(o);
  std::mt19937_64 rng(o.seed);  // the measurements; sharding randomness comes from the OS
  std::vector<typename V::Measurement> meas(o.reports);
  std::vector<Tamper> tamper(o.reports, Tamper::none);
  for (std::size_t k = 0; k < o.tampered && k < o.reports; ++k) {
    tamper[(k * 7919 + 13) % o.reports] = static_cast<Tamper>(1 + k % 5);
  }
  Records leader, helper, plain;
  std::optional<Bytes> spare_helper;  // a helper share of another report, for splicing
  std::size_t honest = 0;
  for (std::size_t i = 0; i < o.reports; ++i) {
    meas[i] = random_measurement(v, rng);
    const auto sr = v.shard(ctx, meas[i]);
    Bytes nonce(sr.nonce.begin(), sr.nonce.end());
    Bytes ps = v.encode_public_share(sr.public_share);
    Bytes l = v.encode_input_share(sr.input_shares[0]);
    Bytes h = v.encode_input_share(sr.input_shares[1]);
    switch (tamper[i]) {
      case Tamper::none:
        break;
      case Tamper::leader_share_bit:
        l[5] ^= 0x04;
        break;
      case Tamper::public_share_bit:
        // Prio3: the first byte of the helper's joint-randomness part. Poplar1: the first byte
        // of level 0's seed correction word (after the packed control bits), which every
        // level's evaluation depends on.
        if constexpr (std::is_same_v<V, vdaf::Poplar1>) {
          ps[(2 * v.bits() + 7) / 8] ^= 0x10;
        } else {
          ps[ps.size() / 2] ^= 0x01;
        }
        break;
      case Tamper::spliced_helper:
        if (spare_helper)
          h = *spare_helper;
        else
          h[0] ^= 0x80;
        break;
      case Tamper::truncated_helper:
        h.pop_back();
        break;
      case Tamper::helper_seed_bit:
        h[std::is_same_v<V, vdaf::Poplar1> ? 20 : 3] ^= 0x10;
        break;
    }
    spare_helper = v.encode_input_share(sr.input_shares[1]);
    leader.insert(leader.end(), {nonce, ps, l});
    helper.insert(helper.end(), {nonce, ps, h});
    if (tamper[i] == Tamper::none) {
      ++honest;
      if constexpr (std::is_same_v<V, vdaf::Poplar1>) {
        plain.push_back(be64(poplar_value(meas[i])));
      }
    }
  }
  write_records(o.dir / "upload" / "leader.bin", leader);
  write_records(o.dir / "upload" / "helper.bin", helper);
  if constexpr (!std::is_same_v<V, vdaf::Poplar1>) {
    // The plain aggregate of the honest reports, what the collector must find.
    typename V::AggResult sum{};
    if constexpr (std::is_same_v<V, vdaf::Prio3Histogram>) sum.assign(v.output_len(), 0);
    if constexpr (std::is_same_v<V, vdaf::Prio3SumVec>) sum.assign(v.output_len(), 0);
    for (std::size_t i = 0; i < o.reports; ++i) {
      if (tamper[i] != Tamper::none) continue;
      if constexpr (std::is_same_v<V, vdaf::Prio3Histogram>) {
        sum[meas[i]] += 1;
      } else {
        for (std::size_t k = 0; k < sum.size(); ++k) sum[k] += meas[i][k];
      }
    }
    plain.push_back(text(format_result(sum)));
  }
  write_records(o.dir / "plain" / "expected.bin", plain);
  write_records(o.dir / "plain" / "honest.bin", std::vector<Bytes>{be64(honest)});
  std::printf("client: %zu reports uploaded (%zu tampered)\n", o.reports, o.reports - honest);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Aggregators
// ---------------------------------------------------------------------------------------------

/// One aggregator's view of the uploaded reports of job J: nonce, public share, input share.
struct Upload {
  std::vector<Bytes> nonces, public_shares, input_shares;
};

Upload load_upload(const Options& o, const char* role, std::size_t begin, std::size_t end) {
  const Records r = read_records(o.dir / "upload" / (std::string(role) + ".bin"));
  Upload u;
  for (std::size_t i = begin; i < end && 3 * i + 2 < r.size(); ++i) {
    u.nonces.push_back(r[3 * i]);
    u.public_shares.push_back(r[3 * i + 1]);
    u.input_shares.push_back(r[3 * i + 2]);
  }
  return u;
}

std::size_t num_reports(const Options& o) {
  return read_records(o.dir / "upload" / "leader.bin").size() / 3;
}
std::size_t num_jobs(const Options& o) { return (num_reports(o) + kJobSize - 1) / kJobSize; }

fs::path net(const Options& o, const char* name) {
  return o.dir / "net" / std::to_string(o.level) / std::to_string(o.job) / name;
}
fs::path store(const Options& o, const char* role, const std::string& name) {
  return o.dir / role / ("L" + std::to_string(o.level) + "-J" + std::to_string(o.job) + "-" + name);
}

/// The aggregation parameter of collection o.level, checked against the earlier ones this
/// aggregator has seen (§5.3 is_valid), which it records.
template <class V>
typename V::AggParam agg_param_for(const V& v, const Options& o, const char* role) {
  if constexpr (std::is_same_v<V, vdaf::Poplar1>) {
    const Records recs = read_records(o.dir / "levels" / std::to_string(o.level) / "agg_param.bin");
    auto ap = v.decode_agg_param(recs.at(0));
    const fs::path seen_path = o.dir / role / "agg_params.bin";
    Records seen = fs::exists(seen_path) ? read_records(seen_path) : Records{};
    std::vector<typename V::AggParam> previous;
    bool recorded = false;
    for (const Bytes& b : seen) {
      auto p = v.decode_agg_param(b);
      if (p.level < ap.level) previous.push_back(std::move(p));
      if (p == ap) recorded = true;
    }
    if (!v.is_valid(ap, previous)) {
      throw std::runtime_error(std::string(role) + ": the aggregation parameter of level " +
                               std::to_string(o.level) + " is not valid after the earlier ones");
    }
    if (!recorded) {
      seen.push_back(v.encode_agg_param(ap));
      write_records(seen_path, seen);
    }
    return ap;
  } else {
    (void)v;
    (void)o;
    (void)role;
    return {};
  }
}

/// Adds the output shares of `finished` to this aggregator's aggregate share of the collection
/// (stored with its report count), read-modify-write.
template <class V>
void commit(const V& v, const Options& o, const char* role, const typename V::AggParam& ap,
            const std::vector<const typename V::OutShare*>& finished) {
  const fs::path path = o.dir / role / ("agg-L" + std::to_string(o.level) + ".bin");
  typename V::AggShare agg = v.agg_init(ap);
  std::uint64_t count = 0;
  if (fs::exists(path)) {
    const Records r = read_records(path);
    agg = v.decode_agg_share(ap, r.at(0));
    count = from_be64(r.at(1));
  }
  for (const auto* os : finished) v.agg_update(ap, agg, *os);
  count += finished.size();
  write_records(path, std::vector<Bytes>{v.encode_agg_share(agg), be64(count)});
}

/// "rejected (cause/failure): reason" for a report's log line and the wire.
template <class PP>
std::string describe(const typename PP::State& s) {
  if (const auto* r = std::get_if<typename PP::Rejected>(&s)) {
    std::string c = vdaf::to_string(r->cause);
    if (r->cause == vdaf::RejectCause::verify_error)
      c += std::string("/") + vdaf::to_string(r->failure);
    return "rejected (" + c + "): " + r->reason;
  }
  if (std::holds_alternative<typename PP::Continued>(s)) return "continued";
  return "finished";
}

/// Summary line of a step: counts per outcome.
template <class PP>
void report_step(const char* who, const Options& o, const std::vector<typename PP::State>& states) {
  std::map<std::string, std::size_t> counts;
  for (const auto& s : states) {
    std::string d = describe<PP>(s);
    if (d.rfind("rejected", 0) == 0) d = d.substr(0, d.find(')') + 1);
    ++counts[d];
  }
  std::printf("  %-16s level %zu job %zu: %zu reports:", who, o.level, o.job, states.size());
  for (const auto& [k, n] : counts) std::printf(" %zu %s;", n, k.c_str());
  std::printf("\n");
}

/// Decoded shares of the reports whose public and input shares (of aggregator agg_id) decode,
/// with their indices; the others get a Rejected state (cause decode_error), as the
/// `_encoded` ping-pong steps would give them.
template <class V>
struct DecodedShares {
  std::vector<std::size_t> idx;
  std::vector<typename V::PublicShare> public_shares;
  std::vector<typename V::InputShare> input_shares;
};

template <class PP, class V, class Enc>
DecodedShares<V> decode_shares(const V& v, std::size_t agg_id,
                               const std::vector<Enc>& public_shares,
                               const std::vector<Enc>& input_shares,
                               std::vector<typename PP::State>& states) {
  DecodedShares<V> d;
  for (std::size_t i = 0; i < public_shares.size(); ++i) {
    try {
      auto ps = v.decode_public_share(public_shares[i]);
      auto is = v.decode_input_share(agg_id, input_shares[i]);
      d.public_shares.push_back(std::move(ps));
      d.input_shares.push_back(std::move(is));
      d.idx.push_back(i);
    } catch (const vdaf::decode_error& e) {
      states[i] = typename PP::Rejected{std::string("upload: ") + e.what(),
                                        vdaf::RejectCause::decode_error};
    }
  }
  return d;
}

template <class V>
int leader_init(const V& v, const Options& o, const vdaf::SecretBytes& key) {
  using PP = vdaf::PingPong<V>;
  const auto ap = agg_param_for(v, o, "leader");
  const PP pp(v, key, task_ctx(o), ap);
  const std::size_t n_all = num_reports(o);
  const Upload u =
      load_upload(o, "leader", o.job * kJobSize, std::min(n_all, (o.job + 1) * kJobSize));
  const std::size_t n = u.nonces.size();
  std::vector<ByteSpan> ns(u.nonces.begin(), u.nonces.end());
  std::vector<typename PP::State> states;
  if constexpr (std::is_same_v<V, vdaf::Poplar1>) {
    // The IDPF caches of this job's reports, from the previous level (or new ones).
    const fs::path cache_path = o.dir / "leader" / ("caches-J" + std::to_string(o.job) + ".bin");
    std::vector<vdaf::Poplar1::EvalCache> caches(n);
    if (fs::exists(cache_path)) {
      const Records c = read_records(cache_path);
      for (std::size_t i = 0; i < n && i < c.size(); ++i) caches[i] = v.decode_eval_cache(c[i]);
    }
    // Decode what decodes; the batch then runs on those, with their caches.
    states.resize(n);
    const auto d = decode_shares<PP>(v, 0, u.public_shares, u.input_shares, states);
    std::vector<ByteSpan> dn;
    std::vector<vdaf::Poplar1::EvalCache*> cps;
    for (const std::size_t i : d.idx) {
      dn.push_back(ns[i]);
      cps.push_back(&caches[i]);
    }
    auto got = pp.leader_initialized_batch(dn, d.public_shares, d.input_shares, cps);
    for (std::size_t k = 0; k < d.idx.size(); ++k) states[d.idx[k]] = std::move(got[k]);
    std::vector<vdaf::SecretBytes> enc;
    for (const auto& c : caches) enc.push_back(v.encode_eval_cache(c));
    write_records(cache_path, enc);
  } else {
    std::vector<ByteSpan> pss(u.public_shares.begin(), u.public_shares.end()),
        iss(u.input_shares.begin(), u.input_shares.end());
    states = pp.leader_initialized_encoded_batch(ns, pss, iss);
  }
  // Store every state; send the Continued ones' messages to the helper.
  std::vector<vdaf::SecretBytes> stored;
  Records request;
  for (std::size_t i = 0; i < n; ++i) {
    stored.push_back(pp.encode_state(states[i]));
    if (const Bytes* out = PP::outbound(states[i])) {
      request.push_back(u.nonces[i]);
      request.push_back(*out);
    }
  }
  write_records(store(o, "leader", "states.bin"), stored);
  write_records(net(o, "request1.bin"), request);
  report_step<PP>("leader-init", o, states);
  return 0;
}

template <class V>
int helper_init(const V& v, const Options& o, const vdaf::SecretBytes& key) {
  using PP = vdaf::PingPong<V>;
  const auto ap = agg_param_for(v, o, "helper");
  const PP pp(v, key, task_ctx(o), ap);
  // The helper's own uploads, found by nonce (the report ID).
  const Upload u = load_upload(o, "helper", 0, num_reports(o));
  std::map<std::string, std::size_t> by_nonce;  // keyed by the nonce's bytes
  for (std::size_t i = 0; i < u.nonces.size(); ++i) by_nonce.emplace(str(u.nonces[i]), i);
  const Records req = read_records(net(o, "request1.bin"));
  const std::size_t n = req.size() / 2;
  std::vector<ByteSpan> ns, pss, iss, inbound;
  std::vector<std::size_t> upload_index;
  for (std::size_t k = 0; k < n; ++k) {
    const auto it = by_nonce.find(str(req[2 * k]));
    if (it == by_nonce.end()) throw std::runtime_error("helper: request for an unknown report");
    upload_index.push_back(it->second);
    ns.push_back(u.nonces[it->second]);
    pss.push_back(u.public_shares[it->second]);
    iss.push_back(u.input_shares[it->second]);
    inbound.push_back(req[2 * k + 1]);
  }
  std::vector<typename PP::State> states;
  if constexpr (std::is_same_v<V, vdaf::Poplar1>) {
    // Caches are kept per report of the whole upload (the helper sees jobs as the leader
    // forms them); one file per job, as the leader's.
    const fs::path cache_path = o.dir / "helper" / ("caches-J" + std::to_string(o.job) + ".bin");
    std::map<std::string, vdaf::Poplar1::EvalCache> caches;  // by nonce
    if (fs::exists(cache_path)) {
      const Records c = read_records(cache_path);
      for (std::size_t i = 0; i + 1 < c.size(); i += 2)
        caches.emplace(str(c[i]), v.decode_eval_cache(c[i + 1]));
    }
    states.resize(n);
    const auto d = decode_shares<PP>(v, 1, pss, iss, states);
    std::vector<ByteSpan> dn, in2;
    std::vector<vdaf::Poplar1::EvalCache*> cps;
    for (const std::size_t k : d.idx) {
      dn.push_back(ns[k]);
      in2.push_back(inbound[k]);
      cps.push_back(&caches[str(ns[k])]);
    }
    auto got = pp.helper_initialized_batch(dn, d.public_shares, d.input_shares, in2, cps);
    for (std::size_t j = 0; j < d.idx.size(); ++j) states[d.idx[j]] = std::move(got[j]);
    std::vector<vdaf::SecretBytes> enc;
    for (const auto& [nonce, c] : caches) {
      enc.emplace_back(nonce.begin(), nonce.end());
      enc.push_back(v.encode_eval_cache(c));
    }
    write_records(cache_path, enc);
  } else {
    states = pp.helper_initialized_encoded_batch(ns, pss, iss, inbound);
  }
  // Respond per report; aggregate what finished (Prio3); store what continues (Poplar1).
  Records response;
  std::vector<vdaf::SecretBytes> stored;
  std::vector<const typename V::OutShare*> finished;
  for (std::size_t k = 0; k < n; ++k) {
    response.push_back(req[2 * k]);
    response.push_back(text(describe<PP>(states[k])));
    const Bytes* out = PP::outbound(states[k]);
    response.push_back(out ? *out : Bytes{});
    stored.emplace_back(req[2 * k].begin(), req[2 * k].end());
    stored.push_back(pp.encode_state(states[k]));
    if (const auto* os = PP::out_share(states[k])) finished.push_back(os);
  }
  if (!finished.empty()) commit(v, o, "helper", ap, finished);
  write_records(store(o, "helper", "states.bin"), stored);
  write_records(net(o, "response1.bin"), response);
  report_step<PP>("helper-init", o, states);
  return 0;
}

/// A continue step for the leader (on response1) or the helper (on request2): restores the
/// stored states, steps those with a message from the peer, stores the new states. Returns the
/// states (in the stored order) and the nonces.
template <class V>
int continue_step(const V& v, const Options& o, const vdaf::SecretBytes& key, bool leader) {
  using PP = vdaf::PingPong<V>;
  const char* role = leader ? "leader" : "helper";
  const auto ap = agg_param_for(v, o, role);
  const PP pp(v, key, task_ctx(o), ap);
  const Records stored = read_records(store(o, role, "states.bin"));
  const Records in = read_records(net(o, leader ? "response1.bin" : "request2.bin"));
  // Peer messages by nonce (the leader's response has [nonce, status, outbound] triples, the
  // request to the helper [nonce, outbound] pairs).
  std::map<std::string, std::pair<std::string, Bytes>> peer;  // by nonce
  if (leader) {
    for (std::size_t i = 0; i + 2 < in.size(); i += 3)
      peer[str(in[i])] = {str(in[i + 1]), in[i + 2]};
  } else {
    for (std::size_t i = 0; i + 1 < in.size(); i += 2) peer[str(in[i])] = {"", in[i + 1]};
  }
  // The leader's stored records are states in report order (nonces from the upload); the
  // helper's are [nonce, state] pairs.
  std::vector<Bytes> nonces;
  std::vector<typename PP::State> states;
  if (leader) {
    const std::size_t n_all = num_reports(o);
    const Upload u =
        load_upload(o, "leader", o.job * kJobSize, std::min(n_all, (o.job + 1) * kJobSize));
    nonces = u.nonces;
    for (const Bytes& s : stored) states.push_back(pp.decode_state(s));
  } else {
    for (std::size_t i = 0; i + 1 < stored.size(); i += 2) {
      nonces.push_back(stored[i]);
      states.push_back(pp.decode_state(stored[i + 1]));
    }
  }
  // Step the Continued states that have a message; a report the peer rejected is dropped.
  std::vector<std::size_t> idx;
  std::vector<typename PP::State> sub;
  std::vector<ByteSpan> msgs;
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (!std::holds_alternative<typename PP::Continued>(states[i])) continue;
    const auto it = peer.find(str(nonces[i]));
    if (it == peer.end()) continue;
    if (it->second.second.empty()) {
      states[i] = typename PP::Rejected{std::string("peer: ") + it->second.first,
                                        vdaf::RejectCause::protocol};
      continue;
    }
    idx.push_back(i);
    sub.push_back(std::move(states[i]));
    msgs.push_back(it->second.second);
  }
  auto next = leader ? pp.leader_continued_batch(std::move(sub), msgs)
                     : pp.helper_continued_batch(std::move(sub), msgs);
  for (std::size_t k = 0; k < idx.size(); ++k) states[idx[k]] = std::move(next[k]);

  std::vector<vdaf::SecretBytes> out_states;
  Records out_msgs;
  std::vector<const typename V::OutShare*> finished;
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (!leader) out_states.emplace_back(nonces[i].begin(), nonces[i].end());
    out_states.push_back(pp.encode_state(states[i]));
    // Finished: aggregate now. FinishedWithOutbound (the leader in Poplar1's second round):
    // send finish, aggregate once the helper confirms (leader-finish).
    if (std::holds_alternative<typename PP::Finished>(states[i])) {
      finished.push_back(PP::out_share(states[i]));
    }
    if (leader) {
      if (const Bytes* m = PP::outbound(states[i])) {
        out_msgs.push_back(nonces[i]);
        out_msgs.push_back(*m);
      }
    } else {
      out_msgs.push_back(nonces[i]);
      out_msgs.push_back(text(describe<PP>(states[i])));
      out_msgs.push_back(PP::is_finished(states[i]) ? text("finished") : Bytes{});
    }
  }
  if (!finished.empty()) commit(v, o, role, ap, finished);
  write_records(store(o, role, "states.bin"), out_states);
  if (V::ROUNDS > 1) write_records(net(o, leader ? "request2.bin" : "response2.bin"), out_msgs);
  report_step<PP>(leader ? "leader-continue" : "helper-continue", o, states);
  return 0;
}

/// Poplar1's last leader step: aggregates the reports the helper confirmed it finished.
template <class V>
int leader_finish(const V& v, const Options& o, const vdaf::SecretBytes& key) {
  using PP = vdaf::PingPong<V>;
  const auto ap = agg_param_for(v, o, "leader");
  const PP pp(v, key, task_ctx(o), ap);
  const Records stored = read_records(store(o, "leader", "states.bin"));
  const Records resp = read_records(net(o, "response2.bin"));
  std::map<std::string, bool> helper_finished;  // by nonce
  for (std::size_t i = 0; i + 2 < resp.size(); i += 3) {
    helper_finished[str(resp[i])] = !resp[i + 2].empty();
  }
  const std::size_t n_all = num_reports(o);
  const Upload u =
      load_upload(o, "leader", o.job * kJobSize, std::min(n_all, (o.job + 1) * kJobSize));
  std::vector<typename PP::State> states;
  std::vector<const typename V::OutShare*> finished;
  for (std::size_t i = 0; i < stored.size(); ++i) states.push_back(pp.decode_state(stored[i]));
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (!std::holds_alternative<typename PP::FinishedWithOutbound>(states[i])) continue;
    const auto it = helper_finished.find(str(u.nonces[i]));
    if (it != helper_finished.end() && it->second) {
      finished.push_back(PP::out_share(states[i]));
    } else {
      states[i] =
          typename PP::Rejected{"peer: the helper did not finish", vdaf::RejectCause::protocol};
    }
  }
  if (!finished.empty()) commit(v, o, "leader", ap, finished);
  report_step<PP>("leader-finish", o, states);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Collector
// ---------------------------------------------------------------------------------------------

template <class V>
std::pair<typename V::AggShare, std::uint64_t> load_agg(const V& v, const Options& o,
                                                        const char* role,
                                                        const typename V::AggParam& ap) {
  const fs::path path = o.dir / role / ("agg-L" + std::to_string(o.level) + ".bin");
  if (!fs::exists(path)) return {v.agg_init(ap), 0};
  const Records r = read_records(path);
  return {v.decode_agg_share(ap, r.at(0)), from_be64(r.at(1))};
}

template <class V>
int collect(const V& v, const Options& o) {
  typename V::AggParam ap{};
  if constexpr (std::is_same_v<V, vdaf::Poplar1>) {
    ap = v.decode_agg_param(
        read_records(o.dir / "levels" / std::to_string(o.level) / "agg_param.bin").at(0));
  }
  const auto [a0, n0] = load_agg(v, o, "leader", ap);
  const auto [a1, n1] = load_agg(v, o, "helper", ap);
  const std::uint64_t honest = from_be64(read_records(o.dir / "plain" / "honest.bin").at(0));
  bool ok = true;
  std::printf(
      "collector: level %zu: the leader aggregated %llu reports, the helper %llu "
      "(honest reports: %llu)\n",
      o.level, static_cast<unsigned long long>(n0), static_cast<unsigned long long>(n1),
      static_cast<unsigned long long>(honest));
  if (n0 != n1 || n0 != honest) {
    std::printf(
        "  MISMATCH: the report counts differ (a tampered report was accepted, or an "
        "honest one rejected)\n");
    ok = false;
  }
  if (n0 == 0) return 1;
  const std::array<typename V::AggShare, 2> shares = {a0, a1};
  const auto result = v.unshard(ap, shares, n0);
  const Records expected = read_records(o.dir / "plain" / "expected.bin");
  if constexpr (std::is_same_v<V, vdaf::Poplar1>) {
    // Plain counts of the candidate prefixes, from the honest measurements.
    std::printf("  %-14s %10s %10s\n", "prefix", "private", "plain");
    std::vector<vdaf::BitString> next;
    for (std::size_t k = 0; k < ap.prefixes.size(); ++k) {
      std::uint64_t plain = 0;
      for (const Bytes& m : expected) {
        plain += vdaf::Poplar1::measurement_from_int(from_be64(m), kPoplarBits)
                         .starts_with(ap.prefixes[k])
                     ? 1
                     : 0;
      }
      std::string bits;
      for (std::size_t i = 0; i < ap.prefixes[k].size(); ++i)
        bits += ap.prefixes[k].test(i) ? '1' : '0';
      const bool heavy = result[k] >= kPoplarThreshold;
      std::printf("  %-14s %10llu %10llu%s%s\n", bits.c_str(),
                  static_cast<unsigned long long>(result[k]),
                  static_cast<unsigned long long>(plain), heavy ? "  heavy" : "",
                  result[k] == plain ? "" : "  MISMATCH");
      if (result[k] != plain) ok = false;
      if (heavy && o.level + 1 < kPoplarBits) {
        for (bool b : {false, true}) {
          vdaf::BitString c = ap.prefixes[k];
          c.push_back(b);
          next.push_back(c);
        }
      }
    }
    if (o.level + 1 < kPoplarBits && !next.empty()) {
      std::sort(next.begin(), next.end());
      const vdaf::Poplar1::AggParam nap{static_cast<std::uint16_t>(o.level + 1), next};
      write_records(o.dir / "levels" / std::to_string(o.level + 1) / "agg_param.bin",
                    std::vector<Bytes>{v.encode_agg_param(nap)});
    } else if (o.level + 1 == kPoplarBits) {
      std::printf("  heavy hitters (>= %llu reports):",
                  static_cast<unsigned long long>(kPoplarThreshold));
      for (std::size_t k = 0; k < ap.prefixes.size(); ++k) {
        if (result[k] >= kPoplarThreshold) {
          std::printf(" 0x%03llx (%llu)",
                      static_cast<unsigned long long>(poplar_value(ap.prefixes[k])),
                      static_cast<unsigned long long>(result[k]));
        }
      }
      std::printf("\n");
    }
  } else {
    const std::string got = format_result(result), want = str(expected.at(0));
    std::printf("  private result: %s\n  plain result:   %s\n", got.c_str(), want.c_str());
    if (got != want) {
      std::printf("  MISMATCH\n");
      ok = false;
    }
  }
  std::printf("  %s\n", ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

template <class V>
int run(const V& v, const Options& o) {
  if (o.command == "setup") {
    Bytes key(V::VERIFY_KEY_SIZE);
    vdaf::random_bytes(key);
    write_file(o.dir / "task" / "verify_key", key);
    if constexpr (std::is_same_v<V, vdaf::Poplar1>) {
      const vdaf::Poplar1::AggParam ap{0, {vdaf::BitString{false}, vdaf::BitString{true}}};
      write_records(o.dir / "levels" / "0" / "agg_param.bin",
                    std::vector<Bytes>{v.encode_agg_param(ap)});
    }
    return 0;
  }
  if (o.command == "client") return client(v, o);
  if (o.command == "collect") return collect(v, o);
  if (o.command == "jobs") {
    std::printf("%zu\n", num_jobs(o));
    return 0;
  }
  const Bytes k = read_file(o.dir / "task" / "verify_key");
  const vdaf::SecretBytes key(k.begin(), k.end());
  if (o.command == "leader-init") return leader_init(v, o, key);
  if (o.command == "helper-init") return helper_init(v, o, key);
  if (o.command == "leader-continue") return continue_step(v, o, key, true);
  if (o.command == "helper-continue") return continue_step(v, o, key, false);
  if (o.command == "leader-finish") return leader_finish(v, o, key);
  throw std::runtime_error("unknown command " + o.command);
}

Options parse(int argc, char** argv) {
  if (argc < 2) throw std::runtime_error("usage: vdaf-multiprocess COMMAND --vdaf V --dir W ...");
  Options o;
  o.command = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string k = argv[i], val = argv[i + 1];
    if (k == "--vdaf")
      o.vdaf = val;
    else if (k == "--dir")
      o.dir = val;
    else if (k == "--reports")
      o.reports = std::stoul(val);
    else if (k == "--tampered")
      o.tampered = std::stoul(val);
    else if (k == "--job")
      o.job = std::stoul(val);
    else if (k == "--level")
      o.level = std::stoul(val);
    else if (k == "--seed")
      o.seed = std::stoull(val);
    else
      throw std::runtime_error("unknown option " + k);
  }
  if (o.vdaf.empty() || o.dir.empty()) throw std::runtime_error("--vdaf and --dir are required");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parse(argc, argv);
    if (o.vdaf == "histogram") return run(vdaf::Prio3Histogram(2, 20, 4), o);
    if (o.vdaf == "sumvec") return run(vdaf::Prio3SumVec(2, 10, 15, 6), o);
    if (o.vdaf == "poplar1") return run(vdaf::Poplar1(kPoplarBits), o);
    throw std::runtime_error("unknown VDAF " + o.vdaf + " (histogram, sumvec, poplar1)");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vdaf-multiprocess: %s\n", e.what());
    return 2;
  }
}
