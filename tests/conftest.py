"""Shared test helpers: copies of the real package, known-bad defects, and running the CLI for real."""

from __future__ import annotations

import contextlib
import csv
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Timing never fails a test (the machine is shared, and a loaded one is slow): no deadline and no
# too_slow health check in any profile. `make check` runs property tests with a fifth of their
# examples and the same examples every run (--hypothesis-profile=fast); `make test` the default.
NO_TIMING = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("claimpack", **NO_TIMING)
settings.register_profile("fast", max_examples=20, derandomize=True, **NO_TIMING)
settings.load_profile("claimpack")

ROOT = Path(__file__).resolve().parents[1]


def first_fast(cases) -> list:
    """Parameters of which the fast tier (`make check`) runs the first and `make test` every one: for a test
    whose cases take the same path through claimpack with another input (another signal, another name
    of a file), each a whole command of some seconds."""
    return [case if index == 0 else pytest.param(*(case if isinstance(case, tuple) else (case,)),
                                                 marks=pytest.mark.slow)
            for index, case in enumerate(cases)]
# Every package claimpack init writes anywhere in the suite (in this process or a child) is validated
# whole, Great Expectations included, before init moves it into place: a test whose init makes a
# package that fails its own validation fails (claimpack.init.writer._validated).
os.environ.setdefault("CLAIMPACK_INIT_CHECK", "all")
FIXTURES = ROOT / "tests" / "fixtures"
PACKAGE_PARTS = ("datapackage.json", "data", "validation")

# The real browser of the browser tests: Debian's chromium, driven by playwright, never downloaded
# (elsewhere, the chromium on PATH).
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM = str(DEBIAN_CHROMIUM) if DEBIAN_CHROMIUM.exists() else (shutil.which("chromium") or str(DEBIAN_CHROMIUM))
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = Path(os.environ.get("AXE_CORE_JS") or ROOT / "node_modules" / "axe-core" / "axe.min.js")


def require_browser(axe: bool = False, module: bool = False) -> None:
    """Skip without Chromium (or axe-core) on a developer's machine; fail under `make test`.

    `make test` installs both and sets CLAIMPACK_REQUIRE_BROWSER=1, so CI can never pass by
    skipping the browser tests.
    """
    missing = [what for what, there in (("Debian's chromium", Path(CHROMIUM).is_file()),
                                        ("axe-core", not axe or AXE.is_file())) if not there]
    if not missing:
        return
    reason = f"needs {' and '.join(missing)} (`make browser` installs them)"
    if os.environ.get("CLAIMPACK_REQUIRE_BROWSER"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason, allow_module_level=module)


QUARTO_VERSION = re.search(r"^QUARTO_VERSION\s*:=\s*(\S+)$", (ROOT / "Makefile").read_text(encoding="utf-8"),
                           flags=re.M).group(1)
JUPYTER = ("jupyter_client", "nbformat", "nbclient", "ipykernel")


