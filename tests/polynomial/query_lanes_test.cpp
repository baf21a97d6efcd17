// FlpBBCGGI19::query_lanes (eight reports' FLP queries at once) against query() one report at a
// time, and its lane type detail::ntt128_ifma::Field128x8 against Field128 operation by
// operation. With AVX-512 IFMA (the native SIMD build) query_lanes runs the reports in IFMA
// lanes; without, it runs query() lane by lane: both are checked here. The Prio3 test runs the
// batch API (which calls query_lanes per group of reports) against verify_init per report, with
// tampered reports in the batch.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/field128_values.hpp"
#include "support/reports.hpp"
#include "vdaf/detail/simd/field128x8.hpp"
#include "vdaf/flp/circuits/histogram.hpp"
#include "vdaf/flp/circuits/multihot_count_vec.hpp"
#include "vdaf/flp/circuits/sum_vec.hpp"
#include "vdaf/flp/flp_bbcggi19.hpp"
#include "vdaf/prio3.hpp"

namespace {

using vdaf::Field128;

// Uniform values half of the time, the edge values (support/field128_values.hpp) otherwise.
Field128 mixed_value(std::mt19937_64& rng) {
  return (rng() & 1) != 0 ? vdaf_test::field128_edge_value(rng)
                          : vdaf_test::field128_random_value(rng);
}

#if VDAF_NTT128_IFMA
using vdaf::detail::ntt128_ifma::Field128x8;

// Eight lanes from eight values and back (gather and scatter through pointer arrays).
Field128x8 lanes_of(const Field128 (&x)[8]) {
  const Field128* ptrs[8];
  for (std::size_t i = 0; i < 8; ++i) ptrs[i] = &x[i];
  return Field128x8::gather(ptrs, 0);
}
void values_of(const Field128x8& v, Field128 (&out)[8]) {
  Field128* ptrs[8];
  for (std::size_t i = 0; i < 8; ++i) ptrs[i] = &out[i];
  v.scatter(ptrs, 0, 0xFF);
}

TEST(Field128x8, OperationsMatchField128) {
  std::mt19937_64 rng(81);
  for (int it = 0; it < 2000; ++it) {
    Field128 a[8], b[8], w[8], got[8], got2[8];
    for (std::size_t i = 0; i < 8; ++i) {
      a[i] = mixed_value(rng);
      b[i] = mixed_value(rng);
      w[i] = mixed_value(rng);
    }
    const Field128x8 la = lanes_of(a), lb = lanes_of(b), lw = lanes_of(w);
    values_of(la, got);
    for (std::size_t i = 0; i < 8; ++i) ASSERT_EQ(got[i], a[i]) << "round trip, lane " << i;
    values_of(la + lb, got);
    for (std::size_t i = 0; i < 8; ++i) ASSERT_EQ(got[i], a[i] + b[i]) << "add, lane " << i;
    values_of(la - lb, got);
    for (std::size_t i = 0; i < 8; ++i) ASSERT_EQ(got[i], a[i] - b[i]) << "sub, lane " << i;
    values_of(la * lb, got);
    for (std::size_t i = 0; i < 8; ++i) ASSERT_EQ(got[i], a[i] * b[i]) << "mul, lane " << i;
    values_of(-la, got);
    for (std::size_t i = 0; i < 8; ++i) ASSERT_EQ(got[i], -a[i]) << "neg, lane " << i;
    // A chain of operations keeps every intermediate below 2p.
    values_of((la * lb + lw) * (la - lw) - lb * lb, got);
    for (std::size_t i = 0; i < 8; ++i)
      ASSERT_EQ(got[i], (a[i] * b[i] + w[i]) * (a[i] - w[i]) - b[i] * b[i]) << "lane " << i;
    Field128x8 ox, oy;
    Field128x8::bfly_dif(la, lb, ox, oy, lw);
    values_of(ox, got);
    values_of(oy, got2);
    for (std::size_t i = 0; i < 8; ++i) {
      ASSERT_EQ(got[i], a[i] + b[i]) << "bfly_dif x, lane " << i;
      ASSERT_EQ(got2[i], (a[i] - b[i]) * w[i]) << "bfly_dif y, lane " << i;
    }
    // lanes_equal, with some lanes equal on purpose.
    Field128 c[8];
    for (std::size_t i = 0; i < 8; ++i) c[i] = (i % 3 == 0) ? Field128::one() : a[i];
    std::uint32_t want_one = 0;
    for (std::size_t i = 0; i < 8; ++i) want_one |= (c[i] == Field128::one() ? 1u : 0u) << i;
    EXPECT_EQ(lanes_of(c).lanes_equal(Field128::one()), want_one);
  }
}

TEST(Field128x8, GatherSumAndDotMatchField128) {
  std::mt19937_64 rng(82);
  for (const std::size_t n : {0u, 1u, 3u, 4u, 5u, 63u, 64u, 65u, 130u}) {
    std::vector<std::vector<Field128>> rows(8, std::vector<Field128>(n + 4));
    for (auto& r : rows)
      for (auto& x : r) x = mixed_value(rng);
    const Field128* ptrs[8];
    for (std::size_t i = 0; i < 8; ++i) ptrs[i] = rows[i].data();
    std::vector<Field128x8> got(n + 4), got4(4);
    Field128x8::gather_n(ptrs, n, got.data());
    for (std::size_t e = 0; e < n; ++e) {
      Field128 back[8];
      values_of(got[e], back);
      for (std::size_t i = 0; i < 8; ++i) ASSERT_EQ(back[i], rows[i][e]) << n << " " << e;
    }
    Field128x8::gather4(ptrs, n, got4.data());  // rows have n + 4 elements
    for (std::size_t e = 0; e < 4; ++e) {
      Field128 back[8];
      values_of(got4[e], back);
      for (std::size_t i = 0; i < 8; ++i) ASSERT_EQ(back[i], rows[i][n + e]);
    }
    // scatter_n (scatter4 and scatter) writes the lanes of the mask only.
    const std::uint32_t mask = static_cast<std::uint32_t>(rng() & 0xFF);
    std::vector<std::vector<Field128>> back(8, std::vector<Field128>(n, Field128::from_u64(7)));
    Field128* out_ptrs[8];
    for (std::size_t i = 0; i < 8; ++i) out_ptrs[i] = back[i].data();
    Field128x8::scatter_n(got.data(), n, out_ptrs, mask);
    for (std::size_t i = 0; i < 8; ++i) {
      for (std::size_t e = 0; e < n; ++e) {
        ASSERT_EQ(back[i][e], ((mask >> i) & 1) != 0 ? rows[i][e] : Field128::from_u64(7))
            << "scatter_n, n " << n << ", lane " << i << ", element " << e;
      }
    }
    // sum and dot (reduced once per 2048 / 64 terms) against one addition after the other.
    std::vector<Field128x8> other(n);
    Field128x8::gather_n(ptrs, n, other.data());
    std::reverse(other.begin(), other.end());
    Field128 s[8], d[8];
    values_of(Field128x8::sum(got.data(), n), s);
    values_of(Field128x8::dot(got.data(), other.data(), n), d);
    for (std::size_t i = 0; i < 8; ++i) {
      Field128 ws = Field128::zero(), wd = Field128::zero();
      for (std::size_t e = 0; e < n; ++e) {
        ws += rows[i][e];
        wd += rows[i][e] * rows[i][n - 1 - e];
      }
      EXPECT_EQ(s[i], ws) << "sum, n " << n << ", lane " << i;
      EXPECT_EQ(d[i], wd) << "dot, n " << n << ", lane " << i;
    }
  }
  // Sums of many p − 1 (the largest canonical value) cross the 2048-term reduction.
  std::vector<Field128> big(5000, Field128::from_int(Field128::MODULUS - 1));
  const Field128* ptrs[8];
  for (std::size_t i = 0; i < 8; ++i) ptrs[i] = big.data();
  std::vector<Field128x8> lanes(big.size());
  Field128x8::gather_n(ptrs, big.size(), lanes.data());
  Field128 s[8];
  values_of(Field128x8::sum(lanes.data(), lanes.size()), s);
  EXPECT_EQ(s[3], Field128::zero() - Field128::from_u64(5000));
  values_of(Field128x8::dot(lanes.data(), lanes.data(), lanes.size()), s);
  EXPECT_EQ(s[5], Field128::from_u64(5000));
}
#endif  // VDAF_NTT128_IFMA

// query_lanes on `count` random reports (some lanes with test points that make query abort)
// against query() per report: equal verifiers, the aborting lanes flagged and left unwritten.
template <class Flp>
void check_query_lanes(const Flp& flp, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  typename Flp::LaneScratch scratch;
  const std::size_t n_out = flp.valid().eval_output_len();
  const std::size_t t_index = n_out > 1 ? n_out : 0;  // gadget 0's test point
  for (int it = 0; it < 60; ++it) {
    SCOPED_TRACE("input " + std::to_string(it));
    const std::size_t count = 1 + static_cast<std::size_t>(it) % Flp::LANES;
    const std::size_t shares = 1 + static_cast<std::size_t>(it) % 3;
    std::vector<std::vector<Field128>> meas(count), proof(count), qr(count), jr(count), got(count),
        want(count);
    const Field128 *pm[8], *pp[8], *pq[8], *pj[8];
    Field128* pv[8];
    std::uint32_t want_aborted = 0;
    const Field128 sentinel = Field128::from_u64(12345);
    for (std::size_t c = 0; c < count; ++c) {
      meas[c].resize(flp.meas_len());
      proof[c].resize(flp.proof_len());
      qr[c].resize(flp.query_rand_len());
      jr[c].resize(flp.joint_rand_len());
      for (auto* v : {&meas[c], &proof[c], &qr[c], &jr[c]})
        for (auto& x : *v) x = mixed_value(rng);
      if (it % 7 == 3 && c == count / 2) qr[c][t_index] = Field128::one();              // t^p = 1
      if (it % 11 == 5 && c == 0) qr[c][t_index] = Field128::zero() - Field128::one();  // t = −1
      got[c].assign(flp.verifier_len(), sentinel);
      want[c].resize(flp.verifier_len());
      pm[c] = meas[c].data();
      pp[c] = proof[c].data();
      pq[c] = qr[c].data();
      pj[c] = jr[c].data();
      pv[c] = got[c].data();
      try {
        flp.query(meas[c], proof[c], qr[c], jr[c], shares, want[c]);
      } catch (const vdaf::verify_error&) {
        want_aborted |= std::uint32_t{1} << c;
      }
    }
    const std::uint32_t aborted =
        flp.query_lanes(pm, pp, pq, pj, count, shares, pv, it % 2 == 0 ? &scratch : nullptr);
    ASSERT_EQ(aborted, want_aborted);
    for (std::size_t c = 0; c < count; ++c) {
      if ((aborted >> c) & 1) {
        EXPECT_EQ(got[c], std::vector<Field128>(flp.verifier_len(), sentinel)) << "lane " << c;
      } else {
        EXPECT_EQ(got[c], want[c]) << "lane " << c;
      }
    }
  }
  EXPECT_THROW(flp.query_lanes(nullptr, nullptr, nullptr, nullptr, 0, 2, nullptr),
               vdaf::internal_error);
  EXPECT_THROW(flp.query_lanes(nullptr, nullptr, nullptr, nullptr, 9, 2, nullptr),
               vdaf::internal_error);
}

TEST(QueryLanes, HistogramMatchesQuery) {
  using Flp = vdaf::FlpBBCGGI19<vdaf::Histogram<Field128>>;
  const Flp flp(vdaf::Histogram<Field128>(100, 10));
  // The SIMD path is taken wherever it is compiled (so these tests reach it).
  EXPECT_EQ(flp.lane_query(), VDAF_NTT128_IFMA == 1);
  check_query_lanes(flp, 1);
  for (const auto& [len, chunk] :
       {std::pair<std::size_t, std::size_t>{1, 1}, {7, 3}, {33, 4}, {30, 5}, {60, 4}})
    check_query_lanes(Flp(vdaf::Histogram<Field128>(len, chunk)), 10 + len);
  // Up to 127 calls on lanes (P = 64 here: n = 128, past query()'s inversion-free sizes).
  const Flp mid(vdaf::Histogram<Field128>(1000, 32));
  EXPECT_EQ(mid.lane_query(), VDAF_NTT128_IFMA == 1);
  check_query_lanes(mid, 2);
  // Lane by lane: 250 calls (P = 256), or eight reports' wires beyond the scratch bound.
  for (const auto& [len, chunk] : {std::pair<std::size_t, std::size_t>{1000, 4}, {20000, 2000}}) {
    const Flp large(vdaf::Histogram<Field128>(len, chunk));
    EXPECT_FALSE(large.lane_query());
    check_query_lanes(large, len);
  }
}

TEST(QueryLanes, SumVecAndMultihotCountVecMatchQuery) {
  using SumVecFlp = vdaf::FlpBBCGGI19<vdaf::SumVec<Field128>>;
  const SumVecFlp sv(vdaf::SumVec<Field128>(10, 5, 3));
  EXPECT_EQ(sv.lane_query(), VDAF_NTT128_IFMA == 1);
  check_query_lanes(sv, 3);
  check_query_lanes(SumVecFlp(vdaf::SumVec<Field128>(20, 1, 4)), 4);
  const SumVecFlp sv_mid(vdaf::SumVec<Field128>(1000, 1, 31));  // P = 64
  EXPECT_EQ(sv_mid.lane_query(), VDAF_NTT128_IFMA == 1);
  check_query_lanes(sv_mid, 7);
  using MhFlp = vdaf::FlpBBCGGI19<vdaf::MultihotCountVec<Field128>>;
  const MhFlp mh(vdaf::MultihotCountVec<Field128>(20, 7, 4));
  EXPECT_EQ(mh.lane_query(), VDAF_NTT128_IFMA == 1);
  check_query_lanes(mh, 5);
  check_query_lanes(MhFlp(vdaf::MultihotCountVec<Field128>(10, 10, 3)), 6);
}

// Prio3's batch APIs (one query_lanes per proof and group of eight reports) against verify_init
// per report: three aggregators and two proofs, 21 reports (two full groups and a partial one),
// tampered shares mixed in.
TEST(QueryLanes, Prio3BatchMatchesOneByOne) {
  using P3 = vdaf::Prio3<vdaf::Histogram<Field128>>;
  const P3 v(vdaf::Histogram<Field128>(40, 6), 3, 2, 0xFFFF0004);
  std::mt19937_64 rng(7);
  const std::size_t n = 21;
  const vdaf::Bytes verify_key = vdaf_test::random_bytes(rng, 32), ctx = {'q', 'l'};
  std::vector<vdaf::Bytes> nonces(n);
  std::vector<P3::PublicShare> pubs(n);
  std::vector<std::vector<P3::InputShare>> shares(n);
  for (std::size_t i = 0; i < n; ++i) {
    nonces[i] = vdaf_test::random_bytes(rng, 16);
    auto r = v.shard(ctx, rng() % 40, nonces[i], vdaf_test::random_bytes(rng, v.rand_size()));
    pubs[i] = std::move(r.public_share);
    shares[i] = std::move(r.input_shares);
  }
  shares[3][0].meas_share[5] += Field128::one();     // leader measurement share
  shares[9][0].proofs_share[40] += Field128::one();  // leader proof share (second proof)
  (*shares[12][1].seed)[4] ^= 1;                     // helper seed
  pubs[17].joint_rand_parts[2][0] ^= 1;              // another aggregator's part
  std::vector<vdaf::ByteSpan> ns(nonces.begin(), nonces.end());
  for (std::size_t agg = 0; agg < 3; ++agg) {
    SCOPED_TRACE("aggregator " + std::to_string(agg));
    std::vector<P3::InputShare> in;
    for (std::size_t i = 0; i < n; ++i) in.push_back(shares[i][agg]);
    const auto objects = v.verify_init_batch(verify_key, ctx, agg, {}, ns, pubs, in);
    P3::VerifyBatch flat;
    v.verify_init_batch(verify_key, ctx, agg, {}, ns, pubs, in, flat);
    const std::size_t vl = v.verifier_len() * 2;
    for (std::size_t i = 0; i < n; ++i) {
      SCOPED_TRACE("report " + std::to_string(i));
      const auto want = v.verify_init(verify_key, ctx, agg, {}, nonces[i], pubs[i], in[i]);
      ASSERT_TRUE(objects[i].result.has_value());
      EXPECT_EQ(objects[i].result->second.verifiers_share, want.second.verifiers_share);
      EXPECT_EQ(v.encode_out_share(objects[i].result->first.out_share),
                v.encode_out_share(want.first.out_share));
      ASSERT_EQ(flat.errors[i], nullptr);
      const std::span<const Field128> flat_v(flat.shares.verifiers);
      EXPECT_EQ(std::vector<Field128>(flat_v.begin() + static_cast<std::ptrdiff_t>(i * vl),
                                      flat_v.begin() + static_cast<std::ptrdiff_t>((i + 1) * vl)),
                want.second.verifiers_share);
      EXPECT_EQ(Field128::encode_vec(flat.out_share(i)), v.encode_out_share(want.first.out_share));
    }
  }
}

}  // namespace
