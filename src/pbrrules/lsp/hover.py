"""What hovering over a name shows: its declaration as written, its value and unit, its clause
and the file it is declared in (a lot file's names are often declared in its template)."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from typing import assert_never

from pbrrules import rules
from pbrrules.errors import source_lines
from pbrrules.lsp.symbols import Symbol
from pbrrules.statement import wording
from pbrrules.values import Duration, Quantity, Value

#: A long declaration (a cohort with many exclusions) is cut after this many lines.
MAX_LINES = 12


def hover_text(
    symbol: Symbol, text: str, contract: rules.Contract | None, relative_to: str
) -> str:
    """Markdown for ``symbol``, whose file holds ``text``; ``contract`` (when the document
    compiles) gives the values in force, worked out and set by a lot file."""
    lines = source_lines(text)[symbol.span.line - 1 : symbol.span.end_line]
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES], "  …"]
    where = os.path.relpath(symbol.path, os.path.dirname(relative_to) or ".")
    facts = [
        *(f"value: {v}" for v in _values(symbol, contract)),
        *(f"unit: {u}" for u in _unit(symbol.declaration, contract)),
        *(f"clause: {c}" for c in _clause(symbol.declaration)),
        f"declared in: {where}, line {symbol.span.line}",
    ]
    body = "\n".join(lines)
    bullets = "\n".join(f"- {fact}" for fact in facts)
    return f"**{symbol.kind}** `{symbol.name}`\n\n```pbr\n{body}\n```\n\n{bullets}\n"


def _clause(declaration: rules.Declaration) -> Iterator[str]:
    clause = getattr(declaration, "clause", None)
    if clause:
        yield clause


def _values(symbol: Symbol, contract: rules.Contract | None) -> Iterator[str]:
    """A parameter's value in each version of the contract (as let, then each variation)."""
    declaration = symbol.declaration
    if not isinstance(declaration, rules.Parameter | rules.SetValue):
        return
    if contract is None:
        yield from _parameter_values(declaration)
        return
    history: list[tuple[str, str]] = []
    for version in contract.versions:
        parameter = version.rules.parameter(symbol.name)
        values = "; ".join(_parameter_values(parameter)) if parameter else "removed"
        if not history or values != history[-1][1]:
            when = f"from {version.effective_from} ({version.name})" if history else "as let"
            history.append((when, values))
    if len(history) == 1:
        yield history[0][1]
        return
    yield from (f"{when}: {values}" for when, values in history)


def _parameter_values(parameter: rules.Parameter | rules.SetValue) -> Iterator[str]:
    if parameter.value is not None:
        yield value_text(parameter.value)
    for row in parameter.rows:
        yield f"{_row_key(row)}: {value_text(row.value)}"
    if isinstance(parameter, rules.Parameter) and not parameter.has_value:
        yield "none here: each lot file sets it"


def _row_key(row: rules.Row) -> str:
    if row.key is not None:
        return f'"{row.key}"'
    if row.year is not None:
        return f"contract year {row.year}"
    return f"from {row.effective}"


def value_text(value: Value) -> str:
    """A value as the contract writes it (``58.0%``, ``£20,000,000``, ``12 months``)."""
    match value:
        case bool():
            return "yes" if value else "no"
        case datetime.date():
            return value.isoformat()
        case Duration(amount=amount, unit=unit):
            return f"{amount} {unit[:-1] if amount == 1 else unit}"
        case str():
            return f'"{value}"'
        case Quantity(text=str(written)):
            return written
        case Quantity():
            return wording.quantity(value)
        case _:
            assert_never(value)


def _unit(declaration: rules.Declaration, contract: rules.Contract | None) -> Iterator[str]:
    """The unit a declaration's value is in, where it has one."""
    currency = contract.header.currency if contract is not None else None
    match declaration:
        case rules.Parameter(type=kind, keyed_by=keyed_by):
            yield kind + (f", by {keyed_by}" if keyed_by else "")
        case rules.Measure(kind=kind, per=per, counting=counting):
            yield _measure_unit(kind, per, counting)
        case rules.Comparison(unit=unit):
            yield _improvement_unit(unit)
        case rules.Term() | rules.Limit():
            yield f"money ({currency})" if currency else "money"
        case (
            rules.SetValue() | rules.Cohort() | rules.Target() | rules.Rounding()
            | rules.Example() | rules.VariationStart() | rules.Removal()
        ):
            return
        case _:
            assert_never(declaration)


def _measure_unit(kind: rules.MeasureKind, per: int, counting: rules.CountingUnit) -> str:
    match kind:
        case "binary":
            return "rate (the share of the cohort who reoffend)"
        case "per_reoffender":
            units, people = rules.UNIT_NAMES[counting]
            return f"{counting} per reoffender" if counting in rules.OFFENCE_COUNTING else \
                f"{units} per person among {people}"
        case "per_offenders":
            units = counting if counting in rules.OFFENCE_COUNTING else \
                rules.UNIT_NAMES[counting][0]
            return f"{units} per {per:,} offenders"
        case _:
            assert_never(kind)


def _improvement_unit(unit: rules.ImprovementUnit) -> str:
    match unit:
        case "points":
            return "percentage points"
        case "percent":
            return "percent (relative to the comparator)"
        case "absolute":
            return "the measure's own unit"
        case _:
            assert_never(unit)
