"""Cohort conditions (eligibility, exclusions, control group) -> SQL boolean expressions.

A test on a missing value is unknown, and unknowns combine as in SQL (three-valued logic); a
condition that ends unknown does not hold. Values compare exactly: numbers as decimals (or as
integer cross-products for fractions with no finite decimal form), text case-sensitively.
"""

from __future__ import annotations

import datetime
from fractions import Fraction
from typing import assert_never

from pbrrules import rules
from pbrrules.measure.quote import quote_ident, quote_text
from pbrrules.values import Duration, Quantity, Value

_SQL_OP = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "=": "=", "!=": "<>"}


def finite_decimal(value: Fraction) -> str | None:
    """``value`` as an exact decimal literal, or None when it has no finite decimal form."""
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return None
    places = max(twos, fives)
    scaled = value.numerator * (10**places) // value.denominator
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled)).rjust(places + 1, "0")
    if places == 0:
        return f"{sign}{digits}"
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def literal(value: Value) -> str:
    """A contract value as a SQL literal."""
    match value:
        case bool():
            return "TRUE" if value else "FALSE"
        case Quantity(value=number):
            text = finite_decimal(number)
            return text if text is not None else f"({number.numerator} / {number.denominator})"
        case datetime.date():
            return f"DATE '{value.isoformat()}'"
        case str():
            return quote_text(value)
        case Duration():
            raise TypeError("a duration is not a column value")
        case _:
            assert_never(value)
    assert_never(value)


def _compare(column: str, op: str, value: Value) -> str:
    if isinstance(value, Quantity) and finite_decimal(value.value) is None:
        # exact comparison with a fraction such as 1/3: column × den op num
        number = value.value
        return f"({column} * {number.denominator} {_SQL_OP[op]} {number.numerator})"
    return f"({column} {_SQL_OP[op]} {literal(value)})"


def to_sql(condition: rules.Condition) -> str:
    """The SQL boolean expression for ``condition`` over the typed index-event columns."""
    match condition:
        case rules.FieldTest(column=column, op=op, value=value):
            return _compare(quote_ident(column), op, value)
        case rules.OneOf(column=column, values=values):
            tests = [_compare(quote_ident(column), "=", v) for v in values]
            return "(" + " OR ".join(tests) + ")" if tests else "FALSE"
        case rules.Between(column=column, low=low, high=high):
            name = quote_ident(column)
            return f"({_compare(name, '>=', low)} AND {_compare(name, '<=', high)})"
        case rules.Flag(column=column):
            return f"({quote_ident(column)} = TRUE)"
        case rules.AllOf(left=left, right=right):
            return f"({to_sql(left)} AND {to_sql(right)})"
        case rules.AnyOf(left=left, right=right):
            return f"({to_sql(left)} OR {to_sql(right)})"
        case rules.Not(operand=operand):
            return f"(NOT {to_sql(operand)})"
        case _:
            assert_never(condition)
    assert_never(condition)


def holds_sql(condition: rules.Condition | None, default: bool = True) -> str:
    """``condition`` as SQL that is never NULL: an unknown result does not hold."""
    if condition is None:
        return "TRUE" if default else "FALSE"
    return f"COALESCE({to_sql(condition)}, FALSE)"
