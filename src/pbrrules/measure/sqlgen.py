"""Cohort and measure rules -> the SQL that measures them (a portable subset: CTEs, joins,
CASE, GROUP BY, one window function for first-N blocks, ``date + INTERVAL`` cast back to DATE).

Tables it reads: ``index_events`` and ``offences`` (the typed views). What it makes:
``memberships`` (a view: one row per index event per unit whose period holds its date, with its
status: 0 a candidate, 2 + n excluded by the n-th exclusion reason, NOT_ELIGIBLE) and the table
``counted`` (one row per counted index event per unit).
"""

from __future__ import annotations

from collections import defaultdict

from attrs import frozen

from pbrrules import rules
from pbrrules.measure.conditions import holds_sql
from pbrrules.measure.plan import MeasureSpec, Plan
from pbrrules.measure.quote import quote_ident, quote_text
from pbrrules.measure.windows import after_sql, closes_sql, plus_sql

CANDIDATE = 0
DUPLICATE = 1
NOT_ELIGIBLE = 1_000_000
OUTSIDE = 1_000_001
#: What the accounting calls each non-rule status.
DUPLICATE_REASON = (
    "duplicate index event (a later index event of the same offender in the same cohort)"
)
NOT_ELIGIBLE_REASON = "not eligible for the cohort"
OUTSIDE_REASON = "index date outside every cohort period"


@frozen
class Statuses:
    """Exclusion reasons numbered across the whole contract (status = 2 + number)."""

    reasons: tuple[str, ...]

    def code(self, reason: str) -> int:
        """The status code of an exclusion reason."""
        return 2 + self.reasons.index(reason)

    def reason(self, code: int) -> str:
        """The reason a status code stands for."""
        if code == DUPLICATE:
            return DUPLICATE_REASON
        if code == NOT_ELIGIBLE:
            return NOT_ELIGIBLE_REASON
        if code == OUTSIDE:
            return OUTSIDE_REASON
        return self.reasons[code - 2]


def statuses(plan: Plan) -> Statuses:
    """Every exclusion reason of every cohort version, in first-declared order."""
    reasons: list[str] = []
    for version in plan.contract.versions:
        for cohort in version.rules.cohorts:
            reasons += [e.reason for e in cohort.exclusions if e.reason not in reasons]
    return Statuses(tuple(reasons))


def _date(day: object) -> str:
    return f"DATE '{day}'"


def _status(cohort: rules.Cohort, codes: Statuses) -> str:
    whens = [f"WHEN NOT {holds_sql(cohort.eligible)} THEN {NOT_ELIGIBLE}"]
    whens += [f"WHEN {holds_sql(e.when)} THEN {codes.code(e.reason)}" for e in cohort.exclusions]
    return f"CASE {' '.join(whens)} ELSE {CANDIDATE} END"


def _member_columns(cohort: rules.Cohort, codes: Statuses, ci: int, has_predicted: bool) -> str:
    area = f"CAST(e.{quote_ident(cohort.grouped_by)} AS VARCHAR)" if cohort.grouped_by else "NULL"
    control = holds_sql(cohort.control_group, default=False)
    predicted = "e.predicted_rate" if has_predicted else "CAST(NULL AS DECIMAL(18, 12))"
    return (
        f"e._row, e.offender_id, e.index_date, {ci} AS cohort, CAST({area} AS VARCHAR) AS area, "
        f"{_status(cohort, codes)} AS status, {control} AS control, {predicted} AS predicted, "
        f"{'TRUE' if cohort.deduplicate else 'FALSE'} AS dedup"
    )


def memberships_sql(plan: Plan, codes: Statuses, has_predicted: bool) -> str:
    """``CREATE VIEW memberships``: each index event in each unit whose period holds its date.

    The periods of one period rule never overlap, so each rule's unit is one CASE over the
    index date; rules that overlap (quarters and contract years) are separate branches."""
    branches: list[str] = []
    groups: dict[tuple[int, int, int], list[str]] = defaultdict(list)
    for p in plan.periods:
        groups[(p.cohort, p.version, p.rule)].append(
            f"WHEN e.index_date BETWEEN {_date(p.start)} AND {_date(p.end)} THEN {p.pid}"
        )
    for (ci, vi, _), whens in groups.items():
        cohort = plan.cohort_rule(ci, vi)
        branches.append(
            f"SELECT * FROM (SELECT CASE {' '.join(whens)} END AS pid, "
            f"{_member_columns(cohort, codes, ci, has_predicted)} "
            "FROM index_events e) m WHERE pid IS NOT NULL"
        )
    for b in plan.blocks:
        cohort = plan.cohort_rule(b.cohort, b.version)
        branches.append(
            f"SELECT {b.pid} AS pid, {_member_columns(cohort, codes, b.cohort, has_predicted)} "
            f"FROM index_events e WHERE e.index_date >= {_date(b.rule.start)}"
            + (f" AND e.index_date <= {_date(b.rule.end)}" if b.rule.end is not None else "")
        )
    if not branches:
        branches.append(
            "SELECT 0 AS pid, e._row, e.offender_id, e.index_date, 0 AS cohort, "
            "CAST(NULL AS VARCHAR) AS area, 0 AS status, FALSE AS control, "
            "CAST(NULL AS DECIMAL(18, 12)) AS predicted, TRUE AS dedup "
            "FROM index_events e WHERE FALSE"
        )
    # a view: read once by ``counted`` and once for the unit statistics, never held in memory
    return "CREATE OR REPLACE TEMP VIEW memberships AS " + " UNION ALL ".join(branches)


