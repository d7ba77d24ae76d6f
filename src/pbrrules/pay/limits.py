"""Caps and collars, applied cumulatively in cohort order after each line is rounded.

A cap bounds what the terms it covers pay in its scope (one cohort, one contract year, or the
whole contract); a collar bounds, the same way, how much its terms may deduct. Whether a line
meets caps or collars is the term's (``pay`` or ``deduct``), never its sign. Periods are met in
cohort order, and an earlier line is never restated. The lines of one term in the units of one
period (three areas' 2015-Q1, an adult and a youth cohort's year 1) are met together: when they
ask more than remains, what remains is shared as the limit says, pro rata to what each asks
(the default) or in a stated order of areas and cohort rules. Trimming rounds toward zero to
the places payments are rounded to, so no line and no running total ever passes a limit.

A limit may cover only the lines one party pays or receives (``all terms paid by "Salt Lake
County"``; a term's parties default to the header's payer and provider), and a cap on investors'
return is the principal plus a yearly return over a stated term (``at most $13,500,000 plus
12.5% a year for 4 years``): simple, P × (1 + r × years), or ``compounded``, P × (1 + r) ^ years
in whole years. What such a limit has let through, and what is left under it, is reported
(``LimitLedger.standing``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import assert_never

from attrs import frozen

from pbrrules.pay.params import NotAssessable, Resolver
from pbrrules.pay.rounding import minor_digits, payment_places, to_decimal
from pbrrules.rules import Contract, InvestorReturn, Limit, Term
from pbrrules.statement import LimitApplied, LimitStanding, wording

ScopeKey = tuple[object, ...]


def covers(limit: Limit, term: str) -> bool:
    """Whether ``limit`` applies to ``term`` (an empty list of terms means all terms)."""
    return not limit.terms or term in limit.terms


def parties_named(contract: Contract) -> bool:
    """Whether any term or limit of any version names who pays or who is paid: only then does
    the statement carry each line's parties and totals per party (the header's payer and
    provider say it for a contract that names none)."""
    return any(
        term.payer is not None or term.payee is not None
        for version in contract.versions
        for term in version.rules.terms
    ) or any(limit.party is not None for version in contract.versions
             for limit in version.rules.limits)


def parties(term: Term, payer: str | None, provider: str | None) -> tuple[str | None, str | None]:
    """Who pays ``term`` and who is paid: its ``paid by ... to ...`` line, or by default the
    header's payer and provider."""
    return (term.payer or payer, term.payee or provider)


def return_factor(ret: InvestorReturn, resolver: Resolver) -> tuple[Fraction, str]:
    """What a cap on investors' return multiplies its principal by, and how: simple,
    1 + r × years (years = months / 12, or days / 365), or compounded, (1 + r) ^ years, which
    needs whole years to stay exact."""
    rate = resolver.quantity(ret.rate).value
    if rate < 0:
        raise NotAssessable("a return on investment capped at a negative rate")
    match ret.term.unit:
        case "years":
            years = Fraction(ret.term.amount)
        case "months":
            years = Fraction(ret.term.amount, 12)
        case "days":
            years = Fraction(ret.term.amount, 365)
        case _:
            assert_never(ret.term.unit)
    shown = f"{wording.percent(rate)} a year"
    if not ret.compounded:
        return 1 + rate * years, f"(1 + {shown} × {wording.number(years)} years, simple)"
    if years.denominator != 1:
        raise NotAssessable(
            f"a return compounded over {wording.number(years)} years: compounding is "
            "defined over whole years"
        )
    return (1 + rate) ** int(years), f"(1 + {shown}) ^ {int(years)} years, compounded"


def limit_bound(limit: Limit, resolver: Resolver) -> Fraction:
    """The most ``limit`` lets through in one scope: its amount, or for a cap on investors'
    return its principal times the return factor."""
    amount = resolver.money(limit.amount)
    if limit.investor_return is None:
        return amount
    factor, _ = return_factor(limit.investor_return, resolver)
    return amount * factor


@frozen
class Asked:
    """A rounded line waiting for its limits, with what is needed to find them."""

    term: Term
    amount: Decimal
    resolver: Resolver
    year: int | None


@frozen
class Limited:
    """What a line pays once its limits have been met, and every limit that trimmed it."""

    amount: Decimal
    applied: tuple[LimitApplied, ...]


class _Open:
    """One line in the middle of being limited: its magnitude so far and the trims so far."""

    def __init__(self, asked: Asked, step: Fraction) -> None:
        self.asked = asked
        self.step = step
        self.magnitude = Fraction(abs(asked.amount))
        self.applied: list[LimitApplied] = []
        self.bounds: dict[str, tuple[Limit, tuple[str, ScopeKey], Fraction]] = {}


