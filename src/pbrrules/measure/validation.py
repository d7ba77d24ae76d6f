"""Checks of outcome records before measuring: columns, values, categories, ranges, disposal
before offence, unknown offenders, duplicate rows. Each check is one SQL scan; none modifies
the inputs. Problems name the file, the record's row, the column and what was expected.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import duckdb
from attrs import define, field

from pbrrules.measure.problems import LISTED, DataProblem
from pbrrules.measure.quote import quote_ident
from pbrrules.measure.schema import TableSchema
from pbrrules.measure.tables import RawTable, TypedColumn

_KINDS = {
    1: ("PBR303", "missing value"),
    2: ("PBR303", "cannot be read"),
    3: ("PBR304", "unknown category"),
    4: ("PBR305", "out of range"),
}


@define
class Findings:
    """What the checks found: problems (all of them when rejecting, else the first ``LISTED``),
    how many there are in all, and the rows each table rejects."""

    keep_all: bool
    problems: list[DataProblem] = field(factory=list)
    total: int = 0
    rejected: dict[str, set[int]] = field(factory=lambda: defaultdict(set))

    def add(self, problem: DataProblem, count: bool = True) -> None:
        """Record one problem (and reject its row)."""
        if count:
            self.total += 1
        if problem.row is not None:
            self.rejected[problem.table].add(problem.row)
        if self.keep_all or len(self.problems) < LISTED:
            self.problems.append(problem)

    def merge(self, other: Findings) -> None:
        """Add what ``other`` found, as if found after what this holds."""
        for problem in other.problems:
            self.add(problem)
        self.total += other.total - len(other.problems)
        for table, rows in other.rejected.items():
            self.rejected[table] |= rows


def check_columns(raw: RawTable, schema: TableSchema, findings: Findings) -> bool:
    """Report each schema column the table lacks, or names twice; False if any."""
    ok = True
    repeated = {first.strip().casefold(): (first, second) for first, second in raw.repeated}
    for column in schema.columns:
        if column.name.casefold() in repeated:
            first, second = repeated[column.name.casefold()]
            twice = "twice" if first == second else f"twice ('{first}' and '{second}')"
            findings.add(
                DataProblem.file_problem(
                    raw.table, raw.name, "PBR301",
                    f"the header names the column '{column.name}' {twice}: which one is meant "
                    "cannot be known (names are compared without regard to capitals)",
                    "each column named once", column.name,
                )
            )  # fmt: skip
            ok = False
        elif column.name not in raw.types:
            why = "a column this contract or the data standard needs"
            message = "missing column" + _column_hint(raw, column.name)
            findings.add(
                DataProblem.file_problem(raw.table, raw.name, "PBR302", message, why, column.name)
            )
            ok = False
    return ok


def _column_hint(raw: RawTable, name: str) -> str:
    """What the file has instead of column ``name``, when it is likely a slip: a header read as
    one column (values separated by tabs or semicolons), or a near spelling."""
    present = list(raw.types)
    if len(present) == 1 and any(sep in present[0] for sep in "\t;|"):
        return " (the header reads as one column: separate values with commas)"
    folded = {p.strip().lower().replace(" ", "_"): p for p in present}
    close = difflib.get_close_matches(name, list(folded), n=1, cutoff=0.8)
    return f" (the file has '{folded[close[0]]}')" if close else ""


def check_not_empty(raw: RawTable, findings: Findings) -> bool:
    """Report index events that hold no records; False if so."""
    ok = True
    if raw.rows == 0 and raw.table == "index_events":
        findings.add(
            DataProblem.file_problem(
                raw.table,
                raw.name,
                "PBR301",
                "the file holds no records",
                "at least one index event",
            )
        )
        ok = False
    return ok


def check_values(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    columns: Sequence[TypedColumn],
    findings: Findings,
    extra: Sequence[tuple[str, str, str, str, str]] = (),
    read: str | None = None,
) -> None:
    """One scan for every value problem of a table: missing, unreadable, unknown category, out
    of range, plus ``extra`` row checks given as (condition, code, column, message, expected).
    With ``read`` (a materialized table with a ``_bad`` flag) only flagged rows are examined."""
    only = ""
    if read is not None:
        bad = con.execute(f"SELECT count(*) FROM {read} WHERE _bad").fetchone()
        if not bad or not bad[0]:
            return
        only = f" AND _row IN (SELECT _row FROM {read} WHERE _bad)"
    cases: list[str] = []
    for c in columns:
        whens = [f"WHEN {c.missing} THEN 1", f"WHEN {c.unreadable} THEN 2"]
        if c.not_allowed:
            whens.append(f"WHEN {c.not_allowed} THEN 3")
        if c.out_of_range:
            whens.append(f"WHEN {c.out_of_range} THEN 4")
        cases.append(f"CASE {' '.join(whens)} END")
    cases += [f"CASE WHEN {cond} THEN 5 END" for cond, *_ in extra]
    if not cases:
        return
    shown = [f"CAST({quote_ident(c.column.name)} AS VARCHAR)" for c in columns]
    shown += [f"CAST({quote_ident(column)} AS VARCHAR)" for _, _, column, _, _ in extra]
    select = ", ".join(
        f"{case} AS p{i}, {value} AS v{i}"
        for i, (case, value) in enumerate(zip(cases, shown, strict=True))
    )
    where = "(" + " OR ".join(f"({case}) IS NOT NULL" for case in cases) + ")" + only
    base = f"SELECT _row, {select} FROM {raw.view} WHERE {where}"
    limit = "" if findings.keep_all else f" LIMIT {LISTED}"
    rows = con.execute(f"{base} ORDER BY _row{limit}").fetchall()
    found = 0
    for row in rows:
        number = int(row[0])
        for i in range(len(cases)):
            kind = row[1 + 2 * i]
            if kind is None:
                continue
            value = row[2 + 2 * i]
            found += 1
            if i < len(columns):
                column = columns[i].column
                code, message = _KINDS[int(kind)]
                if int(kind) == 3 and column.near_miss_of:
                    message = "a near miss of a counted type (a typo would count nothing)"
                findings.add(
                    DataProblem(
                        code,
                        raw.table,
                        raw.name,
                        number,
                        column.name,
                        value,
                        message,
                        column.expected,
                    ),
                    count=False,
                )
            else:
                _, code, name, message, expected = extra[i - len(columns)]
                findings.add(
                    DataProblem(code, raw.table, raw.name, number, name, value, message, expected),
                    count=False,
                )
    if not findings.keep_all and len(rows) >= LISTED:
        counts = " + ".join(f"count({case})" for case in cases)
        total = con.execute(f"SELECT {counts} FROM {raw.view} WHERE {where}").fetchone()
        found = int(total[0]) if total else found
    findings.total += found


def quick_counts_sql(relation: str, unknown: bool) -> str:
    """One scan of ``relation`` (a query giving ``h``, a row hash, ``bad``, whether a value has
    a problem, and with ``unknown`` an ``unknown`` flag) giving one row: rows with value
    problems, repeated hashes, unknown offenders (``quick_counts``)."""
    unknown_count = "count(*) FILTER (WHERE unknown)" if unknown else "0"
    # surplus rows over distinct hashes: 0 unless some row hash repeats (then compared in full)
    return (
        "SELECT count(*) FILTER (WHERE bad), count(*) - count(DISTINCT h), "
        f"{unknown_count} FROM ({relation}) q"
    )


def quick_counts(
    con: duckdb.DuckDBPyConnection, relation: str, unknown: bool
) -> tuple[int, int, int]:
    """(rows with value problems, repeated hashes, unknown offenders) in ``relation``
    (``quick_counts_sql``). Only when one is not zero do the detailed checks run."""
    return counts_of(con.execute(quick_counts_sql(relation, unknown)).fetchall())


def counts_of(rows: list[tuple[Any, ...]]) -> tuple[int, int, int]:
    """The three counts of ``quick_counts_sql``'s one row."""
    (row,) = rows
    return int(row[0]), int(row[1]), int(row[2])


