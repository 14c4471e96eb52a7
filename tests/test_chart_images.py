"""A reader sees the charts in the README without running code, and they show today's data."""

from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import ROOT
from peacetalks.build import build
from peacetalks.charts import RECORD, charts, stale_charts
from peacetalks.cli import main
from peacetalks.downloads import CHART_IMAGES

IMAGES = ROOT / CHART_IMAGES


def test_the_chart_pictures_in_the_readme_show_the_current_data(built):
    assert stale_charts(built, IMAGES) == [], (
        "the pictures in docs/img/ were drawn from other data or chart specs: "
        "run `peacetalks charts` (or `make charts`) and commit docs/img/")


def test_the_readme_shows_every_chart_picture():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for slug in charts():
        assert (IMAGES / f"{slug}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"](docs/img/{slug}.png)" in readme, f"README does not show {slug}"


def test_the_four_charts_a_reader_asked_for_exist():
    slugs = set(charts())
    assert {"rounds-per-quarter", "positions-matrix", "casualty-estimates",
            "area-held"} <= slugs
    assert json.loads((IMAGES / RECORD).read_text(encoding="utf-8")).keys() == slugs


def test_a_change_in_the_data_makes_the_pictures_stale(pkg):
    build(pkg)
    assert stale_charts(pkg, IMAGES) == []  # the fixture's extra source is in no chart
    rounds = pkg.table("negotiation_rounds").csv_path
    text = rounds.read_text(encoding="utf-8")
    rounds.write_text(text.replace("2026-04-24-pow-exchange,humanitarian,",
                                   "2026-04-24-pow-exchange,other,"), encoding="utf-8")
    build(pkg)
    assert "rounds-per-quarter" in stale_charts(pkg, IMAGES)
    result = CliRunner().invoke(main, ["charts", "--check", "--package",
                                       str(pkg.descriptor_path)])
    assert result.exit_code == 1 and "rounds-per-quarter" in result.output
