"""Leave requests (请假), balances. Each change: one transaction, permission check, validation of every
field at once, an evidence event on the employee's timeline. Approval runs on the process engine
(template ``leave.request``) through ``hrguard.records.processes``; its action ``leave.apply_outcome``
calls ``apply_outcome`` here, the one writer of the request's status."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.attendance.calendar import count_days
from hrguard.attendance.compute import recompute_days
from hrguard.attendance.models import DayKind
from hrguard.core.models import User
from hrguard.evidence import services as evidence
from hrguard.people.models import Employee
from hrguard.platform.errors import require
from hrguard.records import processes
from hrguard.records.inputs import Errors

from . import statutory
from .models import LeaveBalance, LeaveRequest, LeaveStatus, LeaveType

# Kinds whose days are drawn from a balance (annual leave: statutory; time off in lieu: earned).
BALANCED_TYPES = frozenset({LeaveType.ANNUAL, LeaveType.COMPENSATORY})
ACTIVE_STATUSES = (LeaveStatus.PENDING, LeaveStatus.APPROVED)
MAX_SPAN_DAYS = 400
TEMPLATE = "leave.request"  # the approval process (hrguard.workflows.defaults)


def _used(employee_id: int, leave_type: str, year: int, exclude_pk: int | None = None) -> Decimal:
    qs = LeaveRequest.objects.filter(
        employee_id=employee_id, leave_type=leave_type, status__in=ACTIVE_STATUSES, start_date__year=year
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.aggregate(total=Sum("days"))["total"] or Decimal(0)


def ensure_annual_balance(employee: Employee, year: int) -> LeaveBalance:
    """The employee's annual-leave balance row for ``year``, created with the statutory entitlement."""
    balance = LeaveBalance.objects.filter(employee=employee, leave_type=LeaveType.ANNUAL, year=year).first()
    if balance is None:
        days, basis = statutory.annual_leave_entitlement(employee, year)
        balance, _created = LeaveBalance.objects.get_or_create(
            employee=employee, leave_type=LeaveType.ANNUAL, year=year,
            defaults={"company_id": employee.company_id, "entitled_days": days, "basis": basis[:300]},
        )
    return balance


def available_days(employee: Employee, leave_type: str, year: int, exclude_pk: int | None = None) -> Decimal:
    if leave_type == LeaveType.ANNUAL:
        balance: LeaveBalance | None = ensure_annual_balance(employee, year)
    else:
        balance = LeaveBalance.objects.filter(employee=employee, leave_type=leave_type, year=year).first()
    total = (balance.entitled_days + balance.adjustment_days) if balance else Decimal(0)
    return total - _used(employee.pk, leave_type, year, exclude_pk)


def leave_days(company_id: int, leave_type: str, start: dt.date, end: dt.date) -> Decimal:
    """Days a request takes: workdays of the company calendar, or calendar days where the statute says
    so (e.g. maternity leave includes rest days and holidays)."""
    if statutory.counts_calendar_days(leave_type):
        return Decimal((end - start).days + 1)
    return Decimal(count_days(company_id, start, end, (DayKind.WORKDAY,)))


