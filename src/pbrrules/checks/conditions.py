"""Condition checks: every test in a cohort's conditions compares a column with a value of the
column's kind (PBR230).

A column of the outcome-record standard has the standard's kind (``age`` is a number); any other
column takes the kind of its first use in the contract, in the order the measurement reads them
(each cohort's eligibility, exclusions, then control group). Without this check ``age is "x"``
ended the run in an internal error, and ``eligible when age`` (a column named alone is a yes/no
test) silently counted the offenders aged 1.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import assert_never

from pbrrules import rules
from pbrrules.errors import Diagnostic, Span
from pbrrules.values import Duration, Quantity, Value

#: How each kind of column reads in a message, and the value that suits it.
_COLUMN_WORDS = {
    "text": ("a text column", 'quoted text such as "community_order"'),
    "category": ("a column of named values", 'quoted text such as "control"'),
    "number": ("a number column", "a number such as 18"),
    "date": ("a date column", "a date such as 2015-10-01"),
    "yes/no": ("a yes/no column", "the column named alone (a yes/no test), or 'not' before it"),
}


def value_kind(value: Value) -> str:
    """The kind of column a condition's value can be compared with ('duration' fits none)."""
    match value:
        case bool():
            return "yes/no"
        case Quantity():
            return "number"
        case datetime.date():
            return "date"
        case Duration():
            return "duration"
        case str():
            return "text"
        case _:
            assert_never(value)
    raise AssertionError(value)  # pragma: no cover - Value is a closed union


def _fits(column_kind: str, kind: str) -> bool:
    return kind == column_kind or (column_kind == "category" and kind == "text")


def _uses(test: rules.ColumnTest) -> Iterator[tuple[str, Value | None]]:
    """Each value ``test`` compares its column with; None for a yes/no test."""
    match test:
        case rules.FieldTest(value=value):
            yield "compared with", value
        case rules.OneOf(values=values):
            for value in values:
                yield "compared with", value
        case rules.Between(low=low, high=high):
            yield "compared with", low
            yield "compared with", high
        case rules.Flag():
            yield "named alone", None
        case _:
            assert_never(test)


def _conditions(cohort: rules.Cohort) -> Iterator[rules.Condition | None]:
    yield cohort.eligible
    for exclusion in cohort.exclusions:
        yield exclusion.when
    yield cohort.control_group


def _tests(contract: rules.Contract) -> Iterator[rules.ColumnTest]:
    for version in contract.versions:
        for cohort in version.rules.cohorts:
            for condition in _conditions(cohort):
                yield from rules.column_tests(condition)


def _describe(value: Value | None) -> str:
    match value:
        case None:
            return "(a yes/no test)"
        case bool():
            return "yes/no"
        case Quantity():
            return "a number"
        case datetime.date():
            return "a date"
        case Duration():
            return "a duration"
        case str():
            return f'text ("{value}")'
        case _:
            assert_never(value)
    raise AssertionError(value)  # pragma: no cover - Value is a closed union


def check(contract: rules.Contract) -> Iterator[Diagnostic]:
    """A PBR230 for every test of a column against a value of another kind (each place once)."""
    kinds: dict[str, tuple[str, Span | None]] = {
        name: (kind, None) for name, kind in rules.STANDARD_INDEX_EVENT_KINDS.items()
    }
    seen: set[tuple[str, int, int]] = set()
    for test in _tests(contract):
        for verb, value in _uses(test):
            kind = "yes/no" if value is None else value_kind(value)
            if test.column not in kinds and kind != "duration":
                kinds[test.column] = (kind, test.span)
                continue
            column_kind, first = kinds.get(test.column, ("", None))
            key = (test.span.source, test.span.line, test.span.column)
            if _fits(column_kind, kind) or key in seen:
                continue
            seen.add(key)
            yield _mismatch(test, verb, value, column_kind, first)


def _mismatch(
    test: rules.ColumnTest, verb: str, value: Value | None, column_kind: str, first: Span | None
) -> Diagnostic:
    if not column_kind:
        return Diagnostic(
            "PBR230",
            f"'{test.column}' is {verb} {_describe(value)}, which no column holds",
            test.span,
            help="a duration (such as 12 months) is not a value of an outcome record; compare "
            "a number column such as sentence_months with a number",
        )
    words, suits = _COLUMN_WORDS[column_kind]
    why = (
        "in the outcome-record standard"
        if first is None
        else f"as its first use at line {first.line} makes it"
    )
    return Diagnostic(
        "PBR230",
        f"'{test.column}' is {verb} {_describe(value)}, but it is {words} ({why})",
        test.span,
        help=f"compare '{test.column}' with {suits}",
    )
