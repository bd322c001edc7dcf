"""Regenerate the generated blocks of the README and the docs from the CLI, the descriptor and the code.

README.md holds the table of resources; docs/commands.md every verb's help; docs/data-dictionary.md
every field of every table, from datapackage.json; docs/problems.md every problem code, from
claimpack.system.codes.

    python scripts/update_readme.py          rewrite both files
    python scripts/update_readme.py --check  exit 1 if either is stale (tests run this)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from click.testing import CliRunner

from claimpack.cli import main
from claimpack.model.package import Package

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
COMMANDS = ROOT / "docs" / "commands.md"
DICTIONARY = ROOT / "docs" / "data-dictionary.md"
PROBLEMS = ROOT / "docs" / "problems.md"
DICTIONARY_TABLES = ("claims", "events", "sources", "footnotes", "citations", "checks", "defects", "verifications")


def commands_block() -> str:
    runner = CliRunner()
    parts = []
    for name in ["(claimpack)", *sorted(main.commands)]:
        args = ["--help"] if name == "(claimpack)" else [name, "--help"]
        result = runner.invoke(main, args, prog_name="claimpack", terminal_width=100)
        title = "claimpack" if name == "(claimpack)" else f"claimpack {name}"
        parts.append(f"#### `{title}`\n\n```text\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


def resources_block() -> str:
    package = Package.load(ROOT)
    lines = ["| resource | file | rows | what one row is |", "|:--|:--|--:|:--|"]
    for resource in package.descriptor["resources"]:
        rows = len(package.table(resource["name"])) if resource.get("type") == "table" else ""
        lines.append(f"| `{resource['name']}` | `{resource['path']}` | {rows} | {resource.get('description', '')} |")
    return "\n".join(lines) + "\n"


def fields_block() -> str:
    package = Package.load(ROOT)
    lines = []
    for name in DICTIONARY_TABLES:
        resource = package.resource(name)
        lines += [f"## `{name}` (`{resource['path']}`)", "", resource.get("description", ""), "",
                  "| field | type | meaning |", "|:--|:--|:--|"]
        for field in resource["schema"]["fields"]:
            constraints = field.get("constraints", {})
            required = " (required)" if constraints.get("required") else ""
            allowed = f" One of: {', '.join(constraints['enum'])}." if constraints.get("enum") else ""
            lines.append(f"| `{field['name']}` | {field['type']}{required} | {field['description']}{allowed} |")
        lines.append("")
    return "\n".join(lines)


def problems_block() -> str:
    from claimpack.system.codes import CODES

    lines = ["| code | layer | what it means | message |", "|:--|:--|:--|:--|"]
    for code in CODES.values():
        template = code.template.replace("|", "\\|")
        lines.append(f"| `{code.code}` | {code.layer} | {code.title} | {template} |")
    return "\n".join(lines) + "\n"


BLOCKS = {README: {"data": resources_block}, COMMANDS: {"commands": commands_block},
          DICTIONARY: {"fields": fields_block}, PROBLEMS: {"problems": problems_block}}


def render(text: str, blocks: dict) -> str:
    for name, make in blocks.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"no <!-- {name}:start --> block")
        text = pattern.sub(lambda m, make=make: m.group(1) + make() + m.group(2), text)
    return text


def main_() -> int:
    stale = []
    for path, blocks in BLOCKS.items():
        current = path.read_text(encoding="utf-8")
        fresh = render(current, blocks)
        if fresh != current:
            stale.append(path.name)
            if "--check" not in sys.argv:
                path.write_text(fresh, encoding="utf-8")
    if stale and "--check" in sys.argv:
        print(f"{', '.join(stale)} stale: run python scripts/update_readme.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main_())
