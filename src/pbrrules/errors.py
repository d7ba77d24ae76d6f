"""Spans, diagnostics and the exceptions pbrrules raises on purpose.

A diagnostic is a value (frozen, comparable); an exception is a thin carrier of diagnostics.
Rendering attaches the source text at the boundary, in compiler style::

    doncaster.pbr:12:9: error[PBR101]: unknown parameter 'baselin_2009'
       |
    12 |   reconviction_rate against baselin_2009 in percentage points
       |                             ^^^^^^^^^^^^
       = help: did you mean 'baseline_2009'?
       = in clause 4.3

A diagnostic may carry related places (``Related``: "first declared here"), each printed as a
``note:`` line naming its file:line:col, as compilers do; one mistake is one diagnostic, its
other places notes rather than errors of their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Literal

from attrs import field, frozen

Severity = Literal["error", "warning"]


def source_lines(text: str) -> list[str]:
    """The text's lines as the parser counts them: cut at "\n" only (a "\r" before it dropped).

    ``str.splitlines`` would also cut at form feeds, "\x1c"-"\x1e", "\u2028" and others, and
    then line numbers would disagree with the parser's.
    """
    lines = text.split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


@frozen
class Span:
    """Where a piece of contract text came from: 1-based lines and columns, end exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int
    source: str = field(default="", eq=False)

    def in_file(self, source: str) -> Span:
        """The same span, labelled with the file it belongs to."""
        return Span(self.line, self.column, self.end_line, self.end_column, source)


NOWHERE = Span(1, 1, 1, 1)


@frozen
class Related:
    """Another place a diagnostic concerns ("first declared here", "the template's
    declaration"), with what it is."""

    message: str
    span: Span

    def where(self, path: str) -> str:
        """``file:line:col`` of the place (``path`` when the span names no file)."""
        return f"{self.span.source or path}:{self.span.line}:{self.span.column}"


@frozen
class Diagnostic:
    """One problem in a contract or in outcome data, in the words of the contract's author."""

    code: str
    message: str
    span: Span
    help: str | None = None
    clause: str | None = None
    severity: Severity = "error"
    #: Other places the problem concerns, each shown as a note.
    related: tuple[Related, ...] = ()

    def render(self, path: str, text: str) -> str:
        """The diagnostic as a compiler-style message with the source line underlined."""
        span = self.span
        lines = source_lines(text) or [""]
        line_no = min(max(span.line, 1), len(lines))
        source_line = lines[line_no - 1].expandtabs(1)
        start = min(max(span.column, 1), len(source_line) + 1)
        end = span.end_column if span.end_line == span.line else len(source_line) + 1
        width = max(1, min(end, len(source_line) + 1) - start)
        gutter = " " * len(str(line_no))
        out = [f"{path}:{line_no}:{start}: {self.severity}[{self.code}]: {self.message}"]
        if text:  # a file that could not be read has no line to show
            out += [
                f"{gutter} |",
                f"{line_no} | {source_line}",
                f"{gutter} | {' ' * (start - 1)}{'^' * width}",
            ]
        if self.help:
            continuation = "\n" + gutter + "         "
            out.append(f"{gutter} = help: {continuation.join(self.help.splitlines())}")
        if self.clause:
            out.append(f"{gutter} = in {self.clause}")
        out += [f"{gutter} = note: {r.where(path)}: {r.message}" for r in self.related]
        return "\n".join(out)

    def to_json(self, path: str) -> dict[str, object]:
        """The diagnostic as a JSON-ready mapping (for editors and CI)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": path,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "help": self.help,
            "clause": self.clause,
            "related": [
                {
                    "message": r.message,
                    "file": r.span.source or path,
                    "line": r.span.line,
                    "column": r.span.column,
                    "end_line": r.span.end_line,
                    "end_column": r.span.end_column,
                }
                for r in self.related
            ],
        }


class PbrError(Exception):
    """Base class for every error pbrrules raises on purpose."""


class ContractError(PbrError, ValueError):
    """A contract could not be compiled; carries every diagnostic found."""

    def __init__(self, diagnostics: Sequence[Diagnostic], sources: dict[str, str] | None = None):
        self.diagnostics = tuple(diagnostics)
        #: The text of every file the diagnostics point into, keyed by path, for rendering.
        self.sources = dict(sources or {})
        super().__init__(f"{len(self.diagnostics)} problem(s) in contract")

    def render(self) -> str:
        """Every diagnostic rendered against the file it points into."""
        parts = []
        for diagnostic in self.diagnostics:
            path = diagnostic.span.source
            parts.append(diagnostic.render(path, self.sources.get(path, "")))
        return "\n\n".join(parts)


class OutcomeDataError(PbrError, ValueError):
    """Outcome records could not be used; carries every problem found (file, row, column)."""

    def __init__(self, problems: Sequence[object], message: str | None = None):
        self.problems = tuple(problems)
        super().__init__(message or f"{len(self.problems)} problem(s) in outcome data")


class EvaluationError(PbrError):
    """A contract could not be evaluated on the given figures (e.g. a missing parameter value)."""


def once_per_line(diagnostics: Iterable[Diagnostic]) -> Iterator[Diagnostic]:
    """Each diagnostic once per message and line: a check run on every version of a contract
    finds a declaration the variations leave unchanged once per version."""
    seen: set[tuple[str, int]] = set()
    for diagnostic in diagnostics:
        key = (diagnostic.message, diagnostic.span.line)
        if key not in seen:
            seen.add(key)
            yield diagnostic
