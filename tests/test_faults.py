"""An environment fault (a file size limit, a read-only file system) is one line with its cause, exit 3,
and changes nothing: never a traceback, never "invalid data", never a half-written file."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, snapshot


def claimpack(*args: str, cwd=ROOT, fsize: int | None = None, wrap: list[str] | None = None):
    def limit():
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    command = [*(wrap or []), sys.executable, "-m", "claimpack", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300, preexec_fn=limit,
                          env=dict(os.environ, PYTHONWARNINGS="ignore"))


def test_a_file_size_limit_is_a_fault_and_leaves_nothing(tmp_path):
    result = claimpack("export", "csv", "-p", str(ROOT), "-o", str(tmp_path / "claims.csv"), fsize=1000)
    assert result.returncode == 3, result.stderr
    assert result.stderr.splitlines() == ["claimpack: environment fault, not a defect of the data: File too large; "
                                          "nothing was changed"]
    assert list(tmp_path.iterdir()) == []


def _read_only_mount_works() -> bool:
    if not shutil.which("unshare") or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _read_only_mount_works(), reason="needs root and mount namespaces (unshare -m)")
def test_a_read_only_file_system_is_a_fault(tmp_path):
    target = tmp_path / "ro"
    target.mkdir()
    (target / "keep.txt").write_text("kept\n", encoding="utf-8")
    before = snapshot(target)
    script = (f"mount --bind {target} {target} && mount -o remount,bind,ro {target} && "
              f"exec \"$@\"")
    result = claimpack("export", "csv", "-p", str(ROOT), "-o", str(target / "claims.csv"),
                       wrap=["unshare", "-m", "sh", "-c", script, "sh"])
    assert result.returncode == 3, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Read-only file system" in lines[0] and "Traceback" not in result.stderr
    assert snapshot(target) == before
