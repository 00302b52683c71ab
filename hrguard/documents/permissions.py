"""Permissions of the documents app (django-rules; loaded by ``DocumentsConfig.ready``), built from the
people predicates. Checked with ``user.has_perm(name)``."""

from __future__ import annotations

import rules

from hrguard.core.roles import Role
from hrguard.people.permissions import is_employee_of_company, is_hr, role_in

# Send documents for signature, edit templates and reminder rules: HR (and the company administrator).
rules.add_perm("documents.send_requests", is_employee_of_company & is_hr)
rules.add_perm("documents.edit_templates", is_employee_of_company & is_hr)
# Follow who signed, what was sent, what failed: HR and legal.
rules.add_perm("documents.track_requests", is_employee_of_company & (is_hr | role_in(Role.LEGAL)))
