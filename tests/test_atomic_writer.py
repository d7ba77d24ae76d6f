"""Issue 12 item 11: the one atomic writer (``pbrrules.files.write_atomically``) never writes
through a file planted beside its target, uses a fresh name each time, and leaves nothing."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pbrrules import files
from pbrrules.files import write_atomically


def test_a_link_planted_at_a_temporary_name_is_not_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("untouched", encoding="utf-8")
    target = tmp_path / "c.pbr"
    for name in (".c.pbr.tmp", "c.pbr.tmp", ".c.pbr.swp", "c.pbr~", ".c.pbr.pbr-tmp"):
        (tmp_path / name).symlink_to(victim)
    write_atomically(target, "new text")
    assert victim.read_text(encoding="utf-8") == "untouched"
    assert target.read_text(encoding="utf-8") == "new text"
    assert not target.is_symlink()


def test_each_write_uses_a_fresh_temporary_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    used: list[str] = []
    replace = os.replace

    def spy(source: str, target: str | Path) -> None:
        used.append(os.path.basename(source))
        replace(source, target)

    monkeypatch.setattr(os, "replace", spy)
    for _ in range(3):
        write_atomically(tmp_path / "out.txt", "x")
    assert len(set(used)) == 3
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        write_atomically(tmp_path / "out.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.txt").stat().st_mode) == 0o666 & ~umask


def test_the_umask_is_read_not_changed() -> None:
    old = os.umask(0o027)
    try:
        assert files._umask() == 0o027
        assert os.umask(0o027) == 0o027
    finally:
        os.umask(old)
