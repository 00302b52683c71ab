"""Who may do what with early warning (django-rules; loaded by ``RiskConfig.ready``).

* ``risk.manage_rules`` — HR roles (company administrator, HR): edit, back-test, switch rules on/off;
* ``risk.run_scan`` — HR roles: start the company's scan (or its dry run) from the page;
* ``risk.view_alerts`` — the alert list: HR roles, and department managers (who see only the alerts of
  rules that allow the line manager, about their own people);
* ``risk.view_alert`` (object: an alert) — HR roles; the subject's line manager where the rule allows;
  never the subject (who sees which rules were applied to them on their own page, not the alert);
* ``risk.triage_alert`` (object: an alert) — HR roles, never about themself;
* ``risk.run_check`` (object: the employee) / ``risk.view_check`` (object: a check) — HR roles, never
  about themself."""

from __future__ import annotations

from typing import Any

import rules

from hrguard.people.permissions import employee_of, is_hr, is_subject, manages, same_company
from hrguard.people.scope import scope_of


@rules.predicate
def line_manager(user: Any, obj: Any) -> bool:
    return manages(user, employee_of(obj))


@rules.predicate
def rule_allows_manager(user: Any, alert: Any) -> bool:
    return bool(getattr(getattr(alert, "version", None), "manager_visible", False))


@rules.predicate
def manages_anyone(user: Any) -> bool:
    return user.is_authenticated and bool(scope_of(user).managed_paths)


rules.add_perm("risk.manage_rules", is_hr)
rules.add_perm("risk.run_scan", is_hr)
rules.add_perm("risk.view_alerts", is_hr | manages_anyone)
rules.add_perm("risk.view_alert", same_company & ~is_subject & (is_hr | (rule_allows_manager & line_manager)))
rules.add_perm("risk.triage_alert", same_company & is_hr & ~is_subject)
rules.add_perm("risk.run_check", same_company & is_hr & ~is_subject)
rules.add_perm("risk.view_check", same_company & is_hr & ~is_subject)
