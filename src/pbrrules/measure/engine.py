"""measure(): outcome records + a compiled contract -> cohort figures and record accounting.

Runs on its own in-memory DuckDB connection (no shared state, safe from several threads):
register the sources, check them, build the cohort units, count, and account for every record.
"""

from __future__ import annotations

import datetime
import os
from concurrent.futures import Executor, Future, ThreadPoolExecutor

import duckdb
from attrs import frozen

from pbrrules import rules
from pbrrules.figures import CohortFigures
from pbrrules.measure import sqlgen, validation
from pbrrules.measure.accounting import (
    RecordAccounting,
    index_accounting,
    index_event_ranks,
    offence_accounting,
)
from pbrrules.measure.assemble import assemble
from pbrrules.measure.background import Background
from pbrrules.measure.plan import Plan, plan
from pbrrules.measure.problems import DataProblem, Unusable, data_error, first_line
from pbrrules.measure.progress import Progress
from pbrrules.measure.quote import quote_ident, quote_text
from pbrrules.measure.schema import TableName, index_event_schema, offence_schema
from pbrrules.measure.sources import DataFile, FileSource, OutcomeData, sha256_of
from pbrrules.measure.tables import (
    RawTable,
    TypedColumn,
    create_typed_view,
    drop_checks,
    drop_read,
    materialize,
    problem_condition,
    register,
    typed_columns,
)

#: The two tables of the data standard, in the order they are read and checked.
TABLES: tuple[TableName, TableName] = ("index_events", "offences")

#: From how many index events read from text the memory freed before counting is returned to
#: the system (docs/performance.md): below it the peak is small and returning costs time.
FLUSH_FROM_ROWS = 2_000_000


@frozen
class Measurement:
    """What measuring gave: the figures of every cohort unit (sorted by start, cohort, area),
    the record accounting, every rejected record's problem (empty unless rejecting), and the
    input files with their row counts and hashes."""

    figures: tuple[CohortFigures, ...]
    accounting: RecordAccounting
    rejected: tuple[DataProblem, ...]
    files: tuple[DataFile, ...]


def measure(
    contract: rules.Contract,
    data: OutcomeData,
    *,
    reject_invalid: bool = False,
    threads: int | None = None,
    progress: Progress | None = None,
) -> Measurement:
    """Measure every cohort of ``contract`` on ``data``.

    By default invalid records stop the run: ``OutcomeDataError`` (an ``OutcomeRecordsError``)
    lists the problems. With ``reject_invalid`` the valid records are measured and every
    invalid one is returned in ``Measurement.rejected`` with its reason. ``threads``: how many
    threads DuckDB runs (default: one more than the machine's cores, ``default_threads``); 1
    runs everything in turn on one.
    """
    steps = progress or Progress(6)
    with ThreadPoolExecutor(max_workers=2) as pool:
        # one worker hashes the files in turn; the other is for a query in the background
        hashes = pool.submit(_hash_files, data)
        args = (contract, data, reject_invalid, threads or default_threads(), pool, steps, hashes)
        try:
            return _measure_on(*args)
        except _RowOrderNeeded:
            # problems to report by row: read the text files again, keeping their order
            steps.restart()
            return _measure_on(*args, ordered=True)
        finally:
            steps.finish()


def _measure_on(
    contract: rules.Contract,
    data: OutcomeData,
    reject: bool,
    threads: int,
    pool: Executor,
    steps: Progress,
    hashes: Future[dict[str, str]],
    ordered: bool = False,
) -> Measurement:
    """One measurement on a fresh in-memory database."""
    con = duckdb.connect(":memory:")
    run = _Run(con, pool if threads != 1 else None, steps, hashes, ordered)
    try:
        con.execute(f"SET threads = {int(threads)}")
        return _run(run, contract, data, reject)
    except duckdb.Error:
        # a Parquet file damaged past its footer fails only when its pages are decoded
        damaged = _damaged_files(data)
        if damaged:
            raise data_error(damaged) from None
        raise
    finally:
        for job in run.background:
            job.stop()
        con.close()


