"""claimpack's benchmark: builds, validate/show/find on the real package, and synthetic packages up to 1M claims.

    python benchmarks/run.py [--sizes 1000,100000,1000000] [--runs N] [--quick] [--markdown] [--write-readme]

Every task runs as a separate process, as a user would run it, `--runs` times; the table gives
the median and the spread (min-max) of the wall time, and the peak memory: the largest sum of
the resident set sizes of the whole process tree (claimpack and its frictionless child),
sampled every 20 ms from /proc (Linux; elsewhere the largest single process, from getrusage).

- Builds run on a copy of the real package (with report/) under benchmarks/out/real/, with the
  built-in engine, HTML and PDF: a clean build (`--force`), a no-op build, and a build after one
  claim changed (its `note` edited and its hash recorded, as `claimpack rehash` would; untimed).
- `claimpack validate` runs on the real package cold (no saved result: `.claimpack/results` is
  removed before each run) and repeated (no input changed since the result was saved, untimed),
  then `claimpack show ID` and `claimpack find QUERY`.
- Synthetic packages (benchmarks/synthetic.py: a valid package and its matching paper) of each
  size are validated cold by `claimpack validate` and, in the same run and alternating with it,
  by `frictionless validate datapackage.json` alone.

Each run records how busy the machine was: the cores other processes kept busy on average while
it ran (from /proc/stat, less this run's own CPU time) and the load average when it started.
`--write-readme` refuses to write the README's table when other processes held more than
QUIET cores during any run: figures from a shared machine are not what a user measures.

Each target of issue 6 is printed with whether it is met, and why not where it is missed.
Generated files go to benchmarks/out/ (git-ignored). A benchmark is never a test: nothing here
asserts on time.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

BIN = Path(sys.executable).parent
CLAIMPACK = [str(BIN / "claimpack")] if (BIN / "claimpack").exists() else [sys.executable, "-m", "claimpack"]
FRICTIONLESS = [sys.executable, "-m", "frictionless"]
PACKAGE_FILES = ("datapackage.json", "data", "validation", "report")
SHOW_ID = "imet-training-funding-latam-2000-2017"
FIND_QUERY = "236 million"
EDITED_CLAIM = SHOW_ID
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

RESULTS = Path(".claimpack") / "results"  # claimpack's saved validation results in a package
QUIET = 0.5  # cores other processes may keep busy during a run whose figures go into the README

# the targets of issues 6 and 13
COLD_VALIDATE = 4.0
REPEAT_VALIDATE = 1.0
NOOP_BUILD = 1.0
SHOW_FIND = 0.5
CLEAN_BUILD = 10.0
VALIDATE_1M = 60.0
MEMORY_1M = 2 * 1024**3
FRICTIONLESS_RATIO = 2.0
LINEAR_SLACK = 1.25  # marginal cost per claim may grow this much between size ranges


# ---- measuring -------------------------------------------------------------------------------
def _children() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(b")") + 2:].split()[1])
        found.setdefault(ppid, []).append(int(entry))
    return found


def tree_rss(pid: int) -> int:
    """Sum of the resident set sizes of pid and all its descendants, in bytes."""
    children, total, stack = _children(), 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
        stack.extend(children.get(current, ()))
    return total


@dataclass
class Run:
    seconds: float
    peak: int | None  # bytes
    code: int
    out: str
    err: str
    others: float | None = None  # CPU seconds other processes used meanwhile (the machine was shared)
    load: float | None = None  # the 1-minute load average when the run started
    cpu: float | None = None  # CPU seconds of the command's whole process tree

    @property
    def busy(self) -> float:
        """Cores other processes kept busy on average during the run."""
        return (self.others or 0.0) / self.seconds if self.seconds else 0.0


def _busy_jiffies() -> int | None:
    """CPU time (in clock ticks) the whole machine has spent busy since boot."""
    try:
        with open("/proc/stat") as handle:
            fields = handle.readline().split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return user + nice + system + irq + softirq + steal


def load_average() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def measure(command: list[str], cwd: Path, env: dict | None = None) -> Run:
    """Run a command; wall time, peak tree RSS, exit code, output, and how busy the machine was."""
    use_proc = os.path.isdir("/proc/self")
    load = load_average()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = children.ru_maxrss
    ours_before = children.ru_utime + children.ru_stime
    busy_before = _busy_jiffies()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=env or os.environ.copy())
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    if use_proc:
        sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    others = cpu = None
    busy_after = _busy_jiffies()
    if busy_before is not None and busy_after is not None:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = children.ru_utime + children.ru_stime - ours_before
        others = max(0.0, (busy_after - busy_before) / os.sysconf("SC_CLK_TCK") - cpu)
    if use_proc:
        sampler.join()
    else:  # the largest single descendant so far (kilobytes on Linux, bytes on macOS)
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        peak = after * (1 if sys.platform == "darwin" else 1024) if after > before else None
    return Run(seconds, peak or None, process.returncode, out.decode("utf-8", "replace"),
               err.decode("utf-8", "replace"), others, load, cpu)


def cold(package: Path) -> Path:
    """Remove the package's saved validation results, so that the next validate computes every layer."""
    shutil.rmtree(package / RESULTS, ignore_errors=True)
    return package


