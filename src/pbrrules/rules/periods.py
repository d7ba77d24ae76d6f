"""Cohort period rules -> labelled date windows ("2015-Q4", "year 1", "cohort 1", named periods).

One definition of period labels and dates, shared by the checker (an example's period must exist),
the measure stage and the pay stage.
"""

from __future__ import annotations

import datetime
from typing import assert_never

from attrs import frozen

from pbrrules import rules
from pbrrules.values import add_months


@frozen
class Window:
    """One cohort period: its label and first and last index dates (both included).

    For blocks of the first N eligible index events the dates depend on the data: ``end`` is None
    and ``start`` is the blocks' start.
    """

    label: str
    start: datetime.date
    end: datetime.date | None


def quarter_label(day: datetime.date) -> str:
    """``2015-11-03`` -> ``2015-Q4``."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_start(day: datetime.date) -> datetime.date:
    """The first day of the calendar quarter holding ``day``."""
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def windows(rule: rules.PeriodRule, years_start: datetime.date | None) -> tuple[Window, ...]:
    """Every period a period rule defines, in date order."""
    match rule:
        case rules.Quarterly(start=start, end=end):
            return _quarters(start, end)
        case rules.ContractYears(start=start, end=end):
            return _contract_years(start, end, years_start or start)
        case rules.NamedPeriod(label=label, start=start, end=end):
            return (Window(label, start, end),)
        case rules.Blocks(start=start, limit=limit):
            count = limit if limit is not None else 0
            return tuple(Window(f"cohort {n}", start, None) for n in range(1, count + 1))
        case _:
            assert_never(rule)
    raise AssertionError(rule)  # pragma: no cover - PeriodRule is a closed union


def cohort_windows(cohort: rules.Cohort, years_start: datetime.date | None) -> tuple[Window, ...]:
    """Every period of a cohort, in the order its period rules give them."""
    return tuple(w for rule in cohort.periods for w in windows(rule, years_start))


def contract_year(years_start: datetime.date, day: datetime.date) -> int:
    """The contract year (1, 2, ...) holding ``day``; 0 or less before the contract starts."""
    year = (day.year - years_start.year) + 1
    while add_months(years_start, 12 * (year - 1)) > day:
        year -= 1
    while add_months(years_start, 12 * year) <= day:
        year += 1
    return year


def _quarters(start: datetime.date, end: datetime.date) -> tuple[Window, ...]:
    found = []
    first = quarter_start(start)
    while first <= end:
        last = add_months(first, 3) - datetime.timedelta(days=1)
        found.append(Window(quarter_label(first), max(first, start), min(last, end)))
        first = add_months(first, 3)
    return tuple(found)


def _contract_years(
    start: datetime.date, end: datetime.date, years_start: datetime.date
) -> tuple[Window, ...]:
    found = []
    year = contract_year(years_start, start)
    first = add_months(years_start, 12 * (year - 1))
    while first <= end:
        last = add_months(first, 12) - datetime.timedelta(days=1)
        found.append(Window(f"year {year}", max(first, start), min(last, end)))
        year += 1
        first = add_months(first, 12)
    return tuple(found)
