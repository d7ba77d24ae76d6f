"""Drafting warnings: things a contract says that are not wrong, but are very likely a slip.

Nothing here stops a contract from compiling; ``pbr-eval check`` shows each as a warning
(docs/errors.md explains each with an example):

- PBR240: a parameter declared and never used: no rule, formula, condition, example or ``set``
  names it (the whole contract is read: a template's parameter used in a variation file, or
  set by the lot, is used).
- PBR241: a worked example with no ``expect`` line: it runs, but pins nothing down.
- PBR242: an example gives control-group figures (``given control ...``) for a cohort rule
  that has no control group: no comparison can read them, so they change nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import attrs

from pbrrules import rules
from pbrrules.errors import Diagnostic, Related

Section = tuple[rules.VariationStart | None, Sequence[rules.Declaration]]


def check(contract: rules.Contract, sections: Sequence[Section]) -> Iterator[Diagnostic]:
    """Every drafting warning of the contract (all its files and versions)."""
    yield from _unused_parameters(contract, sections)
    for example in contract.examples:
        yield from _without_expectations(example)
        yield from _control_figures_without_control(contract, example)


# ------------------------------------------------------------------------------------------------
# PBR240: parameters never used


def _unused_parameters(
    contract: rules.Contract, sections: Sequence[Section]
) -> Iterator[Diagnostic]:
    declared: dict[str, rules.Parameter] = {}
    used: set[str] = set()
    for _, declarations in sections:
        for declaration in declarations:
            if isinstance(declaration, rules.Parameter):
                declared.setdefault(declaration.name, declaration)
                used.update(n for _, ref in declaration.formula for n in _names(ref))
            elif isinstance(declaration, rules.SetValue):
                used.add(declaration.name)  # a lot that sets a template's parameter uses it
            else:
                used.update(_names(declaration))
    for example in contract.examples:
        used.update(_names(example))
        used.update(g.name for g in example.givens if isinstance(g, rules.GivenValue))
    for name, parameter in declared.items():
        if name in used:
            continue
        yield Diagnostic(
            "PBR240",
            f"the parameter '{name}' is declared but never used",
            parameter.span,
            help="no target, term, limit, condition, formula or example names it: use it where "
            "the schedule means it (a threshold, a price, a cap), or delete the line",
            clause=parameter.clause,
            severity="warning",
        )


def _names(node: object) -> Iterator[str]:
    """Every parameter name ``node`` refers to, anywhere inside it: a ``Name`` reference, a
    condition compared with a parameter, ``deduct 10% of NAME``."""
    match node:
        case rules.Name(name=name):
            yield name
        case rules.FieldTest(parameter=str() as name):
            yield name
        case rules.ShareOfValue(of=name):
            yield name
        case _:
            pass
    kind = type(node)
    if attrs.has(kind):
        for field in attrs.fields(kind):
            if field.eq:  # spans and texts as written hold no reference
                yield from _names(getattr(node, field.name))
    elif isinstance(node, tuple):
        for item in node:
            yield from _names(item)


# ------------------------------------------------------------------------------------------------
# PBR241: examples with nothing expected


def _without_expectations(example: rules.Example) -> Iterator[Diagnostic]:
    if example.expectations:
        return
    yield Diagnostic(
        "PBR241",
        f"the example '{example.name}' expects nothing",
        example.span,
        help="an example without 'expect' lines runs but checks nothing; add what the schedule "
        "says it pays, e.g. 'expect total pays £0' (pbr-eval test -v shows what it pays)",
        clause=example.clause,
        severity="warning",
    )


# ------------------------------------------------------------------------------------------------
# PBR242: control-group figures for a cohort without a control group


def _control_figures_without_control(
    contract: rules.Contract, example: rules.Example
) -> Iterator[Diagnostic]:
    cohorts: dict[str, rules.Cohort] = {}
    for version in contract.versions:
        for cohort in version.rules.cohorts:
            # a cohort rule has a control group when any version of it defines one
            if cohort.name not in cohorts or cohort.control_group is not None:
                cohorts[cohort.name] = cohort
    for given in example.givens:
        if not isinstance(given, rules.GivenFigures) or not given.control:
            continue
        named = [given.cohort] if given.cohort is not None else list(cohorts)
        found = [cohorts[n] for n in named if n in cohorts]
        if not found or any(c.control_group is not None for c in found):
            continue  # an unknown cohort is reported as an error elsewhere
        which = (f"the cohort rule '{found[0].name}' has" if len(found) == 1
                 else "no cohort rule has")
        yield Diagnostic(
            "PBR242",
            f"the example '{example.name}' gives control-group figures for '{given.period}', "
            f"but {which} no control group",
            given.span,
            help="no comparison can read them, so they change nothing: give the treatment "
            "figures only, or add 'control group when ...' to the cohort rule",
            clause=example.clause,
            severity="warning",
            related=tuple(Related("the cohort rule, without a 'control group' line", c.span)
                          for c in found),
        )
