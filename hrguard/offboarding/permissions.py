"""Who may do what with exits (django-rules; loaded by ``OffboardingConfig.ready``).

* ``offboarding.start_exit`` (object: the employee) — HR and the employee's HR partner, never about themself;
* ``offboarding.manage_exit`` (object: the exit) — HR of the company, not the exit's own subject;
* ``offboarding.view_exit`` — HR, legal, compliance, the HR partner, the line manager, and the subject
  (the subject sees their own exit without the restricted parts);
* ``offboarding.view_interview`` / ``offboarding.record_interview`` — HR only (the interview is kept apart
  from the decision records: legal, compliance and managers do not read it);
* ``offboarding.talk`` — HR on the exit's conversation, and the subject on their own."""

from __future__ import annotations

from typing import Any

import rules

from hrguard.core.roles import HR_ROLES, Role
from hrguard.people.permissions import employee_of, is_hr, is_subject, manages, partners, same_company


@rules.predicate
def exit_partner(user: Any, obj: Any) -> bool:
    return partners(user, employee_of(obj))


@rules.predicate
def exit_manager(user: Any, obj: Any) -> bool:
    return manages(user, employee_of(obj))


@rules.predicate
def reviews_exits(user: Any) -> bool:
    return user.is_authenticated and user.role in (*HR_ROLES, Role.LEGAL, Role.COMPLIANCE)


rules.add_perm("offboarding.start_exit", same_company & (is_hr | exit_partner) & ~is_subject)
rules.add_perm("offboarding.manage_exit", same_company & is_hr & ~is_subject)
rules.add_perm("offboarding.view_exit",
               same_company & (((reviews_exits | exit_partner | exit_manager) & ~is_subject) | is_subject))
rules.add_perm("offboarding.view_interview", same_company & is_hr & ~is_subject)
rules.add_perm("offboarding.record_interview", same_company & is_hr & ~is_subject)
rules.add_perm("offboarding.talk", same_company & ((is_hr & ~is_subject) | is_subject))
rules.add_perm("offboarding.view_dashboard", reviews_exits)
rules.add_perm("offboarding.export_si", is_hr)  # 社保减员 / 退工登记 lists (they hold ID numbers)
rules.add_perm("offboarding.edit_si_layouts", is_hr)  # HR and the company administrator (HR_ROLES)
