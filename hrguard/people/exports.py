"""Excel files of the roster: the filtered employee list, the import template and the import error report.

All written by the one writer (``platform.spreadsheets.Writer``: write-only, constant memory for
100,000 rows, formula escaping on every cell). The export uses the same columns as the import, so an
exported file can be edited and imported again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.evidence.services import record
from hrguard.platform import spreadsheets
from hrguard.platform.errors import require
from hrguard.platform.spreadsheets import XLSX  # noqa: F401 - the views use exports.XLSX

from . import selectors
from .imports import COLUMNS, ImportReport
from .models import EmployeeStatus, EmploymentForm, IdType
from .services import REVEALABLE, mask

EXPORT_FIELDS = (
    "employee_no", "name", "gender", "birth_date", "department", "position", "hire_date", "work_start_date",
    "status", "employment_form", "id_type", "id_number", "phone", "email", "work_location", "address",
    "emergency_contact", "bank_account",
)
_LABELS: dict[str, dict[str, str]] = {
    "gender": {"M": "男", "F": "女", "": ""},
    "status": {EmployeeStatus.PENDING: "待入职", EmployeeStatus.PROBATION: "试用期", EmployeeStatus.ACTIVE: "在职",
               EmployeeStatus.LEAVING: "待离职", EmployeeStatus.LEFT: "已离职"},
    "employment_form": {EmploymentForm.FULL_TIME: "全职", EmploymentForm.INTERN: "实习",
                        EmploymentForm.PART_TIME: "兼职", EmploymentForm.DISPATCHED: "劳务派遣",
                        EmploymentForm.OUTSOURCED: "外包"},
    "id_type": {IdType.RESIDENT: "居民身份证", IdType.HK_MACAU_RESIDENCE: "港澳居民居住证",
                IdType.TAIWAN_RESIDENCE: "台湾居民居住证", IdType.FOREIGN_PERMANENT: "外国人永久居留身份证",
                IdType.FOREIGN_WORK_PERMIT: "外国人工作许可证", IdType.PASSPORT: "护照"},
}


# Column widths in Excel character units (CJK characters count about two), by field.
WIDTHS: dict[str, int] = {
    "employee_no": 12, "name": 12, "gender": 6, "birth_date": 12, "department": 18, "position": 16,
    "hire_date": 12, "work_start_date": 14, "status": 10, "employment_form": 10, "id_type": 16,
    "id_number": 22, "phone": 15, "email": 26, "work_location": 14, "address": 36, "emergency_contact": 22,
    "bank_account": 24,
}


def headers(fields: Sequence[str] = EXPORT_FIELDS) -> list[str]:
    return [COLUMNS[f][0] for f in fields]


def may_unmask(user: User) -> bool:
    return user.has_perm("people.export_employees_unmasked")


def export_employees(user: User, flt: selectors.EmployeeFilter, *, unmasked: bool = False) -> tuple[IO[bytes], int]:
    """The employees the user may see, filtered like the list page. Sensitive fields are masked unless
    ``unmasked`` is asked for by a role that may read them; every export is written to the evidence
    log (with the filter, the row count and whether sensitive data left unmasked)."""
    require(user, "people.export_employees")
    unmasked = unmasked and may_unmask(user)
    sheet = spreadsheets.Writer(_("Roster"), headers(), [WIDTHS[f] for f in EXPORT_FIELDS])
    count = 0
    rows = selectors.employee_list(user, flt)
    for employee in rows.iterator(chunk_size=2000):
        values = []
        for name in EXPORT_FIELDS:
            value = getattr(employee, name)
            if name in ("department", "position"):
                value = value.name if value is not None else ""
            elif name in _LABELS:
                value = _LABELS[name].get(value, value)
            elif name in REVEALABLE and not unmasked:
                value = mask(value, name)
            values.append(value)
        sheet.add(values)
        count += 1
    with transaction.atomic():
        record(
            user.company_id, user, "employee.exported", None,
            {"rows": count, "unmasked_sensitive": unmasked,
             "unmasked_fields": list(REVEALABLE) if unmasked else [], "filter": {
                "q": flt.q, "department": flt.department, "status": flt.status, "position": flt.position}},
        )
    return sheet.save(), count


def import_template() -> IO[bytes]:
    """An empty roster with the expected headers and one example row."""
    sheet = spreadsheets.Writer(_("Roster"), headers(), [WIDTHS[f] for f in EXPORT_FIELDS])
    sheet.add([
        "E0001", "张三", "男", dt.date(1990, 3, 7), "销售部", "客户经理", dt.date(2025, 3, 1), dt.date(2012, 7, 1),
        "试用期", "全职", "居民身份证", "110105199003071239", "13800138000", "zhangsan@example.com", "上海",
        "", "", "",
    ])
    return sheet.save()


def error_report(report: ImportReport) -> IO[bytes]:
    """行号 | 列 | 问题: one line per problem, file-level problems first."""
    sheet = spreadsheets.Writer(_("Import errors"), [_("Row"), _("Column"), _("Problem")], [8, 16, 80])
    for message in report.file_errors:
        sheet.add(["", "", message])
    for err in report.errors:
        sheet.add([err.row, err.column, err.message])
    return sheet.save()
