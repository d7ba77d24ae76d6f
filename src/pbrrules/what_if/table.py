"""A ``what-if`` table: the points of a range, the edges between them (narrowed), an amount
solved for, and the two-way table of two things varied."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from typing import Literal

import attrs
from attrs import frozen

from pbrrules.pay.evaluate import currency_of
from pbrrules.rules import Contract
from pbrrules.values import Quantity
from pbrrules.what_if.quantities import MAX_POINTS, WhatIfProblem, values
from pbrrules.what_if.scenario import Point, Scenario

#: An edge is narrowed to 10**-REFINEMENTS of the step (by bisection over that grid).
REFINEMENTS = 3


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


@frozen
class Grid:
    """A two-way table: what is paid at each value of ``name`` (rows) and of ``across``
    (columns); ``rows[i][j]`` is the point at the i-th row value and the j-th column value."""

    contract: str
    currency: str
    name: str
    across: str
    term: str | None
    example: str | None
    columns: tuple[Quantity, ...]
    rows: tuple[tuple[Point, ...], ...]
    #: The edges down each column, as ``(column index, edge)``: ``edge.after_point`` is the
    #: row the edge follows.
    edges: tuple[tuple[int, Edge], ...] = ()

    def edge_below(self, row: int, column: int) -> bool:
        """Whether an edge lies between row ``row`` and the one before it, in ``column``."""
        return any(c == column and e.after_point == row - 1 for c, e in self.edges)


def what_if_grid(
    contract: Contract,
    rows: tuple[str, Quantity, Quantity, Quantity],
    columns: tuple[str, Quantity, Quantity, Quantity],
    *,
    example: str | None = None,
    period: str | None = None,
    term: str | None = None,
) -> Grid:
    """What ``contract`` pays with two things varied, each over its range."""
    name, across = rows[0], columns[0]
    if name == across:
        raise WhatIfProblem(f"{name} is varied twice: vary two different things")
    row_values = values(*rows[1:])
    column_values = values(*columns[1:])
    if len(row_values) * len(column_values) > MAX_POINTS:
        raise WhatIfProblem(f"{len(row_values) * len(column_values):,} points: use larger steps "
                            f"(at most {MAX_POINTS:,})")
    scenarios = [Scenario(contract, name, example, period, ((across, c),)) for c in column_values]
    by_column = [[scenario.point(r) for r in row_values] for scenario in scenarios]
    edges = tuple(
        (index, edge)
        for index, (scenario, column) in enumerate(zip(scenarios, by_column, strict=True))
        for edge in _edges(scenario, tuple(column))
    )
    first = Scenario(contract, name, example, period)
    return Grid(
        contract.header.name,
        currency_of(contract),
        name,
        across,
        term,
        first.example.name if first.example.givens else None,
        tuple(column_values),
        tuple(tuple(column[i] for column in by_column) for i in range(len(row_values))),
        edges,
    )


def _all_terms(points: tuple[Point, ...]) -> Iterator[tuple[str, Decimal]]:
    for p in points:
        yield from p.terms


def _edges(scenario: Scenario, points: tuple[Point, ...]) -> Iterator[Edge]:
    """Each change of a state between neighbouring points, narrowed; several changes of one
    state between two points (bands crossed in one step) are each found."""
    whole = scenario.kind == "figure"
    for index, (a, b) in enumerate(pairwise(points)):
        keys = dict.fromkeys([k for k, _ in a.states] + [k for k, _ in b.states])
        for key in keys:
            yield from _changes(scenario, key, a, b, index, whole=whole)


def _changes(
    scenario: Scenario, key: str, a: Point, b: Point, index: int, *, whole: bool
) -> Iterator[Edge]:
    """The changes of ``key``'s state from ``a`` to ``b``, in order, each narrowed."""
    after = b.state(key) or "free"
    while (before := a.state(key) or "free") != after:

        def same(p: Point, key: str = key, before: str = before) -> bool:
            return (p.state(key) or "free") == before

        last, first = _narrow(scenario.point, same, a, b, whole=whole)
        yield Edge(key, before, first.state(key) or "free", last, first, index)
        if first.value == b.value or first.value == last.value:
            return
        a = first


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
