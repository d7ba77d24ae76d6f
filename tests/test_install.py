"""The grammar ships in the wheel: a wheel built from the repository, installed in a fresh
environment outside the checkout, checks a contract. The wheel also carries the statement's JSON
Schema (loaded through importlib.resources) and the licence text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


@pytest.mark.slow
def test_a_built_wheel_installed_elsewhere_checks_a_contract(tmp_path: Path) -> None:
    # GIVEN a wheel built from the repository
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(dist), str(ROOT)],
        check=True,
    )
    [wheel] = dist.glob("pbrrules-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "pbrrules/statement/statement.schema.json" in names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names), names
    # WHEN it is installed in a fresh environment outside the checkout (its dependencies are
    # taken from this environment's site-packages, read as a plain path, so this environment's
    # editable pbrrules is not visible there)
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    contract = tmp_path / "doncaster.pbr"
    contract.write_text((ROOT / "tests/cases/constructs/good/triggers.pbr").read_text("utf-8"),
                        encoding="utf-8")
    environ = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]}
    where = subprocess.run(
        [str(python), "-c", "import pbrrules, pathlib; print(pbrrules.__file__); "
         "assert (pathlib.Path(pbrrules.__file__).parent / 'py.typed').exists(); "
         "from pbrrules.statement import json_schema; print(json_schema()['$id'])"],
        cwd=tmp_path, env=environ, capture_output=True, text=True, check=True,
    )
    # THEN pbr-eval from that environment checks the contract, with the wheel's own grammar
    result = subprocess.run(
        [str(env_dir / "bin" / "pbr-eval"), "check", str(contract)],
        cwd=tmp_path, env=environ, capture_output=True, text=True,
    )
    assert str(env_dir) in where.stdout
    schema = json.loads((ROOT / "docs/statement.schema.json").read_text(encoding="utf-8"))
    assert schema["$id"] in where.stdout
    assert result.returncode == 0, result.stderr
    assert "no problems" in result.stdout
    # AND the error reference ships with it: explain reads the wheel's own copy
    explained = subprocess.run(
        [str(env_dir / "bin" / "pbr-eval"), "explain", "PBR202"],
        cwd=tmp_path, env=environ, capture_output=True, text=True,
    )
    assert explained.returncode == 0, explained.stderr
    assert explained.stdout.startswith("## PBR202")


def test_the_packaged_schema_is_the_documented_one() -> None:
    """docs/statement.schema.json is the copy that is edited; the package reads the same text."""
    from pbrrules.statement import json_schema

    documented = json.loads((ROOT / "docs/statement.schema.json").read_text(encoding="utf-8"))
    assert json_schema() == documented
