"""Worked examples written inside a contract -> pass/fail, with expected and actual values.

An example gives cohort figures (``given "2015-Q4": 1,000 offenders, 417 reoffenders``), values
(``given baseline = 49.9%``, or a measure's value directly), and expectations (``expect bonus
pays £820,000``, ``expect five_points is met``, ``expect reduction = 8.4%``). Given figures apply
to every cohort rule of the contract that has a period with that label; the pay stage then runs
exactly as on measured data, and each expectation is checked against the statement.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fractions import Fraction
from typing import assert_never

from attrs import frozen

from pbrrules.errors import EvaluationError
from pbrrules.figures import AsOf, CohortFigures, GroupFigures, ImpactFigure, MeasureCounts
from pbrrules.pay.evaluate import evaluate
from pbrrules.pay.rounding import minor_digits, round_to, to_decimal
from pbrrules.rules import (
    Cancellation,
    Cohort,
    Contract,
    Example,
    Expectation,
    FigureName,
    GivenFigures,
    GivenImpact,
    GivenValue,
    Literal_,
    Measure,
    ValueRef,
    periods,
)
from pbrrules.statement import Statement, UnitResult, wording
from pbrrules.values import Quantity, Unit, Value

_SCALED = (Unit.RATE, Unit.PERCENT, Unit.PERCENTAGE, Unit.POINTS)


@frozen
class ExpectationResult:
    """One expectation checked: what was expected, what the contract gives, and why."""

    expectation: Expectation
    passed: bool
    expected: str
    actual: str
    derivation: str = ""


@frozen
class ExampleResult:
    """One worked example run: each expectation's result, and the statement it was read from."""

    example: Example
    results: tuple[ExpectationResult, ...]
    statement: Statement | None = None
    problem: str | None = None

    @property
    def passed(self) -> bool:
        """Whether the example ran and every expectation held."""
        return self.problem is None and all(r.passed for r in self.results)


class ExampleProblem(Exception):
    """An example that cannot be run as written (e.g. figures for a period no cohort has)."""


def run_examples(contract: Contract) -> tuple[ExampleResult, ...]:
    """Run every worked example of ``contract``, in the order written."""
    return tuple(run_example(contract, example) for example in contract.examples)


def run_example(contract: Contract, example: Example) -> ExampleResult:
    """Run one worked example and check each of its expectations."""
    overrides: dict[str, Value] = {
        given.name: given.value for given in example.givens if isinstance(given, GivenValue)
    }
    try:
        figures = example_figures(contract, example)
        as_of = AsOf(example.as_of, "given") if example.as_of is not None else None
        statement = evaluate(contract, figures, overrides=overrides, as_of=as_of)
    except (ExampleProblem, EvaluationError) as problem:
        return ExampleResult(example, (), None, str(problem))
    results = tuple(check(contract, statement, e) for e in example.expectations)
    return ExampleResult(example, results, statement)


# ------------------------------------------------------------------------------------------------
# Building cohort figures from an example's givens


def _cohorts(contract: Contract) -> list[Cohort]:
    seen: dict[str, Cohort] = {}
    for version in contract.versions:
        for cohort in version.rules.cohorts:
            seen.setdefault(cohort.name, cohort)
    return list(seen.values())


def _cancellations(contract: Contract, cohort: str) -> list[Cancellation]:
    return [
        cancellation
        for version in contract.versions
        for rule in version.rules.cohorts
        if rule.name == cohort
        for cancellation in rule.cancellations
    ]


def _measures(contract: Contract, cohort: str) -> list[Measure]:
    seen: dict[str, Measure] = {}
    for version in contract.versions:
        for measure in version.rules.measures:
            if measure.cohort == cohort:
                seen.setdefault(measure.name, measure)
    return list(seen.values())


