"""Issue 13, language and pay side: outcomes that should rise (``higher is better``), rate cards
(``per person/unit counted in``), who pays whom (``paid by ... to ...``, caps per party, totals
per party), a cap on investors' return, and worked-example figures per measure. Every amount is
worked out by hand in the test."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import jsonschema
import pytest

from pbrrules.compiler import compile_contract
from pbrrules.errors import ContractError
from pbrrules.figures import CohortFigures, GroupFigures, MeasureCounts
from pbrrules.pay import evaluate
from pbrrules.render.table import render_table
from pbrrules.rules import Contract
from pbrrules.statement import Line, Statement
from pbrrules.worked_examples import ExampleProblem, example_figures, run_examples

SCHEMA = json.loads(
    (Path(__file__).parents[2] / "docs" / "statement.schema.json").read_text(encoding="utf-8")
)

HEAD = """contract "Employment"
  payer "New York State"
  provider "Re-Entry Fund"
  currency USD

cohort released:
  eligible when disposal is "custody_release"
  period "cohort 1" from 2013-01-01 to 2013-12-31
  period "cohort 2" from 2014-01-01 to 2014-12-31
  control group when group is "control"

measure employment:
  binary rate of released
  {direction}

measure arrests:
  frequency per 1 offenders of released

comparison employment_change: employment against control group in percentage points

rounding:
  payments to 2 decimal places, half up
"""


def contract(body: str, direction: str = "higher is better") -> Contract:
    return compile_contract(HEAD.format(direction=direction) + body, "employment.pbr")


def unit(
    employed: int,
    control_employed: int | None = 340,
    period: str = "cohort 1",
    arrests: tuple[int, int] | None = (300, 450),
    n: int = 1000,
) -> CohortFigures:
    counts = {"employment": MeasureCounts(employed, 0)}
    if arrests is not None:
        counts["arrests"] = MeasureCounts(*arrests)
    control = None
    if control_employed is not None:
        control = GroupFigures(1000, {"employment": MeasureCounts(control_employed, 0)})
    year = 2013 if period == "cohort 1" else 2014
    return CohortFigures(
        "released", period, datetime.date(year, 1, 1), datetime.date(year, 12, 31),
        GroupFigures(n, counts), control,
    )


def line(statement: Statement, term: str, period: str = "cohort 1") -> Line:
    found = [ln for u, ln in statement.lines() if ln.term == term and u.period == period]
    assert len(found) == 1, found
    return found[0]


PER_POINT = """
target five_points:
  increase in employment_change of at least 5 percentage points

term employment_payment:
  when five_points
  pay $100,000 per percentage point of employment_change
"""


class TestHigherIsBetter:
    def test_a_rise_is_the_improvement_and_pays_per_point(self) -> None:
        statement = evaluate(contract(PER_POINT), [unit(400)])
        paid = line(statement, "employment_payment")
        assert paid.amount.amount == Decimal("600000.00")
        assert paid.unrounded == Fraction(600000)
        assert "increase of 6 percentage points ≥ 5 percentage points" in paid.derivation
        comparison = statement.units[0].comparisons[0]
        assert comparison.improvement == Fraction(6, 100)

    def test_a_fall_does_not_meet_an_increase_target(self) -> None:
        statement = evaluate(contract(PER_POINT), [unit(300)])
        paid = line(statement, "employment_payment")
        assert paid.status == "not met"
        assert "reduction of 4 percentage points, not an increase of at least" in paid.derivation

    def test_a_threshold_met_exactly_is_met(self) -> None:
        statement = evaluate(contract(PER_POINT), [unit(390)])
        assert line(statement, "employment_payment").amount.amount == Decimal("500000.00")

    def test_a_reduction_on_a_higher_is_better_measure_is_a_deterioration_to_deduct_for(
        self,
    ) -> None:
        body = """
target fell:
  reduction in employment_change

term clawback:
  when fell
  deduct $10,000 per percentage point of employment_change
