"""A researcher cites an exact version; the citation files never drift from datapackage.json."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from conftest import ROOT
from gitrepo import set_descriptor
from peacetalks.citation import CITATION, ZENODO, generated_files
from peacetalks.cli import main

# The CFF 1.2.0 schema as shipped in cffconvert 2.0.0 (cffconvert/schemas/1.2.0/schema.json),
# the file `cffconvert --validate` uses; vendored because cffconvert cannot be installed here.
CFF_SCHEMA = json.loads((Path(__file__).parent / "cff-1.2.0.schema.json").read_text())


def cff_errors(text: str) -> list[str]:
    document = yaml.safe_load(text)
    validator = jsonschema.Draft7Validator(CFF_SCHEMA, format_checker=jsonschema.FormatChecker())
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(document)]


def test_citation_cff_is_valid_cff_1_2_with_a_preferred_citation(cited):
    text = (ROOT / CITATION).read_text(encoding="utf-8")
    assert cff_errors(text) == []
    cff = yaml.safe_load(text)
    assert cff["version"] == cited.version
    assert cff["preferred-citation"]["version"] == cited.version
    assert cff["preferred-citation"]["title"] == cited.title


def test_the_schema_check_can_fail():
    broken = (ROOT / CITATION).read_text(encoding="utf-8").replace(
        'date-released: "', 'date-released: "not a date ')
    assert any("date-released" in e for e in cff_errors(broken))


def test_the_repository_citation_files_are_up_to_date(cited):
    """Generated from the released package (the last release while work is in progress)."""
    for name, text in generated_files(cited).items():
        assert (ROOT / name).read_text(encoding="utf-8") == text, "run `peacetalks cite`"
    zenodo = json.loads((ROOT / ZENODO).read_text(encoding="utf-8"))
    assert zenodo["version"] == cited.version and zenodo["upload_type"] == "dataset"
    assert "related_identifiers" not in zenodo, "no public URL is known: none may be invented"


def test_cite_check_fails_when_zenodo_json_is_stale_and_cite_rewrites_it(pkg, cited):
    (pkg.root / "CHANGELOG.md").write_bytes((ROOT / "CHANGELOG.md").read_bytes())
    pkg = set_descriptor(pkg, version=cited.version, created=cited.descriptor["created"])
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
def test_cite_prints_the_citation_of_the_current_version(cited, fmt, expected):
    result = CliRunner().invoke(main, ["cite", "--package", str(cited.descriptor_path),
                                       "--format", fmt])
    assert result.exit_code == 0 and expected in result.output and cited.version in result.output


def test_cite_leaves_the_last_release_cited_while_work_is_in_progress(pkg):
    pkg = set_descriptor(pkg, version="9.9.9", created=None)
    args = ["cite", "--package", str(pkg.descriptor_path)]
    check = CliRunner().invoke(main, [*args, "--check"])
    assert check.exit_code == 0 and "9.9.9 is work in progress" in check.output
    write = CliRunner().invoke(main, args)
    assert write.exit_code == 1 and "set `created` when you cut 9.9.9" in write.output
    assert not (pkg.root / CITATION).exists()
