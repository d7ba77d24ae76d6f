"""Quoting names, text and file paths into SQL (every identifier and literal the engine
writes)."""

from __future__ import annotations

from pathlib import Path

#: DuckDB's file readers take a path as a pattern: these characters, each put in a character
#: class of its own, match only themselves (``{``, ``}`` and ``\`` are already literal).
_PATTERN = str.maketrans({"[": "[[]", "?": "[?]", "*": "[*]"})


def quote_ident(name: str) -> str:
    """A SQL identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


def quote_text(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def quote_path(path: Path | str) -> str:
    """A file's path as a SQL literal that DuckDB's readers (``read_csv``, ``read_json``,
    ``read_parquet``, ``parquet_file_metadata``) read as exactly that file, never as a pattern:
    a folder called ``q[1]`` must not read ``q1``. ``tables.register`` checks it with ``glob``."""
    return quote_text(pattern_of(path))


def pattern_of(path: Path | str) -> str:
    """The pattern ``quote_path`` gives DuckDB for ``path`` (unquoted)."""
    return str(path).translate(_PATTERN)
