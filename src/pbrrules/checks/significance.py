"""Significance checks: a level that is a level (PBR208), a critical value that is positive
(PBR216), and a warning where the z-test's normal approximation needs more offenders than a
cohort is likely to hold (PBR217). docs/significance.md has the tests themselves."""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Context, Decimal
from fractions import Fraction

from pbrrules import rules
from pbrrules.errors import Diagnostic
from pbrrules.values import Quantity

#: The z-test wants N·p₀(1 − p₀) of at least this many (the pay stage's SMALL_SAMPLE).
SMALL_SAMPLE = 10
#: Warn when the baseline needs cohorts larger than this for the z-test to hold.
WARN_ABOVE = 100


def check(version: rules.Rules) -> Iterator[Diagnostic]:
    """Every significance target's level, critical value and baseline."""
    for target in version.targets:
        significance = target.significance
        if significance is None:
            continue
        yield from _level(version, significance, target.clause)
        yield from _critical_value(version, significance, target.clause)
        yield from _small_sample(version, target, significance)


def _value(ref: rules.ValueRef | None, version: rules.Rules) -> Fraction | None:
    """The value of a literal or of a parameter with one value (None when not known here)."""
    if isinstance(ref, rules.Literal_) and isinstance(ref.value, Quantity):
        return ref.value.value
    if isinstance(ref, rules.Name):
        parameter = version.parameter(ref.name)
        if parameter is not None and isinstance(parameter.value, Quantity) and not parameter.rows:
            return parameter.value.value
    return None


def _level(
    version: rules.Rules, significance: rules.Significance, clause: str | None
) -> Iterator[Diagnostic]:
    level = _value(significance.level, version)
    if level is None:
        return
    two_sided = significance.sides == "two-sided"
    least = Fraction(0) if two_sided else Fraction(1, 2)
    if not least < level < 1:
        yield Diagnostic(
            "PBR208",
            f"{_percent(level)} {significance.sides} is no significance level",
            significance.span,
            help=f"a {significance.sides} level is between {_percent(least)} and 100%, e.g. "
            "significant at 95% one-sided",
            clause=clause,
        )


def _critical_value(
    version: rules.Rules, significance: rules.Significance, clause: str | None
) -> Iterator[Diagnostic]:
    if significance.critical_value is None:
        return
    value = _value(significance.critical_value, version)
    if value is not None and value <= 0:
        yield Diagnostic(
            "PBR216",
            f"the critical value {_number(value)} is not positive",
            significance.critical_value.span,
            help="z is compared with the critical value in the target's direction: write a "
            "positive number such as 1.645 (or leave it out: the level's normal quantile is used)",
            clause=clause,
        )


def _small_sample(
    version: rules.Rules, target: rules.Target, significance: rules.Significance
) -> Iterator[Diagnostic]:
    comparison = version.comparison(target.comparison)
    if comparison is None or isinstance(comparison.comparator, rules.ControlGroup):
        return
    p0 = _value(comparison.comparator, version)
    if p0 is None or not 0 < p0 < 1:
        return
    needed = math.ceil(SMALL_SAMPLE / (p0 * (1 - p0)))
    if needed > WARN_ABOVE:
        yield Diagnostic(
            "PBR217",
            f"with a baseline of {_percent(p0)} the z-test of '{target.name}' needs cohorts "
            f"of at least {needed:,} offenders",
            significance.span,
            help=f"N·p₀(1 − p₀) must be at least {SMALL_SAMPLE} for the normal approximation; "
            "a smaller cohort is decided by the exact binomial test instead, and its statement "
            "says so (docs/significance.md)",
            clause=target.clause,
            severity="warning",
        )


def _number(value: Fraction) -> str:
    """An exact value for a message: 1.645, -1.645, 97.5 (at most ten significant digits)."""
    decimal = Context(prec=10).divide(Decimal(value.numerator), Decimal(value.denominator))
    return f"{decimal.normalize():f}"


def _percent(value: Fraction) -> str:
    return _number(value * 100) + "%"
