"""The machine fails mid-build: killed, out of disk. The previous build stays in use, intact.

Run as root (CI is), the full-disk test mounts a small tmpfs as build/; elsewhere it skips and
the simulated full disk (in-process) still runs. Figures are printed for the README
(`pytest -s tests/test_build_faults.py`).
"""

from __future__ import annotations

import errno
import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_package
from peacetalks.cli import main
from peacetalks.package import DataPackage
from peacetalks.staging import current_version

KILLS = 20
SEED = 7
PEACETALKS = [str(Path(sys.executable).with_name("peacetalks"))]


def outputs(pkg: DataPackage) -> list[Path]:
    return pkg.build_outputs


def digest(pkg: DataPackage) -> dict[str, str]:
    """SHA-256 of every file behind the documented output paths."""
    out = {}
    for path in outputs(pkg):
        for f in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if f.is_dir():
                continue
            out[str(f.relative_to(pkg.root))] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


def assert_usable(pkg: DataPackage) -> None:
    db = sqlite3.connect(f"file:{pkg.sqlite_path}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {t.name for t in pkg.tables} <= tables
        assert db.execute("SELECT count(*) FROM negotiation_rounds").fetchone()[0] > 0
    finally:
        db.close()


def run_build(pkg: DataPackage) -> subprocess.CompletedProcess:
    return subprocess.run([*PEACETALKS, "build", "--package", str(pkg.descriptor_path)],
                          capture_output=True, text=True, timeout=300)


def test_a_build_killed_at_any_moment_leaves_the_previous_build_intact(tmp_path):
    pkg = copy_package(tmp_path / "pkg")
    started = time.monotonic()
    assert run_build(pkg).returncode == 0
    duration = time.monotonic() - started
    before = digest(pkg)
    rng = random.Random(SEED)
    mid_write = switched = 0
    for _ in range(KILLS):
        version = current_version(pkg.build_dir)
        proc = subprocess.Popen([*PEACETALKS, "build", "--package", str(pkg.descriptor_path)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3 * duration, duration))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        mid_write += any(p.name.startswith((".staging-", ".tmp-"))
                         for p in pkg.build_dir.iterdir())
        if current_version(pkg.build_dir) != version:
            # Killed after the one atomic switch: the new build is complete and in use.
            switched += 1
            before = digest(pkg)
        else:
            assert digest(pkg) == before
        assert_usable(pkg)
    result = run_build(pkg)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_usable(pkg)
    assert not [p for p in pkg.build_dir.iterdir() if p.name.startswith(".staging-")]
    print(f"\n{KILLS} SIGKILLs over 0.3-1.0 x {duration:.1f} s build: previous build "
          f"byte-identical after {KILLS - switched} kills ({mid_write} while writing outputs), "
          f"the new build complete and in use after {switched}; "
          "next build succeeded")


def _mount_tmpfs(path: Path, size: str, remount: bool = False) -> subprocess.CompletedProcess:
    options = f"remount,size={size}" if remount else f"size={size}"
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
                          capture_output=True, text=True)


def test_a_full_disk_fails_clearly_and_keeps_the_previous_build(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    pkg = copy_package(tmp_path / "pkg")
    pkg.build_dir.mkdir()
    probe = _mount_tmpfs(pkg.build_dir, "64m")
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {probe.stderr.strip()}")
    try:
        assert run_build(pkg).returncode == 0
        disk = os.statvfs(pkg.build_dir)
        used = (disk.f_blocks - disk.f_bfree) * disk.f_frsize
        # Room for the build in use and half of another: the next build must run out.
        assert _mount_tmpfs(pkg.build_dir, f"{used * 3 // 2 // 1024}k", remount=True
                            ).returncode == 0
        before = digest(pkg)
        full = run_build(pkg)
        assert full.returncode == 1
        assert "No space left on device" in full.stderr and "previous build" in full.stderr
        assert "Traceback" not in full.stdout + full.stderr
        assert digest(pkg) == before
        assert_usable(pkg)
        assert _mount_tmpfs(pkg.build_dir, f"{used * 3 // 1024}k", remount=True
                            ).returncode == 0
        assert run_build(pkg).returncode == 0
        assert_usable(pkg)
        print(f"\nfull disk: tmpfs of {used * 3 // 2 // 1024} KiB for a {used // 1024} KiB "
              f"build: {full.stderr.strip()!r}")
    finally:
        subprocess.run(["umount", "-l", str(pkg.build_dir)], check=False)


def test_a_write_error_is_one_line_and_keeps_the_previous_build(pkg, monkeypatch):
    """The same story without a mount: writing the SQLite file fails with ENOSPC."""
    from peacetalks import build

    args = ["build", "--package", str(pkg.descriptor_path)]
    assert CliRunner().invoke(main, args).exit_code == 0
    before = digest(pkg)

    def no_space(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(build, "write_sqlite", no_space)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "No space left on device" in result.output and "previous build" in result.output
    assert digest(pkg) == before
    assert not [p for p in pkg.build_dir.iterdir() if p.name.startswith(".staging-")]
    monkeypatch.undo()
    assert CliRunner().invoke(main, args).exit_code == 0


def test_leftovers_of_killed_builds_are_removed_and_an_old_layout_upgraded(pkg):
    """build/ from before the versioned layout (real files) and debris of killed builds."""
    from peacetalks.build import build

    pkg.build_dir.mkdir()
    (pkg.build_dir / "peacetalks.db").write_text("an old build")
    (pkg.build_dir / "parquet").mkdir()
    for debris in (".staging-killed", ".build-superseded"):
        (pkg.build_dir / debris).mkdir()
        (pkg.build_dir / debris / "peacetalks.db").write_text("half written")
    build(pkg)
    assert all(p.is_symlink() for p in outputs(pkg))
    assert_usable(pkg)
    left = sorted(p.name for p in pkg.build_dir.iterdir())
    assert left == sorted([".lock", "current", current_version(pkg.build_dir),
                           *(p.name for p in outputs(pkg))])
