"""CSV (BOM, CRLF, whitespace), JSON Lines, Parquet, folders, explicit paths and records in
memory all read to the same figures; inputs are never modified; runs are thread-safe."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.measure.test_validation import CONTRACT, GOOD_IE, GOOD_OFF, IE_HEADER, OFF_HEADER, write

from pbrrules.errors import OutcomeDataError
from pbrrules.measure import OutcomeRecordsError, Progress, load_outcomes, measure

D = datetime.date


def _rows(header: str, lines: list[str]) -> list[dict[str, str]]:
    names = header.split(",")
    return [dict(zip(names, line.split(","), strict=True)) for line in lines]


@pytest.fixture
def expected(tmp_path_factory: pytest.TempPathFactory) -> object:
    folder = tmp_path_factory.mktemp("plain")
    write(folder, GOOD_IE, GOOD_OFF)
    return measure(CONTRACT, load_outcomes(folder)).figures


def test_csv_with_bom_crlf_and_whitespace_reads_the_same(tmp_path: Path, expected: object) -> None:
    def messy(header: str, lines: list[str]) -> bytes:
        padded = [",".join(f"  {v} " for v in line.split(",")) for line in lines]
        return b"\xef\xbb\xbf" + "\r\n".join([header, *padded, ""]).encode("utf-8")

    (tmp_path / "index_events.csv").write_bytes(messy(IE_HEADER, GOOD_IE))
    (tmp_path / "offences.csv").write_bytes(messy(OFF_HEADER, GOOD_OFF))
    assert measure(CONTRACT, load_outcomes(tmp_path)).figures == expected


def test_json_lines_read_the_same(tmp_path: Path, expected: object) -> None:
    for name, header, lines in (
        ("index_events", IE_HEADER, GOOD_IE),
        ("offences", OFF_HEADER, GOOD_OFF),
    ):
        text = "\n".join(json.dumps(r) for r in _rows(header, lines))
        (tmp_path / f"{name}.jsonl").write_text(text + "\n", encoding="utf-8")
    assert measure(CONTRACT, load_outcomes(tmp_path)).figures == expected


def test_typed_parquet_reads_the_same(tmp_path: Path, expected: object) -> None:
    for name, header, lines in (
        ("index_events", IE_HEADER, GOOD_IE),
        ("offences", OFF_HEADER, GOOD_OFF),
    ):
        table = pa.Table.from_pylist(_rows(header, lines))
        for column in ("index_date", "offence_date", "disposal_date"):
            if column in table.column_names:
                i = table.column_names.index(column)
                table = table.set_column(i, column, table[column].cast(pa.date32()))
        if "breach" in table.column_names:
            i = table.column_names.index("breach")
            table = table.set_column(
                i, "breach", pa.array([v == "yes" for v in table["breach"].to_pylist()])
            )
        pq.write_table(table, tmp_path / f"{name}.parquet")
    result = measure(CONTRACT, load_outcomes(tmp_path))
    assert result.figures == expected
    assert [f.format for f in result.files] == ["parquet", "parquet"]


def test_explicit_paths_arrow_tables_and_records_read_the_same(
    tmp_path: Path, expected: object
) -> None:
    write(tmp_path, GOOD_IE, GOOD_OFF)
    by_path = load_outcomes(
        index_events=tmp_path / "index_events.csv", offences=str(tmp_path / "offences.csv")
    )
    assert measure(CONTRACT, by_path).figures == expected
    records = load_outcomes(
        index_events=_rows(IE_HEADER, GOOD_IE), offences=_rows(OFF_HEADER, GOOD_OFF)
    )
    assert measure(CONTRACT, records).figures == expected
    arrow = load_outcomes(
        index_events=pa.Table.from_pylist(_rows(IE_HEADER, GOOD_IE)),
        offences=pa.Table.from_pylist(_rows(OFF_HEADER, GOOD_OFF)),
    )
    assert measure(CONTRACT, arrow).figures == expected


def test_files_are_hashed_and_never_modified(tmp_path: Path) -> None:
    write(tmp_path, GOOD_IE, GOOD_OFF)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    result = measure(CONTRACT, load_outcomes(tmp_path), reject_invalid=True)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    files = {Path(f.name).name: f for f in result.files}
    assert files["index_events.csv"].rows == 3
    assert files["offences.csv"].rows == 2
    assert files["offences.csv"].sha256 == hashlib.sha256(before["offences.csv"]).hexdigest()


def test_measuring_from_several_threads_gives_the_same_figures(
    tmp_path: Path, expected: object
) -> None:
    write(tmp_path, GOOD_IE, GOOD_OFF)
    data = load_outcomes(tmp_path)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: measure(CONTRACT, data).figures, range(8)))
    assert all(r == expected for r in results)


def test_progress_is_shown_only_on_a_terminal(tmp_path: Path) -> None:
    write(tmp_path, GOOD_IE, GOOD_OFF)
    quiet = io.StringIO()
    measure(CONTRACT, load_outcomes(tmp_path), progress=Progress(6, quiet))
    assert quiet.getvalue() == ""
    shown = io.StringIO()
    measure(CONTRACT, load_outcomes(tmp_path), progress=Progress(6, shown, enabled=True))
    assert "measuring [" in shown.getvalue()


@pytest.mark.parametrize(
    "header",
    [
        "offender_id,index_date,area,disposal,predicted_rate,group",  # plain: read by pbrrules
        '"offender_id","index_date","area","disposal","predicted_rate","group"',  # quoted
        "offender_id,index_date,area,disposal,predicted_rate,group,,",  # blank names
        "offender_id,index_date,area,disposal,predicted_rate,group,x,x",  # repeated names
    ],
)
def test_csv_headers_plain_or_not_name_the_same_columns(
    tmp_path: Path, expected: object, header: str
) -> None:
    extra = header.count(",") - IE_HEADER.count(",")
    lines = [line + "," * extra for line in GOOD_IE]
    write(tmp_path, lines, GOOD_OFF, ie_header=header)
    assert measure(CONTRACT, load_outcomes(tmp_path)).figures == expected


@pytest.mark.parametrize("threads", [1, 2])
def test_a_parquet_file_damaged_past_its_footer_is_named(tmp_path: Path, threads: int) -> None:
    for name, header, lines in (
        ("index_events", IE_HEADER, GOOD_IE),
        ("offences", OFF_HEADER, GOOD_OFF),
    ):
        table = pa.Table.from_pylist(_rows(header, lines))
        pq.write_table(table, tmp_path / f"{name}.parquet", compression="none")
    path = tmp_path / "offences.parquet"
    data = bytearray(path.read_bytes())
    data[4:40] = b"\xff" * 36  # the first page header: the footer still reads
    path.write_bytes(bytes(data))
    with pytest.raises(OutcomeRecordsError) as info:
        measure(CONTRACT, load_outcomes(tmp_path), threads=threads)
    (problem,) = info.value.problems
    assert (problem.code, Path(problem.file).name) == ("PBR301", "offences.parquet")
    assert "it may be damaged or cut short" in problem.message


def test_records_from_a_generator_with_any_keys_read_the_same(expected: object) -> None:
    extra = {7: "an extra column keyed by a number"}
    index_events = ({**r, **extra} for r in _rows(IE_HEADER, GOOD_IE))
    data = load_outcomes(index_events=index_events, offences=_rows(OFF_HEADER, GOOD_OFF))
    assert measure(CONTRACT, data).figures == expected


def test_a_record_that_is_not_a_mapping_is_named_by_row() -> None:
    records: list[Any] = [*_rows(IE_HEADER, GOOD_IE), ["a", "2015-10-01"]]
    with pytest.raises(OutcomeDataError) as info:
        load_outcomes(index_events=records, offences=_rows(OFF_HEADER, GOOD_OFF))
    assert "<index_events records>, row 4: error[PBR301]: not a record (list)" in str(info.value)


def test_a_number_too_large_for_any_column_type_is_a_bad_value() -> None:
    index_events = _rows(IE_HEADER, GOOD_IE)
    index_events[0]["predicted_rate"] = 10**30  # type: ignore[assignment]
    with pytest.raises(OutcomeRecordsError) as info:
        measure(CONTRACT, load_outcomes(index_events=index_events, offences=GOOD_OFF_ROWS))
    assert [(p.code, p.row, p.column) for p in info.value.problems] == [
        ("PBR303", 1, "predicted_rate")
    ]


GOOD_OFF_ROWS = _rows(OFF_HEADER, GOOD_OFF)


class _DataFrameLike:
    """What a pandas or Polars DataFrame offers: the Arrow PyCapsule stream, and iteration over
    its column names (which used to be read as records: "row 1: not a record (str)")."""

    def __init__(self, table: pa.Table) -> None:
        self._table = table

    def __arrow_c_stream__(self, requested_schema: object = None) -> object:
        return self._table.__arrow_c_stream__(requested_schema)

    def __iter__(self) -> Any:
        return iter(self._table.column_names)


def test_anything_with_an_arrow_stream_reads_the_same(expected: object) -> None:
    """Issue 11: pandas and Polars DataFrames (any object with ``__arrow_c_stream__``)."""
    frames = load_outcomes(
        index_events=_DataFrameLike(pa.Table.from_pylist(_rows(IE_HEADER, GOOD_IE))),
        offences=_DataFrameLike(pa.Table.from_pylist(_rows(OFF_HEADER, GOOD_OFF))),
    )
    assert measure(CONTRACT, frames).figures == expected
