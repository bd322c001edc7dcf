"""Names are names: no file name a paper carries, or a user types, reaches a child process as an option.

Issue 22: `reading.run_pandoc` put the paper's path after pandoc's options with no `--`, so a
Markdown paper whose metadata named the bibliography `-Levil.bib` made pandoc load `evil.bib` as
a Lua filter (code run as the user), `-o/some/file` made it write over that file, and a paper
named `-Levil.md` did the same. Every route is tried here, for every child claimpack starts:
pandoc (reading the paper and its bibliography, rendering the report), the PDF reader's child,
Typst and the chart converter (the built-in engine), the frictionless child and Quarto. Each
hostile name must be read as the plain file it names (or refused in one line), and no payload
may run or write.

Also here: a paper that is a symbolic link is refused (init would publish what it points at),
and inits run at the same time into one target leave one whole package and one-line refusals.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_package, first_fast, require_quarto, run_claimpack, snapshot

WATER = ROOT / "tests" / "papers" / "water.md"
LUA = 'local f = io.open("{marker}", "w") f:write("ran") f:close()\n'
BIB = "@book{weeks2008, author={Weeks, Gregory}, title={Relations}, year={2008}}\n"


def lua(path: Path, marker: Path) -> None:
    """A file that runs Lua (writing marker) if pandoc is ever made to load it as a filter."""
    path.write_text(LUA.format(marker=marker), encoding="utf-8")


def init_in(folder: Path, paper: str, *extra: str) -> subprocess.CompletedProcess:
    """`claimpack init -- PAPER out` run in the paper's folder, the paper named as the user would."""
    return run_claimpack("init", "--", paper, "out", *extra, cwd=folder)


# ---- pandoc, reading a paper -------------------------------------------------------------------------
BIBLIOGRAPHY_ROUTES = {
    "markdown, a short option": ("paper.md", "---\ntitle: Water\nbibliography: {name}\n---\n\nIn 2019 the town "
                                             "spent $18.5 million [@weeks2008].\n", "-Levil.bib"),
    # (pandoc's Markdown reads the "--" of a metadata string as a dash: the name reaches no reader as "--")
    "markdown, a long option": ("paper.md", "---\ntitle: Water\nbibliography: \"{name}\"\n---\n\nIn 2019 the town "
                                            "spent $18.5 million [@weeks2008].\n", "--lua-filter=evil.bib"),
    "markdown, a list": ("paper.md", "---\ntitle: Water\nbibliography:\n  - refs.bib\n  - \"{name}\"\n---\n\n"
                                     "In 2019 the town spent $18.5 million [@weeks2008].\n", "-Levil.bib"),
    "latex \\bibliography": ("paper.tex", "\\documentclass{{article}}\n\\title{{Water}}\n\\begin{{document}}\n"
                                          "\\maketitle\n\\section{{Costs}}\nIn 2019 the town spent \\$18.5 million "
                                          "\\cite{{weeks2008}}.\n\\bibliography{{{stem}}}\n\\end{{document}}\n",
                             "-Levil.bib"),
    "latex \\addbibresource": ("paper.tex", "\\documentclass{{article}}\n\\title{{Water}}\n\\addbibresource{{{name}}}"
                                            "\n\\begin{{document}}\n\\maketitle\n\\section{{Costs}}\nIn 2019 the town "
                                            "spent \\$18.5 million \\cite{{weeks2008}}.\n\\end{{document}}\n",
                               "--lua-filter=evil.bib"),
}


