"""A query run on its own DuckDB cursor in a worker thread while the engine goes on.

Used where the two tables' work is independent and one of them cannot use both cores: the
index events of a Parquet file of one row group are scanned on one thread, so the offences'
checks run beside their cohort forming rather than after it.
"""

from __future__ import annotations

from concurrent.futures import Executor, wait
from typing import Any

import duckdb


class Background:
    """``sql`` running on a cursor of ``con`` (a connection to the same database, with its
    own temporary objects: ``sql`` must read only files and tables, never temp views)."""

    def __init__(self, pool: Executor, con: duckdb.DuckDBPyConnection, sql: str):
        self._cursor = con.cursor()
        self._closed = False
        self._future = pool.submit(self._fetch, sql)

    def _fetch(self, sql: str) -> list[tuple[Any, ...]]:
        return self._cursor.execute(sql).fetchall()

    def result(self) -> list[tuple[Any, ...]]:
        """The query's rows, once it has finished (its error, if it failed)."""
        try:
            return self._future.result()
        finally:
            self._close()

    def stop(self) -> None:
        """Interrupt the query if it still runs and wait for it (before the database closes)."""
        # an interrupt before the query has begun is lost: repeat it until the query ends
        while not self._future.done():
            self._cursor.interrupt()
            wait([self._future], timeout=0.05)
        try:
            self._future.result()
        except (duckdb.Error, RuntimeError):
            pass  # interrupted, or failed: either way nobody waits for its rows
        finally:
            self._close()

    def _close(self) -> None:
        if not self._closed:
            self._closed = True
            self._cursor.close()
