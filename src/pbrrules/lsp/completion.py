"""Completion: the language's keywords (from the grammar itself, so they cannot drift from the
parser) and the names declared in the contract's family of files."""

from __future__ import annotations

from lsprotocol import types

from pbrrules.lsp.symbols import Index
from pbrrules.syntax.parser import keywords

#: How each kind of declaration shows in an editor's completion list.
_KINDS = {
    "parameter": types.CompletionItemKind.Constant,
    "set": types.CompletionItemKind.Constant,
    "cohort": types.CompletionItemKind.Module,
    "measure": types.CompletionItemKind.Field,
    "comparison": types.CompletionItemKind.Value,
    "target": types.CompletionItemKind.Event,
    "term": types.CompletionItemKind.Function,
    "cap": types.CompletionItemKind.Property,
    "collar": types.CompletionItemKind.Property,
}


def completions(index: Index | None) -> list[types.CompletionItem]:
    """Every declared name (once, with its kind and clause), then every keyword."""
    items: dict[str, types.CompletionItem] = {}
    for symbol in index.symbols if index is not None else ():
        if symbol.name in items:
            continue
        clause = getattr(symbol.declaration, "clause", None)
        items[symbol.name] = types.CompletionItem(
            label=symbol.name,
            kind=_KINDS.get(symbol.kind, types.CompletionItemKind.Variable),
            detail=symbol.kind + (f" ({clause})" if clause else ""),
            sort_text=f"0{symbol.name}",
        )
    for word in sorted(keywords()):
        items.setdefault(
            word,
            types.CompletionItem(
                label=word, kind=types.CompletionItemKind.Keyword, sort_text=f"1{word}"
            ),
        )
    return list(items.values())
