"""Impact estimates supplied by the evaluator (issue 13, need 6): an estimated comparison
(Roca's backstop: 80% of the RCT estimate + 20% of the difference-in-differences estimate),
given in worked examples and in the data folder's impacts.csv, checked by row and column."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import attrs
import jsonschema
import pytest

from pbrrules import api
from pbrrules.compiler import compile_contract
from pbrrules.errors import ContractError, OutcomeDataError
from pbrrules.figures import CohortFigures
from pbrrules.formatter.printer import format_text
from pbrrules.measure.impacts import read_impacts
from pbrrules.rules import Contract, GivenImpact
from pbrrules.statement import Line, Statement
from pbrrules.values import Quantity, Unit
from pbrrules.worked_examples import ExampleProblem, example_figures, run_examples

SCHEMA = json.loads(
    (Path(__file__).parents[2] / "docs" / "statement.schema.json").read_text(encoding="utf-8")
)

ROCA = """contract "Backstop"
  payer "Commonwealth of Massachusetts"
  provider "Youth Services PFS LLC"
  currency USD

cohort youths:
  eligible when disposal is "custody_release"
  period "cohort 1" from 2014-01-01 to 2014-12-31

comparison backstop (clause 5.3): estimated impact on youths in relative percent
  as 80% of rct + 20% of did

target five_percent:
  reduction in backstop of at least 5%

term bed_days_payment:
  when five_percent
  pay $50,000 per percent of backstop

rounding:
  payments to 2 decimal places, half up
"""

EXAMPLE = """
example "80/20":
  given impact rct "cohort 1" = -12% (source "Evaluator, RCT estimate")
  given impact did "cohort 1" = -9% (source "Evaluator, difference in differences")
  expect backstop = 11.4%
  expect five_percent is met
  expect bed_days_payment pays $570,000
