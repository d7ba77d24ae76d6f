"""Issue 12 item 6: ``based on`` / ``amended by`` / ``amends`` read only regular files inside the
contract's folder, of bounded size, and never echo a file from elsewhere."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from pbrrules.compiler import compile_contract, compile_file
from pbrrules.compiler.resolve import MAX_FILE_BYTES
from pbrrules.errors import ContractError

GOOD = Path(__file__).parent / "cases" / "reuse" / "good"
SECRET = "TOP-SECRET-VALUE-42"


def lot(template: str) -> str:
    return f'contract "Lot" based on "{template}"\n\nset baseline = 49.9%\n'


def refusal(folder: Path, template: str) -> str:
    """The message compiling a lot (in ``folder``) based on ``template`` gives, with a timeout:
    a pipe must be refused, not waited on."""
    result: list[str] = []

    def run() -> None:
        contract = folder / "lot.pbr"
        contract.write_text(lot(template), encoding="utf-8")
        try:
            compile_file(contract)
        except ContractError as error:
            result.append(error.render())

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(10)
    assert result, "compiling hung, or did not refuse the file"
    return result[0]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the contract's, holding a template that parses and one with a secret."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "template.pbr").write_text(
        (GOOD / "template.pbr").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (elsewhere / "secret.pbr").write_text(f"{SECRET}\n", encoding="utf-8")
    (tmp_path / "contract").mkdir()
    return elsewhere


@pytest.mark.parametrize("how", ["absolute", "dots", "link", "folder link"])
def test_a_file_outside_the_contract_s_folder_is_refused_unread(
    outside: Path, how: str
) -> None:
    folder = outside.parent / "contract"
    if how == "absolute":
        name = str(outside / "secret.pbr")
    elif how == "dots":
        name = "../elsewhere/secret.pbr"
    elif how == "link":
        (folder / "t.pbr").symlink_to(outside / "secret.pbr")
        name = "t.pbr"
    else:
        (folder / "shared").symlink_to(outside)
        name = "shared/secret.pbr"
    message = refusal(folder, name)
    assert "PBR010" in message
    assert SECRET not in message


def test_the_environment_is_not_echoed(tmp_path: Path) -> None:
    os.environ["PBR_TEST_SECRET"] = SECRET
    message = refusal(tmp_path, "/proc/self/environ")
    assert "PBR010" in message
    assert "absolute path" in message
    assert SECRET not in message


def test_a_service_compiling_received_text_reads_nothing_outside() -> None:
    with pytest.raises(ContractError) as info:
        compile_contract(lot("/proc/self/environ"))
    assert "PBR010" in info.value.render()


@pytest.mark.parametrize("kind", ["fifo", "folder", "device link", "too large"])
def test_only_a_regular_file_of_bounded_size_is_read(tmp_path: Path, kind: str) -> None:
    name = "t.pbr"
    if kind == "fifo":
        os.mkfifo(tmp_path / name)
    elif kind == "folder":
        (tmp_path / name).mkdir()
    elif kind == "device link":
        (tmp_path / name).symlink_to("/dev/zero")
    else:
        (tmp_path / name).write_text("// x\n" * (MAX_FILE_BYTES // 5 + 1), encoding="utf-8")
    message = refusal(tmp_path, name)
    assert "PBR010" in message


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero"])
def test_the_contract_itself_must_be_a_regular_file(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "c.pbr"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path = Path(kind)
    result: list[str] = []

    def run() -> None:
        try:
            compile_file(path)
        except ContractError as error:
            result.append(error.render())

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(10)
    assert result
    assert "PBR010" in result[0]


def test_a_file_in_a_subfolder_is_still_read(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "template.pbr").write_text(
        (GOOD / "template.pbr").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "lot.pbr").write_text(lot("templates/template.pbr"), encoding="utf-8")
    with pytest.raises(ContractError) as info:  # read; only its parameters are missing
        compile_file(tmp_path / "lot.pbr")
    assert "PBR010" not in {d.code for d in info.value.diagnostics}
