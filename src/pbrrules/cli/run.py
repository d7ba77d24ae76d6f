"""``pbr-eval run``: measure outcome records and print the payment statement.

Exit status: 0 success; 1 problems in the contract or the data, or a failed example; 2 misuse
(argparse); 3 internal error (reported by ``cli.main``). Results go to stdout, problems to stderr.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pbrrules import api
from pbrrules.cli.common import EXIT_OK, EXIT_PROBLEMS, write_atomically
from pbrrules.cli.national import run_lots
from pbrrules.errors import ContractError, OutcomeDataError
from pbrrules.render import DEFAULT_WIDTH, FORMATS, Selection, render
from pbrrules.render.pdf import PdfUnavailable, render_pdf

if TYPE_CHECKING:
    from pbrrules.measure import OutcomeData


def register(subparsers: Any) -> None:
    """Add the ``run`` command to ``pbr-eval``'s subparsers."""
    run = subparsers.add_parser(
        "run",
        help="measure outcome records and print the payment statement",
        description="Measure the outcome records in DATA (a folder holding index_events.* and "
        "offences.*, as CSV, JSON Lines or Parquet), pay on them as CONTRACT says, and print "
        "the payment statement.",
    )
    run.add_argument("contract", type=Path, metavar="CONTRACT", help="the contract file (.pbr)")
    run.add_argument("data", type=Path, metavar="DATA", help="folder of outcome record files")
    run.add_argument(
        "--format", choices=(*FORMATS, "pdf"), default="table",
        help="table for people (default), json (schema pbr.statement/2), csv (for spreadsheets: "
        "a row per figure, payment line and total), markdown (a statement to send), html (one "
        "self-contained page to sign and send) or pdf (that page as PDF, with --output; needs "
        "the pdf extra)",
    )  # fmt: skip
    run.add_argument(
        "--output", type=Path, metavar="FILE",
        help="write the statement to FILE (atomically) instead of standard output",
    )  # fmt: skip
    run.add_argument(
        "--output-dir", type=Path, metavar="DIR",
        help="with a folder of lots as CONTRACT: write each lot's statement and the national "
        "summary into DIR (the lots are measured on one reading of the records)",
    )  # fmt: skip
    run.add_argument(
        "--reject-invalid", type=Path, metavar="FILE",
        help="pay on the valid records and write every rejected record, with its reason, to "
        "FILE (by default any invalid record stops the run before anything is paid)",
    )  # fmt: skip
    run.add_argument(
        "--as-of", type=_date, metavar="YYYY-MM-DD",
        help="the date the records were extracted: a cohort is paid only once every window it "
        "needs has closed by then, and a record dated later is invalid (default: the date "
        "DATA/extract.json states, else the latest date in the records)",
    )  # fmt: skip
    run.add_argument(
        "--previous", type=Path, metavar="STATEMENT.json",
        help="the JSON statement paid before (same contract): show per line what it stated, "
        "what is stated now and the difference, and what is due now or owed back",
    )  # fmt: skip
    run.add_argument(
        "--csv-no-bom", action="store_true",
        help="with --format csv: leave out the UTF-8 byte order mark (by default it is written, "
        "so that Excel reads £ and ≥ as such; a program that does not expect it may want this)",
    )  # fmt: skip
    _table_options(run)
    run.set_defaults(func=run_command)


def _table_options(run: Any) -> None:
    """The terminal table's options: its width, a summary, and a filter by period and area."""
    run.add_argument(
        "--width", type=_width, metavar="N",
        help=f"lay the table out in N columns (default: the terminal's width, or "
        f"{DEFAULT_WIDTH} when the output is not a terminal)",
    )  # fmt: skip
    run.add_argument(
        "--summary", action="store_true",
        help="with --format table: only the totals per area, contract year and term",
    )  # fmt: skip
    run.add_argument(
        "--period", action="append", default=[], metavar="PERIOD",
        help="with --format table: show only this period's cohort units (e.g. 2016-Q1; may be "
        "given more than once); the statement says it is filtered and its totals are theirs",
    )  # fmt: skip
    run.add_argument(
        "--area", action="append", default=[], metavar="AREA",
        help="with --format table: show only this area's cohort units (may be given more than "
        "once)",
    )  # fmt: skip


