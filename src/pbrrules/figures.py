"""Cohort figures: the seam between measuring records and paying on them.

The measure stage turns outcome records into ``CohortFigures``; a lawyer's worked example or a
service that already holds aggregates builds them by hand. The pay stage reads only these.
All counts are integers and sums of predicted rates are exact fractions, so two runs on the same
records give the same figures, and the figures equal the test oracle's.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from fractions import Fraction
from typing import Literal

from attrs import Attribute, field, frozen

from pbrrules.values import Quantity, exact


def _count(_: object, attribute: Attribute[int], value: object) -> None:
    """Counts are whole numbers of people or offences: refuse anything else at the boundary."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TypeError(f"{attribute.name} must be a whole number of 0 or more, not {value!r}")


def _predicted(value: object) -> Fraction | None:
    """The exact sum of predicted rates: None, or an int, Fraction or Decimal (never a float)."""
    return None if value is None else exact(value)

#: Where a run's as-of date came from: given with the run (``--as-of``, ``as_of=``), stated by
#: the data folder's ``extract.json``, or taken as the latest date in the records.
AsOfSource = Literal["given", "extract file", "records"]


@frozen
class AsOf:
    """The date the records were extracted (the run's as-of date) and where it came from.

    A cohort unit's figures are final only once every window its measures need has closed by
    this date (docs/data.md, "Maturity"). ``stated_by`` names the file that stated it, if any,
    and ``extracted_by`` who took the extract, if the file says.
    """

    day: datetime.date
    source: AsOfSource
    stated_by: str | None = None
    extracted_by: str | None = None

    def sentence(self) -> str:
        """How a statement heads its figures: ``Extract date 2014-08-31 (given with the run)``,
        or ``No extract date was given; the records run to 2019-06-28``."""
        day = self.day.isoformat()
        if self.source == "records":
            return f"No extract date was given; the records run to {day}"
        where = "given with the run" if self.source == "given" else f"stated by {self.stated_by}"
        by = f"; extracted by {self.extracted_by}" if self.extracted_by else ""
        return f"Extract date {day} ({where}{by})"

    def describe(self) -> str:
        """``the records run to 2019-06-28`` / ``the extract date is 2014-08-31``."""
        if self.source == "records":
            return f"the records run to {self.day.isoformat()}"
        return f"the extract date is {self.day.isoformat()}"


@frozen
class MeasureCounts:
    """What one measure counted in one group of one cohort.

    ``reoffenders`` (R) is the number of offenders with at least one proven reoffence under the
    measure's rules; ``reoffences`` (O) is the number of proven reoffences, or of reconviction
    events when the measure counts events. Generically, for every counting unit: R is the people
    with at least one unit counted and O the units (arrests, custody days, quarters employed,
    quarters without arrest: docs/data.md, "Other outcomes"); the names stay those of offences.
    """

    reoffenders: int = field(validator=_count)
    reoffences: int = field(validator=_count)


def impossible(
    offenders: int,
    reoffenders: int,
    reoffences: int = 0,
    *,
    people: str = "reoffenders",
    verb: str = "reoffend",
) -> str | None:
    """Why these counts cannot be one group's, or None: no count is negative, and no group has
    more reoffenders (R) than offenders (N). ``people`` and ``verb`` word R for an outcome
    beyond offences ("people in custody", "be counted")."""
    if min(offenders, reoffenders, reoffences) < 0:
        return "a count is negative"
    if reoffenders > offenders:
        return f"{reoffenders:,} {people} among {offenders:,} offenders (at most N can {verb})"
    return None


@frozen
class GroupFigures:
    """The figures of one group (treatment, or control) of one cohort.

    ``offenders`` is N, the cohort size after exclusions and de-duplication; ``predicted`` is the
    exact sum of the offenders' ``predicted_rate`` (None when the data has no predictions);
    ``counts`` maps each measure's name to what it counted.
    """

    offenders: int = field(validator=_count)
    counts: Mapping[str, MeasureCounts] = field(factory=dict)
    predicted: Fraction | None = field(default=None, converter=_predicted)

    def __attrs_post_init__(self) -> None:
        """Refuse figures no group can have, wherever they come from (a worked example, a
        calling service): more reoffenders than offenders was paid at 523%, and with a
        significance test ended in a bare ``decimal.InvalidOperation``. (Negative counts are
        refused by the fields' validators.)"""
        for name, counts in self.counts.items():
            problem = impossible(self.offenders, counts.reoffenders, counts.reoffences)
            if problem is not None:
                raise ValueError(f"impossible figures for '{name}': {problem}")

    def counts_for(self, measure: str) -> MeasureCounts | None:
        """The counts of ``measure`` in this group, if it was measured."""
        return self.counts.get(measure)

    @property
    def predicted_rate(self) -> Fraction | None:
        """The group's mean predicted rate, or None when there are no predictions or offenders."""
        if self.predicted is None or self.offenders == 0:
            return None
        return self.predicted / self.offenders


@frozen
class ImpactFigure:
    """An impact estimate the evaluator supplies for one cohort unit (impacts.csv, or ``given
    impact`` in a worked example): the change in the outcome it estimates (−12% where bed days
    fell by 12%), in its unit, with the source it cites."""

    name: str
    value: Quantity
    source: str | None = None


@frozen
class CohortFigures:
    """The figures of one cohort unit: one cohort rule, one period, and (if grouped) one area.

    ``period`` is the period's label ("2015-Q4", "year 1", "cohort 1", or a named period);
    ``start`` and ``end`` are its first and last index dates. ``excluded`` counts the index events
    each exclusion rule removed (by reason); ``cancelled`` gives the reason a cancelled period
    is not paid. ``closed`` counts the (treated) offenders whose every window had closed by the
    run's as-of date (None when no date was known, as for figures typed into an example);
    ``provisional`` marks figures a caller or an example states are interim.
    """

    cohort: str
    period: str
    start: datetime.date
    end: datetime.date
    treatment: GroupFigures
    control: GroupFigures | None = None
    area: str | None = None
    excluded: tuple[tuple[str, int], ...] = ()
    cancelled: str | None = None
    closed: int | None = None
    provisional: bool = False
    #: The evaluator's impact estimates for this unit, by name (none unless supplied).
    impacts: tuple[ImpactFigure, ...] = ()

    def impact(self, name: str) -> ImpactFigure | None:
        """The impact estimate called ``name`` for this unit, if the evaluator supplied one."""
        return next((i for i in self.impacts if i.name == name), None)

    @property
    def key(self) -> tuple[str, str, str | None]:
        """``(cohort, period, area)``: identifies the unit within a statement."""
        return (self.cohort, self.period, self.area)
