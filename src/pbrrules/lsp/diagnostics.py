"""Diagnostics as you type: the compiler's own diagnostics (the ones ``pbr-eval check`` prints,
with the same codes, messages, help and clauses), turned into LSP diagnostics per file.

A lot file's problems may lie in its template or its variation files: each is reported on the
file it points into, as ``check`` reports it. A diagnostic's related places ("first declared
here") are its ``relatedInformation``, each a location in the file it is in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import assert_never

from attrs import frozen
from lsprotocol import types

from pbrrules.compiler import compile_contract
from pbrrules.errors import ContractError, Diagnostic, Severity, Span
from pbrrules.lsp.files import uri_of
from pbrrules.lsp.positions import UTF16, to_range
from pbrrules.rules import Contract

SOURCE = "pbr-eval"


@frozen
class Checked:
    """One compilation of an editor's document: the contract when it compiled, and every
    diagnostic by the path of the file it points into, with that file's text."""

    contract: Contract | None
    diagnostics: dict[str, tuple[Diagnostic, ...]]
    texts: dict[str, str]


def check_text(text: str, path: str, read: Callable[[str], str]) -> Checked:
    """Compile ``text`` (the file at ``path``), reading the files it names through ``read``."""
    try:
        contract = compile_contract(text, path, loader=read)
    except ContractError as exc:
        found: dict[str, list[Diagnostic]] = {path: []}
        for diagnostic in exc.diagnostics:
            found.setdefault(diagnostic.span.source or path, []).append(diagnostic)
        texts = {path: text, **exc.sources}
        _read_related(exc.diagnostics, texts, read)
        return Checked(None, {p: tuple(ds) for p, ds in found.items()}, texts)
    except Exception as exc:  # a bug in pbrrules must not take the editor's server down with it
        problem = Diagnostic(
            "internal",
            f"internal error in pbrrules (a bug, not a problem in your contract; please report "
            f"it with this file): {type(exc).__name__}: {exc}",
            Span(1, 1, 1, 1, path),
        )
        return Checked(None, {path: (problem,)}, {path: text})
    # warnings (readings a lawyer could be surprised by) come with a contract that compiles
    warned: dict[str, list[Diagnostic]] = {path: []}
    for diagnostic in contract.warnings:
        warned.setdefault(diagnostic.span.source or path, []).append(diagnostic)
    texts = {path: text}
    for source in warned:
        _read_into(texts, source, read)
    _read_related(contract.warnings, texts, read)
    return Checked(contract, {p: tuple(ds) for p, ds in warned.items()}, texts)


def _read_related(
    diagnostics: tuple[Diagnostic, ...], texts: dict[str, str], read: Callable[[str], str]
) -> None:
    """Add to ``texts`` the text of every file a related place points into."""
    for diagnostic in diagnostics:
        for related in diagnostic.related:
            if related.span.source:
                _read_into(texts, related.span.source, read)


def _read_into(texts: dict[str, str], source: str, read: Callable[[str], str]) -> None:
    if source not in texts:
        try:
            texts[source] = read(source)
        except (OSError, UnicodeDecodeError):
            texts[source] = ""


def to_lsp(
    diagnostic: Diagnostic,
    text: str,
    encoding: str = UTF16,
    texts: Mapping[str, str] | None = None,
    path: str = "",
) -> types.Diagnostic:
    """The LSP form of a diagnostic: its range in ``text``, its code, the message ``check``
    prints followed by its help and clause lines, and its related places (their files' texts
    in ``texts``; a place naming no file is in ``path``, the diagnostic's)."""
    message = diagnostic.message
    if diagnostic.help:
        message += f"\nhelp: {diagnostic.help}"
    if diagnostic.clause:
        message += f"\nin {diagnostic.clause}"
    return types.Diagnostic(
        range=to_range(diagnostic.span, text, encoding),
        message=message,
        severity=_severity(diagnostic.severity),
        code=diagnostic.code,
        source=SOURCE,
        related_information=[
            types.DiagnosticRelatedInformation(
                location=types.Location(
                    uri=uri_of(r.span.source or path),
                    range=to_range(r.span, (texts or {}).get(r.span.source or path, ""),
                                   encoding),
                ),
                message=r.message,
            )
            for r in diagnostic.related
        ] or None,
    )


def _severity(severity: Severity) -> types.DiagnosticSeverity:
    match severity:
        case "error":
            return types.DiagnosticSeverity.Error
        case "warning":
            return types.DiagnosticSeverity.Warning
        case _:
            assert_never(severity)
