"""Where a package's files may be, and reading them safely: the descriptor's JSON, a path inside the
package (never a link out of it, a device or a FIFO), and text that must be UTF-8."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from ..system.files import kind_of
from ..system.problems import ClaimpackError

DESCRIPTOR = "datapackage.json"
MAX_DESCRIPTOR_BYTES = 5_000_000
MAX_JSON_DEPTH = 64


def _check_depth(value: Any, depth: int = 0) -> None:
    stack = [(value, depth)]
    while stack:
        node, level = stack.pop()
        if level > MAX_JSON_DEPTH:
            raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
        if isinstance(node, dict):
            stack.extend((child, level + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, level + 1) for child in node)


def read_json(path: Path, label: str) -> Any:
    """Read a JSON file we were handed, refusing oversized or pathologically nested input."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ClaimpackError(f"cannot read: {exc.strerror}", file=label) from None
    if size > MAX_DESCRIPTOR_BYTES:
        raise ClaimpackError(f"file is {size:,} bytes", file=label, expected=f"at most {MAX_DESCRIPTOR_BYTES:,}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ClaimpackError(f"not UTF-8 (byte {exc.start})", file=label, expected="UTF-8 text") from None
    return parse_json(text, label)


def parse_json(text: str, label: str, expected: str = "a JSON object") -> Any:
    """JSON text we were handed, refusing what is malformed or nested deeper than MAX_JSON_DEPTH."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise ClaimpackError("JSON nested too deeply", file=label,
                             expected=f"at most {MAX_JSON_DEPTH} levels") from None
    except json.JSONDecodeError as exc:
        raise ClaimpackError(f"invalid JSON: {exc.msg}", file=label, row=exc.lineno, expected=expected) from None
    try:
        _check_depth(data)
    except ValueError as exc:
        raise ClaimpackError(f"JSON {exc}", file=label, expected=f"at most {MAX_JSON_DEPTH} levels") from None
    return data


def safe_path(root: Path, rel: Any, label: str, field_name: str = "path", kind: str = "file") -> Path:
    """Resolve a package path, refusing anything but a relative path to a real file inside the package.

    Refused before anything is read: a URL, an absolute path, a NUL, a path that leaves the
    package, a symbolic link anywhere on the way (a link is followed by every reader, so one inside
    the package can still lead out of it, and its target is never echoed), and a path that exists
    but is not a `kind` ("file": a regular file; "directory"): a FIFO would make a reader wait
    forever, a device would never end.
    """
    if not isinstance(rel, str) or not rel:
        raise ClaimpackError("resource path is missing or not a string", file=label, field=field_name,
                             expected="a relative path inside the package")
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", rel) or rel.startswith("//"):
        raise ClaimpackError(f"remote path {rel!r} is not allowed", file=label, field=field_name,
                             expected="a local file inside the package")
    if os.path.isabs(rel) or rel.startswith("\\") or re.match(r"^[A-Za-z]:", rel):
        raise ClaimpackError(f"absolute path {rel!r} is not allowed", file=label, field=field_name,
                             expected="a relative path inside the package")
    if "\x00" in rel:
        raise ClaimpackError(f"path {rel!r} holds a NUL character", file=label, field=field_name,
                             expected="a relative path inside the package")
    inside = os.path.normpath(rel)
    if inside == ".." or inside.startswith(".." + os.sep) or inside == ".":
        raise ClaimpackError(f"path {rel!r} leaves the package", file=label, field=field_name,
                             expected="a relative path inside the package")
    current = root
    for part in Path(inside).parts:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            break  # a missing file is the layers' to report
        except OSError as exc:
            raise ClaimpackError(f"path {rel!r} cannot be inspected: {exc.strerror}", file=label, field=field_name,
                                 expected="a readable path inside the package") from None
        if stat.S_ISLNK(mode):
            link = current.relative_to(root)
            raise ClaimpackError(f"path {rel!r} goes through a symbolic link ({link})", file=label,
                                 field=field_name, expected="a real file inside the package, with no symbolic link "
                                 "on its way")
        if current != root / inside and not stat.S_ISDIR(mode):
            raise ClaimpackError(f"path {rel!r} goes through {current.relative_to(root)}, which is not a directory",
                                 file=label, field=field_name, expected="a relative path inside the package")
    else:
        wanted = stat.S_ISDIR if kind == "directory" else stat.S_ISREG
        if not wanted(mode):
            raise ClaimpackError(f"path {rel!r} is {kind_of(mode)}", file=label, field=field_name,
                                 expected="a directory" if kind == "directory" else "a regular file")
    return (root / inside).absolute()


# Profiles frictionless knows without fetching them: the official names and URLs. Any other
# profile or $schema would be fetched (a URL) or read (a local path) by frictionless.


def read_text(path: Path, rel: str, what: str) -> str:
    """A file of the package as UTF-8 text, or one ClaimpackError saying why it cannot be read."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ClaimpackError("file is missing", file=rel, expected=what) from None
    except IsADirectoryError:
        raise ClaimpackError("is a directory, not a file", file=rel, expected=what) from None
    except OSError as exc:
        raise ClaimpackError(f"cannot read: {exc.strerror}", file=rel, expected=what) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ClaimpackError(f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}", file=rel,
                             row=line, expected="UTF-8 text") from None
