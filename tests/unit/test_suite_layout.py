"""Every test file under tests/ is visited by a plain `pytest` (a folder that pytest skips by
default, such as one named `build`, once hid 151 tests from every run)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Collect as `pytest` alone does and print each test file pytest looks at (a module that skips itself
# for want of a browser is still looked at).
VISIT = """
import sys, pytest
class Visits:
    def pytest_collect_file(self, file_path, parent):
        if file_path.name.startswith("test_") and file_path.suffix == ".py":
            print("visited", file_path, file=sys.stderr)
sys.exit(pytest.main(["--collect-only", "-q"], plugins=[Visits()]))
"""


@pytest.mark.slow
def test_every_test_file_is_collected():
    result = subprocess.run([sys.executable, "-c", VISIT], cwd=ROOT, capture_output=True, text=True, check=False)
    visited = {Path(line.split(" ", 1)[1]).resolve() for line in result.stderr.splitlines()
               if line.startswith("visited ")}
    on_disk = {path.resolve() for path in (ROOT / "tests").rglob("test_*.py") if "fixtures" not in path.parts}
    assert on_disk - visited == set(), result.stdout[-2000:]
