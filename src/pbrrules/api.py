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

import importlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from pbrrules.compiler import compile_contract as _compile_contract
from pbrrules.compiler import compile_file
from pbrrules.examples import ExampleResult, run_examples
from pbrrules.figures import CohortFigures
from pbrrules.pay.evaluate import evaluate as _evaluate
from pbrrules.render import Format, render
from pbrrules.rules import Contract
from pbrrules.statement import DataFile, DataInfo, Statement
from pbrrules.values import Value

__all__ = [
    "DataInfo",
    "ExampleResult",
    "Statement",
    "compile_contract",
    "evaluate_figures",
    "evaluate_folder",
    "evaluate_records",
    "load_contract",
    "measured",
    "render",
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
) -> Statement:
    """Pay ``contract`` on cohort figures a caller already holds (or typed into an example)."""
    return _evaluate(contract, figures, overrides=overrides, data=data)


def evaluate_folder(
    contract: Contract, folder: str | Path, *, reject_invalid: bool = False
) -> Statement:
    """Measure the outcome files in ``folder`` (index_events.* and offences.*) and pay on them.

    With ``reject_invalid`` the valid records are used and the rejected ones are listed in the
    statement's record accounting; otherwise any invalid record raises OutcomeDataError.
    """
    data = _measure_module().load_outcomes(folder)
    return measured(contract, data, reject_invalid=reject_invalid)[0]


def evaluate_records(
    contract: Contract,
    index_events: Sequence[Mapping[str, Any]] | Any,
    offences: Sequence[Mapping[str, Any]] | Any,
    *,
    reject_invalid: bool = False,
) -> Statement:
    """Measure records held in memory (sequences of mappings, or Arrow tables) and pay on them."""
    data = _measure_module().load_outcomes(index_events=index_events, offences=offences)
    return measured(contract, data, reject_invalid=reject_invalid)[0]


def measured(
    contract: Contract, data: Any, *, reject_invalid: bool = False
) -> tuple[Statement, Any]:
    """Measure loaded outcome ``data`` and pay on the figures; also returns the measurement
    (its ``rejected`` records, for a caller that writes them out)."""
    measurement = _measure_module().measure(contract, data, reject_invalid=reject_invalid)
    info = DataInfo(
        tuple(_data_file(f) for f in getattr(measurement, "files", ())),
        _json_ready_mapping(getattr(measurement, "accounting", None)),
    )
    statement = _evaluate(contract, measurement.figures, data=info)
    return statement, measurement


def _measure_module() -> Any:
    # The measure stage needs DuckDB; importing it only when records are measured keeps
    # ``import pbrrules`` light for callers that pay on figures they already hold.
    return importlib.import_module("pbrrules.measure")


def _data_file(file: Any) -> DataFile:
    name = getattr(file, "name", None) or getattr(file, "path", None) or str(file)
    table = getattr(file, "table", None)
    path = f"{table}: {name}" if table and str(table) not in str(name) else str(name)
    return DataFile(path, getattr(file, "rows", None), getattr(file, "sha256", None))


def _json_ready(value: object) -> object:
    cls = type(value)
    if attrs.has(cls):
        return {field.name: _json_ready(getattr(value, field.name)) for field in attrs.fields(cls)}
    if isinstance(value, Mapping):
        return {str(k): _json_ready(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def _json_ready_mapping(value: object) -> Mapping[str, object] | None:
    if value is None:
        return None
    ready = _json_ready(value)
    return ready if isinstance(ready, dict) else {"records": ready}


def render_statement(statement: Statement, format: Format = "json") -> str:
    """The statement as text (json, table, csv or markdown)."""
    return render(statement, format)
