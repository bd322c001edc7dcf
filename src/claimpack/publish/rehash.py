"""`claimpack rehash`: record the current sha256 and size of every resource file, deliberately.

An edit to a data file is accepted only when everything else about the package validates, so a
hash is never updated by accident over a broken package.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..model.integrity import current_hashes, write_descriptor
from ..model.package import Package
from ..system.problems import ClaimpackError
from ..validation.validate import validate

HASH_CODES = {"hash-count", "byte-count"}  # what a rehash repairs; any other error blocks it


class RehashRefused(ClaimpackError):
    """The package has problems other than its hashes: nothing is rehashed."""

    exit_code = 1


def rehash(root: str | Path, progress: Callable[[str], None] | None = None) -> list[str]:
    """Update hash and bytes in the descriptor, only if the package is otherwise valid.

    The files are hashed before and after validation: an edit made while validation ran was not
    validated, so it is refused rather than recorded.
    """
    root = Path(root)
    before = current_hashes(Package.load(root))
    report = validate(root, progress=progress)
    blocking = [p for p in report.errors if p.code not in HASH_CODES]
    if blocking:
        head = f"refusing to rehash: the package has {len(blocking)} other error(s); fix them first:"
        lines = [p.line() for p in blocking[:20]] + ([f"… and {len(blocking) - 20} more"] if len(blocking) > 20
                                                     else [])
        refused = RehashRefused("\n".join([head, *lines]))
        refused.details = [f"claimpack: {head}", *lines]  # printed a line each, each one line
        raise refused
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
