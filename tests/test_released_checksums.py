"""A researcher re-creates a published release from a fresh clone and checks its checksums.

tests/releases/<version>.SHA256SUMS holds the checksums `make release` printed when the version
was cut. The version in the working copy is rebuilt by this commit's code: a change that alters
the archive, the DuckDB or the SQLite file of a released version (a new insertion order, say)
belongs to the next version. Earlier versions are rebuilt as a researcher would: a clone
checked out at the release commit, running that commit's code (with this environment's
libraries; if a dependency upgrade ever breaks that, the failure says so).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from peacetalks.package import DataPackage
from peacetalks.release import make_release
from peacetalks.versions import release_commit

RELEASES = sorted((ROOT / "tests" / "releases").glob("*.SHA256SUMS"))


@pytest.mark.parametrize("sums", RELEASES, ids=[p.name.removesuffix(".SHA256SUMS")
                                                for p in RELEASES])
def test_a_fresh_clone_rebuilds_the_published_checksums(sums: Path, tmp_path: Path):
    version = sums.name.removesuffix(".SHA256SUMS")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    if DataPackage(ROOT / "datapackage.json").version == version:
        checksums = make_release(DataPackage(clone / "datapackage.json")).checksums
    else:
        commit = release_commit(clone, version)
        assert commit is not None, f"no commit releases {version}"
        subprocess.run(["git", "-C", str(clone), "checkout", "-q", commit], check=True)
        run = subprocess.run([sys.executable, "-c", "from peacetalks.cli import main; main()",
                              "release"], cwd=clone, capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(clone / "scripts")})
        assert run.returncode == 0, f"{version} at {commit[:12]}: {run.stdout}{run.stderr}"
        checksums = clone / "dist" / "SHA256SUMS"
    assert checksums.read_text(encoding="utf-8") == sums.read_text(encoding="utf-8")
