"""Who may do what with non-compete follow-ups (django-rules; loaded by ``NoncompeteConfig.ready``).

* ``noncompete.view`` (object: an agreement or an employee) — HR and finance of the company, never the
  subject themself (the former employee reaches their month's proof request through its link only);
* ``noncompete.manage`` — HR: start, decline, findings, release;
* ``noncompete.record_payment`` — HR and finance."""

from __future__ import annotations

from typing import Any

import rules

from hrguard.core.roles import HR_ROLES, Role
from hrguard.people.permissions import same_company
from hrguard.people.scope import scope_of


def _employee_id(obj: Any) -> int | None:
    return getattr(obj, "employee_id", None) or getattr(obj, "pk", None)


@rules.predicate
def is_subject(user: Any, obj: Any) -> bool:
    return obj is not None and user.is_authenticated and _employee_id(obj) == scope_of(user).employee_id


@rules.predicate
def is_hr(user: Any) -> bool:
    return user.is_authenticated and user.role in HR_ROLES


@rules.predicate
def is_finance(user: Any) -> bool:
    return user.is_authenticated and user.role == Role.FINANCE


@rules.predicate
def follows_noncompete(user: Any) -> bool:
    """The list page: HR and finance."""
    return user.is_authenticated and user.role in (*HR_ROLES, Role.FINANCE)


rules.add_perm("noncompete.view", same_company & (is_hr | is_finance) & ~is_subject)
rules.add_perm("noncompete.manage", same_company & is_hr & ~is_subject)
rules.add_perm("noncompete.record_payment", same_company & (is_hr | is_finance) & ~is_subject)
rules.add_perm("noncompete.view_list", follows_noncompete)


def can_view_list(user: Any) -> bool:
    return bool(user is not None and user.has_perm("noncompete.view_list"))
