"""Shape checks: the contract has its essentials, its dates are possible, its tiers neither
overlap nor leave gaps, money that can fall between pennies has a rounding rule, and statistical
and offender-mix clauses stand on measures that support them."""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import assert_never

from pbrrules import rules
from pbrrules.errors import Diagnostic, Span
from pbrrules.rules import periods
from pbrrules.values import Quantity, Unit

Section = tuple[rules.VariationStart | None, Sequence[rules.Declaration]]



def check(contract: rules.Contract, sections: Sequence[Section]) -> Iterator[Diagnostic]:
    """Missing essentials, impossible dates, tiers, rounding, significance and adjustment."""
    header = contract.header
    yield from _essentials(contract)
    yield from _variation_dates(contract, sections)
    for version in contract.versions:
        for cohort in version.rules.cohorts:
            yield from _cohort_dates(cohort)
        for parameter in version.rules.parameters:
            yield from _table(parameter, header)
        yield from _measures(version.rules)
        for term in version.rules.terms:
            yield from _bands(term, version.rules)
            yield from _tied(version.rules, term)
        yield from _rounding(version.rules)
        yield from negative_amounts(version.rules)
        yield from _years_needed(version.rules, header)
    yield from _examples(contract)


def _diagnostic(code: str, message: str, span: Span, help: str | None = None,
                clause: str | None = None) -> Diagnostic:
    return Diagnostic(code, message, span, help=help, clause=clause)


def _essentials(contract: rules.Contract) -> Iterator[Diagnostic]:
    header = contract.header
    if header.kind == "variation":
        return
    first = contract.rules
    span = Span(header.span.line, header.span.column, header.span.line, header.span.column + 8,
                header.span.source)
    needs = [
        (first.cohorts, "cohort", "'cohort offenders:' with 'eligible when ...' and "
         "'quarterly from ... to ...' lines"),
        # an evaluator's estimated comparison stands for a measure (a contract paid on
        # impact estimates alone measures nothing itself)
        (first.measures or [c for c in first.comparisons if c.estimate is not None], "measure",
         "'measure rate:' with a 'binary rate of offenders' line"),
        (first.terms, "term", "'term reward:' with a 'pay ...' line"),
    ]
    for found, what, example in needs:
        if not found:
            yield _diagnostic("PBR120", f"the {header.kind} has no {what}", span,
                              help=f"a {header.kind} needs at least one {what}, e.g. {example}")
    if header.currency is None:
        yield _diagnostic("PBR120", f"the {header.kind} does not say its currency", span,
                          help="add a header line such as: currency GBP")
    if header.effective_from is not None:
        yield _diagnostic(
            "PBR009",
            f"a {header.kind} does not take effect for later cohorts; only a variation does",
            span,
            help="remove 'effective for cohorts from ...', or write the change as a variation",
        )


def _variation_dates(contract: rules.Contract, sections: Sequence[Section]) -> Iterator[Diagnostic]:
    start = contract.header.contract_years_start
    for marker, _ in sections[1:]:
        if marker is not None and start is not None and marker.effective_from <= start:
            yield _diagnostic(
                "PBR211",
                f"the variation '{marker.name}' takes effect on {marker.effective_from}, not after "
                f"the contract starts ({start})",
                marker.span,
                help="a variation changes terms for later cohorts; change the contract itself "
                "instead",
                clause=marker.clause,
            )


def _cohort_dates(cohort: rules.Cohort) -> Iterator[Diagnostic]:
    for rule in cohort.periods:
        end = getattr(rule, "end", None)
        if end is not None and end < rule.start:
            yield _diagnostic(
                "PBR211",
                f"a period of cohort '{cohort.name}' ends ({end}) before it starts ({rule.start})",
                rule.span,
                help="write the first index date, then the last",
                clause=cohort.clause,
            )
        if isinstance(rule, rules.Quarterly) and rule.start != periods.quarter_start(rule.start):
            yield _diagnostic(
                "PBR211",
                f"quarterly cohorts start on the first day of a quarter, not {rule.start}",
                rule.span,
                help=f"start on {periods.quarter_start(rule.start)}, or use a named period",
                clause=cohort.clause,
            )
    labels: dict[str, Span] = {}
    for rule in cohort.periods:
        for window in periods.windows(rule, None):
            if window.label in labels:
                yield _diagnostic("PBR124", f"cohort '{cohort.name}' has two periods called "
                                  f"'{window.label}'", rule.span,
                                  help="periods of one cohort must not overlap",
                                  clause=cohort.clause)
            labels[window.label] = rule.span
    for cancellation in cohort.cancellations:
        if cancellation.label not in labels and not any(
            isinstance(rule, rules.Blocks) and rule.limit is None for rule in cohort.periods
        ):
            yield _diagnostic(
                "PBR123",
                f"cohort '{cohort.name}' has no period '{cancellation.label}' to cancel",
                cancellation.span,
                help="known periods: " + ", ".join(sorted(labels)) if labels else None,
                clause=cancellation.clause,
            )


