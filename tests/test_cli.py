"""pbr-eval check and fmt as a lawyer and a CI job use them: exit codes, output, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pbrrules.cli import main

CASES = Path(__file__).parent / "cases"
GOOD = CASES / "constructs" / "good" / "triggers.pbr"
BAD = CASES / "names" / "bad" / "unknown_parameter.pbr"


def test_check_exits_0_on_a_clean_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(GOOD)]) == 0
    assert "no problems" in capsys.readouterr().out


def test_check_exits_1_and_reports_file_line_and_column(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(BAD)]) == 1
    err = capsys.readouterr().err
    assert f"{BAD}:15:60: error[PBR101]: unknown parameter 'baselin'" in err
    assert "did you mean 'baseline'?" in err


def test_check_reports_problems_in_every_file_given(capsys: pytest.CaptureFixture[str]) -> None:
    other = CASES / "types" / "bad" / "currency_mismatch.pbr"
    assert main(["check", str(GOOD), str(BAD), str(other)]) == 1
    err = capsys.readouterr().err
    assert "PBR101" in err
    assert "PBR203" in err
    assert "3 file(s) checked, 2 problem(s)" in err


def test_check_json_is_for_editors_and_ci(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "json", str(BAD)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["schema"] == "pbr.diagnostics/1"
    [diagnostic] = report["diagnostics"]
    assert diagnostic["code"] == "PBR101"
    assert (diagnostic["file"], diagnostic["line"], diagnostic["column"]) == (str(BAD), 15, 60)
    assert diagnostic["help"] == "did you mean 'baseline'?"


def test_check_of_a_missing_file_is_a_diagnostic_not_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["check", str(tmp_path / "nowhere.pbr")]) == 1
    err = capsys.readouterr().err
    assert "PBR010" in err
    assert "Traceback" not in err


def test_check_of_a_binary_file_is_a_diagnostic(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "binary.pbr"
    path.write_bytes(b"\xff\xfe\x00\x01")
    assert main(["check", str(path)]) == 1
    assert "not UTF-8" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 2
    assert main(["frobnicate"]) == 2
    assert main([]) == 2


def test_fmt_check_exits_1_on_an_unformatted_file_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "messy.pbr"
    messy = GOOD.read_text(encoding="utf-8").replace("\n  ", "\n      ")
    path.write_text(messy, encoding="utf-8")
    assert main(["fmt", "--check", str(path)]) == 1
    assert path.read_text(encoding="utf-8") == messy
    assert main(["fmt", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == GOOD.read_text(encoding="utf-8")
    assert main(["fmt", "--check", str(path)]) == 0


def test_fmt_refuses_an_invalid_contract_with_its_diagnostics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.pbr"
    path.write_text('contract "x"\n  currency GBP\n\nterm reward\n  pay £5\n', encoding="utf-8")
    assert main(["fmt", str(path)]) == 1
    assert "PBR001" in capsys.readouterr().err


def test_an_internal_error_says_it_is_a_bug_and_exits_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import pbrrules.cli.contracts as cli

    def explode(*_: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(cli, "compile_file", explode)
    monkeypatch.delenv("PBR_DEBUG", raising=False)
    assert main(["check", str(GOOD)]) == 3
    err = capsys.readouterr().err
    assert "internal error in pbrrules" in err
    assert "this is a bug" in err
    assert "Traceback" not in err


def test_the_readme_contract_compiles_and_is_formatted() -> None:
    from pbrrules.compiler import compile_contract
    from pbrrules.formatter.printer import format_text

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    text = readme.split("```pbr\n", 1)[1].split("```", 1)[0]
    compile_contract(text, "README.md")
    assert format_text(text) == text


def test_run_refuses_an_output_in_a_missing_folder_before_measuring(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = Path(__file__).parents[1]
    status = main(
        [
            "run",
            str(root / "contracts" / "doncaster.pbr"),
            str(root / "examples" / "doncaster"),
            "--output",
            str(tmp_path / "missing" / "statement.json"),
        ]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert "cannot write" in err
    assert "there is no folder" in err
    assert "internal error" not in err


def test_check_and_test_take_a_folder_of_contracts(capsys: pytest.CaptureFixture[str]) -> None:
    folder = CASES / "reuse" / "good"
    assert main(["check", str(folder)]) == 0
    assert (
        f"{len(list(folder.glob('*.pbr')))} file(s) checked, no problems" in capsys.readouterr().out
    )
    assert main(["test", str(CASES / "constructs" / "good")]) == 0
