"""The DuckDB measurement equals the naive oracle on generated records (SPEC §4, §8)."""

from __future__ import annotations

import csv
import datetime
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tests.measure import oracle
from tests.measure.strategies import contracts, index_events, offences

from pbrrules import rules
from pbrrules.measure import OutcomeRecordsError, load_outcomes, measure
from pbrrules.values import Duration

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
D = datetime.date


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _write_csv(path: Path, records: list[dict[str, Any]], columns: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for r in records:
            writer.writerow([_cell(r.get(c)) for c in columns])


IE_COLUMNS = [
    "offender_id",
    "index_date",
    "area",
    "disposal",
    "age",
    "sentence_months",
    "deported",
    "predicted_rate",
    "group",
    "note",
]
OFF_COLUMNS = [
    "offender_id",
    "offence_date",
    "disposal_date",
    "disposal_type",
    "breach",
    "court_event_id",
    "ref",
]


def check(
    contract: rules.Contract, events: list[dict[str, Any]], offs: list[dict[str, Any]], fmt: str
) -> None:
    try:
        expected, accounting = oracle.measure(contract, events, offs)
    except oracle.SameDate:
        expected = None
    with tempfile.TemporaryDirectory() as tmp:
        if fmt == "csv":
            _write_csv(Path(tmp) / "index_events.csv", events, IE_COLUMNS)
            _write_csv(Path(tmp) / "offences.csv", offs, OFF_COLUMNS)
            data = load_outcomes(tmp)
        else:
            data = load_outcomes(index_events=events, offences=offs)
        if not events:
            with pytest.raises(OutcomeRecordsError):
                measure(contract, data)
            return
        if expected is None:
            with pytest.raises(OutcomeRecordsError) as info:
                measure(contract, data)
            assert {p.code for p in info.value.problems} == {"PBR309"}
            return
        result = measure(contract, data)
    assert list(result.figures) == expected
    ie, off = result.accounting.index_events, result.accounting.offences
    assert (ie.counted, dict(ie.excluded)) == accounting["index_events"]
    assert (off.counted, dict(off.excluded)) == accounting["offences"]
    assert result.accounting.reconciles


def _ie(offender: str, day: D, **extra: Any) -> dict[str, Any]:
    base = {
        "offender_id": offender,
        "index_date": day,
        "area": "North",
        "disposal": "community_order",
        "age": 30,
        "sentence_months": 0,
        "deported": False,
        "predicted_rate": None,
        "group": "treatment",
        "note": f"{offender}{day}",
    }
    return base | extra


def _off(
    offender: str,
    offence: D,
    disposal: D,
    kind: str = "conviction",
    breach: bool = False,
    sitting: str = "s1",
    ref: str = "",
) -> dict[str, Any]:
    return {
        "offender_id": offender,
        "offence_date": offence,
        "disposal_date": disposal,
        "disposal_type": kind,
        "breach": breach,
        "court_event_id": sitting,
        "ref": ref or f"{offender}{offence}{disposal}{kind}{breach}{sitting}",
    }


TR = rules.Contract(
    rules.Header("contract", "TR-like"),
    (
        rules.Version(
            "original",
            None,
            rules.Rules(
                cohorts=(
                    rules.Cohort(
                        "c",
                        periods=(rules.Quarterly(D(2015, 7, 1), D(2016, 6, 30)),),
                        grouped_by="area",
                    ),
                ),
                measures=(
                    rules.Measure("binary", "binary", "c"),
                    rules.Measure(
                        "events",
                        "per_offenders",
                        "c",
                        per=100,
                        counting="events",
                        proven_by=("conviction",),
                    ),
                ),
            ),
        ),
    ),
)


BOUNDARIES = {
    "29 February: the window ends on 28 February a year later": (
        [_ie("a", D(2016, 2, 29))],
        [_off("a", D(2017, 2, 28), D(2017, 3, 1)), _off("a", D(2017, 3, 1), D(2017, 3, 2))],
    ),
    "31st of the month: six months on is the 30th or 28th": (
        [_ie("a", D(2015, 8, 31))],
        [
            _off("a", D(2016, 8, 30), D(2017, 2, 27)),
            _off("a", D(2016, 8, 31), D(2016, 9, 1)),
            _off("a", D(2016, 1, 1), D(2017, 2, 28)),
        ],
    ),
    "window's first day, last day and the day after": (
        [_ie("a", D(2015, 10, 1)), _ie("b", D(2015, 10, 1))],
        [
            _off("a", D(2015, 10, 1), D(2015, 11, 1)),
            _off("b", D(2016, 9, 30), D(2016, 10, 1)),
            _off("b", D(2016, 10, 1), D(2016, 10, 2)),
            _off("a", D(2015, 9, 30), D(2015, 10, 2)),
        ],
    ),
    "disposal on the last and on the first excluded day of the waiting period": (
        [_ie("a", D(2015, 10, 1)), _ie("b", D(2015, 10, 1))],
        [_off("a", D(2016, 1, 1), D(2017, 3, 31)), _off("b", D(2016, 1, 1), D(2017, 4, 1))],
    ),
    "breaches and cautions": (
        [_ie("a", D(2015, 12, 31))],
        [
            _off("a", D(2016, 1, 2), D(2016, 1, 3), breach=True),
            _off("a", D(2016, 1, 2), D(2016, 1, 3), kind="caution"),
            _off("a", D(2016, 1, 4), D(2016, 1, 5), kind="warning"),
        ],
    ),
    "several offences in one court sitting": (
        [_ie("a", D(2015, 10, 1))],
        [
            _off("a", D(2016, 1, 1), D(2016, 2, 1), sitting="s1"),
            _off("a", D(2016, 1, 2), D(2016, 2, 1), sitting="s1"),
            _off("a", D(2016, 1, 3), D(2016, 3, 1), sitting="s2"),
        ],
    ),
    "several index events per person within and across periods": (
        [
            _ie("a", D(2015, 10, 1)),
            _ie("a", D(2015, 11, 1)),
            _ie("a", D(2016, 1, 1)),
            _ie("b", D(2015, 12, 31), area="South"),
        ],
        [_off("a", D(2016, 1, 5), D(2016, 2, 1)), _off("b", D(2016, 1, 5), D(2016, 2, 1))],
    ),
    "a cohort with no reoffenders": (
        [_ie("a", D(2015, 10, 1)), _ie("b", D(2016, 4, 1))],
        [],
    ),
}


@st.composite
def outcome_records(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    events = draw(index_events())
    return events, draw(offences(events))


def _with_boundary_examples(test: Any) -> Any:
    for case in BOUNDARIES.values():
        test = example(contract=TR, records=case, fmt="records")(test)
    return test


@SETTINGS
@given(contract=contracts(), records=outcome_records(), fmt=st.sampled_from(["records", "csv"]))
@_with_boundary_examples
def test_duckdb_measurement_equals_the_oracle(
    contract: rules.Contract,
    records: tuple[list[dict[str, Any]], list[dict[str, Any]]],
    fmt: str,
) -> None:
    """Every cohort unit's N, R, O, events, predicted sums and exclusions, and the accounting,
    equal the naive oracle's on generated records; the boundary cases are explicit examples."""
    events, offs = records
    check(contract, events, offs, fmt)


@pytest.mark.parametrize("case", BOUNDARIES, ids=list(BOUNDARIES))
@pytest.mark.parametrize("fmt", ["records", "csv"])
def test_boundary_cases_equal_the_oracle(case: str, fmt: str) -> None:
    """Named boundary cases of SPEC §4 (month ends, window and waiting-period edges, breaches,
    cautions, court sittings, repeated index events, no reoffenders)."""
    events, offs = BOUNDARIES[case]
    check(TR, events, offs, fmt)
    for variant in _variants():
        check(variant, events, offs, "records")


def _variants() -> list[rules.Contract]:
    base = TR.rules
    out = []
    for follow in (
        rules.Measure(
            "b",
            "binary",
            "c",
            follow_up=Duration(6, "months"),
            waiting=Duration(3, "months"),
            exclude_breaches=False,
        ),
        rules.Measure("b", "binary", "c", follow_up=Duration(365, "days")),
    ):
        r = rules.Rules(cohorts=base.cohorts, measures=(follow,))
        out.append(rules.Contract(TR.header, (rules.Version("v", None, r),)))
    return out


def test_first_n_blocks_number_the_treatment_group_and_place_the_control_group_by_date() -> None:
    """Blocks of 2 treated people, at most 2 blocks; a control event joins the first block
    whose last treated index date is on or after its date (LANGUAGE-FEEDBACK item 12)."""
    cohort = rules.Cohort(
        "c",
        periods=(rules.Blocks(2, D(2015, 1, 1), 2),),
        control_group=rules.FieldTest("group", "=", "control"),
    )
    contract = rules.Contract(
        rules.Header("contract", "blocks with a control group"),
        (
            rules.Version(
                "original",
                None,
                rules.Rules(cohorts=(cohort,), measures=(rules.Measure("b", "binary", "c"),)),
            ),
        ),
    )
    treated = [("t1", 2, 1), ("t2", 3, 1), ("t3", 5, 1), ("t4", 6, 1), ("t5", 7, 1)]
    control = [("c0", 1, 15), ("c1", 3, 1), ("c2", 4, 1), ("c3", 6, 2)]
    events = [_ie(p, D(2015, m, d)) for p, m, d in treated]
    events += [_ie(p, D(2015, m, d), group="control") for p, m, d in control]
    offs = [_off("c2", D(2015, 8, 1), D(2015, 9, 1)), _off("t3", D(2015, 8, 1), D(2015, 9, 1))]
    check(contract, events, offs, "records")
    result = measure(contract, load_outcomes(index_events=events, offences=offs))
    blocks = {f.period: f for f in result.figures}
    assert sorted(blocks) == ["cohort 1", "cohort 2"]
    one, two = blocks["cohort 1"], blocks["cohort 2"]
    assert (one.start, one.end, two.start, two.end) == (
        D(2015, 2, 1), D(2015, 3, 1), D(2015, 5, 1), D(2015, 6, 1)
    )
    assert one.control is not None
    assert two.control is not None
    # c0 (before the first treated date) and c1 (on block 1's end) join block 1; c2 (between
    # the blocks) joins block 2; c3 (after block 2's end, in the unkept block 3) joins none
    assert (one.treatment.offenders, one.control.offenders) == (2, 2)
    assert (two.treatment.offenders, two.control.offenders) == (2, 1)
    assert two.treatment.counts["b"].reoffenders == 1
    assert two.control.counts["b"].reoffenders == 1
    excluded = dict(result.accounting.index_events.excluded)
    assert excluded["index date outside every cohort period"] == 2  # t5 and c3


def _without_ties(
    contract: rules.Contract, events: list[dict[str, Any]], offs: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The records the oracle measures once every row of every tie on an earliest date is left
    out (issue 11: all of them, however many, as --reject-invalid does). Every offence stays:
    one of an offender whose every index event was tied is a valid record that counts in no
    window (not PBR307: the offender has index events), and its dates still bound the extract
    date the records imply."""
    events = list(events)
    while True:
        try:
            oracle.measure(contract, events, offs)
        except oracle.SameDate as tie:
            mine = tie.args[0]
            first = min(e["index_date"] for _, e in mine)
            tied = {id(e) for _, e in mine if e["index_date"] == first}
            events = [e for e in events if id(e) not in tied]
            continue
        return events, offs


THREE_TIED = (
    [
        _ie("a", D(2015, 10, 1), note="first"),
        _ie("b", D(2015, 10, 2)),
        _ie("a", D(2015, 10, 1), note="middle"),
        _ie("a", D(2015, 10, 1), note="last"),
        _ie("a", D(2015, 10, 20)),
    ],
    # proven after the tied date but before a's next index event: it counts only if a tied
    # row survives
    [_off("a", D(2015, 10, 10), D(2015, 11, 1))],
)

# b's every index event is tied, so b's offence counts in no window; its disposal date is still
# the records' latest date, and so the run's as-of date (hypothesis found the oracle given less)
ORPHANED_BY_TIES = (
    [_ie("b", D(2015, 8, 31), note="first"), _ie("a", D(2015, 7, 1)), _ie("b", D(2015, 8, 31))],
    [_off("b", D(2015, 8, 31), D(2017, 2, 27))],
)


def _order_decides(contract: rules.Contract) -> bool:
    """Whether record order may decide figures by design: a first-N series of a cohort that
    keeps every index event is cut in row order among one person's events on one date."""
    return any(
        isinstance(period, rules.Blocks) and not cohort.deduplicate
        for version in contract.versions
        for cohort in version.rules.cohorts
        for period in cohort.periods
    )


@SETTINGS
@given(contract=contracts(), records=outcome_records())
@example(contract=TR, records=THREE_TIED)
@example(contract=TR, records=ORPHANED_BY_TIES)
def test_rejecting_ties_equals_the_oracle_without_every_tied_row(
    contract: rules.Contract, records: tuple[list[dict[str, Any]], list[dict[str, Any]]]
) -> None:
    """With --reject-invalid, the figures are the oracle's on the records left once every row of
    every tie is removed, whatever the record order (issue 11)."""
    events, offs = records
    if not events:
        return
    valid_events, valid_offs = _without_ties(contract, events, offs)
    data = load_outcomes(index_events=events, offences=offs)
    result = measure(contract, data, reject_invalid=True)
    assert {p.code for p in result.rejected} <= {"PBR309", "PBR307"}
    if not valid_events:
        return
    expected, _ = oracle.measure(contract, valid_events, valid_offs)
    assert list(result.figures) == expected
    if _order_decides(contract):
        return  # first-N blocks of a cohort keeping every event are cut in row order (docs)
    reordered = load_outcomes(index_events=events[::-1], offences=offs)
    assert measure(contract, reordered, reject_invalid=True).figures == result.figures