def _table(parameter: rules.Parameter, header: rules.Header) -> Iterator[Diagnostic]:
    want = {"area": "key", "cohort": "key", "contract year": "year", None: None}[parameter.keyed_by]
    seen: dict[object, Span] = {}
    dated: list[rules.Row] = []
    for row in parameter.rows:
        if row.effective is not None:
            dated.append(row)
            continue
        kind = "key" if row.key is not None else "year"
        if kind != want:
            expected = {"key": f'"NAME": value rows (one per {parameter.keyed_by})',
                        "year": "'contract year N: value' rows", None: "no table rows"}[want]
            yield _diagnostic(
                "PBR125",
                f"this row does not fit the parameter '{parameter.name}'",
                row.span,
                help=f"'{parameter.name}' is declared "
                + (f"by {parameter.keyed_by}" if parameter.keyed_by else "as a single value")
                + f", so it takes {expected}",
                clause=parameter.clause,
            )
        marker = row.key if row.key is not None else row.year
        if marker in seen:
            yield _diagnostic("PBR125", f"'{parameter.name}' gives {marker!r} twice", row.span,
                              help=f"the first is at line {seen[marker].line}",
                              clause=parameter.clause)
        seen[marker] = row.span
    for earlier, later in itertools.pairwise(dated):
        if later.effective is not None and earlier.effective is not None and \
                later.effective <= earlier.effective:
            yield _diagnostic("PBR211", f"the values of '{parameter.name}' are not in date order",
                              later.span, help="list 'from DATE' rows from the earliest",
                              clause=parameter.clause)
    if parameter.keyed_by == "contract year" and header.contract_years_start is None:
        yield _diagnostic("PBR126", f"'{parameter.name}' is given by contract year, but the "
                          "contract does not say when its years start", parameter.span,
                          help="add a header line: contract years start YYYY-MM-DD",
                          clause=parameter.clause)


def _measures(version: rules.Rules) -> Iterator[Diagnostic]:
    for measure in version.measures:
        if measure.adjustment is not None and measure.kind != "binary":
            yield _diagnostic("PBR207", f"'{measure.name}' adjusts a frequency for offender mix",
                              measure.adjustment.span,
                              help="offender-mix adjustment applies to binary rates",
                              clause=measure.clause)
        yield from _disposals(measure)
        if measure.follow_up.amount <= 0:
            yield _diagnostic("PBR211", f"the follow-up of '{measure.name}' is empty",
                              measure.span, help="write, e.g., follow-up 12 months",
                              clause=measure.clause)
        for what, duration in (("follow-up", measure.follow_up),
                               ("waiting period", measure.waiting)):
            days = duration.amount if duration.unit == "days" else 31 * (duration.months() or 0)
            if days > 31 * 12 * 10:
                yield _diagnostic(
                    "PBR211", f"the {what} of '{measure.name}' is longer than ten years",
                    measure.span, help="follow-up and waiting periods are counted in months; "
                    "check the number", clause=measure.clause)
        yield from _outcome_lines(measure)
        if measure.kind == "per_offenders" and measure.per <= 0:
            yield _diagnostic("PBR201", f"'{measure.name}' counts per {measure.per} offenders",
                              measure.span, help="write, e.g., frequency per 100 offenders",
                              clause=measure.clause)
    for target in version.targets:
        if target.significance is None:
            continue
        comparison = version.comparison(target.comparison)
        tested = version.measure(comparison.measure) if comparison else None
        if tested is not None and tested.kind != "binary":
            yield _diagnostic("PBR207", f"'{target.name}' tests the significance of a frequency",
                              target.significance.span,
                              help="the significance test is defined for binary rates "
                              "(docs/significance.md)", clause=target.clause)


