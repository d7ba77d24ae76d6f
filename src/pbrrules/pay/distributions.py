"""The normal and binomial distributions, held exactly enough to decide a verdict.

A significance level such as "95% one-sided" means the normal quantile q with Φ(q) = 95%
(1.64485…), not a three-decimal table value: 79 reoffenders of 1,000 against 100 of 1,000 has
z ≈ 1.64495 and p ≈ 0.04999, and is significant at 95%. q is irrational, so a verdict compares
z with q through Φ: z ≥ q exactly when Φ(z) ≥ the level. Φ(z) is computed with Decimal to a
working precision that is raised until the comparison is decided (a z within 10⁻⁴⁰ of q is
computed again with more digits), so the verdict is exact; no float is involved.

The exact binomial tail serves small cohorts, where the normal approximation fails.
"""

from __future__ import annotations

import functools
from decimal import Context, Decimal, localcontext
from fractions import Fraction

#: Digits the first attempt works with; each undecided attempt doubles them.
_START_DIGITS = 50
_MAX_DIGITS = 3200


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _pi() -> Decimal:
    """π to the current precision (Machin's formula with arctan series)."""

    def arctan_inverse(n: int) -> Decimal:
        x = Decimal(1) / n
        x2 = x * x
        term, total, k = x, x, 1
        while True:
            term *= -x2
            step = term / (2 * k + 1)
            if total + step == total:
                return total
            total += step
            k += 1

    return 4 * (4 * arctan_inverse(5) - arctan_inverse(239))


def _phi(z_squared: Fraction) -> Decimal:
    """Φ(√z²) for z ≥ 0, at the current precision: ½ + ½·erf(x) with x = z/√2, from the series
    erf(x) = 2x/√π · e^(−x²) · Σ (2x²)ⁿ / (1·3·…·(2n+1)), whose terms are all positive."""
    x2 = _decimal(z_squared) / 2
    term = Decimal(1)
    total = Decimal(1)
    n = 0
    while True:
        n += 1
        term = term * 2 * x2 / (2 * n + 1)
        if total + term == total and term < 1:
            break
        total += term
    erf = 2 * x2.sqrt() / _pi().sqrt() * (-x2).exp() * total
    return (1 + erf) / 2


def normal_at_least(z_squared: Fraction, probability: Fraction) -> bool:
    """Whether z = √z² is at least the normal quantile q with Φ(q) = ``probability`` (> ½).

    Φ is increasing, so z ≥ q exactly when Φ(z) ≥ ``probability``; the comparison is redone
    with more digits until the error of Φ(z) cannot change it.
    """
    if not Fraction(1, 2) < probability < 1:
        raise ValueError("a one-sided probability between one half and one is needed")
    if z_squared == 0:
        return False  # Φ(0) = ½
    target = probability
    quick = _by_tail_bounds(z_squared, 1 - target)
    if quick is not None:
        return quick
    digits = _START_DIGITS
    while True:
        with localcontext(Context(prec=digits + 20)):
            value = _phi(z_squared)
            gap = value - _decimal(target)
            if abs(gap) > Decimal(10) ** -digits or digits >= _MAX_DIGITS:
                return gap >= 0
        digits *= 2


def _by_tail_bounds(z_squared: Fraction, tail: Fraction) -> bool | None:
    """Decide Φ(z) ≥ 1 − ``tail`` from Mills' bounds on the upper tail, when they settle it:
    φ(z)·z/(1 + z²) < 1 − Φ(z) < φ(z)/z (z > 0). The series is then not needed, which matters
    for a large z (a big cohort), where it would take about z²/2 terms."""
    with localcontext(Context(prec=_START_DIGITS)):
        x2 = _decimal(z_squared)
        x = x2.sqrt()
        density = (-x2 / 2).exp() / (2 * _pi()).sqrt()
        upper = density / x
        lower = density * x / (1 + x2)
        wanted = _decimal(tail)
        margin = Decimal(10) ** -(_START_DIGITS - 10)
        if upper < wanted * (1 - margin):
            return True
        if lower > wanted * (1 + margin):
            return False
    return None


@functools.lru_cache(maxsize=64)
def normal_quantile(probability: Fraction) -> Decimal:
    """The normal quantile q with Φ(q) = ``probability`` to 6 decimals, for display only."""
    low, high = Fraction(0), Fraction(10)
    while high - low > Fraction(1, 10**8):
        middle = (low + high) / 2
        if normal_at_least(middle * middle, probability):
            high = middle
        else:
            low = middle
    return _decimal(high).quantize(Decimal("0.000001"))


def binomial_tail(n: int, p: Fraction, k: int, upper: bool) -> Fraction:
    """P(X ≤ k) (or P(X ≥ k) when ``upper``) for X ~ Binomial(n, p), exactly."""
    if upper:
        return 1 - binomial_tail(n, p, k - 1, upper=False) if k > 0 else Fraction(1)
    if k < 0:
        return Fraction(0)
    if k >= n:
        return Fraction(1)
    q = 1 - p
    if q == 0:
        return Fraction(0)
    term = q**n  # P(X = 0)
    total = term
    for i in range(k):
        term = term * (n - i) / (i + 1) * p / q
        total += term
    return total
