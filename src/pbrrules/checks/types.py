"""Type and unit checks: money is money (in the contract's currency), a rate is a rate, and
percentage points never stand where a relative percent is meant, nor the other way round.

A comparison in a unit that does not suit its measure (PBR205) is one mistake: the thresholds,
bands, caps and prices read in its unit are not reported again (they would be wrong only because
the comparison is); the PBR205 points at them as notes instead. Likewise a parameter whose own
value disagrees with its declared type is reported there, not again at every use; and one
problem found in several places (the rows of a table, the expected values of five examples) is
one diagnostic, at the first, with the others as notes.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator
from typing import assert_never

import attrs

from pbrrules import rules
from pbrrules.errors import Diagnostic, Related, Span
from pbrrules.values import Duration, Quantity, Unit, Value

PARAM_UNITS: dict[str, Unit] = {
    "money": Unit.MONEY,
    "count": Unit.COUNT,
    "rate": Unit.RATE,
    "percentage points": Unit.POINTS,
    "percent": Unit.PERCENT,
    "number": Unit.NUMBER,
}

_WORDS = {
    Unit.MONEY: "an amount of money",
    Unit.COUNT: "a count",
    Unit.RATE: "a rate (e.g. 49.9%)",
    Unit.POINTS: "percentage points (e.g. 5 percentage points)",
    Unit.PERCENT: "a relative percent (e.g. 10%)",
    Unit.NUMBER: "a number",
    Unit.PERCENTAGE: "a percentage",
}


def describe(kind: Unit | str) -> str:
    """How a unit or kind of value reads in a message."""
    return _WORDS[kind] if isinstance(kind, Unit) else kind


def kind_of(value: Value) -> Unit | str:
    """The unit of a quantity, or the kind of a non-numeric value."""
    match value:
        case Quantity(unit=unit):
            return unit
        case bool():
            return "yes/no"
        case datetime.date():
            return "a date"
        case Duration():
            return "a duration"
        case str():
            return "text"
        case _:
            assert_never(value)
    raise AssertionError(value)  # pragma: no cover - Value is a closed union


class _Checker:
    """Walks one version of the rules, yielding unit problems."""

    def __init__(self, contract: rules.Contract, version: rules.Rules) -> None:
        self.currency = contract.header.currency
        self.rules = version
        #: Comparisons in a unit that does not suit their measure (PBR205): what is read in
        #: their unit is not checked again.
        self.broken: set[str] = set()
        #: Parameters whose own values disagree with their declared type: their uses are not
        #: checked against that type again.
        self.broken_parameters: set[str] = set()

    def sound(self, comparison: rules.Comparison | None) -> rules.Comparison | None:
        """``comparison``, or None when it is missing or in the wrong unit (reported)."""
        if comparison is None or comparison.name in self.broken:
            return None
        return comparison

    def unit_of(self, ref: rules.ValueRef) -> tuple[Unit | str, str | None] | None:
        """A reference's unit and currency; None when the name is unknown (reported already)."""
        if isinstance(ref, rules.Literal_):
            value = ref.value
            currency = value.currency if isinstance(value, Quantity) else None
            return kind_of(value), currency
        parameter = self.rules.parameter(ref.name)
        if parameter is None:
            return None
        unit = PARAM_UNITS.get(parameter.type)
        if unit is None:
            return parameter.type, None
        return unit, self.currency if unit is Unit.MONEY else None

    def expect(
        self, ref: rules.ValueRef | None, wanted: tuple[Unit, ...], what: str,
        clause: str | None, related: tuple[Related, ...] = (),
    ) -> Iterator[Diagnostic]:
        """A problem when ``ref`` is not of a ``wanted`` unit; ``related`` says where the unit
        wanted comes from (the comparison a threshold is read on)."""
        if ref is None:
            return
        if isinstance(ref, rules.Name) and ref.name in self.broken_parameters:
            return
        found = self.unit_of(ref)
        if found is None:
            return
        kind, currency = found
        for problem in mismatch(kind, currency, wanted, what, ref.span, clause, self.currency):
            yield attrs.evolve(problem, related=related) if related else problem


