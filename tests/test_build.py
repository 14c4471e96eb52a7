"""A researcher builds the databases: same rows everywhere, typed, keyed, searchable."""

from __future__ import annotations

import hashlib
import sqlite3

import duckdb
import pyarrow.parquet as pq
import pytest

from conftest import csv_row_counts
from peacetalks.build import InvalidData, build


def test_duckdb_has_every_csv_row(built):
    con = duckdb.connect(str(built.duckdb_path), read_only=True)
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
              for t in csv_row_counts(built)}
    con.close()
    assert counts == csv_row_counts(built)


def test_sqlite_has_every_csv_row(built):
    db = sqlite3.connect(built.sqlite_path)
    counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in csv_row_counts(built)}
    db.close()
    assert counts == csv_row_counts(built)


def test_parquet_has_every_csv_row(built):
    counts = {t: pq.read_metadata(built.parquet_dir / f"{t}.parquet").num_rows
              for t in csv_row_counts(built)}
    assert counts == csv_row_counts(built)


def test_duckdb_columns_are_typed_as_the_schema_says(built):
    con = duckdb.connect(str(built.duckdb_path), read_only=True)
    types = dict(con.execute(
        "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns"
    ).fetchall())
    con.close()
    assert types["negotiation_rounds.start_date"] == "DATE"
    assert types["casualties.value_best"] == "BIGINT"
    assert types["territories.area_km2"] == "DOUBLE"


def test_duckdb_enforces_primary_and_foreign_keys(built, tmp_path):
    path = tmp_path / "copy.duckdb"
    path.write_bytes(built.duckdb_path.read_bytes())
    con = duckdb.connect(str(path))
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO actors SELECT * FROM actors LIMIT 1")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO territories (territory_id, name, territory_type, area_km2, "
                    "source_id) VALUES ('UA-99', 'x', 'oblast', 1, 'nope')")
    con.close()


def test_sqlite_has_foreign_keys_indexes_and_full_text_search(built):
    db = sqlite3.connect(built.sqlite_path)
    fks = db.execute("SELECT \"table\", \"from\" FROM pragma_foreign_key_list('proposals')"
                     ).fetchall()
    assert ("actors", "proposed_by") in fks
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "idx_proposals_proposed_by" in indexes
    hits = db.execute("SELECT count(*) FROM actors_fts WHERE actors_fts MATCH 'Ukraine'"
                      ).fetchone()[0]
    db.close()
    assert hits >= 1


def test_fts_tables_cover_the_schema_text_columns(built):
    db = sqlite3.connect(built.sqlite_path)
    for table in built.tables:
        if table.search_columns:
            cols = [r[1] for r in db.execute(f"PRAGMA table_info({table.name}_fts)")]
            assert cols == table.search_columns
    db.close()


def _digest(paths) -> dict[str, str]:
    out = {}
    for p in paths:
        files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
        for f in files:
            out[str(f)] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


def test_invalid_data_builds_nothing_and_keeps_the_previous_build(pkg):
    first = build(pkg)
    before = _digest(first.outputs)
    path = pkg.table("actors").csv_path
    path.write_text(path.read_text(encoding="utf-8") + "BAD,Bad,planet,,\n", encoding="utf-8")
    with pytest.raises(InvalidData) as err:
        build(pkg)
    assert any(p.rule == "enum" for p in err.value.problems)
    assert _digest(first.outputs) == before
    assert not list(pkg.build_dir.glob(".staging-*"))


def test_the_build_is_reproducible(pkg):
    def digest_without_duckdb(result):  # a DuckDB file embeds its own block layout
        return {k: v for k, v in _digest(result.outputs).items() if not k.endswith(".duckdb")}

    first = digest_without_duckdb(build(pkg))
    second = digest_without_duckdb(build(pkg))
    assert first == second
