"""Statement -> a table for the terminal, readable at 100 columns; colour only when asked."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from pbrrules.figures import GroupFigures
from pbrrules.render.accounting import accounting_lines
from pbrrules.statement import Line, Statement, UnitResult, wording

_RESET = "\033[0m"
_STYLES = {"bold": "\033[1m", "green": "\033[32m", "red": "\033[31m", "yellow": "\033[33m",
           "dim": "\033[2m"}  # fmt: skip


class _Writer:
    def __init__(self, colour: bool, width: int) -> None:
        self.colour = colour
        self.width = width
        self.lines: list[str] = []

    def style(self, text: str, style: str) -> str:
        return f"{_STYLES[style]}{text}{_RESET}" if self.colour else text

    def add(self, text: str = "") -> None:
        self.lines.append(text)

    def wrapped(self, text: str, indent: int, style: str = "dim", hanging: int = 0) -> None:
        pad = " " * indent
        lines = textwrap.wrap(
            text,
            self.width,
            initial_indent=pad,
            subsequent_indent=pad + " " * hanging,
            break_on_hyphens=False,
            break_long_words=True,
        )
        for line in lines or [pad]:
            self.add(self.style(line, style) if style else line)


def render_table(statement: Statement, *, colour: bool = False, width: int = 100) -> str:
    """The statement as a terminal table: per cohort its results and lines, then the totals."""
    out = _Writer(colour, width)
    contract = statement.contract
    version = f" (version {contract.version})" if contract.version else ""
    out.wrapped(f"Payment statement: {contract.name}{version}", 0, "bold")
    source = contract.source_hash[:16] + "…" if contract.source_hash else "not recorded"
    out.add(
        f"Currency {contract.currency} · contract source {source} · "
        f"pbrrules {statement.engine_version}"
    )
    if statement.data is not None:
        for file in statement.data.files:
            rows = f"{wording.count(file.rows)} rows" if file.rows is not None else "rows unknown"
            digest = f" · sha256 {file.sha256[:16]}…" if file.sha256 else ""
            out.wrapped(f"Data {file.path}: {rows}{digest}", 0, "", 2)
    if statement.as_of is not None:
        out.wrapped(statement.as_of.sentence(), 0, "", 2)
    if contract.illustrative:
        out.add(out.style("Illustrative values (assumed, not taken from the contract as signed):",
                          "bold"))
        for kind, name, reason in contract.illustrative:
            out.wrapped(f"{kind} {name}: {reason}", 2, "", 4)
    for unit in statement.units:
        _unit(out, unit, several_versions=unit.version != contract.name)
    out.add()
    out.add(out.style("Totals", "bold"))
    amount_width = max([len(str(y.total)) for y in statement.years] + [len(str(statement.total))])
    for year in statement.years:
        label = f"contract year {year.year}" if year.year is not None else "outside contract years"
        out.add(f"  {label:<40}{year.total!s:>{amount_width}}")
    out.add(out.style(f"  {'overall':<40}{statement.total!s:>{amount_width}}", "bold"))
    _party_totals(out, statement, amount_width)
    if statement.reconciliation is not None:
        previous = statement.reconciliation.previous_total
        out.add(f"  {'stated before':<40}{previous!s:>{amount_width}}")
        out.wrapped(statement.reconciliation.describe(), 2, "bold")
    if statement.data is not None and statement.data.accounting:
        out.add()
        out.add(out.style("Records", "bold"))
        for line in accounting_lines(statement.data.accounting):
            out.wrapped(line, 2)
    return "\n".join(out.lines) + "\n"


def _party_totals(out: _Writer, statement: Statement, amount_width: int) -> None:
    """Totals per payer and per payee, and what is left under each limit on one party's lines
    or on investors' return: only for a contract that names parties or such limits."""
    width = max(
        [amount_width]
        + [len(str(p.total)) for p in (*statement.by_payer, *statement.by_payee)]
    )
    rows = [
        (f"{title} {party.party or 'no party named'}", str(party.total))
        for title, totals in (("paid by", statement.by_payer), ("paid to", statement.by_payee))
        for party in totals
    ]
    room = min(60, max([40] + [len(label) + 2 for label, _ in rows]))
    for label, total in rows:
        label = label if len(label) < room else label[: room - 2] + "…"
        out.add(f"  {label:<{room}}{total:>{width}}")
    for standing in statement.limits:
        out.wrapped(standing.describe(), 2, "", 2)


