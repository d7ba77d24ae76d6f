"""The payment statement: what a contract pays on cohort figures, and why, as typed values.

One ``Statement`` holds the contract and data it was computed from, each cohort unit with its
figures, measures, comparisons, target verdicts and payment lines (each with its clause and a
plain-language derivation), the caps and collars applied, and totals per contract year and
overall, the run's as-of date and which units are final, and (given the statement paid before)
the reconciliation. ``Statement.to_json()`` gives its versioned JSON form (``"schema":
"pbr.statement/2"``,
documented in docs/statement.md, schema in docs/statement.schema.json): money as strings with
the currency, exact values as fractions beside their display. Same inputs, same bytes.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from attrs import field, frozen

from pbrrules.figures import AsOf, CohortFigures, GroupFigures, ImpactFigure
from pbrrules.statement import wording
from pbrrules.statement.limits import LimitApplied, LimitStanding, PartyTotal, limit_json
from pbrrules.statement.maturity import Maturity
from pbrrules.statement.money import JSON, Money, exact

SCHEMA = "pbr.statement/2"
#: The schema versions ``--previous`` can read (a statement paid before the version bump).
READABLE_SCHEMAS = ("pbr.statement/1", SCHEMA)

Verdict = Literal["met", "not met", "not assessable"]
LineStatus = Literal["pays", "not met", "not assessable", "not yet due"]


@frozen
class MeasureResult:
    """A measure's value in one group of a cohort, or why it cannot be assessed."""

    name: str
    group: Literal["treatment", "control"]
    clause: str | None
    value: Fraction | None
    display: str | None
    derivation: str
    #: What a measure of an outcome beyond offences counts, and the people with at least one
    #: ("custody days", "people in custody"); None for proven offences and reconviction events.
    counted: tuple[str, str] | None = None

    @property
    def assessable(self) -> bool:
        """Whether the measure has a value."""
        return self.value is not None

    def to_json(self) -> JSON:
        """JSON form (``units`` and ``people`` only for outcomes beyond offences)."""
        out: dict[str, object] = {
            "name": self.name,
            "group": self.group,
            "clause": self.clause,
            "value": exact(self.value, self.display),
            "assessable": self.assessable,
            "derivation": self.derivation,
        }
        if self.counted is not None:
            out["units"], out["people"] = self.counted
        return out


@frozen
class ComparisonResult:
    """A comparison in a cohort: the improvement of its measure against its comparator."""

    name: str
    measure: str
    unit: Literal["points", "percent", "absolute"]
    clause: str | None
    comparator: Fraction | None
    comparator_display: str | None
    improvement: Fraction | None
    improvement_display: str | None
    derivation: str
    pooled: bool = False

    def to_json(self) -> JSON:
        """JSON form."""
        return {
            "name": self.name,
            "measure": self.measure,
            "unit": self.unit,
            "clause": self.clause,
            "comparator": exact(self.comparator, self.comparator_display),
            "improvement": exact(self.improvement, self.improvement_display),
            "assessable": self.improvement is not None,
            "pooled": self.pooled,
            "derivation": self.derivation,
        }


@frozen
class TargetResult:
    """A target's verdict in a cohort and the numbers behind it."""

    name: str
    comparison: str
    clause: str | None
    verdict: Verdict
    pooled: bool
    derivation: str
    #: "reduction" or "increase": which way the comparison must move.
    direction: Literal["reduction", "increase"] = "reduction"
    #: The improvement the target asks for, in its comparison's scale (5 points is 1/20; a 10%
    #: relative reduction is 1/10), when it names one; None for "any reduction" or when the
    #: threshold could not be worked out. Charts draw it; the verdict is in ``verdict``.
    threshold: Fraction | None = None
    threshold_display: str | None = None
    #: For a target decided by a one-proportion significance test: the change that is just
    #: significant in this cohort (critical value × standard error: irrational, so approximate,
    #: about 6 significant digits), for charts; None otherwise. The verdict never reads it.
    boundary: Fraction | None = None
    boundary_display: str | None = None

    def to_json(self) -> JSON:
        """JSON form."""
        boundary = None
        if self.boundary is not None:
            places = Decimal(self.boundary.numerator) / Decimal(self.boundary.denominator)
            boundary = {"approximately": f"{places:.12f}", "display": self.boundary_display}
        return {
            "name": self.name,
            "comparison": self.comparison,
            "clause": self.clause,
            "verdict": self.verdict,
            "pooled": self.pooled,
            "direction": self.direction,
            "threshold": exact(self.threshold, self.threshold_display),
            "significance_boundary": boundary,
            "derivation": self.derivation,
        }


