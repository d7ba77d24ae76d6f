"""The findings of the audit of issue 11 that are not a contract's meaning (those are worked
examples in tests/pay/contracts/audit-*.pbr): run-time refusals, boundaries and exactness."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest

from pbrrules.compiler import compile_contract
from pbrrules.figures import CohortFigures, GroupFigures, MeasureCounts
from pbrrules.pay import evaluate
from pbrrules.pay.distributions import binomial_tail, normal_at_least, normal_quantile
from pbrrules.pay.rounding import minor_digits, round_money
from pbrrules.rules import Literal_, RoundingRule
from pbrrules.values import Quantity, Unit
from pbrrules.worked_examples import run_examples

HEAD = """contract "Audit"
  currency GBP
  contract years start 2015-01-01

parameter baseline: rate = 50% (clause 1)

parameter price: money = £1,000 (clause 1)

cohort starts (clause 2):
  eligible when disposal is "community_order"
  contract years from 2015-01-01 to 2016-12-31

measure rate (clause 3):
  binary rate of starts

comparison change (clause 4): rate against baseline in percentage points

target significant (clause 5):
  reduction in change
  significant at 95% one-sided

term reward (clause 6):
  pay price per percentage point of change

term bonus (clause 7):
  when significant
  pay £1

rounding (clause 9):
  payments to 2 decimal places, half up
