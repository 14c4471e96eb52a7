"""Which versions were released, and at which commit: read from git history, not from tags.

``datapackage.json`` said ``0.1.0`` from its first commit, long before anything was released,
so a version number alone does not mark a release. The rule: a version is *released* at the
first commit (on HEAD's main line) whose ``datapackage.json`` carries that ``version``
together with ``created``, the Data Package property for the release date-time. A version
without ``created`` is work in progress. This works in any clone, shallow history aside;
tags ``v<version>`` are added as a convenience and never read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from . import gitfiles
from .package import DESCRIPTOR

SEMVER = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)$")


class VersionError(Exception):
    """A version is malformed or was never released; the message says which."""


@dataclass(frozen=True)
class ReleasedVersion:
    version: str
    commit: str
    created: str

    @property
    def tag(self) -> str:
        return f"v{self.version}"


def semver(version: str) -> tuple[int, int, int]:
    """``"1.10.0"`` -> ``(1, 10, 0)``, so that versions sort as numbers.

    >>> sorted(["0.10.0", "0.9.1"], key=semver)
    ['0.9.1', '0.10.0']
    """
    m = SEMVER.match(version)
    if not m:
        raise VersionError(f"{version!r} is not a MAJOR.MINOR.PATCH version")
    return int(m[1]), int(m[2]), int(m[3])


def is_version(text: str) -> bool:
    return bool(SEMVER.match(text))


def released_versions(root: Path) -> list[ReleasedVersion]:
    """Every released version in HEAD's history, lowest version first."""
    commits = gitfiles.first_parent_commits(root)
    ids = gitfiles.object_ids(root, [f"{c}:./{DESCRIPTOR}" for c in commits])
    distinct = sorted({i for i in ids if i})
    blobs = dict(zip(distinct, gitfiles.read_many(root, distinct), strict=True))
    found: dict[str, ReleasedVersion] = {}
    for commit, oid in zip(commits, ids, strict=True):
        blob = blobs.get(oid) if oid else None
        if blob is None:
            continue
        try:
            descriptor = json.loads(blob)
        except ValueError:
            continue
        version, created = descriptor.get("version"), descriptor.get("created")
        if version and created and is_version(version) and version not in found:
            found[version] = ReleasedVersion(version, commit, created)
    return sorted(found.values(), key=lambda r: semver(r.version))


def find_release(root: Path, version: str) -> ReleasedVersion | None:
    """The release of ``version`` (``0.1.0`` or ``v0.1.0``), or None if it was never released."""
    wanted = version.removeprefix("v")
    return next((r for r in released_versions(root) if r.version == wanted), None)


def release_commit(root: Path, version: str) -> str:
    release = find_release(root, version)
    if release is None:
        raise VersionError(f"version {version} was never released in this history "
                           "(no commit has it in datapackage.json together with 'created')")
    return release.commit


def latest_release(root: Path, below: str | None = None) -> ReleasedVersion | None:
    """The highest released version, or the highest one lower than ``below``."""
    releases = released_versions(root)
    if below is not None:
        releases = [r for r in releases if semver(r.version) < semver(below)]
    return releases[-1] if releases else None
