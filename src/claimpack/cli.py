"""The `claimpack` command: one group, one verb per task."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from . import __version__
from .publish import FORMATS as EXPORT_FORMATS
from .system.problems import ClaimpackError
from .system.stopping import stopping
from .validation import LAYER_NAMES

EXIT_VALID, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3  # 3: also an environment fault
PACKAGE_DIR = click.argument("package_dir", required=False, default=".",
                             type=click.Path(file_okay=False, path_type=Path))


def say(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Print a line that may quote a path, an argument or the data: no character in it can drive a terminal."""
    from .system.controls import terminal_safe

    click.echo(terminal_safe(text), err=err, nl=nl)


def _fail(error: ClaimpackError) -> None:
    """The error as one line (a refusal that lists problems, rehash's, as its line and one line each)."""
    for line in getattr(error, "details", None) or [f"claimpack: {error}"]:
        say(line, err=True)
    sys.exit(error.exit_code)


class Stopped(KeyboardInterrupt):
    """A signal that ends claimpack (SIGTERM, SIGHUP, SIGQUIT), raised where the command stands, as Ctrl-C's
    KeyboardInterrupt is: every staging directory, lock and child is let go of on the way out."""

    def __init__(self, number: int):
        super().__init__(number)
        self.number = number


STOPPING = stopping()  # every signal whose default ends a process without a word (claimpack.system.stopping)


def _stop(number: int, _frame) -> None:
    raise Stopped(number)


def done(text: str) -> None:
    """Say that the command's work is done (the package written, the site swapped in): a signal after
    this point says so, rather than "nothing was changed"."""
    context = click.get_current_context(silent=True)
    if context is not None:
        context.meta["claimpack.done"] = text


def _quiet_third_party_logs() -> None:
    """No library's log line on claimpack's output (pdfminer's "Cannot concatenate matrix ...", pypandoc's
    tracebacks): what matters of their failures reaches the user as claimpack's own one line."""
    import logging

    root = logging.getLogger()
    if not any(isinstance(handler, logging.NullHandler) for handler in root.handlers):
        root.addHandler(logging.NullHandler())  # a handler, so Python's last-resort one never prints
    root.setLevel(logging.CRITICAL)


def _out_of_memory(error: BaseException) -> bool:
    """Whether an error is the process running out of memory under a limit (ulimit -v): a MemoryError, a
    library that could not be mapped, or a C extension's failure while the address space is nearly used up."""
    if isinstance(error, MemoryError):
        return True
    if isinstance(error, ImportError) and ("failed to map segment" in str(error)
                                           or "Cannot allocate memory" in str(error)):
        return True
    if not isinstance(error, SystemError | ImportError):
        return False
    try:
        from .system.bounded import _near_limit

        return _near_limit()
    except MemoryError:
        return True


class Group(click.Group):
    """Turn bad input into one line and exit 2, and a bug into one line and exit 3: never a traceback.

    Usage errors too (a missing argument, DIR that is a file, an unknown option) are one line, exit 2;
    SIGTERM, SIGHUP and SIGQUIT clean up as Ctrl-C does and end with one line, exit 128 + the signal.
    """

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        import logging
        import signal

        root = logging.getLogger()
        level, handlers = root.level, list(root.handlers)
        _quiet_third_party_logs()
        previous = {}
        for number in STOPPING:
            try:
                previous[number] = signal.signal(number, _stop)
            except ValueError:  # not the main thread: leave the signals as they are
                break
            except OSError:  # a signal this system does not let a process catch
                continue
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as error:
            command = f"{error.ctx.command_path} -h" if error.ctx is not None else "claimpack -h"
            say(f"claimpack: {' '.join(error.format_message().split())} (see '{command}')", err=True)
            sys.exit(EXIT_USAGE)
        except click.ClickException as error:
            say(f"claimpack: {' '.join(error.format_message().split())}", err=True)
            sys.exit(error.exit_code)
        except click.Abort:
            say("claimpack: interrupted; nothing was changed", err=True)
            sys.exit(130)
        except BrokenPipeError:  # the reader went away (claimpack -h | head): as click does, quietly
            sys.exit(1)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
            root.setLevel(level)
            root.handlers[:] = handlers
        sys.exit(code if isinstance(code, int) else EXIT_VALID)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ClaimpackError as error:
            _fail(error)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except BrokenPipeError:  # its reader went away (claimpack validate | head -1): no more to say, to anyone
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_INVALID)
        except OSError as error:  # the system refused: say why, as one line
            from .system.problems import fault_from

            _fail(fault_from(error))
        except KeyboardInterrupt as error:
            import signal

            number = error.number if isinstance(error, Stopped) else signal.SIGINT
            what = STOPPING.get(number, "interrupted")
            finished = ctx.meta.get("claimpack.done")
            say(f"claimpack: {what} after it {finished}" if finished else f"claimpack: {what}; nothing was changed",
                err=True)
            sys.exit(128 + number)
        except Exception as error:
            if os.environ.get("CLAIMPACK_DEBUG"):
                raise
            if _out_of_memory(error):
                from .system.problems import EnvironmentFault

                _fail(EnvironmentFault("environment fault, not a defect of the data: claimpack ran out of memory "
                                       "(a memory limit, ulimit -v, lower than it needs); nothing was changed"))
            say(f"claimpack: internal error: {type(error).__name__}: {error} "
                "(please report it; CLAIMPACK_DEBUG=1 shows the traceback)", err=True)
            sys.exit(EXIT_INTERNAL)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="claimpack")
