"""A version resolves to its release commit from git history alone, in any clone, without tags."""

from __future__ import annotations

import shutil

import pytest

from conftest import ROOT
from gitrepo import commit_all, cut, git, make_repo, set_descriptor
from peacetalks.package import DataPackage
from peacetalks.versions import (
    VersionError,
    find_release,
    latest_release,
    release_commit,
    released_versions,
    semver,
)


def test_a_version_number_without_created_is_not_a_release(tmp_path):
    pkg = make_repo(tmp_path / "pkg")
    assert pkg.version == "0.1.0" and "created" not in pkg.descriptor
    assert released_versions(pkg.root) == []
    with pytest.raises(VersionError, match="never released"):
        release_commit(pkg.root, "0.1.0")


def test_each_version_resolves_to_the_first_commit_that_released_it(tmp_path):
    pkg = make_repo(tmp_path / "pkg")
    pkg, first = cut(pkg, "0.1.0")
    (pkg.root / "tool.py").write_text("print('code only')\n", encoding="utf-8")
    commit_all(pkg, "code after the release")
    pkg = set_descriptor(pkg, version="0.2.0", created=None)
    commit_all(pkg, "0.2.0 in progress")
    assert [r.version for r in released_versions(pkg.root)] == ["0.1.0"]
    pkg, second = cut(pkg, "0.2.0", "2026-12-01")
    assert [(r.version, r.commit) for r in released_versions(pkg.root)] == \
        [("0.1.0", first), ("0.2.0", second)]
    assert release_commit(pkg.root, "v0.1.0") == first
    assert latest_release(pkg.root).version == "0.2.0"
    assert latest_release(pkg.root, below="0.2.0").version == "0.1.0"
    assert find_release(pkg.root, "0.2.0").created == "2026-12-01T00:00:00Z"
    assert git(pkg.root, "tag") == "", "resolution must not need tags"


def test_history_works_in_a_fresh_clone_and_for_a_package_in_a_subfolder(tmp_path):
    pkg, commit = cut(make_repo(tmp_path / "pkg"), "0.1.0")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(pkg.root), str(clone))
    assert release_commit(clone, "0.1.0") == commit

    outer = tmp_path / "outer"
    shutil.copytree(pkg.root, outer / "package", ignore=shutil.ignore_patterns(".git"))
    git(outer, "init", "-q")
    git(outer, "config", "user.name", "T")
    git(outer, "config", "user.email", "t@example.org")
    commit_all(DataPackage(outer / "package" / "datapackage.json"), "package in a subfolder")
    assert [r.version for r in released_versions(outer / "package")] == ["0.1.0"]


def test_outside_git_there_are_no_releases(pkg):
    assert released_versions(pkg.root) == []


def test_versions_sort_as_numbers():
    assert sorted(["0.10.0", "0.9.1", "1.0.0"], key=semver) == ["0.9.1", "0.10.0", "1.0.0"]
    with pytest.raises(VersionError):
        semver("1.0")


def test_the_repository_never_edits_a_released_version_in_place():
    """An editor who changes data after a release must bump the version (and drop created):
    released rows never change silently. Compares the working copy with the release commit."""
    import subprocess

    from peacetalks.release import RELEASED_DATA

    pkg = DataPackage(ROOT / "datapackage.json")
    if pkg.work_in_progress:
        pytest.skip(f"{pkg.version} is work in progress (no created): nothing to guard")
    release = find_release(ROOT, pkg.version)
    assert release is not None, f"{pkg.version} carries created but no commit releases it"
    changed = subprocess.run(["git", "-C", str(ROOT), "diff", "--name-only", release.commit,
                              "--", *RELEASED_DATA], capture_output=True, text=True,
                             check=True).stdout.split()
    assert not changed, (f"{pkg.version} was released at {release.commit[:12]}; these changed "
                         f"since: {changed}. Bump the version and remove created first.")
