"""Record accounting: every input record counted, excluded (by which rule) or rejected (why).

For index events, *counted* means counted in at least one cohort unit; otherwise the record is
excluded for the first reason that applies in any unit (a duplicate before an exclusion rule,
rules in declaration order, then "not eligible", then "outside every cohort period"). For
offences, *counted* means a proven reoffence of at least one counted index event under at least
one measure; otherwise the first reason that applies. A rejected record was invalid and was
left out (only when invalid records are rejected rather than stopping the run).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import duckdb
from attrs import frozen

from pbrrules.measure import sqlgen
from pbrrules.measure.plan import Plan
from pbrrules.measure.problems import TITLES, DataProblem
from pbrrules.measure.rows import SizeRow, UnitStat
from pbrrules.measure.tables import RawTable


@frozen
class TableAccounting:
    """How the records of one table were used. ``counted + excluded + rejected == rows``."""

    table: str
    rows: int
    counted: int
    excluded: tuple[tuple[str, int], ...] = ()
    rejected: tuple[tuple[str, int], ...] = ()

    @property
    def excluded_total(self) -> int:
        """Records excluded, for any reason."""
        return sum(n for _, n in self.excluded)

    @property
    def rejected_total(self) -> int:
        """Records rejected as invalid, for any reason."""
        return sum(n for _, n in self.rejected)

    @property
    def reconciles(self) -> bool:
        """True when every record is counted, excluded or rejected exactly once."""
        return self.counted + self.excluded_total + self.rejected_total == self.rows

    def to_json(self) -> dict[str, object]:
        """The accounting as a JSON-ready mapping."""
        return {
            "table": self.table,
            "rows": self.rows,
            "counted": self.counted,
            "excluded": [{"reason": r, "records": n} for r, n in self.excluded],
            "rejected": [{"reason": r, "records": n} for r, n in self.rejected],
        }


@frozen
class RecordAccounting:
    """The accounting of both tables."""

    index_events: TableAccounting
    offences: TableAccounting
    #: The outcome tables beyond offences a measure counted from (arrests, custody, employment).
    outcomes: tuple[TableAccounting, ...] = ()

    @property
    def reconciles(self) -> bool:
        """True when every table reconciles."""
        tables = (self.index_events, self.offences, *self.outcomes)
        return all(t.reconciles for t in tables)

    def to_json(self) -> dict[str, object]:
        """The accounting as a JSON-ready mapping (an outcome table only when it was read)."""
        out: dict[str, object] = {
            "index_events": self.index_events.to_json(),
            "offences": self.offences.to_json(),
        }
        for table in self.outcomes:
            out[table.table] = table.to_json()
        return out

    def table(self, name: str) -> TableAccounting | None:
        """The accounting of the table called ``name``, if it was read."""
        tables = (self.index_events, self.offences, *self.outcomes)
        return next((t for t in tables if t.table == name), None)


def rejected_by_reason(problems: Iterable[DataProblem], table: str) -> tuple[tuple[str, int], ...]:
    """Rejected records of ``table`` counted once each, under their first problem's title."""
    first: dict[int, str] = {}
    for p in sorted(problems, key=lambda p: (p.row or 0, p.code)):
        if p.table == table and p.row is not None and p.row not in first:
            first[p.row] = TITLES[p.code]
    return tuple(sorted(Counter(first.values()).items()))


def table_accounting(
    table: str,
    rows: int,
    counted: int,
    excluded: Mapping[str, int],
    rejected: tuple[tuple[str, int], ...],
) -> TableAccounting:
    """A table's accounting, dropping reasons that excluded nothing."""
    kept = tuple((r, n) for r, n in excluded.items() if n)
    return TableAccounting(table, rows, counted, kept, rejected)


def index_event_ranks(
    con: duckdb.DuckDBPyConnection,
    the_plan: Plan,
    unit_stats: Sequence[UnitStat],
    sizes: Sequence[SizeRow],
    valid: int,
) -> Counter[int]:
    """How many valid index events end in each status (0 counted, 1 duplicate, ...)."""
    ranks: Counter[int] = Counter()
    if the_plan.disjoint():
        # each record is in at most one unit: the per-unit figures say everything
        counted = sum(int(s.n) for s in sizes)
        for _, _, status, n in unit_stats:
            ranks[int(status)] += int(n)
        ranks[sqlgen.DUPLICATE] = ranks.pop(sqlgen.CANDIDATE, 0) - counted
        ranks[sqlgen.CANDIDATE] = counted
    else:
        rows = con.execute(
            "SELECT rank, count(*) FROM (SELECT m._row, min(CASE WHEN m.status > 0 THEN "
            "m.status WHEN c._row IS NULL THEN 1 WHEN c.keep THEN 0 "
            f"ELSE {sqlgen.OUTSIDE} END) AS rank FROM memberships m LEFT JOIN counted c "
            "ON c.pid = m.pid AND c._row = m._row GROUP BY m._row) r GROUP BY rank"
        ).fetchall()
        for rank, n in rows:
            ranks[int(rank)] += int(n)
    ranks[sqlgen.OUTSIDE] += valid - sum(ranks.values())
    return ranks


def index_accounting(
    raw: RawTable, ranks: Counter[int], codes: sqlgen.Statuses, rejected: tuple[DataProblem, ...]
) -> TableAccounting:
    """The index events' accounting from how many valid records end in each status."""
    excluded: dict[str, int] = defaultdict(int)
    for status in sorted(ranks):
        if status != sqlgen.CANDIDATE:
            excluded[codes.reason(status)] += ranks[status]
    return table_accounting(
        "index_events",
        raw.rows,
        ranks[sqlgen.CANDIDATE],
        excluded,
        rejected_by_reason(rejected, "index_events"),
    )


def offence_accounting(
    raw: RawTable,
    ranks: list[tuple[Any, ...]],
    valid: int,
    rejected: tuple[DataProblem, ...],
) -> TableAccounting:
    """The offences' accounting from the counting query's (rank, offences) rows: offences no
    counted index event's window holds are the valid ones left over."""
    by_rank: Counter[int] = Counter({int(r): int(n) for r, n in ranks})
    by_rank[sqlgen.NO_PAIR] += valid - sum(by_rank.values())
    excluded = {sqlgen.OFFENCE_REASONS[r]: by_rank[r] for r in sorted(by_rank) if r != 0}
    return table_accounting(
        "offences", raw.rows, by_rank[0], excluded, rejected_by_reason(rejected, "offences")
    )
