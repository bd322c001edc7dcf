"""Hashes and sizes of the package's files, and writing files so that nothing is ever half-written."""

from __future__ import annotations

import glob
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from . import fault_points
from .package import DESCRIPTOR, Package
from .problems import ClaimpackError

HASH_CODES = {"hash-count", "byte-count"}


class RehashRefused(ClaimpackError):
    """The package has problems other than its hashes: nothing is rehashed."""

    exit_code = 1


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
        fault_points.point("write:renaming")
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


def process_running(pid: int) -> bool:
    """Is a process with this id still running (a writer whose temporary files must be left alone)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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


def rehash(root: str | Path, progress: Callable[[str], None] | None = None) -> list[str]:
    """Update hash and bytes in the descriptor, only if the package is otherwise valid.

    The files are hashed before and after validation: an edit made while validation ran was not
    validated, so it is refused rather than recorded.
    """
    from .validate import validate

    root = Path(root)
    before = current_hashes(Package.load(root))
    report = validate(root, progress=progress)
    blocking = [p for p in report.errors if p.code not in HASH_CODES]
    if blocking:
        lines = "\n".join(p.line() for p in blocking[:20])
        more = f"\n… and {len(blocking) - 20} more" if len(blocking) > 20 else ""
        raise RehashRefused(f"refusing to rehash: the package has {len(blocking)} other error(s); "
                            f"fix them first:\n{lines}{more}")
    package = Package.load(root)
    hashes = current_hashes(package)
    moved = sorted(name for name in hashes.keys() | before.keys() if hashes.get(name) != before.get(name))
    if moved:
        raise RehashRefused(f"refusing to rehash: {', '.join(moved)} changed while the package was being validated; "
                            "run rehash again")
    changed = []
    for resource in package.descriptor["resources"]:
        digest, size = hashes[resource["name"]]
        if resource.get("hash") != digest or resource.get("bytes") != size:
            resource["hash"], resource["bytes"] = digest, size
            changed.append(resource["name"])
    if changed:
        write_descriptor(root, package.descriptor)
    return changed
