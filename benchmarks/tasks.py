"""The computations the benchmark compares, each run in its own process:

    python benchmarks/tasks.py pbrrules|duckdb|checked|pandas FOLDER FORMAT

``pbrrules`` is the whole measurement (load_outcomes + measure: reading, checking, cohorts,
counts, accounting, file hashes) of a TR-style contract; ``duckdb`` is one hand-written DuckDB
query computing the same figures from the same files; ``checked`` that query followed by the
checks of repeated rows and unknown offenders SPEC section 4 requires (``CHECKS_SQL``), written
as plainly; ``pandas`` a straightforward pandas computation of them. Each prints a digest of
its figures so the runner can check they agree.
"""

from __future__ import annotations

import datetime
import hashlib
import sys
from fractions import Fraction
from pathlib import Path

D = datetime.date
START, END = D(2015, 1, 1), D(2019, 12, 31)
DISPOSALS = ("community_order", "custody_release", "suspended_sentence_order")


def tr_contract():  # type: ignore[no-untyped-def]
    """A TR-style contract: quarterly cohorts per area, binary and frequency measures."""
    from pbrrules import rules
    from pbrrules.values import Quantity, Unit

    cohort = rules.Cohort(
        "crc",
        eligible=rules.OneOf("disposal", DISPOSALS),
        exclusions=(
            rules.Exclusion(
                rules.FieldTest("age", "<", Quantity(Fraction(18), Unit.NUMBER)), "under 18"
            ),
        ),
        periods=(rules.Quarterly(START, END),),
        grouped_by="area",
    )
    measures = (
        rules.Measure("binary", "binary", "crc"),
        rules.Measure("frequency", "per_reoffender", "crc"),
    )
    return rules.Contract(
        rules.Header("contract", "TR benchmark"),
        (rules.Version("original", None, rules.Rules(cohorts=(cohort,), measures=measures)),),
    )


def digest(rows: list[tuple[str, str, int, Fraction, int, int, int]]) -> str:
    """(quarter, area, N, predicted sum, R, O, duplicates) rows -> a short hash."""
    text = "\n".join(repr(r) for r in sorted(rows))
    return hashlib.sha256(text.encode()).hexdigest()[:16] + f" ({len(rows)} units)"


def run_pbrrules(folder: Path) -> str:
    from pbrrules.measure import load_outcomes, measure

    result = measure(tr_contract(), load_outcomes(folder))
    assert result.accounting.reconciles
    rows = []
    for f in result.figures:
        t = f.treatment
        if t.offenders == 0:
            continue
        dups = dict(f.excluded).get(
            "duplicate index event (a later index event of the same offender in the same cohort)", 0
        )
        rows.append(
            (
                f.period,
                f.area or "",
                t.offenders,
                t.predicted or Fraction(0),
                t.counts["binary"].reoffenders,
                t.counts["binary"].reoffences,
                dups,
            )
        )
    return digest(rows)


BARE_SQL = """
WITH ie AS (
    SELECT offender_id, index_date, area, CAST(predicted_rate AS DECIMAL(18, 12)) AS predicted,
           year(index_date) || '-Q' || quarter(index_date) AS q
    FROM {ie}
    WHERE disposal IN ('community_order', 'custody_release', 'suspended_sentence_order')
      AND NOT coalesce(age < 18, FALSE)
      AND index_date BETWEEN DATE '2015-01-01' AND DATE '2019-12-31'
),
firsts AS (
    SELECT q, area, offender_id, min(index_date) AS index_date,
           arg_min(predicted, index_date) AS predicted, count(*) - 1 AS dups
    FROM ie GROUP BY q, area, offender_id
),
people AS (
    SELECT f.q, f.area, f.offender_id, count(*) AS o
    FROM firsts f JOIN {off} o ON o.offender_id = f.offender_id
    WHERE o.offence_date >= f.index_date
      AND o.offence_date < CAST(f.index_date + INTERVAL 12 MONTH AS DATE)
      AND o.disposal_date < CAST(f.index_date + INTERVAL 18 MONTH AS DATE)
      AND o.disposal_type IN ('conviction', 'caution') AND o.breach = 'no'
    GROUP BY f.q, f.area, f.offender_id
),
sizes AS (
    SELECT q, area, count(*) AS n, sum(predicted) AS predicted, sum(dups) AS dups
    FROM firsts GROUP BY q, area
),
counts AS (SELECT q, area, count(*) AS r, sum(o) AS o FROM people GROUP BY q, area)
SELECT s.q, s.area, s.n, s.predicted, coalesce(c.r, 0), coalesce(c.o, 0), s.dups
FROM sizes s LEFT JOIN counts c ON c.q = s.q AND c.area = s.area
"""


