"""`build --out`, `validate --docs` and `export -o` write only to paths that are claimpack's own.

Every dangerous target is tried for real through the CLI: the package directory and its
ancestors, each kind of package file (descriptor, resource, paper, report source, suite,
exclusions), a directory of package files, a link, a FIFO, a device, a directory claimpack did
not write. Each is refused with one line and exit 2, and the package and the target are
byte-identical afterwards. The paths that are claimpack's (new, empty, marked) are accepted.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from claimpack.model.package import Package, archive_name
from claimpack.publish.outputs import (
    MARKER,
    OutputRefused,
    directory_target,
    file_target,
    mark_directory,
    mark_file,
)
from conftest import copy_package, run_claimpack, snapshot

# targets relative to the package directory; "{outside}" is a sibling directory of the package
DANGEROUS_DIRECTORIES = [".", "..", "data", "data/source", "validation", "validation/gx", "report",
                         "data/claims.csv", "datapackage.json", "report/index.qmd", "data/new-site",
                         "report/_site", "validation/gx/expectations", "{outside}/precious", "{outside}/link",
                         "{outside}/fifo", "/dev/null", "{outside}/file.txt", "{outside}/link-to-package/data"]
DANGEROUS_FILES = ["datapackage.json", "data/claims.csv", "data/source/paper.md", "report/index.qmd",
                   "report/_quarto.yml", "validation/coverage-exclusions.csv", "validation/gx/expectations/claims.json",
                   "data/new.csv", "report/new.html", ".", "data", "{outside}/precious", "{outside}/link",
                   "{outside}/fifo", "/dev/null", "{outside}/file.txt", "{outside}/link-to-package/data/x.csv"]


@pytest.fixture
def setting(tmp_path: Path) -> tuple[Path, Path]:
    """A package copy with report/, and beside it things a user would hate to lose."""
    root = copy_package(tmp_path / "package", ("datapackage.json", "data", "validation", "report"))
    outside = tmp_path / "outside"
    (outside / "precious").mkdir(parents=True)
    (outside / "precious" / "thesis.tex").write_text("years of work\n", encoding="utf-8")
    (outside / "file.txt").write_text("a user's file\n", encoding="utf-8")
    (outside / "link").symlink_to(outside / "precious")
    (outside / "link-to-package").symlink_to(root)
    os.mkfifo(outside / "fifo")
    return root, outside


def _target(text: str, outside: Path) -> str:
    return text.replace("{outside}", str(outside))


def _state(root: Path, outside: Path) -> tuple[dict, dict, set]:
    kinds = {str(p.relative_to(outside)): (p.is_symlink(), p.is_fifo()) for p in outside.rglob("*")}
    return snapshot(root), {k: v for k, v in snapshot(outside).items() if "fifo" not in k}, set(kinds.items())


@pytest.mark.parametrize("target", DANGEROUS_DIRECTORIES)
def test_build_refuses_every_dangerous_out(setting, target):
    root, outside = setting
    before = _state(root, outside)
    result = run_claimpack("build", ".", "--out", _target(target, outside), "--engine", "builtin", cwd=root,
                           timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("claimpack: refusing to write --out ")
    assert "Traceback" not in result.stderr
    assert _state(root, outside) == before


@pytest.mark.parametrize("target", DANGEROUS_FILES)
def test_export_refuses_every_dangerous_o(setting, target):
    root, outside = setting
    before = _state(root, outside)
    result = run_claimpack("export", "csv", "-o", _target(target, outside), cwd=root, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("claimpack: refusing to write -o ")
    assert _state(root, outside) == before


@pytest.mark.parametrize("target", ["data", ".", "report", "{outside}/precious", "{outside}/fifo"])
def test_validate_docs_refuses_a_directory_that_is_not_its_own(setting, target):
    root, outside = setting
    before = _state(root, outside)
    result = run_claimpack("validate", ".", "--docs", _target(target, outside), "--skip", "frictionless",
                           cwd=root, timeout=300)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("claimpack: refusing to write --docs ")
    assert _state(root, outside) == before


def test_force_never_reaches_the_package(setting):
    root, outside = setting
    before = _state(root, outside)
    for target in ("data/claims.csv", "datapackage.json", "{outside}/link", "{outside}/fifo"):
        result = run_claimpack("export", "csv", "-o", _target(target, outside), "--force", cwd=root)
        assert result.returncode == 2, target
    assert _state(root, outside) == before


def test_claimpacks_own_paths_are_accepted(setting, tmp_path):
    root, _outside = setting
    package = Package.load(root)
    assert directory_target(package, root / "_site") == root.resolve() / "_site"  # the default, new
    assert directory_target(package, tmp_path / "new" / "site") == (tmp_path / "new" / "site").resolve()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert directory_target(package, empty) == empty.resolve()
    (empty / "page.html").write_text("x", encoding="utf-8")
    with pytest.raises(OutputRefused):
        directory_target(package, empty)
    mark_directory(empty)
    assert (empty / MARKER).is_file()
    assert directory_target(package, empty) == empty.resolve()
    exported = tmp_path / "claims.csv"
    assert file_target(package, exported) == exported.resolve()
    exported.write_text("id\n", encoding="utf-8")
    with pytest.raises(OutputRefused):
        file_target(package, exported)
    assert file_target(package, exported, force=True) == exported.resolve()
    mark_file(exported)
    assert file_target(package, exported) == exported.resolve()
    exported.write_text("id\nedited by hand\n", encoding="utf-8")
    with pytest.raises(OutputRefused, match="edited since"):
        file_target(package, exported)


def test_an_export_can_be_repeated_but_never_replaces_a_users_edit(tmp_path):
    target = tmp_path / "claims.csv"
    assert run_claimpack("export", "csv", "-o", str(target)).returncode == 0
    first = target.read_bytes()
    assert run_claimpack("export", "csv", "-o", str(target)).returncode == 0
    assert target.read_bytes() == first
    target.write_bytes(first + b"my notes\n")
    result = run_claimpack("export", "csv", "-o", str(target))
    assert result.returncode == 2 and target.read_bytes() == first + b"my notes\n"


@pytest.mark.parametrize(("descriptor", "expected"), [
    ({"name": "samanez-2020", "version": "1.1.0"}, "samanez-2020-1.1.0.zip"),
    ({"name": "../../../etc/cron.d/evil", "version": "1"}, "etc-cron.d-evil-1.zip"),
    ({"name": "/abs/path", "version": "../.."}, "abs-path.zip"),
    ({"name": "..", "version": ""}, "package.zip"),
    ({"name": 42, "version": None}, "package.zip"),
    ({"name": "a\x00b\nc", "version": "1\\2"}, "a-b-c-1-2.zip"),
])
def test_the_zip_is_named_safely(descriptor, expected):
    name = archive_name(descriptor)
    assert name == expected
    assert "/" not in name and not name.startswith(".") and Path(name).name == name


@pytest.mark.slow
def test_docs_replace_a_marked_directory_whole_never_writing_through_its_links(setting, tmp_path):
    """A directory claimpack wrote may hold links planted since: the Data Docs are built beside it and
    swapped in whole, so nothing is written through them."""
    root, _outside = setting
    docs, victim = tmp_path / "docs", tmp_path / "victim"
    docs.mkdir()
    victim.mkdir()
    (victim / "keep.txt").write_text("a user's file\n", encoding="utf-8")
    mark_directory(docs)
    (docs / "static").symlink_to(victim)
    (docs / "index.html").symlink_to(victim / "keep.txt")
    result = run_claimpack("validate", ".", "--docs", str(docs), "--skip", "frictionless", cwd=root, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in victim.iterdir()) == ["keep.txt"]
    assert (victim / "keep.txt").read_text(encoding="utf-8") == "a user's file\n"
    assert (docs / MARKER).is_file() and (docs / "index.html").is_file() and not (docs / "index.html").is_symlink()
    assert not list(tmp_path.glob(".docs.docs-*"))
