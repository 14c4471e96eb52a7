"""Everything derived from a Table Schema: typed frames, pandera models, SQL DDL.

``schemas/*.schema.json`` is the single source of truth. This module turns one table's schema
into the things other tools need, so that no type, constraint or key is written twice.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import polars as pl

from .package import Field, Table
from .problems import Problem

if TYPE_CHECKING:
    import pandera.polars as pa

POLARS_TYPES: dict[str, pl.DataType] = {
    "string": pl.String(), "integer": pl.Int64(), "number": pl.Float64(),
    "date": pl.Date(), "boolean": pl.Boolean(),
}
DUCKDB_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE",
                "date": "DATE", "boolean": "BOOLEAN"}
SQLITE_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL",
                "date": "TEXT", "boolean": "INTEGER"}
TYPE_HINTS = {"integer": "a whole number such as 1200", "number": "a number such as 1200.5",
              "date": "an ISO 8601 date YYYY-MM-DD", "boolean": "true or false"}


def anchored(pattern: str) -> str:
    """Table Schema patterns match the whole value; make that explicit for Python regexes.

    >>> anchored("^[a-z]+$")
    '^(?:[a-z]+)$'
    """
    return f"^(?:{pattern.removeprefix('^').removesuffix('$')})$"


def type_message(field: Field, value: object) -> str:
    return f"{value!r} is not {TYPE_HINTS.get(field.type, field.type)}"


def cast_expr(field: Field) -> pl.Expr:
    """The column of strings read as the field's type; a cell that cannot be read becomes null."""
    col = pl.col(field.name)
    if field.type == "date":  # strptime alone would read 2023-1-5; the schema says YYYY-MM-DD
        return (pl.when(col.str.contains(r"^\d{4}-\d{2}-\d{2}$"))
                .then(col.str.strptime(pl.Date, "%Y-%m-%d", strict=False)))
    if field.type == "integer":
        return col.str.to_integer(strict=False)
    if field.type == "boolean":
        return col.replace_strict({"true": True, "false": False}, default=None,
                                  return_dtype=pl.Boolean)
    if field.type == "number":
        return col.cast(pl.Float64, strict=False)
    return col


def string_frame(table: Table, header: list[str], rows: list[list[str]]) -> pl.DataFrame:
    """Rows of strings as a frame with the schema's columns; empty cells become nulls."""
    data = {c: [(r[i] if i < len(r) else "") or None for r in rows]
            for i, c in enumerate(header)}
    return pl.DataFrame({c: data.get(c, [None] * len(rows)) for c in table.columns},
                        schema={c: pl.String for c in table.columns})


def typed_from_strings(table: Table, strings: pl.DataFrame
                       ) -> tuple[pl.DataFrame, list[Problem]]:
    """Cast a frame of strings to the schema's types, reporting every uncastable cell.

    A cell that cannot be read as its type is reported here and becomes null, so that later
    checks do not report it a second time. All columns are cast in one parallel pass.
    """
    typed = strings.select([cast_expr(f).cast(POLARS_TYPES[f.type]) for f in table.fields])
    problems = []
    for field in (f for f in table.fields if f.type != "string"):
        raw = strings[field.name]
        rows = (raw.is_not_null() & typed[field.name].is_null()).arg_true()
        if rows.len():
            values = raw.gather(rows).to_list()
            problems += [Problem(table.relpath, i + 2, field.name, "type", type_message(field, v))
                         for i, v in zip(rows.to_list(), values, strict=True)]
    return typed, problems


def typed_frame(table: Table, header: list[str], rows: list[list[str]]
                ) -> tuple[pl.DataFrame, list[Problem]]:
    """Turn rows of strings into a frame typed by the schema, reporting every uncastable cell.

    Empty cells become nulls. A cell that cannot be read as its type is reported here and
    becomes null, so that later checks do not report it a second time.
    """
    return typed_from_strings(table, string_frame(table, header, rows))


def bound_value(field: Field, value: Any) -> Any:
    return dt.date.fromisoformat(value) if field.type == "date" else value


def pandera_schema(table: Table, extra_checks: list[pa.Check] | None = None,
                   today: dt.date | None = None) -> pa.DataFrameSchema:
    """A pandera model of one table: required, unique, enum, pattern, bounds, primary key.

    Each check's ``error`` is the rule's name, which ``validate`` turns back into a message.
    Dates are also bounded by today: the dataset records what has happened.
    """
    import pandera.polars as pa

    today = today or dt.date.today()
    columns = {}
    for field in table.fields:
        c = field.constraints
        checks = []
        if field.enum:
            checks.append(pa.Check.isin(field.enum, error="enum"))
        if "pattern" in c:
            checks.append(pa.Check.str_matches(anchored(c["pattern"]), error="pattern"))
        if "minimum" in c:
            checks.append(pa.Check.ge(bound_value(field, c["minimum"]), error="minimum"))
        if "maximum" in c:
            checks.append(pa.Check.le(bound_value(field, c["maximum"]), error="maximum"))
        if field.type == "date":
            checks.append(pa.Check.le(today, error="future-date"))
        columns[field.name] = pa.Column(
            POLARS_TYPES[field.type], checks=checks, nullable=not field.required,
            unique=bool(c.get("unique")), required=True,
        )
    pk = table.primary_key
    return pa.DataFrameSchema(
        columns, checks=extra_checks or [], strict=True, ordered=True,
        unique=pk if len(pk) > 1 else None, name=table.name,
    )


def _foreign_keys_sql(table: Table) -> list[str]:
    return [f"FOREIGN KEY ({', '.join(fk.fields)}) REFERENCES {fk.table} "
            f"({', '.join(fk.ref_fields)})" for fk in table.foreign_keys]


def create_table_sql(table: Table, dialect: str) -> str:
    """CREATE TABLE with typed columns, NOT NULL, primary and foreign keys.

    DuckDB refuses a foreign key that points into its own table, so the one self-reference
    (actors.parent_id) is left to the validators there; SQLite keeps it.
    """
    types = DUCKDB_TYPES if dialect == "duckdb" else SQLITE_TYPES
    lines = [f"{f.name} {types[f.type]}{' NOT NULL' if f.required else ''}"
             for f in table.fields]
    lines.append(f"PRIMARY KEY ({', '.join(table.primary_key)})")
    lines += [sql for sql, fk in zip(_foreign_keys_sql(table), table.foreign_keys, strict=True)
              if dialect != "duckdb" or fk.table != table.name]
    body = ",\n  ".join(lines)
    return f"CREATE TABLE {table.name} (\n  {body}\n)"


def foreign_key_columns(table: Table) -> list[str]:
    """Columns that point at other rows: each gets an index in SQLite."""
    return [fk.fields[0] for fk in table.foreign_keys if len(fk.fields) == 1]


def index_columns(table: Table) -> list[str]:
    """Columns that get an index in SQLite: references to other rows, and the facet columns
    that Datasette counts and the canned queries filter on."""
    columns = foreign_key_columns(table) + [f.name for f in table.fields if f.facet]
    return list(dict.fromkeys(columns))
