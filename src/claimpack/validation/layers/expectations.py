"""Layer 2: run the package's committed Great Expectations suites against its tables.

The GX project lives in the package (`validation/gx` by default): great_expectations.yml, one
suite per resource in expectations/<resource>.json and one validation definition per resource.
It is run from a temporary copy, so validating never writes into the package; each failed
expectation becomes one Problem per failing row, located by frictionless row number.

Great Expectations takes seconds to import, so it is imported only when this layer runs.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...model.dates import paper_year
from ...model.numbers import whole
from ...model.package import TABLES
from ...model.paths import DESCRIPTOR, parse_json, safe_path
from ...system.files import kind_of
from ...system.problems import ClaimpackError, Problem
from ..gx_project import BATCH_DEFINITION, DATASOURCE, REFERENCES, import_gx, run_config

if TYPE_CHECKING:
    import pandas as pd

    from ...model.package import Package
    from ...model.tables import Table

LAYER = "expectations"
DOCS_SITE = "claimpack"
# COMPLETE is the only result format whose unexpected_index_list names every failing row.
RESULT_FORMAT = {"result_format": "COMPLETE"}
SHOWN_SET_VALUES = 8
SHOWN_TEXT = 60

@dataclass
class Frame:
    """One table as GX sees it: a DataFrame, where it came from, and its rows' numbers."""

    name: str
    rel: str
    data: pd.DataFrame
    row_numbers: list[int] | None = None  # frictionless numbers; None means index i is row i + 2

    def row(self, index: int) -> int:
        if self.row_numbers is None:
            return int(index) + 2
        return self.row_numbers[int(index)]


NUMERIC = {"number", "integer", "year"}


def frame_from_table(table: Table) -> Frame:
    """Build a DataFrame with dtypes from the table schema.

    Numbers, integers and years become float64 (NaN when empty): GX compares float64 columns
    vectorised but maps nullable Int64 columns through a Python function row by row.
    Strings become categoricals (see `orderable` for the exception), booleans the nullable
    boolean dtype.
    """
    import numpy as np
    import pandas as pd

    types = {f.get("name"): f.get("type", "string") for f in table.fields}
    header = list(dict.fromkeys(table.header))
    columns: dict[str, Any] = {}
    for name in header:
        values = table.column(name)  # the table is stored column by column
        kind = types.get(name, "string")
        if kind in NUMERIC:
            columns[name] = np.array(values, dtype="float64")  # None becomes NaN
        elif kind == "boolean":
            columns[name] = pd.array(values, dtype="boolean")
        else:
            # Categorical even for free text: GX filters the whole frame once per metric of every
            # conditional expectation, and taking integer codes is far cheaper than taking a
            # million scattered string objects. Categories come from the data, never the schema,
            # so an unknown value stays visible.
            codes, categories = pd.factorize(np.asarray(values, dtype=object))  # unsorted: faster
            columns[name] = pd.Categorical.from_codes(codes, categories=categories)
    data = pd.DataFrame(columns, index=pd.RangeIndex(len(table)))
    return Frame(table.name, table.rel, data, list(table.row_numbers))


ORDERING_KEYS = ("column_A", "column_B", "min_value", "max_value")


def orderable(data: pd.DataFrame, suite) -> pd.DataFrame:
    """Turn back to strings the categorical columns a suite compares by order.

    Unordered categoricals only support == and !=, so a column compared with < or > (a pair
    expectation, a between, an increasing sequence) must be plain strings.
    """
    import pandas as pd

    wanted = set()
    for expectation in suite.expectations:
        kwargs = expectation.configuration.kwargs
        if any(key in kwargs for key in ORDERING_KEYS) or "increasing" in expectation.expectation_type \
                or "decreasing" in expectation.expectation_type:
            wanted.update(kwargs.get(key) for key in ("column", "column_A", "column_B"))
    columns = [c for c in wanted if c in data.columns and isinstance(data[c].dtype, pd.CategoricalDtype)]
    if not columns:
        return data
    return data.assign(**{c: data[c].astype("str") for c in columns})


