"""Shifts (班次) and their assignment to employees."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hrguard.core.models import Company, User
from hrguard.evidence import services as evidence
from hrguard.people.models import Employee
from hrguard.platform.errors import require
from hrguard.records.inputs import Errors, as_int

from .models import Shift, ShiftAssignment

_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")
DEFAULT_SHIFT = {"name": "标准班", "start_time": dt.time(9, 0), "end_time": dt.time(18, 0)}


def default_shift(company_id: int) -> Shift:
    """The company's default shift (created as 09:00–18:00 with a 1-hour break when there is none)."""
    shift = Shift.objects.filter(company_id=company_id, is_default=True).first()
    if shift is None:
        shift = Shift(company_id=company_id, is_default=True, **DEFAULT_SHIFT)
        shift.derive_minutes()
        try:
            with transaction.atomic():
                shift.save()
        except IntegrityError:  # created concurrently (or the name exists): use what is there
            shift = Shift.objects.filter(company_id=company_id, is_default=True).first() or Shift.objects.get(
                company_id=company_id, name=DEFAULT_SHIFT["name"]
            )
    return shift


def _time(errors: Errors, value: Any, field: str) -> dt.time | None:
    if isinstance(value, dt.time):
        return value
    match = _TIME.match(str(value or "").strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        errors.add(field, _("Not a valid time (expected HH:MM)."))
        return None
    return dt.time(int(match.group(1)), int(match.group(2)))


def _minutes(errors: Errors, value: Any, field: str, default: int, high: int = 600) -> int:
    if value in (None, ""):
        return default
    number = as_int(value)
    if number is None or not 0 <= number <= high:
        errors.add(field, _("Enter whole minutes between 0 and %(n)d.") % {"n": high})
        return default
    return number


@transaction.atomic
def save_shift(actor: User, company: Company, data: dict[str, Any], instance: Shift | None = None) -> Shift:
    require(actor, "attendance.manage_attendance")
    if actor.company_id != company.pk or (instance and instance.company_id != company.pk):
        raise ValidationError(_("You can only change your own company's shifts."))
    errors = Errors()
    name = errors.text(data.get("name"), "name", max_length=60, required=True)
    start = _time(errors, data.get("start_time"), "start_time")
    end = _time(errors, data.get("end_time"), "end_time")
    shift = instance or Shift(company=company)
    shift.break_minutes = _minutes(errors, data.get("break_minutes"), "break_minutes", shift.break_minutes)
    shift.grace_minutes = _minutes(errors, data.get("grace_minutes"), "grace_minutes", shift.grace_minutes, 120)
    shift.overtime_threshold_minutes = _minutes(
        errors, data.get("overtime_threshold_minutes"), "overtime_threshold_minutes",
        shift.overtime_threshold_minutes, 240,
    )
    if start and end and start == end:
        errors.add("end_time", _("The shift must end at a different time than it starts."))
    if name and Shift.objects.filter(company=company, name=name).exclude(pk=shift.pk).exists():
        errors.add("name", _("A shift with this name already exists."))
    errors.raise_if_any()
    shift.name, shift.start_time, shift.end_time = name, start, end
    shift.derive_minutes()
    if shift.scheduled_minutes <= 0:
        raise ValidationError({"break_minutes": _("The break is longer than the shift.")})
    make_default = bool(data.get("is_default"))
    if make_default and not shift.is_default:
        Shift.objects.filter(company=company, is_default=True).update(is_default=False)
        shift.is_default = True
    shift.save()
    evidence.record(
        company, actor, "shift.saved", shift,
        {"title": shift.name, "start": shift.start_time, "end": shift.end_time, "break": shift.break_minutes,
         "grace": shift.grace_minutes, "default": shift.is_default},
    )
    return shift


@transaction.atomic
def assign_shift(actor: User, employee: Employee, shift: Shift) -> ShiftAssignment:
    """Takes effect for punches imported from now on and for days recomputed from now on."""
    require(actor, "attendance.manage_attendance")
    if not (actor.company_id == employee.company_id == shift.company_id):
        raise ValidationError(_("Employee and shift must belong to your company."))
    row, _created = ShiftAssignment.objects.update_or_create(
        employee=employee, defaults={"company_id": employee.company_id, "shift": shift}
    )
    evidence.record(
        employee.company, actor, "shift.assigned", row, {"title": shift.name}, employee=employee
    )
    return row


def boundaries(company_id: int) -> tuple[dict[int, int], int]:
    """Per employee id, the boundary minute of their assigned shift; and the default shift's."""
    fallback = default_shift(company_id).boundary_minute
    assigned = dict(
        ShiftAssignment.objects.filter(company_id=company_id).values_list("employee_id", "shift__boundary_minute")
    )
    return assigned, fallback
