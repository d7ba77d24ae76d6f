"""A deliberately naive pure-Python measurement of SPEC §4, to check the DuckDB one against.

Loops over plain records; no SQL, no cleverness. Records are dicts of typed values (dates,
Fractions, bools, text); each index event and offence is numbered by its position (row 1, 2...).
"""

from __future__ import annotations

import calendar
import datetime
from collections import Counter, defaultdict
from fractions import Fraction
from typing import Any

from pbrrules import rules
from pbrrules.figures import CohortFigures, GroupFigures, MeasureCounts
from pbrrules.values import Duration, Quantity

Record = dict[str, Any]
DUPLICATE = "duplicate index event (a later index event of the same offender in the same cohort)"
NOT_ELIGIBLE = "not eligible for the cohort"
OUTSIDE = "index date outside every cohort period"
NO_WINDOW = "not within the follow-up window of any counted index event"


class SameDate(Exception):
    """Two candidate index events of one offender on one date in one unit."""


def add_months(day: datetime.date, months: int) -> datetime.date:
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def plus(day: datetime.date, duration: Duration) -> datetime.date:
    if duration.unit == "days":
        return day + datetime.timedelta(days=duration.amount)
    months = duration.amount * (12 if duration.unit == "years" else 1)
    return add_months(day, months)


def plus_both(day: datetime.date, first: Duration, then: Duration) -> datetime.date:
    if first.unit != "days" and then.unit != "days":
        return plus(
            day,
            Duration(
                first.amount * (12 if first.unit == "years" else 1)
                + then.amount * (12 if then.unit == "years" else 1),
                "months",
            ),
        )
    return plus(plus(day, first), then)


# ------------------------------------------------------------------------------------------------
# conditions, three-valued


def _value(v: Any) -> Any:
    return v.value if isinstance(v, Quantity) else v


def _test(left: Any, op: str, right: Any) -> bool | None:
    if left is None:
        return None
    right = _value(right)
    if isinstance(left, Fraction | int) and isinstance(right, Fraction | int):
        left, right = Fraction(left), Fraction(right)
    outcome: bool = {
        "<": left < right,
        "<=": left <= right,
        ">": left > right,
        ">=": left >= right,
        "=": left == right,
        "!=": left != right,
    }[op]
    return outcome


def holds(c: rules.Condition, r: Record) -> bool | None:
    match c:
        case rules.FieldTest(column=col, op=op, value=v):
            return _test(r.get(col), op, v)
        case rules.OneOf(column=col, values=vs):
            if r.get(col) is None:
                return None
            return any(_test(r[col], "=", v) for v in vs)
        case rules.Between(column=col, low=lo, high=hi):
            a, b = _test(r.get(col), ">=", lo), _test(r.get(col), "<=", hi)
            return None if a is None else (a and bool(b))
        case rules.Flag(column=col):
            return None if r.get(col) is None else r[col] is True
        case rules.AllOf(left=a, right=b):
            x, y = holds(a, r), holds(b, r)
            if x is False or y is False:
                return False
            return None if x is None or y is None else True
        case rules.AnyOf(left=a, right=b):
            x, y = holds(a, r), holds(b, r)
            if x is True or y is True:
                return True
            return None if x is None or y is None else False
        case rules.Not(operand=a):
            x = holds(a, r)
            return None if x is None else not x
    raise AssertionError(c)


def applies(c: rules.Condition | None, r: Record, default: bool = True) -> bool:
    return default if c is None else holds(c, r) is True


# ------------------------------------------------------------------------------------------------
# periods


def version_of(contract: rules.Contract, day: datetime.date) -> int:
    chosen = 0
    for i, v in enumerate(contract.versions):
        if i and v.effective_from is not None and day >= v.effective_from:
            chosen = i
    return chosen


