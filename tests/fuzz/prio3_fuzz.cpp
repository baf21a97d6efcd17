// libFuzzer target: Prio3 decoders and verification on arbitrary bytes.
//
// Input: byte 0 picks the instance (Count, Sum(255), SumVec(10, 1, 3), Histogram(10, 3),
// MultihotCountVec(10, 2, 3), each with 2 or 3 aggregators), byte 1 the operation; the rest feeds
// it. Operation 8 shards an honest report from input-chosen randomness and tampers with a few
// bytes of its encoded shares before the round. Every decoder must either throw decode_error or
// give an encoding that round-trips; the whole verification round on decoded (arbitrary) shares
// must end in an output share or a documented error, never a crash. See fuzz_support.hpp for the
// contract.
#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <variant>
#include <vector>

#include "fuzz_measurements.hpp"
#include "fuzz_support.hpp"
#include "vdaf/prio3.hpp"

namespace {

constexpr std::array<std::uint8_t, 32> kVerifyKey{7};

/// An honest report whose encoded shares get a few input-chosen bytes XORed in, then the
/// whole round: most tampering is caught (verify_error or decode_error), none may crash.
template <class V>
void tampered_round(const V& v, vdaf_fuzz::Input& in) {
  const auto m = vdaf_fuzz::prio3_measurement_of<V>(in.byte());
  std::array<std::uint8_t, 16> nonce{};
  for (auto& x : nonce) x = in.byte();
  vdaf::Bytes rand(v.rand_size());
  for (auto& x : rand) x = in.byte();
  const auto shard = v.shard({}, m, nonce, rand);
  std::vector<vdaf::Bytes> enc{v.encode_public_share(shard.public_share)};
  for (const auto& s : shard.input_shares) enc.push_back(v.encode_input_share(s));
  for (int k = in.byte() % 4; k > 0; --k) {
    vdaf::Bytes& e = enc[in.byte() % enc.size()];
    std::size_t pos = in.byte();
    pos |= static_cast<std::size_t>(in.byte()) << 8;
    if (!e.empty()) e[pos % e.size()] ^= static_cast<std::uint8_t>(1U | in.byte());
  }
  const auto ps = v.decode_public_share(enc[0]);
  std::vector<typename V::VerifyState> states;
  std::vector<typename V::VerifierShare> vss;
  for (std::size_t j = 0; j < v.shares(); ++j) {
    auto [st, vs] =
        v.verify_init(kVerifyKey, {}, j, {}, nonce, ps, v.decode_input_share(j, enc[1 + j]));
    states.push_back(std::move(st));
    vss.push_back(std::move(vs));
  }
  const auto msg = v.verifier_shares_to_message({}, {}, vss);
  for (const auto& st : states) (void)v.verify_next({}, st, msg);
}

template <class V>
void fuzz_one(const V& v, std::uint8_t op, vdaf_fuzz::Input& in) {
  using vdaf_fuzz::check_round_trip;
  const std::size_t shares = v.shares();
  switch (op % 9) {
    case 0: {
      const vdaf::ByteSpan b = in.rest();
      check_round_trip(b, v.encode_public_share(v.decode_public_share(b)), "public share");
      break;
    }
    case 1: {
      const std::size_t agg_id = in.byte() % shares;
      const vdaf::ByteSpan b = in.rest();
      check_round_trip(b, v.encode_input_share(v.decode_input_share(agg_id, b)), "input share");
      break;
    }
    case 2: {
      const vdaf::ByteSpan b = in.rest();
      check_round_trip(b, v.encode_agg_share(v.decode_agg_share({}, b)), "aggregate share");
      break;
    }
    case 3: {
      const vdaf::ByteSpan b = in.rest();
      check_round_trip(b, v.encode_agg_param(v.decode_agg_param(b)), "aggregation parameter");
      break;
    }
    case 8:
      tampered_round(v, in);
      break;
    default: {
      // A whole round: public share, one input share per aggregator, then verifier shares
      // decoded from the input too (op 4-5) or computed (op 6-7).
      const auto ps = v.decode_public_share(in.piece());
      const vdaf::ByteSpan nonce = in.piece();
      std::vector<typename V::VerifyState> states;
      std::vector<typename V::VerifierShare> vss;
      for (std::size_t j = 0; j < shares; ++j) {
        const auto share = v.decode_input_share(j, in.piece());
        auto [st, vs] = v.verify_init(kVerifyKey, {}, j, {}, nonce, ps, share);
        const vdaf::Bytes enc = v.encode_verifier_share(vs);
        check_round_trip(enc, v.encode_verifier_share(v.decode_verifier_share(st, enc)),
                         "verifier share");
        states.push_back(std::move(st));
        vss.push_back(op % 9 < 6 ? v.decode_verifier_share(states.back(), in.piece())
                                 : std::move(vs));
      }
      const auto msg = v.verifier_shares_to_message({}, {}, vss);
      auto agg = v.agg_init({});
      for (const auto& st : states) {
        const vdaf::Bytes m = v.encode_verifier_message(msg);
        auto next = v.verify_next({}, st, v.decode_verifier_message(st, m));
        const auto* out = std::get_if<typename V::OutShare>(&next);
        if (out == nullptr) vdaf_fuzz::fail("Prio3 verify_next did not finish");
        v.agg_update({}, agg, *out);
      }
      break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vdaf_fuzz::Input in(data, size);
  const std::uint8_t which = in.byte();
  const std::uint8_t op = in.byte();
  const std::size_t shares = 2 + (which >> 7);
  vdaf_fuzz::expect_ok_or_vdaf_error([&] {
    switch ((which & 0x7FU) % 7) {  // bit 7: 3 aggregators
      case 0:
        fuzz_one(vdaf::Prio3Count(shares), op, in);
        break;
      case 1:
        fuzz_one(vdaf::Prio3Sum(shares, 255), op, in);
        break;
      case 2:
        fuzz_one(vdaf::Prio3SumVec(shares, 10, 1, 3), op, in);
        break;
      case 3:
        fuzz_one(vdaf::Prio3Histogram(shares, 10, 3), op, in);
        break;
      case 4:
        fuzz_one(vdaf::Prio3MultihotCountVec(shares, 10, 2, 3), op, in);
        break;
      case 5:
        fuzz_one(vdaf::Prio3L1BoundSum(shares, 10, 255, 4), op, in);
        break;
      default:
        fuzz_one(vdaf::Prio3SumVecField64MultiproofHmacSha256Aes128(shares, 10, 1, 3, 3), op, in);
        break;
    }
  });
  return 0;
}
