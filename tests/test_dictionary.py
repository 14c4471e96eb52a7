"""A researcher reads the data dictionary: every table and column explained, never stale."""

from __future__ import annotations

import csv

from click.testing import CliRunner

from conftest import ROOT
from peacetalks.cli import main
from peacetalks.dictionary import DICTIONARY, dictionary_document, example_value
from peacetalks.serve import column_description


def test_the_data_dictionary_file_is_generated_from_the_current_schemas_and_data(repo):
    text = (ROOT / DICTIONARY).read_text(encoding="utf-8")
    assert dictionary_document(repo) == text, "run `peacetalks docs`"


def test_every_table_and_column_is_in_the_dictionary_with_keys_and_an_example(repo):
    text = dictionary_document(repo)
    for table in repo.tables:
        section = text.split(f"## `{table.name}`", 1)[1].split("\n## ", 1)[0]
        assert f"Primary key: `{'`, `'.join(table.primary_key)}`" in section
        for fk in table.foreign_keys:
            assert f"`{'+'.join(fk.fields)}` → [`{fk.table}." in section
        with table.csv_path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        for field in table.fields:
            line = next(ln for ln in section.splitlines() if ln.startswith(f"| `{field.name}` |"))
            example = example_value(rows, field.name)
            if example:  # derived from the data, so it is found in the column's values
                assert f"`{example}`" in line
                assert any(r[field.name].startswith(example.rstrip("…")) for r in rows)
            for value in field.enum_descriptions:
                assert f"- `{value}`: {field.enum_descriptions[value]}" in section


def test_a_schema_change_makes_docs_check_fail_until_docs_is_run(pkg):
    for name in ("README.md", DICTIONARY):
        (pkg.root / name).write_bytes((ROOT / name).read_bytes())
    schema = pkg.table("actors").schema_path
    schema.write_text(schema.read_text(encoding="utf-8").replace(
        "Common English name.", "Common English name of the actor."), encoding="utf-8")
    args = ["docs", "--check", "--package", str(pkg.descriptor_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "stale" in result.output
    assert CliRunner().invoke(main, args[:1] + args[2:]).exit_code == 0
    assert CliRunner().invoke(main, args).exit_code == 0
    assert "Common English name of the actor." in (pkg.root / DICTIONARY).read_text("utf-8")


def test_datasette_column_descriptions_give_the_meaning_of_each_allowed_value(repo):
    field = repo.table("documents").field("status")
    text = column_description(field)
    assert text.startswith(field.description)
    for value, meaning in field.enum_descriptions.items():
        assert f"{value}: {meaning.rstrip('.')}" in text
