"""The example papers shipped inside claimpack, for `claimpack example`: a paper to try `init` on
after `pip install`, with no checkout of the repository."""

from __future__ import annotations

import os
import tempfile
from importlib import resources
from pathlib import Path

from ..system.problems import ClaimpackError

# name -> what it is, one line each (the files are claimpack/assets/examples/<name>)
EXAMPLES = {
    "water.md": "a short paper in Markdown (two authors, four sections, six notes citing three works, "
                "Ibid. among them): the README's worked example",
}


def example_text(name: str) -> bytes:
    """The bytes of one example paper."""
    if name not in EXAMPLES:
        raise ClaimpackError(f"there is no example named {name!r}", expected=" or ".join(EXAMPLES))
    return resources.files("claimpack").joinpath("assets", "examples", name).read_bytes()


def write_example(name: str, destination: Path | None = None) -> Path:
    """Write the example `name` to destination (a new file, or a directory to write it into; default
    the current directory), whole or not at all; an existing file is never replaced."""
    data = example_text(name)
    target = Path(destination) if destination is not None else Path(name)
    if target.is_dir():
        target = target / name
    if target.exists() or target.is_symlink():
        raise ClaimpackError("the file exists; claimpack example never replaces a file", file=str(target),
                             expected="a new path")
    folder = target.parent
    if not folder.is_dir():
        raise ClaimpackError("no such directory", file=str(folder), expected="an existing directory")
    handle, scratch = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(scratch, 0o644)
        os.link(scratch, target)  # fails, rather than replaces, should the file appear meanwhile
    except FileExistsError:
        raise ClaimpackError("the file exists; claimpack example never replaces a file", file=str(target),
                             expected="a new path") from None
    finally:
        os.unlink(scratch)
    return target
