#!/usr/bin/env python3
"""Check that paying the example records reproduces the published figures.

Runs `pbr-eval run --format json` for each dataset in this folder and compares the statement with
the figures the sources give. Exit status 0 when every figure holds, 1 otherwise.

    python examples/verify.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
failures: list[str] = []


def statement(contract: str, data: str) -> dict:
    exe = shutil.which("pbr-eval") or str(Path(sys.executable).with_name("pbr-eval"))
    out = subprocess.run(
        [exe, "run", "--format", "json", str(ROOT / contract), str(ROOT / data)],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out)


def unit(s: dict, period: str) -> dict:
    return next(u for u in s["units"] if u["period"] == period)


def check(what: str, actual: object, expected: object) -> None:
    ok = actual == expected
    print(f"{'ok  ' if ok else 'FAIL'} {what}: {actual}" + ("" if ok else f" (expected {expected})"))
    if not ok:
        failures.append(what)


def measure(u: dict, name: str, group: str = "treatment") -> Fraction:
    m = next(m for m in u["measures"] if m["name"] == name and m["group"] == group)
    return Fraction(m["value"]["fraction"])


def improvement(u: dict, name: str) -> Fraction:
    c = next(c for c in u["comparisons"] if c["name"] == name)
    return Fraction(c["improvement"]["fraction"])


def verdict(u: dict, name: str) -> str:
    return next(t["verdict"] for t in u["targets"] if t["name"] == name)


def paid(u: dict, term: str) -> str:
    return next(line["amount"]["amount"] for line in u["lines"] if line["term"] == term)


def pct(x: Fraction, places: int = 1) -> float:
    return round(float(x * 100), places)


# Peterborough (Social Finance, 7 Aug 2014; MoJ press release, Aug 2014)
s = statement("contracts/peterborough.pbr", "examples/peterborough")
c1, c2 = unit(s, "cohort 1"), unit(s, "cohort 2")
check("Peterborough cohort 1 events per 100", measure(c1, "reconviction_events"), 142)
check("Peterborough cohort 1 control events per 100",
      measure(c1, "reconviction_events", "control"), 155)
check("Peterborough cohort 1 reduction (%)", pct(improvement(c1, "events_change")), 8.4)
check("Peterborough cohort 1: no early payment", verdict(c1, "cohort_trigger"), "not met")
check("Peterborough cohort 1 early payment", paid(c1, "early_outcome_payment"), "0.00")
check("Peterborough cohort 1 control reconviction rate (%)",
      pct(measure(c1, "reconviction_rate", "control")), 55.7)
check("Peterborough cohort 1 binary reduction (points)", pct(improvement(c1, "binary_change")), 2.3)
pilot = next(t for t in c2["targets"] if t["name"] == "pilot_trigger")
check("Peterborough both cohorts: 7.5% trigger", pilot["verdict"], "met")
check("Peterborough both cohorts: 9% reduction", "reduction of 9% (relative)" in pilot["derivation"],
      True)
check("Peterborough cohort 3 cancelled", bool(unit(s, "cohort 3")["cancelled"]), True)

# Doncaster (Criminal Justice Alliance brief, Jul 2015; MoJ press release, Aug 2014), against the illustrative 2009 rate of 58.0%
s = statement("contracts/doncaster.pbr", "examples/doncaster")
y1, y2 = unit(s, "year 1"), unit(s, "year 2")
check("Doncaster cohort 1 reduction (points)", pct(improvement(y1, "reduction")), 5.7)
check("Doncaster cohort 1 target", verdict(y1, "five_points"), "met")
check("Doncaster cohort 1 repayment", paid(y1, "repayment"), "0.00")
check("Doncaster cohort 2 reduction (points)", pct(improvement(y2, "reduction")), 3.3)
check("Doncaster cohort 2 target", verdict(y2, "five_points"), "not met")
check("Doncaster cohort 2 repayment (10% of £20m)", paid(y2, "repayment"), "-2000000.00")

# Transforming Rehabilitation (Get the Data, 2017; Civil Service World, 26 Jan 2018)
s = statement("contracts/transforming-rehabilitation/cumbria-lancashire.pbr",
              "examples/transforming-rehabilitation")
q4 = unit(s, "2015-Q4")
check("Cumbria and Lancashire 2015-Q4 binary rate (%)", pct(measure(q4, "binary_rate")), 41.7)
check("Cumbria and Lancashire 2015-Q4 reduction (points)", pct(improvement(q4, "binary_change")), 8.2)
check("Cumbria and Lancashire 2015-Q4 binary target", verdict(q4, "binary_target"), "met")
for area, stem in (("Northumbria", "northumbria"), ("Merseyside", "merseyside")):
    s = statement(f"contracts/transforming-rehabilitation/{stem}.pbr",
                  "examples/transforming-rehabilitation")
    q4 = unit(s, "2015-Q4")
    check(f"{area} 2015-Q4 cuts both measures: binary target", verdict(q4, "binary_target"), "met")
    check(f"{area} 2015-Q4 cuts both measures: frequency target",
          verdict(q4, "frequency_target"), "met")

# Ventura County Project to Support Reentry (Ventura County Star, 9 Nov 2017: breakeven at a
# rearrest rate about 5-6% below the control group's), at the illustrative prices
s = statement("contracts/ventura-county-reentry.pbr", "examples/ventura-county-reentry")
e = unit(s, "enrolment")
check("Ventura rearrest rate (%)", pct(measure(e, "rearrest_rate")), 44.5)
check("Ventura control rearrest rate (%)", pct(measure(e, "rearrest_rate", "control")), 50.0)
check("Ventura reduction (points): the breakeven", pct(improvement(e, "rearrest_change")), 5.5)
check("Ventura clean quarters per 100 enrolled", measure(e, "clean_quarters"), Fraction(681, 2))
check("Ventura clean quarters paid by the County", paid(e, "clean_quarter_payment"), "1498200.00")
check("Ventura rearrest reduction paid by the BSCC", paid(e, "recidivism_payment"), "1100000.00")
check("Ventura total: about the $2.6m invested", s["totals"]["overall"]["amount"], "2598200.00")
# Salt Lake County REACH (Nonprofit Finance Fund, "Salt Lake County REACH", 2017; Living Cities,
# 2017: at target, 26,800 fewer days in jail or prison and 225 fewer arrests; Urban Institute fact
# sheet: $200 per day, $250 per arrest, $450 per quarter, at most $5.95m)
s = statement("contracts/salt-lake-county-reach.pbr", "examples/salt-lake-county-reach")
e = unit(s, "enrolment")
check("REACH days in jail or prison avoided", improvement(e, "days_avoided") * 225, 26800)
check("REACH arrests avoided", improvement(e, "arrests_avoided") * 225, 225)
check("REACH days reduction (%)", pct(improvement(e, "days_reduction")), 35.0)
check("REACH arrests reduction (%)", pct(improvement(e, "arrests_reduction")), 35.0)
check("REACH employment improvement (%)", pct(improvement(e, "employment_improvement")), 25.0)
check("REACH days payment ($200 a day)", paid(e, "days_payment"), "5360000.00")
check("REACH arrests payment ($250 an arrest)", paid(e, "arrests_payment"), "56250.00")
check("REACH employment payment (capped)", paid(e, "employment_payment"), "533750.00")
check("REACH the County pays its $5.95m maximum",
      sum(Fraction(line["amount"]["amount"]) for line in e["lines"]), 5950000)

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
