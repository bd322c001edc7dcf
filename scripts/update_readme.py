"""Regenerate the README's generated blocks: the command reference and the data tables.

    python scripts/update_readme.py          rewrite README.md
    python scripts/update_readme.py --check  exit 1 if README.md is stale (tests run this)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from click.testing import CliRunner

from claimpack.cli import main
from claimpack.package import Package

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def commands_block() -> str:
    runner = CliRunner()
    parts = []
    for name in ["(claimpack)", *sorted(main.commands)]:
        args = ["--help"] if name == "(claimpack)" else [name, "--help"]
        result = runner.invoke(main, args, prog_name="claimpack", terminal_width=100)
        title = "claimpack" if name == "(claimpack)" else f"claimpack {name}"
        parts.append(f"#### `{title}`\n\n```text\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


def data_block() -> str:
    package = Package.load(ROOT)
    lines = ["| resource | file | rows | what one row is |", "|:--|:--|--:|:--|"]
    for resource in package.descriptor["resources"]:
        rows = len(package.rows(resource["name"])) if resource.get("type") == "table" else ""
        lines.append(f"| `{resource['name']}` | `{resource['path']}` | {rows} | {resource.get('description', '')} |")
    for name in ("claims", "events", "sources", "footnotes", "citations", "checks", "defects", "verifications"):
        if not package.has(name):
            continue
        resource = package.resource(name)
        lines += ["", f"##### `{name}` fields", "", "| field | type | meaning |", "|:--|:--|:--|"]
        for field in resource["schema"]["fields"]:
            constraints = field.get("constraints", {})
            required = " (required)" if constraints.get("required") else ""
            allowed = f" One of: {', '.join(constraints['enum'])}." if constraints.get("enum") else ""
            lines.append(f"| `{field['name']}` | {field['type']}{required} | {field['description']}{allowed} |")
    return "\n".join(lines) + "\n"


BLOCKS = {"commands": commands_block, "data": data_block}


def render(text: str) -> str:
    for name, make in BLOCKS.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"README.md has no <!-- {name}:start --> block")
        text = pattern.sub(lambda m, make=make: m.group(1) + make() + m.group(2), text)
    return text


def main_() -> int:
    current = README.read_text(encoding="utf-8")
    fresh = render(current)
    if "--check" in sys.argv:
        if fresh != current:
            print("README.md is stale: run python scripts/update_readme.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main_())
