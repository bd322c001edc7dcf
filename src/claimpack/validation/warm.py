"""Validation kept warm for the workbench: a change is validated before it is written, in well under a second.

`claimpack validate` takes seconds on a small package, and nearly all of it is start-up, not
judging: the frictionless child starts Python and imports frictionless (about 3 s of 3.4 s), Great
Expectations is imported, stages its project and builds each suite's metric graph for every
expectation, and provenance derives the paper's text again from its original file with pandoc
(0.4 s of 0.5 s).

The workbench keeps all of that warm and runs only what a change can alter:
- the package is mirrored in a staging directory; a change is written there first;
- frictionless validates the staged package in a child that imported it once (0.05-0.2 s), on the
  other core while the rest runs here;
- claimpack's reader and its own layers run on the staged package as `claimpack validate` runs
  them (provenance, the logs, consistency, coverage, cross-checks), except that the paper's text
  is not derived again (the workbench never changes the paper or its original);
- Great Expectations runs, for each table the change wrote, the expectations of its suite that read
  a column the change wrote (or all of them when rows came or went), in a project staged and loaded
  once; the others' problems stand.
Only a change that adds no error is written (`Workbench` decides); the full `claimpack validate`
then runs in the background and its verdict is shown and saved.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..model.intake import Intake
from ..model.mutation import stage
from ..model.package import DESCRIPTOR, TABLES, Package
from ..system.problems import ClaimpackError, Problem
from ..text.counting import key_of
from .gx_project import import_gx

# What the review workbench reads of coverage (only claimpack.validation imports its layers).
from .layers.coverage import numbers_in, read_exclusions, unrecorded

__all__ = ["Checked", "Checker", "FrictionlessWorker", "WarmExpectations", "key_of", "numbers_in", "package_files",
           "read_exclusions", "unrecorded"]


@dataclass
class Checked:
    """What the warm validation found on a staged package, and how long each part took."""

    problems: list[Problem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def package_files(root: Path) -> list[str]:
    """Every file or directory a validation reads, relative to the package: the resources, the
    exclusions and the Great Expectations project."""
    package = Package.load(root)
    found = [DESCRIPTOR]
    for resource in package.descriptor["resources"]:
        path = resource.get("path")
        if isinstance(path, str):
            found.append(path)
    for key in ("exclusions", "expectations"):
        if package.config.get(key):
            found.append(str(package.config[key]))
    return found


class FrictionlessWorker:
    """A child process that imported frictionless once and validates a package per request."""

    def __init__(self):
        self.process: subprocess.Popen | None = None
        self.lock = threading.Lock()

    def start(self) -> None:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen([sys.executable, "-m", "claimpack.validation.frictionless_worker"],
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=subprocess.DEVNULL, text=True, bufsize=1)

    def ask(self, directory: Path, resources: list[str] | None = None) -> dict:
        """frictionless's report on the package in `directory`: of every resource and the descriptor, or of
        the named resources only."""
        with self.lock:
            self.start()
            assert self.process is not None and self.process.stdin and self.process.stdout
            self.process.stdin.write(json.dumps({"dir": str(directory), "resources": resources}) + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        if not line:
            self.process = None
            return {"valid": False, "failed": "the frictionless worker stopped"}
        return json.loads(line)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None


class WarmExpectations:
    """The staged package's Great Expectations project, loaded once, run on the tables a change wrote."""

    def __init__(self):
        self.context = None
        self.suites: dict = {}
        self.definitions: dict = {}
        self.owned: dict = {}  # table -> [(expectation, the columns it reads)] of those GX owns, once per load
        self.subsets: dict = {}  # (table, expectations) -> the suite of those expectations, built once
        self.key: str | None = None
        self.directory: Path | None = None
        self.files: dict[str, bytes] = {}  # the project's files as staged (relative to the project)
        self.fresh: dict[str, set[str]] = {}  # table -> expectations new in its suite since it last ran
        self.reshaped: set[str] = set()  # tables whose suite lost or changed an expectation since it last ran
        self.names: list[str] = []

    def _load(self, package: Package, names: list[str]) -> list[Problem]:
        from ..model.package import safe_path
        from .layers import expectations as ex

        gx = import_gx()
        gx_rel = str(package.config.get("expectations") or "validation/gx")
        gx_dir = safe_path(package.root, gx_rel, DESCRIPTOR, "claimpack.expectations", kind="directory")
        files, _ = ex.project_files(gx_dir, gx_rel)
        key = json.dumps(sorted((rel, data.hex()) for rel, data in files.items()) + sorted(names))
        if key == self.key:
            return []
        changed = self._suites_changed(files, names)
        if changed is not None:  # only suites changed (a unit added): load those again in the same project
            problems = []
            for name in changed:
                (self.directory / "expectations" / f"{name}.json").write_bytes(files[f"expectations/{name}.json"])
                suite, found = ex._load_suite(self.context, self.directory, name,
                                              f"{gx_rel}/expectations/{name}.json")
                if suite is None:
                    problems.append(found)
                    self.suites.pop(name, None)
                else:
                    old = {_config_key(e) for e in self.suites[name].expectations} if name in self.suites else set()
                    new = {_config_key(e) for e in suite.expectations}
                    self.fresh[name] = new - old
                    if old - new:  # an expectation changed or went: its problems cannot be told from the others'
                        self.reshaped.add(name)
                    self.suites[name] = suite
                self.owned.pop(name, None)
                self.subsets = {k: v for k, v in self.subsets.items() if k[0] != name}
            self.files, self.key = files, key
            return problems
        if self.directory is not None:
            shutil.rmtree(self.directory.parent, ignore_errors=True)
        self.directory = Path(tempfile.mkdtemp(prefix="claimpack-review-gx-")) / "gx"
        problems = ex.stage_project(gx_dir, self.directory, names, gx_rel)
        self.context = gx.get_context(mode="file", context_root_dir=str(self.directory))
        self.suites, self.definitions, self.owned, self.subsets = {}, {}, {}, {}
        self.reshaped = set(names) if self.key is not None else set()  # staged anew: any expectation may differ
        for name in names:
            suite, found = ex._load_suite(self.context, self.directory, name, f"{gx_rel}/expectations/{name}.json")
            if suite is None:
                problems.append(found)
                continue
            self.suites[name] = suite
            self.definitions[name] = ex._validation_definition(gx, self.context, name, suite)
        self.files, self.key, self.names = files, key, sorted(names)
        return problems

    def _suites_changed(self, files: dict[str, bytes], names: list[str]) -> list[str] | None:
        """The suites whose file alone changed since the project was staged (every one already loaded), or None
        when anything else changed (then the project is staged again)."""
        if self.context is None or self.directory is None or sorted(names) != self.names:
            return None
        if set(files) != set(self.files):
            return None
        changed = [rel for rel in files if files[rel] != self.files[rel]]
        suites = [rel.removeprefix("expectations/").removesuffix(".json") for rel in changed
                  if rel.startswith("expectations/") and rel.endswith(".json")]
        if len(suites) != len(changed) or not all(name in self.suites for name in suites):
            return None
        return suites

    def run(self, package: Package, changes: dict[str, set[str] | None], previous: list[Problem],
            removed: dict[str, list[int]] | None = None,
            touched: dict[str, list[tuple[int, dict, dict]]] | None = None) -> list[Problem]:
        """The problems of the expectations GX owns, on the tables a change wrote.

        `changes` maps a table to the columns the change wrote in it (None: rows came or went, or
        anything may have changed). Only the expectations that read one of those columns (as their
        column, pair, list or row condition) can judge differently, so only they run; the problems
        `previous` holds for the others stand. A table left out of `changes` keeps its problems.
        `removed` maps a table to the rows (frictionless numbers) the change removed and nothing else:
        no other row changed, so only the expectations of the whole table (its row count) run, and the
        other problems stand, renumbered.
        `touched` maps a table whose columns changed in place to its rows the change rewrote (row
        number, cells before, cells after): an expectation whose row condition no such row meets,
        before or after (`unit == 'percent'` when a count became a new unit), judges the same rows
        as before, unchanged, and does not run; what it found stands. A suite holds one such
        expectation per unit, and each costs GX a query of the table: this is what makes adding a
        unit as quick as any other edit.
        """
        removed = removed or {}
        touched = touched or {}
        import warnings

        from .layers import expectations as ex

        frames = {}
        problems: list[Problem] = []
        for name in dict.fromkeys((*TABLES, *ex.OPTIONAL_TABLES)):
            if package.has(name):
                try:
                    frames[name] = ex.frame_from_table(package.table(name))
                except ClaimpackError:
                    continue  # the reader reports it
        ran: dict[str, set[tuple]] = {}  # table -> (code, field) of the expectations run on it
        partly: dict[str, set[tuple]] = {}  # table -> (code, field) of expectations left out by their condition
        rewritten: dict[str, set[int]] = {}  # table -> the rows rewritten, where partly's problems are judged anew
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            problems.extend(self._load(package, [name for name in frames if self._has_suite(package, name)]))
            parameters = ex.expectation_parameters(package, frames)
            gx = import_gx()
            for name, columns in changes.items():
                suite = self.suites.get(name)
                if suite is None or name not in frames:
                    continue
                owned = self.owned.get(name)
                if owned is None:
                    # every expectation of a suite is GX's own (claimpack.init.suites writes none that
                    # another layer makes), and the full validation runs every one: so does this
                    owned = self.owned[name] = [(e, _columns(e.configuration.kwargs),
                                                 _condition_of(e.configuration.kwargs), _config_key(e))
                                                for e in suite.expectations]
                fresh = self.fresh.pop(name, set())
                reshaped = name in self.reshaped
                self.reshaped.discard(name)
                if name in removed:
                    chosen = [(e, used) for e, used, _, key in owned if used is None or key in fresh]
                else:
                    chosen = [(e, used) for e, used, _, key in owned
                              if columns is None or used is None or used & columns or key in fresh]
                rows = touched.get(name) if columns is not None and name not in removed and not reshaped else None
                if rows is not None:  # only what the rewritten rows fall under can judge differently
                    conditions = {id(e): (condition, key) for e, _, condition, key in owned}
                    kept_out = [(e, used) for e, used in chosen if conditions[id(e)][1] not in fresh and
                                not any(_meets(conditions[id(e)][0], cells) is not False
                                        for _, before, after in rows for cells in (before, after))]
                    if kept_out:
                        out = {id(e) for e, _ in kept_out}
                        chosen = [(e, used) for e, used in chosen if id(e) not in out]
                        partly[name] = {(e.expectation_type, _label(e.configuration.kwargs)) for e, _ in kept_out}
                        rewritten[name] = {row for row, _, _ in rows}
                ran[name] = {(e.expectation_type, _label(e.configuration.kwargs)) for e, _ in chosen}
                if columns is None and name not in removed:
                    ran[name].add(("*", "*"))
                if not chosen:
                    continue
                key = (name, tuple(id(e) for e, _ in chosen))
                small = self.subsets.get(key)
                if small is None:
                    copies = []
                    for e, _ in chosen:
                        config = e.configuration
                        config.id = None  # a new expectation of the smaller suite, not the committed one
                        copies.append(config.to_domain_obj())
                    small = self.subsets[key] = gx.ExpectationSuite(name=f"{name}-owned", expectations=copies)
                try:
                    result = ex._run_definition(self.definitions[name], small, ex.orderable(frames[name].data, small),
                                                parameters, keep=False)
                except Exception as exc:  # GX failed as a whole: the full validation says why
                    problems.append(Problem(package.rel(name), None, None, f"the suite could not run: {exc}",
                                            layer="expectations", code="suite-error"))
                    continue
                problems.extend(ex.problems_from_result(result, frames[name]))
        rels = {name: package.rel(name) for name in ran if package.has(name)}
        for problem in previous:
            if problem.layer != "expectations":
                continue
            table = next((name for name, rel in rels.items() if rel == problem.file), None)
            label = (problem.code, problem.field)
            if table is not None and label in ran[table] and label in partly.get(table, ()) and \
                    problem.code in ROW_LOCAL and (problem.row is None or problem.row not in rewritten[table]):
                # an expectation of this kind ran, another was left out: a row the change did not rewrite
                # keeps what it had (a row-by-row expectation judges each row alone; the one that ran finds
                # the same again, and duplicates are dropped below)
                problems.append(problem)
                continue
            if table is None or (("*", "*") not in ran[table] and label not in ran[table]):
                gone = removed.get(table or "", [])
                if problem.row is not None and gone:
                    if problem.row in gone:
                        continue
                    problem = replace(problem, row=problem.row - sum(row < problem.row for row in gone))
                problems.append(problem)
        return list(dict.fromkeys(problems)) if partly else problems

    @staticmethod
    def _has_suite(package: Package, name: str) -> bool:
        gx_rel = str(package.config.get("expectations") or "validation/gx")
        return (package.root / gx_rel / "expectations" / f"{name}.json").is_file()


