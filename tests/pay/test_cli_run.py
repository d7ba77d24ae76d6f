"""`pbr-eval run` and `pbr-eval test`, and the statement's forms, tried as a user would."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from pbrrules.cli import main

ROOT = Path(__file__).parents[2]
DONCASTER = ROOT / "contracts" / "doncaster.pbr"
DATA = ROOT / "tests" / "pay" / "data" / "doncaster"
SCHEMA = json.loads((ROOT / "docs" / "statement.schema.json").read_text(encoding="utf-8"))
LJR = ROOT / "tests" / "pay" / "contracts" / "ljr.pbr"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_run_prints_a_table_a_lawyer_can_follow_within_100_columns(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "run", str(DONCASTER), str(DATA))
    assert status == 0
    assert "\033[" not in out  # not a terminal: no colour
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "Payment statement: HMP Doncaster" in out
    assert "overall" in out
    assert "Records" in out


def test_run_json_is_valid_against_the_schema_and_byte_identical_twice(
    capsys: pytest.CaptureFixture[str],
) -> None:
    first = run(capsys, "run", str(DONCASTER), str(DATA), "--format", "json")
    second = run(capsys, "run", str(DONCASTER), str(DATA), "--format", "json")
    assert first[0] == 0
    assert first[1] == second[1]
    statement = json.loads(first[1])
    jsonschema.validate(statement, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert statement["schema"] == "pbr.statement/2"
    assert statement["contract"]["source_hash"].startswith("sha256:")
    assert all(f["sha256"] for f in statement["data"]["files"])
    lines = [line for unit in statement["units"] for line in unit["lines"]]
    total = sum(int(line["amount"]["amount"].replace(".", "")) for line in lines)
    assert total == int(statement["totals"]["overall"]["amount"].replace(".", ""))


def test_run_csv_has_one_line_row_per_payment_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "run", str(DONCASTER), str(DATA), "--format", "csv")
    assert out.startswith("\ufeff")  # the byte order mark Excel needs
    rows = [r for r in csv.DictReader(io.StringIO(out[1:])) if r["record"] == "line"]
    json_status, json_out, _ = run(capsys, "run", str(DONCASTER), str(DATA), "--format", "json")
    statement = json.loads(json_out)
    assert status == json_status == 0
    assert len(rows) == sum(len(unit["lines"]) for unit in statement["units"])
    assert {row["name"] for row in rows} == {"repayment"}
    assert all(row["clause"] for row in rows)


def test_run_markdown_quotes_each_clause_with_its_numbers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "run", str(DONCASTER), str(DATA), "--format", "markdown")
    assert status == 0
    assert out.startswith("# Payment statement: ")
    assert "## Totals per contract year" in out
    assert "**Term repayment** (" in out  # each term cited by its clause or source
    assert "binary rate 54.75% = 219 / 400" in out


def test_run_writes_the_output_file_atomically(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "statement.json"
    target.write_text("old", encoding="utf-8")
    status, out, err = run(
        capsys, "run", str(DONCASTER), str(DATA), "--format", "json", "--output", str(target)
    )
    assert status == 0
    assert out == ""
    assert "written to" in err
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == "pbr.statement/2"
    assert [p.name for p in tmp_path.iterdir()] == ["statement.json"]


def test_run_stops_on_invalid_records_unless_asked_to_reject_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    with (data / "offences.csv").open("a", encoding="utf-8") as handle:
        handle.write("D00001,2012-01-05,2011-12-01,conviction,no,X1\n")  # disposal before offence
    status, out, err = run(capsys, "run", str(DONCASTER), str(data))
    assert status == 1
    assert out == ""
    assert "offences.csv" in err
    rejects = tmp_path / "rejected.csv"
    status, out, err = run(
        capsys, "run", str(DONCASTER), str(data), "--reject-invalid", str(rejects)
    )
    assert status == 0
    assert "1 rejected record(s)" in err
    assert rejects.exists()


def test_run_reports_a_contract_problem_without_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.pbr"
    broken.write_text('contract "x"\nterm t:\n  pay £1 per percentage point of nothing\n')
    status, _, err = run(capsys, "run", str(broken), str(DATA))
    assert status == 1
    assert "Traceback" not in err
    assert "broken.pbr:" in err


def test_run_with_a_missing_data_folder_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, _, err = run(capsys, "run", str(DONCASTER), str(tmp_path / "nowhere"))
    assert status == 1
    assert "Traceback" not in err


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "run", str(DONCASTER))[0] == 2
    assert run(capsys, "run", str(DONCASTER), str(DATA), "--format", "xml")[0] == 2


def test_test_passes_every_example_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, "test", str(LJR), str(ROOT / "tests" / "pay" / "contracts" / "rikers.pbr")
    )
    assert status == 0
    assert "8 example(s): 8 passed, 0 failed" in out


def test_test_reports_expected_and_actual_and_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    wrong = tmp_path / "ljr.pbr"
    wrong.write_text(
        LJR.read_text(encoding="utf-8").replace("pays £9,500,000", "pays £9,400,000"),
        encoding="utf-8",
    )
    status, out, _ = run(capsys, "test", str(wrong))
    assert status == 1
    assert "FAIL expect reinvestment pays £9,400,000" in out
    assert "actual: £9,500,000.00" in out
    assert "because: year 1: adult_demand" in out
    assert "1 failed" in out


@pytest.mark.parametrize("reject", [False, True])
def test_run_names_csv_lines_it_cannot_read_and_pays_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, reject: bool
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    with (data / "offences.csv").open("a", encoding="utf-8") as handle:
        handle.write("D00001,2012-01-05,2012-02-01,conviction,no,X1,surplus\n")
    target = tmp_path / "statement.json"
    extra = ["--reject-invalid", str(tmp_path / "rejected.csv")] if reject else []
    status, out, err = run(
        capsys, "run", str(DONCASTER), str(data), "--output", str(target), *extra
    )
    assert status == 1
    assert out == ""
    assert "offences.csv: error[PBR301]: line " in err
    assert "has more values than the header names columns" in err
    assert "internal error" not in err
    assert "Traceback" not in err
    assert not target.exists()


def test_run_keeps_a_conviction_without_a_sitting_and_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Issue 11: under --reject-invalid it is left out of the reconviction events only."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "examples" / "peterborough", data)
    offences = data / "offences.csv"
    lines = offences.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ","
    offences.write_text("\n".join(lines) + "\n", encoding="utf-8")
    contract = ROOT / "contracts" / "peterborough.pbr"
    status, _, err = run(capsys, "run", str(contract), str(data))
    assert status == 1
    assert "court_event_id" in err
    rejects = tmp_path / "rejected.csv"
    status, _, err = run(
        capsys, "run", str(contract), str(data), "--reject-invalid", str(rejects)
    )
    assert status == 0, err
    assert "0 rejected record(s)" in err
    assert (
        "offences.csv, row 1, column court_event_id: missing value: not counted as a "
        "reconviction event, kept for the other measures"
    ) in err