# validated by their suite when the package has them and its GX project has the suite (older ones do not)
OPTIONAL_TABLES = ("verifications", "defects")



def expectation_parameters(package: Package, frames: dict[str, Frame]) -> dict[str, Any]:
    """Values for the suites' $PARAMETER references: the sets foreign keys must fall in.

    When the referenced table could not be read, the set is every value the references use:
    the unreadable table is reported once rather than as a broken reference on every row.
    """

    def values(table: str, column: str) -> set | None:
        frame = frames.get(table)
        if frame is None or column not in frame.data.columns:
            return None
        return set(frame.data[column].dropna().tolist())

    parameters: dict[str, Any] = {}
    for name, ((table, column), referrers) in REFERENCES.items():
        found = values(table, column)
        if found is None:
            found = set().union(*(values(t, c) or set() for t, c in referrers))
        cast = int if name == "footnote_numbers" else str
        parameters[name] = sorted({cast(v) for v in found})
    ids: set = set()
    for table in ("claims", "events"):
        ids |= values(table, "id") or set()
    parameters["record_ids"] = sorted(str(v) for v in ids)
    own = package.config.get("own_source")
    parameters["paper_year"] = paper_year(package) or time.gmtime().tm_year  # nothing after it
    parameters["own_source"] = [own] if own else []
    return parameters


# ---- running ---------------------------------------------------------------------------------
def budget(data_bytes: int):
    """What the suites may spend, as frictionless's child may: a minute of CPU and a second more per MB of
    data, 4 GB of memory beyond the tables already read. A suite is the package's own: a regular
    expression that backtracks for ever ("^(a+)+$" on a long cell) must cost a refusal, not the machine."""
    from ...system.bounded import Budget

    cpu = 60 + data_bytes // 1_000_000
    return Budget(memory_bytes=4 << 30, cpu_seconds=cpu, wall_seconds=2.0 * cpu + 30)


def check_bounded(package: Package, docs_dir: Path | None, data_bytes: int) -> tuple[list[Problem], dict]:
    """`check`, run in a child process within `budget` (claimpack.system.bounded)."""
    import functools

    from ...system.bounded import run_bounded

    gx_rel = str(package.config.get("expectations") or "validation/gx")
    return run_bounded(functools.partial(check, package, docs_dir),
                       label=f"{gx_rel}/expectations", what="running the Great Expectations suites",
                       budget=budget(data_bytes), expected="suites that run within their budget (a regular "
                       "expression that backtracks without end never does)")


def check(package: Package, docs_dir: Path | None = None) -> tuple[list[Problem], dict]:
    """Run every committed suite on the package's tables; return the problems and a summary.

    The suites say only what the Table Schema cannot (claimpack.init.suites writes no expectation
    another layer checks), so every failed expectation is reported, once.
    """
    started = time.perf_counter()
    gx_rel = str(package.config.get("expectations") or "validation/gx")
    problems: list[Problem] = []
    summary = {"suites": 0, "expectations": 0, "failed": 0, "seconds": 0.0, "docs": None}
    try:
        gx_dir = safe_path(package.root, gx_rel, DESCRIPTOR, "claimpack.expectations", kind="directory")
    except ClaimpackError as exc:
        problems.append(_problem(exc.problem.file, None, exc.problem.field, exc.problem.message,
                                 exc.problem.expected, "gx-project"))
        summary["seconds"] = round(time.perf_counter() - started, 3)
        return problems, summary

    frames: dict[str, Frame] = {}
    for name in dict.fromkeys((*TABLES, *OPTIONAL_TABLES)):
        if not package.has(name):
            continue
        if name in OPTIONAL_TABLES and not (gx_dir / "expectations" / f"{name}.json").is_file():
            continue  # a project that predates the optional resource has no suite for it: nothing to run
        try:
            frames[name] = frame_from_table(package.table(name))
        except ClaimpackError as exc:
            problems.append(_problem(exc.problem.file or package.rel(name), exc.problem.row, None,
                                     f"table not validated: {exc.problem.message}", exc.problem.expected,
                                     "table-unreadable"))
    parameters = expectation_parameters(package, frames)
    found, summary = validate_frames(gx_dir, frames, parameters, docs_dir=docs_dir, gx_rel=gx_rel, started=started)
    return problems + found, summary


