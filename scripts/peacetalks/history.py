"""Row history: in which release every row first appeared and when it was last revised.

Conflict datasets are criticised for silent revision: a figure changes between versions and
nobody can tell. The build therefore adds a ``row_history`` table, computed by diffing each
released version (found through git history, see ``versions.py``) with the next, and the last
release with the working copy, whose changes are labelled ``unreleased``. Rows that were
withdrawn stay listed, with the version that removed them. Without git (an unpacked archive)
the history cannot be known and the table is empty.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from . import gitfiles, versions
from .diff import TableDiff, diff_snapshots
from .package import DataPackage
from .snapshot import Snapshot, empty, from_folder, from_git

TABLE = "row_history"
UNRELEASED = "unreleased"
COLUMNS = {
    "table_name": "The table the row belongs to.",
    "primary_key": "The row's primary key; the values of a composite key joined with '+'.",
    "first_released": "The version in which the row first appeared ('unreleased' if it has "
                      "not been released yet).",
    "last_changed": "The last version that added, revised or removed the row.",
    "changes": "What changed in each later version: field old -> new, or 'removed' / 'added "
               "again'; empty if the row never changed.",
}


@dataclass
class RowHistory:
    first_released: str
    last_changed: str
    changes: list[str] = field(default_factory=list)


def snapshots(pkg: DataPackage) -> list[Snapshot]:
    """Every release in version order, then the working copy; nothing when there is no git."""
    if not gitfiles.is_repo(pkg.root):
        return []
    releases = [from_git(pkg.root, r.commit, r.version)
                for r in versions.released_versions(pkg.root)]
    return [*releases, from_folder(pkg.root, UNRELEASED)]


def _record(history: dict[tuple[str, str], RowHistory], label: str, d: TableDiff) -> None:
    for key in d.added:
        row = history.get((d.table, key))
        if row is None:
            history[(d.table, key)] = RowHistory(label, label)
        else:
            row.last_changed = label
            row.changes.append(f"{label}: added again")
    for key in d.removed:
        row = history[(d.table, key)]
        row.last_changed = label
        row.changes.append(f"{label}: removed")
    for key, fields in d.changed.items():
        row = history[(d.table, key)]
        row.last_changed = label
        row.changes.append(f"{label}: " + "; ".join(f"{c} {_quote(old)} -> {_quote(new)}"
                                                    for c, (old, new) in fields.items()))


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def row_history(pkg: DataPackage) -> list[tuple[str, str, str, str, str | None]]:
    """Rows of the ``row_history`` table, sorted by table and key."""
    history: dict[tuple[str, str], RowHistory] = {}
    previous = empty()
    for snap in snapshots(pkg):
        for d in diff_snapshots(previous, snap):
            _record(history, snap.label, d)
        previous = snap
    return [(table, key, h.first_released, h.last_changed, " | ".join(h.changes) or None)
            for (table, key), h in sorted(history.items())]


def add_row_history(pkg: DataPackage, duckdb_path: Path, sqlite_path: Path) -> int:
    """Write the ``row_history`` table into the built DuckDB and SQLite files."""
    import duckdb
    import polars as pl

    rows = row_history(pkg)
    columns = ", ".join(f"{c} TEXT{' NOT NULL' if c != 'changes' else ''}" for c in COLUMNS)
    ddl = f"CREATE TABLE {TABLE} ({columns}, PRIMARY KEY (table_name, primary_key))"
    insert = f"INSERT INTO {TABLE} VALUES ({', '.join('?' for _ in COLUMNS)})"
    # One insert from a frame: DuckDB's executemany goes row by row (about 2.5 s for 3,000
    # rows, half the build). Since 0.2.0; releases up to 0.1.0 were built with executemany.
    frame = pl.DataFrame(rows, schema={c: pl.String for c in COLUMNS}, orient="row")
    con = duckdb.connect(str(duckdb_path))
    try:
        con.execute(ddl)
        con.register("row_history_frame", frame)
        con.execute(f"INSERT INTO {TABLE} SELECT * FROM row_history_frame")
    finally:
        con.close()
    db = sqlite3.connect(sqlite_path)
    try:
        db.execute(ddl)
        db.executemany(insert, rows)
        db.commit()
    finally:
        db.close()
    return len(rows)


def datasette_metadata() -> dict:
    """Title, description and column descriptions for Datasette (not a CSV resource)."""
    return {
        "title": "Row history",
        "description": "When every row of every table first appeared in a release and when "
                       "it was last revised, with each revised field's old and new value. "
                       "Computed at build time from the released versions in git history.",
        "columns": COLUMNS,
        "sort": "table_name",
        "facets": ["table_name", "first_released", "last_changed"],
    }
