"""Run every known-bad input of tests/fixtures/bad/ and count how claimpack answered.

Each fixture's defect is applied to a fresh copy of the package, its command run with every
layer (in a worker process, through the same in-process runner as the tests), and the answer
compared with the exact error lines and exit code the fixture expects. An "init" fixture is a
paper in a folder of its own (a hostile name, a bibliography named like an option, a symbolic
link, metadata with terminal escapes): init runs there, and any file it changes besides the
package it is expected to write counts (a Lua payload's PWNED, a file pandoc wrote over).
Prints the counts, in all and for each class of input ("class" in the fixture; the package
defects of the first rounds are "package"): bad inputs tried, caught with the right message,
tracebacks seen, and files changed by a failed command. Exits 1 unless every input was caught
and nothing changed.

Example: .venv/bin/python scripts/bad_inputs.py            (the whole corpus)
         .venv/bin/python scripts/bad_inputs.py csv-bom -v  (one fixture, with its output)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from conftest import Outcome, load_defects, run_defect  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="fixtures to run (default: all)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each command's output")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2, help="fixtures run at once")
    args = parser.parse_args()
    defects = [(name, defect) for name, defect in load_defects() if not args.names or name in args.names]

    caught = tracebacks = changed = 0
    classes: dict[str, list[int]] = {}
    # processes, not threads: a command run in process changes the working directory while it runs
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for name, defect, outcome in pool.map(run, defects):
            right = outcome.exit == defect["exit"] and outcome.lines == defect["errors"]
            caught += right
            tracebacks += outcome.traceback
            changed += len(outcome.changed)
            verdict = "ok" if right and not outcome.traceback and not outcome.changed else "FAIL"
            counts = classes.setdefault(defect.get("class", "package"), [0, 0, 0, 0])
            for index, value in enumerate((1, right, outcome.traceback, len(outcome.changed))):
                counts[index] += value
            print(f"{verdict:4} {name} (exit {outcome.exit})")
            if verdict == "FAIL" or args.verbose:
                if not right:
                    print(f"     expected exit {defect['exit']}:", *defect["errors"], sep="\n       ")
                    print("     got:", *outcome.lines, sep="\n       ")
                if outcome.changed:
                    print("     files changed:", ", ".join(outcome.changed))
                if args.verbose or outcome.traceback:
                    print("     output:", *outcome.output.splitlines(), sep="\n       ")
    print(f"\n{'class':<20} {'tried':>6} {'caught':>7} {'tracebacks':>11} {'files changed':>14}")
    for name, (tried, right, traced, touched) in sorted(classes.items()):
        print(f"{name:<20} {tried:>6} {right:>7} {traced:>11} {touched:>14}")
    print(f"\nbad inputs tried: {len(defects)}")
    print(f"caught with the right message: {caught}")
    print(f"tracebacks seen: {tracebacks}")
    print(f"files changed by a failed command: {changed}")
    return 0 if caught == len(defects) and not tracebacks and not changed else 1


def run(item: tuple[str, dict]) -> tuple[str, dict, Outcome]:
    """Apply one fixture's defect to a fresh copy of the package and run its command."""
    name, defect = item
    with tempfile.TemporaryDirectory(prefix=f"bad-{name}-") as scratch:
        return name, defect, run_defect(Path(scratch) / "package", defect)


if __name__ == "__main__":
    sys.exit(main())
