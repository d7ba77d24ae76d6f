"""Worked examples' figures that no cohort can have (PBR231): more reoffenders than offenders,
or fewer reoffences (reconviction events) than reoffenders; a measure's own figures given
for a cohort it does not measure (PBR222); and one example giving the same figures (or the
same impact estimate) twice (PBR233), which would otherwise let the last line silently win.

The pay stage refuses such figures too (``figures.GroupFigures``), for an example whose figures
are parameters and for a calling service; written as numbers, they are found at check time, at
the line that gives them. Fewer reoffences than reoffenders is found here only: a measure that
counts no offences holds 0 of them, so the pay stage cannot tell it from a slip.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import assert_never

from pbrrules import rules
from pbrrules.errors import Diagnostic, Related
from pbrrules.figures import impossible
from pbrrules.values import Quantity


def _whole(ref: rules.ValueRef) -> int | None:
    """A figure written as a whole number, or None (a parameter, or not whole: reported
    elsewhere)."""
    if isinstance(ref, rules.Literal_) and isinstance(ref.value, Quantity):
        number = ref.value.value
        return int(number) if number.denominator == 1 else None
    return None


def _measure_cohorts(contract: rules.Contract) -> dict[str, str]:
    """Each measure's cohort rule, by the measure's name (the first version's that has it)."""
    found: dict[str, str] = {}
    for version in contract.versions:
        for measure in version.rules.measures:
            found.setdefault(measure.name, measure.cohort)
    return found


def _unit_words(contract: rules.Contract) -> dict[str, tuple[str, str]]:
    """What each measure of an outcome beyond offences counts and whom, in the statement's words
    (``custody days``, ``people in custody``), by the measure's name."""
    return {
        measure.name: rules.unit_names(measure)
        for version in contract.versions
        for measure in version.rules.measures
        if measure.counting not in rules.OFFENCE_COUNTING
    }


def _other_cohort(
    example: rules.Example, given: rules.GivenFigures, cohorts: dict[str, str]
) -> Diagnostic | None:
    """PBR222: ``given adults "year 1" for youth_rate: ...`` names a measure of another cohort."""
    if given.measure is None or given.cohort is None:
        return None
    cohort = cohorts.get(given.measure)
    if cohort is None or cohort == given.cohort:
        return None  # an unknown measure is PBR101
    return Diagnostic(
        "PBR222",
        f"the example '{example.name}' gives figures of cohort '{given.cohort}' for measure "
        f"'{given.measure}', which measures cohort '{cohort}'",
        given.measure_span,
        help=f"write 'given {cohort} ...' or drop the cohort's name: a measure's figures are "
        "those of its own cohort",
        clause=example.clause,
    )


def check(contract: rules.Contract) -> Iterator[Diagnostic]:
    """A PBR231 for each example's figures that no group can have; a PBR222 for figures of a
    measure given for another cohort rule than the one it measures."""
    cohorts = _measure_cohorts(contract)
    units = _unit_words(contract)
    for example in contract.examples:
        yield from _given_twice(example)
        for given in example.givens:
            if not isinstance(given, rules.GivenFigures):
                continue
            other = _other_cohort(example, given, cohorts)
            if other is not None:
                yield other
            figures = {name: _whole(ref) for name, ref in given.figures}
            offenders, reoffenders = figures.get("offenders"), figures.get("reoffenders")
            if offenders is None or reoffenders is None:
                continue
            # a measure of arrests or custody days counts people arrested, custody days...
            counted, people = units.get(given.measure or "", ("reoffences", "reoffenders"))
            verb = "be counted" if given.measure in units else "reoffend"
            problem = impossible(
                offenders, reoffenders, people=people, verb=verb
            ) or _too_few_offences(reoffenders, figures, counted, people)
            if problem is not None:
                yield Diagnostic(
                    "PBR231",
                    f"the example '{example.name}' gives impossible figures for "
                    f"'{given.period}': {problem}",
                    given.span,
                    help="a reoffender is one of the cohort's offenders, with at least one "
                    "reoffence: check the figures against the published ones",
                    clause=example.clause,
                )


def _too_few_offences(
    reoffenders: int,
    figures: Mapping[rules.FigureName, int | None],
    units: str = "reoffences",
    people: str = "reoffenders",
) -> str | None:
    """Why fewer reoffences (or reconviction events) than reoffenders cannot be, or None: each
    reoffender has at least one. ``units`` and ``people`` word them for an outcome beyond
    offences ("custody days", "people in custody")."""
    names: tuple[rules.FigureName, ...] = ("reoffences", "events")
    for name in names:
        counted = figures.get(name)
        if counted is not None and counted < reoffenders:
            what = units if name == "reoffences" else "reconviction events"
            return (f"{counted:,} {what} among {reoffenders:,} {people} (each reoffender has "
                    "at least one)")
    return None


def _given_twice(example: rules.Example) -> Iterator[Diagnostic]:
    """A PBR233 for each line of an example that gives what an earlier line gave: the same
    group's figures for the same cohort rule, period, area and measure, the same impact estimate
    for the same period and area, or a value for the same name (one line would silently replace
    the other)."""
    seen: dict[tuple[object, ...], rules.GivenFigures | rules.GivenImpact | rules.GivenValue] = {}
    for given in example.givens:
        key: tuple[object, ...]
        match given:
            case rules.GivenFigures():
                key = ("figures", given.cohort, given.period, given.area, given.control,
                       given.measure)
                what = (f"{'the control group' if given.control else 'the cohort'}'s figures "
                        f"for '{given.period}'")
            case rules.GivenImpact():
                key = ("impact", given.name, given.period, given.area)
                what = f"the impact estimate {given.name} for '{given.period}'"
            case rules.GivenValue():
                key = ("value", given.name)
                what = f"a value for {given.name}"
            case _:
                assert_never(given)
        first = seen.get(key)
        if first is None:
            seen[key] = given
            continue
        yield Diagnostic(
            "PBR233",
            f"the example '{example.name}' gives {what} twice",
            given.span,
            help="keep one line: the example's figures are the published ones, once (which line "
            "counted would otherwise depend on their order)",
            clause=example.clause,
            related=(Related("given first here", first.span),),
        )
