"""``pbr-eval diff``: what changed between two versions of a contract, in its own words, and
what the change does to each cohort's payments on the same records."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import pbrrules
from pbrrules.cli import main
from pbrrules.diff import diff_contracts

ROOT = Path(__file__).parents[1]
TR = ROOT / "contracts" / "transforming-rehabilitation"
DONCASTER = ROOT / "contracts" / "doncaster.pbr"


def _draft(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the Doncaster contract with one piece of text replaced."""
    text = DONCASTER.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "doncaster-draft.pbr"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_variation_against_its_template_says_what_it_changes_and_from_when() -> None:
    template = pbrrules.load_contract(TR / "template.pbr")
    varied = pbrrules.load_contract(TR / "2017-variation.pbr")
    diff = diff_contracts(template, varied)
    by_name = {(c.what, c.name): c for c in diff.changes}
    removed = by_name[("term", "frequency_payment")]
    assert removed.kind == "removed"
    assert removed.cohorts_from is not None
    assert removed.cohorts_from.isoformat() == "2017-10-01"
    assert removed.before is not None
    assert "pay frequency_price per reoffence avoided" in removed.before
    cap = by_name[("limit", "pbr_pot_cap")]
    assert cap.kind == "changed"
    assert cap.after is not None
    assert "binary_payment at most pbr_pot" in cap.after
    assert cap.before is not None
    assert "frequency_payment" in cap.before
    variation = next(c for c in diff.changes if c.what == "variation")
    assert variation.kind == "added"
    # rules in force before 2017-10-01 are the same: nothing is said of them
    assert all(c.cohorts_from is not None for c in diff.changes if c.about_rules)


def test_the_text_names_each_change_under_the_cohorts_it_applies_to() -> None:
    text = diff_contracts(
        pbrrules.load_contract(TR / "template.pbr"),
        pbrrules.load_contract(TR / "2017-variation.pbr"),
    ).render()
    assert "rules for cohorts from 2017-10-01:\nremoved term frequency_payment" in text
    assert "  -   pay frequency_price per reoffence avoided of frequency_change" in text


def test_a_contract_against_itself_has_no_change() -> None:
    contract = pbrrules.load_contract(DONCASTER)
    diff = diff_contracts(contract, contract)
    assert diff.empty
    assert "no change in the rules" in diff.render()


def test_a_changed_threshold_is_shown_as_contract_text(tmp_path: Path) -> None:
    draft = _draft(tmp_path, "= 5 percentage points (source", "= 3 percentage points (source")
    diff = diff_contracts(pbrrules.load_contract(DONCASTER), pbrrules.load_contract(draft))
    (change,) = diff.changes
    assert (change.kind, change.what, change.name) == ("changed", "parameter", "target_reduction")
    assert change.before is not None
    assert "= 5 percentage points" in change.before
    assert change.after is not None
    assert "= 3 percentage points" in change.after


def test_on_the_same_records_the_payments_that_change_are_listed_with_the_totals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Year 2 of the Doncaster example data falls 3.25 points: repaid at a 5-point threshold,
    not at 3 points, so the draft turns a £2m repayment into nothing."""
    draft = _draft(tmp_path, "= 5 percentage points (source", "= 3 percentage points (source")
    monkeypatch.chdir(ROOT)
    status = main(["diff", str(DONCASTER), str(draft), "--data", "examples/doncaster",
                   "--format", "json"])  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert status == 0
    assert out["schema"] == "pbr.diff/1"
    (line, total) = out["payments"]
    assert (line["period"], line["term"]) == ("year 2", "repayment")
    assert Decimal(line["before"]) == Decimal("-2000000.00")
    assert Decimal(line["after"]) == Decimal(0)
    assert total["term"] is None
    assert Decimal(total["difference"]) == Decimal("2000000.00")
    assert Decimal(out["total"]["difference"]) == Decimal("2000000.00")


def test_the_text_report_signs_each_difference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = _draft(tmp_path, "= 5 percentage points (source", "= 3 percentage points (source")
    monkeypatch.chdir(ROOT)
    assert main(["diff", str(DONCASTER), str(draft), "--data", "examples/doncaster"]) == 0
    out = capsys.readouterr().out
    assert "discharges year 2, term repayment: -£2,000,000.00 -> £0.00 (+£2,000,000.00)" in out
    assert "total: -£2,000,000.00 -> £0.00 (+£2,000,000.00)" in out


def test_a_template_is_not_paid_on_records(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["diff", str(TR / "template.pbr"), str(TR / "2017-variation.pbr"),
                   "--data", str(ROOT / "examples" / "transforming-rehabilitation")])  # fmt: skip
    assert status == 1
    assert "is a template: only a contract is paid on records" in capsys.readouterr().err


def test_a_contract_with_problems_is_reported_not_diffed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = _draft(tmp_path, "target five_points", "target five points")
    assert main(["diff", str(DONCASTER), str(broken)]) == 1
    err = capsys.readouterr().err
    assert "doncaster-draft.pbr:" in err
    assert "error[PBR" in err
