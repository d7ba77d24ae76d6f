"""``pbr-eval explain CODE``: a diagnostic code's page of docs/errors.md (what it means, why it
matters, an example, how to fix it), from the copy shipped in the package."""

from __future__ import annotations

import argparse
import re
import sys
from importlib.resources import files
from typing import Any

from pbrrules.cli.common import EXIT_OK, EXIT_PROBLEMS


def register(subparsers: Any) -> None:
    """Add the ``explain`` command to ``pbr-eval``'s subparsers."""
    explain = subparsers.add_parser(
        "explain",
        help="what a diagnostic code means and how to fix it",
        description="Print the page of a diagnostic code (PBR202, say) from the error "
        "reference: what it means, why it matters, an example and the fix.",
    )
    explain.add_argument("code", metavar="CODE", help="a code such as PBR202 (or 202)")
    explain.set_defaults(func=explain_command)


def explain_command(args: argparse.Namespace) -> int:
    """``pbr-eval explain CODE``."""
    code = args.code.strip().upper()
    code = code if code.startswith("PBR") else f"PBR{code}"
    page = explanation(code)
    if page is None:
        known = ", ".join(codes()[:6])
        print(f"pbr-eval: there is no code {args.code!r} (codes look like {known}, ...; "
              "docs/errors.md lists them all)", file=sys.stderr)
        return EXIT_PROBLEMS
    sys.stdout.write(page)
    return EXIT_OK


def _reference() -> str:
    return (files("pbrrules") / "reference" / "errors.md").read_text(encoding="utf-8")


def codes() -> list[str]:
    """Every documented code, in the reference's order."""
    return re.findall(r"^## (PBR\d{3})\b", _reference(), flags=re.M)


def explanation(code: str) -> str | None:
    """The reference's section for ``code`` (its heading to the next one), or None."""
    match = re.search(
        rf"^## {re.escape(code)}\b.*?(?=^## |\Z)", _reference(), flags=re.M | re.S
    )
    return match.group(0).rstrip() + "\n" if match else None
