"""One cohort unit under one version of the rules: its measures, comparisons, targets, triggers.

Results are worked out on demand and remembered, so a target used by three terms is assessed
once and reads the same in each line. Anything that cannot be assessed is remembered with its
reason and reported wherever it is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Literal, TypeVar, assert_never

import attrs
from attrs import frozen

from pbrrules.figures import CohortFigures, MeasureCounts
from pbrrules.pay.amounts import AmountCalculator, AmountValue
from pbrrules.pay.estimates import estimated
from pbrrules.pay.measures import ComparisonValue, MeasureValue, compare, measure_value, show
from pbrrules.pay.measures import show_improvement as _show_improvement
from pbrrules.pay.params import NotAssessable, Resolver
from pbrrules.pay.triggers import Truth, assess_target, evaluate_trigger
from pbrrules.rules import (
    OFFENCE_COUNTING,
    Amount,
    Banded,
    Comparison,
    ControlGroup,
    Fixed,
    Measure,
    Name,
    PerCounted,
    PerOffender,
    PerUnitOf,
    Rules,
    SavingsShare,
    ShareOfValue,
    Target,
    Term,
    unit_names,
)
from pbrrules.statement import ComparisonResult, MeasureResult, TargetResult
from pbrrules.values import Quantity

Group = Literal["treatment", "control"]
T = TypeVar("T")


@frozen
class Draft:
    """A term's line before rounding and limits."""

    status: Literal["pays", "not met", "not assessable"]
    amount: AmountValue | None
    derivation: str


