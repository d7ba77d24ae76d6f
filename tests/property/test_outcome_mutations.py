"""The outcome tables beyond offences under the mutations of ``test_data_mutations``: whatever a
spreadsheet or an export does to arrests, custody or employment files (bytes, lines and cells
deleted, repeated, swapped or replaced; separators, quotes, line ends; unicode; files cut short;
quarters, dates and yes/no values mangled), measuring answers with data problems naming the
file, never a crash; with ``reject_invalid`` it measures, or stops only for a whole file that
cannot be read, and every record is still accounted for."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.measure.test_validation import GOOD_IE, GOOD_OFF, IE_HEADER, OFF_HEADER
from tests.property.test_data_mutations import _jsonl, mutated_text

from pbrrules.compiler import compile_contract
from pbrrules.errors import OutcomeDataError
from pbrrules.measure import OutcomeRecordsError, load_outcomes, measure

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CONTRACT = compile_contract("""contract "Outcome mutations"
  currency USD

cohort releases:
  quarterly from 2015-10-01 to 2016-09-30

measure rearrests:
  frequency per 100 offenders of releases
  counting arrests

measure clean:
  frequency per reoffender of releases
  counting quarters without arrest
  follow-up quarters 1 to 4 after the index date

measure jail:
  frequency per reoffender of releases
  counting custody days
  follow-up 3 months starting 9 months after the index date

measure employed:
  binary rate of releases
  counting quarters employed
  follow-up quarter 4 after the index date

comparison change: employed against 40% in percentage points

target more:
  increase in change of at least 5 percentage points

term reward:
  when more
  pay $100,000
""")
OUTCOMES = {
    "arrests": "offender_id,arrest_date,arrest_id\na,2016-01-31,x1\na,2016-02-29,x1\n"
    "b,2016-07-01,\nc,2016-12-31,x9\n",
    "custody": "offender_id,start_date,end_date\na,2016-07-01,2016-08-31\na,2016-08-01,\n"
    "b,2016-06-30,2016-06-30\nc,2016-08-03,2016-11-02\n",
    "employment": "offender_id,quarter,employed,earnings\na,2016-Q4,yes,100.5\n"
    "a,2016-10-01,no,0\nb,2016-Q3,yes,\nc,2017-Q1,1,12\n",
}
FILES = {
    "index_events": "\n".join([IE_HEADER, *GOOD_IE]) + "\n",
    "offences": "\n".join([OFF_HEADER, *GOOD_OFF]) + "\n",
    **OUTCOMES,
}


@SETTINGS
@given(
    table=st.sampled_from(list(OUTCOMES)),
    fmt=st.sampled_from(["csv", "jsonl"]),
    reject=st.booleans(),
    data=st.data(),
)
def test_mutated_outcome_tables_give_data_problems_never_a_crash(
    table: str, fmt: str, reject: bool, data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in FILES.items():
            body = _jsonl(text) if fmt == "jsonl" else text
            if name == table:
                (folder / f"{name}.{fmt}").write_bytes(data.draw(mutated_text(body)))
            else:
                (folder / f"{name}.{fmt}").write_text(body, encoding="utf-8")
        try:
            result = measure(CONTRACT, load_outcomes(folder), reject_invalid=reject)
        except OutcomeRecordsError as error:
            assert error.problems
            for problem in error.problems:
                assert Path(problem.file).name.startswith(f"{table}.")
                assert problem.code.startswith("PBR3")
        except OutcomeDataError as error:  # a file missing or ambiguous, named in the message
            assert str(error)
        else:
            assert result.accounting.reconciles


def test_the_unmutated_files_measure() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in FILES.items():
            (Path(tmp) / f"{name}.csv").write_text(text, encoding="utf-8")
        result = measure(CONTRACT, load_outcomes(tmp))
    assert result.accounting.reconciles
    assert {t.table for t in result.accounting.outcomes} == set(OUTCOMES)
