"""``pay PRICE per unit avoided of COMPARISON``: a price per whatever the measure counts, avoided
(Salt Lake County's REACH pays "$200 per day avoided" of jail and prison, "$250 per arrest
avoided"): the improvement times what the measure divides by, named in the measure's units."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbrrules.compiler import compile_contract
from pbrrules.errors import ContractError
from pbrrules.worked_examples import run_examples

CONTRACT = """contract "Days avoided"
  currency USD

cohort participants:
  period "enrolment" from 2017-01-01 to 2018-12-31
  control group when group is "control"

measure days:
  frequency per 1 offenders of participants
  counting custody days
  follow-up 48 months
  unit "days incarcerated"

comparison days_change: days against control group in absolute terms

term days_payment:
  pay $200 per unit avoided of days_change

rounding:
  payments to 2 decimal places, half away from zero

example "26,800 days avoided among 225 participants: $5,360,000":
  given "enrolment": 225 offenders, 150 reoffenders, 20,000 reoffences
  given control "enrolment": 225 offenders, 180 reoffenders, 46,800 reoffences
  expect days_payment pays $5,360,000
"""


def test_a_price_per_unit_avoided_pays_the_units_the_improvement_is_worth() -> None:
    contract = compile_contract(CONTRACT)
    [result] = run_examples(contract)
    assert result.passed, result
    assert result.statement is not None
    [unit] = result.statement.units
    [line] = unit.lines
    assert line.amount.amount == Decimal("5360000.00")
    # (208 − 88.888…) × 225 offenders / 1 = 26,800 of the measure's own units
    assert "$200 per unit avoided × (208 − ≈88.89) × 225 offenders / 1" in line.derivation
    assert "26,800 days incarcerated" in line.derivation


def test_a_unit_avoided_of_a_binary_rate_is_refused() -> None:
    text = CONTRACT.replace(
        "frequency per 1 offenders of participants", "binary rate of participants"
    ).replace("in absolute terms", "in percentage points")
    with pytest.raises(ContractError) as caught:
        compile_contract(text.split("example")[0])
    errors = [d for d in caught.value.diagnostics if d.severity == "error"]
    assert [d.code for d in errors] == ["PBR206"]
    assert "units avoided need a frequency" in errors[0].message


def test_fmt_keeps_a_price_per_unit_avoided() -> None:
    from pbrrules.formatter.printer import format_text

    formatted = format_text(CONTRACT)
    assert "pay $200 per unit avoided of days_change" in formatted
    assert compile_contract(formatted) == compile_contract(CONTRACT)


GAINED = """contract "Quarters gained"
  currency USD

cohort participants:
  period "enrolment" from 2017-01-01 to 2018-12-31
  control group when group is "control"

measure employment:
  frequency per 1 offenders of participants
  counting quarters employed
  follow-up quarters 1 to 8 after the index date
  higher is better

comparison employment_gain: employment against control group in absolute terms

term employment_payment:
  pay $450 per unit gained of employment_gain

rounding:
  payments to 2 decimal places, half away from zero

example "1,190 quarters employed against the control group's 952: 238 gained, $107,100":
  given "enrolment": 225 offenders, 170 reoffenders, 1,190 reoffences
  given control "enrolment": 225 offenders, 150 reoffenders, 952 reoffences
  expect employment_payment pays $107,100
"""


def test_a_price_per_unit_gained_pays_the_units_a_rising_outcome_gained() -> None:
    """Salt Lake County's "$450 per quarter", read as per quarter gained over the control group
    (the contract in contracts/ reads it as a rate card; docs/contracts says why)."""
    [result] = run_examples(compile_contract(GAINED))
    assert result.passed, result
    assert result.statement is not None
    [line] = result.statement.units[0].lines
    assert "$450 per unit gained × (≈5.29 − ≈4.23) × 225 offenders / 1 = 238 quarters employed" in (
        line.derivation
    )


@pytest.mark.parametrize(
    ("written", "wanted"),
    [("per unit avoided", "write per unit gained"), ("per unit gained", "write per unit avoided")],
)
def test_avoided_and_gained_must_suit_the_measures_direction(written: str, wanted: str) -> None:
    text = GAINED.split("example")[0].replace("per unit gained", written)
    if wanted.endswith("avoided"):
        text = text.replace("  higher is better\n", "")
    with pytest.raises(ContractError) as caught:
        compile_contract(text)
    [error] = [d for d in caught.value.diagnostics if d.severity == "error"]
    assert error.code == "PBR206"
    assert wanted in error.message
