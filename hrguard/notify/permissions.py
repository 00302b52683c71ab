"""Permissions of the notify app (django-rules; loaded by ``NotifyConfig.ready``)."""

from __future__ import annotations

import rules

from hrguard.people.permissions import is_employee_of_company, is_hr

# The delivery problems page (failed or unknown messages) and acting on it: HR of the company.
rules.add_perm("notify.view_problems", is_employee_of_company & is_hr)
