"""What every ``pbr-eval`` command shares: exit statuses, the engine's version, the contract files
a command is given, and writing an output file atomically (``pbrrules.files``)."""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pbrrules.files import write_atomically

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

__all__ = ["EXIT_INTERNAL", "EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "contract_files",
           "engine_version", "write_atomically"]


def engine_version() -> str:
    """The installed pbrrules version."""
    try:
        return version("pbrrules")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


def contract_files(paths: Sequence[Path]) -> list[Path]:
    """The files named, with each folder replaced by the .pbr files anywhere inside it."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.rglob("*.pbr")) if path.is_dir() else [path])
    return files
