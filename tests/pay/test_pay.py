"""The pay stage on hand-built rules: every construct, with hand-computed expectations and the
boundaries around each threshold, band and cap."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from pbrrules.figures import CohortFigures, GroupFigures, MeasureCounts
from pbrrules.pay import evaluate
from pbrrules.rules import (
    Adjustment,
    Band,
    Banded,
    ControlGroup,
    Fixed,
    Measure,
    Name,
    Parameter,
    PerOffender,
    PerUnitOf,
    Rounding,
    RoundingRule,
    Row,
    SavingsShare,
    ShareBand,
    ShareOfValue,
    Significance,
    Target,
    TargetMet,
    TermPays,
    TriggerAll,
    TriggerAny,
    TriggerNot,
)
from pbrrules.statement import Line, Statement

from .contracts import contract, gbp, lit, num, pct, pp, quarter, term, unit

FIVE_POINTS = Target("five", "change", "reduction", lit(pp("5")), clause="clause 5")
BONUS = term("bonus", PerUnitOf(lit(gbp("100000")), "point", "change"), when=TargetMet("five"))


def only_line(statement: Statement, term_name: str | None = None) -> Line:
    lines = [line for _, line in statement.lines() if term_name in (None, line.term)]
    assert len(lines) == 1, lines
    return lines[0]


def amount(statement: Statement, term_name: str | None = None) -> Decimal:
    return only_line(statement, term_name).amount.amount


class TestThresholds:
    def test_the_cumbria_example_pays_per_point_above_the_threshold(self) -> None:
        statement = evaluate(contract(terms=(BONUS,), targets=(FIVE_POINTS,)), [unit(1000, 417)])
        line = only_line(statement)
        assert line.amount.amount == Decimal("820000.00")
        assert "binary rate 41.7% = 417 / 1,000" in line.derivation
        assert "reduction of 8.2 percentage points ≥ 5 percentage points" in line.derivation
        assert line.derivation.endswith("pays £820,000.00")

    def test_a_threshold_met_exactly_pays(self) -> None:
        statement = evaluate(contract(terms=(BONUS,), targets=(FIVE_POINTS,)), [unit(1000, 449)])
        assert statement.units[0].target("five").verdict == "met"  # type: ignore[union-attr]
        assert amount(statement) == Decimal("500000.00")

    def test_one_hundredth_of_a_point_below_the_threshold_does_not_pay(self) -> None:
        statement = evaluate(contract(terms=(BONUS,), targets=(FIVE_POINTS,)), [unit(10000, 4491)])
        line = only_line(statement)
        assert line.status == "not met"
        assert line.amount.amount == 0
        assert "4.99 percentage points < 5 percentage points" in line.derivation

    def test_without_a_threshold_any_reduction_is_met_and_none_is_not(self) -> None:
        target = Target("any", "change", "reduction")
        pays = term("flat", Fixed(lit(gbp("1000"))), when=TargetMet("any"))
        rules = contract(terms=(pays,), targets=(target,))
        assert amount(evaluate(rules, [unit(1000, 498)])) == Decimal("1000.00")
        assert only_line(evaluate(rules, [unit(1000, 499)])).status == "not met"

    def test_an_increase_target_is_met_by_a_rise_of_at_least_the_threshold(self) -> None:
        rise = Target("rise", "change", "increase", lit(pp("3")))
        penalty = term("penalty", Fixed(lit(gbp("50000"))), deduction=True, when=TargetMet("rise"))
        rules = contract(terms=(penalty,), targets=(rise,))
        assert amount(evaluate(rules, [unit(1000, 529)])) == Decimal("-50000.00")
        assert amount(evaluate(rules, [unit(1000, 528)])) == 0

    def test_a_relative_threshold_compares_relative_percent(self) -> None:
        ten = Target("ten", "change", "reduction", lit(pct("10")))
        pays = term("flat", Fixed(lit(gbp("1"))), when=TargetMet("ten"))
        rules = contract(
            terms=(pays,),
            targets=(ten,),
            unit="percent",
            comparator=lit(num("155")),
            kind="per_offenders",
            per=100,
        )
        # 139.5 per 100 against 155 is exactly 10% lower
        assert amount(evaluate(rules, [unit(1000, 0, 1395)])) == Decimal("1.00")
        assert only_line(evaluate(rules, [unit(1000, 0, 1396)])).status == "not met"

    def test_a_points_threshold_on_a_relative_comparison_is_not_assessable(self) -> None:
        rules = contract(terms=(BONUS,), targets=(FIVE_POINTS,), unit="percent")
        line = only_line(evaluate(rules, [unit(1000, 417)]))
        assert line.status == "not assessable"
        assert "percentage points" in line.derivation


class TestMeasures:
    def test_a_frequency_with_no_reoffenders_is_not_assessable_never_zero(self) -> None:
        target = Target("t", "change", "reduction")
        pays = term("flat", Fixed(lit(gbp("1"))), when=TargetMet("t"))
        rules = contract(
            terms=(pays,), targets=(target,), kind="per_reoffender", comparator=lit(num("4.2"))
        )
        statement = evaluate(rules, [unit(1000, 0, 0)])
        line = only_line(statement)
        assert line.status == "not assessable"
        assert "no reoffenders (R = 0)" in line.derivation
        assert statement.units[0].measures[0].value is None

    def test_an_empty_cohort_makes_the_binary_rate_not_assessable(self) -> None:
        statement = evaluate(contract(terms=(BONUS,), targets=(FIVE_POINTS,)), [unit(0, 0)])
        assert only_line(statement).status == "not assessable"
        assert statement.total.amount == 0

    def test_frequency_per_reoffender_is_reoffences_over_reoffenders(self) -> None:
        rules = contract(terms=(), kind="per_reoffender", comparator=lit(num("4.168")))
        statement = evaluate(rules, [unit(25375, 24218, 112284)])
        measure = statement.units[0].measures[0]
        assert measure.value == Fraction(112284, 24218)
        assert measure.display == "≈4.64"

    def test_ratio_adjustment_scales_by_baseline_over_predicted(self) -> None:
        adjusted = Measure("m", "binary", "c", adjustment=Adjustment("ratio", lit(pct("50"))))
        rules = contract(terms=(), measure=adjusted)
        statement = evaluate(rules, [unit(1000, 400, predicted=Fraction(400))])
        # 40% × 50% / 40% = 50%
        assert statement.units[0].measures[0].value == Fraction(1, 2)

    def test_difference_adjustment_subtracts_the_change_in_predicted_rate(self) -> None:
        adjusted = Measure("m", "binary", "c", adjustment=Adjustment("difference", lit(pct("45"))))
        statement = evaluate(
            contract(terms=(), measure=adjusted), [unit(1000, 400, predicted=Fraction(420))]
        )
        # 40% − (42% − 45%) = 43%
        assert statement.units[0].measures[0].value == Fraction(43, 100)

    def test_an_adjustment_without_predictions_is_not_assessable(self) -> None:
        adjusted = Measure("m", "binary", "c", adjustment=Adjustment("ratio", lit(pct("50"))))
        statement = evaluate(contract(terms=(), measure=adjusted), [unit(1000, 400)])
        assert "no predicted rates" in statement.units[0].measures[0].derivation

    def test_a_ratio_adjustment_with_zero_predicted_rate_is_not_assessable(self) -> None:
        adjusted = Measure("m", "binary", "c", adjustment=Adjustment("ratio", lit(pct("50"))))
        statement = evaluate(
            contract(terms=(), measure=adjusted), [unit(1000, 400, predicted=Fraction(0))]
        )
        assert "predicted rate is 0" in statement.units[0].measures[0].derivation

    def test_rates_rounded_before_comparison_decide_the_threshold(self) -> None:
        # 44.95% rounds half up to 45.0%, exactly 4.9 points below 49.9%... then 5 points is
        # missed; half even on 45.05% keeps 45.0%: exactly 4.9 as well.
        rounding = Rounding((RoundingRule("rates", 1, "half up", before_comparison=True),))
        rules = contract(terms=(BONUS,), targets=(FIVE_POINTS,), rounding=rounding)
        # 4,491 / 10,000 = 44.91% -> 44.9%: a 5.0 point reduction, met when rounded first
        assert only_line(evaluate(rules, [unit(10000, 4491)])).status == "pays"

    def test_improvements_rounded_before_comparison(self) -> None:
        rounding = Rounding((RoundingRule("improvements", 1, "half up", before_comparison=True),))
        ten = Target("ten", "change", "reduction", lit(pct("8.4")))
        pays = term("flat", Fixed(lit(gbp("1"))), when=TargetMet("ten"))
        rules = contract(
            terms=(pays,),
            targets=(ten,),
            unit="percent",
            comparator=lit(num("155")),
            kind="per_offenders",
            per=100,
            rounding=rounding,
        )
        # 142 against 155 is 8.387%, 8.4% once rounded: the rounded value meets 8.4%
        statement = evaluate(rules, [unit(100, 0, 142)])
        assert statement.units[0].comparisons[0].improvement == Fraction(84, 1000)
        assert only_line(statement).status == "pays"


class TestComparators:
    def test_a_control_group_comparison_uses_the_same_measure_on_the_control(self) -> None:
        target = Target("ten", "change", "reduction", lit(pct("10")))
        pays = term("flat", Fixed(lit(gbp("1"))), when=TargetMet("ten"))
        rules = contract(
            terms=(pays,),
            targets=(target,),
            comparator=ControlGroup(),
            unit="percent",
            kind="per_offenders",
            per=100,
        )
        statement = evaluate(rules, [unit(1000, 0, 1420, control=(1000, 0, 1550))])
        comparison = statement.units[0].comparisons[0]
        assert comparison.improvement == Fraction(13, 155)
        assert comparison.improvement_display == "≈8.39% (relative)"
        assert only_line(statement).status == "not met"

    def test_a_control_group_comparison_without_control_figures_is_not_assessable(self) -> None:
        rules = contract(terms=(BONUS,), targets=(FIVE_POINTS,), comparator=ControlGroup())
        assert only_line(evaluate(rules, [unit(1000, 417)])).status == "not assessable"

    def test_a_baseline_table_by_area(self) -> None:
        baselines = Parameter(
            "baseline",
            "rate",
            keyed_by="area",
            rows=(Row(pct("49.9"), key="Cumbria"), Row(pct("55.17"), key="Northumbria")),
        )
        rules = contract(
            terms=(BONUS,),
            targets=(FIVE_POINTS,),
            comparator=Name("baseline"),
            parameters=(baselines,),
        )
        statement = evaluate(
            rules,
            [
                unit(1000, 417, area="Cumbria"),
                unit(1000, 417, area="Northumbria"),
                unit(1000, 417, area="Wales"),
            ],
        )
        by_area = {u.area: u.lines[0] for u in statement.units}
        assert by_area["Cumbria"].amount.amount == Decimal("820000.00")
        assert by_area["Northumbria"].amount.amount == Decimal("1347000.00")
        assert by_area["Wales"].status == "not assessable"
        assert 'parameter baseline has no value for area "Wales"' in by_area["Wales"].derivation

    def test_a_parameter_by_cohort_and_by_contract_year_and_effective_dates(self) -> None:
        by_cohort = Parameter(
            "baseline",
            "rate",
            keyed_by="cohort",
            rows=(Row(pct("50"), key="2015-Q1"), Row(pct("40"), key="2015-Q2")),
        )
        price = Parameter(
            "price",
            "money",
            value=gbp("100"),
            rows=(Row(gbp("200"), effective=datetime.date(2015, 4, 1)),),
        )
        bonus = term("bonus", PerUnitOf(Name("price"), "point", "change"))
        rules = contract(terms=(bonus,), comparator=Name("baseline"), parameters=(by_cohort, price))
        statement = evaluate(rules, [quarter(0, 100, 40), quarter(1, 100, 35)])
        assert [u.lines[0].amount.amount for u in statement.units] == [
            Decimal("1000.00"),
            Decimal("1000.00"),
        ]

    def test_a_parameter_by_contract_year(self) -> None:
        core = Parameter(
            "core",
            "money",
            keyed_by="contract year",
            rows=(Row(gbp("100"), year=1), Row(gbp("300"), year=2)),
        )
        repay = term("repay", ShareOfValue(lit(pct("10")), "core"), deduction=True)
        rules = contract(terms=(repay,), parameters=(core,))
        statement = evaluate(rules, [quarter(0, 10, 5), quarter(4, 10, 5), quarter(8, 10, 5)])
        assert [u.lines[0].amount.amount for u in statement.units[:2]] == [
            Decimal("-10.00"),
            Decimal("-30.00"),
        ]
        assert statement.units[2].lines[0].status == "not assessable"
        assert "contract year 3" in statement.units[2].lines[0].derivation


class TestTriggers:
    def test_a_hurdle_pays_only_when_the_other_terms_trigger_holds(self) -> None:
        frequency = term("frequency", Fixed(lit(gbp("10"))), when=TermPays("bonus"))
        rules = contract(terms=(BONUS, frequency), targets=(FIVE_POINTS,))
        assert amount(evaluate(rules, [unit(1000, 417)]), "frequency") == Decimal("10.00")
        line = only_line(evaluate(rules, [unit(1000, 470)]), "frequency")
        assert line.status == "not met"
        assert "term bonus does not pay" in line.derivation

    def test_unless_deducts_when_the_target_is_missed(self) -> None:
        repay = term(
            "repay",
            ShareOfValue(lit(pct("10")), "core"),
            deduction=True,
            when=TriggerNot(TargetMet("five")),
        )
        rules = contract(
            terms=(repay,),
            targets=(FIVE_POINTS,),
            parameters=(Parameter("core", "money", value=gbp("20000000")),),
        )
        assert amount(evaluate(rules, [unit(1000, 470)])) == Decimal("-2000000.00")
        assert amount(evaluate(rules, [unit(1000, 449)])) == 0

    @pytest.mark.parametrize(
        ("left", "right", "both", "either"),
        [
            ("met", "met", "met", "met"),
            ("met", "not met", "not met", "met"),
            ("not met", "not assessable", "not met", "not assessable"),
            ("met", "not assessable", "not assessable", "met"),
            ("not assessable", "not assessable", "not assessable", "not assessable"),
        ],
    )
    def test_and_or_follow_three_valued_logic(
        self, left: str, right: str, both: str, either: str
    ) -> None:
        from pbrrules.pay.triggers import Truth, evaluate_trigger

        verdicts = {"a": Truth(left, "a"), "b": Truth(right, "b")}  # type: ignore[arg-type]
        never = Truth("not assessable", "")
        pair = (TargetMet("a"), TargetMet("b"))
        assert (
            evaluate_trigger(TriggerAll(*pair), verdicts.__getitem__, lambda _: never).verdict
            == both
        )
        assert (
            evaluate_trigger(TriggerAny(*pair), verdicts.__getitem__, lambda _: never).verdict
            == either
        )

    def test_a_term_whose_trigger_cannot_be_assessed_pays_nothing_and_says_why(self) -> None:
        rules = contract(terms=(BONUS,), targets=(FIVE_POINTS,), comparator=Name("missing"))
        line = only_line(evaluate(rules, [unit(1000, 417)]))
        assert line.status == "not assessable"
        assert "parameter missing is not declared" in line.derivation

    def test_a_pooled_target_sums_every_cohort_so_far(self) -> None:
        pooled = Target("pooled", "change", "reduction", lit(pct("7.5")), pooled=True)
        ten = Target("ten", "change", "reduction", lit(pct("10")))
        pays = term(
            "pays", Fixed(lit(gbp("1"))), when=TriggerAny(TargetMet("ten"), TargetMet("pooled"))
        )
        rules = contract(
            terms=(pays,),
            targets=(ten, pooled),
            comparator=ControlGroup(),
            unit="percent",
            kind="per_offenders",
            per=100,
        )
        first = quarter(0, 1000, 0, 1480, control=(1000, 0, 1550))  # 4.5%
        second = quarter(1, 1000, 0, 1370, control=(1000, 0, 1550))  # 11.6%, pooled 8.1%
        statement = evaluate(rules, [first, second])
        assert [u.target("pooled").verdict for u in statement.units] == ["not met", "met"]  # type: ignore[union-attr]
        assert "pooled over 2 cohorts (2015-Q1, 2015-Q2)" in statement.units[1].lines[0].derivation

    def test_a_cancelled_cohort_has_no_lines_and_is_left_out_of_pools(self) -> None:
        statement = evaluate(
            contract(terms=(BONUS,), targets=(FIVE_POINTS,)),
            [unit(1000, 417, cancelled="ended early")],
        )
        assert statement.units[0].lines == ()
        assert statement.units[0].cancelled == "ended early"
        assert statement.total.amount == 0


class TestSignificance:
    def _rules(self, level: str = "95", sides: str = "one-sided", critical: str | None = None):  # type: ignore[no-untyped-def]
        significance = Significance(
            lit(pct(level)),
            sides,  # type: ignore[arg-type]
            lit(num(critical)) if critical else None,
        )
        target = Target("sig", "change", "reduction", significance=significance)
        pays = term("flat", Fixed(lit(gbp("1"))), when=TargetMet("sig"))
        return contract(terms=(pays,), targets=(target,), comparator=lit(pct("50")))

    def test_exactly_at_the_critical_value_is_significant(self) -> None:
        # p0 = 50%, N = 400: z = (0.5 − p̂) / 0.025; with c = 2, p̂ = 45% gives z = 2 exactly
        assert only_line(evaluate(self._rules(critical="2"), [unit(400, 180)])).status == "pays"
        assert only_line(evaluate(self._rules(critical="2"), [unit(400, 181)])).status == "not met"

    def test_the_conventional_critical_values(self) -> None:
        # 182 / 400 = 45.5% against 50%: z = 0.045 / 0.025 = 1.8, significant at 95% one-sided
        # (1.645), not two-sided (1.960), not at 99% one-sided (2.326); two-sided at 90% (1.645)
        cohort = [unit(400, 182)]
        assert only_line(evaluate(self._rules(), cohort)).status == "pays"
        assert only_line(evaluate(self._rules(sides="two-sided"), cohort)).status == "not met"
        assert only_line(evaluate(self._rules(level="99"), cohort)).status == "not met"
        assert only_line(evaluate(self._rules("90", "two-sided"), cohort)).status == "pays"
        assert (
            "z = (50% − 45.5%) / √(50% × 50% / 400) = ≈1.80 ≥ ≈1.644854"
            in only_line(evaluate(self._rules(), cohort)).derivation
        )

    def test_any_level_is_its_exact_normal_quantile(self) -> None:
        # 97% one-sided: q = 1.880794; 275 / 625 = 44% against 50%: z = 0.06 / 0.02 = 3
        line = only_line(evaluate(self._rules(level="97"), [unit(625, 275)]))
        assert line.status == "pays"
        assert "critical value ≈1.880794 (the normal quantile)" in line.derivation

    def test_a_level_that_is_no_level_is_not_assessable(self) -> None:
        line = only_line(evaluate(self._rules(level="50"), [unit(625, 275)]))
        assert line.status == "not assessable"
        assert "between 50% and 100%" in line.derivation

    def test_a_rise_is_never_a_significant_reduction(self) -> None:
        line = only_line(evaluate(self._rules(), [unit(625, 400)]))
        assert line.status == "not met"
        assert "not a reduction" in line.derivation

    def test_against_a_control_group_the_pooled_two_proportion_test(self) -> None:
        significance = Significance(lit(pct("95")), "one-sided")
        target = Target("sig", "change", "reduction", significance=significance)
        pays = term("flat", Fixed(lit(gbp("1"))), when=TargetMet("sig"))
        rules = contract(terms=(pays,), targets=(target,), comparator=ControlGroup())
        # 40% of 500 vs 45% of 500: pooled 42.5%, z = 0.05 / √(0.425·0.575·(2/500)) ≈ 1.598
        line = only_line(evaluate(rules, [unit(500, 200, control=(500, 225, 225))]))
        assert line.status == "not met"
        assert "≈1.60 < ≈1.644854" in line.derivation
        # 39% vs 45%: z ≈ 1.92
        assert (
            only_line(evaluate(rules, [unit(500, 195, control=(500, 225, 225))])).status == "pays"
        )


class TestAmounts:
    def test_price_per_reoffender_avoided(self) -> None:
        pays = term("pays", PerUnitOf(lit(gbp("1000")), "reoffender", "change"))
        statement = evaluate(contract(terms=(pays,)), [unit(1000, 417)])
        assert amount(statement) == Decimal("82000.00")  # (49.9% − 41.7%) × 1,000 = 82

    def test_price_per_reoffence_avoided_on_a_per_reoffender_frequency(self) -> None:
        pays = term("pays", PerUnitOf(lit(gbp("100")), "reoffence", "change"))
        rules = contract(
            terms=(pays,), kind="per_reoffender", comparator=lit(num("5")), unit="absolute"
        )
        # 400 reoffences by 100 reoffenders: 4 per reoffender; (5 − 4) × 100 = 100 avoided
        assert amount(evaluate(rules, [unit(1000, 100, 400)])) == Decimal("10000.00")

    def test_price_per_event_avoided_on_a_per_100_frequency(self) -> None:
        pays = term("pays", PerUnitOf(lit(gbp("5000")), "event", "change"))
        rules = contract(
            terms=(pays,), kind="per_offenders", per=100, comparator=ControlGroup(), unit="percent"
        )
        statement = evaluate(rules, [unit(1000, 0, 1420, control=(1000, 0, 1550))])
        assert amount(statement) == Decimal("650000.00")  # 130 events avoided

    def test_price_per_percent_needs_a_relative_comparison(self) -> None:
        pays = term("pays", PerUnitOf(lit(gbp("1")), "percent", "change"))
        line = only_line(evaluate(contract(terms=(pays,)), [unit(1000, 417)]))
        assert line.status == "not assessable"

    def test_a_reward_never_pays_for_a_deterioration_and_a_deduction_takes_it(self) -> None:
        reward = term("reward", PerUnitOf(lit(gbp("100")), "point", "change"))
        penalty = term("penalty", PerUnitOf(lit(gbp("100")), "point", "change"), deduction=True)
        statement = evaluate(contract(terms=(reward, penalty)), [unit(1000, 529)])
        assert amount(statement, "reward") == 0
        assert amount(statement, "penalty") == Decimal("-300.00")
        better = evaluate(contract(terms=(reward, penalty)), [unit(1000, 469)])
        assert amount(better, "reward") == Decimal("300.00")
        assert amount(better, "penalty") == 0

    def test_an_improvement_cap_bounds_the_improvement_paid_for(self) -> None:
        capped = term(
            "capped", PerUnitOf(lit(gbp("100")), "point", "change"), improvement_cap=lit(pp("5"))
        )
        line = only_line(evaluate(contract(terms=(capped,)), [unit(1000, 417)]))
        assert line.amount.amount == Decimal("500.00")
        assert "counting improvement up to 5 percentage points" in line.derivation

    def test_price_per_offender(self) -> None:
        pays = term("pays", PerOffender(lit(gbp("331"))))
        assert amount(evaluate(contract(terms=(pays,)), [unit(1000, 417)])) == Decimal("331000.00")

    @pytest.mark.parametrize(
        ("reoffenders", "expected"),
        [(449, "0.00"), (449 - 1, "1000.00"), (428, "1000.00"), (427, "2000.00"), (300, "2000.00")],
    )
    def test_bands_include_their_lower_bound_and_exclude_their_upper(
        self, reoffenders: int, expected: str
    ) -> None:
        banded = term(
            "tiers",
            Banded(
                "change",
                (
                    Band(Fixed(lit(gbp("1000"))), lit(pp("5.1")), lit(pp("7.2"))),
                    Band(Fixed(lit(gbp("2000"))), lit(pp("7.2"))),
                ),
            ),
        )
        # 49.9% − 44.8% = 5.1 points; 49.9% − 42.7% = 7.2 points
        assert amount(evaluate(contract(terms=(banded,)), [unit(1000, reoffenders)])) == Decimal(
            expected
        )

    def test_a_band_can_price_per_offender(self) -> None:
        banded = term(
            "tiers",
            Banded(
                "change",
                (
                    Band(PerOffender(lit(gbp("331"))), lit(pp("2")), lit(pp("3"))),
                    Band(PerOffender(lit(gbp("551"))), lit(pp("3"))),
                ),
            ),
        )
        assert amount(evaluate(contract(terms=(banded,)), [unit(1000, 474)])) == Decimal(
            "331000.00"
        )
        assert amount(evaluate(contract(terms=(banded,)), [unit(1000, 469)])) == Decimal(
            "551000.00"
        )

    @pytest.mark.parametrize(
        ("reoffences", "expected"),
        [(960, "0.00"), (950, "2500000.00"), (880, "9500000.00"), (750, "17500000.00")],
    )
    def test_the_ljr_savings_share(self, reoffences: int, expected: str) -> None:
        five = Target("five", "change", "reduction", lit(pct("5")))
        share = term(
            "share",
            SavingsShare(
                "change",
                lit(gbp("100000000")),
                (
                    ShareBand(lit(pct("50")), lit(pct("5"))),
                    ShareBand(lit(pct("100")), lit(pct("20")), lit(pct("5"))),
                ),
            ),
            when=TargetMet("five"),
        )
        rules = contract(
            terms=(share,),
            targets=(five,),
            unit="percent",
            kind="per_offenders",
            per=100,
            comparator=lit(num("100")),
        )
        assert amount(evaluate(rules, [unit(1000, 0, reoffences)])) == Decimal(expected)


class TestLimitsAndRounding:
    def test_a_cap_per_cohort_trims_the_line_and_says_so(self) -> None:
        from pbrrules.rules import Limit

        cap = Limit("cap", "pot", (), lit(gbp("500000")), "cohort", clause="clause 8")
        statement = evaluate(
            contract(terms=(BONUS,), targets=(FIVE_POINTS,), limits=(cap,)), [unit(1000, 417)]
        )
        line = only_line(statement)
        assert line.amount.amount == Decimal("500000.00")
        assert line.limits[0].describe() == (
            "capped from £820,000.00 to £500,000.00 by cap pot (clause 8)"
        )

    def test_one_penny_below_the_cap_is_not_trimmed(self) -> None:
        from pbrrules.rules import Limit

        cap = Limit("cap", "pot", (), lit(gbp("820000.01")), "contract")
        line = only_line(
            evaluate(
                contract(terms=(BONUS,), targets=(FIVE_POINTS,), limits=(cap,)), [unit(1000, 417)]
            )
        )
        assert line.amount.amount == Decimal("820000.00")
        assert line.limits == ()

    def test_a_contract_cap_trims_later_cohorts_never_restating_earlier_ones(self) -> None:
        from pbrrules.rules import Limit

        cap = Limit("cap", "pot", ("bonus",), lit(gbp("1000000")), "contract")
        rules = contract(terms=(BONUS,), targets=(FIVE_POINTS,), limits=(cap,))
        statement = evaluate(
            rules, [quarter(0, 1000, 417), quarter(1, 1000, 417), quarter(2, 1000, 417)]
        )
        assert [u.lines[0].amount.amount for u in statement.units] == [
            Decimal("820000.00"),
            Decimal("180000.00"),
            Decimal("0.00"),
        ]
        assert statement.total.amount == Decimal("1000000.00")

    def test_a_cap_per_contract_year_starts_afresh_each_year(self) -> None:
        from pbrrules.rules import Limit

        cap = Limit("cap", "pot", (), lit(gbp("1000000")), "contract year")
        rules = contract(terms=(BONUS,), targets=(FIVE_POINTS,), limits=(cap,))
        statement = evaluate(
            rules, [quarter(0, 1000, 417), quarter(1, 1000, 417), quarter(4, 1000, 417)]
        )
        assert [u.lines[0].amount.amount for u in statement.units] == [
            Decimal("820000.00"),
            Decimal("180000.00"),
            Decimal("820000.00"),
        ]
        assert [(y.year, y.total.amount) for y in statement.years] == [
            (1, Decimal("1000000.00")),
            (2, Decimal("820000.00")),
        ]

    def test_a_collar_bounds_deductions(self) -> None:
        from pbrrules.rules import Limit

        penalty = term("penalty", PerUnitOf(lit(gbp("100000")), "point", "change"), deduction=True)
        collar = Limit("collar", "floor", (), lit(gbp("250000")), "contract", clause="clause 9")
        statement = evaluate(
            contract(terms=(penalty,), limits=(collar,)),
            [quarter(0, 1000, 519), quarter(1, 1000, 519)],
        )
        assert [u.lines[0].amount.amount for u in statement.units] == [
            Decimal("-200000.00"),
            Decimal("-50000.00"),
        ]
        assert statement.units[1].lines[0].limits[0].describe() == (
            "collared from -£200,000.00 to -£50,000.00 by collar floor (clause 9)"
        )

    def test_payments_round_as_declared(self) -> None:
        rounding = Rounding((RoundingRule("payments", 0, "down"),))
        pays = term("pays", PerUnitOf(lit(gbp("1000")), "reoffender", "change"))
        rules = contract(terms=(pays,), rounding=rounding, comparator=lit(pct("50")))
        # (50% − 1/3) × 3 = 0.5 reoffenders avoided -> £500; with 7 offenders and 2 reoffending:
        # (1/2 − 2/7) × 7 = 1.5 -> £1,500
        assert amount(evaluate(rules, [unit(7, 2)])) == Decimal("1500.00")
        assert amount(evaluate(rules, [unit(3, 1)])) == Decimal("500.00")

    def test_lines_sum_exactly_to_totals(self) -> None:
        pays = term("pays", PerUnitOf(lit(gbp("1000")), "reoffender", "change"))
        rules = contract(terms=(pays,), comparator=lit(pct("50")))
        statement = evaluate(rules, [quarter(i, 7 + i, 1) for i in range(8)])
        assert sum(line.amount.amount for _, line in statement.lines()) == statement.total.amount
        assert sum(y.total.amount for y in statement.years) == statement.total.amount


def test_two_figures_for_one_unit_are_refused() -> None:
    from pbrrules.errors import EvaluationError

    with pytest.raises(EvaluationError):
        evaluate(contract(terms=()), [unit(10, 1), unit(10, 2)])


def test_units_are_met_in_cohort_order_whatever_order_they_come_in() -> None:
    rules = contract(terms=(BONUS,), targets=(FIVE_POINTS,))
    units = [quarter(2, 1000, 417), quarter(0, 1000, 417), quarter(1, 1000, 470)]
    statement = evaluate(rules, units)
    assert [u.period for u in statement.units] == ["2015-Q1", "2015-Q2", "2015-Q3"]


def test_figures_with_a_measure_the_contract_does_not_know_are_ignored() -> None:
    extra = CohortFigures(
        "c",
        "2015-Q1",
        datetime.date(2015, 1, 1),
        datetime.date(2015, 3, 31),
        GroupFigures(1000, {"m": MeasureCounts(417, 417), "other": MeasureCounts(1, 1)}),
    )
    assert amount(evaluate(contract(terms=(BONUS,), targets=(FIVE_POINTS,)), [extra])) == Decimal(
        "820000.00"
    )


def test_a_variation_applies_to_cohorts_from_its_effective_date_and_both_stay_evaluable() -> None:
    from pbrrules.rules import Contract, Version

    original = contract(terms=(BONUS,), targets=(FIVE_POINTS,))
    cheaper = term("bonus", PerUnitOf(lit(gbp("50000")), "point", "change"), when=TargetMet("five"))
    varied_rules = contract(terms=(cheaper,), targets=(FIVE_POINTS,)).rules
    varied = Contract(
        original.header,
        (
            original.versions[0],
            Version("2015 variation", datetime.date(2015, 4, 1), varied_rules),
        ),
    )
    statement = evaluate(varied, [quarter(0, 1000, 417), quarter(1, 1000, 417)])
    assert [u.version for u in statement.units] == ["original", "2015 variation"]
    assert [u.lines[0].amount.amount for u in statement.units] == [
        Decimal("820000.00"),
        Decimal("410000.00"),
    ]


def test_a_significant_increase_triggers_a_deduction() -> None:
    significance = Significance(lit(pct("95")), "one-sided")
    rise = Target("rise", "change", "increase", significance=significance)
    penalty = term("penalty", Fixed(lit(gbp("1000"))), deduction=True, when=TargetMet("rise"))
    rules = contract(terms=(penalty,), targets=(rise,), comparator=lit(pct("50")))
    # 54.5% of 400 against 50%: z = 1.8 ≥ 1.645; 52% gives z = 0.8
    assert amount(evaluate(rules, [unit(400, 218)])) == Decimal("-1000.00")
    assert amount(evaluate(rules, [unit(400, 208)])) == 0


def test_a_term_on_another_cohorts_comparison_is_not_assessed_for_this_cohort() -> None:
    other = CohortFigures(
        "other", "2015-Q1", datetime.date(2015, 1, 1), datetime.date(2015, 3, 31),
        GroupFigures(1000, {}),
    )  # fmt: skip
    statement = evaluate(contract(terms=(BONUS,), targets=(FIVE_POINTS,)), [other])
    assert statement.units[0].lines == ()


def test_a_worked_out_parameter_follows_an_examples_given_input() -> None:
    pot = Parameter(
        "pot", "money", value=gbp("1000"), formula=(("+", Name("map")), ("-", Name("ffs")))
    )
    inputs = (
        Parameter("map", "money", value=gbp("1100")),
        Parameter("ffs", "money", value=gbp("100")),
    )
    pays = term("pays", Fixed(Name("pot")))
    rules = contract(terms=(pays,), parameters=(pot, *inputs))
    assert amount(evaluate(rules, [unit(10, 1)])) == Decimal("1000.00")
    assert amount(evaluate(rules, [unit(10, 1)], overrides={"map": gbp("1500")})) == Decimal(
        "1400.00"
    )
