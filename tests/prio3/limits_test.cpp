// Bounded resources and one exception discipline (issue 10), one test per case an adversarial
// review found:
// - parameters beyond FlpLimits are invalid_argument naming the limit, before anything is
//   allocated (no bad_alloc, length_error, UB or internal_error), and the largest accepted ones
//   construct;
// - a measurement of the wrong shape is refused before buffers are sized for it;
// - unshard refuses an aggregate that could have wrapped past the field modulus (Prio3Sum with
//   max 2^63-1: two reports used to unshard to 4294967293) and is exact below the bound;
// - ping-pong turns std::bad_alloc and foreign exceptions of a step into Rejected.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <new>
#include <span>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "vdaf/poplar1.hpp"
#include "vdaf/prio3.hpp"
#include "vdaf/topology/ping_pong.hpp"

namespace {

using vdaf::Bytes;
using vdaf::FlpLimits;

/// Expects `f()` to throw exactly vdaf::invalid_argument with `needle` in its message.
void expect_limit(const std::function<void()>& f, const std::string& needle) {
  try {
    f();
    ADD_FAILURE() << "accepted (expected invalid_argument mentioning '" << needle << "')";
  } catch (const vdaf::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "threw " << typeid(e).name() << ": " << e.what()
                  << " (expected vdaf::invalid_argument)";
  }
}

constexpr std::size_t k2(int e) { return std::size_t{1} << e; }

/// A custom circuit whose one gadget, ParallelSum(Mul, 2^22) called 2^10 times, has
/// arity·P = 2^23·2^11 wire elements: beyond MAX_WIRE_ELEMENTS although every length is small.
struct WideCircuit {
  using Field = vdaf::Field64;
  using Measurement = std::uint64_t;
  using AggResult = std::uint64_t;
  std::vector<vdaf::Gadget<Field>> gadgets_ = {
      vdaf::Gadget<Field>::ParallelSum(vdaf::Gadget<Field>::Mul(), k2(22))};
  std::vector<std::size_t> calls_ = {k2(10)};
  std::size_t meas_len() const noexcept { return 1; }
  std::size_t joint_rand_len() const noexcept { return 0; }
  std::size_t output_len() const noexcept { return 1; }
  std::size_t eval_output_len() const noexcept { return 1; }
  const std::vector<vdaf::Gadget<Field>>& gadgets() const noexcept { return gadgets_; }
  const std::vector<std::size_t>& gadget_calls() const noexcept { return calls_; }
  template <class Ctx>
  void eval(Ctx&, std::span<const Field>, std::span<const Field>, std::size_t,
            std::span<Field> out) const {
    out[0] = Field::zero();
  }
  void truncate(std::span<const Field> meas, std::span<Field> out) const noexcept {
    out[0] = meas[0];
  }
};
static_assert(vdaf::Valid<WideCircuit>);

TEST(Limits, ParametersBeyondTheLimitsAreInvalidArgument) {
  // The cases of the review, each once a bad_alloc, length_error, UB or internal_error.
  expect_limit([] { vdaf::Prio3Histogram(2, k2(40), 1); }, "MAX_MEAS_LEN");
  expect_limit([] { vdaf::Prio3Histogram(2, k2(40), k2(20)); }, "MAX_MEAS_LEN");
  expect_limit([] { vdaf::Prio3SumVec(2, k2(57) - 1, ~std::uint64_t{0}, 1); }, "MAX_MEAS_LEN");
  expect_limit([] { vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>(2, k2(30) - 1, 1, 1, 1); },
               "MAX_MEAS_LEN");
  expect_limit([] { vdaf::Prio3SumVec(2, k2(40), 1, k2(20)); }, "MAX_MEAS_LEN");
  expect_limit([] { vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>(2, k2(31) - 1, 1, 1, 3); },
               "MAX_MEAS_LEN");
  // 2^23 buckets with chunk 1: accepted before (2 GiB, 8-15 s); now beyond the length limit.
  expect_limit([] { vdaf::Prio3Histogram(2, k2(23), 1); }, "MAX_MEAS_LEN");
  // Within MAX_MEAS_LEN but too many gadget calls, or too many wire elements.
  expect_limit([] { vdaf::Prio3Histogram(2, k2(22), 1); }, "MAX_GADGET_CALLS");
  // The library's ParallelSum circuits stay within MAX_WIRE_ELEMENTS by their own limits
  // (arity·P is at most 4·MEAS_LEN or 4·chunk_length); a custom circuit is checked by the FLP.
  expect_limit([] { vdaf::FlpBBCGGI19<WideCircuit>(WideCircuit{}); }, "MAX_WIRE_ELEMENTS");
  expect_limit([] { vdaf::Prio3Histogram(2, 10, k2(23)); }, "chunk_length");
  expect_limit([] { vdaf::Prio3MultihotCountVec(2, k2(22), 1, 1000); }, "MAX_MEAS_LEN");
  expect_limit([] { vdaf::Prio3SumVec(2, k2(17), ~std::uint64_t{0}, 1); }, "MAX_MEAS_LEN");
  // PROOF_LEN·PROOFS: a SumVec whose proof is near 2^22 elements, with 255 proofs.
  expect_limit([] { vdaf::Prio3SumVecWithMultiproof<vdaf::Field128>(2, 4096, 1, k2(21), 255); },
               "MAX_PROOFS_LEN");
}

TEST(Limits, TheLargestAcceptedInstancesConstruct) {
  // Each at a limit: construction only (their reports are measured in bench/limits_bench.cpp).
  EXPECT_NO_THROW(vdaf::Prio3Histogram(2, FlpLimits::MAX_MEAS_LEN, k2(11)));  // 2^24 wires
  EXPECT_NO_THROW(vdaf::Prio3SumVec(2, FlpLimits::MAX_MEAS_LEN / 64, ~std::uint64_t{0}, k2(11)));
  EXPECT_NO_THROW(vdaf::Prio3MultihotCountVec(2, FlpLimits::MAX_MEAS_LEN - 23, 2, k2(11)));
  EXPECT_NO_THROW(
      vdaf::Prio3Histogram(2, FlpLimits::MAX_GADGET_CALLS, 1));  // 2^20 calls, 2^22 wires
  const vdaf::Prio3Histogram h(2, FlpLimits::MAX_MEAS_LEN, k2(11));
  EXPECT_EQ(h.meas_len(), FlpLimits::MAX_MEAS_LEN);
  EXPECT_LE(h.proof_len(), FlpLimits::MAX_PROOFS_LEN);
}

TEST(Limits, MeasurementShapeIsCheckedBeforeBuffersAreSized) {
  // A large accepted SumVec and a 4-entry measurement: invalid_argument about the length, before
  // the 2^22-element buffer of the encoded measurement exists.
  const vdaf::Prio3SumVec v(2, k2(20), 15, k2(10));
  try {
    (void)v.shard(Bytes{}, std::vector<std::uint64_t>(4, 1));
    ADD_FAILURE() << "accepted a 4-entry measurement";
  } catch (const vdaf::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("expected length 1048576"), std::string::npos) << e.what();
  }
  const vdaf::Prio3Histogram h(2, 100, 10);
  EXPECT_THROW((void)h.shard(Bytes{}, 100), vdaf::invalid_argument);
  const vdaf::Prio3MultihotCountVec mh(2, 10, 2, 3);
  EXPECT_THROW((void)mh.shard(Bytes{}, std::vector<bool>(11)), vdaf::invalid_argument);
}

