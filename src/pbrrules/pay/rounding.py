"""Exact rounding of fractions to decimal places, with every mode a contract can declare.

A contract says where rounding happens and how (SPEC §3): each payment line to the currency's
minor unit, half away from zero, unless it declares otherwise; rates, frequencies and
improvements only when it says "before comparison". All rounding goes through ``round_to``,
which works on exact fractions, so no binary float ever decides a penny.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import assert_never

from pbrrules.rules import RoundingMode, RoundingRule
from pbrrules.values import MINOR_DIGITS, minor_digits

__all__ = [
    "DEFAULT_MODE",
    "MINOR_DIGITS",
    "minor_digits",
    "payment_places",
    "round_money",
    "round_proportion",
    "round_to",
    "to_decimal",
]

#: Money is rounded like this when the contract declares no payments rule (SPEC §3).
DEFAULT_MODE: RoundingMode = "half up"


def round_to(value: Fraction, places: int, mode: RoundingMode) -> Fraction:
    """``value`` rounded to ``places`` decimal places (negative places round to tens, hundreds).

    Modes follow Python's ``decimal`` module: ``half up`` is half away from zero (ROUND_HALF_UP),
    ``half down`` half toward zero, ``half even`` banker's rounding, ``up`` away from zero,
    ``down`` toward zero, ``floor`` toward minus infinity, ``ceiling`` toward plus infinity.
    """
    scale = Fraction(10) ** places
    scaled = value * scale
    low = scaled.numerator // scaled.denominator  # floor
    rest = scaled - low  # 0 <= rest < 1
    if rest == 0:
        return value
    negative = scaled < 0
    # toward zero and away from zero, as integers
    toward, away = (low + 1, low) if negative else (low, low + 1)
    match mode:
        case "floor":
            chosen = low
        case "ceiling":
            chosen = low + 1
        case "down":
            chosen = toward
        case "up":
            chosen = away
        case "half up" | "half down" | "half even":
            # distance from the integer toward zero
            distance = (1 - rest) if negative else rest
            if distance > Fraction(1, 2):
                chosen = away
            elif distance < Fraction(1, 2):
                chosen = toward
            elif mode == "half up":
                chosen = away
            elif mode == "half down":
                chosen = toward
            else:  # half even
                chosen = low if low % 2 == 0 else low + 1
        case _:
            assert_never(mode)
    return Fraction(chosen) / scale


def to_decimal(value: Fraction, places: int) -> Decimal:
    """An exact fraction with at most ``places`` decimals as a Decimal with exactly ``places``."""
    scaled = value * Fraction(10) ** places
    if scaled.denominator != 1:
        raise ValueError(f"{value} has more than {places} decimal places")
    return Decimal(scaled.numerator).scaleb(-places)


def round_money(value: Fraction, currency: str, rule: RoundingRule | None) -> Decimal:
    """A payment line rounded as the contract declares, always a whole number of minor units.

    Money is never paid in fractions of a penny: a rule asking for more places than the minor
    unit has rounds once, with its mode, to the minor unit (never twice, which could move a
    half: 0.12449 is 0.12, not 0.1245 and then 0.13).
    """
    mode: RoundingMode = rule.mode if rule is not None else DEFAULT_MODE
    places = payment_places(currency, rule)
    return to_decimal(round_to(value, places, mode), minor_digits(currency))


def payment_places(currency: str, rule: RoundingRule | None) -> int:
    """The decimal places payment lines are rounded to: the rule's, never finer than the
    currency's minor unit (a contract paying whole pounds says ``payments to 0 decimal
    places``)."""
    digits = minor_digits(currency)
    return min(rule.places, digits) if rule is not None else digits


def round_proportion(value: Fraction, rule: RoundingRule | None, percentage: bool) -> Fraction:
    """A rate, improvement or frequency rounded by a ``before comparison`` rule, else unchanged.

    Rates, points and percents are held as proportions but their places count digits of the
    percentage (41.7% is 1 place), so they are rounded to ``places + 2`` digits of the proportion.
    """
    if rule is None or not rule.before_comparison:
        return value
    return round_to(value, rule.places + (2 if percentage else 0), rule.mode)
