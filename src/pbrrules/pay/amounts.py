"""Amounts: what a term is worth in one cohort once its trigger holds, exactly, before rounding.

Every amount is computed as a non-negative magnitude and then signed: a reward term pays it, a
deduction term (``deduct ...``) takes it back as a negative line. Amounts that depend on an
improvement use the reward's improvement (max(0, units)) or, for a deduction, the deterioration
(max(0, −units)), after any ``counting improvement up to`` cap; a banded deduction picks its band
on the deterioration too (bands are sizes of the increase it deducts for).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import assert_never

from attrs import frozen

from pbrrules.figures import MeasureCounts
from pbrrules.pay.measures import (
    ComparisonValue,
    counted_units,
    improvement_words,
    show_improvement,
)
from pbrrules.pay.params import NotAssessable, Resolver, describe
from pbrrules.rules import (
    Amount,
    Banded,
    Fixed,
    Literal_,
    Measure,
    Name,
    PerCounted,
    PerOffender,
    PerUnitOf,
    SavingsShare,
    ShareOfValue,
    Term,
)
from pbrrules.statement import wording

_PRICE_UNIT = {
    "point": "percentage point",
    "percent": "percent",
    "reoffender": "reoffender avoided",
    "reoffence": "reoffence avoided",
    "event": "reconviction event avoided",
    "unit": "unit avoided",
    "gained": "unit gained",
}


@frozen
class AmountValue:
    """A term's amount in one cohort (negative for a deduction) and how it was worked out."""

    value: Fraction
    derivation: str
    comparison: ComparisonValue | None = None


