"""What every sendable statement states about itself, whatever its format: its reference, the
period it covers, and the names a reader sees instead of the contract's identifiers.

Shared by the Markdown, HTML, CSV and terminal renderers so that a statement reads the same in
each (``five_points`` is "five points" on the page and in the Markdown alike).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from pbrrules.statement import (
    ComparisonResult,
    Line,
    MeasureResult,
    Statement,
    TargetResult,
    UnitResult,
)

#: An identifier as contracts write them: lower-case words joined by underscores.
_IDENTIFIER = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b")


def reference(statement: Statement) -> str:
    """A reference that names this statement and no other: ``PBR-`` and the first 16 hex digits
    of the SHA-256 of its JSON form (same contract, data and engine, same reference)."""
    digest = hashlib.sha256(statement.to_json().encode("utf-8")).hexdigest()
    return f"PBR-{digest[:16].upper()}"


def period(statement: Statement) -> str | None:
    """``2011-10-01 to 2015-09-30``: the first index date to the last of any cohort unit."""
    if not statement.units:
        return None
    start = min(unit.figures.start for unit in statement.units)
    end = max(unit.figures.end for unit in statement.units)
    return f"{start.isoformat()} to {end.isoformat()}"


def label(name: str) -> str:
    """A declared name as a reader says it: ``five_points`` -> ``five points``. The contract's
    identifiers stay in the JSON and CSV (``name`` column), where a program looks them up."""
    return name.replace("_", " ")


def humanise(text: str) -> str:
    """``text`` with every identifier in it (``baseline_2009``, ``binary_target``) written as
    words; a derivation names the values it used by their identifiers."""
    return _IDENTIFIER.sub(lambda match: label(match.group(0)), text)


def extract_sentence(statement: Statement) -> str:
    """The extract date and where it came from, as a sentence (no full stop)."""
    if statement.as_of is None:
        return "No extract date: every cohort was taken as final"
    return statement.as_of.sentence()


def extract(statement: Statement) -> str:
    """The extract date as the value of an "Extract date" heading: ``2014-08-31 (given with the
    run)``, or ``No extract date was given; the records run to 2019-06-28``."""
    return extract_sentence(statement).removeprefix("Extract date ")


def party(name: str | None) -> str:
    """A party as the statement names it."""
    return name or "not named in the contract"


def is_empty(unit: UnitResult) -> bool:
    """Whether a unit has no records and pays nothing (a national run has many quarters not yet
    measured): statements list such units on one line instead of in full."""
    return (
        unit.cancelled is None
        and unit.figures.treatment.offenders == 0
        and (unit.figures.control is None or unit.figures.control.offenders == 0)
        and all(line.amount.amount == 0 for line in unit.lines)
    )


def split_empty(units: Sequence[UnitResult]) -> tuple[list[UnitResult], list[UnitResult]]:
    """The units to show in full, and the empty ones (``is_empty``), each in their order."""
    shown = [unit for unit in units if not is_empty(unit)]
    empty = [unit for unit in units if is_empty(unit)]
    return shown, empty


class Derivations:
    """A unit's derivations, each shown once: a comparison's derivation repeats its measure's,
    a target's its comparison's and a line's its targets'. Each one already shown is replaced in
    the later ones by its result in a few words ("reconviction rate 52.3%")."""

    def __init__(self) -> None:
        self._known: list[tuple[str, str]] = []

    def shown(self, derivation: str, summary: str | None) -> str:
        """``derivation`` with the ones shown before it summarised; remember it (and the words
        that stand for it later, when ``summary`` is given)."""
        text = derivation
        for full, words in sorted(self._known, key=lambda known: -len(known[0])):
            if full in text:
                text = text.replace(full, words)
        if summary is not None and len(derivation) > len(summary):
            self._known.append((derivation, summary))
        return text

    def measure(self, measure: MeasureResult) -> str:
        """A measure's derivation (its name, which the statement prints before it, left out)."""
        group = " (control group)" if measure.group == "control" else ""
        summary = f"{label(measure.name)}{group} {measure.display}" if measure.display else None
        text = self.shown(measure.derivation, summary)
        return text.removeprefix(f"{measure.name}: ").removeprefix(f"{measure.name}{group}: ")

    def comparison(self, comparison: ComparisonResult) -> str:
        """A comparison's derivation, its measure summarised."""
        summary = None
        if comparison.improvement_display is not None:
            summary = f"{label(comparison.name)} {comparison.improvement_display}"
        return self.shown(comparison.derivation, summary)

    def target(self, target: TargetResult) -> str:
        """A target's derivation, its comparison summarised."""
        return self.shown(target.derivation, f"target {label(target.name)} {target.verdict}")

    def line(self, line: Line) -> str:
        """A payment line's derivation, its targets summarised."""
        return self.shown(line.derivation.removeprefix("not due: "), None)


def folded(empty: Sequence[UnitResult]) -> str:
    """The one line that stands for the empty units (``split_empty``), saying which are not yet
    final (a quarter whose windows are still open may yet have records)."""
    waiting = [unit for unit in empty if not unit.maturity.final]
    if waiting and len(waiting) == len(empty):
        names = ", ".join(unit.label for unit in empty)
        final = "not final" if len(empty) == 1 else "none final"
        return f"No records and nothing to pay in {len(empty)} cohort unit(s), {final}: {names}"
    names = ", ".join(
        unit.label + ("" if unit.maturity.final else " (not final yet)") for unit in empty
    )
    return f"No records and nothing to pay in {len(empty)} cohort unit(s): {names}"


def year_name(year: int | None, statement: Statement) -> str:
    """A contract year's row in the totals: ``contract year 2``; units outside every contract
    year are ``outside contract years``, unless the contract declares none, when they are all
    its units (``all cohort units (no contract years declared)``)."""
    if year is not None:
        return f"contract year {year}"
    if all(y.year is None for y in statement.years):
        return "all cohort units (no contract years declared)"
    return "outside contract years"
