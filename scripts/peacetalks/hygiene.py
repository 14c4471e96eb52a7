"""Text hygiene of every cell: no raw HTML, no control characters, no gigantic cells.

Text is copied from web pages, PDFs and word processors; what comes along unseen (tags, HTML
entities, zero-width or control characters, NUL bytes) breaks search, exports and quoting.
``csvform.check_canonical`` already reports line breaks and leading/trailing spaces; this
module adds the two checks it lacks and is called from the same loop over cells.
"""

from __future__ import annotations

import re

from .problems import Problem

# An opening or closing tag of a real HTML element, or an entity like &nbsp; &#160; &#xa0;.
# Plain text never needs either: "<" and "&" followed by a word and ";" only occur in markup.
HTML = re.compile(
    r"</?(?:a|abbr|b|blockquote|br|div|em|font|h[1-6]|hr|i|img|li|ol|p|pre|script|span|"
    r"strong|style|sub|sup|table|td|th|tr|u|ul)\b[^<>]*>"
    r"|&(?:[a-zA-Z]{2,8}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});",
    re.IGNORECASE,
)

# C0 and C1 control characters (tab and carriage return included), DEL, the zero-width space
# and word joiner, bidi embeddings, overrides and isolates (the "Trojan Source" characters),
# line/paragraph separators and the BOM. Not the zero-width (non-)joiner or the left-to-right
# and right-to-left marks, which some scripts need. The line feed is left to csvform's own
# "line-break" rule, which says what to do about it.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2066-\u2069"
                     "\u2028\u2029\u2060\ufeff]")


# The longest cell in the data holds about 1,300 characters; ten thousand (some 1,500 words)
# is more than any summary or note needs, and less than a pasted document or a quote left
# open that swallowed the rest of the file.
MAX_CELL_CHARS = 10_000


def too_long(file: str, row: int, column: str, value: str) -> Problem | None:
    """A cell too long to be a field of this dataset; validate reads no further in the file."""
    if len(value) <= MAX_CELL_CHARS:
        return None
    return Problem(file, row, column, "cell-too-long",
                   f"{len(value):,} characters; a cell holds at most {MAX_CELL_CHARS:,} "
                   "(was a document pasted, or a quote left open?)")


def cell_problems(file: str, row: int, column: str, value: str) -> list[Problem]:
    """Problems of one cell's text; empty for clean text.

    >>> cell_problems("data/x.csv", 2, "notes", "Talks in Geneva & Istanbul")
    []
    >>> [p.rule for p in cell_problems("data/x.csv", 2, "notes", "a&nbsp;b")]
    ['html']
    """
    problems = []
    found = HTML.search(value)
    if found:
        problems.append(Problem(file, row, column, "html",
                                f"raw HTML {found.group(0)!r}; write the plain text instead"))
    control = CONTROL.search(value)
    if control:
        problems.append(Problem(file, row, column, "control-character",
                                f"invisible character U+{ord(control.group(0)):04X} at "
                                f"position {control.start() + 1}; delete it"))
    return problems