def validate_frames(gx_dir: Path, frames: dict[str, Frame], parameters: dict[str, Any], *,
                    docs_dir: Path | None = None, gx_rel: str = "validation/gx",
                    started: float | None = None) -> tuple[list[Problem], dict]:
    """Validate each frame with the suite of the same name in the GX project at gx_dir."""
    started = time.perf_counter() if started is None else started
    problems: list[Problem] = []
    summary: dict[str, Any] = {"suites": 0, "expectations": 0, "failed": 0, "seconds": 0.0,
                               "docs": None}
    config = gx_dir / "great_expectations.yml"
    if not config.is_file():
        problems.append(_problem(f"{gx_rel}/great_expectations.yml", None, None,
                                 "the Great Expectations project is missing",
                                 "a GX project with one suite per resource", "gx-project"))
        summary["seconds"] = round(time.perf_counter() - started, 3)
        return problems, summary

    gx = import_gx()
    outcomes: list[tuple[str, bool, str]] = []
    with tempfile.TemporaryDirectory(prefix="claimpack-gx-") as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        root = Path(tmp) / "gx"
        refused = stage_project(gx_dir, root, list(frames), gx_rel)
        problems.extend(refused)
        unread = {Path(problem.file).stem for problem in refused if "/expectations/" in problem.file}
        try:
            context = gx.get_context(mode="file", context_root_dir=str(root))
        except Exception as exc:  # GX raises many types for a bad config
            problems.append(_problem(f"{gx_rel}/great_expectations.yml", None, None,
                                     f"cannot load the Great Expectations project: {_first_line(exc)}",
                                     "a valid great_expectations.yml", "gx-project"))
            summary["seconds"] = round(time.perf_counter() - started, 3)
            return problems, summary
        for name, frame in frames.items():
            if name in unread:  # one problem already says why
                continue
            suite_rel = f"{gx_rel}/expectations/{name}.json"
            suite, found = _load_suite(context, root, name, suite_rel)
            if isinstance(found, Problem):
                problems.append(found)
                continue
            problems.extend(found)
            definition = _validation_definition(gx, context, name, suite)
            try:
                result = _run_definition(definition, suite, orderable(frame.data, suite), parameters,
                                         keep=docs_dir is not None)
            except Exception as exc:  # GX failed as a whole, not one expectation
                problems.append(_problem(suite_rel, None, None, f"the suite could not run: {_first_line(exc)}",
                                         "a suite GX can run on this table", "suite-error"))
                continue
            summary["suites"] += 1
            summary["expectations"] += len(result.results)
            summary["failed"] += sum(1 for r in result.results if not r.success)
            outcomes.append((name, bool(result.success), suite_rel))
            problems.extend(problems_from_result(result, frame))
        if docs_dir is not None and outcomes:
            try:
                context.build_data_docs(site_names=[_docs_site(context)])
                site = _site_directory(context, root)
                from ..data_docs import make_offline

                make_offline(site, outcomes)
                _copy_site(site, Path(docs_dir))
                summary["docs"] = str(docs_dir)
            except Exception as exc:  # the validation stands; only its Data Docs are missing
                fault = _system_error(exc)
                if fault is not None:  # a full disk or a read-only folder is the machine's, never the data's
                    raise fault from None
                problems.append(_problem(f"{gx_rel}/great_expectations.yml", None, None,
                                         f"Data Docs could not be built: {_first_line(exc)}",
                                         "a buildable data_docs_sites entry", "data-docs"))
    summary["seconds"] = round(time.perf_counter() - started, 3)
    return problems, summary


# ---- the project, as data --------------------------------------------------------------------
PROJECT_FOLDERS = ("expectations", "validation_definitions")
SUITE_BYTES = 64 << 20  # one suite or validation definition (the committed ones are a few kB)


