"""Comparisons estimated by the evaluator: an improvement made of impact estimates.

``comparison backstop: estimated impact on youths in relative percent as 80% of rct + 20% of
did``: each impact is the change in the outcome the evaluator estimates for the cohort unit
(−12% where bed days fell by 12%), supplied with the data (impacts.csv) or in a worked example
(``given impact``). Its improvement is −value for a lower-is-better outcome and +value for
``higher is better``; the comparison's improvement is the weighted sum (a weight left out is
100%). A missing estimate, or one in another unit than the comparison's, makes the comparison
not assessable with the reason, never zero.
"""

from __future__ import annotations

from fractions import Fraction

from pbrrules.figures import CohortFigures, ImpactFigure
from pbrrules.pay.measures import ComparisonValue, improvement_words, show_improvement
from pbrrules.pay.params import NotAssessable, Resolver
from pbrrules.pay.rounding import round_proportion
from pbrrules.rules import Comparison, Estimate, ImprovementUnit, Rounding
from pbrrules.statement import wording
from pbrrules.values import Quantity, Unit

#: The units an impact may be written in for each unit of comparison.
_FITS: dict[ImprovementUnit, tuple[Unit, ...]] = {
    "points": (Unit.POINTS,),
    "percent": (Unit.PERCENT, Unit.PERCENTAGE),
    "absolute": (Unit.NUMBER, Unit.COUNT),
}


def estimated(
    comparison: Comparison,
    estimate: Estimate,
    figures: CohortFigures,
    resolver: Resolver,
    rounding: Rounding | None,
) -> ComparisonValue:
    """The comparison's improvement from the unit's impact estimates, with its working."""
    total = Fraction(0)
    shown: list[str] = []
    sums: list[str] = []
    for part in estimate.parts:
        impact = figures.impact(part.name)
        if impact is None:
            raise NotAssessable(
                f"comparison {comparison.name} needs the evaluator's impact estimate "
                f"{part.name} for {figures.period}, and none was supplied"
            )
        value = _value(comparison, impact)
        improvement = value if estimate.direction == "higher" else -value
        weight = resolver.quantity(part.weight).value if part.weight is not None else Fraction(1)
        total += weight * improvement
        source = f" (source: {impact.source})" if impact.source else ""
        shown.append(f"{part.name} {_show(comparison, value)}{source}")
        if part.weight is not None:
            sums.append(f"{wording.percent(weight)} × {show_improvement(comparison, improvement)}")
    rule = rounding.rule_for("improvements") if rounding else None
    rounded = round_proportion(total, rule, percentage=comparison.unit != "absolute")
    working = f"estimated impact: {'; '.join(shown)}"
    if sums:
        working += f"; {' + '.join(sums)} = {show_improvement(comparison, total)}"
    words = improvement_words(comparison, rounded, estimate.direction)
    if rounded != total:
        words += f" (from {show_improvement(comparison, total)}, rounded)"
    return ComparisonValue(comparison, None, None, None, rounded, f"{working}: {words}")


def _value(comparison: Comparison, impact: ImpactFigure) -> Fraction:
    """The impact's value, if it is written in the comparison's unit."""
    quantity: Quantity = impact.value
    if quantity.unit not in _FITS[comparison.unit]:
        wanted = {"points": "percentage points (-3.5pp)", "percent": "percent (-12%)",
                  "absolute": "a plain number (-0.3)"}[comparison.unit]
        raise NotAssessable(
            f"the impact estimate {impact.name} is in {quantity.unit.value}, but comparison "
            f"{comparison.name} is in {wanted}"
        )
    return quantity.value


def _show(comparison: Comparison, value: Fraction) -> str:
    """An impact as the evaluator states it: −12%, −3.5 percentage points, −0.3."""
    match comparison.unit:
        case "points":
            return wording.points(value)
        case "percent":
            return wording.percent(value)
        case "absolute":
            return wording.number(value)
    raise AssertionError(comparison.unit)  # pragma: no cover - a closed set of units
