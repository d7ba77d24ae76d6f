"""Issue 12 item 11: a measurement's database reads the outcome files named and nothing else,
and never installs or loads a DuckDB extension on demand (no network, no global state)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from tests.measure.test_validation import CONTRACT, GOOD_IE, GOOD_OFF, write

from pbrrules.measure import load_outcomes, measure
from pbrrules.measure.database import connect
from pbrrules.measure.quote import quote_path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "q[1] data"
    folder.mkdir()
    write(folder, GOOD_IE, GOOD_OFF)
    (tmp_path / "other.csv").write_text("a\n1\n", encoding="utf-8")
    return folder


def test_the_outcome_files_are_read(data: Path) -> None:
    with connect(load_outcomes(data)) as con:
        rows = con.execute(f"SELECT count(*) FROM read_csv({quote_path(data / 'offences.csv')})")
        assert rows.fetchone() == (2,)
    assert measure(CONTRACT, load_outcomes(data)).accounting.reconciles


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM read_csv('{other}')",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_csv('https://example.com/x.csv')",
        "COPY (SELECT 1) TO '{other}.out'",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
    ],
)
def test_nothing_else_is_read_written_or_fetched(data: Path, query: str) -> None:
    with connect(load_outcomes(data)) as con, pytest.raises(duckdb.Error):
        con.execute(query.format(other=data.parent / "other.csv")).fetchall()
    assert not (data.parent / "other.csv.out").exists()


def test_extensions_are_never_installed_or_loaded_on_demand(data: Path) -> None:
    with connect(load_outcomes(data)) as con:
        settings = dict(
            con.execute(
                "SELECT name, value FROM duckdb_settings() WHERE name IN "
                "('autoinstall_known_extensions', 'autoload_known_extensions', "
                "'enable_external_access')"
            ).fetchall()
        )
    assert settings == {
        "autoinstall_known_extensions": "false",
        "autoload_known_extensions": "false",
        "enable_external_access": "false",
    }


def test_what_duckdb_spills_goes_to_a_temporary_folder_removed_with_the_connection() -> None:
    """Not ``.tmp`` in the working folder (DuckDB's default), where the lawyer's files are."""
    import gc
    import os
    import tempfile

    from pbrrules.measure.database import connect

    con = connect()
    spill = con.execute("SELECT current_setting('temp_directory')").fetchone()
    assert spill is not None
    folder = str(spill[0])
    assert os.path.isdir(folder)
    assert os.path.commonpath([folder, tempfile.gettempdir()]) == tempfile.gettempdir()
    con.close()
    del con
    gc.collect()
    assert not os.path.exists(folder)
