"""A reader opens the dashboard in a browser and sees every chart drawn, offline.

Needs Chromium (`apt-get install chromium`; `.ci/run` installs it where it can). Skipped,
with the reason, where no Chromium is installed.
"""

from __future__ import annotations

import pytest

from browser import CHROMIUM, NO_CHROMIUM, launch
from peacetalks.serve import dashboards

pytestmark = pytest.mark.skipif(not CHROMIUM, reason=NO_CHROMIUM)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.mark.parametrize("slug", sorted(dashboards()))
def test_every_chart_of_the_dashboard_is_drawn(site, browser, slug):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{site.base_url}/-/dashboards/{slug}", wait_until="networkidle")
    charts = dashboards()[slug]["charts"]
    page.wait_for_function(f"document.querySelectorAll('svg.marks, canvas.marks').length "
                           f">= {len(charts)}", timeout=20000)
    assert not errors, errors
    page.close()
