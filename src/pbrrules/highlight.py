"""A Pygments lexer for contracts (``.pbr``): the language's keywords (taken from the grammar,
so highlighting never disagrees with the parser), names, quoted text, clause references, dates,
numbers, money, percentages, comparisons and comments.

Registered as a ``pygments.lexers`` entry point, so once pbrrules is installed, Pygments (and
so Sphinx, MkDocs and other documentation tools) highlights code blocks marked ``pbr``::

    pygmentize -l pbr contracts/doncaster.pbr
"""

from __future__ import annotations

from pygments.lexer import RegexLexer, words
from pygments.token import (
    Comment,
    Keyword,
    Literal,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
    _TokenType,
)

from pbrrules.syntax.parser import keywords

__all__ = ["PbrLexer"]

# The grammar's terminals (grammar/pbr.lark), written for Pygments.
_CLAUSE = (
    r"(?i:clause|clauses|schedule|annex|section|paragraph|para)[ \t]+[A-Za-z0-9][A-Za-z0-9.\-]*"
)
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"

Rule = tuple[str | words, _TokenType]


def _rules() -> list[Rule]:
    # Longest keywords first, so 'one-sided' wins over 'one' and 'percentage' over 'percent'.
    spelled = sorted(keywords(), key=lambda w: (-len(w), w))
    return [
        (r"[ \t]+|\r?\n", Whitespace),
        (r"(?://|#)[^\n]*", Comment.Single),
        (r'"[^"\n]*"', String.Double),
        (r"(?<=\()" + _CLAUSE, Name.Label),
        (r"\d{4}-\d{2}-\d{2}", Literal.Date),
        (r"[£$€]", Keyword.Type),
        (r"(?:" + _NUMBER + r")%?", Number),
        (r"\b[A-Z]{3}\b", Keyword.Type),
        (words(spelled, prefix=r"\b", suffix=r"(?![a-z0-9_])"), Keyword),
        (r"[a-z_][a-z0-9_]*", Name),
        (r"<=|>=|!=|[<>=+]|-", Operator),
        (r"[():,]", Punctuation),
    ]


class PbrLexer(RegexLexer):
    """Highlights payment-by-results contracts (``pbr``)."""

    name = "pbr"
    aliases = ["pbr", "pbrrules"]  # noqa: RUF012 - Pygments reads these class attributes
    filenames = ["*.pbr"]  # noqa: RUF012
    mimetypes = ["text/x-pbr"]  # noqa: RUF012
    tokens = {"root": _rules()}  # noqa: RUF012
