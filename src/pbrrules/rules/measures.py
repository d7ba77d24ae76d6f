"""What is measured and compared: measures, comparisons, targets and significance."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from attrs import field, frozen

from pbrrules.errors import NOWHERE, Span
from pbrrules.rules.common import (
    ValueRef,
)
from pbrrules.values import Duration, add_duration, add_months

# ------------------------------------------------------------------------------------------------
# Measures

MeasureKind = Literal["binary", "per_reoffender", "per_offenders"]

#: The disposal types of the outcome-record standard (docs/data.md); a contract may name others.
STANDARD_DISPOSAL_TYPES = ("conviction", "caution", "reprimand", "warning")

#: SPEC §4 defaults: 12 months' follow-up, then 6 months for the offence to be proven.
FOLLOW_UP = Duration(12, "months")
WAITING = Duration(6, "months")
#: What a measure counts: proven offences and reconviction events (from ``offences``), arrests
#: (``arrests``), days in custody (``custody``), calendar quarters with a wage record showing
#: employment (``employment``), and calendar quarters without an arrest (``arrests``).
CountingUnit = Literal[
    "offences", "events", "arrests", "custody_days", "quarters_employed", "quarters_without_arrest"
]
#: The counting units read from the offences table (proven by a disposal, breaches, waiting).
OFFENCE_COUNTING: tuple[CountingUnit, ...] = ("offences", "events")
#: What the statement calls each counting unit's units, and the people with at least one:
#: "26,800 custody days", "1,250 people in custody" (a measure's ``unit "bed days"`` overrides
#: the first).
UNIT_NAMES: dict[str, tuple[str, str]] = {
    "offences": ("reoffences", "reoffenders"),
    "events": ("reconviction events", "reoffenders"),
    "arrests": ("arrests", "people arrested"),
    "custody_days": ("custody days", "people in custody"),
    "quarters_employed": ("quarters employed", "people employed"),
    "quarters_without_arrest": ("quarters without arrest", "people with a quarter without arrest"),
}
#: The counting line of each counting unit, as written after ``counting``.
COUNTING_WORDS: dict[str, str] = {
    "offences": "proven offences",
    "events": "reconviction events",
    "arrests": "arrests",
    "custody_days": "custody days",
    "quarters_employed": "quarters employed",
    "quarters_without_arrest": "quarters without arrest",
}
#: An arrest, a custody day or a wage record needs no time to be proven: no waiting period
#: unless the contract states one.
NO_WAITING = Duration(0, "months")
#: ``higher is better`` (employment) or ``lower is better`` (reoffending, the default): which way
#: the measured quantity moves when the outcome improves.
Direction = Literal["lower", "higher"]
MixForm = Literal["ratio", "difference"]


@frozen
class Adjustment:
    """``adjusted for offender mix by ratio against 47.5%``.

    With P the cohort's predicted rate (sum of ``predicted_rate`` / N) and B the baseline's:
    ratio form ``adjusted = actual × B / P``; difference form ``adjusted = actual − (P − B)``.
    """

    form: MixForm
    baseline_predicted: ValueRef
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Measure:
    """``measure NAME (clause):`` what is counted for each cohort.

    ``binary rate of crc_cohort`` | ``frequency per reoffender of c`` | ``frequency per 100
    offenders of c``; ``counting proven offences`` | ``counting reconviction events``;
    ``follow-up 12 months``; ``waiting period 6 months``; ``proven by conviction, caution``;
    ``breaches excluded``; ``adjusted for offender mix by ratio against B``; ``higher is
    better`` (the improvement of a comparison is then measure minus comparator). Outcomes beyond
    offences: ``counting arrests`` | ``counting custody days`` | ``counting quarters employed`` |
    ``counting quarters without arrest``; ``follow-up 3 months starting 9 months after the
    index date`` | ``follow-up quarter 4 after the index date`` | ``follow-up quarters 1 to 4
    after the index date``; ``unit "bed days"``.
    """

    name: str
    kind: MeasureKind
    cohort: str
    per: int = 1
    counting: CountingUnit = "offences"
    follow_up: Duration = FOLLOW_UP
    waiting: Duration = WAITING
    #: ``follow-up 3 months starting 9 months after the index date``: the window starts this
    #: long after the index date (None: on it). With ``quarters``, after the first day of the
    #: index date's calendar quarter.
    starts_after: Duration | None = None
    #: ``follow-up quarters 1 to 4 after the index date``: the window is whole calendar quarters
    #: counted from the index date's quarter (``starts_after`` and ``follow_up`` in months).
    quarters: bool = False
    #: ``unit "bed days"``: what the statement calls the units counted (else ``UNIT_NAMES``).
    unit: str | None = None
    proven_by: tuple[str, ...] = ("conviction", "caution")
    exclude_breaches: bool = True
    adjustment: Adjustment | None = None
    clause: str | None = None
    cohort_span: Span = field(default=NOWHERE, eq=False, repr=False)
    span: Span = field(default=NOWHERE, eq=False, repr=False)
    #: The lines the author wrote (e.g. "follow_up"), so formatting keeps a default written out.
    written: tuple[str, ...] = field(default=(), eq=False, repr=False)
    #: ``illustrative "why"``: this part is assumed or reconstructed, not the signed text.
    illustrative: str | None = None
    #: ``higher is better`` or ``lower is better`` (the default).
    direction: Direction = "lower"


# ------------------------------------------------------------------------------------------------
# Comparisons and targets

ImprovementUnit = Literal["points", "percent", "absolute"]


@frozen
class ControlGroup:
    """``against control group``: the same measure on the cohort's control group."""

    span: Span = field(default=NOWHERE, eq=False, repr=False)


