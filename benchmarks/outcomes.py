"""Measure pbrrules on the outcome tables beyond offences (arrests, custody spells, quarterly wage
records) against one bare DuckDB query computing the same figures, in one run.

    python benchmarks/outcomes.py 100k --runs 3     # 100,000 people (1k, 10k, 100k, 1m)

The data is generated deterministically into benchmarks/data/outcomes-<label>/ (git-ignored):
one index event per person (a quarter's releases from 2018-Q1 to 2019-Q4, half of them a control
group), about two arrests, one custody spell and eight wage records per person, spells never
overlapping (so that the bare query needs no merging and the two must agree to the day). Each
task runs in a fresh process, interleaved run by run; wall time is the whole process (start-up
and imports included), peak memory its maximum resident set size. The totals of both must agree.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
D = datetime.date
START = D(2018, 1, 1)

CONTRACT = """contract "Outcomes benchmark"
  currency USD

cohort releases:
  quarterly from 2018-01-01 to 2019-12-31
  control group when group is "control"

measure arrests:
  frequency per 1 offenders of releases
  counting arrests
  follow-up 12 months

measure custody:
  frequency per 1 offenders of releases
  counting custody days
  follow-up 12 months

measure employed:
  frequency per 1 offenders of releases
  counting quarters employed
  follow-up quarters 1 to 4 after the index date
  higher is better

term quarters:
  pay $450 per unit counted in employed
"""

# The same figures by hand: per group, people, arrests in [d, d + 12 months), custody days in
# that window (spells clipped to it, both ends counted; open spells to the extract date), and
# calendar quarters 1 to 4 after the index date's with a wage record saying employed.
BARE_SQL = """
WITH ie AS (SELECT offender_id, index_date, "group",
                   index_date + INTERVAL 12 MONTH AS wend,
                   date_trunc('quarter', index_date) + INTERVAL 3 MONTH AS qstart
            FROM read_csv('{folder}/index_events.csv', header=true,
                          columns={{'offender_id':'VARCHAR','index_date':'DATE','group':'VARCHAR'}})),
a AS (SELECT ie."group", count(*) AS n FROM ie
      JOIN read_csv('{folder}/arrests.csv', header=true,
                    columns={{'offender_id':'VARCHAR','arrest_date':'DATE'}}) r
        ON r.offender_id = ie.offender_id
       AND r.arrest_date >= ie.index_date AND r.arrest_date < ie.wend
      GROUP BY 1),
c AS (SELECT ie."group",
             sum(greatest(0, date_diff('day', greatest(s.start_date, ie.index_date),
                 least(coalesce(s.end_date, DATE '{as_of}'), ie.wend - INTERVAL 1 DAY)) + 1)) AS n
      FROM ie JOIN read_csv('{folder}/custody.csv', header=true,
                   columns={{'offender_id':'VARCHAR','start_date':'DATE','end_date':'DATE'}}) s
        ON s.offender_id = ie.offender_id
      GROUP BY 1),
e AS (SELECT ie."group", count(*) AS n FROM ie
      JOIN read_csv('{folder}/employment.csv', header=true,
                    columns={{'offender_id':'VARCHAR','quarter':'VARCHAR','employed':'VARCHAR'}}) w
        ON w.offender_id = ie.offender_id AND w.employed = 'yes'
       AND make_date(CAST(left(w.quarter, 4) AS INTEGER),
                     3 * CAST(right(w.quarter, 1) AS INTEGER) - 2, 1)
           BETWEEN ie.qstart AND ie.qstart + INTERVAL 9 MONTH
      GROUP BY 1),
