#!/usr/bin/env python3
"""Write the example outcome records in examples/: synthetic, deterministic, small.

Real offender records are confidential, so these are made up - but built so that measuring them
as each contract in contracts/ says reproduces the published figures (the public documents
each contract's header lists):

- peterborough/: cohort 1, 142 against 155 reconviction events per 100 (an 8.4% reduction) and
  a 2.3-point lower reconviction rate than the control's 55.7%; cohort 2 (not published, chosen)
  so that the two cohorts together show the published 9% reduction.
- doncaster/: year 1 reconviction 5.7 points and year 2 3.3 points below the (illustrative)
  2009 rate of 58.0%.
- transforming-rehabilitation/: one extract holding three quarterly cohorts each for Cumbria and
  Lancashire (2015-Q4: 41.7% against its 49.9% baseline), Northumbria and Merseyside; each area
  file pays on its own area's records.
- ventura-county-reentry/: 400 enrolled on formal probation and 400 controls, with arrests only
  (offences.csv holds its header): 178 against 200 rearrested within 12 months (5.5 points, the
  published breakeven) and 1,362 quarters without arrest; arrests with several charges share an
  arrest_id, and arrests fall on the edges of the windows and quarters.
- salt-lake-county-reach/: 225 participants and 225 controls with custody spells, arrests and
  quarterly wage records (no offences): 26,800 fewer days in jail or prison and 225 fewer
  arrests over four years than the control group (the published target impact), and 1,190
  quarters employed against 952 (illustrative).

Besides the counted records, every dataset holds records each contract must leave out:
ineligible and excluded index events (with the reason in a column the contract names),
breaches, cautions where only convictions count, offences before the index date or after the
12-month follow-up, disposals after the 6-month waiting period, and boundary cases (an offence
on the index date counts; one exactly 12 months later does not).

Standard library only; a fixed seed, so the files are the same on every run:

    python examples/generate.py            # rewrites the CSV files next to this script
"""

from __future__ import annotations

import calendar
import csv
import datetime
import itertools
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20100909  # the day the Peterborough pilot began

INDEX_COLUMNS = [
    "offender_id", "index_date", "area", "disposal", "sex", "age", "sentence_months",
    "predicted_rate", "group",
]
OFFENCE_COLUMNS = [
    "offender_id", "offence_date", "disposal_date", "disposal_type", "breach", "court_event_id",
]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day n months later, or the last day of that month (SPEC §4)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


