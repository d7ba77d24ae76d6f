"""Messages that teach: natural mistakes a contract lawyer makes, each with the message it must
get. Every message names the construct it was found in (or the thing that is wrong) and the fix.

Each probe changes one line of contracts/doncaster.pbr the way a lawyer writing from memory
would, and lists fragments the diagnostic must hold. The list is the specification: a change
to the compiler that makes any of these messages less helpful fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pbrrules.compiler import compile_contract
from pbrrules.errors import ContractError

BASE = (Path(__file__).parents[1] / "contracts" / "doncaster.pbr").read_text(encoding="utf-8")
TERM = "in the term 'repayment'"
THRESHOLD = "  reduction in reduction of at least target_reduction"
HALF_AWAY = "payments to 2 decimal places, half away from zero"
MEASURE = "in the measure 'reconviction_rate'"
EXAMPLE_4 = "in the example 'the cancelled fourth year is reported but neither paid nor repaid'"

# (what the lawyer wrote, replacing what, fragments the message must hold)
PROBES: list[tuple[str, str, tuple[str, ...]]] = [
    ("rate = 58 percent", "rate = 58.0%", (
        "in the parameter 'baseline_2009'", "write a percentage with the sign: '58%'")),
    ("rate = 58 per cent", "rate = 58.0%", ("in the parameter 'baseline_2009'", "'58%'")),
    ("rate = 58", "rate = 58.0%", ("'baseline_2009'", "must be a rate (e.g. 49.9%)")),
    ("rate = 0.58", "rate = 58.0%", ("'baseline_2009'", "must be a rate (e.g. 49.9%)")),
    ("= 5 pct points", "= 5 percentage points", (
        "in the parameter 'target_reduction'", "'5 percentage points'")),
    ("= 5 % points", "= 5 percentage points", ("'target_reduction'", "'5 percentage points'")),
    ("parameter baseline 2009: rate", "parameter baseline_2009: rate", (
        "in the parameter 'baseline'", "expected ':'")),
    ("parameter baseline_2009 rate", "parameter baseline_2009: rate", (
        "in the parameter 'baseline_2009'", "expected ':'")),
    ("parameter baseline_2009: percentage =", "parameter baseline_2009: rate =", (
        "'baseline_2009'", "expected 'points'")),
    ("param baseline_2009: rate", "parameter baseline_2009: rate", (
        "unexpected name 'param'", "did you mean 'parameter'?")),
    ("contract year 1: 20,000,000", "contract year 1: £20,000,000", (
        "'core_contract_value'", "must be an amount of money")),
    ("contract year 1: £20 000 000", "contract year 1: £20,000,000", (
        "in the parameter 'core_contract_value'", "group the thousands with commas",
        "'£20,000,000'")),
    ("contract year 1 £20,000,000", "contract year 1: £20,000,000", (
        "in the parameter 'core_contract_value'", "expected ':'")),
    ("  year 1: £20,000,000", "  contract year 1: £20,000,000", (
        "in the parameter 'core_contract_value'", "'contract year 1: ...'")),
    ("eligible if disposal is", "eligible when disposal is", (
        "in the cohort 'discharges'", "expected 'when'")),
    ("eligible when disposal is custody_release", 'eligible when disposal is "custody_release"', (
        "unknown parameter 'custody_release'",)),
    ("eligible when disposal is 'custody_release'", 'eligible when disposal is "custody_release"', (
        "in the cohort 'discharges'", "double quotes")),
    ('eligible when disposal is "custody_release" or "licence"',
     'eligible when disposal is "custody_release"', (
         "in the cohort 'discharges'", """'is one of "custody_release", "licence"'""")),
    ('eligible when disposal is "custody_release', 'eligible when disposal is "custody_release"', (
        "no closing quote",)),
    ("  follow up 12 months", "  follow-up 12 months", (MEASURE, "did you mean 'follow-up'?")),
    ("  follow-up 12\n", "  follow-up 12 months\n", (MEASURE, "'months'")),
    ("  follow-up one year", "  follow-up 12 months", (MEASURE, "write numbers in figures")),
    ("  waiting period of 6 months", "  waiting period 6 months", (
        MEASURE, "straight after the words: 'waiting period N months'")),
    ("  proven by convictions", "  proven by conviction", (
        "'reconviction_rate' is proven by 'convictions'", "did you mean 'conviction'?")),
    ("  exclude breaches", "  breaches excluded", (MEASURE, "'breaches excluded'")),
    ("against baseline_2009\n", "against baseline_2009 in percentage points\n", (
        "in the comparison 'reduction'", "expected 'in'")),
    ("reconviction_rate vs baseline_2009", "reconviction_rate against baseline_2009", (
        "in the comparison 'reduction'", "expected 'against'")),
    ("in points", "in percentage points", (
        "in the comparison 'reduction'", "'in percentage points'")),
    ("  reduction in reduction at least", "  reduction in reduction of at least", (
        "in the target 'five_points'", "'of'")),
    ("  reduction in reduction greater than target_reduction", THRESHOLD, (
         "in the target 'five_points'", "'reduction in C of at least X'")),
    ("  reduction of at least target_reduction", THRESHOLD, (
        "in the target 'five_points'", "expected 'in'")),
    ("  reduction in reduction of at least 5%", THRESHOLD, (
        "the threshold of 'five_points' must be percentage points", "'5 percentage points'")),
    ("  reduction in reductoin of", "  reduction in reduction of", (
        "unknown comparison 'reductoin'", "did you mean 'reduction'?")),
    ("target five_points (source \"Turning Point, 'Serco launches pilot at HMP Doncaster', "
     "press release, 2011\")\n",
     "target five_points (source \"Turning Point, 'Serco launches pilot at HMP Doncaster', "
     "press release, 2011\"):\n", (
         "the heading of the target 'five_points' does not end with ':'",)),
    ("  unless five_point\n", "  unless five_points\n", (
        "unknown target 'five_point'", "did you mean 'five_points'?")),
    ("  unles five_points", "  unless five_points", (TERM, "did you mean 'unless'?")),
    ("  if not five_points", "  unless five_points", (TERM, "written with 'when'")),
    ("  deducts 10%", "  deduct 10%", (TERM, "did you mean 'deduct'?")),
    ("  repay 10%", "  deduct 10%", (TERM, "a line of a term begins with one of")),
    ("  deduct 10% of the core_contract_value", "  deduct 10% of core_contract_value", (
        TERM, "without 'the': 'of core_contract_value'")),
    ("  deduct 10 percent of", "  deduct 10% of", (TERM, "'10%'")),
    ("  deduct £2m\n", "  deduct 10% of core_contract_value\n", (
        TERM, "write the amount in full", "'£2,000,000'")),
    ("payments to 2 decimal places, round half up", HALF_AWAY, (
        "in the rounding rules", "(no 'round')", "'..., half up'")),
    ("payments to the nearest penny", HALF_AWAY, (
        "in the rounding rules", "'payments to 2 decimal places, half up'")),
    ("rounding\n", "rounding:\n", ("the heading of the rounding rules does not end with ':'",)),
    ("  expect repayment to pay -£2,000,000\n", "  expect repayment pays -£2,000,000\n", (
        "in the example '4.9 points below 2009 misses it'", "'pays'")),
    ("  given year 4: 1,000", '  given "year 4": 1,000', (EXAMPLE_4, """'given "year 4": ...'""")),
    ('  given "year 4": 1,000 offenders and 600', '  given "year 4": 1,000 offenders, 600', (
        EXAMPLE_4, "separate the figures with commas")),
    ("600 reoffended", "600 reoffenders", (EXAMPLE_4, "did you mean 'reoffenders'?")),
    ("  currency pounds", "  currency GBP", ("in the header", "a currency code such as GBP")),
]


def test_there_are_at_least_forty_probes() -> None:
    assert len(PROBES) >= 40


@pytest.mark.parametrize(
    ("wrong", "right", "fragments"), PROBES, ids=[p[0].strip() for p in PROBES]
)
def test_a_natural_mistake_gets_a_message_naming_the_construct_and_the_fix(
    wrong: str, right: str, fragments: tuple[str, ...]
) -> None:
    assert BASE.count(right) >= 1, right
    text = BASE.replace(right, wrong, 1)
    with pytest.raises(ContractError) as caught:
        compile_contract(text, "doncaster.pbr")
    message = caught.value.render()
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in:\n{message}"


def test_inside_a_declaration_the_keywords_that_open_new_ones_are_not_offered() -> None:
    text = BASE.replace("  reduction in reduction of at least", "  reduction in reduction at least")
    with pytest.raises(ContractError) as caught:
        compile_contract(text, "doncaster.pbr")
    help_ = caught.value.diagnostics[0].help or ""
    assert "'of'" in help_
    for opener in ("'cohort'", "'measure'", "'parameter'", "'term'", "'cap'"):
        assert opener not in help_


@pytest.mark.parametrize(
    ("wrong", "right"), [p[:2] for p in PROBES], ids=[p[0].strip() for p in PROBES]
)
def test_one_mistake_gets_one_message(wrong: str, right: str) -> None:
    """No follow-on errors, and no warning that only follows from the error (a parameter whose
    use the mistake replaced looks unused)."""
    with pytest.raises(ContractError) as caught:
        compile_contract(BASE.replace(right, wrong, 1), "doncaster.pbr")
    assert len(caught.value.diagnostics) == 1, caught.value.render()
