"""A contributor's edit goes wrong in every way a CSV can: validation says where, never crashes.

Hypothesis mutates the files of a small but real package (``real_slice.py``): cell types,
dates, enums, encodings, quoting, delimiters, headers, truncation mid-row, duplicate and
dangling keys, huge fields, NUL bytes. For every example `peacetalks validate` exits 1 with
at least one line that names the mutated file, a row or a column, and a rule, and never a
traceback; `peacetalks build` on such data leaves the previous build byte-identical.

Examples run derandomized (the same ones on every run) with no deadline. Mutations that make
a file unreadable as its schema says (encoding, delimiter, header) stop validation early and
cost milliseconds; the others run every check (about 0.1 s each on the slice with the polars
row checks). PEACETALKS_MUTATION_SCALE multiplies every count.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from peacetalks.cli import main
from peacetalks.package import DataPackage, Table
from real_slice import write_slice

SCALE = float(os.environ.get("PEACETALKS_MUTATION_SCALE", "1"))
UNREADABLE_EXAMPLES = int(1000 * SCALE)
CONTENT_EXAMPLES = int(1000 * SCALE)
BUILD_EXAMPLES = int(50 * SCALE)
settings.register_profile(
    "mutations", derandomize=True, deadline=None, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture])
# While developing: report the first failure without minutes of shrinking.
settings.register_profile("mutations-dev", settings.get_profile("mutations"),
                          phases=[Phase.explicit, Phase.generate])
PROFILE = settings.get_profile(os.environ.get("PEACETALKS_MUTATION_PROFILE", "mutations"))

PROBLEM = re.compile(r"^(?P<file>[^:]+):(?P<row>\d+|-):(?P<column>[^:]+):(?P<rule>[a-z-]+): .+")
HUGE = 5 * 1024 * 1024
TYPED = ("integer", "number", "date")
ran: Counter[str] = Counter()
spent: Counter[str] = Counter()  # seconds per kind of mutation, for the printed figures


# --- reading and writing a table's text ----------------------------------------------------

def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _set_cell(text: str, row: int, column: int, value: str) -> str:
    rows = _rows(text)
    rows[row][column] = value
    return _csv(rows)


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each physical data line, end at its newline (cells hold no newlines)."""
    spans, start = [], 0
    for end in (m.start() for m in re.finditer("\n", text)):
        spans.append((start, end))
        start = end + 1
    return spans[1:]


# --- the mutations: each returns the new bytes of one file, which must not validate ------

def m_type(d, t: Table, text: str) -> bytes:
    cols = [i for i, f in enumerate(t.fields) if f.type in TYPED]
    i = d.draw(st.sampled_from(cols))
    row = d.draw(st.integers(1, len(_rows(text)) - 1))
    bad = d.draw(st.sampled_from(["abc", "12,5", "1 000", "ten", "--1", "1.2.3", "0x1F", "½"]))
    return _set_cell(text, row, i, bad).encode()


def m_date(d, t: Table, text: str) -> bytes:
    cols = [i for i, f in enumerate(t.fields) if f.type == "date"]
    i = d.draw(st.sampled_from(cols))
    row = d.draw(st.integers(1, len(_rows(text)) - 1))
    bad_dates = ["2023-02-30", "2023-13-01", "30/01/2023", "2023-1-5", "20230105",
                 "2023-01-01T10:00", "2999-01-01", "January 2023", "2023-00-10"]
    if t.fields[i].constraints.get("minimum"):  # an old date is wrong only below a minimum
        bad_dates.append("1999-01-01")             # (a source may be older than the war)
    bad = d.draw(st.sampled_from(bad_dates))
    return _set_cell(text, row, i, bad).encode()


def m_enum(d, t: Table, text: str) -> bytes:
    cols = [i for i, f in enumerate(t.fields) if f.enum or f.constraints.get("pattern")]
    i = d.draw(st.sampled_from(cols))
    row = d.draw(st.integers(1, len(_rows(text)) - 1))
    return _set_cell(text, row, i, d.draw(st.sampled_from(["Not Allowed!", "?", "x y"]))).encode()


def m_latin1(d, t: Table, text: str) -> bytes:
    rows = _rows(text)
    row = d.draw(st.integers(1, len(rows) - 1))
    col = d.draw(st.integers(0, len(rows[row]) - 1))
    rows[row][col] += d.draw(st.sampled_from(["é", "ü", "ñ", "£"]))
    return _csv(rows).encode("latin-1", errors="replace")


def m_utf16(d, t: Table, text: str) -> bytes:
    return text.encode(d.draw(st.sampled_from(["utf-16", "utf-16-le", "utf-16-be"])))


def m_bom(d, t: Table, text: str) -> bytes:
    return b"\xef\xbb\xbf" + text.encode()


