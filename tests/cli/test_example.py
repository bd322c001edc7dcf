"""`claimpack example`: the example papers that ship inside claimpack, written where the user asks,
never over a file; bad input is one line and exit 2, with nothing written."""

from __future__ import annotations

from claimpack.init.examples import EXAMPLES
from conftest import ROOT, run_claimpack

WATER = (ROOT / "tests" / "papers" / "water.md").read_bytes()


def test_without_a_name_it_lists_the_examples(tmp_path):
    done = run_claimpack("example", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.splitlines() == [f"{n}: {w}" for n, w in EXAMPLES.items()]
    assert list(tmp_path.iterdir()) == []


def test_it_writes_the_paper_here_into_a_directory_or_to_a_new_name(tmp_path):
    (tmp_path / "papers").mkdir()
    for args, written in ((("water.md",), "water.md"), (("water.md", "papers"), "papers/water.md"),
                          (("water.md", "mine.md"), "mine.md")):
        done = run_claimpack("example", *args, cwd=tmp_path)
        assert done.returncode == 0 and done.stdout == f"wrote {written}\n", done.stderr
        assert (tmp_path / written).read_bytes() == WATER
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["mine.md", "papers", "water.md", "water.md"]


def test_it_never_replaces_a_file_and_refuses_what_it_cannot_write(tmp_path):
    (tmp_path / "water.md").write_text("my own notes\n", encoding="utf-8")
    for args, line in ((("water.md",), "claimpack: water.md: the file exists; claimpack example never replaces a "
                        "file (expected a new path)"),
                       (("fire.md",), "claimpack: there is no example named 'fire.md' (expected water.md)"),
                       (("water.md", "nowhere/water.md"), "claimpack: nowhere: no such directory (expected an "
                        "existing directory)")):
        done = run_claimpack("example", *args, cwd=tmp_path)
        assert (done.returncode, done.stderr.splitlines(), done.stdout) == (2, [line], "")
    assert [p.name for p in tmp_path.iterdir()] == ["water.md"]
    assert (tmp_path / "water.md").read_text(encoding="utf-8") == "my own notes\n"
