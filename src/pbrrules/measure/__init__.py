"""Outcome records -> cohort figures: the measure stage (SPEC §4, §8).

``load_outcomes`` finds the two tables (files or records in memory); ``measure`` checks them,
forms the contract's cohorts and counts proven reoffences on DuckDB, returning the figures the
pay stage reads, the record accounting, rejected records and the input files' hashes.
docs/data.md describes the data standard and every default.
"""

from pbrrules.measure.accounting import RecordAccounting, TableAccounting
from pbrrules.measure.engine import Measurement, measure
from pbrrules.measure.problems import DataProblem, OutcomeRecordsError, write_rejects
from pbrrules.measure.progress import Progress
from pbrrules.measure.sources import DataFile, OutcomeData, load_outcomes, records_to_arrow

__all__ = [
    "DataFile",
    "DataProblem",
    "Measurement",
    "OutcomeData",
    "OutcomeRecordsError",
    "Progress",
    "RecordAccounting",
    "TableAccounting",
    "load_outcomes",
    "measure",
    "records_to_arrow",
    "write_rejects",
]
