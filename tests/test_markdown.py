"""Markdown statements are CommonMark a commissioner can send: each golden statement parses, and
every fact, exclusion, derivation and payment line is its own block (asserted on the parser's
token stream, not on the text), with parties and dates, words for names and no doubled sign."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

GOLDEN = Path(__file__).parent / "statements"
STATEMENTS = sorted(GOLDEN.glob("*.md"))
#: How a fact, exclusion, result or payment line opens: each must open a list item of its own.
ITEM = re.compile(
    r"\*\*(?:Payer|Provider|Reference|Statement date|Period covered|Extract date):\*\*"
    r"|(?:Measure|Comparison|Target) \*\*|\*\*Term |[\d,]+ index events excluded"
)


def _tokens(path: Path) -> list[Token]:
    """The statement parsed as CommonMark with tables (the GitHub extension the totals use)."""
    return MarkdownIt("commonmark").enable("table").parse(path.read_text(encoding="utf-8"))


def _inlines(tokens: list[Token]) -> list[Token]:
    return [token for token in tokens if token.type == "inline"]


def _in_list_item(tokens: list[Token], index: int) -> bool:
    """Whether the inline token at ``index`` is the paragraph of a list item."""
    return any(t.type == "list_item_open" for t in tokens[max(0, index - 2) : index])


def test_there_are_golden_markdown_statements() -> None:
    assert len(STATEMENTS) >= 5


@pytest.mark.parametrize("path", STATEMENTS, ids=lambda p: p.stem)
def test_no_paragraph_runs_two_lines_together(path: Path) -> None:
    """A soft break inside a paragraph means two source lines render as one run-on paragraph."""
    for inline in _inlines(_tokens(path)):
        breaks = [c for c in inline.children or [] if c.type in ("softbreak", "hardbreak")]
        assert not breaks, f"{path.name}: run-on paragraph: {inline.content[:120]!r}"


@pytest.mark.parametrize("path", STATEMENTS, ids=lambda p: p.stem)
def test_every_fact_derivation_and_line_is_its_own_list_item(path: Path) -> None:
    tokens = _tokens(path)
    seen = 0
    for index, token in enumerate(tokens):
        if token.type != "inline" or not ITEM.search(token.content):
            continue
        where = f"{path.name}: {token.content[:120]!r}"
        assert ITEM.match(token.content), f"not at the start of its block: {where}"
        assert len(ITEM.findall(token.content)) == 1, f"two items in one block: {where}"
        assert _in_list_item(tokens, index), f"not a list item: {where}"
        seen += 1
    assert seen >= 10


@pytest.mark.parametrize("path", STATEMENTS, ids=lambda p: p.stem)
def test_the_statement_states_its_parties_dates_and_reference(path: Path) -> None:
    items = [t.content for t in _inlines(_tokens(path))]
    for fact in ("**Payer:**", "**Provider:**", "**Reference:** PBR-", "**Statement date:**",
                 "**Contract hash:**", "**Period covered:** ", "**Extract date:** "):  # fmt: skip
        assert any(item.startswith(fact) for item in items), fact
    payer = next(item for item in items if item.startswith("**Payer:**"))
    assert "not named" not in payer


@pytest.mark.parametrize("path", STATEMENTS, ids=lambda p: p.stem)
def test_names_are_words_and_no_verb_takes_a_negative_amount(path: Path) -> None:
    """Identifiers (``five_points``) appear only in code spans (file paths, hashes)."""
    for inline in _inlines(_tokens(path)):
        for child in inline.children or []:
            if child.type == "text":
                assert not re.search(r"\b[a-z]+_[a-z0-9_]+\b", child.content), child.content
        assert not re.search(r"(deducts|pays) \**-", inline.content), inline.content


def test_a_cohort_shows_each_derivation_once() -> None:
    """Doncaster's year 2: the measure's working appears once, its result stands for it after."""
    text = (GOLDEN / "doncaster.md").read_text(encoding="utf-8")
    year2 = text.split("## year 2", 1)[1].split("## ", 1)[0]
    assert year2.count("547 / 1,000") == 1
    assert "deducts **£2,000,000.00**: target five points not met; 10% of core contract" in year2


def test_contract_text_shows_as_written_never_as_markup() -> None:
    """A name, party or clause holding markup is escaped: no raw HTML, emphasis or link."""
    from pbrrules import api
    from pbrrules.render import render
    from pbrrules.statement import ContractInfo, Statement

    root = Path(__file__).parents[1]
    statement = api.evaluate_folder(
        api.load_contract(root / "contracts/doncaster.pbr"), root / "examples/doncaster"
    )
    hostile = '<script>alert("x")</script> *bold* _it_ [link](http://evil.example) `code`'
    contract = statement.contract
    changed = Statement(
        ContractInfo(hostile, contract.version, contract.source_hash, contract.sources,
                     contract.currency, (("parameter", "p", hostile),), hostile, hostile),
        statement.engine_version, statement.units, statement.years, statement.total,
        statement.data,
    )  # fmt: skip
    tokens = MarkdownIt("commonmark").parse(render(changed, "markdown"))
    children = [c for t in tokens if t.type == "inline" for c in t.children or []]
    kinds = {c.type for c in children} | {t.type for t in tokens}
    assert not kinds & {"html_inline", "html_block", "link_open", "em_open"}  # code: hashes
    texts = "".join(c.content for c in children if c.type == "text")
    assert '<script>alert("x")</script> *bold* _it_ [link](http://evil.example) `code`' in texts
