"""Named points where a test makes claimpack die, to prove that a killed command leaves nothing half-done.

With CLAIMPACK_FAULT=NAME the process kills itself with SIGKILL (no handler, no cleanup, as when
the machine loses power) the first time it reaches the point NAME; NAME@N kills it the N-th time.
NAME!TERM (or !HUP, !INT, !QUIT) sends that signal instead, as `timeout`, systemd or a closed
terminal would: the command cleans up and ends with one line. NAME!STOP stops the process there
(a test then does what another process might meanwhile, and sends SIGCONT). Outside tests the variable is unset
and a point costs one lookup.
"""

from __future__ import annotations

import os
import signal

ENVIRONMENT = "CLAIMPACK_FAULT"
POINTS = {
    "build:staging": "a build made its staging directory, and validates next",
    "init:staged": "init wrote the whole package into its staging directory, and moves it into the target next",
    "init:moving": "init moved one entry of the package into the target (the descriptor comes last)",
    "validate:expectations": "validation runs Great Expectations, after claimpack's own layers",
    "build:validated": "a build validated the package, and renders next",
    "render:written": "the built-in engine wrote one output (index.html, then report.pdf)",
    "build:rendered": "a build rendered the report into staging, and packages the data next",
    "build:packaged": "a build wrote the data zip and its manifest, and swaps the site in next",
    "build:swapped": "the new site took the old one's place; the old one is not yet removed",
    "write:renaming": "a file's new content is written beside it (with every other file of the same write), "
                      "and is renamed over it next",
    "verify:locked": "verify holds the log's lock and has written nothing",
    "verify:appended": "verify renamed the longer log and the descriptor with its hash into place, and holds the lock",
}
_reached: dict[str, int] = {}


def point(name: str) -> None:
    """Die here if CLAIMPACK_FAULT names this point (and this is the time it counts)."""
    wanted = os.environ.get(ENVIRONMENT)
    if not wanted or not wanted.startswith(name):
        return
    wanted, _, sent = wanted.partition("!")
    target, _, count = wanted.partition("@")
    if target != name:
        return
    _reached[name] = _reached.get(name, 0) + 1
    if _reached[name] == (int(count) if count.isdigit() else 1):
        os.kill(os.getpid(), getattr(signal, f"SIG{sent}", signal.SIGKILL) if sent else signal.SIGKILL)
