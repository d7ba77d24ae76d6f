"""Writing an output file so that a reader sees the old file or the new, never a part, with the
mode any other program's output would get. The one writer of every file pbrrules writes (the
statement, the rejected records, a formatted contract)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str | bytes, *, mode: int | None = None) -> None:
    """Write ``text`` (UTF-8), or bytes (a PDF statement), to ``path`` so that a reader sees the
    old file or the new, never a part.

    The text goes to a fresh, unpredictably named file beside ``path`` (so two runs never share
    it and a planted file is never written through), is flushed to disk, and is then renamed over
    ``path``. The new file gets ``mode`` (``fmt`` keeps a contract's own) or, by default, what the
    umask gives a newly created file, as any other program's output would.
    """
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, _new_file_mode() if mode is None else mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _new_file_mode() -> int:
    """0o666 less the process's umask: the mode ``open(path, "w")`` would have given."""
    return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask, read without changing it where the system shows it (Linux): setting
    it to read it would change, for an instant, the mode of files other threads create."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    umask = os.umask(0o022)  # pragma: no cover - systems without /proc
    os.umask(umask)  # pragma: no cover
    return umask  # pragma: no cover