#: Ties at a person's earliest date in a unit: every row on that date (``counted`` knows the
#: first and last of them; three or more rows on one date have some in between).
ANY_TIE_SQL = "SELECT 1 FROM counted WHERE tie_row <> _row LIMIT 1"
SAME_DATE_SQL = (
    "SELECT c.pid, c.area, c.offender_id, c.index_date, m._row "
    "FROM counted c JOIN memberships m ON m.pid = c.pid AND m.offender_id = c.offender_id "
    "AND m.index_date = c.index_date AND m.area IS NOT DISTINCT FROM c.area "
    "AND m.status = 0 AND m.dedup "
    "WHERE c.tie_row <> c._row"
)
_SHIFT = 4294967296  # 2**32: (days, row) packed in one BIGINT, so min() picks the earliest


def counted_sql(plan: Plan) -> str:
    """``CREATE TABLE counted``: one row per counted index event per unit, with its block number
    (0 for dated periods), ``keep`` (false beyond a block series' last cohort) and ``tie_row``
    (another row on the same earliest date, which makes the data invalid)."""
    days = "(index_date - DATE '1970-01-01')"
    # without a control group every event's control flag is FALSE: no need to aggregate it
    units = [(p.cohort, p.version) for p in plan.periods]
    units += [(b.cohort, b.version) for b in plan.blocks]
    controlled = any(plan.cohort_rule(*u).control_group is not None for u in units)
    control = "arg_min(control, index_date)" if controlled else "FALSE"
    firsts = (
        "SELECT pid, area, offender_id, "
        f"CAST(min({days} * {_SHIFT} + _row) % {_SHIFT} AS BIGINT) AS _row, "
        f"CAST(max(_row - {days} * {_SHIFT}) + min({days}) * {_SHIFT} AS BIGINT) AS tie_row, "
        "min(index_date) AS index_date, "
        # ties on the earliest date are invalid data, so the earliest row's values are unique
        f"{control} AS control, arg_min(predicted, index_date) AS predicted, "
        # a unit (pid) belongs to one cohort: grouping by it as well groups the same rows
        "cohort FROM memberships WHERE status = 0 AND dedup "
        "GROUP BY pid, area, offender_id, cohort "
        "UNION ALL SELECT pid, area, offender_id, _row, _row AS tie_row, index_date, control, "
        "predicted, cohort FROM memberships WHERE status = 0 AND NOT dedup"
    )
    # the window ends the measures compare offences with, computed once per counted event
    # rather than for every (index event, offence) pair
    ends = "".join(f", {e} AS _end{i}" for i, e in enumerate(_ends(plan)))
    if not plan.blocks:
        return (
            f"CREATE OR REPLACE TEMP TABLE counted AS SELECT *, 0 AS block, TRUE AS keep{ends} "
            f"FROM ({firsts}) f"
        )
    first_block = min(b.pid for b in plan.blocks)
    size = " ".join(f"WHEN {b.pid} THEN {b.rule.size}" for b in plan.blocks)
    limit = " ".join(
        f"WHEN {b.pid} THEN {b.rule.limit if b.rule.limit is not None else 'NULL'}"
        for b in plan.blocks
    )
    # blocks number the treatment group's index events only (``control`` is FALSE without a
    # control group); a control one joins the first block whose last treatment index date is
    # on or after its date, and none after the last block (then it is not kept)
    numbered = (
        "SELECT *, CASE WHEN NOT control THEN CAST((row_number() OVER (PARTITION BY pid, area, "
        f"control ORDER BY index_date, offender_id, _row) - 1) // (CASE pid {size} END) + 1 "
        f"AS INTEGER) END AS block FROM f WHERE pid >= {first_block}"
    )
    placed = "SELECT * FROM n"
    if controlled:
        placed = (
            "SELECT n.* REPLACE (COALESCE(n.block, (SELECT min(e.block) FROM e WHERE "
            "e.pid = n.pid AND e.area IS NOT DISTINCT FROM n.area AND e.last >= n.index_date)) "
            "AS block) FROM n"
        )
    block_ends = (
        "e AS (SELECT pid, area, block, max(index_date) AS last FROM n WHERE NOT control "
        "GROUP BY pid, area, block)"
    )
    return (
        f"CREATE OR REPLACE TEMP TABLE counted AS SELECT *{ends} FROM (WITH f AS ({firsts}), "
        f"n AS ({numbered}), {block_ends} "
        f"SELECT *, 0 AS block, TRUE AS keep FROM f WHERE pid < {first_block} "
        "UNION ALL SELECT *, block IS NOT NULL AND "
        f"COALESCE(block <= (CASE pid {limit} END), TRUE) AS keep FROM ({placed}) p) k"
    )


