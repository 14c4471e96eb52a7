"""What changed between two versions of the data: schema first, then rows by primary key.

Researchers citing version N need to know what moved in N+1 (the commonest complaint about
conflict datasets is silent revision); editors need the same list for the CHANGELOG. Either
side is a snapshot (see ``snapshot.py``): the working copy, a folder, a release archive, a
released version or a git revision. Output as text, CSV or JSON.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from .package import DataPackage
from .snapshot import Snapshot, open_side

FORMATS = ("text", "csv", "json")


@dataclass
class TableDiff:
    table: str
    status: str = ""  # "added" or "removed" for a whole table, else ""
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    columns_retyped: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def schema_changed(self) -> bool:
        return bool(self.status or self.columns_added or self.columns_removed
                    or self.columns_retyped)

    @property
    def empty(self) -> bool:
        return not (self.schema_changed or self.added or self.removed or self.changed)


def diff_rows(old: dict[str, dict], new: dict[str, dict], shared: list[str], out: TableDiff
              ) -> None:
    """Fill ``out`` with keys added and removed, and per changed key each field's old and new."""
    out.added = sorted(set(new) - set(old))
    out.removed = sorted(set(old) - set(new))
    for key in sorted(set(new) & set(old)):
        fields = {c: (old[key].get(c) or "", new[key].get(c) or "") for c in shared
                  if (old[key].get(c) or "") != (new[key].get(c) or "")}
        if fields:
            out.changed[key] = fields


def diff_snapshots(old: Snapshot, new: Snapshot) -> list[TableDiff]:
    """Per table (new side's order, then tables that were removed): schema and row changes."""
    old_tables, new_tables = old.tables(), new.tables()
    names = list(new_tables) + [n for n in old_tables if n not in new_tables]
    diffs = []
    for name in names:
        o, n = old_tables.get(name), new_tables.get(name)
        out = TableDiff(name, status="added" if o is None else "removed" if n is None else "")
        key = (n or o).primary_key
        old_header, old_rows = old.rows(o, key) if o else ([], {})
        new_header, new_rows = new.rows(n, key) if n else ([], {})
        if o and n:
            out.columns_added = [c for c in n.types if c not in o.types]
            out.columns_removed = [c for c in o.types if c not in n.types]
            out.columns_retyped = {c: (o.types[c], t) for c, t in n.types.items()
                                   if c in o.types and o.types[c] != t}
        diff_rows(old_rows, new_rows, [c for c in new_header if c in old_header], out)
        diffs.append(out)
    return diffs


def diff_sides(pkg: DataPackage, old: str | None, new: str | None = None) -> list[TableDiff]:
    """``peacetalks diff OLD [NEW]``: NEW defaults to the working copy."""
    return diff_snapshots(open_side(pkg.root, old), open_side(pkg.root, new))


def diff_package(pkg: DataPackage, other: str) -> list[TableDiff]:
    """What changed in the working copy since ``other``."""
    return diff_sides(pkg, other, None)


def _show(value: str, start: int = 0, width: int = 60) -> str:
    """A value quoted for text output, clipped to ``width`` characters from ``start``."""
    clipped = ("…" if start else "") + value[start:start + width]
    if start + width < len(value):
        clipped += "…"
    return json.dumps(clipped, ensure_ascii=False)


def _show_change(old: str, new: str) -> str:
    """``"old" -> "new"``; long texts are shown from a little before where they first differ."""
    pairs = enumerate(zip(old, new, strict=False))
    same = next((i for i, (a, b) in pairs if a != b), min(len(old), len(new)))
    start = max(0, same - 20) if max(len(old), len(new)) > 60 else 0
    return f"{_show(old, start)} -> {_show(new, start)}"


def schema_lines(diffs: list[TableDiff]) -> list[str]:
    lines = [f"  table {d.status}: {d.table}" for d in diffs if d.status]
    for d in diffs:
        lines += [f"  {d.table}: column added: {c}" for c in d.columns_added]
        lines += [f"  {d.table}: column removed: {c}" for c in d.columns_removed]
        lines += [f"  {d.table}: column retyped: {c} {a} -> {b}"
                  for c, (a, b) in d.columns_retyped.items()]
    return lines


def render(diffs: list[TableDiff], limit: int = 20) -> str:
    """Readable text: schema changes first, then per table the counts and the first keys."""
    lines = []
    schema = schema_lines(diffs)
    if schema:
        lines += ["schema changes:", *schema]
    for d in diffs:
        if not (d.added or d.removed or d.changed):
            continue
        lines.append(f"{d.table}: +{len(d.added)} added, -{len(d.removed)} removed, "
                     f"~{len(d.changed)} changed")
        for sign, keys in (("+", d.added), ("-", d.removed)):
            lines += [f"  {sign} {k}" for k in keys[:limit]]
            if len(keys) > limit:
                lines.append(f"  {sign} ... and {len(keys) - limit} more")
        items = list(d.changed.items())
        for key, fields in items[:limit]:
            lines.append(f"  ~ {key}: " + "; ".join(f"{c} {_show_change(a, b)}"
                                                    for c, (a, b) in fields.items()))
        if len(items) > limit:
            lines.append(f"  ~ ... and {len(items) - limit} more")
    return "\n".join(lines) + "\n" if lines else "no differences\n"


def records(diffs: list[TableDiff]) -> list[dict[str, str]]:
    """One flat record per change (schema changes first): table, change, key, column, old, new."""
    def rec(table, change, key="", column="", old="", new=""):
        return {"table": table, "change": change, "key": key, "column": column,
                "old": old, "new": new}
    out = [rec(d.table, f"table_{d.status}") for d in diffs if d.status]
    for d in diffs:
        out += [rec(d.table, "column_added", column=c) for c in d.columns_added]
        out += [rec(d.table, "column_removed", column=c) for c in d.columns_removed]
        out += [rec(d.table, "column_retyped", column=c, old=a, new=b)
                for c, (a, b) in d.columns_retyped.items()]
    for d in diffs:
        out += [rec(d.table, "row_added", key=k) for k in d.added]
        out += [rec(d.table, "row_removed", key=k) for k in d.removed]
        out += [rec(d.table, "row_changed", key=k, column=c, old=a, new=b)
                for k, fields in d.changed.items() for c, (a, b) in fields.items()]
    return out


def render_csv(diffs: list[TableDiff]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, ["table", "change", "key", "column", "old", "new"],
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(records(diffs))
    return buf.getvalue()


def render_json(diffs: list[TableDiff]) -> str:
    tables = {}
    for d in diffs:
        if d.empty:
            continue
        tables[d.table] = {
            "status": d.status or "kept",
            "columns_added": d.columns_added,
            "columns_removed": d.columns_removed,
            "columns_retyped": {c: {"old": a, "new": b} for c, (a, b) in d.columns_retyped.items()},
            "rows_added": d.added,
            "rows_removed": d.removed,
            "rows_changed": {k: {c: {"old": a, "new": b} for c, (a, b) in f.items()}
                             for k, f in d.changed.items()},
        }
    return json.dumps({"tables": tables}, indent=2, ensure_ascii=False) + "\n"


def render_as(diffs: list[TableDiff], fmt: str, limit: int = 20) -> str:
    if fmt == "csv":
        return render_csv(diffs)
    if fmt == "json":
        return render_json(diffs)
    return render(diffs, limit)