# The columns coverage reads: where a record's quote stands, its figure, its period and its dates.
COVERAGE_COLUMNS = {"quote", "figure", "section", "paragraph", "period_start", "period_end", "date", "end_date",
                    "date_precision", "offset", "anchor"}


class Checker:
    """The package's staged mirror, and the warm layers that validate a change there."""

    def __init__(self, root: Path, frictionless: FrictionlessWorker | None = None):
        """`frictionless`: a worker to share (tests run many packages); one of its own otherwise."""
        self.root = Path(root)
        self.base = Path(tempfile.mkdtemp(prefix="claimpack-review-"))
        self.stage = self.base / "package"
        self.own_worker = frictionless is None
        self.frictionless = frictionless or FrictionlessWorker()
        self.expectations = WarmExpectations()
        self.lock = threading.Lock()
        self.shape: dict[str, str] | None = None  # each staged resource without hash and size, as last validated
        self.sync()

    def sync(self) -> None:
        """Mirror the package as it is on disk."""
        shutil.rmtree(self.stage, ignore_errors=True)
        self.stage.mkdir(parents=True)
        stage(self.root, self.stage, {}, package_files(self.root))

    def warm(self) -> None:
        """Start the frictionless child and load Great Expectations (seconds, once)."""
        self.frictionless.start()
        self.check({})

    def close(self) -> None:
        if self.own_worker:
            self.frictionless.stop()
        shutil.rmtree(self.base, ignore_errors=True)
        if self.expectations.directory is not None:
            shutil.rmtree(self.expectations.directory.parent, ignore_errors=True)

    def check(self, files: dict[str, bytes | None], changes: dict[str, set[str] | None] | None = None,
              previous: list[Problem] | None = None, removed: dict[str, list[int]] | None = None,
              touched: dict[str, list[tuple[int, dict, dict]]] | None = None) -> Checked:
        """Write `files` into the stage and validate it; the stage keeps them (see `restore`).

        `changes`: the tables the files change, each with the columns changed (None: rows came or
        went); without it, everything is validated. `previous`: the problems of the package before
        the change, which a layer that cannot judge differently (coverage, when no quote, figure,
        place, period, date or exclusion changed; an expectation reading no column changed) keeps.
        `removed`: tables from which the change only removed rows (their numbers). `touched`: the rows
        a change rewrote in place, each as (row number, cells before, cells after).
        """
        with self.lock:
            stage(self.root, self.stage, files, [])
            return self._check(files, changes, previous or [], removed or {}, touched or {})

    def put(self, files: dict[str, bytes | None]) -> None:
        """Write `files` into the stage without validating (`restore` puts back what they held)."""
        with self.lock:
            stage(self.root, self.stage, files, [])

    restore = put

    def _check(self, files: dict[str, bytes | None], changes: dict[str, set[str] | None] | None,
               previous: list[Problem], removed: dict[str, list[int]],
               touched: dict[str, list[tuple[int, dict, dict]]] | None = None) -> Checked:
        from ..system.offline import offline
        from .layers import consistency, coverage, crosschecks, provenance, reviews, verifications
        from .layers.frictionless_layer import translate
        from .validate import _primary_keys

        checked = Checked()
        started = time.perf_counter()
        answer: dict = {}
        shape = _shape(self.stage)
        # frictionless validates the descriptor's own metadata and the resources the change wrote or declared
        # anew (a schema regenerated for a new unit, and the resources whose foreign keys point at it); every
        # resource when resources came or went
        written = None
        if changes is not None and shape is not None and self.shape is not None and list(shape) == list(self.shape):
            resources = json.loads((self.stage / DESCRIPTOR).read_text(encoding="utf-8")).get("resources", [])
            paths = {r.get("path"): r.get("name") for r in resources}
            declared = {name for name in shape if shape[name] != self.shape[name]}
            declared |= {r.get("name") for r in resources if _points_at(r, declared)}
            written = list(dict.fromkeys([*(paths[rel] for rel in files if rel in paths),
                                          *(name for name in shape if name in declared)]))
        self.shape = shape
        child = threading.Thread(target=lambda: answer.update(self.frictionless.ask(self.stage, written)))
        child.start()
        try:
            package = Package.load(self.stage)
            intake = Intake.read(package)
            checked.problems.extend(intake.problems)
            checked.seconds["reader"] = time.perf_counter() - started
            every = changes is None
            changes = {name: None for name in TABLES if package.has(name)} if changes is None else changes
            exclusions = package.config.get("exclusions")
            counted = every or (exclusions in files) or any(columns is None or columns & COVERAGE_COLUMNS
                                                             for columns in changes.values())
            kept = [] if counted else [p for p in previous if p.layer == "coverage"]
            layers: list[tuple[str, Callable]] = [
                ("provenance", lambda: _sum(provenance.check(package, derive=False), verifications.check(package),
                                            reviews.check(package))),
                ("consistency", lambda: consistency.check(package)),
                ("coverage", (lambda: coverage.check(package)) if counted else (lambda: (kept, {}))),
                ("crosscheck", lambda: crosschecks.check(package)),
                ("expectations", lambda: (self.expectations.run(package, changes, [] if every else previous,
                                                                removed, touched), {})),
            ]
            with offline():
                for name, run in layers:
                    began = time.perf_counter()
                    try:
                        found, _info = run()
                    except ClaimpackError as exc:
                        found = [exc.problem]
                    checked.problems.extend(p for p in _with_layer(found, name) if intake.admits(p))
                    checked.seconds[name] = time.perf_counter() - began
        except ClaimpackError as exc:
            checked.problems.append(exc.problem)
            package = None
        began = time.perf_counter()
        child.join()
        checked.seconds["frictionless (wait)"] = time.perf_counter() - began
        if answer.get("failed"):
            checked.problems.append(Problem(DESCRIPTOR, None, None, f"frictionless could not validate the package: "
                                            f"{answer['failed']}", layer="frictionless", code="frictionless-failed"))
        elif package is not None:
            checked.problems.extend(translate(answer, _primary_keys(package), intake.files))
            if written is not None:  # the other resources' problems stand
                validated = {package.rel(name) for name in written if package.has(name)}
                checked.problems.extend(p for p in previous if p.layer == "frictionless" and p.file not in validated
                                        and p.file != DESCRIPTOR)
        checked.seconds["total"] = time.perf_counter() - started
        return checked


