"""Statement -> Markdown a commissioner can send: who pays whom, for what period, on which
extract, and each cohort's figures, results and payment lines, one derivation per line.

The text is CommonMark (with one GitHub-style table, the totals): every fact, exclusion,
derivation and payment line is its own list item, so no renderer runs two of them into one
paragraph. Names are written as words (``five_points`` is "five points", as on the HTML page);
each derivation is shown once per cohort (``facts.Derivations``); a deduction reads "deducts
£2,000,000.00", never a negative amount after a verb.
"""

from __future__ import annotations

import re
from typing import assert_never

from pbrrules.render.accounting import accounting_lines
from pbrrules.render.facts import (
    Derivations,
    extract,
    folded,
    humanise,
    label,
    party,
    period,
    reference,
    split_empty,
    year_name,
)
from pbrrules.statement import Line, Money, Statement, UnitResult, wording

#: What would become markup if contract text held it: emphasis, code, links, backslashes.
_MARKUP = re.compile(r"([\\`*_\[\]])")
#: A "<" that would open raw HTML (a tag, a comment, a declaration).
_TAG = re.compile(r"<(?=[A-Za-z/!?])")


def _text(text: str) -> str:
    """Contract or data text as Markdown that shows it as written: what would be read as
    emphasis, code, a link or raw HTML is escaped (``<b>`` stays the three characters)."""
    return _TAG.sub(r"\\<", _MARKUP.sub(r"\\\1", text))


def _words(text: str) -> str:
    """A derivation or description: names as words (``facts.humanise``), then escaped."""
    return _text(humanise(text))


def _clause(clause: str | None) -> str:
    """`` (clause 4.2)`` after a name, escaped; nothing without a clause."""
    return f" ({_text(clause)})" if clause else ""


def render_markdown(statement: Statement) -> str:
    """The statement as a document: its facts, totals, each cohort, then the records."""
    contract = statement.contract
    out = [f"# Payment statement: {_text(contract.name)}", ""]
    out += _facts(statement)
    if contract.illustrative:
        out += ["**Illustrative values** (assumed, not taken from the contract as signed):", ""]
        out += [
            f"- {kind} **{label(name)}**: {_text(reason)}"
            for kind, name, reason in contract.illustrative
        ]
        out.append("")
    out += _totals(statement)
    shown, empty = split_empty(statement.units)
    for unit in shown:
        out += _unit(unit, several_versions=unit.version != contract.name)
    if empty:
        out += [f"{folded(empty)}.", ""]
    if statement.limits:
        out += ["## What is left under each cap", ""]
        out += [f"- {_words(standing.describe())}." for standing in statement.limits]
        out.append("")
    if statement.data is not None and statement.data.accounting:
        out += ["## Records", ""]
        out += [f"- {_text(line)}" for line in accounting_lines(statement.data.accounting)]
        out.append("")
    out += _receipt(statement)
    return "\n".join(out).rstrip("\n") + "\n"


def _facts(statement: Statement) -> list[str]:
    """Who pays whom, the statement's reference and date, the contract, period and extract."""
    contract = statement.contract
    version = f", version {contract.version}" if contract.version else ""
    covered = period(statement) or "no cohort units"
    return [
        f"- **Payer:** {_text(party(contract.payer))}",
        f"- **Provider:** {_text(party(contract.provider))}",
        f"- **Reference:** {reference(statement)}",
        "- **Statement date:** the date it is signed",
        f"- **Contract:** {_text(contract.name + version)}",
        f"- **Contract hash:** `{contract.source_hash or 'not recorded'}`",
        f"- **Period covered:** {covered} (index dates of the cohort units)",
        f"- **Extract date:** {extract(statement)}",
        f"- **Currency:** {contract.currency}",
        f"- **Total due:** {_signed(statement.total)}",
        "",
    ]


def _signed(total: Money) -> str:
    """A total in words: "£1,000.00 to the provider" or "£2,000,000.00 back to the payer"."""
    if total.amount < 0:
        return f"{Money(-total.amount, total.currency)} owed back to the payer (a deduction)"
    return f"{total} to the provider"


