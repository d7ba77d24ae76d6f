"""The limits of the language: the largest values a contract may write (PBR012).

A payment-by-results contract runs for some years around today, measures reoffending over a
year or two, rounds money to pennies and rates to a few places, and pays on some hundreds of
cohort periods. Values far beyond that are typing accidents, and they are refused at check
time: unbounded, they crashed ``check`` (a period reaching the year 10000), or made a small file
cost hours and gigabytes (``rates to 10000000 decimal places``, ``at most 100000000 cohorts``,
36,000 quarterly periods). docs/language.md ("Limits") lists them for readers of contracts.
"""

from __future__ import annotations

import datetime

#: Dates a contract may write: arithmetic on them (follow-up, waiting periods, contract years)
#: stays far inside the calendar that dates can hold (years 1 to 9999).
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2199, 12, 31)

#: The longest duration (follow-up, waiting period, ...), in each unit: one hundred years.
MAX_DURATION = {"days": 36_525, "months": 1_200, "years": 100}

#: The most decimal places a rounding rule may keep (money is rounded to 2; rates to 1 to 4).
MAX_PLACES = 12

#: The most cohorts a series of first-N blocks may have (``at most N cohorts``).
MAX_BLOCKS = 1_000

#: The most cohort periods (over every cohort rule and version) a contract may define; each is
#: measured and paid on its own (for each area of a grouped cohort). A quarterly cohort over
#: the longest real contract (ten years) has 40.
MAX_PERIODS = 2_000

CODE = "PBR012"
HELP = "the largest values a contract may write are listed in docs/language.md, §16.1"
