"""The outcome tables beyond offences in a measurement: which a contract reads, their checks,
their counts merged with the offences', and their record accounting (docs/data.md, "Other
outcomes").

Each table goes through the checks every table goes through (``checking.TableCheck``: values,
repeated rows, records of people with no index event, dates after the extract date) and, for
custody, a spell that ends before it starts (PBR312). Nothing here decides when a step runs:
``engine`` does.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Any

import duckdb

from pbrrules import rules
from pbrrules.figures import AsOf
from pbrrules.measure import maturity, outcome_sql, validation
from pbrrules.measure.accounting import TableAccounting, rejected_by_reason, table_accounting
from pbrrules.measure.checking import RowCheck, TableCheck, unknown_offender
from pbrrules.measure.plan import Plan
from pbrrules.measure.problems import DataProblem, Unusable
from pbrrules.measure.schema import (
    COUNTING_TABLES,
    OUTCOME_DATES,
    OutcomeTable,
    all_measures,
    outcome_schema,
    outcome_tables,
)
from pbrrules.measure.sources import OutcomeData
from pbrrules.measure.tables import RawTable, TypedColumn, register, typed_columns

#: A row of per-unit tallies: ``(pid, block, area, control, o0, r0, o1, r1, ...)``.
Row = tuple[Any, ...]


def register_outcomes(
    con: duckdb.DuckDBPyConnection, contract: rules.Contract, data: OutcomeData
) -> tuple[dict[OutcomeTable, RawTable], list[DataProblem], int]:
    """The raw view of each outcome table a measure of ``contract`` counts from; a table the
    data does not have, or cannot be read, is a problem (PBR301)."""
    raws: dict[OutcomeTable, RawTable] = {}
    problems: list[DataProblem] = []
    total = 0
    for table in outcome_tables(contract):
        source = data.optional(table)
        if source is None:
            problems.append(_missing(contract, table))
            total += 1
            continue
        try:
            raws[table] = register(con, table, source)
        except Unusable as exc:
            problems += exc.problems
            total += exc.total
    return raws, problems, total


def _missing(contract: rules.Contract, table: OutcomeTable) -> DataProblem:
    """PBR301 for an outcome table a measure counts from and the data lacks."""
    measure = next(m for m in all_measures(contract) if COUNTING_TABLES.get(m.counting) == table)
    counted = rules.COUNTING_WORDS[measure.counting]
    return DataProblem.file_problem(
        table, table, "PBR301", f"no input given for this table (measure '{measure.name}' "
        f"counts {counted})", f"a file {table}.csv, .jsonl or .parquet, or records",
    )  # fmt: skip


def outcome_checks(
    raws: dict[OutcomeTable, RawTable], stated: AsOf | None, findings: validation.Findings
) -> tuple[list[TableCheck], bool]:
    """Each outcome table's check, and False when a table lacks a column the standard
    requires (PBR302, added to ``findings``)."""
    checks: list[TableCheck] = []
    ok = True
    for table, raw in raws.items():
        schema = outcome_schema(table, tuple(raw.types))
        if not validation.check_columns(raw, schema, findings):
            ok = False
            continue
        columns = typed_columns(schema, raw)
        late = maturity.after_checks(columns, OUTCOME_DATES[table], stated)
        checks.append(TableCheck(raw, columns, _row_checks(table, columns) + late))
    return checks, ok


def _row_checks(table: OutcomeTable, columns: list[TypedColumn]) -> list[RowCheck]:
    """Row checks beyond single values: a custody spell ending before it starts (PBR312)."""
    by_name = {c.column.name: c for c in columns}
    if table != "custody" or "end_date" not in by_name:
        return []
    return [
        RowCheck(
            f"({by_name['end_date'].expr}) < ({by_name['start_date'].expr})",
            "PBR312",
            "end_date",
            "custody spell ends before it starts",
            "an end_date on or after the start_date (or empty: still in custody)",
        )
    ]


def check_outcome(
    con: duckdb.DuckDBPyConnection,
    check: TableCheck,
    known: str,
    findings: validation.Findings,
    reject: bool,
    ordered: bool,
    need_order: Callable[..., None],
) -> None:
    """An outcome table's checks (values, repeated rows, records of people ``known`` does not
    hold, a spell ending before it starts), then its typed view. A text file read out of order
    (``ordered`` false) calls ``need_order`` with the counts, to start again in order when a
    problem must be reported by row."""
    check.read_text(con, ordered)
    offender = '"offender_id"' if check.read else check.column("offender_id").expr
    counts = check.quick_counts(con, unknown_offender(offender, known))
    if check.read is not None:
        need_order(*counts)
    check.report(con, counts, findings, known)
    check.typed_view(con, findings, reject)


def latest_dates(con: duckdb.DuckDBPyConnection, checks: Sequence[TableCheck]) -> list[Any]:
    """The latest date each outcome table's valid records hold (for the as-of date)."""
    found = []
    for check in checks:
        names = tuple(c.column.name for c in check.columns if c.column.kind in ("date", "quarter"))
        found.append(maturity.latest_date(con, check.table, names))
    return found


def merge_counts(
    plan: Plan, offence_rows: Sequence[Row], outcome_rows: Sequence[tuple[Any, ...]]
) -> list[Row]:
    """The offences' per-unit rows with each outcome measure's tallies put in its place
    (``o<mid>``, ``r<mid>``); a unit and group only outcomes counted in gets a row of its own."""
    width = 2 * len(plan.measures)
    merged: dict[tuple[Any, ...], list[Any]] = {
        tuple(r[:4]): list(r[4:]) for r in offence_rows
    }
    for pid, block, area, control, mid, o, r in outcome_rows:
        tallies = merged.setdefault((pid, block, area, control), [0] * width)
        tallies[2 * int(mid)] = int(o or 0)
        tallies[2 * int(mid) + 1] = int(r or 0)
    return [(*key, *tallies) for key, tallies in merged.items()]


def outcome_accounting(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    checks: Sequence[TableCheck],
    rejected_rows: dict[str, set[int]],
    rejected: tuple[DataProblem, ...],
    as_of: datetime.date | None,
) -> tuple[TableAccounting, ...]:
    """Each outcome table's accounting: records counted in some counted index event's window,
    excluded (outside every window; a quarter without employment), or rejected (why)."""
    found = []
    for check in checks:
        table = check.table
        assert table in ("arrests", "custody", "employment")
        valid = check.raw.rows - len(rejected_rows.get(table, ()))
        counted, unemployed = outcome_sql.counted_records(con, plan, table, as_of)
        excluded = {
            outcome_sql.NOT_EMPLOYED: unemployed,
            outcome_sql.NOT_IN_WINDOW: valid - counted - unemployed,
        }
        found.append(
            table_accounting(
                table, check.raw.rows, counted, excluded, rejected_by_reason(rejected, table)
            )
        )
    return tuple(found)
