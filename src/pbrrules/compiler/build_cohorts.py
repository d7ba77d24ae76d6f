"""Build callbacks for cohorts, conditions, measures, comparisons and targets.

Each declaration's body arrives as a list of ``Item`` s; the callback assembles the frozen rule,
reporting a required line that is missing (PBR006) or a line written twice (PBR007).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from attrs import frozen
from lark import Token, v_args
from lark.tree import Meta

from pbrrules import rules
from pbrrules.compiler.build_values import BaseBuild, Item
from pbrrules.errors import Span
from pbrrules.rules.measures import default_proven_by, default_waiting
from pbrrules.syntax import limits, literals
from pbrrules.values import Duration, Value


@frozen
class _Window:
    """A measure's follow-up line: its length, and when it starts after the index date (after
    the index date's quarter's first day, for a window in quarters)."""

    length: Duration
    starts_after: Duration | None = None
    quarters: bool = False


@v_args(inline=True, meta=True)
class CohortBuild(BaseBuild):
    """Callbacks for who is measured and how: cohorts, measures, comparisons, targets."""


    def _missing(self, what: str, owner: str, span: Span, example: str) -> None:
        self._problem(
            "PBR006",
            f"{owner} has no {what}",
            Span(span.line, span.column, span.line, span.column + len(owner.split("'")[0]) + 1,
                 span.source),
            help=f"add a line such as: {example}",
        )

    # -- cohorts --------------------------------------------------------------------------------

    def cohort(self, meta: Meta, name: Token, ref: str | None, *items: Item) -> rules.Cohort:
        owner = f"cohort '{name}'"
        span = self._span(meta)
        allowed = {"eligible", "exclude", "period", "cancel", "grouped_by", "control_group",
                   "keep_duplicates", "illustrative"}
        self._unexpected_items(items, allowed, owner)
        periods = tuple(item.value for item in items if item.kind == "period")
        if not periods:
            self._missing("cohort periods", owner, span, "quarterly from 2015-10-01 to 2016-09-30")
        eligible, eligible_clause = self._single(items, "eligible", "eligible when", owner) or (
            None, None)
        return rules.Cohort(
            name=str(name),
            eligible=eligible,
            eligible_clause=eligible_clause,
            exclusions=tuple(item.value for item in items if item.kind == "exclude"),
            periods=periods,
            cancellations=tuple(item.value for item in items if item.kind == "cancel"),
            grouped_by=self._single(items, "grouped_by", "grouped by", owner),
            control_group=self._single(items, "control_group", "control group when", owner),
            deduplicate=self._single(items, "keep_duplicates", "every index event counts",
                                     owner) is None,
            clause=ref,
            span=span,
            illustrative=self._single(items, "illustrative", "illustrative", owner),
        )

    def eligible(self, meta: Meta, condition: rules.Condition, ref: str | None) -> Item:
        return Item("eligible", (condition, ref), self._span(meta))

    def exclude(
        self, meta: Meta, condition: rules.Condition, reason: Token, ref: str | None
    ) -> Item:
        span = self._span(meta)
        exclusion = rules.Exclusion(condition, literals.unquote(reason), ref, span)
        return Item("exclude", exclusion, span)

    def quarterly(self, meta: Meta, start: Token, end: Token) -> Item:
        span = self._span(meta)
        return Item("period", rules.Quarterly(self._date(start), self._date(end), span), span)

    def yearly(self, meta: Meta, start: Token, end: Token) -> Item:
        span = self._span(meta)
        return Item("period", rules.ContractYears(self._date(start), self._date(end), span), span)

    def named_period(self, meta: Meta, label: Token, start: Token, end: Token) -> Item:
        span = self._span(meta)
        period = rules.NamedPeriod(
            literals.unquote(label), self._date(start), self._date(end), span
        )
        return Item("period", period, span)

    def blocks(
        self, meta: Meta, size: int, start: Token, end: Token | None, limit: int | None
    ) -> Item:
        span = self._span(meta)
        last = self._date(end) if end is not None else None
        if limit is not None:
            most, count = limits.MAX_BLOCKS, limit
            limit = self._literal(lambda: literals.at_most(count, most, "cohorts"), span, most)
        period = rules.Blocks(size, self._date(start), limit, span, last)
        return Item("period", period, span)

    def cancel(self, meta: Meta, label: Token, reason: Token, ref: str | None) -> Item:
        span = self._span(meta)
        cancellation = rules.Cancellation(
            literals.unquote(label), literals.unquote(reason), ref, span
        )
        return Item("cancel", cancellation, span)

    def grouped_by(self, meta: Meta, column: Token) -> Item:
        return Item("grouped_by", str(column), self._span(meta))

    def control_group(self, meta: Meta, condition: rules.Condition) -> Item:
        return Item("control_group", condition, self._span(meta))

    def keep_duplicates(self, meta: Meta) -> Item:
        return Item("keep_duplicates", True, self._span(meta))

    # -- conditions -----------------------------------------------------------------------------

    def any_of(self, meta: Meta, left: rules.Condition, right: rules.Condition) -> rules.AnyOf:
        return rules.AnyOf(left, right, self._span(meta))

    def all_of(self, meta: Meta, left: rules.Condition, right: rules.Condition) -> rules.AllOf:
        return rules.AllOf(left, right, self._span(meta))

    def negation(self, meta: Meta, operand: rules.Condition) -> rules.Not:
        return rules.Not(operand, self._span(meta))

    def one_of(self, meta: Meta, column: Token, *values: Value) -> rules.OneOf:
        return rules.OneOf(str(column), tuple(values), self._span(meta))

    def equals(self, meta: Meta, column: Token, value: Value) -> rules.FieldTest:
        return rules.FieldTest(str(column), "=", value, span=self._span(meta))

    def equals_parameter(self, meta: Meta, column: Token, name: Token) -> rules.FieldTest:
        return rules.FieldTest(str(column), "=", "", str(name), self._span(meta))

    def not_equals_parameter(self, meta: Meta, column: Token, name: Token) -> rules.FieldTest:
        return rules.FieldTest(str(column), "!=", "", str(name), self._span(meta))

    def compare_parameter(
        self, meta: Meta, column: Token, op: Token, name: Token
    ) -> rules.FieldTest:
        return rules.FieldTest(str(column), str(op), "", str(name), self._span(meta))  # type: ignore[arg-type]  # COMPARE admits only these

    def not_equals(self, meta: Meta, column: Token, value: Value) -> rules.FieldTest:
        return rules.FieldTest(str(column), "!=", value, span=self._span(meta))

    def compare(self, meta: Meta, column: Token, op: Token, value: Value) -> rules.FieldTest:
        return rules.FieldTest(str(column), str(op), value, span=self._span(meta))  # type: ignore[arg-type]  # COMPARE admits only these

    def between(self, meta: Meta, column: Token, low: Value, high: Value) -> rules.Between:
        return rules.Between(str(column), low, high, self._span(meta))

    def flag(self, meta: Meta, column: Token) -> rules.Flag:
        return rules.Flag(str(column), self._span(meta))

    # -- measures -------------------------------------------------------------------------------

    def measure(self, meta: Meta, name: Token, ref: str | None, *items: Item) -> rules.Measure:
        owner = f"measure '{name}'"
        span = self._span(meta)
        allowed = {"kind", "counting", "follow_up", "waiting", "proven_by", "breaches",
                   "adjusted", "illustrative", "direction", "unit"}
        self._unexpected_items(items, allowed, owner)
        kind = self._single(items, "kind", "what it measures", owner)
        if kind is None:
            self._missing("kind of rate", owner, span, "binary rate of COHORT")
            kind = ("binary", 1, "", span)
        measure_kind, per, cohort, cohort_span = kind
        defaults = rules.Measure("", "binary", "")
        counting = self._single(items, "counting", "counting", owner)
        follow_up = self._single(items, "follow_up", "follow-up", owner)
        waiting = self._single(items, "waiting", "waiting period", owner)
        proven_by = self._single(items, "proven_by", "proven by", owner)
        breaches = self._single(items, "breaches", "breaches", owner)
        direction = self._single(items, "direction", "higher or lower is better", owner)
        window: _Window = follow_up or _Window(defaults.follow_up)
        return rules.Measure(
            name=str(name),
            kind=measure_kind,
            cohort=cohort,
            per=per,
            counting=counting or defaults.counting,
            follow_up=window.length,
            waiting=waiting or default_waiting(counting or defaults.counting),
            starts_after=window.starts_after,
            quarters=window.quarters,
            unit=self._single(items, "unit", "unit", owner),
            proven_by=proven_by or default_proven_by(counting or defaults.counting),
            exclude_breaches=defaults.exclude_breaches if breaches is None else breaches,
            adjustment=self._single(items, "adjusted", "adjusted for offender mix", owner),
            clause=ref,
            cohort_span=cohort_span,
            span=span,
            written=tuple(item.kind for item in items),
            illustrative=self._single(items, "illustrative", "illustrative", owner),
            direction=direction or defaults.direction,
        )

    def higher_better(self, meta: Meta) -> Item:
        return Item("direction", "higher", self._span(meta))

    def lower_better(self, meta: Meta) -> Item:
        return Item("direction", "lower", self._span(meta))

    def binary_rate(self, meta: Meta, cohort: Token) -> Item:
        return Item("kind", ("binary", 1, str(cohort), self._tspan(cohort)), self._span(meta))

    def per_reoffender(self, meta: Meta, cohort: Token) -> Item:
        value = ("per_reoffender", 1, str(cohort), self._tspan(cohort))
        return Item("kind", value, self._span(meta))

    def per_offenders(self, meta: Meta, per: Token, cohort: Token) -> Item:
        value = ("per_offenders", self._int(per), str(cohort), self._tspan(cohort))
        return Item("kind", value, self._span(meta))

    def count_offences(self, meta: Meta) -> Item:
        return Item("counting", "offences", self._span(meta))

    def count_events(self, meta: Meta) -> Item:
        return Item("counting", "events", self._span(meta))

    def follow_up(self, meta: Meta, duration: Duration) -> Item:
        return Item("follow_up", _Window(duration), self._span(meta))

    def follow_up_from(self, meta: Meta, duration: Duration, after: Duration) -> Item:
        return Item("follow_up", _Window(duration, after), self._span(meta))

    def follow_up_quarter(self, meta: Meta, which: Token) -> Item:
        return self._quarters(meta, which, which)

    def follow_up_quarters(self, meta: Meta, first: Token, last: Token) -> Item:
        return self._quarters(meta, first, last)

    def _quarters(self, meta: Meta, first: Token, last: Token) -> Item:
        """Quarters ``first`` to ``last`` after the index date's quarter: the window starts
        3 × ``first`` months after that quarter's first day and lasts the quarters asked for
        (a range written backwards is reported by the checks as an empty follow-up)."""
        a, b = self._int(first), self._int(last)
        window = _Window(Duration(3 * (b - a + 1), "months"), Duration(3 * a, "months"), True)
        return Item("follow_up", window, self._span(meta))

    def count_arrests(self, meta: Meta) -> Item:
        return Item("counting", "arrests", self._span(meta))

    def count_custody_days(self, meta: Meta) -> Item:
        return Item("counting", "custody_days", self._span(meta))

    def count_quarters_employed(self, meta: Meta) -> Item:
        return Item("counting", "quarters_employed", self._span(meta))

    def count_clean_quarters(self, meta: Meta) -> Item:
        return Item("counting", "quarters_without_arrest", self._span(meta))

    def unit_name(self, meta: Meta, name: Token) -> Item:
        return Item("unit", literals.unquote(name), self._span(meta))

    def waiting(self, meta: Meta, duration: Duration) -> Item:
        return Item("waiting", duration, self._span(meta))

    def proven_by(self, meta: Meta, *disposals: Token) -> Item:
        return Item("proven_by", tuple(str(d) for d in disposals), self._span(meta))

    def breaches_excluded(self, meta: Meta) -> Item:
        return Item("breaches", True, self._span(meta))

    def breaches_counted(self, meta: Meta) -> Item:
        return Item("breaches", False, self._span(meta))

    def adjusted(self, meta: Meta, form: str, baseline: rules.ValueRef) -> Item:
        span = self._span(meta)
        return Item("adjusted", rules.Adjustment(form, baseline, span), span)  # type: ignore[arg-type]  # form is a MixForm

    def mix_ratio(self, meta: Meta) -> str:
        return "ratio"

    def mix_difference(self, meta: Meta) -> str:
        return "difference"

    # -- comparisons and targets ----------------------------------------------------------------

    def comparison(
        self,
        meta: Meta,
        name: Token,
        ref: str | None,
        measure: Token,
        comparator: rules.Comparator,
        unit: rules.ImprovementUnit,
        illustrative: str | None,
    ) -> rules.Comparison:
        return rules.Comparison(
            str(name), str(measure), comparator, unit, ref,
            measure_span=self._tspan(measure), span=self._span(meta), illustrative=illustrative,
        )

    def estimated_comparison(self, meta: Meta, name: Token, ref: str | None, *rest: Any) -> Any:
        """``comparison backstop: estimated impact on youths in relative percent as 80% of rct
        + 20% of did[, higher is better]``: the parts, then the optional direction and note."""
        cohort, unit, *parts, better, illustrative = rest
        direction: rules.Direction = better.value if better is not None else "lower"
        estimate = rules.Estimate(str(cohort), tuple(parts), direction, self._tspan(cohort))
        return rules.Comparison(
            str(name), "", rules.ControlGroup(self._span(meta)), unit, ref,
            span=self._span(meta), illustrative=illustrative, estimate=estimate,
        )

    def weighted_impact(self, meta: Meta, weight: rules.ValueRef, name: Token) -> Any:
        return rules.ImpactPart(str(name), weight, self._span(meta))

    def whole_impact(self, meta: Meta, name: Token) -> Any:
        return rules.ImpactPart(str(name), None, self._span(meta))

    def illustrative_note(self, meta: Meta, why: Token) -> str:
        return literals.unquote(why)

    def control_comparator(self, meta: Meta) -> rules.ControlGroup:
        return rules.ControlGroup(self._span(meta))

    def fixed_comparator(self, meta: Meta, ref: rules.ValueRef) -> rules.ValueRef:
        return ref

    def in_points(self, meta: Meta) -> str:
        return "points"

    def in_percent(self, meta: Meta) -> str:
        return "percent"

    def in_absolute(self, meta: Meta) -> str:
        return "absolute"

    def target(self, meta: Meta, name: Token, ref: str | None, *items: Item) -> rules.Target:
        owner = f"target '{name}'"
        span = self._span(meta)
        self._unexpected_items(items, {"direction", "significant", "pooled", "illustrative"},
                               owner)
        direction = self._single(items, "direction", "what it requires", owner)
        if direction is None:
            self._missing(
                "requirement", owner, span,
                "reduction in COMPARISON of at least 5 percentage points",
            )
            direction = ("reduction", "", None, span)
        kind, comparison, threshold, comparison_span = direction
        return rules.Target(
            name=str(name),
            comparison=comparison,
            direction=kind,
            threshold=threshold,
            significance=self._single(items, "significant", "significant at", owner),
            pooled=bool(self._single(items, "pooled", "pooled or for each cohort", owner)),
            all_cohorts=any(item.kind == "pooled" and item.value == "all" for item in items),
            clause=ref,
            comparison_span=comparison_span,
            span=span,
            written=tuple(
                "pooled so far" if item.value == "so far" else item.kind for item in items
            ),
            illustrative=self._single(items, "illustrative", "illustrative", owner),
        )

    def reduction(self, meta: Meta, comparison: Token, threshold: rules.ValueRef | None) -> Item:
        value = ("reduction", str(comparison), threshold, self._tspan(comparison))
        return Item("direction", value, self._span(meta))

    def increase(self, meta: Meta, comparison: Token, threshold: rules.ValueRef | None) -> Item:
        value = ("increase", str(comparison), threshold, self._tspan(comparison))
        return Item("direction", value, self._span(meta))

    def significant(
        self, meta: Meta, level: rules.Literal_, sides: str, critical: Fraction | None
    ) -> Item:
        span = self._span(meta)
        critical_ref = (
            rules.Literal_(literals.plain(critical), span) if critical is not None else None
        )
        value = rules.Significance(level, sides, critical_ref, span)  # type: ignore[arg-type]  # sides is a Sides
        return Item("significant", value, span)

    def one_sided(self, meta: Meta) -> str:
        return "one-sided"

    def two_sided(self, meta: Meta) -> str:
        return "two-sided"

    def pooled(self, meta: Meta) -> Item:
        return Item("pooled", True, self._span(meta))

    def pooled_so_far(self, meta: Meta) -> Item:
        # ``pooled so far``: the short form of ``pooled over all cohorts so far``
        return Item("pooled", "so far", self._span(meta))

    def pooled_all(self, meta: Meta) -> Item:
        return Item("pooled", "all", self._span(meta))

    def per_cohort(self, meta: Meta) -> Item:
        return Item("pooled", False, self._span(meta))

