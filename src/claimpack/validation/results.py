"""The validation result of a package, saved once per content hash.

`claimpack validate` saves its report as `.claimpack/results/<key>.json` in the package (never in
data/). The key is the sha256 of every input: the descriptor; every resource file and every file
under data/; the Great Expectations project and the coverage exclusions where the descriptor puts
them; the layers skipped; and claimpack itself (its version and the digest of every file it ships)
with the versions of frictionless and Great Expectations. A later validate, build, report or show
on the same inputs reads the result instead of validating again.

A saved result is believed only whole and untouched: it is written to a temporary file and renamed
into place, and it carries an HMAC of its key and report under a secret kept outside the package
(in the user's cache directory, made on first use), so a result planted in the package, edited,
cut short or saved under another key is never trusted: the package is validated again.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import itertools
import json
import os
import secrets
import stat
import sys
import time
from pathlib import Path

from .. import __version__
from ..model.package import Package
from ..model.paths import DESCRIPTOR, safe_path
from ..system.problems import ClaimpackError, Problem, Report
from .layers import NAMES

RESULTS = Path(".claimpack") / "results"
KEPT = 16  # saved results kept per package; older ones are removed
MOST_PROBLEMS = 100_000  # a report with more is not saved: it would be larger than the data it judges
FORMAT = 4  # 3: problems carry recorded_as (a finding recorded as a defect of the paper); 4: their subject
SKIP_DIRS = {"__pycache__", "uncommitted", ".ipynb_checkpoints"}
DEPENDENCIES = ("frictionless", "great_expectations")  # their verdicts are claimpack's


# ---- the key ----------------------------------------------------------------------------------
def tool_digest(package_dir: Path | None = None) -> str:
    """claimpack's version and the digest of every file it ships (code, templates, styles, contexts).

    Compiled bytecode is left out: it follows the code.
    """
    digest = hashlib.sha256(__version__.encode())
    package_dir = package_dir or Path(__file__).resolve().parents[1]
    for path in sorted(package_dir.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            digest.update(str(path.relative_to(package_dir)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def installed_version(distribution: str) -> str:
    """The installed version of a distribution, read from its .dist-info directory's name (no import)."""
    prefix = distribution.replace("-", "_").lower() + "-"
    for entry in sys.path:
        with contextlib.suppress(OSError):
            for name in os.listdir(entry or "."):
                if name.lower().startswith(prefix) and name.endswith(".dist-info"):
                    return name[len(prefix):-len(".dist-info")]
    return "not installed"


def input_files(package: Package) -> list[Path]:
    """Every file a validation reads: the descriptor, the resources, data/, the GX project, the exclusions."""
    root = package.root
    files = [root / DESCRIPTOR]
    for resource in package.descriptor["resources"]:
        with contextlib.suppress(ClaimpackError):
            files.append(package.path_of(resource["name"]))
    directories = [root / "data"]
    for setting, kind in (("expectations", "directory"), ("exclusions", "file")):
        with contextlib.suppress(ClaimpackError):
            if package.config.get(setting):
                directories.append(safe_path(root, package.config[setting], DESCRIPTOR, f"claimpack.{setting}",
                                             kind=kind))
    for place in directories:
        if place.is_file():
            files.append(place)
        elif place.is_dir():
            files += [path for path in place.rglob("*")
                      if not SKIP_DIRS.intersection(path.relative_to(place).parts[:-1]) and path.is_file()]
    return sorted(set(files))


