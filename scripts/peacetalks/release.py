"""A citable release: CITATION.cff generated from the package, a reproducible checksummed zip.

The version lives in ``datapackage.json``; its release date is the date of its entry in
``CHANGELOG.md`` (``## [1.2.0] - 2026-11-25``). Both flow into ``CITATION.cff`` and into the
archive name. The zip is byte-for-byte reproducible: sorted entries, fixed timestamps, fixed
permissions, so that anyone can rebuild a release and compare its checksum.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .citation import CHANGELOG, CITATION, CitationError, citation_cff, release_date
from .package import DataPackage

RELEASE_FILES = ["datapackage.json", "README.md", "LICENSE", CITATION, CHANGELOG]
RELEASE_DIRS = ["data", "schemas"]


class ReleaseError(Exception):
    """The package is not ready to release; the message says what to do."""


@dataclass
class Release:
    archive: Path
    checksums: Path
    sha256: str


def _members(pkg: DataPackage) -> list[tuple[str, Path]]:
    files = [(name, pkg.root / name) for name in RELEASE_FILES]
    for folder in RELEASE_DIRS:
        files += [(p.relative_to(pkg.root).as_posix(), p)
                  for p in sorted((pkg.root / folder).rglob("*")) if p.is_file()]
    files += [(f"parquet/{p.name}", p) for p in sorted(pkg.parquet_dir.glob("*.parquet"))]
    files.append((pkg.sqlite_path.name, pkg.sqlite_path))
    return sorted(files)


def make_release(pkg: DataPackage) -> Release:
    """Build, then write dist/<name>-<version>.zip and dist/SHA256SUMS."""
    from .build import build

    try:
        date = release_date(pkg)
    except CitationError as err:
        raise ReleaseError(str(err)) from err
    if (pkg.root / CITATION).read_text(encoding="utf-8") != citation_cff(pkg):
        raise ReleaseError(f"{CITATION} is stale: run `peacetalks cite`")
    build(pkg)
    pkg.dist_dir.mkdir(exist_ok=True)
    stem = f"{pkg.name}-{pkg.version}"
    archive = pkg.dist_dir / f"{stem}.zip"
    stamp = (int(date[:4]), int(date[5:7]), int(date[8:10]), 0, 0, 0)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, path in _members(pkg):
            info = zipfile.ZipInfo(f"{stem}/{name}", date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    checksums = pkg.dist_dir / "SHA256SUMS"
    checksums.write_text(f"{digest}  {archive.name}\n", encoding="utf-8")
    return Release(archive, checksums, digest)
