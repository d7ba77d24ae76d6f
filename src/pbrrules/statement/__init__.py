"""The payment statement: the typed result of the pay stage (``model``), its money
(``money``) and limits (``limits``), and how it words values (``wording``). It depends on
nothing in ``pay/``, so renderers and callers can use it alone."""

from pbrrules.statement.limits import LimitApplied, LimitStanding, PartyTotal
from pbrrules.statement.maturity import Maturity
from pbrrules.statement.model import (
    READABLE_SCHEMAS,
    SCHEMA,
    ComparisonResult,
    ContractInfo,
    DataFile,
    DataInfo,
    Line,
    LineChange,
    MeasureResult,
    Reconciliation,
    Statement,
    TargetResult,
    UnitResult,
    YearTotal,
)
from pbrrules.statement.money import Money
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
    "PartyTotal",
    "Reconciliation",
    "Statement",
    "TargetResult",
    "UnitResult",
    "YearTotal",
    "json_schema",
]