def _outcome_lines(measure: rules.Measure) -> Iterator[Diagnostic]:
    """Lines that do not apply to what a measure counts (PBR232): proof by disposal and breaches
    belong to offences; a window starting after the index date to the other outcomes (an
    offence's window, waiting period and accounting start on the index date). A window in
    quarters starts with the first quarter after the index date's own (PBR211)."""
    counted = rules.COUNTING_WORDS[measure.counting]
    if measure.counting in rules.OFFENCE_COUNTING:
        if measure.starts_after is not None:
            yield _diagnostic(
                "PBR232", f"'{measure.name}' counts {counted} in a window that starts after the "
                "index date", measure.span, help="a window starting after the index date is for "
                "arrests, custody days and quarters; proven offences are counted from the index "
                "date (write, e.g., follow-up 12 months)", clause=measure.clause)  # fmt: skip
    else:
        for line, words in (("proven_by", "proven by"), ("breaches", "breaches")):
            if line in measure.written:
                yield _diagnostic(
                    "PBR232", f"'{measure.name}' counts {counted}: '{words}' applies to proven "
                    "offences only", measure.span, help=f"remove the '{words}' line: {counted} "
                    "need no disposal to prove them", clause=measure.clause)  # fmt: skip
    if measure.quarters and measure.starts_after is not None and \
            (measure.starts_after.months() or 0) < 3:
        yield _diagnostic(
            "PBR211", f"the window of '{measure.name}' starts with quarter 0, the index date's "
            "own quarter", measure.span, help="quarters are counted from the first full quarter "
            "after the index date's: write, e.g., follow-up quarters 1 to 4 after the index date",
            clause=measure.clause)  # fmt: skip


def _disposals(measure: rules.Measure) -> Iterator[Diagnostic]:
    """A disposal type one letter from a standard one is a typo that would count nothing."""
    for disposal in measure.proven_by:
        if disposal in rules.STANDARD_DISPOSAL_TYPES:
            continue
        close = difflib.get_close_matches(disposal, rules.STANDARD_DISPOSAL_TYPES, n=1,
                                          cutoff=0.75)
        if close:
            yield _diagnostic(
                "PBR215",
                f"'{measure.name}' is proven by '{disposal}', which is not a disposal type of the "
                "outcome-record standard",
                measure.span,
                help=f"did you mean '{close[0]}'? (the standard's types: "
                + ", ".join(rules.STANDARD_DISPOSAL_TYPES) + ")",
                clause=measure.clause,
            )
    if measure.counting == "events" and any(d != "conviction" for d in measure.proven_by):
        yield _diagnostic(
            "PBR215",
            f"'{measure.name}' counts reconviction events, which are court sittings that convict, "
            "but is proven by " + ", ".join(measure.proven_by),
            measure.span,
            help="write 'proven by conviction' (a caution is no reconviction event), or count "
            "proven offences",
            clause=measure.clause,
        )


def stated_value(ref: rules.ValueRef | None, version: rules.Rules) -> Fraction | None:
    """A bound's value where the contract states it (a literal, or a parameter's one value);
    None for a formula, a value by contract year or area, or no bound."""
    if isinstance(ref, rules.Literal_) and isinstance(ref.value, Quantity):
        return ref.value.value
    if isinstance(ref, rules.Name):
        parameter = version.parameter(ref.name)
        if parameter is not None and isinstance(parameter.value, Quantity):
            return parameter.value.value
    return None


def _bands(term: rules.Term, version: rules.Rules) -> Iterator[Diagnostic]:
    bounds: list[tuple[rules.ValueRef | None, rules.ValueRef | None, Span]]
    match term.amount:
        case rules.Banded(bands=bands):
            bounds = [(b.lower, b.upper, b.span) for b in bands]
            what = "band"
        case rules.SavingsShare(shares=shares):
            zero = rules.Literal_(Quantity(Fraction(0), Unit.PERCENTAGE))
            bounds = [(s.lower or zero, s.upper, s.span) for s in shares]
            what = "share"
        case (rules.Fixed() | rules.PerOffender() | rules.PerUnitOf() | rules.ShareOfValue()
              | rules.PerCounted()):
            return
        case _:
            assert_never(term.amount)
    ranges = [
        (stated_value(low, version), stated_value(high, version), span)
        for low, high, span in bounds
    ]
    if any((low is not None and lo is None) or (high is not None and hi is None)
           for (low, high, _), (lo, hi, _) in zip(bounds, ranges, strict=True)):
        return  # a bound without a known value (a template parameter): nothing to compare
    for low, high, span in ranges:
        if low is not None and high is not None and high <= low:
            yield _diagnostic("PBR209", f"a {what} of '{term.name}' ends before it starts", span,
                              help="write 'from LOWER below UPPER' with LOWER < UPPER",
                              clause=term.clause)
    ordered = sorted(ranges, key=lambda r: (r[0] is not None, r[0] or 0))
    for (low1, high1, _), (low2, _, span2) in itertools.pairwise(ordered):
        if high1 is None or low2 is None or (low1 is not None and high1 <= low1):
            if high1 is None:
                yield _diagnostic("PBR209", f"{what}s of '{term.name}' overlap", span2,
                                  help="an open-ended band must be the last",
                                  clause=term.clause)
            continue
        if low2 < high1:
            yield _diagnostic("PBR209", f"{what}s of '{term.name}' overlap", span2,
                              help=f"this {what} starts below where the previous one ends",
                              clause=term.clause)
        elif low2 > high1:
            yield _diagnostic("PBR210", f"{what}s of '{term.name}' leave a gap", span2,
                              help=f"an improvement between the two {what}s would match none; "
                              f"start this {what} where the previous one ends",
                              clause=term.clause)


