"""Read queries on trips, claims and advances (self, line managers, finance and HR)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum

from hrguard.core.models import User
from hrguard.core.roles import Role
from hrguard.people.models import Employee

from ..access import expenses_q, line_managed_q
from ..models import Advance, ApprovalStatus, ExpenseClaim, Trip
from .services import may_decide_as_manager

OUTSTANDING = ExpressionWrapper(F("amount") - F("repaid"), output_field=DecimalField(max_digits=12, decimal_places=2))


def trips(user: User, *, employee_id: int | None = None, status: str = "") -> QuerySet[Trip]:
    qs = Trip.objects.filter(company_id=user.company_id).filter(expenses_q(user))
    if employee_id:
        qs = qs.filter(employee_id=employee_id)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("employee", "employee__department")


def claims(user: User, *, employee_id: int | None = None, status: str = "") -> QuerySet[ExpenseClaim]:
    qs = ExpenseClaim.objects.filter(company_id=user.company_id).filter(expenses_q(user))
    if employee_id:
        qs = qs.filter(employee_id=employee_id)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("employee", "employee__department", "trip")


def awaiting(user: User, model: Any, limit: int = 200) -> list[Any]:
    """Requests waiting for this user's decision: the manager step for line managers (and for the
    administrator when the employee has no line manager), the finance step for finance."""
    base = model.objects.filter(company_id=user.company_id).exclude(employee__user=user)
    q = Q(status=ApprovalStatus.SUBMITTED) & line_managed_q(user)
    if user.role in (Role.FINANCE, Role.ADMIN):
        q |= Q(status=ApprovalStatus.MANAGER_APPROVED)
    if user.role == Role.ADMIN:
        q |= Q(status=ApprovalStatus.SUBMITTED)
    rows = list(base.filter(q).select_related("employee", "employee__department").order_by("created_at")[:limit])
    if user.role != Role.ADMIN:
        return rows
    return [r for r in rows if r.status != ApprovalStatus.SUBMITTED or may_decide_as_manager(user, r.employee)]


def advances(user: User, *, employee_id: int | None = None, outstanding_only: bool = False) -> QuerySet[Advance]:
    qs = Advance.objects.filter(company_id=user.company_id).filter(expenses_q(user))
    if employee_id:
        qs = qs.filter(employee_id=employee_id)
    if outstanding_only:
        qs = qs.filter(repaid__lt=F("amount"))
    return qs.select_related("employee", "employee__department", "trip")


def outstanding_by_employee(user: User) -> QuerySet[Any]:
    """Finance overview: per employee, advances and loans still owed (one GROUP BY)."""
    return (
        Advance.objects.filter(company_id=user.company_id, repaid__lt=F("amount"))
        .filter(expenses_q(user))
        .order_by()
        .values("employee_id", "employee__employee_no", "employee__name", "employee__department__name",
                "employee__status")
        .annotate(outstanding=Sum(OUTSTANDING), advances=Sum(OUTSTANDING, filter=Q(kind="advance")),
                  loans=Sum(OUTSTANDING, filter=Q(kind="loan")))
        .order_by("-outstanding", "employee__employee_no")
    )


def outstanding_for_employee(employee: Employee) -> Decimal:
    """What the employee still owes the company (advances + loans) — for exit clearance."""
    total = Advance.objects.filter(company_id=employee.company_id, employee=employee).aggregate(t=Sum(OUTSTANDING))["t"]
    return total or Decimal(0)
