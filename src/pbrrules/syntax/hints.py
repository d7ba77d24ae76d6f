"""Syntax errors that teach: what was being read, what fits there, and the written form of the
natural phrasings a lawyer reaches for first.

The parser knows which tokens may come next; a lawyer needs to know which declaration they are
in ("in the term 'repayment'"), which of its words fit at that point (not every keyword that could
open a new declaration), and, when a line says something the natural way ("8 percent", "$2.85m",
"is "a" or "b""), the way the language writes it. Everything here reads the text around the
error; nothing changes what the parser accepts.
"""

from __future__ import annotations

import difflib
import re

#: Keywords that open a declaration (or a file's header), and so can only begin a line.
DECLARATION_KEYWORDS = frozenset(
    {"parameter", "set", "cohort", "measure", "comparison", "target", "term", "cap", "collar",
     "rounding", "example", "variation", "remove", "contract", "template"}
)  # fmt: skip

#: The words that open an item inside each declaration, for a misspelt first word.
ITEM_KEYWORDS: dict[str, tuple[str, ...]] = {
    "cohort": ("eligible", "exclude", "quarterly", "contract", "period", "first", "cancel",
               "grouped", "control", "every", "illustrative"),
    "measure": ("binary", "frequency", "counting", "follow-up", "waiting", "proven", "breaches",
                "adjusted", "illustrative", "unit", "higher", "lower"),
    "target": ("reduction", "increase", "significant", "pooled", "for", "illustrative"),
    "term": ("when", "unless", "pay", "deduct", "counting", "band", "share", "illustrative",
             "paid"),
    "example": ("given", "expect", "as"),
    "rounding": ("payments", "rates", "frequencies", "improvements"),
}  # fmt: skip

_HEADING = re.compile(r"^(contract|template|variation|parameter|set|cohort|measure|comparison|"
                      r"target|term|cap|collar|rounding|example|remove)\b\s*(\"[^\"]*\"|[\w-]+)?")
_NUMBER = r"\d[\d,]*(?:\.\d+)?"

# (pattern on the line, the hint) for natural phrasings; the first that matches is given.
_PHRASINGS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"({_NUMBER})\s*(?:%|pct|per ?cent|percent)\.?\s*(?:pts?|points?)\b", re.I),
     "write a difference of rates as '{0} percentage points' (or '{0}%' where the comparison "
     "is in relative percent)"),
    (re.compile(rf"({_NUMBER})\s*(?:pct|per ?cent|percent)\b(?!\s*points)", re.I),
     "write a percentage with the sign: '{0}%'"),
    (re.compile(rf"([£$€])\s*({_NUMBER})\s*(m|mn|million|k|thousand|bn|billion)\b", re.I),
     "write the amount in full, e.g. '{0}{full}': amounts are exact, so no abbreviations"),
    (re.compile(r"([£$€])\s*(\d{1,3}(?: \d{3})+)\b"),
     "group the thousands with commas, e.g. '{0}{commas}'"),
    (re.compile(r"\bis\s+(\"[^\"]*\")\s+or\s+(\"[^\"]*\")", re.I),
     "a choice of values is written 'is one of {0}, {1}'"),
    (re.compile(r"\bin points\b", re.I),
     "write the unit in full: 'in percentage points' (or 'in relative percent')"),
    (re.compile(r"\b(GBP|USD|EUR|AUD|NZD|CAD)\s*[£$€]", re.I),
     "write an amount either with its sign (£1,000) or with its code (GBP 1,000), not both"),
    (re.compile(r"\b(?:greater|more|less|fewer) than\b|[<>]=?", re.I),
     "thresholds are written 'reduction in C of at least X' (or 'increase in ...'); in "
     "conditions, 'NAME between A and B'"),
    (re.compile(r"\bof the ([A-Za-z_]\w*)", re.I),
     "a name is written without 'the': 'of {0}'"),
    (re.compile(r"\bnearest (?:penny|pound|cent|dollar|euro)\b", re.I),
     "write how payments are rounded as 'payments to 2 decimal places, half up' (0 places "
     "for whole pounds)"),
    (re.compile(r"\bround(?:ed|ing)? ((?:half )?(?:up|down|even)|floor|ceiling)\b", re.I),
     "write the rounding mode on its own: '..., {0}' (no 'round')"),
    (re.compile(r"^\s*given\s+([^\"\s=][^:=]*):", re.I),
     "a period is named in quotes: 'given \"{0}\": ...'"),
    (re.compile(r"^\s*given\s+\"[^\"]*\".*\band\b", re.I),
     "separate the figures with commas: 'given \"year 1\": 1,000 offenders, 530 reoffenders'"),
    (re.compile(r"^\s*(?:if|where|provided)\b", re.I),
     "a condition is written with 'when' (or 'unless' for a term)"),
    (re.compile(r"^\s*year (\d+)\s*:", re.I),
     "a row for a contract year is written 'contract year {0}: ...'"),
    (re.compile(r"\b(follow-up|waiting period) of\b", re.I),
     "write the length straight after the words: '{0} N months'"),
    (re.compile(r"\b(one|two|three|six|nine|twelve|eighteen|twenty-four) "
                r"(days?|months?|years?)\b", re.I),
     "write numbers in figures: '1 year', '6 months', '12 months'"),
    (re.compile(r"^\s*exclude breaches\b", re.I),
     "write 'breaches excluded' (or 'breaches counted')"),
)