def m_quote(d, t: Table, text: str) -> bytes:
    start, end = d.draw(st.sampled_from(_line_spans(text)))
    at = d.draw(st.integers(start, end))
    return (text[:at] + '"' + text[at:]).encode()


def m_delimiter(d, t: Table, text: str) -> bytes:
    return _csv(_rows(text), d.draw(st.sampled_from([";", "\t", "|"]))).encode()


def _columns(d, text: str, change) -> bytes:
    rows = _rows(text)
    i = d.draw(st.integers(0, len(rows[0]) - 1))
    return _csv([change(r, i) for r in rows]).encode()


def m_rename(d, t: Table, text: str) -> bytes:
    name = d.draw(st.sampled_from(["id", "Name", "col_1", "notes2", " date", "url "]))
    rows = _rows(text)
    i = d.draw(st.integers(0, len(rows[0]) - 1).filter(lambda i: rows[0][i] != name))
    rows[0][i] = name if name not in rows[0] else rows[0][i] + "_renamed"
    return _csv(rows).encode()


def m_drop(d, t: Table, text: str) -> bytes:
    return _columns(d, text, lambda r, i: r[:i] + r[i + 1:])


def m_duplicate_column(d, t: Table, text: str) -> bytes:
    return _columns(d, text, lambda r, i: r[:i + 1] + r[i:])


def m_reorder(d, t: Table, text: str) -> bytes:
    rows = _rows(text)
    i = d.draw(st.integers(0, len(rows[0]) - 2))
    j = d.draw(st.integers(i + 1, len(rows[0]) - 1))

    def swap(r: list[str]) -> list[str]:
        r = list(r)
        r[i], r[j] = r[j], r[i]
        return r

    return _csv([swap(r) for r in rows]).encode()


def m_truncate(d, t: Table, text: str) -> bytes:
    start, end = d.draw(st.sampled_from(_line_spans(text)))
    return text[: d.draw(st.integers(start + 1, end))].encode()


def m_duplicate_key(d, t: Table, text: str) -> bytes:
    rows = _rows(text)
    i = d.draw(st.integers(1, len(rows) - 1))
    return _csv(rows[: i + 1] + [rows[i]] + rows[i + 1:]).encode()


def m_dangling_key(d, t: Table, text: str) -> bytes:
    fk = d.draw(st.sampled_from(t.foreign_keys))
    col = t.columns.index(fk.fields[0])
    rows = _rows(text)
    row = d.draw(st.integers(1, len(rows) - 1))
    old = rows[row][col]
    rows[row][col] = "UA-99" if old.startswith("UA") else (
        old + "-ZZ" if old.isupper() else (old or "none") + "-zz")
    return _csv(rows).encode()


def m_huge(d, t: Table, text: str) -> bytes:
    rows = _rows(text)
    row = d.draw(st.integers(1, len(rows) - 1))
    col = d.draw(st.integers(0, len(rows[row]) - 1))
    rows[row][col] = d.draw(st.sampled_from(["a", "word ", "Ж"])) * HUGE
    return _csv(rows).encode()


def m_nul(d, t: Table, text: str) -> bytes:
    at = d.draw(st.integers(0, len(text) - 1))
    return (text[:at] + "\x00" * d.draw(st.integers(1, 3)) + text[at:]).encode()


MUTATIONS = {f.__name__.removeprefix("m_"): f for f in [
    m_type, m_date, m_enum, m_latin1, m_utf16, m_bom, m_quote, m_delimiter, m_rename, m_drop,
    m_duplicate_column, m_reorder, m_truncate, m_duplicate_key, m_dangling_key, m_huge, m_nul]}


UNREADABLE = ["latin1", "utf16", "delimiter", "rename", "drop", "duplicate_column"]
CONTENT = sorted(set(MUTATIONS) - set(UNREADABLE))


def applies(kind: str, table: Table) -> bool:
    if kind in ("type", "date"):
        return any(f.type in (TYPED if kind == "type" else ("date",)) for f in table.fields)
    if kind == "dangling_key":
        return bool(table.foreign_keys)
    return True


# --- fixtures and checks -------------------------------------------------------------------

@pytest.fixture(scope="module")
def sliced(tmp_path_factory) -> DataPackage:
    pkg = write_slice(tmp_path_factory.mktemp("slice") / "pkg")
    result = CliRunner().invoke(main, ["validate", "--package", str(pkg.descriptor_path)])
    assert result.exit_code == 0, f"the real slice must validate first:\n{result.output}"
    return pkg


def mutate(d, pkg: DataPackage, kinds: list[str]) -> tuple[str, Table, bytes]:
    kind = d.draw(st.sampled_from(kinds), label="mutation")
    table = d.draw(st.sampled_from([t for t in pkg.tables if applies(kind, t)]), label="table")
    text = table.csv_path.read_text(encoding="utf-8")
    return kind, table, MUTATIONS[kind](d, table, text)


