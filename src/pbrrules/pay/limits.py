"""Caps and collars, applied cumulatively in cohort order after each line is rounded.

A cap bounds what the terms it covers pay in its scope (one cohort, one contract year, or the
whole contract); a collar bounds, the same way, how much its terms may deduct. Lines are met in
cohort order: each positive line is trimmed to what remains of every cap covering its term, and
each negative line to what remains of every collar. An earlier line is never restated. Trimming
rounds toward zero to whole minor units, so no line and no running total ever passes a limit.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import assert_never

from pbrrules.pay.params import NotAssessable, Resolver
from pbrrules.pay.rounding import minor_digits, round_to, to_decimal
from pbrrules.rules import Limit
from pbrrules.statement import LimitApplied

ScopeKey = tuple[object, ...]


def covers(limit: Limit, term: str) -> bool:
    """Whether ``limit`` applies to ``term`` (an empty list of terms means all terms)."""
    return not limit.terms or term in limit.terms


class LimitLedger:
    """What each limit has already let through, per scope, as lines are met in cohort order."""

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self._used: dict[tuple[str, ScopeKey], Fraction] = {}

    def apply(
        self,
        term: str,
        amount: Decimal,
        limits: tuple[Limit, ...],
        resolver: Resolver,
        year: int | None,
    ) -> tuple[Decimal, tuple[LimitApplied, ...]]:
        """Trim ``amount`` by every limit covering ``term`` and record what passed.

        Raises NotAssessable (before recording anything) when a limit's amount has no value.
        """
        kind = "cap" if amount > 0 else "collar" if amount < 0 else None
        if kind is None:
            return amount, ()
        relevant = [limit for limit in limits if limit.kind == kind and covers(limit, term)]
        bounds = [
            (limit, self._key(limit, resolver, year), resolver.money(limit.amount))
            for limit in relevant
        ]
        digits = minor_digits(self.currency)
        magnitude = Fraction(abs(amount))
        applied = []
        for limit, key, bound in bounds:
            remaining = max(Fraction(0), bound - self._used.get(key, Fraction(0)))
            if magnitude > remaining:
                trimmed = round_to(remaining, digits, "down")
                applied.append(
                    LimitApplied(
                        limit.name,
                        limit.kind,
                        limit.scope,
                        limit.clause,
                        _signed(magnitude, amount, digits),
                        _signed(trimmed, amount, digits),
                        self.currency,
                    )
                )
                magnitude = trimmed
        for _, key, _ in bounds:
            self._used[key] = self._used.get(key, Fraction(0)) + magnitude
        return _signed(magnitude, amount, digits), tuple(applied)

    def _key(self, limit: Limit, resolver: Resolver, year: int | None) -> tuple[str, ScopeKey]:
        match limit.scope:
            case "cohort":
                return limit.name, ("cohort", *resolver.unit.key)
            case "contract year":
                if year is None:
                    raise NotAssessable(
                        f"{limit.kind} {limit.name} applies per contract year but the cohort "
                        f"starting {resolver.unit.start.isoformat()} is in no contract year"
                    )
                return limit.name, ("year", year)
            case "contract":
                return limit.name, ("contract",)
            case _:
                assert_never(limit.scope)


def _signed(magnitude: Fraction, like: Decimal, digits: int) -> Decimal:
    value = to_decimal(magnitude, digits)
    return -value if like < 0 else value
