"""Compile speed: every contract in contracts/, as a whole process and in process.

Prints the median wall time of `pbr-eval check` over all contract files (the whole process, as a
lawyer or CI runs it), against `python -c pass` measured in the same run (the interpreter's own
start-up, the floor), and the in-process time to compile each file once the parser is built.

    python benchmarks/compile.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _median_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "contracts").rglob("*.pbr"))
    lines = sum(len((ROOT / f).read_text(encoding="utf-8").splitlines()) for f in files)
    floor = _median_seconds([sys.executable, "-c", "pass"], args.runs)
    imports = _median_seconds([sys.executable, "-c", "import pbrrules.cli"], args.runs)
    check = _median_seconds([sys.executable, "-m", "pbrrules", "check", *files], args.runs)
    print(f"contracts: {len(files)} files, {lines} lines")
    print(f"pbr-eval check, whole process, median of {args.runs}: {check * 1000:.0f} ms")
    print(f"python -c pass (start-up floor), median of {args.runs}: {floor * 1000:.0f} ms")
    print(f"python -c 'import pbrrules.cli', median of {args.runs}: {imports * 1000:.0f} ms")
    print(f"ratio to the floor: {check / floor:.1f}x; check beyond the imports: "
          f"{(check - imports) * 1000:.0f} ms")

    from pbrrules.compiler import compile_file
    from pbrrules.syntax.parser import _lark

    start = time.perf_counter()
    _lark()
    print(f"building the LALR parser once: {(time.perf_counter() - start) * 1000:.0f} ms")
    per_file = []
    for name in files:
        start = time.perf_counter()
        compile_file(ROOT / name)
        per_file.append(time.perf_counter() - start)
    print(
        f"in process, per file: median {statistics.median(per_file) * 1000:.1f} ms, "
        f"max {max(per_file) * 1000:.1f} ms, all {sum(per_file) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
