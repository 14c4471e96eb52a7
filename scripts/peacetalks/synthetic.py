"""Synthetic copies of the package at any size, for measuring speed (never for publishing).

Each table gets ``scale`` times as many rows as the real one, generated from its Table Schema
with a fixed seed: identifiers from the schema's patterns, values from its enums, types and
bounds, references drawn from the referenced table's keys. A few lines per table then fit the
rules of ``rules.py`` that no schema states (a round has a party, a state's id is three
letters, cumulative counts never fall...), so the data is valid and ``peacetalks validate``
passes. ``inject_errors`` then breaks a known set of cells, each of which every engine must
find at its file, row and column. Only territories cannot grow: their pattern allows 101 ids.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from .package import DataPackage, Field, Table

FIRST_DAY = dt.date(2014, 1, 1)
UKRAINE_KM2 = 603549
TEXTS = ["Synthetic note, with a comma", 'A "quoted" remark', "Переговори у Стамбулі",
         "Plain synthetic text"]
Columns = dict[str, pl.Series]


def _seed(seed: int, *names: str) -> int:
    return zlib.crc32("/".join(names).encode()) ^ seed


def pick(values: list | pl.Series, n: int, seed: int) -> pl.Series:
    """n values drawn with replacement, the same every time for the same seed."""
    return pl.Series(values).sample(n, with_replacement=True, seed=seed)


def _numbers(lo: int, hi: int, n: int, seed: int) -> pl.Series:
    return pick(pl.int_range(lo, hi, eager=True), n, seed)


def _dates(n: int, seed: int, today: dt.date) -> pl.Series:
    days = _numbers(0, (today - FIRST_DAY).days, n, seed)
    return pl.select(pl.lit(FIRST_DAY) + pl.duration(days=days)).to_series()


def _ids(prefix: str, n: int) -> pl.Series:
    return pl.select(pl.format(prefix + "{}", pl.int_range(n).cast(pl.String).str.zfill(8))
                     ).to_series()


def _state_codes(n: int) -> list[str]:
    """Three capital letters (the ``state-code`` rule), always including UKR and RUS."""
    letters = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    codes = [a + b + c for a in letters for b in letters for c in letters]
    codes = ["UKR", "RUS"] + [c for c in codes if c not in ("UKR", "RUS")]
    return codes[:max(n, 2)]


@dataclass
class Context:
    """What later tables draw on: every table's columns, and today."""

    seed: int
    today: dt.date
    tables: dict[str, Columns]
    uncited: int = 0  # sources[:uncited] are cited already

    def keys(self, table: str, column: str) -> pl.Series:
        return self.tables[table][column]

    def cite(self, n: int, seed: int) -> pl.Series:
        """n source ids that cite every source at least once across the package (the
        ``source-cited`` rule), then draw at random."""
        sources = self.keys("sources", "source_id")
        fresh = sources[self.uncited:self.uncited + n]
        self.uncited += len(fresh)
        return pl.concat([fresh, pick(sources, n - len(fresh), seed)])


def _field_values(table: Table, field: Field, n: int, ctx: Context) -> pl.Series:
    """Values for one column from its schema alone; rules are fitted afterwards."""
    seed = _seed(ctx.seed, table.name, field.name)
    c = field.constraints
    fk = next((k for k in table.foreign_keys if k.fields == [field.name]), None)
    if fk and fk.table == "sources" and len(table.primary_key) == 1:  # no rows dropped later
        values = ctx.cite(n, seed)
    elif fk and fk.table != table.name:
        values = pick(ctx.keys(fk.table, fk.ref_fields[0]), n, seed)
    elif field.enum:
        values = pick(field.enum, n, seed)
    elif field.type == "date":
        values = _dates(n, seed, ctx.today).dt.strftime("%Y-%m-%d")
    elif field.type == "integer":
        lo = int(c.get("minimum", 0))
        values = _numbers(lo, lo + 100_000, n, seed).cast(pl.String)
    elif field.type == "number":
        lo, hi = float(c.get("minimum", 0)), float(c.get("maximum", 10_000))
        values = (pl.lit(lo) + _numbers(0, 1000, n, seed) * ((hi - lo) / 1000))
        values = pl.select(values.round(1)).to_series().cast(pl.String)
    elif "pattern" in c:
        values = _ids(f"{table.name[:3]}-{field.name[:3]}-", n).str.replace_all("_", "-")
    else:
        values = pl.select(pl.format("{} {}", pick(TEXTS, n, seed), pl.int_range(n))
                           ).to_series()
    if not field.required and not fk:
        empty = _numbers(0, 10, n, seed + 1) < 3
        values = pl.select(pl.when(empty).then(None).otherwise(values)).to_series()
    return values.cast(pl.String).alias(field.name)


