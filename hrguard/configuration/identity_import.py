"""Bulk import of chat ids from a spreadsheet (.xlsx or .csv) through the platform reader (its caps on
size, rows, columns, cells and compression). Header row: 工号 and any of 企业微信 / 钉钉 / 飞书 (or
``employee_no``, ``wecom``, ``dingtalk``, ``feishu``). Every row is checked first; a file with any error
saves nothing and comes back with each error's row and column. Blank cells change nothing. A good file is
written in bulk (platform bulk insert), one transaction, one evidence event with the counts."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.evidence import services as evidence
from hrguard.notify.models import Channel, ChannelIdentity
from hrguard.people.models import Employee
from hrguard.platform import bulk, spreadsheets
from hrguard.platform.errors import require

from .channels import IMPORT_LIMITS, _clean_id

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


LOOKUP_CHUNK = 10_000  # employee numbers / ids per IN list (SQLite's variable limit is 32,766)
WRITE_CHUNK = 20_000  # rows per executemany: one statement for any file of up to this many ids


def _chunks(values: list[Any]) -> list[list[Any]]:
    return [values[i:i + LOOKUP_CHUNK] for i in range(0, len(values), LOOKUP_CHUNK)] or [[]]


def _check_rows(actor: User, rows: list[tuple[int, str, dict[str, str]]], result: ImportResult) -> dict[str, int]:
    """``{employee number: employee id}`` of the file's employees (one query per 10,000 numbers); unknown
    and repeated numbers into ``result`` with their row numbers."""
    numbers = sorted({no for _n, no, _v in rows if no})
    employees: dict[str, int] = {}
    for chunk in _chunks(numbers):
        employees.update(Employee.objects.filter(company_id=actor.company_id, employee_no__in=chunk)
                         .values_list("employee_no", "id"))
    seen: dict[str, int] = {}
    for number, employee_no, _values in rows:
        if employee_no and employee_no not in employees:
            result.errors.append((number, "工号", _("No employee with number %(no)s.") % {"no": employee_no}))
        if employee_no in seen:
            result.errors.append((number, "工号", _("Employee %(no)s is also on row %(row)s.")
                                  % {"no": employee_no, "row": seen[employee_no]}))
        seen.setdefault(employee_no, number)
    return employees


def _write(company_id: int, wanted: dict[tuple[int, str], str]) -> tuple[int, int, set[int]]:
    """Write ``{(employee id, channel): id}`` in bulk: the rows whose id changes are deleted by primary key
    (one statement) and written again with the new ones (one ``executemany`` through the platform bulk
    insert). Returns (ids added, ids changed, employees changed)."""
    current: dict[tuple[int, str], tuple[int, str]] = {}
    for chunk in _chunks(sorted({emp for emp, _c in wanted})):
        for pk, emp, channel, ext in ChannelIdentity.objects.filter(company_id=company_id, employee_id__in=chunk) \
                .values_list("id", "employee_id", "channel", "external_id"):
            current[(emp, channel)] = (pk, ext)
    stale: list[int] = []
    rows: list[dict[str, Any]] = []
    added = 0
    for (emp, channel), value in wanted.items():
        pk, before = current.get((emp, channel), (None, None))
        if before == value:
            continue
        if pk is None:
            added += 1
        else:
            stale.append(pk)
        rows.append({"employee_id": emp, "channel": channel, "external_id": value})
    for chunk in _chunks(stale):
        if chunk:
            ChannelIdentity.objects.filter(company_id=company_id, pk__in=chunk).delete()
    inserter = bulk.Inserter(ChannelIdentity, ["employee_id", "channel", "external_id"],
                             constants={"company_id": company_id}, chunk=WRITE_CHUNK)
    inserter.extend(rows)
    inserter.finish()
    return added, len(stale), {r["employee_id"] for r in rows}


def import_identities(*, actor: User, content: bytes, filename: str = "") -> ImportResult:
    """Check every row first (unknown or repeated 工号, bad ids: each error with its row and column); a file
    with any error writes nothing. A good file is written in bulk in one transaction — a fixed number of
    queries whatever its length — with one evidence event carrying the counts."""
    require(actor, "configuration.manage_identities")
    result = ImportResult()
    try:
        rows = _read(content, result)
    except spreadsheets.SpreadsheetError as exc:
        result.errors.append((0, "", str(exc)))
        return result
    result.rows = len(rows)
    employees = _check_rows(actor, rows, result)
    if result.errors:
        return result
    wanted = {(employees[no], channel): value for _n, no, values in rows for channel, value in values.items()}
    with transaction.atomic():
        added, changed, people = _write(actor.company_id, wanted)
        result.changed = len(people)
        evidence.record(actor.company_id, actor, "notify.identities_imported", None, {
            "file": filename[:200], "sha256": hashlib.sha256(content).hexdigest(), "rows": result.rows,
            "employees_changed": result.changed, "ids_added": added, "ids_changed": changed,
            "ids_unchanged": len(wanted) - added - changed})
    return result