def require_quarto() -> str:
    """The quarto the tests render with; skip without it (or its Jupyter), fail under `make test`.

    `make test` installs Quarto from ../shared/tools/quarto when it is not on PATH, puts it on
    PATH and sets CLAIMPACK_REQUIRE_QUARTO=1, so CI can never pass by skipping these tests.
    """
    import importlib.util

    quarto = shutil.which("quarto")
    missing = [] if quarto else [f"quarto {QUARTO_VERSION} on PATH (`make quarto` installs it from ../shared)"]
    missing += [f"{m} (pip install -e '.[quarto]')" for m in JUPYTER if importlib.util.find_spec(m) is None]
    if quarto and not missing:
        version = subprocess.run([quarto, "--version"], capture_output=True, text=True).stdout.strip()
        if version != QUARTO_VERSION:
            missing.append(f"quarto {QUARTO_VERSION}, the version the workflow pins (found {version})")
    if not missing:
        return quarto
    reason = "needs " + " and ".join(missing)
    if os.environ.get("CLAIMPACK_REQUIRE_QUARTO"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def built_site(engine: str, base: Path) -> Path:
    """The real package built once per test run with one engine (HTML and PDF), shared by every worker."""
    site = base / f"site-{engine}"
    with (base / f"site-{engine}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (site / "build.json").is_file():
            result = run_claimpack("build", ".", "--out", str(site), "--engine", engine, "--force", timeout=900)
            assert result.returncode == 0, result.stderr[-3000:]
            (base / f"site-{engine}.log").write_text(result.stderr, encoding="utf-8")
    return site


@pytest.fixture(scope="session")
def sites_base(tmp_path_factory) -> Path:
    """A folder of this test run that every xdist worker shares (the parent of each worker's own)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


# Markup a reader should never see: Markdown escapes, emphasis marks, attributes, links, fences, autolinks.
RAW_MARKUP = re.compile(r"\\[$*_#\[\]`<>]|\*\*|\{[#.][\w-]|\]\(|^:::|<(?=https?://)", re.M)
# an ISO date standing as a word, not one inside an address a PDF broke across lines ("?ver=2020-01-30-0813")
ISO_DATE = re.compile(r"(?<![\w=/%-])\d{4}-\d{2}-\d{2}(?![\w-])")


def raw_markup(text: str) -> list[str]:
    """Raw markup and ISO dates in a reader's text; web addresses (which may hold either) are left out."""
    text = re.sub(r"https?://[^\s<>()]+", "https://", text)
    return [text[max(0, m.start() - 30):m.end() + 30] for pattern in (RAW_MARKUP, ISO_DATE)
            for m in pattern.finditer(text)]


def copy_package(target: Path, parts=PACKAGE_PARTS, origin: Path = ROOT) -> Path:
    """Copy the real package (descriptor, data, validation), or the package at origin, into target."""
    target.mkdir(parents=True, exist_ok=True)
    for part in parts:
        source = origin / part
        if source.is_dir():
            # never Quarto's own state, which a render of the repository's report leaves in report/
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("uncommitted", "__pycache__",
                                                                                  ".quarto"))
        elif source.exists():
            shutil.copy2(source, target / part)
    return target


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A private copy of the real package."""
    return copy_package(tmp_path / "package")


def run_claimpack(*args: str, cwd: Path | None = None, timeout: float = 300, env: dict | None = None,
                  input: str | None = None) -> subprocess.CompletedProcess:
    """Run the real `claimpack` command in a child process."""
    environment = dict(os.environ, PYTHONWARNINGS="ignore", **(env or {}))
    return subprocess.run([sys.executable, "-m", "claimpack", *args], cwd=cwd or ROOT, capture_output=True,
                          text=True, timeout=timeout, env=environment, input=input)


@dataclass
class Ran:
    """What a command run in this process printed and returned, as subprocess.run reports it."""

    returncode: int
    stdout: str
    stderr: str


def invoke_claimpack(*args: str, cwd: Path) -> Ran:
    """Run `claimpack ARGS` in cwd inside this process: the same output and exit code, no child.

    frictionless validates in this process too (its import is paid once per test process). The
    working directory changes while the command runs, so this is for one thread at a time. An
    exception that escaped the command is appended to stderr as the traceback it would print.
    """
    from click.testing import CliRunner

    from claimpack.cli import main
    from claimpack.validation.layers import frictionless_layer

    child = frictionless_layer.start
    frictionless_layer.start = frictionless_layer.InProcess
    try:
        with contextlib.chdir(cwd), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = CliRunner().invoke(main, list(args), prog_name="claimpack")
    finally:
        frictionless_layer.start = child
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return Ran(result.exit_code, result.stdout, stderr)


OWN_STATE = ".claimpack"  # claimpack's saved validation results and locks, not a file of the package


WHOLE = 64 << 20  # files up to this size are compared by content; larger ones (a sparse 5 GB paper) by stat


def snapshot(root: Path) -> dict[str, bytes | tuple[int, int, int]]:
    """Every file under root but claimpack's own state, for proving that a failed command changed nothing."""
    found: dict[str, bytes | tuple[int, int, int]] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and OWN_STATE not in path.relative_to(root).parts:
            info = path.stat()
            found[str(path.relative_to(root))] = path.read_bytes() if info.st_size <= WHOLE else \
                (info.st_size, info.st_mtime_ns, info.st_ino)
    return found


def generated(edit: dict) -> str:
    """Text a fixture asks for at test time rather than committing it: {"text": "x", "times": 10_000_000}."""
    spec = edit.get("generate")
    return spec["text"] * spec["times"] if spec else ""


def _fill(edit: dict, text: str) -> str:
    return text.replace("{{generated}}", generated(edit)) if "generate" in edit else text


def apply_defect(root: Path, defect: dict) -> None:
    """Apply a fixture's edits to a package copy, then record new hashes unless the defect is the hash.

    Edits: find/replace (count times), find/replace_hex (raw bytes), append, content, hex, prepend_hex,
    json (pointer: value, "__delete__" deletes), delete, delimiter (rewrite a CSV with another delimiter), symlink (make
    the file or directory a link to a target; a directory's content moves to NAME.real), fifo (make the file a
    FIFO), sparse_bytes (grow the file to that size without using disk), mkdir. "{{generated}}" in a replace,
    append or content is replaced by
    the text of "generate" ({"text": "x", "times": N}), so that a 10 MB cell is made, not committed.
    """
    from claimpack.model.package import Package

    edited = []
    for edit in defect.get("edits", []):
        path = root / edit["file"]
        if "find" in edit and "replace_hex" in edit:
            raw, find = path.read_bytes(), edit["find"].encode("utf-8")
            count = raw.count(find)
            assert count == edit.get("count", 1), f"{edit['file']}: {edit['find']!r} occurs {count} times"
            path.write_bytes(raw.replace(find, bytes.fromhex(edit["replace_hex"])))
        elif "find" in edit:
            text = path.read_bytes().decode("utf-8")
            count = text.count(edit["find"])
            assert count == edit.get("count", 1), f"{edit['file']}: {edit['find']!r} occurs {count} times"
            path.write_bytes(text.replace(edit["find"], _fill(edit, edit["replace"])).encode("utf-8"))
        elif "append" in edit:
            with path.open("ab") as handle:
                handle.write(_fill(edit, edit["append"]).encode("utf-8"))
        elif "content" in edit:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(_fill(edit, edit["content"]).encode("utf-8"))
        elif "hex" in edit:
            path.write_bytes(bytes.fromhex(edit["hex"]))
        elif "prepend_hex" in edit:
            path.write_bytes(bytes.fromhex(edit["prepend_hex"]) + path.read_bytes())
        elif "json" in edit:
            descriptor = json.loads(path.read_text(encoding="utf-8"))
            for pointer, value in edit["json"].items():
                _set_pointer(descriptor, pointer, value)
            path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8")
        elif edit.get("delete"):
            path.unlink()
        elif "delimiter" in edit:
            rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
            with path.open("w", encoding="utf-8", newline="") as handle:
                csv.writer(handle, delimiter=edit["delimiter"], lineterminator="\n").writerows(rows)
        elif "symlink" in edit:
            if path.is_dir() and not path.is_symlink():
                moved = path.with_name(path.name + ".real")
                path.rename(moved)  # the directory's content stays, reached through the link
            elif path.exists() or path.is_symlink():
                path.unlink()
            path.symlink_to(edit["symlink"])
        elif edit.get("fifo"):
            path.unlink(missing_ok=True)
            os.mkfifo(path)
        elif "sparse_bytes" in edit:
            with path.open("r+b") as handle:
                handle.truncate(edit["sparse_bytes"])  # a huge file that takes no disk
        elif edit.get("mkdir"):
            path.mkdir(parents=True, exist_ok=True)
        else:
            raise AssertionError(f"unknown edit {edit}")
        edited.append(edit["file"])
    if defect.get("rehash", True) and "datapackage.json" not in edited:
        rehash_copy(root)
    if "report" in defect.get("parts", ()):
        from claimpack.publish.build import write_bibliography
        from claimpack.system.problems import ClaimpackError

        # as the last good build left it: a failed build must not touch it either
        with contextlib.suppress(ClaimpackError):
            write_bibliography(Package.load(root), root / "report")
    if defect.get("site"):
        make_previous_site(root / "_site")


def rehash_copy(root: Path) -> None:
    """Record the current sha256 and size of every resource of a package copy (without validating it)."""
    from claimpack.model.integrity import current_hashes, write_descriptor
    from claimpack.model.package import Package

    package = Package.load(root)
    hashes = current_hashes(package)
    for resource in package.descriptor["resources"]:
        resource["hash"], resource["bytes"] = hashes[resource["name"]]
    write_descriptor(root, package.descriptor)


def make_previous_site(site: Path) -> None:
    """A stand-in for the last good _site: a failed build must leave it byte for byte."""
    (site / "validation").mkdir(parents=True, exist_ok=True)
    (site / "index.html").write_text("<!doctype html><title>last good build</title>\n", encoding="utf-8")
    (site / "report.pdf").write_bytes(b"%PDF-1.7 last good build\n")
    (site / "validation" / "index.html").write_text("last good Data Docs\n", encoding="utf-8")
    (site / "build.json").write_text('{"digest": "last-good"}\n', encoding="utf-8")
    (site / ".claimpack-output").write_text("written by claimpack\n", encoding="utf-8")


def _set_pointer(document, pointer: str, value) -> None:
    """Set a value at a JSON pointer like /resources/0/path (the value "__delete__" deletes the key; a last part
    "-" of a list appends, as in RFC 6901)."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.strip("/").split("/")]
    node = document
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = parts[-1]
    if isinstance(node, list) and last == "-":
        node.append(value)
        return
    key = int(last) if isinstance(node, list) else last
    if value == "__delete__":
        del node[key]
    else:
        node[key] = value


def load_defects() -> list[tuple[str, dict]]:
    defects = []
    for path in sorted((FIXTURES / "bad").glob("*/defect.json")):
        defects.append((path.parent.name, json.loads(path.read_text(encoding="utf-8"))))
    return defects


@dataclass
class Outcome:
    """What a command did to a known-bad package."""

    exit: int
    lines: list[str]  # the problems on stdout (warnings and recorded defects left out), then stderr from its
    # first `claimpack:` line
    traceback: bool
    changed: list[str]  # files created, deleted or modified by the command
    output: str


_NOT_AN_ERROR = re.compile(r" \[(warning|recorded as defect [a-z0-9-]+)\]\Z")


def error_lines(stdout: str, stderr: str) -> list[str]:
    problems = [line for line in stdout.splitlines() if line and not _NOT_AN_ERROR.search(line)]
    tail = stderr.splitlines()
    first = next((i for i, line in enumerate(tail) if line.startswith("claimpack:")), len(tail))
    return problems + tail[first:]


SECOND_PAPER = ROOT / "tests" / "papers" / "water.md"
_second: list[Path] = []


def second_package() -> Path:
    """A second package, not Samanez: `claimpack init` on one of the tests' own papers, made once per process."""
    if not _second:
        import tempfile

        from claimpack.init.writer import init

        _second.append(init(SECOND_PAPER, Path(tempfile.mkdtemp(prefix="claimpack-second-")) / "water").root)
    return _second[0]


def make_paper_folder(root: Path, spec: dict) -> None:
    """The folder an init fixture's paper stands in: {"files": {name: text}, "hex": {name: bytes as hex},
    "links": {name: target}, "dirs": [name]}. "{{root}}" in a name or a text is the folder's absolute path,
    and "{{generated}}" the fixture's generated text (see `generated`)."""
    root.mkdir(parents=True, exist_ok=True)

    def place(name: str) -> Path:
        path = root / name.replace("{{root}}", str(root)).lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    for name in spec.get("dirs", []):
        place(name).mkdir(exist_ok=True)
    for name, text in spec.get("files", {}).items():
        place(name).write_bytes(_fill(spec, text.replace("{{root}}", str(root))).encode("utf-8"))
    for name, data in spec.get("hex", {}).items():
        place(name).write_bytes(bytes.fromhex(data))
    for name, target in spec.get("links", {}).items():
        place(name).symlink_to(target)


def run_defect(root: Path, defect: dict) -> Outcome:
    """Make a copy of the package with the defect in root (or, for an "init" fixture, the folder its paper
    stands in), run its command in this process, and report what happened.

    "writes": the package an init fixture is expected to write (a paper init takes in, with warnings):
    no changed file, but it must validate (a line saying otherwise is added to the outcome's lines).
    """
    if "init" in defect:
        make_paper_folder(root, {**defect["init"], **({"generate": defect["generate"]} if "generate" in defect
                                                       else {})})
    else:
        origin = second_package() if defect.get("package") == "water" else ROOT
        copy_package(root, defect.get("parts", PACKAGE_PARTS), origin)
        apply_defect(root, defect)
    before, dirs = snapshot(root), _directories(root)
    result = invoke_claimpack(*defect.get("command", ["validate"]), *defect.get("args", []), cwd=root)
    after, written = snapshot(root), defect.get("writes")
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
                     and not (written and (name == written or name.startswith(written + "/"))))
    changed += sorted(f"{name}/" for name in dirs ^ _directories(root)
                      if not (written and (name == written or name.startswith(written + "/"))))
    lines = error_lines(result.stdout, result.stderr)
    if written and result.returncode == 0:
        check = invoke_claimpack("validate", "--skip", "expectations", written, cwd=root)
        if check.returncode != 0:
            lines.append(f"the package written does not validate: {check.stdout.strip()[:2000]}")
    output = result.stdout + result.stderr
    return Outcome(result.returncode, lines, "Traceback" in output, changed, output)


def _directories(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")
            if p.is_dir() and not p.is_symlink() and OWN_STATE not in p.relative_to(root).parts}