def _damaged_files(data: OutcomeData) -> list[DataProblem]:
    """The Parquet files whose every value cannot be decoded (each read in full on its own)."""
    problems = []
    for table in TABLES:
        source = data.source(table)
        if not (isinstance(source, FileSource) and source.format == "parquet"):
            continue
        scan = f"read_parquet({quote_text(str(source.path))})"
        try:
            with duckdb.connect(":memory:") as probe:
                probe.execute(f"SELECT count(hash(*COLUMNS(*))) FROM {scan}").fetchall()
        except duckdb.Error as exc:
            problems.append(
                DataProblem.file_problem(
                    table,
                    source.name,
                    "PBR301",
                    f"the file cannot be read ({first_line(exc)}): it may be damaged or cut short",
                    "a complete Parquet file",
                )
            )
    return problems


def default_threads() -> int:
    """DuckDB's threads unless told otherwise: one more than the machine's cores. On 2 cores
    this measured 15-25% faster than DuckDB's own default of one per core, with less CPU time
    in all and a lower peak (docs/performance.md): with a thread per core, a thread the system
    deschedules (for the files' hashing, say) holds up the others at every pipeline's end."""
    return (os.cpu_count() or 1) + 1


class _RowOrderNeeded(Exception):
    """Text files were read without keeping their row order, and a problem must be reported
    by row: the measurement starts again, reading them in order."""


def _hash_files(data: OutcomeData) -> dict[str, str]:
    """The SHA-256 of each table read from a file."""
    return {
        t: sha256_of(s.path) for t in TABLES if isinstance(s := data.source(t), FileSource)
    }