def _shape(root: Path) -> dict[str, str] | None:
    """Each resource of a descriptor by name, without its hash and size: what a change to data alone, or to
    the package's own title, licence or authors, leaves alone."""
    try:
        shape = {}
        for resource in json.loads((root / DESCRIPTOR).read_text(encoding="utf-8")).get("resources", []):
            resource = {key: value for key, value in resource.items() if key not in ("hash", "bytes")}
            name = resource.get("name")
            if not isinstance(name, str) or name in shape:
                return None
            shape[name] = json.dumps(resource, sort_keys=True)
    except (OSError, ValueError, AttributeError, TypeError):
        return None
    return shape


def _points_at(resource: dict, names: set[str]) -> bool:
    """Does a resource's schema hold a foreign key to one of `names`?"""
    schema = resource.get("schema")
    keys = schema.get("foreignKeys") if isinstance(schema, dict) else None
    for key in keys if isinstance(keys, list) else []:
        reference = key.get("reference") if isinstance(key, dict) else None
        if isinstance(reference, dict) and reference.get("resource") in names:
            return True
    return False


# Expectations that judge each row alone (a row's problem depends on that row's cells only), unlike
# uniqueness or a table's row count
ROW_LOCAL = frozenset({"expect_column_values_to_be_between", "expect_column_values_to_match_regex",
                       "expect_column_values_to_be_null", "expect_column_values_to_not_be_null",
                       "expect_column_values_to_be_in_set", "expect_column_values_to_not_be_in_set",
                       "expect_column_values_to_be_integer_valued", "expect_column_pair_values_a_to_be_greater_than_b",
                       "expect_column_values_to_not_match_regex", "expect_column_value_lengths_to_be_between"})


