"""The one spreadsheet reader and writer (.xlsx and .csv) of every import and export.

Reading (``open_rows``) is streaming and guarded, for files nobody should trust:

* the type is decided by content (zip with ``xl/workbook.xml`` → xlsx; text → csv; old .xls, PDFs,
  images, programs are refused with a message saying what to do);
* an .xlsx is checked BEFORE parsing from its zip directory: number of members, declared unpacked
  size of each member and of all of them, and the compression ratio (a zip bomb is refused in
  milliseconds). Python's ``zipfile`` stops at the declared size while inflating, so a member that
  lies about its size fails its CRC instead of growing;
* the sheet's declared dimension is checked before the first row, and rows, columns and cells are
  counted WHILE parsing (openpyxl read-only mode: one row in memory at a time; XML through
  defusedxml, which openpyxl uses when it is installed);
* CSV is decoded incrementally (UTF-8 with or without BOM, UTF-16 with BOM, else GB18030 as written
  by Chinese Excel/WPS) and read row by row under the same caps.

Writing (``Writer``) uses openpyxl's write-only mode into a spooled temporary file, text cells forced
to strings, and every text that starts with = + - @ tab or CR prefixed with an apostrophe so that
Excel / WPS show it as text and never evaluate it (formula injection, OWASP "CSV injection")."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import struct
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
MB = 1024 * 1024
_ZIP = b"PK\x03\x04"
_EOCD = b"PK\x05\x06"
_BINARY_MAGIC = {
    b"\xd0\xcf\x11\xe0": "xls",
    b"%PDF": "pdf",
    b"\x89PNG": "image",
    b"\xff\xd8\xff": "image",
    b"GIF8": "image",
    b"MZ": "program",
    b"\x7fELF": "program",
}


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (type, encoding, damage, a cap crossed). The message is
    for the user (translated)."""


@dataclass(frozen=True)
class Limits:
    """Caps for one kind of import. ``rows`` counts every row of the sheet (blank ones too)."""

    rows: int
    columns: int = 256
    cells: int = 2_000_000
    unpacked_bytes: int = 64 * MB
    ratio: int = 100  # unpacked / compressed, per zip member larger than RATIO_FLOOR
    members: int = 500


RATIO_FLOOR = 256 * 1024  # tiny members (styles, rels) may compress far better without harm


# --- type and archive checks ---------------------------------------------------------------------


def kind_of(content: bytes) -> str:
    """"xlsx" or "csv" by content; raises SpreadsheetError for anything else."""
    if not content.strip():
        raise SpreadsheetError(_("The file is empty."))
    if content[:4] == _ZIP:
        return "xlsx"
    for magic, kind in _BINARY_MAGIC.items():
        if content.startswith(magic):
            if kind == "xls":
                raise SpreadsheetError(
                    _("Old Excel 97-2003 files (.xls) are not supported: save the file as .xlsx and upload again.")
                )
            raise SpreadsheetError(_("This file is not a spreadsheet (.xlsx or .csv)."))
    head = content[:4096]
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")) and any(b < 9 or 13 < b < 32 for b in head if b != 27):
        raise SpreadsheetError(_("This file is not a spreadsheet (.xlsx or .csv)."))
    return "csv"


def _too_large() -> SpreadsheetError:
    return SpreadsheetError(
        _("The workbook is too large once unpacked (or compressed suspiciously strongly): "
          "split it into smaller files or save it as CSV.")
    )


def _member_count(content: bytes) -> int | None:
    """Entries announced by the zip's end-of-central-directory record, read before ``zipfile``
    builds one object per entry. None when there is no plain record (damaged, or zip64)."""
    at = content.rfind(_EOCD, max(0, len(content) - 65_557))
    if at < 0 or len(content) < at + 22:
        return None
    total = struct.unpack_from("<H", content, at + 10)[0]
    return None if total == 0xFFFF else total


def check_archive(content: bytes, limits: Limits) -> None:
    """Refuse a workbook whose zip directory announces too much, before anything is inflated."""
    damaged = SpreadsheetError(_("The file is damaged (not a readable .xlsx workbook)."))
    count = _member_count(content)
    if count is None:
        raise damaged
    if count > limits.members:
        raise _too_large()
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise damaged from exc
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise SpreadsheetError(_("This is not an Excel workbook (.xlsx). Save the file as .xlsx or .csv."))
    total = 0
    for info in infos:
        total += info.file_size
        ratio_bad = info.file_size > RATIO_FLOOR and info.file_size > limits.ratio * max(info.compress_size, 1)
        if ratio_bad or total > limits.unpacked_bytes:
            raise _too_large()


# --- reading ---------------------------------------------------------------------------------------


