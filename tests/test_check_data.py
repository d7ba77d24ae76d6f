"""``pbr-eval check CONTRACT --data FOLDER``: the columns a contract names against the headers
of the outcome files, each problem at the contract line that names the column."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pbrrules.cli import main

ROOT = Path(__file__).parents[1]
MERSEYSIDE = ROOT / "contracts" / "transforming-rehabilitation" / "merseyside.pbr"
TR_DATA = ROOT / "examples" / "transforming-rehabilitation"


def _renamed(tmp_path: Path, old: str, new: str) -> Path:
    """The TR example data with one index-event column renamed in the header."""
    folder = tmp_path / "extract"
    shutil.copytree(TR_DATA, folder)
    events = folder / "index_events.csv"
    header, rest = events.read_text(encoding="utf-8").split("\n", 1)
    assert old in header.split(",")
    events.write_text(header.replace(old, new) + "\n" + rest, encoding="utf-8")
    return folder


def test_matching_data_has_no_problems(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(MERSEYSIDE), "--data", str(TR_DATA)]) == 0
    assert "1 file(s) checked, no problems" in capsys.readouterr().out


def test_a_column_the_contract_names_is_placed_at_its_line_with_the_near_spelling(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _renamed(tmp_path, "allocated_to_nps", "Allocated To NPS")
    assert main(["check", str(MERSEYSIDE), "--data", str(folder)]) == 1
    err = capsys.readouterr().err
    template = (MERSEYSIDE.parent / "template.pbr").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(template, 1) if "exclude when allocated_to_nps" in text)
    assert f"template.pbr:{line}:16: error[PBR302]: this contract names the column " in err
    assert "'allocated_to_nps' of index_events" in err
    assert "it has 'Allocated To NPS'" in err
    assert "exclude when allocated_to_nps because" in err  # the contract's line is shown


def test_a_column_the_standard_requires_is_placed_at_the_files_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _renamed(tmp_path, "index_date", "date_of_index")
    assert main(["check", str(MERSEYSIDE), "--data", str(folder), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    (problem,) = report["diagnostics"]
    assert problem["code"] == "PBR302"
    assert "the data standard requires the column 'index_date'" in problem["message"]
    assert problem["file"].endswith("index_events.csv")
    assert problem["line"] == 1


def test_outcome_tables_a_measure_counts_from_are_checked_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A table a measure counts from and the data lacks is reported at the measure; a required
    column an outcome table lacks, at the file's header."""
    folder = tmp_path / "outcomes"
    shutil.copytree(ROOT / "examples" / "outcomes", folder)
    (folder / "custody.csv").unlink()
    employment = folder / "employment.csv"
    employment.write_text(
        employment.read_text(encoding="utf-8").replace("employed", "works", 1), encoding="utf-8"
    )
    contract = str(ROOT / "tests" / "pay" / "contracts" / "outcomes.pbr")
    assert main(["check", contract, "--data", str(folder)]) == 1
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert "[PBR301]: measure 'bed_days' counts custody days, but the data has no custody" in out
    assert "[PBR302]: the data standard requires the column 'employed' of employment" in out
    assert main(["check", contract, "--data", str(ROOT / "examples" / "outcomes")]) == 0
