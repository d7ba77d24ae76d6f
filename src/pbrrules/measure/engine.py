"""measure(): outcome records + a compiled contract -> cohort figures and record accounting.

Runs on its own in-memory DuckDB connection (no shared state, safe from several threads):
register the sources, check them, build the cohort units, count, and account for every record.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import NamedTuple

import duckdb
from attrs import frozen

from pbrrules import rules
from pbrrules.figures import AsOf, CohortFigures
from pbrrules.measure import maturity, outcome_sql, outcomes, sqlgen, validation
from pbrrules.measure.accounting import RecordAccounting, index_accounting, offence_accounting
from pbrrules.measure.assemble import Row, assemble
from pbrrules.measure.background import Background
from pbrrules.measure.checking import (
    QuickCounts,
    TableCheck,
    convictions_without_sittings,
    offence_row_checks,
    unknown_offender,
)
from pbrrules.measure.database import connect
from pbrrules.measure.forming import form_cohorts
from pbrrules.measure.plan import Plan, plan
from pbrrules.measure.problems import DataProblem, Unusable, data_error, first_line
from pbrrules.measure.progress import Progress
from pbrrules.measure.quote import quote_path
from pbrrules.measure.rows import UnitStat
from pbrrules.measure.schema import (
    OutcomeTable,
    TableName,
    index_event_schema,
    offence_schema,
    outcome_tables,
)
from pbrrules.measure.sources import DataFile, FileSource, OutcomeData, sha256_of
from pbrrules.measure.tables import RawTable, drop_checks, drop_read, register, typed_columns

#: The two tables of the data standard, in the order they are read and checked.
TABLES: tuple[TableName, TableName] = ("index_events", "offences")

#: From how many index events read from text the memory freed before counting is returned to
#: the system (docs/performance.md): below it the peak is small and returning costs time.
FLUSH_FROM_ROWS = 2_000_000


@frozen
class Measurement:
    """What measuring gave: the figures of every cohort unit (sorted by start, cohort, area),
    the record accounting, every rejected record's problem (empty unless rejecting), and the
    input files with their row counts and hashes, and the as-of date the figures are read on
    (given, stated by the data folder, or the records' latest date)."""

    figures: tuple[CohortFigures, ...]
    accounting: RecordAccounting
    rejected: tuple[DataProblem, ...]
    files: tuple[DataFile, ...]
    as_of: AsOf | None = None
    #: Records kept but left out of some measure, with why (rejecting invalid records: a
    #: conviction without a court_event_id counts for every measure but reconviction events).
    partial: tuple[DataProblem, ...] = ()


def measure(
    contract: rules.Contract,
    data: OutcomeData,
    *,
    reject_invalid: bool = False,
    threads: int | None = None,
    progress: Progress | None = None,
    as_of: datetime.date | None = None,
) -> Measurement:
    """Measure every cohort of ``contract`` on ``data``.

    By default invalid records stop the run: ``OutcomeDataError`` (an ``OutcomeRecordsError``)
    lists the problems. With ``reject_invalid`` the valid records are measured and every
    invalid one is returned in ``Measurement.rejected`` with its reason. ``threads``: how many
    threads DuckDB runs (default: one more than the machine's cores, ``default_threads``); 1
    runs everything in turn on one. ``as_of``: the date the records were extracted (else the
    date the data folder states, else the records' latest date); a record dated after a given
    or stated date is invalid (PBR310).
    """
    stated = AsOf(as_of, "given") if as_of is not None else data.extract
    steps = progress or Progress(6)
    with ThreadPoolExecutor(max_workers=2) as pool:
        # one worker hashes the files in turn; the other is for a query in the background
        hashes = pool.submit(_hash_files, data, outcome_tables(contract))
        args = (
            contract, data, reject_invalid, threads or default_threads(), pool, steps, hashes,
            stated,
        )
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
    stated: AsOf | None,
    ordered: bool = False,
) -> Measurement:
    """One measurement on a fresh in-memory database."""
    con = connect(data)
    run = _Run(con, pool if threads != 1 else None, steps, hashes, ordered, stated)
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
        scan = f"read_parquet({quote_path(source.path)})"
        try:
            with connect([source]) as probe:
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


