"""What would this pay: one thing varied over a range, and what each term and the total pay.

The thing varied is a parameter (a threshold, a price), a measure's value (set directly, as a
worked example's ``given reconviction_rate = 52.3%`` does), or a cohort figure (offenders,
reoffenders, reoffences) of the worked example the scenario starts from. Every point is paid by
the pay stage itself (``pay.evaluate``), on exact values. Where a target's verdict, a term's
status or a limit changes between two points, the edge is narrowed to a thousandth of the step
(a whole number for a count) and reported by the last value on one side and the first on the
other, both evaluated exactly;
an amount is solved for between the two points that bracket it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from typing import Literal, assert_never

import attrs
from attrs import frozen

from pbrrules.errors import PbrError
from pbrrules.figures import CohortFigures, GroupFigures, MeasureCounts
from pbrrules.pay.evaluate import currency_of, evaluate
from pbrrules.rules import Contract, Example, GivenValue
from pbrrules.statement import Statement, wording
from pbrrules.syntax import literals
from pbrrules.values import CURRENCY_SYMBOLS, Quantity, Unit, Value
from pbrrules.worked_examples import ExampleProblem, example_figures

#: The cohort figures that can be varied, and the count each one changes.
FIGURES = ("offenders", "reoffenders", "reoffences", "events")
#: More points than this is a mistake in the step, not a question a lawyer asks.
MAX_POINTS = 2_001
#: An edge is narrowed to 10**-REFINEMENTS of the step (by bisection over that grid).
REFINEMENTS = 3

_LITERAL = re.compile(
    r"^(?P<minus>-)?(?P<sign>[£$€]|[A-Z]{3} ?)?"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<million> ?million)?(?P<unit>%| ?pp| ?percentage points?)?$"
)


class WhatIfProblem(PbrError, ValueError):
    """A what-if question that cannot be asked of this contract (a name it does not have, a
    range that is empty or mixes units)."""


@frozen
class Point:
    """What the contract pays with the varied thing at one value."""

    value: Quantity
    #: Each term's amount, summed over the scenario's cohorts, in the order the contract lists.
    terms: tuple[tuple[str, Decimal], ...]
    total: Decimal
    #: Each target's verdict, term's status and limit's effect ("binds" or "free"), by name.
    states: tuple[tuple[str, str], ...]

    def state(self, key: str) -> str | None:
        """The state of ``key`` (e.g. "target five_points") at this point."""
        return dict(self.states).get(key)

    def amount(self, term: str | None) -> Decimal:
        """What ``term`` pays here (the total when None)."""
        return self.total if term is None else dict(self.terms).get(term, Decimal(0))


@frozen
class Edge:
    """Where something changes: ``last`` is the last value with ``before``, ``first`` the first
    with ``after``; nothing between them was evaluated."""

    subject: str
    before: str
    after: str
    last: Point
    first: Point
    #: The row of the table the edge follows.
    after_point: int


@frozen
class Solution:
    """The value at which ``subject`` pays ``amount``: exact, or bracketed by two points."""

    subject: str
    amount: Decimal
    value: Quantity | None
    between: tuple[Point, Point] | None = None
    #: The amount starts at ``value`` (a step): ``between[0]``, just before it, pays otherwise.
    step: bool = False


@frozen
class WhatIf:
    """A whole what-if table: the question, each point, the edges and any solution."""

    contract: str
    currency: str
    name: str
    kind: Literal["parameter", "measure", "figure"]
    example: str | None
    points: tuple[Point, ...]
    edges: tuple[Edge, ...]
    solution: Solution | None = None


# ------------------------------------------------------------------------------------------------
# Values as a lawyer types them


def parse_value(text: str) -> Quantity:
    """``52.3%``, ``5 pp``, ``5 percentage points``, ``£1,000,000``, ``£2.5 million``, ``530``."""
    match = _LITERAL.match(text.strip())
    if match is None:
        raise WhatIfProblem(
            f"{text!r} is not a value: write a percentage (52.3%), percentage points (5 pp), "
            "money (£1,000,000) or a number (530)"
        )
    amount = literals.number(match["number"])
    negative = bool(match["minus"])
    sign = (match["sign"] or "").strip()
    unit = (match["unit"] or "").strip()
    if sign:
        return literals.money(sign, amount, bool(match["million"]), negative)
    amount = -amount if negative else amount
    if unit == "%":
        return literals.percentage(amount)
    if unit:
        return literals.points(amount)
    return literals.plain(amount)


def show(value: Quantity) -> str:
    """A value exactly, in its own unit (``53.0001%``, ``£1,000,000``); ≈ only when the exact
    value has no finite decimal form."""
    amount = value.value
    match value.unit:
        case Unit.MONEY:
            code = value.currency or "GBP"
            symbol = CURRENCY_SYMBOLS.get(code, f"{code} ")
            return ("-" if amount < 0 else "") + symbol + _exact(abs(amount), group=True)
        case Unit.RATE | Unit.PERCENT | Unit.PERCENTAGE:
            return _exact(amount * 100) + "%"
        case Unit.POINTS:
            return _exact(amount * 100) + " percentage points"
        case Unit.COUNT | Unit.NUMBER:
            return _exact(amount, group=True)
        case _:
            assert_never(value.unit)


def _exact(value: Fraction, group: bool = False) -> str:
    """Every digit of a finite decimal; ``wording.decimal_text`` (≈) otherwise."""
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        return wording.decimal_text(value)
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
    whole, decimals = divmod(abs(value.numerator * 10**places // value.denominator), 10**places)
    text = f"{whole:,}" if group else str(whole)
    if places:
        text += "." + str(decimals).rjust(places, "0")
    return ("-" if value < 0 else "") + text


def values(start: Quantity, stop: Quantity, step: Quantity) -> list[Quantity]:
    """``start``, ``start + step``, ... up to ``stop`` (included when the steps land on it)."""
    units = {start.unit, stop.unit, step.unit}
    if len(units) > 1 and units != {Unit.COUNT, Unit.NUMBER}:
        names = ", ".join(sorted(u.value for u in units))
        raise WhatIfProblem(f"the range mixes units ({names}): write all three alike")
    if stop.value < start.value:
        raise WhatIfProblem(f"the range runs backwards: {show(start)} is above {show(stop)}")
    if step.value <= 0:
        raise WhatIfProblem(f"the step must be more than zero, not {show(step)}")
    count = int((stop.value - start.value) / step.value) + 1
    if count > MAX_POINTS:
        raise WhatIfProblem(f"{count:,} points: use a larger step (at most {MAX_POINTS:,})")
    return [
        attrs.evolve(start, value=start.value + i * step.value, text=None) for i in range(count)
    ]


# ------------------------------------------------------------------------------------------------
# The scenario: the contract, a starting example, and the thing varied


class Scenario:
    """Pays the contract with one thing set to a value, on the starting example's figures."""

    def __init__(
        self, contract: Contract, name: str, example: str | None, period: str | None
    ) -> None:
        self.contract = contract
        self.name = name
        self.kind = _kind(contract, name)
        self.example = _example(contract, example, needed=self.kind == "figure")
        self.period = period
        try:
            self.figures = example_figures(contract, self.example)
        except ExampleProblem as problem:
            raise WhatIfProblem(f"the example cannot be run: {problem}") from None
        if period is not None and not any(f.period == period for f in self.figures):
            labels = ", ".join(sorted({f.period for f in self.figures}))
            raise WhatIfProblem(f'the example gives no figures for "{period}" (it gives {labels})')
        self.overrides: dict[str, Value] = {
            g.name: g.value for g in self.example.givens if isinstance(g, GivenValue)
        }

    def statement(self, value: Quantity) -> Statement:
        """The statement with the thing varied set to ``value``."""
        if self.kind != "figure":
            overrides = {**self.overrides, self.name: value}
            return evaluate(self.contract, self.figures, overrides=overrides)
        if value.value.denominator != 1 or value.value < 0:
            raise WhatIfProblem(f"{self.name} must be a whole number, not {show(value)}")
        figures = [self._varied(unit, int(value.value)) for unit in self.figures]
        return evaluate(self.contract, figures, overrides=self.overrides)

    def _varied(self, unit: CohortFigures, count: int) -> CohortFigures:
        if self.period is not None and unit.period != self.period:
            return unit
        group = unit.treatment
        if self.name == "offenders":
            changed = attrs.evolve(group, offenders=count)
        else:
            changed = _with_counts(group, self.name, count)
        return attrs.evolve(unit, treatment=changed)

    def point(self, value: Quantity) -> Point:
        """What is paid at ``value``."""
        return point(value, self.statement(value))


