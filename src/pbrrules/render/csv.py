"""Statement -> CSV for spreadsheets and ledgers: one row per figure, payment line and total.

A row's ``record`` says what it is: ``measure``, ``comparison``, ``target``, ``line`` (a payment
line), ``cohort total``, ``year total``, ``payer total`` and ``payee total`` (when the contract
names parties) or ``total`` (the last row). Every figure has a numeric
column written as a plain decimal (``0.523``, ``-2000000.00``; never ``9600000/533``): exact when
the value has a terminating decimal form, else rounded half-up to ``PLACES`` places with the exact
fraction beside it in its ``_exact`` column. Rates are proportions (0.523 is 52.3%); the
``shown`` column has the value as the statement words it. ``status`` says what a line did (paid,
deducted, capped, provisional, not met, not assessable, not yet due). The text starts with a
UTF-8 byte order mark by default, so Excel reads £ and ≥ as such (``bom=False``: without).
docs/statement.md describes every column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import assert_never

from pbrrules.render.facts import label
from pbrrules.statement import Line, Money, Statement, UnitResult

#: The places of a figure that has no terminating decimal form (its exact fraction is beside it).
PLACES = 10
BOM = "\ufeff"

COLUMNS = (
    "record", "contract", "contract_version", "cohort", "period", "area", "start", "end",
    "contract_year", "name", "label", "group", "clause", "status", "final", "mature_on",
    "amount", "currency", "unrounded", "unrounded_exact", "value", "value_exact", "comparator",
    "comparator_exact", "improvement", "improvement_exact", "threshold", "threshold_exact",
    "significance_boundary", "scale", "shown", "offenders", "people_counted", "units_counted",
    "units",
    "capped", "limits", "previous", "difference", "payer", "payee", "derivation", "as_of",
)  # fmt: skip

Row = dict[str, str]


def render_csv(statement: Statement, *, bom: bool = True) -> str:
    """The statement as CSV text: the header, then per unit its figures, lines and total, then
    the totals per contract year and the overall total."""
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n", restval="")
    writer.writeheader()
    common = {
        "contract": statement.contract.name,
        "contract_version": statement.contract.version or "",
        "currency": statement.currency,
        "as_of": statement.as_of.day.isoformat() if statement.as_of else "",
    }
    for row in _rows(statement):
        writer.writerow(common | row)
    return (BOM if bom else "") + out.getvalue()


def decimal(value: Fraction | None, least: int = 0) -> tuple[str, str]:
    """``value`` as a plain decimal (at least ``least`` places) and, when that is rounded, its
    exact fraction (else ""). Worked in integers: exact at any size."""
    if value is None:
        return "", ""
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator == 1:  # terminating: exactly as many places as it needs
        places = least
        while (value * 10**places).denominator != 1:
            places += 1
        return _fixed(int(value * 10**places), places), ""
    shifted = abs(value) * 10**PLACES
    rounded = int(shifted + Fraction(1, 2)) * (-1 if value < 0 else 1)  # half away from zero
    return _fixed(rounded, PLACES), f"{value.numerator}/{value.denominator}"


def _approximately(value: Fraction | None) -> str:
    """An irrational value held as an approximation (a significance boundary): ``PLACES``
    places, with no exact column (there is no exact fraction to give)."""
    if value is None:
        return ""
    return _fixed(int(abs(value) * 10**PLACES + Fraction(1, 2)) * (-1 if value < 0 else 1), PLACES)


def _fixed(units: int, places: int) -> str:
    """``units`` × 10^-``places`` in fixed notation: ``_fixed(-5, 2)`` is ``-0.05``."""
    return f"{Decimal(units).scaleb(-places):f}"


def _money(money: Money | None) -> str:
    """An amount as a plain decimal in minor units (empty for none)."""
    return "" if money is None else f"{money.amount:f}"


def _rows(statement: Statement) -> Iterator[Row]:
    """Every row after the header, in order: per unit its figures, lines and total; then the
    year totals and the overall total."""
    for unit in statement.units:
        where = _where(unit)
        yield from (where | row for row in _figures(unit))
        for line in unit.lines:
            yield where | _line(unit, line)
        status = "cancelled" if unit.cancelled is not None else _maturity(unit)
        yield where | {
            "record": "cohort total", "status": status, "amount": _money(unit.total),
            "derivation": unit.cancelled or "",
        }  # fmt: skip
    for year in statement.years:
        yield {
            "record": "year total",
            "contract_year": "" if year.year is None else str(year.year),
            "name": "outside contract years" if year.year is None else f"contract year {year.year}",
            "amount": _money(year.total),
        }
    for record, role, totals in (("payer total", "payer", statement.by_payer),
                                 ("payee total", "payee", statement.by_payee)):
        for party in totals:
            yield {"record": record, "name": party.party or "", role: party.party or "",
                   "amount": _money(party.total)}
    yield {"record": "total", "name": "overall", "amount": _money(statement.total)}


def _where(unit: UnitResult) -> Row:
    """The columns that place a row in its unit."""
    figures = unit.figures
    return {
        "cohort": figures.cohort,
        "period": figures.period,
        "area": figures.area or "",
        "start": figures.start.isoformat(),
        "end": figures.end.isoformat(),
        "contract_year": "" if unit.contract_year is None else str(unit.contract_year),
        "final": "yes" if unit.maturity.final else "no",
        "mature_on": unit.maturity.mature_on.isoformat() if unit.maturity.mature_on else "",
    }


def _maturity(unit: UnitResult) -> str:
    """A unit total's status: final or provisional."""
    return "final" if unit.maturity.final else "provisional"


