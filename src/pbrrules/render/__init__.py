"""Statement -> text: a terminal table, JSON, CSV (a row per figure, line and total), Markdown,
HTML.

``render(statement, "table")`` and friends; each format has its own module. Rendering is pure:
the same statement always gives the same text (colour only when asked for, on a terminal).
"""

from __future__ import annotations

from typing import Literal, assert_never

from pbrrules.render.csv import render_csv
from pbrrules.render.markdown import render_markdown
from pbrrules.render.table import DEFAULT_WIDTH, Selection, render_table
from pbrrules.statement import Statement

Format = Literal["table", "json", "csv", "markdown", "html"]
FORMATS: tuple[Format, ...] = ("table", "json", "csv", "markdown", "html")


def render_html(statement: Statement) -> str:
    """The statement as one self-contained HTML page (``render.html``). Imported only when asked
    for: the page's charts need matplotlib, which every other command would otherwise load."""
    from pbrrules.render.html import render_html as page

    return page(statement)


def render(
    statement: Statement,
    format: Format,
    *,
    colour: bool = False,
    width: int = DEFAULT_WIDTH,
    summary: bool = False,
    selection: Selection | None = None,
    bom: bool = True,
) -> str:
    """``statement`` as text in ``format`` (``width``, ``summary`` and ``selection``: the table's
    options, see ``render.table``; ``bom``: whether CSV starts with a byte order mark)."""
    match format:
        case "table":
            return render_table(
                statement, colour=colour, width=width, summary=summary, selection=selection
            )
        case "json":
            return statement.to_json()
        case "csv":
            return render_csv(statement, bom=bom)
        case "markdown":
            return render_markdown(statement)
        case "html":
            return render_html(statement)
        case _:
            assert_never(format)


__all__ = [
    "DEFAULT_WIDTH",
    "FORMATS",
    "Format",
    "Selection",
    "render",
    "render_csv",
    "render_html",
    "render_markdown",
    "render_table",
]
