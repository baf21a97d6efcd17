// Differential tests for the AVX-512 IFMA Field128 kernel (vdaf/detail/simd/ntt128_ifma.hpp)
// against its scalar twin double_evaluations_odd<Field128>, and for the Mul-gadget polynomial
// (Gadget<Field128>::eval_poly, which uses the kernel when VDAF_NTT128_IFMA == 1) against a naive
// O(n²) reference. Without IFMA the gadget tests still run (they then cover the scalar path).
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <random>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include "support/field128_values.hpp"
#include "support/naive_poly.hpp"
#include "vdaf/detail/simd/ntt128_ifma.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/flp/gadgets.hpp"
#include "vdaf/polynomial/ntt.hpp"
#include "vdaf/xof/xof.hpp"

namespace {

using vdaf::Field128;
using U128 = Field128::Int;

constexpr U128 kP = Field128::MODULUS;

Field128 edge_value(std::mt19937_64& rng) { return vdaf_test::field128_edge_value(rng); }
Field128 random_value(std::mt19937_64& rng) { return vdaf_test::field128_random_value(rng); }

enum class Fill { kRandom, kEdge, kAllMax, kMixed };

std::vector<Field128> make_values(std::size_t len, Fill fill, std::mt19937_64& rng) {
  std::vector<Field128> v(len);
  for (auto& x : v) {
    switch (fill) {
      case Fill::kRandom:
        x = random_value(rng);
        break;
      case Fill::kEdge:
        x = edge_value(rng);
        break;
      case Fill::kAllMax:
        x = Field128::from_int(kP - 1);
        break;
      case Fill::kMixed:
        x = (rng() & 1) != 0 ? edge_value(rng) : random_value(rng);
        break;
    }
  }
  return v;
}

// Naive inverse transform: coefficients c_j = n^−1·Σ_i v_i·W_n^(−ij).
std::vector<Field128> interpolate_naive(const std::vector<Field128>& v) {
  const std::size_t n = v.size();
  const Field128 w_inv = vdaf_test::root_naive<Field128>(n).inv();
  const Field128 n_inv = Field128::from_u64(n).inv();
  std::vector<Field128> c(n);
  Field128 wj = Field128::one();  // W^−j
  for (std::size_t j = 0; j < n; ++j) {
    Field128 acc = Field128::zero(), x = Field128::one();
    for (std::size_t i = 0; i < n; ++i) {
      acc += v[i] * x;
      x *= wj;
    }
    c[j] = acc * n_inv;
    wj *= w_inv;
  }
  return c;
}

// Naive Mul-gadget polynomial: Σ_i A_i·B_i at the 2p-th roots of unity.
std::vector<Field128> mul_gadget_naive(const std::vector<Field128>& wires, std::size_t p,
                                       std::size_t count) {
  std::vector<Field128> out(2 * p);
  for (std::size_t i = 0; i < count; ++i) {
    std::vector<Field128> wa(wires.begin() + static_cast<std::ptrdiff_t>(2 * i * p),
                             wires.begin() + static_cast<std::ptrdiff_t>((2 * i + 1) * p));
    std::vector<Field128> wb(wires.begin() + static_cast<std::ptrdiff_t>((2 * i + 1) * p),
                             wires.begin() + static_cast<std::ptrdiff_t>((2 * i + 2) * p));
    const auto ea = vdaf_test::eval_at_roots(interpolate_naive(wa), 2 * p, Field128::one());
    const auto eb = vdaf_test::eval_at_roots(interpolate_naive(wb), 2 * p, Field128::one());
    for (std::size_t k = 0; k < 2 * p; ++k) out[k] += ea[k] * eb[k];
  }
  return out;
}

// Mul-gadget odd values with the scalar double_evaluations_odd only.
std::vector<Field128> mul_gadget_scalar(const std::vector<Field128>& wires, std::size_t p,
                                        std::size_t count) {
  std::vector<Field128> out(2 * p), ea(p), eb(p);
  for (std::size_t i = 0; i < count; ++i) {
    std::span<const Field128> w(wires);
    vdaf::double_evaluations_odd<Field128>(w.subspan(2 * i * p, p), ea);
    vdaf::double_evaluations_odd<Field128>(w.subspan((2 * i + 1) * p, p), eb);
    for (std::size_t k = 0; k < p; ++k) {
      out[2 * k] += w[2 * i * p + k] * w[(2 * i + 1) * p + k];
      out[2 * k + 1] += ea[k] * eb[k];
    }
  }
  return out;
}

TEST(NttIfma, ReportsPath) {
  ::testing::Test::RecordProperty("VDAF_NTT128_IFMA", VDAF_NTT128_IFMA);
  // Known answer that holds on either path: the Mul gadget on constant wires a, b is the
  // constant a·b at every root.
  const std::size_t p = 8;
  std::vector<Field128> wires(2 * p);
  for (std::size_t k = 0; k < p; ++k) {
    wires[k] = Field128::from_u64(3);
    wires[p + k] = Field128::from_int(kP - 5);
  }
  const auto g = vdaf::Gadget<Field128>::Mul();
  const auto out = g.eval_poly(wires, p);
  ASSERT_EQ(out.size(), 2 * p);
  for (const auto& x : out) EXPECT_EQ(x, Field128::from_int(kP - 15));
}

// Gadget::eval_poly (whichever path is compiled) vs the naive reference, small sizes, with and
// without the at_nodes shortcut, wire counts with remainders modulo 8.
TEST(NttIfma, MulGadgetVsNaive) {
  std::mt19937_64 rng(0x1f4a);
  for (std::size_t p = 2; p <= 32; p *= 2) {
    for (std::size_t count : {1U, 2U, 3U, 4U, 5U, 7U, 8U, 9U, 11U, 12U, 17U}) {
      for (Fill fill : {Fill::kRandom, Fill::kEdge, Fill::kAllMax}) {
        const auto wires = make_values(2 * p * count, fill, rng);
        const auto ref = mul_gadget_naive(wires, p, count);
        const auto g = vdaf::Gadget<Field128>::ParallelSum(vdaf::Gadget<Field128>::Mul(), count);
        EXPECT_EQ(g.eval_poly(wires, p), ref) << "p = " << p << ", count = " << count;
        std::vector<Field128> at_nodes(p);
        for (std::size_t k = 0; k < p; ++k) {
          std::vector<Field128> inp(2 * count);
          for (std::size_t j = 0; j < 2 * count; ++j) inp[j] = wires[j * p + k];
          at_nodes[k] = g.eval(inp);
        }
        EXPECT_EQ(g.eval_poly(wires, p, at_nodes), ref) << "p = " << p << ", count = " << count;
      }
    }
  }
}

// Larger sizes: eval_poly vs the scalar composition of double_evaluations_odd.
TEST(NttIfma, MulGadgetVsScalarLarge) {
  std::mt19937_64 rng(0x77);
  const std::pair<std::size_t, std::size_t> cases[] = {{64, 5},   {128, 16}, {256, 11}, {512, 19},
                                                       {1024, 3}, {2048, 9}, {4096, 2}};
  for (const auto& [p, count] : cases) {
    for (Fill fill : {Fill::kMixed, Fill::kAllMax}) {
      const auto wires = make_values(2 * p * count, fill, rng);
      const auto g = vdaf::Gadget<Field128>::ParallelSum(vdaf::Gadget<Field128>::Mul(), count);
      EXPECT_EQ(g.eval_poly(wires, p), mul_gadget_scalar(wires, p, count)) << "p = " << p;
    }
  }
}

#if VDAF_NTT128_IFMA
namespace ifma = vdaf::detail::ntt128_ifma;

// The batched kernel vs the scalar double_evaluations_odd, every power-of-two size 1..4096 and
// wire counts 1..17 (fewer for the largest sizes).
TEST(NttIfma, BatchVsScalar) {
  std::mt19937_64 rng(0xabc);
  for (std::size_t n = 1; n <= 4096; n *= 2) {
    const std::size_t max_wires = n <= 256 ? 17 : 9;
    for (std::size_t wires = 1; wires <= max_wires; ++wires) {
      const Fill fill = wires % 4 == 0   ? Fill::kAllMax
                        : wires % 4 == 1 ? Fill::kEdge
                        : wires % 4 == 2 ? Fill::kRandom
                                         : Fill::kMixed;
      const auto in = make_values(n * wires, fill, rng);
      std::vector<Field128> got(n * wires), want(n * wires);
      ifma::double_evaluations_odd_batch(in, got, n, wires);
      for (std::size_t w = 0; w < wires; ++w)
        vdaf::double_evaluations_odd<Field128>(std::span<const Field128>(in).subspan(w * n, n),
                                               std::span<Field128>(want).subspan(w * n, n));
      ASSERT_EQ(got, want) << "n = " << n << ", wires = " << wires;
    }
  }
}

// dot_rows (the query's wire evaluations, barycentric_eval_roots) against the scalar dot
// products: row lengths around the normalisation period (64 terms) and up to 2^12, row counts
// 1..19 (partial passes), random, edge and all-maximal values in both rows and weights.
TEST(NttIfma, DotRowsVsScalar) {
  std::mt19937_64 rng(0xd07);
  for (std::size_t n :
       {1U, 3U, 4U, 5U, 8U, 16U, 31U, 32U, 33U, 63U, 64U, 65U, 128U, 129U, 300U, 1024U, 4096U}) {
    for (std::size_t count = 1; count <= (n <= 300 ? 19U : 9U); ++count) {
      const Fill fill = count % 4 == 0   ? Fill::kAllMax
                        : count % 4 == 1 ? Fill::kEdge
                        : count % 4 == 2 ? Fill::kRandom
                                         : Fill::kMixed;
      const auto rows = make_values(n * count, fill, rng);
      const auto w = make_values(n, count % 2 == 0 ? Fill::kAllMax : Fill::kMixed, rng);
      std::vector<Field128> got(count), want(count);
      ifma::dot_rows(rows.data(), n, count, w.data(), got.data());
      for (std::size_t j = 0; j < count; ++j) {
        Field128 acc = Field128::zero();
        for (std::size_t i = 0; i < n; ++i) acc += rows[j * n + i] * w[i];
        want[j] = acc;
      }
      ASSERT_EQ(got, want) << "n = " << n << ", count = " << count;
    }
  }
}

// mul_gadget_odd with enough pairs to pass the periodic flush of the accumulators (every 64
// passes of 8 pairs), on a small size.
TEST(NttIfma, MulGadgetOddFlush) {
  std::mt19937_64 rng(0x5eed);
  for (std::size_t count : {511U, 512U, 513U, 1030U}) {
    const std::size_t p = 4;
    const auto wires = make_values(2 * p * count, Fill::kMixed, rng);
    const auto want = mul_gadget_scalar(wires, p, count);
    std::vector<Field128> got(2 * p);
    ifma::mul_gadget_odd(wires, p, count, got.data());
    for (std::size_t k = 0; k < p; ++k) {
      EXPECT_EQ(got[2 * k + 1], want[2 * k + 1]) << "count = " << count << ", k = " << k;
      EXPECT_EQ(got[2 * k], Field128::zero());
    }
  }
}

// Constants of the stored form: multiples of p in limbs, and the stored twiddles.
TEST(NttIfma, Constants) {
  for (unsigned e = 0; e < 40; ++e) {
    const ifma::Limbs3 c = ifma::p_times_pow2(e);
    EXPECT_LT(c.l[0], std::uint64_t{1} << 52);
    EXPECT_LT(c.l[1], std::uint64_t{1} << 52);
    // Reassemble modulo 2^128 and compare with p·2^e mod 2^128.
    const U128 v = static_cast<U128>(c.l[0]) + (static_cast<U128>(c.l[1]) << 52) +
                   (static_cast<U128>(c.l[2]) << 104);
    EXPECT_EQ(v, kP << e) << "e = " << e;
    if (e <= 24) {
      EXPECT_EQ(c.l[2] >> (24 + e), 0U);
    }
  }
  const ifma::Limbs3 one = ifma::stored(Field128::one());
  // 2^156 mod p = 2^28·2^128 mod p = 2^28·(28·2^64 − 1) mod p.
  const U128 want = ((static_cast<U128>(28) << 64) - 1) * (U128{1} << 28) % kP;
  const U128 got = static_cast<U128>(one.l[0]) + (static_cast<U128>(one.l[1]) << 52) +
                   (static_cast<U128>(one.l[2]) << 104);
  EXPECT_EQ(got, want);
}

// decode8 against Field128::decode_from, element by element: random words, and the encodings
// around p (p − 1, p, p + 1, hi = P1 with lo = 0 or 1, hi above P1, 2^128 − 1), placed at every
// lane.
TEST(NttIfma, Decode8VsScalar) {
  std::mt19937_64 rng(1208);
  const std::uint64_t edges[][2] = {{0, 0},
                                    {1, 0},
                                    {0, Field128::P1},                       // p − 1
                                    {1, Field128::P1},                       // p
                                    {2, Field128::P1},                       // p + 1
                                    {~std::uint64_t{0}, Field128::P1},       // hi = P1, big lo
                                    {0, Field128::P1 + 1},                   // just above
                                    {~std::uint64_t{0}, ~std::uint64_t{0}},  // 2^128 − 1
                                    {~std::uint64_t{0}, Field128::P1 - 1}};  // just below
  for (int round = 0; round < 2000; ++round) {
    std::uint8_t in[128];
    for (std::size_t i = 0; i < 8; ++i) {
      std::uint64_t lo = rng(), hi = rng();
      if (rng() % 3 == 0) {
        const auto& e = edges[rng() % std::size(edges)];
        lo = e[0], hi = e[1];
      }
      for (std::size_t b = 0; b < 8; ++b) {
        in[16 * i + b] = static_cast<std::uint8_t>(lo >> (8 * b));
        in[16 * i + 8 + b] = static_cast<std::uint8_t>(hi >> (8 * b));
      }
    }
    Field128 got[8], want[8];
    const std::uint64_t mask = ifma::decode8(in, got);
    for (std::size_t i = 0; i < 8; ++i) {
      const std::uint64_t bad = Field128::decode_from(in + 16 * i, want[i]);
      EXPECT_EQ((mask >> i) & 1, bad != 0 ? 1U : 0U) << "round " << round << " lane " << i;
      EXPECT_EQ(got[i], want[i]) << "round " << round << " lane " << i;
    }
  }
}
#endif

// sample_chunk<Field128> (decode8 passes plus a scalar tail when IFMA is compiled) against the
// one-by-one rejection sampling of §6.2, for every count up to 40, with and without rejected
// samples.
TEST(NttIfma, SampleChunkVsOneByOne) {
  std::mt19937_64 rng(77);
  for (std::size_t count = 0; count <= 40; ++count) {
    for (int reject = 0; reject < 2; ++reject) {
      std::vector<std::uint8_t> in(16 * count);
      for (auto& b : in) b = static_cast<std::uint8_t>(rng());
      if (reject && count > 0) {
        const std::size_t at = rng() % count;
        for (std::size_t b = 0; b < 16; ++b) in[16 * at + b] = 0xFF;  // 2^128 − 1 >= p
      }
      std::vector<Field128> got(count), want;
      const std::size_t n = vdaf::sample_chunk<Field128>(in.data(), count, got.data());
      for (std::size_t i = 0; i < count; ++i) {
        Field128 x;
        if (Field128::sample_from(in.data() + 16 * i, x) == 0) want.push_back(x);
      }
      ASSERT_EQ(n, want.size()) << "count " << count;
      for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(got[i], want[i]) << "count " << count;
    }
  }
}

}  // namespace
