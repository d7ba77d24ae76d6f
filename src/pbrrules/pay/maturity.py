"""When a cohort unit's figures are final: its period has ended and every window its measures
need has closed by the run's as-of date (SPEC §4, "Maturity"; docs/data.md has a timeline).

A unit's last possible index date is its period's last day (for a first-N cohort: its last
index date once it is full, or the series' end date when the series ended before filling it);
the unit is final on that date plus the follow-up and the waiting period of its longest measure.
Before that it is provisional: nothing in it is compared for payment and nothing is paid.
"""

from __future__ import annotations

import datetime
import re

from pbrrules.figures import AsOf, CohortFigures
from pbrrules.rules import Blocks, Contract, Measure, Rules, window_closes
from pbrrules.statement import Maturity


def window_end(day: datetime.date, measure: Measure) -> datetime.date:
    """The day the window of an index event on ``day`` has closed under ``measure``: the
    window's start (the index date, or a stated time after it) plus follow-up plus waiting
    period, reckoned as the measure stage reckons it (months added at once, so 31 Aug + 18
    months is 28 Feb, not 28 Feb + a day's drift)."""
    return window_closes(day, measure)


def last_index_date(rules: Rules, unit: CohortFigures) -> datetime.date | None:
    """The last index date ``unit`` can hold, or None while a first-N cohort is still filling
    (its period has not ended: when it will is not known)."""
    cohort = rules.cohort(unit.cohort)
    blocks = [r for r in cohort.periods if isinstance(r, Blocks)] if cohort else []
    if not blocks or not re.fullmatch(r"cohort \d+", unit.period):
        return unit.end
    rule = blocks[0]  # one series per cohort: two would both label their blocks "cohort N"
    if unit.treatment.offenders >= rule.size:
        return unit.end
    return rule.end  # a series that ended takes no index event after its end; else filling


def mature_on(contract: Contract, unit: CohortFigures) -> datetime.date | None:
    """The day ``unit``'s figures are final: its last possible index date plus the longest
    window of its cohort's measures (None while a first-N cohort is still filling)."""
    rules = contract.version_for(unit.start).rules
    last = last_index_date(rules, unit)
    if last is None:
        return None
    ends = [window_end(last, m) for m in rules.measures if m.cohort == unit.cohort]
    return max(ends, default=last)


def unit_name(unit: CohortFigures) -> str:
    """``cohort 2016-Q4`` / ``cohort 2`` / ``cohort year 1 in Cumbria``: how reasons name it."""
    name = unit.period if unit.period.startswith("cohort") else f"cohort {unit.period}"
    return f"{name} in {unit.area}" if unit.area else name


def maturity(contract: Contract, unit: CohortFigures, as_of: AsOf | None) -> Maturity:
    """Whether ``unit`` is final on ``as_of`` and, if not, why ("not yet due: ...").

    Without an as-of date (figures a caller or an example gives) a unit is final unless its
    figures say they are provisional."""
    due = mature_on(contract, unit)
    name = unit_name(unit)
    if as_of is None:
        if unit.provisional:
            return Maturity(
                "provisional", due, f"not yet due: the figures of {name} are provisional"
            )
        return Maturity("final", due)
    if unit.start > as_of.day:
        reason = (
            f"not yet due: {name} has not started ({unit.start.isoformat()}); {as_of.describe()}"
        )
        return Maturity("not started", due, reason)
    if due is None:
        return Maturity(
            "provisional", None, f"not yet due: {name} is still filling; {as_of.describe()}"
        )
    if unit.provisional or as_of.day < due:
        reason = f"not yet due: {name} is final on {due.isoformat()}; {as_of.describe()}"
        return Maturity("provisional", due, reason)
    return Maturity("final", due)