def _file_digest(path: Path) -> str:
    """The sha256 of a regular file, never through a link or into a FIFO or device."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return "not a regular file"
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:  # missing, a link, unreadable: part of what validation will say
        return f"unreadable: {type(exc).__name__}"


def inputs(package: Package, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """The digest of each input of a validation, by name."""
    root = package.root.resolve()
    found = {}
    for path in input_files(package):
        resolved = path.resolve()
        name = str(resolved.relative_to(root)) if root in resolved.parents else str(resolved)
        found[name] = _file_digest(path)
    found["(claimpack)"] = tool_digest()
    found["(dependencies)"] = ", ".join(f"{d} {installed_version(d)}" for d in DEPENDENCIES)
    found["(python)"] = sys.version.split()[0]
    found["(skipped layers)"] = ", ".join(sorted(skip))
    return found


def key_of(inputs_found: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(inputs_found, sort_keys=True).encode()).hexdigest()


def fingerprint(package: Package) -> dict[str, tuple[int, int]]:
    """Size and modification time of every input: what must not change while a result is computed."""
    found = {}
    for path in input_files(package):
        with contextlib.suppress(OSError):
            info = path.stat()
            found[str(path)] = (info.st_size, info.st_mtime_ns)
    return found


# ---- the secret the results are signed with ----------------------------------------------------
def _secret() -> bytes | None:
    """This user's key for signing saved results, kept outside every package; None if it cannot be kept."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "claimpack"
    path = base / "results.key"
    try:
        base.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(secrets.token_bytes(32))
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(descriptor, "rb") as handle:
            info = os.fstat(handle.fileno())
            secret = handle.read(64)
    except (OSError, RuntimeError):
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077 or len(secret) != 32:
        return None
    return secret


def _signature(secret: bytes, key: str, report: dict) -> str:
    body = json.dumps({"key": key, "report": report}, sort_keys=True, ensure_ascii=False).encode()
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


# ---- reading and writing ------------------------------------------------------------------------
def _directory(package: Package, create: bool) -> Path | None:
    """.claimpack/results in the package, as real directories (never a link out of the package)."""
    from ..system.state import directory

    return directory(package.root, *RESULTS.parts[1:], create=create)


def load(package: Package, key: str) -> Report | None:
    """The saved report for this key, or None when there is none that can be trusted."""
    directory = _directory(package, create=False)
    secret = _secret()
    if directory is None or secret is None:
        return None
    path = directory / f"{key}.json"
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            saved = json.loads(handle.read().decode("utf-8"))
        report = saved["report"]
        if saved.get("format") != FORMAT or saved.get("key") != key or not isinstance(report, dict):
            return None
        if not hmac.compare_digest(str(saved.get("hmac")), _signature(secret, key, report)):
            return None
        problems = [Problem.from_dict(problem) for problem in report["problems"]]
        return Report(problems, dict(report["layers"]), dict(report["candidates"]),
                      saved=str(saved.get("saved") or "earlier"))
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None


def save(package: Package, key: str, report: Report) -> Path | None:
    """Save the report under its key (atomically), and remove all but the newest saved results."""
    from ..model.integrity import atomic_write

    if len(report.problems) > MOST_PROBLEMS:
        return None
    secret = _secret()
    directory = _directory(package, create=True)
    if secret is None or directory is None:
        return None
    body = {"problems": [problem.to_dict() for problem in report.problems], "layers": report.layers,
            "candidates": report.candidates}
    body = json.loads(json.dumps(body, ensure_ascii=False))  # the report as it reads back
    saved = {"format": FORMAT, "key": key, "saved": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
             "report": body, "hmac": _signature(secret, key, body)}
    path = directory / f"{key}.json"
    try:
        atomic_write(path, json.dumps(saved, ensure_ascii=False) + "\n")
    except OSError:
        return None
    _prune(directory)
    return path


def _prune(directory: Path) -> None:
    with contextlib.suppress(OSError):
        kept = sorted(directory.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in kept[KEPT:]:
            old.unlink(missing_ok=True)


def current(package: Package, layer: str | None = None) -> Report | None:
    """The saved result of a validation of the package as it is now that ran `layer` (every layer when
    None), if there is one: a layer's findings do not depend on which other layers ran."""
    found = inputs(package)
    others = [name for name in NAMES if name != layer] if layer else []
    for count in range(len(others) + 1):  # the fullest validation first
        for skipped in itertools.combinations(others, count):
            key = key_of({**found, "(skipped layers)": ", ".join(sorted(skipped))})
            report = load(package, key)
            if report is not None:
                return report
    return None
