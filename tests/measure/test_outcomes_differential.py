"""Outcomes beyond offences: the DuckDB measurement of arrests, custody days, quarters employed
and quarters without arrest equals the naive oracle (day by day, quarter by quarter) on
generated records, including custody spells at window edges, open spells, 29 February and the
31st of a month; and the record accounting of each outcome table reconciles."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tests.measure import oracle
from tests.measure.strategies import (
    arrests,
    custody,
    employment,
    index_events,
    offences,
    outcome_contracts,
)
from tests.measure.test_differential import IE_COLUMNS, OFF_COLUMNS, _write_csv

from pbrrules import rules
from pbrrules.measure import OutcomeRecordsError, load_outcomes, measure
from pbrrules.values import Duration

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
D = datetime.date
COLUMNS = {
    "arrests": ["offender_id", "arrest_date", "arrest_id", "ref"],
    "custody": ["offender_id", "start_date", "end_date", "ref"],
    "employment": ["offender_id", "quarter", "employed", "earnings", "ref"],
}
Records = dict[str, list[dict[str, Any]]]


def _read(contract: rules.Contract) -> set[str]:
    """The outcome tables some measure of ``contract`` counts from."""
    return {
        oracle.READS[m.counting]
        for v in contract.versions
        for m in v.rules.measures
        if m.counting in oracle.READS
    }


def _quarter_text(record: dict[str, Any], written: bool) -> dict[str, Any]:
    """A wage record with its quarter written ``2018-Q3`` (else as the quarter's first day)."""
    if not written:
        return record
    q: datetime.date = record["quarter"]
    return {**record, "quarter": f"{q.year}-Q{(q.month - 1) // 3 + 1}"}


def check(
    contract: rules.Contract,
    events: list[dict[str, Any]],
    offs: list[dict[str, Any]],
    others: Records,
    fmt: str,
) -> None:
    """The engine's figures and accounting equal the oracle's (each outcome table given only
    when a measure reads it, as the engine reads only those)."""
    read = {t: r for t, r in others.items() if t in _read(contract)}
    try:
        has_predicted = True if fmt == "csv" else None  # the CSV file has the column
        expected, accounting = oracle.measure(contract, events, offs, has_predicted, others=read)
    except oracle.SameDate:
        expected = None
    with tempfile.TemporaryDirectory() as tmp:
        if fmt == "csv":
            _write_csv(Path(tmp) / "index_events.csv", events, IE_COLUMNS)
            _write_csv(Path(tmp) / "offences.csv", offs, OFF_COLUMNS)
            for table, records in read.items():
                written = [_quarter_text(r, table == "employment" and i % 2 == 0)
                           for i, r in enumerate(records)]
                _write_csv(Path(tmp) / f"{table}.csv", written, COLUMNS[table])
            data = load_outcomes(tmp)
        else:
            data = load_outcomes(
                index_events=events,
                offences=offs,
                arrests=read.get("arrests"),
                custody=read.get("custody"),
                employment=read.get("employment"),
            )
        if not events or expected is None:
            with pytest.raises(OutcomeRecordsError):
                measure(contract, data)
            return
        result = measure(contract, data)
    assert list(result.figures) == expected
    for table, (counted, excluded) in accounting.items():
        got = result.accounting.table(table)
        assert got is not None, table
        assert (got.counted, dict(got.excluded)) == (counted, excluded), table
    assert result.accounting.reconciles


@st.composite
def records(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[dict[str, Any]], Records]:
    events = draw(index_events())
    return (
        events,
        draw(offences(events)),
        {
            "arrests": draw(arrests(events)),
            "custody": draw(custody(events)),
            "employment": draw(employment(events)),
        },
    )


def _measure(name: str, kind: rules.MeasureKind, counting: rules.CountingUnit,
             **window: Any) -> rules.Measure:
    return rules.Measure(name, kind, "c", per=100, counting=counting, waiting=Duration(0, "months"),
                         **window)  # fmt: skip


QUARTERS_2016 = rules.Quarterly(D(2016, 1, 1), D(2016, 12, 31))
#: One cohort of 2016 quarters, each outcome measured, with windows starting after the index
#: date (in months and in calendar quarters).
EVERY = rules.Contract(
    rules.Header("contract", "outcomes"),
    (
        rules.Version(
            "original",
            None,
            rules.Rules(
                cohorts=(rules.Cohort("c", periods=(QUARTERS_2016,)),),
                measures=(
                    _measure("arrested", "binary", "arrests"),
                    _measure("days", "per_offenders", "custody_days",
                             follow_up=Duration(3, "months"), starts_after=Duration(9, "months")),
                    _measure("employed", "binary", "quarters_employed",
                             follow_up=Duration(3, "months"), starts_after=Duration(12, "months"),
                             quarters=True),
                    _measure("clean", "per_reoffender", "quarters_without_arrest",
                             follow_up=Duration(12, "months"), starts_after=Duration(3, "months"),
                             quarters=True),
                ),
            ),
        ),
    ),
)  # fmt: skip


def _ie(offender: str, day: D) -> dict[str, Any]:
    return {"offender_id": offender, "index_date": day}


def _spell(offender: str, start: D, end: D | None, ref: str) -> dict[str, Any]:
    return {"offender_id": offender, "start_date": start, "end_date": end, "ref": ref}


#: Index events on 29 Feb and the 31st; custody at the window's edges: the custody window of an
#: index event on 2016-02-29 is 2016-11-29 to 2017-02-27 (12 months on is 2017-02-28, the
#: first day after it).
EDGES: dict[str, tuple[list[dict[str, Any]], Records]] = {
    "spells at the window's edges": (
        [_ie("a", D(2016, 2, 29)), _ie("b", D(2016, 3, 31)), _ie("c", D(2016, 8, 31))],
        {
            "custody": [
                _spell("a", D(2017, 2, 27), D(2017, 3, 5), "starts on the last day"),
                _spell("a", D(2016, 11, 1), D(2016, 11, 29), "ends on the first day"),
                _spell("a", D(2016, 11, 20), D(2016, 12, 2), "overlaps the one before"),
                _spell("b", D(2016, 12, 31), None, "open"),
                _spell("c", D(2017, 5, 31), D(2017, 5, 31), "one day, the window's first"),
                _spell("c", D(2017, 8, 31), D(2017, 9, 1), "the day after the window"),
            ],
            "arrests": [
                {"offender_id": "a", "arrest_date": D(2017, 2, 28), "arrest_id": "1", "ref": "x"},
                {"offender_id": "a", "arrest_date": D(2017, 2, 28), "arrest_id": "1", "ref": "y"},
                {"offender_id": "b", "arrest_date": D(2016, 6, 30), "arrest_id": None, "ref": "z"},
            ],
            "employment": [
                {"offender_id": "a", "quarter": D(2017, 1, 1), "employed": True, "ref": "1"},
                {"offender_id": "b", "quarter": D(2017, 4, 1), "employed": True, "ref": "2"},
                {"offender_id": "c", "quarter": D(2017, 7, 1), "employed": False, "ref": "3"},
            ],
        },
    ),
}


def test_edge_cases_by_hand() -> None:
    """The figures of the edge cases, worked by hand: a's custody window (2016-11-29 to
    2017-02-27) holds 1 day of the spell ending on its first day, 2016-11-30 to 2016-12-02 of
    the overlapping one (3 more, not counted twice), and its last day (1): 5 days; b's window
    (2016-12-31 to 2017-03-30) is all open spell (90 days, to the extract date 2017-09-01);
    c's window (2017-05-31 to 2017-08-30) holds one day."""
    events, others = EDGES["spells at the window's edges"]
    data = load_outcomes(
        index_events=events,
        offences=[],
        arrests=others["arrests"],
        custody=others["custody"],
        employment=others["employment"],
    )
    result = measure(EVERY, data)
    days = {f.period: f.treatment.counts["days"] for f in result.figures}
    assert days["2016-Q1"].reoffences == 5 + 90
    assert days["2016-Q3"].reoffences == 1
    employed = {f.period: f.treatment.counts["employed"] for f in result.figures}
    # a (2016-Q1): quarter 4 after is 2017-Q1, employed; b (2016-Q1): 2017-Q1, not (2017-Q2)
    assert employed["2016-Q1"].reoffenders == 1
    check(EVERY, events, [], others, "records")
    check(EVERY, events, [], others, "csv")


@SETTINGS
@given(contract=outcome_contracts(), data=records(), fmt=st.sampled_from(["records", "csv"]))
@example(
    contract=EVERY,
    data=(EDGES["spells at the window's edges"][0], [], EDGES["spells at the window's edges"][1]),
    fmt="records",
)
def test_outcomes_equal_the_oracle(
    contract: rules.Contract,
    data: tuple[list[dict[str, Any]], list[dict[str, Any]], Records],
    fmt: str,
) -> None:
    """Every unit's N, people with at least one (R) and units (O) of each outcome measure, and
    every outcome table's accounting, equal the naive oracle's on generated records."""
    events, offs, others = data
    check(contract, events, offs, others, fmt)
