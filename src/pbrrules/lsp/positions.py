"""Contract spans ↔ LSP positions.

A ``Span`` counts 1-based lines and 1-based columns in characters (code points), as the parser
does; the Language Server Protocol counts 0-based lines and columns in the code units of the
position encoding agreed at ``initialize`` (UTF-16 unless the client offers another). A
character outside the Basic Multilingual Plane is two UTF-16 units, and ``£`` is two UTF-8 bytes,
so the two agree only on plain ASCII lines.
"""

from __future__ import annotations

from lsprotocol import types

from pbrrules.errors import Span, source_lines

UTF16, UTF8, UTF32 = "utf-16", "utf-8", "utf-32"


def _units(text: str, encoding: str) -> int:
    """How many code units ``text`` takes in the encoding."""
    if encoding == UTF8:
        return len(text.encode("utf-8"))
    if encoding == UTF32:
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def _line(lines: list[str], number: int) -> str:
    """Line ``number`` (0-based), or "" past the end."""
    return lines[number] if 0 <= number < len(lines) else ""


def to_position(lines: list[str], line: int, column: int, encoding: str = UTF16) -> types.Position:
    """The LSP position of 1-based ``line``, ``column`` (characters), clamped to the text."""
    number = max(line - 1, 0)
    if number >= len(lines):  # past the end of the text: its end
        number, column = max(len(lines) - 1, 0), len(_line(lines, len(lines) - 1)) + 1
    text = _line(lines, number)
    characters = min(max(column - 1, 0), len(text))
    return types.Position(line=number, character=_units(text[:characters], encoding))


def to_range(span: Span, text: str, encoding: str = UTF16) -> types.Range:
    """The LSP range of a span in ``text``; an empty span widens to one character, so an editor
    has something to underline (a missing ``:`` at the end of a line)."""
    lines = source_lines(text)
    start = to_position(lines, span.line, span.column, encoding)
    end = to_position(lines, span.end_line, span.end_column, encoding)
    if (end.line, end.character) <= (start.line, start.character):
        following = _line(lines, start.line)[_characters(lines, start, encoding):][:1]
        end = types.Position(start.line, start.character + _units(following or " ", encoding))
    return types.Range(start=start, end=end)


def _characters(lines: list[str], position: types.Position, encoding: str) -> int:
    """How many characters of its line come before ``position``."""
    text = _line(lines, position.line)
    units = 0
    for index, character in enumerate(text):
        if units >= position.character:
            return index
        units += _units(character, encoding)
    return len(text)


def from_position(text: str, position: types.Position, encoding: str = UTF16) -> tuple[int, int]:
    """The 1-based line and character column of an LSP position in ``text``."""
    lines = source_lines(text)
    return position.line + 1, _characters(lines, position, encoding) + 1