@frozen
class Line:
    """One payment line: a term's amount in a cohort, after rounding and limits.

    ``status`` is "pays" when the term's trigger holds (the amount may still be £0), "not met"
    when it does not (the amount is £0), and "not assessable" when a figure or value it needs is
    missing (the amount is £0 and ``derivation`` gives the reason).
    """

    term: str
    clause: str | None
    deduction: bool
    status: LineStatus
    amount: Money
    unrounded: Fraction | None
    derivation: str
    limits: tuple[LimitApplied, ...] = ()
    #: With ``--previous``: the amount the statement paid before stated for this line (zero
    #: when it stated none).
    previous: Money | None = None
    #: Who pays this line and who is paid, when the contract names parties on its terms or
    #: caps (None otherwise: the header's payer and provider say it).
    payer: str | None = None
    payee: str | None = None

    def to_json(self) -> JSON:
        """JSON form (``payer`` and ``payee`` only when the contract names parties)."""
        unrounded = None
        if self.unrounded is not None:
            unrounded = exact(
                self.unrounded, wording.money_fraction(self.unrounded, self.amount.currency)
            )
        parties: JSON = {}
        if self.payer is not None or self.payee is not None:
            parties = {"payer": self.payer, "payee": self.payee}
        return parties | {
            "term": self.term,
            "clause": self.clause,
            "deduction": self.deduction,
            "status": self.status,
            "amount": self.amount.to_json(),
            "unrounded": unrounded,
            "derivation": self.derivation,
            "limits": [limit_json(applied) for applied in self.limits],
            "previous": self.previous.to_json() if self.previous else None,
            "difference": self.difference.to_json() if self.difference else None,
        }

    @property
    def difference(self) -> Money | None:
        """Now minus what was stated before (None without a previous statement)."""
        if self.previous is None:
            return None
        return Money(self.amount.amount - self.previous.amount, self.amount.currency)


@frozen
class UnitResult:
    """One cohort unit (cohort rule, period, area): its figures, results and payment lines."""

    figures: CohortFigures
    contract_year: int | None
    version: str
    measures: tuple[MeasureResult, ...]
    comparisons: tuple[ComparisonResult, ...]
    targets: tuple[TargetResult, ...]
    lines: tuple[Line, ...]
    total: Money
    maturity: Maturity = field(factory=Maturity)

    @property
    def cohort(self) -> str:
        """The cohort rule's name."""
        return self.figures.cohort

    @property
    def period(self) -> str:
        """The period's label, e.g. "2015-Q4"."""
        return self.figures.period

    @property
    def area(self) -> str | None:
        """The area, when the cohort is grouped by area."""
        return self.figures.area

    @property
    def cancelled(self) -> str | None:
        """Why the period is not paid, when it was cancelled."""
        return self.figures.cancelled

    @property
    def label(self) -> str:
        """``2015-Q4 in Cumbria and Lancashire`` (or just the period)."""
        return f"{self.period} in {self.area}" if self.area else self.period

    def target(self, name: str) -> TargetResult | None:
        """The verdict of target ``name`` in this unit, if assessed."""
        return next((t for t in self.targets if t.name == name), None)

    def line(self, term: str) -> Line | None:
        """The line of ``term`` in this unit, if assessed."""
        return next((line for line in self.lines if line.term == term), None)

    def to_json(self) -> JSON:
        """JSON form (``figures.impacts`` only when the evaluator supplied impact estimates)."""
        figures = self.figures
        impacts: JSON = {}
        if figures.impacts:
            impacts = {"impacts": [_impact_json(i) for i in figures.impacts]}
        return {
            "cohort": figures.cohort,
            "period": figures.period,
            "area": figures.area,
            "start": figures.start.isoformat(),
            "end": figures.end.isoformat(),
            "contract_year": self.contract_year,
            "version": self.version,
            "cancelled": figures.cancelled,
            "mature_on": _iso(self.maturity.mature_on),
            "final": self.maturity.final,
            "maturity": self.maturity.state,
            "maturity_reason": self.maturity.reason,
            "figures": {
                "closed": figures.closed,
                "treatment": _group_json(figures.treatment),
                "control": _group_json(figures.control) if figures.control else None,
                "excluded": [{"reason": r, "count": c} for r, c in figures.excluded],
            }
            | impacts,
            "measures": [m.to_json() for m in self.measures],
            "comparisons": [c.to_json() for c in self.comparisons],
            "targets": [t.to_json() for t in self.targets],
            "lines": [line.to_json() for line in self.lines],
            "total": self.total.to_json(),
        }