class Dataset:
    """The rows of one dataset folder, and the helpers that make offenders and offences."""

    def __init__(self, name: str, prefix: str, extra_columns: list[str], rng: random.Random):
        self.name = name
        self.prefix = prefix
        self.extra = extra_columns
        self.rng = rng
        self.index_rows: list[dict[str, str]] = []
        self.offence_rows: list[dict[str, str]] = []
        self.serial = 0
        self.court_serial = 0

    # -- index events ----------------------------------------------------------------------

    def person(self, index_date: datetime.date, **columns: object) -> str:
        self.serial += 1
        offender = f"{self.prefix}{self.serial:05d}"
        row = {"offender_id": offender, "index_date": index_date.isoformat()}
        for column in INDEX_COLUMNS[2:] + self.extra:
            value = columns.get(column, "")
            if isinstance(value, bool):
                value = "yes" if value else "no"
            row[column] = str(value)
        self.index_rows.append(row)
        return offender

    def dates(self, start: datetime.date, end: datetime.date, n: int) -> list[datetime.date]:
        """n index dates spread over [start, end], sorted."""
        span = (end - start).days
        return sorted(start + days(self.rng.randint(0, span)) for _ in range(n))

    # -- offences --------------------------------------------------------------------------

    def court_event(self) -> str:
        self.court_serial += 1
        return f"{self.prefix}C{self.court_serial:05d}"

    def offence(self, offender: str, offence: datetime.date, disposal: datetime.date,
                disposal_type: str = "conviction", breach: bool = False,
                court_event: str | None = None) -> None:
        assert disposal >= offence
        self.offence_rows.append({
            "offender_id": offender,
            "offence_date": offence.isoformat(),
            "disposal_date": disposal.isoformat(),
            "disposal_type": disposal_type,
            "breach": "yes" if breach else "no",
            "court_event_id": court_event or self.court_event(),
        })

    def proven(self, offender: str, d: datetime.date, units: int, per_event: tuple[int, int],
               types: tuple[str, ...] = ("conviction",), first_on_index_date: bool = False) -> None:
        """``units`` court events, each of per_event[0]..per_event[1] offences, all proven within
        the follow-up (offence in [d, d + 12 months)) and the waiting period (disposal before
        d + 18 months). With per_event (1, 1) each offence is its own court event."""
        for unit in range(units):
            sitting = self.court_event()
            offences = self.rng.randint(*per_event)
            first = 0 if (first_on_index_date and unit == 0) else self.rng.randint(0, 300)
            later = self.rng.sample(range(first + 1, min(360, first + 40) + 1), offences - 1)
            dates = sorted([first] + later)  # distinct days: no two rows alike
            disposal = d + days(dates[-1] + self.rng.randint(14, 150))
            disposal_type = self.rng.choice(types)
            for day in dates:
                self.offence(offender, d + days(day), disposal, disposal_type, court_event=sitting)

    def noise(self, offender: str, d: datetime.date, convictions_only: bool) -> None:
        """One offence that no measure in contracts/ counts for an index event dated d."""
        kinds = ["breach", "before", "after", "late_disposal", "exactly_12_months"]
        if convictions_only:
            kinds.append("caution")
        kind = self.rng.choice(kinds)
        if kind == "breach":
            offence = d + days(self.rng.randint(0, 300))
            self.offence(offender, offence, offence + days(30), "conviction", breach=True)
        elif kind == "before":
            offence = d - days(self.rng.randint(20, 200))
            self.offence(offender, offence, offence + days(self.rng.randint(0, 19)))
        elif kind == "after":
            offence = add_months(d, 12) + days(self.rng.randint(1, 120))
            self.offence(offender, offence, offence + days(30))
        elif kind == "late_disposal":
            offence = d + days(self.rng.randint(200, 300))
            self.offence(offender, offence, add_months(d, 18) + days(self.rng.randint(0, 60)))
        elif kind == "exactly_12_months":
            offence = add_months(d, 12)
            self.offence(offender, offence, offence + days(20))
        else:  # a caution, where only convictions count
            offence = d + days(self.rng.randint(0, 300))
            self.offence(offender, offence, offence + days(10), "caution")

    def split(self, total: int, parts: int, most: int) -> list[int]:
        """``total`` split into ``parts`` whole numbers, each from 1 to ``most``."""
        assert parts <= total <= parts * most
        counts = [1] * parts
        left = total - parts
        while left:
            i = self.rng.randrange(parts)
            if counts[i] < most:
                counts[i] += 1
                left -= 1
        return counts

    # -- writing ---------------------------------------------------------------------------

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.rng.shuffle(self.offence_rows)
        _write(folder / "index_events.csv", INDEX_COLUMNS + self.extra, self.index_rows)
        self.offence_rows.sort(key=lambda r: (r["offender_id"], r["offence_date"], r["court_event_id"]))
        _write(folder / "offences.csv", OFFENCE_COLUMNS, self.offence_rows)


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def group_of(ds: Dataset, start: datetime.date, end: datetime.date, n: int, reoffenders: int,
             units: int, per_event: tuple[int, int], types: tuple[str, ...],
             convictions_only: bool, most: int, noise_share: float, predicted: float,
             **columns: object) -> None:
    """n counted offenders in [start, end]: ``reoffenders`` of them with ``units`` proven units
    between them; ``noise_share`` of everyone also gets one uncounted offence. Half the
    offenders are predicted 5 points above ``predicted`` and half 5 below (n is even), so the
    group's mean predicted rate is exactly ``predicted``. A column given as a function is drawn
    afresh for each offender."""
    assert n % 2 == 0
    dates = ds.dates(start, end, n)
    who = list(range(n))
    ds.rng.shuffle(who)
    counts = dict(zip(who[:reoffenders], ds.split(units, reoffenders, most)))
    for i, d in enumerate(dates):
        rate = predicted + (0.05 if i % 2 == 0 else -0.05)
        person = {k: (v() if callable(v) else v) for k, v in columns.items()}
        offender = ds.person(d, predicted_rate=f"{rate:.4f}".rstrip("0"), **person)
        if i in counts:
            ds.proven(offender, d, counts[i], per_event, types, first_on_index_date=(i % 97 == 0))
        if ds.rng.random() < noise_share:
            ds.noise(offender, d, convictions_only)


# ------------------------------------------------------------------------------------------------
# Peterborough (contracts/peterborough.pbr)

