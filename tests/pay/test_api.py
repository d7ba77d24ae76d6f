"""The library API: compile once, evaluate on a folder, on records in memory, or on figures."""

from __future__ import annotations

import csv
import datetime
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pbrrules import api
from pbrrules.figures import CohortFigures, GroupFigures, MeasureCounts

ROOT = Path(__file__).parents[2]
DATA = ROOT / "tests" / "pay" / "data" / "doncaster"


def _records(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_records_in_memory_give_the_same_payments_as_the_files() -> None:
    contract = api.load_contract(ROOT / "contracts" / "doncaster.pbr")
    from_files = api.evaluate_folder(contract, DATA)
    in_memory = api.evaluate_records(
        contract, _records("index_events.csv"), _records("offences.csv")
    )
    assert [u.total for u in in_memory.units] == [u.total for u in from_files.units]
    assert in_memory.total == from_files.total
    assert from_files.data is not None
    assert from_files.data.accounting is not None


def test_figures_a_service_holds_are_paid_without_measuring() -> None:
    contract = api.load_contract(ROOT / "contracts" / "doncaster.pbr")
    figures = CohortFigures(
        "discharges", "year 2", datetime.date(2012, 10, 1), datetime.date(2013, 9, 30),
        GroupFigures(1000, {"reconviction_rate": MeasureCounts(547, 700)}),
    )  # fmt: skip
    statement = api.evaluate_figures(contract, [figures])
    assert str(statement.total) == "-£2,000,000.00"
    assert statement.data is None
    assert api.render(statement, "json") == statement.to_json()


def test_one_contract_evaluated_from_many_threads_gives_one_answer() -> None:
    contract = api.load_contract(ROOT / "tests" / "pay" / "contracts" / "ljr.pbr")
    figures = [
        CohortFigures(
            "adults",
            "year 1",
            datetime.date(2011, 7, 1),
            datetime.date(2012, 6, 30),
            GroupFigures(1000, {"adult_demand": MeasureCounts(0, reoffences)}),
        )
        for reoffences in range(700, 1000, 7)
    ]
    expected = [api.evaluate_figures(contract, [f]).to_json() for f in figures]
    with ThreadPoolExecutor(max_workers=8) as pool:
        actual = list(pool.map(lambda f: api.evaluate_figures(contract, [f]).to_json(), figures))
    assert actual == expected


def test_compile_contract_from_text_and_run_its_examples() -> None:
    text = (ROOT / "tests" / "pay" / "contracts" / "rikers.pbr").read_text(encoding="utf-8")
    contract = api.compile_contract(text, "rikers.pbr")
    assert all(result.passed for result in api.run_examples(contract))


def test_the_order_of_records_never_changes_the_statement() -> None:
    import random

    contract = api.load_contract(ROOT / "contracts" / "doncaster.pbr")
    index_events, offences = _records("index_events.csv"), _records("offences.csv")
    shuffle = random.Random(7)
    shuffle.shuffle(index_events)
    shuffle.shuffle(offences)
    shuffled = api.evaluate_records(contract, index_events, offences)
    ordered = api.evaluate_records(contract, _records("index_events.csv"), _records("offences.csv"))
    assert shuffled.units == ordered.units
    assert shuffled.total == ordered.total
