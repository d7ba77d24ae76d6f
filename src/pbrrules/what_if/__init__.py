"""What would this pay: one thing varied over a range, and what each term and the total pay.

The thing varied is a parameter (a threshold, a price), a measure's value (set directly, as a
worked example's ``given reconviction_rate = 52.3%`` does), or a cohort figure (offenders,
reoffenders, reoffences) of the worked example the scenario starts from. Every point is paid by
the pay stage itself (``pay.evaluate``), on exact values. Where a target's verdict, a term's
status or a limit changes between two points, the edge is narrowed to a thousandth of the step
(a whole number for a count) and reported by the last value on one side and the first on the
other, both evaluated exactly;
an amount is solved for between the two points that bracket it.
"""

from pbrrules.what_if.quantities import (
    MAX_POINTS,
    WhatIfProblem,
    default_step,
    parse_value,
    show,
    values,
)
from pbrrules.what_if.scenario import FIGURES, Point, Scenario
from pbrrules.what_if.table import (
    REFINEMENTS,
    Edge,
    Grid,
    Solution,
    WhatIf,
    what_if,
    what_if_grid,
)

__all__ = [
    "FIGURES",
    "MAX_POINTS",
    "REFINEMENTS",
    "Edge",
    "Grid",
    "Point",
    "Scenario",
    "Solution",
    "WhatIf",
    "WhatIfProblem",
    "default_step",
    "parse_value",
    "show",
    "values",
    "what_if",
    "what_if_grid",
]
