"""Value references, the contract header and parameters."""

from __future__ import annotations

import datetime
from typing import Literal

from attrs import field, frozen

from pbrrules.errors import NOWHERE, Span
from pbrrules.values import Value

# ------------------------------------------------------------------------------------------------
# References to values: a literal written in place, or the name of a parameter.


@frozen
class Literal_:
    """A value written in place, e.g. ``49.9%`` or ``£2,000,000``."""

    value: Value
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Name:
    """A reference by name to a parameter (or, in examples and triggers, to another rule)."""

    name: str
    span: Span = field(default=NOWHERE, eq=False, repr=False)


ValueRef = Literal_ | Name


# ------------------------------------------------------------------------------------------------
# Header


@frozen
class Header:
    """``contract "Name"`` (or ``template``/``variation``) with version, parties, currency, years.

    ``contract "Cumbria and Lancashire CRC" based on "template.pbr"``
    ``  currency GBP``
    ``  contract years start 2015-02-01``
    """

    kind: Literal["contract", "template", "variation"]
    name: str
    version: str | None = None
    payer: str | None = None
    provider: str | None = None
    currency: str | None = None
    contract_years_start: datetime.date | None = None
    based_on: str | None = None
    amended_by: tuple[str, ...] = ()
    amends: str | None = None
    effective_from: datetime.date | None = None
    clause: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)
    #: ``illustrative "why"``: this part is assumed or reconstructed, not the signed text.
    illustrative: str | None = None


# ------------------------------------------------------------------------------------------------
# Parameters

ParamType = Literal[
    "money", "count", "rate", "percentage points", "percent", "number", "date", "duration",
    "text", "yes/no",
]
KeyKind = Literal["area", "cohort", "contract year"]


@frozen
class Row:
    """One row of a parameter table: ``"Cumbria and Lancashire": 49.9%``, ``contract year 2:
    £20,000,000`` or an effective-dated value ``from 2017-10-01: £120,000``."""

    value: Value
    key: str | None = None
    year: int | None = None
    effective: datetime.date | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Parameter:
    """``parameter baseline: rate = 49.9% (clause 4.3)``, optionally keyed or effective-dated.

    A template may declare a parameter without a value; each lot file then supplies it with
    ``set``.
    """

    name: str
    type: ParamType
    keyed_by: KeyKind | None = None
    value: Value | None = None
    rows: tuple[Row, ...] = ()
    #: ``= maximum_annual_payment - fee_for_service``: signed terms the compiler works out
    #: (into ``value`` or ``rows``) in each version of the rules.
    formula: tuple[tuple[Literal["+", "-"], ValueRef], ...] = ()
    illustrative: str | None = None
    clause: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)

    @property
    def has_value(self) -> bool:
        """Whether the parameter holds a value (plain, tabled, dated or worked out), or waits for
        a ``set``."""
        return self.value is not None or bool(self.rows) or bool(self.formula)


@frozen
class SetValue:
    """``set baseline_binary = 49.9% (Annex B)``: a lot file supplying a template's parameter."""

    name: str
    value: Value | None
    rows: tuple[Row, ...] = ()
    illustrative: str | None = None
    clause: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