_SCALE = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "mn": 1_000_000,
          "million": 1_000_000, "bn": 1_000_000_000, "billion": 1_000_000_000}  # fmt: skip


def reading(text: str, line: int, column: int = 0) -> str | None:
    """What was being read at ``line`` (1-based): "the term 'repayment'", "the header", or None
    when the error is before any declaration. An error at the start of a line that opens a new
    declaration belongs to the one before it (which was left unfinished)."""
    lines = text.splitlines()
    if column == 1 and 0 < line <= len(lines) and _HEADING.match(lines[line - 1]):
        line -= 1
    for number in range(min(line, len(lines)), 0, -1):
        match = _HEADING.match(lines[number - 1])
        if match is None:
            continue
        keyword, name = match.group(1), (match.group(2) or "").strip('"')
        if keyword in ("contract", "template", "variation") and not _is_years(lines[number - 1]):
            return "the header"
        if keyword == "rounding":
            return "the rounding rules"
        return f"the {_kind_word(keyword)} '{name}'" if name else f"a {_kind_word(keyword)}"
    return None


def _is_years(line: str) -> bool:
    return bool(re.match(r"^\s*contract\s+years\b", line))


def _kind_word(keyword: str) -> str:
    return {"set": "value set", "remove": "removal"}.get(keyword, keyword)


def construct(text: str, line: int) -> str | None:
    """The declaration keyword of the construct being read at ``line``, if any."""
    lines = text.splitlines()
    for number in range(min(line, len(lines)), 0, -1):
        match = _HEADING.match(lines[number - 1])
        if match is not None:
            return match.group(1)
    return None


def in_body(text: str, line: int, column: int) -> bool:
    """Whether the error is inside a declaration's lines (not where a new one could open): on
    an indented line, or after the first word of its line."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return False
    current = lines[line - 1]
    return current[:1] in (" ", "\t") or column > 1


def phrasing(line_text: str) -> str | None:
    """The written form of a natural phrasing on the line, if it holds one."""
    for pattern, hint in _PHRASINGS:
        match = pattern.search(line_text)
        if match is None:
            continue
        groups = match.groups()
        if len(groups) == 3 and groups[0] in ("£", "$", "€"):
            return hint.format(groups[0], full=_full_amount(groups[1], groups[2]))
        if len(groups) == 2 and groups[0] in ("£", "$", "€"):
            return hint.format(groups[0], commas=groups[1].replace(" ", ","))
        return hint.format(*groups)
    return None


def _full_amount(number: str, scale: str) -> str:
    """``2.85`` and ``m`` → ``2,850,000`` (exactly: the digits are scaled, never floats)."""
    whole, _, fraction = number.replace(",", "").partition(".")
    factor = _SCALE[scale.lower()]
    digits = len(str(factor)) - 1
    value = int(whole + fraction.ljust(digits, "0")[:digits]) if len(fraction) <= digits else None
    return f"{value:,}" if value is not None else f"{number} x {factor:,}"


def misspelt_first_word(line_text: str, keyword: str | None) -> str | None:
    """``did you mean 'deduct'?`` when the line's first word is a near miss for a word that
    opens an item of the construct being read."""
    words = ITEM_KEYWORDS.get(keyword or "", ())
    first = line_text.split(maxsplit=1)[0] if line_text.strip() else ""
    if not first or first in words:
        return None
    close = difflib.get_close_matches(first.lower(), words, n=1, cutoff=0.75)
    return f"did you mean '{close[0]}'?" if close else None


def unterminated_string(line_text: str) -> bool:
    """Whether the line opens a quoted text it never closes."""
    return line_text.count('"') % 2 == 1


def missing_colon(text: str, line: int) -> int | None:
    """The line number of the declaration heading above ``line`` that should end with ':' and
    does not (cohorts, measures, targets, terms, examples, rounding open a block with ':')."""
    lines = text.splitlines()
    for number in range(min(line, len(lines)), 0, -1):
        heading = lines[number - 1]
        match = _HEADING.match(heading)
        if match is None:
            continue
        needs = match.group(1) in ("cohort", "measure", "target", "term", "example", "rounding")
        code = heading.split("//", 1)[0].rstrip()
        if needs and not code.endswith(":") and ":" not in _outside_quotes(code):
            return number
        return None
    return None


def _outside_quotes(text: str) -> str:
    return re.sub(r'"[^"]*"', "", text)
