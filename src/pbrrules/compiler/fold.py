"""Worked-out values, per version of the rules: parameter formulas and parameters in conditions.

``parameter pbr_pot: money by contract year = maximum_annual_payment - fee_for_service`` becomes
a table of pot values, one per contract year, once a lot file has supplied both operands; and
``eligible when area is contract_area`` compares with the value the lot file set. Everything is
known when the contract is compiled, so later stages only ever see plain values.
"""

from __future__ import annotations

import difflib
import itertools
from fractions import Fraction
from typing import Literal, assert_never

import attrs

from pbrrules import rules
from pbrrules.errors import Diagnostic, Related, Span
from pbrrules.values import Quantity, Unit, Value

_UNITS = {"money": Unit.MONEY, "count": Unit.COUNT, "rate": Unit.RATE,
          "percentage points": Unit.POINTS, "percent": Unit.PERCENT, "number": Unit.NUMBER}

#: A parameter's values by key: ``None`` for a plain value, else an area, cohort or year.
_Table = dict[object, Quantity]


class _Folder:
    """Works out every formula of one version, reporting what cannot be worked out."""

    def __init__(self, version: rules.Rules) -> None:
        self.params = {p.name: p for p in version.parameters}
        self.done: dict[str, rules.Parameter] = {}
        self.circular: set[str] = set()
        self.problems: list[Diagnostic] = []

    def parameter(self, name: str, chain: tuple[str, ...] = ()) -> rules.Parameter | None:
        """The parameter with its formula worked out; None when that is impossible."""
        if name in self.done:
            return self.done[name]
        if name in self.circular:
            return None
        declared = self.params.get(name)
        if declared is None or not declared.formula:
            return declared
        if name in chain:
            circle = [*chain[chain.index(name):], name]
            self.circular.update(circle)
            self._problem("PBR104", "parameters are worked out from each other in a circle: "
                          + " -> ".join(circle), declared.span,
                          "a formula must lead to values given in the contract", declared.clause,
                          tuple(Related(f"'{a}' is worked out from '{b}' here", self.params[a].span)
                                for a, b in itertools.pairwise(circle[1:])))
            return None
        worked = self._work_out(declared, (*chain, name))
        if worked is not None:
            self.done[name] = worked
        return worked

    def _work_out(self, p: rules.Parameter, chain: tuple[str, ...]) -> rules.Parameter | None:
        tables: list[tuple[Literal["+", "-"], rules.KeyKind | None, _Table, Span]] = []
        for sign, ref in p.formula:
            term = self._term(p, ref, chain)
            if term is None:
                return None
            tables.append((sign, *term, ref.span))
        kinds = {kind for _, kind, _, _ in tables if kind is not None}
        if len(kinds) > 1 or (kinds and p.keyed_by not in kinds) or (not kinds and p.keyed_by):
            self._problem("PBR125", f"the formula of '{p.name}' mixes values given by different "
                          "keys, or its keys differ from the parameter's", p.span,
                          "combine plain values, or tables by the same key as the parameter",
                          p.clause)
            return None
        keys = sorted({k for _, _, table, _ in tables for k in table if k is not None}, key=str)
        result: _Table = {}
        for key in keys or [None]:
            total = Fraction(0)
            for sign, kind, table, span in tables:
                value = table.get(key if kind is not None else None)
                if value is None:
                    self._problem("PBR125", f"the formula of '{p.name}' has no value for {key!r}",
                                  span, "every table in a formula must give every key", p.clause)
                    return None
                total += value.value if sign == "+" else -value.value
            result[key] = Quantity(total, _UNITS[p.type], _currency(tables))
        if not kinds:
            return attrs.evolve(p, value=result[None])
        rows = tuple(rules.Row(value, key=k if isinstance(k, str) else None,
                               year=k if isinstance(k, int) else None, span=p.span)
                     for k, value in result.items())
        return attrs.evolve(p, rows=rows)

    def _term(
        self, p: rules.Parameter, ref: rules.ValueRef, chain: tuple[str, ...]
    ) -> tuple[rules.KeyKind | None, _Table] | None:
        unit = _UNITS.get(p.type)
        if unit is None:
            self._problem("PBR201", f"'{p.name}' is {p.type}, which cannot be worked out by "
                          "adding or subtracting", p.span, None, p.clause)
            return None
        if isinstance(ref, rules.Literal_):
            return self._quantity(p, ref.value, unit, ref.span, None)
        operand = self.parameter(ref.name, chain)
        if operand is None:
            if ref.name not in self.params:
                self._unknown(ref.name, ref.span, p.clause)
            return None
        if not operand.has_value:
            return None  # a template parameter waiting for a lot file's 'set'
        if any(row.effective is not None for row in operand.rows):
            self._problem("PBR125", f"'{operand.name}' changes on effective dates, which a "
                          "formula cannot use", ref.span,
                          "give the worked-out value its own dated rows instead", p.clause)
            return None
        if operand.value is not None and not operand.rows:
            return self._quantity(p, operand.value, unit, ref.span, None)
        table: _Table = {}
        for row in operand.rows:
            found = self._quantity(p, row.value, unit, ref.span, operand.keyed_by)
            if found is None:
                return None
            table[row.key if row.key is not None else row.year] = found[1][None]
        return operand.keyed_by, table

    def _quantity(
        self, p: rules.Parameter, value: Value, unit: Unit, span: Span,
        kind: rules.KeyKind | None,
    ) -> tuple[rules.KeyKind | None, _Table] | None:
        if isinstance(value, Quantity) and value.unit.fits(unit):
            return kind, {None: value}
        self._problem("PBR201", f"a term of the formula of '{p.name}' is not {p.type}", span,
                      "add or subtract values of the parameter's own type", p.clause)
        return None

    def condition(self, condition: rules.Condition) -> rules.Condition:
        """The condition with each parameter it names replaced by the parameter's value."""
        match condition:
            case rules.FieldTest(parameter=str(name)):
                return attrs.evolve(condition, value=self._plain(name, condition.span))
            case rules.AllOf(left=left, right=right) | rules.AnyOf(left=left, right=right):
                return attrs.evolve(condition, left=self.condition(left),
                                    right=self.condition(right))
            case rules.Not(operand=operand):
                return attrs.evolve(condition, operand=self.condition(operand))
            case rules.FieldTest() | rules.OneOf() | rules.Between() | rules.Flag():
                return condition
            case _:
                assert_never(condition)

    def _plain(self, name: str, span: Span) -> Value:
        parameter = self.parameter(name)
        if parameter is None or not parameter.has_value:
            if name not in self.params:
                self._unknown(name, span, None)
            return ""  # unknown (reported), or a template parameter awaiting a lot's 'set'
        if parameter.formula and parameter.value is None and not parameter.rows:
            return ""  # a formula waiting for a lot's values
        if parameter.value is None or parameter.rows:
            self._problem("PBR125", f"'{name}' has no single value to compare with", span,
                          "a condition can use a parameter given one value (no table, no dates)",
                          parameter.clause)
            return ""
        return parameter.value

    def _unknown(self, name: str, span: Span, clause: str | None) -> None:
        close = difflib.get_close_matches(name, sorted(self.params), n=1, cutoff=0.6)
        self._problem("PBR101", f"unknown parameter '{name}'", span,
                      f"did you mean '{close[0]}'?" if close else
                      f"declare the parameter '{name}' first", clause)

    def _problem(self, code: str, message: str, span: Span, help: str | None,
                 clause: str | None, related: tuple[Related, ...] = ()) -> None:
        self.problems.append(Diagnostic(code, message, span, help=help, clause=clause,
                                        related=related))


def _currency(
    tables: list[tuple[Literal["+", "-"], rules.KeyKind | None, _Table, Span]],
) -> str | None:
    return next((q.currency for _, _, t, _ in tables for q in t.values() if q.currency), None)


def fold(version: rules.Rules) -> tuple[rules.Rules, list[Diagnostic]]:
    """The version with formulas worked out and parameters in conditions replaced by values."""
    folder = _Folder(version)
    parameters = tuple(folder.parameter(p.name) or p for p in version.parameters)
    cohorts = tuple(_cohort(folder, cohort) for cohort in version.cohorts)
    return attrs.evolve(version, parameters=parameters, cohorts=cohorts), folder.problems


def _cohort(folder: _Folder, cohort: rules.Cohort) -> rules.Cohort:
    def fold_condition(condition: rules.Condition | None) -> rules.Condition | None:
        return folder.condition(condition) if condition is not None else None

    exclusions = tuple(attrs.evolve(e, when=folder.condition(e.when)) for e in cohort.exclusions)
    return attrs.evolve(cohort, eligible=fold_condition(cohort.eligible), exclusions=exclusions,
                        control_group=fold_condition(cohort.control_group))
