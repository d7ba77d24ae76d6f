"""Reading text files (CSV): the scan with its columns named once, and, when the reader stops
in a file, every line it cannot read, in the reader's words made plain (PBR301)."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import duckdb

from pbrrules.measure.problems import LISTED, DataProblem, Unusable, first_line
from pbrrules.measure.quote import quote_text
from pbrrules.measure.schema import TableName

_CSV = "header = true, delim = ',', quote = '\"', escape = '\"', null_padding = false"


def csv_scan(
    con: duckdb.DuckDBPyConnection, table: TableName, name: str, path: Path, literal: str
) -> str:
    """``read_csv`` of a file as text, with its columns named: the header is read once here,
    so that the queries reading the file later do not each detect its layout again."""
    names = _plain_header(path)
    if names is None:
        # DuckDB's reader names what is not plain (repeated or blank names, quotes, spaces)
        sniffed = f"read_csv({literal}, all_varchar = true, {_CSV})"
        try:
            names = [str(r[0]) for r in con.execute(f"DESCRIBE SELECT * FROM {sniffed}").fetchall()]
        except duckdb.Error as exc:
            raise Unusable(*unreadable_lines(con, table, name, sniffed, exc)) from None
    columns = ", ".join(f"{quote_text(n)}: 'VARCHAR'" for n in names)
    return f"read_csv({literal}, auto_detect = false, {_CSV}, columns = {{{columns}}})"


def repeated_names(names: list[str]) -> tuple[tuple[str, str], ...]:
    """Each pair of column names that a reader cannot tell apart (equal, or equal but for
    capitals, as SQL compares names), blank names aside: DuckDB renames the second (``BREACH``
    beside ``breach`` is read as ``BREACH_1``), so a contract naming it would silently read the
    first. ``validation.check_columns`` refuses a pair the contract needs."""
    seen: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    for name in names:
        key = name.strip().casefold()
        if not key:
            continue
        if key in seen:
            pairs.append((seen[key], name))
        else:
            seen[key] = name
    return tuple(pairs)


def header_cells(path: Path) -> list[str]:
    """The cells of a CSV file's first line as the csv module reads them (none if unreadable)."""
    limit = 1 << 20
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            line = handle.readline(limit)
        return next(csv.reader([line]), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return []


def utf16(path: Path) -> bool:
    """Whether a text file starts with a UTF-16 byte order mark."""
    with path.open("rb") as handle:
        return handle.read(2) in (b"\xff\xfe", b"\xfe\xff")


def _plain_header(path: Path) -> list[str] | None:
    """The column names of a CSV file's first line when they are plain (distinct whatever their
    capitals, unquoted,
    without spaces around them), else None. Reading them here costs nothing; asking DuckDB's
    reader to detect them costs a sniff of the file (about 0.02 s)."""
    limit = 1 << 16
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            line = handle.readline(limit)
    except (OSError, UnicodeDecodeError):
        return None
    if len(line) >= limit and not line.endswith("\n"):
        return None  # a header too long to be plain
    names = line.rstrip("\r\n").split(",")
    plain = all(n and n == n.strip() and '"' not in n for n in names)
    distinct = len({n.casefold() for n in names}) == len(names)
    return names if plain and distinct else None


_LINE_ERRORS = {
    "TOO MANY COLUMNS": "has more values than the header names columns (a value holding a "
    "comma must be quoted)",
    "MISSING COLUMNS": "has fewer values than the header names columns",
    "UNQUOTED VALUE": "opens a quoted value that is never closed",
    "INVALID ENCODING": "is not UTF-8 text",
    "LINE SIZE OVER MAXIMUM": "is longer than the reader allows",
}


def unreadable_lines(
    con: duckdb.DuckDBPyConnection, table: TableName, name: str, scan: str, exc: duckdb.Error
) -> tuple[list[DataProblem], int]:
    """Every line of a CSV file the reader cannot read (read again, keeping DuckDB's rejected
    lines aside), or the one problem its error names when that fails."""
    found = _rejected_lines(con, scan) if scan.startswith("read_csv(") else None
    if found is None:
        return [unreadable_text(table, name, exc)], 1
    lines, total = found
    problems = [
        DataProblem.file_problem(
            table,
            name,
            "PBR301",
            f"line {line} {_LINE_ERRORS.get(kind, f'cannot be read ({message})')}: "
            f"{(str(text).strip().splitlines() or [''])[0][:120]}",
            "a CSV file with a header and one value per column on every line, in UTF-8",
        )
        for line, kind, text, message in lines
    ]
    return problems, total


def _rejected_lines(
    con: duckdb.DuckDBPyConnection, scan: str
) -> tuple[list[tuple[Any, ...]], int] | None:
    """The first ``LISTED`` (line, kind, text, message) the CSV reader of ``scan`` rejects, one
    per line and kind (a line missing two values once), and how many there are; None if the
    reader finds none or fails even so."""
    cursor = con.cursor()  # its own rejected-lines tables
    try:
        cursor.execute(f"SELECT count(*) FROM {scan[:-1]}, store_rejects = true)").fetchall()
        lines = cursor.execute(
            "SELECT line, CAST(error_type AS VARCHAR) AS kind, min(csv_line), min(error_message) "
            f"FROM reject_errors GROUP BY line, kind ORDER BY line, kind LIMIT {LISTED}"
        ).fetchall()
        counted = cursor.execute(
            "SELECT count(*) FROM (SELECT DISTINCT line, error_type FROM reject_errors)"
        ).fetchone()
    except duckdb.Error:
        return None
    finally:
        cursor.close()
    return (lines, int(counted[0])) if lines and counted else None


def unreadable_text(table: TableName, name: str, exc: duckdb.Error) -> DataProblem:
    """The problem of a text file the reader stopped in (a line with too many or too few
    values, a quote never closed, bytes that are not UTF-8, malformed JSON): where and why,
    in the reader's words made plain."""
    text = str(exc)
    line = re.search(r"CSV Error on Line: (\d+)", text)
    counts = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    written = re.search(r"Original Line: (.*)", text)
    if line and counts:
        why = (
            f"line {line[1]} has {counts[2]} values where the header names {counts[1]} "
            "columns (a value holding a comma must be quoted)"
        )
    elif line and "unterminated quote" in text:
        why = f"a quoted value opened on line {line[1]} is never closed"
    elif line and "utf-8" in text.lower():
        why = f"line {line[1]} is not UTF-8 text"
    elif line:
        why = f"line {line[1]} cannot be read ({first_line(exc)})"
    else:
        why = first_line(exc).removeprefix("Invalid Input Error: ")
    if written and written[1].strip() and counts:
        why += f": {written[1].strip()[:120]}"
    return DataProblem.file_problem(
        table,
        name,
        "PBR301",
        f"the file cannot be read: {why}",
        "a CSV file with a header and one value per column on every line (UTF-8), or one "
        "JSON object per line",
    )
