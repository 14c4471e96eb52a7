"""``make bench``: speed figures for start-up, validate, build and Datasette, beside the peers.

Prints Markdown tables (ready to paste into the README) and writes every figure, with the
machine it was measured on, to ``build/bench.json``. Asserts nothing: speed is measured here,
never in a test. Usage::

    python -m peacetalks.bench [--quick] [--package PATH] [--json PATH] [--profile]

``--quick`` runs fewer repetitions and only the x10 and x100 synthetic packages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path

from . import benchsite
from .benchrun import Figure, repeat
from .package import DataPackage
from .synthetic import generate, inject_errors

BIN = Path(sys.executable).parent
PEACETALKS = str(BIN / "peacetalks")
FRICTIONLESS = str(BIN / "frictionless")
# What each command imports when it runs (cli.py imports these inside the command).
COMMAND_IMPORTS = {
    "validate": ["peacetalks.validate", "peacetalks.rowchecks", "frictionless"],
    "format": ["peacetalks.csvform"],
    "build": ["peacetalks.build", "peacetalks.validate", "peacetalks.rowchecks", "frictionless",
              "peacetalks.serve"],
    "serve": ["peacetalks.serve"],
    "query": ["peacetalks.query"],
    "docs": ["peacetalks.dictionary"],
    "cite": ["peacetalks.citation"],
    "release": ["peacetalks.build", "peacetalks.release"],
    "diff": ["peacetalks.diff"],
}


def machine() -> dict:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text()
                .splitlines() if ln.startswith("model name")), platform.processor())
    mem = next(int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines()
               if ln.startswith("MemTotal"))
    return {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "nproc": os.cpu_count(), "cpu": cpu, "ram_gb": round(mem / 2**20, 1),
            "python": platform.python_version(), "load_average": os.getloadavg(),
            "bytecode_cache": not os.environ.get("PYTHONDONTWRITEBYTECODE")}


def copy_package(source: DataPackage, target: Path) -> DataPackage:
    target.mkdir(parents=True)
    shutil.copy(source.descriptor_path, target)
    for folder in ("schemas", "data"):
        shutil.copytree(source.root / folder, target / folder)
    return DataPackage(target / "datapackage.json")


def startup(root: Path, runs: int) -> list[Figure]:
    figures = [repeat("peacetalks --help", [PEACETALKS, "--help"], root, runs)[0]]
    base = [sys.executable, "-c", "import peacetalks.cli"]
    baseline = repeat("import peacetalks.cli", base, root, runs)[0]
    for command, modules in COMMAND_IMPORTS.items():
        cmd = [sys.executable, "-c", "import peacetalks.cli, " + ", ".join(modules)]
        fig = repeat(f"import cost of `{command}`", cmd, root, runs)[0]
        fig.values = [max(v - baseline.median, 0.0) for v in fig.values]
        figures.append(fig)
    return figures


def real_data(pkg: DataPackage, runs: int) -> dict:
    out = {}
    for name, cmd in (("peacetalks validate", [PEACETALKS, "validate"]),
                      ("frictionless validate", [FRICTIONLESS, "validate", "datapackage.json"]),
                      ("peacetalks build", [PEACETALKS, "build"])):
        wall, mem, _ = repeat(name, cmd, pkg.root, runs)
        out[name] = {**wall.as_dict(), "peak_mb": round(mem.median, 1)}
    return out


def _our_cells(output: str) -> set[tuple]:
    """file, row, column of every problem line `peacetalks validate` printed."""
    cells = set()
    for line in output.splitlines():
        parts = line.split(":", 4)
        if len(parts) == 5 and parts[0].startswith("data/") and parts[1].isdigit():
            cells.add((parts[0], int(parts[1]), parts[2]))
    return cells


def _frictionless_cells(output: str, pkg: DataPackage) -> set[tuple]:
    report = json.loads(output[output.index("{"):])
    tables = {t.name: t for t in pkg.tables}
    cells = set()
    for task in report["tasks"]:
        table = tables[task["name"]]
        for e in task["errors"]:
            column = (e.get("fieldName") or "+".join(e.get("fieldNames", []))
                      or "+".join(table.primary_key))
            cells.add((table.relpath, e.get("rowNumber"), column))
    return cells


def scale(source: DataPackage, work: Path, factor: int, runs: int) -> dict:
    """Valid and broken synthetic packages at one size, each engine on each."""
    valid = generate(source, work / f"x{factor}", factor)
    broken = generate(source, work / f"x{factor}-errors", factor)
    injected = {(e.file, e.row, e.column) for e in inject_errors(broken)}
    rows = sum(1 for t in valid.tables for _ in t.csv_path.open("rb")) - len(valid.tables)
    fl_runs = runs if factor < 1000 else 1  # frictionless takes minutes at x1000
    out: dict = {"scale": factor, "rows": rows}
    wall, mem, _ = repeat("validate", [PEACETALKS, "validate"], valid.root, runs)
    out["validate"] = {**wall.as_dict(), "peak_mb": round(max(mem.values), 1)}
    wall, mem, _ = repeat("build", [PEACETALKS, "build"], valid.root, runs)
    out["build"] = {**wall.as_dict(), "peak_mb": round(max(mem.values), 1)}
    if factor < 1000:
        wall, mem, _ = repeat("frictionless", [FRICTIONLESS, "validate", "datapackage.json"],
                              valid.root, fl_runs)
        out["frictionless"] = {**wall.as_dict(), "peak_mb": round(max(mem.values), 1)}
    ours_wall, ours_mem, ours = repeat("validate errors", [PEACETALKS, "validate"], broken.root,
                                       runs, expect=1)
    theirs_wall, theirs_mem, theirs = repeat(
        "frictionless errors", [FRICTIONLESS, "validate", "--json", "datapackage.json"],
        broken.root, fl_runs, expect=None)
    found_ours, found_theirs = _our_cells(ours.stdout), _frictionless_cells(theirs.stdout, broken)
    out["errors"] = {
        "injected": len(injected),
        "ours_found": len(found_ours & injected), "ours_extra": len(found_ours - injected),
        "frictionless_found": len(found_theirs & injected),
        "frictionless_extra": len(found_theirs - injected),
        "same_verdicts": found_ours == found_theirs == injected,
        "ours_s": round(ours_wall.median, 3), "ours_peak_mb": round(max(ours_mem.values), 1),
        "frictionless_s": round(theirs_wall.median, 3),
        "frictionless_peak_mb": round(max(theirs_mem.values), 1),
        "speedup": round(theirs_wall.median / ours_wall.median, 1),
    }
    shutil.rmtree(broken.root)
    return out


def profile(pkg: DataPackage, path: Path) -> None:
    """Where validate and build spend their time, for the README's performance note."""
    import cProfile
    import io
    import pstats

    from .build import build

    prof = cProfile.Profile()
    prof.runcall(build, pkg)
    text = io.StringIO()
    stats = pstats.Stats(prof, stream=text).sort_stats("cumulative")
    stats.print_stats(r"peacetalks|rules|collect|executemany|to_arrow|read_csv", 40)
    path.write_text(text.getvalue())


