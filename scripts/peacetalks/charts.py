"""Pictures of the dashboard charts for the README, and a record of the data they show.

``peacetalks charts`` serves the build with Datasette, opens each datasette-dashboards chart
in headless Chromium and saves it as ``docs/img/<chart>.png``. Beside the images,
``docs/img/charts.json`` records for each chart the SHA-256 of its specification and of the
rows its SQL returns. Comparing hashes, not pixels, tells whether a committed picture is
still current: when the data or the chart changes, ``charts --check`` (and a test) fails
until the pictures are drawn again.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from .downloads import CHART_IMAGES
from .front_door import DASHBOARD
from .live_site import CHROMIUM_ARGS, chromium_path, running_datasette
from .package import DataPackage
from .serve import dashboards

RECORD = "charts.json"
VIEWPORT = {"width": 960, "height": 900}


def charts() -> dict[str, dict[str, Any]]:
    """The charts of the overview dashboard, in its layout order."""
    board = dashboards()[DASHBOARD]
    return {slug: board["charts"][slug] for row in board["layout"] for slug in row}


def spec_sha256(chart: dict[str, Any]) -> str:
    spec = {k: chart.get(k) for k in ("title", "query", "library", "display")}
    return hashlib.sha256(json.dumps(spec, sort_keys=True, ensure_ascii=False)
                          .encode()).hexdigest()


def data_sha256(sqlite_path: Path, query: str) -> tuple[str, int]:
    """SHA-256 of the rows the chart's SQL returns from the built SQLite file, and their count."""
    db = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    try:
        rows = [list(r) for r in db.execute(query).fetchall()]
    finally:
        db.close()
    text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest(), len(rows)


def chart_record(pkg: DataPackage) -> dict[str, dict[str, Any]]:
    """What each chart picture shows: its image, title and the hashes of spec and data."""
    out = {}
    for slug, chart in charts().items():
        digest, n = data_sha256(pkg.sqlite_path, chart["query"])
        out[slug] = {"image": f"{slug}.png", "title": chart["title"], "rows": n,
                     "data_sha256": digest, "spec_sha256": spec_sha256(chart)}
    return out


def stale_charts(pkg: DataPackage, folder: Path | None = None) -> list[str]:
    """Charts whose committed picture was drawn from other data or another spec, or is missing."""
    folder = folder or pkg.root / CHART_IMAGES
    path = folder / RECORD
    recorded = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return [slug for slug, rec in chart_record(pkg).items()
            if recorded.get(slug) != rec or not (folder / rec["image"]).is_file()]


def draw_charts(pkg: DataPackage, out: Path | None = None) -> list[Path]:
    """Screenshot every chart in headless Chromium into docs/img/ and write charts.json."""
    from playwright.sync_api import sync_playwright

    browser_path = chromium_path()
    if browser_path is None:
        raise RuntimeError("Chromium is not installed (Debian: apt-get install chromium)")
    folder = out or pkg.root / CHART_IMAGES
    folder.mkdir(parents=True, exist_ok=True)
    images = []
    with running_datasette(pkg) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(browser_path), args=CHROMIUM_ARGS)
        try:
            for slug in charts():
                page = browser.new_page(viewport=VIEWPORT)
                errors: list[str] = []
                page.on("console", lambda m, e=errors: e.append(m.text)
                        if m.type == "error" else None)
                page.goto(f"{base}/-/dashboards/{DASHBOARD}/{slug}/embed",
                          wait_until="networkidle")
                page.wait_for_selector(".chart-container .marks", timeout=20000)
                page.add_style_tag(content=".vega-embed details { display: none; }")
                if errors:
                    raise RuntimeError(f"chart {slug}: {errors}")
                target = folder / f"{slug}.png"
                page.locator(".chart-container .marks").first.screenshot(path=str(target))
                images.append(target)
                page.close()
        finally:
            browser.close()
    (folder / RECORD).write_text(json.dumps(chart_record(pkg), indent=2, ensure_ascii=False)
                                 + "\n", encoding="utf-8")
    return images
