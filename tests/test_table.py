"""The terminal table fits its width (no line a terminal would re-wrap mid-word), lines up every
amount on its decimal point, folds empty cohorts, and has a summary and filters that say so."""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path

import pytest

from pbrrules import api
from pbrrules.cli import main
from pbrrules.measure import load_outcomes
from pbrrules.render.table import Selection, render_table
from pbrrules.statement import Statement

ROOT = Path(__file__).parents[1]
TR = ROOT / "contracts/transforming-rehabilitation"
TR_DATA = "examples/transforming-rehabilitation"
RUNS = {
    "peterborough": ("contracts/peterborough.pbr", "examples/peterborough"),
    "doncaster": ("contracts/doncaster.pbr", "examples/doncaster"),
    "tr-cumbria-lancashire": (f"{TR}/cumbria-lancashire.pbr", TR_DATA),
    "tr-northumbria": (f"{TR}/northumbria.pbr", TR_DATA),
    "tr-merseyside": (f"{TR}/merseyside.pbr", TR_DATA),
}
#: A row's amount at its end: ``£383,500.00``, ``-£2,000,000.00``.
AMOUNT = re.compile(r"-?£[\d,]+\.\d\d$")


@functools.cache
def _statement(run: str) -> Statement:
    contract, data = RUNS[run]
    return api.evaluate_folder(api.load_contract(ROOT / contract), ROOT / data)


@functools.cache
def _national() -> tuple[Statement, ...]:
    """Every lot's statement from the national run of the 21 TR lots on one measurement."""
    lots = [api.load_contract(p) for p in sorted(TR.glob("*.pbr"))]
    lots = [lot for lot in lots if lot.header.kind == "contract"]
    statements, _ = api.measured_lots(lots, load_outcomes(ROOT / TR_DATA))
    return tuple(statements)


def _all() -> list[tuple[str, Statement]]:
    named = [(run, _statement(run)) for run in RUNS]
    return named + [(f"national:{s.contract.name}", s) for s in _national()]


@pytest.mark.parametrize("width", [80, 100, 60])
def test_no_line_of_any_bundled_statement_is_wider_than_the_width(width: int) -> None:
    statements = _all()
    assert len(statements) == 5 + 21
    for name, statement in statements:
        for summary in (False, True):
            text = render_table(statement, width=width, summary=summary)
            wide = [line for line in text.splitlines() if len(line) > width]
            assert not wide, f"{name} at {width}: {wide[:3]}"


def test_wrapping_breaks_only_between_words() -> None:
    """Every word of the 100-column text is a word of the 80-column text: nothing was split."""
    for _, statement in _all()[:5]:
        wide = render_table(statement, width=100).split()
        narrow = render_table(statement, width=80).split()
        assert sorted(set(narrow) - set(wide)) == []


@pytest.mark.parametrize("run", sorted(RUNS))
def test_every_amount_ends_in_the_same_column(run: str) -> None:
    text = render_table(_statement(run), width=80)
    rows = [line for line in text.splitlines() if AMOUNT.search(line) and line[2] != " "]
    assert any("cohort total" in row for row in rows)
    assert any("overall" in row for row in rows)
    assert {len(row) for row in rows} == {80}, rows
    assert len({row.rindex(".") for row in rows}) == 1


def test_empty_cohorts_are_folded_into_one_line() -> None:
    text = render_table(_statement("tr-northumbria"), width=80)
    assert "No records and nothing to pay in 15 cohort unit(s), none final: 2016-Q3," in text
    assert "2016-Q3 · cohort" not in text
    assert text.count("cohort total") == 3


def test_the_summary_has_totals_per_area_year_and_term_only() -> None:
    text = render_table(_statement("doncaster"), width=80, summary=True)
    for title in ("Totals per area", "Totals per contract year", "Totals per term"):
        assert f"\n{title}\n" in text
    assert "cohort total" not in text
    assert "Records" not in text
    assert re.search(r"\n  repayment +-£2,000,000\.00\n", text)


def test_a_filtered_statement_says_so_and_totals_what_it_shows() -> None:
    statement = _statement("doncaster")
    year1 = render_table(statement, width=80, selection=Selection(periods=("year 1",)))
    assert "Filtered statement (period year 1): 1 of 4 cohort units shown" in year1
    assert re.search(r"\n  overall +£0\.00\n", year1)
    assert "year 2 ·" not in year1
    both = render_table(statement, width=80, selection=Selection(periods=("year 1", "year 2")))
    assert re.search(r"\n  overall +-£2,000,000\.00\n", both)
    assert Selection(periods=("year 9",)).unknown(statement) == (
        "no period 'year 9' in this statement (year 1, year 2, year 3, year 4)"
    )


def test_the_cli_takes_the_width_the_summary_and_filters(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    run = ["run", "contracts/doncaster.pbr", "examples/doncaster"]
    assert main([*run, "--width", "60", "--period", "year 2"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) == 60
    assert "Filtered statement (period year 2)" in out
    # on a terminal, the terminal's width
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "72")
    monkeypatch.setenv("NO_COLOR", "1")
    assert main([*run, "--summary"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) == 72
    assert "Totals per term" in out


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--format", "csv", "--summary"], "--summary: only with --format table"),
        (["--area", "Essex"], "no area 'Essex' in this statement (none)"),
        (["--period", "2016-Q1"], "no period '2016-Q1' in this statement (year 1, year 2,"),
    ],
)
def test_the_table_options_are_refused_with_a_reason(
    options: list[str], message: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.chdir(ROOT)
    assert main(["run", "contracts/doncaster.pbr", "examples/doncaster", *options]) == 1
    assert message in capsys.readouterr().err


def test_a_width_below_forty_is_misuse(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "contracts/doncaster.pbr", "examples/doncaster", "--width", "20"]) == 2
    assert "not a number of columns of at least 40" in capsys.readouterr().err


def test_colour_codes_take_no_column() -> None:
    """On a terminal the table is coloured; the codes are not counted in the width."""
    statement = _statement("tr-northumbria")
    coloured = render_table(statement, width=80, colour=True)
    assert "\033[" in coloured
    plain = re.sub(r"\033\[\d+m", "", coloured)
    assert plain == render_table(statement, width=80)
