"""An editor adds a row that breaks a rule: `peacetalks validate` names file, row, column, rule.

Each case appends one bad row to a copy of the package and expects exactly that problem.
"""

from __future__ import annotations

import pytest

from conftest import TEST_SOURCE, append_row, problems_of

ROUND = dict(track="other", start_date="2022-03-29", format="in_person", level="delegations",
             outcome="statement", summary="Test round.", source_id=TEST_SOURCE)
ESTIMATE = dict(estimator_id="HRMMU", subject_id="UKR", population="civilian",
                category="killed", period_start="2022-02-24", as_of_date="2023-01-31",
                value_best="100", estimate_type="verified_minimum", source_id=TEST_SOURCE)
AREA = dict(name="Test Oblast", territory_type="oblast", area_km2="1049",
            source_id=TEST_SOURCE, official_area_km2="1000", official_area_rounding_km2="100",
            official_source_id=TEST_SOURCE)
PROPOSAL = dict(date="2022-03-29", proposed_by="UKR", issue="neutrality",
                position="Test position.", status="proposed", source_id=TEST_SOURCE)


def _round_with_party(pkg, round_id: str, **extra: str) -> int:
    line = append_row(pkg, "negotiation_rounds", round_id=round_id, **{**ROUND, **extra})
    append_row(pkg, "round_participants", round_id=round_id, actor_id="UKR", role="party",
               source_id=TEST_SOURCE)
    return line


CASES = [
    # (story, table, row values, column, rule)
    ("a date that does not exist", "casualties",
     dict(ESTIMATE, estimate_id="t-bad-date", as_of_date="2023-02-30"), "as_of_date", "type"),
    ("a figure that is not a number", "casualties",
     dict(ESTIMATE, estimate_id="t-bad-int", value_best="about 100"), "value_best", "type"),
    ("an unknown enum value", "casualties",
     dict(ESTIMATE, estimate_id="t-enum", population="soldiers"), "population", "enum"),
    ("a missing required value", "casualties",
     dict(ESTIMATE, estimate_id="t-required", estimate_type=""), "estimate_type", "required"),
    ("an id that breaks its pattern", "casualties",
     dict(ESTIMATE, estimate_id="T Bad Id"), "estimate_id", "pattern"),
    ("a negative count", "casualties",
     dict(ESTIMATE, estimate_id="t-negative", value_best="-5"), "value_best", "minimum"),
    ("a date before 2014", "casualties",
     dict(ESTIMATE, estimate_id="t-early", as_of_date="2013-12-31", period_start=""),
     "as_of_date", "minimum"),
    ("a date in the future", "casualties",
     dict(ESTIMATE, estimate_id="t-future", as_of_date="2099-01-01"), "as_of_date",
     "future-date"),
    ("a dangling foreign key", "casualties",
     dict(ESTIMATE, estimate_id="t-fk", estimator_id="NOBODY"), "estimator_id", "foreign-key"),
    ("a source that does not exist", "casualties",
     dict(ESTIMATE, estimate_id="t-src", source_id="no-such-source"), "source_id",
     "foreign-key"),
    ("low above best", "casualties",
     dict(ESTIMATE, estimate_id="t-low", value_low="200"), "value_low", "low-le-best"),
    ("best above high", "casualties",
     dict(ESTIMATE, estimate_id="t-high", value_high="50"), "value_high", "best-le-high"),
    ("low above high without best", "casualties",
     dict(ESTIMATE, estimate_id="t-range", value_best="", value_low="9", value_high="5"),
     "value_high", "low-le-high"),
    ("an estimate without any figure", "casualties",
     dict(ESTIMATE, estimate_id="t-empty", value_best=""), "value_best", "has-value"),
    ("as-of before the start of the count", "casualties",
     dict(ESTIMATE, estimate_id="t-asof", period_start="2023-06-01"), "as_of_date",
     "as-of-after-start"),
    ("losses of a third state", "casualties",
     dict(ESTIMATE, estimate_id="t-subject", subject_id="USA"), "subject_id",
     "subject-is-party"),
    ("a proposal tied to nothing", "proposals",
     dict(PROPOSAL, proposal_id="t-orphan"), "document_id", "document-or-round"),
    ("notes naming a document that does not exist", "proposals",
     dict(PROPOSAL, proposal_id="t-dangling-note", round_id="2022-03-29-istanbul",
          notes="Superseded by 2022-04-15-no-such-draft."), "notes", "notes-name-known-ids"),
    ("a source URL that is not http(s)", "sources",
     dict(source_id="t-ftp", title="T", publisher="P", url="ftp://example.org/x",
          language="en", source_type="news"), "url", "pattern"),
    ("a state with a non-ISO code", "actors",
     dict(actor_id="UKRAINE", name="Ukraine again", actor_type="state"), "actor_id",
     "state-code"),
    ("an unassessed control claim", "territory_claims",
     dict(claim_id="t-claim", territory_id="UA", claimant_id="RUS",
          claim_type="control_assessed", date="2023-01-01", source_id=TEST_SOURCE),
     "assessed_by", "assessor-given"),
    ("an exact area that does not round to the official figure", "territories",
     dict(AREA, territory_id="UA-97", official_area_km2="1200"), "area_km2",
     "area-agrees-with-official"),
    ("an official area without its source", "territories",
     dict(AREA, territory_id="UA-98", official_source_id=""), "official_area_km2",
     "official-area-complete"),
    ("an official area citing a source that does not exist", "territories",
     dict(AREA, territory_id="UA-99", official_source_id="no-such-source"),
     "official_source_id", "foreign-key"),
    ("a round without any party", "negotiation_rounds",
     dict(ROUND, round_id="2022-03-29-nowhere"), "round_id", "has-party"),
]


