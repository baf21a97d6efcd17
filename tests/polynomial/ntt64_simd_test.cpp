// Differential tests for the Field64 vector NTT kernel (vdaf/detail/simd/ntt64_hwy.hpp):
// its lane arithmetic against Field64's scalar add/sub/mul (random and edge values), and the
// transforms that use it (detail::ntt_dif, detail::ntt_dit_inplace, double_evaluations_odd)
// against naive O(n²) references at every size 2..4096, including the
// partial-stage forms (h_min, h0) the FLP uses. Built twice: in the default build (the kernel is
// off without AVX2 flags, so the transform tests check the scalar stages) and with -march=native
// ("native." tests; CI's clang stage builds with AVX2), where the kernel runs.
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include "support/naive_poly.hpp"
#include "vdaf/detail/simd/ntt64_hwy.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/polynomial/ntt.hpp"

namespace {

using vdaf::Field64;
using vdaf_test::root_naive;

constexpr std::uint64_t kP = Field64::MODULUS;

/// Uniform values, or one of the edge values 0, 1, 2, p − 1, p − 2, 2^32 − 1, 2^32, 2^32 + 1,
/// 2^63, p − 2^32, random values below 2^32 and multiples of 2^32 (the reduction's carries and
/// borrows).
std::uint64_t edge_value(std::mt19937_64& rng) {
  switch (rng() % 12) {
    case 0:
      return 0;
    case 1:
      return 1;
    case 2:
      return 2;
    case 3:
      return kP - 1;
    case 4:
      return kP - 2;
    case 5:
      return 0xffffffffULL;
    case 6:
      return 0x100000000ULL;
    case 7:
      return 0x100000001ULL;
    case 8:
      return std::uint64_t{1} << 63;
    case 9:
      return kP - 0x100000000ULL;
    case 10:
      return rng() & 0xffffffffULL;
    default:
      return (rng() % 0xffffffffULL) << 32;  // < p
  }
}

std::vector<Field64> random_vec(std::size_t n, std::mt19937_64& rng, bool edges) {
  std::vector<Field64> v(n);
  for (auto& x : v) x = Field64::from_int(edges ? edge_value(rng) : rng());
  return v;
}

/// out[i] = Σ_j a[j]·root^(i·j).
std::vector<Field64> dft_naive(const std::vector<Field64>& a, Field64 root) {
  const std::size_t n = a.size();
  std::vector<Field64> out(n, Field64::zero());
  Field64 wi = Field64::one();
  for (std::size_t i = 0; i < n; ++i) {
    Field64 x = Field64::one();
    for (std::size_t j = 0; j < n; ++j) {
      out[i] += a[j] * x;
      x *= wi;
    }
    wi *= root;
  }
  return out;
}

std::size_t bitrev(std::size_t i, std::size_t n) {
  std::size_t r = 0;
  for (std::size_t b = 1; b < n; b <<= 1) r = (r << 1) | ((i & b) ? 1 : 0);
  return r;
}

#if VDAF_NTT64_HWY
namespace k = vdaf::detail::ntt64_hwy;

TEST(Ntt64Simd, LanesMatchTheTarget) {
  EXPECT_TRUE(k::kLanes == 4 || k::kLanes == 8) << k::target_name();
#if defined(__AVX512F__)
  EXPECT_EQ(k::kLanes, 8U) << k::target_name();
#endif
}

TEST(Ntt64Simd, ElementwiseEqualsScalar) {
  std::mt19937_64 rng(64);
  for (int round = 0; round < 200; ++round) {
    const std::size_t n = k::kLanes * (1 + rng() % 16);
    const auto a = random_vec(n, rng, round % 2 == 0);
    const auto b = random_vec(n, rng, round % 3 != 0);
    std::vector<std::uint64_t> aw(n), bw(n), out(n);
    for (std::size_t i = 0; i < n; ++i) {
      aw[i] = a[i].v;
      bw[i] = b[i].v;
    }
    for (int op = 0; op < 3; ++op) {
      k::elementwise(op, aw.data(), bw.data(), out.data(), n);
      for (std::size_t i = 0; i < n; ++i) {
        const Field64 want = op == 0   ? Field64::add_portable(a[i], b[i])
                             : op == 1 ? Field64::sub_portable(a[i], b[i])
                                       : Field64::mul_portable(a[i], b[i]);
        ASSERT_EQ(out[i], want.v) << "op " << op << " a " << a[i].v << " b " << b[i].v;
        ASSERT_LT(out[i], kP);
      }
    }
  }
}

TEST(Ntt64Simd, ElementwiseAllEdgePairs) {
  const std::vector<std::uint64_t> edges = {0,
                                            1,
                                            2,
                                            kP - 1,
                                            kP - 2,
                                            0xffffffffULL,
                                            0x100000000ULL,
                                            0x100000001ULL,
                                            std::uint64_t{1} << 63,
                                            kP - 0x100000000ULL,
                                            0xfffffffeffffffffULL,
                                            0x00000001fffffffeULL};
  std::vector<std::uint64_t> aw, bw;
  for (auto x : edges) {
    for (auto y : edges) {
      aw.push_back(x);
      bw.push_back(y);
    }
  }
  while (aw.size() % k::kLanes != 0) {
    aw.push_back(0);
    bw.push_back(0);
  }
  std::vector<std::uint64_t> out(aw.size());
  for (int op = 0; op < 3; ++op) {
    k::elementwise(op, aw.data(), bw.data(), out.data(), aw.size());
    for (std::size_t i = 0; i < aw.size(); ++i) {
      const Field64 a = Field64::raw(aw[i]), b = Field64::raw(bw[i]);
      const Field64 want = op == 0   ? Field64::add_portable(a, b)
                           : op == 1 ? Field64::sub_portable(a, b)
                                     : Field64::mul_portable(a, b);
      ASSERT_EQ(out[i], want.v) << "op " << op << " a " << aw[i] << " b " << bw[i];
    }
  }
}

// add_n / sub_n / poly_eval_n against the scalar operations, lengths not multiples of kLanes
// (the kernels do the whole vectors; vec_add, vec_sub and the gadget finish the rest).
TEST(Ntt64Simd, SpanKernelsEqualScalar) {
  std::mt19937_64 rng(65);
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, k::kLanes - 1, k::kLanes, 2 * k::kLanes + 3,
                        std::size_t{64}, std::size_t{129}}) {
    const auto a = random_vec(n, rng, true), b = random_vec(n, rng, false);
    std::vector<std::uint64_t> aw(n), bw(n);
    for (std::size_t i = 0; i < n; ++i) {
      aw[i] = a[i].v;
      bw[i] = b[i].v;
    }
    auto sum = aw, diff = aw;
    const std::size_t ka = k::add_n(sum.data(), bw.data(), n);
    const std::size_t ks = k::sub_n(diff.data(), bw.data(), n);
    ASSERT_EQ(ka, n - n % k::kLanes);
    ASSERT_EQ(ks, ka);
    for (std::size_t i = 0; i < ka; ++i) {
      ASSERT_EQ(sum[i], Field64::add_portable(a[i], b[i]).v) << i;
      ASSERT_EQ(diff[i], Field64::sub_portable(a[i], b[i]).v) << i;
    }
    for (std::size_t i = ka; i < n; ++i) ASSERT_EQ(sum[i], aw[i]) << "tail untouched";
    for (std::size_t nc : {1u, 2u, 3u, 5u}) {
      for (const bool lead_one : {false, true}) {  // with the leading coefficient one, as x² − x
        auto coeffs = random_vec(nc, rng, true);
        if (lead_one) coeffs.back() = Field64::one();
        std::vector<std::uint64_t> cw(nc), x = aw;
        for (std::size_t j = 0; j < nc; ++j) cw[j] = coeffs[j].v;
        const std::size_t kp = k::poly_eval_n(cw.data(), nc, lead_one, x.data(), n);
        ASSERT_EQ(kp, ka);
        for (std::size_t i = 0; i < kp; ++i) {
          ASSERT_EQ(x[i], vdaf::poly_eval_monomial<Field64>(coeffs, a[i]).v)
              << "nc " << nc << " lead_one " << lead_one;
        }
      }
    }
  }
}

