"""Our Datasette plugins on their own: the limits hold, and real faults are not disguised."""

from __future__ import annotations

import sqlite3

import pytest

from peacetalks.datasette_plugins import client_errors, sqlite_limits

RECURSE = "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r LIMIT {n}) "


@pytest.fixture
def conn():
    c = sqlite3.connect(":memory:")
    sqlite_limits.prepare_connection(c)
    yield c
    c.close()


def test_sqlite_refuses_a_value_over_the_limit(conn):
    with pytest.raises(sqlite3.Error, match="too big"):
        conn.execute(f"SELECT randomblob({sqlite_limits.MAX_VALUE_BYTES + 1})").fetchall()


def test_an_honest_result_comes_back_as_rows_datasette_expects(conn):
    rows = conn.execute(RECURSE.format(n=5000) + "SELECT i, printf('%.*c', 500, 'x') AS t "
                        "FROM r").fetchall()
    assert len(rows) == 5000 and rows[0]["i"] == 1 and len(rows[-1]["t"]) == 500


def test_the_result_budget_counts_across_fetches(conn):
    cursor = conn.execute(RECURSE.format(n=5000) + "SELECT zeroblob(1000) FROM r")
    cursor.fetchmany(1000)  # 4 MB counted so far: within the budget
    with pytest.raises(sqlite_limits.ResultTooLarge, match="result too large"):
        cursor.fetchmany(1000)


def test_attach_is_impossible(conn):
    with pytest.raises(sqlite3.Error, match="too many attached"):
        conn.execute("ATTACH DATABASE ':memory:' AS other")


@pytest.mark.parametrize("method,exception,status", [
    ("GET", sqlite3.OperationalError("no such column: x"), 400),
    ("POST", AssertionError("You may only POST to a canned query"), 405),
    ("GET", RuntimeError("a bug of ours"), 500),
])
def test_visitors_mistakes_are_4xx_and_real_faults_stay_500(method, exception, status):
    assert client_errors.classify(method, exception)[0] == status


@pytest.mark.parametrize("method,query,budgeted", [
    ("GET", b"", False),
    ("GET", b"_sort=value&_facet=sql", False),
    ("GET", b"sql=select+1", True),
    ("GET", b"_shape=array&s%71l=select+1", True),  # Datasette decodes parameter names too
    ("HEAD", b"SQL=select+1", False),  # parameter names are case-sensitive for Datasette
    ("POST", b"", True),
])
def test_only_requests_that_may_carry_sql_of_their_own_are_budgeted(method, query, budgeted):
    assert sqlite_limits.writes_sql({"method": method, "query_string": query}) is budgeted


def test_the_thread_pool_carries_the_request_context_to_the_query():
    pool = sqlite_limits.ContextThreadPool(max_workers=1)
    token = sqlite_limits.BUDGETED.set(False)
    try:
        assert pool.submit(sqlite_limits.BUDGETED.get).result() is False
    finally:
        sqlite_limits.BUDGETED.reset(token)
    assert pool.submit(sqlite_limits.BUDGETED.get).result() is True
    pool.shutdown()


def test_a_table_page_of_stored_values_is_not_budgeted_but_the_same_rows_by_sql_are(tmp_path):
    """End to end through Datasette with our plugins: 6 MB of stored text is served as a
    table page, while a visitor's SELECT of the same rows is stopped at the 5 MB budget."""
    import asyncio

    from datasette.app import Datasette

    from peacetalks.serve import site_files

    db = tmp_path / "big.db"
    with sqlite3.connect(db) as c:
        c.execute("CREATE TABLE big (id INTEGER PRIMARY KEY, body TEXT)")
        c.executemany("INSERT INTO big VALUES (?, ?)", [(i, "x" * 100_000) for i in range(60)])

    async def fetch() -> tuple[int, int]:
        ds = Datasette([str(db)], immutables=[], plugins_dir=site_files()[1])
        await ds.invoke_startup()
        page = await ds.client.get("/big/big.json?_size=100&_shape=array")
        visitor = await ds.client.get("/big.json?sql=select+*+from+big&_shape=array")
        assert page.status_code == 200, page.text[:300]
        assert "result too large" in visitor.text
        return len(page.json()), visitor.status_code

    assert asyncio.run(fetch()) == (60, 400)
