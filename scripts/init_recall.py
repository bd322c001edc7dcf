"""How many of a package's reviewed claims `claimpack init` finds on its own, from the paper alone.

Runs `init` on the package's paper (data/source/paper.md by default) into a temporary directory
and matches each reviewed claim to one candidate, one to one:
- on figure (as printed) and value: the recall of figures;
- also on section, paragraph and footnote: the recall of places.
Precision is the share of candidates that match a reviewed claim on figure and value.

    .venv/bin/python scripts/init_recall.py            # this package
    .venv/bin/python scripts/init_recall.py PACKAGE_DIR --show   # and list what was missed
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimpack.init.writer import init  # noqa: E402
from claimpack.model.package import Package  # noqa: E402


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _same_value(a: str, b: str) -> bool:
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-9)
    except ValueError:
        return False


def match(reviewed: list[dict], candidates: list[dict]) -> tuple[list[tuple[dict, dict, bool]], list[dict]]:
    """Pair reviewed claims with candidates (figure and value), the same place first; and the unmatched."""
    free = list(candidates)
    pairs, missed = [], []
    for claim in reviewed:
        fits = [c for c in free if c["figure"] == claim["figure"] and _same_value(c["value"], claim["value"])]
        placed = [c for c in fits if (c["section"], c["paragraph"], c["footnote"]) ==
                  (claim["section"], claim["paragraph"], claim["footnote"])]
        chosen = (placed or fits or [None])[0]
        if chosen is None:
            missed.append(claim)
            continue
        free.remove(chosen)
        pairs.append((claim, chosen, bool(placed)))
    return pairs, missed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("package", nargs="?", default=str(ROOT), help="a package with reviewed claims")
    parser.add_argument("--show", action="store_true", help="list the reviewed claims init missed")
    args = parser.parse_args(argv)
    package = Package.load(Path(args.package).resolve())
    paper = package.path_of(package.config.get("original") or package.config["paper"])
    reviewed = [row for row in _rows(package.path_of("claims")) if row.get("status", "reviewed") == "reviewed"]
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        result = init(paper, Path(scratch) / "package")
        seconds = time.perf_counter() - started
        candidates = _rows(result.root / "data" / "claims.csv")
    pairs, missed = match(reviewed, candidates)
    placed = sum(1 for _, _, same in pairs if same)
    total = len(reviewed) or 1
    print(f"paper: {paper.relative_to(package.root)} ({len(reviewed)} reviewed claims, {len(candidates)} candidates, "
          f"init in {seconds:.1f} s)")
    print(f"recall, figure and value:                          {len(pairs)}/{len(reviewed)} = "
          f"{100 * len(pairs) / total:.1f}%")
    print(f"recall, figure, value, section, paragraph, footnote: {placed}/{len(reviewed)} = "
          f"{100 * placed / total:.1f}%")
    print(f"precision (candidates that are reviewed claims):   {len(pairs)}/{len(candidates)} = "
          f"{100 * len(pairs) / (len(candidates) or 1):.1f}%")
    if args.show:
        for claim in missed:
            print(f"missed: {claim['id']}: {claim['figure']!r} = {claim['value']}")
        for claim, candidate, same in pairs:
            if not same:
                print(f"elsewhere: {claim['id']}: reviewed {claim['section']!r} {claim['paragraph']} "
                      f"fn {claim['footnote']!r}; candidate {candidate['section']!r} {candidate['paragraph']} "
                      f"fn {candidate['footnote']!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
