// Constant-time check (style.md, "a valgrind constant-time job"): the secrets of every operation
// below are poisoned (vdaf::ct::poison, include/vdaf/ct/poison.hpp) and the program runs under
// valgrind memcheck, which then reports each conditional jump and memory index that depends on
// them. Built with -DVDAF_CT_VALGRIND by VDAF_BUILD_CT_CHECK (tests/CMakeLists.txt), run by the
// `ct` stage of .ci/run. A plain main(), not gtest, to keep the valgrind run short.
//
// Data is unpoisoned exactly where the protocol makes it public; each such place says so
// ("PUBLIC:"). Lengths, parameters, nonces, contexts and Poplar1 prefixes are public throughout.
// Verification states and Poplar1's IDPF caches also go through their stored encodings, and the
// ping-pong steps (one report and batch, which use Prio3's batch APIs) run on poisoned secrets too.
// Results are compared (after unpoisoning) with the same computation on unpoisoned inputs, so a
// broken poisoning cannot make the check pass vacuously on wrong outputs.
//
// Exit status: 0 on success, 1 if a result is wrong (memcheck's own reports make valgrind exit
// with --error-exitcode).
#include <array>
#include <cstdint>
#include <cstdio>
#include <span>
#include <utility>
#include <variant>
#include <vector>

#include <vdaf/ct/poison.hpp>
#include <vdaf/field/field.hpp>
#include <vdaf/field/field255.hpp>
#include <vdaf/idpf/idpf_bbcggi21.hpp>
#include <vdaf/polynomial/ntt.hpp>
#include <vdaf/poplar1.hpp>
#include <vdaf/prio3.hpp>
#include <vdaf/topology/ping_pong.hpp>
#include <vdaf/xof/turboshake128.hpp>
#include <vdaf/xof/xof_fixed_key_aes128.hpp>
#include <vdaf/xof/xof_hmac_sha256_aes128.hpp>
#include <vdaf/xof/xof_turboshake128.hpp>

namespace {

using vdaf::BitString;
using vdaf::Bytes;
using vdaf::ByteSpan;
using vdaf::Field128;
using vdaf::Field255;
using vdaf::Field64;
namespace ct = vdaf::ct;

int g_failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "FAIL: %s\n", what);
    ++g_failures;
  }
}

// Deterministic "random" bytes (the values do not matter, only that they are poisoned).
Bytes pattern(std::size_t n, std::uint8_t seed) {
  Bytes b(n);
  std::uint32_t x = 0x9e3779b9u * (seed + 1u);
  for (auto& v : b) {
    x = x * 1664525u + 1013904223u;
    v = static_cast<std::uint8_t>(x >> 24);
  }
  return b;
}

template <class T>
void poison_vec(const T& v) {
  ct::poison(std::span(v.data(), v.size()));
}
template <class T>
void unpoison_vec(const T& v) {
  ct::unpoison(std::span(v.data(), v.size()));
}

void poison_bits(const BitString& b) { ct::poison(b.words()); }

const Bytes kCtx = {'c', 't', 'g', 'r', 'i', 'n', 'd'};
const Bytes kNonce = pattern(16, 200);

// ---------------------------------------------------------------------------------------------
// Fields: arithmetic, inverse, encoding and decoding of secret values.
// ---------------------------------------------------------------------------------------------
template <class F>
std::vector<F> field_ops(const std::vector<F>& in) {
  std::vector<F> out;
  for (std::size_t i = 0; i + 1 < in.size(); ++i) {
    const F a = in[i], b = in[i + 1];
    out.push_back(a + b);
    out.push_back(a - b);
    out.push_back(a * b);
    out.push_back(-a);
    out.push_back(a.inv());
    out.push_back(a.pow(std::uint64_t{65537}));  // public exponent, secret base
  }
  // Encode, then decode the secret encoding.
  const Bytes enc = F::encode_vec(out);
  std::vector<F> dec = F::decode_vec(enc);
  return dec;
}

