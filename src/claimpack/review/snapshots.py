"""The undo snapshots: what every file an action replaced held before it, kept for an exact undo.

Each action writes .claimpack/review/undo/ACTION.json: for every file it wrote (the reviews log
aside: it is never restored), the bytes before (zlib-compressed, base64) and the sha256 after, so
that an undo restores exactly and refuses when a file changed since.
"""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path

from ..model.integrity import atomic_write
from ..model.mutation import sha256_bytes


def pack(data: bytes) -> str:
    """A file's bytes as the undo snapshot keeps them: zlib-compressed, base64 (a claims file of a 500-record
    paper is a few hundred kB, and every action keeps the files it replaced)."""
    return base64.b64encode(zlib.compress(data, 6)).decode("ascii")


def unpack(text: str) -> bytes:
    return zlib.decompress(base64.b64decode(text))


def keep(directory: Path, action: int, files: dict[str, bytes | None], before: dict[str, bytes | None],
         log_rel: str) -> None:
    """Keep what every file held before the action, for an exact undo (the log itself is never restored)."""
    directory.mkdir(exist_ok=True)
    saved: dict = {"action": action, "files": {}}
    for rel, data in files.items():
        if rel == log_rel:
            continue
        old = before.get(rel)
        saved["files"][rel] = {"before": pack(old) if old is not None else None,
                               "after": sha256_bytes(data) if data is not None else None}
    atomic_write(directory / f"{action}.json", json.dumps(saved))


def snapshot(directory: Path | None, action: int) -> dict | None:
    """The files action `action` replaced, or None when they were not kept."""
    if directory is None or not (directory / f"{action}.json").is_file():
        return None
    try:
        return json.loads((directory / f"{action}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
