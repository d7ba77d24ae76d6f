"""Rounding: every mode a contract can declare, on exact fractions, at the half and either side."""

from __future__ import annotations

from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
)
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pbrrules.pay.rounding import round_money, round_proportion, round_to
from pbrrules.rules import RoundingMode, RoundingRule

DECIMAL_MODES: dict[RoundingMode, str] = {
    "half up": ROUND_HALF_UP,
    "half down": ROUND_HALF_DOWN,
    "half even": ROUND_HALF_EVEN,
    "up": ROUND_UP,
    "down": ROUND_DOWN,
    "floor": ROUND_FLOOR,
    "ceiling": ROUND_CEILING,
}


@pytest.mark.parametrize(
    ("value", "mode", "expected"),
    [
        ("2.5", "half up", "3"),
        ("-2.5", "half up", "-3"),
        ("2.5", "half down", "2"),
        ("-2.5", "half down", "-2"),
        ("2.5", "half even", "2"),
        ("3.5", "half even", "4"),
        ("-2.5", "half even", "-2"),
        ("2.1", "up", "3"),
        ("-2.1", "up", "-3"),
        ("2.9", "down", "2"),
        ("-2.9", "down", "-2"),
        ("2.9", "floor", "2"),
        ("-2.1", "floor", "-3"),
        ("2.1", "ceiling", "3"),
        ("-2.9", "ceiling", "-2"),
        ("2.4999", "half up", "2"),
        ("2.5001", "half down", "3"),
    ],
)
def test_each_mode_rounds_as_the_decimal_module_does(
    value: str, mode: RoundingMode, expected: str
) -> None:
    assert round_to(Fraction(value), 0, mode) == Fraction(expected)


@settings(deadline=None, max_examples=300)
@given(
    st.fractions(min_value=-(10**6), max_value=10**6, max_denominator=10**4),
    st.integers(0, 4),
    st.sampled_from(list(DECIMAL_MODES)),
)
def test_rounding_agrees_with_decimal_on_every_mode(
    value: Fraction, places: int, mode: RoundingMode
) -> None:
    """The contract's modes mean exactly what Python's decimal module means by them."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)  # terminating for 2^a5^b only
    if (value * 10**20).denominator != 1:
        return
    expected = exact.quantize(Decimal(1).scaleb(-places), rounding=DECIMAL_MODES[mode])
    assert round_to(value, places, mode) == Fraction(expected)


def test_a_third_of_a_penny_rounds_to_the_penny() -> None:
    assert round_money(Fraction(1000, 3), "GBP", None) == Decimal("333.33")
    assert round_money(Fraction(-2000, 3), "GBP", None) == Decimal("-666.67")


def test_the_default_payment_rounding_is_half_away_from_zero_to_the_penny() -> None:
    assert round_money(Fraction("0.005"), "GBP", None) == Decimal("0.01")
    assert round_money(Fraction("-0.005"), "GBP", None) == Decimal("-0.01")


def test_a_payments_rule_to_whole_pounds_still_gives_whole_pence() -> None:
    rule = RoundingRule("payments", 0, "down")
    assert round_money(Fraction("1234.99"), "GBP", rule) == Decimal("1234.00")


def test_a_rule_with_more_places_than_the_currency_ends_at_the_minor_unit() -> None:
    rule = RoundingRule("payments", 4, "half up")
    assert round_money(Fraction("0.12449"), "GBP", rule) == Decimal("0.12")  # rounded once


def test_rates_round_to_places_of_the_percentage_only_before_comparison() -> None:
    rule = RoundingRule("rates", 1, "half up", before_comparison=True)
    assert round_proportion(Fraction(4165, 10000), rule, percentage=True) == Fraction(417, 1000)
    display_only = RoundingRule("rates", 1, "half up")
    assert round_proportion(Fraction(4165, 10000), display_only, True) == Fraction(4165, 10000)


def test_frequencies_round_to_places_of_the_value() -> None:
    rule = RoundingRule("frequencies", 2, "half up", before_comparison=True)
    assert round_proportion(Fraction(112284, 24218), rule, percentage=False) == Fraction("4.64")
