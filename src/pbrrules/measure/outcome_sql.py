"""Counting outcomes beyond offences in SQL: arrests, custody days, quarters employed and
quarters without an arrest, in each counted index event's window (docs/data.md, "Other
outcomes"), and which of their records counted (the record accounting).

Reads the ``counted`` table (``sqlgen``) and the typed views ``arrests``, ``custody``,
``employment``. Custody spells are first merged per person into ``custody_spells`` (spells that
overlap or share a day make one), so that a day in two spells counts once; a spell with no end
runs to the extract date. A day counts when the person was in custody on any part of it: a
spell from 1 to 3 March holds three days.
"""

from __future__ import annotations

import datetime
from typing import Any, assert_never

import duckdb

from pbrrules.measure.plan import MeasureSpec, Plan
from pbrrules.measure.schema import COUNTING_TABLES, OutcomeTable
from pbrrules.measure.windows import end_sql, full_quarters_sql, quarter_index_sql, start_sql

#: Why a record of an outcome table is not counted (the record accounting).
NOT_IN_WINDOW = "not within the window of any counted index event"
NOT_EMPLOYED = "a quarter without employment (employed is no)"

_KEY = "c.pid, c.block, c.area, c.control, c._row"


def outcome_measures(plan: Plan, table: OutcomeTable | None = None) -> list[MeasureSpec]:
    """The measures counting from the outcome tables beyond offences (from ``table`` alone,
    when given)."""
    return [
        s for s in plan.measures
        if s.measure.counting in COUNTING_TABLES
        and (table is None or COUNTING_TABLES[s.measure.counting] == table)
    ]  # fmt: skip


def merge_custody(con: duckdb.DuckDBPyConnection, as_of: datetime.date | None) -> None:
    """``custody_spells``: each person's custody spells merged where they overlap (a spell
    starting on or before the latest end so far joins it), an open spell ending on the extract
    date ``as_of``. Merged spells share no day, so their days add up without counting one
    twice."""
    end = _spell_end(as_of)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE custody_spells AS "
        f"WITH s AS (SELECT offender_id, start_date AS s, {end} AS e FROM custody "
        f"WHERE {end} >= start_date), "
        "o AS (SELECT *, max(e) OVER (PARTITION BY offender_id ORDER BY s, e ROWS BETWEEN "
        "UNBOUNDED PRECEDING AND 1 PRECEDING) AS before FROM s), "
        "g AS (SELECT *, sum(CASE WHEN before IS NULL OR s > before THEN 1 ELSE 0 END) OVER "
        "(PARTITION BY offender_id ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS island FROM o) "
        "SELECT offender_id, min(s) AS s, max(e) AS e FROM g GROUP BY offender_id, island"
    )


def _spell_end(as_of: datetime.date | None, alias: str = "") -> str:
    """A custody spell's last day: its ``end_date``, or the extract date for an open spell."""
    end = f"{alias}end_date"
    return f"COALESCE({end}, DATE '{as_of.isoformat()}')" if as_of else end


