"""The DuckDB database a measurement runs in: in memory, reading only the outcome files named.

Each connection is fresh (nothing is shared between calls or threads) and locked down before
any query: extensions are never installed or loaded on demand (DuckDB would otherwise fetch
them from the network on first use of, say, an ``https://`` path or a JSON function), and
external access is off except for the outcome files themselves, so no query can read, write
or fetch anything else, whatever text reaches it. What DuckDB spills to disk when a measurement
is larger than memory goes to a fresh folder of the system's temporary directory, removed with
the connection (DuckDB's default, ``.tmp`` in the working folder, would write beside the
lawyer's files).
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Iterable

import duckdb

from pbrrules.measure.quote import pattern_of
from pbrrules.measure.sources import FileSource, OutcomeData

_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}


def connect(data: OutcomeData | Iterable[FileSource] | None = None) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory database that can read the files of ``data`` and nothing else."""
    sources = (
        (data.index_events, data.offences, data.arrests, data.custody, data.employment)
        if isinstance(data, OutcomeData)
        else (data or ())
    )
    allowed: list[str] = []
    for source in sources:
        if isinstance(source, FileSource):
            # the reader is given the path as a pattern (``quote_path``), which it checks too
            allowed += [str(source.path), pattern_of(source.path)]
    con = duckdb.connect(":memory:", config=_CONFIG)
    spill = tempfile.mkdtemp(prefix="pbrrules-duckdb-")
    weakref.finalize(con, shutil.rmtree, spill, True)
    try:
        con.execute("SET temp_directory = ?", [spill])
        if allowed:
            con.execute("SET allowed_paths = ?", [allowed])
        con.execute("SET enable_external_access = false")
    except BaseException:
        con.close()
        raise
    return con