class UnitAssessment:
    """Works out, and remembers, everything the rules say about one cohort unit."""

    def __init__(
        self,
        rules: Rules,
        figures: CohortFigures,
        resolver: Resolver,
        currency: str,
        pooled: Callable[[], CohortFigures] | None = None,
        whole: Callable[[], CohortFigures | str] | None = None,
        incomplete: str | None = None,
        other: Callable[[str], UnitAssessment | str] | None = None,
        members: Callable[[bool], list[CohortFigures]] | None = None,
    ) -> None:
        # the units a pooled target pools (so far, or all), for its weighted baseline
        self._members = members
        self.rules = rules
        # the unit of another cohort rule in the same period and area, or why there is none
        self._other = other
        # why nothing is compared in this unit yet (a first-N cohort still filling), if so
        self.incomplete = incomplete
        self.figures = figures
        self.resolver = resolver
        self.currency = currency
        self._pooled_figures = pooled
        self._pooled: UnitAssessment | None = None
        # Every cohort of the cohort rule pooled, or why that cannot be done yet.
        self._whole_figures = whole
        self._whole: UnitAssessment | str | None = None
        self._measures: dict[tuple[str, Group], MeasureValue | NotAssessable] = {}
        self._comparisons: dict[str, ComparisonValue | NotAssessable] = {}
        self._targets: dict[str, Truth] = {}
        self._terms: dict[str, Truth] = {}
        self._in_progress: set[str] = set()

    # -- measures and comparisons ----------------------------------------------------------------

    def measure(self, name: str, group: Group = "treatment") -> MeasureValue:
        """The value of measure ``name`` in ``group``; NotAssessable with the reason otherwise."""
        key = (name, group)
        if key not in self._measures:
            self._measures[key] = _attempt(lambda: self._measure(name, group))
        return _unwrap(self._measures[key])

    def _measure(self, name: str, group: Group) -> MeasureValue:
        measure = self.rules.measure(name)
        if measure is None:
            raise NotAssessable(f"measure {name} is not declared")
        figures = self.figures.treatment if group == "treatment" else self.figures.control
        return measure_value(measure, figures, group, self.resolver, self.rules.rounding)

    def comparison(self, name: str) -> ComparisonValue:
        """The comparison ``name`` in this unit; NotAssessable with the reason otherwise."""
        if name not in self._comparisons:
            self._comparisons[name] = _attempt(lambda: self._comparison(name))
        return _unwrap(self._comparisons[name])

    def _comparison(self, name: str) -> ComparisonValue:
        comparison = self.rules.comparison(name)
        if comparison is None:
            raise NotAssessable(f"comparison {name} is not declared")
        if self.incomplete is not None:
            raise NotAssessable(self.incomplete)
        if comparison.estimate is not None:
            return estimated(
                comparison, comparison.estimate, self.figures, self.resolver, self.rules.rounding
            )
        treated = self.measure(comparison.measure)
        control = None
        if isinstance(comparison.comparator, ControlGroup):
            control = self.measure(comparison.measure, "control")
        return compare(comparison, treated, control, self.resolver, self.rules.rounding)

    def counted(self, name: str) -> tuple[Measure, MeasureCounts]:
        """Measure ``name`` and what it counted in the cohort (the treatment group), for a rate
        card; NotAssessable when it was not measured."""
        measure = self.rules.measure(name)
        if measure is None:
            raise NotAssessable(f"measure {name} is not declared")
        if self.incomplete is not None:
            raise NotAssessable(self.incomplete)
        counts = self.figures.treatment.counts_for(name)
        if counts is None:
            raise NotAssessable(f"no figures for measure {name} in the cohort")
        return measure, counts

    # -- targets and triggers --------------------------------------------------------------------

    def target(self, name: str) -> Truth:
        """Whether target ``name`` is met in this unit."""
        if name not in self._targets:
            self._targets[name] = self._target(name)
        return self._targets[name]

    def _target(self, name: str) -> Truth:
        target = self.rules.target(name)
        if target is None:
            return Truth("not assessable", f"target {name} is not declared")
        cohort = self.rules.target_cohort(name)
        if cohort is not None and cohort != self.figures.cohort and self._other is not None:
            return _elsewhere(name, self._other(cohort))
        if self.incomplete is not None:
            return Truth(
                "not assessable",
                f"target {name} is not assessable: {self.incomplete}",
                f"target {name} awaits a complete cohort",
            )
        source: UnitAssessment | str = self
        if target.all_cohorts:
            source = self.whole()
        elif target.pooled:
            source = self.pooled()
        if isinstance(source, str):
            return Truth(
                "not assessable",
                f"target {name} is assessed once, across all cohorts: {source}",
                f"target {name} awaits every cohort",
            )
        try:
            truth = assess_target(target, source.comparison(target.comparison), self.resolver)
        except NotAssessable as problem:
            return Truth(
                "not assessable",
                f"target {name} is not assessable: {problem.reason}",
                f"target {name} not assessable",
            )
        if target.pooled:
            words = _pooled_words(source.figures)
            comparison = self.rules.comparison(target.comparison)
            ref = comparison.comparator if comparison else None
            if isinstance(ref, Name) and (
                source.resolver.overrides.get(ref.name) != self.resolver.overrides.get(ref.name)
            ):
                words += f", against the weighted average of their {ref.name}"
            reason = f"{words}: {truth.reason}"
            truth = Truth(truth.verdict, reason, truth.summary)
        return truth

    def whole(self) -> UnitAssessment | str:
        """Every cohort of this unit's cohort rule and area pooled, or why not yet."""
        if self._whole is None:
            figures = self._whole_figures() if self._whole_figures else self.figures
            self._whole = figures if isinstance(figures, str) else UnitAssessment(
                self.rules, figures, self._pool_resolver(whole=True), self.currency
            )
        return self._whole

    def pooled(self) -> UnitAssessment:
        """This unit's cohort pooled with every earlier one of the same cohort rule and area."""
        if self._pooled is None:
            figures = self._pooled_figures() if self._pooled_figures else self.figures
            resolver = self._pool_resolver(whole=False)
            self._pooled = UnitAssessment(self.rules, figures, resolver, self.currency)
        return self._pooled

    def _pool_resolver(self, whole: bool) -> Resolver:
        """The resolver of a pooled assessment: a comparator keyed by cohort (a baseline per
        cohort) is the average of the pooled cohorts' rows, weighted by what the measure divides
        by (offenders, or reoffenders for a frequency per reoffender), not the current
        cohort's row alone. Every other value is this unit's."""
        if self._members is None:
            return self.resolver
        members = self._members(whole)
        overrides = dict(self.resolver.overrides)
        for comparison in self.rules.comparisons:
            ref = comparison.comparator
            if not isinstance(ref, Name) or ref.name in overrides:
                continue
            parameter = self.rules.parameter(ref.name)
            measure = self.rules.measure(comparison.measure)
            if parameter is None or parameter.keyed_by != "cohort" or measure is None:
                continue
            if measure.cohort != self.figures.cohort:
                continue
            weighted = _weighted(self.resolver, ref, members, measure.name, measure.kind)
            if weighted is not None:
                overrides[ref.name] = weighted
        return attrs.evolve(self.resolver, overrides=overrides)

    def term_trigger(self, name: str) -> Truth:
        """Whether term ``name``'s trigger holds in this unit (a term without one always holds)."""
        if name in self._terms:
            return self._terms[name]
        term = self.rules.term(name)
        if term is None:
            return Truth("not assessable", f"term {name} is not declared")
        if term.when is None:
            return Truth("met", "")
        if name in self._in_progress:
            return Truth("not assessable", f"term {name}'s trigger depends on itself")
        self._in_progress.add(name)
        truth = evaluate_trigger(term.when, self.target, self.term_trigger)
        self._in_progress.discard(name)
        self._terms[name] = truth
        return truth

    # -- terms -----------------------------------------------------------------------------------

    def assesses(self, term: Term) -> bool:
        """Whether ``term`` is assessed for this unit: its amount's comparison measures this
        unit's cohort, or (an amount that names no comparison) the first cohort rule its trigger
        names is this unit's. A term tied to neither is assessed for every unit. A trigger that
        joins targets of two cohort rules is so paid once per period, not once per rule."""
        if isinstance(term.amount, PerCounted):
            counted = self.rules.measure(term.amount.measure)
            return counted is not None and counted.cohort == self.figures.cohort
        named = _amount_comparisons(term.amount)
        if named:
            return any(
                self.rules.comparison_cohort(name) == self.figures.cohort for name in named
            )
        cohorts = self.rules.trigger_cohorts(term.when)
        return not cohorts or cohorts[0] == self.figures.cohort

    def draft(self, term: Term) -> Draft:
        """The term's line before rounding and limits."""
        trigger = self.term_trigger(term.name)
        if trigger.verdict == "not met":
            return Draft("not met", None, f"not due: {trigger.reason}")
        if trigger.verdict == "not assessable":
            return Draft("not assessable", None, trigger.reason)
        calculator = AmountCalculator(
            term, self.resolver, self.comparison, self.figures.treatment.offenders, self.currency,
            self.counted,
        )
        try:
            amount = calculator.amount()
        except NotAssessable as problem:
            return Draft("not assessable", None, problem.reason)
        parts = [trigger.reason] if trigger.reason else []
        used = amount.comparison
        if used is not None and not any(used.derivation in part for part in parts):
            parts.append(used.derivation)
        parts.append(amount.derivation)
        return Draft("pays", amount, "; ".join(parts))

    # -- results for the statement ---------------------------------------------------------------

    def results(
        self,
    ) -> tuple[tuple[MeasureResult, ...], tuple[ComparisonResult, ...], tuple[TargetResult, ...]]:
        """Every measure, comparison and target of this unit's cohort, in declaration order."""
        cohort = self.figures.cohort
        measures = []
        for measure in self.rules.measures:
            if measure.cohort != cohort:
                continue
            groups: list[Group] = ["treatment"]
            if self.figures.control is not None:
                groups.append("control")
            for group in groups:
                try:
                    value = self.measure(measure.name, group)
                except NotAssessable as problem:
                    measures.append(
                        MeasureResult(
                            measure.name,
                            group,
                            measure.clause,
                            None,
                            None,
                            f"not assessable: {problem.reason}",
                            _counted(measure),
                        )
                    )
                else:
                    measures.append(
                        MeasureResult(
                            measure.name,
                            group,
                            measure.clause,
                            value.value,
                            value.text(),
                            value.derivation,
                            _counted(measure),
                        )
                    )
        comparisons = []
        names: set[str] = set()  # the comparisons of this unit's cohort rule
        for comparison in self.rules.comparisons:
            if self.rules.comparison_cohort(comparison.name) != cohort:
                continue
            names.add(comparison.name)
            try:
                compared = self.comparison(comparison.name)
            except NotAssessable as problem:
                comparisons.append(
                    ComparisonResult(
                        comparison.name,
                        comparison.measure,
                        comparison.unit,
                        comparison.clause,
                        None,
                        None,
                        None,
                        None,
                        f"not assessable: {problem.reason}",
                    )
                )
            else:
                comparisons.append(
                    ComparisonResult(
                        comparison.name,
                        comparison.measure,
                        comparison.unit,
                        comparison.clause,
                        compared.comparator,
                        _comparator_text(compared),
                        compared.improvement,
                        _show_improvement(comparison, compared.improvement),
                        compared.derivation,
                    )
                )
        targets = []
        for target in self.rules.targets:
            if target.comparison not in names:
                continue
            truth = self.target(target.name)
            threshold, shown = _threshold_of(target, self.rules.comparisons, self.resolver)
            boundary = truth.boundary
            declared = self.rules.comparison(target.comparison)
            assert declared is not None  # the target is on a comparison of this cohort rule
            targets.append(
                TargetResult(
                    target.name,
                    target.comparison,
                    target.clause,
                    truth.verdict,
                    target.pooled,
                    truth.reason,
                    target.direction,
                    threshold,
                    shown,
                    boundary,
                    None if boundary is None else _show_improvement(declared, boundary),
                )
            )
        return tuple(measures), tuple(comparisons), tuple(targets)