def main() -> None:
    """Turn a paper's figures into a verifiable data package and a report rebuilt from it.

    Exit codes: 0 valid / done, 1 invalid data, 2 usage or unreadable input, 3 an environment fault
    (a full disk, a read-only file system) or an internal error.
    """


@main.command()
@PACKAGE_DIR
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON for machines.")
@click.option("--skip", multiple=True, metavar="LAYER",
              help=f"Skip a layer: {', '.join(LAYER_NAMES)}.")
@click.option("--docs", type=click.Path(path_type=Path), default=None,
              help="Build the Great Expectations Data Docs into this directory.")
@click.option("-q", "--quiet", is_flag=True,
              help="Print only the problems and the summary (not the findings defects.csv records).")
def validate(package_dir: Path, as_json: bool, skip: tuple[str, ...], docs: Path | None, quiet: bool) -> None:
    """Validate a package with every layer and print one line per problem.

    Runs frictionless, Great Expectations, provenance (quotes, figures, footnotes and sources
    against the paper), consistency (checks.csv) and coverage (every number of the paper), plus
    cross-checks reported as warnings, or as recorded when defects.csv records the defect they find.
    Lines read `file:row: field: what is wrong (expected)`.

    Example: claimpack validate . --json > report.json
    """
    from . import validate as run  # the Python API's claimpack.validate

    staging = None
    if docs is not None:
        from .model.package import Package
        from .publish.outputs import directory_target, docs_staging

        docs = directory_target(Package.load(package_dir), docs, "--docs")
        staging = docs_staging(docs)
    started = time.perf_counter()
    progress = None if (as_json or quiet) else (lambda message: say(f"· {message}", err=True))
    try:
        report = run(package_dir, skip=skip, docs_dir=staging, progress=progress)
        if staging is not None and any(staging.iterdir()):
            from .publish.build import swap_in
            from .publish.outputs import mark_directory

            mark_directory(staging)
            swap_in(staging, docs)  # whole, in one step: never written into, through a link planted there
    finally:
        if staging is not None:
            import shutil

            shutil.rmtree(staging, ignore_errors=True)
    if as_json:
        click.echo(report.to_json())
    else:
        for problem in report.problems:
            if not (quiet and problem.severity == "recorded"):  # a known defect of the paper is no news
                say(problem.line())
        saved = f" (the result saved {report.saved}; no input has changed)" if report.saved else ""
        say(f"{report.summary()} in {time.perf_counter() - started:.1f}s{saved}", err=True)
        if any(report.candidates.values()):
            say(report.review_line(), err=True)
    sys.exit(EXIT_VALID if report.valid else EXIT_INVALID)


@main.command()
@click.argument("paper", type=click.Path(path_type=Path))  # init says in one line what is wrong with either
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option("--license", "license_name", metavar="SPDX-ID", default=None,
              help="The licence of the records, as an SPDX identifier (CC-BY-4.0); release builds need one.")
def init(paper: Path, directory: Path | None, license_name: str | None) -> None:
    """Start a package for a paper: candidate claims and events for every number, ready to review.

    PAPER is Markdown, DOCX, ODT, HTML, LaTeX or a born-digital PDF (or a Markdown text converted
    page by page). DIR (default: a directory named after the paper) must be new or empty; the
    package is written whole or not at all, and validates as written. Every record is a
    candidate: review it, set its status to reviewed, then `claimpack validate` and `claimpack build`.

    Example: claimpack init paper.docx my-paper --license CC-BY-4.0 && claimpack validate my-paper
    """
    from .init.writer import init as run

    result = run(paper, directory, progress=lambda message: say(f"· {message}", err=True), license_name=license_name)
    done(f"wrote {result.root}")
    say(f"wrote {result.root}: {result.claims} candidate claims, {result.events} candidate events, "
               f"{result.exclusions} coverage exclusions, {result.footnotes} footnotes, {result.sources} sources")
    for warning in result.warnings:
        say(f"claimpack: warning: {warning}", err=True)


