// FLP gadgets of draft-irtf-cfrg-vdaf-20 Appendix A: Mul, PolyEval, ParallelSum.
#pragma once

#include <cstddef>
#include <span>
#include <type_traits>
#include <vector>

#include "vdaf/detail/simd/ntt128_ifma.hpp"
#include "vdaf/errors.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/polynomial/ntt.hpp"

VDAF_BEGIN_NAMESPACE

/// One gadget of a validity circuit. The set is closed (the draft's three), so a
/// small tagged struct replaces virtual dispatch: `Mul` (A.1), `PolyEval` (A.2),
/// and `ParallelSum` (A.3) of either, `count` times.
/// Spec: Appendix A.
/// @tparam F the field of the circuit the gadget belongs to.
template <NttField F>
class Gadget {
 public:
  /// The base gadget (of a ParallelSum, the sub-gadget it repeats).
  enum class Kind {
    kMul,      ///< Mul (A.1): x·y.
    kPolyEval  ///< PolyEval (A.2): a fixed polynomial of one input.
  };

  /// Mul: arity 2, degree 2 (A.1).
  /// Spec: Appendix A.1.
  /// @return the Mul gadget.
  static Gadget Mul() { return Gadget(Kind::kMul, {}, 1); }
  /// PolyEval(coeffs): arity 1, degree = len(coeffs) − 1 after stripping
  /// leading zeros (A.2). Coefficients low first, as signed integers.
  /// Spec: Appendix A.2.
  /// @param coeffs  the polynomial's coefficients, constant term first; negative values are
  ///                reduced mod p (−k becomes p − k); must not be LLONG_MIN.
  /// @return the PolyEval gadget of that polynomial.
  /// @throws invalid_argument if every coefficient is 0 (zero polynomial).
  static Gadget PolyEval(std::span<const long long> coeffs) {
    std::vector<F> c;
    for (long long k : coeffs) {
      F x = field_from_u64<F>(static_cast<std::uint64_t>(k < 0 ? -k : k));
      c.push_back(k < 0 ? -x : x);
    }
    while (!c.empty() && c.back() == F::zero()) c.pop_back();
    VDAF_ARG_CHECK(!c.empty(), "PolyEval: zero polynomial");
    return Gadget(Kind::kPolyEval, std::move(c), 1);
  }
  /// ParallelSum(sub, count): arity count·sub.ARITY, degree sub.DEGREE (A.3).
  /// Spec: Appendix A.3.
  /// @param sub    the repeated gadget: Mul() or a PolyEval (not itself a ParallelSum).
  /// @param count  the number of copies, >= 1.
  /// @return the gadget Σ_{i<count} sub(inputs[i·sub.ARITY .. (i+1)·sub.ARITY)).
  /// @throws invalid_argument if count == 0 or `sub` is a ParallelSum with count > 1.
  static Gadget ParallelSum(const Gadget& sub, std::size_t count) {
    VDAF_ARG_CHECK(count > 0, "ParallelSum: count must be positive");
    VDAF_ARG_CHECK(sub.count_ == 1, "ParallelSum: nested ParallelSum is not supported");
    return Gadget(sub.kind_, sub.coeffs_, count);
  }

  /// @return ARITY: the number of inputs, 2·count for Mul, count for PolyEval.
  std::size_t arity() const noexcept { return count_ * (kind_ == Kind::kMul ? 2 : 1); }
  /// @return DEGREE: 2 for Mul, the polynomial's degree for PolyEval (count does not change it).
  std::size_t degree() const noexcept { return kind_ == Kind::kMul ? 2 : coeffs_.size() - 1; }

  /// Evaluates the gadget on `arity()` inputs. Constant-time.
  /// Spec: Appendix A (`eval`).
  /// @param inp  the inputs, arity() elements (not checked).
  /// @return the gadget's output.
  F eval(std::span<const F> inp) const noexcept {
    F out = F::zero();
    if (kind_ == Kind::kMul) {
      for (std::size_t i = 0; i < count_; ++i) out += inp[2 * i] * inp[2 * i + 1];
    } else {
      for (std::size_t i = 0; i < count_; ++i) out += poly_eval_monomial<F>(coeffs_, inp[i]);
    }
    return out;
  }

