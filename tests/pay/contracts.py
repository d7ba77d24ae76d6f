"""Contracts and cohort figures built by hand for the pay-stage tests."""

from __future__ import annotations

import datetime
from fractions import Fraction

from pbrrules.figures import CohortFigures, GroupFigures, MeasureCounts
from pbrrules.rules import (
    Amount,
    Comparator,
    Comparison,
    Contract,
    Header,
    Limit,
    Literal_,
    Measure,
    MeasureKind,
    Parameter,
    Rounding,
    Rules,
    Target,
    Term,
    Version,
)
from pbrrules.values import Quantity, Unit


def pct(text: str) -> Quantity:
    """``"49.9"`` -> 49.9% as a rate/percent literal."""
    return Quantity(Fraction(text) / 100, Unit.PERCENTAGE)


def pp(text: str) -> Quantity:
    """``"5"`` -> 5 percentage points."""
    return Quantity(Fraction(text) / 100, Unit.POINTS)


def gbp(text: str) -> Quantity:
    """``"2000000"`` -> £2,000,000."""
    return Quantity(Fraction(text), Unit.MONEY, "GBP")


def num(text: str) -> Quantity:
    """A plain number."""
    return Quantity(Fraction(text), Unit.NUMBER)


def lit(value: Quantity) -> Literal_:
    """A literal value reference."""
    return Literal_(value)


HEADER = Header(
    "contract",
    "Test contract",
    version="1",
    currency="GBP",
    contract_years_start=datetime.date(2015, 1, 1),
)


def contract(
    *,
    terms: tuple[Term, ...],
    comparator: Comparator | None = None,
    unit: str = "points",
    kind: MeasureKind = "binary",
    targets: tuple[Target, ...] = (),
    parameters: tuple[Parameter, ...] = (),
    limits: tuple[Limit, ...] = (),
    rounding: Rounding | None = None,
    measure: Measure | None = None,
    per: int = 1,
) -> Contract:
    """One cohort ``c``, one measure ``m`` and one comparison ``change`` of m against comparator."""
    rules = Rules(
        parameters=parameters,
        measures=(measure or Measure("m", kind, "c", per=per),),
        comparisons=(Comparison("change", "m", comparator or lit(pct("49.9")), unit, "clause 4"),),  # type: ignore[arg-type]
        targets=targets,
        terms=terms,
        limits=limits,
        rounding=rounding,
    )
    return Contract(HEADER, (Version("original", None, rules),))


def term(name: str, amount: Amount, **kwargs: object) -> Term:
    """A term with a clause named after it."""
    return Term(name, amount, clause=f"clause {name}", **kwargs)  # type: ignore[arg-type]


def unit(
    n: int,
    r: int,
    o: int | None = None,
    *,
    period: str = "2015-Q1",
    start: datetime.date = datetime.date(2015, 1, 1),
    area: str | None = None,
    control: tuple[int, int, int] | None = None,
    predicted: Fraction | None = None,
    cancelled: str | None = None,
    measure: str = "m",
) -> CohortFigures:
    """A unit of cohort ``c`` with N offenders, R reoffenders and O reoffences."""
    treatment = GroupFigures(n, {measure: MeasureCounts(r, o if o is not None else r)}, predicted)
    control_group = None
    if control is not None:
        control_group = GroupFigures(control[0], {measure: MeasureCounts(control[1], control[2])})
    end = start + datetime.timedelta(days=89)
    return CohortFigures(
        "c", period, start, end, treatment, control_group, area, cancelled=cancelled
    )


def quarter(index: int, n: int, r: int, o: int | None = None, **kwargs: object) -> CohortFigures:
    """The ``index``-th quarter from 2015-Q1 (0-based)."""
    year, q = divmod(index, 4)
    start = datetime.date(2015 + year, 3 * q + 1, 1)
    return unit(n, r, o, period=f"{2015 + year}-Q{q + 1}", start=start, **kwargs)  # type: ignore[arg-type]
