// libFuzzer target: the stored-state decoders (core/stored.hpp) on arbitrary bytes, and the steps
// that continue from a decoded state.
//
// Input: byte 0 picks what is decoded: a Prio3 verification state (Count with 2 or 3 aggregators,
// Sum(255), SumVec(10, 1, 3), Histogram(10, 3), MultihotCountVec(10, 2, 3)), a Poplar1
// verification state or IDPF evaluation cache (BITS 1, 8 or 64), or a PingPong state
// (PingPong<Prio3Histogram>, PingPong<Poplar1> at several levels). Byte 1 picks how the stored
// bytes are made:
//   (a) the rest of the input, as given;
//   (b) the correct 14-byte stored header for the instance and kind, then the rest of the input
//       (random bytes never match the 8-byte digest);
//   (c) a valid encoding of a state of an honest report (randomness chosen by the input), then a
//       few input-chosen XORs and a truncation or extension (this reaches the nested decoders).
// Byte 2 and a length-prefixed piece choose the message the continuation step gets (the honest
// next message, the raw piece, or another message of the honest run, for PingPong possibly under
// another message type).
//
// Checked: every decoder throws decode_error or returns a value whose encoding is the input
// (encoders are canonical); an unmodified valid encoding decodes; a header built from the
// documented layout (format, kind, be32 algorithm ID, digest) is the one the encoders write. Then
// from the decoded value: Prio3 and Poplar1 verify_next, verify_init with a decoded EvalCache
// (equal to verify_init without a cache when the cache was not modified), and PingPong
// leader_continued / helper_continued, which never throw and must not reject with internal_error
// or out_of_memory (an unmodified state continued with the honest message must give the state of
// the uninterrupted run). See fuzz_support.hpp for the contract.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "fuzz_measurements.hpp"
#include "fuzz_support.hpp"
#include "vdaf/core/stored.hpp"
#include "vdaf/poplar1.hpp"
#include "vdaf/prio3.hpp"
#include "vdaf/topology/ping_pong.hpp"

namespace {

using vdaf::BitString;
using vdaf::Bytes;
using vdaf::ByteSpan;
using vdaf::Poplar1;
using vdaf::SecretBytes;
using vdaf::StoredKind;

constexpr std::array<std::uint8_t, 32> kVerifyKey{7};
constexpr std::array<std::uint8_t, 4> kCtx{'f', 'u', 'z', 'z'};
constexpr std::size_t kHeaderSize = 14;

enum class Mode { raw, header, honest };

/// What the step after decoding gets: `choice` picks the message, `raw` is the input's own.
struct Continuation {
  std::uint8_t choice = 0;
  ByteSpan raw;
};

/// The instances, built once (a PingPong holds its VDAF by reference).
struct World {
  vdaf::Prio3Count count2{2};
  vdaf::Prio3Count count3{3};
  vdaf::Prio3Sum sum{2, 255};
  vdaf::Prio3SumVec sum_vec{2, 10, 1, 3};
  vdaf::Prio3Histogram histogram{2, 10, 3};
  vdaf::Prio3MultihotCountVec multihot{2, 10, 2, 3};
  Poplar1 poplar1_1{1};
  Poplar1 poplar1_8{8};
  Poplar1 poplar1_64{64};
  vdaf::PingPong<vdaf::Prio3Histogram> pp_histogram{histogram, kVerifyKey, kCtx, {}};
  std::array<vdaf::PingPong<Poplar1>, 4> pp_poplar1{
      vdaf::PingPong<Poplar1>(poplar1_1, kVerifyKey, kCtx, fixed_agg_param(0)),
      vdaf::PingPong<Poplar1>(poplar1_8, kVerifyKey, kCtx, fixed_agg_param(0)),
      vdaf::PingPong<Poplar1>(poplar1_8, kVerifyKey, kCtx, fixed_agg_param(7)),
      vdaf::PingPong<Poplar1>(poplar1_64, kVerifyKey, kCtx, fixed_agg_param(40))};

