"""Bulk import of chat ids from a spreadsheet (.xlsx or .csv) through the platform reader (its caps on
size, rows, columns, cells and compression). Header row: 工号 and any of 企业微信 / 钉钉 / 飞书 (or
``employee_no``, ``wecom``, ``dingtalk``, ``feishu``). Every row is checked first; a file with any error
saves nothing and comes back with each error's row and column. Blank cells change nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.evidence import services as evidence
from hrguard.notify.models import Channel
from hrguard.people.models import Employee
from hrguard.platform import spreadsheets
from hrguard.platform.errors import require

from .channels import IMPORT_LIMITS, _apply, _clean_id

HEADERS = {
    "工号": "employee_no", "employee_no": "employee_no", "员工编号": "employee_no",
    "企业微信": Channel.WECOM, "wecom": Channel.WECOM, "钉钉": Channel.DINGTALK, "dingtalk": Channel.DINGTALK,
    "飞书": Channel.FEISHU, "feishu": Channel.FEISHU,
}


@dataclass
class ImportResult:
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, message)
    changed: int = 0  # employees whose ids changed
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _header(cells: list[Any], result: ImportResult) -> dict[int, str]:
    columns: dict[int, str] = {}
    for index, cell in enumerate(cells):
        key = HEADERS.get(str(cell or "").strip().lower()) or HEADERS.get(str(cell or "").strip())
        if key:
            columns[index] = key
    names = set(columns.values())
    if "employee_no" not in names:
        result.errors.append((1, "工号", _("The first row must name the columns; 工号 is missing.")))
    if not names - {"employee_no"}:
        result.errors.append((1, "", _("No chat id column (企业微信, 钉钉 or 飞书) in the first row.")))
    return columns


def _read(content: bytes, result: ImportResult) -> list[tuple[int, str, dict[str, str]]]:
    """(row number, employee number, {channel: id}) of every data row; errors into ``result``."""
    rows: list[tuple[int, str, dict[str, str]]] = []
    reader = spreadsheets.open_rows(content, IMPORT_LIMITS)
    columns: dict[int, str] | None = None
    labels = {Channel.WECOM: "企业微信", Channel.DINGTALK: "钉钉", Channel.FEISHU: "飞书"}
    for number, cells in enumerate(reader, start=1):
        if columns is None:
            columns = _header(cells, result)
            if result.errors:
                return []
            continue
        if not any(str(c or "").strip() for c in cells):
            continue
        values: dict[str, str] = {}
        employee_no = ""
        for index, key in columns.items():
            raw = cells[index] if index < len(cells) else None
            value, error = _clean_id(raw)
            if key == "employee_no":
                employee_no = value
                if not value:
                    result.errors.append((number, "工号", _("The employee number is empty.")))
            elif error:
                result.errors.append((number, labels[key], error))
            elif value:
                values[key] = value
        rows.append((number, employee_no, values))
    if columns is None:
        result.errors.append((1, "", _("The file is empty.")))
    return rows


def import_identities(*, actor: User, content: bytes, filename: str = "") -> ImportResult:
    require(actor, "configuration.manage_identities")
    result = ImportResult()
    try:
        rows = _read(content, result)
    except spreadsheets.SpreadsheetError as exc:
        result.errors.append((0, "", str(exc)))
        return result
    result.rows = len(rows)
    numbers = {no for _n, no, _v in rows if no}
    employees = {e.employee_no: e for e in Employee.objects.filter(company_id=actor.company_id,
                                                                   employee_no__in=list(numbers))}
    seen: dict[str, int] = {}
    for number, employee_no, _values in rows:
        if employee_no and employee_no not in employees:
            result.errors.append((number, "工号", _("No employee with number %(no)s.") % {"no": employee_no}))
        if employee_no in seen:
            result.errors.append((number, "工号", _("Employee %(no)s is also on row %(row)s.")
                                  % {"no": employee_no, "row": seen[employee_no]}))
        seen.setdefault(employee_no, number)
    if result.errors:
        return result
    with transaction.atomic():
        for _number, employee_no, values in rows:
            if _apply(actor.company_id, employees[employee_no], values):
                result.changed += 1
        evidence.record(actor.company_id, actor, "notify.identities_imported", None, {
            "file": filename[:200], "sha256": hashlib.sha256(content).hexdigest(), "rows": result.rows,
            "employees_changed": result.changed})
    return result
