"""The parser's tables come from the package, never from the shared temporary folder.

Lark's ``cache=True`` kept the tables as a pickle with a predictable name in the temporary
folder and unpickled it before checking anything: whoever created that file first ran code as
the next user of ``pbr-eval`` (shown with a planted pickle that ran a command during ``check``).
Now the tables ship in the package beside the code (``syntax/pbr.tables``, made by
``python -m pbrrules.syntax.tables``), keyed by the grammar and Lark's version; when the key does
not match they are built in memory. Nothing is read from or written to the temporary folder.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

from pbrrules.syntax import tables
from pbrrules.syntax.tables import grammar_text

ROOT = Path(__file__).parents[1]
CONTRACT = ROOT / "contracts" / "doncaster.pbr"


class _Planted:
    """Unpickling this writes a marker file: it shows a pickle was loaded."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (Path.write_text, (Path(self.marker), "ran"))  # type: ignore[return-value]


def _lark_cache_names(tmp: Path) -> list[str]:
    """The names Lark's own cache would use for this grammar (learnt by letting Lark write
    one in a scratch folder)."""
    scratch = tmp / "scratch"
    scratch.mkdir()
    code = (
        "from lark import Lark; from pbrrules.syntax.tables import grammar_text; "
        "Lark(grammar_text(), parser='lalr', propagate_positions=True, maybe_placeholders=True,"
        " cache=True)"
    )
    subprocess.run([sys.executable, "-c", code], env={**os.environ, "TMPDIR": str(scratch)},
                   check=True)  # fmt: skip
    return [p.name for p in scratch.iterdir()]


def test_check_writes_nothing_in_the_temporary_folder_and_loads_no_planted_cache(
    tmp_path: Path,
) -> None:
    private = tmp_path / "tmp"
    private.mkdir()
    marker = tmp_path / "marker"
    for name in _lark_cache_names(tmp_path):  # plant a pickle where Lark's cache would be
        (private / name).write_bytes(pickle.dumps(_Planted(str(marker))))
    before = sorted(p.name for p in private.iterdir())
    result = subprocess.run(
        [sys.executable, "-m", "pbrrules", "check", str(CONTRACT)],
        env={**os.environ, "TMPDIR": str(private)}, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert not marker.exists(), "a pickle from the temporary folder was loaded"
    assert sorted(p.name for p in private.iterdir()) == before


def test_the_packaged_tables_are_those_of_the_grammar() -> None:
    """Regenerate with ``python -m pbrrules.syntax.tables`` after changing the grammar."""
    assert tables.packaged_grammar_hash() == tables.grammar_hash(grammar_text())


def test_tables_that_do_not_match_are_built_in_memory(tmp_path: Path) -> None:
    stale = tmp_path / "pbr.tables"
    stale.write_bytes(b"not the key\n" + pickle.dumps(_Planted(str(tmp_path / "marker"))))
    parser = tables.load(grammar_text(), stale)
    assert parser.parse(CONTRACT.read_text(encoding="utf-8")).data == "start"
    assert not (tmp_path / "marker").exists()
