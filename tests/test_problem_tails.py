"""Issue 12 item 11: past 300 problems the report ends in one '... and N more', which counts what
was not shown (there were two, contradicting each other)."""

from __future__ import annotations

import io

from pbrrules.cli.run import _report_data_error
from pbrrules.errors import OutcomeDataError
from pbrrules.measure.problems import LISTED, DataProblem, data_error


def _problem(row: int) -> DataProblem:
    return DataProblem(
        "PBR303", "offences", "offences.csv", row, "offence_date", "x", "not a date", "a date"
    )


def test_one_tail_counts_the_problems_not_shown() -> None:
    out = io.StringIO()
    _report_data_error(data_error([_problem(r) for r in range(1, 401)]), out)
    tails = [line for line in out.getvalue().splitlines() if "... and" in line]
    assert tails == [f"  ... and {400 - LISTED} more"]


def test_problems_beyond_the_message_are_listed_with_their_own_count() -> None:
    problems = [_problem(r) for r in range(1, 81)]
    out = io.StringIO()
    _report_data_error(OutcomeDataError(problems, problems[0].render()), out)
    lines = out.getvalue().splitlines()
    assert len([line for line in lines if "offences.csv" in line]) == 51
    assert [line for line in lines if "... and" in line] == ["  ... and 29 more"]
