"""``pbr-eval diff OLD NEW``: what changed between two versions of a contract, in the contract's
words, and with ``--data`` what each cohort's payments change by on the same records."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pbrrules import api
from pbrrules.cli.common import EXIT_OK, EXIT_PROBLEMS
from pbrrules.diff import diff_contracts
from pbrrules.errors import ContractError, OutcomeDataError
from pbrrules.rules import Contract
from pbrrules.statement import Statement


def register(subparsers: Any) -> None:
    """Add the ``diff`` command to ``pbr-eval``'s subparsers."""
    diff = subparsers.add_parser(
        "diff",
        help="what changed between two versions of a contract, and what it pays differently",
        description="Compare OLD and NEW (two drafts of a contract, or a template and a "
        "variation of it) declaration by declaration, for each range of cohort start dates; "
        "with --data, pay both on the same outcome records and list every payment that changes.",
    )
    diff.add_argument("old", type=Path, metavar="OLD", help="the earlier contract file (.pbr)")
    diff.add_argument("new", type=Path, metavar="NEW", help="the later contract file (.pbr)")
    diff.add_argument(
        "--data", type=Path, metavar="DATA",
        help="a folder of outcome records to pay both versions on",
    )  # fmt: skip
    diff.add_argument("--format", choices=("text", "json"), default="text",
                      help="text for people (default), json (schema pbr.diff/1)")
    diff.set_defaults(func=diff_command)


def diff_command(args: argparse.Namespace) -> int:
    """``pbr-eval diff OLD NEW [--data DATA]``."""
    try:
        old, new = api.load_contract(args.old), api.load_contract(args.new)
    except ContractError as exc:
        print(exc.render() + "\n", file=sys.stderr)
        return EXIT_PROBLEMS
    statements = None
    if args.data is not None:
        for path, contract in ((args.old, old), (args.new, new)):
            if contract.header.kind != "contract":
                print(f"pbr-eval: {path} is a {contract.header.kind}: only a contract is paid "
                      f"on records (give the lot files based on it)", file=sys.stderr)
                return EXIT_PROBLEMS
        try:
            statements = _paid(old, new, args.data)
        except OutcomeDataError as exc:
            print(f"pbr-eval: {exc}", file=sys.stderr)
            return EXIT_PROBLEMS
    result = diff_contracts(old, new, statements)
    sys.stdout.write(result.to_json() if args.format == "json" else result.render())
    return EXIT_OK


def _paid(old: Contract, new: Contract, data: Path) -> tuple[Statement, Statement]:
    """Both versions paid on one loading of the records."""
    from pbrrules.measure import load_outcomes  # DuckDB: only when measuring

    records = load_outcomes(data)
    return api.measured(old, records)[0], api.measured(new, records)[0]