def main(argv: list[str] | None = None) -> None:
    from .benchreport import markdown, targets

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, x10 and x100 only")
    parser.add_argument("--package", default="datapackage.json")
    parser.add_argument("--json", default=None, help="where to write (default build/bench.json)")
    parser.add_argument("--profile", action="store_true",
                        help="also write build/bench-profile.txt (cProfile of the largest build)")
    args = parser.parse_args(argv)
    source = DataPackage(args.package)
    runs = 3 if args.quick else 5
    scales = (10, 100) if args.quick else (10, 100, 1000)
    results: dict = {"machine": machine(), "quick": args.quick}
    work = Path(tempfile.mkdtemp(prefix="peacetalks-bench-"))
    try:
        print(f"# benchmark ({'quick' if args.quick else 'full'}), work in {work}", flush=True)
        results["startup"] = [f.as_dict() for f in startup(source.root, runs * 2)]
        real = copy_package(source, work / "real")
        results["real"] = real_data(real, runs)
        print("real data done", flush=True)
        results["scale"] = []
        for factor in scales:
            results["scale"].append(scale(source, work, factor, 2 if factor >= 1000 else 3))
            print(f"x{factor} done", flush=True)
        results["datasette"] = benchsite.measure(real, work, 150 if args.quick else 300,
                                                 1 if args.quick else 3)
        if args.profile:
            profile(DataPackage(work / f"x{scales[-1]}" / "datapackage.json"),
                    source.build_dir / "bench-profile.txt")
        results["targets"] = targets(results)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = Path(args.json) if args.json else source.build_dir / "bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n")
    print(markdown(results))
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
