// The FLP of BBCGGI19 (draft-irtf-cfrg-vdaf-20 §7.3): prove, query, decide.
#pragma once

#include <algorithm>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <new>
#include <optional>
#include <span>
#include <type_traits>
#include <vector>

#include "vdaf/core/small_vector.hpp"
#include "vdaf/ct/ct.hpp"
#include "vdaf/ct/poison.hpp"
#include "vdaf/detail/simd/field128x8.hpp"
#include "vdaf/errors.hpp"
#include "vdaf/field/field.hpp"
#include "vdaf/flp/gadgets.hpp"
#include "vdaf/flp/limits.hpp"
#include "vdaf/polynomial/barycentric.hpp"
#include "vdaf/polynomial/ntt.hpp"

VDAF_BEGIN_NAMESPACE

/// Gadget context that evaluates gadgets directly (no recording): what a circuit's `eval`
/// needs to run in the clear, outside the FLP (the Valid concept is checked against it).
/// @tparam F the circuit's field.
template <NttField F>
struct DirectGadgets {
  /// The circuit's gadgets (GADGETS, §7.3.2); not owned, must outlive the context.
  const std::vector<Gadget<F>>* gadgets;
  /// Evaluates gadget `g` on one call's inputs (no recording, no bounds check).
  /// @param g    the gadget's index in `gadgets`, in 0..len(GADGETS)−1.
  /// @param inp  the call's inputs, ARITY of gadget `g` elements.
  /// @return the gadget's output on `inp` (Gadget::eval). Constant-time.
  F call(std::size_t g, std::span<const F> inp) { return (*gadgets)[g].eval(inp); }
};

/// A validity circuit (§7.3.2). `eval` is a template over a gadget context with
/// `F call(std::size_t gadget, std::span<const F> inputs)`.
template <class V>
concept Valid = requires(const V v, std::span<const typename V::Field> s,
                         std::span<typename V::Field> out, DirectGadgets<typename V::Field>& ctx) {
  typename V::Field;
  typename V::Measurement;
  typename V::AggResult;
  { v.meas_len() } -> std::convertible_to<std::size_t>;
  { v.joint_rand_len() } -> std::convertible_to<std::size_t>;
  { v.output_len() } -> std::convertible_to<std::size_t>;
  { v.eval_output_len() } -> std::convertible_to<std::size_t>;
  { v.gadgets() } -> std::convertible_to<const std::vector<Gadget<typename V::Field>>&>;
  { v.gadget_calls() } -> std::convertible_to<const std::vector<std::size_t>&>;
  v.eval(ctx, s, s, std::size_t{2}, out);
  v.truncate(s, out);
};

/// FlpBBCGGI19 over a validity circuit `V` (§7.3). Lengths follow §7.3.1:
/// PROVE_RAND_LEN = Σ arity, QUERY_RAND_LEN = len(GADGETS) (+ EVAL_OUTPUT_LEN if
/// > 1), PROOF_LEN = Σ (arity + degree·(p−1) + 1), VERIFIER_LEN = 1 + Σ (arity + 1),
/// with p = next_pow2(1 + calls) per gadget.
/// Spec: §7.3.
/// @tparam V the validity circuit (Count, Sum, SumVec, Histogram, MultihotCountVec, ...).
template <Valid V>
class FlpBBCGGI19 {
 public:
  using Field = typename V::Field;  ///< The circuit's field (an NttField).
  using F = Field;                  ///< Short name of Field.

  /// Builds the FLP of circuit `valid`: its lengths, and the query's Lagrange data per gadget.
  /// Limits (FlpLimits, checked before anything is allocated): MEAS_LEN, OUTPUT_LEN,
  /// JOINT_RAND_LEN and EVAL_OUTPUT_LEN ≤ MAX_MEAS_LEN; per gadget at most MAX_GADGET_CALLS
  /// calls, and arity·P and degree·P (P = next_pow2(1 + calls)) ≤ MAX_WIRE_ELEMENTS.
  /// Spec: §7.3.1.
  /// @param valid  the validity circuit (moved in; kept for the FLP's lifetime, see valid()).
  /// @throws invalid_argument if gadgets and calls do not match, a gadget has degree 0, P exceeds
  /// the field's NTT domain, or a limit is exceeded (the message names it).
  explicit FlpBBCGGI19(V valid) : valid_(std::move(valid)) {
    const auto& gs = valid_.gadgets();
    const auto& calls = valid_.gadget_calls();
    VDAF_ARG_CHECK(gs.size() == calls.size() && !gs.empty(), "FLP: gadgets and calls mismatch");
    check_limit(valid_.meas_len(), FlpLimits::MAX_MEAS_LEN, "MEAS_LEN", "FlpLimits::MAX_MEAS_LEN");
    check_limit(valid_.output_len(), FlpLimits::MAX_MEAS_LEN, "OUTPUT_LEN",
                "FlpLimits::MAX_MEAS_LEN");
    check_limit(valid_.joint_rand_len(), FlpLimits::MAX_MEAS_LEN, "JOINT_RAND_LEN",
                "FlpLimits::MAX_MEAS_LEN");
    check_limit(valid_.eval_output_len(), FlpLimits::MAX_MEAS_LEN, "EVAL_OUTPUT_LEN",
                "FlpLimits::MAX_MEAS_LEN");
    for (std::size_t g = 0; g < gs.size(); ++g) {
      check_limit(calls[g], FlpLimits::MAX_GADGET_CALLS, "the number of calls of a gadget",
                  "FlpLimits::MAX_GADGET_CALLS");
      const std::size_t p = next_power_of_2(1 + calls[g]);
      constexpr std::size_t kWires = FlpLimits::MAX_WIRE_ELEMENTS;
      check_limit(gs[g].arity() > kWires / p ? kWires + 1 : gs[g].arity() * p, kWires,
                  "a gadget's arity times its P points", "FlpLimits::MAX_WIRE_ELEMENTS");
      check_limit(gs[g].degree() > kWires / p ? kWires + 1 : gs[g].degree() * p, kWires,
                  "a gadget's degree times its P points", "FlpLimits::MAX_WIRE_ELEMENTS");
    }
    prove_rand_len_ = 0;
    proof_len_ = 0;
    verifier_len_ = 1;
    for (std::size_t g = 0; g < gs.size(); ++g) {
      const std::size_t p = next_power_of_2(1 + calls[g]);
      VDAF_ARG_CHECK(std::countr_zero(p) < static_cast<int>(F::GEN_ORDER_LOG2),
                     "FLP: too many gadget calls for the field");
      VDAF_ARG_CHECK(gs[g].degree() >= 1, "FLP: gadget of degree 0");
      prove_rand_len_ += gs[g].arity();
      const std::size_t m = gs[g].degree() * (p - 1) + 1;
      proof_len_ += gs[g].arity() + m;
      verifier_len_ += gs[g].arity() + 1;
      QueryData qd{BarycentricPrefix<F>(m), 0, 0, {}, 0, nullptr};
      if (qd.prefix.n() <= kDirectMaxN) {
        qd.prefix.enable_direct();
        qd.ntt_p = &ntt_table<F>(static_cast<unsigned>(std::countr_zero(p)));
      }
      qd.step = qd.prefix.n() / p;
      qd.k0 = (m + qd.step - 1) / qd.step;  // first call k with k·step >= m
      for (std::size_t k = qd.k0; k <= calls[g]; ++k)
        qd.extra_ell.push_back(qd.prefix.node_ell(k * qd.step));
      qd.extra_off = extra_len_;
      extra_len_ += qd.extra_ell.size();
      max_n_ = std::max(max_n_, qd.prefix.n());
      max_arity_ = std::max(max_arity_, gs[g].arity());
      query_data_.push_back(std::move(qd));
    }
    query_rand_len_ = gs.size() + (valid_.eval_output_len() > 1 ? valid_.eval_output_len() : 0);
    if (gs.size() == 1 && calls[0] == 1 && gs[0].degree() == 2 && gs[0].arity() <= kLeanMaxArity &&
        valid_.eval_output_len() == 1) {
      // P(t) = Σ_k P(x_k)·L_k(t) over the nodes x_k = W_4^k, k < 3, with
      // L_k(t) = Π_{l≠k} (t − x_l)/(x_k − x_l) = coef[k][0] + coef[k][1]·t + coef[k][2]·t².
      const std::vector<F>& x = query_data_[0].prefix.table().nodes;
      LeanQuery lq{};
      for (std::size_t k = 0; k < 3; ++k) {
        const F u = x[(k + 1) % 3], w = x[(k + 2) % 3];
        const F d = ((x[k] - u) * (x[k] - w)).inv();
        lq.coef[k][0] = u * w * d;
        lq.coef[k][1] = F::zero() - (u + w) * d;
        lq.coef[k][2] = d;
      }
      lq.half = (F::one() + F::one()).inv();
      lean_ = lq;
    }
    init_lanes();
  }

