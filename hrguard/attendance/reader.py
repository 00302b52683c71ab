"""Reading a clock's export (CSV or Excel) into raw punch rows, using the device profile's column mapping.

Columns are found by header text ("工号") or by 1-based position ("1"). CSV text may be UTF-8 (with or
without BOM) or GB18030 (Chinese Windows exports)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import IO, Any, NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import PunchDeviceProfile

XLSX_MAGIC = b"PK\x03\x04"


class RawPunch(NamedTuple):
    line: int
    employee_no: Any
    when: Any = None  # date-time cell/text
    date: Any = None  # or separate date and time cells
    time: Any = None
    direction: Any = ""


def default_profile_values() -> dict[str, Any]:
    """The generic layout users know: 工号 | 时间 | 类型."""
    return {
        "name": "通用格式（工号 | 时间 | 类型）",
        "employee_column": "工号",
        "datetime_column": "时间",
        "direction_column": "类型",
        "has_header": True,
    }


def _rows_csv(data: bytes) -> Iterator[list[Any]]:
    head = data[:65536]
    encoding = "utf-8-sig"
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not merely a character cut at the sample's end
            encoding = "gb18030"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise ValidationError({"file": _("The file is not UTF-8 or GB18030 text, nor an Excel workbook.")}) from None
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def _rows_xlsx(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise ValidationError({"file": _("The Excel file could not be read.")}) from None
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()


def _column(spec: str, header: list[str] | None, label: str, required: bool) -> int | None:
    spec = (spec or "").strip()
    if not spec:
        if required:
            raise ValidationError(
                {"profile": _("The device profile does not say which column holds %(c)s.") % {"c": label}}
            )
        return None
    if spec.isdigit():
        return int(spec) - 1
    if header is None:
        raise ValidationError(
            {"profile": _("Without a header row, columns must be given by number (1, 2, …): %(c)s") % {"c": spec}}
        )
    cleaned = [str(h or "").strip() for h in header]
    if spec in cleaned:
        return cleaned.index(spec)
    raise ValidationError(
        {"file": _("Column “%(c)s” was not found in the header row (found: %(found)s).")
         % {"c": spec, "found": "、".join(h for h in cleaned if h)[:200]}}
    )


def read_punch_file(profile: PunchDeviceProfile, stream: IO[bytes] | bytes) -> Iterator[RawPunch]:
    """Yield raw rows (line numbers as the user sees them in the file). Header problems raise at once."""
    data = stream if isinstance(stream, bytes) else stream.read()
    rows = _rows_xlsx(data) if data[:4] == XLSX_MAGIC else _rows_csv(data)
    header: list[str] | None = None
    line = 0
    if profile.has_header:
        for first in rows:
            line += 1
            if any(str(c or "").strip() for c in first):
                header = [str(c or "") for c in first]
                break
        if header is None:
            raise ValidationError({"file": _("The file is empty.")})
    emp = _column(profile.employee_column, header, _("employee number"), True)
    when = _column(profile.datetime_column, header, _("date-time"), False)
    date = _column(profile.date_column, header, _("date"), when is None)
    time = _column(profile.time_column, header, _("time"), when is None)
    direction = _column(profile.direction_column, header, _("in/out"), False)

    def cell(row: list[Any], index: int | None) -> Any:
        return row[index] if index is not None and index < len(row) else None

    for row in rows:
        line += 1
        if not any(c not in (None, "") and str(c).strip() for c in row):
            continue
        yield RawPunch(
            line=line, employee_no=cell(row, emp), when=cell(row, when), date=cell(row, date),
            time=cell(row, time), direction=cell(row, direction) or "",
        )
