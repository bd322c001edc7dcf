"""`claimpack build`: validate, write the bibliography, render the report, package, swap in atomically.

The build is keyed on content: the sha256 of every input (the descriptor and every resource
file, the report sources and CSL style, the validation suites and exclusions, and claimpack
itself) decides whether there is anything to do. Output is assembled in a staging directory
beside `_site` and exchanged with it in one atomic step, so a failed or killed build leaves the
last good `_site` whole.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..model.integrity import atomic_write, sha256
from ..model.package import Package, archive_name
from ..model.paths import DESCRIPTOR
from ..system import fault_points
from ..system.problems import ClaimpackError, Report
from ..system.processes import process_running
from ..validation import results
from .outputs import directory_target, is_marked_directory, mark_directory

MANIFEST = "build.json"
GENERATED = {"references.bib"}
SKIP_DIRS = {".quarto", "__pycache__", "uncommitted", "_freeze", ".ipynb_checkpoints"}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
JUPYTER_MODULES = ("jupyter_client", "nbformat", "nbclient", "ipykernel")


class BuildRefused(ClaimpackError):
    """The package is invalid: nothing is rendered and `_site` is left as it was."""

    exit_code = 1

    def __init__(self, report: Report):
        self.report = report
        super().__init__(f"refusing to build: the package has {len(report.errors)} error(s); "
                         "the previous _site is untouched")


class ReleaseRefused(ClaimpackError):
    """A release build of a package with candidates still to review: nothing is published."""

    exit_code = 1


@dataclass
class BuildResult:
    site: Path
    digest: str
    rebuilt: bool
    outputs: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    engine: str = ""
    steps: dict[str, float] = field(default_factory=dict)


# ---- inputs -----------------------------------------------------------------------------------
def _files_under(directory: Path) -> list[Path]:
    found = []
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(directory)
        if any(part in SKIP_DIRS or part.endswith("_files") for part in relative.parts[:-1]):
            continue
        if path.is_file() and path.name not in GENERATED and not path.name.startswith("."):
            found.append(path)
    return found


def input_files(package: Package, report_dir: Path) -> list[Path]:
    """Every file whose content the build depends on: every input of validation, and the report's sources."""
    files = [package.path_of(resource["name"]) for resource in package.descriptor["resources"]]
    files += results.input_files(package)
    if report_dir.is_dir():
        files += _files_under(report_dir)
    return sorted(set(files))


def input_digest(package: Package, report_dir: Path, settings: dict) -> tuple[str, dict[str, str]]:
    """One digest over every input, and the digest of each input file."""
    root = package.root.resolve()
    hashes = {}
    for path in input_files(package, report_dir):
        if not path.is_file():
            raise ClaimpackError("input file is missing", file=str(path), expected="every resource on disk")
        resolved = path.resolve()
        key = str(resolved.relative_to(root)) if root in resolved.parents else str(resolved)
        hashes[key] = sha256(path)
    hashes["(claimpack)"] = results.tool_digest()
    hashes["(settings)"] = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()
    digest = hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()
    return digest, hashes