class _Run:
    """What one measurement works with: its connection, a pool for work beside the queries
    (None to run everything in turn), progress, the files' hashes being computed, the queries
    running in the background (stopped before the connection closes), and whether text files
    must be read keeping their row order."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        pool: Executor | None,
        steps: Progress,
        hashes: Future[dict[str, str]],
        ordered: bool,
    ):
        self.con = con
        self.pool = pool
        self.steps = steps
        self.hashes = hashes
        self.ordered = ordered
        self.background: list[Background] = []

    def need_order(self, *found: int) -> None:
        """Start again in row order when a check ``found`` problems in text read out of order."""
        if any(found) and not self.ordered:
            raise _RowOrderNeeded


def _run(run: _Run, contract: rules.Contract, data: OutcomeData, reject: bool) -> Measurement:
    con, steps, hashes = run.con, run.steps, run.hashes
    steps.step("reading")
    the_plan = plan(contract)
    codes = sqlgen.statuses(the_plan)
    # rejected records are written out by row, and first-N blocks of cohorts that keep every
    # index event are cut in row order where dates and offenders tie: text must keep its order
    run.ordered = run.ordered or reject or _order_decides(the_plan)
    raws: dict[str, RawTable] = {}
    unusable: list[DataProblem] = []
    total = 0
    for table in TABLES:
        try:
            raws[table] = register(con, table, data.source(table))
        except Unusable as exc:
            unusable += exc.problems
            total += exc.total
    if unusable:
        raise data_error(unusable, total)
    ie, off = raws["index_events"], raws["offences"]

    steps.step("checking records")
    findings = validation.Findings(keep_all=reject)
    ie_schema = index_event_schema(contract, tuple(ie.types))
    off_schema = offence_schema(contract)
    ok = validation.check_columns(ie, ie_schema, findings)
    ok = validation.check_columns(off, off_schema, findings) and ok
    if not ok:
        raise data_error(findings.problems, findings.total)
    ie_cols = typed_columns(ie_schema, ie)
    off_cols = typed_columns(off_schema, off)
    ie_read = off_read = None
    extra = _offence_checks(off_cols)
    extra_sql = [e[0] for e in extra]
    # Index events are checked and measured before the offences are read, so that a text
    # file's typed copy of index events is dropped before the offences' copy is made.
    if ie.written:
        ie_read, ie = _read_text(con, ie, ie_cols, [], run.ordered)
    if not validation.check_not_empty(ie, findings):
        if off.written:
            _read_text(con, off, off_cols, extra_sql, run.ordered)
        raise data_error(findings.problems, findings.total)
    bad, repeated, _ = validation.quick_counts(con, _checked(ie, ie_cols, [], ie_read), False)
    if ie_read is not None:
        run.need_order(bad, repeated)
    early = (
        None if reject else _check_offences_early(run, data, ie, off, ie_cols, off_cols, extra_sql)
    )
    if bad:
        validation.check_values(con, ie, ie_cols, findings, read=ie_read)
    if repeated:
        validation.check_duplicates(con, ie, findings, read=ie_read)
    ie_rejected = _rejected_table(con, "index_events", findings) if reject else None
    create_typed_view(con, ie, ie_cols, ie_rejected, ie_read)
    # Who has an index event (offences of anyone else are reported), before ties are rejected.
    # All that offences need of a text file's index events, whose copy is dropped before the
    # offences are read; a table too when rejecting ties would change the index_events view.
    known = "SELECT offender_id FROM index_events WHERE offender_id IS NOT NULL"
    if ie_read is not None or reject:
        con.execute(f"CREATE OR REPLACE TEMP TABLE known_offenders AS {known}")
        known = "SELECT offender_id FROM known_offenders"

    steps.step("forming cohorts")
    has_predicted = "predicted_rate" in ie.types
    con.execute(sqlgen.memberships_sql(the_plan, codes, has_predicted))
    con.execute(sqlgen.counted_sql(the_plan))
    # ties are reported after the offences' problems (the order problems are listed in)
    ties = validation.Findings(keep_all=reject)
    while _check_same_date(con, the_plan, ie, ties, reject):
        con.execute(sqlgen.counted_sql(the_plan))
    if ie_read is not None:
        run.need_order(ties.total)
    sizes = con.execute(sqlgen.SIZES_SQL).fetchall()
    unit_stats = con.execute(
        "SELECT pid, area, status, count(*) FROM memberships GROUP BY pid, area, status"
    ).fetchall()
    block_stats = _block_stats(con, the_plan)
    ie_dropped = findings.rejected["index_events"] | ties.rejected["index_events"]
    ie_ranks = index_event_ranks(con, the_plan, unit_stats, sizes, ie.rows - len(ie_dropped))
    flush = ie_read is not None and ie.rows >= FLUSH_FROM_ROWS
    if flush:
        # memory freed from here until counting goes back to the system at once, so that the
        # peak of counting does not add to what the copy of index events and the checks held
        con.execute("SET allocator_bulk_deallocation_flush_threshold = '0MB'")
    if ie_read is not None:
        con.execute("DROP VIEW memberships")
        drop_read(con, ie_read)

    if off.written:
        off_read, off = _read_text(con, off, off_cols, extra_sql, run.ordered)
    offender = '"offender_id"' if off_read else _column(off_cols, "offender_id").expr
    if early is not None:
        bad, repeated, strangers = validation.counts_of(early.result())
    else:
        checked = _checked(off, off_cols, extra_sql, off_read, _unknown(offender, known))
        bad, repeated, strangers = validation.quick_counts(con, checked, True)
    if off_read is not None:
        run.need_order(bad, repeated, strangers)
    if bad:
        validation.check_values(con, off, off_cols, findings, extra, read=off_read)
    if repeated:
        validation.check_duplicates(con, off, findings, read=off_read)
    if strangers:
        validation.check_offenders(con, off, offender, known, findings, source=off_read)
    if off_read is not None:
        drop_checks(con, off_read)
    off_rejected = _rejected_table(con, "offences", findings) if reject else None
    create_typed_view(con, off, off_cols, off_rejected, off_read)
    findings.merge(ties)
    if findings.total and not reject:
        raise data_error(findings.problems, findings.total)

    if ie_read is not None or reject:
        con.execute("DROP TABLE known_offenders")
    # counting reads no more of the units than who, when and where (less memory held)
    con.execute("ALTER TABLE counted DROP COLUMN tie_row")
    con.execute("ALTER TABLE counted DROP COLUMN predicted")
    if flush:
        con.execute("RESET allocator_bulk_deallocation_flush_threshold")
    steps.step("counting reoffences")
    grouped = con.execute(sqlgen.counts_sql(the_plan)).fetchall() if the_plan.measures else []
    counts = [r[1:5] + r[7:] for r in grouped if r[0] == 1]
    offence_ranks = [(r[5], r[6]) for r in grouped if r[0] == 0]

    steps.step("accounting")
    cohort_of = {p.pid: p.cohort for p in the_plan.periods}
    cohort_of |= {b.pid: b.cohort for b in the_plan.blocks}
    areas = sorted({(cohort_of[int(r[0])], r[1]) for r in unit_stats if r[1] is not None})
    rejected = tuple(findings.problems) if reject else ()
    off_valid = off.rows - len(findings.rejected["offences"])
    accounting = RecordAccounting(
        index_accounting(ie, ie_ranks, codes, rejected),
        offence_accounting(off, offence_ranks, off_valid, rejected),
    )

    steps.step("assembling figures")
    figures = assemble(
        the_plan, codes, sizes, counts, unit_stats, block_stats, areas, has_predicted
    )
    files = tuple(
        DataFile(
            raw.table,
            raw.name,
            source.format if isinstance(source, FileSource) else "arrow",
            raw.rows,
            hashes.result().get(raw.table),
        )
        for raw, source in ((ie, data.index_events), (off, data.offences))
    )
    return Measurement(figures, accounting, rejected, files)


def _read_text(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    columns: list[TypedColumn],
    extra: list[str],
    ordered: bool,
) -> tuple[str, RawTable]:
    """``materialize`` a text file; one the reader stops in stops the run, naming its lines."""
    try:
        return materialize(con, raw, columns, extra, ordered)
    except Unusable as exc:
        raise data_error(exc.problems, exc.total) from None


def _order_decides(the_plan: Plan) -> bool:
    """Whether row order can decide a figure: a first-N series of a cohort that keeps every
    index event cuts its blocks in row order among index events of one person on one date
    (with de-duplication such a tie is invalid data, reported by row)."""
    return any(not the_plan.cohort_rule(b.cohort, b.version).deduplicate for b in the_plan.blocks)


def _checked(
    raw: RawTable,
    columns: list[TypedColumn],
    extra: list[str],
    read: str | None,
    unknown: str | None = None,
    source: str | None = None,
) -> str:
    """The relation ``validation.quick_counts`` scans: a row hash, a problem flag and, for
    offences, whether the offender is unknown; from the raw view, or the given ``source``."""
    flag = f", {unknown} AS unknown" if unknown else ""
    if read is not None:
        return f"SELECT _hash AS h, _bad AS bad{flag} FROM {read}"
    hashed = f"hash({', '.join(quote_ident(n) for n in raw.types)})"
    bad = problem_condition(columns, extra)
    return f"SELECT {hashed} AS h, {bad} AS bad{flag} FROM {source or raw.view}"


def _check_offences_early(
    run: _Run,
    data: OutcomeData,
    ie: RawTable,
    off: RawTable,
    ie_cols: list[TypedColumn],
    off_cols: list[TypedColumn],
    extra: list[str],
) -> Background | None:
    """Start the offences' quick checks (values, repeated rows, unknown offenders) beside the
    index events' work, when that work leaves a core idle: both tables are read from Parquet
    files (no copy to wait for: the checks read the files themselves) and the index events'
    file has fewer row groups than DuckDB has threads (it is scanned on that many threads).
    None when the checks wait their turn: running them beside work that uses every core
    would gain nothing and hold both queries' memory at once."""
    source = data.index_events
    parquet = all(t.scan.startswith("read_parquet(") for t in (ie, off))
    if run.pool is None or not parquet or not isinstance(source, FileSource):
        return None
    groups = run.con.execute(
        f"SELECT num_row_groups, current_setting('threads') "
        f"FROM parquet_file_metadata({quote_text(str(source.path))})"
    ).fetchone()
    if groups is None or int(groups[0]) >= int(groups[1]):
        return None
    ie_offender = _column(ie_cols, "offender_id").expr
    known = f"SELECT {ie_offender} FROM {ie.scan} WHERE ({ie_offender}) IS NOT NULL"
    unknown = _unknown(_column(off_cols, "offender_id").expr, known)
    relation = _checked(off, off_cols, extra, None, unknown, off.scan)
    job = Background(run.pool, run.con, validation.quick_counts_sql(relation, True))
    run.background.append(job)
    return job