class AmountCalculator:
    """Works out the amounts of one term in one cohort."""

    def __init__(
        self,
        term: Term,
        resolver: Resolver,
        comparison: Callable[[str], ComparisonValue],
        offenders: int,
        currency: str,
        counted: Callable[[str], tuple[Measure, MeasureCounts]],
    ) -> None:
        #: The measure of a name and what it counted in the treatment group (rate cards).
        self.counted = counted
        self.term = term
        self.resolver = resolver
        self.comparison = comparison
        self.offenders = offenders
        self.currency = currency

    def amount(self) -> AmountValue:
        """The term's signed amount."""
        magnitude, derivation, used = self._magnitude(self.term.amount)
        if magnitude < 0:
            # a negative price or value (a worked example's given value: the checker refuses
            # one written in the contract, PBR214) would turn a payment into a deduction that
            # no cap covers, or the reverse
            raise NotAssessable(f"{derivation}: a negative amount; amounts are positive sums")
        value = -magnitude if self.term.deduction else magnitude
        return AmountValue(value, derivation, used)

    # -- helpers ---------------------------------------------------------------------------------

    def _money(self, value: Fraction) -> str:
        return wording.money_fraction(value, self.currency)

    def _improvement(self, name: str) -> tuple[ComparisonValue, Fraction, str]:
        """The comparison, its improvement after the term's cap, and a note on the cap."""
        value = self.comparison(name)
        improvement = value.improvement
        cap_ref = self.term.improvement_cap
        if cap_ref is None:
            return value, improvement, ""
        cap = self.resolver.quantity(cap_ref).value
        if cap < 0:
            raise NotAssessable(
                f"the improvement cap {describe(cap_ref)} is negative; a cap is a positive size"
            )
        bounded = max(-cap, min(cap, improvement))
        if bounded == improvement:
            return value, improvement, ""
        shown = show_improvement(value.comparison, cap)
        return value, bounded, f" (counting improvement up to {shown})"

    def _signed_units(self, units: Fraction) -> Fraction:
        return max(Fraction(0), -units if self.term.deduction else units)

    def _magnitude(self, amount: Amount) -> tuple[Fraction, str, ComparisonValue | None]:
        match amount:
            case Fixed(ref):
                value = self.resolver.money(ref)
                name = "" if isinstance(ref, Literal_) else f"{ref.name} "
                return value, f"{name}{self._money(value)}", None
            case PerOffender(price_ref):
                price = self.resolver.money(price_ref)
                n = self.offenders
                total = price * n
                return (
                    total,
                    f"{self._money(price)} × {wording.count(n)} offenders = {self._money(total)}",
                    None,
                )
            case ShareOfValue(share_ref, of):
                share = self.resolver.quantity(share_ref).value
                base = self.resolver.money(Name(of))
                total = share * base
                return (
                    total,
                    f"{wording.percent(share)} of {of} {self._money(base)} = {self._money(total)}",
                    None,
                )
            case PerUnitOf():
                return self._per_unit(amount)
            case Banded():
                return self._banded(amount)
            case SavingsShare():
                return self._savings(amount)
            case PerCounted():
                return self._per_counted(amount)
            case _:
                assert_never(amount)

    def _per_unit(self, amount: PerUnitOf) -> tuple[Fraction, str, ComparisonValue | None]:
        price = self.resolver.money(amount.price)
        value, improvement, note = self._improvement(amount.comparison)
        comparison = value.comparison
        match amount.unit:
            case "point" | "percent":
                wanted = "points" if amount.unit == "point" else "percent"
                if comparison.unit != wanted:
                    raise NotAssessable(
                        f"a price per {_PRICE_UNIT[amount.unit]} needs a comparison in "
                        f"{'percentage points' if wanted == 'points' else 'relative percent'}; "
                        f"{comparison.name} is in {comparison.unit}"
                    )
                units = improvement * 100
                what = show_improvement(comparison, abs(improvement))
            case "reoffender" | "reoffence" | "event" | "unit" | "gained":
                units, what = _avoided(amount, value, improvement)
            case _:
                assert_never(amount.unit)
        counted = self._signed_units(units)
        total = price * counted
        direction = "deterioration" if self.term.deduction else "improvement"
        if counted == 0:
            words = improvement_words(comparison, improvement, value.direction)
            why = f"{words}: no {direction} to pay for"
            return Fraction(0), f"{why}{note} = {self._money(Fraction(0))}", value
        return (
            total,
            f"{self._money(price)} per {_PRICE_UNIT[amount.unit]} × {what}{note} = "
            f"{self._money(total)}",
            value,
        )

    def _per_counted(self, amount: PerCounted) -> tuple[Fraction, str, ComparisonValue | None]:
        """A rate card: the price times the treatment group's count of the measure, the people
        with at least one (R) or everything counted (O); no comparator, no improvement."""
        price = self.resolver.money(amount.price)
        measure, counts = self.counted(amount.measure)
        if amount.what == "person":
            number, noun = counts.reoffenders, f"people counted in {measure.name}"
        else:
            number, noun = counts.reoffences, f"{counted_units(measure)} counted in {measure.name}"
        total = price * number
        return (
            total,
            f"{self._money(price)} per {amount.what} × {wording.count(number)} {noun} = "
            f"{self._money(total)}",
            None,
        )

    def _banded(self, amount: Banded) -> tuple[Fraction, str, ComparisonValue | None]:
        """A reward's band is picked on the improvement; a deduction's on the deterioration
        (the size of the increase), like every other deduction: with none, nothing is taken."""
        value, improvement, note = self._improvement(amount.comparison)
        comparison = value.comparison
        shown = improvement_words(comparison, improvement, value.direction)
        banded_on = improvement
        if self.term.deduction:
            banded_on = -improvement
            if banded_on <= 0:
                why = f"{shown}{note}: no deterioration to deduct for"
                return Fraction(0), f"{why} = {self._money(Fraction(0))}", value
        for band in amount.bands:
            lower = self.resolver.quantity(band.lower).value if band.lower is not None else None
            upper = self.resolver.quantity(band.upper).value if band.upper is not None else None
            if (lower is None or lower <= banded_on) and (upper is None or banded_on < upper):
                magnitude, derivation, _ = self._magnitude(band.amount)
                where = " ".join(
                    part
                    for part in (
                        f"from {show_improvement(comparison, lower)}" if lower is not None else "",
                        f"below {show_improvement(comparison, upper)}" if upper is not None else "",
                    )
                    if part
                )
                return magnitude, f"{shown}{note} falls in the band {where}: {derivation}", value
        return Fraction(0), f"{shown}{note} falls in no band: {self._money(Fraction(0))}", value

    def _savings(self, amount: SavingsShare) -> tuple[Fraction, str, ComparisonValue | None]:
        value, improvement, note = self._improvement(amount.comparison)
        base = self.resolver.money(amount.valued_at)
        r = self._signed_units(improvement)
        shown = show_improvement(value.comparison, r)
        total = Fraction(0)
        parts = []
        for share_band in amount.shares:
            share = self.resolver.quantity(share_band.share).value
            upper = self.resolver.quantity(share_band.upper).value
            lower = (
                self.resolver.quantity(share_band.lower).value
                if share_band.lower is not None
                else Fraction(0)
            )
            covered = max(Fraction(0), min(upper, r) - max(lower, Fraction(0)))
            paid = share * base * covered
            total += paid
            parts.append(
                f"{wording.percent(share)} × {wording.percent(covered)} of the savings between "
                f"{wording.percent(lower)} and {wording.percent(upper)} = {self._money(paid)}"
            )
        valued = describe(amount.valued_at)
        head = f"savings share on {shown}{note}, valued at {valued} {self._money(base)}"
        return total, f"{head}: {'; '.join(parts)}; together {self._money(total)}", value