def read_manifest(site: Path) -> dict | None:
    try:
        return json.loads((site / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None


def up_to_date(site: Path, digest: str) -> bool:
    """True when _site was built from exactly these inputs and all its outputs are whole."""
    manifest = read_manifest(site)
    if not manifest or manifest.get("digest") != digest:
        return False
    for rel, info in manifest.get("outputs", {}).items():
        path = site / rel
        if not path.is_file() or path.stat().st_size != info.get("bytes"):
            return False
    return True


# ---- steps ------------------------------------------------------------------------------------
def write_bibliography(package: Package, report_dir: Path) -> Path:
    """Write report/references.bib from sources.csv (only when its content changes)."""
    from ..model.bibliography import biblatex

    target = report_dir / "references.bib"
    text = biblatex(package)
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise ClaimpackError("is not a regular file (a FIFO, a device or a directory)", file=str(target),
                             expected="the bibliography claimpack writes: a regular file, or nothing yet")
    # a link is replaced, never followed; the file is rewritten only when its content changes
    if mode is None or stat.S_ISLNK(mode) or target.read_text(encoding="utf-8", errors="replace") != text:
        atomic_write(target, text)
    return target


def package_zip(package: Package, target: Path) -> Path:
    """The data package as a zip: the descriptor and every resource, byte for byte, reproducibly."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        members = [(DESCRIPTOR, package.root / DESCRIPTOR)]
        members += [(str(r["path"]), package.path_of(r["name"])) for r in package.descriptor["resources"]]
        for name, path in sorted(set(members)):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return target


def quarto_available() -> str | None:
    return shutil.which("quarto")


def quarto_env(env: dict) -> dict:
    """Quarto runs the cells with this Python (unless QUARTO_PYTHON names another) and finds this claimpack."""
    here = str(Path(sys.executable).parent)
    return dict(env, QUARTO_PYTHON=env.get("QUARTO_PYTHON") or sys.executable,
                PATH=os.pathsep.join([here, env.get("PATH", "")]))


def missing_jupyter(python: str) -> list[str]:
    """The Jupyter modules Quarto needs to run Python cells that this Python lacks."""
    probe = ("import importlib.util, sys; "
             f"print(' '.join(m for m in {JUPYTER_MODULES!r} if importlib.util.find_spec(m) is None))")
    try:
        # from /, not the current folder (a package's?): a module planted there is not imported
        result = subprocess.run([python, "-c", probe], capture_output=True, text=True, timeout=60, cwd="/")
    except (OSError, subprocess.TimeoutExpired):
        return list(JUPYTER_MODULES)
    return result.stdout.split() if result.returncode == 0 else list(JUPYTER_MODULES)


def choose_engine(engine: str, env: dict) -> tuple[str | None, str]:
    """The quarto to render with (None: the built-in engine), and why, in words for the build's message."""
    if engine not in ("auto", "quarto", "builtin"):
        raise ClaimpackError(f"unknown engine {engine!r}", expected="auto, quarto or builtin")
    if engine == "builtin":
        return None, "--engine builtin was asked for"
    quarto = quarto_available()
    if not quarto:
        if engine == "quarto":
            raise ClaimpackError("quarto is not on PATH", expected="Quarto installed, or --engine builtin")
        return None, "quarto is not on PATH"
    missing = missing_jupyter(quarto_env(env)["QUARTO_PYTHON"])
    if missing:
        lacks = f"Quarto's Python lacks {', '.join(missing)}: pip install 'claimpack[quarto]'"
        if engine == "quarto":
            raise ClaimpackError(f"quarto cannot run the report's Python cells: {lacks}",
                                 expected="Jupyter in QUARTO_PYTHON, or --engine builtin")
        return None, f"quarto is on PATH, but {lacks}"
    return quarto, "--engine quarto was asked for" if engine == "quarto" else "quarto is on PATH"


def render_with_quarto(quarto: str, report_dir: Path, staging: Path, env: dict,
                       formats: tuple[str, ...] = ("html", "pdf")) -> None:
    # Quarto reads --output-dir relative to the project. The project by its absolute path and the output
    # from ./ or ../: no folder named "-x" or "--help" can be read as an option of Quarto's.
    # `--to html` renders the page alone (--html-only)
    output_dir = os.path.relpath(staging, report_dir)
    output_dir = output_dir if output_dir.startswith((".", os.sep)) else os.path.join(".", output_dir)
    only = ["--to", "html"] if "pdf" not in formats else []
    result = subprocess.run([quarto, "render", os.path.abspath(report_dir), "--output-dir", output_dir, *only],
                            capture_output=True, text=True, env=quarto_env(env))
    if result.returncode != 0:
        raise ClaimpackError(f"quarto render failed: {quarto_message(result.stderr or result.stdout)}",
                             file=str(report_dir), expected="a report Quarto can render")


def quarto_message(output: str, limit: int = 400) -> str:
    """Quarto's failure as one line: its first ERROR line (with what follows it on the same error), or its
    last line of output; not its progress, warnings or stack traces."""
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line).strip() for line in output.splitlines()]
    lines = [line for line in lines if line and not line.startswith(("at ", "WARNING", "[WARNING]"))]
    error = next((i for i, line in enumerate(lines) if line.startswith(("ERROR", "Error"))), None)
    message = " ".join(lines[error:error + 2]) if error is not None else (lines[-1] if lines else "no output")
    return message if len(message) <= limit else message[:limit - 1] + "…"