/// Shards and verifies `reports` copies of measurement `m` and unshards their aggregate.
template <class V>
typename V::AggResult aggregate_of(const V& v, const typename V::Measurement& m,
                                   std::size_t reports, std::uint64_t claimed) {
  const Bytes key(32, 3), ctx{'l'};
  std::vector<typename V::AggShare> agg = {v.agg_init({}), v.agg_init({})};
  for (std::size_t i = 0; i < reports; ++i) {
    const auto sh = v.shard(ctx, m);
    std::vector<typename V::VerifyState> st;
    std::vector<typename V::VerifierShare> vs;
    for (std::size_t j = 0; j < 2; ++j) {
      auto [s, x] = v.verify_init(key, ctx, j, {}, sh.nonce, sh.public_share, sh.input_shares[j]);
      st.push_back(std::move(s));
      vs.push_back(std::move(x));
    }
    const auto msg = v.verifier_shares_to_message(ctx, {}, vs);
    for (std::size_t j = 0; j < 2; ++j) {
      v.agg_update({}, agg[j], std::get<1>(v.verify_next(ctx, st[j], msg)));
    }
  }
  return v.unshard({}, agg, claimed);
}

TEST(Limits, UnshardNeverWraps) {
  // Prio3Sum with max 2^63-1: two reports of the maximum sum to 2^64 - 2 > p: refused (this
  // returned 4294967293 before), with the bound in the message. One report is exact.
  const std::uint64_t big = (std::uint64_t{1} << 63) - 1;
  const vdaf::Prio3Sum sum(2, big);
  EXPECT_EQ(aggregate_of(sum, big, 1, 1), big);
  expect_limit([&] { (void)aggregate_of(sum, big, 2, 2); }, "would wrap");
  // The bound is exact: (p - 1) / max measurements are allowed.
  const std::uint64_t p = vdaf::Field64::MODULUS;
  const vdaf::Prio3Sum small(2, 1000);
  const auto zero = std::vector<vdaf::Prio3Sum::AggShare>{small.agg_init({}), small.agg_init({})};
  EXPECT_NO_THROW((void)small.unshard({}, zero, (p - 1) / 1000));
  expect_limit([&] { (void)small.unshard({}, zero, (p - 1) / 1000 + 1); }, "would wrap");
  // Count: any count below p; Histogram (Field128): 2^64 - 1 measurements are fine.
  const vdaf::Prio3Count count(2);
  const auto czero =
      std::vector<vdaf::Prio3Count::AggShare>{count.agg_init({}), count.agg_init({})};
  EXPECT_NO_THROW((void)count.unshard({}, czero, p - 1));
  expect_limit([&] { (void)count.unshard({}, czero, p); }, "would wrap");
  const vdaf::Prio3Histogram hist(2, 4, 2);
  const auto hzero =
      std::vector<vdaf::Prio3Histogram::AggShare>{hist.agg_init({}), hist.agg_init({})};
  EXPECT_NO_THROW((void)hist.unshard({}, hzero, ~std::uint64_t{0}));
  // SumVec over Field128 with max 2^64-1: n·max must stay below p ≈ 2^128 - 28·2^64.
  const vdaf::Prio3SumVec sv(2, 2, ~std::uint64_t{0}, 1);
  const auto szero = std::vector<vdaf::Prio3SumVec::AggShare>{sv.agg_init({}), sv.agg_init({})};
  EXPECT_NO_THROW((void)sv.unshard({}, szero, std::uint64_t{1} << 60));
  expect_limit([&] { (void)sv.unshard({}, szero, ~std::uint64_t{0}); }, "would wrap");
  // Poplar1 at an inner level (Field64).
  const vdaf::Poplar1 pop(4);
  const vdaf::Poplar1::AggParam ap{1, {vdaf::BitString{false, true}}};
  const std::vector<vdaf::Poplar1::AggShare> pzero = {pop.agg_init(ap), pop.agg_init(ap)};
  EXPECT_NO_THROW((void)pop.unshard(ap, pzero, p - 1));
  expect_limit([&] { (void)pop.unshard(ap, pzero, p); }, "wrap");
}

