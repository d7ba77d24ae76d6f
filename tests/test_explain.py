"""``pbr-eval explain CODE``: the code's page of the error reference, shipped in the package."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pbrrules.cli import main
from pbrrules.cli.explain import codes, explanation

ERRORS = Path(__file__).parents[1] / "docs" / "errors.md"


def test_explain_prints_the_codes_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "PBR202"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## PBR202 — percentage points and percent mixed up")
    assert "**Why it matters.**" in out
    assert "## PBR203" not in out


def test_a_code_may_be_given_without_its_prefix(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "202"]) == 0
    assert capsys.readouterr().out.startswith("## PBR202")


def test_an_unknown_code_is_refused_with_what_codes_look_like(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["explain", "PBR999"]) == 1
    assert "there is no code 'PBR999' (codes look like PBR001" in capsys.readouterr().err


def test_every_documented_code_has_a_page_from_the_packaged_reference() -> None:
    documented = re.findall(r"^## (PBR\d{3})", ERRORS.read_text(encoding="utf-8"), flags=re.M)
    assert codes() == documented
    for code in documented:
        page = explanation(code)
        assert page is not None
        assert page.startswith(f"## {code}")
