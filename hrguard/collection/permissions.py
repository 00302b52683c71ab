"""Who may touch collection contacts (django-rules; loaded by ``CollectionConfig.ready``). Debt records
have their own permissions, on top of the case rules for the ``collection`` case type:

* ``collection.log_contact`` (no object) — admin, HR, and staff HR granted it (front desk:
  ``CollectionAccess.can_log``). Logging does not let one read the log;
* ``collection.view_contacts`` (object: the case or None) — admin, HR, legal, and staff granted
  ``can_view``; never the employee the contacts are about;
* ``collection.manage`` (object: the case or None) — admin and HR: escalate, lawyer letter, police
  report, evidence package, settings, access grants."""

from __future__ import annotations

from typing import Any

import rules

from hrguard.core.roles import HR_ROLES, Role
from hrguard.people.scope import scope_of

from .models import CollectionAccess

READERS = frozenset({*HR_ROLES, Role.LEGAL})


def _access(user: Any) -> CollectionAccess | None:
    cache = getattr(user, "_collection_access", False)
    if cache is False:
        cache = CollectionAccess.objects.filter(company_id=user.company_id, user_id=user.pk).first()
        user._collection_access = cache
    return cache


@rules.predicate
def may_log(user: Any) -> bool:
    if not user.is_authenticated or user.company_id is None:
        return False
    if user.role in HR_ROLES:
        return True
    access = _access(user)
    return access is not None and access.can_log


@rules.predicate
def may_read(user: Any, case: Any = None) -> bool:
    if not user.is_authenticated or user.company_id is None:
        return False
    if case is not None:
        if case.company_id != user.company_id or case.subject_employee_id == scope_of(user).employee_id:
            return False
    if user.role in READERS:
        return True
    access = _access(user)
    return access is not None and access.can_view


@rules.predicate
def may_manage(user: Any, case: Any = None) -> bool:
    if not user.is_authenticated or user.role not in HR_ROLES:
        return False
    return case is None or (case.company_id == user.company_id
                            and case.subject_employee_id != scope_of(user).employee_id)


rules.add_perm("collection.log_contact", may_log)
rules.add_perm("collection.view_contacts", may_read)
rules.add_perm("collection.manage", may_manage)
