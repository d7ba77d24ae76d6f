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
