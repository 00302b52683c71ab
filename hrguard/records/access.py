"""Who sees which activity records, as one Q filter per record kind (for lists) — the object-level
counterparts are the django-rules permissions in ``permissions.py``.

* attendance, leave, performance: the user's ordinary scope (self; managers their departments; HR
  partners their departments; HR, legal and compliance everyone);
* expenses, trips, advances: self, managers their departments, finance and HR everyone;
* violations: HR, legal and compliance everyone; line managers their people; the employee their own
  decided ones (to acknowledge the decision), without reporter or investigation notes;
* client complaints: HR, legal and compliance everyone; line managers their people — not the employee.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from hrguard.core.roles import Role
from hrguard.people.models import Employee
from hrguard.people.scope import scope_of

DISCIPLINE_ROLES = frozenset({Role.ADMIN, Role.HR, Role.LEGAL, Role.COMPLIANCE})
FINANCE_ROLES = frozenset({Role.ADMIN, Role.FINANCE})
EXPENSE_READERS = frozenset({Role.ADMIN, Role.HR, Role.FINANCE})
COMPLAINT_RECORDERS = DISCIPLINE_ROLES | {Role.CLIENT_SERVICE}


def _nothing() -> Q:
    return Q(pk__in=[])


def people_q(user: Any, prefix: str = "employee__") -> Q:
    return scope_of(user).employee_q(prefix)


def line_managed_q(user: Any, prefix: str = "employee__") -> Q:
    """Employees the user is the line manager of: departments they manage and direct reports."""
    scope = scope_of(user)
    if not scope.employee_id:
        return _nothing()
    q = Q(**{f"{prefix}manager_id": scope.employee_id})
    for path in scope.managed_paths:
        q |= Q(**{f"{prefix}department_path__startswith": path})
    return q & ~Q(**{f"{prefix}id": scope.employee_id})


def own_q(user: Any, prefix: str = "employee__") -> Q:
    emp = scope_of(user).employee_id
    return Q(**{f"{prefix}id": emp}) if emp else _nothing()


def expenses_q(user: Any, prefix: str = "employee__") -> Q:
    if user.role in EXPENSE_READERS:
        return Q()
    return own_q(user, prefix) | line_managed_q(user, prefix)


def violations_q(user: Any, prefix: str = "employee__") -> Q:
    """On Violation rows: the employee sees their own only once decided (to acknowledge or refuse it);
    reports under investigation or dismissed stay with HR, compliance, legal and the line manager."""
    if user.role in DISCIPLINE_ROLES:
        return Q()
    decided = ~Q(decision="") & ~Q(decision="not_substantiated")  # discipline.models.SUBSTANTIATED
    return (own_q(user, prefix) & decided) | line_managed_q(user, prefix)


def sees_investigation(user: Any, employee: Any) -> bool:
    """Reporter and investigation notes: not shown to the employee concerned."""
    return user.role in DISCIPLINE_ROLES or is_line_manager(user, employee)


def complaints_q(user: Any, prefix: str = "employee__") -> Q:
    if user.role in DISCIPLINE_ROLES:
        return Q()
    return line_managed_q(user, prefix)


def is_line_manager(user: Any, employee: Any) -> bool:
    scope = scope_of(user)
    if employee is None or employee.company_id != user.company_id or not scope.employee_id:
        return False
    if employee.pk == scope.employee_id:
        return False
    return employee.manager_id == scope.employee_id or scope.manages(employee)


def may_record_violations(user: Any) -> bool:
    """Whether the user may record a violation for anyone (``discipline.record_violation``: a discipline
    role, or a line manager — of a department or of direct reports — for their people)."""
    if not user.is_authenticated or user.company_id is None:
        return False
    return user.role in DISCIPLINE_ROLES or _manages_anyone(user)


def may_record_complaints(user: Any) -> bool:
    """Whether the user may record a client complaint for anyone (``discipline.record_complaint``)."""
    if not user.is_authenticated or user.company_id is None:
        return False
    return user.role in COMPLAINT_RECORDERS or _manages_anyone(user)


def _manages_anyone(user: Any) -> bool:
    scope = scope_of(user)
    if scope.is_manager:
        return True
    return bool(scope.employee_id) and Employee.objects.filter(manager_id=scope.employee_id).exists()
