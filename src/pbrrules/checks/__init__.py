"""Checks: a compiled contract (and the files it came from) -> every problem found.

Each check is a generator of diagnostics over the whole contract, one module per concern:
``names`` (unknown, duplicate and cyclic names; template parameters), ``types`` (units, money and
currencies, percent against percentage points), ``shape`` (missing essentials, dates, tiers,
rounding), ``significance`` (levels, critical values, small samples), ``conditions`` (each
column compared with a value of its kind), ``directions`` (terms whose trigger and amount
want the outcome to move opposite ways, so they never pay), ``returns`` (caps on investors'
return that cannot be worked out), ``estimates`` (the evaluator's impact estimates used where
only a measure can be) and ``readings`` (warnings where the
contract's meaning could surprise a lawyer). ``compile_contract`` runs them all and
raises once with every error found; warnings travel with the compiled contract.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pbrrules import rules
from pbrrules.checks import (
    conditions,
    directions,
    estimates,
    examples,
    limits,
    names,
    readings,
    returns,
    shape,
    significance,
    types,
)
from pbrrules.errors import Diagnostic

Section = tuple[rules.VariationStart | None, Sequence[rules.Declaration]]


def check(
    contract: rules.Contract, source: rules.SourceFile, sections: Sequence[Section]
) -> Iterator[Diagnostic]:
    """Every problem in the contract: names first, then types, then shape."""
    yield from names.check(contract, source, sections)
    yield from types.check(contract)
    yield from conditions.check(contract)
    yield from limits.check(contract)
    yield from examples.check(contract)
    yield from directions.check(contract)
    yield from returns.check(contract)
    yield from estimates.check(contract)
    yield from shape.check(contract, sections)
    for version in contract.versions:
        yield from significance.check(version.rules)
    yield from readings.check(contract)
