"""The CLI and the docs a newcomer reads first: every command helps, the README stays true."""

from __future__ import annotations

import json
import os
import re

import pytest
from click.testing import CliRunner

from conftest import ROOT
from peacetalks.cli import main
from peacetalks.dictionary import render_readme

COMMANDS = sorted(main.commands)
CONTENT_TABLES_WITHOUT_SOURCE = {"sources", "actors"}


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example_and_is_in_the_readme(name):
    result = CliRunner().invoke(main, [name, "-h"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"`peacetalks {name}`" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_data_dictionary_is_generated_from_the_current_schemas(repo):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert render_readme(repo, text) == text, "run `peacetalks docs`"


def test_every_field_is_described_and_every_content_table_cites_a_source(repo):
    for table in repo.tables:
        for field in table.fields:
            assert field.description.strip(), f"{table.name}.{field.name} has no description"
            if field.enum_descriptions:
                assert set(field.enum_descriptions) == set(field.enum)
        if table.name not in CONTENT_TABLES_WITHOUT_SOURCE:
            assert table.field("source_id").required
            assert "notes" in table.columns


def test_the_descriptor_declares_the_data_licence_and_every_table(repo):
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    names = [r["name"] for r in descriptor["resources"]]
    assert {p.name.removesuffix(".schema.json") for p in (ROOT / "schemas").iterdir()} \
        == set(names)
    for r in descriptor["resources"]:
        assert r["path"] == f"data/{r['name']}.csv"


def test_query_prints_results_from_the_duckdb_build(built):
    result = CliRunner().invoke(main, [
        "query", "--package", str(built.descriptor_path), "--format", "csv",
        "SELECT actor_id, name FROM actors WHERE actor_id IN ('RUS', 'UKR') ORDER BY 1"])
    assert result.exit_code == 0, result.output
    assert result.output == "actor_id,name\nRUS,Russia\nUKR,Ukraine\n"


def _readme_example_queries() -> list[str]:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Example questions")[1]
    block = section.split("```sh")[1].split("```")[0]
    return re.findall(r'peacetalks query "(.*?)"', block, flags=re.DOTALL)


@pytest.mark.parametrize("sql", _readme_example_queries())
def test_every_example_question_in_the_readme_runs_and_answers(built, sql):
    result = CliRunner().invoke(main, ["query", "--package", str(built.descriptor_path),
                                       "--format", "csv", sql])
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) > 1, "the example returns no rows"


def test_query_reports_bad_sql_without_a_traceback(built):
    result = CliRunner().invoke(main, ["query", "--package", str(built.descriptor_path),
                                       "SELECT nope FROM actors"])
    assert result.exit_code == 1
    assert "Error:" in result.output and "Traceback" not in result.output


def test_query_cannot_write(built):
    result = CliRunner().invoke(main, ["query", "--package", str(built.descriptor_path),
                                       "DELETE FROM actors"])
    assert result.exit_code == 1 and "read-only" in result.output.lower()


def test_commands_work_on_a_package_elsewhere(pkg, tmp_path):
    os.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", "--package", str(pkg.descriptor_path)])
    assert result.exit_code == 0, result.output


def test_a_directory_without_a_package_is_a_clear_error(tmp_path):
    os.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 1 and "no datapackage.json" in result.output


@pytest.mark.parametrize(("broken", "message"), [
    ("datapackage.json", "datapackage.json: invalid JSON"),
    ("schemas/actors.schema.json", "actors.schema.json: invalid JSON"),
])
def test_a_broken_descriptor_or_schema_is_a_one_line_error(pkg, broken, message):
    (pkg.root / broken).write_text("{ not json", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--package", str(pkg.descriptor_path)])
    assert result.exit_code == 1 and message in result.output
    assert "Traceback" not in result.output


def test_a_schema_file_that_is_missing_is_named(pkg):
    (pkg.root / "schemas/actors.schema.json").unlink()
    result = CliRunner().invoke(main, ["validate", "--package", str(pkg.descriptor_path)])
    assert result.exit_code == 1 and "actors.schema.json" in result.output
