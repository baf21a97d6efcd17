// Concepts for the VDAF interface of draft-irtf-cfrg-vdaf-20 §5 (the spec's
// abstract class `Vdaf`), split by role as in libprio-rs: a client shards, an
// aggregator verifies and aggregates, a collector unshards. `Vdaf` is all three.
//
// These concepts check the shape of the API (nested types, constants and
// member functions with the spec's names); they do not check semantics.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <variant>

#include "vdaf/core/bytes.hpp"

VDAF_BEGIN_NAMESPACE

/// The aggregator side of a VDAF (§5.2 "Verification", §5.3 "Validity of
/// aggregation parameters", §4.4 "Aggregation", §5.7 encodings the
/// aggregators exchange). Required:
///
/// - nested types `AggParam`, `PublicShare`, `InputShare`, `OutShare`,
///   `AggShare`, `VerifyState`, `VerifierShare`, `VerifierMessage`;
/// - constants `VERIFY_KEY_SIZE`, `NONCE_SIZE`, `ROUNDS` (>= 1);
/// - `verify_init(verify_key, ctx, agg_id, agg_param, nonce, public_share,
///   input_share) -> std::pair<VerifyState, VerifierShare>`;
/// - `verifier_shares_to_message(ctx, agg_param, span<const VerifierShare>)
///   -> VerifierMessage` (shares in aggregator order);
/// - `verify_next(ctx, state, message) -> std::variant<std::pair<VerifyState,
///   VerifierShare>, OutShare>` (the output share in the last round);
/// - `is_valid(agg_param, span<const AggParam> previous) -> bool`;
/// - `agg_init(agg_param) -> AggShare`, `agg_update(agg_param, agg_share&, out_share)`;
/// - encodings: `encode_verifier_share`, `decode_verifier_share(state, bytes)`,
///   `encode_verifier_message`, `decode_verifier_message(state, bytes)` (the
///   decoders take the state: Poplar1's field depends on the level and round),
///   `decode_public_share(bytes)`, `decode_input_share(agg_id, bytes)`,
///   `encode_agg_param`, `decode_agg_param(bytes)`, `encode_agg_share`.
///
/// All byte arguments are `ByteSpan`; encoders return `Bytes`. Errors are
/// reported by throwing `vdaf::error` subclasses (`decode_error`,
/// `verify_error`, `invalid_argument`).
template <class V>
concept VdafAggregator = requires(
    const V& v, ByteSpan b, std::size_t agg_id, const typename V::AggParam& ap,
    const typename V::PublicShare& ps, const typename V::InputShare& is,
    const typename V::VerifyState& st, const typename V::VerifierShare& vs,
    const typename V::VerifierMessage& vm, const typename V::OutShare& os, typename V::AggShare& as,
    std::span<const typename V::VerifierShare> vss, std::span<const typename V::AggParam> aps) {
  typename V::AggParam;
  typename V::PublicShare;
  typename V::InputShare;
  typename V::OutShare;
  typename V::AggShare;
  typename V::VerifyState;
  typename V::VerifierShare;
  typename V::VerifierMessage;
  { V::VERIFY_KEY_SIZE } -> std::convertible_to<std::size_t>;
  { V::NONCE_SIZE } -> std::convertible_to<std::size_t>;
  { V::ROUNDS } -> std::convertible_to<std::size_t>;
  requires V::ROUNDS >= 1;
  {
    v.verify_init(b, b, agg_id, ap, b, ps, is)
    } -> std::same_as<std::pair<typename V::VerifyState, typename V::VerifierShare>>;
  { v.verifier_shares_to_message(b, ap, vss) } -> std::same_as<typename V::VerifierMessage>;
  {
    v.verify_next(b, st, vm)
    } -> std::same_as<std::variant<std::pair<typename V::VerifyState, typename V::VerifierShare>,
                                   typename V::OutShare>>;
  { v.is_valid(ap, aps) } -> std::convertible_to<bool>;
  { v.agg_init(ap) } -> std::same_as<typename V::AggShare>;
  v.agg_update(ap, as, os);
  { v.encode_verifier_share(vs) } -> std::same_as<Bytes>;
  { v.decode_verifier_share(st, b) } -> std::same_as<typename V::VerifierShare>;
  { v.encode_verifier_message(vm) } -> std::same_as<Bytes>;
  { v.decode_verifier_message(st, b) } -> std::same_as<typename V::VerifierMessage>;
  { v.decode_public_share(b) } -> std::same_as<typename V::PublicShare>;
  { v.decode_input_share(agg_id, b) } -> std::same_as<typename V::InputShare>;
  { v.encode_agg_param(ap) } -> std::same_as<Bytes>;
  { v.decode_agg_param(b) } -> std::same_as<typename V::AggParam>;
  { v.encode_agg_share(std::as_const(as)) } -> std::same_as<Bytes>;
};

/// The client side of a VDAF (§5.1 "Sharding", §5.7 encodings): `Measurement`,
/// `NONCE_SIZE`, `shard(ctx, measurement, nonce, rand)` returning an object with
/// members `public_share` and `input_shares` (one per aggregator), and the
/// encoders `encode_public_share`, `encode_input_share`.
template <class V>
concept VdafClient = requires(const V& v, ByteSpan b, const typename V::Measurement& m,
                              const typename V::PublicShare& ps, const typename V::InputShare& is) {
  typename V::Measurement;
  typename V::PublicShare;
  typename V::InputShare;
  { V::NONCE_SIZE } -> std::convertible_to<std::size_t>;
  { v.shard(b, m, b, b).public_share } -> std::convertible_to<const typename V::PublicShare&>;
  v.shard(b, m, b, b).input_shares;
  { v.encode_public_share(ps) } -> std::same_as<Bytes>;
  { v.encode_input_share(is) } -> std::same_as<Bytes>;
};

/// The collector side of a VDAF (§4.4 "Collection"): `AggResult`,
/// `merge(agg_param, span<const AggShare>) -> AggShare`,
/// `unshard(agg_param, span<const AggShare>, num_measurements) -> AggResult`
/// and `decode_agg_share(agg_param, bytes)`.
template <class V>
concept VdafCollector = requires(const V& v, ByteSpan b, const typename V::AggParam& ap,
                                 std::span<const typename V::AggShare> ass, std::uint64_t n) {
  typename V::AggResult;
  { v.merge(ap, ass) } -> std::same_as<typename V::AggShare>;
  { v.unshard(ap, ass, n) } -> std::same_as<typename V::AggResult>;
  { v.decode_agg_share(ap, b) } -> std::same_as<typename V::AggShare>;
};

/// A complete VDAF (§5): client, aggregator and collector.
template <class V>
concept Vdaf = VdafClient<V> && VdafAggregator<V> && VdafCollector<V>;

VDAF_END_NAMESPACE
