// Consumer of vdaf::vdaf_compiled: one Prio3Count report, client to collector, through the
// compiled instance (this translation unit sees VDAF_EXTERN_TEMPLATES and instantiates none of
// Prio3's members: the link fails if the library lacks one). Prints the wire VERSION byte.
#include <iostream>
#include <variant>
#include <vector>

#include <vdaf/prio3/count.hpp>
#include <vdaf/version.hpp>

#if !defined(VDAF_EXTERN_TEMPLATES)
#error "vdaf::vdaf_compiled must define VDAF_EXTERN_TEMPLATES for its users"
#endif

int main() {
  const vdaf::Prio3Count count(2);
  vdaf::Bytes key(vdaf::Prio3Count::VERIFY_KEY_SIZE, 7);
  const auto report = count.shard("packaging", 1);
  std::vector<vdaf::Prio3Count::VerifyState> states;
  std::vector<vdaf::Prio3Count::VerifierShare> shares;
  for (std::size_t j = 0; j < 2; ++j) {
    auto [state, share] = count.verify_init(key, "packaging", j, {}, report.nonce,
                                            report.public_share, report.input_shares[j]);
    states.push_back(std::move(state));
    shares.push_back(std::move(share));
  }
  const auto msg = count.verifier_shares_to_message("packaging", {}, shares);
  std::vector<vdaf::Prio3Count::AggShare> agg;
  for (auto& st : states) {
    auto a = count.agg_init({});
    count.agg_update({}, a,
                     std::get<vdaf::Prio3Count::OutShare>(count.verify_next("packaging", st, msg)));
    agg.push_back(std::move(a));
  }
  if (count.unshard({}, agg, 1) != 1) {
    std::cerr << "wrong aggregate\n";
    return 1;
  }
  std::cout << static_cast<int>(vdaf::VERSION) << '\n';
  return 0;
}