def _per_event(spec: MeasureSpec, arrest_ids: bool) -> str:
    """One row per counted index event of ``spec``'s cohort: its unit, group and ``n``, the
    units counted in its window."""
    m = spec.measure
    start, end = start_sql(m), end_sql(m)
    counted = (
        f"FROM counted c {{join}} WHERE c.keep AND c.cohort = {spec.cohort} "
        f"GROUP BY {_KEY}, c.index_date"
    )
    match m.counting:
        case "arrests":
            # rows sharing an arrest_id are one arrest (several charges at one arrest)
            n = (
                "count(DISTINCT a.arrest_id) + count(a._row) FILTER (WHERE a.arrest_id IS NULL)"
                if arrest_ids
                else "count(a._row)"
            )
            join = (
                "LEFT JOIN arrests a ON a.offender_id = c.offender_id "
                f"AND a.arrest_date >= {start} AND a.arrest_date < {end}"
            )
        case "custody_days":
            # least() and greatest() pass over NULL: a person with no spell is tested first
            days = f"least(i.e, {end} - 1) - greatest(i.s, {start}) + 1"
            n = f"COALESCE(sum(CASE WHEN i.s IS NOT NULL THEN {days} END), 0)"
            join = (
                "LEFT JOIN custody_spells i ON i.offender_id = c.offender_id "
                f"AND i.s < {end} AND i.e >= {start}"
            )
        case "quarters_employed":
            n = "count(DISTINCT w.quarter)"
            join = (
                "LEFT JOIN employment w ON w.offender_id = c.offender_id AND w.employed "
                f"AND w.quarter >= {start} AND CAST(w.quarter + INTERVAL '3' MONTH AS DATE) "
                f"<= {end}"
            )
        case "quarters_without_arrest":
            first, last = full_quarters_sql(m)
            n = (
                f"greatest({last} - {first} + 1, 0) - "
                f"count(DISTINCT {quarter_index_sql('a.arrest_date')})"
            )
            join = (
                "LEFT JOIN arrests a ON a.offender_id = c.offender_id "
                f"AND {quarter_index_sql('a.arrest_date')} BETWEEN {first} AND {last}"
            )
        case "offences" | "events":
            raise AssertionError(m.counting)  # counted from offences (``sqlgen``)
        case _:
            assert_never(m.counting)
    return f"SELECT {_KEY}, {n} AS n " + counted.format(join=join)


def count_outcomes(
    con: duckdb.DuckDBPyConnection, plan: Plan, arrest_ids: bool
) -> list[tuple[Any, ...]]:
    """Per unit and group, each outcome measure's units and people with at least one:
    ``(pid, block, area, control, mid, o, r)``. ``arrest_ids``: the arrests have the column."""
    rows: list[tuple[Any, ...]] = []
    for spec in outcome_measures(plan):
        rows += con.execute(
            f"SELECT pid, block, area, control, {spec.mid}, sum(n), "
            f"count(*) FILTER (WHERE n > 0) FROM ({_per_event(spec, arrest_ids)}) e "
            "GROUP BY pid, block, area, control"
        ).fetchall()
    return rows


def _hit(spec: MeasureSpec, table: OutcomeTable, as_of: datetime.date | None) -> str:
    """Whether a record ``r`` of ``table`` counts in the window of the counted event ``c``
    under ``spec``."""
    m = spec.measure
    start, end = start_sql(m), end_sql(m)
    where = f"c.cohort = {spec.cohort}"
    match m.counting:
        case "arrests":
            return f"({where} AND r.arrest_date >= {start} AND r.arrest_date < {end})"
        case "quarters_without_arrest":
            first, last = full_quarters_sql(m)
            return f"({where} AND {quarter_index_sql('r.arrest_date')} BETWEEN {first} AND {last})"
        case "custody_days":
            until = _spell_end(as_of, "r.")
            return f"({where} AND r.start_date < {end} AND {until} >= {start})"
        case "quarters_employed":
            return (
                f"({where} AND r.employed AND r.quarter >= {start} "
                f"AND CAST(r.quarter + INTERVAL '3' MONTH AS DATE) <= {end})"
            )
        case "offences" | "events":
            raise AssertionError(m.counting)
        case _:
            assert_never(m.counting)
    raise AssertionError(table)  # pragma: no cover - every counting unit returns


def counted_records(
    con: duckdb.DuckDBPyConnection, plan: Plan, table: OutcomeTable, as_of: datetime.date | None
) -> tuple[int, int]:
    """How many valid records of ``table`` count in some counted index event's window under
    some measure, and (employment) how many say the person was not employed."""
    specs = outcome_measures(plan, table)
    hits = " OR ".join(_hit(s, table, as_of) for s in specs) or "FALSE"
    unemployed = "count(*) FILTER (WHERE NOT r.employed)" if table == "employment" else "0"
    row = con.execute(
        f"SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM counted c WHERE c.keep AND "
        f"c.offender_id = r.offender_id AND ({hits}))), {unemployed} FROM {table} r"
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])

