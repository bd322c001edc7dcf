"""Where claimpack may write: output paths that are its own, never the package it reads.

`build --out`, `validate --docs` and `export -o` name paths on the command line, and a mistyped
flag must never cost a user a file. An output path is claimpack's when it is

- new (nothing is there yet), or an empty directory; or
- a directory that carries claimpack's marker file (`.claimpack-output`, written into every site
  and Data Docs directory claimpack makes), or a file that claimpack's last export wrote (the
  extended attribute `user.claimpack.export` holds the sha256 of the bytes it wrote, so a file
  edited since is no longer claimpack's);

and it is never the package directory or an ancestor of it, a file of the package (the
descriptor, a resource, a report source, a suite, the exclusions), a path inside a directory
that holds such files (data/, report/, validation/gx/), a symbolic link, or anything that is not
a regular file or directory (a FIFO, a device, a socket). Everything else is refused with one
line, exit 2, before anything is written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from pathlib import Path

from ..model.package import Package
from ..model.paths import DESCRIPTOR
from ..system.files import kind_of
from ..system.problems import ClaimpackError

MARKER = ".claimpack-output"
MARKER_TEXT = "This directory was written by claimpack; `claimpack build --out` may replace it whole.\n"
EXPORT_ATTRIBUTE = "user.claimpack.export"


class OutputRefused(ClaimpackError):
    """An output path that is not claimpack's to write: nothing is written, exit 2."""

    exit_code = 2


def _refuse(flag: str, path: Path, why: str, expected: str) -> OutputRefused:
    return OutputRefused(f"refusing to write {flag} {path}: {why}", expected=expected)


def _absolute(path: Path) -> Path:
    """The path made absolute without following its last component (a link stays a link)."""
    return Path(os.path.abspath(path))


def _resolved(path: Path) -> Path:
    """Where the path really points: every symbolic link of its parents followed."""
    absolute = _absolute(path)
    return Path(os.path.realpath(absolute.parent)) / absolute.name


def package_paths(package: Package) -> tuple[set[Path], set[Path]]:
    """(files, directories) of the package that no output may replace or write into.

    Files: the descriptor, every resource, the exclusions. Directories: the report project, the
    Great Expectations project and every directory that holds a resource (the package directory
    itself is left out: `_site` lives there).
    """
    root = Path(os.path.realpath(package.root))
    files = {root / DESCRIPTOR}
    directories: set[Path] = set()
    for resource in package.descriptor.get("resources", []):
        path = resource.get("path") if isinstance(resource, dict) else None
        if isinstance(path, str) and path and "\x00" not in path:
            files.add(Path(os.path.realpath(root / path)))
    config = package.config
    for key in ("exclusions",):
        if isinstance(config.get(key), str):
            files.add(Path(os.path.realpath(root / config[key])))
    for key in ("expectations",):
        if isinstance(config.get(key), str):
            directories.add(Path(os.path.realpath(root / config[key])))
    if isinstance(config.get("report"), str):
        directories.add(Path(os.path.realpath(root / config["report"])).parent)
    directories |= {path.parent for path in files}
    directories.discard(root)
    return files, {d for d in directories if d != root and root in d.parents}


def _check_against_package(flag: str, shown: Path, target: Path, package: Package) -> None:
    root = Path(os.path.realpath(package.root))
    if target == root:
        raise _refuse(flag, shown, "it is the package directory", "a new path, or one claimpack wrote")
    if target in root.parents:
        raise _refuse(flag, shown, "it holds the package directory", "a new path outside the package's files")
    files, directories = package_paths(package)
    if target in files:
        raise _refuse(flag, shown, "it is a file of the package", "a new path outside the package's files")
    holds = sorted(str(f.relative_to(root)) for f in files if target in f.parents)
    if holds:
        raise _refuse(flag, shown, f"it holds files of the package ({holds[0]})",
                      "a new path outside the package's files")
    inside = next((d for d in sorted(directories) if target == d or d in target.parents), None)
    if inside is not None:
        raise _refuse(flag, shown, f"it lies inside the package's {inside.relative_to(root)}/",
                      "a path outside the package's data, report and validation directories")


def _no_nul(flag: str, path: Path) -> None:
    if "\x00" in str(path):
        raise OutputRefused(f"refusing to write {flag}: the path holds a NUL character", expected="a path")


