"""Validation never reaches the network: a guard that refuses every connection while it is on.

An audit hook (PEP 578) sees every socket connection, address lookup and urllib request the
process makes, whichever library makes it; while `offline()` is active each of them raises
NetworkRefused (an OSError, which libraries already handle as a failed connection). Unix
sockets stay allowed: they never leave the machine.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading

_EVENTS = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr", "socket.sendto",
           "socket.sendmsg", "urllib.Request"}
_state = threading.local()
_installed = False
_always = False
_lock = threading.Lock()


class NetworkRefused(PermissionError):
    """A connection attempted while claimpack works offline."""


def _refuse(event: str, args: tuple) -> None:
    if event not in _EVENTS or not (_always or getattr(_state, "depth", 0)):
        return
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg") and args:
        family = getattr(args[0], "family", None)
        if family == getattr(socket, "AF_UNIX", object()):
            return
    target = args[1] if event in ("socket.connect", "socket.sendto") and len(args) > 1 else (args[0] if args else "")
    raise NetworkRefused(f"claimpack works offline: refused {event} to {str(target)[:100]}")


def _install() -> None:
    global _installed
    with _lock:
        if not _installed:
            sys.addaudithook(_refuse)
            _installed = True


@contextlib.contextmanager
def offline():
    """Refuse every network connection this thread makes inside the block."""
    _install()
    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        yield
    finally:
        _state.depth -= 1


def offline_for_good() -> None:
    """Refuse every network connection of this process, in every thread, from now on (child processes)."""
    global _always
    _install()
    _always = True