  /// Whether query() takes the lean path (one gadget of degree 2 called once, arity <= 8,
  /// EVAL_OUTPUT_LEN 1: Prio3Count, Prio3Sum with max 1); same results either way.
  /// @return true iff the circuit takes the lean query.
  bool lean_query() const noexcept { return lean_.has_value(); }
  /// @return the validity circuit the FLP was built from.
  const V& valid() const noexcept { return valid_; }
  /// @return PROVE_RAND_LEN (§7.3.1): Σ_g ARITY_g field elements.
  std::size_t prove_rand_len() const noexcept { return prove_rand_len_; }
  /// @return QUERY_RAND_LEN (§7.3.1): len(GADGETS), plus EVAL_OUTPUT_LEN if it is > 1.
  std::size_t query_rand_len() const noexcept { return query_rand_len_; }
  /// @return JOINT_RAND_LEN (§7.3.1), the circuit's.
  std::size_t joint_rand_len() const noexcept { return valid_.joint_rand_len(); }
  /// @return MEAS_LEN (§7.3.1), the circuit's: elements of the encoded measurement.
  std::size_t meas_len() const noexcept { return valid_.meas_len(); }
  /// @return OUTPUT_LEN (§7.3.1), the circuit's: elements of a truncated output.
  std::size_t output_len() const noexcept { return valid_.output_len(); }
  /// @return PROOF_LEN (§7.3.1): Σ_g (ARITY_g + DEGREE_g·(p_g − 1) + 1) elements.
  std::size_t proof_len() const noexcept { return proof_len_; }
  /// @return VERIFIER_LEN (§7.3.1): 1 + Σ_g (ARITY_g + 1) elements.
  std::size_t verifier_len() const noexcept { return verifier_len_; }

  /// §7.3.3 prove: writes PROOF_LEN elements to `proof`.
  /// Shapes: meas MEAS_LEN, prove_rand PROVE_RAND_LEN, joint_rand JOINT_RAND_LEN.
  /// Constant-time in the measurement and randomness; the temporaries (wires, gadget
  /// polynomials) are wiped.
  /// Spec: §7.3.3.
  /// @param meas        the encoded measurement, MEAS_LEN elements.
  /// @param prove_rand  the prover randomness, PROVE_RAND_LEN elements (the wire seeds, gadget
  ///                    by gadget).
  /// @param joint_rand  the joint randomness, JOINT_RAND_LEN elements.
  /// @param proof       receives the proof, PROOF_LEN elements.
  /// @throws internal_error if a span has the wrong length, or the circuit calls a gadget p or
  /// more times (p = next_pow2(1 + GADGET_CALLS)).
  void prove(std::span<const F> meas, std::span<const F> prove_rand, std::span<const F> joint_rand,
             std::span<F> proof) const {
    check_len(meas.size(), meas_len(), "measurement");
    check_len(prove_rand.size(), prove_rand_len_, "prove randomness");
    check_len(joint_rand.size(), joint_rand_len(), "joint randomness");
    check_len(proof.size(), proof_len_, "proof");
    Recorder rec(valid_, prove_rand);
    const auto& gs = valid_.gadgets();
    // Gadget values at the wire nodes: the seeds' (k = 0) here, the calls'
    // (k >= 1) as the circuit makes them, G(0, …, 0) past the last call (zero
    // wires; filled after the circuit runs). eval_poly uses them for Mul and
    // degree-2 PolyEval gadgets.
    // Gadget g's values start at at_off[g] (p_g values each, zero-initialised).
    SmallVector<std::size_t, 4> at_off(gs.size() + 1);
    for (std::size_t g = 0; g < gs.size(); ++g) at_off[g + 1] = at_off[g] + rec.p(g);
    // One scratch buffer (inline when small, wiped once): the values at the
    // nodes, the circuit outputs, the seeds of one gadget.
    const std::size_t n_out = valid_.eval_output_len();
    SecretScratch<F> tmp(at_off[gs.size()] + n_out + max_arity_);
    F* const at_nodes = tmp.data();
    F* const out = at_nodes + at_off[gs.size()];
    F* const seeds = out + n_out;
    for (std::size_t g = 0; g < gs.size(); ++g) {
      for (std::size_t j = 0; j < gs[g].arity(); ++j) seeds[j] = rec.wires(g)[j * rec.p(g)];
      at_nodes[at_off[g]] = gs[g].eval(std::span<const F>(seeds, gs[g].arity()));
    }
    ProveCtx ctx{&rec, &gs, at_nodes, at_off.data()};
    valid_.eval(ctx, meas, joint_rand, 1, std::span<F>(out, n_out));
    rec.flush();
    // Past the last call the wires are 0: the gadget's value there is G(0, …, 0) (0 for Mul,
    // the constant terms for PolyEval), so that at_nodes holds G at every wire node.
    for (std::size_t g = 0; g < gs.size(); ++g) {
      std::fill_n(seeds, gs[g].arity(), F::zero());
      const F g0 = gs[g].eval(std::span<const F>(seeds, gs[g].arity()));
      for (std::size_t k = rec.k(g) + 1; k < rec.p(g); ++k) at_nodes[at_off[g] + k] = g0;
    }
    std::size_t off = 0;
    for (std::size_t g = 0; g < gs.size(); ++g) {
      const std::size_t arity = gs[g].arity(), p = rec.p(g);
      for (std::size_t j = 0; j < arity; ++j) proof[off++] = rec.wires(g)[j * p];
      std::vector<F> poly = gs[g].eval_poly(std::span<const F>(rec.wires(g)), p,
                                            std::span<const F>(at_nodes + at_off[g], p));
      const std::size_t m = gs[g].degree() * (p - 1) + 1;
      for (std::size_t i = 0; i < m; ++i) proof[off++] = poly[i];
      secure_zero(poly.data(), poly.size() * sizeof(F));
    }
  }

