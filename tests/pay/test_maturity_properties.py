"""Maturity and reconciliation invariants (issue 10), checked by Hypothesis on generated
contracts and figures: an as-of date before a unit is final never pays on it, and reconciling
two statements sums exactly to the difference of their totals."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from pbrrules.figures import AsOf, CohortFigures
from pbrrules.pay import evaluate
from pbrrules.pay.maturity import mature_on
from pbrrules.rules import Contract
from pbrrules.statement.reconciliation import read_previous, reconcile

from .test_properties import SETTINGS, contracts, units

days = st.integers(0, 9 * 365).map(lambda n: datetime.date(2015, 1, 1) + datetime.timedelta(n))


@SETTINGS
@given(contracts(), units(), days)
def test_an_as_of_date_before_a_unit_is_final_never_pays_on_it(
    contract: Contract, figures: list[CohortFigures], day: datetime.date
) -> None:
    """SPEC §4: "Never pay on a window that has not closed"."""
    statement = evaluate(contract, figures, as_of=AsOf(day, "given"))
    for unit in statement.units:
        due = mature_on(contract, unit.figures)
        assert due is not None
        assert unit.maturity.final == (day >= due and unit.figures.start <= day)
        if not unit.maturity.final:
            assert unit.total.amount == 0
            assert all(line.status == "not yet due" for line in unit.lines)
            assert all(line.amount.amount == 0 for line in unit.lines)


@SETTINGS
@given(contracts(), units(), units(), days)
def test_reconciling_two_statements_sums_exactly_to_the_difference_of_their_totals(
    contract: Contract, before: list[CohortFigures], after: list[CohortFigures], day: datetime.date
) -> None:
    """Issue 10: ``due`` = new total − previous total, and the lines' differences add up to it."""
    previous = evaluate(contract, before, as_of=AsOf(day, "given"))
    now = evaluate(contract, after)
    reconciled = reconcile(now, read_previous(previous.to_json()))
    assert reconciled.reconciliation is not None
    due = reconciled.reconciliation.due.amount
    assert due == now.total.amount - previous.total.amount
    changes = reconciled.reconciliation.lines
    assert sum((c.difference.amount for c in changes), Decimal(0)) == due
    assert sum((c.before.amount for c in changes), Decimal(0)) == previous.total.amount
    for unit in reconciled.units:
        for line in unit.lines:
            assert line.previous is not None
            assert line.difference is not None
            assert line.difference.amount == line.amount.amount - line.previous.amount