def _condition_of(kwargs: dict) -> dict | None:
    """An expectation's row condition as a dict (read once per load: GX's objects are slow to turn into one)."""
    condition = kwargs.get("row_condition")
    if condition is None or condition == "":
        return None
    if isinstance(condition, dict):
        return condition
    if hasattr(condition, "dict"):
        try:
            return condition.dict()
        except Exception:  # an unknown condition: the expectation always runs
            return {"type": "unknown"}
    return {"type": "unknown"}


def _meets(condition: dict | None, cells: dict) -> bool | None:
    """Does a row's cells (text, as the CSV holds them) meet a row condition: True, False, or None when
    that cannot be told without GX (then the expectation runs). No condition: every row meets it."""
    if condition is None:
        return True
    if not cells:
        return None
    kind = condition.get("type")
    if kind in ("and", "or"):
        found = [_meets(c, cells) for c in condition.get("conditions") or []]
        if not found:
            return None
        if kind == "and":
            return False if False in found else (None if None in found else True)
        return True if True in found else (None if None in found else False)
    if kind != "comparison":
        return None
    column = (condition.get("column") or {}).get("name")
    if column not in cells:
        return None
    value, operator, parameter = cells[column], str(condition.get("operator")), condition.get("parameter")
    if operator in ("==", "!=") and isinstance(parameter, str) and parameter:
        return (value == parameter) == (operator == "==")
    if operator in ("IN", "NOT_IN") and isinstance(parameter, (list, tuple, set)) and parameter and \
            all(isinstance(p, str) and p for p in parameter):
        return (value in parameter) == (operator == "IN")
    return None