def _comparator_text(compared: ComparisonValue) -> str | None:
    """The comparator in its measure's terms (None for an evaluator's estimate: it has none)."""
    if compared.measure is None or compared.comparator is None:
        return None
    return show(compared.measure.measure, compared.comparator)


def _threshold_of(
    target: Target, comparisons: tuple[Comparison, ...], resolver: Resolver
) -> tuple[Fraction | None, str | None]:
    """The improvement ``target`` asks for, in its comparison's scale, and its words; (None,
    None) when it names none or its value cannot be worked out (the verdict then says why)."""
    comparison = next((c for c in comparisons if c.name == target.comparison), None)
    wanted = target.threshold
    if wanted is None or comparison is None:
        return None, None
    resolved = _attempt(lambda: resolver.quantity(wanted))
    if isinstance(resolved, NotAssessable):
        return None, None
    return resolved.value, _show_improvement(comparison, resolved.value)


def _weighted(
    resolver: Resolver, ref: Name, members: list[CohortFigures], measure: str, kind: str
) -> Quantity | None:
    """Σ wᵢ·bᵢ / Σ wᵢ over the pooled cohorts' rows bᵢ of ``ref``, with wᵢ each cohort's
    offenders (reoffenders for a frequency per reoffender); None when it cannot be worked out
    (a row missing, or nothing to weigh), which leaves the row of the unit itself."""
    total, weights, unit = Fraction(0), 0, None
    for member in members:
        counts = member.treatment.counts_for(measure)
        weight = (counts.reoffenders if counts else 0) if kind == "per_reoffender" else (
            member.treatment.offenders
        )
        try:
            row = attrs.evolve(resolver, unit=member).quantity(ref)
        except NotAssessable:
            return None
        total += weight * row.value
        weights += weight
        unit = row
    if unit is None or weights == 0:
        return None
    return Quantity(total / weights, unit.unit, unit.currency)


