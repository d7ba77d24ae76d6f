"""Literal text of the language -> exact values: numbers, money, percentages, dates, durations.

Used by the builder. A literal that cannot stand (an impossible date, a number too long to be an
amount) is reported as a diagnostic by the caller; these functions raise ``LiteralProblem``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from pbrrules.syntax import limits
from pbrrules.values import CURRENCY_SIGNS, Quantity, Unit

# No amount, rate or count in a payment schedule needs more digits than this; longer numbers are
# almost certainly a typing accident, and refusing them keeps arithmetic fast and bounded.
MAX_DIGITS = 30


class LiteralProblem(ValueError):
    """A literal that is well formed for the grammar but cannot be a value (code, message)."""

    def __init__(self, code: str, message: str, help: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.help = help


def number(text: str, negative: bool = False) -> Fraction:
    """``1,000.50`` -> Fraction(200100, 200); commas group thousands."""
    digits = text.replace(",", "")
    if len(digits.replace(".", "")) > MAX_DIGITS:
        raise LiteralProblem(
            "PBR005",
            f"the number {text[:20]}... has more than {MAX_DIGITS} digits",
            help="write the amount in full without stray digits",
        )
    try:
        value = Fraction(Decimal(digits))
    except (InvalidOperation, ValueError):  # pragma: no cover - the grammar admits only digits
        raise LiteralProblem("PBR005", f"{text!r} is not a number") from None
    return -value if negative else value


def money(sign: str, amount: Fraction, million: bool, negative: bool) -> Quantity:
    """``£2.5 million`` -> 2,500,000 GBP; ``AUD 1,000`` -> 1,000 AUD (any ISO 4217 code)."""
    value = amount * 1_000_000 if million else amount
    return Quantity(-value if negative else value, Unit.MONEY, CURRENCY_SIGNS.get(sign, sign))


def percentage(amount: Fraction) -> Quantity:
    """``49.9%`` -> 0.499 (a rate or a relative percent, decided where it is used)."""
    return Quantity(amount / 100, Unit.PERCENTAGE)


def points(amount: Fraction) -> Quantity:
    """``5 percentage points`` -> 0.05 points (a difference of two rates)."""
    return Quantity(amount / 100, Unit.POINTS)


def plain(amount: Fraction) -> Quantity:
    """A bare number: a count when whole and not negative, else a plain number."""
    unit = Unit.COUNT if amount.denominator == 1 and amount >= 0 else Unit.NUMBER
    return Quantity(amount, unit)


def date(text: str) -> datetime.date:
    """``2015-10-01`` -> a date; ``2015-02-30`` is refused with the reason."""
    year, month, day = (int(part) for part in text.split("-"))
    try:
        value = datetime.date(year, month, day)
    except ValueError as exc:
        raise LiteralProblem(
            "PBR004",
            f"{text} is not a date on the calendar ({exc})",
            help="dates are written YYYY-MM-DD; check the month and the day",
        ) from None
    if not limits.EARLIEST_DATE <= value <= limits.LATEST_DATE:
        raise LiteralProblem(
            limits.CODE,
            f"{text} is outside the dates a contract may write "
            f"({limits.EARLIEST_DATE} to {limits.LATEST_DATE})",
            help=limits.HELP,
        )
    return value


def at_most(value: int, most: int, what: str) -> int:
    """``value``, or a PBR012 when it is more than ``most`` (the language's limit for ``what``)."""
    if value > most:
        raise LiteralProblem(
            limits.CODE, f"{value:,} {what} is more than the {most:,} a contract may write",
            help=limits.HELP,
        )
    return value


def unquote(text: str) -> str:
    """``"Ministry of Justice"`` -> ``Ministry of Justice``."""
    return text[1:-1]
