"""Datasette plugin: give every template the package's version, citation and downloads.

Loaded with ``--plugins-dir``; its data is the ``peacetalks-front-door`` plugin configuration
that the build writes into the metadata (see ``peacetalks.front_door``). On a table page it
also names that table's CSV download.
"""

from datasette import hookimpl

PLUGIN = "peacetalks-front-door"


@hookimpl
def extra_template_vars(datasette, database, table):
    config = datasette.plugin_config(PLUGIN) or {}
    return {
        "peacetalks": config,
        "peacetalks_table_csv": config.get("table_csv", {}).get(table) if table else None,
    }
