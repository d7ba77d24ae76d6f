"""Checks: a compiled contract (and the files it came from) -> every problem found.

Each check is a generator of diagnostics over the whole contract, one module per concern:
``names`` (unknown, duplicate and cyclic names; template parameters), ``types`` (units, money and
currencies, percent against percentage points), ``shape`` (missing essentials, dates, tiers,
rounding), ``significance`` (levels, critical values, small samples), ``conditions`` (each
column compared with a value of its kind), ``directions`` (terms whose trigger and amount
want the outcome to move opposite ways, so they never pay), ``returns`` (caps on investors'
return that cannot be worked out), ``estimates`` (the evaluator's impact estimates used where
only a measure can be), ``readings`` (warnings where the contract's meaning could surprise a
lawyer) and ``drafting`` (warnings of likely slips: a parameter never used, an example
expecting nothing, control figures for a cohort without a control group).
``compile_contract`` runs them all and raises once with every error found (without the warnings
that only follow from one: ``without_follow_ons``); warnings travel with the compiled contract.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pbrrules import rules
from pbrrules.checks import (
    conditions,
    directions,
    drafting,
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
    """Every problem in the contract: names first, then types, then shape; then the drafting
    warnings."""
    yield from _errors_and_readings(contract, source, sections)
    yield from drafting.check(contract, sections)


#: Warnings that are only the shadow of an error when there is one: a parameter looks unused
#: while its use is misspelt, or its line replaced by the figure an error is about.
FOLLOW_ON_WARNINGS = frozenset({"PBR240"})


def without_follow_ons(problems: Sequence[Diagnostic]) -> list[Diagnostic]:
    """``problems`` without the warnings that follow from an error among them (one mistake,
    one message)."""
    if all(d.severity != "error" for d in problems):
        return list(problems)
    return [d for d in problems if d.code not in FOLLOW_ON_WARNINGS]


def _errors_and_readings(
    contract: rules.Contract, source: rules.SourceFile, sections: Sequence[Section]
) -> Iterator[Diagnostic]:
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