def project_files(gx_dir: Path, gx_rel: str) -> tuple[dict[str, bytes], list[Problem]]:
    """The suites and validation definitions of a GX project ({"expectations/claims.json": bytes}).

    Only what is data is taken from the package: regular .json files of those two folders, read
    without following a link and without waiting on a FIFO. The package's great_expectations.yml
    is never loaded (it can name classes to import, a plugins folder to put on sys.path, stores on
    the network): the suites run in a project claimpack writes (`stage_project`).
    """
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    for folder in PROJECT_FOLDERS:
        place = gx_dir / folder
        if place.is_symlink() or not place.is_dir():
            if place.is_symlink() or place.exists():
                problems.append(_problem(f"{gx_rel}/{folder}", None, None, "is not a directory of the package",
                                         "a directory of suites, not a link or a file", "suite-unreadable"))
            continue
        for entry in sorted(os.scandir(place), key=lambda e: e.name):
            if not entry.name.endswith(".json"):
                continue
            rel = f"{gx_rel}/{folder}/{entry.name}"
            kind = _file_kind(entry)
            if kind:
                problems.append(_problem(rel, None, None, f"the suite is {kind}", "a regular file of the package",
                                         "suite-unreadable"))
                continue
            try:
                handle = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
                with os.fdopen(handle, "rb") as stream:
                    data = stream.read(SUITE_BYTES + 1)
            except OSError as exc:
                problems.append(_problem(rel, None, None, f"cannot read the suite: {exc.strerror}",
                                         "a readable file", "suite-unreadable"))
                continue
            if len(data) > SUITE_BYTES:
                problems.append(_problem(rel, None, None, f"the suite is larger than {SUITE_BYTES:,} bytes",
                                         f"at most {SUITE_BYTES:,} bytes", "suite-unreadable"))
                continue
            files[f"{folder}/{entry.name}"] = data
    return files, problems


def _file_kind(entry: os.DirEntry) -> str | None:
    """What a directory entry is when it is not a regular file ('a symbolic link', 'a FIFO', ...)."""
    import stat

    mode = entry.stat(follow_symlinks=False).st_mode
    return None if stat.S_ISREG(mode) else kind_of(mode)


def stage_project(gx_dir: Path, root: Path, names: list[str], gx_rel: str) -> list[Problem]:
    """Write a GX project at root to run the package's suites in: claimpack's config, the package's suites."""
    files, problems = project_files(gx_dir, gx_rel)
    for folder in PROJECT_FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        (root / rel).write_bytes(data)
    (root / "great_expectations.yml").write_text(run_config(names), encoding="utf-8")
    return problems


def _copy_site(site: Path, target: Path) -> None:
    """Copy the Data Docs site into target, raising the system's own error (a full disk, a read-only
    folder) rather than shutil's list of them."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(site.rglob("*")):
        destination = target / path.relative_to(site)
        if path.is_dir():
            destination.mkdir(exist_ok=True)
        else:
            try:
                shutil.copyfile(path, destination)
            except OSError as exc:  # name the file being written, not claimpack's temporary source
                raise OSError(exc.errno, exc.strerror, str(destination)) from None


def _system_error(error: BaseException) -> OSError | None:
    """The OSError with an errno behind an exception (GX wraps some), if the system refused something."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno:
            return error
        error = error.__cause__ or error.__context__
    return None


def _run_definition(definition, suite, data: pd.DataFrame, parameters: dict[str, Any], keep: bool):
    """Run a validation definition on a table; `keep` stores the result, which the Data Docs are built from.

    Without Data Docs nothing reads the stored result, so the definition's validator runs the
    suite directly, as `ValidationDefinition.run` does before it serialises and stores the result.
    """
    if keep:
        return definition.run(batch_parameters={"dataframe": data}, expectation_parameters=parameters,
                              result_format=RESULT_FORMAT)
    from great_expectations.validator.v1_validator import Validator

    validator = Validator(batch_definition=definition.batch_definition, batch_parameters={"dataframe": data},
                          result_format=RESULT_FORMAT)
    return validator.validate_expectation_suite(suite, parameters)


