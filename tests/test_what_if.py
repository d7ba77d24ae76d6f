"""``pbr-eval what-if``: what each term and the total pay as one thing varies, with the edges
found exactly and an amount solved for (docs/commands.md)."""

from __future__ import annotations

import csv
import io
import json
import shlex
import sys
from fractions import Fraction
from pathlib import Path
from xml.etree import ElementTree

import pytest

from pbrrules import api
from pbrrules.cli import main
from pbrrules.what_if import WhatIfProblem, parse_value, show, values, what_if

ROOT = Path(__file__).parents[1]
DONCASTER = str(ROOT / "contracts" / "doncaster.pbr")
ESSEX = str(ROOT / "contracts" / "transforming-rehabilitation" / "essex.pbr")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["what-if", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_doncaster_shows_the_five_point_edge_exactly(capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN Doncaster's 58.0% baseline and its five-point target (met at exactly five points)
    status, out, err = _run(
        capsys, DONCASTER, "--vary", "reconviction_rate", "50%", "56%", "--step", "0.5%"
    )
    assert status == 0, err
    lines = out.splitlines()
    # THEN 53% (exactly five points below) is met and repays nothing; 53.5% repays 10%
    assert "              53%           £0.00           £0.00  met" in lines
    assert "            53.5%  -£2,000,000.00  -£2,000,000.00  not met" in lines
    # AND the edge is marked between them, narrowed to the nearest evaluated values
    edge = lines.index("  -- target five_points: met at 53%, not met from 53.0005%")
    assert lines[edge - 1].strip().startswith("53% ")
    assert "  -- term repayment: not met at 53%, pays from 53.0005%" in lines


def test_varying_a_cohort_figure_finds_the_edge_between_whole_numbers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = _run(
        capsys, DONCASTER, "--vary", "reoffenders", "520", "540", "--solve=-£2,000,000"
    )
    assert status == 0
    assert "  -- target five_points: met at 530, not met from 531" in out.splitlines()
    assert out.splitlines()[-1] == (
        "total pays -£2,000,000 from reoffenders = 531 on; at 530 it pays £0.00 (nothing "
        "between was evaluated)"
    )


def test_a_parameter_varied_moves_the_edge_to_the_examples_own_reduction() -> None:
    contract = api.load_contract(DONCASTER)
    table = what_if(
        contract, "target_reduction", parse_value("3pp"), parse_value("7pp"), parse_value("1pp")
    )
    [edge, _] = table.edges
    # the first example's rate is 52.3%: 5.7 points below 58.0%
    assert (edge.subject, show(edge.last.value), show(edge.first.value)) == (
        "target five_points", "5.7 percentage points", "5.701 percentage points",
    )  # fmt: skip
    assert table.kind == "parameter"


def test_solving_for_a_payment_on_a_per_point_term_is_exact(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = _run(
        capsys, ESSEX, "--vary", "binary_rate", "40%", "50%", "--step", "1%",
        "--solve", "£222,222.22", "--term", "binary_payment",
    )  # fmt: skip
    assert status == 0
    # £50,000 a point: £222,222.22 is 4.4444444 points below the example's 50% baseline
    assert out.splitlines()[-1].startswith(
        "binary_payment pays £222,222.22 at binary_rate = 45.5555556% exactly"
    )


def test_a_payment_the_contract_steps_over_is_said_to_be_paid_at_no_value(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = _run(
        capsys, ESSEX, "--vary", "binary_rate", "40%", "50%", "--step", "1%",
        "--solve", "£100,000", "--term", "binary_payment",
    )  # fmt: skip
    assert out.splitlines()[-1].startswith("binary_payment pays £100,000 at no value: it steps")


def test_the_edge_where_a_cap_binds_is_marked(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(
        capsys, ESSEX, "--vary", "pbr_pot", "£100,000", "£500,000", "--step", "£100,000"
    )
    # the example pays £340,000 before the cap: a pot of exactly £340,000 does not bind
    assert "  -- cap pbr_pot_cap: binds at £339,900, free from £340,000" in out.splitlines()


def test_json_gives_exact_values_and_csv_one_row_per_value(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = [DONCASTER, "--vary", "reconviction_rate", "52%", "54%", "--step", "1%"]
    _, out, _ = _run(capsys, *args, "--format", "json")
    data = json.loads(out)
    assert data["schema"] == "pbr.what-if/1"
    assert [p["value"]["exact"] for p in data["points"]] == ["13/25", "53/100", "27/50"]
    assert [p["total"] for p in data["points"]] == ["0.00", "0.00", "-2000000.00"]
    assert data["edges"][0]["last"]["display"] == "53%"
    _, out, _ = _run(capsys, *args, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["reconviction_rate", "repayment", "total", "target five_points"]
    assert rows[3] == ["54%", "-2000000.00", "-2000000.00", "not met"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--vary", "baseline", "50%", "56%"], "did you mean 'baseline_2009'?"),
        (["--vary", "reconviction_rate", "3%", "7pp"], "the range mixes units"),
        (["--vary", "reconviction_rate", "56%", "50%"], "the range runs backwards"),
        (["--vary", "reconviction_rate", "50%", "56%", "--step", "0%"], "more than zero"),
        (["--vary", "reconviction_rate", "0%", "100%", "--step", "0.001%"], "use a larger step"),
        (["--vary", "reconviction_rate", "fifty", "56%"], "'fifty' is not a value"),
        (["--vary", "reoffenders", "1", "2", "--step", "0.5"], "must be a whole number"),
        (["--vary", "reoffenders", "1", "2", "--example", "nothing"], 'no worked example'),
        (["--vary", "reoffenders", "1", "2", "--period", "year 9"], 'no figures for "year 9"'),
        # fewer offenders than the example's reoffenders: figures no cohort can have (issue 12)
        (["--vary", "offenders", "1", "2"], "impossible figures"),
    ],
)
def test_a_question_the_contract_cannot_answer_is_said_plainly(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(capsys, DONCASTER, *args)
    assert (status, out) == (1, "")
    assert err.startswith("pbr-eval: what-if: ")
    assert message in err
    assert "Traceback" not in err


def test_the_values_of_a_range_are_exact_and_include_its_end() -> None:
    points = values(parse_value("0.1%"), parse_value("0.3%"), parse_value("0.1%"))
    assert [p.value for p in points] == [Fraction(1, 1000), Fraction(2, 1000), Fraction(3, 1000)]
    with pytest.raises(WhatIfProblem):
        values(parse_value("£1"), parse_value("2"), parse_value("1"))


def test_the_examples_in_the_commands_doc_are_what_the_command_prints(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    text = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in text.split("```\n$ pbr-eval what-if ")[1:]]
    assert len(blocks) == 4
    for block in blocks:
        command, _, shown = block.partition("\n")
        status = main(["what-if", *shlex.split(command)])
        out = capsys.readouterr().out
        assert status == 0
        if shown.startswith("...\n"):  # only the last line is shown
            assert out.endswith(shown.removeprefix("...\n"))
        else:
            assert out == shown


def test_the_chart_is_an_svg_of_the_curve_with_its_edges_the_same_every_time(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    args = [DONCASTER, "--vary", "reconviction_rate", "50%", "56%", "--step", "1%"]
    charts = [tmp_path / "one.svg", tmp_path / "two.svg"]
    for chart in charts:
        status, out, err = _run(capsys, *args, "--chart", str(chart))
        assert status == 0, err
        assert f"chart written to {chart}" in err
        assert "five_points" in out  # the table is printed too
    svg = charts[0].read_text(encoding="utf-8")
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "target five_points: met at 53%" in svg
    assert "repayment" in svg
    assert charts[0].read_bytes() == charts[1].read_bytes()


def test_a_chart_not_named_svg_or_without_matplotlib_is_refused_plainly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = [DONCASTER, "--vary", "reconviction_rate", "50%", "56%"]
    status, _, err = _run(capsys, *args, "--chart", str(tmp_path / "curve.png"))
    assert status == 1
    assert "the chart is drawn as SVG" in err
    status, _, err = _run(capsys, *args, "--chart", str(tmp_path / "no" / "curve.svg"))
    assert (status, err.strip()) == (1, f"pbr-eval: what-if: cannot write the chart to "
                                        f"{tmp_path / 'no' / 'curve.svg'}: there is no folder "
                                        f"{tmp_path / 'no'}")
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if it were not installed
    status, _, err = _run(capsys, *args, "--chart", str(tmp_path / "curve.svg"))
    assert status == 1
    assert "needs matplotlib: pip install 'pbrrules[chart]'" in err
    assert not (tmp_path / "curve.svg").exists()


def test_two_things_varied_give_a_two_way_table_of_the_total(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # GIVEN the rate down the side and the target's size across
    status, out, err = _run(
        capsys, DONCASTER, "--vary", "reconviction_rate", "52%", "54%", "1%",
        "--vary", "target_reduction", "4pp", "6pp", "1pp", "--format", "csv",
    )  # fmt: skip
    assert status == 0, err
    # THEN a rate repays where it is less than the target's points below 58.0% (at it: met)
    assert list(csv.reader(io.StringIO(out))) == [
        ["reconviction_rate \\ target_reduction", "4 percentage points", "5 percentage points",
         "6 percentage points"],
        ["52%", "0.00", "0.00", "0.00"],
        ["53%", "0.00", "0.00", "-2000000.00"],
        ["54%", "0.00", "-2000000.00", "-2000000.00"],
    ]  # fmt: skip
    status, out, _ = _run(
        capsys, DONCASTER, "--vary", "reoffenders", "520", "540", "20",
        "--vary", "offenders", "1000", "1100", "100", "--format", "json",
    )  # fmt: skip
    data = json.loads(out)
    assert data["schema"] == "pbr.what-if-grid/1"
    # 540 of 1,100 is 49.1%: well within five points of 58.0%; 540 of 1,000 is not
    assert data["amounts"] == [["0.00", "0.00"], ["-2000000.00", "0.00"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--vary", "reoffenders", "1", "2", "--vary", "reoffenders", "1", "2"], "varied twice"),
        (["--vary", "reoffenders", "1", "2", "--vary", "offenders", "1", "2", "--solve", "£1"],
         "--solve and --chart go with one thing varied"),
        (["--vary", "a", "1", "2", "--vary", "b", "1", "2", "--vary", "c", "1", "2"],
         "not more"),
        (["--vary", "reoffenders", "1"], "--vary takes NAME FROM TO [STEP]"),
    ],
)
def test_a_two_way_question_asked_wrongly_is_said_plainly(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(capsys, DONCASTER, *args)
    assert (status, out) == (1, "")
    assert message in err