  /// Poplar1 aggregation parameter at `level`: the all-zero, alternating and all-one prefixes.
  static Poplar1::AggParam fixed_agg_param(std::size_t level) {
    std::vector<BitString> ps;
    for (std::uint64_t x : {std::uint64_t{0}, std::uint64_t{0x5555555555555555}, ~std::uint64_t{0}})
      ps.push_back(Poplar1::measurement_from_int(x, level + 1));
    std::sort(ps.begin(), ps.end());
    ps.erase(std::unique(ps.begin(), ps.end()), ps.end());
    return {static_cast<std::uint16_t>(level), std::move(ps)};
  }
};

const World& world() {
  static const World w;
  return w;
}

/// Fills `out` with bytes derived from one input byte (splitmix64): randomness for shard.
void expand(std::span<std::uint8_t> out, std::uint8_t seed) {
  std::uint64_t x = 0x9e3779b97f4a7c15ULL * (std::uint64_t{seed} + 1), z = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (i % 8 == 0) {
      x += 0x9e3779b97f4a7c15ULL;
      z = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      z ^= z >> 31;
    }
    out[i] = static_cast<std::uint8_t>(z >> (8 * (i % 8)));
  }
}

std::uint64_t u64_of(vdaf_fuzz::Input& in) {
  std::uint64_t x = 0;
  for (int i = 0; i < 8; ++i) x = (x << 8) | in.byte();
  return x;
}

/// The documented 14-byte header: format, kind, be32 algorithm ID, digest.
Bytes stored_header(StoredKind kind, std::uint32_t id, const vdaf::InstanceDigest& digest) {
  Bytes h{vdaf::STORED_FORMAT, static_cast<std::uint8_t>(kind)};
  for (int s = 24; s >= 0; s -= 8) h.push_back(static_cast<std::uint8_t>(id >> s));
  h.insert(h.end(), digest.begin(), digest.end());
  return h;
}

/// The header of the stored states of `pp` (its digest also covers ctx and the aggregation
/// parameter): the first 14 bytes of any state it encodes.
template <class V>
Bytes ping_pong_header(const vdaf::PingPong<V>& pp) {
  using PP = vdaf::PingPong<V>;
  const SecretBytes e = pp.encode_state(typename PP::State(typename PP::Rejected{}));
  if (e.size() < kHeaderSize) vdaf_fuzz::fail("PingPong stored state shorter than its header");
  return Bytes(e.begin(), e.begin() + kHeaderSize);
}

void check_header(const SecretBytes& valid, const Bytes& header, const char* what) {
  if (valid.size() < kHeaderSize || !std::equal(header.begin(), header.end(), valid.begin()))
    vdaf_fuzz::fail(what);
}

/// encode(decode(b)) must give b back (stored encodings are in wiping memory).
void check_stored_round_trip(ByteSpan in, const SecretBytes& out, const char* what) {
  if (out.size() != in.size() || !std::equal(in.begin(), in.end(), out.begin()))
    vdaf_fuzz::fail(what);
}

/// Runs the decoder `f`; when the bytes are an unmodified valid encoding it must not throw.
template <class F>
auto decode_stored(bool pristine, const char* what, F&& f) -> decltype(f()) {
  if (!pristine) return f();
  try {
    return f();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", what, e.what());
    vdaf_fuzz::fail("a valid stored encoding did not decode");
  }
}

/// Modes (a) and (b): the rest of the input, in (b) behind `header`.
Bytes stored_input(Mode mode, const Bytes& header, vdaf_fuzz::Input& in) {
  const ByteSpan rest = in.rest();
  Bytes b = mode == Mode::header ? header : Bytes{};
  b.insert(b.end(), rest.begin(), rest.end());
  return b;
}

/// Mode (c): `valid` with up to 3 input-chosen bytes XORed, then truncated or extended.
Bytes mutated(const SecretBytes& valid, vdaf_fuzz::Input& in) {
  Bytes b(valid.begin(), valid.end());
  for (int k = in.byte() % 4; k > 0; --k) {
    std::size_t pos = in.byte();
    pos |= static_cast<std::size_t>(in.byte()) << 8;
    const std::uint8_t x = in.byte();
    if (!b.empty()) b[pos % b.size()] ^= x == 0 ? std::uint8_t{1} : x;
  }
  switch (in.byte() % 4) {
    case 1:
      b.resize(b.size() - std::min<std::size_t>(b.size(), 1U + in.byte()));
      break;
    case 2: {
      const ByteSpan tail = in.piece();
      b.insert(b.end(), tail.begin(), tail.end());
      break;
    }
    default:
      break;
  }
  return b;
}

