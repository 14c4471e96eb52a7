"""Draft the next CHANGELOG section from the diff between the last release and the working copy.

The editor still writes the prose (why figures moved, which sources were added); the draft
makes sure no added, removed or revised row and no schema change is left out, and suggests
the semantic-version bump the changes call for.
"""

from __future__ import annotations

import datetime as dt

from . import versions
from .diff import TableDiff, diff_snapshots
from .package import DataPackage
from .snapshot import empty, from_folder, from_git

SHOWN = 8  # keys listed per kind of change before "and N more"


def suggested_bump(diffs: list[TableDiff]) -> str:
    """MAJOR: a table or column removed or retyped; MINOR: anything added; PATCH: corrections."""
    if any(d.status == "removed" or d.columns_removed or d.columns_retyped for d in diffs):
        return "major"
    if any(d.status == "added" or d.columns_added or d.added for d in diffs):
        return "minor"
    return "patch" if any(d.removed or d.changed for d in diffs) else "none"


def _keys(keys: list[str]) -> str:
    shown = ", ".join(f"`{k}`" for k in keys[:SHOWN])
    return shown + (f" and {len(keys) - SHOWN} more" if len(keys) > SHOWN else "")


def _table_line(d: TableDiff) -> str | None:
    if d.status == "added":
        return f"- `{d.table}`: new table, {len(d.added)} rows."
    parts = []
    if d.added:
        parts.append(f"{len(d.added)} row(s) added ({_keys(d.added)})")
    if d.removed:
        parts.append(f"{len(d.removed)} removed ({_keys(d.removed)})")
    if d.changed:
        fields = sorted({c for f in d.changed.values() for c in f})
        parts.append(f"{len(d.changed)} revised ({_keys(list(d.changed))}; fields: "
                     f"{', '.join(fields)})")
    return f"- `{d.table}`: " + "; ".join(parts) + "." if parts else None


def draft(pkg: DataPackage, today: dt.date | None = None) -> str:
    """Markdown for the section of the version in datapackage.json (or ``Unreleased``)."""
    this = versions.find_release(pkg.root, pkg.version)
    base = this or versions.latest_release(pkg.root)
    old = from_git(pkg.root, base.commit, base.version) if base else empty()
    diffs = diff_snapshots(old, from_folder(pkg.root))
    created = str(pkg.descriptor.get("created", ""))[:10]
    date = created or (today or dt.date.today()).isoformat()
    heading = "## [Unreleased]" if this else f"## [{pkg.version}] - {date}"
    since = f"since {base.version} (commit {base.commit[:12]})" if base else "first release"
    lines = [heading, "",
             f"<!-- drafted by `peacetalks changelog`, {since}; suggested bump: "
             f"{suggested_bump(diffs)}. Say why figures moved, then delete this line. -->", ""]
    if this:
        lines += [f"<!-- {pkg.version} is already released: bump \"version\" in "
                  "datapackage.json before releasing these changes. -->", ""]
    schema = []
    for d in diffs:
        if d.status:
            schema.append(f"- Table `{d.table}` {d.status}.")
        schema += [f"- `{d.table}`: column `{c}` added." for c in d.columns_added]
        schema += [f"- `{d.table}`: column `{c}` removed." for c in d.columns_removed]
        schema += [f"- `{d.table}`: column `{c}` retyped from {a} to {b}."
                   for c, (a, b) in d.columns_retyped.items()]
    if schema:
        lines += ["Schema changes:", "", *schema, ""]
    rows = [line for d in diffs if (line := _table_line(d))]
    lines += (["Rows:", "", *rows] if rows else ["No rows changed."])
    return "\n".join(lines) + "\n"
