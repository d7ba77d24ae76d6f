"""Shared fixtures: golden files that ``--update-golden`` rewrites."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the expected output of every golden case (tests/cases/**/*.expected)",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[Path, str], None]:
    """Compare text with a case's .expected file (or write it under --update-golden)."""
    update = request.config.getoption("--update-golden")

    def check(path: Path, actual: str) -> None:
        expected = path.with_suffix(".expected")
        if update or not expected.exists():
            expected.write_text(actual, encoding="utf-8")
        assert actual == expected.read_text(encoding="utf-8")

    return check