"""
        statement = evaluate(contract(body), [unit(320), unit(360, period="cohort 2")])
        assert line(statement, "clawback").amount.amount == Decimal("-20000.00")
        assert line(statement, "clawback", "cohort 2").status == "not met"

    def test_reoffenders_avoided_read_measure_minus_comparator(self) -> None:
        body = """
term per_person:
  pay $1,000 per reoffender avoided of employment_change
"""
        paid = line(evaluate(contract(body), [unit(400)]), "per_person")
        # (40% − 34%) × 1,000 = 60 more people employed
        assert paid.amount.amount == Decimal("60000.00")
        assert "(40% − 34%) × 1,000 offenders = 60 reoffenders" in paid.derivation

    def test_significance_tests_the_upper_tail(self) -> None:
        body = """
target significant_rise:
  increase in employment_change
  significant at 95% one-sided

term bonus:
  when significant_rise
  pay $50,000
"""
        rules = contract(body)
        # pooled 37%: z = 0.06 / √(0.37 × 0.63 × 2/1000) ≈ 2.78 ≥ 1.645
        assert line(evaluate(rules, [unit(400)]), "bonus").status == "pays"
        # a fall, however significant, is no increase
        fell = line(evaluate(rules, [unit(280)]), "bonus")
        assert fell.status == "not met"
        assert "not an increase: not significant" in fell.derivation

    def test_lower_is_better_written_out_reads_as_the_default(self) -> None:
        body = """
target fell_five:
  reduction in employment_change of at least 5 percentage points

term reward:
  when fell_five
  pay $1,000 per percentage point of employment_change
"""
        written = contract(body, "lower is better")
        default = contract(body, "")
        assert written.rules.measure("employment") == default.rules.measure("employment")
        paid = line(evaluate(written, [unit(280)]), "reward")
        assert paid.amount.amount == Decimal("6000.00")
        assert "reduction of 6 percentage points ≥ 5 percentage points" in paid.derivation


class TestNeverPays:
    def test_an_increase_target_on_a_lower_is_better_measure_with_a_per_point_reward(
        self,
    ) -> None:
        with pytest.raises(ContractError) as caught:
            contract(PER_POINT, "")
        [problem] = [d for d in caught.value.diagnostics if d.severity == "error"]
        assert problem.code == "PBR221"
        assert problem.span.line == 29  # the pay line
        assert "target 'five_points' (line 24)" in problem.message
        assert "higher is better" in (problem.help or "")

    def test_a_deduction_needing_an_improvement_is_refused_too(self) -> None:
        body = """
target rose:
  increase in employment_change

term clawback:
  when rose and term other pays
  deduct $10,000 per percentage point of employment_change

term other:
  pay $1 per unit counted in arrests
"""
        with pytest.raises(ContractError) as caught:
            contract(body)
        assert [d.code for d in caught.value.diagnostics] == ["PBR221"]

    def test_a_hurdle_on_another_term_carries_its_targets(self) -> None:
        body = PER_POINT.replace("when five_points", "when term gate pays") + """
term gate:
  when five_points
  pay $1
"""
        with pytest.raises(ContractError) as caught:
            contract(body, "")
        assert [d.code for d in caught.value.diagnostics] == ["PBR221"]

    @pytest.mark.parametrize(
        "trigger",
        ["five_points or other", "not five_points", "unless_placeholder"],
    )
    def test_a_trigger_that_can_hold_without_the_target_is_accepted(self, trigger: str) -> None:
        body = PER_POINT + """
target other:
  reduction in employment_change
"""
        if trigger == "unless_placeholder":
            body = body.replace("when five_points", "unless five_points")
        else:
            body = body.replace("when five_points", f"when {trigger}")
        contract(body, "")  # compiles

    def test_a_pooled_target_is_left_out(self) -> None:
        body = PER_POINT.replace(
            "of at least 5 percentage points", "of at least 5 percentage points\n  pooled so far"
        )
        contract(body, "")  # compiles: the pooled figures may fall while the unit's rise

    def test_bands_that_may_start_below_zero_are_accepted(self) -> None:
        body = """
target five_points:
  increase in employment_change of at least 5 percentage points

