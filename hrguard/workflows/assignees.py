"""Who acts on a step: the template's assignee rule resolved for one instance when the step opens.

A rule that resolves to nobody — no manager, no department head, no HR partner, an inactive named user,
or a person who is a party to the instance — sends the step to HR, with the reason recorded on the step
(``assignee_note``) and shown to whoever opens it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from hrguard.core.models import Department, User
from hrguard.core.roles import Role
from hrguard.people.models import Employee

FALLBACK_ROLE = Role.HR
MAX_HOPS = 20  # the department tree is shallow; the bound guards against a cycle


@dataclass(frozen=True)
class Assignment:
    user_id: int | None = None
    role: str = ""
    note: str = ""
    reason: str = ""  # why the rule found no one (the step went to the fallback role)


def _ancestors(department: Department | None) -> list[Department]:
    out, hops = [], 0
    while department is not None and hops < MAX_HOPS:
        out.append(department)
        department, hops = department.parent, hops + 1
    return out


def department_head(employee: Employee) -> Employee | None:
    """The nearest department manager up the tree who is not the employee."""
    for dept in _ancestors(employee.department):
        if dept.manager_id and dept.manager_id != employee.pk:
            return dept.manager
    return None


def line_manager(employee: Employee) -> Employee | None:
    """The direct manager, else the nearest department head."""
    if employee.manager_id and employee.manager_id != employee.pk:
        return employee.manager
    return department_head(employee)


def hr_partner(employee: Employee) -> User | None:
    for dept in _ancestors(employee.department):
        if dept.hrbp_id:
            return dept.hrbp
    return None


def superior_of(user: User | None, company_id: int) -> User | None:
    """The line manager of the person holding a step (for the escalation ladder)."""
    if user is None:
        return None
    employee = Employee.objects.select_related("manager__user", "department").filter(
        company_id=company_id, user=user).first()
    boss = line_manager(employee) if employee is not None else None
    return boss.user if boss is not None and boss.user_id and boss.user.is_active else None


def _to_hr(reason: str) -> Assignment:
    return Assignment(None, FALLBACK_ROLE, _("Sent to %(role)s: %(reason)s") % {"role": Role(FALLBACK_ROLE).label,
                                                                               "reason": reason}, reason)


def _person(user: User | None, missing: str, parties: set[int]) -> Assignment:
    if user is None or not user.is_active:
        return _to_hr(missing)
    if user.pk in parties:
        return _to_hr(_("%(name)s is a party to this matter.") % {"name": user.get_full_name() or user.username})
    return Assignment(user.pk)


def _with_fallback(got: Assignment, role: str) -> Assignment:
    """A step the rule sent to HR goes to the template's fallback role instead, when it names one."""
    if got.user_id is None and got.reason and role != FALLBACK_ROLE:
        return Assignment(None, role, _("Sent to %(role)s: %(reason)s") % {"role": Role(role).label,
                                                                           "reason": got.reason}, got.reason)
    return got


def _employee_user(employee: Employee | None) -> User | None:
    return employee.user if employee is not None and employee.user_id else None


def resolve(assignee: dict[str, Any], *, company_id: int, subject_employee: Employee | None,
            parties: set[int]) -> Assignment:
    """The user or role that acts on a step with this rule; ``parties``: user ids that may not act.
    ``fallback_role`` (default HR) takes the step when the rule finds no one."""
    fallback = assignee.get("fallback_role")
    got = _resolve(assignee, company_id=company_id, subject_employee=subject_employee, parties=parties)
    return _with_fallback(got, fallback if fallback in Role.values else FALLBACK_ROLE)


def _resolve(assignee: dict[str, Any], *, company_id: int, subject_employee: Employee | None,
             parties: set[int]) -> Assignment:
    rule = assignee.get("rule")
    if rule == "role":
        return Assignment(None, str(assignee.get("role")))
    if rule == "user":
        user = User.objects.filter(company_id=company_id, username=assignee.get("user")).first()
        return _person(user, _("the named person “%(user)s” no longer has an active account.")
                       % {"user": assignee.get("user")}, parties)
    if subject_employee is None:
        return _to_hr(_("this process has no employee as its subject."))
    if rule == "subject":
        user = _employee_user(subject_employee)
        if user is None or not user.is_active:
            return _to_hr(_("%(name)s has no account.") % {"name": subject_employee.name})
        return Assignment(user.pk)  # the one rule under which a party acts: the subject's own step
    if rule == "manager":
        boss = line_manager(subject_employee)
        missing = _("%(name)s has no line manager with an account.") % {"name": subject_employee.name}
        return _person(_employee_user(boss), missing, parties)
    if rule == "department_head":
        head = department_head(subject_employee)
        missing = _("the department of %(name)s has no head with an account.") % {"name": subject_employee.name}
        return _person(_employee_user(head), missing, parties)
    if rule == "hrbp":
        missing = _("the department of %(name)s has no HR partner.") % {"name": subject_employee.name}
        return _person(hr_partner(subject_employee), missing, parties)
    return _to_hr(_("the template names no one for this step."))