@pytest.mark.parametrize("route", first_fast(list(BIBLIOGRAPHY_ROUTES)))
def test_a_bibliography_named_like_an_option_is_read_as_a_file(tmp_path, route):
    paper, text, name = BIBLIOGRAPHY_ROUTES[route]
    marker = tmp_path / "PWNED"
    (tmp_path / paper).write_text(text.format(name=name, stem=name.removesuffix(".bib")), encoding="utf-8")
    (tmp_path / name).write_text(BIB, encoding="utf-8")
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    lua(tmp_path / "evil.bib", marker)
    result = init_in(tmp_path, paper)
    assert not marker.exists(), "pandoc ran the paper's Lua"
    assert result.returncode == 0, result.stderr
    if "--" not in name or paper.endswith(".tex"):  # the bibliography was read, as the file it names
        assert "Relations" in (tmp_path / "out" / "data" / "sources.csv").read_text(encoding="utf-8")
    assert run_claimpack("validate", "out", "--skip", "expectations", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("name", first_fast(["-Levil.md", "--lua-filter=evil.md", "-Levil.docx", "--help.html",
                                              "-.tex", "--.pdf"]))
def test_a_paper_named_like_an_option_is_read_as_a_file(tmp_path, name):
    marker = tmp_path / "PWNED"
    suffix = Path(name).suffix
    lua(tmp_path / f"evil{suffix}", marker)
    paper = tmp_path / name
    if suffix == ".md":
        shutil.copyfile(WATER, paper)
    else:  # the same paper, written in the format the name says, by pandoc (and Typst for the PDF)
        made = tmp_path / ("made.typ" if suffix == ".pdf" else f"made{suffix}")
        subprocess.run([_pandoc(), "--from=markdown", "--to=" + {".docx": "docx", ".html": "html", ".tex": "latex",
                                                                  ".pdf": "typst"}[suffix],
                        "--standalone", f"--output={made}", "--", str(WATER)], check=True, capture_output=True)
        if suffix == ".pdf":
            import typst

            typst.compile(str(made), output=str(paper))
        else:
            made.rename(paper)
    result = init_in(tmp_path, name)
    assert not marker.exists(), "pandoc ran the paper's Lua"
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "data" / "source" / f"paper{suffix}").read_bytes() == paper.read_bytes()


def _pandoc() -> str:
    from claimpack.text.reading import pandoc_path

    return pandoc_path()


# ---- 2. a bibliography named like an output option overwrites nothing --------------------------------
@pytest.mark.parametrize("option", ["-o", "--output="])
@pytest.mark.slow
def test_a_bibliography_named_like_an_output_option_writes_nothing(tmp_path, option):
    victim = tmp_path / "home" / "config.yaml"
    victim.parent.mkdir()
    victim.write_text("the user's settings\n", encoding="utf-8")
    folder = tmp_path / "paper"
    folder.mkdir()
    # "-o/ABSOLUTE/config.yaml" passes every check of a name inside the paper's folder when the folder
    # holds that path: pandoc once read it as "write the output to /ABSOLUTE/config.yaml"
    name = f"{option}{victim}"
    planted = folder / name.lstrip("/")
    planted.parent.mkdir(parents=True)
    planted.write_text(BIB, encoding="utf-8")
    local = folder / f"{option}config.yaml"  # the same, into the current directory
    local.write_text(BIB, encoding="utf-8")
    (folder / "config.yaml").write_text("the folder's own settings\n", encoding="utf-8")
    for bibliography in (name, local.name):
        (folder / "paper.md").write_text(f"---\ntitle: Water\nbibliography: \"{bibliography}\"\n---\n\nIn 2019 the "
                                         "town spent $18.5 million.\n", encoding="utf-8")
        shutil.rmtree(folder / "out", ignore_errors=True)
        result = init_in(folder, "paper.md")
        assert result.returncode == 0, result.stderr
        assert victim.read_text(encoding="utf-8") == "the user's settings\n"
        assert (folder / "config.yaml").read_text(encoding="utf-8") == "the folder's own settings\n"


# ---- every other child, with a package or an output named like an option -------------------------------
@pytest.fixture
def odd_package(tmp_path) -> Path:
    """The second test package in a folder named like an option, in a folder of its own."""
    from conftest import second_package

    return copy_package(tmp_path / "--help", ("datapackage.json", "data", "validation", "report", "README.md",
                                              "CITATION.cff"), second_package())


