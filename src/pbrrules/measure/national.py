"""Many lots, one measurement: the contracts of a national scheme measured on one reading.

The 21 Transforming Rehabilitation lots are one template with different values: each lot's cohort
is the template's, made eligible where the area column equals the lot's ``contract_area``. So the
records need not be read 21 times. The lots' common rules, with that one area test taken out and
the cohorts grouped by the area column instead, are measured once; each lot then takes the units
of its own area, which are exactly the figures a measurement of that lot alone gives (a test
holds this, lot by lot). A lot with no records in the data gets the empty units a measurement of
it alone gives: every period, nothing counted.

``measure_lots`` returns ``None`` when the lots cannot share a measurement (their cohorts or
measures differ other than in that area test, a cohort has no such test or is already grouped,
or it has a control group); the caller then measures each lot on its own.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

import attrs
from attrs import frozen

from pbrrules import rules
from pbrrules.figures import CohortFigures, GroupFigures, MeasureCounts
from pbrrules.measure.engine import Measurement, measure
from pbrrules.measure.sources import OutcomeData
from pbrrules.rules.cohorts import AllOf, Condition, FieldTest


@frozen
class LotMeasurement:
    """What the one measurement gives: each lot's figures (in the order of the lots), and the
    national measurement itself (its record accounting, files and rejected records)."""

    figures: tuple[tuple[CohortFigures, ...], ...]
    national: Measurement


def measure_lots(
    lots: Sequence[rules.Contract],
    data: OutcomeData,
    *,
    reject_invalid: bool = False,
    as_of: datetime.date | None = None,
) -> LotMeasurement | None:
    """Measure every lot on one reading of ``data`` (None when the lots cannot share one)."""
    split = [s for lot in lots if (s := _national(lot)) is not None]
    if not split or len(split) != len(lots):
        return None
    national = split[0][0]
    if any(shared != national for shared, _ in split):
        return None
    areas = [area for _, area in split]
    if len(set(areas)) != len(areas):
        return None  # two lots on one area would each be paid on the same records
    measured = measure(
        _contract(lots[0], national), data, reject_invalid=reject_invalid, as_of=as_of
    )
    if not measured.figures:
        return None  # no area in the data to take the shape of an empty unit from
    by_area: dict[str, list[CohortFigures]] = {}
    for unit in measured.figures:
        by_area.setdefault(str(unit.area), []).append(attrs.evolve(unit, area=None))
    template = _empty_units(measured.figures)
    return LotMeasurement(
        tuple(tuple(by_area.get(area, template)) for area in areas), measured
    )


# The lots' common measuring rules: per version, its cohorts (area test removed, grouped by the
# area column) and its measures; lots share a measurement when theirs are equal.
_Shared = tuple[tuple[tuple[rules.Cohort, ...], tuple[rules.Measure, ...]], ...]


def _national(lot: rules.Contract) -> tuple[_Shared, str] | None:
    """The lot's measuring rules with its area test taken out, and its area; None when its
    cohorts cannot be measured that way."""
    shared = []
    areas = set()
    for version in lot.versions:
        cohorts = []
        for cohort in version.rules.cohorts:
            test, rest = _area_test(cohort.eligible)
            if test is None or cohort.grouped_by is not None or cohort.control_group is not None:
                return None
            areas.add((test.column, str(test.value)))
            cohorts.append(attrs.evolve(cohort, eligible=rest, grouped_by=test.column))
        shared.append((tuple(cohorts), version.rules.measures))
    if len(areas) != 1:
        return None
    [(_, area)] = areas
    return tuple(shared), area


def _area_test(condition: Condition | None) -> tuple[FieldTest | None, Condition | None]:
    """The one ``column is parameter`` test of an all-of chain (``area is contract_area``), and
    what is left of the condition without it."""
    match condition:
        case FieldTest(op="=", parameter=str()):
            return condition, None
        case AllOf(left=left, right=right):
            test, rest = _area_test(left)
            if test is not None:
                return test, right if rest is None else AllOf(rest, right)
            test, rest = _area_test(right)
            if test is not None:
                return test, left if rest is None else AllOf(left, rest)
            return None, condition
        case _:
            return None, condition


def _contract(lot: rules.Contract, shared: _Shared) -> rules.Contract:
    """The lot with the shared measuring rules in each version."""
    versions = tuple(
        attrs.evolve(version, rules=attrs.evolve(version.rules, cohorts=cohorts))
        for version, (cohorts, _) in zip(lot.versions, shared, strict=True)
    )
    return attrs.evolve(lot, versions=versions)


def _empty_units(units: Sequence[CohortFigures]) -> list[CohortFigures]:
    """Every unit of one area, emptied: what a lot with no records is measured as."""
    first: dict[tuple[str, str], CohortFigures] = {}
    for unit in units:
        first.setdefault((unit.cohort, unit.period), unit)
    return [
        attrs.evolve(
            unit,
            area=None,
            treatment=_emptied(unit.treatment),
            control=_emptied(unit.control) if unit.control is not None else None,
            excluded=tuple((reason, 0) for reason, _ in unit.excluded),
            closed=None if unit.closed is None else 0,  # no window of no offender has closed
        )
        for unit in first.values()
    ]


def _emptied(group: GroupFigures) -> GroupFigures:
    counts: Mapping[str, MeasureCounts] = {
        name: MeasureCounts(0, 0) for name in group.counts
    }
    predicted = None if group.predicted is None else group.predicted * 0
    return GroupFigures(0, counts, predicted)
