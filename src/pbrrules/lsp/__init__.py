"""The language server (``pbr-eval lsp``): diagnostics as you type, hover, go to definition,
completion, format document and quick fixes, for any editor that speaks the Language Server
Protocol.

One module per concept: ``positions`` (spans ↔ LSP positions), ``files`` (URIs, and reading
files as the editor holds them), ``diagnostics`` (the compiler's, per file), ``symbols`` (what
a contract and its template and variation files declare), ``hover``, ``completion``,
``formatting``, ``actions`` (quick fixes) and ``server`` (pygls, wiring the features to
requests).
"""
