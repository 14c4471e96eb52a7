"""Every row checked against its Table Schema and the rules at once, with polars.

frictionless reads a table row by row in Python (about 38 s for a million rows) and pandera
costs two seconds just to import. The same checks written as column expressions over whole
tables take about a second for a million rows, so this is the engine ``peacetalks validate``
runs by default. Each check comes from the schema: type, required, enum, pattern, length,
minimum and maximum, dates after today, unique fields, primary and foreign keys; then the
rules in ``rules.py``. Problems carry the same file, row, column, rule and message as those
the other engines report; ``validate --cross-check`` runs frictionless and pandera too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import polars as pl

from .package import Field, Table
from .problems import Problem
from .rules import rules_for
from .schema import anchored, bound_value, typed_from_strings

ROW = "__row__"


def _field_checks(field: Field, today: dt.date) -> Iterator[tuple[str, pl.Expr]]:
    """(rule, expression that is True where a cell breaks it) for one column.

    ``raw`` is the cell as written (null when empty); ``value`` is the cell read as its type.
    """
    raw = pl.col(field.name)
    value = pl.col(f"{field.name}{ROW}")
    c = field.constraints
    if field.required:
        yield "required", raw.is_null()
    if field.enum:
        yield "enum", ~raw.is_in(pl.Series([str(v) for v in field.enum]).implode())
    if "pattern" in c:
        yield "pattern", ~raw.str.contains(anchored(c["pattern"]))
    if "minLength" in c:
        yield "min-length", raw.str.len_chars() < c["minLength"]
    if "maxLength" in c:
        yield "max-length", raw.str.len_chars() > c["maxLength"]
    if "minimum" in c:
        yield "minimum", value < bound_value(field, c["minimum"])
    if "maximum" in c:
        yield "maximum", value > bound_value(field, c["maximum"])
    if field.type == "date":
        yield "future-date", value > today


def _message(table: Table, field: Field, rule: str, raw: str | None, today: dt.date) -> str:
    from .validate import constraint_message  # one wording for every engine

    if rule == "future-date":
        return f"{raw} is after today ({today}); the dataset records what has happened"
    if rule in ("min-length", "max-length"):
        limit = field.constraints["minLength" if rule == "min-length" else "maxLength"]
        return f"{raw!r} is {'shorter' if rule == 'min-length' else 'longer'} than {limit}"
    return constraint_message(table, field.name, rule, raw)


def check_cells(table: Table, strings: pl.DataFrame, typed: pl.DataFrame, today: dt.date
                ) -> list[Problem]:
    """Required, enum, pattern, length, bounds and future dates, for every cell at once."""
    checks = [(field, rule, expr) for field in table.fields
              for rule, expr in _field_checks(field, today)]
    if not checks or strings.height == 0:
        return []
    both = pl.concat([strings, typed.rename(lambda n: f"{n}{ROW}")], how="horizontal")
    masks = both.select([expr.fill_null(False).alias(str(i))
                         for i, (_, _, expr) in enumerate(checks)])
    problems = []
    for i, (field, rule, _) in enumerate(checks):
        rows = masks[str(i)].arg_true()
        if rows.len():
            values = strings[field.name].gather(rows).to_list()
            problems += [Problem(table.relpath, n + 2, field.name, rule,
                                 _message(table, field, rule, v, today))
                         for n, v in zip(rows.to_list(), values, strict=True)]
    return problems


def _repeats(table: Table, strings: pl.DataFrame, columns: list[str], rule: str
             ) -> list[Problem]:
    """Rows whose key repeats an earlier row's, each pointing at the row it repeats."""
    name = "+".join(columns)
    found = (strings.select(columns).with_row_index(ROW)
             .filter(pl.all_horizontal(pl.col(columns).is_not_null()))
             .with_columns(pl.col(ROW).min().over(columns).alias("first"))
             .filter(pl.col(ROW) != pl.col("first")))
    return [Problem(table.relpath, row + 2, name, rule,
                    f"{name} repeats the value of row {first + 2}; IDs must be unique")
            for row, first in found.select(ROW, "first").iter_rows()]


def check_keys(table: Table, strings: pl.DataFrame) -> list[Problem]:
    """Unique fields and the primary key, on the cells as written (as frictionless does)."""
    problems = []
    pk = table.primary_key
    for field in table.fields:
        if field.constraints.get("unique") and [field.name] != pk:
            problems += _repeats(table, strings, [field.name], "unique")
    if pk:
        problems += _repeats(table, strings, pk, "primary-key")
    return problems


def check_foreign_keys(table: Table, strings: dict[str, pl.DataFrame]) -> list[Problem]:
    """Each reference must name an existing row; an empty reference is allowed.

    An anti-join (hash join) finds the rows whose reference matches nothing, in one pass.
    """
    problems = []
    own = strings[table.name].with_row_index(ROW)
    for fk in table.foreign_keys:
        ref = (strings[fk.table].select(pl.col(r).alias(f) for r, f
                                        in zip(fk.ref_fields, fk.fields, strict=True))
               .drop_nulls().unique())
        bad = (own.select(ROW, *fk.fields).drop_nulls(fk.fields)
               .join(ref, on=fk.fields, how="anti").sort(ROW))
        name = "+".join(fk.fields)
        target = f"{fk.table}.{'+'.join(fk.ref_fields)}"
        for n, *values in bad.iter_rows():
            shown = ", ".join(repr(v) for v in values)
            problems.append(Problem(table.relpath, n + 2, name, "foreign-key",
                                    f"{shown} is not a {target}; add it to {fk.table}.csv "
                                    "or correct the reference"))
    return problems


def check_rules(table: Table, frames: dict[str, pl.DataFrame]) -> list[Problem]:
    """The rules of ``rules.py`` for this table; a rule that gives null for a row passes it."""
    problems = []
    for rule in rules_for(table.name):
        if not all(n in frames for n in rule.needs):
            continue
        ok = frames[table.name].select(rule.test(frames).fill_null(True)).to_series()
        problems += [Problem(table.relpath, n + 2, rule.column, rule.name, rule.message)
                     for n in (~ok).arg_true().to_list()]
    return problems


def check_package(tables: list[Table], strings: dict[str, pl.DataFrame], today: dt.date
                  ) -> tuple[list[Problem], dict[str, pl.DataFrame]]:
    """Type, then check, every table; returns the problems and the typed frames."""
    problems: list[Problem] = []
    frames = {}
    for table in tables:
        typed, found = typed_from_strings(table, strings[table.name])
        frames[table.name] = typed
        problems += found
        problems += check_cells(table, strings[table.name], typed, today)
        problems += check_keys(table, strings[table.name])
        problems += check_foreign_keys(table, strings)
    for table in tables:
        problems += check_rules(table, frames)
    return problems, frames