term banded:
  when five_points
  pay by band of employment_change
  band below 1pp: $10
  band from 1pp: $20
"""
        contract(body, "")
        with pytest.raises(ContractError):
            contract(body.replace("band below 1pp: $10", "band from 0.5pp below 1pp: $10"), "")


class TestRateCard:
    BODY = """
term per_quarter:
  pay $450 per unit counted in arrests

term per_person:
  pay $800 per person counted in employment
"""

    def test_a_price_times_the_cohorts_own_count(self) -> None:
        statement = evaluate(contract(self.BODY), [unit(400, control_employed=None)])
        units = line(statement, "per_quarter")
        people = line(statement, "per_person")
        assert units.amount.amount == Decimal("202500.00")  # 450 × 450
        assert people.amount.amount == Decimal("320000.00")  # 800 × 400
        assert units.derivation.startswith("$450 per unit × 450 reoffences counted in arrests")
        assert people.derivation.startswith("$800 per person × 400 people counted in employment")

    def test_no_count_is_not_assessable_never_zero(self) -> None:
        statement = evaluate(contract(self.BODY), [unit(400, arrests=None)])
        missing = line(statement, "per_quarter")
        assert missing.status == "not assessable"
        assert "no figures for measure arrests" in missing.derivation

    def test_an_unknown_measure_is_refused(self) -> None:
        with pytest.raises(ContractError) as caught:
            contract(self.BODY.replace("counted in arrests", "counted in arrest"))
        assert [d.code for d in caught.value.diagnostics] == ["PBR101"]


PARTIES = """
term federal:
  pay $1,000 per person counted in employment
  paid by "US Department of Labor" to "Re-Entry Fund"

term state:
  pay $200 per unit counted in arrests

term provider_account:
  pay $800 per person counted in employment
  paid to "Roca"

cap federal_grant: all terms paid by "US Department of Labor" at most $150,000 over the contract
"""


class TestParties:
    def test_lines_carry_their_parties_with_the_header_as_default(self) -> None:
        statement = evaluate(contract(PARTIES), [unit(100, control_employed=None)])
        assert (line(statement, "federal").payer, line(statement, "federal").payee) == (
            "US Department of Labor", "Re-Entry Fund")
        assert (line(statement, "state").payer, line(statement, "state").payee) == (
            "New York State", "Re-Entry Fund")
        assert (line(statement, "provider_account").payer,
                line(statement, "provider_account").payee) == ("New York State", "Roca")

    def test_a_cap_per_payer_trims_only_that_payers_lines(self) -> None:
        statement = evaluate(
            contract(PARTIES),
            [unit(100, control_employed=None), unit(100, None, period="cohort 2")],
        )
        assert line(statement, "federal", "cohort 2").amount.amount == Decimal("50000.00")
        assert line(statement, "state", "cohort 2").amount.amount == Decimal("90000.00")
        payer = {p.party: p.total.amount for p in statement.by_payer}
        payee = {p.party: p.total.amount for p in statement.by_payee}
        # federal 100,000 + 50,000 (capped); state 2 × 90,000; Roca 2 × 800 × 100
        assert payer == {"US Department of Labor": Decimal("150000.00"),
                         "New York State": Decimal("340000.00")}
        assert payee == {"Re-Entry Fund": Decimal("330000.00"), "Roca": Decimal("160000.00")}
        assert sum(payer.values()) == statement.total.amount
        [standing] = statement.limits
        assert (standing.used, standing.left) == (Decimal("150000.00"), Decimal("0.00"))

    def test_the_statement_json_and_table_show_the_parties(self) -> None:
        statement = evaluate(contract(PARTIES), [unit(100, control_employed=None)])
        data = json.loads(statement.to_json())
        jsonschema.validate(data, SCHEMA)
        assert data["contract"]["payer"] == "New York State"
        assert data["contract"]["provider"] == "Re-Entry Fund"
        assert data["units"][0]["lines"][0]["payer"] == "US Department of Labor"
        assert data["totals"]["by_payer"][0] == {
            "party": "US Department of Labor",
            "total": {"amount": "100000.00", "currency": "USD", "display": "$100,000.00"},
        }
        table = render_table(statement)
        payers = table[table.index("Totals per payer"):table.index("Totals per payee")]
        payees = table[table.index("Totals per payee"):]
        assert "US Department of Labor" in payers
        assert "Roca" in payees
        assert "cap federal_grant on what US Department of Labor pays" in table

    def test_a_contract_naming_no_parties_has_no_party_fields(self) -> None:
        body = "\nterm state:\n  pay $200 per unit counted in arrests\n"
        statement = evaluate(contract(body), [unit(100, None)])
        data = json.loads(statement.to_json())
        jsonschema.validate(data, SCHEMA)
        assert "payer" not in data["units"][0]["lines"][0]
        assert "by_payer" not in data["totals"]
        assert data["limits"] == []  # every statement lists its limits' standing (none here)


INVESTORS = """
term success:
  pay $300,000 per person counted in employment

