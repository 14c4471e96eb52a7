"""A researcher arrives at the site cold: the home page says what this is, how to cite and
download it, shows the charts and the questions; every page says which version it shows.

The browser checks run in real headless Chromium (Debian's, never Playwright's download) and
keep their screenshots in build/screenshots/ as test artefacts; they are skipped, saying so,
where Chromium is not installed.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from conftest import ROOT, csv_row_counts
from peacetalks.citation import render
from peacetalks.downloads import downloads, table_csv_href
from peacetalks.front_door import query_groups
from peacetalks.live_site import CHROMIUM_ARGS, chromium_path
from peacetalks.serve import DATABASE, canned_queries, dashboards

SCREENSHOTS = ROOT / "build" / "screenshots"


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&#34;").replace("'", "&#39;")


def test_the_home_page_says_what_it_is_how_to_cite_and_where_to_download(site, built):
    page = site.get("/").text
    assert built.title in page and f"Version {built.version}" in page
    if not built.work_in_progress:
        assert "released 20" in page
        assert _html(render(built, "bibtex")).strip() in page
        assert _html(render(built, "text")).strip() in page
    else:
        assert "(work in progress, not yet released)" in page and "released 20" not in page
        assert "Cite a released version" in page and "@dataset{" not in page
    assert "CC-BY-4.0" in page and "creativecommons.org/licenses/by/4.0" in page
    for d in downloads(built):
        assert f'href="{d.href}"' in page, d.label
        response = site.get(d.href)
        assert response.status_code == 200 and len(response.content) > 1000, d.filename
    for slug in dashboards()["overview"]["charts"]:
        assert f'href="/-/dashboards/overview/{slug}"' in page
    for name, n in csv_row_counts(built).items():
        assert f'href="/{DATABASE}/{name}">{name}</a> <small>{n:,} rows</small>' in page


def test_the_home_page_groups_the_canned_queries_by_question(site):
    page = site.get("/").text
    groups = query_groups(canned_queries())
    assert len(groups) >= 3 and all(g["question"] != "Other questions" for g in groups)
    position = -1
    for group in groups:
        heading = page.index(f"<h3>{_html(group['question'])}</h3>")
        assert heading > position  # in the order the questions are listed
        position = heading
        for q in group["queries"]:
            assert f'href="/{DATABASE}/{q["name"]}"' in page


@pytest.mark.parametrize("path", ["/", f"/{DATABASE}", f"/{DATABASE}/proposals",
                                  f"/{DATABASE}/actors/UKR", f"/{DATABASE}/timeline",
                                  "/-/dashboards/overview", "/-/search?q=Istanbul"])
def test_every_page_shows_the_version_release_date_and_citation(site, built, path):
    page = site.get(path).text
    footer = page.split('<footer class="ft">', 1)[1]
    if not built.work_in_progress:
        assert f"Version {built.version}, released" in footer
        assert _html(render(built, "text")).strip() in footer
    else:
        assert f"Version {built.version} (work in progress, not yet released)" in footer


def test_every_table_page_links_to_its_csv_download_which_is_the_data_file(site, built):
    for table in built.tables:
        href = table_csv_href(table.name)
        assert f'href="{href}"' in site.get(f"/{DATABASE}/{table.name}").text, table.name
        assert site.get(href).content == table.csv_path.read_bytes(), table.name


def test_a_table_page_explains_each_column_and_the_meaning_of_each_allowed_value(site, built):
    html = site.get(f"/{DATABASE}/documents").text
    columns = html.split('<details class="peacetalks-columns">', 1)[1].split("</details>", 1)[0]
    table = built.table("documents")
    for field in table.fields:
        assert f"<code>{field.name}</code>" in columns
    for value, meaning in table.field("status").enum_descriptions.items():
        assert f"<li><code>{value}</code>: {_html(meaning)}</li>" in columns


def test_the_csv_download_is_the_whole_data_package(site, built):
    archive = next(d for d in downloads(built) if d.filename.endswith("-csv.zip"))
    names = zipfile.ZipFile(io.BytesIO(site.get(archive.href).content)).namelist()
    stem = f"{built.name}-{built.version}/"
    assert stem + "datapackage.json" in names
    for table in built.tables:
        assert stem + table.relpath in names and stem + f"schemas/{table.name}.schema.json" \
            in names


def test_foreign_keys_show_names_not_codes(site, built):
    meta = site.get("/-/metadata.json").json()["databases"][DATABASE]["tables"]
    for table in built.tables:
        for fk in table.foreign_keys:
            target = built.table(fk.table)
            if {"name", "title"} & set(target.columns):
                assert meta[fk.table].get("label_column"), fk.table
    rows = site.get(f"/{DATABASE}/proposals.json", params={
        "proposed_by": "RUS", "_labels": "on", "_size": "1"}).json()["rows"]
    assert rows[0]["proposed_by"] == {"value": "RUS", "label": "Russia"}
    html = site.get(f"/{DATABASE}/proposals", params={"proposed_by": "RUS"}).text
    assert '<a href="/peacetalks/actors/RUS">Russia</a>' in html


def test_a_source_without_a_title_shows_its_id_not_none(site):
    sql = ("SELECT p.source_id FROM proposals p JOIN sources s USING (source_id) "
           "WHERE s.title IS NULL ORDER BY 1 LIMIT 1")
    untitled = site.get(f"/{DATABASE}.json", params={"sql": sql, "_shape": "array"}
                        ).json()[0]["source_id"]
    html = site.get(f"/{DATABASE}/proposals", params={"source_id": untitled}).text
    cell = html.split('class="col-source_id', 2)[2].split("</td>", 1)[0]
    assert f'<a href="/{DATABASE}/sources/{untitled}">{untitled}</a>' in cell
    assert ">None<" not in cell


def test_tables_with_a_date_open_in_date_order(site):
    rows = site.get(f"/{DATABASE}/casualties.json", params={"_shape": "array"}).json()
    dates = [r["as_of_date"] for r in rows]
    assert dates == sorted(dates)


# --- in a real browser ---------------------------------------------------------------------

CHROMIUM = chromium_path()
browser_only = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed "
                                  "(Debian: apt-get install chromium); browser checks skipped")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def _open(browser, url: str, ready: str, shot: str, full_page: bool = False) -> list[str]:
    """Open a page, wait for what shows it rendered, screenshot it; return console errors."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector(ready, timeout=20000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / shot), full_page=full_page)
    page.close()
    return errors


@browser_only
def test_the_home_page_renders_in_chromium_with_no_console_errors(site, browser):
    errors = _open(browser, f"{site.base_url}/", "#cite h2", "home.png",
                   full_page=True)
    assert not errors, errors
    assert (SCREENSHOTS / "home.png").stat().st_size > 10000


@browser_only
def test_a_table_page_renders_in_chromium_with_no_console_errors(site, browser):
    errors = _open(browser, f"{site.base_url}/{DATABASE}/proposals",
                   "table.rows-and-columns",
                   "table-proposals.png")
    assert not errors, errors


@browser_only
def test_a_chart_renders_in_chromium_with_no_console_errors(site, browser):
    errors = _open(browser, f"{site.base_url}/-/dashboards/overview/positions-matrix",
                   ".chart-container .marks", "chart-positions-matrix.png")
    assert not errors, errors