/// The message for the step after decoding: the honest next one (`next` indexes `honest`),
/// the input's raw bytes, or another honest message.
ByteSpan pick_message(const Continuation& c, const std::vector<Bytes>& honest,
                      std::optional<std::size_t> next) {
  switch (c.choice % 3) {
    case 0:
      if (next && *next < honest.size()) return honest[*next];
      return c.raw;
    case 1:
      return c.raw;
    default:
      if (honest.empty()) return c.raw;
      return honest[(c.choice / 3U) % honest.size()];
  }
}

/// A valid measurement for `v` from the input.
template <class V>
typename V::Measurement measurement_of([[maybe_unused]] const V& v, vdaf_fuzz::Input& in) {
  if constexpr (std::is_same_v<V, Poplar1>) {
    return Poplar1::measurement_from_int(u64_of(in), v.bits());
  } else {
    return vdaf_fuzz::prio3_measurement_of<V>(in.byte());
  }
}

/// An honest report: the measurement and what shard made of it (nonce and rand from the input).
template <class V>
struct Report {
  typename V::Measurement measurement;
  typename V::ShardResult shard;
};

template <class V>
Report<V> honest_report(const V& v, vdaf_fuzz::Input& in) {
  auto m = measurement_of(v, in);
  std::array<std::uint8_t, 16> nonce{};
  expand(nonce, in.byte());
  Bytes rand(v.rand_size());
  expand(rand, in.byte());
  auto shard = v.shard(kCtx, m, nonce, rand);
  return {std::move(m), std::move(shard)};
}

/// A Poplar1 aggregation parameter from the input: the measurement's prefix at an input-chosen
/// level and up to 3 more prefixes, sorted, without duplicates.
Poplar1::AggParam poplar1_agg_param(const Poplar1& v, const BitString& m, vdaf_fuzz::Input& in) {
  const std::size_t level = in.byte() % v.bits();
  std::vector<BitString> ps{m.prefix(level + 1)};
  for (int k = in.byte() % 4; k > 0; --k) {
    std::array<std::uint8_t, 8> b{};
    expand(b, in.byte());
    std::uint64_t x = 0;
    for (std::uint8_t y : b) x = (x << 8) | y;
    ps.push_back(Poplar1::measurement_from_int(x, level + 1));
  }
  std::sort(ps.begin(), ps.end());
  ps.erase(std::unique(ps.begin(), ps.end()), ps.end());
  return {static_cast<std::uint16_t>(level), std::move(ps)};
}

// --- Prio3 verification states --------------------------------------------------

template <class V>
void fuzz_prio3(const V& v, Mode mode, const Continuation& c, vdaf_fuzz::Input& in) {
  const Bytes header = stored_header(StoredKind::prio3_verify_state, v.id(), v.instance_digest());
  std::vector<Bytes> honest;  // the honest verifier message (mode c)
  Bytes bytes;
  bool pristine = false;
  if (mode == Mode::honest) {
    const auto r = honest_report(v, in);
    std::vector<typename V::VerifyState> states;
    std::vector<typename V::VerifierShare> vss;
    for (std::size_t j = 0; j < v.shares(); ++j) {
      auto [st, vs] = v.verify_init(kVerifyKey, kCtx, j, {}, r.shard.nonce, r.shard.public_share,
                                    r.shard.input_shares[j]);
      states.push_back(std::move(st));
      vss.push_back(std::move(vs));
    }
    honest.push_back(v.encode_verifier_message(v.verifier_shares_to_message(kCtx, {}, vss)));
    const SecretBytes valid = v.encode_verify_state(states[in.byte() % v.shares()]);
    check_header(valid, header, "Prio3 stored header differs from the documented layout");
    bytes = mutated(valid, in);
    pristine = std::equal(bytes.begin(), bytes.end(), valid.begin(), valid.end());
  } else {
    bytes = stored_input(mode, header, in);
  }
  const auto st = decode_stored(pristine, "Prio3 decode_verify_state",
                                [&] { return v.decode_verify_state(bytes); });
  check_stored_round_trip(bytes, v.encode_verify_state(st), "Prio3 stored verify state");
  const ByteSpan m = pick_message(c, honest, std::size_t{0});
  auto next = v.verify_next(kCtx, st, v.decode_verifier_message(st, m));
  const auto* out = std::get_if<typename V::OutShare>(&next);
  if (out == nullptr) vdaf_fuzz::fail("Prio3 verify_next did not finish");
  if (out->size() != v.output_len()) vdaf_fuzz::fail("Prio3 output share is not OUTPUT_LEN long");
}

