"""``pbr-eval run FOLDER DATA --output-dir DIR``: every lot in FOLDER paid on one measurement.

Each contract in FOLDER (its ``.pbr`` files whose header is ``contract``, not a template or a
variation) gets its statement in DIR, named after its file (``northumbria.json``), in the format
asked for; ``national-summary.md`` and ``national-summary.json`` hold each lot's totals and the
scheme's, and the summary is printed. The lots are measured once when they share their measuring
rules but for their area (``measure.national``), else one by one.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from pbrrules import api
from pbrrules.cli.common import EXIT_OK, EXIT_PROBLEMS, contract_files, write_atomically
from pbrrules.errors import ContractError, OutcomeDataError
from pbrrules.render import DEFAULT_WIDTH, render
from pbrrules.render.national import national_json, national_markdown
from pbrrules.render.pdf import PdfUnavailable, render_pdf
from pbrrules.rules import Contract
from pbrrules.statement import Statement

#: The file suffix of each statement format.
SUFFIX = {"table": "txt", "json": "json", "csv": "csv", "markdown": "md", "html": "html",
          "pdf": "pdf"}


def run_lots(
    args: argparse.Namespace, report: Callable[[OutcomeDataError, TextIO], None]
) -> int:
    """Pay every lot of ``args.contract`` (a folder) on ``args.data``; write to ``--output-dir``.
    ``report`` prints a data problem (the run command's own reporter)."""
    out_dir: Path | None = args.output_dir
    if out_dir is None or args.output is not None:
        print(f"pbr-eval: {args.contract} is a folder of lots: give --output-dir DIR for their "
              "statements (and no --output)", file=sys.stderr)
        return EXIT_PROBLEMS
    if args.reject_invalid is not None or args.previous is not None:
        print("pbr-eval: --reject-invalid and --previous are not available with a folder of lots "
              "yet: run the lots one by one for them", file=sys.stderr)
        return EXIT_PROBLEMS
    if not out_dir.is_dir():
        print(f"pbr-eval: cannot write to {out_dir}: there is no folder {out_dir}",
              file=sys.stderr)
        return EXIT_PROBLEMS
    lots = _lots(args.contract)
    if lots is None:
        return EXIT_PROBLEMS
    from pbrrules.measure import load_outcomes  # DuckDB: only when measuring

    try:
        statements, national = api.measured_lots(
            [lot for _, lot in lots], load_outcomes(args.data), as_of=args.as_of
        )
    except OutcomeDataError as exc:
        report(exc, sys.stderr)
        return EXIT_PROBLEMS
    named = [(path.stem, s) for (path, _), s in zip(lots, statements, strict=True)]
    accounting = national.accounting.to_json() if national is not None else None
    try:
        for stem, statement in named:
            write_atomically(out_dir / f"{stem}.{SUFFIX[args.format]}", _text(statement, args))
        write_atomically(out_dir / "national-summary.json", national_json(named, accounting))
        summary = national_markdown(named, accounting)
        write_atomically(out_dir / "national-summary.md", summary)
    except PdfUnavailable as exc:
        print(f"pbr-eval: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as exc:
        print(f"pbr-eval: cannot write {exc.filename or 'the output'}: {exc.strerror or exc}",
              file=sys.stderr)
        return EXIT_PROBLEMS
    sys.stdout.write(summary)
    print(f"{len(named)} statements and the national summary written to {out_dir}",
          file=sys.stderr)
    return EXIT_OK


def _lots(folder: Path) -> list[tuple[Path, Contract]] | None:
    """Every contract in ``folder`` with its file, in file order (None after reporting a
    contract that does not compile, or a folder with no contract in it)."""
    lots = []
    for path in contract_files([folder]):
        try:
            contract = api.load_contract(path)
        except ContractError as exc:
            print(exc.render() + "\n", file=sys.stderr)
            return None
        if contract.header.kind == "contract":
            lots.append((path, contract))
    if not lots:
        print(f"pbr-eval: {folder} holds no contract (only templates or variations)",
              file=sys.stderr)
        return None
    return lots


def _text(statement: Statement, args: argparse.Namespace) -> str | bytes:
    if args.format == "pdf":
        return render_pdf(statement)
    return render(
        statement, args.format, width=args.width or DEFAULT_WIDTH, bom=not args.csv_no_bom
    )
