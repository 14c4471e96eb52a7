"""A journalist browses and queries the data in Datasette, which refuses to change anything."""

from __future__ import annotations

import pytest

from conftest import csv_row_counts
from peacetalks.serve import DATABASE, canned_queries, datasette_command


def test_every_table_has_a_page_with_its_description(site, built):
    for table in built.tables:
        page = site.get(f"/{DATABASE}/{table.name}")
        assert page.status_code == 200, table.name
        assert table.description.split(",")[0] in page.text


def test_json_export_has_every_row(site, built):
    for name, n in csv_row_counts(built).items():
        data = site.get(f"/{DATABASE}/{name}.json", params={"_size": "max"}).json()
        assert data["filtered_table_rows_count"] == n, name


def test_csv_export(site):
    text = site.get(f"/{DATABASE}/actors.csv", params={"_size": "max"}).text
    header = text.splitlines()[0]
    assert header.startswith("actor_id,name,actor_type")
    assert "\nUKR,Ukraine,state" in text


def test_column_descriptions_come_from_the_schemas(site, built):
    meta = site.get("/-/metadata.json").json()
    columns = meta["databases"][DATABASE]["tables"]["casualties"]["columns"]
    assert columns["as_of_date"] == built.table("casualties").field("as_of_date").description
    assert meta["license"] == "CC-BY-4.0"


def test_canned_queries_run(site):
    for name in canned_queries():
        data = site.get(f"/{DATABASE}/{name}.json",
                        params={"issue": "nato_membership",
                                "document_id": "2022-03-29-istanbul-communique",
                                "days": "31"}).json()
        assert data.get("ok", True), (name, data)
        assert "rows" in data


def test_assessors_giving_only_square_kilometres_can_be_compared_by_share(site):
    rows = site.get(f"/{DATABASE}/territory_control_over_time.json",
                    params={"_shape": "array"}).json()
    km2_only = [r for r in rows if r["territory_id"] == "UA" and r["area_km2"]
                and r["share_of_ukraine_pct"] is None]
    assert km2_only, "some assessors give only square kilometres"
    ukraine = site.get(f"/{DATABASE}/territories.json",
                       params={"territory_id": "UA", "_shape": "array"}).json()[0]["area_km2"]
    for r in km2_only:
        assert r["share_implied_by_area_pct"] == pytest.approx(r["area_km2"] / ukraine * 100,
                                                               abs=0.01)


def test_full_text_search(site):
    data = site.get(f"/{DATABASE}/actors.json",
                    params={"_search": "Ukraine", "_shape": "array"}).json()
    assert any(r["actor_id"] == "UKR" for r in data)


@pytest.mark.parametrize("sql", [
    "INSERT INTO actors (actor_id, name, actor_type) VALUES ('X', 'x', 'state')",
    "DELETE FROM actors",
    "UPDATE actors SET name = 'x'",
    "DROP TABLE actors",
    "ATTACH DATABASE '/tmp/x.db' AS x",
    "PRAGMA writable_schema = 1",
    "WITH x AS (SELECT 1) INSERT INTO actors (actor_id, name, actor_type) "
    "SELECT 'X', 'x', 'state' FROM x",
])
def test_writes_attach_and_pragma_are_refused(site, sql):
    response = site.get(f"/{DATABASE}.json", params={"sql": sql})
    assert response.status_code >= 400
    assert response.json()["ok"] is False
    count = site.get(f"/{DATABASE}.json",
                     params={"sql": "SELECT count(*) AS n FROM actors", "_shape": "array"})
    assert count.json()[0]["n"] > 0


def test_runaway_sql_is_stopped_by_the_time_limit(site):
    sql = ("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) "
           "SELECT count(*) FROM r")
    response = site.get(f"/{DATABASE}.json", params={"sql": sql})
    assert response.status_code >= 400
    assert "time limit" in response.text.lower() or "interrupted" in response.text.lower()


def test_server_files_cannot_be_read_through_sql(site):
    response = site.get(f"/{DATABASE}.json", params={"sql": "SELECT readfile('/etc/hostname')"})
    assert response.json()["ok"] is False


def test_dashboard_page_and_every_chart_query(site):
    from peacetalks.serve import dashboards

    for slug, board in dashboards().items():
        assert site.get(f"/-/dashboards/{slug}").status_code == 200
        for name, chart in board["charts"].items():
            data = site.get(f"/{chart['db']}.json", params={"sql": chart["query"]}).json()
            assert data["ok"], (name, data)
            assert data["rows"], f"chart {name} has no data to draw"


def test_each_site_folder_is_passed_to_datasette_once(repo):
    """Twice would load every plugin twice (each hook runs twice on every request)."""
    cmd = datasette_command(repo)
    for option in ("--plugins-dir", "--template-dir", "--metadata"):
        assert cmd.count(option) == 1, option
