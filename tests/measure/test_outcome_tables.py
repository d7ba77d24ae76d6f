"""The outcome tables beyond offences: found in a folder or given, checked like the others
(file, row, column), rejected record by record with ``reject_invalid``, accounted for; a table
a measure needs and the data lacks stops the run; one no measure reads is not read."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from pbrrules import rules
from pbrrules.compiler import compile_contract
from pbrrules.measure import OutcomeRecordsError, load_outcomes, measure

D = datetime.date

CONTRACT = """contract "Outcomes"
  currency USD

cohort releases:
  quarterly from 2018-01-01 to 2018-12-31

measure rearrests:
  frequency per 100 offenders of releases
  counting arrests

measure jail:
  frequency per reoffender of releases
  counting custody days
  follow-up 3 months starting 9 months after the index date
  unit "bed days"

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
"""


@pytest.fixture(scope="module")
def contract() -> rules.Contract:
    return compile_contract(CONTRACT)


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def _folder(tmp_path: Path, **tables: str) -> Path:
    _write(tmp_path, "index_events.csv", "offender_id,index_date\na,2018-02-15\nb,2018-05-31\n")
    offences = "offender_id,offence_date,disposal_date,disposal_type,breach\n"
    _write(tmp_path, "offences.csv", offences)
    defaults = {
        "arrests": "offender_id,arrest_date\na,2018-03-01\n",
        "custody": "offender_id,start_date,end_date\na,2018-11-20,2018-11-29\n",
        "employment": "offender_id,quarter,employed\na,2019-Q1,yes\n",
    }
    for table, text in (defaults | tables).items():
        if text:
            _write(tmp_path, f"{table}.csv", text)
    return tmp_path


def _problems(contract: rules.Contract, folder: Path) -> list[tuple[Any, ...]]:
    with pytest.raises(OutcomeRecordsError) as info:
        measure(contract, load_outcomes(folder))
    return [(p.code, p.table, p.row, p.column, p.message) for p in info.value.problems]


def test_a_folder_with_every_table_is_measured_and_accounted(
    contract: rules.Contract, tmp_path: Path
) -> None:
    result = measure(contract, load_outcomes(_folder(tmp_path)))
    q1 = result.figures[0].treatment.counts
    assert q1["rearrests"].reoffences == 1
    # a's window opens 2018-11-15 (index date + 9 months): 20 to 29 November, both counted
    assert q1["jail"].reoffences == 10
    assert q1["employed"].reoffenders == 1
    tables = [f.table for f in result.files]
    assert tables == ["index_events", "offences", "arrests", "custody", "employment"]
    assert all(f.sha256 for f in result.files)
    assert result.accounting.reconciles
    json = result.accounting.to_json()
    assert set(json) == {"index_events", "offences", "arrests", "custody", "employment"}


def test_a_table_a_measure_needs_and_the_data_lacks_stops_the_run(
    contract: rules.Contract, tmp_path: Path
) -> None:
    problems = _problems(contract, _folder(tmp_path, custody=""))
    assert problems == [
        ("PBR301", "custody", None, None,
         "no input given for this table (measure 'jail' counts custody days)")
    ]  # fmt: skip


def test_a_table_no_measure_reads_is_not_read(tmp_path: Path) -> None:
    only_arrests = compile_contract(
        CONTRACT.replace("measure jail:", "measure jail_unused:")
        .replace("  counting custody days\n", "  counting arrests\n")
        .replace("  counting quarters employed\n", "  counting arrests\n")
    )
    folder = _folder(tmp_path, custody="not,a\ncustody,file\n", employment="")
    result = measure(only_arrests, load_outcomes(folder))
    assert [f.table for f in result.files] == ["index_events", "offences", "arrests"]


def test_bad_values_are_reported_by_file_row_and_column(
    contract: rules.Contract, tmp_path: Path
) -> None:
    folder = _folder(
        tmp_path,
        arrests="offender_id,arrest_date\na,2018-02-30\nz,2018-03-01\na,2018-03-02\na,2018-03-02\n",
        custody="offender_id,start_date,end_date\na,2018-11-20,2018-11-19\n",
        employment="offender_id,quarter,employed,earnings\na,2019-02-01,yes,\nb,2019-Q5,no,1.234\n",
    )
    problems = _problems(contract, folder)
    assert ("PBR303", "arrests", 1, "arrest_date", "cannot be read") in problems
    assert ("PBR307", "arrests", 2, "offender_id",
            "record for an offender with no index event") in problems  # fmt: skip
    assert ("PBR308", "arrests", 4, None, "this row repeats row 3 exactly") in problems
    assert ("PBR312", "custody", 1, "end_date", "custody spell ends before it starts") in problems
    assert ("PBR303", "employment", 1, "quarter", "cannot be read") in problems
    assert ("PBR303", "employment", 2, "quarter", "cannot be read") in problems
    assert ("PBR303", "employment", 2, "earnings", "cannot be read") in problems


def test_a_missing_column_is_reported(contract: rules.Contract, tmp_path: Path) -> None:
    folder = _folder(tmp_path, employment="offender_id,quarter\na,2019-Q1\n")
    problems = _problems(contract, folder)
    assert [(p[0], p[1], p[3]) for p in problems] == [("PBR302", "employment", "employed")]


def test_a_custody_file_without_its_end_date_column_is_refused(
    contract: rules.Contract, tmp_path: Path
) -> None:
    """Empty end dates are open spells; a file with no end_date column at all would make every
    spell open and pay on days never spent in custody: refused, never a crash (the fuzzer's
    header ``offender_id,start_date,;end_date``)."""
    for header in ("offender_id,start_date", "offender_id,start_date,;end_date"):
        folder = _folder(tmp_path, custody=f"{header}\na,2018-11-20,\n")
        problems = _problems(contract, folder)
        assert [(p[0], p[1], p[3]) for p in problems] == [("PBR302", "custody", "end_date")]


def test_records_after_a_stated_extract_date_are_invalid(
    contract: rules.Contract, tmp_path: Path
) -> None:
    folder = _folder(tmp_path)
    with pytest.raises(OutcomeRecordsError) as info:
        measure(contract, load_outcomes(folder), as_of=D(2018, 12, 31))
    late = {(p.code, p.table, p.column) for p in info.value.problems}
    assert late == {("PBR310", "employment", "quarter")}


def test_rejecting_invalid_records_measures_the_rest_and_accounts_for_each(
    contract: rules.Contract, tmp_path: Path
) -> None:
    folder = _folder(
        tmp_path,
        arrests="offender_id,arrest_date\na,2018-02-30\na,2018-03-01\nb,2020-01-01\n",
        custody="offender_id,start_date,end_date\na,2018-11-20,2018-11-19\na,2018-11-20,\n",
        employment="offender_id,quarter,employed\na,2019-Q1,yes\nb,2019-Q2,no\nb,2017-Q1,yes\n",
    )
    result = measure(contract, load_outcomes(folder), reject_invalid=True)
    assert {(p.code, p.table, p.row) for p in result.rejected} == {
        ("PBR303", "arrests", 1),
        ("PBR312", "custody", 1),
    }
    arrests = result.accounting.table("arrests")
    assert arrests is not None
    assert (arrests.counted, arrests.excluded, arrests.rejected) == (
        1,
        (("not within the window of any counted index event", 1),),
        (("bad value", 1),),
    )
    employment = result.accounting.table("employment")
    assert employment is not None
    assert employment.counted == 1
    assert dict(employment.excluded) == {
        "a quarter without employment (employed is no)": 1,
        "not within the window of any counted index event": 1,
    }
    assert result.accounting.reconciles


def test_an_open_spell_counts_to_the_extract_date(contract: rules.Contract, tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        custody="offender_id,start_date,end_date\na,2018-11-01,\n",
        employment="offender_id,quarter,employed\na,2018-Q1,yes\n",
    )
    result = measure(contract, load_outcomes(folder), as_of=D(2018, 12, 10))
    # a's window: 2018-11-15 to 2019-02-14; in custody from 1 Nov, counted to 10 Dec: 26 days
    assert result.figures[0].treatment.counts["jail"].reoffences == 26
