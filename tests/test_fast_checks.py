"""The fast row checks and frictionless reach the same verdict on every failing fixture.

`peacetalks validate` checks rows with polars (rowchecks.py) and keeps frictionless for the
descriptor; this is the proof that nothing frictionless would catch slips through.
"""

from __future__ import annotations

import pytest

from conftest import append_row
from peacetalks.validate import run_frictionless, validate
from test_validate_rules import CASES, ESTIMATE

# What a Table Schema can say, and so what frictionless checks too.
SCHEMA_RULES = {"type", "required", "enum", "pattern", "minimum", "maximum", "min-length",
                "max-length", "unique", "primary-key", "foreign-key"}


def _verdicts(pkg) -> tuple[set, set]:
    ours = {p.cell for p in validate(pkg).problems if p.rule in SCHEMA_RULES}
    return ours, {p.cell for p in run_frictionless(pkg)}


@pytest.mark.parametrize(("story", "table", "values", "column", "rule"), CASES,
                         ids=[c[0] for c in CASES])
def test_fast_checks_agree_with_frictionless(pkg, story, table, values, column, rule):
    append_row(pkg, table, **values)
    ours, theirs = _verdicts(pkg)
    assert ours == theirs, story


def test_they_agree_on_a_repeated_key(pkg):
    append_row(pkg, "casualties", **dict(ESTIMATE, estimate_id="t-dup"))
    append_row(pkg, "casualties", **dict(ESTIMATE, estimate_id="t-dup"))
    ours, theirs = _verdicts(pkg)
    assert ours == theirs and len(ours) == 1


def test_cross_check_runs_all_three_engines(pkg):
    append_row(pkg, "casualties", **dict(ESTIMATE, estimate_id="t-enum", population="soldiers"))
    fast = [str(p) for p in validate(pkg).problems]
    assert fast == [str(p) for p in validate(pkg, cross_check=True).problems]


def test_only_a_canonical_file_takes_the_fast_read(repo):
    """Anything off (order, quoting, line endings) goes to csvform, which names the line."""
    from peacetalks.csvfast import read_canonical

    table = repo.table("actors")
    data = table.csv_path.read_bytes()
    assert read_canonical(table, data) is not None
    header, first, second, *rest = data.split(b"\n")
    assert read_canonical(table, b"\n".join([header, second, first, *rest])) is None
    assert read_canonical(table, data.replace(b",,", b',"",', 1)) is None
    assert read_canonical(table, data.replace(b"\n", b"\r\n")) is None
    assert read_canonical(table, data.rstrip(b"\n")) is None