  /// §7.3.4 query: writes VERIFIER_LEN elements to `verifier`.
  /// Shapes: meas MEAS_LEN, proof PROOF_LEN, query_rand QUERY_RAND_LEN,
  /// joint_rand JOINT_RAND_LEN; num_shares >= 1.
  /// Constant-time in the shares and the query randomness except: whether a test point is
  /// a root of unity (the abort verdict) is public, and in the negligible event t^n = 1 with
  /// t^p ≠ 1 (probability ≤ n/|F|) the evaluation at t takes a variable-time path.
  /// Spec: §7.3.4.
  /// @param meas        this aggregator's measurement share, MEAS_LEN elements.
  /// @param proof       this aggregator's proof share, PROOF_LEN elements.
  /// @param query_rand  the query randomness, QUERY_RAND_LEN elements: EVAL_OUTPUT_LEN
  ///                    reduction coefficients if EVAL_OUTPUT_LEN > 1, then one test point t
  ///                    per gadget.
  /// @param joint_rand  the joint randomness, JOINT_RAND_LEN elements.
  /// @param num_shares  the number of shares (SHARES), >= 1 (not checked): the circuit scales
  ///                    its constants by 1/num_shares.
  /// @param verifier    receives this aggregator's verifier share, VERIFIER_LEN elements.
  /// @throws verify_error (VerifyFailure::query_aborted) if a test point t satisfies t^p = 1
  /// (abort).
  /// @throws internal_error if a span has the wrong length, or the circuit calls a gadget p or
  /// more times (p = next_pow2(1 + GADGET_CALLS)).
  ///
  /// Circuits with one gadget of degree 2 called once (Prio3Count; Prio3Sum with max 1) take a
  /// lean path with the same result: P = 2 and n = 4, so each wire is the line through its seed
  /// (at 1) and its call's input (at −1), and the gadget polynomial the parabola through its
  /// three proof values, both evaluated at t from constants fixed at construction (no recorder,
  /// scratch or transforms: ~30 ns against ~90 ns on Zen 4). query_general always takes the
  /// general path; the tests compare the two.
  void query(std::span<const F> meas, std::span<const F> proof, std::span<const F> query_rand,
             std::span<const F> joint_rand, std::size_t num_shares, std::span<F> verifier) const {
    if (lean_.has_value()) {
      check_lens(meas, proof, query_rand, joint_rand, verifier);
      query_lean(meas, proof, query_rand, joint_rand, num_shares, verifier);
      return;
    }
    query_general(meas, proof, query_rand, joint_rand, num_shares, verifier);
  }

