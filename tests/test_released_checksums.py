"""A researcher re-creates a published release from a fresh clone and checks its checksums.

tests/releases/<version>.SHA256SUMS holds the checksums `make release` printed when the version
was cut. Any later commit must still rebuild those exact bytes for every released version: a
change that alters the archive, the DuckDB or the SQLite file of a released version (a new
insertion order, say) belongs to the next version.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from peacetalks.package import DataPackage
from peacetalks.release import make_release

RELEASES = sorted((ROOT / "tests" / "releases").glob("*.SHA256SUMS"))


@pytest.mark.parametrize("sums", RELEASES, ids=[p.name.removesuffix(".SHA256SUMS")
                                                for p in RELEASES])
def test_a_fresh_clone_rebuilds_the_published_checksums(sums: Path, tmp_path: Path):
    version = sums.name.removesuffix(".SHA256SUMS")
    pkg = DataPackage(ROOT / "datapackage.json")
    if pkg.version != version:
        pytest.skip(f"the working copy is {pkg.version}; {version} is rebuilt at its own commit")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    result = make_release(DataPackage(clone / "datapackage.json"))
    assert result.checksums.read_text(encoding="utf-8") == sums.read_text(encoding="utf-8")