def _hash_files(data: OutcomeData, read: Sequence[OutcomeTable]) -> dict[str, str]:
    """The SHA-256 of each table read from a file: index events, offences, and the outcome
    tables beyond offences a measure reads (``read``; a file no measure reads is not hashed)."""
    return {
        t: sha256_of(s.path)
        for t in (*TABLES, *read)
        if isinstance(s := data.optional(t), FileSource)
    }


class _Run:
    """What one measurement works with: its connection, a pool for work beside the queries
    (None to run everything in turn), progress, the files' hashes being computed, the queries
    running in the background (stopped before the connection closes), whether text files
    must be read keeping their row order, and the as-of date given or stated (if any)."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        pool: Executor | None,
        steps: Progress,
        hashes: Future[dict[str, str]],
        ordered: bool,
        stated: AsOf | None = None,
    ):
        self.con = con
        self.stated = stated
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
    """The phases of one measurement, in order: read, check the index events, form the cohort
    units, check the offences, count, account and assemble the figures."""
    run.steps.step("reading")
    the_plan = plan(contract)
    # rejected records are written out by row, and first-N blocks of cohorts that keep every
    # index event are cut in row order where dates and offenders tie: text must keep its order
    run.ordered = run.ordered or reject or _order_decides(the_plan)
    raws = _register(run.con, data)
    outcome_raws, unusable, unusable_total = outcomes.register_outcomes(run.con, contract, data)
    if unusable:
        raise data_error(unusable, unusable_total)

    run.steps.step("checking records")
    findings = validation.Findings(keep_all=reject)
    ie, off = _check_columns(contract, raws, findings, reject, run.stated)
    others, ok = outcomes.outcome_checks(outcome_raws, run.stated, findings)
    if not ok:
        raise data_error(findings.problems, findings.total)
    early = _check_index_events(run, data, ie, off, findings, reject)
    # Who has an index event (offences of anyone else are reported), before ties are rejected.
    # All that offences need of a text file's index events, whose copy is dropped before the
    # offences are read; a table too when rejecting ties would change the index_events view.
    known = "SELECT offender_id FROM index_events WHERE offender_id IS NOT NULL"
    keep_known = ie.read is not None or reject
    if keep_known:
        run.con.execute(f"CREATE OR REPLACE TEMP TABLE known_offenders AS {known}")
        known = "SELECT offender_id FROM known_offenders"

    run.steps.step("forming cohorts")
    formed = form_cohorts(run.con, the_plan, ie.raw, findings, reject)
    # the index events' latest date (after ties are rejected, before a text copy is dropped)
    ie_latest = None
    if run.stated is None:
        ie_latest = maturity.latest_date(run.con, "index_events", ("index_date",))
    if ie.read is not None:
        run.need_order(formed.ties.total)
    flush = ie.read is not None and ie.raw.rows >= FLUSH_FROM_ROWS
    if flush:
        # memory freed from here until counting goes back to the system at once, so that the
        # peak of counting does not add to what the copy of index events and the checks held
        run.con.execute("SET allocator_bulk_deallocation_flush_threshold = '0MB'")
    if ie.read is not None:
        run.con.execute("DROP VIEW memberships")
        drop_read(run.con, ie.read)

    _check_offences(run, off, known, early, findings)
    off.typed_view(run.con, findings, reject)
    for other in others:
        outcomes.check_outcome(run.con, other, known, findings, reject, run.ordered, run.need_order)
    partial = convictions_without_sittings(run.con, off) if reject else ()
    findings.merge(formed.ties)
    if findings.total and not reject:
        raise data_error(findings.problems, findings.total)
    as_of = run.stated or maturity.records_as_of(
        ie_latest,
        maturity.latest_date(run.con, "offences", ("offence_date", "disposal_date")),
        *outcomes.latest_dates(run.con, others),
    )
    if any(o.table == "custody" for o in others):
        outcome_sql.merge_custody(run.con, as_of.day if as_of is not None else None)
    closed = maturity.closed_counts(run.con, the_plan, as_of.day) if as_of is not None else None
    if keep_known:
        run.con.execute("DROP TABLE known_offenders")
    # counting reads no more of the units than who, when and where (less memory held)
    run.con.execute("ALTER TABLE counted DROP COLUMN tie_row")
    run.con.execute("ALTER TABLE counted DROP COLUMN predicted")
    if flush:
        run.con.execute("RESET allocator_bulk_deallocation_flush_threshold")

    run.steps.step("counting reoffences")
    counts = _count(run.con, the_plan)
    if others:
        arrest_ids = any(c.column.name == "arrest_id" for o in others for c in o.columns)
        counted = outcome_sql.count_outcomes(run.con, the_plan, arrest_ids)
        counts = counts._replace(per_unit=outcomes.merge_counts(the_plan, counts.per_unit, counted))

    run.steps.step("accounting")
    rejected = tuple(findings.problems) if reject else ()
    codes = sqlgen.statuses(the_plan)
    off_valid = off.raw.rows - len(findings.rejected["offences"])
    accounting = RecordAccounting(
        index_accounting(ie.raw, formed.ranks, codes, rejected),
        offence_accounting(off.raw, counts.offence_ranks, off_valid, rejected),
        outcomes.outcome_accounting(
            run.con,
            the_plan,
            others,
            findings.rejected,
            rejected,
            as_of.day if as_of is not None else None,
        ),
    )

    run.steps.step("assembling figures")
    has_predicted = "predicted_rate" in ie.raw.types
    figures = assemble(
        the_plan,
        codes,
        formed.sizes,
        counts.per_unit,
        formed.unit_stats,
        formed.block_stats,
        _areas(the_plan, formed.unit_stats),
        has_predicted,
        closed,
    )
    files = _files(data, [ie.raw, off.raw, *(o.raw for o in others)], run.hashes)
    return Measurement(figures, accounting, rejected, files, as_of, partial)


def _register(con: duckdb.DuckDBPyConnection, data: OutcomeData) -> dict[TableName, RawTable]:
    """Phase 1, read: each table's source as a view; every unusable file is reported at once."""
    raws: dict[TableName, RawTable] = {}
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
    return raws


