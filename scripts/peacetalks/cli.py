"""The ``peacetalks`` command: a thin click layer over the library modules.

Every command acts on the data package in the current directory, or on the one that
``--package PATH/datapackage.json`` names. Heavy imports happen inside the commands that
need them, so that ``peacetalks --help`` stays instant.
"""

from __future__ import annotations

import sys

import click

from .package import DataPackage, PackageError

CONTEXT = {"help_option_names": ["-h", "--help"]}


def _load(package: str | None) -> DataPackage:
    """Open the package and its schemas, turning a broken descriptor into a one-line error."""
    try:
        pkg = DataPackage(package)
        pkg.tables  # noqa: B018  (reads every schema now, so a broken one fails here)
    except PackageError as err:
        raise click.ClickException(str(err)) from err
    except KeyError as err:
        raise click.ClickException(f"datapackage.json lacks the property {err}") from err
    return pkg


def _refuse(problems: list, outcome: str) -> None:
    """Print one line per problem and stop with exit code 1."""
    for problem in problems:
        click.echo(str(problem))
    click.echo(f"{len(problems)} problem(s); {outcome}.", err=True)
    sys.exit(1)


package_option = click.option(
    "--package", "package", type=click.Path(dir_okay=True), default=None,
    help="Path to datapackage.json (default: the one in the current directory).")


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="peacetalks")
def main() -> None:
    """Russia–Ukraine peace negotiations: validate, build, serve and query the data package."""


@main.command()
@package_option
@click.option("--cross-check", is_flag=True,
              help="Also run frictionless and pandera over every row (slower).")
def validate(package: str | None, cross_check: bool) -> None:
    """Check every CSV against its schema and the dataset's rules.

    Prints one line per problem as file:row:column:rule: message and exits 1 if there is any.

    Example: peacetalks validate
    """
    from .validate import validate as run

    pkg = _load(package)
    report = run(pkg, cross_check=cross_check)
    if not report.ok:
        _refuse(report.problems, "nothing was published")
    rows = sum(f.height for f in report.frames.values())
    click.echo(f"valid: {len(pkg.tables)} tables, {rows} rows")


@main.command("format")
@package_option
def format_(package: str | None) -> None:
    """Rewrite the CSVs in canonical form: schema column order, sorted by key, LF, no BOM.

    Example: peacetalks format
    """
    from .csvform import format_table

    pkg = _load(package)
    for table in pkg.tables:
        try:
            changed = format_table(table)
        except (ValueError, UnicodeDecodeError) as err:
            raise click.ClickException(f"{table.relpath}: cannot format: {err}") from err
        if changed:
            click.echo(f"rewrote {table.relpath}")


def _build_or_refuse(pkg: DataPackage, nothing: str):
    """Build, or exit 1 with the problems (invalid data) or one line (a failed write)."""
    from .build import BuildFailed, InvalidData, build

    try:
        return build(pkg)
    except InvalidData as err:
        _refuse(err.problems, nothing)
    except BuildFailed as err:
        raise click.ClickException(str(err)) from err


@main.command()
@package_option
def build(package: str | None) -> None:
    """Validate, then build build/peacetalks.duckdb, build/parquet/ and build/peacetalks.db.

    Invalid data builds nothing and leaves the previous build as it was.

    Example: peacetalks build
    """
    pkg = _load(package)
    result = _build_or_refuse(pkg, "nothing was built")
    total = sum(result.row_counts.values())
    click.echo(f"built {len(result.row_counts)} tables, {total} rows:")
    for path in result.outputs:
        click.echo(f"  {path.relative_to(pkg.root)}")


@main.command()
@package_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=int, help="Port to listen on.")
def serve(package: str | None, host: str, port: int) -> None:
    """Serve the built SQLite file read-only with Datasette (builds it first if missing).

    Example: peacetalks serve --port 8001
    """
    from .serve import serve as run

    pkg = _load(package)
    if not (pkg.sqlite_path.is_file() and pkg.metadata_path.is_file()
            and pkg.downloads_dir.is_dir()):
        click.get_current_context().invoke(build, package=package)
    click.echo(f"serving {pkg.sqlite_path.relative_to(pkg.root)} on http://{host}:{port}/")
    run(pkg, host, port)


@main.command()
@package_option
@click.argument("sql")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Output format.")
def query(package: str | None, sql: str, fmt: str) -> None:
    """Run SQL on build/peacetalks.duckdb (read-only) and print the result.

    Example: peacetalks query "SELECT track, count(*) FROM negotiation_rounds GROUP BY 1"
    """
    from .query import QueryError, run_query

    pkg = _load(package)
    try:
        click.echo(run_query(pkg, sql, fmt), nl=False)
    except QueryError as err:
        raise click.ClickException(str(err)) from err


def _regenerate(pkg: DataPackage, name: str, render, check: bool, command: str) -> None:
    """Rewrite a generated file, or with --check only say whether it is stale."""
    path = pkg.root / name
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    new = render(old)
    if check and new != old:
        raise click.ClickException(f"{name} is stale: run `peacetalks {command}`")
    if check:
        click.echo(f"{name} is up to date")
    elif new != old:
        path.write_text(new, encoding="utf-8")
        click.echo(f"rewrote {name}")


check_option = click.option("--check", is_flag=True,
                            help="Change nothing; exit 1 if the generated file is stale.")


@main.command()
@package_option
@check_option
def docs(package: str | None, check: bool) -> None:
    """Regenerate DATA-DICTIONARY.md and the table overview in README.md from the schemas.

    Example: peacetalks docs --check
    """
    from .dictionary import DICTIONARY, README, dictionary_document, render_readme

    pkg = _load(package)
    try:
        _regenerate(pkg, README, lambda old: render_readme(pkg, old), check, "docs")
        _regenerate(pkg, DICTIONARY, lambda old: dictionary_document(pkg), check, "docs")
    except ValueError as err:
        raise click.ClickException(str(err)) from err


