"""The package's layout holds: every module imports on its own, imports only point down the
pipeline's layers, and no pbrrules module imports itself round a cycle.

A cycle among modules works only in the order the tests happen to import them (the statement
once failed to import in a fresh process because ``pay`` imported it back); the layers make the
file list read as the pipeline and keep a new stage's imports honest.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "src" / "pbrrules"

# Lowest first; a module may import its own layer's modules (no cycles) and any lower layer.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "values", "figures", "files"),
    ("rules",),
    ("syntax",),
    ("checks",),
    ("compiler",),
    ("formatter", "statement", "highlight"),
    ("measure", "pay"),
    ("render", "worked_examples", "diff", "what_if"),
    ("example_coverage",),
    ("api", "lsp"),
    ("cli",),
    ("__init__", "__main__"),
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str) -> set[str]:
    """The pbrrules modules ``name`` imports anywhere in its text (functions included)."""
    path = MODULES[name]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("pbrrules"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith("pbrrules"):
                continue
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in MODULES else node.module)
    # A submodule is always loaded inside its own packages: those are not its imports.
    parents = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
    return {m for m in found if m in MODULES and m not in parents and m != name}


def _layer(name: str) -> int:
    top = name.split(".")[1] if "." in name else "__init__"
    if name == "pbrrules.__main__":
        top = "__main__"
    for index, layer in enumerate(LAYERS):
        if top in layer:
            return index
    raise AssertionError(f"{name} is in no layer: add its package to LAYERS")


def test_every_module_is_in_a_layer_and_imports_only_its_layer_or_lower() -> None:
    upward = [
        f"{name} (layer {_layer(name)}) imports {target} (layer {_layer(target)})"
        for name in MODULES
        for target in sorted(_imports(name))
        if _layer(target) > _layer(name)
    ]
    assert not upward, "imports pointing up the layers:\n" + "\n".join(upward)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each cycle a depth-first walk of ``graph`` meets, as the path round it."""
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 while on the walk's path, 2 once done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    return cycles


def test_no_import_cycle_among_pbrrules_modules() -> None:
    cycles = _cycles({name: _imports(name) for name in MODULES})
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_checks_can_fail() -> None:
    """A planted cycle is found, and a real import is seen (from a package, of a submodule)."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c", "a"]]
    assert "pbrrules.statement" in _imports("pbrrules.pay.limits")
    assert "pbrrules.statement.wording" in _imports("pbrrules.pay.amounts")


@pytest.mark.slow
def test_every_module_imports_on_its_own_in_a_fresh_process() -> None:
    """Each module is imported with no pbrrules module loaded before it (third-party ones may
    stay loaded: only pbrrules' own import order is under test), and every public name of
    ``pbrrules.__all__`` resolves."""
    script = (
        "import importlib, sys\n"
        "failed = []\n"
        f"for name in {sorted(MODULES)!r}:\n"
        "    for loaded in [m for m in sys.modules if m.split('.')[0] == 'pbrrules']:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as exc:\n"
        "        failed.append(f'{name}: {type(exc).__name__}: {exc}')\n"
        "for loaded in [m for m in sys.modules if m.split('.')[0] == 'pbrrules']:\n"
        "    del sys.modules[loaded]\n"
        "import pbrrules\n"
        "for public in pbrrules.__all__:\n"
        "    try:\n"
        "        getattr(pbrrules, public)\n"
        "    except Exception as exc:\n"
        "        failed.append(f'pbrrules.{public}: {type(exc).__name__}: {exc}')\n"
        "print('\\n'.join(failed))\n"
        "sys.exit(1 if failed else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    separately = subprocess.run(
        [sys.executable, "-c", "from pbrrules import Statement; import pbrrules.render"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert separately.returncode == 0, separately.stderr
