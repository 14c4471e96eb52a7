"""A researcher cites an exact version; the citation files never drift from datapackage.json."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from conftest import ROOT
from peacetalks.citation import CITATION, ZENODO, generated_files, stale_files
from peacetalks.cli import main

# The CFF 1.2.0 schema as shipped in cffconvert 2.0.0 (cffconvert/schemas/1.2.0/schema.json),
# the file `cffconvert --validate` uses; vendored because cffconvert cannot be installed here.
CFF_SCHEMA = json.loads((Path(__file__).parent / "cff-1.2.0.schema.json").read_text())


def cff_errors(text: str) -> list[str]:
    document = yaml.safe_load(text)
    validator = jsonschema.Draft7Validator(CFF_SCHEMA, format_checker=jsonschema.FormatChecker())
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(document)]


def test_citation_cff_is_valid_cff_1_2_with_a_preferred_citation(repo):
    text = (ROOT / CITATION).read_text(encoding="utf-8")
    assert cff_errors(text) == []
    cff = yaml.safe_load(text)
    assert cff["version"] == repo.version
    assert cff["preferred-citation"]["version"] == repo.version
    assert cff["preferred-citation"]["title"] == repo.title


def test_the_schema_check_can_fail():
    broken = (ROOT / CITATION).read_text(encoding="utf-8").replace(
        'date-released: "', 'date-released: "not a date ')
    assert any("date-released" in e for e in cff_errors(broken))


def test_the_repository_citation_files_are_up_to_date(repo):
    assert stale_files(repo) == [], "run `peacetalks cite`"
    zenodo = json.loads((ROOT / ZENODO).read_text(encoding="utf-8"))
    assert zenodo["version"] == repo.version and zenodo["upload_type"] == "dataset"
    assert "related_identifiers" not in zenodo, "no public URL is known: none may be invented"


def test_cite_check_fails_when_zenodo_json_is_stale_and_cite_rewrites_it(pkg):
    (pkg.root / "CHANGELOG.md").write_bytes((ROOT / "CHANGELOG.md").read_bytes())
    for name, text in generated_files(pkg).items():
        (pkg.root / name).write_text(text, encoding="utf-8")
    args = ["cite", "--package", str(pkg.descriptor_path)]
    assert CliRunner().invoke(main, [*args, "--check"]).exit_code == 0
    descriptor = json.loads(pkg.descriptor_path.read_text(encoding="utf-8"))
    descriptor["title"] = "A retitled package"
    pkg.descriptor_path.write_text(json.dumps(descriptor), encoding="utf-8")
    stale = CliRunner().invoke(main, [*args, "--check"])
    assert stale.exit_code == 1 and "stale: run `peacetalks cite`" in stale.output
    assert CliRunner().invoke(main, args).exit_code == 0
    assert json.loads((pkg.root / ZENODO).read_text(encoding="utf-8"))["title"] == \
        "A retitled package"


@pytest.mark.parametrize("fmt, expected", [("bibtex", "@dataset{"), ("apa", "(Version "),
                                           ("cff", "cff-version: 1.2.0")])
def test_cite_prints_the_citation_of_the_current_version(repo, fmt, expected):
    result = CliRunner().invoke(main, ["cite", "--package", str(repo.descriptor_path),
                                       "--format", fmt])
    assert result.exit_code == 0 and expected in result.output and repo.version in result.output
