"""Where outcome records come from: files (CSV, JSON Lines, Parquet) or records held in memory.

Loading only finds and describes the inputs; nothing is read until a measurement runs, and inputs
are never modified. Files are hashed (SHA-256) so a payment statement can name exactly what it
was computed from.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, assert_never

from attrs import frozen

from pbrrules.errors import OutcomeDataError
from pbrrules.figures import AsOf
from pbrrules.measure.extract import read_extract_file
from pbrrules.measure.impacts import ImpactRow, read_impacts
from pbrrules.measure.problems import LISTED, DataProblem
from pbrrules.measure.schema import (
    INDEX_EVENT_COLUMNS,
    OFFENCE_COLUMNS,
    OUTCOME_COLUMNS,
    OUTCOME_TABLES,
    TableName,
)

if TYPE_CHECKING:  # pyarrow is imported only when records come from memory (start-up time)
    import pyarrow as pa

FileFormat = Literal["csv", "jsonl", "parquet"]
SUFFIXES: dict[str, FileFormat] = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}


@frozen
class FileSource:
    """A table held in a file."""

    path: Path
    format: FileFormat

    @property
    def name(self) -> str:
        """How messages name this input: the file's path as given."""
        return str(self.path)


@frozen(eq=False)
class ArrowSource:
    """A table held in memory as an Arrow table (records from a calling service)."""

    table: pa.Table
    name: str


Source = FileSource | ArrowSource


@frozen
class OutcomeData:
    """The two tables of outcome records a measurement reads, and the extract date the data
    folder states (``extract.json``), if it states one."""

    index_events: Source
    offences: Source
    extract: AsOf | None = None
    #: The optional tables of outcomes beyond offences (docs/data.md, "Other outcomes"): read
    #: only when a measure counts from them.
    arrests: Source | None = None
    custody: Source | None = None
    employment: Source | None = None
    #: The evaluator's impact estimates (the folder's impacts.csv), if it has any.
    impacts: tuple[ImpactRow, ...] = ()

    def source(self, table: TableName) -> Source:
        """The source of ``table`` (index events or offences)."""
        found = self.optional(table)
        assert found is not None, table
        return found

    def optional(self, table: TableName) -> Source | None:
        """The source of ``table``, None for an outcome table the data does not have."""
        match table:
            case "index_events":
                return self.index_events
            case "offences":
                return self.offences
            case "arrests":
                return self.arrests
            case "custody":
                return self.custody
            case "employment":
                return self.employment
            case _:
                assert_never(table)


@frozen
class DataFile:
    """One input as a statement names it: table, where it came from, rows read, SHA-256."""

    table: TableName
    name: str
    format: str
    rows: int
    sha256: str | None


TableInput: TypeAlias = "str | Path | pa.Table | Iterable[Mapping[str, Any]]"


def load_outcomes(
    folder: str | Path | None = None,
    *,
    index_events: TableInput | None = None,
    offences: TableInput | None = None,
    arrests: TableInput | None = None,
    custody: TableInput | None = None,
    employment: TableInput | None = None,
) -> OutcomeData:
    """Find the outcome tables: ``folder/index_events.*`` and ``folder/offences.*``, or each given
    as a file path, an Arrow table, any object with ``__arrow_c_stream__`` (a pandas or Polars
    DataFrame), or a sequence of mappings (one per record). The tables of other outcomes
    (``arrests``, ``custody``, ``employment``) are optional: found in the folder when there, or
    given the same ways; a measurement reads one only when a measure counts from it.

    Raises ``OutcomeDataError`` when a file is missing, ambiguous or of an unknown format, or
    when the folder's ``extract.json`` cannot be read (PBR311).
    """
    found: dict[TableName, Source] = {}
    problems: list[DataProblem] = []
    extract = None
    if folder is not None:
        extract, problems = read_extract_file(Path(folder))
    for table, given in (("index_events", index_events), ("offences", offences)):
        name: TableName = "index_events" if table == "index_events" else "offences"
        if given is None:
            if folder is None:
                problems.append(
                    DataProblem.file_problem(
                        name,
                        name,
                        "PBR301",
                        "no input given for this table",
                        f"a file {name}.csv, .jsonl or .parquet, or records",
                    )
                )
                continue
            source = _find_in_folder(Path(folder), name, problems)
        else:
            source = _source_of(name, given, problems)
        if source is not None:
            found[name] = source
    given_outcomes = {"arrests": arrests, "custody": custody, "employment": employment}
    for outcome in OUTCOME_TABLES:
        given = given_outcomes[outcome]
        if given is not None:
            source = _source_of(outcome, given, problems)
        elif folder is not None and any(_candidates(Path(folder), outcome)):
            source = _find_in_folder(Path(folder), outcome, problems)
        else:
            continue
        if source is not None:
            found[outcome] = source
    if problems:
        raise OutcomeDataError(problems, problems[0].render())
    impacts = read_impacts(Path(folder)) if folder is not None else ()
    return OutcomeData(
        found["index_events"],
        found["offences"],
        extract,
        arrests=found.get("arrests"),
        custody=found.get("custody"),
        employment=found.get("employment"),
        impacts=impacts,
    )


