"""How long `claimpack init` and `claimpack build` take on a long report, and how fast its page loads.

The paper is benchmarks/report_paper.py's synthetic government report (350 figures and 130 notes by
default, in HTML). Each run times, as separate processes as a user runs them, `claimpack init
PAPER DIR` then `claimpack build DIR` (HTML and PDF), and again `init` then `build --html-only`
(each build the first on its package, as a user's is), with the built-in engine (and Quarto too
with --quarto); then loads the page in Debian's Chromium (never a downloaded browser) at a desk's
width and a phone's, and reports the time to its
load event and to every chart drawn, the page's size, its elements, and its width on a phone with
every part open. The machine may be shared: each figure is printed with the load average when it
was taken. The target (issue 18): init plus build under a minute, the page loaded under 3 s.

    .venv/bin/python benchmarks/report_speed.py [--figures 350] [--notes 130] [--runs 1] [--quarto]

A benchmark, never a test: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import report_paper  # noqa: E402

# as a module of this Python: PYTHONPATH=<another checkout>/src measures that checkout (a "before" figure)
CLAIMPACK = [sys.executable, "-m", "claimpack"]
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
QUARTO = Path.home() / ".cache" / "quarto-1.10.18" / "bin"


def load() -> str:
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def timed(args: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    done = subprocess.run([*CLAIMPACK, *args], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"claimpack {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return time.perf_counter() - started


def page_figures(page_path: Path) -> list[dict]:
    """Load the page at 1280 and 390 px: seconds to the load event and to every chart drawn, elements,
    and the page's width with every part open."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for width in (1280, 390):
            page = browser.new_page(viewport={"width": width, "height": 900})
            started = time.perf_counter()
            page.goto(page_path.as_uri(), wait_until="load", timeout=300_000)
            loaded = time.perf_counter() - started
            page.wait_for_function("document.querySelectorAll('.cp-vega[data-spec]').length === "
                                   "document.querySelectorAll('.cp-vega-live').length", timeout=300_000)
            drawn = time.perf_counter() - started
            opened = page.evaluate("() => { document.querySelectorAll('details').forEach(d => d.open = true); "
                                   "return [document.getElementsByTagName('*').length, "
                                   "document.documentElement.scrollWidth]; }")
            rows.append({"width": width, "load": loaded, "charts": drawn, "elements": opened[0],
                         "scroll_width": opened[1], "at": load()})
            page.close()
        browser.close()
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--figures", type=int, default=350)
    parser.add_argument("--notes", type=int, default=130)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--quarto", action="store_true", help="also build with Quarto (if installed)")
    args = parser.parse_args(argv)
    engines = ["builtin"] + (["quarto"] if args.quarto else [])
    env = dict(os.environ, PATH=f"{os.environ['PATH']}{os.pathsep}{QUARTO}")
    text, counts = report_paper.report(args.figures, args.notes)
    print(f"paper: a synthetic HTML report, {counts['figures']} figures stated, {counts['notes']} notes, "
          f"{counts['sections']} sections, {counts['words']:,} words; {os.cpu_count()} cores; {load()}")
    with tempfile.TemporaryDirectory() as scratch:
        paper = Path(scratch) / "report.html"
        paper.write_text(text, encoding="utf-8")
        print("| step | seconds (median of runs) | load average when done |")
        print("|:--|--:|:--|")
        for engine in engines:
            steps: dict[str, list[tuple[float, str]]] = {}
            for run in range(args.runs):  # each build on a package just made, as a user's first build is
                target = Path(scratch) / f"{engine}-{run}"
                init = timed(["init", str(paper), str(target)])
                steps.setdefault("init", []).append((init, load()))
                full = timed(["build", str(target), "--engine", engine], env)
                steps.setdefault(f"build, HTML and PDF ({engine})", []).append((full, load()))
                steps.setdefault(f"init + build, HTML and PDF ({engine})", []).append((init + full, load()))
                page_only = Path(scratch) / f"{engine}-{run}-html"
                init = timed(["init", str(paper), str(page_only)])
                html = timed(["build", str(page_only), "--engine", engine, "--html-only"], env)
                steps.setdefault(f"build --html-only ({engine})", []).append((html, load()))
                steps.setdefault(f"init + build --html-only ({engine})", []).append((init + html, load()))
            for step, values in steps.items():
                seconds = statistics.median(v for v, _ in values)
                print(f"| {step} | {seconds:.1f} | {values[-1][1]} |")
            site = Path(scratch) / f"{engine}-0" / "_site"
            size = (site / "index.html").stat().st_size
            print(f"\npage ({engine}): {size / 1e6:.2f} MB")
            print("| width | load event (s) | every chart drawn (s) | elements | page width, every part open | "
                  "load average |")
            print("|--:|--:|--:|--:|--:|:--|")
            for row in page_figures(site / "index.html"):
                print(f"| {row['width']} px | {row['load']:.2f} | {row['charts']:.2f} | {row['elements']:,} | "
                      f"{row['scroll_width']} px | {row['at']} |")
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
