"""Targets and triggers: three-valued verdicts (met, not met, not assessable) with their reasons.

A target is met when its comparison's change reaches the threshold (a reduction of at least the
threshold, or an increase of at least it, in the measured quantity, whichever its words say:
on a ``higher is better`` measure an increase is the improvement; with no threshold, any change
in that direction), and, when the target asks for it, the change is statistically
significant. A threshold met exactly is met. Triggers combine targets and other terms' triggers
with and / or / not under Kleene's three-valued logic: ``not met and (anything)`` is not met,
``met or (anything)`` is met, and otherwise an unassessable part makes the whole unassessable.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Literal, assert_never

from attrs import frozen

from pbrrules.pay import significance
from pbrrules.pay.measures import ComparisonValue, measured_change, show_improvement
from pbrrules.pay.params import NotAssessable, Resolver
from pbrrules.rules import (
    Target,
    TargetMet,
    TermPays,
    Trigger,
    TriggerAll,
    TriggerAny,
    TriggerNot,
    wants_improvement,
)
from pbrrules.values import Unit

Verdict = Literal["met", "not met", "not assessable"]


@frozen
class Truth:
    """A three-valued verdict and the reason for it, in the statement's words."""

    verdict: Verdict
    reason: str
    #: The verdict in a few words ("target five_points met"), for a hurdle that cites it.
    summary: str = ""
    #: For a target with a one-proportion significance test: the change just significant
    #: (approximate; ``SignificanceResult.boundary``), for charts.
    boundary: Fraction | None = None

    @property
    def met(self) -> bool:
        """Whether the verdict is "met"."""
        return self.verdict == "met"

    @property
    def short(self) -> str:
        """The summary, or the whole reason when there is none."""
        return self.summary or self.reason


_UNIT_OF = {"points": Unit.POINTS, "percent": Unit.PERCENT}


def assess_target(target: Target, value: ComparisonValue, resolver: Resolver) -> Truth:
    """Whether ``target`` is met by the comparison ``value``, with the numbers that decide it."""
    comparison = value.comparison
    # the change the target's words ask for: an improvement, or a deterioration
    wanted_improvement = wants_improvement(target.direction, value.direction)
    change = value.improvement if wanted_improvement else -value.improvement
    parts = [value.derivation]
    # The comparison's words end with "reduction of X" or "increase of X"; say how X compares.
    same_direction = (measured_change(value.improvement, value.direction) > 0) == (
        target.direction == "increase"
    )
    if target.threshold is None:
        met = change > 0
        if not met:
            parts[-1] += f", not {_article(target.direction)} {target.direction}"
    else:
        threshold = resolver.quantity(target.threshold)
        if threshold.value < 0:
            # met by a change the other way (the checker refuses one written so, PBR214)
            raise NotAssessable(
                f"target {target.name} has a negative threshold; a threshold is the least "
                f"{target.direction} that meets it"
            )
        expected = _UNIT_OF.get(comparison.unit)
        if expected is not None and not threshold.unit.fits(expected):
            raise NotAssessable(
                f"target {target.name} sets its threshold in {threshold.unit.value} but "
                f"{comparison.name} is in {expected.value}"
            )
        met = change >= threshold.value
        wanted = show_improvement(comparison, threshold.value)
        if same_direction or change == 0:
            parts[-1] += f" {'≥' if met else '<'} {wanted}"
        else:
            parts[-1] += (
                f", not {_article(target.direction)} {target.direction} of at least {wanted}"
            )
    boundary = None
    if target.significance is not None:
        tested = significance.test(target.significance, value, target.direction, resolver)
        parts.append(tested.derivation)
        met = met and tested.met
        boundary = tested.boundary
    verdict: Verdict = "met" if met else "not met"
    summary = f"target {target.name} {verdict}"
    return Truth(verdict, "; ".join(parts) + f": {summary}", summary, boundary)


def evaluate_trigger(
    trigger: Trigger,
    target: Callable[[str], Truth],
    term: Callable[[str], Truth],
) -> Truth:
    """The verdict of a trigger, given the verdicts of targets and of other terms' triggers."""
    match trigger:
        case TargetMet(name):
            return target(name)
        case TermPays(name):
            inner = term(name)
            summary = f"term {name} {_pays(inner.verdict)}"
            return Truth(inner.verdict, f"{summary} ({inner.short})", summary)
        case TriggerNot(operand):
            inner = evaluate_trigger(operand, target, term)
            flipped: Verdict = {
                "met": "not met",
                "not met": "met",
                "not assessable": "not assessable",
            }[inner.verdict]  # type: ignore[assignment]
            return Truth(flipped, inner.reason, inner.summary)
        case TriggerAll(left, right):
            return _both(
                evaluate_trigger(left, target, term), evaluate_trigger(right, target, term)
            )
        case TriggerAny(left, right):
            return _either(
                evaluate_trigger(left, target, term), evaluate_trigger(right, target, term)
            )
        case _:
            assert_never(trigger)


def _pays(verdict: Verdict) -> str:
    return {"met": "pays", "not met": "does not pay", "not assessable": "is not assessable"}[
        verdict
    ]


def _both(left: Truth, right: Truth) -> Truth:
    """``a and b`` in Kleene logic: one "not met" decides, else one "not assessable"."""
    return _kleene(left, right, ("not met", "not assessable"), "met")


def _either(left: Truth, right: Truth) -> Truth:
    """``a or b`` in Kleene logic: one "met" decides, else one "not assessable"."""
    return _kleene(left, right, ("met", "not assessable"), "not met")


def _kleene(
    left: Truth, right: Truth, deciding: tuple[Verdict, Verdict], otherwise: Verdict
) -> Truth:
    """The first verdict of ``deciding`` either side has (citing the sides that have it), else
    ``otherwise`` citing both."""
    for verdict in deciding:
        decided = [t for t in (left, right) if t.verdict == verdict]
        if decided:
            return _joined(verdict, decided)
    return _joined(otherwise, [left, right])


def _joined(verdict: Verdict, truths: list[Truth]) -> Truth:
    return Truth(verdict, "; ".join(t.reason for t in truths), "; ".join(t.short for t in truths))


def _article(direction: str) -> str:
    return "an" if direction == "increase" else "a"
