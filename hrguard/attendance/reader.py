"""Reading a clock's export (CSV or Excel) into raw punch rows, using the device profile's column mapping.

Columns are found by header text ("工号") or by 1-based position ("1"). The file goes through the one
guarded streaming reader (``platform.spreadsheets``): CSV in UTF-8 (with or without BOM), UTF-16 or
GB18030 (Chinese Windows exports), or .xlsx, with caps on unpacked size, rows, columns and cells."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hrguard.platform import spreadsheets

from .models import PunchDeviceProfile

DEFAULT_MAX_ROWS = 1_000_000


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


def limits() -> spreadsheets.Limits:
    """Caps for a clock's export, checked before and while parsing (see platform.spreadsheets)."""
    return spreadsheets.Limits(
        rows=int(getattr(settings, "HRGUARD_PUNCH_MAX_ROWS", DEFAULT_MAX_ROWS)), columns=64, cells=4_000_000,
        unpacked_bytes=int(getattr(settings, "HRGUARD_PUNCH_MAX_UNPACKED_BYTES", 256 * 1024 * 1024)),
    )


def _rows(data: bytes) -> Iterator[list[Any]]:
    try:
        yield from spreadsheets.open_rows(data, limits())
    except spreadsheets.SpreadsheetError as exc:
        raise ValidationError({"file": str(exc)}) from None


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
    rows = _rows(data)
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