def _check_columns(
    contract: rules.Contract,
    raws: dict[TableName, RawTable],
    findings: validation.Findings,
    reject: bool,
    stated: AsOf | None = None,
) -> tuple[TableCheck, TableCheck]:
    """Phase 2a: each table has the columns the contract and the data standard need, and how
    each is read; with a ``stated`` as-of date, no date after it (PBR310)."""
    ie, off = raws["index_events"], raws["offences"]
    ie_schema = index_event_schema(contract, tuple(ie.types))
    off_schema = offence_schema(contract)
    ok = validation.check_columns(ie, ie_schema, findings)
    ok = validation.check_columns(off, off_schema, findings) and ok
    if not ok:
        raise data_error(findings.problems, findings.total)
    ie_columns = typed_columns(ie_schema, ie)
    off_columns = typed_columns(off_schema, off)
    late_events = maturity.after_checks(ie_columns, ("index_date",), stated)
    late_offences = maturity.after_checks(off_columns, ("offence_date", "disposal_date"), stated)
    return (
        TableCheck(ie, ie_columns, late_events),
        TableCheck(off, off_columns, offence_row_checks(off_columns, reject) + late_offences),
    )


def _check_index_events(
    run: _Run,
    data: OutcomeData,
    ie: TableCheck,
    off: TableCheck,
    findings: validation.Findings,
    reject: bool,
) -> Background | None:
    """Phase 2b: the index events' checks, then their typed view. Index events are checked and
    measured before the offences are read, so that a text file's typed copy of index events is
    dropped before the offences' copy is made. Returns the offences' quick checks when they
    were started beside this work (``_check_offences_early``)."""
    ie.read_text(run.con, run.ordered)
    if not validation.check_not_empty(ie.raw, findings):
        off.read_text(run.con, run.ordered)  # a file the reader stops in is said first
        raise data_error(findings.problems, findings.total)
    counts = ie.quick_counts(run.con)
    if ie.read is not None:
        run.need_order(counts.bad, counts.repeated)
    early = None if reject else _check_offences_early(run, data, ie, off)
    ie.report(run.con, counts, findings)
    ie.typed_view(run.con, findings, reject)
    return early


