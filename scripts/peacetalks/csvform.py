"""The one canonical form of a CSV file in ``data/``, its checks and its writer.

UTF-8 without a byte-order mark, LF line endings, the schema's column order, rows sorted by
primary key, minimal quoting, no line breaks or stray spaces inside cells. With one form, every
diff of ``data/`` shows only the rows that changed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from .hygiene import cell_problems, too_long
from .package import Table
from .problems import Problem

FORMAT_HINT = "run `peacetalks format` to rewrite the file in canonical form"

# The csv module's cell limit is global state (131,072 characters until frictionless raises
# it on import): fix it here, so that a file reads the same whatever ran before, and leave
# the length of a cell to the "cell-too-long" rule, which names the row and column.
csv.field_size_limit(2**31 - 2)


@dataclass
class RawTable:
    """A CSV file read as text: its header and rows of strings, as they stand in the file."""

    header: list[str]
    rows: list[list[str]]


def decode(table: Table, data: bytes) -> tuple[str | None, list[Problem]]:
    """Check the bytes of a file and decode them; None when nothing more can be read."""
    file = table.relpath
    if not data.strip():
        return None, [Problem(file, None, None, "empty-file",
                              "the file is empty; it needs at least the header row "
                              f"({','.join(table.columns)})")]
    problems = []
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(file, 1, None, "byte-order-mark",
                                f"the file starts with a UTF-8 byte-order mark; {FORMAT_HINT}"))
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        problems.append(Problem(
            file, line, None, "encoding",
            f"byte 0x{data[err.start]:02x} is not valid UTF-8; save the file as UTF-8"))
        return None, problems
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        problems.append(Problem(file, line, None, "line-endings",
                                f"CRLF or CR line endings; use LF only ({FORMAT_HINT})"))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, problems


class MalformedCSV(csv.Error):
    """A file the csv module cannot read; ``line`` is where the unreadable record starts."""

    def __init__(self, err: csv.Error, line: int) -> None:
        reason = str(err)
        if "unexpected end of data" in reason:
            reason = "a quote opened here is never closed"
        super().__init__(f"the record starting on line {line} cannot be read: {reason}")
        self.line = line


def parse(text: str) -> RawTable:
    try:
        rows = list(csv.reader(io.StringIO(text), strict=True))
    except csv.Error as err:
        raise MalformedCSV(err, _start_of_bad_record(text)) from err
    rows = [r for r in rows if r]  # csv yields [] for blank lines; those are format problems
    header, body = (rows[0], rows[1:]) if rows else ([], [])
    return RawTable(header, body)


def _start_of_bad_record(text: str) -> int:
    """Read again record by record (slower) to find the line where the bad one starts."""
    reader = csv.reader(io.StringIO(text), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            next(reader)
        except (csv.Error, StopIteration):
            return start


def check_header(table: Table, header: list[str]) -> list[Problem]:
    """Missing, extra, duplicated or reordered columns, named one by one."""
    file = table.relpath
    expected = table.columns
    problems = []
    for col in expected:
        if col not in header:
            problems.append(Problem(file, 1, col, "missing-column",
                                    f"the schema's column '{col}' is not in the header"))
    for col in header:
        if col not in expected:
            problems.append(Problem(file, 1, col, "extra-column",
                                    f"column '{col}' is not in {table.schema_path.name}; "
                                    "add it to the schema first or remove it"))
    for col in {c for c in header if header.count(c) > 1}:
        problems.append(Problem(file, 1, col, "duplicate-column", f"column '{col}' appears twice"))
    if not problems and header != expected:
        problems.append(Problem(file, 1, None, "column-order",
                                f"columns must be in the schema's order ({','.join(expected)}); "
                                + FORMAT_HINT))
    return problems


def sort_key(table: Table, raw: RawTable):
    idx = [raw.header.index(c) for c in table.primary_key if c in raw.header]
    return lambda row: tuple(row[i] if i < len(row) else "" for i in idx)


def render(table: Table, raw: RawTable) -> str:
    """The canonical text of a table whose header holds the schema's columns."""
    pos = [raw.header.index(c) for c in table.columns]
    rows = [[(row[i] if i < len(row) else "").strip().replace("\n", " ") for i in pos]
            for row in raw.rows]
    rows.sort(key=sort_key(table, RawTable(table.columns, rows)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(table.columns)
    writer.writerows(rows)
    return out.getvalue()


def check_canonical(table: Table, text: str, raw: RawTable) -> list[Problem]:
    """Cell hygiene and row order, then a byte comparison with the canonical rendering."""
    file = table.relpath
    problems = []
    for n, row in enumerate(raw.rows, start=2):
        for col, value in zip(raw.header, row, strict=False):
            huge = too_long(file, n, col, value)
            if huge:  # no other check on it: even quoting it in a message would be too much
                problems.append(huge)
                continue
            if "\n" in value:
                problems.append(Problem(file, n, col, "line-break",
                                        "a line break inside a cell; keep each row on one line"))
            elif value != value.strip():
                problems.append(Problem(file, n, col, "whitespace",
                                        f"leading or trailing spaces in {value!r}; {FORMAT_HINT}"))
            problems += cell_problems(file, n, col, value)
    key = sort_key(table, raw)
    for n in range(1, len(raw.rows)):
        if key(raw.rows[n]) < key(raw.rows[n - 1]):
            problems.append(Problem(file, n + 2, None, "row-order",
                                    f"rows must be sorted by {'+'.join(table.primary_key)}; "
                                    + FORMAT_HINT))
            break
    if not problems and text != render(table, raw):
        expected = render(table, raw).split("\n")
        got = text.split("\n")
        line = next((i + 1 for i, (a, b) in enumerate(zip(got, expected, strict=False))
                     if a != b), min(len(got), len(expected)))
        problems.append(Problem(file, line, None, "canonical-form",
                                "quoting, blank lines or the final newline differ from the "
                                f"canonical form; {FORMAT_HINT}"))
    return problems


def format_table(table: Table) -> bool:
    """Rewrite one CSV in canonical form; True if the file changed.

    Refuses (raises ValueError) when the header does not hold the schema's columns, because
    reordering cannot fix a missing or unknown column.
    """
    data = table.csv_path.read_bytes()
    text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    raw = parse(text)
    if sorted(raw.header) != sorted(table.columns):
        raise ValueError(f"{table.relpath}: the header does not match {table.schema_path.name}")
    new = render(table, raw)
    if new.encode("utf-8") == data:
        return False
    table.csv_path.write_text(new, encoding="utf-8", newline="")
    return True
