"""Golden statements: each bundled example run, rendered in every format, kept in
tests/statements/ (``pytest --update-golden`` rewrites them; review the diff).

The statement is what a commissioner signs, so any change to its words, figures or layout shows
up here as a diff to review, not only the figures that tests/test_example_data.py asserts.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path

import pytest

import pbrrules
from pbrrules.render import FORMATS, Format
from pbrrules.statement import Statement

ROOT = Path(__file__).parents[1]
GOLDEN = Path(__file__).parent / "statements"
TR = "contracts/transforming-rehabilitation"
TR_DATA = "examples/transforming-rehabilitation"
RUNS = {
    "peterborough": ("contracts/peterborough.pbr", "examples/peterborough"),
    "doncaster": ("contracts/doncaster.pbr", "examples/doncaster"),
    "tr-cumbria-lancashire": (f"{TR}/cumbria-lancashire.pbr", TR_DATA),
    "tr-northumbria": (f"{TR}/northumbria.pbr", TR_DATA),
    "tr-merseyside": (f"{TR}/merseyside.pbr", TR_DATA),
    "ventura-county-reentry": (
        "contracts/ventura-county-reentry.pbr", "examples/ventura-county-reentry"
    ),
    "salt-lake-county-reach": (
        "contracts/salt-lake-county-reach.pbr", "examples/salt-lake-county-reach"
    ),
}
SUFFIX: dict[Format, str] = {
    "table": "txt", "json": "json", "csv": "csv", "markdown": "md", "html": "html",
}


@functools.cache
def _statement(run: str) -> Statement:
    """The run's statement, with the paths it names relative to the repository (as a user in
    the checkout would type them), so the golden files hold on any machine."""
    contract, data = RUNS[run]
    here = Path.cwd()
    try:
        os.chdir(ROOT)
        return pbrrules.evaluate_folder(pbrrules.load_contract(contract), data)
    finally:
        os.chdir(here)


def test_every_format_has_a_suffix() -> None:
    assert set(SUFFIX) == set(FORMATS)


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
@pytest.mark.parametrize("run", sorted(RUNS))
def test_statement_matches_its_golden_file(
    run: str, fmt: Format, golden: Callable[[Path, str], None]
) -> None:
    text = pbrrules.render_statement(_statement(run), fmt)
    golden(GOLDEN / f"{run}.{SUFFIX[fmt]}", text)
