"""Datasette plugin: give every template the package's version, citation and downloads.

Loaded with ``--plugins-dir``. Its data is ``site.json``, which the build writes into the
downloads folder that Datasette serves with ``--static downloads:...`` (see
``peacetalks.front_door``); the plugin configuration in the metadata only names the mount and
the file. The file is read once per build: the site is immutable. On a table page the plugin
also names that table's CSV download.
"""

import json
from functools import lru_cache
from pathlib import Path

from datasette import hookimpl

PLUGIN = "peacetalks-front-door"


@lru_cache(maxsize=4)
def _read(path: str, mtime_ns: int) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def site(datasette) -> dict:
    """The front door's data, or {} when the site is served without its downloads folder."""
    config = datasette.plugin_config(PLUGIN) or {}
    folder = dict(datasette.static_mounts).get(config.get("mount"))
    if not folder:
        return {}
    path = Path(folder) / config.get("file", "")
    if not path.is_file():
        return {}
    return _read(str(path), path.stat().st_mtime_ns)


@hookimpl
def extra_template_vars(datasette, database, table):
    config = site(datasette)
    return {
        "peacetalks": config,
        "peacetalks_table_csv": config.get("table_csv", {}).get(table) if table else None,
        "peacetalks_columns": config.get("columns", {}).get(table) if table else None,
    }


@hookimpl
def render_cell(value, column, table, database, datasette):
    """A foreign key whose row has no label (a source without a title) shows its ID, not None.

    Datasette would print the missing label as "None"; the ID is a readable slug.
    """
    if not (isinstance(value, dict) and "label" in value and value["label"] in (None, "")):
        return None

    async def link():
        from datasette.utils import tilde_encode
        from markupsafe import Markup

        fks = await datasette.get_database(database).foreign_keys_for_table(table)
        fk = next((f for f in fks if f["column"] == column), None)
        if fk is None:
            return None
        key = str(value["value"])
        href = datasette.urls.row(database, fk["other_table"], tilde_encode(key))
        return Markup('<a href="{}">{}</a>').format(href, key)

    return link()
