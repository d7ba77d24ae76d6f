"""The Pygments lexer for ``.pbr``: registered as an entry point, and every bundled contract
(and every good golden case) highlighted with no error token."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Comment, Error, Keyword, Literal, Name, Number, String
from pygments.token import is_token_subtype as within

from pbrrules.highlight import PbrLexer
from pbrrules.syntax.parser import keywords

ROOT = Path(__file__).parents[1]
CONTRACTS = sorted((ROOT / "contracts").rglob("*.pbr"))
GOOD = sorted((ROOT / "tests" / "cases").rglob("good/*.pbr"))


def test_pygments_finds_the_lexer_by_name_and_by_file_name() -> None:
    assert isinstance(get_lexer_by_name("pbr"), PbrLexer)
    assert isinstance(get_lexer_for_filename("doncaster.pbr"), PbrLexer)


@pytest.mark.parametrize("path", CONTRACTS + GOOD, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_contract_is_highlighted_with_no_error_token(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    tokens = list(PbrLexer(stripnl=False).get_tokens(text))
    errors = [value for kind, value in tokens if within(kind, Error)]
    assert not errors, f"not highlighted: {errors[:10]}"
    assert "".join(value for _, value in tokens) == text + ("" if text.endswith("\n") else "\n")


def test_the_parts_of_a_contract_get_their_kinds() -> None:
    text = (
        'term repayment (clause 4.3): // repaid\n'
        '  unless five_points and not one_sided\n'
        '  deduct 10% of £2,000,000 from 2011-10-01 "why"\n'
    )
    kinds = {value: kind for kind, value in PbrLexer().get_tokens(text)}
    assert within(kinds["term"], Keyword)
    assert within(kinds["unless"], Keyword)
    assert within(kinds["repayment"], Name)
    assert within(kinds["one_sided"], Name)  # a name, though 'one-sided' is a keyword
    assert within(kinds["clause 4.3"], Name.Label)
    assert within(kinds["// repaid"], Comment)
    assert within(kinds["10%"], Number)
    assert within(kinds["2,000,000"], Number)
    assert within(kinds["2011-10-01"], Literal.Date)
    assert within(kinds['"why"'], String)


def test_every_keyword_of_the_grammar_is_highlighted_as_a_keyword() -> None:
    for word in sorted(keywords()):
        [(kind, value), *_] = PbrLexer().get_tokens(word)
        assert (kind, value) == (Keyword, word)


def test_a_character_the_language_does_not_use_is_an_error_token() -> None:
    assert any(within(kind, Error) for kind, _ in PbrLexer().get_tokens("term x @ y\n"))


def _docs_blocks() -> list[Any]:
    """Every ```pbr block of the docs, but the error reference's (its examples are mistakes)."""
    found = []
    for page in sorted((ROOT / "docs").rglob("*.md")):
        if page.name == "errors.md":
            continue
        text = page.read_text(encoding="utf-8")
        for number, block in enumerate(re.findall(r"```pbr\n(.*?)```", text, re.S), start=1):
            where = f"{page.relative_to(ROOT)}#{number}"
            found.append(pytest.param(where, block, id=where))
    return found


@pytest.mark.parametrize(("where", "block"), _docs_blocks())
def test_the_docs_pbr_blocks_are_highlighted_with_no_error_token(where: str, block: str) -> None:
    errors = [value for kind, value in PbrLexer().get_tokens(block) if within(kind, Error)]
    assert not errors, f"{where}: not highlighted: {errors[:10]}"
