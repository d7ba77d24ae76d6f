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

from pbrrules.api import (
    evaluate_figures,
    evaluate_folder,
    evaluate_records,
    load_contract,
    render_statement,
    run_examples,
)
from pbrrules.compiler import compile_contract, compile_file
from pbrrules.errors import (
    ContractError,
    Diagnostic,
    EvaluationError,
    OutcomeDataError,
    PbrError,
    Span,
)
from pbrrules.figures import CohortFigures, GroupFigures, MeasureCounts
from pbrrules.rules import Contract
from pbrrules.statement import Statement

__all__ = [
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
    "render_statement",
    "run_examples",
]


def __dir__() -> list[str]:
    return __all__