def mismatch(
    kind: Unit | str, currency: str | None, wanted: tuple[Unit, ...], what: str, span: Span,
    clause: str | None, contract_currency: str | None,
) -> Iterator[Diagnostic]:
    """The diagnostic for a value of ``kind`` standing where one of ``wanted`` is needed."""
    if isinstance(kind, Unit) and any(kind.fits(w) for w in wanted):
        if kind is Unit.MONEY and contract_currency and currency and currency != contract_currency:
            yield Diagnostic(
                "PBR203",
                f"{what} is in {currency}, but the contract is paid in {contract_currency}",
                span,
                help="write amounts in the contract's currency (see its 'currency' line)",
                clause=clause,
            )
        return
    expected = " or ".join(describe(w) for w in wanted)
    points_vs_percent = {kind, *wanted} & {Unit.POINTS} and {kind, *wanted} & {
        Unit.PERCENT, Unit.PERCENTAGE, Unit.RATE}
    if points_vs_percent:
        yield Diagnostic(
            "PBR202",
            f"{what} must be {expected}, not {describe(kind)}",
            span,
            help="percentage points measure a difference of two rates (49.9% to 41.7% is 8.2 "
            "points); percent measures a relative change (8.2 points is 16.4% of 49.9%). "
            "Write '5 percentage points' or '5%' as the comparison's unit requires",
            clause=clause,
        )
        return
    code = "PBR204" if {kind, *wanted} & {Unit.MONEY} and kind != "text" else "PBR201"
    yield Diagnostic(code, f"{what} must be {expected}, not {describe(kind)}", span,
                     clause=clause)


def check(contract: rules.Contract) -> Iterator[Diagnostic]:
    """Every unit problem in every version of the contract (each reported once)."""
    seen: set[tuple[str, int, int, str]] = set()
    checkers = [_Checker(contract, version.rules) for version in contract.versions]
    examples = (d for example in contract.examples for d in _example(checkers[0], example))
    found: list[Diagnostic] = []
    for diagnostic in itertools.chain((d for c in checkers for d in _version(c)), examples):
        key = (diagnostic.span.source, diagnostic.span.line, diagnostic.span.column,
               diagnostic.code)
        if key not in seen:
            seen.add(key)
            found.append(diagnostic)
    yield from _grouped(found)


def _grouped(found: list[Diagnostic]) -> Iterator[Diagnostic]:
    """One diagnostic per problem: those saying the same thing (code and message) are the first
    of them, with the places of the others as notes."""
    groups: dict[tuple[str, str], Diagnostic] = {}
    for diagnostic in found:
        key = (diagnostic.code, diagnostic.message)
        first = groups.get(key)
        if first is None:
            groups[key] = diagnostic
        else:
            note = Related("the same here", diagnostic.span)
            groups[key] = attrs.evolve(first, related=(*first.related, note))
    yield from groups.values()


def _version(c: _Checker) -> Iterator[Diagnostic]:
    yield from _parameters(c)
    for measure in c.rules.measures:
        if measure.adjustment is not None:
            yield from c.expect(measure.adjustment.baseline_predicted, (Unit.RATE,),
                                "the baseline predicted rate", measure.clause)
    for comparison in c.rules.comparisons:
        yield from _comparison(c, comparison)
    for target in c.rules.targets:
        yield from _target(c, target)
    for term in c.rules.terms:
        yield from _term(c, term)
    for limit in c.rules.limits:
        yield from c.expect(limit.amount, (Unit.MONEY,), f"the {limit.kind} '{limit.name}'",
                            limit.clause)
        if limit.investor_return is not None:
            yield from c.expect(limit.investor_return.rate, (Unit.PERCENT,),
                                f"the yearly return of '{limit.name}'", limit.clause)


