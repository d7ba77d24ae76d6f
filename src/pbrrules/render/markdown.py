"""Statement -> a Markdown narrative a lawyer can read: each clause by reference, with numbers."""

from __future__ import annotations

from pbrrules.render.accounting import accounting_lines
from pbrrules.statement import Statement, UnitResult, wording


def _clause(clause: str | None) -> str:
    return f" ({clause})" if clause else ""


def render_markdown(statement: Statement) -> str:
    """The statement as a narrative: summary, then each cohort's measures, targets and lines."""
    contract = statement.contract
    out = [f"# Payment statement: {contract.name}", ""]
    facts = []
    if contract.version:
        facts.append(f"version {contract.version}")
    if contract.source_hash:
        facts.append(f"contract source `{contract.source_hash}`")
    facts.append(f"computed by pbrrules {statement.engine_version}")
    out += [f"Contract {', '.join(facts)}. Amounts in {contract.currency}.", ""]
    if statement.data is not None:
        for file in statement.data.files:
            rows = f"{wording.count(file.rows)} rows" if file.rows is not None else "rows unknown"
            digest = f", sha256 `{file.sha256}`" if file.sha256 else ""
            out.append(f"- Data file `{file.path}`: {rows}{digest}")
        out.append("")
    if statement.as_of is not None:
        out += [f"{statement.as_of.sentence()}.", ""]
    if contract.illustrative:
        out += ["**Illustrative values** (assumed, not taken from the contract as signed):", ""]
        out += [f"- {kind} `{name}`: {reason}" for kind, name, reason in contract.illustrative]
        out.append("")
    out += ["## Summary", "", "| Contract year | Total |", "|---|---:|"]
    for year in statement.years:
        label = str(year.year) if year.year is not None else "outside contract years"
        out.append(f"| {label} | {year.total} |")
    out += [f"| **Overall** | **{statement.total}** |", ""]
    if statement.reconciliation is not None:
        out += [f"Against the statement paid before: {statement.reconciliation.describe()}.", ""]
    for unit in statement.units:
        out += _unit(unit, several_versions=unit.version != contract.name)
    if statement.data is not None and statement.data.accounting:
        out += ["## Records", ""]
        for line in accounting_lines(statement.data.accounting):
            out.append(f"- {line}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _unit(unit: UnitResult, several_versions: bool) -> list[str]:
    figures = unit.figures
    year = f", contract year {unit.contract_year}" if unit.contract_year is not None else ""
    out = [
        f"## {unit.label} (cohort {figures.cohort})",
        "",
        f"Index dates {figures.start.isoformat()} to {figures.end.isoformat()}{year}"
        + (f"; rules as varied by {unit.version}." if several_versions else "."),
        "",
    ]
    if figures.cancelled is not None:
        return [*out, f"This period was cancelled: {figures.cancelled}. Nothing is paid.", ""]
    interim = unit.maturity.interim(figures)
    if interim is not None:
        out += [f"**Not final.** {interim[0].upper()}{interim[1:]}.", ""]
    group = figures.treatment
    out.append(f"The cohort has {wording.count(group.offenders)} offenders.")
    if figures.control is not None:
        out.append(f"The control group has {wording.count(figures.control.offenders)} offenders.")
    for reason, count in figures.excluded:
        if count == 0:
            continue
        out.append(f"{wording.count(count)} index events were excluded: {reason}.")
    out.append("")
    for measure in unit.measures:
        group_words = " (control group)" if measure.group == "control" else ""
        out.append(
            f"- Measure **{measure.name}**{group_words}{_clause(measure.clause)}: "
            f"{measure.derivation.removeprefix(measure.name + ': ')}."
        )
    for comparison in unit.comparisons:
        out.append(
            f"- Comparison **{comparison.name}**{_clause(comparison.clause)}: "
            f"{comparison.derivation}."
        )
    for target in unit.targets:
        out.append(
            f"- Target **{target.name}**{_clause(target.clause)} is **{target.verdict}**: "
            f"{target.derivation}."
        )
    out.append("")
    for line in unit.lines:
        what = {
            "pays": "deducts" if line.amount.amount < 0 else "pays",
            "not met": "is not due and pays",
            "not assessable": "cannot be assessed and pays",
            "not yet due": "is not yet due and pays",
        }
        out.append(
            f"**Term {line.term}**{_clause(line.clause)} {what[line.status]} "
            f"**{line.amount}**: {line.derivation.removeprefix('not due: ')}."
        )
        for applied in line.limits:
            out.append(f"  The amount was {applied.describe()}.")
        if line.previous is not None:
            out.append(f"  Stated before: {line.previous}; difference {line.difference}.")
        out.append("")
    out += [f"Total for {unit.label}: **{unit.total}**.", ""]
    return out