def _difference(comparator: str, measured: str, value: ComparisonValue) -> str:
    """``comparator − measure`` (``measure − comparator`` for a higher-is-better measure): the
    improvement's sum as the statement shows it."""
    if value.direction == "higher":
        return f"{measured} − {comparator}"
    return f"{comparator} − {measured}"


def _avoided(
    amount: PerUnitOf, value: ComparisonValue, improvement: Fraction
) -> tuple[Fraction, str]:
    """Reoffenders, reoffences or events avoided: the improvement times what the measure
    divides by, with the working; only a measured comparison has them."""
    treated, comparator = value.measure, value.comparator
    if treated is None or comparator is None:
        raise NotAssessable(
            f"{_PRICE_UNIT[amount.unit]}s need a measured comparison; "
            f"{value.comparison.name} is the evaluator's estimate"
        )
    measure = treated.measure
    percent = value.comparison.unit == "percent"
    difference = improvement * comparator if percent else improvement
    if amount.unit == "reoffender":
        if measure.kind != "binary":
            raise NotAssessable(
                f"reoffenders avoided need a binary rate; {measure.name} is a frequency"
            )
        units = difference * treated.offenders
        rates = _difference(wording.percent(comparator), wording.percent(treated.value), value)
        return units, (
            f"({rates}) × {wording.count(treated.offenders)} offenders = "
            f"{wording.number(abs(units))} reoffenders"
        )
    match measure.kind:
        case "per_reoffender":
            units = difference * treated.reoffenders
            basis = f"{wording.count(treated.reoffenders)} reoffenders"
        case "per_offenders":
            units = difference * treated.offenders / measure.per
            basis = f"{wording.count(treated.offenders)} offenders / {wording.count(measure.per)}"
        case "binary":
            raise NotAssessable(
                f"{_PRICE_UNIT[amount.unit]}s need a frequency measure; "
                f"{measure.name} is a binary rate"
            )
        case _:
            assert_never(measure.kind)
    noun = {"event": "reconviction events", "unit": counted_units(measure),
            "gained": counted_units(measure)}.get(amount.unit, "reoffences")
    shown = _difference(wording.number(comparator), wording.number(treated.value), value)
    return units, f"({shown}) × {basis} = {wording.number(abs(units))} {noun}"
