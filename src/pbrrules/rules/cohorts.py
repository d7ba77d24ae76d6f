"""Who is measured: conditions on index-event columns, exclusions, cohort periods."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Literal, assert_never

from attrs import field, frozen

from pbrrules.errors import NOWHERE, Span
from pbrrules.values import Value

# ------------------------------------------------------------------------------------------------
# Conditions on index-event columns (eligibility, exclusions, control group)

CompareOp = Literal["<", "<=", ">", ">=", "=", "!="]


@frozen
class FieldTest:
    """``disposal is "community_order"``, ``sentence_months < 12``, ``sex is not "female"``.

    ``area is contract_area`` compares with a parameter: ``parameter`` names it, and the
    compiler fills ``value`` with the parameter's value in each version of the rules.
    """

    column: str
    op: CompareOp
    value: Value
    parameter: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class OneOf:
    """``disposal is one of "community_order", "suspended_sentence_order"``."""

    column: str
    values: tuple[Value, ...]
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Between:
    """``age between 18 and 24`` (both ends included)."""

    column: str
    low: Value
    high: Value
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Flag:
    """``deported``: a yes/no column that is yes."""

    column: str
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class AllOf:
    """``a and b``."""

    left: Condition
    right: Condition
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class AnyOf:
    """``a or b``."""

    left: Condition
    right: Condition
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Not:
    """``not a``."""

    operand: Condition
    span: Span = field(default=NOWHERE, eq=False, repr=False)


Condition = FieldTest | OneOf | Between | Flag | AllOf | AnyOf | Not
ColumnTest = FieldTest | OneOf | Between | Flag


def column_tests(condition: Condition | None) -> Iterator[ColumnTest]:
    """Every test of a column in ``condition``, left to right (``and``, ``or`` and ``not``
    looked through)."""
    match condition:
        case None:
            return
        case FieldTest() | OneOf() | Between() | Flag():
            yield condition
        case AllOf(left=left, right=right) | AnyOf(left=left, right=right):
            yield from column_tests(left)
            yield from column_tests(right)
        case Not(operand=operand):
            yield from column_tests(operand)
        case _:
            assert_never(condition)


#: The kind of each index-event column of the outcome-record standard (docs/data.md), which a
#: condition's values must match; ``measure.schema`` holds the columns in full (a test keeps the
#: two the same). A column outside the standard takes the kind of its first use.
STANDARD_INDEX_EVENT_KINDS = {
    "offender_id": "text",
    "index_date": "date",
    "area": "text",
    "disposal": "text",
    "sex": "text",
    "age": "number",
    "sentence_months": "number",
    "predicted_rate": "number",
    "group": "category",
}


# ------------------------------------------------------------------------------------------------
# Cohorts


@frozen
class Exclusion:
    """``exclude when deported because "deported or removed to an IRC" (clause 3.2)``."""

    when: Condition
    reason: str
    clause: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Quarterly:
    """``quarterly from 2015-10-01 to 2020-03-31``: calendar-quarter cohorts ("2015-Q4")."""

    start: datetime.date
    end: datetime.date
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class ContractYears:
    """``contract years from 2011-10-01 to 2014-09-30``: one cohort per contract year ("year 1")."""

    start: datetime.date
    end: datetime.date
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class NamedPeriod:
    """``period "cohort 1" from 2010-09-09 to 2012-06-30``."""

    label: str
    start: datetime.date
    end: datetime.date
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Blocks:
    """``first 1000 eligible index events from 2010-09-09[ to 2014-06-30], at most 3 cohorts``.

    Cohort 1 is the first ``size`` eligible index events (after exclusions and de-duplication) on
    or after ``start``, cohort 2 the next ``size``, and so on ("cohort 1", "cohort 2", ...). With
    an ``end``, the series takes no index event after it: its last cohort may be smaller, and is
    assessed as it stands; without one, a last cohort smaller than ``size`` is still filling.
    """

    size: int
    start: datetime.date
    limit: int | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)
    end: datetime.date | None = None


PeriodRule = Quarterly | ContractYears | NamedPeriod | Blocks


@frozen
class Cancellation:
    """``cancel period "cohort 3" because "ended early by Transforming Rehabilitation"``."""

    label: str
    reason: str
    clause: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Cohort:
    """``cohort NAME (clause):`` who is measured, who is excluded and why, and the periods.

    ``eligible when disposal is one of "community_order", "custody_release"``
    ``exclude when allocated_to_nps because "allocated to the NPS" (clause 3.2)``
    ``quarterly from 2015-10-01 to 2020-03-31``
    ``grouped by area``
    """

    name: str
    eligible: Condition | None = None
    exclusions: tuple[Exclusion, ...] = ()
    eligible_clause: str | None = None
    periods: tuple[PeriodRule, ...] = ()
    cancellations: tuple[Cancellation, ...] = ()
    grouped_by: str | None = None
    control_group: Condition | None = None
    deduplicate: bool = True
    clause: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)
    #: ``illustrative "why"``: this part is assumed or reconstructed, not the signed text.
    illustrative: str | None = None