def check_duplicates(
    con: duckdb.DuckDBPyConnection, raw: RawTable, findings: Findings, read: str | None = None
) -> None:
    """Report every row that repeats an earlier row of the same file exactly (rows whose hashes
    collide are compared in full). ``read``: a materialized table holding each row's ``_hash``."""
    names = [quote_ident(n) for n in raw.types]
    hashes = (
        f"SELECT _row, hash({', '.join(names)}) AS h FROM {raw.view}"
        if read is None
        else f"SELECT _row, _hash AS h FROM {read}"
    )
    same = con.execute(
        f"WITH h AS ({hashes}), d AS (SELECT h FROM h GROUP BY h HAVING count(*) > 1) "
        "SELECT _row FROM h WHERE h IN (SELECT h FROM d)"
    ).fetchall()
    if not same:
        return
    con.execute("CREATE OR REPLACE TEMP TABLE same_hash (_row BIGINT)")
    con.executemany("INSERT INTO same_hash VALUES (?)", same)
    candidates = con.execute(
        f"SELECT _row, {', '.join(names)} FROM {raw.view} "
        "WHERE _row IN (SELECT _row FROM same_hash) ORDER BY _row"
    ).fetchall()
    first: dict[tuple[object, ...], int] = {}
    for row in candidates:
        values = tuple(row[1:])
        if values in first:
            findings.add(
                DataProblem(
                    "PBR308",
                    raw.table,
                    raw.name,
                    int(row[0]),
                    None,
                    None,
                    f"this row repeats row {first[values]} exactly",
                    "each record once",
                )
            )
        else:
            first[values] = int(row[0])


def check_offenders(
    con: duckdb.DuckDBPyConnection,
    offences: RawTable,
    offender: str,
    known: str,
    findings: Findings,
    source: str | None = None,
) -> None:
    """Report offences whose offender (read by the expression ``offender`` from ``source``, by
    default the raw view) has no index event in the relation ``known`` (a query giving
    ``offender_id``)."""
    table = source or offences.view
    where = (
        f"{offender} IS NOT NULL AND {offender} NOT IN (SELECT offender_id FROM ({known}) k "
        "WHERE offender_id IS NOT NULL)"
    )
    limit = "" if findings.keep_all else f" LIMIT {LISTED}"
    rows = con.execute(
        f"SELECT _row, {offender} FROM {table} WHERE {where} ORDER BY _row{limit}"
    ).fetchall()
    for number, value in rows:
        what = "offence" if offences.table == "offences" else "record"
        findings.add(
            DataProblem(
                "PBR307",
                offences.table,
                offences.name,
                int(number),
                "offender_id",
                str(value),
                f"{what} for an offender with no index event",
                "an offender_id of the index events",
            ),
            count=False,
        )
    found = len(rows)
    if not findings.keep_all and len(rows) >= LISTED:
        total = con.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()
        found = int(total[0]) if total else found
    findings.total += found