def _candidates(folder: Path, table: TableName) -> list[Path]:
    """The files of ``folder`` named ``table`` with a data file's suffix."""
    return sorted(p for p in folder.glob(f"{table}.*") if p.suffix.lower() in SUFFIXES)


def not_a_regular_file(path: Path) -> str | None:
    """Why ``path`` cannot be read as a data file, or None for a regular file (through links).

    Checked before anything reads it: a folder or a link loop ended the run in an internal
    error, and a pipe or a device (``/dev/zero``) kept the hashing and the reader going for
    ever. ``os.stat`` never blocks, even on a pipe."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return "no such file" if exc.errno == errno.ENOENT else (exc.strerror or str(exc))
    if stat.S_ISDIR(mode):
        return "a folder, not a file"
    if not stat.S_ISREG(mode):
        return "not a regular file (a device or a pipe)"
    return None


def _file_source(
    table: TableName, path: Path, fmt: FileFormat, problems: list[DataProblem]
) -> Source | None:
    """The file at ``path``, or None with a problem when it is not a regular file."""
    reason = not_a_regular_file(path)
    if reason is None:
        return FileSource(path, fmt)
    problems.append(
        DataProblem.file_problem(table, str(path), "PBR301", reason, "an existing file")
    )
    return None


def _find_in_folder(folder: Path, table: TableName, problems: list[DataProblem]) -> Source | None:
    matches = _candidates(folder, table)
    if len(matches) == 1:
        return _file_source(table, matches[0], SUFFIXES[matches[0].suffix.lower()], problems)
    where = str(folder / f"{table}.*")
    if not matches:
        problems.append(
            DataProblem.file_problem(
                table, where, "PBR301", "no such file", "a file .csv, .jsonl or .parquet"
            )
        )
    else:
        names = ", ".join(p.name for p in matches)
        problems.append(
            DataProblem.file_problem(
                table, where, "PBR301", f"more than one file ({names})", "exactly one file"
            )
        )
    return None


def _source_of(table: TableName, given: TableInput, problems: list[DataProblem]) -> Source | None:
    if isinstance(given, str | Path):
        path = Path(given)
        fmt = SUFFIXES.get(path.suffix.lower())
        if fmt is None:
            problems.append(
                DataProblem.file_problem(
                    table, str(path), "PBR301", "unknown file format", ".csv, .jsonl or .parquet"
                )
            )
            return None
        return _file_source(table, path, fmt, problems)
    import pyarrow as pa

    if isinstance(given, pa.Table):
        return ArrowSource(given, f"<{table} records>")
    if hasattr(given, "__arrow_c_stream__"):
        # a pandas or Polars DataFrame, a DuckDB relation, any Arrow stream (PyCapsule
        # interface): read as the Arrow table it streams, never iterated (which would give
        # its column names)
        return ArrowSource(pa.table(given), f"<{table} records>")
    records = list(given)  # a generator is read once
    strays = [i for i, r in enumerate(records, start=1) if not isinstance(r, Mapping)]
    for row in strays[:LISTED]:
        problems.append(
            DataProblem(
                "PBR301",
                table,
                f"<{table} records>",
                row,
                None,
                None,
                f"not a record ({type(records[row - 1]).__name__})",
                "a mapping of column names to values",
            )
        )
    if strays:
        return None
    arrow = records_to_arrow(records)
    if arrow.num_columns == 0:
        standard = {"index_events": INDEX_EVENT_COLUMNS, "offences": OFFENCE_COLUMNS}.get(
            table
        ) or OUTCOME_COLUMNS[table]
        arrow = pa.table({c.name: pa.array([], pa.string()) for c in standard})
    return ArrowSource(arrow, f"<{table} records>")


def records_to_arrow(records: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Plain records (mappings of column to value) as an Arrow table; a column takes the type of
    its values, and one with mixed types is read as text (then checked like a CSV column)."""
    import pyarrow as pa

    # column names as text, whatever the caller's keys are
    plain = [{str(k): v for k, v in record.items()} for record in records]
    names: dict[str, None] = {}
    for record in plain:
        names.update(dict.fromkeys(record))
    columns: dict[str, pa.Array] = {}
    for name in names:
        values = [record.get(name) for record in plain]
        try:
            columns[name] = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            columns[name] = pa.array([None if v is None else str(v) for v in values], pa.string())
    return pa.table(columns) if columns else pa.table({})


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes (``hashlib.file_digest`` reads into one reused buffer:
    about 1.4 GB/s here against 1.1 GB/s for a loop over 1 MiB chunks)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
