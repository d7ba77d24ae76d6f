"""Terms that can never pay (PBR221): a trigger that needs the outcome to move one way, and an
amount that pays only when it moves the other.

A target's words say what the measured quantity does (``increase in employment_change``), and
its measure says which way is better (``higher is better``; lower by default). A reward priced
on an improvement (``pay $100,000 per percentage point of C``, a share of savings, bands that
all start above zero) pays nothing when the only way its trigger holds is a deterioration of
the same comparison; a deduction priced on a deterioration pays nothing when its trigger needs
an improvement. Such a term is accepted by every other check and always pays $0, which only a
worked example would catch (issue 13), so it is refused here, statically, naming the lines
that disagree.

A target is *needed* by a trigger when the trigger cannot hold without it: ``when a`` needs a;
``a and b`` needs both; ``a or b`` needs what both sides need; ``not a`` needs nothing;
``term t pays`` needs what t's trigger needs. Pooled targets are left out: they are met on
pooled figures, while the amount is paid on the unit's own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import assert_never

from attrs import frozen

from pbrrules import rules
from pbrrules.checks.shape import stated_value
from pbrrules.errors import Diagnostic, once_per_line


def check(contract: rules.Contract) -> Iterator[Diagnostic]:
    """A PBR221 for each term, in each version, that can never pay."""
    yield from once_per_line(
        diagnostic
        for version in contract.versions
        for term in version.rules.terms
        for diagnostic in _never_pays(version.rules, term)
    )


def needed_targets(
    version: rules.Rules, trigger: rules.Trigger | None, visiting: frozenset[str] = frozenset()
) -> frozenset[str]:
    """The targets ``trigger`` cannot hold without (see the module's docstring)."""
    match trigger:
        case None:
            return frozenset()
        case rules.TargetMet(target=name):
            return frozenset({name})
        case rules.TriggerAll(left=left, right=right):
            both = needed_targets(version, left, visiting), needed_targets(version, right, visiting)
            return both[0] | both[1]
        case rules.TriggerAny(left=left, right=right):
            one = needed_targets(version, left, visiting)
            return one & needed_targets(version, right, visiting)
        case rules.TriggerNot():
            return frozenset()
        case rules.TermPays(term=name):
            other = version.term(name)
            if other is None or name in visiting:
                return frozenset()  # unknown names and circles are reported elsewhere
            return needed_targets(version, other.when, visiting | {name})
        case _:
            assert_never(trigger)


def _never_pays(version: rules.Rules, term: rules.Term) -> Iterator[Diagnostic]:
    comparison_name = _priced_on(version, term)
    if comparison_name is None:
        return
    outcome = _outcome(version, comparison_name)
    if outcome is None:
        return
    for name in sorted(needed_targets(version, term.when)):
        target = version.target(name)
        if target is None or target.comparison != comparison_name or target.pooled:
            continue
        improves = rules.wants_improvement(target.direction, outcome.direction)
        if improves != term.deduction:
            continue
        yield _diagnostic(term, target, outcome, comparison_name, improves)
        return


@frozen
class _Outcome:
    """What a comparison compares, for the message: its measure or the estimated impact."""

    direction: rules.Direction
    label: str
    #: Whether the direction was written (else it is the default).
    written: bool
    #: The line that says it, for the help ("measure employment").
    where: str
    #: What should rise, for the help ("employment", "the outcome").
    noun: str = "the outcome"


def _outcome(version: rules.Rules, name: str) -> _Outcome | None:
    comparison = version.comparison(name)
    if comparison is None:
        return None
    if comparison.estimate is not None:
        estimate = comparison.estimate
        return _Outcome(estimate.direction, f"the estimated impact on {estimate.cohort}",
                        estimate.direction == "higher", f"comparison {name}")
    measure = version.measure(comparison.measure)
    if measure is None:
        return None
    return _Outcome(measure.direction, f"measure {measure.name}", "direction" in measure.written,
                    f"measure {measure.name}", measure.name)


def _priced_on(version: rules.Rules, term: rules.Term) -> str | None:
    """The comparison whose improvement (for a deduction, deterioration) alone sizes the
    term's amount, so that no change that way means no money; None for other amounts."""
    match term.amount:
        case rules.PerUnitOf(comparison=name) | rules.SavingsShare(comparison=name):
            return name
        case rules.Banded(comparison=name, bands=bands):
            if term.deduction:
                return name  # a banded deduction with no deterioration deducts nothing
            lowers = [stated_value(band.lower, version) for band in bands]
            if all(lower is not None and lower > 0 for lower in lowers):
                return name
            return None
        case rules.Fixed() | rules.PerOffender() | rules.ShareOfValue() | rules.PerCounted():
            return None
        case _:
            assert_never(term.amount)


def _diagnostic(
    term: rules.Term,
    target: rules.Target,
    outcome: _Outcome,
    comparison: str,
    improves: bool,
) -> Diagnostic:
    better = f"{outcome.direction} is better"
    moved = "an improvement" if improves else "a deterioration"
    pays_for = "a deterioration" if term.deduction else "an improvement"
    verb = "deducts" if term.deduction else "pays"
    default = "" if outcome.written else ", the default"
    fix = (
        f"if {outcome.noun} should rise, write 'higher is better' in {outcome.where}; "
        if not improves and outcome.direction == "lower"
        else ""
    )
    other = "reduction" if target.direction == "increase" else "increase"
    return Diagnostic(
        "PBR221",
        f"term '{term.name}' can never pay: it needs target '{target.name}' (line "
        f"{target.span.line}), met only by {moved} of {comparison} ('{target.direction} in' "
        f"on {outcome.label}, '{better}'{default}), but it {verb} only for {pays_for}",
        term.amount.span,
        help=f"{fix}otherwise the target should say '{other} in {comparison}'",
        clause=term.clause,
    )
