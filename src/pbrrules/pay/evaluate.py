"""Cohort figures -> payment statement: the pay stage's loop over cohort units.

Units are met in cohort order (first index date, cohort rule, area). For each, the version of the
rules in force for its start date decides which terms apply; each term assessed for the unit
gives a line, rounded as the contract declares, then trimmed by caps and collars cumulatively.
Cancelled units are reported with their reason and no lines. A unit whose figures are not final
on the run's as-of date (``pay/maturity.py``) is reported with interim figures and lines that are
not yet due. Lines sum exactly to the totals.
"""

from __future__ import annotations

import importlib.metadata
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction

import attrs

from pbrrules.errors import EvaluationError
from pbrrules.figures import AsOf, CohortFigures, GroupFigures, MeasureCounts
from pbrrules.pay.assessment import Draft, UnitAssessment
from pbrrules.pay.limits import Asked, Limited, LimitLedger, parties, parties_named
from pbrrules.pay.maturity import maturity
from pbrrules.pay.params import NotAssessable, Resolver, contract_year
from pbrrules.pay.rounding import minor_digits, round_money, to_decimal
from pbrrules.rules import Blocks, Contract, Rules, Term, periods
from pbrrules.statement import (
    ContractInfo,
    DataInfo,
    Line,
    Maturity,
    Money,
    Statement,
    UnitResult,
    YearTotal,
    wording,
)
from pbrrules.statement.limits import party_totals
from pbrrules.values import Quantity, Unit, Value


def engine_version() -> str:
    """The installed pbrrules version, recorded in every statement."""
    try:
        return importlib.metadata.version("pbrrules")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - running from a checkout
        return "0+unknown"


def currency_of(contract: Contract) -> str:
    """The contract's currency: its header's, else that of its first amount of money, else GBP."""
    if contract.header.currency:
        return contract.header.currency
    for version in contract.versions:
        for parameter in version.rules.parameters:
            values = [parameter.value, *(row.value for row in parameter.rows)]
            for value in values:
                if isinstance(value, Quantity) and value.unit is Unit.MONEY and value.currency:
                    return value.currency
    return "GBP"


def order_key(unit: CohortFigures) -> tuple[object, ...]:
    """Cohort order: first index date, then period label ("cohort 2" before "cohort 10"), cohort
    rule and area."""
    return (
        unit.start,
        natural_key(unit.period),
        unit.cohort,
        unit.area is not None,
        unit.area or "",
    )


