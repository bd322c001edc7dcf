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
    import os

    from ...system.state import open_lock

    fd = open_lock(root, Path(LOCK).name)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
