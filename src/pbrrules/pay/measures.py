"""Measure values and comparisons for one cohort unit: rates, frequencies, improvements.

binary rate = R / N; frequency per reoffender = O / R; frequency per ``per`` offenders =
per × O / N. An offender-mix adjustment moves a binary rate by the cohort's predicted rate
P = predicted / N against the baseline's B: ratio ``actual × B / P``, difference
``actual − (P − B)``. A comparison's improvement is comparator − measure (a fall is positive),
or measure − comparator for a measure that is ``higher is better`` (a rise is positive): in
percentage points, relative to the comparator, or in the measure's own terms. The words say what
the measured quantity did ("increase of 5.0 percentage points" where employment rose).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal, assert_never

from attrs import frozen

from pbrrules.figures import GroupFigures
from pbrrules.pay.params import NotAssessable, Resolver, describe
from pbrrules.pay.rounding import round_proportion
from pbrrules.rules import (
    OFFENCE_COUNTING,
    Comparison,
    ControlGroup,
    Direction,
    Measure,
    MixForm,
    Name,
    Rounding,
    RoundingRule,
    unit_names,
)
from pbrrules.statement import wording
from pbrrules.values import Quantity

Group = Literal["treatment", "control"]


@frozen
class Adjusted:
    """How an offender-mix-adjusted rate was made from the observed one: its form, the cohort's
    predicted rate P and the baseline's B. Adjusting is a straight line in the observed rate,
    which is what a significance test of the adjusted rate needs (docs/significance.md)."""

    form: MixForm
    predicted: Fraction
    baseline: Fraction

    @property
    def slope(self) -> Fraction:
        """How much the adjusted rate moves per unit of the observed rate: B / P, or 1."""
        return self.baseline / self.predicted if self.form == "ratio" else Fraction(1)

    def observed(self, adjusted: Fraction) -> Fraction:
        """The observed rate that adjusts to ``adjusted``: adjusted × P / B, or adjusted + P − B."""
        if self.form == "ratio":
            return adjusted / self.slope
        return adjusted + self.predicted - self.baseline


@frozen
class MeasureValue:
    """A measure's value in one group of one cohort, with the figures it came from."""

    measure: Measure
    group: Group
    value: Fraction
    offenders: int
    reoffenders: int
    reoffences: int
    derivation: str
    #: How the value was adjusted for offender mix, when it was.
    adjustment: Adjusted | None = None

    def text(self) -> str:
        """The value as the statement shows it (41.7%, 4.64, 142 per 100 offenders)."""
        return show(self.measure, self.value)


@frozen
class ComparisonValue:
    """A comparison in one cohort: the measure, its comparator, and the improvement."""

    comparison: Comparison
    #: The measured values (None for a comparison the evaluator estimates).
    measure: MeasureValue | None
    comparator: Fraction | None
    control: MeasureValue | None
    improvement: Fraction
    derivation: str

    def improvement_text(self) -> str:
        """``reduction of 8.2 percentage points`` or ``increase of 3.1% (relative)``."""
        return improvement_words(self.comparison, self.improvement, self.direction)

    @property
    def direction(self) -> Direction:
        """Which way the compared measure (or the estimated outcome) moves when it improves."""
        if self.measure is None:
            estimate = self.comparison.estimate
            return estimate.direction if estimate is not None else "lower"
        return self.measure.measure.direction


def show(measure: Measure, value: Fraction) -> str:
    """A measure's value in its own terms."""
    match measure.kind:
        case "binary":
            return wording.percent(value)
        case "per_reoffender":
            if measure.counting in OFFENCE_COUNTING:
                return wording.number(value)
            return f"{wording.number(value)} {counted_units(measure)} per person with any"
        case "per_offenders":
            if measure.counting in OFFENCE_COUNTING:
                return f"{wording.number(value)} per {wording.count(measure.per)} offenders"
            units = counted_units(measure)
            return f"{wording.number(value)} {units} per {wording.count(measure.per)} offenders"
        case _:
            assert_never(measure.kind)


