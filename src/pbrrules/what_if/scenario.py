"""The scenario a ``what-if`` question is asked in: the contract, the worked example it starts
from, and the thing varied (a parameter, a measure's value, or a cohort figure), each point
paid by the pay stage itself."""

from __future__ import annotations

import difflib
import re
from decimal import Decimal
from typing import Literal

import attrs
from attrs import frozen

from pbrrules.figures import CohortFigures, GroupFigures, MeasureCounts
from pbrrules.pay.evaluate import evaluate
from pbrrules.rules import Contract, Example, GivenValue
from pbrrules.statement import Statement
from pbrrules.values import Quantity, Value
from pbrrules.what_if.quantities import WhatIfProblem, show
from pbrrules.worked_examples import ExampleProblem, example_figures

#: The cohort figures that can be varied, and the count each one changes: the treatment
#: group's, or (``control_...``) the control group's of a cohort with one.
TREATMENT_FIGURES = ("offenders", "reoffenders", "reoffences", "events")
FIGURES = (*TREATMENT_FIGURES, *(f"control_{name}" for name in TREATMENT_FIGURES))


@frozen
class Point:
    """What the contract pays with the varied thing at one value."""

    value: Quantity
    #: Each term's amount, summed over the scenario's cohorts, in the order the contract lists.
    terms: tuple[tuple[str, Decimal], ...]
    total: Decimal
    #: Each target's verdict, term's status (and band), limit's effect ("binds" or "free").
    states: tuple[tuple[str, str], ...]

    def state(self, key: str) -> str | None:
        """The state of ``key`` (e.g. "target five_points") at this point."""
        return dict(self.states).get(key)

    def amount(self, term: str | None) -> Decimal:
        """What ``term`` pays here (the total when None)."""
        return self.total if term is None else dict(self.terms).get(term, Decimal(0))


class Scenario:
    """Pays the contract with one thing set to a value, on the starting example's figures (and
    with any ``held`` things set to theirs: the other axis of a two-way table)."""

    def __init__(
        self,
        contract: Contract,
        name: str,
        example: str | None,
        period: str | None,
        held: tuple[tuple[str, Quantity], ...] = (),
    ) -> None:
        self.contract = contract
        self.name = name
        self.kind = _kind(contract, name)
        kinds = [self.kind, *(_kind(contract, n) for n, _ in held)]
        self.example = _example(contract, example, needed="figure" in kinds)
        self.period = period
        try:
            self.figures = example_figures(contract, self.example)
        except ExampleProblem as problem:
            raise WhatIfProblem(f"the example cannot be run: {problem}") from None
        if period is not None and not any(f.period == period for f in self.figures):
            labels = ", ".join(sorted({f.period for f in self.figures}))
            raise WhatIfProblem(f'the example gives no figures for "{period}" (it gives {labels})')
        self.overrides: dict[str, Value] = {
            g.name: g.value for g in self.example.givens if isinstance(g, GivenValue)
        }
        for held_name, value in held:
            self.figures, self.overrides = self._set(held_name, value, self.figures, self.overrides)

    def statement(self, value: Quantity) -> Statement:
        """The statement with the thing varied set to ``value``."""
        figures, overrides = self._set(self.name, value, self.figures, self.overrides)
        return evaluate(self.contract, figures, overrides=overrides)

    def _set(
        self, name: str, value: Quantity, figures: list[CohortFigures], overrides: dict[str, Value]
    ) -> tuple[list[CohortFigures], dict[str, Value]]:
        """The figures and values with ``name`` set to ``value``."""
        if name not in FIGURES:
            return figures, {**overrides, name: value}
        if value.value.denominator != 1 or value.value < 0:
            raise WhatIfProblem(f"{name} must be a whole number, not {show(value)}")
        return [self._varied(unit, name, int(value.value)) for unit in figures], overrides

    def _varied(self, unit: CohortFigures, name: str, count: int) -> CohortFigures:
        if self.period is not None and unit.period != self.period:
            return unit
        control = name.startswith("control_")
        figure = name.removeprefix("control_")
        group = unit.control if control else unit.treatment
        if group is None:
            raise WhatIfProblem(
                f'the example gives no control-group figures for "{unit.period}" (vary '
                f"{name} in a cohort with a control group, from an example with "
                f'given control "{unit.period}": ...; or choose the period with --period)')
        try:
            if figure == "offenders":
                changed = attrs.evolve(group, offenders=count)
            else:
                changed = _with_counts(group, figure, count)
        except ValueError as exc:  # figures no cohort can have (more reoffenders than offenders)
            raise WhatIfProblem(f"{name} = {count:,} in \"{unit.period}\": {exc}") from None
        return attrs.evolve(unit, control=changed) if control else attrs.evolve(
            unit, treatment=changed)

    def point(self, value: Quantity) -> Point:
        """What is paid at ``value``."""
        return point(value, self.statement(value))


