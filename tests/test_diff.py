"""An editor (or a citing researcher) asks what changed between two versions."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile

import pytest
from click.testing import CliRunner

from conftest import TEST_SOURCE, append_row, copy_package
from gitrepo import commit_all, cut, make_repo, set_descriptor
from peacetalks.cli import main
from peacetalks.diff import diff_package, diff_sides, render


def test_added_removed_and_changed_rows_are_listed_by_key(pkg, tmp_path):
    before = copy_package(tmp_path / "before")
    shutil.copy(pkg.table("sources").csv_path, before.table("sources").csv_path)
    shutil.copy(pkg.table("actors").csv_path, before.table("actors").csv_path)
    append_row(pkg, "actors", actor_id="XTEST", name="Test actor", actor_type="ngo")
    path = pkg.table("actors").csv_path
    path.write_text(path.read_text(encoding="utf-8").replace("UKR,Ukraine,", "UKR,Ukrayina,"),
                    encoding="utf-8")
    lines = pkg.table("territories").csv_path.read_text(encoding="utf-8").splitlines()
    removed = lines.pop().split(",")[0]
    pkg.table("territories").csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    diffs = {d.table: d for d in diff_package(pkg, str(before.root))}
    assert diffs["actors"].added == ["XTEST"]
    assert diffs["actors"].changed == {"UKR": {"name": ("Ukraine", "Ukrayina")}}
    assert diffs["territories"].removed == [removed]
    assert diffs["sources"].empty and diffs["casualties"].empty
    assert "actors: +1 added, -0 removed, ~1 changed" in render(list(diffs.values()))


def test_diff_against_a_git_revision(repo):
    result = CliRunner().invoke(main, ["diff", "--package", str(repo.descriptor_path), "HEAD"])
    assert result.exit_code == 0, result.output
    assert TEST_SOURCE not in result.output


def test_an_unknown_revision_is_a_clear_error(repo):
    result = CliRunner().invoke(main, ["diff", "--package", str(repo.descriptor_path),
                                       "no-such-revision-xyz"])
    assert result.exit_code == 1 and "cannot read" in result.output


# Between releases: fixture repositories where 0.1.0 was cut, then the data moved on.

def _edit(pkg, table: str, old: str, new: str) -> None:
    path = pkg.table(table).csv_path
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test bug: {old!r} not in {table}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _add_column(pkg, table: str, name: str) -> None:
    """A new empty column at the end of a table and its schema."""
    t = pkg.table(table)
    schema = json.loads(t.schema_path.read_text(encoding="utf-8"))
    schema["fields"].append({"name": name, "type": "string", "description": "Test column."})
    t.schema_path.write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
    lines = t.csv_path.read_text(encoding="utf-8").splitlines()
    t.csv_path.write_text("\n".join([lines[0] + "," + name] + [x + "," for x in lines[1:]])
                          + "\n", encoding="utf-8")


@pytest.fixture
def moved_on(tmp_path):
    """0.1.0 released; since then a row added, one removed, one revised and a column added."""
    pkg, _ = cut(make_repo(tmp_path / "pkg"), "0.1.0")
    append_row(pkg, "actors", actor_id="XTEST", name="Test actor", actor_type="ngo")
    _edit(pkg, "actors", "UKR,Ukraine,", "UKR,Ukrayina,")
    lines = pkg.table("territories").csv_path.read_text(encoding="utf-8").splitlines()
    removed = lines.pop().split(",")[0]
    pkg.table("territories").csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _add_column(pkg, "documents", "wikidata_id")
    return pkg, removed


def test_diff_from_a_version_to_the_working_copy_and_to_a_commit(moved_on):
    pkg, removed = moved_on
    for args in (["0.1.0"], ["v0.1.0", "HEAD"]):
        if args[-1] == "HEAD":
            commit_all(pkg, "moved on")
        result = CliRunner().invoke(main, ["diff", "--package", str(pkg.descriptor_path),
                                           *args])
        assert result.exit_code == 0, result.output
        text = result.output
        assert text.startswith("schema changes:\n  documents: column added: wikidata_id\n")
        assert "actors: +1 added, -0 removed, ~1 changed" in text
        assert "  + XTEST" in text and f"  - {removed}" in text
        assert '  ~ UKR: name "Ukraine" -> "Ukrayina"' in text
        assert "documents:" not in text.split("schema changes:")[1].split("\n", 2)[2], \
            "an added empty column is a schema change, not a change to every row"


def test_diff_as_csv_and_json(moved_on):
    pkg, removed = moved_on
    args = ["diff", "--package", str(pkg.descriptor_path), "0.1.0", "--format"]
    rows = list(csv.DictReader(io.StringIO(CliRunner().invoke(main, [*args, "csv"]).output)))
    assert rows[0] == {"table": "documents", "change": "column_added", "key": "",
                       "column": "wikidata_id", "old": "", "new": ""}
    assert {"table": "actors", "change": "row_changed", "key": "UKR", "column": "name",
            "old": "Ukraine", "new": "Ukrayina"} in rows
    assert {"table": "territories", "change": "row_removed", "key": removed, "column": "",
            "old": "", "new": ""} in rows
    data = json.loads(CliRunner().invoke(main, [*args, "json"]).output)["tables"]
    assert data["actors"]["rows_added"] == ["XTEST"]
    assert data["actors"]["rows_changed"] == {"UKR": {"name": {"old": "Ukraine",
                                                               "new": "Ukrayina"}}}
    assert data["documents"]["columns_added"] == ["wikidata_id"]
    assert "sources" not in data


def test_diff_between_a_release_archive_and_a_folder_reports_retyped_and_removed(tmp_path):
    old = copy_package(tmp_path / "old")
    archive = tmp_path / "release.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(old.root.rglob("*")):
            if path.is_file():
                zf.write(path, f"russia-ukraine-peace-talks-0.1.0/{path.relative_to(old.root)}")
        zf.writestr("russia-ukraine-peace-talks-0.1.0/parquet/actors.parquet", b"PAR1\xea\x00")
    new = copy_package(tmp_path / "new")
    schema = json.loads(new.table("territories").schema_path.read_text(encoding="utf-8"))
    area = next(f for f in schema["fields"] if f["name"] == "area_km2")
    area["type"] = "integer"
    new.table("territories").schema_path.write_text(json.dumps(schema), encoding="utf-8")
    descriptor = json.loads(new.descriptor_path.read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"]
                               if r["name"] != "territory_claims"]
    new.descriptor_path.write_text(json.dumps(descriptor), encoding="utf-8")

    diffs = {d.table: d for d in diff_sides(new, str(archive), str(new.root))}
    assert diffs["territories"].columns_retyped == {"area_km2": ("number", "integer")}
    assert diffs["territory_claims"].status == "removed"
    assert render(list(diffs.values())).startswith(
        "schema changes:\n  table removed: territory_claims\n"
        "  territories: column retyped: area_km2 number -> integer\n")


def test_changelog_drafts_the_next_section_from_the_last_release(moved_on):
    pkg, removed = moved_on
    pkg = set_descriptor(pkg, version="0.2.0", created=None)
    result = CliRunner().invoke(main, ["changelog", "--package", str(pkg.descriptor_path)])
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("## [0.2.0] - ")
    assert "since 0.1.0" in text and "suggested bump: minor" in text
    assert "- `documents`: column `wikidata_id` added." in text
    assert "- `actors`: 1 row(s) added (`XTEST`); 1 revised (`UKR`; fields: name)." in text
    assert f"- `territories`: 1 removed (`{removed}`)." in text
