"""Comments in contract text: found outside quoted text, and put back beside printed lines.

Comments are not part of the rules, so the printer writes the rules and this module puts each
comment back: at the end of the line it ended, before the next printed line (a run of comment
lines on their own), or after the previous one when the run hangs from it.
"""

from __future__ import annotations

import attrs
from attrs import frozen

from pbrrules.errors import source_lines


@frozen
class Line:
    """One printed line and the source lines of the rule it prints (for placing comments)."""

    text: str
    first: int
    last: int


@frozen
class Comment:
    """A comment of the original text: its line, whether code stands before it on that line,
    and whether blank lines stand around it (a heading keeps its blank line)."""

    line: int
    text: str
    trailing: bool
    blank_before: bool
    blank_after: bool = False


def find_comments(text: str) -> list[Comment]:
    """Every ``//`` or ``#`` comment outside quoted text, with its line."""
    found = []
    lines = source_lines(text)
    previous_blank = False
    for number, line in enumerate(lines, start=1):
        start = _comment_start(line)
        if start is not None:
            trailing = bool(line[:start].strip())
            after = number < len(lines) and not lines[number].strip()
            found.append(Comment(number, line[start:].rstrip(), trailing, previous_blank, after))
        previous_blank = not line.strip()
    return found


def _comment_start(line: str) -> int | None:
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif not quoted and (char == "#" or line.startswith("//", index)):
            return index
    return None


def place_comments(lines: list[Line], comments: list[Comment]) -> str:
    """Put each comment back: at the end of the line it ended, or (a run of comment lines on
    their own) before the next line, or after the previous one when the run hangs from it (no
    blank line above, a blank line below)."""
    before: dict[int, list[Comment]] = {}
    after: dict[int, list[str]] = {}
    hanging: dict[int, list[Comment]] = {}
    tail: list[Comment] = []
    for group in _runs(comments):
        first, last = group[0], group[-1]
        if first.trailing:
            holders = [i for i, ln in enumerate(lines) if ln.first <= first.line <= ln.last]
            if holders:
                after.setdefault(max(holders, key=lambda i: lines[i].first), []).append(
                    first.text)
                continue
            first = attrs.evolve(first, trailing=False)
            group = [first]
        previous = [i for i, ln in enumerate(lines) if ln.text and ln.last < first.line]
        following = [i for i, ln in enumerate(lines) if ln.text and ln.first > last.line]
        if (previous and following and not first.blank_before and last.blank_after
                and _apart(lines, previous[-1], following[0])):
            hanging.setdefault(previous[-1], []).extend(group)
        elif following:
            before.setdefault(following[0], []).extend(group)
        else:
            tail.extend(group)
    out: list[str] = []
    for index, line in enumerate(lines):
        indent = line.text[: len(line.text) - len(line.text.lstrip())]
        # A run set apart by a blank line, right under a printed line, would be read back as
        # hanging from that line: the runs placed before one line stay together there.
        right_under = bool(out and out[-1])
        for i, comment in enumerate(before.get(index, [])):
            if i > 0 and comment.blank_before and out and out[-1] and not right_under:
                out.append("")
            out.append(indent + comment.text if line.text else comment.text)
            # A comment set apart from what follows it reads as a heading: keep it apart.
            if comment.blank_after and not indent and line.text:
                out.append("")
        out.append(line.text + "".join("  " + c for c in after.get(index, [])))
        out.extend(comment.text for comment in hanging.get(index, []))
    for comment in tail:
        if comment.blank_before and out and out[-1]:
            out.append("")
        out.append(comment.text)
    return "\n".join(out).rstrip() + "\n"


def _apart(lines: list[Line], previous: int, following: int) -> bool:
    """Whether a blank line stands between two printed lines (so that a comment hanging from
    the first is printed, and read back, with a blank line below it)."""
    return any(not lines[i].text for i in range(previous + 1, following))


def _runs(comments: list[Comment]) -> list[list[Comment]]:
    """Comments grouped into runs of consecutive lines; a trailing comment stands alone."""
    runs: list[list[Comment]] = []
    for comment in comments:
        if runs and not comment.trailing and not runs[-1][-1].trailing and \
                runs[-1][-1].line + 1 == comment.line:
            runs[-1].append(comment)
        else:
            runs.append([comment])
    return runs