  /// query() by the general algorithm of §7.3.4 for every circuit (no lean path). Same
  /// shapes, results, exceptions and constant-time properties as query(); for tests and
  /// comparisons. Spec: §7.3.4.
  /// @param meas        this aggregator's measurement share, MEAS_LEN elements.
  /// @param proof       this aggregator's proof share, PROOF_LEN elements.
  /// @param query_rand  the query randomness, QUERY_RAND_LEN elements (as for query()).
  /// @param joint_rand  the joint randomness, JOINT_RAND_LEN elements.
  /// @param num_shares  the number of shares (SHARES), >= 1 (not checked).
  /// @param verifier    receives this aggregator's verifier share, VERIFIER_LEN elements.
  /// @throws verify_error (VerifyFailure::query_aborted) if a test point t satisfies t^p = 1.
  /// @throws internal_error as query() does.
  void query_general(std::span<const F> meas, std::span<const F> proof,
                     std::span<const F> query_rand, std::span<const F> joint_rand,
                     std::size_t num_shares, std::span<F> verifier) const {
    check_lens(meas, proof, query_rand, joint_rand, verifier);
    const auto& gs = valid_.gadgets();
    Recorder rec(valid_, proof, /*from_proof=*/true);
    // Gadget polynomials: the m values P(W_n^i), i < m, are read in place from
    // the proof; QueryGadget's lookups at k·step >= m (gadgets of degree >= 3
    // only) are interpolated from them (m multiply-adds each).
    SmallVector<std::span<const F>, 4> polys(gs.size());
    // One scratch buffer (inline when small, wiped once): the interpolated
    // lookups, the circuit outputs, and three max_n_ work areas.
    const std::size_t n_out = valid_.eval_output_len();
    SecretScratch<F> tmp(extra_len_ + n_out + 3 * max_n_);
    F* const extra = tmp.data();
    F* const out = extra + extra_len_;
    const std::span<F> inv(out + n_out, max_n_), prefix(inv.data() + max_n_, max_n_),
        scratch(prefix.data() + max_n_, max_n_);
    {
      std::size_t off = 0;
      for (std::size_t g = 0; g < gs.size(); ++g) {
        const QueryData& qd = query_data_[g];
        off += gs[g].arity();
        const std::size_t m = qd.prefix.m();
        polys[g] = proof.subspan(off, m);
        off += m;
        for (std::size_t e = 0; e < qd.extra_ell.size(); ++e) {
          extra[qd.extra_off + e] =
              qd.prefix.value_at_node(polys[g], (qd.k0 + e) * qd.step, qd.extra_ell[e]);
        }
      }
    }
    QueryCtx ctx{&rec, &polys, extra, &query_data_};
    valid_.eval(ctx, meas, joint_rand, num_shares, std::span<F>(out, n_out));
    rec.flush();
    std::size_t qoff = 0;
    F v;
    if (n_out > 1) {
      v = F::zero();
      for (std::size_t i = 0; i < n_out; ++i) v += query_rand[i] * out[i];
      qoff = n_out;
    } else {
      v = out[0];
    }
    std::size_t voff = 0;
    verifier[voff++] = v;
    // Evaluation at t per gadget: for n <= kDirectMaxN from the powers of t
    // (no inversion); otherwise barycentric, with one batch inversion of the
    // n denominators 1/(t − W_n^i) shared by its wires (nodes
    // W_p^i = W_n^(i·step)) and its gadget polynomial.
    SmallVector<std::span<const F>, 8> ws(max_arity_);
    for (std::size_t g = 0; g < gs.size(); ++g) {
      const QueryData& qd = query_data_[g];
      const F t = query_rand[qoff + g];
      const std::size_t p = rec.p(g), arity = gs[g].arity();
      if (qd.prefix.direct()) {
        // Small n: Lagrange weights from the powers of t by two small
        // transforms (sizes n and p), no inversion and no special case.
        const std::size_t n = qd.prefix.n();
        const std::span<F> pw(prefix.data(), n), wn(inv.data(), n), wp(scratch.data(), p);
        lagrange_weights_direct<F>(qd.prefix.ntt(), t, pw, wn);
        if (ct::declassify(pw[p - 1] * t == F::one()))  // public verdict (report rejected)
          VDAF_VERIFY_FAIL(query_aborted,
                           "FLP query: test point is a root of unity (abort, §7.3.3)");
        detail::ntt_dif<F>(pw.data(), wp.data(), p, qd.ntt_p->stage_tw_inv.data());
        // The wires' weights in natural order with 1/p folded in (pw is free again).
        const std::uint32_t* br = qd.ntt_p->bitrev.data();
        for (std::size_t i = 0; i < p; ++i) pw[i] = wp[br[i]] * qd.ntt_p->n_inv;
        dot_rows<F>(rec.wires(g).data(), p, std::span<const F>(pw.data(), p),
                    verifier.subspan(voff, arity));
        verifier[voff + arity] = qd.prefix.eval_direct(polys[g], wn);
        voff += arity + 1;
        continue;
      }
      const F tp = t.pow(p);
      if (ct::declassify(tp == F::one()))  // public verdict (report rejected)
        VDAF_VERIFY_FAIL(query_aborted, "FLP query: test point is a root of unity (abort, §7.3.3)");
      for (std::size_t j = 0; j < arity; ++j)
        ws[j] = std::span<const F>(rec.wires(g)).subspan(j * p, p);
      const std::span<const std::span<const F>> wires(ws.data(), arity);
      const std::size_t m = qd.prefix.m(), n = qd.prefix.n();
      const BarycentricTable<F>& tab = qd.prefix.table();
      const std::span<F> inv_n(inv.data(), n), prefix_n(prefix.data(), n);
      const F prod = barycentric_denominators<F>(tab, t, inv_n, prefix_n);  // = t^n − 1
      if (ct::declassify(prod == F::zero())) {  // public: which path (negligible event)
        // t^n = 1 but t^p ≠ 1 (probability <= n/|F|): t = W_n^K for one K.
        // Variable-time in this negligible event only.
        eval_at_node_vartime(qd, tab, wires, polys[g], t, tp, inv, prefix, scratch,
                             verifier.subspan(voff, arity + 1));
      } else {
        barycentric_eval_roots<F>(tab, wires, tp, inv_n, scratch, verifier.subspan(voff, arity));
        const F ell = m < n ? prefix.data()[m] : prod;  // Π_{i<m}(t − W_n^i)
        verifier[voff + arity] = qd.prefix.eval(polys[g], inv_n, ell);
      }
      voff += arity + 1;
    }
  }

  /// Reports per query_lanes call: 8 (one per AVX-512 lane).
  static constexpr std::size_t LANES = 8;

 private:
  // Eight elements in lanes (an empty placeholder without IFMA, so that the class layout does
  // not depend on the build flags).
#if VDAF_NTT128_IFMA
  using LaneElem = detail::ntt128_ifma::Field128x8;
#else
  struct LaneElem {};
#endif

 public:
  /// Working memory of query_lanes, kept between calls so that a batch sizes (and wipes) it
  /// once: pass the same one to every call of a batch. Holds secrets (shares in lanes) while it
  /// lives; wiped when destroyed. Not shared between threads.
  class LaneScratch {
   public:
    /// Empty; query_lanes sizes it on first use.
    LaneScratch() = default;

   private:
    friend class FlpBBCGGI19;
    secret_vector<LaneElem> buf_;
  };

  /// Whether query_lanes runs the reports in SIMD lanes: built with AVX-512 IFMA
  /// (VDAF_NTT128_IFMA), a Field128 circuit with an `eval_on` (Histogram, SumVec,
  /// MultihotCountVec), not on the lean path, every gadget of degree 2 with P <= 128 (at most
  /// 127 calls), and eight reports' working set at most 2^14 lane elements (3 MiB: e.g.
  /// Histogram(100, 10) takes 604, SumVec(1000, 31) about 5 500). Otherwise query_lanes runs
  /// query() lane by lane (same results).
  /// @return true iff query_lanes takes the SIMD path.
  bool lane_query() const noexcept { return !lanes_.empty(); }

