"""``pbr-eval lsp``: the language server, over standard input and output (pygls).

Each open document is compiled whenever it opens or changes, as ``pbr-eval check`` compiles it
(templates and variation files read as the editor holds them), and its diagnostics are
published on the file each one points into; a diagnostic that says "did you mean 'X'?" offers
a quick fix. Hover, go to definition, completion and format document work from the names the
document and its family of files declare; while a document has a syntax error they use the
last version of it that parsed.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from pbrrules import rules
from pbrrules.compiler.resolve import load_source
from pbrrules.errors import ContractError
from pbrrules.lsp.actions import quick_fixes
from pbrrules.lsp.completion import completions
from pbrrules.lsp.diagnostics import check_text, to_lsp
from pbrrules.lsp.files import Reader, path_of, uri_of
from pbrrules.lsp.formatting import format_edits
from pbrrules.lsp.hover import hover_text
from pbrrules.lsp.positions import from_position, to_range
from pbrrules.lsp.symbols import Index, Symbol, build_index, file_at, word_at

NAME = "pbr-eval"


def _version() -> str:
    try:
        return version("pbrrules")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


class PbrLanguageServer(LanguageServer):
    """The server and what it remembers between requests."""

    def __init__(self) -> None:
        super().__init__(NAME, _version())
        #: The diagnostics each checked document found, by the URI of the file they point into.
        self.found: dict[str, dict[str, list[types.Diagnostic]]] = {}
        #: Each file's last version that parsed, by path.
        self.last_good: dict[str, rules.SourceFile] = {}
        #: Each document's last compiled contract, by URI (for values in hovers).
        self.compiled: dict[str, rules.Contract] = {}

    # -- reading files as the editor holds them ---------------------------------------------

    @property
    def encoding(self) -> str:
        """The position encoding agreed with the client."""
        return str(self.workspace.position_encoding or "utf-16")

    def reader(self) -> Reader:
        """Reads open documents as edited, other files from disk."""
        documents = self.workspace.text_documents
        return Reader({path_of(uri): doc.source for uri, doc in documents.items()})

    def text(self, uri: str) -> str:
        """The text of an open document."""
        return self.workspace.get_text_document(uri).source

    def source_of(self, path: str) -> rules.SourceFile | None:
        """The file's rules, or its last version that parsed."""
        try:
            text = self.reader()(path)
        except (OSError, UnicodeDecodeError):
            return self.last_good.get(path)
        try:
            source = load_source(text, path)
        except ContractError:  # a syntax error while typing: the diagnostics say so
            return self.last_good.get(path)
        self.last_good[path] = source
        return source

    def index(self, uri: str) -> Index:
        """The declarations of the document's family of files."""
        return build_index(path_of(uri), self.source_of, self.reader())

    # -- diagnostics ------------------------------------------------------------------------

    def check(self, uri: str) -> None:
        """Compile the document and publish what it found, on every file concerned."""
        path = path_of(uri)
        checked = check_text(self.text(uri), path, self.reader())
        if checked.contract is not None:
            self.compiled[uri] = checked.contract
        found: dict[str, list[types.Diagnostic]] = {}
        for file, diagnostics in checked.diagnostics.items():
            text = checked.texts.get(file, "")
            found[uri_of(file)] = [to_lsp(d, text, self.encoding, checked.texts, file)
                                  for d in diagnostics]
        previous = self.found.get(uri, {})
        self.found[uri] = found
        for target in sorted(set(previous) | set(found)):
            self.publish(target)
        self.source_of(path)  # remembered while it parses, for hover and definition later

    def forget(self, uri: str) -> None:
        """A closed document's diagnostics are withdrawn (from every file they pointed into)."""
        previous = self.found.pop(uri, {})
        self.compiled.pop(uri, None)
        for target in sorted(set(previous) | {uri}):
            self.publish(target)

    def publish(self, target: str) -> None:
        """Publish every open document's diagnostics on ``target``, each once."""
        merged: list[types.Diagnostic] = []
        for found in self.found.values():
            merged.extend(d for d in found.get(target, []) if d not in merged)
        document = self.workspace.text_documents.get(target)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=target, diagnostics=merged, version=document.version if document else None
            )
        )

    # -- requests ---------------------------------------------------------------------------

    def at(self, uri: str, position: types.Position) -> tuple[str, int, int]:
        """The document's text and the 1-based line and column of ``position`` in it."""
        text = self.text(uri)
        line, column = from_position(text, position, self.encoding)
        return text, line, column

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        """The declaration of the name under the cursor."""
        uri = params.text_document.uri
        text, line, column = self.at(uri, params.position)
        word = word_at(text, line, column)
        if word is None:
            return None
        name, span = word
        symbols = self.index(uri).named(name)
        if not symbols:
            return None
        symbol = _preferred(symbols)
        shown = hover_text(
            symbol, self.reader()(symbol.path), self.compiled.get(uri), path_of(uri)
        )
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=shown),
            range=to_range(span, text, self.encoding),
        )

    def definition(self, params: types.DefinitionParams) -> list[types.Location] | None:
        """Where the name (or the file named) under the cursor is declared."""
        uri = params.text_document.uri
        text, line, column = self.at(uri, params.position)
        source = self.source_of(path_of(uri))
        named = file_at(source, text, line, column) if source is not None else None
        if named is not None:
            start = types.Position(line=0, character=0)
            return [types.Location(uri=uri_of(named), range=types.Range(start=start, end=start))]
        word = word_at(text, line, column)
        if word is None:
            return None
        symbols = self.index(uri).named(word[0])
        return [self.location(s) for s in symbols] or None

    def location(self, symbol: Symbol) -> types.Location:
        """Where a symbol's name is written."""
        text = self.reader()(symbol.path)
        return types.Location(
            uri=uri_of(symbol.path), range=to_range(symbol.name_span, text, self.encoding)
        )

    def complete(self, params: types.CompletionParams) -> types.CompletionList:
        """Keywords and declared names."""
        return types.CompletionList(
            is_incomplete=False, items=completions(self.index(params.text_document.uri))
        )

    def actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        """Quick fixes for the diagnostics the editor asks about."""
        uri = params.text_document.uri
        diagnostics = list(params.context.diagnostics)
        return list(quick_fixes(uri, self.text(uri), diagnostics, self.encoding))

    def format(self, params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
        """The whole document in canonical layout."""
        uri = params.text_document.uri
        return format_edits(self.text(uri), path_of(uri), self.encoding)


def _preferred(symbols: list[Symbol]) -> Symbol:
    """The declaration to show for a name: a parameter's declaration before a ``set`` of it."""
    return next((s for s in symbols if s.kind != "set"), symbols[0])


def make_server() -> PbrLanguageServer:
    """A server with every feature registered."""
    server = PbrLanguageServer()

    def opened(params: types.DidOpenTextDocumentParams) -> None:
        server.check(params.text_document.uri)

    def changed(params: types.DidChangeTextDocumentParams) -> None:
        server.check(params.text_document.uri)

    def saved(params: types.DidSaveTextDocumentParams) -> None:
        server.check(params.text_document.uri)

    def closed(params: types.DidCloseTextDocumentParams) -> None:
        server.forget(params.text_document.uri)

    def hover(params: types.HoverParams) -> types.Hover | None:
        return server.hover(params)

    def definition(params: types.DefinitionParams) -> list[types.Location] | None:
        return server.definition(params)

    def complete(params: types.CompletionParams) -> types.CompletionList:
        return server.complete(params)

    def format_document(params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
        return server.format(params)

    def code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
        return server.actions(params)

    # pygls marks each handler with attributes, which a bound method cannot take: functions.
    handlers: list[tuple[str, Any, Any]] = [
        (types.TEXT_DOCUMENT_DID_OPEN, opened, None),
        (types.TEXT_DOCUMENT_DID_CHANGE, changed, None),
        (types.TEXT_DOCUMENT_DID_SAVE, saved, None),
        (types.TEXT_DOCUMENT_DID_CLOSE, closed, None),
        (types.TEXT_DOCUMENT_HOVER, hover, None),
        (types.TEXT_DOCUMENT_DEFINITION, definition, None),
        (types.TEXT_DOCUMENT_COMPLETION, complete, types.CompletionOptions()),
        (types.TEXT_DOCUMENT_FORMATTING, format_document, None),
        (types.TEXT_DOCUMENT_CODE_ACTION, code_action,
         types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix])),
    ]
    for method, handler, options in handlers:
        server.feature(method, options)(handler)
    return server


def serve() -> None:
    """Run the server on standard input and output until the client says exit."""
    make_server().start_io()
