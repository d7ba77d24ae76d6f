"""The attacks of the reliability audit (issue 12), fuzzed so that they stay fixed: special
files where data files should be, conditions comparing columns with values of other kinds,
dates and durations at the calendar's ends, and columns named twice. Each run ends in a result
or in diagnostics naming where: never an internal error, never a hang.

(Glob characters in data paths are fuzzed in tests/measure/test_paths.py, reserved column
names in test_data_mutations.py.)
"""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.measure.test_special_files import SPECIAL, make_special, outcome
from tests.measure.test_validation import GOOD_IE, GOOD_OFF, IE_HEADER, OFF_HEADER, write
from tests.test_conditions_kinds import with_condition

from pbrrules.compiler import compile_contract
from pbrrules.errors import ContractError, OutcomeDataError
from pbrrules.measure import load_outcomes, measure
from pbrrules.syntax import limits

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ------------------------------------------------------------------------------------------------
# Special files


@SETTINGS
@given(
    kinds=st.fixed_dictionaries(
        {"index_events": st.sampled_from([None, *SPECIAL]), "offences": st.sampled_from(SPECIAL)}
    ),
    suffix=st.sampled_from(["csv", "jsonl", "parquet"]),
    by_path=st.booleans(),
)
def test_special_files_are_data_problems(
    kinds: dict[str, str | None], suffix: str, by_path: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write(folder, GOOD_IE, GOOD_OFF)
        paths = {}
        for table, kind in kinds.items():
            paths[table] = folder / f"{table}.csv"
            if kind is not None:
                paths[table].unlink()
                paths[table] = folder / f"{table}.{suffix}"
                make_special(paths[table], kind)
        contract = compile_contract(with_condition('disposal is "community_order"'))

        def run() -> None:
            data = load_outcomes(**paths) if by_path else load_outcomes(folder)
            measure(contract, data)

        message = outcome(run)
        first = "index_events" if kinds["index_events"] is not None else "offences"
        assert "PBR301" in message
        assert f"{first}.{suffix}" in message


# ------------------------------------------------------------------------------------------------
# Type-confused conditions

COLUMNS = ["age", "sentence_months", "index_date", "area", "disposal", "group", "predicted_rate",
           "deported", "released_on", "risk_score"]
VALUES = ['"x"', '"community_order"', "3", "0.5", "-2", "50%", "2015-10-01", "yes", "no"]


@st.composite
def condition(draw: st.DrawFn, depth: int = 0) -> str:
    """A random condition over standard and other columns, values of any kind."""
    column = draw(st.sampled_from(COLUMNS))
    value = st.sampled_from(VALUES)
    forms = [
        f"{column} is {draw(value)}",
        f"{column} is not {draw(value)}",
        f"{column} {draw(st.sampled_from(['<', '<=', '>', '>=']))} {draw(value)}",
        f"{column} between {draw(value)} and {draw(value)}",
        f"{column} is one of {draw(value)}, {draw(value)}",
        column,
        f"not {column}",
    ]
    if depth < 2:
        forms.append(f"{draw(condition(depth + 1))} and {draw(condition(depth + 1))}")
        forms.append(f"not ({draw(condition(depth + 1))} or {draw(condition(depth + 1))})")
    return draw(st.sampled_from(forms))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(eligible=condition(), exclude=st.none() | condition())
def test_type_confused_conditions_are_refused_or_measured(
    eligible: str, exclude: str | None
) -> None:
    text = with_condition(eligible)
    if exclude is not None:
        text = text.replace(
            "  quarterly from", f'  exclude when {exclude} because "r"\n  quarterly from', 1
        )
    try:
        contract = compile_contract(text, "c.pbr")
    except ContractError as error:
        assert all(d.span.source == "c.pbr" for d in error.diagnostics)
        return
    with tempfile.TemporaryDirectory() as tmp:
        ie = [row + ",40,7,yes,2015-01-01,0.5" for row in GOOD_IE]
        header = "offender_id,index_date,area,disposal,predicted_rate,group,age,sentence_months,"
        header += "deported,released_on,risk_score"
        write(Path(tmp), ie, GOOD_OFF, ie_header=header)
        try:
            measure(contract, load_outcomes(tmp))
        except OutcomeDataError as error:  # a value of the data, named by file/row/column
            assert "PBR3" in str(error)


# ------------------------------------------------------------------------------------------------
# Calendar extremes

DATES = st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31)) | st.sampled_from(
    [datetime.date(1, 1, 1), datetime.date(9999, 10, 1), datetime.date(9999, 12, 31),
     limits.EARLIEST_DATE, limits.LATEST_DATE, datetime.date(2199, 10, 1)]
)


@SETTINGS
@given(
    start=DATES,
    end=DATES,
    years=DATES,
    period=st.sampled_from(["quarterly", "contract years", 'period "p"', "first"]),
    follow=st.integers(0, 10**6),
    unit=st.sampled_from(["months", "days", "years"]),
)
def test_calendar_extremes_are_diagnosed_never_a_crash(
    start: datetime.date, end: datetime.date, years: datetime.date, period: str, follow: int,
    unit: str,
) -> None:
    text = with_condition('disposal is "community_order"')
    line = (
        f"first 10 eligible index events from {start}, at most 3 cohorts"
        if period == "first"
        else f"{period} from {start} to {end}"
    )
    text = text.replace("quarterly from 2015-10-01 to 2016-09-30", line)
    text = text.replace("contract years start 2015-02-01", f"contract years start {years}")
    follow_up = f"  binary rate of starts\n  follow-up {follow} {unit}"
    text = text.replace("  binary rate of starts", follow_up)
    try:
        compile_contract(text, "c.pbr")
    except ContractError as error:
        for d in error.diagnostics:
            assert d.span.source == "c.pbr"
        codes = {d.code for d in error.diagnostics}
        if not limits.EARLIEST_DATE <= start <= limits.LATEST_DATE:
            assert "PBR012" in codes



# ------------------------------------------------------------------------------------------------
# Columns named twice


NEEDED = {
    "index_events": {"offender_id", "index_date", "disposal", "predicted_rate"},
    "offences": {"offender_id", "offence_date", "disposal_date", "disposal_type", "breach"},
}


@SETTINGS
@given(table=st.sampled_from(["index_events", "offences"]), data=st.data())
def test_a_column_named_twice_is_a_data_problem(table: str, data: st.DataObject) -> None:
    """A header naming a column twice (in any capitals): refused, naming it, when the contract
    needs that column; never DuckDB's words or an internal error."""
    header = IE_HEADER if table == "index_events" else OFF_HEADER
    twin = data.draw(st.sampled_from(header.split(",")))
    spelled = "".join(c.upper() if data.draw(st.booleans()) else c for c in twin)
    extended = f"{header},{spelled}"
    ie = [r + ",x" for r in GOOD_IE] if table == "index_events" else GOOD_IE
    off = [r + ",x" for r in GOOD_OFF] if table == "offences" else GOOD_OFF
    contract = compile_contract(with_condition('disposal is "community_order"'))
    with tempfile.TemporaryDirectory() as tmp:
        if table == "index_events":
            write(Path(tmp), ie, off, ie_header=extended)
        else:
            write(Path(tmp), ie, off, off_header=extended)
        try:
            measure(contract, load_outcomes(tmp))
        except OutcomeDataError as error:
            assert "PBR3" in str(error)
            assert "struct_pack" not in str(error)
            if twin in NEEDED[table]:
                assert f"'{twin}' twice" in str(error)
        else:
            assert twin not in NEEDED[table]
