"""Fixture git repositories: a copy of the package committed in tmp_path, releases cut in it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT, copy_package
from peacetalks.citation import generated_files
from peacetalks.package import DataPackage

DOCUMENTS = ("README.md", "LICENSE", "CHANGELOG.md", ".gitignore")


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def commit_all(pkg: DataPackage, message: str) -> str:
    git(pkg.root, "add", "-A")
    git(pkg.root, "commit", "-q", "-m", message)
    return git(pkg.root, "rev-parse", "HEAD")


def make_repo(path: Path) -> DataPackage:
    """The package (data, schemas, documents) as the first commit of a new repository."""
    copy_package(path)
    for name in DOCUMENTS:
        shutil.copy(ROOT / name, path / name)
    git(path, "init", "-q", "-b", "main")
    for key, value in (("user.name", "Test Editor"), ("user.email", "editor@example.org"),
                       ("commit.gpgsign", "false"), ("tag.gpgsign", "false")):
        git(path, "config", key, value)
    # Work in progress on a first version: whatever the repository's own package says, no
    # version is released here until a test cuts one.
    pkg = set_descriptor(DataPackage(path / "datapackage.json"), version="0.1.0", created=None)
    commit_all(pkg, "work in progress")
    return pkg


def set_descriptor(pkg: DataPackage, **props: str | None) -> DataPackage:
    """Set (or with None remove) top-level properties of datapackage.json; reload the package."""
    descriptor = json.loads(pkg.descriptor_path.read_text(encoding="utf-8"))
    for key, value in props.items():
        if value is None:
            descriptor.pop(key, None)
        else:
            descriptor[key] = value
    pkg.descriptor_path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n",
                                   encoding="utf-8")
    return DataPackage(pkg.descriptor_path)


def add_changelog_entry(pkg: DataPackage, version: str, date: str) -> None:
    path = pkg.root / "CHANGELOG.md"
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n## ")
    entry = f"## [{version}] - {date}\n\nTest release {version}.\n\n"
    path.write_text(f"{head}\n{entry}{sep.strip()} {rest}" if sep else text + entry,
                    encoding="utf-8")


def write_citation(pkg: DataPackage) -> None:
    for name, text in generated_files(pkg).items():
        (pkg.root / name).write_text(text, encoding="utf-8")


def cut(pkg: DataPackage, version: str, date: str = "2026-11-25") -> tuple[DataPackage, str]:
    """What a maintainer does: version, CHANGELOG entry, created, citation files, commit."""
    pkg = set_descriptor(pkg, version=version, created=f"{date}T00:00:00Z")
    if f"## [{version}] - {date}" not in (pkg.root / "CHANGELOG.md").read_text(encoding="utf-8"):
        add_changelog_entry(pkg, version, date)
    write_citation(pkg)
    return pkg, commit_all(pkg, f"release {version}")
