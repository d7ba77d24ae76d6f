"""Issue 12 item 9: figures no cohort can have (more reoffenders than offenders, negative
counts) are refused wherever they enter: a calling service's figures, a worked example."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from pbrrules import api
from pbrrules.compiler import compile_contract
from pbrrules.errors import ContractError
from pbrrules.figures import CohortFigures, GroupFigures, MeasureCounts

ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize(
    ("offenders", "reoffenders", "reoffences"), [(1000, 5230, 7000), (1000, 1001, 1001)]
)
def test_impossible_figures_are_refused_where_they_are_made(
    offenders: int, reoffenders: int, reoffences: int
) -> None:
    with pytest.raises(ValueError, match="impossible figures"):
        GroupFigures(offenders, {"rate": MeasureCounts(reoffenders, reoffences)})


@pytest.mark.parametrize(("offenders", "reoffenders", "reoffences"), [(-1, 0, 0), (10, -1, 0)])
def test_negative_counts_are_refused(offenders: int, reoffenders: int, reoffences: int) -> None:
    with pytest.raises((TypeError, ValueError)):
        GroupFigures(offenders, {"rate": MeasureCounts(reoffenders, reoffences)})


def test_a_service_cannot_pay_on_more_reoffenders_than_offenders() -> None:
    """It was paid at 523% (and with a significance test raised decimal.InvalidOperation)."""
    contract = api.load_contract(ROOT / "contracts" / "peterborough.pbr")
    with pytest.raises(ValueError, match="5,230 reoffenders among 1,000 offenders"):
        api.evaluate_figures(
            contract,
            [
                CohortFigures(
                    "releases", "cohort 1", datetime.date(2010, 9, 9), datetime.date(2012, 7, 1),
                    GroupFigures(1000, {"frequency": MeasureCounts(5230, 7000)}),
                )
            ],
        )  # fmt: skip


def test_possible_figures_are_accepted() -> None:
    GroupFigures(1000, {"rate": MeasureCounts(1000, 0)})
    GroupFigures(0, {"rate": MeasureCounts(0, 0)})


EXAMPLE = (ROOT / "tests" / "cases" / "constructs" / "good" / "examples.pbr").read_text(
    encoding="utf-8"
)


def test_an_example_with_more_reoffenders_than_offenders_is_refused_at_check() -> None:
    text = EXAMPLE.replace("1,000 offenders, 534 reoffenders", "1,000 offenders, 5,230 reoffenders")
    with pytest.raises(ContractError) as info:
        compile_contract(text, "c.pbr")
    assert [d.code for d in info.value.diagnostics] == ["PBR231"]
