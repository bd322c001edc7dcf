"""Shared test helpers: copies of the real package, known-bad defects, and running the CLI for real."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
PACKAGE_PARTS = ("datapackage.json", "data", "validation")


def copy_package(target: Path, parts=PACKAGE_PARTS) -> Path:
    """Copy the real package (descriptor, data, validation) into target."""
    target.mkdir(parents=True, exist_ok=True)
    for part in parts:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("uncommitted", "__pycache__"))
        elif source.exists():
            shutil.copy2(source, target / part)
    return target


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A private copy of the real package."""
    return copy_package(tmp_path / "package")


def run_claimpack(*args: str, cwd: Path | None = None, timeout: float = 300, env: dict | None = None,
                  input: str | None = None) -> subprocess.CompletedProcess:
    """Run the real `claimpack` command in a child process."""
    environment = dict(os.environ, PYTHONWARNINGS="ignore", **(env or {}))
    return subprocess.run([sys.executable, "-m", "claimpack", *args], cwd=cwd or ROOT, capture_output=True,
                          text=True, timeout=timeout, env=environment, input=input)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root, for proving that a failed command changed nothing."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def apply_defect(root: Path, defect: dict) -> None:
    """Apply a fixture's edits to a package copy, then record new hashes unless the defect is the hash."""
    from claimpack.integrity import current_hashes, write_descriptor
    from claimpack.package import Package

    edited = []
    for edit in defect.get("edits", []):
        path = root / edit["file"]
        if "find" in edit:
            text = path.read_bytes().decode("utf-8")
            count = text.count(edit["find"])
            assert count == edit.get("count", 1), f"{edit['file']}: {edit['find']!r} occurs {count} times"
            path.write_bytes(text.replace(edit["find"], edit["replace"]).encode("utf-8"))
        elif "append" in edit:
            with path.open("ab") as handle:
                handle.write(edit["append"].encode("utf-8"))
        elif "content" in edit:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(edit["content"].encode("utf-8"))
        elif "hex" in edit:
            path.write_bytes(bytes.fromhex(edit["hex"]))
        elif "prepend_hex" in edit:
            path.write_bytes(bytes.fromhex(edit["prepend_hex"]) + path.read_bytes())
        elif "json" in edit:
            descriptor = json.loads(path.read_text(encoding="utf-8"))
            for pointer, value in edit["json"].items():
                _set_pointer(descriptor, pointer, value)
            path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8")
        elif edit.get("delete"):
            path.unlink()
        else:
            raise AssertionError(f"unknown edit {edit}")
        edited.append(edit["file"])
    if defect.get("rehash", True) and "datapackage.json" not in edited:
        package = Package.load(root)
        hashes = current_hashes(package)
        for resource in package.descriptor["resources"]:
            resource["hash"], resource["bytes"] = hashes[resource["name"]]
        write_descriptor(root, package.descriptor)


def _set_pointer(document, pointer: str, value) -> None:
    """Set a value at a JSON pointer like /resources/0/path ('-' deletes the key)."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.strip("/").split("/")]
    node = document
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = parts[-1]
    key = int(last) if isinstance(node, list) else last
    if value == "__delete__":
        del node[key]
    else:
        node[key] = value


def load_defects() -> list[tuple[str, dict]]:
    defects = []
    for path in sorted((FIXTURES / "bad").glob("*/defect.json")):
        defects.append((path.parent.name, json.loads(path.read_text(encoding="utf-8"))))
    return defects
