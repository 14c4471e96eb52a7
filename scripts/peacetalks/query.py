"""Ad-hoc SQL on the DuckDB build, opened read-only."""

from __future__ import annotations

import csv
import io
import json

from .package import DataPackage


class QueryError(Exception):
    """The database is missing or the SQL failed; the message says which."""


def run_query(pkg: DataPackage, sql: str, fmt: str = "table") -> str:
    import duckdb

    if not pkg.duckdb_path.is_file():
        raise QueryError(f"{pkg.duckdb_path.relative_to(pkg.root)} does not exist: "
                         "run `peacetalks build` first")
    con = duckdb.connect(str(pkg.duckdb_path), read_only=True)
    try:
        cur = con.execute(sql)
        columns = [d[0] for d in cur.description or []]
        rows = cur.fetchall()
    except duckdb.Error as err:
        raise QueryError(str(err).splitlines()[0]) from err
    finally:
        con.close()
    return render(columns, rows, fmt)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def render(columns: list[str], rows: list[tuple], fmt: str) -> str:
    """Rows as an aligned text table, CSV or JSON lines (dates as ISO strings)."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_text(v) for v in row] for row in rows])
        return out.getvalue()
    if fmt == "json":
        return "".join(json.dumps(dict(zip(columns, row, strict=True)), default=str,
                                  ensure_ascii=False) + "\n" for row in rows)
    cells = [columns] + [[_text(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
             for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"
