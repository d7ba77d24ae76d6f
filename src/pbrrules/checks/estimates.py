"""Comparisons the evaluator estimates, used where only a measured one can be (PBR225), and
impact estimates in worked examples that no comparison uses (PBR226).

An estimated comparison (``estimated impact on youths in relative percent as 80% of rct + 20%
of did``) has an improvement but no measured rates: no significance test of its own (the
evaluator's estimate carries the evaluator's), no reoffenders, reoffences or events avoided to
price (those are counted from a measure's figures), and no pooling (figures are pooled by adding
counts; estimates are not counts). A ``given impact NAME`` line whose NAME
no estimated comparison uses gives a figure nothing reads: a misspelt name, which would make
the comparison not assessable in the example.
"""

from __future__ import annotations

from collections.abc import Iterator

from pbrrules import rules
from pbrrules.errors import Diagnostic, once_per_line


def check(contract: rules.Contract) -> Iterator[Diagnostic]:
    """A PBR225 for each use that needs a measured comparison; a PBR226 for each unused
    impact given in an example."""
    yield from once_per_line(
        diagnostic for version in contract.versions for diagnostic in _measured_only(version.rules)
    )
    yield from _unused_impacts(contract)


def impact_names(contract: rules.Contract) -> set[str]:
    """Every impact name an estimated comparison of any version uses."""
    return {
        part.name
        for version in contract.versions
        for comparison in version.rules.comparisons
        if comparison.estimate is not None
        for part in comparison.estimate.parts
    }


def _estimated(version: rules.Rules, name: str) -> bool:
    comparison = version.comparison(name)
    return comparison is not None and comparison.estimate is not None


def _measured_only(version: rules.Rules) -> Iterator[Diagnostic]:
    for target in version.targets:
        if target.pooled and _estimated(version, target.comparison):
            yield Diagnostic(
                "PBR225",
                f"target '{target.name}' pools the cohorts of '{target.comparison}', which the "
                "evaluator estimates",
                target.span,
                help="figures are pooled by adding counts, and estimates are not counts: the "
                "evaluator estimates each cohort's impact (or a pooled one, supplied for a "
                "period of its own); drop the pooling line",
                clause=target.clause,
            )
        if target.significance is not None and _estimated(version, target.comparison):
            yield Diagnostic(
                "PBR225",
                f"target '{target.name}' tests the significance of '{target.comparison}', which "
                "the evaluator estimates",
                target.significance.span,
                help="a significance test is worked out from measured rates; an evaluator's "
                "estimate comes with the evaluator's own test: drop the line, or compare a "
                "measure",
                clause=target.clause,
            )
    for term in version.terms:
        amount = term.amount
        if (
            isinstance(amount, rules.PerUnitOf)
            and amount.unit in ("reoffender", "reoffence", "event")
            and _estimated(version, amount.comparison)
        ):
            yield Diagnostic(
                "PBR225",
                f"term '{term.name}' prices {amount.unit}s avoided of '{amount.comparison}', "
                "which the evaluator estimates",
                amount.span,
                help="what is avoided is counted from a measure's figures; price an estimate "
                "per percentage point or per percent",
                clause=term.clause,
            )


def _unused_impacts(contract: rules.Contract) -> Iterator[Diagnostic]:
    used = impact_names(contract)
    for example in contract.examples:
        for given in example.givens:
            if isinstance(given, rules.GivenImpact) and given.name not in used:
                known = ", ".join(sorted(used)) or "none"
                yield Diagnostic(
                    "PBR226",
                    f"the example '{example.name}' gives the impact '{given.name}', which no "
                    "estimated comparison uses",
                    given.span,
                    help=f"the impacts the comparisons use are: {known}",
                    clause=example.clause,
                )