@pytest.mark.parametrize(("story", "table", "values", "column", "rule"), CASES,
                         ids=[c[0] for c in CASES])
def test_bad_row_is_reported(pkg, story, table, values, column, rule):
    line = append_row(pkg, table, **values)
    expected = f"{pkg.table(table).relpath}:{line}:{column}:{rule}:"
    found = problems_of(pkg)
    assert any(p.startswith(expected) for p in found), f"{story}: {expected!r} not in {found}"


def test_notes_may_name_rounds_documents_and_proposals_that_exist(pkg):
    append_row(pkg, "proposals", **dict(
        PROPOSAL, proposal_id="t-linked-note", round_id="2022-03-29-istanbul",
        notes="Same terms as 2022-03-29-istanbul-communique, tabled at 2022-03-29-istanbul; "
              "source 112-2020-07-23-ceasefire-conditions."))
    assert not [p for p in problems_of(pkg) if ":notes-name-known-ids:" in p]


def test_duplicate_primary_key(pkg):
    append_row(pkg, "casualties", **dict(ESTIMATE, estimate_id="t-dup"))
    line = append_row(pkg, "casualties", **dict(ESTIMATE, estimate_id="t-dup"))
    assert any(p.startswith(f"data/casualties.csv:{line}:estimate_id:")
               and ("unique" in p or "primary-key" in p) for p in problems_of(pkg))


def test_duplicate_composite_key(pkg):
    _round_with_party(pkg, "2022-03-29-testville")
    line = append_row(pkg, "round_participants", round_id="2022-03-29-testville",
                      actor_id="UKR", role="party", source_id=TEST_SOURCE)
    assert any(p.startswith(f"data/round_participants.csv:{line}:round_id+actor_id+role:"
                            "primary-key") for p in problems_of(pkg))


def test_round_ending_before_it_starts(pkg):
    line = _round_with_party(pkg, "2022-03-29-backwards", end_date="2022-03-28")
    assert any(p.startswith(f"data/negotiation_rounds.csv:{line}:end_date:end-after-start")
               for p in problems_of(pkg))


def test_round_id_must_carry_its_date(pkg):
    line = _round_with_party(pkg, "2022-03-30-istanbul-typo")
    assert any(p.startswith(f"data/negotiation_rounds.csv:{line}:round_id:id-matches-date")
               for p in problems_of(pkg))


