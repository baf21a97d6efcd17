// Prio3 end-to-end properties (draft-irtf-cfrg-vdaf-20 §7.2), RapidCheck:
//
// - correctness: for random parameters of every instance, random number of
//   shares (2..5, sometimes up to 10), random ctx, random measurements and
//   number of reports (1..5), shard → verify_init (every aggregator) →
//   verifier_shares_to_message → verify_next → agg_update → merge → unshard
//   equals the plain sum; in about half the runs every message goes through
//   its encoding (and re-encoding the decoded message gives the same bytes);
// - soundness smoke test: changing one element of one input share (leader
//   measurement or proof share element, helper seed byte, blind byte) or one
//   byte of a joint-randomness part of the public share makes the pipeline
//   reject the report with vdaf::verify_error.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "vdaf/prio3.hpp"

namespace {

using vdaf::Bytes;
using vdaf::uint128;

// ---------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------

/// Uniform integer in [lo, hi] (not scaled down by RapidCheck's size).
template <class T>
T pick(T lo, T hi) {
  if (lo == hi) return lo;
  if (hi == std::numeric_limits<T>::max()) {
    if (lo == 0) return *rc::gen::resize(100, rc::gen::arbitrary<T>());
    return static_cast<T>(pick<T>(static_cast<T>(lo - 1), static_cast<T>(hi - 1)) + 1);
  }
  return *rc::gen::resize(100, rc::gen::inRange<T>(lo, static_cast<T>(hi + 1)));
}

Bytes gen_bytes(std::size_t n) {
  return *rc::gen::container<Bytes>(n, rc::gen::resize(100, rc::gen::arbitrary<std::uint8_t>()));
}

/// Number of aggregators: 2..5 usually, 6..10 sometimes.
std::size_t gen_shares() {
  return pick<int>(0, 7) == 0 ? pick<std::size_t>(6, 10) : pick<std::size_t>(2, 5);
}

/// Application context: empty in a quarter of the runs, else 1..40 random bytes.
Bytes gen_ctx() {
  if (pick<int>(0, 3) == 0) return {};
  return gen_bytes(pick<std::size_t>(1, 40));
}

/// A value in [0, max], with the ends of the range over-represented.
std::uint64_t gen_upto(std::uint64_t max) {
  switch (pick<int>(0, 5)) {
    case 0:
      return 0;
    case 1:
      return max;
    default:
      return pick<std::uint64_t>(0, max);
  }
}

/// max_measurement with bit length in [1, max_bits].
std::uint64_t gen_max(unsigned max_bits) {
  const unsigned bits = pick<unsigned>(1, max_bits);
  const std::uint64_t lo = std::uint64_t{1} << (bits - 1);
  const std::uint64_t hi = bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
  return pick<int>(0, 3) == 0 ? hi : pick<std::uint64_t>(lo, hi);
}

// ---------------------------------------------------------------------------
// The pipeline
// ---------------------------------------------------------------------------

/// decode(encode(x)) re-encodes to the same bytes; returns the decoded value.
template <class T, class Enc, class Dec>
T round_trip(const T& x, Enc enc, Dec dec, std::size_t want_size) {
  const Bytes b = enc(x);
  RC_ASSERT(b.size() == want_size);
  T y = dec(b);
  RC_ASSERT(enc(y) == b);
  return y;
}

/// Runs every report through the whole protocol and returns the aggregate
/// result. With `via_bytes`, every message crosses the wire as bytes.
template <class V>
typename V::AggResult run_pipeline(const V& vdaf, const Bytes& ctx,
                                   const std::vector<typename V::Measurement>& meas,
                                   bool via_bytes) {
  using F = typename V::Field;
  const typename V::AggParam ap{};
  const std::size_t S = vdaf.shares();
  const std::size_t fe = F::ENCODED_SIZE;
  const bool jr = vdaf.joint_rand_len() > 0;
  const Bytes verify_key = gen_bytes(V::VERIFY_KEY_SIZE);

  if (via_bytes) {
    RC_ASSERT(vdaf.encode_agg_param(ap).empty());
    (void)vdaf.decode_agg_param(vdaf.encode_agg_param(ap));
  }
  RC_ASSERT(vdaf.is_valid(ap, {}));

  // Reports are split between two batches per aggregator, then merged.
  std::vector<typename V::AggShare> batch_a, batch_b;
  for (std::size_t j = 0; j < S; ++j) {
    batch_a.push_back(vdaf.agg_init(ap));
    batch_b.push_back(vdaf.agg_init(ap));
    RC_ASSERT(batch_a.back().size() == vdaf.output_len());
  }

  for (std::size_t r = 0; r < meas.size(); ++r) {
    const Bytes nonce = gen_bytes(V::NONCE_SIZE);
    const Bytes rand = gen_bytes(vdaf.rand_size());
    auto shard = vdaf.shard(ctx, meas[r], nonce, rand);
    RC_ASSERT(std::equal(nonce.begin(), nonce.end(), shard.nonce.begin()));
    RC_ASSERT(shard.input_shares.size() == S);

    typename V::PublicShare ps = shard.public_share;
    std::vector<typename V::InputShare> inputs = shard.input_shares;
    if (via_bytes) {
      ps = round_trip(
          ps, [&](const auto& x) { return vdaf.encode_public_share(x); },
          [&](const Bytes& b) { return vdaf.decode_public_share(b); }, jr ? 32 * S : 0);
      for (std::size_t j = 0; j < S; ++j) {
        const std::size_t want =
            (j == 0 ? fe * (vdaf.meas_len() + vdaf.proof_len() * vdaf.num_proofs()) : 32) +
            (jr ? 32 : 0);
        inputs[j] = round_trip(
            inputs[j], [&](const auto& x) { return vdaf.encode_input_share(x); },
            [&](const Bytes& b) { return vdaf.decode_input_share(j, b); }, want);
      }
    }

    std::vector<typename V::VerifyState> states;
    std::vector<typename V::VerifierShare> vshares;
    for (std::size_t j = 0; j < S; ++j) {
      // No structured binding: clang 14 cannot capture one in a lambda.
      auto init = vdaf.verify_init(verify_key, ctx, j, ap, nonce, ps, inputs[j]);
      typename V::VerifyState& state = init.first;
      typename V::VerifierShare& vs = init.second;
      if (via_bytes) {
        vs = round_trip(
            vs, [&](const auto& x) { return vdaf.encode_verifier_share(x); },
            [&](const Bytes& b) { return vdaf.decode_verifier_share(state, b); },
            fe * vdaf.verifier_len() * vdaf.num_proofs() + (jr ? 32 : 0));
      }
      states.push_back(std::move(state));
      vshares.push_back(std::move(vs));
    }

    typename V::VerifierMessage msg = vdaf.verifier_shares_to_message(ctx, ap, vshares);
    for (std::size_t j = 0; j < S; ++j) {
      typename V::VerifierMessage m = msg;
      if (via_bytes) {
        m = round_trip(
            msg, [&](const auto& x) { return vdaf.encode_verifier_message(x); },
            [&](const Bytes& b) { return vdaf.decode_verifier_message(states[j], b); },
            jr ? 32 : 0);
      }
      auto next = vdaf.verify_next(ctx, states[j], m);
      RC_ASSERT(std::holds_alternative<typename V::OutShare>(next));
      typename V::OutShare out = std::get<typename V::OutShare>(std::move(next));
      RC_ASSERT(out.size() == vdaf.output_len());
      if (via_bytes) {
        out = round_trip(
            out, [&](const auto& x) { return vdaf.encode_out_share(x); },
            [&](const Bytes& b) { return vdaf.decode_out_share(ap, b); }, fe * vdaf.output_len());
      }
      vdaf.agg_update(ap, r % 2 == 0 ? batch_a[j] : batch_b[j], out);
    }
  }

  std::vector<typename V::AggShare> agg_shares;
  for (std::size_t j = 0; j < S; ++j) {
    const typename V::AggShare pair[2] = {batch_a[j], batch_b[j]};
    typename V::AggShare merged = vdaf.merge(ap, pair);
    if (via_bytes) {
      merged = round_trip(
          merged, [&](const auto& x) { return vdaf.encode_agg_share(x); },
          [&](const Bytes& b) { return vdaf.decode_agg_share(ap, b); }, fe * vdaf.output_len());
    }
    agg_shares.push_back(std::move(merged));
  }
  return vdaf.unshard(ap, agg_shares, meas.size());
}

/// Whether n measurements of up to `max` each could sum to the field modulus p or more: unshard
/// then refuses (invalid_argument) instead of returning a wrapped aggregate. n is small (at most
/// 5 reports), so n·max fits in 128 bits.
template <class F>
bool could_wrap(std::size_t n, std::uint64_t max) {
  return static_cast<uint128>(n) * max >= static_cast<uint128>(F::MODULUS);
}

std::size_t gen_num_reports() { return pick<std::size_t>(1, 5); }

// ---------------------------------------------------------------------------
// Correctness properties, one per instance
// ---------------------------------------------------------------------------

RC_GTEST_PROP(Prio3Properties, CountAggregatesToPlainSum, ()) {
  const vdaf::Prio3Count vdaf(gen_shares());
  std::vector<std::uint64_t> meas(gen_num_reports());
  std::uint64_t want = 0;
  for (auto& m : meas) want += (m = pick<std::uint64_t>(0, 1));
  const Bytes ctx = gen_ctx();
  RC_ASSERT(run_pipeline(vdaf, ctx, meas, *rc::gen::arbitrary<bool>()) == want);
}

RC_GTEST_PROP(Prio3Properties, SumAggregatesToPlainSum, ()) {
  const std::uint64_t max = gen_max(63);
  const vdaf::Prio3Sum vdaf(gen_shares(), max);
  std::vector<std::uint64_t> meas(gen_num_reports());
  uint128 want = 0;
  for (auto& m : meas) want += (m = gen_upto(max));
  const Bytes ctx = gen_ctx();
  if (could_wrap<vdaf::Field64>(meas.size(), max)) {
    // No silent wrap: the aggregate of these reports could pass p, so unshard refuses.
    RC_ASSERT_THROWS_AS(run_pipeline(vdaf, ctx, meas, *rc::gen::arbitrary<bool>()),
                        vdaf::invalid_argument);
    RC_TAG("unshard refused: could wrap");
    return;
  }
  RC_ASSERT(static_cast<uint128>(run_pipeline(vdaf, ctx, meas, *rc::gen::arbitrary<bool>())) ==
            want);
}

template <class V>
void check_sum_vec(const V& vdaf, std::size_t length, std::uint64_t max) {
  using F = typename V::Field;
  std::vector<std::vector<std::uint64_t>> meas(gen_num_reports());
  std::vector<uint128> want(length, 0);
  for (auto& m : meas) {
    m.resize(length);
    for (std::size_t i = 0; i < length; ++i) want[i] += (m[i] = gen_upto(max));
  }
  const Bytes ctx = gen_ctx();
  if (could_wrap<F>(meas.size(), max)) {
    // No silent wrap: the aggregate of these reports could pass p, so unshard refuses.
    RC_ASSERT_THROWS_AS(run_pipeline(vdaf, ctx, meas, *rc::gen::arbitrary<bool>()),
                        vdaf::invalid_argument);
    RC_TAG("unshard refused: could wrap");
    return;
  }
  RC_ASSERT(run_pipeline(vdaf, ctx, meas, *rc::gen::arbitrary<bool>()) == want);
}

/// SumVec parameters: small bit lengths usually; 64-bit entries with a short vector.
struct SumVecParams {
  std::size_t length, chunk;
  std::uint64_t max;
};
SumVecParams gen_sum_vec_params(unsigned max_bits) {
  SumVecParams p{};
  const bool wide = pick<int>(0, 4) == 0;
  p.max = gen_max(wide ? max_bits : std::min(max_bits, 8u));
  p.length = wide ? pick<std::size_t>(1, 3) : pick<std::size_t>(1, 20);
  p.chunk = pick<std::size_t>(1, 8);
  return p;
}

RC_GTEST_PROP(Prio3Properties, SumVecAggregatesToPlainSum, ()) {
  const SumVecParams p = gen_sum_vec_params(64);
  const vdaf::Prio3SumVec vdaf(gen_shares(), p.length, p.max, p.chunk);
  check_sum_vec(vdaf, p.length, p.max);
}

RC_GTEST_PROP(Prio3Properties, SumVecWithMultiproofField64AggregatesToPlainSum, ()) {
  const SumVecParams p = gen_sum_vec_params(63);
  const std::size_t proofs = pick<std::size_t>(1, 4);
  const vdaf::Prio3SumVecWithMultiproof<vdaf::Field64> vdaf(gen_shares(), p.length, p.max, p.chunk,
                                                            proofs);
  RC_ASSERT(vdaf.num_proofs() == proofs);
  check_sum_vec(vdaf, p.length, p.max);
}

RC_GTEST_PROP(Prio3Properties, SumVecWithMultiproofField128AggregatesToPlainSum, ()) {
  const SumVecParams p = gen_sum_vec_params(64);
  const std::size_t proofs = pick<std::size_t>(1, 4);
  const vdaf::Prio3SumVecWithMultiproof<vdaf::Field128> vdaf(gen_shares(), p.length, p.max, p.chunk,
                                                             proofs);
  RC_ASSERT(vdaf.num_proofs() == proofs);
  check_sum_vec(vdaf, p.length, p.max);
}

RC_GTEST_PROP(Prio3Properties, HistogramAggregatesToPlainCounts, ()) {
  const std::size_t length = pick<std::size_t>(1, 20), chunk = pick<std::size_t>(1, 8);
  const vdaf::Prio3Histogram vdaf(gen_shares(), length, chunk);
  std::vector<std::uint64_t> meas(gen_num_reports());
  std::vector<std::uint64_t> want(length, 0);
  for (auto& m : meas) ++want[m = pick<std::uint64_t>(0, length - 1)];
  const Bytes ctx = gen_ctx();
  RC_ASSERT(run_pipeline(vdaf, ctx, meas, *rc::gen::arbitrary<bool>()) == want);
}

RC_GTEST_PROP(Prio3Properties, MultihotCountVecAggregatesToPlainCounts, ()) {
  const std::size_t length = pick<std::size_t>(1, 20);
  const std::size_t max_weight = pick<std::size_t>(1, length);
  const std::size_t chunk = pick<std::size_t>(1, 8);
  const vdaf::Prio3MultihotCountVec vdaf(gen_shares(), length, max_weight, chunk);
  std::vector<std::vector<bool>> meas(gen_num_reports());
  std::vector<std::uint64_t> want(length, 0);
  for (auto& m : meas) {
    m.assign(length, false);
    // Set `weight` distinct positions (weight <= max_weight).
    const std::size_t weight = pick<std::size_t>(0, max_weight);
    std::vector<std::size_t> idx(length);
    for (std::size_t i = 0; i < length; ++i) idx[i] = i;
    for (std::size_t k = 0; k < weight; ++k) {
      std::swap(idx[k], idx[pick<std::size_t>(k, length - 1)]);
      m[idx[k]] = true;
      ++want[idx[k]];
    }
  }
  const Bytes ctx = gen_ctx();
  RC_ASSERT(run_pipeline(vdaf, ctx, meas, *rc::gen::arbitrary<bool>()) == want);
}

RC_GTEST_PROP(Prio3Properties, HigherDegreeAggregatesToPlainSum, ()) {
  const vdaf::Prio3HigherDegree vdaf(gen_shares());
  std::vector<std::uint64_t> meas(gen_num_reports());
  std::uint64_t want = 0;
  for (auto& m : meas) want += (m = pick<std::uint64_t>(0, 2));
  const Bytes ctx = gen_ctx();
  RC_ASSERT(run_pipeline(vdaf, ctx, meas, *rc::gen::arbitrary<bool>()) == want);
}

// ---------------------------------------------------------------------------
// Tampering
// ---------------------------------------------------------------------------

enum class Target { kLeaderMeas, kLeaderProof, kHelperSeed, kBlind, kPublicPart };

const char* target_name(Target t) {
  switch (t) {
    case Target::kLeaderMeas:
      return "leader meas_share element";
    case Target::kLeaderProof:
      return "leader proofs_share element";
    case Target::kHelperSeed:
      return "helper seed byte";
    case Target::kBlind:
      return "blind byte";
    case Target::kPublicPart:
      return "public share joint_rand_part byte";
  }
  return "?";
}

/// Runs one report; true iff some step throws vdaf::verify_error. Any other
/// exception propagates (and fails the property).
template <class V>
bool rejected(const V& vdaf, const Bytes& verify_key, const Bytes& ctx, const Bytes& nonce,
              const typename V::PublicShare& ps,
              const std::vector<typename V::InputShare>& inputs) {
  const typename V::AggParam ap{};
  try {
    std::vector<typename V::VerifyState> states;
    std::vector<typename V::VerifierShare> vshares;
    for (std::size_t j = 0; j < vdaf.shares(); ++j) {
      auto [state, vs] = vdaf.verify_init(verify_key, ctx, j, ap, nonce, ps, inputs[j]);
      states.push_back(std::move(state));
      vshares.push_back(std::move(vs));
    }
    const auto msg = vdaf.verifier_shares_to_message(ctx, ap, vshares);
    for (std::size_t j = 0; j < vdaf.shares(); ++j) (void)vdaf.verify_next(ctx, states[j], msg);
  } catch (const vdaf::verify_error& e) {
    RC_ASSERT(std::string(e.what()).size() > 0);
    return true;
  }
  return false;
}

template <class V>
void check_tamper(const V& vdaf, const typename V::Measurement& m) {
  using F = typename V::Field;
  const std::size_t S = vdaf.shares();
  const bool jr = vdaf.joint_rand_len() > 0;
  const Bytes ctx = gen_ctx();
  const Bytes verify_key = gen_bytes(V::VERIFY_KEY_SIZE);
  const Bytes nonce = gen_bytes(V::NONCE_SIZE);
  const auto shard = vdaf.shard(ctx, m, nonce, gen_bytes(vdaf.rand_size()));
  // The honest report is accepted.
  RC_ASSERT(!rejected(vdaf, verify_key, ctx, nonce, shard.public_share, shard.input_shares));

  std::vector<Target> targets = {Target::kLeaderMeas, Target::kLeaderProof, Target::kHelperSeed};
  if (jr) {
    targets.push_back(Target::kBlind);
    targets.push_back(Target::kPublicPart);
  }
  const Target t = *rc::gen::elementOf(targets);
  RC_TAG(target_name(t));
  auto ps = shard.public_share;
  auto inputs = shard.input_shares;
  const F delta = F::from_int(pick<std::uint64_t>(1, 0xffffffffULL));  // non-zero
  const auto flip = static_cast<std::uint8_t>(pick<unsigned>(1, 255));
  switch (t) {
    case Target::kLeaderMeas:
      inputs[0].meas_share[pick<std::size_t>(0, inputs[0].meas_share.size() - 1)] += delta;
      break;
    case Target::kLeaderProof:
      inputs[0].proofs_share[pick<std::size_t>(0, inputs[0].proofs_share.size() - 1)] += delta;
      break;
    case Target::kHelperSeed:
      (*inputs[pick<std::size_t>(1, S - 1)].seed)[pick<std::size_t>(0, 31)] ^= flip;
      break;
    case Target::kBlind:
      (*inputs[pick<std::size_t>(0, S - 1)].blind)[pick<std::size_t>(0, 31)] ^= flip;
      break;
    case Target::kPublicPart:
      ps.joint_rand_parts[pick<std::size_t>(0, S - 1)][pick<std::size_t>(0, 31)] ^= flip;
      break;
  }
  RC_ASSERT(rejected(vdaf, verify_key, ctx, nonce, ps, inputs));
}

RC_GTEST_PROP(Prio3Tamper, Count, ()) {
  check_tamper(vdaf::Prio3Count(gen_shares()), pick<std::uint64_t>(0, 1));
}

RC_GTEST_PROP(Prio3Tamper, Sum, ()) {
  const std::uint64_t max = gen_max(63);
  check_tamper(vdaf::Prio3Sum(gen_shares(), max), gen_upto(max));
}

template <class V>
void check_tamper_sum_vec(const V& vdaf, const SumVecParams& p) {
  std::vector<std::uint64_t> m(p.length);
  for (auto& x : m) x = gen_upto(p.max);
  check_tamper(vdaf, m);
}

RC_GTEST_PROP(Prio3Tamper, SumVec, ()) {
  const SumVecParams p = gen_sum_vec_params(64);
  check_tamper_sum_vec(vdaf::Prio3SumVec(gen_shares(), p.length, p.max, p.chunk), p);
}

RC_GTEST_PROP(Prio3Tamper, SumVecWithMultiproofField64, ()) {
  const SumVecParams p = gen_sum_vec_params(63);
  check_tamper_sum_vec(vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>(
                           gen_shares(), p.length, p.max, p.chunk, pick<std::size_t>(1, 4)),
                       p);
}

RC_GTEST_PROP(Prio3Tamper, SumVecWithMultiproofField128, ()) {
  const SumVecParams p = gen_sum_vec_params(64);
  check_tamper_sum_vec(vdaf::Prio3SumVecWithMultiproof<vdaf::Field128>(
                           gen_shares(), p.length, p.max, p.chunk, pick<std::size_t>(1, 4)),
                       p);
}

RC_GTEST_PROP(Prio3Tamper, Histogram, ()) {
  const std::size_t length = pick<std::size_t>(1, 20);
  check_tamper(vdaf::Prio3Histogram(gen_shares(), length, pick<std::size_t>(1, 8)),
               pick<std::uint64_t>(0, length - 1));
}

RC_GTEST_PROP(Prio3Tamper, MultihotCountVec, ()) {
  const std::size_t length = pick<std::size_t>(1, 20);
  const std::size_t max_weight = pick<std::size_t>(1, length);
  std::vector<bool> m(length, false);
  for (std::size_t i = 0, w = 0; i < length && w < max_weight; ++i) {
    if (*rc::gen::arbitrary<bool>()) {
      m[i] = true;
      ++w;
    }
  }
  check_tamper(
      vdaf::Prio3MultihotCountVec(gen_shares(), length, max_weight, pick<std::size_t>(1, 8)), m);
}

RC_GTEST_PROP(Prio3Tamper, HigherDegree, ()) {
  check_tamper(vdaf::Prio3HigherDegree(gen_shares()), pick<std::uint64_t>(0, 2));
}

// Tampering with the aggregators' messages: a changed verifier-share element
// fails decide; a changed joint-randomness part in a verifier share, or a
// changed/missing seed in the verifier message, fails verify_next on every
// aggregator whose state it no longer matches.
enum class MsgTarget { kVerifierElement, kVerifierPart, kMessageSeed, kMessageMissing };

template <class V>
void check_message_tamper(const V& vdaf, const typename V::Measurement& m) {
  using F = typename V::Field;
  const std::size_t S = vdaf.shares();
  const bool jr = vdaf.joint_rand_len() > 0;
  const typename V::AggParam ap{};
  const Bytes ctx = gen_ctx();
  const Bytes verify_key = gen_bytes(V::VERIFY_KEY_SIZE);
  const Bytes nonce = gen_bytes(V::NONCE_SIZE);
  const auto shard = vdaf.shard(ctx, m, nonce, gen_bytes(vdaf.rand_size()));
  std::vector<typename V::VerifyState> states;
  std::vector<typename V::VerifierShare> vshares;
  for (std::size_t j = 0; j < S; ++j) {
    auto init =
        vdaf.verify_init(verify_key, ctx, j, ap, nonce, shard.public_share, shard.input_shares[j]);
    states.push_back(std::move(init.first));
    vshares.push_back(std::move(init.second));
  }
  std::vector<MsgTarget> targets = {MsgTarget::kVerifierElement};
  if (jr) {
    targets.push_back(MsgTarget::kVerifierPart);
    targets.push_back(MsgTarget::kMessageSeed);
    targets.push_back(MsgTarget::kMessageMissing);
  }
  const MsgTarget t = *rc::gen::elementOf(targets);
  const std::size_t j = pick<std::size_t>(0, S - 1);
  const auto flip = static_cast<std::uint8_t>(pick<unsigned>(1, 255));
  switch (t) {
    case MsgTarget::kVerifierElement: {
      RC_TAG("verifier share element");
      auto& v = vshares[j].verifiers_share;
      v[pick<std::size_t>(0, v.size() - 1)] += F::from_int(pick<std::uint64_t>(1, 1000));
      RC_ASSERT_THROWS_AS((void)vdaf.verifier_shares_to_message(ctx, ap, vshares),
                          vdaf::verify_error);
      return;
    }
    case MsgTarget::kVerifierPart: {
      RC_TAG("verifier share joint_rand_part byte");
      (*vshares[j].joint_rand_part)[pick<std::size_t>(0, 31)] ^= flip;
      // decide still passes (the verifiers are untouched), but the message's
      // seed matches no aggregator's corrected seed.
      const auto msg = vdaf.verifier_shares_to_message(ctx, ap, vshares);
      for (std::size_t k = 0; k < S; ++k) {
        RC_ASSERT_THROWS_AS((void)vdaf.verify_next(ctx, states[k], msg), vdaf::verify_error);
      }
      return;
    }
    case MsgTarget::kMessageSeed:
    case MsgTarget::kMessageMissing: {
      auto msg = vdaf.verifier_shares_to_message(ctx, ap, vshares);
      // The honest message is accepted by everyone.
      for (std::size_t k = 0; k < S; ++k) (void)vdaf.verify_next(ctx, states[k], msg);
      if (t == MsgTarget::kMessageSeed) {
        RC_TAG("verifier message seed byte");
        (*msg.joint_rand_seed)[pick<std::size_t>(0, 31)] ^= flip;
      } else {
        RC_TAG("verifier message without seed");
        msg.joint_rand_seed.reset();
      }
      for (std::size_t k = 0; k < S; ++k) {
        RC_ASSERT_THROWS_AS((void)vdaf.verify_next(ctx, states[k], msg), vdaf::verify_error);
      }
      return;
    }
  }
}

RC_GTEST_PROP(Prio3Tamper, MessagesCount, ()) {
  check_message_tamper(vdaf::Prio3Count(gen_shares()), pick<std::uint64_t>(0, 1));
}

RC_GTEST_PROP(Prio3Tamper, MessagesHistogram, ()) {
  const std::size_t length = pick<std::size_t>(1, 20);
  check_message_tamper(vdaf::Prio3Histogram(gen_shares(), length, pick<std::size_t>(1, 8)),
                       pick<std::uint64_t>(0, length - 1));
}

RC_GTEST_PROP(Prio3Tamper, MessagesSumVecWithMultiproofField64, ()) {
  const SumVecParams p = gen_sum_vec_params(63);
  std::vector<std::uint64_t> m(p.length);
  for (auto& x : m) x = gen_upto(p.max);
  check_message_tamper(vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>(
                           gen_shares(), p.length, p.max, p.chunk, pick<std::size_t>(1, 4)),
                       m);
}

// ---------------------------------------------------------------------------
// Fixed checks
// ---------------------------------------------------------------------------

TEST(Prio3Properties, ShardWithSystemRandomness) {
  const vdaf::Prio3Histogram vdaf(3, 7, 2);
  const Bytes ctx = {'c', 't', 'x'};
  const Bytes verify_key(32, 0x42);
  const typename vdaf::Prio3Histogram::AggParam ap{};
  std::vector<vdaf::Prio3Histogram::AggShare> agg(3, vdaf.agg_init(ap));
  for (std::uint64_t m : {0u, 6u, 6u, 3u}) {
    const auto shard = vdaf.shard(ctx, m);
    std::vector<vdaf::Prio3Histogram::VerifyState> states;
    std::vector<vdaf::Prio3Histogram::VerifierShare> vs;
    for (std::size_t j = 0; j < 3; ++j) {
      auto [s, v] = vdaf.verify_init(verify_key, ctx, j, ap, shard.nonce, shard.public_share,
                                     shard.input_shares[j]);
      states.push_back(std::move(s));
      vs.push_back(std::move(v));
    }
    const auto msg = vdaf.verifier_shares_to_message(ctx, ap, vs);
    for (std::size_t j = 0; j < 3; ++j) {
      vdaf.agg_update(
          ap, agg[j],
          std::get<vdaf::Prio3Histogram::OutShare>(vdaf.verify_next(ctx, states[j], msg)));
    }
  }
  EXPECT_EQ(vdaf.unshard(ap, agg, 4), (std::vector<std::uint64_t>{1, 0, 0, 1, 0, 0, 2}));
}

TEST(Prio3Properties, IsValidOnlyOnce) {
  const vdaf::Prio3Count vdaf(2);
  const vdaf::Prio3Count::AggParam ap{};
  EXPECT_TRUE(vdaf.is_valid(ap, {}));
  const vdaf::Prio3Count::AggParam prev[1] = {ap};
  EXPECT_FALSE(vdaf.is_valid(ap, prev));
}

TEST(Prio3Properties, ContextSeparatesReports) {
  // A report sharded under one ctx does not verify under another.
  const vdaf::Prio3Count vdaf(2);
  const Bytes ctx_a = {'a'}, ctx_b = {'b'}, key(32, 7);
  const vdaf::Prio3Count::AggParam ap{};
  int rejected_count = 0;
  for (int trial = 0; trial < 4; ++trial) {
    const auto shard = vdaf.shard(ctx_a, 1);
    try {
      std::vector<vdaf::Prio3Count::VerifyState> states;
      std::vector<vdaf::Prio3Count::VerifierShare> vs;
      for (std::size_t j = 0; j < 2; ++j) {
        auto [s, v] = vdaf.verify_init(key, ctx_b, j, ap, shard.nonce, shard.public_share,
                                       shard.input_shares[j]);
        states.push_back(std::move(s));
        vs.push_back(std::move(v));
      }
      const auto msg = vdaf.verifier_shares_to_message(ctx_b, ap, vs);
      for (std::size_t j = 0; j < 2; ++j) (void)vdaf.verify_next(ctx_b, states[j], msg);
    } catch (const vdaf::verify_error&) {
      ++rejected_count;
    }
  }
  EXPECT_EQ(rejected_count, 4);
}

}  // namespace