def example_figures(contract: Contract, example: Example) -> list[CohortFigures]:
    """The cohort figures an example's ``given`` lines describe."""
    years_start = contract.header.contract_years_start
    groups: dict[tuple[str, str, str | None], dict[bool, dict[FigureName, Fraction]]] = {}
    # ``given "year 1" for arrests: ...``: one measure's own figures, by unit, group and measure
    own: dict[tuple[str, str, str | None], dict[bool, dict[str, dict[FigureName, Fraction]]]] = {}
    windows: dict[tuple[str, str, str | None], periods.Window] = {}
    interim: set[tuple[str, str, str | None]] = set()
    givens = [g for g in example.givens if isinstance(g, GivenFigures)]
    for given in givens:
        matched = False
        measured = _measure_cohort(contract, given)
        for cohort in _cohorts(contract):
            if given.cohort is not None and cohort.name != given.cohort:
                continue  # ``given adults "year 1": ...`` is for one cohort rule only
            if measured is not None and cohort.name != measured:
                continue  # ``given "year 1" for arrests: ...`` is for that measure's cohort
            for window in periods.cohort_windows(cohort, years_start):
                if window.label != given.period:
                    continue
                matched = True
                key = (cohort.name, window.label, given.area)
                windows[key] = window
                if given.provisional:
                    interim.add(key)
                if given.measure is not None:
                    groups.setdefault(key, {}).setdefault(given.control, {})
                    figures = own.setdefault(key, {}).setdefault(given.control, {}).setdefault(
                        given.measure, {}
                    )
                else:
                    figures = groups.setdefault(key, {}).setdefault(given.control, {})
                for name, ref in given.figures:
                    figures[name] = _number(contract, ref)
        if not matched:
            raise ExampleProblem(f'no cohort has a period "{given.period}"')
    impacts = _impacts(contract, example, groups, windows)
    if not givens and not impacts:
        # Only values given (e.g. a measure's value): one empty unit per cohort's first period.
        for cohort in _cohorts(contract):
            first = periods.cohort_windows(cohort, years_start)[:1]
            for window in first:
                key = (cohort.name, window.label, None)
                windows[key] = window
                groups[key] = {False: {"offenders": Fraction(0)}}
    units = []
    for key, by_group in groups.items():
        cohort_name, label, area = key
        window = windows[key]
        measures = _measures(contract, cohort_name)
        mine = own.get(key, {})
        treatment = _group(
            by_group.get(False, {"offenders": Fraction(0)}), measures, label, mine.get(False, {})
        )
        control = (
            _group(by_group[True], measures, label, mine.get(True, {}))
            if True in by_group
            else None
        )
        end = window.end or window.start
        cancelled = next(
            (c.reason for c in _cancellations(contract, cohort_name) if c.label == label), None
        )
        units.append(
            CohortFigures(
                cohort_name,
                label,
                window.start,
                end,
                treatment,
                control,
                area,
                cancelled=cancelled,
                provisional=key in interim,
                impacts=tuple(impacts.get(key, {}).values()),
            )
        )
    return units


Key = tuple[str, str, str | None]


def _impacts(
    contract: Contract,
    example: Example,
    groups: dict[Key, dict[bool, dict[FigureName, Fraction]]],
    windows: dict[Key, periods.Window],
) -> dict[Key, dict[str, ImpactFigure]]:
    """The example's ``given impact`` lines, by unit: each goes to every cohort rule with a
    period of its label that an estimated comparison of the contract compares (a unit with no
    figures of its own is made, with no offenders)."""
    years_start = contract.header.contract_years_start
    estimated = {
        comparison.estimate.cohort
        for version in contract.versions
        for comparison in version.rules.comparisons
        if comparison.estimate is not None
    }
    found: dict[Key, dict[str, ImpactFigure]] = {}
    for given in example.givens:
        if not isinstance(given, GivenImpact):
            continue
        if not isinstance(given.value, Quantity):
            raise ExampleProblem(f"the impact {given.name} must be a number, not {given.value!r}")
        matched = False
        for cohort in _cohorts(contract):
            if cohort.name not in estimated:
                continue
            for window in periods.cohort_windows(cohort, years_start):
                if window.label != given.period:
                    continue
                matched = True
                key = (cohort.name, window.label, given.area)
                windows[key] = window
                groups.setdefault(key, {})
                source = given.source.removeprefix("source: ") if given.source else None
                found.setdefault(key, {})[given.name] = ImpactFigure(
                    given.name, given.value, source
                )
        if not matched:
            raise ExampleProblem(
                f'no cohort compared by an estimated comparison has a period "{given.period}"'
            )
    return found


def _number(contract: Contract, ref: ValueRef) -> Fraction:
    value: Value | None
    if isinstance(ref, Literal_):
        value = ref.value
    else:
        parameter = contract.rules.parameter(ref.name)
        value = parameter.value if parameter else None
    if not isinstance(value, Quantity):
        raise ExampleProblem(f"a figure must be a number, not {value!r}")
    return value.value


def _whole(figures: Mapping[FigureName, Fraction], name: FigureName, label: str) -> int:
    value = figures[name]
    if value.denominator != 1 or value < 0:
        raise ExampleProblem(f'{name} in "{label}" must be a whole number, not {value}')
    return int(value)


def _measure_cohort(contract: Contract, given: GivenFigures) -> str | None:
    """The cohort rule of the measure a ``given ... for MEASURE`` line names (None for a line
    for every measure); an unknown measure, or one of another cohort rule than the line names,
    is a problem (the checker reports both at the line, PBR101 and PBR222)."""
    if given.measure is None:
        return None
    found = [m for version in contract.versions for m in version.rules.measures
             if m.name == given.measure]
    if not found:
        raise ExampleProblem(f"no measure is called {given.measure}")
    cohort = found[0].cohort
    if given.cohort is not None and given.cohort != cohort:
        raise ExampleProblem(
            f"measure {given.measure} measures cohort {cohort}, not {given.cohort}"
        )
    return cohort


