"""A measure's window in SQL, as ``rules.window_start`` / ``window_end`` / ``window_closes``
reckon it in Python: from the index date (or the first day of its calendar quarter, for a window
in quarters), plus the time the window starts after it, plus the follow-up, plus the waiting
period. Months are added at once when every part is in months (31 Aug + 18 months is 28 Feb),
as SPEC §4 and ``values.add_months`` reckon; DuckDB's month arithmetic keeps the day or takes the
month's last, as they do.
"""

from __future__ import annotations

from pbrrules import rules
from pbrrules.values import Duration


def plus_sql(column: str, duration: Duration) -> str:
    """``column + duration`` as a DATE."""
    months = duration.months()
    if months is None:
        return f"CAST({column} + INTERVAL '{duration.amount}' DAY AS DATE)"
    return f"CAST({column} + INTERVAL '{months}' MONTH AS DATE)"


def after_sql(column: str, parts: list[Duration]) -> str:
    """``column`` plus each of ``parts``: at once when all are in months, else in turn."""
    months = [p.months() for p in parts]
    if all(m is not None for m in months):
        return plus_sql(column, Duration(sum(m for m in months if m is not None), "months"))
    for part in parts:
        column = plus_sql(column, part)
    return column


def _anchor(measure: rules.Measure, column: str) -> str:
    return f"CAST(date_trunc('quarter', {column}) AS DATE)" if measure.quarters else column


def _starts(measure: rules.Measure) -> list[Duration]:
    return [measure.starts_after] if measure.starts_after is not None else []


def start_sql(measure: rules.Measure, column: str = "c.index_date") -> str:
    """The first day of the window of the index event whose date is ``column``."""
    if measure.starts_after is None:
        return column
    return after_sql(_anchor(measure, column), _starts(measure))


def end_sql(measure: rules.Measure, column: str = "c.index_date") -> str:
    """The day after the window (its start plus the follow-up)."""
    return after_sql(_anchor(measure, column), [*_starts(measure), measure.follow_up])


def closes_sql(measure: rules.Measure, column: str = "index_date") -> str:
    """The day the window has closed: its end plus the waiting period."""
    parts = [*_starts(measure), measure.follow_up, measure.waiting]
    return after_sql(_anchor(measure, column), parts)


def quarter_index_sql(day: str) -> str:
    """A calendar quarter's number, counted from year 0 (2018-Q3 is 2018 × 4 + 2)."""
    return f"(year({day}) * 4 + quarter({day}) - 1)"


def full_quarters_sql(measure: rules.Measure, column: str = "c.index_date") -> tuple[str, str]:
    """The numbers of the first and last calendar quarters lying wholly within the window
    (the first is after the last when none does)."""
    start, end = start_sql(measure, column), end_sql(measure, column)
    on_start = f"(day({start}) = 1 AND month({start}) IN (1, 4, 7, 10))"
    first = f"({quarter_index_sql(start)} + CASE WHEN {on_start} THEN 0 ELSE 1 END)"
    last = f"({quarter_index_sql(end)} - 1)"
    return first, last
