"""Hostile spreadsheets, generated small on disk (shared by the tests and bench/import_bombs.py)."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

MB = 1024 * 1024


def _base_workbook() -> bytes:
    book = Workbook()
    book.active.append(["工号", "时间", "类型"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_sheet(writer: object, *, drop_dimension: bool = False) -> bytes:
    """A real workbook whose first sheet's XML is produced by ``writer(fh)`` (streamed into the zip)."""
    source = zipfile.ZipFile(io.BytesIO(_base_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for info in source.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with zf.open(info.filename, "w", force_zip64=False) as fh:
                    writer(fh)  # type: ignore[operator]
            else:
                zf.writestr(info, source.read(info.filename))
    return out.getvalue()


_HEAD = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def zip_bomb(unpacked: int = 180 * MB) -> bytes:
    """Unpacks to ``unpacked`` bytes of sheet XML (the 267 KB / 180 MB file of issue 7)."""

    def write(fh: object) -> None:
        fh.write(_HEAD + b"<sheetData>")  # type: ignore[attr-defined]
        row = b'<row><c t="inlineStr"><is><t>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</t></is></c></row>'
        chunk = row * (MB // len(row))
        for _ in range(unpacked // len(chunk)):
            fh.write(chunk)  # type: ignore[attr-defined]
        fh.write(b"</sheetData></worksheet>")  # type: ignore[attr-defined]

    return with_sheet(write)


def cell_bomb(rows: int = 1_000_000, cols: int = 10, *, dimension: bool = True) -> bytes:
    """``rows`` × ``cols`` cells (10 M by default), declared in the dimension or not."""

    def write(fh: object) -> None:
        fh.write(_HEAD)  # type: ignore[attr-defined]
        if dimension:
            fh.write(f'<dimension ref="A1:{chr(64 + cols)}{rows}"/>'.encode())  # type: ignore[attr-defined]
        fh.write(b"<sheetData>")  # type: ignore[attr-defined]
        cells = b"".join(b"<c><v>1</v></c>" for _ in range(cols))
        for _ in range(rows):
            fh.write(b"<row>" + cells + b"</row>")  # type: ignore[attr-defined]
        fh.write(b"</sheetData></worksheet>")  # type: ignore[attr-defined]

    return with_sheet(write)


def declared_huge() -> bytes:
    """A tiny sheet whose dimension claims the whole grid (A1:XFD1048576)."""

    def write(fh: object) -> None:
        fh.write(_HEAD + b'<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'  # type: ignore[attr-defined]
                 b"</sheetData></worksheet>")

    return with_sheet(write)


def many_members(count: int = 5000) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(count):
            zf.writestr(f"xl/x{i}.xml", "")
    return out.getvalue()
