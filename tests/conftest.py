"""Shared fixtures: a private copy of the data package for every test that changes it."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import tarfile
from pathlib import Path

import httpx
import pytest

from peacetalks.csvform import format_table
from peacetalks.live_site import free_port, running_server  # noqa: F401  (tests import free_port)
from peacetalks.package import DataPackage
from peacetalks.versions import latest_release

ROOT = Path(__file__).resolve().parents[1]
TEST_SOURCE = "test-source"
TEST_ACTOR = "XTEST-CITER"


@pytest.fixture(scope="session")
def repo() -> DataPackage:
    """The repository's own data package (read-only in tests)."""
    return DataPackage(ROOT / "datapackage.json")


@pytest.fixture(scope="session")
def cited(repo: DataPackage, tmp_path_factory: pytest.TempPathFactory) -> DataPackage:
    """The package a researcher can cite today: the repository itself once its version is
    released (it carries ``created``), else the tree of the last release commit, because work
    in progress is not citable and CITATION.cff keeps naming the last release."""
    if not repo.work_in_progress:
        return repo
    last = latest_release(ROOT)
    assert last is not None, "work in progress with no earlier release to cite"
    target = tmp_path_factory.mktemp("cited")
    tree = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", last.commit],
                          check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(tree)) as tar:
        tar.extractall(target, filter="data")
    return DataPackage(target / "datapackage.json")


def copy_package(target: Path) -> DataPackage:
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "datapackage.json", target)
    shutil.copytree(ROOT / "schemas", target / "schemas")
    shutil.copytree(ROOT / "data", target / "data")
    return DataPackage(target / "datapackage.json")


@pytest.fixture
def pkg(tmp_path: Path) -> DataPackage:
    """A throwaway copy of the package, with one extra source that test rows can cite.

    An extra actor names the source in its notes, so that the source counts as cited.
    """
    package = copy_package(tmp_path / "pkg")
    append_row(package, "sources", source_id=TEST_SOURCE, title="Test", publisher="Tests",
               url="https://example.org/test", language="en", source_type="news")
    append_row(package, "actors", actor_id=TEST_ACTOR, name="Test actor", actor_type="ngo",
               notes=f"Described in {TEST_SOURCE}.")
    format_table(package.table("sources"))
    format_table(package.table("actors"))
    return package


def append_row(package: DataPackage, table: str, **values: str) -> int:
    """Append one row (unnamed columns empty) and return its line number in the file."""
    t = package.table(table)
    unknown = set(values) - set(t.columns)
    assert not unknown, f"test bug: {unknown} not in {table}"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([values.get(c, "") for c in t.columns])
    with t.csv_path.open("a", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())
    return t.csv_path.read_text(encoding="utf-8").count("\n")


def problems_of(package: DataPackage) -> list[str]:
    from peacetalks.validate import validate

    return [str(p) for p in validate(package).problems]


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> DataPackage:
    """A copy of the repository's package, built once for every read-only build test."""
    from peacetalks.build import build

    package = copy_package(tmp_path_factory.mktemp("built") / "pkg")
    # The release date and citation come from CHANGELOG.md; the home page shows the charts.
    shutil.copy(ROOT / "CHANGELOG.md", package.root)
    if (ROOT / "docs" / "img").is_dir():
        shutil.copytree(ROOT / "docs" / "img", package.root / "docs" / "img")
    build(package)
    return package


def csv_row_counts(package: DataPackage) -> dict[str, int]:
    with_rows = {}
    for t in package.tables:
        with t.csv_path.open(encoding="utf-8", newline="") as f:
            with_rows[t.name] = sum(1 for _ in csv.reader(f)) - 1
    return with_rows


@pytest.fixture(scope="session")
def site(built, tmp_path_factory):
    """Datasette serving the built copy, started once for the HTTP and browser tests."""
    log_path = tmp_path_factory.mktemp("datasette") / "datasette.log"
    with running_server(built, log_path) as (base, _pid), \
            httpx.Client(base_url=base, timeout=10) as client:
        yield client
