"""What changed between two versions of a contract, in the contract's own words, and what each
cohort's payments change by (``pbr-eval diff OLD NEW``).

A contract is read as the rules in force for each cohort start date: the contract as let, then
each variation from its effective date. Two contracts are compared interval by interval over
the effective dates of both, so a variation file compared with the template it amends shows
exactly what it changes and from when, and two drafts of one schedule show every declaration
added, removed or reworded. Each declaration is shown as ``pbr-eval fmt`` prints it, so a
lawyer reads the change as contract text, not as a data structure.

With outcome records or figures, both versions are paid on the same data and every payment
line whose amount differs is listed, with the totals: "what did the variation change, in
money?". Amounts are exact decimals; nothing is rounded here that the statements did not round.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Literal

from attrs import frozen

from pbrrules import rules
from pbrrules.figures import CohortFigures
from pbrrules.formatter.printer import declaration_text
from pbrrules.statement import Statement, wording

ChangeKind = Literal["added", "removed", "changed"]

#: The header's fields a lawyer negotiates, in the order the header is written.
_HEADER_FIELDS = ("name", "version", "payer", "provider", "currency", "contract_years_start")

@frozen
class Change:
    """One declaration (or header field) added, removed or changed, for the cohorts starting
    from ``cohorts_from`` (None: from the start) on; ``before`` and ``after`` are its text."""

    kind: ChangeKind
    what: str
    name: str
    clause: str | None
    before: str | None
    after: str | None
    cohorts_from: datetime.date | None = None

    @property
    def about_rules(self) -> bool:
        """Whether this is a change in the rules cohorts are paid by (else in the header, the
        variations or the worked examples: the contract as a document)."""
        return self.what not in ("header", "variation", "example")

    def describe(self) -> str:
        """The change as lines of text: a heading, then the old text marked ``-`` and the new
        marked ``+``."""
        clause = f" ({self.clause})" if self.clause else ""
        lines = [f"{self.kind} {self.what} {self.name}{clause}"]
        lines += [f"  - {line}" for line in (self.before or "").splitlines()]
        lines += [f"  + {line}" for line in (self.after or "").splitlines()]
        return "\n".join(lines)

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "what": self.what,
            "name": self.name,
            "clause": self.clause,
            "before": self.before,
            "after": self.after,
            "cohorts_from": self.cohorts_from.isoformat() if self.cohorts_from else None,
        }


@frozen
class PaymentChange:
    """One payment line (or a unit's total, ``term`` None) whose amount differs between the
    two statements; an amount is None where that statement has no such line."""

    cohort: str
    period: str
    area: str | None
    term: str | None
    before: Decimal | None
    after: Decimal | None
    currency: str

    @property
    def difference(self) -> Decimal:
        return (self.after or Decimal(0)) - (self.before or Decimal(0))

    def describe(self) -> str:
        where = f"{self.cohort} {self.period}" + (f" {self.area}" if self.area else "")
        what = f"term {self.term}" if self.term else "unit total"
        return (
            f"{where}, {what}: {self._money(self.before)} -> {self._money(self.after)} "
            f"({_signed(self.difference, self.currency)})"
        )

    def _money(self, amount: Decimal | None) -> str:
        return "no line" if amount is None else wording.money(amount, self.currency)

    def to_json(self) -> dict[str, object]:
        return {
            "cohort": self.cohort,
            "period": self.period,
            "area": self.area,
            "term": self.term,
            "before": None if self.before is None else str(self.before),
            "after": None if self.after is None else str(self.after),
            "difference": str(self.difference),
            "currency": self.currency,
        }


@frozen
class ContractDiff:
    """What changed between ``old`` and ``new`` (contract names), and, when both were paid on
    the same data, what the payments change by."""

    old: str
    new: str
    changes: tuple[Change, ...]
    payments: tuple[PaymentChange, ...] | None = None
    totals: tuple[Decimal, Decimal, str] | None = None

    @property
    def empty(self) -> bool:
        """True when nothing in the rules or the money differs."""
        return not self.changes and not self.payments

    def render(self) -> str:
        """The diff as text for people."""
        out = [f"--- {self.old}", f"+++ {self.new}"]
        if not self.changes:
            out.append("no change in the rules")
        heading = ""
        for change in self.changes:
            start = change.cohorts_from
            now = (
                "the contract:" if not change.about_rules
                else f"rules for cohorts from {start.isoformat()}:" if start
                else "rules from the start:"
            )
            if now != heading:
                heading = now
                out += ["", heading]
            out.append(change.describe())
        if self.payments is not None and self.totals is not None:
            before, after, currency = self.totals
            out.append("")
            out.append("payments on the same data:")
            out += [f"  {p.describe()}" for p in self.payments] or ["  no payment changes"]
            out.append(
                f"  total: {wording.money(before, currency)} -> {wording.money(after, currency)} "
                f"({_signed(after - before, currency)})"
            )
        return "\n".join(out) + "\n"

    def to_json(self) -> str:
        document: dict[str, object] = {
            "schema": "pbr.diff/1",
            "old": self.old,
            "new": self.new,
            "changes": [c.to_json() for c in self.changes],
        }
        if self.payments is not None and self.totals is not None:
            before, after, currency = self.totals
            document["payments"] = [p.to_json() for p in self.payments]
            document["total"] = {
                "before": str(before),
                "after": str(after),
                "difference": str(after - before),
                "currency": currency,
            }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def diff_contracts(
    old: rules.Contract,
    new: rules.Contract,
    statements: tuple[Statement, Statement] | None = None,
) -> ContractDiff:
    """Compare two compiled contracts (and, if given, their statements on the same data)."""
    changes = [
        *_header_changes(old.header, new.header),
        *_variation_changes(old.versions, new.versions),
        *_version_changes(old, new),
    ]
    changes += _example_changes(old.examples, new.examples)
    diff = ContractDiff(old.name, new.name, tuple(changes))
    if statements is None:
        return diff
    before, after = statements
    return ContractDiff(
        diff.old,
        diff.new,
        diff.changes,
        tuple(compare_statements(before, after)),
        (before.total.amount, after.total.amount, after.total.currency),
    )


def compare_statements(before: Statement, after: Statement) -> Iterator[PaymentChange]:
    """Every payment line, and every unit total, whose amount differs (in the order the new
    statement lists its units, then units only the old one has)."""
    old_units = {_unit_key(u.figures): u for u in before.units}
    new_units = {_unit_key(u.figures): u for u in after.units}
    currency = after.total.currency
    for key in [*new_units, *(k for k in old_units if k not in new_units)]:
        old_unit, new_unit = old_units.get(key), new_units.get(key)
        old_lines = {line.term: line.amount.amount for line in old_unit.lines} if old_unit else {}
        new_lines = {line.term: line.amount.amount for line in new_unit.lines} if new_unit else {}
        for term in [*new_lines, *(t for t in old_lines if t not in new_lines)]:
            if old_lines.get(term) != new_lines.get(term):
                yield PaymentChange(*key, term, old_lines.get(term), new_lines.get(term), currency)
        old_total = old_unit.total.amount if old_unit else None
        new_total = new_unit.total.amount if new_unit else None
        if old_total != new_total:
            yield PaymentChange(*key, None, old_total, new_total, currency)


def _unit_key(figures: CohortFigures) -> tuple[str, str, str | None]:
    return figures.cohort, figures.period, figures.area


def _header_changes(old: rules.Header, new: rules.Header) -> Iterator[Change]:
    for field in _HEADER_FIELDS:
        before, after = getattr(old, field), getattr(new, field)
        if before != after:
            words = field.replace("_", " ")
            yield Change(
                _kind(before, after),
                "header",
                words,
                None,
                None if before is None else f"{words} {before}",
                None if after is None else f"{words} {after}",
            )


def _variation_changes(
    old: Sequence[rules.Version], new: Sequence[rules.Version]
) -> Iterator[Change]:
    """Variations (versions after the first) that one contract has and the other has not."""
    def key(version: rules.Version) -> tuple[str, datetime.date | None]:
        return version.name, version.effective_from

    def words(version: rules.Version) -> str:
        start = version.effective_from.isoformat() if version.effective_from else "the start"
        return f'variation "{version.name}"\n  effective for cohorts from {start}'

    olds = {key(v): v for v in old[1:]}
    news = {key(v): v for v in new[1:]}
    for k in [*olds, *(k for k in news if k not in olds)]:
        if (k in olds) != (k in news):
            version = olds.get(k) or news[k]
            before = words(version) if k in olds else None
            after = words(version) if k in news else None
            yield Change(_kind(before, after), "variation", f'"{version.name}"', version.clause,
                         before, after)


def _version_changes(old: rules.Contract, new: rules.Contract) -> Iterator[Change]:
    """Changes in the rules in force, interval by interval over both contracts' effective
    dates; a change that holds on from one interval to the next is said once."""
    starts = sorted(
        {v.effective_from for c in (old, new) for v in c.versions if v.effective_from}
    )
    said: set[tuple[object, ...]] = set()
    for start in [None, *starts]:
        at = start or datetime.date.min
        before, after = old.version_for(at).rules, new.version_for(at).rules
        for change in _rules_changes(before, after, start):
            key = (change.kind, change.what, change.name, change.before, change.after)
            if key not in said:
                said.add(key)
                yield change


def _rules_changes(
    old: rules.Rules, new: rules.Rules, start: datetime.date | None
) -> Iterator[Change]:
    for what, field in rules.NAMED_DECLARATIONS:
        olds = {d.name: d for d in getattr(old, field)}
        news = {d.name: d for d in getattr(new, field)}
        for name in [*olds, *(n for n in news if n not in olds)]:
            yield from _declaration_change(what, name, olds.get(name), news.get(name), start)
    if old.rounding != new.rounding:
        yield _change("rounding", "rules", old.rounding, new.rounding, start)


def _declaration_change(
    what: str,
    name: str,
    before: rules.Declaration | None,
    after: rules.Declaration | None,
    start: datetime.date | None,
) -> Iterator[Change]:
    if before != after:
        yield _change(what, name, before, after, start)


def _change(
    what: str,
    name: str,
    before: rules.Declaration | None,
    after: rules.Declaration | None,
    start: datetime.date | None,
) -> Change:
    clause = getattr(after if after is not None else before, "clause", None)
    return Change(
        _kind(before, after),
        what,
        name,
        clause,
        None if before is None else declaration_text(before),
        None if after is None else declaration_text(after),
        start,
    )


def _example_changes(
    old: Sequence[rules.Example], new: Sequence[rules.Example]
) -> Iterator[Change]:
    olds = {e.name: e for e in old}
    news = {e.name: e for e in new}
    for name in [*olds, *(n for n in news if n not in olds)]:
        before, after = olds.get(name), news.get(name)
        if before != after:
            yield _change("example", f'"{name}"', before, after, None)


def _signed(amount: Decimal, currency: str) -> str:
    """A difference in money, with its sign always shown: "+£2,000,000.00"."""
    return ("+" if amount > 0 else "") + wording.money(amount, currency)


def _kind(before: object, after: object) -> ChangeKind:
    if before is None:
        return "added"
    return "removed" if after is None else "changed"
