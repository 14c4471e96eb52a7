"""Build the databases from validated CSVs: DuckDB, Parquet and the SQLite file Datasette serves.

Steps: validate (nothing is built from invalid data); load the typed frames into a fresh DuckDB
file with the schema's DDL; export Parquet from DuckDB; meanwhile, in a second thread, write the
same frames into SQLite with foreign-key, facet and full-text indexes; write Datasette's
metadata. Everything is written into a staging folder and published in one atomic rename
(``staging.py``), so a failed or killed build leaves the previous one untouched.
"""

from __future__ import annotations

import json
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from .downloads import write_downloads
from .package import DataPackage, Table
from .problems import Problem
from .schema import create_table_sql, index_columns
from .staging import staged

SQLITE_BATCH = 100_000  # rows per executemany: bounds the Python tuples alive at once


def _connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that draws no progress bar (it does for queries over 2 s)."""
    con = duckdb.connect(str(path), read_only=read_only)
    con.execute("PRAGMA disable_progress_bar")
    return con


class InvalidData(Exception):
    """The package did not validate; carries the problems so the CLI can print them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class BuildResult:
    row_counts: dict[str, int]
    outputs: list[Path]


def load_duckdb(path: Path, pkg: DataPackage, frames: dict[str, pl.DataFrame]) -> None:
    """Create typed tables with keys, then insert the validated rows in dependency order."""
    con = _connect(path)
    try:
        for table in pkg.tables:
            con.execute(create_table_sql(table, "duckdb"))
            frame = frames[table.name]  # noqa: F841  (read by DuckDB's replacement scan)
            con.execute(f"INSERT INTO {table.name} SELECT * FROM frame")
    finally:
        con.close()


def export_parquet(duckdb_path: Path, pkg: DataPackage, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    con = _connect(duckdb_path, read_only=True)
    try:
        for table in pkg.tables:
            target = out_dir / f"{table.name}.parquet"
            order = ", ".join(table.primary_key)
            con.execute(f"COPY (SELECT * FROM {table.name} ORDER BY {order}) "
                        f"TO '{target}' (FORMAT parquet, COMPRESSION zstd)")
    finally:
        con.close()


def write_sqlite(frames: dict[str, pl.DataFrame], pkg: DataPackage, out: Path) -> None:
    """Write every table into SQLite with keys, FK and facet indexes and FTS5 indexes.

    It reads the validated frames rather than the DuckDB file, so that ``build`` can run it
    beside the DuckDB load: two cores, two writers.
    """
    db = sqlite3.connect(out)
    db.execute("PRAGMA journal_mode = OFF")  # a staging file: a failed build throws it away
    db.execute("PRAGMA synchronous = OFF")
    try:
        for table in pkg.tables:
            db.execute(create_table_sql(table, "sqlite"))
            cols = table.columns
            insert = (f"INSERT INTO {table.name} ({', '.join(cols)}) "
                      f"VALUES ({', '.join('?' for _ in cols)})")
            frame = (frames[table.name].sort(table.primary_key)
                     .with_columns(pl.col(pl.Date).dt.strftime("%Y-%m-%d")))
            for rows in frame.iter_slices(SQLITE_BATCH):
                db.executemany(insert, rows.iter_rows())
            for col in index_columns(table):
                db.execute(f"CREATE INDEX idx_{table.name}_{col} ON {table.name} ({col})")
            _add_fts(db, table)
        db.commit()  # no VACUUM: a file written once in key order gains ~1% from it, at the
        # cost of copying the whole database (seconds per million rows)
    finally:
        db.close()


def _add_fts(db: sqlite3.Connection, table: Table) -> None:
    """An external-content FTS5 index named <table>_fts, the layout Datasette detects."""
    cols = table.search_columns
    if not cols:
        return
    names = ", ".join(cols)
    db.execute(f"CREATE VIRTUAL TABLE {table.name}_fts USING fts5({names}, "
               f"content='{table.name}', content_rowid='rowid')")
    db.execute(f"INSERT INTO {table.name}_fts (rowid, {names}) "
               f"SELECT rowid, {names} FROM {table.name}")


def build(pkg: DataPackage) -> BuildResult:
    """Validate, then build every output into a staging folder and swap it into build/."""
    from .front_door import SITE_FILE
    from .history import add_row_history
    from .serve import datasette_metadata, site_data
    from .validate import validate

    report = validate(pkg)
    if not report.ok:
        raise InvalidData(report.problems)
    outputs = pkg.build_outputs
    try:
        with staged(pkg.build_dir, [p.name for p in outputs]) as stage:
            with ThreadPoolExecutor(1) as pool:  # SQLite beside DuckDB (which releases the GIL)
                sqlite = pool.submit(write_sqlite, report.frames, pkg,
                                     stage / pkg.sqlite_path.name)
                load_duckdb(stage / pkg.duckdb_path.name, pkg, report.frames)
                export_parquet(stage / pkg.duckdb_path.name, pkg, stage / pkg.parquet_dir.name)
                sqlite.result()
            add_row_history(pkg, stage / pkg.duckdb_path.name, stage / pkg.sqlite_path.name)
            (stage / pkg.metadata_path.name).write_text(
                json.dumps(datasette_metadata(pkg), indent=2, ensure_ascii=False) + "\n")
            write_downloads(pkg, stage / pkg.downloads_dir.name, stage / pkg.duckdb_path.name,
                            stage / pkg.sqlite_path.name, stage / pkg.parquet_dir.name)
            (stage / pkg.downloads_dir.name / SITE_FILE).write_text(
                json.dumps(site_data(pkg), indent=2, ensure_ascii=False) + "\n")
    except (OSError, duckdb.IOException, sqlite3.OperationalError) as err:
        raise BuildFailed(pkg, err) from err
    return BuildResult({t: f.height for t, f in report.frames.items()}, outputs)


class BuildFailed(Exception):
    """Writing the outputs failed (a full disk, say); the previous build is still in use."""

    def __init__(self, pkg: DataPackage, err: Exception) -> None:
        where = pkg.build_dir.relative_to(pkg.root)
        reason = getattr(err, "strerror", None) or str(err)
        if "No space left on device" in reason:  # DuckDB wraps it in a long JSON message
            reason = "No space left on device"
        super().__init__(f"cannot write {where}/: {reason}; "
                         "the previous build is unchanged (free some space and build again)")