def _attempt(work: Callable[[], T]) -> T | NotAssessable:
    try:
        return work()
    except NotAssessable as problem:
        return problem


def _unwrap(result: T | NotAssessable) -> T:
    if isinstance(result, NotAssessable):
        raise result
    return result


def _amount_comparisons(amount: Amount) -> set[str]:
    match amount:
        case PerUnitOf(comparison=name) | Banded(comparison=name) | SavingsShare(comparison=name):
            found = {name}
            if isinstance(amount, Banded):
                for band in amount.bands:
                    found |= _amount_comparisons(band.amount)
            return found
        case Fixed() | PerOffender() | ShareOfValue() | PerCounted():
            return set()
        case _:
            assert_never(amount)


def _elsewhere(name: str, other: UnitAssessment | str) -> Truth:
    """Target ``name`` of another cohort rule, assessed on that rule's unit of this unit's period
    and area (``when adult_threshold and youth_threshold``), or why there is none."""
    if isinstance(other, str):
        return Truth(
            "not assessable",
            f"target {name} is not assessable: {other}",
            f"target {name} not assessable",
        )
    truth = other.target(name)
    return Truth(truth.verdict, f"{_unit_words(other.figures)}: {truth.reason}", truth.summary)


def _unit_words(figures: CohortFigures) -> str:
    area = f" in {figures.area}" if figures.area else ""
    return f"cohort {figures.cohort} {figures.period}{area}"


def _pooled_words(figures: CohortFigures) -> str:
    return f"pooled over {figures.period}"


def _counted(measure: Measure) -> tuple[str, str] | None:
    """What the statement says ``measure`` counts, for outcomes beyond offences (None for
    proven offences and reconviction events, whose statements stay as they were)."""
    return None if measure.counting in OFFENCE_COUNTING else unit_names(measure)
