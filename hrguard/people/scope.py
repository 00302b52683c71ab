"""Who may see which employees: one function returns a Q for lists, predicates check single objects.

Scope of a user within their company:
  * admin/HR, legal, compliance: everyone;
  * HR business partner: the subtrees of departments they partner, plus themselves;
  * department manager (derived from Department.manager): the subtrees they manage, plus themselves;
  * employee: themselves only.
The user's managed/partnered department paths are read once per request and cached on the user object.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Q

from hrguard.core.models import Department, User

from .models import Employee

# The signed-in user's own employee id, loaded with the user on every request (see apps.py).
OWN_EMPLOYEE = "own_employee_id"


@dataclass
class UserScope:
    user: User

    @cached_property
    def employee_id(self) -> int | None:
        if hasattr(self.user, OWN_EMPLOYEE):  # fetched with the user (core.backends.annotate_user)
            return getattr(self.user, OWN_EMPLOYEE)
        emp = getattr(self.user, "_scope_employee", None)
        if emp is None:
            # Unordered: the model's default ORDER BY would only cost compiling time (one row at most).
            emp = next(iter(Employee.objects.filter(user=self.user).only("id").order_by()[:1]), None)
            self.user._scope_employee = emp or False  # type: ignore[attr-defined]
        return emp.pk if emp else None

    @cached_property
    def managed_paths(self) -> list[str]:
        if not self.employee_id:
            return []
        return list(
            Department.objects.filter(company_id=self.user.company_id, manager_id=self.employee_id).values_list(
                "path", flat=True
            )
        )

    @cached_property
    def partnered_paths(self) -> list[str]:
        return list(
            Department.objects.filter(company_id=self.user.company_id, hrbp=self.user).values_list("path", flat=True)
        )

    @property
    def sees_all(self) -> bool:
        return self.user.reads_roster

    @property
    def is_manager(self) -> bool:
        return bool(self.managed_paths)

    def employee_q(self, prefix: str = "") -> Q:
        """Filter for employees (or rows with an ``employee`` FK, given ``prefix='employee__'``)."""
        if self.sees_all:
            return Q()
        q = Q(**{f"{prefix}id": self.employee_id}) if self.employee_id else Q(pk__in=[])
        for path in self.managed_paths + self.partnered_paths:
            q |= Q(**{f"{prefix}department_path__startswith": path})
        return q

    def covers(self, employee: Any) -> bool:
        if employee.company_id != self.user.company_id:
            return False
        if self.sees_all or employee.pk == self.employee_id:
            return True
        return any(employee.department_path.startswith(p) for p in self.managed_paths + self.partnered_paths)

    def manages(self, employee: Any) -> bool:
        return employee.company_id == self.user.company_id and any(
            employee.department_path.startswith(p) for p in self.managed_paths
        ) and employee.pk != self.employee_id

    def partners(self, employee: Any) -> bool:
        return employee.company_id == self.user.company_id and any(
            employee.department_path.startswith(p) for p in self.partnered_paths
        )


def scope_of(user: User) -> UserScope:
    cached = getattr(user, "_hrguard_scope", None)
    if cached is None:
        cached = UserScope(user)
        user._hrguard_scope = cached  # type: ignore[attr-defined]
    return cached
