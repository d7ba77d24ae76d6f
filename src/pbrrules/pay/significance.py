"""Statistical significance of a binary rate's change: exact z-tests, no floats, no scipy.

docs/significance.md states the formulas, with worked cases.

Against a fixed baseline p0, a cohort of N offenders with rate p̂ (the value the comparison
uses, after any adjustment and rounding) shows a significant reduction when p̂ < p0 and

    z = (p0 − p̂) / (s · √(pH(1 − pH)/N))  ≥  q

where pH is the rate the cohort would show with no effect at all: p0 itself, or, for a rate
adjusted for offender mix, the observed rate that adjusts to p0 (p0 × P / B by ratio,
p0 + P − B by difference), and s the slope of the adjustment (B / P, or 1). Against a control
group (p₁ on N₁ treated, p₂ on N₂ controls) the pooled two-proportion test: with the common
rate p = (p₁N₁ + p₂N₂) / (N₁ + N₂), and gᵢ, sᵢ each group's rate under no effect and slope,

    z = (p₂ − p₁) / √(s₁² g₁(1 − g₁)/N₁ + s₂² g₂(1 − g₂)/N₂)

(with no adjustment, g = p and s = 1: the usual p(1 − p)(1/N₁ + 1/N₂)). An increase is tested
the same way with the signs reversed. q is the critical value the contract declares (then z² is
compared with q² as exact fractions), else the normal quantile of its level, held exactly by
``distributions.normal_at_least``. Where the normal approximation is poor (N·pH(1 − pH) < 10)
the one-proportion test is the exact binomial test instead, and the statement says so.
"""

from __future__ import annotations

from decimal import Context, Decimal
from fractions import Fraction
from typing import Literal

import attrs
from attrs import frozen

from pbrrules.pay.distributions import binomial_tail, normal_at_least, normal_quantile
from pbrrules.pay.measures import Adjusted, ComparisonValue, MeasureValue
from pbrrules.pay.params import NotAssessable, Resolver
from pbrrules.rules import Significance
from pbrrules.statement import wording
from pbrrules.values import Unit

#: Below this N·p(1 − p) the normal approximation is poor (a common rule of thumb, also the
#: threshold of the checker's warning PBR218).
SMALL_SAMPLE = 10


@frozen
class SignificanceResult:
    """The outcome of one significance test and the numbers behind it."""

    met: bool
    critical: Fraction
    z_squared: Fraction | None  # None when the variance is zero (z unbounded)
    derivation: str
    #: The change that is just significant, for a chart to draw: critical value × standard
    #: error, which is irrational, so an approximation (a normal quantile is held to 6
    #: decimals); None where it is not one number (a control group: the pooled rate moves with
    #: the result; the exact binomial test).
    boundary: Fraction | None = None


@frozen
class Critical:
    """The critical value: declared by the contract (``value``), or the normal quantile of the
    level (``probability`` is Φ(q): the level one-sided, (1 + level) / 2 two-sided)."""

    value: Fraction
    probability: Fraction | None
    chosen: str
    #: "99% one-sided"
    level: str
    #: The critical value for reading: "1.96" as declared, "≈1.644854" for a quantile.
    shown: str
    #: The one-tailed probability a p-value is compared with: 1 − level, or half of it.
    alpha: Fraction

    def reached(self, z_squared: Fraction) -> bool:
        """Whether |z| = √z² is at least the critical value."""
        if self.probability is None:
            return z_squared >= self.value * self.value
        return normal_at_least(z_squared, self.probability)


def critical_value(significance: Significance, resolver: Resolver) -> Critical:
    """The critical value to use, and how it was chosen."""
    level = resolver.quantity(significance.level).value
    level_text = wording.percent(level)
    two_sided = significance.sides == "two-sided"
    if not 0 < level < 1 or (not two_sided and level <= Fraction(1, 2)):
        least = "0%" if two_sided else "50%"
        raise NotAssessable(f"a {significance.sides} level must be between {least} and 100%")
    alpha = (1 - level) / 2 if two_sided else 1 - level
    if significance.critical_value is not None:
        declared = resolver.quantity(significance.critical_value)
        if declared.unit not in (Unit.NUMBER, Unit.COUNT):
            raise NotAssessable("a critical value must be a plain number such as 1.645")
        if declared.value <= 0:
            raise NotAssessable(
                f"the critical value {wording.number(declared.value)} is not positive; a "
                "critical value is a positive number such as 1.645"
            )
        shown = wording.number(declared.value)
        chosen = f"{level_text} {significance.sides}, critical value {shown}"
        sides = f"{level_text} {significance.sides}"
        return Critical(declared.value, None, chosen, sides, shown, alpha)
    probability = (1 + level) / 2 if two_sided else level
    q = normal_quantile(probability)
    chosen = f"{level_text} {significance.sides}, critical value ≈{q} (the normal quantile)"
    sides = f"{level_text} {significance.sides}"
    return Critical(Fraction(q), probability, chosen, sides, f"≈{q}", alpha)


