"""A contract's cohorts and measures -> the cohort units to measure.

A dated period (calendar quarter, contract year, named period) is measured under the version of
the contract in force on its first day; first-N blocks are cut from the data, so their cohort
rules are those in force on the blocks' start date, and each block's measures those in force on
its first index date.
"""

from __future__ import annotations

import datetime
import itertools

from attrs import frozen

from pbrrules import rules
from pbrrules.rules import periods


@frozen
class DatedPeriod:
    """One dated period of one cohort (``pid`` numbers it within the plan)."""

    pid: int
    cohort: int
    label: str
    start: datetime.date
    end: datetime.date
    version: int
    cancelled: str | None
    #: Which period rule of the contract gave this period (periods of one rule never overlap).
    rule: int = 0


@frozen
class BlockSeries:
    """``first N eligible index events from D, at most L cohorts`` of one cohort."""

    pid: int
    cohort: int
    rule: rules.Blocks
    version: int
    cancellations: tuple[rules.Cancellation, ...]


@frozen
class MeasureSpec:
    """One distinct measure declaration (``mid`` numbers it), of the cohort numbered ``cohort``."""

    mid: int
    cohort: int
    measure: rules.Measure


@frozen
class Plan:
    """Everything to measure: cohorts by number, their periods and block series, the measures."""

    contract: rules.Contract
    cohort_names: tuple[str, ...]
    periods: tuple[DatedPeriod, ...]
    blocks: tuple[BlockSeries, ...]
    measures: tuple[MeasureSpec, ...]

    def version_index(self, day: datetime.date) -> int:
        """The index of the contract version in force for a period starting on ``day``."""
        return version_index(self.contract, day)

    def cohort_rule(self, cohort: int, version: int) -> rules.Cohort:
        """The cohort declaration numbered ``cohort`` in version ``version``."""
        found = self.contract.versions[version].rules.cohort(self.cohort_names[cohort])
        assert found is not None
        return found

    def measures_for(self, cohort: int, day: datetime.date) -> tuple[MeasureSpec, ...]:
        """The measures of a unit of ``cohort`` starting on ``day``, in declaration order."""
        version = self.contract.versions[self.version_index(day)].rules
        wanted = [m for m in version.measures if m.cohort == self.cohort_names[cohort]]
        by_measure = {id(s.measure): s for s in self.measures}
        return tuple(by_measure[id(m)] for m in wanted)

    def disjoint(self) -> bool:
        """True when no index date lies in two units (so each record meets at most one)."""
        if self.blocks:
            return False
        spans = sorted((p.start, p.end) for p in self.periods)
        return all(a[1] < b[0] for a, b in itertools.pairwise(spans))


def version_index(contract: rules.Contract, day: datetime.date) -> int:
    """The index in ``contract.versions`` of the version in force for a period from ``day``."""
    chosen = 0
    for i, version in enumerate(contract.versions[1:], start=1):
        if version.effective_from is not None and day >= version.effective_from:
            chosen = i
    return chosen


def plan(contract: rules.Contract) -> Plan:
    """The units a contract measures, in a stable order."""
    names: list[str] = []
    for version in contract.versions:
        names += [c.name for c in version.rules.cohorts if c.name not in names]
    years_start = contract.header.contract_years_start
    dated: list[DatedPeriod] = []
    blocks: list[BlockSeries] = []
    for ci, name in enumerate(names):
        for vi, version in enumerate(contract.versions):
            cohort = version.rules.cohort(name)
            if cohort is None:
                continue
            cancelled = {c.label: c.reason for c in cohort.cancellations}
            for ri, rule in enumerate(cohort.periods):
                if isinstance(rule, rules.Blocks):
                    if version_index(contract, rule.start) == vi:
                        blocks.append(BlockSeries(0, ci, rule, vi, cohort.cancellations))
                    continue
                for window in periods.windows(rule, years_start):
                    assert window.end is not None
                    if version_index(contract, window.start) == vi:
                        dated.append(
                            DatedPeriod(
                                0,
                                ci,
                                window.label,
                                window.start,
                                window.end,
                                vi,
                                cancelled.get(window.label),
                                ri,
                            )
                        )
    numbered = tuple(
        DatedPeriod(i, p.cohort, p.label, p.start, p.end, p.version, p.cancelled, p.rule)
        for i, p in enumerate(dated)
    )
    numbered_blocks = tuple(
        BlockSeries(len(numbered) + i, b.cohort, b.rule, b.version, b.cancellations)
        for i, b in enumerate(blocks)
    )
    specs: list[MeasureSpec] = []
    seen: set[int] = set()
    for version in contract.versions:
        for measure in version.rules.measures:
            if measure.cohort in names and id(measure) not in seen:
                seen.add(id(measure))
                specs.append(MeasureSpec(len(specs), names.index(measure.cohort), measure))
    return Plan(contract, tuple(names), numbered, numbered_blocks, tuple(specs))