template <class F>
void check_field(const char* name, std::uint8_t seed) {
  const Bytes raw = pattern(8 * F::ENCODED_SIZE, seed);
  // Sample in-range elements from an unpoisoned XOF (the inputs), then poison them.
  vdaf::XofTurboShake128 x(ByteSpan(raw).subspan(0, 32), kCtx, ByteSpan{});
  const std::vector<F> in = x.template next_vec<F>(8);
  const std::vector<F> want = field_ops(in);
  std::vector<F> secret = in;
  poison_vec(secret);
  std::vector<F> got = field_ops(secret);
  unpoison_vec(got);  // PUBLIC: test output, compared with the reference.
  check(got == want, name);
}

// ---------------------------------------------------------------------------------------------
// NTT over secret coefficients.
// ---------------------------------------------------------------------------------------------
template <class F>
void check_ntt(const char* name) {
  vdaf::XofTurboShake128 x(pattern(32, 7), kCtx, ByteSpan{});
  const std::vector<F> p = x.template next_vec<F>(16);
  const std::vector<F> want = vdaf::ntt<F>(p, 32, true);
  std::vector<F> sp = p;
  poison_vec(sp);
  std::vector<F> got = vdaf::ntt<F>(sp, 32, true);
  unpoison_vec(got);  // PUBLIC: test output.
  check(got == want, name);
  // inv_ntt(ntt(p, set_s)) gives p·s^i, not p: the round trip is checked without s.
  std::vector<F> sp2 = p;
  poison_vec(sp2);
  std::vector<F> r = vdaf::inv_ntt<F>(vdaf::ntt<F>(sp2, 16), 16);
  unpoison_vec(r);  // PUBLIC: test output.
  check(r == p, name);
}

// ---------------------------------------------------------------------------------------------
// XOFs with secret seeds and keys.
// ---------------------------------------------------------------------------------------------
void check_xofs() {
  const Bytes seed32 = pattern(32, 11), seed16 = pattern(16, 12), binder = pattern(40, 13);
  const auto run = [&](const Bytes& s32, const Bytes& s16, const Bytes& b) {
    Bytes out;
    {
      vdaf::TurboShake128 ts;
      ts.absorb(s32);
      ts.finalize(0x01);
      Bytes o(200);
      ts.squeeze(o);
      out.insert(out.end(), o.begin(), o.end());
    }
    {
      vdaf::XofTurboShake128 x(s32, kCtx, b);
      Bytes o(300);
      x.next(o);
      out.insert(out.end(), o.begin(), o.end());
      const std::vector<Field128> v = x.next_vec<Field128>(20);
      const Bytes e = Field128::encode_vec(v);
      out.insert(out.end(), e.begin(), e.end());
    }
    {
      // AES: the fixed key derived from a secret binder (a secret AES key), a secret seed.
      const auto key = vdaf::XofFixedKeyAes128::derive_key(kCtx, b);
      vdaf::XofFixedKeyAes128 x(key, s16);
      Bytes o(200);
      x.next(o);
      out.insert(out.end(), o.begin(), o.end());
      const std::vector<Field64> v = x.next_vec<Field64>(20);
      const Bytes e = Field64::encode_vec(v);
      out.insert(out.end(), e.begin(), e.end());
    }
    {
      // HMAC-SHA256 keyed with a secret seed, then AES-128-CTR under the secret tag.
      vdaf::XofHmacSha256Aes128 x(s32, kCtx, b);
      Bytes o(200);
      x.next(o);
      out.insert(out.end(), o.begin(), o.end());
      const std::vector<Field64> v = x.next_vec<Field64>(20);
      const Bytes e = Field64::encode_vec(v);
      out.insert(out.end(), e.begin(), e.end());
    }
    return out;
  };
  const Bytes want = run(seed32, seed16, binder);
  Bytes s32 = seed32, s16 = seed16, b = binder;
  poison_vec(s32);
  poison_vec(s16);
  poison_vec(b);
  Bytes got = run(s32, s16, b);
  unpoison_vec(got);  // PUBLIC: test output.
  check(got == want, "xofs");
}