def test(
    significance: Significance,
    value: ComparisonValue,
    direction: Literal["reduction", "increase"],
    resolver: Resolver,
) -> SignificanceResult:
    """Whether ``value``'s change in ``direction`` is significant as ``significance`` demands."""
    treated, p0 = value.measure, value.comparator
    if treated is None or p0 is None:
        raise NotAssessable(
            f"significance is tested on measured rates; {value.comparison.name} is the "
            "evaluator's estimate (whose own test is the evaluator's)"
        )
    if treated.measure.kind != "binary":
        raise NotAssessable(
            f"significance is tested on binary rates only; {treated.measure.name} is a frequency"
        )
    critical = critical_value(significance, resolver)
    sign = 1 if direction == "reduction" else -1
    if value.control is None:
        return _one_proportion(treated, p0, sign, direction, critical)
    return _two_proportions(treated, value.control, sign, direction, critical)


def _null_rate(adjustment: Adjusted | None, rate: Fraction, who: str) -> tuple[Fraction, Fraction]:
    """The observed rate ``who`` would show if its adjusted rate were ``rate``, and the slope."""
    if adjustment is None:
        return rate, Fraction(1)
    observed = adjustment.observed(rate)
    if not 0 <= observed <= 1:
        raise NotAssessable(
            f"with no effect {who} would show an observed rate of {wording.percent(observed)} "
            "(outside 0% to 100%), so its adjusted rate cannot be tested"
        )
    return observed, adjustment.slope


def _one_proportion(
    treated: MeasureValue,
    p0: Fraction,
    sign: int,
    direction: Literal["reduction", "increase"],
    critical: Critical,
) -> SignificanceResult:
    p, n = treated.value, treated.offenders
    if n == 0:
        raise NotAssessable("the significance test needs offenders, and the cohort has none")
    null, slope = _null_rate(treated.adjustment, p0, "the cohort")
    difference = sign * (p0 - p)
    variance = slope * slope * null * (1 - null) / n
    base, rate = wording.percent(p0), wording.percent(p)
    spread = f"{wording.percent(null)} × {wording.percent(1 - null)} / {wording.count(n)}"
    name = "one-proportion z-test against the baseline"
    if treated.adjustment is None or (null == p0 and slope == 1):
        formula = f"z = ({base} − {rate}) / √({spread})"
    else:
        adjustment = treated.adjustment
        big_p = wording.percent(adjustment.predicted)
        big_b = wording.percent(adjustment.baseline)
        if adjustment.form == "ratio":
            shape = f"{base} × {big_p} / {big_b}"
            denominator = f"({big_b} / {big_p} × √({spread}))"
        else:
            shape = f"{base} + {big_p} − {big_b}"
            denominator = f"√({spread})"
        name += (
            f" (adjusted rate: with no effect the observed rate would be {shape} = "
            f"{wording.percent(null)})"
        )
        formula = f"z = ({base} − {rate}) / {denominator}"
    exact = _exact_binomial(treated, null, sign, critical)
    if exact is not None:
        return exact
    result = _small_sample_warning(
        _verdict(name, critical, difference, variance, formula, direction), n * null * (1 - null)
    )
    return attrs.evolve(result, boundary=_boundary(variance, critical.value))


def _boundary(variance: Fraction, critical: Fraction) -> Fraction | None:
    """critical × √variance (the root to 30 digits; a quantile critical value is itself held to
    6 decimals): about the least change the one-proportion test finds significant, for drawing
    only (verdicts compare z² exactly)."""
    if variance <= 0:
        return None
    context = Context(prec=30)
    root = context.sqrt(context.divide(Decimal(variance.numerator), Decimal(variance.denominator)))
    return critical * Fraction(root)


def _exact_binomial(
    treated: MeasureValue, null: Fraction, sign: int, critical: Critical
) -> SignificanceResult | None:
    """The exact binomial test, where the normal approximation is poor (N·pH(1 − pH) < 10) and
    the rate tested is the cohort's own count (not a given or rounded value); else None."""
    n, k = treated.offenders, treated.reoffenders
    spread = n * null * (1 - null)
    if spread >= SMALL_SAMPLE or critical.probability is None or null in (0, 1):
        return None
    observed = treated.value if treated.adjustment is None else (
        treated.adjustment.observed(treated.value)
    )
    if observed != Fraction(k, n):
        return None
    tail = binomial_tail(n, null, k, upper=sign < 0)
    met = tail <= critical.alpha
    relation, verdict = ("≤", "significant") if met else (">", "not significant")
    at_most = "at most" if sign > 0 else "at least"
    derivation = (
        f"exact binomial test at {critical.level} (N·p(1 − p) = "
        f"{wording.number(spread)} < {SMALL_SAMPLE}, too few for the z-test): the chance of "
        f"{at_most} {wording.count(k)} reoffenders of {wording.count(n)} at "
        f"{wording.percent(null)} is {_probability(tail)} {relation} "
        f"{wording.percent(critical.alpha)}: {verdict}"
    )
    return SignificanceResult(met, critical.value, None, derivation)