cap investors: all terms paid to "Re-Entry Fund" at most $13,500,000
  plus 12.5% a year{how} over the contract
"""


class TestInvestorReturn:
    def test_simple_return_is_principal_times_one_plus_rate_times_years(self) -> None:
        statement = evaluate(
            contract(INVESTORS.format(how=" for 4 years")), [unit(100, None)]
        )
        paid = line(statement, "success")
        assert paid.amount.amount == Decimal("20250000.00")  # 13.5m × (1 + 0.125 × 4)
        [standing] = statement.limits
        assert standing.left == Decimal("0.00")
        assert standing.derivation is not None
        assert "× (1 + 12.5% a year × 4 years, simple) = $20,250,000" in standing.derivation

    def test_compounded_return_in_whole_years(self) -> None:
        statement = evaluate(
            contract(INVESTORS.format(how=" compounded for 4 years")), [unit(100, None)]
        )
        # 13.5m × 1.125^4 = 21,624,389.6484375, trimmed toward zero to the cent
        assert line(statement, "success").amount.amount == Decimal("21624389.64")

    def test_months_count_as_twelfths_of_a_year(self) -> None:
        statement = evaluate(
            contract(INVESTORS.format(how=" for 18 months")), [unit(100, None)]
        )
        assert line(statement, "success").amount.amount == Decimal("16031250.00")

    def test_compounding_over_part_of_a_year_is_refused(self) -> None:
        with pytest.raises(ContractError) as caught:
            contract(INVESTORS.format(how=" compounded for 18 months"))
        assert [d.code for d in caught.value.diagnostics] == ["PBR224"]

    def test_a_return_on_a_collar_is_refused(self) -> None:
        body = INVESTORS.format(how=" for 4 years").replace("cap investors", "collar investors")
        with pytest.raises(ContractError) as caught:
            contract(body)
        assert "PBR224" in [d.code for d in caught.value.diagnostics]

    def test_a_return_must_be_a_percent_and_positive(self) -> None:
        with pytest.raises(ContractError) as caught:
            contract(INVESTORS.format(how=" for 4 years").replace("12.5%", "$5"))
        assert [d.code for d in caught.value.diagnostics] == ["PBR204"]

    def test_a_misspelt_party_is_a_warning(self) -> None:
        rules = contract(PARTIES.replace('paid by "US Department of Labor" at most',
                                         'paid by "US Dept of Labor" at most'))
        assert [w.code for w in rules.warnings] == ["PBR223"]


EXAMPLE_HEAD = PER_POINT + """
term arrests_card:
  pay $250 per unit counted in arrests