def _impact_json(impact: ImpactFigure) -> JSON:
    return {
        "name": impact.name,
        "value": exact(impact.value.value, wording.quantity(impact.value)),
        "unit": impact.value.unit.value,
        "source": impact.source,
    }


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _group_json(group: GroupFigures) -> JSON:
    return {
        "offenders": group.offenders,
        "predicted": str(group.predicted) if group.predicted is not None else None,
        "counts": {
            name: {"reoffenders": c.reoffenders, "reoffences": c.reoffences}
            for name, c in sorted(group.counts.items())
        },
    }


@frozen
class YearTotal:
    """What a contract year's cohorts pay in total (year None: cohorts in no contract year)."""

    year: int | None
    total: Money


@frozen
class ContractInfo:
    """Which contract the statement was computed from."""

    name: str
    version: str | None
    source_hash: str
    sources: tuple[str, ...]
    currency: str
    #: What the contract marks ``illustrative``: (kind, name, why) for the contract itself, a
    #: parameter, cohort, measure, comparison, target, term or limit, so that no reader takes a
    #: statement computed on assumed terms for one computed from the contract as signed.
    illustrative: tuple[tuple[str, str, str], ...] = ()
    #: The parties as the contract names them (``payer "Ministry of Justice"``, ``provider
    #: "..."``; a template's payer carries to the contracts based on it): who pays whom.
    payer: str | None = None
    provider: str | None = None


@frozen
class DataFile:
    """One outcome data file the figures were measured from."""

    path: str
    rows: int | None
    sha256: str | None


@frozen
class DataInfo:
    """The outcome data: its files and the record accounting the measurement reported.

    ``accounting`` is JSON-ready (counted, excluded by rule, rejected with reasons).
    """

    files: tuple[DataFile, ...] = ()
    accounting: Mapping[str, object] | None = None


@frozen
class LineChange:
    """One payment line of the reconciliation: what the statement paid before stated for it,
    what this one states, and the difference (a line stated by only one of them counts as
    zero in the other)."""

    cohort: str
    period: str
    area: str | None
    term: str
    before: Money
    now: Money

    @property
    def difference(self) -> Money:
        """``now - before``: a top-up when positive, owed back when negative."""
        return Money(self.now.amount - self.before.amount, self.now.currency)

    def to_json(self) -> JSON:
        """JSON form."""
        return {
            "cohort": self.cohort,
            "period": self.period,
            "area": self.area,
            "term": self.term,
            "previous": self.before.to_json(),
            "now": self.now.to_json(),
            "difference": self.difference.to_json(),
        }


@frozen
class Reconciliation:
    """This statement against the one paid before: every line's change and what is due now.

    Each statement restates every unit from the start, so its caps already count what was
    stated before; ``due`` (this total minus the previous total) is a top-up when positive and
    owed back when negative. It always equals the sum of the lines' differences.
    """

    previous_total: Money
    total: Money
    lines: tuple[LineChange, ...]
    previous_as_of: str | None = None
    previous_source_hash: str | None = None

    @property
    def due(self) -> Money:
        """What is due now: this total minus what was stated before."""
        return Money(self.total.amount - self.previous_total.amount, self.total.currency)

    def describe(self) -> str:
        """``due now: £X (a top-up)`` / ``owed back: £X`` / ``nothing due``."""
        due = self.due.amount
        if due > 0:
            return f"due now: {self.due} (a top-up on the {self.previous_total} stated before)"
        if due < 0:
            owed = Money(-due, self.due.currency)
            return f"owed back: {owed} (the {self.previous_total} stated before was more)"
        return f"nothing due: the {self.previous_total} stated before stands"

    def to_json(self) -> JSON:
        """JSON form."""
        return {
            "previous_total": f"{self.previous_total.amount:f}",
            "total": f"{self.total.amount:f}",
            "due": f"{self.due.amount:f}",
            "currency": self.total.currency,
            "description": self.describe(),
            "previous_as_of": self.previous_as_of,
            "previous_source_hash": self.previous_source_hash,
            "lines": [line.to_json() for line in self.lines],
        }


