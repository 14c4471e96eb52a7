"""Rules that no Table Schema can say: across columns of a row, and across tables.

Each rule is a boolean polars expression over one table (True = the row is fine), built from
the typed frames of every table so that it can look things up elsewhere. ``validate`` runs them
as pandera checks next to the checks generated from the schemas.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

import polars as pl

Frames = dict[str, pl.DataFrame]

# How far a share of Ukraine may stray from area_km2 / the country's area (rounding in sources).
SHARE_TOLERANCE_PCT = 0.5


@dataclass(frozen=True)
class Rule:
    """A named rule: the table and column it is about, what it demands, how to test it."""

    table: str
    name: str
    column: str | None
    message: str
    needs: tuple[str, ...]
    test: Callable[[Frames], pl.Expr]


# A host name: dot-separated labels of letters (any script), digits and hyphens, with a
# top-level domain; characters RFC 3986 never allows anywhere in a URL.
_HOST = re.compile(r"^(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}\.?$|^\d{1,3}(?:\.\d{1,3}){3}$")
_NEVER_IN_URL = re.compile(r'[\s<>"{}|\\^`\x00-\x1f\x7f]')


def _absolute_http(url: str | None) -> bool:
    """An absolute http(s) URL with a real host name, as a browser would accept it.

    >>> [_absolute_http(u) for u in ("https://example.org/a?b=1", "https://example..org/")]
    [True, False]
    """
    if url is None:
        return True
    if _NEVER_IN_URL.search(url):
        return False
    try:
        parts = urlparse(url)
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError:
        return False
    return (parts.scheme in ("http", "https") and bool(parts.hostname)
            and bool(_HOST.match(parts.hostname)))


# The shape almost every URL has: http(s), a plain ASCII host name, no port or user, then
# printable ASCII that RFC 3986 allows. Everything it accepts _absolute_http accepts too; the
# rest (ports, IP addresses, non-ASCII, mistakes) goes through _absolute_http one by one, so
# a million URLs cost a regular expression, not a million Python calls.
_PLAIN_URL = (r"^https?://(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}"
              r"(?:[/?#][!#-;=?-\[\]_a-z~]*)?$")


def _urls_absolute(frames: Frames) -> pl.Expr:
    """True for a URL that ``_absolute_http`` accepts (see ``_PLAIN_URL``)."""
    urls = frames["sources"]["url"].drop_nulls()
    unusual = urls.filter(~urls.str.contains(_PLAIN_URL)).unique().to_list()
    return ~pl.col("url").is_in([u for u in unusual if not _absolute_http(u)])


def _found_in(
    column: str, table: str, where: pl.Expr, key: str | None = None
) -> Callable[[Frames], pl.Expr]:
    """True where the value appears in `key` (default: the same column) of another table's
    rows that satisfy `where`."""

    def test(frames: Frames) -> pl.Expr:
        ids = frames[table].filter(where)[key or column].drop_nulls().unique().to_list()
        return pl.col(column).is_in(ids)

    return test


def _le(a: str, b: str) -> pl.Expr:
    return pl.col(a).is_null() | pl.col(b).is_null() | (pl.col(a) <= pl.col(b))


def _country_area(frames: Frames) -> float | None:
    areas = frames["territories"].filter(pl.col("territory_id") == "UA")["area_km2"].to_list()
    return areas[0] if areas else None


def _share_agrees(frames: Frames) -> pl.Expr:
    area = _country_area(frames)
    if area is None:
        return pl.lit(True)
    implied = pl.col("area_km2") / area * 100
    return (
        (pl.col("territory_id") != "UA")
        | pl.col("area_km2").is_null()
        | pl.col("share_of_ukraine_pct").is_null()
        | ((implied - pl.col("share_of_ukraine_pct")).abs() <= SHARE_TOLERANCE_PCT)
    )


def _official_area_agrees(frames: Frames) -> pl.Expr:
    """The exact area must round to the published official figure (half its rounding step)."""
    gap = (pl.col("area_km2") - pl.col("official_area_km2")).abs()
    return (
        pl.col("area_km2").is_null()
        | pl.col("official_area_km2").is_null()
        | (gap <= pl.col("official_area_rounding_km2").fill_null(0) / 2 + 1e-9)
    )


_OFFICIAL = ["official_area_km2", "official_area_rounding_km2", "official_source_id"]


def _official_complete(frames: Frames) -> pl.Expr:
    """An official area comes with its rounding and its source, or none of the three is given."""
    given = pl.sum_horizontal(*(pl.col(c).is_not_null().cast(pl.Int8) for c in _OFFICIAL))
    return (given == 0) | (given == len(_OFFICIAL))


# Counts of confirmed cases only grow. The UN revises past periods upwards as it verifies
# more cases, so a later report may show more for an earlier cut-off: the rule compares a
# figure only with figures reported no later (by the source's publication date) for an
# earlier cut-off of the same series.
COUNTING_TYPES = ["verified_minimum", "named_individuals"]
SERIES = ["estimator_id", "subject_id", "population", "category", "estimate_type", "period_start"]


def _never_falls(frames: Frames) -> pl.Expr:
    """False for a count below an earlier cut-off of the same series reported no later."""
    reported = frames["sources"].select("source_id", pl.col("published_date").alias("reported"))
    rows = (
        frames["casualties"]
        .filter(pl.col("estimate_type").is_in(COUNTING_TYPES) & pl.col("value_best").is_not_null())
        .join(reported, on="source_id", how="left")
        .select(
            *SERIES,
            "estimate_id",
            "as_of_date",
            "value_best",
            pl.coalesce("reported", "as_of_date").alias("reported"),
        )
    )
    pairs = rows.join(rows, on=SERIES, nulls_equal=True, suffix="_earlier")
    bad = pairs.filter(
        (pl.col("as_of_date_earlier") < pl.col("as_of_date"))
        & (pl.col("reported_earlier") <= pl.col("reported"))
        & (pl.col("value_best") < pl.col("value_best_earlier"))
    )
    return ~pl.col("estimate_id").is_in(bad["estimate_id"].unique().to_list())


# A source may be cited by a row's source_id or named in any row's notes ("per bbc-2022-...").
# IDs are runs of [a-z0-9-], so the maximal runs in the notes are exactly the IDs they name.
# Nearly every ID has a hyphen, so only runs with one are collected (a fraction of the words
# of a note); runs without are collected only if an ID without a hyphen is not cited directly.
_ID_RUN = r"[a-z0-9-]+"
_HYPHENATED_RUN = r"[a-z0-9-]*-[a-z0-9-]*"


def cites_source(column: str) -> bool:
    """source_id, or a second citation such as territories.official_source_id.

    Rules see frames, not schemas, so they go by name; tests/test_sources.py holds the names
    to the schemas' foreign keys to sources (``Table.source_columns``)."""
    return column == "source_id" or column.endswith("_source_id")


