"""Text -> Lark parse tree. The grammar lives in grammar/pbr.lark (the language's reference).

This is the only module that knows about Lark's exceptions: a syntax error becomes a
``ContractError`` whose diagnostic says, in the contract's words, what was found and what was
expected there.
"""

from __future__ import annotations

import difflib
import functools

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr

from pbrrules.errors import ContractError, Diagnostic, Span, source_lines
from pbrrules.syntax import hints, tables
from pbrrules.syntax.tables import grammar_text as grammar_text  # also the name tests and tools use

# Every character the grammar uses outside quoted text and comments.
_LANGUAGE_SYMBOLS = frozenset(' \t\n\r_£$€%():,=<>!-"#/.')

# How terminals that are not plain keywords read to a lawyer.
_TERMINAL_WORDS = {
    "NAME": "a name (lower case letters, digits and _)",
    "STRING": 'quoted text ("...")',
    "DATE": "a date (YYYY-MM-DD)",
    "NUMBER": "a number",
    "INT": "a number",
    "CURRENCY_SIGN": "an amount of money (£, $ or €)",
    "CURRENCY_CODE": "a currency code such as GBP",
    "CLAUSE": "a clause reference such as 'clause 4.2'",
    "COMPARE": "a comparison (<, <=, >, >=, =, !=)",
    "MINUS": "'-'",
    "$END": "the end of the file",
}


@functools.cache
def _lark() -> Lark:
    """The LALR parser, once per process: from the tables shipped in the package when they are
    this grammar's, else built in memory (``tables``; nothing is cached on disk)."""
    return tables.load(grammar_text())


#: Deeper than this, a condition or trigger is no longer readable, and later stages (which walk
#: the rules recursively) would run out of stack.
MAX_DEPTH = 100


def parse(text: str, path: str = "") -> Tree[Token]:
    """Parse contract text; raise ContractError with one syntax diagnostic on failure."""
    try:
        tree = _lark().parse(text)
    except UnexpectedInput as exc:
        raise ContractError([_syntax_diagnostic(exc, text, path)], {path: text}) from None
    too_deep = _too_deep(tree)
    if too_deep is not None:
        node, rule, run = too_deep
        meta = node.meta
        span = Span(meta.line, meta.column, meta.line, meta.column + 1, path)
        word = _JOINS.get(rule)
        if word is not None and run >= MAX_DEPTH // 2:
            # a flat list is a chain in the tree: say so, rather than call it nesting
            message = (
                f"this condition joins {run + 1} or more conditions with '{word}': one "
                f"condition holds at most about {MAX_DEPTH} parts and levels of nesting together"
            )
        else:
            message = f"this condition is nested more than {MAX_DEPTH} levels deep"
        diagnostic = Diagnostic(
            "PBR011",
            message,
            span,
            help="split it into simpler conditions, or name parts of it as targets",
        )
        raise ContractError([diagnostic], {path: text})
    return tree


#: The rules of the grammar that join a list of conditions, and the word that joins them.
_JOINS = {"any_of": "or", "all_of": "and", "trigger_any": "or", "trigger_all": "and"}


def _too_deep(tree: Tree[Token]) -> tuple[Tree[Token], str, int] | None:
    """The first subtree deeper than MAX_DEPTH, found without recursion, with the longest run
    of one rule among its ancestors (the rule, and how many nodes in a row): a flat
    ``a or b or c`` list is such a run in the tree, and later stages walk it as deeply as any
    nesting."""
    stack: list[tuple[Tree[Token], int, int, str, int]] = [(tree, 1, 1, str(tree.data), 1)]
    while stack:
        node, depth, run, longest_rule, longest = stack.pop()
        if depth > MAX_DEPTH:
            return node, longest_rule, longest
        for child in node.children:
            if isinstance(child, Tree):
                grown = run + 1 if child.data == node.data else 1
                best = (str(child.data), grown) if grown > longest else (longest_rule, longest)
                stack.append((child, depth + 1, grown, *best))
    return None


def _syntax_diagnostic(exc: UnexpectedInput, text: str, path: str) -> Diagnostic:
    line, column = _position(exc, text)
    lines = source_lines(text) or [""]
    line_text = lines[line - 1] if 0 < line <= len(lines) else ""
    context = hints.reading(text, line, column)
    where = f" in {context}" if context else ""
    match exc:
        case UnexpectedToken(token=token) if token.type != "$END":
            width = max(1, len(str(token.value).split("\n", 1)[0]))
            span = Span(line, column, line, column + width, path)
            expected = _fitting(exc.accepts or exc.expected, text, line, column)
            colon = _missing_colon(text, line, path, context)
            if colon is not None:
                return colon
            return Diagnostic(
                "PBR001",
                f"unexpected {_describe_token(token)}{where}",
                span,
                help=_teaching(line_text, text, line)
                or _did_you_mean(str(token.value), expected)
                or _expected(expected),
            )
        case UnexpectedCharacters(char=char):
            span = Span(line, column, line, column + 1, path)
            allowed = _fitting(exc.allowed or set(), text, line, column)
            help = _teaching(line_text, text, line) or (_expected(allowed) if allowed else None)
            if char == '"' or hints.unterminated_string(line_text):
                help = 'this text has no closing quote: end it with " on the same line'
            elif char == "'":
                help = 'text is written in double quotes: "like this"'
            elif not (char.isalnum() or char in _LANGUAGE_SYMBOLS):
                help = (
                    f"{char!r} is not used in contracts: write names, numbers, amounts (£, $, "
                    "€), percentages, dates and quoted text; comments start with // or #"
                )
            return Diagnostic("PBR002", f"unexpected character {char!r}{where}", span, help=help)
        case _:
            expected = getattr(exc, "expected", None) or getattr(exc, "accepts", None) or set()
            span = Span(line, column, line, column + 1, path)
            return Diagnostic(
                "PBR003",
                f"the contract ends in the middle of {context or 'a declaration'}",
                span,
                help=_expected(expected) if expected else None,
            )