def _example(c: _Checker, example: rules.Example) -> Iterator[Diagnostic]:
    """Given values and expected amounts are of the kind their names stand for."""
    for given in example.givens:
        if not isinstance(given, rules.GivenValue):
            continue
        wanted = _units_of_name(c, given.name)
        if wanted and given.name not in c.broken_parameters:
            currency = given.value.currency if isinstance(given.value, Quantity) else None
            yield from mismatch(kind_of(given.value), currency, wanted,
                                f"the value given for '{given.name}'", given.span,
                                example.clause, c.currency)
    for expectation in example.expectations:
        expected: tuple[Unit, ...] = ()
        if expectation.kind in ("pays", "total"):
            expected = (Unit.MONEY,)
        elif expectation.kind == "equals" and expectation.subject is not None:
            expected = _units_of_name(c, expectation.subject)
        if expected:
            yield from c.expect(expectation.value, expected, "the expected value",
                                example.clause)


def _units_of_name(c: _Checker, name: str) -> tuple[Unit, ...]:
    """What a value standing for the parameter, measure or comparison ``name`` must be."""
    parameter = c.rules.parameter(name)
    if parameter is not None:
        unit = PARAM_UNITS.get(parameter.type)
        return (unit,) if unit is not None else ()
    measure = c.rules.measure(name)
    if measure is not None:
        return comparator_units(measure)
    comparison = c.sound(c.rules.comparison(name))
    if comparison is not None:
        return improvement_units(comparison)
    return ()


def _parameters(c: _Checker) -> Iterator[Diagnostic]:
    for parameter in c.rules.parameters:
        values = [(parameter.value, parameter.span)] if parameter.value is not None else []
        values += [(row.value, row.span) for row in parameter.rows]
        for value, span in values:
            for problem in _declared(c, parameter, value, span):
                c.broken_parameters.add(parameter.name)
                yield problem


def _declared(
    c: _Checker, parameter: rules.Parameter, value: Value, span: Span
) -> Iterator[Diagnostic]:
    unit = PARAM_UNITS.get(parameter.type)
    what = f"the value of '{parameter.name}' (declared {parameter.type})"
    if unit is not None:
        currency = value.currency if isinstance(value, Quantity) else None
        yield from mismatch(kind_of(value), currency, (unit,), what, span, parameter.clause,
                            c.currency)
        return
    wanted = {"date": "a date", "duration": "a duration", "text": "text", "yes/no": "yes/no"}
    if kind_of(value) != wanted[parameter.type]:
        yield Diagnostic(
            "PBR201",
            f"{what} must be {wanted[parameter.type]}, not {describe(kind_of(value))}",
            span,
            clause=parameter.clause,
        )


def comparator_units(measure: rules.Measure) -> tuple[Unit, ...]:
    """What a measure's comparator must be: a rate for a binary measure, else a number."""
    return (Unit.RATE,) if measure.kind == "binary" else (Unit.NUMBER, Unit.COUNT)


def improvement_units(comparison: rules.Comparison) -> tuple[Unit, ...]:
    """What a threshold, band or cap on this comparison's improvement must be."""
    return {
        "points": (Unit.POINTS,),
        "percent": (Unit.PERCENT,),
        "absolute": (Unit.NUMBER, Unit.COUNT),
    }[comparison.unit]