def windows(
    rule: rules.PeriodRule, years_start: datetime.date | None
) -> list[tuple[str, Any, Any]]:
    out = []
    match rule:
        case rules.Quarterly(start=start, end=end):
            q = datetime.date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
            while q <= end:
                last = add_months(q, 3) - datetime.timedelta(days=1)
                out.append((f"{q.year}-Q{(q.month - 1) // 3 + 1}", max(q, start), min(last, end)))
                q = add_months(q, 3)
        case rules.ContractYears(start=start, end=end):
            base = years_start or start
            k = -200
            while add_months(base, 12 * k) - datetime.timedelta(days=1) < start:
                k += 1
            while add_months(base, 12 * (k - 1)) <= end:
                first = add_months(base, 12 * (k - 1))
                last = add_months(base, 12 * k) - datetime.timedelta(days=1)
                out.append((f"year {k}", max(first, start), min(last, end)))
                k += 1
        case rules.NamedPeriod(label=label, start=start, end=end):
            out.append((label, start, end))
    return out


# ------------------------------------------------------------------------------------------------
# measurement


def proven(o: Record, day: datetime.date, m: rules.Measure) -> bool:
    types = [t for t in m.proven_by if m.counting == "offences" or t == "conviction"]
    return (
        o["disposal_type"] in types
        # a conviction without its court sitting is no reconviction event (issue 11)
        and (m.counting == "offences" or o.get("court_event_id") is not None)
        and not (m.exclude_breaches and o["breach"])
        and day <= o["offence_date"] < plus(day, m.follow_up)
        and o["disposal_date"] < plus_both(day, m.follow_up, m.waiting)
    )


