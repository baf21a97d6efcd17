// Differential tests for the fast NTT kernels of vdaf/polynomial/ntt.hpp
// (per-stage DIF/DIT, fused double_evaluations_odd, lagrange_extend) and the
// Gadget::eval_poly paths built on them, against naive O(n²) transforms and
// the reference radix-2 kernel `ntt_inplace`, for Field64 and Field128.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "support/naive_poly.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/flp/gadgets.hpp"
#include "vdaf/polynomial/ntt.hpp"

namespace {

using vdaf_test::eval_at_roots;
using vdaf_test::eval_naive;
using vdaf_test::root_naive;

// Reference radix-2 kernel (bit reversal, then strided twiddles `tw` = root^i,
// i < n/2): a[i] <- sum_j a[j]·root^(i·j), natural order in and out. The
// library's per-stage kernels are compared against it.
template <class F>
void ntt_inplace(std::span<F> a, std::span<const F> tw) {
  const std::size_t n = a.size();
  if (n <= 1) return;
  const unsigned log_n = vdaf::detail::log2_exact(n);
  // Bit-reversal permutation (indices are public).
  for (std::size_t i = 0, j = 0; i < n; ++i) {
    if (i < j) std::swap(a[i], a[j]);
    std::size_t bit = n >> 1;
    for (; (j & bit) != 0; bit >>= 1) j ^= bit;
    j |= bit;
  }
  for (unsigned s = 1; s <= log_n; ++s) {
    const std::size_t m = std::size_t{1} << s, half = m >> 1, stride = n >> s;
    for (std::size_t k = 0; k < n; k += m) {
      for (std::size_t j = 0; j < half; ++j) {
        F t = tw[j * stride] * a[k + j + half];
        F u = a[k + j];
        a[k + j] = u + t;
        a[k + j + half] = u - t;
      }
    }
  }
}

// W_n^i (or W_n^-i) for i < n/2: the twiddles of the reference kernel.
template <class F>
std::vector<F> ref_twiddles(std::size_t n, bool inverse) {
  const auto& t = vdaf::ntt_table<F>(vdaf::detail::log2_exact(n));
  const F w = inverse ? t.w_inv : t.w;
  std::vector<F> tw(n / 2);
  F x = F::one();
  for (auto& v : tw) {
    v = x;
    x *= w;
  }
  return tw;
}

using vdaf::Field128;
using vdaf::Field64;
using vdaf::uint128;

// ---------------------------------------------------------------------------
// Naive references (independent of the fast kernels)
// ---------------------------------------------------------------------------

/// Naive DFT with an arbitrary root: out[i] = Σ_j a[j]·root^(i·j).
template <class F>
std::vector<F> dft_naive(const std::vector<F>& a, F root) {
  const std::size_t n = a.size();
  std::vector<F> out(n, F::zero());
  F wi = F::one();  // root^i
  for (std::size_t i = 0; i < n; ++i) {
    F x = F::one();
    for (std::size_t j = 0; j < n; ++j) {
      out[i] += a[j] * x;
      x = x * wi;
    }
    wi = wi * root;
  }
  return out;
}

/// Monomial coefficients of the polynomial with values v[i] at W_n^i (naive).
template <class F>
std::vector<F> interpolate_naive(const std::vector<F>& v) {
  const std::size_t n = v.size();
  std::vector<F> c = dft_naive(v, root_naive<F>(n).inv());
  const F n_inv = F::from_u64(n).inv();
  for (auto& x : c) x = x * n_inv;
  return c;
}

std::size_t bitrev_naive(std::size_t i, std::size_t n) {
  std::size_t r = 0;
  for (std::size_t b = 1; b < n; b <<= 1) r = (r << 1) | ((i & b) != 0 ? 1 : 0);
  return r;
}

// ---------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------

template <class F>
F elem_from(std::uint64_t h, std::uint64_t l);
template <>
Field64 elem_from<Field64>(std::uint64_t, std::uint64_t l) {
  return Field64::from_int(l);
}
template <>
Field128 elem_from<Field128>(std::uint64_t h, std::uint64_t l) {
  return Field128::from_int((static_cast<uint128>(h) << 64) | l);
}

template <class F>
std::vector<F> gen_vec(std::size_t n) {
  const auto w = *rc::gen::container<std::vector<std::uint64_t>>(
      2 * n, rc::gen::resize(100, rc::gen::arbitrary<std::uint64_t>()));
  std::vector<F> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = elem_from<F>(w[2 * i], w[2 * i + 1]);
  return out;
}

/// Deterministic pseudo-random vector (for the exhaustive size sweeps).
template <class F>
std::vector<F> det_vec(std::size_t n, std::uint64_t seed) {
  std::vector<F> out(n);
  std::uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 1;
  for (std::size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    const std::uint64_t h = x * 0xd1342543de82ef95ULL;
    out[i] = elem_from<F>(h, x);
  }
  return out;
}

std::size_t pick(std::size_t lo, std::size_t hi) {
  return *rc::gen::resize(100, rc::gen::inRange<std::size_t>(lo, hi + 1));
}

std::size_t gen_pow2(unsigned lo, unsigned hi) { return std::size_t{1} << pick(lo, hi); }

// ---------------------------------------------------------------------------
// Kernel properties
// ---------------------------------------------------------------------------

template <class F>
void check_kernels(const std::vector<F>& a) {
  const std::size_t n = a.size();
  const auto& t = vdaf::ntt_table<F>(vdaf::detail::log2_exact(n));
  const F w = root_naive<F>(n);
  const std::vector<F> fwd = dft_naive(a, w), inv = dft_naive(a, w.inv());
  // DIF: natural in, bit-reversed out.
  std::vector<F> x = a;
  vdaf::detail::ntt_dif_inplace<F>(x.data(), n, t.stage_tw.data());
  for (std::size_t i = 0; i < n; ++i) RC_ASSERT(x[bitrev_naive(i, n)] == fwd[i]);
  x = a;
  vdaf::detail::ntt_dif_inplace<F>(x.data(), n, t.stage_tw_inv.data());
  for (std::size_t i = 0; i < n; ++i) RC_ASSERT(x[bitrev_naive(i, n)] == inv[i]);
  // DIT: bit-reversed in, natural out.
  std::vector<F> y(n);
  for (std::size_t i = 0; i < n; ++i) y[bitrev_naive(i, n)] = a[i];
  vdaf::detail::ntt_dit_inplace<F>(y.data(), n, t.stage_tw.data());
  RC_ASSERT(y == fwd);
  for (std::size_t i = 0; i < n; ++i) y[bitrev_naive(i, n)] = a[i];
  vdaf::detail::ntt_dit_inplace<F>(y.data(), n, t.stage_tw_inv.data());
  RC_ASSERT(y == inv);
  // The reference radix-2 kernel agrees.
  std::vector<F> z = a;
  ntt_inplace<F>(z, ref_twiddles<F>(n, false));
  RC_ASSERT(z == fwd);
  // Table contents.
  for (std::size_t i = 0; i < n; ++i) RC_ASSERT(t.bitrev[i] == bitrev_naive(i, n));
}

template <class F>
void prop_kernels_match_naive() {
  check_kernels(gen_vec<F>(gen_pow2(0, 9)));
}

template <class F>
void prop_public_transforms_match_naive() {
  const std::size_t n = gen_pow2(0, 9);
  const std::vector<F> c = gen_vec<F>(pick(0, n));
  const F s = root_naive<F>(2 * n);
  RC_ASSERT(vdaf::ntt<F>(c, n) == eval_at_roots(c, n, F::one()));
  RC_ASSERT(vdaf::ntt<F>(c, n, true) == eval_at_roots(c, n, s));
  const std::vector<F> v = gen_vec<F>(n);
  RC_ASSERT(vdaf::inv_ntt<F>(v, n) == interpolate_naive(v));
}

template <class F>
void prop_double_evaluations_odd() {
  const std::size_t n = gen_pow2(0, 9);
  const std::vector<F> c = gen_vec<F>(n);
  const std::vector<F> v = eval_at_roots(c, n, F::one());
  const std::vector<F> want = eval_at_roots(c, n, root_naive<F>(2 * n));
  std::vector<F> odd(n);
  vdaf::double_evaluations_odd<F>(v, odd);
  RC_ASSERT(odd == want);
  // In place (odd aliases the input).
  std::vector<F> io = v;
  vdaf::double_evaluations_odd<F>(io, io);
  RC_ASSERT(io == want);
  // The public double_evaluations interleaves.
  const std::vector<F> d = vdaf::double_evaluations<F>(v);
  RC_ASSERT(d == eval_at_roots(c, 2 * n, F::one()));
}

template <class F>
void prop_lagrange_extend() {
  const std::size_t m = gen_pow2(0, 8);
  const std::size_t n = m << pick(0, 3);
  const std::vector<F> c = gen_vec<F>(m);
  const std::vector<F> v = eval_at_roots(c, m, F::one());
  std::vector<F> out(n);
  vdaf::lagrange_extend<F>(v, out);
  RC_ASSERT(out == eval_at_roots(c, n, F::one()));
}

template <class F>
void prop_poly_mul() {
  const std::size_t n = gen_pow2(0, 8);
  const std::vector<F> a = gen_vec<F>(n), b = gen_vec<F>(n);
  const std::vector<F> ca = interpolate_naive(a), cb = interpolate_naive(b);
  const std::vector<F> ea = eval_at_roots(ca, 2 * n, F::one());
  const std::vector<F> eb = eval_at_roots(cb, 2 * n, F::one());
  std::vector<F> want(2 * n);
  for (std::size_t i = 0; i < 2 * n; ++i) want[i] = ea[i] * eb[i];
  RC_ASSERT(vdaf::poly_mul<F>(a, b) == want);
}

// ---------------------------------------------------------------------------
// Gadget::eval_poly against its definition
// ---------------------------------------------------------------------------

/// Gadget polynomial by definition: out[k] = G(wire polynomials at W_n^k).
template <class F>
std::vector<F> gadget_poly_naive(const vdaf::Gadget<F>& g, const std::vector<F>& wires,
                                 std::size_t p) {
  const std::size_t n = vdaf::next_power_of_2(g.degree() * (p - 1) + 1);
  const std::size_t arity = g.arity();
  std::vector<std::vector<F>> at(arity);
  for (std::size_t j = 0; j < arity; ++j) {
    std::vector<F> v(wires.begin() + static_cast<std::ptrdiff_t>(j * p),
                     wires.begin() + static_cast<std::ptrdiff_t>((j + 1) * p));
    at[j] = eval_at_roots(interpolate_naive(v), n, F::one());
  }
  std::vector<F> out(n);
  std::vector<F> inp(arity);
  for (std::size_t k = 0; k < n; ++k) {
    for (std::size_t j = 0; j < arity; ++j) inp[j] = at[j][k];
    out[k] = g.eval(inp);
  }
  return out;
}

template <class F>
void check_gadget(const vdaf::Gadget<F>& g, std::size_t p, std::uint64_t seed) {
  const std::vector<F> wires = det_vec<F>(g.arity() * p, seed);
  EXPECT_TRUE(g.eval_poly(wires, p) == gadget_poly_naive(g, wires, p))
      << "arity " << g.arity() << " degree " << g.degree() << " p " << p;
}

template <class F>
void prop_gadget_eval_poly() {
  const std::size_t p = gen_pow2(1, 6);
  const std::size_t count = pick(1, 5);
  const std::vector<F> wires_mul = gen_vec<F>(2 * count * p);
  const auto mul = vdaf::Gadget<F>::ParallelSum(vdaf::Gadget<F>::Mul(), count);
  RC_ASSERT(mul.eval_poly(wires_mul, p) == gadget_poly_naive(mul, wires_mul, p));
  // With the gadget values at the wire nodes supplied (the prover's path).
  std::vector<F> at_nodes(p), inp(mul.arity());
  for (std::size_t k = 0; k < p; ++k) {
    for (std::size_t j = 0; j < mul.arity(); ++j) inp[j] = wires_mul[j * p + k];
    at_nodes[k] = mul.eval(inp);
  }
  RC_ASSERT(mul.eval_poly(wires_mul, p, at_nodes) == gadget_poly_naive(mul, wires_mul, p));
  std::vector<long long> coeffs(pick(2, 5));
  for (auto& c : coeffs) c = static_cast<long long>(pick(0, 20)) - 10;
  coeffs.back() = 3;
  const auto pe = vdaf::Gadget<F>::ParallelSum(vdaf::Gadget<F>::PolyEval(coeffs), count);
  const std::vector<F> wires_pe = gen_vec<F>(count * p);
  const std::vector<F> want_pe = gadget_poly_naive(pe, wires_pe, p);
  RC_ASSERT(pe.eval_poly(wires_pe, p) == want_pe);
  // With the values at the wire nodes supplied (degree 2 takes its even values from them).
  std::vector<F> pe_nodes(p), pe_inp(pe.arity());
  for (std::size_t k = 0; k < p; ++k) {
    for (std::size_t j = 0; j < pe.arity(); ++j) pe_inp[j] = wires_pe[j * p + k];
    pe_nodes[k] = pe.eval(pe_inp);
  }
  RC_ASSERT(pe.eval_poly(wires_pe, p, pe_nodes) == want_pe);
  // Range2 (x² − x, Sum's gadget) by itself, the degree-2 case every draw.
  const std::vector<long long> range2_coeffs{0, -1, 1};
  const auto range2 = vdaf::Gadget<F>::ParallelSum(vdaf::Gadget<F>::PolyEval(range2_coeffs), count);
  const std::vector<F> want_r2 = gadget_poly_naive(range2, wires_pe, p);
  for (std::size_t k = 0; k < p; ++k) {
    for (std::size_t j = 0; j < range2.arity(); ++j) pe_inp[j] = wires_pe[j * p + k];
    pe_nodes[k] = range2.eval(pe_inp);
  }
  RC_ASSERT(range2.eval_poly(wires_pe, p) == want_r2);
  RC_ASSERT(range2.eval_poly(wires_pe, p, pe_nodes) == want_r2);
}

#define VDAF_NTT_FAST_PROP(Prop)                               \
  RC_GTEST_PROP(NttFastField64, Prop, ()) { Prop<Field64>(); } \
  RC_GTEST_PROP(NttFastField128, Prop, ()) { Prop<Field128>(); }

VDAF_NTT_FAST_PROP(prop_kernels_match_naive)
VDAF_NTT_FAST_PROP(prop_public_transforms_match_naive)
VDAF_NTT_FAST_PROP(prop_double_evaluations_odd)
VDAF_NTT_FAST_PROP(prop_lagrange_extend)
VDAF_NTT_FAST_PROP(prop_poly_mul)
VDAF_NTT_FAST_PROP(prop_gadget_eval_poly)

// ---------------------------------------------------------------------------
// Exhaustive size sweeps (every power of two up to 1024)
// ---------------------------------------------------------------------------

template <class F>
void sweep_sizes() {
  for (std::size_t n = 1; n <= 1024; n *= 2) {
    const std::vector<F> a = det_vec<F>(n, n);
    // Fused double evaluation vs the unfused composition inv_ntt + coset ntt.
    std::vector<F> odd(n);
    vdaf::double_evaluations_odd<F>(a, odd);
    const auto& t = vdaf::ntt_table<F>(vdaf::detail::log2_exact(n));
    std::vector<F> c = a;
    ntt_inplace<F>(c, ref_twiddles<F>(n, true));
    for (std::size_t i = 0; i < n; ++i) c[i] = c[i] * t.n_inv * t.s_pows[i];
    ntt_inplace<F>(c, ref_twiddles<F>(n, false));
    EXPECT_TRUE(odd == c) << "n = " << n;
    // ntt / inv_ntt vs the reference kernel.
    std::vector<F> r = a;
    ntt_inplace<F>(r, ref_twiddles<F>(n, false));
    EXPECT_TRUE(vdaf::ntt<F>(a, n) == r) << "n = " << n;
    EXPECT_TRUE(vdaf::inv_ntt<F>(r, n) == a) << "n = " << n;
    // lagrange_extend to 2n and 4n vs inv_ntt + zero-padded ntt.
    for (std::size_t f = 1; f <= 4; f *= 2) {
      std::vector<F> ext(f * n);
      vdaf::lagrange_extend<F>(a, ext);
      EXPECT_TRUE(ext == vdaf::ntt<F>(vdaf::inv_ntt<F>(a, n), f * n)) << "n = " << n;
    }
  }
}

TEST(NttFastSweep, Field64) { sweep_sizes<Field64>(); }
TEST(NttFastSweep, Field128) { sweep_sizes<Field128>(); }

template <class F>
void gadget_sweep() {
  const long long cube[] = {0, -1, 0, 1};  // x^3 − x (degree 3)
  const long long lin[] = {5, 2};          // 2x + 5 (degree 1)
  for (std::size_t p : {1U, 2U, 4U, 8U, 16U, 64U}) {
    for (std::size_t count : {1U, 3U, 32U}) {
      if (p > 1) check_gadget(vdaf::Gadget<F>::ParallelSum(vdaf::Gadget<F>::Mul(), count), p, p);
      check_gadget(vdaf::Gadget<F>::ParallelSum(vdaf::Gadget<F>::PolyEval(cube), count), p, p + 1);
      check_gadget(vdaf::Gadget<F>::ParallelSum(vdaf::Gadget<F>::PolyEval(lin), count), p, p + 2);
    }
  }
  // Mul with p = 1 (n = 1): the fallback path.
  const std::vector<F> w = det_vec<F>(2, 7);
  EXPECT_TRUE(vdaf::Gadget<F>::Mul().eval_poly(w, 1) == std::vector<F>{w[0] * w[1]});
}

TEST(NttFastGadget, Field64) { gadget_sweep<Field64>(); }
TEST(NttFastGadget, Field128) { gadget_sweep<Field128>(); }

}  // namespace
