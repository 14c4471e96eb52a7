"""A CSV saved by a spreadsheet or an editor comes back with a message, never a traceback."""

from __future__ import annotations

from click.testing import CliRunner

from conftest import problems_of
from peacetalks.cli import main


def _rounds(pkg):
    return pkg.table("negotiation_rounds").csv_path


def _run_validate(pkg):
    result = CliRunner().invoke(main, ["validate", "--package", str(pkg.descriptor_path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_byte_order_mark(pkg):
    path = _rounds(pkg)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert "data/negotiation_rounds.csv:1:-:byte-order-mark:" in "\n".join(problems_of(pkg))


def test_crlf_line_endings(pkg):
    path = _rounds(pkg)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert "data/negotiation_rounds.csv:1:-:line-endings:" in "\n".join(problems_of(pkg))


def test_non_utf8_bytes(pkg):
    path = _rounds(pkg)
    path.write_bytes(path.read_bytes() + "2022-03-29-kyiv,other,Kyïv\n".encode("latin-1"))
    found = problems_of(pkg)
    assert any(":encoding: byte 0xef is not valid UTF-8" in p for p in found), found
    assert any(":skipped:" in p for p in found)


def test_empty_file(pkg):
    _rounds(pkg).write_bytes(b"")
    assert any(p.startswith("data/negotiation_rounds.csv:-:-:empty-file:")
               for p in problems_of(pkg))


def test_missing_column(pkg):
    path = _rounds(pkg)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[0] = lines[0].replace(",venue", "")
    path.write_text("\n".join(lines), encoding="utf-8")
    assert "data/negotiation_rounds.csv:1:venue:missing-column:" in "\n".join(problems_of(pkg))


def test_extra_column(pkg):
    path = _rounds(pkg)
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    lines = [lines[0] + ",mood"] + [line + "," for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "data/negotiation_rounds.csv:1:mood:extra-column:" in "\n".join(problems_of(pkg))


def test_unsorted_rows_are_reported_then_fixed_by_format(pkg):
    path = pkg.table("actors").csv_path
    header, *rows = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    path.write_text("\n".join([header, *reversed(rows)]) + "\n", encoding="utf-8")
    assert any(":row-order:" in p for p in problems_of(pkg))
    result = CliRunner().invoke(main, ["format", "--package", str(pkg.descriptor_path)])
    assert result.exit_code == 0 and "rewrote data/actors.csv" in result.output
    assert not any(p.startswith("data/actors.csv") for p in problems_of(pkg))


def test_needless_quotes_are_not_canonical(pkg):
    path = pkg.table("actors").csv_path
    text = path.read_text(encoding="utf-8").replace(",Ukraine,", ',"Ukraine",', 1)
    path.write_text(text, encoding="utf-8")
    assert any(p.startswith("data/actors.csv:") and ":canonical-form:" in p
               for p in problems_of(pkg))


def test_validate_exits_1_with_one_line_per_problem_and_no_traceback(pkg):
    path = _rounds(pkg)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    result = _run_validate(pkg)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [ln for ln in result.output.splitlines() if ln.startswith("data/")]
    assert len(lines) == 2 and all(ln.count(":") >= 4 for ln in lines)


def test_valid_package_exits_0(pkg):
    result = _run_validate(pkg)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("valid:")
