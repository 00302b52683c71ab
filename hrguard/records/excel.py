"""Excel export of activity records through the one writer (``platform.spreadsheets``: write-only,
formula escaping on every cell)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from hrguard.platform.spreadsheets import XLSX, escape, workbook

__all__ = ["XLSX", "escape", "response", "workbook"]


def response(filename: str, title: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    resp = HttpResponse(workbook(title, headers, rows), content_type=XLSX)
    resp["Content-Disposition"] = content_disposition_header(True, filename)
    return resp
