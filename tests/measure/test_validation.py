"""Bad outcome records get clear errors naming file, row and column; nothing is measured."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from tests.measure import oracle

from pbrrules import rules
from pbrrules.errors import OutcomeDataError
from pbrrules.measure import OutcomeRecordsError, load_outcomes, measure, write_rejects

D = datetime.date
IE_HEADER = "offender_id,index_date,area,disposal,predicted_rate,group"
OFF_HEADER = "offender_id,offence_date,disposal_date,disposal_type,breach,court_event_id"
GOOD_IE = [
    "a,2015-10-01,North,community_order,0.5,treatment",
    "b,2015-10-02,North,community_order,0.25,control",
    "c,2015-11-03,South,custody_release,0.125,treatment",
]
GOOD_OFF = [
    "a,2015-12-01,2016-01-01,conviction,no,s1",
    "b,2016-01-01,2016-02-01,caution,no,s2",
]

CONTRACT = rules.Contract(
    rules.Header("contract", "validation"),
    (
        rules.Version(
            "original",
            None,
            rules.Rules(
                cohorts=(
                    rules.Cohort(
                        "c",
                        eligible=rules.OneOf("disposal", ("community_order", "custody_release")),
                        periods=(rules.Quarterly(D(2015, 10, 1), D(2016, 3, 31)),),
                        grouped_by="area",
                        control_group=rules.FieldTest("group", "=", "control"),
                    ),
                ),
                measures=(
                    rules.Measure("binary", "binary", "c"),
                    rules.Measure("events", "per_offenders", "c", per=100, counting="events"),
                ),
            ),
        ),
    ),
)


def write(
    folder: Path,
    ie: list[str],
    off: list[str],
    *,
    ie_header: str = IE_HEADER,
    off_header: str = OFF_HEADER,
) -> None:
    (folder / "index_events.csv").write_text("\n".join([ie_header, *ie]) + "\n", encoding="utf-8")
    (folder / "offences.csv").write_text("\n".join([off_header, *off]) + "\n", encoding="utf-8")


def problems_of(folder: Path) -> tuple[OutcomeRecordsError, str]:
    with pytest.raises(OutcomeDataError) as info:
        measure(CONTRACT, load_outcomes(folder))
    assert isinstance(info.value, OutcomeRecordsError)
    return info.value, str(info.value)


def test_good_records_measure_without_problems(tmp_path: Path) -> None:
    write(tmp_path, GOOD_IE, GOOD_OFF)
    result = measure(CONTRACT, load_outcomes(tmp_path))
    assert result.rejected == ()
    assert result.accounting.reconciles


BAD_VALUES = {
    # name: (index events, offences, code, file, row, column)
    "unparseable date": (
        GOOD_IE,
        [GOOD_OFF[0], "b,2016-01-01,2016-02-30,caution,no,s2"],
        "PBR303",
        "offences.csv",
        2,
        "disposal_date",
    ),
    "unparseable number": (
        ["a,2015-10-01,North,community_order,high,treatment", *GOOD_IE[1:]],
        GOOD_OFF,
        "PBR303",
        "index_events.csv",
        1,
        "predicted_rate",
    ),
    "number with too many places": (
        [GOOD_IE[0], "b,2015-10-02,North,community_order,0.1234567890123,control", GOOD_IE[2]],
        GOOD_OFF,
        "PBR303",
        "index_events.csv",
        2,
        "predicted_rate",
    ),
    "number out of range": (
        [*GOOD_IE[:2], "c,2015-11-03,South,custody_release,1.5,treatment"],
        GOOD_OFF,
        "PBR305",
        "index_events.csv",
        3,
        "predicted_rate",
    ),
    "missing value": (
        [GOOD_IE[0], " ,2015-10-02,North,community_order,0.25,control", GOOD_IE[2]],
        GOOD_OFF,
        "PBR303",
        "index_events.csv",
        2,
        "offender_id",
    ),
    "a near miss of a counted disposal type": (
        GOOD_IE,
        [GOOD_OFF[0], "b,2016-01-01,2016-02-01,cautoin,no,s2"],
        "PBR304",
        "offences.csv",
        2,
        "disposal_type",
    ),
    "unknown group": (
        [GOOD_IE[0], "b,2015-10-02,North,community_order,0.25,placebo", GOOD_IE[2]],
        GOOD_OFF,
        "PBR304",
        "index_events.csv",
        2,
        "group",
    ),
    "breach neither yes nor no": (
        GOOD_IE,
        ["a,2015-12-01,2016-01-01,conviction,maybe,s1"],
        "PBR303",
        "offences.csv",
        1,
        "breach",
    ),
    "disposal before offence": (
        GOOD_IE,
        [GOOD_OFF[0], "b,2016-01-01,2015-12-31,caution,no,s2"],
        "PBR306",
        "offences.csv",
        2,
        "disposal_date",
    ),
    "offence for an unknown offender": (
        GOOD_IE,
        [*GOOD_OFF, "z,2016-01-01,2016-02-01,caution,no,s9"],
        "PBR307",
        "offences.csv",
        3,
        "offender_id",
    ),
    "conviction without a court sitting (events counted)": (
        GOOD_IE,
        [GOOD_OFF[0], "b,2016-01-01,2016-02-01,conviction,no,"],
        "PBR303",
        "offences.csv",
        2,
        "court_event_id",
    ),
    "same offender twice on one date": (
        [*GOOD_IE, "a,2015-10-01,North,custody_release,0.5,treatment"],
        GOOD_OFF,
        "PBR309",
        "index_events.csv",
        4,
        "index_date",
    ),
}


@pytest.mark.parametrize("kind", BAD_VALUES, ids=list(BAD_VALUES))
def test_a_bad_value_names_file_row_and_column(tmp_path: Path, kind: str) -> None:
    ie, off, code, file, row, column = BAD_VALUES[kind]
    write(tmp_path, ie, off)
    error, message = problems_of(tmp_path)
    found = [p for p in error.problems if p.code == code]
    assert found, message
    assert (file, row, column) in {(Path(p.file).name, p.row, p.column) for p in found}
    assert f"{file}, row {row}, column {column}: error[{code}]" in message
    assert "nothing was paid" in message


def test_a_duplicate_row_names_the_row_it_repeats(tmp_path: Path) -> None:
    write(tmp_path, GOOD_IE, [*GOOD_OFF, GOOD_OFF[0]])
    error, message = problems_of(tmp_path)
    assert [(p.code, p.row) for p in error.problems] == [("PBR308", 3)]
    assert "offences.csv, row 3: error[PBR308]: this row repeats row 1 exactly" in message


def test_a_duplicate_index_event_row_is_invalid(tmp_path: Path) -> None:
    write(tmp_path, [*GOOD_IE, GOOD_IE[1]], GOOD_OFF)
    error, _ = problems_of(tmp_path)
    assert ("PBR308", "index_events", 4) in {(p.code, p.table, p.row) for p in error.problems}


def test_a_missing_column_names_file_and_column(tmp_path: Path) -> None:
    write(
        tmp_path,
        [r.split(",", 2)[0] + "," + r.split(",", 2)[2] for r in GOOD_IE],
        GOOD_OFF,
        ie_header="offender_id,area,disposal,predicted_rate,group",
    )
    error, message = problems_of(tmp_path)
    assert [(p.code, p.column) for p in error.problems] == [("PBR302", "index_date")]
    assert "index_events.csv, column index_date: error[PBR302]: missing column" in message


def test_a_column_the_contract_names_must_be_present(tmp_path: Path) -> None:
    write(
        tmp_path,
        [r.rsplit(",", 1)[0] for r in GOOD_IE],
        GOOD_OFF,
        ie_header=IE_HEADER.rsplit(",", 1)[0],
    )
    error, _ = problems_of(tmp_path)
    assert [(p.code, p.column) for p in error.problems] == [("PBR302", "group")]


def test_an_empty_file_is_reported(tmp_path: Path) -> None:
    write(tmp_path, GOOD_IE, GOOD_OFF)
    (tmp_path / "index_events.csv").write_text("", encoding="utf-8")
    error, message = problems_of(tmp_path)
    assert [p.code for p in error.problems] == ["PBR301"]
    assert "index_events.csv" in message
    assert "empty" in message


def test_index_events_with_a_header_only_are_reported(tmp_path: Path) -> None:
    write(tmp_path, [], GOOD_OFF)
    error, _ = problems_of(tmp_path)
    assert "PBR301" in {p.code for p in error.problems}


def test_offences_with_a_header_only_are_fine(tmp_path: Path) -> None:
    write(tmp_path, GOOD_IE, [])
    result = measure(CONTRACT, load_outcomes(tmp_path))
    assert result.accounting.offences.rows == 0


def test_a_missing_file_is_reported_by_load(tmp_path: Path) -> None:
    write(tmp_path, GOOD_IE, GOOD_OFF)
    (tmp_path / "offences.csv").unlink()
    with pytest.raises(OutcomeDataError, match=r"offences\.\*.*PBR301"):
        load_outcomes(tmp_path)


def test_only_the_first_few_hundred_problems_are_listed(tmp_path: Path) -> None:
    many = [f"p{i},2015-10-01,North,community_order,0.5,treatment" for i in range(400)]
    offs = [f"p{i},2016-01-01,2015-01-01,conviction,no,s{i}" for i in range(400)]
    write(tmp_path, many, offs)
    error, message = problems_of(tmp_path)
    assert error.total == 400
    assert len(error.problems) == 300
    assert "... and 100 more" in message


def test_rejecting_measures_the_valid_records_and_returns_every_rejected_one(
    tmp_path: Path,
) -> None:
    bad_ie = [
        *GOOD_IE,
        "d,2015-13-01,North,community_order,0.5,treatment",
        "a,2015-10-01,North,custody_release,0.5,treatment",
    ]
    bad_off = [
        *GOOD_OFF,
        "c,2016-01-01,2015-12-31,caution,no,s3",
        "z,2016-01-01,2016-02-01,caution,no,s9",
        GOOD_OFF[1],
    ]
    write(tmp_path, bad_ie, bad_off)
    result = measure(CONTRACT, load_outcomes(tmp_path), reject_invalid=True)
    codes = sorted((p.table, p.row, p.code) for p in result.rejected)
    assert codes == [
        ("index_events", 1, "PBR309"),
        ("index_events", 4, "PBR303"),
        ("index_events", 5, "PBR309"),
        ("offences", 3, "PBR306"),
        ("offences", 4, "PBR307"),
        ("offences", 5, "PBR308"),
    ]
    accounting = result.accounting
    assert accounting.reconciles
    assert accounting.index_events.rejected_total == 3
    assert accounting.offences.rejected_total == 3
    # the valid records give the oracle's figures
    events = [
        oracle_event("b", D(2015, 10, 2), "North", "community_order", "0.25", "control"),
        oracle_event("c", D(2015, 11, 3), "South", "custody_release", "0.125", "treatment"),
    ]
    offs = [
        {
            "offender_id": "b",
            "offence_date": D(2016, 1, 1),
            "disposal_date": D(2016, 2, 1),
            "disposal_type": "caution",
            "breach": False,
            "court_event_id": "s2",
        }
    ]
    expected, _ = oracle.measure(CONTRACT, events, offs)
    assert list(result.figures) == expected
    out = tmp_path / "rejects.csv"
    write_rejects(out, result.rejected)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "table,file,row,code,column,value,reason"
    assert len(lines) == 1 + 6
    assert any("disposal before the offence" in line for line in lines)


def oracle_event(
    offender: str, day: D, area: str, disposal: str, predicted: str, group: str
) -> dict[str, object]:
    from fractions import Fraction

    return {
        "offender_id": offender,
        "index_date": day,
        "area": area,
        "disposal": disposal,
        "predicted_rate": Fraction(predicted),
        "group": group,
    }


def test_row_numbers_hold_in_a_file_read_in_parallel(tmp_path: Path) -> None:
    """DuckDB reads a large CSV in parallel chunks; reported rows are still file positions."""
    many = [
        f"p{i},2015-10-{1 + i % 28:02d},North,community_order,0.5,treatment" for i in range(250_000)
    ]
    many[199_999] = "p199999,2015-10-32,North,community_order,0.5,treatment"
    write(tmp_path, many, [])
    error, message = problems_of(tmp_path)
    assert [(p.row, p.column) for p in error.problems] == [(200_000, "index_date")]
    assert "index_events.csv, row 200000, column index_date" in message


def test_rejecting_a_text_offence_with_a_near_miss_of_a_counted_type_measures_the_rest(
    tmp_path: Path,
) -> None:
    """Offence categories of text files are held as ENUMs once read: a near miss of a counted
    type is rejected, padded types are measured as written without the padding, and types no
    measure counts (issue 11: a penalty notice, a fine) are accepted and not counted."""
    offs = [
        GOOD_OFF[0],
        " b , 2016-01-01 , 2016-02-01 , caution , no , s2 ",
        "b,2016-01-05,2016-02-01,convction,no,s3",
        "b,2016-01-06,2016-02-01,penalty_notice,no,s4",
        "a,2016-01-07,2016-02-01,fine,no,s5",
    ]
    write(tmp_path, GOOD_IE, offs)
    result = measure(CONTRACT, load_outcomes(tmp_path), reject_invalid=True)
    assert [(p.table, p.row, p.code) for p in result.rejected] == [("offences", 3, "PBR304")]
    assert result.accounting.reconciles
    assert result.accounting.offences.rows == 5
    assert result.accounting.offences.rejected_total == 1
    assert dict(result.accounting.offences.excluded)["disposal type not counted"] == 2
    events = [
        oracle_event("a", D(2015, 10, 1), "North", "community_order", "0.5", "treatment"),
        oracle_event("b", D(2015, 10, 2), "North", "community_order", "0.25", "control"),
        oracle_event("c", D(2015, 11, 3), "South", "custody_release", "0.125", "treatment"),
    ]
    valid = [
        {
            "offender_id": offender,
            "offence_date": offence,
            "disposal_date": disposal,
            "disposal_type": kind,
            "breach": False,
            "court_event_id": sitting,
        }
        for offender, offence, disposal, kind, sitting in (
            ("a", D(2015, 12, 1), D(2016, 1, 1), "conviction", "s1"),
            ("b", D(2016, 1, 1), D(2016, 2, 1), "caution", "s2"),
            ("b", D(2016, 1, 6), D(2016, 2, 1), "penalty_notice", "s4"),
            ("a", D(2016, 1, 7), D(2016, 2, 1), "fine", "s5"),
        )
    ]
    expected, _ = oracle.measure(CONTRACT, events, valid)
    assert list(result.figures) == expected


def test_an_extract_with_types_no_measure_counts_is_measured(tmp_path: Path) -> None:
    """Issue 11: real extracts carry many outcome types; without --reject-invalid they used to
    refuse the whole extract."""
    write(tmp_path, GOOD_IE, [*GOOD_OFF, "a,2016-01-07,2016-02-01,community_resolution,no,s5"])
    result = measure(CONTRACT, load_outcomes(tmp_path))
    assert result.accounting.reconciles
    assert dict(result.accounting.offences.excluded)["disposal type not counted"] == 1


def test_a_near_miss_of_a_counted_type_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, GOOD_IE, [*GOOD_OFF, "a,2016-01-07,2016-02-01,Conviction,no,s5"])
    error, message = problems_of(tmp_path)
    assert [(p.code, p.row, p.column) for p in error.problems] == [
        ("PBR304", 3, "disposal_type")
    ], message
    assert "near miss" in message


def test_lines_the_csv_reader_cannot_read_are_each_named(tmp_path: Path) -> None:
    offences = [
        GOOD_OFF[0],
        GOOD_OFF[1] + ",extra",  # file line 3: a seventh value
        "b,2016-01-01,2016-02-01,caution",  # file line 4: two values missing
        GOOD_OFF[1],
        '"b,2016-03-01,2016-04-01,caution,no,s5',  # file line 6: a quote never closed
        GOOD_OFF[0],
    ]
    write(tmp_path, GOOD_IE, offences)
    error, message = problems_of(tmp_path)
    assert [(p.code, p.file.endswith("offences.csv")) for p in error.problems] == [
        ("PBR301", True)
    ] * 3
    assert "line 3 has more values than the header names columns" in message
    assert "line 4 has fewer values than the header names columns" in message
    assert "line 6 opens a quoted value that is never closed" in message
    assert "nothing was paid" in message


def test_a_csv_file_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    write(tmp_path, GOOD_IE, GOOD_OFF)
    path = tmp_path / "index_events.csv"
    path.write_bytes(path.read_bytes().replace(b"North", b"Nor\xffth", 1))
    error, message = problems_of(tmp_path)
    assert [p.code for p in error.problems] == ["PBR301"]
    assert "index_events.csv: error[PBR301]: " in message
    assert "line 2 is not UTF-8 text" in message


def test_a_utf16_csv_file_is_named_as_such(tmp_path: Path) -> None:
    write(tmp_path, GOOD_IE, GOOD_OFF)
    path = tmp_path / "offences.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    error, message = problems_of(tmp_path)
    assert [p.code for p in error.problems] == ["PBR301"]
    assert "offences.csv: error[PBR301]: the file is UTF-16 text" in message


@pytest.mark.parametrize(
    ("header", "hint"),
    [
        (IE_HEADER.replace(",", "\t"), "the header reads as one column"),
        (IE_HEADER.replace("offender_id", "Offender ID"), "the file has 'Offender ID'"),
    ],
)
def test_a_missing_column_says_what_the_file_has_instead(
    tmp_path: Path, header: str, hint: str
) -> None:
    separator = "\t" if "\t" in header else ","
    write(tmp_path, [line.replace(",", separator) for line in GOOD_IE], GOOD_OFF, ie_header=header)
    error, message = problems_of(tmp_path)
    assert "PBR302" in {p.code for p in error.problems}
    assert f"column offender_id: error[PBR302]: missing column ({hint}" in message


THREE_TIED = [
    "a,2015-10-01,North,community_order,0.5,treatment",
    *GOOD_IE[1:],
    "a,2015-10-01,North,community_order,0.75,treatment",
    "a,2015-10-01,North,custody_release,0.125,treatment",
    "a,2015-10-20,North,community_order,0.25,treatment",
]


def test_three_index_events_on_one_date_are_each_reported(tmp_path: Path) -> None:
    """Issue 11: every row on the tied date is reported, not only the first and the last."""
    write(tmp_path, THREE_TIED, GOOD_OFF)
    error, message = problems_of(tmp_path)
    assert [(p.code, p.row) for p in error.problems] == [
        ("PBR309", 1), ("PBR309", 4), ("PBR309", 5),
    ], message
    assert "(rows 4, 5)" in message


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 0, 1), (1, 2, 0)])
def test_rejecting_three_tied_index_events_drops_them_all_whatever_their_order(
    tmp_path: Path, order: tuple[int, int, int]
) -> None:
    """Issue 11: with --reject-invalid the middle row used to survive and become the member, so
    record order changed the figures; now the later event on 2015-10-20 is a's first, as the
    oracle says once the tied rows are left out."""
    tied = [THREE_TIED[0], THREE_TIED[3], THREE_TIED[4]]
    rows = [tied[order[0]], *GOOD_IE[1:], tied[order[1]], tied[order[2]], THREE_TIED[5]]
    write(tmp_path, rows, GOOD_OFF)
    result = measure(CONTRACT, load_outcomes(tmp_path), reject_invalid=True)
    assert [(p.row, p.code) for p in result.rejected] == [
        (1, "PBR309"), (4, "PBR309"), (5, "PBR309"),
    ]
    assert result.accounting.reconciles
    events = [
        oracle_event("b", D(2015, 10, 2), "North", "community_order", "0.25", "control"),
        oracle_event("c", D(2015, 11, 3), "South", "custody_release", "0.125", "treatment"),
        oracle_event("a", D(2015, 10, 20), "North", "community_order", "0.25", "treatment"),
    ]
    offs = [
        {
            "offender_id": offender,
            "offence_date": offence,
            "disposal_date": disposal,
            "disposal_type": kind,
            "breach": False,
            "court_event_id": sitting,
        }
        for offender, offence, disposal, kind, sitting in (
            ("a", D(2015, 12, 1), D(2016, 1, 1), "conviction", "s1"),
            ("b", D(2016, 1, 1), D(2016, 2, 1), "caution", "s2"),
        )
    ]
    expected, _ = oracle.measure(CONTRACT, events, offs)
    assert list(result.figures) == expected


def test_a_conviction_without_a_sitting_is_left_out_of_the_events_only(tmp_path: Path) -> None:
    """Issue 11: under --reject-invalid such a conviction was rejected whole, so the binary rate
    lost it too; now it is kept, reported, and only the reconviction events leave it out."""
    offs = [GOOD_OFF[0], "b,2016-01-01,2016-02-01,conviction,no,"]
    write(tmp_path, GOOD_IE, offs)
    result = measure(CONTRACT, load_outcomes(tmp_path), reject_invalid=True)
    assert result.rejected == ()
    assert [(p.code, p.row, p.column) for p in result.partial] == [
        ("PBR303", 2, "court_event_id")
    ]
    assert result.accounting.reconciles
    events = [
        oracle_event("a", D(2015, 10, 1), "North", "community_order", "0.5", "treatment"),
        oracle_event("b", D(2015, 10, 2), "North", "community_order", "0.25", "control"),
        oracle_event("c", D(2015, 11, 3), "South", "custody_release", "0.125", "treatment"),
    ]
    valid = [
        {
            "offender_id": offender,
            "offence_date": D(2015, 12, 1) if offender == "a" else D(2016, 1, 1),
            "disposal_date": D(2016, 1, 1) if offender == "a" else D(2016, 2, 1),
            "disposal_type": "conviction",
            "breach": False,
            "court_event_id": sitting,
        }
        for offender, sitting in (("a", "s1"), ("b", None))
    ]
    expected, _ = oracle.measure(CONTRACT, events, valid)
    assert list(result.figures) == expected
    control = next(f.control for f in result.figures if f.control is not None)
    assert control is not None
    assert control.counts["binary"].reoffenders == 1  # b still reoffended
    assert control.counts["events"].reoffences == 0  # but made no reconviction event
