"""What changed between two versions of the data: rows added, removed and changed, by key.

Researchers citing version N need to know what moved in N+1; editors need the same list for
the CHANGELOG. The other version is a git revision of this repository (read with
``git show``) or another copy of the package on disk.
"""

from __future__ import annotations

import csv
import io
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .package import DataPackage, Table


@dataclass
class TableDiff:
    table: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # key -> changed columns
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.columns_added
                    or self.columns_removed)


def _rows(text: str | None, table: Table) -> tuple[list[str], dict[str, dict[str, str]]]:
    if text is None:
        return [], {}
    reader = csv.DictReader(io.StringIO(text))
    header = list(reader.fieldnames or [])
    key_cols = [c for c in table.primary_key if c in header]
    return header, {"+".join(r[c] for c in key_cols): r for r in reader}


def _text_at(pkg: DataPackage, other: str, relpath: str) -> str | None:
    """A file of the other version: from a package directory, or from a git revision."""
    base = Path(other)
    if base.exists():
        root = base.parent if base.is_file() else base
        path = root / relpath
        return path.read_text(encoding="utf-8-sig") if path.is_file() else None
    result = subprocess.run(["git", "-C", str(pkg.root), "show", f"{other}:{relpath}"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        if "exists on disk, but not in" in result.stderr or "does not exist" in result.stderr:
            return None
        raise ValueError(f"cannot read {relpath} at {other!r}: {result.stderr.strip()}")
    return result.stdout


def diff_table(pkg: DataPackage, table: Table, other: str) -> TableDiff:
    old_header, old = _rows(_text_at(pkg, other, table.relpath), table)
    new_header, new = _rows(table.csv_path.read_text(encoding="utf-8-sig"), table)
    out = TableDiff(table.name)
    out.columns_added = [c for c in new_header if old_header and c not in old_header]
    out.columns_removed = [c for c in old_header if c not in new_header]
    out.added = sorted(set(new) - set(old))
    out.removed = sorted(set(old) - set(new))
    shared = [c for c in new_header if c in old_header]
    for key in sorted(set(new) & set(old)):
        cols = [c for c in shared if old[key].get(c, "") != new[key].get(c, "")]
        if cols:
            out.changed[key] = cols
    return out


def diff_package(pkg: DataPackage, other: str) -> list[TableDiff]:
    return [diff_table(pkg, t, other) for t in pkg.tables]


def render(diffs: list[TableDiff], limit: int = 20) -> str:
    """A readable summary: counts per table, then the first keys of each kind."""
    lines = []
    for d in diffs:
        if d.empty:
            continue
        lines.append(f"{d.table}: +{len(d.added)} added, -{len(d.removed)} removed, "
                     f"~{len(d.changed)} changed")
        if d.columns_added or d.columns_removed:
            lines.append(f"  columns added: {', '.join(d.columns_added) or '-'}; "
                         f"removed: {', '.join(d.columns_removed) or '-'}")
        for sign, keys in (("+", d.added), ("-", d.removed)):
            lines += [f"  {sign} {k}" for k in keys[:limit]]
            if len(keys) > limit:
                lines.append(f"  {sign} ... and {len(keys) - limit} more")
        items = list(d.changed.items())
        lines += [f"  ~ {k}: {', '.join(cols)}" for k, cols in items[:limit]]
        if len(items) > limit:
            lines.append(f"  ~ ... and {len(items) - limit} more")
    return "\n".join(lines) + "\n" if lines else "no differences\n"
