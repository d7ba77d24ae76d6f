"""SourceFile -> contract text in the canonical layout (``pbr-eval fmt``), keeping every comment.

The printer writes each declaration from its typed rules, so the output always compiles to equal
rules. Comments are not part of the rules: they are found in the original text and put back
beside the line whose rule started on the line the comment stood on (a comment at the end of a
line) or before the next line that follows it (a comment on a line of its own).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from fractions import Fraction
from typing import assert_never

from pbrrules import rules
from pbrrules.compiler.resolve import load_source
from pbrrules.errors import Span, source_lines
from pbrrules.formatter.comments import Line, find_comments, place_comments
from pbrrules.rules.measures import default_proven_by, default_waiting
from pbrrules.values import CURRENCY_SYMBOLS, Duration, Quantity, Unit, Value

INDENT = "  "
_CLAUSE = re.compile(
    r"(clause|clauses|schedule|annex|section|paragraph|para)[ \t]+[A-Za-z0-9][A-Za-z0-9.\-]*",
    re.IGNORECASE,
)


def format_text(text: str, path: str = "<contract>") -> str:
    """The contract in canonical layout, with its comments; raises ContractError if invalid."""
    source = load_source(text, path)
    blank = {number for number, line in enumerate(source_lines(text), start=1) if not line.strip()}
    return place_comments(list(_file(source, blank)), find_comments(text))


def unparse(source: rules.SourceFile) -> str:
    """The file's rules as canonical contract text, without comments."""
    return "\n".join(line.text for line in _file(source, None)).rstrip() + "\n"


def declaration_text(declaration: rules.Declaration) -> str:
    """One declaration as canonical contract text (its lines, without comments): how a diff
    or a hover shows it."""
    return "\n".join(line.text for line in _declaration(declaration))


# -- declarations ---------------------------------------------------------------------------------


def _span_lines(span: Span) -> tuple[int, int]:
    return span.line, span.end_line


#: Declarations a lawyer lists like the rows of a schedule: a run of them may stay together.
_LISTED = (rules.Parameter, rules.SetValue, rules.Comparison, rules.Limit, rules.Removal)


def _file(source: rules.SourceFile, blank: set[int] | None) -> Iterator[Line]:
    """The header, then each declaration after a blank line. Runs of parameters, values set,
    comparisons, caps and removals stay together where the author kept them together (with no
    blank line between them); without the original text, one-line ones of one kind do."""
    yield from _header(source.header)
    previous: tuple[rules.Declaration, int] | None = None
    for declaration in source.declarations:
        lines = list(_declaration(declaration))
        if previous is None or not _together(previous, declaration, len(lines), blank):
            yield Line("", 0, 0)
        yield from lines
        previous = (declaration, len(lines))


def _together(
    previous: tuple[rules.Declaration, int], declaration: rules.Declaration, length: int,
    blank: set[int] | None,
) -> bool:
    before, before_length = previous
    if not (isinstance(before, _LISTED) and isinstance(declaration, _LISTED)):
        return False
    if blank is None:
        return type(before) is type(declaration) and before_length == length == 1
    between = range(before.span.end_line + 1, declaration.span.line)
    return not any(number in blank for number in between)


def _header(header: rules.Header) -> Iterator[Line]:
    line, last = _span_lines(header.span)
    title = {
        "contract": f"contract {_q(header.name)}"
        + (f" based on {_q(header.based_on)}" if header.based_on else ""),
        "template": f"template {_q(header.name)}",
        "variation": f"variation {_q(header.name)} amends {_q(header.amends or '')}",
    }[header.kind]
    yield Line(title, line, line)
    items: list[str] = []
    items += [f"version {_q(header.version)}"] if header.version is not None else []
    items += [f"payer {_q(header.payer)}"] if header.payer is not None else []
    items += [f"provider {_q(header.provider)}"] if header.provider is not None else []
    items += [f"currency {header.currency}"] if header.currency is not None else []
    if header.contract_years_start is not None:
        items.append(f"contract years start {header.contract_years_start}")
    items += [f"amended by {_q(path)}" for path in header.amended_by]
    if header.effective_from is not None:
        items.append(f"effective for cohorts from {header.effective_from}")
    if header.clause is not None:
        items.append(_ref(header.clause))
    if header.illustrative is not None:
        items.append(f"illustrative {_q(header.illustrative)}")
    for item in items:
        yield Line(INDENT + item, line + 1, last)