def _unknown(offender: str, known: str) -> str:
    """Whether an offence's ``offender`` (an expression) is none of the ``known`` query's."""
    return f"({offender}) IS NOT NULL AND ({offender}) NOT IN ({known})"


def _column(columns: list[TypedColumn], name: str) -> TypedColumn:
    return next(c for c in columns if c.column.name == name)


def _offence_checks(columns: list[TypedColumn]) -> list[tuple[str, str, str, str, str]]:
    """Row checks of offences beyond single values: (condition, code, column, message, expected)."""
    by_name = {c.column.name: c for c in columns}
    checks = [
        (
            f"({by_name['disposal_date'].expr}) < ({by_name['offence_date'].expr})",
            "PBR306",
            "disposal_date",
            "disposal before the offence",
            "a disposal_date on or after the offence_date",
        )
    ]
    if "court_event_id" in by_name:
        checks.append(
            (
                f"({by_name['court_event_id'].expr}) IS NULL AND "
                f"({by_name['disposal_type'].expr}) = 'conviction'",
                "PBR303",
                "court_event_id",
                "missing value",
                "a court_event_id for every conviction (reconviction events are counted)",
            )
        )
    return checks


def _rejected_table(
    con: duckdb.DuckDBPyConnection, table: str, findings: validation.Findings
) -> str:
    name = f"rejected_{table}"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} (_row BIGINT)")
    rows = sorted(findings.rejected[table])
    if rows:
        con.executemany(f"INSERT INTO {name} VALUES (?)", [(r,) for r in rows])
    return name


