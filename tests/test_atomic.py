"""Atomicity: a `claimpack build` or `claimpack verify` killed at any moment leaves the last good
output whole, and the next run cleans up after it.

The build is killed with SIGKILL (nothing runs after it: no handler, no cleanup) at fixed times
and at each step it announces, from validation to the swap; the verify is killed just before
each of its renames, by an audit hook in the real process, so the kill lands exactly between
writing the log and writing the descriptor.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import copy_package, run_claimpack, snapshot

pytestmark = pytest.mark.slow

PARTS = ("datapackage.json", "data", "validation", "report")
BUILD = ["build", "--engine", "builtin", "--force"]
# kill after this many seconds, or as soon as the build announces this step
KILL_AFTER_SECONDS = [1, 2, 4, 6]
KILL_AT_STEP = ["expectations: Great Expectations suites", "executing index.qmd", "rendering index.qmd -> index.html",
                "rendering index.qmd -> report.pdf", "packaging the data", "swapping the new site"]


def start(root: Path, *args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "claimpack", *args], cwd=root, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env=dict(os.environ, PYTHONWARNINGS="ignore", **(env or {})))


def kill(process: subprocess.Popen) -> None:
    """SIGKILL the command, then whatever children it left running (a kernel, frictionless)."""
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.stderr.close()


def kill_at_step(process: subprocess.Popen, step: str) -> bool:
    for line in process.stderr:
        if step in line:
            kill(process)
            return True
    process.wait()
    pytest.fail(f"the build ended (exit {process.returncode}) before announcing {step!r}")


def kill_after(process: subprocess.Popen, seconds: float) -> bool:
    """Kill the build after `seconds`; False if it had already ended (a fast machine)."""
    time.sleep(seconds)
    if process.poll() is not None:
        process.stderr.close()
        return False
    kill(process)
    return True


def whole(site: Path) -> bool:
    """Every output the site's manifest lists is there with its size."""
    manifest = json.loads((site / "build.json").read_text(encoding="utf-8"))
    return all((site / rel).is_file() and (site / rel).stat().st_size == info["bytes"]
               for rel, info in manifest["outputs"].items())


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_package(tmp_path_factory.mktemp("atomic") / "package", PARTS)
    result = run_claimpack(*BUILD, cwd=root, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return root


def test_a_killed_build_leaves_the_last_good_site_whole_and_the_next_build_cleans_up(built):
    site = built / "_site"
    good = snapshot(site)
    assert whole(site)
    kills = [(f"after {s}s", lambda p, s=s: kill_after(p, s)) for s in KILL_AFTER_SECONDS]
    kills += [(f"at {step!r}", lambda p, step=step: kill_at_step(p, step)) for step in KILL_AT_STEP]
    killed = 0
    for when, killer in kills:
        killed += killer(start(built, *BUILD))
        now = snapshot(site)
        if now != good:
            # the one moment a kill may land after the exchange: the new site is already whole
            assert when == f"at {KILL_AT_STEP[-1]!r}" and whole(site), f"killed {when}: _site is not the last good one"
            good = now
    assert killed >= len(KILL_AT_STEP)
    leftovers = sorted(p.name for p in built.iterdir() if p.name.startswith("_site."))
    assert leftovers, "no kill left a staging directory: the kills came too late to prove anything"
    result = run_claimpack(*BUILD, cwd=built, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(p.name for p in built.iterdir() if p.name.startswith(("_site", "._site"))) == ["_site"]
    assert whole(site) and snapshot(site) != good
    assert not [p for p in (built / "report").iterdir() if p.name.endswith(".tmp")]


# ---- verify ------------------------------------------------------------------------------------
KILLER = """
import os, signal, sys
target, seen = int(os.environ["KILL_AT_RENAME"]), [0]
def hook(event, args):
    if event == "os.rename":
        seen[0] += 1
        if seen[0] == target:
            os.kill(os.getpid(), signal.SIGKILL)
sys.addaudithook(hook)
from claimpack.cli import main
main(sys.argv[1:], prog_name="claimpack")
"""
VERDICT = ["verify", "fms-sales-latam-2010-2015", "--verdict", "disputed", "--by", "A. Checker",
           "--note", "Isacson and Kinosian, p. 81"]


def verify_killed_at_rename(root: Path, number: int) -> int:
    """Run a real `claimpack verify`, killed with SIGKILL just before its number-th rename."""
    result = subprocess.run([sys.executable, "-c", KILLER, *VERDICT], cwd=root, capture_output=True, text=True,
                            env=dict(os.environ, KILL_AT_RENAME=str(number)), timeout=120)
    return result.returncode


def log_is_valid(root: Path, before: bytes) -> bytes:
    """The log parses, its chain holds, and it is the old log or the old log and one whole row."""
    from claimpack.verifications.log import broken_links, parse_log
    from claimpack.verifications.schema import FIELDS

    log = (root / "data/verifications.csv").read_bytes()
    header, entries = parse_log(log.decode("utf-8"))
    assert tuple(header) == FIELDS
    assert list(broken_links(entries)) == []
    assert log == before or (log.startswith(before) and log.endswith(b"\n") and log[len(before):].count(b"\n") == 1)
    return log


@pytest.fixture
def checked(tmp_path) -> Path:
    root = copy_package(tmp_path / "package")
    result = run_claimpack(*VERDICT[:-1], "a first verdict", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def recorded_hash_is_current(root: Path) -> bool:
    import hashlib

    resource = next(r for r in json.loads((root / "datapackage.json").read_text(encoding="utf-8"))["resources"]
                    if r["name"] == "verifications")
    return resource["hash"] == f"sha256:{hashlib.sha256((root / resource['path']).read_bytes()).hexdigest()}"


def temporaries(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.tmp"))


@pytest.mark.parametrize("rename", [1, 2], ids=["before-the-log", "between-log-and-descriptor"])
def test_a_killed_verify_leaves_the_log_valid_and_the_next_write_cleans_up(checked, rename):
    before = (checked / "data/verifications.csv").read_bytes()
    descriptor = (checked / "datapackage.json").read_bytes()
    assert verify_killed_at_rename(checked, rename) == -signal.SIGKILL
    after = log_is_valid(checked, before)
    assert temporaries(checked)  # the killed writer could not remove its temporary file
    if rename == 1:  # killed before anything was renamed into place: nothing changed
        assert after == before and (checked / "datapackage.json").read_bytes() == descriptor
    else:  # the row is in the log, its hash not yet in the descriptor: the next verify rolls it forward
        assert after != before and not recorded_hash_is_current(checked)
    result = run_claimpack(*VERDICT, cwd=checked)
    assert result.returncode == 0, result.stderr
    log_is_valid(checked, after if rename == 2 else before)
    assert recorded_hash_is_current(checked)
    assert temporaries(checked) == []


def test_verifies_killed_at_any_time_never_leave_a_broken_log(checked):
    log = checked / "data/verifications.csv"
    killed = 0
    for delay in (0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1):  # a verify takes some 60 ms
        before = log.read_bytes()
        process = start(checked, *VERDICT)
        time.sleep(delay)
        if process.poll() is None:
            kill(process)
            killed += 1
        else:
            process.stderr.close()
        log_is_valid(checked, before)
    assert killed, "every verify ended before its kill: the delays prove nothing on this machine"
    result = run_claimpack(*VERDICT, cwd=checked)  # whatever the kills left, the next verify appends
    assert result.returncode == 0, result.stderr
    assert recorded_hash_is_current(checked) and temporaries(checked) == []
