"""Statement -> CSV: one row per payment line, for spreadsheets and ledgers."""

from __future__ import annotations

import csv
import io

from pbrrules.statement import Statement

COLUMNS = (
    "contract", "contract_version", "cohort", "period", "area", "start", "end", "contract_year",
    "term", "clause", "deduction", "status", "amount", "currency", "unrounded", "limits",
    "derivation", "as_of", "final", "mature_on", "previous", "difference",
)  # fmt: skip


def render_csv(statement: Statement) -> str:
    """Every payment line as a CSV row (header first); amounts as plain decimals. A line of a
    unit that is not final says so (``final`` no, its ``mature_on``); with a previous statement,
    ``previous`` and ``difference`` say what it stated and what changed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    contract = statement.contract
    for unit, line in statement.lines():
        figures = unit.figures
        writer.writerow(
            (
                contract.name,
                contract.version or "",
                figures.cohort,
                figures.period,
                figures.area or "",
                figures.start.isoformat(),
                figures.end.isoformat(),
                "" if unit.contract_year is None else unit.contract_year,
                line.term,
                line.clause or "",
                "yes" if line.deduction else "no",
                line.status,
                f"{line.amount.amount:f}",
                line.amount.currency,
                "" if line.unrounded is None else str(line.unrounded),
                "; ".join(applied.describe() for applied in line.limits),
                line.derivation,
                statement.as_of.day.isoformat() if statement.as_of else "",
                "yes" if unit.maturity.final else "no",
                unit.maturity.mature_on.isoformat() if unit.maturity.mature_on else "",
                f"{line.previous.amount:f}" if line.previous else "",
                f"{line.difference.amount:f}" if line.difference else "",
            )
        )
    return out.getvalue()
