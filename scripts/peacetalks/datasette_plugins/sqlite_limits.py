"""Datasette plugin: bounds on the size of what one query may build or return.

Datasette's ``sql_time_limit_ms`` interrupts a query between virtual-machine steps, but one
step can build a value of any size, and a fast query can return many large ones: measured on
Datasette 0.65.5 without this plugin, ``SELECT randomblob(1000000000)`` answered 200 after
40 s of base64-encoding a gigabyte into JSON, and 300 rows of ``zeroblob(999999)`` took the
server to 9 GB of memory. Here SQLite refuses any value over ``MAX_VALUE_BYTES`` ("string or
blob too big") and the rows of one result stop at ``MAX_RESULT_BYTES`` (blobs count
``BLOB_WEIGHT`` times), so such a query costs a 400 and nothing else. ``serve.py`` loads this
file with ``datasette --plugins-dir``.

Only SQL a visitor writes (a ``sql`` parameter) can build new values; table pages, facets,
full-text search and our canned queries select stored values, of which the whole database
holds about 2 MB. Counting bytes costs a Python call per row (canned queries ran at 74-84% of
bare Datasette's rate with it), so a request without a ``sql`` parameter switches the count
off. The switch is a context variable, and the queries of a request run in Datasette's thread
pool, which does not carry context over: the pool is replaced by one that does. If that ever
fails, the budget stays on (the default) and only speed suffers.
"""

from __future__ import annotations

import contextvars
import sqlite3
import weakref
from collections.abc import Awaitable, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from datasette import hookimpl
from datasette.app import Datasette

T = TypeVar("T")
ASGIApp = Callable[[dict, Callable, Callable], Awaitable[None]]

# The largest value in the data is about 4 KB and the whole SQLite file about 2 MB, so a
# researcher's group_concat() over any column, or any whole table, fits with room to spare.
MAX_VALUE_BYTES = 1_000_000
MAX_RESULT_BYTES = 5_000_000
# A blob is sent as base64 inside JSON, and Datasette's JSON for a full page of blobs measured
# about five times their size (10 MB of blobs: 56 MB of JSON, 1.3 s of the web loop).
BLOB_WEIGHT = 4
# A statement longer than this is not a query a person wrote.
MAX_SQL_BYTES = 100_000
LIMITS = {
    sqlite3.SQLITE_LIMIT_LENGTH: MAX_VALUE_BYTES,
    sqlite3.SQLITE_LIMIT_SQL_LENGTH: MAX_SQL_BYTES,
    # Datasette already refuses ATTACH (only SELECT runs); this makes it impossible as well.
    sqlite3.SQLITE_LIMIT_ATTACHED: 0,
}


# On unless the request that runs the query wrote no SQL of its own.
BUDGETED: contextvars.ContextVar[bool] = contextvars.ContextVar("peacetalks_budgeted",
                                                               default=True)
READ_METHODS = {"GET", "HEAD"}


class ResultTooLarge(sqlite3.OperationalError):
    """Raised while fetching; Datasette shows it as a 400 like any other SQL error."""


class ContextThreadPool(ThreadPoolExecutor):
    """A thread pool that runs each function in the context of the code that submitted it
    (``loop.run_in_executor`` does not), so a query knows the request it belongs to."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        return super().submit(contextvars.copy_context().run, fn, *args, **kwargs)


def writes_sql(scope: dict) -> bool:
    """Whether a request may run SQL of the visitor's own: anything but a GET or HEAD without
    a ``sql`` parameter (Datasette reads parameters the same way, percent-decoded)."""
    if scope.get("method", "GET") not in READ_METHODS:
        return True
    query = scope.get("query_string", b"").decode("latin-1")
    return ("sql" in query or "%" in query) and any(
        key == "sql" for key, _ in parse_qsl(query, keep_blank_values=True))


def _budgeted_rows() -> object:
    """A row factory that counts the bytes each cursor has fetched and stops at the budget."""
    fetched: weakref.WeakKeyDictionary[sqlite3.Cursor, int] = weakref.WeakKeyDictionary()

    def row_factory(cursor: sqlite3.Cursor, row: tuple) -> sqlite3.Row:
        if not BUDGETED.get():
            return sqlite3.Row(cursor, row)
        # A plain loop, no function call per value (half the cost of sum() over a generator).
        size = 0
        for value in row:
            kind = value.__class__
            if kind is str:
                size += len(value)
            elif kind is bytes:
                size += BLOB_WEIGHT * len(value)
            else:
                size += 8
        total = fetched.get(cursor, 0) + size
        if total > MAX_RESULT_BYTES:
            raise ResultTooLarge(
                f"result too large: over {MAX_RESULT_BYTES // 1_000_000} MB; "
                "select fewer rows or smaller values")
        fetched[cursor] = total
        return sqlite3.Row(cursor, row)  # what Datasette itself sets as the row factory

    return row_factory


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    for category, value in LIMITS.items():
        conn.setlimit(category, value)
    conn.row_factory = _budgeted_rows()


@hookimpl
def startup(datasette: Datasette) -> None:
    if datasette.executor is not None:
        old, datasette.executor = datasette.executor, ContextThreadPool(
            max_workers=datasette.setting("num_sql_threads"))
        old.shutdown(wait=False)


@hookimpl
def asgi_wrapper(datasette: Datasette) -> Callable[[ASGIApp], ASGIApp]:
    def wrap(app: ASGIApp) -> ASGIApp:
        async def budget_by_request(scope: dict, receive: Callable, send: Callable) -> None:
            if scope.get("type") != "http" or writes_sql(scope):
                return await app(scope, receive, send)
            token = BUDGETED.set(False)
            try:
                return await app(scope, receive, send)
            finally:
                BUDGETED.reset(token)
        return budget_by_request
    return wrap
