"""Forming the cohort units: who is a member of which unit, who counts once de-duplicated, the
index events tied on a person's earliest date, and the per-unit sizes and statuses that the
accounting and the figures are assembled from.

Runs on the ``index_events`` view (``checking.TableCheck.typed_view``); leaves the ``counted``
table (one row per member who counts) for counting, and returns what the later phases need as
typed rows.
"""

from __future__ import annotations

import datetime
from collections import Counter

import duckdb
from attrs import frozen

from pbrrules.measure import sqlgen, validation
from pbrrules.measure.accounting import index_event_ranks
from pbrrules.measure.plan import Plan
from pbrrules.measure.problems import DataProblem
from pbrrules.measure.rows import BlockStat, SizeRow, UnitStat
from pbrrules.measure.tables import RawTable


@frozen
class Formed:
    """The cohort units as formed: group sizes, statuses per unit and per block date, how many
    valid index events end in each status, and the ties found on earliest dates (reported
    after the offences' problems, the order problems are listed in)."""

    sizes: list[SizeRow]
    unit_stats: list[UnitStat]
    block_stats: list[BlockStat]
    ranks: Counter[int]
    ties: validation.Findings


def form_cohorts(
    con: duckdb.DuckDBPyConnection,
    the_plan: Plan,
    index_events: RawTable,
    findings: validation.Findings,
    reject: bool,
) -> Formed:
    """Form every unit from the ``index_events`` view: memberships, the members who count, the
    ties on earliest dates (rejected, and the units formed again, when rejecting)."""
    codes = sqlgen.statuses(the_plan)
    con.execute(sqlgen.memberships_sql(the_plan, codes, "predicted_rate" in index_events.types))
    con.execute(sqlgen.counted_sql(the_plan))
    ties = validation.Findings(keep_all=reject)
    while _check_same_date(con, the_plan, index_events, ties, reject):
        con.execute(sqlgen.counted_sql(the_plan))
    sizes = [SizeRow(*row) for row in con.execute(sqlgen.SIZES_SQL).fetchall()]
    unit_stats = [
        UnitStat(*row)
        for row in con.execute(
            "SELECT pid, area, status, count(*) FROM memberships GROUP BY pid, area, status"
        ).fetchall()
    ]
    dropped = findings.rejected["index_events"] | ties.rejected["index_events"]
    valid = index_events.rows - len(dropped)
    ranks = index_event_ranks(con, the_plan, unit_stats, sizes, valid)
    return Formed(sizes, unit_stats, _block_stats(con, the_plan), ranks, ties)


def _check_same_date(
    con: duckdb.DuckDBPyConnection,
    the_plan: Plan,
    ie: RawTable,
    findings: validation.Findings,
    reject: bool,
) -> bool:
    """Report index events tied on a person's earliest date in a unit; when rejecting, drop
    them and return True (the units must be formed again)."""
    # the rows of each tie are found by a join with the memberships: only when there is a tie
    if con.execute(sqlgen.ANY_TIE_SQL).fetchone() is None:
        return False
    ties = con.execute(sqlgen.SAME_DATE_SQL).fetchall()
    labels = {p.pid: (the_plan.cohort_names[p.cohort], p.label) for p in the_plan.periods}
    labels |= {b.pid: (the_plan.cohort_names[b.cohort], "first-N blocks") for b in the_plan.blocks}
    dropped: set[int] = set()
    # every row of a person on their earliest date in a unit, however many (not just the first
    # and the last: with three, the middle one would otherwise survive a rejection)
    tied: dict[tuple[int, str | None, str, datetime.date], list[int]] = {}
    for pid, area, offender, day, row in ties:
        tied.setdefault((int(pid), area, offender, day), []).append(int(row))
    for (pid, area, offender, day), rows in sorted(tied.items(), key=lambda t: sorted(t[1])):
        cohort, label = labels[pid]
        where = f"cohort {cohort}, {label}" + (f", {area}" if area is not None else "")
        for row in sorted(set(rows)):
            others = sorted(set(rows) - {row})
            other = f"row {others[0]}" if len(others) == 1 else "rows " + ", ".join(
                str(r) for r in others
            )
            findings.add(
                DataProblem(
                    "PBR309",
                    "index_events",
                    ie.name,
                    int(row),
                    "index_date",
                    str(day),
                    f"offender {offender} has another index event on this date in {where} "
                    f"({other}), so which one counts would depend on row order",
                    "one index event per offender on their earliest date in a cohort",
                )
            )
            dropped.add(row)
    if not (reject and dropped):
        return False
    # the index_events view leaves out the rows of this table, and memberships reads that view
    con.executemany("INSERT INTO rejected_index_events VALUES (?)", [(r,) for r in sorted(dropped)])
    return True


def _block_stats(con: duckdb.DuckDBPyConnection, the_plan: Plan) -> list[BlockStat]:
    """Per block series, area, status and date: excluded and duplicate index events (to be
    attributed to the block whose dates hold them)."""
    if not the_plan.blocks:
        return []
    first = min(b.pid for b in the_plan.blocks)
    rows = con.execute(
        "SELECT pid, area, status, index_date, count(*) FROM memberships "
        f"WHERE pid >= {first} AND status > 0 GROUP BY ALL "
        "UNION ALL SELECT m.pid, m.area, 1, m.index_date, count(*) FROM memberships m "
        f"WHERE m.pid >= {first} AND m.status = 0 AND NOT EXISTS (SELECT 1 FROM counted c "
        "WHERE c.pid = m.pid AND c._row = m._row) GROUP BY ALL"
    ).fetchall()
    return [BlockStat(int(r[0]), r[1], int(r[2]), r[3], int(r[4])) for r in rows]
