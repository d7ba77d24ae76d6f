"""A statement against the one paid before it: read the previous statement's JSON, check it is
of the same contract, and state per line what was stated before, now, and the difference, with
what is due now (a top-up) or owed back (docs/statement.md, "Reconciliation").
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

import attrs
from attrs import frozen

from pbrrules.errors import EvaluationError
from pbrrules.statement.model import (
    READABLE_SCHEMAS,
    Line,
    LineChange,
    Reconciliation,
    Statement,
)
from pbrrules.statement.money import Money

#: A payment line's place in a statement: (cohort, period, area, term).
LineKey = tuple[str, str, str | None, str]


class PreviousStatementError(EvaluationError):
    """The previous statement cannot be read, or is not a statement of this contract."""


@frozen
class PreviousStatement:
    """What reconciling needs of the statement paid before: its contract, as-of date, total and
    each payment line's amount; ``name`` is how messages name it (its path)."""

    contract: str
    source_hash: str | None
    currency: str
    as_of: str | None
    total: Decimal
    lines: dict[LineKey, Decimal]
    name: str = "the previous statement"


def read_previous(text: str, name: str = "the previous statement") -> PreviousStatement:
    """Read a statement's JSON (``pbr-eval run --format json``); PreviousStatementError says
    what is wrong with it, naming it as ``name``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PreviousStatementError(f"{name} is not JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("schema") not in READABLE_SCHEMAS:
        raise PreviousStatementError(
            f"{name} is not a payment statement (expected the JSON of pbr-eval run --format "
            f"json, schema {' or '.join(READABLE_SCHEMAS)})"
        )
    try:
        contract = data["contract"]
        lines: dict[LineKey, Decimal] = {}
        for unit in data["units"]:
            for line in unit["lines"]:
                key = (unit["cohort"], unit["period"], unit["area"], line["term"])
                lines[key] = Decimal(line["amount"]["amount"])
        return PreviousStatement(
            str(contract["name"]),
            contract.get("source_hash"),
            str(contract["currency"]),
            data.get("as_of"),
            Decimal(data["totals"]["overall"]["amount"]),
            lines,
            name,
        )
    except (KeyError, TypeError, InvalidOperation) as exc:
        raise PreviousStatementError(
            f"{name} is not a complete payment statement (cannot read {exc})"
        ) from None


def reconcile(statement: Statement, previous: PreviousStatement) -> Statement:
    """``statement`` with each line's previous amount and the reconciliation against
    ``previous``; PreviousStatementError when ``previous`` is of another contract or currency."""
    check_same_contract(statement.contract.name, statement.currency, previous)
    currency = statement.currency
    now: dict[LineKey, Line] = {}
    units = []
    for unit in statement.units:
        lines = []
        for line in unit.lines:
            key = (unit.cohort, unit.period, unit.area, line.term)
            before = Money(previous.lines.get(key, Decimal(0)), currency)
            lines.append(attrs.evolve(line, previous=before))
            now[key] = line
        units.append(attrs.evolve(unit, lines=tuple(lines)))
    changes = [
        LineChange(*key, Money(previous.lines.get(key, Decimal(0)), currency), line.amount)
        for key, line in now.items()
    ]
    zero = Money(Decimal(0), currency)
    changes += [
        LineChange(*key, Money(amount, currency), zero)
        for key, amount in previous.lines.items()
        if key not in now
    ]
    reconciliation = Reconciliation(
        Money(previous.total, currency),
        statement.total,
        tuple(changes),
        previous.as_of,
        previous.source_hash,
    )
    return attrs.evolve(statement, units=tuple(units), reconciliation=reconciliation)


def check_same_contract(contract: str, currency: str, previous: PreviousStatement) -> None:
    """PreviousStatementError unless ``previous`` is a statement of the contract named
    ``contract``, in ``currency`` (checked before measuring, and again when reconciling)."""
    name = previous.name
    if previous.contract != contract:
        raise PreviousStatementError(
            f'{name} is a statement of the contract "{previous.contract}", not of '
            f'"{contract}": reconcile a statement only with the last one paid under the '
            "same contract"
        )
    if previous.currency != currency:
        raise PreviousStatementError(
            f"{name} is in {previous.currency}, this contract in {currency}"
        )