def measure(
    contract: rules.Contract,
    events: list[Record],
    offences: list[Record],
    has_predicted: bool | None = None,
    as_of: datetime.date | None = None,
    others: dict[str, list[Record]] | None = None,
) -> tuple[list[CohortFigures], dict[str, Any]]:
    """Cohort figures, sorted as the engine sorts them, and the accounting of both tables.
    ``has_predicted``: whether the data has a ``predicted_rate`` column (default: whether any
    record has one). ``as_of``: the extract date (default: the latest date in the records);
    each unit's ``closed`` counts its treated offenders whose every window has closed by it.
    ``others``: the outcome tables beyond offences (arrests, custody, employment) by name."""
    others = others or {}
    as_of = as_of or latest_date(events, offences, others)
    names: list[str] = []
    for v in contract.versions:
        names += [c.name for c in v.rules.cohorts if c.name not in names]
    if has_predicted is None:
        has_predicted = any("predicted_rate" in e for e in events)
    rows = list(enumerate(events, start=1))
    # units: (cohort name, label, start, end, version, cohort rule, members [(row, status)], block?)
    units: list[dict[str, Any]] = []
    fates: dict[int, list[tuple[int, str]]] = defaultdict(list)  # row -> [(rank, reason)]
    reasons: list[str] = []
    for v in contract.versions:
        for c in v.rules.cohorts:
            reasons += [e.reason for e in c.exclusions if e.reason not in reasons]

    def status(c: rules.Cohort, e: Record) -> str | None:
        if not applies(c.eligible, e):
            return NOT_ELIGIBLE
        return next((x.reason for x in c.exclusions if applies(x.when, e)), None)

    def rank(reason: str | None) -> int:
        if reason is None:
            return 0
        if reason == DUPLICATE:
            return 1
        if reason == NOT_ELIGIBLE:
            return 10_000
        if reason == OUTSIDE:
            return 10_001
        return 2 + reasons.index(reason)

    def area_of(c: rules.Cohort, e: Record) -> str | None:
        return None if c.grouped_by is None else str(e[c.grouped_by])

    cohort_areas: dict[str, set[str]] = defaultdict(set)
    dated: list[tuple[Any, ...]] = []
    for name in names:
        for vi, v in enumerate(contract.versions):
            found = v.rules.cohort(name)
            if found is None:
                continue
            c = found
            cancel = {x.label: x.reason for x in c.cancellations}
            for rule in c.periods:
                if isinstance(rule, rules.Blocks):
                    if version_of(contract, rule.start) == vi:
                        units += _blocks(
                            contract,
                            name,
                            c,
                            rule,
                            rows,
                            status,
                            area_of,
                            cancel,
                            fates,
                            rank,
                            cohort_areas,
                        )
                    continue
                for label, start, end in windows(rule, contract.header.contract_years_start):
                    if version_of(contract, start) != vi:
                        continue
                    dated.append((name, label, start, end, vi, c, cancel.get(label)))
                    members = [(r, e) for r, e in rows if start <= e["index_date"] <= end]
                    by_area: dict[str | None, list[tuple[int, Record]]] = defaultdict(list)
                    for r, e in members:
                        if c.grouped_by is not None:
                            cohort_areas[name].add(area_of(c, e))  # type: ignore[arg-type]
                        by_area[area_of(c, e)].append((r, e))
                    for area, group in by_area.items():
                        units.append(
                            _unit(
                                name,
                                label,
                                start,
                                end,
                                vi,
                                c,
                                area,
                                group,
                                status,
                                cancel.get(label),
                                fates,
                                rank,
                            )
                        )
                    if c.grouped_by is None and None not in by_area:
                        units.append(
                            _unit(
                                name,
                                label,
                                start,
                                end,
                                vi,
                                c,
                                None,
                                [],
                                status,
                                cancel.get(label),
                                fates,
                                rank,
                            )
                        )
    # grouped dated units with no records in an area seen elsewhere in the cohort
    seen = {(u["cohort"], u["label"], u["start"], u["area"]) for u in units}
    for name, label, start, end, vi, c, cancelled in dated:
        if c.grouped_by is None:
            continue
        for area in sorted(cohort_areas[name]):
            if (name, label, start, area) not in seen:
                seen.add((name, label, start, area))
                units.append(
                    _unit(name, label, start, end, vi, c, area, [], status, cancelled, fates, rank)
                )

    by_offender: dict[str, list[tuple[int, Record]]] = defaultdict(list)
    for k, o in enumerate(offences, start=1):
        by_offender[o["offender_id"]].append((k, o))
    offence_rank: dict[int, int] = {}
    other_counted: dict[str, set[int]] = {}
    figures = []
    for u in units:
        version = contract.versions[version_of(contract, u["start"])].rules
        ms = [m for m in version.measures if m.cohort == u["cohort"]]
        all_ms = [m for v in contract.versions for m in v.rules.measures if m.cohort == u["cohort"]]
        groups = []
        for control in (False, True):
            group_members = [
                e for e in u["counted"] if applies(u["rule"].control_group, e, False) == control
            ]
            tallies = {}
            for m in ms:
                r = o_count = 0
                if m.counting in OUTCOMES:
                    for e in group_members:
                        n = outcome_count(m, e, others, as_of)
                        r += n > 0
                        o_count += n
                    tallies[m.name] = MeasureCounts(r, o_count)
                    continue
                for e in group_members:
                    hits = [
                        o for _, o in by_offender[e["offender_id"]] if proven(o, e["index_date"], m)
                    ]
                    n = (
                        len({o["court_event_id"] for o in hits})
                        if m.counting == "events"
                        else len(hits)
                    )
                    r += n > 0
                    o_count += n
                tallies[m.name] = MeasureCounts(r, o_count)
            predicted = None
            if has_predicted and all(e.get("predicted_rate") is not None for e in group_members):
                predicted = sum((Fraction(e["predicted_rate"]) for e in group_members), Fraction(0))
            groups.append(GroupFigures(len(group_members), tallies, predicted))
        offence_ms = [m for m in all_ms if m.counting not in OUTCOMES]
        for e in u["counted"]:
            for table, records in others.items():
                for k, record in enumerate(records, start=1):
                    if record["offender_id"] == e["offender_id"] and any(
                        record_counts(table, record, m, e, as_of) for m in all_ms
                    ):
                        other_counted.setdefault(table, set()).add(k)
            if not offence_ms:
                continue
            for k, o in by_offender[e["offender_id"]]:
                if (
                    not e["index_date"]
                    <= o["offence_date"]
                    < max(plus(e["index_date"], m.follow_up) for m in offence_ms)
                ):
                    continue
                offence_rank[k] = min(offence_rank.get(k, 9), _offence_rank(o, e, offence_ms))
        treated = [e for e in u["counted"] if not applies(u["rule"].control_group, e, False)]
        # a first-N series takes the measures in force on its start date
        series_start = next(
            (r.start for r in u["rule"].periods if isinstance(r, rules.Blocks)), u["start"]
        )
        in_force = contract.versions[
            version_of(contract, series_start if u["block"] else u["start"])
        ].rules.measures
        unit_ms = [m for m in in_force if m.cohort == u["cohort"]]
        closed = sum(
            all(window_closes(e["index_date"], m) <= day for m in unit_ms)
            for e in treated
            for day in [as_of]
            if day is not None
        )
        excluded = {x.reason: 0 for x in u["rule"].exclusions}
        for reason, n in sorted(u["excluded"].items(), key=lambda kv: rank(kv[0])):
            excluded[reason] = excluded.get(reason, 0) + n
        if u["rule"].deduplicate:
            excluded.setdefault(DUPLICATE, 0)
        figures.append(
            CohortFigures(
                u["cohort"],
                u["label"],
                u["start"],
                u["end"],
                groups[0],
                groups[1] if u["rule"].control_group is not None else None,
                u["area"],
                tuple(excluded.items()),
                u["cancelled"],
                closed if as_of is not None else None,
            )
        )
    figures.sort(key=lambda f: (f.start, f.cohort, f.area or "", f.end, f.period))
    ie_acc: Counter[str] = Counter()
    counted_rows = 0
    for r, _ in rows:
        if not fates[r]:
            ie_acc[OUTSIDE] += 1
            continue
        best = min(fates[r])
        if best[0] == 0:
            counted_rows += 1
        else:
            ie_acc[best[1]] += 1
    off_reasons = {
        1: "a breach (breaches are not counted)",
        2: "disposal type not counted",
        3: "outside the follow-up window",
        4: "disposed of after the waiting period",
    }
    off_acc: Counter[str] = Counter()
    off_counted = 0
    for k in range(1, len(offences) + 1):
        if k not in offence_rank:
            off_acc[NO_WINDOW] += 1
        elif offence_rank[k] == 0:
            off_counted += 1
        else:
            off_acc[off_reasons[offence_rank[k]]] += 1
    accounting = {
        "index_events": (counted_rows, dict(ie_acc)),
        "offences": (off_counted, dict(off_acc)),
    }
    for table, records in others.items():
        counted_set = other_counted.get(table, set())
        left: Counter[str] = Counter()
        for k, record in enumerate(records, start=1):
            if k in counted_set:
                continue
            if table == "employment" and not record["employed"]:
                left["a quarter without employment (employed is no)"] += 1
            else:
                left["not within the window of any counted index event"] += 1
        accounting[table] = (len(counted_set), dict(left))
    return figures, accounting


