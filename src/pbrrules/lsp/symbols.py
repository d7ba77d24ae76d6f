"""The names a contract declares, where, and what a position in its text points at.

A lot file's names are declared in its template (``based on``) and its variation files
(``amended by``); a variation file's, in the file it ``amends``. The index covers that whole
family of files, so "go to definition" leads from a name in a lot file into the template.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from typing import assert_never

from attrs import frozen

from pbrrules import rules
from pbrrules.errors import Span, source_lines

#: Builds one file's rules on its own, or None when it cannot (unreadable, or does not parse).
SourceOf = Callable[[str], "rules.SourceFile | None"]

_WORD = re.compile(r"[a-z_][a-z0-9_]*")
_QUOTED = re.compile(r'"[^"\n]*"')


@frozen
class Symbol:
    """One declaration of a name: ``term repayment`` in doncaster.pbr, lines 68-70."""

    name: str
    kind: str
    path: str
    #: The whole declaration, and the name within it.
    span: Span
    name_span: Span
    declaration: rules.Declaration


@frozen
class Index:
    """Every declaration in a family of files, the document's own first."""

    symbols: tuple[Symbol, ...]
    sources: tuple[rules.SourceFile, ...]

    def named(self, name: str) -> list[Symbol]:
        """The declarations of ``name``, the document's own first."""
        return [s for s in self.symbols if s.name == name]


def build_index(path: str, source_of: SourceOf, read: Callable[[str], str]) -> Index:
    """The declarations of the file at ``path`` and of every file it names, or names it."""
    symbols: list[Symbol] = []
    sources: list[rules.SourceFile] = []
    for source in _family(path, source_of):
        sources.append(source)
        try:
            text = read(source.path)
        except (OSError, UnicodeDecodeError):
            continue
        symbols.extend(declared(source, text))
    return Index(tuple(symbols), tuple(sources))


def _family(path: str, source_of: SourceOf) -> Iterator[rules.SourceFile]:
    """The file, then the files its header names (templates, variations, the file amended),
    each once, found breadth first."""
    seen: set[str] = set()
    waiting = [os.path.normpath(path)]
    while waiting:
        current = waiting.pop(0)
        if current in seen:
            continue
        seen.add(current)
        source = source_of(current)
        if source is None:
            continue
        yield source
        waiting.extend(named_files(source))


def named_files(source: rules.SourceFile) -> list[str]:
    """The paths of the files a file's header names, relative to its folder."""
    header = source.header
    names = [header.based_on, *header.amended_by, header.amends]
    folder = os.path.dirname(source.path)
    return [os.path.normpath(os.path.join(folder, n)) for n in names if n]


def declared(source: rules.SourceFile, text: str) -> Iterator[Symbol]:
    """The named declarations of one file (examples and variations are named by quoted text,
    which nothing refers to)."""
    lines = source_lines(text)
    for declaration in source.declarations:
        kind = _kind(declaration)
        if kind is None:
            continue
        name = getattr(declaration, "name", "")
        span = declaration.span.in_file(source.path)
        name_span = _name_span(lines, span, name) or span
        yield Symbol(name, kind, source.path, span, name_span, declaration)


def _kind(declaration: rules.Declaration) -> str | None:
    """The keyword that declares it, or None for what declares no name."""
    match declaration:
        case rules.Parameter():
            return "parameter"
        case rules.SetValue():
            return "set"
        case rules.Cohort():
            return "cohort"
        case rules.Measure():
            return "measure"
        case rules.Comparison():
            return "comparison"
        case rules.Target():
            return "target"
        case rules.Term():
            return "term"
        case rules.Limit(kind=kind):
            return kind
        case rules.Rounding() | rules.Example() | rules.VariationStart() | rules.Removal():
            return None
        case _:
            assert_never(declaration)


def _name_span(lines: list[str], span: Span, name: str) -> Span | None:
    """Where ``name`` is written after the declaring keyword, on the declaration's first line."""
    if not name or span.line > len(lines):
        return None
    line = lines[span.line - 1]
    for match in _WORD.finditer(line, max(span.column - 1, 0)):
        if match.group() == name:
            start = match.start() + 1
            return Span(span.line, start, span.line, start + len(name), span.source)
    return None


def word_at(text: str, line: int, column: int) -> tuple[str, Span] | None:
    """The name under the 1-based ``line``, ``column`` (or just before it), if any."""
    lines = source_lines(text)
    if not 1 <= line <= len(lines):
        return None
    for match in _WORD.finditer(lines[line - 1]):
        if match.start() + 1 <= column <= match.end() + 1:
            start = match.start() + 1
            return match.group(), Span(line, start, line, match.end() + 1)
    return None


def file_at(source: rules.SourceFile, text: str, line: int, column: int) -> str | None:
    """The path of the file named by the quoted file name under the position (``based on
    "template.pbr"``, ``amended by "..."``, ``amends "..."``), if any."""
    lines = source_lines(text)
    if not 1 <= line <= len(lines):
        return None
    header = source.header
    names = {header.based_on, *header.amended_by, header.amends} - {None}
    for match in _QUOTED.finditer(lines[line - 1]):
        quoted = match.group()[1:-1]
        if match.start() + 1 <= column <= match.end() and quoted in names:
            return os.path.normpath(os.path.join(os.path.dirname(source.path), quoted))
    return None
