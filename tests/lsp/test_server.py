"""The language server, spoken to over stdio by a real client (``client.Client``): initialize,
diagnostics on open and on change (the same as ``pbr-eval check``), hover, go to definition
(into template and variation files too), completion, format document, quick fixes, shutdown and
exit."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.lsp.client import Client

from pbrrules.cli import main
from pbrrules.formatter.printer import format_text

ROOT = Path(__file__).parents[2]
CONTRACTS = ROOT / "contracts"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled contracts the tests may edit."""
    folder = tmp_path_factory.mktemp("workspace")
    shutil.copytree(CONTRACTS, folder / "contracts")
    return folder / "contracts"


@pytest.fixture(scope="module")
def client(workspace: Path) -> Iterator[Client]:
    """A server, initialized, for the module's tests; shut down and exited at the end."""
    client = Client(workspace)
    try:
        result = client.request("initialize", {
            "processId": None, "rootUri": workspace.as_uri(), "capabilities": {},
        })  # fmt: skip
        client.capabilities = result["capabilities"]  # type: ignore[attr-defined]
        client.server_info = result.get("serverInfo")  # type: ignore[attr-defined]
        client.notify("initialized", {})
        yield client
    finally:
        status = client.close()
    assert status == 0


def _open(client: Client, path: Path, text: str | None = None) -> str:
    uri = path.as_uri()
    text = path.read_text(encoding="utf-8") if text is None else text
    client.notify("textDocument/didOpen", {
        "textDocument": {"uri": uri, "languageId": "pbr", "version": 1, "text": text},
    })  # fmt: skip
    return uri


def _change(client: Client, uri: str, version: int, text: str) -> None:
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}],
    })  # fmt: skip


def _close(client: Client, uri: str) -> None:
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})


