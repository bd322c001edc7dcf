"""Validate against its floors: Great Expectations' own import, and `frictionless validate` alone.

    python benchmarks/validate_floor.py [--runs N] [PACKAGE]

Each command runs as its own process, as a user runs it, N times (default 5); printed: the median
and the range of the wall time of

- `python -c "import great_expectations"`: the floor a cold validate cannot go below, since every
  layer of validate runs, Great Expectations included;
- `claimpack validate` cold: no saved result (.claimpack/results removed before each run);
- `claimpack validate` repeated: every input unchanged since the result was saved;
- `frictionless validate datapackage.json` alone on the same package;

then cold validate less the floor, and repeat validate as a share of frictionless's time, with
the load average the machine had (a shared machine slows every figure). Run on a copy of the
package (default: this repository's) under benchmarks/out/floor/. A benchmark, never a test:
nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def timed(command: list[str], cwd: Path, before=None) -> float:
    if before:
        before()
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-500:]}")
    return elapsed


def figure(values: list[float]) -> str:
    return f"{statistics.median(values):6.2f} s  ({min(values):.2f}-{max(values):.2f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", nargs="?", type=Path, default=REPO)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    work = REPO / "benchmarks" / "out" / "floor" / "package"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for part in ("datapackage.json", "data", "validation"):
        source = args.package / part
        if source.is_dir():
            shutil.copytree(source, work / part, ignore=shutil.ignore_patterns("uncommitted", "__pycache__"))
        else:
            shutil.copy2(source, work / part)
    claimpack, frictionless = str(BIN / "claimpack"), str(BIN / "frictionless")

    def forget():
        shutil.rmtree(work / ".claimpack" / "results", ignore_errors=True)

    load = os.getloadavg()[0]
    floor, cold, repeat, alone = [], [], [], []
    timed([claimpack, "validate", "."], work)  # warm the file cache; saves a result
    for _ in range(args.runs):
        floor.append(timed([sys.executable, "-c", "import great_expectations"], work))
        cold.append(timed([claimpack, "validate", "."], work, before=forget))
        repeat.append(timed([claimpack, "validate", "."], work))
        alone.append(timed([frictionless, "validate", "datapackage.json"], work))
    print(f"package: {args.package} ({args.runs} runs; load average {load:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end)")
    print(f"import great_expectations (the floor) {figure(floor)}")
    print(f"claimpack validate, cold              {figure(cold)}")
    print(f"claimpack validate, repeated          {figure(repeat)}")
    print(f"frictionless validate                 {figure(alone)}")
    median = statistics.median
    print(f"cold validate less the floor: {median(cold) - median(floor):.2f} s "
          f"({median(cold) / median(floor):.2f}x the floor)")
    print(f"repeat validate / frictionless validate: {median(repeat) / median(alone):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
