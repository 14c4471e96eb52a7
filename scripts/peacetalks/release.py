"""Cut a release: refuse unless it is sound, then write reproducible, checksummed files to dist/.

A release is a commit (see ``versions.py``): the first one whose ``datapackage.json`` carries
the version with ``created``. Re-running ``peacetalks release`` at that commit, or at a later
one that changed only code, rebuilds the same bytes: the archive's README, LICENSE,
CITATION.cff and CHANGELOG are read from the release commit, data and schemas must be
unchanged since it, zip entries are sorted with fixed timestamps and permissions, and the
DuckDB file's random identifier is pinned (``duckfile.py``). ``dist/`` holds one release:

- ``<name>-<version>.zip``: datapackage.json (with ``bytes`` and ``hash`` per resource),
  data/, schemas/, README.md, LICENSE, CITATION.cff, CHANGELOG.md and parquet/;
- ``<name>-<version>.duckdb`` and ``<name>-<version>.sqlite``;
- ``SHA256SUMS`` over all of them (``sha256sum -c SHA256SUMS`` checks it).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import gitfiles, versions
from .citation import (
    CHANGELOG,
    CITATION,
    CitationError,
    generated_files,
    release_date,
    stale_files,
)
from .duckfile import pin_identifier
from .package import DESCRIPTOR, DataPackage

DOCUMENTS = ["README.md", "LICENSE", CITATION, CHANGELOG]  # read from the release commit
RELEASED_DATA = [DESCRIPTOR, "data", "schemas"]  # must not change once released
CREATED = re.compile(r"^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


class ReleaseError(Exception):
    """The package is not ready to release; the message says what to do."""


@dataclass
class Release:
    version: str
    commit: str
    archive: Path
    checksums: Path
    sha256: str  # of the archive
    files: list[Path]
    tag_note: str


def check_ready(pkg: DataPackage) -> versions.ReleasedVersion:
    """Every refusal, cheapest first; returns the release (version and commit) to build."""
    root, version = pkg.root, pkg.version
    if not versions.is_version(version):
        raise ReleaseError(f"datapackage.json version {version!r} is not MAJOR.MINOR.PATCH")
    if not gitfiles.is_repo(root):
        raise ReleaseError("not in a git repository with commits: a release is cut from a commit")
    dirty = gitfiles.dirty_paths(root)
    if dirty:
        raise ReleaseError(f"the working tree is not clean ({', '.join(dirty[:5])}"
                           f"{', ...' if len(dirty) > 5 else ''}): commit or stash first")
    try:
        date = release_date(pkg)
    except CitationError as err:
        raise ReleaseError(str(err)) from err
    created = pkg.descriptor.get("created")
    if not created:
        raise ReleaseError(f"datapackage.json has no \"created\": to release {version}, set "
                           f"\"created\": \"{date}T00:00:00Z\" (the CHANGELOG date) and commit")
    m = CREATED.match(str(created))
    if not m or m.group(1) != date:
        raise ReleaseError(f"datapackage.json \"created\" is {created!r}: it must be an RFC 3339 "
                           f"date-time on {date}, the date of the CHANGELOG entry")
    released = versions.released_versions(root)
    later = [r.version for r in released
             if r.version != version and versions.semver(r.version) >= versions.semver(version)]
    if later:
        raise ReleaseError(f"version {version} is not greater than the released "
                           f"{', '.join(later)}: bump \"version\" in datapackage.json")
    this = next((r for r in released if r.version == version), None)
    if this is None:
        raise ReleaseError(f"no commit of {DESCRIPTOR} carries {version} with \"created\": "
                           "commit it first")
    at_release = gitfiles.read_at(root, this.commit, list(generated_files(pkg)))
    stale = sorted(set(stale_files(pkg)) | {name for name, text in generated_files(pkg).items()
                                            if at_release[name] != text})
    if stale:
        raise ReleaseError(f"{' and '.join(stale)} stale (here or at the release commit "
                           f"{this.commit[:12]}): run `peacetalks cite` and commit")
    changed = gitfiles.changed_since(root, this.commit, RELEASED_DATA)
    if changed:
        raise ReleaseError(f"{version} was released at {this.commit[:12]} and these files changed "
                           f"since: {', '.join(changed[:5])}: released data never changes; bump "
                           "the version, update CHANGELOG.md and set \"created\"")
    return this


def _with_stats(pkg: DataPackage) -> str:
    """datapackage.json with each resource's size and SHA-256, as frictionless checks them."""
    descriptor = json.loads(pkg.descriptor_path.read_text(encoding="utf-8"))
    for res in descriptor["resources"]:
        data = (pkg.root / res["path"]).read_bytes()
        res["bytes"] = len(data)
        res["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
    return json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"


def _members(pkg: DataPackage, commit: str) -> dict[str, bytes]:
    documents = gitfiles.read_at(pkg.root, commit, DOCUMENTS)
    missing = [name for name, text in documents.items() if text is None]
    if missing:
        raise ReleaseError(f"{', '.join(missing)} missing at the release commit {commit[:12]}")
    members = {name: text.encode("utf-8") for name, text in documents.items() if text}
    members[DESCRIPTOR] = _with_stats(pkg).encode("utf-8")
    for folder in ("data", "schemas"):
        for path in sorted((pkg.root / folder).rglob("*")):
            if path.is_file():
                members[path.relative_to(pkg.root).as_posix()] = path.read_bytes()
    for path in sorted(pkg.parquet_dir.glob("*.parquet")):
        members[f"parquet/{path.name}"] = path.read_bytes()
    return members


def write_zip(archive: Path, stem: str, members: dict[str, bytes], date: str) -> None:
    """Sorted entries, one fixed timestamp (the release date) and fixed permissions."""
    stamp = (int(date[:4]), int(date[5:7]), int(date[8:10]), 0, 0, 0)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(members):
            info = zipfile.ZipInfo(f"{stem}/{name}", date_time=stamp)
            info.external_attr = 0o644 << 16
            info.create_system = 3
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, members[name])


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_release(pkg: DataPackage) -> Release:
    """Check, validate and build, then replace dist/ with this release and tag its commit."""
    from .build import build

    this = check_ready(pkg)
    build(pkg)  # validates first: invalid data raises InvalidData and writes nothing to dist/
    stem = f"{pkg.name}-{pkg.version}"
    date = release_date(pkg)
    with tempfile.TemporaryDirectory(dir=pkg.build_dir, prefix=".dist-") as tmp:
        stage = Path(tmp)
        write_zip(stage / f"{stem}.zip", stem, _members(pkg, this.commit), date)
        shutil.copyfile(pkg.duckdb_path, stage / f"{stem}.duckdb")
        pin_identifier(stage / f"{stem}.duckdb", stem)
        shutil.copyfile(pkg.sqlite_path, stage / f"{stem}.sqlite")
        files = sorted(stage.iterdir())
        (stage / "SHA256SUMS").write_text(
            "".join(f"{_sha256(p)}  {p.name}\n" for p in files), encoding="utf-8")
        shutil.rmtree(pkg.dist_dir, ignore_errors=True)
        pkg.dist_dir.mkdir()
        for path in stage.iterdir():
            path.replace(pkg.dist_dir / path.name)
    note = gitfiles.tag(pkg.root, this.tag, this.commit)
    archive = pkg.dist_dir / f"{stem}.zip"
    return Release(pkg.version, this.commit, archive, pkg.dist_dir / "SHA256SUMS",
                   _sha256(archive), sorted(pkg.dist_dir.iterdir()), note)