// --- Poplar1 verification states and evaluation caches ---------------------------

void fuzz_poplar1_state(const Poplar1& v, Mode mode, const Continuation& c, vdaf_fuzz::Input& in) {
  using V = Poplar1;
  const Bytes header = stored_header(StoredKind::poplar1_verify_state, v.id(), v.instance_digest());
  std::vector<Bytes> honest;  // the honest messages of rounds 1 and 2 (mode c)
  std::optional<std::size_t> next_msg;
  Bytes bytes;
  bool pristine = false;
  if (mode == Mode::honest) {
    const auto r = honest_report(v, in);
    const auto ap = poplar1_agg_param(v, r.measurement, in);
    std::array<V::VerifyState, 2> st1, st2;
    std::array<V::VerifierShare, 2> vs1, vs2;
    for (std::size_t j = 0; j < 2; ++j) {
      std::tie(st1[j], vs1[j]) = v.verify_init(kVerifyKey, kCtx, j, ap, r.shard.nonce,
                                               r.shard.public_share, r.shard.input_shares[j]);
    }
    const auto msg1 = v.verifier_shares_to_message(kCtx, ap, vs1);
    for (std::size_t j = 0; j < 2; ++j) {
      auto next = v.verify_next(kCtx, st1[j], msg1);
      auto* p = std::get_if<std::pair<V::VerifyState, V::VerifierShare>>(&next);
      if (p == nullptr) vdaf_fuzz::fail("Poplar1 finished after one round");
      st2[j] = std::move(p->first);
      vs2[j] = std::move(p->second);
    }
    const auto msg2 = v.verifier_shares_to_message(kCtx, ap, vs2);
    honest = {v.encode_verifier_message(msg1), v.encode_verifier_message(msg2)};
    const std::uint8_t pick = in.byte();
    const std::size_t agg = pick & 1U, round = (pick >> 1) & 1U;
    next_msg = round;
    const SecretBytes valid = v.encode_verify_state(round == 0 ? st1[agg] : st2[agg]);
    check_header(valid, header, "Poplar1 stored header differs from the documented layout");
    bytes = mutated(valid, in);
    pristine = std::equal(bytes.begin(), bytes.end(), valid.begin(), valid.end());
  } else {
    bytes = stored_input(mode, header, in);
  }
  const auto st = decode_stored(pristine, "Poplar1 decode_verify_state",
                                [&] { return v.decode_verify_state(bytes); });
  check_stored_round_trip(bytes, v.encode_verify_state(st), "Poplar1 stored verify state");
  const ByteSpan m = pick_message(c, honest, next_msg);
  auto next = v.verify_next(kCtx, st, v.decode_verifier_message(st, m));
  if (auto* p = std::get_if<std::pair<V::VerifyState, V::VerifierShare>>(&next)) {
    // The round-2 state verify_next made is storable too.
    const SecretBytes e = v.encode_verify_state(p->first);
    check_stored_round_trip(e, v.encode_verify_state(v.decode_verify_state(e)),
                            "Poplar1 stored verify state after verify_next");
  }
}

