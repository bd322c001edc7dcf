"""src/claimpack has no import cycle, counting the imports made inside functions too."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

SOURCE = ROOT / "src"


def modules(source: Path = SOURCE) -> dict[str, tuple[Path, bool]]:
    """Every module of claimpack by dotted name: (file, is a package)."""
    found = {}
    for path in sorted((source / "claimpack").rglob("*.py")):
        parts = list(path.relative_to(source).with_suffix("").parts)
        package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if package else parts)] = (path, package)
    return found


def imports(name: str, known: dict[str, tuple[Path, bool]]) -> set[str]:
    """The claimpack modules a module imports anywhere in its body, functions included.

    `from .x import y` imports the module x.y when there is one, and x otherwise.
    """
    path, package = known[name]
    here = name if package else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")[:len(here.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                if f"{target}.{alias.name}" in known:
                    found.add(f"{target}.{alias.name}")
                elif target in known:
                    found.add(target)
    found.discard(name)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of modules, as a path from its first module back to it."""
    found = []
    for group in components(graph):
        start = min(group)
        paths = {start: [start]}
        queue = [start]
        while queue:  # breadth first, inside the group: a shortest way back to start
            node = queue.pop(0)
            for target in sorted(graph[node] & group):
                if target == start:
                    found.append(paths[node] + [start])
                    queue = []
                    break
                if target not in paths:
                    paths[target] = paths[node] + [target]
                    queue.append(target)
    return found


def components(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(group)
    return sorted(groups, key=min)


def test_claimpack_has_no_import_cycle():
    known = modules()
    graph = {name: imports(name, known) for name in known}
    assert len(graph) > 30 and "claimpack.validation.validate" in graph["claimpack.cli"]  # function-level imports count
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import(tmp_path):
    package = tmp_path / "claimpack"
    (package / "layers").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "layers" / "__init__.py").write_text("")
    (package / "a.py").write_text("from .b import thing\n")
    (package / "b.py").write_text("def thing():\n    from .layers import c\n")
    (package / "layers" / "c.py").write_text("from ..a import x\n")
    (package / "d.py").write_text("from . import a\n")
    known = modules(tmp_path)
    graph = {name: imports(name, known) for name in known}
    assert graph["claimpack.d"] == {"claimpack.a"}
    assert cycles(graph) == [["claimpack.a", "claimpack.b", "claimpack.layers.c", "claimpack.a"]]
    graph["claimpack.layers.c"] = set()
    assert cycles(graph) == []