def show_improvement(comparison: Comparison, value: Fraction) -> str:
    """An improvement (or a threshold of one) in the comparison's unit."""
    match comparison.unit:
        case "points":
            return wording.points(value)
        case "percent":
            return wording.percent(value) + " (relative)"
        case "absolute":
            return wording.number(value)
        case _:
            assert_never(comparison.unit)


def measured_change(improvement: Fraction, direction: Direction) -> Fraction:
    """How far the measured quantity rose (negative: fell) for an ``improvement``: a fall is an
    improvement of a lower-is-better measure, a rise of a higher-is-better one."""
    return improvement if direction == "higher" else -improvement


def improvement_words(comparison: Comparison, improvement: Fraction, direction: Direction) -> str:
    """What the measured quantity did: ``reduction of 8.2 percentage points`` where it fell (or
    did not move), ``increase of 5.0 percentage points`` where it rose, whichever is better."""
    change = measured_change(improvement, direction)
    if change > 0:
        return "increase of " + show_improvement(comparison, change)
    return "reduction of " + show_improvement(comparison, -change)


def counted_units(measure: Measure) -> str:
    """What the measure counts, as the statement names it (reoffences, custody days, ...)."""
    return unit_names(measure)[0]


def _people(measure: Measure) -> str:
    """The people with at least one unit counted (reoffenders, people in custody, ...)."""
    return unit_names(measure)[1]



def measure_value(
    measure: Measure,
    figures: GroupFigures | None,
    group: Group,
    resolver: Resolver,
    rounding: Rounding | None,
) -> MeasureValue:
    """The value of ``measure`` on one group's figures; NotAssessable when it is undefined."""
    where = "the control group" if group == "control" else "the cohort"
    if figures is None:
        raise NotAssessable(f"measure {measure.name} needs {where}'s figures, and none were given")
    given = resolver.overrides.get(measure.name) if group == "treatment" else None
    counts = figures.counts_for(measure.name)
    n = figures.offenders
    r = counts.reoffenders if counts else 0
    o = counts.reoffences if counts else 0
    if isinstance(given, Quantity):
        text = show(measure, given.value)
        return MeasureValue(measure, group, given.value, n, r, o, f"{measure.name} {text} (given)")
    if counts is None:
        raise NotAssessable(f"no figures for measure {measure.name} in {where}")
    adjustment: Adjusted | None = None
    match measure.kind:
        case "binary":
            if n == 0:
                raise NotAssessable(f"binary rate {measure.name} is undefined: {where} is empty")
            actual = Fraction(r, n)
            # outcomes beyond offences name the people counted ("178 people arrested / 400")
            who = "" if measure.counting in OFFENCE_COUNTING else f" {_people(measure)}"
            text = (
                f"binary rate {wording.percent(actual)} = {wording.count(r)}{who} / "
                f"{wording.count(n)}"
            )
            value, text, adjustment = _adjusted(measure, figures, actual, text, resolver)
            rule = rounding.rule_for("rates") if rounding else None
        case "per_reoffender":
            if r == 0:
                raise NotAssessable(
                    f"frequency {measure.name} is undefined: {where} has no {_people(measure)} "
                    "(R = 0)"
                )
            value = Fraction(o, r)
            units = counted_units(measure)
            text = (
                f"frequency {wording.number(value)} = {wording.count(o)} {units} / "
                f"{wording.count(r)} {_people(measure)}"
            )
            rule = rounding.rule_for("frequencies") if rounding else None
        case "per_offenders":
            if n == 0:
                raise NotAssessable(f"frequency {measure.name} is undefined: {where} is empty")
            value = Fraction(measure.per * o, n)
            units = counted_units(measure)
            text = (
                f"{wording.number(value)} {units} per {wording.count(measure.per)} "
                f"offenders = {wording.count(measure.per)} × {wording.count(o)} / "
                f"{wording.count(n)}"
            )
            rule = rounding.rule_for("frequencies") if rounding else None
        case _:
            assert_never(measure.kind)
    rounded = round_proportion(value, rule, percentage=measure.kind == "binary")
    if rounded != value:
        text += f", rounded to {show(measure, rounded)}{_rule_words(rule)}"
    label = f"{measure.name} ({where.removeprefix('the ')})" if group == "control" else measure.name
    return MeasureValue(measure, group, rounded, n, r, o, f"{label}: {text}", adjustment)


