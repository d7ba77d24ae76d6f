"""The significance boundary a statement carries for charts: the change just significant in a
cohort (critical value × standard error, approximate: the normal quantile is held to 6
decimals). It agrees with the exact verdict,
and it is drawn on the HTML page as a line per target."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from pbrrules import api
from pbrrules.render import render
from pbrrules.statement import Statement

ROOT = Path(__file__).parents[2]
TR = ROOT / "contracts/transforming-rehabilitation"
DATA = ROOT / "examples/transforming-rehabilitation"


def _statements() -> list[Statement]:
    lots = ("northumbria", "merseyside", "cumbria-lancashire")
    return [api.evaluate_folder(api.load_contract(TR / f"{lot}.pbr"), DATA) for lot in lots]


def test_the_boundary_is_the_critical_value_times_the_standard_error() -> None:
    statement = _statements()[0]
    unit = statement.units[0]  # 2015-Q4: 1,000 offenders against a 55.17% baseline
    target = unit.target("binary_target")
    assert target is not None
    assert target.boundary is not None
    p0 = Fraction(5517, 10000)
    expected = 1.6448536269514722 * math.sqrt(float(p0 * (1 - p0)) / 1000)
    assert abs(float(target.boundary) - expected) < 1e-7  # the quantile is to 6 decimals
    assert target.boundary_display == "≈2.59 percentage points"


def test_the_boundary_agrees_with_every_exact_verdict() -> None:
    """Where a target has no other threshold, it is met exactly when the change reaches the
    boundary (the verdict compares z² exactly; the boundary is the same test solved for the
    change)."""
    seen = 0
    for statement in _statements():
        for unit in statement.units:
            for target in unit.targets:
                comparison = next(c for c in unit.comparisons if c.name == target.comparison)
                if target.boundary is None or comparison.improvement is None:
                    continue
                change = comparison.improvement * (1 if target.direction == "reduction" else -1)
                assert (change >= target.boundary) == (target.verdict == "met"), (
                    statement.contract.name, unit.label, target.name
                )
                seen += 1
    assert seen >= 12


def test_the_json_gives_it_as_an_approximation_and_the_page_draws_it() -> None:
    statement = _statements()[0]
    form = statement.to_dict()
    units = form["units"]
    assert isinstance(units, list)
    first = units[0]["targets"][0]["significance_boundary"]
    assert first == {"approximately": "0.025868021706", "display": "≈2.59 percentage points"}
    assert Decimal(first["approximately"]) > 0
    page = render(statement, "html")
    assert "target binary target is met at or beyond" in page
    assert "target binary increase is met at or beyond" in page
    assert re.search(r"where the change becomes significant in that cohort", page)