def _check_same_date(
    con: duckdb.DuckDBPyConnection,
    the_plan: Plan,
    ie: RawTable,
    findings: validation.Findings,
    reject: bool,
) -> bool:
    """Report index events tied on a person's earliest date in a unit; when rejecting, drop
    them and return True (the units must be formed again)."""
    ties = con.execute(sqlgen.SAME_DATE_SQL).fetchall()
    labels = {p.pid: (the_plan.cohort_names[p.cohort], p.label) for p in the_plan.periods}
    labels |= {b.pid: (the_plan.cohort_names[b.cohort], "first-N blocks") for b in the_plan.blocks}
    dropped: set[int] = set()
    for pid, area, offender, day, first, last in sorted(ties, key=lambda t: (t[4], t[5])):
        cohort, label = labels[pid]
        where = f"cohort {cohort}, {label}" + (f", {area}" if area is not None else "")
        for row, other in ((first, last), (last, first)):
            findings.add(
                DataProblem(
                    "PBR309",
                    "index_events",
                    ie.name,
                    int(row),
                    "index_date",
                    str(day),
                    f"offender {offender} has another index event on this date in {where} "
                    f"(row {other}), so which one counts would depend on row order",
                    "one index event per offender on their earliest date in a cohort",
                )
            )
            dropped.add(int(row))
    if not (reject and dropped):
        return False
    # the index_events view leaves out the rows of this table, and memberships reads that view
    con.executemany("INSERT INTO rejected_index_events VALUES (?)", [(r,) for r in sorted(dropped)])
    return True


def _block_stats(
    con: duckdb.DuckDBPyConnection, the_plan: Plan
) -> list[tuple[int, str | None, int, datetime.date, int]]:
    """Per block series, area, status and date: excluded and duplicate index events (to be
    attributed to the block whose dates hold them)."""
    if not the_plan.blocks:
        return []
    first = min(b.pid for b in the_plan.blocks)
    rows = con.execute(
        "SELECT pid, area, status, index_date, count(*) FROM memberships "
        f"WHERE pid >= {first} AND status > 0 GROUP BY ALL "
        "UNION ALL SELECT m.pid, m.area, 1, m.index_date, count(*) FROM memberships m "
        f"WHERE m.pid >= {first} AND m.status = 0 AND NOT EXISTS (SELECT 1 FROM counted c "
        "WHERE c.pid = m.pid AND c._row = m._row) GROUP BY ALL"
    ).fetchall()
    return [(int(r[0]), r[1], int(r[2]), r[3], int(r[4])) for r in rows]
