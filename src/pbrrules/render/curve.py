"""A what-if table -> a chart of the payment curve as SVG (for a page or an HTML statement),
drawn with matplotlib.

Each term and the total against the value varied, through every point paid (the rows and the
two points either side of each edge, so a step is drawn as a step, not a slope between rows);
each edge is a dotted line labelled with what changes there. The numbers are exact until the
drawing: matplotlib places points with floats, so the chart shows, and the table (or its JSON)
states. The SVG has no date and fixed ids, so the same table gives the same bytes.

matplotlib is an optional dependency (``pip install 'pbrrules[chart]'``).
"""

from __future__ import annotations

import io
from fractions import Fraction
from typing import Any, assert_never

from pbrrules.values import Quantity, Unit
from pbrrules.what_if import Point, WhatIf, show


class ChartUnavailable(RuntimeError):
    """matplotlib is not installed."""


def _axis_value(value: Quantity) -> Fraction:
    """The value as the axis shows it: percentages and points ×100."""
    scaled = value.unit in (Unit.RATE, Unit.PERCENT, Unit.PERCENTAGE, Unit.POINTS)
    return value.value * 100 if scaled else value.value


def _axis_label(table: WhatIf) -> str:
    unit = table.points[0].value.unit
    match unit:
        case Unit.RATE | Unit.PERCENT | Unit.PERCENTAGE:
            return f"{table.name} (%)"
        case Unit.POINTS:
            return f"{table.name} (percentage points)"
        case Unit.MONEY:
            return f"{table.name} ({table.points[0].value.currency or table.currency})"
        case Unit.COUNT | Unit.NUMBER:
            return table.name
        case _:
            assert_never(unit)


def _points(table: WhatIf) -> list[Point]:
    """Every point paid, in order of value, each once."""
    found = {p.value.value: p for p in table.points}
    for edge in table.edges:
        found.setdefault(edge.last.value.value, edge.last)
        found.setdefault(edge.first.value.value, edge.first)
    return [found[v] for v in sorted(found)]


def chart_svg(table: WhatIf) -> str:
    """The payment curve as SVG text."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import pyplot
    except ImportError:
        raise ChartUnavailable(
            "the chart needs matplotlib: pip install 'pbrrules[chart]'"
        ) from None
    matplotlib.rcParams["svg.hashsalt"] = "pbrrules"
    points = _points(table)
    xs = [float(_axis_value(p.value)) for p in points]  # floats for drawing only
    figure, axes = pyplot.subplots(figsize=(8, 4.5))
    try:
        terms = list(dict.fromkeys(t for p in points for t, _ in p.terms))
        for term in terms:
            axes.plot(xs, [float(p.amount(term)) for p in points], label=term, linewidth=1.2)
        axes.plot(xs, [float(p.total) for p in points], label="total", color="black",
                  linewidth=2)
        _mark_edges(axes, table)
        axes.set_xlabel(_axis_label(table))
        axes.set_ylabel(f"payment ({table.currency})")
        axes.set_title(f"{table.contract}\nwhat each term pays as {table.name} varies",
                       fontsize=10)
        axes.yaxis.set_major_formatter(lambda y, _: f"{y:,.0f}")
        axes.grid(True, linewidth=0.3)
        axes.legend(fontsize=8)
        figure.tight_layout()
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    finally:
        pyplot.close(figure)
    return out.getvalue()


def _mark_edges(axes: Any, table: WhatIf) -> None:
    """A dotted line at each target's and limit's edge, labelled with what changes there."""
    shown: set[str] = set()
    for edge in table.edges:
        if edge.subject.startswith("term "):
            continue  # a term changes where its target or limit does
        x = float((_axis_value(edge.last.value) + _axis_value(edge.first.value)) / 2)
        axes.axvline(x, linestyle=":", color="grey", linewidth=1)
        label = f"{edge.subject}: {edge.before} at {show(edge.last.value)}"
        if label not in shown:
            shown.add(label)
            axes.annotate(label, (x, 1), xycoords=("data", "axes fraction"), rotation=90,
                          fontsize=7, va="top", ha="right", color="grey")
