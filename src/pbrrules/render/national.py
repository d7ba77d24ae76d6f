"""The national summary of a run over many lots: each lot's totals, and the scheme's.

``pbr-eval run FOLDER DATA --output-dir DIR`` writes one statement per lot and this summary:
Markdown (a summary table: lots paid, owing back and with nothing to pay; the totals per contract
year; a row per lot with its file, name, provider and total per contract year; the totals per
area; the record accounting) and its JSON form (``"schema": "pbr.national/1"``), which also
holds the data files and, when the lots shared one measurement, its record accounting.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal

from pbrrules.render.accounting import accounting_lines
from pbrrules.statement import Money, Statement, wording

SCHEMA = "pbr.national/1"


def _years(statements: Sequence[Statement]) -> list[int | None]:
    found = {year.year for s in statements for year in s.years}
    return sorted(found, key=lambda y: (y is None, y or 0))


def _year_total(statement: Statement, year: int | None) -> Money:
    total = next((y.total for y in statement.years if y.year == year), None)
    return total or Money(Decimal("0.00"), statement.currency)


def _sum(amounts: Sequence[Money], currency: str) -> Money:
    return Money(sum((m.amount for m in amounts), Decimal("0.00")), currency)


def national_json(
    lots: Sequence[tuple[str, Statement]], accounting: Mapping[str, object] | None
) -> str:
    """The summary as JSON text: keys sorted, no timestamps (same inputs, same bytes)."""
    statements = [s for _, s in lots]
    currency = statements[0].currency if statements else "GBP"
    years = _years(statements)
    data = statements[0].data if statements else None
    summary = {
        "schema": SCHEMA,
        "shared_measurement": accounting is not None,
        "lots": [
            {
                "file": name,
                "contract": s.contract.name,
                "provider": s.contract.provider,
                "payer": s.contract.payer,
                "source_hash": s.contract.source_hash,
                "by_contract_year": [
                    {"contract_year": y, "total": _year_total(s, y).to_json()} for y in years
                ],
                "total": s.total.to_json(),
            }
            for name, s in lots
        ],
        "by_contract_year": [
            {
                "contract_year": y,
                "total": _sum([_year_total(s, y) for s in statements], currency).to_json(),
            }
            for y in years
        ],
        "total": _sum([s.total for s in statements], currency).to_json(),
        "by_area": [
            {
                "area": area,
                "file": lot,
                "units": units,
                "offenders": offenders,
                "total": Money(total, currency).to_json(),
            }
            for (area, lot), (units, offenders, total) in _area_totals(lots).items()
        ],
        "data": {
            "files": [
                {"path": f.path, "rows": f.rows, "sha256": f.sha256}
                for f in (data.files if data is not None else ())
            ],
            "accounting": dict(accounting) if accounting is not None else None,
        },
    }
    return json.dumps(summary, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def _cell(text: str) -> str:
    """Text for a Markdown table cell: a ``|`` in a name would end the cell."""
    return text.replace("|", "\\|")


def national_markdown(
    lots: Sequence[tuple[str, Statement]], accounting: Mapping[str, object] | None
) -> str:
    """The summary as Markdown: a summary table, the totals per contract year, a row per lot,
    the totals per area, and the record accounting."""
    statements = [s for _, s in lots]
    currency = statements[0].currency if statements else "GBP"
    out = [f"# National summary: {len(lots)} lots", ""]
    out += _summary(lots, currency)
    out += _lots_table(lots, currency)
    out += _areas(lots, currency)
    out += ["## Records", ""]
    if accounting is not None:
        out += ["Every lot was paid on one measurement of the records:", ""]
        out += [f"- {line}" for line in accounting_lines(accounting)]
    else:
        out.append("Each lot was measured on its own (see its statement's record accounting).")
    return "\n".join(out) + "\n"


def _summary(lots: Sequence[tuple[str, Statement]], currency: str) -> list[str]:
    """How many lots are paid, owe back or get nothing; what is paid, deducted and due, and the
    totals per contract year."""
    statements = [s for _, s in lots]
    paying = [s for s in statements if s.total.amount > 0]
    owing = [s for s in statements if s.total.amount < 0]
    paid = _sum([s.total for s in paying], currency)
    owed = _sum([s.total for s in owing], currency)
    overall = _sum([s.total for s in statements], currency)
    out = [
        "## Summary", "", "| | Lots | Total |", "|---|---:|---:|",
        f"| Lots paid | {len(paying)} | {paid} |",
        f"| Lots owing back | {len(owing)} | {owed} |",
        f"| Lots with nothing to pay | {len(statements) - len(paying) - len(owing)} | |",
        f"| **All lots** | **{len(statements)}** | **{overall}** |", "",
        "## Totals per contract year", "", "| Contract year | Total |", "|---|---:|",
    ]  # fmt: skip
    for year in _years(statements):
        name = str(year) if year is not None else "outside contract years"
        out.append(f"| {name} | {_sum([_year_total(s, year) for s in statements], currency)} |")
    return [*out, f"| **All years** | **{overall}** |", ""]


def _lots_table(lots: Sequence[tuple[str, Statement]], currency: str) -> list[str]:
    """A row per lot (its file, name, provider and total per contract year), then all lots."""
    statements = [s for _, s in lots]
    years = _years(statements)
    labels = [f"Year {y}" if y is not None else "Outside contract years" for y in years]
    out = [
        "## Lots",
        "",
        "| Lot | Contract | Provider | " + " | ".join(labels) + " | Total |",
        "|---|---|---|" + "---:|" * (len(years) + 1),
    ]
    for name, s in lots:
        cells = [str(_year_total(s, y)) for y in years]
        words = [_cell(name), _cell(s.contract.name), _cell(s.contract.provider or "")]
        out.append("| " + " | ".join(words + cells) + f" | {s.total} |")
    totals = [str(_sum([_year_total(s, y) for s in statements], currency)) for y in years]
    overall = _sum([s.total for s in statements], currency)
    out.append(
        "| **All lots** | | | " + " | ".join(f"**{t}**" for t in totals) + f" | **{overall}** |"
    )
    return [*out, ""]


def _area_totals(
    lots: Sequence[tuple[str, Statement]],
) -> dict[tuple[str, str], tuple[int, int, Decimal]]:
    """Per (area, lot file): cohort units, offenders and total. The area is the units' own, or
    the lot's name for a lot whose cohorts are not grouped by area (a TR lot is let for one)."""
    areas: dict[tuple[str, str], tuple[int, int, Decimal]] = {}
    for name, s in lots:
        for unit in s.units:
            key = (unit.area or s.contract.name, name)
            units, offenders, total = areas.get(key, (0, 0, Decimal("0.00")))
            areas[key] = (units + 1, offenders + unit.figures.treatment.offenders,
                          total + unit.total.amount)  # fmt: skip
    return dict(sorted(areas.items()))


def _areas(lots: Sequence[tuple[str, Statement]], currency: str) -> list[str]:
    """The totals per area as a table."""
    out = ["## Totals per area", "", "| Area | Lot | Cohort units | Offenders | Total |",
           "|---|---|---:|---:|---:|"]  # fmt: skip
    for (area, lot), (units, offenders, total) in _area_totals(lots).items():
        cells = [_cell(area), _cell(lot), str(units), wording.count(offenders)]
        out.append("| " + " | ".join(cells) + f" | {Money(total, currency)} |")
    return [*out, ""]
