"""Tenant-scoped reads for the settings pages (each a constant number of queries whatever the size)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from hrguard.core.models import Department, Position, User
from hrguard.people.models import Employee, EmployeeStatus

PAGE_SIZE = 50


def page_of(qs: QuerySet[Any], number: Any, size: int = PAGE_SIZE) -> Page:
    return Paginator(qs, size).get_page(number)


def logins(company_id: int, *, q: str = "", role: str = "", state: str = "") -> QuerySet[User]:
    """The company's logins with their employee (if any), by username."""
    qs = User.objects.filter(company_id=company_id).select_related("employee").order_by("username")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(employee__name__icontains=q) | Q(employee__employee_no=q))
    if role:
        qs = qs.filter(role=role)
    if state == "active":
        qs = qs.filter(is_active=True)
    elif state == "inactive":
        qs = qs.filter(is_active=False)
    return qs


def login(company_id: int, pk: Any) -> User | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return User.objects.filter(company_id=company_id, pk=pk).select_related("employee").first()


def employees_without_login(company_id: int, *, q: str = "", department: Any = None) -> QuerySet[Employee]:
    """Current employees (not 已离职) who have no login: the ones a bulk creation is for."""
    qs = (Employee.objects.filter(company_id=company_id, user__isnull=True)
          .exclude(status=EmployeeStatus.LEFT).select_related("department").order_by("employee_no"))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(employee_no__icontains=q))
    if department:
        dept = Department.objects.filter(company_id=company_id, pk=department).first()
        qs = qs.filter(department_path__startswith=dept.path) if dept else qs.none()
    return qs


def department_tree(company_id: int) -> list[Department]:
    """Every department in tree order, with ``depth``, its manager and HR partner, and head counts."""
    rows = list(
        Department.objects.filter(company_id=company_id).select_related("manager", "hrbp", "parent")
        .annotate(n_children=Count("children", distinct=True))
        .order_by("path")
    )
    counts = dict(Employee.objects.filter(company_id=company_id).exclude(status=EmployeeStatus.LEFT)
                  .values_list("department_id").annotate(n=Count("id")).values_list("department_id", "n"))
    for dept in rows:
        dept.depth = max(0, dept.path.count("/") - 2)  # type: ignore[attr-defined]
        dept.n_employees = counts.get(dept.pk, 0)  # type: ignore[attr-defined]
    return _tree_order(rows)


def _tree_order(rows: list[Department]) -> list[Department]:
    """Depth-first order with siblings by name (paths sort by id, not by name)."""
    children: dict[int | None, list[Department]] = {}
    for dept in rows:
        children.setdefault(dept.parent_id, []).append(dept)
    for group in children.values():
        group.sort(key=lambda d: (d.name, d.pk))
    out: list[Department] = []
    known = {d.pk for d in rows}
    stack = [d for d in reversed(children.get(None, []))]
    stack += [d for d in rows if d.parent_id is not None and d.parent_id not in known]
    while stack:
        dept = stack.pop()
        out.append(dept)
        stack.extend(reversed(children.get(dept.pk, [])))
    return out


def department(company_id: int, pk: Any) -> Department | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return Department.objects.filter(company_id=company_id, pk=pk).select_related("manager", "hrbp").first()


def positions(company_id: int) -> QuerySet[Position]:
    return (Position.objects.filter(company_id=company_id).select_related("department")
            .annotate(n_employees=Count("employees", filter=~Q(employees__status=EmployeeStatus.LEFT)))
            .order_by("name"))


def hr_partners(company_id: int) -> QuerySet[User]:
    """Logins that may be a department's HR partner."""
    from .org import HRBP_ROLES

    return User.objects.filter(company_id=company_id, is_active=True, role__in=HRBP_ROLES).order_by("username")


def employees_page(company_id: int, *, q: str = "") -> QuerySet[Employee]:
    qs = Employee.objects.filter(company_id=company_id).exclude(status=EmployeeStatus.LEFT).order_by("employee_no")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(employee_no__icontains=q))
    return qs.only("pk", "name", "employee_no", "company_id")