def _two_proportions(
    treated: MeasureValue,
    control: MeasureValue,
    sign: int,
    direction: Literal["reduction", "increase"],
    critical: Critical,
) -> SignificanceResult:
    n1, n2 = treated.offenders, control.offenders
    if n1 == 0 or n2 == 0:
        raise NotAssessable("the significance test needs offenders in both groups")
    p1, p2 = treated.value, control.value
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    g1, s1 = _null_rate(treated.adjustment, pooled, "the cohort")
    g2, s2 = _null_rate(control.adjustment, pooled, "the control group")
    difference = sign * (p2 - p1)
    variance = s1 * s1 * g1 * (1 - g1) / n1 + s2 * s2 * g2 * (1 - g2) / n2
    name = "pooled two-proportion z-test against the control group"
    if treated.adjustment is None and control.adjustment is None:
        formula = (
            f"z = ({wording.percent(p2)} − {wording.percent(p1)}) / √({wording.percent(pooled)} × "
            f"{wording.percent(1 - pooled)} × (1/{wording.count(n1)} + 1/{wording.count(n2)}))"
        )
    else:
        name += (
            f" (adjusted rates: common rate {wording.percent(pooled)}; with no effect the "
            f"observed rates would be {wording.percent(g1)} and {wording.percent(g2)})"
        )
        formula = (
            f"z = ({wording.percent(p2)} − {wording.percent(p1)}) / √({wording.number(s1 * s1)} × "
            f"{wording.percent(g1)} × {wording.percent(1 - g1)} / {wording.count(n1)} + "
            f"{wording.number(s2 * s2)} × {wording.percent(g2)} × {wording.percent(1 - g2)} / "
            f"{wording.count(n2)})"
        )
    result = _verdict(name, critical, difference, variance, formula, direction)
    return _small_sample_warning(result, min(n1 * g1 * (1 - g1), n2 * g2 * (1 - g2)))


def _small_sample_warning(result: SignificanceResult, spread: Fraction) -> SignificanceResult:
    """The z-test's result, with a warning when N·p(1 − p) is below ``SMALL_SAMPLE`` and no
    exact test could replace it (a control group, a given or rounded rate, a written critical
    value): the normal approximation is then poor, and the statement says so."""
    if not 0 < spread < SMALL_SAMPLE:
        return result
    warning = (
        f"; warning: N·p(1 − p) is {wording.number(spread)}, below {SMALL_SAMPLE}: the normal "
        "approximation is poor and the verdict unreliable"
    )
    return attrs.evolve(result, derivation=result.derivation + warning)


def _verdict(
    name: str,
    critical: Critical,
    difference: Fraction,
    variance: Fraction,
    formula: str,
    direction: Literal["reduction", "increase"],
) -> SignificanceResult:
    """The z-test's verdict and its words, deciding z against the critical value exactly."""
    if variance == 0:
        met = difference > 0
        z_squared = None
        z_text = "z is unbounded (no variance)"
    else:
        z_squared = difference * difference / variance
        met = difference > 0 and critical.reached(z_squared)
        z_text = f"{formula} = {_z(difference, z_squared, critical.value)}"
    if difference <= 0:
        article = "an" if direction == "increase" else "a"
        outcome = f"{z_text}; the change is not {article} {direction}: not significant"
    elif z_squared is None:
        outcome = f"{z_text}: significant"
    else:
        relation = "≥" if met else "<"
        verdict = "significant" if met else "not significant"
        outcome = f"{z_text} {relation} {critical.shown}: {verdict}"
    derivation = f"{name} at {critical.chosen}: {outcome}"
    return SignificanceResult(met, critical.value, z_squared, derivation)


def _z(difference: Fraction, z_squared: Fraction, critical: Fraction) -> str:
    """z for display only (the decision compares z with the critical value exactly): to two
    decimals, or as many more (up to six) as it takes to tell it from the critical value."""
    context = Context(prec=30)
    squared = context.divide(Decimal(z_squared.numerator), Decimal(z_squared.denominator))
    z = context.sqrt(squared)
    if difference < 0:
        z = -z
    c = Decimal(critical.numerator) / Decimal(critical.denominator)
    for places in range(2, 7):
        step = Decimal(1).scaleb(-places)
        if z.quantize(step) != c.quantize(step):
            break
    return "≈" + str(z.quantize(step))


def _probability(value: Fraction) -> str:
    """A p-value for reading: four significant digits."""
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{decimal:.4g}"