def _cited(frames: Frames) -> pl.Expr:
    """True for a source that some row of another table cites (source_id or notes)."""
    others = [frame for name, frame in frames.items() if name != "sources"]
    direct = pl.concat([pl.Series("id", [], dtype=pl.String)]
                       + [f[c].cast(pl.String).rename("id")
                          for f in others for c in f.columns if cites_source(c)]
                       ).drop_nulls().unique()
    notes = [f["notes"] for f in others if "notes" in f.columns]
    ids = frames["sources"]["source_id"].drop_nulls()
    plain_uncited = ids.filter(~ids.str.contains("-", literal=True) & ~ids.is_in(direct.implode()))
    run = _ID_RUN if plain_uncited.len() else _HYPHENATED_RUN
    named = [n.str.extract_all(run).explode().rename("id") for n in notes]
    cited = pl.concat([direct, *named]).drop_nulls().unique()
    return pl.col("source_id").is_in(cited.implode())


# A note saying the source announced the round ("announced", "announcement"; not "unannounced").
ANNOUNCED = r"(?i)(?:^|[^a-z])announc"


# The date each table's rows record: a source cannot report a fact before it happened. A
# guarantor row without a date of its own takes its document's date; a participant row, which
# has none, its round's start.
FACT_DATES = {"negotiation_rounds": "start_date", "documents": "date", "proposals": "date",
              "guarantor_states": "date", "casualties": "as_of_date", "territory_claims": "date",
              "round_participants": None}
FALLBACK_DATES = {"guarantor_states": ("documents", "document_id", "date"),
                  "round_participants": ("negotiation_rounds", "round_id", "start_date")}


def _published(sources: pl.DataFrame) -> pl.DataFrame:
    """Each source's publication date, where known (source_id may repeat in bad data)."""
    return (sources.select("source_id", "published_date")
            .filter(pl.col("published_date").is_not_null())
            .unique("source_id", keep="first"))