@main.command()
@package_option
@check_option
@click.option("--format", "fmt", type=click.Choice(["cff", "bibtex", "apa", "text"]),
              default=None, help="Print the citation in this format instead of writing the file.")
def cite(package: str | None, check: bool, fmt: str | None) -> None:
    """Write CITATION.cff and .zenodo.json from datapackage.json and the version's CHANGELOG entry.

    With --format, print the citation of the current version (BibTeX, APA, plain text or CFF).

    Example: peacetalks cite --format bibtex
    """
    from .citation import CitationError, generated_files, render

    pkg = _load(package)
    if not fmt and pkg.work_in_progress:
        # Work in progress is not citable: the files keep citing the last release until step 3
        # of a release (README, "Releases and citing") sets `created`.
        note = (f"{pkg.version} is work in progress (datapackage.json has no `created`): "
                "CITATION.cff and .zenodo.json keep citing the last release")
        if check:
            click.echo(note)
            return
        raise click.ClickException(f"{note}; set `created` when you cut {pkg.version}")
    try:
        if fmt:
            click.echo(render(pkg, fmt), nl=False)
        else:
            for name, text in generated_files(pkg).items():
                _regenerate(pkg, name, lambda old, text=text: text, check, "cite")
    except CitationError as err:
        raise click.ClickException(str(err)) from err


@main.command()
@package_option
def release(package: str | None) -> None:
    """Cut the release of the version in datapackage.json into dist/, reproducibly.

    Refuses (exit 1, nothing written to dist/) unless the data validate, the git tree is
    clean, CHANGELOG.md has the version's entry, "created" matches its date, the version is
    above every earlier release and data and schemas are unchanged since its release commit.
    Writes the zip, the DuckDB and SQLite files and SHA256SUMS; tags the commit v<version>.

    Example: peacetalks release
    """
    from .build import BuildFailed, InvalidData
    from .release import ReleaseError, make_release

    pkg = _load(package)
    try:
        result = make_release(pkg)
    except InvalidData as err:
        _refuse(err.problems, "nothing was released")
    except (ReleaseError, BuildFailed) as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"released {result.version} from commit {result.commit[:12]} ({result.tag_note}):")
    for path in result.files:
        click.echo(f"  {path.relative_to(pkg.root)}")
    click.echo(f"sha256 {result.sha256}  {result.archive.name}")


@main.command()
@package_option
@click.argument("old")
@click.argument("new", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--limit", default=20, show_default=True,
              help="Keys listed per kind of change (text only).")
def diff(package: str | None, old: str, new: str | None, fmt: str, limit: int) -> None:
    """Schema changes, then rows added, removed and changed (by key) from OLD to NEW.

    OLD and NEW are each a released version, a git revision, a release .zip or a package
    folder; without NEW, the working copy.

    Example: peacetalks diff 0.1.0 --format csv
    """
    from .diff import diff_sides, render_as

    pkg = _load(package)
    try:
        click.echo(render_as(diff_sides(pkg, old, new), fmt, limit), nl=False)
    except ValueError as err:
        raise click.ClickException(str(err)) from err


@main.command()
@package_option
def changelog(package: str | None) -> None:
    """Draft the CHANGELOG section (Markdown, to stdout) from the diff to the last release.

    Example: peacetalks changelog >> draft.md
    """
    from .changelog import draft

    pkg = _load(package)
    try:
        click.echo(draft(pkg), nl=False)
    except ValueError as err:
        raise click.ClickException(str(err)) from err


@main.command()
@package_option
@click.option("--seconds", default=30.0, show_default=True, help="How long to keep the load on.")
@click.option("--connections", default=32, show_default=True, help="Connections for pages.")
@click.option("--workers", default=2, show_default=True, help="Client threads sharing them.")
@click.option("--expensive", default=2, show_default=True,
              help="Extra connections sending only queries the time limit must stop.")
def loadtest(package: str | None, seconds: float, connections: int, workers: int,
             expensive: int) -> None:
    """Load a private server on 127.0.0.1 and report req/s, 5xx, latency and peak memory.

    Exits 1 if any request got a 5xx or lost its connection.

    Example: peacetalks loadtest --seconds 30 --connections 32
    """
    from .loadtest import run_load

    pkg = _load(package)
    if not (pkg.sqlite_path.is_file() and pkg.metadata_path.is_file()):
        click.get_current_context().invoke(build, package=package)
    report = run_load(pkg, seconds, connections, workers, expensive)
    click.echo("\n".join(report.lines()))
    if report.server_errors or report.dropped:
        sys.exit(1)


@main.command()
@package_option
@click.option("--check", is_flag=True,
              help="Draw nothing; exit 1 if a picture in docs/img/ shows other data.")
def charts(package: str | None, check: bool) -> None:
    """Draw the dashboard charts into docs/img/*.png in headless Chromium (builds first).

    docs/img/charts.json records the hash of the data each picture shows.

    Example: peacetalks charts --check
    """
    from .charts import draw_charts, stale_charts

    pkg = _load(package)
    _build_or_refuse(pkg, "no chart was drawn")
    if check:
        stale = stale_charts(pkg)
        if stale:
            raise click.ClickException(f"stale chart pictures: {', '.join(stale)}: "
                                       "run `peacetalks charts`")
        click.echo("chart pictures are current")
        return
    for image in draw_charts(pkg):
        click.echo(f"drew {image.relative_to(pkg.root)}")
