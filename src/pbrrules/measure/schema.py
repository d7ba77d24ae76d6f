"""The outcome-record standard: the two tables, their columns, types and allowed values.

docs/data.md is the prose version of this module. A contract may name further index-event
columns in its conditions; their type is taken from how the contract uses them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Literal, assert_never

from attrs import frozen

from pbrrules import rules
from pbrrules.values import Quantity

ColumnKind = Literal["text", "date", "number", "yes/no", "category", "quarter"]
TableName = Literal["index_events", "offences", "arrests", "custody", "employment"]
#: The optional tables of outcomes beyond offences (docs/data.md, "Other outcomes").
OutcomeTable = Literal["arrests", "custody", "employment"]
OUTCOME_TABLES: tuple[OutcomeTable, ...] = ("arrests", "custody", "employment")

#: Decimal places kept for numbers; predicted rates keep more (they are summed exactly).
NUMBER_PLACES = 6
RATE_PLACES = 12

YES = ("yes", "true", "y", "1")
NO = ("no", "false", "n", "0")

#: Disposal types every contract may use; a measure's ``proven by`` list adds its own.
STANDARD_DISPOSAL_TYPES = rules.STANDARD_DISPOSAL_TYPES
GROUPS = ("treatment", "control")


@frozen
class Column:
    """One column of an outcome table: its name, kind, whether a value is required, and limits."""

    name: str
    kind: ColumnKind
    required: bool = False
    allowed: tuple[str, ...] = ()
    places: int = NUMBER_PLACES
    low: int | None = None
    high: int | None = None
    #: An open category (``disposal_type``): any text is allowed except a near miss of one of
    #: these (the types a measure counts), which is a typo that would silently count nothing.
    near_miss_of: tuple[str, ...] = ()
    #: The column must be in the file even though a value may be empty (a custody spell's
    #: ``end_date``: empty means still in custody, so a file without the column would make every
    #: spell open and count every day to the extract date).
    present: bool = False

    @property
    def expected(self) -> str:
        """What a value of this column must look like, in the words of docs/data.md."""
        match self.kind:
            case "date":
                return "a date written YYYY-MM-DD"
            case "number":
                bounds = ""
                if self.low is not None and self.high is not None:
                    bounds = f" between {self.low} and {self.high}"
                return f"a decimal number{bounds} with at most {self.places} decimal places"
            case "yes/no":
                return "yes or no"
            case "quarter":
                return "a calendar quarter written YYYY-Qn (2018-Q3) or its first day (2018-07-01)"
            case "category":
                if self.near_miss_of:
                    return "a type written exactly as the contract counts it: " + ", ".join(
                        self.near_miss_of
                    )
                return "one of " + ", ".join(self.allowed)
            case "text":
                return "a non-empty text" if self.required else "a text"
            case _:
                assert_never(self.kind)


INDEX_EVENT_COLUMNS = (
    Column("offender_id", "text", required=True),
    Column("index_date", "date", required=True),
    Column("area", "text"),
    Column("disposal", "text"),
    Column("sex", "text"),
    Column("age", "number"),
    Column("sentence_months", "number"),
    Column("predicted_rate", "number", places=RATE_PLACES, low=0, high=1),
    Column("group", "category", allowed=GROUPS),
)

OFFENCE_COLUMNS = (
    Column("offender_id", "text", required=True),
    Column("offence_date", "date", required=True),
    Column("disposal_date", "date", required=True),
    Column("disposal_type", "category", required=True, allowed=STANDARD_DISPOSAL_TYPES),
    Column("breach", "yes/no", required=True),
    Column("court_event_id", "text"),
)


ARREST_COLUMNS = (
    Column("offender_id", "text", required=True),
    Column("arrest_date", "date", required=True),
    Column("arrest_id", "text"),
)

CUSTODY_COLUMNS = (
    Column("offender_id", "text", required=True),
    Column("start_date", "date", required=True),
    Column("end_date", "date", present=True),
)

EMPLOYMENT_COLUMNS = (
    Column("offender_id", "text", required=True),
    Column("quarter", "quarter", required=True),
    Column("employed", "yes/no", required=True),
    Column("earnings", "number", places=2),
)

#: Each outcome table's columns, and its date columns (checked against the extract date).
OUTCOME_COLUMNS: dict[str, tuple[Column, ...]] = {
    "arrests": ARREST_COLUMNS,
    "custody": CUSTODY_COLUMNS,
    "employment": EMPLOYMENT_COLUMNS,
}
OUTCOME_DATES: dict[str, tuple[str, ...]] = {
    "arrests": ("arrest_date",),
    "custody": ("start_date", "end_date"),
    "employment": ("quarter",),
}
#: Which table each counting unit beyond offences reads.
COUNTING_TABLES: dict[str, OutcomeTable] = {
    "arrests": "arrests",
    "quarters_without_arrest": "arrests",
    "custody_days": "custody",
    "quarters_employed": "employment",
}


@frozen
class TableSchema:
    """The columns of one table that a measurement reads and checks."""

    table: TableName
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column | None:
        """The column called ``name``, if it is part of this schema."""
        return next((c for c in self.columns if c.name == name), None)


def _value_kind(value: object) -> ColumnKind:
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, Quantity):
        return "number"
    if isinstance(value, datetime.date):
        return "date"
    return "text"


def condition_columns(condition: rules.Condition | None) -> Iterator[tuple[str, ColumnKind]]:
    """Every column a condition reads, with the kind of value it compares the column with."""
    match condition:
        case None:
            return
        case rules.FieldTest(column=column, value=value):
            yield column, _value_kind(value)
        case rules.OneOf(column=column, values=values):
            yield column, _value_kind(values[0]) if values else "text"
        case rules.Between(column=column, low=low):
            yield column, _value_kind(low)
        case rules.Flag(column=column):
            yield column, "yes/no"
        case rules.AllOf(left=left, right=right) | rules.AnyOf(left=left, right=right):
            yield from condition_columns(left)
            yield from condition_columns(right)
        case rules.Not(operand=operand):
            yield from condition_columns(operand)
        case _:
            assert_never(condition)


def all_cohorts(contract: rules.Contract) -> Iterator[rules.Cohort]:
    """Every cohort declaration of every version of the contract."""
    for version in contract.versions:
        yield from version.rules.cohorts


def all_measures(contract: rules.Contract) -> Iterator[rules.Measure]:
    """Every measure declaration of every version of the contract."""
    for version in contract.versions:
        yield from version.rules.measures


def index_event_schema(contract: rules.Contract, present: tuple[str, ...]) -> TableSchema:
    """The index-event columns a contract needs: the required ones, the ones its cohorts name
    (eligibility, exclusions, control group, grouping), and ``predicted_rate`` when present."""
    wanted: dict[str, Column] = {c.name: c for c in INDEX_EVENT_COLUMNS if c.required}
    if "predicted_rate" in present:
        wanted["predicted_rate"] = INDEX_EVENT_COLUMNS[7]
    standard = {c.name: c for c in INDEX_EVENT_COLUMNS}
    for cohort in all_cohorts(contract):
        named: list[tuple[str, ColumnKind]] = []
        named += condition_columns(cohort.eligible)
        for exclusion in cohort.exclusions:
            named += condition_columns(exclusion.when)
        named += condition_columns(cohort.control_group)
        for name, kind in named:
            if name not in wanted:
                wanted[name] = standard.get(name) or Column(name, kind)
        if cohort.grouped_by is not None:
            base = standard.get(cohort.grouped_by) or Column(cohort.grouped_by, "text")
            wanted[cohort.grouped_by] = Column(
                base.name, base.kind, True, base.allowed, base.places, base.low, base.high
            )
    return TableSchema("index_events", tuple(wanted.values()))


def offence_schema(contract: rules.Contract) -> TableSchema:
    """The offence columns a contract needs; ``court_event_id`` only when a measure counts
    reconviction events. ``disposal_type`` is an open category: real extracts carry many outcome
    types (penalty notices, community resolutions), which are accepted and not counted; only a
    near miss of a type some measure counts (``convction``) is a problem."""
    measures = list(all_measures(contract))
    counted: list[str] = []
    for measure in measures:
        counted += [t for t in measure.proven_by if t not in counted]
    known = tuple(dict.fromkeys([*STANDARD_DISPOSAL_TYPES, *counted]))
    columns = [c for c in OFFENCE_COLUMNS if c.required]
    columns[3] = Column(
        "disposal_type", "category", required=True, allowed=known, near_miss_of=tuple(counted)
    )
    if any(m.counting == "events" for m in measures):
        columns.append(OFFENCE_COLUMNS[5])
    return TableSchema("offences", tuple(columns))


def outcome_tables(contract: rules.Contract) -> tuple[OutcomeTable, ...]:
    """The outcome tables beyond offences that some measure of ``contract`` reads, in the
    standard's order (``arrests``, ``custody``, ``employment``)."""
    read = {COUNTING_TABLES[m.counting] for m in all_measures(contract)
            if m.counting in COUNTING_TABLES}
    return tuple(t for t in OUTCOME_TABLES if t in read)


def outcome_schema(table: OutcomeTable, present: tuple[str, ...]) -> TableSchema:
    """An outcome table's columns: the required ones (and those that must be present though a
    value may be empty), and the optional ones it has."""
    columns = OUTCOME_COLUMNS[table]
    return TableSchema(
        table, tuple(c for c in columns if c.required or c.present or c.name in present)
    )
