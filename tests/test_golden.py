"""Golden cases written in the contract language: tests/cases/<topic>/{good,bad}/NAME.pbr.

Each case's NAME.expected holds the exit status and the output of ``pbr-eval check NAME.pbr``
run from the cases folder (relative paths, so the files hold on any machine). Good cases must
also be in canonical layout. Files whose name starts with ``_`` are helpers that other cases
name (a template, a contract); they are not cases themselves. ``pytest --update-golden``
rewrites the expected files; review the diff before committing it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from pbrrules.cli import main
from pbrrules.formatter.printer import format_text

CASES = Path(__file__).parent / "cases"
ALL = sorted(p for p in CASES.rglob("*.pbr") if not p.name.startswith("_"))
GOOD = [p for p in ALL if p.parent.name == "good"]
BAD = [p for p in ALL if p.parent.name == "bad"]


def _id(path: Path) -> str:
    return str(path.relative_to(CASES))


@pytest.mark.parametrize("case", ALL, ids=_id)
def test_check_output_matches_the_golden_file(
    case: Path,
    golden: Callable[[Path, str], None],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(CASES)
    status = main(["check", str(case.relative_to(CASES))])
    out, err = capsys.readouterr()
    golden(case, f"exit {status}\n{out}{err}")
    if case in GOOD:
        assert status == 0
    else:  # a bad case has an error (exit 1), or only warnings (exit 0)
        assert "error[" in err or "warning[" in err
        assert status == (1 if "error[" in err else 0)


@pytest.mark.parametrize("case", GOOD, ids=_id)
def test_good_cases_are_in_canonical_layout(case: Path) -> None:
    text = case.read_text(encoding="utf-8")
    assert format_text(text, case.name) == text


def test_there_are_at_least_forty_bad_cases() -> None:
    assert len(BAD) >= 40


def test_every_documented_code_has_a_bad_case_and_every_reported_code_is_documented() -> None:
    documented = set(re.findall(r"^## (PBR\d{3})", (CASES.parents[1] / "docs" / "errors.md")
                                .read_text(encoding="utf-8"), flags=re.M))
    compiler_codes = {c for c in documented if not c.startswith("PBR3")}
    reported = set()
    for case in BAD:
        reported |= set(re.findall(r"(?:error|warning)\[(PBR\d{3})\]",
                                   case.with_suffix(".expected").read_text(encoding="utf-8")))
    assert compiler_codes - reported == set(), "documented codes without a bad case"
    assert reported - documented == set(), "reported codes missing from docs/errors.md"


@pytest.mark.parametrize(
    "case", [p for p in GOOD if "\nexample " in p.read_text(encoding="utf-8")], ids=_id
)
def test_worked_examples_in_good_cases_pass(
    case: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(CASES)
    status = main(["test", str(case.relative_to(CASES))])
    out, err = capsys.readouterr()
    assert status == 0, out + err
