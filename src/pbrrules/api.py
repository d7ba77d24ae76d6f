"""The library API: compile a contract once, evaluate it on data or figures, get typed results.

    >>> from pbrrules import api
    >>> contract = api.load_contract("contracts/doncaster.pbr")
    >>> statement = api.evaluate_folder(contract, "examples/doncaster")      # doctest: +SKIP
    >>> statement.total                                                       # doctest: +SKIP

Every function is pure: nothing is printed, nothing global is read or changed, so a compiled
contract may be shared between threads and evaluated concurrently. Problems raise the project's
exceptions, which carry their diagnostics: ``ContractError`` (the contract), ``OutcomeDataError``
(the records), ``EvaluationError`` (figures that cannot be paid on). docs/api.md has the details.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pbrrules.compiler import compile_contract as _compile_contract
from pbrrules.compiler import compile_file
from pbrrules.figures import AsOf, CohortFigures
from pbrrules.pay.evaluate import currency_of
from pbrrules.pay.evaluate import evaluate as _evaluate
from pbrrules.render import Format, render
from pbrrules.rules import Contract
from pbrrules.statement import DataFile, DataInfo, Statement, wording
from pbrrules.statement.reconciliation import (
    PreviousStatement,
    PreviousStatementError,
    check_same_contract,
    read_previous,
)
from pbrrules.statement.reconciliation import reconcile as _reconcile
from pbrrules.values import Value
from pbrrules.worked_examples import ExampleResult, run_examples

if TYPE_CHECKING:
    from pbrrules.measure import DataFile as MeasuredFile
    from pbrrules.measure import Measurement, OutcomeData
    from pbrrules.measure.sources import TableInput

__all__ = [
    "AsOf",
    "DataInfo",
    "ExampleResult",
    "PreviousStatement",
    "PreviousStatementError",
    "Statement",
    "compile_contract",
    "evaluate_figures",
    "evaluate_folder",
    "evaluate_records",
    "load_contract",
    "measured",
    "measured_lots",
    "previous_statement",
    "reconcile",
    "render",
    "render_statement",
    "run_examples",
]


def load_contract(path: str | Path) -> Contract:
    """Compile the contract file at ``path`` (with any template or variation files it names)."""
    return compile_file(path)


def compile_contract(text: str, path: str = "<contract>") -> Contract:
    """Compile contract text; ``path`` names it in diagnostics."""
    return _compile_contract(text, path)


def evaluate_figures(
    contract: Contract,
    figures: Iterable[CohortFigures],
    *,
    overrides: Mapping[str, Value] | None = None,
    data: DataInfo | None = None,
    as_of: datetime.date | AsOf | None = None,
) -> Statement:
    """Pay ``contract`` on cohort figures a caller already holds (or typed into an example).

    With ``as_of`` (the date the figures were measured on) a unit whose windows had not all
    closed by then is provisional and paid nothing; without it every unit is taken as final
    (unless its figures are marked ``provisional``)."""
    if isinstance(as_of, datetime.date):
        as_of = AsOf(as_of, "given")
    return _evaluate(contract, figures, overrides=overrides, data=data, as_of=as_of)


def evaluate_folder(
    contract: Contract,
    folder: str | Path,
    *,
    reject_invalid: bool = False,
    as_of: datetime.date | None = None,
) -> Statement:
    """Measure the outcome files in ``folder`` (index_events.* and offences.*) and pay on them.

    With ``reject_invalid`` the valid records are used and the rejected ones are counted in the
    statement's record accounting (``measured`` also returns them, to be written out); otherwise
    any invalid record raises OutcomeDataError before anything is paid. ``as_of`` is the date
    the records were extracted; without it, the date the folder's ``extract.json`` states, else
    the latest date in the records (docs/data.md, "The extract date").
    """
    from pbrrules.measure import load_outcomes

    data = load_outcomes(folder)
    return measured(contract, data, reject_invalid=reject_invalid, as_of=as_of)[0]


def evaluate_records(
    contract: Contract,
    index_events: TableInput,
    offences: TableInput,
    *,
    reject_invalid: bool = False,
    as_of: datetime.date | None = None,
) -> Statement:
    """Measure records held in memory (sequences of mappings, Arrow tables, or file paths) and
    pay on them; ``as_of`` as for ``evaluate_folder`` (without it, the records' latest date)."""
    from pbrrules.measure import load_outcomes

    data = load_outcomes(index_events=index_events, offences=offences)
    return measured(contract, data, reject_invalid=reject_invalid, as_of=as_of)[0]


def measured(
    contract: Contract,
    data: OutcomeData,
    *,
    reject_invalid: bool = False,
    as_of: datetime.date | None = None,
) -> tuple[Statement, Measurement]:
    """Measure loaded outcome ``data`` and pay on the figures; also returns the measurement
    (with its ``rejected`` records, for a caller that writes them out)."""
    # The measure stage needs DuckDB; importing it only here keeps ``import pbrrules`` light for
    # callers that pay on figures they already hold.
    from pbrrules.measure import measure
    from pbrrules.measure.impacts import attach_impacts

    measurement = measure(contract, data, reject_invalid=reject_invalid, as_of=as_of)
    info = DataInfo(
        tuple(_data_file(f) for f in measurement.files),
        measurement.accounting.to_json(),
    )
    figures = attach_impacts(contract, measurement.figures, data.impacts)
    statement = _evaluate(contract, figures, data=info, as_of=measurement.as_of)
    return statement, measurement


def previous_statement(source: str | Path, contract: Contract | None = None) -> PreviousStatement:
    """Read the statement paid before (its JSON text, or a path to it), and, given the
    ``contract``, check that it is a statement of that contract. Raises PreviousStatementError
    when it cannot be read, is not a statement, or is of another contract or currency."""
    name = "the previous statement"
    if isinstance(source, Path):
        name = str(source)
        try:
            source = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PreviousStatementError(f"cannot read {name}: {exc}") from None
    previous = read_previous(source, name)
    if contract is not None:
        check_same_contract(contract.header.name, currency_of(contract), previous)
    return previous


def reconcile(statement: Statement, previous: str | Path | PreviousStatement) -> Statement:
    """``statement`` reconciled with the statement paid before it (its JSON text, a path to it,
    or ``previous_statement``'s reading of it): per line what was stated before, and what is
    due now or owed back. Raises PreviousStatementError as ``previous_statement`` does."""
    if not isinstance(previous, PreviousStatement):
        previous = previous_statement(previous)
    return _reconcile(statement, previous)


#: What a lot's statement says of the record accounting it carries when the lots shared one
#: measurement (``accounting["shared"]``; ``render.accounting`` puts it first).
SHARED_ACCOUNTING = (
    "the records were measured once for the %d lots of a national run: the counts below are the "
    "whole extract's (every area's), as in the national summary; this lot's cohort units hold "
    "%s offenders"
)


def measured_lots(
    lots: Sequence[Contract],
    data: OutcomeData,
    *,
    reject_invalid: bool = False,
    as_of: datetime.date | None = None,
) -> tuple[list[Statement], Measurement | None]:
    """Pay every lot of a national scheme on ``data``, measured once when the lots share their
    measuring rules but for the area each is let for (``measure.national``); each statement
    then carries the data files and the national measurement's record accounting, saying it is
    the whole extract's (``accounting["shared"]``; the measurement is returned beside the
    statements). Lots that cannot share a measurement are measured one by
    one, each statement with its own accounting, and no national measurement is returned.
    ``as_of`` is the extract date, as for ``measured``."""
    from pbrrules.measure.impacts import attach_impacts
    from pbrrules.measure.national import measure_lots

    shared = measure_lots(lots, data, reject_invalid=reject_invalid, as_of=as_of)
    if shared is None:
        alone = [measured(lot, data, reject_invalid=reject_invalid, as_of=as_of) for lot in lots]
        return [statement for statement, _ in alone], None
    files = tuple(_data_file(f) for f in shared.national.files)
    national = shared.national.accounting.to_json()
    statements = []
    for lot, measured_figures in zip(lots, shared.figures, strict=True):
        figures = attach_impacts(lot, measured_figures, data.impacts)
        offenders = sum(unit.treatment.offenders for unit in figures)
        note = SHARED_ACCOUNTING % (len(lots), wording.count(offenders))
        info = DataInfo(files, {**national, "shared": note})
        statements.append(_evaluate(lot, figures, data=info, as_of=shared.national.as_of))
    return statements, shared.national


def _data_file(file: MeasuredFile) -> DataFile:
    return DataFile(f"{file.table}: {file.name}", file.rows, file.sha256)


def render_statement(statement: Statement, format: Format = "json") -> str:
    """The statement as text (json, table, csv or markdown)."""
    return render(statement, format)
