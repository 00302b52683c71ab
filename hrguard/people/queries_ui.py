"""Small read queries the pages need on top of ``selectors``.

Tenant- and scope-limited; a fixed number of queries each."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from hrguard.core.models import Position, User

from . import selectors
from .inputs import normalize_employee_no
from .models import ClauseTemplate, Contract, Employee, EmployeeStatus


def headcount_by_status(user: User) -> list[dict[str, object]]:
    """Visible employees per status, in the order of the status choices — one GROUP BY query."""
    counts = {
        row["status"]: row["n"]
        for row in selectors.visible_employees(user).order_by().values("status").annotate(n=Count("id"))
    }
    return [
        {"status": value, "label": label, "count": counts.get(value, 0)}
        for value, label in EmployeeStatus.choices
    ]


def headcount_by_status_of(company_id: int) -> dict[str, int]:
    """The whole company's employees per status (roster readers see all) — one GROUP BY query."""
    rows = Employee.objects.filter(company_id=company_id).order_by().values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def positions_for(user: User) -> QuerySet[Position]:
    return Position.objects.filter(company_id=user.company_id).order_by("name")


def clause_library(user: User, *, active_only: bool = False) -> QuerySet[ClauseTemplate]:
    qs = ClauseTemplate.objects.filter(company_id=user.company_id)
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("code")


def clause_for(user: User, pk: int) -> ClauseTemplate | None:
    return ClauseTemplate.objects.filter(company_id=user.company_id, pk=pk).first()


def contract_for(user: User, pk: int) -> Contract | None:
    """A contract of an employee the user may see (None otherwise, including another company's)."""
    return (
        Contract.objects.filter(company_id=user.company_id, pk=pk)
        .filter(employee__in=selectors.visible_employees(user))
        .select_related("employee", "employee__department")
        .first()
    )


def own_employee(user: User) -> Employee | None:
    """The employee record linked to the signed-in user, if any."""
    if not user.is_authenticated or user.company_id is None:
        return None
    rows = list(
        Employee.objects.filter(company_id=user.company_id, user=user)
        .select_related("department", "position", "manager", "department__manager")
        .order_by()[:1]  # one row at most: no ORDER BY to compile (see selectors.employee_detail)
    )
    return rows[0] if rows else None


def employee_by_number(user: User, employee_no: str) -> Employee | None:
    numbers = {employee_no.strip(), normalize_employee_no(employee_no)}
    return selectors.visible_employees(user).filter(employee_no__in=numbers).first()
