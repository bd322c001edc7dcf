"""An environment fault (a file size limit, a read-only file system) is one line with its cause, exit 3,
and changes nothing: never a traceback, never "invalid data", never a half-written file."""

from __future__ import annotations

import errno
import os
import resource
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, copy_package, invoke_claimpack, snapshot


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


@pytest.mark.parametrize("error", [errno.EIO, errno.ENOSPC, errno.ENOMEM])
def test_a_layer_the_system_fails_is_a_fault_not_invalid_data(tmp_path, monkeypatch, error):
    from claimpack.validation.layers import coverage

    package = copy_package(tmp_path / "package")

    def refused(_package):
        raise OSError(error, os.strerror(error), str(package / "data" / "source" / "paper.md"))

    monkeypatch.setattr(coverage, "check", refused)
    result = invoke_claimpack("validate", "--skip", "expectations", cwd=package)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "INVALID" not in result.stdout + result.stderr and "internal error" not in result.stderr
    assert result.stderr.splitlines()[-1] == (f"claimpack: environment fault, not a defect of the data: "
                                              f"{os.strerror(error)} ({package / 'data/source/paper.md'}); "
                                              "nothing was changed")


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


def _on_read_only_copy(tmp_path, *args: str) -> tuple[subprocess.CompletedProcess, dict, dict]:
    """Run claimpack ARGS in a copy of the package mounted read-only; the copy before and after."""
    package = copy_package(tmp_path / "package")
    before = snapshot(package)
    script = f"mount --bind {package} {package} && mount -o remount,bind,ro {package} && cd {package} && exec \"$@\""
    result = claimpack(*args, cwd=package, wrap=["unshare", "-m", "sh", "-c", script, "sh"])
    return result, before, snapshot(package)


@pytest.mark.skipif(not _read_only_mount_works(), reason="needs root and mount namespaces (unshare -m)")
def test_a_read_only_package_validates(tmp_path):
    """Validation only reads: the result it cannot save is simply not saved."""
    result, before, after = _on_read_only_copy(tmp_path, "validate", "--skip", "expectations")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid: 0 error(s)" in result.stderr and after == before


@pytest.mark.skipif(not _read_only_mount_works(), reason="needs root and mount namespaces (unshare -m)")
def test_a_verify_on_a_read_only_package_is_a_fault_and_changes_nothing(tmp_path):
    result, before, after = _on_read_only_copy(tmp_path, "verify", "fms-sales-latam-2010-2015", "--verdict",
                                               "confirmed", "--by", "A. Checker", "--note", "p. 81")
    assert result.returncode in (2, 3), result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Read-only file system" in lines[0] and "Traceback" not in result.stderr
    assert after == before


@pytest.mark.skipif(not _read_only_mount_works(), reason="needs root and mount namespaces (unshare -m)")
def test_data_docs_on_a_read_only_folder_are_a_fault_not_invalid_data(tmp_path):
    """A folder the Data Docs cannot be written to is the machine's fault, never a problem of the
    package (it read 'INVALID: 1 error')."""
    package = copy_package(tmp_path / "package")
    docs = tmp_path / "ro"
    docs.mkdir()
    script = f"mount --bind {docs} {docs} && mount -o remount,bind,ro {docs} && cd {package} && exec \"$@\""
    result = claimpack("validate", "--skip", "frictionless", "--docs", str(docs / "docs"), cwd=package,
                       wrap=["unshare", "-m", "sh", "-c", script, "sh"])
    assert result.returncode == 3, result.stdout + result.stderr
    assert "INVALID" not in result.stdout + result.stderr
    assert result.stderr.splitlines()[-1] == ("claimpack: environment fault, not a defect of the data: Read-only "
                                              f"file system ({docs / 'docs'}); nothing was changed")