def _declaration(declaration: rules.Declaration) -> Iterator[Line]:
    """The declaration's lines, then its ``illustrative "why"`` line if it has one."""
    lines = list(_lines(declaration))
    yield from lines
    illustrative = getattr(declaration, "illustrative", None)
    if illustrative is not None and not isinstance(declaration, rules.Parameter | rules.SetValue):
        last = lines[-1].last if lines else 0
        yield Line(INDENT + f"illustrative {_q(illustrative)}", last, last)


def _lines(declaration: rules.Declaration) -> Iterator[Line]:
    match declaration:
        case rules.Parameter() | rules.SetValue():
            yield from _parameter(declaration)
        case rules.Cohort():
            yield from _cohort(declaration)
        case rules.Measure():
            yield from _measure(declaration)
        case rules.Comparison(estimate=rules.Estimate() as estimate):
            yield _one(declaration.span, f"comparison {declaration.name}{_sref(declaration.clause)}"
                       f": estimated impact on {estimate.cohort} in "
                       f"{_IMPROVEMENT[declaration.unit]} as {_impacts(estimate)}")
        case rules.Comparison():
            yield _one(declaration.span, f"comparison {declaration.name}{_sref(declaration.clause)}"
                       f": {declaration.measure} against {_comparator(declaration.comparator)} in "
                       f"{_IMPROVEMENT[declaration.unit]}")
        case rules.Target():
            yield from _target(declaration)
        case rules.Term():
            yield from _term(declaration)
        case rules.Limit():
            terms = ", ".join(declaration.terms) if declaration.terms else "all terms"
            yield _one(declaration.span, f"{declaration.kind} {declaration.name}"
                       f"{_sref(declaration.clause)}: {terms}{_limit_party(declaration)} at most "
                       f"{_vref(declaration.amount)}{_investor_return(declaration)} "
                       f"{_SCOPE[declaration.scope]}")
            split = _split(declaration)
            if split:
                yield _item(declaration.span, split)
        case rules.Rounding():
            yield _one(declaration.span, f"rounding{_sref(declaration.clause)}:")
            for rule in declaration.rules:
                places = "place" if rule.places == 1 else "places"
                before = " before comparison" if rule.before_comparison else ""
                yield _item(rule.span, f"{rule.subject} to {rule.places} decimal {places}, "
                            f"{rule.mode_written or rule.mode}{before}")
        case rules.Example():
            yield from _example(declaration)
        case rules.VariationStart():
            yield _one(declaration.span, f"variation {_q(declaration.name)} effective for cohorts "
                       f"from {declaration.effective_from}{_sref(declaration.clause)}:")
        case rules.Removal():
            kind = "cap" if declaration.kind == "limit" else declaration.kind
            yield _one(declaration.span, f"remove {kind} {declaration.name}"
                       f"{_sref(declaration.clause)}")
        case _:
            assert_never(declaration)


def _split(limit: rules.Limit) -> str:
    """``shared in order "North", adults``, ``shared pro rata`` when written, else nothing."""
    if limit.order:
        keys = [_q(key.name) if key.kind == "area" else key.name for key in limit.order]
        return "shared in order " + ", ".join(keys)
    return "shared pro rata" if limit.pro_rata_written else ""


def _one(span: Span, text: str) -> Line:
    return Line(text, span.line, span.line)


def _item(span: Span, text: str) -> Line:
    return Line(INDENT + text, span.line, span.end_line)


def _parameter(p: rules.Parameter | rules.SetValue) -> Iterator[Line]:
    if isinstance(p, rules.Parameter):
        head = f"parameter {p.name}: {p.type}"
        head += f" by {p.keyed_by}" if p.keyed_by else ""
    else:
        head = f"set {p.name}"
    if p.value is not None:
        head += f" = {_value(p.value)}"
    elif isinstance(p, rules.Parameter) and p.formula:
        terms = [f"{'- ' if sign == '-' else '+ '}{_vref(ref)}" for sign, ref in p.formula]
        first = terms[0][2:] if p.formula[0][0] == "+" else terms[0]
        head += " = " + " ".join([first, *terms[1:]])
    yield Line(head + _sref(p.clause), p.span.line, p.span.line)
    for row in p.rows:
        if row.key is not None:
            label = _q(row.key)
        elif row.year is not None:
            label = f"contract year {row.year}"
        else:
            label = f"from {row.effective}"
        yield _item(row.span, f"{label}: {_value(row.value)}")
    if p.illustrative is not None:
        yield Line(INDENT + f"illustrative {_q(p.illustrative)}", p.span.end_line,
                    p.span.end_line)


