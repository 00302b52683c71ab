"""The one spreadsheet reader: hostile files are refused before or while parsing, legit ones read."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from hrguard.platform import spreadsheets
from hrguard.platform.spreadsheets import Limits, SpreadsheetError, open_rows

from . import bombs


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


ROSTER = Limits(rows=21_000, columns=256, cells=1_000_000, unpacked_bytes=64 * bombs.MB)


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read(content: bytes, limits: Limits = ROSTER) -> list[list[object]]:
    return list(open_rows(content, limits))


def test_a_zip_bomb_is_refused_from_its_directory_before_parsing():
    bomb = bombs.zip_bomb(180 * bombs.MB)
    assert len(bomb) < 2 * bombs.MB  # small on disk
    with pytest.raises(SpreadsheetError, match="unpacked"):
        open_rows(bomb, ROSTER)  # raised at open: nothing was inflated


def test_the_compression_ratio_is_capped_even_under_the_size_cap():
    bomb = bombs.zip_bomb(20 * bombs.MB)  # under 64 MB, but ~1000:1
    with pytest.raises(SpreadsheetError, match="unpacked"):
        open_rows(bomb, ROSTER)


def test_a_declared_grid_larger_than_the_caps_is_refused_before_the_first_row():
    with pytest.raises(SpreadsheetError, match="columns"):
        read(bombs.declared_huge())


def test_cells_are_counted_while_parsing_when_the_sheet_declares_nothing():
    content = bombs.cell_bomb(rows=3000, cols=10, dimension=False)
    limits = Limits(rows=100_000, cells=10_000, ratio=10_000)
    rows = iter(open_rows(content, limits))
    with pytest.raises(SpreadsheetError, match="cells"):
        for _ in rows:
            pass
    with pytest.raises(SpreadsheetError, match="rows"):
        read(content, Limits(rows=500, ratio=10_000))


def test_too_many_zip_members_are_refused_before_zipfile_reads_the_directory():
    with pytest.raises(SpreadsheetError, match="unpacked"):
        open_rows(bombs.many_members(), ROSTER)


def test_a_legit_workbook_reads_with_dates_and_numbers():
    rows = read(xlsx([["工号", "入职日期"], ["E1", dt.date(2025, 3, 1)], [1001, 3.5]]))
    assert rows[0] == ["工号", "入职日期"] and rows[1][0] == "E1" and rows[1][1].date() == dt.date(2025, 3, 1)
    assert rows[2] == [1001, 3.5]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_in_every_encoding_chinese_excel_writes(encoding):
    text = "工号,姓名\nE1,张三\nE2,李四\n"
    assert read(text.encode(encoding)) == [["工号", "姓名"], ["E1", "张三"], ["E2", "李四"]]


def test_csv_caps_and_tabs():
    assert read(b"a\tb\n1\t2\n") == [["a", "b"], ["1", "2"]]
    with pytest.raises(SpreadsheetError, match="columns"):
        read((",".join(["x"] * 300) + "\n").encode())
    with pytest.raises(SpreadsheetError, match="rows"):
        read(b"a\n" * 50, Limits(rows=10))


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty"), (b"\xd0\xcf\x11\xe0" + bytes(100), ".xls"), (b"%PDF-1.7", "not a spreadsheet"),
    (b"\x7fELF\x02\x01", "not a spreadsheet"), (b"PK\x03\x04garbage", "damaged"),
])
def test_what_is_not_a_spreadsheet_says_so(content, message):
    with pytest.raises(SpreadsheetError, match=message):
        read(content)


def test_the_writer_escapes_formulas_in_every_text_cell():
    data = spreadsheets.workbook("表", ["=标题"], [["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "ok", 5, None, True]])
    values = list(load_workbook(io.BytesIO(data)).active.values)
    assert values[0][0] == "'=标题"
    assert values[1] == ("'=1+1", "'+cmd", "'-2", "'@SUM(A1)", "'\tx", "ok", 5, None, "✓")
    sheet = load_workbook(io.BytesIO(data)).active
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
