"""The repository cites public documents only: no file names the team's private brief, and no
file names a path on a development machine.

A statement is sent to a provider, and its clause column carries each contract's source text, so a
citation must lead a reader to a public document (title, publisher, date, address), never to a
file that is not part of pbrrules. The forbidden words are built from parts so that this file does
not match itself.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
FORBIDDEN = (
    "domain" + ".md",  # the team's brief: not public, not part of pbrrules
    "domain" + " brief",  # the same file under another name
    "/" + "work/",  # a path on the development machine
)


def _tracked_files() -> list[Path]:
    """Every file git tracks (tests/, README.md and the golden statements included)."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the tracked tree cannot be listed")
    return [ROOT / name for name in out.decode().split("\0") if name]


def _text(path: Path) -> str | None:
    """The file's text, or None for a binary file (a PNG screenshot, a Parquet file)."""
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
        return None


def test_no_tracked_file_names_a_private_document_or_a_machine_path() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {word!r}"
        for path in _tracked_files()
        if (text := _text(path)) is not None
        for number, line in enumerate(text.splitlines(), start=1)
        for word in FORBIDDEN
        if word in line.lower()
    ]
    assert found == [], "\n".join(found)


def test_the_check_sees_the_contracts_and_the_golden_statements() -> None:
    """The check would pass vacuously on an empty list: it must see what it guards."""
    names = {str(path.relative_to(ROOT)) for path in _tracked_files()}
    assert "contracts/doncaster.pbr" in names
    assert "tests/statements/doncaster.txt" in names
    assert "README.md" in names