def _cohort(c: rules.Cohort) -> Iterator[Line]:
    yield _one(c.span, f"cohort {c.name}{_sref(c.clause)}:")
    if c.eligible is not None:
        yield _item(_cspan(c.eligible),
                    f"eligible when {_condition(c.eligible)}{_sref(c.eligible_clause)}")
    for exclusion in c.exclusions:
        yield _item(exclusion.span, f"exclude when {_condition(exclusion.when)} because "
                    f"{_q(exclusion.reason)}{_sref(exclusion.clause)}")
    for period in c.periods:
        yield _item(period.span, _period(period))
    for cancellation in c.cancellations:
        yield _item(cancellation.span, f"cancel period {_q(cancellation.label)} because "
                    f"{_q(cancellation.reason)}{_sref(cancellation.clause)}")
    if c.grouped_by is not None:
        yield Line(INDENT + f"grouped by {c.grouped_by}", c.span.end_line, c.span.end_line)
    if c.control_group is not None:
        yield _item(_cspan(c.control_group), f"control group when {_condition(c.control_group)}")
    if not c.deduplicate:
        yield Line(INDENT + "every index event counts", c.span.end_line, c.span.end_line)


def _cspan(condition: rules.Condition) -> Span:
    return condition.span


def _period(period: rules.PeriodRule) -> str:
    match period:
        case rules.Quarterly(start=start, end=end):
            return f"quarterly from {start} to {end}"
        case rules.ContractYears(start=start, end=end):
            return f"contract years from {start} to {end}"
        case rules.NamedPeriod(label=label, start=start, end=end):
            return f"period {_q(label)} from {start} to {end}"
        case rules.Blocks(size=size, start=start, limit=limit, end=end):
            most = f", at most {limit} cohorts" if limit is not None else ""
            until = f" to {end}" if end is not None else ""
            return f"first {size:,} eligible index events from {start}{until}{most}"
        case _:
            assert_never(period)
    raise AssertionError(period)  # pragma: no cover - PeriodRule is a closed union


_KIND = {"binary": "binary rate", "per_reoffender": "frequency per reoffender"}
_IMPROVEMENT = {"points": "percentage points", "percent": "relative percent",
                "absolute": "absolute terms"}
_SCOPE = {"cohort": "per cohort", "contract year": "per contract year",
          "contract": "over the contract"}


def _impacts(estimate: rules.Estimate) -> str:
    """``80% of rct + 20% of did``, and ``, higher is better`` when it is."""
    parts = " + ".join(
        f"{_vref(part.weight)} of {part.name}" if part.weight is not None else part.name
        for part in estimate.parts
    )
    return parts + (", higher is better" if estimate.direction == "higher" else "")


def _limit_party(limit: rules.Limit) -> str:
    """`` paid by "X"`` / `` paid to "Y"`` of a limit on one party's lines, or nothing."""
    if limit.party is None:
        return ""
    word = "by" if limit.party.role == "payer" else "to"
    return f" paid {word} {_q(limit.party.name)}"


def _investor_return(limit: rules.Limit) -> str:
    """`` plus 12.5% a year compounded for 4 years`` of a cap on investors' return, or nothing."""
    ret = limit.investor_return
    if ret is None:
        return ""
    compounded = " compounded" if ret.compounded else ""
    return f" plus {_vref(ret.rate)} a year{compounded} for {_duration(ret.term)}"