  /// query() of up to LANES reports at once: report c < count has its measurement share
  /// meas[c] (MEAS_LEN elements), proof share proof[c] (PROOF_LEN), query randomness
  /// query_rand[c] (QUERY_RAND_LEN), joint randomness joint_rand[c] (JOINT_RAND_LEN; not read
  /// if 0) and receives its verifier share in verifier[c] (VERIFIER_LEN). With lane_query() the
  /// eight reports run in the lanes of AVX-512 IFMA registers (structure-of-arrays), otherwise
  /// one after the other through query(); the verifiers are the same. The pointer arrays have
  /// `count` entries; the spans must not overlap the verifiers.
  /// Constant-time as query(): whether a report's test point is a root of unity is its public
  /// verdict.
  /// Spec: §7.3.4.
  /// @param meas        count pointers to measurement shares.
  /// @param proof       count pointers to proof shares.
  /// @param query_rand  count pointers to query randomness.
  /// @param joint_rand  count pointers to joint randomness (may be null if JOINT_RAND_LEN = 0).
  /// @param count       the number of reports, 1..LANES.
  /// @param num_shares  the number of shares (SHARES), >= 1 (not checked).
  /// @param verifier    count pointers that receive the verifier shares.
  /// @param scratch     working memory to reuse across calls (one per thread), or null (then
  ///                    each call allocates and wipes its own).
  /// @return the reports whose query aborts (bit c set: its test point is a root of unity and
  /// query() throws verify_error for it); their verifier is not written.
  /// @throws internal_error if count is 0 or more than LANES, or the circuit calls a gadget p or
  /// more times.
  std::uint32_t query_lanes(const F* const* meas, const F* const* proof, const F* const* query_rand,
                            const F* const* joint_rand, std::size_t count, std::size_t num_shares,
                            F* const* verifier, LaneScratch* scratch = nullptr) const {
    if (count == 0 || count > LANES) VDAF_THROW(internal_error, "FLP query_lanes: bad count");
#if VDAF_NTT128_IFMA
    if constexpr (std::is_same_v<F, Field128> && kLaneEval) {
      if (!lanes_.empty()) {
        LaneScratch own;
        return query_lanes_ifma(meas, proof, query_rand, joint_rand, count, num_shares, verifier,
                                scratch != nullptr ? *scratch : own);
      }
    }
#else
    (void)scratch;
#endif
    // query() writes the circuit output before it checks the test points: each lane's verifier
    // goes to `tmp` first, copied out unless the query aborts.
    std::uint32_t aborted = 0;
    const std::size_t jrl = joint_rand_len();
    SecretScratch<F> tmp(verifier_len_);
    for (std::size_t c = 0; c < count; ++c) {
      try {
        query(std::span<const F>(meas[c], meas_len()), std::span<const F>(proof[c], proof_len_),
              std::span<const F>(query_rand[c], query_rand_len_),
              std::span<const F>(jrl == 0 ? nullptr : joint_rand[c], jrl), num_shares, tmp.span());
        std::copy_n(tmp.data(), verifier_len_, verifier[c]);
      } catch (const verify_error&) {
        aborted |= std::uint32_t{1} << c;
      }
    }
    return aborted;
  }

  /// §7.3.5 decide on the summed verifier (VERIFIER_LEN elements): true iff the
  /// circuit output is 0 and every gadget test passes. Works on public data (the verifier is
  /// the sum of the verifier shares), so no constant-time property is needed.
  /// Spec: §7.3.5.
  /// @param verifier  the verifier, the sum of all aggregators' verifier shares, VERIFIER_LEN
  ///                  elements.
  /// @return true iff the proof is accepted.
  /// @throws internal_error if `verifier` does not have VERIFIER_LEN elements.
  bool decide(std::span<const F> verifier) const {
    check_len(verifier.size(), verifier_len_, "verifier");
    std::uint64_t bad = verifier[0] == F::zero() ? 0 : 1;
    std::size_t off = 1;
    for (const auto& g : valid_.gadgets()) {
      F e = g.eval(verifier.subspan(off, g.arity()));
      off += g.arity();
      bad |= e == verifier[off] ? 0 : 1;
      ++off;
    }
    return bad == 0;
  }

 private:
  static void check_limit(std::size_t value, std::size_t limit, const char* what,
                          const char* name) {
    VDAF_ARG_CHECK(value <= limit, detail::limit_message("FLP", what, value, limit, name));
  }

  void check_lens(std::span<const F> meas, std::span<const F> proof, std::span<const F> query_rand,
                  std::span<const F> joint_rand, std::span<F> verifier) const {
    check_len(meas.size(), meas_len(), "measurement share");
    check_len(proof.size(), proof_len_, "proof share");
    check_len(query_rand.size(), query_rand_len_, "query randomness");
    check_len(joint_rand.size(), joint_rand_len(), "joint randomness");
    check_len(verifier.size(), verifier_len_, "verifier");
  }

  // The lean query (see query()): one gadget of degree 2, called once, arity <= kLeanMaxArity,
  // EVAL_OUTPUT_LEN 1. coef[k] are the coefficients of the Lagrange basis polynomial of node
  // W_4^k (k < 3) in 1, t, t²; half = 1/2 (the wires' weights are (1 ± t)/2).
  static constexpr std::size_t kLeanMaxArity = 8;
  struct LeanQuery {
    F coef[3][3];
    F half;
  };
  // The gadget context of the lean query: records the one call's inputs (wire values at
  // W_2^1 = −1) and returns P(W_4^2), as QueryCtx does for call k = 1 (k·step = 2 < m = 3).
  struct LeanCtx {
    F* inputs;
    std::size_t arity;
    F value;
    std::size_t calls;
    F call(std::size_t g, std::span<const F> inp) {
      if (g != 0 || calls != 0 || inp.size() != arity)
        VDAF_THROW(internal_error, "FLP: gadget called more often than declared");
      ++calls;
      for (std::size_t j = 0; j < arity; ++j) inputs[j] = inp[j];
      return value;
    }
  };
  void query_lean(std::span<const F> meas, std::span<const F> proof, std::span<const F> query_rand,
                  std::span<const F> joint_rand, std::size_t num_shares,
                  std::span<F> verifier) const {
    const LeanQuery& lq = *lean_;
    const std::size_t a = valid_.gadgets()[0].arity();
    const std::span<const F> poly = proof.subspan(a, 3);  // P(W_4^k), k < 3
    // The call's inputs (zero if never called), then the output. Two output slots: the eval of
    // circuits with two outputs (Histogram, ...) is compiled here too, never run (the lean path
    // needs EVAL_OUTPUT_LEN 1), and g++ -Warray-bounds flags its write of out[1] otherwise.
    F buf[kLeanMaxArity + 2] = {};
    LeanCtx ctx{buf, a, poly[2], 0};
    valid_.eval(ctx, meas, joint_rand, num_shares, std::span<F>(buf + kLeanMaxArity, 1));
    verifier[0] = buf[kLeanMaxArity];
    const F t = query_rand[0];
    const F t2 = t * t;
    if (ct::declassify(t2 == F::one())) {  // public verdict (report rejected)
      secure_zero_inline(buf, kLeanMaxArity + 2);
      VDAF_VERIFY_FAIL(query_aborted, "FLP query: test point is a root of unity (abort, §7.3.3)");
    }
    const F at_one = (F::one() + t) * lq.half, at_minus_one = (F::one() - t) * lq.half;
    for (std::size_t j = 0; j < a; ++j) verifier[1 + j] = proof[j] * at_one + buf[j] * at_minus_one;
    F pt = F::zero();
    for (std::size_t k = 0; k < 3; ++k)
      pt += poly[k] * (lq.coef[k][0] + lq.coef[k][1] * t + lq.coef[k][2] * t2);
    verifier[1 + a] = pt;
    secure_zero_inline(buf, kLeanMaxArity + 2);
  }

