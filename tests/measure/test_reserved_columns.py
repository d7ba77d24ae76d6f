"""A file's own column can never stand in for pbrrules' bookkeeping (its row numbers, row
hashes, problem flags): a Parquet file with an integer ``_row`` once replaced the row numbers
and turned a reconviction rate of 547/1,000 into 1/1,000, silently. Such a column is refused,
naming it, in every format and for records given in memory."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.measure.test_validation import CONTRACT, GOOD_IE, GOOD_OFF, IE_HEADER, OFF_HEADER, write

from pbrrules.errors import OutcomeDataError
from pbrrules.measure import DataProblem, load_outcomes, measure
from pbrrules.measure.tables import RESERVED_COLUMNS


def _said(exc: OutcomeDataError) -> str:
    """Every problem as the user reads it."""
    return "\n".join(p.render() if isinstance(p, DataProblem) else str(p) for p in exc.problems)


def _rows(header: str, lines: list[str]) -> list[dict[str, object]]:
    names = header.split(",")
    return [dict(zip(names, line.split(","), strict=True)) for line in lines]


@pytest.mark.parametrize("column", sorted(RESERVED_COLUMNS))
def test_a_parquet_file_with_a_reserved_column_is_refused_naming_it(
    tmp_path: Path, column: str
) -> None:
    events = [{**row, column: 1} for row in _rows(IE_HEADER, GOOD_IE)]
    pq.write_table(pa.Table.from_pylist(events), tmp_path / "index_events.parquet")
    pq.write_table(pa.Table.from_pylist(_rows(OFF_HEADER, GOOD_OFF)), tmp_path / "offences.parquet")
    with pytest.raises(OutcomeDataError) as caught:
        measure(CONTRACT, load_outcomes(tmp_path))
    assert len(caught.value.problems) == 1
    text = _said(caught.value)
    assert "index_events.parquet" in text
    assert f"the file has a column named '{column}'" in text
    assert "PBR301" in text


@pytest.mark.parametrize("column", ["_row", "_hash", "_bad"])
def test_a_csv_offences_file_with_a_reserved_column_is_refused(tmp_path: Path, column: str) -> None:
    offences = [f"{line},1" for line in GOOD_OFF]
    write(tmp_path, GOOD_IE, offences, off_header=f"{OFF_HEADER},{column}")
    with pytest.raises(OutcomeDataError) as caught:
        measure(CONTRACT, load_outcomes(tmp_path))
    assert f"the file has a column named '{column}'" in _said(caught.value)


def test_records_in_memory_with_a_reserved_key_are_refused() -> None:
    events = [{**row, "_row": 7} for row in _rows(IE_HEADER, GOOD_IE)]
    with pytest.raises(OutcomeDataError) as caught:
        measure(CONTRACT, load_outcomes(index_events=events, offences=_rows(OFF_HEADER, GOOD_OFF)))
    assert "a column named '_row'" in _said(caught.value)