def _measure(m: rules.Measure) -> Iterator[Line]:
    default = rules.Measure("", "binary", "")
    written = set(m.written)
    line = m.span.line
    yield _one(m.span, f"measure {m.name}{_sref(m.clause)}:")
    kind = _KIND.get(m.kind, f"frequency per {m.per} offenders")
    yield _item(m.cohort_span, f"{kind} of {m.cohort}")
    if "counting" in written or m.counting != default.counting:
        yield Line(INDENT + f"counting {rules.COUNTING_WORDS[m.counting]}", line, line)
    if "follow_up" in written or m.follow_up != default.follow_up or m.starts_after is not None:
        yield Line(INDENT + f"follow-up {_window(m)}", line, line)
    if "waiting" in written or m.waiting != default_waiting(m.counting):
        yield Line(INDENT + f"waiting period {_duration(m.waiting)}", line, line)
    if "proven_by" in written or m.proven_by != default_proven_by(m.counting):
        yield Line(INDENT + "proven by " + ", ".join(m.proven_by), line, line)
    if "breaches" in written or m.exclude_breaches != default.exclude_breaches:
        yield Line(INDENT + ("breaches excluded" if m.exclude_breaches else "breaches counted"),
                    line, line)
    if "direction" in written or m.direction != default.direction:
        yield Line(INDENT + f"{m.direction} is better", line, line)
    if m.adjustment is not None:
        yield _item(m.adjustment.span, f"adjusted for offender mix by {m.adjustment.form} "
                    f"against {_vref(m.adjustment.baseline_predicted)}")
    if m.unit is not None:
        yield Line(INDENT + f"unit {_q(m.unit)}", line, line)


def _window(m: rules.Measure) -> str:
    """A measure's follow-up line after ``follow-up``: ``12 months``, ``3 months starting 9
    months after the index date``, ``quarter 4 after the index date`` or ``quarters 1 to 4
    after the index date``."""
    after = "after the index date"
    if m.starts_after is None:
        return _duration(m.follow_up)
    if not m.quarters:
        return f"{_duration(m.follow_up)} starting {_duration(m.starts_after)} {after}"
    first = (m.starts_after.months() or 0) // 3
    last = first + (m.follow_up.months() or 0) // 3 - 1
    return f"quarter {first} {after}" if first == last else f"quarters {first} to {last} {after}"


def _target(t: rules.Target) -> Iterator[Line]:
    yield _one(t.span, f"target {t.name}{_sref(t.clause)}:")
    least = f" of at least {_vref(t.threshold)}" if t.threshold is not None else ""
    yield _item(t.comparison_span, f"{t.direction} in {t.comparison}{least}")
    if t.significance is not None:
        s = t.significance
        critical = f", critical value {_vref(s.critical_value)}" if s.critical_value else ""
        yield _item(s.span, f"significant at {_vref(s.level)} {s.sides}{critical}")
    if t.pooled:
        pooled = "pooled over all cohorts" + ("" if t.all_cohorts else " so far")
        if "pooled so far" in t.written:
            pooled = "pooled so far"  # the short form, as written
        yield Line(INDENT + pooled, t.span.end_line, t.span.end_line)
    elif "pooled" in t.written:
        yield Line(INDENT + "for each cohort", t.span.end_line, t.span.end_line)


def _term(t: rules.Term) -> Iterator[Line]:
    yield _one(t.span, f"term {t.name}{_sref(t.clause)}:")
    if t.when is not None:
        if isinstance(t.when, rules.TriggerNot):
            yield _item(t.when.span, f"unless {_trigger(t.when.operand, 0)}")
        else:
            yield _item(t.when.span, f"when {_trigger(t.when, 0)}")
    verb = "deduct" if t.deduction else "pay"
    yield _item(t.amount.span, f"{verb} {_amount(t.amount)}")
    if t.payer is not None or t.payee is not None:
        by = f" by {_q(t.payer)}" if t.payer is not None else ""
        to = f" to {_q(t.payee)}" if t.payee is not None else ""
        yield _item(t.parties_span, f"paid{by}{to}")
    if t.improvement_cap is not None:
        yield _item(t.improvement_cap.span,
                    f"counting improvement up to {_vref(t.improvement_cap)}")
    if isinstance(t.amount, rules.Banded):
        for band in t.amount.bands:
            low = f" from {_vref(band.lower)}" if band.lower is not None else ""
            high = f" below {_vref(band.upper)}" if band.upper is not None else ""
            yield _item(band.span, f"band{low}{high}: {_amount(band.amount)}")
    if isinstance(t.amount, rules.SavingsShare):
        for share in t.amount.shares:
            low = f" from {_vref(share.lower)}" if share.lower is not None else ""
            yield _item(share.span, f"share {_vref(share.share)} of savings{low} up to "
                        f"{_vref(share.upper)}")


