"""Whether a process still runs: how claimpack tells a killed writer's leftovers from a live one's."""

from __future__ import annotations

import os


def process_running(pid: int) -> bool:
    """Is a process with this id still running (a writer whose temporary files must be left alone)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
