"""A contract over outcomes beyond offences, run end to end on examples/outcomes: the statement
names each measure's units ("144 bed days", "4 arrests"), never "reoffences", in every format;
a unit is final only when its latest window (here the fourth quarter after the index date's) has
closed by the extract date."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from pbrrules.cli import main
from pbrrules.statement import json_schema

ROOT = Path(__file__).parents[2]
CONTRACT = str(ROOT / "tests/pay/contracts/outcomes.pbr")
DATA = str(ROOT / "examples/outcomes")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    status = main(["run", CONTRACT, DATA, *args])
    out, err = capsys.readouterr()
    assert status == 0, err
    return out


def _unit(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    data = json.loads(_run(capsys, "--format", "json", *args))
    (unit,) = data["units"]
    assert isinstance(unit, dict)
    return unit


def test_the_figures_are_the_hand_worked_ones(capsys: pytest.CaptureFixture[str]) -> None:
    """Treated: p01 (one arrest of two charges), p03 (arrested the day before its window ends);
    custody in the fourth quarter of the year after release: p03's open spell holds 1 day;
    the controls' 92 + 51 + 1 = 144 (p05's and p06's spells cross the window's edges)."""
    unit = _unit(capsys)
    counts = unit["figures"]["treatment"]["counts"]
    control = unit["figures"]["control"]["counts"]
    assert counts["rearrests"] == {"reoffenders": 2, "reoffences": 2}
    assert counts["bed_days"] == {"reoffenders": 1, "reoffences": 1}
    assert counts["employed_q4"] == {"reoffenders": 2, "reoffences": 2}
    assert counts["clean_quarters"] == {"reoffenders": 4, "reoffences": 14}
    assert control["rearrests"] == {"reoffenders": 3, "reoffences": 4}
    assert control["bed_days"] == {"reoffenders": 3, "reoffences": 144}
    assert control["clean_quarters"] == {"reoffenders": 4, "reoffences": 12}


def test_the_statement_names_the_units(capsys: pytest.CaptureFixture[str]) -> None:
    unit = _unit(capsys)
    named = {(m["name"], m["group"]): m for m in unit["measures"]}
    assert named[("bed_days", "control")]["units"] == "bed days"
    assert named[("bed_days", "control")]["people"] == "people in custody"
    assert named[("rearrests", "treatment")]["units"] == "arrests"
    assert "144 bed days per 100 offenders" not in named[("bed_days", "control")]["derivation"]
    assert named[("bed_days", "control")]["derivation"].startswith(
        "bed_days (control group): 3,600 bed days per 100 offenders = 100 × 144 / 4"
    )
    table = _run(capsys)
    assert "3 people in custody, 144 bed days" in table
    assert "2 people arrested, 2 arrests" in table
    assert "1 person in custody, 1 bed days" in table  # the unit's name as the contract gives it
    for form in ("table", "markdown", "html", "csv", "json"):
        text = _run(capsys, "--format", form)
        assert "reoffence" not in text.replace("reoffences\": ", ""), form


def test_the_json_statement_keeps_its_schema(capsys: pytest.CaptureFixture[str]) -> None:
    statement = json.loads(_run(capsys, "--format", "json"))
    jsonschema.validate(statement, json_schema(), cls=jsonschema.Draft202012Validator)


def test_final_only_once_the_fourth_quarter_after_release_has_closed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The last index date is 2018-03-31; its employment window (2019-Q1) closes on
    2019-04-01, a day after the arrest and custody windows (2019-03-31). On 2019-03-31 (the
    two records dated after it rejected) the unit is provisional and pays nothing."""
    unit = _unit(capsys)
    assert (unit["mature_on"], unit["maturity"]) == ("2019-04-01", "final")
    rejects = str(tmp_path / "rejects.csv")
    early = _unit(capsys, "--as-of", "2019-03-31", "--reject-invalid", rejects)
    assert (early["mature_on"], early["maturity"]) == ("2019-04-01", "provisional")
    assert early["total"]["amount"] == "0.00"
