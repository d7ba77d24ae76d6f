"""Problems found in outcome records: what, where (file, row, column) and what was expected.

Codes (documented in docs/data.md):

- PBR301 a file is missing, empty, ambiguous or unreadable
- PBR302 a column is missing
- PBR303 a value is missing or cannot be read (date, number, yes/no)
- PBR304 a value is not one of the allowed categories
- PBR305 a number is out of range
- PBR306 a disposal before its offence
- PBR307 an offence for an offender with no index event
- PBR308 a row repeated exactly
- PBR309 two index events of one offender on one date in one cohort
- PBR310 a record dated after the extract date given with the run or stated by the folder
- PBR311 the data folder's extract.json cannot be read
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from attrs import frozen

from pbrrules.errors import OutcomeDataError
from pbrrules.files import write_atomically

#: How many problems an error lists in full; the rest are counted.
LISTED = 300

TITLES = {
    "PBR301": "unusable file",
    "PBR302": "missing column",
    "PBR303": "bad value",
    "PBR304": "unknown category",
    "PBR305": "value out of range",
    "PBR306": "disposal before offence",
    "PBR307": "offence for an unknown offender",
    "PBR308": "duplicate row",
    "PBR309": "duplicate index event",
    "PBR310": "dated after the extract date",
    "PBR311": "unreadable extract file",
    "PBR312": "custody spell ends before it starts",
}


@frozen
class DataProblem:
    """One problem in the outcome records.

    ``row`` is the 1-based number of the data record in its file (the header is not a record);
    ``column`` is None for problems of a whole file or row.
    """

    code: str
    table: str
    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    expected: str

    @classmethod
    def file_problem(
        cls,
        table: str,
        file: str,
        code: str,
        message: str,
        expected: str,
        column: str | None = None,
    ) -> DataProblem:
        """A problem of a whole file (or of a column of it), not of one row."""
        return cls(code, table, file, None, column, None, message, expected)

    def render(self) -> str:
        """``offences.csv, row 12, column disposal_date: error[PBR303] bad value '2015-02-30':
        expected a date written YYYY-MM-DD``."""
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        value = f" {self.value!r}" if self.value is not None else ""
        return (
            f"{', '.join(where)}: error[{self.code}]: {self.message}{value}; "
            f"expected {self.expected}"
        )

    def to_json(self) -> dict[str, object]:
        """The problem as a JSON-ready mapping."""
        return {
            "code": self.code,
            "table": self.table,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "expected": self.expected,
        }


def data_error(problems: Sequence[DataProblem], total: int | None = None) -> OutcomeDataError:
    """The error a run with invalid records stops with: the first ``LISTED`` problems, and a
    count of the rest. ``total`` is the number of problems found, when more were not fetched."""
    total = max(total or 0, len(problems))
    listed = sorted(problems, key=_order)[:LISTED]
    lines = [f"{total} problem(s) in the outcome records; nothing was paid:"]
    lines += ["  " + p.render() for p in listed]
    if total > len(listed):
        lines.append(f"  ... and {total - len(listed)} more")
    return OutcomeRecordsError(listed, total, "\n".join(lines))


class OutcomeRecordsError(OutcomeDataError):
    """Invalid outcome records stopped a run. ``problems`` holds the first ``LISTED`` problems
    (typed ``DataProblem`` records), ``total`` the number found."""

    problems: tuple[DataProblem, ...]

    def __init__(self, problems: Sequence[DataProblem], total: int, message: str):
        super().__init__(problems, message)
        self.total = total


def _order(problem: DataProblem) -> tuple[int, str, int, str, str]:
    table = 0 if problem.table == "index_events" else 1
    return (table, problem.file, problem.row or 0, problem.column or "", problem.code)


REJECT_COLUMNS = ("table", "file", "row", "code", "column", "value", "reason")


def write_rejects(path: str | Path, problems: Iterable[DataProblem]) -> None:
    """Write every rejected record with its reason as CSV, atomically (all or nothing)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REJECT_COLUMNS)
    for p in sorted(problems, key=_order):
        reason = f"{p.message}; expected {p.expected}"
        cells = [p.table, p.file, p.row, p.code, p.column or "", p.value or "", reason]
        writer.writerow([_inert(cell) for cell in cells])
    write_atomically(Path(path), buffer.getvalue())


def _inert(cell: object) -> object:
    """A text cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, or a tab or
    carriage return first) behind an apostrophe, so that opening the rejects file runs
    nothing a record held; numbers stay numbers."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


def first_line(exc: BaseException) -> str:
    """The first line of an error's message (DuckDB's go on with hints), or its type's name."""
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


class Unusable(Exception):
    """A source that cannot be read at all; carries its problems (the first ``LISTED``, of
    ``total``): one for the file, or one per line a CSV reader cannot read."""

    def __init__(self, problems: DataProblem | list[DataProblem], total: int | None = None):
        self.problems = problems if isinstance(problems, list) else [problems]
        self.total = max(total or 0, len(self.problems))
        super().__init__(self.problems[0].render())