def _group(
    cohort: Mapping[FigureName, Fraction],
    measures: list[Measure],
    label: str,
    own: Mapping[str, Mapping[FigureName, Fraction]],
) -> GroupFigures:
    """One group's figures: each measure counts from its own ``given ... for`` line if it has
    one, else from the cohort's lines; every line that states offenders must state the same."""
    stated = {figs["offenders"] for figs in (cohort, *own.values()) if "offenders" in figs}
    if len(stated) > 1:
        shown = ", ".join(sorted(f"{int(n):,}" for n in stated))
        raise ExampleProblem(
            f'the figures for "{label}" give different numbers of offenders ({shown}); a cohort '
            "has one size, whichever measure counts in it"
        )
    if not stated:
        raise ExampleProblem(f'the figures for "{label}" give no number of offenders')
    figures = {**cohort, "offenders": next(iter(stated))}
    counts = {}
    for measure in measures:
        counts.update(_counts(measure, {**figures, **own.get(measure.name, {})}, label))
    try:
        return GroupFigures(_whole(figures, "offenders", label), counts, figures.get("predicted"))
    except ValueError as exc:
        raise ExampleProblem(f'the figures for "{label}": {exc}') from None


def _counts(
    measure: Measure, figures: Mapping[FigureName, Fraction], label: str
) -> dict[str, MeasureCounts]:
    """What ``measure`` counted, when the figures give what it needs (else nothing)."""
    counts = {}
    counted: FigureName = "events" if measure.counting == "events" else "reoffences"
    needs: list[FigureName]
    match measure.kind:
        case "binary":
            needs = ["reoffenders"]
        case "per_reoffender":
            needs = ["reoffenders", counted]
        case "per_offenders":
            needs = [counted]
        case _:
            assert_never(measure.kind)
    if all(name in figures for name in needs):
        r = _whole(figures, "reoffenders", label) if "reoffenders" in figures else 0
        o = _whole(figures, counted, label) if counted in figures else 0
        counts[measure.name] = MeasureCounts(r, o)
    return counts


# ------------------------------------------------------------------------------------------------
# Checking expectations against the statement


def check(contract: Contract, statement: Statement, expectation: Expectation) -> ExpectationResult:
    """Whether ``statement`` bears out ``expectation``."""
    units = statement.units_in(expectation.period, expectation.area)
    where = _where(expectation)
    if not units:
        return ExpectationResult(expectation, False, _expected(expectation), f"no cohort{where}")
    match expectation.kind:
        case "pays" | "total":
            return _check_money(statement, expectation, units)
        case "met" | "not met" | "not assessable":
            return _check_verdict(expectation, units)
        case "equals":
            return _check_value(expectation, units)
        case _:
            assert_never(expectation.kind)


def _where(expectation: Expectation) -> str:
    if expectation.period is None:
        return ""
    area = f' in "{expectation.area}"' if expectation.area else ""
    return f' in "{expectation.period}"{area}'


def _expected(expectation: Expectation) -> str:
    subject = expectation.subject or "total"
    value = ""
    if expectation.value is not None:
        ref = expectation.value
        value = (
            wording.quantity(ref.value)
            if isinstance(ref, Literal_) and isinstance(ref.value, Quantity)
            else str(getattr(ref, "name", ref))
        )
    match expectation.kind:
        case "pays" | "total":
            text = f"{subject} pays {value}"
        case "equals":
            text = f"{subject} = {value}"
        case "met" | "not met" | "not assessable":
            text = f"{subject} is {expectation.kind}"
        case _:
            assert_never(expectation.kind)
    return f"expect {text}{_where(expectation)}"


def _check_money(
    statement: Statement, expectation: Expectation, units: list[UnitResult]
) -> ExpectationResult:
    currency = statement.currency
    expected = _quantity(expectation)
    if expectation.kind == "total":
        amounts = [unit.total.amount for unit in units]
        derivation = "; ".join(
            f"{unit.label}: {line.term} {line.amount}" for unit in units for line in unit.lines
        )
    else:
        lines = [(unit, unit.line(expectation.subject or "")) for unit in units]
        found = [(unit, line) for unit, line in lines if line is not None]
        amounts = [line.amount.amount for _, line in found]
        derivation = "; ".join(f"{unit.label}: {line.derivation}" for unit, line in found)
        if not found:
            # a term with no line (a variation removed it, or it is not assessed for these
            # cohorts) pays nothing: "pays £0" holds, any other sum fails and says why
            derivation = (
                f"term {expectation.subject} has no line{_where(expectation)} (removed by a "
                "variation, or not assessed for these cohorts), so it pays nothing"
            )
    actual = sum((Fraction(a) for a in amounts), Fraction(0))
    digits = minor_digits(currency)
    shown = wording.money(to_decimal(round_to(actual, digits, "half up"), digits), currency)
    passed = expected is not None and expected.unit is Unit.MONEY and actual == expected.value
    return ExpectationResult(expectation, passed, _expected(expectation), shown, derivation)


