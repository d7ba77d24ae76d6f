"""pbrrules: payment-by-results reoffending contracts as code.

Compile a contract once, then evaluate it on outcome records (a folder, or records in memory) or
on cohort figures a caller already holds; every result is typed and JSON-serialisable::

    import pbrrules

    contract = pbrrules.load_contract("contracts/doncaster.pbr")
    statement = pbrrules.evaluate_folder(contract, "examples/doncaster")
    print(statement.total)

Nothing is printed and no global state is kept, so one compiled contract can serve many threads.
Errors are ``PbrError`` subclasses carrying their diagnostics (file, line, column, code, hint).
"""

from typing import TYPE_CHECKING, Any

from pbrrules.errors import (
    ContractError,
    Diagnostic,
    EvaluationError,
    OutcomeDataError,
    PbrError,
    Span,
)
from pbrrules.figures import AsOf, CohortFigures, GroupFigures, MeasureCounts

if TYPE_CHECKING:  # pragma: no cover - for type checkers; at run time loaded on first use
    from pbrrules.api import (
        evaluate_figures,
        evaluate_folder,
        evaluate_records,
        load_contract,
        reconcile,
        render_statement,
        run_examples,
    )
    from pbrrules.compiler import compile_contract, compile_file
    from pbrrules.rules import Contract
    from pbrrules.statement import Statement

# The compiler (Lark), the pay stage and the measure stage (DuckDB) load on first use, so that
# `import pbrrules` stays cheap for a process that needs only part of it.
_LAZY = {
    "evaluate_figures": "pbrrules.api",
    "evaluate_folder": "pbrrules.api",
    "evaluate_records": "pbrrules.api",
    "load_contract": "pbrrules.api",
    "reconcile": "pbrrules.api",
    "render_statement": "pbrrules.api",
    "run_examples": "pbrrules.api",
    "compile_contract": "pbrrules.compiler",
    "compile_file": "pbrrules.compiler",
    "Contract": "pbrrules.rules",
    "Statement": "pbrrules.statement",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pbrrules' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "AsOf",
    "CohortFigures",
    "Contract",
    "ContractError",
    "Diagnostic",
    "EvaluationError",
    "GroupFigures",
    "MeasureCounts",
    "OutcomeDataError",
    "PbrError",
    "Span",
    "Statement",
    "compile_contract",
    "compile_file",
    "evaluate_figures",
    "evaluate_folder",
    "evaluate_records",
    "load_contract",
    "reconcile",
    "render_statement",
    "run_examples",
]


def __dir__() -> list[str]:
    return __all__
