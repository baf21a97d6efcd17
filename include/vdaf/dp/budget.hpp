// Differential-privacy budgets and the strategies that turn a budget and a sensitivity into a
// noise distribution: pure ε-DP with the discrete Laplace mechanism, ρ-zCDP with the discrete
// Gaussian mechanism (Canonne, Kamath, Steinke 2020, arXiv:2004.00010).
#pragma once

#include <string>
#include <utility>

#include "vdaf/dp/rational.hpp"
#include "vdaf/dp/samplers.hpp"
#include "vdaf/errors.hpp"

VDAF_BEGIN_NAMESPACE

namespace dp {

/// How far one measurement can move an integer-valued aggregate, in the substitution model (one
/// client's measurement replaced by another valid one): `l1` = max ‖f(x) − f(x')‖₁ and
/// `l2_squared` = max ‖f(x) − f(x')‖₂² over neighbouring batches x, x'. Both >= 1 for every
/// instance of noise.hpp.
struct Sensitivity {
  BigInt l1;          ///< L1 sensitivity Δ1 (the discrete Laplace mechanism uses it)
  BigInt l2_squared;  ///< squared L2 sensitivity Δ2² (the discrete Gaussian mechanism uses it)
};

/// A pure ε-differential-privacy budget ((ε, 0)-DP): ε > 0, exact.
class PureDpBudget {
 public:
  /// @param epsilon  ε > 0 (a Rational; e.g. Rational(1, 10) or Rational::parse("0.1")).
  /// @throws invalid_argument if ε == 0.
  explicit PureDpBudget(Rational epsilon) : epsilon_(std::move(epsilon)) {
    VDAF_ARG_CHECK(!epsilon_.is_zero(), "dp::PureDpBudget: epsilon must be > 0");
  }
  /// The privacy parameter.
  /// @return ε (> 0).
  const Rational& epsilon() const noexcept { return epsilon_; }

 private:
  Rational epsilon_;
};

/// A ρ-zero-concentrated-differential-privacy budget (ρ-zCDP, Bun and Steinke 2016): ρ > 0,
/// exact. ρ-zCDP implies (ρ + 2·sqrt(ρ·ln(1/δ)), δ)-DP for every δ > 0 (CKS20 Lemma 4 gives a
/// slightly tighter conversion), and ε-DP implies (ε²/2)-zCDP.
class ZCdpBudget {
 public:
  /// @param rho  ρ > 0 (a Rational).
  /// @throws invalid_argument if ρ == 0.
  explicit ZCdpBudget(Rational rho) : rho_(std::move(rho)) {
    VDAF_ARG_CHECK(!rho_.is_zero(), "dp::ZCdpBudget: rho must be > 0");
  }
  /// The budget libprio-rs' `ZCdpBudget::new(epsilon)` means: ρ = ε²/2 (its ε is the CKS20
  /// notation), so that the same ε gives the same noise as libprio-rs (σ = Δ2/ε).
  /// @param epsilon  libprio-rs' ε > 0.
  /// @return The budget with ρ = ε²/2.
  /// @throws invalid_argument if ε == 0 or ε² exceeds MAX_RATIONAL_BITS bits.
  static ZCdpBudget from_libprio_epsilon(const Rational& epsilon) {
    VDAF_ARG_CHECK(!epsilon.is_zero(), "dp::ZCdpBudget: epsilon must be > 0");
    return ZCdpBudget(Rational(epsilon.numerator() * epsilon.numerator(),
                               2 * epsilon.denominator() * epsilon.denominator()));
  }
  /// The privacy parameter.
  /// @return ρ (> 0).
  const Rational& rho() const noexcept { return rho_; }

 private:
  Rational rho_;
};

/// Strategy: pure ε-DP by adding independent discrete Laplace noise of scale Δ1/ε to every
/// coordinate of the aggregate (the discrete analogue of Dwork, McSherry, Nissim, Smith 2006
/// Proposition 1; for one coordinate, CKS20 Lemma 29 / Ghosh, Roughgarden, Sundararajan 2012).
/// Proof sketch for d coordinates: the pmf ratio at any z is
/// Π_i exp((|z_i − f(x')_i| − |z_i − f(x)_i|)/scale) <= exp(‖f(x) − f(x')‖₁/scale) <= e^ε.
class PureDpDiscreteLaplace {
 public:
  using Budget = PureDpBudget;           ///< The budget type this strategy takes.
  using Distribution = DiscreteLaplace;  ///< The noise distribution it produces.
  /// The strategy for `budget`.
  /// @param budget The ε-DP budget.
  explicit PureDpDiscreteLaplace(PureDpBudget budget) : budget_(std::move(budget)) {}
  /// The budget.
  /// @return The ε-DP budget given at construction.
  const PureDpBudget& budget() const noexcept { return budget_; }