Comparator = ControlGroup | ValueRef


@frozen
class ImpactPart:
    """``80% of rct_estimate`` (or ``rct_estimate``, weight 100%): one impact estimate the
    evaluator supplies per cohort unit, and its weight in an estimated comparison."""

    name: str
    weight: ValueRef | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Estimate:
    """``estimated impact on youths in relative percent as 80% of rct + 20% of did``: an
    improvement the evaluator supplies rather than one measured from the records.

    Each impact is the change in the outcome the evaluator estimates (treatment against its
    counterfactual: −12% where bed days fell by 12%); its improvement is −value for a
    lower-is-better outcome (the default) and +value for ``higher is better``. The comparison's
    improvement is the weighted sum of its impacts' improvements.
    """

    cohort: str
    parts: tuple[ImpactPart, ...]
    direction: Direction = "lower"
    cohort_span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Comparison:
    """``comparison NAME (clause): MEASURE against COMPARATOR in percentage points``.

    The improvement is comparator minus measure (a fall in reoffending is positive), or measure
    minus comparator when the measure is ``higher is better`` (a rise in employment is positive): in
    percentage points, in relative percent of the comparator, or in absolute terms of the measure.
    """

    name: str
    measure: str
    comparator: Comparator
    unit: ImprovementUnit
    clause: str | None = None
    measure_span: Span = field(default=NOWHERE, eq=False, repr=False)
    span: Span = field(default=NOWHERE, eq=False, repr=False)
    #: ``illustrative "why"``: this part is assumed or reconstructed, not the signed text.
    illustrative: str | None = None
    #: ``estimated impact on COHORT in UNIT as ...``: the improvement is the evaluator's
    #: estimate; such a comparison has no measure ("") and its comparator is the control
    #: group the evaluator estimated against.
    estimate: Estimate | None = None


Sides = Literal["one-sided", "two-sided"]

#: The conventional critical values of the standard normal distribution (to three decimals) that
#: ``significant at LEVEL SIDES`` uses when the contract declares none; other levels must declare
#: one (``, critical value 1.960``).
CRITICAL_VALUES: dict[tuple[Fraction, Sides], Decimal] = {
    (Fraction(90, 100), "one-sided"): Decimal("1.282"),
    (Fraction(90, 100), "two-sided"): Decimal("1.645"),
    (Fraction(95, 100), "one-sided"): Decimal("1.645"),
    (Fraction(95, 100), "two-sided"): Decimal("1.960"),
    (Fraction(99, 100), "one-sided"): Decimal("2.326"),
    (Fraction(99, 100), "two-sided"): Decimal("2.576"),
}


