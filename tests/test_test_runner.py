"""``pbr-eval test`` as a test runner: failing expectations name their file and line, ``-k``
chooses examples, ``--junit-xml`` reports to CI, ``--coverage`` lists what no example pins."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import pbrrules
from pbrrules.cli import main
from pbrrules.example_coverage import coverage

ROOT = Path(__file__).parents[1]
DONCASTER = ROOT / "contracts" / "doncaster.pbr"
WRONG = "expect repayment pays -£2,000,000\n"


def _with_a_wrong_expectation(tmp_path: Path) -> tuple[Path, int]:
    """Doncaster with the repayment of "4.9 points below 2009 misses it" expected as £1; the
    path and the line of that expectation."""
    text = DONCASTER.read_text(encoding="utf-8")
    assert text.count(WRONG) == 1
    path = tmp_path / "doncaster.pbr"
    path.write_text(text.replace(WRONG, "expect repayment pays £1\n"), encoding="utf-8")
    line = text[: text.index(WRONG)].count("\n") + 1
    return path, line


def test_a_failing_expectation_names_its_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, line = _with_a_wrong_expectation(tmp_path)
    assert main(["test", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"FAIL expect repayment pays £1  ({path}:{line})" in out
    assert "actual: -£2,000,000.00" in out


def test_k_runs_only_the_examples_whose_name_holds_the_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["test", str(DONCASTER), "-k", "CANCELLED"]) == 0
    out = capsys.readouterr().out
    assert 'example "the cancelled fourth year is reported but neither paid nor repaid"' in out
    assert "1 example(s): 1 passed, 0 failed" in out
    assert main(["test", str(DONCASTER), "-k", "no such example"]) == 0
    assert "no worked examples matching -k 'no such example'" in capsys.readouterr().out


def test_junit_xml_holds_a_case_per_example_and_each_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, line = _with_a_wrong_expectation(tmp_path)
    report = tmp_path / "results.xml"
    assert main(["test", str(path), "--junit-xml", str(report)]) == 1
    capsys.readouterr()
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert suite.get("tests") == str(len(cases)) == "5"
    assert suite.get("failures") == "1"
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["4.9 points below 2009 misses it"]
    failure = failed[0].find("failure")
    assert failure is not None
    assert failure.get("message") == f"expect repayment pays £1 ({path}:{line})"
    assert "actual: -£2,000,000.00" in (failure.text or "")


def test_coverage_lists_what_no_example_pins_down(capsys: pytest.CaptureFixture[str]) -> None:
    contract = ROOT / "contracts" / "local-justice-reinvestment.pbr"
    main(["test", str(contract), "--coverage"])
    out = capsys.readouterr().out
    assert "no example: comparison youth_demand_change" in out
    assert "no example: measure youth_demand" in out


def test_a_cap_is_covered_only_where_an_example_makes_it_bind() -> None:
    """Peterborough's examples include one at the cap; without it the cap is uncovered."""
    contract = pbrrules.load_contract(ROOT / "contracts" / "peterborough.pbr")
    results = pbrrules.run_examples(contract)
    limits = [i for i in coverage(contract, results).items if i.what in ("cap", "collar")]
    assert limits
    assert all(i.covered for i in limits)
    binding = [
        r for r in results
        if r.statement and any(line.limits for u in r.statement.units for line in u.lines)
    ]  # fmt: skip
    rest = [r for r in results if r not in binding]
    assert all(not i.covered for i in coverage(contract, rest).items if i.what == "cap")
