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