def _figures(unit: UnitResult) -> Iterator[Row]:
    """A row per measure, comparison and target of the unit, with its numbers."""
    scales = {c.name: c.unit for c in unit.comparisons}
    for measure in unit.measures:
        group = unit.figures.treatment if measure.group == "treatment" else unit.figures.control
        counts = group.counts.get(measure.name) if group is not None else None
        value, exact = decimal(measure.value)
        yield {
            "record": "measure", "name": measure.name, "label": label(measure.name),
            "group": measure.group, "clause": measure.clause or "",
            "status": "measured" if measure.value is not None else "not assessable",
            "value": value, "value_exact": exact, "shown": measure.display or "",
            "offenders": str(group.offenders) if group is not None else "",
            "people_counted": str(counts.reoffenders) if counts is not None else "",
            "units_counted": str(counts.reoffences) if counts is not None else "",
            "units": measure.counted[0] if measure.counted is not None else "",
            "derivation": measure.derivation,
        }  # fmt: skip
    for comparison in unit.comparisons:
        comparator, comparator_exact = decimal(comparison.comparator)
        improvement, improvement_exact = decimal(comparison.improvement)
        yield {
            "record": "comparison", "name": comparison.name, "label": label(comparison.name),
            "clause": comparison.clause or "",
            "status": "assessed" if comparison.improvement is not None else "not assessable",
            "comparator": comparator, "comparator_exact": comparator_exact,
            "improvement": improvement, "improvement_exact": improvement_exact,
            "scale": comparison.unit, "shown": comparison.improvement_display or "",
            "derivation": comparison.derivation,
        }  # fmt: skip
    for target in unit.targets:
        threshold, threshold_exact = decimal(target.threshold)
        yield {
            "record": "target", "name": target.name, "label": label(target.name),
            "clause": target.clause or "", "status": target.verdict,
            "threshold": threshold, "threshold_exact": threshold_exact,
            "significance_boundary": _approximately(target.boundary),
            "scale": scales.get(target.comparison, ""),
            "shown": target.threshold_display or "", "derivation": target.derivation,
        }  # fmt: skip


def line_status(unit: UnitResult, line: Line) -> str:
    """What a line did, in one word or two: paid, deducted, capped (a cap or collar changed its
    amount), provisional (paid on figures that are not final), not met, not assessable, not yet
    due."""
    match line.status:
        case "pays":
            if not unit.maturity.final:
                return "provisional"
            if line.limits:
                return "capped"
            return "deducted" if line.amount.amount < 0 else "paid"
        case "not met" | "not assessable" | "not yet due":
            return line.status
        case _:
            assert_never(line.status)


def _line(unit: UnitResult, line: Line) -> Row:
    """A payment line's row: its status, amount, unrounded amount and limits."""
    unrounded, unrounded_exact = decimal(line.unrounded, least=2)
    return {
        "record": "line", "name": line.term, "label": label(line.term),
        "clause": line.clause or "", "status": line_status(unit, line),
        "amount": _money(line.amount), "unrounded": unrounded,
        "unrounded_exact": unrounded_exact, "capped": "yes" if line.limits else "no",
        "limits": "; ".join(applied.describe() for applied in line.limits),
        "previous": _money(line.previous), "difference": _money(line.difference),
        "payer": line.payer or "", "payee": line.payee or "",
        "derivation": line.derivation,
    }  # fmt: skip
