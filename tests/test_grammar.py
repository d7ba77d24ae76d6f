"""The grammar is LALR without conflicts, loads from the installed package, parses every case."""

from __future__ import annotations

from pathlib import Path

import pytest
from lark import Lark

from pbrrules.syntax.parser import parse
from pbrrules.syntax.tables import grammar_text

ROOT = Path(__file__).parents[1]


def test_grammar_loads_in_strict_mode_without_conflicts_or_collisions() -> None:
    Lark(grammar_text(), parser="lalr", strict=True, propagate_positions=True)


def test_the_packaged_grammar_is_the_repository_grammar() -> None:
    assert grammar_text() == (ROOT / "grammar" / "pbr.lark").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "path",
    sorted([*(ROOT / "tests" / "cases").rglob("good/*.pbr"), *(ROOT / "contracts").rglob("*.pbr")]),
    ids=lambda p: p.name,
)
def test_every_good_contract_parses(path: Path) -> None:
    parse(path.read_text(encoding="utf-8"), path.name)


def _item_openers(rule: str) -> set[str]:
    """The keyword each alternative of the grammar's ``?RULE:`` begins with."""
    import re

    found = re.search(rf"^\?{rule}:(.*?)(?=^\S)", grammar_text(), re.S | re.M)
    assert found is not None, rule
    alternatives = re.split(r"\n\s*\|", found.group(1))
    return {re.findall(r'"([^"]+)"', alt.strip())[0] for alt in alternatives}


@pytest.mark.parametrize("declaration", ["cohort", "measure", "target", "term", "example"])
def test_the_did_you_mean_openers_are_exactly_the_grammars(declaration: str) -> None:
    """syntax/hints.py matches a misspelt first word against each declaration's line openers:
    a new line in the grammar (``higher is better``, ``paid by``) must be one of them."""
    from pbrrules.syntax.hints import ITEM_KEYWORDS

    assert set(ITEM_KEYWORDS[declaration]) == _item_openers(f"{declaration}_item")