def _load_suite(context, root: Path, name: str, suite_rel: str):
    path = root / "expectations" / f"{name}.json"
    if not path.is_file():
        return None, _problem(suite_rel, None, None, f"no expectation suite for resource {name}",
                              f"a committed suite {name}.json", "suite-missing")
    try:
        text = path.read_text(encoding="utf-8")
        raw = json.loads(text)
        parse_json(text, suite_rel)  # nested no deeper than a suite can be (GX recurses into it)
    except (OSError, UnicodeDecodeError) as exc:
        return None, _problem(suite_rel, None, None, f"cannot read the suite: {_first_line(exc)}",
                              "a UTF-8 JSON file", "suite-unreadable")
    except json.JSONDecodeError as exc:
        return None, _problem(suite_rel, exc.lineno, None, f"the suite is not valid JSON: {exc.msg}",
                              "a JSON expectation suite", "suite-unreadable")
    except (RecursionError, ClaimpackError):
        return None, _problem(suite_rel, None, None, "the suite is nested too deeply to read",
                              "a JSON expectation suite", "suite-unreadable")
    try:
        suite = context.suites.get(name)
    except Exception as exc:  # a suite GX cannot deserialise at all
        return None, _problem(suite_rel, None, None, f"GX cannot load the suite: {_first_line(exc)}",
                              "a suite of known expectations with valid arguments", "suite-invalid")
    return suite, _dropped_expectations(raw, suite, suite_rel)


def _dropped_expectations(raw: Any, suite, suite_rel: str) -> list[Problem]:
    """Expectations GX left out of the suite: it logs and skips an unknown or invalid one."""
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    loaded = {e.id for e in suite.expectations}
    listed = raw.get("expectations") if isinstance(raw, dict) else None
    problems = []
    for number, item in enumerate(listed if isinstance(listed, list) else [], start=1):
        if isinstance(item, dict) and item.get("id") in loaded:
            continue
        kind = item.get("type", "?") if isinstance(item, dict) else "?"
        try:
            ExpectationConfiguration(**item).to_domain_obj()
            reason = "GX did not load it"
        except Exception as exc:
            reason = _first_line(exc)
        problems.append(_problem(suite_rel, None, None, f"expectation {number} ({kind}) is skipped: {reason}",
                                 "a known expectation with valid arguments", "suite-invalid"))
    return problems


def _validation_definition(gx, context, name: str, suite):
    """The committed validation definition for this resource, or one made on the fly."""
    try:
        return context.validation_definitions.get(name)
    except Exception:  # not committed (another package's project): wire it up here
        try:
            datasource = context.data_sources.get(DATASOURCE)
        except Exception:
            datasource = context.data_sources.add_pandas(DATASOURCE)
        try:
            asset = datasource.get_asset(name)
        except Exception:
            asset = datasource.add_dataframe_asset(name)
        try:
            batch = asset.get_batch_definition(BATCH_DEFINITION)
        except Exception:
            batch = asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION)
        return context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=name, data=batch, suite=suite))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


def _problem(file: str, row: int | None, field_: str | None, message: str, expected: str | None,
             code: str) -> Problem:
    return Problem(file, row, field_, message, expected, layer=LAYER, code=code)


# ---- results to problems ---------------------------------------------------------------------
def fmt(value: Any) -> str:
    """A cell value as a message shows it: numbers as printed, strings quoted and shortened."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "empty"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float) or hasattr(value, "dtype"):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return str(value)
        if math.isnan(number):
            return "empty"
        integer = whole(number)
        return str(integer) if integer is not None else f"{number:g}".replace("e+", "e")
    text = str(value)
    if len(text) > SHOWN_TEXT:
        text = text[: SHOWN_TEXT - 1] + "…"
    return repr(text)


def fmt_bound(value: Any) -> str:
    """A bound as a person writes it: 100, 100000, 9e9, 1e14."""
    text = fmt(value)
    if isinstance(value, int | float) and abs(value) >= 1e6:
        compact = f"{float(value):g}".replace("e+", "e")
        if float(compact) == float(value):
            return compact
    return text


def _plain(value: Any) -> str:
    """A parameter as a sentence shows it: no quotes around words."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).lower()
    return fmt(value)


