"""Money in a statement: an amount in whole minor units of its currency, and an exact value
beside its display in the JSON form."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from attrs import frozen

from pbrrules.statement import wording

#: A statement's JSON form, as Python data.
JSON = dict[str, object]


@frozen
class Money:
    """An amount of money in whole minor units of its currency."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return wording.money(self.amount, self.currency)

    def to_json(self) -> JSON:
        """``{"amount": "-2000000.00", "currency": "GBP", "display": "-£2,000,000.00"}``."""
        return {"amount": f"{self.amount:f}", "currency": self.currency, "display": str(self)}


def exact(value: Fraction | None, display: str | None) -> JSON | None:
    """An exact value as ``{"fraction": "417/1000", "display": "41.7%"}``."""
    if value is None:
        return None
    return {"fraction": str(value), "display": display or str(value)}