void fuzz_poplar1_cache(const Poplar1& v, Mode mode, vdaf_fuzz::Input& in) {
  using V = Poplar1;
  // The report and level the decoded cache is used for; mode (c) stores a cache of this report.
  const auto r = honest_report(v, in);
  const std::size_t agg = in.byte() & 1U;
  const auto ap = poplar1_agg_param(v, r.measurement, in);
  const Bytes header = stored_header(StoredKind::idpf_eval_cache, v.id(), v.instance_digest());
  Bytes bytes;
  bool pristine = false;
  if (mode == Mode::honest) {
    V::EvalCache cache;  // unbound, or filled by up to 2 levels
    for (int k = in.byte() % 3; k > 0; --k) {
      (void)v.verify_init(kVerifyKey, kCtx, agg, poplar1_agg_param(v, r.measurement, in),
                          r.shard.nonce, r.shard.public_share, r.shard.input_shares[agg], &cache);
    }
    const SecretBytes valid = v.encode_eval_cache(cache);
    check_header(valid, header, "Poplar1 EvalCache header differs from the documented layout");
    bytes = mutated(valid, in);
    pristine = std::equal(bytes.begin(), bytes.end(), valid.begin(), valid.end());
  } else {
    bytes = stored_input(mode, header, in);
  }
  auto cache = decode_stored(pristine, "Poplar1 decode_eval_cache",
                             [&] { return v.decode_eval_cache(bytes); });
  check_stored_round_trip(bytes, v.encode_eval_cache(cache), "Poplar1 stored EvalCache");
  // May throw invalid_argument: the cache belongs to another report or aggregator.
  const auto [st, vs] = v.verify_init(kVerifyKey, kCtx, agg, ap, r.shard.nonce,
                                      r.shard.public_share, r.shard.input_shares[agg], &cache);
  const SecretBytes again = v.encode_eval_cache(cache);
  check_stored_round_trip(again, v.encode_eval_cache(v.decode_eval_cache(again)),
                          "Poplar1 stored EvalCache after verify_init");
  if (pristine) {
    // A restored cache gives what no cache gives.
    const auto [st0, vs0] = v.verify_init(kVerifyKey, kCtx, agg, ap, r.shard.nonce,
                                          r.shard.public_share, r.shard.input_shares[agg]);
    const SecretBytes a = v.encode_verify_state(st), b = v.encode_verify_state(st0);
    if (a != b || v.encode_verifier_share(vs) != v.encode_verifier_share(vs0))
      vdaf_fuzz::fail("verify_init with a restored EvalCache differs from verify_init without");
  }
}

// --- PingPong states -------------------------------------------------------------

/// `msg` (an honest PingPongMessage) with its fields carried over to message type `type`.
Bytes retyped(ByteSpan msg, std::uint8_t type) {
  using M = vdaf::PingPongMessage;
  const M m = M::decode(msg);
  switch (type % 3) {
    case 0:
      return M::initialize(m.verifier_share.empty() ? m.verifier_message : m.verifier_share)
          .encode();
    case 1:
      return M::continue_(m.verifier_message, m.verifier_share).encode();
    default:
      return M::finish(m.verifier_message).encode();
  }
}

/// A step's result `s` from the state `from`: Rejected only for a documented cause (a Rejected
/// `from`, whatever its stored cause, comes back unchanged).
template <class PP>
void check_step(const typename PP::State* from, const typename PP::State& s, const char* what) {
  if (from != nullptr && std::holds_alternative<typename PP::Rejected>(*from)) return;
  if (const auto* rej = std::get_if<typename PP::Rejected>(&s)) {
    if (rej->cause == vdaf::RejectCause::internal_error ||
        rej->cause == vdaf::RejectCause::out_of_memory) {
      std::fprintf(stderr, "%s rejected (%s): %s\n", what, vdaf::to_string(rej->cause),
                   rej->reason.c_str());
      vdaf_fuzz::fail("PingPong step rejected with internal_error or out_of_memory");
    }
  }
}

