"""Statistical significance of a binary rate's change: exact z-tests, no floats, no scipy.

docs/significance.md states the formulas and the conventional critical values.

Against a fixed baseline p0, a cohort of N offenders with rate p̂ (the value the comparison
uses, after any adjustment and rounding) shows a significant reduction when p̂ < p0 and

    (p0 − p̂)² · N  ≥  c² · p0 · (1 − p0)            i.e. z = (p0 − p̂) / √(p0(1 − p0)/N) ≥ c

Against a control group (rates p₁ on N₁ treated, p₂ on N₂ controls) the pooled two-proportion
test: with p = (p₁N₁ + p₂N₂) / (N₁ + N₂), significant when p₁ < p₂ and

    (p₂ − p₁)²  ≥  c² · p(1 − p) · (1/N₁ + 1/N₂)

An increase is tested the same way with the signs reversed. c is the critical value the contract
declares, else the conventional one for its level and sidedness. Both sides of each inequality
are exact fractions, so a result exactly at the critical value is significant.
"""

from __future__ import annotations

from decimal import Context, Decimal
from fractions import Fraction
from typing import Literal

from attrs import frozen

from pbrrules.pay.measures import ComparisonValue
from pbrrules.pay.params import NotAssessable, Resolver
from pbrrules.rules import CRITICAL_VALUES, Significance
from pbrrules.statement import wording
from pbrrules.values import Unit


@frozen
class SignificanceResult:
    """The outcome of one significance test and the numbers behind it."""

    met: bool
    critical: Fraction
    z_squared: Fraction | None  # None when the variance is zero (z unbounded)
    derivation: str


def critical_value(significance: Significance, resolver: Resolver) -> tuple[Fraction, str]:
    """The critical value c to use, and how it was chosen."""
    level = resolver.quantity(significance.level).value
    level_text = wording.percent(level)
    if significance.critical_value is not None:
        declared = resolver.quantity(significance.critical_value)
        if declared.unit not in (Unit.NUMBER, Unit.COUNT):
            raise NotAssessable("a critical value must be a plain number such as 1.645")
        shown = wording.number(declared.value)
        return declared.value, f"{level_text} {significance.sides}, critical value {shown}"
    conventional = CRITICAL_VALUES.get((level, significance.sides))
    if conventional is None:
        raise NotAssessable(
            f"no conventional critical value for {level_text} {significance.sides}; "
            "declare one with ', critical value ...'"
        )
    return Fraction(
        conventional
    ), f"{level_text} {significance.sides}, critical value {conventional}"


def test(
    significance: Significance,
    value: ComparisonValue,
    direction: Literal["reduction", "increase"],
    resolver: Resolver,
) -> SignificanceResult:
    """Whether ``value``'s change in ``direction`` is significant as ``significance`` demands."""
    treated = value.measure
    if treated.measure.kind != "binary":
        raise NotAssessable(
            f"significance is tested on binary rates only; {treated.measure.name} is a frequency"
        )
    c, chosen = critical_value(significance, resolver)
    sign = 1 if direction == "reduction" else -1
    if value.control is None:
        p0, p, n = value.comparator, treated.value, treated.offenders
        difference = sign * (p0 - p)
        variance = p0 * (1 - p0) / n
        name = "one-proportion z-test against the baseline"
        base, rate = wording.percent(p0), wording.percent(p)
        spread = f"{base} × {wording.percent(1 - p0)} / {wording.count(n)}"
        formula = f"z = ({base} − {rate}) / √({spread})"
    else:
        control = value.control
        n1, n2 = treated.offenders, control.offenders
        p1, p2 = treated.value, control.value
        pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
        difference = sign * (p2 - p1)
        variance = pooled * (1 - pooled) * (Fraction(1, n1) + Fraction(1, n2))
        name = "pooled two-proportion z-test against the control group"
        formula = (
            f"z = ({wording.percent(p2)} − {wording.percent(p1)}) / √({wording.percent(pooled)} × "
            f"{wording.percent(1 - pooled)} × (1/{wording.count(n1)} + 1/{wording.count(n2)}))"
        )
    if variance == 0:
        met = difference > 0
        z_squared = None
        z_text = "z is unbounded (no variance)"
    else:
        z_squared = difference * difference / variance
        met = difference > 0 and z_squared >= c * c
        z_text = f"{formula} = {_z(difference, z_squared)}"
    if difference <= 0:
        article = "an" if direction == "increase" else "a"
        outcome = f"{z_text}; the change is not {article} {direction}: not significant"
    elif z_squared is None:
        outcome = f"{z_text}: significant"
    else:
        relation = "≥" if met else "<"
        verdict = "significant" if met else "not significant"
        outcome = f"{z_text} {relation} {wording.number(c)}: {verdict}"
    return SignificanceResult(met, c, z_squared, f"{name} at {chosen}: {outcome}")


def _z(difference: Fraction, z_squared: Fraction) -> str:
    """z for display only, to two decimals (the decision compares z² with c² exactly)."""
    context = Context(prec=30)
    squared = context.divide(Decimal(z_squared.numerator), Decimal(z_squared.denominator))
    z = context.sqrt(squared)
    if difference < 0:
        z = -z
    return "≈" + str(z.quantize(Decimal("0.01")))