def natural_key(label: str) -> tuple[tuple[int, int | str], ...]:
    """``cohort 10`` after ``cohort 9``: labels compared with their numbers as numbers."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", label)
    )


def evaluate(
    contract: Contract,
    figures: Iterable[CohortFigures],
    *,
    overrides: Mapping[str, Value] | None = None,
    data: DataInfo | None = None,
    as_of: AsOf | None = None,
) -> Statement:
    """Pay ``contract`` on cohort ``figures``; the statement says what is owed and why.

    ``overrides`` replace parameters (or set a measure's value) by name, as a worked example's
    ``given NAME = value`` does. ``as_of`` is the date the records were extracted: a unit whose
    windows have not all closed by then is provisional and paid nothing (without it, every unit
    not marked provisional is taken as final). Raises EvaluationError when two figures describe
    the same unit.
    """
    units = sorted(figures, key=order_key)
    seen: set[tuple[str, str, str | None]] = set()
    for unit in units:
        if unit.key in seen:
            raise EvaluationError(f"two sets of figures for the same cohort unit {unit.key}")
        seen.add(unit.key)
    currency = currency_of(contract)
    states = {unit.key: maturity(contract, unit, as_of) for unit in units}
    # pools read final units only: a provisional one is awaited, never counted in
    final = [unit for unit in units if states[unit.key].final]
    drafted = [
        _unit(contract, unit, final, dict(overrides or {}), currency, states) for unit in units
    ]
    ledger = LimitLedger(currency, contract.header.payer, contract.header.provider)
    results = _limited(drafted, ledger)
    by_payer, by_payee = party_totals((line for r in results for line in r.lines), currency)
    return Statement(
        contract=ContractInfo(
            contract.header.name,
            contract.header.version,
            contract.source_hash,
            contract.sources,
            currency,
            _illustrative(contract),
            contract.header.payer,
            contract.header.provider,
        ),
        engine_version=engine_version(),
        units=tuple(results),
        years=_year_totals(results, currency),
        total=Money(_sum((r.total.amount for r in results), currency), currency),
        data=data,
        as_of=as_of,
        by_payer=by_payer,
        by_payee=by_payee,
        limits=ledger.standing(),
    )


#: A unit's result with its lines before limits, and each line's request to its limits (None
#: for a line that pays nothing: not met, not assessable, or not yet due).
Drafted = tuple[UnitResult, list[Asked | None]]


def _unit(
    contract: Contract,
    unit: CohortFigures,
    final: list[CohortFigures],
    overrides: dict[str, Value],
    currency: str,
    states: Mapping[tuple[str, str, str | None], Maturity],
) -> Drafted:
    version = contract.version_for(unit.start)
    rules = version.rules
    year = contract_year(contract.header.contract_years_start, unit.start)
    state = states[unit.key]
    if unit.cancelled is not None:
        return UnitResult(unit, year, version.name, (), (), (), (), _zero(currency), state), []
    assessment = _assessment(contract, unit, final, overrides, currency, states)
    resolver = assessment.resolver
    lines: list[Line] = []
    asked: list[Asked | None] = []
    named = parties_named(contract)
    for term in rules.terms:
        if not assessment.assesses(term):
            continue
        request: Asked | None = None
        if state.final:
            line, request = _line(term, assessment.draft(term), resolver, year, currency)
        else:
            reason = state.reason or "not yet due"
            zero = _zero(currency)
            line = Line(term.name, term.clause, term.deduction, "not yet due", zero, None, reason)
        if named:
            payer, payee = parties(term, contract.header.payer, contract.header.provider)
            line = attrs.evolve(line, payer=payer, payee=payee)
        lines.append(line)
        asked.append(request)
    measures, comparisons, targets = assessment.results()
    total = _zero(currency)
    result = UnitResult(
        unit, year, version.name, measures, comparisons, targets, tuple(lines), total, state
    )
    return result, asked


def _assessment(
    contract: Contract,
    unit: CohortFigures,
    final: list[CohortFigures],
    overrides: dict[str, Value],
    currency: str,
    states: Mapping[tuple[str, str, str | None], Maturity],
) -> UnitAssessment:
    """Everything the rules in force say about ``unit``, worked out on demand (``final`` holds
    the final units, which pools and other cohort rules' targets read)."""
    rules = contract.version_for(unit.start).rules
    year = contract_year(contract.header.contract_years_start, unit.start)
    state = states[unit.key]
    return UnitAssessment(
        rules, unit, Resolver(rules, unit, year, overrides), currency,
        lambda: pooled_figures(unit, final),
        lambda: whole_figures(contract, unit, final, states),
        state.reason if not state.final else incomplete_block(rules, unit),
        lambda cohort: _sibling(contract, unit, final, overrides, currency, states, cohort),
        lambda whole: pool_members(unit, final, whole),
    )


def _sibling(
    contract: Contract,
    unit: CohortFigures,
    final: list[CohortFigures],
    overrides: dict[str, Value],
    currency: str,
    states: Mapping[tuple[str, str, str | None], Maturity],
    cohort: str,
) -> UnitAssessment | str:
    """The unit of cohort rule ``cohort`` in ``unit``'s period and area, assessed; or why not
    (none, cancelled, or not final yet)."""
    for other in final:
        if other.cohort == cohort and other.period == unit.period and other.area == unit.area:
            if other.cancelled is not None:
                return f"cohort {cohort} {other.period} is cancelled: {other.cancelled}"
            return _assessment(contract, other, final, overrides, currency, states)
    area = f" in {unit.area}" if unit.area else ""
    state = states.get((cohort, unit.period, unit.area))
    if state is not None and not state.final:
        return f"cohort {cohort} {unit.period}{area} is not final yet"
    return f"no figures for cohort {cohort} in {unit.period}{area}"


def _line(
    term: Term, draft: Draft, resolver: Resolver, year: int | None, currency: str
) -> tuple[Line, Asked | None]:
    """The term's line rounded, before limits, and what it asks of them."""
    zero = _zero(currency)
    if draft.amount is None:
        line = Line(
            term.name, term.clause, term.deduction, draft.status, zero, None, draft.derivation
        )
        return line, None
    rounding = resolver.rules.rounding
    rule = rounding.rule_for("payments") if rounding else None
    unrounded = draft.amount.value
    rounded = round_money(unrounded, currency, rule)
    derivation = draft.derivation
    if Fraction(rounded) != unrounded:
        derivation += f", rounded to {wording.money(rounded, currency)}"
    line = Line(
        term.name, term.clause, term.deduction, "pays", Money(rounded, currency), unrounded,
        derivation,
    )
    return line, Asked(term, rounded, resolver, year)


def _limited(drafted: list[Drafted], ledger: LimitLedger) -> list[UnitResult]:
    """Every unit's lines met by the caps and collars, period by period in cohort order (the
    units of one period together), with each unit's total."""
    periods: dict[str, list[int]] = {}
    for index, (result, _) in enumerate(drafted):
        periods.setdefault(result.figures.period, []).append(index)
    lines = [list(result.lines) for result, _ in drafted]
    for indices in periods.values():
        places = [(u, i) for u in indices for i, a in enumerate(drafted[u][1]) if a is not None]
        requests = [drafted[u][1][i] for u, i in places]
        outcomes = ledger.apply_period([a for a in requests if a is not None])
        for (u, i), outcome in zip(places, outcomes, strict=True):
            lines[u][i] = _finished(lines[u][i], outcome)
    currency = ledger.currency
    return [
        attrs.evolve(
            result,
            lines=tuple(mine),
            total=Money(_sum((line.amount.amount for line in mine), currency), currency),
        )
        for (result, _), mine in zip(drafted, lines, strict=True)
    ]


def _finished(line: Line, outcome: Limited | NotAssessable) -> Line:
    """A rounded line once its limits are met: trimmed and said so, or not assessable."""
    currency = line.amount.currency
    if isinstance(outcome, NotAssessable):
        return attrs.evolve(
            line,
            status="not assessable",
            amount=_zero(currency),
            derivation=f"{line.derivation}; not assessable: {outcome.reason}",
        )
    derivation = line.derivation
    for limit in outcome.applied:
        derivation += f"; {limit.describe()}"
    amount = outcome.amount
    verb = "deducts" if amount < 0 else "pays"
    derivation += f"; {verb} {wording.money(abs(amount), currency)}"
    return attrs.evolve(
        line, amount=Money(amount, currency), derivation=derivation, limits=outcome.applied
    )


def _illustrative(contract: Contract) -> tuple[tuple[str, str, str], ...]:
    """Everything marked illustrative in any version, once: (kind, name, why), in order."""
    found: dict[tuple[str, str], str] = {}
    if contract.header.illustrative is not None:
        found[(contract.header.kind, contract.header.name)] = contract.header.illustrative
    for version in contract.versions:
        rules = version.rules
        for kind, declarations in (
            ("parameter", rules.parameters), ("cohort", rules.cohorts),
            ("measure", rules.measures), ("comparison", rules.comparisons),
            ("target", rules.targets), ("term", rules.terms), ("limit", rules.limits),
        ):
            for declaration in declarations:
                if declaration.illustrative is not None:
                    found.setdefault((kind, declaration.name), declaration.illustrative)
    return tuple((kind, name, why) for (kind, name), why in found.items())


def whole_figures(
    contract: Contract,
    unit: CohortFigures,
    units: list[CohortFigures],
    states: Mapping[tuple[str, str, str | None], Maturity] | None = None,
) -> CohortFigures | str:
    """Every non-cancelled unit of ``unit``'s cohort rule and area summed, once every period the
    cohort rule declares (and does not cancel) has final figures; else which periods are awaited
    (``units`` holds the final units; ``states`` says when the others will be final)."""
    mine = [
        u for u in units if u.cohort == unit.cohort and u.area == unit.area and u.cancelled is None
    ]
    # a first-N cohort still filling is awaited like one not begun
    filling = [u.period for u in mine if incomplete_block(contract.version_for(u.start).rules, u)]
    present = {u.period for u in mine} - set(filling)
    awaited = [label for label in _expected_periods(contract, unit) if label not in present]
    awaited += [label for label in filling if label not in awaited]
    if awaited:
        return "awaiting " + ", ".join(_awaited(label, unit, states or {}) for label in awaited)
    return pooled_figures(unit, units, whole=True)


def _awaited(
    label: str, unit: CohortFigures, states: Mapping[tuple[str, str, str | None], Maturity]
) -> str:
    """``cohort 2 (final on 2015-12-31)``: an awaited period, with when it will be final."""
    state = states.get((unit.cohort, label, unit.area))
    if state is None or state.final:
        return label
    if state.state == "not started":
        return f"{label} (not started)"
    if state.mature_on is None:
        return f"{label} (still filling)"
    return f"{label} (final on {state.mature_on.isoformat()})"


def incomplete_block(rules: Rules, unit: CohortFigures) -> str | None:
    """Why ``unit`` is not assessed yet when it is a first-N cohort holding fewer than N
    (treated) index events: the last block of a series that is still filling. Paying on it
    would pay on a cohort that is not complete; None for every other unit."""
    cohort = rules.cohort(unit.cohort)
    if cohort is None or not re.fullmatch(r"cohort \d+", unit.period):
        return None
    for rule in cohort.periods:
        if isinstance(rule, Blocks) and rule.end is None and unit.treatment.offenders < rule.size:
            return (
                f"{unit.period} holds {unit.treatment.offenders:,} of its {rule.size:,} index "
                "events: a first-N cohort is assessed once it is complete"
            )
    return None


def _expected_periods(contract: Contract, unit: CohortFigures) -> list[str]:
    """The labels of the periods a cohort rule declares and does not cancel (in any version)."""
    labels: list[str] = []
    for version in contract.versions:
        cohort = version.rules.cohort(unit.cohort)
        if cohort is None:
            continue
        cancelled = {c.label for c in cohort.cancellations}
        for rule in cohort.periods:
            if isinstance(rule, Blocks) and rule.end is not None:
                continue  # a series that ended has the cohorts its index events filled
            for window in periods.windows(rule, contract.header.contract_years_start):
                if window.label not in cancelled and window.label not in labels:
                    labels.append(window.label)
    return labels


def pool_members(
    unit: CohortFigures, units: list[CohortFigures], whole: bool = False
) -> list[CohortFigures]:
    """The non-cancelled units of ``unit``'s cohort rule and area so far (in cohort order: those
    starting earlier, and ``unit`` itself), or all of them."""
    so_far = units if whole else units[: units.index(unit) + 1]
    return [
        u for u in so_far if u.cohort == unit.cohort and u.area == unit.area and u.cancelled is None
    ]


def pooled_figures(
    unit: CohortFigures, units: list[CohortFigures], whole: bool = False
) -> CohortFigures:
    """``unit``'s figures summed with every non-cancelled unit of its cohort rule and area so far
    (in cohort order: those starting earlier, and ``unit`` itself), or with all of them."""
    pool = pool_members(unit, units, whole)
    labels = [u.period for u in pool]
    label = f"{len(pool)} cohorts ({', '.join(labels)})" if len(pool) != 1 else labels[0]
    controls = [u.control for u in pool]
    control = None if any(c is None for c in controls) else _sum_groups([c for c in controls if c])
    return CohortFigures(
        unit.cohort,
        label,
        min(u.start for u in pool),
        max(u.end for u in pool),
        _sum_groups([u.treatment for u in pool]),
        control,
        unit.area,
    )


def _sum_groups(groups: list[GroupFigures]) -> GroupFigures:
    names = sorted({name for g in groups for name in g.counts})
    counts = {}
    for name in names:
        if all(name in g.counts for g in groups):
            counts[name] = MeasureCounts(
                sum(g.counts[name].reoffenders for g in groups),
                sum(g.counts[name].reoffences for g in groups),
            )
    predicted: Fraction | None = None
    if all(g.predicted is not None for g in groups):
        predicted = sum((g.predicted for g in groups if g.predicted is not None), Fraction(0))
    return GroupFigures(sum(g.offenders for g in groups), counts, predicted)


def _year_totals(results: list[UnitResult], currency: str) -> tuple[YearTotal, ...]:
    years = sorted({r.contract_year for r in results}, key=lambda y: (y is not None, y or 0))
    return tuple(
        YearTotal(
            year,
            Money(
                _sum((r.total.amount for r in results if r.contract_year == year), currency),
                currency,
            ),
        )
        for year in years
    )


def _zero(currency: str) -> Money:
    return Money(to_decimal(Fraction(0), minor_digits(currency)), currency)


def _sum(amounts: Iterable[Decimal], currency: str) -> Decimal:
    total = sum((Fraction(a) for a in amounts), Fraction(0))
    return to_decimal(total, minor_digits(currency))
