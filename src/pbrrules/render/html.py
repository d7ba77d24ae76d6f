"""Statement -> one self-contained, printable HTML page a commissioner can sign and send.

The page needs nothing at view time: its CSS is inline and its charts are inline SVG (drawn by
``render.charts``), so it opens offline and prints to PDF from any browser. It is written by a
Jinja2 template (``templates/statement.html.j2``) with autoescaping on, so contract text (names,
clauses, reasons) can never become markup. Same statement, same bytes: nothing in the page
depends on the time or the machine.

What it shows: the parties, the statement's reference, the contract's version and hash, the
period covered; a chart per comparison across the cohorts; each cohort's figures, results and
payment lines with their clauses and derivations, and the caps applied; totals per contract
year; the record accounting; and the reproducibility receipt (engine version, contract hash,
data files' hashes).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import jinja2
from attrs import frozen
from markupsafe import Markup

from pbrrules.render.accounting import accounting_lines
from pbrrules.render.charts import comparison_charts, render_svg
from pbrrules.render.facts import (
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
from pbrrules.statement import SCHEMA, Line, Statement, wording


@frozen
class ChartView:
    """A chart with its caption, ready for the page."""

    comparison: str
    measure: str
    svg: Markup
    #: Whether some target of the comparison states a threshold (drawn as a dashed line).
    thresholds: bool
    #: Whether some line is where a significance test is just passed (approximate, per cohort).
    significance: bool = False


@frozen
class LimitView:
    """A cap or collar that changed a line, with where it applied."""

    unit: str
    term: str
    words: str


@functools.cache
def _environment() -> jinja2.Environment:
    """The template environment: templates from the package, autoescaping always on."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("pbrrules.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(statement: Statement) -> str:
    """The statement as one HTML page (UTF-8 text, a complete document)."""
    template = _environment().get_template("statement.html.j2")
    shown, empty = split_empty(statement.units)
    return template.render(
        s=statement,
        contract=statement.contract,
        reference=reference(statement),
        period=period(statement),
        charts=_charts(statement),
        units=shown,
        empty=empty,
        limits=list(_limits(statement)),
        accounting=(
            accounting_lines(statement.data.accounting)
            if statement.data is not None and statement.data.accounting
            else []
        ),
        schema=SCHEMA,
        count=wording.count,
        status_words=_status_words,
        label=label,
        folded=folded,
        money=wording.money,
        humanise=humanise,
        extract=extract(statement),
        party=party,
        year_name=year_name,
    )


def _charts(statement: Statement) -> list[ChartView]:
    return [
        ChartView(
            chart.comparison,
            chart.measure,
            Markup(render_svg(chart, f"chart{n}")),
            any(point.thresholds for point in chart.points),
            any(
                target.boundary is not None
                for unit in statement.units
                for target in unit.targets
                if target.comparison == chart.comparison and not target.pooled
            ),
        )
        for n, chart in enumerate(comparison_charts(statement.units), start=1)
    ]


def _limits(statement: Statement) -> Iterator[LimitView]:
    for unit, line in statement.lines():
        for applied in line.limits:
            yield LimitView(unit.label, line.term, applied.describe())


def _status_words(line: Line) -> str:
    """The line's status as the page prints it."""
    if line.status == "pays" and line.amount.amount < 0:
        return "deducts"
    return line.status
