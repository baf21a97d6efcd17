// Multi-lane Keccak-p[1600, 12] (detail/simd/keccak_multi.hpp) against the scalar permutation, and
// the batch sponge / XOF APIs built on it (TurboShake128::*_many, XofTurboShake128::expand_many)
// against one stream at a time, on random inputs of many sizes. Under a build without AVX2 the
// multi-lane entry point is the scalar loop, and these tests check the batch bookkeeping alone.
#include "vdaf/detail/simd/keccak_multi.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "vdaf/core/bytes.hpp"
#include "vdaf/detail/keccak_p1600.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/xof/turboshake128.hpp"
#include "vdaf/xof/xof_turboshake128.hpp"

namespace {

using vdaf::Bytes;
using vdaf::ByteSpan;
using vdaf::TurboShake128;
using vdaf::XofTurboShake128;

using State = std::array<std::uint64_t, 25>;

std::vector<State> random_states(std::mt19937_64& rng, std::size_t n) {
  std::vector<State> s(n);
  for (auto& st : s) {
    for (auto& l : st) l = rng();
  }
  return s;
}

std::vector<State> scalar_permuted(std::vector<State> s) {
  for (auto& st : s)
    vdaf::detail::keccak_p1600_12(*reinterpret_cast<std::uint64_t(*)[25]>(st.data()));
  return s;
}

Bytes random_bytes(std::mt19937_64& rng, std::size_t n) {
  Bytes b(n);
  for (auto& x : b) x = static_cast<std::uint8_t>(rng());
  return b;
}

TEST(KeccakMulti, MatchesScalarForEveryCount) {
  std::mt19937_64 rng(1);
  for (std::size_t n = 0; n <= 21; ++n) {
    for (int rep = 0; rep < 5; ++rep) {
      std::vector<State> s = random_states(rng, n);
      const std::vector<State> want = scalar_permuted(s);
      std::vector<std::uint64_t*> p(n);
      for (std::size_t k = 0; k < n; ++k) p[k] = s[k].data();
      vdaf::detail::keccak_p1600_12_multi(p.data(), n);
      EXPECT_EQ(s, want) << "n = " << n;
    }
  }
}

TEST(KeccakMulti, ZeroStateKnownAnswer) {
  // Keccak-p[1600, 12] of the zero state, lane 0 (the scalar test checks the same permutation
  // against Keccak-f[1600]; here every SIMD lane position must give it).
  std::vector<State> s(7);
  const std::vector<State> want = scalar_permuted(s);
  EXPECT_NE(want[0][0], 0U);
  std::vector<std::uint64_t*> p(7);
  for (std::size_t k = 0; k < 7; ++k) p[k] = s[k].data();
  vdaf::detail::keccak_p1600_12_multi(p.data(), 7);
  for (std::size_t k = 0; k < 7; ++k) EXPECT_EQ(s[k], want[0]);
}

#if VDAF_KECCAK_X4
template <class O>
void check_group_kernel() {
  std::mt19937_64 rng(2);
  for (std::size_t n = 1; n <= O::N; ++n) {
    for (int rep = 0; rep < 20; ++rep) {
      std::vector<State> s = random_states(rng, n);
      const std::vector<State> want = scalar_permuted(s);
      std::vector<std::uint64_t*> p(n);
      for (std::size_t k = 0; k < n; ++k) p[k] = s[k].data();
      vdaf::detail::keccak_simd::permute_group<O>(p.data(), n);
      EXPECT_EQ(s, want) << "lanes " << O::N << ", n = " << n;
    }
  }
}
TEST(KeccakMulti, FourLaneKernelMatchesScalar) {
  check_group_kernel<vdaf::detail::keccak_simd::Ops4>();
}
#endif
#if VDAF_KECCAK_X8
TEST(KeccakMulti, EightLaneKernelMatchesScalar) {
  check_group_kernel<vdaf::detail::keccak_simd::Ops8>();
}
#endif

TEST(TurboShake128Batch, EmptyMessagesGiveTheRfcVector) {
  // RFC 9861 §5: TurboSHAKE128(M = "", D = 0x1F), 64 bytes, through the batch calls for 6 sponges.
  std::vector<TurboShake128> t(6);
  std::vector<TurboShake128*> p;
  for (auto& x : t) p.push_back(&x);
  std::vector<Bytes> out(6, Bytes(64));
  std::vector<std::span<std::uint8_t>> o(out.begin(), out.end());
  TurboShake128::finalize_many(p, 0x1F);
  TurboShake128::squeeze_many(p, o);
  const char* want =
      "1e415f1c5983aff2169217277d17bb538cd945a397ddec541f1ce41af2c1b74c"
      "3e8ccae2a4dae56c84a04c2385c03c15e8193bdf58737363321691c05462c8df";
  for (const auto& b : out) {
    std::string h;
    for (std::uint8_t c : b) {
      static const char* d = "0123456789abcdef";
      h += d[c >> 4];
      h += d[c & 15];
    }
    EXPECT_EQ(h, want);
  }
}

TEST(TurboShake128Batch, MatchesOneSpongeAtATime) {
  std::mt19937_64 rng(3);
  const std::size_t lens[] = {0, 1, 7, 8, 31, 32, 100, 167, 168, 169, 335, 336, 337, 600, 1500};
  for (const std::size_t n : std::vector<std::size_t>{1, 2, 3, 4, 5, 8, 9, 17, 33}) {
    for (int rep = 0; rep < 4; ++rep) {
      std::vector<Bytes> prefix(n), msg(n);
      std::vector<std::size_t> out_len(n);
      std::vector<std::uint8_t> domain(n);
      for (std::size_t k = 0; k < n; ++k) {
        prefix[k] = random_bytes(rng, lens[rng() % std::size(lens)] % 170);
        msg[k] = random_bytes(rng, lens[rng() % std::size(lens)]);
        out_len[k] = lens[rng() % std::size(lens)];
      }
      const std::uint8_t d = static_cast<std::uint8_t>(1 + rng() % 0x7F);
      // One at a time.
      std::vector<Bytes> want(n);
      for (std::size_t k = 0; k < n; ++k) {
        TurboShake128 t;
        t.absorb(prefix[k]);
        t.absorb(msg[k]);
        t.finalize(d);
        want[k].resize(out_len[k]);
        // Squeezed in two calls, as the batch does below.
        t.squeeze(std::span(want[k]).first(out_len[k] / 3));
        t.squeeze(std::span(want[k]).subspan(out_len[k] / 3));
      }
      // Batched: unaligned starts (scalar prefix absorb), then absorb_many etc.
      std::vector<TurboShake128> t(n);
      std::vector<TurboShake128*> p;
      std::vector<ByteSpan> m;
      for (std::size_t k = 0; k < n; ++k) {
        t[k].absorb(prefix[k]);
        p.push_back(&t[k]);
        m.emplace_back(msg[k]);
      }
      TurboShake128::absorb_many(p, m);
      TurboShake128::finalize_many(p, d);
      std::vector<Bytes> got(n);
      std::vector<std::span<std::uint8_t>> o1, o2;
      for (std::size_t k = 0; k < n; ++k) {
        got[k].resize(out_len[k]);
        o1.push_back(std::span(got[k]).first(out_len[k] / 3));
        o2.push_back(std::span(got[k]).subspan(out_len[k] / 3));
      }
      TurboShake128::squeeze_many(p, o1);
      TurboShake128::squeeze_many(p, o2);
      EXPECT_EQ(got, want) << "n = " << n;
    }
  }
}

// squeeze_absorb: the bytes squeezed from one sponge absorbed into another, permutations paired,
// against squeeze then absorb, for every phase of the two sponges (the prefixes put each at its
// own position in its block) and lengths around the block size, in one call and in pieces.
TEST(TurboShake128Batch, SqueezeAbsorbMatchesSqueezeThenAbsorb) {
  std::mt19937_64 rng(0x5a5a);
  const std::size_t lens[] = {0, 1, 7, 8, 100, 167, 168, 169, 335, 336, 337, 1000, 5000};
  for (int rep = 0; rep < 60; ++rep) {
    const Bytes src_prefix = random_bytes(rng, rng() % 400);
    const Bytes dst_prefix = random_bytes(rng, rng() % 400);
    const std::size_t skip = rng() % 200;  // src already partly read
    const std::size_t len = lens[rng() % std::size(lens)], cut = len == 0 ? 0 : rng() % len;
    TurboShake128 src0, dst0;
    src0.absorb(src_prefix);
    src0.finalize(0x01);
    Bytes skipped(skip);
    src0.squeeze(skipped);
    dst0.absorb(dst_prefix);
    TurboShake128 src1 = src0, dst1 = dst0;
    Bytes want(len), got(len);
    src0.squeeze(want);
    dst0.absorb(want);
    dst0.finalize(0x07);
    TurboShake128::squeeze_absorb(src1, dst1, std::span(got).first(cut));
    TurboShake128::squeeze_absorb(src1, dst1, std::span(got).subspan(cut));
    dst1.finalize(0x07);
    EXPECT_EQ(got, want) << "rep " << rep;
    Bytes a(200), b(200), c(50), d(50);  // both sponges go on as after the two plain calls
    dst0.squeeze(a);
    dst1.squeeze(b);
    EXPECT_EQ(a, b) << "rep " << rep;
    src0.squeeze(c);
    src1.squeeze(d);
    EXPECT_EQ(c, d) << "rep " << rep;
  }
}

template <class F>
void check_expand_many(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (const std::size_t n : std::vector<std::size_t>{1, 2, 3, 4, 5, 7, 8, 9, 20}) {
    for (int rep = 0; rep < 3; ++rep) {
      std::vector<Bytes> seeds(n), dsts(n), b0(n), b1(n);
      std::vector<std::vector<F>> got(n), want(n);
      std::vector<vdaf::XofExpandRequest<F>> reqs(n);
      for (std::size_t k = 0; k < n; ++k) {
        seeds[k] = random_bytes(rng, rng() % 3 == 0 ? 16 : 32);
        dsts[k] = random_bytes(rng, rng() % 4 == 0 ? 200 : 8 + rng() % 20);  // 200: > one block
        b0[k] = random_bytes(rng, rng() % 3);
        b1[k] = random_bytes(rng, rng() % 5 == 0 ? 400 : rng() % 20);
        // Around one block of output (Field64: 21 elements, Field128: 10 and a half), the part
        // expand_many samples in place, and beyond it.
        const std::size_t len = rng() % 4 == 0   ? 150 + rng() % 100
                                : rng() % 3 == 0 ? 8 + rng() % 16
                                                 : rng() % 12;
        got[k].assign(len, F::zero());
        Bytes binder = b0[k];
        binder.insert(binder.end(), b1[k].begin(), b1[k].end());
        want[k] = XofTurboShake128::expand_into_vec<F>(seeds[k], dsts[k], binder, len);
        reqs[k] = {seeds[k], dsts[k], {ByteSpan(b0[k]), ByteSpan(b1[k])}, std::span<F>(got[k])};
      }
      XofTurboShake128::expand_many<F>(reqs);
      for (std::size_t k = 0; k < n; ++k)
        EXPECT_TRUE(got[k] == want[k]) << "n = " << n << " k = " << k;
    }
  }
}

TEST(XofTurboShake128Batch, ExpandManyMatchesExpandIntoVecField64) {
  check_expand_many<vdaf::Field64>(4);
}
TEST(XofTurboShake128Batch, ExpandManyMatchesExpandIntoVecField128) {
  check_expand_many<vdaf::Field128>(5);
}

TEST(XofTurboShake128Batch, ExpandManyRejectsLongSeedBeforeWriting) {
  const Bytes long_seed(256, 1), dst(8, 2);
  std::vector<vdaf::Field64> out(3, vdaf::Field64::from_u64(7));
  const std::vector<vdaf::XofExpandRequest<vdaf::Field64>> reqs = {
      {ByteSpan(dst), ByteSpan(dst), {}, std::span<vdaf::Field64>(out)},
      {ByteSpan(long_seed), ByteSpan(dst), {}, std::span<vdaf::Field64>(out)}};
  EXPECT_THROW(XofTurboShake128::expand_many<vdaf::Field64>(reqs), vdaf::invalid_argument);
  for (const auto& x : out) EXPECT_TRUE(x == vdaf::Field64::from_u64(7));
}

}  // namespace