def _at(text: str, needle: str, occurrence: int = 1, offset: int = 1) -> dict[str, int]:
    """The LSP position (UTF-16) ``offset`` characters into the n-th occurrence of ``needle``."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    index += offset
    line = text.count("\n", 0, index)
    start = text.rfind("\n", 0, index) + 1
    return {"line": line, "character": len(text[start:index].encode("utf-16-le")) // 2}


def _check_json(path: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    main(["check", "--format", "json", str(path)])
    found: list[dict[str, Any]] = json.loads(capsys.readouterr().out)["diagnostics"]
    return found


def test_initialize_announces_every_feature_and_the_server(client: Client) -> None:
    capabilities = client.capabilities  # type: ignore[attr-defined]
    assert capabilities["hoverProvider"]
    assert capabilities["definitionProvider"]
    assert capabilities["documentFormattingProvider"]
    assert capabilities["codeActionProvider"]["codeActionKinds"] == ["quickfix"]
    assert "completionProvider" in capabilities
    assert capabilities["textDocumentSync"]["openClose"]
    assert client.server_info["name"] == "pbr-eval"  # type: ignore[attr-defined]


def test_a_clean_contract_opens_with_no_diagnostics(client: Client, workspace: Path) -> None:
    uri = _open(client, workspace / "doncaster.pbr")
    assert client.diagnostics(uri, 1) == []
    _close(client, uri)
    assert client.diagnostics(uri) == []


def test_a_change_gets_the_diagnostics_check_gives_and_fixing_it_clears_them(
    client: Client, workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN an open contract
    path = workspace / "doncaster.pbr"
    text = path.read_text(encoding="utf-8")
    uri = _open(client, path)
    assert client.diagnostics(uri, 1) == []
    # WHEN a name is mistyped, as it is typed
    broken = text.replace("against baseline_2009", "against baselin_2009")
    _change(client, uri, 2, broken)
    found = client.diagnostics(uri, 2)
    # THEN the diagnostic is check's, with its code, place, message and help
    copy = tmp_path / "doncaster.pbr"
    copy.write_text(broken, encoding="utf-8")
    [expected] = _check_json(copy, capsys)
    [diagnostic] = found
    assert diagnostic["code"] == expected["code"] == "PBR101"
    assert diagnostic["severity"] == 1
    assert diagnostic["source"] == "pbr-eval"
    assert diagnostic["message"].splitlines()[0] == expected["message"]
    assert f"help: {expected['help']}" in diagnostic["message"]
    assert diagnostic["range"]["start"] == _at(broken, "baselin_2009", offset=0)
    assert diagnostic["range"]["start"]["line"] == expected["line"] - 1
    assert diagnostic["range"]["end"] == _at(broken, "baselin_2009", offset=len("baselin_2009"))
    # AND WHEN it is put right, the diagnostic goes
    _change(client, uri, 3, text)
    assert client.diagnostics(uri, 3) == []
    _close(client, uri)


def test_a_syntax_error_while_typing_is_reported_and_positions_count_utf16(
    client: Client, workspace: Path
) -> None:
    path = workspace / "doncaster.pbr"
    text = path.read_text(encoding="utf-8")
    uri = _open(client, path)
    client.diagnostics(uri, 1)
    # an astral character (two UTF-16 units) and a pound sign before the mistake on one line
    broken = text.replace('term repayment (source "', 'term repayment (source "𝔸 ', 1).replace(
        '"):\n  unless five_points', '") zzz:\n  unless five_points', 1
    )
    _change(client, uri, 2, broken)
    [diagnostic] = client.diagnostics(uri, 2)
    assert diagnostic["code"] == "PBR001"
    assert diagnostic["range"]["start"] == _at(broken, "zzz", offset=0)
    assert diagnostic["range"]["end"] == _at(broken, "zzz", offset=3)
    _close(client, uri)


def test_hover_shows_the_declaration_value_unit_clause_and_file(
    client: Client, workspace: Path
) -> None:
    path = workspace / "doncaster.pbr"
    text = path.read_text(encoding="utf-8")
    uri = _open(client, path)
    client.diagnostics(uri, 1)
    hover = client.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": _at(text, "against baseline_2009", offset=12),
    })  # fmt: skip
    shown = hover["contents"]["value"]
    assert hover["contents"]["kind"] == "markdown"
    assert "**parameter** `baseline_2009`" in shown
    assert "parameter baseline_2009: rate = 58.0%" in shown
    assert "- value: 58.0%" in shown
    assert "- unit: rate" in shown
    assert ("- clause: source: Ministry of Justice, 'Payment by results pilot: cohort 2 HMP "
            "Doncaster results', gov.uk") in shown
    line = next(n for n, words in enumerate(text.splitlines(), 1)
                if words.startswith("parameter baseline_2009"))
    assert f"- declared in: doncaster.pbr, line {line}" in shown
    assert hover["range"]["start"] == _at(text, "against baseline_2009", offset=8)
    nothing = client.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": {"line": 0, "character": 0},
    })  # fmt: skip
    assert nothing is None
    _close(client, uri)


def test_definition_finds_a_name_in_the_same_file(client: Client, workspace: Path) -> None:
    path = workspace / "doncaster.pbr"
    text = path.read_text(encoding="utf-8")
    uri = _open(client, path)
    client.diagnostics(uri, 1)
    [location] = client.request("textDocument/definition", {
        "textDocument": {"uri": uri}, "position": _at(text, "unless five_points", offset=9),
    })  # fmt: skip
    assert location["uri"] == uri
    assert location["range"]["start"] == _at(text, "target five_points", offset=7)
    _close(client, uri)


def test_definition_leads_into_the_template_and_the_variation_file(
    client: Client, workspace: Path
) -> None:
    # GIVEN a lot file of the TR template
    folder = workspace / "transforming-rehabilitation"
    lot = folder / "essex.pbr"
    text = lot.read_text(encoding="utf-8")
    uri = _open(client, lot)
    assert client.diagnostics(uri, 1) == []
    template = (folder / "template.pbr").read_text(encoding="utf-8")
    # WHEN asking where a name it sets is declared
    locations = client.request("textDocument/definition", {
        "textDocument": {"uri": uri}, "position": _at(text, "set baseline_binary", offset=5),
    })  # fmt: skip
    # THEN its own set line and the template's parameter declaration are found
    by_file = {location["uri"]: location["range"]["start"] for location in locations}
    assert by_file[uri] == _at(text, "set baseline_binary", offset=4)
    assert by_file[(folder / "template.pbr").as_uri()] == _at(
        template, "parameter baseline_binary", offset=len("parameter ")
    )
    # AND the file names in the header lead to the files
    [variation] = client.request("textDocument/definition", {
        "textDocument": {"uri": uri}, "position": _at(text, '"2017-variation.pbr"', offset=3),
    })  # fmt: skip
    assert variation["uri"] == (folder / "2017-variation.pbr").as_uri()
    [based_on] = client.request("textDocument/definition", {
        "textDocument": {"uri": uri}, "position": _at(text, '"template.pbr"', offset=3),
    })  # fmt: skip
    assert based_on["uri"] == (folder / "template.pbr").as_uri()
    _close(client, uri)


def test_definition_from_a_variation_file_leads_into_the_file_it_amends(
    client: Client, workspace: Path
) -> None:
    folder = workspace / "transforming-rehabilitation"
    path = folder / "2017-variation.pbr"
    text = path.read_text(encoding="utf-8")
    uri = _open(client, path)
    client.diagnostics(uri, 1)
    [location] = client.request("textDocument/definition", {
        "textDocument": {"uri": uri}, "position": _at(text, "term frequency_payment", offset=6),
    })  # fmt: skip
    template = (folder / "template.pbr").read_text(encoding="utf-8")
    assert location["uri"] == (folder / "template.pbr").as_uri()
    assert location["range"]["start"] == _at(template, "term frequency_payment", offset=5)
    _close(client, uri)


def test_completion_offers_keywords_and_the_declared_names(
    client: Client, workspace: Path
) -> None:
    path = workspace / "doncaster.pbr"
    uri = _open(client, path)
    client.diagnostics(uri, 1)
    result = client.request("textDocument/completion", {
        "textDocument": {"uri": uri}, "position": {"line": 0, "character": 0},
    })  # fmt: skip
    items = {item["label"]: item for item in result["items"]}
    for keyword in ("term", "pay", "deduct", "unless", "percentage", "one-sided"):
        assert items[keyword]["kind"] == 14  # Keyword
    for name in ("baseline_2009", "reconviction_rate", "five_points", "repayment"):
        assert name in items
    assert items["repayment"]["detail"].startswith("term")
    _close(client, uri)


def test_format_document_gives_fmts_layout(client: Client, workspace: Path) -> None:
    path = workspace / "peterborough.pbr"
    text = path.read_text(encoding="utf-8")
    messy = text.replace("\n  ", "\n      ", 5)
    uri = _open(client, path, messy)
    client.diagnostics(uri, 1)
    edits = client.request("textDocument/formatting", {
        "textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": True},
    })  # fmt: skip
    [edit] = edits
    assert edit["range"]["start"] == {"line": 0, "character": 0}
    assert edit["range"]["end"] == {"line": messy.count("\n"), "character": 0}
    assert edit["newText"] == format_text(messy, str(path)) == format_text(text, str(path))
    _change(client, uri, 2, edit["newText"])
    assert client.request("textDocument/formatting", {
        "textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": True},
    }) == []  # fmt: skip
    _close(client, uri)


def test_an_incremental_change_is_applied_before_checking(client: Client, workspace: Path) -> None:
    path = workspace / "doncaster.pbr"
    text = path.read_text(encoding="utf-8")
    uri = _open(client, path)
    client.diagnostics(uri, 1)
    # delete the 'e' of 'baseline_2009' in the comparison, as an editor sends a keystroke
    start = _at(text, "against baseline_2009", offset=len("against baselin"))
    end = {"line": start["line"], "character": start["character"] + 1}
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": {"start": start, "end": end}, "text": ""}],
    })  # fmt: skip
    [diagnostic] = client.diagnostics(uri, 2)
    assert diagnostic["code"] == "PBR101"
    assert "'baselin_2009'" in diagnostic["message"]
    _close(client, uri)


def test_hover_in_a_lot_file_shows_the_value_it_sets_on_the_templates_parameter(
    client: Client, workspace: Path
) -> None:
    folder = workspace / "transforming-rehabilitation"
    lot = folder / "essex.pbr"
    text = lot.read_text(encoding="utf-8")
    uri = _open(client, lot)
    client.diagnostics(uri, 1)
    hover = client.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": _at(text, "set baseline_binary", offset=6),
    })  # fmt: skip
    shown = hover["contents"]["value"]
    assert "**parameter** `baseline_binary`" in shown
    assert "- value: 47.5%" in shown
    assert "- declared in: template.pbr, line " in shown
    _close(client, uri)


def test_while_a_document_has_a_syntax_error_hover_and_definition_use_its_last_good_version(
    client: Client, workspace: Path
) -> None:
    path = workspace / "doncaster.pbr"
    text = path.read_text(encoding="utf-8")
    uri = _open(client, path)
    client.diagnostics(uri, 1)
    broken = text.replace("  unless five_points", "  unless five_points pay", 1)
    _change(client, uri, 2, broken)
    assert [d["code"] for d in client.diagnostics(uri, 2)] == ["PBR001"]
    hover = client.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": _at(broken, "unless five_points", offset=9),
    })  # fmt: skip
    assert "**target** `five_points`" in hover["contents"]["value"]
    [location] = client.request("textDocument/definition", {
        "textDocument": {"uri": uri}, "position": _at(broken, "unless five_points", offset=9),
    })  # fmt: skip
    assert location["range"]["start"] == _at(text, "target five_points", offset=7)
    _close(client, uri)


@pytest.mark.parametrize(
    ("meant", "written"),
    [("against baseline_2009", "against baselin_2009"), ("\nterm repayment", "\ntrem repayment")],
    ids=["a misspelt name", "a misspelt keyword"],
)
def test_a_did_you_mean_is_a_quick_fix_that_puts_the_contract_right(
    client: Client, workspace: Path, meant: str, written: str
) -> None:
    path = workspace / "doncaster.pbr"
    text = path.read_text(encoding="utf-8")
    # GIVEN a contract with a misspelling, and check's diagnostic that says what was meant
    broken = text.replace(meant, written, 1)
    uri = _open(client, path, broken)
    [diagnostic] = client.diagnostics(uri, 1)
    # WHEN the editor asks for code actions on it
    [action] = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": diagnostic["range"],
        "context": {"diagnostics": [diagnostic]},
    })  # fmt: skip
    # THEN one quick fix writes the suggestion over the misspelt word, and the contract is clean
    assert action["kind"] == "quickfix"
    [edit] = action["edit"]["changes"][uri]
    assert edit["range"] == diagnostic["range"]
    lines = broken.split("\n")
    start, end = edit["range"]["start"], edit["range"]["end"]
    line = lines[start["line"]]
    lines[start["line"]] = line[: start["character"]] + edit["newText"] + line[end["character"] :]
    assert "\n".join(lines) == text
    _change(client, uri, 2, text)
    assert client.diagnostics(uri, 2) == []
    _close(client, uri)


def test_hover_on_the_measure_of_a_given_for_line_shows_the_measure(
    client: Client, workspace: Path
) -> None:
    """``given "cohort 1" for arrests: ...`` (figures for one measure): hovering the measure's
    name shows its declaration, as for any name."""
    source = Path(__file__).parents[1] / "cases" / "constructs" / "good"
    path = workspace / "outcomes_that_rise_and_who_pays.pbr"
    shutil.copy(source / path.name, path)
    text = path.read_text(encoding="utf-8")
    uri = _open(client, path)
    client.diagnostics(uri, 1)
    hover = client.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": _at(text, '"cohort 1" for arrests', offset=16),
    })  # fmt: skip
    shown = hover["contents"]["value"]
    assert "**measure** `arrests`" in shown
    assert "frequency per 1 offenders of released" in shown
    _close(client, uri)
