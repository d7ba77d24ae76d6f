"""Format document: ``pbr-eval fmt``'s canonical layout as one edit over the whole text."""

from __future__ import annotations

from lsprotocol import types

from pbrrules.errors import ContractError, source_lines
from pbrrules.formatter.printer import format_text
from pbrrules.lsp.positions import UTF16, to_position


def format_edits(text: str, path: str, encoding: str = UTF16) -> list[types.TextEdit] | None:
    """The edits that format ``text``: none when it is formatted already, and None when it has
    a syntax error (it is left as it is; the diagnostics say why)."""
    try:
        formatted = format_text(text, path)
    except ContractError:
        return None
    if formatted == text:
        return []
    lines = source_lines(text)
    # The end of the text: past its last line when it ends with a newline.
    end = types.Position(line=len(lines), character=0)
    if not text.endswith("\n"):
        end = to_position(lines, len(lines), len(lines[-1]) + 1 if lines else 1, encoding)
    whole = types.Range(start=types.Position(line=0, character=0), end=end)
    return [types.TextEdit(range=whole, new_text=formatted)]