@main.command()
@click.argument("name", required=False)
@click.argument("dest", required=False, type=click.Path(path_type=Path))
def example(name: str | None, dest: Path | None) -> None:
    """Write an example paper shipped with claimpack, to try `claimpack init` on.

    Without NAME, list the examples. DEST is a new file or an existing directory to write NAME into
    (default: the current directory); an existing file is never replaced.

    Example: claimpack example water.md && claimpack init water.md water
    """
    from .init.examples import EXAMPLES, write_example

    if name is None:
        for known, what in EXAMPLES.items():
            say(f"{known}: {what}")
        return
    say(f"wrote {write_example(name, dest)}")


@main.command()
@PACKAGE_DIR
def rehash(package_dir: Path) -> None:
    """Record the current sha256 and size of every resource file in datapackage.json.

    Refuses unless everything else validates: an edit is accepted deliberately, never by accident.

    Example: claimpack rehash .
    """
    from .publish.rehash import rehash as run

    changed = run(package_dir, progress=lambda message: say(f"· {message}", err=True))
    for name in changed:
        say(f"rehashed {name}")
    if not changed:
        say("every hash was already current")


@main.command()
@PACKAGE_DIR
@click.option("-o", "--out", type=click.Path(path_type=Path), default=None,
              help="Output directory (default: _site in the package directory): a new path, an empty directory "
                   "or one claimpack built before; never the package or a directory of its files.")
@click.option("--engine", type=click.Choice(["auto", "quarto", "builtin"]), default="auto", show_default=True,
              help="Render with quarto, the built-in engine, or quarto when it is on PATH.")
@click.option("--html-only", is_flag=True, help="Skip the PDF.")
@click.option("--force", is_flag=True, help="Rebuild even when no input changed.")
@click.option("--release", is_flag=True, help="Build for publication: refuse while any claim or event is still "
                                              "a candidate, or carries init's placeholder measure or note, or the "
                                              "package names no licence or no author.")
def build(package_dir: Path, out: Path | None, engine: str, html_only: bool, force: bool, release: bool) -> None:
    """Validate the package, then rebuild the report, the data zip and the Data Docs into _site.

    Refuses to render an invalid package, and with --release one with candidates left to
    review or placeholders left to fill in (measures, notes, licence, authors). Nothing is
    rebuilt when no input changed (the sha256 of every data file, report source, suite and of
    claimpack itself). The new _site replaces the old one in one atomic step; a failed build
    leaves the last good one.

    Example: claimpack build . --out _site
    """
    from .publish.build import BuildRefused
    from .publish.build import build as run

    def progress(message: str) -> None:
        say(f"[{time.perf_counter() - started:5.1f}s] {message}", err=True)

    started = time.perf_counter()
    try:
        result = run(package_dir, out=out, engine=engine, formats=("html",) if html_only else ("html", "pdf"),
                     force=force, progress=progress, release=release)
    except BuildRefused as refused:
        for problem in refused.report.problems:
            say(problem.line())
        say(f"claimpack: {refused}", err=True)
        sys.exit(EXIT_INVALID)
    done(f"built {result.site}" if result.rebuilt else f"found {result.site} up to date")
    if result.rebuilt:
        for name in ("index.html", "report.pdf"):
            if name in {Path(k).name for k in result.outputs}:
                say(f"built {result.site / name}")
        say(f"built in {result.seconds:.1f}s with the {result.engine} engine", err=True)
    else:
        say(f"up to date: {result.site} ({result.seconds:.2f}s)")


@main.command()
@PACKAGE_DIR
def prerender(package_dir: Path) -> None:
    """Quarto's pre-render step: validate the package and write report/references.bib.

    report/_quarto.yml runs it as `claimpack prerender ..` before every `quarto render`.

    Example: cd report && claimpack prerender ..
    """
    from .publish.build import BuildRefused
    from .publish.build import prerender as run

    try:
        run(package_dir)
    except BuildRefused as refused:
        for problem in refused.report.problems:
            say(problem.line())
        say(f"claimpack: {refused}", err=True)
        sys.exit(EXIT_INVALID)
    say("references.bib written", err=True)


