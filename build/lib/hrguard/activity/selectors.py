"""Cross-domain reads for other apps: the activity section of an employee's profile, and
``outstanding_for(employee)`` (advances, loans and claims still open — the exit-clearance money check;
see hrguard/activity/README.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from hrguard.core.models import User
from hrguard.people.models import Employee

from .discipline import selectors as discipline
from .expenses.selectors import Outstanding, outstanding_for, outstanding_for_employee
from .leave import selectors as leave
from .models import ComplaintStatus, LeaveStatus, ViolationStatus

__all__ = ["EmployeeActivitySummary", "Outstanding", "outstanding_for", "summary_for_employee"]


@dataclass
class EmployeeActivitySummary:
    employee: Employee
    can_leave: bool = False
    balances: list[Any] = field(default_factory=list)
    pending_leave: int = 0
    can_violations: bool = False
    violations: int = 0
    violations_awaiting_ack: int = 0
    can_complaints: bool = False
    open_complaints: list[Any] = field(default_factory=list)
    can_expenses: bool = False
    outstanding: Decimal = Decimal(0)


def summary_for_employee(user: User, employee: Employee) -> EmployeeActivitySummary:
    """What the employee page shows about activity records — only the parts ``user`` may see:
    leave balances and pending requests, the number of decided violations, open client complaints,
    money still owed (advances and loans). A fixed number of queries."""
    summary = EmployeeActivitySummary(employee=employee)
    if user.has_perm("activity.view_leave", employee):
        summary.can_leave = True
        summary.balances = leave.balances(employee, timezone.localdate().year)
        summary.pending_leave = leave.requests(user, employee_id=employee.pk, status=LeaveStatus.PENDING).count()
    if user.has_perm("activity.view_violations", employee):
        summary.can_violations = True
        rows = discipline.violations(user, employee_id=employee.pk, status=ViolationStatus.DECIDED)
        summary.violations = rows.count()
        summary.violations_awaiting_ack = rows.filter(ack="pending").count()
    if user.has_perm("activity.view_complaints", employee):
        summary.can_complaints = True
        summary.open_complaints = list(
            discipline.complaints(user, employee_id=employee.pk, status=ComplaintStatus.OPEN)[:20]
        )
    if user.has_perm("activity.view_expenses", employee):
        summary.can_expenses = True
        summary.outstanding = outstanding_for_employee(employee)
    return summary