def peterborough(rng: random.Random) -> Dataset:
    ds = Dataset("peterborough", "PB", ["released_from_court"], rng)
    common = dict(area="Peterborough", disposal="custody_release", sex="male",
                  released_from_court=False)
    cohorts = [
        # period, treatment (reoffenders, events), control (reoffenders, events)
        ("cohort 1", datetime.date(2010, 9, 9), datetime.date(2012, 6, 30), (534, 1420), (557, 1550)),
        ("cohort 2", datetime.date(2012, 7, 1), datetime.date(2014, 6, 30), (530, 1401), (556, 1550)),
    ]
    for _label, start, end, (t_r, t_e), (c_r, c_e) in cohorts:
        for group, (r, e) in (("treatment", (t_r, t_e)), ("control", (c_r, c_e))):
            area = common["area"] if group == "treatment" else "other prisons"
            group_of(ds, start, end, 1000, r, e, (1, 2), ("conviction",), True, 12, 0.06, 0.55,
                     **{**common, "area": area}, group=group,
                     age=lambda: rng.randint(18, 60),
                     sentence_months=lambda: rng.choice([1, 2, 3, 4, 6, 9]))
        # Left out by the contract: liberated from court; women; sentences of 12 months or more.
        for d in ds.dates(start, end, 20):
            who = ds.person(d, **{**common, "released_from_court": True}, group="treatment",
                            age=30, sentence_months=2, predicted_rate="0.5")
            ds.proven(who, d, 2, (1, 2))
        for d in ds.dates(start, end, 20):
            who = ds.person(d, **{**common, "sex": "female"}, group="treatment", age=30,
                            sentence_months=3, predicted_rate="0.5")
            ds.proven(who, d, 1, (1, 1))
        for d in ds.dates(start, end, 20):
            ds.person(d, **common, group="control", age=35, sentence_months=18,
                      predicted_rate="0.5")
    return ds


# ------------------------------------------------------------------------------------------------
# Doncaster (contracts/doncaster.pbr): year 1 from 2011-10-01, year 2 from 2012-10-01.

def doncaster(rng: random.Random) -> Dataset:
    extra = ["deported_or_removed_to_irc", "time_served_on_remand", "breach_sentence"]
    ds = Dataset("doncaster", "DN", extra, rng)
    plain = dict(area="Doncaster", disposal="custody_release", sex="male", group="treatment",
                 deported_or_removed_to_irc=False, time_served_on_remand=False,
                 breach_sentence=False)
    years = [
        (datetime.date(2011, 10, 1), datetime.date(2012, 9, 30), 523),  # 52.3% = 58.0 - 5.7
        (datetime.date(2012, 10, 1), datetime.date(2013, 9, 30), 547),  # 54.7% = 58.0 - 3.3
    ]
    for start, end, reconvicted in years:
        group_of(ds, start, end, 1000, reconvicted, reconvicted * 3 // 2, (1, 1), ("conviction",),
                 True, 5, 0.1, 0.55, **plain, age=lambda: rng.randint(18, 60),
                 sentence_months=lambda: rng.choice([2, 6, 12, 24, 48]))
        for reason in extra:
            for d in ds.dates(start, end, 15):
                who = ds.person(d, **{**plain, reason: True}, age=40, sentence_months=6,
                                predicted_rate="0.5")
                ds.proven(who, d, 1, (1, 1))
    return ds


# ------------------------------------------------------------------------------------------------
# Ventura County Project to Support Reentry (contracts/ventura-county-reentry.pbr)
#
# No offences: the contract counts arrests (rearrest within 12 months of enrolment, and the
# quarters 1 to 4 after enrolment with no arrest), so offences.csv holds its header only. Its own
# random generator, so adding it left the other datasets' records as they were.

VENTURA_SEED = 20171109  # the Ventura County Star's report of the launch
VENTURA_START, VENTURA_END = datetime.date(2017, 12, 1), datetime.date(2019, 11, 30)
VENTURA_EXTRACT = datetime.date(2021, 6, 30)
# group: (people, arrested within 12 months, quarters with an arrest among quarters 1 to 4).
# 5.5 points fewer people rearrested than the control group (the published breakeven); the
# rest illustrative: 1,600 - 238 = 1,362 clean quarters, against the controls' 1,332.
VENTURA_GROUPS = {"treatment": (400, 178, 238), "control": (400, 200, 268)}
CHARGES = ["probation violation", "drug possession", "theft", "trespass", "DUI", "vandalism"]


def _quarter(day: datetime.date) -> int:
    """The calendar quarter holding ``day``, numbered from year 0 (so quarters subtract)."""
    return day.year * 4 + (day.month - 1) // 3