def _package_option():
    return click.option("-p", "--package", "package_dir", type=click.Path(file_okay=False, path_type=Path),
                        default=".", show_default=True, help="The package directory.")


def _color(mode: str) -> bool:
    if mode == "always":
        return True
    if mode == "never" or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


@main.command()
@click.argument("record_id", metavar="ID")
@_package_option()
@click.option("--json", "as_json", is_flag=True, help="Print the record as JSON for machines.")
@click.option("--color", "color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Highlight with ANSI colours (auto: when stdout is a terminal and NO_COLOR is unset); "
                   "otherwise the quote is marked « ».")
def show(record_id: str, package_dir: Path, as_json: bool, color: str) -> None:
    """Show everything about one claim or event: figure, quote in its paragraph, footnote, cited work,
    checks and verification history.

    An unknown ID is one line naming the closest ids, exit 2.

    Example: claimpack show imet-training-funding-latam-2000-2017
    """
    import json

    from . import load
    from .factcheck.show import record, render
    from .system.controls import json_safe, terminal_safe_data

    data = terminal_safe_data(record(load(package_dir), record_id))  # the data can drive no terminal
    if as_json:
        click.echo(json_safe(json.dumps(data, indent=2, ensure_ascii=False)))
    else:
        use_color = _color(color)
        click.echo(render(data, color=use_color), nl=False, color=use_color)


@main.command()
@click.argument("query", nargs=-1, required=True)
@_package_option()
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON for machines.")
@click.option("-n", "--limit", type=click.IntRange(1, 10_000), default=10, show_default=True,
              help="Show at most this many hits.")
def find(query: tuple[str, ...], package_dir: Path, as_json: bool, limit: int) -> None:
    """Search claims and events, ranked; numbers match in any printed form, years match periods and dates.

    "236 million", "236m", "$236,000,000", "2.3 billion" and "43000" find a claim by its value;
    "IMET 2017" finds the IMET claims whose period holds 2017; words match ids, measures,
    events, quotes and cited works. Exit 1 when nothing matches.

    Example: claimpack find "236 million"
    """
    import json

    from . import load
    from .factcheck.find import render, search
    from .system.controls import json_safe, terminal_safe

    text = " ".join(query)
    hits = search(load(package_dir), text, limit)
    if as_json:
        click.echo(json_safe(json.dumps({"query": text, "hits": [hit.to_dict() for hit in hits]}, indent=2,
                                        ensure_ascii=False)))
    else:
        click.echo(terminal_safe(render(hits, text), lines=True), nl=False)
    sys.exit(EXIT_VALID if hits else EXIT_INVALID)


@main.command()
@click.argument("record_id", metavar="ID")
@_package_option()
@click.option("--verdict", required=True, help="confirmed, disputed, corrected or unverifiable.")
@click.option("--by", "by", required=True, help="Who records the verdict (a name or handle).")
@click.option("--note", required=True, help="What you found, in one line.")
@click.option("--evidence", default=None, help="An http or https address of the evidence.")
@click.option("--value", default=None, help="The value you found, in the claim's base units (236000000).")
def verify(record_id: str, package_dir: Path, verdict: str, by: str, note: str, evidence: str | None,
           value: str | None) -> None:
    """Record a fact-checker's verdict on a claim or event in data/verifications.csv (append-only).

    The row is checked first (known id, allowed verdict, http(s) evidence, a finite value,
    non-empty --by and --note): bad input changes nothing, exit 2. The log is locked while a row
    is appended, so writers at once never lose one; each row chains the hash of the one before,
    and the descriptor's hash and bytes are updated.

    Example: claimpack verify fms-sales-latam-2010-2015 --verdict confirmed --by "A. Checker"
    --note 'Isacson and Kinosian, p. 81, give $2.3 billion' --evidence https://www.wola.org/
    """
    from .factcheck.verify import append

    row = append(package_dir, record_id, verdict, by, note, evidence, value)
    say(f"recorded verdict {row['number']}: {row['record_id']} {row['verdict']} by {row['by']} "
               f"at {row['timestamp']}")


@main.command()
@PACKAGE_DIR
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="The port on 127.0.0.1 to serve on; 0 picks a free one (the printed address names it).")
@click.option("--no-browser", is_flag=True, help="Print the address only; do not open a browser.")
@click.option("--by", "by", default=None,
              help="Who reviews (a name or handle), logged with every action; default: git's user.name, else "
                   "the login name.")
