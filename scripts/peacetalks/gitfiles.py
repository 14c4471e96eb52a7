"""Read files of past commits with git, in as few subprocesses as possible.

Versions, diffs and row history all look at the package as it was at some commit. Paths here
are relative to the package root, which may sit anywhere inside the repository; git is asked
with ``-C root`` and ``./``-relative paths so that both cases work the same.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitError(Exception):
    """A git command failed; the message carries git's own explanation."""


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    result = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True)
    if result.returncode != 0:
        raise GitError(result.stderr.decode("utf-8", "replace").strip())
    return result.stdout


def is_repo(root: Path) -> bool:
    """True when ``root`` is inside a git work tree that has at least one commit."""
    try:
        git(root, "rev-parse", "--verify", "--quiet", "HEAD")
    except (GitError, FileNotFoundError):
        return False
    return True


def commit_of(root: Path, rev: str) -> str:
    """The full commit id a revision (branch, tag, hash, ``HEAD~2``) names."""
    return git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()


def first_parent_commits(root: Path) -> list[str]:
    """Commits of HEAD's main line, oldest first (merged side branches count at their merge)."""
    if not is_repo(root):
        return []
    return git(root, "rev-list", "--first-parent", "--reverse", "HEAD").decode().split()


def read_many(root: Path, specs: list[str]) -> list[bytes | None]:
    """Contents of ``<rev>:./<path>`` objects in one ``git cat-file --batch``; None if missing."""
    if not specs:
        return []
    out = git(root, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in specs).encode())
    contents: list[bytes | None] = []
    pos = 0
    for _ in specs:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) != 3 or header[1] == b"missing":
            contents.append(None)
            continue
        size = int(header[2])
        contents.append(out[pos:pos + size] if header[1] == b"blob" else None)
        pos += size + 1
    return contents


def object_ids(root: Path, specs: list[str]) -> list[str | None]:
    """Object ids of ``<rev>:./<path>`` specs (one ``--batch-check``); None if missing.

    Lets callers read each distinct version of a file once, however many commits share it.
    """
    if not specs:
        return []
    out = git(root, "cat-file", "--batch-check", stdin="".join(f"{s}\n" for s in specs).encode())
    ids = []
    for line in out.decode().splitlines():
        parts = line.split()
        ids.append(parts[0] if len(parts) == 3 and parts[1] == "blob" else None)
    return ids


def read_at(root: Path, rev: str, relpaths: list[str]) -> dict[str, str | None]:
    """Text of files (relative to the package root) at a revision; None for absent files."""
    blobs = read_many(root, [f"{rev}:./{p}" for p in relpaths])
    return {p: None if b is None else b.decode("utf-8-sig")
            for p, b in zip(relpaths, blobs, strict=True)}


def dirty_paths(root: Path) -> list[str]:
    """Modified, staged or untracked (not ignored) paths of the whole work tree."""
    lines = git(root, "status", "--porcelain", "--untracked-files=all").decode().splitlines()
    return [line[3:] for line in lines if line.strip()]


def changed_since(root: Path, commit: str, relpaths: list[str]) -> list[str]:
    """Files under ``relpaths`` that differ between ``commit`` and HEAD."""
    out = git(root, "diff", "--name-only", commit, "HEAD", "--", *relpaths).decode()
    return out.split()


def tag(root: Path, name: str, commit: str) -> str:
    """Create a lightweight tag unless it exists; say what happened (tags are never relied on)."""
    try:
        existing = commit_of(root, f"refs/tags/{name}")
    except GitError:
        existing = ""
    if existing == commit:
        return f"tag {name} already marks {commit[:12]}"
    if existing:
        return f"tag {name} exists at {existing[:12]}, not {commit[:12]}: left as it is"
    git(root, "tag", name, commit)
    return f"tagged {commit[:12]} as {name}"
