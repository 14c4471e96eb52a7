"""The package as it was somewhere: working copy, folder, release archive, git commit or version.

A diff compares two snapshots; the row history walks the snapshots of every release. Each
snapshot reads its own ``datapackage.json`` and schemas, so a table or column that exists on
one side only is seen as such instead of being interpreted through today's schemas.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import gitfiles, versions
from .package import DESCRIPTOR

Loader = Callable[[list[str]], dict[str, str | None]]


@dataclass(frozen=True)
class TableSpec:
    """What a diff needs of a table: where its CSV is, its column types and its key."""

    name: str
    path: str
    types: dict[str, str]
    primary_key: list[str]


class SnapshotError(ValueError):
    """A side of a diff cannot be read; the message names it."""


@dataclass
class Snapshot:
    label: str
    load: Loader
    _cache: dict[str, str | None] = field(default_factory=dict, repr=False)

    def read(self, relpaths: list[str]) -> dict[str, str | None]:
        missing = [p for p in relpaths if p not in self._cache]
        if missing:
            self._cache.update(self.load(missing))
        return {p: self._cache[p] for p in relpaths}

    def tables(self) -> dict[str, TableSpec]:
        """Tables by name, from this snapshot's own descriptor and schemas (none if absent)."""
        text = self.read([DESCRIPTOR])[DESCRIPTOR]
        if text is None:
            return {}
        resources = json.loads(text).get("resources", [])
        schemas = self.read([r["schema"] for r in resources if isinstance(r.get("schema"), str)])
        out = {}
        for res in resources:
            schema = res.get("schema")
            schema = json.loads(schemas[schema] or "{}") if isinstance(schema, str) else schema
            schema = schema or {}
            pk = schema.get("primaryKey", [])
            out[res["name"]] = TableSpec(
                res["name"], res["path"],
                {f["name"]: f.get("type", "string") for f in schema.get("fields", [])},
                [pk] if isinstance(pk, str) else list(pk))
        return out

    def rows(self, spec: TableSpec, key: list[str]) -> tuple[list[str], dict[str, dict]]:
        """Header and rows keyed by ``key`` (joined with '+'); empty when the CSV is absent."""
        text = self.read([spec.path])[spec.path]
        if text is None:
            return [], {}
        reader = csv.DictReader(io.StringIO(text))
        header = list(reader.fieldnames or [])
        cols = [c for c in key if c in header]
        return header, {"+".join(r[c] for c in cols): r for r in reader}


def from_folder(root: Path, label: str | None = None) -> Snapshot:
    def load(paths: list[str]) -> dict[str, str | None]:
        return {p: (root / p).read_text(encoding="utf-8-sig") if (root / p).is_file() else None
                for p in paths}
    return Snapshot(label or str(root), load)


def from_zip(path: Path) -> Snapshot:
    """A release archive: files under one top folder named ``<name>-<version>/``."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except zipfile.BadZipFile as err:
        raise SnapshotError(f"{path}: not a readable zip archive ({err})") from err
    tops = sorted((n for n in names if n.endswith(DESCRIPTOR)), key=len)
    if not tops:
        raise SnapshotError(f"{path}: no {DESCRIPTOR} in the archive")
    prefix = tops[0][: -len(DESCRIPTOR)]
    members = set(names)

    def load(paths: list[str]) -> dict[str, str | None]:
        with zipfile.ZipFile(path) as zf:
            return {p: zf.read(prefix + p).decode("utf-8-sig") if prefix + p in members else None
                    for p in paths}
    return Snapshot(path.name, load)


def from_git(root: Path, rev: str, label: str | None = None) -> Snapshot:
    try:
        commit = gitfiles.commit_of(root, rev)
    except (gitfiles.GitError, FileNotFoundError) as err:
        raise SnapshotError(f"cannot read {rev!r}: not a folder, archive, released version "
                            f"or git revision ({err or 'unknown revision'})") from err
    return Snapshot(label or rev, lambda paths: gitfiles.read_at(root, commit, paths))


def empty(label: str = "nothing") -> Snapshot:
    return Snapshot(label, lambda paths: dict.fromkeys(paths))


def open_side(root: Path, spec: str | None) -> Snapshot:
    """One side of a diff: None is the working copy at ``root``; otherwise a folder, a
    ``datapackage.json``, a ``.zip`` release, a released version (``0.1.0`` or ``v0.1.0``,
    found through git history, not tags) or any git revision."""
    if spec is None:
        return from_folder(root, "working copy")
    path = Path(spec)
    if path.is_file() and path.suffix == ".zip":
        return from_zip(path)
    if path.is_dir() and (path / DESCRIPTOR).is_file():
        return from_folder(path, spec)
    if path.is_file() and path.name == DESCRIPTOR:
        return from_folder(path.parent, spec)
    if versions.is_version(spec) and gitfiles.is_repo(root):
        release = versions.find_release(root, spec)
        if release is not None:
            return from_git(root, release.commit, spec.removeprefix("v"))
    return from_git(root, spec)
