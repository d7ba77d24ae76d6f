"""The compiler stage by stage: literals, build, templates and variations, checks by code."""

from __future__ import annotations

import datetime
from fractions import Fraction
from pathlib import Path

import pytest

from pbrrules import rules
from pbrrules.compiler import compile_contract, compile_file
from pbrrules.errors import ContractError
from pbrrules.values import Duration, Quantity, Unit, add_months

CASES = Path(__file__).parent / "cases"

MINIMAL = """contract "Minimal"
  currency GBP

cohort starts:
  eligible when disposal is "community_order"
  quarterly from 2015-10-01 to 2015-12-31

measure binary_rate:
  binary rate of starts

comparison change: binary_rate against 47.5% in percentage points

target met: reduction in change of at least 3 percentage points

term reward (clause 6.1):
  when met
  pay £1,000
"""


def codes(text: str) -> list[str]:
    with pytest.raises(ContractError) as caught:
        compile_contract(text, "case.pbr")
    return [d.code for d in caught.value.diagnostics]


def test_a_minimal_contract_compiles_to_the_rules_it_says() -> None:
    contract = compile_contract(MINIMAL)
    version = contract.rules
    assert version.measure("binary_rate") == rules.Measure("binary_rate", "binary", "starts")
    assert version.comparison("change") == rules.Comparison(
        "change",
        "binary_rate",
        rules.Literal_(Quantity(Fraction(95, 200), Unit.PERCENTAGE)),
        "points",
    )
    assert version.target("met") == rules.Target(
        "met", "change", "reduction", rules.Literal_(Quantity(Fraction(3, 100), Unit.POINTS))
    )
    assert version.term("reward") == rules.Term(
        "reward",
        rules.Fixed(rules.Literal_(Quantity(Fraction(1000), Unit.MONEY, "GBP"))),
        when=rules.TargetMet("met"),
        clause="clause 6.1",
    )


def test_measure_defaults_are_the_spec_defaults() -> None:
    measure = compile_contract(MINIMAL).rules.measures[0]
    assert measure.follow_up == Duration(12, "months")
    assert measure.waiting == Duration(6, "months")
    assert measure.proven_by == ("conviction", "caution")
    assert measure.exclude_breaches
    assert measure.counting == "offences"


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        ("£2.5 million", Quantity(Fraction(2_500_000), Unit.MONEY, "GBP")),
        ("-£1,000.50", Quantity(Fraction(-200100, 200), Unit.MONEY, "GBP")),
        ("£0.005", Quantity(Fraction(1, 200), Unit.MONEY, "GBP")),
    ],
)
def test_money_literals_are_exact(literal: str, expected: Quantity) -> None:
    text = MINIMAL + f"\nparameter amount: money = {literal}\n"
    parameter = compile_contract(text).rules.parameter("amount")
    assert parameter is not None
    assert parameter.value == expected


def test_percentage_points_and_percent_are_held_as_proportions() -> None:
    target = compile_contract(MINIMAL.replace("3 percentage points", "8.2pp")).rules.target("met")
    assert target is not None
    assert target.threshold == rules.Literal_(Quantity(Fraction(82, 1000), Unit.POINTS))


def test_a_threshold_in_percent_on_a_points_comparison_is_a_unit_error() -> None:
    assert codes(MINIMAL.replace("3 percentage points", "3%")) == ["PBR202"]


def test_every_problem_is_reported_at_once() -> None:
    text = (
        MINIMAL.replace("binary rate of starts", "binary rate of start")
        .replace("3 percentage points", "3%")
        .replace("when met", "when mett")
    )
    assert codes(text) == ["PBR101", "PBR202", "PBR101"]


def test_a_lot_file_takes_the_templates_rules_and_its_own_values() -> None:
    contract = compile_file(CASES / "reuse" / "good" / "lot.pbr")
    baseline = contract.rules.parameter("baseline_binary")
    assert baseline is not None
    assert baseline.value == Quantity(Fraction(499, 1000), Unit.PERCENTAGE)
    assert contract.header.provider == "Cumbria and Lancashire CRC"
    assert contract.header.currency == "GBP"  # from the template


def test_a_variation_applies_from_its_date_and_the_original_stays_evaluable() -> None:
    contract = compile_file(CASES / "reuse" / "good" / "lot.pbr")
    before = contract.version_for(datetime.date(2017, 9, 30))
    after = contract.version_for(datetime.date(2017, 10, 1))
    assert [t.name for t in before.rules.terms] == ["binary_payment", "frequency_payment"]
    assert [t.name for t in after.rules.terms] == ["binary_payment"]
    price = after.rules.parameter("price_per_point")
    assert price is not None
    assert price.value == Quantity(Fraction(120_000), Unit.MONEY, "GBP")


def test_an_inline_variation_replaces_declarations_of_the_same_name() -> None:
    contract = compile_file(CASES / "reuse" / "good" / "inline_variation.pbr")
    assert len(contract.versions) == 2
    old, new = (v.rules.term("binary_payment") for v in contract.versions)
    assert old is not None
    assert new is not None
    assert old != new
    assert new.clause == "clause 6.1 as varied"


def test_the_source_hash_changes_with_the_text() -> None:
    first = compile_contract(MINIMAL).source_hash
    assert first.startswith("sha256:")
    assert compile_contract(MINIMAL + "// a comment\n").source_hash != first


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2016-01-31", 1, "2016-02-29"),
        ("2015-01-31", 1, "2015-02-28"),
        ("2016-02-29", 12, "2017-02-28"),
        ("2015-08-31", 1, "2015-09-30"),
        ("2015-10-01", 12, "2016-10-01"),
        ("2015-12-31", 18, "2017-06-30"),
    ],
)
def test_month_arithmetic_clips_to_the_end_of_the_month(
    start: str, months: int, expected: str
) -> None:
    assert add_months(datetime.date.fromisoformat(start), months) == datetime.date.fromisoformat(
        expected
    )


def test_compiling_from_many_threads_at_once_gives_equal_contracts() -> None:
    """Services compile contracts from worker threads: the shared parser keeps no state."""
    from concurrent.futures import ThreadPoolExecutor

    texts = [MINIMAL.replace("£1,000", f"£{n},000") for n in range(1, 17)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        compiled = list(pool.map(lambda t: compile_contract(t, "threaded.pbr"), texts * 4))
    for index, contract in enumerate(compiled):
        assert contract == compile_contract(texts[index % 16], "threaded.pbr")
