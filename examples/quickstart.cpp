// The README's code example: one Prio3Histogram report from client to collector.
// Build: it is compiled with the other examples (target `quickstart`).
#include <cstdio>
#include <vector>

#include <vdaf/prio3.hpp>

int main() {
  // Parameters every party agrees on: 2 aggregators, 10 buckets, chunk length 3.
  const vdaf::Prio3Histogram vdaf(/*shares=*/2, /*length=*/10, /*chunk_length=*/3);
  const vdaf::Bytes ctx = {'d', 'e', 'm', 'o'};  // application context string
  vdaf::Bytes verify_key(vdaf::Prio3Histogram::VERIFY_KEY_SIZE);
  vdaf::random_bytes(verify_key);  // shared secret of the aggregators

  // Client: split measurement 7 into a public share and one input share per aggregator.
  const auto report = vdaf.shard(ctx, /*measurement=*/7);

  // Each aggregator verifies its share; the verifier shares are combined into a message.
  using V = vdaf::Prio3Histogram;
  std::vector<V::VerifyState> states;
  std::vector<V::VerifierShare> verifier_shares;
  for (std::size_t agg_id = 0; agg_id < vdaf.shares(); ++agg_id) {
    auto [state, share] = vdaf.verify_init(verify_key, ctx, agg_id, {}, report.nonce,
                                           report.public_share, report.input_shares[agg_id]);
    states.push_back(std::move(state));
    verifier_shares.push_back(std::move(share));
  }
  // Throws vdaf::verify_error if the report is invalid.
  const auto message = vdaf.verifier_shares_to_message(ctx, {}, verifier_shares);

  // Each aggregator finishes verification and aggregates its output share.
  std::vector<V::AggShare> agg_shares;
  for (auto& state : states) {
    auto out_share = std::get<V::OutShare>(vdaf.verify_next(ctx, state, message));
    auto agg_share = vdaf.agg_init({});
    vdaf.agg_update({}, agg_share, out_share);
    agg_shares.push_back(std::move(agg_share));
  }

  // Collector: add the aggregate shares and decode.
  const auto histogram = vdaf.unshard({}, agg_shares, /*num_measurements=*/1);
  for (std::size_t i = 0; i < histogram.size(); ++i) {
    std::printf("bucket %zu: %llu\n", i, static_cast<unsigned long long>(histogram[i]));
  }
  return histogram[7] == 1 ? 0 : 1;
}
