"""Hashes and sizes of the package's files, and writing files so that nothing is ever half-written."""

from __future__ import annotations

import glob
import hashlib
import json
import os
import tempfile
from pathlib import Path

from .package import DESCRIPTOR, Package
from .problems import ClaimpackError
from .processes import process_running


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
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _remove_stale_temporaries(path: Path) -> None:
    """Remove temporary siblings of path left by writers that no longer run."""
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = stale.name[len(path.name) + 2:].split(".", 1)[0]
        if pid.isdigit() and not process_running(int(pid)):
            stale.unlink(missing_ok=True)


def write_descriptor(root: Path, descriptor: dict) -> None:
    atomic_write(root / DESCRIPTOR, json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n")


def current_hashes(package: Package) -> dict[str, tuple[str, int]]:
    """sha256 and size of every local resource file, by resource name."""
    found = {}
    for resource in package.descriptor["resources"]:
        path = package.path_of(resource["name"])
        if not path.is_file():
            raise ClaimpackError("file is missing", file=str(resource.get("path")), expected="the resource's file")
        found[resource["name"]] = (f"sha256:{sha256(path)}", path.stat().st_size)
    return found