  static void check_len(std::size_t got, std::size_t want, const char* what) {
    if (got != want) {
      VDAF_THROW(internal_error, std::string("FLP: ") + what + " has length " +
                                     std::to_string(got) + ", expected " + std::to_string(want));
    }
  }

  // Wire recording shared by prove and query: wires[g] is arity×p, wire j's
  // k-th value at [j·p + k]; k = 0 holds the wire seed. Calls arrive as rows
  // (all inputs of one call); writing them straight into the columns strides
  // by p elements per input, which misses the cache on every store for wide
  // gadgets. So up to kBlock calls are staged row-major and then written
  // column by column (kBlock contiguous values per wire). `flush()` must run
  // after the circuit evaluation.
  struct Recorder {
    static constexpr std::size_t kBlock = 8;
    /// Per gadget: wire length p, calls so far k, arity, staged calls, and the
    /// offsets of its wires and stage in `buf`.
    struct Slot {
      std::size_t p, k, arity, staged, wire_off, stage_off;
      /// @var p
      /// Wire length p = next_pow2(1 + calls) of the gadget.
      /// @var k
      /// Calls recorded so far (0..p−1).
      /// @var arity
      /// The gadget's arity (number of wires).
      /// @var staged
      /// Calls staged row-major and not yet written to the wire columns (< kBlock).
      /// @var wire_off
      /// Offset in `buf` of the gadget's wires (arity × p elements).
      /// @var stage_off
      /// Offset in `buf` of the gadget's stage (arity × kBlock elements).
    };
    SmallVector<Slot, 4> slots;
    SecretScratch<F> buf;  // all wires, then all stages; inline when small
    Recorder(const V& valid, std::span<const F> src, bool from_proof = false)
        : slots(make_slots(valid)), buf(total_len(slots)) {
      const auto& gs = valid.gadgets();
      std::size_t off = 0;
      for (std::size_t g = 0; g < slots.size(); ++g) {
        const Slot& sl = slots[g];
        F* w = buf.data() + sl.wire_off;
        for (std::size_t j = 0; j < sl.arity; ++j) w[j * sl.p] = src[off + j];
        off += sl.arity;
        if (from_proof) off += gs[g].degree() * (sl.p - 1) + 1;
      }
    }
    static SmallVector<Slot, 4> make_slots(const V& valid) {
      const auto& gs = valid.gadgets();
      const auto& calls = valid.gadget_calls();
      SmallVector<Slot, 4> out(gs.size());
      std::size_t off = 0;
      for (std::size_t g = 0; g < gs.size(); ++g) {
        out[g] = Slot{next_power_of_2(1 + calls[g]), 0, gs[g].arity(), 0, off, 0};
        off += out[g].arity * out[g].p;
      }
      for (std::size_t g = 0; g < gs.size(); ++g) {
        out[g].stage_off = off;
        off += out[g].arity * kBlock;
      }
      return out;
    }
    static std::size_t total_len(const SmallVector<Slot, 4>& sl) {
      return sl.empty() ? 0 : sl.back().stage_off + sl.back().arity * kBlock;
    }
    std::size_t p(std::size_t g) const noexcept { return slots[g].p; }
    std::size_t k(std::size_t g) const noexcept { return slots[g].k; }
    // Gadget g's wires: arity × p, wire j's k-th value at [j·p + k].
    std::span<F> wires(std::size_t g) noexcept {
      return {buf.data() + slots[g].wire_off, slots[g].arity * slots[g].p};
    }
    void record(std::size_t g, std::span<const F> inp) {
      Slot& sl = slots[g];
      const std::size_t kk = ++sl.k;
      if (kk >= sl.p) VDAF_THROW(internal_error, "FLP: gadget called more often than declared");
      F* row = buf.data() + sl.stage_off + sl.staged * sl.arity;
      for (std::size_t j = 0; j < inp.size(); ++j) row[j] = inp[j];
      if (++sl.staged == kBlock) flush(g);
    }
    // Writes the staged calls of gadget g into its wire columns.
    void flush(std::size_t g) {
      Slot& sl = slots[g];
      const std::size_t n = sl.staged, a = sl.arity, first = sl.k + 1 - n;
      const F* st = buf.data() + sl.stage_off;
      for (std::size_t j = 0; j < a; ++j) {
        F* dst = buf.data() + sl.wire_off + j * sl.p + first;
        for (std::size_t b = 0; b < n; ++b) dst[b] = st[b * a + j];
      }
      sl.staged = 0;
    }
    void flush() {
      for (std::size_t g = 0; g < slots.size(); ++g) flush(g);
    }
  };
  struct ProveCtx {
    Recorder* rec;
    const std::vector<Gadget<F>>* gadgets;
    F* at_nodes;
    const std::size_t* at_off;
    F call(std::size_t g, std::span<const F> inp) {
      rec->record(g, inp);
      const F r = (*gadgets)[g].eval(inp);
      at_nodes[at_off[g] + rec->k(g)] = r;
      return r;
    }
  };
  // Per-gadget public data for query: barycentric weights of the gadget
  // polynomial (m values at the first m of the n-th roots), step = n/p, and
  // ℓ(W_n^(k·step)) for the calls k >= k0 whose lookup is not among the m values.
  // ntt_p (the size-p transform table) is set when the gadget uses the
  // inversion-free evaluation (n <= kDirectMaxN).
  struct QueryData {
    BarycentricPrefix<F> prefix;
    std::size_t step, k0;
    std::vector<F> extra_ell;
    std::size_t extra_off;  // where the extra_ell.size() interpolated values start
    const NttTable<F>* ntt_p;
  };
  // Largest n (gadget polynomial size) evaluated at the query point without
  // an inversion (lagrange_weights_direct); above it the barycentric form
  // with one batch inversion is cheaper.
  static constexpr std::size_t kDirectMaxN = 32;
  struct QueryCtx {
    Recorder* rec;
    const SmallVector<std::span<const F>, 4>* polys;
    const F* extra;
    const std::vector<QueryData>* data;
    F call(std::size_t g, std::span<const F> inp) {
      rec->record(g, inp);
      const std::size_t k = rec->k(g);
      const QueryData& qd = (*data)[g];
      return k < qd.k0 ? (*polys)[g][k * qd.step] : extra[qd.extra_off + k - qd.k0];
    }
  };