def _condition_dict(condition: Any) -> dict | None:
    if condition is None or isinstance(condition, str):
        return None
    if isinstance(condition, dict):
        return condition
    if hasattr(condition, "dict"):
        return condition.dict()
    return None


def describe_condition(condition: Any) -> str:
    """A row condition in words: ' for unit percent', ' where ibid is true'."""
    if isinstance(condition, str) and condition:
        return f" where {condition}"
    data = _condition_dict(condition)
    if not data:
        return ""
    kind = data.get("type")
    if kind in ("and", "or"):
        parts = [describe_condition(c).strip() for c in data.get("conditions", [])]
        return " " + f" {kind} ".join(p for p in parts if p)
    column = (data.get("column") or {}).get("name", "?")
    if kind == "nullity":
        return f" where {column} is {'empty' if data.get('is_null') else 'given'}"
    if kind == "pass_through":
        return f" where {data.get('pass_through_filter')}"
    operator, parameter = str(data.get("operator")), data.get("parameter")
    if operator == "==" and isinstance(parameter, str):
        return f" for {column} {parameter}"
    if operator == "==":
        return f" where {column} is {_plain(parameter)}"
    if operator == "!=":
        return f" where {column} is not {_plain(parameter)}"
    if operator in ("IN", "NOT_IN"):
        values = list(parameter or [])
        words = ", ".join(_plain(v) for v in values[:-1]) + (" or " if len(values) > 1 else "")
        words += _plain(values[-1]) if values else ""
        return f" for {column} {words}" if operator == "IN" else f" where {column} is not {words}"
    return f" where {column} {operator} {_plain(parameter)}"


def _value_set(values: Any) -> str:
    if values is None:
        return "any value"
    values = list(values)
    shown = ", ".join(_plain(v) for v in values[:SHOWN_SET_VALUES])
    if len(values) > SHOWN_SET_VALUES:
        shown += f", … ({len(values)} values)"
    return f"one of {shown}"


def _bounds(kwargs: dict, column: str) -> tuple[str, str]:
    """The 'outside' phrase of a between-expectation and what it expected."""
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    low_op = "<" if kwargs.get("strict_min") else "<="
    high_op = "<" if kwargs.get("strict_max") else "<="
    low_text, high_text = fmt_bound(low), fmt_bound(high)
    if low is not None and high is not None:
        return f"is outside {low_text}..{high_text}", f"{low_text} {low_op} {column} {high_op} {high_text}"
    if low is not None:
        return f"is below {low_text}", f"{column} {'>' if kwargs.get('strict_min') else '>='} {low_text}"
    return f"is above {high_text}", f"{column} {high_op} {high_text}"


ROW_MESSAGES = {
    # type: (problem, expected) templates; meta "problem" / "expected" in a suite override them.
    "expect_column_values_to_not_be_null": ("{column} is empty{condition}", "a value"),
    "expect_column_values_to_be_null": ("{column} is {value}{condition}", "empty"),
    "expect_column_values_to_be_unique": ("{column} {value} is duplicated (rows {rows})", "a unique value"),
    "expect_compound_columns_to_be_unique": ("{column} {value} is duplicated (rows {rows})",
                                             "a unique combination"),
    "expect_select_column_values_to_be_unique_within_record": ("{column} {value} repeat within the row",
                                                               "different values"),
    "expect_multicolumn_values_to_be_unique": ("{column} {value} repeat within the row", "different values"),
    "expect_column_values_to_match_regex": ("{column} {value} does not match {regex}{condition}",
                                            "a match for {regex}"),
    "expect_column_values_to_not_match_regex": ("{column} {value} matches {regex}{condition}",
                                                "no match for {regex}"),
    "expect_column_values_to_be_in_set": ("{column} {value} is not allowed{condition}", "{value_set}"),
    "expect_column_values_to_not_be_in_set": ("{column} {value} is not allowed{condition}",
                                              "none of {value_set_items}"),
    "expect_column_values_to_be_between": ("{column} {value} {outside}{condition}", "{range}"),
    "expect_column_pair_values_a_to_be_greater_than_b": ("{column_A} {value_A} {comparison} {column_B} "
                                                         "{value_B}{condition}", "{column_A} {operator} "
                                                         "{column_B}"),
    "expect_column_pair_values_to_be_equal": ("{column_A} {value_A} differs from {column_B} {value_B}"
                                              "{condition}", "{column_A} == {column_B}"),
    "expect_column_values_to_be_integer_valued": ("{column} {value} is not a whole number{condition}",
                                                  "a whole number"),
    "expect_column_values_to_be_iso_dates_not_after_year": ("{column} {value} is after {year}{condition}",
                                                           "an ISO 8601 date in or before {year}"),
    "expect_column_values_to_be_increasing": ("{column} {value} does not increase on the row before",
                                              "values in increasing order"),
    "expect_column_values_to_be_decreasing": ("{column} {value} does not decrease on the row before",
                                              "values in decreasing order"),
}


