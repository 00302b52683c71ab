"""Who may see and act on cases (django-rules; loaded by ``CasesConfig.ready``). Object: the case.

* ``cases.view_case`` — by confidentiality: normal → admin, HR, legal, compliance, the case team and the
  subject's HR partner; restricted → admin, HR, legal and the team; strictly confidential → the company
  administrator, whoever opened it and the team. **Never a party** (subject, complainant, witness),
  whatever their role; and the type's own ``view_perm`` when it has one;
* ``cases.manage_case`` (open/link/add party/close/reopen) — admin and HR who may view it, never a party,
  and the type's ``manage_perm`` when it has one;
* ``cases.view_own_step`` — who holds a step of the case's process but may not view the case: their
  own steps only (``selectors.own_steps``); never a party;
* ``cases.open_case`` (no object) — admin and HR; ``cases.view_stats`` — admin, HR, legal, compliance."""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from hrguard.core.roles import HR_ROLES, Role
from hrguard.people.models import Employee
from hrguard.people.permissions import same_company
from hrguard.people.scope import scope_of
from hrguard.workflows import selectors as workflow_selectors

from . import types
from .models import CaseMember, CaseParty, Confidentiality

NORMAL_READERS = frozenset({*HR_ROLES, Role.LEGAL, Role.COMPLIANCE})
RESTRICTED_READERS = frozenset({*HR_ROLES, Role.LEGAL})
STRICT_READERS = frozenset({Role.ADMIN})


def is_party_of(user: Any, case: Any) -> bool:
    if not user.is_authenticated:
        return False
    employee_id = scope_of(user).employee_id
    if employee_id is not None and case.subject_employee_id == employee_id:
        return True
    q = CaseParty.objects.filter(company_id=case.company_id, case_id=case.pk)
    mine = Q(user_id=user.pk) | Q(employee_id=employee_id) if employee_id is not None else Q(user_id=user.pk)
    return q.filter(mine).exists()


def is_member_of(user: Any, case: Any) -> bool:
    return user.is_authenticated and (case.opened_by_id == user.pk or CaseMember.objects.filter(
        company_id=case.company_id, case_id=case.pk, user_id=user.pk).exists())


def readers_for(level: str) -> frozenset[str]:
    return {Confidentiality.NORMAL: NORMAL_READERS, Confidentiality.RESTRICTED: RESTRICTED_READERS}.get(
        level, STRICT_READERS)


@rules.predicate
def case_party(user: Any, case: Any) -> bool:
    return case is not None and is_party_of(user, case)


@rules.predicate
def level_admits(user: Any, case: Any) -> bool:
    if case is None or not user.is_authenticated:
        return False
    if user.role in readers_for(case.confidentiality):
        return True
    if case.confidentiality == Confidentiality.NORMAL and case.subject_employee_id is not None:
        employee = Employee.objects.filter(company_id=case.company_id, pk=case.subject_employee_id).first()
        if employee is not None and scope_of(user).partners(employee):
            return True
    return is_member_of(user, case)


def _type_perm(attr: str) -> Any:
    @rules.predicate(name=f"case_type_{attr}")
    def predicate(user: Any, case: Any) -> bool:
        case_type = types.get(case.case_type) if case is not None else None
        if case_type is None:
            return False
        perm = getattr(case_type, attr)
        return not perm or user.has_perm(perm, case)

    return predicate


@rules.predicate
def hr_role(user: Any) -> bool:
    return user.is_authenticated and user.role in HR_ROLES


@rules.predicate
def reads_stats(user: Any) -> bool:
    return user.is_authenticated and user.role in NORMAL_READERS


can_view = same_company & ~case_party & level_admits & _type_perm("view_perm")
rules.add_perm("cases.view_case", can_view)
rules.add_perm("cases.manage_case", can_view & hr_role & _type_perm("manage_perm"))
rules.add_perm("cases.open_case", hr_role)


@rules.predicate
def holds_step(user: Any, case: Any) -> bool:
    """The user is assigned one of the steps of the case's process, or acted on one (a delegated step)."""
    if case is None or not user.is_authenticated or not case.process_id:
        return False
    return workflow_selectors.holds_step(user=user, company_id=case.company_id, instance_id=case.process_id)


# The owner of a step of a case they may not read (e.g. the department head's contingency step of a
# restricted key-person case) sees their own step only; a party never.
rules.add_perm("cases.view_own_step", same_company & ~case_party & ~can_view & holds_step)
rules.add_perm("cases.view_stats", reads_stats)


@rules.predicate
def is_self(user: Any, employee: Any) -> bool:
    return employee is not None and employee.pk == scope_of(user).employee_id


@rules.predicate
def reads_keyperson(user: Any) -> bool:
    return user.is_authenticated and user.role in RESTRICTED_READERS


# Key-person figures (object: the employee) — admin, HR, legal; never about oneself.
rules.add_perm("cases.view_keyperson", same_company & reads_keyperson & ~is_self)
rules.add_perm("cases.send_keyperson_agreement", same_company & hr_role & ~is_self)
rules.add_perm("cases.set_keyperson_parameters", hr_role)
