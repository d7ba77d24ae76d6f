"""The typed rules a contract compiles to: frozen, slotted, comparable, each with its source span.

Each class docstring shows the contract text that produces it. Spans and clause references travel
with every rule so that diagnostics and payment statements can cite them; spans do not take part
in equality, so rules built by hand in tests compare equal to compiled ones.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from attrs import field, frozen

from pbrrules.errors import NOWHERE, Span
from pbrrules.values import Duration, Value

# ------------------------------------------------------------------------------------------------
# References to values: a literal written in place, or the name of a parameter.


@frozen
class Literal_:
    """A value written in place, e.g. ``49.9%`` or ``£2,000,000``."""

    value: Value
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Name:
    """A reference by name to a parameter (or, in examples and triggers, to another rule)."""

    name: str
    span: Span = field(default=NOWHERE, eq=False, repr=False)


ValueRef = Literal_ | Name


# ------------------------------------------------------------------------------------------------
# Header


@frozen
class Header:
    """``contract "Name"`` (or ``template``/``variation``) with version, parties, currency, years.

    ``contract "Cumbria and Lancashire CRC" based on "template.pbr"``
    ``  currency GBP``
    ``  contract years start 2015-02-01``
    """

    kind: Literal["contract", "template", "variation"]
    name: str
    version: str | None = None
    payer: str | None = None
    provider: str | None = None
    currency: str | None = None
    contract_years_start: datetime.date | None = None
    based_on: str | None = None
    amended_by: tuple[str, ...] = ()
    amends: str | None = None
    effective_from: datetime.date | None = None
    clause: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


# ------------------------------------------------------------------------------------------------
# Parameters

ParamType = Literal[
    "money", "count", "rate", "percentage points", "percent", "number", "date", "duration",
    "text", "yes/no",
]
KeyKind = Literal["area", "cohort", "contract year"]


@frozen
class Row:
    """One row of a parameter table: ``"Cumbria and Lancashire": 49.9%``, ``contract year 2:
    £20,000,000`` or an effective-dated value ``from 2017-10-01: £120,000``."""

    value: Value
    key: str | None = None
    year: int | None = None
    effective: datetime.date | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Parameter:
    """``parameter baseline: rate = 49.9% (clause 4.3)``, optionally keyed or effective-dated.

    A template may declare a parameter without a value; each lot file then supplies it with
    ``set``.
    """

    name: str
    type: ParamType
    keyed_by: KeyKind | None = None
    value: Value | None = None
    rows: tuple[Row, ...] = ()
    #: ``= maximum_annual_payment - fee_for_service``: signed terms the compiler works out
    #: (into ``value`` or ``rows``) in each version of the rules.
    formula: tuple[tuple[Literal["+", "-"], ValueRef], ...] = ()
    illustrative: str | None = None
    clause: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)

    @property
    def has_value(self) -> bool:
        """Whether the parameter holds a value (plain, tabled, dated or worked out), or waits for
        a ``set``."""
        return self.value is not None or bool(self.rows) or bool(self.formula)


@frozen
class SetValue:
    """``set baseline_binary = 49.9% (Annex B)``: a lot file supplying a template's parameter."""

    name: str
    value: Value | None
    rows: tuple[Row, ...] = ()
    illustrative: str | None = None
    clause: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


# ------------------------------------------------------------------------------------------------
# Conditions on index-event columns (eligibility, exclusions, control group)

CompareOp = Literal["<", "<=", ">", ">=", "=", "!="]


@frozen
class FieldTest:
    """``disposal is "community_order"``, ``sentence_months < 12``, ``sex is not "female"``.

    ``area is contract_area`` compares with a parameter: ``parameter`` names it, and the
    compiler fills ``value`` with the parameter's value in each version of the rules.
    """

    column: str
    op: CompareOp
    value: Value
    parameter: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class OneOf:
    """``disposal is one of "community_order", "suspended_sentence_order"``."""

    column: str
    values: tuple[Value, ...]
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Between:
    """``age between 18 and 24`` (both ends included)."""

    column: str
    low: Value
    high: Value
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Flag:
    """``deported``: a yes/no column that is yes."""

    column: str
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class AllOf:
    """``a and b``."""

    left: Condition
    right: Condition
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class AnyOf:
    """``a or b``."""

    left: Condition
    right: Condition
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Not:
    """``not a``."""

    operand: Condition
    span: Span = field(default=NOWHERE, eq=False, repr=False)


Condition = FieldTest | OneOf | Between | Flag | AllOf | AnyOf | Not


# ------------------------------------------------------------------------------------------------
# Cohorts