def _ends(plan: Plan) -> list[str]:
    """Every window end (a date computed from ``index_date``) the measures of ``plan`` use;
    ``counted`` holds the i-th as ``_end<i>``."""
    ends: list[str] = []
    for s in offence_measures(plan):
        m = s.measure
        for end in (
            plus_sql("index_date", m.follow_up),
            after_sql("index_date", [m.follow_up, m.waiting]),
        ):
            if end not in ends:
                ends.append(end)
    return ends


def _use_ends(plan: Plan, sql: str) -> str:
    """``sql`` with each window end of a counted event ``c`` read from its column."""
    for i, end in sorted(enumerate(_ends(plan)), key=lambda e: -len(e[1])):
        sql = sql.replace(end.replace("index_date", "c.index_date"), f"c._end{i}")
    return sql


def window_end_sql(measure: rules.Measure) -> str:
    """The day an index event's window has closed under ``measure`` (index date, or the time
    its window starts after it, + follow-up + waiting period): a disposal on or after it is not
    counted (``pay/maturity.py`` agrees)."""
    return closes_sql(measure, "index_date")


def offence_measures(plan: Plan) -> list[MeasureSpec]:
    """The measures that count proven offences or reconviction events (from ``offences``);
    the others count from the outcome tables beyond offences (``outcome_sql``)."""
    return [s for s in plan.measures if s.measure.counting in rules.OFFENCE_COUNTING]


def proven_types(measure: rules.Measure) -> tuple[str, ...]:
    """The disposal types that prove a reoffence under ``measure`` (convictions only when it
    counts reconviction events)."""
    if measure.counting == "events":
        return tuple(t for t in measure.proven_by if t == "conviction")
    return measure.proven_by


def _flag(plan: Plan, spec: MeasureSpec) -> str:
    """The name of the pair flag of ``spec``: that of the first measure with the same SQL."""
    sql = proven_sql(spec)
    return f"p{next(s.mid for s in offence_measures(plan) if proven_sql(s) == sql)}"


def proven_sql(spec: MeasureSpec) -> str:
    """Whether the pair (counted index event c, offence o) is a proven reoffence under ``spec``."""
    m = spec.measure
    types = ", ".join(quote_text(t) for t in proven_types(m)) or "NULL"
    parts = [
        f"c.cohort = {spec.cohort}",
        f"o.disposal_type IN ({types})",
        f"o.offence_date < {plus_sql('c.index_date', m.follow_up)}",
        f"o.disposal_date < {after_sql('c.index_date', [m.follow_up, m.waiting])}",
    ]
    if m.exclude_breaches:
        parts.append("NOT o.breach")
    if m.counting == "events":
        # a conviction kept without its court sitting (rejecting invalid records) is no event
        parts.append("o.court_event_id IS NOT NULL")
    return "(" + " AND ".join(parts) + ")"


OFFENCE_REASONS = {
    1: "a breach (breaches are not counted)",
    2: "disposal type not counted",
    3: "outside the follow-up window",
    4: "disposed of after the waiting period",
    5: "not within the follow-up window of any counted index event",
    6: "a conviction without a court_event_id (only reconviction events are counted)",
}
NO_PAIR = 5


