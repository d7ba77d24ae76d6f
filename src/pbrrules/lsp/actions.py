"""Quick fixes: a diagnostic whose help says "did you mean 'X'?" offers to write X in place of
the word it underlines (a misspelt name or keyword), as one edit the lawyer accepts or not."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lsprotocol import types

from pbrrules.errors import source_lines
from pbrrules.lsp.diagnostics import SOURCE
from pbrrules.lsp.positions import UTF16, from_position

_SUGGESTION = re.compile(r"did you mean '([^'\n]+)'\?")
#: Only a single word is replaced: a name, or a keyword such as 'one-sided' or 'yes/no'.
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_\-/]*")


def quick_fixes(
    uri: str, text: str, diagnostics: list[types.Diagnostic], encoding: str = UTF16
) -> Iterator[types.CodeAction]:
    """A quick fix for each of pbr-eval's diagnostics that suggests a word."""
    for diagnostic in diagnostics:
        found = _SUGGESTION.search(diagnostic.message)
        if diagnostic.source != SOURCE or found is None:
            continue
        suggestion = found.group(1)
        written = _text_in(text, diagnostic.range, encoding)
        if written is None or not _WORD.fullmatch(written) or written == suggestion:
            continue
        yield types.CodeAction(
            title=f"Change '{written}' to '{suggestion}'",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[diagnostic],
            is_preferred=True,
            edit=types.WorkspaceEdit(
                changes={uri: [types.TextEdit(range=diagnostic.range, new_text=suggestion)]}
            ),
        )


def _text_in(text: str, where: types.Range, encoding: str) -> str | None:
    """The text a one-line range covers, or None for a range over several lines."""
    if where.start.line != where.end.line:
        return None
    line, start = from_position(text, where.start, encoding)
    _, end = from_position(text, where.end, encoding)
    lines = source_lines(text)
    return lines[line - 1][start - 1 : end - 1] if line <= len(lines) else None
