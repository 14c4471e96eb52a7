"""Synthetic packages for the benchmark: valid as generated, and broken exactly where we say.

The benchmark's claims rest on these: that the generated data passes every check (so timings
are of a real validation, not of an early exit), and that each injected error is found at its
file, row and column by our checks and by frictionless alike. No timings here.
"""

from __future__ import annotations

import pytest

from peacetalks import csvfast, csvform
from peacetalks.synthetic import ERRORS, describe, generate, inject_errors
from peacetalks.validate import run_frictionless, validate


@pytest.fixture(scope="module")
def synthetic(repo, tmp_path_factory):
    return generate(repo, tmp_path_factory.mktemp("x1") / "pkg", 1)


def test_a_synthetic_package_passes_every_check(synthetic):
    report = validate(synthetic)
    assert report.ok, "\n".join(str(p) for p in report.problems[:20])


def test_it_has_as_many_rows_as_the_real_tables(repo, synthetic):
    real, fake = describe(repo), describe(synthetic)
    assert set(fake) == set(real)
    for table, rows in real.items():
        assert 0.95 * rows <= fake[table] <= rows, table  # composite keys may collide


def test_it_is_written_in_canonical_form(synthetic):
    """The slow reference checks agree with the fast read: nothing to reformat."""
    for table in synthetic.tables:
        data = table.csv_path.read_bytes()
        text = data.decode("utf-8")
        assert csvform.check_canonical(table, text, csvform.parse(text)) == [], table.name
        assert csvfast.read_canonical(table, data) is not None, table.name


def test_the_same_seed_gives_the_same_package(repo, synthetic, tmp_path):
    again = generate(repo, tmp_path / "again", 1)
    for a, b in zip(synthetic.tables, again.tables, strict=True):
        assert a.csv_path.read_bytes() == b.csv_path.read_bytes(), a.name


def test_every_injected_error_is_found_where_it_was_put(repo, tmp_path):
    broken = generate(repo, tmp_path / "broken", 1)
    errors = inject_errors(broken)
    assert len(errors) == 2 * len(ERRORS)
    injected = {(e.file, e.row, e.column, e.rule) for e in errors}
    found = {(p.file, p.row, p.column, p.rule) for p in validate(broken).problems}
    assert found == injected
    by_frictionless = {p.cell for p in run_frictionless(broken)}
    assert by_frictionless == {cell[:3] for cell in injected}
