"""The run's as-of date in the measurement: records dated after it (PBR310), the latest date in
the records (the as-of date when none is given), and how many of each unit's members' windows
have closed by it (docs/data.md, "The extract date" and "Maturity").
"""

from __future__ import annotations

import datetime

import duckdb

from pbrrules.figures import AsOf
from pbrrules.measure.checking import RowCheck
from pbrrules.measure.plan import Plan
from pbrrules.measure.sqlgen import window_end_sql
from pbrrules.measure.tables import TypedColumn


def after_checks(
    columns: list[TypedColumn], names: tuple[str, ...], as_of: AsOf | None
) -> list[RowCheck]:
    """PBR310 row checks: a date in ``names`` after a given (or stated) as-of date. Nothing
    to check when the as-of date is the records' own latest date (no record is after it)."""
    if as_of is None or as_of.source == "records":
        return []
    by_name = {c.column.name: c for c in columns}
    day = as_of.day.isoformat()
    where = "given with the run" if as_of.source == "given" else f"stated by {as_of.stated_by}"
    return [
        RowCheck(
            f"({by_name[name].expr}) > DATE '{day}'",
            "PBR310",
            name,
            f"dated after the extract date ({where})",
            f"a date on or before {day}, the extract date (no record of an extract can be "
            "dated after the day it was taken)",
        )
        for name in names
        if name in by_name
    ]


def latest_date(
    con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...]
) -> datetime.date | None:
    """The latest of the date ``columns`` in the (valid) records of the view ``table``."""
    latest = ", ".join(f"max({c})" for c in columns)
    row = con.execute(f"SELECT greatest({latest}) FROM {table}").fetchone()
    day = row[0] if row else None
    return day if isinstance(day, datetime.date) else None


def records_as_of(*days: datetime.date | None) -> AsOf | None:
    """The as-of date taken from the records: the latest of their dates (None when empty)."""
    known = [d for d in days if d is not None]
    return AsOf(max(known), "records") if known else None


def closed_counts(
    con: duckdb.DuckDBPyConnection, the_plan: Plan, as_of: datetime.date
) -> dict[tuple[int, int, str | None], int]:
    """Per unit (pid, block, area): how many counted treated offenders' windows, under every
    measure of their unit, had closed by ``as_of`` (read from the ``counted`` table). A dated
    period's measures are those in force on its first day; a first-N series' those in force on
    its start date (as ``pay/maturity.py`` reckons the units' mature-on dates)."""
    starts = [(p.pid, p.cohort, p.start) for p in the_plan.periods]
    starts += [(b.pid, b.cohort, b.rule.start) for b in the_plan.blocks]
    cases = []
    for pid, cohort, start in starts:
        ends = sorted({window_end_sql(s.measure) for s in the_plan.measures_for(cohort, start)})
        if ends:
            end = ends[0] if len(ends) == 1 else f"greatest({', '.join(ends)})"
            cases.append(f"WHEN {pid} THEN {end}")
    end = f"CASE pid {' '.join(cases)} ELSE index_date END" if cases else "index_date"
    rows = con.execute(
        f"SELECT pid, block, area, count(*) FILTER (WHERE {end} <= DATE '{as_of.isoformat()}') "
        "FROM counted WHERE keep AND NOT control GROUP BY pid, block, area"
    ).fetchall()
    return {(int(r[0]), int(r[1]), r[2]): int(r[3]) for r in rows}