@transaction.atomic
def request_leave(actor: User, employee: Employee, data: dict[str, Any]) -> LeaveRequest:
    """An employee asks for leave (or HR files it for them). Refused, with every reason, when the dates
    overlap existing leave or the days exceed the balance."""
    employee = Employee.objects.select_for_update().get(pk=employee.pk)  # serialises overlap checks
    require(actor, "leave.request_leave", employee)
    errors = Errors()
    leave_type = errors.choice(data.get("leave_type"), "leave_type", LeaveType)
    start = errors.date(data.get("start_date"), "start_date")
    end = errors.date(data.get("end_date"), "end_date")
    reason = errors.text(data.get("reason"), "reason", max_length=500)
    days = Decimal(0)
    if start and end:
        if end < start:
            errors.add("end_date", _("The last day is before the first day."))
        elif (end - start).days > MAX_SPAN_DAYS:
            errors.add("end_date", _("A single request can cover at most %(n)d days.") % {"n": MAX_SPAN_DAYS})
        elif start < employee.hire_date:
            errors.add("start_date", _("The first day is before the employee's hire date."))
        else:
            clash = (
                LeaveRequest.objects.filter(
                    employee=employee, status__in=ACTIVE_STATUSES, start_date__lte=end, end_date__gte=start
                ).order_by("start_date").first()
            )
            if clash is not None:
                errors.add("start_date", _(
                    "These dates overlap your %(type)s from %(start)s to %(end)s (%(status)s)."
                ) % {"type": clash.get_leave_type_display(), "start": clash.start_date, "end": clash.end_date,
                     "status": clash.get_status_display()})
            elif leave_type:
                days = leave_days(employee.company_id, leave_type, start, end)
                if days <= 0:
                    errors.add("end_date", _("The chosen dates contain no workdays."))
    if leave_type and start and end and "end_date" not in errors and "start_date" not in errors and days > 0:
        if leave_type in BALANCED_TYPES:
            if start.year != end.year:
                errors.add("end_date", _("Leave drawn from a yearly balance cannot cross the new year: "
                                         "make one request per year."))
            else:
                available = available_days(employee, leave_type, start.year)
                if days > available:
                    errors.add("leave_type", _(
                        "This request takes %(days)s days but only %(left)s days of %(type)s are left for %(year)d."
                    ) % {"days": days, "left": max(available, Decimal(0)), "type": LeaveType(leave_type).label,
                         "year": start.year})
        limit = statutory.max_leave_days(employee, leave_type)
        if limit is not None and days > limit[0]:
            errors.add("end_date", _("At most %(n)s days (%(basis)s).") % {"n": limit[0], "basis": limit[1]})
    errors.raise_if_any()
    assert start and end
    leave = LeaveRequest.objects.create(
        company_id=employee.company_id, employee=employee, leave_type=leave_type, start_date=start, end_date=end,
        days=days, reason=reason, created_by=actor,
    )
    evidence.record(
        employee.company, actor, "leave.requested", leave, employee=employee,
        data={"title": leave.get_leave_type_display(), "type": leave_type, "start": start, "end": end,
              "days": days, "reason": reason},
    )
    processes.start(
        actor=actor, company=employee.company, template_key=TEMPLATE, subject=leave, subject_employee=employee,
        title=_("Leave of %(name)s: %(type)s %(start)s – %(end)s (%(days)s days)") % {
            "name": employee.name, "type": leave.get_leave_type_display(), "start": start, "end": end, "days": days},
    )
    return leave


def _locked(leave: LeaveRequest) -> LeaveRequest:
    return LeaveRequest.objects.select_for_update().select_related("employee").get(pk=leave.pk)


def _refresh_attendance(leave: LeaveRequest) -> None:
    """Days already computed inside the leave become "on leave" (or back to absent on cancellation)."""
    today = timezone.localdate()
    if leave.start_date <= today:
        recompute_days(leave.company_id, leave.start_date, min(leave.end_date, today), [leave.employee_id])


@transaction.atomic
def decide_leave(actor: User, leave: LeaveRequest, approve: bool, note: Any = "") -> LeaveRequest:
    """Approve or reject the request: acts on the actor's open step of its approval process."""
    leave = _locked(leave)
    errors = Errors()
    text = errors.text(note, "decision_note", max_length=500)
    if not approve and not text:
        errors.add("decision_note", _("Give a reason for the rejection."))
    if leave.status != LeaveStatus.PENDING:
        errors.add("status", _("This request was already decided (%(s)s).") % {"s": leave.get_status_display()})
    errors.raise_if_any()
    processes.decide(actor=actor, subject=leave, approve=approve, note=text)
    return LeaveRequest.objects.select_related("employee").get(pk=leave.pk)


