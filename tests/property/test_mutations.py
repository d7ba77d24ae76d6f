"""Whatever a lawyer's editor does to a contract, pbr-eval answers with diagnostics, never a crash.

Random mutations of valid contracts (tokens and lines deleted, duplicated or swapped; random
unicode; very long lines; deep nesting; huge numbers) either compile or raise ContractError, and
every diagnostic points inside the file it names.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pbrrules.compiler import compile_contract
from pbrrules.errors import ContractError, source_lines
from pbrrules.formatter.printer import format_text

ROOT = Path(__file__).parents[2]
CORPUS = sorted(
    p
    for p in [*(ROOT / "tests" / "cases").rglob("good/*.pbr"), *(ROOT / "contracts").rglob("*.pbr")]
    if "based on" not in p.read_text(encoding="utf-8")
    and "amends" not in p.read_text(encoding="utf-8")
)
TEXTS = [p.read_text(encoding="utf-8") for p in CORPUS]
SETTINGS = settings(max_examples=300, deadline=None)


def _tokens(text: str) -> list[str]:
    return re.findall(r"\s+|[^\s]+", text)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(TEXTS))
    tokens = _tokens(text)
    lines = text.splitlines(keepends=True)
    kind = draw(
        st.sampled_from(
            [
                "delete_token",
                "duplicate_token",
                "swap_tokens",
                "delete_line",
                "duplicate_line",
                "swap_lines",
                "unicode",
                "control_character",
                "long_line",
                "deep_nesting",
                "huge_number",
                "truncate",
            ]
        )
    )
    i = draw(st.integers(0, len(tokens) - 1))
    j = draw(st.integers(0, len(lines) - 1))
    match kind:
        case "delete_token":
            del tokens[i]
        case "duplicate_token":
            tokens.insert(i, tokens[i])
        case "swap_tokens":
            k = draw(st.integers(0, len(tokens) - 1))
            tokens[i], tokens[k] = tokens[k], tokens[i]
        case "delete_line":
            del lines[j]
            return "".join(lines)
        case "duplicate_line":
            lines.insert(j, lines[j])
            return "".join(lines)
        case "swap_lines":
            k = draw(st.integers(0, len(lines) - 1))
            lines[j], lines[k] = lines[k], lines[j]
            return "".join(lines)
        case "unicode":
            tokens.insert(i, draw(st.text(min_size=1, max_size=5)))
        case "control_character":  # form feed, record separator, line separator: not new lines
            tokens.insert(i, draw(st.sampled_from(["\x0c", "\x1e", "\x85", "\u2028", "\r"])))
        case "long_line":
            tokens.insert(i, "x" * draw(st.integers(1_000, 200_000)))
        case "deep_nesting":
            depth = draw(st.integers(50, 20_000))
            tokens.insert(
                i,
                draw(
                    st.sampled_from(["(" * depth, "not " * depth, "(" * depth + "a" + ")" * depth])
                ),
            )
        case "huge_number":
            tokens.insert(i, "9" * draw(st.integers(20, 10_000)))
        case "truncate":
            return text[: draw(st.integers(0, len(text)))]
    return "".join(tokens)


@SETTINGS
@given(mutated())
def test_mutated_contracts_give_diagnostics_that_point_inside_the_file(text: str) -> None:
    try:
        contract = compile_contract(text, "mutated.pbr")
    except ContractError as exc:
        lines = source_lines(text) or [""]
        assert exc.diagnostics
        for diagnostic in exc.diagnostics:
            span = diagnostic.span
            assert span.source == "mutated.pbr"
            assert 1 <= span.line <= len(lines) + 1, diagnostic
            line = lines[span.line - 1] if span.line <= len(lines) else ""
            assert 1 <= span.column <= len(line) + 1, diagnostic
            assert diagnostic.render("mutated.pbr", text)
    else:  # a mutant that still compiles also formats, to the same rules, idempotently
        formatted = format_text(text, "mutated.pbr")
        assert compile_contract(formatted, "mutated.pbr") == contract
        assert format_text(formatted, "mutated.pbr") == formatted


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 20_000), st.sampled_from(["not ", "a or ", "a and ", "("]))
def test_deep_nesting_in_a_condition_is_a_diagnostic(depth: int, piece: str) -> None:
    text = (ROOT / "tests/cases/constructs/good/cohorts.pbr").read_text(encoding="utf-8")
    nested = piece * depth + "a" + (")" * depth if piece == "(" else "")
    text = text.replace(
        'eligible when disposal is "custody_release"\n', f"eligible when {nested}\n", 1
    )
    try:
        compile_contract(text, "nested.pbr")
    except ContractError as exc:
        assert {d.code for d in exc.diagnostics} <= {"PBR011"}


def test_the_corpus_holds_real_contracts() -> None:
    assert len(TEXTS) >= 8
