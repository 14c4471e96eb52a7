"""Datasette plugin: a visitor's mistake is a 4xx with a clear message, quickly, never a 500.

Datasette 0.65.5's own error handler, when the ``rich`` library is installed (it is, through
frictionless), prints every error's traceback with all local variables: 0.3–1 s of the event
loop per 404, during which nobody else is served, and for a 404 raised outside an ``except``
block (``GET /../../etc/passwd``) rich itself fails and the visitor gets a bare 500. Every
handler runs on every error, so rich is switched off in Datasette's handler below. Some
visitor mistakes are also reported as 500s: ``?_sort=nope`` (a DatasetteError whose status is
left at 500), ``?_where=1;drop table x`` (sqlite3.ProgrammingError) and any POST or unknown
method (the server is read-only). This handler runs before Datasette's, answers those with
the right 4xx and the same error page, and leaves a plain traceback only for real faults.
"""

from __future__ import annotations

import sqlite3
import sys
import traceback

import datasette.handle_exception
from datasette import Response, hookimpl
from datasette.utils.asgi import Base400
from datasette.views.base import DatasetteError
from markupsafe import Markup

READ_METHODS = {"GET", "HEAD", "OPTIONS"}
NOT_FOUND = "Not found: there is no page at this address"
datasette.handle_exception.rich = None  # the traceback-with-locals printer described above


def classify(method: str, exception: BaseException) -> tuple[int, str, str | None]:
    """Status, message and title for an exception raised while answering a request."""
    if isinstance(exception, Base400):
        message = str(exception.args[0] if exception.args else "")
        if message == "404":  # Datasette's message for an address that matches no route
            message = NOT_FOUND
        return exception.status, message, None
    if isinstance(exception, DatasetteError):
        message = Markup(exception.message) if exception.message_is_html else exception.message
        return (exception.status if exception.status < 500 else 400), message, exception.title
    if method.upper() not in READ_METHODS:
        return 405, f"This server is read-only: {method} is not allowed here", None
    if isinstance(exception, sqlite3.Error):
        return 400, str(exception), "Invalid SQL"
    return 500, str(exception), None


@hookimpl(tryfirst=True)
def handle_exception(datasette, request, exception):
    async def inner():
        status, message, title = classify(request.method, exception)
        if status >= 500:
            traceback.print_exception(exception, file=sys.stderr)
        info = {"ok": False, "error": message, "status": status, "title": title}
        if isinstance(exception, DatasetteError):
            info = {**exception.error_dict, **info}
        if request.path.split("?")[0].endswith(".json"):
            return Response.json(info, status=status)
        template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
        html = await template.render_async(dict(
            info, urls=datasette.urls, app_css_hash=datasette.app_css_hash(),
            menu_links=lambda: []))
        return Response.html(html, status=status)

    return inner
