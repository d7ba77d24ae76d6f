"""Charts for the HTML statement: each comparison across the cohorts, as inline SVG.

One chart per comparison: the cohort's measure against its comparator (the baseline or the control
group), unit by unit, with the level each target's threshold asks for. Drawn with matplotlib's
object API (no pyplot, so no global figure state) and its SVG backend, text kept as text.

Exact values become floats here ONLY to place marks on the drawing; every figure the page prints
comes from the statement's exact displays, never from these floats. The SVG is deterministic: no
date in its metadata, a fixed hash salt for its element ids.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Sequence
from fractions import Fraction
from typing import assert_never

import matplotlib
from attrs import frozen
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from pbrrules.render.facts import label
from pbrrules.statement import ComparisonResult, TargetResult, UnitResult

#: matplotlib's RDF block (creator, format): nothing a reader needs, so not kept in the page.
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
#: Where an SVG names or points to an element id.
_IDS = re.compile(r'(\bid="|href="#|url\(#)')
_INK = "#1f2933"
_MEASURE = "#1f5f99"
_COMPARATOR = "#7b8794"
_THRESHOLD = "#b2541a"


@frozen
class Point:
    """One unit on a chart: its label, its measure and comparator, and the threshold levels."""

    label: str
    measure: Fraction
    comparator: Fraction
    thresholds: tuple[tuple[str, Fraction], ...]


@frozen
class Chart:
    """A comparison across the units where it could be assessed."""

    comparison: str
    measure: str
    unit: str
    points: tuple[Point, ...]


def comparison_charts(units: Sequence[UnitResult]) -> list[Chart]:
    """One chart per comparison (in the order the contract declares them) with at least one
    assessed, unpooled unit."""
    names: list[str] = []
    for unit in units:
        names += [c.name for c in unit.comparisons if c.name not in names]
    charts = []
    for name in names:
        points = tuple(p for unit in units if (p := _point(unit, name)) is not None)
        if points:
            first = next(c for u in units for c in u.comparisons if c.name == name)
            charts.append(Chart(name, first.measure, first.unit, points))
    return charts


def _point(unit: UnitResult, name: str) -> Point | None:
    comparison = next((c for c in unit.comparisons if c.name == name), None)
    if comparison is None or comparison.pooled or unit.cancelled is not None:
        return None
    measure = next(
        (m for m in unit.measures if m.name == comparison.measure and m.group == "treatment"),
        None,
    )
    if measure is None or measure.value is None or comparison.comparator is None:
        return None
    thresholds = tuple(
        (target.name, level)
        for target in unit.targets
        if target.comparison == name and not target.pooled
        if (level := threshold_level(comparison, target)) is not None
    )
    return Point(unit.label, measure.value, comparison.comparator, thresholds)


def threshold_level(comparison: ComparisonResult, target: TargetResult) -> Fraction | None:
    """The measure's value at which ``target`` is just met, on the measure's own scale: a 5-point
    reduction on a 58% baseline is 53%; a 10% relative reduction on 155 is 139.5. For a target
    decided by a one-proportion significance test, the change just significant in the unit (an
    approximation, and one per cohort: it depends on the cohort's size)."""
    wanted = [level for level in (target.threshold, target.boundary) if level is not None]
    if not wanted or comparison.comparator is None:
        return None
    change = max(wanted)  # a threshold and a significance test: both must be reached
    sign = -1 if target.direction == "reduction" else 1
    base = comparison.comparator
    match comparison.unit:
        case "points" | "absolute":
            return base + sign * change
        case "percent":
            return base * (1 + sign * change)
        case _:
            assert_never(comparison.unit)


def render_svg(chart: Chart, prefix: str = "chart") -> str:
    """The chart as an ``<svg>`` element to inline in the page (no XML prologue). Its element ids
    start with ``prefix``: ids are hashes of what they name, so two charts on one page would
    otherwise repeat them."""
    # A fixed id salt (the same bytes each run) and text kept as <text> (searchable, escaped).
    with matplotlib.rc_context(
        {
            "svg.hashsalt": "pbrrules",
            "svg.fonttype": "none",
            "font.family": "sans-serif",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    ):
        figure = Figure(figsize=(7.2, 2.6), dpi=72)
        axes = figure.add_subplot()
        _draw(axes, chart)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "pbrrules"})
    text = buffer.getvalue()
    svg = text[text.index("<svg") :]
    svg = _METADATA.sub("", svg, count=1)
    return _IDS.sub(lambda found: f"{found.group(1)}{prefix}-", svg)


def _draw(axes: Axes, chart: Chart) -> None:
    """Measure and comparator as marks per unit; each target's threshold as a dashed step."""
    xs = list(range(len(chart.points)))
    measure = [float(p.measure) for p in chart.points]  # drawing only
    comparator = [float(p.comparator) for p in chart.points]  # drawing only
    axes.plot(xs, comparator, color=_COMPARATOR, marker="s", linestyle="-", linewidth=1,
              label=f"comparator ({_plain(label(chart.comparison))})")
    axes.plot(xs, measure, color=_MEASURE, marker="o", linestyle="none",
              label=f"{_plain(label(chart.measure))} (cohort)")
    targets = sorted({name for p in chart.points for name, _ in p.thresholds})
    for target, style in zip(targets, itertools.cycle(("--", ":", "-.")), strict=False):
        levels = [_level(p, target) for p in chart.points]
        axes.plot(xs, levels, color=_THRESHOLD, linestyle=style, linewidth=1, drawstyle="steps-mid",
                  label=f"target {_plain(label(target))} is met at or beyond")
    axes.set_xticks(xs, [_plain(p.label) for p in chart.points], rotation=45 if len(xs) > 8 else 0,
                    ha="right" if len(xs) > 8 else "center")
    values = measure + comparator
    if all(0 <= v <= 1 for v in values):
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v * 100:g}%"))
    axes.tick_params(colors=_INK)
    axes.grid(axis="y", color="#e4e7eb", linewidth=0.6)
    axes.set_xlim(-0.5, len(xs) - 0.5)
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)


def _level(point: Point, target: str) -> float:
    level = next((value for name, value in point.thresholds if name == target), None)
    return float(level) if level is not None else float("nan")  # drawing only


def _plain(text: str) -> str:
    """Text for a chart label: matplotlib reads ``$...$`` as mathematics, so dollars are escaped."""
    return text.replace("$", r"\$")
