"""The command that deploys the same read-only site publicly with Datasette's own tooling.

``datasette publish cloudrun`` (or ``datasette package`` for a Docker image) with exactly the
settings, metadata, templates, plugins and downloads that ``peacetalks serve`` uses, so the
public site is the local one. The README shows this command; a test keeps the two equal.
"""

from __future__ import annotations

import shlex

from .downloads import MOUNT
from .package import DataPackage
from .serve import SETTINGS

TEMPLATES = "scripts/peacetalks/templates"
PLUGINS = "scripts/peacetalks/datasette_plugins"
PLUGIN_PACKAGES = ("datasette-dashboards==0.8.0", "datasette-search-all==1.1.4")


def publish_command(pkg: DataPackage, how: str = "publish cloudrun",
                    service: str = "peacetalks") -> list[str]:
    """``datasette <how> ...`` run from the repository root after ``make build``."""
    rel = pkg.build_dir.relative_to(pkg.root).as_posix()
    settings = " ".join(f"--setting {k} {v}" for k, v in SETTINGS.items())
    cmd = ["datasette", *how.split(), f"{rel}/{pkg.sqlite_path.name}",
           "--metadata", f"{rel}/{pkg.metadata_path.name}",
           "--template-dir", TEMPLATES, "--plugins-dir", PLUGINS,
           "--static", f"{MOUNT}:{rel}/{pkg.downloads_dir.name}"]
    for package in PLUGIN_PACKAGES:
        cmd += ["--install", package]
    cmd += ["--extra-options", settings]
    if how == "publish cloudrun":
        cmd += ["--service", service]
    return cmd


def publish_text(pkg: DataPackage, how: str = "publish cloudrun") -> str:
    """The command as the README shows it: one option per line."""
    parts = publish_command(pkg, how)
    head = 2 + len(how.split())  # datasette, the subcommand, the database file
    lines, i = [shlex.join(parts[:head])], head
    while i < len(parts):
        lines.append(shlex.join(parts[i:i + 2]))
        i += 2
    return " \\\n  ".join(lines)