# ------------------------------------------------------------------------------------------------
# pbr-eval run


def run_command(args: argparse.Namespace) -> int:
    """``pbr-eval run CONTRACT DATA`` (or a folder of lots: ``cli.national``)."""
    misuse = _table_misuse(args)
    if misuse is not None:
        print(f"pbr-eval: {misuse}", file=sys.stderr)
        return EXIT_PROBLEMS
    if args.contract.is_dir():
        return run_lots(args, _report_data_error)
    if args.format == "pdf" and args.output is None:
        print("pbr-eval: --format pdf writes a binary file: give --output FILE.pdf",
              file=sys.stderr)
        return EXIT_PROBLEMS
    for output in (args.output, args.reject_invalid):
        problem = _unwritable(output)
        if problem is not None:  # said before any work, not after minutes of measuring
            print(f"pbr-eval: cannot write {output}: {problem}", file=sys.stderr)
            return EXIT_PROBLEMS
    try:
        contract = api.load_contract(args.contract)
    except ContractError as exc:
        print(exc.render() + "\n", file=sys.stderr)
        return EXIT_PROBLEMS
    if contract.header.kind != "contract":
        print(f"pbr-eval: {args.contract} is a {contract.header.kind}, not a contract: run a lot "
              f"file based on it (contract \"...\" based on \"{args.contract.name}\")",
              file=sys.stderr)
        return EXIT_PROBLEMS
    previous = None
    if args.previous is not None:  # read and checked before minutes of measuring
        try:
            previous = api.previous_statement(args.previous, contract)
        except api.PreviousStatementError as exc:
            print(f"pbr-eval: --previous: {exc}", file=sys.stderr)
            return EXIT_PROBLEMS
    from pbrrules.measure import load_outcomes, write_rejects  # DuckDB: only when measuring

    try:
        data = load_outcomes(args.data)
        clash = _overwrites(args, [Path(s) for s in contract.sources], _data_files(data))
        if clash is not None:  # refused before any work, and before anything is written
            print(f"pbr-eval: {clash}", file=sys.stderr)
            return EXIT_PROBLEMS
        stated = data.extract
        if args.as_of is not None and stated is not None and stated.day != args.as_of:
            print(f"pbr-eval: --as-of {args.as_of} is used, not the {stated.day} that "
                  f"{stated.stated_by} states", file=sys.stderr)
        statement, measurement = api.measured(
            contract, data, reject_invalid=args.reject_invalid is not None, as_of=args.as_of
        )
    except OutcomeDataError as exc:
        _report_data_error(exc, sys.stderr)
        return EXIT_PROBLEMS
    if previous is not None:
        statement = api.reconcile(statement, previous)
    unknown = Selection(tuple(args.period), tuple(args.area)).unknown(statement)
    if unknown is not None:
        print(f"pbr-eval: --period/--area: {unknown}", file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        if args.reject_invalid is not None:
            write_rejects(args.reject_invalid, measurement.rejected)
            rejected = len(measurement.rejected)
            print(f"{rejected} rejected record(s) written to {args.reject_invalid}",
                  file=sys.stderr)
            for kept in measurement.partial:
                print(f"{kept.file}, row {kept.row}, column {kept.column}: {kept.message}",
                      file=sys.stderr)
        _emit(args, statement)
    except PdfUnavailable as exc:
        print(f"pbr-eval: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as exc:
        print(f"pbr-eval: cannot write {exc.filename or 'the output'}: {exc.strerror or exc}",
              file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def _data_files(data: OutcomeData) -> list[Path]:
    from pbrrules.measure.sources import FileSource

    return [s.path for s in (data.index_events, data.offences) if isinstance(s, FileSource)]


def _overwrites(args: argparse.Namespace, contract: list[Path], data: list[Path]) -> str | None:
    """Why the outputs would destroy an input or each other (None when they would not): an
    output may not be the contract, a file it is based on or amended by, a data file, the
    previous statement (``--previous``: the record of what was paid), or the other output
    (paths compared as the files they reach, through links and ``..``)."""
    outputs = [(o, p) for o, p in (("--output", args.output),
                                    ("--reject-invalid", args.reject_invalid)) if p is not None]
    if len(outputs) == 2 and _same(outputs[0][1], outputs[1][1]):
        return "--output and --reject-invalid name the same file: the rejects would be lost"
    inputs = [("the contract file", p) for p in contract] + [("the data file", p) for p in data]
    if args.previous is not None:
        inputs.append(("the previous statement", args.previous))
    for option, path in outputs:
        for what, source in inputs:
            if _same(path, source):
                return f"{option} {path} would overwrite {what} {source}: write it elsewhere"
    return None


def _same(a: Path, b: Path) -> bool:
    """Whether two paths reach the same file (one that does not exist yet is compared by its
    resolved path)."""
    try:
        return (a.exists() and b.exists() and os.path.samefile(a, b)) or a.resolve() == b.resolve()
    except OSError:
        return False


def _date(text: str) -> datetime.date:
    """An ``--as-of`` date, YYYY-MM-DD (argparse reports anything else as misuse)."""
    try:
        if len(text) != 10:
            raise ValueError(text)
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None


def _unwritable(path: Path | None) -> str | None:
    """Why ``path`` cannot be written, or None (None too when no path is given)."""
    if path is None:
        return None
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        return f"there is no folder {folder}"
    if path.is_dir():
        return "it is a folder"
    if not os.access(folder, os.W_OK):
        return f"the folder {folder} is not writable"
    return None


def _table_misuse(args: argparse.Namespace) -> str | None:
    """Why the table's options cannot be used as given (None when they can)."""
    asked = [name for name, given in (("--summary", args.summary), ("--period", args.period),
                                      ("--area", args.area)) if given]  # fmt: skip
    if asked and args.format != "table":
        return f"{' and '.join(asked)}: only with --format table (the other formats are the " \
            "whole statement, as signed)"
    if asked and args.contract.is_dir():
        return f"{' and '.join(asked)}: only with one contract's statement, not a folder of lots"
    return None


def table_width(args: argparse.Namespace) -> int:
    """``--width``; else the terminal's width when the table is printed on one (at most 120:
    longer lines are hard to read); else the default."""
    if args.width is not None:
        return int(args.width)
    if args.output is None and sys.stdout.isatty():
        return min(shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns, 120)
    return DEFAULT_WIDTH


def _width(text: str) -> int:
    """A ``--width``: a whole number of columns, at least 40."""
    if not text.isdigit() or int(text) < 40:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of columns of at least 40")
    return int(text)


def _emit(args: argparse.Namespace, statement: Any) -> None:
    """Print the statement, or write it (atomically) to ``--output``."""
    colour = (
        args.format == "table"
        and args.output is None
        and sys.stdout.isatty()
        and "NO_COLOR" not in os.environ
    )
    if args.format == "pdf":
        write_atomically(args.output, render_pdf(statement))
        print(f"statement written to {args.output}", file=sys.stderr)
        return
    text = render(
        statement,
        args.format,
        colour=colour,
        width=table_width(args),
        summary=args.summary,
        selection=Selection(tuple(args.period), tuple(args.area)),
        bom=not args.csv_no_bom,
    )
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_atomically(args.output, text)
        print(f"statement written to {args.output}", file=sys.stderr)


def _report_data_error(exc: OutcomeDataError, out: TextIO) -> None:
    """The error's message, then the problems it does not already show (the first 50, and one
    count of the rest): a message that lists problems and counts the others keeps the only
    '... and N more' line (two counts of different lists once contradicted each other)."""
    message = str(exc)
    print(f"pbr-eval: {message}", file=out)
    extra = []
    for problem in exc.problems:
        render_problem = getattr(problem, "render", None)
        text = render_problem() if callable(render_problem) else str(problem)
        if text not in message:
            extra.append(text)
    for text in extra[:50]:
        print(f"  {text}", file=out)
    if len(extra) > 50:
        print(f"  ... and {len(extra) - 50} more", file=out)


__all__ = ["register", "run_command"]
