"""``pbr-eval what-if CONTRACT --vary NAME FROM TO``: what each term and the total pay as one
thing varies, with the edges marked and an amount solved for (docs/commands.md)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from pbrrules import api
from pbrrules.cli.common import EXIT_OK, EXIT_PROBLEMS, write_atomically
from pbrrules.errors import ContractError, EvaluationError
from pbrrules.render.curve import ChartUnavailable, chart_svg
from pbrrules.statement import wording
from pbrrules.values import Quantity
from pbrrules.what_if import (
    Edge,
    Grid,
    WhatIf,
    WhatIfProblem,
    default_step,
    parse_value,
    show,
    what_if,
    what_if_grid,
)


def register(sub: Any) -> None:
    """Add the ``what-if`` command to ``pbr-eval``'s subparsers."""
    command = sub.add_parser(
        "what-if",
        help="tabulate what a contract pays as one value or figure varies",
        description="Vary a parameter, a measure's value or a cohort figure (offenders, "
        "reoffenders, reoffences, events; control_offenders, control_reoffenders, ... for the "
        "control group) of a worked example over a range, and tabulate what each term and the "
        "total pay; edges (a target met, a term paying, a band entered, a cap binding) are "
        "marked, in two-way tables too, and --solve finds the value that pays an amount.",
    )
    command.add_argument("contract", metavar="CONTRACT", help="the contract file (.pbr)")
    command.add_argument("--vary", nargs="+", action="append", required=True,
                         metavar="NAME FROM TO [STEP]",
                         help="what to vary, its range and step (default: a tenth of the "
                         "range), e.g. reconviction_rate 50%% 56%% 0.5%%; twice for a two-way "
                         "table of the total (the second across)")
    command.add_argument("--step", metavar="STEP",
                         help="the first --vary's step, in its range's unit")
    command.add_argument("--example", metavar="TEXT",
                         help="start from the worked example whose name contains TEXT "
                         "(default: the contract's first)")
    command.add_argument("--period", metavar="LABEL",
                         help="vary a cohort figure in this period only (default: every period "
                         "the example gives)")
    command.add_argument("--solve", metavar="AMOUNT",
                         help="find the value at which the total (or --term) pays AMOUNT")
    command.add_argument("--term", metavar="TERM", help="solve for this term, not the total")
    command.add_argument("--format", choices=("table", "json", "csv"), default="table",
                         help="table for people (default), json or csv")
    command.add_argument("--chart", type=Path, metavar="FILE.svg",
                         help="also draw the payment curve into FILE.svg (needs matplotlib: "
                         "pip install 'pbrrules[chart]')")
    command.set_defaults(func=_what_if)


def _what_if(args: argparse.Namespace) -> int:
    try:
        contract = api.load_contract(args.contract)
    except ContractError as exc:
        print(exc.render() + "\n", file=sys.stderr)
        return EXIT_PROBLEMS
    if args.chart is not None:
        problem = _unwritable_chart(args.chart)
        if problem is not None:  # said before any work
            print(f"pbr-eval: what-if: {problem}", file=sys.stderr)
            return EXIT_PROBLEMS
    try:
        ranges = [_range(vary, args.step if index == 0 else None)
                  for index, vary in enumerate(args.vary)]
        if len(ranges) > 2:
            raise WhatIfProblem("vary one thing, or two for a two-way table, not more")
        if len(ranges) == 2:
            if args.solve or args.chart:
                raise WhatIfProblem("--solve and --chart go with one thing varied, not two")
            grid = what_if_grid(contract, ranges[0], ranges[1], example=args.example,
                                period=args.period, term=args.term)
            sys.stdout.write(_grid_text(grid, args.format))
            return EXIT_OK
        name, start, stop, step = ranges[0]
        solve = parse_value(args.solve) if args.solve else None
        table = what_if(
            contract, name, start, stop, step, example=args.example, period=args.period,
            solve=solve, term=args.term,
        )  # fmt: skip
    except (WhatIfProblem, EvaluationError) as problem:
        print(f"pbr-eval: what-if: {problem}", file=sys.stderr)
        return EXIT_PROBLEMS
    if args.chart is not None:
        try:
            write_atomically(args.chart, chart_svg(table))
        except (ChartUnavailable, OSError) as problem:
            print(f"pbr-eval: what-if: cannot draw the chart: {problem}", file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"chart written to {args.chart}", file=sys.stderr)
    match args.format:
        case "json":
            sys.stdout.write(to_json(table))
        case "csv":
            sys.stdout.write(to_csv(table))
        case _:
            sys.stdout.write(to_table(table))
    return EXIT_OK


