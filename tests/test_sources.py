"""A reader follows a row to its source: every source is cited, once, by a unique address."""

from __future__ import annotations

import re

import polars as pl

from conftest import ROOT
from peacetalks.rules import cites_source


def _read(name: str) -> pl.DataFrame:
    return pl.read_csv(ROOT / "data" / f"{name}.csv", infer_schema=False)


def test_every_source_is_cited_by_a_row_or_a_note(repo):
    cited = set()
    text = []
    for table in repo.tables:
        if table.name == "sources":
            continue
        frame = _read(table.name)
        for column in table.source_columns:
            cited |= set(frame[column].drop_nulls())
        if "notes" in frame.columns:
            text += frame["notes"].drop_nulls().to_list()
    notes = "\n".join(text)
    uncited = [s for s in _read("sources")["source_id"]
               if s not in cited and not re.search(rf"(?<![a-z0-9-]){re.escape(s)}(?![a-z0-9-])",
                                                   notes)]
    assert not uncited, f"sources nobody cites: {uncited[:10]}"


def test_no_document_is_listed_twice_under_two_ids():
    urls = _read("sources")["url"]
    assert urls.n_unique() == urls.len(), "two source rows share a URL"


def test_the_source_cited_rule_knows_every_column_that_cites_a_source(repo):
    for table in repo.tables:
        if table.name != "sources":  # its source_id is its key; the rule skips the table
            assert set(filter(cites_source, table.columns)) == set(table.source_columns), \
                table.name


def test_the_notes_and_date_rules_know_the_tables_as_the_schemas_describe_them(repo):
    """Rules see frames, not schemas, so they name tables and columns; hold those to schemas/."""
    from peacetalks.rules import DATED_IDS, FACT_DATES, FALLBACK_DATES, NOTED_TABLES

    assert set(NOTED_TABLES) == {t.name for t in repo.tables if "notes" in t.columns}
    for table, column in FACT_DATES.items():
        if column:
            assert repo.table(table).field(column).type == "date", (table, column)
        assert "source_id" in repo.table(table).columns, table
    for table, (other, key, column) in FALLBACK_DATES.items():
        assert any(k.fields == [key] and k.table == other
                   for k in repo.table(table).foreign_keys), (table, key)
        assert repo.table(other).field(column).type == "date", (other, column)
    for table, column in DATED_IDS:
        assert repo.table(table).primary_key == [column], table