// vec_add / vec_sub (which use the kernels for Field64) against the scalar operations.
TEST(Ntt64Simd, VecAddSubEqualScalar) {
  std::mt19937_64 rng(66);
  for (std::size_t n : {std::size_t{3}, std::size_t{64}, std::size_t{67}}) {
    const auto a = random_vec(n, rng, true), b = random_vec(n, rng, true);
    auto s = a, d = a;
    vdaf::vec_add<Field64>(s, b);
    vdaf::vec_sub<Field64>(d, b);
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_EQ(s[i], Field64::add_portable(a[i], b[i]));
      ASSERT_EQ(d[i], Field64::sub_portable(a[i], b[i]));
    }
  }
}
#else
// The kernel must not be silently off where its flags are given (CI's clang and native builds).
#if defined(__x86_64__) && defined(__AVX2__) && defined(__AES__) && defined(__PCLMUL__) && \
    !defined(VDAF_NO_SIMD) && !defined(VDAF_NO_NTT64_SIMD)
#error "AVX2 with AES and PCLMUL enabled but VDAF_NTT64_HWY is 0"
#endif
#endif

// The full DIF (natural in, bit-reversed out) and DIT (bit-reversed in, natural out) against
// the naive DFT, both twiddle tables, every size.
TEST(Ntt64Simd, TransformsEqualNaiveDft) {
  std::mt19937_64 rng(1);
  for (unsigned log_n = 1; log_n <= 10; ++log_n) {
    const std::size_t n = std::size_t{1} << log_n;
    const auto& t = vdaf::ntt_table<Field64>(log_n);
    for (int inverse = 0; inverse < 2; ++inverse) {
      const auto& st = inverse ? t.stage_tw_inv : t.stage_tw;
      const Field64 root = inverse ? root_naive<Field64>(n).inv() : root_naive<Field64>(n);
      const auto x = random_vec(n, rng, log_n % 2 == 1);
      const auto want = dft_naive(x, root);

      std::vector<Field64> dif(n);
      vdaf::detail::ntt_dif<Field64>(x.data(), dif.data(), n, st.data());
      for (std::size_t i = 0; i < n; ++i) {
        ASSERT_EQ(dif[bitrev(i, n)], want[i]) << "dif n " << n << " i " << i;
      }
      std::vector<Field64> dit(n);
      for (std::size_t i = 0; i < n; ++i) dit[bitrev(i, n)] = x[i];
      vdaf::detail::ntt_dit_inplace<Field64>(dit.data(), n, st.data());
      ASSERT_EQ(dit, want) << "dit n " << n;
    }
  }
}

