"""Atomicity: a `claimpack build` or `claimpack verify` killed at any point leaves the last good output
whole, and the next run cleans up after it.

Each command is killed at every named fault point on its way (claimpack.system.fault_points): with
CLAIMPACK_FAULT=NAME the real process kills itself with SIGKILL (nothing runs after it: no
handler, no cleanup) exactly there, so where the kill lands never depends on the machine's speed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from claimpack.system.fault_points import POINTS
from conftest import ROOT, copy_package, first_fast, run_claimpack, snapshot

PARTS = ("datapackage.json", "data", "validation", "report")
BUILD = ["build", "--engine", "builtin", "--force"]
# a build reaches these, in this order; render:written twice (index.html, then report.pdf)
BUILD_POINTS = ["build:staging", "validate:expectations", "build:validated", "render:written@1", "render:written@2",
                "build:rendered", "build:packaged", "build:swapped"]
VERDICT = ["verify", "fms-sales-latam-2010-2015", "--verdict", "disputed", "--by", "A. Checker",
           "--note", "Isacson and Kinosian, p. 81"]
# a verify reaches these, in this order: both temporary files are written, the log's is renamed
# (write:renaming@1), then the descriptor's (write:renaming@2), and the lock is still held
VERIFY_POINTS = ["verify:locked", "write:renaming@1", "write:renaming@2", "verify:appended"]
# init reaches these: its whole package is staged inside the target, then moved in entry by entry
INIT_POINTS = ["init:staged", "init:moving@1", "init:moving@3"]
WATER = ROOT / "tests" / "papers" / "water.md"
# the signals that end a command, and the line each ends it with (issue 22: SIGTERM left the staging
# directory behind and said nothing)
SIGNALS = {"TERM": "stopped by SIGTERM", "HUP": "stopped by SIGHUP (its terminal closed)",
           "QUIT": "stopped by SIGQUIT", "INT": "interrupted", "USR1": "stopped by SIGUSR1",
           "ALRM": "stopped by SIGALRM", "XCPU": "stopped by SIGXCPU (its CPU time limit, ulimit -t)",
           "VTALRM": "stopped by SIGVTALRM (a virtual timer)", "PROF": "stopped by SIGPROF (a profiling timer)",
           "IO": "stopped by SIGIO"}


def killed_at(point: str, root: Path, *args: str) -> subprocess.CompletedProcess:
    """Run a claimpack command that kills itself at a fault point; then kill whatever it left running.

    Output goes to files, not pipes: a child the command started (a kernel, frictionless) could
    hold a pipe open after the command itself is gone.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen([sys.executable, "-m", "claimpack", *args], cwd=root, stdout=out, stderr=err,
                                   start_new_session=True,
                                   env=dict(os.environ, PYTHONWARNINGS="ignore", CLAIMPACK_FAULT=point))
        process.wait(timeout=900)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(args, process.returncode, out.read(), err.read())


def test_every_fault_point_is_reached_by_a_test_and_named_in_the_code():
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "claimpack").rglob("*.py"))
    used = set(re.findall(r"fault_points\.point\(\"([^\"]+)\"\)", code))
    assert used == set(POINTS)
    tested = {point.split("@")[0] for point in BUILD_POINTS + VERIFY_POINTS + INIT_POINTS}
    assert tested == set(POINTS)


# ---- build -------------------------------------------------------------------------------------
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