# ---- atomic swap ------------------------------------------------------------------------------
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def swap_in(staging: Path, site: Path) -> None:
    """Make staging the new site in one step; the old site is removed afterwards."""
    if site.is_symlink() or (site.exists() and not site.is_dir()):
        raise ClaimpackError("output path exists and is not a directory", file=str(site),
                             expected="a directory claimpack owns")
    if not site.exists():
        os.replace(staging, site)
        return
    if _exchange(staging, site):
        fault_points.point("build:swapped")
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old site
        return
    previous = site.with_name(site.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    os.replace(site, previous)  # the one moment without a site; recovered at the next build
    os.replace(staging, site)
    fault_points.point("build:swapped")
    shutil.rmtree(previous, ignore_errors=True)


def _clean_stale(site: Path) -> None:
    """Remove staging directories of builds that were killed; restore a site lost mid-swap."""
    previous = site.with_name(site.name + ".previous")
    if previous.is_dir() and not previous.is_symlink() and not site.exists() and is_marked_directory(previous):
        os.replace(previous, site)
    for stale in site.parent.glob(f"{site.name}.staging-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not process_running(int(pid)) and not stale.is_symlink() and is_marked_directory(stale):
            shutil.rmtree(stale, ignore_errors=True)


@contextlib.contextmanager
def _lock(site: Path):
    """One build at a time per output directory.

    The lock file is removed when the build ends, so that a build (failed or not) leaves nothing
    beside _site. A build that opened the file just before it was removed would hold a lock on a
    file nobody else can see, so the lock counts only once the locked file is still the one at
    lock_path.
    """
    lock_path = site.with_name(f".{site.name}.lock")
    while True:
        try:  # never follow a link or wait on a FIFO planted where the lock goes
            fd = os.open(lock_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
        except OSError as exc:
            raise ClaimpackError(f"cannot open the build lock: {exc.strerror}", file=str(lock_path),
                                 expected="a path where claimpack can create its lock file") from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise ClaimpackError("the build lock is not a regular file", file=str(lock_path),
                                 expected="nothing but claimpack's lock file at that path")
        handle = os.fdopen(fd, "a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise ClaimpackError("another build is running", file=str(site),
                                 expected="one build at a time") from None
        try:
            current = os.stat(lock_path).st_ino
        except FileNotFoundError:
            current = None
        if current == os.fstat(handle.fileno()).st_ino:
            break
        handle.close()  # the holder removed it as we opened it: take the new one
    try:
        yield
    finally:
        lock_path.unlink(missing_ok=True)
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


# ---- the build ---------------------------------------------------------------------------------
def copy_report(report_dir: Path, scratch: Path) -> Path:
    """A copy of the report's sources (the files the digest covers) to render from: a build writes
    its bibliography and the engines their state there, never into the package. A link among the
    sources is refused, never followed out of the package."""
    copy = scratch / report_dir.name
    copy.mkdir()
    for path in _files_under(report_dir):
        relative = path.relative_to(report_dir)
        linked = next((p for p in [path, *path.parents] if p != report_dir and p.is_symlink()), None)
        if linked is not None and report_dir in linked.parents:
            raise ClaimpackError("the report's sources hold a link, which claimpack never follows",
                                 file=str(linked.relative_to(report_dir.parent)), expected="a regular file")
        target = copy / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target, follow_symlinks=False)
    return copy


def build(root: str | Path = ".", *, out: str | Path | None = None, engine: str = "auto",
          formats: tuple[str, ...] = ("html", "pdf"), force: bool = False,
          progress: Callable[[str], None] | None = None, release: bool = False) -> BuildResult:
    """Build the report site from the package at root; `release` refuses a package with candidates, or with
    what init left for a person to fill in (claimpack.placeholders)."""
    started = time.perf_counter()
    say = progress or (lambda message: None)
    package = Package.load(root)
    root = package.root
    report_source = package.config.get("report") or "report/index.qmd"
    report_dir = (root / report_source).parent
    if not (report_dir / "_quarto.yml").is_file():
        raise ClaimpackError("no Quarto project here", file=str(report_dir / "_quarto.yml"),
                             expected="a report/ directory with _quarto.yml")
    site = directory_target(package, Path(out) if out is not None else root / "_site", "--out")
    quarto, why = choose_engine(engine, dict(os.environ))
    engine_name = "quarto" if quarto else "builtin"
    settings = {"engine": engine_name, "formats": sorted(formats), "release": release}
    steps: dict[str, float] = {}

    def step(name: str, clock: float) -> float:
        now = time.perf_counter()
        steps[name] = round(now - clock, 3)
        return now

    site.parent.mkdir(parents=True, exist_ok=True)
    with _lock(site):
        _clean_stale(site)
        clock = time.perf_counter()
        digest, hashes = input_digest(package, report_dir, settings)
        clock = step("digest", clock)
        if not force and up_to_date(site, digest):
            say(f"up to date: nothing changed since the last build (inputs {digest[:12]})")
            return BuildResult(site, digest, False, seconds=round(time.perf_counter() - started, 3),
                               engine=engine_name, steps=steps)
        staging = site.with_name(f"{site.name}.staging-{os.getpid()}")
        if staging.exists() or staging.is_symlink():
            if staging.is_symlink() or not is_marked_directory(staging):
                raise ClaimpackError("a staging path is taken by something claimpack did not make",
                                     file=str(staging), expected="nothing at that path")
            shutil.rmtree(staging)
        staging.mkdir()
        try:  # from the moment it exists: a signal or a fault anywhere below takes it back
            mark_directory(staging)  # a killed build's staging is recognised as claimpack's and cleaned
            fault_points.point("build:staging")
            from ..validation.validate import validate

            say("validating the package (every layer)")
            report = validate(root, docs_dir=staging / "validation", progress=lambda m: say(f"  {m}"))
            clock = step("validate", clock)
            if not report.valid:
                raise BuildRefused(report)
            if release and any(report.candidates.values()):
                raise ReleaseRefused(f"refusing to publish: {report.review_line()}; the previous _site is "
                                     "untouched", expected="every claim and event reviewed before --release")
            if release:
                from ..model.placeholders import release_blockers

                blockers = release_blockers(package)
                if blockers:
                    head = ("refusing to publish what claimpack init left for a person to fill in; the previous "
                            "_site is untouched:")
                    refused = ReleaseRefused("\n".join([head, *(blocker.line() for blocker in blockers)]))
                    # printed a line each, each one line (claimpack.cli: a name cannot forge a line)
                    refused.details = [f"claimpack: {head}", *(blocker.line() for blocker in blockers)]
                    raise refused
            say(f"  valid ({len(report.warnings)} warning(s))")
            fault_points.point("build:validated")
            with tempfile.TemporaryDirectory(prefix="claimpack-report-") as scratch:
                sources = copy_report(report_dir, Path(scratch))
                say("writing references.bib from data/sources.csv (in a copy of the report's sources)")
                write_bibliography(package, sources)
                env = dict(os.environ, CLAIMPACK_PACKAGE=str(root.resolve()), CLAIMPACK_VALIDATED=digest)
                if quarto:
                    say(f"rendering with Quarto, {quarto} ({why})")
                    render_with_quarto(quarto, sources, staging, env, tuple(formats))
                else:
                    from ..render import RenderError, render_project

                    say(f"rendering with the built-in engine ({why})")
                    try:
                        render_project(sources, staging, formats=formats, progress=lambda m: say(f"  {m}"),
                                       run_pre_render=False, env=env)
                    except RenderError as error:  # the report's sources are input like any other
                        raise ClaimpackError(f"{report_dir.name}/{error}") from None
            clock = step("render", clock)
            fault_points.point("build:rendered")
            if (staging / "validation" / "index.html").is_file() and (staging / "index.html").is_file():
                from ..validation.data_docs import link_report

                link_report(staging / "validation", staging / "index.html")
            name = archive_name(package.descriptor)
            say(f"packaging the data as {name}")
            package_zip(package, staging / name)
            mark_directory(staging)  # again: a renderer may have emptied its output directory
            outputs = {}
            for path in sorted(staging.rglob("*")):
                if path.is_file():
                    outputs[str(path.relative_to(staging))] = {"bytes": path.stat().st_size}
            manifest = {"digest": digest, "claimpack": __version__, "engine": engine_name,
                        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "inputs": hashes,
                        "outputs": outputs}
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
            clock = step("package", clock)
            fault_points.point("build:packaged")
            say(f"swapping the new site into {site}")
            swap_in(staging, site)
            step("swap", clock)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return BuildResult(site, digest, True, {k: str(site / k) for k in outputs},
                       round(time.perf_counter() - started, 3), engine_name, steps)


def prerender(root: str | Path = "..", progress: Callable[[str], None] | None = None) -> None:
    """Quarto's pre-render step: validate the package (unless this build just did) and write the bibliography.

    Inside a build, Quarto renders a copy of the report's sources: the package is $CLAIMPACK_PACKAGE
    and the bibliography goes to the project Quarto renders ($QUARTO_PROJECT_DIR), never the package.
    """
    package = Package.load(os.environ.get("CLAIMPACK_PACKAGE") or root)
    report_dir = (package.root / (package.config.get("report") or "report/index.qmd")).parent
    if os.environ.get("CLAIMPACK_PACKAGE") and os.environ.get("QUARTO_PROJECT_DIR"):
        report_dir = Path(os.environ["QUARTO_PROJECT_DIR"])
    if not os.environ.get("CLAIMPACK_VALIDATED"):
        from ..validation.validate import validate

        report = validate(package.root, progress=progress)
        if not report.valid:
            raise BuildRefused(report)
    write_bibliography(package, report_dir)
