"""Which parts of a contract its worked examples pin down (``pbr-eval test --coverage``).

A worked example is how a lawyer fixes a clause's meaning in money. A term, target, measure or
comparison is covered when an expectation names it (``expect bonus pays £X``, ``expect
five_points is met``, ``expect reduction = 8.4%``), a measure also when a comparison made on it
is; a cap or collar when it trims a line in some example's statement (an example where it never
binds says nothing of it). What is left uncovered
is listed with its clause, so the schedule's untested clauses are a list, not a guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from attrs import frozen

from pbrrules.rules import NAMED_DECLARATIONS, Contract
from pbrrules.worked_examples import ExampleResult

#: The declarations an example can pin down (parameters and cohorts it gives, never checks).
_COVERABLE = ("measure", "comparison", "target", "term", "limit")


@frozen
class Covered:
    """One declaration, and whether some worked example pins it down."""

    what: str
    name: str
    clause: str | None
    covered: bool

    def describe(self) -> str:
        clause = f" ({self.clause})" if self.clause else ""
        return f"{self.what} {self.name}{clause}"


@frozen
class Coverage:
    """Every declaration an example could cover, in schedule order, with whether one does."""

    items: tuple[Covered, ...]

    @property
    def uncovered(self) -> tuple[Covered, ...]:
        return tuple(item for item in self.items if not item.covered)

    def summary(self) -> str:
        """``"9 of 12 measures, comparisons, targets, terms and limits have an example"``."""
        covered = len(self.items) - len(self.uncovered)
        return (
            f"{covered} of {len(self.items)} measures, comparisons, targets, terms and limits "
            "have an example"
        )


def coverage(contract: Contract, results: Sequence[ExampleResult]) -> Coverage:
    """What the examples whose ``results`` are given cover of ``contract`` (every version)."""
    named = {x.subject for result in results for x in result.example.expectations if x.subject}
    # a measure is pinned down by an example of a comparison made on it, too
    named |= {
        c.measure for version in contract.versions for c in version.rules.comparisons
        if c.name in named
    }
    binding = set(_binding_limits(results))
    items: dict[tuple[str, str], Covered] = {}
    for version in contract.versions:
        for what, field in NAMED_DECLARATIONS:
            if what not in _COVERABLE:
                continue
            for declaration in getattr(version.rules, field):
                key = (what, declaration.name)
                if key in items:
                    continue
                kind = declaration.kind if what == "limit" else what
                hit = declaration.name in (binding if what == "limit" else named)
                items[key] = Covered(kind, declaration.name, declaration.clause, hit)
    return Coverage(tuple(items.values()))


def _binding_limits(results: Iterable[ExampleResult]) -> Iterable[str]:
    for result in results:
        if result.statement is None:
            continue
        for unit in result.statement.units:
            for line in unit.lines:
                yield from (applied.limit for applied in line.limits)
