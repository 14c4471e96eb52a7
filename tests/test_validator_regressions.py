"""Cases the property suite (test_property_mutations.py) found, kept as plain regression tests."""

from __future__ import annotations

from conftest import TEST_SOURCE, append_row, problems_of
from peacetalks.hygiene import MAX_CELL_CHARS

ESTIMATE = dict(estimator_id="HRMMU", subject_id="UKR", population="civilian",
                category="killed", period_start="2022-02-24", as_of_date="2023-01-31",
                value_best="100", estimate_type="verified_minimum", source_id=TEST_SOURCE)


def test_a_five_megabyte_cell_is_named_by_row_and_column(pkg):
    """Python's csv limit (131,072) is global and frictionless raises it on import: the
    verdict used to depend on what had run before. Now a rule decides, the same every time."""
    import frictionless.formats.csv  # noqa: F401  (raises the csv module's limit)

    line = append_row(pkg, "actors", actor_id="XHUGE", name="Huge", actor_type="ngo",
                      notes="word " * (1024 * 1024))
    problems = problems_of(pkg)
    assert any(p.startswith(f"data/actors.csv:{line}:notes:cell-too-long:") for p in problems)
    assert all(len(p) < 1000 for p in problems), "the message must not quote the cell"


def test_a_long_but_reasonable_cell_is_accepted(pkg):
    append_row(pkg, "actors", actor_id="XLONG", name="Long", actor_type="ngo",
               notes="x" * MAX_CELL_CHARS)
    assert not any("cell-too-long" in p for p in problems_of(pkg))


def test_a_date_without_leading_zeros_is_not_a_date(pkg):
    """strptime("%Y-%m-%d") reads 2023-1-5; the schema's date format is YYYY-MM-DD."""
    line = append_row(pkg, "casualties", **dict(ESTIMATE, estimate_id="t-short-date",
                                                 period_start="2023-1-5"))
    assert any(p.startswith(f"data/casualties.csv:{line}:period_start:type:")
               for p in problems_of(pkg))


def test_a_quote_left_open_names_the_line_where_it_opens(pkg):
    path = pkg.table("actors").csv_path
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = '"' + lines[4]
    path.write_text("".join(lines), encoding="utf-8")
    assert any(p.startswith("data/actors.csv:5:-:malformed-csv:") for p in problems_of(pkg))


def test_a_repeated_source_id_is_reported_not_a_crash_of_the_round_date_rule(pkg):
    """The rule comparing a round with its source's date looked sources up by ID and crashed
    (polars: `old` must not contain duplicates) when a source_id repeated."""
    sources = pkg.table("sources").csv_path
    first = sources.read_text(encoding="utf-8").splitlines()[1]
    with sources.open("a", encoding="utf-8") as f:
        f.write(first + "\n")
    problems = problems_of(pkg)
    assert any(p.startswith("data/sources.csv:") and ":source_id:primary-key:" in p
               for p in problems), problems[:5]
