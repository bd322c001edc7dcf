"""What a path is, in words: how every refusal of a path that is not a regular file names it."""

from __future__ import annotations

import stat

_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISREG, "a file"), (stat.S_ISDIR, "a directory"),
          (stat.S_ISLNK, "a symbolic link"))


def kind_of(mode: int) -> str:
    """'a FIFO', 'a character device', 'a block device', 'a socket', 'a file', 'a directory' or 'a symbolic link'
    (from an lstat's st_mode)."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")
