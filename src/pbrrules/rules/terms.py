"""What is paid: triggers, amounts, terms, caps and collars, rounding."""

from __future__ import annotations

from typing import Literal

from attrs import field, frozen

from pbrrules.errors import NOWHERE, Span
from pbrrules.rules.common import (
    ValueRef,
)
from pbrrules.values import Duration

# ------------------------------------------------------------------------------------------------
# Triggers: when a term pays


@frozen
class TargetMet:
    """``when five_points``: the named target is met."""

    target: str
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class TermPays:
    """``when term binary_payment pays``: a hurdle on another term's trigger."""

    term: str
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class TriggerAll:
    """``a and b``."""

    left: Trigger
    right: Trigger
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class TriggerAny:
    """``a or b`` (e.g. Peterborough's per-cohort or pooled trigger)."""

    left: Trigger
    right: Trigger
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class TriggerNot:
    """``not a``; ``unless a`` is ``when not a``."""

    operand: Trigger
    span: Span = field(default=NOWHERE, eq=False, repr=False)


Trigger = TargetMet | TermPays | TriggerAll | TriggerAny | TriggerNot


# ------------------------------------------------------------------------------------------------
# Amounts

#: ``unit`` avoided: one of whatever the measure counts (custody days, arrests; its unit name);
#: ``gained``: one more of what a measure where higher is better counts (quarters employed).
PerUnit = Literal["point", "percent", "reoffender", "reoffence", "event", "unit", "gained"]
#: Each price unit as the contract writes it after ``per`` (``pay £500 per unit avoided of C``).
PER_UNIT_WORDS: dict[PerUnit, str] = {
    "point": "percentage point", "percent": "percent", "reoffender": "reoffender avoided",
    "reoffence": "reoffence avoided", "event": "event avoided", "unit": "unit avoided",
    "gained": "unit gained",
}  # fmt: skip


@frozen
class Fixed:
    """``pay £2,000,000``."""

    amount: ValueRef
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class PerUnitOf:
    """``pay £100,000 per percentage point of binary_change`` (or ``per reoffender avoided of``,
    ``per reoffence avoided of``, ``per event avoided of``, ``per percent of``)."""

    price: ValueRef
    unit: PerUnit
    comparison: str
    span: Span = field(default=NOWHERE, eq=False, repr=False)
    comparison_span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class PerOffender:
    """``pay $331 per offender``: a price times the cohort's size."""

    price: ValueRef
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class ShareOfValue:
    """``deduct 10% of core_contract_value``."""

    share: ValueRef
    of: str
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Band:
    """``band from 8.5% below 10%: $4,800,000``; lower bound included, upper bound excluded."""

    amount: Amount
    lower: ValueRef | None = None
    upper: ValueRef | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Banded:
    """``pay by band of rikers_change`` followed by ``band`` lines."""

    comparison: str
    bands: tuple[Band, ...] = ()
    span: Span = field(default=NOWHERE, eq=False, repr=False)
    comparison_span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class ShareBand:
    """``share 50% of savings up to 5%``; ``share 100% of savings from 5% up to 20%``."""

    share: ValueRef
    upper: ValueRef
    lower: ValueRef | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class SavingsShare:
    """``pay share of savings in demand_change valued at baseline_cost`` + ``share`` lines.

    Savings at an improvement r are ``r × value``; each share line pays its share of the savings
    that fall in its improvement range (LJR: 50% up to 5%, all savings from 5% to 20%).
    """

    comparison: str
    valued_at: ValueRef
    shares: tuple[ShareBand, ...] = ()
    span: Span = field(default=NOWHERE, eq=False, repr=False)
    comparison_span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class PerCounted:
    """``pay $800 per person counted in job_ready`` (a price times the people of the cohort
    with at least one of what the measure counts) or ``pay $450 per unit counted in
    quarters_employed`` (a price times everything it counts): a rate card, paid on the treatment
    group's own count, with no comparator or target."""

    price: ValueRef
    what: Literal["person", "unit"]
    measure: str
    span: Span = field(default=NOWHERE, eq=False, repr=False)
    measure_span: Span = field(default=NOWHERE, eq=False, repr=False)


Amount = Fixed | PerUnitOf | PerOffender | ShareOfValue | Banded | SavingsShare | PerCounted