def _comparison(c: _Checker, comparison: rules.Comparison) -> Iterator[Diagnostic]:
    if comparison.estimate is not None:
        for part in comparison.estimate.parts:
            yield from c.expect(part.weight, (Unit.PERCENT,),
                                f"the weight of '{part.name}' in '{comparison.name}'",
                                comparison.clause)
        return
    measure = c.rules.measure(comparison.measure)
    if measure is None:
        return
    if not isinstance(comparison.comparator, rules.ControlGroup):
        yield from c.expect(comparison.comparator, comparator_units(measure),
                            f"the comparator of '{comparison.name}'", comparison.clause)
    if (comparison.unit == "points") == (measure.kind == "binary") or comparison.unit == "percent":
        return
    c.broken.add(comparison.name)
    related = _readers(c, comparison)
    if comparison.unit == "points":
        yield Diagnostic(
            "PBR205",
            f"'{comparison.name}' compares the frequency measure '{measure.name}' in percentage "
            "points",
            comparison.span,
            help="percentage points compare rates; compare a frequency 'in relative percent' or "
            "'in absolute terms'",
            clause=comparison.clause,
            related=related,
        )
    else:
        yield Diagnostic(
            "PBR205",
            f"'{comparison.name}' compares the binary rate '{measure.name}' in absolute terms",
            comparison.span,
            help="a difference of two rates is measured 'in percentage points'",
            clause=comparison.clause,
            related=related,
        )


_UNIT_WORDS = {"points": "in percentage points", "percent": "in relative percent",
               "absolute": "in absolute terms"}


def _unit_from(comparison: rules.Comparison) -> tuple[Related, ...]:
    """A note pointing at the comparison whose unit a threshold, bound or cap must have."""
    return (Related(f"'{comparison.name}' is measured {_UNIT_WORDS[comparison.unit]} here",
                    comparison.span),)


def _readers(c: _Checker, comparison: rules.Comparison) -> tuple[Related, ...]:
    """The targets and terms that read ``comparison`` in its unit: where a wrong unit shows."""
    found = [
        Related(f"the target '{t.name}' reads its threshold in that unit",
                t.threshold.span if t.threshold is not None else t.span)
        for t in c.rules.targets if t.comparison == comparison.name
    ]
    found += [
        Related(f"the term '{term.name}' pays on it", term.amount.span)
        for term in c.rules.terms
        if (found_comparison := _comparison_of(c, term.amount)) is not None
        and found_comparison.name == comparison.name
    ]
    return tuple(found)


def _target(c: _Checker, target: rules.Target) -> Iterator[Diagnostic]:
    comparison = c.rules.comparison(target.comparison)
    if comparison is None:
        return
    if c.sound(comparison) is not None:
        yield from c.expect(target.threshold, improvement_units(comparison),
                            f"the threshold of '{target.name}'", target.clause,
                            _unit_from(comparison))
    if target.significance is not None:
        yield from c.expect(target.significance.level, (Unit.PERCENT,),
                            "the significance level", target.clause)
        yield from c.expect(target.significance.critical_value, (Unit.NUMBER,),
                            "the critical value", target.clause)


def _term(c: _Checker, term: rules.Term) -> Iterator[Diagnostic]:
    yield from _amount(c, term, term.amount)
    comparison = c.sound(_comparison_of(c, term.amount))
    if comparison is not None:
        yield from c.expect(term.improvement_cap, improvement_units(comparison),
                            f"the improvement cap of '{term.name}'", term.clause,
                            _unit_from(comparison))


def _comparison_of(c: _Checker, amount: rules.Amount) -> rules.Comparison | None:
    match amount:
        case rules.PerUnitOf(comparison=name) | rules.Banded(comparison=name) | \
                rules.SavingsShare(comparison=name):
            return c.rules.comparison(name)
        case rules.Fixed() | rules.PerOffender() | rules.ShareOfValue() | rules.PerCounted():
            return None
        case _:
            assert_never(amount)