def _config_key(expectation) -> str:
    """An expectation as what it checks (its type and arguments), for telling a suite's new ones from the old."""
    return json.dumps([expectation.expectation_type, expectation.configuration.kwargs], sort_keys=True, default=str)


def _label(kwargs: dict) -> str | None:
    """The field a problem of an expectation names (claimpack.validation.layers.expectations.problems_from_result)."""
    column = kwargs.get("column") or (", ".join(kwargs["column_list"]) if kwargs.get("column_list") else None)
    return column


def _columns(kwargs: dict) -> set[str] | None:
    """The columns an expectation reads, its row condition's included; None when it reads the whole table."""
    found = {kwargs.get(key) for key in ("column", "column_A", "column_B")} - {None}
    found |= set(kwargs.get("column_list") or [])
    if kwargs.get("column_set") is not None or not found:
        return None  # the table's shape or row count
    condition = kwargs.get("row_condition")
    if condition:
        text = json.dumps(condition, default=str, sort_keys=True)
        found |= set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))  # every name it holds, counted as a column
    return {name for name in found if isinstance(name, str)}


def _sum(*results: tuple[list[Problem], dict]) -> tuple[list[Problem], dict]:
    problems: list[Problem] = []
    for found, _ in results:
        problems.extend(found)
    return problems, {}


def _with_layer(problems: list[Problem], layer: str) -> list[Problem]:
    from dataclasses import replace

    return [p if p.layer != "input" else replace(p, layer=layer) for p in problems]
