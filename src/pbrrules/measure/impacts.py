"""The evaluator's impact estimates: ``impacts.csv`` in the data folder, checked and attached to
the cohort units they are for.

One row per estimate: ``cohort`` (the cohort rule), ``period`` (its period's label, "cohort
1"), ``name`` (the impact an estimated comparison names), ``value`` (the change in the outcome
the evaluator estimates, with its unit: ``-12%``, ``-3.5pp``, or a plain number for absolute
terms) and ``source`` (what the evaluator's estimate is, cited); an optional ``area`` column for
cohorts grouped by area. Problems are reported by file, row and column (PBR301-PBR304, PBR308,
docs/data.md); a unit with no estimate has none (its estimated comparisons are then not
assessable, with the reason), never a zero.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import attrs
from attrs import frozen

from pbrrules.figures import CohortFigures, ImpactFigure
from pbrrules.measure.problems import DataProblem, data_error
from pbrrules.rules import Contract, periods
from pbrrules.values import Quantity, Unit

FILE = "impacts.csv"
TABLE = "impacts"
REQUIRED = ("cohort", "period", "name", "value", "source")

_VALUE = re.compile(
    r"^\s*(?P<number>[-+]?\d+(?:\.\d+)?)\s*(?P<unit>%|pp|percentage points?)?\s*$"
)


@frozen
class ImpactRow:
    """One estimate of ``impacts.csv``, with the row it came from (1-based, header not counted)."""

    row: int
    cohort: str
    period: str
    area: str | None
    figure: ImpactFigure


def read_impacts(folder: Path) -> tuple[ImpactRow, ...]:
    """The estimates of ``folder/impacts.csv`` (none when there is no such file); raises
    ``OutcomeRecordsError`` listing every problem, by row and column."""
    path = folder / FILE
    if not path.exists():
        return ()
    name = str(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            lines = list(csv.DictReader(handle))
            header = list(lines[0].keys()) if lines else _header(path)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        problem = DataProblem.file_problem(TABLE, name, "PBR301", f"cannot be read: {exc}",
                                           "a UTF-8 CSV file")
        raise data_error([problem]) from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise data_error([
            DataProblem.file_problem(TABLE, name, "PBR302", "missing column", "a column "
                                     f"{column}", column)
            for column in missing
        ])
    problems: list[DataProblem] = []
    rows: list[ImpactRow] = []
    seen: dict[tuple[str, str, str | None, str], int] = {}
    for number, line in enumerate(lines, start=1):
        row = _row(name, number, line, problems)
        if row is None:
            continue
        key = (row.cohort, row.period, row.area, row.figure.name)
        if key in seen:
            problems.append(DataProblem(
                "PBR308", TABLE, name, number, None, None,
                f"a second estimate {row.figure.name} for {row.cohort} {row.period}",
                f"one estimate per cohort, period, area and name (the first is row {seen[key]})",
            ))
            continue
        seen[key] = number
        rows.append(row)
    if problems:
        raise data_error(problems)
    return tuple(rows)


def _header(path: Path) -> list[str]:
    """The column names of a file with a header and no rows."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


def _row(name: str, number: int, line: dict[str, str | None], problems: list[DataProblem]
         ) -> ImpactRow | None:
    """One row, or None with its problems."""
    texts = {column: (line.get(column) or "").strip() for column in (*REQUIRED, "area")}
    bad = False
    for column in ("cohort", "period", "name", "source"):
        if not texts[column]:
            problems.append(DataProblem(
                "PBR303", TABLE, name, number, column, None, "missing value",
                "the cohort rule, the period's label, the impact's name and its source",
            ))
            bad = True
    value = _value(texts["value"])
    if value is None:
        problems.append(DataProblem(
            "PBR303", TABLE, name, number, "value", texts["value"], "bad value",
            "the estimated change with its unit: -12%, -3.5pp, or a plain number such as -0.3",
        ))
        bad = True
    if bad or value is None:
        return None
    figure = ImpactFigure(texts["name"], value, texts["source"])
    return ImpactRow(number, texts["cohort"], texts["period"], texts["area"] or None, figure)


def _value(text: str) -> Quantity | None:
    """``-12%`` (relative percent), ``-3.5pp`` (percentage points) or ``-0.3`` (a number)."""
    match = _VALUE.match(text)
    if match is None:
        return None
    number = Fraction(Decimal(match["number"]))
    unit = match["unit"]
    if unit is None:
        return Quantity(number, Unit.NUMBER)
    if unit == "%":
        return Quantity(number / 100, Unit.PERCENTAGE)
    return Quantity(number / 100, Unit.POINTS)


def attach_impacts(
    contract: Contract, figures: Sequence[CohortFigures], rows: Sequence[ImpactRow]
) -> list[CohortFigures]:
    """Each unit's figures with the estimates for its cohort rule, period and area; a row for a
    cohort rule or period the contract does not have is a problem (PBR304), by row."""
    if not rows:
        return list(figures)
    labels = _labels(contract)
    problems = [
        DataProblem(
            "PBR304", TABLE, FILE, row.row, "cohort" if row.cohort not in labels else "period",
            row.cohort if row.cohort not in labels else row.period,
            "no such cohort period in the contract",
            "a cohort rule the contract's estimated comparisons compare, and one of its periods",
        )
        for row in rows
        if row.period not in labels.get(row.cohort, set())
    ]
    if problems:
        raise data_error(problems)
    attached = []
    for unit in figures:
        mine = tuple(
            row.figure for row in rows
            if (row.cohort, row.period, row.area) == (unit.cohort, unit.period, unit.area)
        )
        attached.append(attrs.evolve(unit, impacts=unit.impacts + mine) if mine else unit)
    return attached


def _labels(contract: Contract) -> dict[str, set[str]]:
    """The period labels of each cohort rule an estimated comparison compares."""
    estimated = {
        comparison.estimate.cohort
        for version in contract.versions
        for comparison in version.rules.comparisons
        if comparison.estimate is not None
    }
    found: dict[str, set[str]] = {}
    for version in contract.versions:
        for cohort in version.rules.cohorts:
            if cohort.name in estimated:
                windows = periods.cohort_windows(cohort, contract.header.contract_years_start)
                found.setdefault(cohort.name, set()).update(w.label for w in windows)
    return found
