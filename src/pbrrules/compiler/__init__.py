"""Contract text → a checked ``Contract``.

``build`` turns a parse tree into one file's rules (the Transformer, split by part of a schedule
in ``build_values``, ``build_cohorts`` and ``build_rules``); ``resolve`` reads templates and
variation files and makes one ``Version`` per effective date; ``fold`` works out parameter
formulas; the checks in ``pbrrules.checks`` then report every problem at once.
"""

from pbrrules.compiler.resolve import compile_contract, compile_file

__all__ = ["compile_contract", "compile_file"]
