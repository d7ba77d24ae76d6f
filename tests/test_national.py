"""Many lots, one measurement: ``pbr-eval run contracts/transforming-rehabilitation/ DATA``
pays every lot on one reading of the records, and each lot's statement is the one a run of that
lot alone gives (but for the record accounting, which is the national measurement's)."""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from pathlib import Path

import pytest

from pbrrules import api
from pbrrules.cli import main
from pbrrules.measure import OutcomeData, load_outcomes
from pbrrules.rules import Contract
from pbrrules.statement import Statement

ROOT = Path(__file__).parents[1]
TR = ROOT / "contracts/transforming-rehabilitation"
DATA = ROOT / "examples/transforming-rehabilitation"
LOTS = sorted(p for p in TR.glob("*.pbr") if p.stem not in ("template", "2017-variation"))


@functools.cache
def _data(folder: Path = DATA) -> OutcomeData:
    return load_outcomes(folder)


@functools.cache
def _lot(path: Path) -> Contract:
    return api.load_contract(path)


def _without_accounting(statement: Statement) -> dict[str, object]:
    form = statement.to_dict()
    data = form["data"]
    assert isinstance(data, dict)
    data["accounting"] = None
    return form


def test_every_lot_agrees_with_its_own_run() -> None:
    # GIVEN the 21 lots (three with records in the extract, eighteen without)
    lots = [_lot(path) for path in LOTS]
    assert len(lots) == 21
    # WHEN they are paid on one measurement
    statements, national = api.measured_lots(lots, _data())
    # THEN it was one shared measurement, and each statement is the lot's own run's
    assert national is not None
    for lot, statement in zip(lots, statements, strict=True):
        alone, _ = api.measured(lot, _data())
        assert _without_accounting(statement) == _without_accounting(alone), lot.name
    paid = {s.contract.name: str(s.total) for s in statements if s.total.amount}
    assert paid == {
        "Cumbria and Lancashire CRC": "£1,016,666.67",
        "Merseyside CRC": "£249,800.00",
        "Northumbria CRC": "£383,500.00",
    }


def test_one_offender_in_two_areas_in_a_quarter_counts_in_each(tmp_path: Path) -> None:
    """De-duplication is within a lot's cohort unit, in a shared measurement as alone."""
    header = ("offender_id,index_date,area,disposal,sex,age,sentence_months,predicted_rate,"
              "group,allocated_to_nps,single_em_requirement\n")
    rows = ["X1,2015-10-05,Northumbria,community_order,male,30,12,0.5,treatment,no,no",
            "X1,2015-11-05,Merseyside,community_order,male,30,12,0.5,treatment,no,no",
            "X2,2015-10-06,Northumbria,community_order,male,30,12,0.5,treatment,no,no"]
    (tmp_path / "index_events.csv").write_text(header + "\n".join(rows) + "\n")
    (tmp_path / "offences.csv").write_text(
        "offender_id,offence_date,disposal_date,disposal_type,breach,court_event_id\n"
        "X1,2015-12-01,2016-01-10,conviction,no,E1\n"
    )
    data = load_outcomes(tmp_path)
    lots = [_lot(TR / "northumbria.pbr"), _lot(TR / "merseyside.pbr")]
    statements, national = api.measured_lots(lots, data)
    assert national is not None
    offenders = [s.units[0].figures.treatment.offenders for s in statements]
    assert offenders == [2, 1]
    for lot, statement in zip(lots, statements, strict=True):
        assert _without_accounting(statement) == _without_accounting(api.measured(lot, data)[0])


def test_lots_that_measure_differently_are_measured_one_by_one() -> None:
    lots = [_lot(ROOT / "contracts/doncaster.pbr")]
    statements, national = api.measured_lots(lots, load_outcomes(ROOT / "examples/doncaster"))
    assert national is None  # no area test to share the measurement on
    alone, _ = api.measured(lots[0], load_outcomes(ROOT / "examples/doncaster"))
    assert statements[0].to_json() == alone.to_json()


def test_the_command_writes_a_statement_per_lot_and_the_national_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["run", str(TR), str(DATA), "--format", "json", "--output-dir", str(tmp_path)])
    assert status == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted([f"{p.stem}.json" for p in LOTS]
                             + ["national-summary.json", "national-summary.md"])
    summary = json.loads((tmp_path / "national-summary.json").read_text(encoding="utf-8"))
    assert summary["shared_measurement"] is True
    assert summary["total"]["display"] == "£1,649,966.67"
    lot_totals = sum(Decimal(lot["total"]["amount"]) for lot in summary["lots"])
    assert str(lot_totals) == summary["total"]["amount"]
    areas = {row["file"]: row for row in summary["by_area"]}
    assert len(areas) == 21
    assert (areas["northumbria"]["offenders"], areas["northumbria"]["total"]["display"]) == (
        1600, "£383,500.00"
    )
    northumbria = json.loads((tmp_path / "northumbria.json").read_text(encoding="utf-8"))
    assert northumbria["totals"]["overall"]["display"] == "£383,500.00"
    out = capsys.readouterr()
    assert "| **All lots** |" in out.out
    assert "21 statements and the national summary written to" in out.err


def test_a_folder_of_lots_needs_an_output_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(TR), str(DATA)]) == 1
    assert "is a folder of lots: give --output-dir DIR" in capsys.readouterr().err


def test_a_folder_of_lots_refuses_reject_invalid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["run", str(TR), str(DATA), "--output-dir", str(tmp_path),
            "--reject-invalid", str(tmp_path / "rejects.csv")]
    assert main(args) == 1
    assert "--reject-invalid and --previous are not available with a folder of lots" in (
        capsys.readouterr().err
    )
    assert list(tmp_path.iterdir()) == []


def test_a_lot_statement_carries_the_record_accounting_and_says_whose_it_is() -> None:
    import jsonschema

    from pbrrules.render import render
    from pbrrules.statement import json_schema

    lots = [_lot(path) for path in LOTS]
    statements, national = api.measured_lots(lots, _data())
    assert national is not None
    northumbria = next(s for s in statements if s.contract.name == "Northumbria CRC")
    assert northumbria.data is not None
    accounting = northumbria.data.accounting
    assert accounting is not None
    assert accounting["index_events"] == national.accounting.to_json()["index_events"]
    assert "measured once for the 21 lots" in str(accounting["shared"])
    assert "this lot's cohort units hold 1,600 offenders" in str(accounting["shared"])
    jsonschema.validate(json.loads(northumbria.to_json()), json_schema())
    for fmt in ("table", "markdown", "html"):
        assert "measured once for the 21 lots of a national run" in render(northumbria, fmt)


def test_the_national_summary_has_a_summary_table_and_totals_per_area(tmp_path: Path) -> None:
    from markdown_it import MarkdownIt

    assert main(["run", str(TR), str(DATA), "--output-dir", str(tmp_path)]) == 0
    text = (tmp_path / "national-summary.md").read_text(encoding="utf-8")
    for heading in ("## Summary", "## Totals per contract year", "## Lots",
                    "## Totals per area", "## Records"):  # fmt: skip
        assert f"\n{heading}\n" in text
    assert "| Lots paid | 3 | £1,649,966.67 |" in text
    assert "| Lots with nothing to pay | 18 | |" in text
    assert "| Northumbria CRC | northumbria | 18 | 1,600 | £383,500.00 |" in text
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    assert sum(t.type == "table_open" for t in tokens) == 4
    assert not any(c.type == "softbreak" for t in tokens for c in t.children or [])