def _unwritable_chart(path: Path) -> str | None:
    """Why the chart cannot be written to ``path``, or None."""
    if path.suffix.lower() != ".svg":
        return f"the chart is drawn as SVG: name it FILE.svg, not {path}"
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        return f"cannot write the chart to {path}: there is no folder {folder}"
    if path.is_dir():
        return f"cannot write the chart to {path}: it is a folder"
    return None


def _range(vary: list[str], step: str | None) -> tuple[str, Quantity, Quantity, Quantity]:
    """``NAME FROM TO [STEP]`` as values (``--step`` for the first when no STEP is given)."""
    if len(vary) not in (3, 4):
        raise WhatIfProblem(f"--vary takes NAME FROM TO [STEP], not {' '.join(vary)!r}")
    name, start, stop = vary[0], parse_value(vary[1]), parse_value(vary[2])
    written = vary[3] if len(vary) == 4 else step
    return name, start, stop, parse_value(written) if written else default_step(start, stop)


def _grid_text(grid: Grid, format: str) -> str:
    """The two-way table: a row per value of the first thing, a column per value of the other;
    each cell what the total (or --term) pays, marked ``*`` where an edge lies between it and
    the cell above (each edge listed under the table)."""
    subject = grid.term or "total"
    header = [f"{grid.name} \\ {grid.across}", *(show(c) for c in grid.columns)]
    rows = [
        [show(row[0].value), *(
            ("* " if grid.edge_below(i, j) else "") + _money(p.amount(grid.term), grid.currency)
            for j, p in enumerate(row))]
        for i, row in enumerate(grid.rows)
    ]
    match format:
        case "json":
            return json.dumps({
                "schema": "pbr.what-if-grid/1", "contract": grid.contract,
                "currency": grid.currency, "subject": subject, "example": grid.example,
                "rows": {"name": grid.name, "values": [_value(r[0].value) for r in grid.rows]},
                "columns": {"name": grid.across, "values": [_value(c) for c in grid.columns]},
                "amounts": [[f"{p.amount(grid.term):f}" for p in row] for row in grid.rows],
                "edges": [{"column": _value(grid.columns[c]), **_edge_json(e, _value)}
                          for c, e in grid.edges],
            }, indent=2, ensure_ascii=False) + "\n"  # fmt: skip
        case "csv":
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(header)
            for row in grid.rows:
                writer.writerow([show(row[0].value), *(f"{p.amount(grid.term):f}" for p in row)])
            return out.getvalue()
        case _:
            widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
            lines = [
                f"{grid.contract}: what {subject} pays as {grid.name} and {grid.across} vary",
                *([f'on the figures of the worked example "{grid.example}"'] if grid.example
                  else []),
                "",
            ]
            lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True))
                      for r in [header, *rows]]
            if grid.edges:
                lines += ["", f"* an edge between the row and the one above, down the column "
                          f"(narrowed as {grid.name} varies):"]
                lines += [
                    f"  -- at {grid.across} = {show(grid.columns[c])}, {e.subject}: {e.before} "
                    f"at {show(e.last.value)}, {e.after} from {show(e.first.value)}"
                    for c, e in grid.edges
                ]
            return "\n".join(lines) + "\n"


def _value(q: Quantity) -> dict[str, str]:
    return {"display": show(q), "exact": str(q.value), "unit": q.unit.value}


def _money(amount: Decimal, currency: str) -> str:
    return wording.money(amount, currency)


def _targets(table: WhatIf) -> list[str]:
    keys = dict.fromkeys(k for p in table.points for k, _ in p.states if k.startswith("target "))
    return list(keys)


def _terms(table: WhatIf) -> list[str]:
    return list(dict.fromkeys(t for p in table.points for t, _ in p.terms))


