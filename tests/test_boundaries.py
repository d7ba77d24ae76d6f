"""Boundary examples (``pbr-eval test --boundaries``, ``--write-boundaries``), control-group
figures in what-if, and edges in two-way tables.

Doncaster's five-point edge is at 530 reoffenders of 1,000 (53.0% against 58.0%); Rikers
Island's bands start at 8.5%, 10%, 11%, 12%, 13%, 16% and 20% below the control group's 10,000
bed days: 9,150, 9,000, 8,900, 8,800, 8,700, 8,400 and 8,000.
"""

from __future__ import annotations

import json
import shlex
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from pbrrules import api
from pbrrules.cli import main
from pbrrules.compiler import compile_file
from pbrrules.what_if import WhatIfProblem, what_if, what_if_grid
from pbrrules.what_if.boundaries import boundaries
from pbrrules.what_if.quantities import parse_value

ROOT = Path(__file__).parents[1]
CONTRACTS = ROOT / "contracts"
DONCASTER = CONTRACTS / "doncaster.pbr"
RIKERS = CONTRACTS / "rikers-island.pbr"


def _at_the_edge(contract: Path) -> list[int]:
    found = boundaries(api.load_contract(contract))
    return [p.value for p in found.points if p.side == "at the edge"]


def test_doncaster_s_five_point_edge_is_paid_at_530_and_one_reoffender_either_side() -> None:
    found = boundaries(api.load_contract(DONCASTER))
    assert [(p.value, p.side, p.point.total) for p in found.points] == [
        (529, "one below", Decimal("0.00")),
        (530, "at the edge", Decimal("0.00")),
        (531, "one above", Decimal("-2000000.00")),
    ]
    assert {p.figure for p in found.points} == {"reoffenders"}
    assert found.points[1].subject == "target five_points (met | not met)"


def test_every_rikers_band_edge_is_found_exactly_even_several_in_one_step() -> None:
    assert _at_the_edge(RIKERS) == [8_000, 8_400, 8_700, 8_800, 8_900, 9_000, 9_150]
    found = boundaries(api.load_contract(RIKERS))
    paid = {(p.value): p.point.amount("success_payment") for p in found.points}
    # 9,150 is exactly 8.5% below 10,000: the first band; one more reoffence falls in none
    assert paid[9_150] == Decimal("4800000.00")
    assert paid[9_151] == Decimal("0.00")
    assert paid[9_000] == Decimal("9600000.00")  # the 10% target: breakeven


def test_a_cap_binding_is_a_boundary_too() -> None:
    found = boundaries(api.load_contract(CONTRACTS / "peterborough.pbr"))
    subjects = {p.subject for p in found.points}
    assert "cap total_outcome_payments (binds | free)" in subjects


def _copy(tmp_path: Path, contract: Path) -> Path:
    shutil.copytree(contract.parent, tmp_path / "contracts")
    return tmp_path / "contracts" / contract.name


