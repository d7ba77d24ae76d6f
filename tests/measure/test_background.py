"""The offences' checks run beside the index events' work (Parquet inputs whose index events are
one row group): the same problems, figures and accounting as when everything runs in turn."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.measure.test_validation import CONTRACT, GOOD_IE, GOOD_OFF, IE_HEADER, OFF_HEADER

from pbrrules.measure import OutcomeRecordsError, engine, load_outcomes, measure
from pbrrules.measure.background import Background

OFFENCES = {
    "good records": GOOD_OFF,
    "an unknown offender": [*GOOD_OFF, "z,2016-01-01,2016-02-01,caution,no,s9"],
    "a repeated row": [*GOOD_OFF, GOOD_OFF[1]],
    "a disposal before its offence": [*GOOD_OFF, "a,2016-03-01,2016-02-01,caution,no,s3"],
    "a near miss of a counted category": [*GOOD_OFF, "a,2016-03-01,2016-04-01,convction,no,s3"],
    "a missing offender": [*GOOD_OFF, ",2016-03-01,2016-04-01,caution,no,s3"],
}


def _write(folder: Path, header: str, lines: list[str], name: str) -> None:
    names = header.split(",")
    rows = [dict(zip(names, line.split(","), strict=True)) for line in lines]
    pq.write_table(pa.Table.from_pylist(rows), folder / f"{name}.parquet")


def _outcome(folder: Path, threads: int | None) -> object:
    """What measuring gives: the figures and accounting, or the problems found."""
    try:
        result = measure(CONTRACT, load_outcomes(folder), threads=threads)
    except OutcomeRecordsError as error:
        return [p.render() for p in error.problems]
    return result.figures, result.accounting


@pytest.mark.parametrize("kind", OFFENCES, ids=list(OFFENCES))
def test_checks_beside_the_index_events_find_what_checks_in_turn_find(
    tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, IE_HEADER, GOOD_IE, "index_events")
    _write(tmp_path, OFF_HEADER, OFFENCES[kind], "offences")
    started: list[str] = []

    class Seen(Background):
        def __init__(self, *args: object) -> None:
            started.append("background")
            super().__init__(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "Background", Seen)
    # two threads and an index-event file of one row group: the checks run in the background;
    # one thread: everything in turn
    beside = _outcome(tmp_path, 2)
    assert started == ["background"]
    in_turn = _outcome(tmp_path, 1)
    assert started == ["background"]
    assert beside == in_turn
    assert (kind == "good records") == (not isinstance(beside, list))


def test_a_background_query_is_stopped_before_its_connection_closes() -> None:
    from concurrent.futures import ThreadPoolExecutor

    import duckdb

    con = duckdb.connect()
    with ThreadPoolExecutor(max_workers=1) as pool:
        # a query that would run for years: stop() returns only once it was interrupted
        job = Background(pool, con, "SELECT count(*) FROM range(10000000000000) a")
        job.stop()
        with pytest.raises(duckdb.Error):
            job.result()  # its rows are not there: it was interrupted, not run to its end
        job.stop()  # stopping twice is harmless
    con.close()