def _rule_words(rule: RoundingRule | None) -> str:
    if rule is None:
        return ""
    places = "place" if rule.places == 1 else "places"
    return f" ({rule.places} decimal {places}, {rule.mode})"


def _adjusted(
    measure: Measure, figures: GroupFigures, actual: Fraction, text: str, resolver: Resolver
) -> tuple[Fraction, str, Adjusted | None]:
    adjustment = measure.adjustment
    if adjustment is None:
        return actual, text, None
    predicted = figures.predicted_rate
    if predicted is None:
        raise NotAssessable(
            f"measure {measure.name} is adjusted for offender mix but no predicted rates were given"
        )
    baseline = resolver.quantity(adjustment.baseline_predicted).value
    p, b = wording.percent(predicted), wording.percent(baseline)
    if adjustment.form == "ratio":
        if predicted == 0:
            raise NotAssessable(
                f"ratio adjustment of {measure.name} is undefined: the predicted rate is 0"
            )
        value = actual * baseline / predicted
        step = f"adjusted by ratio {wording.percent(actual)} × {b} / {p} = {wording.percent(value)}"
    else:
        value = actual - (predicted - baseline)
        step = (
            f"adjusted by difference {wording.percent(actual)} − ({p} − {b}) = "
            f"{wording.percent(value)}"
        )
    text = f"{text}; predicted {p} against {describe(adjustment.baseline_predicted)} {b}; {step}"
    if not 0 <= value <= 1:
        # a rate below 0% or above 100% is no rate: paying on it would count reoffenders
        # avoided that the cohort never had (F5 of issue 11)
        raise NotAssessable(
            f"{text}: the adjusted rate of {measure.name} is outside 0% to 100%, so it is no "
            "rate to pay on (the cohort's predicted rate is too far from the baseline's)"
        )
    return value, text, Adjusted(adjustment.form, predicted, baseline)


def compare(
    comparison: Comparison,
    treated: MeasureValue,
    control: MeasureValue | None,
    resolver: Resolver,
    rounding: Rounding | None,
) -> ComparisonValue:
    """The improvement of ``treated`` against the comparison's comparator."""
    measure = treated.measure
    if isinstance(comparison.comparator, ControlGroup):
        if control is None:  # pragma: no cover - the caller measures the control group first
            raise NotAssessable(f"comparison {comparison.name} needs a control group")
        comparator = control.value
        against = control.derivation
    else:
        ref = comparison.comparator
        comparator = resolver.quantity(ref).value
        label = ref.name if isinstance(ref, Name) else "baseline"
        against = f"{label} {show(measure, comparator)}"
    difference = comparator - treated.value
    if measure.direction == "higher":
        difference = -difference
    match comparison.unit:
        case "points" | "absolute":
            improvement = difference
        case "percent":
            if comparator == 0:
                raise NotAssessable(
                    f"relative improvement {comparison.name} is undefined: the comparator is 0"
                )
            improvement = difference / comparator
        case _:
            assert_never(comparison.unit)
    rule = rounding.rule_for("improvements") if rounding else None
    rounded = round_proportion(improvement, rule, percentage=comparison.unit != "absolute")
    words = improvement_words(comparison, rounded, measure.direction)
    if rounded != improvement:
        words += f" (from {show_improvement(comparison, improvement)}, rounded{_rule_words(rule)})"
    derivation = f"{treated.derivation}; against {against}; {words}"
    return ComparisonValue(comparison, treated, comparator, control, rounded, derivation)
