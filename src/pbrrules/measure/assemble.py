"""Per-unit query results -> ``CohortFigures``: one per cohort unit (period, and group value
when grouped), with both groups' counts, exclusions by reason, and cancellations."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from attrs import frozen

from pbrrules.figures import CohortFigures, GroupFigures, MeasureCounts
from pbrrules.measure import sqlgen
from pbrrules.measure.plan import Plan
from pbrrules.measure.rows import BlockStat, SizeRow, UnitStat

#: A row DuckDB returned.
Row = tuple[Any, ...]


def _fraction(value: object) -> Fraction:
    if isinstance(value, Decimal | int):
        return Fraction(value)
    raise TypeError(value)


@frozen
class _Unit:
    cohort: int
    label: str
    start: datetime.date
    end: datetime.date
    version: int
    area: str | None
    cancelled: str | None
    excluded: dict[int, int]


def assemble(
    the_plan: Plan,
    codes: sqlgen.Statuses,
    sizes: Sequence[SizeRow],
    counts: Sequence[Row],
    unit_stats: Sequence[UnitStat],
    block_stats: Sequence[BlockStat],
    areas: list[tuple[int, str]],
    has_predicted: bool,
    closed: dict[tuple[int, int, str | None], int] | None = None,
) -> tuple[CohortFigures, ...]:
    """The figures of every unit, sorted by (start, cohort, area): dated periods for every group
    value seen in the cohort (N = 0 when empty), blocks as the data cut them; ``closed`` counts
    each unit's treated offenders whose windows have closed by the as-of date."""
    # (pid, block, area) -> unit; groups keyed by (pid, block, area, control)
    cohort_areas: dict[int, list[str]] = defaultdict(list)
    for ci, name in sorted(areas):
        cohort_areas[int(ci)].append(name)
    units: dict[tuple[int, int, str | None], _Unit] = {}
    for p in the_plan.periods:
        grouped = the_plan.cohort_rule(p.cohort, p.version).grouped_by is not None
        unit_areas: list[str | None] = [*cohort_areas[p.cohort]] if grouped else [None]
        for unit_area in unit_areas:
            units[(p.pid, 0, unit_area)] = _Unit(
                p.cohort, p.label, p.start, p.end, p.version, unit_area, p.cancelled, {}
            )
    candidates: Counter[tuple[int, int, str | None]] = Counter()
    for pid, area, status, n in unit_stats:
        key: tuple[int, int, str | None] = (int(pid), 0, area)
        if key not in units:
            continue
        if int(status) == sqlgen.CANDIDATE:
            candidates[key] += int(n)
        elif int(status) != sqlgen.NOT_ELIGIBLE:
            units[key].excluded[int(status)] = int(n)
    size_of: dict[tuple[int, int, str | None, bool], tuple[int, Any, int]] = {}
    spans: dict[tuple[int, int, str | None], list[datetime.date]] = defaultdict(list)
    for pid, block, area, control, n, predicted, with_predicted, first, last in sizes:
        key = (int(pid), int(block), area)
        size_of[(*key, bool(control))] = (int(n), predicted, int(with_predicted))
        assert isinstance(first, datetime.date)
        assert isinstance(last, datetime.date)
        if not control:
            # a block is its treatment group's dates (a control event joins the block whose
            # end is on or after its date, and may lie before the block's first treated one)
            spans[key] += [first, last]
    for (pid, _, area), n in candidates.items():
        counted = sum(size_of.get((pid, 0, area, c), (0, None, 0))[0] for c in (False, True))
        if n - counted:
            units[(pid, 0, area)].excluded[sqlgen.DUPLICATE] = n - counted
    _block_units(the_plan, spans, block_stats, units)
    measured: dict[tuple[int, int, str | None, bool], Row] = {
        (int(r[0]), int(r[1]), r[2], bool(r[3])): r[4:] for r in counts
    }
    figures = []
    for key, unit in units.items():
        rule = the_plan.cohort_rule(unit.cohort, unit.version)
        specs = the_plan.measures_for(unit.cohort, unit.start)
        groups = []
        for control in (False, True):
            n, predicted, with_predicted = size_of.get((*key, control), (0, None, 0))
            row = measured.get((*key, control))
            tallies = {}
            for s in specs:
                o = int(row[2 * s.mid] or 0) if row else 0
                r = int(row[2 * s.mid + 1] or 0) if row else 0
                tallies[s.measure.name] = MeasureCounts(r, o)
            total: Fraction | None = None
            if has_predicted and with_predicted == n:
                total = _fraction(predicted) if predicted is not None else Fraction(0)
            groups.append(GroupFigures(n, tallies, total))
        excluded: dict[str, int] = {}
        for e in rule.exclusions:
            excluded[e.reason] = excluded.get(e.reason, 0) + 0
        for status, n in sorted(unit.excluded.items()):
            excluded[codes.reason(status)] = excluded.get(codes.reason(status), 0) + n
        if rule.deduplicate:
            excluded.setdefault(sqlgen.DUPLICATE_REASON, 0)
        figures.append(
            CohortFigures(
                cohort=the_plan.cohort_names[unit.cohort],
                period=unit.label,
                start=unit.start,
                end=unit.end,
                treatment=groups[0],
                control=groups[1] if rule.control_group is not None else None,
                area=unit.area,
                excluded=tuple(excluded.items()),
                cancelled=unit.cancelled,
                closed=None if closed is None else closed.get(key, 0),
            )
        )
    figures.sort(key=lambda f: (f.start, f.cohort, f.area or "", f.end, f.period))
    return tuple(figures)


def _block_units(
    the_plan: Plan,
    spans: dict[tuple[int, int, str | None], list[datetime.date]],
    block_stats: Sequence[BlockStat],
    units: dict[tuple[int, int, str | None], _Unit],
) -> None:
    series = {b.pid: b for b in the_plan.blocks}
    found = sorted(k for k in spans if k[0] in series)
    for pid, block, area in found:
        b = series[pid]
        dates = spans[(pid, block, area)]
        label = f"cohort {block}"
        cancelled = next((c.reason for c in b.cancellations if c.label == label), None)
        start = min(dates)
        units[(pid, block, area)] = _Unit(
            b.cohort, label, start, max(dates), b.version, area, cancelled, {}
        )
    for pid, area, status, day, n in block_stats:
        holding = [k for k in found if k[0] == pid and k[2] == area and day <= units[k].end]
        if holding and status != sqlgen.NOT_ELIGIBLE:
            excluded = units[holding[0]].excluded
            excluded[status] = excluded.get(status, 0) + n