def to_table(table: WhatIf) -> str:
    """The table for a terminal: one row per value, each edge on a line after its row."""
    terms, targets = _terms(table), _targets(table)
    header = [table.name, *terms, "total", *(t.removeprefix("target ") for t in targets)]
    rows = [
        [
            show(p.value),
            *(_money(p.amount(t), table.currency) for t in terms),
            _money(p.total, table.currency),
            *(p.state(t) or "" for t in targets),
        ]
        for p in table.points
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    money_columns = len(terms) + 1

    def line(cells: list[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            right = 0 < i <= money_columns or i == 0
            out.append(cell.rjust(widths[i]) if right else cell.ljust(widths[i]))
        return "  ".join(out).rstrip()

    out = [f"{table.contract}: what each term pays as {table.name} ({table.kind}) varies"]
    if table.example:
        out.append(f'on the figures of the worked example "{table.example}"')
    out += ["", line(header)]
    for index, row in enumerate(rows):
        out.append(line(row))
        out.extend(
            f"  -- {edge.subject}: {edge.before} at {show(edge.last.value)}, {edge.after} from "
            f"{show(edge.first.value)}"
            for edge in table.edges
            if edge.after_point == index
        )
    if table.solution is not None:
        out += ["", _solution_text(table)]
    return "\n".join(out) + "\n"


def _solution_text(table: WhatIf) -> str:
    solution = table.solution
    assert solution is not None
    pays = f"{solution.subject} pays {_money(solution.amount, table.currency)}"
    term = _term(table)
    if solution.value is not None and solution.step and solution.between is not None:
        before = solution.between[0]
        return (
            f"{pays} from {table.name} = {show(solution.value)} on; at {show(before.value)} it "
            f"pays {_money(before.amount(term), table.currency)} (nothing between was evaluated)"
        )
    if solution.value is not None and solution.between is not None:
        before = solution.between[0]
        return (
            f"{pays} at {table.name} = {show(solution.value)} exactly (at {show(before.value)} "
            f"it pays {_money(before.amount(term), table.currency)})"
        )
    if solution.value is not None:
        return f"{pays} at {table.name} = {show(solution.value)} exactly"
    if solution.between is not None:
        a, b = solution.between
        return (
            f"{pays} at no value: it steps over it, from "
            f"{_money(a.amount(term), table.currency)} at {show(a.value)} to "
            f"{_money(b.amount(term), table.currency)} at {show(b.value)}"
        )
    first, last = table.points[0].value, table.points[-1].value
    return f"{pays} nowhere between {show(first)} and {show(last)}"


def _term(table: WhatIf) -> str | None:
    subject = table.solution.subject if table.solution else "total"
    return None if subject == "total" else subject


def to_json(table: WhatIf) -> str:
    """``{"schema": "pbr.what-if/1", ...}``: exact values as fractions beside their display."""

    value = _value

    solution = None
    if table.solution is not None:
        s = table.solution
        solution = {
            "subject": s.subject,
            "amount": f"{s.amount:f}",
            "value": value(s.value) if s.value is not None else None,
            "between": [value(p.value) for p in s.between] if s.between else None,
            "text": _solution_text(table),
        }
    data = {
        "schema": "pbr.what-if/1",
        "contract": table.contract,
        "currency": table.currency,
        "varied": {"name": table.name, "kind": table.kind},
        "example": table.example,
        "points": [
            {
                "value": value(p.value),
                "terms": {t: f"{a:f}" for t, a in p.terms},
                "total": f"{p.total:f}",
                "states": dict(p.states),
            }
            for p in table.points
        ],
        "edges": [_edge_json(e, value) for e in table.edges],
        "solution": solution,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _edge_json(edge: Edge, value: Any) -> dict[str, Any]:
    return {
        "subject": edge.subject,
        "before": edge.before,
        "after": edge.after,
        "last": value(edge.last.value),
        "first": value(edge.first.value),
    }


def to_csv(table: WhatIf) -> str:
    """One row per value: the value (exact), each term, the total, each target's verdict."""
    terms, targets = _terms(table), _targets(table)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([table.name, *terms, "total", *targets])
    for p in table.points:
        writer.writerow([
            show(p.value), *(f"{p.amount(t):f}" for t in terms), f"{p.total:f}",
            *(p.state(t) or "" for t in targets),
        ])  # fmt: skip
    return out.getvalue()
