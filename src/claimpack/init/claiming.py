"""init's hold on its target: the directory is made new, or an existing empty one is locked, and the package
is assembled in a staging folder inside it and moved into place name by name, never over a file another
process wrote; a failed init takes back only what it staged (claimpack.init.writer uses it)."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import stat
from pathlib import Path

from ..model.paths import DESCRIPTOR
from ..system import fault_points
from ..system.problems import ClaimpackError

STAGING = ".claimpack-init"  # where init assembles the package, inside the target it holds locked


class Claim:
    """The target directory, held for one init: made new or found empty, and locked.

    The lock is an flock on the directory itself: the system releases it when the process ends,
    however it ends, so no stale lock outlives a killed init. A second init into the same target
    finds it held and refuses before it writes anything. The package is assembled in STAGING
    inside the target and moved into place entry by entry with no-replace renames, its descriptor
    last: nothing another process wrote is ever replaced, and a failure takes back only what this
    init moved (and the target itself, when this init made it).
    """

    def __init__(self, target: Path, shown: Path):
        self.target, self.shown = target, shown
        self.made = False
        self.fd: int | None = None
        self.locked = False  # only an init holding the lock takes anything back
        self.moved: list[Path] = []
        self.parents: list[Path] = []  # the folders above the target this init made, deepest last
        self.ours: set[tuple[int, int]] = set()  # (device, inode) of every entry this init staged

    def _make_parents(self) -> None:
        """Make the folders above the target that are missing, remembering which (a failed init takes them
        back when they are still empty)."""
        missing = []
        for parent in self.target.parents:
            if os.path.lexists(parent):
                break
            missing.append(parent)
        for parent in reversed(missing):
            try:
                os.mkdir(parent)
            except FileExistsError:  # another process made it a moment ago: it is not ours to take back
                continue
            self.parents.append(parent)

    def refuse(self, message: str, expected: str = "a new or empty directory for the package") -> ClaimpackError:
        return ClaimpackError(message, file=str(self.shown), expected=expected)

    def take(self) -> Path:
        """Make or open the target, lock it and check it is empty; the staging directory to write in."""
        try:
            self._make_parents()
            os.mkdir(self.target)
            self.made = True
        except FileExistsError:
            pass
        except NotADirectoryError:
            raise self.refuse("a folder on the way to the target is a file") from None
        except OSError as exc:
            raise self.refuse(f"cannot make the target: {exc.strerror}") from None
        try:
            if stat.S_ISLNK(os.lstat(self.target).st_mode):
                raise OSError(errno.ELOOP, os.strerror(errno.ELOOP))
            self.fd = os.open(self.target, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise self.refuse("the target is a symbolic link",
                                  "a new or empty directory for the package, not a link to one") from None
            if exc.errno == errno.ENOTDIR:
                raise self.refuse("the target is a file" if self.target.is_file() else
                                  "the target exists and is not a directory") from None
            raise self.refuse(f"cannot open the target: {exc.strerror}") from None
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.made = False  # the other init's now: nothing of it is this one's to take back
            raise self.refuse("another claimpack init is writing a package into the target",
                              "a target no other init is writing into (run one at a time)") from None
        self.locked = True
        try:
            same = os.path.samestat(os.lstat(self.target), os.fstat(self.fd))
        except OSError:
            same = False
        if not same:  # removed or replaced between our open and our lock, by the init that held it
            self.made = self.locked = False
            raise self.refuse("the target was replaced while this init opened it",
                              "a target no other process is changing")
        staging = self.target / STAGING
        entries = os.listdir(self.target)
        stale = STAGING in entries and stat.S_ISDIR(os.lstat(staging).st_mode)
        if [entry for entry in entries if not (stale and entry == STAGING)]:
            self.made = self.locked = False  # someone else's files are in it: it stays as it is
            raise self.refuse("the target exists and is not an empty directory")
        if stale:
            shutil.rmtree(staging)  # a killed init's: its lock died with it, and we hold it now
        os.mkdir(staging)
        return staging

    def publish(self, staging: Path) -> None:
        """Move the package from staging into the target, its descriptor last, replacing nothing."""
        fault_points.point("init:staged")
        for folder, dirs, files in os.walk(staging):
            for name in (*dirs, *files):
                info = os.lstat(os.path.join(folder, name))
                self.ours.add((info.st_dev, info.st_ino))
        for entry in sorted(os.listdir(staging), key=lambda name: name == DESCRIPTOR):
            destination = self.target / entry
            try:
                _rename_new(staging / entry, destination)
            except FileExistsError:
                raise self.refuse(f"another process wrote {entry!r} into the target while init moved the package "
                                  "in; init took back what it wrote", "a target no other process writes into "
                                  "while init runs") from None
            self.moved.append(destination)
            fault_points.point("init:moving")
        os.rmdir(staging)

    def release(self, failed: bool) -> None:
        """Take back what this init wrote (when it failed), then unlock."""
        try:
            if failed and self.locked:
                shutil.rmtree(self.target / STAGING, ignore_errors=True)
                for path in self.moved:
                    self._take_back(path)
                if self.made:
                    with contextlib.suppress(OSError):  # only if empty: never what another process put there
                        os.rmdir(self.target)
            if failed:  # the folders it made above the target, while empty (another init's target keeps them)
                for parent in reversed(self.parents):
                    with contextlib.suppress(OSError):
                        os.rmdir(parent)
        finally:
            if self.fd is not None:
                os.close(self.fd)
                self.fd = None

    def _take_back(self, path: Path) -> None:
        """Remove what this init moved in at path, entry by entry: only what it staged (by device and inode),
        never a file another process wrote into one of its folders meanwhile (that folder stays, with it)."""
        try:
            info = os.lstat(path)
        except OSError:
            return
        if (info.st_dev, info.st_ino) not in self.ours:
            return
        if stat.S_ISDIR(info.st_mode):
            with contextlib.suppress(OSError):
                for name in os.listdir(path):
                    self._take_back(path / name)
            with contextlib.suppress(OSError):
                os.rmdir(path)  # only when empty
        else:
            with contextlib.suppress(OSError):
                os.unlink(path)


_RENAME_NOREPLACE = 1


def _rename_new(source: Path, destination: Path) -> None:
    """Rename source to destination only if nothing is there (renameat2 RENAME_NOREPLACE on Linux;
    elsewhere a check then a rename, under the target's lock)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        renameat2 = None
    if renameat2 is not None:
        renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        if renameat2(-100, os.fsencode(source), -100, os.fsencode(destination), _RENAME_NOREPLACE) == 0:
            return
        number = ctypes.get_errno()
        if number not in (errno.EINVAL, errno.ENOSYS):
            raise OSError(number, os.strerror(number), str(destination))
    if os.path.lexists(destination):
        raise OSError(errno.EEXIST, os.strerror(errno.EEXIST), str(destination))
    os.rename(source, destination)
