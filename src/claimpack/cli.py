"""The `claimpack` command: one group, one verb per task."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from . import __version__
from .problems import ClaimpackError

EXIT_VALID, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
PACKAGE_DIR = click.argument("package_dir", required=False, default=".",
                             type=click.Path(file_okay=False, path_type=Path))


def _fail(error: ClaimpackError) -> None:
    click.echo(f"claimpack: {error}", err=True)
    sys.exit(error.exit_code)


class Group(click.Group):
    """Turn bad input into one line and exit 2, and a bug into one line and exit 3: never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ClaimpackError as error:
            _fail(error)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("claimpack: interrupted; nothing was changed", err=True)
            sys.exit(130)
        except Exception as error:
            if os.environ.get("CLAIMPACK_DEBUG"):
                raise
            click.echo(f"claimpack: internal error: {type(error).__name__}: {error} "
                       "(please report it; CLAIMPACK_DEBUG=1 shows the traceback)", err=True)
            sys.exit(EXIT_INTERNAL)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="claimpack")
def main() -> None:
    """Turn a paper's figures into a verifiable data package and a report rebuilt from it.

    Exit codes: 0 valid / done, 1 invalid data, 2 usage or unreadable input, 3 internal error.
    """


@main.command()
@PACKAGE_DIR
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON for machines.")
@click.option("--skip", multiple=True, metavar="LAYER",
              help="Skip a layer: frictionless, expectations, provenance, consistency, coverage, crosscheck.")
@click.option("--docs", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Build the Great Expectations Data Docs into this directory.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the problems and the summary.")
def validate(package_dir: Path, as_json: bool, skip: tuple[str, ...], docs: Path | None, quiet: bool) -> None:
    """Validate a package with every layer and print one line per problem.

    Runs frictionless, Great Expectations, provenance (quotes, figures, footnotes and sources
    against the paper), consistency (checks.csv) and coverage (every number of the paper), plus
    cross-checks reported as warnings. Lines read `file:row: field: what is wrong (expected)`.

    Example: claimpack validate . --json > report.json
    """
    from .validate import validate as run

    started = time.perf_counter()
    progress = None if (as_json or quiet) else (lambda message: click.echo(f"· {message}", err=True))
    report = run(package_dir, skip=skip, docs_dir=docs, progress=progress)
    if as_json:
        click.echo(report.to_json())
    else:
        for problem in report.problems:
            click.echo(problem.line())
        click.echo(f"{report.summary()} in {time.perf_counter() - started:.1f}s", err=not report.problems)
    sys.exit(EXIT_VALID if report.valid else EXIT_INVALID)


@main.command()
@PACKAGE_DIR
def rehash(package_dir: Path) -> None:
    """Record the current sha256 and size of every resource file in datapackage.json.

    Refuses unless everything else validates: an edit is accepted deliberately, never by accident.

    Example: claimpack rehash .
    """
    from .integrity import rehash as run

    changed = run(package_dir, progress=lambda message: click.echo(f"· {message}", err=True))
    for name in changed:
        click.echo(f"rehashed {name}")
    if not changed:
        click.echo("every hash was already current")
