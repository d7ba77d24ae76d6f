"""Shared fixtures: golden files that ``--update-golden`` rewrites."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the expected output of every golden file (tests/cases/**/*.expected, "
        "tests/statements/*)",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[Path, str], None]:
    """Compare text with a case's .expected file (or write it under --update-golden).

    A missing golden file fails: a new case is written only when asked, so its first output is
    reviewed like any change to it.
    """
    update = request.config.getoption("--update-golden")

    def check(path: Path, actual: str) -> None:
        expected = path if path.suffix != ".pbr" else path.with_suffix(".expected")
        if update:
            expected.write_text(actual, encoding="utf-8", newline="")
        elif not expected.exists():
            pytest.fail(f"no golden file {expected}: run pytest --update-golden and review it")
        with expected.open(encoding="utf-8", newline="") as kept:  # CSV keeps its CRLF
            assert actual == kept.read()

    return check
