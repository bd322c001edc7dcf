"""The chart converter, vl-convert, in a child process of its own.

vl-convert draws Vega-Lite charts with V8, inside the process that calls it. When V8 cannot
reserve its heap (a memory limit such as `ulimit -v`), it aborts that whole process with a
61-line stack trace ("Fatal process out of memory: Oilpan: CagedHeap reservation"), and a build
died without a word, its staging directory left behind. Here V8 runs in a child, started on
first use and kept for the process's other charts: if it dies, the build is stopped with one
line, exit 3 (the machine, not the data), and cleans up as after any other fault.

    python -m claimpack.render.converter    (the child: one JSON request a line on stdin, one answer a line)
"""

from __future__ import annotations

import atexit
import json
import os
import select
import subprocess
import sys
import tempfile
from typing import Any

from ..system.problems import EnvironmentFault

WAIT_SECONDS = 300  # one chart, or the bundle, in this long or the converter is stopped

_child: subprocess.Popen | None = None
_log = None


def svg(spec: dict[str, Any]) -> str:
    """The chart drawn as SVG (vl_convert.vegalite_to_svg)."""
    return _ask({"op": "svg", "spec": spec})


def javascript_bundle() -> str:
    """vega, vega-lite and vega-embed in one script (vl_convert.javascript_bundle)."""
    return _ask({"op": "bundle"})


def _start() -> subprocess.Popen:
    global _log
    _log = tempfile.TemporaryFile(mode="w+b")  # noqa: SIM115 - closed in _close
    # -P and cwd /: no module of the folder claimpack runs in is imported into the child
    child = subprocess.Popen([sys.executable, "-P", "-m", "claimpack.render.converter"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=_log, cwd="/",
                             env=dict(os.environ, PYTHONWARNINGS="ignore"))
    atexit.register(_close)
    return child


def _ask(request: dict) -> Any:
    global _child
    if _child is None or _child.poll() is not None:
        _child = _start()
    child = _child
    line = b""
    try:
        child.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
        child.stdin.flush()
        ready, _, _ = select.select([child.stdout], [], [], WAIT_SECONDS)
        line = child.stdout.readline() if ready else b""
        if not ready:
            child.kill()
    except OSError:  # the child is gone (its pipe broke)
        line = b""
    if not line:
        cause = _cause(child)
        _close()
        raise EnvironmentFault(f"environment fault, not a defect of the data: the chart converter (vl-convert) "
                               f"stopped: {cause} (its V8 engine reserves gigabytes of address space: raise or lift "
                               "ulimit -v); nothing was changed")
    answer = json.loads(line)
    if "error" in answer:
        raise ValueError(answer["error"])
    return answer["result"]


def _cause(child: subprocess.Popen) -> str:
    """The child's own first meaningful line ("Fatal process out of memory: Oilpan: CagedHeap reservation")."""
    try:
        code = child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
        code = child.wait()
    text = ""
    if _log is not None:
        _log.seek(0)
        text = _log.read(64_000).decode("utf-8", "replace")
    lines = [line.strip(" #") for line in text.splitlines() if line.strip(" #")]
    fatal = next((line for line in lines if "Fatal" in line or "Error" in line), lines[0] if lines else "")
    if code is not None and code < 0:
        import signal

        ended = f"killed by {signal.Signals(-code).name}" if -code in signal.Signals._value2member_map_ else \
            f"killed by signal {-code}"
    else:
        ended = f"exit {code}"
    if code == -9 and not fatal:
        return f"it took longer than {WAIT_SECONDS} s, or was killed"
    return f"{fatal[:200]} ({ended})" if fatal else ended


def _close() -> None:
    global _child, _log
    child, _child = _child, None
    if child is not None:
        try:
            child.stdin.close()
            child.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            child.kill()
            child.wait()
        if child.stdout is not None:
            child.stdout.close()
    if _log is not None:
        _log.close()
        _log = None


def main() -> None:
    """The child: answer each request line with one line of JSON; anything V8 prints goes to stderr."""
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    import vl_convert

    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request.get("op") == "bundle":
                result = vl_convert.javascript_bundle()
            else:
                result = vl_convert.vegalite_to_svg(request["spec"])
            answer = {"result": result}
        except Exception as error:  # a spec it cannot draw: the caller raises it as vl-convert would
            answer = {"error": f"{type(error).__name__}: {error}"}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


if __name__ == "__main__":
    main()