def _source_not_before(table: str) -> Callable[[Frames], pl.Expr]:
    """False where the row's source was published before the date the row records, unless
    the notes say the source announced it; rows where either date is unknown pass."""

    def test(frames: Frames) -> pl.Expr:
        own = FACT_DATES[table]
        other, key, column = FALLBACK_DATES.get(table, (None, None, None))
        needed = ["source_id", "notes"] + [c for c in (own, key) if c]
        rows = frames[table].select(needed).with_row_index("row")
        fact = pl.col(own) if own else pl.lit(None, dtype=pl.Date)
        if other:
            dates = frames[other].select(key, pl.col(column).alias("_fallback")).unique(key)
            rows = rows.join(dates, on=key, how="left")
            fact = pl.coalesce(fact, "_fallback")
        early = (rows.join(_published(frames["sources"]), on="source_id", how="inner")
                 .filter(pl.col("published_date") < fact)
                 .filter(~pl.col("notes").fill_null("").str.contains(ANNOUNCED)))
        return ~pl.int_range(pl.len()).is_in(early["row"].cast(pl.Int64).implode())

    return test


# Rounds, documents and proposals have IDs that begin with their date; notes name them to link
# rows ("superseded by 2025-12-24-20-point-plan"). A run of ID characters in a note that has
# that shape must be one of them, so that a mistyped or renamed ID is caught.
DATED_IDS = (("negotiation_rounds", "round_id"), ("documents", "document_id"),
             ("proposals", "proposal_id"))
_DATED_ID = r"^\d{4}-\d{2}-\d{2}-[a-z0-9-]*[a-z0-9]$"
_DATE_THEN_HYPHEN = r"\d{4}-\d{2}-\d{2}-[a-z0-9]"
NOTED_TABLES = ("sources", "actors", "territories", "negotiation_rounds", "round_participants",
                "documents", "proposals", "guarantor_states", "casualties", "territory_claims")


def _notes_name_known_ids(table: str) -> Callable[[Frames], pl.Expr]:
    """False for a row whose notes name a dated ID that no round, document or proposal has."""

    def test(frames: Frames) -> pl.Expr:
        # Only notes with a date followed by a hyphen can name such an ID: look at those alone.
        notes = (frames[table].select("notes").with_row_index("row")
                 .filter(pl.col("notes").str.contains(_DATE_THEN_HYPHEN)))
        tokens = (notes.select("row", pl.col("notes").str.extract_all(_ID_RUN).alias("id"))
                  .explode("id").filter(pl.col("id").str.contains(_DATED_ID)))
        if tokens.height:
            known = pl.concat([frames[t][c].cast(pl.String) for t, c in DATED_IDS]).drop_nulls()
            tokens = tokens.filter(~pl.col("id").is_in(known.unique().implode()))
        return ~pl.int_range(pl.len()).is_in(tokens["row"].cast(pl.Int64).implode())

    return test


def _id_starts_with_date(id_col: str, date_col: str) -> Callable[[Frames], pl.Expr]:
    return lambda f: (
        pl.col(date_col).is_null()
        | pl.col(id_col).str.starts_with(pl.col(date_col).dt.strftime("%Y-%m-%d"))
    )


