"""Build callbacks for terms, caps and collars, rounding, worked examples and variations.

Each declaration's body arrives as a list of ``Item`` s; the callback assembles the frozen rule,
reporting a required line that is missing (PBR006) or a line written twice (PBR007).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from lark import Token, v_args
from lark.tree import Meta

from pbrrules import rules
from pbrrules.compiler.build_cohorts import CohortBuild
from pbrrules.compiler.build_values import Item
from pbrrules.errors import NOWHERE
from pbrrules.syntax import limits, literals
from pbrrules.values import Duration, Quantity, Unit


@v_args(inline=True, meta=True)
class RulesBuild(CohortBuild):
    """Callbacks for what is paid, and the rest of a contract: the complete build."""

    # -- terms ----------------------------------------------------------------------------------

    def term(self, meta: Meta, name: Token, ref: str | None, *items: Item) -> rules.Term:
        owner = f"term '{name}'"
        span = self._span(meta)
        self._unexpected_items(
            items,
            {"when", "pay", "improvement_cap", "band", "share_band", "illustrative", "paid"},
            owner,
        )
        pay = self._single(items, "pay", "pay or deduct", owner)
        if pay is None:
            self._missing("payment", owner, span, "pay £100,000 per percentage point of COMPARISON")
            pay = (False, rules.Fixed(rules.Literal_(Quantity(Fraction(0), Unit.MONEY))))
        deduction, amount = pay
        amount = self._attach_bands(amount, items, owner)
        parties = next((item for item in items if item.kind == "paid"), None)
        self._single(items, "paid", "paid by or paid to", owner)
        payer, payee = parties.value if parties is not None else (None, None)
        return rules.Term(
            name=str(name),
            amount=amount,
            deduction=deduction,
            when=self._single(items, "when", "when or unless", owner),
            improvement_cap=self._single(items, "improvement_cap", "counting improvement up to",
                                         owner),
            clause=ref,
            span=span,
            illustrative=self._single(items, "illustrative", "illustrative", owner),
            payer=payer,
            payee=payee,
            parties_span=parties.span if parties is not None else NOWHERE,
        )

    def paid_by(self, meta: Meta, payer: Token, payee: Token | None) -> Item:
        to = literals.unquote(payee) if payee is not None else None
        return Item("paid", (literals.unquote(payer), to), self._span(meta))

    def paid_to(self, meta: Meta, payee: Token) -> Item:
        return Item("paid", (None, literals.unquote(payee)), self._span(meta))

    def _attach_bands(self, amount: rules.Amount, items: Sequence[Item], owner: str) -> Any:
        bands = tuple(item for item in items if item.kind == "band")
        shares = tuple(item for item in items if item.kind == "share_band")
        if isinstance(amount, rules.Banded):
            self._unexpected_items(shares, set(), owner)
            if not bands:
                self._missing("bands", owner, amount.span, "band from 5% below 10%: £100,000")
            return rules.Banded(amount.comparison, tuple(b.value for b in bands), amount.span,
                                amount.comparison_span)
        if isinstance(amount, rules.SavingsShare):
            self._unexpected_items(bands, set(), owner)
            if not shares:
                self._missing("shares", owner, amount.span, "share 50% of savings up to 5%")
            return rules.SavingsShare(
                amount.comparison, amount.valued_at, tuple(s.value for s in shares), amount.span,
                amount.comparison_span,
            )
        self._unexpected_items((*bands, *shares), set(), owner)
        return amount

    def when(self, meta: Meta, trigger: rules.Trigger) -> Item:
        return Item("when", trigger, self._span(meta))

    def unless(self, meta: Meta, trigger: rules.Trigger) -> Item:
        span = self._span(meta)
        return Item("when", rules.TriggerNot(trigger, span), span)

    def pay(self, meta: Meta, amount: rules.Amount) -> Item:
        return Item("pay", (False, amount), self._span(meta))

    def deduct(self, meta: Meta, amount: rules.Amount) -> Item:
        return Item("pay", (True, amount), self._span(meta))

    def improvement_cap(self, meta: Meta, cap: rules.ValueRef) -> Item:
        return Item("improvement_cap", cap, self._span(meta))

    def band(
        self,
        meta: Meta,
        lower: rules.ValueRef | None,
        upper: rules.ValueRef | None,
        amount: rules.Amount,
    ) -> Item:
        span = self._span(meta)
        return Item("band", rules.Band(amount, lower, upper, span), span)

    def share_band(
        self,
        meta: Meta,
        share: rules.ValueRef,
        lower: rules.ValueRef | None,
        upper: rules.ValueRef,
    ) -> Item:
        span = self._span(meta)
        return Item("share_band", rules.ShareBand(share, upper, lower, span), span)

    def trigger_any(self, meta: Meta, left: rules.Trigger, right: rules.Trigger) -> Any:
        return rules.TriggerAny(left, right, self._span(meta))

    def trigger_all(self, meta: Meta, left: rules.Trigger, right: rules.Trigger) -> Any:
        return rules.TriggerAll(left, right, self._span(meta))

    def trigger_negation(self, meta: Meta, operand: rules.Trigger) -> Any:
        return rules.TriggerNot(operand, self._span(meta))

    def target_met(self, meta: Meta, name: Token) -> rules.TargetMet:
        return rules.TargetMet(str(name), self._tspan(name))

    def term_pays(self, meta: Meta, name: Token) -> rules.TermPays:
        return rules.TermPays(str(name), self._tspan(name))

    def fixed(self, meta: Meta, amount: rules.ValueRef) -> rules.Fixed:
        return rules.Fixed(amount, self._span(meta))

    def per_unit(
        self, meta: Meta, price: rules.ValueRef, unit: rules.PerUnit, comparison: Token
    ) -> rules.PerUnitOf:
        return rules.PerUnitOf(
            price, unit, str(comparison), self._span(meta), self._tspan(comparison)
        )

    def per_person_counted(
        self, meta: Meta, price: rules.ValueRef, measure: Token
    ) -> rules.PerCounted:
        return rules.PerCounted(
            price, "person", str(measure), self._span(meta), self._tspan(measure)
        )

    def per_unit_counted(
        self, meta: Meta, price: rules.ValueRef, measure: Token
    ) -> rules.PerCounted:
        return rules.PerCounted(
            price, "unit", str(measure), self._span(meta), self._tspan(measure)
        )

    def per_offender(self, meta: Meta, price: rules.ValueRef) -> rules.PerOffender:
        return rules.PerOffender(price, self._span(meta))

    def share_of_value(self, meta: Meta, share: rules.ValueRef, of: Token) -> rules.ShareOfValue:
        return rules.ShareOfValue(share, str(of), self._span(meta))

    def banded(self, meta: Meta, comparison: Token) -> rules.Banded:
        return rules.Banded(str(comparison), (), self._span(meta), self._tspan(comparison))

    def savings(self, meta: Meta, comparison: Token, value: rules.ValueRef) -> rules.SavingsShare:
        return rules.SavingsShare(
            str(comparison), value, (), self._span(meta), self._tspan(comparison)
        )

    def unit_point(self, meta: Meta) -> str:
        return "point"

    def unit_percent(self, meta: Meta) -> str:
        return "percent"

    def unit_reoffender(self, meta: Meta) -> str:
        return "reoffender"

    def unit_reoffence(self, meta: Meta) -> str:
        return "reoffence"

    def unit_event(self, meta: Meta) -> str:
        return "event"

    def unit_unit(self, meta: Meta) -> str:
        return "unit"

    def unit_gained(self, meta: Meta) -> str:
        return "gained"

    # -- limits and rounding --------------------------------------------------------------------

    def limit(
        self,
        meta: Meta,
        kind: str,
        name: Token,
        ref: str | None,
        terms: tuple[Token, ...],
        party: rules.LimitParty | None,
        amount: rules.ValueRef,
        investor_return: rules.InvestorReturn | None,
        scope: rules.LimitScope,
        split: tuple[rules.SplitKey, ...] | None,
        illustrative: str | None,
    ) -> rules.Limit:
        return rules.Limit(
            kind,  # type: ignore[arg-type]  # the grammar admits only cap or collar
            str(name),
            tuple(str(term) for term in terms),
            amount,
            scope,
            ref,
            self._span(meta),
            tuple(self._tspan(term) for term in terms),
            illustrative,
            order=split or (),
            pro_rata_written=split == (),
            party=party,
            investor_return=investor_return,
        )

    def limit_paid_by(self, meta: Meta, name: Token) -> rules.LimitParty:
        return rules.LimitParty("payer", literals.unquote(name), self._span(meta))

    def limit_paid_to(self, meta: Meta, name: Token) -> rules.LimitParty:
        return rules.LimitParty("payee", literals.unquote(name), self._span(meta))

    def investor_return(
        self, meta: Meta, rate: rules.ValueRef, compounded: bool | None, term: Duration
    ) -> rules.InvestorReturn:
        return rules.InvestorReturn(rate, term, bool(compounded), self._span(meta))

    def compounded(self, meta: Meta) -> bool:
        return True

    def shared_pro_rata(self, meta: Meta) -> tuple[rules.SplitKey, ...]:
        return ()

    def shared_in_order(self, meta: Meta, *keys: rules.SplitKey) -> tuple[rules.SplitKey, ...]:
        return keys

    def split_area(self, meta: Meta, name: Token) -> rules.SplitKey:
        return rules.SplitKey("area", literals.unquote(str(name)), self._span(meta))

    def split_cohort(self, meta: Meta, name: Token) -> rules.SplitKey:
        return rules.SplitKey("cohort", str(name), self._span(meta))

    def kind_cap(self, meta: Meta) -> str:
        return "cap"

    def kind_collar(self, meta: Meta) -> str:
        return "collar"

    def all_terms(self, meta: Meta) -> tuple[Token, ...]:
        return ()

    def named_terms(self, meta: Meta, *names: Token) -> tuple[Token, ...]:
        return names

    def per_cohort_scope(self, meta: Meta) -> str:
        return "cohort"

    def per_year_scope(self, meta: Meta) -> str:
        return "contract year"

    def contract_scope(self, meta: Meta) -> str:
        return "contract"

    def rounding(self, meta: Meta, ref: str | None, *items: rules.RoundingRule) -> rules.Rounding:
        seen: dict[str, rules.RoundingRule] = {}
        for item in items:
            if item.subject in seen:
                self._problem(
                    "PBR007",
                    f"the rounding declaration rounds {item.subject} twice",
                    item.span,
                    help=f"keep one rule for {item.subject}; the first is at line "
                    f"{seen[item.subject].span.line}",
                )
            seen.setdefault(item.subject, item)
        return rules.Rounding(tuple(items), ref, self._span(meta))

    def rounding_item(
        self, meta: Meta, subject: str, places: Token, _places_word: Any, mode: str,
        before: bool | None,
    ) -> rules.RoundingRule:
        canonical = "half up" if mode == "half away from zero" else mode
        return rules.RoundingRule(
            subject,  # type: ignore[arg-type]  # the grammar admits only these subjects
            self._bounded(places, limits.MAX_PLACES, "decimal places"),
            canonical,  # type: ignore[arg-type]  # and only these modes
            bool(before),
            self._span(meta),
            mode_written=mode,
        )

    def before_comparison(self, meta: Meta) -> bool:
        return True

    def round_payments(self, meta: Meta) -> str:
        return "payments"

    def round_rates(self, meta: Meta) -> str:
        return "rates"

    def round_frequencies(self, meta: Meta) -> str:
        return "frequencies"

    def round_improvements(self, meta: Meta) -> str:
        return "improvements"

    def half_up(self, meta: Meta) -> str:
        return "half up"

    def half_away_from_zero(self, meta: Meta) -> str:
        return "half away from zero"

    def half_down(self, meta: Meta) -> str:
        return "half down"

    def half_even(self, meta: Meta) -> str:
        return "half even"

    def round_up(self, meta: Meta) -> str:
        return "up"

    def round_down(self, meta: Meta) -> str:
        return "down"

    def round_floor(self, meta: Meta) -> str:
        return "floor"

    def round_ceiling(self, meta: Meta) -> str:
        return "ceiling"

    # -- examples and variations ----------------------------------------------------------------

    def example(self, meta: Meta, name: Token, ref: str | None, *items: Item) -> rules.Example:
        as_of = next((item for item in items if item.kind == "as_of"), None)
        return rules.Example(
            name=literals.unquote(name),
            givens=tuple(item.value for item in items if item.kind == "given"),
            expectations=tuple(item.value for item in items if item.kind == "expect"),
            clause=ref,
            span=self._span(meta),
            as_of=as_of.value if as_of is not None else None,
            as_of_span=as_of.span if as_of is not None else NOWHERE,
        )

    def example_as_of(self, meta: Meta, date: Token) -> Item:
        return Item("as_of", self._date(date), self._span(meta))

    def given_figures(
        self, meta: Meta, control: bool | None, cohort: Token | None, period: Token,
        area: Token | None, measure: Token | None, provisional: bool | None,
        *figures: tuple[rules.FigureName, rules.ValueRef],
    ) -> Item:
        span = self._span(meta)
        given = rules.GivenFigures(
            literals.unquote(period),
            tuple(figures),
            literals.unquote(area) if area is not None else None,
            bool(control),
            span,
            cohort=str(cohort) if cohort is not None else None,
            provisional=bool(provisional),
            measure=str(measure) if measure is not None else None,
            measure_span=self._tspan(measure) if measure is not None else NOWHERE,
        )
        return Item("given", given, span)

    def given_for(self, meta: Meta, measure: Token) -> Token:
        return measure

    def control(self, meta: Meta) -> bool:
        return True

    def provisional(self, meta: Meta) -> bool:
        return True

    def figure(self, meta: Meta, amount: Fraction, name: str) -> tuple[str, rules.ValueRef]:
        return (name, rules.Literal_(literals.plain(amount), self._span(meta)))


    def fig_offenders(self, meta: Meta) -> str:
        return "offenders"

    def fig_reoffenders(self, meta: Meta) -> str:
        return "reoffenders"

    def fig_reoffences(self, meta: Meta) -> str:
        return "reoffences"

    def fig_events(self, meta: Meta) -> str:
        return "events"

    def fig_predicted(self, meta: Meta) -> str:
        return "predicted"

    def given_impact(
        self, meta: Meta, name: Token, period: Token, area: Token | None,
        value: rules.Literal_, ref: str | None,
    ) -> Item:
        span = self._span(meta)
        given = rules.GivenImpact(
            str(name), literals.unquote(period), value.value,
            literals.unquote(area) if area is not None else None, ref, span,
        )
        return Item("given", given, span)

    def given_value(self, meta: Meta, name: Token, value: rules.Literal_) -> Item:
        span = self._span(meta)
        return Item("given", rules.GivenValue(str(name), value.value, span), span)

    def _expect(
        self, meta: Meta, kind: rules.ExpectKind, subject: str | None,
        value: rules.ValueRef | None, period: tuple[str, str | None] | None,
    ) -> Item:
        span = self._span(meta)
        label, area = period if period is not None else (None, None)
        return Item("expect", rules.Expectation(kind, subject, value, label, area, span), span)

    def expect_pays(self, meta: Meta, name: Token, value: rules.ValueRef, period: Any) -> Item:
        return self._expect(meta, "pays", str(name), value, period)

    def expect_total(self, meta: Meta, value: rules.ValueRef, period: Any) -> Item:
        return self._expect(meta, "total", None, value, period)

    def expect_met(self, meta: Meta, name: Token, period: Any) -> Item:
        return self._expect(meta, "met", str(name), None, period)

    def expect_not_met(self, meta: Meta, name: Token, period: Any) -> Item:
        return self._expect(meta, "not met", str(name), None, period)

    def expect_not_assessable(self, meta: Meta, name: Token, period: Any) -> Item:
        return self._expect(meta, "not assessable", str(name), None, period)

    def expect_value(self, meta: Meta, name: Token, value: rules.Literal_, period: Any) -> Item:
        return self._expect(meta, "equals", str(name), value, period)

    def period_ref(self, meta: Meta, label: Token, area: Token | None) -> tuple[str, str | None]:
        return (literals.unquote(label), literals.unquote(area) if area is not None else None)

    def variation(
        self, meta: Meta, name: Token, date: Token, ref: str | None
    ) -> rules.VariationStart:
        return rules.VariationStart(
            literals.unquote(name), self._date(date), ref, self._span(meta)
        )