def _totals(statement: Statement) -> list[str]:
    """The totals per contract year (a deduction is a negative total)."""
    out = ["## Totals per contract year", "", "| Contract year | Total |", "|---|---:|"]
    for year in statement.years:
        name = str(year.year) if year.year is not None else year_name(None, statement)
        out.append(f"| {name} | {year.total} |")
    out += [f"| **Overall** | **{statement.total}** |", ""]
    for title, totals in (("payer", statement.by_payer), ("payee", statement.by_payee)):
        if totals:
            out += [f"## Totals per {title}", "", f"| {title.capitalize()} | Total |", "|---|---:|"]
            out += [f"| {_text(party.party or 'no party named')} | {party.total} |"
                    for party in totals]
            out.append("")
    if statement.reconciliation is not None:
        out += [f"Against the statement paid before: {statement.reconciliation.describe()}.", ""]
    return out


def _receipt(statement: Statement) -> list[str]:
    """What reproduces the statement: engine, contract files, data files and their hashes."""
    out = ["## Reproducibility receipt", "", f"- Engine: pbrrules {statement.engine_version}"]
    out += [f"- Contract file: `{source}`" for source in statement.contract.sources]
    if statement.data is not None:
        for file in statement.data.files:
            rows = f"{wording.count(file.rows)} rows" if file.rows is not None else "rows unknown"
            digest = f", sha256 `{file.sha256}`" if file.sha256 else ""
            out.append(f"- Data file `{file.path}`: {rows}{digest}")
    return [*out, ""]


def _unit(unit: UnitResult, several_versions: bool) -> list[str]:
    """One cohort unit: dates, figures and exclusions, results, payment lines, total."""
    figures = unit.figures
    year = f", contract year {unit.contract_year}" if unit.contract_year is not None else ""
    out = [
        f"## {_text(unit.label)} (cohort {label(figures.cohort)})",
        "",
        f"Index dates {figures.start.isoformat()} to {figures.end.isoformat()}{year}"
        + (f"; rules as varied by {unit.version}." if several_versions else "."),
        "",
    ]
    if figures.cancelled is not None:
        cancelled = _text(figures.cancelled)
        return [*out, f"This period was cancelled: {cancelled}. Nothing is paid.", ""]
    interim = unit.maturity.interim(figures)
    if interim is not None:
        out += [f"**Not final.** {_text(interim[0].upper() + interim[1:])}.", ""]
    out.append(f"- {wording.count(figures.treatment.offenders)} offenders in the cohort.")
    if figures.control is not None:
        out.append(f"- {wording.count(figures.control.offenders)} offenders in the control group.")
    out += [
        f"- {wording.count(count)} index events excluded: {_text(reason)}."
        for reason, count in figures.excluded
        if count
    ]
    out += ["", "Results:", ""]
    derivations = Derivations()
    for measure in unit.measures:
        group_words = " (control group)" if measure.group == "control" else ""
        out.append(f"- Measure **{label(measure.name)}**{group_words}{_clause(measure.clause)}: "
                   f"{_words(derivations.measure(measure))}.")
    for comparison in unit.comparisons:
        out.append(f"- Comparison **{label(comparison.name)}**{_clause(comparison.clause)}: "
                   f"{_words(derivations.comparison(comparison))}.")
    for target in unit.targets:
        out.append(f"- Target **{label(target.name)}**{_clause(target.clause)} is "
                   f"**{target.verdict}**: {_words(derivations.target(target))}.")
    out += ["", "Payment lines:", ""]
    for line in unit.lines:
        out += _line(line, derivations)
    out += ["", f"Total for {_text(unit.label)}: **{unit.total}**.", ""]
    return out


def _line(line: Line, derivations: Derivations) -> list[str]:
    """A payment line as a list item: what it does and why; caps and what was stated before as
    items under it."""
    amount = Money(abs(line.amount.amount), line.amount.currency)
    match line.status:
        case "pays":
            verb = "deducts" if line.amount.amount < 0 else "pays"
        case "not met":
            verb = "is not due and pays"
        case "not assessable":
            verb = "cannot be assessed and pays"
        case "not yet due":
            verb = "is not yet due and pays"
        case _:
            assert_never(line.status)
    out = [f"- **Term {label(line.term)}**{_clause(line.clause)} {verb} **{amount}**: "
           f"{_words(derivations.line(line))}."]
    if line.payer is not None or line.payee is not None:
        out.append(f"  - Paid by {_text(line.payer or 'the payer')} to "
                   f"{_text(line.payee or 'the provider')}.")
    out += [f"  - The amount was {_words(applied.describe())}." for applied in line.limits]
    if line.previous is not None:
        out.append(f"  - Stated before: {line.previous}; difference {line.difference}.")
    return out