p AS (SELECT "group", count(*) AS n FROM ie GROUP BY 1)
SELECT p."group", p.n, a.n, c.n, e.n FROM p
LEFT JOIN a USING ("group") LEFT JOIN c USING ("group") LEFT JOIN e USING ("group")
ORDER BY 1
"""

AS_OF = D(2021, 6, 30)


def _quarter(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def generate(folder: Path, people: int, seed: int = 2018) -> None:
    """Write the five tables of ``people`` people into ``folder`` (deterministic)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "extract.json").write_text(f'{{"as_of": "{AS_OF.isoformat()}"}}\n')
    with (folder / "offences.csv").open("w", newline="") as handle:
        handle.write("offender_id,offence_date,disposal_date,disposal_type,breach\n")
    files = {name: (folder / f"{name}.csv").open("w", newline="")
             for name in ("index_events", "arrests", "custody", "employment")}
    try:
        out = {name: csv.writer(handle) for name, handle in files.items()}
        out["index_events"].writerow(["offender_id", "index_date", "group"])
        out["arrests"].writerow(["offender_id", "arrest_date"])
        out["custody"].writerow(["offender_id", "start_date", "end_date"])
        out["employment"].writerow(["offender_id", "quarter", "employed"])
        for i in range(people):
            who = f"p{i:07d}"
            day = START + datetime.timedelta(days=rng.randrange(730))
            out["index_events"].writerow(
                [who, day.isoformat(), "control" if i % 2 else "treatment"])
            for offset in sorted(rng.sample(range(-60, 500), rng.randrange(5))):
                arrest = day + datetime.timedelta(days=offset)
                out["arrests"].writerow([who, arrest.isoformat()])
            if rng.random() < 0.6:
                begin = day + datetime.timedelta(days=rng.randrange(-30, 400))
                end = begin + datetime.timedelta(days=rng.randrange(120))
                open_spell = end > AS_OF or rng.random() < 0.02
                out["custody"].writerow(
                    [who, begin.isoformat(), "" if open_spell else end.isoformat()])
            quarter = D(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
            for step in range(-1, 7):
                month = quarter.month - 1 + 3 * step
                start = D(quarter.year + month // 12, month % 12 + 1, 1)
                if start <= AS_OF and rng.random() < 0.5:
                    employed = "yes" if rng.random() < 0.8 else "no"
                    out["employment"].writerow([who, _quarter(start), employed])
    finally:
        for handle in files.values():
            handle.close()


def task_pbrrules(folder: Path) -> str:
    """The whole measurement: reading, checking, cohorts, windows, counts, accounting."""
    from pbrrules.compiler import compile_contract
    from pbrrules.measure import load_outcomes, measure

    result = measure(compile_contract(CONTRACT), load_outcomes(folder))
    totals: dict[str, list[int]] = {}
    for unit in result.figures:
        for name, group in (("control", unit.control), ("treatment", unit.treatment)):
            if group is None:
                continue
            row = totals.setdefault(name, [0, 0, 0, 0])
            row[0] += group.offenders
            for i, measure_name in enumerate(("arrests", "custody", "employed"), start=1):
                row[i] += group.counts[measure_name].reoffences
    return repr(sorted((name, *row) for name, row in totals.items()))


def task_duckdb(folder: Path) -> str:
    """One bare DuckDB query: the same totals, no checks, no accounting."""
    import duckdb

    con = duckdb.connect()
    rows = con.execute(BARE_SQL.format(folder=folder, as_of=AS_OF.isoformat())).fetchall()
    return repr(
        sorted((g, int(n), int(a or 0), int(c or 0), int(e or 0)) for g, n, a, c, e in rows)
    )


def run_once(task: str, folder: Path) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MiB, totals) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--task", task, str(folder)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out = proc.stdout.read() if proc.stdout else ""
    if status != 0:
        raise SystemExit(f"{task} failed:\n{proc.stderr.read() if proc.stderr else ''}")
    return wall, usage.ru_maxrss / 1024, out.strip()


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--task":  # one task in this process
        compute = task_pbrrules if sys.argv[2] == "pbrrules" else task_duckdb
        print(compute(Path(sys.argv[3])))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", default=["100k"], choices=sorted(SIZES))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for label in args.sizes:
        folder = HERE / "data" / f"outcomes-{label}"
        if not (folder / "employment.csv").exists():
            generate(folder, SIZES[label])
        times: dict[str, list[float]] = {"pbrrules": [], "duckdb": []}
        memory: dict[str, list[float]] = {"pbrrules": [], "duckdb": []}
        answers: set[str] = set()
        for _ in range(args.runs):
            for task in ("pbrrules", "duckdb"):
                wall, rss, answer = run_once(task, folder)
                times[task].append(wall)
                memory[task].append(rss)
                answers.add(answer)
        if len(answers) != 1:
            raise SystemExit(f"the totals disagree: {sorted(answers)}")
        ours, bare = statistics.median(times["pbrrules"]), statistics.median(times["duckdb"])
        print(f"{label}: pbrrules {ours:.2f} s ({statistics.median(memory['pbrrules']):.0f} MiB), "
              f"bare DuckDB {bare:.2f} s ({statistics.median(memory['duckdb']):.0f} MiB): "
              f"{ours / bare:.2f}x; totals {answers.pop()}")


if __name__ == "__main__":
    main()
