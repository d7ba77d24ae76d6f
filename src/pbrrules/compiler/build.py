"""Lark parse tree -> SourceFile: the typed rules of one file, in the order written.

The build is a ``Transformer`` of small callbacks named after the grammar's rules (split across
``build_values`` and ``build_rules``). It constructs; names and types are checked later
(``checks``). It records only the problems a tree alone shows: a literal that is no value (an
impossible date, a number too long), or a line missing or repeated inside a declaration.
"""

from __future__ import annotations

from lark import Token, Tree

from pbrrules.compiler.build_rules import RulesBuild
from pbrrules.errors import Diagnostic
from pbrrules.rules import SourceFile


def build(
    tree: Tree[Token], path: str = "", text: str = ""
) -> tuple[SourceFile, list[Diagnostic]]:
    """Turn a parse tree into the file's typed rules, with any problems the tree shows.

    ``text`` is the parsed text; with it, literals remember how they were written (for fmt).
    """
    builder = RulesBuild(path, text)
    source = builder.transform(tree)
    assert isinstance(source, SourceFile), "the grammar's start rule builds a SourceFile"
    return source, builder.problems