@frozen
class Exclusion:
    """``exclude when deported because "deported or removed to an IRC" (clause 3.2)``."""

    when: Condition
    reason: str
    clause: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Quarterly:
    """``quarterly from 2015-10-01 to 2020-03-31``: calendar-quarter cohorts ("2015-Q4")."""

    start: datetime.date
    end: datetime.date
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class ContractYears:
    """``contract years from 2011-10-01 to 2014-09-30``: one cohort per contract year ("year 1")."""

    start: datetime.date
    end: datetime.date
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class NamedPeriod:
    """``period "cohort 1" from 2010-09-09 to 2012-06-30``."""

    label: str
    start: datetime.date
    end: datetime.date
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Blocks:
    """``first 1000 eligible index events from 2010-09-09, at most 3 cohorts``.

    Cohort 1 is the first ``size`` eligible index events (after exclusions and de-duplication) on
    or after ``start``, cohort 2 the next ``size``, and so on ("cohort 1", "cohort 2", ...).
    """

    size: int
    start: datetime.date
    limit: int | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


PeriodRule = Quarterly | ContractYears | NamedPeriod | Blocks


@frozen
class Cancellation:
    """``cancel period "cohort 3" because "ended early by Transforming Rehabilitation"``."""

    label: str
    reason: str
    clause: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Cohort:
    """``cohort NAME (clause):`` who is measured, who is excluded and why, and the periods.

    ``eligible when disposal is one of "community_order", "custody_release"``
    ``exclude when allocated_to_nps because "allocated to the NPS" (clause 3.2)``
    ``quarterly from 2015-10-01 to 2020-03-31``
    ``grouped by area``
    """

    name: str
    eligible: Condition | None = None
    exclusions: tuple[Exclusion, ...] = ()
    eligible_clause: str | None = None
    periods: tuple[PeriodRule, ...] = ()
    cancellations: tuple[Cancellation, ...] = ()
    grouped_by: str | None = None
    control_group: Condition | None = None
    deduplicate: bool = True
    clause: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


# ------------------------------------------------------------------------------------------------
# Measures

MeasureKind = Literal["binary", "per_reoffender", "per_offenders"]

#: The disposal types of the outcome-record standard (docs/data.md); a contract may name others.
STANDARD_DISPOSAL_TYPES = ("conviction", "caution", "reprimand", "warning")

#: SPEC §4 defaults: 12 months' follow-up, then 6 months for the offence to be proven.
FOLLOW_UP = Duration(12, "months")
WAITING = Duration(6, "months")
CountingUnit = Literal["offences", "events"]
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
    ``breaches excluded``; ``adjusted for offender mix by ratio against B``.
    """

    name: str
    kind: MeasureKind
    cohort: str
    per: int = 1
    counting: CountingUnit = "offences"
    follow_up: Duration = FOLLOW_UP
    waiting: Duration = WAITING
    proven_by: tuple[str, ...] = ("conviction", "caution")
    exclude_breaches: bool = True
    adjustment: Adjustment | None = None
    clause: str | None = None
    cohort_span: Span = field(default=NOWHERE, eq=False, repr=False)
    span: Span = field(default=NOWHERE, eq=False, repr=False)
    #: The lines the author wrote (e.g. "follow_up"), so formatting keeps a default written out.
    written: tuple[str, ...] = field(default=(), eq=False, repr=False)


# ------------------------------------------------------------------------------------------------
# Comparisons and targets

ImprovementUnit = Literal["points", "percent", "absolute"]


@frozen
class ControlGroup:
    """``against control group``: the same measure on the cohort's control group."""

    span: Span = field(default=NOWHERE, eq=False, repr=False)


Comparator = ControlGroup | ValueRef