@dataclass
class Result:
    name: str
    runs: list[Run] = field(default_factory=list)
    note: str = ""
    available: bool = True

    @property
    def times(self) -> list[float]:
        return [r.seconds for r in self.runs]

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.runs else None

    @property
    def peak(self) -> int | None:
        peaks = [r.peak for r in self.runs if r.peak]
        return max(peaks) if peaks else None

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.code == 0 for r in self.runs)

    @property
    def busy(self) -> float:
        """The most cores other processes kept busy during one of the runs."""
        return max((r.busy for r in self.runs), default=0.0)

    @property
    def cpu(self) -> float | None:
        """The median CPU time of a run (claimpack and its children)."""
        found = [r.cpu for r in self.runs if r.cpu is not None]
        return statistics.median(found) if found else None

    @property
    def load(self) -> float | None:
        loads = [r.load for r in self.runs if r.load is not None]
        return max(loads) if loads else None


def seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def spread(result: Result) -> str:
    if not result.runs:
        return "—"
    low, high = min(result.times), max(result.times)
    digits = 2 if high < 10 else 1
    return f"{low:.{digits}f}–{high:.{digits}f} s"


def busy(value: float) -> str:
    return f"{value:.2f}"


def megabytes(value: int | None) -> str:
    if not value:
        return "—"
    return f"{value / 1024**2:,.0f} MB" if value < 1024**3 else f"{value / 1024**3:.2f} GB"


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---- the real package ----------------------------------------------------------------------
def copy_package(target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in PACKAGE_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns(
                "uncommitted", "__pycache__", ".quarto", "*_files", "references.bib"))
        else:
            shutil.copy2(source, target / name)
    return target