// ---------------------------------------------------------------------------------------------
// Prio3: shard (secret measurement and rand), verify_init (secret verify key and input shares),
// verify_next, agg_update (secret output shares), unshard.
// ---------------------------------------------------------------------------------------------
template <class V>
typename V::AggResult prio3_round(const V& vdaf, const typename V::Measurement& m,
                                  void (*poison_meas)(const typename V::Measurement&)) {
  Bytes verify_key = pattern(V::VERIFY_KEY_SIZE, 21);
  Bytes rand = pattern(vdaf.rand_size(), 22);
  poison_vec(verify_key);
  poison_vec(rand);
  const typename V::Measurement secret_m = m;  // a copy: the caller's m stays readable
  poison_meas(secret_m);

  auto shard = vdaf.shard(kCtx, secret_m, kNonce, rand);
  // PUBLIC: the public share is sent in the clear to every aggregator.
  for (const auto& part : shard.public_share.joint_rand_parts) unpoison_vec(part);

  // The input shares go through their encoding and back (secret bytes decoded).
  std::vector<typename V::VerifyState> states;
  std::vector<typename V::VerifierShare> vshares;
  for (std::size_t j = 0; j < vdaf.shares(); ++j) {
    const Bytes enc = vdaf.encode_input_share(shard.input_shares[j]);
    const auto share = vdaf.decode_input_share(j, enc);
    auto [state, vs] = vdaf.verify_init(verify_key, kCtx, j, {}, kNonce, shard.public_share, share);
    // PUBLIC: the verifier share is sent to the other aggregators.
    unpoison_vec(vs.verifiers_share);
    if (vs.joint_rand_part) unpoison_vec(*vs.joint_rand_part);
    // The state is stored between requests and read back (secret output share, secret seed).
    states.push_back(vdaf.decode_verify_state(vdaf.encode_verify_state(state)));
    vshares.push_back(std::move(vs));
  }
  const auto msg = vdaf.verifier_shares_to_message(kCtx, {}, vshares);

  std::vector<typename V::AggShare> agg_shares;
  for (const auto& st : states) {
    auto out = std::get<typename V::OutShare>(vdaf.verify_next(kCtx, st, msg));
    auto agg = vdaf.agg_init({});
    vdaf.agg_update({}, agg, out);  // secret output share into a secret aggregate share
    vdaf.agg_update({}, agg, out);
    // PUBLIC: the aggregate share is sent to the collector.
    unpoison_vec(agg);
    agg_shares.push_back(std::move(agg));
  }
  return vdaf.unshard({}, agg_shares, 2);
}

void poison_u64(const std::uint64_t& m) { ct::poison_object(m); }
void poison_u64_vec(const std::vector<std::uint64_t>& m) { poison_vec(m); }
void poison_bool_vec(const std::vector<bool>& m) {
#if defined(__GLIBCXX__)
  // libstdc++ packs vector<bool> into unsigned longs; poison those words.
  if (!m.empty()) {
    const auto first = m.begin();
    ct::poison(first._M_p, ((m.size() + 63) / 64) * sizeof(*first._M_p));
  }
#else
  (void)m;  // no portable way to reach the packed storage: left unpoisoned
#endif
}

