"""Engine permissions (django-rules). Who may act on a step is decided per step in ``services`` (the
assignee, never a party); these cover the template pages and starting or cancelling a process."""

from __future__ import annotations

import rules

from hrguard.core.roles import Role
from hrguard.people.permissions import is_hr, is_self, manages, partners, role_in, same_company

# Company administrators and HR edit process templates.
rules.add_perm("workflows.manage_templates", role_in(Role.ADMIN, Role.HR))
# HR may pause, resume, cancel any process of their company and see every instance (not restricted
# steps of a process they are a party to).
rules.add_perm("workflows.oversee", role_in(Role.ADMIN, Role.HR))
# Starting a process about an employee: HR, the employee themself, their manager or HR partner.
rules.add_perm("workflows.start_about", same_company & (is_hr | is_self | manages | partners))