  /// The noise for an aggregate of L1 sensitivity `l1_sensitivity`: Lap_Z(Δ1/ε), exact.
  /// @throws invalid_argument if Δ1 <= 0 or the scale Δ1·den(ε)/num(ε) exceeds
  /// MAX_RATIONAL_BITS bits in numerator or denominator.
  /// @param l1_sensitivity Δ1 >= 1.
  /// @return The discrete Laplace distribution of scale Δ1/ε.
  DiscreteLaplace distribution_for_l1(const BigInt& l1_sensitivity) const {
    VDAF_ARG_CHECK(l1_sensitivity.sign() > 0,
                   "dp::PureDpDiscreteLaplace: L1 sensitivity must be positive");
    const Rational& e = budget_.epsilon();
    return DiscreteLaplace(Rational(l1_sensitivity * e.denominator(), e.numerator()));
  }
  /// distribution_for_l1(s.l1) (the L2 part is not used).
  /// @param s The aggregate's sensitivity.
  /// @return The discrete Laplace distribution of scale s.l1/ε.
  /// @throws invalid_argument as distribution_for_l1.
  DiscreteLaplace distribution_for(const Sensitivity& s) const { return distribution_for_l1(s.l1); }

 private:
  PureDpBudget budget_;
};

/// Strategy: ρ-zCDP by adding independent discrete Gaussian noise N_Z(0, σ²) with
/// σ² = Δ2²/(2ρ) to every coordinate of the aggregate (CKS20 Theorem 14, multivariate: the
/// mechanism is (Δ2²/(2σ²))-zCDP).
class ZCdpDiscreteGaussian {
 public:
  using Budget = ZCdpBudget;              ///< The budget type this strategy takes.
  using Distribution = DiscreteGaussian;  ///< The noise distribution it produces.
  /// The strategy for `budget`.
  /// @param budget The ρ-zCDP budget.
  explicit ZCdpDiscreteGaussian(ZCdpBudget budget) : budget_(std::move(budget)) {}
  /// The budget.
  /// @return The ρ-zCDP budget given at construction.
  const ZCdpBudget& budget() const noexcept { return budget_; }

  /// The noise for an aggregate of squared L2 sensitivity `l2_sensitivity_squared` (Δ2², an
  /// integer for every instance here): N_Z(0, Δ2²/(2ρ)), exact.
  /// @throws invalid_argument if Δ2² <= 0 or σ² = Δ2²·den(ρ)/(2·num(ρ)) exceeds
  /// MAX_RATIONAL_BITS bits in numerator or denominator.
  /// @param l2_sensitivity_squared Δ2² >= 1.
  /// @return The discrete Gaussian distribution with σ² = Δ2²/(2ρ).
  DiscreteGaussian distribution_for_l2_squared(const BigInt& l2_sensitivity_squared) const {
    VDAF_ARG_CHECK(l2_sensitivity_squared.sign() > 0,
                   "dp::ZCdpDiscreteGaussian: squared L2 sensitivity must be positive");
    const Rational& r = budget_.rho();
    return DiscreteGaussian(Rational(l2_sensitivity_squared * r.denominator(), 2 * r.numerator()));
  }
  /// distribution_for_l2_squared(s.l2_squared) (the L1 part is not used).
  /// @param s The aggregate's sensitivity.
  /// @return The discrete Gaussian distribution with σ² = s.l2_squared/(2ρ).
  /// @throws invalid_argument as distribution_for_l2_squared.
  DiscreteGaussian distribution_for(const Sensitivity& s) const {
    return distribution_for_l2_squared(s.l2_squared);
  }

 private:
  ZCdpBudget budget_;
};

}  // namespace dp

VDAF_END_NAMESPACE