def _unit(out: _Writer, unit: UnitResult, several_versions: bool) -> None:
    figures = unit.figures
    out.add()
    year = f" · contract year {unit.contract_year}" if unit.contract_year is not None else ""
    heading = (
        f"{unit.label} · cohort {figures.cohort} · {figures.start.isoformat()} to "
        f"{figures.end.isoformat()}{year}"
    )
    out.wrapped(heading, 0, "bold")
    if several_versions:
        out.add(f"  rules: {unit.version}")
    if figures.cancelled is not None:
        out.wrapped(f"cancelled: {figures.cancelled}; no payment lines", 2, "yellow")
        return
    interim = unit.maturity.interim(figures)
    if interim is not None:
        out.wrapped(interim, 2, "yellow", 4)
    named = {m.name: m.counted for m in unit.measures if m.counted is not None}
    out.wrapped(f"figures: {_group(figures.treatment, named)}", 2)
    if figures.control is not None:
        out.wrapped(f"control group: {_group(figures.control, named)}", 2)
    for reason, count in figures.excluded:
        if count == 0:
            continue
        out.wrapped(f"excluded: {wording.count(count)} {reason}", 2)
    for impact in figures.impacts:
        source = f" (source: {impact.source})" if impact.source else ""
        out.wrapped(f"impact {impact.name}: {wording.quantity(impact.value)}{source}", 2, "", 4)
    for target in unit.targets:
        colour = {"met": "green", "not met": "red", "not assessable": "yellow"}[target.verdict]
        clause = f" ({target.clause})" if target.clause else ""
        out.wrapped(f"target {target.name}: {target.verdict}{clause}", 2, colour, 4)
    out.add(f"  {'term':<42}{'status':<16}{'amount':>20}")
    for line in unit.lines:
        _line(out, line)
    out.add(f"  {'cohort total':<58}{unit.total!s:>20}")


def _group(group: GroupFigures, named: Mapping[str, tuple[str, str]]) -> str:
    """A group's figures: offenders, then per measure the people with at least one and the
    units counted, in the measure's own words for outcomes beyond offences (``named``)."""
    counted = "; ".join(
        f"{name}: {wording.count(c.reoffenders)} {_people(named[name][1], c.reoffenders)}, "
        f"{wording.count(c.reoffences)} {named[name][0]}"
        if name in named
        else f"{name}: {wording.count(c.reoffenders)} reoffenders, "
        f"{wording.count(c.reoffences)} counted"
        for name, c in sorted(group.counts.items())
    )
    return f"{wording.count(group.offenders)} offenders" + (f"; {counted}" if counted else "")


def _people(noun: str, count: int) -> str:
    """``people in custody``, or ``person in custody`` for one."""
    return "person" + noun.removeprefix("people") if count == 1 and noun.startswith("people") \
        else noun


def _line(out: _Writer, line: Line) -> None:
    status = line.status
    colour = (
        ("red" if line.amount.amount < 0 else "green")
        if status == "pays"
        else ("yellow" if status in ("not assessable", "not yet due") else "dim")
    )
    term = line.term if len(line.term) <= 40 else line.term[:39] + "…"
    amount = str(line.amount)
    out.add(f"  {term:<42}" + out.style(f"{status:<16}{amount:>20}", colour))
    clause = f"{line.clause}: " if line.clause else ""
    out.wrapped(clause + line.derivation, 6)
    if line.previous is not None and line.difference is not None:
        out.wrapped(
            f"stated before {line.previous}; now {line.amount}; difference {line.difference}", 6
        )
