// Prio3 misuse and malformed input (draft-irtf-cfrg-vdaf-20 §7.2): every
// decoder rejects truncated, trailing and non-canonical bytes with
// vdaf::decode_error; out-of-range measurements, invalid parameters and wrong
// lengths throw vdaf::invalid_argument with a message that says what was wrong;
// failed calls leave the caller's state unchanged.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include "vdaf/prio3.hpp"

namespace {

using vdaf::Bytes;

static_assert(std::is_base_of_v<std::runtime_error, vdaf::error>);
static_assert(std::is_base_of_v<vdaf::error, vdaf::invalid_argument>);
static_assert(std::is_base_of_v<vdaf::error, vdaf::decode_error>);
static_assert(std::is_base_of_v<vdaf::error, vdaf::verify_error>);
static_assert(std::is_base_of_v<vdaf::error, vdaf::internal_error>);

/// Runs `f`, expects exception type E whose message is non-empty and contains
/// every string in `words` (case-sensitive).
template <class E>
void expect_throw_msg(const std::function<void()>& f, std::initializer_list<const char*> words,
                      const std::string& where) {
  SCOPED_TRACE(where);
  try {
    f();
    ADD_FAILURE() << "expected an exception";
  } catch (const E& e) {
    const std::string msg = e.what();
    EXPECT_FALSE(msg.empty());
    for (const char* w : words) EXPECT_NE(msg.find(w), std::string::npos) << "message: " << msg;
    // Every library exception is a vdaf::error.
    EXPECT_NE(dynamic_cast<const vdaf::error*>(&e), nullptr);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type: " << e.what();
  }
}

// ---------------------------------------------------------------------------
// A valid report for an instance, with its encoded messages
// ---------------------------------------------------------------------------

template <class V>
struct Report {
  using AggParam = typename V::AggParam;
  const V& vdaf;
  Bytes ctx = {'t', 'e', 's', 't'};
  Bytes verify_key = Bytes(32, 0x11);
  typename V::ShardResult shard;
  Bytes nonce;
  Bytes public_share;
  std::vector<Bytes> input_shares;
  std::vector<typename V::VerifyState> states;
  std::vector<Bytes> verifier_shares;
  Bytes verifier_message;
  Bytes out_share;
  Bytes agg_share;

  Report(const V& v, const typename V::Measurement& m) : vdaf(v) {
    nonce.assign(V::NONCE_SIZE, 0x22);
    Bytes rand(vdaf.rand_size());
    for (std::size_t i = 0; i < rand.size(); ++i) rand[i] = static_cast<std::uint8_t>(i * 7 + 1);
    shard = vdaf.shard(ctx, m, nonce, rand);
    public_share = vdaf.encode_public_share(shard.public_share);
    std::vector<typename V::VerifierShare> vs;
    for (std::size_t j = 0; j < vdaf.shares(); ++j) {
      input_shares.push_back(vdaf.encode_input_share(shard.input_shares[j]));
      auto [s, v2] = vdaf.verify_init(verify_key, ctx, j, AggParam{}, nonce, shard.public_share,
                                      shard.input_shares[j]);
      verifier_shares.push_back(vdaf.encode_verifier_share(v2));
      states.push_back(std::move(s));
      vs.push_back(std::move(v2));
    }
    const auto msg = vdaf.verifier_shares_to_message(ctx, AggParam{}, vs);
    verifier_message = vdaf.encode_verifier_message(msg);
    const auto out = std::get<typename V::OutShare>(vdaf.verify_next(ctx, states[0], msg));
    out_share = vdaf.encode_out_share(out);
    auto agg = vdaf.agg_init(AggParam{});
    vdaf.agg_update(AggParam{}, agg, out);
    agg_share = vdaf.encode_agg_share(agg);
  }
};

/// The instances used by the decoder tests: with and without joint
/// randomness, Field64 and Field128, one and several proofs.
struct Instances {
  vdaf::Prio3Count count{2};
  vdaf::Prio3Sum sum{3, 1000};
  vdaf::Prio3SumVec sum_vec{2, 5, 3, 2};
  vdaf::Prio3Histogram histogram{3, 6, 2};
  vdaf::Prio3MultihotCountVec multihot{2, 6, 3, 3};
  vdaf::Prio3SumVecWithMultiproof<vdaf::Field64> multiproof64{2, 4, 7, 2, 3};
  vdaf::Prio3SumVecWithMultiproof<vdaf::Field128> multiproof128{4, 3, 15, 2, 2};
  vdaf::Prio3HigherDegree higher_degree{2};