  /// Gadget polynomial in the Lagrange basis (A.1-A.3): `wires` holds arity()
  /// Lagrange vectors of length p (wire j at [j·p, (j+1)·p)); returns the
  /// next_pow2(degree·(p−1)+1) values at the matching roots of unity.
  /// `at_nodes`, if not empty, must hold the p gadget values at the wire
  /// nodes, at_nodes[k] = G(wire values at index k) (the prover has them from
  /// the circuit evaluation); the Mul and degree-2 PolyEval gadgets then take their even values
  /// from it instead of recomputing them. Constant-time. The result is a secret's function
  /// (the prover's gadget polynomial): the caller wipes it (FlpBBCGGI19::prove does); the
  /// temporaries here are wiped.
  /// Spec: Appendix A (`eval_poly`, on Lagrange-basis values as in §7.3.3).
  /// @param wires     arity()·p elements: wire j's values at the p-th roots of unity, at
  ///                  [j·p, (j+1)·p).
  /// @param p         the wire length, a power of two (next_pow2(1 + calls) in the FLP).
  /// @param at_nodes  empty, or the p gadget values at the wire nodes (past the last call, the
  ///                  value at zero wires); used by Mul (and a ParallelSum of Mul) when p >= 2
  ///                  and by PolyEval of degree 2, ignored otherwise or if its length is not p.
  /// @return n = next_pow2(degree·(p−1)+1) values G(W_n^i), i < n, in natural order.
  /// @throws internal_error if p is not a power of two, or the degree is 0 and p > 1 (the
  /// reference's ntt rejects that case too).
  std::vector<F> eval_poly(std::span<const F> wires, std::size_t p,
                           std::span<const F> at_nodes = {}) const {
    const std::size_t n = next_power_of_2(degree() * (p - 1) + 1);
    std::vector<F> out(n);
    if (kind_ == Kind::kMul && n == 2 * p) {
      // Each wire is transformed once into a reused scratch buffer: the even
      // values P(W_2p^2k) are the wire values themselves, the odd ones come
      // from the fused inverse/coset transform (double_evaluations_odd).
      std::vector<F> scratch(2 * p);
      std::span<F> ea(scratch.data(), p), eb(scratch.data() + p, p);
      F* o = out.data();
      const bool have_even = at_nodes.size() == p;
      if (have_even) {
        for (std::size_t k = 0; k < p; ++k) o[2 * k] = at_nodes[k];
      }
      std::size_t i0 = 0;  // first pair for the scalar loop below
#if VDAF_NTT128_IFMA
      if constexpr (std::is_same_v<F, Field128>) {
        // Field128 with AVX-512 IFMA: the odd values of 8 pairs per pass
        // (detail/simd/ntt128_ifma.hpp), the even ones (no transform) here.
        const std::size_t n_simd = ifma_pairs(p);
        if (!have_even) {
          for (std::size_t i = 0; i < n_simd; ++i) {
            const F* wa = wires.data() + 2 * i * p;
            const F* wb = wa + p;
            for (std::size_t k = 0; k < p; ++k) o[2 * k] += wa[k] * wb[k];
          }
        }
        if (n_simd > 0) detail::ntt128_ifma::mul_gadget_odd(wires, p, n_simd, o);
        i0 = n_simd;
      }
#endif
      for (std::size_t i = i0; i < count_; ++i) {
        std::span<const F> wa = wires.subspan(2 * i * p, p);
        std::span<const F> wb = wires.subspan((2 * i + 1) * p, p);
        double_evaluations_odd<F>(wa, ea);
        double_evaluations_odd<F>(wb, eb);
        if (have_even) {
          for (std::size_t k = 0; k < p; ++k) o[2 * k + 1] += ea[k] * eb[k];
        } else {
          for (std::size_t k = 0; k < p; ++k) {
            o[2 * k] += wa[k] * wb[k];
            o[2 * k + 1] += ea[k] * eb[k];
          }
        }
      }
      secure_zero(scratch.data(), scratch.size() * sizeof(F));
    } else if (kind_ == Kind::kMul) {
      // p == 1, n == 1 (not reached by the FLP, which has p >= 2).
      for (std::size_t i = 0; i < count_; ++i) {
        std::vector<F> a = double_evaluations<F>(wires.subspan(2 * i * p, p));
        std::vector<F> b = double_evaluations<F>(wires.subspan((2 * i + 1) * p, p));
        for (std::size_t k = 0; k < n; ++k) out[k] += a[k] * b[k];
        wipe(a);
        wipe(b);
      }
    } else if (n == 2 * p && p >= 2 && at_nodes.size() == p) {
      // PolyEval of degree 2 (Range2: Sum, SumVec's bit checks) with the values at the wire
      // nodes given: the even values are at_nodes, the odd ones P(wire(W_2p^(2k+1))) come from
      // the fused inverse/coset transform of each wire (half the evaluations, no size-2p
      // transform).
      SecretScratch<F> odd(p);  // inline up to 1 KiB
      F* o = out.data();
      for (std::size_t k = 0; k < p; ++k) o[2 * k] = at_nodes[k];
      for (std::size_t i = 0; i < count_; ++i) {
        double_evaluations_odd<F>(wires.subspan(i * p, p), odd.span());
        std::size_t k = 0;
#if VDAF_NTT64_HWY
        if constexpr (std::is_same_v<F, Field64>) {  // P on vectors (detail/simd/ntt64_hwy.hpp)
          k = detail::ntt64_hwy::poly_eval_n(detail::field64_words(coeffs_.data()), coeffs_.size(),
                                             coeffs_.back() == F::one(),
                                             detail::field64_words(odd.data()), p);
          for (std::size_t j = 0; j < k; ++j) o[2 * j + 1] += odd.data()[j];
        }
#endif
        for (; k < p; ++k) o[2 * k + 1] += poly_eval_monomial<F>(coeffs_, odd.data()[k]);
      }
    } else if (n >= p) {
      // PolyEval (Sum, HigherDegree): the wires' values at the n points, in wiping memory (they
      // are the measurement's, secret).
      secret_vector<F> vals(n);
      for (std::size_t i = 0; i < count_; ++i) {
        lagrange_extend<F>(wires.subspan(i * p, p), vals);
        for (std::size_t k = 0; k < n; ++k) out[k] += poly_eval_monomial<F>(coeffs_, vals[k]);
      }
    } else {
      // Degree 0 with p > 1: keeps the reference behaviour (ntt rejects it).
      for (std::size_t i = 0; i < count_; ++i) {
        std::vector<F> mon = inv_ntt<F>(wires.subspan(i * p, p), p);
        std::vector<F> vals = ntt<F>(mon, n);
        for (std::size_t k = 0; k < n; ++k) out[k] += poly_eval_monomial<F>(coeffs_, vals[k]);
        wipe(mon);
        wipe(vals);
      }
    }
    return out;
  }

 private:
  static void wipe(std::vector<F>& v) noexcept { secure_zero(v.data(), v.size() * sizeof(F)); }
#if VDAF_NTT128_IFMA
  /// How many of the count_ Mul pairs (the first ones) the IFMA kernel takes for wires of
  /// length p: whole passes of 8 pairs, plus a last partial pass if it has at least 4 pairs
  /// (measured on Zen 4: one pass costs about as much as 4 to 5 pairs on the scalar path);
  /// the rest go through the scalar path.
  std::size_t ifma_pairs(std::size_t p) const noexcept {
    if (p > (std::size_t{1} << detail::ntt128_ifma::kMaxLogN)) return 0;
    const std::size_t rem = count_ % detail::ntt128_ifma::kLanes;
    return rem >= 4 ? count_ : count_ - rem;
  }
#endif
  Gadget(Kind k, std::vector<F> c, std::size_t count)
      : kind_(k), coeffs_(std::move(c)), count_(count) {}
  Kind kind_;
  std::vector<F> coeffs_;
  std::size_t count_;
};

VDAF_END_NAMESPACE
