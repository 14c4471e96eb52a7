"""The benchmark's figures as Markdown tables, and each target of issue 8 as met or missed."""

from __future__ import annotations


def _s(fig: dict) -> str:
    """median (min–max) in seconds."""
    return f"{fig['median']:.2f} ({fig['min']:.2f}–{fig['max']:.2f})"


def _table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def targets(r: dict) -> list[dict]:
    """Each target with the figure that decides it."""
    out = []

    def target(name: str, measured: str, met: bool) -> None:
        out.append({"target": name, "measured": measured, "met": bool(met)})

    help_s = r["startup"][0]["median"]
    target("`peacetalks --help` < 0.3 s", f"{help_s:.2f} s", help_s < 0.3)
    real = r["real"]
    ours, theirs = real["peacetalks validate"]["median"], real["frictionless validate"]["median"]
    target("real data: validate no slower than frictionless alone",
           f"{ours:.2f} s vs {theirs:.2f} s", ours <= theirs)
    both = ours + real["peacetalks build"]["median"]
    target("real data: validate + build < 5 s", f"{both:.2f} s", both < 5)
    big = r["scale"][-1]
    x = f"x{big['scale']} ({big['rows']:,} rows)"
    e = big["errors"]
    target(f"{x}: every injected error found by both, same verdicts",
           f"ours {e['ours_found']}/{e['injected']} (+{e['ours_extra']}), frictionless "
           f"{e['frictionless_found']}/{e['injected']} (+{e['frictionless_extra']})",
           e["same_verdicts"])
    target(f"{x}: validate >= 10x faster than frictionless",
           f"{e['speedup']}x ({e['ours_s']:.1f} s vs {e['frictionless_s']:.1f} s)",
           e["speedup"] >= 10)
    whole = big["validate"]["median"] + big["build"]["median"]
    target(f"{x}: validate + build < 60 s", f"{whole:.1f} s", whole < 60)
    peak = max(big["validate"]["peak_mb"], big["build"]["peak_mb"])
    target(f"{x}: peak memory < 2 GB", f"{peak:.0f} MB", peak < 2048)
    if len(r["scale"]) > 1:
        small = r["scale"][-2]
        rows = big["rows"] / small["rows"]
        for step in ("validate", "build"):
            grow = big[step]["median"] / small[step]["median"]
            target(f"{step} time grows no worse than rows (x{small['scale']} to x{big['scale']})",
                   f"time x{grow:.1f} for rows x{rows:.1f}", grow <= rows)
    site = r["datasette"]
    worst = min(site, key=lambda row: row["ratio"])
    target("Datasette: project >= 90% of bare rps on every endpoint",
           f"lowest {worst['ratio']:.0%} ({worst['endpoint']})", worst["ratio"] >= 0.9)
    page = next(row for row in site if row["endpoint"] == "JSON table page")
    target("Datasette: JSON table page >= 250 rps, p99 < 150 ms",
           f"{page['project_rps']:.0f} rps, p99 {page['project_p99_ms']:.0f} ms",
           page["project_rps"] >= 250 and page["project_p99_ms"] < 150)
    canned = [row for row in site if row["endpoint"].startswith("canned")]
    slowest = max(canned, key=lambda row: row["project_single_ms"])
    target("Datasette: every canned query < 50 ms",
           f"slowest {slowest['project_single_ms']:.0f} ms ({slowest['endpoint'][8:]})",
           slowest["project_single_ms"] < 50)
    return out


def markdown(r: dict) -> str:
    m = r["machine"]
    parts = [f"Measured {m['date']} on {m['nproc']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, "
             f"Python {m['python']}, load average at start {m['load_average'][0]:.1f}, "
             f"bytecode cache {'on' if m['bytecode_cache'] else 'off'}"
             f"{' (quick run)' if r['quick'] else ''}. Seconds: median (min–max)."]
    parts.append("\n**Start-up**\n\n" + _table(
        ["what", "seconds"], [[f["name"], _s(f)] for f in r["startup"]]))
    parts.append("\n**Real data**\n\n" + _table(
        ["command", "seconds", "peak MB"],
        [[name, _s(f), f["peak_mb"]] for name, f in r["real"].items()]))
    rows = []
    for s in r["scale"]:
        e = s["errors"]
        fl = _s(s["frictionless"]) if "frictionless" in s else "not run"
        rows.append([f"x{s['scale']}", f"{s['rows']:,}", _s(s["validate"]), fl, _s(s["build"]),
                     f"{max(s['validate']['peak_mb'], s['build']['peak_mb']):.0f}",
                     f"{e['ours_found']}/{e['injected']} +{e['ours_extra']}",
                     f"{e['frictionless_found']}/{e['injected']} +{e['frictionless_extra']}",
                     f"{e['ours_s']:.2f} / {e['frictionless_s']:.2f} ({e['speedup']}x)"])
    parts.append("\n**Synthetic packages** (valid copy; errors copy: found/injected +extra)\n\n"
                 + _table(["scale", "rows", "validate", "frictionless", "build", "peak MB",
                           "errors: ours", "errors: frictionless",
                           "errors copy s: ours / frictionless"], rows))
    parts.append("\n**Datasette** (project configuration vs bare `datasette --immutable`; "
                 "rps and p50/p99 ms under concurrent clients; single = one client)\n\n" + _table(
                     ["endpoint", "project rps", "bare rps", "ratio", "project p50/p99",
                      "bare p50/p99", "single ms project/bare"],
                     [[row["endpoint"], row["project_rps"], row["bare_rps"],
                       f"{row['ratio']:.0%}",
                       f"{row['project_p50_ms']}/{row['project_p99_ms']}",
                       f"{row['bare_p50_ms']}/{row['bare_p99_ms']}",
                       f"{row['project_single_ms']}/{row['bare_single_ms']}"]
                      for row in r["datasette"]]))
    parts.append("\n**Targets**\n\n" + _table(
        ["target", "measured", "met"],
        [[t["target"], t["measured"], "yes" if t["met"] else "**no**"] for t in r["targets"]]))
    return "\n".join(parts)
