"""pbr-eval fmt: a canonical layout that keeps what the lawyer wrote (comments, literals)."""

from __future__ import annotations

from pbrrules.compiler import compile_contract
from pbrrules.formatter.printer import format_text

BASE = """contract "Layout"
  currency GBP

cohort starts:
  eligible when disposal is "community_order"
  quarterly from 2015-10-01 to 2015-12-31

measure binary_rate:
  binary rate of starts

comparison change: binary_rate against 47.5% in percentage points

target met:
  reduction in change of at least 3 percentage points

term reward:
  when met
  pay £1,000
"""


def test_messy_layout_becomes_canonical_and_means_the_same() -> None:
    messy = BASE.replace("\n  ", "\n      ").replace(
        "target met:\n      reduction", "target met: reduction"
    )
    formatted = format_text(messy)
    assert formatted == BASE
    assert compile_contract(formatted) == compile_contract(messy)


def test_literals_keep_the_form_they_were_written_in() -> None:
    text = (
        BASE.replace("47.5%", "47.50%")
        .replace("3 percentage points", "3pp")
        .replace("£1,000", "£0.001 million")
    )
    formatted = format_text(text)
    assert "47.50%" in formatted
    assert "3pp" in formatted
    assert "£0.001 million" in formatted


def test_comments_stay_where_they_were() -> None:
    text = BASE.replace(
        "cohort starts:", "// --- Who is measured ---\n\n// clause 3: the cohort\ncohort starts:"
    ).replace("  pay £1,000", "  pay £1,000  // the fixed sum of clause 6\n// (amended in 2016)")
    formatted = format_text(text)
    assert "// --- Who is measured ---\n\n// clause 3: the cohort\ncohort starts:" in formatted
    assert "  pay £1,000  // the fixed sum of clause 6\n// (amended in 2016)" in formatted
    assert format_text(formatted) == formatted


def test_a_run_of_parameters_the_author_kept_together_stays_together() -> None:
    text = BASE.replace(
        "cohort starts:",
        'parameter a: rate = 1%\n  illustrative "assumed"\n'
        "parameter b: rate = 2%\n\ncohort starts:",
    )
    assert 'illustrative "assumed"\nparameter b' in format_text(text)


def test_half_away_from_zero_is_kept_as_written() -> None:
    text = BASE + "\nrounding:\n  payments to 2 decimal places, half away from zero\n"
    assert "half away from zero" in format_text(text)


def test_pooled_so_far_and_an_examples_as_of_date_keep_their_form_and_meaning() -> None:
    """Issue 10: ``pooled so far`` is the short form of ``pooled over all cohorts so far``;
    ``as of DATE`` reads a worked example on that date."""
    text = BASE.replace(
        "reduction in change of at least 3 percentage points\n",
        "reduction in change of at least 3 percentage points\n  pooled so far\n",
    ) + (
        '\nexample "read before the quarter is final":\n'
        "  as of 2016-06-30\n"
        '  given "2015-Q4": 1,000 offenders, 400 reoffenders\n'
        '  expect reward pays £0 in "2015-Q4"\n'
    )
    formatted = format_text(text)
    assert formatted == text
    long_form = text.replace("pooled so far", "pooled over all cohorts so far")
    assert format_text(long_form) == long_form
    assert compile_contract(long_form) == compile_contract(text)
    example = compile_contract(text).examples[0]
    assert str(example.as_of) == "2016-06-30"


# Comments the printer moves within a cohort's body (hypothesis's mutants of Doncaster): a
# second fmt must leave the first one's output as it is.
COHORT_WITH_MOVED_COMMENTS = """\
contract "c"

cohort discharges:
// a comment right under the heading
  exclude when deported because "deported"
  period "year 1" from 2011-10-01 to 2012-09-30

// --- a section heading inside the body

  eligible when disposal is "custody_release"
"""

COMMENT_BETWEEN_BODY_LINES = """\
contract "c"

cohort discharges:
  eligible when disposal is "custody_release"
// a note hanging from the line above

  exclude when deported because "deported"
  period "year 1" from 2011-10-01 to 2012-09-30
"""


def test_formatting_is_idempotent_when_comments_move_within_a_body() -> None:
    for text in (COHORT_WITH_MOVED_COMMENTS, COMMENT_BETWEEN_BODY_LINES):
        once = format_text(text)
        assert format_text(once) == once, once
        kept = sorted(line.strip() for line in once.splitlines() if "//" in line)
        assert kept == sorted(line.strip() for line in text.splitlines() if "//" in line)