def _quantity(expectation: Expectation) -> Quantity | None:
    ref = expectation.value
    if isinstance(ref, Literal_) and isinstance(ref.value, Quantity):
        return ref.value
    return None


def _check_verdict(expectation: Expectation, units: list[UnitResult]) -> ExpectationResult:
    subject = expectation.subject or ""
    verdicts: list[tuple[UnitResult, str, str]] = []
    for unit in units:
        target = unit.target(subject)
        if target is not None:
            verdicts.append((unit, target.verdict, target.derivation))
            continue
        line = unit.line(subject)
        if line is not None:
            verdict = {"pays": "met", "not met": "not met", "not assessable": "not assessable"}
            verdicts.append((unit, verdict[line.status], line.derivation))
    if not verdicts:
        return ExpectationResult(
            expectation,
            False,
            _expected(expectation),
            f"{subject} was not assessed{_where(expectation)}",
        )
    passed = all(verdict == expectation.kind for _, verdict, _ in verdicts)
    actual = "; ".join(f"{unit.label}: {verdict}" for unit, verdict, _ in verdicts)
    derivation = "; ".join(f"{unit.label}: {why}" for unit, _, why in verdicts)
    return ExpectationResult(expectation, passed, _expected(expectation), actual, derivation)


def _check_value(expectation: Expectation, units: list[UnitResult]) -> ExpectationResult:
    subject = expectation.subject or ""
    expected = _quantity(expectation)
    if expected is None:
        return ExpectationResult(expectation, False, _expected(expectation), "not a number")
    found: list[tuple[UnitResult, Fraction | None, str, str, str | None]] = []
    for unit in units:
        for measure in unit.measures:
            if measure.name == subject and measure.group == "treatment":
                found.append(
                    (
                        unit,
                        measure.value,
                        measure.display or "not assessable",
                        measure.derivation,
                        None,
                    )
                )
        for comparison in unit.comparisons:
            if comparison.name == subject:
                found.append(
                    (
                        unit,
                        comparison.improvement,
                        comparison.improvement_display or "not assessable",
                        comparison.derivation,
                        comparison.unit,
                    )
                )
    if not found:
        return ExpectationResult(
            expectation, False, _expected(expectation), f"{subject} was not assessed"
        )
    passed = True
    notes = []
    for _unit, value, _shown, _derivation, unit_kind in found:
        mismatch = _unit_mismatch(expected.unit, unit_kind)
        if mismatch:
            notes.append(mismatch)
        passed = passed and not mismatch and value is not None and _matches(value, expected)
    actual = "; ".join(f"{unit.label}: {shown}" for unit, _, shown, _, _ in found)
    if notes:
        actual += f" ({notes[0]})"
    derivation = "; ".join(f"{unit.label}: {why}" for unit, _, _, why, _ in found)
    return ExpectationResult(expectation, passed, _expected(expectation), actual, derivation)


def _unit_mismatch(written: Unit, comparison_unit: str | None) -> str | None:
    if comparison_unit == "points" and written in (Unit.PERCENT, Unit.PERCENTAGE, Unit.RATE):
        return "the comparison is in percentage points, the expectation in percent"
    if comparison_unit == "percent" and written is Unit.POINTS:
        return "the comparison is in relative percent, the expectation in percentage points"
    return None


def _matches(actual: Fraction, expected: Quantity) -> bool:
    """``actual`` equals ``expected`` at the precision written: 8.4% matches 8.35% to 8.45%."""
    scale = 100 if expected.unit in _SCALED else 1
    written = expected.value * scale
    places = _written_places(expected) if expected.text else _places(written)
    return round_to(actual * scale, places, "half up") == written


def _written_places(expected: Quantity) -> int:
    """The decimal places of the number as the contract wrote it ("8.40%" has 2)."""
    found = re.search(r"\d[\d,]*(?:\.(\d+))?", expected.text or "")
    return len(found.group(1) or "") if found else _places(expected.value)


def _places(value: Fraction) -> int:
    """The fewest decimal places that write ``value`` exactly (at most 12)."""
    for places in range(13):
        if (value * 10**places).denominator == 1:
            return places
    return 12
