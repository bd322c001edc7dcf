"""Integrity: no edit of a data file or of the paper gets past `claimpack validate` unless the
descriptor's sha256 and size record it, and `claimpack rehash` records them only for a package
that is otherwise valid, changing nothing when it refuses."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from claimpack.publish.rehash import RehashRefused, rehash
from conftest import copy_package, invoke_claimpack, snapshot

# One edit per resource file that keeps its size (only the sha256 differs) and touches free text.
SAME_SIZE = {
    "data/claims.csv": ("The author's own outline", "The author's own 0utline"),
    "data/events.csv": ("taken from Argentina.,reviewed\n", "taken from Argentina!,reviewed\n"),
    "data/sources.csv": ("prints the title without italics", "prints the title without Italics"),
    "data/footnotes.csv": ("Bare Ibid.: repeats footnote 1", "Bare Ibid.; repeats footnote 1"),
    "data/citations.csv": ("*Ibid.*, 104", "*Ibid.*, 105"),
    "data/checks.csv": ("add up to the 107 programmes.", "add up to the 107 programmes!"),
    "data/defects.csv": ("principals are persons.", "principals are persons!"),
    "data/verifications.csv": ("chain_hash\n", "chain_hasH\n"),
    "data/source/paper.md": ("Humankind has led", "HUmankind has led"),
}
ONLY_FRICTIONLESS = ["--skip", "expectations", "--skip", "provenance", "--skip", "consistency", "--skip", "coverage",
                     "--skip", "crosscheck"]


def descriptor(root: Path) -> dict:
    return json.loads((root / "datapackage.json").read_text(encoding="utf-8"))


def recorded(root: Path, rel: str) -> dict:
    return next(r for r in descriptor(root)["resources"] if r["path"] == rel)


def test_every_resource_file_is_covered():
    from conftest import ROOT

    assert sorted(SAME_SIZE) == sorted(r["path"] for r in descriptor(ROOT)["resources"])


@pytest.mark.parametrize("rel", sorted(SAME_SIZE))
@pytest.mark.parametrize("kind", ["same-size", "appended-byte"])
def test_validate_detects_an_edit_the_descriptor_does_not_record(package, rel, kind):
    path = package / rel
    old, new = SAME_SIZE[rel]
    raw = path.read_bytes()
    if kind == "same-size":
        assert raw.count(old.encode()) == 1 and len(old.encode()) == len(new.encode())
        edited = raw.replace(old.encode(), new.encode())
    else:
        edited = raw + b"\n"
    path.write_bytes(edited)
    result = invoke_claimpack("validate", "-q", *ONLY_FRICTIONLESS, cwd=package)
    assert result.returncode == 1
    entry = recorded(package, rel)
    digest = hashlib.sha256(edited).hexdigest()
    hash_line = (f"{rel}: hash: file changed since the descriptor recorded it (sha256 is {digest}) (expected "
                 f"{entry['hash'].removeprefix('sha256:')}; review the change, then run `claimpack rehash`)")
    bytes_line = (f"{rel}: bytes: file changed since the descriptor recorded it (size in bytes is {len(edited)}) "
                  f"(expected {entry['bytes']}; review the change, then run `claimpack rehash`)")
    lines = result.stdout.splitlines()
    assert hash_line in lines
    assert (bytes_line in lines) == (kind == "appended-byte")


def requote_first_id(package: Path) -> bytes:
    """Quote the first claim's id: the same data, other bytes (an edit no other check can see)."""
    path = package / "data/claims.csv"
    text = path.read_text(encoding="utf-8").replace("\nword-count-en,", '\n"word-count-en",', 1)
    path.write_text(text, encoding="utf-8")
    return text.encode("utf-8")


@pytest.mark.slow
def test_an_edit_invisible_to_every_other_check_still_fails_validation(package):
    edited = requote_first_id(package)
    result = invoke_claimpack("validate", "-q", cwd=package)
    assert result.returncode == 1
    entry = recorded(package, "data/claims.csv")
    assert [line for line in result.stdout.splitlines() if not line.endswith("[warning]")] == [
        f"data/claims.csv: bytes: file changed since the descriptor recorded it (size in bytes is {len(edited)}) "
        f"(expected {entry['bytes']}; review the change, then run `claimpack rehash`)",
        f"data/claims.csv: hash: file changed since the descriptor recorded it (sha256 is "
        f"{hashlib.sha256(edited).hexdigest()}) (expected {entry['hash'].removeprefix('sha256:')}; review the "
        "change, then run `claimpack rehash`)",
    ]


@pytest.mark.slow
def test_rehash_records_a_valid_edit_and_nothing_else(package):
    before = descriptor(package)
    edited = requote_first_id(package)
    result = invoke_claimpack("rehash", cwd=package)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "rehashed claims\n"
    after = descriptor(package)
    claims = next(r for r in after["resources"] if r["name"] == "claims")
    assert claims["hash"] == f"sha256:{hashlib.sha256(edited).hexdigest()}" and claims["bytes"] == len(edited)
    for resource in before["resources"]:
        if resource["name"] == "claims":
            resource["hash"], resource["bytes"] = claims["hash"], claims["bytes"]
    assert after == before  # only the claims resource's hash and bytes changed
    assert invoke_claimpack("validate", "-q", *ONLY_FRICTIONLESS, cwd=package).returncode == 0
    again = invoke_claimpack("rehash", cwd=package)
    assert again.returncode == 0 and again.stdout == "every hash was already current\n"


@pytest.mark.slow
def test_rehash_refuses_an_invalid_package_and_changes_nothing(package):
    path = package / "data/claims.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("\\$236 million,236000000,", "\\$236 million,237000000,"),
                    encoding="utf-8")
    files = snapshot(package)
    result = invoke_claimpack("rehash", cwd=package)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-2:] == [
        "claimpack: refusing to rehash: the package has 1 other error(s); fix them first:",
        "data/claims.csv:36: value: value 237000000 disagrees with figure '\\$236 million' (expected 236000000)"]
    assert snapshot(package) == files


@pytest.mark.slow
def test_rehash_refuses_an_edit_made_while_it_validated(tmp_path):
    """What was validated is what is recorded: a file changed during validation is not rehashed."""
    root = copy_package(tmp_path / "package")
    requote_first_id(root)
    descriptor_bytes = (root / "datapackage.json").read_bytes()
    events = root / "data/events.csv"

    def meddle(message: str) -> None:
        if message.startswith("coverage"):
            events.write_bytes(events.read_bytes().replace(b"taken from Argentina.", b"taken from Argentina!"))

    with pytest.raises(RehashRefused, match="events changed while the package was being validated"):
        rehash(root, progress=meddle)
    assert (root / "datapackage.json").read_bytes() == descriptor_bytes