  /// Calls f(name, report) for a valid report of every instance.
  template <class Fn>
  void for_each(Fn&& f) const {
    f("Prio3Count", Report<vdaf::Prio3Count>(count, 1));
    f("Prio3Sum", Report<vdaf::Prio3Sum>(sum, 999));
    f("Prio3SumVec", Report<vdaf::Prio3SumVec>(sum_vec, {0, 1, 2, 3, 3}));
    f("Prio3Histogram", Report<vdaf::Prio3Histogram>(histogram, 4));
    f("Prio3MultihotCountVec",
      Report<vdaf::Prio3MultihotCountVec>(multihot, {true, false, true, false, false, true}));
    f("Prio3SumVecWithMultiproof<Field64>",
      Report<vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>>(multiproof64, {7, 0, 1, 6}));
    f("Prio3SumVecWithMultiproof<Field128>",
      Report<vdaf::Prio3SumVecWithMultiproof<vdaf::Field128>>(multiproof128, {15, 14, 0}));
    f("Prio3HigherDegree", Report<vdaf::Prio3HigherDegree>(higher_degree, 2));
  }
};

template <class R>
bool uses_joint_rand(const R& r) {
  return r.vdaf.joint_rand_len() > 0;
}

Bytes truncated(Bytes b, std::size_t n = 1) {
  b.resize(b.size() - n);
  return b;
}
Bytes trailing(Bytes b, std::size_t n = 1) {
  b.insert(b.end(), n, 0);
  return b;
}
/// Overwrites the field element at index `i` with all-ff bytes (>= p for both fields).
Bytes non_canonical(Bytes b, std::size_t i, std::size_t fe) {
  for (std::size_t k = 0; k < fe; ++k) b[i * fe + k] = 0xff;
  return b;
}
/// Overwrites the field element at index `i` with exactly p (little-endian).
template <class F>
Bytes element_is_p(Bytes b, std::size_t i) {
  const auto p = F::MODULUS;
  for (std::size_t k = 0; k < F::ENCODED_SIZE; ++k) {
    b[i * F::ENCODED_SIZE + k] = static_cast<std::uint8_t>(p >> (8 * k));
  }
  return b;
}

// ---------------------------------------------------------------------------
// Decoders
// ---------------------------------------------------------------------------

TEST(Prio3BadInput, ValidEncodingsDecode) {
  // Sanity: the unmodified encodings decode (so the failures below are due to
  // the modification alone).
  Instances inst;
  inst.for_each([](const char* name, const auto& r) {
    SCOPED_TRACE(name);
    EXPECT_NO_THROW((void)r.vdaf.decode_public_share(r.public_share));
    for (std::size_t j = 0; j < r.vdaf.shares(); ++j) {
      EXPECT_NO_THROW((void)r.vdaf.decode_input_share(j, r.input_shares[j]));
      EXPECT_NO_THROW((void)r.vdaf.decode_verifier_share(r.states[j], r.verifier_shares[j]));
    }
    EXPECT_NO_THROW((void)r.vdaf.decode_verifier_message(r.states[0], r.verifier_message));
    EXPECT_NO_THROW((void)r.vdaf.decode_agg_share({}, r.agg_share));
    EXPECT_NO_THROW((void)r.vdaf.decode_out_share({}, r.out_share));
    EXPECT_NO_THROW((void)r.vdaf.decode_agg_param(Bytes{}));
  });
}

TEST(Prio3BadInput, PublicShareTruncated) {
  Instances inst;
  inst.for_each([](const char* name, const auto& r) {
    if (!uses_joint_rand(r)) return;  // empty: nothing to truncate
    for (std::size_t n : {std::size_t{1}, std::size_t{32}, r.public_share.size()}) {
      expect_throw_msg<vdaf::decode_error>(
          [&] { (void)r.vdaf.decode_public_share(truncated(r.public_share, n)); },
          {"public share", "truncated"}, std::string(name) + " minus " + std::to_string(n));
    }
  });
}

TEST(Prio3BadInput, PublicShareTrailing) {
  Instances inst;
  inst.for_each([](const char* name, const auto& r) {
    for (std::size_t n : {std::size_t{1}, std::size_t{32}}) {
      expect_throw_msg<vdaf::decode_error>(
          [&] { (void)r.vdaf.decode_public_share(trailing(r.public_share, n)); },
          {"public share", "trailing"}, std::string(name) + " plus " + std::to_string(n));
    }
  });
}

TEST(Prio3BadInput, LeaderInputShareTruncated) {
  Instances inst;
  inst.for_each([](const char* name, const auto& r) {
    const Bytes& b = r.input_shares[0];
    for (std::size_t n : {std::size_t{1}, std::size_t{32}, b.size()}) {
      expect_throw_msg<vdaf::decode_error>(
          [&] { (void)r.vdaf.decode_input_share(0, truncated(b, n)); }, {"leader input share"},
          std::string(name) + " minus " + std::to_string(n));
    }
  });
}

TEST(Prio3BadInput, LeaderInputShareTrailing) {
  Instances inst;
  inst.for_each([](const char* name, const auto& r) {
    for (std::size_t n : {std::size_t{1}, std::size_t{16}, std::size_t{32}}) {
      expect_throw_msg<vdaf::decode_error>(
          [&] { (void)r.vdaf.decode_input_share(0, trailing(r.input_shares[0], n)); },
          {"leader input share"}, std::string(name) + " plus " + std::to_string(n));
    }
  });
}

TEST(Prio3BadInput, LeaderInputShareNonCanonical) {
  Instances inst;
  inst.for_each([](const char* name, const auto& r) {
    using V = std::decay_t<decltype(r.vdaf)>;
    using F = typename V::Field;
    const std::size_t fe = F::ENCODED_SIZE;
    const std::size_t meas = r.vdaf.meas_len(), proofs = r.vdaf.proof_len() * r.vdaf.num_proofs();
    // First and last measurement element, first and last proof element.
    for (std::size_t i : {std::size_t{0}, meas - 1, meas, meas + proofs - 1}) {
      expect_throw_msg<vdaf::decode_error>(
          [&] { (void)r.vdaf.decode_input_share(0, non_canonical(r.input_shares[0], i, fe)); },
          {"modulus"}, std::string(name) + " all-ff element " + std::to_string(i));
      expect_throw_msg<vdaf::decode_error>(
          [&] { (void)r.vdaf.decode_input_share(0, element_is_p<F>(r.input_shares[0], i)); },
          {"modulus"}, std::string(name) + " element == p at " + std::to_string(i));
    }
  });
}

TEST(Prio3BadInput, HelperInputShareTruncated) {
  Instances inst;
  inst.for_each([](const char* name, const auto& r) {
    const Bytes& b = r.input_shares[1];
    for (std::size_t n : {std::size_t{1}, std::size_t{32}, b.size()}) {
      expect_throw_msg<vdaf::decode_error>(
          [&] { (void)r.vdaf.decode_input_share(1, truncated(b, n)); }, {"helper input share"},
          std::string(name) + " minus " + std::to_string(n));
    }
  });
}

TEST(Prio3BadInput, HelperInputShareTrailing) {
  Instances inst;
  inst.for_each([](const char* name, const auto& r) {
    for (std::size_t n : {std::size_t{1}, std::size_t{32}}) {
      expect_throw_msg<vdaf::decode_error>(
          [&] {
            (void)r.vdaf.decode_input_share(r.vdaf.shares() - 1,
                                            trailing(r.input_shares.back(), n));
          },
          {"helper input share", "trailing"}, std::string(name) + " plus " + std::to_string(n));
    }
  });
}

TEST(Prio3BadInput, InputShareAggIdOutOfRange) {
  Instances inst;
  inst.for_each([](const char* name, const auto& r) {
    expect_throw_msg<vdaf::invalid_argument>(
        [&] { (void)r.vdaf.decode_input_share(r.vdaf.shares(), r.input_shares[1]); }, {"agg_id"},
        name);
  });
}

TEST(Prio3BadInput, VerifierShareTruncated) {
  Instances inst;
  inst.for_each([](const char* name, const auto& r) {
    const Bytes& b = r.verifier_shares[0];
    for (std::size_t n : {std::size_t{1}, b.size()}) {
      expect_throw_msg<vdaf::decode_error>(
          [&] { (void)r.vdaf.decode_verifier_share(r.states[0], truncated(b, n)); },
          {"verifier share", "truncated"}, std::string(name) + " minus " + std::to_string(n));
    }
  });
}

TEST(Prio3BadInput, VerifierShareTrailing) {
  Instances inst;
  inst.for_each([](const char* name, const auto& r) {
    for (std::size_t n : {std::size_t{1}, std::size_t{32}}) {
      expect_throw_msg<vdaf::decode_error>(
          [&] {
            (void)r.vdaf.decode_verifier_share(r.states[1], trailing(r.verifier_shares[1], n));
          },
          {"verifier share", "trailing"}, std::string(name) + " plus " + std::to_string(n));
    }
  });
}

TEST(Prio3BadInput, VerifierShareNonCanonical) {
  Instances inst;
  inst.for_each([](const char* name, const auto& r) {
    using V = std::decay_t<decltype(r.vdaf)>;
    using F = typename V::Field;
    const std::size_t n = r.vdaf.verifier_len() * r.vdaf.num_proofs();
    for (std::size_t i : {std::size_t{0}, n - 1}) {
      expect_throw_msg<vdaf::decode_error>(
          [&] {
            (void)r.vdaf.decode_verifier_share(
                r.states[0], non_canonical(r.verifier_shares[0], i, F::ENCODED_SIZE));
          },
          {"modulus"}, std::string(name) + " all-ff element " + std::to_string(i));
      expect_throw_msg<vdaf::decode_error>(
          [&] {
            (void)r.vdaf.decode_verifier_share(r.states[0],
                                               element_is_p<F>(r.verifier_shares[0], i));
          },
          {"modulus"}, std::string(name) + " element == p at " + std::to_string(i));
    }
  });
}

TEST(Prio3BadInput, VerifierMessageTruncated) {
  Instances inst;
  inst.for_each([](const char* name, const auto& r) {
    if (!uses_joint_rand(r)) return;  // empty message: nothing to truncate
    for (std::size_t n : {std::size_t{1}, std::size_t{32}}) {
      expect_throw_msg<vdaf::decode_error>(
          [&] {
            (void)r.vdaf.decode_verifier_message(r.states[0], truncated(r.verifier_message, n));
          },
          {"verifier message", "truncated"}, std::string(name) + " minus " + std::to_string(n));
    }
  });
}

TEST(Prio3BadInput, VerifierMessageTrailing) {
  Instances inst;
  inst.for_each([](const char* name, const auto& r) {
    for (std::size_t n : {std::size_t{1}, std::size_t{32}}) {
      expect_throw_msg<vdaf::decode_error>(
          [&] {
            (void)r.vdaf.decode_verifier_message(r.states[0], trailing(r.verifier_message, n));
          },
          {"verifier message", "trailing"}, std::string(name) + " plus " + std::to_string(n));
    }
  });
}

TEST(Prio3BadInput, AggShareTruncated) {
  Instances inst;
  inst.for_each([](const char* name, const auto& r) {
    for (std::size_t n : {std::size_t{1}, r.agg_share.size()}) {
      expect_throw_msg<vdaf::decode_error>(
          [&] { (void)r.vdaf.decode_agg_share({}, truncated(r.agg_share, n)); },
          {"aggregate share", "truncated"}, std::string(name) + " minus " + std::to_string(n));
    }
  });
}

TEST(Prio3BadInput, AggShareTrailing) {
  Instances inst;
  inst.for_each([](const char* name, const auto& r) {
    using V = std::decay_t<decltype(r.vdaf)>;
    // One byte, and one whole extra element.
    for (std::size_t n : {std::size_t{1}, V::Field::ENCODED_SIZE}) {
      expect_throw_msg<vdaf::decode_error>(
          [&] { (void)r.vdaf.decode_agg_share({}, trailing(r.agg_share, n)); },
          {"aggregate share", "trailing"}, std::string(name) + " plus " + std::to_string(n));
    }
  });
}

TEST(Prio3BadInput, AggShareNonCanonical) {
  Instances inst;
  inst.for_each([](const char* name, const auto& r) {
    using V = std::decay_t<decltype(r.vdaf)>;
    using F = typename V::Field;
    const std::size_t n = r.vdaf.output_len();
    for (std::size_t i : {std::size_t{0}, n - 1}) {
      expect_throw_msg<vdaf::decode_error>(
          [&] {
            (void)r.vdaf.decode_agg_share({}, non_canonical(r.agg_share, i, F::ENCODED_SIZE));
          },
          {"modulus"}, std::string(name) + " all-ff element " + std::to_string(i));
      expect_throw_msg<vdaf::decode_error>(
          [&] { (void)r.vdaf.decode_agg_share({}, element_is_p<F>(r.agg_share, i)); }, {"modulus"},
          std::string(name) + " element == p at " + std::to_string(i));
    }
  });
}

TEST(Prio3BadInput, OutShareMalformed) {
  Instances inst;
  inst.for_each([](const char* name, const auto& r) {
    using V = std::decay_t<decltype(r.vdaf)>;
    using F = typename V::Field;
    expect_throw_msg<vdaf::decode_error>(
        [&] { (void)r.vdaf.decode_out_share({}, truncated(r.out_share)); }, {"truncated"}, name);
    expect_throw_msg<vdaf::decode_error>(
        [&] { (void)r.vdaf.decode_out_share({}, trailing(r.out_share)); }, {"trailing"}, name);
    expect_throw_msg<vdaf::decode_error>(
        [&] { (void)r.vdaf.decode_out_share({}, element_is_p<F>(r.out_share, 0)); }, {"modulus"},
        name);
  });
}

TEST(Prio3BadInput, AggParamNonEmpty) {
  Instances inst;
  inst.for_each([](const char* name, const auto& r) {
    for (std::size_t n : {std::size_t{1}, std::size_t{16}}) {
      expect_throw_msg<vdaf::decode_error>([&] { (void)r.vdaf.decode_agg_param(Bytes(n, 0)); },
                                           {"aggregation parameter", "trailing"},
                                           std::string(name) + " " + std::to_string(n));
    }
  });
}

// ---------------------------------------------------------------------------
// Out-of-range measurements
// ---------------------------------------------------------------------------

template <class V>
void expect_bad_measurement(const V& vdaf, const typename V::Measurement& m,
                            std::initializer_list<const char*> words, const std::string& where) {
  expect_throw_msg<vdaf::invalid_argument>([&] { (void)vdaf.shard(Bytes{}, m); }, words, where);
  // Also with explicit randomness.
  const Bytes nonce(16, 1), rand(vdaf.rand_size(), 2);
  expect_throw_msg<vdaf::invalid_argument>([&] { (void)vdaf.shard(Bytes{}, m, nonce, rand); },
                                           words, where + " (explicit rand)");
}

TEST(Prio3BadInput, CountMeasurementOutOfRange) {
  const vdaf::Prio3Count v(2);
  expect_bad_measurement(v, 2, {"Prio3Count", "0 or 1"}, "2");
  expect_bad_measurement(v, ~std::uint64_t{0}, {"Prio3Count", "0 or 1"}, "2^64-1");
}

TEST(Prio3BadInput, SumMeasurementAboveMax) {
  const vdaf::Prio3Sum v(2, 1000);
  expect_bad_measurement(v, 1001, {"Prio3Sum", "max_measurement"}, "1001");
  const vdaf::Prio3Sum big(2, (std::uint64_t{1} << 63) - 1);
  expect_bad_measurement(big, std::uint64_t{1} << 63, {"Prio3Sum", "max_measurement"}, "2^63");
  expect_bad_measurement(big, ~std::uint64_t{0}, {"Prio3Sum", "max_measurement"}, "2^64-1");
  EXPECT_NO_THROW((void)big.shard(Bytes{}, (std::uint64_t{1} << 63) - 1));
}

TEST(Prio3BadInput, HistogramIndexOutOfRange) {
  const vdaf::Prio3Histogram v(2, 10, 3);
  expect_bad_measurement(v, 10, {"Prio3Histogram", "length"}, "10");
  expect_bad_measurement(v, 12, {"Prio3Histogram", "12", "length 10"}, "12");
  expect_bad_measurement(v, ~std::uint64_t{0}, {"Prio3Histogram", "length"}, "2^64-1");
}

TEST(Prio3BadInput, SumVecEntryAboveMax) {
  const vdaf::Prio3SumVec v(2, 4, 5, 2);
  expect_bad_measurement(v, {0, 6, 0, 0}, {"Prio3SumVec", "max_measurement"}, "6 > 5");
  expect_bad_measurement(v, {5, 5, 5, ~std::uint64_t{0}}, {"Prio3SumVec", "max_measurement"},
                         "last entry 2^64-1");
  const vdaf::Prio3SumVecWithMultiproof<vdaf::Field64> mp(2, 3, 7, 2, 2);
  expect_bad_measurement(mp, {8, 0, 0}, {"max_measurement"}, "multiproof 8 > 7");
}

TEST(Prio3BadInput, SumVecWrongLength) {
  const vdaf::Prio3SumVec v(2, 4, 5, 2);
  expect_bad_measurement(v, {0, 1, 2}, {"Prio3SumVec", "length"}, "3 entries");
  expect_bad_measurement(v, {0, 1, 2, 3, 4}, {"Prio3SumVec", "length"}, "5 entries");
  expect_bad_measurement(v, {}, {"Prio3SumVec", "length"}, "0 entries");
  const vdaf::Prio3SumVecWithMultiproof<vdaf::Field128> mp(2, 3, 7, 2, 2);
  expect_bad_measurement(mp, {1, 2}, {"length"}, "multiproof 2 entries");
}

TEST(Prio3BadInput, MultihotWeightAboveMax) {
  const vdaf::Prio3MultihotCountVec v(2, 5, 2, 2);
  expect_bad_measurement(v, {true, true, true, false, false},
                         {"Prio3MultihotCountVec", "max_weight"}, "weight 3 > 2");
  expect_bad_measurement(v, {true, true, true, true, true}, {"Prio3MultihotCountVec", "max_weight"},
                         "weight 5 > 2");
  EXPECT_NO_THROW((void)v.shard(Bytes{}, {false, true, false, true, false}));
}

TEST(Prio3BadInput, MultihotWrongLength) {
  const vdaf::Prio3MultihotCountVec v(2, 5, 2, 2);
  expect_bad_measurement(v, {true, false, false, false}, {"Prio3MultihotCountVec", "length"},
                         "4 entries");
  expect_bad_measurement(v, std::vector<bool>(6, false), {"Prio3MultihotCountVec", "length"},
                         "6 entries");
  expect_bad_measurement(v, {}, {"Prio3MultihotCountVec", "length"}, "0 entries");
}

TEST(Prio3BadInput, HigherDegreeMeasurementOutOfRange) {
  const vdaf::Prio3HigherDegree v(2);
  expect_bad_measurement(v, 3, {"Prio3HigherDegree", "0, 1 or 2"}, "3");
  EXPECT_NO_THROW((void)v.shard(Bytes{}, 2));
}

// ---------------------------------------------------------------------------
// Invalid parameters
// ---------------------------------------------------------------------------

TEST(Prio3BadInput, MaxMeasurementZero) {
  expect_throw_msg<vdaf::invalid_argument>([] { vdaf::Prio3Sum(2, 0); },
                                           {"Prio3Sum", "max_measurement"}, "Sum");
  expect_throw_msg<vdaf::invalid_argument>([] { vdaf::Prio3SumVec(2, 3, 0, 1); },
                                           {"Prio3SumVec", "max_measurement"}, "SumVec");
  expect_throw_msg<vdaf::invalid_argument>(
      [] { vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>(2, 3, 0, 1, 2); }, {"max_measurement"},
      "multiproof");
}

TEST(Prio3BadInput, SumMaxMeasurementTooLargeForField64) {
  // bit_length(2^63) = 64 and 2^64 >= p: rejected for Field64.
  expect_throw_msg<vdaf::invalid_argument>([] { vdaf::Prio3Sum(2, std::uint64_t{1} << 63); },
                                           {"Prio3Sum", "max_measurement"}, "2^63");
  expect_throw_msg<vdaf::invalid_argument>([] { vdaf::Prio3Sum(2, ~std::uint64_t{0}); },
                                           {"Prio3Sum", "max_measurement"}, "2^64-1");
  expect_throw_msg<vdaf::invalid_argument>(
      [] { vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>(2, 1, std::uint64_t{1} << 63, 1, 1); },
      {"max_measurement"}, "multiproof Field64 2^63");
  // The largest valid values are accepted; Field128 takes 64-bit entries.
  EXPECT_NO_THROW(vdaf::Prio3Sum(2, (std::uint64_t{1} << 63) - 1));
  EXPECT_NO_THROW(vdaf::Prio3SumVec(2, 1, ~std::uint64_t{0}, 8));
}

TEST(Prio3BadInput, MultihotMaxWeightZeroOrAboveLength) {
  expect_throw_msg<vdaf::invalid_argument>([] { vdaf::Prio3MultihotCountVec(2, 5, 0, 2); },
                                           {"Prio3MultihotCountVec", "max_weight"}, "0");
  expect_throw_msg<vdaf::invalid_argument>([] { vdaf::Prio3MultihotCountVec(2, 5, 6, 2); },
                                           {"Prio3MultihotCountVec", "max_weight"}, "6 > 5");
  EXPECT_NO_THROW(vdaf::Prio3MultihotCountVec(2, 5, 5, 2));
}

TEST(Prio3BadInput, ChunkLengthZero) {
  expect_throw_msg<vdaf::invalid_argument>([] { vdaf::Prio3SumVec(2, 3, 1, 0); },
                                           {"Prio3SumVec", "chunk_length"}, "SumVec");
  expect_throw_msg<vdaf::invalid_argument>([] { vdaf::Prio3Histogram(2, 3, 0); },
                                           {"Prio3Histogram", "chunk_length"}, "Histogram");
  expect_throw_msg<vdaf::invalid_argument>([] { vdaf::Prio3MultihotCountVec(2, 3, 1, 0); },
                                           {"Prio3MultihotCountVec", "chunk_length"}, "Multihot");
  expect_throw_msg<vdaf::invalid_argument>(
      [] { vdaf::Prio3SumVecWithMultiproof<vdaf::Field128>(2, 3, 1, 0, 2); }, {"chunk_length"},
      "multiproof");
}

TEST(Prio3BadInput, LengthZero) {
  expect_throw_msg<vdaf::invalid_argument>([] { vdaf::Prio3SumVec(2, 0, 1, 1); },
                                           {"Prio3SumVec", "length"}, "SumVec");
  expect_throw_msg<vdaf::invalid_argument>([] { vdaf::Prio3Histogram(2, 0, 1); },
                                           {"Prio3Histogram", "length"}, "Histogram");
  expect_throw_msg<vdaf::invalid_argument>([] { vdaf::Prio3MultihotCountVec(2, 0, 1, 1); },
                                           {"Prio3MultihotCountVec", "length"}, "Multihot");
  expect_throw_msg<vdaf::invalid_argument>(
      [] { vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>(2, 0, 1, 1, 2); }, {"length"},
      "multiproof");
}

TEST(Prio3BadInput, SharesOutOfRange) {
  for (std::size_t s : {std::size_t{0}, std::size_t{1}, std::size_t{256}, std::size_t{1000}}) {
    const std::string where = "shares " + std::to_string(s);
    const std::initializer_list<const char*> words = {"shares", "2..255"};
    expect_throw_msg<vdaf::invalid_argument>([&] { vdaf::Prio3Count{s}; }, words, where);
    expect_throw_msg<vdaf::invalid_argument>([&] { vdaf::Prio3Sum(s, 5); }, words, where);
    expect_throw_msg<vdaf::invalid_argument>([&] { vdaf::Prio3SumVec(s, 2, 1, 1); }, words, where);
    expect_throw_msg<vdaf::invalid_argument>([&] { vdaf::Prio3Histogram(s, 2, 1); }, words, where);
    expect_throw_msg<vdaf::invalid_argument>([&] { vdaf::Prio3MultihotCountVec(s, 2, 1, 1); },
                                             words, where);
    expect_throw_msg<vdaf::invalid_argument>(
        [&] { vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>(s, 2, 1, 1, 3); }, words, where);
    expect_throw_msg<vdaf::invalid_argument>(
        [&] { vdaf::Prio3SumVecWithMultiproof<vdaf::Field128>(s, 2, 1, 1, 1); }, words, where);
    expect_throw_msg<vdaf::invalid_argument>([&] { vdaf::Prio3HigherDegree{s}; }, words, where);
  }
  EXPECT_NO_THROW(vdaf::Prio3Count{2});
  EXPECT_NO_THROW(vdaf::Prio3Count{255});
}

TEST(Prio3BadInput, NumProofsOutOfRange) {
  for (std::size_t p : {std::size_t{0}, std::size_t{256}}) {
    const std::string where = "num_proofs " + std::to_string(p);
    expect_throw_msg<vdaf::invalid_argument>(
        [&] { vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>(2, 2, 1, 1, p); },
        {"num_proofs", "1..255"}, where);
    expect_throw_msg<vdaf::invalid_argument>(
        [&] { vdaf::Prio3SumVecWithMultiproof<vdaf::Field128>(2, 2, 1, 1, p); },
        {"num_proofs", "1..255"}, where);
  }
  EXPECT_NO_THROW(vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>(2, 2, 1, 1, 1));
  EXPECT_NO_THROW(vdaf::Prio3SumVecWithMultiproof<vdaf::Field64>(2, 2, 1, 1, 255));
}

// ---------------------------------------------------------------------------
// Wrong lengths of nonce, rand, verify_key
// ---------------------------------------------------------------------------

TEST(Prio3BadInput, WrongNonceLength) {
  const vdaf::Prio3Histogram v(2, 4, 2);
  const Bytes rand(v.rand_size(), 3);
  for (std::size_t n : {std::size_t{0}, std::size_t{15}, std::size_t{17}, std::size_t{32}}) {
    expect_throw_msg<vdaf::invalid_argument>([&] { (void)v.shard(Bytes{}, 1, Bytes(n, 0), rand); },
                                             {"nonce", "16"}, "shard nonce " + std::to_string(n));
  }
  const Report<vdaf::Prio3Histogram> r(v, 1);
  for (std::size_t n : {std::size_t{0}, std::size_t{15}, std::size_t{17}}) {
    expect_throw_msg<vdaf::invalid_argument>(
        [&] {
          (void)v.verify_init(r.verify_key, r.ctx, 0, {}, Bytes(n, 0x22), r.shard.public_share,
                              r.shard.input_shares[0]);
        },
        {"nonce", "16"}, "verify_init nonce " + std::to_string(n));
  }
}

TEST(Prio3BadInput, WrongRandLength) {
  const vdaf::Prio3Histogram v(3, 4, 2);  // joint randomness: rand_size = 64·3
  const vdaf::Prio3Count c(3);            // no joint randomness: rand_size = 32·3
  EXPECT_EQ(v.rand_size(), 192u);
  EXPECT_EQ(c.rand_size(), 96u);
  const Bytes nonce(16, 0);
  for (std::size_t n : {std::size_t{0}, v.rand_size() - 1, v.rand_size() + 1, c.rand_size()}) {
    expect_throw_msg<vdaf::invalid_argument>([&] { (void)v.shard(Bytes{}, 1, nonce, Bytes(n, 0)); },
                                             {"rand", std::to_string(v.rand_size()).c_str()},
                                             "Histogram rand " + std::to_string(n));
  }
  for (std::size_t n : {std::size_t{0}, c.rand_size() - 1, c.rand_size() + 1, v.rand_size()}) {
    expect_throw_msg<vdaf::invalid_argument>([&] { (void)c.shard(Bytes{}, 1, nonce, Bytes(n, 0)); },
                                             {"rand", std::to_string(c.rand_size()).c_str()},
                                             "Count rand " + std::to_string(n));
  }
}

TEST(Prio3BadInput, WrongVerifyKeyLength) {
  const vdaf::Prio3Sum v(2, 100);
  const Report<vdaf::Prio3Sum> r(v, 42);
  for (std::size_t n : {std::size_t{0}, std::size_t{16}, std::size_t{31}, std::size_t{33}}) {
    for (std::size_t j = 0; j < 2; ++j) {
      expect_throw_msg<vdaf::invalid_argument>(
          [&] {
            (void)v.verify_init(Bytes(n, 0x11), r.ctx, j, {}, r.nonce, r.shard.public_share,
                                r.shard.input_shares[j]);
          },
          {"verify_key", "32"}, "key " + std::to_string(n) + " agg " + std::to_string(j));
    }
  }
}

// ---------------------------------------------------------------------------
// Aggregation misuse
// ---------------------------------------------------------------------------

TEST(Prio3BadInput, AggUpdateWrongLengthLeavesAggregateUnchanged) {
  const vdaf::Prio3Histogram v(2, 4, 2);
  const vdaf::Prio3Histogram::AggParam ap{};
  const Report<vdaf::Prio3Histogram> r(v, 2);
  auto agg = v.decode_agg_share(ap, r.agg_share);  // non-zero aggregate
  const Bytes before = v.encode_agg_share(agg);
  for (std::size_t n : {std::size_t{0}, std::size_t{3}, std::size_t{5}}) {
    const vdaf::Prio3Histogram::OutShare bad(n, vdaf::Field128::one());
    expect_throw_msg<vdaf::invalid_argument>([&] { v.agg_update(ap, agg, bad); },
                                             {"agg_update", "OUTPUT_LEN"},
                                             "out share length " + std::to_string(n));
    EXPECT_EQ(v.encode_agg_share(agg), before);
    EXPECT_EQ(agg.size(), 4u);
  }
  // A wrong-length aggregate is rejected too (and left alone).
  vdaf::Prio3Histogram::AggShare short_agg(3, vdaf::Field128::one());
  const auto out = v.decode_out_share(ap, r.out_share);
  expect_throw_msg<vdaf::invalid_argument>([&] { v.agg_update(ap, short_agg, out); },
                                           {"agg_update"}, "aggregate length 3");
  EXPECT_EQ(short_agg.size(), 3u);
  EXPECT_TRUE(short_agg[0] == vdaf::Field128::one());
}

TEST(Prio3BadInput, UnshardWrongNumberOfShares) {
  const vdaf::Prio3Count v(3);
  const vdaf::Prio3Count::AggParam ap{};
  for (std::size_t n : {std::size_t{0}, std::size_t{2}, std::size_t{4}}) {
    const std::vector<vdaf::Prio3Count::AggShare> shares(n, v.agg_init(ap));
    expect_throw_msg<vdaf::invalid_argument>([&] { (void)v.unshard(ap, shares, 1); },
                                             {"unshard", "3"}, std::to_string(n) + " shares");
  }
  const std::vector<vdaf::Prio3Count::AggShare> three(3, v.agg_init(ap));
  EXPECT_NO_THROW((void)v.unshard(ap, three, 1));
  expect_throw_msg<vdaf::invalid_argument>([&] { (void)v.unshard(ap, three, 0); },
                                           {"num_measurements"}, "0 measurements");
  // Wrong-length aggregate share.
  std::vector<vdaf::Prio3Count::AggShare> bad = three;
  bad[1].push_back(vdaf::Field64::one());
  EXPECT_THROW((void)v.unshard(ap, bad, 1), vdaf::invalid_argument);
}

TEST(Prio3BadInput, VerifierSharesToMessageWrongCount) {
  const vdaf::Prio3Histogram v(3, 4, 2);
  const Report<vdaf::Prio3Histogram> r(v, 0);
  std::vector<vdaf::Prio3Histogram::VerifierShare> vs;
  for (std::size_t j = 0; j < 3; ++j) {
    vs.push_back(v.decode_verifier_share(r.states[j], r.verifier_shares[j]));
  }
  const std::vector<vdaf::Prio3Histogram::VerifierShare> two(vs.begin(), vs.begin() + 2);
  expect_throw_msg<vdaf::invalid_argument>(
      [&] { (void)v.verifier_shares_to_message(r.ctx, {}, two); }, {"verifier shares", "3"},
      "2 shares");
  EXPECT_NO_THROW((void)v.verifier_shares_to_message(r.ctx, {}, vs));
}

TEST(Prio3BadInput, VerifyInitWrongKindOfInputShare) {
  const vdaf::Prio3Count v(2);
  const Report<vdaf::Prio3Count> r(v, 1);
  // Helper share given to the leader and vice versa; agg_id out of range.
  expect_throw_msg<vdaf::invalid_argument>(
      [&] {
        (void)v.verify_init(r.verify_key, r.ctx, 0, {}, r.nonce, r.shard.public_share,
                            r.shard.input_shares[1]);
      },
      {"leader"}, "helper share as leader");
  expect_throw_msg<vdaf::invalid_argument>(
      [&] {
        (void)v.verify_init(r.verify_key, r.ctx, 1, {}, r.nonce, r.shard.public_share,
                            r.shard.input_shares[0]);
      },
      {"helper"}, "leader share as helper");
  expect_throw_msg<vdaf::invalid_argument>(
      [&] {
        (void)v.verify_init(r.verify_key, r.ctx, 2, {}, r.nonce, r.shard.public_share,
                            r.shard.input_shares[1]);
      },
      {"agg_id"}, "agg_id 2");
}

TEST(Prio3BadInput, ExceptionsAreVdafErrors) {
  // Each kind is catchable as vdaf::error and as std::runtime_error.
  EXPECT_THROW(vdaf::Prio3Count(1), vdaf::error);
  EXPECT_THROW(vdaf::Prio3Count(1), std::runtime_error);
  const vdaf::Prio3Count v(2);
  EXPECT_THROW((void)v.decode_public_share(Bytes{1}), vdaf::error);
  EXPECT_THROW((void)v.decode_agg_param(Bytes{1}), std::runtime_error);
  try {
    VDAF_THROW(verify_error, "x");
  } catch (const vdaf::error& e) {
    EXPECT_STREQ(e.what(), "x");
  }
  try {
    VDAF_THROW(internal_error, "y");
  } catch (const vdaf::error& e) {
    EXPECT_STREQ(e.what(), "y");
  }
}

}  // namespace
