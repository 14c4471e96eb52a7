"""The files a researcher downloads from the site: the CSVs, Parquet, DuckDB and SQLite.

The build writes them into ``build/downloads/``, which Datasette serves as ``/downloads/``
(``--static``). Names carry the version, so a downloaded file says which release it is. Zips
have sorted entries and fixed timestamps: the same data gives the same bytes.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .package import DataPackage

MOUNT = "downloads"  # the URL prefix Datasette serves build/downloads/ under
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CHART_IMAGES = Path("docs") / "img"


@dataclass(frozen=True)
class Download:
    """One downloadable file: its name under downloads/ and what it is for."""

    filename: str
    label: str
    how: str

    @property
    def href(self) -> str:
        return f"/{MOUNT}/{self.filename}"


def downloads(pkg: DataPackage) -> list[Download]:
    stem = f"{pkg.name}-{pkg.version}"
    return [
        Download(f"{stem}-csv.zip", "CSV (zip)", "the data package: datapackage.json, "
                 "data/*.csv and schemas/, readable by any Frictionless tool"),
        Download(f"{stem}-parquet.zip", "Parquet (zip)", "one typed Parquet file per table"),
        Download(f"{stem}.duckdb", "DuckDB", "every table, typed, with primary keys"),
        Download(f"{stem}.db", "SQLite", "the database this site serves, with full-text "
                 "indexes"),
    ]


def table_csv_href(table: str) -> str:
    return f"/{MOUNT}/csv/{table}.csv"


# zlib level 3, not the default 6: on the x1000 synthetic package (459 MB of CSV) level 6 took
# 9.0 s for 76 MB, level 3 3.7 s for 87 MB; on the real data the difference is a few KB.
ZIP_LEVEL = 3


def _zip(target: Path, members: list[tuple[str, Path]], compress: int = zipfile.ZIP_DEFLATED
         ) -> None:
    with zipfile.ZipFile(target, "w", compress, compresslevel=ZIP_LEVEL) as zf:
        for name, path in sorted(members):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = compress
            zf.writestr(info, path.read_bytes(), compresslevel=ZIP_LEVEL)


def _same_file(source: Path, target: Path) -> None:
    """A second name for a finished build output (a hard link: no copy of a gigabyte at scale);
    a copy where the file system has no hard links."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def write_downloads(pkg: DataPackage, out: Path, duckdb_file: Path, sqlite_file: Path,
                    parquet_dir: Path) -> None:
    """Fill ``out`` with the files of ``downloads(pkg)``, one CSV per table and chart images."""
    out.mkdir(parents=True, exist_ok=True)
    csv_zip, parquet_zip, duckdb_copy, sqlite_copy = downloads(pkg)
    stem = f"{pkg.name}-{pkg.version}"
    members = [(f"{stem}/datapackage.json", pkg.descriptor_path)]
    for table in pkg.tables:
        members.append((f"{stem}/{table.relpath}", table.csv_path))
        members.append((f"{stem}/{table.schema_path.relative_to(pkg.root).as_posix()}",
                        table.schema_path))
    parquet = [(f"{stem}/parquet/{p.name}", p) for p in sorted(parquet_dir.glob("*.parquet"))]
    # The two zips side by side (zlib releases the GIL); Parquet files are compressed already
    # (zstd), so they are stored, not deflated a second time.
    with ThreadPoolExecutor(2) as pool:
        zips = [pool.submit(_zip, out / csv_zip.filename, members),
                pool.submit(_zip, out / parquet_zip.filename, parquet, zipfile.ZIP_STORED)]
        for done in zips:
            done.result()
    _same_file(duckdb_file, out / duckdb_copy.filename)
    _same_file(sqlite_file, out / sqlite_copy.filename)
    (out / "csv").mkdir(exist_ok=True)
    for table in pkg.tables:
        shutil.copyfile(table.csv_path, out / "csv" / table.csv_path.name)
    images = pkg.root / CHART_IMAGES
    if images.is_dir():
        (out / "charts").mkdir(exist_ok=True)
        for image in sorted(images.glob("*.png")):
            shutil.copyfile(image, out / "charts" / image.name)
