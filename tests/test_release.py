"""A researcher cites a versioned release and can check its checksum."""

from __future__ import annotations

import hashlib
import zipfile

import pytest
from click.testing import CliRunner

from conftest import ROOT
from peacetalks.citation import CitationError, citation_cff
from peacetalks.cli import main
from peacetalks.release import make_release


def test_citation_cff_is_generated_from_the_current_package(repo):
    assert (ROOT / "CITATION.cff").read_text(encoding="utf-8") == citation_cff(repo), \
        "run `peacetalks cite`"
    assert f'version: "{repo.version}"' in citation_cff(repo)


def test_a_release_is_reproducible_and_checksummed(pkg):
    for name in ("README.md", "LICENSE", "CITATION.cff", "CHANGELOG.md"):
        (pkg.root / name).write_bytes((ROOT / name).read_bytes())
    first = make_release(pkg)
    second = make_release(pkg)
    assert first.sha256 == second.sha256
    assert first.sha256 == hashlib.sha256(first.archive.read_bytes()).hexdigest()
    assert first.checksums.read_text() == f"{first.sha256}  {first.archive.name}\n"
    names = zipfile.ZipFile(first.archive).namelist()
    stem = f"{pkg.name}-{pkg.version}/"
    for expected in ("datapackage.json", "CITATION.cff", "CHANGELOG.md", "data/sources.csv",
                     "schemas/sources.schema.json", "parquet/proposals.parquet", "peacetalks.db"):
        assert stem + expected in names


def test_a_version_without_a_changelog_entry_is_not_released(pkg):
    (pkg.root / "CHANGELOG.md").write_text("# Changelog\n", encoding="utf-8")
    with pytest.raises(CitationError, match="no entry"):
        citation_cff(pkg)
    result = CliRunner().invoke(main, ["release", "--package", str(pkg.descriptor_path)])
    assert result.exit_code == 1 and "CHANGELOG.md has no entry" in result.output