def _amount(amount: rules.Amount) -> str:
    match amount:
        case rules.Fixed(amount=ref):
            return _vref(ref)
        case rules.PerUnitOf(price=price, unit=unit, comparison=comparison):
            return f"{_vref(price)} per {rules.PER_UNIT_WORDS[unit]} of {comparison}"
        case rules.PerOffender(price=price):
            return f"{_vref(price)} per offender"
        case rules.ShareOfValue(share=share, of=of):
            return f"{_vref(share)} of {of}"
        case rules.Banded(comparison=comparison):
            return f"by band of {comparison}"
        case rules.SavingsShare(comparison=comparison, valued_at=valued_at):
            return f"share of savings in {comparison} valued at {_vref(valued_at)}"
        case rules.PerCounted(price=price, what=what, measure=measure):
            return f"{_vref(price)} per {what} counted in {measure}"
        case _:
            assert_never(amount)
    raise AssertionError(amount)  # pragma: no cover - Amount is a closed union


def _connected(word: str, left: str, right: str, level: int) -> str:
    """``left or right`` / ``left and right``, bracketed where the level needs it.

    Levels: 0 a whole condition, 1 an operand of "and", 2 an operand of "not" (or the right of
    "and"). An "and" inside an "or" is bracketed although it binds tighter: a reader should not
    need to know that to read a hurdle right (the operands of "or" are printed at level 2).
    """
    text = f"{left} {word} {right}"
    return f"({text})" if level > (0 if word == "or" else 1) else text


def _trigger(trigger: rules.Trigger, level: int) -> str:
    """Triggers with the fewest brackets: or (0) binds looser than and (1), not (2)."""
    match trigger:
        case rules.TargetMet(target=name):
            return name
        case rules.TermPays(term=name):
            return f"term {name} pays"
        case rules.TriggerAny(left=left, right=right):
            inner = 0 if isinstance(left, rules.TriggerAny) else 2
            return _connected("or", _trigger(left, inner), _trigger(right, 2), level)
        case rules.TriggerAll(left=left, right=right):
            return _connected("and", _trigger(left, 1), _trigger(right, 2), level)
        case rules.TriggerNot(operand=operand):
            return f"not {_trigger(operand, 2)}"
        case _:
            assert_never(trigger)
    raise AssertionError(trigger)  # pragma: no cover - Trigger is a closed union


def _condition(condition: rules.Condition, level: int = 0) -> str:
    match condition:
        case rules.AnyOf(left=left, right=right):
            inner = 0 if isinstance(left, rules.AnyOf) else 2
            return _connected("or", _condition(left, inner), _condition(right, 2), level)
        case rules.AllOf(left=left, right=right):
            return _connected("and", _condition(left, 1), _condition(right, 2), level)
        case rules.Not(operand=operand):
            return f"not {_condition(operand, 2)}"
        case rules.FieldTest(column=column, op=op, value=value, parameter=parameter):
            compared = parameter if parameter is not None else _literal(value)
            words = {"=": "is", "!=": "is not"}.get(op, op)
            return f"{column} {words} {compared}"
        case rules.OneOf(column=column, values=values):
            return f"{column} is one of " + ", ".join(_literal(v) for v in values)
        case rules.Between(column=column, low=low, high=high):
            return f"{column} between {_literal(low)} and {_literal(high)}"
        case rules.Flag(column=column):
            return column
        case _:
            assert_never(condition)
    raise AssertionError(condition)  # pragma: no cover - Condition is a closed union


def _example(e: rules.Example) -> Iterator[Line]:
    yield _one(e.span, f"example {_q(e.name)}{_sref(e.clause)}:")
    if e.as_of is not None:
        yield _item(e.as_of_span, f"as of {e.as_of.isoformat()}")
    for given in e.givens:
        if isinstance(given, rules.GivenValue):
            yield _item(given.span, f"given {given.name} = {_value(given.value)}")
            continue
        if isinstance(given, rules.GivenImpact):
            area = f" in {_q(given.area)}" if given.area is not None else ""
            yield _item(given.span, f"given impact {given.name} {_q(given.period)}{area} = "
                        f"{_value(given.value)}{_sref(given.source)}")
            continue
        control = "control " if given.control else ""
        control += f"{given.cohort} " if given.cohort is not None else ""
        area = f" in {_q(given.area)}" if given.area is not None else ""
        figures = ", ".join(f"{_vref(value)} {_FIGURES[name]}" for name, value in given.figures)
        interim = " provisional" if given.provisional else ""
        area += f" for {given.measure}" if given.measure is not None else ""
        yield _item(given.span, f"given {control}{_q(given.period)}{area}{interim}: {figures}")
    for x in e.expectations:
        where = f" in {_q(x.period)}" if x.period is not None else ""
        where += f" in {_q(x.area)}" if x.area is not None else ""
        yield _item(x.span, _expectation(x) + where)