def apply_outcome(*, leave_id: int, outcome: str, actor: User | None, note: str = "") -> LeaveRequest:
    """The engine's action at the end of the approval process (inside its transaction): the request
    becomes approved / rejected / cancelled, attendance follows, evidence on the employee's timeline."""
    leave = _locked(LeaveRequest(pk=leave_id))
    status = {"approved": LeaveStatus.APPROVED, "rejected": LeaveStatus.REJECTED,
              "cancelled": LeaveStatus.CANCELLED}[outcome]
    if leave.status != LeaveStatus.PENDING:
        return leave
    leave.status = status
    leave.save(update_fields=["status"])
    if status == LeaveStatus.APPROVED:
        _refresh_attendance(leave)
    evidence.record(
        leave.company_id, actor, f"leave.{status}", leave, employee=leave.employee_id,
        data={"title": leave.get_leave_type_display(), "start": leave.start_date, "end": leave.end_date,
              "days": leave.days, "note": note},
    )
    return leave


@transaction.atomic
def cancel_leave(actor: User, leave: LeaveRequest, note: Any = "") -> LeaveRequest:
    """The employee withdraws a pending request (its process is cancelled); HR may also cancel an
    approved one."""
    leave = _locked(leave)
    errors = Errors()
    text = errors.text(note, "decision_note", max_length=500)
    own = actor.has_perm("leave.request_leave", leave.employee) and leave.employee.user_id == actor.pk
    if leave.status == LeaveStatus.PENDING and own:
        pass
    elif leave.status in ACTIVE_STATUSES:
        require(actor, "leave.manage_leave_balances", leave.employee)
    else:
        errors.add("status", _("Only pending or approved leave can be cancelled."))
    errors.raise_if_any()
    if leave.status == LeaveStatus.PENDING:
        processes.cancel(actor=actor, subject=leave, reason=text)  # leave.apply_outcome records it
        return LeaveRequest.objects.select_related("employee").get(pk=leave.pk)
    leave.status = LeaveStatus.CANCELLED
    leave.save(update_fields=["status"])
    _refresh_attendance(leave)
    evidence.record(
        leave.company_id, actor, "leave.cancelled", leave, employee=leave.employee_id,
        data={"title": leave.get_leave_type_display(), "start": leave.start_date, "end": leave.end_date, "note": text},
    )
    return leave


@transaction.atomic
def set_balance(actor: User, employee: Employee, data: dict[str, Any]) -> LeaveBalance:
    """HR sets an entitlement or an adjustment (carried-over days, time off in lieu earned)."""
    require(actor, "leave.manage_leave_balances", employee)
    errors = Errors()
    leave_type = errors.choice(data.get("leave_type"), "leave_type", LeaveType)
    year = data.get("year")
    try:
        year = int(year)
        if not 2000 <= year <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        errors.add("year", _("Choose a year between 2000 and 2100."))
    if leave_type and leave_type not in BALANCED_TYPES:
        errors.add("leave_type", _("This kind of leave has no balance."))
    entitled = errors.decimal(data.get("entitled_days"), "entitled_days", low=Decimal(0), high=Decimal(366),
                              places=1, required=False)
    adjustment = errors.decimal(data.get("adjustment_days"), "adjustment_days", low=Decimal(-366),
                                high=Decimal(366), places=1, required=False)
    basis = errors.text(data.get("basis"), "basis", max_length=300)
    if leave_type == LeaveType.ANNUAL and entitled is not None and not errors:
        statutory_days, _basis = statutory.annual_leave_entitlement(employee, year)
        if entitled < statutory_days:
            errors.add("entitled_days", _("Below the statutory entitlement of %(n)s days (%(basis)s).")
                       % {"n": statutory_days, "basis": _basis})
    errors.raise_if_any()
    if leave_type == LeaveType.ANNUAL:
        balance = ensure_annual_balance(employee, year)
    else:
        balance, _created = LeaveBalance.objects.get_or_create(
            employee=employee, leave_type=leave_type, year=year, defaults={"company_id": employee.company_id}
        )
    before = {"entitled": balance.entitled_days, "adjustment": balance.adjustment_days}
    if entitled is not None:
        balance.entitled_days = entitled
    if adjustment is not None:
        balance.adjustment_days = adjustment
    if basis:
        balance.basis = basis
    balance.save()
    evidence.record(
        employee.company, actor, "leave.balance_set", balance, employee=employee,
        data={"title": LeaveType(leave_type).label, "year": year, "before": before,
              "after": {"entitled": balance.entitled_days, "adjustment": balance.adjustment_days}, "basis": basis},
    )
    return balance
