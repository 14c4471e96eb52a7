"""Datasette plugin: ``/robots.txt`` keeps crawlers on the pages that are cheap to serve.

Crawlers may read the home page, the database page, the first page of each table and every
row page: everything a search engine needs to find the data. They are asked to keep off every
URL with a query string (arbitrary SQL, canned queries, facets, filters, sorting, paging,
search), the JSON and CSV exports and the ``/-/`` pages (dashboards, search-all), which cost
the server far more and say nothing a crawler needs. Datasette has no robots.txt of its own.
"""

from __future__ import annotations

from datasette import Response, hookimpl

ROBOTS_TXT = """\
# Read-only research data; please index the pages, not the queries.
User-agent: *
Disallow: /*?
Disallow: /*.json
Disallow: /*.csv
Disallow: /-/
"""


async def robots_txt() -> Response:
    return Response.text(ROBOTS_TXT)


@hookimpl
def register_routes():
    return [(r"^/robots\.txt$", robots_txt)]