  // The test point is the node t = W_n^K (K not a multiple of step, since
  // t^p ≠ 1): wires use their own p nodes; the gadget polynomial's value is
  // read or interpolated at node K. `out` gets arity + 1 elements.
  static void eval_at_node_vartime(const QueryData& qd, const BarycentricTable<F>& tab,
                                   std::span<const std::span<const F>> wires,
                                   std::span<const F> poly, F t, F tp, std::span<F> inv,
                                   std::span<F> prefix, std::span<F> scratch, std::span<F> out) {
    const std::size_t p = qd.prefix.n() / qd.step;
    const BarycentricTable<F>& tab_p =
        barycentric_table<F>(static_cast<unsigned>(std::countr_zero(p)));
    const std::span<F> inv_p(inv.data(), p), prefix_p(prefix.data(), p);
    if (barycentric_denominators<F>(tab_p, t, inv_p, prefix_p) == F::zero())
      VDAF_THROW(internal_error, "FLP query: test point is a root of unity");
    barycentric_eval_roots<F>(tab_p, wires, tp, inv_p, std::span<F>(scratch),
                              out.first(wires.size()));
    std::size_t k = 0;
    while (k < tab.n && !(tab.nodes[k] == t)) ++k;
    if (k == tab.n) VDAF_THROW(internal_error, "FLP query: test point not found among the nodes");
    out[wires.size()] =
        k < qd.prefix.m() ? poly[k] : qd.prefix.value_at_node(poly, k, qd.prefix.node_ell(k));
  }

  // Per gadget, the public data of query_lanes as lane constants (every lane the same): the
  // inverse stage twiddles of the size-n and size-p transforms, the weights of eval_direct
  // past the m values, and inv = {1/p, 1/n}; wire_off is where its wires start in the scratch.
  struct LaneData {
    std::vector<LaneElem> tw_n, tw_p, ext, inv;
    std::size_t wire_off;
    const std::uint32_t* br_n;  // the bit reversals of sizes n and p (shared NTT tables)
    const std::uint32_t* br_p;
  };
  // The largest gadget polynomial (n = 2P for degree 2: up to 127 calls) query_lanes runs on
  // lanes, and the most lane elements (192 bytes each) its scratch may take: 2^14, 3 MiB.
  static constexpr std::size_t kLaneMaxN = 256, kLaneMaxScratch = std::size_t{1} << 14;
  // The lane elements of query_lanes' scratch with `wires` wire elements: the inputs, the
  // wires, the circuit outputs, three transforms of up to max_n_ and the verifiers.
  std::size_t lane_scratch_len(std::size_t wires) const noexcept {
    return meas_len() + proof_len_ + query_rand_len_ + joint_rand_len() + wires +
           valid_.eval_output_len() + 3 * max_n_ + verifier_len_;
  }
#if VDAF_NTT128_IFMA
  using Lanes = LaneElem;
  // The gadget context of query_lanes: records each call's inputs in the wire columns (k-th
  // value of wire j at wires[wire_off + j·p + k]) and returns the gadget polynomial's value at
  // node k·step, read from the proof (k·step < m for every call: degree-2 gadgets).
  struct LaneCtx {
    const FlpBBCGGI19* flp;
    Lanes* wires;
    const Lanes* proof;
    std::size_t* calls;
    Lanes call(std::size_t g, std::span<const Lanes> inp) {
      const QueryData& qd = flp->query_data_[g];
      const std::size_t p = qd.prefix.n() / qd.step, k = ++calls[g];
      if (k >= p || inp.size() != flp->valid_.gadgets()[g].arity())
        VDAF_THROW(internal_error, "FLP: gadget called more often than declared");
      Lanes* w = wires + flp->lanes_[g].wire_off + k;
      for (std::size_t j = 0; j < inp.size(); ++j) w[j * p] = inp[j];
      return proof[flp->poly_off_[g] + k * qd.step];
    }
  };
  static constexpr bool kLaneEval =
      requires(const V& v, LaneCtx& c, std::span<const Lanes> s, std::span<Lanes> o) {
    v.template eval_on<Lanes>(c, s, s, std::size_t{2}, o);
  };
#endif

