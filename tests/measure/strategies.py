"""Hypothesis strategies: small contracts' cohort and measure rules, and outcome records that
crowd month ends, window edges and waiting-period edges."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st
from tests.measure.oracle import add_months

from pbrrules import rules
from pbrrules.values import Duration, Quantity, Unit

D = datetime.date
INDEX_DATES = [
    D(2015, 7, 1),
    D(2015, 8, 31),
    D(2015, 9, 30),
    D(2015, 10, 1),
    D(2015, 12, 31),
    D(2016, 1, 31),
    D(2016, 2, 29),
    D(2016, 3, 31),
    D(2016, 6, 30),
    D(2016, 1, 1),
]
OFFENDERS = ["a", "b", "c", "d", "e"]


def q(n: Any) -> Quantity:
    return Quantity(Fraction(n), Unit.NUMBER)


ELIGIBLE = [
    None,
    rules.OneOf("disposal", ("community_order", "custody_release")),
    rules.AnyOf(rules.FieldTest("age", ">=", q(18)), rules.Not(rules.Flag("deported"))),
]
EXCLUSIONS = [
    rules.Exclusion(rules.Flag("deported"), "deported"),
    rules.Exclusion(rules.FieldTest("sentence_months", ">", q(24)), "long sentence"),
    rules.Exclusion(rules.Between("age", q(0), q(17)), "under 18"),
]
PERIODS = [
    (rules.Quarterly(D(2015, 7, 1), D(2016, 6, 30)),),
    (rules.ContractYears(D(2015, 4, 1), D(2017, 3, 31)),),
    (rules.NamedPeriod("pilot", D(2015, 8, 15), D(2016, 2, 29)),),
    (
        rules.Quarterly(D(2015, 7, 1), D(2016, 6, 30)),
        rules.ContractYears(D(2015, 4, 1), D(2017, 3, 31)),
    ),
    (rules.Blocks(3, D(2015, 8, 1), 2),),
    (rules.Blocks(4, D(2015, 7, 1), None),),
    (rules.Blocks(3, D(2015, 7, 1), None, end=D(2016, 1, 31)),),
]
DURATIONS = [
    Duration(12, "months"),
    Duration(6, "months"),
    Duration(365, "days"),
    Duration(1, "years"),
]
WAITS = [Duration(6, "months"), Duration(0, "months"), Duration(30, "days")]


@st.composite
def measures(draw: st.DrawFn, cohort: str, name: str) -> rules.Measure:
    return rules.Measure(
        name,
        draw(st.sampled_from(["binary", "per_reoffender", "per_offenders"])),
        cohort,
        counting=draw(st.sampled_from(["offences", "events"])),
        follow_up=draw(st.sampled_from(DURATIONS)),
        waiting=draw(st.sampled_from(WAITS)),
        proven_by=draw(st.sampled_from([("conviction", "caution"), ("conviction",)])),
        exclude_breaches=draw(st.booleans()),
    )


@st.composite
def contracts(draw: st.DrawFn) -> rules.Contract:
    n_excl = draw(st.integers(0, 3))
    cohort = rules.Cohort(
        "c",
        eligible=draw(st.sampled_from(ELIGIBLE)),
        exclusions=tuple(EXCLUSIONS[:n_excl]),
        periods=draw(st.sampled_from(PERIODS)),
        cancellations=(
            rules.Cancellation("cohort 2", "ended early"),
            rules.Cancellation("2015-Q4", "paused"),
        ),
        grouped_by=draw(st.sampled_from([None, "area"])),
        control_group=draw(st.sampled_from([None, rules.FieldTest("group", "=", "control")])),
        deduplicate=draw(st.booleans()),
    )
    first = rules.Rules(
        cohorts=(cohort,), measures=(draw(measures("c", "m1")), draw(measures("c", "m2")))
    )
    versions = [rules.Version("original", None, first)]
    if draw(st.booleans()):
        varied = rules.Rules(cohorts=(cohort,), measures=(draw(measures("c", "m1")),))
        versions.append(rules.Version("variation", D(2016, 1, 1), varied))
    years = draw(st.sampled_from([None, D(2015, 2, 1)]))
    return rules.Contract(
        rules.Header("contract", "test", contract_years_start=years), tuple(versions)
    )


@st.composite
def index_events(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(0, 12))
    out = []
    for i in range(n):
        out.append(
            {
                "offender_id": draw(st.sampled_from(OFFENDERS)),
                "index_date": draw(st.sampled_from(INDEX_DATES)),
                "area": draw(st.sampled_from(["North", "South"])),
                "disposal": draw(st.sampled_from(["community_order", "custody_release", "fine"])),
                "age": draw(st.sampled_from([None, 16, 17, 18, 40])),
                "sentence_months": draw(st.sampled_from([0, 24, 36])),
                "deported": draw(st.sampled_from([None, True, False, False])),
                "predicted_rate": draw(
                    st.sampled_from(
                        [Decimal("0.1"), Decimal("0.25"), Decimal("0.333"), Decimal("0.5")]
                    )
                ),
                "group": draw(st.sampled_from(["treatment", "control"])),
                "note": f"event {i}",
            }
        )
    return out


@st.composite
def offences(draw: st.DrawFn, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not events:
        return []
    n = draw(st.integers(0, 14))
    out = []
    for i in range(n):
        base = draw(st.sampled_from(events))
        d = base["index_date"]
        follow = draw(st.sampled_from([12, 6]))
        offence = draw(
            st.sampled_from(
                [
                    d,
                    d - datetime.timedelta(days=1),
                    add_months(d, follow) - datetime.timedelta(days=1),
                    add_months(d, follow),
                    add_months(d, follow) + datetime.timedelta(days=1),
                    d + datetime.timedelta(days=364),
                    d + datetime.timedelta(days=365),
                    d + datetime.timedelta(days=draw(st.integers(0, 500))),
                ]
            )
        )
        disposal = draw(
            st.sampled_from(
                [
                    offence,
                    offence + datetime.timedelta(days=draw(st.integers(0, 300))),
                    add_months(d, 18) - datetime.timedelta(days=1),
                    add_months(d, 18),
                    add_months(d, 12) + datetime.timedelta(days=29),
                    add_months(d, 12) + datetime.timedelta(days=30),
                ]
            )
        )
        disposal = max(disposal, offence)
        out.append(
            {
                "offender_id": base["offender_id"],
                "offence_date": offence,
                "disposal_date": disposal,
                "disposal_type": draw(st.sampled_from(["conviction", "conviction", "caution"])),
                "breach": draw(st.booleans()),
                "court_event_id": draw(st.sampled_from(["s1", "s2", "s3"])),
                "ref": f"offence {i}",
            }
        )
    return out


# ------------------------------------------------------------------------------------------------
# Outcomes beyond offences: measures counting them, and arrests, custody spells and wage records
# crowding the windows' edges (a spell starting on a window's last day or ending on its first,
# open spells, 29 February, the 31st of a month)

COUNTINGS = ["arrests", "custody_days", "quarters_employed", "quarters_without_arrest"]
#: (follow-up, starts after, in quarters): the windows the outcome measures are drawn with.
WINDOWS = [
    (Duration(12, "months"), None, False),
    (Duration(365, "days"), None, False),
    (Duration(3, "months"), Duration(9, "months"), False),
    (Duration(30, "days"), Duration(1, "months"), False),
    (Duration(3, "months"), Duration(12, "months"), True),  # quarter 4 after the index date
    (Duration(12, "months"), Duration(3, "months"), True),  # quarters 1 to 4
]


@st.composite
def outcome_measures(draw: st.DrawFn, cohort: str, name: str) -> rules.Measure:
    follow_up, after, quarters = draw(st.sampled_from(WINDOWS))
    return rules.Measure(
        name,
        draw(st.sampled_from(["binary", "per_reoffender", "per_offenders"])),
        cohort,
        per=draw(st.sampled_from([1, 100])),
        counting=draw(st.sampled_from(COUNTINGS)),
        follow_up=follow_up,
        waiting=draw(st.sampled_from([Duration(0, "months"), Duration(3, "months")])),
        starts_after=after,
        quarters=quarters,
    )


@st.composite
def outcome_contracts(draw: st.DrawFn) -> rules.Contract:
    """``contracts()`` with two measures of outcomes beyond offences and one of offences."""
    base = draw(contracts())
    first = base.versions[0].rules
    cohort = first.cohorts[0]
    measures_ = (
        draw(outcome_measures("c", "m1")),
        draw(outcome_measures("c", "m2")),
        *first.measures[:1],
    )
    versions = [rules.Version("original", None, rules.Rules(cohorts=(cohort,), measures=measures_))]
    if len(base.versions) > 1:
        varied = rules.Rules(cohorts=(cohort,), measures=(draw(outcome_measures("c", "m1")),))
        versions.append(rules.Version("variation", D(2016, 1, 1), varied))
    return rules.Contract(base.header, tuple(versions))


def _edges(draw: st.DrawFn, day: datetime.date) -> datetime.date:
    """A day near a window edge of an index event on ``day`` (3, 9, 12, 15 months on, the
    quarter's ends), or anywhere in the next 500 days."""
    quarter = datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    months = draw(st.sampled_from([0, 1, 3, 9, 12, 15, 18]))
    edge = draw(st.sampled_from([add_months(day, months), add_months(quarter, months)]))
    return edge + datetime.timedelta(days=draw(st.sampled_from([-1, 0, 0, 1, 30])))


@st.composite
def arrests(draw: st.DrawFn, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i in range(draw(st.integers(0, 10) if events else st.just(0))):
        base = draw(st.sampled_from(events))
        kind = draw(st.sampled_from(["edge", "edge", "any", "fixed"]))
        if kind == "edge":
            day = _edges(draw, base["index_date"])
        elif kind == "any":
            day = base["index_date"] + datetime.timedelta(days=draw(st.integers(-30, 500)))
        else:
            day = draw(st.sampled_from([D(2016, 2, 29), D(2016, 3, 31), D(2016, 12, 31)]))
        out.append(
            {
                "offender_id": base["offender_id"],
                "arrest_date": day,
                "arrest_id": draw(st.sampled_from([None, "x1", "x2", f"a{i}"])),
                "ref": f"arrest {i}",
            }
        )
    return out


@st.composite
def custody(draw: st.DrawFn, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i in range(draw(st.integers(0, 8) if events else st.just(0))):
        base = draw(st.sampled_from(events))
        start = _edges(draw, base["index_date"])
        end = draw(
            st.sampled_from(
                [
                    None,
                    start,
                    start + datetime.timedelta(days=draw(st.integers(1, 400))),
                    _edges(draw, base["index_date"]),
                ]
            )
        )
        if end is not None and end < start:
            start, end = end, start
        out.append(
            {"offender_id": base["offender_id"], "start_date": start, "end_date": end,
             "ref": f"spell {i}"}
        )
    return out


@st.composite
def employment(draw: st.DrawFn, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i in range(draw(st.integers(0, 10) if events else st.just(0))):
        base = draw(st.sampled_from(events))
        d = base["index_date"]
        quarter = add_months(
            datetime.date(d.year, 3 * ((d.month - 1) // 3) + 1, 1), 3 * draw(st.integers(-1, 6))
        )
        out.append(
            {
                "offender_id": base["offender_id"],
                "quarter": quarter,
                "employed": draw(st.booleans()),
                "earnings": draw(st.sampled_from([None, Decimal("0"), Decimal("1234.56")])),
                "ref": f"wage {i}",
            }
        )
    return out
