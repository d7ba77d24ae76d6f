"""Worked examples' figures that no cohort can have (PBR231): more reoffenders than offenders,
or fewer reoffences (reconviction events) than reoffenders.

The pay stage refuses such figures too (``figures.GroupFigures``), for an example whose figures
are parameters and for a calling service; written as numbers, they are found at check time, at
the line that gives them. Fewer reoffences than reoffenders is found here only: a measure that
counts no offences holds 0 of them, so the pay stage cannot tell it from a slip.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from pbrrules import rules
from pbrrules.errors import Diagnostic
from pbrrules.figures import impossible
from pbrrules.values import Quantity


def _whole(ref: rules.ValueRef) -> int | None:
    """A figure written as a whole number, or None (a parameter, or not whole: reported
    elsewhere)."""
    if isinstance(ref, rules.Literal_) and isinstance(ref.value, Quantity):
        number = ref.value.value
        return int(number) if number.denominator == 1 else None
    return None


def check(contract: rules.Contract) -> Iterator[Diagnostic]:
    """A PBR231 for each example's figures that no group can have."""
    for example in contract.examples:
        for given in example.givens:
            if not isinstance(given, rules.GivenFigures):
                continue
            figures = {name: _whole(ref) for name, ref in given.figures}
            offenders, reoffenders = figures.get("offenders"), figures.get("reoffenders")
            if offenders is None or reoffenders is None:
                continue
            problem = impossible(offenders, reoffenders) or _too_few_offences(
                reoffenders, figures)
            if problem is not None:
                yield Diagnostic(
                    "PBR231",
                    f"the example '{example.name}' gives impossible figures for "
                    f"'{given.period}': {problem}",
                    given.span,
                    help="a reoffender is one of the cohort's offenders, with at least one "
                    "reoffence: check the figures against the published ones",
                    clause=example.clause,
                )


def _too_few_offences(
    reoffenders: int, figures: Mapping[rules.FigureName, int | None]
) -> str | None:
    """Why fewer reoffences (or reconviction events) than reoffenders cannot be, or None: each
    reoffender has at least one."""
    names: tuple[rules.FigureName, ...] = ("reoffences", "events")
    for name in names:
        counted = figures.get(name)
        if counted is not None and counted < reoffenders:
            what = "reoffences" if name == "reoffences" else "reconviction events"
            return (f"{counted:,} {what} among {reoffenders:,} reoffenders (each reoffender has "
                    "at least one)")
    return None
