"""What the Datasette home page and every page's footer say: version, citation, downloads.

Computed from the package at build time and written to ``site.json`` in the downloads folder,
which the small ``peacetalks-front-door`` plugin (``datasette_plugins/``) reads once and hands
to the templates in ``templates/``. It is kept out of Datasette's metadata on purpose: Datasette
0.65.5 deep-copies the whole metadata on every permission check (twice a request), and this
data was half of it. The citation comes from ``citation.render``, so
the site, the CLI and ``CITATION.cff`` never disagree.
"""

from __future__ import annotations

import csv
from typing import Any

from .citation import CitationError, citation, render
from .downloads import CHART_IMAGES, downloads, table_csv_href
from .package import DataPackage, Field, Table

PLUGIN = "peacetalks-front-door"
SITE_FILE = "site.json"  # in the downloads folder, beside the files it lists
DASHBOARD = "overview"
# Questions a researcher brings, in the order the home page lists them; each canned query
# names its question with a `-- group:` line.
QUESTION_ORDER = (
    "How did the talks unfold?",
    "Who proposed what?",
    "What did the war cost, and who holds what?",
)
OTHER_QUESTIONS = "Other questions"


def query_groups(queries: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Canned queries grouped by their question, questions in ``QUESTION_ORDER``."""
    groups: dict[str, list[dict[str, str]]] = {}
    for name, q in queries.items():
        groups.setdefault(q.get("group", OTHER_QUESTIONS), []).append(
            {"name": name, "title": q.get("title", name), "description": q.get("description", "")})
    order = [*QUESTION_ORDER, *sorted(set(groups) - set(QUESTION_ORDER))]
    return [{"question": g, "queries": groups[g]} for g in order if g in groups]


def _cite(pkg: DataPackage) -> dict[str, str] | None:
    """The citation of a released version; None for work in progress."""
    if pkg.work_in_progress:
        return None
    try:
        c = citation(pkg)
    except CitationError:
        return None
    return {"date": c.date, "bibtex": render(pkg, "bibtex"), "text": render(pkg, "text"),
            "apa": render(pkg, "apa")}


def _row_count(table: Table) -> int:
    with table.csv_path.open(encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def _column(field: Field) -> dict[str, Any]:
    """A column as the table page explains it, with the meaning of each allowed value."""
    return {"name": field.name, "type": field.type, "required": field.required,
            "description": field.description,
            "values": [[v, field.enum_descriptions.get(v, "")] for v in field.enum or []]}


def front_door_config(pkg: DataPackage, queries: dict[str, dict[str, Any]],
                      boards: dict[str, Any]) -> dict[str, Any]:
    licence = pkg.descriptor["licenses"][0]
    board = boards.get(DASHBOARD, {"charts": {}, "layout": []})
    in_layout = [slug for row in board.get("layout", []) for slug in row]
    ordered = [*in_layout, *(s for s in board["charts"] if s not in in_layout)]
    images = pkg.root / CHART_IMAGES
    return {
        "title": pkg.title,
        "description": pkg.descriptor.get("description", ""),
        "version": pkg.version,
        "cite": _cite(pkg),
        "licence": {"name": licence["name"], "title": licence.get("title", licence["name"]),
                    "url": licence.get("path", "")},
        "downloads": [{"label": d.label, "href": d.href, "filename": d.filename, "how": d.how}
                      for d in downloads(pkg)],
        "tables": [{"name": t.name, "title": t.title, "description": t.description,
                    "csv": table_csv_href(t.name), "rows": _row_count(t)} for t in pkg.tables],
        "table_csv": {t.name: table_csv_href(t.name) for t in pkg.tables},
        "columns": {t.name: [_column(f) for f in t.fields] for t in pkg.tables},
        "query_groups": query_groups(queries),
        "dashboard": f"/-/dashboards/{DASHBOARD}",
        "charts": [{"slug": slug, "title": chart.get("title", slug),
                    "href": f"/-/dashboards/{DASHBOARD}/{slug}",
                    "image": (f"/downloads/charts/{slug}.png"
                              if (images / f"{slug}.png").is_file() else "")}
                   for slug, chart in ((s, board["charts"][s]) for s in ordered)],
    }
