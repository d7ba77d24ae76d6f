"""The checks every table of outcome records goes through, written once for both tables.

A table is read (a text file into a typed copy), scanned once for three quick counts (values
with problems, repeated rows, offences of unknown offenders), checked in detail only where a
count is not zero, and then seen through a typed view without its rejected rows. The engine
(``engine``) decides when each table takes each step; this module says what a step does.
"""

from __future__ import annotations

from typing import NamedTuple

import duckdb
from attrs import define

from pbrrules.measure import validation
from pbrrules.measure.problems import DataProblem, Unusable, data_error
from pbrrules.measure.quote import quote_ident
from pbrrules.measure.schema import TableName
from pbrrules.measure.tables import (
    RawTable,
    TypedColumn,
    create_typed_view,
    materialize,
    problem_condition,
)


class RowCheck(NamedTuple):
    """A check of a row beyond its single values: the failing ``condition`` (SQL) and the
    problem it is reported as."""

    condition: str
    code: str
    column: str
    message: str
    expected: str


class QuickCounts(NamedTuple):
    """One scan's counts: rows with value problems, surplus rows repeating a row hash, and
    offences whose offender has no index event. The detailed checks run only where not zero."""

    bad: int
    repeated: int
    strangers: int

    @classmethod
    def of(cls, rows: list[tuple[object, ...]]) -> QuickCounts:
        """The counts from ``validation.quick_counts_sql``'s one row."""
        return cls(*validation.counts_of(rows))


@define
class TableCheck:
    """One table of the data standard on its way through the checks: its registered source
    (``raw``), how each column is read, its row checks, and, once a text file is read, the name
    of its typed copy (``read``)."""

    raw: RawTable
    columns: list[TypedColumn]
    row_checks: list[RowCheck]
    read: str | None = None

    @property
    def table(self) -> TableName:
        return self.raw.table

    def column(self, name: str) -> TypedColumn:
        """How the column ``name`` is read."""
        return next(c for c in self.columns if c.column.name == name)

    def read_text(self, con: duckdb.DuckDBPyConnection, ordered: bool) -> None:
        """Read a text file (CSV, JSON Lines) once into a typed copy (``materialize``); a file
        the reader stops in stops the run, naming its lines. Nothing to do for other sources."""
        if not self.raw.written:
            return
        conditions = [check.condition for check in self.row_checks]
        try:
            self.read, self.raw = materialize(con, self.raw, self.columns, conditions, ordered)
        except Unusable as exc:
            raise data_error(exc.problems, exc.total) from None

    def relation(self, unknown: str | None = None, source: str | None = None) -> str:
        """What the quick counts scan: a row hash ``h``, a problem flag ``bad`` and, for
        offences, whether the offender is ``unknown``; from the typed copy, the raw view, or
        the given ``source`` (a scan of the file itself)."""
        flag = f", {unknown} AS unknown" if unknown else ""
        if self.read is not None:
            return f"SELECT _hash AS h, _bad AS bad{flag} FROM {self.read}"
        hashed = f"hash({', '.join(quote_ident(n) for n in self.raw.types)})"
        conditions = [check.condition for check in self.row_checks]
        bad = problem_condition(self.columns, conditions)
        return f"SELECT {hashed} AS h, {bad} AS bad{flag} FROM {source or self.raw.view}"

    def quick_counts(
        self, con: duckdb.DuckDBPyConnection, unknown: str | None = None
    ) -> QuickCounts:
        """The three counts of this table, in one scan."""
        sql = validation.quick_counts_sql(self.relation(unknown), unknown is not None)
        return QuickCounts.of(con.execute(sql).fetchall())

    def report(
        self,
        con: duckdb.DuckDBPyConnection,
        counts: QuickCounts,
        findings: validation.Findings,
        known: str = "",
    ) -> None:
        """Report, row by row, each kind of problem the quick counts found (values, repeated
        rows, then offences of offenders ``known`` does not hold), in that order."""
        if counts.bad:
            validation.check_values(
                con, self.raw, self.columns, findings, self.row_checks, read=self.read
            )
        if counts.repeated:
            validation.check_duplicates(con, self.raw, findings, read=self.read)
        if counts.strangers:
            offender = '"offender_id"' if self.read else self.column("offender_id").expr
            validation.check_offenders(con, self.raw, offender, known, findings, source=self.read)

    def typed_view(
        self, con: duckdb.DuckDBPyConnection, findings: validation.Findings, reject: bool
    ) -> None:
        """``CREATE VIEW <table>``: every column as its type, less the rejected rows (when
        rejecting, their row numbers are kept in a table the view leaves out)."""
        rejected = rejected_table(con, self.table, findings) if reject else None
        create_typed_view(con, self.raw, self.columns, rejected, self.read)


def rejected_table(
    con: duckdb.DuckDBPyConnection, table: TableName, findings: validation.Findings
) -> str:
    """A temp table of the row numbers of ``table``'s rejected records."""
    name = f"rejected_{table}"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} (_row BIGINT)")
    rows = sorted(findings.rejected[table])
    if rows:
        con.executemany(f"INSERT INTO {name} VALUES (?)", [(r,) for r in rows])
    return name


def unknown_offender(offender: str, known: str) -> str:
    """Whether an offence's ``offender`` (an expression) is none of the ``known`` query's."""
    return f"({offender}) IS NOT NULL AND ({offender}) NOT IN ({known})"


def offence_row_checks(columns: list[TypedColumn], reject: bool = False) -> list[RowCheck]:
    """Row checks of offences beyond single values: a disposal before its offence, and a
    conviction without the court event that reconviction events are counted by. That one is an
    error unless invalid records are rejected: then it is kept, and left out of the reconviction
    events only (``convictions_without_sittings``), not rejected whole."""
    by_name = {c.column.name: c for c in columns}
    checks = [
        RowCheck(
            f"({by_name['disposal_date'].expr}) < ({by_name['offence_date'].expr})",
            "PBR306",
            "disposal_date",
            "disposal before the offence",
            "a disposal_date on or after the offence_date",
        )
    ]
    if "court_event_id" in by_name and not reject:
        checks.append(
            RowCheck(
                f"({by_name['court_event_id'].expr}) IS NULL AND "
                f"({by_name['disposal_type'].expr}) = 'conviction'",
                "PBR303",
                "court_event_id",
                "missing value",
                "a court_event_id for every conviction (reconviction events are counted)",
            )
        )
    return checks


def convictions_without_sittings(
    con: duckdb.DuckDBPyConnection, off: TableCheck
) -> tuple[DataProblem, ...]:
    """The convictions kept without a court_event_id (rejecting invalid records): no
    reconviction event, but a proven reoffence for every other measure (rejecting them whole
    would lose them to those too). Empty when no measure counts reconviction events."""
    if not any(c.column.name == "court_event_id" for c in off.columns):
        return ()
    rows = con.execute(
        "SELECT _row FROM offences WHERE court_event_id IS NULL "
        "AND CAST(disposal_type AS VARCHAR) = 'conviction' ORDER BY _row"
    ).fetchall()
    return tuple(
        DataProblem(
            "PBR303",
            "offences",
            off.raw.name,
            int(row),
            "court_event_id",
            None,
            "missing value: not counted as a reconviction event, kept for the other measures",
            "a court_event_id for every conviction (reconviction events are counted)",
        )
        for (row,) in rows
    )
