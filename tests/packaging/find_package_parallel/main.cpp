// Consumer of vdaf::parallel (oneTBB): 100 Prio3Count reports verified one by one, then both
// aggregators' output shares summed across cores by vdaf::parallel::aggregate (tasks of 8 output
// shares). Checks the count of ones and prints the wire VERSION byte.
#include <array>
#include <iostream>
#include <variant>
#include <vector>

#include <vdaf/parallel.hpp>
#include <vdaf/prio3/count.hpp>
#include <vdaf/version.hpp>

int main() {
  using V = vdaf::Prio3Count;
  const V count(2);
  const vdaf::Bytes key(V::VERIFY_KEY_SIZE, 7);
  constexpr std::size_t N = 100;
  std::array<std::vector<V::OutShare>, 2> out;
  for (std::size_t i = 0; i < N; ++i) {
    const auto report = count.shard("packaging", i % 3 == 0);
    std::vector<V::VerifyState> states;
    std::vector<V::VerifierShare> shares;
    for (std::size_t j = 0; j < 2; ++j) {
      auto [state, share] = count.verify_init(key, "packaging", j, {}, report.nonce,
                                              report.public_share, report.input_shares[j]);
      states.push_back(std::move(state));
      shares.push_back(std::move(share));
    }
    const auto msg = count.verifier_shares_to_message("packaging", {}, shares);
    for (std::size_t j = 0; j < 2; ++j)
      out[j].push_back(std::get<V::OutShare>(count.verify_next("packaging", states[j], msg)));
  }
  std::vector<V::AggShare> agg;
  for (const auto& o : out)
    agg.push_back(vdaf::parallel::aggregate(count, {}, std::span<const V::OutShare>(o), 8));
  if (count.unshard({}, agg, N) != (N + 2) / 3) {
    std::cerr << "wrong aggregate\n";
    return 1;
  }
  std::cout << static_cast<int>(vdaf::VERSION) << '\n';
  return 0;
}