def _offence_rank(plan: Plan) -> str:
    """Why a pair is not a proven reoffence under any measure of its cohort (0 when it is)."""
    flags = sorted({_flag(plan, s) for s in offence_measures(plan)})
    breach: list[str] = []
    types: list[str] = []
    sittings: list[str] = []
    window: list[str] = []
    for ci in range(len(plan.cohort_names)):
        specs = [s for s in offence_measures(plan) if s.cohort == ci]
        if not specs:
            continue
        all_exclude = all(s.measure.exclude_breaches for s in specs)
        breach.append(f"WHEN {ci} THEN {'o.breach' if all_exclude else 'FALSE'}")
        counted = sorted({t for s in specs for t in proven_types(s.measure)})
        listed = ", ".join(quote_text(t) for t in counted) or "NULL"
        # a type no measure names is not counted (stored as NULL when held as an ENUM)
        types.append(f"WHEN {ci} THEN COALESCE(o.disposal_type NOT IN ({listed}), TRUE)")
        if all(s.measure.counting == "events" for s in specs):
            sittings.append(f"WHEN {ci} THEN o.court_event_id IS NULL")
        ends = [f"o.offence_date >= {plus_sql('c.index_date', s.measure.follow_up)}" for s in specs]
        window.append(f"WHEN {ci} THEN ({' AND '.join(ends)})")
    sitting = (
        f"WHEN COALESCE(CASE c.cohort {' '.join(sittings)} END, FALSE) THEN 6 " if sittings else ""
    )
    return (
        f"CASE WHEN {' OR '.join(flags)} THEN 0 "
        f"WHEN COALESCE(CASE c.cohort {' '.join(breach)} END, FALSE) THEN 1 "
        f"WHEN COALESCE(CASE c.cohort {' '.join(types)} END, FALSE) THEN 2 {sitting}"
        f"WHEN COALESCE(CASE c.cohort {' '.join(window)} END, FALSE) THEN 3 ELSE 4 END"
    )


def pairs_sql(plan: Plan) -> str:
    """Every (counted index event, offence of the same offender within the longest follow-up),
    with a flag ``p<mid>`` per measure and the pair's offence ``rank``."""
    bounds: list[str] = []
    for ci in range(len(plan.cohort_names)):
        ends = sorted(
            {
                plus_sql("c.index_date", s.measure.follow_up)
                for s in offence_measures(plan)
                if s.cohort == ci
            }
        )
        if ends:
            end = ends[0] if len(ends) == 1 else f"GREATEST({', '.join(ends)})"
            bounds.append(f"WHEN {ci} THEN {end}")
    bound = (
        bounds[0].split(" THEN ", 1)[1]
        if len(bounds) == 1 and len(plan.cohort_names) == 1
        else f"CASE c.cohort {' '.join(bounds)} END"
    )
    # measures with the same rules share one flag (e.g. a binary rate and a frequency)
    distinct = {_flag(plan, s): proven_sql(s) for s in offence_measures(plan)}
    flags = ", ".join(f"{sql} AS {name}" for name, sql in sorted(distinct.items()))
    event = "o.court_event_id" if _counts_events(plan) else "CAST(NULL AS VARCHAR)"
    return _use_ends(
        plan,
        "SELECT c.pid, c.block, c.area, c.control, c._row AS ie_row, o._row AS off_row, "
        f"{event} AS court_event_id, {flags}, {_offence_rank(plan)} AS rank "
        "FROM counted c JOIN offences o ON o.offender_id = c.offender_id "
        f"AND o.offence_date >= c.index_date AND o.offence_date < {bound} WHERE c.keep",
    )


def _counts_events(plan: Plan) -> bool:
    return any(s.measure.counting == "events" for s in offence_measures(plan))


def counts_sql(plan: Plan) -> str:
    """One pass over the pairs, two groupings: per unit and group, each measure's reoffenders
    (R) and reoffences or events (O) (rows with ``per_person`` = 1); and how many offences end
    with each rank, 0 counted, else the first reason that applies (``per_person`` = 0)."""
    per_person: list[str] = []
    per_unit: list[str] = []
    for s in plan.measures:
        if s.measure.counting not in rules.OFFENCE_COUNTING:
            # counted from its own table (``outcome_sql``); its place in the row kept
            per_unit.append(f"0 AS o{s.mid}, 0 AS r{s.mid}")
            continue
        if s.measure.counting == "events":
            per_person.append(
                f"count(DISTINCT CASE WHEN {_flag(plan, s)} THEN court_event_id END) AS o{s.mid}"
            )
        else:
            per_person.append(f"count(*) FILTER (WHERE {_flag(plan, s)}) AS o{s.mid}")
        per_unit.append(
            f"sum(o{s.mid}) AS o{s.mid}, count(*) FILTER (WHERE o{s.mid} > 0) AS r{s.mid}"
        )
    return (
        f"WITH pairs AS ({pairs_sql(plan)}), "
        "g AS (SELECT GROUPING(off_row) AS per_person, pid, block, area, control, "
        f"min(rank) AS rank, {', '.join(per_person)} FROM pairs GROUP BY GROUPING SETS "
        "((pid, block, area, control, ie_row), (off_row))) "
        "SELECT per_person, pid, block, area, control, "
        "CASE WHEN per_person = 1 THEN NULL ELSE rank END AS rank_key, count(*) AS rows, "
        f"{', '.join(per_unit)} FROM g GROUP BY per_person, pid, block, area, control, rank_key"
    )


SIZES_SQL = (
    "SELECT pid, block, area, control, count(*) AS n, sum(predicted) AS predicted, "
    "count(predicted) AS with_predicted, min(index_date) AS first, max(index_date) AS last "
    "FROM counted WHERE keep GROUP BY pid, block, area, control"
)
