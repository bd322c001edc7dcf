"""The GitHub workflow rebuilds the report with real Quarto and publishes it from main."""

from __future__ import annotations

import yaml

from conftest import ROOT

WORKFLOW = yaml.safe_load((ROOT / ".github" / "workflows" / "report.yml").read_text(encoding="utf-8"))


def _steps(job: str) -> list[dict]:
    return WORKFLOW["jobs"][job]["steps"]


def test_runs_on_push_and_pull_request():
    triggers = WORKFLOW[True]  # YAML reads the key `on` as True
    assert "push" in triggers and "pull_request" in triggers


def test_installs_validates_sets_up_quarto_and_builds_with_it():
    steps = _steps("build")
    uses = [s.get("uses", "") for s in steps]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert any(u.startswith("quarto-dev/quarto-actions/setup@") for u in uses)
    assert 'pip install -e ".[quarto]"' in runs and "claimpack validate" in runs
    assert "claimpack build . --engine quarto" in runs

    def first(test) -> int:
        return next(i for i, s in enumerate(steps) if test(s))

    install = first(lambda s: 'pip install -e ".[quarto]"' in s.get("run", ""))
    validate = first(lambda s: "claimpack validate" in s.get("run", ""))
    quarto = first(lambda s: s.get("uses", "").startswith("quarto-dev/quarto-actions/setup@"))
    build = first(lambda s: "--engine quarto" in s.get("run", ""))
    upload = first(lambda s: s.get("uses", "").startswith("actions/upload-artifact@"))
    assert install < validate < build and quarto < build < upload
    assert any(u.startswith("actions/upload-artifact@") and s["with"]["path"] == "_site" for s, u in zip(steps, uses))


def test_publishes_to_pages_only_from_main():
    build = _steps("build")
    pages = next(s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert "refs/heads/main" in pages["if"]
    deploy = WORKFLOW["jobs"]["deploy"]
    assert "refs/heads/main" in deploy["if"] and deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_pins_the_quarto_version_the_tests_render_with():
    import re

    setup = next(s for s in _steps("build") if s.get("uses", "").startswith("quarto-dev/quarto-actions/setup@"))
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    pinned = re.search(r"^QUARTO_VERSION\s*:=\s*(\S+)$", makefile, flags=re.M).group(1)
    assert setup["with"]["version"] == pinned == "1.10.18"
