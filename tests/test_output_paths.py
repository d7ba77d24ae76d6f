"""``pbr-eval run`` never writes over what it reads: an ``--output`` or ``--reject-invalid``
path that is the contract, a file it is based on or amended by, a data file, or the other
output is refused before any work, and the file is left as it was. Outputs get the mode the
umask gives a new file (not 0600), and ``fmt`` keeps a contract's own mode."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from pbrrules.cli import main

ROOT = Path(__file__).parents[1]


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A copy of a TR lot (with its template and variation) and of the TR example data."""
    contracts = tmp_path / "contracts"
    shutil.copytree(ROOT / "contracts" / "transforming-rehabilitation", contracts)
    shutil.copytree(ROOT / "examples" / "transforming-rehabilitation", tmp_path / "data")
    return tmp_path


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("option", "target"),
    [
        ("--output", "contracts/merseyside.pbr"),
        ("--output", "contracts/template.pbr"),
        ("--output", "contracts/2017-variation.pbr"),
        ("--output", "data/index_events.csv"),
        ("--reject-invalid", "data/offences.csv"),
        ("--reject-invalid", "contracts/merseyside.pbr"),
        ("--output", "data/../data/index_events.csv"),
    ],
)
def test_an_output_that_is_an_input_is_refused_and_the_input_kept(
    work: Path, option: str, target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _snapshot(work)
    status = main(["run", str(work / "contracts" / "merseyside.pbr"), str(work / "data"),
                   option, str(work / target)])  # fmt: skip
    assert status == 1
    err = capsys.readouterr().err
    assert "would overwrite" in err
    assert _snapshot(work) == before


def test_the_same_path_for_both_outputs_is_refused(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = work / "out.txt"
    status = main(["run", str(work / "contracts" / "merseyside.pbr"), str(work / "data"),
                   "--output", str(out), "--reject-invalid", str(out)])  # fmt: skip
    assert status == 1
    assert "--output and --reject-invalid name the same file" in capsys.readouterr().err
    assert not out.exists()


def test_an_input_reached_through_a_symlink_is_refused(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = work / "link.csv"
    link.symlink_to(work / "data" / "index_events.csv")
    before = _snapshot(work / "data")
    status = main(["run", str(work / "contracts" / "merseyside.pbr"), str(work / "data"),
                   "--output", str(link)])  # fmt: skip
    assert status == 1
    assert "would overwrite" in capsys.readouterr().err
    assert _snapshot(work / "data") == before


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_outputs_get_the_mode_the_umask_gives(
    work: Path, umask: int, capsys: pytest.CaptureFixture[str]
) -> None:
    out, rejects = work / "statement.json", work / "rejects.csv"
    old = os.umask(umask)
    try:
        status = main(["run", str(work / "contracts" / "merseyside.pbr"), str(work / "data"),
                       "--format", "json", "--output", str(out),
                       "--reject-invalid", str(rejects)])  # fmt: skip
    finally:
        os.umask(old)
    capsys.readouterr()
    assert status == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask
    assert stat.S_IMODE(rejects.stat().st_mode) == 0o666 & ~umask


@pytest.mark.parametrize("mode", [0o644, 0o600, 0o664])
def test_fmt_keeps_the_contracts_mode(
    tmp_path: Path, mode: int, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = tmp_path / "c.pbr"
    text = (ROOT / "contracts" / "doncaster.pbr").read_text(encoding="utf-8")
    contract.write_text(text.replace("\n\n", "\n\n\n", 1), encoding="utf-8")
    contract.chmod(mode)
    assert main(["fmt", str(contract)]) == 0
    capsys.readouterr()
    assert stat.S_IMODE(contract.stat().st_mode) == mode
    assert contract.read_text(encoding="utf-8") == text
    assert [p.name for p in tmp_path.iterdir()] == ["c.pbr"]  # no temporary file left


def test_the_rejects_file_neutralises_spreadsheet_formulas(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = work / "data" / "index_events.csv"
    lines = events.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("index_date")] = "=HYPERLINK(1)"
    lines[1] = ",".join(cells)
    events.write_text("\n".join(lines), encoding="utf-8")
    rejects = work / "rejects.csv"
    status = main(["run", str(work / "contracts" / "merseyside.pbr"), str(work / "data"),
                   "--reject-invalid", str(rejects)])  # fmt: skip
    capsys.readouterr()
    assert status == 0
    text = rejects.read_text(encoding="utf-8")
    assert "'=HYPERLINK(1)" in text
    assert ",=HYPERLINK" not in text
