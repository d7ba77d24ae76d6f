"""Worked examples inside contracts: the published figures the contracts cite, and the runner
itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from pbrrules.compiler import compile_contract, compile_file
from pbrrules.errors import ContractError
from pbrrules.worked_examples import run_example, run_examples

CONTRACTS = Path(__file__).parents[2] / "contracts"
FIXTURES = Path(__file__).parent / "contracts"

# Examples that document a gap in the language rather than a bug (LANGUAGE-FEEDBACK.md item 10:
# "pooled over all cohorts so far" is tested at every cohort; Peterborough tested it once).
KNOWN_GAPS: set[tuple[str, str]] = set()


def _worked_examples() -> list[object]:
    cases: list[object] = []
    for path in sorted([*CONTRACTS.glob("*.pbr"), *FIXTURES.glob("*.pbr")]):
        try:
            contract = compile_file(path)
        except ContractError:
            continue  # templates and lots are checked by the compiler's tests
        for example in contract.examples:
            marks = []
            if (path.name, example.name) in KNOWN_GAPS:
                marks.append(pytest.mark.xfail(strict=True, reason="language gap, item 10"))
            cases.append(
                pytest.param(path, example.name, marks=marks, id=f"{path.name}: {example.name}")
            )
    return cases


@pytest.mark.parametrize(("path", "name"), _worked_examples())
def test_every_worked_example_in_the_bundled_contracts_passes(path: Path, name: str) -> None:
    contract = compile_file(path)
    (example,) = [e for e in contract.examples if e.name == name]
    result = run_example(contract, example)
    assert result.problem is None
    assert [(c.expected, c.actual) for c in result.results if not c.passed] == []


def test_the_published_figures_are_written_as_examples() -> None:
    names = {
        name
        for path in (CONTRACTS / "doncaster.pbr", CONTRACTS / "peterborough.pbr",
                     CONTRACTS / "local-justice-reinvestment.pbr", CONTRACTS / "rikers-island.pbr")
        for name in (e.name for e in compile_file(path).examples)
    }
    assert len(names) >= 12


LJR = (FIXTURES / "ljr.pbr").read_text(encoding="utf-8")
HEAD = LJR[: LJR.index("example ")]


def _run(examples: str) -> list[tuple[bool, str, str]]:
    contract = compile_contract(HEAD + examples, "ljr_examples.pbr")
    (result,) = run_examples(contract)
    return [(c.passed, c.expected, c.actual) for c in result.results]


def test_a_wrong_amount_fails_with_expected_and_actual() -> None:
    checks = _run(
        'example "12%":\n  given "year 1": 1,000 offenders, 880 reoffences\n'
        "  expect reinvestment pays £9,400,000\n"
    )
    assert checks == [(False, "expect reinvestment pays £9,400,000", "£9,500,000.00")]


def test_values_match_at_the_precision_written() -> None:
    # 8.387% written as 8.4% matches (half up to one place); written as 8.39% matches too;
    # 8.38% does not.
    text = (
        'example "precision":\n  given "year 1": 100,000 offenders, 91,613 reoffences\n'
        "  expect demand_change = 8.4%\n  expect demand_change = 8.39%\n"
        "  expect demand_change = 8.38%\n"
    )
    assert [passed for passed, _, _ in _run(text)] == [True, True, False]


def test_points_and_percent_are_not_interchangeable_in_expectations() -> None:
    """The compiler refuses the expectation before any example runs (PBR202)."""
    with pytest.raises(ContractError) as caught:
        _run(
            'example "units":\n  given "year 1": 1,000 offenders, 880 reoffences\n'
            "  expect demand_change = 12pp\n"
        )
    assert [d.code for d in caught.value.diagnostics] == ["PBR202"]


def test_verdict_expectations_on_targets_and_terms() -> None:
    checks = _run(
        'example "verdicts":\n  given "year 1": 1,000 offenders, 960 reoffences\n'
        "  expect five_percent is not met\n  expect reinvestment is not met\n"
        "  expect five_percent is met\n"
    )
    assert [passed for passed, _, _ in checks] == [True, True, False]


def test_expectations_in_a_period_look_only_at_that_period() -> None:
    checks = _run(
        'example "two years":\n  given "year 1": 1,000 offenders, 960 reoffences\n'
        '  given "year 2": 1,000 offenders, 880 reoffences\n'
        '  expect reinvestment pays £0 in "year 1"\n'
        '  expect reinvestment pays £9,500,000 in "year 2"\n'
        "  expect total pays £9,500,000\n"
    )
    assert [passed for passed, _, _ in checks] == [True, True, True]


def test_a_given_value_overrides_a_parameter() -> None:
    checks = _run(
        'example "cheaper":\n  given "year 1": 1,000 offenders, 880 reoffences\n'
        "  given baseline_cost = £10 million\n  expect reinvestment pays £950,000\n"
    )
    assert checks[0][0] is True


def test_a_fractional_count_is_reported_not_raised() -> None:
    contract = compile_contract(
        HEAD + 'example "bad":\n  given "year 1": 1,000 offenders, 916.5 reoffences\n'
        "  expect reinvestment pays £0\n",
        "ljr_examples.pbr",
    )
    (result,) = run_examples(contract)
    assert not result.passed
    assert "whole number" in (result.problem or "")


def test_a_given_value_can_set_a_measure_directly() -> None:
    checks = _run(
        'example "measure given":\n  given adult_demand = 88\n'
        "  expect demand_change = 12%\n  expect reinvestment pays £9,500,000\n"
    )
    assert [passed for passed, _, _ in checks] == [True, True]
