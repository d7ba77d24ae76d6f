"""``pbr-eval lsp``: run the language server on standard input and output, for an editor to
start (docs/commands.md says how to set one up)."""

from __future__ import annotations

import argparse
from typing import Any

from pbrrules.cli.common import EXIT_OK


def register(sub: Any) -> None:
    """Add the ``lsp`` command to ``pbr-eval``'s subparsers."""
    lsp = sub.add_parser(
        "lsp",
        help="run the language server (for editors) on standard input and output",
        description="Run the pbrrules language server over standard input and output: "
        "diagnostics as you type (those of 'check'), hover, go to definition, completion and "
        "format document. An editor starts it; it is not meant to be run by hand.",
    )
    lsp.add_argument("--stdio", action="store_true",
                     help="use standard input and output (the default and only transport; "
                     "accepted because many editors pass it)")
    lsp.set_defaults(func=_lsp)


def _lsp(args: argparse.Namespace) -> int:
    from pbrrules.lsp.server import serve  # pygls: only when an editor asks for the server

    serve()
    return EXIT_OK