void check_prio3() {
  {
    const vdaf::Prio3Count v(2);
    check(prio3_round(v, 1, poison_u64) == 2, "Prio3Count");
  }
  {
    const vdaf::Prio3Sum v(2, 1000);
    check(prio3_round(v, 777, poison_u64) == 2 * 777, "Prio3Sum");
  }
  {
    const vdaf::Prio3SumVec v(2, 10, 5, 3);
    const std::vector<std::uint64_t> m = {0, 1, 2, 3, 4, 5, 4, 3, 2, 1};
    auto got = prio3_round(v, m, poison_u64_vec);
    std::vector<std::uint64_t> want;
    for (auto x : m) want.push_back(2 * x);
    check(std::vector<std::uint64_t>(got.begin(), got.end()) == want, "Prio3SumVec");
  }
  {
    const vdaf::Prio3Histogram v(2, 10, 3);
    auto got = prio3_round(v, 7, poison_u64);
    std::vector<std::uint64_t> want(10, 0);
    want[7] = 2;
    check(std::vector<std::uint64_t>(got.begin(), got.end()) == want, "Prio3Histogram");
  }
  {
    const vdaf::Prio3MultihotCountVec v(2, 10, 4, 3);
    const std::vector<bool> m = {true, false, false, true, false, false, false, true, false, false};
    auto got = prio3_round(v, m, poison_bool_vec);
    std::vector<std::uint64_t> want;
    for (bool b : m) want.push_back(b ? 2 : 0);
    check(std::vector<std::uint64_t>(got.begin(), got.end()) == want, "Prio3MultihotCountVec");
  }
  {
    const vdaf::Prio3L1BoundSum v(2, 10, 100, 4);
    const std::vector<std::uint64_t> m = {0, 30, 0, 0, 41, 0, 0, 0, 29, 0};
    auto got = prio3_round(v, m, poison_u64_vec);
    std::vector<std::uint64_t> want;
    for (auto x : m) want.push_back(2 * x);
    check(std::vector<std::uint64_t>(got.begin(), got.end()) == want, "Prio3L1BoundSum");
  }
  {
    const vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128 v(2, 10, 1000, 4, 3);
    const std::vector<std::uint64_t> m = {0, 1, 999, 3, 1000, 5, 4, 3, 2, 1};
    auto got = prio3_round(v, m, poison_u64_vec);
    std::vector<std::uint64_t> want;
    for (auto x : m) want.push_back(2 * x);
    check(std::vector<std::uint64_t>(got.begin(), got.end()) == want,
          "Prio3SumVecField64MultiproofHmacSha256Aes128");
  }
}