class Rows:
    """An iterator over the rows of the first sheet (lists of cell values), guarded by ``limits``.
    ``estimate`` is the expected number of rows (for a progress bar), or None when unknown."""

    def __init__(self, content: bytes, limits: Limits) -> None:
        self.kind = kind_of(content)
        self.limits = limits
        self.count = 0
        self.cells = 0
        if self.kind == "xlsx":
            check_archive(content, limits)
            self.estimate: int | None = None
            self._source = self._xlsx(content)
        else:
            self.estimate = content.count(b"\n") + 1
            self._source = self._csv(content)

    def __iter__(self) -> Iterator[list[Any]]:
        limits = self.limits
        for values in self._source:
            self.count += 1
            self.cells += len(values)
            if self.count > limits.rows:
                raise SpreadsheetError(
                    _("The sheet has more than %(n)d rows: split the file and import it in parts.") % {"n": limits.rows}
                )
            if len(values) > limits.columns:
                raise SpreadsheetError(self._columns_message())
            if self.cells > limits.cells:
                raise SpreadsheetError(
                    _("The sheet has more than %(n)d cells: split the file and import it in parts.")
                    % {"n": limits.cells}
                )
            yield values

    def _columns_message(self) -> str:
        return _("The sheet has more than %(n)d columns: delete the unused columns and upload again.") % {
            "n": self.limits.columns
        }

    def _xlsx(self, content: bytes) -> Iterator[list[Any]]:
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
        except Exception as exc:  # openpyxl raises many types on damaged files
            raise SpreadsheetError(_("The file is damaged (not a readable .xlsx workbook).")) from exc
        try:
            if not book.worksheets:
                raise SpreadsheetError(_("The workbook has no sheet."))
            sheet = book.worksheets[0]
            self._check_dimension(sheet.max_row, sheet.max_column)
            self.estimate = sheet.max_row
            try:
                for values in sheet.iter_rows(values_only=True):
                    yield list(values)
            except SpreadsheetError:
                raise
            except Exception as exc:  # damaged XML inside the zip, or forbidden XML entities
                raise SpreadsheetError(_("The file is damaged (not a readable .xlsx workbook).")) from exc
        finally:
            book.close()

    def _check_dimension(self, max_row: Any, max_column: Any) -> None:
        """The sheet's declared size (``<dimension ref="A1:R20001">``), when present: refused before the
        first row is parsed. What it does not declare is counted while parsing."""
        rows, cols = (int(max_row or 0), int(max_column or 0))
        if cols > self.limits.columns:
            raise SpreadsheetError(self._columns_message())
        if rows > self.limits.rows:
            raise SpreadsheetError(
                _("The sheet has more than %(n)d rows: split the file and import it in parts.")
                % {"n": self.limits.rows}
            )
        if rows * cols > self.limits.cells:
            raise SpreadsheetError(
                _("The sheet has more than %(n)d cells: split the file and import it in parts.")
                % {"n": self.limits.cells}
            )

    def _csv(self, content: bytes) -> Iterator[list[Any]]:
        encoding, skip = text_encoding(content)
        stream = io.TextIOWrapper(io.BytesIO(content[skip:]), encoding=encoding, errors="strict", newline="")
        sample = content[skip : skip + 4096].decode(encoding, errors="ignore").split("\n", 1)[0]
        delimiter = max((",", "\t", ";"), key=sample.count)
        try:
            yield from csv.reader(stream, delimiter=delimiter)
        except UnicodeDecodeError as exc:
            raise SpreadsheetError(
                _("Cannot read the text encoding: save the file as UTF-8 CSV or .xlsx.")
            ) from exc
        except csv.Error as exc:  # e.g. a field over the csv module's size limit
            raise SpreadsheetError(_("The CSV file is damaged: %(e)s") % {"e": str(exc)[:100]}) from exc


def text_encoding(content: bytes) -> tuple[str, int]:
    """(codec, bytes to skip) for a text file: BOMs first, then UTF-8 if every byte decodes
    (checked in chunks, nothing kept), else GB18030 (a superset of GBK)."""
    if content.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", 0
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(content), MB):
            decoder.decode(content[start : start + MB], final=start + MB >= len(content))
    except UnicodeDecodeError:
        return "gb18030", 0
    return "utf-8", 0


def open_rows(content: bytes, limits: Limits) -> Rows:
    """The guarded row iterator for an uploaded spreadsheet (raises SpreadsheetError on type and
    archive problems at once; on row, column and cell caps while iterating)."""
    return Rows(content, limits)


# --- writing ---------------------------------------------------------------------------------------


def escape(value: Any) -> Any:
    """A cell value that Excel / WPS show as data, never run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, int | float | Decimal | dt.date | dt.time):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS_START) else text


class Writer:
    """One sheet, bold header row frozen in view, an auto filter over the data, optional column widths
    (Excel character units; a CJK character counts about two); constant memory (write-only), spooled
    to disk past 8 MB."""

    def __init__(self, title: str, headers: Sequence[Any], widths: Sequence[int] = ()) -> None:
        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet(title=str(title)[:31])
        self.sheet.freeze_panes = "A2"  # the header stays in view while scrolling
        for index, width in enumerate(widths, start=1):  # must precede the first row in write-only mode
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.columns, self.rows = len(headers), 1
        bold = Font(bold=True)
        cells = []
        for header in headers:
            cell = WriteOnlyCell(self.sheet, value=escape(str(header)))
            cell.font = bold
            cells.append(cell)
        self.sheet.append(cells)

    def add(self, values: Iterable[Any]) -> None:
        cells = []
        for value in values:
            cell = WriteOnlyCell(self.sheet, value=escape(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a string, whatever it looks like
            elif isinstance(value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        self.sheet.append(cells)
        self.rows += 1

    def save(self) -> IO[bytes]:
        if self.columns:
            self.sheet.auto_filter.ref = f"A1:{get_column_letter(self.columns)}{self.rows}"
        out = tempfile.SpooledTemporaryFile(max_size=8 * MB)
        self.book.save(out)
        out.seek(0)
        return out

    def getvalue(self) -> bytes:
        with self.save() as out:
            return out.read()


def workbook(title: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    writer = Writer(title, headers)
    for row in rows:
        writer.add(row)
    return writer.getvalue()