def _fitting(
    names: set[str] | frozenset[str], text: str, line: int, column: int
) -> set[str]:
    """The tokens allowed here that a lawyer could mean: inside a declaration's lines, not the
    keywords that would open a new declaration (they begin a line of their own)."""
    if not hints.in_body(text, line, column):
        return set(names)
    kept = {n for n in names if _describe_terminal(n).strip("'") not in hints.DECLARATION_KEYWORDS}
    return kept or set(names)


def _teaching(line_text: str, text: str, line: int) -> str | None:
    """A hint for a natural phrasing or a misspelt first word of an item, if the line has one."""
    return hints.phrasing(line_text) or _misspelt(line_text, text, line)


def _misspelt(line_text: str, text: str, line: int) -> str | None:
    keyword = hints.construct(text, line)
    guess = hints.misspelt_first_word(line_text, keyword)
    if guess is None or keyword is None:
        return None
    words = ", ".join(f"'{w}'" for w in hints.ITEM_KEYWORDS[keyword])
    return f"{guess} (a line of a {keyword} begins with one of: {words})"


def _missing_colon(text: str, line: int, path: str, context: str | None) -> Diagnostic | None:
    """A heading without its ':' (the error shows on the next line): pointed at the heading's
    end, where the ':' belongs."""
    heading = hints.missing_colon(text, line)
    if heading is None or heading == line:
        return None
    lines = source_lines(text)
    code = lines[heading - 1].split("//", 1)[0].rstrip()
    span = Span(heading, len(code) + 1, heading, len(code) + 2, path)
    return Diagnostic(
        "PBR001",
        f"the heading of {context or 'this declaration'} does not end with ':'",
        span,
        help="end the first line of a cohort, measure, target, term, example or rounding "
        "declaration with ':'; its items follow on the lines below",
    )


def _did_you_mean(found: str, names: set[str] | frozenset[str]) -> str | None:
    """``did you mean 'term'?`` when a word is a near miss for a keyword allowed here."""
    keywords = sorted({w.strip("'") for w in map(_describe_terminal, names) if w.startswith("'")})
    close = difflib.get_close_matches(found, keywords, n=1, cutoff=0.7)
    if not close or close[0] == found:
        return None
    return f"did you mean '{close[0]}'? ({_expected(names)})"


def _position(exc: UnexpectedInput, text: str) -> tuple[int, int]:
    """1-based line and column of the error; at end of input, the end of the last line."""
    if isinstance(exc, UnexpectedEOF) or getattr(exc, "line", -1) in (-1, None):
        lines = source_lines(text) or [""]
        return len(lines), len(lines[-1]) + 1
    return int(exc.line), int(exc.column)


def _describe_token(token: Token) -> str:
    value = str(token.value)
    if token.type == "STRING":
        return f"text {value}"
    if token.type in ("NUMBER", "INT"):
        return f"number {value}"
    if token.type == "DATE":
        return f"date {value}"
    if token.type == "NAME":
        return f"name {value!r}"
    return f"{value!r}"


def _expected(names: set[str] | frozenset[str]) -> str:
    """'expected one of: ...' in the contract's words, keywords first, sorted for stable output."""
    words = sorted({_describe_terminal(name) for name in names})
    keywords = [w for w in words if w.startswith("'")]
    others = [w for w in words if not w.startswith("'")]
    listed = keywords + others
    if len(listed) > 12:
        listed = [*listed[:12], f"... ({len(listed) - 12} more)"]
    if len(listed) == 1:
        return f"expected {listed[0]}"
    return "expected one of: " + ", ".join(listed)


@functools.cache
def _terminal_patterns() -> dict[str, str]:
    return {
        term.name: term.pattern.value
        for term in _lark().terminals
        if isinstance(term.pattern, PatternStr)
    }


def _describe_terminal(name: str) -> str:
    if name in _TERMINAL_WORDS:
        return _TERMINAL_WORDS[name]
    literal = _terminal_patterns().get(name)
    if literal is not None:
        return f"'{literal}'"
    return name.lower()


@functools.cache
def keywords() -> frozenset[str]:
    """Every word the grammar spells out (``term``, ``pay``, ``percentage``, ``one-sided``...):
    for editors' completion and highlighting, so they can never disagree with the parser."""
    return frozenset(
        literal for literal in _terminal_patterns().values() if literal[:1].isalpha()
    )