// ---------------------------------------------------------------------------------------------
// Ping-pong (issue 9's batch steps over Prio3's batch APIs, the one-report steps, and states
// stored between requests): a job of reports with secret measurements, randomness and verify
// key. The library itself marks verifier shares public when it computes them; the test makes
// public what crosses between the parties (the encoded messages) and the aggregate shares.
// ---------------------------------------------------------------------------------------------
template <class V>
typename V::AggResult ping_pong_job(const V& vdaf, const std::vector<typename V::Measurement>& ms,
                                    void (*poison_meas)(const typename V::Measurement&)) {
  using PP = vdaf::PingPong<V>;
  Bytes verify_key = pattern(V::VERIFY_KEY_SIZE, 51);
  poison_vec(verify_key);
  const PP pp(vdaf, verify_key, kCtx, {});
  const std::size_t n = ms.size();
  std::vector<Bytes> nonces(n);
  std::vector<typename V::PublicShare> pubs(n);
  std::vector<typename V::InputShare> leader_in(n), helper_in(n);
  for (std::size_t i = 0; i < n; ++i) {
    nonces[i] = pattern(16, static_cast<std::uint8_t>(60 + i));
    Bytes rand = pattern(vdaf.rand_size(), static_cast<std::uint8_t>(70 + i));
    poison_vec(rand);
    const typename V::Measurement m = ms[i];
    poison_meas(m);
    auto shard = vdaf.shard(kCtx, m, nonces[i], rand);
    for (const auto& part : shard.public_share.joint_rand_parts) unpoison_vec(part);  // PUBLIC
    pubs[i] = std::move(shard.public_share);
    leader_in[i] = std::move(shard.input_shares[0]);
    helper_in[i] = std::move(shard.input_shares[1]);
  }
  const std::vector<ByteSpan> ns(nonces.begin(), nonces.end());
  // PUBLIC: each encoded message crosses to the other aggregator.
  const auto messages = [](const std::vector<typename PP::State>& states) {
    std::vector<Bytes> out;
    for (const auto& s : states) {
      const Bytes* o = PP::outbound(s);
      out.push_back(o != nullptr ? *o : Bytes{});
      unpoison_vec(out.back());
    }
    return out;
  };
  auto leader = pp.leader_initialized_batch(ns, pubs, leader_in);
  // The leader's states are stored between requests and read back.
  for (auto& s : leader) s = pp.decode_state(pp.encode_state(s));
  const std::vector<Bytes> req = messages(leader);
  const std::vector<ByteSpan> reqs(req.begin(), req.end());
  const auto helper = pp.helper_initialized_batch(ns, pubs, helper_in, reqs);
  const std::vector<Bytes> resp = messages(helper);
  const std::vector<ByteSpan> resps(resp.begin(), resp.end());
  // Report 0 once more through the one-report steps.
  const auto l0 = pp.leader_initialized(ns[0], pubs[0], leader_in[0]);
  const auto h0 = pp.helper_initialized(ns[0], pubs[0], helper_in[0], reqs[0]);
  const auto f0 = pp.leader_continued(l0, resps[0]);
  check(PP::is_finished(f0) && PP::is_finished(h0), "ping-pong one report");
  const auto done = pp.leader_continued_batch(std::move(leader), resps);
  std::vector<typename V::AggShare> aggs = {vdaf.agg_init({}), vdaf.agg_init({})};
  for (std::size_t i = 0; i < n; ++i) {
    const auto* o0 = PP::out_share(done[i]);
    const auto* o1 = PP::out_share(helper[i]);
    check(o0 != nullptr && o1 != nullptr, "ping-pong batch: a report was rejected");
    if (o0 == nullptr || o1 == nullptr) return {};
    vdaf.agg_update({}, aggs[0], *o0);
    vdaf.agg_update({}, aggs[1], *o1);
  }
  for (const auto& a : aggs) unpoison_vec(a);  // PUBLIC: the aggregate shares go to the collector
  return vdaf.unshard({}, aggs, n);
}

void check_ping_pong() {
  {
    const vdaf::Prio3Count v(2);
    check(ping_pong_job(v, {1, 0, 1, 1, 0}, poison_u64) == 3, "PingPong Prio3Count");
  }
  {
    const vdaf::Prio3Histogram v(2, 10, 3);
    auto got = ping_pong_job(v, {7, 2, 7}, poison_u64);
    std::vector<std::uint64_t> want(10, 0);
    want[7] = 2;
    want[2] = 1;
    check(std::vector<std::uint64_t>(got.begin(), got.end()) == want, "PingPong Prio3Histogram");
  }
  {
    const vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128 v(2, 3, 100, 2, 3);
    auto got = ping_pong_job(v, {{1, 2, 3}, {100, 0, 50}}, poison_u64_vec);
    check(std::vector<std::uint64_t>(got.begin(), got.end()) ==
              std::vector<std::uint64_t>{101, 2, 53},
          "PingPong Prio3SumVecField64MultiproofHmacSha256Aes128");
  }
}

// ---------------------------------------------------------------------------------------------
// IDPF: gen with secret alpha, beta and rand; eval with secret keys.
// ---------------------------------------------------------------------------------------------
BitString to_bits(std::uint64_t v, std::size_t len) {
  BitString b(len);
  for (std::size_t i = 0; i < len; ++i) b[i] = ((v >> (len - 1 - i)) & 1) != 0;
  return b;
}

