"""Who may do what in care (django-rules; loaded by ``CareConfig.ready``).

HR care roles are the company's HR roles (administrator, HR); HR partners and line managers are not
care roles. A care worker never acts on records about themself (the party rule).

* ``care.view_care`` — the HR care pages (talks list, aid overview, programmes, EAP counts);
* ``care.record_talk`` (object: employee) / ``care.view_talk`` (object: talk) — care roles, not about
  themself; the line manager reads a talk only when HR shared it with them;
* ``care.apply_aid`` (object: employee) — the employee themself, or a care role on their behalf;
* ``care.view_aid`` (object: loan) — the borrower, care roles and finance (never about themself);
* ``care.pay_aid`` (object: loan) — finance records payment-out and repayments, sets the schedule with HR;
* ``care.manage_programmes`` — flexible hours, side jobs, courses (care roles);
* ``care.self_service`` (object: employee) — apply for side jobs, enrol in courses: the employee."""

from __future__ import annotations

from typing import Any

import rules

from hrguard.core.roles import HR_ROLES, Role
from hrguard.people.permissions import employee_of, is_self, is_subject, manages, same_company


@rules.predicate
def is_care(user: Any) -> bool:
    return user.is_authenticated and user.role in HR_ROLES


@rules.predicate
def is_finance(user: Any) -> bool:
    return user.is_authenticated and user.role in (Role.FINANCE, Role.ADMIN)


about_me = is_subject  # the party rule, shared with risk and offboarding (people.permissions)


@rules.predicate
def shared_with_me(user: Any, talk: Any) -> bool:
    return bool(getattr(talk, "shared_with_manager", False)) and manages(user, employee_of(talk))


@rules.predicate
def borrower(user: Any, obj: Any) -> bool:
    return is_self(user, employee_of(obj))


rules.add_perm("care.view_care", is_care)
rules.add_perm("care.record_talk", same_company & is_care & ~about_me)
rules.add_perm("care.view_talk", same_company & ((is_care & ~about_me) | (shared_with_me & ~about_me)))
rules.add_perm("care.apply_aid", same_company & (borrower | (is_care & ~about_me)))
rules.add_perm("care.view_aid", same_company & (borrower | ((is_care | is_finance) & ~about_me)))
rules.add_perm("care.pay_aid", same_company & is_finance & ~about_me)
rules.add_perm("care.schedule_aid", same_company & (is_finance | is_care) & ~about_me)
rules.add_perm("care.manage_programmes", is_care)
rules.add_perm("care.self_service", same_company & borrower)
rules.add_perm("care.view_aid_list", is_care | is_finance)
