"""Run a reader of untrusted input in a child process, within a memory and time budget.

A paper is input claimpack did not write: a PDF whose content stream inflates to gigabytes, or
a page no parser finishes, must cost one clear refusal, not the machine. The child is a fork of
this process (nothing is imported again); its address space is capped at what it already uses
plus the budget, and its CPU time at the budget's seconds; the parent waits no longer than the
wall-clock allowance and kills it then. A ClaimpackError raised in the child is raised again
here, whole, and an OSError as the same system error; anything else the child raises is a refusal
that names the reader.
"""

from __future__ import annotations

import contextlib
import errno
import multiprocessing
import os
import resource
import signal
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .problems import ClaimpackError
from .stopping import name, stopping


@dataclass(frozen=True)
class Budget:
    """What a reader may spend: memory beyond what the process already holds, CPU seconds, wall seconds."""

    memory_bytes: int = 2 << 30
    cpu_seconds: int = 120
    wall_seconds: float = 180.0


def _address_space() -> int:
    """The bytes of address space this process maps now (Linux; 0 where unknown)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _limit(kind: int, value: int) -> None:
    _soft, hard = resource.getrlimit(kind)
    resource.setrlimit(kind, (value if hard == resource.RLIM_INFINITY else min(value, hard), hard))


def _near_limit(margin: int = 64 << 20) -> bool:
    """Whether this process maps nearly all the address space its limit allows (within margin)."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    return soft != resource.RLIM_INFINITY and _address_space() >= soft - margin


def _cpu_limit(seconds: int) -> int:
    """The CPU seconds a child given this budget really has: no more than this process's hard limit."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    return seconds if hard == resource.RLIM_INFINITY else min(seconds, hard)


def _child(connection, function: Callable[..., Any], args: tuple, budget: Budget) -> None:
    import faulthandler

    faulthandler.disable()  # a C library that aborts under the budget ends the child: the parent says so, in one
    # line (faulthandler, which pytest and python -X faulthandler enable, printed "Fatal Python error" and a stack)
    for number in stopping():  # a signal ends the child as the system ends it (its CPU budget is SIGXCPU);
        with contextlib.suppress(OSError, ValueError):  # the parent says so
            signal.signal(number, signal.SIG_DFL)
    try:
        _limit(resource.RLIMIT_AS, _address_space() + budget.memory_bytes)
        _limit(resource.RLIMIT_CPU, budget.cpu_seconds)
        try:
            connection.send(("ok", function(*args)))
        except ClaimpackError as error:
            connection.send(("refused", (error.problem, error.exit_code)))
        except OSError as error:  # the system refused (a full disk): the parent raises it as the fault it is
            if error.errno == errno.ENOMEM:  # a child process could not start within the budget
                connection.send(("memory", None))
            elif error.errno is None:  # an OSError of a library's, with a message and no number
                connection.send(("failed", " ".join(str(error).split())[:300]))
            else:
                connection.send(("system", (error.errno, error.strerror, error.filename)))
        except MemoryError:
            connection.send(("memory", None))
        except ImportError as error:  # a module's library could not be mapped into the budget's memory
            failed = "failed to map segment" in str(error) or "Cannot allocate memory" in str(error)
            connection.send(("memory", None) if failed else ("failed", f"ImportError: {error}"[:300]))
        except Exception as error:  # a reader's bug or a parser's failure on hostile input: one line
            if _near_limit():  # a C library that failed to allocate says so in its own way (SystemError, ...)
                connection.send(("memory", None))
            else:
                connection.send(("failed", f"{type(error).__name__}: {error}"[:300]))
    finally:
        connection.close()
        os._exit(0)  # never run the parent's exit handlers in the fork


def run_bounded(function: Callable[..., Any], *args: Any, label: str, what: str,
                budget: Budget | None = None, expected: str = "an input claimpack can read within its budget") -> Any:
    """Return function(*args), computed in a child process within the budget.

    `label` names the input (a path), `what` the work ("reading the PDF") and `expected` what would
    have fitted, in a refusal.
    """
    budget = budget or Budget()
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    # not a daemon: a reader may start children of its own (init runs the PDF reader and GX in its child);
    # the finally below kills and reaps it whatever happens
    child = context.Process(target=_child, args=(send, function, args, budget), daemon=False)
    spent = resource.getrusage(resource.RUSAGE_CHILDREN)
    child.start()
    send.close()
    try:
        if not receive.poll(budget.wall_seconds):
            raise ClaimpackError(f"{what} took longer than {budget.wall_seconds:.0f} s", file=label,
                                 expected=expected)
        try:
            status, value = receive.recv()
        except (EOFError, OSError):
            status, value = "died", None
    finally:
        with contextlib.suppress(OSError, ValueError):
            if child.is_alive():
                os.kill(child.pid, signal.SIGKILL)
        child.join()
        receive.close()
    if status == "ok":
        return value
    if status == "system":
        number, text, filename = value
        raise OSError(number, text, filename) if filename else OSError(number, text)
    if status == "refused":
        problem, code = value
        error = ClaimpackError(problem.message, file=problem.file or None, row=problem.row, field=problem.field,
                               expected=problem.expected)
        error.exit_code = code
        raise error
    cpu = _cpu_limit(budget.cpu_seconds)
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = used.ru_utime + used.ru_stime - spent.ru_utime - spent.ru_stime
    # past its soft CPU limit a process gets SIGXCPU; past the hard one (ulimit -t sets both), SIGKILL
    if child.exitcode == -signal.SIGXCPU or (child.exitcode == -signal.SIGKILL and seconds >= cpu - 0.5):
        raise ClaimpackError(f"{what} used more than its {cpu} s of CPU time", file=label, expected=expected)
    if status == "died" and child.exitcode is not None and (-child.exitcode in stopping()
                                                            or child.exitcode == -signal.SIGINT):
        raise ClaimpackError(f"{what} was stopped by {name(-child.exitcode)}", file=label, expected=expected)
    if status in ("memory", "died"):
        raise ClaimpackError(f"{what} needed more than its {budget.memory_bytes >> 20:,} MB of memory", file=label,
                             expected=expected)
    raise ClaimpackError(f"{what} failed: {value}", file=label, expected="an input its reader can parse")

