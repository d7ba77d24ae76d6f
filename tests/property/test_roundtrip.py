"""`pbr-eval fmt` never changes what a contract means, and formatting twice changes nothing."""

from __future__ import annotations

from hypothesis import given, settings
from tests.property.strategies import contracts

from pbrrules.compiler import compile_contract
from pbrrules.formatter.printer import format_text

# The first example pays for building the LALR tables; no per-example deadline.
SETTINGS = settings(max_examples=150, deadline=None)


@SETTINGS
@given(contracts())
def test_formatting_a_contract_compiles_to_equal_rules(text: str) -> None:
    """A lawyer can run fmt on any contract without changing a single term."""
    formatted = format_text(text)
    assert compile_contract(formatted) == compile_contract(text)


@SETTINGS
@given(contracts())
def test_formatting_twice_changes_nothing(text: str) -> None:
    """fmt is idempotent, so `fmt --check` in CI is stable."""
    once = format_text(text)
    assert format_text(once) == once


@SETTINGS
@given(contracts())
def test_formatting_keeps_every_comment(text: str) -> None:
    """No comment is lost: each comment of the original appears in the formatted text."""
    formatted = format_text(text)
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith(("//", "#")):
            assert stripped in formatted
