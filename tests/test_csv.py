"""CSV statements open in a spreadsheet as they should: read back as Excel reads them (a UTF-8
byte order mark, CSV quoting), every figure is a plain decimal in its own column, each line has a
status, and the totals row is the sum of the lines."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import duckdb
import pytest

from pbrrules.cli import main
from pbrrules.render.csv import COLUMNS, PLACES, decimal

ROOT = Path(__file__).parents[1]
GOLDEN = Path(__file__).parent / "statements"
STATEMENTS = sorted(GOLDEN.glob("*.csv"))
NUMERIC = ("amount", "unrounded", "value", "comparator", "improvement", "threshold", "offenders",
           "people_counted", "units_counted", "previous", "difference",
           "significance_boundary")  # fmt: skip
STATUSES = {
    "line": {"paid", "deducted", "capped", "provisional", "not met", "not assessable",
             "not yet due"},
    "measure": {"measured", "not assessable"},
    "comparison": {"assessed", "not assessable"},
    "target": {"met", "not met", "not assessable"},
    "cohort total": {"final", "provisional", "cancelled"},
}  # fmt: skip


def _rows(path: Path) -> list[dict[str, str]]:
    """The file read as Excel does: bytes decoded as UTF-8 with its byte order mark."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "no byte order mark: Excel would show Â£"
    with io.StringIO(raw.decode("utf-8-sig"), newline="") as text:
        reader = csv.DictReader(text)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        rows = list(reader)
    assert all(None not in row and len(row) == len(COLUMNS) for row in rows)
    return rows


def test_there_are_golden_csv_statements() -> None:
    assert len(STATEMENTS) >= 5


@pytest.mark.parametrize("path", STATEMENTS, ids=lambda p: p.stem)
def test_every_figure_is_a_plain_decimal_with_its_exact_fraction_when_rounded(path: Path) -> None:
    for row in _rows(path):
        for column in NUMERIC:
            if row[column]:
                assert re.fullmatch(r"-?\d+(\.\d+)?", row[column]), (column, row[column])
        for column in ("unrounded", "value", "comparator", "improvement", "threshold"):
            exact = row[f"{column}_exact"]
            if exact:  # rounded to PLACES places, and the fraction is its exact value
                places = row[column].partition(".")[2]
                assert len(places) == PLACES
                assert abs(Fraction(exact) - Fraction(row[column])) <= Fraction(1, 2 * 10**PLACES)


@pytest.mark.parametrize("path", STATEMENTS, ids=lambda p: p.stem)
def test_every_row_has_a_status_and_the_totals_add_up(path: Path) -> None:
    rows = _rows(path)
    for row in rows:
        if row["record"] in STATUSES:
            assert row["status"] in STATUSES[row["record"]], (row["record"], row["status"])

    def total(record: str) -> Decimal:
        return sum((Decimal(r["amount"]) for r in rows if r["record"] == record), Decimal(0))

    assert rows[-1]["record"] == "total"
    assert rows[-1]["name"] == "overall"
    assert total("line") == total("cohort total") == total("year total") == total("total")


def test_the_characters_read_back_as_written() -> None:
    rows = _rows(GOLDEN / "doncaster.csv")
    line = next(r for r in rows if r["record"] == "line" and r["period"] == "year 2")
    assert line["status"] == "deducted"
    assert line["amount"] == "-2000000.00"
    assert "≥" in next(r for r in rows if r["record"] == "line")["derivation"]
    assert "£20,000,000" in line["derivation"]
    measure = next(r for r in rows if r["record"] == "measure" and r["period"] == "year 2")
    assert (measure["value"], measure["shown"], measure["offenders"]) == ("0.547", "54.7%", "1000")
    comparison = next(r for r in rows if r["record"] == "comparison" and r["period"] == "year 2")
    assert (comparison["comparator"], comparison["improvement"]) == ("0.58", "0.033")
    target = next(r for r in rows if r["record"] == "target" and r["period"] == "year 2")
    assert (target["status"], target["threshold"], target["scale"]) == ("not met", "0.05", "points")


def test_a_significance_target_has_its_boundary_as_a_number() -> None:
    rows = _rows(GOLDEN / "tr-northumbria.csv")
    target = next(r for r in rows if r["record"] == "target" and r["name"] == "binary_target")
    assert (target["period"], target["significance_boundary"]) == ("2015-Q4", "0.0258680217")
    assert target["threshold"] == ""


def test_a_not_assessable_figure_is_flagged_not_a_bare_zero() -> None:
    rows = _rows(GOLDEN / "doncaster.csv")
    year3 = [r for r in rows if r["period"] == "year 3"]
    assert {r["record"]: r["status"] for r in year3} == {
        "measure": "not assessable", "comparison": "not assessable",
        "target": "not assessable", "line": "not yet due", "cohort total": "provisional",
    }  # fmt: skip
    assert next(r for r in year3 if r["record"] == "measure")["value"] == ""


def test_duckdb_reads_the_numeric_columns_as_numbers() -> None:
    """A second reader: DuckDB's CSV sniffer types the figures as numbers, not text."""
    path = str(GOLDEN / "tr-northumbria.csv")
    with duckdb.connect() as db:
        described = db.execute(f"DESCRIBE SELECT * FROM read_csv('{path}', header = true)")
        types = {row[0]: row[1] for row in described.fetchall()}
        columns = ("amount", "unrounded", "value", "comparator", "improvement", "offenders",
                   "significance_boundary")  # fmt: skip
        for column in columns:
            assert types[column] in ("DOUBLE", "BIGINT"), (column, types[column])
        query = f"SELECT sum(amount) FROM read_csv('{path}', header = true) WHERE record = 'line'"
        [(paid,)] = db.execute(query).fetchall()
    assert paid == pytest.approx(383500)


def test_decimal_is_exact_when_the_value_terminates() -> None:
    assert decimal(Fraction(523, 1000)) == ("0.523", "")
    assert decimal(Fraction(-2000000), least=2) == ("-2000000.00", "")
    assert decimal(Fraction(1, 2**20)) == ("0.00000095367431640625", "")
    assert decimal(Fraction(9600000, 533)) == ("18011.2570356473", "9600000/533")
    assert decimal(Fraction(-2, 3)) == ("-0.6666666667", "-2/3")
    assert decimal(None) == ("", "")


def test_the_byte_order_mark_can_be_left_out(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    run = ["run", "contracts/doncaster.pbr", "examples/doncaster", "--format", "csv"]
    assert main(run) == 0
    assert capsys.readouterr().out.startswith("\ufeffrecord,")
    assert main([*run, "--csv-no-bom"]) == 0
    assert capsys.readouterr().out.startswith("record,contract,")
