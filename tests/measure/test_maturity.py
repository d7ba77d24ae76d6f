"""Maturity on measured records (issue 10, SPEC §4): records dated after a unit's mature-on date
never change a final unit's figures, and the engine's mature-on dates agree with the oracle's."""

from __future__ import annotations

import datetime
from typing import Any

import attrs
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from tests.measure import oracle
from tests.measure.strategies import contracts, index_events, offences

from pbrrules import rules
from pbrrules.figures import AsOf, CohortFigures
from pbrrules.measure import OutcomeRecordsError, load_outcomes, measure
from pbrrules.pay.maturity import mature_on, maturity

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _measured(
    contract: rules.Contract, events: list[dict[str, Any]], offs: list[dict[str, Any]]
) -> tuple[dict[tuple[str, str, str | None], CohortFigures], datetime.date | None]:
    result = measure(contract, load_outcomes(index_events=events, offences=offs), threads=1)
    as_of = result.as_of.day if result.as_of else None
    return {f.key: f for f in result.figures}, as_of


def _late(offender: str, day: datetime.date, n: int) -> dict[str, Any]:
    return {
        "offender_id": offender,
        "offence_date": day,
        "disposal_date": day + datetime.timedelta(days=n),
        "disposal_type": "conviction",
        "breach": False,
        "court_event_id": f"late{n}",
        "ref": f"late {offender} {day} {n}",
    }


@SETTINGS
@given(contracts(), index_events(), st.data())
def test_records_dated_after_a_final_units_mature_on_date_never_change_its_figures(
    contract: rules.Contract, events: list[dict[str, Any]], data: st.DataObject
) -> None:
    """SPEC §4: a final unit's windows have all closed, so nothing dated later can count in it."""
    assume(events)
    offs = data.draw(offences(events))
    try:
        before, as_of = _measured(contract, events, offs)
    except OutcomeRecordsError:
        assume(False)
        return
    assert as_of is not None
    finals = {
        key: day
        for key, unit in before.items()
        if (day := mature_on(contract, unit)) is not None and day <= as_of
    }
    assume(finals)
    latest = max(finals.values())
    gap = data.draw(st.integers(1, 400))
    later = latest + datetime.timedelta(days=gap)
    people = sorted({e["offender_id"] for e in events})
    extra = [_late(p, later, n) for n, p in enumerate(people)]
    newcomer = dict(events[0], offender_id="LATE1", index_date=later, note="late index event")
    after, _ = _measured(contract, [*events, newcomer], offs + extra)
    for key in finals:
        assert attrs.evolve(after[key], closed=None) == attrs.evolve(before[key], closed=None)


@SETTINGS
@given(contracts(), index_events(), st.data())
def test_a_dated_units_mature_on_date_is_its_period_end_plus_its_longest_window(
    contract: rules.Contract, events: list[dict[str, Any]], data: st.DataObject
) -> None:
    """The pay stage's mature-on date equals the naive one for every dated period, and a unit
    is final exactly when the as-of date has reached it."""
    assume(events)
    offs = data.draw(offences(events))
    try:
        figures, as_of = _measured(contract, events, offs)
    except OutcomeRecordsError:
        assume(False)
        return
    assert as_of is not None
    for unit in figures.values():
        if unit.period.startswith("cohort "):
            continue  # first-N blocks: their end comes from the data
        due = oracle.mature_on(contract, unit)
        assert mature_on(contract, unit) == due
        state = maturity(contract, unit, AsOf(as_of, "records"))
        assert state.final == (due <= as_of)