def test_guarantor_must_be_a_state(pkg):
    append_row(pkg, "documents", document_id="2022-03-29-test-doc", title="Test",
               document_type="communique", date="2022-03-29", status="proposed",
               summary="Test.", source_id=TEST_SOURCE)
    line = append_row(pkg, "guarantor_states", document_id="2022-03-29-test-doc",
                      state_id="NATO", proposed_by="UKR", role="proposed",
                      source_id=TEST_SOURCE)
    assert any(p.startswith(f"data/guarantor_states.csv:{line}:state_id:guarantor-is-state")
               for p in problems_of(pkg))


def test_share_must_agree_with_area(pkg):
    area = pkg.table("territories").csv_path
    lines = area.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [ln for ln in lines if not ln.startswith("UA,")]
    lines.insert(1, f"UA,Ukraine,country,603628,{TEST_SOURCE},\n")
    area.write_text("".join(lines), encoding="utf-8")
    line = append_row(pkg, "territory_claims", claim_id="t-share", territory_id="UA",
                      claimant_id="RUS", claim_type="control_assessed", date="2023-01-01",
                      area_km2="60362.8", share_of_ukraine_pct="20", assessed_by="ISW",
                      source_id=TEST_SOURCE)
    assert any(p.startswith(f"data/territory_claims.csv:{line}:share_of_ukraine_pct:"
                            "share-matches-area") for p in problems_of(pkg))


def test_the_repository_data_is_valid(repo):
    from peacetalks.validate import validate

    report = validate(repo)
    assert report.ok, "\n".join(str(p) for p in report.problems)


ENGINE_CASES = [c for c in CASES if c[4] in ("enum", "required", "pattern", "minimum")]


@pytest.mark.parametrize(("story", "table", "values", "column", "rule"), ENGINE_CASES,
                         ids=[c[0] for c in ENGINE_CASES])
def test_both_engines_enforce_the_schema(pkg, story, table, values, column, rule):
    """The same Table Schema drives frictionless and the generated pandera model."""
    import datetime as dt

    from peacetalks.validate import check_files, run_frictionless, run_pandera

    line = append_row(pkg, table, **values)
    cell = (pkg.table(table).relpath, line, column)
    _, raws = check_files(pkg)
    by_pandera, _ = run_pandera(pkg, raws, dt.date.today())
    assert any((p.file, p.row, p.column, p.rule) == (*cell, rule) for p in by_pandera)
    assert any((p.file, p.row, p.column) == cell for p in run_frictionless(pkg))


def test_a_cumulative_verified_count_cannot_fall(pkg):
    series = dict(ESTIMATE, estimator_id="ISW", period_start="2023-01-01")
    append_row(pkg, "casualties", **dict(series, estimate_id="t-jan", as_of_date="2023-01-31",
                                         value_best="100"))
    line = append_row(pkg, "casualties", **dict(series, estimate_id="t-feb",
                                                as_of_date="2023-02-28", value_best="90"))
    assert any(p.startswith(f"data/casualties.csv:{line}:value_best:count-never-falls")
               for p in problems_of(pkg))


def test_a_later_report_may_revise_an_earlier_cut_off_upwards(pkg):
    """The UN verifies more cases of a past month later on: that is not a falling count."""
    append_row(pkg, "sources", source_id="t-late-report", title="Later report",
               publisher="Tests", url="https://example.org/later", published_date="2023-06-01",
               language="en", source_type="news")
    series = dict(ESTIMATE, estimator_id="ISW", period_start="2023-01-01")
    append_row(pkg, "casualties", **dict(series, estimate_id="t-early-cut", value_best="100",
                                         as_of_date="2023-02-28"))
    append_row(pkg, "casualties", **dict(series, estimate_id="t-revised", value_best="120",
                                         as_of_date="2023-01-31", source_id="t-late-report"))
    assert not any(":count-never-falls:" in p for p in problems_of(pkg))
