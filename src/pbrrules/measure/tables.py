"""Outcome sources -> DuckDB views: a raw view per table (with row numbers) and a typed view.

The raw view shows a table as written, every column (as text for CSV and JSON Lines) plus
``_row``, the 1-based record number. The typed view reads the columns a contract needs as DATE,
DECIMAL, BOOLEAN or trimmed text; a value that cannot be read becomes NULL there, and the
checks built here (used by ``validation``) report it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, assert_never

import duckdb
from attrs import evolve, frozen

from pbrrules.measure.problems import DataProblem, Unusable, first_line
from pbrrules.measure.quote import quote_ident, quote_path, quote_text
from pbrrules.measure.schema import NO, YES, Column, TableName, TableSchema
from pbrrules.measure.sources import ArrowSource, FileSource, Source
from pbrrules.measure.text import (
    csv_scan,
    header_cells,
    repeated_names,
    unreadable_lines,
    utf16,
)

if TYPE_CHECKING:
    import pyarrow as pa

_TABLES = ("index_events", "offences", "arrests", "custody", "employment")
RAW = {t: f"raw_{t}" for t in _TABLES}
TYPED = {t: t for t in _TABLES}


@frozen
class RawTable:
    """A registered source: its view, its columns and their DuckDB types, and its row count."""

    table: TableName
    name: str
    view: str
    types: dict[str, str]
    rows: int
    #: Whether values are text as written (CSV, JSON Lines): then whitespace around them is
    #: ignored and an empty value is a missing one.
    written: bool
    #: The table function reading the file, without row numbers (for ``materialize``).
    scan: str = ""
    #: Pairs of the source's column names that differ only in capitals, or not at all
    #: (``text.repeated_names``): a contract needing one is refused (``validation``).
    repeated: tuple[tuple[str, str], ...] = ()


#: Column names pbrrules gives its own bookkeeping beside a table's columns: a source holding one
#: is refused (``_refuse_reserved``).
RESERVED_COLUMNS = frozenset({"_row", "_hash", "_bad", "file_row_number"})


def register(con: duckdb.DuckDBPyConnection, table: TableName, source: Source) -> RawTable:
    """Create the raw view of ``source``; raise ``Unusable`` when it cannot be read at all."""
    view = RAW[table]
    repeated: tuple[tuple[str, str], ...] = ()  # JSON Lines: DuckDB's reader shows no repeats
    match source:
        case FileSource(path=path, format=fmt):
            if path.stat().st_size == 0:
                raise Unusable(
                    DataProblem.file_problem(
                        table, source.name, "PBR301", "the file is empty", "a header and records"
                    )
                )
            if fmt != "parquet" and utf16(path):
                raise Unusable(
                    DataProblem.file_problem(
                        table,
                        source.name,
                        "PBR301",
                        "the file is UTF-16 text (as spreadsheets save 'Unicode Text')",
                        "UTF-8 text (a spreadsheet saves it as 'CSV UTF-8')",
                    )
                )
            literal = _exact(con, table, source.name, path)
            if fmt == "csv":
                repeated = repeated_names(header_cells(path))
                scan = csv_scan(con, table, source.name, path, literal)
                _refuse_reserved(table, source.name, _columns_of(con, scan))
                body = f"SELECT row_number() OVER () AS _row, * FROM {scan}"
            elif fmt == "jsonl":
                auto = f"read_json({literal}, format = 'newline_delimited')"
                names = _describe(con, table, source.name, f"SELECT * FROM {auto}")
                columns = ", ".join(f"{quote_text(n)}: 'VARCHAR'" for n in names)
                scan = (
                    f"read_json({literal}, format = 'newline_delimited', columns = {{{columns}}})"
                )
                _refuse_reserved(table, source.name, names)
                body = f"SELECT row_number() OVER () AS _row, * FROM {scan}"
            else:
                repeated = _parquet_repeated(con, literal)
                _refuse_reserved(table, source.name, _columns_of(con, f"read_parquet({literal})"))
                scan = f"read_parquet({literal}, file_row_number = true)"
                body = (
                    f"SELECT * EXCLUDE (file_row_number), file_row_number + 1 AS _row FROM {scan}"
                )
        case ArrowSource(table=arrow):
            arrow_name = f"arrow_{table}"
            repeated = repeated_names([str(n) for n in arrow.column_names])
            con.register(arrow_name, _plain(arrow))
            scan = arrow_name
            _refuse_reserved(table, source.name, [str(n) for n in arrow.column_names])
            body = f"SELECT row_number() OVER () AS _row, * FROM {arrow_name}"
        case _:
            assert_never(source)
    try:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS {body}")
        described = con.execute(f"DESCRIBE SELECT * FROM {view}").fetchall()
        # text formats are counted once read (``materialize``); counting now would parse twice
        written = isinstance(source, FileSource) and source.format in ("csv", "jsonl")
        rows = -1 if written else _count(con, view, source)
    except duckdb.Error as exc:
        if scan.startswith("read_csv("):
            raise Unusable(*unreadable_lines(con, table, source.name, scan, exc)) from None
        raise Unusable(
            DataProblem.file_problem(
                table,
                source.name,
                "PBR301",
                f"the file cannot be read ({first_line(exc)})",
                "a CSV, JSON Lines or Parquet file",
            )
        ) from None
    types = {str(r[0]): str(r[1]) for r in described if r[0] != "_row"}
    return RawTable(table, source.name, view, types, rows, written, scan, repeated)


def _parquet_repeated(con: duckdb.DuckDBPyConnection, literal: str) -> tuple[tuple[str, str], ...]:
    """``repeated_names`` of a Parquet file's own top-level column names (DuckDB's reader shows
    them renamed)."""
    try:
        rows = con.execute(f"SELECT name, num_children FROM parquet_schema({literal})").fetchall()
    except duckdb.Error:
        return ()  # unreadable: the reading itself reports it
    return repeated_names(_top_level([(str(n), int(c or 0)) for n, c in rows]))


def _top_level(schema: list[tuple[str, int]]) -> list[str]:
    """The top-level column names of a Parquet schema given depth first as (name, children),
    the root first."""
    names: list[str] = []
    at = 1
    for _ in range(schema[0][1] if schema else 0):
        names.append(schema[at][0])
        pending = 1
        while pending:  # skip the column and everything nested in it
            pending += schema[at][1] - 1
            at += 1
    return names


def _columns_of(con: duckdb.DuckDBPyConnection, scan: str) -> list[str]:
    """The column names a scan reads (none when it cannot be read: the reading itself reports
    that, by line where it can)."""
    try:
        return [str(r[0]) for r in con.execute(f"DESCRIBE SELECT * FROM {scan}").fetchall()]
    except duckdb.Error:
        return []


def _refuse_reserved(table: TableName, name: str, names: list[str]) -> None:
    """Refuse a source holding a column whose name pbrrules keeps for its own bookkeeping: such
    a column would stand in for the record numbers, hashes or problem flags, and change the
    figures without a word."""
    clashing = [n for n in names if n in RESERVED_COLUMNS]
    if clashing:
        raise Unusable(
            DataProblem.file_problem(
                table, name, "PBR301",
                f"the file has a column named '{clashing[0]}', a name pbrrules keeps for its own "
                "record numbers, hashes and checks",
                "no column of that name: rename or drop it (the contract cannot use it)",
                clashing[0],
            )
        )  # fmt: skip


def _exact(con: duckdb.DuckDBPyConnection, table: TableName, name: str, path: Path) -> str:
    """The SQL literal of ``path`` for DuckDB's readers, once DuckDB's own matching shows that
    it names that one file and no other (``quote_path``)."""
    literal = quote_path(path)
    try:
        rows = con.execute(f"SELECT file FROM glob({literal})").fetchall()
    except duckdb.Error:  # a backslash beside a pattern character: not a path DuckDB can join
        rows = []
    matched = [str(row[0]) for row in rows]
    if matched != [str(path)]:
        raise Unusable(
            DataProblem.file_problem(
                table, name, "PBR301",
                "the reader cannot open this path as exactly this file (its name holds "
                f"characters read as a pattern, and it matches {len(matched)} file(s))",
                "a path whose folder and file names the reader takes literally: rename the "
                "folder or file (a backslash next to [, ? or * cannot be read)",
            )
        )  # fmt: skip
    return literal


def _count(con: duckdb.DuckDBPyConnection, view: str, source: Source) -> int:
    if isinstance(source, FileSource) and source.format == "parquet":
        literal = quote_path(source.path)
        row = con.execute(f"SELECT count(*) FROM read_parquet({literal})").fetchone()
    elif isinstance(source, ArrowSource):
        return int(source.table.num_rows)
    else:
        row = con.execute(f"SELECT count(*) FROM {view}").fetchone()
    return int(row[0]) if row else 0


def _plain(table: pa.Table) -> pa.Table:
    import pyarrow as pa

    # A column of only missing values has Arrow's null type; read it as text.
    fields = [
        pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f for f in table.schema
    ]
    return table.cast(pa.schema(fields)) if fields != list(table.schema) else table


def _describe(
    con: duckdb.DuckDBPyConnection,
    table: TableName,
    name: str,
    query: str,
    expected: str = "one JSON object per line",
) -> list[str]:
    try:
        return [str(r[0]) for r in con.execute(f"DESCRIBE {query}").fetchall()]
    except duckdb.Error as exc:
        raise Unusable(
            DataProblem.file_problem(
                table,
                name,
                "PBR301",
                f"the file cannot be read ({first_line(exc)})",
                expected,
            )
        ) from None


# ------------------------------------------------------------------------------------------------
# Typed columns and their checks


@frozen
class TypedColumn:
    """How one column is read (``expr``) and what makes one of its values a problem."""

    column: Column
    expr: str
    missing: str
    unreadable: str
    not_allowed: str | None
    out_of_range: str | None


def _is_text(db_type: str) -> bool:
    return db_type == "VARCHAR"


def typed_column(column: Column, db_type: str, written: bool = True) -> TypedColumn:
    """The reading of ``column`` from a raw column of DuckDB type ``db_type``; ``written`` text
    is trimmed and an empty value is missing."""
    raw = quote_ident(column.name)
    if not _is_text(db_type):
        text = f"CAST({raw} AS VARCHAR)"
    elif written:
        # trim() copies every value, and most have no space around them: test first
        spaced = f"{raw} LIKE ' %' OR {raw} LIKE '% '"
        text = f"NULLIF(CASE WHEN {spaced} THEN trim({raw}) ELSE {raw} END, '')"
    else:
        text = f"NULLIF({raw}, '')"
    # a typed value is present when it is not NULL: no need to write it out as text to ask
    present = f"{text} IS NOT NULL" if _is_text(db_type) else f"{raw} IS NOT NULL"
    not_allowed = None
    out_of_range = None
    match column.kind:
        case "date":
            if db_type == "DATE":
                expr = raw
            elif db_type.startswith("TIMESTAMP"):
                expr = f"CAST({raw} AS DATE)"
            else:
                expr = f"TRY_CAST({text} AS DATE)"
        case "number":
            decimal = f"DECIMAL(18, {column.places})"
            if _is_text(db_type):
                # plain decimals only: no exponent, no more places than kept (no silent rounding)
                dot = f"strpos({text}, '.')"
                expr = (
                    f"CASE WHEN strpos(lower({text}), 'e') = 0 AND "
                    f"({dot} = 0 OR length({text}) - {dot} <= {column.places}) "
                    f"THEN TRY_CAST({text} AS {decimal}) END"
                )
            else:
                expr = f"TRY_CAST({raw} AS {decimal})"
            if column.low is not None and column.high is not None:
                out_of_range = f"({expr} < {column.low} OR {expr} > {column.high})"
        case "yes/no":
            if db_type == "BOOLEAN":
                expr = raw
            else:
                yes = ", ".join(quote_text(v) for v in YES)
                no = ", ".join(quote_text(v) for v in NO)
                lowered = f"lower({text})"
                expr = (
                    f"CASE WHEN {lowered} IN ({yes}) THEN TRUE "
                    f"WHEN {lowered} IN ({no}) THEN FALSE END"
                )
        case "quarter":
            expr = _quarter(raw if not _is_text(db_type) else text, db_type)
        case "text" | "category":
            # typed text that must be present (or one of a list): an empty value is reported
            # anyway, so the column is used as it is (no string copies on the hot path)
            as_is = not written and _is_text(db_type) and (column.required or column.allowed)
            expr = raw if as_is else text
            if column.kind == "category":
                allowed = ", ".join(quote_text(v) for v in column.allowed)
                not_allowed = f"({expr} NOT IN ({allowed}))"
                if column.near_miss_of:
                    # a CASE, so that only the rare values not allowed pay for the edit distances
                    not_allowed = (
                        f"(CASE WHEN {expr} IN ({allowed}) THEN FALSE "
                        f"ELSE ({_near_miss(expr, column)}) END)"
                    )
        case _:
            assert_never(column.kind)
    if not column.required:
        missing = "FALSE"
    elif _is_text(db_type):
        missing = f"({text} IS NULL)"
    else:
        missing = f"({raw} IS NULL)"
    # a typed value used as it is (or a timestamp's date) is never unreadable
    never = expr == raw or expr == f"CAST({raw} AS DATE)"
    unreadable = "FALSE" if never and not _is_text(db_type) else f"({present} AND ({expr}) IS NULL)"
    return TypedColumn(column, expr, missing, unreadable, not_allowed, out_of_range)


def _quarter(value: str, db_type: str) -> str:
    """A calendar quarter as its first day: ``2018-Q3`` or ``2018-07-01`` (a date that is no
    quarter's first day is unreadable: a wage record is for a whole quarter)."""
    if db_type == "DATE":
        day = value
    elif db_type.startswith("TIMESTAMP"):
        day = f"CAST({value} AS DATE)"
    else:
        text = value if _is_text(db_type) else f"CAST({value} AS VARCHAR)"
        day = (
            f"(CASE WHEN regexp_full_match({text}, '[0-9]{{4}}-Q[1-4]') THEN "
            f"make_date(CAST(substr({text}, 1, 4) AS INTEGER), "
            f"3 * CAST(substr({text}, 7, 1) AS INTEGER) - 2, 1) "
            f"ELSE TRY_CAST({text} AS DATE) END)"
        )
    return f"(CASE WHEN day({day}) = 1 AND month({day}) IN (1, 4, 7, 10) THEN {day} END)"


def near_miss_edits(word: str) -> int:
    """How many edits (Levenshtein) away from a counted type a value is taken for a typo of it:
    two from six letters on (``cautoin``), one for a shorter word, none (case only) under
    four letters."""
    return 0 if len(word) < 4 else 1 if len(word) < 6 else 2


def _near_miss(expr: str, column: Column) -> str:
    """True for a value within a few edits of a type the contract counts (``convction``,
    ``Conviction``): it is not one of them, so it would silently count nothing."""
    lowered = f"lower({expr})"
    return " OR ".join(
        f"levenshtein({lowered}, {quote_text(word)}) <= {near_miss_edits(word)}"
        for word in column.near_miss_of
    )


def typed_columns(schema: TableSchema, raw: RawTable) -> list[TypedColumn]:
    """The typed reading of every schema column present in ``raw``."""
    return [
        typed_column(c, raw.types[c.name], raw.written)
        for c in schema.columns
        if c.name in raw.types
    ]


READ = {t: f"read_{t}" for t in _TABLES}


def problem_condition(columns: list[TypedColumn], extra: list[str]) -> str:
    """True for a row with any value problem (the checks of ``validation.check_values``)."""
    parts = [c.missing for c in columns] + [c.unreadable for c in columns]
    parts += [c.not_allowed for c in columns if c.not_allowed]
    parts += [c.out_of_range for c in columns if c.out_of_range]
    parts += [f"({e})" for e in extra]
    return " OR ".join(f"COALESCE({p}, FALSE)" for p in parts) or "FALSE"


def _stored(raw: RawTable, column: TypedColumn) -> str:
    """How ``materialize`` stores a typed column: an offence category as an ENUM of its allowed
    values (one byte rather than a string; a value not allowed is a problem of its row, which is
    never measured, and is NULL here). Offence categories are only tested for being one of some
    values, which an ENUM answers as text would."""
    c = column.column
    if raw.table == "offences" and c.kind == "category" and c.allowed:
        allowed = ", ".join(quote_text(v) for v in c.allowed)
        return f"TRY_CAST({column.expr} AS ENUM({allowed}))"
    return column.expr


def drop_checks(con: duckdb.DuckDBPyConnection, read: str) -> None:
    """Drop the problem flags and row hashes of a materialized table once checked."""
    con.execute(f"ALTER TABLE {read}_rows DROP COLUMN _bad")
    con.execute(f"ALTER TABLE {read}_rows DROP COLUMN _hash")


def materialize(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    columns: list[TypedColumn],
    extra: list[str],
    ordered: bool = True,
) -> tuple[str, RawTable]:
    """Read a text-format table (CSV, JSON Lines) once into a temp table of its typed columns,
    ``_bad`` (any value problem) and ``_hash`` (of the whole row, to find repeated rows), so
    that checks and measurement do not parse the file again. Returns the table's name and the
    raw table with its row count.

    ``ordered``: the table keeps the file's order (DuckDB preserves insertion order), so its
    ``_row`` (rowid + 1) is the record's position: cheaper than numbering rows while reading,
    which serialises the scan. Otherwise rows go in as the parallel readers finish (about 15%
    faster) and ``_row`` only tells records apart: enough while no problem is reported by row
    and no figure depends on the order of rows."""
    name = READ[raw.table]
    typed = ", ".join(f"{_stored(raw, c)} AS {quote_ident(c.column.name)}" for c in columns)
    hashed = f"hash({', '.join(quote_ident(n) for n in raw.types)})"
    if not ordered:
        con.execute("SET preserve_insertion_order = false")
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {name}_rows AS SELECT {typed}, "
            f"{problem_condition(columns, extra)} AS _bad, {hashed} AS _hash FROM {raw.scan}"
        )
    except duckdb.Error as exc:
        raise Unusable(*unreadable_lines(con, raw.table, raw.name, raw.scan, exc)) from None
    finally:
        if not ordered:
            con.execute("RESET preserve_insertion_order")
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT rowid + 1 AS _row, * FROM {name}_rows"
    )
    counted = con.execute(f"SELECT count(*) FROM {name}").fetchone()
    return name, evolve(raw, rows=int(counted[0]) if counted else 0)


def drop_read(con: duckdb.DuckDBPyConnection, read: str) -> None:
    """Drop a materialized table (``materialize``) and the views reading it, freeing its memory."""
    for table, name in READ.items():
        if name == read:
            con.execute(f"DROP VIEW IF EXISTS {TYPED[table]}")
    con.execute(f"DROP VIEW IF EXISTS {read}")
    con.execute(f"DROP TABLE IF EXISTS {read}_rows")


def create_typed_view(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    columns: list[TypedColumn],
    rejected: str | None,
    read: str | None = None,
) -> None:
    """``CREATE VIEW <table>``: ``_row`` and each column read as its type (from the ``read``
    table when the source was materialized), without the rows in the ``rejected`` table (a
    table of ``_row`` numbers), if given."""
    if read is None:
        select = ", ".join(f"{c.expr} AS {quote_ident(c.column.name)}" for c in columns)
        source = raw.view
    else:
        select = ", ".join(quote_ident(c.column.name) for c in columns)
        source = read
    where = f" WHERE _row NOT IN (SELECT _row FROM {rejected})" if rejected else ""
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {TYPED[raw.table]} AS "
        f"SELECT _row, {select} FROM {source}{where}"
    )
