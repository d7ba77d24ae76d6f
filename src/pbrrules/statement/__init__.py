"""The payment statement: the typed result of the pay stage (``model``) and how it words values
(``wording``). It depends on nothing in ``pay/``, so renderers and callers can use it alone."""

from pbrrules.statement.maturity import Maturity
from pbrrules.statement.model import (
    READABLE_SCHEMAS,
    SCHEMA,
    ComparisonResult,
    ContractInfo,
    DataFile,
    DataInfo,
    LimitApplied,
    LimitStanding,
    Line,
    LineChange,
    MeasureResult,
    Money,
    Reconciliation,
    Statement,
    TargetResult,
    UnitResult,
    YearTotal,
)
from pbrrules.statement.schema import json_schema

__all__ = [
    "READABLE_SCHEMAS",
    "SCHEMA",
    "ComparisonResult",
    "ContractInfo",
    "DataFile",
    "DataInfo",
    "LimitApplied",
    "LimitStanding",
    "Line",
    "LineChange",
    "Maturity",
    "MeasureResult",
    "Money",
    "Reconciliation",
    "Statement",
    "TargetResult",
    "UnitResult",
    "YearTotal",
    "json_schema",
]