class LimitLedger:
    """What each limit has already let through, per scope, as periods are met in cohort order."""

    def __init__(
        self, currency: str, payer: str | None = None, provider: str | None = None
    ) -> None:
        self.currency = currency
        self.payer = payer
        self.provider = provider
        self._used: dict[tuple[str, ScopeKey], Fraction] = {}
        #: Each limit in each scope a line has met: the limit, the scope in words, its bound,
        #: and how the bound was worked out where it is not a figure as written.
        self._met: dict[tuple[str, ScopeKey], tuple[Limit, str, Fraction, str | None]] = {}

    def apply_period(self, lines: Sequence[Asked]) -> list[Limited | NotAssessable]:
        """Trim the lines of one period (in cohort order, then term order) and record what
        passed. A line whose limit has no value is NotAssessable, and records nothing."""
        results: dict[int, Limited | NotAssessable] = {}
        names = list(dict.fromkeys(line.term.name for line in lines))
        for name in names:
            indices = [i for i, line in enumerate(lines) if line.term.name == name]
            for i, outcome in zip(indices, self._term([lines[i] for i in indices]), strict=True):
                results[i] = outcome
        return [results[i] for i in range(len(lines))]

    def _term(self, lines: list[Asked]) -> list[Limited | NotAssessable]:
        """The lines of one term in the units of one period, met together."""
        opened: list[_Open | NotAssessable] = []
        for line in lines:
            try:
                opened.append(self._open(line))
            except NotAssessable as problem:
                opened.append(problem)
        live = [o for o in opened if isinstance(o, _Open)]
        for name in dict.fromkeys(n for o in live for n in o.bounds):
            covered = [o for o in live if name in o.bounds]
            for key in dict.fromkeys(o.bounds[name][1] for o in covered):
                self._trim([o for o in covered if o.bounds[name][1] == key], name, key)
        for o in live:
            for _, key, _ in o.bounds.values():
                self._used[key] = self._used.get(key, Fraction(0)) + o.magnitude
        return [
            o if isinstance(o, NotAssessable) else Limited(self._signed(o), tuple(o.applied))
            for o in opened
        ]

    def _open(self, line: Asked) -> _Open:
        rules = line.resolver.rules
        rounding = rules.rounding.rule_for("payments") if rules.rounding else None
        step = Fraction(1, 10 ** payment_places(self.currency, rounding))
        opened = _Open(line, step)
        if line.amount == 0:
            return opened
        kind = "collar" if line.term.deduction else "cap"
        for limit in rules.limits:
            if limit.kind == kind and covers(limit, line.term.name) and self._party(limit, line):
                key = self._key(limit, line.resolver, line.year)
                bound = limit_bound(limit, line.resolver)
                opened.bounds[limit.name] = (limit, key, bound)
                if key not in self._met:
                    self._met[key] = (limit, _where(limit, line), bound,
                                      _bound_words(limit, line.resolver, self.currency))
                else:
                    _, where, known, words = self._met[key]
                    self._met[key] = (limit, where, min(known, bound), words)
        return opened

    def _party(self, limit: Limit, line: Asked) -> bool:
        """Whether ``line`` is one the limit's party pays (or receives); True for a limit on
        every party."""
        if limit.party is None:
            return True
        payer, payee = parties(line.term, self.payer, self.provider)
        return (payer if limit.party.role == "payer" else payee) == limit.party.name

    def standing(self) -> tuple[LimitStanding, ...]:
        """Every limit in every scope a line has met, in the order first met: its bound (and how
        it was worked out, for a cap on investors' return), what the lines drew on it, what is
        left under it, and the party whose lines it covers."""
        digits = minor_digits(self.currency)
        minor = Fraction(1, 10**digits)
        return tuple(
            LimitStanding(
                limit.name, limit.kind, limit.scope, where, limit.clause,
                # a bound between two minor units: what can be drawn is the one below it
                to_decimal(_down(bound, minor), digits),
                to_decimal(_down(self._used.get(key, Fraction(0)), minor), digits),
                self.currency,
                words,
                limit.party.role if limit.party else None,
                limit.party.name if limit.party else None,
            )
            for key, (limit, where, bound, words) in self._met.items()
        )

    def _trim(self, lines: list[_Open], name: str, key: tuple[str, ScopeKey]) -> None:
        """Trim ``lines`` (which share the limit ``name`` in scope ``key``) to what remains."""
        limit = lines[0].bounds[name][0]
        bound = min(o.bounds[name][2] for o in lines)
        remaining = max(Fraction(0), bound - self._used.get(key, Fraction(0)))
        asked = sum((o.magnitude for o in lines), Fraction(0))
        if asked <= remaining:
            return
        step = max(o.step for o in lines)
        if len(lines) == 1:
            shares, words = [_down(remaining, step)], ""
        elif limit.order:
            shares, words = _in_order(limit, lines, remaining, step), "in the stated order"
        else:
            shares, words = _pro_rata(lines, remaining, step), "pro rata"
        together = self._money(asked)
        note = (
            f"the {self._money(remaining)} remaining shared {words} among {len(lines)} lines of "
            f"{lines[0].asked.resolver.unit.period} asking {together}"
            if words
            else ""
        )
        for o, share in zip(lines, shares, strict=True):
            if share < o.magnitude:
                o.applied.append(
                    LimitApplied(
                        limit.name,
                        limit.kind,
                        limit.scope,
                        limit.clause,
                        self._signed_value(o.magnitude, o),
                        self._signed_value(share, o),
                        self.currency,
                        note,
                    )
                )
                o.magnitude = share

    def _money(self, value: Fraction) -> str:
        return wording.money_fraction(value, self.currency)

    def _signed(self, line: _Open) -> Decimal:
        return self._signed_value(line.magnitude, line)

    def _signed_value(self, magnitude: Fraction, line: _Open) -> Decimal:
        value = to_decimal(magnitude, minor_digits(self.currency))
        return -value if line.asked.term.deduction and value else value

    def _key(self, limit: Limit, resolver: Resolver, year: int | None) -> tuple[str, ScopeKey]:
        match limit.scope:
            case "cohort":
                return limit.name, ("cohort", *resolver.unit.key)
            case "contract year":
                if year is None:
                    raise NotAssessable(
                        f"{limit.kind} {limit.name} applies per contract year but the cohort "
                        f"starting {resolver.unit.start.isoformat()} is in no contract year"
                    )
                return limit.name, ("year", year)
            case "contract":
                return limit.name, ("contract",)
            case _:
                assert_never(limit.scope)


