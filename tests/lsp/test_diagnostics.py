"""Diagnostics as you type are exactly ``pbr-eval check``'s: every bad golden case opened in the
server over stdio publishes, on each file concerned, the diagnostics ``check --format json``
reports (code, place in UTF-16 units, message, help, clause, and each related place: a note
of ``check`` is the diagnostic's related information), and nothing else."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.lsp.client import Client

from pbrrules.cli import main

CASES = Path(__file__).parents[1] / "cases"
BAD = sorted(p for p in CASES.rglob("bad/*.pbr") if not p.name.startswith("_"))

Related = tuple[tuple[str, int, int, str], ...]
Found = set[tuple[str, str, int, int, str, Related]]


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """A server for the module, initialized, shut down at the end."""
    client = Client(CASES)
    try:
        client.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        client.notify("initialized", {})
        yield client
    finally:
        status = client.close()
    assert status == 0


def _utf16(text: str, line: int, column: int) -> tuple[int, int]:
    """A 1-based line and character column as an LSP position (0-based, UTF-16 units)."""
    lines = text.split("\n")
    prefix = lines[line - 1][: column - 1] if line <= len(lines) else ""
    return line - 1, len(prefix.encode("utf-16-le")) // 2


def _from_check(path: Path, capsys: pytest.CaptureFixture[str]) -> Found:
    main(["check", "--format", "json", str(path)])
    found: Found = set()
    for d in json.loads(capsys.readouterr().out)["diagnostics"]:
        file = Path(d["file"])
        line, character = _utf16(file.read_text(encoding="utf-8"), d["line"], d["column"])
        message = d["message"] + (f"\nhelp: {d['help']}" if d["help"] else "")
        message += f"\nin {d['clause']}" if d["clause"] else ""
        related = tuple(
            (Path(r["file"]).as_uri(),
             *_utf16(Path(r["file"]).read_text(encoding="utf-8"), r["line"], r["column"]),
             r["message"])
            for r in d["related"]
        )  # fmt: skip
        found.add((file.as_uri(), d["code"], line, character, message, related))
    return found


def _published(client: Client, uri: str) -> Found:
    """Every diagnostic published since the document opened (the latest list per file)."""
    client.request("textDocument/completion", {  # answered after every earlier notification
        "textDocument": {"uri": uri}, "position": {"line": 0, "character": 0},
    })  # fmt: skip
    latest: dict[str, list[dict[str, Any]]] = {}
    for note in client.notifications:
        if note["method"] == "textDocument/publishDiagnostics":
            latest[note["params"]["uri"]] = note["params"]["diagnostics"]
    client.notifications.clear()
    return {
        (file, d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"],
         d["message"], tuple(
             (r["location"]["uri"], r["location"]["range"]["start"]["line"],
              r["location"]["range"]["start"]["character"], r["message"])
             for r in d.get("relatedInformation") or []))
        for file, diagnostics in latest.items()
        for d in diagnostics
    }  # fmt: skip


@pytest.mark.parametrize("case", BAD, ids=lambda p: str(p.relative_to(CASES)))
def test_a_bad_case_gets_in_the_editor_what_check_reports(
    case: Path, client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    uri = case.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "pbr", "version": 1, "text": case.read_text(encoding="utf-8"),
    }})  # fmt: skip
    published = _published(client, uri)
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert _published(client, uri) == set()  # closing withdraws them, everywhere
    expected = _from_check(case, capsys)
    assert expected, "a bad case reports something"
    assert published == expected


def _related(client: Client, case: Path) -> list[dict[str, Any]]:
    """The related information of every diagnostic published for ``case``, opened alone."""
    uri = case.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "pbr", "version": 1, "text": case.read_text(encoding="utf-8"),
    }})  # fmt: skip
    client.request("textDocument/completion", {
        "textDocument": {"uri": uri}, "position": {"line": 0, "character": 0},
    })  # fmt: skip
    found = [
        related
        for note in client.notifications
        if note["method"] == "textDocument/publishDiagnostics"
        for d in note["params"]["diagnostics"]
        for related in d.get("relatedInformation") or []
    ]
    client.notifications.clear()
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    client.notifications.clear()
    return found


def test_a_duplicate_name_points_at_the_first_declaration(client: Client) -> None:
    case = CASES / "names" / "bad" / "duplicate_term.pbr"
    related = _related(client, case)
    assert related == [{
        "location": {"uri": case.as_uri(), "range": {
            "start": {"line": 19, "character": 0}, "end": related[0]["location"]["range"]["end"],
        }},
        "message": "'reward' is first declared here",
    }]  # fmt: skip


def test_a_template_parameter_left_unset_points_into_the_template(client: Client) -> None:
    case = CASES / "reuse" / "bad" / "parameter_not_supplied.pbr"
    related = _related(client, case)
    assert [r["message"] for r in related] == ["the template declares it here, without a value"]
    assert related[0]["location"]["uri"] == (case.parent / "_template.pbr").as_uri()
    assert related[0]["location"]["range"]["start"] == {"line": 4, "character": 0}