def _tied(version: rules.Rules, term: rules.Term) -> Iterator[Diagnostic]:
    """A term must name a comparison or target, so it is known which cohorts it pays on."""
    if isinstance(term.amount, rules.PerUnitOf | rules.Banded | rules.SavingsShare
                  | rules.PerCounted):
        return
    if term.when is None:
        yield _diagnostic(
            "PBR121",
            f"term '{term.name}' says neither when it pays nor which comparison it pays on",
            term.span,
            help="add a line such as: when TARGET",
            clause=term.clause,
        )


def _money_exact(ref: rules.ValueRef) -> bool:
    if isinstance(ref, rules.Literal_) and isinstance(ref.value, Quantity):
        return (ref.value.value * 100).denominator == 1
    return True


def _rounding(version: rules.Rules) -> Iterator[Diagnostic]:
    yield from _rounding_effect(version.rounding)
    if version.rounding is not None and version.rounding.rule_for("payments") is not None:
        return
    for term in version.terms:
        if _needs_rounding(term.amount):
            yield _diagnostic(
                "PBR212",
                f"term '{term.name}' can pay a fraction of a penny, and the contract does not say "
                "how payments are rounded",
                term.amount.span,
                help="add a declaration 'rounding:' with a line 'payments to 2 decimal places, "
                "half up'",
                clause=term.clause,
            )
            return


def _rounding_effect(rounding: rules.Rounding | None) -> Iterator[Diagnostic]:
    """A rounding rule that would change nothing is a misunderstanding worth pointing out."""
    for rule in rounding.rules if rounding is not None else ():
        if rule.subject == "payments" and rule.before_comparison:
            yield _diagnostic("PBR213", "payments are not compared, so 'before comparison' means "
                              "nothing for them", rule.span,
                              help="write: payments to 2 decimal places, half up",
                              clause=rounding.clause if rounding else None)
        elif rule.subject != "payments" and not rule.before_comparison:
            yield _diagnostic(
                "PBR213",
                f"rounding {rule.subject} changes nothing unless it is done before comparison",
                rule.span,
                help=f"write: {rule.subject} to {rule.places} decimal "
                f"{'place' if rule.places == 1 else 'places'}, {rule.mode_written or rule.mode} "
                "before comparison (statements always show exact values beside rounded ones)",
                clause=rounding.clause if rounding else None,
            )


def negative_amounts(version: rules.Rules) -> Iterator[Diagnostic]:
    """Money, improvement caps and thresholds that are (or may be, through a parameter, a row of
    its table, a worked-out formula or a ``set``) negative, where only a positive sum or size
    makes sense: a negative price would escape every cap, a negative cap flips the sign."""
    for term in version.terms:
        refs = list(_money_refs(term.amount))
        if term.improvement_cap is not None:
            refs.append((term.improvement_cap, "the improvement cap"))
        for ref, what in refs:
            if (shown := _negative(ref, version)) is not None:
                yield _diagnostic(
                    "PBR214", f"{what} of '{term.name}' is negative{shown}", ref.span,
                    help="write amounts and caps as positive sizes; 'deduct' makes a line a "
                    "deduction",
                    clause=term.clause)
    for limit in version.limits:
        if (shown := _negative(limit.amount, version)) is not None:
            yield _diagnostic("PBR214", f"the {limit.kind} '{limit.name}' is negative{shown}",
                              limit.amount.span,
                              help=f"a {limit.kind} is the most that may be "
                              f"{'paid' if limit.kind == 'cap' else 'deducted'}: a positive sum",
                              clause=limit.clause)
        rate = limit.investor_return.rate if limit.investor_return else None
        if rate is not None and (shown := _negative(rate, version)) is not None:
            yield _diagnostic("PBR214", f"the return of '{limit.name}' is negative{shown}",
                              rate.span, help="a return is a positive yearly rate",
                              clause=limit.clause)
    for target in version.targets:
        if (shown := _negative(target.threshold, version)) is not None and target.threshold:
            other = "increase" if target.direction == "reduction" else "reduction"
            yield _diagnostic("PBR214", f"the threshold of '{target.name}' is negative{shown}",
                              target.threshold.span,
                              help=f"a threshold is the least {target.direction} that meets the "
                              f"target: a positive size (for the other direction write "
                              f"'{other} in ...')",
                              clause=target.clause)


