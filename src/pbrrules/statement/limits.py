"""Caps and collars in a statement: one applied to a line (``LimitApplied``), what is left
under each in each scope (``LimitStanding``), and the totals per party (``PartyTotal``)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Protocol

from attrs import frozen

from pbrrules.statement import wording
from pbrrules.statement.money import JSON, Money


@frozen
class LimitApplied:
    """One cap or collar trimming one line: "capped from £X to £Y by cap C (clause …)"."""

    limit: str
    kind: str
    scope: str
    clause: str | None
    before: Decimal
    after: Decimal
    currency: str
    #: How what remained was shared with lines of other units of the same period, if it was
    #: ("its share pro rata of the £10,000,000.00 remaining for 3 lines asking £12,000,000.00").
    share: str = ""

    def describe(self) -> str:
        """The application in the statement's words."""
        verb = "capped" if self.kind == "cap" else "collared"
        before = wording.money(self.before, self.currency)
        after = wording.money(self.after, self.currency)
        clause = f" ({self.clause})" if self.clause else ""
        share = f": {self.share}" if self.share else ""
        return f"{verb} from {before} to {after} by {self.kind} {self.limit}{clause}{share}"



@frozen
class LimitStanding:
    """A cap or collar in one of its scopes (a contract year, the contract, a cohort unit) after
    every line of the statement met it: what it allows (and, for a bound worked out from the
    contract's figures such as a cap on investors' return, how), what the lines drew on it, and
    what is left under it; for a limit on one party's lines, which party."""

    limit: str
    kind: str
    scope: str
    #: The scope in words: ``contract year 1``, ``the contract``, ``2016-Q1 in Essex``.
    where: str
    clause: str | None
    bound: Decimal
    used: Decimal
    currency: str
    #: How the bound was worked out, where it is not a figure of the contract as written
    #: (``$13,500,000.00 × (1 + 12.5% a year × 4 years, simple) = $20,250,000.00``).
    derivation: str | None = None
    party_role: str | None = None
    party: str | None = None

    @property
    def left(self) -> Decimal:
        """What the lines may still draw in this scope (never below zero)."""
        left = self.bound - self.used
        return left if left > 0 else abs(left * 0)  # zero at the currency's places

    def describe(self) -> str:
        """``cap pot (contract year 1): £10,000,000.00 allowed; £2,500,000.00 paid under it;
        £7,500,000.00 left``; a cap on one party's lines says whose, a worked-out bound how."""
        verb = "paid" if self.kind == "cap" else "deducted"
        money = functools.partial(wording.money, currency=self.currency)
        whose = ""
        if self.party is not None:
            whose = f" on what {self.party} {'pays' if self.party_role == 'payer' else 'is paid'}"
        allowed = self.derivation or money(self.bound)
        return (
            f"{self.kind} {self.limit}{whose} ({self.where}): {allowed} allowed; "
            f"{money(self.used)} {verb} under it; {money(self.left)} left"
        )

    def to_json(self) -> JSON:
        """JSON form."""
        return {
            "limit": self.limit,
            "kind": self.kind,
            "scope": self.scope,
            "where": self.where,
            "clause": self.clause,
            "party_role": self.party_role,
            "party": self.party,
            "allowed": Money(self.bound, self.currency).to_json(),
            "derivation": self.derivation,
            "used": Money(self.used, self.currency).to_json(),
            "left": Money(self.left, self.currency).to_json(),
            "description": self.describe(),
        }


@frozen
class PartyTotal:
    """What one party pays (or is paid) in total over the statement."""

    party: str | None
    total: Money

    def to_json(self) -> JSON:
        """JSON form."""
        return {"party": self.party, "total": self.total.to_json()}


def limit_json(applied: LimitApplied) -> JSON:
    """A cap or collar applied to a line, in JSON."""
    return {
        "limit": applied.limit,
        "kind": applied.kind,
        "scope": applied.scope,
        "clause": applied.clause,
        "from": Money(applied.before, applied.currency).to_json(),
        "to": Money(applied.after, applied.currency).to_json(),
        "description": applied.describe(),
    }


class PartyLine(Protocol):
    """What the totals per party read of a payment line (``model.Line``)."""

    @property
    def payer(self) -> str | None: ...
    @property
    def payee(self) -> str | None: ...
    @property
    def amount(self) -> Money: ...


def party_totals(
    lines: Iterable[PartyLine], currency: str
) -> tuple[tuple[PartyTotal, ...], tuple[PartyTotal, ...]]:
    """What each payer pays and each payee is paid over ``lines``, in the order they first
    appear (empty when the lines carry no parties: the contract names none)."""
    lines = list(lines)
    if not any(line.payer is not None or line.payee is not None for line in lines):
        return (), ()

    def totals(party: Callable[[PartyLine], str | None]) -> tuple[PartyTotal, ...]:
        sums: dict[str | None, Decimal] = {}
        for line in lines:
            sums[party(line)] = sums.get(party(line), Decimal(0)) + line.amount.amount
        return tuple(PartyTotal(name, Money(total, currency)) for name, total in sums.items())

    return totals(lambda line: line.payer), totals(lambda line: line.payee)
