"""pbr-eval: check, format, run and test payment-by-results contracts.

exit status:
  0  success: contracts are clean, formatted, evaluated, or every example passed
  1  problems found: in a contract, in the outcome data, or a worked example failed
  2  the command was used wrongly (unknown option, missing file argument)
  3  internal error: a bug in pbrrules (please report it with the input that caused it)
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from pbrrules.cli import contracts, diff, explain, lsp, run, test, what_if
from pbrrules.cli.common import EXIT_INTERNAL, EXIT_PROBLEMS, engine_version
from pbrrules.errors import PbrError

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (never raises for a user's mistake)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on misuse and 0 on --help
        return int(exit_.code or 0)
    command: Callable[[argparse.Namespace], int] = args.func
    try:
        return command(args)
    except PbrError as exc:  # a stage that should have reported this itself; still the user's
        print(f"pbr-eval: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("pbr-eval: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("PBR_DEBUG"):
            raise
        print(
            f"pbr-eval: internal error in pbrrules {engine_version()} (this is a bug, not a "
            f"problem in your contract or data; please report it with the input that caused "
            f"it): {type(exc).__name__}: {exc}",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pbr-eval",
        description="Check, format, run and test payment-by-results contracts.",
        epilog=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"pbr-eval {engine_version()}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    contracts.register(sub)
    run.register(sub)
    test.register(sub)
    diff.register(sub)
    explain.register(sub)
    what_if.register(sub)
    lsp.register(sub)
    return parser
