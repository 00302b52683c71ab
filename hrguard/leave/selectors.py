"""Read queries on leave, scoped to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from hrguard.core.models import User
from hrguard.people.models import Employee
from hrguard.platform.prepared import Prepared
from hrguard.records import processes
from hrguard.records.access import people_q

from .models import LeaveBalance, LeaveRequest, LeaveStatus, LeaveType
from .services import BALANCED_TYPES, ensure_annual_balance


def requests(user: User, *, employee_id: int | None = None, status: str = "") -> QuerySet[LeaveRequest]:
    qs = LeaveRequest.objects.filter(company_id=user.company_id).filter(people_q(user))
    if employee_id:
        qs = qs.filter(employee_id=employee_id)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("employee", "employee__department")


def request_for(user: User, pk: int) -> LeaveRequest | None:
    return requests(user).filter(pk=pk).first()


def pending_approvals(user: User) -> QuerySet[LeaveRequest]:
    """Requests whose approval process waits for this user (the line manager; HR when there is none;
    whoever the company's template names) — never their own."""
    ids = processes.pending_ids(user=user, subject_type="leave.leaverequest", limit=200)
    qs = LeaveRequest.objects.filter(company_id=user.company_id, status=LeaveStatus.PENDING, pk__in=ids)
    return qs.select_related("employee", "employee__department").order_by("start_date", "id")


def progress_of(rows: list[LeaveRequest]) -> list[LeaveRequest]:
    """Each request with ``progress``: where its approval stands (who decided, the note, who it waits for)."""
    if rows:
        found = processes.status(subject_type="leave.leaverequest", company_id=rows[0].company_id,
                                 ids=[r.pk for r in rows])
        for r in rows:
            r.progress = found.get(r.pk)  # type: ignore[attr-defined]
    return rows


@dataclass(frozen=True)
class BalanceRow:
    leave_type: str
    label: str
    year: int
    entitled: Decimal
    adjustment: Decimal
    approved: Decimal
    pending: Decimal
    basis: str

    @property
    def available(self) -> Decimal:
        # One form whatever the database gave back (a balance just created reads 10, a stored one 10.0):
        # whole days without a decimal point, part days without trailing zeros.
        value = self.entitled + self.adjustment - self.approved - self.pending
        whole = value.to_integral_value()
        return whole if value == whole else value.normalize()


# On every profile page: compiled once per connection (``platform.prepared``).
_BALANCES = Prepared(lambda *, employee_id, year: LeaveBalance.objects.filter(employee_id=employee_id, year=year))
_USED = Prepared(lambda *, year, employee_id: LeaveRequest.objects.filter(
    employee_id=employee_id, start_date__year=year, leave_type__in=list(BALANCED_TYPES),
    status__in=[LeaveStatus.APPROVED, LeaveStatus.PENDING],
).order_by().values("leave_type", "status").annotate(total=Sum("days")))


def balances(employee: Employee, year: int) -> list[BalanceRow]:
    """Annual leave (statutory, created on first look) and other balanced kinds with a row for the year."""
    rows = {b.leave_type: b for b in _BALANCES.rows(employee_id=employee.pk, year=year)}
    if LeaveType.ANNUAL not in rows:  # read once; the statutory row is created on the first look only
        rows[LeaveType.ANNUAL] = ensure_annual_balance(employee, year)
    used_rows = _USED.rows(shape={"year": year}, employee_id=employee.pk)
    used = {(r["leave_type"], r["status"]): r["total"] for r in used_rows}
    result = []
    for leave_type in (LeaveType.ANNUAL, LeaveType.COMPENSATORY):
        balance = rows.get(leave_type)
        if balance is None and leave_type != LeaveType.ANNUAL:
            continue
        result.append(
            BalanceRow(
                leave_type=leave_type, label=str(LeaveType(leave_type).label), year=year,
                entitled=balance.entitled_days if balance else Decimal(0),
                adjustment=balance.adjustment_days if balance else Decimal(0),
                approved=used.get((leave_type, LeaveStatus.APPROVED), Decimal(0)),
                pending=used.get((leave_type, LeaveStatus.PENDING), Decimal(0)),
                basis=balance.basis if balance else "",
            )
        )
    return result


def summary_part(user: User, employee: Employee, summary: Any) -> None:
    """Leave balances and pending requests on the employee's profile (``hrguard.records.summary``)."""
    if user.has_perm("leave.view_leave", employee):
        summary.can_leave = True
        summary.balances = balances(employee, timezone.localdate().year)
        pending = _PENDING.rows(shape={"scope": people_q(user)}, company_id=user.company_id, employee_id=employee.pk)
        summary.pending_leave = len(pending)  # ``requests(user, employee_id=…, status=PENDING).count()``


# Compiled once per viewer's scope (``platform.prepared``): the ids of ``requests(user, employee_id=…,
# status=PENDING)`` — one employee's pending requests, a handful.
_PENDING = Prepared(lambda *, scope, company_id, employee_id: LeaveRequest.objects.filter(
    company_id=company_id).filter(scope).filter(employee_id=employee_id, status=LeaveStatus.PENDING)
    .order_by().values_list("pk", flat=True))
