"""A problem found in the data, worded for the person who has to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one cell, row or file.

    Printed as ``data/<file>.csv:<row>:<column>:<rule>: <message>`` so that an editor (or an
    editor's text editor) can jump straight to it. ``row`` is the line number in the file
    (the header is line 1); ``-`` stands for "the whole file" or "the whole row".
    """

    file: str
    row: int | None
    column: str | None
    rule: str
    message: str

    def __str__(self) -> str:
        row = "-" if self.row is None else str(self.row)
        return f"{self.file}:{row}:{self.column or '-'}:{self.rule}: {self.message}"

    @property
    def cell(self) -> tuple[str, int | None, str | None]:
        return (self.file, self.row, self.column)


def dedupe(problems: list[Problem]) -> list[Problem]:
    """Keep the first problem reported for each cell.

    Both validators check types, required values, enums and keys; a cell that breaks a rule
    should be reported once, in the words of whichever engine saw it first.
    """
    seen: set[tuple] = set()
    out = []
    for p in problems:
        key = (p.cell, p.rule) if p.column is None else p.cell
        if key in seen:
            continue
        seen.add(key)
        out.append(p)
    return out
