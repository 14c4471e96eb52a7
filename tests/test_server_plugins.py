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