@pytest.mark.slow
def test_validate_runs_the_frictionless_child_on_a_package_named_like_an_option(odd_package):
    result = run_claimpack("validate", "--", odd_package.name, cwd=odd_package.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "frictionless ok" in result.stderr


def test_validate_runs_no_module_a_package_plants_for_its_children(odd_package):
    """The frictionless child runs in the package's folder: a claimpack/ or resource.py there is not imported."""
    marker = odd_package.parent / "PWNED"
    payload = f"open({str(marker)!r}, 'w').write('ran')\n"
    for module in ("resource.py", "frictionless.py", "warnings.py"):
        (odd_package / module).write_text(payload, encoding="utf-8")
    (odd_package / "claimpack" / "layers").mkdir(parents=True)
    for module in ("claimpack/__init__.py", "claimpack/layers/__init__.py", "claimpack/layers/frictionless_child.py"):
        (odd_package / module).write_text(payload, encoding="utf-8")
    result = run_claimpack("validate", "--skip", "expectations", "--", odd_package.name, cwd=odd_package.parent)
    assert not marker.exists(), "a module of the package ran"
    assert "frictionless ok" in result.stderr, result.stdout + result.stderr


@pytest.mark.slow
def test_the_builtin_engine_builds_a_package_named_like_an_option_into_an_output_named_like_one(odd_package):
    """pandoc, Typst and the chart converter, with the package `--help` and the output `-o`."""
    before = snapshot(odd_package)
    result = run_claimpack("build", "--engine", "builtin", "--out", "-o", "--", odd_package.name,
                           cwd=odd_package.parent, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    site = odd_package.parent / "-o"
    assert (site / "index.html").is_file() and (site / "report.pdf").read_bytes().startswith(b"%PDF")
    assert snapshot(odd_package) == {**before, **{k: v for k, v in snapshot(odd_package).items()
                                                 if k.startswith("report/")}}


@pytest.mark.slow
def test_quarto_builds_a_package_named_like_an_option(odd_package):
    require_quarto()
    result = run_claimpack("build", "--engine", "quarto", "--html-only", "--out", "--version", "--",
                           odd_package.name, cwd=odd_package.parent, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (odd_package.parent / "--version" / "index.html").is_file()


# ---- 4. a paper that is a symbolic link ------------------------------------------------------------------
@pytest.mark.parametrize("points_at", ["/etc/passwd", "real.md"])
def test_a_paper_that_is_a_symbolic_link_is_refused(tmp_path, points_at):
    shutil.copyfile(WATER, tmp_path / "real.md")
    (tmp_path / "paper.md").symlink_to(points_at)
    before = snapshot(tmp_path)
    result = run_claimpack("init", "paper.md", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["claimpack: paper.md: the paper is a symbolic link (expected the paper "
                                          "file itself, not a link to one (copy the file))"]
    assert snapshot(tmp_path) == before and not (tmp_path / "out").exists()


# ---- 3. inits at the same time into one target ------------------------------------------------------
HELD = "another claimpack init is writing a package into the target"
FULL = "the target exists and is not an empty directory"


@pytest.mark.parametrize("existing", [True, False], ids=["existing-empty-target", "new-target"])
@pytest.mark.slow
def test_inits_at_the_same_time_leave_one_whole_package_and_one_line_refusals(tmp_path, existing):
    reference = tmp_path / "reference"
    assert run_claimpack("init", str(WATER), str(reference)).returncode == 0
    expected = sorted(str(p.relative_to(reference)) for p in reference.rglob("*"))
    for trial in range(4):
        target = tmp_path / f"target-{trial}"
        if existing:
            target.mkdir()
        processes = [subprocess.Popen([sys.executable, "-m", "claimpack", "init", str(WATER), str(target)],
                                      cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for _ in range(3)]
        results = [(p.wait(timeout=600), *p.communicate()) for p in processes]
        winners = [r for r in results if r[0] == 0]
        assert len(winners) == 1, results
        for code, _out, err in results:
            if code != 0:
                lines = [line for line in err.splitlines() if not line.startswith("·")]
                assert code == 2 and len(lines) == 1, err
                assert lines[0] in (f"claimpack: {target}: {HELD} (expected a target no other init is writing "
                                    "into (run one at a time))", f"claimpack: {target}: {FULL} (expected a new or "
                                    "empty directory for the package)"), lines
        assert sorted(str(p.relative_to(target)) for p in target.rglob("*")) == expected
        assert run_claimpack("validate", str(target), "--skip", "expectations").returncode == 0


def test_a_second_init_while_one_holds_the_target_changes_nothing(tmp_path):
    """The one-line refusal, while the first init is certainly still at work (its lock held)."""
    import fcntl
    import os

    target = tmp_path / "target"
    target.mkdir()
    holder = os.open(target, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)  # as a running init holds it
        (target / ".claimpack-init").mkdir()  # and its staging
        before = snapshot(tmp_path)
        result = run_claimpack("init", str(WATER), str(target))
        assert result.returncode == 2
        assert [line for line in result.stderr.splitlines() if not line.startswith("·")] == [
            f"claimpack: {target}: {HELD} (expected a target no other init is writing into (run one at a time))"]
        assert snapshot(tmp_path) == before and (target / ".claimpack-init").is_dir()
    finally:
        os.close(holder)


def _stopped(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            return handle.read().rpartition(")")[2].split()[0] == "T"
    except OSError:
        return False


@pytest.mark.slow
def test_a_failed_init_takes_back_only_what_it_wrote(tmp_path):
    """Another process writes into the target while init moves its package in (init stopped after its
    second entry, as a scheduler might stop it): init refuses in one line, takes back what it moved, and
    leaves every file the other process wrote, in init's own folders too (a rollback once removed them)."""
    import os
    import signal
    import time

    target = tmp_path / "out"
    target.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "claimpack", "init", str(WATER), str(target)],
                               env={**os.environ, "CLAIMPACK_FAULT": "init:moving@2!STOP"},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 600
        while not _stopped(process.pid) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _stopped(process.pid), process.communicate()
        moved = [p for p in target.iterdir() if p.name != ".claimpack-init"]
        assert len(moved) == 2, moved
        planted = [folder / "FOREIGN.txt" for folder in moved if folder.is_dir()]
        for path in planted:
            path.write_text("another process's\n", encoding="utf-8")
        taken = next(name for name in ("README.md", "CITATION.cff", "data", "report", "validation")
                     if not (target / name).exists())
        (target / taken).write_text("another process's\n", encoding="utf-8")
    finally:
        process.send_signal(signal.SIGCONT)
    _out, err = process.communicate(timeout=300)
    assert process.returncode == 2, err
    assert [line for line in err.splitlines() if not line.startswith("·")] == [
        f"claimpack: {target}: another process wrote {taken!r} into the target while init moved the package in; "
        "init took back what it wrote (expected a target no other process writes into while init runs)"]
    left = sorted(str(p.relative_to(target)) for p in target.rglob("*"))
    assert left == sorted({taken, *(str(p.relative_to(target)) for p in planted),
                           *(str(p.parent.relative_to(target)) for p in planted)}), left
    assert all(p.read_text(encoding="utf-8") == "another process's\n" for p in [*planted, target / taken])


def test_a_failed_init_takes_back_the_folders_it_made_above_its_target(tmp_path):
    paper = tmp_path / "words.md"
    paper.write_text("---\ntitle: Words\n---\n\nA paper that states no figure at all.\n", encoding="utf-8")
    result = run_claimpack("init", str(paper), str(tmp_path / "a" / "b" / "out"))
    assert result.returncode == 2, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["words.md"]
    result = run_claimpack("init", str(WATER), str(paper / "x" / "out"))
    assert result.returncode == 2
    assert [line for line in result.stderr.splitlines() if not line.startswith("·")] == [
        f"claimpack: {paper / 'x' / 'out'}: a folder on the way to the target is a file (expected a new or empty "
        "directory for the package)"]


@pytest.mark.slow
def test_a_killed_inits_staging_is_taken_back_by_the_next(tmp_path):
    """An init killed with SIGKILL leaves its staging; its lock died with it, and the next init clears it."""
    target = tmp_path / "target"
    (target / ".claimpack-init" / "data").mkdir(parents=True)
    (target / ".claimpack-init" / "data" / "claims.csv").write_text("half,written\n", encoding="utf-8")
    result = run_claimpack("init", str(WATER), str(target))
    assert result.returncode == 0, result.stderr
    assert not (target / ".claimpack-init").exists()
    assert run_claimpack("validate", str(target), "--skip", "expectations").returncode == 0


@pytest.mark.slow
def test_a_paper_and_target_in_folders_named_like_options(tmp_path):
    """Directory names too: the paper in a folder `--papers`, named `-Levil.md`, into a target `--out=x`."""
    folder = tmp_path / "--papers"
    folder.mkdir()
    shutil.copyfile(WATER, folder / "-Levil.md")
    lua(folder / "evil.md", tmp_path / "PWNED")
    lua(tmp_path / "evil.md", tmp_path / "PWNED")
    result = run_claimpack("init", "--", "--papers/-Levil.md", "--out=x", cwd=tmp_path)
    assert not (tmp_path / "PWNED").exists()
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "--out=x" / "datapackage.json").is_file()
    assert run_claimpack("validate", "--skip", "expectations", "--", "--out=x", cwd=tmp_path).returncode == 0


@pytest.mark.slow
def test_an_init_sent_sigterm_from_outside_while_it_works_cleans_up(tmp_path):
    """As `timeout` or a CI runner sends it: the signal lands wherever init stands (here, while its child
    proposes records for a long paragraph), and init takes back its target and says so."""
    import signal
    import time

    paper = tmp_path / "long.md"
    body = " ".join(f"In district {chr(65 + i % 26)} the count was {1000 + i:,} people." for i in range(6000))
    paper.write_text(f"---\ntitle: Counts\nauthor: Ann Smith\ndate: 2020\n---\n\n# Results\n\n{body}\n",
                     encoding="utf-8")
    target = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "claimpack", "init", str(paper), str(target)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while not (target / ".claimpack-init").exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    time.sleep(1)
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=120)
    if process.returncode == 0:
        pytest.skip("init finished before the signal came")
    assert process.returncode == 128 + signal.SIGTERM, err
    assert [line for line in err.splitlines() if not line.startswith("·")] == [
        "claimpack: stopped by SIGTERM; nothing was changed"]
    assert not target.exists()


@pytest.mark.slow
def test_reviews_validation_child_takes_a_package_named_like_an_option_and_runs_no_planted_module(odd_package):
    """claimpack review validates in a child (`python -m claimpack validate`): the package by absolute path
    after --, with -P, so a folder named `--help` is a package and a claimpack/ in the folder it runs in
    is not what runs."""
    import os

    from claimpack.review.server import FullCheck

    marker = odd_package.parent / "PWNED"
    (odd_package.parent / "claimpack").mkdir()
    (odd_package.parent / "claimpack" / "__main__.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n",
                                                                  encoding="utf-8")
    (odd_package.parent / "claimpack" / "__init__.py").write_text("", encoding="utf-8")
    here = os.getcwd()
    os.chdir(odd_package.parent)
    try:
        check = FullCheck(Path(odd_package.name))
        check.stopped = True
        check._run(check.generation)
    finally:
        os.chdir(here)
    assert not marker.exists(), "a module planted beside the package ran"
    assert check.state["state"] == "valid", check.state
