"""A researcher sees when every row entered the data and when, and how, it was revised."""

from __future__ import annotations

import json
import sqlite3

import duckdb

from conftest import append_row
from gitrepo import cut, make_repo, set_descriptor
from peacetalks.history import TABLE, row_history


def _revise(pkg, table: str, old: str, new: str) -> None:
    path = pkg.table(table).csv_path
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test bug: {old!r} not in {table}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_row_history_follows_rows_through_releases_and_the_working_copy(tmp_path):
    pkg, _ = cut(make_repo(tmp_path / "pkg"), "0.1.0")
    append_row(pkg, "actors", actor_id="XTEST", name="Test actor", actor_type="ngo")
    _revise(pkg, "actors", "UKR,Ukraine,", "UKR,Ukrayina,")
    pkg, _ = cut(set_descriptor(pkg, version="0.2.0"), "0.2.0", "2026-12-01")
    append_row(pkg, "actors", actor_id="XNEW", name="Newer actor", actor_type="ngo")
    _revise(pkg, "actors", "XTEST,Test actor,", "XTEST,Test actor renamed,")
    pkg = set_descriptor(pkg, version="0.3.0", created=None)

    history = {(t, k): (first, last, changes) for t, k, first, last, changes in row_history(pkg)}
    assert history[("actors", "RUS")] == ("0.1.0", "0.1.0", None)
    assert history[("actors", "UKR")] == ("0.1.0", "0.2.0", '0.2.0: name "Ukraine" -> "Ukrayina"')
    assert history[("actors", "XTEST")] == (
        "0.2.0", "unreleased", 'unreleased: name "Test actor" -> "Test actor renamed"')
    assert history[("actors", "XNEW")] == ("unreleased", "unreleased", None)
    assert len(history) == sum(1 for t in pkg.tables for _ in t.csv_path.open()) - len(pkg.tables)


def test_a_withdrawn_row_stays_in_the_history(tmp_path):
    pkg, _ = cut(make_repo(tmp_path / "pkg"), "0.1.0")
    append_row(pkg, "actors", actor_id="XGONE", name="Withdrawn", actor_type="ngo")
    pkg, _ = cut(set_descriptor(pkg, version="0.2.0"), "0.2.0", "2026-12-01")
    _revise(pkg, "actors", "XGONE,Withdrawn,ngo,,\n", "")
    history = {(t, k): (first, last, changes) for t, k, first, last, changes in row_history(pkg)}
    assert history[("actors", "XGONE")] == ("0.2.0", "unreleased", "unreleased: removed")


def test_without_git_the_build_has_an_empty_row_history_described_for_datasette(built):
    db = sqlite3.connect(built.sqlite_path)
    columns = [r[1] for r in db.execute(f"PRAGMA table_info({TABLE})")]
    assert columns == ["table_name", "primary_key", "first_released", "last_changed", "changes"]
    assert db.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0] == 0
    db.close()
    con = duckdb.connect(str(built.duckdb_path), read_only=True)
    assert con.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0] == 0
    con.close()
    meta = json.loads(built.metadata_path.read_text(encoding="utf-8"))
    described = meta["databases"]["peacetalks"]["tables"][TABLE]
    assert described["description"] and set(described["columns"]) == set(columns)


def test_datasette_shows_the_row_history_table_with_its_description(site):
    page = site.get(f"/peacetalks/{TABLE}")
    assert page.status_code == 200
    assert "When every row of every table first appeared in a release" in page.text
