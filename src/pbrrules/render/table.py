"""Statement -> a table for the terminal that fits its width; colour only when asked.

Every line fits ``width`` columns (the terminal's, ``--width``, or 100 when piped), so a terminal
never re-wraps one mid-word: prose is wrapped at word boundaries, and every amount (payment lines,
cohort totals, the totals) ends at the same column, right-aligned, so the decimal points line up.
Cohort units with no records and nothing to pay are folded into one line. A ``Selection`` shows
only some periods or areas, and says so; its totals are the shown units' totals. ``summary``
prints only the totals per area, contract year and term.

The text is built by sections (``_header``, ``_units``, ``_totals``, ...), each a function of the
statement and the writer, so a new section is one more function in ``render_table``'s list.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal

from attrs import frozen

from pbrrules.figures import GroupFigures
from pbrrules.render.accounting import accounting_lines
from pbrrules.render.facts import (
    extract_sentence,
    folded,
    humanise,
    label,
    party,
    period,
    split_empty,
    year_name,
)
from pbrrules.statement import Line, Money, Statement, UnitResult, wording
from pbrrules.statement.limits import party_totals

_RESET = "\033[0m"
_STYLES = {"bold": "\033[1m", "green": "\033[32m", "red": "\033[31m", "yellow": "\033[33m",
           "dim": "\033[2m"}  # fmt: skip
#: The status column: wide enough for its longest word, "not assessable".
_STATUS = 14
#: Below this many columns the table is laid out as if it had this many (a line may overflow).
MINIMUM_WIDTH = 40
DEFAULT_WIDTH = 100


@frozen
class Selection:
    """The periods and areas to show (empty: all). A selected statement says it is one."""

    periods: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.periods or self.areas)

    def keeps(self, unit: UnitResult) -> bool:
        """Whether ``unit`` is shown."""
        return (not self.periods or unit.period in self.periods) and (
            not self.areas or unit.area in self.areas
        )

    def unknown(self, statement: Statement) -> str | None:
        """Why the selection names something the statement does not have (None when it does)."""
        for what, asked, known in (
            ("period", self.periods, [u.period for u in statement.units]),
            ("area", self.areas, [u.area for u in statement.units if u.area is not None]),
        ):
            missing = [name for name in asked if name not in known]
            if missing:
                have = ", ".join(dict.fromkeys(known)) or "none"
                return f"no {what} {', '.join(repr(m) for m in missing)} in this statement ({have})"
        return None

    def describe(self) -> str:
        """``period 2016-Q1, area Essex``."""
        parts = [f"period {', '.join(self.periods)}"] if self.periods else []
        parts += [f"area {', '.join(self.areas)}"] if self.areas else []
        return ", ".join(parts)


class _Writer:
    """The lines of the table, each at most ``width`` columns (colour codes not counted)."""

    def __init__(self, colour: bool, width: int, amount_width: int) -> None:
        self.colour = colour
        self.width = max(width, MINIMUM_WIDTH)
        self.amount_width = amount_width
        #: The term column: what the status and amount columns leave.
        self.term_width = self.width - 2 - 1 - _STATUS - 1 - amount_width
        self.lines: list[str] = []

    def style(self, text: str, style: str) -> str:
        """``text`` in ``style`` when colour is on (else as is)."""
        return f"{_STYLES[style]}{text}{_RESET}" if self.colour and style else text

    def add(self, text: str = "", style: str = "") -> None:
        """One line as given (the caller keeps it within the width)."""
        self.lines.append(self.style(text, style))

    def wrapped(self, text: str, indent: int, style: str = "dim", hanging: int = 0) -> None:
        """``text`` wrapped at word boundaries (a word longer than a line is the only thing
        ever broken)."""
        pad = " " * indent
        lines = textwrap.wrap(
            text,
            self.width,
            initial_indent=pad,
            subsequent_indent=pad + " " * hanging,
            break_on_hyphens=False,
        )
        for line in lines or [pad]:
            self.add(line, style)

    def row(self, name: str, status: str, amount: str, style: str = "", name_style: str = "",
            indent: int = 2) -> None:  # fmt: skip
        """A row of the amount columns: a name, a status, an amount ending at the last column.
        A name too long for its column gets a line of its own above the row."""
        room = self.term_width + 2 - indent
        if len(name) > room:
            self.wrapped(name, indent, name_style, 2)
            name = ""
        cells = f"{status:<{_STATUS}} {amount:>{self.amount_width}}"
        shown = self.style(f"{name:<{room}} ", name_style) + self.style(cells, style)
        self.add(" " * indent + shown)


Section = Callable[[Statement, Sequence[UnitResult], _Writer], None]


def render_table(
    statement: Statement,
    *,
    colour: bool = False,
    width: int = DEFAULT_WIDTH,
    summary: bool = False,
    selection: Selection | None = None,
) -> str:
    """The statement as a terminal table: its header, each cohort (or, with ``summary``, only the
    totals per area, contract year and term), the totals and the records."""
    selection = selection or Selection()
    units = [unit for unit in statement.units if selection.keeps(unit)]
    out = _Writer(colour, width, _amount_width(statement))
    sections: list[Section] = (
        [_area_totals, _year_totals, _term_totals, _party_totals]
        if summary
        else [_units, _year_totals, _party_totals, _limits, _reconciliation, _records]
    )
    _header(statement, units, out)
    if selection:
        out.add()
        out.wrapped(
            f"Filtered statement ({selection.describe()}): {len(units)} of "
            f"{len(statement.units)} cohort units shown; every total below is the total of "
            "the units shown, not of the statement.",
            0, "yellow", 2,
        )  # fmt: skip
    for section in sections:
        section(statement, units, out)
    return "\n".join(out.lines) + "\n"


def _amount_width(statement: Statement) -> int:
    """The width of the widest amount the table can show (so every amount column lines up)."""
    amounts = [statement.total, *(y.total for y in statement.years)]
    for unit in statement.units:
        amounts += [unit.total, *(line.amount for line in unit.lines)]
    if statement.reconciliation is not None:
        amounts.append(statement.reconciliation.previous_total)
    # a sum of a selection (area, term) is never wider than the sum of every absolute amount
    everything = sum((abs(m.amount) for m in amounts), Decimal(0))
    widest = Money(-everything, statement.currency)
    return max(len("amount"), len(str(widest)), *(len(str(m)) for m in amounts))


def _header(statement: Statement, units: Sequence[UnitResult], out: _Writer) -> None:
    """Who pays whom, the contract, the data and the extract date."""
    contract = statement.contract
    version = f" (version {contract.version})" if contract.version else ""
    out.wrapped(f"Payment statement: {contract.name}{version}", 0, "bold", 2)
    out.wrapped(f"Payer {party(contract.payer)} · provider {party(contract.provider)}", 0, "", 2)
    source = contract.source_hash[:16] + "…" if contract.source_hash else "not recorded"
    out.wrapped(
        f"Currency {contract.currency} · contract source {source} · "
        f"pbrrules {statement.engine_version}",
        0, "", 2,
    )  # fmt: skip
    covered = period(statement)
    if covered is not None:
        out.wrapped(f"Period covered {covered} (index dates)", 0, "", 2)
    if statement.data is not None:
        for file in statement.data.files:
            rows = f"{wording.count(file.rows)} rows" if file.rows is not None else "rows unknown"
            digest = f" · sha256 {file.sha256[:16]}…" if file.sha256 else ""
            out.wrapped(f"Data {file.path}: {rows}{digest}", 0, "", 2)
    out.wrapped(extract_sentence(statement), 0, "", 2)
    if contract.illustrative:
        out.wrapped("Illustrative values (assumed, not taken from the contract as signed):", 0,
                    "bold", 2)  # fmt: skip
        for kind, name, reason in contract.illustrative:
            out.wrapped(f"{kind} {label(name)}: {reason}", 2, "", 4)


def _units(statement: Statement, units: Sequence[UnitResult], out: _Writer) -> None:
    """Each cohort unit in full; the ones with no records and nothing to pay on one line."""
    shown, empty = split_empty(units)
    for unit in shown:
        _unit(out, unit, several_versions=unit.version != statement.contract.name)
    if empty:
        out.add()
        out.wrapped(folded(empty), 0, "dim", 2)


def _totals(out: _Writer, title: str, rows: Iterable[tuple[str, Money]], overall: Money) -> None:
    """A titled block of totals in the amount column, then the overall total in bold."""
    out.add()
    out.add(title, "bold")
    for name, total in rows:
        out.row(name, "", str(total))
    out.row("overall", "", str(overall), "bold", "bold")


def _year_totals(statement: Statement, units: Sequence[UnitResult], out: _Writer) -> None:
    """The totals per contract year (of the shown units)."""
    years: dict[int | None, Decimal] = {}
    if len(units) == len(statement.units):
        years = {year.year: year.total.amount for year in statement.years}
    else:
        for unit in units:
            before = years.get(unit.contract_year, Decimal(0))
            years[unit.contract_year] = before + unit.total.amount
    rows = [
        (year_name(year, statement),
         Money(amount, statement.currency))
        for year, amount in sorted(years.items(), key=lambda item: (item[0] is None, item[0] or 0))
    ]  # fmt: skip
    _totals(out, "Totals per contract year", rows, _sum(statement, units))


def _area_totals(statement: Statement, units: Sequence[UnitResult], out: _Writer) -> None:
    """The totals per area (units grouped by no area are "all areas")."""
    areas: dict[str, Decimal] = {}
    for unit in units:
        name = unit.area or "all areas"
        areas[name] = areas.get(name, Decimal(0)) + unit.total.amount
    rows = [(name, Money(amount, statement.currency)) for name, amount in areas.items()]
    _totals(out, "Totals per area", rows, _sum(statement, units))


def _term_totals(statement: Statement, units: Sequence[UnitResult], out: _Writer) -> None:
    """The totals per payment term, in the order the terms first appear."""
    terms: dict[str, Decimal] = {}
    for unit in units:
        for line in unit.lines:
            terms[line.term] = terms.get(line.term, Decimal(0)) + line.amount.amount
    rows = [(label(term), Money(amount, statement.currency)) for term, amount in terms.items()]
    _totals(out, "Totals per term", rows, _sum(statement, units))


def _sum(statement: Statement, units: Sequence[UnitResult]) -> Money:
    """The statement's total, or the shown units' total when some are not shown."""
    if len(units) == len(statement.units):
        return statement.total
    return Money(sum((unit.total.amount for unit in units), Decimal(0)), statement.currency)


def _reconciliation(statement: Statement, units: Sequence[UnitResult], out: _Writer) -> None:
    """What the statement paid before stated, and what is due now."""
    if statement.reconciliation is None:
        return
    out.row("stated before", "", str(statement.reconciliation.previous_total))
    out.wrapped(statement.reconciliation.describe(), 2, "bold", 2)


def _records(statement: Statement, units: Sequence[UnitResult], out: _Writer) -> None:
    """The record accounting: every input record counted, excluded or rejected."""
    if statement.data is None or not statement.data.accounting:
        return
    out.add()
    whole = "" if len(units) == len(statement.units) else " (of the whole run, not the units shown)"
    out.wrapped(f"Records{whole}", 0, "bold", 2)
    for line in accounting_lines(statement.data.accounting):
        out.wrapped(line, 2, "dim", 4)


def _party_totals(statement: Statement, units: Sequence[UnitResult], out: _Writer) -> None:
    """Totals per payer and per payee (of the shown units): only for a contract that names
    parties on its terms or caps (each line then carries its payer and payee)."""
    if not statement.by_payer and not statement.by_payee:
        return
    lines = (line for unit in units for line in unit.lines)
    for title, totals in zip(("Totals per payer", "Totals per payee"),
                             party_totals(lines, statement.currency), strict=True):
        rows = [(party.party or "no party named", party.total) for party in totals]
        _totals(out, title, rows, _sum(statement, units))


def _limits(statement: Statement, units: Sequence[UnitResult], out: _Writer) -> None:
    """What is left under each cap and collar, in each scope a line met it (of the whole
    statement: a limit's standing does not depend on which units are shown)."""
    if not statement.limits:
        return
    out.add()
    out.add("What is left under each limit", "bold")
    for standing in statement.limits:
        out.wrapped(standing.describe(), 2, "", 4)


def _unit(out: _Writer, unit: UnitResult, several_versions: bool) -> None:
    """One cohort unit: heading, figures, exclusions, verdicts, payment lines, its total."""
    figures = unit.figures
    out.add()
    year = f" · contract year {unit.contract_year}" if unit.contract_year is not None else ""
    heading = (
        f"{unit.label} · cohort {label(figures.cohort)} · {figures.start.isoformat()} to "
        f"{figures.end.isoformat()}{year}"
    )
    out.wrapped(heading, 0, "bold", 2)
    if several_versions:
        out.wrapped(f"rules: {unit.version}", 2, "", 4)
    if figures.cancelled is not None:
        out.wrapped(f"cancelled: {figures.cancelled}; no payment lines", 2, "yellow", 4)
        return
    interim = unit.maturity.interim(figures)
    if interim is not None:
        out.wrapped(interim, 2, "yellow", 4)
    named = {m.name: m.counted for m in unit.measures if m.counted is not None}
    out.wrapped(f"figures: {_group(figures.treatment, named)}", 2, "dim", 4)
    if figures.control is not None:
        out.wrapped(f"control group: {_group(figures.control, named)}", 2, "dim", 4)
    for reason, count in figures.excluded:
        if count:
            out.wrapped(f"excluded: {wording.count(count)} {reason}", 2, "dim", 4)
    for impact in figures.impacts:
        source = f" (source: {impact.source})" if impact.source else ""
        out.wrapped(f"impact {label(impact.name)}: {wording.quantity(impact.value)}{source}", 2,
                    "dim", 4)
    for target in unit.targets:
        colour = {"met": "green", "not met": "red", "not assessable": "yellow"}[target.verdict]
        clause = f" ({target.clause})" if target.clause else ""
        out.wrapped(f"target {label(target.name)}: {target.verdict}{clause}", 2, colour, 4)
    out.row("term", "status", "amount")
    for line in unit.lines:
        _line(out, line)
    out.row("cohort total", "", str(unit.total), "bold")


def _group(group: GroupFigures, named: Mapping[str, tuple[str, str]]) -> str:
    """A group's figures: offenders, then per measure the people with at least one and the
    units counted, in the measure's own words for outcomes beyond offences (``named``)."""
    counted = "; ".join(
        f"{label(name)}: {wording.count(c.reoffenders)} {_people(named[name][1], c.reoffenders)}, "
        f"{wording.count(c.reoffences)} {named[name][0]}"
        if name in named
        else f"{label(name)}: {wording.count(c.reoffenders)} reoffenders, "
        f"{wording.count(c.reoffences)} counted"
        for name, c in sorted(group.counts.items())
    )
    return f"{wording.count(group.offenders)} offenders" + (f"; {counted}" if counted else "")


def _people(noun: str, count: int) -> str:
    """``people in custody``, or ``person in custody`` for one."""
    return "person" + noun.removeprefix("people") if count == 1 and noun.startswith("people") \
        else noun


def _line(out: _Writer, line: Line) -> None:
    """A payment line's row, then its clause and derivation (and what was stated before)."""
    status = line.status
    colour = (
        ("red" if line.amount.amount < 0 else "green")
        if status == "pays"
        else ("yellow" if status in ("not assessable", "not yet due") else "dim")
    )
    words = "deducts" if status == "pays" and line.amount.amount < 0 else status
    out.row(label(line.term), words, str(line.amount), colour)
    clause = f"{line.clause}: " if line.clause else ""
    out.wrapped(clause + humanise(line.derivation), 6)  # caps and collars applied included
    if line.previous is not None and line.difference is not None:
        out.wrapped(
            f"stated before {line.previous}; now {line.amount}; difference {line.difference}", 6
        )
