"""Record accounting: every input record counted, excluded (by which rule) or rejected (why).

For index events, *counted* means counted in at least one cohort unit; otherwise the record is
excluded for the first reason that applies in any unit (a duplicate before an exclusion rule,
rules in declaration order, then "not eligible", then "outside every cohort period"). For
offences, *counted* means a proven reoffence of at least one counted index event under at least
one measure; otherwise the first reason that applies. A rejected record was invalid and was
left out (only when invalid records are rejected rather than stopping the run).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from attrs import frozen

from pbrrules.measure.problems import TITLES, DataProblem


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

    @property
    def reconciles(self) -> bool:
        """True when both tables reconcile."""
        return self.index_events.reconciles and self.offences.reconciles

    def to_json(self) -> dict[str, object]:
        """The accounting as a JSON-ready mapping."""
        return {
            "index_events": self.index_events.to_json(),
            "offences": self.offences.to_json(),
        }


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
