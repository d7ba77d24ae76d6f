"""Pay only on mature data (issue 10): the run's as-of date, provisional and final cohort units,
pooled targets that wait for final cohorts, and reconciliation against the statement paid before.

SPEC §4: "A cohort unit's figures are final only when its period has ended and every window its
measures need has closed by the extract date ... Never pay on a window that has not closed."
"""

from __future__ import annotations

import csv
import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from pbrrules import api
from pbrrules.cli import main
from pbrrules.errors import OutcomeDataError
from pbrrules.figures import CohortFigures, GroupFigures, MeasureCounts
from pbrrules.measure import OutcomeData

ROOT = Path(__file__).parents[2]
PETERBOROUGH = ROOT / "contracts" / "peterborough.pbr"
DONCASTER = ROOT / "contracts" / "doncaster.pbr"


def cut(source: Path, target: Path, day: str, index_until: str | None = None) -> Path:
    """An extract of ``source`` taken on ``day``: index events up to ``index_until`` (default
    ``day``) and the offences of their offenders disposed of by ``day``."""
    target.mkdir(parents=True, exist_ok=True)
    with (source / "index_events.csv").open(encoding="utf-8", newline="") as handle:
        events = [r for r in csv.DictReader(handle) if r["index_date"] <= (index_until or day)]
    people = {r["offender_id"] for r in events}
    with (source / "offences.csv").open(encoding="utf-8", newline="") as handle:
        offences = [
            r
            for r in csv.DictReader(handle)
            if r["offender_id"] in people and r["disposal_date"] <= day
        ]
    for name, rows in (("index_events", events), ("offences", offences)):
        with (target / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return target


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    status = main(["run", *args, "--format", "json"])
    out, err = capsys.readouterr()
    assert status == 0, err
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


def _total(data: dict[str, Any]) -> str:
    totals = data["totals"]
    assert isinstance(totals, dict)
    return str(totals["overall"]["amount"])


def _units(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    units = data["units"]
    assert isinstance(units, list)
    return {u["period"]: u for u in units}


# ------------------------------------------------------------------------------------------------
# Acceptance: Peterborough on cohort 1 alone


@pytest.mark.parametrize("as_of", [None, "2014-04-01"])
def test_peterborough_on_cohort_1_alone_pays_nothing_while_the_pilot_trigger_awaits_cohort_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], as_of: str | None
) -> None:
    """Issue 10: £2,860,000 was paid on cohort 1 plus an empty cohort 2; the decision was £0."""
    folder = cut(ROOT / "examples" / "peterborough", tmp_path / "2014", "2014-04-01", "2012-06-30")
    data = _json(capsys, str(PETERBOROUGH), str(folder), *(["--as-of", as_of] if as_of else []))
    assert _total(data) == "0.00"
    assert data["as_of_source"] == ("given" if as_of else "records")
    units = _units(data)
    assert units["cohort 2"]["final"] is False
    assert units["cohort 2"]["mature_on"] == "2015-12-30"
    if as_of:
        assert units["cohort 1"]["final"] is True
        final_line = units["cohort 1"]["lines"][1]
        assert final_line["status"] == "not assessable"
        assert "awaiting cohort 2 (final on 2015-12-30)" in final_line["derivation"]