# ------------------------------------------------------------------------------------------------
# outcomes beyond offences, naively: day by day, quarter by quarter

OUTCOMES = ("arrests", "custody_days", "quarters_employed", "quarters_without_arrest")
READS = {
    "arrests": "arrests",
    "quarters_without_arrest": "arrests",
    "custody_days": "custody",
    "quarters_employed": "employment",
}


def _months(d: Duration) -> int | None:
    return None if d.unit == "days" else d.amount * (12 if d.unit == "years" else 1)


def _add_all(day: datetime.date, parts: list[Duration]) -> datetime.date:
    """``day`` plus each part: at once when every part is in months, else one by one."""
    months = [_months(p) for p in parts]
    if all(m is not None for m in months):
        return add_months(day, sum(m or 0 for m in months))
    for part in parts:
        day = plus(day, part)
    return day


def _quarter_of(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def window(day: datetime.date, m: rules.Measure) -> tuple[datetime.date, datetime.date]:
    """[start, end) of the window of an index event on ``day``."""
    anchor = _quarter_of(day) if m.quarters else day
    first = [m.starts_after] if m.starts_after is not None else []
    return _add_all(anchor, first) if first else day, _add_all(anchor, [*first, m.follow_up])


def window_closes(day: datetime.date, m: rules.Measure) -> datetime.date:
    anchor = _quarter_of(day) if m.quarters else day
    first = [m.starts_after] if m.starts_after is not None else []
    return _add_all(anchor, [*first, m.follow_up, m.waiting])


def full_quarters(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first days of the calendar quarters lying wholly in [start, end)."""
    q = _quarter_of(start)
    if q < start:
        q = add_months(q, 3)
    found = []
    while add_months(q, 3) <= end:
        found.append(q)
        q = add_months(q, 3)
    return found


def _days(spell: Record, as_of: datetime.date | None) -> list[datetime.date]:
    last = spell["end_date"] if spell["end_date"] is not None else as_of
    if last is None:
        return []
    out, day = [], spell["start_date"]
    while day <= last:
        out.append(day)
        day += datetime.timedelta(days=1)
    return out


def outcome_count(
    m: rules.Measure, e: Record, others: dict[str, list[Record]], as_of: datetime.date | None
) -> int:
    """The units ``m`` counts in the window of index event ``e``."""
    start, end = window(e["index_date"], m)
    mine = [r for r in others.get(READS[m.counting], []) if r["offender_id"] == e["offender_id"]]
    if m.counting == "arrests":
        ids = {
            r["arrest_id"] if r.get("arrest_id") is not None else ("row", k)
            for k, r in enumerate(mine)
            if start <= r["arrest_date"] < end
        }
        return len(ids)
    if m.counting == "custody_days":
        days = {d for r in mine for d in _days(r, as_of) if start <= d < end}
        return len(days)
    if m.counting == "quarters_employed":
        return len(
            {r["quarter"] for r in mine if r["employed"] and start <= r["quarter"]
             and add_months(r["quarter"], 3) <= end}
        )
    assert m.counting == "quarters_without_arrest"
    return sum(
        not any(q <= r["arrest_date"] < add_months(q, 3) for r in mine)
        for q in full_quarters(start, end)
    )


def record_counts(
    table: str, r: Record, m: rules.Measure, e: Record, as_of: datetime.date | None
) -> bool:
    """Whether record ``r`` of ``table`` counts in ``e``'s window under ``m``."""
    if READS.get(m.counting) != table:
        return False
    start, end = window(e["index_date"], m)
    if m.counting == "arrests":
        return bool(start <= r["arrest_date"] < end)
    if m.counting == "quarters_without_arrest":
        return any(q <= r["arrest_date"] < add_months(q, 3) for q in full_quarters(start, end))
    if m.counting == "custody_days":
        return any(start <= d < end for d in _days(r, as_of))
    return bool(r["employed"] and start <= r["quarter"] and add_months(r["quarter"], 3) <= end)


def latest_date(
    events: list[Record], offences: list[Record], others: dict[str, list[Record]] | None = None
) -> datetime.date | None:
    """The as-of date taken from the records: their latest index, offence or disposal date,
    and the latest date of the outcome tables beyond offences."""
    days = [e["index_date"] for e in events]
    days += [o[c] for o in offences for c in ("offence_date", "disposal_date")]
    for records in (others or {}).values():
        for r in records:
            days += [
                r[c] for c in ("arrest_date", "start_date", "end_date", "quarter")
                if r.get(c) is not None
            ]
    return max(days, default=None)


def mature_on(contract: rules.Contract, figures: CohortFigures) -> datetime.date:
    """SPEC §4, naively: the unit's period end plus the longest follow-up and waiting period of
    its cohort's measures (dated periods only)."""
    version = contract.versions[version_of(contract, figures.start)].rules
    ms = [m for m in version.measures if m.cohort == figures.cohort]
    return max((plus_both(figures.end, m.follow_up, m.waiting) for m in ms), default=figures.end)


def _offence_rank(o: Record, e: Record, ms: list[rules.Measure]) -> int:
    if any(proven(o, e["index_date"], m) for m in ms):
        return 0
    if o["breach"] and all(m.exclude_breaches for m in ms):
        return 1
    types = {t for m in ms for t in m.proven_by if m.counting == "offences" or t == "conviction"}
    if o["disposal_type"] not in types:
        return 2
    if all(m.counting == "events" for m in ms) and o.get("court_event_id") is None:
        return 6
    if all(o["offence_date"] >= plus(e["index_date"], m.follow_up) for m in ms):
        return 3
    return 4


def _unit(
    name: str,
    label: str,
    start: datetime.date,
    end: datetime.date,
    vi: int,
    c: rules.Cohort,
    area: str | None,
    group: list[tuple[int, Record]],
    status: Any,
    cancelled: str | None,
    fates: dict[int, list[tuple[int, str]]],
    rank: Any,
) -> dict[str, Any]:
    kept, other = _candidates(c, group, status, fates, rank)
    for r, _ in kept:
        fates[r].append((0, ""))
    return {
        "cohort": name,
        "label": label,
        "start": start,
        "end": end,
        "version": vi,
        "rule": c,
        "area": area,
        "counted": [e for _, e in kept],
        "excluded": Counter(reason for _, _, reason in other),
        "cancelled": cancelled,
        "block": False,
    }


def _candidates(
    c: rules.Cohort,
    group: list[tuple[int, Record]],
    status: Any,
    fates: dict[int, list[tuple[int, str]]],
    rank: Any,
) -> tuple[list[tuple[int, Record]], list[tuple[int, Record, str]]]:
    """The index events of ``group`` that count (each person once, at their earliest, unless
    every index event counts) and the others with why, excluded or duplicate (not the
    ineligible ones); each non-counting record's fate is noted."""
    other: list[tuple[int, Record, str]] = []
    candidates: dict[str, list[tuple[int, Record]]] = defaultdict(list)
    for r, e in group:
        s = status(c, e)
        if s is None:
            candidates[e["offender_id"]].append((r, e))
        else:
            fates[r].append((rank(s), s))
            if s != NOT_ELIGIBLE:
                other.append((r, e, s))
    kept: list[tuple[int, Record]] = []
    for _, mine in sorted(candidates.items()):
        mine.sort(key=lambda re: re[1]["index_date"])
        dates = [e["index_date"] for _, e in mine]
        if c.deduplicate and dates.count(dates[0]) > 1:
            raise SameDate(mine)
        keep = mine[:1] if c.deduplicate else mine
        kept += keep
        for r, e in mine[len(keep) :]:
            fates[r].append((1, DUPLICATE))
            other.append((r, e, DUPLICATE))
    return kept, other


def _blocks(
    contract: rules.Contract,
    name: str,
    c: rules.Cohort,
    rule: rules.Blocks,
    rows: list[tuple[int, Record]],
    status: Any,
    area_of: Any,
    cancel: dict[str, str],
    fates: dict[int, list[tuple[int, str]]],
    rank: Any,
    cohort_areas: dict[str, set[str]],
) -> list[dict[str, Any]]:
    members = [
        (r, e)
        for r, e in rows
        if e["index_date"] >= rule.start and (rule.end is None or e["index_date"] <= rule.end)
    ]
    by_area: dict[str | None, list[tuple[int, Record]]] = defaultdict(list)
    for r, e in members:
        if c.grouped_by is not None:
            cohort_areas[name].add(area_of(c, e))
        by_area[area_of(c, e)].append((r, e))
    out = []
    for area, group in by_area.items():
        # the others (excluded or duplicate) are attributed to blocks by date
        firsts, other = _candidates(c, group, status, fates, rank)
        firsts.sort(key=lambda re: (re[1]["index_date"], re[1]["offender_id"], re[0]))
        # blocks of N treatment index events; a control one joins the first block whose last
        # treatment index date is on or after its date (none after the last block: outside)
        treated = [(r, e) for r, e in firsts if not applies(c.control_group, e, False)]
        blocks = [treated[i : i + rule.size] for i in range(0, len(treated), rule.size)]
        joined: list[list[tuple[int, Record]]] = [[] for _ in blocks]
        for r, e in firsts:
            if applies(c.control_group, e, False):
                ends = [b[-1][1]["index_date"] for b in blocks]
                k = next((k for k, end in enumerate(ends) if e["index_date"] <= end), None)
                if k is None:
                    fates[r].append((10_001, OUTSIDE))
                else:
                    joined[k].append((r, e))
        for k, block in enumerate(blocks, start=1):
            within = rule.limit is None or k <= rule.limit
            for r, _ in block + joined[k - 1]:
                fates[r].append((0, "") if within else (10_001, OUTSIDE))
        if rule.limit is not None:
            blocks = blocks[: rule.limit]
        made = []
        for k, block in enumerate(blocks, start=1):
            label = f"cohort {k}"
            made.append(
                {
                    "cohort": name,
                    "label": label,
                    "start": block[0][1]["index_date"],
                    "end": block[-1][1]["index_date"],
                    "version": 0,
                    "rule": c,
                    "area": area,
                    "counted": [e for _, e in block + joined[k - 1]],
                    "excluded": Counter(),
                    "cancelled": cancel.get(label),
                    "block": True,
                }
            )
        for _, e, s in other:
            holder = next((u for u in made if e["index_date"] <= u["end"]), None)
            if holder is not None:
                holder["excluded"][s] += 1
        out += made
    return out