// A VDAF whose verify_init runs out of memory or throws something that is not a vdaf::error:
// ping-pong must turn both into Rejected, never let them escape.
struct Throwing : vdaf::Prio3Count {
  enum class Kind { bad_alloc, foreign } kind;
  explicit Throwing(Kind k) : vdaf::Prio3Count(2), kind(k) {}
  std::pair<VerifyState, VerifierShare> verify_init(vdaf::ByteSpan, vdaf::ByteSpan, std::size_t,
                                                    const AggParam&, vdaf::ByteSpan,
                                                    const PublicShare&, const InputShare&) const {
    if (kind == Kind::bad_alloc) throw std::bad_alloc();
    throw std::out_of_range("a foreign exception");
  }
  // The batch path (PingPong uses it for a VDAF that has it) fails for the whole batch.
  std::vector<VerifyInitOutcome> verify_init_batch(vdaf::ByteSpan, vdaf::ByteSpan, std::size_t,
                                                   const AggParam&, std::span<const vdaf::ByteSpan>,
                                                   std::span<const PublicShare>,
                                                   std::span<const InputShare>) const {
    if (kind == Kind::bad_alloc) throw std::bad_alloc();
    throw std::out_of_range("a foreign exception");
  }
};

TEST(Limits, PingPongStepsNeverThrow) {
  for (const auto kind : {Throwing::Kind::bad_alloc, Throwing::Kind::foreign}) {
    const Throwing v(kind);
    const vdaf::PingPong<Throwing> pp(v, Bytes(32, 1), Bytes{}, {});
    const auto sh = vdaf::Prio3Count(2).shard(Bytes{}, 1);
    const Bytes ps = v.encode_public_share(sh.public_share);
    const Bytes l = v.encode_input_share(sh.input_shares[0]);
    const Bytes h = v.encode_input_share(sh.input_shares[1]);
    using PP = vdaf::PingPong<Throwing>;
    const auto a = pp.leader_initialized_encoded(sh.nonce, ps, l);
    const auto b = pp.helper_initialized_encoded(sh.nonce, ps, h, Bytes{0, 0, 0, 0, 0});
    for (const auto* s : {&a, &b}) {
      ASSERT_TRUE(PP::is_rejected(*s));
      EXPECT_EQ(std::get<PP::Rejected>(*s).cause, kind == Throwing::Kind::bad_alloc
                                                      ? vdaf::RejectCause::out_of_memory
                                                      : vdaf::RejectCause::internal_error);
    }
    const std::vector<vdaf::ByteSpan> ns = {sh.nonce}, pss = {ps}, ls = {l};
    const auto batch = pp.leader_initialized_encoded_batch(ns, pss, ls);
    ASSERT_EQ(batch.size(), 1u);
    ASSERT_TRUE(PP::is_rejected(batch[0]));
    EXPECT_EQ(std::get<PP::Rejected>(batch[0]).cause, std::get<PP::Rejected>(a).cause);
  }
}

}  // namespace
