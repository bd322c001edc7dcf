"""The lock every writer of the verifications log holds while it appends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK = ".claimpack/verify.lock"


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold the package's verification lock (fcntl.flock, blocking until it is free)."""
    import fcntl

    path = root / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