"""


class TestFiguresPerMeasure:
    def run(self, lines: str) -> list[CohortFigures]:
        rules = contract(EXAMPLE_HEAD + '\nexample "e":\n' + lines)
        return example_figures(rules, rules.examples[0])

    def test_a_measure_takes_its_own_line_and_the_others_the_cohorts(self) -> None:
        [figures] = self.run(
            '  given "cohort 1": 1,000 offenders, 400 reoffenders\n'
            '  given "cohort 1" for arrests: 1,000 offenders, 120 reoffenders, 300 reoffences\n'
        )
        assert figures.treatment.counts_for("employment") == MeasureCounts(400, 0)
        assert figures.treatment.counts_for("arrests") == MeasureCounts(120, 300)

    def test_a_measure_line_alone_gives_the_cohort_size(self) -> None:
        [figures] = self.run(
            '  given "cohort 1" for arrests: 800 offenders, 120 reoffenders, 300 reoffences\n'
        )
        assert figures.treatment.offenders == 800
        assert figures.treatment.counts_for("employment") is None

    def test_two_cohort_sizes_are_a_problem(self) -> None:
        with pytest.raises(ExampleProblem, match="different numbers of offenders"):
            self.run(
                '  given "cohort 1": 1,000 offenders, 400 reoffenders\n'
                '  given "cohort 1" for arrests: 900 offenders, 120 reoffenders, 300 reoffences\n'
            )

    def test_an_unknown_measure_is_refused_at_its_line(self) -> None:
        with pytest.raises(ContractError) as caught:
            self.run('  given "cohort 1" for arrestz: 1,000 offenders, 300 reoffences\n')
        [problem] = [d for d in caught.value.diagnostics if d.severity == "error"]
        assert problem.code == "PBR101"
        assert problem.span.line == HEAD.count("\n") + EXAMPLE_HEAD.count("\n") + 3

    def test_the_example_passes_with_each_measures_figures(self) -> None:
        rules = contract(
            EXAMPLE_HEAD
            + '\nexample "e":\n'
            + '  given "cohort 1": 1,000 offenders, 400 reoffenders\n'
            + '  given control "cohort 1": 1,000 offenders, 340 reoffenders\n'
            + '  given "cohort 1" for arrests: 1,000 offenders, 120 reoffenders, 300 reoffences\n'
            + "  expect employment_payment pays $600,000\n"
            + "  expect arrests_card pays $75,000\n"
        )
        [result] = run_examples(rules)
        assert result.passed, result


def test_a_party_cap_per_cohort_reports_each_cohorts_standing() -> None:
    body = PARTIES.replace("at most $150,000 over the contract", "at most $150,000 per cohort")
    statement = evaluate(
        contract(body), [unit(100, control_employed=None), unit(200, None, period="cohort 2")]
    )
    described = [standing.describe() for standing in statement.limits]
    assert described == [
        "cap federal_grant on what US Department of Labor pays (cohort 1): $150,000.00 allowed; "
        "$100,000.00 paid under it; $50,000.00 left",
        "cap federal_grant on what US Department of Labor pays (cohort 2): $150,000.00 allowed; "
        "$150,000.00 paid under it; $0.00 left",
    ]


def test_every_format_gives_each_lines_parties_and_the_totals_per_party() -> None:
    """CSV (a row per payer and payee total, adding up to the total), Markdown and HTML (a
    table per payer and payee, and each line's parties) say who pays whom."""
    import csv
    import io

    from pbrrules.render.csv import render_csv
    from pbrrules.render.html import render_html
    from pbrrules.render.markdown import render_markdown

    statement = evaluate(contract(PARTIES), [unit(100, control_employed=None)])
    rows = list(csv.DictReader(io.StringIO(render_csv(statement, bom=False))))
    payers = {r["payer"]: Decimal(r["amount"]) for r in rows if r["record"] == "payer total"}
    payees = {r["payee"]: Decimal(r["amount"]) for r in rows if r["record"] == "payee total"}
    assert payers == {p.party: p.total.amount for p in statement.by_payer}
    assert payees == {p.party: p.total.amount for p in statement.by_payee}
    assert sum(payers.values()) == sum(payees.values()) == statement.total.amount
    assert all(r["payer"] and r["payee"] for r in rows if r["record"] == "line")
    markdown = render_markdown(statement)
    assert "## Totals per payer" in markdown
    assert "## Totals per payee" in markdown
    assert "  - Paid by US Department of Labor to Re-Entry Fund." in markdown
    html = render_html(statement)
    assert "<h2>Totals per payer</h2>" in html
    assert "paid by US Department of Labor to Re-Entry Fund" in html