@frozen
class Term:
    """``term NAME (clause):`` what is paid or deducted, and when.

    ``when binary_target and frequency_target``; ``pay £50,000 per percentage point of
    binary_change``; ``deduct 10% of core_contract_value``; ``counting improvement up to 20%``;
    ``paid by "Salt Lake County" to "REACH Success Fund"`` (by default the header's payer and
    provider: ``payer``/``payee`` are None).
    """

    name: str
    amount: Amount
    deduction: bool = False
    when: Trigger | None = None
    improvement_cap: ValueRef | None = None
    clause: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)
    #: ``illustrative "why"``: this part is assumed or reconstructed, not the signed text.
    illustrative: str | None = None
    #: ``paid by "..."``: who pays this term, when not the header's ``payer``.
    payer: str | None = None
    #: ``paid ... to "..."``: who is paid, when not the header's ``provider``.
    payee: str | None = None
    #: Where the ``paid`` line is, for diagnostics.
    parties_span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class LimitParty:
    """``all terms paid by "Salt Lake County"`` / ``paid to "Fund"``: a limit on the lines of
    its terms that this party pays (``by``) or receives (``to``)."""

    role: Literal["payer", "payee"]
    name: str
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class InvestorReturn:
    """``at most $13,500,000 plus 12.5% a year for 4 years``: the limit is the principal plus
    a yearly return over a stated term, simple (principal × (1 + rate × years)) or
    ``compounded`` (principal × (1 + rate) ^ years, whole years)."""

    rate: ValueRef
    term: Duration
    compounded: bool = False
    span: Span = field(default=NOWHERE, eq=False, repr=False)


# ------------------------------------------------------------------------------------------------
# Limits and rounding

LimitScope = Literal["cohort", "contract year", "contract"]


@frozen
class SplitKey:
    """One entry of ``shared in order "North", adults``: an area (written in quotes) or a cohort
    rule (a name)."""

    kind: Literal["area", "cohort"]
    name: str
    span: Span = field(default=NOWHERE, eq=False, repr=False)


@frozen
class Limit:
    """``cap pbr_pot (clause 8): binary_payment, frequency_payment at most pbr_pot per contract
    year``; a ``collar`` bounds deductions the same way. ``terms`` is empty for ``all terms``.

    Lines of one term in units of the same period share what remains ``shared pro rata`` (the
    default) or ``shared in order "North", "South"``.
    """

    kind: Literal["cap", "collar"]
    name: str
    terms: tuple[str, ...]
    amount: ValueRef
    scope: LimitScope
    clause: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)
    term_spans: tuple[Span, ...] = field(default=(), eq=False, repr=False)
    #: ``illustrative "why"``: this part is assumed or reconstructed, not the signed text.
    illustrative: str | None = None
    #: ``shared in order "North", adults``: how lines of units of one period share what remains;
    #: empty for ``shared pro rata`` (the default).
    order: tuple[SplitKey, ...] = ()
    #: Whether ``shared pro rata`` was written (it is the default), for fmt.
    pro_rata_written: bool = field(default=False, eq=False, repr=False)
    #: ``paid by "X"`` / ``paid to "Y"``: only the lines this party pays or receives count.
    party: LimitParty | None = None
    #: ``plus 12.5% a year for 4 years``: a cap on investors' return.
    investor_return: InvestorReturn | None = None


RoundingMode = Literal["half up", "half down", "half even", "up", "down", "floor", "ceiling"]
RoundSubject = Literal["payments", "rates", "frequencies", "improvements"]


@frozen
class RoundingRule:
    """``payments to 2 decimal places, half up`` / ``rates to 1 decimal place, half even before
    comparison``. Rates and improvements count places of the percentage (41.7% is 1 place)."""

    subject: RoundSubject
    places: int
    mode: RoundingMode
    before_comparison: bool = False
    span: Span = field(default=NOWHERE, eq=False, repr=False)
    #: How the mode was written ("half away from zero" is "half up"), for fmt.
    mode_written: str | None = field(default=None, eq=False, repr=False)


@frozen
class Rounding:
    """``rounding (clause 9):`` followed by rounding rules."""

    rules: tuple[RoundingRule, ...]
    clause: str | None = None
    span: Span = field(default=NOWHERE, eq=False, repr=False)

    def rule_for(self, subject: RoundSubject) -> RoundingRule | None:
        """The declared rule for ``subject``, if any."""
        return next((rule for rule in self.rules if rule.subject == subject), None)