def _check_offences(
    run: _Run, off: TableCheck, known: str, early: Background | None, findings: validation.Findings
) -> None:
    """Phase 4: the offences' checks (values, repeated rows, offenders without an index event,
    as ``known`` holds them), from their quick counts if those ran beside the index events."""
    off.read_text(run.con, run.ordered)
    offender = '"offender_id"' if off.read else off.column("offender_id").expr
    if early is not None:
        counts = QuickCounts.of(early.result())
    else:
        counts = off.quick_counts(run.con, unknown_offender(offender, known))
    if off.read is not None:
        run.need_order(*counts)
    off.report(run.con, counts, findings, known)
    if off.read is not None:
        drop_checks(run.con, off.read)


class _Counts(NamedTuple):
    """Phase 5's result: per unit and group, each measure's reoffences and reoffenders
    (``(pid, block, area, control, o1, r1, o2, r2, ...)``), and how many offences end
    with each rank (0 counted, else the first reason that leaves them out)."""

    per_unit: list[Row]
    offence_ranks: list[tuple[int, int]]


def _count(con: duckdb.DuckDBPyConnection, the_plan: Plan) -> _Counts:
    """Phase 5, count: one pass over the (index event, offence) pairs (``sqlgen.counts_sql``),
    whose rows are of two kinds told apart by their first column."""
    offence_measures = sqlgen.offence_measures(the_plan)
    grouped = con.execute(sqlgen.counts_sql(the_plan)).fetchall() if offence_measures else []
    per_unit = []
    offence_ranks = []
    for per_person, pid, block, area, control, rank, rows, *tallies in grouped:
        if per_person == 1:
            per_unit.append((pid, block, area, control, *tallies))
        else:
            offence_ranks.append((int(rank), int(rows)))
    return _Counts(per_unit, offence_ranks)


def _areas(the_plan: Plan, unit_stats: Sequence[UnitStat]) -> list[tuple[int, str]]:
    """Every (cohort, group value) the index events hold, so that each value seen in a grouped
    cohort gets a unit in every period (N = 0 where it has nobody)."""
    cohort_of = {p.pid: p.cohort for p in the_plan.periods}
    cohort_of |= {b.pid: b.cohort for b in the_plan.blocks}
    return sorted({(cohort_of[s.pid], s.area) for s in unit_stats if s.area is not None})


def _files(
    data: OutcomeData, raws: list[RawTable], hashes: Future[dict[str, str]]
) -> tuple[DataFile, ...]:
    """The input files as the statement names them: table, name, format, rows and hash."""
    return tuple(
        DataFile(
            raw.table,
            raw.name,
            source.format if isinstance(source, FileSource) else "arrow",
            raw.rows,
            hashes.result().get(raw.table),
        )
        for raw in raws
        for source in [data.source(raw.table)]
    )




def _order_decides(the_plan: Plan) -> bool:
    """Whether row order can decide a figure: a first-N series of a cohort that keeps every
    index event cuts its blocks in row order among index events of one person on one date
    (with de-duplication such a tie is invalid data, reported by row)."""
    return any(not the_plan.cohort_rule(b.cohort, b.version).deduplicate for b in the_plan.blocks)




def _check_offences_early(
    run: _Run, data: OutcomeData, ie: TableCheck, off: TableCheck
) -> Background | None:
    """Start the offences' quick checks (values, repeated rows, unknown offenders) beside the
    index events' work, when that work leaves a core idle: both tables are read from Parquet
    files (no copy to wait for: the checks read the files themselves) and the index events'
    file has fewer row groups than DuckDB has threads (it is scanned on that many threads).
    None when the checks wait their turn: running them beside work that uses every core
    would gain nothing and hold both queries' memory at once."""
    source = data.index_events
    parquet = all(t.raw.scan.startswith("read_parquet(") for t in (ie, off))
    if run.pool is None or not parquet or not isinstance(source, FileSource):
        return None
    groups = run.con.execute(
        f"SELECT num_row_groups, current_setting('threads') "
        f"FROM parquet_file_metadata({quote_path(source.path)})"
    ).fetchone()
    if groups is None or int(groups[0]) >= int(groups[1]):
        return None
    ie_offender = ie.column("offender_id").expr
    known = f"SELECT {ie_offender} FROM {ie.raw.scan} WHERE ({ie_offender}) IS NOT NULL"
    unknown = unknown_offender(off.column("offender_id").expr, known)
    relation = off.relation(unknown, off.raw.scan)
    job = Background(run.pool, run.con, validation.quick_counts_sql(relation, True))
    run.background.append(job)
    return job
