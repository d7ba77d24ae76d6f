"""First-N cohorts: a block holding fewer than N index events is still filling, and is not
assessed (nor pooled across the pilot) until it is complete."""

from __future__ import annotations

import datetime
from decimal import Decimal

from pbrrules.api import compile_contract
from pbrrules.figures import AsOf, CohortFigures, GroupFigures, MeasureCounts
from pbrrules.pay import evaluate

D = datetime.date
CONTRACT_TEXT = """contract "Blocks of 1,000"
  currency GBP

cohort releases (clause 3):
  first 1,000 eligible index events from 2010-09-09, at most 3 cohorts

measure reoffending (clause 4):
  binary rate of releases

comparison change (clause 5): reoffending against 60% in percentage points

target ten (clause 6):
  reduction in change of at least 10 percentage points

target across (clause 6.2):
  reduction in change of at least 10 percentage points
  pooled over all cohorts

term payment (clause 7):
  when ten
  pay £1,000,000

term pilot (clause 7.2):
  when across
  pay £500,000
"""
CONTRACT = compile_contract(CONTRACT_TEXT)


def block(k: int, offenders: int, reoffenders: int) -> CohortFigures:
    start = D(2010 + k, 1, 1)
    counts = {"reoffending": MeasureCounts(reoffenders, reoffenders)}
    return CohortFigures(
        "releases", f"cohort {k}", start, D(2010 + k, 12, 31), GroupFigures(offenders, counts)
    )


def test_a_complete_block_is_assessed_and_one_still_filling_is_not() -> None:
    statement = evaluate(CONTRACT, [block(1, 1000, 400), block(2, 600, 200)])
    first, second = statement.units
    assert [(line.term, line.amount.amount) for line in first.lines] == [
        ("payment", Decimal(1_000_000)),
        ("pilot", Decimal(0)),
    ]
    assert all(line.status == "not assessable" for line in second.lines)
    reason = "cohort 2 holds 600 of its 1,000 index events"
    assert all(reason in line.derivation for line in second.lines)
    # its rate is still shown, for the record
    assert [m.name for m in second.measures] == ["reoffending"]


def test_pooling_across_the_pilot_awaits_a_block_still_filling() -> None:
    blocks = [block(1, 1000, 400), block(2, 1000, 400), block(3, 999, 300)]
    statement = evaluate(CONTRACT, blocks)
    pilot = [line for line in statement.units[0].lines if line.term == "pilot"]
    assert pilot[0].status == "not assessable"
    assert "awaiting cohort 3" in pilot[0].derivation
    full = evaluate(CONTRACT, [*blocks[:2], block(3, 1000, 300)])
    assert [line.amount.amount for line in full.units[0].lines if line.term == "pilot"] == [
        Decimal(500_000)
    ]


def test_a_series_with_an_end_assesses_its_last_cohort_as_it_stands() -> None:
    ended = compile_contract(
        CONTRACT_TEXT.replace("from 2010-09-09,", "from 2010-09-09 to 2012-12-31,")
    )
    statement = evaluate(ended, [block(1, 1000, 400), block(2, 600, 200)])
    second = statement.units[1]
    # cohort 2 is paid on its 600, and the pilot pools the two cohorts the series filled
    assert [(line.term, line.status) for line in second.lines] == [
        ("payment", "pays"),
        ("pilot", "pays"),
    ]


def test_a_full_block_is_final_on_its_last_index_date_plus_its_window() -> None:
    """Issue 10: a first-N cohort is final once it is full and its last member's window (12
    months' follow-up and 6 months' waiting) has closed; one still filling has no such date."""
    figures = [block(1, 1000, 400), block(2, 600, 200)]
    early = evaluate(CONTRACT, figures, as_of=AsOf(D(2013, 6, 29), "given"))
    first, second = early.units
    assert (first.maturity.state, first.maturity.mature_on) == ("provisional", D(2013, 6, 30))
    assert all(line.status == "not yet due" for line in first.lines)
    assert (second.maturity.state, second.maturity.mature_on) == ("provisional", None)
    assert "cohort 2 is still filling" in second.lines[0].derivation
    on_time = evaluate(CONTRACT, figures, as_of=AsOf(D(2013, 6, 30), "given"))
    assert on_time.units[0].maturity.final
    assert on_time.units[0].lines[0].amount.amount == Decimal(1_000_000)
