"""``pbr-eval check`` (compile contracts and report every problem) and ``pbr-eval fmt`` (rewrite
them in the canonical layout). Problems go to stderr; ``check --format json`` to stdout."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pbrrules.cli.common import EXIT_OK, EXIT_PROBLEMS, contract_files, write_atomically
from pbrrules.compiler import compile_file
from pbrrules.errors import ContractError, Diagnostic
from pbrrules.formatter.printer import format_text
from pbrrules.rules import Contract

if TYPE_CHECKING:
    from pbrrules.measure.sources import OutcomeData


def register(sub: Any) -> None:
    """Add the ``check`` and ``fmt`` commands to ``pbr-eval``'s subparsers."""
    check = sub.add_parser("check", help="compile contracts and report every problem",
                           description="Compile each contract and report every problem found.")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE",
                       help="contract files (.pbr), or folders to check every .pbr file in")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="text for people (default), json for editors and CI")
    check.add_argument("--data", type=Path, metavar="FOLDER",
                       help="also check the columns each contract names against the headers "
                       "of the outcome files in FOLDER (only the headers are read)")
    check.set_defaults(func=_check)

    fmt = sub.add_parser("fmt", help="rewrite contracts in the canonical layout",
                         description="Rewrite contracts in the canonical layout. Formatting never "
                         "changes what a contract means, and keeps every comment.")
    fmt.add_argument("files", nargs="+", metavar="FILE", help="contract files, or - for stdin")
    fmt.add_argument("--check", action="store_true",
                     help="change nothing; exit 1 if a file is not formatted")
    fmt.set_defaults(func=_fmt)


def _check(args: argparse.Namespace) -> int:
    found: list[tuple[str, Diagnostic, str]] = []
    args.files = contract_files(args.files)
    data = None
    for path in args.files:
        try:
            contract = compile_file(path)
        except ContractError as exc:
            for diagnostic in exc.diagnostics:
                source = diagnostic.span.source or str(path)
                found.append((source, diagnostic, exc.sources.get(source, "")))
            continue
        for diagnostic in contract.warnings:
            source = diagnostic.span.source or str(path)
            found.append((source, diagnostic, _text_of(source)))
        if args.data is not None:
            data = data or _outcomes(args.data)
            found += _column_problems(contract, data, path)
    errors = sum(1 for _, d, _ in found if d.severity == "error")
    if args.format == "json":
        report = {
            "schema": "pbr.diagnostics/1",
            "files": [str(p) for p in args.files],
            "diagnostics": [d.to_json(path) for path, d, _ in found],
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for path, diagnostic, text in found:
            print(diagnostic.render(path, text) + "\n", file=sys.stderr)
        print(_summary(len(args.files), errors, len(found) - errors),
              file=sys.stderr if found else sys.stdout)
    return EXIT_PROBLEMS if errors else EXIT_OK


def _summary(files: int, errors: int, warnings: int) -> str:
    """``3 file(s) checked, 1 problem(s), 2 warning(s)``; warnings alone do not fail a check."""
    problems = f"{errors} problem(s)" if errors else "no problems"
    tail = f", {warnings} warning(s)" if warnings else ""
    return f"{files} file(s) checked, {problems}{tail}"


def _text_of(path: str) -> str:
    """The text of a contract file a warning points into, to underline it ("" if unreadable)."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""


def _outcomes(folder: Path) -> OutcomeData:
    from pbrrules.measure import load_outcomes  # DuckDB: only when data is checked

    return load_outcomes(folder)


def _column_problems(
    contract: Contract, data: OutcomeData, path: Path
) -> list[tuple[str, Diagnostic, str]]:
    """The columns ``contract`` names that the outcome files lack, each with the text of the
    file it points into (the contract's line, or the data file's header)."""
    from pbrrules.measure.columns import check_columns

    found = []
    for diagnostic in check_columns(contract, data):
        source = diagnostic.span.source or str(path)
        shown = Path(source)
        text = shown.read_text(encoding="utf-8-sig") if shown.suffix == ".pbr" else ""
        found.append((source, diagnostic, text))
    return found


def _fmt(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for name in args.files:
        text = _read_stdin() if name == "-" else _read(name)
        if text is None:
            status = EXIT_PROBLEMS
            continue
        try:
            formatted = format_text(text, "<stdin>" if name == "-" else name)
        except ContractError as exc:
            print(exc.render() + "\n", file=sys.stderr)
            status = EXIT_PROBLEMS
            continue
        if name == "-":
            sys.stdout.write(formatted)
        elif formatted != text:
            if args.check:
                print(f"{name}: not formatted (run: pbr-eval fmt {name})", file=sys.stderr)
                status = EXIT_PROBLEMS
            else:
                write_atomically(Path(name), formatted, mode=Path(name).stat().st_mode & 0o7777)
                print(f"{name}: formatted")
    return status


def _read_stdin() -> str | None:
    try:
        return sys.stdin.buffer.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        print("pbr-eval: cannot read <stdin>: it is not UTF-8 text", file=sys.stderr)
        return None


def _read(name: str) -> str | None:
    try:
        return Path(name).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = "it is not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else exc.strerror
        print(f"pbr-eval: cannot read {name}: {reason}", file=sys.stderr)
        return None
