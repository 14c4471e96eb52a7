"""A maintainer cuts a release that anyone can rebuild byte for byte, or is told why not."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from conftest import ROOT, append_row
from gitrepo import commit_all, cut, git, make_repo, set_descriptor, write_citation
from peacetalks.citation import citation_cff
from peacetalks.cli import main
from peacetalks.package import DataPackage
from peacetalks.release import make_release

STEM = "russia-ukraine-peace-talks-0.1.0"


def test_the_repository_citation_file_is_generated_from_the_current_package(cited):
    """A released version is cited as it is; work in progress keeps citing the last release."""
    assert (ROOT / "CITATION.cff").read_text(encoding="utf-8") == citation_cff(cited), \
        "run `peacetalks cite`"


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> tuple[DataPackage, str, dict[str, bytes]]:
    """A repository where 0.1.0 was cut and released once: package, commit, dist/ bytes."""
    pkg, commit = cut(make_repo(tmp_path_factory.mktemp("released") / "pkg"), "0.1.0")
    make_release(pkg)
    return pkg, commit, {p.name: p.read_bytes() for p in pkg.dist_dir.iterdir()}


def test_dist_holds_the_archive_both_databases_and_their_checksums(released):
    pkg, commit, dist = released
    assert sorted(dist) == ["SHA256SUMS", f"{STEM}.duckdb", f"{STEM}.sqlite", f"{STEM}.zip"]
    sums = dict(reversed(line.split("  ")) for line in dist["SHA256SUMS"].decode().splitlines())
    assert sums == {name: hashlib.sha256(data).hexdigest() for name, data in dist.items()
                    if name != "SHA256SUMS"}
    subprocess.run(["sha256sum", "--check", "--quiet", "SHA256SUMS"], cwd=pkg.dist_dir,
                   check=True)
    names = zipfile.ZipFile(pkg.dist_dir / f"{STEM}.zip").namelist()
    for expected in ("datapackage.json", "README.md", "LICENSE", "CITATION.cff", "CHANGELOG.md",
                     "data/sources.csv", "schemas/sources.schema.json",
                     "parquet/proposals.parquet"):
        assert f"{STEM}/{expected}" in names
    assert git(pkg.root, "rev-parse", "v0.1.0") == commit


def test_a_fresh_clone_rebuilds_the_same_bytes_at_the_commit_and_after_a_code_change(
        released, tmp_path):
    _, commit, first = released
    git(tmp_path, "clone", "-q", str(released[0].root), "clone")
    clone = DataPackage(tmp_path / "clone" / "datapackage.json")
    for key, value in (("user.name", "Someone Else"), ("user.email", "else@example.org")):
        git(clone.root, "config", key, value)
    assert git(clone.root, "rev-parse", "HEAD") == commit
    make_release(clone)
    assert {p.name: p.read_bytes() for p in clone.dist_dir.iterdir()} == first
    (clone.root / "README.md").write_text("Rewritten after the release.\n", encoding="utf-8")
    (clone.root / "tool.py").write_text("print('new code')\n", encoding="utf-8")
    commit_all(clone, "code and docs only")
    make_release(clone)
    assert {p.name: p.read_bytes() for p in clone.dist_dir.iterdir()} == first


def test_the_unpacked_archive_validates_with_frictionless_and_its_hashes(released, tmp_path):
    pkg, _, dist = released
    with zipfile.ZipFile(pkg.dist_dir / f"{STEM}.zip") as zf:
        zf.extractall(tmp_path)
    descriptor = tmp_path / STEM / "datapackage.json"
    assert '"hash": "sha256:' in descriptor.read_text(encoding="utf-8")
    frictionless = [str(Path(sys.executable).parent / "frictionless"), "validate"]
    ok = subprocess.run([*frictionless, str(descriptor)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout[-2000:]
    csv = tmp_path / STEM / "data" / "actors.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("Ukraine", "Ukrayina", 1),
                   encoding="utf-8")
    tampered = subprocess.run([*frictionless, str(descriptor)], capture_output=True, text=True)
    assert tampered.returncode != 0 and "hash" in tampered.stdout


def test_the_released_databases_carry_the_data_and_its_row_history(released, tmp_path):
    pkg, _, dist = released
    path = tmp_path / "copy.duckdb"
    path.write_bytes(dist[f"{STEM}.duckdb"])
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT DISTINCT first_released FROM row_history").fetchall() == \
        [("0.1.0",)]
    assert con.execute("SELECT count(*) FROM proposals").fetchone()[0] > 0
    con.close()


# Refusals: each is checked before anything is built, and dist/ is left untouched.

@pytest.fixture
def ready(tmp_path) -> DataPackage:
    """A repository whose last commit cuts 0.1.0 (not yet released to dist/)."""
    return cut(make_repo(tmp_path / "pkg"), "0.1.0")[0]


def refusal(pkg: DataPackage) -> str:
    result = CliRunner().invoke(main, ["release", "--package", str(pkg.descriptor_path)])
    assert result.exit_code == 1, result.output
    assert not pkg.dist_dir.exists(), "a refused release must write nothing to dist/"
    return result.output


def test_a_dirty_working_tree_is_refused(ready):
    (ready.root / "notes.txt").write_text("uncommitted\n", encoding="utf-8")
    assert "working tree is not clean (notes.txt)" in refusal(ready)


def test_a_version_without_a_changelog_entry_is_refused(tmp_path):
    # A version the repository's own CHANGELOG (copied into the fixture) will never list.
    pkg = set_descriptor(make_repo(tmp_path / "pkg"), version="99.0.0",
                         created="2026-12-01T00:00:00Z")
    commit_all(pkg, "bump without a CHANGELOG entry")
    assert "CHANGELOG.md has no entry '## [99.0.0] - YYYY-MM-DD'" in refusal(pkg)


def test_a_version_without_created_is_work_in_progress(ready):
    pkg = set_descriptor(ready, created=None)
    write_citation(pkg)
    commit_all(pkg, "undo created")
    assert 'has no "created"' in refusal(pkg)


def test_created_must_be_the_changelog_date(ready):
    pkg = set_descriptor(ready, created="2026-11-24T00:00:00Z")
    commit_all(pkg, "wrong date")
    assert "the date of the CHANGELOG entry" in refusal(pkg)


def test_a_version_not_above_every_earlier_release_is_refused(ready):
    pkg, _ = cut(ready, "0.2.0", "2026-12-01")
    pkg, _ = cut(pkg, "0.1.5", "2026-12-02")
    assert "0.1.5 is not greater than the released 0.2.0" in refusal(pkg)


def test_data_changed_after_the_release_commit_needs_a_new_version(ready):
    append_row(ready, "actors", actor_id="XLATE", name="Late actor", actor_type="ngo")
    commit_all(ready, "a row added under the released version")
    output = refusal(ready)
    assert "data/actors.csv" in output and "bump the version" in output


def test_stale_citation_files_are_refused(ready):
    (ready.root / ".zenodo.json").write_text("{}\n", encoding="utf-8")
    commit_all(ready, "hand-edited .zenodo.json")
    assert ".zenodo.json stale (here or at the release commit" in refusal(ready)


def test_invalid_data_is_refused(tmp_path):
    pkg = make_repo(tmp_path / "pkg")
    append_row(pkg, "actors", actor_id="XBAD", name="Bad actor", actor_type="not-a-type")
    pkg, _ = cut(pkg, "0.1.0")
    output = refusal(pkg)
    assert "data/actors.csv" in output and "nothing was released" in output


def test_outside_git_nothing_is_released(pkg):
    assert "not in a git repository" in refusal(pkg)