def test_peterborough_on_complete_records_pays_as_before(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = _json(capsys, str(PETERBOROUGH), str(ROOT / "examples" / "peterborough"))
    assert _total(data) == "6138000.00"
    assert all(u["final"] for u in _units(data).values() if u["cancelled"] is None)


# ------------------------------------------------------------------------------------------------
# Acceptance: annual cohorts on an extract cut mid-year


def test_an_extract_cut_mid_year_pays_nothing_for_the_open_year_and_says_when_it_is_final(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = cut(ROOT / "examples" / "doncaster", tmp_path / "cut", "2014-04-15")
    data = _json(capsys, str(DONCASTER), str(folder), "--as-of", "2014-04-15")
    units = _units(data)
    year_2 = units["year 2"]
    assert year_2["final"] is False
    assert year_2["total"]["amount"] == "0.00"
    assert all(line["status"] == "not yet due" for line in year_2["lines"])
    assert "final on 2015-03-30; the extract date is 2014-04-15" in year_2["lines"][0]["derivation"]
    assert units["year 1"]["final"] is True

    later = _json(capsys, str(DONCASTER), str(folder), "--as-of", "2015-03-30")
    assert _units(later)["year 2"]["final"] is True
    assert _units(later)["year 2"]["lines"][0]["status"] != "not yet due"


def test_the_open_year_is_shown_in_the_table_with_how_many_windows_have_closed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = cut(ROOT / "examples" / "doncaster", tmp_path / "cut", "2014-04-15")
    assert main(["run", str(DONCASTER), str(folder), "--as-of", "2014-04-15"]) == 0
    out = capsys.readouterr().out
    assert "Extract date 2014-04-15 (given with the run)" in out
    assert "provisional: not yet due: cohort year 2 is final on 2015-03-30" in out
    assert "offenders have closed" in out
    assert "not yet due" in out


# ------------------------------------------------------------------------------------------------
# The as-of date: given, stated by the folder, or the records'


def test_a_record_dated_after_the_given_as_of_date_is_invalid_data(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["run", str(DONCASTER), str(ROOT / "examples" / "doncaster"), "--as-of",
                   "2013-01-31"])  # fmt: skip
    err = capsys.readouterr().err
    assert status == 1
    assert "error[PBR310]" in err
    assert "index_events.csv, row" in err
    assert "column index_date" in err
    assert "dated after the extract date (given with the run)" in err


def test_rejecting_invalid_records_rejects_those_dated_after_the_as_of_date(
    tmp_path: Path,
) -> None:
    contract = api.load_contract(DONCASTER)
    statement, measurement = api.measured(
        contract,
        _load(ROOT / "examples" / "doncaster"),
        reject_invalid=True,
        as_of=datetime.date(2013, 1, 31),
    )
    assert measurement.rejected
    # later index events, and the offences of the offenders they leave without one (PBR307)
    assert {p.code for p in measurement.rejected} == {"PBR310", "PBR307"}
    assert statement.total.amount == 0


def _load(folder: Path) -> OutcomeData:
    from pbrrules.measure import load_outcomes

    return load_outcomes(folder)


def test_a_data_folder_states_its_extract_date_in_extract_json(tmp_path: Path) -> None:
    folder = cut(ROOT / "examples" / "doncaster", tmp_path / "cut", "2014-04-15")
    (folder / "extract.json").write_text(
        '{"as_of": "2014-04-15", "extracted_by": "test"}', encoding="utf-8"
    )
    statement = api.evaluate_folder(api.load_contract(DONCASTER), folder)
    assert statement.as_of is not None
    assert (statement.as_of.day, statement.as_of.source) == (datetime.date(2014, 4, 15),
                                                              "extract file")  # fmt: skip
    assert statement.to_dict()["as_of_source"] == "extract file"
    assert statement.as_of.extracted_by == "test"
    assert "**Extract date:** 2014-04-15 (stated by" in api.render(statement, "markdown")
    assert "extracted by test)" in api.render(statement, "markdown")


@pytest.mark.parametrize(
    "text",
    [
        '{"as_of": "2014-13-01"}',
        "[]",
        "not json",
        '{"as_of": "2014-04-15", "by": "x"}',
        '{"note": "no date"}',
        '{"as_of": "2014-04-15", "extracted_by": 7}',
    ],
)
def test_an_unreadable_extract_file_is_reported_with_its_path(tmp_path: Path, text: str) -> None:
    folder = cut(ROOT / "examples" / "doncaster", tmp_path / "cut", "2014-04-15")
    (folder / "extract.json").write_text(text, encoding="utf-8")
    with pytest.raises(OutcomeDataError) as caught:
        api.evaluate_folder(api.load_contract(DONCASTER), folder)
    assert "PBR311" in str(caught.value)
    assert "extract.json" in str(caught.value)


def test_without_a_date_the_statement_says_the_records_run_to_their_latest_date(
    tmp_path: Path,
) -> None:
    folder = cut(ROOT / "examples" / "doncaster", tmp_path / "cut", "2014-04-15")
    statement = api.evaluate_folder(api.load_contract(DONCASTER), folder)
    assert statement.as_of is not None
    assert statement.as_of.source == "records"
    assert statement.as_of.day <= datetime.date(2014, 4, 15)
    text = api.render(statement, "table")
    assert f"No extract date was given; the records run to {statement.as_of.day}" in text


def test_an_as_of_date_that_is_not_a_date_is_misuse(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(DONCASTER), "x", "--as-of", "2014-02-30"]) == 2
    assert "is not a date written YYYY-MM-DD" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------------
# Figures: as_of on evaluate_figures


def test_figures_given_with_an_as_of_date_before_maturity_pay_nothing() -> None:
    contract = api.load_contract(DONCASTER)
    figures = CohortFigures(
        "discharges", "year 2", datetime.date(2012, 10, 1), datetime.date(2013, 9, 30),
        GroupFigures(1000, {"reconviction_rate": MeasureCounts(547, 700)}),
    )  # fmt: skip
    early = api.evaluate_figures(contract, [figures], as_of=datetime.date(2015, 3, 29))
    assert early.total.amount == 0
    assert early.units[0].maturity.state == "provisional"
    final = api.evaluate_figures(contract, [figures], as_of=datetime.date(2015, 3, 30))
    assert str(final.total) == "-£2,000,000.00"


# ------------------------------------------------------------------------------------------------
# Reconciliation


def test_previous_gives_what_is_due_line_by_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = cut(ROOT / "examples" / "peterborough", tmp_path / "2014", "2014-04-01", "2012-06-30")
    previous = tmp_path / "previous.json"
    assert main(["run", str(PETERBOROUGH), str(folder), "--as-of", "2014-04-01", "--format",
                 "json", "--output", str(previous)]) == 0  # fmt: skip
    capsys.readouterr()
    data = _json(capsys, str(PETERBOROUGH), str(ROOT / "examples" / "peterborough"),
                 "--previous", str(previous))  # fmt: skip
    reconciliation = data["reconciliation"]
    assert isinstance(reconciliation, dict)
    assert reconciliation["previous_total"] == "0.00"
    assert reconciliation["due"] == "6138000.00"
    differences = sum(Decimal(line["difference"]["amount"]) for line in reconciliation["lines"])
    assert differences == Decimal(reconciliation["due"])
    lines = [line for unit in _units(data).values() for line in unit["lines"]]
    assert all(line["previous"] is not None for line in lines)


def test_previous_of_another_contract_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    previous = tmp_path / "doncaster.json"
    assert main(["run", str(DONCASTER), str(ROOT / "examples" / "doncaster"), "--format",
                 "json", "--output", str(previous)]) == 0  # fmt: skip
    capsys.readouterr()
    status = main(["run", str(PETERBOROUGH), str(ROOT / "examples" / "peterborough"),
                   "--previous", str(previous)])  # fmt: skip
    err = capsys.readouterr().err
    assert status == 1
    assert 'is a statement of the contract "HMP Doncaster' in err


@pytest.mark.parametrize("text", ["{}", "[1]", "nonsense", '{"schema": "pbr.statement/2"}'])
def test_previous_that_is_not_a_statement_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    previous = tmp_path / "previous.json"
    previous.write_text(text, encoding="utf-8")
    status = main(["run", str(DONCASTER), str(ROOT / "examples" / "doncaster"),
                   "--previous", str(previous)])  # fmt: skip
    assert status == 1
    assert "--previous:" in capsys.readouterr().err


def test_a_realistic_august_2014_peterborough_extract_pays_nothing_on_cohort_2s_open_windows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 10 measured £4,891,333.33 on such an extract, with an early payment on cohort 2's
    truncated window; cohort 2 is final only on 2015-12-30."""
    folder = cut(ROOT / "examples" / "peterborough", tmp_path / "2014-08", "2014-08-31")
    data = _json(capsys, str(PETERBOROUGH), str(folder), "--as-of", "2014-08-31")
    assert _total(data) == "0.00"
    cohort_2 = _units(data)["cohort 2"]
    assert cohort_2["maturity"] == "provisional"
    assert 0 < cohort_2["figures"]["closed"] < cohort_2["figures"]["treatment"]["offenders"]


def test_markdown_and_csv_show_provisional_units_and_what_is_due(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = cut(ROOT / "examples" / "doncaster", tmp_path / "cut", "2014-04-15")
    contract = api.load_contract(DONCASTER)
    early = api.evaluate_folder(contract, folder, as_of=datetime.date(2014, 4, 15))
    previous = tmp_path / "previous.json"
    previous.write_text(early.to_json(), encoding="utf-8")
    later = api.reconcile(api.evaluate_folder(contract, ROOT / "examples" / "doncaster"), previous)
    markdown = api.render(early, "markdown")
    assert "**Not final.** Provisional: not yet due: cohort year 2 is final on 2015" in markdown
    assert "is not yet due and pays **£0.00**" in markdown
    rows = list(csv.DictReader(api.render(later, "csv").removeprefix("\ufeff").splitlines()))
    repayment = next(r for r in rows if r["period"] == "year 2" and r["record"] == "line")
    assert (repayment["final"], repayment["previous"], repayment["difference"]) == (
        "yes", "0.00", "-2000000.00"
    )
    assert "owed back: £2,000,000.00" in api.render(later, "table")
    assert "Against the statement paid before: owed back: £2,000,000.00" in api.render(
        later, "markdown"
    )


def test_pooling_so_far_leaves_out_a_unit_whose_figures_are_provisional() -> None:
    """A pool holds final cohorts only: figures marked provisional are never pooled in."""
    from tests.pay.contracts import contract, gbp, lit, pp, quarter

    from pbrrules.rules import Fixed, Target, TargetMet, Term

    rules = contract(
        terms=(Term("reward", Fixed(lit(gbp("1000"))), when=TargetMet("goal")),),
        targets=(Target("goal", "change", "reduction", lit(pp("5")), pooled=True),),
    )
    first = attrs.evolve(quarter(0, 1000, 100), provisional=True)  # 10%: far below 49.9%
    second = quarter(1, 1000, 470)  # 47%: 2.9 points alone
    statement = api.evaluate_figures(rules, [first, second])
    assert statement.units[0].lines[0].status == "not yet due"
    goal = statement.units[1].target("goal")
    assert goal is not None
    assert goal.verdict == "not met"
    assert "pooled over 2015-Q2" in goal.derivation
    pooled_both = api.evaluate_figures(rules, [attrs.evolve(first, provisional=False), second])
    goal_both = pooled_both.units[1].target("goal")
    assert goal_both is not None
    assert goal_both.verdict == "met"


def test_a_record_after_the_date_the_folders_extract_file_states_names_that_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = cut(ROOT / "examples" / "doncaster", tmp_path / "cut", "2014-04-15")
    (folder / "extract.json").write_text('{"as_of": "2014-01-31"}', encoding="utf-8")
    assert main(["run", str(DONCASTER), str(folder)]) == 1
    err = capsys.readouterr().err
    assert "error[PBR310]" in err
    assert f"dated after the extract date (stated by {folder / 'extract.json'})" in err
    # a date given with the run is the caller's word, and stands over the folder's
    assert main(["run", str(DONCASTER), str(folder), "--as-of", "2014-04-15"]) == 0
    assert "--as-of 2014-04-15 is used, not the 2014-01-31 that" in capsys.readouterr().err


def test_provisional_and_reconciled_statements_are_valid_pbr_statement_2(tmp_path: Path) -> None:
    import jsonschema

    schema = json.loads((ROOT / "docs" / "statement.schema.json").read_text(encoding="utf-8"))
    folder = cut(ROOT / "examples" / "doncaster", tmp_path / "cut", "2014-04-15")
    contract = api.load_contract(DONCASTER)
    early = api.evaluate_folder(contract, folder, as_of=datetime.date(2014, 4, 15))
    later = api.reconcile(api.evaluate_folder(contract, ROOT / "examples" / "doncaster"),
                          early.to_json())  # fmt: skip
    for statement in (early, later):
        jsonschema.validate(json.loads(statement.to_json()), schema)
    assert later.to_dict()["reconciliation"] is not None


def test_previous_is_read_and_checked_before_measuring_and_never_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    previous = tmp_path / "doncaster.json"
    assert main(["run", str(DONCASTER), str(ROOT / "examples" / "doncaster"), "--format",
                 "json", "--output", str(previous)]) == 0  # fmt: skip
    capsys.readouterr()
    # the data folder does not exist: the refusal comes first, before any data is looked at
    status = main(["run", str(PETERBOROUGH), str(tmp_path / "nowhere"), "--previous",
                   str(previous)])  # fmt: skip
    assert status == 1
    assert "is a statement of the contract" in capsys.readouterr().err
    status = main(["run", str(DONCASTER), str(ROOT / "examples" / "doncaster"), "--previous",
                   str(previous), "--output", str(previous)])  # fmt: skip
    assert status == 1
    assert "would overwrite the previous statement" in capsys.readouterr().err
