"""Caps on investors' return that cannot be worked out (PBR224).

``cap investors: all terms paid to "Fund" at most $13,500,000 plus 12.5% a year compounded for
18 months``: compounding is defined over whole years (P × (1 + r) ^ years stays exact), so a
compounded return over part of a year has no value; and a return on a collar (a bound on
deductions) bounds nothing an investor receives. Both are refused at the line.
"""

from __future__ import annotations

from collections.abc import Iterator

from pbrrules import rules
from pbrrules.errors import Diagnostic, once_per_line


def check(contract: rules.Contract) -> Iterator[Diagnostic]:
    """A PBR224 for each cap on investors' return that cannot be worked out."""
    yield from once_per_line(
        diagnostic
        for version in contract.versions
        for limit in version.rules.limits
        for diagnostic in _return(limit)
    )


def _return(limit: rules.Limit) -> Iterator[Diagnostic]:
    ret = limit.investor_return
    if ret is None:
        return
    if limit.kind == "collar":
        yield Diagnostic(
            "PBR224",
            f"the collar '{limit.name}' states a return on investment, but a collar bounds "
            "deductions",
            ret.span,
            help="a return is capped by a cap on what the investors' vehicle is paid: "
            f"write 'cap {limit.name}: all terms paid to \"VEHICLE\" at most ...'",
            clause=limit.clause,
        )
        return
    months = ret.term.months()
    if ret.compounded and (months is None or months % 12 != 0):
        yield Diagnostic(
            "PBR224",
            f"the cap '{limit.name}' compounds its return over part of a year "
            f"({ret.term.amount} {ret.term.unit})",
            ret.span,
            help="compounding is defined over whole years: write the term in years "
            "(for 4 years), or a simple return (drop 'compounded')",
            clause=limit.clause,
        )