@frozen
class Statement:
    """What a contract pays on a set of cohort figures, unit by unit, with totals."""

    contract: ContractInfo
    engine_version: str
    units: tuple[UnitResult, ...]
    years: tuple[YearTotal, ...]
    total: Money
    data: DataInfo | None = None
    #: The run's as-of date (None: figures given without one, every unit taken as final).
    as_of: AsOf | None = None
    #: Given the statement paid before: what it stated and what is due now (``reconcile``).
    reconciliation: Reconciliation | None = None
    #: Totals per payer and per payee, when the contract names parties on its terms or caps.
    by_payer: tuple[PartyTotal, ...] = ()
    by_payee: tuple[PartyTotal, ...] = ()
    #: Every cap and collar a line met, per scope: allowed, drawn, left (``LimitStanding``).
    limits: tuple[LimitStanding, ...] = ()

    @property
    def currency(self) -> str:
        """The contract's currency."""
        return self.contract.currency

    def lines(self) -> Iterator[tuple[UnitResult, Line]]:
        """Every payment line with its unit, in cohort order."""
        for unit in self.units:
            for line in unit.lines:
                yield unit, line

    def units_in(self, period: str | None = None, area: str | None = None) -> list[UnitResult]:
        """The units with this period label (and area), or all units."""
        return [
            unit
            for unit in self.units
            if (period is None or unit.period == period) and (area is None or unit.area == area)
        ]

    def to_dict(self) -> JSON:
        """The statement's JSON form as Python data."""
        data: JSON | None = None
        if self.data is not None:
            data = {
                "files": [
                    {"path": f.path, "rows": f.rows, "sha256": f.sha256} for f in self.data.files
                ],
                "accounting": dict(self.data.accounting) if self.data.accounting else None,
            }
        totals: JSON = {
            "by_contract_year": [
                {"contract_year": y.year, "total": y.total.to_json()} for y in self.years
            ],
            "overall": self.total.to_json(),
        }
        if self.by_payer or self.by_payee:
            totals["by_payer"] = [p.to_json() for p in self.by_payer]
            totals["by_payee"] = [p.to_json() for p in self.by_payee]
        return {
            "schema": SCHEMA,
            "engine": {"name": "pbrrules", "version": self.engine_version},
            "contract": {
                "name": self.contract.name,
                "version": self.contract.version,
                "source_hash": self.contract.source_hash,
                "sources": list(self.contract.sources),
                "currency": self.contract.currency,
                "payer": self.contract.payer,
                "provider": self.contract.provider,
                "illustrative": [
                    {"kind": kind, "name": name, "reason": reason}
                    for kind, name, reason in self.contract.illustrative
                ],
            },
            "data": data,
            "as_of": _iso(self.as_of.day) if self.as_of else None,
            "as_of_source": self.as_of.source if self.as_of else None,
            "as_of_stated_by": self.as_of.stated_by if self.as_of else None,
            "as_of_extracted_by": self.as_of.extracted_by if self.as_of else None,
            "reconciliation": self.reconciliation.to_json() if self.reconciliation else None,
            "limits": [standing.to_json() for standing in self.limits],
            "units": [unit.to_json() for unit in self.units],
            "totals": totals,
        }

    def to_json(self) -> str:
        """The statement as JSON text: keys sorted, no timestamps, so same inputs, same bytes."""
        return (
            json.dumps(
                self.to_dict(), sort_keys=True, ensure_ascii=False, indent=2, default=_json_default
            )
            + "\n"
        )


def _json_default(value: object) -> object:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Fraction | Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
