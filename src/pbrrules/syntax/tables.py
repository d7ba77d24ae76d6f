"""The parser's LALR tables, shipped in the package (``pbr.tables``) instead of being built at
every start or cached in the shared temporary folder.

Building the tables takes a quarter of a second to over a second, which every ``pbr-eval``
process would pay. Lark can cache them, but only as a pickle with a predictable name in the
temporary folder, loaded before anything is checked: whoever writes that file first runs code as
the next user. So the tables are made once, by ``python -m pbrrules.syntax.tables`` when the
grammar changes, and kept beside the code as trusted as the code. The file starts with a key
line (the grammar's hash and Lark's version); tables whose key does not match the grammar and
the Lark installed are never loaded: the parser is then built in memory, and nothing is
written anywhere.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import lark
from lark import Lark

#: How the parser is built (the tables depend on these, so they are part of the key).
OPTIONS: dict[str, object] = {
    "parser": "lalr",
    "propagate_positions": True,
    "maybe_placeholders": True,
}


def grammar_text() -> str:
    """The grammar's source text, as shipped with the package."""
    return (files("pbrrules") / "grammar" / "pbr.lark").read_text(encoding="utf-8")


def grammar_hash(grammar: str) -> str:
    """The SHA-256 of the grammar's text and the build options."""
    digest = hashlib.sha256(grammar.encode("utf-8"))
    digest.update(repr(sorted(OPTIONS.items())).encode("utf-8"))
    return digest.hexdigest()


def _key(grammar: str) -> bytes:
    return f"pbr-tables {grammar_hash(grammar)} lark {lark.__version__}\n".encode("ascii")


def packaged() -> Traversable:
    """The tables file shipped in the package."""
    return files("pbrrules") / "syntax" / "pbr.tables"


def packaged_grammar_hash() -> str | None:
    """The grammar hash the packaged tables were made from (None when there are none)."""
    try:
        with packaged().open("rb") as kept:
            words = kept.readline().split()
    except OSError:
        return None
    return words[1].decode("ascii") if len(words) >= 2 else None


def load(grammar: str, source: Traversable | Path | None = None) -> Lark:
    """The parser for ``grammar``: from the packaged tables when their key matches this grammar
    and this Lark, else built in memory (never cached on disk)."""
    try:
        with (source or packaged()).open("rb") as kept:
            if kept.readline() == _key(grammar):
                parser = Lark.load(kept)
                if isinstance(parser, Lark):
                    return parser
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError):
        pass  # no usable tables: build them
    return Lark(grammar, **OPTIONS)


def write(grammar: str, target: Path) -> None:
    """Build the tables for ``grammar`` and write them, key line first, to ``target``."""
    parser = Lark(grammar, **OPTIONS)
    with target.open("wb") as out:
        out.write(_key(grammar))
        parser.save(out)


def main() -> int:
    """``python -m pbrrules.syntax.tables``: remake ``src/pbrrules/syntax/pbr.tables`` from the
    grammar (run after changing grammar/pbr.lark; a test fails until it is done)."""
    target = Path(__file__).with_name("pbr.tables")
    write(grammar_text(), target)
    print(f"wrote {target.name} for grammar {grammar_hash(grammar_text())[:12]}, lark "
          f"{lark.__version__}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
