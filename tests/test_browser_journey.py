"""A researcher's visit in a real browser: browse, facet, query, follow a link, download.

Headless Chromium (Debian's, driven by Playwright) against Datasette as ``peacetalks serve``
runs it. Every figure the pages show is checked against ``data/``. Screenshots of each step
go to ``build/test-artifacts/browser-journey/``. Skipped, saying why, without Chromium.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from browser import CHROMIUM, NO_CHROMIUM, launch
from conftest import ROOT
from peacetalks.serve import DATABASE

pytestmark = pytest.mark.skipif(not CHROMIUM, reason=NO_CHROMIUM)
SHOTS = ROOT / "build" / "test-artifacts" / "browser-journey"
ISSUE = "nato_membership"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def page(site):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(base_url=str(site.base_url), accept_downloads=True)
        tab = context.new_page()
        tab.errors = []
        tab.on("pageerror", lambda e: tab.errors.append(str(e)))
        yield tab
        browser.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_home_page_leads_to_a_table(page, built):
    page.goto("/")
    assert built.title in page.title()
    shot(page, "1-home")
    page.click(f"a[href='/{DATABASE}/proposals']")
    page.wait_for_url(f"**/{DATABASE}/proposals")
    expected = len(read_rows(built.table("proposals").csv_path))
    assert page.locator("h3").first.inner_text().startswith(f"{expected} rows")


def test_clicking_a_facet_value_filters_the_table(page, built):
    page.goto(f"/{DATABASE}/proposals")
    first = page.locator("#facet-issue li a").first
    value, shown = first.inner_text(), first.evaluate("a => a.parentElement.innerText")
    first.click()
    page.wait_for_url(f"**/{DATABASE}/proposals?issue={value}")
    shot(page, "2-facet")
    expected = sum(r["issue"] == value for r in read_rows(built.table("proposals").csv_path))
    assert shown.endswith(str(expected))
    assert page.locator("h3").first.inner_text().startswith(f"{expected} rows")


def test_a_canned_query_with_a_parameter(page, built):
    page.goto(f"/{DATABASE}/positions_on_issue")
    page.fill("input[name=issue]", ISSUE)
    page.click("input[type=submit][value='Run SQL']")
    page.wait_for_url(f"**/positions_on_issue?issue={ISSUE}*")
    shot(page, "3-canned-query")
    expected = sum(r["issue"] == ISSUE for r in read_rows(built.table("proposals").csv_path))
    assert expected > 0
    assert page.locator("table.rows-and-columns tbody tr").count() == expected


def test_a_foreign_key_link_leads_to_the_source(page, built):
    page.goto(f"/{DATABASE}/proposals?issue={ISSUE}")
    link = page.locator("td.col-source_id a").first
    label = link.inner_text()
    link.click()
    page.wait_for_url(f"**/{DATABASE}/sources/*")
    shot(page, "4-foreign-key")
    source_id = page.url.rsplit("/", 1)[1]
    sources = {r["source_id"]: r for r in read_rows(built.table("sources").csv_path)}
    assert sources[source_id]["title"] == label
    assert label in page.content()


def test_the_downloaded_csv_has_the_rows_of_data(page, built, tmp_path):
    page.goto(f"/{DATABASE}/proposals")
    page.check("input[name=_dl]")
    with page.expect_download() as download:
        page.click("input[type=submit][value='Export CSV']")
    path = tmp_path / "proposals.csv"
    download.value.save_as(path)
    table = built.table("proposals")
    key = table.primary_key[0]
    data = {r[key]: r for r in read_rows(table.csv_path)}
    got = {r[key]: {c: r[c] for c in table.columns} for r in read_rows(path)}
    assert got.keys() == data.keys()
    assert got == data


def test_no_script_error_on_any_page(page):
    assert page.errors == []
