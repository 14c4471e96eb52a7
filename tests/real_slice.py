"""A small but real data package: a few rows of every table plus every row they reference.

Property tests mutate thousands of packages; the whole package costs seconds to validate, a
slice of it a fraction of that. The slice is deterministic (the first rows of each file) and
closed under the foreign keys, so that it validates exactly as the real data does.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from peacetalks.package import DataPackage

ROOT = Path(__file__).resolve().parents[1]


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def _key(header: list[str], row: list[str], fields: list[str]) -> tuple[str, ...]:
    return tuple(row[header.index(f)] for f in fields)


def select_rows(pkg: DataPackage, per_table: int) -> dict[str, set[int]]:
    """Indexes of the rows to keep in each table: the first ``per_table`` rows of every table
    but ``sources`` (a source must be cited), every round's participants, then whatever these
    rows reference, until nothing new is referenced."""
    data = {t.name: _read(t.csv_path) for t in pkg.tables}
    keep = {t.name: set(range(min(per_table, len(data[t.name][1]))))
            for t in pkg.tables}
    keep["sources"] = set()
    changed = True
    while changed:
        changed = False
        rounds = {data["negotiation_rounds"][1][i][0] for i in keep["negotiation_rounds"]}
        header, rows = data["round_participants"]
        for i, row in enumerate(rows):
            if row[header.index("round_id")] in rounds and i not in keep["round_participants"]:
                keep["round_participants"].add(i)
                changed = True
        for table in pkg.tables:
            header, rows = data[table.name]
            for fk in table.foreign_keys:
                ref_header, ref_rows = data[fk.table]
                wanted = {_key(header, rows[i], fk.fields) for i in keep[table.name]}
                for j, ref in enumerate(ref_rows):
                    if j in keep[fk.table]:
                        continue
                    if _key(ref_header, ref, fk.ref_fields) in wanted:
                        keep[fk.table].add(j)
                        changed = True
    return keep


def write_slice(target: Path, per_table: int = 3) -> DataPackage:
    """Copy the package's descriptor and schemas to ``target`` with a slice of its data."""
    real = DataPackage(ROOT / "datapackage.json")
    keep = select_rows(real, per_table)
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(real.descriptor_path, target)
    shutil.copytree(ROOT / "schemas", target / "schemas", dirs_exist_ok=True)
    (target / "data").mkdir(exist_ok=True)
    for table in real.tables:
        header, rows = _read(table.csv_path)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows[i] for i in sorted(keep[table.name]))
        (target / table.relpath).write_text(out.getvalue(), encoding="utf-8")
    return DataPackage(target / "datapackage.json")
