"""Typed values of the contract language: money, rates, points, percents, counts, dates, durations.

Every number is an exact ``Fraction``; floats never touch money, rates or thresholds. A value
carries its unit so the checker can refuse to compare percentage points with percent, or money
in one currency with money in another.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Literal

from attrs import field, frozen


class Unit(Enum):
    """The unit of a quantity, as the type checker sees it."""

    MONEY = "money"
    COUNT = "count"
    RATE = "rate"
    POINTS = "percentage points"
    PERCENT = "percent"
    NUMBER = "number"
    # A bare ``10%`` literal: a rate or a relative percent, decided by where it is used.
    PERCENTAGE = "percentage"

    def fits(self, declared: Unit) -> bool:
        """True when a value of this unit may stand where ``declared`` is expected."""
        if self is declared:
            return True
        if self is Unit.PERCENTAGE:
            return declared in (Unit.RATE, Unit.PERCENT)
        if declared is Unit.PERCENTAGE:
            return self in (Unit.RATE, Unit.PERCENT)
        # A whole number may be a count and a count may be used as a plain number.
        return {self, declared} == {Unit.COUNT, Unit.NUMBER}


def exact(value: object) -> Fraction:
    """``value`` as an exact Fraction: an int, a Fraction or a Decimal. A float (or a bool) is
    refused with a TypeError that says how to write it: 400.1 as a float is not 400.1, and money,
    rates and thresholds are exact (SPEC §3)."""
    if isinstance(value, bool) or not isinstance(value, int | Fraction | Decimal):
        kind = type(value).__name__
        hint = f"Fraction('{value}') or Decimal('{value}')" if isinstance(value, float) else (
            "an int, a Fraction or a Decimal")
        raise TypeError(f"an exact number is needed, not the {kind} {value!r}: write {hint}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise TypeError(f"an exact number is needed, not {value}")
    return Fraction(value)


@frozen
class Quantity:
    """An exact number with a unit. Percentages are held as proportions (``45.6%`` is 0.456).

    Percentage points are held as proportions too (``5pp`` is 0.05), so that a rate minus a rate
    is directly a number of points.
    """

    value: Fraction = field(converter=exact)
    unit: Unit = field()
    currency: str | None = None
    #: The literal as the contract wrote it (``58.0%``, ``£2.5 million``), for ``fmt``; it takes
    #: no part in equality, so ``58.0%`` and ``58%`` are the same value.
    text: str | None = field(default=None, eq=False, repr=False)

    def with_unit(self, unit: Unit) -> Quantity:
        """The same number seen as another unit (a ``%`` literal resolved to rate or percent)."""
        return Quantity(self.value, unit, self.currency, self.text)


DurationUnit = Literal["days", "months", "years"]


@frozen
class Duration:
    """A length of time in the contract's own unit, e.g. ``12 months``."""

    amount: int
    unit: DurationUnit

    def months(self) -> int | None:
        """The duration in whole months, or None for a duration in days."""
        if self.unit == "months":
            return self.amount
        if self.unit == "years":
            return 12 * self.amount
        return None


Value = Quantity | datetime.date | Duration | str | bool


CURRENCY_SIGNS = {"£": "GBP", "$": "USD", "€": "EUR"}
CURRENCY_SYMBOLS = {code: sign for sign, code in CURRENCY_SIGNS.items()}


#: Digits after the point in a currency's minor unit where ISO 4217 (List One, the current
#: currencies) gives other than 2: no minor unit (the yen, the won), or 3 or 4 decimals (the
#: Kuwaiti dinar's 1,000 fils). Every other code has 2.
MINOR_DIGITS = {
    **dict.fromkeys(
        ("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI",
         "VND", "VUV", "XAF", "XOF", "XPF"),
        0,
    ),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    **dict.fromkeys(("CLF", "UYW"), 4),
}


def minor_digits(currency: str) -> int:
    """The number of decimal places of ``currency``'s minor unit (pence for GBP: 2)."""
    return MINOR_DIGITS.get(currency, 2)



def add_months(date: datetime.date, months: int) -> datetime.date:
    """``date + n months``: the same day n months later, or that month's last day (SPEC §4)."""
    month_index = date.year * 12 + (date.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    day = min(date.day, _days_in_month(year, month))
    return datetime.date(year, month, day)


def add_duration(date: datetime.date, duration: Duration) -> datetime.date:
    """``date + duration`` with SPEC §4 month arithmetic."""
    months = duration.months()
    if months is None:
        return date + datetime.timedelta(days=duration.amount)
    return add_months(date, months)


def _days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)).day