def _with_counts(group: GroupFigures, name: str, count: int) -> GroupFigures:
    counts = {
        measure: MeasureCounts(count, c.reoffences) if name == "reoffenders"
        else MeasureCounts(c.reoffenders, count)
        for measure, c in group.counts.items()
    }  # fmt: skip
    return attrs.evolve(group, counts=counts)


def _kind(contract: Contract, name: str) -> Literal["parameter", "measure", "figure"]:
    if name in FIGURES:
        return "figure"
    rules = [version.rules for version in contract.versions]
    if any(r.measure(name) for r in rules):
        return "measure"
    if any(r.parameter(name) for r in rules):
        return "parameter"
    known = sorted(
        {p.name for r in rules for p in r.parameters} | {m.name for r in rules for m in r.measures}
    )
    close = difflib.get_close_matches(name, [*known, *FIGURES], n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise WhatIfProblem(
        f"{contract.header.name!r} has no parameter or measure {name!r}{hint}; a cohort figure "
        f"is one of {', '.join(FIGURES)}"
    )


def _example(contract: Contract, wanted: str | None, *, needed: bool) -> Example:
    """The worked example named (by any part of its name), the first one, or none at all."""
    if wanted is not None:
        found = [e for e in contract.examples if wanted.lower() in e.name.lower()]
        if len(found) != 1:
            names = "; ".join(f'"{e.name}"' for e in contract.examples) or "none"
            how = "no" if not found else "more than one"
            raise WhatIfProblem(f'{how} worked example matches "{wanted}" (examples: {names})')
        return found[0]
    if contract.examples:
        return contract.examples[0]
    if needed:
        raise WhatIfProblem("varying a cohort figure needs a worked example to start from")
    return Example("what-if", (), ())


#: The band a banded line was paid in, as its derivation says (pay/amounts.py): "falls in the
#: band from 8.5% (relative) below 10% (relative): ..." or "falls in no band".
_BAND = re.compile(r" falls in (the band [^:]*|no band):")


def point(value: Quantity, statement: Statement) -> Point:
    """The amounts and states of one statement (a banded term's band among them)."""
    several = len(statement.units) > 1
    terms: dict[str, Decimal] = {}
    states: dict[str, str] = {}
    for unit in statement.units:
        where = f" in {unit.label}" if several else ""
        for target in unit.targets:
            states[f"target {target.name}{where}"] = target.verdict
        for line in unit.lines:
            terms[line.term] = terms.get(line.term, Decimal(0)) + line.amount.amount
            states[f"term {line.term}{where}"] = line.status
            band = _BAND.search(line.derivation)
            if band is not None:
                states[f"band {line.term}{where}"] = band.group(1)
            for applied in line.limits:
                states[f"{applied.kind} {applied.limit}{where}"] = "binds"
    return Point(value, tuple(terms.items()), statement.total.amount, tuple(states.items()))