// Partial transforms: DIF stopped at h_min, then the remaining stages by the scalar formula
// (composes to the full transform); DIT started at h0 on blocks of h0 repeated values (the
// zero-padded input state lagrange_extend uses).
TEST(Ntt64Simd, PartialStagesCompose) {
  std::mt19937_64 rng(2);
  for (unsigned log_n = 2; log_n <= 12; ++log_n) {
    const std::size_t n = std::size_t{1} << log_n;
    const auto& t = vdaf::ntt_table<Field64>(log_n);
    const auto x = random_vec(n, rng, false);
    std::vector<Field64> full(n);
    vdaf::detail::ntt_dif<Field64>(x.data(), full.data(), n, t.stage_tw.data());
    for (std::size_t h_min = 2; h_min <= n / 2; h_min <<= 1) {
      std::vector<Field64> part(n);
      vdaf::detail::ntt_dif<Field64>(x.data(), part.data(), n, t.stage_tw.data(), h_min);
      for (std::size_t h = h_min >> 1; h >= 1; h >>= 1) {  // the remaining stages, naively
        for (std::size_t blk = 0; blk < n; blk += 2 * h) {
          for (std::size_t j = 0; j < h; ++j) {
            const Field64 u = part[blk + j], v = part[blk + h + j];
            part[blk + j] = u + v;
            part[blk + h + j] = (u - v) * t.stage_tw[h + j];
          }
        }
      }
      ASSERT_EQ(part, full) << "n " << n << " h_min " << h_min;
    }
    // DIT from h0: input blocks of h0 equal values = coefficients c[b] (bit-reversed) of a
    // polynomial of degree < n/h0, evaluated at all n-th roots.
    for (std::size_t h0 = 1; h0 <= n / 2; h0 <<= 1) {
      const std::size_t m = n / h0;
      const auto c = random_vec(m, rng, true);  // natural-order coefficients
      std::vector<Field64> a(n);
      for (std::size_t b = 0; b < m; ++b) {
        for (std::size_t r = 0; r < h0; ++r) a[b * h0 + r] = c[bitrev(b, m)];
      }
      vdaf::detail::ntt_dit_inplace<Field64>(a.data(), n, t.stage_tw.data(), h0);
      std::vector<Field64> padded(n, Field64::zero());
      for (std::size_t i = 0; i < m; ++i) padded[i] = c[i];
      ASSERT_EQ(a, dft_naive(padded, root_naive<Field64>(n))) << "n " << n << " h0 " << h0;
    }
  }
}

// The FLP's transform: P at the odd 2n-th roots from the values at the n-th roots.
TEST(Ntt64Simd, DoubleEvaluationsOddEqualsNaive) {
  std::mt19937_64 rng(3);
  for (unsigned log_n = 1; log_n <= 9; ++log_n) {
    const std::size_t n = std::size_t{1} << log_n;
    const auto v = random_vec(n, rng, log_n % 2 == 0);
    std::vector<Field64> odd(n);
    vdaf::double_evaluations_odd<Field64>(std::span<const Field64>(v), std::span<Field64>(odd));
    // Coefficients by the naive inverse DFT, then P(W_2n^(2i+1)).
    auto coeffs = dft_naive(v, root_naive<Field64>(n).inv());
    const Field64 n_inv = Field64::from_u64(n).inv();
    for (auto& c : coeffs) c *= n_inv;
    const auto want = vdaf_test::eval_at_roots(coeffs, n, root_naive<Field64>(2 * n));
    ASSERT_EQ(odd, want) << "n " << n;
  }
}

}  // namespace