def _where(limit: Limit, line: Asked) -> str:
    """A limit's scope in words: ``contract year 1``, ``the contract``, ``2016-Q1 in Essex``."""
    match limit.scope:
        case "contract year":
            return f"contract year {line.year}"
        case "contract":
            return "the contract"
        case "cohort":
            unit = line.resolver.unit
            return f"{unit.period} in {unit.area}" if unit.area else unit.period
        case _:
            assert_never(limit.scope)


def _down(value: Fraction, step: Fraction) -> Fraction:
    """``value`` rounded toward zero to a whole number of ``step``."""
    return Fraction(int(value / step)) * step


def _pro_rata(lines: list[_Open], remaining: Fraction, step: Fraction) -> list[Fraction]:
    """Each line's share of ``remaining`` in proportion to what it asks, in whole ``step``s: each
    share rounded down, and the steps left over given one each to the largest remainders (on a
    tie, to the line first in cohort order). No share exceeds what its line asks."""
    asked = sum((o.magnitude for o in lines), Fraction(0))
    exact = [o.magnitude * remaining / asked for o in lines]
    shares = [_down(value, step) for value in exact]
    left = int((_down(remaining, step) - sum(shares, Fraction(0))) / step)
    by_remainder = sorted(range(len(lines)), key=lambda i: -(exact[i] - shares[i]))
    for i in by_remainder[:left]:
        shares[i] += step
    return shares


def _in_order(
    limit: Limit, lines: list[_Open], remaining: Fraction, step: Fraction
) -> list[Fraction]:
    """What remains handed out in the order the limit states (areas and cohort rules it names,
    then the units it does not name, in cohort order), each line in full until it runs out."""

    def rank(line: _Open) -> int:
        unit = line.asked.resolver.unit
        for position, key in enumerate(limit.order):
            if (key.kind == "area" and key.name == unit.area) or (
                key.kind == "cohort" and key.name == unit.cohort
            ):
                return position
        return len(limit.order)

    shares = [Fraction(0)] * len(lines)
    left = remaining
    for i in sorted(range(len(lines)), key=lambda i: rank(lines[i])):
        shares[i] = min(lines[i].magnitude, _down(left, step))
        left -= shares[i]
    return shares


def _bound_words(limit: Limit, resolver: Resolver, currency: str) -> str | None:
    """How a limit's bound was worked out, in the statement's words, where it is not a figure
    of the contract as written (a cap on investors' return); None otherwise."""
    if limit.investor_return is None:
        return None
    amount = resolver.money(limit.amount)
    money = wording.money_fraction(amount, currency)
    factor, how = return_factor(limit.investor_return, resolver)
    total = wording.money_fraction(amount * factor, currency)
    return f"principal {money} × {how} = {total}"
