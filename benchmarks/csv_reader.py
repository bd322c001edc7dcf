"""The package's reader against the libraries that could replace it: claimpack.model.tables (csv and a
columnar caster of its own), frictionless's reader, and csv.DictReader with the same caster per row.

    python benchmarks/csv_reader.py [--claims N] [--runs N]

Each reads and casts every table of a synthetic package (benchmarks/synthetic.py, N claims;
default 100,000) by its Table Schema, in this process after a first untimed read; printed: the
median wall time of each, and the import time of frictionless, which the verbs that only read
(show, find, export, the report) would pay. A benchmark, never a test: nothing asserts on time.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

TABLES = ("claims", "events", "sources", "footnotes", "citations", "checks")


def with_claimpack(root: Path) -> int:
    from claimpack.model.package import Package

    package = Package.load(root)
    return sum(len(package.table(name)) for name in TABLES)


def with_frictionless(root: Path) -> int:
    from frictionless import Package as FrictionlessPackage

    package = FrictionlessPackage(str(root / "datapackage.json"))
    rows = 0
    for name in TABLES:
        resource = package.get_resource(name)
        rows += len(resource.read_rows())
    return rows


def with_dictreader(root: Path) -> int:
    from claimpack.model.tables import cast

    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    rows = 0
    for resource in descriptor["resources"]:
        if resource["name"] not in TABLES:
            continue
        types = {f["name"]: f.get("type", "string") for f in resource["schema"]["fields"]}
        with (root / resource["path"]).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                {key: (cast(value, types.get(key)) if value != "" else None) for key, value in row.items()}
                rows += 1
    return rows


def timed(function, root: Path, runs: int) -> tuple[float, int]:
    count = function(root)  # untimed: warms the file cache and the imports
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function(root)
        times.append(time.perf_counter() - started)
    return statistics.median(times), count


def main(argv: list[str] | None = None) -> int:
    import synthetic

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    root = HERE / "out" / f"synthetic-{args.claims}"
    synthetic.ensure(args.claims, root)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import frictionless"], check=True)
    import_seconds = time.perf_counter() - started
    print(f"synthetic package of {args.claims:,} claims; median of {args.runs} runs")
    for name, function in (("claimpack.model.tables", with_claimpack), ("frictionless read_rows", with_frictionless),
                           ("csv.DictReader + cast", with_dictreader)):
        seconds, rows = timed(function, root, args.runs)
        print(f"{name:24} {seconds:7.2f} s  ({rows:,} rows)")
    print(f"{'import frictionless':24} {import_seconds:7.2f} s  (a fresh process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
