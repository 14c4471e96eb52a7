"""Read a CSV file that is already in canonical form straight into a polars frame of strings.

``csvform`` checks a file cell by cell in Python, which takes seconds per million rows and
holds every cell as a Python string. Nearly every file is canonical, so this module first
tries the fast way: parse with polars, check cell hygiene and row order as column
expressions, and compare the file byte for byte with polars' own rendering of the frame.
Only when all of that holds is the frame returned; otherwise the caller runs ``csvform``'s
checks, which find and word the problem exactly as before. The byte comparison is what makes
this safe: a frame that renders back to the very same bytes was parsed faithfully.
"""

from __future__ import annotations

import io

import polars as pl

from .package import Table

try:  # the per-cell text hygiene rules, where that module exists: the fast path must refuse
    from . import hygiene  # every cell that csvform's loop would report
except ImportError:
    hygiene = None

CHUNK_ROWS = 200_000  # rendered and compared a slice at a time, to bound memory


def read_canonical(table: Table, data: bytes) -> pl.DataFrame | None:
    """The file's cells as strings (empty cells as nulls), or None if it needs a closer look."""
    header = (",".join(table.columns) + "\n").encode()
    if not data.startswith(header) or b"\r" in data:
        return None  # wrong header, byte-order mark, empty file or CR: csvform words it
    try:
        frame = pl.read_csv(data, infer_schema=False, has_header=True, quote_char='"')
    except Exception:  # noqa: BLE001  (any parse failure: let csvform find and name it)
        return None
    if frame.columns != table.columns or not _clean_cells(frame) or not _sorted(table, frame):
        return None
    return frame if _renders_to(frame, data, len(header)) else None


def _dirty(column: pl.Expr) -> pl.Expr:
    """True where csvform would report a cell: line break, padding, a quoted empty string,
    and whatever per-cell hygiene rules ``hygiene.py`` adds (when that module is present)."""
    bad = column.str.contains(r"^\s|\s$|\n") | (column == "")
    if hygiene is None:
        return bad
    return (bad | (column.str.len_chars() > hygiene.MAX_CELL_CHARS)
            | column.str.contains("(?i)" + hygiene.HTML.pattern)
            | column.str.contains(hygiene.CONTROL.pattern))


def _clean_cells(frame: pl.DataFrame) -> bool:
    """No cell that csvform's cell checks would report, in any column (else: csvform)."""
    if frame.height == 0:
        return True
    try:
        bad = frame.select(pl.any_horizontal(_dirty(pl.col(n)).any() for n in frame.columns))
    except Exception:  # noqa: BLE001  (a pattern polars cannot compile: take the slow path)
        return False
    return not bad.item()


def _sorted(table: Table, frame: pl.DataFrame) -> bool:
    """Rows ascend by primary key, compared as csvform does (tuples of strings).

    Joining the key's cells with a NUL keeps tuple order: NUL sorts before any character.
    """
    key = frame.select(pl.concat_str([pl.col(c).fill_null("") for c in table.primary_key],
                                     separator="\x00")).to_series()
    return key.is_sorted()


def _renders_to(frame: pl.DataFrame, data: bytes, start: int) -> bool:
    """True if writing the frame (minimal quoting, LF) gives back exactly ``data[start:]``."""
    pos = start
    for offset in range(0, frame.height, CHUNK_ROWS):
        buf = io.BytesIO()
        frame.slice(offset, CHUNK_ROWS).write_csv(buf, include_header=False,
                                                 line_terminator="\n", quote_style="necessary")
        chunk = buf.getvalue()
        if not data.startswith(chunk, pos):
            return False
        pos += len(chunk)
    return pos == len(data)