def directory_target(package: Package, out: str | Path, flag: str = "--out") -> Path:
    """The absolute directory claimpack may replace with a new site (or fill with Data Docs).

    Raises OutputRefused unless the path is new, an empty directory, or a directory claimpack made.
    """
    out = Path(out)
    _no_nul(flag, out)
    absolute = _absolute(out)
    try:
        info = os.lstat(absolute)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _refuse(flag, out, f"cannot inspect it ({exc.strerror})", "a path claimpack can write") from None
    if info is not None and stat.S_ISLNK(info.st_mode):
        raise _refuse(flag, out, "it is a symbolic link", "a real directory, not a link to one")
    target = _resolved(out)
    _check_against_package(flag, out, target, package)
    if info is None:
        parent = target.parent
        if parent.exists() and not parent.is_dir():
            raise _refuse(flag, out, f"its parent {parent} is not a directory", "a path in a directory")
        return target
    if not stat.S_ISDIR(info.st_mode):
        raise _refuse(flag, out, f"it exists and is {kind_of(info.st_mode)}",
                      "a new path, or a directory claimpack wrote")
    if not is_marked_directory(target):
        try:
            empty = not any(os.scandir(target))
        except OSError as exc:
            raise _refuse(flag, out, f"cannot list it ({exc.strerror})", "a directory claimpack can write") from None
        if not empty:
            raise _refuse(flag, out, f"it is a directory claimpack did not write (no {MARKER} in it)",
                          "a new path, an empty directory, or one claimpack wrote")
    return target


def is_marked_directory(path: Path) -> bool:
    """Did claimpack write this directory? (its marker file, or the manifest of an older build)."""
    marker = path / MARKER
    with contextlib.suppress(OSError):
        if stat.S_ISREG(os.lstat(marker).st_mode):
            return True
    manifest = path / "build.json"
    with contextlib.suppress(OSError, ValueError, RecursionError):
        if stat.S_ISREG(os.lstat(manifest).st_mode) and manifest.stat().st_size < 5_000_000:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            return isinstance(data, dict) and "digest" in data and "claimpack" in data
    return False


def docs_staging(target: Path) -> Path:
    """A new, empty directory beside target for Data Docs to be built in, then swapped in whole."""
    staging = target.with_name(f".{target.name}.docs-{os.getpid()}")
    if staging.is_symlink() or staging.exists():
        if staging.is_symlink() or not staging.is_dir():
            raise OutputRefused(f"refusing to write --docs {target}: {staging} is taken",
                                expected="nothing at that path")
        import shutil

        shutil.rmtree(staging)  # this process's own, left by an earlier run of the same id
    try:
        staging.parent.mkdir(parents=True, exist_ok=True)
        staging.mkdir()
    except OSError as exc:  # a read-only or full folder: the system's refusal, naming the path asked for
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    return staging


def mark_directory(path: Path) -> None:
    """Write claimpack's marker into a directory it made."""
    (path / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def file_target(package: Package, out: str | Path, *, force: bool = False, flag: str = "-o") -> Path:
    """The absolute file an export may write.

    Raises OutputRefused unless the path is new, or a regular file that claimpack's last export
    wrote (or any regular file outside the package, with `force`).
    """
    out = Path(out)
    _no_nul(flag, out)
    absolute = _absolute(out)
    try:
        info = os.lstat(absolute)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _refuse(flag, out, f"cannot inspect it ({exc.strerror})", "a path claimpack can write") from None
    if info is not None and stat.S_ISLNK(info.st_mode):
        raise _refuse(flag, out, "it is a symbolic link", "a regular file or a new path, not a link")
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise _refuse(flag, out, "it is a directory", "a file path for -o")
    target = _resolved(out)
    _check_against_package(flag, out, target, package)
    if info is None:
        parent = target.parent
        if parent.exists() and not parent.is_dir():
            raise _refuse(flag, out, f"its parent {parent} is not a directory", "a path in a directory")
        return target
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(flag, out, f"it is {kind_of(info.st_mode)}", "a regular file or a new path")
    if not force and not is_marked_file(target):
        raise _refuse(flag, out, "it exists and claimpack did not write it (or it was edited since)",
                      "a new path; or --force to replace it")
    return target


def _digest(path: Path) -> bytes:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest().encode()


def is_marked_file(path: Path) -> bool:
    """Did claimpack's last export write exactly these bytes?"""
    try:
        recorded = os.getxattr(path, EXPORT_ATTRIBUTE, follow_symlinks=False)
    except (OSError, AttributeError):  # no such attribute, or a system without extended attributes
        return False
    try:
        return recorded == _digest(path)
    except OSError:
        return False


def mark_file(path: Path) -> None:
    """Record that claimpack wrote this file (best effort: some file systems keep no attributes)."""
    with contextlib.suppress(OSError, AttributeError):
        os.setxattr(path, EXPORT_ATTRIBUTE, _digest(path), follow_symlinks=False)
