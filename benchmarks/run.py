"""Measure pbrrules' measurement against a bare DuckDB query, the same query followed by the
checks every input needs, and pandas, in one run.

    python benchmarks/generate.py 1m 5m          # once: writes benchmarks/data/ (git-ignored)
    python benchmarks/run.py 1m 5m --runs 3

Each task runs in a fresh process (``benchmarks/tasks.py``), interleaved run by run so that the
tasks see the same machine; wall time is the whole process (start-up and imports included), peak
memory its maximum resident set size. The figures of all of them must agree (a digest check).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
TASKS = ("pbrrules", "duckdb", "checked", "pandas")


def run_once(task: str, folder: Path, fmt: str) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MiB, digest) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "tasks.py"), task, str(folder), fmt],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out = proc.stdout.read() if proc.stdout else ""
    err = proc.stderr.read() if proc.stderr else ""
    if status != 0:
        raise SystemExit(f"{task} failed on {folder}:\n{err}")
    return wall, usage.ru_maxrss / 1024, out.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", default=["1m", "5m"])
    parser.add_argument("--formats", nargs="*", default=["parquet", "csv"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tasks", nargs="*", default=list(TASKS))
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, medians of {args.runs} runs")
    header = f"{'size':>5} {'format':>8} {'task':>9} {'wall s':>7} {'peak MiB':>9}"
    for size in args.sizes:
        for fmt in args.formats:
            folder = HERE / "data" / size / fmt
            times: dict[str, list[float]] = {t: [] for t in args.tasks}
            memory: dict[str, list[float]] = {t: [] for t in args.tasks}
            digests: set[str] = set()
            for _ in range(args.runs):
                for task in args.tasks:
                    wall, rss, digest = run_once(task, folder, fmt)
                    times[task].append(wall)
                    memory[task].append(rss)
                    digests.add(digest)
            print(header)
            med = {
                t: (statistics.median(times[t]), statistics.median(memory[t])) for t in args.tasks
            }
            for task in args.tasks:
                print(f"{size:>5} {fmt:>8} {task:>9} {med[task][0]:7.2f} {med[task][1]:9.0f}")
            if {"pbrrules", "duckdb"} <= set(args.tasks):
                p, d = med["pbrrules"], med["duckdb"]
                line = f"  pbrrules/duckdb time {p[0] / d[0]:.2f}x, memory {p[1] / d[1]:.2f}x"
                if "checked" in args.tasks:
                    c = med["checked"]
                    line += f"; checked/duckdb time {c[0] / d[0]:.2f}x"
                    line += f"; pbrrules/checked time {p[0] / c[0]:.2f}x"
                if "pandas" in args.tasks:
                    line += f"; pandas/pbrrules time {med['pandas'][0] / p[0]:.2f}x"
                print(line)
            print(f"  figures agree: {len(digests) == 1} {sorted(digests)}")


if __name__ == "__main__":
    main()
