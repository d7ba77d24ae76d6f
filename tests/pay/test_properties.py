"""Payment invariants (SPEC §7), checked by Hypothesis on generated contracts and figures."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from pbrrules.figures import CohortFigures
from pbrrules.pay import evaluate
from pbrrules.rules import (
    Band,
    Banded,
    Contract,
    Fixed,
    Limit,
    LimitScope,
    PerOffender,
    PerUnitOf,
    Rounding,
    RoundingMode,
    RoundingRule,
    SavingsShare,
    ShareBand,
    Target,
    TargetMet,
    Term,
    TriggerNot,
)

from .contracts import contract, gbp, lit, pct, pp, quarter

SETTINGS = settings(deadline=None, max_examples=60)
SCHEMA = json.loads(
    (Path(__file__).parents[2] / "docs" / "statement.schema.json").read_text(encoding="utf-8")
)

prices = st.integers(1, 2_000_000).map(lambda pence: gbp(str(Fraction(pence, 7))))
points = st.integers(0, 1500).map(lambda hundredths: pp(str(Fraction(hundredths, 100))))
MODES: list[RoundingMode] = ["half up", "half down", "half even", "up", "down", "floor", "ceiling"]
modes = st.sampled_from(MODES)


@st.composite
def reward_terms(draw: st.DrawFn) -> tuple[tuple[Term, ...], tuple[Target, ...]]:
    """Reward terms whose amount never falls as reoffending falls."""
    threshold = draw(points)
    target = Target("goal", "change", "reduction", lit(threshold))
    low, high = sorted(draw(st.lists(points, min_size=2, max_size=2)), key=lambda q: q.value)
    small, large = sorted([draw(prices), draw(prices)], key=lambda q: q.value)
    terms = (
        Term("per_point", PerUnitOf(lit(draw(prices)), "point", "change")),
        Term("gated", Fixed(lit(draw(prices))), when=TargetMet("goal")),
        Term(
            "per_reoffender",
            PerUnitOf(lit(draw(prices)), "reoffender", "change"),
            improvement_cap=lit(draw(points)),
        ),
        Term(
            "tiers",
            Banded(
                "change",
                (
                    Band(Fixed(lit(small)), lit(low), lit(high)),
                    Band(Fixed(lit(large)), lit(high)),
                ),
            ),
        ),
        Term(
            "savings",
            SavingsShare(
                "change",
                lit(draw(prices)),
                (
                    ShareBand(lit(pct("50")), lit(pp("5"))),
                    ShareBand(lit(pct("100")), lit(pp("20")), lit(pp("5"))),
                ),
            ),
        ),
    )
    chosen = draw(
        st.lists(st.sampled_from(terms), min_size=1, max_size=5, unique_by=lambda t: t.name)
    )
    return tuple(chosen), (target,)


def deduction_terms(draw: st.DrawFn) -> tuple[Term, ...]:
    return (
        Term("penalty", PerUnitOf(lit(draw(prices)), "point", "change"), deduction=True),
        Term(
            "per_head",
            PerOffender(lit(draw(prices))),
            deduction=True,
            when=TriggerNot(TargetMet("goal")),
        ),
    )


@st.composite
def units(draw: st.DrawFn, min_size: int = 1, max_size: int = 6) -> list[CohortFigures]:
    """Quarterly cohorts (some possibly cancelled) with plausible figures."""
    quarters = draw(st.lists(st.integers(0, 11), min_size=min_size, max_size=max_size, unique=True))
    found = []
    for index in quarters:
        n = draw(st.integers(1, 3000))
        r = draw(st.integers(0, n))
        cancelled = draw(st.sampled_from([None, None, None, None, "cancelled by the parties"]))
        found.append(quarter(index, n, r, cancelled=cancelled))
    return found


@st.composite
def contracts(draw: st.DrawFn, limits: bool = True) -> Contract:
    """A contract with reward and deduction terms, rounding, and (optionally) caps and collars."""
    rewards, targets = draw(reward_terms())
    terms = rewards + deduction_terms(draw)
    chosen_limits: tuple[Limit, ...] = ()
    if limits:
        scopes: list[LimitScope] = ["cohort", "contract year", "contract"]
        chosen_limits = tuple(
            Limit(kind, f"{kind}_{scope.replace(' ', '_')}", (), lit(draw(prices)), scope)
            for kind in ("cap", "collar")
            for scope in draw(st.lists(st.sampled_from(scopes), max_size=3, unique=True))
        )
    mode: RoundingMode = draw(modes)
    rounding = Rounding((RoundingRule("payments", draw(st.integers(0, 2)), mode),))
    return contract(terms=terms, targets=targets, limits=chosen_limits, rounding=rounding)


def _whole_pence(amount: Decimal) -> bool:
    return (amount * 100) == (amount * 100).to_integral_value()


@SETTINGS
@given(contracts(), units())
def test_no_line_or_running_total_exceeds_its_cap_or_collar(
    rules: Contract, cohorts: list[CohortFigures]
) -> None:
    """ "at most £X per contract year": no line and no running total in a scope passes X, and no
    deduction passes its collar."""
    statement = evaluate(rules, cohorts)
    for limit in rules.rules.limits:
        bound = Decimal(limit.amount.value.value.numerator) / Decimal(  # type: ignore[union-attr]
            limit.amount.value.value.denominator  # type: ignore[union-attr]
        )
        running: dict[object, Decimal] = {}
        for unit, line in statement.lines():
            scope = {
                "cohort": unit.figures.key,
                "contract year": unit.contract_year,
                "contract": None,
            }[limit.scope]
            if limit.kind == "cap" and line.amount.amount > 0:
                running[scope] = running.get(scope, Decimal(0)) + line.amount.amount
            elif limit.kind == "collar" and line.amount.amount < 0:
                running[scope] = running.get(scope, Decimal(0)) - line.amount.amount
            assert running.get(scope, Decimal(0)) <= bound


@SETTINGS
@given(contracts(), units())
def test_lines_sum_exactly_to_totals_in_whole_pence(
    rules: Contract, cohorts: list[CohortFigures]
) -> None:
    """Money is exact to the minor unit and lines sum to totals (per cohort, year and overall)."""
    statement = evaluate(rules, cohorts)
    for unit in statement.units:
        assert sum((line.amount.amount for line in unit.lines), Decimal(0)) == unit.total.amount
        assert all(_whole_pence(line.amount.amount) for line in unit.lines)
    assert sum((u.total.amount for u in statement.units), Decimal(0)) == statement.total.amount
    assert sum((y.total.amount for y in statement.years), Decimal(0)) == statement.total.amount
    assert _whole_pence(statement.total.amount)


@SETTINGS
@given(contracts(), units(), st.randoms(use_true_random=False))
def test_the_order_figures_arrive_in_never_changes_the_statement(
    rules: Contract, cohorts: list[CohortFigures], random: object
) -> None:
    """Cohorts are paid in cohort order, whatever order the figures come in."""
    shuffled = list(cohorts)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert evaluate(rules, shuffled).to_json() == evaluate(rules, cohorts).to_json()


@SETTINGS
@given(contracts(limits=False), units(), st.data())
def test_fewer_reoffenders_never_pay_less_on_reward_terms(
    rules: Contract, cohorts: list[CohortFigures], data: st.DataObject
) -> None:
    """A provider whose cohort reoffends less is never paid less by a reward term."""
    index = data.draw(st.integers(0, len(cohorts) - 1))
    worse = cohorts[index]
    fewer = data.draw(st.integers(0, worse.treatment.counts["m"].reoffenders))
    better_unit = quarter(
        _quarter_index(worse), worse.treatment.offenders, fewer, cancelled=worse.cancelled
    )
    better = [*cohorts[:index], better_unit, *cohorts[index + 1 :]]
    before = evaluate(rules, cohorts)
    after = evaluate(rules, better)
    for (_, old), (_, new) in zip(before.lines(), after.lines(), strict=True):
        assert old.term == new.term
        if not old.deduction:
            assert new.amount.amount >= old.amount.amount, (old.derivation, new.derivation)
        else:
            assert new.amount.amount >= old.amount.amount  # a smaller deduction, or none


def _quarter_index(unit: CohortFigures) -> int:
    return (unit.start.year - 2015) * 4 + (unit.start.month - 1) // 3


@SETTINGS
@given(contracts(limits=False), units())
def test_cohort_by_cohort_equals_all_at_once_without_cumulative_limits(
    rules: Contract, cohorts: list[CohortFigures]
) -> None:
    """Without caps or collars, each cohort's lines do not depend on the other cohorts."""
    together = evaluate(rules, cohorts)
    for unit in together.units:
        alone = evaluate(rules, [unit.figures])
        assert alone.units[0] == unit


@SETTINGS
@given(contracts(), units(min_size=0))
def test_the_json_statement_validates_against_its_schema(
    rules: Contract, cohorts: list[CohortFigures]
) -> None:
    """Every statement's JSON form is valid pbr.statement/2."""
    jsonschema.validate(
        json.loads(evaluate(rules, cohorts).to_json()), SCHEMA, cls=jsonschema.Draft202012Validator
    )
