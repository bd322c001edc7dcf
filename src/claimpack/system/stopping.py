"""The signals that end claimpack as Ctrl-C does: every signal whose default action ends a process.

Each is caught, so that the command lets go of its staging directory, lock and children and ends
with one line and exit 128 + the signal. Left to the system: SIGKILL and SIGSTOP (no process can
catch them), SIGINT (Python's own KeyboardInterrupt), SIGPIPE and SIGXFSZ (Python ignores them: a
write fails instead), and the signals of a fault in the process itself (SIGSEGV, SIGBUS, SIGFPE,
SIGILL, SIGTRAP, SIGSYS, SIGABRT), which no handler in Python can survive.
"""

from __future__ import annotations

import signal

_WHY = {"SIGTERM": "", "SIGHUP": " (its terminal closed)", "SIGQUIT": "",
        "SIGXCPU": " (its CPU time limit, ulimit -t)", "SIGUSR1": "", "SIGUSR2": "", "SIGALRM": "",
        "SIGVTALRM": " (a virtual timer)", "SIGPROF": " (a profiling timer)", "SIGIO": "", "SIGSTKFLT": "",
        "SIGPWR": " (a power failure)"}


def name(number: int) -> str:
    """A signal's name: SIGTERM, SIGRTMIN+3."""
    rtmin, rtmax = getattr(signal, "SIGRTMIN", None), getattr(signal, "SIGRTMAX", None)
    if rtmin is not None and rtmax is not None and rtmin < number < rtmax:
        return f"SIGRTMIN+{number - rtmin}"
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def stopping() -> dict[int, str]:
    """Each signal claimpack stops on, and what it says: {15: "stopped by SIGTERM", ...}."""
    found: dict[int, str] = {}
    for signal_name, why in _WHY.items():
        number = getattr(signal, signal_name, None)
        if number is not None and number not in found:
            found[number] = f"stopped by {signal_name}{why}"
    rtmin, rtmax = getattr(signal, "SIGRTMIN", None), getattr(signal, "SIGRTMAX", None)
    if rtmin is not None and rtmax is not None:
        for number in range(rtmin, rtmax + 1):
            found[number] = f"stopped by {name(number)}"
    return found
