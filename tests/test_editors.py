"""Editor support kept in the repository: the TextMate grammar (grammar/pbr.tmLanguage.json)
and the VS Code extension folder (docs/editors/vscode) that uses it and starts ``pbr-eval lsp``.

The grammar's regexes are run over every bundled contract the way a TextMate engine runs them
(at each point the earliest match of the top-level patterns, the first listed on a tie): every
character but white space gets a scope, and the keywords are exactly the grammar's.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from pbrrules.syntax.parser import keywords

ROOT = Path(__file__).parents[1]
GRAMMAR = ROOT / "grammar" / "pbr.tmLanguage.json"
VSCODE = ROOT / "docs" / "editors" / "vscode"
CONTRACTS = sorted((ROOT / "contracts").rglob("*.pbr"))


def _grammar() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(GRAMMAR.read_text(encoding="utf-8"))
    return loaded


def _patterns() -> list[tuple[str, re.Pattern[str], dict[str, Any]]]:
    """The top-level patterns in order: (repository key, compiled regex, rule)."""
    grammar = _grammar()
    found = []
    for include in grammar["patterns"]:
        key = include["include"].removeprefix("#")
        rule = grammar["repository"][key]
        found.append((key, re.compile(rule["match"]), rule))
    return found


def _scopes(line: str) -> list[tuple[str, str]]:
    """(text, scope) for a line, as a TextMate engine picks matches; unscoped text has ""."""
    patterns = _patterns()
    out: list[tuple[str, str]] = []
    position = 0
    while position < len(line):
        best: tuple[int, int, re.Match[str], dict[str, Any]] | None = None
        for order, (_, regex, rule) in enumerate(patterns):
            match = regex.search(line, position)
            if match and (best is None or (match.start(), order) < (best[0], best[1])):
                best = (match.start(), order, match, rule)
        if best is None:
            out.append((line[position:], ""))
            break
        start, _, match, rule = best
        if start > position:
            out.append((line[position:start], ""))
        if "captures" in rule:
            out.extend(
                (match.group(int(group)), capture["name"])
                for group, capture in rule["captures"].items()
            )
        else:
            out.append((match.group(), rule["name"]))
        position = max(match.end(), start + 1)
    return out


def test_the_textmate_grammar_is_json_with_the_keys_an_editor_needs() -> None:
    grammar = _grammar()
    assert grammar["scopeName"] == "source.pbr"
    assert grammar["fileTypes"] == ["pbr"]
    assert grammar["name"]
    for include in grammar["patterns"]:
        assert include["include"].removeprefix("#") in grammar["repository"]
    for key, rule in grammar["repository"].items():
        re.compile(rule["match"])  # also valid for Oniguruma: no Python-only syntax is used
        assert rule.get("name", "").endswith(".pbr") or all(
            c["name"].endswith(".pbr") for c in rule["captures"].values()
        ), key


def test_the_textmate_keywords_are_exactly_the_grammars() -> None:
    pattern = _grammar()["repository"]["keyword"]["match"]
    words = pattern.split("(?:", 1)[1].rsplit(")(?!", 1)[0].split("|")
    assert {w.replace("\\", "") for w in words} == keywords()
    regex = re.compile(pattern)
    for word in keywords():
        assert regex.fullmatch(word), word


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_character_of_a_contract_but_white_space_gets_a_scope(path: Path) -> None:
    unscoped = [
        (number, text)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for text, scope in _scopes(line)
        if not scope and text.strip()
    ]
    assert not unscoped, unscoped[:10]


def test_a_declaration_names_its_name_and_references_are_names() -> None:
    assert _scopes("term repayment (clause 4.3): unless five_points") == [
        ("term", "keyword.other.declaration.pbr"),
        ("repayment", "entity.name.function.pbr"),
        (" ", ""),
        ("(", "punctuation.separator.pbr"),
        ("clause 4.3", "entity.name.section.pbr"),
        (")", "punctuation.separator.pbr"),
        (":", "punctuation.separator.pbr"),
        (" ", ""),
        ("unless", "keyword.other.pbr"),
        (" ", ""),
        ("five_points", "variable.other.pbr"),
    ]
    assert ("£2,000,000", "constant.numeric.money.pbr") in _scopes("deduct £2,000,000")
    assert ("one-sided", "keyword.other.pbr") in _scopes("significant at 95% one-sided")
    assert (" @", "") in _scopes("term x @")  # what the language does not use stays unscoped


def test_the_vscode_extension_names_the_language_the_grammar_and_the_server() -> None:
    package = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    [language] = package["contributes"]["languages"]
    [grammar] = package["contributes"]["grammars"]
    assert language["id"] == grammar["language"] == "pbr"
    assert language["extensions"] == [".pbr"]
    assert grammar["scopeName"] == _grammar()["scopeName"]
    # the extension's grammar is the repository's one file, not a copy that could drift
    assert (VSCODE / grammar["path"]).resolve() == GRAMMAR.resolve()
    configuration = json.loads((VSCODE / language["configuration"]).read_text(encoding="utf-8"))
    assert configuration["comments"]["lineComment"] == "//"
    assert "onLanguage:pbr" in package["activationEvents"]
    main = (VSCODE / package["main"]).read_text(encoding="utf-8")
    assert 'args: ["lsp"]' in main
    assert package["contributes"]["configuration"]["properties"]["pbr.server.command"][
        "default"
    ] == "pbr-eval"
    assert "pbr-eval lsp" in (VSCODE / "README.md").read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_the_vscode_extensions_script_is_valid_javascript() -> None:
    package = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    result = subprocess.run(
        ["node", "--check", str(VSCODE / package["main"])], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