"""


def compiled(text: str) -> Contract:
    return compile_contract(text, "roca.pbr")


def only_line(statement: Statement) -> Line:
    [line] = [line for _, line in statement.lines()]
    return line


class TestLanguage:
    def test_the_backstop_is_the_weighted_sum_of_the_estimates(self) -> None:
        [result] = run_examples(compiled(ROCA + EXAMPLE))
        assert result.passed, result

    def test_fmt_round_trips_estimates_and_given_impacts(self) -> None:
        text = (ROCA + EXAMPLE).replace("+ 20% of did", "+ 20% of did, higher is better").replace(
            "reduction in backstop", "increase in backstop"
        )
        formatted = format_text(text, "roca.pbr")
        assert compiled(formatted) == compiled(text)
        assert format_text(formatted, "roca.pbr") == formatted
        assert "given impact rct \"cohort 1\" = -12% (source \"Evaluator, RCT estimate\")" in (
            formatted
        )

    def test_higher_is_better_turns_the_sign(self) -> None:
        text = ROCA.replace("+ 20% of did", "+ 20% of did, higher is better").replace(
            "reduction in backstop", "increase in backstop"
        )
        rules = compiled(text + EXAMPLE.replace("-12%", "12%").replace("-9%", "9%"))
        [result] = run_examples(rules)
        assert result.passed, result

    def test_a_missing_estimate_is_not_assessable_never_zero(self) -> None:
        rules = compiled(ROCA + '\nexample "no did":\n  given impact rct "cohort 1" = -12%\n'
                         "  expect bed_days_payment is not assessable\n")
        [result] = run_examples(rules)
        assert result.passed, result
        figures = api.evaluate_figures(rules, _figures(rules))
        line = only_line(figures)
        assert line.status == "not assessable"
        assert "needs the evaluator's impact estimate did for cohort 1" in line.derivation

    def test_an_estimate_in_another_unit_is_not_assessable(self) -> None:
        rules = compiled(ROCA + EXAMPLE.replace("= -9%", "= -9pp"))
        statement = api.evaluate_figures(rules, _figures(rules))
        line = only_line(statement)
        assert line.status == "not assessable"
        assert "did is in percentage points, but comparison backstop is in percent" in (
            line.derivation
        )

    def test_significance_on_an_estimate_is_refused(self) -> None:
        text = ROCA.replace("of at least 5%", "of at least 5%\n  significant at 95% one-sided")
        with pytest.raises(ContractError) as caught:
            compiled(text)
        assert [d.code for d in caught.value.diagnostics] == ["PBR225"]

    def test_pooling_an_estimate_is_refused(self) -> None:
        text = ROCA.replace("of at least 5%", "of at least 5%\n  pooled so far")
        with pytest.raises(ContractError) as caught:
            compiled(text)
        assert [d.code for d in caught.value.diagnostics] == ["PBR225"]

    def test_reoffenders_avoided_of_an_estimate_is_refused(self) -> None:
        text = ROCA.replace("per percent of backstop", "per reoffender avoided of backstop")
        with pytest.raises(ContractError) as caught:
            compiled(text)
        assert "PBR225" in [d.code for d in caught.value.diagnostics]

    def test_an_impact_no_comparison_uses_is_refused(self) -> None:
        with pytest.raises(ContractError) as caught:
            compiled(ROCA + EXAMPLE.replace("impact did", "impact dd"))
        [problem] = [d for d in caught.value.diagnostics if d.severity == "error"]
        assert problem.code == "PBR226"
        assert "the impacts the comparisons use are: did, rct" in (problem.help or "")

    def test_a_weight_must_be_a_percent(self) -> None:
        with pytest.raises(ContractError) as caught:
            compiled(ROCA.replace("80% of rct", "$80 of rct"))
        assert [d.code for d in caught.value.diagnostics] == ["PBR204"]

    def test_an_impact_for_a_period_no_cohort_has(self) -> None:
        with pytest.raises(ContractError) as caught:
            compiled(ROCA + EXAMPLE.replace('did "cohort 1"', 'did "cohort 9"'))
        assert [d.code for d in caught.value.diagnostics] == ["PBR122"]

    def test_the_statement_shows_each_value_and_source(self) -> None:
        rules = compiled(ROCA + EXAMPLE)
        statement = api.evaluate_figures(rules, _figures(rules))
        line = only_line(statement)
        assert line.amount.amount == Decimal("570000.00")
        assert (
            "estimated impact: rct -12% (source: Evaluator, RCT estimate); did -9% (source: "
            "Evaluator, difference in differences); 80% × 12% (relative) + 20% × 9% (relative) "
            "= 11.4% (relative): reduction of 11.4% (relative)" in line.derivation
        )
        data = json.loads(statement.to_json())
        jsonschema.validate(data, SCHEMA)
        impacts = data["units"][0]["figures"]["impacts"]
        assert impacts[0] == {
            "name": "rct",
            "value": {"fraction": "-3/25", "display": "-12%"},
            "unit": "percentage",
            "source": "Evaluator, RCT estimate",
        }
        assert data["units"][0]["comparisons"][0]["improvement"]["fraction"] == str(
            Fraction(114, 1000)
        )


def _figures(rules: Contract) -> list[CohortFigures]:
    return example_figures(rules, rules.examples[0])


INDEX = (
    "offender_id,index_date,area,disposal,sex,age,sentence_months,predicted_rate,group\n"
    "Y1,2014-02-01,Boston,custody_release,male,17,6,0.5,treatment\n"
    "Y2,2014-03-01,Boston,custody_release,male,18,6,0.5,treatment\n"
)
OFFENCES = "offender_id,offence_date,disposal_date,disposal_type,breach\n"


def folder(tmp_path: Path, impacts: str | None) -> Path:
    (tmp_path / "index_events.csv").write_text(INDEX, encoding="utf-8")
    (tmp_path / "offences.csv").write_text(OFFENCES, encoding="utf-8")
    if impacts is not None:
        (tmp_path / "impacts.csv").write_text(impacts, encoding="utf-8")
    return tmp_path


#: After the cohort period ends: with no measured windows, the unit is final then.
AS_OF = datetime.date(2015, 6, 30)

IMPACTS = (
    "cohort,period,name,value,source\n"
    'youths,cohort 1,rct,-12%,"Evaluator, RCT estimate"\n'
    "youths,cohort 1,did,-9%,Evaluator DiD\n"
)


class TestImpactsFile:
    def test_the_data_folders_estimates_are_paid_on(self, tmp_path: Path) -> None:
        statement = api.evaluate_folder(compiled(ROCA), folder(tmp_path, IMPACTS), as_of=AS_OF)
        line = only_line(statement)
        assert line.amount.amount == Decimal("570000.00")
        assert "(source: Evaluator, RCT estimate)" in line.derivation

    def test_no_file_makes_the_comparison_not_assessable(self, tmp_path: Path) -> None:
        statement = api.evaluate_folder(compiled(ROCA), folder(tmp_path, None), as_of=AS_OF)
        assert only_line(statement).status == "not assessable"

    @pytest.mark.parametrize(
        ("text", "where"),
        [
            ("cohort,period,name,value\n", "column source"),
            ("cohort,period,name,value,source\nyouths,cohort 1,rct,twelve,E\n",
             "row 1, column value"),
            ("cohort,period,name,value,source\nyouths,cohort 1,rct,-12%,\n",
             "row 1, column source"),
            ("cohort,period,name,value,source\nyouths,cohort 1,rct,-12%,E\n"
             "youths,cohort 1,rct,-11%,E\n", "row 2"),
            ("cohort,period,name,value,source\nadults,cohort 1,rct,-12%,E\n",
             "row 1, column cohort"),
            ("cohort,period,name,value,source\nyouths,cohort 7,rct,-12%,E\n",
             "row 1, column period"),
        ],
    )
    def test_problems_are_reported_by_row_and_column(
        self, tmp_path: Path, text: str, where: str
    ) -> None:
        with pytest.raises(OutcomeDataError) as caught:
            api.evaluate_folder(compiled(ROCA), folder(tmp_path, text), as_of=AS_OF)
        assert where in str(caught.value)
        assert "nothing was paid" in str(caught.value)

    def test_values_read_exactly_with_their_unit(self, tmp_path: Path) -> None:
        rows = read_impacts(folder(tmp_path, (
            "cohort,period,name,value,source,area\n"
            "youths,cohort 1,a,-3.5pp,E,\n"
            "youths,cohort 1,b,0.30,E,North\n"
            "youths,cohort 1,c,-12.25 %,E,\n"
        )))
        assert [r.figure.value for r in rows] == [
            Quantity(Fraction(-35, 1000), Unit.POINTS),
            Quantity(Fraction(3, 10), Unit.NUMBER),
            Quantity(Fraction(-1225, 10000), Unit.PERCENTAGE),
        ]
        assert [r.area for r in rows] == [None, "North", None]


def test_example_figures_for_an_impact_of_no_estimated_cohort() -> None:
    text = ROCA + EXAMPLE
    rules = compiled(text)
    bad = rules.examples[0]
    given = GivenImpact("rct", "cohort 42", Quantity(Fraction(-1, 10), Unit.PERCENTAGE))
    with pytest.raises(ExampleProblem, match="no cohort compared by an estimated comparison"):
        example_figures(rules, attrs.evolve(bad, givens=(given,)))