"""


def _examples(text: str) -> list[tuple[bool, str, str]]:
    contract = compile_contract(HEAD + text, "audit.pbr")
    (result,) = run_examples(contract)
    assert result.problem is None, result.problem
    return [(c.passed, c.expected, c.actual) for c in result.results]


def _unit(offenders: int, reoffenders: int) -> CohortFigures:
    counts = {"rate": MeasureCounts(reoffenders, reoffenders)}
    return CohortFigures(
        "starts", "year 1", datetime.date(2015, 1, 1), datetime.date(2015, 12, 31),
        GroupFigures(offenders, counts),
    )


class TestRefusedAtRunTime:
    def test_f2_a_negative_price_given_in_an_example_is_not_assessable(self) -> None:
        checks = _examples(
            'example "negative":\n  given "year 1": 1,000 offenders, 450 reoffenders\n'
            "  given price = -£10,000\n  expect reward is not assessable\n"
        )
        assert checks == [(True, "expect reward is not assessable", "year 1: not assessable")]

    def test_d4_a_negative_critical_value_is_not_assessable_at_run_time_too(self) -> None:
        contract = compile_contract(HEAD, "audit.pbr")
        (target,) = contract.rules.targets
        assert target.significance is not None
        negative = Literal_(Quantity(Fraction("-1.645"), Unit.NUMBER))
        significance = attrs.evolve(target.significance, critical_value=negative)
        rules = attrs.evolve(
            contract.rules, targets=(attrs.evolve(target, significance=significance),)
        )
        version = attrs.evolve(contract.versions[0], rules=rules)
        changed = attrs.evolve(contract, versions=(version,))
        (result,) = evaluate(changed, [_unit(1000, 499)]).units[0].targets
        assert result.verdict == "not assessable"
        assert "not positive" in result.derivation

    def test_u3_no_offenders_with_a_given_rate_is_not_assessable(self) -> None:
        checks = _examples(
            'example "empty":\n  given "year 1": 0 offenders\n  given rate = 40%\n'
            "  expect significant is not assessable\n"
        )
        assert [passed for passed, _, _ in checks] == [True]


class TestExactAtTheBoundary:
    def test_u4_a_float_is_refused_where_figures_are_built(self) -> None:
        with pytest.raises(TypeError, match=r"not the float 400.1: write Fraction\('400.1'\)"):
            GroupFigures(1000, predicted=400.1)
        with pytest.raises(TypeError, match=r"offenders must be a whole number"):
            GroupFigures(1000.0)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"not the float 0\.4"):
            Quantity(0.4, Unit.RATE)

    def test_u4_a_float_override_never_reaches_the_pay_stage(self) -> None:
        contract = compile_contract(HEAD, "audit.pbr")
        with pytest.raises(TypeError):
            evaluate(contract, [_unit(1000, 450)], overrides={"rate": Quantity(0.4, Unit.RATE)})

    def test_exact_numbers_of_every_kind_are_taken(self) -> None:
        assert GroupFigures(3, predicted=Decimal("1.5")).predicted == Fraction(3, 2)
        assert Quantity(1, Unit.COUNT).value == 1


class TestRounding:
    def test_f4_payments_to_four_places_are_rounded_once_to_pence(self) -> None:
        # docs/language.md §12: £0.12449 is £0.12 (not £0.1245 and then £0.13)
        rule = RoundingRule("payments", 4, "half up")
        assert round_money(Fraction("0.12449"), "GBP", rule) == Decimal("0.12")

    def test_f6_iso_4217_minor_units(self) -> None:
        assert [minor_digits(c) for c in ("GBP", "KRW", "JPY", "KWD", "BHD", "OMR", "CLF")] == [
            2, 0, 0, 3, 3, 3, 4,
        ]


class TestNormalQuantiles:
    def test_d2_the_level_is_the_exact_quantile(self) -> None:
        assert normal_quantile(Fraction(95, 100)) == Decimal("1.644854")
        assert normal_quantile(Fraction(99, 100)) == Decimal("2.326348")
        # 1.6448536269514722 is the 95% quantile; a z² either side of its square decides
        assert normal_at_least(Fraction("1.64485363") ** 2, Fraction(95, 100))
        assert not normal_at_least(Fraction("1.64485362") ** 2, Fraction(95, 100))
        # far from the quantile the tail bounds decide at once (a series of z²/2 terms would not)
        assert normal_at_least(Fraction(10**8), Fraction(999_999, 1_000_000))
        assert not normal_at_least(Fraction(1, 10**6), Fraction(51, 100))

    def test_d2_79_of_1000_against_100_of_1000_is_significant_at_95_percent(self) -> None:
        # pooled 8.95%: z² = 0.021² / (0.0895 × 0.9105 × 2/1000) ≈ 1.64495² (p ≈ 0.04999)
        pooled = Fraction(179, 2000)
        z_squared = Fraction(21, 1000) ** 2 / (pooled * (1 - pooled) * Fraction(2, 1000))
        assert normal_at_least(z_squared, Fraction(95, 100))
        assert z_squared < Fraction("1.645") ** 2  # the old table value said "not met"

    def test_d3_the_exact_binomial_tail(self) -> None:
        # 28 of 30 at 99%: P(X ≤ 28) = 1 − 30·0.99²⁹·0.01 − 0.99³⁰ ≈ 0.036
        tail = binomial_tail(30, Fraction(99, 100), 28, upper=False)
        assert Fraction(36, 1000) < tail < Fraction(37, 1000)
        assert binomial_tail(30, Fraction(1, 2), 0, upper=True) == 1


class TestLimits:
    def test_f2_a_deduction_meets_collars_even_when_its_amount_is_zero_or_positive(self) -> None:
        text = HEAD.replace(
            "rounding (clause 9):",
            "term penalty (clause 8):\n  deduct price per percentage point of change\n\n"
            "collar floor (clause 8): penalty at most £2,000 over the contract\n\n"
            "rounding (clause 9):",
        )
        contract = compile_contract(text, "audit.pbr")
        statement = evaluate(contract, [_unit(1000, 550)])
        (line,) = [ln for ln in statement.units[0].lines if ln.term == "penalty"]
        assert line.amount.amount == Decimal("-2000.00")
        assert "collared from -£5,000.00 to -£2,000.00 by collar floor" in line.derivation


def test_u6_a_term_a_variation_removed_pays_nothing() -> None:
    text = HEAD + (
        '\nvariation "2016" effective for cohorts from 2016-01-01 (clause 10):\n\n'
        "remove term bonus (clause 10)\n\n"
        'example "removed":\n  given "year 2": 1,000 offenders, 450 reoffenders\n'
        '  expect bonus pays £0 in "year 2"\n'
    )
    contract = compile_contract(text, "audit.pbr")
    (result,) = run_examples(contract)
    assert [c.passed for c in result.results] == [True]


def test_d3_a_small_cohort_the_exact_test_cannot_take_is_warned_about() -> None:
    """A rate given in a worked example is no count of the cohort's: the z-test decides, and the
    derivation says its approximation is poor (N·p(1 − p) = 30 × 50% × 50% = 7.5 < 10)."""
    checks = _examples(
        'example "small":\n  given "year 1": 30 offenders\n  given rate = 10%\n'
        "  expect significant is met\n"
    )
    assert [passed for passed, _, _ in checks] == [True]
    contract = compile_contract(HEAD, "audit.pbr")
    statement = evaluate(contract, [_unit(30, 3)], overrides={})
    (target,) = statement.units[0].targets
    assert "exact binomial test" in target.derivation  # the cohort's own count: exact test
    rate = Quantity(Fraction(1, 5), Unit.RATE)  # not the cohort's 3 of 30
    given = evaluate(contract, [_unit(30, 3)], overrides={"rate": rate})
    (target,) = given.units[0].targets
    assert "the normal approximation is poor" in target.derivation


def test_f2_a_negative_threshold_given_in_an_example_is_not_assessable() -> None:
    text = HEAD.replace(
        "rounding (clause 9):",
        "parameter least: percentage points = 2 percentage points (clause 1)\n\n"
        "target better (clause 5):\n  reduction in change of at least least\n\n"
        "rounding (clause 9):",
    )
    contract = compile_contract(
        text
        + 'example "negative":\n  given "year 1": 1,000 offenders, 510 reoffenders\n'
        "  given least = -2 percentage points\n  expect better is not assessable\n",
        "audit.pbr",
    )
    (result,) = run_examples(contract)
    assert [c.passed for c in result.results] == [True]


def test_d1_adjusted_rates_against_a_control_group_use_each_groups_own_variance() -> None:
    """Ratio form, B 50%: treated 300 of 1,000 with P 40% (adjusted 37.5%), controls 400 of
    1,000 with P 50% (adjusted 40%). Common adjusted rate 38.75%; with no effect the groups would
    show 31% (slope 1.25) and 38.75% (slope 1): z = 2.5 points / √(1.5625 × 31% × 69% / 1,000
    + 38.75% × 61.25% / 1,000) ≈ 1.05, by hand."""
    text = (
        'contract "Audit"\n  currency GBP\n  contract years start 2015-01-01\n\n'
        'cohort starts:\n  eligible when disposal is "community_order"\n'
        "  contract years from 2015-01-01 to 2015-12-31\n"
        '  control group when group is "control"\n\n'
        "measure rate:\n  binary rate of starts\n"
        "  adjusted for offender mix by ratio against 50%\n\n"
        "comparison change: rate against control group in percentage points\n\n"
        "target significant:\n  reduction in change\n  significant at 95% one-sided\n\n"
        "term bonus:\n  when significant\n  pay £1\n"
    )
    contract = compile_contract(text, "audit.pbr")
    unit = CohortFigures(
        "starts", "year 1", datetime.date(2015, 1, 1), datetime.date(2015, 12, 31),
        GroupFigures(1000, {"rate": MeasureCounts(300, 300)}, Fraction(400)),
        GroupFigures(1000, {"rate": MeasureCounts(400, 400)}, Fraction(500)),
    )
    (target,) = evaluate(contract, [unit]).units[0].targets
    assert target.verdict == "not met"
    assert "would be 31% and 38.75%" in target.derivation
    assert "= ≈1.05 < ≈1.644854" in target.derivation