class _Fields(dict):
    """Template fields; an unknown placeholder stays visible rather than raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _render(template: str, values: dict) -> str:
    return template.format_map(_Fields(values))


def _exception_message(result) -> str | None:
    info = result.exception_info or {}
    if info.get("raised_exception"):
        return info.get("exception_message") or "unknown error"
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return value.get("exception_message") or "unknown error"
    return None


def problems_from_result(suite_result, frame: Frame) -> list[Problem]:
    """Turn a suite's validation result into Problems, one per failing row."""
    problems: list[Problem] = []
    for result in suite_result.results:
        if result.success:
            continue
        config = result.expectation_config
        kind, kwargs, meta = config.type, dict(config.kwargs), dict(config.meta or {})
        column = kwargs.get("column") or (", ".join(kwargs["column_list"]) if kwargs.get("column_list")
                                          else None)
        condition = describe_condition(kwargs.get("row_condition"))
        error = _exception_message(result)
        if error is not None:
            missing = re.search(r'column "([^"]+)" in BatchData does not exist', error)
            message = (f"column {missing.group(1)} is missing, so {kind} could not run" if missing
                       else f"{kind} could not run: {error.splitlines()[0]}")
            problems.append(_problem(frame.rel, None, column, message, meta.get("expected"), kind))
            continue
        details = result.result or {}
        if "unexpected_index_list" in details:
            problems.extend(_row_problems(frame, kind, kwargs, meta, column, condition,
                                          details.get("unexpected_index_list") or []))
        else:
            problems.append(_table_problem(frame, kind, kwargs, meta, column, condition, details))
    # Table-wide problems first, then row by row; within a row, in the suite's order.
    return sorted(problems, key=lambda p: -1 if p.row is None else p.row)


def _row_problems(frame: Frame, kind: str, kwargs: dict, meta: dict, column: str | None,
                  condition: str, indexes: list) -> list[Problem]:
    data = frame.data
    problem_template, expected_template = ROW_MESSAGES.get(kind, ("{column} {value} fails " + kind
                                                                   + "{condition}", kind))
    problem_template = meta.get("problem", problem_template)
    expected_template = meta.get("expected", expected_template)
    columns = kwargs.get("column_list") or [c for c in (kwargs.get("column"), kwargs.get("column_A"),
                                                        kwargs.get("column_B")) if c]
    common = {"column": column, "condition": condition, "regex": kwargs.get("regex"),
              "year": _plain(kwargs.get("year")), "column_A": kwargs.get("column_A"),
              "column_B": kwargs.get("column_B"), "value_set": _value_set(kwargs.get("value_set")),
              "value_set_items": _value_set(kwargs.get("value_set"))[len("one of "):]}
    if kind == "expect_column_values_to_be_between":
        common["outside"], common["range"] = _bounds(kwargs, column or "value")
    if kind == "expect_column_pair_values_a_to_be_greater_than_b":
        common["comparison"] = "is less than" if kwargs.get("or_equal") else "is not greater than"
        common["operator"] = ">=" if kwargs.get("or_equal") else ">"
    duplicates: dict[Any, list[int]] = {}
    if kind in ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"):
        for index in indexes:
            duplicates.setdefault(_key(data, columns, index), []).append(frame.row(index))
    expected = _render(expected_template, common)
    problems = []
    for index in indexes:
        row = frame.row(index)
        values = dict(common)
        cells = [data.at[index, c] if c in data.columns else None for c in columns]
        values["value"] = fmt(cells[0]) if len(cells) == 1 else "(" + ", ".join(fmt(v) for v in cells) + ")"
        if kwargs.get("column_A"):
            values["value_A"] = fmt(data.at[index, kwargs["column_A"]])
            values["value_B"] = fmt(data.at[index, kwargs["column_B"]])
        if duplicates:
            values["rows"] = ", ".join(str(r) for r in duplicates[_key(data, columns, index)])
        # A pair expectation is about column_A (it must be >= column_B); a compound one about all.
        field_name = column or kwargs.get("column_A") or ", ".join(columns) or None
        message = _render(problem_template, values)
        problems.append(_problem(frame.rel, row, field_name, message, expected, kind))
    return problems


