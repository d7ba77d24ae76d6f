"""Renderers: the table's colour and width, CSV rows, and Markdown, on hand-built figures."""

from __future__ import annotations

import csv
import io

from pbrrules.pay import evaluate
from pbrrules.render import render
from pbrrules.rules import Fixed, PerUnitOf, Target, TargetMet

from .contracts import contract, gbp, lit, pp, quarter, term, unit

FIVE = Target("five", "change", "reduction", lit(pp("5")), clause="clause 5")
LONG = "a_term_with_a_name_far_longer_than_any_column_could_ever_hold_in_a_table"
RULES = contract(
    terms=(
        term("bonus", PerUnitOf(lit(gbp("100000")), "point", "change"), when=TargetMet("five")),
        term(LONG, Fixed(lit(gbp("1"))), when=TargetMet("five")),
    ),
    targets=(FIVE,),
)


def test_colour_only_when_asked_and_never_past_100_columns() -> None:
    statement = evaluate(RULES, [unit(1000, 417), quarter(1, 1000, 470, cancelled="x " * 80)])
    plain = render(statement, "table")
    coloured = render(statement, "table", colour=True)
    assert "\033[" not in plain
    assert "\033[32m" in coloured
    assert max(len(line) for line in plain.splitlines()) <= 100


def test_csv_has_one_line_row_per_line_with_plain_decimal_amounts() -> None:
    statement = evaluate(RULES, [unit(1000, 417), quarter(1, 1000, 470)])
    text = render(statement, "csv").removeprefix("\ufeff")
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["record"] == "line"]
    assert [(r["period"], r["name"], r["amount"]) for r in rows] == [
        ("2015-Q1", "bonus", "820000.00"),
        ("2015-Q1", LONG, "1.00"),
        ("2015-Q2", "bonus", "0.00"),
        ("2015-Q2", LONG, "0.00"),
    ]
    assert rows[2]["status"] == "not met"


def test_markdown_tells_each_term_with_its_clause_and_numbers() -> None:
    text = render(evaluate(RULES, [unit(1000, 417)]), "markdown")
    assert "**Term bonus** (clause bonus) pays **£820,000.00**" in text
    assert "binary rate 41.7% = 417 / 1,000" in text
    assert "| **Overall** | **£820,001.00** |" in text