def _with_counts(group: GroupFigures, name: str, count: int) -> GroupFigures:
    counts = {
        measure: MeasureCounts(count, c.reoffences) if name == "reoffenders"
        else MeasureCounts(c.reoffenders, count)
        for measure, c in group.counts.items()
    }  # fmt: skip
    return attrs.evolve(group, counts=counts)


def _kind(contract: Contract, name: str) -> Literal["parameter", "measure", "figure"]:
    if name in FIGURES:
        return "figure"
    rules = [version.rules for version in contract.versions]
    if any(r.measure(name) for r in rules):
        return "measure"
    if any(r.parameter(name) for r in rules):
        return "parameter"
    known = sorted(
        {p.name for r in rules for p in r.parameters} | {m.name for r in rules for m in r.measures}
    )
    close = difflib.get_close_matches(name, [*known, *FIGURES], n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise WhatIfProblem(
        f"{contract.header.name!r} has no parameter or measure {name!r}{hint}; a cohort figure "
        f"is one of {', '.join(FIGURES)}"
    )


def _example(contract: Contract, wanted: str | None, *, needed: bool) -> Example:
    """The worked example named (by any part of its name), the first one, or none at all."""
    if wanted is not None:
        found = [e for e in contract.examples if wanted.lower() in e.name.lower()]
        if len(found) != 1:
            names = "; ".join(f'"{e.name}"' for e in contract.examples) or "none"
            how = "no" if not found else "more than one"
            raise WhatIfProblem(f'{how} worked example matches "{wanted}" (examples: {names})')
        return found[0]
    if contract.examples:
        return contract.examples[0]
    if needed:
        raise WhatIfProblem("varying a cohort figure needs a worked example to start from")
    return Example("what-if", (), ())


def point(value: Quantity, statement: Statement) -> Point:
    """The amounts and states of one statement."""
    several = len(statement.units) > 1
    terms: dict[str, Decimal] = {}
    states: dict[str, str] = {}
    for unit in statement.units:
        where = f" in {unit.label}" if several else ""
        for target in unit.targets:
            states[f"target {target.name}{where}"] = target.verdict
        for line in unit.lines:
            terms[line.term] = terms.get(line.term, Decimal(0)) + line.amount.amount
            states[f"term {line.term}{where}"] = line.status
            for applied in line.limits:
                states[f"{applied.kind} {applied.limit}{where}"] = "binds"
    return Point(value, tuple(terms.items()), statement.total.amount, tuple(states.items()))


# ------------------------------------------------------------------------------------------------
# The table, its edges, and a solution


def what_if(
    contract: Contract,
    name: str,
    start: Quantity,
    stop: Quantity,
    step: Quantity,
    *,
    example: str | None = None,
    period: str | None = None,
    solve: Quantity | None = None,
    term: str | None = None,
) -> WhatIf:
    """What ``contract`` pays with ``name`` at each value from ``start`` to ``stop``."""
    scenario = Scenario(contract, name, example, period)
    points = tuple(scenario.point(v) for v in values(start, stop, step))
    if term is not None and all(paid != term for paid, _ in _all_terms(points)):
        raise WhatIfProblem(f"no term {term!r} is paid in this scenario")
    edges = tuple(_edges(scenario, points))
    solution = _solve(scenario, points, solve, term) if solve is not None else None
    return WhatIf(
        contract.header.name,
        currency_of(contract),
        name,
        scenario.kind,
        scenario.example.name if scenario.example.givens else None,
        points,
        edges,
        solution,
    )


def _all_terms(points: tuple[Point, ...]) -> Iterator[tuple[str, Decimal]]:
    for p in points:
        yield from p.terms


def _edges(scenario: Scenario, points: tuple[Point, ...]) -> Iterator[Edge]:
    """Each change of a state between neighbouring points, narrowed."""
    whole = scenario.kind == "figure"
    for index, (a, b) in enumerate(pairwise(points)):
        keys = dict.fromkeys([k for k, _ in a.states] + [k for k, _ in b.states])
        for key in keys:
            before, after = a.state(key) or "free", b.state(key) or "free"
            if before != after:

                def same(p: Point, key: str = key, before: str = before) -> bool:
                    return (p.state(key) or "free") == before

                last, first = _narrow(scenario.point, same, a, b, whole=whole)
                yield Edge(key, before, after, last, first, index)


def _narrow(
    at: Callable[[Quantity], Point], same: Callable[[Point], bool], a: Point, b: Point,
    *, whole: bool,
) -> tuple[Point, Point]:
    """The two closest evaluated points either side of a change (``same`` holds at ``a``, not
    at ``b``): for a count, neighbouring whole numbers; otherwise a ``10**-REFINEMENTS``th of
    the interval apart, found by bisection (the change is taken to happen once)."""
    base = a.value
    divisions = int(b.value.value - base.value) if whole else 10**REFINEMENTS
    width = (b.value.value - base.value) / max(divisions, 1)
    low, high = 0, divisions
    while high - low > 1:
        middle = (low + high) // 2
        found = at(attrs.evolve(base, value=base.value + middle * width, text=None))
        if same(found):
            low, a = middle, found
        else:
            high, b = middle, found
    return a, b


def default_step(start: Quantity, stop: Quantity) -> Quantity:
    """A tenth of the range (a whole number, at least 1, for a count)."""
    width = abs(stop.value - start.value) / 10
    if start.unit is Unit.COUNT:
        width = Fraction(max(1, int(width)))
    return attrs.evolve(start, value=width or Fraction(1), text=None)


def _solve(
    scenario: Scenario, points: tuple[Point, ...], amount: Quantity, term: str | None
) -> Solution:
    """Where ``term`` (or the total) first pays ``amount``: at a point (narrowed from the point
    before, when that paid otherwise), or exactly between two points when the payment is
    linear there, or else between them."""
    subject = term or "total"
    wanted = Decimal(amount.value.numerator) / Decimal(amount.value.denominator)
    whole = scenario.kind == "figure"
    for index, p in enumerate(points):
        if p.amount(term) != wanted:
            continue
        if index == 0:
            return Solution(subject, wanted, p.value)

        def other(q: Point) -> bool:
            return q.amount(term) != wanted

        before, first = _narrow(scenario.point, other, points[index - 1], p, whole=whole)
        stepped = first.value != p.value  # paid from below the point found: a step up to it
        return Solution(subject, wanted, first.value, (before, first), step=stepped)
    for a, b in pairwise(points):
        fa, fb = Fraction(a.amount(term)), Fraction(b.amount(term))
        if not min(fa, fb) < Fraction(wanted) < max(fa, fb):
            continue
        exact = _interpolated(scenario, a, b, wanted, term, whole=whole)
        if exact is None:  # not linear over the whole step: look closer, then again

            def below(q: Point, a_below: bool = fa < Fraction(wanted)) -> bool:
                return (q.amount(term) < wanted) == a_below

            a, b = _narrow(scenario.point, below, a, b, whole=whole)
            exact = _interpolated(scenario, a, b, wanted, term, whole=whole)
        return Solution(subject, wanted, exact, (a, b))
    return Solution(subject, wanted, None)


def _interpolated(
    scenario: Scenario, a: Point, b: Point, wanted: Decimal, term: str | None, *, whole: bool
) -> Quantity | None:
    """The value between ``a`` and ``b`` at which a payment linear there pays ``wanted``,
    checked by paying at it; None when it does not pay that (the payment is not linear)."""
    fa, fb = Fraction(a.amount(term)), Fraction(b.amount(term))
    if fa == fb:
        return None
    x = a.value.value + (Fraction(wanted) - fa) * (b.value.value - a.value.value) / (fb - fa)
    if whole and x.denominator != 1:
        return None
    guess = attrs.evolve(a.value, value=x, text=None)
    return guess if scenario.point(guess).amount(term) == wanted else None


__all__ = [
    "FIGURES",
    "Edge",
    "Point",
    "Scenario",
    "Solution",
    "WhatIf",
    "WhatIfProblem",
    "default_step",
    "parse_value",
    "show",
    "values",
    "what_if",
]
