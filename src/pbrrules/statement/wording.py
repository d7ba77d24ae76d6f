"""Numbers in the words of a payment statement: money, rates, points, percents and counts.

Exact values are shown exactly when they have a short decimal form (41.7%, 5.7 percentage
points, £2,500,000.00); otherwise they are shown to two decimals and marked ``≈`` so that a
reader never takes a rounded display for the exact value the contract compared.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import assert_never

from pbrrules.values import CURRENCY_SYMBOLS, Quantity, Unit

_EXACT_PLACES = 3
_SHOWN_PLACES = 2


def decimal_text(value: Fraction, scale: int = 1) -> str:
    """``value × scale`` as a grouped decimal: exact when it has at most 3 decimals, else ≈2."""
    scaled = value * scale
    for places in range(_EXACT_PLACES + 1):
        shifted = scaled * 10**places
        if shifted.denominator == 1:
            return _group(Decimal(shifted.numerator).scaleb(-places))
    rounded = _half_up(scaled, _SHOWN_PLACES)
    return "≈" + _group(rounded)


def _half_up(value: Fraction, places: int) -> Decimal:
    shifted = abs(value) * 10**places
    whole = int(shifted + Fraction(1, 2))
    number = Decimal(whole).scaleb(-places)
    return -number if value < 0 else number


def _group(number: Decimal) -> str:
    sign = "-" if number < 0 else ""
    text = f"{abs(number):f}"
    whole, _, decimals = text.partition(".")
    grouped = f"{int(whole):,}"
    return sign + grouped + ("." + decimals if decimals else "")


def count(value: int) -> str:
    """``1000`` -> ``1,000``."""
    return f"{value:,}"


def money(amount: Decimal, currency: str) -> str:
    """``Decimal('-2000000.00'), 'GBP'`` -> ``-£2,000,000.00``."""
    sign = "-" if amount < 0 else ""
    symbol = CURRENCY_SYMBOLS.get(currency)
    body = f"{abs(amount):,f}"
    return f"{sign}{symbol}{body}" if symbol else f"{sign}{body} {currency}"


def money_fraction(value: Fraction, currency: str) -> str:
    """An unrounded amount of money: ``£1,234.5678`` or ``≈£416.67``."""
    text = decimal_text(abs(value))
    approx = text.startswith("≈")
    body = text.removeprefix("≈")
    symbol = CURRENCY_SYMBOLS.get(currency)
    shown = f"{symbol}{body}" if symbol else f"{body} {currency}"
    return ("-" if value < 0 else "") + ("≈" if approx else "") + shown


def percent(value: Fraction) -> str:
    """A proportion as a percentage: ``417/1000`` -> ``41.7%``."""
    return decimal_text(value, 100) + "%"


def points(value: Fraction) -> str:
    """A difference of rates in percentage points: ``41/500`` -> ``8.2 percentage points``."""
    return decimal_text(value, 100) + " percentage points"


def number(value: Fraction) -> str:
    """A frequency or other plain number: ``4.636…`` -> ``≈4.64``."""
    return decimal_text(value)


def quantity(value: Quantity) -> str:
    """A contract value in its own unit."""
    match value.unit:
        case Unit.MONEY:
            return money_fraction(value.value, value.currency or "GBP")
        case Unit.RATE | Unit.PERCENT | Unit.PERCENTAGE:
            return percent(value.value)
        case Unit.POINTS:
            return points(value.value)
        case Unit.COUNT:
            return decimal_text(value.value)
        case Unit.NUMBER:
            return number(value.value)
        case _:
            assert_never(value.unit)
