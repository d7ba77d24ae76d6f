"""Generate the illustrative Doncaster outcome records (fixed seed, so the files never change).

Three contract years of 400 releases each (plus a few excluded ones), with 209, 219 and 200
reoffenders: 5.75, 3.25 and 8 points below the illustrative 2009 rate of 58%; a fourth,
cancelled year; breaches that must not count. Run: python tests/pay/data/doncaster/generate.py
"""

from __future__ import annotations

import csv
import datetime
import random
from pathlib import Path

HERE = Path(__file__).parent
YEARS = [
    (datetime.date(2011, 10, 1), 400, 209),
    (datetime.date(2012, 10, 1), 400, 219),
    (datetime.date(2013, 10, 1), 400, 200),
    (datetime.date(2014, 10, 1), 100, 60),
]
FLAGS = ("deported_or_removed_to_irc", "time_served_on_remand", "breach_sentence")


def main() -> None:
    rng = random.Random(2011)
    with (
        (HERE / "index_events.csv").open("w", newline="", encoding="utf-8") as index_file,
        (HERE / "offences.csv").open("w", newline="", encoding="utf-8") as offence_file,
    ):
        index = csv.writer(index_file, lineterminator="\n")
        offences = csv.writer(offence_file, lineterminator="\n")
        index.writerow(
            [
                "offender_id",
                "index_date",
                "area",
                "disposal",
                "sex",
                "age",
                "sentence_months",
                *FLAGS,
            ]
        )
        offences.writerow(
            [
                "offender_id",
                "offence_date",
                "disposal_date",
                "disposal_type",
                "breach",
                "court_event_id",
            ]
        )
        n = 0
        for start, size, reoffenders in YEARS:
            people = []
            for _ in range(size):
                n += 1
                person = f"D{n:05d}"
                day = start + datetime.timedelta(days=rng.randrange(365))
                index.writerow(
                    [
                        person,
                        day.isoformat(),
                        "Doncaster",
                        "custody_release",
                        rng.choice(["male", "male", "female"]),
                        rng.randrange(18, 60),
                        rng.randrange(1, 48),
                        "no",
                        "no",
                        "no",
                    ]
                )
                people.append((person, day))
            for person, day in rng.sample(people, reoffenders):
                for k in range(rng.randrange(1, 4)):
                    offence = day + datetime.timedelta(days=rng.randrange(1, 360))
                    disposal = offence + datetime.timedelta(days=rng.randrange(10, 150))
                    offences.writerow(
                        [
                            person,
                            offence.isoformat(),
                            disposal.isoformat(),
                            "conviction",
                            "no",
                            f"C{person}-{k}",
                        ]
                    )
            for person, day in rng.sample(people, 15):  # breaches never count
                offence = day + datetime.timedelta(days=rng.randrange(1, 300))
                disposal = offence + datetime.timedelta(days=30)
                offences.writerow(
                    [person, offence.isoformat(), disposal.isoformat(), "conviction", "yes", ""]
                )
            for flag in range(len(FLAGS)):  # excluded releases, one rule each
                for _ in range(4):
                    n += 1
                    day = start + datetime.timedelta(days=rng.randrange(365))
                    flags = ["yes" if i == flag else "no" for i in range(len(FLAGS))]
                    index.writerow(
                        [
                            f"D{n:05d}",
                            day.isoformat(),
                            "Doncaster",
                            "custody_release",
                            "male",
                            30,
                            6,
                            *flags,
                        ]
                    )


if __name__ == "__main__":
    main()
