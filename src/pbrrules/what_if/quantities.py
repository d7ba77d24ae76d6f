"""Values as a lawyer types them for ``what-if`` (``52.3%``, ``5 pp``, ``£1,000,000``, ``530``),
shown exactly, and the range of values a question runs over."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import assert_never

import attrs

from pbrrules.errors import PbrError
from pbrrules.statement import wording
from pbrrules.syntax import literals
from pbrrules.values import CURRENCY_SYMBOLS, Quantity, Unit

#: More points than this is a mistake in the step, not a question a lawyer asks.
MAX_POINTS = 2_001

_LITERAL = re.compile(
    r"^(?P<minus>-)?(?P<sign>[£$€]|[A-Z]{3} ?)?"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<million> ?million)?(?P<unit>%| ?pp| ?percentage points?)?$"
)


class WhatIfProblem(PbrError, ValueError):
    """A what-if question that cannot be asked of this contract (a name it does not have, a
    range that is empty or mixes units)."""


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


def default_step(start: Quantity, stop: Quantity) -> Quantity:
    """A tenth of the range (a whole number, at least 1, for a count)."""
    width = abs(stop.value - start.value) / 10
    if start.unit is Unit.COUNT:
        width = Fraction(max(1, int(width)))
    return attrs.evolve(start, value=width or Fraction(1), text=None)
