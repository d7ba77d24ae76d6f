"""The real contracts in contracts/ compile, are in canonical layout, and their worked examples
(which pin the published figures of each scheme) all pass under `pbr-eval test`."""

from __future__ import annotations

from pathlib import Path

import pytest

from pbrrules.cli import main
from pbrrules.formatter.printer import format_text

ROOT = Path(__file__).parents[1]
CONTRACTS = sorted((ROOT / "contracts").rglob("*.pbr"))


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT / "contracts"))


def test_there_are_the_contracts_of_every_scheme() -> None:
    names = {_id(p) for p in CONTRACTS}
    areas = [n for n in names if n.startswith("transforming-rehabilitation/")]
    assert len(CONTRACTS) >= 26
    assert len(areas) >= 23  # 21 areas, the template and the 2017 variation
    assert {"peterborough.pbr", "doncaster.pbr"} <= names


@pytest.mark.parametrize("contract", CONTRACTS, ids=_id)
def test_contract_checks_clean(contract: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["check", str(contract)])
    assert status == 0, capsys.readouterr().err


@pytest.mark.parametrize("contract", CONTRACTS, ids=_id)
def test_contract_is_in_canonical_layout(contract: Path) -> None:
    text = contract.read_text(encoding="utf-8")
    assert format_text(text, contract.name) == text


@pytest.mark.parametrize("contract", CONTRACTS, ids=_id)
def test_worked_examples_pass(contract: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["test", str(contract)])
    out, err = capsys.readouterr()
    assert status == 0, out + err
