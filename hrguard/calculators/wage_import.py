"""Reading a wage sheet (工号 | 年月 | 应发工资) through the platform spreadsheet reader: every row checked, errors
by row and column, nothing kept from a file with errors."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from hrguard.law.worked import MAX_MONEY
from hrguard.people.selectors import visible_employees
from hrguard.platform.spreadsheets import Limits, SpreadsheetError, open_rows

LIMITS = Limits(rows=50_001, columns=20, cells=500_000, unpacked_bytes=32 * 1024 * 1024)
HEADERS = {
    "employee_no": ("工号", "员工编号", "employee number", "employee_no"),
    "month": ("年月", "月份", "工资月份", "month"),
    "amount": ("应发工资", "工资", "月工资", "wages", "amount"),
}
MONTH_RE = re.compile(r"^\s*(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))\s*$")
MAX_ERRORS = 200


@dataclass(frozen=True)
class WageRow:
    line: int
    employee_id: int
    year: int
    month: int
    amount: Decimal


@dataclass
class ImportReport:
    rows: list[WageRow] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, message)
    saved: int = 0


def parse_month(value: Any) -> tuple[int, int] | None:
    if isinstance(value, dt.date | dt.datetime):
        return value.year, value.month
    match = MONTH_RE.match(str(value or ""))
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2) or match.group(3))
    return (year, month) if 1990 <= year <= 2200 and 1 <= month <= 12 else None


def parse_amount(value: Any) -> Decimal | None:
    text = str(value if value is not None else "").replace(",", "").replace("¥", "").replace("元", "").strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0 or amount > MAX_MONEY:
        return None
    return amount.quantize(Decimal("0.01"))


def _columns(header: list[Any]) -> dict[str, int] | None:
    names = [str(h or "").strip().lower() for h in header]
    found = {}
    for key, options in HEADERS.items():
        for i, name in enumerate(names):
            if name in {o.lower() for o in options}:
                found[key] = i
                break
    return found if len(found) == len(HEADERS) else None


def _cell(values: list[Any], index: int) -> Any:
    return values[index] if index < len(values) else None


def parse_wage_rows(actor: Any, content: bytes) -> ImportReport:
    report = ImportReport()
    try:
        rows = iter(open_rows(content, LIMITS))
        header = next(rows, None)
        columns = _columns(header or [])
        if columns is None:
            report.errors.append((1, "", _("The first row must name the columns 工号, 年月 and 应发工资.")))
            return report
        raw = [(line, values) for line, values in enumerate(rows, start=2) if any(v not in (None, "") for v in values)]
    except SpreadsheetError as exc:
        report.errors.append((0, "", str(exc)))
        return report
    numbers = {str(_cell(v, columns["employee_no"]) or "").strip() for _line, v in raw}
    ids = dict(visible_employees(actor).filter(employee_no__in=numbers - {""}).values_list("employee_no", "pk"))
    seen: set[tuple[int, int, int]] = set()
    for line, values in raw:
        number = str(_cell(values, columns["employee_no"]) or "").strip()
        month = parse_month(_cell(values, columns["month"]))
        amount = parse_amount(_cell(values, columns["amount"]))
        problems = []
        if number not in ids:
            problems.append(("工号", _("No employee with this number.")))
        if month is None:
            problems.append(("年月", _("Enter the month as 2025-03.")))
        if amount is None:
            problems.append(("应发工资", _("Enter an amount of 0 or more (yuan).")))
        if not problems:
            assert month is not None and amount is not None
            key = (ids[number], *month)
            if key in seen:
                problems.append(("年月", _("This employee's month appears twice in the file.")))
            seen.add(key)
        if problems:
            report.errors.extend((line, column, message) for column, message in problems)
            if len(report.errors) >= MAX_ERRORS:
                break
            continue
        report.rows.append(WageRow(line, ids[number], month[0], month[1], amount))  # type: ignore[index,arg-type]
    return report