def _quarter_days(quarter: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a quarter numbered as _quarter numbers it."""
    first = datetime.date(quarter // 4, quarter % 4 * 3 + 1, 1)
    return first, add_months(first, 3) - days(1)


def ventura_counts(d: datetime.date, arrests: list[datetime.date]) -> tuple[bool, int]:
    """What the contract counts for one person enrolled on d, worked out here independently of
    pbrrules: whether any arrest is in [d, d + 12 months), and how many of quarters 1 to 4 after
    d's own quarter hold an arrest (4 minus the clean quarters)."""
    rearrested = any(d <= a < add_months(d, 12) for a in arrests)
    arrest_quarters = {_quarter(a) for a in arrests} & set(range(_quarter(d) + 1, _quarter(d) + 5))
    return rearrested, len(arrest_quarters)


class Ventura:
    """The rows of examples/ventura-county-reentry: index events (enrolments) and arrests, built
    person by person to exact counts in each person's windows."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.index_rows: list[dict[str, str]] = []
        self.arrests: list[dict[str, str]] = []
        self.serial = self.arrest_serial = 0

    def person(self, d: datetime.date, group: str, disposal: str = "formal_probation",
               age: int | None = None) -> str:
        self.serial += 1
        offender = f"VC{self.serial:05d}"
        self.index_rows.append({
            "offender_id": offender, "index_date": d.isoformat(), "disposal": disposal,
            "age": str(age if age is not None else self.rng.randint(18, 64)), "group": group,
        })
        return offender

    def arrest(self, offender: str, day: datetime.date, charges: int = 1) -> None:
        """One arrest; with several charges, several rows sharing its arrest_id (one arrest)."""
        self.arrest_serial += 1
        arrest_id = f"VCA{self.arrest_serial:05d}"
        for charge in self.rng.sample(CHARGES, charges):
            self.arrests.append({"offender_id": offender, "arrest_date": day.isoformat(),
                                 "arrest_id": arrest_id, "charge": charge})

    def charges(self) -> int:
        return 1 + (self.rng.random() < 0.25) + (self.rng.random() < 0.1)

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        _write(folder / "index_events.csv", ["offender_id", "index_date", "disposal", "age",
                                             "group"], self.index_rows)
        _write(folder / "offences.csv", OFFENCE_COLUMNS, [])
        self.arrests.sort(key=lambda r: (r["offender_id"], r["arrest_date"], r["arrest_id"],
                                         r["charge"]))
        _write(folder / "arrests.csv", ["offender_id", "arrest_date", "arrest_id", "charge"],
               self.arrests)
        (folder / "extract.json").write_text(json.dumps({
            "as_of": VENTURA_EXTRACT.isoformat(),
            "extracted_by": "examples/generate.py (synthetic records, not an extract of real ones)",
            "note": "After every enrolee's windows have closed: the last enrolment (30 Nov 2019), "
                    "its fourth quarter after enrolment (2020-Q4), and six months more.",
        }, indent=2) + "\n", encoding="utf-8")


def _ventura_group(v: Ventura, group: str, n: int, rearrested: int, arrest_quarters: int) -> None:
    """n people enrolled in the period: ``rearrested`` of them arrested within 12 months, and
    ``arrest_quarters`` quarters among quarters 1 to 4 after enrolment holding an arrest, with
    the edges the counting must get right: an arrest on the enrolment date, on the last day of
    the enrolment quarter (rearrest, but no clean quarter lost), on the first day of quarter 1,
    exactly 12 months after enrolment (no rearrest, but quarter 4 lost), on the last day of
    quarter 4, and on the first day of quarter 5 (neither)."""
    rng = v.rng
    span = (VENTURA_END - VENTURA_START).days
    dates = sorted(VENTURA_START + days(rng.randint(0, span)) for _ in range(n))
    people = [v.person(d, group) for d in dates]
    arrests: list[list[datetime.date]] = [[] for _ in range(n)]
    order = list(range(n))
    rng.shuffle(order)
    caught, free = order[:rearrested], order[rearrested:]
    edges = ["index_date", "end_of_quarter_0", "start_of_quarter_1"]
    for j, i in enumerate(caught):  # one arrest each in [d, d + 12 months)
        d = dates[i]
        q0 = _quarter(d)
        edge = edges[j] if j < len(edges) else ""
        if edge == "index_date":
            day = d
        elif edge == "end_of_quarter_0":
            day = _quarter_days(q0)[1]
        elif edge == "start_of_quarter_1":
            day = _quarter_days(q0 + 1)[0]
        else:
            day = d + days(rng.randint(0, (add_months(d, 12) - d).days - 1))
        arrests[i].append(day)
    free_edges = ["exactly_12_months", "end_of_quarter_4", "start_of_quarter_5"]
    for j, i in enumerate(free[:len(free_edges)]):  # edges of people not rearrested
        d, q0 = dates[i], _quarter(dates[i])
        arrests[i].append({"exactly_12_months": add_months(d, 12),
                           "end_of_quarter_4": _quarter_days(q0 + 4)[1],
                           "start_of_quarter_5": _quarter_days(q0 + 5)[0]}[free_edges[j]])
    total = sum(ventura_counts(dates[i], arrests[i])[1] for i in range(n))
    assert total <= arrest_quarters, (group, total)
    while total < arrest_quarters:  # another arrest in a quarter not yet lost, inside 12 months
        i = rng.choice(caught)
        d, q0 = dates[i], _quarter(dates[i])
        lost = {_quarter(a) for a in arrests[i]}
        open_quarters = [q for q in range(q0 + 1, q0 + 5) if q not in lost
                         and _quarter_days(q)[0] < add_months(d, 12)]
        if not open_quarters:
            continue
        first, last = _quarter_days(rng.choice(open_quarters))
        last = min(last, add_months(d, 12) - days(1))
        arrests[i].append(first + days(rng.randint(0, (last - first).days)))
        total += 1
    for i in range(n):
        if rng.random() < 0.15:  # an arrest before enrolment: counted nowhere
            arrests[i].append(dates[i] - days(rng.randint(1, 400)))
        for day in arrests[i]:
            v.arrest(people[i], day, v.charges())
    counted = [ventura_counts(dates[i], arrests[i]) for i in range(n)]
    assert sum(r for r, _ in counted) == rearrested, group
    assert sum(q for _, q in counted) == arrest_quarters, group


def ventura_county_reentry() -> Ventura:
    """400 enrolled and 400 controls on formal probation, with exact counts in their windows;
    besides them, people the contract leaves out: on parole (not formal probation), aged 17,
    and enrolled after the period."""
    v = Ventura(random.Random(VENTURA_SEED))
    for group, (n, rearrested, arrest_quarters) in VENTURA_GROUPS.items():
        _ventura_group(v, group, n, rearrested, arrest_quarters)
    for k in range(6):
        d = VENTURA_START + days(60 * k + 5)
        who = v.person(d, "treatment", disposal="parole")
        v.arrest(who, d + days(30))
        who = v.person(d + days(3), "treatment", age=17)
        v.arrest(who, d + days(40), 2)
    for d in (datetime.date(2019, 12, 2), datetime.date(2020, 1, 15)):  # after the period
        late = v.person(d, "treatment")
        v.arrest(late, d + days(20))
    return v


# ------------------------------------------------------------------------------------------------
# Transforming Rehabilitation (contracts/transforming-rehabilitation/<area>.pbr)

TR_AREAS = {
    # area: (baseline predicted rate, [(quarter start, offenders, reoffenders, reoffences)])
    # 2015-Q4 figures are those of each area file's first worked example; later quarters are
    # illustrative.
    "cumbria-lancashire": ("Cumbria and Lancashire", 0.499, [
        (datetime.date(2015, 10, 1), 1000, 417, 1877),  # 41.7% against 49.9% (published)
        (datetime.date(2016, 1, 1), 300, 129, 596),
        (datetime.date(2016, 4, 1), 300, 134, 616),
    ]),
    "northumbria": ("Northumbria", 0.5517, [
        (datetime.date(2015, 10, 1), 1000, 500, 2450),  # 50.0%, 4.9 against 55.17%, 5.15
        (datetime.date(2016, 1, 1), 300, 153, 750),
        (datetime.date(2016, 4, 1), 300, 159, 795),
    ]),
    "merseyside": ("Merseyside", 0.475, [
        (datetime.date(2015, 10, 1), 1000, 440, 1760),  # 44.0%, 4.0 against 47.5%, 4.17
        (datetime.date(2016, 1, 1), 300, 135, 567),
        (datetime.date(2016, 4, 1), 300, 147, 645),
    ]),
}


def transforming_rehabilitation(rng: random.Random) -> Dataset:
    """One extract for three areas: each area file pays on its own area's records only."""
    ds = Dataset("transforming-rehabilitation", "", ["allocated_to_nps", "single_em_requirement"],
                 rng)
    for stem in TR_AREAS:
        ds.prefix = stem[:2].upper()
        ds.serial = ds.court_serial = 0
        _tr_area(ds, stem)
    return ds


def _tr_area(ds: Dataset, stem: str) -> None:
    rng = ds.rng
    name, predicted, quarters = TR_AREAS[stem]
    for start, n, reoffenders, reoffences in quarters:
        end = add_months(start, 3) - days(1)
        disposals = ["community_order", "suspended_sentence_order", "custody_release"]
        base = dict(area=name, sex="male", group="treatment", allocated_to_nps=False,
                    single_em_requirement=False)
        # The counted cohort, in three disposal groups of equal size.
        third = n // 3 // 2 * 2
        sizes = [third, third, n - 2 * third]
        rates = [min(r, s) for r, s in zip(_share(reoffenders, sizes), sizes)]
        units = _share(reoffences, rates)
        for disposal, size, r, u in zip(disposals, sizes, rates, units):
            group_of(ds, start, end, size, r, u, (1, 1), ("conviction", "conviction", "caution"),
                     False, 15, 0.05, predicted, **base, disposal=disposal,
                     age=lambda: rng.randint(18, 65),
                     sentence_months=lambda: rng.choice([6, 12, 18, 24]))
        # Left out by the template: NPS-allocated; an order whose only requirement is electronic
        # monitoring; a caution (not a CRC disposal); a second order in the same quarter.
        for d in ds.dates(start, end, 20):
            who = ds.person(d, **{**base, "allocated_to_nps": True}, disposal="community_order",
                            age=40, sentence_months=12, predicted_rate="0.3")
            ds.proven(who, d, 2, (1, 1))
        for d in ds.dates(start, end, 10):
            ds.person(d, **{**base, "single_em_requirement": True},
                      disposal="suspended_sentence_order", age=30, sentence_months=6,
                      predicted_rate="0.4")
        for d in ds.dates(start, end, 10):
            ds.person(d, **base, disposal="caution", age=25, sentence_months=0,
                      predicted_rate="0.4")
        firsts = [r for r in ds.index_rows
                  if r["index_date"] >= start.isoformat() and r["index_date"] <= end.isoformat()
                  and r["area"] == name and r["disposal"] == "community_order"
                  and r["allocated_to_nps"] == "no"]
        for row in firsts[:10]:  # a later, second order for the same person: counted once
            first = datetime.date.fromisoformat(row["index_date"])
            if first < end:
                again = dict(row, index_date=(first + days(1)).isoformat(),
                             disposal="suspended_sentence_order")
                ds.index_rows.append(again)


def _share(total: int, weights: list[int]) -> list[int]:
    """``total`` shared in proportion to ``weights`` (largest remainders), in whole numbers."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    shares = [int(x) for x in exact]
    for i in sorted(range(len(weights)), key=lambda i: exact[i] - shares[i], reverse=True):
        if sum(shares) == total:
            break
        shares[i] += 1
    return shares



# ------------------------------------------------------------------------------------------------
# Salt Lake County REACH (contracts/salt-lake-county-reach.pbr)
#
# No offences: the contract measures days in jail or prison (custody spells), statewide arrests
# and quarters employed (wage records), so offences.csv holds its header only. Its own random
# generator, so adding it left the other datasets' records as they were.

REACH_SEED = 20161214  # the date of the Pay for Success Agreement
REACH_START, REACH_END = datetime.date(2017, 1, 1), datetime.date(2018, 12, 31)
REACH_EXTRACT = datetime.date(2023, 6, 30)
# group: (people, with custody, days, arrested, arrests, employed, quarters employed).
# 26,800 days and 225 arrests fewer than the control group (published); the rest illustrative:
# days 35.0% and arrests 35.0% below the control group's, quarters employed 25% above.
REACH_GROUPS = {
    "treatment": (225, 170, 49_770, 160, 418, 170, 1_190),
    "control": (225, 200, 76_570, 190, 643, 150, 952),
}


class Reach:
    """The rows of examples/salt-lake-county-reach: index events, custody spells, arrests and
    wage records, built person by person to exact counts in each person's windows."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.index_rows: list[dict[str, str]] = []
        self.custody: list[dict[str, str]] = []
        self.arrests: list[dict[str, str]] = []
        self.wages: list[dict[str, str]] = []
        self.serial = self.arrest_serial = 0
        self.shapes: dict[str, int] = {}

    def person(self, index_date: datetime.date, group: str) -> str:
        self.serial += 1
        offender = f"SL{self.serial:05d}"
        self.index_rows.append({"offender_id": offender, "index_date": index_date.isoformat(),
                                "group": group})
        return offender

    # -- custody: k days in [d, d + 48 months) ---------------------------------------------

    def spell(self, offender: str, start: datetime.date, end: datetime.date | None,
              facility: str) -> None:
        self.custody.append({"offender_id": offender, "start_date": start.isoformat(),
                             "end_date": end.isoformat() if end else "", "facility": facility})

    def custody_days(self, offender: str, d: datetime.date, k: int, shape: str) -> None:
        """Spells holding exactly k days of the window [d, d + 48 months), in one of the shapes
        the data standard must count right: spells apart, an open spell (to the extract date),
        two overlapping spells (a day counted once), a spell crossing the window's end or its
        start (only the days inside count)."""
        end = add_months(d, 48)
        length = (end - d).days
        assert 1 <= k <= length - 40
        self.shapes[shape] = self.shapes.get(shape, 0) + 1
        if shape == "open":
            self.spell(offender, end - days(k), None, "Utah State Prison")
        elif shape == "crossing_end":
            self.spell(offender, end - days(k), end + days(self.rng.randint(1, 90)),
                       "Utah State Prison")
        elif shape == "crossing_start":
            self.spell(offender, d - days(self.rng.randint(1, 30)), d + days(k - 1),
                       "Salt Lake County Jail")
        elif shape == "overlap":  # jail holds him on remand while prison records its own spell
            first = self.rng.randint(k // 2, k - 1)
            start = d + days(self.rng.randint(0, length - k - 1))
            self.spell(offender, start, start + days(first - 1), "Salt Lake County Jail")
            self.spell(offender, start + days(first - 1 - self.rng.randint(0, first - 1)),
                       start + days(k - 1), "Utah State Prison")
        else:
            parts = self._split(k, min(3, k))
            free = length - k - len(parts)  # at least a day apart: every spell its own days
            cuts = sorted(self.rng.randint(0, free) for _ in parts)
            at, used = d, 0
            for part, cut in zip(parts, cuts, strict=True):
                at = d + days(cut + used)
                facility = self.rng.choice(["Salt Lake County Jail", "Utah State Prison"])
                self.spell(offender, at, at + days(part - 1), facility)
                used += part + 1

    def _split(self, total: int, parts: int) -> list[int]:
        """``total`` in ``parts`` whole numbers of at least 1."""
        cuts = sorted(self.rng.sample(range(1, total), parts - 1)) if parts > 1 else []
        edges = [0, *cuts, total]
        return [b - a for a, b in itertools.pairwise(edges)]

    # -- arrests: n arrests in the window ----------------------------------------------------

    def arrest(self, offender: str, day: datetime.date, charges: int = 1) -> None:
        self.arrest_serial += 1
        arrest_id = f"SLA{self.arrest_serial:05d}"
        for charge in self.rng.sample(["drug possession", "theft", "trespass", "assault",
                                       "probation violation", "DUI"], charges):
            self.arrests.append({"offender_id": offender, "arrest_date": day.isoformat(),
                                 "arrest_id": arrest_id, "charge": charge})

    def arrests_in_window(self, offender: str, d: datetime.date, n: int, first: bool) -> None:
        """n arrests in [d, d + 48 months), some with several charges (rows sharing an
        arrest_id: one arrest); with ``first`` the first is on the index date itself."""
        length = (add_months(d, 48) - d).days
        for i in range(n):
            day = d if (first and i == 0) else d + days(self.rng.randint(0, length - 1))
            self.arrest(offender, day, 2 if self.rng.random() < 0.2 else 1)

    # -- wage records: q quarters employed among quarters 1 to 8 after the index date --------

    def wage(self, offender: str, quarter: tuple[int, int], employed: bool,
             earnings: str) -> None:
        self.wages.append({"offender_id": offender, "quarter": f"{quarter[0]}-Q{quarter[1]}",
                           "employed": "yes" if employed else "no", "earnings": earnings})

    def employment(self, offender: str, d: datetime.date, q: int) -> None:
        """q of the eight quarters after the index date's quarter with wage records saying
        employed; one person in ten has two employers in one of them (counted once)."""
        chosen = sorted(self.rng.sample(range(1, 9), q))
        for n in chosen:
            quarter = _quarter_after(d, n)
            self.wage(offender, quarter, True, self._earnings())
            if self.rng.random() < 0.1:
                self.wage(offender, quarter, True, self._earnings())

    def _earnings(self) -> str:
        return f"{self.rng.randint(50_000, 900_000) / 100:.2f}"

    # -- records no measure counts -------------------------------------------------------------

    def noise(self, offender: str, d: datetime.date) -> None:
        """One record outside every window: custody or an arrest before the index date or from
        the window's end, a wage record in the index date's own quarter or the ninth after, or
        a wage record saying not employed."""
        end = add_months(d, 48)
        kind = self.rng.choice(["spell_before", "arrest_before", "arrest_at_end", "arrest_after",
                                "quarter_0", "quarter_9", "not_employed"])
        if kind == "spell_before":
            start = d - days(self.rng.randint(60, 400))
            self.spell(offender, start, start + days(self.rng.randint(0, 50)),
                       "Salt Lake County Jail")
        elif kind == "arrest_before":
            self.arrest(offender, d - days(self.rng.randint(1, 300)))
        elif kind == "arrest_at_end":  # the window runs up to, not including, its end
            self.arrest(offender, end)
        elif kind == "arrest_after":
            self.arrest(offender, end + days(self.rng.randint(1, 200)))
        elif kind == "quarter_0":
            self.wage(offender, _quarter_after(d, 0), True, self._earnings())
        elif kind == "quarter_9":
            self.wage(offender, _quarter_after(d, 9), True, self._earnings())
        else:
            self.wage(offender, _quarter_after(d, self.rng.randint(1, 8)), False, "0.00")

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        _write(folder / "index_events.csv", ["offender_id", "index_date", "group"],
               self.index_rows)
        _write(folder / "offences.csv", OFFENCE_COLUMNS, [])
        self.custody.sort(key=lambda r: (r["offender_id"], r["start_date"], r["end_date"]))
        _write(folder / "custody.csv", ["offender_id", "start_date", "end_date", "facility"],
               self.custody)
        self.arrests.sort(key=lambda r: (r["offender_id"], r["arrest_date"], r["arrest_id"],
                                         r["charge"]))
        _write(folder / "arrests.csv", ["offender_id", "arrest_date", "arrest_id", "charge"],
               self.arrests)
        self.wages.sort(key=lambda r: (r["offender_id"], r["quarter"]))
        _write(folder / "employment.csv", ["offender_id", "quarter", "employed", "earnings"],
               self.wages)
        (folder / "extract.json").write_text(json.dumps({
            "as_of": REACH_EXTRACT.isoformat(),
            "extracted_by": "examples/generate.py (synthetic records, not an extract of real ones)",
            "note": "After every enrolee's four-year window has closed: the last enrolment "
                    "(31 Dec 2018) plus 48 months, and six months more.",
        }, indent=2) + "\n", encoding="utf-8")


def _quarter_after(d: datetime.date, n: int) -> tuple[int, int]:
    """The calendar quarter n quarters after the index date's own (n = 0: its own)."""
    q0 = d.year * 4 + (d.month - 1) // 3 + n
    return q0 // 4, q0 % 4 + 1


def salt_lake_county_reach() -> Reach:
    """225 participants and 225 controls enrolled in 2017-18, with exact counts in their
    windows; two enrolled after the period (outside every window, with records of their own)."""
    reach = Reach(random.Random(REACH_SEED))
    rng = reach.rng
    shapes = ["open", "crossing_end", "crossing_start", "overlap"]
    for group, (n, jailed, total_days, arrested, total_arrests, employed, quarters) in \
            REACH_GROUPS.items():
        dates = sorted(REACH_START + days(rng.randint(0, (REACH_END - REACH_START).days))
                       for _ in range(n))
        people = [reach.person(d, group) for d in dates]
        order = list(range(n))
        for count, total, most, fill in (
            (jailed, total_days, 1_200, "custody"),
            (arrested, total_arrests, 12, "arrests"),
            (employed, quarters, 8, "employment"),
        ):
            rng.shuffle(order)
            split = _bounded_split(rng, total, count, most)
            for j, (i, k) in enumerate(zip(order[:count], split, strict=True)):
                if fill == "custody":
                    shape = shapes[j] if j < len(shapes) and k > 40 else "apart"
                    reach.custody_days(people[i], dates[i], k, shape)
                elif fill == "arrests":
                    reach.arrests_in_window(people[i], dates[i], k, first=(j == 0))
                else:
                    reach.employment(people[i], dates[i], k)
        for i in range(n):
            if rng.random() < 0.3:
                reach.noise(people[i], dates[i])
        # a "no" row for a quarter in the window, whatever else the person has
        reach.wage(people[1], _quarter_after(dates[1], 1), False, "0.00")
    for d in (datetime.date(2019, 1, 7), datetime.date(2019, 2, 11)):  # after the period
        late = reach.person(d, "treatment")
        reach.arrest(late, d + days(40))
        reach.spell(late, d + days(40), d + days(45), "Salt Lake County Jail")
        reach.wage(late, _quarter_after(d, 1), True, "3120.00")
    return reach


def _bounded_split(rng: random.Random, total: int, parts: int, most: int) -> list[int]:
    """``total`` in ``parts`` whole numbers from 1 to ``most``, in random order."""
    assert parts <= total <= parts * most
    counts = [1] * parts
    left = total - parts
    while left:
        i = rng.randrange(parts)
        step = min(left, most - counts[i], rng.randint(1, max(1, total // parts)))
        counts[i] += step
        left -= step
    return counts


def main() -> None:
    rng = random.Random(SEED)
    peterborough(rng).write(HERE / "peterborough")
    doncaster(rng).write(HERE / "doncaster")
    transforming_rehabilitation(rng).write(HERE / "transforming-rehabilitation")
    ventura_county_reentry().write(HERE / "ventura-county-reentry")
    salt_lake_county_reach().write(HERE / "salt-lake-county-reach")


if __name__ == "__main__":
    main()
