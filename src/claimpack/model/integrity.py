"""Hashes and sizes of the package's files, and writing files so that nothing is ever half-written."""

from __future__ import annotations

import glob
import hashlib
import json
import os
import tempfile
from pathlib import Path

from ..system import fault_points
from ..system.problems import ClaimpackError
from ..system.processes import process_running
from .package import Package
from .paths import DESCRIPTOR


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write a file by writing a temporary sibling and renaming it over the target.

    The temporary file is named after the writing process, so a writer that was killed before
    its rename leaves a sibling the next writer recognises as stale and removes.
    """
    atomic_write_all([(path, data)])


def atomic_write_all(files: list[tuple[Path, bytes | str]]) -> None:
    """Replace several files, all or none: every temporary sibling is written and flushed before
    the first rename, so a full disk, a file size limit or a read-only directory fails before any
    file changes. The renames then follow in order (a rename takes no space)."""
    prepared: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            prepared.append((_prepare(path, data), path))
        for temporary, path in prepared:
            fault_points.point("write:renaming")
            os.replace(temporary, path)
    except BaseException:
        for temporary, _ in prepared:
            Path(temporary).unlink(missing_ok=True)
        raise


def _prepare(path: Path, data: bytes | str) -> str:
    """A flushed temporary sibling of path holding data, with the permissions path has (or would get)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:  # mkstemp makes 0600; a new file gets the permissions any new file would
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(temporary, 0o666 & ~mask)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def _remove_stale_temporaries(path: Path) -> None:
    """Remove temporary siblings of path left by writers that no longer run."""
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = stale.name[len(path.name) + 2:].split(".", 1)[0]
        if pid.isdigit() and not process_running(int(pid)):
            stale.unlink(missing_ok=True)


def descriptor_text(descriptor: dict) -> str:
    """The descriptor as claimpack writes it."""
    return json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"


def write_descriptor(root: Path, descriptor: dict) -> None:
    atomic_write(root / DESCRIPTOR, descriptor_text(descriptor))


def current_hashes(package: Package) -> dict[str, tuple[str, int]]:
    """sha256 and size of every local resource file, by resource name."""
    found = {}
    for resource in package.descriptor["resources"]:
        path = package.path_of(resource["name"])
        if not path.is_file():
            raise ClaimpackError("file is missing", file=str(resource.get("path")), expected="the resource's file")
        found[resource["name"]] = (f"sha256:{sha256(path)}", path.stat().st_size)
    return found
