"""Publish a build's outputs all at once, so that a build killed at any moment changes nothing.

Layout of ``build/``::

    build/.build-<id>/           one complete build (DuckDB, Parquet, SQLite, metadata)
    build/current -> .build-<id> the build in use: a symbolic link, replaced in one rename
    build/peacetalks.db -> current/peacetalks.db   (the documented paths, one link each)

A build writes into ``build/.staging-<id>/``; when every output is written, the folder is
renamed ``.build-<id>`` and ``current`` is pointed at it by renaming a new link over the old
one, which the operating system does atomically. Before that rename the previous build is in
use and untouched; after it, the new one. Leftovers of a killed or failed build (staging
folders, versions no longer current) are removed by the next build. A lock file keeps two
builds from publishing at the same time.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STAGING = ".staging-"
VERSION = ".build-"
CURRENT = "current"
LOCK = ".lock"
_TEMP = ".tmp-"
_ASIDE = ".old-"


@contextmanager
def staged(build_dir: Path, names: list[str]) -> Iterator[Path]:
    """Yield an empty folder for the outputs called ``names``; publish them if no error.

    On any error (or interruption) the folder is removed and ``build/`` is as it was.
    """
    build_dir.mkdir(parents=True, exist_ok=True)
    with (build_dir / LOCK).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released by the kernel even on SIGKILL
        remove_leftovers(build_dir)
        stage = Path(tempfile.mkdtemp(dir=build_dir, prefix=STAGING))
        stage.chmod(0o755)  # mkdtemp makes it private; a build is for everyone to read
        try:
            yield stage
            publish(build_dir, stage, names)
        finally:
            shutil.rmtree(stage, ignore_errors=True)  # gone already when published


def publish(build_dir: Path, stage: Path, names: list[str]) -> None:
    """Make the finished outputs in ``stage`` the current build, in one atomic rename."""
    previous = current_version(build_dir)
    version = build_dir / (VERSION + stage.name.removeprefix(STAGING))
    stage.rename(version)
    _point(build_dir / CURRENT, version.name)  # the moment the new build takes over
    for name in names:
        _ensure_link(build_dir / name, f"{CURRENT}/{name}")
    if previous and previous != version.name:
        shutil.rmtree(build_dir / previous, ignore_errors=True)


def current_version(build_dir: Path) -> str | None:
    link = build_dir / CURRENT
    return os.readlink(link) if link.is_symlink() else None


def remove_leftovers(build_dir: Path) -> None:
    """Delete what a killed or failed build left behind; never the current build."""
    keep = current_version(build_dir)
    for path in build_dir.iterdir():
        name = path.name
        if name == keep or not name.startswith((STAGING, VERSION, _TEMP, _ASIDE)):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _point(link: Path, target: str) -> None:
    """Create or replace the symbolic link ``link`` -> ``target`` atomically."""
    temp = link.with_name(f"{_TEMP}{uuid.uuid4().hex}")
    os.symlink(target, temp)
    os.replace(temp, link)


def _ensure_link(path: Path, target: str) -> None:
    """Make a documented output path a link into ``current``.

    Builds made before this layout left real files and folders there: a file is replaced
    atomically; a folder has to be moved aside first (once, at the first build that
    upgrades the layout).
    """
    if path.is_symlink() and os.readlink(path) == target:
        return
    if path.is_dir() and not path.is_symlink():
        aside = path.with_name(f"{_ASIDE}{path.name}")
        shutil.rmtree(aside, ignore_errors=True)
        path.rename(aside)
        _point(path, target)
        shutil.rmtree(aside, ignore_errors=True)
        return
    _point(path, target)
