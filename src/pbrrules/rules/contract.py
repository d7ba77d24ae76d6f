"""Worked examples, variations, one file as written, and the compiled contract."""

from __future__ import annotations

import datetime
from typing import Literal, assert_never

from attrs import field, frozen

from pbrrules.errors import NOWHERE, Diagnostic, Span
from pbrrules.rules.cohorts import (
    Cohort,
)
from pbrrules.rules.common import (
    Header,
    Parameter,
    SetValue,
    ValueRef,
)
from pbrrules.rules.measures import (
    Comparison,
    Measure,
    Target,
)
from pbrrules.rules.terms import (
    Limit,
    Rounding,
    TargetMet,
    Term,
    TermPays,
    Trigger,
    TriggerAll,
    TriggerAny,
    TriggerNot,
)
from pbrrules.values import Value

# ------------------------------------------------------------------------------------------------
# Worked examples

FigureName = Literal["offenders", "reoffenders", "reoffences", "events", "predicted"]


@frozen
class GivenFigures:
    """``given "2015-Q4" in "Cumbria and Lancashire": 1,000 offenders, 417 reoffenders``.

    ``given control "cohort 1": ...`` gives the control group's figures; ``given adults "year 1":
    ...`` gives them for one cohort rule only (by default they stand for every cohort rule that
    has a period of that label). ``given "cohort 2" provisional: ...`` gives interim figures:
    the unit is provisional, and nothing in it is paid. ``given "year 1" for arrests: 400
    offenders, 120 reoffenders, 300 reoffences`` gives the counts of one measure (a measure
    without such a line takes the cohort's lines).
    """

    period: str
    figures: tuple[tuple[FigureName, ValueRef], ...]
    area: str | None = None
    control: bool = False
    span: Span = field(default=NOWHERE, eq=False, repr=False)
    cohort: str | None = None
    provisional: bool = False
    #: ``given "year 1" for arrests: ...``: the counts of one measure only (its cohort's).
    measure: str | None = None
    measure_span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class GivenImpact:
    """``given impact rct_estimate "cohort 1" = -12% (source "Evaluator's report")``: an
    impact estimate the evaluator supplies for one cohort unit, in this example."""

    name: str
    period: str
    value: Value
    area: str | None = None
    source: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


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
    """``example "name" (source "..."):`` followed by ``given`` and ``expect`` lines, and
    optionally ``as of 2014-04-01``: the figures are read on that date, so a unit whose windows
    have not all closed by then is provisional and paid nothing (docs/language.md §13)."""

    name: str
    givens: tuple[GivenFigures | GivenValue | GivenImpact, ...]
    expectations: tuple[Expectation, ...]
    clause: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)
    as_of: datetime.date | None = None
    as_of_span: Span = field(default=NOWHERE, eq=False, repr=False)


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


#: The named declarations of one version of the rules: (the keyword that introduces each, the
#: ``Rules`` field holding them), in schedule order.
NAMED_DECLARATIONS: tuple[tuple[str, str], ...] = (
    ("parameter", "parameters"),
    ("cohort", "cohorts"),
    ("measure", "measures"),
    ("comparison", "comparisons"),
    ("target", "targets"),
    ("term", "terms"),
    ("limit", "limits"),
)


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

    def target_cohort(self, name: str) -> str | None:
        """The cohort rule target ``name`` is assessed on (its comparison's)."""
        target = self.target(name)
        return self.comparison_cohort(target.comparison) if target else None

    def comparison_cohort(self, name: str) -> str | None:
        """The cohort rule comparison ``name`` compares: its measure's, or its estimate's."""
        comparison = self.comparison(name)
        if comparison is not None and comparison.estimate is not None:
            return comparison.estimate.cohort
        measure = self.measure(comparison.measure) if comparison else None
        return measure.cohort if measure else None

    def trigger_cohorts(self, trigger: Trigger | None) -> list[str]:
        """The cohort rules whose targets ``trigger`` names (through hurdles on other terms'
        triggers too), in the order it names them."""
        found: list[str] = []
        for name in self._trigger_targets(trigger, set()):
            cohort = self.target_cohort(name)
            if cohort is not None and cohort not in found:
                found.append(cohort)
        return found

    def _trigger_targets(self, trigger: Trigger | None, seen: set[str]) -> list[str]:
        match trigger:
            case None:
                return []
            case TargetMet(target=name):
                return [name]
            case TermPays(term=name):
                other = self.term(name)
                if other is None or name in seen:
                    return []
                seen.add(name)
                return self._trigger_targets(other.when, seen)
            case TriggerNot(operand=operand):
                return self._trigger_targets(operand, seen)
            case TriggerAll(left=left, right=right) | TriggerAny(left=left, right=right):
                return self._trigger_targets(left, seen) + self._trigger_targets(right, seen)
            case _:
                assert_never(trigger)


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
    #: What ``pbr-eval check`` warns about (severity "warning"): readings a lawyer could be
    #: surprised by, which do not stop the contract from compiling.
    warnings: tuple[Diagnostic, ...] = field(default=(), eq=False)

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