def _negative(ref: rules.ValueRef | None, version: rules.Rules) -> str | None:
    """None when every value ``ref`` can stand for is non-negative; else how it is negative
    ("" for a literal, "(parameter p is -£10,000)" for a parameter or one of its rows)."""
    if isinstance(ref, rules.Literal_):
        value = ref.value
        return "" if isinstance(value, Quantity) and value.value < 0 else None
    if isinstance(ref, rules.Name):
        parameter = version.parameter(ref.name)
        if parameter is None:
            return None
        if isinstance(parameter.value, Quantity) and parameter.value.value < 0:
            return f" (parameter '{parameter.name}' is negative)"
        for row in parameter.rows:
            if isinstance(row.value, Quantity) and row.value.value < 0:
                return f" (parameter '{parameter.name}' is negative in {_row_words(row)})"
    return None


def _row_words(row: rules.Row) -> str:
    if row.key is not None:
        return f'its row "{row.key}"'
    if row.year is not None:
        return f"contract year {row.year}"
    return f"its value from {row.effective.isoformat() if row.effective else '?'}"


def _money_refs(amount: rules.Amount) -> Iterator[tuple[rules.ValueRef, str]]:
    match amount:
        case rules.Fixed(amount=ref):
            yield ref, "the amount"
        case (rules.PerOffender(price=ref) | rules.PerUnitOf(price=ref)
              | rules.PerCounted(price=ref)):
            yield ref, "the price"
        case rules.Banded(bands=bands):
            for band in bands:
                yield from _money_refs(band.amount)
        case rules.SavingsShare(valued_at=ref):
            yield ref, "the value of savings"
        case rules.ShareOfValue():  # a share of a named value: no money literal of its own
            pass
        case _:
            assert_never(amount)


def _needs_rounding(amount: rules.Amount) -> bool:
    match amount:
        case rules.Fixed(amount=ref):
            return not _money_exact(ref)
        case rules.PerOffender(price=ref) | rules.PerCounted(price=ref):
            return not _money_exact(ref)
        case rules.Banded(bands=bands):
            return any(_needs_rounding(band.amount) for band in bands)
        case rules.PerUnitOf() | rules.ShareOfValue() | rules.SavingsShare():
            return True  # a price times a measured change, or a share: pennies are possible
        case _:
            assert_never(amount)


def _years_needed(version: rules.Rules, header: rules.Header) -> Iterator[Diagnostic]:
    if header.contract_years_start is not None:
        return
    for limit in version.limits:
        if limit.scope == "contract year":
            yield _diagnostic("PBR126", f"the {limit.kind} '{limit.name}' applies per contract "
                              "year, but the contract does not say when its years start",
                              limit.span, help="add a header line: contract years start YYYY-MM-DD",
                              clause=limit.clause)


def _examples(contract: rules.Contract) -> Iterator[Diagnostic]:
    labels = {
        window.label
        for version in contract.versions
        for cohort in version.rules.cohorts
        for window in periods.cohort_windows(cohort, contract.header.contract_years_start)
    }
    open_blocks = any(
        isinstance(rule, rules.Blocks) and rule.limit is None
        for version in contract.versions for cohort in version.rules.cohorts
        for rule in cohort.periods
    )
    for example in contract.examples:
        named = [(g.period, g.span) for g in example.givens
                 if isinstance(g, rules.GivenFigures | rules.GivenImpact)]
        named += [(e.period, e.span) for e in example.expectations if e.period is not None]
        for label, span in named:
            if label in labels or (open_blocks and label.startswith("cohort ")):
                continue
            close = sorted(labels)[:6]
            yield _diagnostic(
                "PBR122",
                f"the example '{example.name}' names the period '{label}', which no cohort has",
                span,
                help="known periods include: " + ", ".join(close) if close else None,
                clause=example.clause,
            )