def review(package_dir: Path, port: int, no_browser: bool, by: str | None) -> None:
    """Review the candidates in the browser: one card per record, keys a x e u j k ?.

    Serves a local page on 127.0.0.1 only, at an address holding a secret token (printed, as
    one line). Every action is validated, written at once (rehash included) and logged in
    data/reviews.csv; u undoes the last one exactly. Ctrl-C stops.

    Example: claimpack review . --no-browser --port 0
    """
    from .model.package import Package
    from .review.server import serve

    Package.load(package_dir)  # a directory that is no package is one line, exit 2
    say("· warming the validation (frictionless, Great Expectations, the package's problems)", err=True)
    serve(package_dir, port=port, by=by or reviewer_name(), open_browser=not no_browser,
          say=lambda line: click.echo(line))


def reviewer_name() -> str:
    """git's user.name, else the login name: who the reviews log says acted."""
    import getpass
    import subprocess

    try:
        name = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "reviewer"
    return name


@main.command()
@click.argument("fmt", metavar="FORMAT", type=click.Choice(EXPORT_FORMATS))
@_package_option()
@click.option("-o", "--out", type=click.Path(path_type=Path), default=None,
              help="Write to this file (atomically) instead of stdout; required for sqlite and xlsx. "
                   "A new path, or a file claimpack exported before; never a file of the package.")
@click.option("--force", is_flag=True, help="Replace an existing file that claimpack did not write "
                                            "(never a file of the package, a link or a device).")
def export(fmt: str, package_dir: Path, out: Path | None, force: bool) -> None:
    """Export the package: csv, json, sqlite, xlsx, csl-json, bibtex, claimreview or ro-crate.

    csv and json: every claim flattened with its footnote, citation, cited work and latest verdict.
    sqlite: every resource as a table with its keys, for Datasette. xlsx: a sheet per resource.
    csl-json and bibtex: the bibliography. claimreview: schema.org ClaimReview JSON-LD for the
    claims with a verdict. ro-crate: an RO-Crate 1.1 ro-crate-metadata.json for the package.
    Spreadsheet cells that could run as formulas are neutralised. -o writes only to a new path
    or a file claimpack exported before (--force replaces another file); never to a file of the
    package, a directory, a link or a device.

    Example: claimpack export sqlite -o claims.db
    """
    from .model.package import Package
    from .publish.export import export as run
    from .system.controls import terminal_safe

    text = run(Package.load(package_dir), fmt, out, force=force)
    if text is not None:
        # the data exactly as exported into a pipe or file; shown safely on a terminal
        click.echo(text if not sys.stdout.isatty() else terminal_safe(text, lines=True), nl=False, color=True)
    else:
        say(f"wrote {out}", err=True)


@main.group()
def vocabulary() -> None:
    """Declare the package's words once, in datapackage.json, and write what is generated from them.

    add-unit declares a unit (its code, description and the words that print it) in the
    descriptor's claimpack.units and claimpack.unit_words, then writes the claims schema's unit
    enum and the Great Expectations suites from the descriptor. sync writes them again after the
    descriptor was edited by hand. A unit is never added in three places.

    Example: claimpack vocabulary add-unit elo-points --description "Elo rating points" --word Elo
    """


@vocabulary.command("add-unit")
@click.argument("code")
@_package_option()
@click.option("--description", default="", help="What the unit is, in words (default: from pint, or the code).")
@click.option("--word", "words", multiple=True, help="A word that prints the unit after a number (repeatable).")
def add_unit(code: str, package_dir: Path, description: str, words: tuple[str, ...]) -> None:
    """Add a unit to the package's vocabulary and regenerate the schema enum and suites.

    Example: claimpack vocabulary add-unit GiB -p my-paper --word GiB --word gibibytes
    """
    from .init.vocabulary import add_unit as run

    added = run(package_dir, code, description, words)
    say(f"unit {added.code} ({added.description}) declared; wrote {', '.join(added.changed)}" if added.changed
        else f"unit {added.code} ({added.description}) was declared already: nothing written")


@vocabulary.command("sync")
@_package_option()
def sync(package_dir: Path) -> None:
    """Write the claims schema's unit enum and the suites from claimpack.units.

    Example: claimpack vocabulary sync -p my-paper
    """
    from .init.vocabulary import sync as run

    changed = run(package_dir)
    say(f"wrote {', '.join(changed)}" if changed else "up to date")