@pytest.mark.slow
def test_a_build_killed_at_every_point_leaves_the_last_good_site_and_the_next_build_cleans_up(built):
    site = built / "_site"
    good = snapshot(site)
    assert whole(site)
    for point in BUILD_POINTS:
        result = killed_at(point, built, *BUILD)
        assert result.returncode == -signal.SIGKILL, f"{point}: {result.stderr[-2000:]}"
        if point == "build:swapped":  # killed after the exchange: the new site is already whole
            assert whole(site) and snapshot(site) != good
            good = snapshot(site)
        else:
            assert snapshot(site) == good, f"killed at {point}: _site is not the last good one"
        staging = sorted(p.name for p in built.iterdir() if p.name.startswith("_site.staging-"))
        assert staging, f"killed at {point}, the build left no staging directory to clean up"
    result = run_claimpack(*BUILD, cwd=built, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(p.name for p in built.iterdir() if p.name.startswith(("_site", "._site"))) == ["_site"]
    assert whole(site) and snapshot(site) != good
    assert not [p for p in (built / "report").iterdir() if p.name.endswith(".tmp")]


# ---- verify ------------------------------------------------------------------------------------
def log_is_valid(root: Path, before: bytes) -> bytes:
    """The log parses, its chain holds, and it is the old log or the old log and one whole row."""
    from claimpack.model.verifications.log import LOG
    from claimpack.model.verifications.schema import FIELDS

    log = (root / "data/verifications.csv").read_bytes()
    header, entries = LOG.parse(log.decode("utf-8"))
    assert tuple(header) == FIELDS
    assert list(LOG.broken_links(entries)) == []
    assert log == before or (log.startswith(before) and log.endswith(b"\n") and log[len(before):].count(b"\n") == 1)
    return log


@pytest.fixture
def checked(tmp_path) -> Path:
    root = copy_package(tmp_path / "package")
    result = run_claimpack(*VERDICT[:-1], "a first verdict", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def recorded_hash_is_current(root: Path) -> bool:
    resource = next(r for r in json.loads((root / "datapackage.json").read_text(encoding="utf-8"))["resources"]
                    if r["name"] == "verifications")
    return resource["hash"] == f"sha256:{hashlib.sha256((root / resource['path']).read_bytes()).hexdigest()}"


def temporaries(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.tmp"))


@pytest.mark.parametrize("point", VERIFY_POINTS)
def test_a_verify_killed_at_every_point_leaves_the_log_valid_and_the_next_write_cleans_up(checked, point):
    before = (checked / "data/verifications.csv").read_bytes()
    descriptor = (checked / "datapackage.json").read_bytes()
    assert killed_at(point, checked, *VERDICT).returncode == -signal.SIGKILL
    after = log_is_valid(checked, before)
    if point == "verify:appended":  # both renamed: the row and its hash are in place
        assert after != before and recorded_hash_is_current(checked)
    elif point == "write:renaming@2":  # the row is in the log, its hash not yet in the descriptor:
        # the next verify rolls it forward
        assert after != before and not recorded_hash_is_current(checked)
    else:  # killed before anything was renamed into place: nothing changed
        assert after == before and (checked / "datapackage.json").read_bytes() == descriptor
    # a killed writer cannot remove the temporary file it was about to rename
    assert bool(temporaries(checked)) == point.startswith("write:renaming")
    result = run_claimpack(*VERDICT, cwd=checked)
    assert result.returncode == 0, result.stderr
    log_is_valid(checked, after)
    assert recorded_hash_is_current(checked)
    assert temporaries(checked) == []


# ---- init ---------------------------------------------------------------------------------------
def test_every_signal_whose_default_ends_a_process_is_caught():
    """signal(7)'s "Term" and "Core" signals, but those no process can catch (KILL), Python's own (INT; PIPE
    and XFSZ, which it ignores) and a fault of the process itself: SIGVTALRM and SIGPROF once ended
    claimpack without a word, its staging, lock and children left behind."""
    from claimpack.system.stopping import stopping

    ends = {"HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
            "ALRM", "TERM", "STKFLT", "XCPU", "XFSZ", "VTALRM", "PROF", "IO", "PWR", "SYS"}
    left = {"KILL", "INT", "PIPE", "XFSZ", "ILL", "TRAP", "ABRT", "BUS", "FPE", "SEGV", "SYS"}
    expected = {getattr(signal, f"SIG{name}") for name in ends - left if hasattr(signal, f"SIG{name}")}
    expected |= set(range(signal.SIGRTMIN, signal.SIGRTMAX + 1))
    assert set(stopping()) == expected


@pytest.mark.parametrize(("sent", "point", "existing"), first_fast([
    ("TERM", "init:staged", False), ("HUP", "init:staged", True), ("QUIT", "init:staged", False),
    ("INT", "init:staged", True), ("TERM", "init:moving@1", True), ("TERM", "init:moving@3", False),
    ("HUP", "init:moving@3", True), ("USR1", "init:staged", False), ("ALRM", "init:moving@1", False),
    ("XCPU", "init:staged", True), ("VTALRM", "init:staged", False), ("PROF", "init:moving@1", True),
    ("IO", "init:staged", True)]))
def test_an_init_stopped_by_a_signal_takes_back_all_it_wrote_and_says_so(tmp_path, sent, point, existing):
    """SIGTERM (timeout, CI cancellation, systemd), SIGHUP (a closed terminal), SIGQUIT and SIGINT, sent
    while the package is staged or half moved in: one line, exit 128+n, the target as it was."""
    target = tmp_path / "target"
    if existing:
        target.mkdir()
    before = snapshot(tmp_path)
    result = killed_at(f"{point}!{sent}", tmp_path, "init", str(WATER), str(target))
    number = getattr(signal, f"SIG{sent}")
    assert result.returncode == 128 + number, result.stderr
    assert [line for line in result.stderr.splitlines() if not line.startswith("·")] == [
        f"claimpack: {SIGNALS[sent]}; nothing was changed"]
    assert snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == (["target"] if existing else [])
    if existing:
        assert list(target.iterdir()) == []


@pytest.mark.slow
def test_an_init_killed_while_staged_is_taken_back_by_the_next(tmp_path):
    """SIGKILL (no handler runs) while the package is staged: the target holds only init's staging, whose
    lock died with the process; the next init takes the target and writes a whole package."""
    target = tmp_path / "target"
    assert killed_at("init:staged", tmp_path, "init", str(WATER), str(target)).returncode == -signal.SIGKILL
    assert [p.name for p in target.iterdir()] == [".claimpack-init"]
    result = run_claimpack("init", str(WATER), str(target))
    assert result.returncode == 0, result.stderr
    assert not (target / ".claimpack-init").exists() and (target / "CITATION.cff").is_file()


@pytest.mark.slow
def test_an_init_killed_while_moving_in_leaves_what_the_next_init_refuses_in_one_line(tmp_path):
    """SIGKILL between two renames of the package into place: some entries are in, the descriptor (moved
    last) is not, so there is no package; the next init will not guess which files are whose."""
    target = tmp_path / "target"
    assert killed_at("init:moving@3", tmp_path, "init", str(WATER), str(target)).returncode == -signal.SIGKILL
    assert not (target / "datapackage.json").exists() and (target / ".claimpack-init").is_dir()
    result = run_claimpack("init", str(WATER), str(target))
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (f"claimpack: {target}: the target exists and is not an empty "
                                              "directory (expected a new or empty directory for the package)")


# ---- build, stopped by a signal ---------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize(("point", "sent"), [("build:staging", "TERM"), ("build:validated", "HUP"),
                                             ("render:written@1", "TERM"), ("build:packaged", "QUIT"),
                                             ("render:written@2", "INT")])
def test_a_build_stopped_by_a_signal_cleans_up_and_says_so(built, point, sent):
    site = built / "_site"
    good = snapshot(site)
    result = killed_at(f"{point}!{sent}", built, *BUILD)
    number = getattr(signal, f"SIG{sent}")
    assert result.returncode == 128 + number, result.stderr[-2000:]
    assert result.stderr.splitlines()[-1] == f"claimpack: {SIGNALS[sent]}; nothing was changed"
    assert snapshot(site) == good
    assert not [p.name for p in built.iterdir() if p.name.startswith("_site.staging-")]