  // Builds the lane tables of query_lanes when the circuit takes that path (see lane_query()).
  void init_lanes() {
#if VDAF_NTT128_IFMA
    if constexpr (std::is_same_v<F, Field128> && kLaneEval) {
      if (lean_.has_value()) return;
      const auto& gs = valid_.gadgets();
      std::size_t wire_off = 0, off = 0;
      std::vector<LaneData> lanes;
      std::vector<std::size_t> poly_off;
      for (std::size_t g = 0; g < gs.size(); ++g) {
        const QueryData& qd = query_data_[g];
        const std::size_t n = qd.prefix.n(), p = n / qd.step;
        if (gs[g].degree() != 2 || qd.k0 < p || n > kLaneMaxN) return;
        const auto lift_all = [](std::span<const F> xs) {
          std::vector<Lanes> out;
          out.reserve(xs.size());
          for (const F& x : xs) out.push_back(Lanes::splat(x));
          return out;
        };
        // The inversion-free evaluation at every size here (query() switches to the
        // barycentric form above n = 32, where one inversion per report is cheaper than the
        // transforms; on lanes the transforms are shared by eight reports). Degree 2: the
        // gadget polynomial has one value past its m (n − m = 1), so ext holds m weights.
        const NttTable<F>& tn = ntt_table<F>(static_cast<unsigned>(std::countr_zero(n)));
        const NttTable<F>& tp = ntt_table<F>(static_cast<unsigned>(std::countr_zero(p)));
        BarycentricPrefix<F> ext = qd.prefix;
        if (!ext.direct()) ext.enable_direct();
        const F inv[2] = {tp.n_inv, qd.prefix.table().n_inv};
        lanes.push_back(LaneData{lift_all(tn.stage_tw_inv), lift_all(tp.stage_tw_inv),
                                 lift_all(ext.ext()), lift_all(inv), wire_off, tn.bitrev.data(),
                                 tp.bitrev.data()});
        wire_off += gs[g].arity() * p;
        poly_off.push_back(off + gs[g].arity());
        off += gs[g].arity() + qd.prefix.m();
      }
      // Eight reports' working set, bounded (larger circuits run query() per report).
      if (lane_scratch_len(wire_off) > kLaneMaxScratch) return;
      lane_wires_ = wire_off;
      lanes_ = std::move(lanes);
      poly_off_ = std::move(poly_off);
    }
#endif
  }

#if VDAF_NTT128_IFMA
  // query_lanes on the IFMA path (see query_lanes): the steps of query_general's direct path on
  // eight reports at once.
  std::uint32_t query_lanes_ifma(const F* const* meas, const F* const* proof,
                                 const F* const* query_rand, const F* const* joint_rand,
                                 std::size_t count, std::size_t num_shares, F* const* verifier,
                                 LaneScratch& scratch) const {
    const auto& gs = valid_.gadgets();
    const std::size_t ml = meas_len(), pl = proof_len_, qrl = query_rand_len_,
                      jrl = joint_rand_len(), n_out = valid_.eval_output_len(), vl = verifier_len_;
    // Lanes past `count` repeat report 0 (read only; their results are not stored).
    const F* pm[LANES];
    const F* pp[LANES];
    const F* pq[LANES];
    const F* pj[LANES];
    F* pv[LANES];
    for (std::size_t c = 0; c < LANES; ++c) {
      const std::size_t src = c < count ? c : 0;
      pm[c] = meas[src];
      pp[c] = proof[src];
      pq[c] = query_rand[src];
      pj[c] = jrl == 0 ? nullptr : joint_rand[src];
      pv[c] = verifier[src];
    }
    const std::uint32_t live = (std::uint32_t{1} << count) - 1;
    // The scratch: the inputs in lanes, the wires, the circuit outputs, three max_n_ work areas
    // and the verifiers. Only what a call writes is read (the wires up to the calls made).
    const std::size_t total = lane_scratch_len(lane_wires_);
    if (scratch.buf_.size() < total) scratch.buf_.resize(total);
    Lanes* const m = scratch.buf_.data();
    Lanes* const pr = m + ml;
    Lanes* const qr = pr + pl;
    Lanes* const jr = qr + qrl;
    Lanes* const wires = jr + jrl;
    Lanes* const out = wires + lane_wires_;
    Lanes* const pw = out + n_out;
    Lanes* const wn = pw + max_n_;
    Lanes* const wp = wn + max_n_;
    Lanes* const ver = wp + max_n_;
    Lanes::gather_n(pm, ml, m);
    Lanes::gather_n(pp, pl, pr);
    Lanes::gather_n(pq, qrl, qr);
    Lanes::gather_n(pj, jrl, jr);
    SmallVector<std::size_t, 4> calls(gs.size());
    for (std::size_t g = 0; g < gs.size(); ++g) {
      const std::size_t p = query_data_[g].prefix.n() / query_data_[g].step;
      for (std::size_t j = 0; j < gs[g].arity(); ++j)
        wires[lanes_[g].wire_off + j * p] = pr[poly_off_[g] - gs[g].arity() + j];  // the seeds
    }
    LaneCtx ctx{this, wires, pr, calls.data()};
    valid_.template eval_on<Lanes>(ctx, std::span<const Lanes>(m, ml),
                                   std::span<const Lanes>(jr, jrl), num_shares,
                                   std::span<Lanes>(out, n_out));
    std::size_t qoff = 0;
    if (n_out > 1) {
      ver[0] = Lanes::dot(qr, out, n_out);
      qoff = n_out;
    } else {
      ver[0] = out[0];
    }
    std::uint32_t aborted = 0;
    std::size_t voff = 1;
    for (std::size_t g = 0; g < gs.size(); ++g) {
      const QueryData& qd = query_data_[g];
      const LaneData& ld = lanes_[g];
      const std::size_t n = qd.prefix.n(), p = n / qd.step, arity = gs[g].arity(),
                        mm = qd.prefix.m();
      const Lanes t = qr[qoff + g];
      lagrange_weights_direct<Lanes>(ld.tw_n.data(), t, std::span<Lanes>(pw, n),
                                     std::span<Lanes>(wn, n));
      aborted |= ct::declassify((pw[p - 1] * t).lanes_equal(F::one()));  // t^p = 1: public
      detail::ntt_dif<Lanes>(pw, wp, p, ld.tw_p.data());
      const std::uint32_t* br_p = ld.br_p;
      const std::size_t used = calls[g] + 1;  // wire values past the last call are 0
      for (std::size_t i = 0; i < used; ++i) pw[i] = wp[br_p[i]] * ld.inv[0];
      for (std::size_t j = 0; j < arity; ++j)
        ver[voff + j] = Lanes::dot(wires + ld.wire_off + j * p, pw, used);
      // eval_direct: the m values, and the values at the n − m other nodes extended from them
      // (the weights put in natural order first; wp is free again).
      const Lanes* poly = pr + poly_off_[g];
      const std::uint32_t* br_n = ld.br_n;
      for (std::size_t i = 0; i < n; ++i) wp[i] = wn[br_n[i]];
      Lanes acc = Lanes::dot(poly, wp, mm);
      for (std::size_t k = mm; k < n; ++k)
        acc += Lanes::dot(poly, ld.ext.data() + (k - mm) * mm, mm) * wp[k];
      ver[voff + arity] = acc * ld.inv[1];
      voff += arity + 1;
    }
    aborted &= live;
    Lanes::scatter_n(ver, vl, pv, live & ~aborted);
    return aborted;
  }
#endif

  V valid_;
  std::size_t prove_rand_len_, query_rand_len_, proof_len_, verifier_len_;
  std::vector<QueryData> query_data_;
  std::size_t max_n_ = 1, max_arity_ = 1, extra_len_ = 0;
  std::optional<LeanQuery> lean_;  // set iff the circuit takes the lean query
  std::vector<LaneData> lanes_;    // per gadget; empty iff query_lanes runs query() lane by lane
  std::vector<std::size_t> poly_off_;  // per gadget, where its gadget polynomial starts in a proof
  std::size_t lane_wires_ = 0;         // wire elements of all gadgets (Σ arity·p)
};

VDAF_END_NAMESPACE
