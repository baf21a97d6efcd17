// libFuzzer target: Poplar1 (and its IDPF public share) decoders and verification on arbitrary
// bytes.
//
// Input: byte 0 picks BITS (4 or 16), byte 1 the operation; the rest feeds it. Every decoder
// must either throw decode_error or give an encoding that round-trips; both rounds of
// verification on decoded (arbitrary) shares must end in output shares or a documented error,
// never a crash. See fuzz_support.hpp for the contract.
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <variant>
#include <vector>

#include "fuzz_support.hpp"
#include "vdaf/poplar1.hpp"

namespace {

constexpr std::array<std::uint8_t, 32> kVerifyKey{7};

void fuzz_one(const vdaf::Poplar1& v, std::uint8_t op, vdaf_fuzz::Input& in) {
  using V = vdaf::Poplar1;
  using vdaf_fuzz::check_round_trip;
  switch (op % 6) {
    case 0: {
      const vdaf::ByteSpan b = in.rest();
      check_round_trip(b, v.encode_public_share(v.decode_public_share(b)), "public share");
      break;
    }
    case 1: {
      const std::size_t agg_id = in.byte() % 2;
      const vdaf::ByteSpan b = in.rest();
      check_round_trip(b, v.encode_input_share(v.decode_input_share(agg_id, b)), "input share");
      break;
    }
    case 2: {
      const vdaf::ByteSpan b = in.rest();
      check_round_trip(b, v.encode_agg_param(v.decode_agg_param(b)), "aggregation parameter");
      break;
    }
    case 3: {
      const auto ap = v.decode_agg_param(in.piece());
      const vdaf::ByteSpan b = in.rest();
      check_round_trip(b, v.encode_agg_share(v.decode_agg_share(ap, b)), "aggregate share");
      break;
    }
    default: {
      // Both rounds on decoded shares; op 4 decodes the round-1 verifier shares from the input
      // too, op 5 uses the computed ones.
      const auto ap = v.decode_agg_param(in.piece());
      const auto ps = v.decode_public_share(in.piece());
      const vdaf::ByteSpan nonce = in.piece();
      std::vector<V::VerifyState> states;
      std::vector<V::VerifierShare> vss;
      for (std::size_t j = 0; j < 2; ++j) {
        const auto share = v.decode_input_share(j, in.piece());
        auto [st, vs] = v.verify_init(kVerifyKey, {}, j, ap, nonce, ps, share);
        const vdaf::Bytes enc = v.encode_verifier_share(vs);
        check_round_trip(enc, v.encode_verifier_share(v.decode_verifier_share(st, enc)),
                         "verifier share");
        states.push_back(std::move(st));
        vss.push_back(op % 6 == 4 ? v.decode_verifier_share(states.back(), in.piece())
                                  : std::move(vs));
      }
      for (int round = 0; round < 2; ++round) {
        const auto msg = v.verifier_shares_to_message({}, ap, vss);
        std::vector<V::VerifierShare> next_vss;
        std::vector<V::VerifyState> next_states;
        for (const auto& st : states) {
          const vdaf::Bytes m = v.encode_verifier_message(msg);
          auto next = v.verify_next({}, st, v.decode_verifier_message(st, m));
          if (auto* p = std::get_if<std::pair<V::VerifyState, V::VerifierShare>>(&next)) {
            next_states.push_back(std::move(p->first));
            next_vss.push_back(std::move(p->second));
          } else {
            auto agg = v.agg_init(ap);
            v.agg_update(ap, agg, std::get<V::OutShare>(next));
          }
        }
        if (next_states.empty()) return;
        if (round == 1) vdaf_fuzz::fail("Poplar1 did not finish after two rounds");
        states = std::move(next_states);
        vss = std::move(next_vss);
      }
      break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vdaf_fuzz::Input in(data, size);
  const std::size_t bits = (in.byte() & 1) != 0 ? 16 : 4;
  const std::uint8_t op = in.byte();
  vdaf_fuzz::expect_ok_or_vdaf_error([&] { fuzz_one(vdaf::Poplar1(bits), op, in); });
  return 0;
}