def _key(data, columns: list[str], index) -> tuple:
    return tuple(fmt(data.at[index, c]) for c in columns)


def _table_problem(frame: Frame, kind: str, kwargs: dict, meta: dict, column: str | None,
                   condition: str, details: dict) -> Problem:
    observed = details.get("observed_value")
    if kind == "expect_table_row_count_to_be_between":
        outside, expected = _bounds(kwargs, "rows")
        message = f"the table has {fmt(observed)} rows"
    elif kind == "expect_table_row_count_to_equal":
        message, expected = f"the table has {fmt(observed)} rows", f"{fmt(kwargs.get('value'))} rows"
    elif kind == "expect_column_distinct_values_to_contain_set":
        present = set(observed or [])
        missing = [v for v in kwargs.get("value_set") or [] if v not in present]
        message = f"{column} has no row {', '.join(fmt(v) for v in missing)}{condition}"
        expected = f"a row with each of {', '.join(fmt(v) for v in kwargs.get('value_set') or [])}"
    elif kind in ("expect_table_columns_to_match_set", "expect_table_columns_to_match_ordered_list"):
        mismatched = (details.get("details") or {}).get("mismatched") or {}
        parts = []
        if isinstance(mismatched, dict):
            if mismatched.get("missing"):
                parts.append("missing " + ", ".join(map(str, mismatched["missing"])))
            if mismatched.get("unexpected"):
                parts.append("unexpected " + ", ".join(map(str, mismatched["unexpected"])))
        found = f"found {', '.join(map(str, observed or []))}"
        message = "columns do not match: " + ("; ".join(parts) or found)
        expected = ", ".join(map(str, kwargs.get("column_set") or kwargs.get("column_list") or []))
    elif kind == "expect_column_to_exist":
        message, expected = f"column {column} is missing", f"a column {column}"
    elif "min_value" in kwargs or "max_value" in kwargs:
        outside, expected = _bounds(kwargs, kind.removeprefix("expect_column_").split("_to_")[0])
        message = f"{column}: observed {fmt(observed)} {outside}{condition}"
    else:
        message = f"{kind} failed{condition}"
        if observed is not None:
            message += f": observed {fmt(observed)}"
        expected = kind
    message = _render(meta.get("problem", message), {"column": column, "observed": fmt(observed),
                                                     "condition": condition})
    return _problem(frame.rel, None, column, message, meta.get("expected", expected), kind)


# ---- Data Docs -------------------------------------------------------------------------------
def _docs_site(context) -> str:
    sites = context.get_config().data_docs_sites or {}
    return DOCS_SITE if DOCS_SITE in sites else next(iter(sites), DOCS_SITE)


def _site_directory(context, root: Path) -> Path:
    sites = context.get_config().data_docs_sites or {}
    site = sites.get(_docs_site(context)) or {}
    base = (site.get("store_backend") or {}).get("base_directory", "uncommitted/data_docs/local_site/")
    path = Path(base)
    return path if path.is_absolute() else root / path