@frozen
class Comparison:
    """``comparison NAME (clause): MEASURE against COMPARATOR in percentage points``.

    The improvement is comparator minus measure (a fall in reoffending is positive): in
    percentage points, in relative percent of the comparator, or in absolute terms of the measure.
    """

    name: str
    measure: str
    comparator: Comparator
    unit: ImprovementUnit
    clause: str | None = None
    measure_span: Span = field(default=NOWHERE, eq=False, repr=False)
    span: Span = field(default=NOWHERE, eq=False, repr=False)


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

    ``reduction in binary_change of at least 5 percentage points`` (or ``increase in ...`` for a
    deterioration); ``significant at 95% one-sided``; ``pooled over all cohorts so far`` (each
    cohort is assessed on its own figures pooled with those of the cohorts before it), or
    ``pooled over all cohorts`` (assessed once, on every cohort's figures, when the last cohort
    of the cohort rule is in; until then not assessable: Peterborough's 7.5% across the pilot).
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


# ------------------------------------------------------------------------------------------------
# Triggers: when a term pays


@frozen
class TargetMet:
    """``when five_points``: the named target is met."""

    target: str
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class TermPays:
    """``when term binary_payment pays``: a hurdle on another term's trigger."""

    term: str
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class TriggerAll:
    """``a and b``."""

    left: Trigger
    right: Trigger
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class TriggerAny:
    """``a or b`` (e.g. Peterborough's per-cohort or pooled trigger)."""

    left: Trigger
    right: Trigger
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class TriggerNot:
    """``not a``; ``unless a`` is ``when not a``."""

    operand: Trigger
    span: Span = field(default=NOWHERE, eq=False, repr=False)


Trigger = TargetMet | TermPays | TriggerAll | TriggerAny | TriggerNot


# ------------------------------------------------------------------------------------------------
# Amounts

PerUnit = Literal["point", "percent", "reoffender", "reoffence", "event"]


@frozen
class Fixed:
    """``pay £2,000,000``."""

    amount: ValueRef
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class PerUnitOf:
    """``pay £100,000 per percentage point of binary_change`` (or ``per reoffender avoided of``,
    ``per reoffence avoided of``, ``per event avoided of``, ``per percent of``)."""

    price: ValueRef
    unit: PerUnit
    comparison: str
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class PerOffender:
    """``pay $331 per offender``: a price times the cohort's size."""

    price: ValueRef
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class ShareOfValue:
    """``deduct 10% of core_contract_value``."""

    share: ValueRef
    of: str
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Band:
    """``band from 8.5% below 10%: $4,800,000``; lower bound included, upper bound excluded."""

    amount: Amount
    lower: ValueRef | None = None
    upper: ValueRef | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Banded:
    """``pay by band of rikers_change`` followed by ``band`` lines."""

    comparison: str
    bands: tuple[Band, ...] = ()
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class ShareBand:
    """``share 50% of savings up to 5%``; ``share 100% of savings from 5% up to 20%``."""

    share: ValueRef
    upper: ValueRef
    lower: ValueRef | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class SavingsShare:
    """``pay share of savings in demand_change valued at baseline_cost`` + ``share`` lines.

    Savings at an improvement r are ``r × value``; each share line pays its share of the savings
    that fall in its improvement range (LJR: 50% up to 5%, all savings from 5% to 20%).
    """

    comparison: str
    valued_at: ValueRef
    shares: tuple[ShareBand, ...] = ()
    span: Span = field(default=NOWHERE, eq=False, repr=False)


Amount = Fixed | PerUnitOf | PerOffender | ShareOfValue | Banded | SavingsShare


@frozen
class Term:
    """``term NAME (clause):`` what is paid or deducted, and when.

    ``when binary_target and frequency_target``; ``pay £50,000 per percentage point of
    binary_change``; ``deduct 10% of core_contract_value``; ``counting improvement up to 20%``.
    """

    name: str
    amount: Amount
    deduction: bool = False
    when: Trigger | None = None
    improvement_cap: ValueRef | None = None
    clause: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


# ------------------------------------------------------------------------------------------------
# Limits and rounding

LimitScope = Literal["cohort", "contract year", "contract"]


@frozen
class Limit:
    """``cap pbr_pot (clause 8): binary_payment, frequency_payment at most pbr_pot per contract
    year``; a ``collar`` bounds deductions the same way. ``terms`` is empty for ``all terms``."""

    kind: Literal["cap", "collar"]
    name: str
    terms: tuple[str, ...]
    amount: ValueRef
    scope: LimitScope
    clause: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)
    term_spans: tuple[Span, ...] = field(default=(), eq=False, repr=False)


RoundingMode = Literal["half up", "half down", "half even", "up", "down", "floor", "ceiling"]
RoundSubject = Literal["payments", "rates", "frequencies", "improvements"]


@frozen
class RoundingRule:
    """``payments to 2 decimal places, half up`` / ``rates to 1 decimal place, half even before
    comparison``. Rates and improvements count places of the percentage (41.7% is 1 place)."""

    subject: RoundSubject
    places: int
    mode: RoundingMode
    before_comparison: bool = False
    span: Span = field(default=NOWHERE, eq=False, repr=False)
    #: How the mode was written ("half away from zero" is "half up"), for fmt.
    mode_written: str | None = field(default=None, eq=False, repr=False)


@frozen
class Rounding:
    """``rounding (clause 9):`` followed by rounding rules."""

    rules: tuple[RoundingRule, ...]
    clause: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)

    def rule_for(self, subject: RoundSubject) -> RoundingRule | None:
        """The declared rule for ``subject``, if any."""
        return next((rule for rule in self.rules if rule.subject == subject), None)


# ------------------------------------------------------------------------------------------------
# Worked examples

FigureName = Literal["offenders", "reoffenders", "reoffences", "events", "predicted"]


