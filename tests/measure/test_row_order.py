"""Text files are first read without keeping their row order (faster); figures never depend on
it, and a problem to report by row makes the measurement read them again in order.

Small files are read by one thread, in order anyway: these tests shuffle the rows of every
unordered read so that row ids really differ from row positions."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from attrs import evolve
from hypothesis import HealthCheck, given, settings
from tests.measure.strategies import contracts
from tests.measure.test_differential import TR, _ie, _off, check, outcome_records
from tests.measure.test_validation import GOOD_IE, GOOD_OFF, problems_of, write

from pbrrules import rules
from pbrrules.measure import checking, tables
from pbrrules.measure.tables import RawTable, TypedColumn

ORIGINAL = tables.materialize
D = datetime.date


@pytest.fixture(autouse=True)
def reads(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Every unordered read inserts the rows in an order unrelated to the file's; the list
    records each read's ``ordered``."""
    seen: list[bool] = []

    def materialize(
        con: duckdb.DuckDBPyConnection,
        raw: RawTable,
        columns: list[TypedColumn],
        extra: list[str],
        ordered: bool = True,
    ) -> tuple[str, RawTable]:
        seen.append(ordered)
        if not ordered:
            raw = evolve(raw, scan=f"(SELECT * FROM {raw.scan} ORDER BY hash(*COLUMNS(*)) DESC)")
        return ORIGINAL(con, raw, columns, extra, ordered)

    monkeypatch.setattr(checking, "materialize", materialize)
    return seen


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contract=contracts(), records=outcome_records())
def test_figures_read_out_of_order_equal_the_oracle(
    contract: rules.Contract, records: tuple[list[dict[str, Any]], list[dict[str, Any]]]
) -> None:
    events, offs = records
    check(contract, events, offs, "csv")


def test_clean_text_is_read_once_out_of_order(reads: list[bool]) -> None:
    events = [_ie("a", D(2015, 10, 1)), _ie("b", D(2015, 10, 2)), _ie("a", D(2015, 11, 5))]
    offs = [_off("a", D(2015, 12, 1), D(2015, 12, 20)), _off("b", D(2015, 12, 2), D(2016, 1, 2))]
    check(TR, events, offs, "csv")
    assert reads == [False, False]


@pytest.mark.parametrize(
    ("offence", "code"),
    [
        ("a,2016-03-01,2016-02-01,caution,no,s3", "PBR306"),  # disposal before the offence
        ("z,2016-01-01,2016-02-01,caution,no,s9", "PBR307"),  # an unknown offender
        ("b,2016-01-01,2016-02-01,caution,no,s2", "PBR308"),  # repeats row 2
    ],
)
def test_a_problem_in_text_read_out_of_order_is_reported_at_its_row(
    tmp_path: Path, reads: list[bool], offence: str, code: str
) -> None:
    write(tmp_path, GOOD_IE, [*GOOD_OFF, offence])
    error, message = problems_of(tmp_path)
    assert [(p.code, p.row) for p in error.problems] == [(code, 3)], message
    assert reads == [False, False, True, True]  # read again, in order, to report it


def test_a_tie_in_text_read_out_of_order_is_reported_at_its_rows(
    tmp_path: Path, reads: list[bool]
) -> None:
    write(tmp_path, [*GOOD_IE, "a,2015-10-01,North,custody_release,0.5,treatment"], GOOD_OFF)
    error, message = problems_of(tmp_path)
    assert sorted((p.code, p.row) for p in error.problems) == [("PBR309", 1), ("PBR309", 4)]
    assert reads == [False, True, True], message  # the offences are read in order only


@pytest.mark.parametrize("keep_every_event", [False, True])
def test_row_order_is_kept_where_it_can_decide_a_block(
    keep_every_event: bool, reads: list[bool]
) -> None:
    cohort = rules.Cohort(
        "c", periods=(rules.Blocks(2, D(2015, 1, 1), None),), deduplicate=not keep_every_event
    )
    contract = rules.Contract(
        rules.Header("contract", "blocks"),
        (
            rules.Version(
                "original",
                None,
                rules.Rules(cohorts=(cohort,), measures=(rules.Measure("b", "binary", "c"),)),
            ),
        ),
    )
    # blocks of 2: b, then a twice on one date. Keeping every index event, which of a's two
    # rows ends block 1 (and whose predicted rate it sums) is decided by row order.
    events = [
        _ie("b", D(2015, 2, 1), predicted_rate="0.5"),
        _ie("a", D(2015, 3, 1), predicted_rate="0.125"),
        _ie("a", D(2015, 3, 1), predicted_rate="0.875"),
    ]
    check(contract, events, [], "csv")
    # de-duplicating, the two rows are a tie (invalid data), found out of order and reported
    # after reading again in order
    assert reads == ([True, True] if keep_every_event else [False, True, True])
