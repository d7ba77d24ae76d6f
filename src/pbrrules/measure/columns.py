"""``pbr-eval check CONTRACT --data FOLDER``: the columns a contract names, checked against the
headers of the outcome files before anything is measured.

A lawyer writes ``eligible when age between 18 and 120``; the analyst's extract calls it
``Age`` or has no such column. Measuring would stop with "missing column" naming the file; here
the problem names the contract's line that asks for the column, so the person who can fix
either side sees both. Only the headers are read (a CSV's first line, a Parquet file's schema,
a JSON Lines file's keys): checking a folder costs next to nothing, whatever its size.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

import duckdb

from pbrrules import rules
from pbrrules.errors import Diagnostic, Span
from pbrrules.measure.database import connect
from pbrrules.measure.problems import Unusable
from pbrrules.measure.schema import (
    COUNTING_TABLES,
    TableName,
    TableSchema,
    all_cohorts,
    all_measures,
    index_event_schema,
    offence_schema,
    outcome_schema,
    outcome_tables,
)
from pbrrules.measure.sources import OutcomeData
from pbrrules.measure.tables import register

TABLES: tuple[TableName, TableName] = ("index_events", "offences")


def check_columns(contract: rules.Contract, data: OutcomeData) -> list[Diagnostic]:
    """A diagnostic for each column the contract or the data standard needs that a table lacks
    (PBR302), placed at the first line of the contract that names it, and for each file that
    cannot be read at all (PBR301)."""
    found: list[Diagnostic] = []
    with connect(data) as con:
        for table in TABLES:
            source = data.source(table)
            try:
                raw = register(con, table, source)
            except Unusable as exc:
                found += [
                    Diagnostic(p.code, p.message, _header_of(p.file), help=f"expected {p.expected}")
                    for p in exc.problems
                ]
                continue
            schema = _schema(contract, table, tuple(raw.types))
            for column in schema.columns:
                if column.name not in raw.types:
                    found.append(_missing(contract, table, raw.name, column.name, list(raw.types)))
        found += _outcome_tables(con, contract, data)
    return found


def _outcome_tables(
    con: duckdb.DuckDBPyConnection, contract: rules.Contract, data: OutcomeData
) -> Iterator[Diagnostic]:
    """The outcome tables beyond offences a measure counts from: each one the data lacks
    (PBR301, at the measure), and each required column a table lacks (PBR302)."""
    for table in outcome_tables(contract):
        source = data.optional(table)
        if source is None:
            measure = next(
                m for m in all_measures(contract) if COUNTING_TABLES.get(m.counting) == table
            )
            counted = rules.COUNTING_WORDS[measure.counting]
            yield Diagnostic(
                "PBR301", f"measure '{measure.name}' counts {counted}, but the data has no "
                f"{table} table", measure.span,
                help=f"add a file {table}.csv, .jsonl or .parquet to the data folder "
                "(docs/data.md, Other outcomes)",
            )  # fmt: skip
            continue
        try:
            raw = register(con, table, source)
        except Unusable as exc:
            yield from (
                Diagnostic(p.code, p.message, _header_of(p.file), help=f"expected {p.expected}")
                for p in exc.problems
            )
            continue
        for column in outcome_schema(table, tuple(raw.types)).columns:
            if column.name not in raw.types:
                yield _missing(contract, table, raw.name, column.name, list(raw.types))


def _schema(contract: rules.Contract, table: TableName, present: tuple[str, ...]) -> TableSchema:
    if table == "index_events":
        return index_event_schema(contract, present)
    return offence_schema(contract)


def _missing(
    contract: rules.Contract, table: TableName, file: str, column: str, present: list[str]
) -> Diagnostic:
    span = next(_mentions(contract, column), None)
    asked = "this contract names" if span is not None else "the data standard requires"
    close = difflib.get_close_matches(
        column, [p.strip().lower().replace(" ", "_") for p in present], n=1, cutoff=0.8
    )
    has = f"; it has '{_original(present, close[0])}'" if close else ""
    return Diagnostic(
        "PBR302",
        f"{asked} the column '{column}' of {table}, which {file} does not have{has}",
        span or _header_of(file),
        help=f"add the column to the extract, or change the contract to name one of: "
        f"{', '.join(present[:12])}{' ...' if len(present) > 12 else ''}",
    )


def _header_of(file: str) -> Span:
    """The first line of a data file: where a problem of its columns is placed."""
    return Span(1, 1, 1, 1, file)


def _original(present: list[str], folded: str) -> str:
    return next(p for p in present if p.strip().lower().replace(" ", "_") == folded)


def _mentions(contract: rules.Contract, column: str) -> Iterator[Span]:
    """Where the contract names ``column``: conditions of cohorts, and ``grouped by``."""
    for cohort in all_cohorts(contract):
        conditions = [cohort.eligible, cohort.control_group]
        conditions += [exclusion.when for exclusion in cohort.exclusions]
        for condition in conditions:
            tests = rules.column_tests(condition)
            yield from (test.span for test in tests if test.column == column)
        if cohort.grouped_by == column:
            yield cohort.span