RULES: list[Rule] = [
    Rule(
        "sources",
        "absolute-url",
        "url",
        "must be an absolute http(s) URL, exactly as it was seen",
        (),
        _urls_absolute,
    ),
    Rule(
        "sources",
        "unique-url",
        "url",
        "another source row above has the same URL; keep one row and cite its source_id",
        (),
        lambda f: pl.col("url").is_null() | pl.col("url").is_first_distinct(),
    ),
    Rule(
        "sources",
        "source-cited",
        "source_id",
        "no row of any other table cites this source (by source_id or in notes); cite it "
        "or remove it",
        (),
        _cited,
    ),
    Rule(
        "negotiation_rounds",
        "source-before-round",
        "source_id",
        "the source was published before the round began; cite a report of the round, or "
        "say in notes that the source announced it",
        ("sources",),
        _source_not_before("negotiation_rounds"),
    ),
    Rule(
        "actors",
        "state-code",
        "actor_id",
        "a state's actor_id must be its ISO 3166-1 alpha-3 code (three capital letters)",
        (),
        lambda f: (pl.col("actor_type") != "state") | pl.col("actor_id").str.contains("^[A-Z]{3}$"),
    ),
    Rule(
        "negotiation_rounds",
        "end-after-start",
        "end_date",
        "end_date is before start_date",
        (),
        lambda f: _le("start_date", "end_date"),
    ),
    Rule(
        "negotiation_rounds",
        "id-matches-date",
        "round_id",
        "round_id must begin with start_date (YYYY-MM-DD-place)",
        (),
        _id_starts_with_date("round_id", "start_date"),
    ),
    Rule(
        "negotiation_rounds",
        "has-party",
        "round_id",
        "the round has no participant with role 'party' in round_participants.csv",
        ("round_participants",),
        _found_in("round_id", "round_participants", pl.col("role") == "party"),
    ),
    Rule(
        "documents",
        "id-matches-date",
        "document_id",
        "document_id must begin with the document's date (YYYY-MM-DD-name)",
        (),
        _id_starts_with_date("document_id", "date"),
    ),
    Rule(
        "proposals",
        "document-or-round",
        "document_id",
        "a proposal needs a document_id or a round_id (or both)",
        (),
        lambda f: pl.col("document_id").is_not_null() | pl.col("round_id").is_not_null(),
    ),
    Rule(
        "guarantor_states",
        "guarantor-is-state",
        "state_id",
        "state_id must be an actor whose actor_type is 'state'",
        ("actors",),
        _found_in("state_id", "actors", pl.col("actor_type") == "state", "actor_id"),
    ),
    Rule(
        "casualties",
        "has-value",
        "value_best",
        "an estimate needs value_best or a value_low/value_high range",
        (),
        lambda f: pl.any_horizontal(pl.col("value_best", "value_low", "value_high").is_not_null()),
    ),
    Rule(
        "casualties",
        "low-le-best",
        "value_low",
        "value_low is greater than value_best",
        (),
        lambda f: _le("value_low", "value_best"),
    ),
    Rule(
        "casualties",
        "best-le-high",
        "value_high",
        "value_best is greater than value_high",
        (),
        lambda f: _le("value_best", "value_high"),
    ),
    Rule(
        "casualties",
        "low-le-high",
        "value_high",
        "value_low is greater than value_high",
        (),
        lambda f: _le("value_low", "value_high"),
    ),
    Rule(
        "casualties",
        "as-of-after-start",
        "as_of_date",
        "as_of_date is before period_start",
        (),
        lambda f: _le("period_start", "as_of_date"),
    ),
    Rule(
        "casualties",
        "count-never-falls",
        "value_best",
        "a verified or named-individuals count is lower than an earlier cut-off of the same "
        "series reported no later; cumulative counts cannot fall (check the figure, the "
        "period_start or the as_of_date)",
        ("sources",),
        _never_falls,
    ),
    Rule(
        "casualties",
        "subject-is-party",
        "subject_id",
        "subject_id must be UKR or RUS: the losses of one of the two warring states",
        (),
        lambda f: pl.col("subject_id").is_in(["UKR", "RUS"]),
    ),
    Rule(
        "territories",
        "official-area-complete",
        "official_area_km2",
        "official_area_km2, official_area_rounding_km2 and official_source_id go together: "
        "give all three or none",
        (),
        _official_complete,
    ),
    Rule(
        "territories",
        "area-agrees-with-official",
        "area_km2",
        "area_km2 does not round to official_area_km2 (it must lie within half of "
        "official_area_rounding_km2); check both figures and their sources",
        (),
        _official_area_agrees,
    ),
    Rule(
        "territory_claims",
        "assessor-given",
        "assessed_by",
        "a control_assessed claim must name who assessed it in assessed_by",
        (),
        lambda f: (
            (pl.col("claim_type") != "control_assessed") | pl.col("assessed_by").is_not_null()
        ),
    ),
    Rule(
        "territory_claims",
        "share-matches-area",
        "share_of_ukraine_pct",
        f"share_of_ukraine_pct differs by more than {SHARE_TOLERANCE_PCT} points from "
        "area_km2 / the area of Ukraine in territories.csv",
        ("territories",),
        _share_agrees,
    ),
]


RULES += [
    Rule(
        table,
        "notes-name-known-ids",
        "notes",
        "the notes name an ID that begins with a date (a round, document or proposal), but no "
        "round, document or proposal has that ID; correct the ID",
        tuple(t for t, _ in DATED_IDS),
        _notes_name_known_ids(table),
    )
    for table in NOTED_TABLES
]


RULES += [
    Rule(
        table,
        "source-before-fact",
        "source_id",
        f"the source was published before the {FACT_DATES[table] or 'start of the round'} "
        "this row records; a source cannot report a fact before it happened: check the date "
        "and the source, or say in notes that the source announced it",
        ("sources", FALLBACK_DATES[table][0]) if table in FALLBACK_DATES else ("sources",),
        _source_not_before(table),
    )
    for table in FACT_DATES if table != "negotiation_rounds"
]


def rules_for(table: str) -> list[Rule]:
    return [r for r in RULES if r.table == table]