void check_idpf() {
  constexpr std::size_t kBits = 8;
  const vdaf::IdpfBBCGGI21 idpf(2, kBits);
  const BitString alpha = to_bits(0xa5, kBits);
  poison_bits(alpha);
  std::vector<std::vector<Field64>> beta_inner(kBits - 1,
                                               {Field64::from_u64(1), Field64::from_u64(5)});
  for (const auto& b : beta_inner) poison_vec(b);
  std::vector<Field255> beta_leaf = {Field255::from_u64(1), Field255::from_u64(9)};
  poison_vec(beta_leaf);
  Bytes rand = pattern(vdaf::IdpfBBCGGI21::RAND_SIZE, 31);
  poison_vec(rand);

  auto [ps, keys] = idpf.gen(alpha, beta_inner, beta_leaf, kCtx, kNonce, rand);
  // PUBLIC: the public share (correction words) goes to both aggregators.
  for (const auto& cw : ps) {
    ct::unpoison_object(cw.seed_cw);
    ct::unpoison_object(cw.ctrl_cw);
    ct::unpoison(cw.w_inner.data(), cw.w_inner.size() * sizeof(Field64));
    unpoison_vec(cw.w_leaf);
  }

  // Public prefixes: every 4-bit prefix at level 3, the true leaf and a neighbour.
  std::vector<BitString> inner_prefixes;
  for (std::uint64_t p = 0; p < 16; ++p) inner_prefixes.push_back(to_bits(p, 4));
  const std::vector<BitString> leaf_prefixes = {to_bits(0xa4, kBits), to_bits(0xa5, kBits)};

  std::array<vdaf::IdpfBBCGGI21::Values<Field64>, 2> inner;
  std::array<vdaf::IdpfBBCGGI21::Values<Field255>, 2> leaf;
  for (std::size_t j = 0; j < 2; ++j) {
    inner[j] = idpf.eval_inner(j, ps, keys[j], 3, inner_prefixes, kCtx, kNonce);
    leaf[j] = idpf.eval_leaf(j, ps, keys[j], leaf_prefixes, kCtx, kNonce);
  }
  // PUBLIC (test only): the sums of both aggregators' shares, compared with the point function.
  for (std::size_t i = 0; i < inner_prefixes.size(); ++i) {
    for (std::size_t k = 0; k < 2; ++k) {
      Field64 s = inner[0][i][k] + inner[1][i][k];
      ct::unpoison_object(s);
      const Field64 want = i == 0xa ? Field64::from_u64(k == 0 ? 1 : 5) : Field64::zero();
      check(s == want, "IDPF inner");
    }
  }
  for (std::size_t i = 0; i < 2; ++i) {
    for (std::size_t k = 0; k < 2; ++k) {
      Field255 s = leaf[0][i][k] + leaf[1][i][k];
      ct::unpoison_object(s);
      const Field255 want = i == 1 ? Field255::from_u64(k == 0 ? 1 : 9) : Field255::zero();
      check(s == want, "IDPF leaf");
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Poplar1: shard (secret measurement and rand), verify_init / verify_next (secret verify key and
// input shares) at an inner level and at the leaf, agg_update, unshard.
// ---------------------------------------------------------------------------------------------
void check_poplar1() {
  constexpr std::size_t kBits = 16;
  const vdaf::Poplar1 p1(kBits);
  const std::uint64_t value = 0xbeef;
  const BitString m = to_bits(value, kBits);
  poison_bits(m);
  Bytes rand = pattern(vdaf::Poplar1::RAND_SIZE, 41);
  poison_vec(rand);
  Bytes verify_key = pattern(vdaf::Poplar1::VERIFY_KEY_SIZE, 42);
  poison_vec(verify_key);

  auto shard = p1.shard(kCtx, m, kNonce, rand);
  // PUBLIC: the public share (IDPF correction words) goes to both aggregators.
  for (const auto& cw : shard.public_share) {
    ct::unpoison_object(cw.seed_cw);
    ct::unpoison_object(cw.ctrl_cw);
    ct::unpoison(cw.w_inner.data(), cw.w_inner.size() * sizeof(Field64));
    unpoison_vec(cw.w_leaf);
  }

  const auto unpoison_fv = [](const vdaf::Poplar1FieldVec& v) {
    std::visit([](const auto& x) { unpoison_vec(x); }, v);
  };

  // Each aggregator's IDPF cache, stored and read back between levels (secret key and nodes).
  std::array<vdaf::Poplar1::EvalCache, 2> caches;
  const auto run_level = [&](std::uint16_t level, std::vector<BitString> prefixes) {
    const vdaf::Poplar1::AggParam ap{level, std::move(prefixes)};
    std::array<vdaf::Poplar1::VerifyState, 2> states;
    std::array<vdaf::Poplar1::VerifierShare, 2> vs;
    for (std::size_t j = 0; j < 2; ++j) {
      const Bytes enc = p1.encode_input_share(shard.input_shares[j]);
      const auto share = p1.decode_input_share(j, enc);
      caches[j] = p1.decode_eval_cache(p1.encode_eval_cache(caches[j]));
      auto [st, v] =
          p1.verify_init(verify_key, kCtx, j, ap, kNonce, shard.public_share, share, &caches[j]);
      unpoison_fv(v);  // PUBLIC: round-1 verifier share (sketch share) sent to the other side.
      states[j] = p1.decode_verify_state(p1.encode_verify_state(st));  // stored, read back
      vs[j] = std::move(v);
    }
    const auto msg1 = p1.verifier_shares_to_message(kCtx, ap, vs);
    std::array<vdaf::Poplar1::VerifyState, 2> states2;
    for (std::size_t j = 0; j < 2; ++j) {
      auto r = p1.verify_next(kCtx, states[j], msg1);
      auto& [st, v] = std::get<0>(r);
      unpoison_fv(v);  // PUBLIC: round-2 verifier share sent to the other side.
      states2[j] = p1.decode_verify_state(p1.encode_verify_state(st));  // stored, read back
      vs[j] = std::move(v);
    }
    const auto msg2 = p1.verifier_shares_to_message(kCtx, ap, vs);
    std::array<vdaf::Poplar1::AggShare, 2> aggs;
    for (std::size_t j = 0; j < 2; ++j) {
      auto out = std::get<vdaf::Poplar1::OutShare>(p1.verify_next(kCtx, states2[j], msg2));
      aggs[j] = p1.agg_init(ap);
      p1.agg_update(ap, aggs[j], out);  // secret output share into a secret aggregate share
      unpoison_fv(aggs[j]);             // PUBLIC: the aggregate share goes to the collector.
    }
    return p1.unshard(ap, aggs, 1);
  };

  // Inner level 3: the four 4-bit prefixes around the measurement's (0xb).
  check(run_level(3, {to_bits(0x9, 4), to_bits(0xa, 4), to_bits(0xb, 4), to_bits(0xc, 4)}) ==
            std::vector<std::uint64_t>({0, 0, 1, 0}),
        "Poplar1 inner level");
  // Leaf level.
  check(run_level(kBits - 1, {to_bits(value - 1, kBits), to_bits(value, kBits)}) ==
            std::vector<std::uint64_t>({0, 1}),
        "Poplar1 leaf level");
}

}  // namespace

int main() {
  check_field<Field64>("Field64", 1);
  check_field<Field128>("Field128", 2);
  check_field<Field255>("Field255", 3);
  check_ntt<Field64>("NTT Field64");
  check_ntt<Field128>("NTT Field128");
  check_xofs();
  check_prio3();
  check_ping_pong();
  check_idpf();
  check_poplar1();
  if (g_failures != 0) {
    std::fprintf(stderr, "%d check(s) failed\n", g_failures);
    return 1;
  }
  std::puts("ct_valgrind: all operations ran on poisoned secrets");
  return 0;
}
