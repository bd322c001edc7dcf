"""claimpack's own state inside a package (.claimpack/: saved results, the verify lock).

Real directories only: a `.claimpack` that is a link (or a file) is never followed, so no state is
written outside the package; a lock file is opened without following a link or waiting on a FIFO.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from .problems import ClaimpackError

STATE = ".claimpack"


def directory(root: Path, *parts: str, create: bool) -> Path | None:
    """root/.claimpack/PARTS as real directories (made when `create`), or None when one is a link,
    a file or cannot be made."""
    path = root
    for part in (STATE, *parts):
        path = path / part
        try:
            info = path.lstat()
        except FileNotFoundError:
            if not create:
                return None
            try:
                path.mkdir(mode=0o755)
            except OSError:
                return None
            continue
        except OSError:
            return None
        if not stat.S_ISDIR(info.st_mode):
            return None
    return path


def open_lock(root: Path, name: str) -> int:
    """A file descriptor of the lock file .claimpack/NAME, created if need be; refused when it cannot be
    claimpack's (a link, a FIFO, a .claimpack that is not a real directory)."""
    place, where = root / STATE, str(root / STATE / name)
    with contextlib.suppress(FileExistsError):
        os.mkdir(place, 0o755)  # a read-only package is the system's refusal: raised as it is
    if not stat.S_ISDIR(os.lstat(place).st_mode):
        raise ClaimpackError("is a link or a file, where claimpack keeps its own state", file=str(place),
                             expected="a directory of the package, or nothing yet")
    try:
        fd = os.open(place / name, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
    except OSError as exc:
        raise ClaimpackError(f"cannot open the lock: {exc.strerror}", file=where,
                             expected="nothing but claimpack's lock file at that path") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise ClaimpackError("the lock is not a regular file", file=where,
                             expected="nothing but claimpack's lock file at that path")
    return fd
