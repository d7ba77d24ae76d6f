"""Invalid records stop ``pbr-eval run`` before anything is paid: no statement is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pbrrules.cli import main

ROOT = Path(__file__).parents[2]
CONTRACT = ROOT / "contracts" / "peterborough.pbr"
DATA = ROOT / "examples" / "peterborough"

pytestmark = pytest.mark.skipif(
    not (CONTRACT.exists() and DATA.exists()), reason="needs the Peterborough example"
)


def _broken(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    with (folder / "offences.csv").open("a", encoding="utf-8") as handle:
        handle.write("PB00002,2011-01-05,2011-01-04,conviction,no,PBC99999\n")
    return folder


def test_invalid_records_write_no_statement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "statement.json"
    status = main(
        ["run", str(CONTRACT), str(_broken(tmp_path)), "--format", "json", "--output", str(out)]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert not out.exists()
    assert "offences.csv, row" in err
    assert "column disposal_date: error[PBR306]" in err


def test_rejecting_writes_the_rejects_and_pays_on_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, rejects = tmp_path / "statement.json", tmp_path / "rejects.csv"
    status = main(
        [
            "run",
            str(CONTRACT),
            str(_broken(tmp_path)),
            "--format",
            "json",
            "--output",
            str(out),
            "--reject-invalid",
            str(rejects),
        ]
    )
    capsys.readouterr()
    assert status == 0
    assert out.exists()
    lines = rejects.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert "PBR306" in lines[1]
