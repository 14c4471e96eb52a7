"""A researcher copies a recipe from the README into their own tool, and it works.

The recipes are the fenced code blocks that follow a ``<!-- recipe: NAME -->`` marker in
README.md. Python recipes run, as they are, in a fresh interpreter from the root of a built
copy of the package; the Datasette recipe runs against the test server (its port replaced).
The R recipe is checked by review only: R is not installed where the tests run.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT
from peacetalks.publish import publish_text
from peacetalks.serve import SETTINGS

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"<!-- (recipe|publish): ([a-z-]+)[^>]*-->\n```(\w+)\n(.*?)\n```", re.S)
BLOCKS = {(kind, name): (lang, code) for kind, name, lang, code in BLOCK.findall(README)}
RECIPES = {name: block for (kind, name), block in BLOCKS.items() if kind == "recipe"}
PYTHON = sorted(name for name, (lang, _) in RECIPES.items() if lang == "python")
README_PORT = "http://127.0.0.1:8001"


def run_python(code: str, cwd) -> str:
    result = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), "the recipe printed nothing"
    return result.stdout


def test_the_readme_has_a_recipe_for_each_tool():
    assert {"pandas", "polars", "duckdb-parquet", "duckdb-file", "frictionless",
            "datasette-api", "r"} <= set(RECIPES)
    assert RECIPES["r"][0] == "r"
    assert "checked by review" in README.split("<!-- recipe: r", 1)[1].split("-->", 1)[0]


@pytest.mark.parametrize("name", [n for n in PYTHON if n != "datasette-api"])
def test_recipe_runs_on_a_built_copy(name, built):
    out = run_python(RECIPES[name][1], built.root)
    if name == "frictionless":
        assert built.version in out and "guarantor_states" in out


def test_datasette_api_recipe_runs_against_the_site(site, built):
    code = RECIPES["datasette-api"][1]
    assert README_PORT in code
    out = run_python(code.replace(README_PORT, str(site.base_url).rstrip("/")), built.root)
    expected = site.get("/peacetalks/positions_on_issue.json",
                        params={"issue": "nato_membership", "_shape": "array"}).json()
    assert out.startswith(f"{len(expected)} ") and len(expected) > 0


@pytest.mark.parametrize("how", ["publish cloudrun", "package"])
def test_the_documented_publish_command_serves_the_same_site(repo, how):
    name = how.split()[-1]
    lang, code = BLOCKS[("publish", name)]
    assert code == publish_text(repo, how), "README publish command is stale"
    for key, value in SETTINGS.items():
        assert f"--setting {key} {value}" in code
    for option in ("--metadata", "--template-dir", "--plugins-dir", "--static downloads:"):
        assert option in code
