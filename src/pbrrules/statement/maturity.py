"""Whether a cohort unit's figures are final on the run's as-of date, as the statement shows it
(the pay stage's ``pay/maturity.py`` works it out; docs/statement.md §10)."""

from __future__ import annotations

import datetime
from typing import Literal

from attrs import frozen

from pbrrules.figures import CohortFigures
from pbrrules.statement import wording

MaturityState = Literal["final", "provisional", "not started"]


@frozen
class Maturity:
    """Whether a unit's figures are final: ``final`` once its period has ended and every window
    its measures need has closed by the as-of date (``mature_on``, None while a first-N cohort
    is still filling); ``provisional`` before that (its figures are interim and nothing in it is
    paid); ``not started`` when its period begins after the as-of date. ``reason`` says why a
    unit is not final, in the words its lines use ("not yet due: ...")."""

    state: MaturityState = "final"
    mature_on: datetime.date | None = None
    reason: str | None = None

    @property
    def final(self) -> bool:
        """Whether the unit's figures are final (it may be compared and paid)."""
        return self.state == "final"

    def interim(self, figures: CohortFigures) -> str | None:
        """``provisional: not yet due: ...; interim figures: the windows of 970 of 1,000
        offenders have closed`` for a unit that is not final (None for a final one)."""
        if self.final:
            return None
        text = f"{self.state}: {self.reason}" if self.reason else self.state
        n = figures.treatment.offenders
        if self.state == "provisional" and figures.closed is not None and n:
            text += (
                f"; interim figures: the windows of {wording.count(figures.closed)} of "
                f"{wording.count(n)} offenders have closed"
            )
        return text