#: The checks SPEC section 4 requires of every input, written as plainly as the bare query:
#: repeated rows in each table, offences of offenders without an index event. The ``checked``
#: task runs them after the bare query: the least a measurement that checks its input can do.
CHECKS_SQL = (
    "SELECT count(*) - count(DISTINCT h) FROM (SELECT hash(*COLUMNS(*)) AS h FROM {ie})",
    "SELECT count(*) - count(DISTINCT h) FROM (SELECT hash(*COLUMNS(*)) AS h FROM {off})",
    "SELECT count(*) FROM {off} WHERE offender_id NOT IN (SELECT offender_id FROM {ie})",
)


def run_duckdb(folder: Path, fmt: str, checked: bool = False) -> str:
    import duckdb

    def scan(name: str) -> str:
        path = folder / f"{name}.{fmt}"
        if fmt == "csv" and name == "offences":
            return f"read_csv('{path}', types = {{'breach': 'VARCHAR'}})"
        if fmt == "csv":
            return f"read_csv('{path}')"
        return f"read_parquet('{path}')"

    con = duckdb.connect()
    ie, off = scan("index_events"), scan("offences")
    if checked and fmt == "csv":
        # read once, as the checked measurement must (the checks scan each file again)
        con.execute(f"CREATE TEMP TABLE ie AS SELECT * FROM {ie}")
        con.execute(f"CREATE TEMP TABLE off AS SELECT * FROM {off}")
        ie, off = "ie", "off"
    rows = con.execute(BARE_SQL.format(ie=ie, off=off)).fetchall()
    if checked:
        for check in CHECKS_SQL:
            found = con.execute(check.format(ie=ie, off=off)).fetchone()
            if found is None or found[0] != 0:
                raise SystemExit(f"the benchmark data fails a check: {check}")
    return digest(
        [(q, a, int(n), Fraction(p), int(r), int(o), int(d)) for q, a, n, p, r, o, d in rows]
    )


def run_pandas(folder: Path, fmt: str) -> str:
    import pandas as pd

    def read(name: str) -> pd.DataFrame:
        path = folder / f"{name}.{fmt}"
        if fmt == "csv":
            return pd.read_csv(path, dtype={"offender_id": str, "breach": str})
        return pd.read_parquet(path)

    ie = read("index_events")
    off = read("offences")
    for col in ("index_date",):
        ie[col] = pd.to_datetime(ie[col])
    for col in ("offence_date", "disposal_date"):
        off[col] = pd.to_datetime(off[col])
    ie = ie[
        ie["disposal"].isin(DISPOSALS)
        & ~(ie["age"] < 18)
        & ie["index_date"].between(pd.Timestamp(START), pd.Timestamp(END))
    ].copy()
    # exact sums: predicted rates have three decimal places in this data
    ie["milli"] = (ie["predicted_rate"].astype(float) * 1000).round().astype("int64")
    ie["q"] = ie["index_date"].dt.year.astype(str) + "-Q" + ie["index_date"].dt.quarter.astype(str)
    ie = ie.sort_values(["q", "area", "offender_id", "index_date"])
    firsts = ie.drop_duplicates(["q", "area", "offender_id"], keep="first")
    dups = ie.groupby(["q", "area"]).size() - firsts.groupby(["q", "area"]).size()
    off = off[off["disposal_type"].isin(["conviction", "caution"]) & (off["breach"] == "no")]
    pairs = firsts[["q", "area", "offender_id", "index_date"]].merge(
        off[["offender_id", "offence_date", "disposal_date"]], on="offender_id"
    )
    d = pairs["index_date"]
    ok = (
        (pairs["offence_date"] >= d)
        & (pairs["offence_date"] < d + pd.DateOffset(months=12))
        & (pairs["disposal_date"] < d + pd.DateOffset(months=18))
    )
    people = pairs[ok].groupby(["q", "area", "offender_id"]).size()
    counts = people.groupby(["q", "area"]).agg(["size", "sum"])
    sizes = firsts.groupby(["q", "area"]).agg(n=("offender_id", "size"), milli=("milli", "sum"))
    rows = []
    for (q, area), s in sizes.iterrows():
        r, o = (
            (int(counts.loc[(q, area), "size"]), int(counts.loc[(q, area), "sum"]))
            if (q, area) in counts.index
            else (0, 0)
        )
        rows.append(
            (q, area, int(s["n"]), Fraction(int(s["milli"]), 1000), r, o, int(dups.loc[(q, area)]))
        )
    return digest(rows)


if __name__ == "__main__":
    task, folder, fmt = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    if task == "pbrrules":
        print(run_pbrrules(folder))
    elif task == "duckdb":
        print(run_duckdb(folder, fmt))
    elif task == "checked":
        print(run_duckdb(folder, fmt, checked=True))
    else:
        print(run_pandas(folder, fmt))
