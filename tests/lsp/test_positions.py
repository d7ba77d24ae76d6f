"""Spans (1-based, in characters) ↔ LSP positions (0-based, in the agreed encoding's units)."""

from __future__ import annotations

import pytest
from lsprotocol import types

from pbrrules.errors import Span
from pbrrules.lsp.positions import UTF8, UTF16, UTF32, from_position, to_range

TEXT = "first line\nset x = £1 𝔸 y\n"


@pytest.mark.parametrize(
    ("encoding", "character"),
    [(UTF16, 14), (UTF8, 17), (UTF32, 13)],
)
def test_a_column_after_a_pound_sign_and_an_astral_character_counts_in_the_encodings_units(
    encoding: str, character: int
) -> None:
    # 'y' is the 14th character of line 2: "set x = £1 𝔸 " is 13 characters, 14 UTF-16 units
    # (𝔸 is two) and 17 UTF-8 bytes (£ is two, 𝔸 four)
    span = Span(2, 14, 2, 15)
    assert to_range(span, TEXT, encoding) == types.Range(
        types.Position(1, character), types.Position(1, character + 1)
    )
    assert from_position(TEXT, types.Position(1, character), encoding) == (2, 14)


def test_an_empty_span_widens_to_one_character_so_an_editor_can_underline_it() -> None:
    assert to_range(Span(1, 6, 1, 6), TEXT) == types.Range(
        types.Position(0, 5), types.Position(0, 6)
    )


def test_a_span_past_the_end_of_a_line_or_the_text_is_clamped() -> None:
    assert to_range(Span(1, 40, 9, 3), TEXT) == types.Range(
        types.Position(0, 10), types.Position(1, 15)
    )