@frozen
class GivenFigures:
    """``given "2015-Q4" in "Cumbria and Lancashire": 1,000 offenders, 417 reoffenders``.

    ``given control "cohort 1": ...`` gives the control group's figures; ``given adults "year 1":
    ...`` gives them for one cohort rule only (by default they stand for every cohort rule that
    has a period of that label).
    """

    period: str
    figures: tuple[tuple[FigureName, ValueRef], ...]
    area: str | None = None
    control: bool = False
    span: Span = field(default=NOWHERE, eq=False, repr=False)
    cohort: str | None = None


@frozen
class GivenValue:
    """``given baseline_binary = 49.9%``: a parameter (or a measure's value) for this example."""

    name: str
    value: Value
    span: Span = field(default=NOWHERE, eq=False, repr=False)


ExpectKind = Literal["pays", "total", "met", "not met", "not assessable", "equals"]


@frozen
class Expectation:
    """``expect repayment pays £0 in "year 1"``, ``expect five_points is met``, ``expect total
    pays £9,500,000``, ``expect reduction = 8.4%``, ``expect bonus is not assessable``."""

    kind: ExpectKind
    subject: str | None
    value: ValueRef | None = None
    period: str | None = None
    area: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Example:
    """``example "name" (source "..."):`` followed by ``given`` and ``expect`` lines."""

    name: str
    givens: tuple[GivenFigures | GivenValue, ...]
    expectations: tuple[Expectation, ...]
    clause: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


# ------------------------------------------------------------------------------------------------
# Variations and removals


@frozen
class VariationStart:
    """``variation "2017 variation" effective for cohorts from 2017-10-01 (clause V.1):``.

    Every declaration after it (up to the next variation) replaces the one of the same name for
    cohorts whose period starts on or after the date.
    """

    name: str
    effective_from: datetime.date
    clause: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Removal:
    """``remove term frequency_payment``: inside a variation, the term no longer applies."""

    kind: Literal["term", "target", "limit", "parameter"]
    name: str
    clause: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


Declaration = (
    Parameter | SetValue | Cohort | Measure | Comparison | Target | Term | Limit | Rounding
    | Example | VariationStart | Removal
)


@frozen
class SourceFile:
    """One contract file as written: its header and its declarations in order (for ``fmt``)."""

    header: Header
    declarations: tuple[Declaration, ...]
    path: str = field(default="", eq=False)


# ------------------------------------------------------------------------------------------------
# The compiled contract


@frozen
class Rules:
    """One version of a contract's rules: everything needed to measure and pay a cohort."""

    parameters: tuple[Parameter, ...] = ()
    cohorts: tuple[Cohort, ...] = ()
    measures: tuple[Measure, ...] = ()
    comparisons: tuple[Comparison, ...] = ()
    targets: tuple[Target, ...] = ()
    terms: tuple[Term, ...] = ()
    limits: tuple[Limit, ...] = ()
    rounding: Rounding | None = None

    def parameter(self, name: str) -> Parameter | None:
        """The parameter called ``name``, if declared."""
        return next((p for p in self.parameters if p.name == name), None)

    def measure(self, name: str) -> Measure | None:
        """The measure called ``name``, if declared."""
        return next((m for m in self.measures if m.name == name), None)

    def comparison(self, name: str) -> Comparison | None:
        """The comparison called ``name``, if declared."""
        return next((c for c in self.comparisons if c.name == name), None)

    def target(self, name: str) -> Target | None:
        """The target called ``name``, if declared."""
        return next((t for t in self.targets if t.name == name), None)

    def term(self, name: str) -> Term | None:
        """The term called ``name``, if declared."""
        return next((t for t in self.terms if t.name == name), None)

    def cohort(self, name: str) -> Cohort | None:
        """The cohort called ``name``, if declared."""
        return next((c for c in self.cohorts if c.name == name), None)


@frozen
class Version:
    """The rules in force for cohorts whose period starts on or after ``effective_from``."""

    name: str
    effective_from: datetime.date | None
    rules: Rules
    clause: str | None = None


@frozen
class Contract:
    """A compiled contract: header, its versions (the original and each variation), examples.

    ``versions[0]`` is the contract as let; later versions come from variations, in date order.
    """

    header: Header
    versions: tuple[Version, ...]
    examples: tuple[Example, ...] = ()
    source_hash: str = field(default="", eq=False)
    sources: tuple[str, ...] = field(default=(), eq=False)

    @property
    def name(self) -> str:
        """The contract's name as its header gives it."""
        return self.header.name

    @property
    def rules(self) -> Rules:
        """The rules as originally let (before any variation)."""
        return self.versions[0].rules

    def version_for(self, period_start: datetime.date) -> Version:
        """The version in force for a cohort period starting on ``period_start``."""
        chosen = self.versions[0]
        for version in self.versions[1:]:
            if version.effective_from is not None and period_start >= version.effective_from:
                chosen = version
        return chosen
