"""Issue 12 item 8: a folder, a link loop, a pipe or a device where a data file should be is a
data problem naming the file (PBR301), never an internal error or a run that hangs."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from tests.measure.test_validation import CONTRACT, GOOD_IE, GOOD_OFF, write

from pbrrules.errors import OutcomeDataError
from pbrrules.measure import load_outcomes, measure

SPECIAL = ["folder", "link loop", "fifo", "dev zero", "dangling link"]


def make_special(path: Path, kind: str) -> None:
    """Put a ``kind`` of special file at ``path``."""
    path.unlink(missing_ok=True)
    if kind == "folder":
        path.mkdir()
    elif kind == "link loop":
        path.symlink_to(path.name)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev zero":
        path.symlink_to("/dev/zero")
    else:
        path.symlink_to(path.parent / "nowhere.csv")


def outcome(run: object) -> str:
    """What ``run()`` raised (an ``OutcomeDataError``'s text), given 20 seconds."""
    result: list[str] = []

    def go() -> None:
        try:
            run()  # type: ignore[operator]
            result.append("measured")
        except OutcomeDataError as error:
            result.append(str(error))

    worker = threading.Thread(target=go, daemon=True)
    worker.start()
    worker.join(20)
    assert result, "the run hung (or raised something other than a data problem)"
    return result[0]


@pytest.mark.parametrize("table", ["index_events", "offences"])
@pytest.mark.parametrize("kind", SPECIAL)
def test_a_special_file_in_the_folder_is_a_data_problem(
    tmp_path: Path, table: str, kind: str
) -> None:
    write(tmp_path, GOOD_IE, GOOD_OFF)
    make_special(tmp_path / f"{table}.csv", kind)
    message = outcome(lambda: measure(CONTRACT, load_outcomes(tmp_path)))
    assert "PBR301" in message
    assert f"{table}.csv" in message


@pytest.mark.parametrize("kind", SPECIAL)
def test_a_special_file_given_by_path_is_a_data_problem(tmp_path: Path, kind: str) -> None:
    write(tmp_path, GOOD_IE, GOOD_OFF)
    special = tmp_path / "special.csv"
    make_special(special, kind)
    message = outcome(
        lambda: measure(
            CONTRACT, load_outcomes(index_events=tmp_path / "index_events.csv", offences=special)
        )
    )
    assert "PBR301" in message
    assert "special.csv" in message