@pytest.mark.parametrize("contract", [
    DONCASTER, RIKERS, CONTRACTS / "transforming-rehabilitation" / "london.pbr",
], ids=lambda p: p.name)  # fmt: skip
def test_written_boundary_examples_compile_cleanly_and_pass(
    tmp_path: Path, contract: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _copy(tmp_path, contract)
    written = copy.with_name("boundaries.pbr")
    assert main(["test", str(copy), "--write-boundaries", str(written), "-k", "-"]) == 0
    assert "boundary example(s) written to" in capsys.readouterr().out
    compiled = compile_file(written)
    assert compiled.warnings == ()
    generated = [e for e in compiled.examples if e.name.startswith("to confirm: ")]
    assert len(generated) == len(boundaries(api.load_contract(copy)).points)
    assert main(["test", str(written), "-k", "to confirm"]) == 0
    out = capsys.readouterr().out
    assert f"{len(generated)} example(s): {len(generated)} passed, 0 failed" in out


def test_writing_boundaries_again_replaces_the_generated_block(tmp_path: Path) -> None:
    copy = _copy(tmp_path, DONCASTER)
    assert main(["test", str(copy), "--write-boundaries", str(copy)]) == 0
    once = copy.read_text(encoding="utf-8")
    assert main(["test", str(copy), "--write-boundaries", str(copy)]) == 0
    assert copy.read_text(encoding="utf-8") == once
    assert once.count('example "to confirm: ') == 3
    assert "confirm\n// each against the schedule" in once


def test_the_written_example_expects_what_is_paid(tmp_path: Path) -> None:
    copy = _copy(tmp_path, DONCASTER)
    written = copy.with_name("b.pbr")
    assert main(["test", str(copy), "--write-boundaries", str(written)]) == 0
    text = written.read_text(encoding="utf-8")
    assert (
        "example \"to confirm: target five_points (met | not met) one above, 531 reoffenders in "
        "'year 1'\":\n"
        '  given "year 1": 1,000 offenders, 531 reoffenders\n'
        '  expect five_points is not met in "year 1"\n'
        '  expect repayment pays -£2,000,000 in "year 1"\n'
        "  expect total pays -£2,000,000\n"
    ) in text


def test_write_boundaries_takes_one_contract(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["test", str(DONCASTER), str(RIKERS), "--write-boundaries", "x.pbr"])
    assert status == 1
    assert "writes the examples of one contract" in capsys.readouterr().err


def test_boundaries_need_an_example_with_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = DONCASTER.read_text(encoding="utf-8")
    path = tmp_path / "d.pbr"
    path.write_text(text[: text.index("// --- Worked examples")], encoding="utf-8")
    assert main(["test", str(path), "--boundaries"]) == 1
    assert "boundary examples start from a worked example that gives cohort figures" in (
        capsys.readouterr().err)


def test_the_boundaries_shown_in_commands_md_are_real(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    text = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in text.split("```\n$ pbr-eval test ")[1:]]
    shown_boundaries = [b for b in blocks if "--boundaries" in b.partition("\n")[0]]
    assert len(shown_boundaries) == 2
    for block in shown_boundaries:
        command, _, shown = block.partition("\n")
        assert main(["test", *shlex.split(command)]) == 0
        out = capsys.readouterr().out
        if shown.startswith("...\n"):  # parts shown, each a run of the real lines
            for part in shown.removeprefix("...\n").split("...\n"):
                assert part in out
        else:
            assert out == shown


# -- what-if: control-group figures and two-way edges -------------------------------------------


def test_what_if_varies_the_control_group_s_figures() -> None:
    contract = api.load_contract(RIKERS)
    table = what_if(contract, "control_reoffences", parse_value("9,800"), parse_value("10,200"),
                    parse_value("100"), example="exactly 10%")
    edges = [(e.subject, int(e.last.value.value), int(e.first.value.value)) for e in table.edges]
    assert ("band success_payment", 9_836, 9_837) in edges  # 8.4994% | 8.5087% below
    assert ("band success_payment", 9_999, 10_000) in edges  # the 10% target exactly
    assert table.points[2].amount("success_payment") == Decimal("9600000.00")  # 10,000


def test_varying_control_figures_needs_a_control_group() -> None:
    with pytest.raises(WhatIfProblem, match="gives no control-group figures for \"year 1\""):
        what_if(api.load_contract(DONCASTER), "control_reoffenders", parse_value("1"),
                parse_value("2"), parse_value("1"))


def test_a_two_way_table_marks_its_edges(capsys: pytest.CaptureFixture[str]) -> None:
    contract = api.load_contract(DONCASTER)
    grid = what_if_grid(
        contract, ("reoffenders", parse_value("520"), parse_value("540"), parse_value("10")),
        ("target_reduction", parse_value("4pp"), parse_value("6pp"), parse_value("1pp")),
    )
    found = {(c, e.subject, int(e.last.value.value)) for c, e in grid.edges}
    # 5 points below 58.0% is 530; 6 points is 520; 4 points (540) is never crossed
    assert (1, "target five_points", 530) in found
    assert (2, "target five_points", 520) in found
    assert not any(c == 0 for c, _, _ in found)
    assert grid.edge_below(2, 1)
    assert not grid.edge_below(1, 1)
    status = main(["what-if", str(DONCASTER), "--vary", "reoffenders", "520", "540", "10",
                   "--vary", "target_reduction", "4pp", "6pp", "1pp", "--format", "json"])
    assert status == 0
    data = json.loads(capsys.readouterr().out)
    assert {"column": {"display": "5 percentage points", "exact": "1/20",
                       "unit": "percentage points"},
            "subject": "target five_points", "before": "met", "after": "not met",
            "last": {"display": "530", "exact": "530", "unit": "count"},
            "first": {"display": "531", "exact": "531", "unit": "count"}} in data["edges"]


def test_the_point_at_an_edge_is_the_side_its_bound_belongs_to() -> None:
    found = boundaries(api.load_contract(CONTRACTS / "transforming-rehabilitation" / "london.pbr"))
    at = {p.subject: p.value for p in found.points
          if p.side == "at the edge" and p.figure == "reoffenders"}
    # an "increase of at least" target is met at its threshold: the higher count
    assert at["target binary_increase (not met | met)"] == 527
    # a "reduction of at least" target: the lower count
    assert at["target binary_target (met | not met)"] == 473
    # a cap reached exactly does not cut: the count where it is still free
    assert at["cap pbr_pot_cap (binds | free)"] == 300
    # a term paying because its target is met is not an edge of its own
    assert not any(p.subject.startswith("term ") for p in found.points)


def test_the_written_boundaries_shown_in_commands_md_are_real(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    block = text.split("```\n$ pbr-eval test contracts/doncaster.pbr -k \"exactly five\" "
                       "--write-boundaries doncaster-boundaries.pbr\n")[1].split("```")[0]
    shown_run, _, shown_tail = block.partition("$ tail -9 doncaster-boundaries.pbr\n")
    (tmp_path / "contracts").mkdir()
    shutil.copy(DONCASTER, tmp_path / "contracts" / "doncaster.pbr")
    monkeypatch.chdir(tmp_path)
    assert main(["test", "contracts/doncaster.pbr", "-k", "exactly five", "--write-boundaries",
                 "doncaster-boundaries.pbr"]) == 0
    assert capsys.readouterr().out == shown_run
    written = (tmp_path / "doncaster-boundaries.pbr").read_text(encoding="utf-8")
    assert "".join(written.splitlines(keepends=True)[-9:]) == shown_tail
