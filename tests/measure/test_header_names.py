"""Issue 12 item 11: two columns of one name (equal, or equal but for capitals) that the
contract needs are a PBR301 naming them (CSV, Parquet, records in memory), not DuckDB's
"Duplicate named argument ... struct_pack" nor a silent choice of the first."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.measure.test_validation import CONTRACT, GOOD_IE, GOOD_OFF, IE_HEADER, OFF_HEADER, write

from pbrrules.errors import OutcomeDataError
from pbrrules.measure import load_outcomes, measure


@pytest.mark.parametrize("extra", ["OFFENDER_ID", "breach", "Breach", " breach"])
def test_a_csv_header_naming_a_column_twice_is_refused(tmp_path: Path, extra: str) -> None:
    write(tmp_path, GOOD_IE, [r + ",x" for r in GOOD_OFF], off_header=f"{OFF_HEADER},{extra}")
    with pytest.raises(OutcomeDataError) as info:
        measure(CONTRACT, load_outcomes(tmp_path))
    message = str(info.value)
    assert "PBR301" in message
    assert "twice" in message
    assert "struct_pack" not in message
    assert "Binder" not in message


def test_an_index_events_header_with_a_capitalised_twin_is_refused(tmp_path: Path) -> None:
    write(tmp_path, GOOD_IE, GOOD_OFF, ie_header=IE_HEADER.replace("area", "Group"))
    with pytest.raises(OutcomeDataError, match="'group' twice"):
        measure(CONTRACT, load_outcomes(tmp_path))


def test_parquet_and_records_naming_a_column_twice_are_refused(tmp_path: Path) -> None:
    write(tmp_path, GOOD_IE, GOOD_OFF)
    names = OFF_HEADER.split(",")
    rows = [dict(zip(names, r.split(","), strict=True)) for r in GOOD_OFF]
    table = pa.table({**{n: [r[n] for r in rows] for n in names}, "BREACH": ["no", "no"]})
    pq.write_table(table, tmp_path / "offences.parquet")
    (tmp_path / "offences.csv").unlink()
    with pytest.raises(OutcomeDataError, match="twice"):
        measure(CONTRACT, load_outcomes(tmp_path))
    records = [{**r, "Breach": "yes"} for r in rows]
    with pytest.raises(OutcomeDataError, match="twice"):
        measure(
            CONTRACT,
            load_outcomes(index_events=tmp_path / "index_events.csv", offences=records),
        )
