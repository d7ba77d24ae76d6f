"""Whatever a spreadsheet or an export script does to outcome files, measuring answers with data
problems (file, line or row, column), never a crash.

Random mutations of valid CSV and JSON Lines files (bytes, lines and cells deleted, repeated,
swapped or replaced; separators, quotes and line ends changed; random unicode; files cut short)
either measure or raise ``OutcomeDataError`` naming the file; with ``reject_invalid`` they
measure, or stop only for a whole file that cannot be read.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.measure.test_validation import CONTRACT, GOOD_IE, GOOD_OFF, IE_HEADER, OFF_HEADER

from pbrrules.errors import OutcomeDataError
from pbrrules.measure import OutcomeRecordsError, load_outcomes, measure

SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
FILES = {
    "index_events": "\n".join([IE_HEADER, *GOOD_IE, GOOD_IE[0].replace("a,", "d,", 1)]) + "\n",
    "offences": "\n".join([OFF_HEADER, *GOOD_OFF, GOOD_OFF[0].replace("2015-12-01", "2015-12-02")])
    + "\n",
}
NOISE = ["", ",", ";", "\t", '"', '""', "\r", "\n", "\r\n", " ", "é", "\ufeff", "\x00", "x" * 300,
         "1e5", "-1", "2015-02-30", "yes", "NULL", "9" * 40, "ﬁ", "\u2028", "😀",
         # pbrrules' own column names, as a header cell: refused, never used as data
         "_row", "_hash", "_bad", "file_row_number"]


@st.composite
def mutated_text(draw: st.DrawFn, text: str) -> bytes:
    """``text`` after one to three random edits, as bytes (possibly not UTF-8)."""
    for _ in range(draw(st.integers(1, 3))):
        lines = text.split("\n")
        kind = draw(
            st.sampled_from(["line", "cell", "insert", "cut", "swap", "repeat", "separator"])
        )
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "line":
            lines[i] = draw(st.sampled_from(NOISE)) + draw(st.text(max_size=20))
        elif kind == "cell":
            cells = lines[i].split(",")
            j = draw(st.integers(0, len(cells) - 1))
            cells[j] = draw(st.sampled_from(NOISE) | st.text(max_size=12))
            lines[i] = ",".join(cells)
        elif kind == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.sampled_from(NOISE)) + lines[i][at:]
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "repeat":
            lines.insert(i, lines[i])
        elif kind == "separator":
            lines[i] = lines[i].replace(",", draw(st.sampled_from([";", "\t", ",,", '","'])))
        text = "\n".join(lines)
        if kind == "cut":
            text = text[: draw(st.integers(0, len(text)))]
    data = text.encode("utf-8")
    if draw(st.booleans()) and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xfe\xff", b""])) + data[at:]
    return data


def _jsonl(csv_text: str) -> str:
    header, *rows = csv_text.strip("\n").split("\n")
    names = header.split(",")
    return "".join(json.dumps(dict(zip(names, r.split(","), strict=False))) + "\n" for r in rows)


@SETTINGS
@given(
    table=st.sampled_from(["index_events", "offences"]),
    fmt=st.sampled_from(["csv", "jsonl"]),
    reject=st.booleans(),
    data=st.data(),
)
def test_mutated_outcome_files_give_data_problems_never_a_crash(
    table: str, fmt: str, reject: bool, data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in FILES.items():
            body = _jsonl(text) if fmt == "jsonl" else text
            if name == table:
                (folder / f"{name}.{fmt}").write_bytes(data.draw(mutated_text(body)))
            else:
                (folder / f"{name}.{fmt}").write_text(body, encoding="utf-8")
        try:
            measure(CONTRACT, load_outcomes(folder), reject_invalid=reject)
        except OutcomeRecordsError as error:
            assert error.problems
            for problem in error.problems:
                assert Path(problem.file).name.startswith(("index_events.", "offences."))
                assert problem.code.startswith("PBR3")
        except OutcomeDataError as error:  # a file missing or ambiguous, named in the message
            assert str(error)
