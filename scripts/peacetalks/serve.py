"""Datasette over the built SQLite file: metadata from the schemas, read-only settings.

The metadata (titles, licence, every column's description, facets, full-text search, canned
queries) is generated here from ``datapackage.json``, ``schemas/`` and ``queries/*.sql`` so
that Datasette never says something the schemas do not.
"""

from __future__ import annotations

import json
import os
import sys
from importlib import resources
from typing import Any, NoReturn

from . import history
from .downloads import MOUNT
from .front_door import PLUGIN, SITE_FILE, front_door_config
from .package import DataPackage, Field, Table

DATABASE = "peacetalks"
# Settings that make the public instance safe and fast: bounded queries, bounded pages, no
# facet suggestions (which cost 15x throughput), and no CSV streaming of unbounded results.
SETTINGS = {
    "sql_time_limit_ms": "1000",
    "max_returned_rows": "5000",
    "default_page_size": "100",
    "facet_time_limit_ms": "200",
    "suggest_facets": "off",
    "allow_csv_stream": "off",
    "num_sql_threads": "3",
}
LABEL_COLUMNS = ("name", "title")
# Our own Datasette plugins: size limits on queries, 4xx (not 500) for visitors' mistakes,
# and a robots.txt that keeps crawlers off queries and exports.


def canned_queries() -> dict[str, dict[str, Any]]:
    """Canned queries from ``queries/*.sql``; ``-- title:`` and ``-- description:`` lines."""
    out = {}
    for item in sorted(resources.files(__package__).joinpath("queries").iterdir(),
                       key=lambda p: p.name):
        if not item.name.endswith(".sql"):
            continue
        text = item.read_text(encoding="utf-8")
        meta = {}
        for line in text.splitlines():
            if line.startswith("-- ") and ":" in line:
                key, _, value = line[3:].partition(":")
                meta[key.strip()] = value.strip()
        sql = "\n".join(ln for ln in text.splitlines() if not ln.startswith("--")).strip()
        out[item.name.removesuffix(".sql")] = {"sql": sql, **meta}
    return out


def dashboards() -> dict[str, Any]:
    """Vega-Lite charts for datasette-dashboards, kept as data in ``dashboards.json``.

    Every chart queries this package's database, so its name is filled in here, not repeated.
    """
    text = resources.files(__package__).joinpath("dashboards.json").read_text(encoding="utf-8")
    boards = json.loads(text)
    for board in boards.values():
        for chart in board["charts"].values():
            chart["db"] = DATABASE
    return boards


def column_description(field: Field) -> str:
    """The schema's description, followed by the meaning of each allowed value if it has them."""
    if not field.enum_descriptions:
        return field.description
    values = "; ".join(f"{v}: {field.enum_descriptions[v].rstrip('.')}" for v in field.enum)
    return f"{field.description} Values: {values}."


def default_sort(table: Table) -> str:
    """Chronological where the table has a required date, else by primary key."""
    dated = [f.name for f in table.fields if f.type == "date" and f.required]
    return dated[0] if dated else table.primary_key[0]


def _table_metadata(table: Table) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "title": table.title,
        "description": table.description,
        "columns": {f.name: column_description(f) for f in table.fields},
        "sort": default_sort(table),
    }
    facets = [f.name for f in table.fields if f.facet]
    if facets:
        meta["facets"] = facets
    label = next((c for c in LABEL_COLUMNS if c in table.columns), None)
    if label:
        meta["label_column"] = label
    if table.search_columns:
        meta["fts_table"] = f"{table.name}_fts"
        meta["fts_pk"] = "rowid"
        meta["searchmode"] = "raw"
    return meta


def datasette_metadata(pkg: DataPackage) -> dict[str, Any]:
    licence = pkg.descriptor["licenses"][0]
    return {
        "title": pkg.title,
        "description": pkg.descriptor.get("description", ""),
        "license": licence["name"],
        "license_url": licence.get("path", ""),
        "source": f"{pkg.name} data package, version {pkg.version}",
        "databases": {
            DATABASE: {
                "title": f"{pkg.title} (v{pkg.version})",
                "tables": {t.name: _table_metadata(t) for t in pkg.tables}
                | {history.TABLE: history.datasette_metadata()},
                "queries": canned_queries(),
            }
        },
        "plugins": {"datasette-dashboards": dashboards(),
                    PLUGIN: {"mount": MOUNT, "file": SITE_FILE}},
    }


def site_data(pkg: DataPackage) -> dict[str, Any]:
    """What the home page and every footer show (written by the build as ``site.json``)."""
    return front_door_config(pkg, canned_queries(), dashboards())


def site_files() -> tuple[str, str]:
    """The folders of templates and plugins shipped inside the package (like queries/)."""
    root = resources.files(__package__)
    return str(root.joinpath("templates")), str(root.joinpath("datasette_plugins"))


def site_options(pkg: DataPackage) -> list[str]:
    """Templates, plugins and downloads: the same for `serve` and for `datasette publish`."""
    templates, plugins = site_files()
    options = ["--template-dir", templates, "--plugins-dir", plugins]
    if pkg.downloads_dir.is_dir():
        options += ["--static", f"{MOUNT}:{pkg.downloads_dir}"]
    return options


def datasette_command(pkg: DataPackage, host: str = "127.0.0.1", port: int = 8001) -> list[str]:
    """The datasette command line: immutable (read-only) file, generated metadata, limits."""
    cmd = [sys.executable, "-m", "datasette", "serve", "--immutable", str(pkg.sqlite_path),
           "--metadata", str(pkg.metadata_path), "--host", host, "--port", str(port)]
    for key, value in SETTINGS.items():
        cmd += ["--setting", key, value]
    return cmd + site_options(pkg)


def serve(pkg: DataPackage, host: str, port: int) -> NoReturn:
    """Become the Datasette process (exec, not a child): a signal sent to `peacetalks serve`
    (SIGTERM from a supervisor or a test) then stops the server instead of orphaning it."""
    sys.stdout.flush()
    cmd = datasette_command(pkg, host, port)
    os.execv(cmd[0], cmd)
