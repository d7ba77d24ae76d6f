"""Parameter resolution for one cohort unit: which value of a parameter applies, and why.

A parameter may hold one value, a table keyed by area, cohort or contract year, or values that
change on an effective date. For a unit the applicable value is the row for its area, its period
label, its contract year, or the latest row effective on or before its first index date. A value
that is missing makes whatever depends on it "not assessable", with a reason naming the
parameter and the key; it never becomes a silent zero.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from fractions import Fraction
from typing import assert_never

from attrs import frozen

from pbrrules.figures import CohortFigures
from pbrrules.rules import Literal_, Name, Parameter, Rules, ValueRef, periods
from pbrrules.statement import wording
from pbrrules.values import Quantity, Unit, Value


class NotAssessable(Exception):
    """Raised inside the pay stage when a figure or value needed for a result is missing.

    Caught where a result is recorded, which then says "not assessable" and gives the reason.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def contract_year(years_start: datetime.date | None, start: datetime.date) -> int | None:
    """The contract year n with ``years_start + (n-1) years <= start < years_start + n years``.

    None when the contract gives no start of contract years or the unit starts before it.
    """
    if years_start is None or start < years_start:
        return None
    return periods.contract_year(years_start, start)


@frozen
class Resolver:
    """Resolves value references for one cohort unit under one version of the rules.

    ``overrides`` replace parameters by name (a worked example's ``given NAME = value``).
    """

    rules: Rules
    unit: CohortFigures
    year: int | None
    overrides: Mapping[str, Value] = {}

    def value(self, ref: ValueRef) -> Value:
        """The value ``ref`` stands for in this unit."""
        if isinstance(ref, Literal_):
            return ref.value
        return self.named(ref.name)

    def named(self, name: str) -> Value:
        """The value of parameter ``name`` in this unit."""
        if name in self.overrides:
            return self.overrides[name]
        parameter = self.rules.parameter(name)
        if parameter is None:
            raise NotAssessable(f"parameter {name} is not declared")
        if any(
            isinstance(ref, Name) and ref.name in self.overrides for _, ref in parameter.formula
        ):
            return self._worked_out(parameter)
        return self._row_value(parameter)

    def _worked_out(self, parameter: Parameter) -> Quantity:
        """``pot = maximum_annual_payment - fee_for_service`` again, when an example has given
        one of its inputs (the compiler has worked it out from the contract's own values)."""
        terms = [(sign, self.quantity(ref)) for sign, ref in parameter.formula]
        value = sum((q.value if sign == "+" else -q.value for sign, q in terms), Fraction(0))
        first = terms[0][1]
        return Quantity(value, first.unit, first.currency)

    def quantity(self, ref: ValueRef) -> Quantity:
        """The value ``ref`` stands for, which must be a number of some unit."""
        value = self.value(ref)
        if not isinstance(value, Quantity):
            raise NotAssessable(f"{describe(ref)} is {value!r}, not a number")
        return value

    def money(self, ref: ValueRef) -> Fraction:
        """An amount of money (in the contract's currency)."""
        value = self.quantity(ref)
        if value.unit is not Unit.MONEY:
            raise NotAssessable(f"{describe(ref)} is not an amount of money")
        return value.value

    def _row_value(self, parameter: Parameter) -> Value:
        name = parameter.name
        unit = self.unit
        match parameter.keyed_by:
            case "area":
                if unit.area is None:
                    raise NotAssessable(
                        f"parameter {name} is keyed by area but the cohort has none"
                    )
                return self._keyed(parameter, unit.area, f'area "{unit.area}"')
            case "cohort":
                return self._keyed(parameter, unit.period, f'cohort "{unit.period}"')
            case "contract year":
                if self.year is None:
                    raise NotAssessable(
                        f"parameter {name} is keyed by contract year but the cohort starting "
                        f"{unit.start.isoformat()} is in no contract year"
                    )
                for row in parameter.rows:
                    if row.year == self.year:
                        return row.value
                if parameter.value is not None:
                    return parameter.value
                raise NotAssessable(f"parameter {name} has no value for contract year {self.year}")
            case None:
                dated = [r for r in parameter.rows if r.effective and r.effective <= unit.start]
                if dated:
                    return max(dated, key=lambda r: r.effective or unit.start).value
                if parameter.value is not None:
                    return parameter.value
                raise NotAssessable(
                    f"parameter {name} has no value in effect on {unit.start.isoformat()}"
                )
            case _:
                assert_never(parameter.keyed_by)

    def _keyed(self, parameter: Parameter, key: str, wording: str) -> Value:
        for row in parameter.rows:
            if row.key == key:
                return row.value
        if parameter.value is not None:
            return parameter.value
        raise NotAssessable(f"parameter {parameter.name} has no value for {wording}")


def describe(ref: ValueRef) -> str:
    """How a value reference reads in an explanation: the parameter's name or the literal."""
    if isinstance(ref, Name):
        return ref.name
    value = ref.value
    return wording.quantity(value) if isinstance(value, Quantity) else str(value)
