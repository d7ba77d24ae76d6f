"""pbr-eval: check, format, run and test payment-by-results contracts.

exit status:
  0  success: contracts are clean, formatted, evaluated, or every example passed
  1  problems found: in a contract, in the outcome data, or a worked example failed
  2  the command was used wrongly (unknown option, missing file argument)
  3  internal error: a bug in pbrrules (please report it with the input that caused it)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pbrrules import cli_run
from pbrrules.compiler import compile_file
from pbrrules.errors import ContractError, Diagnostic, PbrError
from pbrrules.printer import format_text

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def engine_version() -> str:
    """The installed pbrrules version."""
    try:
        return version("pbrrules")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


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

    check = sub.add_parser("check", help="compile contracts and report every problem",
                           description="Compile each contract and report every problem found.")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE",
                       help="contract files (.pbr), or folders to check every .pbr file in")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="text for people (default), json for editors and CI")
    check.set_defaults(func=_check)

    fmt = sub.add_parser("fmt", help="rewrite contracts in the canonical layout",
                         description="Rewrite contracts in the canonical layout. Formatting never "
                         "changes what a contract means, and keeps every comment.")
    fmt.add_argument("files", nargs="+", metavar="FILE", help="contract files, or - for stdin")
    fmt.add_argument("--check", action="store_true",
                     help="change nothing; exit 1 if a file is not formatted")
    fmt.set_defaults(func=_fmt)

    cli_run.register(sub)
    return parser


def contract_files(paths: Sequence[Path]) -> list[Path]:
    """The files named, with each folder replaced by the .pbr files anywhere inside it."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.rglob("*.pbr")) if path.is_dir() else [path])
    return files


def _check(args: argparse.Namespace) -> int:
    found: list[tuple[str, Diagnostic, str]] = []
    args.files = contract_files(args.files)
    for path in args.files:
        try:
            compile_file(path)
        except ContractError as exc:
            for diagnostic in exc.diagnostics:
                source = diagnostic.span.source or str(path)
                found.append((source, diagnostic, exc.sources.get(source, "")))
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
        problems = len(found)
        summary = f"{len(args.files)} file(s) checked, {problems} problem(s)" if problems else (
            f"{len(args.files)} file(s) checked, no problems")
        print(summary, file=sys.stderr if problems else sys.stdout)
    return EXIT_PROBLEMS if found else EXIT_OK


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
                _write_atomically(Path(name), formatted)
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


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.pbr-tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)