def invoke(pkg: DataPackage, command: str, table: Table, data: bytes, kind: str):
    """Run a command with one file replaced by ``data``; the file is restored afterwards."""
    original = table.csv_path.read_bytes()
    table.csv_path.write_bytes(data)
    started = time.monotonic()
    try:
        return CliRunner().invoke(main, [command, "--package", str(pkg.descriptor_path)])
    finally:
        spent[kind] += time.monotonic() - started
        table.csv_path.write_bytes(original)


def assert_refused(result, table: Table, kind: str) -> None:
    out = result.output
    assert "Traceback" not in out, f"{kind}: a traceback:\n{out[-3000:]}"
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), (
        f"{kind} on {table.relpath}: exit {result.exit_code}, {result.exception!r}\n{out[-3000:]}")
    lines = [PROBLEM.match(line) for line in out.splitlines()]
    named = [m for m in lines if m and m["file"] == table.relpath
             and (m["row"] != "-" or m["column"] != "-")]
    assert named, f"{kind}: no problem names {table.relpath} with a row or column:\n{out[:3000]}"


@settings(PROFILE, max_examples=UNREADABLE_EXAMPLES)
@given(d=st.data())
def test_a_file_unreadable_as_its_schema_says_is_refused_with_file_row_and_rule(sliced, d):
    kind, table, data = mutate(d, sliced, UNREADABLE)
    ran[kind] += 1
    assert_refused(invoke(sliced, "validate", table, data, kind), table, kind)


@settings(PROFILE, max_examples=CONTENT_EXAMPLES)
@given(d=st.data())
def test_a_bad_cell_row_or_layout_is_refused_with_file_row_column_and_rule(sliced, d):
    kind, table, data = mutate(d, sliced, CONTENT)
    ran[kind] += 1
    assert_refused(invoke(sliced, "validate", table, data, kind), table, kind)


def _digest(build_dir: Path) -> dict[str, str]:
    return {str(p.relative_to(build_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(build_dir.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sliced_built(tmp_path_factory) -> DataPackage:
    pkg = write_slice(tmp_path_factory.mktemp("slice-built") / "pkg")
    assert CliRunner().invoke(main, ["build", "--package", str(pkg.descriptor_path)]
                              ).exit_code == 0
    return pkg


@settings(PROFILE, max_examples=BUILD_EXAMPLES)
@given(d=st.data())
def test_building_mutated_data_leaves_the_previous_build_byte_identical(sliced_built, d):
    before = _digest(sliced_built.build_dir)
    kind, table, data = mutate(d, sliced_built, sorted(MUTATIONS))
    ran[f"build:{kind}"] += 1
    assert_refused(invoke(sliced_built, "build", table, data, f"build:{kind}"), table, kind)
    assert _digest(sliced_built.build_dir) == before


@pytest.fixture(scope="module", autouse=True)
def _report_counts():
    started = time.monotonic()
    yield
    validated = sum(n for k, n in ran.items() if not k.startswith("build:"))
    print(f"\nmutation examples: {validated} validated, {sum(ran.values()) - validated} built, "
          f"in {time.monotonic() - started:.0f} s; by kind: "
          + ", ".join(f"{k} {n} ({spent[k] / n:.2f} s each)" for k, n in sorted(ran.items())
                      if not k.startswith("build:")))


FRESH_PROCESS_SAMPLE = {
    "huge cell": lambda text: _set_cell(text, 1, 1, "x" * HUGE).encode(),
    "NUL byte": lambda text: (text[:-5] + "\x00" + text[-5:]).encode(),
    "UTF-16": lambda text: text.encode("utf-16"),
    "quote left open": lambda text: text.replace("\n", '\n"', 1).encode(),
}


@pytest.mark.parametrize("kind", list(FRESH_PROCESS_SAMPLE))
def test_a_sample_is_refused_the_same_way_in_a_fresh_process(tmp_path, kind):
    """In-process runs share imports (and the csv module's global state); a fresh process
    is what a contributor runs."""
    import subprocess
    import sys

    pkg = write_slice(tmp_path / "pkg")
    table = pkg.table("actors")
    table.csv_path.write_bytes(FRESH_PROCESS_SAMPLE[kind](table.csv_path.read_text()))
    exe = str(Path(sys.executable).with_name("peacetalks"))
    result = subprocess.run([exe, "validate", "--package", str(pkg.descriptor_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert any((m := PROBLEM.match(line)) and m["file"] == table.relpath
               and (m["row"] != "-" or m["column"] != "-")
               for line in result.stdout.splitlines()), result.stdout[:2000]