# --- fitting the rules of rules.py --------------------------------------------------------

def _fit_sources(cols: Columns, n: int, ctx: Context) -> None:
    cols["source_id"] = _ids("src-", n)
    cols["url"] = pl.select(pl.format("https://example.org/{}", cols["source_id"])).to_series()
    cols["language"] = pick(["en", "uk", "ru", "de", "fr"], n, ctx.seed)
    # published last: never before the round a source reports (``source-before-round``)
    cols["published_date"] = pl.Series([ctx.today.isoformat()] * n)


def _fit_actors(cols: Columns, n: int, ctx: Context) -> None:
    states = _state_codes(min(n // 2, 17_000))
    others = _ids("ORG-", n - len(states)).to_list()
    cols["actor_id"] = pl.Series(states + others)
    kinds = ["international_organization", "government_body", "media", "ngo"]
    cols["actor_type"] = pl.Series(["state"] * len(states)
                                   + pick(kinds, n - len(states), ctx.seed).to_list())
    cols["parent_id"] = pl.Series([None] * n, dtype=pl.String)  # a self-reference; left empty


def _fit_rounds(cols: Columns, n: int, ctx: Context) -> None:
    end = pl.min_horizontal(pl.lit(cols["start_date"]).str.to_date()
                            + pl.duration(days=_numbers(0, 3, n, ctx.seed)), pl.lit(ctx.today))
    cols["end_date"] = pl.select(end.dt.strftime("%Y-%m-%d")).to_series()
    cols["round_id"] = pl.select(pl.format("{}-r{}", cols["start_date"], _ids("", n))
                                 ).to_series()
    cols["country_id"] = pick(ctx.keys("actors", "actor_id"), n, ctx.seed)


def _fit_documents(cols: Columns, n: int, ctx: Context) -> None:
    cols["document_id"] = pl.select(pl.format("{}-d{}", cols["date"], _ids("", n))).to_series()
    cols["author_id"] = pick(ctx.keys("actors", "actor_id"), n, ctx.seed)


def _fit_proposals(cols: Columns, n: int, ctx: Context) -> None:
    cols["proposal_id"] = _ids("prop-", n)  # document_id and round_id are both drawn: never empty


def _fit_participants(cols: Columns, n: int, ctx: Context) -> None:
    """Every round gets a party first (``has-party``); the rest are drawn at random."""
    rounds = ctx.keys("negotiation_rounds", "round_id")
    states = _state_codes(min(len(ctx.keys("actors", "actor_id")) // 2, 17_000))
    cols["round_id"] = pl.concat([rounds, pick(rounds, n - len(rounds), ctx.seed)])
    cols["role"] = pl.concat([pl.Series(["party"] * len(rounds)), cols["role"][len(rounds):]])
    cols["actor_id"] = pl.concat([pick(states, len(rounds), ctx.seed),
                                  cols["actor_id"][len(rounds):]])


def _fit_guarantors(cols: Columns, n: int, ctx: Context) -> None:
    states = _state_codes(min(len(ctx.keys("actors", "actor_id")) // 2, 17_000))
    cols["state_id"] = pick(states, n, ctx.seed)  # ``guarantor-is-state``


def _fit_casualties(cols: Columns, n: int, ctx: Context) -> None:
    """Subjects are UKR or RUS; low <= best <= high; counts grow with the as-of date."""
    cols["estimate_id"] = _ids("est-", n)
    cols["subject_id"] = pick(["UKR", "RUS"], n, ctx.seed)
    frame = pl.DataFrame({"as_of": _dates(n, ctx.seed, ctx.today),
                          "back": _numbers(0, 400, n, ctx.seed + 1),
                          "noise": _numbers(0, 10, n, ctx.seed + 2),
                          "below": _numbers(0, 100, n, ctx.seed + 3),
                          "above": _numbers(0, 100, n, ctx.seed + 4)})
    best = (pl.col("as_of") - pl.lit(FIRST_DAY)).dt.total_days() * 10 + pl.col("noise")
    frame = frame.select(
        as_of_date=pl.col("as_of").dt.strftime("%Y-%m-%d"),
        period_start=pl.max_horizontal(pl.col("as_of") - pl.duration(days=pl.col("back")),
                                       pl.lit(FIRST_DAY)).dt.strftime("%Y-%m-%d"),
        value_best=best.cast(pl.String),
        value_low=(best - pl.col("below")).clip(0).cast(pl.String),
        value_high=(best + pl.col("above")).cast(pl.String))
    cols.update({c: frame[c] for c in frame.columns})


def _fit_territories(cols: Columns, n: int, ctx: Context) -> None:
    cols["territory_id"] = pl.Series(["UA"] + [f"UA-{i:02d}" for i in range(n - 1)])
    cols["territory_type"] = pl.Series(["country"] + ["oblast"] * (n - 1))
    cols["area_km2"] = pl.concat([pl.Series([str(UKRAINE_KM2)]), cols["area_km2"][1:]])
    # Every row has an official figure (``official-area-complete``; its source id, drawn to
    # cite every source, is kept), the exact area rounded to 0.1 thousand km² where there is
    # one (``area-agrees-with-official``).
    area = cols["area_km2"].cast(pl.Float64)
    cols["official_area_km2"] = ((area / 100).round(0) * 100).fill_null(1000).cast(pl.String)
    cols["official_area_rounding_km2"] = pl.Series(["100"] * n)


def _fit_claims(cols: Columns, n: int, ctx: Context) -> None:
    """Assessed control names its assessor; Ukraine-wide shares agree with the area."""
    cols["claim_id"] = _ids("claim-", n)
    frame = pl.DataFrame(cols).with_columns(
        assessed_by=pl.when(pl.col("claim_type") == "control_assessed")
        .then(pl.col("claimant_id")).otherwise(pl.col("assessed_by")),
        share_of_ukraine_pct=pl.when(pl.col("territory_id") != "UA")
        .then(pl.col("share_of_ukraine_pct"))
        .otherwise((pl.col("area_km2").cast(pl.Float64) / UKRAINE_KM2 * 100).round(2)
                   .cast(pl.String)))
    cols.update({c: frame[c] for c in ("assessed_by", "share_of_ukraine_pct")})


FIT: dict[str, Callable[[Columns, int, Context], None]] = {
    "sources": _fit_sources, "actors": _fit_actors, "negotiation_rounds": _fit_rounds,
    "documents": _fit_documents, "proposals": _fit_proposals,
    "round_participants": _fit_participants, "guarantor_states": _fit_guarantors,
    "casualties": _fit_casualties, "territories": _fit_territories,
    "territory_claims": _fit_claims,
}
MAX_ROWS = {"territories": 101}  # UA plus UA-00 to UA-99: all that ^UA(-\d{2})?$ allows


def _rows(table: Table) -> int:
    with table.csv_path.open("rb") as f:
        return sum(1 for _ in f) - 1


def _series(name: str, values: pl.Series) -> pl.Series:
    if not isinstance(values, pl.Series):
        raise TypeError(f"{name}: {type(values)}")
    return values.cast(pl.String).alias(name)


def _table(table: Table, n: int, ctx: Context) -> pl.DataFrame:
    cols = {f.name: _field_values(table, f, n, ctx) for f in table.fields}
    FIT.get(table.name, lambda *_: None)(cols, n, ctx)
    frame = pl.DataFrame({f.name: _series(f.name, cols[f.name])
                          for f in table.fields})
    frame = frame.unique(subset=table.primary_key, keep="first", maintain_order=True)
    ctx.tables[table.name] = {c: frame[c] for c in frame.columns}
    return frame.sort(table.primary_key)


def _write(table: Table, frame: pl.DataFrame) -> None:
    frame.write_csv(table.csv_path, line_terminator="\n", quote_style="necessary")


def generate(source: DataPackage, target: Path, scale: int, seed: int = 8,
             today: dt.date | None = None) -> DataPackage:
    """A valid package at ``target`` with ``scale`` times the rows of ``source``'s tables."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(source.descriptor_path, target / "datapackage.json")
    shutil.copytree(source.root / "schemas", target / "schemas", dirs_exist_ok=True)
    (target / "data").mkdir(exist_ok=True)
    pkg = DataPackage(target / "datapackage.json")
    ctx = Context(seed, today or dt.date.today() - dt.timedelta(days=1), {})
    for src, table in zip(source.tables, pkg.tables, strict=True):
        n = min(_rows(src) * scale, MAX_ROWS.get(table.name, 10**9))
        _write(table, _table(table, n, ctx))
    return pkg


# --- known errors -------------------------------------------------------------------------

# (table, column, bad value, rule); None as the value repeats the previous row's key
ERRORS = [
    ("casualties", "population", "soldiers", "enum"),
    ("casualties", "category", "", "required"),
    ("sources", "language", "english", "pattern"),
    ("proposals", "date", "2023-02-30", "type"),
    ("casualties", "value_high", "many", "type"),
    ("documents", "pax_agt_id", "0", "minimum"),
    ("territory_claims", "share_of_territory_pct", "150", "maximum"),
    ("casualties", "estimator_id", "NOBODY", "foreign-key"),
    ("documents", "author_id", "NOBODY", "foreign-key"),
    ("casualties", "estimate_id", None, "primary-key"),
]


@dataclass(frozen=True)
class Injected:
    file: str
    row: int  # the line in the file, as problems report it
    column: str
    rule: str


def inject_errors(pkg: DataPackage, per_kind: int = 2, seed: int = 8) -> list[Injected]:
    """Break ``per_kind`` cells of each kind in ``ERRORS``, each in a different row."""
    out: list[Injected] = []
    for table in pkg.tables:
        kinds = [e for e in ERRORS if e[0] == table.name]
        if not kinds:
            continue
        frame = pl.read_csv(table.csv_path, infer_schema=False)
        rows = pl.int_range(1, frame.height, eager=True).shuffle(
            seed=_seed(seed, table.name)).head(per_kind * len(kinds)).to_list()
        for i, (_, column, value, rule) in enumerate(k for k in kinds for _ in range(per_kind)):
            row = rows[i]
            new = frame[column][row - 1] if value is None else (value or None)
            frame[row, column] = new
            out.append(Injected(table.relpath, row + 2, column, rule))
        _write(table, frame)
    return sorted(out, key=lambda e: (e.file, e.row))


def describe(pkg: DataPackage) -> dict[str, int]:
    """Rows per table, as written."""
    return {t.name: _rows(t) for t in pkg.tables}


def save_errors(errors: list[Injected], path: Path) -> None:
    path.write_text(json.dumps([e.__dict__ for e in errors], indent=1) + "\n")