@frozen
class Significance:
    """``significant at 95% one-sided`` (optionally ``, critical value 1.645``).

    A z-test of the binary rate against its comparator; docs/significance.md gives the formula.
    """

    level: ValueRef
    sides: Sides
    critical_value: ValueRef | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Target:
    """``target NAME (clause):`` when a comparison counts as met.

    ``reduction in binary_change of at least 5 percentage points`` (or ``increase in ...``): the
    words say which way the measured quantity moves, so on a lower-is-better measure a reduction
    is an improvement and an increase a deterioration, and on a ``higher is better`` measure the
    reverse (``wants_improvement``); ``significant at 95% one-sided``; ``pooled over all
    cohorts so far``, or
    ``pooled so far`` (each final cohort is assessed on its own figures pooled with those of the
    final cohorts before it), or ``pooled over all cohorts`` (assessed once, on every cohort's
    figures, when every cohort of the cohort rule is in and final; until then not assessable:
    Peterborough's 7.5% across the pilot).
    """

    name: str
    comparison: str
    direction: Literal["reduction", "increase"]
    threshold: ValueRef | None = None
    significance: Significance | None = None
    pooled: bool = False
    clause: str | None = None
    comparison_span: Span = field(default=NOWHERE, eq=False, repr=False)
    span: Span = field(default=NOWHERE, eq=False, repr=False)
    #: ``pooled over all cohorts``: pooled, and assessed only once every cohort is in.
    all_cohorts: bool = False
    #: The lines the author wrote (e.g. "pooled" for ``for each cohort``), for fmt.
    written: tuple[str, ...] = field(default=(), eq=False, repr=False)
    #: ``illustrative "why"``: this part is assumed or reconstructed, not the signed text.
    illustrative: str | None = None

def wants_improvement(target_direction: str, measure_direction: Direction) -> bool:
    """Whether a target's words (``reduction in`` / ``increase in``, what the measured quantity
    does) ask for an improvement: a reduction of a lower-is-better measure, or an increase of a
    higher-is-better one. Otherwise the target asks for a deterioration."""
    return (target_direction == "reduction") == (measure_direction == "lower")


def default_proven_by(counting: str) -> tuple[str, ...]:
    """Convictions and cautions prove an offence (SPEC §4); a reconviction event is a court
    sitting that convicts, so a measure counting events is proven by conviction only."""
    return ("conviction",) if counting == "events" else Measure("", "binary", "").proven_by


def default_waiting(counting: str) -> Duration:
    """Six months for an offence to be proven (SPEC §4); none for the other outcomes (an arrest,
    a day in custody or a wage record is a fact on its date), unless the contract states one."""
    return WAITING if counting in OFFENCE_COUNTING else NO_WAITING


def unit_names(measure: Measure) -> tuple[str, str]:
    """What the statement calls ``measure``'s units and the people with at least one:
    ("reoffences", "reoffenders"), ("custody days", "people in custody"), or the contract's
    own ``unit "bed days"`` beside the default people's noun."""
    units, people = UNIT_NAMES[measure.counting]
    return (measure.unit or units), people


def quarter_start(day: datetime.date) -> datetime.date:
    """The first day of ``day``'s calendar quarter."""
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _anchor(day: datetime.date, measure: Measure) -> datetime.date:
    return quarter_start(day) if measure.quarters else day


def _after(day: datetime.date, parts: list[Duration]) -> datetime.date:
    """``day`` plus each of ``parts``: months added at once when every part is in months (so
    31 Aug + 18 months is 28 Feb, as SPEC §4 reckons), else one after the other."""
    months = [p.months() for p in parts]
    if all(m is not None for m in months):
        return add_months(day, sum(m for m in months if m is not None))
    for part in parts:
        day = add_duration(day, part)
    return day


def window_start(day: datetime.date, measure: Measure) -> datetime.date:
    """The first day of the window of an index event on ``day``: the index date, or a stated
    time after it (or after its quarter's first day, for a window in quarters)."""
    if measure.starts_after is None:
        return day
    return _after(_anchor(day, measure), [measure.starts_after])


def window_end(day: datetime.date, measure: Measure) -> datetime.date:
    """The day after the window of an index event on ``day``: its start plus the follow-up."""
    parts = [measure.starts_after] if measure.starts_after is not None else []
    return _after(_anchor(day, measure), [*parts, measure.follow_up])


def window_closes(day: datetime.date, measure: Measure) -> datetime.date:
    """The day the window of an index event on ``day`` has closed: its end plus the waiting
    period (months added at once with the rest when all are in months)."""
    parts = [measure.starts_after] if measure.starts_after is not None else []
    return _after(_anchor(day, measure), [*parts, measure.follow_up, measure.waiting])
