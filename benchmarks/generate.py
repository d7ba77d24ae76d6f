"""Deterministic synthetic outcome records for the measurement benchmark.

21 areas, index dates 2015-01-01 .. 2019-12-31, about 45% of index events followed by 1-12
offences (about 1.6 offences per index event), breaches, cautions, several offences per court
sitting, some people with several index events. Written as CSV and Parquet under
benchmarks/data/<size>/ (git-ignored).

    python benchmarks/generate.py 100k 1m 5m
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

DATA = Path(__file__).parent / "data"
SIZES = {"100k": 100_000, "1m": 1_000_000, "5m": 5_000_000}
AREAS = [f"Area {i:02d}" for i in range(1, 22)]
DISPOSALS = ["community_order", "custody_release", "suspended_sentence_order", "fine"]
EPOCH = datetime.date(1970, 1, 1)
FIRST = (datetime.date(2015, 1, 1) - EPOCH).days
LAST = (datetime.date(2019, 12, 31) - EPOCH).days


def generate(n: int, seed: int = 20150101) -> tuple[pa.Table, pa.Table]:
    """``n`` index events and their offences, the same for the same ``n`` and ``seed``."""
    rng = np.random.default_rng(seed)
    people = int(n * 0.85)
    person = np.concatenate([np.arange(people), rng.integers(0, people, n - people)])
    rng.shuffle(person)
    days = rng.integers(FIRST, LAST + 1, n)
    # a person's index events may coincide on a date only by chance: move such repeats a day on
    order = np.lexsort((days, person))
    same = np.zeros(n, dtype=bool)
    same[order[1:]] = (person[order[1:]] == person[order[:-1]]) & (
        days[order[1:]] <= days[order[:-1]]
    )
    while same.any():
        days[same] += 1
        order = np.lexsort((days, person))
        same[:] = False
        same[order[1:]] = (person[order[1:]] == person[order[:-1]]) & (
            days[order[1:]] <= days[order[:-1]]
        )
    offender = np.char.add("P", np.char.zfill(person.astype(str), 8))
    area = np.array(AREAS)[person % len(AREAS)]
    disposal = np.array(DISPOSALS)[rng.choice(4, n, p=[0.45, 0.33, 0.19, 0.03])]
    sex = np.where(rng.random(n) < 0.85, "male", "female")
    age = rng.integers(16, 75, n)
    sentence = np.where(disposal == "custody_release", rng.integers(1, 48, n), 0)
    predicted = rng.integers(50, 951, n)  # thousandths: 0.050 .. 0.950
    index_events = pa.table(
        {
            "offender_id": offender,
            "index_date": pa.array(days.astype("datetime64[D]"), pa.date32()),
            "area": area,
            "disposal": disposal,
            "sex": sex,
            "age": age,
            "sentence_months": sentence,
            "predicted_rate": pa.array([f"0.{p:03d}" for p in predicted.tolist()]).cast(
                pa.decimal128(6, 3)
            ),
            "group": np.full(n, "treatment"),
        }
    )
    reoffends = rng.random(n) < 0.45
    counts = np.where(reoffends, np.minimum(rng.geometric(0.27, n), 12), 0)
    owner = np.repeat(np.arange(n), counts)
    m = len(owner)
    offence_day = days[owner] + rng.integers(0, 430, m)
    # offences of one index event are sentenced at 1-3 sittings
    sitting = rng.integers(0, 3, m)
    delay = (rng.integers(0, 280, n * 3).reshape(n, 3))[owner, sitting]
    disposal_day = offence_day + delay
    disposal_type = np.where(rng.random(m) < 0.8, "conviction", "caution")
    breach = np.where(rng.random(m) < 0.07, "yes", "no")
    court = np.char.add(np.char.add("C", owner.astype(str)), np.char.add("-", sitting.astype(str)))
    offences = pa.table(
        {
            "offence_id": np.char.add("O", np.arange(m).astype(str)),
            "offender_id": offender[owner],
            "offence_date": pa.array(offence_day.astype("datetime64[D]"), pa.date32()),
            "disposal_date": pa.array(disposal_day.astype("datetime64[D]"), pa.date32()),
            "disposal_type": disposal_type,
            "breach": breach,
            "court_event_id": court,
        }
    )
    return index_events, offences.take(rng.permutation(m))


def write(label: str) -> None:
    """Write both tables of size ``label`` as CSV and Parquet."""
    index_events, offences = generate(SIZES[label])
    for fmt in ("csv", "parquet"):
        folder = DATA / label / fmt
        folder.mkdir(parents=True, exist_ok=True)
        for name, table in (("index_events", index_events), ("offences", offences)):
            if fmt == "csv":
                pacsv.write_csv(table, folder / f"{name}.csv")
            else:
                pq.write_table(table, folder / f"{name}.parquet")
    print(f"{label}: {index_events.num_rows} index events, {offences.num_rows} offences")


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["100k"]:
        write(arg)