template <class V>
void fuzz_ping_pong(const vdaf::PingPong<V>& pp, Mode mode, const Continuation& c,
                    vdaf_fuzz::Input& in) {
  using PP = vdaf::PingPong<V>;
  using State = typename PP::State;
  // An honest run (its messages feed the continuation in every mode): states alternate Leader,
  // Helper, Leader, ...; the Leader's first message optionally tampered with.
  const auto r = honest_report(pp.vdaf(), in);
  const auto& ps = r.shard.public_share;
  std::vector<State> chain;
  chain.push_back(pp.leader_initialized(r.shard.nonce, ps, r.shard.input_shares[0]));
  const std::uint8_t tamper = in.byte();
  if (const Bytes* ob = PP::outbound(chain[0])) {
    Bytes msg = *ob;
    if ((tamper & 1U) != 0 && !msg.empty()) msg[(std::size_t{tamper} >> 1) % msg.size()] ^= 0x80;
    State h = pp.helper_initialized(r.shard.nonce, ps, r.shard.input_shares[1], msg);
    chain.push_back(std::move(h));
  }
  while (chain.size() >= 2 && chain.size() < 6) {
    const Bytes* ob = PP::outbound(chain.back());
    const State& recv = chain[chain.size() - 2];
    if (ob == nullptr || !std::holds_alternative<typename PP::Continued>(recv)) break;
    State s =
        chain.size() % 2 == 0 ? pp.leader_continued(recv, *ob) : pp.helper_continued(recv, *ob);
    chain.push_back(std::move(s));
  }
  std::vector<Bytes> outbounds;  // every message of the run
  for (const State& s : chain) {
    check_step<PP>(nullptr, s, "honest run");
    if (const Bytes* ob = PP::outbound(s)) outbounds.push_back(*ob);
  }

  const Bytes header = ping_pong_header(pp);
  Bytes bytes;
  bool pristine = false;
  std::optional<std::size_t> index;  // mode (c): the stored state's place in the run
  if (mode == Mode::honest) {
    index = in.byte() % chain.size();
    const SecretBytes valid = pp.encode_state(chain[*index]);
    check_header(valid, header, "PingPong stored header differs from the other states'");
    bytes = mutated(valid, in);
    pristine = std::equal(bytes.begin(), bytes.end(), valid.begin(), valid.end());
  } else {
    bytes = stored_input(mode, header, in);
  }
  const State st =
      decode_stored(pristine, "PingPong decode_state", [&] { return pp.decode_state(bytes); });
  check_stored_round_trip(bytes, pp.encode_state(st), "PingPong stored state");

  // The inbound message: the honest next one, the raw piece, or one of the run's messages as is
  // or under another type.
  const Bytes* honest_next = nullptr;
  if (index && *index + 1 < chain.size()) honest_next = PP::outbound(chain[*index + 1]);
  Bytes inbound;
  const std::size_t k = outbounds.empty() ? 0 : (c.choice / 4U) % outbounds.size();
  switch (c.choice % 4) {
    case 0:
      inbound = honest_next != nullptr ? *honest_next : Bytes(c.raw.begin(), c.raw.end());
      break;
    case 1:
      inbound.assign(c.raw.begin(), c.raw.end());
      break;
    case 2:
      if (!outbounds.empty()) inbound = outbounds[k];
      break;
    default:
      if (!outbounds.empty())
        inbound = retyped(outbounds[k], static_cast<std::uint8_t>(c.choice >> 4));
      break;
  }
  for (const bool leader : {true, false}) {
    const State next = leader ? pp.leader_continued(st, inbound) : pp.helper_continued(st, inbound);
    check_step<PP>(&st, next, leader ? "leader_continued" : "helper_continued");
    if (pristine && c.choice % 4 == 0 && honest_next != nullptr && leader == (*index % 2 == 0) &&
        *index + 2 < chain.size()) {
      if (pp.encode_state(next) != pp.encode_state(chain[*index + 2]))
        vdaf_fuzz::fail("a restored PingPong state continued unlike the original");
    }
    vdaf_fuzz::expect_ok_or_vdaf_error([&] {
      const SecretBytes e = pp.encode_state(next);
      check_stored_round_trip(e, pp.encode_state(pp.decode_state(e)),
                              "PingPong stored state after a step");
    });
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const World& w = world();
  vdaf_fuzz::Input in(data, size);
  const std::uint8_t which = in.byte();
  const auto mode = static_cast<Mode>(in.byte() % 3);
  Continuation c;
  c.choice = in.byte();
  c.raw = in.piece();
  const std::size_t sub = which / 4U;
  const std::array<const Poplar1*, 3> poplar1{&w.poplar1_1, &w.poplar1_8, &w.poplar1_64};
  vdaf_fuzz::expect_ok_or_vdaf_error([&] {
    switch (which % 4) {
      case 0:
        switch (sub % 6) {
          case 0:
            fuzz_prio3(w.count2, mode, c, in);
            break;
          case 1:
            fuzz_prio3(w.count3, mode, c, in);
            break;
          case 2:
            fuzz_prio3(w.sum, mode, c, in);
            break;
          case 3:
            fuzz_prio3(w.sum_vec, mode, c, in);
            break;
          case 4:
            fuzz_prio3(w.histogram, mode, c, in);
            break;
          default:
            fuzz_prio3(w.multihot, mode, c, in);
            break;
        }
        break;
      case 1:
        fuzz_poplar1_state(*poplar1[sub % 3], mode, c, in);
        break;
      case 2:
        fuzz_poplar1_cache(*poplar1[sub % 3], mode, in);
        break;
      default:
        if (sub % 6 < 2) {
          fuzz_ping_pong(w.pp_histogram, mode, c, in);
        } else {
          fuzz_ping_pong(w.pp_poplar1[sub % 6 - 2], mode, c, in);
        }
        break;
    }
  });
  return 0;
}
