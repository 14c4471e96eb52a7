"""Validate the data package and report problems a person can act on.

Order of work: file-level checks (encoding, header, canonical form) on every CSV; then, if
every file can be read as its schema says, frictionless checks the descriptor and the schemas
themselves, and ``rowchecks`` checks every row with polars (types, constraints, primary and
foreign keys, and the rules in ``rules.py``). ``cross_check=True`` also runs frictionless and
pandera over every row, the slower engines that the fast one must agree with; problems from
the engines are merged so that each cell is reported once.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field

import polars as pl

from . import csvfast, csvform
from .package import DataPackage, Table
from .problems import Problem, dedupe
from .rules import Rule, rules_for
from .schema import pandera_schema, string_frame, type_message, typed_from_strings

STRUCTURAL = {"missing-file", "empty-file", "encoding", "malformed-csv", "missing-column",
              "extra-column", "duplicate-column", "cell-too-long"}


@dataclass
class Report:
    """What validation found, and the typed frames it read (the build reuses them)."""

    problems: list[Problem] = field(default_factory=list)
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_files(pkg: DataPackage) -> tuple[list[Problem], dict[str, pl.DataFrame]]:
    """File-level checks for every table; returns the readable tables as frames of strings.

    A canonical file is read by polars in one go (``csvfast``); any other goes through
    ``csvform``, which names each problem with its line.
    """
    problems: list[Problem] = []
    raws = {}
    for table in pkg.tables:
        if not table.csv_path.is_file():
            problems.append(Problem(table.relpath, None, None, "missing-file",
                                    "the file named in datapackage.json does not exist"))
            continue
        data = table.csv_path.read_bytes()
        strings = csvfast.read_canonical(table, data)
        if strings is not None:
            raws[table.name] = strings
            continue
        text, found = csvform.decode(table, data)
        problems += found
        if text is None:
            continue
        try:
            raw = csvform.parse(text)
        except csv.Error as err:
            problems.append(Problem(table.relpath, getattr(err, "line", None), None,
                                    "malformed-csv", f"the CSV cannot be parsed: {err}"))
            continue
        header_problems = csvform.check_header(table, raw.header)
        problems += header_problems
        if any(p.rule in STRUCTURAL for p in header_problems):
            continue
        canonical = csvform.check_canonical(table, text, raw)
        problems += canonical
        if any(p.rule in STRUCTURAL for p in canonical):
            continue
        raws[table.name] = string_frame(table, raw.header, raw.rows)
    return problems, raws


# --- frictionless ----------------------------------------------------------------------

_CONSTRAINT = re.compile(r'constraint "(\w+)"')
_POSITION = re.compile(r"position (\d+)")


def _frictionless_problem(table: Table, error) -> Problem:
    row = getattr(error, "row_number", None)
    column = getattr(error, "field_name", None)
    cell = getattr(error, "cell", None)
    kind = error.type
    if kind == "type-error":
        return Problem(table.relpath, row, column, "type",
                       type_message(table.field(column), cell))
    if kind == "constraint-error":
        name = (_CONSTRAINT.search(error.note) or [None, "constraint"])[1]
        return Problem(table.relpath, row, column, _rule_name(name),
                       constraint_message(table, column, name, cell))
    if kind in ("primary-key", "unique-error"):
        column = column or "+".join(table.primary_key)
        first = (_POSITION.search(error.note) or [None, "?"])[1]
        return Problem(table.relpath, row, column, "primary-key" if kind == "primary-key"
                       else "unique", f"{column} repeats the value of row {first}; "
                       "IDs must be unique")
    if kind == "foreign-key":
        fields = list(error.field_names)
        fk = next(k for k in table.foreign_keys if k.fields == fields)
        values = ", ".join(repr(v) for v in error.field_cells)
        return Problem(table.relpath, row, "+".join(fields), "foreign-key",
                       f"{values} is not a {fk.table}.{'+'.join(fk.ref_fields)}; "
                       f"add it to {fk.table}.csv or correct the reference")
    return Problem(table.relpath, row, column, kind, error.message)


def _rule_name(constraint: str) -> str:
    return {"minLength": "min-length", "maxLength": "max-length"}.get(constraint, constraint)


def constraint_message(table: Table, column: str, name: str, value) -> str:
    c = table.field(column).constraints
    if name == "required":
        return "a value is required"
    if name == "enum":
        return f"{value!r} is not one of: {', '.join(c['enum'])}"
    if name == "pattern":
        return f"{value!r} does not match the pattern {c['pattern']}"
    if name in ("minimum", "maximum"):
        word = "below the minimum" if name == "minimum" else "above the maximum"
        return f"{value} is {word} {c[name]}"
    if name == "unique":
        return f"{value!r} appears more than once"
    return f"{value!r} breaks the {name} constraint"


def run_frictionless(pkg: DataPackage) -> list[Problem]:
    from frictionless import Package

    report = Package(str(pkg.descriptor_path)).validate()
    tables = {t.name: t for t in pkg.tables}
    problems = []
    for task in report.tasks:
        table = tables[task.name]
        problems += [_frictionless_problem(table, e) for e in task.errors]
    for e in report.errors:  # package-level (descriptor) errors
        problems.append(Problem("datapackage.json", None, None, e.type, e.message))
    return problems


# --- pandera -----------------------------------------------------------------------------

_PANDERA_NAMES = {"not_nullable": "required", "field_uniqueness": "unique",
                  "multiple_fields_uniqueness": "primary-key"}


def _pandera_message(table: Table, rule: str, column: str | None, value, today: dt.date,
                     custom: dict[str, Rule]) -> str:
    if rule in custom:
        return custom[rule].message
    if rule == "future-date":
        return f"{value} is after today ({today}); the dataset records what has happened"
    if rule == "primary-key":
        return f"duplicate primary key {'+'.join(table.primary_key)}: {value}"
    return constraint_message(table, column, rule, value)


def run_pandera(pkg: DataPackage, raws: dict[str, pl.DataFrame], today: dt.date
                ) -> tuple[list[Problem], dict[str, pl.DataFrame]]:
    """Type every readable table, then check it with the generated model and the rules."""
    import pandera.polars as pa

    problems: list[Problem] = []
    frames = {}
    for table in pkg.tables:
        if table.name in raws:
            frame, found = typed_from_strings(table, raws[table.name])
            frames[table.name] = frame
            problems += found
    for table in pkg.tables:
        if table.name not in frames:
            continue
        rules = [r for r in rules_for(table.name) if all(n in frames for n in r.needs)]
        checks = [pa.Check(lambda d, r=r: d.lazyframe.select(r.test(frames)), error=r.name)
                  for r in rules]
        try:
            pandera_schema(table, checks, today).validate(frames[table.name], lazy=True)
        except pa.errors.SchemaErrors as err:
            problems += _pandera_problems(table, err.failure_cases, today,
                                          {r.name: r for r in rules})
    return problems, frames


def _pandera_problems(table: Table, cases: pl.DataFrame, today: dt.date,
                      custom: dict[str, Rule]) -> list[Problem]:
    out = []
    seen: set[tuple] = set()
    for case in cases.sort("index", nulls_last=True).iter_rows(named=True):
        rule = _PANDERA_NAMES.get(case["check"], case["check"])
        if rule in ("unique", "primary-key"):  # pandera lists every copy; the first is fine
            key = (rule, case["column"], case["failure_case"])
            if key not in seen:
                seen.add(key)
                continue
        column = custom[rule].column if rule in custom else case["column"]
        if rule == "primary-key":
            column = "+".join(table.primary_key)
        row = None if case["index"] is None else case["index"] + 2
        out.append(Problem(table.relpath, row, column, rule,
                           _pandera_message(table, rule, column, case["failure_case"], today,
                                            custom)))
    return out


def check_descriptor(pkg: DataPackage) -> list[Problem]:
    """frictionless checks datapackage.json and every Table Schema against their profiles."""
    from frictionless import FrictionlessException, Package

    descriptor = dict(pkg.descriptor)
    descriptor["resources"] = [{**res, "schema": table.schema} for res, table
                               in zip(pkg.descriptor["resources"], pkg.tables, strict=True)]
    try:
        errors = list(Package.metadata_validate(descriptor))
    except FrictionlessException as err:
        errors = [err.error]
    return [Problem("datapackage.json", None, None, e.type, e.message) for e in errors]


def validate(pkg: DataPackage, today: dt.date | None = None, cross_check: bool = False
             ) -> Report:
    """Run every check; the report's problems are empty when the package is publishable.

    ``cross_check`` adds frictionless and pandera over every row (slow at scale; the fast
    row checks must find what they find).
    """
    from .rowchecks import check_package

    today = today or dt.date.today()
    problems, raws = check_files(pkg)
    if len(raws) < len(pkg.tables):
        problems.append(Problem(
            "datapackage.json", None, None, "skipped",
            "content checks (types, keys, rules) did not run because a file above cannot be "
            "read as its schema says; fix the file-level problems first"))
        return Report(problems)
    problems += check_descriptor(pkg)
    found, frames = check_package(pkg.tables, raws, today)
    problems += found
    if cross_check:
        problems += run_frictionless(pkg)
        problems += run_pandera(pkg, raws, today)[0]
    return Report(_ordered(pkg, dedupe(problems)), frames)


def _ordered(pkg: DataPackage, problems: list[Problem]) -> list[Problem]:
    rank = {t.relpath: i for i, t in enumerate(pkg.tables)}
    return sorted(problems, key=lambda p: (rank.get(p.file, -1), p.row or 0))
