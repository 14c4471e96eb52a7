"""An editor (or a citing researcher) asks what changed between two versions."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from conftest import TEST_SOURCE, append_row, copy_package
from peacetalks.cli import main
from peacetalks.diff import diff_package, render


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
    assert diffs["actors"].changed == {"UKR": ["name"]}
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
