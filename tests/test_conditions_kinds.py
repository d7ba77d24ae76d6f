"""Issue 12 item 4: a condition comparing a column with a value of another kind is a PBR230 at
check time (the golden cases under tests/cases/conditions/ hold the messages), never an internal
error or a silently wrong cohort at run time."""

from __future__ import annotations

from pathlib import Path

import pytest

from pbrrules import rules
from pbrrules.compiler import compile_contract
from pbrrules.errors import ContractError
from pbrrules.measure.schema import INDEX_EVENT_COLUMNS

BAD = Path(__file__).parent / "cases" / "types" / "bad" / "cap_in_count.pbr"


def test_the_checker_knows_the_data_standard_s_kinds() -> None:
    assert {c.name: c.kind for c in INDEX_EVENT_COLUMNS} == rules.STANDARD_INDEX_EVENT_KINDS


def with_condition(condition: str) -> str:
    """A small contract whose cohort is eligible when ``condition``."""
    text = BAD.read_text(encoding="utf-8")
    text = text.replace('eligible when disposal is "community_order"', f"eligible when {condition}")
    return "\n".join(line for line in text.splitlines() if not line.startswith("cap pot"))


@pytest.mark.parametrize(
    "condition",
    ['age is "x"', "age", "not age", "index_date > 3", 'deported and deported is "no"',
     "area is 2015-01-01", "predicted_rate between \"a\" and \"b\"", "group is 5"],
)
def test_type_confused_conditions_are_refused_at_check(condition: str) -> None:
    with pytest.raises(ContractError) as info:
        compile_contract(with_condition(condition), "c.pbr")
    codes = {d.code for d in info.value.diagnostics}
    assert codes == {"PBR230"}, info.value.render()


@pytest.mark.parametrize(
    "condition",
    ["age >= 18", "not deported", 'group is "control"', "index_date >= 2015-10-01",
     "released_on >= 2015-01-01 and released_on < 2016-01-01", "sentence_months between 1 and 2"],
)
def test_conditions_of_the_right_kind_compile(condition: str) -> None:
    compile_contract(with_condition(condition), "c.pbr")