def edit_claim(package: Path, run: int) -> None:
    """Change one claim (its note) and record the new hash and size, as `claimpack rehash` would."""
    import csv
    import io

    path = package / "data" / "claims.csv"
    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    id_at, note_at = header.index("id"), header.index("note")
    for row in rows[1:]:
        if row[id_at] == EDITED_CLAIM:
            row[note_at] = re.sub(r" \(benchmark edit \w+\)\Z", "", row[note_at]) + f" (benchmark edit {'ab'[run % 2]})"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    path.write_bytes(data)
    descriptor_path = package / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    for item in descriptor["resources"]:
        if item.get("path") == "data/claims.csv":
            item["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
            item["bytes"] = len(data)
    descriptor_path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def verb_available(verb: str) -> bool:
    run = measure([*CLAIMPACK, verb, "--help"], REPO)
    return run.code == 0


def bench_real(out: Path, runs: int) -> list[Result]:
    package = copy_package(out / "real")
    site = package / "_site"
    build = [*CLAIMPACK, "build", ".", "--out", str(site), "--engine", "builtin"]
    results = []

    say("real package: clean builds")
    clean = Result("clean build (built-in engine, HTML and PDF)")
    for _ in range(runs):
        clean.runs.append(measure([*build, "--force"], package))
    results.append(clean)

    say("real package: no-op builds")
    noop = Result("no-op build (nothing changed)")
    measure(build, package)  # untimed: brings _site up to date should claimpack's code have changed meanwhile
    for _ in range(runs):
        run = measure(build, package)
        if "up to date" not in run.out:
            noop.note = "rebuilt instead of a no-op (an input changed during the benchmark)"
        noop.runs.append(run)
    results.append(noop)

    say("real package: builds after one claim changed")
    changed = Result("build after one claim changed")
    for index in range(runs):
        edit_claim(package, index)
        changed.runs.append(measure(build, package))
    changed.note = f"{EDITED_CLAIM}'s note edited, hash recorded (untimed)"
    results.append(changed)

    say("real package: validate cold and repeated, show, find")
    validate = Result("validate, cold (no saved result)")
    for _ in range(runs):
        validate.runs.append(measure([*CLAIMPACK, "validate", ".", "-q"], cold(package)))
    results.append(validate)
    repeat = Result("validate, repeated (no input changed)")
    for _ in range(runs):
        run = measure([*CLAIMPACK, "validate", ".", "-q"], package)
        if "no input has changed" not in run.err:
            repeat.note = "validated again instead of answering from the saved result"
        repeat.runs.append(run)
    results.append(repeat)
    for verb, argument in (("show", SHOW_ID), ("find", FIND_QUERY)):
        result = Result(f"{verb} {argument!r}" if verb == "find" else f"{verb} {argument}")
        if not verb_available(verb):
            result.available = False
            result.note = f"not available: this claimpack has no `{verb}` command"
        else:
            for _ in range(runs):
                result.runs.append(measure([*CLAIMPACK, verb, argument], package))
        results.append(result)
    for result in results:
        failed = [r for r in result.runs if r.code != 0]
        if failed:
            tail = (failed[0].err or failed[0].out).strip().splitlines()[-1:] or ["no output"]
            result.note = f"FAILED (exit {failed[0].code}): {tail[0][:120]}"
    return results


# ---- synthetic packages ----------------------------------------------------------------------
@dataclass
class Size:
    claims: int
    counts: dict
    claimpack: Result
    frictionless: Result
    layers: dict = field(default_factory=dict)


def bench_synthetic(out: Path, sizes: list[int], runs: int) -> list[Size]:
    found = []
    for n in sizes:
        target = out / f"synthetic-{n}"
        say(f"synthetic {n:,} claims: generating (or reusing) {target}")
        counts = synthetic.ensure(n, target)
        size = Size(n, counts, Result(f"claimpack validate, {n:,} claims"),
                    Result(f"frictionless validate, {n:,} claims"))
        for index in range(runs):
            say(f"synthetic {n:,} claims: run {index + 1}/{runs}")
            run = measure([*CLAIMPACK, "validate", ".", "--json"], cold(target))
            size.claimpack.runs.append(run)
            try:
                report = json.loads(run.out)
                size.layers = {name: info.get("seconds") for name, info in report.get("layers", {}).items()}
                if not report.get("valid"):
                    first = (report.get("problems") or [{}])[0]
                    size.claimpack.note = f"INVALID: {report.get('errors')} error(s), first: {first}"
            except ValueError:
                size.claimpack.note = f"no report (exit {run.code}): {run.err.strip()[-200:]}"
            size.frictionless.runs.append(measure([*FRICTIONLESS, "validate", "datapackage.json"], target))
        if not size.frictionless.ok:
            size.frictionless.note = "frictionless reports the package invalid"
        found.append(size)
    return found


# ---- report ----------------------------------------------------------------------------------
def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f", {kb / 1024**2:.0f} GB RAM"
    except (OSError, AttributeError):
        pass
    system = platform.freedesktop_os_release().get("PRETTY_NAME", platform.system()) \
        if hasattr(platform, "freedesktop_os_release") and sys.platform == "linux" else platform.platform()
    return (f"{cpu}, {os.cpu_count()} cores{memory}; {system}; Python {platform.python_version()}")


def version() -> str:
    run = measure([*CLAIMPACK, "--version"], REPO)
    return run.out.strip() or "claimpack"


@dataclass
class Target:
    what: str
    measured: str
    met: bool | None  # None: not measured
    why: str = ""


def targets(real: list[Result], sizes: list[Size]) -> list[Target]:
    by_name = {r.name.split(" (")[0].split(" '")[0]: r for r in real}  # "validate, cold", "find", ...
    found = []

    def timed(key: str, what: str, limit: float) -> None:
        result = next((r for name, r in by_name.items() if name.startswith(key)), None)
        if result is None or not result.available or not result.ok:
            note = result.note if result else "not run"
            found.append(Target(what, "—", None, note))
            return
        met = result.median < limit
        why = "" if met else f"median {seconds(result.median)}; {slowest_step(result)}{shared(result)}"
        found.append(Target(what, seconds(result.median), met, why))

    if real:
        timed("validate, cold", f"cold validate (real package) < {COLD_VALIDATE:g} s", COLD_VALIDATE)
        timed("validate, repeated", f"repeated validate (no input changed) < {REPEAT_VALIDATE:g} s", REPEAT_VALIDATE)
        timed("no-op build", f"no-op build < {NOOP_BUILD:g} s", NOOP_BUILD)
        timed("show", f"`show` < {SHOW_FIND:g} s", SHOW_FIND)
        timed("find", f"`find` < {SHOW_FIND:g} s", SHOW_FIND)
        timed("clean build", f"clean build (built-in, HTML+PDF) < {CLEAN_BUILD:g} s", CLEAN_BUILD)
    big = next((s for s in sizes if s.claims == 1_000_000), None)
    label = "1,000,000 claims"
    goals = (f"validate {label} < {VALIDATE_1M:g} s", f"validate {label} < {megabytes(MEMORY_1M)} peak",
             f"validate {label} ≤ {FRICTIONLESS_RATIO:g}× `frictionless validate` alone")
    if big is None:
        found += [Target(goal, "—", None, "1,000,000 claims not run (--sizes)") for goal in goals]
    else:
        ok = big.claimpack.ok and not big.claimpack.note
        invalid = "" if ok else big.claimpack.note or "validate failed"
        median, peak = big.claimpack.median, big.claimpack.peak
        found.append(Target(goals[0], seconds(median), ok and median < VALIDATE_1M,
                            invalid or ("" if median < VALIDATE_1M else layer_note(big) + shared(big.claimpack))))
        found.append(Target(goals[1], megabytes(peak), (ok and peak < MEMORY_1M) if peak else None,
                            invalid or ("" if peak and peak < MEMORY_1M else
                                        "peak is the sum of claimpack's and its frictionless child's RSS")))
        ratio = median / big.frictionless.median if big.frictionless.median else None
        found.append(Target(goals[2], f"{ratio:.2f}× ({seconds(median)} / {seconds(big.frictionless.median)})"
                            if ratio else "—", ok and ratio is not None and ratio <= FRICTIONLESS_RATIO,
                            invalid or ("" if ratio and ratio <= FRICTIONLESS_RATIO else
                                        layer_note(big) + shared(big.claimpack))))
    if len(sizes) >= 3:
        ordered = sorted(sizes, key=lambda s: s.claims)
        slopes = []
        for a, b in itertools.pairwise(ordered):
            slopes.append(((b.claimpack.median - a.claimpack.median) / (b.claims - a.claims), a.claims, b.claims))
        first, last = slopes[0][0], slopes[-1][0]
        text = "; ".join(f"{s * 1e6:.1f} µs/claim from {a:,} to {b:,}" for s, a, b in slopes)
        met = last <= first * LINEAR_SLACK
        found.append(Target(f"time linear in claims (marginal cost grows < {LINEAR_SLACK:g}×)", text, met,
                            "" if met else "the marginal cost per claim grows with size"))
    elif sizes:
        found.append(Target("time linear in claims", "—", None, "needs three sizes (run without --quick)"))
    return found


def shared(result: Result) -> str:
    if result.busy < 0.25:
        return ""
    return f"; the machine was shared: other processes kept {result.busy:.1f} of its {os.cpu_count()} cores busy"


def slowest_step(result: Result) -> str:
    """The longest step of a build, from its progress lines ("[  3.5s] rendering ...")."""
    steps = []
    for run in result.runs:
        stamps = [(float(m.group(1)), m.group(2).strip()) for m in
                  re.finditer(r"^\[\s*([0-9.]+)s\]\s*(.*)$", run.err, re.M)]
        stamps.append((run.seconds, "end"))
        steps += [(b[0] - a[0], a[1]) for a, b in itertools.pairwise(stamps)]
    if not steps:
        return "no step timings"
    took, what = max(steps)
    return f"its longest step: {what!r} ({took:.1f} s)"


def layer_note(size: Size) -> str:
    if not size.layers:
        return "no layer timings"
    parts = ", ".join(f"{name} {value:.1f} s" for name, value in sorted(size.layers.items(), key=lambda kv: -kv[1]))
    return f"layer wall times (frictionless runs alongside the others): {parts}"


def render_text(header: str, real: list[Result], sizes: list[Size], goals: list[Target], runs: int) -> str:
    lines = [header, ""]
    if real:
        rows = [("task (real package)", "median", "spread (min–max)", "CPU", "peak RSS", "others", "note")]
        for result in real:
            if not result.available:
                rows.append((result.name, "not available", "", "", "", "", result.note))
            else:
                rows.append((result.name, seconds(result.median), spread(result), seconds(result.cpu),
                             megabytes(result.peak), busy(result.busy), result.note))
        lines += [*_columns(rows), ""]
    if sizes:
        rows = [("claims", "claimpack validate", "spread", "peak RSS", "frictionless validate", "spread", "peak RSS",
                 "ratio", "µs/claim", "others")]
        for size in sizes:
            ratio = (size.claimpack.median / size.frictionless.median) if size.frictionless.median else None
            rows.append((f"{size.claims:,}", seconds(size.claimpack.median), spread(size.claimpack),
                         megabytes(size.claimpack.peak), seconds(size.frictionless.median), spread(size.frictionless),
                         megabytes(size.frictionless.peak), f"{ratio:.2f}×" if ratio else "—",
                         f"{size.claimpack.median / size.claims * 1e6:,.1f}",
                         busy(max(size.claimpack.busy, size.frictionless.busy))))
        lines += _columns(rows)
        for size in sizes:
            for result in (size.claimpack, size.frictionless):
                if result.note:
                    lines.append(f"  {size.claims:,}: {result.note}")
        lines.append("")
    if goals:
        rows = [("target", "measured", "met")]
        for goal in goals:
            rows.append((goal.what, goal.measured, "not measured" if goal.met is None else "yes" if goal.met else "NO"))
        lines += _columns(rows)
        for goal in goals:
            if goal.why and goal.met is not True:
                lines.append(f"  {goal.what}: {goal.why}")
    return "\n".join(lines).rstrip() + "\n"


def _columns(rows: list[tuple]) -> list[str]:
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    out = []
    for number, row in enumerate(rows):
        out.append("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
        if number == 0:
            out.append("  ".join("-" * width for width in widths))
    return out


def render_markdown(header: str, real: list[Result], sizes: list[Size], goals: list[Target]) -> str:
    lines = [header, ""]
    if real:
        lines += ["| task (real package) | median | spread (min–max) | CPU | peak RSS | others |",
                  "|:--|--:|--:|--:|--:|--:|"]
        for result in real:
            name = result.name + (f" ({result.note})" if result.note and result.available else "")
            if not result.available:
                lines.append(f"| {result.name} | not available | | | | |")
            else:
                lines.append(f"| {name} | {seconds(result.median)} | {spread(result)} | {seconds(result.cpu)} "
                             f"| {megabytes(result.peak)} | {busy(result.busy)} |")
        lines.append("")
    if sizes:
        lines += ["| claims | `claimpack validate` | peak RSS | `frictionless validate` | peak RSS | ratio "
                  "| µs per claim | others |", "|--:|--:|--:|--:|--:|--:|--:|--:|"]
        for size in sizes:
            ratio = (size.claimpack.median / size.frictionless.median) if size.frictionless.median else None
            lines.append(f"| {size.claims:,} | {seconds(size.claimpack.median)} ({spread(size.claimpack)}) "
                         f"| {megabytes(size.claimpack.peak)} | {seconds(size.frictionless.median)} "
                         f"({spread(size.frictionless)}) | {megabytes(size.frictionless.peak)} "
                         f"| {f'{ratio:.2f}×' if ratio else '—'} "
                         f"| {size.claimpack.median / size.claims * 1e6:,.1f} "
                         f"| {busy(max(size.claimpack.busy, size.frictionless.busy))} |")
        lines.append("")
    if goals:
        lines += ["| target | measured | met |", "|:--|:--|:--|"]
        for goal in goals:
            met = "not measured" if goal.met is None else "yes" if goal.met else "**no**"
            lines.append(f"| {goal.what} | {goal.measured} | {met} |")
        notes = [f"- {goal.what}: {goal.why}" for goal in goals if goal.why and goal.met is not True]
        if notes:
            lines += ["", *notes]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=None, help="synthetic package sizes in claims (default 1000,100000,1000000)")
    parser.add_argument("--runs", type=int, default=None, help="runs of every task (default 3; 1 with --quick)")
    parser.add_argument("--quick", action="store_true", help="one run, synthetic sizes 1000 and 100000 only")
    parser.add_argument("--markdown", action="store_true", help="print the README's table (Markdown)")
    parser.add_argument("--write-readme", action="store_true",
                        help="also put the Markdown table into docs/performance.md, between its performance markers")
    parser.add_argument("--skip-real", action="store_true", help="skip the real package's builds and verbs")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where packages are generated")
    args = parser.parse_args(argv)
    runs = args.runs or (1 if args.quick else 3)
    sizes = [int(s.replace("_", "")) for s in (args.sizes or ("1000,100000" if args.quick else
                                                              "1000,100000,1000000")).split(",") if s.strip()]
    args.out.mkdir(parents=True, exist_ok=True)
    real = [] if args.skip_real else bench_real(args.out, runs)
    found = bench_synthetic(args.out, sizes, runs) if sizes else []
    goals = targets(real, found)
    every = [run for result in [*real, *(r for size in found for r in (size.claimpack, size.frictionless))]
             for run in result.runs]
    busiest = max((run.busy for run in every), default=0.0)
    loads = [run.load for run in every if run.load is not None]
    load = f" Load average (1 min) when runs started: {min(loads):.2f}–{max(loads):.2f}." if loads else ""
    header = (f"{version()} benchmark, {time.strftime('%Y-%m-%d')}: {machine()}. "
              f"{runs} run{'s' if runs != 1 else ''} per task; median and spread (min–max) of the wall time, "
              "median CPU time and peak RSS of the process tree; others: the most cores other processes kept "
              "busy during a run (0 on a quiet machine; the README takes the table only when no run had more than "
              f"{QUIET:g}).{load}")
    markdown = render_markdown(header, real, found, goals)
    if args.markdown:
        sys.stdout.write(markdown)
    else:
        sys.stdout.write(render_text(header, real, found, goals, runs))
    if args.write_readme:
        if busiest > QUIET:
            say(f"not writing README.md: other processes kept {busiest:.2f} cores busy during a run (at most "
                f"{QUIET:g} for figures a user can expect); run the benchmark again on a quiet machine")
            return 1
        write_readme(REPO / "docs" / "performance.md", markdown)
    return 0


README_START, README_END = "<!-- performance:start -->", "<!-- performance:end -->"


def write_readme(path: Path, markdown: str) -> None:
    """Replace the block between the performance markers of the README (atomically)."""
    text = path.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        raise SystemExit(f"{path}: no {README_START} ... {README_END} block to replace")
    head, rest = text.split(README_START, 1)
    tail = rest.split(README_END, 1)[1]
    temporary = path.with_name(f".{path.name}.benchmark")
    temporary.write_text(f"{head}{README_START}\n{markdown}{README_END}{tail}", encoding="utf-8")
    os.replace(temporary, path)
    say(f"wrote the performance table into {path}")


if __name__ == "__main__":
    sys.exit(main())