def _amount(c: _Checker, term: rules.Term, amount: rules.Amount) -> Iterator[Diagnostic]:
    what = f"the amount of '{term.name}'"
    match amount:
        case rules.Fixed(amount=ref):
            yield from c.expect(ref, (Unit.MONEY,), what, term.clause)
        case rules.PerOffender(price=ref) | rules.PerCounted(price=ref):
            yield from c.expect(ref, (Unit.MONEY,), f"the price in '{term.name}'", term.clause)
        case rules.PerUnitOf():
            yield from c.expect(amount.price, (Unit.MONEY,), f"the price in '{term.name}'",
                                term.clause)
            yield from _per_unit(c, term, amount)
        case rules.ShareOfValue(share=share, of=of):
            yield from c.expect(share, (Unit.PERCENT,), f"the share in '{term.name}'",
                                term.clause)
            yield from c.expect(rules.Name(of, amount.span), (Unit.MONEY,),
                                f"'{of}' (the value shared in '{term.name}')", term.clause)
        case rules.Banded(bands=bands):
            comparison = c.sound(_comparison_of(c, amount))
            for band in bands:
                if comparison is not None:
                    for bound in (band.lower, band.upper):
                        yield from c.expect(bound, improvement_units(comparison),
                                            f"a band bound of '{term.name}'", term.clause,
                                            _unit_from(comparison))
                yield from _amount(c, term, band.amount)
        case rules.SavingsShare(valued_at=valued_at, shares=shares):
            yield from c.expect(valued_at, (Unit.MONEY,), f"the savings value of '{term.name}'",
                                term.clause)
            comparison = c.sound(_comparison_of(c, amount))
            for share_band in shares:
                yield from c.expect(share_band.share, (Unit.PERCENT,),
                                    f"a share of savings in '{term.name}'", term.clause)
                if comparison is not None:
                    for bound in (share_band.lower, share_band.upper):
                        yield from c.expect(bound, improvement_units(comparison),
                                            f"a savings bound of '{term.name}'", term.clause,
                                            _unit_from(comparison))
        case _:
            assert_never(amount)




def _per_unit(c: _Checker, term: rules.Term, amount: rules.PerUnitOf) -> Iterator[Diagnostic]:
    comparison = c.sound(c.rules.comparison(amount.comparison))
    measure = c.rules.measure(comparison.measure) if comparison else None
    if comparison is None or measure is None:
        return
    problem: str | None = None
    if amount.unit == "point" and comparison.unit != "points":
        problem = f"'{comparison.name}' is not measured in percentage points"
    elif amount.unit == "percent" and comparison.unit != "percent":
        problem = f"'{comparison.name}' is not measured in relative percent"
    elif amount.unit == "reoffender" and measure.kind != "binary":
        problem = f"reoffenders avoided need a binary rate, and '{measure.name}' is a frequency"
    elif amount.unit in ("reoffence", "event", "unit", "gained") and measure.kind == "binary":
        problem = f"{amount.unit}s avoided need a frequency, and '{measure.name}' is a binary rate"
    elif amount.unit == "event" and measure.counting != "events":
        counted = rules.COUNTING_WORDS[measure.counting]
        problem = f"'{measure.name}' counts {counted}, not reconviction events"
    elif amount.unit == "reoffence" and measure.counting != "offences":
        counted = rules.COUNTING_WORDS[measure.counting]
        problem = f"'{measure.name}' counts {counted}, not offences"
    elif amount.unit == "unit" and measure.direction == "higher":
        problem = (f"'{measure.name}' is higher-is-better, so its improvement is units gained: "
                   "write per unit gained")
    elif amount.unit == "gained" and measure.direction != "higher":
        problem = (f"'{measure.name}' is lower-is-better, so its improvement is units avoided: "
                   "write per unit avoided")
    if problem is not None:
        yield Diagnostic(
            "PBR206",
            f"'{term.name}' pays per {rules.PER_UNIT_WORDS[amount.unit]} of "
            f"'{comparison.name}', but {problem}",
            amount.span,
            help="choose the unit that matches the comparison: per percentage point (points), "
            "per percent (relative), per reoffender avoided (binary), per reoffence, event or "
            "unit avoided (frequency; a unit is whatever the measure counts; per unit gained where "
            "higher is better)",
            clause=term.clause,
            related=(*_unit_from(comparison),
                     Related(f"the measure '{measure.name}' is declared here", measure.span)),
        )
