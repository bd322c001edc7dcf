"""Run every known-bad input of tests/fixtures/bad/ and count how claimpack answered.

Each fixture's defect is applied to a fresh copy of the package, its command run for real, and
the answer compared with the exact error lines and exit code the fixture expects. Prints the
counts that matter: bad inputs tried, caught with the right message, tracebacks seen, and
files changed by a failed command. Exits 1 unless every input was caught and nothing changed.

Example: .venv/bin/python scripts/bad_inputs.py            (the whole corpus)
         .venv/bin/python scripts/bad_inputs.py csv-bom -v  (one fixture, with its output)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
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

    def run(item: tuple[str, dict]) -> tuple[str, dict, Outcome]:
        name, defect = item
        with tempfile.TemporaryDirectory(prefix=f"bad-{name}-") as scratch:
            return name, defect, run_defect(Path(scratch) / "package", defect)

    caught = tracebacks = changed = 0
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for name, defect, outcome in pool.map(run, defects):
            right = outcome.exit == defect["exit"] and outcome.lines == defect["errors"]
            caught += right
            tracebacks += outcome.traceback
            changed += len(outcome.changed)
            verdict = "ok" if right and not outcome.traceback and not outcome.changed else "FAIL"
            print(f"{verdict:4} {name} (exit {outcome.exit})")
            if verdict == "FAIL" or args.verbose:
                if not right:
                    print(f"     expected exit {defect['exit']}:", *defect["errors"], sep="\n       ")
                    print("     got:", *outcome.lines, sep="\n       ")
                if outcome.changed:
                    print("     files changed:", ", ".join(outcome.changed))
                if args.verbose or outcome.traceback:
                    print("     output:", *outcome.output.splitlines(), sep="\n       ")
    print(f"\nbad inputs tried: {len(defects)}")
    print(f"caught with the right message: {caught}")
    print(f"tracebacks seen: {tracebacks}")
    print(f"files changed by a failed command: {changed}")
    return 0 if caught == len(defects) and not tracebacks and not changed else 1


if __name__ == "__main__":
    sys.exit(main())