def _expectation(x: rules.Expectation) -> str:
    match x.kind:
        case "pays":
            return f"expect {x.subject} pays {_vref(x.value)}"
        case "total":
            return f"expect total pays {_vref(x.value)}"
        case "equals":
            return f"expect {x.subject} = {_vref(x.value)}"
        case "met" | "not met" | "not assessable":
            return f"expect {x.subject} is {x.kind}"
        case _:
            assert_never(x.kind)


_FIGURES = {"offenders": "offenders", "reoffenders": "reoffenders", "reoffences": "reoffences",
            "events": "reconviction events", "predicted": "predicted reoffenders"}


# -- values ---------------------------------------------------------------------------------------


def _q(text: str) -> str:
    return f'"{text}"'


def _ref(clause: str) -> str:
    if clause.startswith("source: "):
        return f"(source {_q(clause[len('source: '):])})"
    if _CLAUSE.fullmatch(clause):
        return f"({clause})"
    body = clause[len("clause "):] if clause.startswith("clause ") and \
        not clause[len("clause "):][:1].isalpha() else clause
    return f"(clause {_q(body)})"


def _sref(clause: str | None) -> str:
    return f" {_ref(clause)}" if clause is not None else ""


def _comparator(comparator: rules.Comparator) -> str:
    if isinstance(comparator, rules.ControlGroup):
        return "control group"
    return _vref(comparator)


def _vref(ref: rules.ValueRef | None) -> str:
    if ref is None:
        return ""
    if isinstance(ref, rules.Name):
        return ref.name
    return _value(ref.value)


def _value(value: Value | None) -> str:
    match value:
        case None:
            return ""
        case bool():
            return "yes" if value else "no"
        case datetime.date():
            return value.isoformat()
        case Duration():
            return _duration(value)
        case str():
            return _q(value)
        case Quantity(text=str(written)):
            return written
        case Quantity(value=amount, unit=unit, currency=currency):
            return _quantity(amount, unit, currency)
        case _:
            assert_never(value)
    raise AssertionError(value)  # pragma: no cover - Value is a closed union


def _literal(value: Value) -> str:
    """A value in a condition (quantities there are plain numbers or percentages)."""
    return _value(value)


def _quantity(amount: Fraction, unit: Unit, currency: str | None) -> str:
    sign = "-" if amount < 0 else ""
    magnitude = abs(amount)
    if unit is Unit.MONEY:
        code = currency or "GBP"
        symbol = CURRENCY_SYMBOLS.get(code, f"{code} ")
        return f"{sign}{symbol}{decimal_text(magnitude, group=True)}"
    if unit in (Unit.PERCENTAGE, Unit.RATE, Unit.PERCENT):
        return f"{sign}{decimal_text(magnitude * 100)}%"
    if unit is Unit.POINTS:
        return f"{sign}{decimal_text(magnitude * 100)} percentage points"
    return f"{sign}{decimal_text(magnitude, group=unit is Unit.COUNT)}"


def decimal_text(value: Fraction, group: bool = False) -> str:
    """An exact decimal rendering of a non-negative fraction whose denominator divides a power of
    ten (every literal the language admits); ``group`` puts commas between thousands."""
    places = 0
    while (value.denominator * 1) and (10**places) % value.denominator:
        places += 1
        if places > 60:  # pragma: no cover - literals are decimals, so this cannot happen
            raise AssertionError(value)
    scaled = value.numerator * 10**places // value.denominator
    whole, fraction = divmod(scaled, 10**places) if places else (scaled, 0)
    whole_text = f"{whole:,}" if group else str(whole)
    if not places or not fraction:
        return whole_text
    return f"{whole_text}.{str(fraction).rjust(places, '0').rstrip('0')}"


def _duration(duration: Duration) -> str:
    unit = duration.unit[:-1] if duration.amount == 1 else duration.unit
    return f"{duration.amount} {unit}"
