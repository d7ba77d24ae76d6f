"""A data path is read as exactly the file it names: characters DuckDB's readers take as a
pattern (``[``, ``?``, ``*``) are ordinary in folder names on shared drives ("2016 [final]").

Each folder below holds the real records, beside a decoy folder its name would match as a
pattern, holding other records. Reading the decoy would give other figures while the statement
named and hashed the real files: the worst kind of wrong statement, a silent one.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.measure.test_validation import CONTRACT, GOOD_IE, GOOD_OFF, IE_HEADER, OFF_HEADER, write

from pbrrules.errors import OutcomeDataError
from pbrrules.measure import load_outcomes, measure

# (a folder name with pattern characters, a decoy folder that name matches as a pattern)
NAMES = [("q[1]", "q1"), ("m?", "mx"), ("a*b", "a-long-b"), ("2016 [final]", "2016 f")]
DECOY_IE = [line.replace("2015-10-01", "2015-10-05") for line in GOOD_IE[:1]]


def _as(fmt: str, folder: Path) -> None:
    """Rewrite the CSV files of ``folder`` as JSON Lines or Parquet."""
    for name, header in (("index_events", IE_HEADER), ("offences", OFF_HEADER)):
        csv_file = folder / f"{name}.csv"
        names = header.split(",")
        rows = [dict(zip(names, line.split(","), strict=True))
                for line in csv_file.read_text(encoding="utf-8").splitlines()[1:]]  # fmt: skip
        csv_file.unlink()
        if fmt == "jsonl":
            text = "".join(json.dumps(r) + "\n" for r in rows)
            (folder / f"{name}.jsonl").write_text(text, encoding="utf-8")
        else:
            pq.write_table(pa.Table.from_pylist(rows), folder / f"{name}.parquet")


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
@pytest.mark.parametrize(("name", "decoy"), NAMES)
def test_a_folder_with_pattern_characters_reads_exactly_its_files(
    tmp_path: Path, name: str, decoy: str, fmt: str
) -> None:
    real, other = tmp_path / name, tmp_path / decoy
    for folder, events in ((real, GOOD_IE), (other, DECOY_IE)):
        folder.mkdir()
        write(folder, events, GOOD_OFF)
        if fmt != "csv":
            _as(fmt, folder)
    reference = tmp_path / "reference"
    reference.mkdir()
    write(reference, GOOD_IE, GOOD_OFF)
    if fmt != "csv":
        _as(fmt, reference)
    expected = measure(CONTRACT, load_outcomes(reference))
    result = measure(CONTRACT, load_outcomes(real))
    assert result.figures == expected.figures
    assert [f.rows for f in result.files] == [f.rows for f in expected.files]
    for file in result.files:  # the hash is of the file that was read
        path = real / file.name
        assert file.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("name", "decoy"), NAMES[:2])
def test_library_paths_with_pattern_characters_are_read_exactly(
    tmp_path: Path, name: str, decoy: str
) -> None:
    real, other = tmp_path / name, tmp_path / decoy
    for folder, events in ((real, GOOD_IE), (other, DECOY_IE)):
        folder.mkdir()
        write(folder, events, GOOD_OFF)
    data = load_outcomes(
        index_events=real / "index_events.csv", offences=real / "offences.csv"
    )
    reference = tmp_path / "reference"
    reference.mkdir()
    write(reference, GOOD_IE, GOOD_OFF)
    result = measure(CONTRACT, data)
    assert result.files[0].rows == len(GOOD_IE)
    assert result.figures == measure(CONTRACT, load_outcomes(reference)).figures


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.text(alphabet="ab1 []?*{},!-_.'\\", min_size=1, max_size=12))
def test_any_folder_name_reads_the_records_in_it(
    tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    """Fuzzing: whatever pattern characters a folder's name holds, beside folders it would
    match as a pattern, the figures are those of its own records, or (for the few names the
    reader cannot take literally, a backslash beside a pattern character) a clear refusal
    naming the file: never another folder's figures."""
    if name.strip(".") == "" or "/" in name:
        return
    base = tmp_path_factory.mktemp("names")
    real = base / name
    real.mkdir()
    write(real, GOOD_IE, GOOD_OFF)
    for decoy in ("a", "b1", "ab", "1"):  # folders a pattern in the name could match
        if not (base / decoy).exists():
            (base / decoy).mkdir()
            write(base / decoy, DECOY_IE, GOOD_OFF)
    reference = base / "reference-records"
    reference.mkdir()
    write(reference, GOOD_IE, GOOD_OFF)
    if "\\" in name:  # the reader may refuse it; it may not read another folder
        try:
            figures = measure(CONTRACT, load_outcomes(real)).figures
        except OutcomeDataError as exc:
            refused = str(exc.problems[0])
            figures = None
        if figures is None:
            assert "cannot open this path as exactly this file" in refused
            return
    else:
        figures = measure(CONTRACT, load_outcomes(real)).figures
    assert figures == measure(CONTRACT, load_outcomes(reference)).figures
