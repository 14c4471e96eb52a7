"""Where things are: the data package on disk, its tables and their schemas.

Every other module asks this one for paths, the list of tables and the version, so that the
package can live in any directory (``--package PATH/datapackage.json``) and nothing repeats
the list of tables that ``datapackage.json`` already holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

DESCRIPTOR = "datapackage.json"


class PackageError(Exception):
    """The descriptor or a schema cannot be read; the message names the file."""


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise PackageError(f"{path.name} does not exist ({path})") from err
    except json.JSONDecodeError as err:
        raise PackageError(f"{path.name}: invalid JSON: {err.msg} at line {err.lineno}") from err


@dataclass(frozen=True)
class Field:
    """One column of a table, as its Table Schema describes it."""

    name: str
    type: str
    description: str
    constraints: dict[str, Any]
    raw: dict[str, Any]

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))

    @property
    def enum(self) -> list[str] | None:
        return self.constraints.get("enum")

    @property
    def searchable(self) -> bool:
        """Free-text columns that go into the full-text index."""
        return bool(self.raw.get("x-search"))

    @property
    def facet(self) -> bool:
        """Columns with few distinct values that Datasette offers as facets."""
        return bool(self.raw.get("x-facet"))

    @property
    def enum_descriptions(self) -> dict[str, str]:
        return self.raw.get("x-enum-descriptions", {})


@dataclass(frozen=True)
class ForeignKey:
    fields: list[str]
    table: str
    ref_fields: list[str]


@dataclass(frozen=True)
class Table:
    """A resource of the package: its CSV file and its Table Schema."""

    name: str
    title: str
    description: str
    csv_path: Path
    schema_path: Path
    schema: dict[str, Any]
    relpath: str

    @cached_property
    def fields(self) -> list[Field]:
        return [
            Field(f["name"], f.get("type", "string"), f.get("description", ""),
                  f.get("constraints", {}), f)
            for f in self.schema["fields"]
        ]

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def primary_key(self) -> list[str]:
        pk = self.schema.get("primaryKey", [])
        return [pk] if isinstance(pk, str) else list(pk)

    @property
    def foreign_keys(self) -> list[ForeignKey]:
        out = []
        for fk in self.schema.get("foreignKeys", []):
            fields = fk["fields"]
            ref = fk["reference"]
            ref_fields = ref["fields"]
            out.append(ForeignKey(
                [fields] if isinstance(fields, str) else list(fields),
                ref["resource"] or self.name,
                [ref_fields] if isinstance(ref_fields, str) else list(ref_fields),
            ))
        return out

    @property
    def source_columns(self) -> list[str]:
        """The columns whose values cite a source: single-column foreign keys to sources."""
        return [k.fields[0] for k in self.foreign_keys
                if k.table == "sources" and len(k.fields) == 1]

    @property
    def search_columns(self) -> list[str]:
        return [f.name for f in self.fields if f.searchable]


class DataPackage:
    """The data package rooted at the directory holding ``datapackage.json``."""

    def __init__(self, descriptor: Path | str | None = None) -> None:
        path = Path(descriptor) if descriptor else Path.cwd() / DESCRIPTOR
        if path.is_dir():
            path = path / DESCRIPTOR
        if not path.is_file():
            raise PackageError(
                f"no {DESCRIPTOR} at {path}: run in the package directory or pass --package"
            )
        self.descriptor_path = path.resolve()
        self.root = self.descriptor_path.parent
        self.descriptor: dict[str, Any] = _read_json(path)

    @property
    def name(self) -> str:
        return self.descriptor["name"]

    @property
    def title(self) -> str:
        return self.descriptor.get("title", self.name)

    @property
    def version(self) -> str:
        """The data version: the one place it is kept is ``datapackage.json``."""
        return self.descriptor["version"]

    @property
    def work_in_progress(self) -> bool:
        """A version without ``created`` (its release date-time) is not released yet, so it
        is neither shown nor cited as a release (README, "Releases and citing")."""
        return "created" not in self.descriptor

    @cached_property
    def tables(self) -> list[Table]:
        """Tables in the descriptor's order, which puts referenced tables first."""
        out = []
        for res in self.descriptor["resources"]:
            schema_path = self.root / res["schema"]
            out.append(Table(
                name=res["name"],
                title=res.get("title", res["name"]),
                description=res.get("description", ""),
                csv_path=self.root / res["path"],
                schema_path=schema_path,
                schema=_read_json(schema_path),
                relpath=res["path"],
            ))
        return out

    def table(self, name: str) -> Table:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(name)

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def duckdb_path(self) -> Path:
        return self.build_dir / "peacetalks.duckdb"

    @property
    def sqlite_path(self) -> Path:
        return self.build_dir / "peacetalks.db"

    @property
    def parquet_dir(self) -> Path:
        return self.build_dir / "parquet"

    @property
    def metadata_path(self) -> Path:
        return self.build_dir / "metadata.json"

    @property
    def downloads_dir(self) -> Path:
        """Files the site offers for download (served by Datasette as /downloads/)."""
        return self.build_dir / "downloads"

    @property
    def build_outputs(self) -> list[Path]:
        """Everything one build publishes, together, under ``build/``."""
        return [self.duckdb_path, self.parquet_dir, self.sqlite_path, self.metadata_path,
                self.downloads_dir]

    @property
    def dist_dir(self) -> Path:
        return self.root / "dist"
