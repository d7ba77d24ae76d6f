"""What every ``pbr-eval`` command shares: exit statuses, the engine's version, the contract files
a command is given, and writing an output file atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


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


def write_atomically(path: Path, text: str, *, mode: int | None = None) -> None:
    """Write ``text`` to ``path`` so that a reader sees the old file or the new, never a part.

    The text goes to a fresh, unpredictably named file beside ``path`` (so two runs never share
    it and a planted file is never written through), is flushed to disk, and is then renamed over
    ``path``. The new file gets ``mode`` (``fmt`` keeps a contract's own) or, by default, what the
    umask gives a newly created file, as any other program's output would.
    """
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, _new_file_mode() if mode is None else mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _new_file_mode() -> int:
    """0o666 less the process's umask: the mode ``open(path, "w")`` would have given."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask
