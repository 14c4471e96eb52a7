"""An editor pastes a source or a text from the web: validation catches what came along.

Each case adds one row to a copy of the package and expects the named problem on that row.
"""

from __future__ import annotations

import re

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import TEST_SOURCE, append_row, problems_of
from peacetalks import rules

SOURCE = dict(title="T", publisher="P", language="en", source_type="news")
ACTOR = dict(name="Test actor", actor_type="ngo")


def _expect(pkg, table: str, line: int, column: str, rule: str) -> None:
    expected = f"{pkg.table(table).relpath}:{line}:{column}:{rule}:"
    found = problems_of(pkg)
    assert any(p.startswith(expected) for p in found), f"{expected!r} not in {found}"


def _cited_source(pkg, source_id: str, **values: str) -> int:
    """Add a source and an actor whose notes cite it; returns the source's line."""
    line = append_row(pkg, "sources", source_id=source_id, **{**SOURCE, **values})
    append_row(pkg, "actors", actor_id=f"XCITE-{source_id.upper()}", **ACTOR,
               notes=f"Per {source_id}.")
    return line


@pytest.mark.parametrize("url", ["https://example..org/x", "https://example.org:port/",
                                 "https://example.org/{page}", "http://localhost/x"])
def test_a_source_url_must_be_a_valid_absolute_url(pkg, url):
    line = _cited_source(pkg, "t-bad-url", url=url)
    problems = problems_of(pkg)
    assert any(p.startswith(f"data/sources.csv:{line}:url:") and
               ("absolute-url" in p or "pattern" in p) for p in problems), problems


def test_two_sources_with_one_url(pkg):
    line = _cited_source(pkg, "t-same-url", url="https://example.org/test")
    _expect(pkg, "sources", line, "url", "unique-url")


def test_a_source_nobody_cites(pkg):
    line = append_row(pkg, "sources", source_id="t-uncited", url="https://example.org/u",
                      **SOURCE)
    _expect(pkg, "sources", line, "source_id", "source-cited")


def test_a_source_named_only_in_notes_counts_as_cited(pkg):
    _cited_source(pkg, "t-in-notes", url="https://example.org/n")
    assert not any("source-cited" in p for p in problems_of(pkg))


def _round(pkg, published: str, notes: str = "") -> int:
    source = f"t-round-src-{published}"
    append_row(pkg, "sources", source_id=source, url=f"https://example.org/{published}",
               published_date=published, **SOURCE)
    line = append_row(pkg, "negotiation_rounds", round_id="2022-03-29-testville",
                      track="other", start_date="2022-03-29", outcome="statement",
                      summary="Test round.", source_id=source, notes=notes)
    append_row(pkg, "round_participants", round_id="2022-03-29-testville", actor_id="UKR",
               role="party", source_id=TEST_SOURCE)
    return line


def test_a_round_sourced_to_a_report_from_before_it_began(pkg):
    line = _round(pkg, "2022-03-28")
    _expect(pkg, "negotiation_rounds", line, "source_id", "source-before-round")


@pytest.mark.parametrize(("published", "notes"), [
    ("2022-03-28", "The source announced the meeting the day before."),
    ("2022-03-29", ""),
    ("2022-04-02", "Reported afterwards."),
])
def test_a_round_source_from_the_day_or_after_or_announcing_it_is_fine(pkg, published, notes):
    line = _round(pkg, published, notes)
    bad = f"data/negotiation_rounds.csv:{line}:source_id:source-before-round"
    assert not any(p.startswith(bad) for p in problems_of(pkg))


def test_an_unannounced_meeting_is_not_an_announcement(pkg):
    line = _round(pkg, "2022-03-28", "An unannounced meeting.")
    _expect(pkg, "negotiation_rounds", line, "source_id", "source-before-round")


def _dated_source(pkg, published: str) -> str:
    source = f"t-src-{published}"
    append_row(pkg, "sources", source_id=source, url=f"https://example.org/s/{published}",
               published_date=published, **SOURCE)
    return source


def test_a_proposal_sourced_to_a_report_from_before_it_was_made(pkg):
    line = append_row(pkg, "proposals", proposal_id="t-early-proposal",
                      round_id="2022-03-29-istanbul", date="2022-03-29", proposed_by="UKR",
                      issue="neutrality", position="Test.", status="proposed",
                      source_id=_dated_source(pkg, "2022-03-01"))
    _expect(pkg, "proposals", line, "source_id", "source-before-fact")


def test_a_guarantor_without_a_date_is_held_to_its_documents_date(pkg):
    """A report from April cannot show a role in a document of September (0.11.0)."""
    line = append_row(pkg, "guarantor_states", document_id="2025-09-04-cow-paris-summit",
                      state_id="NOR", proposed_by="NOR", role="accepted",
                      source_id=_dated_source(pkg, "2025-04-11"))
    _expect(pkg, "guarantor_states", line, "source_id", "source-before-fact")


def test_an_estimate_cannot_be_reported_before_its_cut_off(pkg):
    line = append_row(pkg, "casualties", estimate_id="t-early-estimate", estimator_id="HRMMU",
                      subject_id="UKR", population="civilian", category="killed",
                      period_start="2022-02-24", as_of_date="2023-01-31", value_best="100",
                      estimate_type="verified_minimum", source_id=_dated_source(pkg, "2023-01-15"))
    _expect(pkg, "casualties", line, "source_id", "source-before-fact")


def test_a_participant_is_held_to_its_rounds_start(pkg):
    """A participant row has no date: a report from before the round can only announce it."""
    line = append_row(pkg, "round_participants", round_id="2022-03-29-istanbul", actor_id="QAT",
                      role="observer", source_id=_dated_source(pkg, "2022-03-20"))
    _expect(pkg, "round_participants", line, "source_id", "source-before-fact")


def test_a_proposal_reported_the_same_day_or_announced_in_advance_is_fine(pkg):
    lines = [append_row(pkg, "proposals", proposal_id=f"t-fine-{i}", round_id="2022-03-29-istanbul",
                        date="2022-03-29", proposed_by="UKR", issue="neutrality",
                        position="Test.", status="proposed", source_id=source, notes=notes)
             for i, (source, notes) in enumerate([
                 (_dated_source(pkg, "2022-03-29"), ""),
                 (_dated_source(pkg, "2022-03-27"), "The source announced the proposal.")])]
    found = problems_of(pkg)
    assert not [p for p in found for line in lines
                if p.startswith(f"data/proposals.csv:{line}:source_id:source-before-fact")]


@pytest.mark.parametrize(("text", "rule"), [
    ("Talks <p>in Geneva</p>", "html"),
    ('See <a href="https://example.org">this</a>', "html"),
    ("Geneva&nbsp;talks", "html"),
    ("Geneva&#160;talks", "html"),
    ("Geneva\x00talks", "control-character"),
    ("Geneva\ttalks", "control-character"),
    ("Geneva\u200btalks", "control-character"),
    ("Geneva\x07talks", "control-character"),
    (" Geneva talks", "whitespace"),
    ("Geneva talks ", "whitespace"),
    ("Geneva\ntalks", "line-break"),
])
def test_no_raw_html_control_characters_or_stray_spaces_in_text(pkg, text, rule):
    line = append_row(pkg, "actors", actor_id="XTEXT", name="Text test", actor_type="ngo",
                      notes=text) - text.count("\n")  # a row is reported by its first line
    _expect(pkg, "actors", line, "notes", rule)


@pytest.mark.parametrize("text", ["Talks in Geneva & Istanbul", "x < y and y > z",
                                  "Kyiv–Moscow “talks” — 2022", "R&D; costs"])
def test_ordinary_punctuation_is_not_mistaken_for_html(pkg, text):
    append_row(pkg, "actors", actor_id="XTEXT", name="Text test", actor_type="ngo", notes=text)
    assert not any(p.startswith("data/actors.csv") and ":html:" in p for p in problems_of(pkg))


# The url rule checks most URLs with one regular expression and the rest in Python: the fast
# shape may accept nothing the full check refuses, or a bad URL would pass unseen.
@settings(max_examples=500, derandomize=True, deadline=None)
@given(st.one_of(st.from_regex(rules._PLAIN_URL, fullmatch=True),
                 st.text(alphabet="htps:/.-_~[]@#?%:!'()*+,;=AZaz09 \\^`{}|<>\"é",
                         max_size=40).map(lambda tail: "https://" + tail)))
def test_the_fast_url_shape_accepts_only_what_the_full_check_accepts(url):
    if re.fullmatch(rules._PLAIN_URL, url):
        assert rules._absolute_http(url), url


def test_the_fast_and_full_url_checks_agree_on_every_real_source(repo):
    urls = pl.read_csv(repo.table("sources").csv_path, infer_schema_length=0)["url"]
    frames = {"sources": pl.DataFrame({"url": urls})}
    fast = frames["sources"].select(rules._urls_absolute(frames).fill_null(True)).to_series()
    assert fast.to_list() == [rules._absolute_http(u) for u in urls.to_list()]
